"""Actor relationships as a network: who negotiated, fought, surrendered, mediated, rejected.

:func:`build_graph` turns a case's dated, typed, signed relations into a
``networkx.MultiDiGraph`` (one edge per relation row, keyed by relation_id).
:func:`signed_projection` collapses it to a weighted signed simple graph, on
which :func:`balance` and the layouts work.  Phases come from the events table:
:func:`phase_snapshots` builds one graph per phase and :func:`phase_changes`
compares consecutive ones.

Speed.  :func:`metrics`, :func:`balance`, :func:`focus` and :func:`summary` read
the graph once into integer arrays (:class:`Ties`, kept on the graph like the
projection) and count with numpy.  Betweenness, triangles and the communities of
large graphs use python-igraph (:func:`fast_backend`) where it is installed, and
networkx where it is not (or where ``$QALAMOUN_NETWORK_BACKEND`` is ``networkx``):

- betweenness: the same Brandes counts from the same seeded source actors, to the
  last digits (tests compare the two);
- triangles: the same triads;
- communities: networkx's Louvain (fixed seed) up to ``NX_LOUVAIN_MAX`` active
  actors whatever the backend, so no case of that size changes with it; above,
  igraph's multilevel Louvain (fixed seed), a different random stream that can
  group some actors differently;
- eigenvector centrality: networkx's power iteration, written with numpy.

:func:`layout` places the drawn actors (a stress layout from a seeded spring
layout); :func:`focus` picks the actors a chart can hold.  The last section gives
the notebook its words: which narrative block states a result, and names in place
of ids (:func:`balance_words`, :func:`central_words`, :func:`metrics_view`,
:func:`summary_view`).
"""

from __future__ import annotations

import gc
import math
import os
import random
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import combinations, pairwise
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np
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
NX_LOUVAIN_MAX = 2_000  # active actors; up to this many, communities come from networkx's Louvain whatever the backend
MAX_DRAWN_ACTORS = 40  # charts draw at most this many actors (the most connected)
CAMPS = ("government", "rebel")
BACKEND_ENV = "QALAMOUN_NETWORK_BACKEND"  # "networkx": compute everything with networkx (slower; the reference)


def fast_backend() -> Any | None:
    """python-igraph, or None where it is not installed or ``$QALAMOUN_NETWORK_BACKEND`` is ``networkx``."""
    if os.environ.get(BACKEND_ENV, "").strip().lower() == "networkx":
        return None
    try:
        import igraph
    except ImportError:  # pragma: no cover - igraph is a dependency; the fallback is tested by switching it off
        return None
    return igraph


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
    (phases overlap at their edges; at the same first day, the later name).
    Undated relations have no phase.
    """
    ev = case.events.set_index("event_id")
    rel = case.relations.set_index("relation_id")
    phase = rel["event_id"].map(ev["phase"].astype(str)).astype(object)
    start = rel["date_start"]
    free = phase.isna() & start.notna()
    for p, (lo, hi) in sorted(phase_windows(case).items(), key=lambda w: (w[1][0], w[0])):
        phase[free & (start >= lo) & (start <= hi)] = p  # later starts overwrite earlier ones
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


@contextmanager
def _bulk() -> Iterator[None]:
    """Pause the cyclic garbage collector while a graph's many small dicts are made (none of them is garbage): at
    100,000 relations its passes over the growing heap cost a quarter of the build."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


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
    with _bulk():
        return _build(case, start, end, relations)


def _build(case: Case, start: str | None, end: str | None, relations: str | Iterable[str] | None) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph(case=case.case_id)
    a = case.actors.sort_values("actor_id")
    inter = [None if pd.isna(v) else int(v) for v in a["acled_inter"].tolist()]
    names = [[str(x) for x in localized(a, "name", lang)] for lang in LANGS]
    kinds = ([str(x) for x in a[c].tolist()] for c in ("actor_type", "side"))
    cols = zip(a["actor_id"].tolist(), *kinds, inter, *names, strict=True)
    g.add_nodes_from(
        (n, {"actor_type": t, "side": s, "acled_inter": i, **{f"name_{lang}": nm for lang, nm in zip(LANGS, words, strict=True)}})
        for n, t, s, i, *words in cols
    )
    rel = _select(case.relations, relations, relation_types(case))
    rel = rel[overlaps(rel, "date_start", "date_end", start, end)].sort_values("relation_id")
    attrs = _edge_attributes(case, rel)
    data = [dict(zip(attrs, row, strict=True)) for row in zip(*attrs.values(), strict=True)]
    src, tgt = rel["source_actor"].tolist(), rel["target_actor"].tolist()
    g.add_edges_from(zip(src, tgt, rel["relation_id"].tolist(), data, strict=True))
    at = pd.Index(sorted(g))
    arrays = (np.asarray(attrs["sign"], dtype=np.int64), np.asarray(attrs["directed"], dtype=bool), np.array(attrs["phase"], dtype=object))
    g.graph["_ties"] = (_size(g), _make_ties(list(at), at.get_indexer(src), at.get_indexer(tgt), *arrays))  # read once, here
    return g


