"""What happened, phase by phase: the events of a window, the case's phases and its main window (no words here)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from . import vocab
from .window import within

if TYPE_CHECKING:  # pragma: no cover
    from .cases import Case


def events_in_window(case: Case, start: str | None = None, end: str | None = None) -> pd.DataFrame:
    """Events whose date window overlaps [start, end] (the rule of :mod:`analysis.window`), sorted by date then id."""
    ev = within(case.events, "date_start", "date_end", start, end)
    return ev.sort_values(["date_start", "event_id"], kind="stable").reset_index(drop=True)


PRECISE = ("day", "range")


def phase_table(events: pd.DataFrame) -> pd.DataFrame:
    """One row per phase present, in phase order: the first and last day of its events dated to the day (a month- or
    year-precision event would stretch a phase over a whole month: 'evacuation 1-30 April' starting before the
    surrender), how precise that span is, and how many events the phase has.

    A phase whose events are all dated to the month or the year spans them as given, and says so
    (``precision`` month or year).
    """
    rows = []
    for phase, g in events.groupby("phase", observed=True, sort=True):
        precise = g[g["date_precision"].astype(str).isin(PRECISE)]
        span = precise if len(precise) else g
        coarsest = "day" if len(precise) else ("year" if (g["date_precision"].astype(str) == "year").any() else "month")
        rows.append(
            {
                "phase": str(phase),
                "first": span["date_start"].min(),
                "last": span["date_end"].max(),
                "precision": coarsest,
                "events": len(g),
            }
        )
    return pd.DataFrame(rows, columns=["phase", "first", "last", "precision", "events"])


def summary(events: pd.DataFrame) -> dict[str, Any]:
    """Event counts per phase and the span of the events kept."""
    return {
        "events": len(events),
        "events_by_phase": {str(k): int(v) for k, v in events.groupby("phase", observed=True).size().items()},
        "first_event": None if events.empty else events["date_start"].min().date().isoformat(),
        "last_event": None if events.empty else events["date_end"].max().date().isoformat(),
    }


def main_window(events: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The case's main window: from the first to the last day of the events after the context phase (the phase
    vocabulary's ``context`` role, in ``datapackage.json``).

    Only day- and range-precision events count (a year-precision event would stretch the window);
    without any, every event counts.  None for no events.
    """
    if events.empty:
        return None
    ev = events[events["phase"].astype(str) != vocab.vocabulary("phase").role("context")]
    precise = ev[ev["date_precision"].astype(str).isin(["day", "range"])]
    ev = precise if len(precise) else (ev if len(ev) else events)
    return ev["date_start"].min(), ev["date_end"].max()


def phase_order(case: Case) -> list[str]:
    """The phases in the order of the case's vocabulary (the data package's enum)."""
    cat = case.events["phase"]
    return [str(p) for p in cat.cat.categories] if isinstance(cat.dtype, pd.CategoricalDtype) else sorted(set(cat.astype(str)))


def cited(case: Case, events: pd.DataFrame) -> list[str]:
    """The documents the timeline report cites: its events', its agreements' and their terms' sources."""
    ids: set[str] = set()
    frames = [events, case.tables.get("agreements"), case.tables.get("provisions")]
    for frame in frames:
        if frame is not None and "source_ids" in frame:
            ids.update(i for v in frame["source_ids"].dropna() for i in str(v).split(";") if i)
    return sorted(ids)
