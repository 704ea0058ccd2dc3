"""Broken cases never crash: each is refused with the package's case error, whose problems point at real places.

A few hundred seeded mutations (analysis.fuzz) of the cases of data/, in batches; ``benchmarks/fuzz_cases.py`` runs
ten thousand.  Then one test for each crash class the fuzzer found, on a broken copy of the curated case, naming
the file, row, column and value the error must name.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest
from conftest import CASE_DIR, DATA, case_ids, read_rows, row_of, write_rows

from analysis import fuzz
from analysis.cases import CaseError, CaseValidationError, load_case

CASES = case_ids()
BATCH, BATCHES = 50, 3  # 150 mutations in make test (benchmarks/fuzz_cases.py runs 10,000)
# Values that no integer, number or date cell can hold, whatever its bounds (written here, not read from analysis.fuzz)
NOT_A_NUMBER = {"inf", "-inf", "Infinity", "nan", "NaN", "1e308", "1e400", "0x1F", "١٢٣", "Ωμέγα", "دمشق", "🚌", "\u200b", "e\u0301"}


def _fields(case_dir: Path) -> dict[str, dict[str, dict]]:
    """file -> column -> field description, from the case's data package."""
    package = json.loads((case_dir / "datapackage.json").read_text(encoding="utf-8"))
    return {r.get("path", f"{r['name']}.csv"): {f["name"]: f for f in r["schema"]["fields"]} for r in package["resources"]}


def _records(path: Path) -> list[list[str]] | None:
    """The CSV's records (header first) as the csv module reads them, or None if it cannot be read."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            return list(csv.reader(f))
    except (OSError, UnicodeDecodeError, csv.Error):
        return None


def _pointing_wrong(folder: Path, files: set[str], error: CaseValidationError) -> list[str]:
    """Problems that do not point at a real place: an unknown file, a row past the file's end, a value not in the cell."""
    wrong = []
    for p in error.problems:
        if p.file not in files:
            wrong.append(f"{p}: no such file in the case")
            continue
        records = _records(folder / p.file) if p.file.endswith(".csv") else None
        if records is None or p.row is None:
            continue
        if not 1 <= p.row <= len(records):
            wrong.append(f"{p}: the file has {len(records)} rows")
        elif p.row > 1 and p.column in records[0]:
            record = records[p.row - 1]
            i = records[0].index(p.column)
            cell = record[i] if i < len(record) else ""
            if (p.value or "") != cell:
                wrong.append(f"{p}: the cell holds {cell!r}")
    return wrong


def _expected(mutations: list[fuzz.Mutation], fields: dict[str, dict[str, dict]]) -> tuple[str, int, str, str | None] | None:
    """Where a lone changed cell must be reported: a value no integer, number or date can hold in such a column, a
    value outside a column's vocabulary, or an empty cell in a required column."""
    if len(mutations) != 1 or mutations[0].kind != "cell":
        return None
    m = mutations[0]
    fd = fields.get(m.file, {}).get(m.column or "", {})
    cons = fd.get("constraints", {})
    if fd.get("type") in ("integer", "number", "date") and m.value in NOT_A_NUMBER:
        return m.file, m.row, m.column, m.value
    if "enum" in cons and m.value and m.value not in [str(v) for v in cons["enum"]]:
        return m.file, m.row, m.column, m.value
    if cons.get("required") and m.value == "":
        return m.file, m.row, m.column, None
    return None


@pytest.mark.parametrize("batch", range(BATCHES))
def test_a_broken_case_is_refused_with_its_places_or_loads(tmp_path, batch):
    counts: Counter[str] = Counter()
    crashes, wrong = [], []
    for seed in range(batch * BATCH, (batch + 1) * BATCH):
        source = DATA / CASES[seed % len(CASES)]
        folder = tmp_path / str(seed)
        mutations = fuzz.mutate_case(source, folder, seed)
        outcome = fuzz.attempt(folder)
        counts[outcome.result] += 1
        said = f"seed {seed} ({source.name}):\n{fuzz.describe(mutations)}"
        if outcome.result == "crashed":
            crashes.append(f"{said}{outcome.traceback}")
        elif isinstance(outcome.error, CaseValidationError):
            fields = _fields(source)
            wrong += [f"{said}  {w}" for w in _pointing_wrong(folder, {"datapackage.json", *fields}, outcome.error)]
            expected = _expected(mutations, fields)
            at = [(p.file, p.row, p.column, p.value) for p in outcome.error.problems]
            if expected and expected not in at:
                wrong.append(f"{said}  no problem at {expected}; problems: {outcome.error}")
        elif outcome.result == "refused" and "datapackage.json" not in str(outcome.error):
            wrong.append(f"{said}  the error names no file: {outcome.error}")
    assert crashes == [], f"{len(crashes)} crash(es); the first:\n{crashes[0]}"
    assert wrong == []
    assert counts["refused"] >= BATCH // 3 and counts["loaded"] >= 1, counts  # the mutations do break cases, not all of them


