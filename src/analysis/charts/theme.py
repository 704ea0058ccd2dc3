"""One look for every chart: fonts, sizes, palettes; colours and shapes of vocabulary values come from the case.

The colour of each phase, side, sign and people basis, the mark of each actor type and claim basis, and
which phase is the context, are data: the ``qalamoun:colors``, ``qalamoun:marks`` and ``qalamoun:roles`` of
the vocabularies in ``datapackage.json`` (:mod:`analysis.vocab`), keyed by stored value (never by a
translated label), so a chart looks the same in every language.  This module keeps only the look.
"""

from __future__ import annotations

import json
from typing import Any

import altair as alt
import pandas as pd

from .. import i18n, vocab

FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"
# Every chart, legends included, fits this width: JupyterLab's output area at 1,200 px with the file browser open is
# about 768 px wide, and the reports' column wider.  Charts lay out their parts from it (:func:`plot_width`).
MAX_WIDTH = 720
LABEL_SIZE = 11  # px: axis and legend labels
LINE_HEIGHT = 13  # px between the lines of a wrapped label
EM = 0.62  # the width of an average character as a share of the font size (DejaVu Sans, capitals and digits included)
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
            # room between a title, its subtitle and the chart: Arabic fonts stand taller than Latin ones at one size
            "title": {
                "anchor": "start",
                "fontSize": 15,
                "fontWeight": 600,
                "color": "#222",
                "subtitleColor": "#555",
                "subtitlePadding": 9,
                "offset": 10,
            },
            "axis": {
                "labelFontSize": LABEL_SIZE,
                "titleFontSize": 12,
                "gridColor": "#eee",
                "domainColor": "#888",
                "tickColor": "#888",
                "titleFontWeight": 500,
                "labelLineHeight": LINE_HEIGHT,
            },
            # numbers and dates: labels that would touch are dropped (Vega measures them), the end labels kept inside
            "axisQuantitative": {"labelOverlap": "greedy", "labelSeparation": 8, "labelFlush": True, "labelBound": True},
            "axisTemporal": {"labelOverlap": "greedy", "labelSeparation": 8, "labelFlush": True, "labelBound": True},
            # below the chart, so that a chart with its legend fits MAX_WIDTH; columns are set per legend (:func:`legend`)
            "legend": {"labelFontSize": LABEL_SIZE, "titleFontSize": 12, "orient": "bottom", "labelLimit": 340, "direction": "vertical"},
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


# Marks that read apart filled and hollow, in the order a category takes them once the colours run out.
MARKS = ("circle", "square", "triangle-up", "diamond", "triangle-down", "cross")
# d3's Category10: ten colours told apart from each other (and by most colour-blind readers, with the marks beside them)
CATEGORY_COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")


def _darker(color: str, share: float) -> str:
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(v * (1 - share)):02x}" for v in (r, g, b))


