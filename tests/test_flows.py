"""analysis.flows.reconcile on small cases built by hand, each answer worked out in the comments.

One test per way the reconciliation went wrong when new evidence arrived: relays,
plans, open bounds, component constraints, dates as intervals, one record per
comparison and places that contain places; then the calendar, with unknowns kept
unknown.
"""

from __future__ import annotations

import pandas as pd
import pytest
from casekit import claim, claims_case, movement, place

from analysis import flows


def _case(tmp_path, claims, movements=None, places=None, sources=None, name="c"):
    return claims_case(tmp_path / name, claims, movements, places, sources)


def _lbh(rec, subject, quantity):
    f = rec.figure(subject, quantity)
    return None if f is None else (f["low"], f["best"], f["high"])


# --- 1. relays are one voice ----------------------------------------------------


def test_relays_vote_once_per_originator(tmp_path):
    """SANA's 5,000 read in three documents, SOHR's 3,000 in a fourth, AFP's 3,000 in a fifth.

    Voices: sana 5,000 (once), sohr 3,000, afp 3,000.  The most that agree: sohr and afp on 3,000
    (two voices), not sana's three documents.  best = 3,000; low 3,000, high 5,000.
    Documents: 5; originators: 3; agreeing: 2.
    """
    relays = [claim(f"C{i}", f"d{i}", "mv-a", "people", 5000, who="sana") for i in (1, 2, 3)]
    others = [claim("C4", "d4", "mv-a", "people", 3000, who="sohr"), claim("C5", "d5", "mv-a", "people", 3000, who="afp")]
    rec = flows.reconcile(_case(tmp_path, [*relays, *others]))
    f = rec.figure("mv-a", "people")
    assert (f["low"], f["best"], f["high"]) == (3000, 3000, 5000)
    assert (f["n_documents"], f["n_originators"], f["n_agreeing"], f["agreeing"]) == (5, 3, 2, "afp;sohr")
    # a fourth relay of SANA's figure: one more document, the same best and the same voices
    fourth = claim("C6", "d6", "mv-a", "people", 5000, who="sana")
    again = flows.reconcile(_case(tmp_path, [*relays, *others, fourth], name="c6")).figure("mv-a", "people")
    assert (again["best"], again["n_documents"], again["n_originators"]) == (3000, 6, 3)


def test_a_revised_figure_votes_with_its_latest_statement(tmp_path):
    """SANA said 5,000 on 17 April and 5,500 on 19 April; SOHR said 5,500.

    SANA speaks with 5,500 (its latest): sana and sohr agree on 5,500, best 5,500.
    low and high still span every claim: 5,000 and 5,500.
    """
    claims = [
        claim("C1", "d1", "mv-a", "people", 5000, who="sana", as_of="2018-04-17"),
        claim("C2", "d2", "mv-a", "people", 5500, who="sana", as_of="2018-04-19"),
        claim("C3", "d3", "mv-a", "people", 5500, who="sohr"),
    ]
    rec = flows.reconcile(_case(tmp_path, claims))
    assert _lbh(rec, "mv-a", "people") == (5000, 5500, 5500)
    assert rec.figure("mv-a", "people")["n_agreeing"] == 2


# --- 2. plans do not vote -----------------------------------------------------


def test_expected_figures_stand_beside_reported_ones(tmp_path):
    """Reported 2,500; announced 3,200 ("buses were readied for 3,200 people").

    low = best = high = 2,500; expected range 3,200-3,200; one plan-vs-outcome record, no contradiction.
    A figure with only announced claims (mv-b: 40 buses readied) has no low/best/high, grade 'plan only'.
    """
    claims = [
        claim("C1", "s1", "mv-a", "people", 2500),
        claim("C2", "s2", "mv-a", "people", 3200, basis="expected"),
        claim("C3", "s2", "mv-b", "buses", 40, basis="expected"),
    ]
    rec = flows.reconcile(_case(tmp_path, claims, [movement("mv-a"), movement("mv-b")]))
    f = rec.figure("mv-a", "people")
    assert (f["low"], f["best"], f["high"], f["expected_low"], f["expected_high"]) == (2500, 2500, 2500, 3200, 3200)
    assert rec.contradictions.empty
    assert list(rec.plan_vs_outcome["claim_ids"]) == ["C1;C2"]
    only_plan = rec.figure("mv-b", "buses")
    assert only_plan["figure_basis"] == "expected" and pd.isna(only_plan["best"]) and only_plan["expected_high"] == 40
    assert only_plan["grade"] == "plan_only"
    # the plan is not a figure for the movement: its buses stay unknown, never 40
    mt = rec.movements.set_index("movement_id")
    assert pd.isna(mt.loc["mv-b", "buses_best"])


