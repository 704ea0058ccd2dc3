"""ACLED's country and iso come from the case's data package; the export says which columns stay empty and why.

Expected values are ISO 3166-1's: Syria is SYR (alpha-3) and 760 (numeric, the code ACLED's ``iso`` column holds).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import read_rows
from reportkit import ROOT

from analysis.export import ExportError, export_case

CASES = ["eastern-qalamoun-2018", "eastern-ghouta-2018"]


@pytest.mark.parametrize("case", CASES)
def test_every_acled_row_carries_the_country_of_the_case(case, tmp_path):
    package = json.loads((ROOT / "data" / case / "datapackage.json").read_text(encoding="utf-8"))
    assert package["qalamoun:country"] == {"name": "Syria", "iso3": "SYR", "iso_numeric": 760}
    export_case(case, tmp_path / "out", ["acled"])
    rows = read_rows(tmp_path / "out" / "acled" / "events.csv")
    assert rows and {(r["country"], r["iso"]) for r in rows} == {("Syria", "760")}
    notes = json.loads((tmp_path / "out" / "metadata.json").read_text(encoding="utf-8"))["notes"]["acled"]
    assert notes["country"] == {"name": "Syria", "iso3": "SYR", "iso_numeric": 760, "from": "datapackage.json, qalamoun:country"}
    empty = notes["empty_columns"]
    assert {"region", "admin1", "admin2", "admin3", "source_scale", "tags", "timestamp"} <= set(empty)
    assert "country" not in empty and "iso" not in empty
    # each column said empty is empty in every row; a column not said empty has a value in some row
    for column in ("region", "admin1", "admin2", "admin3", "source_scale", "tags", "timestamp"):
        assert {r[column] for r in rows} == {""}, column
    blank_fatalities = sum(r["fatalities"] == "" for r in rows)
    assert ("fatalities" in empty) == (blank_fatalities > 0)
    if blank_fatalities:
        assert empty["fatalities"].startswith(f"empty in {blank_fatalities} of {len(rows)} rows")


def _copy_with(tmp_path: Path, country) -> Path:
    folder = tmp_path / "case"
    shutil.copytree(ROOT / "data" / "eastern-qalamoun-2018", folder)
    path = folder / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    if country is None:
        package.pop("qalamoun:country")
    else:
        package["qalamoun:country"] = country
    path.write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return folder


def test_a_case_without_a_country_leaves_country_and_iso_empty_and_says_why(tmp_path):
    folder = _copy_with(tmp_path, None)
    export_case(folder, tmp_path / "out", ["acled"])
    rows = read_rows(tmp_path / "out" / "acled" / "events.csv")
    assert {(r["country"], r["iso"]) for r in rows} == {("", "")}
    notes = json.loads((tmp_path / "out" / "metadata.json").read_text(encoding="utf-8"))["notes"]["acled"]
    assert notes["country"] is None
    assert "has no qalamoun:country" in notes["empty_columns"]["country"] == notes["empty_columns"]["iso"]


def test_a_malformed_country_is_refused_naming_the_file_the_key_and_the_value(tmp_path):
    folder = _copy_with(tmp_path, {"name": "Syria", "iso3": "sy", "iso_numeric": "760"})
    with pytest.raises(ExportError) as err:
        export_case(folder, tmp_path / "out", ["hxl", "acled"])
    text = str(err.value)
    assert str(folder / "datapackage.json") in text
    assert "qalamoun:country.iso3 must be three capital letters (ISO 3166-1 alpha-3), not 'sy'" in text
    assert "qalamoun:country.iso_numeric must be a whole number from 1 to 999 (ISO 3166-1 numeric), not '760'" in text
    assert not (tmp_path / "out").exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".out")]
    # a format that does not use the country does not need it
    export_case(folder, tmp_path / "out", ["hxl"])
    assert (tmp_path / "out" / "hxl").is_dir()
