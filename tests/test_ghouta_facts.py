"""The Eastern Ghouta case checked against its source pack, independently of the loader.

The tables are read with the csv module; the pack's ``news-claims.csv`` and ``README.md``
are read as text, and every expected figure, date and coordinate is taken from them
(never from ``claims.csv``). Without the shared sources the tests skip.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import CASE_DIR, ROOT, read_rows

GHOUTA_DIR = ROOT / "data" / "eastern-ghouta-2018"
TABLES = ("sources", "actors", "places", "events", "relations", "movements", "originators", "claims")
WORDS = {"two": 2, "thirty": 30, "fifty-six": 56, "sixty-five": 65, "sixty-seven": 67, "seventy": 70}
MOD = "Russian Ministry of Defence"


@pytest.fixture(scope="module")
def pack_dir(shared_sources) -> Path:
    folder = shared_sources / "eastern-ghouta-2018"
    if not (folder / "news-claims.csv").is_file():
        pytest.skip("the Eastern Ghouta source pack (shared/sources/eastern-ghouta-2018) is not beside this checkout")
    return folder


@pytest.fixture(scope="module")
def pack(pack_dir) -> dict[str, dict[str, str]]:
    return {r["claim_id"]: r for r in read_rows(pack_dir / "news-claims.csv")}


@pytest.fixture(scope="module")
def readme(pack_dir) -> str:
    return (pack_dir / "README.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def t() -> dict[str, list[dict[str, str]]]:
    return {name: read_rows(GHOUTA_DIR / f"{name}.csv") for name in TABLES}


@pytest.fixture(scope="module")
def claims(t) -> dict[str, dict[str, str]]:
    return {c["claim_id"]: c for c in t["claims"]}


def _numbers(text: str) -> set[int]:
    """Every number written in a pack text: 3,548 / 38 000 / 21 ألفا ... and the English words in WORDS."""
    found = {int(re.sub(r"[ ,]", "", m)) for m in re.findall(r"\d{1,3}(?:[ ,]\d{3})+|\d+", text)}
    low = text.lower()
    return found | {n for w, n in WORDS.items() if re.search(rf"\b{w}\b", low)}


def _base(claim_id: str) -> str:
    return re.sub(r"[a-z]$", "", claim_id)


# --- every pack claim is kept, in its own document -------------------------------------------


def test_every_pack_claim_is_kept(pack, t):
    assert len(pack) == 91
    g_ids = [c["claim_id"] for c in t["claims"] if c["claim_id"].startswith("G")]
    assert {_base(i) for i in g_ids} == set(pack)
    # a letter suffix only where a pack row was split: then every part has one (a, b, ...)
    for base in {_base(i) for i in g_ids if i != _base(i)}:
        parts = sorted(i for i in g_ids if _base(i) == base)
        assert base not in parts and parts == [base + s for s in "abcdefgh"[: len(parts)]], parts


def test_claims_cite_the_pack_document(pack, t, claims):
    urls = {s["source_id"]: s["url"] for s in t["sources"]}
    for cid, c in claims.items():
        if cid.startswith("G"):
            assert urls[c["source_id"]] == pack[_base(cid)]["url"], cid


def test_one_source_row_per_pack_document(pack, t):
    rows = [s for s in t["sources"] if s["url"]]
    assert sorted(s["url"] for s in rows) == sorted({r["url"] for r in pack.values()})
    dates = {r["url"]: r["publication_date"] for r in pack.values()}
    for s in rows:
        given = dates[s["url"]]
        if given == "undated":
            assert s["published"] == "" and "undated" in s["note"].lower(), s["source_id"]
        else:
            assert s["published"] == given, s["source_id"]


def test_languages_from_the_pack_source_names(pack, t):
    # the source names say the language or the country: (Arabic), (French), (Italy), (Estonia), ...
    hints = {
        "(Arabic": "ar",
        "(French)": "fr",
        "(Italy)": "it",
        "(Estonia)": "et",
        "(Netherlands)": "nl",
        "(Russia)": "ru",
        "Sputnik Serbia (Latin)": "sr",
        "HispanTV": "es",
        "Público (Spain": "es",
    }
    lang = {s["url"]: s["language"] for s in t["sources"]}
    checked = 0
    for r in pack.values():
        for hint, code in hints.items():
            if hint in r["source_name"]:
                assert lang[r["url"]] == code, (r["claim_id"], r["source_name"])
                checked += 1
    assert checked >= 12


# --- figures ------------------------------------------------------------------------------------


def test_every_figure_is_written_in_its_pack_row(pack, t):
    """A claim's figure is one of the numbers of its pack row (value, paraphrase or document title)."""
    checked = 0
    for c in t["claims"]:
        if not (c["value_low"] or c["value_high"]):
            continue
        row = pack[_base(c["claim_id"])] if c["claim_id"].startswith("G") else None
        if row is None:  # H: a headline figure, read in a pack document's title
            row = next(r for r in pack.values() if c["claim_id"][1:] == r["claim_id"][1:])
            text = row["source_name"]
        else:
            text = " ".join((row["value"], row["paraphrase"]))
        for v in (c["value_low"], c["value_high"]):
            if v:
                assert int(v) in _numbers(text), (c["claim_id"], v, text)
                checked += 1
    assert checked >= 70