def test_an_announced_date_is_not_a_contradiction(tmp_path):
    """The table has mv-a leave on 22 April; a plan said 21 April, a report says 20 April.

    The report is a date contradiction (-2 days); the plan is only plan-vs-outcome.
    """
    claims = [
        claim("D1", "s1", "mv-a", "depart_date", None, text="2018-04-20"),
        claim("D2", "s2", "mv-a", "depart_date", None, text="2018-04-21", basis="expected"),
    ]
    rec = flows.reconcile(_case(tmp_path, claims, [movement("mv-a", depart="2018-04-22")]))
    assert list(rec.contradictions["claim_ids"]) == ["D1"] and list(rec.contradictions["gap"]) == [-2]
    assert list(rec.plan_vs_outcome["claim_ids"]) == ["D2"]


# --- 3. open bounds stay open -------------------------------------------------


def test_a_floor_leaves_the_top_of_a_sum_open(tmp_path):
    """mv-a: at least 30 buses; mv-b: 12 buses. Their sum is 42 or more.

    A headline of 300 buses fits (the sum is open above): no contradiction.
    A headline of 35 does not: the sum's closed low 42 is above 35 (two exact counts: no tolerance).
    """
    parts = [claim("C1", "s1", "mv-a", "buses", 30, qualifier="at least"), claim("C2", "s1", "mv-b", "buses", 12)]
    mv = [movement("mv-a"), movement("mv-b")]
    fits = flows.reconcile(_case(tmp_path, [*parts, claim("T1", "s2", "total", "buses", 300)], mv, name="fits"))
    assert fits.contradictions[fits.contradictions["check"] == "parts_vs_total"].empty
    buses = fits.summary()["buses"]
    assert (buses["low"], buses["high"], buses["high_open"]) == (42, 42, True)
    short = flows.reconcile(_case(tmp_path, [*parts, claim("T1", "s2", "total", "buses", 35)], mv, name="short"))
    row = short.contradictions.set_index("check").loc["parts_vs_total"]
    assert (row["whole_best"], row["parts_low"], bool(row["parts_high_open"])) == (35, 42, True)


def test_a_ceiling_has_no_invented_floor(tmp_path):
    """'At most 60 buses' alone: low = high = 60, the bottom open (low_open); 'between 40 and 50': 40-50, best 45
    (a stated range votes with its middle)."""
    rec = flows.reconcile(
        _case(
            tmp_path,
            [claim("C1", "s1", "mv-a", "buses", None, 60, qualifier="at most"), claim("C2", "s1", "mv-b", "buses", 40, 50, "between")],
            [movement("mv-a"), movement("mv-b")],
        )
    )
    a = rec.figure("mv-a", "buses")
    assert (a["low"], a["high"], a["low_open"], a["high_open"]) == (60, 60, True, False)
    assert _lbh(rec, "mv-b", "buses") == (40, 45, 50)


# --- 4. people >= fighters (+ civilians) --------------------------------------


