"""Translations: every word in both languages, every vocabulary value of every case covered, and no English in Spanish output.

The tests that take ``case`` run on every case of data/.  The English and Spanish strings checked here are written in
the tests (and in langkit), not read from analysis.i18n.
"""

from __future__ import annotations

import re
import string

import pytest
from conftest import CASE_ID, case_ids
from langkit import english_in

from analysis import charts, flows, i18n, load_case, network, present, timeline
from analysis.charts import render

# Spanish headings every Spanish output shows, whatever the case
SPANISH = [
    "Qué pasó, fase por fase",
    "Dónde se contradice el registro",
    "Cada movimiento",
]
# ... and the names and dates of the curated case in Spanish (its actors, places and month)
CURATED_SPANISH = {
    CASE_ID: ["Ejército Árabe Sirio", "distrito de Afrin", "abr 2018", "desconocido", "las fuentes discrepan", "dominio público"]
}


@pytest.fixture(scope="module", params=case_ids())
def case(request):
    """Every case of data/ in turn (this module's tests hold for any case)."""
    return load_case(request.param)


def _fields(pattern: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(pattern) if f}


def test_every_entry_has_both_languages_with_the_same_placeholders():
    tables = {"label": i18n.LABELS, "text": i18n.TEXTS, **{f"vocab {k}": v for k, v in i18n.VOCAB.items()}}
    for name, table in tables.items():
        for key, pair in table.items():
            assert len(pair) == 2 and all(isinstance(s, str) and s.strip() for s in pair), (name, key)
            assert _fields(pair[0]) == _fields(pair[1]), (name, key, "placeholders differ")


def test_every_vocabulary_value_of_the_case_has_a_translation(case):
    kinds = {
        ("events", "phase"): "phase",
        ("events", "event_type"): "event_type",
        ("relations", "relation"): "relation",
        ("actors", "actor_type"): "actor_type",
        ("actors", "side"): "side",
        ("claims", "quantity"): "quantity",
        ("claims", "qualifier"): "qualifier",
        ("claims", "basis"): "claim_basis",
        ("places", "kind"): "place_kind",
    }
    for resource in case.package["resources"]:
        for field in resource["schema"]["fields"]:
            kind = kinds.get((resource["name"], field["name"]))
            for value in field.get("constraints", {}).get("enum", []) if kind else []:
                assert i18n.term(kind, value, "es") and i18n.term(kind, value, "en"), (kind, value)


def test_contradiction_kinds_and_summary_keys_are_translated(case):
    rec = flows.reconcile(case)
    for check in set(rec.contradictions["check"]):
        assert i18n.term("check", check, "es") != check or check == "date", check
    g = network.build_graph(case)
    summaries = [rec.summary("best"), timeline.summary(case.events), network.summary(case, g)]
    for s in summaries:
        html = present.summary(s, "es", "summary.json").data
        assert "summary.json" in html and "Todas las cifras" in html
        for english in ("First departure", "Contradictions", "People per bus", "unknown"):
            assert english not in html


def test_dates_in_words():
    assert i18n.date("2018-04-22", "es") == "22 abr 2018"
    assert i18n.date("2018-04-22", "en") == "22 Apr 2018"
    assert i18n.date(None, "es") == "desconocido" and i18n.date(float("nan"), "en") == "unknown"
    assert i18n.date("2018-04-01/2018-04-30", "es", "month") == "abr 2018"  # an interval claim: its start month
    assert i18n.date_range("2018-04-19", "2018-04-20", "es") == "19–20 abr 2018"
    assert i18n.date_range("2018-04-03", "2018-05-17", "en") == "3 Apr 2018 – 17 May 2018"
    assert i18n.month_year("2018-04-03", "2018-05-17", "es") == "abril–mayo de 2018"
    assert i18n.number(12030, "es") == "12.030" and i18n.number(53.9, "es") == "53,9" and i18n.number(12030, "en") == "12,030"


def test_unknown_language_and_missing_translation_are_refused():
    with pytest.raises(ValueError, match="lang must be 'en' or 'es'"):
        i18n.label("map", "fr")
    with pytest.raises(KeyError, match="no translation for phase 'siege'"):
        i18n.term("phase", "siege", "es")


def _spanish_output(case) -> str:
    """Everything the three Spanish reports write besides code: narrative, tables, chart text."""
    lang = "es"
    rec = flows.reconcile(case)
    events = timeline.events_in_window(case)
    g = network.build_graph(case)
    m = network.metrics(g)
    pos = network.layout(network.focus(g))
    values = {
        "case": charts.case_heading(case, lang),
        "n_events": 1,
        "first": "x",
        "last": "x",
        "n_phases": 1,
        "window": "x",
        "n_relations": 1,
        "n_actors": 1,
        "n_triads": 1,
        "share": "1",
        "phase": "x",
        "actor": "x",
        "n_claims": 1,
        "n_documents": 1,
        "rule": "x",
        "scenario": "x",
        "n": 1,
        "ratio": present.ratio_sentence(rec.people_per_bus, lang),
        "low": 1,
        "high": 1,
        "best": 1,
        "cases": charts.case_heading(case, lang),
    }
    parts = [i18n.text(k, lang, **values) for k in i18n.TEXTS]
    tables = [
        present.phase_table(events, lang),
        present.event_table(case, events, lang),
        present.headline_table(case, rec.figures, lang),
        present.contradictions_table(case, rec.contradictions, lang),
        present.movement_table(case, rec.movements, lang),
        present.daily_table(rec.movements, "best", lang),
        present.od_table(case, rec.movements, "best", lang),
        present.metrics_table(m, lang),
        present.triads_table(case, network.balance(g)["triads"], lang),
        present.relations_table(network.edges_table(g, lang), lang),
        present.agreements_table(case, lang),
    ]
    parts += [t._repr_html_() for t in tables]
    for chart in (
        charts.timeline(case, events, lang),
        charts.convoy_gantt(case, rec.movements, lang),
        charts.route_map(case, rec.movements, lang),
        charts.destination_bars(case, rec.movements, lang),
        charts.node_link(g, pos, lang, m),
        charts.relations_over_time(network.edges_table(g, lang), lang),
    ):
        svg = render.to_svg(chart.to_dict())
        parts.append(" ".join(re.findall(r">([^<>]+)<", svg)))  # the text drawn
    return "\n".join(parts)


def test_spanish_output_has_no_english(case):
    text = _spanish_output(case)
    found = english_in(text, case, "es")
    assert not found, f"English in the Spanish output: {found}"
    missing = [s for s in SPANISH + CURATED_SPANISH.get(case.path.name, []) if s not in text]
    assert not missing, f"Spanish words missing: {missing}"
    assert "NaT" not in text and "<NA>" not in text and "nan" not in text.split()


def test_a_case_without_a_whole_case_figure_says_so_in_its_summary():
    """A case with no claim about the whole case (Eastern Ghouta's claims.csv has no subject 'total') has empty
    headline figures; its summary row was an empty cell, and now says why it is empty, in each language."""
    for lang, text in (
        ("en", "<td>Headline figures for the whole case</td><td>none: no source gives a figure for the whole case</td>"),
        ("es", "<td>Cifras globales del caso</td><td>ninguna: ninguna fuente da una cifra para todo el caso</td>"),
    ):
        html = present.summary({"headline_claims": {}}, lang).data
        assert text in re.sub(r"\s*<(/?\w+)[^>]*>\s*", r"<\1>", html), lang
