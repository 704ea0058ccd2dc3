"""The charts of the network analysis: who dealt with whom, ties as a matrix, centrality, relations over time."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

from .. import i18n, vocab
from . import shaping
from .theme import (
    MAX_WIDTH,
    band_step,
    category_axis,
    plot_width,
    records,
    shape_scale,
    side_scale,
    sign_scale,
    tag,
    text_px,
    title,
)

WIDTH, HEIGHT = 620, 480
NAMES_PX = 300  # px: the column of actor names on the centrality chart, at most (longer names are wrapped over lines)
MATRIX_NAMES_PX = 260  # px: the column of actor names beside the adjacency matrix, long names wrapped over lines


def _drawn_note(shown: int, total: int, lang: str) -> list[str]:
    """The subtitle line saying a chart draws ``shown`` of the graph's ``total`` actors with a relation, if it does."""
    return [i18n.label("drawn_of", lang, shown=i18n.number(shown, lang), total=i18n.number(total, lang))] if shown < total else []


def node_link(
    g: Any,
    pos: dict[str, tuple[float, float]],
    lang: str = "en",
    metrics: pd.DataFrame | None = None,
    title_key: str = "network",
    subtitle: str = "",
) -> alt.LayerChart:
    """Actors at their fixed layout: colour = side, shape = actor type, size = partners; ties coloured by sign,
    as wide as their relations, with an arrowhead at each actor acted upon.  Labels never overlap and sit nearest
    their own node; brokers are labelled first, and actors that cannot be labelled are listed under the title.
    Counts have whole-number legends.  Only actors placed by ``pos`` are drawn, at most the chart's number (the most
    connected, :func:`analysis.network.focus`), and the subtitle says when that is not every actor with a relation.
    Click an actor to select it (interactive mode).
    """
    from ..network import focus, induced, n_active

    total = n_active(g)
    g = focus(induced(g, [n for n in pos if n in g]))  # the actors the layout places, at most the chart's number
    nodes = shaping.node_frame(g, {n: p for n, p in pos.items() if n in g}, lang, metrics, WIDTH, HEIGHT)
    notes = ([subtitle] if subtitle else []) + _drawn_note(len(nodes), total, lang)
    edges, heads = shaping.edge_frame(g, nodes, lang)
    xs = alt.Scale(domain=[0, WIDTH], nice=False, zero=False)
    ys = alt.Scale(domain=[HEIGHT, 0], nice=False, zero=False)
    x, y = alt.X("x:Q", axis=None, scale=xs), alt.Y("y:Q", axis=None, scale=ys)
    color_sign = alt.Color("sign_label:N", title=i18n.label("sign", lang), scale=sign_scale(lang))
    weights = shaping.integer_values(edges["weight"].min(), edges["weight"].max()) if len(edges) else [1]
    e = (
        alt.Chart(records(edges))
        .mark_rule(opacity=0.7)
        .encode(
            x=x,
            y=y,
            x2="x2:Q",
            y2="y2:Q",
            color=color_sign,
            strokeWidth=alt.StrokeWidth(
                "weight:Q",
                title=i18n.label("tie_relations", lang),
                scale=alt.Scale(range=[1.2, 5]),
                legend=alt.Legend(values=weights, format="d") if len(edges) else None,
            ),
            tooltip=[
                alt.Tooltip("u:N", title=i18n.label("actor", lang)),
                alt.Tooltip("v:N", title=i18n.label("actor", lang)),
                alt.Tooltip("relations:N", title=i18n.label("relation", lang)),
                alt.Tooltip("ids:N", title="id"),
                alt.Tooltip("sources:N", title=i18n.label("sources", lang)),
            ],
        )
    )
    arrows = (
        alt.Chart(records(heads.rename(columns={"ax": "x", "ay": "y"})))
        .mark_point(shape="triangle-up", filled=True, size=45, opacity=0.9)
        .encode(x=x, y=y, angle=alt.Angle("angle:Q", scale=None), color=alt.Color("sign_label:N", scale=sign_scale(lang), legend=None))
    )
    pick = alt.selection_point(name="actor", fields=["actor_id"])
    present_types = vocab.vocabulary("actor_type").ordered(nodes["actor_type"])
    degrees = shaping.integer_values(nodes["degree"].min(), nodes["degree"].max()) if len(nodes) else [1]
    data = records(nodes.assign(x=nodes["px"], y=nodes["py"], lxp=nodes["lx"], lyp=nodes["ly"]))
    n = (
        alt.Chart(data)
        .mark_point(filled=True, opacity=0.95, stroke="white", strokeWidth=1)
        .encode(
            x=x,
            y=y,
            color=alt.Color("side_label:N", title=i18n.label("side", lang), scale=side_scale(lang, set(nodes["side"]))),
            shape=alt.Shape("type_label:N", title=i18n.label("actor_type", lang), scale=shape_scale(lang, present_types)),
            size=alt.Size(
                "degree:Q",
                title=i18n.label("ties", lang),
                scale=alt.Scale(range=list(shaping.SIZE_RANGE), zero=False),
                legend=alt.Legend(values=degrees, format="d") if len(nodes) else None,
            ),
            opacity=alt.condition(pick, alt.value(0.95), alt.value(0.3)),
            tooltip=[
                alt.Tooltip("name:N", title=i18n.label("actor", lang)),
                alt.Tooltip("type_label:N", title=i18n.label("actor_type", lang)),
                alt.Tooltip("side_label:N", title=i18n.label("side", lang)),
                alt.Tooltip("degree:Q", title=i18n.label("ties", lang)),
                alt.Tooltip("betweenness:Q", format=".3f", title=i18n.label("betweenness", lang)),
            ],
        )
        .add_params(pick)
    )
    labelled = data[data["labelled"]]
    texts = [
        alt.Chart(labelled[labelled["align"] == a])
        .mark_text(fontSize=10, color="#222", align=a, baseline="alphabetic", lineBreak="\n", lineHeight=shaping.LINE_HEIGHT)
        .encode(x=alt.X("lxp:Q", axis=None, scale=xs), y=alt.Y("lyp:Q", axis=None, scale=ys), text="label:N")
        for a in ("center", "left", "right")
        if (labelled["align"] == a).any()
    ]
    rest = sorted(nodes.loc[~nodes["labelled"], "short"])
    if rest:
        notes.append(i18n.label("unlabelled", lang, names=", ".join(rest)))
    if len(heads):
        notes.append(i18n.label("directed_note", lang))
    if nodes.empty:
        notes.append(i18n.label("no_ties", lang))
    chart = alt.layer(e, arrows, n, *texts, title=title(title_key, lang, notes)).properties(width=WIDTH, height=HEIGHT)
    described = i18n.label("alt_network", lang, actors=i18n.label("n_actors", lang, n=len(nodes)))
    return tag(chart.resolve_scale(color="independent", size="independent"), lang, described)


