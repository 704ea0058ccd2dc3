"""Curated facts checked against the source documents, independently of the loader.

These tests read the CSVs with the csv module and the shared source documents as
text: every expected figure and date is read from the sources themselves (the
article, news-claims.csv, the source notes), never from claims.csv.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from conftest import CASE_DIR, read_rows

TABLES = ("sources", "actors", "places", "events", "relations", "movements", "claims", "agreements", "provisions")
SPANISH_WORDS = {"una docena": 12, "ocho": 8}
SPANISH_MONTHS = {"abril": 4, "mayo": 5}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


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


def _passage(article: str, label: str) -> str:
    """The article text carrying ``label``: from the previous reference label up to each occurrence of this one."""
    return " | ".join(re.split(r"\[\d+\]", chunk)[-1] for chunk in article.split(label)[:-1])


def _spanish_date(iso: str) -> str:
    """'2018-04-17' -> '17 de abril' (how the article writes a day)."""
    d = dt.date.fromisoformat(iso)
    month = next(name for name, n in SPANISH_MONTHS.items() if n == d.month)
    return f"{d.day} de {month}"


def _first_int(text: str) -> int:
    return int(re.search(r"\d+", text).group())


def _published(row: dict[str, str]) -> dt.date:
    """The publication date of a news-claims.csv row ('~2018-04-21 (inferred)' reads as 21 April)."""
    return dt.date.fromisoformat(re.search(r"\d{4}-\d{2}-\d{2}", row["publication_date"]).group())


def _resolve_weekday(published: dt.date, weekday: str, forward: bool) -> dt.date:
    """The named weekday nearest the publication date: on or before it (a report), on or after it (a plan)."""
    target = WEEKDAYS.index(weekday)
    step = 1 if forward else -1
    d = published
    while d.weekday() != target:
        d += dt.timedelta(days=step)
    return d


def _claims(t, **match) -> list[dict[str, str]]:
    return [c for c in t["claims"] if all(c[k] == v for k, v in match.items())]


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
    assert claims[("mv-dumayr", "destination")]["value_text"] == m.group(5)
    mv = {m["movement_id"]: m for m in t["movements"]}["mv-dumayr"]
    places = {p["place_id"]: p for p in t["places"]}
    assert places[mv["origin_place_id"]]["name_es"] == m.group(4)
    assert places[mv["destination_place_id"]]["name_es"] == m.group(5)
    assert "19 de abril" in article.split("primer grupo")[0].rsplit("[11]", 1)[1]
    assert mv["depart_date"] == "2018-04-19"


def test_every_article_claim_is_in_the_cited_passage(t, article):
    """Each A-claim's figure, date or words occur in the article text that carries its reference label."""
    sources = {s["source_id"]: s for s in t["sources"]}
    checked = {"figure": 0, "date": 0, "text": 0}
    for c in [c for c in t["claims"] if c["claim_id"].startswith("A")]:
        label = sources[c["source_id"]]["ref_label"]
        assert label and label in article, c
        passage = _passage(article, label)
        if c["value_low"]:
            value = int(c["value_low"])
            words = [w for w, n in SPANISH_WORDS.items() if n == value]
            assert _es_number(value) in passage or str(value) in passage or any(w in passage for w in words), (c["claim_id"], passage)
            checked["figure"] += 1
        elif c["quantity"] in ("date", "depart_date", "arrive_date"):
            assert _spanish_date(c["value_text"]) in passage, (c["claim_id"], c["value_text"], passage)
            checked["date"] += 1
        else:
            assert c["value_text"] and c["value_text"] in passage, (c["claim_id"], passage)
            checked["text"] += 1
    # 15 figures; 14 dates (deals of 17 and 19 April, 22 April departure, 24 and 25 April arrivals, 17 May sweep, ...); 5 destinations
    assert checked["figure"] >= 15 and checked["date"] >= 14 and checked["text"] >= 5, checked


