"""Movements on the calendar: departures and arrivals per day, and people who had left, over time.

Every function takes the movement table of :func:`analysis.flows.reconcile`
(``rec.movements``).  Figures are intervals (low, best, high) and a movement with no
figure is counted as *unknown* on its day (``people_unknown``), never added as 0:
from that day on, the high is open.  A movement with no date cannot be placed: it
is left out of the series and counted by :func:`undated`, so a chart can say so.
"""

from __future__ import annotations

import pandas as pd

from .aggregate import Aggregate, movement_sum
from .movements import SCENARIOS

EVENTS = (("departure", "depart_date"), ("arrival", "arrive_date"))
DAILY_COLUMNS = [
    "date",
    "event",
    "movements",
    *(f"{q}_{s}" for q in ("people", "buses") for s in SCENARIOS),
    "people_high_open",
    "people_unknown",
    "buses_high_open",
    "buses_unknown",
]


def check_scenario(scenario: str) -> str:
    """Return ``scenario`` if it is one of low, best, high, else raise ValueError."""
    if scenario not in SCENARIOS:
        raise ValueError(f"scenario must be one of {', '.join(SCENARIOS)}, not {scenario!r}")
    return scenario


def _day_rows(mt: pd.DataFrame, event: str, col: str) -> list[dict]:
    rows = []
    for day, g in mt[mt[col].notna()].groupby(col, sort=True):
        row: dict = {"date": day, "event": event, "movements": len(g)}
        for q in ("people", "buses"):
            agg = movement_sum(g, q)
            t = agg.total
            row.update({f"{q}_low": t.low, f"{q}_best": t.best, f"{q}_high": t.high})
            row.update({f"{q}_high_open": t.high_open, f"{q}_unknown": agg.n_unknown})
        rows.append(row)
    return rows


def daily_flows(mt: pd.DataFrame) -> pd.DataFrame:
    """Departures and arrivals per day that has any (one row per day and event), as intervals with unknowns counted.

    ``people_best`` is the sum of the known figures, NA where no movement of the day
    has one; ``people_unknown`` counts that day's movements with no figure.
    """
    rows = [r for event, col in EVENTS for r in _day_rows(mt, event, col)]
    out = pd.DataFrame(rows, columns=DAILY_COLUMNS)
    for c in DAILY_COLUMNS[3:9]:
        out[c] = pd.array([pd.NA if v is None or v != v else round(v) for v in out[c]], dtype="Int64")
    return out.sort_values(["date", "event"], kind="stable").reset_index(drop=True)


def daily_table(mt: pd.DataFrame) -> pd.DataFrame:
    """One row per day with departures or arrivals: movements, people (low, best, high, open, unknown) each way."""
    d = daily_flows(mt)
    if d.empty:
        return pd.DataFrame()
    parts = []
    for event, _ in EVENTS:
        e = d[d["event"] == event].drop(columns="event").set_index("date")
        parts.append(e.add_prefix(f"{event}_"))
    table = pd.concat(parts, axis=1).sort_index()
    for event, _ in EVENTS:
        table[f"{event}_movements"] = table[f"{event}_movements"].fillna(0).astype(int)
    table.index = pd.Index([ts.date() for ts in table.index], name="date")
    return table


def cumulative(mt: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """People who had left by each day (by ``timeline_date``), low / best / high, optionally for each value of ``by``.

    Every day from the first to the last date is present.  ``people_high_open`` is True
    from the day a movement with no figure (or an open figure) is counted;
    ``people_unknown`` counts those movements so far.  Undated movements are not
    here (:func:`undated`).
    """
    dated = mt[mt["timeline_date"].notna()]
    keys = ["date", by] if by else ["date"]
    cols = ["people_low", "people_best", "people_high", "people_high_open", "people_unknown"]
    if dated.empty:
        return pd.DataFrame(columns=[*keys, *cols])
    known = dated["people_best"].notna()
    per = pd.DataFrame(
        {
            "date": dated["timeline_date"],
            "grp": dated[by].astype(str) if by else "",
            "people_low": dated["people_low"].astype("Float64").fillna(0).astype(float),
            "people_best": dated["people_best"].astype("Float64").fillna(0).astype(float),
            "people_high": dated["people_high"].astype("Float64").fillna(0).astype(float),
            "opens": (~known | dated["people_high_open"].astype(bool)).astype(int),
            "people_unknown": (~known).astype(int),
            "n_known": known.astype(int),
        }
    )
    daily = per.groupby(["grp", "date"]).sum()
    days = pd.date_range(dated["timeline_date"].min(), dated["timeline_date"].max(), freq="D")
    full = pd.MultiIndex.from_product([sorted(per["grp"].unique()), days], names=["grp", "date"])
    run = daily.reindex(full, fill_value=0).groupby(level="grp").cumsum().reset_index()
    run["people_best"] = run["people_best"].where(run["n_known"] > 0)
    run["people_high"] = run["people_high"].where(run["n_known"] > 0)
    run["people_high_open"] = run["opens"] > 0
    out = run.rename(columns={"grp": by}) if by else run
    return out[[*keys, *cols]].sort_values(keys, kind="stable").reset_index(drop=True)


def undated(mt: pd.DataFrame) -> Aggregate:
    """The movements with no date at all, and what they carry (the cumulative series leaves them out)."""
    return movement_sum(mt[mt["timeline_date"].isna()], "people")
