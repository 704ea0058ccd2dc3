"""Every case in data/, found rather than named: it validates, it has the schema of the others, every notebook runs on
it in every language, a report in another language shows no English, a report names nothing of another case, and
every summary it writes holds the invariants of summarykit.

Adding a case folder to data/ adds its tests here; nothing in this module names a case.  The notebook runs are the
session's one ``qalamoun run`` (:mod:`sharedruns`; warm kernels, two at a time): one parameter set per case and
language, for every notebook (the comparison notebook compares the case with itself alone).
"""

from __future__ import annotations

import json

import pytest
from conftest import DATA, ROOT, case_ids, langs, read_rows
from langkit import ENGLISH_TITLES, english_in
from reportkit import notebook_error, summary, unquoted_text
from sharedruns import every_case_runs
from summarykit import problems

from analysis import load_case, runner
from analysis.cases import validate_case

CASES = case_ids()
LANGS = langs()
STEMS = [nb.stem for nb in runner.find_notebooks(ROOT)]
RUNS = [(case, lang, stem) for case in CASES for lang in LANGS for stem in STEMS]
# Chart titles in Spanish as a reader sees them, written here (not read from analysis.i18n)
SPANISH_TITLES = {
    "01_timeline": ["Qué pasó, fase por fase", "Convoyes: de la salida a la llegada"],
    "02_actor_network": ["Quién trató con quién", "Centralidad de intermediación", "Relaciones en el tiempo"],
    "03_evacuation_flows": ["Qué afirmó cada fuente", "Personas por destino", "Rutas: adónde fueron los movimientos"],
    "04_compare_cases": ["Adónde fueron: la proporción de cada destino, como rango", "Contradicciones por tipo"],
}


def slug(case: str, lang: str) -> str:
    return f"{case}-{lang}"


def test_the_cases_are_found():
    """Discovery finds every folder of data/ that holds a datapackage.json, and only those (the basemap is not a case)."""
    folders = sorted(p.name for p in DATA.iterdir() if p.is_dir())
    assert [f for f in folders if (DATA / f / "datapackage.json").is_file()] == CASES
    assert len(CASES) >= 2 and "basemap" in folders and "basemap" not in CASES


@pytest.mark.parametrize("case", CASES)
def test_the_case_is_valid(case):
    assert validate_case(case) == []


@pytest.mark.parametrize("case", CASES)
def test_frictionless_accepts_the_data_package(case):
    from frictionless import Package, system

    with system.use_context(trusted=True):
        report = Package(str(DATA / case / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]


@pytest.mark.parametrize("case", CASES[1:])
def test_every_case_has_the_schema_of_the_first(case):
    """One schema for every case: the same resources, fields, vocabularies and keys, and the same package properties
    besides those that describe the case itself (name, title, description, licences, sources)."""
    first = json.loads((DATA / CASES[0] / "datapackage.json").read_text(encoding="utf-8"))
    this = json.loads((DATA / case / "datapackage.json").read_text(encoding="utf-8"))
    assert this["name"] == case
    assert [r["name"] for r in this["resources"]] == [r["name"] for r in first["resources"]]
    for a, b in zip(this["resources"], first["resources"], strict=True):
        assert a == b, a["name"]
    own = {"name", "title", "description", "licenses", "sources", "version"}  # and the case's words, country:
    own |= {"qalamoun:title", "qalamoun:heading", "qalamoun:description", "qalamoun:country"}
    assert {k: v for k, v in this.items() if k not in own} == {k: v for k, v in first.items() if k not in own}


# --- every notebook on every case in every language ------------------------------------------------------------------


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """The session's one run of every notebook on every case in every language (shared with the browser tests)."""
    return every_case_runs(tmp_path_factory)


@pytest.fixture(scope="module")
def cases():
    return {c: load_case(c) for c in CASES}


@pytest.mark.slow
@pytest.mark.parametrize(("case", "lang", "stem"), RUNS)
def test_every_notebook_runs(runs, case, lang, stem):
    out, proc = runs
    assert notebook_error(out, slug(case, lang), stem) is None, proc.stdout[-3000:]


@pytest.mark.slow
@pytest.mark.parametrize(("case", "lang", "stem"), RUNS)
def test_the_summary_holds_the_invariants(runs, case, lang, stem):
    out, _ = runs
    found = problems(summary(out, slug(case, lang), stem), read_rows(DATA / case / "claims.csv"))
    assert found == []


def _numbers(node, path=""):
    """Every number and null of a summary by its path (texts left out: they may be in the report's language)."""
    if isinstance(node, dict):
        return {k: v for key, value in node.items() for k, v in _numbers(value, f"{path}.{key}").items()}
    if isinstance(node, list):
        return {k: v for i, value in enumerate(node) for k, v in _numbers(value, f"{path}[{i}]").items()}
    return {path: node} if node is None or isinstance(node, int | float) else {}


@pytest.mark.slow
@pytest.mark.parametrize(("case", "lang", "stem"), [r for r in RUNS if r[1] != "en"])
def test_the_figures_are_the_same_in_every_language(runs, case, lang, stem):
    out, _ = runs
    english = _numbers(summary(out, slug(case, "en"), stem))
    assert english and _numbers(summary(out, slug(case, lang), stem)) == english


@pytest.mark.slow
@pytest.mark.parametrize(("case", "lang", "stem"), [r for r in RUNS if r[1] != "en"])
def test_a_report_in_another_language_shows_no_english(runs, cases, case, lang, stem):
    """No English word of the package, no English chart title, no English name or text of the case itself."""
    out, _ = runs
    text = unquoted_text(out / slug(case, lang) / f"{stem}.ipynb")  # documents' titles are quoted as recorded
    assert english_in(text, cases[case], lang) == []
    if lang == "es":
        assert [t for t in SPANISH_TITLES[stem] if t not in text] == []
    assert [t for t in ENGLISH_TITLES if t in text] == []


def _names(case: str) -> set[str]:
    """The names of a case's places and actors in every language (csv, not the loader), five characters or more."""
    rows = read_rows(DATA / case / "places.csv") + read_rows(DATA / case / "actors.csv")
    return {r[k] for r in rows for k in r if k.startswith("name_") and len(r[k]) >= 5}


@pytest.mark.slow
@pytest.mark.parametrize(("case", "lang", "stem"), RUNS)
def test_a_report_names_nothing_of_another_case(runs, case, lang, stem):
    """A report on one case never names a place or an actor that only another case holds."""
    out, _ = runs
    foreign = set().union(*(_names(other) for other in CASES if other != case)) - _names(case)
    text = unquoted_text(out / slug(case, lang) / f"{stem}.ipynb")  # a quoted headline may name another place
    assert sorted(n for n in foreign if n in text) == []