def test_article_dates_and_destinations_are_claims(t, article):
    """The article's own dates and destinations are there to be compared with the other sources'."""
    wanted = {
        ("ev-enclave-agreement", "date"): "19 de abril",
        ("mv-convoy-2", "depart_date"): "22 de abril",
        ("mv-convoy-3", "arrive_date"): "24 de abril",
        ("mv-convoy-4", "arrive_date"): "25 de abril",
        ("ev-tanks-may", "date"): "17 de mayo",
    }
    for (subject, quantity), spanish in wanted.items():
        assert spanish in article
        (c,) = _claims(t, originator_id="eswiki", subject=subject, quantity=quantity)
        assert _spanish_date(c["value_text"]) == spanish
    destinations = {c["subject"]: c["value_text"] for c in _claims(t, originator_id="eswiki", quantity="destination")}
    for words in ("Jarabulus", "distrito de Afrin", "zona de al-Bab", "norte de Alepo"):
        assert words in article and words in destinations.values(), words


def test_article_references_are_sources(t, article):
    labels = set(re.findall(r"\[\d+\]", article))
    rows = {s["ref_label"] for s in t["sources"] if s["cited_in"] == "eswiki"}
    assert rows == labels


def test_every_news_claim_is_kept(t, news):
    ours = {re.match(r"C\d+", c["claim_id"]).group() for c in t["claims"] if c["claim_id"].startswith("C")}
    assert ours == set(news)
    assert len(news) == 62


def test_news_figures_match_the_claims_file(t, news):
    """Each numeric C-claim's figure occurs in its news-claims.csv row; each date claim's date is there or is its weekday."""
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
            named = [w for w in WEEKDAYS if w in row["paraphrase"] or w[:3] in row["value"]]
            resolved = {_resolve_weekday(_published(row), w, c["basis"] == "expected").isoformat() for w in named}
            assert c["value_text"] in haystack or c["value_text"] in resolved, (c["claim_id"], haystack, resolved)
            checked += 1
    assert checked >= 60


def test_weekdays_resolved_from_the_publication_date(t, news):
    """Weekday dates in the reports, resolved to calendar days with the publication date (and the claim's note says so)."""
    cases = {
        # claim: (news row, weekday in its paraphrase, the report looks forward to it)
        "C019b": ("C019", "Friday", False),  # "left on Friday", published about Sat 21 April -> Fri 20
        "C054b": ("C054", "Saturday", False),  # "departures began Saturday", published Wed 25 April -> Sat 21
        "C030b": ("C030", "Tuesday", False),  # "deal was reached Tuesday", published Fri 20 April -> Tue 17
        "C106b": ("C106", "Friday", False),  # "announced the deal late Friday 20 April"
        "C039c": ("C039", "Monday", False),  # "Monday's round ... the third and final", published Mon 23 April
        "C025b": ("C025", "Tuesday", True),  # "a Jairoud batch was slated for Tuesday", published Mon 23 April -> Tue 24
        "C058b": ("C058", "Friday", False),  # "under the Friday deal", published Wed 25 April -> Fri 20
        "C053c": ("C053", "Friday", False),  # "reaching Azaz on Friday", published Fri 20 April
    }
    claims = {c["claim_id"]: c for c in t["claims"]}
    for cid, (row_id, weekday, forward) in cases.items():
        row = news[row_id]
        assert weekday in row["paraphrase"], (row_id, row["paraphrase"])
        expected = _resolve_weekday(_published(row), weekday, forward)
        assert claims[cid]["value_text"] == expected.isoformat(), cid
        assert weekday in claims[cid]["note"] or weekday.lower() in claims[cid]["note"].lower(), cid
    # "deal late Friday 20 April": the paraphrase names the day itself
    assert "Friday 20 April" in news["C106"]["paraphrase"] and claims["C106b"]["value_text"] == "2018-04-20"
    # "the Monday round, third and final": three rounds from the three towns, expected
    (third,) = _claims(t, claim_id="C039b")
    assert "third and final" in news["C039"]["paraphrase"] and (third["value_low"], third["basis"]) == ("3", "expected")


