"""Extract Syria and its neighbours from Natural Earth (via the npm package world-atlas) into a small GeoJSON.

Run once by a maintainer; the output, data/basemap/syria-region.geojson, is committed, so nothing is
fetched at run time:

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python tools/extract_basemap.py package/countries-50m.json data/basemap/syria-region.geojson

Natural Earth is in the public domain; world-atlas (ISC licence, Mike Bostock) converts it to TopoJSON.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

COUNTRIES = {"Syria", "Lebanon", "Turkey", "Iraq", "Jordan", "Israel", "Palestine", "Cyprus", "Saudi Arabia", "Egypt", "Iran"}
BBOX = (33.0, 30.0, 44.0, 39.0)  # lon_min, lat_min, lon_max, lat_max kept (with a margin) to keep the file small
DECIMALS = 2


def decode_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)
    return arcs


def ring(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> list[list[float]]:
    pts: list[tuple[float, float]] = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        pts.extend(arc if not pts else arc[1:])
    out: list[list[float]] = []
    for lon, lat in pts:
        p = [round(lon, DECIMALS), round(lat, DECIMALS)]
        if not out or out[-1] != p:
            out.append(p)
    if out and out[0] != out[-1]:
        out.append(out[0])
    return out


def near(poly: list[list[list[float]]]) -> bool:
    lons = [p[0] for p in poly[0]]
    lats = [p[1] for p in poly[0]]
    return max(lons) >= BBOX[0] and min(lons) <= BBOX[2] and max(lats) >= BBOX[1] and min(lats) <= BBOX[3]


def main(src: str, dst: str) -> None:
    topo = json.loads(Path(src).read_text())
    arcs = decode_arcs(topo)
    features = []
    for geom in topo["objects"]["countries"]["geometries"]:
        name = geom.get("properties", {}).get("name")
        if name not in COUNTRIES:
            continue
        polys = [geom["arcs"]] if geom["type"] == "Polygon" else geom["arcs"]
        coords = [[ring(r, arcs) for r in poly] for poly in polys]
        coords = [p for p in coords if len(p[0]) >= 4 and near(p)]
        if coords:
            features.append({"type": "Feature", "properties": {"name": name}, "geometry": {"type": "MultiPolygon", "coordinates": coords}})
    features.sort(key=lambda f: f["properties"]["name"])
    out = {
        "type": "FeatureCollection",
        "attribution": "Made with Natural Earth (public domain), via world-atlas 2.0.2 countries-50m",
        "features": features,
    }
    Path(dst).write_text(json.dumps(out, separators=(",", ":")) + "\n")
    print(f"{dst}: {len(features)} countries, {Path(dst).stat().st_size:,} bytes")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
