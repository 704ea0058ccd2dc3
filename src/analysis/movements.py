"""Reconciled figures -> one row per movement, with people filled in openly where no claim gives them.

People for a movement come, in this order, from its reported claims (``claimed``),
from its fighters plus civilians (``derived``), or from its buses times a
people-per-bus ratio (``imputed``); otherwise they are ``unknown`` and stay unknown
(NA, never 0).  Derived and imputed figures obey people >= fighters and people >=
fighters + civilians (on the lows); claimed figures are left as the sources give
them, and :mod:`analysis.checks` flags claims that break those constraints.

The ratio comes only from undisputed evidence: movements whose people and buses
are both undisputed (:func:`analysis.grades.undisputed`) and whose ratio lies
inside the case's plausibility bounds (``qalamoun:plausibility``, an assumption
declared as data).  Its low, best and high are the smallest, lower-middle and
largest of those movements' ratios, so an imputed figure stays inside the bounds.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from .figures import lower_median, round_half_up
from .grades import undisputed

if TYPE_CHECKING:  # pragma: no cover
    from .cases import Case

SCENARIOS: tuple[str, ...] = ("low", "best", "high")
QUANTITIES: tuple[str, ...] = ("people", "fighters", "civilians", "buses")
BASES: tuple[str, ...] = ("claimed", "derived", "imputed", "unknown")


@dataclass(frozen=True)
class Ratio:
    """People per bus, from the undisputed movements that report both, inside the plausibility bounds."""

    low: float
    best: float
    high: float
    movements: tuple[str, ...]
    bounds: tuple[float, float] | None = None

    def as_dict(self) -> dict[str, Any]:
        """Rounded to one decimal, for summaries."""
        out = {"low": round(self.low, 1), "best": round(self.best, 1), "high": round(self.high, 1), "movements": list(self.movements)}
        if self.bounds is not None:
            out["bounds"] = list(self.bounds)
        return out


def people_per_bus(figs: pd.DataFrame, movement_ids: Iterable[str], bounds: tuple[float, float] | None = None) -> Ratio | None:
    """People per bus from the movements whose people and buses are both undisputed, inside ``bounds`` (None if none)."""
    ok = figs[figs["subject"].isin(set(movement_ids)) & (figs["fate"] == "") & undisputed(figs)]
    people = ok[ok["quantity"] == "people"].set_index("subject")["best"]
    buses = ok[ok["quantity"] == "buses"].set_index("subject")["best"]
    pairs = []
    for m in sorted(people.index.intersection(buses.index)):
        if pd.notna(buses[m]) and buses[m] > 0:
            r = float(people[m]) / float(buses[m])
            if bounds is None or bounds[0] <= r <= bounds[1]:
                pairs.append((m, r))
    if not pairs:
        return None
    ratios = [r for _, r in pairs]
    return Ratio(min(ratios), lower_median(ratios), max(ratios), tuple(m for m, _ in pairs), bounds)


def _attach(out: pd.DataFrame, figs: pd.DataFrame) -> pd.DataFrame:
    """Each movement's reported figures, their grades and the expected range for people and buses, as columns."""
    f = figs[figs["subject"].isin(set(out["movement_id"])) & (figs["fate"] == "")]
    for q in QUANTITIES:
        sub = f[f["quantity"] == q].set_index("subject")
        rep = sub[sub["figure_basis"] == "reported"]
        for s in SCENARIOS:
            out[f"{q}_{s}"] = out["movement_id"].map(rep[s]).astype("Int64")
        out[f"{q}_low_open"] = out["movement_id"].map(rep["low_open"]).eq(True)
        out[f"{q}_high_open"] = out["movement_id"].map(rep["high_open"]).eq(True)
        out[f"{q}_claims"] = out["movement_id"].map(sub["claim_ids"]).replace("", pd.NA)
        out[f"{q}_grade"] = out["movement_id"].map(sub["grade"])
        if q in ("people", "buses"):
            out[f"{q}_expected_low"] = out["movement_id"].map(sub["expected_low"]).astype("Int64")
            out[f"{q}_expected_high"] = out["movement_id"].map(sub["expected_high"]).astype("Int64")
    return out


def _fill_people(out: pd.DataFrame, ratio: Ratio | None) -> pd.DataFrame:
    """Derive people from fighters + civilians, else impute them from buses; say which."""
    out["people_basis"] = ["claimed" if pd.notna(v) else "unknown" for v in out["people_best"]]
    derive = out["people_best"].isna() & out["fighters_best"].notna() & out["civilians_best"].notna()
    for s in SCENARIOS:
        out.loc[derive, f"people_{s}"] = out.loc[derive, f"fighters_{s}"] + out.loc[derive, f"civilians_{s}"]
    for side in ("low_open", "high_open"):
        out.loc[derive, f"people_{side}"] = out.loc[derive, f"fighters_{side}"] | out.loc[derive, f"civilians_{side}"]
    out.loc[derive, "people_basis"] = "derived"
    impute = out["people_best"].isna() & out["buses_best"].notna()
    if ratio is not None and impute.any():
        for s, r in zip(SCENARIOS, (ratio.low, ratio.best, ratio.high), strict=True):
            out.loc[impute, f"people_{s}"] = (out.loc[impute, f"buses_{s}"].astype(float) * r).map(round_half_up)
        out.loc[impute, "people_high_open"] = out.loc[impute, "buses_high_open"]
        out.loc[impute, "people_low_open"] = out.loc[impute, "buses_low_open"]
        out.loc[impute, "people_basis"] = "imputed"
    return out


def _constrain(out: pd.DataFrame) -> pd.DataFrame:
    """people >= fighters and people >= fighters + civilians (lows), for derived and imputed people."""
    modelled = out["people_basis"].isin(["derived", "imputed"])
    if not modelled.any():
        return out
    f_low, c_low = out["fighters_low"].astype("Float64").fillna(0), out["civilians_low"].astype("Float64").fillna(0)
    low = pd.concat([out["people_low"], out["fighters_low"], f_low + c_low], axis=1).astype("Float64").max(axis=1)
    best = pd.concat([out["people_best"], out["fighters_best"], low], axis=1).astype("Float64").max(axis=1)
    high = pd.concat([out["people_high"], out["fighters_high"], best], axis=1).astype("Float64").max(axis=1)
    for col, new in (("people_low", low), ("people_best", best), ("people_high", high)):
        out.loc[modelled, col] = new[modelled].round().astype("Int64")
    return out


def movement_table(case: Case, figs: pd.DataFrame, ratio: Ratio | None) -> pd.DataFrame:
    """One row per movement: places, dates, people / fighters / civilians / buses (low, best, high, openness, grade),
    how people are known.

    ``timeline_date`` is the departure date, or the arrival date where the departure
    is not known.  Sorted by timeline date, then id.
    """
    cols = ["movement_id", "label_en", "label_es", "origin_place_id", "destination_place_id", "via_place_id"]
    extra = [c for c in case.movements.columns if c.startswith(("label_", "depart_date", "arrive_date")) and c not in cols]
    out = case.movements[[*cols, *extra, "actor_ids", "source_ids"]].copy()
    out["timeline_date"] = out["depart_date"].fillna(out["arrive_date"])
    out = _constrain(_fill_people(_attach(out, figs), ratio))
    for s in SCENARIOS:
        out[f"people_{s}"] = out[f"people_{s}"].astype("Int64")
    out["imputed"] = out["people_basis"] == "imputed"
    return out.sort_values(["timeline_date", "movement_id"], kind="stable", na_position="last").reset_index(drop=True)
