"""The charts of the flows analysis: convoys on the calendar, people over time, by destination, and the claims."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import altair as alt
import pandas as pd

from .. import i18n
from . import shaping
from .theme import (
    BAND_COLOR,
    LINE_COLOR,
    SCENARIO_COLOR,
    band_step,
    category_axis,
    count_axis,
    date_span,
    destination_scale,
    distinct_styles,
    legend,
    plot_width,
    records,
    room_for_text,
    scale,
    tag,
    time_axis,
    title,
)

if TYPE_CHECKING:  # pragma: no cover
    from ..cases import Case


def convoy_gantt(case: Case, mt: pd.DataFrame, lang: str = "en") -> alt.LayerChart:
    """Each movement from departure to arrival, coloured by destination; click one to select it (interactive mode).

    Rows are the movements' names wrapped over lines; each bar's figure is written beside it, after its end where there
    is room and before its start otherwise (:func:`shaping.gantt_text_sides`), inside the frame either way.
    """
    plot_px = plot_width(LABELS_PX)
    df = shaping.gantt_frame(case, mt, lang)
    notes = []
    if len(df) < len(mt):
        notes.append(i18n.label("shown_of", lang, shown=len(df), total=len(mt)))
    undated = df[~df["dated"]]
    if len(undated):
        notes.append(i18n.label("unknown", lang).capitalize() + ": " + i18n.join(undated["movement"], lang, "list"))
    df, (first, last) = shaping.gantt_text_sides(df, plot_px)
    cols = ["movement_id", "movement", "origin", "destination", "destination_place_id", "depart_text", "arrive_text", "start"]
    data = records(df[[*cols, "end_plus", "people_range", "buses_range", "basis", "text_after"]])
    order = list(dict.fromkeys(data["movement"]))
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
    destinations = [i18n.name(case, "places", p, lang) for p in dict.fromkeys(df["destination_place_id"].dropna())]
    base = alt.Chart(data).encode(
        y=alt.Y("movement:N", sort=order, title=None, axis=category_axis(order, LABELS_PX)),
        color=alt.Color(
            "destination:N",
            title=i18n.label("destination", lang),
            scale=destination_scale(case, lang, df["destination_place_id"]),
            legend=legend(i18n.label("destination", lang), destinations, room=plot_px),
        ),
        tooltip=tooltip,
    )
    x = alt.X(
        "start:T",
        title=i18n.label("date", lang),
        scale=alt.Scale(domain=[first.strftime("%Y-%m-%d"), last.strftime("%Y-%m-%d")], nice=False),
        axis=time_axis(lang, first, last, plot_px),
    )
    bars = (
        base.mark_bar(height=14, cornerRadius=3)
        .encode(x=x, x2="end_plus:T", opacity=alt.condition(pick, alt.value(1.0), alt.value(0.35)))
        .add_params(pick)
    )
    after = base.transform_filter("datum.text_after").mark_text(align="left", dx=4, fontSize=10, color="#333")
    before = base.transform_filter("!datum.text_after").mark_text(align="right", dx=-4, fontSize=10, color="#333")
    texts = [after.encode(x="end_plus:T", text="people_range:N"), before.encode(x="start:T", text="people_range:N")]
    height = band_step(order, LABELS_PX, least=24) * max(len(order), 1)
    chart = alt.layer(bars, *texts, title=title("gantt", lang, notes)).properties(width=plot_px, height=height)
    described = i18n.label("alt_gantt", lang, movements=i18n.label("n_movements", lang, n=len(df)))
    return tag(chart, lang, described)


def cumulative_chart(mt: pd.DataFrame, lang: str = "en", scenario: str = "best") -> alt.LayerChart:
    """People who had left (all destinations): low-high band, best line, the chosen scenario dashed.

    The subtitle names what the chart cannot show: movements with no date (not drawn), and the day from which a
    movement with no figure leaves the high open.
    """
    total, notes = shaping.cumulative_frame(mt, lang, scenario)
    df = records(total)
    plot_px = plot_width()
    subtitle = [f"{i18n.label('scenario', lang)}: {i18n.term('scenario', scenario, lang)}", *notes]
    first, last = date_span(total["date"].min() if len(total) else None, total["date"].max() if len(total) else None)
    x = alt.X("date:T", title=i18n.label("date", lang), axis=time_axis(lang, first, last, plot_px))
    base = alt.Chart(df).encode(x=x)
    tooltip = [
        alt.Tooltip("date_text:N", title=i18n.label("date", lang)),
        alt.Tooltip("range_text:N", title=i18n.label("cumulative_people", lang)),
    ]
    band = base.mark_area(color=BAND_COLOR, opacity=0.5, interpolate="step-after").encode(
        y=alt.Y("people_low:Q", title=i18n.label("cumulative_people", lang), axis=count_axis(tickCount=6)), y2="people_high:Q"
    )
    line = base.mark_line(color=LINE_COLOR, interpolate="step-after", strokeWidth=2).encode(y="people_best:Q")
    chosen = base.mark_line(color=SCENARIO_COLOR, interpolate="step-after", strokeDash=[5, 3]).encode(y="scenario_value:Q")
    points = base.mark_point(color=LINE_COLOR, size=30, filled=True).encode(y="people_best:Q", tooltip=tooltip)
    chart = alt.layer(band, line, chosen, points, title=title("cumulative", lang, subtitle)).properties(width=plot_px, height=260)
    return tag(chart, lang, i18n.label("alt_cumulative", lang))


def destination_bars(case: Case, mt: pd.DataFrame, lang: str = "en") -> alt.LayerChart:
    """People by destination: the known figures split by how they are known, the low-high range as a line, and the
    movements with no figure named beside the bar (never drawn as 0).  The scale leaves room for that text."""
    by, rng = shaping.destination_frame(case, mt, lang)
    plot_px = plot_width(DESTINATION_PX)
    order = list(rng["destination"])
    present = list(dict.fromkeys(by["people_basis"]))
    top = room_for_text(rng["label_x"], rng["range_text"], plot_px)
    y = alt.Y("destination:N", sort=order, title=None, axis=category_axis(order, DESTINATION_PX))
    bases = [i18n.term("people_basis", b, lang) for b in vocab_order("people_basis", present)]
    bars = (
        alt.Chart(records(by))
        .mark_bar()
        .encode(
            y=y,
            x=alt.X("people_best:Q", title=i18n.label("people", lang), axis=count_axis(width=plot_px), scale=alt.Scale(domain=[0, top])),
            color=alt.Color(
                "basis:N",
                title=i18n.label("basis", lang),
                scale=scale("people_basis", "colors", lang, present),
                legend=legend(i18n.label("basis", lang), bases, room=plot_px),
            ),
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
    err = alt.Chart(records(rng)).mark_rule(color="#222", strokeWidth=1.5).encode(y=y, x="people_low:Q", x2="people_high:Q", tooltip=tip)
    label = alt.Chart(records(rng)).mark_text(align="left", dx=6, fontSize=10, color="#333").encode(y=y, x="label_x:Q", text="range_text:N")
    height = band_step(order, DESTINATION_PX, least=28) * max(len(order), 1)
    chart = alt.layer(bars, err, label, title=title("by_destination", lang)).properties(width=plot_px, height=height)
    described = i18n.label("alt_destinations", lang, destinations=i18n.label("n_destinations", lang, n=len(order)))
    return tag(chart, lang, described)


DESTINATION_PX = 200  # the column of the destination chart's row labels


def vocab_order(kind: str, present: Any) -> list[str]:
    """The values of vocabulary ``kind`` among ``present``, in the vocabulary's order."""
    from .. import vocab

    return vocab.vocabulary(kind).ordered(present)


