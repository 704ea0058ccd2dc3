"""`qalamoun export`: every format read back with the field's own reader, content checked against the case's CSVs.

Expected values come from data/eastern-qalamoun-2018/*.csv (read here with csv), from
the codebooks cited beside each vocabulary, or from hand-worked examples.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest
from conftest import CASE_DIR, CASE_ID, ROOT, case_ids, read_rows, row_of
from typer.testing import CliRunner

from analysis.cli import app

SCHEMA = ROOT / "tests" / "data" / "geojson-schema" / "FeatureCollection.json"

# ACLED codebook (acleddata.com/knowledge-base/codebook; variable list as in the acledR package's
# "ACLED Codebook" vignette, and the 2023 column changes that added disorder_type,
# civilian_targeting and tags), in ACLED's column order.
ACLED_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision",
    "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
]  # fmt: skip
# ACLED codebook, "Event Types and Sub-Event Types": 6 event types, 25 sub-event types, nested so.
ACLED_SUB_EVENT_TYPES = {
    "Battles": {"Armed clash", "Government regains territory", "Non-state actor overtakes territory"},
    "Explosions/Remote violence": {
        "Chemical weapon", "Air/drone strike", "Suicide bomb", "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED", "Grenade",
    },
    "Violence against civilians": {"Sexual violence", "Attack", "Abduction/forced disappearance"},
    "Protests": {"Peaceful protest", "Protest with intervention", "Excessive force against protesters"},
    "Riots": {"Violent demonstration", "Mob violence"},
    "Strategic developments": {
        "Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
        "Headquarters or base established", "Looting/property destruction", "Non-violent transfer of territory", "Other",
    },
}  # fmt: skip
# ACLED 2023 column guide: disorder_type is Political violence, Demonstrations, Strategic
# developments, or "Political violence; Demonstrations" (e.g. mob violence).
ACLED_DISORDER = {
    "Battles": {"Political violence"},
    "Explosions/Remote violence": {"Political violence"},
    "Violence against civilians": {"Political violence"},
    "Protests": {"Demonstrations"},
    "Riots": {"Demonstrations", "Political violence; Demonstrations"},
    "Strategic developments": {"Strategic developments"},
}
# ACLED codebook: time_precision 1 actual date, 2 within a week, 3 within a month;
# geo_precision 1 town, 2 near a town or part of a region, 3 larger region;
# inter codes 1 state forces ... 8 external/other forces; interaction codes as listed.
ACLED_TIME_PRECISION = {"1", "2", "3"}
ACLED_GEO_PRECISION = {"1", "2", "3"}
ACLED_INTER = {str(i) for i in range(1, 9)}
ACLED_INTERACTION = {
    "10", "11", "12", "13", "14", "15", "16", "17", "18", "20", "22", "23", "24", "25", "26", "27", "28",
    "30", "33", "34", "35", "36", "37", "38", "40", "44", "45", "46", "47", "48", "50", "55", "56", "57", "58",
    "60", "66", "67", "68", "78", "80",
}  # fmt: skip
ACLED_CIVILIAN_TARGETING = {"", "Civilian targeting"}
# UCDP GED codebook: date_prec 1 (exact day) to 5 (year); where_prec 1 (exact place) to 7 (water/airspace).
UCDP_DATE_PREC = {"1", "2", "3", "4", "5"}
UCDP_WHERE_PREC = {"1", "2", "3", "4", "5", "6", "7"}


def rows(table: str) -> list[dict[str, str]]:
    return read_rows(CASE_DIR / f"{table}.csv")


def by(table: str, key: str) -> dict[str, dict[str, str]]:
    return {r[key]: r for r in rows(table)}


def lonlat(place_id: str) -> list[float]:
    p = by("places", "place_id")[place_id]
    return [float(p["lon"]), float(p["lat"])]


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from analysis.export import export_case

    target = tmp_path_factory.mktemp("export") / "eq"
    result = export_case(CASE_ID, target)
    assert result.folder == target
    return target


@pytest.fixture(scope="module")
def metadata(out: Path) -> dict:
    return json.loads((out / "metadata.json").read_text(encoding="utf-8"))


def hxl_data(path: Path):
    import hxl

    return hxl.data(str(path), hxl.InputOptions(allow_local=True)).cache()


def hxl_rows(path: Path, key: str) -> dict[str, object]:
    return {row.get(key): row for row in hxl_data(path)}


# ---------------------------------------------------------------------------
# HXL


@pytest.mark.parametrize(
    ("name", "patterns"),
    [
        (
            "events.csv",
            ["#event", "#date+occurred", "#loc+name", "#geo+lat", "#geo+lon", "#group+name", "#org+name", "#meta+source"],
        ),
        (
            "movements.csv",
            [
                *("#loc+name+origin", "#loc+name+dest", "#group+name", "#meta+source"),
                *("#affected+displaced+low", "#affected+displaced+best", "#affected+displaced+high"),
            ],
        ),
        ("actors.csv", ["#group+name", "#org+name", "#meta+source"]),
        ("figures.csv", ["#indicator+name", "#indicator+num+low", "#indicator+num+best", "#indicator+num+high", "#meta+source"]),
    ],
)
def test_libhxl_reads_each_hxl_file_and_finds_its_tags(out: Path, name: str, patterns: list[str]):
    import hxl

    data = hxl_data(out / "hxl" / name)
    for pattern in patterns:
        tag = hxl.model.TagPattern.parse(pattern)
        assert any(tag.match(c) for c in data.columns), f"{name}: no column matches {pattern} in {data.display_tags}"
    report = hxl.validate(hxl_data(out / "hxl" / name))  # HXL's default schema: #date holds dates, #affected numbers
    assert report["is_valid"], report["issues"]


def test_hxl_events_hold_the_case_events_with_places_and_actors_split_by_kind(out: Path):
    events = hxl_rows(out / "hxl" / "events.csv", "#event+id")
    assert set(events) == set(by("events", "event_id"))
    actors = by("actors", "actor_id")
    # ev-sana-announcement: SANA is media (an agency) -> #org+name; Jaysh al-Islam and the Abdo
    # forces are rebel groups (armed) -> #group+name; it happened in Dumayr.
    row = events["ev-sana-announcement"]
    assert row.get("#org+name") == actors["sana"]["name_en"]
    assert row.get("#group+name") == f"{actors['jaysh-al-islam']['name_en']}; {actors['ahmad-al-abdo']['name_en']}"
    assert row.get("#loc+name") == "Dumayr"
    dumayr = by("places", "place_id")["dumayr"]
    assert (row.get("#geo+lat"), row.get("#geo+lon")) == (dumayr["lat"], dumayr["lon"])
    assert row.get("#date+occurred") == "2018-04-17"
    # ev-killing-juma: Shaher Juma and Hussein Shaaban are persons -> #contact+name, the committee an agency.
    juma = events["ev-killing-juma"]
    assert juma.get("#contact+name") == "Shaher Juma; Hussein Shaaban"
    assert juma.get("#org+name") == actors["dumayr-committee"]["name_en"]
    assert juma.get("#meta+source") == by("events", "event_id")["ev-killing-juma"]["source_ids"]


def test_hxl_movements_carry_low_best_high_and_both_ends(out: Path):
    moves = hxl_rows(out / "hxl" / "movements.csv", "#activity+code")
    assert set(moves) == set(by("movements", "movement_id"))
    m = moves["mv-dumayr"]
    assert (m.get("#loc+name+origin"), m.get("#loc+name+dest")) == ("Dumayr", "Jarabulus")
    # claims.csv: A08 2,500 people (eswiki) and C053b about 1,600 (AFP) -> low 1,600, high 2,500; the two voices
    # disagree (1,600 widened by 5% reaches 1,680), so best is the lower of the two, 1,600 (a figure a source gave).
    assert [m.get(f"#affected+displaced+{s}") for s in ("low", "best", "high")] == ["1600", "1600", "2500"]
    # buses: A10 44 (eswiki), C053a 31 (AFP), C016 5 (a plan for part of it): 31 and 44 disagree -> 31, 31, 44.
    assert [m.get(f"#indicator+buses+{s}") for s in ("low", "best", "high")] == ["31", "31", "44"]
    # mv-convoy-3: buses only announced (C023, C024, C026, basis expected): no reported figure, the planned range kept
    convoy3 = moves["mv-convoy-3"]
    planned = [int(c["value_low"] or c["value_high"]) for c in rows("claims") if c["subject"] == "mv-convoy-3" and c["quantity"] == "buses"]
    assert not convoy3.get("#indicator+buses+best") and convoy3.get("#indicator+buses+planned+low") == str(min(planned))


def test_hxl_actors_file_names_each_actor_once_under_its_kind(out: Path):
    import hxl

    data = hxl_data(out / "hxl" / "actors.csv")
    kinds = {"#group+name": "armed", "#org+name": "agency", "#contact+name": "person"}
    seen = {}
    for row in data:
        filled = [k for k in kinds if row.get(k)]
        assert len(filled) == 1, row.values
        seen[row.get("#meta+id")] = kinds[filled[0]]
    assert isinstance(data, hxl.model.Dataset)
    # actors.csv: the Syrian army is a state force, SANA media, Shaher Juma a person.
    assert (seen["syrian-army"], seen["sana"], seen["shaher-juma"]) == ("armed", "agency", "person")
    assert set(seen) == set(by("actors", "actor_id"))


# ---------------------------------------------------------------------------
# ACLED


def test_acled_table_has_acleds_columns_and_only_acleds_vocabularies(out: Path):
    table = read_rows(out / "acled" / "events.csv")
    with (out / "acled" / "events.csv").open(encoding="utf-8") as f:
        assert f.readline().strip().split(",") == ACLED_COLUMNS
    assert table
    for r in table:
        assert r["sub_event_type"] in ACLED_SUB_EVENT_TYPES[r["event_type"]], r
        assert r["disorder_type"] in ACLED_DISORDER[r["event_type"]], r
        assert r["time_precision"] in ACLED_TIME_PRECISION
        assert r["geo_precision"] in ACLED_GEO_PRECISION
        assert r["civilian_targeting"] in ACLED_CIVILIAN_TARGETING
        for col in ("inter1", "inter2"):
            assert r[col] in ACLED_INTER | {""}
        assert r["interaction"] in ACLED_INTERACTION | {""}
        assert r["year"] == r["event_date"][:4] and date.fromisoformat(r["event_date"])
        assert r["timestamp"] == ""


def test_acled_rows_hand_worked(out: Path):
    table = {r["event_id_cnty"]: r for r in read_rows(out / "acled" / "events.csv")}
    # ev-army-enters-dumayr: a 2-day window 19-20 April (precision range) -> within a week:
    # time_precision 2, dated to the middle day, the earlier of the two: 2018-04-19.
    army = table["ev-army-enters-dumayr"]
    assert (army["event_date"], army["time_precision"]) == ("2018-04-19", "2")
    assert (army["disorder_type"], army["event_type"], army["sub_event_type"]) == (
        "Strategic developments",
        "Strategic developments",
        "Non-violent transfer of territory",
    )
    dumayr = by("places", "place_id")["dumayr"]
    assert (army["location"], army["latitude"], army["longitude"], army["geo_precision"]) == (
        "Dumayr",
        dumayr["lat"],
        dumayr["lon"],
        "1",
    )
    # ev-tanks-april: month precision (1-30 April) -> time_precision 3, day 1 + (30 - 1) // 2 = 15.
    assert (table["ev-tanks-april"]["event_date"], table["ev-tanks-april"]["time_precision"]) == ("2018-04-15", "3")
    # ev-talks-0403: unified command (rebel, inter 2) and Air Force Intelligence (government, inter 1),
    # Russia (government side, inter 8) associated with the latter -> interaction 12.
    talks = table["ev-talks-0403"]
    actors = by("actors", "actor_id")
    assert (talks["actor1"], talks["inter1"]) == (actors["unified-command"]["name_en"], "2")
    assert (talks["actor2"], talks["inter2"], talks["assoc_actor_2"]) == (
        actors["air-force-intelligence"]["name_en"],
        "1",
        actors["russia"]["name_en"],
    )
    assert talks["interaction"] == "12"
    # ev-killing-juma: a killing -> Violence against civilians / Attack, civilian targeting; one killed (claim C041a).
    juma = table["ev-killing-juma"]
    assert (juma["event_type"], juma["sub_event_type"], juma["civilian_targeting"], juma["fatalities"]) == (
        "Violence against civilians",
        "Attack",
        "Civilian targeting",
        by("claims", "claim_id")["C041a"]["value_low"],
    )


def test_acled_every_event_is_exported_or_listed_with_its_reason(out: Path, metadata: dict):
    exported = {r["event_id_cnty"] for r in read_rows(out / "acled" / "events.csv")}
    unmapped = {r["event_id"]: r for r in read_rows(out / "acled" / "unmapped_events.csv")}
    assert exported.isdisjoint(unmapped)
    assert exported | set(unmapped) == set(by("events", "event_id"))
    # the 2016 ceasefire is dated to a whole year: ACLED has no year precision
    assert unmapped["ev-ceasefire-2016"]["reason"].startswith("date:")
    # offensives are campaigns, not atomic events
    assert unmapped["ev-ghouta-offensive"]["reason"].startswith("event type:")
    assert {u["event_id"] for u in metadata["notes"]["acled"]["not_exported"]} == set(unmapped)


def test_acled_crosswalk_covers_every_event_type_and_says_why(out: Path):
    package = json.loads((CASE_DIR / "datapackage.json").read_text(encoding="utf-8"))
    events = next(r for r in package["resources"] if r["name"] == "events")
    vocabulary = next(f for f in events["schema"]["fields"] if f["name"] == "event_type")["constraints"]["enum"]
    crosswalk = {r["our_event_type"]: r for r in read_rows(out / "acled" / "acled_crosswalk.csv")}
    assert set(crosswalk) == set(vocabulary)
    for etype, r in crosswalk.items():
        assert r["mapped"] in {"yes", "no"} and len(r["basis"]) > 40, etype
        if r["mapped"] == "yes":
            assert r["sub_event_type"] in ACLED_SUB_EVENT_TYPES[r["event_type"]], etype
            assert r["disorder_type"] in ACLED_DISORDER[r["event_type"]], etype
        else:
            assert r["event_type"] == r["sub_event_type"] == r["disorder_type"] == "", etype
    # the examples the issue names
    assert crosswalk["agreement"]["sub_event_type"] == "Agreement"
    assert crosswalk["territory_regained"]["sub_event_type"] == "Non-violent transfer of territory"


# ---------------------------------------------------------------------------
# UCDP


def numeric_claims() -> dict[tuple[str, str], list[dict[str, str]]]:
    out: dict[tuple[str, str], list[dict[str, str]]] = {}
    for c in rows("claims"):
        if c["value_low"] or c["value_high"]:
            out.setdefault((c["subject"], c["quantity"]), []).append(c)
    return out


def test_ucdp_has_every_reconciled_figure_with_gds_columns(out: Path):
    table = read_rows(out / "ucdp" / "figures.csv")
    claims = numeric_claims()
    assert {(r["subject"], r["quantity"]) for r in table} == set(claims)
    for r in table:
        # number_of_sources: the documents whose claims the figure reconciles (claims.csv source_id)
        assert int(r["number_of_sources"]) == len({c["source_id"] for c in claims[(r["subject"], r["quantity"])]}), r
        assert r["date_prec"] in UCDP_DATE_PREC | {""}
        assert r["where_prec"] in UCDP_WHERE_PREC | {""}
        if r["best"]:
            assert int(r["low"]) <= int(r["best"]) <= int(r["high"]), r


def test_ucdp_precision_hand_worked(out: Path):
    table = {r["id"]: r for r in read_rows(out / "ucdp" / "figures.csv")}
    # ev-tanks-april: month precision -> date_prec 4; Eastern Qalamoun is a region (geo_precision 3) -> where_prec 5;
    # its one claim, A14 ("una docena de tanques", reference [16]), comes from eswiki-r16 -> 1 source (the tanks handed over
    # before the departures, C020 and C028, are on the handover event, ev-handover-three-towns).
    tanks = table["ev-tanks-april/tanks"]
    assert (tanks["date_prec"], tanks["where_prec"], tanks["number_of_sources"]) == ("4", "5", "1")
    # ev-killing-juma: one day in Dumayr (geo_precision 1) -> date_prec 1, where_prec 1.
    assert (table["ev-killing-juma/killed"]["date_prec"], table["ev-killing-juma/killed"]["where_prec"]) == ("1", "1")
    # ev-russian-shelling: 16-20 April, 5 days -> date_prec 2 (2 to 6 days); al-Ruhaybah is approximate -> 2.
    assert (table["ev-russian-shelling/killed"]["date_prec"], table["ev-russian-shelling/killed"]["where_prec"]) == ("2", "2")
    # from:three-towns: the movements from al-Ruhaybah (within it) leave 21, 22, 23 April and the last arrives
    # 25 April -> 5 days -> 2.
    ruhaybah = table["from:three-towns/people"]
    assert (ruhaybah["date_start"], ruhaybah["date_end"], ruhaybah["date_prec"]) == ("2018-04-21", "2018-04-25", "2")


# ---------------------------------------------------------------------------
# GraphML and GEXF


def expected_ties() -> dict[str, tuple[str, str, int, str]]:
    return {r["relation_id"]: (r["source_actor"], r["target_actor"], int(r["sign"]), r["relation"]) for r in rows("relations")}


def ties(g) -> dict[str, tuple[str, str, int, str]]:
    return {str(k): (u, v, int(d["sign"]), d["relation"]) for u, v, k, d in g.edges(keys=True, data=True)}


def test_graphml_reads_back_with_the_same_actors_ties_and_signs(out: Path):
    import networkx as nx

    g = nx.read_graphml(out / "graph" / "network.graphml", force_multigraph=True)
    assert set(g.nodes) == set(by("actors", "actor_id"))
    assert ties(g) == expected_ties()
    r01 = by("relations", "relation_id")["r01"]
    data = g.get_edge_data(r01["source_actor"], r01["target_actor"])["r01"]
    assert (data["date_start"], data["date_end"], data["directed"]) == (r01["date_start"], r01["date_end"], False)
    assert g.nodes["russia"]["acled_inter"] == int(by("actors", "actor_id")["russia"]["acled_inter"])


def test_gexf_reads_back_and_is_dynamic_with_each_ties_interval(out: Path):
    import networkx as nx

    path = out / "graph" / "network.gexf"
    g = nx.read_gexf(path)
    assert set(g.nodes) == set(by("actors", "actor_id"))
    assert g.is_multigraph()  # relations.csv has parallel ties (r04 and r10 both run syrian-army -> eq-rebels)
    assert ties(g) == expected_ties()
    ns = {"g": "http://www.gexf.net/1.2draft"}
    root = ET.parse(path).getroot()
    graph = root.find("g:graph", ns)
    assert (graph.get("mode"), graph.get("timeformat")) == ("dynamic", "date")
    assert root.find("g:meta", ns).get("lastmodifieddate") is None
    edges = {e.get("id"): e for e in graph.iter("{http://www.gexf.net/1.2draft}edge")}
    for rid, r in by("relations", "relation_id").items():
        assert (edges[rid].get("start"), edges[rid].get("end")) == (r["date_start"] or None, r["date_end"] or None), rid


def test_gexf_gives_an_undated_tie_its_phase_window(tmp_path: Path):
    import networkx as nx
    from casekit import source, write_case

    from analysis.export import export_case

    actors = [
        {"actor_id": a, "name_en": a, "name_es": a, "actor_type": "rebel group", "side": "rebel", "source_ids": "s1"} for a in ("a", "b")
    ]
    event = {
        "event_id": "e1", "date_start": "2018-04-03", "date_end": "2018-04-05", "date_precision": "range",
        "phase": "negotiation", "event_type": "negotiation", "place_id": "p1", "actor_ids": "a;b",
        "summary_en": "talks", "summary_es": "conversaciones", "source_ids": "s1",
    }  # fmt: skip
    place = {"place_id": "p1", "name_en": "P", "name_es": "P", "kind": "region", "geo_precision": "3", "source_ids": "s1"}
    rel = {"relation_id": "r1", "source_actor": "a", "target_actor": "b", "relation": "negotiated_with", "sign": "1"}
    rel |= {"directed": "false", "event_id": "e1", "source_ids": "s1"}
    case = write_case(
        tmp_path / "mini",
        {"sources": [source("s1")], "actors": actors, "places": [place], "events": [event], "relations": [rel]},
    )
    export_case(case, tmp_path / "out", ["graph"])
    g = nx.read_gexf(tmp_path / "out" / "graph" / "network.gexf")
    # no dates of its own: the tie spans its event's phase, 3-5 April
    (edge,) = g.edges(data=True)
    assert (edge[2]["start"], edge[2]["end"]) == ("2018-04-03", "2018-04-05")


# ---------------------------------------------------------------------------
# GeoJSON


def test_geojson_validates_against_rfc7946_schema(out: Path):
    import jsonschema

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    for name in ("places.geojson", "movements.geojson"):
        jsonschema.validate(json.loads((out / "geo" / name).read_text(encoding="utf-8")), schema)


def test_geojson_places_are_points_lon_lat_and_the_others_are_listed(out: Path, metadata: dict):
    fc = json.loads((out / "geo" / "places.geojson").read_text(encoding="utf-8"))
    got = {f["properties"]["place_id"]: f for f in fc["features"]}
    places = rows("places")
    with_point = {p["place_id"] for p in places if p["lat"]}
    assert set(got) == with_point
    for pid in with_point:
        assert got[pid]["geometry"] == {"type": "Point", "coordinates": lonlat(pid)}
        assert got[pid]["properties"]["geo_precision"] == int(by("places", "place_id")[pid]["geo_precision"])
    # places.csv: Dumayr lies at 33.644 N, 36.694 E, so RFC 7946 writes [36.694, 33.644]
    assert got["dumayr"]["geometry"]["coordinates"] == [36.694, 33.644]
    unplaced = metadata["notes"]["geojson"]["places_without_coordinates"]
    assert sorted(unplaced) == sorted(p["place_id"] for p in places if not p["lat"])


def test_geojson_movements_run_origin_to_destination_with_figures(out: Path, metadata: dict):
    fc = json.loads((out / "geo" / "movements.geojson").read_text(encoding="utf-8"))
    got = {f["properties"]["movement_id"]: f for f in fc["features"]}
    places = by("places", "place_id")
    drawable = {m["movement_id"]: m for m in rows("movements") if places[m["origin_place_id"]]["lat"]}
    drawable = {k: m for k, m in drawable.items() if places[m["destination_place_id"]]["lat"]}
    assert set(got) == set(drawable)
    for mid, m in drawable.items():
        line = got[mid]["geometry"]
        assert line["type"] == "LineString"
        assert (line["coordinates"][0], line["coordinates"][-1]) == (lonlat(m["origin_place_id"]), lonlat(m["destination_place_id"]))
        assert got[mid]["properties"]["source_ids"] == m["source_ids"].split(";")
    dumayr = got["mv-dumayr"]["properties"]
    # hand-worked above (test_hxl_movements_carry_low_best_high_and_both_ends)
    assert [dumayr[f"people_{s}"] for s in ("low", "best", "high")] == [1600, 1600, 2500]
    assert [dumayr[f"buses_{s}"] for s in ("low", "best", "high")] == [31, 31, 44]
    # the article: the first group left Dumayr on 19 April; AFP saw its buses reach Azaz (not Jarabulus) on the 20th
    assert (dumayr["depart_date"], dumayr["arrive_date"]) == ("2018-04-19", None)

    row = by("movements", "movement_id")["mv-dumayr"]
    assert (dumayr["depart_date"], dumayr["arrive_date"]) == (row["depart_date"] or None, row["arrive_date"] or None)
    # via Azaz (movements.csv): the line passes through it
    assert got["mv-dumayr"]["geometry"]["coordinates"][1] == lonlat("azaz")
    undrawn = {u["movement_id"] for u in metadata["notes"]["geojson"]["movements_not_drawn"]}
    assert undrawn == set(by("movements", "movement_id")) - set(drawable)


# ---------------------------------------------------------------------------
# Frictionless results package


def test_results_package_passes_frictionless_validate(out: Path):
    cli = Path(sys.executable).parent / "frictionless"
    done = subprocess.run(
        [str(cli), "validate", "datapackage.json"], cwd=out / "results", capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_results_package_describes_every_field_and_holds_the_tables(out: Path):
    from analysis.export.results import UNDESCRIBED

    package = json.loads((out / "results" / "datapackage.json").read_text(encoding="utf-8"))
    assert [r["name"] for r in package["resources"]] == ["figures", "answers", "contradictions", "movements", "network-metrics"]
    for res in package["resources"]:
        for fd in res["schema"]["fields"]:
            assert fd["description"] and fd["description"] != UNDESCRIBED, (res["name"], fd["name"])
    figures = read_rows(out / "results" / "figures.csv")
    assert {(r["subject"], r["quantity"]) for r in figures} == set(numeric_claims())
    movements = read_rows(out / "results" / "movements.csv")
    assert {r["movement_id"] for r in movements} == set(by("movements", "movement_id"))
    metrics = read_rows(out / "results" / "network_metrics.csv")
    related = {r["source_actor"] for r in rows("relations")} | {r["target_actor"] for r in rows("relations")}
    assert {r["actor_id"] for r in metrics} == related


# ---------------------------------------------------------------------------
# Determinism, formats, bad input


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_export_is_byte_for_byte_reproducible_and_replaces_its_own_folder(out: Path, tmp_path: Path):
    from analysis.export import MARKER

    first = snapshot(out)
    again = tmp_path / "again"
    assert CliRunner().invoke(app, ["export", CASE_ID, "--to", str(again)]).exit_code == 0
    assert snapshot(again) == first
    (again / "hxl" / "stale.csv").write_text("left by an earlier export\n")
    result = CliRunner().invoke(app, ["export", CASE_ID, "--to", str(again), "--format", "hxl"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in again.iterdir()) == sorted(["hxl", "metadata.json", MARKER])
    assert not (again / "hxl" / "stale.csv").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["again"]  # no temporary folder left beside it


def test_format_subset_writes_only_those_formats(tmp_path: Path):
    result = CliRunner().invoke(app, ["export", CASE_ID, "--to", str(tmp_path / "x"), "--format", "geojson,acled"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "x").iterdir() if p.is_dir()) == ["acled", "geo"]
    meta = json.loads((tmp_path / "x" / "metadata.json").read_text(encoding="utf-8"))
    assert list(meta["formats"]) == ["acled", "geojson"]


def test_unknown_format_exits_2_and_writes_nothing(tmp_path: Path):
    result = CliRunner().invoke(app, ["export", CASE_ID, "--to", str(tmp_path / "x"), "--format", "kml"])
    assert result.exit_code == 2
    assert "unknown format(s) 'kml'" in result.output and "geojson" in result.output
    assert list(tmp_path.iterdir()) == []


def test_unknown_best_rule_source_exits_2_and_writes_nothing(tmp_path: Path):
    result = CliRunner().invoke(app, ["export", CASE_ID, "--to", str(tmp_path / "x"), "--best-rule", "prefer:nobody"])
    assert result.exit_code == 2 and "unknown source_id 'nobody'" in result.output
    assert list(tmp_path.iterdir()) == []


def test_unwritable_folder_exits_2_and_writes_nothing(tmp_path: Path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder\n")
    result = CliRunner().invoke(app, ["export", CASE_ID, "--to", str(blocker / "out")])
    assert result.exit_code == 2
    assert f"{blocker} is a file" in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["a-file"]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_folder_exits_2(tmp_path: Path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        result = CliRunner().invoke(app, ["export", CASE_ID, "--to", str(locked / "out")])
    finally:
        locked.chmod(0o755)
    assert result.exit_code == 2 and "cannot write" in result.output
    assert list(locked.iterdir()) == []


def test_folder_with_other_files_is_refused_and_left_alone(tmp_path: Path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("an analyst's file\n")
    result = CliRunner().invoke(app, ["export", CASE_ID, "--to", str(mine)])
    assert result.exit_code == 2 and "did not write" in result.output
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]
    assert (mine / "notes.txt").read_text() == "an analyst's file\n"


def test_invalid_case_exits_2_naming_the_problem(broken_case, tmp_path: Path):
    def bad(rs: list[dict[str, str]]) -> None:
        rs[row_of(rs, "event_id", "ev-flag-jayrud")]["place_id"] = "atlantis"

    folder = broken_case("events", bad)
    result = CliRunner().invoke(app, ["export", str(folder), "--to", str(tmp_path / "x")])
    assert result.exit_code == 2
    assert "events.csv" in result.output and "atlantis" in result.output
    assert not (tmp_path / "x").exists()


def test_a_failing_format_leaves_nothing_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from analysis.export import export_case, geo

    def boom(ctx, folder):
        raise RuntimeError("disk full")

    monkeypatch.setattr(geo, "write", boom)
    with pytest.raises(RuntimeError, match="disk full"):
        export_case(CASE_ID, tmp_path / "deep" / "x")
    assert list(tmp_path.iterdir()) == []  # neither the target, its new parent, nor a temporary folder


def test_ucdp_places_total_in_the_place_containing_every_origin(tmp_path: Path):
    from casekit import claim, place, source, write_case

    from analysis.export import export_case

    region = place("enclave") | {"kind": "region", "lat": "", "lon": "", "geo_precision": "3"}
    towns = [place(t) | {"within": "enclave"} for t in ("town-a", "town-b")] + [place("camp")]
    movements = [
        {"movement_id": f"mv-{t}", "label_en": t, "label_es": t, "origin_place_id": f"town-{t}", "destination_place_id": "camp"}
        | {"depart_date": f"2018-04-2{i}", "source_ids": "s1"}
        for i, t in enumerate(("a", "b"))
    ]
    claims = [
        claim("C1", "s1", "total", "people", 100),
        claim("C2", "s1", "mv-a", "people", 40),
        claim("C3", "s1", "place:town-a", "residents", 1000),
    ]
    case = write_case(
        tmp_path / "mini",
        {"sources": [source("s1")], "places": [region, *towns], "movements": movements, "claims": claims},
    )
    export_case(case, tmp_path / "out", ["ucdp"])
    table = {r["id"]: r for r in read_rows(tmp_path / "out" / "ucdp" / "figures.csv")}
    # total: both origins lie within the enclave (a region: where_prec 5); movements leave 20 and 21 April -> 2 days
    total = table["total/people"]
    assert (total["where_coordinates"], total["where_prec"], total["date_start"], total["date_end"], total["date_prec"]) == (
        "ENCLAVE",
        "5",
        "2018-04-20",
        "2018-04-21",
        "2",
    )
    # place:town-a is about the town itself: its point, no dates
    town = table["place:town-a/residents"]
    assert (town["where_coordinates"], town["latitude"], town["longitude"], town["date_prec"]) == ("TOWN-A", "1", "2", "")


def test_reconciliation_columns_reach_every_table(tmp_path: Path):
    """The third convoy's buses were only announced ("7 buses prepared", then "12 buses readied": SANA, 23 April):
    an expected figure with no reported low/best/high, its announced range 7-12, in HXL, UCDP, results and GeoJSON."""
    from analysis.export import export_case

    out = tmp_path / "x"
    export_case(CASE_ID, out)
    hxl_figs = hxl_data(out / "hxl" / "figures.csv")
    assert "#meta+originators+num" in hxl_figs.display_tags and "#meta+basis" in hxl_figs.display_tags
    assert "#meta+people_high_open" in hxl_data(out / "hxl" / "movements.csv").display_tags
    ucdp = {r["id"]: r for r in read_rows(out / "ucdp" / "figures.csv")}
    plan = ucdp["mv-convoy-3/buses"]
    assert (plan["best"], plan["low"], plan["high"], plan["figure_basis"], plan["expected_low"], plan["expected_high"]) == (
        "",
        "",
        "",
        "expected",
        "7",
        "12",
    )
    package = json.loads((out / "results" / "datapackage.json").read_text(encoding="utf-8"))
    fields = {f["name"]: f for f in package["resources"][0]["schema"]["fields"]}
    assert fields["n_originators"]["type"] == "integer" and "originators" in fields["n_originators"]["description"]
    movements = json.loads((out / "geo" / "movements.geojson").read_text(encoding="utf-8"))["features"]
    convoy2 = next(m["properties"] for m in movements if m["properties"]["movement_id"] == "mv-convoy-2")
    assert convoy2["people_high_open"] is True  # "at least 1,200 people" (SOHR)


def test_expected_only_figures_have_no_reported_range_but_their_announced_one(out: Path):
    """A figure only announced (claims.csv basis 'expected', none 'reported') is not reported as happened."""
    numeric = numeric_claims()
    expected_only = {k for k, cs in numeric.items() if all(c["basis"] == "expected" for c in cs)}
    assert expected_only  # e.g. mv-convoy-3 buses: C023, C024, C026 are all readied or expected buses
    ucdp = {(r["subject"], r["quantity"]): r for r in read_rows(out / "ucdp" / "figures.csv")}
    for key in expected_only:
        r = ucdp[key]
        lows = [int(c["value_low"] or c["value_high"]) for c in numeric[key]]
        assert (r["best"], r["low"], r["high"], r["figure_basis"]) == ("", "", "", "expected"), key
        assert int(r["expected_low"]) == min(lows), key
    hxl_figs = hxl_data(out / "hxl" / "figures.csv")
    assert "#meta+originators+num" in hxl_figs.display_tags and "#meta+basis" in hxl_figs.display_tags


@pytest.mark.parametrize("case_dir", [CASE_DIR.parent / c for c in case_ids()], ids=case_ids())
def test_every_actor_type_of_the_case_vocabulary_has_an_hxl_kind(case_dir: Path):
    package = json.loads((case_dir / "datapackage.json").read_text(encoding="utf-8"))
    actors = next(r for r in package["resources"] if r["name"] == "actors")
    field = next(f for f in actors["schema"]["fields"] if f["name"] == "actor_type")
    declared = field["qalamoun:hxl"]
    assert {t: declared.get(t) for t in field["constraints"]["enum"] if declared.get(t) not in {"armed", "agency", "person"}} == {}


def test_an_actor_type_without_hxl_kind_stops_the_export_unless_the_package_declares_it(tmp_path: Path):
    import shutil

    from conftest import write_rows

    folder = tmp_path / "case"
    shutil.copytree(CASE_DIR, folder)
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    actor_type = next(f for r in package["resources"] if r["name"] == "actors" for f in r["schema"]["fields"] if f["name"] == "actor_type")
    actor_type["constraints"]["enum"].append("militia")
    (folder / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    actors = read_rows(folder / "actors.csv")
    actors[row_of(actors, "actor_id", "unidentified-gunmen")]["actor_type"] = "militia"
    write_rows(folder / "actors.csv", actors)
    result = CliRunner().invoke(app, ["export", str(folder), "--to", str(tmp_path / "x"), "--format", "hxl"])
    assert result.exit_code == 2 and "actor_type 'militia' has no HXL kind" in result.output
    assert not (tmp_path / "x").exists()
    # declared in the data package (every type the case uses): militia is an armed group
    armed = ("militia", "state force", "foreign state", "rebel group", "rebel coalition", "jihadist group")
    agencies = ("government", "intelligence", "media", "committee", "humanitarian organisation")
    actor_type["qalamoun:hxl"] = {t: "armed" for t in armed} | {t: "agency" for t in agencies} | {"person": "person"}
    (folder / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    result = CliRunner().invoke(app, ["export", str(folder), "--to", str(tmp_path / "x"), "--format", "hxl"])
    assert result.exit_code == 0, result.output
    gunmen = hxl_rows(tmp_path / "x" / "hxl" / "actors.csv", "#meta+id")["unidentified-gunmen"]
    assert gunmen.get("#group+name") == "Unidentified gunmen"
