"""analysis.flows on hand-made cases worked out by hand, and on the real case."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from casekit import claim, place, source, write_case
from conftest import CASE_DIR, read_rows, write_rows

from analysis import flows
from analysis.cases import load_case


@pytest.fixture
def tiny(tmp_path):
    """Two movements from X: A to Y (1-2 Jan 2020), B to Z (2 Jan, arrival unknown).

    A: people 100 (s1) and 200 (s2), buses 2, fighters 40 + civilians 60 (s1).
    B: buses 4 only. Totals (s1): people 90, buses 6, convoys 3.
    """
    mv = [
        {
            "movement_id": "mv-a",
            "label_en": "A",
            "label_es": "A",
            "origin_place_id": "x",
            "destination_place_id": "y",
            "depart_date": "2020-01-01",
            "arrive_date": "2020-01-02",
            "source_ids": "s1",
        },
        {
            "movement_id": "mv-b",
            "label_en": "B",
            "label_es": "B",
            "origin_place_id": "x",
            "destination_place_id": "z",
            "depart_date": "2020-01-02",
            "source_ids": "s1",
        },
    ]
    claims = [
        claim("C1", "s1", "mv-a", "people", 100),
        claim("C2", "s2", "mv-a", "people", 200),
        claim("C3", "s1", "mv-a", "buses", 2),
        claim("C4", "s1", "mv-a", "fighters", 40),
        claim("C5", "s1", "mv-a", "civilians", 60),
        claim("C6", "s1", "mv-b", "buses", 4),
        claim("C7", "s1", "total", "people", 90),
        claim("C8", "s1", "total", "buses", 6),
        claim("C9", "s1", "total", "convoys", 3),
    ]
    return write_case(
        tmp_path / "tiny",
        {
            "sources": [source("s1"), source("s2")],
            "places": [place("x"), place("y"), place("z")],
            "movements": mv,
            "claims": claims,
        },
    )


def _fig(figs, subject, quantity):
    row = flows.figure(figs, subject, quantity)
    return (row["low"], row["best"], row["high"])


def test_figures_median_and_prefer(tiny):
    figs = flows.figures(tiny)
    assert _fig(figs, "mv-a", "people") == (100, 150, 200)  # median of 100 and 200
    assert _fig(figs, "mv-b", "buses") == (4, 4, 4)
    assert flows.figure(figs, "mv-a", "people")["claim_ids"] == "C1;C2"
    assert flows.figure(figs, "mv-a", "people")["source_ids"] == "s1;s2"
    preferred = flows.figures(tiny, best_rule="prefer:s2")
    assert _fig(preferred, "mv-a", "people") == (100, 200, 200)
    assert flows.figure(preferred, "mv-a", "people")["best_from"] == "prefer:s2"
    assert flows.figure(preferred, "mv-a", "buses")["best_from"] == "median"  # s2 says nothing on buses


def test_bad_rules_are_refused(tiny):
    with pytest.raises(ValueError, match="best_rule must be"):
        flows.figures(tiny, best_rule="mean")
    with pytest.raises(ValueError, match="unknown source_id 'nobody'"):
        flows.figures(tiny, best_rule="prefer:nobody")
    with pytest.raises(ValueError, match="scenario must be one of low, best, high"):
        flows.check_scenario("worst")


def test_floors_and_parts(tmp_path):
    case = write_case(
        tmp_path / "floors",
        {
            "sources": [source("s1"), source("s2")],
            "places": [place("x"), place("y")],
            "movements": [
                {
                    "movement_id": "mv-a",
                    "label_en": "A",
                    "label_es": "A",
                    "origin_place_id": "x",
                    "destination_place_id": "y",
                    "source_ids": "s1",
                }
            ],
            "claims": [
                claim("C1", "s1", "mv-a", "buses", 30, qualifier="at least"),
                claim("C2", "s2", "mv-a", "buses", 20),
                claim("C3", "s1", "mv-a", "people", 500, coverage="part"),
                claim("C4", "s2", "mv-a", "people", 400),
                claim("C5", "s1", "mv-a", "fighters", 12, coverage="part"),
            ],
        },
    )
    figs = flows.figures(case)
    # buses: figures 20 and 30+; low 20, high 30 (open: the floor is the largest), best median 25
    assert _fig(figs, "mv-a", "buses") == (20, 25, 30)
    assert bool(flows.figure(figs, "mv-a", "buses")["high_open"]) is True
    # people: the only whole figure is 400, but part of the movement was 500: the floor rises to 500
    assert _fig(figs, "mv-a", "people") == (500, 500, 500)
    # fighters: only a part figure: a floor, open above
    assert _fig(figs, "mv-a", "fighters") == (12, 12, 12)
    assert flows.figure(figs, "mv-a", "fighters")["best_from"] == "part floor"


def test_people_per_bus_and_imputation(tiny):
    figs = flows.figures(tiny)
    ratio = flows.people_per_bus(figs, ["mv-a", "mv-b"])
    assert (ratio.low, ratio.best, ratio.high) == (75.0, 75.0, 75.0)  # 150 people / 2 buses
    assert ratio.movements == ("mv-a",)
    mt = flows.movement_table(tiny).set_index("movement_id")
    assert mt.loc["mv-b", "people_basis"] == "imputed" and bool(mt.loc["mv-b", "imputed"])
    assert [mt.loc["mv-b", f"people_{s}"] for s in flows.SCENARIOS] == [300, 300, 300]  # 4 x 75
    assert mt.loc["mv-a", "people_basis"] == "claimed"
    assert [mt.loc["mv-a", f"people_{s}"] for s in flows.SCENARIOS] == [100, 150, 200]


def test_ratio_range_from_two_movements(tmp_path):
    mv = [
        {"movement_id": m, "label_en": m, "label_es": m, "origin_place_id": "x", "destination_place_id": "y", "source_ids": "s1"}
        for m in ("mv-a", "mv-b", "mv-c")
    ]
    case = write_case(
        tmp_path / "ratio",
        {
            "sources": [source("s1")],
            "places": [place("x"), place("y")],
            "movements": mv,
            "claims": [
                claim("C1", "s1", "mv-a", "people", 400),
                claim("C2", "s1", "mv-a", "buses", 10),  # 40 a bus
                claim("C3", "s1", "mv-b", "people", 600),
                claim("C4", "s1", "mv-b", "buses", 10),  # 60 a bus
                claim("C5", "s1", "mv-c", "buses", 10, 20, qualifier="at most"),
            ],
        },
    )
    ratio = flows.people_per_bus(flows.figures(case), ["mv-a", "mv-b", "mv-c"])
    assert (ratio.low, ratio.best, ratio.high) == (40.0, 50.0, 60.0)
    mt = flows.movement_table(case).set_index("movement_id")
    # mv-c buses: 'at most 20' with low 10 -> low 10, high 20, best 10 (its own figure); people 10x40, 10x50, 20x60
    assert [mt.loc["mv-c", f"people_{s}"] for s in flows.SCENARIOS] == [400, 500, 1200]


def test_contradictions_tiny(tiny):
    k = flows.contradictions(tiny)
    by = {(r.check, r.subject, r.quantity): r for r in k.itertuples()}
    # people: only A has claims (100-200, best 150), and that alone exceeds the 90 claimed in all;
    # B's imputed people are a model's output, not a claim, and are left out of the check
    r = by[("parts_vs_total", "total", "people")]
    assert (r.whole, r.parts_low, r.parts_best, r.parts_high, r.gap) == (90, 100, 150, 200, 60)
    assert set(r.claim_ids.split(";")) == {"C1", "C2", "C7"}
    # buses 2 + 4 = 6: consistent, so no contradiction
    assert ("parts_vs_total", "total", "buses") not in by
    # two movements, three convoys claimed
    assert by[("convoy_count", "total", "convoys")].gap == -1
    # reconciled A: fighters 40 + civilians 60 = 100 against 150 people
    comp = k[(k["check"] == "composition") & (k["subject"] == "mv-a")]
    assert list(comp["gap"]) == [-50]
    # the sources disagree on A's people: 100 against 200
    assert by[("disagreement", "mv-a", "people")].gap == 100
    assert list(k["contradiction_id"]) == [f"K{i:02d}" for i in range(1, len(k) + 1)]


def test_time_series_tiny(tiny):
    mt = flows.movement_table(tiny)
    daily = flows.daily_flows(mt)
    best = daily[daily["scenario"] == "best"].set_index(["date", "event"])
    assert best.loc[(pd.Timestamp("2020-01-01"), "departure"), "people"] == 150
    assert best.loc[(pd.Timestamp("2020-01-02"), "departure"), "people"] == 300
    assert best.loc[(pd.Timestamp("2020-01-02"), "departure"), "buses"] == 4
    assert best.loc[(pd.Timestamp("2020-01-02"), "arrival"), "people"] == 150
    assert best.loc[(pd.Timestamp("2020-01-01"), "arrival"), "people"] == 0
    assert set(daily.loc[daily["event"] == "arrival", "undated"]) == {1}
    cum = flows.cumulative(mt).set_index(["date", "destination_place_id"])
    assert cum.loc[(pd.Timestamp("2020-01-01"), "y"), "people_best"] == 150
    assert cum.loc[(pd.Timestamp("2020-01-02"), "y"), "people_best"] == 150
    assert cum.loc[(pd.Timestamp("2020-01-01"), "z"), "people_best"] == 0
    assert cum.loc[(pd.Timestamp("2020-01-02"), "z"), "people_high"] == 300
    table = flows.daily_table(mt, "best")
    assert list(table.columns) == [
        "departure_movements",
        "departure_buses",
        "departure_people",
        "arrival_movements",
        "arrival_buses",
        "arrival_people",
    ]
    assert table.loc[pd.Timestamp("2020-01-01").date()].tolist() == [1, 2, 150, 0, 0, 0]
    assert table.loc[pd.Timestamp("2020-01-02").date()].tolist() == [1, 4, 300, 1, 2, 150]
    od = flows.od_matrix(mt, "low")
    assert od.loc["x", "y"] == 100 and od.loc["x", "z"] == 300
    assert flows.totals(mt)["people"] == {"low": 400, "best": 450, "high": 500}


def test_window_filter(tiny):
    mt = flows.movement_table(tiny)
    assert list(flows.filter_window(mt, "timeline_date", "2020-01-02", None)["movement_id"]) == ["mv-b"]
    s = flows.summary(tiny, start_date="2020-01-02")
    assert s["convoys"] == 1 and s["people"]["best"] == 300


# --- the real case -----------------------------------------------------------


def test_real_contradictions_named_in_the_source_notes(case):
    """The contradictions the source notes name are found by the checks, not listed by hand."""
    k = flows.contradictions(case)

    def find(check, quantity, must_include):
        rows = k[(k["check"] == check) & (k["quantity"] == quantity)]
        rows = rows[rows["claim_ids"].map(lambda s: set(must_include) <= set(s.split(";")))]
        assert not rows.empty, (check, quantity, must_include, k[["check", "quantity", "claim_ids"]])
        return rows.iloc[0]

    # 124 buses against the convoy-level figures (44, at least 30, 60 ...)
    buses = find("parts_vs_total", "buses", {"A02", "A10", "A11", "A13"})
    assert buses.whole == 124 and buses.parts_low > 124
    # 1,500 fighters + 3,000 civilians is 4,500, not 5,000 (one source's own figures)
    comp = find("composition", "people", {"A05", "A06", "A07"})
    assert comp.whole == 5000 and comp.parts_best == 4500 and comp.gap == -500
    # first convoy 600 fighters + second 1,200 fighters exceed the 1,500 fighters in all
    fighters = find("parts_vs_total", "fighters", {"A01", "A09", "A12"})
    assert fighters.parts_low >= 600 + 1200
    # SANA's 5,000 for Dumayr alone against 5,000 for the whole enclave
    dumayr = find("origins_vs_total", "people", {"A04", "A05"})
    assert dumayr.whole == 5000 and dumayr.parts_low > 5000
    # four convoys claimed, five movements reported
    assert find("convoy_count", "convoys", {"A03"}).gap == 1


def test_real_ordered_and_sourced(case):
    figs = flows.figures(case)
    assert (figs["low"] <= figs["best"]).all() and (figs["best"] <= figs["high"]).all()
    mt = flows.movement_table(case)
    for q in ("people", "buses"):
        sub = mt[mt[f"{q}_best"].notna()]
        assert (sub[f"{q}_low"] <= sub[f"{q}_best"]).all() and (sub[f"{q}_best"] <= sub[f"{q}_high"]).all()
    # the third and fourth convoys have buses but no people: imputed, and marked
    assert set(mt.loc[mt["imputed"], "movement_id"]) == {"mv-convoy-3", "mv-convoy-4"}
    s = flows.summary(case)
    assert s["first_departure"] == "2018-04-19" and s["last_arrival"] == "2018-04-25"
    assert s["contradictions"]["count"] == len(s["contradictions"]["ids"]) > 0


def test_new_source_rows_change_the_ranges(tmp_path):
    """Claims from a new source, added as CSV rows with no code change, move the ranges."""
    folder = tmp_path / "case"
    shutil.copytree(CASE_DIR, folder)
    before = flows.figures(load_case(folder))
    assert _fig(before, "mv-dumayr", "people") == (1600, 2050, 2500)  # 1,600 (AFP) and 2,500 (article)
    sources = read_rows(folder / "sources.csv")
    sources.append({**sources[-1], "source_id": "new-monitor", "kind": "monitor", "url": "", "note": "test"})
    write_rows(folder / "sources.csv", sources)
    claims = read_rows(folder / "claims.csv")
    claims.append(claim("N1", "new-monitor", "mv-dumayr", "people", 3000) | {"as_of": "", "note": ""})
    claims.append(claim("N2", "new-monitor", "mv-convoy-3", "buses", 20) | {"as_of": "", "note": ""})
    write_rows(folder / "claims.csv", claims)
    after = flows.figures(load_case(folder))
    assert _fig(after, "mv-dumayr", "people") == (1600, 2500, 3000)  # median of 1,600, 2,500, 3,000
    assert _fig(after, "mv-convoy-3", "buses") == (20, 20, 20)  # floor 12 (parts) under the new 20
    assert flows.figure(after, "mv-convoy-3", "buses")["claim_ids"].endswith("N2")
