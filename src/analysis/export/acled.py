"""Events in ACLED's shape: ACLED's column names and vocabularies.

Event and sub-event types come from one table, ``acled_crosswalk.csv`` (shipped
with the package, copied beside the export), which says for each of our event
types how it maps and why, or why it cannot.  Events it cannot map, and events
whose dates ACLED cannot hold (a window longer than a month: ACLED codes each
day of a campaign as its own event), are listed in ``unmapped_events.csv``.

Columns follow the ACLED codebook:

- ``event_date`` is the day, or the middle day of the window where only a week
  (``time_precision`` 2, up to 7 days) or a month (3) is known.
- ``actor1`` / ``actor2`` are the first listed actors of the first two sides
  (``side``) among the event's actors that carry an ACLED ``inter`` code; the
  other actors of each side are ``assoc_actor_1`` / ``assoc_actor_2``; actors of
  any other side are named in ``notes``.
  ``interaction`` is the two inter codes, lower first (``10`` x inter1 alone).
- ``geo_precision`` is the place's own code (the case uses ACLED's 1-3 scale).
- ``fatalities`` is the reconciled best ``killed`` figure of the event, empty
  where the record holds none (ACLED writes 0 for "none reported"; the record
  does not say).
- ``iso``, ``region``, ``country``, ``admin1``-``admin3``, ``source_scale`` and
  ``tags``: the case does not record them; they are left empty.
- ``timestamp`` is ACLED's upload time; exports carry no clock time, so it is empty.
- ``event_id_cnty`` holds our event_id (ACLED's own ids are minted by ACLED).
"""

from __future__ import annotations

import csv
import shutil
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from ._io import cell, source_names, split, write_csv
from .formats import Context

COLUMNS: tuple[str, ...] = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting",
    "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision",
    "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
)  # fmt: skip
CROSSWALK = "acled_crosswalk.csv"
WEEK_DAYS = 7  # ACLED time_precision 2: a specific week
MONTH_DAYS = 31  # ACLED time_precision 3: a particular month


def crosswalk() -> dict[str, dict[str, str]]:
    """The crosswalk table, keyed by our event type."""
    with resources.files(__package__).joinpath(CROSSWALK).open(encoding="utf-8", newline="") as f:
        return {r["our_event_type"]: r for r in csv.DictReader(f)}


def acled_date(start: pd.Timestamp, end: pd.Timestamp, precision: str) -> tuple[pd.Timestamp | None, int | None, str]:
    """ACLED's (event_date, time_precision) for a dated window, or (None, None, why not).

    A single day is precision 1; a window of up to a week is 2 and a window inside one
    calendar month (or a month-precision date) is 3, dated to the window's middle day
    (the earlier one where the middle falls between two days).
    """
    if pd.isna(start):
        return None, None, "the event has no date"
    end = start if pd.isna(end) else end
    days = (end - start).days + 1
    middle = start + pd.Timedelta(days=(days - 1) // 2)
    if precision == "day" and days == 1:
        return start, 1, ""
    if precision in ("day", "range") and days <= WEEK_DAYS:
        return middle, 2, ""
    if precision in ("month", "range") and days <= MONTH_DAYS and (start.year, start.month) == (end.year, end.month):
        return middle, 3, ""
    return None, None, f"dated only to a {days}-day window ({precision}); ACLED dates an event to a day, a week or a month"


def _sides(ctx: Context, actor_ids: list[str]) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[str]]:
    """The event's actors on its first two sides, and the names of the others.

    A side's first actor with an ACLED inter code leads it (actor1 / actor2); the
    side's other actors, coded or not, are its associated actors.  Sides are taken
    in the order their first coded actor is listed.
    """
    actors = ctx.rows("actors", "actor_id")
    listed = [actors[a] for a in actor_ids if a in actors]
    coded = [a for a in listed if not pd.isna(a["acled_inter"])]
    order = list(dict.fromkeys(str(a["side"]) for a in coded))[:2]
    groups: list[list[dict[str, Any]]] = []
    for s in order:
        lead = next(a for a in coded if str(a["side"]) == s)
        groups.append([lead] + [a for a in listed if str(a["side"]) == s and a is not lead])
    groups += [[], []]
    placed = {a["actor_id"] for g in groups[:2] for a in g}
    others = [str(a["name_en"]) for a in listed if a["actor_id"] not in placed]
    return groups[0], groups[1], others


