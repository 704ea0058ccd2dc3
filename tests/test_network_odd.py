"""Odd but valid cases never crash the network analysis, its charts or notebook 02, and say "unknown" or "none".

Hand-built tiny cases (tests/casekit.py): no signed triad, one actor, no relations, a selection of a relation
type the case does not hold, relations in no phase, relations in one phase.
"""

from __future__ import annotations

import json
import re

import pytest
from casekit import actor, event, source, write_case
from casekit import relation as _rel
from reportkit import param_set, qalamoun

from analysis import charts, i18n, network, network_views
from analysis.charts import render

PLACE = {"place_id": "x", "name_en": "X", "name_es": "X", "kind": "region", "geo_precision": "3", "source_ids": "s1"}


EVENTS = [
    event("ev1", "2020-01-01", phase="negotiation", event_type="negotiation"),
    event("ev2", "2020-01-05", phase="surrender", event_type="agreement"),
]

CASES = {
    # a (government) negotiated with b (other), who fought c (rebel): a path, no three actors all tied: no triad
    "no-triads": {
        "actors": [actor("a", "government"), actor("b", "other"), actor("c", "rebel")],
        "events": EVENTS,
        "relations": [
            _rel("r1", "a", "b", "negotiated_with", 1, "ev1", "2020-01-01"),
            _rel("r2", "b", "c", "fought", -1, "ev2", "2020-01-05"),
        ],
    },
    "one-actor": {"actors": [actor("a", "rebel")], "events": EVENTS[:1], "relations": []},
    "no-relations": {"actors": [actor("a", "rebel"), actor("b", "government")], "events": EVENTS, "relations": []},
    # one relation with no event and no date: it falls in no phase
    "no-phases": {
        "actors": [actor("a", "government"), actor("b", "rebel")],
        "events": EVENTS[:1],
        "relations": [_rel("r1", "a", "b", "negotiated_with", 1)],
    },
    # three relations, all at ev1 (negotiation); c mediated between a and b: a triangle a-b-c, all +
    "one-phase": {
        "actors": [actor("a", "government"), actor("b", "rebel"), actor("c", "other")],
        "events": EVENTS[:1],
        "relations": [
            _rel("r1", "a", "b", "negotiated_with", 1, "ev1", "2020-01-01"),
            _rel("r2", "c", "a", "mediated", 1, "ev1", "2020-01-01", directed=True),
            _rel("r3", "c", "b", "mediated", 1, "ev1", "2020-01-01", directed=True),
        ],
    },
}


@pytest.fixture(scope="module")
def odd(tmp_path_factory):
    root = tmp_path_factory.mktemp("odd")
    return {name: write_case(root / name, {"sources": [source("s1")], "places": [PLACE], **tables}) for name, tables in CASES.items()}


def _graph(odd, name: str, relations: str | None = None):
    return network.build_graph(odd[name], relations=relations)


def _svg(chart) -> str:
    return render.to_svg(chart.to_dict(validate=True))


def _charts(case, g, lang: str) -> dict[str, str]:
    """Every chart of notebook 02 drawn to SVG (the busiest phase's network where there is one)."""
    m = network.metrics(g)
    pos = network.layout(network.focus(network.build_graph(case)))
    snaps = network.phase_snapshots(g, network.active_phases(case, g))
    busiest = network.busiest_phase(snaps)
    out = {
        "network": _svg(charts.node_link(g, pos, lang=lang, metrics=m)),
        "centrality": _svg(charts.centrality_bars(m, lang=lang)),
        "adjacency": _svg(charts.adjacency(g, lang=lang)),
        "time": _svg(charts.relations_over_time(network.edges_table(g, lang), lang=lang)),
    }
    if busiest:
        out["phase"] = _svg(charts.node_link(snaps[busiest], pos, lang=lang, subtitle=busiest))
    return out


@pytest.mark.parametrize(("name", "relations"), [("one-actor", None), ("no-relations", None), ("one-phase", "fought")])
@pytest.mark.parametrize("lang", ["en", "es"])
def test_no_relation_at_all(odd, name, relations, lang):
    """One actor, two actors without a tie, or a selection (here: fought) that leaves none of the case's relations."""
    g = _graph(odd, name, relations)
    assert g.number_of_edges() == 0
    m = network.metrics(g)
    assert m.empty and network.most_central(m) is None
    assert network_views.central_words(m, lang) == ("network.no_ego", {})
    assert network.ego(g, None).number_of_nodes() == 0  # the most central actor of nobody: an empty graph
    b = network.balance(g)
    assert (b["n_triads"], b["balanced_share"]) == (0, None) and network_views.balance_words(b, lang) == ("network.no_triads", {})
    assert network.focus(g).number_of_nodes() == 0 and network.layout(g) == {}
    summary = network.summary(odd[name], g, metrics_table=m, balance_result=b)
    assert (summary["actors"], summary["relations"], summary["communities"], summary["phases"]) == (0, 0, 0, [])
    none = i18n.label("none", lang)
    view = network_views.summary_view(summary, m, lang)
    assert (view["top_betweenness"], view["brokers"], view["communities"]) == (none, none, none)
    assert network_views.metrics_view(m, lang).empty
    drawn = _charts(odd[name], g, lang)
    assert set(drawn) == {"network", "centrality", "adjacency", "time"}  # no phase: no phase network
    nothing = i18n.label("no_ties", lang)
    for key in ("network", "centrality", "adjacency"):
        assert nothing in drawn[key], key


