"""The reconciliation's smaller rules, each on a hand-made input with its answer worked out beside it.

Written against the mutants that `benchmarks/mutants.py` found surviving the other tests (the number of each
mutant it kills is in the test's docstring), so that each rule below is one a wrong change would break.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from casekit import claim, claims_case, event, movement, place

from analysis import figures, flows
from analysis.movements import Ratio, people_per_bus


def _case(tmp_path, claims, name="c", sources=None, movements=None):
    return claims_case(tmp_path / name, claims, movements, sources=sources)


def _fig(tmp_path, claims, subject="mv-a", quantity="people", **kw):
    return flows.reconcile(_case(tmp_path, claims, **kw)).figure(subject, quantity)


# --- the median and the best rule ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([5.0], 5.0),
        ([1.0, 2.0, 3.0], 2.0),
        ([4.0, 1.0, 3.0, 2.0], 2.5),  # (2 + 3) / 2
        ([9.0, 1.0, 7.0, 3.0, 5.0], 5.0),  # sorted 1 3 5 7 9: the third (mutant: the second, 3)
        ([1.0, float("nan"), 3.0, None], 2.0),  # NaN and None are not numbers: (1 + 3) / 2
    ],
)
def test_median_by_hand(values, expected):
    """Kills #8 (NaN kept) and #11 (the odd case's middle taken at n // 3)."""
    assert figures.median(values) == expected


def test_median_of_nothing_is_nan():
    assert math.isnan(figures.median([None, float("nan")]))


def test_prefer_needs_a_source_and_keeps_a_source_id_with_a_colon(tmp_path):
    """'prefer:' alone names no source (kills #2, #3); a source_id may hold ':' (the schema allows it): 'prefer:sana:ar'
    prefers the whole id 'sana:ar', not 'sana' (kills #5 and #37, which split the rule at every colon).

    sana:ar says 4,000, s2 says 2,000: preferring sana:ar gives best 4,000 (the median would be 3,000).
    """
    with pytest.raises(ValueError, match="prefer:<source_id>"):
        figures.check_best_rule("prefer:")
    claims = [claim("C1", "sana:ar", "mv-a", "people", 4000), claim("C2", "s2", "mv-a", "people", 2000)]
    case = _case(tmp_path, claims)
    assert figures.check_best_rule("prefer:sana:ar", case) == "prefer:sana:ar"
    f = flows.reconcile(case, best_rule="prefer:sana:ar").figure("mv-a", "people")
    assert (f["low"], f["best"], f["high"], f["best_from"]) == (2000, 4000, 4000, "prefer:sana:ar")


# --- open bounds ---------------------------------------------------------------------------------------------


def test_the_highest_of_two_floors_opens_the_top(tmp_path):
    """'at least 100', 'at least 300' and '250': the highest figure, 300, is a floor, so the top stays open.

    high = 300, open; low = 100.  Kills #28 (the lowest floor, 100, would be compared: 100 >= 300 is false).
    """
    claims = [
        claim("C1", "s1", "mv-a", "people", 100, qualifier="at least"),
        claim("C2", "s2", "mv-a", "people", 300, qualifier="at least"),
        claim("C3", "s3", "mv-a", "people", 250),
    ]
    f = _fig(tmp_path, claims)
    assert (f["low"], f["high"], f["high_open"], f["low_open"]) == (100, 300, True, False)


def test_a_floor_below_a_stated_figure_leaves_the_top_closed(tmp_path):
    """'at least 100' and '250': 250 is the top, and nobody said it may be more.  Kills #31 (100 <= 250 would open it)."""
    claims = [claim("C1", "s1", "mv-a", "people", 100, qualifier="at least"), claim("C2", "s2", "mv-a", "people", 250)]
    f = _fig(tmp_path, claims)
    assert (f["low"], f["high"], f["high_open"]) == (100, 250, False)


def test_ceilings_open_the_bottom_only_when_they_are_the_lowest_figure(tmp_path):
    """'at most 400' and '250': low 250, closed (kills #33: 400 >= 250 would open it).
    'at most 200', 'at most 350' and '250': low 200, open; the lowest ceiling, 200, is the bottom (kills #29)."""
    above = [claim("C1", "s1", "mv-a", "people", None, 400, qualifier="at most"), claim("C2", "s2", "mv-a", "people", 250)]
    f = _fig(tmp_path, above)
    assert (f["low"], f["high"], f["low_open"]) == (250, 400, False)
    below = [
        claim("C1", "s1", "mv-a", "people", None, 200, qualifier="at most"),
        claim("C2", "s2", "mv-a", "people", None, 350, qualifier="at most"),
        claim("C3", "s3", "mv-a", "people", 250),
    ]
    g = _fig(tmp_path, below, name="below")
    assert (g["low"], g["high"], g["low_open"]) == (200, 350, True)


