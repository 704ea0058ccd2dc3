"""The data behind each chart, as plain DataFrames (testable without Altair).

Every frame carries stored ids beside the words in the reader's language, so that
colours and shapes are keyed by id and the same in every language.  The views a
table shows too (events, movements, claim subjects) come from :mod:`analysis.views`.
"""

from __future__ import annotations

import itertools
import math
import textwrap
from typing import TYPE_CHECKING, Any

import pandas as pd

from .. import i18n
from ..places import case_region, coordinates
from ..timeline import main_window, phase_order
from ..views import movement_frame, range_text, subject_labels, subject_sort, timeline_frame

if TYPE_CHECKING:  # pragma: no cover
    from ..cases import Case

__all__ = [  # the views and facts the charts draw from, re-exported for them
    "case_region",
    "main_window",
    "movement_frame",
    "phase_order",
    "range_text",
    "subject_labels",
    "subject_sort",
    "timeline_frame",
]
MAX_EVENTS = 150  # above this, the timeline shows counts per phase and per day
MAX_MOVEMENTS = 40  # the Gantt chart shows the largest movements
MAX_DESTINATIONS = 15  # the rest are summed as "other"
MAX_ROUTES = 40  # origin-destination pairs on the map
MAX_SUBJECTS = 30  # subjects in the claims dot plot
MAX_CLAIM_POINTS = 300  # claim marks in the dot plot (whole subjects are kept or left out)
MAX_LABELS = 40  # actors named on a network chart (where a label fits); the others are listed under it


# ---------------------------------------------------------------------------
# Timeline


