"""Properties of the reconciliation and its aggregates over random inputs (hypothesis).

For one subject and quantity, whatever the claims: low <= best <= high; best is a figure some claim gives, and no
other figure a claim gives is allowed by more originators (best sits where the most agree); a relay (the same
originator's same figure in another document) never changes best; an expected claim never changes low / best / high;
another reported claim can only widen [low, high].

For sums over movements, whatever the figures: removing one movement's figure never narrows the total and always
opens its high; unknown is never printed as 0.
"""

from __future__ import annotations

import dataclasses
import math

import pandas as pd
import pytest
from casekit import movement, originator, place, source, write_case
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import aggregate, present, vocab
from analysis.figures import DEFAULT_TOLERANCE, figures
from analysis.validation import coerce

ORIGINATORS = ("sana", "sohr", "afp", "eswiki", "syria-direct", "xinhua")
SHAPES = {"exact": "point", "about": "point", "between": "range", "at least": "floor", "at most": "ceiling"}


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """A valid case with one movement, mv-a, ten documents d0..d9 and six originators; claims are swapped in per example."""
    folder = tmp_path_factory.mktemp("prop") / "p"
    return write_case(
        folder,
        {
            "sources": [source(f"d{i}") for i in range(10)] + [source("s1")],
            "places": [place("x"), place("y")],
            "movements": [movement("mv-a")],
            "originators": [originator(o) for o in ORIGINATORS],
        },
    )


@st.composite
def a_claim(draw, basis: str = "reported", who: str | None = None, dated: bool = True):
    qualifier = draw(st.sampled_from(sorted(SHAPES)))
    a = draw(st.integers(1, 10_000))
    b = draw(st.integers(a + 1, 10_001))
    low, high = {"exact": (a, a), "about": (a, a), "between": (a, b), "at least": (a, None), "at most": (None, a)}[qualifier]
    day = draw(st.one_of(st.just(""), st.integers(1, 28).map(lambda d: f"2018-04-{d:02d}"))) if dated else ""
    return {
        "source_id": f"d{draw(st.integers(0, 9))}",
        "originator_id": who or draw(st.sampled_from(ORIGINATORS)),
        "value_low": "" if low is None else str(low),
        "value_high": "" if high is None else str(high),
        "qualifier": qualifier,
        "basis": basis,
        "as_of": day,
    }


def _figure(case, claims: list[dict]) -> dict:
    rows = [
        {"claim_id": f"C{i}", "subject": "mv-a", "quantity": "people", "coverage": "whole", "summary_en": "x", **c}
        for i, c in enumerate(claims)
    ]
    resource = vocab.resource(case.package, "claims")
    raw = pd.DataFrame(rows, columns=[f["name"] for f in resource["schema"]["fields"]]).replace("", pd.NA)
    swapped = dataclasses.replace(case, tables={**case.tables, "claims": coerce(raw.astype("string").astype(object), resource)})
    f = figures(swapped)
    return f.iloc[0].to_dict() if len(f) else {}


def _lbh(f: dict) -> tuple:
    return (f["low"], f["best"], f["high"])


def _interval(c: dict) -> tuple[float, float]:
    """A claim's interval, widened by the tolerance where it is approximate (open sides infinite)."""
    w = DEFAULT_TOLERANCE if c["qualifier"] == "about" else 0.0
    lo = float(c["value_low"]) * (1 - w) if c["value_low"] else -math.inf
    hi = float(c["value_high"]) * (1 + w) if c["value_high"] else math.inf
    return lo, hi


def _given(c: dict) -> set[float]:
    vals = {float(v) for v in (c["value_low"], c["value_high"]) if v}
    if c["value_low"] and c["value_high"]:
        vals.add((float(c["value_low"]) + float(c["value_high"])) / 2)
    return vals


SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(st.lists(a_claim(), min_size=1, max_size=8))
def test_low_best_high_are_ordered(base, claims):
    f = _figure(base, claims)
    assert f["low"] <= f["best"] <= f["high"]


@SETTINGS
@given(st.lists(st.sampled_from(ORIGINATORS), min_size=1, max_size=6, unique=True).flatmap(
    lambda who: st.tuples(*(a_claim(who=w, dated=False) for w in who))
))  # fmt: skip
def test_best_is_a_figure_given_where_the_most_originators_agree(base, claims):
    """One claim per originator: best is one of the figures the claims give (rounded), inside every agreeing claim,
    and no figure given is inside the intervals of more originators than best is (brute force over every figure)."""
    claims = list(claims)
    f = _figure(base, claims)
    values = set().union(*(_given(c) for c in claims))
    assert any(abs(f["best"] - v) <= 0.5 for v in values)
    depth = lambda v: sum(1 for c in claims if _interval(c)[0] <= v <= _interval(c)[1])  # noqa: E731
    best_value = min(values, key=lambda v: abs(v - f["best"]))
    assert depth(best_value) == max(depth(v) for v in values) == f["n_agreeing"]
    agreeing = set(f["agreeing"].split(";"))
    for c in claims:
        lo, hi = _interval(c)
        if c["originator_id"] in agreeing:
            assert lo - 0.5 <= f["best"] <= hi + 0.5


