"""The map: routes from origin to destination over an offline basemap, saying what it cannot draw."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import altair as alt
import pandas as pd

from .. import i18n
from . import shaping
from .theme import destination_scale, records, tag, title

if TYPE_CHECKING:  # pragma: no cover
    from ..cases import Case


@lru_cache(maxsize=4)  # a warm kernel reads each run's copy from a new folder: keep a few, not all
def _basemap(path: str) -> dict[str, Any]:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def basemap_path() -> Path:
    """The committed basemap (Natural Earth outlines of Syria and its neighbours)."""
    from ..cases import data_dir

    return data_dir() / "basemap" / "syria-region.geojson"


def _frame(pts: pd.DataFrame) -> dict[str, Any]:
    """A MultiPoint at the corners of the area drawn (:func:`shaping.map_extent`), to fit the projection to."""
    west, south, east, north = shaping.map_extent(pts)
    return {"type": "Feature", "properties": {}, "geometry": {"type": "MultiPoint", "coordinates": [[west, south], [east, north]]}}


def route_map(case: Case, mt: pd.DataFrame, lang: str = "en", basemap: Path | None = None) -> alt.LayerChart:
    """Routes coloured by destination (the same colours as the other charts); hollow points are approximate places.

    The subtitle names every movement the map cannot draw, every place drawn at the point of a place containing it and
    every stand-in point borrowed from another place; places at one point are one dot, and names of places close
    together one block (:func:`shaping.label_frame`).
    """
    routes, pts, notes = shaping.route_frame(case, mt, lang)
    geo = _basemap(str(basemap or basemap_path()))
    proj = {"type": "mercator", "fit": _frame(pts)}
    land = (
        alt.Chart(alt.Data(values=geo["features"]))
        .mark_geoshape(stroke="#b8b0a0", strokeWidth=0.7, clip=True)
        .encode(
            fill=alt.condition("datum.properties.name == 'Syria'", alt.value("#ebe3cf"), alt.value("#f6f3ec")),
            tooltip=alt.Tooltip("properties.name:N", title=""),
        )
        .project(**proj)
    )
    lines = (
        alt.Chart(records(routes))
        .mark_rule(strokeWidth=2.5, opacity=0.75)
        .encode(
            longitude="lon:Q",
            latitude="lat:Q",
            longitude2="lon2:Q",
            latitude2="lat2:Q",
            color=alt.Color(
                "destination:N", title=i18n.label("destination", lang), scale=destination_scale(case, lang, routes["destination_place_id"])
            ),
            tooltip=[
                alt.Tooltip("movements:N", title=i18n.label("movement", lang)),
                alt.Tooltip("people_text:N", title=i18n.label("people", lang)),
            ],
        )
        .project(**proj)
    )
    dots_at = shaping.dot_frame(pts)
    points = records(dots_at.assign(precision=[i18n.label("approx_place", lang) if a else "" for a in dots_at["approx"]]))
    dots = (
        alt.Chart(points)
        .mark_point(size=45, strokeWidth=1.5, color="#222")
        .encode(
            longitude="lon:Q",
            latitude="lat:Q",
            fill=alt.condition("datum.approx", alt.value("white"), alt.value("#222")),
            tooltip=[alt.Tooltip("name:N", title=""), alt.Tooltip("precision:N", title="")],
        )
        .project(**proj)
    )
    names = (
        alt.Chart(records(shaping.label_frame(pts, lang)))
        .mark_text(align="left", baseline="top", dx=6, dy=-9, fontSize=10, color="#222", lineBreak="\n")
        .encode(longitude="lon:Q", latitude="lat:Q", text="name:N")
        .project(**proj)
    )
    subtitle = [*notes, i18n.label("approx_place", lang).capitalize() + ". " + i18n.label("map_credit", lang)]
    chart = alt.layer(land, lines, dots, names, title=title("map", lang, subtitle)).properties(width=520, height=520)
    return tag(chart, lang)