def test_split_rows_give_one_claim_per_quantity(pack, claims):
    # "buses; people" with "69; 3548" (G061), "65; 3,600" (G060), "1146; 24" (G093), "38; 1700" (G088)
    for base, first, second in (
        ("G061", "buses", "people"),
        ("G060", "buses", "people"),
        ("G093", "people", "buses"),
        ("G088", "buses", "people"),
    ):
        values = [int(re.sub(r"\D", "", v.split("(")[0])) for v in pack[base]["value"].split(";")]
        assert [claims[base + "a"]["quantity"], claims[base + "b"]["quantity"]] == [first, second]
        assert int(claims[base + "a"]["value_low"]) == values[0]
        assert int(claims[base + "b"]["value_low"]) == values[1]
    # the Russian breakdown "29,217; 738; 3,390" adds up to the 33,345 of G053 (29,217 + 738 + 3,390 = 33,345)
    parts = [int(v.replace(",", "")) for v in pack["G054"]["value"].split(";")]
    whole = int(pack["G053"]["value"].split()[0].replace(",", ""))
    assert sum(parts) == whole == 33345
    assert [int(claims[f"G054{s}"]["value_low"]) for s in "abc"] == parts


def test_headline_figures_of_the_douma_batches(pack, claims):
    # first Jaysh al-Islam batch: 1,130 (SANA French) against 1,065 (SouthFront's headline), 1,100+ (SANA via WS Beacon)
    assert "1130" in pack["G092"]["value"] and "1,065" in pack["G008"]["source_name"] and "1,100" in pack["G064"]["value"]
    assert {cid: (claims[cid]["subject"], claims[cid]["value_low"]) for cid in ("G092", "H008", "G064")} == {
        "G092": ("mv-douma-1", "1130"),
        "H008": ("mv-douma-1", "1065"),
        "G064": ("mv-douma-1", "1100"),
    }
    assert claims["G064"]["qualifier"] == "more than"
    # the Faylaq al-Rahman remnants of 1 April are another group, to Idlib: 1,146 on 24 buses, not the first batch
    assert "Idlib" in pack["G093"]["paraphrase"] and claims["G093a"]["subject"] == "mv-douma-faylaq"
    # the Russian centre's final tally for Douma, 21,154, stays on from:douma beside the other Russian figures
    assert "21,154" in pack["G050"]["value"] and claims["G050"]["subject"] == "from:douma"
    assert claims["G050"]["value_low"] == claims["G050"]["value_high"] == "21154"


def test_first_post_deal_convoy(pack, claims):
    # departure: 69 buses with 3,548 people on Monday night, 9 April; arrival: 65+ buses, 67 buses on 10 April
    assert pack["G061"]["value"] == "69; 3548" and pack["G061"]["event_date"] == "2018-04-09"
    assert pack["G060"]["value"].startswith("65; 3,600") and pack["G060"]["qualifier"].startswith("more than (buses)")
    assert pack["G114"]["value"] == "Sixty-seven"
    got = {
        cid: (claims[cid]["value_low"], claims[cid]["value_high"], claims[cid]["qualifier"])
        for cid in ("G061a", "G061b", "G060a", "G060b", "G114")
    }
    assert got == {
        "G061a": ("69", "69", "exact"),
        "G061b": ("3548", "3548", "exact"),
        "G060a": ("65", "", "more than"),
        "G060b": ("3600", "3600", "about"),
        "G114": ("67", "67", "exact"),
    }
    assert {claims[c]["subject"] for c in got} == {"mv-douma-9apr"}


