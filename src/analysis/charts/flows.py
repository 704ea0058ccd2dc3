"""The charts of the flows analysis: convoys on the calendar, people over time, by destination, and the claims."""

from __future__ import annotations

from typing import TYPE_CHECKING

import altair as alt
import pandas as pd

from .. import i18n
from . import shaping
from .theme import (
    BAND_COLOR,
    LINE_COLOR,
    SCENARIO_COLOR,
    date_axis,
    destination_scale,
    records,
    scale,
    tag,
    title,
)

if TYPE_CHECKING:  # pragma: no cover
    from ..cases import Case


def convoy_gantt(case: Case, mt: pd.DataFrame, lang: str = "en") -> alt.LayerChart:
    """Each movement from departure to arrival, coloured by destination; click one to select it (interactive mode)."""
    df = shaping.gantt_frame(case, mt, lang)
    notes = []
    if len(df) < len(mt):
        notes.append(i18n.label("shown_of", lang, shown=len(df), total=len(mt)))
    undated = df[~df["dated"]]
    if len(undated):
        notes.append(i18n.label("unknown", lang).capitalize() + ": " + i18n.join(undated["movement"], lang, "list"))
    cols = ["movement_id", "movement", "origin", "destination", "destination_place_id", "depart_text", "arrive_text", "start"]
    data = records(df[[*cols, "end_plus", "people_range", "buses_range", "basis"]])
    order = list(data["movement"])
    pick = alt.selection_point(name="movement", fields=["movement_id"])
    tooltip = [
        alt.Tooltip("movement:N", title=i18n.label("movement", lang)),
        alt.Tooltip("origin:N", title=i18n.label("origin", lang)),
        alt.Tooltip("destination:N", title=i18n.label("destination", lang)),
        alt.Tooltip("depart_text:N", title=i18n.label("depart", lang)),
        alt.Tooltip("arrive_text:N", title=i18n.label("arrive", lang)),
        alt.Tooltip("people_range:N", title=i18n.label("people_range", lang)),
        alt.Tooltip("buses_range:N", title=i18n.label("buses_range", lang)),
        alt.Tooltip("basis:N", title=i18n.label("basis", lang)),
    ]
    base = alt.Chart(data).encode(
        y=alt.Y("movement:N", sort=order, title=None, axis=alt.Axis(labelLimit=320)),
        color=alt.Color(
            "destination:N",
            title=i18n.label("destination", lang),
            scale=destination_scale(case, lang, df["destination_place_id"]),
            legend=alt.Legend(orient="bottom", columns=2),  # beside the long movement names it ran past the page
        ),
        tooltip=tooltip,
    )
    bars = (
        base.mark_bar(height=16, cornerRadius=3)
        .encode(
            x=alt.X("start:T", title=i18n.label("date", lang), axis=date_axis(lang, tickCount="day")),
            x2="end_plus:T",
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.35)),
        )
        .add_params(pick)
    )
    text = base.mark_text(align="left", dx=4, fontSize=10, color="#333").encode(x="end_plus:T", text="people_range:N")
    chart = alt.layer(bars, text, title=title("gantt", lang, notes)).properties(width=520, height=34 * max(len(df), 1))
    return tag(chart, lang)


def cumulative_chart(mt: pd.DataFrame, lang: str = "en", scenario: str = "best") -> alt.LayerChart:
    """People who had left (all destinations): low-high band, best line, the chosen scenario dashed.

    The subtitle names what the chart cannot show: movements with no date (not drawn), and the day from which a
    movement with no figure leaves the high open.
    """
    total, notes = shaping.cumulative_frame(mt, lang, scenario)
    df = records(total)
    subtitle = [f"{i18n.label('scenario', lang)}: {i18n.term('scenario', scenario, lang)}", *notes]
    base = alt.Chart(df).encode(x=alt.X("date:T", title=i18n.label("date", lang), axis=date_axis(lang, tickCount="day")))
    tooltip = [
        alt.Tooltip("date_text:N", title=i18n.label("date", lang)),
        alt.Tooltip("range_text:N", title=i18n.label("cumulative_people", lang)),
    ]
    band = base.mark_area(color=BAND_COLOR, opacity=0.5, interpolate="step-after").encode(
        y=alt.Y("people_low:Q", title=i18n.label("cumulative_people", lang), axis=alt.Axis(format=",.0f")), y2="people_high:Q"
    )
    line = base.mark_line(color=LINE_COLOR, interpolate="step-after", strokeWidth=2).encode(y="people_best:Q")
    chosen = base.mark_line(color=SCENARIO_COLOR, interpolate="step-after", strokeDash=[5, 3]).encode(y="scenario_value:Q")
    points = base.mark_point(color=LINE_COLOR, size=30, filled=True).encode(y="people_best:Q", tooltip=tooltip)
    chart = alt.layer(band, line, chosen, points, title=title("cumulative", lang, subtitle)).properties(width=560, height=260)
    return tag(chart, lang)