def test_distances_are_about_the_place(t, news):
    """40, about 50 and about 60 km from Damascus: figures about places, never about who left."""
    for row_id, km in (("C038", 40), ("C040", 50), ("C054", 60)):
        assert re.search(rf"~?{km} km", news[row_id]["paraphrase"]), row_id
        (c,) = [c for c in _claims(t, quantity="distance_km") if c["claim_id"].startswith(row_id)]
        assert int(c["value_low"]) == km and c["subject"].startswith("place:"), c
    (residents,) = _claims(t, quantity="residents")
    assert "100,000 people live in Dumair" in news["C031"]["paraphrase"] and residents["subject"] == "place:dumayr"


def test_the_headline_buses_of_state_media_leave_dumayr_out(t, news, article):
    """C034's '124 buses over the previous four days' (published 26 April) cannot include Dumayr's 19 April convoy."""
    row = news["C034"]
    assert "previous four days" in row["paraphrase"]
    first_day = _published(row) - dt.timedelta(days=4)
    dumayr_day = dt.date(2018, 4, 19)
    assert "El 19 de abril" in article.split("primer grupo")[0]
    assert first_day > dumayr_day
    (c,) = _claims(t, claim_id="C034")
    assert c["subject"] == "from:three-towns" and "Dumayr" in c["note"] and "nference" in c["note"]
    places = {p["place_id"]: p for p in t["places"]}
    inside = {p for p, r in places.items() if r["within"] == "three-towns"}
    assert inside == {"al-ruhaybah", "jayrud", "al-naseriyah"} and places["three-towns"]["within"] == "eastern-qalamoun"


def test_conflicting_figures_are_side_by_side(t, news, article):
    """The record disagrees: several values for the same subject and quantity are all kept (expected values from the sources)."""

    def values(subject, quantity):
        return sorted(
            {int(c["value_low"]) for c in t["claims"] if c["subject"] == subject and c["quantity"] == quantity and c["value_low"]}
        )

    first = re.search(r"fue transportado en (\d+) autobuses", article)
    last = re.search(r"cuarto y último grupo de (\d+) autobuses", article)
    civilians = re.search(r"1\.500 combatientes rebeldes y ([\d.]+) civiles", article)
    # the Dumayr convoy: the article's 44, SANA's 5 readied (C016), AFP's 31 at Azaz (C053)
    readied, at_azaz = _first_int(news["C016"]["value"]), _first_int(news["C053"]["value"])
    assert values("mv-dumayr", "buses") == sorted({int(first.group(1)), readied, at_azaz})
    # the last convoy: the article's 60, SANA's 47 prepared (C027), Hezbollah media's last 38 (C059), SOHR's about 60 (C047, C049)
    expected = {int(last.group(1)), *(_first_int(news[k]["value"]) for k in ("C027", "C059", "C047", "C049"))}
    assert values("mv-convoy-4", "buses") == sorted(expected)
    # Dumayr's civilians: the article's 3.000 (SANA on 17 April) and SANA's 3,500 relatives (C017, C018, C037)
    relatives = {int(news[k]["value"].replace("(", "").split("/")[-1].strip(" )")) for k in ("C017", "C018", "C037")}
    assert values("from:dumayr", "civilians") == sorted({int(civilians.group(1).replace(".", "")), *relatives})


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


def _listed_coordinates(shared_sources) -> dict[str, tuple[float, float]]:
    notes = (shared_sources / "README.md").read_text(encoding="utf-8")
    part = notes.split("Approximate coordinates")[1].split(":", 1)[1].split(". ")[0]
    listed = {}
    for item in part.split(";"):
        m = re.match(r"\s*(.+?) (\d+\.\d+), (\d+\.\d+)", item)
        listed[m.group(1)] = (float(m.group(2)), float(m.group(3)))
    assert len(listed) >= 8
    return listed


