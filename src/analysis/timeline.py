"""What happened, phase by phase: event tables for the timeline notebook."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from .window import within

if TYPE_CHECKING:  # pragma: no cover
    from .cases import Case


def events_in_window(case: Case, start: str | None = None, end: str | None = None) -> pd.DataFrame:
    """Events whose date window overlaps [start, end] (the rule of :mod:`analysis.window`), sorted by date then id."""
    ev = within(case.events, "date_start", "date_end", start, end)
    return ev.sort_values(["date_start", "event_id"], kind="stable").reset_index(drop=True)


def event_table(case: Case, events: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """A readable table of events: when (as precise as known), phase, type, where, what, sources."""
    places = case.places.set_index("place_id")[f"name_{lang}"]

    def when(r: Any) -> str:
        if r.date_precision == "year":
            return str(r.date_start.year)
        if r.date_precision == "month":
            return r.date_start.strftime("%Y-%m")
        if r.date_start == r.date_end:
            return r.date_start.date().isoformat()
        return f"{r.date_start.date().isoformat()} to {r.date_end.date().isoformat()}"

    return pd.DataFrame(
        {
            "when": [when(r) for r in events.itertuples()],
            "phase": events["phase"].astype(str),
            "event": events["event_type"].astype(str).str.replace("_", " "),
            "where": events["place_id"].map(places),
            "what": events[f"summary_{lang}"],
            "sources": events["source_ids"].str.replace(";", ", "),
        }
    )


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