def destination_bars(case: Case, mt: pd.DataFrame, lang: str = "en") -> alt.LayerChart:
    """People by destination: the known figures split by how they are known, the low-high range as a line, and the
    movements with no figure named beside the bar (never drawn as 0)."""
    by, rng = shaping.destination_frame(case, mt, lang)
    order = list(rng["destination"])
    present = list(dict.fromkeys(by["people_basis"]))
    bars = (
        alt.Chart(records(by))
        .mark_bar()
        .encode(
            y=alt.Y("destination:N", sort=order, title=None, axis=alt.Axis(labelLimit=300)),
            x=alt.X("people_best:Q", title=i18n.label("people", lang), axis=alt.Axis(format=",.0f")),
            color=alt.Color("basis:N", title=i18n.label("basis", lang), scale=scale("people_basis", "colors", lang, present)),
            tooltip=[
                alt.Tooltip("destination:N", title=i18n.label("destination", lang)),
                alt.Tooltip("basis:N", title=i18n.label("basis", lang)),
                alt.Tooltip("people_best:Q", format=",.0f", title=i18n.label("people", lang)),
            ],
        )
    )
    tip = [
        alt.Tooltip("destination:N", title=i18n.label("destination", lang)),
        alt.Tooltip("range_text:N", title=i18n.label("people_range", lang)),
    ]
    err = (
        alt.Chart(records(rng))
        .mark_rule(color="#222", strokeWidth=1.5)
        .encode(y=alt.Y("destination:N", sort=order), x="people_low:Q", x2="people_high:Q", tooltip=tip)
    )
    label = (
        alt.Chart(records(rng))
        .mark_text(align="left", dx=6, fontSize=10, color="#333")
        .encode(y=alt.Y("destination:N", sort=order), x="label_x:Q", text="range_text:N")
    )
    chart = alt.layer(bars, err, label, title=title("by_destination", lang)).properties(width=460, height=28 * max(len(order), 1))
    return tag(chart, lang)


def claims_dotplot(
    case: Case, figs: pd.DataFrame, lang: str = "en", quantities: tuple[str, ...] = ("people", "fighters", "civilians", "buses")
) -> alt.FacetChart:
    """Every numeric claim per subject and quantity, coloured by who made it, over the reconciled range.

    Identical claims are one mark with their count beside it; squares were reported, circles expected (in both languages).
    """
    from ..flows import numeric_claims

    claims = shaping.claims_frame(case, numeric_claims(case), lang, quantities)
    f = figs[figs["quantity"].isin(quantities) & figs["subject"].isin(set(claims["subject"]))]
    labels = shaping.subject_labels(case, lang)
    ranges = f.assign(subject_label=f["subject"].map(labels).fillna(f["subject"]))[
        ["subject", "subject_label", "quantity", "low", "best", "high"]
    ]
    order = [labels.get(s, s) for s in sorted(set(claims["subject"]), key=shaping.subject_sort)]
    y = alt.Y("subject_label:N", sort=order, title=None, axis=alt.Axis(labelLimit=250))
    rng = (
        alt.Chart()
        .mark_rule(color="#bbb", strokeWidth=7, opacity=0.6)
        .encode(
            y=y,
            x=alt.X("low:Q", title=i18n.label("value", lang), axis=alt.Axis(format=",.0f")),
            x2="high:Q",
            tooltip=[
                alt.Tooltip("low:Q", format=",.0f", title=i18n.label("low", lang)),
                alt.Tooltip("best:Q", format=",.0f", title=i18n.label("best", lang)),
                alt.Tooltip("high:Q", format=",.0f", title=i18n.label("high", lang)),
            ],
        )
    )
    best = alt.Chart().mark_tick(color="#333", thickness=2, size=14).encode(y=y, x="best:Q")
    basis = list(dict.fromkeys(claims["basis"]))
    dots = (
        alt.Chart()
        .mark_point(size=60, filled=True, opacity=0.85)
        .encode(
            y=y,
            x="shown:Q",
            color=alt.Color("originator:N", title=i18n.label("claimed_by", lang)),
            shape=alt.Shape("basis_label:N", title=i18n.label("claim_basis", lang), scale=scale("claim_basis", "marks", lang, basis)),
            tooltip=[
                alt.Tooltip("claim_ids:N", title=i18n.label("claim", lang)),
                alt.Tooltip("originator:N", title=i18n.label("claimed_by", lang)),
                alt.Tooltip("sources:N", title=i18n.label("sources", lang)),
                alt.Tooltip("shown:Q", format=",.0f", title=i18n.label("value", lang)),
                alt.Tooltip("n:Q", title=i18n.label("claims_n", lang)),
            ],
        )
    )
    count = alt.Chart().mark_text(align="left", dx=7, dy=-7, fontSize=10, color="#333").encode(y=y, x="shown:Q", text="n_text:N")
    data = pd.concat([claims.assign(layer="claim"), ranges.assign(layer="range")], ignore_index=True)
    data["quantity_label"] = [i18n.label(q, lang) for q in data["quantity"]]
    data = data.astype(object).where(data.notna(), None)
    layered = alt.layer(
        rng.transform_filter("datum.layer == 'range'"),
        best.transform_filter("datum.layer == 'range'"),
        dots.transform_filter("datum.layer == 'claim'"),
        count.transform_filter("datum.layer == 'claim'"),
        data=data,
    )
    chart = (
        layered.properties(width=400, height=alt.Step(16))
        .facet(
            facet=alt.Facet("quantity_label:N", title=None, sort=[i18n.label(q, lang) for q in quantities]),
            columns=1,
            title=title("claims", lang),
        )
        .resolve_scale(x="independent", y="independent")
    )
    return tag(chart, lang)
