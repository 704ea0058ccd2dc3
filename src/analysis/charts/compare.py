"""The charts of the comparison of cases: people who left, where they went, what the record contradicts."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

from .. import i18n
from ..views import case_heading
from .theme import (
    CATEGORY_COLORS,
    DESTINATION_PALETTE,
    band_step,
    category_axis,
    count_axis,
    legend,
    plot_width,
    records,
    tag,
    title,
)


def headings(cases: list[Any], lang: str) -> str:
    """The cases' headings in ``lang``, joined for a title ('Eastern Ghouta, ... · Eastern Qalamoun, ...')."""
    return " · ".join(case_heading(c, lang) for c in cases)


def _headings(cmp: Any, lang: str) -> dict[str, str]:
    """case id -> its heading in ``lang`` (the place and the window, from its data)."""
    return {c.case_id: case_heading(c, lang) for c in cmp.case_objects}


def people_frame(cmp: Any, lang: str) -> pd.DataFrame:
    """Two rows per case: the headline claims and the sum of the movements, low / best / high."""
    heads = _headings(cmp, lang)
    rows = []
    for r in cmp.cases.to_dict("records"):
        for kind, key in (("people_claimed", "headline_kind"), ("people_movements", "movements_sum")):
            if r[f"{kind}_best"] is None or pd.isna(r[f"{kind}_best"]):
                continue
            opened = bool(r.get(f"{kind}_high_open"))
            high = r[f"{kind}_high"]
            rows.append(
                {
                    "case": heads[r["case"]],
                    "kind": i18n.label(key, lang),
                    "low": float(r[f"{kind}_low"]),
                    "best": float(r[f"{kind}_best"]),
                    "high": float(high) if high is not None and not pd.isna(high) else float(r[f"{kind}_best"]),
                    "open": opened,
                    "high_text": i18n.number(high, lang) + ("+" if opened else "") if high is not None else i18n.label("unknown", lang),
                }
            )
    return pd.DataFrame(rows, columns=["case", "kind", "low", "best", "high", "open", "high_text"])


ROW_PX = 230  # the column of the comparison charts' row labels (case headings, wrapped over lines)