def adjacency(g: Any, lang: str = "en", order: list[str] | None = None) -> alt.Chart:
    """Actor x actor matrix of the sum of tie signs (both directions), with the relations in the tooltip."""
    from ..network import focus, n_active, signed_projection

    total = n_active(g)
    g = focus(g)
    s = signed_projection(g)
    act = order or sorted(n for n in s if s.degree(n) > 0)
    notes = _drawn_note(len(act), total, lang)
    names = {n: str(g.nodes[n].get(f"name_{lang}", n)).split(" (")[0] for n in act}  # short names, as on the network
    rows = []
    for u, v, d in sorted((min(a, b), max(a, b), d) for a, b, d in s.edges(data=True)):
        if u in names and v in names:
            kinds = ", ".join(sorted({i18n.term("relation", t, lang) for t in d["types"]}))
            for a, b in ((u, v), (v, u)):
                rows.append({"a": names[a], "b": names[b], "sign_sum": d["sign_sum"], "weight": d["weight"], "relations": kinds})
    df = pd.DataFrame(rows, columns=["a", "b", "sign_sum", "weight", "relations"]).sort_values(["a", "b"])
    number = {names[n]: i + 1 for i, n in enumerate(act)}  # columns are numbered as the rows, whose names are wrapped
    rows_named = {name: f"{i} {name}" for name, i in number.items()}
    df = df.assign(col=df["a"].map(number), row=df["b"].map(rows_named))
    order = [rows_named[names[n]] for n in act]
    step = band_step(order, MATRIX_NAMES_PX, least=16)
    lim = max(1, int(df["sign_sum"].abs().max()) if len(df) else 1)
    notes.append(i18n.label("matrix_numbered", lang))
    if df.empty:
        notes.append(i18n.label("no_ties", lang))
    chart = (
        alt.Chart(df, title=title("adjacency", lang, notes))
        .mark_rect(stroke="white", strokeWidth=0.5)
        .encode(
            x=alt.X(
                "col:O",
                sort=list(number.values()),
                scale=alt.Scale(domain=list(number.values())),
                title=None,
                axis=alt.Axis(labelAngle=0, orient="top"),
            ),
            y=alt.Y("row:N", sort=order, scale=alt.Scale(domain=order), title=None, axis=category_axis(order, MATRIX_NAMES_PX)),
            color=alt.Color(
                "sign_sum:Q",
                title=i18n.label("sign", lang),
                scale=alt.Scale(scheme="redblue", domain=[-lim, lim]),
                legend=alt.Legend(values=shaping.integer_values(-lim, lim, most=5), format="d"),
            ),
            tooltip=[
                alt.Tooltip("a:N", title=i18n.label("actor", lang)),
                alt.Tooltip("b:N", title=i18n.label("actor", lang)),
                alt.Tooltip("sign_sum:Q", title=i18n.label("sign", lang)),
                alt.Tooltip("weight:Q", title=i18n.label("count", lang)),
                alt.Tooltip("relations:N", title=i18n.label("relation", lang)),
            ],
        )
        .properties(
            width=alt.Step(min(24, max(16, (MAX_WIDTH - MATRIX_NAMES_PX - 120) // max(len(act), 1)))), height=step * max(len(act), 1)
        )
    )
    return tag(chart, lang, i18n.label("alt_adjacency", lang, actors=i18n.label("n_actors", lang, n=len(act))))


def centrality_bars(metrics: pd.DataFrame, lang: str = "en", top: int = 12) -> alt.LayerChart:
    """Betweenness of the most central actors as a lollipop: colour = side and shape = actor type, as in the network.

    Names are the short ones of the network chart; ticks stand far enough apart that no two labels touch; when
    more actors have a tie than are shown, the subtitle says how many."""
    df = metrics.sort_values(["betweenness", "actor_id"], ascending=[False, True]).head(top)
    df = df.assign(
        name=[str(n).split(" (")[0] for n in df[f"name_{lang}"]],
        side_label=[i18n.term("side", v, lang) for v in df["side"]],
        type_label=[i18n.term("actor_type", v, lang) for v in df["actor_type"]],
        broker_label=[i18n.label("yes" if b else "no", lang) for b in df["broker"]],
    )[["actor_id", "name", "side", "side_label", "actor_type", "type_label", "betweenness", "degree", "broker_label"]]
    notes = [i18n.label("central_of", lang, shown=len(df), total=i18n.number(len(metrics), lang))] if len(df) < len(metrics) else []
    if df.empty:
        notes.append(i18n.label("no_ties", lang))
    side_title, type_title = i18n.label("side", lang), i18n.label("actor_type", lang)
    names_px = min(NAMES_PX, max([text_px(n) for n in df["name"]] or [60.0]))  # one line each, up to NAMES_PX
    width = plot_width(names_px)
    ticks = shaping.axis_ticks(float(df["betweenness"].max()) if len(df) else 0.0, width, 2)
    present_types = vocab.vocabulary("actor_type").ordered(df["actor_type"])
    y = alt.Y("name:N", sort=list(df["name"]), title=None, axis=category_axis(df["name"], names_px))
    color = alt.Color("side_label:N", title=side_title, scale=side_scale(lang, set(df["side"])))
    x_axis = alt.Axis(format=".2f", values=ticks, labelFlush=False, labelOverlap=True)
    x = alt.X("betweenness:Q", title=i18n.label("betweenness", lang), axis=x_axis, scale=alt.Scale(domain=[0, ticks[-1]], nice=False))
    stem = alt.Chart(df).mark_rule(strokeWidth=2, opacity=0.6).encode(y=y, x=x, x2=alt.datum(0), color=color)
    dot = (
        alt.Chart(df)
        .mark_point(filled=True, size=110, opacity=0.95)
        .encode(
            y=y,
            x=x,
            color=color,
            shape=alt.Shape(
                "type_label:N",
                title=type_title,
                scale=shape_scale(lang, present_types),
            ),
            tooltip=[
                alt.Tooltip("name:N", title=i18n.label("actor", lang)),
                alt.Tooltip("betweenness:Q", format=".3f", title=i18n.label("betweenness", lang)),
                alt.Tooltip("degree:Q", title=i18n.label("ties", lang)),
                alt.Tooltip("broker_label:N", title=i18n.label("broker", lang)),
            ],
        )
    )
    height = band_step(df["name"], names_px, least=20) * max(len(df), 1)
    chart = alt.layer(stem, dot, title=title("centrality", lang, notes)).properties(width=width, height=height)
    return tag(chart, lang, i18n.label("alt_centrality", lang, actors=i18n.label("n_actors", lang, n=len(df))))


def relations_over_time(edges: pd.DataFrame, lang: str = "en") -> alt.Chart:
    """Relations per phase, split by sign (phases in vocabulary order; undated relations left out, and counted)."""
    df = edges[edges["phase"].notna()]
    left = len(edges) - len(df)
    df = df.groupby(["phase", "sign", "relation"], as_index=False).size().rename(columns={"size": "count"})
    order = [i18n.term("phase", p, lang) for p in vocab.vocabulary("phase").ordered(df["phase"])]
    df = df.assign(
        phase_label=[i18n.term("phase", p, lang) for p in df["phase"]],
        sign_label=[i18n.term("sign", s, lang) for s in df["sign"]],
        relation_label=[i18n.term("relation", r, lang) for r in df["relation"]],
    )
    chart = (
        alt.Chart(df, title=title("relations_time", lang, i18n.label("undated_left_out", lang, n=left) if left else None))
        .mark_bar()
        .encode(
            x=alt.X("phase_label:N", sort=order, title=i18n.label("phase", lang), axis=alt.Axis(labelAngle=0)),
            y=alt.Y("sum(count):Q", title=i18n.label("count", lang), axis=alt.Axis(format="d", tickMinStep=1)),
            color=alt.Color("sign_label:N", title=i18n.label("sign", lang), scale=sign_scale(lang)),
            tooltip=[
                alt.Tooltip("phase_label:N", title=i18n.label("phase", lang)),
                alt.Tooltip("relation_label:N", title=i18n.label("relation", lang)),
                alt.Tooltip("sign_label:N", title=i18n.label("sign", lang)),
                alt.Tooltip("count:Q", title=i18n.label("count", lang)),
            ],
        )
        .properties(width=420, height=240)
    )
    return tag(chart, lang, i18n.label("alt_relations_time", lang))