def test_coordinates_are_those_of_the_source_notes(t, shared_sources):
    listed = _listed_coordinates(shared_sources)
    by_name = {p["name_en"]: p for p in t["places"]}
    by_name["Afrin district reference point"] = by_name["Afrin district"]
    held = {name: point for name, point in listed.items() if name in by_name}
    assert {"Dumayr", "Jayrud", "Jarabulus", "al-Bab", "Azaz", "Afrin district reference point"} <= set(held)
    for name, (lat, lon) in held.items():
        place = by_name[name]
        assert (float(place["lat"]), float(place["lon"])) == (lat, lon), name
    # places known only approximately are marked coarse, never exact; al-Naseriyah's direction from Jayrud is unknown: no point
    places = {p["place_id"]: p for p in t["places"]}
    assert int(places["al-ruhaybah"]["geo_precision"]) >= 2
    assert places["al-naseriyah"]["lat"] == "" and places["al-naseriyah"]["geo_precision"] == "3"
    # every point is a listed one, or derived from one (al-Ruhaybah: 11 km north of Dumayr) and marked approximate
    points = set(listed.values())
    for p in t["places"]:
        if p["lat"] and (float(p["lat"]), float(p["lon"])) not in points:
            assert int(p["geo_precision"]) >= 2 and p["note"], p["place_id"]


def test_every_destination_has_a_point_with_its_precision(t, shared_sources):
    """The map can draw every movement: each destination has a point; an area's point is precision 3 and its note says what it is."""
    listed = {v: k for k, v in _listed_coordinates(shared_sources).items()}
    places = {p["place_id"]: p for p in t["places"]}
    for mv in t["movements"]:
        for key in ("origin_place_id", "destination_place_id"):
            p = places[mv[key]]
            assert p["lat"] and p["lon"], (mv["movement_id"], key)
            if p["kind"] in ("region", "district"):
                assert p["geo_precision"] == "3" and p["note"], p["place_id"]
    region = places["northern-aleppo"]
    town = listed[(float(region["lat"]), float(region["lon"]))]  # a listed town's point ...
    assert town in region["note"]  # ... and the note says which


def test_every_place_is_used(t):
    used = set()
    for table, cols in (("events", ["place_id"]), ("movements", ["origin_place_id", "destination_place_id", "via_place_id"])):
        used |= {r[c] for r in t[table] for c in cols if r[c]}
    used |= {r["place_id"] for r in t["agreements"]}
    used |= {p for r in t["provisions"] for p in r["destination_place_ids"].split(";") if p}
    used |= {c["subject"].split(":", 1)[1] for c in t["claims"] if ":" in c["subject"]}
    used |= {p["within"] for p in t["places"] if p["within"]}
    # a region defined by its members (the three towns) uses them
    used |= {p["place_id"] for p in t["places"] if p["within"] in used and p["within"] != "eastern-qalamoun"}
    assert {p["place_id"] for p in t["places"]} == used


def test_every_row_cites_a_source(t):
    ids = {s["source_id"] for s in t["sources"]}
    for name in ("actors", "places", "events", "relations", "movements", "agreements", "provisions"):
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
        assert events[event_id]["date_start"] <= iso <= events[event_id]["date_end"], event_id


def test_the_refusal_is_dated_no_closer_than_the_sources(t, article, news):
    """The article gives the refusal no day; The New Arab reports it on the evening of 2 April."""
    sentence = re.search(r"El comité rebelde se negó[^.]*\.", article).group()
    assert "de abril" not in sentence
    assert "2018-04-02" in news["C105"]["event_date"] and "refused" in news["C105"]["paraphrase"]
    ev = {e["event_id"]: e for e in t["events"]}["ev-refusal"]
    assert ev["date_precision"] != "day" and ev["date_start"] <= "2018-04-02" <= ev["date_end"]
    assert [c["value_text"] for c in _claims(t, subject="ev-refusal", quantity="date")] == ["2018-04-02"]


def test_dumayr_arrival_is_at_azaz_not_jarabulus(t, news):
    """AFP saw the Dumayr buses reach Azaz on Friday 20 April; no source has them reach Jarabulus on a given day."""
    row = news["C053"]
    assert row["place_to"].startswith("Azaz") and "Friday" in row["paraphrase"]
    mv = {m["movement_id"]: m for m in t["movements"]}["mv-dumayr"]
    places = {p["place_id"]: p for p in t["places"]}
    assert places[mv["destination_place_id"]]["name_en"] == "Jarabulus" and mv["arrive_date"] == ""
    ev = {e["event_id"]: e for e in t["events"]}["ev-convoy-dumayr-arrival"]
    friday = _resolve_weekday(_published(row), "Friday", False).isoformat()
    assert (ev["place_id"], ev["date_start"]) == ("azaz", friday)


