"""analysis.network on hand-made graphs whose metrics are worked out by hand, and on the real case."""

from __future__ import annotations

import networkx as nx
import pytest
from casekit import source, write_case

from analysis import network


def _actor(aid: str, side: str) -> dict[str, str]:
    return {"actor_id": aid, "name_en": aid.upper(), "name_es": aid.upper(), "actor_type": "rebel group", "side": side, "source_ids": "s1"}


def _event(eid: str, phase: str, day: str) -> dict[str, str]:
    return {
        "event_id": eid,
        "date_start": day,
        "date_end": day,
        "date_precision": "day",
        "phase": phase,
        "event_type": "negotiation",
        "place_id": "x",
        "summary_en": eid,
        "summary_es": eid,
        "source_ids": "s1",
    }


def _rel(rid: str, a: str, b: str, relation: str, sign: int, event: str, day: str, directed: bool = False) -> dict[str, str]:
    return {
        "relation_id": rid,
        "source_actor": a,
        "target_actor": b,
        "relation": relation,
        "sign": str(sign),
        "directed": "true" if directed else "false",
        "date_start": day,
        "date_end": day,
        "event_id": event,
        "source_ids": "s1",
    }


@pytest.fixture
def square(tmp_path):
    """Government g1, g2; rebels r1, r2; mediator m (side other).

    negotiation (1 Jan): g1+r1 negotiate (+), m+g1 (+), m+r1 (+), g1-g2 (+), r1-r2 fought (-).
    surrender (5 Jan): g1+r1 agreed (+), r2 fought g1 (-), m+r2 (+).
    Triads over the whole record: (g1, m, r1) +++ balanced; (g1, r1, r2) + - -: g1-r1 +, g1-r2 -, r1-r2 - -> balanced;
    (g1, m, r2) g1-m +, g1-r2 -, m-r2 + -> unbalanced; (m, r1, r2) m-r1 +, m-r2 +, r1-r2 - -> unbalanced.
    """
    place = {"place_id": "x", "name_en": "X", "name_es": "X", "kind": "region", "geo_precision": "3", "source_ids": "s1"}
    return write_case(
        tmp_path / "square",
        {
            "sources": [source("s1")],
            "places": [place],
            "actors": [
                _actor("g1", "government"),
                _actor("g2", "government"),
                _actor("r1", "rebel"),
                _actor("r2", "rebel"),
                _actor("m", "other"),
            ],
            "events": [_event("ev-talks", "negotiation", "2020-01-01"), _event("ev-deal", "surrender", "2020-01-05")],
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
    # g2 hangs off g1 only: every path from g2 goes through g1; g1 lies on all 3 of g2's shortest paths
    # plus none other uniquely; betweenness of g2 is 0
    assert m.loc["g2", "betweenness"] == 0
    assert m.loc["g1", "betweenness"] == max(m["betweenness"])


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


def test_layout_fixed(square):
    g = network.build_graph(square)
    assert network.layout(g) == network.layout(g)
    assert set(network.layout(g)) == {"g1", "g2", "m", "r1", "r2"}


def test_relation_vocabulary_matches_the_data_package(case):
    enum = next(f for r in case.package["resources"] if r["name"] == "relations" for f in r["schema"]["fields"] if f["name"] == "relation")[
        "constraints"
    ]["enum"]
    assert tuple(enum) == network.relation_types(case)


# --- the real case -----------------------------------------------------------


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
    background = sum(1 for r in case.relations.itertuples() if r.date_end is not None and r.date_end.year < 2018)
    assert full["relations"] - late["relations"] == background == 4