def distinct_styles(keys: list[str]) -> dict[str, tuple[str, str]]:
    """key -> (colour, mark), no two keys alike, in the order given: the first ten keys a colour each (circles), the
    next ten the same colours as squares, and so on through :data:`MARKS`; past sixty, the colours darken."""
    n_colors, n_marks = len(CATEGORY_COLORS), len(MARKS)
    out = {}
    for i, key in enumerate(keys):
        color = CATEGORY_COLORS[i % n_colors]
        shade = i // (n_colors * n_marks)
        out[key] = (_darker(color, 1 - 0.7**shade) if shade else color, MARKS[(i // n_colors) % n_marks])
    return out


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


def text_px(text: str, size: float = LABEL_SIZE) -> float:
    """The estimated width in pixels of the longest line of ``text`` at ``size`` (a generous average per character:
    what fits by this estimate fits on the page)."""
    return max((len(line) for line in str(text).split("\n")), default=0) * size * EM


def wrap(notes: str | list[str] | None, width: int = 94) -> list[str]:
    """Lines of at most ``width`` characters (long notes are broken between words; a word longer than a line is split)."""
    out = []
    for note in [notes] if isinstance(notes, str) else notes or []:
        line = ""
        for word in str(note).split(" "):
            while len(word) > width:
                if line:
                    out.append(line)
                    line = ""
                out.append(word[:width])
                word = word[width:]
            if line and len(line) + 1 + len(word) > width:
                out.append(line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        out.append(line)
    return out


def wrap_label(text: Any, max_px: float, size: float = LABEL_SIZE) -> str:
    """``text`` broken between words into lines that fit ``max_px`` (joined by a newline; :data:`MULTILINE` draws them)."""
    return "\n".join(wrap(str(text), max(6, int(max_px / (size * EM) + 0.01))))


def lines_expr(labels: Any, max_px: float, size: float = LABEL_SIZE) -> str | None:
    """A Vega label expression that writes each of ``labels`` longer than ``max_px`` over the lines of
    :func:`wrap_label` (a lookup from the label to its lines); None when every label fits on one line."""
    wrapped = {str(x): wrap_label(x, max_px, size).split("\n") for x in labels}
    long = {k: v for k, v in wrapped.items() if len(v) > 1}
    return f"{json.dumps(long, ensure_ascii=False)}[datum.label] || datum.label" if long else None


def n_lines(labels: Any, max_px: float, size: float = LABEL_SIZE) -> int:
    """The most lines any of ``labels`` takes when wrapped to ``max_px`` (1 for none)."""
    return max([wrap_label(x, max_px, size).count("\n") + 1 for x in labels] or [1])


def band_step(labels: Any, max_px: float, least: int = 18) -> int:
    """Pixels per row of a band axis whose labels are ``labels`` wrapped to ``max_px``: room for the most lines."""
    return max(least, n_lines(labels, max_px) * LINE_HEIGHT + 6)


def category_axis(labels: Any, labels_px: float, **kw: Any) -> alt.Axis:
    """A band axis whose labels are wrapped over lines in a column ``labels_px`` wide (:func:`lines_expr`), never cut;
    the column is that wide whatever the labels, so that stacked panels line up."""
    extent = int(labels_px) + 12
    expr = lines_expr(labels, labels_px)
    extra = {"labelExpr": expr} if expr else {}
    return alt.Axis(labelLimit=int(labels_px) + 40, minExtent=extent, maxExtent=extent, **extra, **kw)


def count_axis(title: Any = alt.Undefined, width: float | None = None, **kw: Any) -> alt.Axis:
    """An axis of counts: whole numbers only (no 0.5 tick), thousands grouped, as many ticks as fit ``width``."""
    if width is not None:
        kw.setdefault("tickCount", max(2, int(width // 80)))
    return alt.Axis(title=title, format=",d", tickMinStep=1, **kw)


LEGEND_SYMBOL = 34  # px a legend entry takes besides its label (symbol, gaps)
LEGEND_COLUMN = 180  # px: a legend label is wrapped to no less than this to fit one more column


def legend_columns(title: str, labels: Any, room: float = MAX_WIDTH - 20) -> tuple[int, float]:
    """How many columns a legend below the chart takes in ``room`` px (a legend below a chart starts under its plot,
    right of the labels of its band axis), and the width its labels are wrapped to: as many columns as fit with labels
    no narrower than :data:`LEGEND_COLUMN` (or their own width, when less)."""
    labels = [str(x) for x in labels] or [""]
    widest = max(text_px(x) for x in labels)
    best = (1, max(60.0, min(widest, room - LEGEND_SYMBOL)))
    for n in range(min(len(labels), 6), 0, -1):
        space = room / n - LEGEND_SYMBOL
        if space >= min(widest, LEGEND_COLUMN):
            best = (n, min(widest, space))
            break
    return best


def legend(title: str, labels: Any, room: float = MAX_WIDTH - 20, **kw: Any) -> alt.Legend:
    """A legend below the chart, in as many columns as fit ``room`` (:func:`legend_columns`), its long labels written
    over lines, never cut."""
    columns, width = legend_columns(title, labels, room)
    expr = lines_expr(labels, width)
    extra = {"labelExpr": expr} if expr else {}
    return alt.Legend(title=title, orient="bottom", direction="vertical", columns=columns, labelLimit=int(width) + 40, **extra, **kw)


def plot_width(labels_px: float = 0.0, legend_px: float = 0.0) -> int:
    """The width left for the plot of a chart whose band-axis labels take ``labels_px`` and whose legend, beside it,
    ``legend_px``: the chart, all of it, stays within :data:`MAX_WIDTH`."""
    return int(MAX_WIDTH - (labels_px + 12 if labels_px else 60) - legend_px - 20)


def room_for_text(highs: Any, texts: Any, width: float, size: float = 10, gap: float = 6) -> float:
    """The upper end of a zero-based linear scale ``width`` px wide on which each text, written ``gap`` px after its
    value in ``highs``, ends inside the plot: the largest ``high * width / (width - text - gap)``."""
    ends = [0.0]
    for high, text in zip(highs, texts, strict=True):
        if high is None or pd.isna(high):
            continue
        room = max(width - text_px(text, size) - gap, width * 0.25)
        ends.append(float(high) * width / room)
    return max(ends) or 1.0


def date_span(start: Any, end: Any) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The first and last day of a span (dates, strings or NaT; today's day-long span where none is known)."""
    a, b = pd.Timestamp(start), pd.Timestamp(end)
    if pd.isna(a) and pd.isna(b):
        a = b = pd.Timestamp("2000-01-01")
    a = b if pd.isna(a) else a
    b = a if pd.isna(b) else b
    return (min(a, b), max(a, b))


# A time axis adapts to the span it shows: days for weeks, months for years, years for decades.  Each scale of ticks:
# the longest span it is used for (days), its label ('day', 'month', 'year'), the label's width at 11 px (estimated),
# and the ticks it may take, finest first: (Vega time interval, step, days between ticks).
TIME_UNITS = (
    (92, "day", 48, (("day", 1, 1.0), ("day", 2, 2.0), ("day", 3, 3.0), ("week", 1, 7.0), ("week", 2, 14.0))),
    (3 * 366, "month", 64, (("month", 1, 30.44), ("month", 2, 60.9), ("month", 3, 91.3), ("month", 6, 182.6))),
    (float("inf"), "year", 38, tuple(("year", n, 365.25 * n) for n in (1, 2, 5, 10, 20, 50, 100))),
)


def time_ticks(start: Any, end: Any, width: float) -> tuple[str, str, int]:
    """The label ('day', 'month' or 'year'), Vega interval and step of the ticks of a time axis ``width`` px wide from
    ``start`` to ``end``: the finest unit that suits the span, and the finest ticks whose labels fit side by side."""
    a, b = date_span(start, end)
    days = (b - a).days + 1
    _, label, label_px, ticks = next(u for u in TIME_UNITS if days <= u[0])
    fit = max(2, int(width // (label_px + 14)))
    interval, step, _ = next((t for t in ticks if days / t[2] + 1 <= fit), ticks[-1])
    return label, interval, step


def time_label(unit: str, lang: str) -> str:
    """The Vega expression writing a tick of ``unit`` in ``lang``: '22 Apr', 'Apr 2018', '2018' (CLDR patterns)."""
    if unit == "year":
        return "format(utcyear(datum.value), 'd')"
    return i18n.vega_date(lang, year=unit == "month")


def tick_dates(start: Any, end: Any, width: float) -> list[pd.Timestamp]:
    """The dates a time axis ``width`` px wide from ``start`` to ``end`` marks (:func:`time_ticks`), evenly: every
    ``step`` days or weeks from the first day, the first of every ``step``-th month, or 1 January of every ``step``-th
    year (Vega's own day ticks start again each month: 29 March and 1 April side by side)."""
    _, interval, step = time_ticks(start, end, width)
    a, b = date_span(start, end)
    a, b = a.normalize(), b.normalize()
    if interval in ("day", "week"):
        return list(pd.date_range(a, b, freq=f"{step * (7 if interval == 'week' else 1)}D"))
    if interval == "month":
        months = pd.date_range(a if a.day == 1 else a + pd.offsets.MonthBegin(1), b, freq="MS")
        return [m for m in months if (m.month - 1) % step == 0]
    years = pd.date_range(a if a.dayofyear == 1 else a + pd.offsets.YearBegin(1), b, freq="YS")
    return [y for y in years if y.year % step == 0]


def time_axis(lang: str, start: Any, end: Any, width: float, title: str | None = None, **kw: Any) -> alt.Axis:
    """A date axis for the span ``start``-``end`` drawn ``width`` px wide: evenly spaced ticks by day, week, month or
    year as the span asks (:func:`tick_dates`), written in ``lang`` whatever the renderer's locale, never touching."""
    unit, _, _ = time_ticks(start, end, width)
    values = [alt.DateTime(year=d.year, month=d.month, date=d.day, utc=True) for d in tick_dates(start, end, width)]
    return alt.Axis(title=title, labelExpr=time_label(unit, lang), labelAngle=0, values=values, **kw)


def title(key: str, lang: str, subtitle: str | list[str] | None = None, **values: Any) -> alt.TitleParams:
    """A chart title in ``lang`` with its subtitle wrapped to :data:`MAX_WIDTH`."""
    return alt.TitleParams(i18n.label(key, lang, **values), subtitle=wrap(subtitle) or "", subtitleFontSize=12)


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


def tag(chart: Any, lang: str, alt_text: str | None = None) -> Any:
    """Record the chart's language in its spec (the renderer writes its numbers and text direction from it) and its
    description (one sentence in ``lang`` of what it shows: the renderer gives the image its title and this as alt
    text), give it the fonts of the language's script, and in a right-to-left language put its titles on the right."""
    meta = {"lang": lang, **({"description": alt_text} if alt_text else {})}
    out = chart.properties(usermeta=meta).configure(font=font(lang))
    return out.configure_title(anchor="end") if i18n.direction(lang) == "rtl" else out