def test_qualifiers_follow_the_pack(pack, t):
    """Single-figure rows: 'more than' stays, 'up to' becomes 'at most', 'about'/'around' 'about', 'exact' 'exact'."""
    mapping = {"more than": "more than", "at least": "at least", "up to": "at most", "about": "about", "exact": "exact"}
    checked = 0
    for c in t["claims"]:
        if not re.fullmatch(r"G\d+", c["claim_id"]) or not (c["value_low"] or c["value_high"]):
            continue
        given = pack[c["claim_id"]]["qualifier"]
        if given in mapping:
            assert c["qualifier"] == mapping[given], (c["claim_id"], given, c["qualifier"])
            checked += 1
    assert checked >= 15


def test_planned_figures_are_expected(pack, t):
    words = re.compile(r"\bwould (?:leave|be made up|be used)|due to leave|projected|\bexpected\b")
    flagged = {r["claim_id"] for r in pack.values() if words.search(r["paraphrase"])}
    numeric = [c for c in t["claims"] if c["claim_id"].startswith("G") and (c["value_low"] or c["value_high"])]
    planned = {c["claim_id"] for c in numeric if _base(c["claim_id"]) in flagged}
    # G085 (would leave Harasta), G056 (due to leave Arbin), G101 (projected), G119 (would be made up of 40 buses),
    # G070 (would be used), G033 (expected to depart in two waves)
    assert {_base(i) for i in planned} == {"G085", "G056", "G101", "G119", "G070", "G033"}
    for c in numeric:
        if c["claim_id"] in planned:
            assert c["basis"] == "expected", c["claim_id"]


def test_one_originator_per_voice(pack, t):
    """However the pack spells who speaks (the Russian centre, its head Yevtushenko, Krasnaya Zvezda; al-Araby al-Jadeed
    and The New Arab), each voice is one originator, and the originators table names it."""
    names = {o["originator_id"]: o["name_en"] for o in t["originators"]}
    for c in t["claims"]:
        if not c["claim_id"].startswith("G"):
            continue
        given = pack[_base(c["claim_id"])]["attributed_to"]
        if re.search(r"Yevtushenko|Russian (?:Ministry of Defence|Defence Ministry|Reconciliation|Centre|military)|Krasnaya Zvezda", given):
            assert c["originator_id"] == "russian-mod", (c["claim_id"], given)
        elif given.startswith("SANA"):
            assert c["originator_id"] == "sana", (c["claim_id"], given)
        elif given.startswith("SOHR"):
            assert c["originator_id"] == "sohr", (c["claim_id"], given)
        elif "al-Araby al-Jadeed" in given or given == "The New Arab":
            assert c["originator_id"] == "the-new-arab", (c["claim_id"], given)
    assert names["russian-mod"] == MOD and names["sohr"] == "Syrian Observatory for Human Rights"


def test_unnamed_sources_are_one_originator_per_document(t):
    """The pack's '(unnamed sources)' attributions are anonymous originators (one voice per document, never merged)."""
    kinds = {o["originator_id"]: o["kind"] for o in t["originators"]}
    for c in t["claims"]:
        if c["claim_id"].startswith("G"):
            unnamed = c["originator_id"].endswith("-unnamed") or "security-source" in c["originator_id"]
            assert (kinds[c["originator_id"]] == "anonymous") == unnamed, c["claim_id"]


# --- corridors apart from the buses north -------------------------------------------------------