def _edge_attributes(case: Case, rel: pd.DataFrame) -> dict[str, list[Any]]:
    """The attributes of each relation's edge, column by column (plain Python values; None where missing)."""
    phase = rel["relation_id"].map(relation_phases(case))
    return {
        "relation": [str(x) for x in rel["relation"].tolist()],
        "sign": rel["sign"].astype(int).tolist(),
        "directed": rel["directed"].astype(bool).tolist(),
        "date_start": _iso_days(rel["date_start"]),
        "date_end": _iso_days(rel["date_end"]),
        "event_id": rel["event_id"].astype(object).where(rel["event_id"].notna(), None).tolist(),
        "phase": [p if isinstance(p, str) else None for p in phase.tolist()],
        "source_ids": rel["source_ids"].tolist(),
    }


def _iso_days(values: pd.Series) -> list[str | None]:
    """Each value as an ISO day ('2018-04-22'), None where missing."""
    days = pd.to_datetime(values)
    return days.dt.strftime("%Y-%m-%d").astype(object).where(days.notna(), None).tolist()


def _plain_graph_attrs(g: nx.Graph) -> dict[str, Any]:
    return {k: v for k, v in g.graph.items() if not str(k).startswith("_")}


def induced(g: nx.MultiDiGraph, nodes: Iterable[str]) -> nx.MultiDiGraph:
    """A copy of ``g`` on ``nodes``, nodes and edges inserted in sorted order (never in hash order)."""
    keep = sorted(set(nodes))
    inside = set(keep)
    h = nx.MultiDiGraph(**_plain_graph_attrs(g))
    h.add_nodes_from((n, g.nodes[n]) for n in keep)
    within = ((u, v, k, d) for u in keep for v, kd in g.succ[u].items() if v in inside for k, d in kd.items())
    h.add_edges_from(sorted(within, key=lambda e: e[2]))
    return h


