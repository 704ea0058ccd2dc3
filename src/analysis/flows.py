"""Evacuation flows: how many left, when, from where, to where, and how sure we can be of each number.

One entry point, :func:`reconcile`, computes everything once and returns a frozen
:class:`Reconciliation`:

1. :mod:`analysis.figures`: claims -> low / best / high per subject, quantity and fate
   (one voice per originator, plans beside reports, open bounds kept open), who
   agrees, and how far best moves without any one originator;
2. :mod:`analysis.checks`: every contradiction as a structured record, and plans
   against outcomes (informational);
3. :mod:`analysis.grades`: a grade for every figure (confirmed, fair, single source,
   contested, plan only);
4. :mod:`analysis.movements`: every movement's people, fighters, civilians and buses,
   people derived or imputed (from undisputed evidence) openly where no claim gives them;
5. :mod:`analysis.aggregate` and :mod:`analysis.timeseries`: sums, shares, the one
   answer per question, and the movements on the calendar, all as intervals.

**The window.** ``start_date`` / ``end_date`` keep the movements whose departure-to-arrival
window overlaps them (a movement with no date is kept), by the one rule of
:mod:`analysis.window`.  Figures, checks and the whole-case answers always cover the
whole record: a figure is about a subject, not a day, and a contradiction does not go
away by looking at fewer days.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

import pandas as pd

from . import aggregate, checks
from .figures import DEFAULT_TOLERANCE, check_best_rule, figure, figures, numeric_claims
from .grades import grade_figures
from .movements import SCENARIOS, Ratio, movement_table, people_per_bus
from .timeseries import check_scenario, cumulative, daily_flows, daily_table, undated
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
    "reconcile",
]
HEADLINE = ("people", "fighters", "civilians", "buses")


@dataclass(frozen=True)
class Reconciliation:
    """Everything the flows model says about one case (see :func:`reconcile`).

    ``figures``: one row per (subject, quantity, fate): reported low / best / high and
    their openness, the expected range beside them, who agrees, the grade and the
    sensitivity.  ``movements``: one row per movement in the window (``all_movements``:
    every movement).  ``people_per_bus``: the ratio used to impute people (None where no
    undisputed movement gives it).  ``contradictions``: one structured record per failed
    comparison.  ``plan_vs_outcome``: announced figures and dates against reported ones
    (informational, never a contradiction).
    """

    case: Case
    best_rule: str
    start_date: str | None
    end_date: str | None
    figures: pd.DataFrame
    movements: pd.DataFrame
    all_movements: pd.DataFrame
    people_per_bus: Ratio | None
    contradictions: pd.DataFrame
    plan_vs_outcome: pd.DataFrame
    claims: pd.DataFrame

    def figure(self, subject: str, quantity: str, fate: str = "") -> dict[str, Any] | None:
        """One reconciled figure as a dict, or None."""
        return figure(self.figures, subject, quantity, fate)

    def cited(self) -> tuple[list[str], list[str]]:
        """The claim ids and the document ids this reconciliation rests on: every claim behind a figure, a contradiction
        or a plan, and the documents of the movements in the window (for a report's sources section)."""
        claims: set[str] = set()
        for frame, column in ((self.figures, "claim_ids"), (self.figures, "expected_claim_ids"), (self.contradictions, "claim_ids")):
            claims.update(i for v in frame[column].dropna() for i in str(v).split(";") if i)
        claims.update(i for v in self.plan_vs_outcome["claim_ids"].dropna() for i in str(v).split(";") if i)
        documents = (
            {i for v in self.movements["source_ids"].dropna() for i in str(v).split(";") if i} if "source_ids" in self.movements else set()
        )
        return sorted(claims), sorted(documents)

    def total(self, quantity: str = "people") -> aggregate.Aggregate:
        """The sum of ``quantity`` over the movements in the window."""
        return aggregate.movement_sum(self.movements, quantity)

    @cached_property
    def answers(self) -> dict[str, aggregate.Answer]:
        """The whole-case answer for each headline quantity (over every movement, whatever the window)."""
        out = {}
        for q in HEADLINE:
            head = self.figure("total", q)
            if head is not None and (head["figure_basis"] != "reported" or head["best_from"] == "part_floor"):
                head = None  # a plan, or a figure for part of the case, is not a figure for the whole
            out[q] = aggregate.answer(q, aggregate.movement_sum(self.all_movements, q), head, self.contradictions)
        return out

    def summary(self, scenario: str = "best") -> dict[str, Any]:
        """Key figures for ``summary.json`` under ``scenario`` (JSON-able, keys sorted when written)."""
        check_scenario(scenario)
        mt = self.movements
        sums = {q: self.total(q) for q in ("people", "buses", "fighters")}
        first, last = mt["depart_date"].min(), mt["arrive_date"].max()
        k = self.contradictions
        people = sums["people"].total
        return {
            "case": {"name": self.case.case_id, "title": self.case.title, "path": self.case.location},
            "best_rule": self.best_rule,
            "scenario": scenario,
            "start_date": self.start_date,
            "end_date": self.end_date,
            "answer": {q: a.as_dict() for q, a in self.answers.items()},
            **{q: s.as_dict() for q, s in sums.items()},
            "scenario_people": {"value": _whole(getattr(people, scenario)), "high_open": people.high_open, "n_unknown": people.n_unknown},
            "convoys": len(mt),
            "undated": undated(mt).as_dict(),
            "people_basis": {b: sorted(mt.loc[mt["people_basis"] == b, "movement_id"]) for b in sorted(set(mt["people_basis"]))},
            "imputed_movements": sorted(mt.loc[mt["imputed"], "movement_id"]),
            "people_per_bus": None if self.people_per_bus is None else self.people_per_bus.as_dict(),
            "first_departure": None if pd.isna(first) else first.date().isoformat(),
            "last_arrival": None if pd.isna(last) else last.date().isoformat(),
            "grades": dict(sorted(Counter(self.figures["grade"]).items())),
            "contradictions": {
                "count": len(k),
                "ids": list(k["contradiction_id"]),
                "by_check": {str(a): int(b) for a, b in k["check"].value_counts().sort_index().items()},
            },
            "plan_vs_outcome": len(self.plan_vs_outcome),
        }


def _whole(value: float | None) -> int | None:
    return None if value is None else round(value)


def reconcile(
    case: Case,
    best_rule: str = "median",
    start_date: str | None = None,
    end_date: str | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
) -> Reconciliation:
    """Reconcile a case's claims once: figures, contradictions, grades, ratio, movements in the window, plans vs outcomes."""
    check_best_rule(best_rule, case)
    claims = numeric_claims(case)
    figs = figures(case, best_rule, claims, tolerance)
    inputs = checks.Inputs(case, claims, figs, tolerance)
    contradictions = checks.run(inputs, checks.CHECKS, "K")
    plans = checks.run(inputs, checks.INFORMATIONAL, "P")
    figs = figs.assign(grade=grade_figures(figs, contradictions))
    bounds = checks.plausibility_bounds(case.package).get("people_per_bus")
    ratio = people_per_bus(figs, case.movements["movement_id"], bounds)
    full = movement_table(case, figs, ratio)
    return Reconciliation(
        case=case,
        best_rule=best_rule,
        start_date=start_date,
        end_date=end_date,
        figures=figs,
        movements=within(full, "depart_date", "arrive_date", start_date, end_date),
        all_movements=full,
        people_per_bus=ratio,
        contradictions=contradictions,
        plan_vs_outcome=plans,
        claims=claims,
    )