CLAIM_COLUMNS = ["subject_label", "shown_x", "originator", "claim_ids", "side_label", "basis_label", "sources", "shown_text", "n", "n_text"]
LABELS_PX = 230  # the column of the claims chart's and the Gantt chart's row labels (wrapped over lines)


def _claim_styles(case: Case, claims: pd.DataFrame, lang: str) -> tuple[alt.Scale, alt.Scale, list[str]]:
    """Colour and mark scales of the originators drawn, by name in ``lang``: one (colour, mark) pair each, no two alike,
    given by key in :func:`shaping.originator_order` (the same in every language); and the names in that order."""
    order = shaping.originator_order(case, claims)
    styles = distinct_styles(order)
    names = dict(zip(claims["key"].astype(str), claims["originator"], strict=True))
    domain = [names[k] for k in order]
    color = alt.Scale(domain=domain, range=[styles[k][0] for k in order])
    shape = alt.Scale(domain=domain, range=[styles[k][1] for k in order])
    return color, shape, domain


def _edge_texts(rows: pd.DataFrame, lang: str) -> list[str | None]:
    """For each row of :func:`shaping.claims_panels`, the values its subject has beyond its panel's edge, written out
    ('130,000 →'); None where it has none."""
    texts: dict[tuple[str, str], str] = {}
    for key, group in rows[rows["beyond"]].groupby(["panel", "subject_label"]):
        cols = ("shown", "low", "best", "high")
        values = sorted({float(v) for c in cols for v, b in zip(group[c], group[f"{c}_beyond"], strict=True) if b})
        texts[key] = i18n.label("beyond_edge", lang, values=i18n.join([i18n.number(v, lang) for v in values], lang, "list"))
    return [texts.get((p, s)) for p, s in zip(rows["panel"], rows["subject_label"], strict=True)]