def active(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The graph without actors that have no relation in it."""
    return induced(g, [n for n in g if g.degree(n) > 0])


def _size(g: nx.Graph) -> tuple[int, int]:
    """Actors and relations of ``g``: the key under which results computed from ``g`` are kept on it.

    Counted on the adjacency itself: networkx's ``number_of_edges`` walks the degree views, ten times slower.
    """
    adj = g._adj  # the adjacency dict behind g.adj
    if g.is_multigraph() and g.is_directed():
        edges = sum(len(keys) for nbrs in adj.values() for keys in nbrs.values())
    else:
        edges = g.number_of_edges()
    return (len(adj), edges)


def signed_projection(g: nx.MultiDiGraph) -> nx.Graph:
    """Undirected simple graph: ``weight`` = number of relations, ``sign_sum``, ``sign`` = sign of the sum.

    ``relations`` lists the relation ids behind each edge, ``types`` their relation types and
    ``sources`` their source ids.  The projection is kept on ``g`` (graphs are not changed
    after :func:`build_graph`), so balance and charts compute it once.
    """
    key = _size(g)
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


# ---------------------------------------------------------------------------
# The graph as arrays


@dataclass(frozen=True)
class Ties:
    """A graph's relations and its signed projection as arrays; actors numbered 0..n-1 in sorted id order.

    Per relation: ``u``, ``v`` (source, target), ``sign``, ``directed``, ``phase`` and ``tie`` (its row in the
    tie arrays).  Per tie (a pair of actors, ``a <= b``, sorted by (a, b); a pair with itself is a tie too, as in
    the projection): ``a``, ``b``, ``weight`` (relations), ``sign_sum`` and ``sign`` (the sign of the sum).
    """

    nodes: list[Any]
    u: np.ndarray
    v: np.ndarray
    sign: np.ndarray
    directed: np.ndarray
    phase: np.ndarray
    tie: np.ndarray
    a: np.ndarray
    b: np.ndarray
    weight: np.ndarray
    sign_sum: np.ndarray

    @property
    def n(self) -> int:
        return len(self.nodes)

    @property
    def tie_sign(self) -> np.ndarray:
        return np.sign(self.sign_sum)

    def partners(self) -> np.ndarray:
        """Each actor's degree in the projection: distinct partners (a tie with itself counts twice, as in networkx)."""
        return _count(self.a, self.n) + _count(self.b, self.n)

    def relations(self) -> np.ndarray:
        """Each actor's relations, made or received (a relation with itself counts twice, as in networkx)."""
        return _count(self.u, self.n) + _count(self.v, self.n)


def _count(idx: np.ndarray, n: int, weights: np.ndarray | None = None) -> np.ndarray:
    out = np.bincount(idx, weights=weights, minlength=n)
    return out if weights is not None else out.astype(np.int64)


def _make_ties(nodes: list[Any], u: np.ndarray, v: np.ndarray, sign: np.ndarray, directed: np.ndarray, phase: np.ndarray) -> Ties:
    n = max(len(nodes), 1)
    lo, hi = np.minimum(u, v), np.maximum(u, v)
    keys, tie = np.unique(lo * n + hi, return_inverse=True)
    sums = np.bincount(tie, weights=sign, minlength=len(keys)) if len(keys) else np.zeros(0)
    return Ties(
        nodes=nodes,
        u=u,
        v=v,
        sign=sign,
        directed=directed,
        phase=phase,
        tie=tie.reshape(-1),
        a=keys // n,
        b=keys % n,
        weight=np.bincount(tie, minlength=len(keys)).astype(np.int64),
        sign_sum=np.rint(sums).astype(np.int64),
    )


def ties(g: nx.MultiDiGraph) -> Ties:
    """The relations of ``g`` as :class:`Ties`, computed once and kept on ``g`` (like the projection)."""
    key = _size(g)
    cached = g.graph.get("_ties")
    if cached is not None and cached[0] == key:
        return cached[1]
    nodes = sorted(g)
    index = {x: i for i, x in enumerate(nodes)}
    rows = [(index[x], index[y], int(d["sign"]), bool(d["directed"])) for x, y, d in g.edges(data=True)]
    arr = np.array(rows, dtype=np.int64).reshape(-1, 4)
    phase = np.array([d.get("phase") for *_, d in g.edges(data=True)], dtype=object)
    out = _make_ties(nodes, arr[:, 0], arr[:, 1], arr[:, 2], arr[:, 3].astype(bool), phase)
    g.graph["_ties"] = (key, out)
    return out


def _projection_ties(s: nx.Graph) -> Ties:
    """A signed simple graph (a projection, or one built by hand) as :class:`Ties`: one relation per edge, its
    ``weight`` (default 1) and ``sign`` (default 0) kept."""
    nodes = sorted(s)
    index = {x: i for i, x in enumerate(nodes)}
    rows = [(index[x], index[y], int(d.get("sign", 0)), int(d.get("weight", 1))) for x, y, d in s.edges(data=True)]
    arr = np.array(rows, dtype=np.int64).reshape(-1, 4)
    t = _make_ties(nodes, arr[:, 0], arr[:, 1], arr[:, 2], np.zeros(len(arr), bool), np.full(len(arr), None, dtype=object))
    weight = np.zeros(len(t.a), np.int64)
    weight[t.tie] = arr[:, 3]
    return Ties(**{**t.__dict__, "weight": weight})


def _as_ties(g: nx.MultiDiGraph | nx.Graph) -> Ties:
    return ties(g) if g.is_multigraph() else _projection_ties(g)


def _simple_graph(t: Ties, keep: np.ndarray) -> nx.Graph:
    """The projection on the actors ``keep`` (indices, ascending) with ``weight``, nodes and edges in sorted order.

    networkx subgraph views iterate some node sets in hash order, which changes between
    processes; seeded algorithms (Louvain, the networkx betweenness) need a fixed order.
    """
    h = nx.Graph()
    h.add_nodes_from(t.nodes[i] for i in keep)
    inside = np.zeros(t.n, bool)
    inside[keep] = True
    sel = inside[t.a] & inside[t.b]
    h.add_edges_from((t.nodes[x], t.nodes[y], {"weight": int(w)}) for x, y, w in zip(t.a[sel], t.b[sel], t.weight[sel], strict=True))
    return h


def _ordered(s: nx.Graph, nodes: Iterable[str]) -> nx.Graph:
    """A copy of ``s`` induced on ``nodes``, with nodes and edges inserted in sorted order."""
    keep = sorted(set(nodes))
    h = nx.Graph()
    h.add_nodes_from((n, s.nodes[n]) for n in keep)
    inside = set(keep)
    h.add_edges_from(sorted((min(u, v), max(u, v), d) for u, v, d in s.edges(data=True) if u in inside and v in inside))
    return h


# ---------------------------------------------------------------------------
# Measures


def _broker_mask(t: Ties, side: list[Any], camps: tuple[str, ...]) -> np.ndarray:
    """Per actor: non-hostile ties (sign >= 0) to actors of every camp."""
    ok = t.tie_sign >= 0
    two = ok & (t.a != t.b)
    me = np.concatenate([t.a[ok], t.b[two]])
    other = np.concatenate([t.b[ok], t.a[two]])
    sides = np.array(side, dtype=object)
    out = np.ones(t.n, bool)
    for camp in camps:
        hit = np.zeros(t.n, bool)
        hit[me[sides[other] == camp]] = True
        out &= hit
    return out


def brokers(s: nx.Graph, camps: tuple[str, str] = CAMPS) -> dict[str, bool]:
    """An actor is a broker when it has non-hostile ties (sign >= 0) to actors of both camps.

    Fighting both camps is not brokerage: hostile ties do not count.
    """
    t = _projection_ties(s)
    mask = _broker_mask(t, [s.nodes[n].get("side") for n in t.nodes], camps)
    found = dict(zip(t.nodes, mask.tolist(), strict=True))
    return {n: found[n] for n in s.nodes}


def _number_groups(t: Ties, groups: Iterable[Iterable[int]]) -> np.ndarray:
    """Community of each actor: groups numbered by size, then by first member; -1 outside every group."""
    ordered = sorted((sorted(c) for c in groups), key=lambda c: (-len(c), c[0]))
    out = np.full(t.n, -1, np.int64)
    for i, members in enumerate(ordered):
        out[members] = i
    return out


def _communities(t: Ties, seed: int) -> np.ndarray:
    act = np.flatnonzero(t.partners() > 0)
    if len(t.a) == 0:
        return np.full(t.n, -1, np.int64)
    ig = fast_backend()
    if len(act) <= NX_LOUVAIN_MAX or ig is None:
        index = {x: i for i, x in enumerate(t.nodes)}
        groups = nx.community.louvain_communities(_simple_graph(t, act), weight="weight", seed=seed)
        return _number_groups(t, ([index[x] for x in c] for c in groups))
    h = ig.Graph(n=t.n, edges=np.column_stack([t.a, t.b]).tolist(), directed=False)
    ig.set_random_number_generator(random.Random(seed))
    try:
        member = np.array(h.community_multilevel(weights=t.weight.tolist()).membership)
    finally:
        ig.set_random_number_generator(random)
    return _number_groups(t, (act[member[act] == c] for c in np.unique(member[act])))


def communities(s: nx.Graph, seed: int = COMMUNITY_SEED) -> dict[str, int]:
    """Louvain communities of the active actors (fixed seed), numbered by size then by first member."""
    t = _projection_ties(s)
    found = dict(zip(t.nodes, _communities(t, seed).tolist(), strict=True))
    return {n: found[n] for n in s.nodes}


def _rescale(raw: np.ndarray, sources: list[int] | None) -> np.ndarray:
    """Normalised betweenness from Brandes' counts over ordered pairs (networkx >= 3.5's scaling).

    Exact: divided by (n-1)(n-2).  Estimated from ``k`` source actors: a source by (k-1)(n-2), since it
    cannot lie between itself and a target; any other actor by k(n-2).
    """
    n = len(raw)
    if n - 1 < 2:
        return raw
    if sources is None:
        return raw / ((n - 1) * (n - 2))
    k = len(sources)
    scale = np.full(n, 1 / (k * (n - 2)))
    scale[sources] = 1 / ((k - 1) * (n - 2)) if k > 1 else math.nan
    return raw * scale


def _betweenness(t: Ties, act: np.ndarray) -> np.ndarray:
    """Normalised betweenness of the actors ``act`` in the unweighted projection on them (in their order)."""
    m = len(act)
    k = None if m <= EXACT_BETWEENNESS_MAX or m == BETWEENNESS_PIVOTS else min(BETWEENNESS_PIVOTS, m)
    ig = fast_backend()
    if ig is None or m == 0:
        sub = _simple_graph(t, act)
        found = nx.betweenness_centrality(sub, k=k, normalized=True, seed=BETWEENNESS_SEED) if m else {}
        return np.array([found[t.nodes[i]] for i in act], dtype=float)
    pos = np.full(t.n, -1)
    pos[act] = np.arange(m)
    simple = t.a != t.b
    h = ig.Graph(n=m, edges=np.column_stack([pos[t.a[simple]], pos[t.b[simple]]]).tolist(), directed=False)
    # the source actors networkx draws: the same seeded sample of the same (sorted) actors
    sources = None if k is None else random.Random(BETWEENNESS_SEED).sample(range(m), k)
    counts = h.betweenness(directed=False) if sources is None else h.betweenness(directed=False, sources=sources)
    return _rescale(2 * np.asarray(counts, dtype=float), sources)  # igraph counts each undirected pair once


def _eigenvector(t: Ties, act: np.ndarray, max_iter: int = 1000, tol: float = 1e-6) -> np.ndarray:
    """networkx's ``eigenvector_centrality`` (power iteration on A + I, weights = relations) with numpy."""
    m = len(act)
    pos = np.full(t.n, -1)
    pos[act] = np.arange(m)
    two = t.a != t.b
    src = np.concatenate([pos[t.a], pos[t.b[two]]])
    dst = np.concatenate([pos[t.b], pos[t.a[two]]])
    w = np.concatenate([t.weight, t.weight[two]]).astype(float)
    x = np.full(m, 1.0 / m)
    for _ in range(max_iter):
        last = x
        x = last + np.bincount(dst, weights=last[src] * w, minlength=m)
        x = x / (math.hypot(*x.tolist()) or 1)
        if np.abs(x - last).sum() < m * tol:
            return x
    raise nx.PowerIterationFailedConvergence(max_iter)


METRIC_COLUMNS = [
    "actor_id",
    *(f"name_{lang}" for lang in LANGS),
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
    t = ties(g)
    degree = t.partners()
    act = np.flatnonzero(degree > 0)
    if not len(act):
        return pd.DataFrame([], columns=METRIC_COLUMNS)
    sign = t.tie_sign
    two = t.a != t.b
    node = [g.nodes[t.nodes[i]] for i in act]
    eig = _eigenvector(t, act)
    side = [g.nodes[n].get("side") for n in t.nodes]
    cols = {
        "actor_id": [t.nodes[i] for i in act],
        **{f"name_{lang}": [d.get(f"name_{lang}") for d in node] for lang in LANGS},
        "actor_type": [d.get("actor_type") for d in node],
        "side": [d.get("side") for d in node],
        "degree": degree[act],
        "in_degree": _count(t.v[t.directed], t.n)[act],
        "out_degree": _count(t.u[t.directed], t.n)[act],
        "relations": t.relations()[act],
        "positive": (_count(t.a[sign > 0], t.n) + _count(t.b[(sign > 0) & two], t.n))[act],
        "negative": (_count(t.a[sign < 0], t.n) + _count(t.b[(sign < 0) & two], t.n))[act],
        "betweenness": [round(x, 6) for x in _betweenness(t, act).tolist()],
        "eigenvector": [round(x, 4) for x in eig.tolist()],
        "broker": _broker_mask(t, side, CAMPS)[act],
        "community": _communities(t, seed)[act],
    }
    return pd.DataFrame(cols, columns=METRIC_COLUMNS)


def _triangles(t: Ties, keep: np.ndarray) -> np.ndarray:
    """The triangles among the ties ``keep`` (a mask, no tie of an actor with itself): rows (x, y, z), x < y < z, sorted."""
    xa, xb = t.a[keep], t.b[keep]
    ig = fast_backend()
    if ig is not None:
        found = ig.Graph(n=t.n, edges=np.column_stack([xa, xb]).tolist(), directed=False).list_triangles()
        tri = np.sort(np.array(found, dtype=np.int64).reshape(-1, 3), axis=1)
    else:
        near: list[set[int]] = [set() for _ in range(t.n)]
        for x, y in zip(xa.tolist(), xb.tolist(), strict=True):
            near[x].add(y)
            near[y].add(x)
        rows = [(x, y, z) for x in range(t.n) for y, z in combinations(sorted(w for w in near[x] if w > x), 2) if z in near[y]]
        tri = np.array(rows, dtype=np.int64).reshape(-1, 3)
    return tri[np.lexsort((tri[:, 2], tri[:, 1], tri[:, 0]))]


def balance(g: nx.MultiDiGraph | nx.Graph) -> dict[str, Any]:
    """Structural balance of the signed triads (triangles whose three ties are all non-zero).

    A triad is balanced when the product of its signs is positive (+++ or +--).
    Returns ``triads`` (DataFrame a, b, c, sign_ab, sign_ac, sign_bc, balanced),
    ``n_triads``, ``balanced_share`` (None without triads: no share exists) and
    ``unbalanced`` (list of actor triples).
    """
    t = _as_ties(g)
    cols = ["a", "b", "c", "sign_ab", "sign_ac", "sign_bc", "balanced"]
    sign = t.tie_sign
    tri = _triangles(t, (sign != 0) & (t.a != t.b))
    if len(tri):
        keys = t.a * t.n + t.b
        pair = lambda x, y: sign[np.searchsorted(keys, x * t.n + y)]  # noqa: E731
        sab, sac, sbc = pair(tri[:, 0], tri[:, 1]), pair(tri[:, 0], tri[:, 2]), pair(tri[:, 1], tri[:, 2])
        names = np.array(t.nodes, dtype=object)
        triads = pd.DataFrame(
            {"a": names[tri[:, 0]], "b": names[tri[:, 1]], "c": names[tri[:, 2]], "sign_ab": sab, "sign_ac": sac, "sign_bc": sbc},
            columns=cols[:-1],
        ).assign(balanced=sab * sac * sbc > 0)
    else:
        triads = pd.DataFrame([], columns=cols)
    n = len(triads)
    return {
        "triads": triads,
        "n_triads": n,
        "balanced_share": None if n == 0 else round(float(triads["balanced"].mean()), 4),
        "unbalanced": [tuple(r) for r in triads.loc[~triads["balanced"].astype(bool), ["a", "b", "c"]].itertuples(index=False)],
    }


# ---------------------------------------------------------------------------
# Phases


def phase_snapshots(g: nx.MultiDiGraph, phases: Iterable[str]) -> dict[str, nx.MultiDiGraph]:
    """One graph per phase (in the order given) holding that phase's relations; empty phases are kept."""
    order = list(phases)
    bucket: dict[str, list[Any]] = {p: [] for p in order}
    for u, v, k, d in g.edges(keys=True, data=True):
        if d.get("phase") in bucket:
            bucket[d["phase"]].append((u, v, k, d))
    out = {}
    for p in order:
        h = nx.MultiDiGraph(phase=p)
        h.add_nodes_from(g.nodes(data=True))
        h.add_edges_from(bucket[p])
        out[p] = h
    return out


def edge_set(g: nx.MultiDiGraph | nx.Graph) -> set[tuple[str, str]]:
    """Undirected actor pairs that are tied in ``g``."""
    return {tuple(sorted((u, v))) for u, v in g.edges()}


CHANGE_COLUMNS = ["from_phase", "to_phase", "edges_from", "edges_to", "gained", "lost", "kept", "jaccard", "gained_pairs", "lost_pairs"]


def _changes(tied: dict[str, set[Any]], text: Callable[[set[Any]], str] | None) -> pd.DataFrame:
    """Ties gained and lost between consecutive phases of ``tied`` (phase -> its tied pairs, non-empty phases only);
    ``text`` writes a set of pairs for the ``gained_pairs`` / ``lost_pairs`` columns (None leaves them empty)."""
    rows = []
    for a, b in pairwise(tied):
        ea, eb = tied[a], tied[b]
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
                "gained_pairs": text(eb - ea) if text else None,
                "lost_pairs": text(ea - eb) if text else None,
            }
        )
    return pd.DataFrame(rows, columns=CHANGE_COLUMNS)


