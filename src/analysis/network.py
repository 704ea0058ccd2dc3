"""Actor relationships as a network: who negotiated, fought, surrendered, mediated, rejected.

:func:`build_graph` turns a case's dated, typed, signed relations into a
``networkx.MultiDiGraph`` (one edge per relation row, keyed by relation_id).
:func:`signed_projection` collapses it to a weighted signed simple graph, on
which :func:`metrics`, :func:`balance` and the layouts work.  Phases come from
the events table: :func:`phase_snapshots` builds one graph per phase and
:func:`phase_changes` compares consecutive ones.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import combinations, pairwise
from typing import TYPE_CHECKING, Any

import networkx as nx
import pandas as pd

from .i18n import LANGS, localized
from .window import overlaps

if TYPE_CHECKING:  # pragma: no cover
    from .cases import Case

LAYOUT_SEED = 42
COMMUNITY_SEED = 42
BETWEENNESS_SEED = 42
EXACT_BETWEENNESS_MAX = 500  # actors; above this, betweenness is estimated from BETWEENNESS_PIVOTS sources
BETWEENNESS_PIVOTS = 100
MAX_DRAWN_ACTORS = 40  # charts draw at most this many actors (the most connected)
CAMPS = ("government", "rebel")


def relation_types(case: Case) -> tuple[str, ...]:
    """The relation vocabulary, read from the case's data package."""
    from .vocab import enum

    return tuple(str(r) for r in enum(case.package, "relations", "relation"))


def _select(rel: pd.DataFrame, relations: str | Iterable[str] | None, known: tuple[str, ...]) -> pd.DataFrame:
    if relations is None or relations == "all":
        return rel
    if relations == "cooperative":
        return rel[rel["sign"] > 0]
    if relations == "hostile":
        return rel[rel["sign"] < 0]
    wanted = [r.strip() for r in relations.split(",")] if isinstance(relations, str) else list(relations)
    unknown = sorted(set(wanted) - set(known))
    if unknown:
        raise ValueError(f"unknown relation types {unknown}; known: {', '.join(known)}")
    return rel[rel["relation"].astype(str).isin(wanted)]


def relation_phases(case: Case) -> pd.Series:
    """Phase of each relation (indexed by relation_id).

    A relation takes its event's phase; one without an event takes, among the
    phases whose dated events span its first day, the one that began last
    (phases overlap at their edges).  Undated relations have no phase.
    """
    ev = case.events.set_index("event_id")
    rel = case.relations.set_index("relation_id")
    phase = rel["event_id"].map(ev["phase"].astype(str))
    windows = phase_windows(case)
    for rid in phase[phase.isna()].index:
        start = rel.at[rid, "date_start"]
        if pd.isna(start):
            continue
        spanning = [(lo, p) for p, (lo, hi) in windows.items() if lo <= start <= hi]
        if spanning:
            phase[rid] = max(spanning)[1]
    return phase


def phase_windows(case: Case) -> dict[str, tuple[pd.Timestamp, pd.Timestamp]]:
    """First and last day of each phase, from its day- and range-precision events (in phase order)."""
    ev = case.events
    precise = ev[ev["date_precision"].astype(str).isin(["day", "range"])]
    out = {}
    for p in ev["phase"].cat.categories:
        sub = precise[precise["phase"] == p]
        if sub.empty:
            sub = ev[ev["phase"] == p]
        if not sub.empty:
            out[str(p)] = (sub["date_start"].min(), sub["date_end"].max())
    return out


