"""Translations: every word in both languages, every vocabulary value of the case covered, and no English in Spanish output.

The English and Spanish strings checked here are written in the test, not read from analysis.i18n.
"""

from __future__ import annotations

import re
import string

import pytest

from analysis import charts, flows, i18n, network, present, timeline
from analysis.charts import render

# English narrative, headings, table headers and values a Spanish report must never show (and their Spanish forms)
ENGLISH = [
    "What happened",
    "The phases",
    "Event by event",
    "The convoys on the calendar",
    "Who sits where",
    "Structural balance",
    "Phase by phase",
    "How sure can we be",
    "What each source claimed",
    "The headline figures",
    "Where the record contradicts itself",
    "Each movement",
    "Over time",
    "Origins and destinations",
    "Summary",
    "unknown",
    "Departure",
    "Arrival",
    "People by destination",
    "imputed from buses",
    "fighters + civilians",
    "whole case",
    "negotiation",
    "evacuation",
    "surrender",
    "rebel group",
    "state force",
    "negotiated with",
    "sources disagree",
    "Afrin district",
    "Syrian Arab Army",
    " Apr ",
    "April",
    "Natural Earth (public domain)",
]
SPANISH = [
    "Qué pasó, fase por fase",
    "Dónde se contradice el registro",
    "Cada movimiento",
    "desconocido",
    "las fuentes discrepan",
    "Ejército Árabe Sirio",
    "distrito de Afrin",
    "abr 2018",
    "dominio público",
]


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
        **dict.fromkeys(("figure", "grade", "movements", "documented", "n_doc", "n_unknown", "estimated", "claims", "contradictions"), "1"),
        **dict.fromkeys(("subject", "quantity", "whole", "parts", "known", "items", "window", "other", "positions", "source"), "1"),
        **dict.fromkeys(("bound_low", "bound_high"), "1"),
    }
    parts = [i18n.text(k, lang, **values) for k in i18n.TEXTS]
    parts += [present.summary(rec.summary(), lang).data]
    tables = [
        present.phase_table(events, lang),
        present.event_table(case, events, lang),
        present.headline_table(case, rec.figures, lang),
        present.contradictions_table(case, rec.contradictions, lang),
        present.movement_table(case, rec.movements, lang),
        present.daily_table(rec.movements, lang),
        present.od_table(case, rec.movements, lang),
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
    found = [e for e in ENGLISH if e in text]
    assert not found, f"English in the Spanish output: {found}"
    missing = [s for s in SPANISH if s not in text]
    assert not missing, f"Spanish words missing: {missing}"
    assert "NaT" not in text and "<NA>" not in text and "nan" not in text.split()


def test_a_case_without_a_whole_case_figure_says_so_in_its_summary():
    """A case with no claim about the whole case (Eastern Ghouta's claims.csv has no subject 'total') quotes the sum of
    its movements, and its summary says why, in each language, with how many movements have no figure."""
    answer = {
        "low": 100,
        "best": 150,
        "high": 200,
        "low_open": False,
        "high_open": True,
        "reason": "no_headline",
        "grade": "fair",
        "headline_claim_ids": [],
        "contradiction_ids": [],
        "movements": {"n_movements": 3, "n_documented": 2, "n_unknown": 1},
    }
    for lang, text in (
        ("en", "the sum of the movements, as no source gives a figure for the whole case (fair). 1 of 3 movements have no figure."),
        ("es", "la suma de los movimientos, porque ninguna fuente da una cifra para todo el caso (aceptable). 1 de 3 movimientos"),
    ):
        html = present.summary({"answer": {"people": answer}}, lang).data
        assert text in html, lang
        assert "150 (" in html or "150 (" in html.replace(".", ","), lang