# --- parts of the whole --------------------------------------------------------------------------------------


def test_parts_alone_give_a_floor_from_the_largest_part(tmp_path):
    """Two part claims, 100 and 300 (say, two convoys' people): the whole is at least 300, top open.

    low = best = high = 300, high open; best from the part floor; no whole claim, so no originator.
    Kills #36 (the smaller part, 100) and #45 (a part-only figure credited with an originator).
    """
    claims = [
        claim("C1", "s1", "mv-a", "people", 100, coverage="part"),
        claim("C2", "s2", "mv-a", "people", 300, coverage="part"),
    ]
    f = _fig(tmp_path, claims)
    assert (f["low"], f["best"], f["high"], f["high_open"]) == (300, 300, 300, True)
    assert (f["best_from"], f["n_originators"], f["n_claims"]) == ("part floor", 0, 2)


def test_a_part_larger_than_the_whole_lifts_both_bounds(tmp_path):
    """A whole of 200 and a part of 300: the whole is at least its part, so low = high = 300 and the vote (200)
    is clipped up to 300.  Kills #41 (low stays 200) and #43 (high stays 200)."""
    claims = [claim("C1", "s1", "mv-a", "people", 200), claim("C2", "s2", "mv-a", "people", 300, coverage="part")]
    f = _fig(tmp_path, claims)
    assert (f["low"], f["best"], f["high"]) == (300, 300, 300)


# --- plans ---------------------------------------------------------------------------------------------------


def test_a_figure_only_announced_has_its_range_and_no_reported_counts(tmp_path):
    """Announced: 3,000 and 3,200 people (two plans).  expected 3,000-3,200 (kills #46, #47: the ends swapped);
    nothing reported: 0 claims, 0 documents, 0 originators among the reported ones (kills #54: they would be 1)."""
    claims = [
        claim("C1", "s1", "mv-a", "people", 3200, basis="expected"),
        claim("C2", "s2", "mv-a", "people", 3000, basis="expected"),
    ]
    f = _fig(tmp_path, claims)
    assert (f["expected_low"], f["expected_high"], f["figure_basis"]) == (3000, 3200, "expected")
    assert (f["n_claims"], f["n_documents"], f["n_originators"]) == (0, 0, 0)
    assert pd.isna(f["best"])


# --- people per bus ------------------------------------------------------------------------------------------


def _figs(rows):
    cols = ["subject", "quantity", "best", "figure_basis", "high_open"]
    return pd.DataFrame([dict(zip(cols, r, strict=True)) for r in rows])


def test_people_per_bus_by_hand():
    """a: 100 people / 2 buses = 50; b: 180 / 3 = 60; c: 70 / 1 = 70.  Left out: d (0 buses: no ratio),
    e (people open at the top), f (only planned), g (no bus figure).

    Ratio 50 / 60 / 70 from a, b, c.  Kills #64, #65, #67 (d or c mishandled) and #69, #70 (low and high swapped).
    """
    figs = _figs(
        [
            ("a", "people", 100, "reported", False),
            ("a", "buses", 2, "reported", False),
            ("b", "people", 180, "reported", False),
            ("b", "buses", 3, "reported", False),
            ("c", "people", 70, "reported", False),
            ("c", "buses", 1, "reported", False),
            ("d", "people", 50, "reported", False),
            ("d", "buses", 0, "reported", False),
            ("e", "people", 900, "reported", True),
            ("e", "buses", 3, "reported", False),
            ("f", "people", 400, "expected", False),
            ("f", "buses", 2, "expected", False),
            ("g", "people", 10, "reported", False),
        ]
    )
    assert people_per_bus(figs, "abcdefg") == Ratio(50.0, 60.0, 70.0, ("a", "b", "c"))
    assert people_per_bus(figs, "dg") is None


def test_ratio_rounds_to_one_decimal():
    """100 / 3 = 33.33... -> 33.3; 200 / 3 = 66.66... -> 66.7; 55.55 -> 55.5 or 55.6 by float, so a plain 55.25 -> 55.2.

    Kills #58-#60 (two decimals)."""
    r = Ratio(100 / 3, 55.25, 200 / 3, ("a", "b"))
    assert r.as_dict() == {"low": 33.3, "best": 55.2, "high": 66.7, "movements": ["a", "b"]}


# --- people from their parts, and from buses -----------------------------------------------------------------