def test_the_same_seed_breaks_the_same_way(tmp_path):
    a = fuzz.mutate_case(CASE_DIR, tmp_path / "a", 41, count=3)
    b = fuzz.mutate_case(CASE_DIR, tmp_path / "b", 41, count=3)
    assert a == b and len(a) == 3
    assert {p.name: p.read_bytes() for p in (tmp_path / "a").iterdir()} == {p.name: p.read_bytes() for p in (tmp_path / "b").iterdir()}


# --- the crash classes the fuzzer found, one each ------------------------------------------------------------------


def _refused(folder: Path) -> list[tuple]:
    with pytest.raises(CaseValidationError) as info:
        load_case(folder)
    return [(p.file, p.row, p.column, p.value, p.message) for p in info.value.problems]


def _set(column: str, value: str, key: str, key_value: str):
    def mutate(rows: list[dict[str, str]]) -> None:
        rows[row_of(rows, key, key_value)][column] = value

    return mutate


@pytest.mark.parametrize(
    ("table", "key", "key_value", "column", "value", "message"),
    [
        ("claims", "claim_id", "A08", "value_low", "inf", "is not a whole number"),  # was OverflowError: float infinity to integer
        ("claims", "claim_id", "A08", "value_high", "9" * 40, "is too large (whole numbers go up to 9007199254740992)"),  # was TypeError
        ("claims", "claim_id", "A08", "value_low", "1.5", "is not a whole number"),  # was TypeError: non-equivalent object to int64
        ("places", "place_id", "dumayr", "lat", "9" * 400, "is too large to be a number"),  # a float beyond its range is infinity
        ("places", "place_id", "dumayr", "geo_precision", "1e400", "is not a whole number"),
    ],
)
def test_a_number_no_column_can_hold_is_refused_where_it_is(broken_case, table, key, key_value, column, value, message):
    folder = broken_case(table, _set(column, value, key, key_value))
    row = row_of(read_rows(folder / f"{table}.csv"), key, key_value) + 2  # the header is row 1
    assert (f"{table}.csv", row, column, value, message) in _refused(folder)


