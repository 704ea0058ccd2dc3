"""How charts reach the reader: a static PNG + SVG pair, or an interactive widget that reports selections.

Static (stored notebooks, reports): every chart's output holds

- ``image/png``: drawn by vl-convert at twice the chart's size and reduced to a 128-colour
  palette (deterministic, about a sixth of the full-colour file), shown at the chart's size.
  JupyterLab draws it in an untrusted notebook (every fresh clone), and GitHub too;
- ``image/svg+xml``: the same chart as vectors, which trusted JupyterLab and the HTML
  reports prefer (sharp at any zoom, text selectable and searchable);
- ``text/plain``: the chart's title, never the ``alt.Chart(...)`` repr.

Interactive (``interactive=True``): :func:`use_renderer` turns on Altair's
``JupyterChart`` in offline mode (Vega is loaded from the installed package, never
a CDN).  Each chart becomes a widget; :func:`selection` reads what the analyst
clicked back in Python.  The PNG stays in the output for places without a live kernel.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
from typing import Any

import altair as alt

from .. import fonts, i18n

PNG_SCALE = 2
PNG_COLORS = 128
_WIDGETS: dict[str, Any] = {}  # selection name -> the last widget that has it
_STATE = {"interactive": False, "offline": False}


def _lang(spec: dict[str, Any]) -> str:
    """The chart's language (recorded by :func:`analysis.charts.theme.tag`), English if none."""
    return str(spec.get("usermeta", {}).get("lang") or i18n.SOURCE_LANG)


def _title(spec: dict[str, Any]) -> str:
    t = spec.get("title")
    text = t.get("text", "") if isinstance(t, dict) else t or ""
    return " ".join(text) if isinstance(text, list) else str(text)