def _claims_panel(
    rows: pd.DataFrame, title_text: str, lang: str, scales: tuple[alt.Scale, alt.Scale, list[str]], plot_px: int
) -> alt.LayerChart:
    """One panel of the claims chart (a quantity, a kind of subject): the ranges, best ticks, claims and edge arrows."""
    color_scale, shape_scale_, names = scales
    order = list(dict.fromkeys(rows.sort_values("order")["subject_label"]))
    y = alt.Y("subject_label:N", sort=order, title=None, axis=category_axis(order, LABELS_PX))
    domain_max = float(rows["domain_max"].iloc[0])
    x = alt.X(
        "low_x:Q",
        title=None,  # the panel's heading names the quantity
        scale=alt.Scale(domain=[0, domain_max], nice=False, zero=True),
        axis=count_axis(width=plot_px),
    )
    tip_range = [
        alt.Tooltip("subject_label:N", title=i18n.label("subject", lang)),
        alt.Tooltip("low_text:N", title=i18n.label("low", lang)),
        alt.Tooltip("best_text:N", title=i18n.label("best", lang)),
        alt.Tooltip("high_text:N", title=i18n.label("high", lang)),
    ]
    ranges = rows.loc[rows["layer"] == "range", ["subject_label", "low_x", "best_x", "high_x", "low_text", "best_text", "high_text"]]
    claims = rows.loc[rows["layer"] == "claim", [*CLAIM_COLUMNS, "hollow"]]
    claims = claims.assign(hollow=claims["hollow"].astype(bool))
    rng = alt.Chart(records(ranges)).mark_rule(color="#bbb", strokeWidth=7, opacity=0.6).encode(y=y, x=x, x2="high_x:Q", tooltip=tip_range)
    best = alt.Chart(records(ranges)).mark_tick(color="#333", thickness=2, size=14).encode(y=y, x="best_x:Q", tooltip=tip_range)
    legend_ = legend(i18n.label("claimed_by", lang), names, room=plot_px)
    tip = [
        alt.Tooltip("claim_ids:N", title=i18n.label("claim", lang)),
        alt.Tooltip("originator:N", title=i18n.label("claimed_by", lang)),
        alt.Tooltip("side_label:N", title=i18n.label("side", lang)),
        alt.Tooltip("basis_label:N", title=i18n.label("claim_basis", lang)),
        alt.Tooltip("sources:N", title=i18n.label("sources", lang)),
        alt.Tooltip("shown_text:N", title=i18n.label("value", lang)),
        alt.Tooltip("n:Q", title=i18n.label("claims_n", lang)),
    ]
    enc = {
        "y": y,
        "x": alt.X("shown_x:Q"),
        "color": alt.Color("originator:N", title=i18n.label("claimed_by", lang), scale=color_scale, legend=legend_),
        "shape": alt.Shape("originator:N", title=i18n.label("claimed_by", lang), scale=shape_scale_, legend=legend_),
        "tooltip": tip,
    }
    filled = alt.Chart(records(claims.loc[~claims["hollow"], CLAIM_COLUMNS])).mark_point(size=70, filled=True, opacity=0.9).encode(**enc)
    hollow = (
        alt.Chart(records(claims.loc[claims["hollow"], CLAIM_COLUMNS]))
        .mark_point(size=70, filled=False, strokeWidth=1.8, opacity=0.95)
        .encode(**enc)
    )
    count = (
        alt.Chart(records(claims.loc[claims["n"] > 1, ["subject_label", "shown_x", "n_text"]]))
        .mark_text(align="left", dx=7, dy=-7, fontSize=10, color="#333")
        .encode(y=y, x="shown_x:Q", text="n_text:N")
    )
    edge = rows[rows["beyond"]].drop_duplicates("subject_label")
    layers = [rng, best, filled, hollow, count]
    if len(edge):
        base = alt.Chart(records(edge[["subject_label", "domain_max", "beyond_values"]].rename(columns={"beyond_values": "edge_text"})))
        layers.append(base.mark_point(shape="triangle-right", filled=True, size=90, color="#222", xOffset=8).encode(y=y, x="domain_max:Q"))
        layers.append(
            base.mark_text(align="right", dx=-8, dy=-10, fontSize=10, color="#222").encode(y=y, x="domain_max:Q", text="edge_text:N")
        )
    step = band_step(order, LABELS_PX, least=20)
    return alt.layer(*layers, title=alt.TitleParams(title_text, fontSize=12, fontWeight=600)).properties(
        width=plot_px, height=step * max(len(order), 1)
    )


