"""Evacuation flows: how many left, when, from where, to where, and how sure we can be of each number.

One entry point, :func:`reconcile`, computes everything once and returns a frozen
:class:`Reconciliation`:

1. :mod:`analysis.figures`: claims -> low / best / high per subject and quantity
   (one vote per originator, plans beside reports, open bounds kept open);
2. :mod:`analysis.movements`: every movement's people, fighters, civilians and buses,
   people derived or imputed openly where no claim gives them;
3. :mod:`analysis.checks`: every contradiction, one row per comparison, and plans
   against outcomes (informational);
4. :mod:`analysis.timeseries`: the movements laid on the calendar.

**The window.** ``start_date`` / ``end_date`` keep the movements whose departure-to-arrival
window overlaps them (a movement with no date is kept), by the one rule of
:mod:`analysis.window`.  Figures and checks always cover the whole record: a figure
is about a subject, not a day, and a contradiction does not go away by looking at
fewer days.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from . import checks
from .figures import check_best_rule, figure, figures, numeric_claims
from .movements import SCENARIOS, Ratio, movement_table, people_per_bus
from .timeseries import check_scenario, cumulative, daily_flows, daily_table, od_matrix, totals
from .window import within

if TYPE_CHECKING:  # pragma: no cover
    from .cases import Case

__all__ = [
    "SCENARIOS",
    "Ratio",
    "Reconciliation",
    "check_best_rule",
    "check_scenario",
    "cumulative",
    "daily_flows",
    "daily_table",
    "figure",
    "numeric_claims",
    "od_matrix",
    "reconcile",
    "totals",
]
HEADLINE = ("people", "fighters", "civilians", "buses")


@dataclass(frozen=True)
class Reconciliation:
    """Everything the flows model says about one case (see :func:`reconcile`).

    ``figures``: one row per (subject, quantity): reported low / best / high and their
    openness, the expected range beside them, and the claims, documents and originators
    behind them.  ``movements``: one row per movement in the window.  ``people_per_bus``:
    the ratio used to impute people (None where no movement reports both).
    ``contradictions``: one row per failed comparison, listing every claim and value
    involved.  ``plan_vs_outcome``: announced figures and dates against reported ones
    (informational, never a contradiction).
    """

    case: Case
    best_rule: str
    start_date: str | None
    end_date: str | None
    figures: pd.DataFrame
    movements: pd.DataFrame
    people_per_bus: Ratio | None
    contradictions: pd.DataFrame
    plan_vs_outcome: pd.DataFrame

    def figure(self, subject: str, quantity: str) -> dict[str, Any] | None:
        """One reconciled figure as a dict, or None."""
        return figure(self.figures, subject, quantity)

    def headline(self) -> dict[str, dict[str, Any]]:
        """The ``total`` figures: low / best / high, openness, expected range, originators."""
        out = {}
        for q in HEADLINE:
            f = self.figure("total", q)
            if f is not None:
                out[q] = {k: _plain(f[k]) for k in ("low", "best", "high", "low_open", "high_open", "expected_low", "expected_high")}
                out[q]["n_originators"] = int(f["n_originators"])
        return out

    def summary(self, scenario: str = "best") -> dict[str, Any]:
        """Key figures for ``summary.json`` under ``scenario`` (JSON-able, keys sorted when written)."""
        check_scenario(scenario)
        mt = self.movements
        tot = totals(mt)
        first, last = mt["depart_date"].min(), mt["arrive_date"].max()
        k = self.contradictions
        return {
            "case": {"name": self.case.case_id, "title": self.case.title, "path": self.case.location},
            "best_rule": self.best_rule,
            "scenario": scenario,
            "start_date": self.start_date,
            "end_date": self.end_date,
            "people": tot["people"],
            "buses": tot["buses"],
            "fighters": tot["fighters"],
            "high_open": {q: bool(mt[f"{q}_high_open"].any()) for q in ("people", "buses")},
            "scenario_people": tot["people"][scenario],
            "scenario_buses": tot["buses"][scenario],
            "headline_claims": self.headline(),
            "convoys": len(mt),
            "people_basis": {b: sorted(mt.loc[mt["people_basis"] == b, "movement_id"]) for b in sorted(set(mt["people_basis"]))},
            "imputed_movements": sorted(mt.loc[mt["imputed"], "movement_id"]),
            "people_per_bus": None if self.people_per_bus is None else self.people_per_bus.as_dict(),
            "first_departure": None if pd.isna(first) else first.date().isoformat(),
            "last_arrival": None if pd.isna(last) else last.date().isoformat(),
            "contradictions": {
                "count": len(k),
                "ids": list(k["contradiction_id"]),
                "by_check": {str(a): int(b) for a, b in k["check"].value_counts().sort_index().items()},
            },
            "plan_vs_outcome": len(self.plan_vs_outcome),
        }


def _plain(value: Any) -> Any:
    """A pandas or numpy scalar as plain JSON (NA -> None)."""
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if value is None or pd.isna(value):
        return None
    return int(value) if isinstance(value, int | np.integer) else value


def reconcile(
    case: Case,
    best_rule: str = "median",
    start_date: str | None = None,
    end_date: str | None = None,
    tolerance: float = checks.DEFAULT_TOLERANCE,
) -> Reconciliation:
    """Reconcile a case's claims once: figures, movements in the window, ratio, contradictions, plans vs outcomes."""
    check_best_rule(best_rule, case)
    claims = numeric_claims(case)
    figs = figures(case, best_rule, claims)
    ratio = people_per_bus(figs, case.movements["movement_id"])
    full = movement_table(case, figs, ratio)
    inputs = checks.Inputs(case, claims, figs, full, tolerance)
    return Reconciliation(
        case=case,
        best_rule=best_rule,
        start_date=start_date,
        end_date=end_date,
        figures=figs,
        movements=within(full, "depart_date", "arrive_date", start_date, end_date),
        people_per_bus=ratio,
        contradictions=checks.run(inputs, checks.CHECKS, "K"),
        plan_vs_outcome=checks.run(inputs, checks.INFORMATIONAL, "P"),
    )