def build_graph(
    case: Case, start: str | None = None, end: str | None = None, relations: str | Iterable[str] | None = None
) -> nx.MultiDiGraph:
    """Actors and their relations as a MultiDiGraph.

    Nodes carry ``name_<lang>`` for every language of :data:`analysis.i18n.LANGS` (English where the case has
    no translation), ``actor_type``, ``side`` and ``acled_inter``.
    Each relation row overlapping [start, end] (undated rows are always kept) is
    an edge keyed by its relation_id with ``relation``, ``sign``, ``directed``,
    dates, ``event_id``, ``phase`` and ``source_ids``.  ``relations`` keeps
    ``all``, ``cooperative`` (sign > 0), ``hostile`` (sign < 0) or the listed types.
    """
    g = nx.MultiDiGraph(case=case.case_id)
    names = {lang: dict(zip(case.actors["actor_id"], localized(case.actors, "name", lang), strict=True)) for lang in LANGS}
    for a in case.actors.sort_values("actor_id").itertuples(index=False):
        g.add_node(
            a.actor_id,
            **{f"name_{lang}": names[lang][a.actor_id] for lang in LANGS},
            actor_type=str(a.actor_type),
            side=str(a.side),
            acled_inter=None if pd.isna(a.acled_inter) else int(a.acled_inter),
        )
    rel = _select(case.relations, relations, relation_types(case))
    rel = rel[overlaps(rel, "date_start", "date_end", start, end)]
    phases = {k: v for k, v in relation_phases(case).items() if isinstance(v, str)}
    for r in rel.sort_values("relation_id").itertuples(index=False):
        g.add_edge(
            r.source_actor,
            r.target_actor,
            key=r.relation_id,
            relation=str(r.relation),
            sign=int(r.sign),
            directed=bool(r.directed),
            date_start=_iso(r.date_start),
            date_end=_iso(r.date_end),
            event_id=None if pd.isna(r.event_id) else r.event_id,
            phase=phases.get(r.relation_id) if isinstance(phases.get(r.relation_id), str) else None,
            source_ids=r.source_ids,
        )
    return g


def _iso(value: Any) -> str | None:
    return None if pd.isna(value) else pd.Timestamp(value).date().isoformat()


def induced(g: nx.MultiDiGraph, nodes: Iterable[str]) -> nx.MultiDiGraph:
    """A copy of ``g`` on ``nodes``, nodes and edges inserted in sorted order (never in hash order)."""
    keep = sorted(set(nodes))
    inside = set(keep)
    h = nx.MultiDiGraph(**{k: v for k, v in g.graph.items() if k != "_projection"})
    h.add_nodes_from((n, g.nodes[n]) for n in keep)
    h.add_edges_from(
        sorted(((u, v, k, d) for u, v, k, d in g.edges(keys=True, data=True) if u in inside and v in inside), key=lambda e: e[2])
    )
    return h


