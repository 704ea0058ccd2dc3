"""analysis.agreements on a hand-made case worked out by hand, on the real case, and the validation of the two tables."""

from __future__ import annotations

import pandas as pd
import pytest
from casekit import actor, event, place, source, write_case
from conftest import row_of

from analysis import agreements
from analysis.cases import validate_case


@pytest.fixture(scope="module")
def pact(tmp_path_factory):
    """Three agreements at place X.

    ag1, 5 Jan 2020: parties a, b, c; third party m; terms p1 (evacuation to Y and X), p2 (pardon).
    ag2, January 2020 (month): parties b, a (listed out of order); no terms reported.
    ag3, 9 Jan 2020: party a alone; no terms reported.
    """
    ag = [
        {
            "agreement_id": "ag1",
            "name_en": "First (en)",
            "name_es": "Primero (es)",
            "date": "2020-01-05",
            "date_precision": "day",
            "stage": "surrender",
            "place_id": "x",
            "party_ids": "a;b;c",
            "third_party_ids": "m",
            "event_id": "ev1",
            "source_ids": "s1",
        },
        {
            "agreement_id": "ag2",
            "name_en": "Second (en)",
            "name_es": "Segundo (es)",
            "date": "2020-01",
            "date_precision": "month",
            "stage": "preliminary",
            "place_id": "x",
            "party_ids": "b;a",
            "event_id": "ev2",
            "source_ids": "s2",
        },
        {
            "agreement_id": "ag3",
            "name_en": "Third (en)",
            "name_es": "Tercero (es)",
            "date": "2020-01-09",
            "date_precision": "day",
            "stage": "implementation",
            "place_id": "x",
            "party_ids": "a",
            "event_id": "ev1",
            "source_ids": "s1",
        },
    ]
    provisions = [
        {
            "provision_id": "p2",
            "agreement_id": "ag1",
            "term": "pardon",
            "pax_code": "TjAmPro",
            "summary_en": "Pardon (en)",
            "summary_es": "Indulto (es)",
            "source_ids": "s1",
        },
        {
            "provision_id": "p1",
            "agreement_id": "ag1",
            "term": "evacuation",
            "summary_en": "Leave (en)",
            "summary_es": "Salir (es)",
            "destination_place_ids": "y;x",
            "source_ids": "s2",
        },
    ]
    return write_case(
        tmp_path_factory.mktemp("cases") / "pact",
        {
            "sources": [source("s1"), source("s2")],
            "places": [place("x"), place("y")],
            "actors": [
                actor(a, side, f"{a.upper()} (en)", f"{a.upper()} (es)")
                for a, side in (("a", "rebel"), ("b", "rebel"), ("c", "government"), ("m", "other"))
            ],
            "events": [event("ev1", "2020-01-05"), event("ev2", "2020-01-20")],
            "agreements": ag,
            "provisions": provisions,
        },
    )


def test_signed_with_by_hand(pact):
    """ag1: parties a, b, c -> the 3 pairs a-b, a-c, b-c on 5 Jan; m is a third party: no tie.
    ag2: parties b, a -> 1 pair, a-b (sorted), dated its month: 1 to 31 January.
    ag3: a alone -> no pair.  3 + 1 + 0 = 4 rows, by first day: ag2 (1 Jan) before ag1 (5 Jan)."""
    ties = agreements.signed_with(pact)
    assert list(ties["relation_id"]) == ["ag2:a:b", "ag1:a:b", "ag1:a:c", "ag1:b:c"]
    assert list(zip(ties["source_actor"], ties["target_actor"], strict=True)) == [("a", "b"), ("a", "b"), ("a", "c"), ("b", "c")]
    assert set(ties["relation"].astype(str)) == {"agreed_with"}
    assert list(ties["sign"]) == [1, 1, 1, 1] and not ties["directed"].any()
    assert ties.loc[0, "date_start"] == pd.Timestamp("2020-01-01") and ties.loc[0, "date_end"] == pd.Timestamp("2020-01-31")
    assert ties.loc[1, "date_start"] == ties.loc[1, "date_end"] == pd.Timestamp("2020-01-05")
    assert list(ties["event_id"]) == ["ev2", "ev1", "ev1", "ev1"] and list(ties["source_ids"]) == ["s2", "s1", "s1", "s1"]
    # shaped like relations rows, so the two can be put together
    assert list(ties.columns) == list(pact.relations.columns)
    both = pd.concat([pact.relations, ties], ignore_index=True)
    assert len(both) == len(pact.relations) + 4


