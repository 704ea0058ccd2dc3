"""Curated facts checked against the source documents, independently of the loader.

These tests read the CSVs with the csv module and the shared source documents as
text: the expected figures are taken from the sources themselves.
"""

from __future__ import annotations

import re

import pytest
from conftest import CASE_DIR, read_rows

TABLES = ("sources", "actors", "places", "events", "relations", "movements", "claims")
SPANISH_WORDS = {"una docena": 12, "ocho": 8}


@pytest.fixture(scope="module")
def t() -> dict[str, list[dict[str, str]]]:
    return {name: read_rows(CASE_DIR / f"{name}.csv") for name in TABLES}


@pytest.fixture(scope="module")
def article(shared_sources) -> str:
    return (shared_sources / "eastern-qalamoun-2018.es.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def news(shared_sources) -> dict[str, dict[str, str]]:
    return {r["claim_id"]: r for r in read_rows(shared_sources / "news-claims.csv")}


def _es_number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def test_first_convoy_against_the_article(t, article):
    m = re.search(
        r"primer grupo de ([\d.]+) personas, incluidos (\d+) rebeldes, fue transportado en (\d+) autobuses "
        r"desde (\w+) a (\w+)",
        article,
    )
    assert m, "the article's sentence on the first convoy was not found"
    people, fighters, buses = (int(g.replace(".", "")) for g in m.groups()[:3])
    assert (people, fighters, buses) == (2500, 600, 44)
    claims = {(c["subject"], c["quantity"]): c for c in t["claims"] if c["source_id"] == "eswiki-r12"}
    assert int(claims[("mv-dumayr", "people")]["value_low"]) == people
    assert int(claims[("mv-dumayr", "fighters")]["value_low"]) == fighters
    assert int(claims[("mv-dumayr", "buses")]["value_low"]) == buses
    mv = {m["movement_id"]: m for m in t["movements"]}["mv-dumayr"]
    places = {p["place_id"]: p for p in t["places"]}
    assert places[mv["origin_place_id"]]["name_es"] == m.group(4)
    assert places[mv["destination_place_id"]]["name_es"] == m.group(5)
    assert "19 de abril" in article.split("primer grupo")[0].rsplit("[11]", 1)[1]
    assert mv["depart_date"] == "2018-04-19"


def test_every_article_figure_is_in_the_cited_passage(t, article):
    """Each A-claim's figure occurs in the article text that carries its reference label."""
    sources = {s["source_id"]: s for s in t["sources"]}
    checked = 0
    for c in t["claims"]:
        if not c["claim_id"].startswith("A"):
            continue
        label = sources[c["source_id"]]["ref_label"]
        assert label and label in article, c
        # the passages: text from the previous reference label up to each occurrence of this one
        passage = " | ".join(re.split(r"\[\d+\]", chunk)[-1] for chunk in article.split(label)[:-1])
        value = int(c["value_low"])
        words = [w for w, n in SPANISH_WORDS.items() if n == value]
        assert _es_number(value) in passage or str(value) in passage or any(w in passage for w in words), (c["claim_id"], passage)
        checked += 1
    assert checked >= 15


def test_article_references_are_sources(t, article):
    labels = set(re.findall(r"\[\d+\]", article))
    rows = {s["ref_label"] for s in t["sources"] if s["cited_in"] == "eswiki"}
    assert rows == labels


def test_every_news_claim_is_kept(t, news):
    ours = {re.match(r"C\d+", c["claim_id"]).group() for c in t["claims"] if c["claim_id"].startswith("C")}
    assert ours == set(news)
    assert len(news) == 62


def test_news_figures_match_the_claims_file(t, news):
    """Each numeric C-claim's figure, and each date claim's date, occurs in its news-claims.csv row."""
    checked = 0
    for c in t["claims"]:
        if not c["claim_id"].startswith("C"):
            continue
        row = news[re.match(r"C\d+", c["claim_id"]).group()]
        haystack = " ".join(row[k] for k in ("value", "event_date", "paraphrase")).replace(",", "")
        if c["value_low"]:
            assert c["value_low"] in haystack, (c["claim_id"], haystack)
            checked += 1
        if c["quantity"] in ("date", "depart_date", "arrive_date") and c["value_text"]:
            assert c["value_text"] in haystack, (c["claim_id"], haystack)
            checked += 1
    assert checked >= 50


def test_claim_sources_match_the_news_urls(t, news):
    sources = {s["source_id"]: s for s in t["sources"]}
    for c in t["claims"]:
        if c["claim_id"].startswith("C"):
            row = news[re.match(r"C\d+", c["claim_id"]).group()]
            url = sources[c["source_id"]]["url"]
            assert url and url in row["url"], (c["claim_id"], url, row["url"])


def test_conflicting_figures_are_side_by_side(t):
    """The record disagrees: several values for the same subject and quantity are all kept."""

    def values(subject, quantity):
        return sorted(
            {int(c["value_low"]) for c in t["claims"] if c["subject"] == subject and c["quantity"] == quantity and c["value_low"]}
        )

    assert values("mv-dumayr", "buses") == [5, 31, 44]
    assert values("mv-convoy-4", "buses") == [38, 47, 60]
    assert values("from:dumayr", "civilians") == [3000, 3500]


def test_jaysh_tahrir_al_sham_is_not_hts(t, article):
    actors = {a["actor_id"]: a for a in t["actors"]}
    jts, hts = actors["jaysh-tahrir-al-sham"], actors["hts"]
    assert "Ejército de Liberación del Levante" in article
    assert "Ejército de Liberación del Levante" in jts["name_es"]
    assert "Liberation of the Levant" not in hts["aliases"] and "Levante" not in hts["name_es"]
    # the second convoy carried Tahrir al-Sham (HTS) and Ahrar al-Sham, not the Army of Liberation of the Levant
    assert "Tahrir al-Sham y Ahrar al-Sham" in article
    convoy2 = {m["movement_id"]: m for m in t["movements"]}["mv-convoy-2"]
    assert set(convoy2["actor_ids"].split(";")) == {"hts", "ahrar-al-sham"}


def test_coordinates_are_those_of_the_source_notes(t, shared_sources):
    notes = (shared_sources / "README.md").read_text(encoding="utf-8")
    part = notes.split("Approximate coordinates")[1].split(":", 1)[1].split(". ")[0]
    listed = {}
    for item in part.split(";"):
        m = re.match(r"\s*(.+?) (\d+\.\d+), (\d+\.\d+)", item)
        listed[m.group(1)] = (float(m.group(2)), float(m.group(3)))
    assert len(listed) >= 8
    by_name = {p["name_en"]: p for p in t["places"]}
    by_name["Afrin district reference point"] = by_name["Afrin district"]
    for name, (lat, lon) in listed.items():
        place = by_name[name]
        assert (float(place["lat"]), float(place["lon"])) == (lat, lon), name
    # places known only approximately are marked coarse, never exact
    coarse = {p["place_id"]: int(p["geo_precision"]) for p in t["places"]}
    assert coarse["al-ruhaybah"] >= 2 and coarse["al-naseriyah"] == 3


def test_every_row_cites_a_source(t):
    ids = {s["source_id"] for s in t["sources"]}
    for name in ("actors", "places", "events", "relations", "movements"):
        for r in t[name]:
            cited = [s for s in r["source_ids"].split(";") if s]
            assert cited and set(cited) <= ids, (name, r)
    for c in t["claims"]:
        assert c["source_id"] in ids


def test_article_milestones_are_dated_as_in_the_article(t, article):
    events = {e["event_id"]: e for e in t["events"]}
    milestones = {
        "ev-unified-command": ("3 de abril de 2018", "2018-04-03"),
        "ev-preliminary-agreement": ("8 de abril", "2018-04-08"),
        "ev-killing-juma": ("18 de abril", "2018-04-18"),
        "ev-enclave-agreement": ("19 de abril", "2018-04-19"),
        "ev-convoy-3-arrival": ("24 de abril", "2018-04-24"),
        "ev-tanks-may": ("17 de mayo", "2018-05-17"),
    }
    for event_id, (spanish, iso) in milestones.items():
        assert spanish in article
        assert events[event_id]["date_start"] == iso, event_id