def test_mixed_running_totals_stay_off_the_bus_subjects(t, claims, pack):
    # G053/G054: "most of them civilians" since 5 March, every route; G066: fled over three weeks (UN);
    # G012: Eastern Ghouta and south Damascus together; G089/G065: cumulative, far above the convoys
    assert "most of them civilians" in pack["G053"]["paraphrase"] and "south Damascus" in pack["G012"]["value"] + pack["G012"]["place_from"]
    mixed = [i for i in claims if _base(i) in {"G053", "G054", "G066", "G012", "G089", "G065"}]
    assert len(mixed) == 9  # G053, G054a-c, G066a-b, G012, G089, G065
    for cid in mixed:
        subject = claims[cid]["subject"]
        assert not subject.startswith(("mv-", "from:")) and subject != "total", (cid, subject)
    movements = {m["movement_id"] for m in t["movements"]}
    assert not movements & {claims[i]["subject"] for i in mixed}


# --- dates -------------------------------------------------------------------------------------


def test_date_claims_carry_the_pack_dates(pack, t):
    checked = 0
    for c in t["claims"]:
        if c["quantity"] in ("date", "depart_date", "arrive_date") and c["claim_id"].startswith("G"):
            assert c["value_text"] == pack[_base(c["claim_id"])]["event_date"], c["claim_id"]
            checked += 1
    assert checked >= 7


def test_weekday_dates_say_they_were_resolved(pack, t):
    """Where the pack resolved a weekday to a date ('inferred'), the claim's note says so."""
    checked = 0
    for c in t["claims"]:
        if c["claim_id"].startswith("G") and "inferred" in pack[_base(c["claim_id"])]["paraphrase"]:
            assert re.search(r"resolved|inferred", c["note"]), c["claim_id"]
            checked += 1
    assert checked >= 10


def test_final_deal_dated_8_april_against_7_april(pack, t, claims):
    assert pack["G107"]["value"] == "April 7" and "Sunday" in pack["G017"]["value"]
    events = {e["event_id"]: e for e in t["events"]}
    deal = events[claims["G107"]["subject"]]
    assert claims["G017"]["subject"] == claims["G107"]["subject"]
    assert (deal["date_start"], deal["date_end"]) == (pack["G017"]["event_date"], "2018-04-08")
    assert claims["G107"]["value_text"] == "2018-04-07"


def test_movement_dates_from_the_pack(pack, readme, t):
    mv = {m["movement_id"]: m for m in t["movements"]}
    expected = {
        "mv-harasta-1": ("G085", None),  # "starting Thursday 22 March"
        "mv-central-1": ("G057", None),  # Saturday 24 March
        "mv-central-2": ("G056", None),  # Sunday 25 March
        "mv-douma-faylaq": ("G093", "G011"),  # left Sunday 1 April, reached Hama countryside Monday 2 April
        "mv-douma-1": ("G111", None),  # Monday 2 April
        "mv-douma-2": ("G001", None),  # Tuesday 3 April
        "mv-douma-3": ("G045", None),  # Thursday 5 April
        "mv-douma-9apr": ("G061", "G060"),  # Monday night 9 April, Zandin 10 April
        "mv-douma-last": ("G106", None),  # 12 April
    }
    for mid, (dep, arr) in expected.items():
        assert mv[mid]["depart_date"] == pack[dep]["event_date"], mid
        assert mv[mid]["arrive_date"] == (pack[arr]["event_date"] if arr else ""), mid
    assert "left on 9–10 April" in readme and mv["mv-douma-10apr"]["depart_date"] == "2018-04-10"
    # no day is given for the second Harasta group nor for the final central convoy
    assert mv["mv-harasta-2"]["depart_date"] == mv["mv-central-final"]["depart_date"] == ""


def test_events_span_the_readme_window(readme, t):
    # "emptied it between about 22 March and 13 April 2018"; "Russia dated completion to 13 April"
    assert "between about 22 March and 13 April 2018" in readme
    events = {e["event_id"]: e for e in t["events"]}
    assert events["ev-douma-completion"]["date_start"] == "2018-04-13"
    assert min(m["depart_date"] for m in t["movements"] if m["depart_date"]) == "2018-03-22"
    assert events["ev-douma-russia-announcement"]["date_start"] == "2018-03-30"
    assert events["ev-douma-sana-deal"]["date_start"] == "2018-04-01"


# --- places and actors --------------------------------------------------------------------------


