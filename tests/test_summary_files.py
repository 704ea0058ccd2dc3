"""The table of a report's figures (analysis.summary_files): every value of the summary, with its path, as CSV and as
a page in the report's language; null stays empty, never 0."""

from __future__ import annotations

import json

from analysis import summary_files

# a hand-made summary: a nested figure with an unknown best and an open high, a list of ids, an empty list
SUMMARY = {"people": {"low": 1200, "best": None, "high_open": True}, "ids": ["K01", "K02"], "none": [], "case": "x"}


def test_flatten_by_hand():
    """Keys sorted at each level, list items numbered, an empty list one empty row: 7 rows in this order."""
    assert summary_files.flatten(SUMMARY) == [
        ("case", "x"),
        ("ids[0]", "K01"),
        ("ids[1]", "K02"),
        ("none", ""),
        ("people › best", None),
        ("people › high_open", True),
        ("people › low", 1200),
    ]


def test_csv_writes_unknown_as_empty_never_zero():
    lines = summary_files.to_csv(SUMMARY).splitlines()
    assert lines[0] == "path,value" and len(lines) == 1 + 7
    assert "people › best," in lines and "people › low,1200" in lines and "people › high_open,true" in lines


def test_write_puts_three_files_side_by_side_whole(tmp_path):
    path = tmp_path / "03_flows.summary.json"
    summary_files.write(SUMMARY, path, "ar")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["03_flows.figures.csv", "03_flows.figures.html", "03_flows.summary.json"]
    assert json.loads(path.read_text(encoding="utf-8")) == SUMMARY
    page = (tmp_path / "03_flows.figures.html").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in page and "كل الأرقام" in page  # 'all figures', written here
    assert '<td translate="no" dir="ltr">people › low</td><td dir="ltr">1200</td>' in page
    assert "<script" not in page and "http" not in page  # offline, nothing fetched


def test_names_of_a_summary_file():
    assert summary_files.names("out/01_timeline.summary.json") == {
        "json": "01_timeline.summary.json",
        "html": "01_timeline.figures.html",
        "csv": "01_timeline.figures.csv",
    }
