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
from .theme import MARKS, destination_scale, legend, records, tag, title

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


MAP_PX = 560  # width and height of the map (square), legends below
DASHES = ([1, 0], [7, 4], [2, 3], [9, 3, 2, 3], [1, 5], [12, 5])  # a leg's stroke for each stop status, in the vocabulary's order


def _status_scales(case: Case, legs: pd.DataFrame, lang: str) -> tuple[alt.Scale, alt.Scale, list[str]]:
    """Dash and mark of each stop status drawn, by label in ``lang``: dashes in the vocabulary's order, marks from the
    vocabulary (``qalamoun:marks``) or, where it gives none, :data:`theme.MARKS` in its order."""
    from .. import vocab

    kind = shaping.leg_status_kind(case)
    present = [s for s in legs["status"].dropna().unique()]
    try:
        v = vocab.vocabulary(kind)
        order, marks = v.ordered(present), v.marks
    except KeyError:
        order, marks = sorted(present), {}
    labels = [i18n.term(kind, k, lang) for k in order]
    dash = alt.Scale(domain=labels, range=[DASHES[i % len(DASHES)] for i in range(len(order))])
    shape = alt.Scale(domain=labels, range=[marks.get(k, MARKS[i % len(MARKS)]) for i, k in enumerate(order)])
    return dash, shape, labels


def route_map(case: Case, mt: pd.DataFrame, lang: str = "en", basemap: Path | None = None) -> alt.LayerChart:
    """Routes coloured by destination (the same colours as the other charts); hollow points are approximate places.

    A route runs through its stops where the case has a ``legs`` table (each leg drawn with the status of the stop it
    leads to: its own dash, and the status's mark at the stop), else from origin through via to destination.  The
    subtitle names every place the map has no point for and what that costs, every place drawn at the point of a place
    containing it and every stand-in point borrowed from another place; places at one point are one dot, and names of
    places close together one block (:func:`shaping.label_frame`), written inside the frame.
    """
    legs, pts, notes = shaping.route_frame(case, mt, lang)
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
    destinations = [i18n.name(case, "places", p, lang) for p in dict.fromkeys(legs["destination_place_id"].dropna())]
    color = alt.Color(
        "destination:N",
        title=i18n.label("destination", lang),
        scale=destination_scale(case, lang, legs["destination_place_id"]),
        legend=legend(i18n.label("destination", lang), destinations, room=MAP_PX),
    )
    tooltip = [
        alt.Tooltip("movements:N", title=i18n.label("movement", lang)),
        alt.Tooltip("people_text:N", title=i18n.label("people", lang)),
        alt.Tooltip("status_label:N", title=i18n.label("leg_status", lang)),
    ]
    ends = {"longitude": "lon:Q", "latitude": "lat:Q", "longitude2": "lon2:Q", "latitude2": "lat2:Q"}
    cols = ["lon", "lat", "lon2", "lat2", "destination", "movements", "people_text", "status_label"]
    plain = legs[legs["status"].isna()]
    layers = [land]
    if len(plain):
        layers.append(
            alt.Chart(records(plain[cols]))
            .mark_rule(strokeWidth=2.5, opacity=0.75)
            .encode(**ends, color=color, tooltip=tooltip)
            .project(**proj)
        )
    marked = legs[legs["status"].notna()]
    if len(marked):
        dash, shape, labels = _status_scales(case, marked, lang)
        status_legend = legend(i18n.label("leg_status", lang), labels, room=MAP_PX)
        layers.append(
            alt.Chart(records(marked[cols]))
            .mark_rule(strokeWidth=2.5, opacity=0.8)
            .encode(
                **ends,
                color=color,
                strokeDash=alt.StrokeDash("status_label:N", scale=dash, legend=status_legend, title=i18n.label("leg_status", lang)),
                tooltip=tooltip,
            )
            .project(**proj)
        )
        layers.append(
            alt.Chart(records(marked[cols]))
            .mark_point(size=170, strokeWidth=1.5, color="#222", filled=False)
            .encode(
                longitude="lon2:Q",
                latitude="lat2:Q",
                shape=alt.Shape("status_label:N", scale=shape, legend=status_legend, title=i18n.label("leg_status", lang)),
                tooltip=tooltip,
            )
            .project(**proj)
        )
    dots_at = shaping.dot_frame(pts)
    points = records(dots_at.assign(precision=[i18n.label("approx_place", lang) if a else "" for a in dots_at["approx"]]))
    layers.append(
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
    names = shaping.place_map_labels(shaping.label_frame(pts, lang), pts, MAP_PX, MAP_PX)
    for (align, baseline), block in names.groupby(["align", "baseline"], sort=True):
        layers.append(
            alt.Chart(records(block[["lon", "lat", "name"]]))
            .mark_text(
                align=align,
                baseline=baseline,
                dx=6 if align == "left" else -6,
                dy=-9 if baseline == "top" else 9,
                fontSize=10,
                color="#222",
                lineBreak="\n",
            )
            .encode(longitude="lon:Q", latitude="lat:Q", text="name:N")
            .project(**proj)
        )
    subtitle = [*notes, i18n.label("approx_place", lang).capitalize() + ". " + i18n.label("map_credit", lang)]
    chart = alt.layer(*layers, title=title("map", lang, subtitle)).properties(width=MAP_PX, height=MAP_PX)
    drawn = int(legs.drop_duplicates("route")["n"].sum()) if len(legs) else 0
    return tag(chart, lang, i18n.label("alt_map", lang, movements=i18n.label("n_movements", lang, n=drawn)))