def _readme_points(readme: str) -> dict[str, tuple[str, str]]:
    section = readme.split("## Places", 1)[1].split("##", 1)[0]
    return {name.strip(): (lat, lon) for name, lat, lon in re.findall(r"((?:al-)?[A-Z][\w' -]+?) (\d+\.\d+), (\d+\.\d+)", section)}


def test_coordinates_are_exactly_the_readmes(readme, t):
    points = _readme_points(readme)
    assert len(points) == 11 and points["Douma"] == ("33.572", "36.402")
    by_name = {p["name_en"]: p for p in t["places"]}
    for name, (lat, lon) in points.items():
        assert (by_name[name]["lat"], by_name[name]["lon"]) == (lat, lon), name
    located = {p["name_en"] for p in t["places"] if p["lat"] or p["lon"]}
    assert located == set(points)


def test_crossings_have_no_coordinates(readme, t):
    assert "have no coordinates in the sources" in readme
    crossings = {p["place_id"]: p for p in t["places"] if p["kind"] == "crossing"}
    assert set(crossings) == {"al-wafideen", "zandin-crossing"}
    for p in crossings.values():
        assert (p["lat"], p["lon"], p["geo_precision"]) == ("", "", "3"), p["place_id"]
    # "give them a coarse precision where the place is a district or a crossing": never 1 (a town's point)
    for p in t["places"]:
        if p["kind"] != "town":
            assert p["geo_precision"] in ("2", "3"), p["place_id"]


def test_readme_name_variants_are_aliases(readme, t):
    section = readme.split("## Name variants", 1)[1]
    rows = t["places"] + t["actors"]
    for group in section.strip().rstrip(".").split(";"):
        names = [n.strip() for n in re.sub(r"\(.*?\)", "", group).replace(" = ", ",").split(",") if n.strip()]
        owner = [r for r in rows if any(n in {r["name_en"], *r["aliases"].split(";")} for n in names)]
        owner = owner or [r for r in rows if any(r["name_en"].startswith(n + " ") for n in names)]
        assert len(owner) == 1, (names, [r.get("place_id") or r.get("actor_id") for r in owner])
        known = {owner[0]["name_en"], *owner[0]["aliases"].split(";")}
        assert all(n in known or owner[0]["name_en"].startswith(n) for n in names), (names, known)


def test_shared_actors_and_places_match_the_qalamoun_case(t):
    q = {name: read_rows(CASE_DIR / f"{name}.csv") for name in ("actors", "places")}
    for table, key, must in (
        ("actors", "actor_id", {"jaysh-al-islam", "russia", "syrian-army", "syrian-government", "sana", "ahrar-al-sham"}),
        ("places", "place_id", {"jarabulus", "al-bab", "qalaat-al-madiq", "idlib", "eastern-ghouta", "northern-aleppo"}),
    ):
        theirs = {r[key]: r for r in q[table]}
        ours = {r[key]: r for r in t[table]}
        assert must <= set(theirs) & set(ours), must - set(ours)
        for i in set(theirs) & set(ours):
            assert (ours[i]["name_en"], ours[i]["name_es"]) == (theirs[i]["name_en"], theirs[i]["name_es"]), i
        # the same English name never hides under another id
        for i, r in ours.items():
            same = [j for j, s in theirs.items() if s["name_en"] == r["name_en"]]
            assert same in ([], [i]), (i, same)


# --- the package ---------------------------------------------------------------------------------