def active(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The graph without actors that have no relation in it."""
    return induced(g, [n for n in g if g.degree(n) > 0])


def signed_projection(g: nx.MultiDiGraph) -> nx.Graph:
    """Undirected simple graph: ``weight`` = number of relations, ``sign_sum``, ``sign`` = sign of the sum.

    ``relations`` lists the relation ids behind each edge, ``types`` their relation types and
    ``sources`` their source ids.  The projection is kept on ``g`` (graphs are not changed
    after :func:`build_graph`), so metrics, balance and charts compute it once.
    """
    key = (g.number_of_nodes(), g.number_of_edges())
    cached = g.graph.get("_projection")
    if cached is not None and cached[0] == key:
        return cached[1]
    s = nx.Graph()
    s.add_nodes_from(g.nodes(data=True))
    for u, v, k, d in sorted(g.edges(keys=True, data=True), key=lambda e: e[2]):
        a, b = sorted((u, v))
        if s.has_edge(a, b):
            e = s[a][b]
            e["weight"] += 1
            e["sign_sum"] += d["sign"]
            e["relations"].append(k)
            e["types"].append(d["relation"])
            e["sources"].update(str(d.get("source_ids") or "").split(";"))
        else:
            s.add_edge(
                a,
                b,
                weight=1,
                sign_sum=d["sign"],
                relations=[k],
                types=[d["relation"]],
                sources=set(str(d.get("source_ids") or "").split(";")),
            )
    for _, _, e in s.edges(data=True):
        e["sign"] = (e["sign_sum"] > 0) - (e["sign_sum"] < 0)
    g.graph["_projection"] = (key, s)
    return s


def _ordered(s: nx.Graph, nodes: Iterable[str]) -> nx.Graph:
    """A copy of ``s`` induced on ``nodes``, with nodes and edges inserted in sorted order.

    networkx subgraph views iterate some node sets in hash order, which changes
    between processes; seeded algorithms (layouts, Louvain) need a fixed order.
    """
    keep = sorted(set(nodes))
    h = nx.Graph()
    h.add_nodes_from((n, s.nodes[n]) for n in keep)
    inside = set(keep)
    h.add_edges_from(sorted((min(u, v), max(u, v), d) for u, v, d in s.edges(data=True) if u in inside and v in inside))
    return h


def brokers(s: nx.Graph, camps: tuple[str, str] = CAMPS) -> dict[str, bool]:
    """An actor is a broker when it has non-hostile ties (sign >= 0) to actors of both camps.

    Fighting both camps is not brokerage: hostile ties do not count.
    """
    side = nx.get_node_attributes(s, "side")
    out = {}
    for n in s.nodes:
        sides = {side.get(m) for m in s.neighbors(n) if s[n][m]["sign"] >= 0}
        out[n] = all(c in sides for c in camps)
    return out


def communities(s: nx.Graph, seed: int = COMMUNITY_SEED) -> dict[str, int]:
    """Louvain communities of the active actors (fixed seed), numbered by size then by first member."""
    sub = _ordered(s, [n for n in s if s.degree(n) > 0])
    if sub.number_of_edges() == 0:
        return {n: -1 for n in s}
    groups = nx.community.louvain_communities(sub, weight="weight", seed=seed)
    groups = sorted((sorted(c) for c in groups), key=lambda c: (-len(c), c[0]))
    out = {n: -1 for n in s}
    for i, members in enumerate(groups):
        for n in members:
            out[n] = i
    return out


def metrics(g: nx.MultiDiGraph, seed: int = COMMUNITY_SEED) -> pd.DataFrame:
    """One row per actor with at least one relation, sorted by actor_id.

    ``degree``: distinct actors tied to; ``in_degree`` / ``out_degree``: directed
    relations received / made (undirected ones count in neither); ``relations``:
    all relation rows; ``positive`` / ``negative``: signed ties in the
    projection; ``betweenness`` (normalised, unweighted projection);
    ``eigenvector`` centrality (weighted projection); ``broker``; ``community``.

    Exact betweenness costs O(actors x ties); above ``EXACT_BETWEENNESS_MAX``
    actors it is estimated from ``BETWEENNESS_PIVOTS`` seeded source actors.
    """
    s = signed_projection(g)
    act = [n for n in sorted(s) if s.degree(n) > 0]
    sub = _ordered(s, act)
    pivots = None if len(act) <= EXACT_BETWEENNESS_MAX else BETWEENNESS_PIVOTS
    btw = nx.betweenness_centrality(sub, k=pivots, normalized=True, seed=BETWEENNESS_SEED) if act else {}
    pr = nx.eigenvector_centrality(sub, weight="weight", max_iter=1000, tol=1e-6) if sub.number_of_edges() else {}
    brk = brokers(s)
    com = communities(s, seed)
    rows = []
    for n in act:
        d_in = sum(1 for _, _, d in g.in_edges(n, data=True) if d["directed"])
        d_out = sum(1 for _, _, d in g.out_edges(n, data=True) if d["directed"])
        signs = [s[n][m]["sign"] for m in s.neighbors(n)]
        rows.append(
            {
                "actor_id": n,
                **{f"name_{lang}": g.nodes[n].get(f"name_{lang}") for lang in LANGS},
                "actor_type": g.nodes[n].get("actor_type"),
                "side": g.nodes[n].get("side"),
                "degree": s.degree(n),
                "in_degree": d_in,
                "out_degree": d_out,
                "relations": g.degree(n),
                "positive": sum(1 for x in signs if x > 0),
                "negative": sum(1 for x in signs if x < 0),
                "betweenness": round(btw.get(n, 0.0), 6),
                "eigenvector": round(pr.get(n, 0.0), 4),
                "broker": brk[n],
                "community": com[n],
            }
        )
    cols = [
        "actor_id",
        *[f"name_{lang}" for lang in LANGS],
        "actor_type",
        "side",
        "degree",
        "in_degree",
        "out_degree",
        "relations",
        "positive",
        "negative",
        "betweenness",
        "eigenvector",
        "broker",
        "community",
    ]
    return pd.DataFrame(rows, columns=cols)


def balance(g: nx.MultiDiGraph | nx.Graph) -> dict[str, Any]:
    """Structural balance of the signed triads (triangles whose three ties are all non-zero).

    A triad is balanced when the product of its signs is positive (+++ or +--).
    Returns ``triads`` (DataFrame a, b, c, sign_ab, sign_ac, sign_bc, balanced),
    ``n_triads``, ``balanced_share`` (None without triads) and ``unbalanced``
    (list of actor triples).
    """
    s = signed_projection(g) if isinstance(g, nx.MultiDiGraph) else g
    signed = nx.Graph((u, v, d) for u, v, d in s.edges(data=True) if d["sign"] != 0)
    rows = []
    for a in sorted(signed):
        for b, c in combinations(sorted(n for n in signed[a] if n > a), 2):
            if signed.has_edge(b, c):
                sab, sac, sbc = signed[a][b]["sign"], signed[a][c]["sign"], signed[b][c]["sign"]
                rows.append({"a": a, "b": b, "c": c, "sign_ab": sab, "sign_ac": sac, "sign_bc": sbc, "balanced": sab * sac * sbc > 0})
    triads = pd.DataFrame(rows, columns=["a", "b", "c", "sign_ab", "sign_ac", "sign_bc", "balanced"])
    n = len(triads)
    return {
        "triads": triads,
        "n_triads": n,
        "balanced_share": None if n == 0 else round(float(triads["balanced"].mean()), 4),
        "unbalanced": [tuple(r) for r in triads.loc[~triads["balanced"], ["a", "b", "c"]].itertuples(index=False)],
    }


def phase_snapshots(g: nx.MultiDiGraph, phases: Iterable[str]) -> dict[str, nx.MultiDiGraph]:
    """One graph per phase (in the order given) holding that phase's relations; empty phases are kept."""
    out = {}
    for p in phases:
        h = nx.MultiDiGraph(phase=p)
        h.add_nodes_from(g.nodes(data=True))
        h.add_edges_from((u, v, k, d) for u, v, k, d in g.edges(keys=True, data=True) if d.get("phase") == p)
        out[p] = h
    return out


def edge_set(g: nx.MultiDiGraph | nx.Graph) -> set[tuple[str, str]]:
    """Undirected actor pairs that are tied in ``g``."""
    return {tuple(sorted((u, v))) for u, v in g.edges()}


def phase_changes(snapshots: dict[str, nx.MultiDiGraph]) -> pd.DataFrame:
    """Edges gained and lost between consecutive non-empty phases, and their Jaccard similarity."""
    rows = []
    names = [p for p, h in snapshots.items() if h.number_of_edges() > 0]
    for a, b in pairwise(names):
        ea, eb = edge_set(snapshots[a]), edge_set(snapshots[b])
        union = ea | eb
        rows.append(
            {
                "from_phase": a,
                "to_phase": b,
                "edges_from": len(ea),
                "edges_to": len(eb),
                "gained": len(eb - ea),
                "lost": len(ea - eb),
                "kept": len(ea & eb),
                "jaccard": round(len(ea & eb) / len(union), 4) if union else None,
                "gained_pairs": "; ".join(f"{u}--{v}" for u, v in sorted(eb - ea)),
                "lost_pairs": "; ".join(f"{u}--{v}" for u, v in sorted(ea - eb)),
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "from_phase",
            "to_phase",
            "edges_from",
            "edges_to",
            "gained",
            "lost",
            "kept",
            "jaccard",
            "gained_pairs",
            "lost_pairs",
        ],
    )


def ego(g: nx.MultiDiGraph, actor: str, radius: int = 1) -> nx.MultiDiGraph:
    """The actor, the actors within ``radius`` ties of it (either direction), and the relations among them."""
    if actor not in g:
        raise KeyError(f"unknown actor {actor!r}")
    und = nx.Graph(g.to_undirected(as_view=True))
    near = nx.single_source_shortest_path_length(und, actor, cutoff=radius)
    return induced(g, near)


def layout(g: nx.MultiDiGraph | nx.Graph, seed: int = LAYOUT_SEED) -> dict[str, tuple[float, float]]:
    """Positions of the active actors, with a fixed seed and rounded, so charts do not move between runs.

    The largest connected group gets a spring layout in [-1, 1]; smaller groups
    get their own, scaled by their size, in a row beneath it.
    """
    s = signed_projection(g) if isinstance(g, nx.MultiDiGraph) else g
    act = sorted(n for n in s if s.degree(n) > 0)
    if not act:
        return {}
    h = _ordered(s, act)
    comps = sorted((sorted(c) for c in nx.connected_components(h)), key=lambda c: (-len(c), c[0]))
    pos: dict[str, tuple[float, float]] = {}
    x_next = -1.0
    for i, comp in enumerate(comps):
        sub = _ordered(h, comp)
        scale = 1.0 if i == 0 else max(0.15, (len(comp) / len(comps[0])) ** 0.5)
        k = 3.0 / max(len(comp), 1) ** 0.5
        raw = nx.spring_layout(sub, seed=seed, weight="weight", k=k, iterations=300) if len(comp) > 1 else {comp[0]: (0.0, 0.0)}
        xs = [p[0] for p in raw.values()]
        ys = [p[1] for p in raw.values()]
        cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
        span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9) / 2
        for n, (x, y) in raw.items():
            px, py = (x - cx) / span * scale, (y - cy) / span * scale
            if i == 0:
                pos[n] = (px, py)
            else:
                pos[n] = (x_next + scale + px, -1.35 - scale + py)
        if i > 0:
            x_next += 2 * scale + 0.3
    return {n: (round(float(x), 4), round(float(y), 4)) for n, (x, y) in sorted(pos.items())}


