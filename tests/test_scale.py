"""The fast paths give the answers of the plain ones: on a generated case of 300 actors (900 claims with figures), and
on random statements.  Timings are for benchmarks/, never asserted here."""

from __future__ import annotations

import random

import pandas as pd
import pytest

from analysis import figures, flows, synth
from analysis.cases import load_case
from analysis.figures import Statement, _deepest_fast, _deepest_reference


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    return load_case(synth.write_case(tmp_path_factory.mktemp("scale") / "s300", 300))


def test_the_vectorised_search_agrees_with_the_plain_one_on_random_statements():
    """3,000 random sets of 1-30 statements (points, ranges, floors, ceilings, approximate or not, some originators
    speaking twice): the same agreeing statements and the same shared figure."""
    rng = random.Random(7)
    for _ in range(3000):
        stmts = []
        for i in range(rng.randint(1, 30)):
            kind = rng.choice(("point", "range", "floor", "ceiling"))
            a = float(rng.randint(1, 60) * 10)
            b = a + rng.randint(1, 20) * 10
            lo, hi, vote = {
                "point": (a, a, a),
                "range": (a, b, (a + b) / 2),
                "floor": (a, float("inf"), None),
                "ceiling": (float("-inf"), a, None),
            }[kind]
            key = f"o{rng.randint(0, max(1, i))}"
            stmts.append(Statement(key, lo, hi, vote, rng.random() < 0.3, "", f"C{i}"))
        fast, plain = _deepest_fast(stmts, 0.05), _deepest_reference(stmts, 0.05)
        assert fast[1] == plain[1] and set(fast[0]) == set(plain[0]), stmts


def test_a_generated_case_reconciles_the_same_through_either_path(generated, monkeypatch):
    """Every figure, grade and contradiction of the generated case, with the vectorised search for every figure and with
    the plain search for every figure, is the same."""
    monkeypatch.setattr(figures, "FAST_FROM", 1)
    fast = flows.reconcile(generated)
    monkeypatch.setattr(figures, "FAST_FROM", 10**9)
    plain = flows.reconcile(generated)
    pd.testing.assert_frame_equal(fast.figures, plain.figures)
    pd.testing.assert_frame_equal(fast.contradictions.drop(columns="positions"), plain.contradictions.drop(columns="positions"))
    assert fast.summary() == plain.summary()


def test_sums_over_many_subjects_equal_the_plain_sum(generated):
    """checks.Inputs.sum_of (arrays) against a plain loop over the reconciled figures of every movement."""
    from analysis import checks

    rec = flows.reconcile(generated)
    x = checks.Inputs(generated, rec.claims, rec.figures)
    movements = list(generated.movements["movement_id"])
    for q in checks.SUMMED:
        got, _ = x.sum_of(movements, q)
        rows = [r for m in movements if (r := x.fig(m, q)) is not None]
        assert (got.low, got.best, got.high) == (
            sum(float(r["low"]) for r in rows),
            sum(float(r["best"]) for r in rows),
            sum(float(r["high"]) for r in rows),
        )
        assert got.n_unknown == len(movements) - len(rows)
        assert got.high_open == (len(rows) < len(movements) or any(r["high_open"] for r in rows))
