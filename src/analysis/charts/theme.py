"""One look for every chart: fonts, sizes, palettes; colours and shapes of vocabulary values come from the case.

The colour of each phase, side, sign and people basis, the mark of each actor type and claim basis, and
which phase is the context, are data: the ``qalamoun:colors``, ``qalamoun:marks`` and ``qalamoun:roles`` of
the vocabularies in ``datapackage.json`` (:mod:`analysis.vocab`), keyed by stored value (never by a
translated label), so a chart looks the same in every language.  This module keeps only the look.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

from .. import i18n, vocab

FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"
# Destinations take colours in the order of their place ids among the case's destinations: the same in every language.
DESTINATION_PALETTE = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22",
    "#393b79", "#ad494a", "#637939", "#7b4173", "#3182bd", "#e6550d", "#31a354", "#756bb1",
]  # fmt: skip
OTHER_COLOR = "#999999"
BAND_COLOR = "#a6cee3"
LINE_COLOR = "#1f4e79"
SCENARIO_COLOR = "#d95f02"


def _theme() -> dict[str, Any]:
    return {
        "config": {
            "font": FONT,
            "aria": False,  # Vega's ARIA descriptions are English only (and double the SVG): titles and legends say it all
            "view": {"stroke": None, "continuousWidth": 560, "continuousHeight": 300},
            "title": {"anchor": "start", "fontSize": 15, "fontWeight": 600, "color": "#222", "subtitleColor": "#555"},
            "axis": {
                "labelFontSize": 11,
                "titleFontSize": 12,
                "gridColor": "#eee",
                "domainColor": "#888",
                "tickColor": "#888",
                "titleFontWeight": 500,
            },
            "legend": {"labelFontSize": 11, "titleFontSize": 12, "orient": "right", "labelLimit": 340},
            "header": {"labelFontSize": 12, "titleFontSize": 12},
            "range": {"category": DESTINATION_PALETTE[:10]},
        }
    }


alt.theme.register("qalamoun", enable=True)(_theme)


def font(lang: str) -> str:
    """The chart font list of ``lang``: the first common font, then its script's fonts (the catalog's ``meta.fonts``,
    shipped in ``analysis/fonts``), then the other common ones.

    DejaVu Sans draws Latin and Arabic alike, so resvg draws every text with one font where it is installed (a
    browser lacking it takes the script's font embedded in the SVG); without it, the script's font is there.
    """
    first, *rest = [f.strip() for f in FONT.split(",")]
    return ", ".join([first, *i18n.fonts(lang), *rest])


def scale(kind: str, channel: str, lang: str, present: Any = None) -> alt.Scale:
    """A scale from the labels in ``lang`` of vocabulary ``kind`` to its ``channel`` (``colors`` or ``marks``) in the case's
    data package, in the vocabulary's order (``present`` limits it to the values drawn)."""
    v = vocab.vocabulary(kind)
    mapping = getattr(v, channel)
    keys = [k for k in v.values if k in mapping and (present is None or k in {vocab.key(p) for p in present})]
    return alt.Scale(domain=[i18n.term(kind, k, lang) for k in keys], range=[mapping[k] for k in keys])


def phase_scale(lang: str, present: Any = None) -> alt.Scale:
    return scale("phase", "colors", lang, present)


def side_scale(lang: str, present: Any = None) -> alt.Scale:
    return scale("side", "colors", lang, present)


def shape_scale(lang: str, present: Any = None) -> alt.Scale:
    return scale("actor_type", "marks", lang, present)


def sign_scale(lang: str) -> alt.Scale:
    """Each relation sign's colour (hostile, neutral, cooperative), named in ``lang``."""
    return scale("sign", "colors", lang)


def destination_colors(case: Any) -> dict[str, str]:
    """place_id -> colour for every destination of the case's movements, by sorted place id (language-independent)."""
    ids = sorted(set(case.movements["destination_place_id"].dropna().astype(str)))
    return {p: DESTINATION_PALETTE[i % len(DESTINATION_PALETTE)] for i, p in enumerate(ids)}


def destination_scale(case: Any, lang: str, present: Any, other: bool = False) -> alt.Scale:
    """Destination names in ``lang`` -> their fixed colours (and grey for 'other')."""
    colors = destination_colors(case)
    keys = [k for k in colors if k in set(present)]
    domain = [i18n.name(case, "places", k, lang) for k in keys]
    rng = [colors[k] for k in keys]
    if other:
        domain.append(i18n.label("other", lang))
        rng.append(OTHER_COLOR)
    return alt.Scale(domain=domain, range=rng)


def wrap(notes: str | list[str] | None, width: int = 100) -> list[str]:
    """Subtitle lines of at most ``width`` characters (long notes are broken between words)."""
    out = []
    for note in [notes] if isinstance(notes, str) else notes or []:
        line = ""
        for word in note.split(" "):
            if line and len(line) + 1 + len(word) > width:
                out.append(line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        out.append(line)
    return out


def title(key: str, lang: str, subtitle: str | list[str] | None = None, **values: Any) -> alt.TitleParams:
    """A chart title in ``lang`` with its subtitle wrapped to the chart's width."""
    return alt.TitleParams(i18n.label(key, lang, **values), subtitle=wrap(subtitle) or "")


def date_axis(lang: str, title: str | None = None, year: bool = False, **kw: Any) -> alt.Axis:
    """A date axis with month names in ``lang`` ('22 abr'), whatever the renderer's locale."""
    return alt.Axis(title=title, labelExpr=i18n.vega_date(lang, year=year), labelAngle=0, **kw)


def records(df: pd.DataFrame) -> pd.DataFrame:
    """A copy safe for Vega-Lite: dates as ISO strings, NA as None, stable order."""
    out = df.copy()
    for col in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = out[col].dt.strftime("%Y-%m-%d").astype(object).where(out[col].notna(), None)
        elif isinstance(out[col].dtype, pd.CategoricalDtype):
            out[col] = out[col].astype(str)
        elif pd.api.types.is_extension_array_dtype(out[col].dtype):
            out[col] = out[col].astype(object).where(out[col].notna(), None)
    return out.reset_index(drop=True)


def tag(chart: Any, lang: str) -> Any:
    """Record the chart's language in its spec (the renderer writes its numbers and text direction from it), give it
    the fonts of the language's script, and in a right-to-left language put its titles on the right."""
    out = chart.properties(usermeta={"lang": lang}).configure(font=font(lang))
    return out.configure_title(anchor="end") if i18n.direction(lang) == "rtl" else out