def test_imputed_people_never_fall_below_the_fighters(tmp_path):
    """mv-a: 800 people in 20 buses (40 a bus, undisputed). mv-b: 36 buses and 1,500 fighters, no people.

    Imputed people for mv-b: 36 x 40 = 1,440, fewer than its 1,500 fighters: raised to 1,500.
    mv-c: fighters 1,000 + civilians 700, no people: derived 1,700 (no imputation needed).
    """
    claims = [
        claim("C1", "s1", "mv-a", "people", 800),
        claim("C2", "s1", "mv-a", "buses", 20),
        claim("C3", "s1", "mv-b", "buses", 36),
        claim("C4", "s1", "mv-b", "fighters", 1500),
        claim("C5", "s1", "mv-c", "fighters", 1000),
        claim("C6", "s1", "mv-c", "civilians", 700),
        claim("C7", "s1", "mv-c", "buses", 10),
    ]
    mt = flows.reconcile(_case(tmp_path, claims, [movement(m) for m in ("mv-a", "mv-b", "mv-c")])).movements.set_index("movement_id")
    assert [mt.loc["mv-b", f"people_{s}"] for s in flows.SCENARIOS] == [1500, 1500, 1500]
    assert mt.loc["mv-b", "people_basis"] == "imputed"
    assert [mt.loc["mv-c", f"people_{s}"] for s in flows.SCENARIOS] == [1700, 1700, 1700]
    assert mt.loc["mv-c", "people_basis"] == "derived"


def test_claims_with_fewer_people_than_fighters_are_flagged(tmp_path):
    """A source says 1,000 people left on mv-a; another says 1,200 fighters: people < fighters."""
    claims = [claim("C1", "s1", "mv-a", "people", 1000), claim("C2", "s2", "mv-a", "fighters", 1200)]
    k = flows.reconcile(_case(tmp_path, claims)).contradictions
    assert list(k["check"]) == ["people_vs_fighters"] and list(k["claim_ids"]) == ["C1;C2"]


def test_an_open_people_claim_does_not_hide_people_below_fighters(tmp_path):
    """People: 1,072 (s1) and 'at least 1,000' (s2); fighters 1,200 (s3).

    The reconciled people figure is 1,000-1,072; s1's 1,072 is below s3's 1,200 fighters: flagged, naming C1 and C3
    (s2's floor allows 1,200 and is not named).
    """
    claims = [
        claim("C1", "s1", "mv-a", "people", 1072),
        claim("C2", "s2", "mv-a", "people", 1000, qualifier="at least"),
        claim("C3", "s3", "mv-a", "fighters", 1200),
    ]
    k = flows.reconcile(_case(tmp_path, claims)).contradictions
    row = k[k["check"] == "people_vs_fighters"]
    assert list(row["claim_ids"]) == ["C1;C3"]


def test_people_below_civilians_are_flagged(tmp_path):
    """1,600 people (s1) against 1,800 civilians (s2) on one convoy: people < civilians."""
    claims = [claim("C1", "s1", "mv-a", "people", 1600), claim("C2", "s2", "mv-a", "civilians", 1800)]
    k = flows.reconcile(_case(tmp_path, claims)).contradictions
    assert list(k["check"]) == ["people_vs_civilians"] and list(k["claim_ids"]) == ["C1;C2"]


# --- 5. dates are intervals ----------------------------------------------------


def test_date_claims_are_compared_as_windows(tmp_path):
    """mv-a arrives on 19 April (table). Claims of its arrival:

    '2018-04-18/2018-04-19' overlaps 19 April: fine (compared by its start it would look one day early);
    '2018-04-18~' (about the 18th: 17-19 April) overlaps: fine; '2018-04-16' is 3 days early: flagged.
    """
    claims = [
        claim("D1", "s1", "mv-a", "arrive_date", None, text="2018-04-18/2018-04-19"),
        claim("D2", "s1", "mv-a", "arrive_date", None, text="2018-04-18~"),
        claim("D3", "s1", "mv-a", "arrive_date", None, text="2018-04-16"),
    ]
    k = flows.reconcile(_case(tmp_path, claims, [movement("mv-a", arrive="2018-04-19")])).contradictions
    assert list(k["claim_ids"]) == ["D3"] and list(k["gap"]) == [-3]


