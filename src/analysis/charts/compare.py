"""The charts of the comparison of cases: people who left, where they went, what the record contradicts."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

from .. import i18n
from ..views import case_heading
from .theme import DESTINATION_PALETTE, records, tag, title


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
            rows.append(
                {
                    "case": heads[r["case"]],
                    "kind": i18n.label(key, lang),
                    **{s: float(r[f"{kind}_{s}"]) for s in ("low", "best", "high")},
                }
            )
    return pd.DataFrame(rows, columns=["case", "kind", "low", "best", "high"])


def people(cmp: Any, lang: str = "en") -> alt.LayerChart:
    """People who left each case: the headline claims and the sum of the movements, best figure and low-high range."""
    df = records(people_frame(cmp, lang))
    kinds = [i18n.label("headline_kind", lang), i18n.label("movements_sum", lang)]
    color = alt.Color("kind:N", title=i18n.label("figure_kind", lang), scale=alt.Scale(domain=kinds, range=["#1f4e79", "#d95f02"]))
    y = alt.Y("case:N", title=None, axis=alt.Axis(labelLimit=320))
    y_off = alt.YOffset("kind:N", sort=kinds)
    tooltip = [alt.Tooltip("case:N", title=i18n.label("case", lang)), alt.Tooltip("kind:N", title=i18n.label("figure_kind", lang))]
    tooltip += [alt.Tooltip(f"{s}:Q", format=",.0f", title=i18n.label(s, lang)) for s in ("low", "best", "high")]
    rule = alt.Chart(df).mark_rule(strokeWidth=3).encode(y=y, yOffset=y_off, x="low:Q", x2="high:Q", color=color, tooltip=tooltip)
    x = alt.X("best:Q", title=i18n.label("people", lang), axis=alt.Axis(format=",.0f"), scale=alt.Scale(zero=True))
    point = alt.Chart(df).mark_point(filled=True, size=90).encode(y=y, yOffset=y_off, x=x, color=color, tooltip=tooltip)
    chart = alt.layer(rule, point, title=title("compare_people", lang)).properties(width=520, height=alt.Step(22))
    return tag(chart, lang)


def destinations(cmp: Any, lang: str = "en") -> alt.Chart:
    """Each case's people (best figures) by destination, as shares; a destination keeps one colour across cases."""
    heads = _headings(cmp, lang)
    d = cmp.destinations[cmp.destinations["people_best"] > 0]
    ids = sorted(set(d["destination_place_id"]))
    colors = {p: DESTINATION_PALETTE[i % len(DESTINATION_PALETTE)] for i, p in enumerate(ids)}
    names = {p: i18n.name(next(c for c in cmp.case_objects if p in set(c.places["place_id"])), "places", p, lang) for p in ids}
    df = d.assign(
        case_heading=d["case"].map(heads),
        destination=d["destination_place_id"].map(names),
    )[["case_heading", "destination", "destination_place_id", "people_best", "share"]]
    color = alt.Color(
        "destination:N",
        title=i18n.label("destination", lang),
        scale=alt.Scale(domain=[names[p] for p in ids], range=[colors[p] for p in ids]),
    )
    chart = (
        alt.Chart(records(df), title=title("compare_destinations", lang))
        .mark_bar()
        .encode(
            y=alt.Y("case_heading:N", title=None, axis=alt.Axis(labelLimit=320)),
            x=alt.X("share:Q", title=i18n.label("share", lang), axis=alt.Axis(format=".0%"), stack="zero"),
            color=color,
            order=alt.Order("destination_place_id:N"),
            tooltip=[
                alt.Tooltip("destination:N", title=i18n.label("destination", lang)),
                alt.Tooltip("people_best:Q", format=",.0f", title=i18n.label("people", lang)),
                alt.Tooltip("share:Q", format=".0%", title=i18n.label("share", lang)),
            ],
        )
        .properties(width=520, height=alt.Step(30))
    )
    return tag(chart, lang)


def contradictions(cmp: Any, lang: str = "en") -> alt.Chart:
    """How many contradictions of each kind the checks find in each case."""
    heads = _headings(cmp, lang)
    k = cmp.contradictions
    df = k.assign(case_heading=k["case"].map(heads), kind=[i18n.term("check", c, lang) for c in k["check"]])
    chart = (
        alt.Chart(records(df[["case_heading", "kind", "count"]]), title=title("compare_contradictions", lang))
        .mark_bar()
        .encode(
            y=alt.Y("kind:N", title=None, axis=alt.Axis(labelLimit=320)),
            yOffset=alt.YOffset("case_heading:N"),
            x=alt.X("count:Q", title=i18n.label("contradictions_n", lang), axis=alt.Axis(format="d", tickMinStep=1)),
            color=alt.Color("case_heading:N", title=i18n.label("case", lang), scale=alt.Scale(range=["#1b9e77", "#7570b3", "#e7298a"])),
            tooltip=[
                alt.Tooltip("case_heading:N", title=i18n.label("case", lang)),
                alt.Tooltip("kind:N", title=i18n.label("check", lang)),
                alt.Tooltip("count:Q", title=i18n.label("contradictions_n", lang)),
            ],
        )
        .properties(width=480, height=alt.Step(14))
    )
    return tag(chart, lang)