def _pairs_text(pairs: set[tuple[str, str]]) -> str:
    return "; ".join(f"{u}--{v}" for u, v in sorted(pairs))


def phase_changes(snapshots: dict[str, nx.MultiDiGraph]) -> pd.DataFrame:
    """Edges gained and lost between consecutive non-empty phases, and their Jaccard similarity."""
    return _changes({p: edge_set(h) for p, h in snapshots.items() if _size(h)[1] > 0}, _pairs_text)


def _phase_ties(g: nx.MultiDiGraph, phases: list[str]) -> dict[str, tuple[int, set[int]]]:
    """Per phase: its relations and its ties (as tie numbers of :func:`ties`), what :func:`phase_snapshots` and
    :func:`edge_set` give without building a graph per phase."""
    t = ties(g)
    return {p: (int((t.phase == p).sum()), set(t.tie[t.phase == p].tolist())) for p in phases}


# ---------------------------------------------------------------------------
# Views for charts and tables


def ego(g: nx.MultiDiGraph, actor: str | None, radius: int = 1) -> nx.MultiDiGraph:
    """The actor, the actors within ``radius`` ties of it (either direction), and the relations among them.

    No actor (None: an empty selection has no most central actor) gives an empty graph.
    """
    if actor is None:
        return nx.MultiDiGraph(**_plain_graph_attrs(g))
    if actor not in g:
        raise KeyError(f"unknown actor {actor!r}")
    near, frontier = {actor}, {actor}
    for _ in range(radius):
        frontier = {m for n in frontier for m in (*g.succ[n], *g.pred[n])} - near
        near |= frontier
    return induced(g, near)