def test_people_derived_from_fighters_and_civilians_and_imputed_within_their_parts(tmp_path):
    """mv-a: 100 people in 2 buses (50 a bus, the only ratio).
    mv-b: no people; 300 fighters, civilians 700 or 900 (two originators) -> derived: 1,000 / 1,100 / 1,200
          (kills #72: 300 - 900 would leave the high at 1,000).
    mv-c: no people; 2 buses (-> 100 imputed) and 200 fighters -> at least the fighters: 200 / 200 / 200
          (kills #74: fighters + 1 = 201).
    mv-d: no people; 2 buses (-> 100 imputed) and 300 civilians -> at least the civilians: 300 / 300 / 300
          (kills #77: 0 - 300 would leave 100).
    Only mv-c and mv-d are imputed (kills #86).
    """
    claims = [
        claim("C1", "s1", "mv-a", "people", 100),
        claim("C2", "s1", "mv-a", "buses", 2),
        claim("C3", "s1", "mv-b", "fighters", 300),
        claim("C4", "s1", "mv-b", "civilians", 700),
        claim("C5", "s2", "mv-b", "civilians", 900),
        claim("C6", "s1", "mv-c", "buses", 2),
        claim("C7", "s1", "mv-c", "fighters", 200),
        claim("C8", "s1", "mv-d", "buses", 2),
        claim("C9", "s1", "mv-d", "civilians", 300),
    ]
    movements = [movement(m) for m in ("mv-a", "mv-b", "mv-c", "mv-d")]
    mt = flows.reconcile(_case(tmp_path, claims, movements=movements)).movements.set_index("movement_id")
    got = {m: tuple(int(mt.loc[m, f"people_{s}"]) for s in ("low", "best", "high")) for m in mt.index}
    assert got == {"mv-a": (100, 100, 100), "mv-b": (1000, 1100, 1200), "mv-c": (200, 200, 200), "mv-d": (300, 300, 300)}
    assert dict(mt["people_basis"]) == {"mv-a": "claimed", "mv-b": "derived", "mv-c": "imputed", "mv-d": "imputed"}
    assert dict(mt["imputed"]) == {"mv-a": False, "mv-b": False, "mv-c": True, "mv-d": True}


# --- intervals -----------------------------------------------------------------------------------------------


def test_an_interval_touching_another_is_not_above_it():
    """With no tolerance, 100-120 is not above 90-100 (they share 100; kills #91), and 101-120 is."""
    from analysis.checks import Span

    other = Span(90, 95, 100)
    assert not Span(100, 110, 120).above(other, 0.0)
    assert Span(101, 110, 120).above(other, 0.0)


@pytest.mark.parametrize(
    ("span", "text"),
    [
        ((1500, 1500, 1500, False, False), "1,500"),
        ((1500, 1600, 1700, False, False), "1,500-1,700"),
        ((30, 30, 30, False, True), "30+"),
        ((60, 60, 60, True, False), "<=60"),
        ((0, 40, 60, True, False), "<=60"),
    ],
)
def test_interval_text(span, text):
    """How an interval is written in a contradiction's description (kills #97, #98)."""
    from analysis.checks import Span

    assert Span(*span).text() == text


def test_a_sum_with_a_part_missing_is_open_above():
    """1-3 plus 2-4 is 3-7, closed when every part has a figure; open above when one part has none (kills #100-#102)."""
    from analysis.checks import Span, total_of

    spans = [Span(1, 2, 3), Span(2, 3, 4)]
    assert total_of(spans, 0) == Span(3, 5, 7, False, False)
    assert total_of(spans, 1) == Span(3, 5, 7, False, True)


# --- checks: rows and their numbers --------------------------------------------------------------------------


def _rows(tmp_path, claims, check, movements=None, places=None, name="c"):
    k = flows.reconcile(claims_case(tmp_path / name, claims, movements, places)).contradictions
    return k[k["check"] == check].to_dict("records")


def test_movements_summing_below_the_total_are_flagged_with_the_gap(tmp_path):
    """Total 900 people; the two movements say 300 and 400: 700, and 900 > 700 x 1.05, so they cannot both hold.

    gap = 700 - 900 = -200 (kills #105: +1,600); gap_pct = -200 / 900 = -22.2% (kills #107: -22.22); every movement
    has a figure, so the sum is closed above and the row is there (kills #111: a sum counted as missing parts).
    """
    claims = [
        claim("C1", "s1", "total", "people", 900),
        claim("C2", "s1", "mv-a", "people", 300),
        claim("C3", "s1", "mv-b", "people", 400),
    ]
    rows = _rows(tmp_path, claims, "parts_vs_total", movements=[movement("mv-a"), movement("mv-b")])
    assert [(r["subject"], r["quantity"], r["whole"], r["parts_best"], r["gap"], r["gap_pct"]) for r in rows] == [
        ("total", "people", 900, 700, -200, -22.2)
    ]