def test_dates_that_disagree_are_found_where_the_tables_give_none(tmp_path):
    """mv-a has no departure day in the table; s1 says 20 April, s2 says 22 April: one date-claims record (2 days),
    whose positions say who holds each date.  '2018-04-21~' (20-22 April) overlaps both and is not a side."""
    claims = [
        claim("D1", "s1", "mv-a", "depart_date", None, text="2018-04-20"),
        claim("D2", "s2", "mv-a", "depart_date", None, text="2018-04-22"),
    ]
    k = flows.reconcile(_case(tmp_path, claims)).contradictions
    assert list(k["check"]) == ["date_claims"] and list(k["gap"]) == [2]
    assert [p["originators"] for p in k.iloc[0]["positions"]] == [["s1"], ["s2"]]
    fits = [*claims, claim("D3", "s3", "mv-a", "depart_date", None, text="2018-04-21~")]
    k3 = flows.reconcile(_case(tmp_path, fits, name="c3")).contradictions
    assert k3.iloc[0]["claim_ids"] == "D1;D2;D3" and len(k3) == 1


def test_a_departure_after_the_arrival_is_found_without_a_departure_date(tmp_path):
    """The table has mv-a arrive on 24 April and no departure; a claim has it leave on 25 April."""
    claims = [claim("D1", "s1", "mv-a", "depart_date", None, text="2018-04-25")]
    k = flows.reconcile(_case(tmp_path, claims, [movement("mv-a", arrive="2018-04-24")])).contradictions
    assert list(k["check"]) == ["departure_after_arrival"] and list(k["claim_ids"]) == ["D1"] and list(k["gap"]) == [1]


# --- 6. one record per comparison; places inside places ---------------------------


def test_one_record_per_comparison_with_every_claim(tmp_path):
    """Headline people: 5,000 (s1), 5,000 (s2), 5,500 (s3): total 5,000-5,500.

    The movements: 6,000 + 3,000 = 9,000 people, above 5,500: ONE parts-vs-total record naming
    all five claims (not one per distinct headline value).
    """
    claims = [
        claim("T1", "s1", "total", "people", 5000),
        claim("T2", "s2", "total", "people", 5000),
        claim("T3", "s3", "total", "people", 5500),
        claim("C1", "s1", "mv-a", "people", 6000),
        claim("C2", "s1", "mv-b", "people", 3000),
    ]
    k = flows.reconcile(_case(tmp_path, claims, [movement("mv-a"), movement("mv-b")])).contradictions
    rows = k[k["check"] == "parts_vs_total"]
    assert len(rows) == 1
    assert rows.iloc[0]["claim_ids"] == "C1;C2;T1;T2;T3" and rows.iloc[0]["parts_best"] == 9000
    assert rows.iloc[0]["values"] == "C1=6000; C2=3000; T1=5000; T2=5000; T3=5500"


def test_a_place_is_compared_with_the_places_inside_it(tmp_path):
    """Enclave E holds towns A and B; movements leave from A and from B.

    from:E is the outermost origin, so it reads as total: 5,000 (s1) and total 5,000 (s2) are one figure.
    from:A 3,000 + from:B 2,500 = 5,500 > 5,000: one places-vs-within record.
    Nothing adds E to A and B (which would give 10,500).  A's composition 1,000 + 2,000 = 3,000 adds up: no record.
    """
    places = [place("e"), place("a", within="e"), place("b", within="e"), place("y")]
    mv = [movement("mv-a", origin="a"), movement("mv-b", origin="b")]
    claims = [
        claim("E1", "s1", "from:e", "people", 5000),
        claim("T1", "s2", "total", "people", 5000),
        claim("A1", "s1", "from:a", "people", 3000),
        claim("A2", "s1", "from:a", "fighters", 1000),
        claim("A3", "s1", "from:a", "civilians", 2000),
        claim("B1", "s1", "from:b", "people", 2500),
    ]
    rec = flows.reconcile(_case(tmp_path, claims, mv, places))
    assert rec.figure("from:e", "people") is None and rec.figure("total", "people")["n_originators"] == 2
    k = rec.contradictions
    assert list(k["check"]) == ["places_vs_within"]
    row = k.iloc[0]
    assert (row["subject"], row["whole_best"], row["parts_low"], row["claim_ids"]) == ("total", 5000, 5500, "A1;B1;E1;T1")


# --- the calendar ---------------------------------------------------------------


