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
    "date_end",
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
    """One row per day (or window of days, where the sources give a departure or an arrival over several days)."""
    dated = mt[mt[col].notna()]
    end = dated[f"{col}_end"].fillna(dated[col]) if f"{col}_end" in dated.columns else dated[col]
    rows = []
    for (day, last), g in dated.assign(_end=end).groupby([col, "_end"], sort=True):
        row: dict = {"date": day, "date_end": last, "event": event, "movements": len(g)}
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
    for c in DAILY_COLUMNS[4:10]:
        out[c] = pd.array([pd.NA if v is None or v != v else round(v) for v in out[c]], dtype="Int64")
    return out.sort_values(["date", "date_end", "event"], kind="stable").reset_index(drop=True)


def daily_table(mt: pd.DataFrame) -> pd.DataFrame:
    """One row per day with departures or arrivals: movements, people (low, best, high, open, unknown) each way."""
    d = daily_flows(mt)
    if d.empty:
        return pd.DataFrame()
    parts = []
    for event, _ in EVENTS:
        e = d[d["event"] == event].drop(columns="event").set_index(["date", "date_end"])
        parts.append(e.add_prefix(f"{event}_"))
    table = pd.concat(parts, axis=1).sort_index()
    for event, _ in EVENTS:
        table[f"{event}_movements"] = table[f"{event}_movements"].fillna(0).astype(int)
    table.index = pd.MultiIndex.from_tuples([(a.date(), b.date()) for a, b in table.index], names=["date", "date_end"])
    return table


def cumulative(mt: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """People who had left by each day (by ``timeline_date``), low / best / high, optionally for each value of ``by``.

    Every day from the first to the last date is present.  A departure over several days (``depart_date_end``)
    counts in the low from its last day, and in best and high from its first.  ``people_high_open`` is True from
    the day a movement with no figure (or an open figure) is counted; ``people_unknown`` counts those movements so
    far.  Undated movements are not here (:func:`undated`).
    """
    dated = mt[mt["timeline_date"].notna()]
    keys = ["date", by] if by else ["date"]
    cols = ["people_low", "people_best", "people_high", "people_high_open", "people_unknown"]
    if dated.empty:
        return pd.DataFrame(columns=[*keys, *cols])
    known = dated["people_best"].notna()
    grp = dated[by].astype(str) if by else pd.Series("", index=dated.index)
    last = dated["depart_date_end"].fillna(dated["timeline_date"]) if "depart_date_end" in dated.columns else dated["timeline_date"]
    num = lambda c: dated[c].astype("Float64").fillna(0).astype(float)  # noqa: E731
    first_day = pd.DataFrame(
        {
            "grp": grp,
            "date": dated["timeline_date"],
            "people_low": 0.0,
            "people_best": num("people_best"),
            "people_high": num("people_high"),
            "opens": (~known | dated["people_high_open"].astype(bool)).astype(int),
            "people_unknown": (~known).astype(int),
            "n_known": known.astype(int),
        }
    )
    last_day = pd.DataFrame({"grp": grp, "date": last, "people_low": num("people_low")})
    daily = pd.concat([first_day, last_day], ignore_index=True).fillna(0).groupby(["grp", "date"]).sum()
    days = pd.date_range(dated["timeline_date"].min(), max(dated["timeline_date"].max(), last.max()), freq="D")
    full = pd.MultiIndex.from_product([sorted(grp.unique()), days], names=["grp", "date"])
    run = daily.reindex(full, fill_value=0).groupby(level="grp").cumsum().reset_index()
    run["people_best"] = run["people_best"].where(run["n_known"] > 0)
    run["people_high"] = run["people_high"].where(run["n_known"] > 0)
    run["people_high_open"] = run["opens"] > 0
    out = run.rename(columns={"grp": by}) if by else run
    return out[[*keys, *cols]].sort_values(keys, kind="stable").reset_index(drop=True)


def undated(mt: pd.DataFrame) -> Aggregate:
    """The movements with no date at all, and what they carry (the cumulative series leaves them out)."""
    return movement_sum(mt[mt["timeline_date"].isna()], "people")