def to_png(svg: str) -> tuple[bytes, int, int]:
    """A chart's SVG as a palette PNG drawn at ``PNG_SCALE``; returns the bytes and the size to show it at (CSS pixels).

    Drawn from the SVG rather than from the spec: the same pixels as ``vegalite_to_png``
    (both draw Vega's SVG with resvg) without running Vega a second time.  Fonts embedded for
    browsers (:func:`embed_fonts`) are left out: resvg draws with the registered font files.
    """
    import vl_convert as vlc
    from PIL import Image

    fonts.register()
    raw = vlc.svg_to_png(_EMBEDDED.sub("", svg), scale=PNG_SCALE)
    image = Image.open(io.BytesIO(raw)).convert("RGB")
    small = image.quantize(colors=PNG_COLORS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    small.save(out, format="PNG", optimize=True)
    return out.getvalue(), image.width // PNG_SCALE, image.height // PNG_SCALE


def to_svg(spec: dict[str, Any]) -> str:
    """The chart as SVG in its language: numbers as CLDR writes them there, text in its script's font and direction
    (:func:`localize_svg`), its ids fixed by its content (:func:`stable_ids`)."""
    import vl_convert as vlc

    fonts.register()
    lang = _lang(spec)
    svg = vlc.vegalite_to_svg(spec, format_locale=i18n.d3_format_locale(lang), time_format_locale=i18n.d3_time_locale(lang))
    return embed_fonts(stable_ids(localize_svg(svg, lang)), lang)


_TEXT = re.compile(r"(<text\b[^>]*>)(.*?)(</text>)", re.S)
_TEXT_NODE = re.compile(r">([^<>]+)<")
_EMBEDDED = re.compile(r'<style class="qalamoun-fonts">.*?</style>', re.S)


def localize_svg(svg: str, lang: str) -> str:
    """Vega's SVG made to read right to left in a right-to-left language, in resvg and browsers alike.

    Every text becomes a right-to-left isolate (U+2067 ... U+2069): the sentence reads from the right, and
    'Natural Earth' or 'C004' inside it keeps its place.  SVG's own ``direction`` is not used: resvg anchors such
    text on the wrong side.  Each text stays one run in one font list: resvg garbles marks (a shadda) after a
    direction mark in another tspan, and picks a fallback font for a missing glyph regardless of its style, so
    the chart font list starts with a font that draws both Latin and the script (:func:`analysis.charts.theme.font`).
    Left-to-right languages are left as they are.
    """
    if i18n.direction(lang) != "rtl":
        return svg
    start, end = i18n.RTL_ISOLATE

    def text(m: re.Match[str]) -> str:
        body = _TEXT_NODE.sub(lambda n: f">{start}{n.group(1)}{end}<", f">{m.group(2)}<")[1:-1]
        return m.group(1) + body + m.group(3)

    return _TEXT.sub(text, svg)


def embed_fonts(svg: str, lang: str) -> str:
    """The SVG with ``lang``'s script fonts embedded (subset to the characters it draws), for browsers that lack them;
    unchanged for a language whose script needs no font of its own.  The regular face only: such a browser makes the
    bold titles from it, and each chart carries half the bytes and costs half the time."""
    css = "\n".join(fonts.font_face_css(f, svg, weights=(400,)) for f in i18n.fonts(lang))
    if not css.strip():
        return svg
    head = re.search(r"<svg\b[^>]*>", svg)
    if head is None:
        return svg
    return f'{svg[: head.end()]}<style class="qalamoun-fonts">{css}</style>{svg[head.end() :]}'


_SVG_REF = re.compile(r'(id="|url\(#|href="#)((gradient_|clip|pattern_)\d+)(?=[")])')


def stable_ids(svg: str) -> str:
    """The SVG with its gradient, clip and pattern ids named by its content, not by Vega's counters.

    Vega numbers these ids with counters that run on across every chart drawn in the
    process (``gradient_0`` in a fresh kernel, ``gradient_3`` after three other legends),
    so the same chart gave different SVG after other charts.  Each id becomes
    ``<kind>-<digest of the chart>-<n>`` in order of appearance: the same chart, the
    same SVG; two charts on one HTML page never share an id.
    """
    order: dict[str, int] = {}

    def placeholder(m: re.Match[str]) -> str:
        n = order.setdefault(m.group(2), len(order))
        return f"{m.group(1)}{m.group(3)}\x00{n}\x00"

    marked = _SVG_REF.sub(placeholder, svg)
    if not order:
        return svg
    digest = hashlib.sha256(marked.encode()).hexdigest()[:10]
    return re.sub("_?\x00(\\d+)\x00", lambda m: f"-{digest}-{m.group(1)}", marked)


def alt_text(spec: dict[str, Any]) -> str:
    """The chart's alternative text: its title and the sentence of what it shows (``usermeta.description``, written in
    the chart's language by :func:`analysis.charts.theme.tag`), the title alone where it has none."""
    described = str(spec.get("usermeta", {}).get("description") or "").strip()
    name = _title(spec).strip()
    if not described:
        return name
    stop = "" if not name or name[-1] in ".:?!؟" else "."
    return f"{name}{stop} {described}" if name else described


def static_bundle(spec: dict[str, Any], **_: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """The mime bundle of a static chart: PNG (untrusted JupyterLab, GitHub), SVG (trusted, HTML reports), its alt text.

    The alt text (:func:`alt_text`) is the output's ``text/plain`` and the ``alt`` of both images' metadata: the key
    IPython's ``Image(alt=...)`` writes, which nbconvert's classic template and the report's template
    (``runner/templates/report.html.j2``) put in the ``<img alt>``.
    """
    svg = to_svg(spec)
    png, width, height = to_png(svg)
    described = alt_text(spec)
    data = {
        "image/png": base64.b64encode(png).decode("ascii"),
        "image/svg+xml": svg,
        "text/plain": f"[chart] {described}",
    }
    return data, {"image/png": {"width": width, "height": height, "alt": described}, "image/svg+xml": {"alt": described}}


def interactive_bundle(spec: dict[str, Any], **_: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """A live JupyterChart widget (offline), with the static PNG beside it for readers without a kernel."""
    lang = _lang(spec)  # numbers and dates as CLDR writes them in the chart's language, as in the static charts
    options = {"formatLocale": i18n.d3_format_locale(lang), "timeFormatLocale": i18n.d3_time_locale(lang)}
    widget = alt.JupyterChart(_from_dict(spec), embed_options=options)
    for name in _selection_names(spec):
        _WIDGETS[name] = widget
    data, meta = static_bundle(spec)
    bundle = widget._repr_mimebundle_()
    bundle = bundle[0] if isinstance(bundle, tuple) else bundle
    data = {**bundle, "image/png": data["image/png"], "text/plain": data["text/plain"]}
    return data, meta


def _from_dict(spec: dict[str, Any]) -> Any:
    """The Altair chart object of a top-level spec (JupyterChart reads the selections from it)."""
    kinds = {"layer": alt.LayerChart, "vconcat": alt.VConcatChart, "hconcat": alt.HConcatChart, "facet": alt.FacetChart}
    cls = next((c for k, c in kinds.items() if k in spec), alt.Chart)
    return cls.from_dict(spec, validate=False)


def _selection_names(spec: Any) -> list[str]:
    """Names of the point selections anywhere in a spec."""
    found: list[str] = []
    if isinstance(spec, dict):
        for p in spec.get("params", []) or []:
            if isinstance(p, dict) and "select" in p:
                found.append(p["name"])
        for v in spec.values():
            if isinstance(v, dict | list):
                found += _selection_names(v)
    elif isinstance(spec, list):
        for v in spec:
            found += _selection_names(v)
    return list(dict.fromkeys(found))


alt.renderers.register("qalamoun-static", static_bundle)
alt.renderers.register("qalamoun-interactive", interactive_bundle)


def use_renderer(interactive: bool = False) -> str:
    """Static PNG + SVG (stored notebooks, reports) or interactive widgets (JupyterLab, offline); returns its name."""
    alt.theme.enable("qalamoun")
    if interactive:
        if not _STATE["offline"]:
            alt.JupyterChart.enable_offline()
            _STATE["offline"] = True
        alt.renderers.enable("qalamoun-interactive")
        return "interactive"
    alt.renderers.enable("qalamoun-static")
    return "static"


def selection(name: str, field: str | None = None) -> list[Any]:
    """What the analyst selected in the last interactive chart with selection ``name`` ('movement', 'actor').

    Returns the selected values of ``field`` (default: ``<name>_id``), in the order clicked; [] when
    nothing is selected or no interactive chart with that selection was shown.
    """
    widget = _WIDGETS.get(name)
    if widget is None:
        return []
    value = getattr(widget.selections, name).value or []
    key = field or f"{name}_id"
    return [v.get(key) for v in value if isinstance(v, dict)]
