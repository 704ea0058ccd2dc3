"""Build small hand-made cases in a temporary folder, with the schema of the cases of data/ (synth.template_package)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import CASE_DIR, read_rows, write_rows

from analysis.cases import load_case
from analysis.synth import template_package


def headers() -> dict[str, list[str]]:
    return {r["name"]: [f["name"] for f in r["schema"]["fields"]] for r in template_package()["resources"]}


def write_case(folder: Path, tables: dict[str, list[dict[str, str]]]):
    """Write a case whose tables hold ``tables`` (missing cells empty) and load it."""
    folder.mkdir(parents=True, exist_ok=True)
    if "originators" not in tables:  # every originator the claims name, an outlet of no side unless given
        used = sorted({c["originator_id"] for c in tables.get("claims", [])})
        tables = {**tables, "originators": [originator(o) for o in used]}
    package = template_package()
    package["name"] = folder.name
    package["title"] = package["description"] = f"Test case {folder.name}"
    (folder / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    cols = headers()
    for t in cols:  # every resource of the package: the core tables and any other (agreements, provisions)
        rows = [{c: str(r.get(c, "")) for c in cols[t]} for r in tables.get(t, [])]
        if rows:
            write_rows(folder / f"{t}.csv", rows, cols[t])
        else:
            (folder / f"{t}.csv").write_text(",".join(cols[t]) + "\n", encoding="utf-8")
    return load_case(folder)


def originator(oid: str, kind: str = "outlet", side: str = "unknown") -> dict[str, str]:
    """An originator row (an outlet of no side unless given)."""
    return {"originator_id": oid, "name_en": oid.upper(), "name_es": oid.upper(), "kind": kind, "side": side}


def source(sid: str) -> dict[str, str]:
    return {"source_id": sid, "kind": "news outlet", "title": sid, "leaning": "unknown"}


def place(pid: str, within: str = "") -> dict[str, str]:
    return {
        "place_id": pid,
        "within": within,
        "name_en": pid.upper(),
        "name_es": pid.upper(),
        "kind": "town",
        "lat": "1.0",
        "lon": "2.0",
        "geo_precision": "1",
        "source_ids": "s1",
    }


def claim(
    cid: str,
    src: str,
    subject: str,
    quantity: str,
    low: int | None,
    high: int | None = None,
    qualifier: str = "exact",
    coverage: str = "whole",
    basis: str = "reported",
    text: str = "",
    who: str | None = None,
    as_of: str = "",
    fate: str = "",
) -> dict[str, str]:
    """A claim row: ``who`` is its originator (``originator_id``, default: the document ``src``)."""
    if high is None and qualifier in ("exact", "about"):
        high = low
    return {
        "claim_id": cid,
        "source_id": src,
        "originator_id": who or src,
        "subject": subject,
        "quantity": quantity,
        "value_low": "" if low is None else str(low),
        "value_high": "" if high is None else str(high),
        "qualifier": qualifier,
        "basis": basis,
        "coverage": coverage,
        "fate": fate,
        "value_text": text,
        "as_of": as_of,
        "summary_en": cid,
    }


def actor(aid: str, side: str = "rebel", name_en: str = "", name_es: str = "") -> dict[str, str]:
    """An actor row (a rebel group on ``side``), cited to s1; its names default to its id in capitals."""
    return {
        "actor_id": aid,
        "name_en": name_en or aid.upper(),
        "name_es": name_es or aid.upper(),
        "actor_type": "rebel group",
        "side": side,
        "source_ids": "s1",
    }


def event(eid: str, day: str, phase: str = "negotiation", event_type: str = "agreement") -> dict[str, str]:
    """An event row on one day at place x, cited to s1."""
    return {
        "event_id": eid,
        "date_start": day,
        "date_end": day,
        "date_precision": "day",
        "phase": phase,
        "event_type": event_type,
        "place_id": "x",
        "summary_en": eid,
        "summary_es": eid,
        "source_ids": "s1",
    }


def movement(mid: str, origin: str = "x", destination: str = "y", depart: str = "", arrive: str = "") -> dict[str, str]:
    return {
        "movement_id": mid,
        "label_en": mid,
        "label_es": mid,
        "origin_place_id": origin,
        "destination_place_id": destination,
        "depart_date": depart,
        "arrive_date": arrive,
        "source_ids": "s1",
    }


def claims_case(folder: Path, claims: list[dict[str, str]], movements=None, places=None, sources=None, events=None, originators=None):
    """A case holding ``claims``: every source they cite (and s1), places x, y and z, movement mv-a, unless given."""
    ids = sorted({c["source_id"] for c in claims} | {"s1"})
    tables = {
        "sources": sources or [source(s) for s in ids],
        "places": places or [place("x"), place("y"), place("z")],
        "movements": movements if movements is not None else [movement("mv-a")],
        "claims": claims,
    }
    if events is not None:
        tables["events"] = events
    if originators is not None:
        tables["originators"] = originators
    return write_case(folder, tables)


def relation(rid: str, a: str, b: str, kind: str, sign: int, ev: str = "", day: str = "", directed: bool = False) -> dict[str, str]:
    """A relations row of ``kind`` from ``a`` to ``b`` on ``day`` (empty: undated), cited to s1."""
    return {
        "relation_id": rid,
        "source_actor": a,
        "target_actor": b,
        "relation": kind,
        "sign": str(sign),
        "directed": "true" if directed else "false",
        "date_start": day,
        "date_end": day,
        "event_id": ev,
        "source_ids": "s1",
    }


def curated_without_point(folder: Path, place_id: str):
    """A copy of the curated case in ``folder`` whose place ``place_id`` has no point and lies in no place, loaded."""
    shutil.copytree(CASE_DIR, folder)
    places = read_rows(folder / "places.csv")
    for p in places:
        if p["place_id"] == place_id:
            p.update(lat="", lon="", within="", geo_precision="3")
    write_rows(folder / "places.csv", places)
    return load_case(folder)