def _actor_cells(group: list[dict[str, Any]]) -> tuple[str, str, int | None]:
    if not group:
        return "", "", None
    return str(group[0]["name_en"]), "; ".join(str(a["name_en"]) for a in group[1:]), int(group[0]["acled_inter"])


def killed(ctx: Context) -> dict[str, int]:
    """Best reconciled ``killed`` figure of each subject that has one."""
    figs = ctx.rec.figures
    figs = figs[(figs["quantity"] == "killed") & figs["best"].notna()]
    return {str(s): int(b) for s, b in zip(figs["subject"], figs["best"], strict=True)}


def interaction(inter1: int | None, inter2: int | None) -> int | None:
    """ACLED's interaction code: the two inter codes, lower first; ``10 x inter1`` for a one-sided event."""
    if inter1 is None:
        return None
    if inter2 is None:
        return inter1 * 10
    lo, hi = sorted((inter1, inter2))
    return lo * 10 + hi


def _row(ctx: Context, e: dict[str, Any], cw: dict[str, str], date: pd.Timestamp, precision: int) -> list[Any]:
    places = ctx.rows("places", "place_id")
    p = places.get(str(e["place_id"]), {})
    side1, side2, others = _sides(ctx, split(e["actor_ids"]))
    actor1, assoc1, inter1 = _actor_cells(side1)
    actor2, assoc2, inter2 = _actor_cells(side2)
    notes = cell(e["summary_en"]) + (f" Also involved: {'; '.join(others)}." if others else "")
    fatalities = ctx.memo("acled:killed", lambda: killed(ctx)).get(str(e["event_id"]))
    return [
        e["event_id"], date, date.year, precision, cw["disorder_type"], cw["event_type"], cw["sub_event_type"],
        actor1, assoc1, inter1, actor2, assoc2, inter2, interaction(inter1, inter2), cw["civilian_targeting"],
        None, None, None, None, None, None, p.get("name_en"), p.get("lat"), p.get("lon"), p.get("geo_precision"),
        "; ".join(source_names(ctx.rows("sources", "source_id"), split(e["source_ids"]))), None, notes, fatalities, None, None,
    ]  # fmt: skip


def write(ctx: Context, folder: Path) -> list[str]:
    """Write ``events.csv`` (ACLED-shaped), ``unmapped_events.csv`` and the crosswalk into ``folder``."""
    cw = crosswalk()
    rows, unmapped = [], []
    for e in ctx.case.events.sort_values(["date_start", "event_id"], kind="stable").to_dict("records"):
        etype = str(e["event_type"])
        entry = cw.get(etype)
        date, precision, why = acled_date(e["date_start"], e["date_end"], str(e["date_precision"]))
        if entry is None or entry["mapped"] != "yes":
            unmapped.append([e["event_id"], etype, "event type: " + (entry["basis"] if entry else "not in the crosswalk")])
        elif date is None or precision is None:
            unmapped.append([e["event_id"], etype, "date: " + why])
        else:
            rows.append(_row(ctx, e, entry, date, precision))
    rows.sort(key=lambda r: (r[1], r[0]))
    write_csv(folder / "events.csv", COLUMNS, rows)
    write_csv(folder / "unmapped_events.csv", ["event_id", "event_type", "reason"], unmapped)
    folder.mkdir(parents=True, exist_ok=True)
    with resources.as_file(resources.files(__package__).joinpath(CROSSWALK)) as src:
        shutil.copyfile(src, folder / CROSSWALK)
    ctx.note("acled", "events", len(rows))
    ctx.note("acled", "not_exported", [{"event_id": u[0], "event_type": u[1], "reason": u[2]} for u in unmapped])
    ctx.note(
        "acled",
        "empty_columns",
        "iso, region, country, admin1-3, source_scale and tags are not recorded in the case; timestamp (ACLED's upload "
        "time) is left empty so that exports carry no clock time; fatalities is empty where the record holds no figure",
    )
    return [f"{folder.name}/{n}" for n in ("events.csv", "unmapped_events.csv", CROSSWALK)]