def claims_dotplot(
    case: Case, figs: pd.DataFrame, lang: str = "en", quantities: tuple[str, ...] = ("people", "fighters", "civilians", "buses")
) -> alt.VConcatChart:
    """Every numeric claim per subject and quantity, coloured and shaped by who made it, over the reconciled range.

    Each quantity has a panel for each kind of subject (the whole case and its places, events, movements), with a scale
    of its own that follows its bulk: a figure far beyond the others is drawn at the panel's edge with an arrow and its
    value (:func:`shaping.claims_panels`).  Filled marks were reported, hollow ones announced; identical claims are one
    mark with their count beside it.  Every originator has a colour and mark of its own (:func:`distinct_styles`).
    """
    from .. import vocab
    from ..flows import numeric_claims

    claims = shaping.claims_frame(case, numeric_claims(case), lang, quantities)
    plan = vocab.vocabulary("claim_basis").roles.get("plan", "expected")
    sides = case.tables["originators"].set_index("originator_id")["side"].astype(str)
    claims = claims.assign(
        hollow=claims["basis"].astype(str) == plan,
        side_label=[i18n.term("originator_side", sides.get(k.partition("@")[0]), lang) for k in claims["key"].astype(str)],
        shown_text=[i18n.number(v, lang) for v in claims["shown"]],
    )
    f = figs[figs["quantity"].isin(quantities) & figs["subject"].isin(set(claims["subject"]))]
    labels = shaping.subject_labels(case, lang)
    ranges = f[["subject", "quantity", "low", "best", "high"]].assign(
        subject_label=f["subject"].map(labels).fillna(f["subject"]),
        **{f"{c}_text": [i18n.number(v, lang) for v in f[c]] for c in ("low", "best", "high")},
    )
    plot_px = plot_width(LABELS_PX)
    rows = shaping.claims_panels(case, claims, ranges, plot_px)
    rows["order"] = [shaping.subject_sort(s) for s in rows["subject"]]
    rows["beyond_values"] = _edge_texts(rows, lang)
    scales = _claim_styles(case, claims, lang)
    panels = []
    for q in quantities:
        for kind in shaping.SUBJECT_KINDS:
            part = rows[rows["panel"] == f"{q}|{kind}"]
            if len(part[part["layer"] == "claim"]):
                heading = i18n.label("claims_panel", lang, quantity=i18n.label(q, lang), kind=i18n.label(f"subjects_{kind}", lang))
                panels.append(_claims_panel(part, heading, lang, scales, plot_px))
    notes = [i18n.label("claims_fill", lang)]
    if rows["beyond"].any():
        notes.append(i18n.label("claims_beyond", lang, ratio=i18n.number(shaping.OUTLIER_RATIO, lang)))
    described = i18n.label("alt_claims", lang, figures=i18n.label("n_figures", lang, n=int(claims["n"].sum())))
    chart = alt.vconcat(*panels, title=title("claims", lang, notes), spacing=18).resolve_scale(
        x="independent", y="independent", color="shared", shape="shared"
    )
    return tag(chart, lang, described)