def focus(g: nx.MultiDiGraph, k: int = MAX_DRAWN_ACTORS) -> nx.MultiDiGraph:
    """The graph itself if it has at most ``k`` active actors, else the ``k`` most connected and their relations.

    Actors are ranked by distinct partners, then relations, then id, so the
    choice is stable.  Charts draw this view: a chart never holds more than it can show.
    """
    act = [n for n in g if g.degree(n) > 0]
    if len(act) <= k:
        return active(g)
    s = signed_projection(g)
    ranked = sorted(act, key=lambda n: (-s.degree(n), -g.degree(n), n))[:k]
    return induced(g, ranked)


def edges_table(g: nx.MultiDiGraph, lang: str = "en") -> pd.DataFrame:
    """Relations of ``g`` as a table (sorted by relation_id), with actor names in ``lang``."""
    names = nx.get_node_attributes(g, f"name_{lang}")
    rows = [
        {
            "relation_id": k,
            "source_actor": u,
            "target_actor": v,
            "source_name": names.get(u, u),
            "target_name": names.get(v, v),
            **{f: d[f] for f in ("relation", "sign", "directed", "date_start", "date_end", "phase", "event_id", "source_ids")},
        }
        for u, v, k, d in g.edges(keys=True, data=True)
    ]
    cols = [
        "relation_id",
        "source_actor",
        "target_actor",
        "source_name",
        "target_name",
        "relation",
        "sign",
        "directed",
        "date_start",
        "date_end",
        "phase",
        "event_id",
        "source_ids",
    ]
    return pd.DataFrame(rows, columns=cols).sort_values("relation_id").reset_index(drop=True)


