"""The reconciliation's smaller rules, each on a hand-made input with its answer worked out beside it.

Written against the mutants that `benchmarks/mutants.py` found surviving the other tests, so that each rule below
is one a wrong change would break.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from casekit import claim, claims_case, event, movement, originator, place

from analysis import figures, flows
from analysis.intervals import Interval, total
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
        ([4.0, 1.0, 3.0, 2.0], 2.0),  # sorted 1 2 3 4: the lower of the two middle values, a value given (not 2.5)
        ([9.0, 1.0, 7.0, 3.0, 5.0], 5.0),  # sorted 1 3 5 7 9: the third
        ([1.0, float("nan"), 3.0, None], 1.0),  # NaN and None are not numbers: 1 and 3, the lower middle
    ],
)
def test_lower_median_by_hand(values, expected):
    assert figures.lower_median(values) == expected


def test_median_of_nothing_is_nan():
    assert math.isnan(figures.lower_median([None, float("nan")]))
    assert math.isnan(figures.median([None, float("nan")]))


def test_prefer_needs_a_source_and_keeps_a_source_id_with_a_colon(tmp_path):
    """'prefer:' alone names no source; a source_id may hold ':' (the schema allows it): 'prefer:sana:ar'
    prefers the whole id 'sana:ar', not 'sana'.

    sana:ar says 4,000, s2 says 2,000: preferring sana:ar gives best 4,000 (the voices alone give the lower, 2,000).
    """
    with pytest.raises(ValueError, match="prefer:<source_id>"):
        figures.check_best_rule("prefer:")
    claims = [claim("C1", "sana:ar", "mv-a", "people", 4000, who="sana"), claim("C2", "s2", "mv-a", "people", 2000)]
    case = _case(tmp_path, claims)
    assert figures.check_best_rule("prefer:sana:ar", case) == "prefer:sana:ar"
    f = flows.reconcile(case, best_rule="prefer:sana:ar").figure("mv-a", "people")
    assert (f["low"], f["best"], f["high"], f["best_from"]) == (2000, 4000, 4000, "prefer")
    assert flows.reconcile(case).figure("mv-a", "people")["best"] == 2000


# --- best: floors constrain, even counts give a figure a source gave -----------------------------------------


def test_floors_constrain_and_never_vote_at_their_bound(tmp_path):
    """'at least 1,000' (s1), 'at least 1,000' (s2) and exactly 1,400 (s3).

    All three allow 1,400 (agreeing: 3); the floors do not vote, so the only vote is 1,400: best 1,400 (the old rule
    gave 1,000, which the exact claim rules out).  low 1,000 (the floors), high 1,400, closed: nobody allows more.
    """
    claims = [
        claim("C1", "s1", "mv-a", "people", 1000, qualifier="at least"),
        claim("C2", "s2", "mv-a", "people", 1000, qualifier="at least"),
        claim("C3", "s3", "mv-a", "people", 1400),
    ]
    f = _fig(tmp_path, claims)
    assert (f["low"], f["best"], f["high"], f["high_open"]) == (1000, 1400, 1400, False)
    assert (f["n_agreeing"], f["best_claim_ids"], f["best_from"]) == (3, "C3", "single")


def test_an_even_number_of_votes_gives_the_lower_of_the_two_middle_figures(tmp_path):
    """About 1,000 (s1: 950-1,050 with the 5% tolerance) and about 1,040 (s2: 988-1,092): each holds the other's figure,
    so both agree; the two middle votes are 1,000 and 1,040, and best is the lower, 1,000, a figure a source gave (the
    mean, 1,020, is no one's).

    About 5,000 and about 5,500 hold no figure in common (5,500 x 0.95 = 5,225 > 5,000 x 1.05 = 5,250 is false, but
    neither 5,000 nor 5,500 lies in both): they disagree, and best is again the lower, with one voice agreeing."""
    claims = [
        claim("C1", "s1", "total", "people", 1000, qualifier="about"),
        claim("C2", "s2", "total", "people", 1040, qualifier="about"),
    ]
    f = _fig(tmp_path, claims, subject="total")
    assert (f["best"], f["n_agreeing"], f["best_from"], f["best_claim_ids"]) == (1000, 2, "lower_middle", "C1")
    apart = [
        claim("C1", "s1", "total", "people", 5000, qualifier="about"),
        claim("C2", "s2", "total", "people", 5500, qualifier="about"),
    ]
    rec = flows.reconcile(_case(tmp_path, apart, name="apart"))
    assert (rec.figure("total", "people")["best"], rec.figure("total", "people")["n_agreeing"]) == (5000, 1)
    assert list(rec.contradictions["check"]) == ["disagreement"]


def test_best_lies_inside_the_largest_set_that_agrees(tmp_path):
    """1,000 (s1), 1,400 (s2), 1,400 (s3) and 'at least 1,200' (s4): 1,400 is allowed by s2, s3 and s4 (three voices),
    1,000 only by s1.  best = 1,400; s1 disagrees (a disagreement record), agreeing 3 of 4."""
    claims = [
        claim("C1", "s1", "mv-a", "people", 1000),
        claim("C2", "s2", "mv-a", "people", 1400),
        claim("C3", "s3", "mv-a", "people", 1400),
        claim("C4", "s4", "mv-a", "people", 1200, qualifier="at least"),
    ]
    rec = flows.reconcile(_case(tmp_path, claims))
    f = rec.figure("mv-a", "people")
    assert (f["best"], f["n_agreeing"], f["n_originators"], f["agreeing"]) == (1400, 3, 4, "s2;s3;s4")
    assert list(rec.contradictions["check"]) == ["disagreement"]


def test_sensitivity_is_the_largest_move_without_one_originator(tmp_path):
    """100 (a), 120 (b), 130 (c), all exact, all different: each agrees only with itself; the tie goes to the set holding
    the lower middle vote (120): best 120.  Without a: 120 and 130, lower middle 120 (no move).  Without b: 100 and 130,
    lower middle 100 (a move of 20).  Without c: 100 and 120 -> 100 (20).  Sensitivity 20, first by key: b."""
    claims = [claim("C1", "a", "mv-a", "people", 100), claim("C2", "b", "mv-a", "people", 120), claim("C3", "c", "mv-a", "people", 130)]
    f = _fig(tmp_path, claims)
    assert (f["best"], f["sensitivity"], f["sensitive_to"]) == (120, 20, "b")
    single = _fig(tmp_path, [claim("C1", "a", "mv-a", "people", 100)], name="one")
    assert pd.isna(single["sensitivity"]) and single["sensitive_to"] == ""


def test_anonymous_originators_are_one_per_document(tmp_path):
    """'activists' in two unrelated outlets (d1, d2) are two voices; a named agency in two outlets is one.

    activists: 300 in d1, 300 in d2 -> two originators, agreeing (fair); agency: 500 in d3 and d4 -> one."""
    claims = [
        claim("C1", "d1", "mv-a", "people", 300, who="activists"),
        claim("C2", "d2", "mv-a", "people", 300, who="activists"),
        claim("C3", "d3", "mv-b", "people", 500, who="agency"),
        claim("C4", "d4", "mv-b", "people", 500, who="agency"),
    ]
    origins = [originator("activists", kind="anonymous"), originator("agency")]
    case = claims_case(tmp_path / "c", claims, [movement("mv-a"), movement("mv-b")], originators=origins)
    rec = flows.reconcile(case)
    a, b = rec.figure("mv-a", "people"), rec.figure("mv-b", "people")
    assert (a["n_originators"], a["originators"], a["grade"]) == (2, "activists@d1;activists@d2", "fair")
    assert (b["n_originators"], b["grade"]) == (1, "single_source")


def test_grades(tmp_path):
    """Two voices on different sides agreeing: confirmed; on one side: fair; one voice: single source; voices that
    disagree: contested; only a plan: plan only."""
    claims = [
        claim("C1", "gov", "mv-a", "people", 100, who="gov"),
        claim("C2", "opp", "mv-a", "people", 100, who="opp"),
        claim("C3", "gov", "mv-b", "people", 200, who="gov"),
        claim("C4", "gov2", "mv-b", "people", 200, who="gov2"),
        claim("C5", "gov", "mv-c", "people", 300, who="gov"),
        claim("C6", "gov", "mv-d", "people", 400, who="gov"),
        claim("C7", "opp", "mv-d", "people", 500, who="opp"),
        claim("C8", "gov", "mv-e", "people", 600, who="gov", basis="expected"),
    ]
    origins = [originator("gov", side="government"), originator("gov2", side="government"), originator("opp", side="opposition")]
    mv = [movement(m) for m in ("mv-a", "mv-b", "mv-c", "mv-d", "mv-e")]
    rec = flows.reconcile(claims_case(tmp_path / "c", claims, mv, originators=origins))
    got = {m: rec.figure(m, "people")["grade"] for m in ("mv-a", "mv-b", "mv-c", "mv-d", "mv-e")}
    assert got == {"mv-a": "confirmed", "mv-b": "fair", "mv-c": "single_source", "mv-d": "contested", "mv-e": "plan_only"}


def test_figures_are_split_by_fate(tmp_path):
    """12 tanks found and 30 tanks destroyed are two figures, never one range of 12-30 (nor a disagreement)."""
    claims = [
        claim("C1", "s1", "total", "tanks", 12, fate="found"),
        claim("C2", "s2", "total", "tanks", 30, fate="destroyed"),
    ]
    rec = flows.reconcile(_case(tmp_path, claims))
    assert (rec.figure("total", "tanks", "found")["best"], rec.figure("total", "tanks", "destroyed")["best"]) == (12, 30)
    assert rec.figure("total", "tanks") is None and rec.contradictions.empty


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

    low = best = high = 300, high open; best from the part floor; no whole claim, so no originator; single source.
    """
    claims = [
        claim("C1", "s1", "mv-a", "people", 100, coverage="part"),
        claim("C2", "s2", "mv-a", "people", 300, coverage="part"),
    ]
    f = _fig(tmp_path, claims)
    assert (f["low"], f["best"], f["high"], f["high_open"]) == (300, 300, 300, True)
    assert (f["best_from"], f["n_originators"], f["n_claims"], f["grade"]) == ("part_floor", 0, 2, "single_source")


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
    cols = ["subject", "quantity", "best", "figure_basis", "high_open", "grade"]
    out = pd.DataFrame([dict(zip(cols, r, strict=True)) for r in rows])
    return out.assign(fate="", low_open=False, n_agreeing=1, n_originators=1)


def test_people_per_bus_by_hand():
    """a: 100 people / 2 buses = 50; b: 180 / 3 = 60; c: 70 / 1 = 70.  Left out: d (0 buses: no ratio),
    e (people open at the top), f (only planned), g (no bus figure), h (contested people: disputed evidence).

    Ratio 50 / 60 / 70 from a, b, c.  With plausibility bounds 55-65 people a bus, only b is kept: 60 / 60 / 60.
    """
    figs = _figs(
        [
            ("a", "people", 100, "reported", False, "single_source"),
            ("a", "buses", 2, "reported", False, "single_source"),
            ("b", "people", 180, "reported", False, "fair"),
            ("b", "buses", 3, "reported", False, "single_source"),
            ("c", "people", 70, "reported", False, "confirmed"),
            ("c", "buses", 1, "reported", False, "single_source"),
            ("d", "people", 50, "reported", False, "single_source"),
            ("d", "buses", 0, "reported", False, "single_source"),
            ("e", "people", 900, "reported", True, "single_source"),
            ("e", "buses", 3, "reported", False, "single_source"),
            ("f", "people", 400, "expected", False, "plan_only"),
            ("f", "buses", 2, "expected", False, "plan_only"),
            ("g", "people", 10, "reported", False, "single_source"),
            ("h", "people", 900, "reported", False, "contested"),
            ("h", "buses", 2, "reported", False, "single_source"),
        ]
    )
    assert people_per_bus(figs, "abcdefgh") == Ratio(50.0, 60.0, 70.0, ("a", "b", "c"))
    assert people_per_bus(figs, "abcdefgh", (55.0, 65.0)) == Ratio(60.0, 60.0, 60.0, ("b",), (55.0, 65.0))
    assert people_per_bus(figs, "dgh") is None


def test_ratio_rounds_to_one_decimal():
    """100 / 3 = 33.33... -> 33.3; 200 / 3 = 66.66... -> 66.7; 55.25 -> 55.2 (half to even in float)."""
    r = Ratio(100 / 3, 55.25, 200 / 3, ("a", "b"))
    assert r.as_dict() == {"low": 33.3, "best": 55.2, "high": 66.7, "movements": ["a", "b"]}


# --- people from their parts, and from buses -----------------------------------------------------------------


def test_people_derived_from_fighters_and_civilians_and_imputed_within_their_parts(tmp_path):
    """mv-a: 100 people in 2 buses (50 a bus, the only ratio).
    mv-b: no people; 300 fighters, civilians 700 or 900 (two originators, disagreeing: best the lower, 700)
          -> derived: 1,000 / 1,000 / 1,200.
    mv-c: no people; 2 buses (-> 100 imputed) and 200 fighters -> at least the fighters: 200 / 200 / 200.
    mv-d: no people; 2 buses (-> 100 imputed) and 300 civilians -> at least the civilians: 300 / 300 / 300.
    Only mv-c and mv-d are imputed.
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
    assert got == {"mv-a": (100, 100, 100), "mv-b": (1000, 1000, 1200), "mv-c": (200, 200, 200), "mv-d": (300, 300, 300)}
    assert dict(mt["people_basis"]) == {"mv-a": "claimed", "mv-b": "derived", "mv-c": "imputed", "mv-d": "imputed"}
    assert dict(mt["imputed"]) == {"mv-a": False, "mv-b": False, "mv-c": True, "mv-d": True}


# --- intervals -----------------------------------------------------------------------------------------------


def test_an_interval_touching_another_is_not_above_it():
    """With no tolerance, 100-120 is not above 90-100 (they share 100), and 101-120 is; with 5%, 104 is not above 100."""
    other = Interval(90, 95, 100)
    assert not Interval(100, 110, 120).above(other)
    assert Interval(101, 110, 120).above(other)
    assert not Interval(104, 104, 104).above(other, 0.05)


def test_a_sum_with_a_part_missing_is_open_above_and_counts_it():
    """1-3 plus 2-4 is 3-7, closed when every part has a figure; with a third part of no figure it is 3-7 open above,
    1 of 3 unknown (never 3-7 closed, as an unknown read as 0 would give)."""
    spans = [Interval(1, 2, 3), Interval(2, 3, 4)]
    assert total(spans) == Interval(3, 5, 7, False, False, 2, 0)
    with_unknown = total([*spans, Interval.unknown("c")])
    assert (with_unknown.low, with_unknown.best, with_unknown.high, with_unknown.high_open) == (3, 5, 7, True)
    assert (with_unknown.n_parts, with_unknown.n_unknown, with_unknown.unknown_parts) == (3, 1, ("c",))
    assert not total([Interval.unknown("a")]).known


# --- checks: records and their numbers -----------------------------------------------------------------------


def _rows(tmp_path, claims, check, movements=None, places=None, name="c"):
    k = flows.reconcile(claims_case(tmp_path / name, claims, movements, places)).contradictions
    return k[k["check"] == check].to_dict("records")


def test_movements_summing_below_the_total_are_flagged_with_the_gap(tmp_path):
    """Total 900 people; the two movements say 300 and 400: 700, and 900 > 700, so they cannot both hold.

    gap = 700 - 900 = -200; gap_pct = -200 / 900 = -22.2%; every movement has a figure, so the sum is closed above and
    the record is there.
    """
    claims = [
        claim("C1", "s1", "total", "people", 900),
        claim("C2", "s1", "mv-a", "people", 300),
        claim("C3", "s1", "mv-b", "people", 400),
    ]
    rows = _rows(tmp_path, claims, "parts_vs_total", movements=[movement("mv-a"), movement("mv-b")])
    assert [(r["subject"], r["quantity"], r["whole_best"], r["parts_best"], r["gap"], r["gap_pct"]) for r in rows] == [
        ("total", "people", 900, 700, -200, -22.2)
    ]


def test_fighters_and_civilians_short_of_the_people_are_flagged(tmp_path):
    """mv-a: 1,000 people, 100 fighters + 200 civilians = 300: 1,000 > 300."""
    claims = [
        claim("C1", "s1", "mv-a", "people", 1000),
        claim("C2", "s2", "mv-a", "fighters", 100),
        claim("C3", "s3", "mv-a", "civilians", 200),
    ]
    rows = _rows(tmp_path, claims, "composition")
    assert [(r["subject"], r["whole_best"], r["parts_best"], r["gap"]) for r in rows] == [("mv-a", 1000, 300, -700)]


def test_one_documents_own_figures_that_do_not_add_up_are_flagged(tmp_path):
    """s1 says 1,000 people: 300 fighters and 400 civilians (700): its own figures do not add up."""
    claims = [
        claim("C1", "s1", "mv-a", "people", 1000),
        claim("C2", "s1", "mv-a", "fighters", 300),
        claim("C3", "s1", "mv-a", "civilians", 400),
    ]
    rows = _rows(tmp_path, claims, "source_composition")
    assert [(r["subject"], r["claim_ids"]) for r in rows] == [("mv-a", "C1;C2;C3")]


def test_places_and_movements_are_named_by_the_records(tmp_path):
    """The enclave holds town-a and town-b.  From the enclave: 1,000; from town-a: 700; from town-b: 600 -> the towns
    add up to 1,300, more than the enclave (places_vs_within, items: the two towns).  mv-a left town-a with 900, more
    than town-a's 700 (origin_vs_movements, items: mv-a).  The record names them; the words come from the templates."""
    places = [place("enclave"), place("town-a", within="enclave"), place("town-b", within="enclave"), place("y")]
    claims = [
        claim("C1", "s1", "from:enclave", "people", 1000),
        claim("C2", "s1", "from:town-a", "people", 700),
        claim("C3", "s1", "from:town-b", "people", 600),
        claim("C4", "s1", "mv-a", "people", 900),
    ]
    mv = [movement("mv-a", origin="town-a")]
    within = _rows(tmp_path, claims, "places_vs_within", movements=mv, places=places)
    assert len(within) == 1 and within[0]["items"] == "from:town-a;from:town-b"
    origin = _rows(tmp_path, claims, "origin_vs_movements", movements=mv, places=places, name="c2")
    assert [(r["subject"], r["items"]) for r in origin] == [("from:town-a", "mv-a")]


def test_an_origin_short_of_its_claim_is_flagged_only_when_every_movement_has_a_figure(tmp_path):
    """from:town 5,000 people; its only movement carried 1,500-2,500 (two sources): a deficit, flagged.  Add a second
    movement from the town with no figure: the movements' sum is open above, so nothing is flagged.  (mv-z leaves from
    another place, so the town is not the whole case.)"""
    places = [place("town"), place("other"), place("y")]
    claims = [
        claim("C1", "s1", "from:town", "people", 5000),
        claim("C2", "s1", "mv-a", "people", 1500),
        claim("C3", "s2", "mv-a", "people", 2500),
    ]
    one = [movement("mv-a", origin="town"), movement("mv-z", origin="other")]
    rows = _rows(tmp_path, claims, "origin_vs_movements", movements=one, places=places)
    assert [(r["whole_best"], r["parts_low"], r["parts_high"]) for r in rows] == [(5000, 1500, 2500)]
    two = [*one, movement("mv-b", origin="town")]
    assert _rows(tmp_path, claims, "origin_vs_movements", movements=two, places=places, name="c2") == []


def test_a_document_off_by_exactly_the_tolerance_is_not_flagged(tmp_path):
    """s1: about 1,000 people = 600 fighters + 350 civilians = 950: off by 50 / 1,000 = 5%, the tolerance itself,
    which approximate figures are allowed.  s2 on mv-b: about 1,000 people, 600 + 340 = 940: 6%, flagged.  s3 on
    mv-c: exactly 1,000 people = 600 + 390 = 990: exact figures get no tolerance, flagged."""
    claims = [
        claim("C1", "s1", "mv-a", "people", 1000, qualifier="about"),
        claim("C2", "s1", "mv-a", "fighters", 600),
        claim("C3", "s1", "mv-a", "civilians", 350),
        claim("C4", "s2", "mv-b", "people", 1000, qualifier="about"),
        claim("C5", "s2", "mv-b", "fighters", 600),
        claim("C6", "s2", "mv-b", "civilians", 340),
        claim("C7", "s3", "mv-c", "people", 1000),
        claim("C8", "s3", "mv-c", "fighters", 600),
        claim("C9", "s3", "mv-c", "civilians", 390),
    ]
    rows = _rows(tmp_path, claims, "source_composition", movements=[movement(m) for m in ("mv-a", "mv-b", "mv-c")])
    assert [r["subject"] for r in rows] == ["mv-b", "mv-c"]


def test_convoys_claimed_against_the_movements_in_the_tables(tmp_path):
    """Two movements; a source speaks of 3 convoys: one record.  A source speaking of 2: none."""
    mv = [movement("mv-a"), movement("mv-b")]
    three = _rows(tmp_path, [claim("C1", "s1", "total", "convoys", 3)], "convoy_count", movements=mv)
    assert [(r["whole_best"], r["parts_best"]) for r in three] == [(3, 2)]
    assert _rows(tmp_path, [claim("C1", "s1", "total", "convoys", 2)], "convoy_count", movements=mv, name="c2") == []


def test_disagreement_reads_reported_whole_claims_only(tmp_path):
    """Reported, whole: 1,000 (s1) and 2,000 (s2): no figure fits both: one record, gap 1,000, two positions.
    A plan (5,000 expected) and a part (100) are not part of it: claim ids C1;C2."""
    claims = [
        claim("C1", "s1", "mv-a", "people", 1000),
        claim("C2", "s2", "mv-a", "people", 2000),
        claim("C3", "s3", "mv-a", "people", 5000, basis="expected"),
        claim("C4", "s3", "mv-a", "people", 100, coverage="part"),
    ]
    rows = _rows(tmp_path, claims, "disagreement")
    assert [(r["claim_ids"], r["whole_best"], r["parts_best"], r["gap"]) for r in rows] == [("C1;C2", 1000, 2000, 1000)]
    assert [(p["low"], p["originators"]) for p in rows[0]["positions"]] == [(1000, ["s1"]), (2000, ["s2"])]


def test_approximate_figures_within_the_tolerance_agree_and_exact_ones_never(tmp_path):
    """About 1,000 and about 1,050: widened by 5% they overlap, no disagreement.  Exactly 1,000 and exactly 1,040 (4%
    apart): two counts that differ, a disagreement (the tolerance is for approximate figures only)."""
    about = [
        claim("C1", "s1", "mv-a", "people", 1000, qualifier="about"),
        claim("C2", "s2", "mv-a", "people", 1050, qualifier="about"),
    ]
    assert _rows(tmp_path, about, "disagreement") == []
    exact = [claim("C1", "s1", "mv-a", "people", 1000), claim("C2", "s2", "mv-a", "people", 1040)]
    assert [r["claim_ids"] for r in _rows(tmp_path, exact, "disagreement", name="exact")] == ["C1;C2"]


# --- checks: dates -------------------------------------------------------------------------------------------


def test_dates_are_read_from_the_table_that_holds_the_subject(tmp_path):
    """ev-go is on 20 April (events table); a claim puts it on 25 April: 5 days late, gap +5 (as a claim 3 days early
    has gap -3 in test_flows).  A claim of a departure day for the whole ('total'), which no table dates, is not
    compared with a table; nor is a 'date' claimed of a movement."""
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
    """mv-a arrives on 24 April (table).  Departure claims: 24 April (same day: fine), 27 and 29 April
    (3 and 5 days after): one record naming D2 and D3, gap 5 days, the largest."""
    claims = [
        claim("D1", "s1", "mv-a", "depart_date", None, text="2018-04-24"),
        claim("D2", "s1", "mv-a", "depart_date", None, text="2018-04-27"),
        claim("D3", "s1", "mv-a", "depart_date", None, text="2018-04-29"),
    ]
    rows = _rows(tmp_path, claims, "departure_after_arrival", movements=[movement("mv-a", arrive="2018-04-24")])
    assert [(r["claim_ids"], r["gap"]) for r in rows] == [("D2;D3", 5)]


def test_a_plan_missed_is_written_with_its_whole_range(tmp_path):
    """Plans of 3,000 and 3,200 people; 2,500 reported.  The record carries the plan as 3,000-3,200 and the report as
    2,500.  It is informational, and the table's first column is its id."""
    claims = [
        claim("C1", "s1", "mv-a", "people", 2500),
        claim("C2", "s2", "mv-a", "people", 3000, basis="expected"),
        claim("C3", "s3", "mv-a", "people", 3200, basis="expected"),
    ]
    rec = flows.reconcile(_case(tmp_path, claims))
    p = rec.plan_vs_outcome
    assert list(p.columns[:2]) == ["contradiction_id", "check"]
    rows = p.to_dict("records")
    assert len(rows) == 1 and (rows[0]["parts_low"], rows[0]["parts_high"], rows[0]["whole_best"]) == (3000, 3200, 2500)
    assert rec.contradictions.empty


def test_people_per_bus_open_above_is_flagged_and_written(tmp_path):
    """At least 2,000 people in exactly 10 buses: at least 200 a bus, open above, outside the template's plausible
    10-120 people a bus.  The check's ratio is 200 (best 2,000 / 10), open above, and is written '200 or more', never
    with an infinite end (which once crashed the report)."""
    from analysis import describe, views

    claims = [claim("C1", "s1", "mv-a", "people", 2000, qualifier="at least"), claim("C2", "s2", "mv-a", "buses", 10)]
    rec = flows.reconcile(_case(tmp_path, claims))
    k = rec.contradictions[rec.contradictions["check"] == "plausibility"]
    assert len(k) == 1
    row = k.iloc[0].to_dict()
    parts = Interval.of(row["parts_low"], row["parts_best"], row["parts_high"], row["parts_low_open"], row["parts_high_open"])
    assert (parts.low, parts.best, parts.high_open) == (200.0, 200.0, True)
    text = describe.check(row, rec.case, views.subject_labels(rec.case, "en"), "en")
    assumption = "(an assumption of the analysis, declared in the case's data package)"
    assert text == f"mv-a: 200 or more people per bus, outside the plausible 10–120 {assumption}."