STRESS_MAX = 300  # actors in one connected group; larger groups keep the spring layout alone


def _majorize(x: np.ndarray, d: np.ndarray, iterations: int = 300, tol: float = 1e-7) -> np.ndarray:
    """Stress majorization (SMACOF) from positions ``x``: page distances made to follow the graph distances ``d``
    (weighted 1/d^2, so that near actors are placed most exactly)."""
    w = np.zeros_like(d)
    off = d > 0
    w[off] = d[off] ** -2.0
    lap = -w
    np.fill_diagonal(lap, w.sum(axis=1))
    inv = np.linalg.pinv(lap)
    for _ in range(iterations):
        e = np.sqrt(((x[:, None, :] - x[None, :, :]) ** 2).sum(axis=-1))
        b = np.zeros_like(d)
        near = e > 1e-12
        b[near] = -w[near] * d[near] / e[near]
        np.fill_diagonal(b, 0.0)
        np.fill_diagonal(b, -b.sum(axis=1))
        new = inv @ (b @ x)
        done = np.abs(new - x).max() < tol
        x = new
        if done:
            break
    return x


def _group_layout(sub: nx.Graph, seed: int) -> dict[Any, tuple[float, float]]:
    """One connected group: a seeded spring layout, then stress majorization so that distances on the page follow
    the number of ties between actors (a hub's partners no longer crowd the middle while the rest spread out)."""
    nodes = list(sub)
    if len(nodes) == 1:
        return {nodes[0]: (0.0, 0.0)}
    start = nx.spring_layout(sub, seed=seed, weight="weight", k=3.0 / len(nodes) ** 0.5, iterations=300)
    if len(nodes) > STRESS_MAX:
        return {n: (float(p[0]), float(p[1])) for n, p in start.items()}
    hops = dict(nx.all_pairs_shortest_path_length(sub))
    d = np.array([[hops[a][b] for b in nodes] for a in nodes], dtype=float)
    x = _majorize(np.array([start[n] for n in nodes], dtype=float), d)
    return {n: (float(p[0]), float(p[1])) for n, p in zip(nodes, x, strict=True)}


