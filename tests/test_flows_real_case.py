"""The reconciliation on the curated Eastern Qalamoun case, and on a copy of it with new evidence added as CSV rows.

Expected figures are the ones the source documents give (quoted in the comments),
never read from claims.csv.
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from casekit import claim
from conftest import CASE_DIR, read_rows, write_rows

from analysis import flows
from analysis.cases import load_case


@pytest.fixture(scope="module")
def rec(case):
    return flows.reconcile(case)


def _rows(rec, check, quantity, must_include):
    k = rec.contradictions
    rows = k[(k["check"] == check) & (k["quantity"] == quantity)]
    return rows[rows["claim_ids"].map(lambda s: set(must_include) <= set(s.split(";")))]


def test_the_contradictions_the_source_notes_name_are_found(rec):
    """shared/sources/README.md: 'The article's numbers do not reconcile' -- each is found by a check, none listed by hand."""
    # "124 buses in 4 convoys, yet the convoy-level figures are 44, at least 30, unknown, and 60 buses": 44 + 30 + 60 = 134 > 124
    buses = _rows(rec, "parts_vs_total", "buses", {"A02", "A10", "A11", "A13"})
    assert len(buses) == 1 and buses.iloc[0]["whole_best"] == 124 and buses.iloc[0]["parts_low"] >= 44 + 30 + 60
    # "first convoy 2,500 people incl. 600 fighters; second convoy 1,200 fighters": 600 + 1,200 = 1,800 > the 1,500 in all
    fighters = _rows(rec, "parts_vs_total", "fighters", {"A01", "A09", "A12"})
    assert len(fighters) == 1 and fighters.iloc[0]["parts_low"] >= 600 + 1200
    # "about 5,000 people 'including 1,500 fighters and 3,000 civilians' (4,500)": one document's own figures
    comp = _rows(rec, "source_composition", "people", {"A05", "A06", "A07"})
    assert len(comp) == 1 and (comp.iloc[0]["whole_best"], comp.iloc[0]["parts_best"]) == (5000, 1500 + 3000)
    # 4 convoys claimed (A03), five movements in the tables
    assert len(_rows(rec, "convoy_count", "convoys", {"A03"})) == 1


def test_each_comparison_is_one_row(rec):
    k = rec.contradictions
    assert not k.duplicated(["check", "subject", "quantity"]).any(), k[["check", "subject", "quantity"]]
    assert list(k["contradiction_id"]) == [f"K{i:02d}" for i in range(1, len(k) + 1)]


def test_plans_are_not_contradictions(rec):
    """SANA's figures for Dumayr were announced ('se dispusieron a marcharse', 17 April): they never vote."""
    planned = set(rec.case.claims.loc[rec.case.claims["basis"] == "expected", "claim_id"])
    voted = {i for ids in rec.figures["claim_ids"] for i in ids.split(";") if i}
    assert planned and not planned & voted


def test_ranges_are_ordered_and_open_where_a_source_says_at_least(rec):
    f = rec.figures[rec.figures["figure_basis"] == "reported"]
    assert (f["low"] <= f["best"]).all() and (f["best"] <= f["high"]).all()
    # the article: "El segundo convoy de al menos 30 autobuses": its buses are open above
    convoy2 = rec.figure("mv-convoy-2", "buses")
    assert convoy2["low"] == 30 and bool(convoy2["high_open"]) is True


def test_new_outlets_added_as_csv_rows_move_the_ranges(tmp_path, rec):
    """A second batch of claims from outlets the case did not cite, as CSV rows only (no code change).

    - a new monitor gives 3,000 people for the Dumayr convoy: above every figure so far, so high rises to 3,000;
    - three outlets relay that monitor's figure: one originator, so best does not move again;
    - a new agency announces 90 buses for the third convoy: a plan, so only the expected range moves.
    """
    folder = tmp_path / "case"
    shutil.copytree(CASE_DIR, folder)
    before = flows.reconcile(load_case(folder)).figure("mv-dumayr", "people")
    sources = read_rows(folder / "sources.csv")
    template = {k: "" for k in sources[0]}
    for sid in ("new-monitor", "relay-1", "relay-2", "relay-3", "new-agency"):
        sources.append({**template, "source_id": sid, "kind": "news outlet", "title": sid, "language": "de", "leaning": "unknown"})
    write_rows(folder / "sources.csv", sources)
    originators = read_rows(folder / "originators.csv")
    blank_o = {k: "" for k in originators[0]}
    for oid in ("new-monitor", "new-agency"):
        originators.append({**blank_o, "originator_id": oid, "name_en": oid, "name_es": oid, "kind": "monitor", "side": "unknown"})
    write_rows(folder / "originators.csv", originators)
    claims = read_rows(folder / "claims.csv")
    blank = {k: "" for k in claims[0]}
    added = [claim("N1", "new-monitor", "mv-dumayr", "people", 3000, who="new-monitor")]
    added += [claim(f"N{i}", f"relay-{i - 1}", "mv-dumayr", "people", 3000, who="new-monitor") for i in (2, 3, 4)]
    added.append(claim("N5", "new-agency", "mv-convoy-3", "buses", 90, basis="expected", who="new-agency"))
    write_rows(folder / "claims.csv", claims + [{**blank, **c} for c in added])
    one = flows.reconcile(load_case(folder))
    after = one.figure("mv-dumayr", "people")
    assert after["high"] == 3000 > before["high"] and after["low"] == before["low"]
    assert after["best"] >= before["best"]
    assert after["n_originators"] == before["n_originators"] + 1 and after["n_documents"] == before["n_documents"] + 4
    # relays: the same best as with the monitor's one document
    claims_one = [*claims, {**blank, **added[0]}]
    write_rows(folder / "claims.csv", claims_one)
    assert flows.reconcile(load_case(folder)).figure("mv-dumayr", "people")["best"] == after["best"]
    plan, was = one.figure("mv-convoy-3", "buses"), rec.figure("mv-convoy-3", "buses") or {}
    assert plan["expected_high"] == 90
    assert [str(plan[k]) for k in ("low", "best", "high")] == [str(was.get(k, pd.NA)) for k in ("low", "best", "high")]