def people(cmp: Any, lang: str = "en") -> alt.LayerChart:
    """People who left each case: the headline claims and the sum of the movements, best figure and low-high range."""
    frame = people_frame(cmp, lang)
    df = records(frame)
    plot_px = plot_width(ROW_PX)
    kinds = [i18n.label("headline_kind", lang), i18n.label("movements_sum", lang)]
    color = alt.Color(
        "kind:N",
        title=i18n.label("figure_kind", lang),
        scale=alt.Scale(domain=kinds, range=["#1f4e79", "#d95f02"]),
        legend=legend(i18n.label("figure_kind", lang), kinds, room=plot_px),
    )
    rows = list(dict.fromkeys(frame["case"]))
    y = alt.Y("case:N", title=None, sort=rows, axis=category_axis(rows, ROW_PX))
    y_off = alt.YOffset("kind:N", sort=kinds)
    tooltip = [alt.Tooltip("case:N", title=i18n.label("case", lang)), alt.Tooltip("kind:N", title=i18n.label("figure_kind", lang))]
    tooltip += [alt.Tooltip(f"{s}:Q", format=",.0f", title=i18n.label(s, lang)) for s in ("low", "best")]
    tooltip.append(alt.Tooltip("high_text:N", title=i18n.label("high", lang)))
    top = float(frame["high"].max()) * 1.06 if len(frame) else 1.0
    rule = alt.Chart(df).mark_rule(strokeWidth=3).encode(y=y, yOffset=y_off, x="low:Q", x2="high:Q", color=color, tooltip=tooltip)
    x = alt.X("best:Q", title=i18n.label("people", lang), axis=count_axis(width=plot_px), scale=alt.Scale(zero=True, domain=[0, top]))
    point = alt.Chart(df).mark_point(filled=True, size=90).encode(y=y, yOffset=y_off, x=x, color=color, tooltip=tooltip)
    # an open high (a movement with no figure, a source's "at least"): an arrow past the high
    arrow = (
        alt.Chart(df)
        .transform_filter("datum.open")
        .mark_point(shape="triangle-right", filled=True, size=70)
        .encode(y=y, yOffset=y_off, x="high:Q", color=color, tooltip=tooltip)
    )
    notes = [i18n.label("open_arrow", lang)] if bool(frame["open"].any()) else None
    step = max(band_step(rows, ROW_PX, least=44), 44)
    chart = alt.layer(rule, point, arrow, title=title("compare_people", lang, notes)).properties(width=plot_px, height=alt.Step(step // 2))
    return tag(chart, lang, i18n.label("alt_compare_people", lang))


def destinations(cmp: Any, lang: str = "en") -> alt.LayerChart:
    """Each case's share of people by destination as a range (least to most the figures allow), best marked where known.

    A destination keeps one colour across cases.  Where the unknowns could move a share by more than the margin, the
    range is drawn and the subtitle says no share is stated for it.
    """
    heads = _headings(cmp, lang)
    d = cmp.destinations
    ids = sorted(set(d["destination_place_id"]))
    colors = {p: DESTINATION_PALETTE[i % len(DESTINATION_PALETTE)] for i, p in enumerate(ids)}
    names = {p: i18n.name(next(c for c in cmp.case_objects if p in set(c.places["place_id"])), "places", p, lang) for p in ids}
    pct = lambda v: i18n.percent(v, lang) if v is not None and not pd.isna(v) else i18n.label("unknown", lang)  # noqa: E731
    df = d.assign(
        case_heading=d["case"].map(heads),
        destination=d["destination_place_id"].map(names),
        range_text=[f"{pct(a)}–{pct(b)}" for a, b in zip(d["share_least"], d["share_most"], strict=True)],
        row=[f"{heads[c]} · {names[p]}" for c, p in zip(d["case"], d["destination_place_id"], strict=True)],
    )[["case_heading", "destination", "destination_place_id", "row", "share_least", "share_best", "share_most", "stated", "range_text"]]
    color = alt.Color(
        "destination:N",
        title=i18n.label("destination", lang),
        scale=alt.Scale(domain=[names[p] for p in ids], range=[colors[p] for p in ids]),
        legend=legend(i18n.label("destination", lang), [names[p] for p in ids], room=plot_width(ROW_PX)),
    )
    tooltip = [
        alt.Tooltip("case_heading:N", title=i18n.label("case", lang)),
        alt.Tooltip("destination:N", title=i18n.label("destination", lang)),
        alt.Tooltip("range_text:N", title=i18n.label("share", lang)),
    ]
    rows = list(df["row"])
    plot_px = plot_width(ROW_PX)
    y = alt.Y("row:N", title=None, sort=rows, axis=category_axis(rows, ROW_PX))
    x = alt.X("share_least:Q", title=i18n.label("share", lang), axis=alt.Axis(format=".0%", tickCount=5), scale=alt.Scale(domain=[0, 1]))
    base = alt.Chart(records(df))
    rule = base.mark_rule(strokeWidth=6, opacity=0.55).encode(y=y, x=x, x2="share_most:Q", color=color, tooltip=tooltip)
    point = (
        base.transform_filter("datum.stated").mark_point(filled=True, size=70).encode(y=y, x="share_best:Q", color=color, tooltip=tooltip)
    )
    unstated = df.loc[~df["stated"], "row"].tolist()
    notes = [i18n.label("shares_unstated", lang, items="; ".join(unstated))] if unstated else None
    step = band_step(rows, ROW_PX, least=20)
    chart = alt.layer(rule, point, title=title("compare_destinations", lang, notes)).properties(
        width=plot_px, height=step * max(len(rows), 1)
    )
    return tag(chart, lang, i18n.label("alt_compare_destinations", lang))


def contradictions(cmp: Any, lang: str = "en") -> alt.Chart:
    """How many contradictions of each kind the checks find in each case."""
    heads = _headings(cmp, lang)
    k = cmp.contradictions
    df = k.assign(case_heading=k["case"].map(heads), kind=[i18n.term("check", c, lang) for c in k["check"]])
    plot_px = plot_width(ROW_PX)
    kinds = list(dict.fromkeys(df["kind"]))
    cases = list(dict.fromkeys(df["case_heading"]))
    step = max(band_step(kinds, ROW_PX, least=18), 14 * max(len(cases), 1) + 4)
    chart = (
        alt.Chart(records(df[["case_heading", "kind", "count"]]), title=title("compare_contradictions", lang))
        .mark_bar()
        .encode(
            y=alt.Y("kind:N", title=None, sort=kinds, axis=category_axis(kinds, ROW_PX)),
            yOffset=alt.YOffset("case_heading:N"),
            x=alt.X("count:Q", title=i18n.label("contradictions_n", lang), axis=count_axis(width=plot_px)),
            color=alt.Color(
                "case_heading:N",
                title=i18n.label("case", lang),
                scale=alt.Scale(domain=cases, range=CASE_COLORS[: len(cases)] if len(cases) <= len(CASE_COLORS) else CATEGORY_COLORS),
                legend=legend(i18n.label("case", lang), cases, room=plot_px),
            ),
            tooltip=[
                alt.Tooltip("case_heading:N", title=i18n.label("case", lang)),
                alt.Tooltip("kind:N", title=i18n.label("check", lang)),
                alt.Tooltip("count:Q", title=i18n.label("contradictions_n", lang)),
            ],
        )
        .properties(width=plot_px, height=step * max(len(kinds), 1))
    )
    return tag(chart, lang, i18n.label("alt_compare_contradictions", lang))


CASE_COLORS = ["#1b9e77", "#7570b3", "#e7298a"]  # the cases in the comparison of contradictions
