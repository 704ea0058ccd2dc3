"""Properties of the reconciliation over random claim sets (hypothesis).

For one subject and quantity, whatever the claims: low <= best <= high; a relay
(the same originator's same figure in another document) never changes best; an
expected claim never changes low / best / high; and another reported claim can only
widen [low, high].
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest
from casekit import movement, place, source, write_case
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import vocab
from analysis.figures import figures
from analysis.validation import coerce

ORIGINATORS = ("SANA", "SOHR", "AFP", "eswiki")
SHAPES = {"exact": "point", "between": "range", "at least": "floor", "at most": "ceiling"}


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """A valid case with one movement, mv-a, and ten documents d0..d9; claims are swapped in per example."""
    folder = tmp_path_factory.mktemp("prop") / "p"
    return write_case(
        folder,
        {
            "sources": [source(f"d{i}") for i in range(10)] + [source("s1")],
            "places": [place("x"), place("y")],
            "movements": [movement("mv-a")],
        },
    )


@st.composite
def a_claim(draw, basis: str = "reported"):
    qualifier = draw(st.sampled_from(sorted(SHAPES)))
    a = draw(st.integers(0, 10_000))
    b = draw(st.integers(a + 1, 10_001))
    low, high = {"exact": (a, a), "between": (a, b), "at least": (a, None), "at most": (None, a)}[qualifier]
    day = draw(st.one_of(st.just(""), st.integers(1, 28).map(lambda d: f"2018-04-{d:02d}")))
    return {
        "source_id": f"d{draw(st.integers(0, 9))}",
        "attributed_to": draw(st.sampled_from(ORIGINATORS)),
        "value_low": "" if low is None else str(low),
        "value_high": "" if high is None else str(high),
        "qualifier": qualifier,
        "basis": basis,
        "as_of": day,
    }


def _figure(case, claims: list[dict]) -> dict:
    rows = [
        {
            "claim_id": f"C{i}",
            "subject": "mv-a",
            "quantity": "people",
            "coverage": "whole",
            "summary_en": "x",
            **c,
        }
        for i, c in enumerate(claims)
    ]
    resource = vocab.resource(case.package, "claims")
    raw = pd.DataFrame(rows, columns=[f["name"] for f in resource["schema"]["fields"]]).replace("", pd.NA)
    swapped = dataclasses.replace(case, tables={**case.tables, "claims": coerce(raw.astype("string").astype(object), resource)})
    f = figures(swapped)
    return f.iloc[0].to_dict() if len(f) else {}


def _lbh(f: dict) -> tuple:
    return (f["low"], f["best"], f["high"])


SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(st.lists(a_claim(), min_size=1, max_size=8))
def test_low_best_high_are_ordered(base, claims):
    f = _figure(base, claims)
    assert f["low"] <= f["best"] <= f["high"]


@SETTINGS
@given(st.lists(a_claim(), min_size=1, max_size=8), st.data())
def test_a_relay_never_changes_best(base, claims, data):
    original = data.draw(st.sampled_from(claims))
    relay = {**original, "source_id": "s1", "as_of": ""}  # the same originator's same figure, read in another document
    before, after = _figure(base, claims), _figure(base, [*claims, relay])
    assert after["best"] == before["best"]
    assert after["n_documents"] == before["n_documents"] + (original["source_id"] != "s1" and "s1" not in {c["source_id"] for c in claims})


@SETTINGS
@given(st.lists(a_claim(), min_size=1, max_size=8), a_claim(basis="expected"))
def test_an_expected_claim_never_changes_the_figure(base, claims, plan):
    assert _lbh(_figure(base, [*claims, plan])) == _lbh(_figure(base, claims))


@SETTINGS
@given(st.lists(a_claim(), min_size=1, max_size=8), a_claim())
def test_another_claim_only_widens_the_range(base, claims, extra):
    before, after = _figure(base, claims), _figure(base, [*claims, extra])
    assert after["low"] <= before["low"] and after["high"] >= before["high"]
