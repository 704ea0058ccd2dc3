"""The fonts shipped for the scripts DejaVu Sans does not draw well (``analysis/fonts``), and how pages and charts carry them.

A language's catalog names the font families its script needs (``meta.fonts`` in
``locales/<lang>.yaml``, :func:`analysis.i18n.fonts`); the font files sit in ``analysis/fonts`` with their
licence.  vl-convert draws the charts' SVG and PNG with them once :func:`register` has told it where they
are.  A browser may lack them: :func:`font_face_css` writes ``@font-face`` rules with the font embedded
(subset to the characters a page or chart uses), so that a report draws offline anywhere.
"""

from __future__ import annotations

import base64
import functools
import io
from dataclasses import dataclass
from pathlib import Path

FONTS = Path(__file__).parent / "fonts"
LATIN_END = 0x0370  # code points below this (Latin, IPA) are drawn by the common fonts, not by a script's font


@dataclass(frozen=True)
class Face:
    """One font file: its family, weight (400 regular, 700 bold) and the code points it draws."""

    path: Path
    family: str
    weight: int
    codepoints: frozenset[int]


@functools.cache
def faces() -> tuple[Face, ...]:
    """Every font file shipped in ``analysis/fonts``, sorted by family and weight."""
    from fontTools.ttLib import TTFont

    out = []
    for path in sorted([*FONTS.glob("*.ttf"), *FONTS.glob("*.otf")]):
        with TTFont(path, lazy=True) as font:
            name = font["name"]
            family = str(name.getDebugName(16) or name.getDebugName(1))
            out.append(Face(path, family, int(font["OS/2"].usWeightClass), frozenset(font.getBestCmap())))
    return tuple(sorted(out, key=lambda f: (f.family, f.weight)))


def family_faces(family: str) -> list[Face]:
    """The shipped faces of ``family``; a ValueError names the families there are."""
    found = [f for f in faces() if f.family == family]
    if not found:
        raise ValueError(f"no font files of family {family!r} in {FONTS} (there are {', '.join(sorted({f.family for f in faces()}))})")
    return found


@functools.cache
def script_chars(family: str) -> frozenset[int]:
    """The code points a script font draws that the common (Latin) fonts are left to draw otherwise."""
    return frozenset(c for f in family_faces(family) for c in f.codepoints if c >= LATIN_END)


_REGISTERED: set[str] = set()


def register() -> None:
    """Tell vl-convert where the shipped fonts are (once per process), before any chart is drawn."""
    if str(FONTS) not in _REGISTERED:
        import vl_convert as vlc

        vlc.register_font_directory(str(FONTS))
        _REGISTERED.add(str(FONTS))


def _subset(face: Face, text: str) -> bytes:
    """``face`` cut down to the glyphs ``text`` needs (with its shaping rules), as WOFF."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()  # its default layout features keep joining forms, ligatures and marks (Arabic shaping)
    options.flavor = "woff"
    options.notdef_outline = True
    options.hinting = False  # screens scale outlines well; the hinting program is most of a small subset
    with TTFont(face.path) as font:
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=text)
        subsetter.subset(font)
        out = io.BytesIO()
        subset.save_font(font, out, options)
    return out.getvalue()


def font_face_css(family: str, text: str, weights: tuple[int, ...] = (400, 700)) -> str:
    """``@font-face`` rules embedding ``family`` (each of ``weights`` it ships), subset to the characters of ``text``
    it draws; '' when ``text`` needs none of them."""
    drawn = script_chars(family)
    chars = "".join(sorted({ch for ch in set(text) if ord(ch) in drawn}))
    if not chars:
        return ""
    rules = []
    for face in family_faces(family):
        if face.weight not in weights:
            continue
        data = base64.b64encode(_subset(face, chars)).decode("ascii")
        rules.append(
            f'@font-face{{font-family:"{family}";font-weight:{face.weight};font-style:normal;'
            f'src:url(data:font/woff;base64,{data}) format("woff")}}'
        )
    return "\n".join(rules)