def timeline_counts(events: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """For many events: each phase's span (with its count), and events per day and phase."""
    span = events.groupby("phase", observed=True).agg(start=("date_start", "min"), end=("date_end", "max"), n=("event_id", "size"))
    span = span.reset_index()
    span = span.assign(
        phase=span["phase"].astype(str),
        phase_label=[i18n.term("phase", p, lang) for p in span["phase"].astype(str)],
        end=span["end"] + pd.Timedelta(days=1),
    )
    daily = events.groupby([events["date_start"].dt.floor("D"), "phase"], observed=True).size().rename("n").reset_index()
    daily = daily.assign(phase=daily["phase"].astype(str), phase_label=[i18n.term("phase", p, lang) for p in daily["phase"].astype(str)])
    return span, daily


# ---------------------------------------------------------------------------
# Movements


def largest_movements(mt: pd.DataFrame, k: int = MAX_MOVEMENTS) -> pd.DataFrame:
    """The ``k`` movements with most people (best figure), in timeline order; all of them if there are fewer."""
    if len(mt) <= k:
        return mt
    top = mt.assign(_p=mt["people_best"].fillna(-1)).sort_values(["_p", "movement_id"], ascending=[False, True]).head(k)
    return top.drop(columns="_p").sort_values(["timeline_date", "movement_id"], na_position="last")


def gantt_frame(case: Case, mt: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One bar per movement, from departure to the end of its arrival day (one day where only one date is known)."""
    df = movement_frame(case, largest_movements(mt), lang)
    start = df["depart_date"].fillna(df["arrive_date"])
    end = df["arrive_date"].fillna(df["depart_date"])
    df = df.assign(start=start, end_plus=end + pd.Timedelta(days=1), dated=start.notna())
    return df.sort_values(["timeline_date", "movement_id"], na_position="last", kind="stable").reset_index(drop=True)


def gantt_text_sides(df: pd.DataFrame, plot_px: float, size: float = 10.0) -> tuple[pd.DataFrame, tuple[pd.Timestamp, pd.Timestamp]]:
    """Where each bar of :func:`gantt_frame` has its figure written, and the dates the chart spans.

    A figure goes after the bar's end where it fits before the right edge (``text_after``), else before the bar's
    start where it fits after the left edge; where neither fits, the span is lengthened to the right until it does.
    Returns the frame with ``text_after`` and the first and last instants drawn (a day beyond the last arrival).
    """
    from .theme import date_span, text_px

    dated = df[df["dated"]]
    first, last = date_span(dated["start"].min(), dated["end_plus"].max())
    if last <= first:
        last = first + pd.Timedelta(days=1)
    widths = [text_px(t, size) + 6 for t in df["people_range"]]
    after = [True] * len(df)
    for _ in range(len(df) + 1):
        per_day = plot_px / ((last - first) / pd.Timedelta(days=1))
        needed = last
        for i, (a, b, w) in enumerate(zip(df["start"], df["end_plus"], widths, strict=True)):
            if pd.isna(a):
                continue
            x0, x1 = (a - first) / pd.Timedelta(days=1) * per_day, (b - first) / pd.Timedelta(days=1) * per_day
            after[i] = x1 + w <= plot_px or x0 - w < 0
            if x1 + w > plot_px and x0 - w < 0:
                needed = max(needed, first + (b - first) * plot_px / max(plot_px - w, plot_px * 0.25))
        if needed <= last:
            break
        last = needed.ceil("h")
    return df.assign(text_after=after), (first, last)


def destination_frame(case: Case, mt: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """People by destination: the known best figures split by how they are known, and per destination its range as an
    interval (:func:`analysis.aggregate.shares`) with a label that counts the movements with no figure."""
    from ..aggregate import shares
    from ..describe import interval
    from ..intervals import Interval

    df = movement_frame(case, mt, lang)
    rng = shares(mt, "destination_place_id", "people")
    if len(rng) > MAX_DESTINATIONS:
        rng = rng.head(MAX_DESTINATIONS)  # the largest by best figure; the subtitle of the table below says how many more
    keep = set(rng["destination_place_id"])
    df = df[df["destination_place_id"].isin(keep) & df["people_best"].notna()]
    keys = ["destination_place_id", "destination"]
    by = df.groupby([*keys, "people_basis", "basis"], as_index=False, observed=True)[["people_best"]].sum()
    names = {p: i18n.name(case, "places", p, lang) for p in rng["destination_place_id"]}
    texts = []
    for r in rng.itertuples():
        iv = Interval.of(r.low, r.best, r.high, False, r.high_open)
        text = interval(iv, lang)
        if r.n_unknown:
            text += " · " + i18n.label("n_no_figure", lang, n=r.n_unknown)
        texts.append(text)
    top = rng["high"].astype(float).fillna(rng["best"].astype(float)).fillna(0.0)
    rng = rng.assign(
        destination=rng["destination_place_id"].map(names),
        people_low=rng["low"].astype(float).fillna(0.0),
        people_best=rng["best"],
        people_high=top,
        label_x=top,
        range_text=texts,
    )
    return by.sort_values([*keys, "people_basis"]).reset_index(drop=True), rng.reset_index(drop=True)


def cumulative_frame(mt: pd.DataFrame, lang: str, scenario: str) -> tuple[pd.DataFrame, list[str]]:
    """The cumulative series for the chart (one day added so the last step shows) and its notes: the movements with no
    date, and the day from which a movement with no figure leaves the high open."""
    from ..describe import interval
    from ..intervals import Interval
    from ..timeseries import cumulative

    total = cumulative(mt)
    notes = []
    undated = mt[mt["timeline_date"].isna()]
    if len(undated):
        items = [f"{lab} ({interval(Interval.of(lo, be, hi, False, op), lang)})" for lab, lo, be, hi, op in zip(
            undated[f"label_{lang}"] if f"label_{lang}" in undated else undated["label_en"],
            undated["people_low"], undated["people_best"], undated["people_high"], undated["people_high_open"], strict=True,
        )]  # fmt: skip
        notes.append(i18n.label("undated_note", lang, items="; ".join(items)))
    if total.empty:
        return total.assign(scenario_value=[], date_text=[], range_text=[]), notes
    unknown = total[total["people_unknown"] > 0]
    if len(unknown):
        first = unknown.iloc[0]
        notes.append(i18n.label("unknown_from", lang, day=i18n.date(first["date"], lang), n=int(total["people_unknown"].iloc[-1])))
    total = pd.concat([total, total.tail(1).assign(date=total["date"].max() + pd.Timedelta(days=1))], ignore_index=True)
    total["scenario_value"] = total[f"people_{scenario}"]
    total["date_text"] = [i18n.date(d, lang) for d in total["date"]]
    total["range_text"] = [
        interval(Interval.of(lo, be, hi, False, op), lang)
        for lo, be, hi, op in zip(total["people_low"], total["people_best"], total["people_high"], total["people_high_open"], strict=True)
    ]
    return total, notes


def stops(case: Case, movement: Any) -> list[tuple[str, str | None]]:
    """The places a movement went through, in order, each with its status (None where the case says none): from the
    case's ``legs`` table where it has one and it holds the movement (origin, its legs by ``seq``, then the
    destination unless the last leg is there), else origin, via (where given), destination."""
    legs = case.tables.get("legs") if hasattr(case, "tables") else None
    origin, destination = movement.origin_place_id, movement.destination_place_id
    out: list[tuple[str, str | None]] = [(origin, None)]
    mine = None if legs is None else legs[legs["movement_id"].astype(str) == str(movement.movement_id)]
    if mine is not None and len(mine):
        for leg in mine.sort_values("seq", kind="stable").itertuples():
            status = getattr(leg, "status", None)
            out.append((str(leg.place_id), None if status is None or pd.isna(status) else str(status)))
        if pd.notna(destination) and out[-1][0] != destination:
            out.append((destination, None))
        return out
    via = getattr(movement, "via_place_id", None)
    if via is not None and pd.notna(via) and via not in (origin, destination):
        out.append((str(via), None))
    out.append((destination, None))
    return out


def leg_status_kind(case: Case) -> str:
    """The vocabulary of the ``legs`` table's ``status`` column (its ``qalamoun:vocabulary``, else ``leg_status``)."""
    for r in case.package.get("resources", []):
        if r.get("name") == "legs":
            for f in r.get("schema", {}).get("fields", []):
                if f.get("name") == "status":
                    return str(f.get("qalamoun:vocabulary") or "leg_status")
    return "leg_status"


def route_frame(case: Case, mt: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """Routes, one row per leg drawn (busiest routes first), the places drawn, and what cannot be drawn.

    A route is the places a movement went through (:func:`stops`): its legs where the case has a ``legs`` table,
    else origin, via and destination; movements with the same route are drawn once.  Each leg runs from one stop to the
    next and carries the status of the stop it leads to.  A place with no point (itself or a place containing it:
    :func:`analysis.places.coordinates`) is named in the notes with what it costs: at an origin or a destination the
    movement is left out, at a stop the route is drawn without it.  So is a place drawn at the point of a place
    containing it, and an approximate place whose own point is an exact place's (a stand-in).  The places come one
    row each (:func:`dot_frame` makes one dot per point, :func:`label_frame` the names).
    """
    co = coordinates(case).set_index("place_id")
    has_point = set(co.index[co["lat"].notna()])
    df = movement_frame(case, mt, lang)
    names = i18n.names(case, "places", lang)
    kind = leg_status_kind(case)
    lost: dict[str, list[str]] = {}  # place without a point -> movements left out
    skipped: set[str] = set()  # stops without a point (their routes are drawn without them)
    routes: dict[tuple, dict[str, Any]] = {}
    for m in df.itertuples():
        path = stops(case, m)
        ends = [p for p in (path[0][0], path[-1][0]) if pd.isna(p) or p not in has_point]
        if ends:
            for p in dict.fromkeys(ends):
                lost.setdefault(p, []).append(m.movement)
            continue
        kept = [path[0]]
        for place, status in path[1:]:
            if place in has_point:
                kept.append((place, status))
            else:
                skipped.add(place)
        r = routes.setdefault(tuple(kept), {"movements": [], "people": 0.0, "destination_place_id": m.destination_place_id, "n": 0})
        r["movements"].append(m.movement)
        r["n"] += 1
        r["people"] += 0.0 if pd.isna(m.people_best) else float(m.people_best)
    notes = []
    for place, items in sorted(lost.items(), key=lambda kv: str(kv[0])):
        where = names.get(place, i18n.label("unknown", lang)) if pd.notna(place) else i18n.label("unknown", lang)
        notes.append(i18n.label("no_point", lang, place=where, items=i18n.join(sorted(items), lang, "list")))
    if skipped:
        notes.append(i18n.label("no_point_stops", lang, places=i18n.join(sorted(names.get(p, p) for p in skipped), lang, "list")))
    ranked = sorted(routes.items(), key=lambda kv: (-kv[1]["people"], kv[0]))[:MAX_ROUTES]
    rows = []
    for i, (path, r) in enumerate(ranked):
        for seq, ((a, _), (b, status)) in enumerate(itertools.pairwise(path)):
            rows.append(
                {
                    "route": i,
                    "seq": seq,
                    "from_place_id": a,
                    "to_place_id": b,
                    "lon": co.at[a, "lon"],
                    "lat": co.at[a, "lat"],
                    "lon2": co.at[b, "lon"],
                    "lat2": co.at[b, "lat"],
                    "status": status,
                    "status_label": i18n.term(kind, status, lang) if status else None,
                    "destination_place_id": r["destination_place_id"],
                    "destination": names.get(r["destination_place_id"], r["destination_place_id"]),
                    "n": r["n"],
                    "people": r["people"],
                    "people_text": i18n.number(r["people"], lang),
                    "movements": "; ".join(sorted(r["movements"])),
                }
            )
    cols = ["route", "seq", "from_place_id", "to_place_id", "lon", "lat", "lon2", "lat2", "status", "status_label"]
    legs = pd.DataFrame(rows, columns=[*cols, "destination_place_id", "destination", "n", "people", "people_text", "movements"])
    used = set(legs["from_place_id"]) | set(legs["to_place_id"])
    pts = pd.DataFrame({"place_id": [p for p in case.places["place_id"] if p in used]})
    pts = pts.assign(name=pts["place_id"].map(names))
    pts = pts.merge(co.reset_index(), on="place_id")
    moved = pts["drawn_at"] != pts["place_id"]
    for r in pts[moved].sort_values("place_id").itertuples():
        notes.append(i18n.label("placed_within", lang, place=r.name, within=i18n.name(case, "places", r.drawn_at, lang)))
    notes += [i18n.label("placed_within", lang, place=place, within=at) for place, at in _stand_ins(pts[~moved])]
    # at one point: places drawn at their own point first, exact before approximate, then by name
    pts = pts.assign(moved=moved).sort_values(["lat", "lon", "moved", "approx", "name"], kind="mergesort")
    return legs, pts.drop(columns="moved").reset_index(drop=True), notes


def _stand_ins(own: pd.DataFrame) -> list[tuple[str, str]]:
    """(place, exact place) for each approximate place whose own point is an exact place's (a stand-in point borrowed
    from a town, say): the map names them in its subtitle.  The exact place is the first by name at that point."""
    pairs = []
    for _, group in own.sort_values("name").groupby(["lat", "lon"], sort=True):
        exact = group[~group["approx"]]
        if len(exact):
            pairs += [(str(n), str(exact["name"].iloc[0])) for n in group[group["approx"]]["name"]]
    return pairs


def dot_frame(pts: pd.DataFrame) -> pd.DataFrame:
    """One dot per point (:func:`route_frame`'s places): its places' names one per line; approximate only if all are."""
    return pts.groupby(["lat", "lon"], as_index=False, sort=True).agg(name=("name", "\n".join), approx=("approx", "all"))


FRAME_PAD = (0.8, 0.6)  # degrees of longitude and of latitude drawn around the places
LABEL_GAP = 0.04  # points closer than this share of the map's larger side have their names written as one block
LABEL_LINES = 6  # lines in a block at most


def map_extent(pts: pd.DataFrame) -> tuple[float, float, float, float]:
    """West, south, east, north of the area the map draws: the places, padded (a default box when there are none)."""
    lats = pts["lat"] if len(pts) else pd.Series([33.0, 37.0])
    lons = pts["lon"] if len(pts) else pd.Series([35.5, 39.0])
    (dx, dy) = FRAME_PAD
    return (float(lons.min()) - dx, float(lats.min()) - dy, float(lons.max()) + dx, float(lats.max()) + dy)


def label_frame(pts: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The names to write: points nearer each other than ``LABEL_GAP`` of the map (in both directions, chained) share
    one block, names from north to south (at one latitude, in the order given), written beside the block's
    northernmost and easternmost point.  A block holds at most ``LABEL_LINES`` lines, the last saying how many more
    places it stands for."""
    west, south, east, north = map_extent(pts)
    gap = LABEL_GAP * max(east - west, north - south)
    group = list(range(len(pts)))
    lat, lon = pts["lat"].tolist(), pts["lon"].tolist()
    for i in range(len(pts)):
        for j in range(i):
            if abs(lat[i] - lat[j]) < gap and abs(lon[i] - lon[j]) < gap:
                old, new = group[i], group[j]
                group = [new if g == old else g for g in group]
    df = pts.assign(group=group).sort_values("lat", ascending=False, kind="mergesort")  # ties keep the given order
    text = lambda names: "\n".join(_capped(list(names), lang))  # noqa: E731
    return df.groupby("group", sort=False).agg(lat=("lat", "max"), lon=("lon", "max"), name=("name", text)).reset_index(drop=True)


def mercator(pts: pd.DataFrame, frame: pd.DataFrame, width: float, height: float) -> pd.DataFrame:
    """Pixel positions (``px``, ``py``, y down) of the ``lon``/``lat`` of ``pts`` on a Mercator map fitted, as Vega fits
    it (d3's ``fitSize``), to the corners of :func:`map_extent` of ``frame`` in a ``width`` x ``height`` chart."""
    west, south, east, north = map_extent(frame)

    def raw(lon: Any, lat: Any) -> tuple[Any, Any]:
        return (
            pd.Series(lon, dtype=float) * math.pi / 180,
            -pd.Series(lat, dtype=float).map(lambda v: math.log(math.tan(math.pi / 4 + v * math.pi / 360))),
        )

    (x0, x1), (y1, y0) = raw([west, east], [south, north])
    k = min(width / (x1 - x0), height / (y1 - y0))
    tx, ty = (width - k * (x1 + x0)) / 2, (height - k * (y1 + y0)) / 2
    x, y = raw(pts["lon"], pts["lat"])
    return pts.assign(px=(k * x + tx).to_numpy(), py=(k * y + ty).to_numpy())


LABEL_PX = 190  # a place's name longer than this on the map is written over lines
LABEL_SIZE = 10  # px


SPOTS = (("left", "top"), ("right", "top"), ("left", "bottom"), ("right", "bottom"))  # beside a point, in preference


def _map_box(x: float, y: float, name: str, align: str, baseline: str) -> tuple[float, float, float, float]:
    """The box (left, top, right, bottom) of a block of names written beside the point at ``x``, ``y``."""
    from .theme import text_px

    wide, tall = text_px(name, LABEL_SIZE) + 2, (name.count("\n") + 1) * 12
    left = x + 6 if align == "left" else x - 6 - wide
    top = y - 9 if baseline == "top" else y + 9 - tall
    return (left, top, left + wide, top + tall)


def place_map_labels(labels: pd.DataFrame, pts: pd.DataFrame, width: float, height: float) -> pd.DataFrame:
    """The blocks of :func:`label_frame` placed inside a ``width`` x ``height`` map of ``pts``, none on another.

    Each name is wrapped to :data:`LABEL_PX`; each block, from north to south, takes the first spot of :data:`SPOTS`
    that lies inside the frame and clear of the blocks placed before it.  A block with no such spot joins the block it
    would cover (their names one block, north to south) and the placing starts again.  Returns ``lon``, ``lat``,
    ``name`` (wrapped), ``align`` and ``baseline``.
    """
    from .theme import wrap_label

    blocks = labels.assign(name=["\n".join(wrap_label(n, LABEL_PX, LABEL_SIZE) for n in str(b).split("\n")) for b in labels["name"]])
    blocks = blocks.sort_values(["lat", "lon"], ascending=[False, False], kind="mergesort").reset_index(drop=True)
    while True:
        at = mercator(blocks, pts, width, height)
        placed: list[tuple[float, float, float, float]] = []
        spots: list[tuple[str, str]] = []
        clash = None
        for i, (x, y, name) in enumerate(zip(at["px"], at["py"], blocks["name"], strict=True)):
            boxes = [(spot, _map_box(x, y, name, *spot)) for spot in SPOTS]
            inside = [(spot, b) for spot, b in boxes if b[0] >= 0 and b[2] <= width and b[1] >= 0 and b[3] <= height] or boxes[:1]
            free = [(spot, b) for spot, b in inside if not any(_overlaps(b, o) for o in placed)]
            if not free:
                clash = (next(j for j, o in enumerate(placed) if _overlaps(inside[0][1], o)), i)
                break
            spots.append(free[0][0])
            placed.append(free[0][1])
        if clash is None:
            return blocks.assign(align=[a for a, _ in spots], baseline=[b for _, b in spots])
        j, i = clash
        keep, gone = blocks.loc[j], blocks.loc[i]
        merged = {"lat": max(keep["lat"], gone["lat"]), "lon": max(keep["lon"], gone["lon"]), "name": f"{keep['name']}\n{gone['name']}"}
        blocks = pd.concat([blocks.drop(index=[i, j]), pd.DataFrame([merged])], ignore_index=True)
        blocks = blocks.sort_values(["lat", "lon"], ascending=[False, False], kind="mergesort").reset_index(drop=True)


def _capped(names: list[str], lang: str) -> list[str]:
    if len(names) <= LABEL_LINES:
        return names
    return [*names[: LABEL_LINES - 1], i18n.label("more_places", lang, n=len(names) - LABEL_LINES + 1)]


# ---------------------------------------------------------------------------
# Claims


def claims_frame(case: Case, claims: pd.DataFrame, lang: str, quantities: tuple[str, ...]) -> pd.DataFrame:
    """One mark per distinct claim: identical claims (same subject, quantity, figure, originator, basis) counted in ``n``.

    ``claims`` is :func:`analysis.flows.numeric_claims` of the case.  Subjects are capped (totals first,
    then the most-claimed) so that at most ``MAX_CLAIM_POINTS`` marks are drawn.
    """
    c = claims[claims["quantity"].isin(quantities)]
    counts = c["subject"].value_counts()
    if len(counts) > MAX_SUBJECTS or len(c) > MAX_CLAIM_POINTS:
        ranked = sorted(counts.index, key=lambda x: (subject_sort(x)[0], -int(counts[x]), x))[:MAX_SUBJECTS]
        kept, points = [], 0
        for subject in ranked:
            if kept and points + int(counts[subject]) > MAX_CLAIM_POINTS:
                break
            kept.append(subject)
            points += int(counts[subject])
        c = c[c["subject"].isin(set(kept))]
    from ..originators import name

    names = {k: name(case, k, lang) for k in c["key"].unique()}
    c = c.assign(shown=c["point"].astype(float), floor=c["is_floor"] | (c["coverage"] == "part"), originator=c["key"].map(names))
    keys = ["subject", "quantity", "shown", "key", "originator", "basis", "floor"]
    g = c.sort_values("claim_id").groupby(keys, as_index=False, dropna=False)
    out = g.agg(n=("claim_id", "size"), claim_ids=("claim_id", ", ".join), sources=("source_id", lambda s: ", ".join(sorted(set(s)))))
    labels = subject_labels(case, lang)
    return (
        out.assign(
            subject_label=out["subject"].map(labels).fillna(out["subject"]),
            basis_label=[i18n.term("claim_basis", b, lang) for b in out["basis"]],
            quantity_label=[i18n.label(q, lang) for q in out["quantity"]],
            n_text=["×" + i18n.number(n, lang) if n > 1 else "" for n in out["n"]],
        )
        .sort_values(["quantity", "subject", "shown", "originator"], kind="stable")
        .reset_index(drop=True)
    )


SUBJECT_KINDS = ("case", "event", "movement")  # the claims chart's panels for each quantity, in reading order
OUTLIER_RATIO = 3.0  # a figure more than this many times the next largest of its panel is drawn at the panel's edge


def subject_kind(case: Case, subject: str) -> str:
    """``movement`` or ``event`` for a claim about one (from the case's tables), else ``case`` (the whole case, a
    place, a group): the claims chart draws each kind in a panel of its own, so that a figure for the whole case or an
    event does not squeeze the movements' figures into a corner."""
    if subject in set(case.movements["movement_id"].astype(str)):
        return "movement"
    if subject in set(case.events["event_id"].astype(str)):
        return "event"
    return "case"


def originator_order(case: Case, claims: pd.DataFrame) -> list[str]:
    """The originators' keys in ``claims`` (:func:`claims_frame`) by side (the vocabulary's order, no side last), then
    by key: the claims chart gives them colours and marks in this order, the same in every language."""
    from .. import vocab

    sides = case.tables["originators"].set_index("originator_id")["side"].astype(str) if "originators" in case.tables else pd.Series()
    rank = {v: i for i, v in enumerate(vocab.vocabulary("originator_side").values)}
    keys = sorted(set(claims["key"].astype(str)))
    return sorted(keys, key=lambda k: (rank.get(str(sides.get(k.partition("@")[0], "")), len(rank)), k))


NICE = (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10)  # the round figures a scale may end at, times a power of ten


def nice_ceiling(value: float) -> float:
    """The smallest of :data:`NICE` times a power of ten at or above ``value`` (1 for nothing above 0)."""
    if not value or value <= 0 or math.isnan(value):
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    return next(m * power for m in NICE if m * power >= value * (1 - 1e-12))


def panel_edge(values: Any, ratio: float = OUTLIER_RATIO) -> float:
    """The largest figure of a panel that its scale must show: the largest value, unless it is more than ``ratio``
    times the next largest (then that one, and so on down while the gap holds, for at most a third of the values)."""
    vals = sorted({float(v) for v in values if v is not None and not pd.isna(v) and float(v) > 0}, reverse=True)
    if not vals:
        return 1.0
    k = 0
    while k + 1 < len(vals) and k < len(vals) // 3 and vals[k] > ratio * vals[k + 1]:
        k += 1
    return vals[k]


def claims_panels(case: Case, claims: pd.DataFrame, ranges: pd.DataFrame, plot_px: float) -> pd.DataFrame:
    """The claims chart's rows with their panel (quantity and subject kind) and their positions on its scale.

    ``claims`` is :func:`claims_frame`, ``ranges`` the reconciled low / best / high of each subject and quantity.
    Each panel's scale runs from 0 to ``domain_max``: the panel's largest figure (:func:`panel_edge`, so that one
    figure far above the rest does not squeeze them), rounded up, with room for the counts written beside the marks.
    A value beyond it is drawn at the edge (``*_x``) with ``beyond`` set, and written out in ``beyond_text``.
    """
    rows = pd.concat([claims.assign(layer="claim"), ranges.assign(layer="range")], ignore_index=True)
    rows["kind"] = [subject_kind(case, s) for s in rows["subject"]]
    rows["panel"] = [f"{q}|{k}" for q, k in zip(rows["quantity"], rows["kind"], strict=True)]
    cols = ["shown", "low", "best", "high"]
    edges = {}
    for panel, group in rows.groupby("panel", sort=False):
        values = pd.concat([group[c] for c in cols if c in group]).astype(float)
        edge = panel_edge(values)
        edges[panel] = nice_ceiling(edge * plot_px / max(plot_px - 28, 1))
    rows["domain_max"] = rows["panel"].map(edges)
    for c in cols:
        v = rows[c].astype(float) if c in rows else pd.Series(math.nan, index=rows.index)
        rows[f"{c}_x"] = v.where(~(v > rows["domain_max"]), rows["domain_max"])
        rows[f"{c}_beyond"] = v > rows["domain_max"]
    rows["beyond"] = rows[[f"{c}_beyond" for c in cols]].any(axis=1)
    return rows


# ---------------------------------------------------------------------------
# Network


LABEL_WRAPS = (24, 18, 12)  # characters on a line of a node's label, tried in turn: longer names are wrapped, never cut
LINE_HEIGHT = 11.0  # px between the baselines of a wrapped label's lines (the chart sets the same)


def wrap_label(text: str, width: int = LABEL_WRAPS[0]) -> str:
    """``text`` on lines of at most ``width`` characters (a longer word stands alone on its line), joined by newlines."""
    return "\n".join(textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)) or text


def _label_box(x: float, y: float, text: str, align: str, font: float = 10.0) -> tuple[float, float, float, float]:
    """The box (left, top, right, bottom) a label takes written at (x, y) on its first line's baseline (Vega's
    'alphabetic', which the chart sets): 0.6 em a character, ascenders one em above the first baseline,
    descenders 2 px below the last, ``LINE_HEIGHT`` between lines."""
    lines = text.split("\n")
    w = 0.6 * font * max(len(line) for line in lines) + 2
    left = x - w / 2 if align == "center" else x if align == "left" else x - w
    return (left, y - font, left + w, y + 2 + (len(lines) - 1) * LINE_HEIGHT)


def _overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _to_box(box: tuple[float, float, float, float], x: float, y: float) -> float:
    """Distance from the point (x, y) to the box (0 inside it)."""
    return math.hypot(max(box[0] - x, 0.0, x - box[2]), max(box[1] - y, 0.0, y - box[3]))


def label_spots(x: float, y: float, r: float, lines: int = 1, font: float = 10.0) -> list[tuple[float, float, str]]:
    """Where a label of ``lines`` lines for a node of radius ``r`` at (x, y) may be written (first baseline, align),
    nearest first: above, below, right, left and the four diagonals, ``r`` + 3 px out, then above and below starting
    or ending at the node's edge; then the same one and two lines further out."""
    up = (lines - 1) * LINE_HEIGHT  # a label above its node rises by its extra lines
    spots = []
    for ring in range(3):
        gap = r + 3 + ring * (font + 2)
        d = gap * 0.7
        spots += [
            (x, y - gap - up, "center"),
            (x, y + gap + font, "center"),
            (x + gap, y + font / 2 - 1 - up / 2, "left"),
            (x - gap, y + font / 2 - 1 - up / 2, "right"),
            (x + d, y - d - up, "left"),
            (x - d, y - d - up, "right"),
            (x + d, y + d + font, "left"),
            (x - d, y + d + font, "right"),
            (x - r, y - gap - up, "left"),
            (x + r, y - gap - up, "right"),
            (x - r, y + gap + font, "left"),
            (x + r, y + gap + font, "right"),
        ]
    return spots


def label_order(nodes: pd.DataFrame) -> list[Any]:
    """The order in which nodes get their label: brokers first, then by partners, then by id."""
    broker = nodes["broker"].astype(bool) if "broker" in nodes else pd.Series(False, index=nodes.index)
    ranked = nodes.assign(_b=~broker).sort_values(["_b", "degree", "actor_id"], ascending=[True, False, True], kind="mergesort")
    return list(ranked.index)


def place_labels(nodes: pd.DataFrame, width: float, height: float, k: int = MAX_LABELS, font: float = 10.0) -> pd.DataFrame:
    """Labels that do not collide, each nearer its own node than any other: the ``k`` first of :func:`label_order`
    (brokers, then the most connected), each at the first of its :func:`label_spots` that fits, its name wrapped
    at the first of ``LABEL_WRAPS`` that finds a spot.

    ``nodes`` holds pixel positions ``px``, ``py`` (y down), ``short`` names, ``degree``, ``r`` (radius) and
    optionally ``broker``.  Returns it with ``label`` (the name as written, :func:`wrap_label`), ``lx``, ``ly``,
    ``align`` and ``labelled``.  A spot fits when its box lies inside the chart, overlaps no other label and no
    other node, and both the box and its centre are nearer its own node's centre than any other node's; an actor
    with no such spot is left out (the chart lists those actors under it).
    """
    out = nodes.assign(label=[wrap_label(str(t)) for t in nodes["short"]], lx=nodes["px"], ly=nodes["py"], align="center", labelled=False)
    boxes: list[tuple[float, float, float, float]] = []
    centres = list(zip(nodes["px"], nodes["py"], strict=True))
    dots = [(x - r, y - r, x + r, y + r) for x, y, r in zip(nodes["px"], nodes["py"], nodes["r"], strict=True)]
    for i in label_order(nodes)[:k]:
        me = nodes.index.get_loc(i)
        others = [j for j in range(len(centres)) if j != me]
        texts = dict.fromkeys(wrap_label(str(nodes.at[i, "short"]), w) for w in LABEL_WRAPS)
        spots = ((t, spot) for t in texts for spot in label_spots(*centres[me], float(nodes.at[i, "r"]), t.count("\n") + 1, font))
        for text, (x, y, align) in spots:
            box = _label_box(x, y, text, align, font)
            if _label_fits(box, me, others, centres, dots, boxes, width, height):
                out.loc[i, ["label", "lx", "ly", "align", "labelled"]] = [text, x, y, align, True]
                boxes.append(box)
                break
    return out


def _label_fits(
    box: tuple[float, float, float, float],
    me: int,
    others: list[int],
    centres: list[tuple[float, float]],
    dots: list[tuple[float, float, float, float]],
    placed: list[tuple[float, float, float, float]],
    width: float,
    height: float,
) -> bool:
    """The rules of :func:`place_labels` for one box of node ``me``."""
    if not (box[0] >= 0 and box[2] <= width and box[1] >= 0 and box[3] <= height):
        return False
    if any(_overlaps(box, b) for b in placed) or any(_overlaps(box, dots[j]) for j in others):
        return False
    mid = ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
    own, own_mid = _to_box(box, *centres[me]), math.dist(mid, centres[me])
    return all(_to_box(box, *centres[j]) > own and math.dist(mid, centres[j]) > own_mid for j in others)


def to_pixels(pos: dict[str, tuple[float, float]], width: float, height: float, margin: float = 24) -> dict[str, tuple[float, float]]:
    """Layout positions -> pixels in a ``width`` x ``height`` chart (y down), keeping the layout's aspect."""
    if not pos:
        return {}
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    sx = (width - 2 * margin) / max(max(xs) - min(xs), 1e-9)
    sy = (height - 2 * margin) / max(max(ys) - min(ys), 1e-9)
    return {n: (margin + (x - min(xs)) * sx, margin + (max(ys) - y) * sy) for n, (x, y) in pos.items()}


def node_frame(
    g: Any, pos: dict[str, tuple[float, float]], lang: str, metrics: pd.DataFrame | None, width: float, height: float
) -> pd.DataFrame:
    """Actors drawn: pixel position, names, side and type (ids and words), partners, betweenness, broker, radius, label spot.

    Partners, betweenness and brokers come from ``metrics`` (of the whole graph) where given, else from ``g`` itself.
    """
    px = to_pixels(pos, width, height)
    rows = []
    for n in sorted(px):
        d = g.nodes[n]
        name = str(d.get(f"name_{lang}", n))
        rows.append(
            {
                "actor_id": n,
                "name": name,
                "short": name.split(" (")[0],
                "px": px[n][0],
                "py": px[n][1],
                "side": str(d.get("side")),
                "side_label": i18n.term("side", d.get("side"), lang),
                "actor_type": str(d.get("actor_type")),
                "type_label": i18n.term("actor_type", d.get("actor_type"), lang),
            }
        )
    cols = ["actor_id", "name", "short", "px", "py", "side", "side_label", "actor_type", "type_label"]
    df = pd.DataFrame(rows, columns=cols)
    if metrics is not None and len(df) and len(metrics):
        df = df.merge(metrics[["actor_id", "degree", "betweenness", "broker"]], on="actor_id", how="left")
        df["degree"] = df["degree"].fillna(0).astype(int)
        df["betweenness"] = df["betweenness"].fillna(0.0).astype(float)
        df["broker"] = df["broker"].astype("boolean").fillna(False).astype(bool)
    else:
        from ..network import brokers, signed_projection

        s = signed_projection(g) if g.is_multigraph() else g
        found = brokers(s) if len(df) else {}
        df["degree"] = [len(set(s.neighbors(n))) for n in df["actor_id"]]
        df["betweenness"] = 0.0
        df["broker"] = [bool(found.get(n, False)) for n in df["actor_id"]]
    df["r"] = node_radius(df["degree"])
    return place_labels(df.reset_index(drop=True), width, height)


SIZE_RANGE = (60.0, 420.0)  # area in square pixels of the smallest and largest node


def integer_values(lo: float, hi: float, most: int = 6) -> list[int]:
    """Whole numbers for the legend of a count that runs from ``lo`` to ``hi`` (a count is never drawn as 1.2): from
    the multiples of the finest step of 1, 2 or 5 x 10^k that gives at most ``most`` of them."""
    first, last = math.ceil(lo), max(math.floor(hi), math.ceil(lo))
    step = next(m * 10**e for e in range(12) for m in (1, 2, 5) if last // (m * 10**e) + (-first) // (m * 10**e) + 1 <= most)
    return list(range(-(-first // step) * step, last + 1, step))


def axis_ticks(hi: float, width: float, decimals: int, font: float = 10.0) -> list[float]:
    """Ticks from 0 to the first step at or past ``hi`` on an axis ``width`` px long whose labels show ``decimals``
    decimals: the finest step of 1, 2 or 5 x 10^k (and 2.5 x 10^k where the decimals can write it) whose labels
    stand at least their own width apart, so that no two labels touch."""
    hi = max(hi, 10.0**-decimals)
    label = 0.6 * font * len(f"{hi:.{decimals}f}") + 2
    steps = sorted(m * 10.0**e for e in range(-decimals, 12) for m in (1, 2, 2.5, 5) if round(m * 10.0**e, decimals) == m * 10.0**e)
    for step in steps:
        n = math.ceil(round(hi / step, 9))
        if width / n >= 2 * label:
            return [round(i * step, decimals + 1) for i in range(n + 1)]
    return [0.0, hi]


def node_radius(degree: pd.Series) -> list[float]:
    """Radius in pixels of each node, from the same linear area scale as the chart's size legend."""
    lo, hi = (float(degree.min()), float(degree.max())) if len(degree) else (0.0, 1.0)
    span = hi - lo or 1.0
    return [math.sqrt((SIZE_RANGE[0] + (float(v) - lo) / span * (SIZE_RANGE[1] - SIZE_RANGE[0])) / math.pi) for v in degree]


def edge_frame(g: Any, nodes: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One row per pair of actors drawn: sign of the sum, relations, sources, and an arrowhead at each actor acted upon.

    ``head_to`` lists the ends (``target``, ``source``) with a directed relation pointing at them; ``ax``, ``ay``,
    ``angle`` place the head beside the node's edge (angle in degrees clockwise from up, as Vega rotates shapes).
    """
    at = nodes.set_index("actor_id")
    pairs: dict[tuple[str, str], dict[str, Any]] = {}
    for u, v, k, d in sorted(g.edges(keys=True, data=True), key=lambda e: str(e[2])):
        if u not in at.index or v not in at.index or u == v:
            continue
        a, b = sorted((u, v))
        e = pairs.setdefault((a, b), {"sign_sum": 0, "weight": 0, "types": set(), "sources": set(), "ids": [], "heads": set()})
        e["sign_sum"] += int(d["sign"])
        e["weight"] += 1
        e["types"].add(i18n.term("relation", d["relation"], lang))
        e["sources"].update(s for s in str(d.get("source_ids") or "").split(";") if s)
        e["ids"].append(str(k))
        if bool(d.get("directed")):
            e["heads"].add(v)
    rows, heads = [], []
    for (a, b), e in sorted(pairs.items()):
        sign = (e["sign_sum"] > 0) - (e["sign_sum"] < 0)
        base = {"u": at.at[a, "name"], "v": at.at[b, "name"], "sign": str(sign), "sign_label": i18n.term("sign", sign, lang)}
        rows.append(
            {
                **base,
                "x": at.at[a, "px"],
                "y": at.at[a, "py"],
                "x2": at.at[b, "px"],
                "y2": at.at[b, "py"],
                "weight": e["weight"],
                "relations": ", ".join(sorted(e["types"])),
                "sources": ", ".join(sorted(e["sources"])),
                "ids": ", ".join(e["ids"]),
            }
        )
        for head in sorted(e["heads"]):
            tail = b if head == a else a
            hx, hy, tx, ty = at.at[head, "px"], at.at[head, "py"], at.at[tail, "px"], at.at[tail, "py"]
            dist = math.hypot(hx - tx, hy - ty) or 1.0
            back = float(at.at[head, "r"]) + 7
            heads.append(
                {
                    **base,
                    "ax": hx - (hx - tx) / dist * back,
                    "ay": hy - (hy - ty) / dist * back,
                    "angle": math.degrees(math.atan2(hx - tx, -(hy - ty))) % 360,
                }
            )
    edges = pd.DataFrame(rows, columns=["u", "v", "sign", "sign_label", "x", "y", "x2", "y2", "weight", "relations", "sources", "ids"])
    return edges, pd.DataFrame(heads, columns=["u", "v", "sign", "sign_label", "ax", "ay", "angle"])