FISHEYE = 0.6  # distances from a group's centre are raised to this power: a dense core opens up, a sparse rim draws in
GROUP_GAP = 0.3  # space between groups, in units of the largest group's half-width


def _fisheye(raw: dict[Any, tuple[float, float]]) -> dict[Any, tuple[float, float]]:
    """Positions moved along their ray from the group's centre (the mean position: where actors crowd) to radius
    R (r / R) ** FISHEYE (R: the largest r)."""
    xy = np.array(list(raw.values()), dtype=float)
    centre = xy.mean(axis=0)
    r = np.hypot(*(xy - centre).T)
    if r.max() < 1e-12:
        return raw
    factor = np.ones_like(r)
    out = r > 1e-12
    factor[out] = (r[out] / r.max()) ** FISHEYE * r.max() / r[out]
    moved = centre + (xy - centre) * factor[:, None]
    return {n: (float(x), float(y)) for n, (x, y) in zip(raw, moved, strict=True)}


def _framed(raw: dict[Any, tuple[float, float]], scale: float) -> dict[Any, tuple[float, float]]:
    """A group's positions centred on (0, 0), its wider axis spanning [-scale, scale]."""
    xs = [p[0] for p in raw.values()]
    ys = [p[1] for p in raw.values()]
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9) / 2
    return {n: ((x - cx) / span * scale, (y - cy) / span * scale) for n, (x, y) in raw.items()}


