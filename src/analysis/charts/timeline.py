"""The timeline: the whole record as context, then the case's main window day by day."""

from __future__ import annotations

from typing import TYPE_CHECKING

import altair as alt
import pandas as pd

from .. import i18n
from . import shaping
from .theme import MAX_WIDTH, date_span, phase_scale, records, tag, text_px, time_axis, title

if TYPE_CHECKING:  # pragma: no cover
    from ..cases import Case


def _width(labels: list[str]) -> int:
    """The plot width left beside the phase names ``labels``: the chart stays within :data:`MAX_WIDTH`."""
    return int(MAX_WIDTH - max([text_px(x) for x in labels] or [0]) - 40)


def _day(value: pd.Timestamp) -> str:
    return value.strftime("%Y-%m-%d")


def timeline(case: Case, events: pd.DataFrame | None = None, lang: str = "en") -> alt.VConcatChart:
    """Events by phase: a strip of the whole record (the main window shaded), then the main window day by day.

    Each time axis adapts to the span it shows (days for weeks, months for years: :func:`theme.time_axis`); the phases
    are named on the y axis, so their colours need no legend.
    """
    ev = case.events if events is None else events
    if len(ev) > shaping.MAX_EVENTS:
        return _timeline_counts(ev, lang)
    df = shaping.timeline_frame(case, ev, lang)
    window = shaping.main_window(ev)
    present = list(dict.fromkeys(df["phase"]))
    order = [i18n.term("phase", p, lang) for p in shaping.phase_order(case) if p in present]
    width = _width(order)
    color = alt.Color("phase_label:N", title=i18n.label("phase", lang), scale=phase_scale(lang, present), sort=order, legend=None)
    tooltip = [
        alt.Tooltip("when:N", title=i18n.label("date", lang)),
        alt.Tooltip("event:N", title=i18n.label("event_type", lang)),
        alt.Tooltip("summary:N", title=i18n.label("summary", lang)),
        alt.Tooltip("sources:N", title=i18n.label("sources", lang)),
    ]
    y = alt.Y("phase_label:N", title=None, sort=order, scale=alt.Scale(domain=order))
    data = records(df.drop(columns=["precise"]))
    first, last = date_span(df["date_start"].min(), df["end_plus"].max())
    x = alt.X("date_start:T", title=None, scale=alt.Scale(domain=[_day(first), _day(last)]), axis=time_axis(lang, first, last, width))
    strip = alt.Chart(data).mark_bar(height=10, opacity=0.85).encode(x=x, x2="end_plus:T", y=y, color=color, tooltip=tooltip)
    layers = [strip]
    if window is not None:
        span = pd.DataFrame({"a": [window[0]], "b": [window[1] + pd.Timedelta(days=1)]})
        layers.insert(0, alt.Chart(records(span)).mark_rect(color="#fde9c8", opacity=0.8).encode(x="a:T", x2="b:T"))
    context = alt.layer(*layers, title=title("timeline_context", lang)).properties(width=width, height=110)
    described = i18n.label("alt_timeline", lang, events=i18n.label("n_events", lang, n=len(ev)))
    if window is None:
        return tag(alt.vconcat(context, title=title("timeline", lang)), lang, described)
    days = records(df[df["precise"] & df["in_window"]].drop(columns=["precise"]))
    pad = pd.Timedelta(days=2)
    lo, hi = window[0] - pad, window[1] + pad
    detail = (
        alt.Chart(days, title=title("timeline_detail", lang, i18n.date_range(window[0], window[1], lang)))
        .mark_circle(size=110, opacity=0.9, stroke="white", strokeWidth=0.8)
        .encode(
            x=alt.X(
                "date_start:T",
                title=i18n.label("date", lang),
                scale=alt.Scale(domain=[_day(lo), _day(hi)]),
                axis=time_axis(lang, lo, hi, width),
            ),
            y=y,
            color=alt.Color("phase_label:N", legend=None, scale=phase_scale(lang, present)),
            tooltip=tooltip,
        )
        .properties(width=width, height=190)
    )
    chart = alt.vconcat(context, detail, title=title("timeline", lang)).resolve_scale(color="shared", x="independent")
    return tag(chart, lang, described)


def _timeline_counts(ev: pd.DataFrame, lang: str) -> alt.VConcatChart:
    """The timeline for many events: each phase's span, and events per day and phase."""
    span, daily = shaping.timeline_counts(ev, lang)
    present = list(span["phase"])
    order = [i18n.term("phase", p, lang) for p in present]
    width = _width(order)
    color = alt.Color("phase_label:N", title=i18n.label("phase", lang), sort=order, scale=phase_scale(lang, present), legend=None)
    y = alt.Y("phase_label:N", title=None, sort=order, scale=alt.Scale(domain=order))
    first, last = date_span(span["start"].min(), span["end"].max())
    overview = (
        alt.Chart(records(span), title=title("timeline_context", lang, i18n.label("n_events", lang, n=len(ev))))
        .mark_bar(height=12)
        .encode(
            x=alt.X("start:T", title=None, scale=alt.Scale(domain=[_day(first), _day(last)]), axis=time_axis(lang, first, last, width)),
            x2="end:T",
            y=y,
            color=color,
            tooltip=[alt.Tooltip("phase_label:N", title=i18n.label("phase", lang)), alt.Tooltip("n:Q", title=i18n.label("events", lang))],
        )
        .properties(width=width, height=150)
    )
    lo, hi = date_span(daily["date_start"].min(), daily["date_start"].max())
    counts = alt.Legend(title=i18n.label("events", lang), format=",d", tickMinStep=1, orient="bottom", direction="horizontal")
    detail = (
        alt.Chart(records(daily))
        .mark_circle(opacity=0.85)
        .encode(
            x=alt.X("date_start:T", title=i18n.label("date", lang), axis=time_axis(lang, lo, hi, width)),
            y=y,
            size=alt.Size("n:Q", title=i18n.label("events", lang), legend=counts),
            color=alt.Color("phase_label:N", legend=None, scale=phase_scale(lang, present)),
            tooltip=[alt.Tooltip("n:Q", title=i18n.label("events", lang))],
        )
        .properties(width=width, height=170)
    )
    chart = alt.vconcat(overview, detail, title=title("timeline", lang)).resolve_scale(color="shared")
    return tag(chart, lang, i18n.label("alt_timeline", lang, events=i18n.label("n_events", lang, n=len(ev))))