def test_the_second_convoy_arrives_in_afrin(t, article):
    assert "llegaron al distrito de Afrin" in article
    ev = {e["event_id"]: e for e in t["events"]}["ev-convoy-2-arrival"]
    assert ev["place_id"] == "afrin" and ev["event_type"] == "convoy_arrival" and ev["date_precision"] != "day"


def test_citations_say_what_the_rows_say(t, article, news):
    """ev-tanks-may's 'eight more tanks' and ev-sana-announcement's '3,000 civilians' cite only documents that give them."""
    events = {e["event_id"]: e for e in t["events"]}
    assert "ocho tanques" in _passage(article, "[17]")
    assert "number" in news["C029"]["value"] and "8" not in news["C029"]["value"]  # the 16 May report gives no number
    assert events["ev-tanks-may"]["source_ids"].split(";") == ["eswiki-r17"]
    assert "3.000 civiles" in _passage(article, "[6]")
    sana_18 = " ".join(news[k]["value"] + news[k]["paraphrase"] for k in ("C013", "C014", "C015"))
    assert "3000" not in sana_18.replace(",", "")  # the 18 April SANA report does not give 3,000 civilians
    assert "sana-en-134688" not in events["ev-sana-announcement"]["source_ids"].split(";")


def test_convoy_4_groups_do_not_rest_on_a_forecast(t, news):
    assert "would carry" in news["C045"]["paraphrase"]  # SOHR's forecast
    (c,) = _claims(t, claim_id="C045")
    assert c["basis"] == "expected" and "nference" in c["note"]
    mv = {m["movement_id"]: m for m in t["movements"]}["mv-convoy-4"]
    assert mv["actor_ids"] == ""


def test_turkey_and_the_fight_against_isil_are_in_the_record(t, article):
    assert "controladas por Turquía" in article
    assert {a["actor_id"] for a in t["actors"]} >= {"turkey"}
    to_turkey = [r for r in t["relations"] if r["target_actor"] == "turkey"]
    assert to_turkey and all("eswiki-r6" in r["source_ids"] for r in to_turkey)
    assert "ofensiva rebelde anterior contra el EIIL" in article
    fights = [r for r in t["relations"] if (r["source_actor"], r["target_actor"]) == ("eq-rebels", "islamic-state")]
    assert {r["relation"] for r in fights} >= {"fought", "attacked"}
    assert all(r["date_end"] < "2018" for r in fights)


def test_agreements_are_the_articles(t, article):
    """The 2016 ceasefire, the 8 April preliminary agreement, the 17 April surrender and the 19 April agreement with its pardon."""
    assert "alto el fuego" in article and "durante todo 2016" in article
    assert "El 8 de abril" in article and "acuerdo preliminar" in article
    assert "El 17 de abril de 2018" in article and "acuerdo de rendición" in article
    assert "El 19 de abril" in article and "indultar" in article
    ag = {(a["date"], a["stage"]) for a in t["agreements"]}
    assert ag == {("2016", "ceasefire"), ("2018-04-08", "preliminary"), ("2018-04-17", "surrender"), ("2018-04-19", "surrender")}
    by_date = {a["date"]: a for a in t["agreements"]}
    pardon = [p for p in t["provisions"] if p["term"] == "pardon"]
    assert [p["agreement_id"] for p in pardon] == [by_date["2018-04-19"]["agreement_id"]]
    assert "russia" in by_date["2018-04-19"]["party_ids"].split(";")  # "Los oficiales rusos se comprometieron a indultar"
    # "se reunió nuevamente con oficiales del ejército ruso y sirio, y llegó a un acuerdo preliminar"
    assert set(by_date["2018-04-08"]["party_ids"].split(";")) == {"unified-command", "russia", "syrian-army"}