def layout(g: nx.MultiDiGraph | nx.Graph, seed: int = LAYOUT_SEED) -> dict[str, tuple[float, float]]:
    """Positions of the active actors, with a fixed seed and rounded, so charts do not move between runs.

    Each connected group gets its own layout (:func:`_group_layout`, then :func:`_fisheye`).  The largest is
    centred in [-1, 1]; smaller ones, scaled by sqrt(their size / the largest's) (at least 0.15), stand in
    columns to its right, top to bottom, a column holding what fits in the largest group's height (2), each
    column as wide as its widest group, ``GROUP_GAP`` between groups and between columns.
    """
    s = signed_projection(g) if isinstance(g, nx.MultiDiGraph) else g
    act = sorted(n for n in s if s.degree(n) > 0)
    if not act:
        return {}
    h = _ordered(s, act)
    comps = sorted((sorted(c) for c in nx.connected_components(h)), key=lambda c: (-len(c), c[0]))
    pos = dict(_framed(_fisheye(_group_layout(_ordered(h, comps[0]), seed)), 1.0))
    left, top, width = 1.0 + GROUP_GAP, 1.0, 0.0  # the current column's left edge, next free top, width so far
    for comp in comps[1:]:
        scale = max(0.15, (len(comp) / len(comps[0])) ** 0.5)
        if top - 2 * scale < -1.0 and top < 1.0:  # no room left in this column: start the next one
            left, top, width = left + width + GROUP_GAP, 1.0, 0.0
        for n, (x, y) in _framed(_fisheye(_group_layout(_ordered(h, comp), seed)), scale).items():
            pos[n] = (left + scale + x, top - scale + y)
        top -= 2 * scale + GROUP_GAP
        width = max(width, 2 * scale)
    return {n: (round(float(x), 4), round(float(y), 4)) for n, (x, y) in sorted(pos.items())}