def test_fighters_and_civilians_short_of_the_people_are_flagged(tmp_path):
    """mv-a: 1,000 people, 100 fighters + 200 civilians = 300: 1,000 > 300 x 1.05.  Kills #125 (the sum left open above)."""
    claims = [
        claim("C1", "s1", "mv-a", "people", 1000),
        claim("C2", "s2", "mv-a", "fighters", 100),
        claim("C3", "s3", "mv-a", "civilians", 200),
    ]
    rows = _rows(tmp_path, claims, "composition")
    assert [(r["subject"], r["whole"], r["parts_best"], r["gap"]) for r in rows] == [("mv-a", 1000, 300, -700)]


def test_one_documents_own_figures_that_do_not_add_up_are_flagged(tmp_path):
    """s1 says 1,000 people: 300 fighters and 400 civilians (700).  |700 - 1,000| / 1,000 = 30% > 5%.
    Kills #126 (only part-coverage claims read: no row)."""
    claims = [
        claim("C1", "s1", "mv-a", "people", 1000),
        claim("C2", "s1", "mv-a", "fighters", 300),
        claim("C3", "s1", "mv-a", "civilians", 400),
    ]
    rows = _rows(tmp_path, claims, "source_composition")
    assert [(r["subject"], r["claim_ids"]) for r in rows] == [("mv-a", "C1;C2;C3")]


def test_places_and_movements_are_named_in_the_descriptions(tmp_path):
    """The enclave holds town-a and town-b.  From the enclave: 1,000; from town-a: 700; from town-b: 600 -> the towns
    add up to 1,300, more than the enclave (places_vs_within).  mv-a left town-a with 900, more than town-a's 700
    (origin_vs_movements).  The descriptions name the places without the 'from:' prefix (kills #120, #122)."""
    places = [place("enclave"), place("town-a", within="enclave"), place("town-b", within="enclave"), place("y")]
    claims = [
        claim("C1", "s1", "from:enclave", "people", 1000),
        claim("C2", "s1", "from:town-a", "people", 700),
        claim("C3", "s1", "from:town-b", "people", 600),
        claim("C4", "s1", "mv-a", "people", 900),
    ]
    mv = [movement("mv-a", origin="town-a")]
    within = _rows(tmp_path, claims, "places_vs_within", movements=mv, places=places)
    assert len(within) == 1 and "the places inside it (town-a, town-b)" in within[0]["description"]
    origin = _rows(tmp_path, claims, "origin_vs_movements", movements=mv, places=places, name="c2")
    assert [r["subject"] for r in origin] == ["from:town-a"] and "the movements from town-a " in origin[0]["description"]


def test_a_document_off_by_exactly_the_tolerance_is_not_flagged(tmp_path):
    """s1: 1,000 people = 600 fighters + 350 civilians = 950: off by 50 / 1,000 = 5%, the tolerance itself, which is
    allowed (kills #132).  s2 on mv-b: 1,000 people, 600 + 340 = 940: 6%, flagged."""
    claims = [
        claim("C1", "s1", "mv-a", "people", 1000),
        claim("C2", "s1", "mv-a", "fighters", 600),
        claim("C3", "s1", "mv-a", "civilians", 350),
        claim("C4", "s2", "mv-b", "people", 1000),
        claim("C5", "s2", "mv-b", "fighters", 600),
        claim("C6", "s2", "mv-b", "civilians", 340),
    ]
    rows = _rows(tmp_path, claims, "source_composition", movements=[movement("mv-a"), movement("mv-b")])
    assert [r["subject"] for r in rows] == ["mv-b"]


def test_convoys_claimed_against_the_movements_in_the_tables(tmp_path):
    """Two movements; a source speaks of 3 convoys: one row (kills #136).  A source speaking of 2: no row."""
    mv = [movement("mv-a"), movement("mv-b")]
    three = _rows(tmp_path, [claim("C1", "s1", "total", "convoys", 3)], "convoy_count", movements=mv)
    assert [(r["whole"], r["parts_best"]) for r in three] == [(3, 2)]
    assert "the tables hold 2 movements; the sources speak of 3 convoys" in three[0]["description"]
    assert _rows(tmp_path, [claim("C1", "s1", "total", "convoys", 2)], "convoy_count", movements=mv, name="c2") == []


