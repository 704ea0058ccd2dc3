"""Every chart of the package: Altair, one theme, titles and labels in English or Spanish.

Charts take tables produced by :mod:`analysis.flows` and :mod:`analysis.network`
(already aggregated: a chart never carries more rows than it draws) and return
Altair charts.  :func:`use_renderer` picks static SVG (for stored notebooks and
reports: renders on GitHub and offline) or interactive inline HTML (JupyterLab,
offline too); nothing loads from a CDN.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import altair as alt
import pandas as pd

if TYPE_CHECKING:  # pragma: no cover
    from .cases import Case

FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"
PHASE_COLORS = {
    "background": "#9e9e9e",
    "escalation": "#d95f02",
    "negotiation": "#7570b3",
    "surrender": "#e7298a",
    "evacuation": "#1b9e77",
    "aftermath": "#66a61e",
}
SIGN_COLORS = {"-1": "#c0392b", "0": "#95a5a6", "1": "#2471a3"}
SIDE_COLORS = {"government": "#c0392b", "rebel": "#1e8449", "other": "#7d3c98", "unknown": "#7f8c8d"}
BAND_COLOR = "#a6cee3"
# Charts pre-aggregate: they never carry more marks than a reader can see (and a stored notebook stays small).
MAX_EVENTS = 150  # above this, the timeline shows counts per phase and per day
MAX_MOVEMENTS = 40  # the Gantt chart shows the largest movements
MAX_DESTINATIONS = 15  # the rest are summed as "other"
MAX_ROUTES = 40  # origin-destination pairs on the map
MAX_SUBJECTS = 30  # subjects in the claims dot plot
MAX_CLAIM_POINTS = 300  # claims drawn in the dot plot (whole subjects are kept or left out)
LINE_COLOR = "#1f4e79"

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "timeline": "What happened, phase by phase",
        "timeline_detail": "April 2018, day by day",
        "date": "Date",
        "phase": "Phase",
        "event_type": "Event",
        "summary": "Summary",
        "sources": "Sources",
        "gantt": "Convoys: departure to arrival",
        "movement": "Movement",
        "destination": "Destination",
        "origin": "Origin",
        "depart": "Departure",
        "arrive": "Arrival",
        "people": "People",
        "buses": "Buses",
        "fighters": "Fighters",
        "civilians": "Civilians",
        "people_range": "People (low-high)",
        "buses_range": "Buses (low-high)",
        "basis": "People figure",
        "cumulative": "Evacuees over time (cumulative, low-high band)",
        "cumulative_people": "People who had left",
        "by_destination": "People by destination",
        "map": "Routes out of Eastern Qalamoun",
        "claims": "What each source claimed",
        "value": "Figure claimed",
        "subject": "Subject",
        "quantity": "Quantity",
        "claimed_by": "Claimed by",
        "claim": "Claim",
        "reconciled": "Reconciled low-high",
        "network": "Who dealt with whom",
        "adjacency": "Ties between actors (sum of signs)",
        "centrality": "Betweenness centrality",
        "relations_time": "Relations over time",
        "actor": "Actor",
        "target": "Target",
        "relation": "Relation",
        "sign": "Sign",
        "ties": "Ties",
        "side": "Side",
        "actor_type": "Type",
        "betweenness": "Betweenness",
        "count": "Relations",
        "scenario": "scenario",
        "low": "low",
        "best": "best",
        "high": "high",
        "claimed": "claimed",
        "derived": "fighters + civilians",
        "imputed": "imputed from buses",
        "unknown": "unknown",
        "reported": "reported",
        "expected": "expected",
    },
    "es": {
        "timeline": "Qué pasó, fase por fase",
        "timeline_detail": "Abril de 2018, día a día",
        "date": "Fecha",
        "phase": "Fase",
        "event_type": "Hecho",
        "summary": "Resumen",
        "sources": "Fuentes",
        "gantt": "Convoyes: de la salida a la llegada",
        "movement": "Movimiento",
        "destination": "Destino",
        "origin": "Origen",
        "depart": "Salida",
        "arrive": "Llegada",
        "people": "Personas",
        "buses": "Autobuses",
        "fighters": "Combatientes",
        "civilians": "Civiles",
        "people_range": "Personas (mín.-máx.)",
        "buses_range": "Autobuses (mín.-máx.)",
        "basis": "Cifra de personas",
        "cumulative": "Evacuados en el tiempo (acumulado, banda mín.-máx.)",
        "cumulative_people": "Personas que habían salido",
        "by_destination": "Personas por destino",
        "map": "Rutas de salida del Qalamoun oriental",
        "claims": "Qué afirmó cada fuente",
        "value": "Cifra afirmada",
        "subject": "Objeto",
        "quantity": "Magnitud",
        "claimed_by": "Afirmado por",
        "claim": "Afirmación",
        "reconciled": "Rango conciliado",
        "network": "Quién trató con quién",
        "adjacency": "Vínculos entre actores (suma de signos)",
        "centrality": "Centralidad de intermediación",
        "relations_time": "Relaciones en el tiempo",
        "actor": "Actor",
        "target": "Destinatario",
        "relation": "Relación",
        "sign": "Signo",
        "ties": "Vínculos",
        "side": "Bando",
        "actor_type": "Tipo",
        "betweenness": "Intermediación",
        "count": "Relaciones",
        "scenario": "escenario",
        "low": "mínimo",
        "best": "central",
        "high": "máximo",
        "claimed": "afirmada",
        "derived": "combatientes + civiles",
        "imputed": "imputada por autobuses",
        "unknown": "desconocida",
        "reported": "informada",
        "expected": "prevista",
    },
}

PHASE_NAMES = {
    "en": {p: p for p in PHASE_COLORS},
    "es": {
        "background": "antecedentes",
        "escalation": "escalada",
        "negotiation": "negociación",
        "surrender": "rendición",
        "evacuation": "evacuación",
        "aftermath": "después",
    },
}


VOCAB_ES = {
    # sides
    "government": "gobierno", "rebel": "rebeldes", "other": "otro", "unknown": "desconocido",
    # actor types
    "state force": "fuerza estatal", "intelligence": "inteligencia", "foreign state": "Estado extranjero",
    "media": "medio", "rebel group": "grupo rebelde", "rebel coalition": "coalición rebelde",
    "jihadist group": "grupo yihadista", "committee": "comité", "person": "persona", "unidentified": "no identificado",
}  # fmt: skip


def term(value: str, lang: str = "en") -> str:
    """A vocabulary value (side, actor type) in ``lang``; unknown values are shown as they are."""
    return VOCAB_ES.get(value, value) if lang == "es" else value


def label(key: str, lang: str = "en") -> str:
    """A chart label in ``lang``; a KeyError names the missing key."""
    if lang not in LABELS:
        raise ValueError(f"lang must be 'en' or 'es', not {lang!r}")
    return LABELS[lang][key]


def _theme() -> dict[str, Any]:
    return {
        "config": {
            "font": FONT,
            "view": {"stroke": None, "continuousWidth": 560, "continuousHeight": 300},
            "title": {"anchor": "start", "fontSize": 15, "fontWeight": 600, "color": "#222", "subtitleColor": "#555"},
            "axis": {
                "labelFontSize": 11,
                "titleFontSize": 12,
                "gridColor": "#eee",
                "domainColor": "#888",
                "tickColor": "#888",
                "titleFontWeight": 500,
            },
            "legend": {"labelFontSize": 11, "titleFontSize": 12, "orient": "right"},
            "header": {"labelFontSize": 12, "titleFontSize": 12},
            "range": {
                "category": [
                    "#1f77b4",
                    "#d95f02",
                    "#1b9e77",
                    "#7570b3",
                    "#e7298a",
                    "#66a61e",
                    "#e6ab02",
                    "#a6761d",
                    "#666666",
                    "#17becf",
                ]
            },
        }
    }


alt.theme.register("qalamoun", enable=True)(_theme)


def use_renderer(interactive: bool = False) -> str:
    """Static SVG (default: stored notebooks and reports) or interactive inline HTML (no CDN)."""
    alt.theme.enable("qalamoun")
    if interactive:
        alt.renderers.enable("html", template="inline")
        return "html-inline"
    alt.renderers.enable("svg")
    return "svg"


def _sign_scale() -> alt.Scale:
    """Red for hostile, grey for neutral, blue for cooperative ties."""
    return alt.Scale(domain=["−1", "0", "+1"], range=[SIGN_COLORS["-1"], SIGN_COLORS["0"], SIGN_COLORS["1"]])


def _phase_scale(order: list[str]) -> alt.Scale:
    """One colour per phase, in phase order (``order`` holds the phase names in the chart's language)."""
    return alt.Scale(domain=order, range=list(PHASE_COLORS.values()))


def _title(key: str, lang: str, subtitle: str | None = None) -> alt.TitleParams:
    return alt.TitleParams(label(key, lang), subtitle=subtitle or "")


def _records(df: pd.DataFrame) -> pd.DataFrame:
    """A copy safe for Vega-Lite: dates as ISO strings, NA as None, stable order."""
    out = df.copy()
    for col in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = out[col].dt.strftime("%Y-%m-%d").astype(object).where(out[col].notna(), None)
        elif isinstance(out[col].dtype, pd.CategoricalDtype):
            out[col] = out[col].astype(str)
        elif pd.api.types.is_extension_array_dtype(out[col].dtype):
            out[col] = out[col].astype(object).where(out[col].notna(), None)
    return out.reset_index(drop=True)


# ---------------------------------------------------------------------------
# Timeline and flows


def timeline(case: Case, events: pd.DataFrame | None = None, lang: str = "en") -> alt.VConcatChart:
    """Events by phase: the whole record, then April 2018 day by day (hover for the summary)."""
    ev = case.events if events is None else events
    if len(ev) > MAX_EVENTS:
        return _timeline_counts(ev, lang)
    phases = PHASE_NAMES[lang]
    df = ev.assign(
        phase_label=ev["phase"].astype(str).map(phases),
        summary=ev[f"summary_{lang}"],
        end_plus=ev["date_end"] + pd.Timedelta(days=1),
        event=ev["event_type"].astype(str).str.replace("_", " "),
    )[
        [
            "event_id",
            "date_start",
            "date_end",
            "end_plus",
            "phase",
            "phase_label",
            "event",
            "summary",
            "source_ids",
            "date_precision",
        ]
    ]
    df = _records(df.sort_values(["date_start", "event_id"]))
    order = [phases[p] for p in PHASE_COLORS]
    color = alt.Color("phase_label:N", title=label("phase", lang), scale=_phase_scale(order), sort=order)
    tooltip = [
        alt.Tooltip("date_start:N", title=label("date", lang)),
        alt.Tooltip("event:N", title=label("event_type", lang)),
        alt.Tooltip("summary:N", title=label("summary", lang)),
        alt.Tooltip("source_ids:N", title=label("sources", lang)),
    ]
    y = alt.Y("phase_label:N", title=None, sort=order, scale=alt.Scale(domain=order))
    overview = (
        alt.Chart(df, title=_title("timeline", lang))
        .mark_bar(height=14, cornerRadius=2, opacity=0.85)
        .encode(x=alt.X("date_start:T", title=None, axis=alt.Axis(format="%Y-%m")), x2="end_plus:T", y=y, color=color, tooltip=tooltip)
        .properties(width=620, height=150)
    )
    days = df[df["date_precision"].isin(["day", "range"]) & (df["date_start"] >= "2018-01-01")]
    detail = (
        alt.Chart(days, title=_title("timeline_detail", lang))
        .mark_circle(size=90, opacity=0.9)
        .encode(
            x=alt.X("date_start:T", title=label("date", lang), axis=alt.Axis(format="%d %b", labelAngle=0)),
            y=y,
            color=alt.Color("phase_label:N", legend=None, scale=_phase_scale(order)),
            tooltip=tooltip,
        )
        .properties(width=620, height=170)
    )
    return alt.vconcat(overview, detail).resolve_scale(color="independent")


def _timeline_counts(ev: pd.DataFrame, lang: str) -> alt.VConcatChart:
    """The timeline for many events: each phase's span, and events per day and phase."""
    phases = PHASE_NAMES[lang]
    order = [phases[p] for p in PHASE_COLORS]
    color = alt.Color("phase_label:N", title=label("phase", lang), sort=order, scale=_phase_scale(order))
    y = alt.Y("phase_label:N", title=None, sort=order, scale=alt.Scale(domain=order))
    span = ev.groupby("phase", observed=True).agg(start=("date_start", "min"), end=("date_end", "max"), n=("event_id", "size"))
    span = span.reset_index().assign(
        phase_label=lambda d: d["phase"].astype(str).map(phases), end=lambda d: d["end"] + pd.Timedelta(days=1)
    )
    overview = (
        alt.Chart(_records(span), title=_title("timeline", lang, f"{len(ev):,} events"))
        .mark_bar(height=14)
        .encode(
            x=alt.X("start:T", title=None),
            x2="end:T",
            y=y,
            color=color,
            tooltip=[alt.Tooltip("phase_label:N", title=label("phase", lang)), alt.Tooltip("n:Q", title="n")],
        )
        .properties(width=620, height=150)
    )
    daily = ev.groupby([ev["date_start"].dt.floor("D"), "phase"], observed=True).size().rename("n").reset_index()
    daily = daily.assign(phase_label=daily["phase"].astype(str).map(phases))
    detail = (
        alt.Chart(_records(daily), title=_title("timeline_detail", lang))
        .mark_circle(opacity=0.85)
        .encode(
            x=alt.X("date_start:T", title=label("date", lang)),
            y=y,
            size=alt.Size("n:Q", title="n"),
            color=alt.Color("phase_label:N", legend=None, scale=_phase_scale(order)),
            tooltip=[alt.Tooltip("date_start:T", format="%Y-%m-%d"), alt.Tooltip("n:Q", title="n")],
        )
        .properties(width=620, height=170)
    )
    return alt.vconcat(overview, detail).resolve_scale(color="independent")


def largest_movements(mt: pd.DataFrame, k: int = MAX_MOVEMENTS) -> pd.DataFrame:
    """The ``k`` movements with most people (best figure), in timeline order; all of them if there are fewer."""
    if len(mt) <= k:
        return mt
    top = mt.assign(_p=mt["people_best"].fillna(-1)).sort_values(["_p", "movement_id"], ascending=[False, True]).head(k)
    return top.drop(columns="_p").sort_values(["timeline_date", "movement_id"], na_position="last")


def _movement_frame(case: Case, mt: pd.DataFrame, lang: str) -> pd.DataFrame:
    places = case.places.set_index("place_id")[f"name_{lang}"]
    basis = {k: label(k, lang) for k in ("claimed", "derived", "imputed", "unknown")}
    df = mt.assign(
        movement=mt[f"label_{lang}"],
        origin=mt["origin_place_id"].map(places),
        destination=mt["destination_place_id"].map(places),
        basis=mt["people_basis"].map(basis),
        people_range=_range_text(mt, "people"),
        buses_range=_range_text(mt, "buses"),
    )
    return df


def _range_text(mt: pd.DataFrame, q: str) -> list[str]:
    """'best (low-high)' for quantity ``q`` of each movement, '?' where there is no figure."""
    return [
        "?" if pd.isna(be) else f"{int(be):,} ({int(lo):,}-{int(hi):,})"
        for lo, be, hi in zip(mt[f"{q}_low"], mt[f"{q}_best"], mt[f"{q}_high"], strict=True)
    ]


def convoy_gantt(case: Case, mt: pd.DataFrame, lang: str = "en") -> alt.LayerChart:
    """Each movement from departure to arrival (the largest ``MAX_MOVEMENTS`` where there are more)."""
    shown = largest_movements(mt)
    subtitle = "" if len(shown) == len(mt) else f"{len(shown)} / {len(mt):,}"
    df = _movement_frame(case, shown, lang)
    df = df.assign(start=df["depart_date"].fillna(df["arrive_date"]), end=df["arrive_date"].fillna(df["depart_date"]))
    df = df.assign(end_plus=df["end"] + pd.Timedelta(days=1))
    df = _records(
        df[
            [
                "movement",
                "origin",
                "destination",
                "depart_date",
                "arrive_date",
                "start",
                "end_plus",
                "people_range",
                "buses_range",
                "basis",
                "timeline_date",
            ]
        ].sort_values("timeline_date")
    )
    order = list(df["movement"])
    tooltip = [
        alt.Tooltip("movement:N", title=label("movement", lang)),
        alt.Tooltip("origin:N", title=label("origin", lang)),
        alt.Tooltip("destination:N", title=label("destination", lang)),
        alt.Tooltip("depart_date:N", title=label("depart", lang)),
        alt.Tooltip("arrive_date:N", title=label("arrive", lang)),
        alt.Tooltip("people_range:N", title=label("people_range", lang)),
        alt.Tooltip("buses_range:N", title=label("buses_range", lang)),
        alt.Tooltip("basis:N", title=label("basis", lang)),
    ]
    base = alt.Chart(df, title=_title("gantt", lang, subtitle)).encode(
        y=alt.Y("movement:N", sort=order, title=None, axis=alt.Axis(labelLimit=320)),
        color=alt.Color("destination:N", title=label("destination", lang)),
        tooltip=tooltip,
    )
    bars = base.mark_bar(height=16, cornerRadius=3).encode(
        x=alt.X("start:T", title=label("date", lang), axis=alt.Axis(format="%d %b", labelAngle=0, tickCount="day")),
        x2="end_plus:T",
    )
    text = base.mark_text(align="left", dx=4, fontSize=10, color="#333").encode(x="end_plus:T", text="people_range:N")
    return (bars + text).properties(width=520, height=34 * max(len(df), 1))


def cumulative_chart(cum: pd.DataFrame, lang: str = "en", scenario: str = "best") -> alt.LayerChart:
    """Cumulative people who had left (all destinations): low-high band, best line, chosen scenario dashed."""
    total = cum.groupby("date")[["people_low", "people_best", "people_high"]].sum().reset_index()
    if len(total):  # one more day, so the last step is drawn
        total = pd.concat([total, total.tail(1).assign(date=total["date"].max() + pd.Timedelta(days=1))], ignore_index=True)
    total["scenario_value"] = total[f"people_{scenario}"]
    df = _records(total)
    subtitle = f"{label('scenario', lang)}: {label(scenario, lang)}"
    base = alt.Chart(df, title=_title("cumulative", lang, subtitle)).encode(
        x=alt.X("date:T", title=label("date", lang), axis=alt.Axis(format="%d %b", labelAngle=0, tickCount="day"))
    )
    tooltip = [
        alt.Tooltip("date:T", format="%Y-%m-%d", title=label("date", lang)),
        alt.Tooltip("people_low:Q", format=",.0f", title=label("low", lang)),
        alt.Tooltip("people_best:Q", format=",.0f", title=label("best", lang)),
        alt.Tooltip("people_high:Q", format=",.0f", title=label("high", lang)),
    ]
    band = base.mark_area(color=BAND_COLOR, opacity=0.5, interpolate="step-after").encode(
        y=alt.Y("people_low:Q", title=label("cumulative_people", lang), axis=alt.Axis(format=",.0f")), y2="people_high:Q"
    )
    line = base.mark_line(color=LINE_COLOR, interpolate="step-after", strokeWidth=2).encode(y="people_best:Q")
    chosen = base.mark_line(color="#d95f02", interpolate="step-after", strokeDash=[5, 3]).encode(y="scenario_value:Q")
    points = base.mark_point(color=LINE_COLOR, size=30, filled=True).encode(y="people_best:Q", tooltip=tooltip)
    return (band + line + chosen + points).properties(width=560, height=260)


def destination_bars(case: Case, mt: pd.DataFrame, lang: str = "en") -> alt.LayerChart:
    """People by destination: best figure split by how it is known, with the low-high range."""
    df = _movement_frame(case, mt, lang)
    totals = df.groupby("destination")["people_best"].sum().sort_values(ascending=False, kind="stable")
    if len(totals) > MAX_DESTINATIONS:
        keep = set(totals.index[:MAX_DESTINATIONS])
        df = df.assign(destination=df["destination"].where(df["destination"].isin(keep), "other" if lang == "en" else "otros"))
    by = df.groupby(["destination", "basis"], as_index=False)[["people_low", "people_best", "people_high"]].sum()
    rng = df.groupby("destination", as_index=False)[["people_low", "people_best", "people_high"]].sum()
    by, rng = _records(by), _records(rng)
    order = list(rng.sort_values("people_best", ascending=False)["destination"])
    bars = (
        alt.Chart(by, title=_title("by_destination", lang))
        .mark_bar()
        .encode(
            y=alt.Y("destination:N", sort=order, title=None),
            x=alt.X("people_best:Q", title=label("people", lang), axis=alt.Axis(format=",.0f")),
            color=alt.Color(
                "basis:N",
                title=label("basis", lang),
                scale=alt.Scale(
                    domain=[label(k, lang) for k in ("claimed", "derived", "imputed")], range=["#1f4e79", "#5b9bd5", "#f4b183"]
                ),
            ),
            tooltip=[
                alt.Tooltip("destination:N", title=label("destination", lang)),
                alt.Tooltip("basis:N", title=label("basis", lang)),
                alt.Tooltip("people_best:Q", format=",.0f", title=label("people", lang)),
            ],
        )
    )
    err = (
        alt.Chart(rng)
        .mark_rule(color="#222", strokeWidth=1.5)
        .encode(
            y=alt.Y("destination:N", sort=order),
            x="people_low:Q",
            x2="people_high:Q",
            tooltip=[
                alt.Tooltip("people_low:Q", format=",.0f", title=label("low", lang)),
                alt.Tooltip("people_high:Q", format=",.0f", title=label("high", lang)),
            ],
        )
    )
    return (bars + err).properties(width=520, height=28 * max(len(order), 1))


@cache
def _basemap(path: str) -> dict[str, Any]:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def basemap_path() -> Path:
    """The committed basemap (Natural Earth outlines of Syria and its neighbours)."""
    from .cases import data_dir

    return data_dir() / "basemap" / "syria-region.geojson"


def route_map(case: Case, mt: pd.DataFrame, lang: str = "en", basemap: Path | None = None) -> alt.LayerChart:
    """Routes from origin to destination over an offline basemap; hollow points are approximate places."""
    places = case.places.set_index("place_id")
    geo = _basemap(str(basemap or basemap_path()))
    df = _movement_frame(case, mt, lang)
    df = df.assign(
        lon=df["origin_place_id"].map(places["lon"]).astype(float),
        lat=df["origin_place_id"].map(places["lat"]).astype(float),
        lon2=df["destination_place_id"].map(places["lon"]).astype(float),
        lat2=df["destination_place_id"].map(places["lat"]).astype(float),
    )
    located = df[df[["lon", "lat", "lon2", "lat2"]].notna().all(axis=1)]
    if len(located) > MAX_ROUTES:  # one rule per origin-destination pair, the busiest pairs only
        keys = ["origin_place_id", "destination_place_id", "origin", "destination", "lon", "lat", "lon2", "lat2"]
        pairs = located.groupby(keys, as_index=False).agg(n=("movement_id", "size"), people=("people_best", "sum"))
        pairs = pairs.sort_values(["people", "origin_place_id", "destination_place_id"], ascending=[False, True, True])
        located = pairs.head(MAX_ROUTES)
        located = located.assign(movement=located["n"].astype(str) + " movements", people_range=located["people"].map("{:,}".format))
        mt = mt[
            mt["origin_place_id"].isin(set(located["origin_place_id"]))
            & mt["destination_place_id"].isin(set(located["destination_place_id"]))
        ]
    routes = _records(located[["movement", "origin", "destination", "lon", "lat", "lon2", "lat2", "people_range"]])
    used = set(mt["origin_place_id"]) | set(mt["destination_place_id"]) | set(mt["via_place_id"].dropna())
    pts = case.places[case.places["place_id"].isin(used) & case.places["lat"].notna()]
    pts = _records(
        pts.assign(name=pts[f"name_{lang}"], approx=pts["geo_precision"] > 1)[
            ["place_id", "name", "lat", "lon", "geo_precision", "approx"]
        ].sort_values("place_id")
    )
    lats = pd.concat([pts["lat"], routes["lat"]]) if len(pts) else pd.Series([33.0, 37.0])
    lons = pd.concat([pts["lon"], routes["lon"]]) if len(pts) else pd.Series([35.5, 39.0])
    # fit the projection to the corners of the area drawn (a MultiPoint has no winding to get wrong)
    frame = {
        "type": "Feature",
        "properties": {},
        "geometry": {
            "type": "MultiPoint",
            "coordinates": [
                [float(lons.min()) - 0.8, float(lats.min()) - 0.6],
                [float(lons.max()) + 0.8, float(lats.max()) + 0.6],
            ],
        },
    }
    proj = {"type": "mercator", "fit": frame}
    countries = alt.Data(values=geo["features"])
    land = (
        alt.Chart(countries, title=_title("map", lang, geo.get("attribution", "")))
        .mark_geoshape(stroke="#b8b0a0", strokeWidth=0.7, clip=True)
        .encode(
            fill=alt.condition("datum.properties.name == 'Syria'", alt.value("#ebe3cf"), alt.value("#f6f3ec")),
            tooltip=alt.Tooltip("properties.name:N", title=""),
        )
        .project(**proj)
    )
    lines = (
        alt.Chart(routes)
        .mark_rule(strokeWidth=2.5, opacity=0.7)
        .encode(
            longitude="lon:Q",
            latitude="lat:Q",
            longitude2="lon2:Q",
            latitude2="lat2:Q",
            color=alt.Color("destination:N", title=label("destination", lang)),
            tooltip=[
                alt.Tooltip("movement:N", title=label("movement", lang)),
                alt.Tooltip("people_range:N", title=label("people_range", lang)),
            ],
        )
        .project(**proj)
    )
    dots = (
        alt.Chart(pts)
        .mark_point(size=45, strokeWidth=1.5, color="#222")
        .encode(
            longitude="lon:Q",
            latitude="lat:Q",
            fill=alt.condition("datum.approx", alt.value("white"), alt.value("#222")),
            tooltip=[alt.Tooltip("name:N", title=""), alt.Tooltip("geo_precision:Q", title="geo_precision")],
        )
        .project(**proj)
    )
    names = (
        alt.Chart(pts)
        .mark_text(align="left", dx=6, dy=-4, fontSize=10, color="#222")
        .encode(longitude="lon:Q", latitude="lat:Q", text="name:N")
        .project(**proj)
    )
    return (land + lines + dots + names).properties(width=520, height=520)


def claims_dotplot(
    case: Case, figs: pd.DataFrame, lang: str = "en", quantities: tuple[str, ...] = ("people", "fighters", "civilians", "buses")
) -> alt.FacetChart:
    """Every numeric claim per subject and quantity, coloured by who made it, over the reconciled range."""
    from .flows import numeric_claims

    c = numeric_claims(case)
    c = c[c["quantity"].isin(quantities)]
    counts = c["subject"].value_counts()
    if len(counts) > MAX_SUBJECTS or len(c) > MAX_CLAIM_POINTS:
        # totals and origins first, then the most-claimed subjects, while the points stay few enough to read
        ranked = sorted(counts.index, key=lambda x: (_subject_sort(x)[0], -int(counts[x]), x))[:MAX_SUBJECTS]
        kept, points = [], 0
        for subject in ranked:
            if kept and points + int(counts[subject]) > MAX_CLAIM_POINTS:
                break
            kept.append(subject)
            points += int(counts[subject])
        c = c[c["subject"].isin(set(kept))]
    f = figs[figs["quantity"].isin(quantities) & figs["subject"].isin(set(c["subject"]))]
    labels = _subject_labels(case, lang)
    claims = _records(
        c.assign(
            subject_label=c["subject"].map(labels).fillna(c["subject"]),
            basis_label=c["basis"].map({"reported": label("reported", lang), "expected": label("expected", lang)}),
            shown=c["point"].astype(float),
            floor=c["is_floor"] | (c["coverage"] == "part"),
        )[
            [
                "claim_id",
                "subject",
                "subject_label",
                "quantity",
                "shown",
                "attributed_to",
                "source_id",
                "basis_label",
                "floor",
                "summary_en",
                "qualifier",
            ]
        ].sort_values(["quantity", "subject", "claim_id"])
    )
    ranges = _records(
        f.assign(subject_label=f["subject"].map(labels).fillna(f["subject"]))[
            ["subject", "subject_label", "quantity", "low", "best", "high", "claim_ids"]
        ]
    )
    order = [labels.get(s, s) for s in sorted(set(claims["subject"]), key=_subject_sort)]
    y = alt.Y("subject_label:N", sort=order, title=None, axis=alt.Axis(labelLimit=260))
    rng = (
        alt.Chart()
        .mark_rule(color="#bbb", strokeWidth=7, opacity=0.6)
        .encode(
            y=y,
            x=alt.X("low:Q", title=label("value", lang), axis=alt.Axis(format=",.0f")),
            x2="high:Q",
            tooltip=[alt.Tooltip("low:Q", format=",.0f"), alt.Tooltip("best:Q", format=",.0f"), alt.Tooltip("high:Q", format=",.0f")],
        )
    )
    best = alt.Chart().mark_tick(color="#333", thickness=2, size=14).encode(y=y, x="best:Q")
    dots = (
        alt.Chart()
        .mark_point(size=60, filled=True, opacity=0.85)
        .encode(
            y=y,
            x="shown:Q",
            color=alt.Color("attributed_to:N", title=label("claimed_by", lang)),
            shape=alt.Shape("basis_label:N", title=""),
            tooltip=[
                alt.Tooltip("claim_id:N", title=label("claim", lang)),
                alt.Tooltip("attributed_to:N", title=label("claimed_by", lang)),
                alt.Tooltip("source_id:N", title=label("sources", lang)),
                alt.Tooltip("qualifier:N"),
                alt.Tooltip("shown:Q", format=",.0f", title=label("value", lang)),
                alt.Tooltip("summary_en:N", title=""),
            ],
        )
    )
    data = pd.concat([claims.assign(layer="claim"), ranges.assign(layer="range")], ignore_index=True)
    data["quantity_label"] = data["quantity"].map(lambda q: label(q, lang))
    data = data.astype(object).where(data.notna(), None)
    layered = alt.layer(
        rng.transform_filter("datum.layer == 'range'"),
        best.transform_filter("datum.layer == 'range'"),
        dots.transform_filter("datum.layer == 'claim'"),
        data=data,
    )
    return (
        layered.properties(width=240, height=alt.Step(16))
        .facet(
            facet=alt.Facet("quantity_label:N", title=None, sort=[label(q, lang) for q in quantities]),
            columns=2,
            title=_title("claims", lang),
        )
        .resolve_scale(x="independent", y="independent")
    )


def _subject_sort(s: str) -> tuple[int, str]:
    return (0 if s == "total" else 1 if s.startswith("from:") else 2 if s.startswith("mv-") else 3, s)


def _subject_labels(case: Case, lang: str) -> dict[str, str]:
    out = {"total": "total" if lang == "en" else "total del enclave"}
    for p in case.places.itertuples():
        out[f"from:{p.place_id}"] = ("from " if lang == "en" else "desde ") + str(getattr(p, f"name_{lang}"))
    for m in case.movements.itertuples():
        out[m.movement_id] = str(getattr(m, f"label_{lang}"))
    for e in case.events.itertuples():
        out[e.event_id] = e.event_id
    return out


# ---------------------------------------------------------------------------
# Network


def _node_frame(g: Any, pos: dict[str, tuple[float, float]], lang: str, metrics: pd.DataFrame | None) -> pd.DataFrame:
    rows = []
    for n, (x, y) in pos.items():
        d = g.nodes[n]
        rows.append(
            {
                "actor_id": n,
                "name": d.get(f"name_{lang}", n),
                "short": _short(d.get(f"name_{lang}", n)),
                "x": x,
                "y": y,
                "side": d.get("side"),
                "side_label": term(str(d.get("side")), lang),
                "actor_type": term(str(d.get("actor_type")), lang),
            }
        )
    df = pd.DataFrame(rows, columns=["actor_id", "name", "short", "x", "y", "side", "side_label", "actor_type"])
    if metrics is not None and len(df):
        df = df.merge(metrics[["actor_id", "degree", "betweenness"]], on="actor_id", how="left")
    else:
        df["degree"], df["betweenness"] = 0, 0.0
    return df.sort_values("actor_id").reset_index(drop=True)


def node_link(
    g: Any,
    pos: dict[str, tuple[float, float]],
    lang: str = "en",
    metrics: pd.DataFrame | None = None,
    title_key: str = "network",
    subtitle: str = "",
) -> alt.LayerChart:
    """Actors placed by a fixed layout; ties coloured by sign, nodes by side and shaped by actor type."""
    from .network import focus, signed_projection

    g = focus(g)
    pos = {n: p for n, p in pos.items() if n in g}
    s = signed_projection(g)
    nodes = _node_frame(g, pos, lang, metrics)
    names = dict(zip(nodes["actor_id"], nodes["name"], strict=True))
    edges = []
    for u, v, d in sorted((min(a, b), max(a, b), d) for a, b, d in s.edges(data=True)):
        if u not in pos or v not in pos:
            continue
        edges.append(
            {
                "u": names[u],
                "v": names[v],
                "x": pos[u][0],
                "y": pos[u][1],
                "x2": pos[v][0],
                "y2": pos[v][1],
                "sign": str(d["sign"]),
                "weight": d["weight"],
                "relations": ", ".join(sorted(set(d["types"]))),
                "sources": ", ".join(sorted(d["sources"] - {""})),
                "ids": ", ".join(d["relations"]),
            }
        )
    edges = pd.DataFrame(edges, columns=["u", "v", "x", "y", "x2", "y2", "sign", "weight", "relations", "ids", "sources"])
    sides = [term(k, lang) for k in SIDE_COLORS if k in set(nodes["side"])]
    side_colors = [SIDE_COLORS[k] for k in SIDE_COLORS if k in set(nodes["side"])]
    axis = alt.Axis(title=None, labels=False, ticks=False, domain=False, grid=False)
    sign_names = {"-1": "−1", "0": "0", "1": "+1"}
    e = (
        alt.Chart(edges.assign(sign_label=edges["sign"].map(sign_names)))
        .mark_rule(opacity=0.75)
        .encode(
            x=alt.X("x:Q", axis=axis, scale=alt.Scale(padding=40, nice=False)),
            y=alt.Y("y:Q", axis=axis, scale=alt.Scale(padding=30, nice=False)),
            x2="x2:Q",
            y2="y2:Q",
            color=alt.Color(
                "sign_label:N",
                title=label("sign", lang),
                scale=_sign_scale(),
            ),
            strokeWidth=alt.StrokeWidth("weight:Q", legend=None, scale=alt.Scale(range=[1.2, 5])),
            tooltip=[
                alt.Tooltip("u:N", title=label("actor", lang)),
                alt.Tooltip("v:N", title=label("target", lang)),
                alt.Tooltip("relations:N", title=label("relation", lang)),
                alt.Tooltip("ids:N", title="id"),
                alt.Tooltip("sources:N", title=label("sources", lang)),
            ],
        )
    )
    n = (
        alt.Chart(nodes)
        .mark_point(filled=True, opacity=0.95, stroke="white", strokeWidth=1)
        .encode(
            x="x:Q",
            y="y:Q",
            color=alt.Color("side_label:N", title=label("side", lang), scale=alt.Scale(domain=sides, range=side_colors)),
            shape=alt.Shape("actor_type:N", title=label("actor_type", lang)),
            size=alt.Size("degree:Q", legend=None, scale=alt.Scale(range=[60, 420])),
            tooltip=[
                alt.Tooltip("name:N", title=label("actor", lang)),
                alt.Tooltip("actor_type:N", title=label("actor_type", lang)),
                alt.Tooltip("degree:Q", title=label("ties", lang)),
                alt.Tooltip("betweenness:Q", format=".3f", title=label("betweenness", lang)),
            ],
        )
    )
    t = alt.Chart(nodes).mark_text(fontSize=10, dy=-12, color="#222").encode(x="x:Q", y="y:Q", text="short:N")
    return (
        alt.layer(e, n, t, title=_title(title_key, lang, subtitle))
        .properties(width=600, height=460)
        .resolve_scale(color="independent", size="independent")
    )


def _short(name: str) -> str:
    """A display name without its parenthesis: 'Russia (Russian armed forces)' -> 'Russia'."""
    return str(name).split(" (")[0]


def adjacency(g: Any, lang: str = "en", order: list[str] | None = None) -> alt.Chart:
    """Actor x actor matrix of the sum of tie signs (both directions), with the relations in the tooltip."""
    from .network import focus, signed_projection

    g = focus(g)
    s = signed_projection(g)
    act = order or sorted(n for n in s if s.degree(n) > 0)
    names = {n: g.nodes[n].get(f"name_{lang}", n) for n in act}
    rows = []
    for u, v, d in sorted((min(a, b), max(a, b), d) for a, b, d in s.edges(data=True)):
        if u in names and v in names:
            for a, b in ((u, v), (v, u)):
                rows.append(
                    {
                        "a": names[a],
                        "b": names[b],
                        "sign_sum": d["sign_sum"],
                        "weight": d["weight"],
                        "relations": ", ".join(sorted(set(d["types"]))),
                    }
                )
    df = pd.DataFrame(rows, columns=["a", "b", "sign_sum", "weight", "relations"]).sort_values(["a", "b"])
    sort = [names[n] for n in act]
    lim = max(1, int(df["sign_sum"].abs().max()) if len(df) else 1)
    return (
        alt.Chart(df, title=_title("adjacency", lang))
        .mark_rect(stroke="white", strokeWidth=0.5)
        .encode(
            x=alt.X("a:N", sort=sort, title=None, axis=alt.Axis(labelAngle=-50, labelLimit=160)),
            y=alt.Y("b:N", sort=sort, title=None, axis=alt.Axis(labelLimit=160)),
            color=alt.Color("sign_sum:Q", title=label("sign", lang), scale=alt.Scale(scheme="redblue", domain=[-lim, lim])),
            tooltip=[
                alt.Tooltip("a:N", title=label("actor", lang)),
                alt.Tooltip("b:N", title=label("target", lang)),
                alt.Tooltip("sign_sum:Q", title=label("sign", lang)),
                alt.Tooltip("weight:Q", title=label("ties", lang)),
                alt.Tooltip("relations:N", title=label("relation", lang)),
            ],
        )
        .properties(width=14 * len(sort) + 40, height=14 * len(sort) + 40)
    )


def centrality_bars(metrics: pd.DataFrame, lang: str = "en", top: int = 12) -> alt.Chart:
    """Betweenness of the most central actors, coloured by side; brokers marked in the tooltip."""
    df = metrics.sort_values(["betweenness", "actor_id"], ascending=[False, True]).head(top)
    df = df.assign(name=df[f"name_{lang}"], side_label=df["side"].map(lambda v: term(v, lang)))[
        ["actor_id", "name", "side", "side_label", "betweenness", "degree", "broker"]
    ]
    present = [k for k in SIDE_COLORS if k in set(df["side"])]
    return (
        alt.Chart(df, title=_title("centrality", lang))
        .mark_bar()
        .encode(
            y=alt.Y("name:N", sort="-x", title=None, axis=alt.Axis(labelLimit=240)),
            x=alt.X("betweenness:Q", title=label("betweenness", lang), axis=alt.Axis(format=".2f")),
            color=alt.Color(
                "side_label:N",
                title=label("side", lang),
                scale=alt.Scale(domain=[term(k, lang) for k in present], range=[SIDE_COLORS[k] for k in present]),
            ),
            tooltip=[
                alt.Tooltip("name:N", title=label("actor", lang)),
                alt.Tooltip("betweenness:Q", format=".3f"),
                alt.Tooltip("degree:Q", title=label("ties", lang)),
                alt.Tooltip("broker:N"),
            ],
        )
        .properties(width=420, height=alt.Step(18))
    )


def relations_over_time(edges: pd.DataFrame, lang: str = "en") -> alt.Chart:
    """Relations per phase, split by sign (the phases are ordered, undated relations left out)."""
    df = edges[edges["phase"].notna()]
    df = df.groupby(["phase", "sign", "relation"], as_index=False).size().rename(columns={"size": "count"})
    order = [PHASE_NAMES[lang][p] for p in PHASE_COLORS if p in set(df["phase"])]
    df = df.assign(phase_label=df["phase"].map(PHASE_NAMES[lang]), sign_label=df["sign"].map({-1: "−1", 0: "0", 1: "+1"}))
    return (
        alt.Chart(df, title=_title("relations_time", lang))
        .mark_bar()
        .encode(
            x=alt.X("phase_label:N", sort=order, title=label("phase", lang), axis=alt.Axis(labelAngle=0)),
            y=alt.Y("sum(count):Q", title=label("count", lang)),
            color=alt.Color(
                "sign_label:N",
                title=label("sign", lang),
                scale=_sign_scale(),
            ),
            tooltip=[
                alt.Tooltip("phase_label:N", title=label("phase", lang)),
                alt.Tooltip("relation:N", title=label("relation", lang)),
                alt.Tooltip("sign_label:N", title=label("sign", lang)),
                alt.Tooltip("count:Q", title=label("count", lang)),
            ],
        )
        .properties(width=420, height=240)
    )
