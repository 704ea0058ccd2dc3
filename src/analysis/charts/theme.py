"""One look for every chart: fonts, fixed colours and shapes keyed by stored ids (never by translated labels)."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

from .. import i18n

FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"
PHASE_COLORS = {
    "background": "#9e9e9e",
    "escalation": "#d95f02",
    "negotiation": "#7570b3",
    "surrender": "#e7298a",
    "evacuation": "#1b9e77",
    "aftermath": "#66a61e",
}
SIGN_COLORS = {"-1": "#c0392b", "0": "#95a5a6", "1": "#2471a3"}
SIDE_COLORS = {"government": "#c0392b", "rebel": "#1e8449", "other": "#7d3c98", "unknown": "#7f8c8d"}
# One shape per actor type, in every chart (SVG paths where Vega has no named shape left).
ACTOR_SHAPES = {
    "state force": "square",
    "government": "diamond",
    "intelligence": "triangle-down",
    "foreign state": "cross",
    "media": "M-1,-0.6L1,-0.6L1,0.6L-1,0.6Z",  # a wide rectangle
    "rebel group": "circle",
    "rebel coalition": "triangle-up",
    "jihadist group": "triangle-right",
    "committee": "triangle-left",
    "humanitarian organisation": "wedge",
    "person": "M0,-1L0.22,-0.3L0.95,-0.3L0.36,0.12L0.59,0.81L0,0.38L-0.59,0.81L-0.36,0.12L-0.95,-0.3L-0.22,-0.3Z",  # star
    "unidentified": "M-1,0L-0.5,-0.87L0.5,-0.87L1,0L0.5,0.87L-0.5,0.87Z",  # hexagon
}
# Destinations take colours in the order of their place ids among the case's destinations: the same in both languages.
DESTINATION_PALETTE = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22",
    "#393b79", "#ad494a", "#637939", "#7b4173", "#3182bd", "#e6550d", "#31a354", "#756bb1",
]  # fmt: skip
OTHER_COLOR = "#999999"
BASIS_COLORS = {"claimed": "#1f4e79", "derived": "#5b9bd5", "imputed": "#f4b183", "unknown": "#cccccc"}
CLAIM_SHAPES = {"reported": "square", "expected": "circle"}
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


def scale(mapping: dict[str, str], kind: str | None, lang: str, present: Any = None) -> alt.Scale:
    """A scale from words in ``lang`` to fixed values keyed by stored id (``present`` limits it to the ids drawn)."""
    keys = [k for k in mapping if present is None or k in set(present)]
    domain = [i18n.term(kind, k, lang) if kind else k for k in keys]
    return alt.Scale(domain=domain, range=[mapping[k] for k in keys])


def phase_scale(lang: str, present: Any = None) -> alt.Scale:
    return scale(PHASE_COLORS, "phase", lang, present)


def side_scale(lang: str, present: Any = None) -> alt.Scale:
    return scale(SIDE_COLORS, "side", lang, present)


def shape_scale(lang: str, present: Any = None) -> alt.Scale:
    return scale(ACTOR_SHAPES, "actor_type", lang, present)


def sign_scale(lang: str) -> alt.Scale:
    """Red for hostile, grey for neutral, blue for cooperative ties, named in ``lang``."""
    return scale(SIGN_COLORS, "sign", lang)


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
    """Record the chart's language in its spec (the renderer picks the number locale from it)."""
    return chart.properties(usermeta={"lang": lang})