def test_disagreement_reads_reported_whole_claims_only(tmp_path):
    """Reported, whole: 1,000 (s1) and 2,000 (s2): no figure fits both (2,000 > 1,000 x 1.05): one row, gap 1,000.
    A plan (5,000 expected) and a part (100) are not part of it: claim ids C1;C2.
    Kills #137 and #138 (only plans, or only parts, read: no row) and #139 (the lowest floor, 1,000: no row)."""
    claims = [
        claim("C1", "s1", "mv-a", "people", 1000),
        claim("C2", "s2", "mv-a", "people", 2000),
        claim("C3", "s3", "mv-a", "people", 5000, basis="expected"),
        claim("C4", "s3", "mv-a", "people", 100, coverage="part"),
    ]
    rows = _rows(tmp_path, claims, "disagreement")
    assert [(r["claim_ids"], r["whole"], r["parts_best"], r["gap"]) for r in rows] == [("C1;C2", 1000, 2000, 1000)]


def test_two_figures_exactly_the_tolerance_apart_agree(tmp_path):
    """1,000 and 1,050: 1,050 = 1,000 x 1.05, inside the tolerance: no disagreement (kills #142)."""
    claims = [claim("C1", "s1", "mv-a", "people", 1000), claim("C2", "s2", "mv-a", "people", 1050)]
    assert _rows(tmp_path, claims, "disagreement") == []


# --- checks: dates -------------------------------------------------------------------------------------------


def test_dates_are_read_from_the_table_that_holds_the_subject(tmp_path):
    """ev-go is on 20 April (events table); a claim puts it on 25 April: 5 days late, gap +5 (as a claim 3 days early
    has gap -3 in test_flows) (kills #149, which would look for the event among the movements).
    A claim of a departure day for the whole ('total'), which no table dates, is not compared (kills #150, which would
    look 'total' up among the movements and fail); nor is a 'date' claimed of a movement (kills #148)."""
    claims = [
        claim("D1", "s1", "ev-go", "date", None, text="2018-04-25"),
        claim("D2", "s1", "total", "depart_date", None, text="2018-04-21"),
        claim("D3", "s1", "mv-a", "date", None, text="2018-04-21"),
    ]
    ev = [event("ev-go", "2018-04-20", phase="evacuation", event_type="convoy_departure")]
    case = claims_case(tmp_path / "c", claims, [movement("mv-a", depart="2018-04-22")], events=ev)
    k = flows.reconcile(case).contradictions
    assert [(r["check"], r["subject"], r["claim_ids"], r["gap"]) for r in k.to_dict("records")] == [("date", "ev-go", "D1", 5)]


def test_a_departure_on_the_day_of_arrival_is_not_after_it_and_the_gap_is_the_largest(tmp_path):
    """mv-a arrives on 24 April (table).  Departure claims: 24 April (same day: fine, kills #155), 27 and 29 April
    (3 and 5 days after): one row naming D2 and D3, gap 5 days, the largest (kills #161)."""
    claims = [
        claim("D1", "s1", "mv-a", "depart_date", None, text="2018-04-24"),
        claim("D2", "s1", "mv-a", "depart_date", None, text="2018-04-27"),
        claim("D3", "s1", "mv-a", "depart_date", None, text="2018-04-29"),
    ]
    rows = _rows(tmp_path, claims, "departure_after_arrival", movements=[movement("mv-a", arrive="2018-04-24")])
    assert [(r["claim_ids"], r["gap"]) for r in rows] == [("D2;D3", 5)]


def test_a_plan_missed_is_written_with_its_whole_range(tmp_path):
    """Plans of 3,000 and 3,200 people; 2,500 reported.  The row says 'announced 3,000-3,200, reported 2,500' and
    carries the plan's top, 3,200 (kills #167: 3,200-3,200; #168: a top of 3,000).  It is informational, and the
    table's first column is its id (kills #171)."""
    claims = [
        claim("C1", "s1", "mv-a", "people", 2500),
        claim("C2", "s2", "mv-a", "people", 3000, basis="expected"),
        claim("C3", "s3", "mv-a", "people", 3200, basis="expected"),
    ]
    rec = flows.reconcile(_case(tmp_path, claims))
    p = rec.plan_vs_outcome
    assert list(p.columns[:2]) == ["contradiction_id", "check"]
    rows = p.to_dict("records")
    assert len(rows) == 1 and "announced 3,000-3,200, reported 2,500" in rows[0]["description"]
    assert (rows[0]["whole"], rows[0]["parts_best"]) == (2500, 3200)
    assert rec.contradictions.empty