@pytest.fixture
def two(tmp_path):
    """mv-a X->Y leaves 1 Jan 2020, arrives 2 Jan: people 100 (s1) and 200 (s2), 2 buses (s1).

    The two people figures disagree: best is the lower middle, 100 (a figure a source gave, not 150); the figure is
    contested, so no people-per-bus ratio is taken from it.  mv-b X->Z leaves 2 Jan, arrival unknown: 4 buses only,
    so its people stay unknown.  mv-c X->Y leaves 2 Jan with 50 people, and mv-d has no date and 70 people.
    """
    claims = [
        claim("C1", "s1", "mv-a", "people", 100),
        claim("C2", "s2", "mv-a", "people", 200),
        claim("C3", "s1", "mv-a", "buses", 2),
        claim("C6", "s1", "mv-b", "buses", 4),
        claim("C7", "s1", "mv-c", "people", 50),
        claim("C8", "s1", "mv-d", "people", 70),
    ]
    mv = [
        movement("mv-a", "x", "y", "2020-01-01", "2020-01-02"),
        movement("mv-b", "x", "z", "2020-01-02"),
        movement("mv-c", "x", "y", "2020-01-02"),
        movement("mv-d", "x", "y"),
    ]
    return _case(tmp_path, claims, mv)


def test_time_series_keep_unknown_as_unknown(two):
    rec = flows.reconcile(two)
    assert rec.people_per_bus is None  # the only movement with both has disputed people
    mt = rec.movements
    d = flows.daily_flows(mt).set_index(["date", "event"])
    jan1, jan2 = pd.Timestamp("2020-01-01"), pd.Timestamp("2020-01-02")
    assert d.loc[(jan1, "departure"), ["people_low", "people_best", "people_high"]].tolist() == [100, 100, 200]
    # 2 Jan: mv-b (unknown) and mv-c (50) leave: 50 known, one unknown, the high open
    day2 = d.loc[(jan2, "departure")]
    assert (day2["movements"], day2["people_best"], day2["people_unknown"], bool(day2["people_high_open"])) == (2, 50, 1, True)
    cum = flows.cumulative(mt).set_index("date")
    assert cum.loc[jan1, "people_best"] == 100 and not cum.loc[jan1, "people_high_open"]
    assert cum.loc[jan2, "people_best"] == 150 and cum.loc[jan2, "people_high"] == 250 and cum.loc[jan2, "people_high_open"]
    # mv-d has no date: not on the calendar, and counted apart
    assert flows.undated(mt).total.best == 70 and flows.undated(mt).n_movements == 1
    # the sum: 100 + 50 + 70 known (low 220, high 320), mv-b unknown: open above, 1 of 4 with no figure
    people = rec.summary()["people"]
    assert (people["low"], people["best"], people["high"], people["high_open"], people["n_unknown"]) == (220, 220, 320, True, 1)


def test_the_window_keeps_overlapping_movements(two):
    """From 2 Jan: mv-a (1-2 Jan), mv-b and mv-c (2 Jan) overlap, and undated mv-d is kept; from 3 Jan only mv-d."""
    ids = list(flows.reconcile(two, start_date="2020-01-02").movements["movement_id"])
    assert ids == ["mv-a", "mv-b", "mv-c", "mv-d"]
    assert flows.reconcile(two, start_date="2020-01-03").summary()["convoys"] == 1


def test_bad_rules_are_refused(two):
    with pytest.raises(ValueError, match="best_rule must be"):
        flows.reconcile(two, best_rule="mean")
    with pytest.raises(ValueError, match="unknown source_id 'nobody'"):
        flows.reconcile(two, best_rule="prefer:nobody")
    with pytest.raises(ValueError, match="scenario must be one of low, best, high"):
        flows.reconcile(two).summary("worst")


def test_prefer_a_document(two):
    """prefer:s2 takes s2's 200 for mv-a's people; s2 says nothing of buses, so buses stay as the voices give them."""
    rec = flows.reconcile(two, best_rule="prefer:s2")
    assert _lbh(rec, "mv-a", "people") == (100, 200, 200)
    assert rec.figure("mv-a", "people")["best_from"] == "prefer"
    assert rec.figure("mv-a", "buses")["best_from"] == "single"


def test_summary_names_the_case_by_its_package(two):
    s = flows.reconcile(two).summary()
    assert s["case"] == {"name": "c", "title": "Test case c", "path": str(two.path)}