@SETTINGS
@given(st.lists(a_claim(), min_size=1, max_size=8), st.data())
def test_a_relay_never_changes_best(base, claims, data):
    original = data.draw(st.sampled_from(claims))
    relay = {**original, "source_id": "s1", "as_of": ""}  # the same originator's same figure, read in another document
    before, after = _figure(base, claims), _figure(base, [*claims, relay])
    assert after["best"] == before["best"]
    assert after["n_originators"] == before["n_originators"]


@SETTINGS
@given(st.lists(a_claim(), min_size=1, max_size=8), a_claim(basis="expected"))
def test_an_expected_claim_never_changes_the_figure(base, claims, plan):
    assert _lbh(_figure(base, [*claims, plan])) == _lbh(_figure(base, claims))


@SETTINGS
@given(st.lists(a_claim(), min_size=1, max_size=8), a_claim())
def test_another_claim_only_widens_the_range(base, claims, extra):
    before, after = _figure(base, claims), _figure(base, [*claims, extra])
    assert after["low"] <= before["low"] and after["high"] >= before["high"]


# --- sums over movements ----------------------------------------------------------------------------------------


@st.composite
def a_movement_table(draw):
    """2-8 movements, each with people low <= best <= high (or none at all), open above or not, on 1-3 days."""
    n = draw(st.integers(2, 8))
    rows = []
    for i in range(n):
        known = draw(st.booleans())
        lo = draw(st.integers(0, 5000))
        be = lo + draw(st.integers(0, 500))
        hi = be + draw(st.integers(0, 500))
        rows.append(
            {
                "movement_id": f"mv-{i}",
                "origin_place_id": "x",
                "destination_place_id": draw(st.sampled_from(["y", "z"])),
                "timeline_date": pd.Timestamp(f"2020-01-0{draw(st.integers(1, 3))}"),
                "depart_date": pd.NaT,
                "arrive_date": pd.NaT,
                "people_low": lo if known else None,
                "people_best": be if known else None,
                "people_high": hi if known else None,
                "people_low_open": False,
                "people_high_open": known and draw(st.booleans()),
                "people_basis": "claimed" if known else "unknown",
                "buses_low": None,
                "buses_best": None,
                "buses_high": None,
                "buses_low_open": False,
                "buses_high_open": False,
            }
        )
    mt = pd.DataFrame(rows)
    mt["depart_date"] = mt["timeline_date"]
    for c in ("people_low", "people_best", "people_high", "buses_low", "buses_best", "buses_high"):
        mt[c] = mt[c].astype("Int64")
    return mt


@SETTINGS
@given(a_movement_table(), st.data())
def test_removing_a_movements_figure_never_narrows_the_total_and_opens_it(mt, data):
    i = data.draw(st.integers(0, len(mt) - 1))
    before = aggregate.movement_sum(mt, "people").total
    blanked = mt.copy()
    blanked.loc[i, ["people_low", "people_best", "people_high"]] = pd.NA
    blanked.loc[i, "people_basis"] = "unknown"
    after = aggregate.movement_sum(blanked, "people")
    assert after.total.high_open and after.n_unknown >= 1
    if before.known and after.total.known:
        assert after.total.low <= before.low


@SETTINGS
@given(a_movement_table())
def test_unknown_is_never_printed_as_zero(mt):
    """Every day, destination and origin-destination cell whose movements all lack a figure reads 'unknown', never 0."""
    unknown_days = {d for d, g in mt.groupby("depart_date") if g["people_best"].isna().all()}
    daily = present.daily_table(mt, "en").frame
    for day, text in zip(daily["Date"], daily["People departing"], strict=True):
        if pd.Timestamp(day) in unknown_days:
            assert text == "unknown"
        assert text != "0"
    by = aggregate.shares(mt, "destination_place_id")
    for r in by.itertuples():
        if r.n_unknown == r.n_movements:
            assert r.best is None or pd.isna(r.best)
        else:
            assert r.high_open == (
                r.n_unknown > 0 or bool(mt.loc[mt["destination_place_id"] == r.destination_place_id, "people_high_open"].any())
            )
