"""The fast network path (python-igraph and numpy) against networkx, the reference, on the curated and generated cases.

The decision on communities, tested here: networkx's Louvain makes them for every graph of up to
``NX_LOUVAIN_MAX`` active actors, whichever backend is installed, so that no report of a case of that size
changes with the backend (both curated cases have fewer than 30 actors); above it, igraph's multilevel
Louvain (a different random stream, seeded) makes them, and must find the groups a hand-made graph has.
"""

from __future__ import annotations

import random

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from analysis import network, synth
from analysis.cases import load_case

CURATED = ["eastern-qalamoun-2018", "eastern-ghouta-2018"]


@pytest.fixture
def reference(monkeypatch):
    """Switch the fast backend off (networkx computes everything) for the duration of a call."""

    def run(fn, *args, **kw):
        with monkeypatch.context() as m:
            m.setenv(network.BACKEND_ENV, "networkx")
            assert network.fast_backend() is None
            return fn(*args, **kw)

    return run


def _fresh(case):
    return network.build_graph(case)  # a new graph: nothing computed by the other backend is kept on it


@pytest.fixture(scope="module")
def curated():
    return {name: load_case(name) for name in CURATED}


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """A synthetic case of 700 actors (7,000 relations): above 500 actors, betweenness is estimated from 100 sources."""
    return load_case(synth.write_case(tmp_path_factory.mktemp("synth") / "s700", 700), validate=False)


def test_the_fast_backend_is_installed():
    assert network.fast_backend() is not None  # a dependency (pyproject.toml): the tests below compare it to networkx


@pytest.mark.parametrize("name", CURATED)
def test_curated_cases_give_the_same_tables_with_either_backend(curated, reference, name):
    """Metrics, balance, summary and phase changes are equal, value for value, computed by igraph or by networkx."""
    case = curated[name]
    fast_g, ref_g = _fresh(case), _fresh(case)
    fast, ref = network.metrics(fast_g), reference(network.metrics, ref_g)
    pd.testing.assert_frame_equal(fast, ref, check_exact=True)
    fb, rb = network.balance(fast_g), reference(network.balance, ref_g)
    pd.testing.assert_frame_equal(fb["triads"], rb["triads"], check_exact=True)
    assert (fb["n_triads"], fb["balanced_share"], fb["unbalanced"]) == (rb["n_triads"], rb["balanced_share"], rb["unbalanced"])
    assert network.summary(case, fast_g) == reference(network.summary, case, ref_g)


@pytest.mark.parametrize("name", CURATED)
def test_betweenness_matches_networkx_to_1e9_before_rounding(curated, name):
    """Exact betweenness (fewer than 500 actors): igraph's Brandes counts, scaled as networkx scales them."""
    g = _fresh(curated[name])
    t = network.ties(g)
    act = np.flatnonzero(t.partners() > 0)
    fast = network._betweenness(t, act)
    sub = network._simple_graph(t, act)
    ref = nx.betweenness_centrality(sub, normalized=True)
    assert np.abs(fast - np.array([ref[t.nodes[i]] for i in act])).max() < 1e-9


def test_estimated_betweenness_uses_the_sources_networkx_draws(generated):
    """700 actors: estimated from 100 source actors; networkx draws them with random.Random(42).sample, so do we."""
    g = _fresh(generated)
    t = network.ties(g)
    act = np.flatnonzero(t.partners() > 0)
    assert len(act) > network.EXACT_BETWEENNESS_MAX
    fast = network._betweenness(t, act)
    ref = nx.betweenness_centrality(network._simple_graph(t, act), k=network.BETWEENNESS_PIVOTS, normalized=True, seed=42)
    assert np.abs(fast - np.array([ref[t.nodes[i]] for i in act])).max() < 1e-9


def test_a_generated_case_gives_the_same_tables_with_either_backend(generated, reference):
    """The scale check at a small N: 700 actors through the fast path and through networkx alone."""
    fast_g, ref_g = _fresh(generated), _fresh(generated)
    pd.testing.assert_frame_equal(network.metrics(fast_g), reference(network.metrics, ref_g), check_exact=True)
    fb, rb = network.balance(fast_g), reference(network.balance, ref_g)
    pd.testing.assert_frame_equal(fb["triads"], rb["triads"], check_exact=True)
    assert network.summary(generated, fast_g) == reference(network.summary, generated, ref_g)


def test_eigenvector_is_networkxs_power_iteration(generated, curated):
    for case in [generated, *curated.values()]:
        g = _fresh(case)
        t = network.ties(g)
        act = np.flatnonzero(t.partners() > 0)
        ref = nx.eigenvector_centrality(network._simple_graph(t, act), weight="weight", max_iter=1000, tol=1e-6)
        assert np.abs(network._eigenvector(t, act) - np.array([ref[t.nodes[i]] for i in act])).max() < 1e-9


def test_scaling_of_estimated_betweenness_by_hand():
    """Counts over ordered pairs, n = 5 actors, k = 2 sources (actors 0 and 3): networkx >= 3.5 divides a source's
    count by (k - 1)(n - 2) = 1 x 3 = 3 and any other actor's by k(n - 2) = 2 x 3 = 6; exact: (n - 1)(n - 2) = 12."""
    raw = np.array([6.0, 6.0, 6.0, 6.0, 0.0])
    assert network._rescale(raw, [0, 3]).tolist() == [2.0, 1.0, 1.0, 2.0, 0.0]
    assert network._rescale(raw, None).tolist() == [0.5, 0.5, 0.5, 0.5, 0.0]


def _two_cliques() -> nx.Graph:
    """Two groups of five, every pair inside a group tied, and one tie a4-b0 between them.

    Modularity of {a0..a4}, {b0..b4}: m = 2 x 10 + 1 = 21 ties; each group holds 10 ties and its degrees sum to
    4 x 5 + 1 = 21, so Q = 2 x (10/21 - (21/42)^2) = 0.4524; joining them scores 21/21 - 1 = 0, and splitting a clique
    loses ties inside it: the two cliques are the best partition, and both Louvain methods find it.
    """
    s = nx.Graph()
    for side in "ab":
        members = [f"{side}{i}" for i in range(5)]
        s.add_edges_from(((u, v) for i, u in enumerate(members) for v in members[i + 1 :]), weight=1, sign=1)
    s.add_edge("a4", "b0", weight=1, sign=-1)
    return s


def test_large_graphs_get_communities_from_igraph_and_they_find_the_groups(monkeypatch):
    s = _two_cliques()
    want = {f"a{i}": 0 for i in range(5)} | {f"b{i}": 1 for i in range(5)}  # equal sizes: a0 < b0 numbers a's group 0
    assert network.communities(s) == want  # networkx's Louvain: 10 actors, below the threshold
    monkeypatch.setattr(network, "NX_LOUVAIN_MAX", 5)  # the same graph as if it were large: igraph's multilevel
    assert network.communities(s) == want


def test_igraphs_communities_are_seeded_and_leave_pythons_random_alone(monkeypatch, generated):
    monkeypatch.setattr(network, "NX_LOUVAIN_MAX", 100)  # the 700 actors go to igraph
    t = network.ties(_fresh(generated))
    random.seed(1)
    before = random.getstate()
    first = network._communities(t, 42)
    assert random.getstate() == before  # its random numbers are its own: Python's random state is left as it was
    random.seed(2)
    assert network._communities(t, 42).tolist() == first.tolist()  # whatever that state is
    assert set(first.tolist()) == set(range(first.max() + 1)) and first.min() == 0  # every active actor has a group
