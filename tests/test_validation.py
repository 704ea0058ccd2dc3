"""Each validation rule, on a broken copy of the real case: the error names file, row, column and value."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from conftest import CASE_ID, case_ids, read_rows, row_of

from analysis.cases import CaseError, CaseValidationError, load_case, validate_case

# Every case of data/ is valid and Frictionless accepts its package: test_every_case.


def _set(table_rows, key, value, column, new):
    table_rows[row_of(table_rows, key, value)][column] = new


# (table, key column, key value, column to break, bad value, words the message must contain)
CELL_CASES = [
    ("events", "event_id", "ev-killing-juma", "place_id", "atlantis", "not a known place_id"),
    ("events", "event_id", "ev-killing-juma", "actor_ids", "shaher-juma;nobody", "unknown actor_id"),
    ("events", "event_id", "ev-killing-juma", "phase", "siege", "is not one of"),
    ("events", "event_id", "ev-killing-juma", "date_start", "18/04/2018", "not a date"),
    ("events", "event_id", "ev-killing-juma", "source_ids", "", "required but empty"),
    ("relations", "relation_id", "r27", "source_ids", "eswiki-r4;made-up-source", "unknown source_id"),
    ("relations", "relation_id", "r27", "sign", "2", "is not one of"),
    ("relations", "relation_id", "r27", "target_actor", "ghost", "not a known actor_id"),
    ("claims", "claim_id", "A08", "value_low", "-2500", "below the minimum 0"),
    ("claims", "claim_id", "A08", "value_low", "lots", "not a whole number"),
    ("claims", "claim_id", "A08", "subject", "mv-nowhere", "is not 'total'"),
    ("claims", "claim_id", "A08", "source_id", "rumour", "not a known source_id"),
    ("claims", "claim_id", "A08", "quantity", "goats", "is not one of"),
    ("places", "place_id", "dumayr", "lat", "133.644", "above the maximum 90"),
    ("movements", "movement_id", "mv-dumayr", "origin_place_id", "nowhere", "not a known place_id"),
    ("actors", "actor_id", "russia", "actor_type", "superpower", "is not one of"),
]


@pytest.mark.parametrize(
    ("table", "key", "keyval", "column", "bad", "words"), CELL_CASES, ids=[f"{c[0]}.{c[3]}={c[4] or 'empty'}" for c in CELL_CASES]
)
def test_bad_cell_is_named(broken_case, table, key, keyval, column, bad, words):
    rows = read_rows(broken_case(table, lambda r: None) / f"{table}.csv")
    index = row_of(rows, key, keyval)
    folder = broken_case(table, lambda r: _set(r, key, keyval, column, bad))
    problems = validate_case(folder)
    hits = [p for p in problems if p.file == f"{table}.csv" and p.row == index + 2 and p.column == column]
    assert hits, f"no problem at {table}.csv row {index + 2} column {column}: {problems}"
    assert any(words in p.message for p in hits), hits
    if bad:
        assert any(p.value == bad for p in hits), hits
    text = str(hits[0])
    assert f"{table}.csv" in text and f"row {index + 2}" in text and f"column {column}" in text


def test_duplicate_id(broken_case):
    folder = broken_case("actors", lambda r: r.append(dict(r[0])))
    problems = validate_case(folder)
    n = len(read_rows(folder / "actors.csv"))
    dup = [p for p in problems if p.file == "actors.csv" and p.column == "actor_id" and "duplicate" in p.message]
    assert {p.row for p in dup} == {2, n + 1}
    assert all(p.value == "syrian-army" for p in dup)


def test_dates_out_of_order(broken_case):
    def mutate(rows):
        i = row_of(rows, "event_id", "ev-enclave-agreement")
        rows[i]["date_end"] = "2018-04-01"

    folder = broken_case("events", mutate)
    i = row_of(read_rows(folder / "events.csv"), "event_id", "ev-enclave-agreement")
    hits = [p for p in validate_case(folder) if p.file == "events.csv" and p.row == i + 2 and "before date_start" in p.message]
    assert {p.column for p in hits} == {"date_start", "date_end"}
    assert {p.value for p in hits} == {"2018-04-19", "2018-04-01"}


def test_low_greater_than_high(broken_case):
    folder = broken_case("claims", lambda r: _set(r, "claim_id", "A02", "value_low", "200"))
    i = row_of(read_rows(folder / "claims.csv"), "claim_id", "A02")
    hits = [p for p in validate_case(folder) if p.file == "claims.csv" and p.row == i + 2]
    assert any("greater than value_high" in p.message and p.column == "value_low" and p.value == "200" for p in hits)


def test_floor_with_an_upper_value(broken_case):
    folder = broken_case("claims", lambda r: _set(r, "claim_id", "A11", "value_high", "40"))
    i = row_of(read_rows(folder / "claims.csv"), "claim_id", "A11")
    hits = [p for p in validate_case(folder) if p.file == "claims.csv" and p.row == i + 2 and p.column == "value_high"]
    assert any("'at least'" in p.message for p in hits)


def test_movement_arrives_before_it_leaves(broken_case):
    folder = broken_case("movements", lambda r: _set(r, "movement_id", "mv-convoy-3", "arrive_date", "2018-04-20"))
    i = row_of(read_rows(folder / "movements.csv"), "movement_id", "mv-convoy-3")
    hits = [p for p in validate_case(folder) if p.file == "movements.csv" and p.row == i + 2]
    assert any(p.column == "arrive_date" and p.value == "2018-04-20" and "before depart_date" in p.message for p in hits)


def test_point_needed_for_precise_place(broken_case):
    def mutate(rows):
        i = row_of(rows, "place_id", "jarabulus")
        rows[i]["lat"] = ""
        rows[i]["lon"] = ""

    folder = broken_case("places", mutate)
    i = row_of(read_rows(folder / "places.csv"), "place_id", "jarabulus")
    hits = [p for p in validate_case(folder) if p.file == "places.csv" and p.row == i + 2]
    assert any("needs a point" in p.message and p.column == "geo_precision" and p.value == "1" for p in hits)


def test_missing_column(broken_case):
    def mutate(rows):
        for r in rows:
            del r["source_ids"]

    folder = broken_case("events", mutate)
    problems = validate_case(folder)
    assert any(p.file == "events.csv" and p.row == 1 and p.column == "source_ids" and "missing" in p.message for p in problems)
    # the other tables' keys into events.csv still resolve: one missing column is one problem
    assert [p for p in problems if p.file != "events.csv"] == []


def test_all_problems_reported_at_once_and_load_refuses(broken_case):
    broken_case("claims", lambda r: _set(r, "claim_id", "A08", "value_low", "-1"))
    folder = broken_case("events", lambda r: _set(r, "event_id", "ev-tanks-may", "phase", "later"))
    problems = validate_case(folder)
    assert {p.file for p in problems} >= {"claims.csv", "events.csv"}
    with pytest.raises(CaseValidationError) as info:
        load_case(folder)
    assert len(info.value.problems) == len(problems)
    assert "claims.csv" in str(info.value) and "events.csv" in str(info.value)


def test_cli_validate_exit_codes(broken_case):
    ok = subprocess.run([sys.executable, "-m", "analysis.cli", "validate", CASE_ID], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    broken_case("claims", lambda r: _set(r, "claim_id", "A08", "value_low", "-1"))
    folder = broken_case("relations", lambda r: _set(r, "relation_id", "r01", "relation", "hugged"))
    bad = subprocess.run([sys.executable, "-m", "analysis.cli", "validate", str(folder)], capture_output=True, text=True)
    assert bad.returncode == 1
    assert "claims.csv, row" in bad.stderr and "relations.csv, row 2, column relation" in bad.stderr
    missing = subprocess.run([sys.executable, "-m", "analysis.cli", "validate", "no-such-case"], capture_output=True, text=True)
    assert missing.returncode == 2 and "unknown case 'no-such-case'" in missing.stderr


def test_unknown_case_lists_known_ones():
    with pytest.raises(CaseError, match=r"known cases: ") as info:
        load_case("atlantis-1999")
    assert all(case in str(info.value).split("known cases: ")[1] for case in case_ids())


def test_broken_json(tmp_path):
    (tmp_path / "datapackage.json").write_text("{ not json", encoding="utf-8")
    with pytest.raises(CaseError, match="not valid JSON"):
        load_case(tmp_path)


# --- what the schema can say (issue 9, point 7) -------------------------------

# (table, key column, key value, column, new value, words of the message, or None when the value is valid)
SCHEMA_CASES = [
    ("claims", "claim_id", "A08", "value_high", "2700", "for a stated range use 'about between' or 'between'"),  # 'exact' 2,500-2,700
    (
        "claims",
        "claim_id",
        "A11",
        "qualifier",
        "at most",
        "an empty value_low (no lower figure is invented)",
    ),  # 'at most' with value_low 30 and no value_high
    ("sources", "source_id", "enwiki", "language", "de", None),  # German: any ISO 639-1 code
    ("sources", "source_id", "enwiki", "language", "xx", "is not one of"),  # not a language code
    ("sources", "source_id", "enwiki", "kind", "blog", None),
    ("sources", "source_id", "enwiki", "kind", "press release", None),
    ("sources", "source_id", "enwiki", "published", "2018-04-21~", None),  # about 21 April
    ("sources", "source_id", "enwiki", "published", "2018-04-21/2018-04-22", None),
    ("sources", "source_id", "enwiki", "published", "2018-02-30", "is not a date value"),
    ("claims", "claim_id", "C001", "value_text", "2018-04-18/2018-04-19", None),
    ("claims", "claim_id", "C001", "value_text", "2018-04-19/2018-04-18", "is not a date value"),  # ends before it starts
    ("claims", "claim_id", "A14", "fate", "handed over", None),  # tanks: equipment
    ("claims", "claim_id", "A08", "fate", "destroyed", "fate is only for equipment"),  # people are not equipment
]


@pytest.mark.parametrize(
    ("table", "key", "keyval", "column", "new", "words"), SCHEMA_CASES, ids=[f"{c[0]}.{c[3]}={c[4]}" for c in SCHEMA_CASES]
)
def test_what_the_schema_accepts_and_refuses(broken_case, table, key, keyval, column, new, words):
    folder = broken_case(table, lambda r: _set(r, key, keyval, column, new))
    i = row_of(read_rows(folder / f"{table}.csv"), key, keyval)
    hits = [p for p in validate_case(folder) if p.file == f"{table}.csv" and p.row == i + 2]
    if words is None:
        assert hits == [], hits
    else:
        assert any(words in p.message for p in hits), hits


def test_a_stated_range_and_a_ceiling_are_valid(broken_case):
    """'1,500-1,700' is 'between' 1500 and 1700; 'at most 60' has no lower figure."""

    def mutate(rows):
        _set(rows, "claim_id", "A01", "qualifier", "between")
        _set(rows, "claim_id", "A01", "value_high", "1700")
        _set(rows, "claim_id", "A13", "qualifier", "at most")
        _set(rows, "claim_id", "A13", "value_low", "")

    folder = broken_case("claims", mutate)
    assert [p for p in validate_case(folder) if p.file == "claims.csv"] == []


def test_a_place_within_an_unknown_place(broken_case):
    folder = broken_case("places", lambda r: _set(r, "place_id", "dumayr", "within", "atlantis"))
    hits = [p for p in validate_case(folder) if p.column == "within"]
    assert hits and "not a known place_id" in hits[0].message and hits[0].value == "atlantis"


def test_validate_without_a_case_takes_the_project_default(tmp_path):
    """No case named: the case of the project's params/default.yaml (here the second case, so that no id written in
    the code could pass), and with no default set and no case, exit 2 saying so."""
    from projectkit import command, make_project

    project = make_project(tmp_path / "p", sets={"default": {"case": "eastern-ghouta-2018"}})
    ok = command(project, "validate", cache=tmp_path / "cache")
    assert ok.returncode == 0 and ok.stdout.strip() == "case 'eastern-ghouta-2018' is valid", ok.stderr
    (project / "params" / "default.yaml").unlink()
    shutil.rmtree(project / "data")
    (project / "data").mkdir()
    none = command(project, "validate", cache=tmp_path / "cache")
    assert none.returncode == 2 and "no params/default.yaml naming a case" in none.stderr
