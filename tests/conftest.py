"""Shared fixtures: the cases of data/ (found, not named), the real case, broken copies of it, the shared source documents.

The source checks (tests that use the ``shared_sources`` fixture) read the documents in
``shared/sources`` beside the checkout (or above it), or in ``$QALAMOUN_SOURCES`` when it is set
(``QALAMOUN_SOURCES=/nonexistent`` hides them).  Without the documents they skip, saying where
they looked, and the run ends with one line saying how many source checks ran.
"""

from __future__ import annotations

import csv
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
CASE_ID = "eastern-qalamoun-2018"  # the curated case that the tests of its facts and the broken copies start from
CASE_DIR = DATA / CASE_ID


def case_ids() -> list[str]:
    """Every case of the checkout: each folder of data/ with a datapackage.json, by name.  Adding a folder adds its tests."""
    return sorted(p.name for p in DATA.iterdir() if (p / "datapackage.json").is_file())


def langs() -> tuple[str, ...]:
    """The report languages, as the package lists them."""
    from analysis.i18n import LANGS

    return tuple(LANGS)


SOURCES_ENV = "QALAMOUN_SOURCES"
SOURCE_CHECK = "source_check"  # user property marking a test that uses shared_sources (travels with xdist reports)


def _source_candidates() -> list[Path]:
    """Where the source documents may be: ``$QALAMOUN_SOURCES``, else shared/sources in the checkout or above it."""
    env = os.environ.get(SOURCES_ENV)
    if env:
        return [Path(env)]
    return [base / "shared" / "sources" for base in (ROOT, *ROOT.parents)]


def _find_sources() -> Path | None:
    for cand in _source_candidates():
        if (cand / "news-claims.csv").is_file():
            return cand
    return None


SOURCES_DIR = _find_sources()
SOURCES_MISSING = "shared/sources not found (looked in " + ", ".join(str(c) for c in _source_candidates()) + f"; set ${SOURCES_ENV})"


@pytest.fixture(scope="session")
def case():
    from analysis import load_case

    return load_case(CASE_ID)


@pytest.fixture(scope="session")
def shared_sources() -> Path:
    if SOURCES_DIR is None:
        pytest.skip(SOURCES_MISSING)
    return SOURCES_DIR


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that uses ``shared_sources`` (directly or through another fixture)."""
    for item in items:
        if "shared_sources" in getattr(item, "fixturenames", ()):
            item.user_properties.append((SOURCE_CHECK, True))


def _source_check_outcomes(stats: dict[str, list]) -> dict[str, str]:
    """Outcome of each marked test (failed over skipped over passed), from reports that also come back from xdist workers."""
    rank = {"passed": 0, "skipped": 1, "failed": 2}
    out: dict[str, str] = {}
    for reports in stats.values():
        for rep in reports:
            props = getattr(rep, "user_properties", None) or ()
            if not any(p[0] == SOURCE_CHECK for p in props) or not hasattr(rep, "outcome"):
                continue
            if rep.outcome == "passed" and rep.when != "call":
                continue
            if rank[rep.outcome] >= rank[out.get(rep.nodeid, "passed")]:
                out[rep.nodeid] = rep.outcome
    return out


def pytest_terminal_summary(terminalreporter) -> None:
    """One line, always: how many source checks ran, and against which folder, or why they skipped."""
    outcomes = list(_source_check_outcomes(terminalreporter.stats).values())
    ran = outcomes.count("passed") + outcomes.count("failed")
    skipped, failed = outcomes.count("skipped"), outcomes.count("failed")
    if SOURCES_DIR is None:
        line = f"source checks: {ran} ran, {skipped} skipped: {SOURCES_MISSING}"
    else:
        line = f"source checks: {ran} ran against {SOURCES_DIR}"
        line += f" ({failed} failed)" if failed else ""
        line += f", {skipped} skipped" if skipped else ""
    terminalreporter.write_line(line, yellow=bool(skipped or failed), bold=True)


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