def summary(case: Case, g: nx.MultiDiGraph, top: int = 5, metrics_table: pd.DataFrame | None = None) -> dict[str, Any]:
    """Key figures for ``summary.json``: actors, relations, top betweenness, balance, phases and changes.

    Pass ``metrics_table`` (from :func:`metrics`) to avoid computing it again.
    """
    m = metrics(g) if metrics_table is None else metrics_table
    b = balance(g)
    phases = active_phases(case, g)
    snaps = phase_snapshots(g, phases)
    changes = phase_changes(snaps)
    top_b = m.sort_values(["betweenness", "actor_id"], ascending=[False, True]).head(top)
    return {
        "case": case.case_id,
        "actors": int((m["relations"] > 0).sum()),
        "relations": g.number_of_edges(),
        "top_betweenness": [{"actor_id": r.actor_id, "betweenness": r.betweenness} for r in top_b.itertuples()],
        "brokers": sorted(m.loc[m["broker"], "actor_id"]),
        "communities": int(m["community"].nunique()),
        "balanced_share": b["balanced_share"],
        "triads": b["n_triads"],
        "unbalanced_triads": [list(t) for t in b["unbalanced"]],
        "phases": [{"phase": p, "relations": snaps[p].number_of_edges(), "ties": len(edge_set(snaps[p]))} for p in phases],
        "phase_changes": changes.drop(columns=["gained_pairs", "lost_pairs"]).to_dict("records"),
    }


def active_phases(case: Case, g: nx.MultiDiGraph) -> list[str]:
    """The case's phases (in order) that hold at least one relation of ``g``."""
    used = {d.get("phase") for *_, d in g.edges(data=True)}
    return [str(p) for p in case.events["phase"].cat.categories if p in used]


def busiest_phase(snapshots: dict[str, nx.MultiDiGraph]) -> str | None:
    """The phase with the most relations (the first such in phase order), None without phases."""
    if not snapshots:
        return None
    most = max(h.number_of_edges() for h in snapshots.values())
    return next(p for p, h in snapshots.items() if h.number_of_edges() == most)


def most_central(metrics_table: pd.DataFrame) -> str | None:
    """The actor with the highest betweenness (ties broken by actor_id), None without actors."""
    if metrics_table.empty:
        return None
    return str(metrics_table.sort_values(["betweenness", "actor_id"], ascending=[False, True])["actor_id"].iloc[0])