def focus(g: nx.MultiDiGraph, k: int = MAX_DRAWN_ACTORS) -> nx.MultiDiGraph:
    """The graph itself if it has at most ``k`` active actors, else the ``k`` most connected and their relations.

    Actors are ranked by distinct partners, then relations, then id, so the
    choice is stable.  Charts draw this view: a chart never holds more than it can show.
    """
    t = ties(g)
    partners, rel = t.partners(), t.relations()
    act = np.flatnonzero(rel > 0)
    if len(act) <= k:
        return active(g)
    ranked = act[np.lexsort((act, -rel[act], -partners[act]))][:k]  # ids are numbered in sorted order
    return induced(g, [t.nodes[i] for i in ranked])


def n_active(g: nx.MultiDiGraph) -> int:
    """How many actors of ``g`` have at least one relation."""
    return int((ties(g).relations() > 0).sum())


def drawn_share(g: nx.MultiDiGraph, k: int = MAX_DRAWN_ACTORS) -> tuple[int, int]:
    """How many active actors a chart of ``g`` draws (:func:`focus`) and how many there are."""
    total = n_active(g)
    return min(total, k), total


EDGE_COLUMNS = [
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


def edges_table(g: nx.MultiDiGraph, lang: str = "en") -> pd.DataFrame:
    """Relations of ``g`` as a table (sorted by relation_id), with actor names in ``lang``."""
    names = nx.get_node_attributes(g, f"name_{lang}")
    fields = ("relation", "sign", "directed", "date_start", "date_end", "phase", "event_id", "source_ids")
    cols: dict[str, list[Any]] = {c: [] for c in EDGE_COLUMNS}
    for u, v, k, d in g.edges(keys=True, data=True):
        cols["relation_id"].append(k)
        cols["source_actor"].append(u)
        cols["target_actor"].append(v)
        cols["source_name"].append(names.get(u, u))
        cols["target_name"].append(names.get(v, v))
        for f in fields:
            cols[f].append(d[f])
    df = pd.DataFrame(cols, columns=EDGE_COLUMNS) if len(cols["relation_id"]) else pd.DataFrame([], columns=EDGE_COLUMNS)
    return df.sort_values("relation_id").reset_index(drop=True)


def summary(
    case: Case, g: nx.MultiDiGraph, top: int = 5, metrics_table: pd.DataFrame | None = None, balance_result: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Key figures for ``summary.json``: actors, relations, top betweenness, balance, phases and changes.

    Pass ``metrics_table`` (from :func:`metrics`) and ``balance_result`` (from :func:`balance`) to avoid
    computing them again.
    """
    m = metrics(g) if metrics_table is None else metrics_table
    b = balance(g) if balance_result is None else balance_result
    phases = active_phases(case, g)
    tied = _phase_ties(g, phases)
    changes = _changes({p: tied[p][1] for p in phases}, None)
    top_b = m.sort_values(["betweenness", "actor_id"], ascending=[False, True]).head(top)
    return {
        "case": case.case_id,
        "actors": int((m["relations"] > 0).sum()),
        "relations": len(ties(g).u),
        "top_betweenness": [{"actor_id": r.actor_id, "betweenness": r.betweenness} for r in top_b.itertuples()],
        "brokers": sorted(m.loc[m["broker"].astype(bool), "actor_id"]),
        "communities": int(m["community"].nunique()),
        "balanced_share": b["balanced_share"],
        "triads": b["n_triads"],
        "unbalanced_triads": [list(x) for x in b["unbalanced"]],
        "phases": [{"phase": p, "relations": tied[p][0], "ties": len(tied[p][1])} for p in phases],
        "phase_changes": changes.drop(columns=["gained_pairs", "lost_pairs"]).to_dict("records"),
    }


def active_phases(case: Case, g: nx.MultiDiGraph) -> list[str]:
    """The case's phases (in order) that hold at least one relation of ``g``."""
    used = set(ties(g).phase.tolist())
    return [str(p) for p in case.events["phase"].cat.categories if p in used]


def busiest_phase(snapshots: dict[str, nx.MultiDiGraph]) -> str | None:
    """The phase with the most relations (the first such in phase order), None without phases."""
    if not snapshots:
        return None
    sizes = {p: _size(h)[1] for p, h in snapshots.items()}
    most = max(sizes.values())
    return next(p for p, n in sizes.items() if n == most)


def most_central(metrics_table: pd.DataFrame) -> str | None:
    """The actor with the highest betweenness (ties broken by actor_id), None without actors."""
    if metrics_table.empty:
        return None
    return str(metrics_table.sort_values(["betweenness", "actor_id"], ascending=[False, True])["actor_id"].iloc[0])


def cited(g: nx.MultiDiGraph) -> list[str]:
    """The documents behind the relations of ``g`` (for a report's sources section), sorted."""
    return sorted({i for *_, d in g.edges(data=True) for i in str(d.get("source_ids") or "").split(";") if i})
