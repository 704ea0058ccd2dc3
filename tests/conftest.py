"""Shared fixtures: the real case, broken copies of it, the shared source documents."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CASE_ID = "eastern-qalamoun-2018"
CASE_DIR = ROOT / "data" / CASE_ID


def _find_sources() -> Path | None:
    for base in (ROOT, *ROOT.parents):
        cand = base / "shared" / "sources"
        if (cand / "news-claims.csv").is_file():
            return cand
    return None


SOURCES_DIR = _find_sources()


@pytest.fixture(scope="session")
def case():
    from analysis import load_case

    return load_case(CASE_ID)


@pytest.fixture(scope="session")
def shared_sources() -> Path:
    if SOURCES_DIR is None:
        pytest.skip("shared/sources is not beside this checkout")
    return SOURCES_DIR


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write_rows(path: Path, rows: list[dict[str, str]], header: list[str] | None = None) -> None:
    header = header or list(rows[0])
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


@pytest.fixture
def broken_case(tmp_path: Path) -> Callable[[str, Callable[[list[dict[str, str]]], None]], Path]:
    """Copy the real case to a temporary folder and apply ``mutate`` to one table's rows."""

    def make(table: str, mutate: Callable[[list[dict[str, str]]], None]) -> Path:
        folder = tmp_path / "case"
        if not folder.exists():
            shutil.copytree(CASE_DIR, folder)
        path = folder / f"{table}.csv"
        rows = read_rows(path)
        mutate(rows)
        write_rows(path, rows, list(rows[0]))
        return folder

    return make


def row_of(rows: list[dict[str, str]], key: str, value: str) -> int:
    """Index of the row whose ``key`` equals ``value``."""
    for i, r in enumerate(rows):
        if r[key] == value:
            return i
    raise KeyError(value)