@pytest.mark.parametrize("lang", ["en", "es"])
def test_no_triad(odd, lang):
    """The path a - b - c: two ties, no three actors all tied: no triad, so no share exists (unknown, not 0)."""
    g = _graph(odd, "no-triads")
    b = network.balance(g)
    assert (b["n_triads"], b["balanced_share"], b["unbalanced"], len(b["triads"])) == (0, None, [], 0)
    key, values = network_views.balance_words(b, lang)
    assert (key, values) == ("network.no_triads", {})
    assert {"en": "unknown, not zero", "es": "desconocida, no cero"}[lang] in i18n.text(key, lang)
    m = network.metrics(g)
    # b lies on the only path between a and c: betweenness 1 / ((3-1)(3-2)/2) = 1; b is tied to a government actor
    # (a, +) but its tie to the rebel c is hostile: not a broker
    assert dict(zip(m["actor_id"], m["betweenness"], strict=True)) == {"a": 0.0, "b": 1.0, "c": 0.0}
    assert network_views.central_words(m, lang) == ("network.ego", {"actor": "B"})
    assert not m["broker"].any() and network_views.summary_view(network.summary(odd["no-triads"], g), m, lang)["brokers"] == i18n.label(
        "none", lang
    )
    assert set(_charts(odd["no-triads"], g, lang)) == {"network", "centrality", "adjacency", "time", "phase"}


def test_triad_share_in_words():
    """One triad of three + ties: balanced; 1 of 1 -> '100%'. Two triads, one balanced -> '50%'; 1,250 triads -> '1,250'."""
    assert network_views.balance_words({"n_triads": 1, "balanced_share": 1.0}, "en") == (
        "network.balance",
        {"n_triads": "1", "share": "100%"},
    )
    assert network_views.balance_words({"n_triads": 2, "balanced_share": 0.5}, "es") == (
        "network.balance",
        {"n_triads": "2", "share": "50\u00a0%"},  # CLDR: Spanish puts a no-break space before the percent sign
    )
    assert network_views.balance_words({"n_triads": 1250, "balanced_share": 0.1234}, "es")[1] == {"n_triads": "1.250", "share": "12\u00a0%"}


@pytest.mark.parametrize("lang", ["en", "es"])
def test_relations_in_no_phase(odd, lang):
    """r1 has no event and no date: it is in no phase, so there is no phase network and no change between phases."""
    g = _graph(odd, "no-phases")
    assert network.active_phases(odd["no-phases"], g) == []
    snaps = network.phase_snapshots(g, [])
    assert snaps == {} and network.busiest_phase(snaps) is None and network.phase_changes(snaps).empty
    assert network.summary(odd["no-phases"], g)["phases"] == []
    assert set(_charts(odd["no-phases"], g, lang)) == {"network", "centrality", "adjacency", "time"}


@pytest.mark.parametrize("lang", ["en", "es"])
def test_relations_in_one_phase(odd, lang):
    """All three relations at ev1 (negotiation): one phase, nothing to compare it with; c is a broker (+ ties to a,
    government, and b, rebel); the triangle a-b-c (+ + +) is one balanced triad."""
    g = _graph(odd, "one-phase")
    case = odd["one-phase"]
    assert network.active_phases(case, g) == ["negotiation"]
    snaps = network.phase_snapshots(g, ["negotiation"])
    assert network.busiest_phase(snaps) == "negotiation" and network.phase_changes(snaps).empty
    m = network.metrics(g)
    assert list(m.loc[m["broker"], "actor_id"]) == ["c"]
    # CLDR's percent in each language: '100%' in English, '100 %' (a no-break space) in Spanish
    share = {"en": "100%", "es": "100\u00a0%"}[lang]
    assert network_views.balance_words(network.balance(g), lang) == ("network.balance", {"n_triads": "1", "share": share})
    drawn = _charts(case, g, lang)
    assert "phase" in drawn


# --- notebook 02 on the odd cases, as a reader gets it ------------------------------------------------------------


@pytest.mark.slow
def test_notebook_02_runs_on_every_odd_case_and_says_what_cannot_exist(odd, tmp_path):
    """Each odd case through `qalamoun run`, in English and Spanish; the relation type 'mediated' selected on a case that
    has none.  Every run succeeds, and the report says in words that the share, or the most central actor, is
    unknown or none (no-triads has a most central actor, b: the other two have none)."""
    runs = [("no-triads", "en", "all"), ("one-actor", "es", "all"), ("no-relations", "en", "mediated")]
    sets = [param_set(tmp_path, f"{n}-{lang}", {"case": str(odd[n].path), "lang": lang, "relations": rel}) for n, lang, rel in runs]
    out = tmp_path / "reports"
    args = ["run", "-n", "02", *[a for s in sets for a in ("--params", str(s))], "--out", str(out), "--jobs", "2", "--no-progress"]
    proc = qalamoun(*args, cache=tmp_path / "cache")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for name, lang, _ in runs:
        nb = json.loads((out / f"{name}-{lang}" / "02_actor_network.ipynb").read_text(encoding="utf-8"))
        text = "\n".join("".join(o.get("data", {}).get("text/markdown", "")) for c in nb["cells"] for o in c.get("outputs", []))
        assert "Traceback" not in json.dumps(nb)
        assert i18n.text("network.no_triads", lang).split("\n")[-1] in text  # every one of them has no triad
        if name in ("one-actor", "no-relations"):  # no relation (none at all, or none of the type selected)
            assert i18n.text("network.no_ego", lang).split("\n")[-1] in text
            html = (out / f"{name}-{lang}" / "02_actor_network.html").read_text(encoding="utf-8")
            assert re.search(re.escape(i18n.label("none", lang)), html)
