"""analysis.network on hand-made graphs whose metrics are worked out by hand, and on the real case."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest
from casekit import actor, event, source, write_case
from casekit import relation as _rel
from conftest import CASE_DIR, read_rows

from analysis import network, network_views

# --- graphs built by hand (no case): the cheapest tests run first --------------------------


def test_layout_places_groups_as_documented():
    """Main group a-b-c (triangle) + c-d; pairs e-h and f-g; j tied only to itself; i has no tie.

    The largest group is centred in [-1, 1]: on each axis (max + min) / 2 = 0, and its wider axis spans -1 to 1.
    Smaller groups stand in columns to its right, top to bottom, each scaled by sqrt(its size / the largest's)
    (at least 0.15) and centred at (left + scale, top - scale); a column starts at x = 1 + 0.3 and holds what fits
    down to y = -1; 0.3 between groups and between columns:
        e-h: scale sqrt(2/4) = 0.7071, left 1.3, top 1 -> centre (2.0071, 0.2929); next top 1 - 1.4142 - 0.3 = -0.7142
        f-g: -0.7142 - 1.4142 < -1: a new column at 1.3 + 1.4142 + 0.3 = 3.0142 -> centre (3.7213, 0.2929)
        j:   scale sqrt(1/4) = 0.5; -0.7142 - 1 < -1: a new column at 3.0142 + 1.7142 = 4.7284 -> (5.2284, 0.5)
    Groups of equal size go by their first member (e-h before f-g). Coordinates are rounded to 4 decimals.
    """
    s = nx.Graph()
    s.add_nodes_from("abcdefghij")
    ties = [("a", "b"), ("b", "c"), ("a", "c"), ("c", "d"), ("e", "h"), ("f", "g"), ("j", "j")]
    s.add_edges_from(ties, weight=1, sign=1)
    pos = network.layout(s)
    assert list(pos) == list("abcdefghj")
    assert all(round(v, 4) == v for xy in pos.values() for v in xy)

    def centre_and_half_width(pos: dict, nodes: str) -> tuple[float, float, float]:
        xs, ys = [pos[n][0] for n in nodes], [pos[n][1] for n in nodes]
        half = max(max(xs) - min(xs), max(ys) - min(ys)) / 2
        return (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2, half

    assert centre_and_half_width(pos, "abcd") == pytest.approx((0, 0, 1), abs=1e-4)
    assert all(-1 <= v <= 1 for n in "abcd" for v in pos[n])
    assert centre_and_half_width(pos, "eh") == pytest.approx((2.0071, 0.2929, 0.7071), abs=1e-4)
    assert centre_and_half_width(pos, "fg") == pytest.approx((3.7213, 0.2929, 0.7071), abs=1e-4)
    assert pos["j"] == (5.2284, 0.5)
    # each group gets its own layout: the main group as it is drawn alone, a pair as drawn alone, scaled and moved
    alone = {nodes: network.layout(nx.Graph(s.subgraph(nodes))) for nodes in ("abcd", "eh", "fg")}
    assert {n: pos[n] for n in "abcd"} == alone["abcd"]
    for nodes, cx in (("eh", 2.0071), ("fg", 3.7213)):
        for n in nodes:
            want = (cx + 0.7071 * alone[nodes][n][0], 0.2929 + 0.7071 * alone[nodes][n][1])
            assert pos[n] == pytest.approx(want, abs=2e-4)
    # the same promise for a group drawn taller than wide (a hub and three others): its y axis spans -1 to 1
    hub = nx.Graph()
    hub.add_edges_from([("a", "b"), ("a", "c"), ("a", "d")], weight=1, sign=1)
    tall = network.layout(hub)
    assert centre_and_half_width(tall, "abcd") == pytest.approx((0, 0, 1), abs=1e-4)
    assert all(-1 <= v <= 1 for xy in tall.values() for v in xy)
    lone = nx.Graph()
    lone.add_nodes_from("ab")
    assert network.layout(lone) == {}


def test_communities_by_hand():
    """Three separate groups: triangle d-e-f, pairs a-h and b-c; g has no tie.

    Louvain cannot do better than the groups themselves (no tie between groups; splitting a group loses its
    ties). Numbered by size, then by first member: {d, e, f} 0, {a, h} 1 (a before b), {b, c} 2; g -1.
    A single tie is one group.
    """
    s = nx.Graph()
    s.add_nodes_from("abcdefgh")
    s.add_edges_from([("d", "e"), ("e", "f"), ("d", "f"), ("a", "h"), ("b", "c")], weight=1)
    assert network.communities(s) == {"a": 1, "b": 2, "c": 2, "d": 0, "e": 0, "f": 0, "g": -1, "h": 1}
    assert network.communities(nx.Graph([("a", "b", {"weight": 1})])) == {"a": 0, "b": 0}
    lone = nx.Graph()
    lone.add_nodes_from("ab")
    assert network.communities(lone) == {"a": -1, "b": -1}


def test_balance_by_hand_on_a_signed_graph():
    """Ties: a-b +, a-c +, b-c +, a-d -, b-d +, b-e -, c-e +, d-e 0, and a + tie of a with itself.

    Triads (triangles of non-zero ties): (a, b, c) + + + -> product + balanced; (a, b, d) a-b +, a-d -, b-d + -> product -,
    unbalanced; (b, c, e) b-c +, b-e -, c-e + -> unbalanced. (b, d, e) has the 0 tie d-e: not a triad; a's tie with itself
    makes no triangle. 1 balanced of 3: share 1/3 = 0.3333 (4 decimals).
    """
    s = nx.Graph()
    ties = [("a", "b", 1), ("a", "c", 1), ("b", "c", 1), ("a", "d", -1), ("b", "d", 1), ("b", "e", -1), ("c", "e", 1)]
    s.add_edges_from((u, v, {"sign": x}) for u, v, x in [*ties, ("d", "e", 0), ("a", "a", 1)])
    b = network.balance(s)
    assert (b["n_triads"], b["balanced_share"]) == (3, 0.3333)
    assert b["unbalanced"] == [("a", "b", "d"), ("b", "c", "e")]
    assert b["triads"].iloc[0].to_dict() == {"a": "a", "b": "b", "c": "c", "sign_ab": 1, "sign_ac": 1, "sign_bc": 1, "balanced": True}
    # a path has no triad: no share at all
    none = network.balance(nx.Graph([("a", "b", {"sign": 1}), ("b", "c", {"sign": -1})]))
    assert (none["n_triads"], none["balanced_share"], none["unbalanced"]) == (0, None, [])


# --- hand-made cases ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def square(tmp_path_factory):
    """Government g1, g2; rebels r1, r2; mediator m (side other).

    negotiation (1 Jan): g1+r1 negotiate (+), m+g1 (+), m+r1 (+), g1-g2 (+), r1-r2 fought (-).
    surrender (5 Jan): g1+r1 agreed (+), r2 fought g1 (-), m+r2 (+).
    Triads over the whole record: (g1, m, r1) +++ balanced; (g1, r1, r2) + - -: g1-r1 +, g1-r2 -, r1-r2 - -> balanced;
    (g1, m, r2) g1-m +, g1-r2 -, m-r2 + -> unbalanced; (m, r1, r2) m-r1 +, m-r2 +, r1-r2 - -> unbalanced.
    """
    place = {"place_id": "x", "name_en": "X", "name_es": "X", "kind": "region", "geo_precision": "3", "source_ids": "s1"}
    return write_case(
        tmp_path_factory.mktemp("cases") / "square",
        {
            "sources": [source("s1")],
            "places": [place],
            "actors": [
                actor("g1", "government"),
                actor("g2", "government"),
                actor("r1", "rebel"),
                actor("r2", "rebel"),
                actor("m", "other"),
            ],
            "events": [
                event("ev-talks", "2020-01-01", phase="negotiation", event_type="negotiation"),
                event("ev-deal", "2020-01-05", phase="surrender", event_type="negotiation"),
            ],
            "relations": [
                _rel("a1", "g1", "r1", "negotiated_with", 1, "ev-talks", "2020-01-01"),
                _rel("a2", "m", "g1", "mediated", 1, "ev-talks", "2020-01-01", directed=True),
                _rel("a3", "m", "r1", "mediated", 1, "ev-talks", "2020-01-01", directed=True),
                _rel("a4", "g1", "g2", "agreed_with", 1, "ev-talks", "2020-01-01"),
                _rel("a5", "r1", "r2", "fought", -1, "ev-talks", "2020-01-01"),
                _rel("b1", "g1", "r1", "agreed_with", 1, "ev-deal", "2020-01-05"),
                _rel("b2", "r2", "g1", "attacked", -1, "ev-deal", "2020-01-05", directed=True),
                _rel("b3", "m", "r2", "mediated", 1, "ev-deal", "2020-01-05", directed=True),
            ],
        },
    )


def test_graph_and_projection(square):
    g = network.build_graph(square)
    assert isinstance(g, nx.MultiDiGraph)
    assert g.number_of_edges() == 8 and g.number_of_nodes() == 5
    assert g.nodes["g1"]["side"] == "government" and g["g1"]["r1"]["a1"]["phase"] == "negotiation"
    s = network.signed_projection(g)
    assert s["g1"]["r1"]["weight"] == 2 and s["g1"]["r1"]["sign"] == 1
    assert s["g1"]["r2"]["sign"] == -1
    assert s.number_of_edges() == 7  # g1-r1 counted once
    assert (s["g1"]["r1"]["relations"], s["g1"]["r1"]["types"], s["g1"]["r1"]["sources"]) == (
        ["a1", "b1"],
        ["negotiated_with", "agreed_with"],
        {"s1"},
    )
    assert network.signed_projection(g) is s  # kept on the graph: computed once


def test_metrics_by_hand(square):
    m = network.metrics(network.build_graph(square)).set_index("actor_id")
    # degree: distinct partners
    assert m.loc["g1", "degree"] == 4 and m.loc["g2", "degree"] == 1 and m.loc["m", "degree"] == 3
    # directed relations only: m mediated three times; g1 receives m's and r2's
    assert (m.loc["m", "out_degree"], m.loc["m", "in_degree"]) == (3, 0)
    assert (m.loc["g1", "in_degree"], m.loc["g1", "out_degree"]) == (2, 0)
    # brokers: non-hostile ties to both camps. m (to g1 and r1) yes; g1 (to g2 and r1) yes;
    # r1 (to g1 +, r2 -, m other) no: its only rebel tie is hostile; r2 (g1 hostile) no
    assert dict(m["broker"]) == {"g1": True, "g2": False, "m": True, "r1": False, "r2": False}


def test_betweenness_by_hand_on_the_square(square):
    """Normalised betweenness of every actor in the square's projection, worked out by hand.

    The projection (undirected, one tie per pair whatever the number of relations or their sign):
        g1-r1 (a1, b1), g1-m (a2), m-r1 (a3), g1-g2 (a4), r1-r2 (a5), g1-r2 (b2), m-r2 (b3)
    so {g1, m, r1, r2} are all tied to one another (6 ties) and g2 hangs off g1.
    Shortest paths between the C(5, 2) = 10 pairs:
        the 6 pairs inside {g1, m, r1, r2}: direct ties, nobody in between
        g2-g1: direct
        g2-m: g2-g1-m (the only one)    g2-r1: g2-g1-r1    g2-r2: g2-g1-r2
    g1 lies on 3 of them, each the only shortest path of its pair: 3 x 1 = 3; every other actor on none.
    Normalised by the (n-1)(n-2)/2 = 4 x 3 / 2 = 6 pairs that exclude a given actor:
        g1 = 3 / 6 = 0.5;  g2 = m = r1 = r2 = 0 / 6 = 0.
    """
    m = network.metrics(network.build_graph(square)).set_index("actor_id")
    assert dict(m["betweenness"]) == {"g1": 0.5, "g2": 0.0, "m": 0.0, "r1": 0.0, "r2": 0.0}


def _chain(tmp_path, name: str, links: list[tuple[str, str, str, int]], actors: list[tuple[str, str]]):
    """A case whose relations are ``links`` (source, target, relation, sign), all on 1 Jan 2020, negotiation phase."""
    place = {"place_id": "x", "name_en": "X", "name_es": "X", "kind": "region", "geo_precision": "3", "source_ids": "s1"}
    return write_case(
        tmp_path / name,
        {
            "sources": [source("s1")],
            "places": [place],
            "actors": [actor(a, side) for a, side in actors],
            "events": [event("ev", "2020-01-01", phase="negotiation", event_type="negotiation")],
            "relations": [_rel(f"x{i}", a, b, rel, sign, "ev", "2020-01-01") for i, (a, b, rel, sign) in enumerate(links, 1)],
        },
    )


def test_betweenness_by_hand_on_a_path(tmp_path):
    """A five-actor path a - b - c - d - e (mixed signs; betweenness ignores them).

    Every pair has exactly one shortest path, the stretch of the path between them:
        a-b: -        a-c: b        a-d: b, c      a-e: b, c, d
        b-c: -        b-d: c        b-e: c, d
        c-d: -        c-e: d
        d-e: -
    Counts: a 0, b 3 (a-c, a-d, a-e), c 4 (a-d, a-e, b-d, b-e), d 3 (a-e, b-e, c-e), e 0.
    Normalised by (5-1)(5-2)/2 = 6: a 0, b 3/6 = 0.5, c 4/6 = 0.666667 (6 decimals), d 0.5, e 0.
    """
    path = _chain(
        tmp_path,
        "path",
        [("a", "b", "negotiated_with", 1), ("b", "c", "fought", -1), ("c", "d", "agreed_with", 1), ("d", "e", "fought", -1)],
        [("a", "government"), ("b", "government"), ("c", "other"), ("d", "rebel"), ("e", "rebel")],
    )
    m = network.metrics(network.build_graph(path)).set_index("actor_id")
    assert dict(m["betweenness"]) == {"a": 0.0, "b": 0.5, "c": 0.666667, "d": 0.5, "e": 0.0}


def test_balance_by_hand(square):
    b = network.balance(network.build_graph(square))
    assert b["n_triads"] == 4
    assert b["balanced_share"] == 0.5
    assert sorted(b["unbalanced"]) == [("g1", "m", "r2"), ("m", "r1", "r2")]


def test_phase_change_by_hand(square):
    g = network.build_graph(square)
    snaps = network.phase_snapshots(g, ["negotiation", "surrender"])
    assert network.edge_set(snaps["negotiation"]) == {("g1", "r1"), ("g1", "m"), ("m", "r1"), ("g1", "g2"), ("r1", "r2")}
    assert network.edge_set(snaps["surrender"]) == {("g1", "r1"), ("g1", "r2"), ("m", "r2")}
    ch = network.phase_changes(snaps).iloc[0]
    # kept: g1-r1; gained: g1-r2, m-r2; lost: 4; union 7 -> Jaccard 1/7
    assert (ch.kept, ch.gained, ch.lost) == (1, 2, 4)
    assert ch.jaccard == round(1 / 7, 4)


def test_window_relations_and_ego(square):
    late = network.build_graph(square, start="2020-01-03")
    assert sorted(k for *_, k in late.edges(keys=True)) == ["b1", "b2", "b3"]
    hostile = network.build_graph(square, relations="hostile")
    assert sorted(k for *_, k in hostile.edges(keys=True)) == ["a5", "b2"]
    typed = network.build_graph(square, relations="mediated,fought")
    assert sorted(k for *_, k in typed.edges(keys=True)) == ["a2", "a3", "a5", "b3"]
    with pytest.raises(ValueError, match="unknown relation types"):
        network.build_graph(square, relations="hugged")
    e = network.ego(network.build_graph(square), "g2")
    assert sorted(e.nodes) == ["g1", "g2"]


def test_layout_places_every_active_actor(square):
    # the five actors all have relations, and form one connected group
    assert set(network.layout(network.build_graph(square))) == {"g1", "g2", "m", "r1", "r2"}


# --- more hand-made cases, aimed at the mutation check (benchmarks/mutants.py) ----------------


def _ev(eid: str, phase: str, first: str, last: str, precision: str = "day") -> dict[str, str]:
    return {**event(eid, first, phase=phase, event_type="negotiation"), "date_end": last, "date_precision": precision}


def _tie(rid: str, a: str, b: str, relation: str, sign: int, day: str, event: str = "", directed: bool = False) -> dict[str, str]:
    return _rel(rid, a, b, relation, sign, event, day, directed)


@pytest.fixture(scope="module")
def phased(tmp_path_factory):
    """Phases from events; relations without an event, without dates, or of sign 0.

    Events (phase, precision, first - last day, 2020):
        ev-talks   negotiation  day    1-3 Jan
        ev-talks2  negotiation  day    2 Jan
        ev-month   negotiation  month  1-31 Jan  (left out: negotiation has day events)
        ev-deal    surrender    day    3-5 Jan
        ev-later   aftermath    month  1-29 Feb  (the phase's only event: used)
    Phase windows: negotiation 1-3 Jan (earliest first day 1 Jan, latest last day 3 Jan), surrender 3-5 Jan,
    aftermath 1-29 Feb; background, escalation and evacuation have no event and no window.
    Relations (actors a, b, c, d, e):
        p1 a-b negotiated_with +1, 1 Jan, ev-talks        -> negotiation (its event's phase)
        p2 a-c agreed_with     +1, 3 Jan, no event         -> 3 Jan is in negotiation (ends 3 Jan) and in surrender
                                                              (begins 3 Jan): the phase that began last, surrender
        p3 b-c fought          -1, 5 Jan, no event         -> surrender (its last day)
        p4 c-d announced        0, 10 Jan, no event, c->d  -> in no window: no phase
        p5 d-e member_of       +1, undated, no event       -> no phase
        p6 d-a attacked        -1, 10 Feb, ev-later, d->a  -> aftermath
    """
    names = {"a": ("Army", "Ejército"), "b": ("Brigade", "Brigada"), "c": ("Council", "Consejo"), "d": ("Delegation", "Delegación")}
    names["e"] = ("Envoy", "Enviado")
    actors = [actor(a, "other", en, es) for a, (en, es) in names.items()]
    actors[0]["acled_inter"] = "1"
    return write_case(
        tmp_path_factory.mktemp("cases") / "phased",
        {
            "sources": [source("s1")],
            "places": [{"place_id": "x", "name_en": "X", "name_es": "X", "kind": "region", "geo_precision": "3", "source_ids": "s1"}],
            "actors": actors,
            "events": [
                _ev("ev-talks", "negotiation", "2020-01-01", "2020-01-03"),
                _ev("ev-talks2", "negotiation", "2020-01-02", "2020-01-02"),
                _ev("ev-month", "negotiation", "2020-01-01", "2020-01-31", "month"),
                _ev("ev-deal", "surrender", "2020-01-03", "2020-01-05"),
                _ev("ev-later", "aftermath", "2020-02-01", "2020-02-29", "month"),
            ],
            "relations": [
                _tie("p1", "a", "b", "negotiated_with", 1, "2020-01-01", "ev-talks"),
                _tie("p2", "a", "c", "agreed_with", 1, "2020-01-03"),
                _tie("p3", "b", "c", "fought", -1, "2020-01-05"),
                _tie("p4", "c", "d", "announced", 0, "2020-01-10", directed=True),
                _tie("p5", "d", "e", "member_of", 1, ""),
                _tie("p6", "d", "a", "attacked", -1, "2020-02-10", "ev-later", directed=True),
            ],
        },
    )


def _keys(g: nx.MultiDiGraph) -> list[str]:
    return sorted(k for *_, k in g.edges(keys=True))


def test_phase_windows_by_hand(phased):
    ts = pd.Timestamp
    windows = network.phase_windows(phased)
    assert list(windows) == ["negotiation", "surrender", "aftermath"]  # the vocabulary's order
    assert windows == {
        "negotiation": (ts("2020-01-01"), ts("2020-01-03")),
        "surrender": (ts("2020-01-03"), ts("2020-01-05")),
        "aftermath": (ts("2020-02-01"), ts("2020-02-29")),
    }


def test_relation_phases_by_hand(phased):
    phase = network.relation_phases(phased)
    got = {rid: p if isinstance(p, str) else None for rid, p in phase.items()}
    assert got == {"p1": "negotiation", "p2": "surrender", "p3": "surrender", "p4": None, "p5": None, "p6": "aftermath"}
    g = network.build_graph(phased)
    assert g["a"]["c"]["p2"]["phase"] == "surrender" and g["c"]["d"]["p4"]["phase"] is None


def test_windows_keep_relations_touching_their_edges_and_undated_ones(phased):
    # from 5 Jan: what ends on or after 5 Jan (p3 ends that day, p4, p6) and the undated p5
    assert _keys(network.build_graph(phased, start="2020-01-05")) == ["p3", "p4", "p5", "p6"]
    # to 3 Jan: what begins on or before 3 Jan (p1, p2 begins that day) and the undated p5
    assert _keys(network.build_graph(phased, end="2020-01-03")) == ["p1", "p2", "p5"]
    assert _keys(network.build_graph(phased, start="2020-01-03", end="2020-01-05")) == ["p2", "p3", "p5"]


def test_relation_filters_leave_sign_zero_out_of_both_camps(phased):
    # cooperative: sign > 0 (p1, p2, p5); hostile: sign < 0 (p3, p6); p4 (sign 0) is in neither
    assert _keys(network.build_graph(phased, relations="cooperative")) == ["p1", "p2", "p5"]
    assert _keys(network.build_graph(phased, relations="hostile")) == ["p3", "p6"]
    assert _keys(network.build_graph(phased, relations=["announced", "member_of"])) == ["p4", "p5"]
    assert _keys(network.build_graph(phased, relations="all")) == ["p1", "p2", "p3", "p4", "p5", "p6"]


def test_phase_changes_between_one_tie_phases(phased):
    # negotiation {a-b} (p1), surrender {a-c, b-c} (p2, p3), aftermath {a-d} (p6); p4 and p5 have no phase
    snaps = network.phase_snapshots(network.build_graph(phased), ["negotiation", "surrender", "aftermath"])
    ch = network.phase_changes(snaps)
    # negotiation -> surrender: kept 0, gained 2, lost 1, Jaccard 0 / 3; surrender -> aftermath: kept 0, gained 1, lost 2
    assert ch[["from_phase", "to_phase", "edges_from", "edges_to", "kept", "gained", "lost", "jaccard"]].values.tolist() == [
        ["negotiation", "surrender", 1, 2, 0, 2, 1, 0.0],
        ["surrender", "aftermath", 2, 1, 0, 1, 2, 0.0],
    ]


def test_edges_table_and_node_attributes(phased):
    g = network.build_graph(phased)
    assert g.nodes["a"]["acled_inter"] == 1 and g.nodes["b"]["acled_inter"] is None
    t = network.edges_table(g, "es")
    assert list(t["relation_id"]) == ["p1", "p2", "p3", "p4", "p5", "p6"]
    p4 = t.iloc[3].to_dict()
    assert {k: v for k, v in p4.items() if k not in ("phase", "event_id")} == {
        "relation_id": "p4",
        "source_actor": "c",
        "target_actor": "d",
        "source_name": "Consejo",
        "target_name": "Delegación",
        "relation": "announced",
        "sign": 0,
        "directed": True,
        "date_start": "2020-01-10",
        "date_end": "2020-01-10",
        "source_ids": "s1",
    }
    assert pd.isna(p4["phase"]) and pd.isna(p4["event_id"])  # no event, in no phase window
    assert t["date_start"].isna().tolist() == [False, False, False, False, True, False]  # p5 is undated
    assert t["phase"].tolist()[:3] == ["negotiation", "surrender", "surrender"] and t.iloc[5]["phase"] == "aftermath"
    assert network.edges_table(g, "en").iloc[0][["source_name", "target_name"]].tolist() == ["Army", "Brigade"]


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """Ties of every sign, and actors with none. g (government), r (rebel), m, n, x, y (other); all 1 Jan 2020.

    t1 g-r negotiated_with +1 and t2 g-r fought -1 -> one tie g-r: weight 2, sign sum 0, sign 0
    t3 m-g agreed_with +1 -> m-g +      t4 m->r announced 0 -> m-r 0       t5 n-g fought -1 -> n-g -
    t6 n-r agreed_with +1 -> n-r +      t7 n-m fought -1 -> n-m -           x, y: no relation
    """
    rels = [("t1", "g", "r", "negotiated_with", 1), ("t2", "g", "r", "fought", -1), ("t3", "m", "g", "agreed_with", 1)]
    rels += [("t4", "m", "r", "announced", 0), ("t5", "n", "g", "fought", -1), ("t6", "n", "r", "agreed_with", 1)]
    rels += [("t7", "n", "m", "fought", -1)]
    place = {"place_id": "x", "name_en": "X", "name_es": "X", "kind": "region", "geo_precision": "3", "source_ids": "s1"}
    return write_case(
        tmp_path_factory.mktemp("cases") / "mixed",
        {
            "sources": [source("s1")],
            "places": [place],
            "actors": [actor("g", "government"), actor("r", "rebel")] + [actor(a, "other") for a in "mnxy"],
            "events": [event("ev", "2020-01-01", phase="negotiation", event_type="negotiation")],
            "relations": [_tie(rid, a, b, rel, sign, "2020-01-01", "ev", directed=rid == "t4") for rid, a, b, rel, sign in rels],
        },
    )


def test_signs_by_hand(mixed):
    g = network.build_graph(mixed)
    s = network.signed_projection(g)
    assert (s["g"]["r"]["weight"], s["g"]["r"]["sign_sum"], s["g"]["r"]["sign"]) == (2, 0, 0)
    assert (s["m"]["r"]["sign"], s["g"]["m"]["sign"], s["g"]["n"]["sign"]) == (0, 1, -1)
    m = network.metrics(g).set_index("actor_id")
    assert list(m.index) == ["g", "m", "n", "r"]  # x and y have no relation
    # positive / negative ties: g: r 0, m +, n -  -> 1 / 1;  m: g +, r 0, n -  -> 1 / 1;
    #                           n: g -, r +, m -  -> 1 / 2;  r: g 0, m 0, n +  -> 1 / 0
    assert m[["positive", "negative"]].to_dict("index") == {
        "g": {"positive": 1, "negative": 1},
        "m": {"positive": 1, "negative": 1},
        "n": {"positive": 1, "negative": 2},
        "r": {"positive": 1, "negative": 0},
    }
    # relation rows: g t1 t2 t3 t5, m t3 t4 t7, n t5 t6 t7, r t1 t2 t4 t6; only t4 is directed (m -> r)
    assert dict(m["relations"]) == {"g": 4, "m": 3, "n": 3, "r": 4}
    assert (m.loc["m", "out_degree"], m.loc["r", "in_degree"], m.loc["g", "in_degree"]) == (1, 1, 0)
    # brokers: non-hostile (sign >= 0) ties to both camps. m: g + (government), r 0 (rebel) -> yes.
    # g: r 0 (rebel), m + (other), n - -> no government tie; r: g 0 (government), m 0, n + (other) -> no rebel tie;
    # n: only r is non-hostile; x, y: no ties
    assert network.brokers(s) == {"g": False, "m": True, "n": False, "r": False, "x": False, "y": False}
    # balance counts only non-zero ties: g-r and m-r drop, leaving the one triad g, m, n: + - - -> balanced
    b = network.balance(g)
    assert (b["n_triads"], b["balanced_share"], b["unbalanced"]) == (1, 1.0, [])
    # charts never draw x or y, even when there is room for more actors than have relations
    assert sorted(network.focus(g).nodes) == sorted(network.focus(g, 5).nodes) == ["g", "m", "n", "r"]


def test_star_eigenvector_betweenness_and_summary(tmp_path):
    """A hub tied to five actors a..e (all +, one relation each).

    Betweenness: the hub is on the only shortest path of each of the C(5, 2) = 10 pairs of others; normalised by
    (6-1)(6-2)/2 = 10 -> 1.0; the others 0.
    Eigenvector (weights 1): hub x, others y with lambda y = x and lambda x = 5 y, so lambda = sqrt(5) and x = sqrt(5) y;
    unit length: x^2 + 5 y^2 = 10 y^2 = 1 -> y = 1/sqrt(10) = 0.3162, x = 1/sqrt(2) = 0.7071 (4 decimals).
    """
    star = _chain(
        tmp_path,
        "star",
        [("hub", leaf, "agreed_with", 1) for leaf in "abcde"],
        [("hub", "other"), ("a", "government"), ("b", "government"), ("c", "rebel"), ("d", "rebel"), ("e", "other")],
    )
    g = network.build_graph(star)
    m = network.metrics(g).set_index("actor_id")
    assert dict(m["betweenness"]) == {"a": 0.0, "b": 0.0, "c": 0.0, "d": 0.0, "e": 0.0, "hub": 1.0}
    assert dict(m["eigenvector"]) == {"a": 0.3162, "b": 0.3162, "c": 0.3162, "d": 0.3162, "e": 0.3162, "hub": 0.7071}
    # Louvain: one group (modularity 0); any split of a star scores below 0
    assert set(m["community"]) == {0}
    assert network.summary(star, g) == {
        "case": "star",
        "actors": 6,
        "relations": 5,
        # top five by betweenness, ties by id: hub, then a, b, c, d (e is sixth)
        "top_betweenness": [{"actor_id": a, "betweenness": b} for a, b in [("hub", 1.0), ("a", 0.0), ("b", 0.0), ("c", 0.0), ("d", 0.0)]],
        "brokers": ["hub"],  # + ties to a, b (government) and c, d (rebel)
        "communities": 1,
        "balanced_share": None,
        "triads": 0,
        "unbalanced_triads": [],
        "phases": [{"phase": "negotiation", "relations": 5, "ties": 5}],
        "phase_changes": [],
    }


def test_focus_ranks_by_partners_then_relations_then_id(square):
    # distinct partners / relations: g1 4 / 5 (a1 a2 a4 b1 b2), r1 3 / 4 (a1 a3 a5 b1), m 3 / 3, r2 3 / 3, g2 1 / 1;
    # m and r2 tie: m first by id
    g = network.build_graph(square)
    assert (sorted(network.focus(g, 2).nodes), _keys(network.focus(g, 2))) == (["g1", "r1"], ["a1", "b1"])
    assert (sorted(network.focus(g, 3).nodes), _keys(network.focus(g, 3))) == (["g1", "m", "r1"], ["a1", "a2", "a3", "b1"])
    # four of five: g2 (one relation) is the one left out, with its tie a4
    assert (sorted(network.focus(g, 4).nodes), _keys(network.focus(g, 4))) == (
        ["g1", "m", "r1", "r2"],
        ["a1", "a2", "a3", "a5", "b1", "b2", "b3"],
    )
    assert _keys(network.focus(g, 5)) == _keys(g)
    network.signed_projection(g)
    assert network.focus(g, 2).graph == {"case": "square"}  # the case it came from, not g's cached projection


def test_empty_phases_are_kept_but_not_compared(square):
    snaps = network.phase_snapshots(network.build_graph(square), ["negotiation", "evacuation", "surrender"])
    assert (snaps["evacuation"].number_of_nodes(), snaps["evacuation"].number_of_edges()) == (5, 0)
    ch = network.phase_changes(snaps)
    assert list(zip(ch["from_phase"], ch["to_phase"], strict=True)) == [("negotiation", "surrender")]
    # lost: g1-g2, g1-m, m-r1, r1-r2; gained: g1-r2, m-r2 (sorted pairs)
    assert (ch.iloc[0]["lost_pairs"], ch.iloc[0]["gained_pairs"]) == ("g1--g2; g1--m; m--r1; r1--r2", "g1--r2; m--r2")


def test_projection_follows_a_changed_graph(square):
    g = network.build_graph(square)
    assert network.signed_projection(g).number_of_edges() == 7
    g.add_edge("g2", "r2", key="z1", relation="fought", sign=-1, directed=False, source_ids="s1")
    s = network.signed_projection(g)
    assert s.number_of_edges() == 8 and s["g2"]["r2"]["sign"] == -1


def test_ego_radius(square):
    # g2's only partner is g1 (radius 1); g1's partners m, r1, r2 are two steps from g2
    assert sorted(network.ego(network.build_graph(square), "g2", radius=2).nodes) == ["g1", "g2", "m", "r1", "r2"]
    with pytest.raises(KeyError, match="unknown actor 'zz'"):
        network.ego(network.build_graph(square), "zz")


def test_betweenness_is_exact_up_to_500_actors():
    """500 actors, the largest number computed exactly: a hub with 497 others (l000..l496) and a tail hub - t1 - t2.

    Pairs of the 499 actors other than the hub: C(499, 2) = 499 x 498 / 2 = 124,251; each has one shortest path.
        t1 is on the paths from t2 to the hub and the 497 others: 498 pairs -> 498 / 124,251 = 2/499 = 0.004008
        the hub is on every pair's path but t1-t2 (a direct tie): 124,250 / 124,251 = 0.999992
        l000..l496 and t2 are on none: 0
    (an estimate from 100 source actors gets t1 wrong: 1 pair from each source but t2.)
    """
    g = nx.MultiDiGraph()
    tie = {"relation": "agreed_with", "sign": 1, "directed": False, "source_ids": "s1"}
    others = [f"l{i:03d}" for i in range(497)]
    g.add_nodes_from(["hub", *others, "t1", "t2"], side="other")
    g.add_edges_from(("hub", o, f"x{o}", tie) for o in others)
    g.add_edges_from([("hub", "t1", "y1", tie), ("t1", "t2", "y2", tie)])
    m = network.metrics(g).set_index("actor_id")
    assert len(m) == 500
    assert (m.loc["t1", "betweenness"], m.loc["hub", "betweenness"]) == (0.004008, 0.999992)
    assert m["betweenness"].drop(["t1", "hub"]).eq(0).all()


# --- the real case -----------------------------------------------------------


def test_relation_vocabulary_matches_the_data_package(case):
    enum = next(f for r in case.package["resources"] if r["name"] == "relations" for f in r["schema"]["fields"] if f["name"] == "relation")[
        "constraints"
    ]["enum"]
    assert tuple(enum) == network.relation_types(case)


def test_negotiation_phase_ties(case):
    g = network.build_graph(case)
    neg = network.edge_set(network.phase_snapshots(g, ["negotiation"])["negotiation"])
    assert ("russia", "unified-command") in neg
    assert ("syrian-army", "unified-command") in neg


def test_jaysh_tahrir_al_sham_is_hostile_to_the_army_and_the_talks(case):
    g = network.build_graph(case)
    out = {(v, d["relation"]): d["sign"] for _, v, d in g.out_edges("jaysh-tahrir-al-sham", data=True)}
    assert out[("syrian-army", "attacked")] == -1
    assert out[("unified-command", "denied_coordination_with")] == -1
    assert out[("russia", "rejected")] == -1  # it rejected the negotiations with Russia
    assert "hts" in g and not g.has_edge("jaysh-tahrir-al-sham", "hts") and not g.has_edge("hts", "jaysh-tahrir-al-sham")


def test_window_drops_the_background(case):
    full = network.summary(case, network.build_graph(case))
    late = network.summary(case, network.build_graph(case, start="2018-01-01"))
    assert "background" in [p["phase"] for p in full["phases"]]
    assert "background" not in [p["phase"] for p in late["phases"]]
    # The article's background (eastern-qalamoun-2018.es.txt, second paragraph):
    #   "han estado en un estado de alto el fuego con las fuerzas gubernamentales durante todo 2016, con ambas partes
    #    centradas en la lucha contra el Estado Islámico": the 2016 ceasefire gives 3 ties (rebels-army ceasefire,
    #    rebels fought IS, army fought IS);
    #   "A mediados de 2017, sin embargo, las fuerzas gubernamentales lanzaron una ofensiva contra los rebeldes": 1 tie;
    #   "tras una ofensiva rebelde anterior contra el EIIL en la región": 1 tie (rebels attacked IS, before mid-2017).
    #   3 + 1 + 1 = 5 relations end before 2018.
    rows = read_rows(CASE_DIR / "relations.csv")
    before_2018 = [r for r in rows if r["date_end"] and int(r["date_end"][:4]) < 2018]
    assert len(before_2018) == 3 + 1 + 1
    assert full["relations"] - late["relations"] == len(before_2018)


def test_communities_and_the_most_central_are_named():
    """Communities by name, not number: each after its most central member (betweenness, then partners, then id).

    Community 0: a (betweenness 0.5), b and c (0.1) -> A. Community 1: d and e (0.0; e has 3 partners, d 2) -> E.
    Community 2: f and g (0.0, 1 partner each) -> f by id, named by its short name (before the bracket).
    Community 3: h alone -> its name.
    """
    m = pd.DataFrame(
        {
            "actor_id": list("abcdefgh"),
            "name_en": ["A", "B", "C", "D", "E", "Forces of X (FX)", "G", "H"],
            "name_es": ["Á", "B", "C", "D", "E", "Fuerzas de X (FX)", "G", "H"],
            "betweenness": [0.5, 0.1, 0.1, 0.0, 0.0, 0.0, 0.0, 0.0],
            "degree": [4, 2, 2, 2, 3, 1, 1, 2],
            "community": [0, 0, 0, 1, 1, 2, 2, 3],
        }
    )
    assert network_views.community_names(m, "en") == {0: "A and 2 more", 1: "E and 1 more", 2: "Forces of X and 1 more", 3: "H"}
    assert network_views.community_names(m, "es")[0] == "Á y 2 más"
    view = list(network_views.metrics_view(m, "en")["community"])
    assert view == ["A and 2 more"] * 3 + ["E and 1 more"] * 2 + ["Forces of X and 1 more"] * 2 + ["H"]
    summary = {
        "actors": 7,
        "top_betweenness": [{"actor_id": a, "betweenness": b} for a, b in [("a", 0.5), ("b", 0.1), ("c", 0.1)]],
        "brokers": list("abcdefg"),
        "communities": 4,
        "balanced_share": 0.1667,
    }
    view = network_views.summary_view(summary, m, "en")
    assert view["actors"] == 7  # other figures as they are
    assert view["top_betweenness"] == "A; B; C"
    assert view["brokers"] == "A; B; C; D; E; … 2 more"  # five names, then how many more
    assert view["communities"] == "A and 2 more; E and 1 more; Forces of X and 1 more; H"
    assert view["balanced_share"] == "17%"  # as the narrative writes it (it read 0.2 in the summary, 17% above it)
    assert network_views.summary_view({**summary, "balanced_share": None}, m, "es")["balanced_share"] == "desconocido"
    assert summary["communities"] == 4 and summary["brokers"] == list("abcdefg")  # summary.json keeps ids and counts
    assert network_views.central_words(m, "es") == ("network.ego", {"actor": "Á"})
