"""Odd but valid cases (analysis.synth.write_odd_cases) never crash a notebook, and say unknown or none where a value
cannot exist.

The generator's cases are checked first, by hand, against what they claim to be (one actor, no coordinates, ten
years...).  Then one ``qalamoun run`` (warm kernels, two at a time) runs every notebook on each odd case in English,
and on one of them in each other language; a case whose oddity is a parameter (``relations``) runs only the notebooks
that take it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from pathlib import Path

import pytest
from conftest import ROOT, langs, read_rows
from reportkit import html_tables, notebook_error, run_sets, summary, visible_text
from summarykit import problems

from analysis import runner, synth
from analysis.cases import validate_case

LANGS = langs()
NOTEBOOKS = runner.find_notebooks(ROOT)
STEMS = [nb.stem for nb in NOTEBOOKS]


def _days(rows: list[dict[str, str]], *cols: str) -> list[dt.date]:
    return [dt.date.fromisoformat(r[c]) for r in rows for c in cols if r.get(c)]


def _span(folder: Path) -> int:
    """Days from the first to the last date of the events and movements."""
    days = _days(read_rows(folder / "events.csv"), "date_start", "date_end")
    days += _days(read_rows(folder / "movements.csv"), "depart_date", "arrive_date")
    return (max(days) - min(days)).days


def _signed_triads(folder: Path) -> int:
    ties = {frozenset((r["source_actor"], r["target_actor"])) for r in read_rows(folder / "relations.csv") if r["sign"] != "0"}
    actors = sorted({a for t in ties for a in t})
    return sum(1 for a, b, c in itertools.combinations(actors, 3) if {frozenset((a, b)), frozenset((b, c)), frozenset((a, c))} <= ties)


def _relation_vocabulary(folder: Path) -> list[str]:
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    rel = next(r for r in package["resources"] if r["name"] == "relations")
    return next(f for f in rel["schema"]["fields"] if f["name"] == "relation")["constraints"]["enum"]


# What each oddity means, checked on the files (csv, not the loader)
ODDITY_HOLDS = {
    "no_signed_triad": lambda f, p: (
        _signed_triads(f) == 0
        and len(read_rows(f / "actors.csv")) >= 3
        and sum(r["sign"] != "0" for r in read_rows(f / "relations.csv")) >= 3
    ),
    "one_actor": lambda f, p: len(read_rows(f / "actors.csv")) == 1,
    "one_movement": lambda f, p: len(read_rows(f / "movements.csv")) == 1,
    "no_relations_of_kind": lambda f, p: (
        p["relations"] in _relation_vocabulary(f)
        and read_rows(f / "relations.csv") != []
        and p["relations"] not in {r["relation"] for r in read_rows(f / "relations.csv")}
    ),
    "no_coordinates": lambda f, p: all(not r["lat"] and not r["lon"] for r in read_rows(f / "places.csv")),
    "one_point": lambda f, p: (
        len(read_rows(f / "places.csv")) >= 2 and len({(r["lat"], r["lon"]) for r in read_rows(f / "places.csv")}) == 1
    ),
    "few_days": lambda f, p: 0 < _span(f) <= 7,
    "ten_years": lambda f, p: _span(f) >= 9 * 365,
    "one_source": lambda f, p: len(read_rows(f / "sources.csv")) == 1,
    "no_agreements": lambda f, p: read_rows(f / "agreements.csv") == [] and read_rows(f / "provisions.csv") == [],
    "unknown_figures": lambda f, p: (
        read_rows(f / "claims.csv") != [] and all(not r["value_low"] and not r["value_high"] for r in read_rows(f / "claims.csv"))
    ),
}


def test_the_odd_cases_are_valid_and_as_odd_as_they_say(tmp_path):
    odd = synth.write_odd_cases(tmp_path)
    assert sorted({o for c in odd for o in c.oddities}) == sorted(synth.ODDITIES) == sorted(ODDITY_HOLDS)
    for c in odd:
        assert validate_case(c.folder) == [], c.name
        for oddity in c.oddities:
            assert ODDITY_HOLDS[oddity](c.folder, c.parameters), (c.name, oddity)
    assert not ODDITY_HOLDS["one_actor"](odd[1].folder, {}) and not ODDITY_HOLDS["no_coordinates"](odd[1].folder, {})  # the checks can fail


def test_the_same_folder_gets_the_same_files(tmp_path):
    for a, b in zip(synth.write_odd_cases(tmp_path / "a"), synth.write_odd_cases(tmp_path / "b"), strict=True):
        assert {p.name: p.read_bytes() for p in a.folder.iterdir()} == {p.name: p.read_bytes() for p in b.folder.iterdir()}


def test_the_template_has_the_schema_of_the_first_case_of_data():
    """The same resources, fields, vocabularies and keys as the first case; only what describes a case differs."""
    package = synth.template_package()
    first = sorted(p for p in (ROOT / "data").iterdir() if (p / "datapackage.json").is_file())[0]
    case = json.loads((first / "datapackage.json").read_text(encoding="utf-8"))
    assert package["resources"] == case["resources"]
    own = {"name", "title", "description", "licenses", "sources", "version"}  # and the case's words, country:
    own |= {"qalamoun:title", "qalamoun:heading", "qalamoun:description", "qalamoun:country"}
    assert {k: v for k, v in package.items() if k not in own} == {k: v for k, v in case.items() if k not in own}


# --- every notebook on every odd case -------------------------------------------------------------------------------


def _plan(odd: list[synth.OddCase]) -> dict[str, tuple[synth.OddCase, str, list[str]]]:
    """slug -> (case, language, notebook stems): every odd case in English (only the notebooks that take its own
    parameters, if it has any), and each other language on one odd case without parameters, in turn."""
    takes = {nb.stem: set(runner.notebook_parameters(nb)) for nb in NOTEBOOKS}
    plan = {}
    for c in odd:
        plan[f"{c.name}-en"] = (c, "en", [s for s in STEMS if set(c.parameters) <= takes[s]])
    plain = [c for c in odd if not c.parameters]
    for i, lang in enumerate(x for x in LANGS if x != "en"):
        c = plain[i % len(plain)]
        plan[f"{c.name}-{lang}"] = (c, lang, STEMS)
    return plan


RUN_SLUGS = {  # slug -> stems, as _plan gives them for the generator's cases (checked in test_the_plan_is_what_runs)
    "odd-tiny-en": STEMS,
    "odd-flat-en": STEMS,
    "odd-flat-unused-kind-en": [s for s in STEMS if "relations" in runner.notebook_parameters(NOTEBOOKS[STEMS.index(s)])],
    **{f"odd-tiny-{lang}" if i % 2 == 0 else f"odd-flat-{lang}": STEMS for i, lang in enumerate(x for x in LANGS if x != "en")},
}
RUNS = [pytest.param(slug, stem, id=f"{slug}-{stem}") for slug, stems in RUN_SLUGS.items() for stem in stems]


@pytest.fixture(scope="module")
def odd(tmp_path_factory):
    return synth.write_odd_cases(tmp_path_factory.mktemp("odd-cases"))


@pytest.fixture(scope="module")
def runs(tmp_path_factory, odd):
    plan = _plan(odd)
    sets = {
        slug: ({"case": str(c.folder), "cases": [str(c.folder)], "lang": lang, **c.parameters}, stems)
        for slug, (c, lang, stems) in plan.items()
    }
    out, proc = run_sets(tmp_path_factory.mktemp("odd-runs"), sets)
    return out, proc, plan


@pytest.mark.slow
def test_the_plan_is_what_runs(runs):
    """Every oddity runs in English, every language runs somewhere, and the parametrised tests below name every run."""
    _, _, plan = runs
    assert {slug: stems for slug, (_, _, stems) in plan.items()} == RUN_SLUGS
    english = {o for c, lang, _ in plan.values() if lang == "en" for o in c.oddities}
    assert english == set(synth.ODDITIES) and {lang for _, lang, _ in plan.values()} == set(LANGS)


@pytest.mark.slow
@pytest.mark.parametrize(("slug", "stem"), RUNS)
def test_every_notebook_runs_on_every_odd_case(runs, slug, stem):
    out, proc, _ = runs
    assert notebook_error(out, slug, stem) is None, proc.stdout[-2000:]


@pytest.mark.slow
@pytest.mark.parametrize(("slug", "stem"), RUNS)
def test_the_summary_holds_the_invariants(runs, slug, stem):
    out, _, plan = runs
    case, _, _ = plan[slug]
    assert notebook_error(out, slug, stem) is None
    assert problems(summary(out, slug, stem), read_rows(case.folder / "claims.csv")) == []


LEFTOVERS = re.compile(r"(?<!\w)(nan|NaN|None|NaT|<NA>|inf|-inf|null)(?!\w)")


@pytest.mark.slow
@pytest.mark.parametrize(("slug", "stem"), RUNS)
def test_no_report_shows_a_missing_value_as_code(runs, slug, stem):
    """A value that cannot exist is written in words ('unknown', 'none'), never as nan, None, NaT, <NA> or inf."""
    out, _, _ = runs
    assert notebook_error(out, slug, stem) is None
    text = re.sub(r"\S+\.summary\.json", " ", visible_text(out / slug / f"{stem}.ipynb"))
    assert LEFTOVERS.findall(text) == []


UNKNOWN = {"en": "unknown", "es": "desconocido"}  # the word for a value that cannot be known, written here


@pytest.mark.slow
@pytest.mark.parametrize("lang", [x for x in LANGS if f"odd-tiny-{x}" in RUN_SLUGS])
def test_a_case_without_figures_keeps_them_unknown(runs, lang):
    """odd-tiny's only claim gives no number (an unspecified number of people): every figure is null in the summaries,
    and the report says so in words."""
    out, _, _ = runs
    slug = f"odd-tiny-{lang}"
    for stem in ("01_timeline", "03_evacuation_flows"):
        s = summary(out, slug, stem)
        for q in ("people", "buses", "fighters"):
            assert {k: s[q][k] for k in ("low", "best", "high")} == {"low": None, "best": None, "high": None}, (stem, q)
        assert (s["scenario_people"] or {}).get("value") is None and (s["people_per_bus"] or {}).get("best") is None
        assert s["first_departure"] == "2020-03-04" and s["last_arrival"] is None  # the one movement has no arrival date
        if lang in UNKNOWN:
            assert UNKNOWN[lang] in visible_text(out / slug / f"{stem}.ipynb")
    compared = summary(out, slug, "04_compare_cases")
    assert [v for row in compared.values() for k, v in row.items() if k.startswith("people_") and k[-4:] in ("_low", "best", "high")] == [
        None
    ] * 6


PEOPLE = {"en": "People", "es": "Personas"}  # how the header of a column of people starts, written here
ORIGIN = {"en": "Origin", "es": "Origen"}  # the first header of the origin-destination table, whose cells are people


@pytest.mark.slow
def test_no_table_writes_unknown_people_as_zero(runs):
    """In odd-tiny no one's number is known: no cell of people (a column headed People, or the origin-destination
    table) is 0."""
    out, _, _ = runs
    zeros = []
    for lang in [x for x in PEOPLE if f"odd-tiny-{x}" in RUN_SLUGS]:
        for stem in ("01_timeline", "03_evacuation_flows"):
            for head, body in html_tables(out / f"odd-tiny-{lang}" / f"{stem}.ipynb"):
                cols = range(1, len(head)) if head[:1] == [ORIGIN[lang]] else [i for i, h in enumerate(head) if h.startswith(PEOPLE[lang])]
                zeros += [(lang, stem, head[i]) for r in body for i in cols if i < len(r) and r[i] == "0"]
    assert zeros == []


@pytest.mark.slow
@pytest.mark.parametrize("stem", ["01_timeline", "03_evacuation_flows"])  # 01: no agreement; 03: no whole-case figure, no contradiction
def test_an_empty_table_says_none(runs, stem):
    """A table with nothing to list (no agreement, no contradiction, no whole-case figure) says so in a row."""
    out, _, _ = runs
    empty = [head for head, body in html_tables(out / "odd-tiny-en" / f"{stem}.ipynb") if not body]
    assert empty == []
