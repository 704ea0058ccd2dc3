"""Movements on the calendar: departures and arrivals per day, cumulative people by destination, origin x destination.

Every function takes the movement table of :func:`analysis.flows.reconcile`
(``rec.movements``) and gives its figures for the three scenarios (low, best, high).
"""

from __future__ import annotations

import pandas as pd

from .movements import SCENARIOS


def check_scenario(scenario: str) -> str:
    """Return ``scenario`` if it is one of low, best, high, else raise ValueError."""
    if scenario not in SCENARIOS:
        raise ValueError(f"scenario must be one of {', '.join(SCENARIOS)}, not {scenario!r}")
    return scenario


def daily_flows(mt: pd.DataFrame) -> pd.DataFrame:
    """Departures and arrivals per day, long format: date, event, scenario, people, buses, movements.

    Movements without the relevant date are left out of that series (their
    count is in ``undated``).  Every day between the first and last date is
    present, with zeros.
    """
    frames = []
    for event, col in (("departure", "depart_date"), ("arrival", "arrive_date")):
        dated = mt[mt[col].notna()]
        for s in SCENARIOS:
            g = (
                dated.groupby(col)
                .agg(
                    people=(f"people_{s}", "sum"),
                    buses=(f"buses_{s}", "sum"),
                    movements=("movement_id", "size"),
                )
                .astype("int64")
            )
            g.index.name = "date"
            g = g.reset_index()
            g["event"], g["scenario"] = event, s
            g["undated"] = int(mt[col].isna().sum())
            frames.append(g)
    out = pd.concat(frames, ignore_index=True)
    if out.empty:
        return out
    days = pd.date_range(out["date"].min(), out["date"].max(), freq="D")
    full = pd.MultiIndex.from_product([days, ["departure", "arrival"], list(SCENARIOS)], names=["date", "event", "scenario"])
    undated = out.groupby("event")["undated"].first()
    out = out.set_index(["date", "event", "scenario"]).drop(columns="undated").reindex(full, fill_value=0).reset_index()
    out["undated"] = out["event"].map(undated).fillna(0).astype(int)
    return out.sort_values(["date", "event", "scenario"], kind="stable").reset_index(drop=True)


def daily_table(mt: pd.DataFrame, scenario: str = "best") -> pd.DataFrame:
    """People and buses leaving and arriving each day under ``scenario`` (one row per day, days without any kept)."""
    check_scenario(scenario)
    daily = daily_flows(mt)
    if daily.empty:
        return pd.DataFrame()
    d = daily[daily["scenario"] == scenario]
    table = d.pivot_table(index="date", columns="event", values=["people", "buses", "movements"], aggfunc="sum", fill_value=0)
    table.columns = [f"{event}_{what}" for what, event in table.columns]
    order = [f"{e}_{w}" for e in ("departure", "arrival") for w in ("movements", "buses", "people")]
    table = table[[c for c in order if c in table.columns]]
    table.index = table.index.date
    table.index.name = "date"
    return table.astype("int64")


def cumulative(mt: pd.DataFrame, by: str = "destination_place_id") -> pd.DataFrame:
    """Cumulative people and buses by ``timeline_date`` for each value of ``by``, all three scenarios.

    Columns: date, ``by``, people_low/best/high, buses_low/best/high.  Every
    group has a row for every day from the first to the last date.
    """
    dated = mt[mt["timeline_date"].notna()]
    cols = [f"{q}_{s}" for q in ("people", "buses") for s in SCENARIOS]
    if dated.empty:
        return pd.DataFrame(columns=["date", by, *cols])
    days = pd.date_range(dated["timeline_date"].min(), dated["timeline_date"].max(), freq="D")
    daily = dated.groupby(["timeline_date", by])[cols].sum(min_count=1).fillna(0).astype("int64")
    groups = sorted(dated[by].unique())
    full = pd.MultiIndex.from_product([days, groups], names=["date", by])
    daily.index = daily.index.set_names(["date", by])
    daily = daily.reindex(full, fill_value=0)
    out = daily.groupby(level=by).cumsum().reset_index()
    return out.sort_values(["date", by], kind="stable").reset_index(drop=True)


def od_matrix(mt: pd.DataFrame, scenario: str = "best", quantity: str = "people", top: int | None = None) -> pd.DataFrame:
    """Origin x destination table of ``quantity`` under ``scenario`` (rows and columns sorted).

    With ``top``, only the ``top`` origins and destinations with the most of ``quantity`` are kept.
    """
    check_scenario(scenario)
    col = f"{quantity}_{scenario}"
    data = mt.assign(_v=mt[col].fillna(0).astype("int64"))
    if top is not None:
        keep_o = data.groupby("origin_place_id")["_v"].sum().sort_values(ascending=False, kind="stable").index[:top]
        keep_d = data.groupby("destination_place_id")["_v"].sum().sort_values(ascending=False, kind="stable").index[:top]
        data = data[data["origin_place_id"].isin(keep_o) & data["destination_place_id"].isin(keep_d)]
    table = data.pivot_table(index="origin_place_id", columns="destination_place_id", values="_v", aggfunc="sum", fill_value=0)
    return table.sort_index().sort_index(axis=1).astype("int64")


def totals(mt: pd.DataFrame) -> dict[str, dict[str, int | None]]:
    """Sum of people, buses and fighters over the movements, low / best / high.

    Movements without a figure count 0; where no movement has a figure at all the sum is None (unknown, not zero).
    """
    return {
        q: {s: (int(mt[f"{q}_{s}"].fillna(0).sum()) if mt[f"{q}_{s}"].notna().any() else None) for s in SCENARIOS}
        for q in ("people", "buses", "fighters")
    }