def test_the_two_cases_have_identical_schemas():
    ours = json.loads((GHOUTA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    theirs = json.loads((CASE_DIR / "datapackage.json").read_text(encoding="utf-8"))
    assert ours["name"] == "eastern-ghouta-2018" == GHOUTA_DIR.name
    assert [r["name"] for r in ours["resources"]] == [r["name"] for r in theirs["resources"]]
    for a, b in zip(ours["resources"], theirs["resources"], strict=True):
        assert a == b, a["name"]
    from analysis.schema import CASE_METADATA

    own = set(CASE_METADATA)  # each case's own: its name, titles, headings, sources, country
    assert {k: v for k, v in ours.items() if k not in own} == {k: v for k, v in theirs.items() if k not in own}


# --- agreements and their terms ----------------------------------------------------------------


@pytest.fixture(scope="module")
def deals() -> dict[str, list[dict[str, str]]]:
    return {name: read_rows(GHOUTA_DIR / f"{name}.csv") for name in ("agreements", "provisions")}


def test_agreement_dates_from_the_pack(pack, readme, deals, t):
    ag = {a["event_id"]: a for a in deals["agreements"]}
    # Harasta: "agreed on Wednesday (21 March)"; Russia's announcement "on Friday 30 March"; SANA's deal of 1 April;
    # the final deal on Sunday 8 April (al-Mayadeen: 7 April, kept as a claim on the agreement's event)
    assert "(21 March)" in pack["G083"]["paraphrase"] and "Friday 30 March" in pack["G022"]["paraphrase"]
    assert "a final deal was made on 8 April" in readme
    expected = {
        "ev-harasta-agreement": pack["G083"]["event_date"],
        "ev-douma-russia-announcement": pack["G022"]["event_date"],
        "ev-douma-sana-deal": pack["G013"]["event_date"],
        "ev-douma-final-agreement": pack["G063"]["event_date"],
    }
    assert expected == {
        "ev-harasta-agreement": "2018-03-21",
        "ev-douma-russia-announcement": "2018-03-30",
        "ev-douma-sana-deal": "2018-04-01",
        "ev-douma-final-agreement": "2018-04-08",
    }
    events = {e["event_id"]: e for e in t["events"]}
    for event_id, day in expected.items():
        assert ag[event_id]["date"] == day == events[event_id]["date_start"], event_id
    # the central-sector deal has no day in the pack: month precision only
    assert (ag["ev-central-agreement"]["date"], ag["ev-central-agreement"]["date_precision"]) == ("2018-03", "month")
    # Jaish al-Islam denied SANA's deal: the denial is kept beside it
    assert "deal denied" in pack["G013"]["value"] and "denied" in pack["G071"]["value"]


def test_douma_terms_each_with_their_sources(pack, deals, claims):
    by_claim: dict[str, set[str]] = {}
    rows = {p["provision_id"]: p for p in deals["provisions"]}
    for p in rows.values():
        for cid in filter(None, p["claim_ids"].split(";")):
            assert cid in claims, (p["provision_id"], cid)
            by_claim.setdefault(cid, set()).add(p["term"])
    # light arms: allowed (Sputnik, G099; al-Araby al-Jadeed, G063) against handed over (Muraselon, G075): separate rows
    assert "light weapons" in pack["G099"]["value"] and "heavy and light weapons handed over" in pack["G075"]["value"]
    assert by_claim["G099"] == {"arms_kept"} and by_claim["G063b"] == {"arms_kept"} and by_claim["G075"] == {"weapons_handover"}
    # heavy and medium weapons handed over (SANA's list, G003)
    assert "handover of heavy and medium arms" in pack["G003"]["value"] and "weapons_handover" in by_claim["G003"]
    # conscription: SOHR's 6 to 10 months against the civil committee's no compulsory service, each its own row
    assert pack["G025"]["value"] == "6 to 10 months" and "compulsory service" in pack["G120"]["value"]
    sohr = [p for p in rows.values() if p["term"] == "conscription_grace" and "G025" in p["claim_ids"].split(";")]
    committee = [p for p in rows.values() if p["term"] == "conscription_grace" and "G120" in p["claim_ids"].split(";")]
    assert len(sohr) == len(committee) == 1 and sohr[0]["provision_id"] != committee[0]["provision_id"]
    # destinations: Jarabulus, and al-Bab only where a source adds it (EFE, G095)
    assert pack["G095"]["value"] == "Yarablus y Al Bab"
    with_al_bab = {p["provision_id"] for p in rows.values() if "al-bab" in p["destination_place_ids"].split(";")}
    assert {pid for pid in with_al_bab if "G095" in rows[pid]["claim_ids"]} == with_al_bab != set()
    # Russian military police, captives and bodies, settlement, state institutions
    for cid, term in (
        ("G029", "exit_supervision"),
        ("G030", "prisoner_release"),
        ("G074", "pardon"),
        ("G074", "state_institutions_return"),
    ):
        assert term in by_claim[cid], (cid, term)
