"""Every reconciled figure in the shape of UCDP's Georeferenced Event Dataset (GED).

UCDP GED gives each event a ``best`` estimate between ``low`` and ``high``; here
every reconciled figure (people, fighters, buses, tanks, killed, ...) is one row,
with GED's precision and source columns:

- ``date_start`` / ``date_end``: the subject's dates (an event's window; a
  movement's departure to arrival; for ``from:<place>`` and ``total``, the
  movements concerned); ``date_prec`` on GED's scale: 1 one day, 2 two to six
  days, 3 a week, 4 a month (8 to 31 days, or a month-precision date), 5 longer
  (or a year-precision date).
- ``where_coordinates`` / ``latitude`` / ``longitude``: the subject's place (an
  event's place, a movement's origin, the ``from:`` or ``place:`` place; for
  ``total``, the place that contains every origin, where the case records one);
  ``where_prec`` on GED's scale: 1 the exact place, 2 near a known place,
  5 a region or a stand-in point (our geo_precision 1, 2, 3).
- ``number_of_sources``: the documents (``source_id`` values) whose claims the
  figure reconciles; ``source_original``: their publishers.

``high_open`` marks a high that is only a floor ("at least"); new reconciliation
columns (``low_open``, ``figure_basis``, ``expected_low`` / ``expected_high``,
``n_documents``, ``n_originators``, ``expected_claim_ids``) are carried when the
reconciliation provides them; an expected-only figure (announced, never reported)
has no best / low / high, only its expected range.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from ..places import outermost_origin
from ._io import source_names, split, write_csv
from .formats import Context

GEO_TO_WHERE_PREC = {1: 1, 2: 2, 3: 5}
OPTIONAL = ("low_open", "figure_basis", "expected_low", "expected_high", "n_documents", "n_originators", "expected_claim_ids")


def date_prec(start: Any, end: Any, precision: str | None = None) -> int | None:
    """UCDP GED's date precision for a window (or the event's own month / year precision)."""
    if precision == "year":
        return 5
    if precision == "month":
        return 4
    if pd.isna(start):
        return None
    days = (pd.Timestamp(end) - pd.Timestamp(start)).days + 1 if not pd.isna(end) else 1
    for limit, code in ((1, 1), (6, 2), (7, 3), (31, 4)):
        if days <= limit:
            return code
    return 5


def movement_windows(case: Any) -> dict[str, tuple[Any, Any]]:
    """First and last day of each movement, of the movements from each place or places within it (``from:<place>``), and of all."""
    from ..places import ancestors, parents

    up = parents(case)
    mv = case.movements
    frame = pd.DataFrame(
        {
            "movement_id": mv["movement_id"].astype(str),
            "origins": [[o, *ancestors(o, up)] for o in mv["origin_place_id"].astype(str)],
            "start": mv["depart_date"].fillna(mv["arrive_date"]),
            "end": mv["arrive_date"].fillna(mv["depart_date"]),
        }
    )
    out: dict[str, tuple[Any, Any]] = {"total": (frame["start"].min(), frame["end"].max()) if len(frame) else (pd.NaT, pd.NaT)}
    g = frame.groupby("movement_id", sort=True).agg(start=("start", "min"), end=("end", "max"))
    out.update({str(k): (r.start, r.end) for k, r in g.iterrows()})
    by_place = frame.explode("origins").groupby("origins", sort=True).agg(start=("start", "min"), end=("end", "max"))
    out.update({f"from:{k}": (r.start, r.end) for k, r in by_place.iterrows()})
    return out


def subject_when_where(ctx: Context, subject: str) -> tuple[Any, Any, str | None, str | None]:
    """(date_start, date_end, event date precision or None, place_id or None) of a figure's subject.

    An event has its window and place; a movement its departure to arrival and its origin;
    ``from:<place>`` the window of the movements from it (or from places within it) and that
    place; ``place:<place>`` the
    place and no dates; ``total`` the window of all movements and the place containing every
    origin, where there is one.
    """
    events = ctx.rows("events", "event_id")
    if subject in events:
        e = events[subject]
        return e["date_start"], e["date_end"], str(e["date_precision"]), str(e["place_id"])
    windows = ctx.memo("movement_windows", lambda: movement_windows(ctx.case))
    start, end = windows.get(subject, (pd.NaT, pd.NaT))
    kind, _, place = subject.partition(":")
    if kind in ("from", "place"):
        return start, end, None, place
    if subject == "total":
        return start, end, None, ctx.memo("outermost", lambda: outermost_origin(ctx.case))
    movement = ctx.rows("movements", "movement_id").get(subject, {})
    return start, end, None, None if not movement else str(movement["origin_place_id"])


def _row(ctx: Context, f: dict[str, Any], places: dict[str, dict[str, Any]], optional: list[str]) -> list[Any]:
    start, end, precision, place_id = subject_when_where(ctx, str(f["subject"]))
    p = places.get(place_id or "", {})
    geo = p.get("geo_precision")
    sources = split(f["source_ids"])
    return [
        f"{f['subject']}/{f['quantity']}",
        f["subject"],
        f["quantity"],
        f["best"],
        f["low"],
        f["high"],
        f["high_open"],
        *[f[c] for c in optional],
        None if pd.isna(start) else start.year,
        start,
        end,
        date_prec(start, end, precision),
        p.get("name_en"),
        p.get("lat"),
        p.get("lon"),
        None if geo is None or pd.isna(geo) else GEO_TO_WHERE_PREC.get(int(geo)),
        len(set(sources)),
        "; ".join(source_names(ctx.rows("sources", "source_id"), sources)),
        f["source_ids"],
        f["claim_ids"],
        f["best_from"],
    ]


def write(ctx: Context, folder: Path) -> list[str]:
    """Write ``figures.csv`` into ``folder``."""
    figs = ctx.rec.figures
    optional = [c for c in OPTIONAL if c in figs.columns]
    header = ["id", "subject", "quantity", "best", "low", "high", "high_open", *optional, "year", "date_start", "date_end"]
    header += ["date_prec", "where_coordinates", "latitude", "longitude", "where_prec", "number_of_sources", "source_original"]
    header += ["source_ids", "claim_ids", "best_from"]
    places = ctx.rows("places", "place_id")
    rows = [_row(ctx, f, places, optional) for f in figs.to_dict("records")]
    rows.sort(key=lambda r: (r[1], r[2]))
    write_csv(folder / "figures.csv", header, rows)
    ctx.note("ucdp", "figures", len(rows))
    ctx.note("ucdp", "without_place", sorted({r[1] for r in rows if r[header.index("where_prec")] is None}))
    return [f"{folder.name}/figures.csv"]