def test_terms_table_by_hand(pact):
    """ag2 (1 Jan, no terms) first, then ag1's two terms in provision order (p1, p2), then ag3 (9 Jan, no terms): 4 rows.
    The model's table holds ids and stored values only; present writes them in the reader's language."""
    rows = agreements.terms_table(pact)
    assert list(rows["agreement_id"]) == ["ag2", "ag1", "ag1", "ag3"]
    assert list(rows["provision_id"]) == ["", "p1", "p2", ""]
    first = rows.iloc[1]
    assert first["party_ids"] == "a;b;c" and first["third_party_ids"] == "m"
    assert first["destination_place_ids"] == "y;x"  # in the order the term gives them
    assert first["stage"] == "surrender" and first["term"] == "evacuation"
    assert rows.iloc[0]["term"] == "" and rows.iloc[0]["date"] == "2020-01"
    from analysis import present

    es = present.agreements_table(pact, "es").frame
    headers = ["Acuerdo", "Fecha", "Etapa", "Partes", "Mediadores y garantes", "Término", "Lo que dicen las fuentes", "Fuentes"]
    assert list(es.columns) == headers
    assert list(es["Acuerdo"]) == ["Segundo (es)", "Primero (es)", "Primero (es)", "Tercero (es)"]
    first = es.iloc[1]
    assert first["Partes"] == "A (es), B (es) y C (es)" and first["Mediadores y garantes"] == "M (es)"  # CLDR list pattern
    assert first["Etapa"] == "acuerdo de rendición" and first["Término"] == "evacuación y destino"
    assert first["Lo que dicen las fuentes"] == "Salir (es)" and first["Fecha"] == "5 ene 2020"
    assert es.iloc[0]["Lo que dicen las fuentes"] == "(las fuentes no dan sus términos)" and es.iloc[0]["Fecha"] == "ene 2020"
    en = present.agreements_table(pact, "en").frame
    assert en.iloc[2]["Term"] == "pardon (settlement of status)" and en.iloc[2]["What the sources say"] == "Pardon (en)"
    # the hand-made case has no Arabic columns: Arabic gives the English names, and the stage and term in Arabic
    ar = present.agreements_table(pact, "ar").frame
    assert ar.iloc[1]["الاتفاق"] == "First (en)" and ar.iloc[1]["المرحلة"] == "اتفاق استسلام"


def test_agreements_whose_terms_no_source_reports(tmp_path):
    """Two agreements and an empty provisions table (its header only, as `qalamoun new-case` writes it): one row
    each, by date (4 Jan before 9 Jan), with an empty provision and term, in every language."""
    ag = [
        {"agreement_id": "late", "name_en": "Late", "date": "2020-01-09", "date_precision": "day", "stage": "surrender",
         "place_id": "x", "party_ids": "a", "event_id": "ev1", "source_ids": "s1"},
        {"agreement_id": "early", "name_en": "Early", "date": "2020-01-04", "date_precision": "day", "stage": "preliminary",
         "place_id": "x", "party_ids": "a", "event_id": "ev1", "source_ids": "s1"},
    ]  # fmt: skip
    case = write_case(
        tmp_path / "no-terms",
        {
            "sources": [source("s1")],
            "places": [place("x")],
            "actors": [actor("a", "rebel", "A", "A")],
            "events": [event("ev1", "2020-01-04")],
            "agreements": ag,
            "provisions": [],
        },
    )
    rows = agreements.terms_table(case)
    assert list(rows["agreement_id"]) == ["early", "late"] and list(rows["provision_id"]) == ["", ""]
    assert list(rows["term"]) == ["", ""]
    from analysis import present

    for lang in ("en", "es", "ar"):
        assert len(present.agreements_table(case, lang).frame) == 2


def test_a_case_without_agreements(tmp_path):
    bare = write_case(tmp_path / "bare", {"sources": [source("s1")], "places": [place("x")]})
    assert agreements.terms_table(bare).empty and agreements.signed_with(bare).empty


def test_real_case_preliminary_agreement(case, shared_sources):
    """The article: on 8 April the unified command met Russian and Syrian army officers and reached a preliminary agreement.
    Three parties give 3 ties, all dated 8 April."""
    article = (shared_sources / "eastern-qalamoun-2018.es.txt").read_text(encoding="utf-8")
    assert "El 8 de abril, el comando unificado rebelde se reunió nuevamente con oficiales del ejército ruso y sirio" in article
    ties = agreements.signed_with(case)
    april_8 = ties[ties["date_start"] == pd.Timestamp("2018-04-08")]
    pairs = {frozenset((u, v)) for u, v in zip(april_8["source_actor"], april_8["target_actor"], strict=True)}
    assert pairs == {frozenset(p) for p in (("unified-command", "russia"), ("unified-command", "syrian-army"), ("russia", "syrian-army"))}
    terms = agreements.terms_table(case)
    pardon = terms[terms["term"] == "pardon"]
    assert list(pardon["date"]) == ["2018-04-19"]  # "El 19 de abril ... Los oficiales rusos se comprometieron a indultar"


def test_agreement_tables_are_validated(broken_case):
    """An unknown party, an unknown claim and an unknown stage are each reported with file, row, column and value."""

    def bad_agreements(rows):
        rows[row_of(rows, "agreement_id", "ag-2018-04-08-preliminary")]["party_ids"] = "unified-command;atlantis"
        rows[row_of(rows, "agreement_id", "ag-2016-ceasefire")]["stage"] = "truce"

    def bad_provisions(rows):
        rows[row_of(rows, "provision_id", "pv03")]["claim_ids"] = "A05;Z99"

    broken_case("agreements", bad_agreements)
    folder = broken_case("provisions", bad_provisions)
    shown = [str(p) for p in validate_case(folder)]
    assert any(s.startswith("agreements.csv, row 3, column party_ids:") and "atlantis" in s for s in shown), shown
    assert any(s.startswith("agreements.csv, row 2, column stage:") and "'truce'" in s for s in shown), shown
    assert any(s.startswith("provisions.csv, row 4, column claim_ids:") and "Z99" in s for s in shown), shown
