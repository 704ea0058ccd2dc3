"""GeoJSON (RFC 7946): places as points, movements as lines.

``places.geojson``: one Point per place with coordinates, ``[lon, lat]`` as RFC 7946
orders them, with ``geo_precision`` (1 the town, 2 near it, 3 a region or a
stand-in point).  ``movements.geojson``: one LineString per movement from its
origin to its destination (through its ``via`` place where that has a point), with
people, fighters, civilians and buses low / best / high, dates and sources.

Places without coordinates, and movements whose origin or destination has none,
are not drawn; ``metadata.json`` lists them with the reason.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from ._io import json_value, split, write_json
from .formats import Context

COUNTS = ("people", "fighters", "civilians", "buses")
SCENARIOS = ("low", "best", "high")


def point(place: dict[str, Any] | None) -> list[float] | None:
    """``[lon, lat]`` of a place, or None where it has no coordinates."""
    if place is None or pd.isna(place.get("lat")) or pd.isna(place.get("lon")):
        return None
    return [float(place["lon"]), float(place["lat"])]


def _places(ctx: Context) -> tuple[dict[str, Any], list[str]]:
    features, missing = [], []
    for p in ctx.case.places.sort_values("place_id").to_dict("records"):
        xy = point(p)
        if xy is None:
            missing.append(str(p["place_id"]))
            continue
        keys = ("place_id", "name_en", "name_es", "kind", "within", "geo_precision", "note")
        props = {k: json_value(p[k]) for k in keys if k in p}
        props["source_ids"] = split(p["source_ids"])
        features.append({"type": "Feature", "id": p["place_id"], "geometry": {"type": "Point", "coordinates": xy}, "properties": props})
    return {"type": "FeatureCollection", "features": features}, missing


def _movement_props(m: dict[str, Any], source_ids: list[str]) -> dict[str, Any]:
    props = {k: json_value(m[k]) for k in ("movement_id", "label_en", "label_es", "origin_place_id", "destination_place_id")}
    props["via_place_id"] = json_value(m["via_place_id"])
    props["depart_date"] = json_value(m["depart_date"])
    props["arrive_date"] = json_value(m["arrive_date"])
    for q in COUNTS:
        props.update({f"{q}_{s}": json_value(m[f"{q}_{s}"]) for s in SCENARIOS})
        extra = (f"{q}_high_open", f"{q}_expected_low", f"{q}_expected_high")
        props.update({c: json_value(m[c]) for c in extra if c in m})
    props["people_basis"] = json_value(m["people_basis"])
    props["actor_ids"] = split(m["actor_ids"])
    props["source_ids"] = source_ids
    return props


def _movements(ctx: Context) -> tuple[dict[str, Any], list[dict[str, str]]]:
    places = ctx.rows("places", "place_id")
    sources = ctx.rows("movements", "movement_id")
    features, missing = [], []
    for m in ctx.rec.movements.sort_values("movement_id").to_dict("records"):
        ends = {"origin": m["origin_place_id"], "destination": m["destination_place_id"]}
        lacking = [f"{end} {pid} has no coordinates" for end, pid in ends.items() if point(places.get(str(pid))) is None]
        if lacking:
            missing.append({"movement_id": str(m["movement_id"]), "reason": "; ".join(lacking)})
            continue
        line = [point(places[str(m["origin_place_id"])])]
        via = point(places.get(str(m["via_place_id"])))
        if via is not None:
            line.append(via)
        line.append(point(places[str(m["destination_place_id"])]))
        props = _movement_props(m, split(sources[m["movement_id"]]["source_ids"]))
        geometry = {"type": "LineString", "coordinates": line}
        features.append({"type": "Feature", "id": m["movement_id"], "geometry": geometry, "properties": props})
    return {"type": "FeatureCollection", "features": features}, missing


def write(ctx: Context, folder: Path) -> list[str]:
    """Write ``places.geojson`` and ``movements.geojson`` into ``folder``."""
    places, unplaced = _places(ctx)
    movements, undrawn = _movements(ctx)
    write_json(folder / "places.geojson", places)
    write_json(folder / "movements.geojson", movements)
    ctx.note("geojson", "places_without_coordinates", unplaced)
    ctx.note("geojson", "movements_not_drawn", undrawn)
    return [f"{folder.name}/places.geojson", f"{folder.name}/movements.geojson"]
