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
- ``country`` and ``iso`` come from the case's data package: its top-level
  ``qalamoun:country`` (``name``, ``iso3``, ``iso_numeric``: ACLED's ``iso`` is
  the ISO 3166-1 numeric code), checked by :func:`country` before anything is
  written.  A case without it leaves both empty, and the export's metadata says so.
- ``region``, ``admin1``-``admin3``, ``source_scale`` and ``tags``: the case does
  not record them; they are left empty.
- ``timestamp`` is ACLED's upload time; exports carry no clock time, so it is empty.

``metadata.json`` lists every ACLED column left empty (always, or for some rows)
and why (:func:`empty_columns`).
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
COUNTRY_KEY = "qalamoun:country"  # top-level property of a case's datapackage.json
WEEK_DAYS = 7  # ACLED time_precision 2: a specific week
MONTH_DAYS = 31  # ACLED time_precision 3: a particular month


class CountryError(ValueError):
    """The data package's ``qalamoun:country`` is malformed; the message names the file, the key and the value."""


def country(package: dict[str, Any], where: str = "datapackage.json") -> dict[str, Any] | None:
    """The case's country from its data package (``name``, ``iso3``, ``iso_numeric``), checked; None if it has none.

    ``where`` names the file in errors.  ``iso3`` is three capital letters (ISO 3166-1 alpha-3), ``iso_numeric`` a whole
    number from 1 to 999 (ISO 3166-1 numeric, ACLED's ``iso``), ``name`` the country's name as ACLED writes it.
    """
    value = package.get(COUNTRY_KEY)
    if value is None:
        return None
    if not isinstance(value, dict):
        raise CountryError(f"{where}: {COUNTRY_KEY} must be an object with name, iso3 and iso_numeric, not {value!r}")
    problems = []
    name, iso3, numeric = value.get("name"), value.get("iso3"), value.get("iso_numeric")
    if not isinstance(name, str) or not name.strip():
        problems.append(f"{COUNTRY_KEY}.name must be the country's name, not {name!r}")
    if not (isinstance(iso3, str) and len(iso3) == 3 and iso3.isascii() and iso3.isalpha() and iso3.isupper()):
        problems.append(f"{COUNTRY_KEY}.iso3 must be three capital letters (ISO 3166-1 alpha-3), not {iso3!r}")
    if isinstance(numeric, bool) or not isinstance(numeric, int) or not 1 <= numeric <= 999:
        problems.append(f"{COUNTRY_KEY}.iso_numeric must be a whole number from 1 to 999 (ISO 3166-1 numeric), not {numeric!r}")
    unknown = sorted(set(value) - {"name", "iso3", "iso_numeric"})
    if unknown:
        problems.append(f"{COUNTRY_KEY} has unknown key(s) {', '.join(unknown)}; it takes name, iso3 and iso_numeric")
    if problems:
        raise CountryError(f"{where}: " + "; ".join(problems))
    return {"name": name.strip(), "iso3": iso3, "iso_numeric": numeric}


def empty_columns(where_country: dict[str, Any] | None, n_events: int, n_fatalities: int) -> dict[str, str]:
    """Every ACLED column the export leaves empty, always or in some rows, and why."""
    empty = {}
    if where_country is None:
        reason = f"the case's datapackage.json has no {COUNTRY_KEY} (name, iso3, iso_numeric): the country is not recorded"
        empty["iso"] = empty["country"] = reason
    empty["region"] = "not recorded in the case (ACLED's regions are ACLED's own grouping of countries)"
    for admin in ("admin1", "admin2", "admin3"):
        empty[admin] = "not recorded in the case: places carry a name, a point and a precision, not administrative units"
    empty["source_scale"] = "not recorded in the case: sources carry a kind and a leaning, not ACLED's scale"
    empty["tags"] = "not recorded in the case"
    empty["timestamp"] = "ACLED's upload time: exports carry no clock time, so that the same case gives the same bytes"
    if n_fatalities < n_events:
        empty["fatalities"] = (
            f"empty in {n_events - n_fatalities} of {n_events} rows: the record holds no killed figure for those events "
            "(ACLED writes 0 for none reported; the record does not say none)"
        )
    return empty


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
    where = ctx.memo("acled:country", lambda: country(ctx.case.package)) or {}
    p = places.get(str(e["place_id"]), {})
    side1, side2, others = _sides(ctx, split(e["actor_ids"]))
    actor1, assoc1, inter1 = _actor_cells(side1)
    actor2, assoc2, inter2 = _actor_cells(side2)
    notes = cell(e["summary_en"]) + (f" Also involved: {'; '.join(others)}." if others else "")
    fatalities = ctx.memo("acled:killed", lambda: killed(ctx)).get(str(e["event_id"]))
    return [
        e["event_id"], date, date.year, precision, cw["disorder_type"], cw["event_type"], cw["sub_event_type"],
        actor1, assoc1, inter1, actor2, assoc2, inter2, interaction(inter1, inter2), cw["civilian_targeting"],
        where.get("iso_numeric"), None, where.get("name"), None, None, None, p.get("name_en"), p.get("lat"), p.get("lon"),
        p.get("geo_precision"),
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
    where = ctx.memo("acled:country", lambda: country(ctx.case.package))
    n_fatalities = sum(r[COLUMNS.index("fatalities")] is not None for r in rows)
    ctx.note("acled", "events", len(rows))
    ctx.note("acled", "not_exported", [{"event_id": u[0], "event_type": u[1], "reason": u[2]} for u in unmapped])
    ctx.note("acled", "country", {**where, "from": f"datapackage.json, {COUNTRY_KEY}"} if where else None)
    ctx.note("acled", "empty_columns", empty_columns(where, len(rows), n_fatalities))
    return [f"{folder.name}/{n}" for n in ("events.csv", "unmapped_events.csv", CROSSWALK)]
