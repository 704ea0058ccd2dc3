"""Words for structured results: every check kind and every rule has a template in every language, and the words
name places, movements and originators (never ids) with numbers and dates in the reader's language."""

from __future__ import annotations

import pytest
from casekit import claim, claims_case, movement, originator, place

from analysis import aggregate, checks, describe, flows, i18n, present
from analysis.intervals import Interval


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_every_check_kind_and_every_rule_has_a_template(lang):
    """A kind of check or a reason of the whole-case answer with no template, or no name, in a language would print
    a key: every one has both, with the placeholders English has."""
    texts = i18n.catalog(lang)["texts"]
    english = i18n.catalog("en")["texts"]
    keys = [f"check.{k}" for k in checks.KINDS] + [f"answer.{r}" for r in aggregate.REASONS]
    assert [k for k in keys if k not in texts] == []
    for k in keys:
        assert i18n.placeholders(texts[k]) == i18n.placeholders(english[k]), k
    for kind in checks.KINDS:
        assert i18n.term("check", kind, lang) != kind  # the kind's name in a table, not its id


@pytest.mark.parametrize(
    ("iv", "cell", "words"),
    [
        (Interval(5000, 5000, 5000), "5,000", "5,000"),
        (Interval(1600, 1600, 2500), "1,600 (1,600–2,500)", "1,600 to 2,500 (best 1,600)"),
        (Interval(15944, 16009, 16152, False, True), "16,009 (15,944–16,152+)", "16,009 (at least 15,944, no upper bound)"),
        (Interval(1200, 1200, 1200, False, True), "1,200+", "1,200 or more"),
        (Interval(60, 60, 60, True, False), "≤60", "at most 60"),
        (Interval.unknown(), "unknown", "unknown"),
    ],
)
def test_intervals_in_words(iv, cell, words):
    assert describe.interval(iv, "en", "cell") == cell
    assert describe.interval(iv, "en", "words") == words


def test_a_sum_with_unknown_movements_says_how_many(tmp_path):
    """Three movements: 100, 'at least 50' and one with no figure: 150 or more; 1 of 3 movements has no figure (the
    CLDR plural form of 1).  In Spanish: '150 o más; 1 de 3 movimientos no tiene cifra'."""
    claims = [claim("C1", "s1", "mv-a", "people", 100), claim("C2", "s1", "mv-b", "people", 50, qualifier="at least")]
    rec = flows.reconcile(claims_case(tmp_path / "c", claims, [movement(m) for m in ("mv-a", "mv-b", "mv-c")]))
    agg = rec.total("people").as_dict()
    assert describe.aggregate(agg, "en") == "150 or more; 1 of 3 movements has no figure"
    assert describe.aggregate(agg, "es") == "150 o más; 1 de 3 movimientos no tiene cifra"
    assert describe.aggregate(agg, "ar") == "١٥٠ أو أكثر؛ حركة واحدة من ٣ بلا رقم"


def test_check_records_name_places_movements_and_originators(tmp_path):
    """A disagreement on mv-a's people: 1,000 (SANA) against 2,000 (SOHR); written with the movement's label and the
    originators' names, numbers grouped in each language, never the ids."""
    claims = [claim("C1", "d1", "mv-a", "people", 1000, who="sana"), claim("C2", "d2", "mv-a", "people", 2000, who="sohr")]
    names = [originator("sana"), originator("sohr")]
    names[0].update(name_en="SANA", name_es="SANA"), names[1].update(name_en="SOHR", name_es="OSDH")
    mv = [{**movement("mv-a"), "label_en": "First convoy", "label_es": "Primer convoy"}]
    case = claims_case(tmp_path / "c", claims, mv, [place("x"), place("y")], originators=names)
    rec = flows.reconcile(case)
    en = present.contradictions_table(case, rec.contradictions, "en").frame.iloc[0].tolist()
    es = present.contradictions_table(case, rec.contradictions, "es").frame.iloc[0].tolist()
    assert "First convoy, people: no one figure fits every source: 1,000 (SANA); 2,000 (SOHR)." in en
    assert "Primer convoy, personas: ninguna cifra satisface a todas las fuentes: 1.000 (SANA); 2.000 (OSDH)." in es
    assert not any("mv-a" in str(v) or "sohr" in str(v) for v in en + es)


def test_each_rule_of_the_whole_case_answer_is_said(tmp_path):
    """Headline exactly 500 (s1) and movements 300 + unknown: the headline governs and covers the unknown movement,
    leaving it exactly 500 - 300 = 200."""
    claims = [claim("T1", "s1", "total", "people", 500), claim("C1", "s1", "mv-a", "people", 300)]
    rec = flows.reconcile(claims_case(tmp_path / "c", claims, [movement("mv-a"), movement("mv-b")]))
    a = rec.answers["people"]
    assert (a.governs, a.reason, a.estimated.low, a.estimated.high) == ("headline", "headline_covers_unknown", 200, 200)
    text = describe.answer(a.as_dict(), "en")
    assert text.startswith("500: the sources' figure for the whole case (single source; claims T1).")
    assert "The movements document 300 (1 of 2 movements); the whole-case figure leaves 200 for the movements with no figure (1)." in text