def test_deleted_row_swapped_columns_and_a_huge_claim_are_refused_with_their_places(tmp_path):
    """The fuzzer's TypeError 'cannot safely cast non-equivalent float64 to int64': agreements.csv lost a row and two of
    its columns swapped names, and a claims cell held a number past any integer type."""
    folder = tmp_path / "case"
    import shutil

    shutil.copytree(CASE_DIR, folder)
    rows = read_rows(folder / "agreements.csv")
    header = list(rows[0])
    a, b = header.index("date"), header.index("name_en")
    header[a], header[b] = header[b], header[a]
    with (folder / "agreements.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows([list(r.values()) for i, r in enumerate(rows) if i != 1])
    claims = read_rows(folder / "claims.csv")
    claims[5]["value_low"] = "9" * 25
    write_rows(folder / "claims.csv", claims)
    found = _refused(folder)
    assert ("claims.csv", 7, "value_low", "9" * 25, "is too large (whole numbers go up to 9007199254740992)") in found
    swapped = [p for p in found if p[0] == "agreements.csv" and p[2] == "date"]
    assert swapped and all(p[3] == rows[i if i < 1 else i + 1]["name_en"] for p in swapped for i in [p[1] - 2])


def test_a_byte_order_mark_is_read_as_nothing(tmp_path):
    """Excel writes UTF-8 CSV with a byte-order mark: the case loads as it would without one."""
    import shutil

    folder = tmp_path / "case"
    shutil.copytree(CASE_DIR, folder)
    for name in ("claims.csv", "datapackage.json"):
        (folder / name).write_bytes(b"\xef\xbb\xbf" + (folder / name).read_bytes())
    assert load_case(folder).claims.equals(load_case(CASE_DIR).claims)


@pytest.mark.parametrize(
    ("header_change", "column", "value", "message"),
    [
        (lambda h: [*h, h[0]], "claim_id", None, "column appears twice in the header"),
        (lambda h: [*h, ""], None, "", "column {n} of the header has no name"),  # n: the last column
        (lambda h: [h[0].upper(), *h[1:]], "claim_id", None, "column is missing from the header"),
    ],
    ids=["repeated", "unnamed", "renamed"],
)
def test_a_broken_header_names_the_column(tmp_path, header_change, column, value, message):
    import shutil

    folder = tmp_path / "case"
    shutil.copytree(CASE_DIR, folder)
    records = _records(folder / "claims.csv")
    header = header_change(records[0])
    with (folder / "claims.csv").open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows([header, *[r + [""] * (len(header) - len(r)) for r in records[1:]]])
    assert ("claims.csv", 1, column, value, message.format(n=len(header))) in _refused(folder)


def test_an_empty_file_is_named(tmp_path):
    import shutil

    folder = tmp_path / "case"
    shutil.copytree(CASE_DIR, folder)
    (folder / "movements.csv").write_bytes(b"")
    found = _refused(folder)
    assert ("movements.csv", None, None, None, "file is empty: it needs at least its header row") in found


def test_a_file_that_is_not_utf8_names_its_line(tmp_path):
    """A byte of Latin-1 (0xE9, é) on the fourth line of claims.csv: the problem names that line."""
    import shutil

    folder = tmp_path / "case"
    shutil.copytree(CASE_DIR, folder)
    lines = (folder / "claims.csv").read_bytes().split(b"\n")
    lines[3] = lines[3].replace(b",", b",\xe9", 1)
    (folder / "claims.csv").write_bytes(b"\n".join(lines))
    found = [p for p in _refused(folder) if p[0] == "claims.csv"]
    assert [p[:4] for p in found] == [("claims.csv", 4, None, None)] and "is not UTF-8 text" in found[0][4]


def _break_package(folder: Path, change) -> None:
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    change(package)
    (folder / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")


def _claims(p: dict) -> dict:
    return next(r for r in p["resources"] if r["name"] == "claims")


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda p: p.update(resources=1e308), ("resources", "is not a list", "1e+308")),
        (
            lambda p: _claims(p)["schema"]["fields"][4].update(type="foo"),
            ("resources[{i}].schema.fields[4].type", "is not one of", '"foo"'),
        ),
        (
            lambda p: _claims(p)["schema"]["fields"][0]["constraints"].update(pattern="["),
            ("resources[{i}].schema.fields[0].constraints.pattern", "is not a regular expression", '"["'),
        ),
        (lambda p: _claims(p)["schema"].update(fields="x"), ("resources[{i}].schema.fields", "is not a list", '"x"')),
        (
            lambda p: _claims(p)["schema"]["fields"].append({"name": "claim_id"}),
            ("resources[{i}].schema.fields[{n}].name", "two fields", '"claim_id"'),  # claims has n fields: this is the n+1st
        ),
        (
            lambda p: _claims(p)["schema"]["foreignKeys"][0]["reference"].update(resource="nowhere"),
            ("resources[{i}].schema.foreignKeys[0].reference.resource", "names no resource", '"nowhere"'),
        ),
        (lambda p: p["resources"].remove(_claims(p)), ("the top level", "lacks the resource 'claims'", None)),
        (lambda p: _claims(p).update(path="../../etc/passwd"), ("resources[{i}].path", "does not match the pattern", '"../../etc/passwd"')),
    ],
    ids=["resources-number", "unknown-type", "bad-pattern", "fields-text", "twice", "no-resource", "no-claims", "path-outside"],
)
def test_a_broken_data_package_is_refused_before_any_table(tmp_path, change, problem):
    """datapackage.json is checked first (its shape, then names that must exist or be unique): each problem names the
    file, where in it (a JSON path) and the value, and no table is read until it is sound."""
    import shutil

    folder = tmp_path / "case"
    shutil.copytree(CASE_DIR, folder)
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    i = next(k for k, r in enumerate(package["resources"]) if r["name"] == "claims")  # where claims sits in the package
    n = len(package["resources"][i]["schema"]["fields"])
    _break_package(folder, change)
    (folder / "claims.csv").write_text("not,the,claims\n", encoding="utf-8")  # never read: the package comes first
    found = _refused(folder)
    where, words, value = problem
    where = where.format(i=i, n=n)
    hits = [p for p in found if p[0] == "datapackage.json" and p[4].startswith(f"{where}: ") and words in p[4] and p[3] == value]
    assert hits, found
    assert all(p[0] == "datapackage.json" for p in found)


def test_a_package_that_is_not_json_is_a_case_error_naming_it(tmp_path):
    import shutil

    folder = tmp_path / "case"
    shutil.copytree(CASE_DIR, folder)
    data = (folder / "datapackage.json").read_bytes()
    (folder / "datapackage.json").write_bytes(data[: len(data) // 2])
    with pytest.raises(CaseError, match=r"datapackage\.json: not valid JSON \(line \d+, column \d+\)"):
        load_case(folder)
    (folder / "datapackage.json").write_bytes(b"\xff\xfe{}")
    with pytest.raises(CaseError, match=r"datapackage\.json: not valid JSON: not UTF-8 text \(byte 0\)"):
        load_case(folder)
