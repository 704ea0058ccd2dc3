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


def phase_table(events: pd.DataFrame) -> pd.DataFrame:
    """One row per phase present: first and last day of its events, and how many there are."""
    g = events.groupby("phase", observed=True)
    out = pd.DataFrame(
        {
            "first_day": g["date_start"].min().dt.date.astype(str),
            "last_day": g["date_end"].max().dt.date.astype(str),
            "events": g.size(),
        }
    )
    return out.reset_index().assign(phase=lambda d: d["phase"].astype(str))


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
