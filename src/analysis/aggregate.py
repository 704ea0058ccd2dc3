"""Totals, shares and the one answer per question, as honest as the ranges they are built from.

Every aggregate is interval arithmetic over the movements (:mod:`analysis.intervals`):

- a movement with no figure is *unknown*: it opens the high of any sum it is part
  of and is counted (``n_unknown``), never added as 0;
- the sum keeps apart what is **documented** (the movements' claimed figures, and
  people derived from claimed fighters plus civilians) from what is **estimated**
  (people imputed from buses; the rest of a whole-case claim that the documented
  movements do not cover);
- a share is a range (:func:`analysis.intervals.share`), and is not stated where
  the unknowns could move it by more than :data:`SHARE_MARGIN`;
- a grade for a sum is its weakest part's (:func:`analysis.grades.weakest`).

:func:`answer` gives the one figure to quote for the whole case and states which
evidence governs and why (:data:`REASONS`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .grades import weakest
from .intervals import Interval, share

SHARE_MARGIN = 0.25  # a share whose range is wider than this is not stated as a figure
DOCUMENTED_BASES = ("claimed", "derived")
REASONS: tuple[str, ...] = (
    "agree",  # the headline claims and the complete sum of the movements agree
    "headline_covers_unknown",  # the sum of the movements is incomplete: the headline bounds it
    "movements_exceed",  # the movements' own figures add up to more than the headline: contradiction
    "movements_short",  # the complete sum of the movements falls short of the headline: contradiction
    "no_headline",  # no source gives a figure for the whole case: the sum of the movements
    "nothing",  # neither a headline nor any movement figure
)


@dataclass(frozen=True)
class Aggregate:
    """A sum over movements: the whole, its documented and estimated parts, and the movements with no figure."""

    quantity: str
    total: Interval
    documented: Interval
    estimated: Interval
    n_movements: int
    n_documented: int
    n_estimated: int
    n_unknown: int
    unknown_movements: tuple[str, ...] = ()
    grade: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON for summary.json."""
        return {
            **self.total.as_dict(),
            "documented": self.documented.as_dict() if self.n_documented else None,
            "estimated": self.estimated.as_dict() if self.n_estimated else None,
            "n_movements": self.n_movements,
            "n_documented": self.n_documented,
            "n_estimated": self.n_estimated,
            "n_unknown": self.n_unknown,
            "unknown_movements": list(self.unknown_movements),
            "grade": self.grade,
        }


def _basis(mt: pd.DataFrame, quantity: str) -> pd.Series:
    if quantity == "people" and "people_basis" in mt:
        return mt["people_basis"].astype(str)
    return pd.Series(["claimed" if pd.notna(v) else "unknown" for v in mt[f"{quantity}_best"]], index=mt.index, dtype=object)


def interval_sum(mt: pd.DataFrame, quantity: str) -> Interval:
    """The figures of ``quantity`` over the rows of ``mt`` summed column by column (the same arithmetic as
    :func:`analysis.intervals.total` over each row's interval): a row with no figure opens the high and is counted."""
    ids = mt["movement_id"].astype(str)
    best = mt[f"{quantity}_best"]
    known = best.notna()
    n, k = len(mt), int(known.sum())
    missing = tuple(ids[~known])
    if k == 0:
        return Interval(None, None, None, False, True, n, n, tuple(ids), missing)
    col = lambda c: mt.loc[known, f"{quantity}_{c}"]  # noqa: E731
    flag = lambda c: bool(mt.loc[known, f"{quantity}_{c}"].astype(bool).any()) if f"{quantity}_{c}" in mt else False  # noqa: E731
    return Interval(
        float(col("low").astype("Float64").sum()),
        float(col("best").astype("Float64").sum()),
        float(col("high").astype("Float64").sum()),
        flag("low_open"),
        k < n or flag("high_open"),
        n,
        n - k,
        tuple(ids),
        missing,
    )


def movement_sum(mt: pd.DataFrame, quantity: str) -> Aggregate:
    """The sum of ``quantity`` over the movements of ``mt`` (see the module)."""
    basis = _basis(mt, quantity)
    documented = basis.isin(DOCUMENTED_BASES)
    known = mt[f"{quantity}_best"].notna()
    estimated = ~documented & known
    grade_col = f"{quantity}_grade"
    grades = mt.loc[basis == "claimed", grade_col].dropna().astype(str).tolist() if grade_col in mt else []
    empty = Interval(0.0, 0.0, 0.0, n_parts=0)
    return Aggregate(
        quantity=quantity,
        total=interval_sum(mt, quantity) if len(mt) else Interval.unknown(),
        documented=interval_sum(mt[documented], quantity) if documented.any() else empty,
        estimated=interval_sum(mt[estimated], quantity) if estimated.any() else empty,
        n_movements=len(mt),
        n_documented=int(documented.sum()),
        n_estimated=int(estimated.sum()),
        n_unknown=int((~known).sum()),
        unknown_movements=tuple(mt.loc[~known, "movement_id"].astype(str)),
        grade=weakest(grades),
    )


@dataclass(frozen=True)
class Answer:
    """The one figure to quote for ``quantity`` over the whole case, and why (``reason``, one of :data:`REASONS`)."""

    quantity: str
    figure: Interval
    governs: str  # "headline", "movements", "both" or "neither" (no figure at all)
    reason: str
    movements: Aggregate
    headline: Interval | None = None
    headline_grade: str | None = None
    headline_claim_ids: tuple[str, ...] = ()
    contradiction_ids: tuple[str, ...] = ()
    estimated: Interval | None = None
    grade: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON for summary.json."""
        return {
            **self.figure.as_dict(),
            "governs": self.governs,
            "reason": self.reason,
            "grade": self.grade,
            "headline": None if self.headline is None else self.headline.as_dict(),
            "headline_claim_ids": list(self.headline_claim_ids),
            "movements": self.movements.as_dict(),
            "estimated_beyond_documented": None if self.estimated is None else self.estimated.as_dict(),
            "contradiction_ids": list(self.contradiction_ids),
        }


def _remainder(whole: Interval, documented: Interval) -> Interval | None:
    """What a whole leaves beyond a documented part: from whole.low - documented.high to whole.high - documented.low."""
    if not whole.known or whole.low is None or documented.high is None or whole.high is None or documented.low is None:
        return None
    low = max(0.0, whole.low - documented.high)
    high = max(0.0, whole.high - documented.low)
    best = max(0.0, (whole.best or 0.0) - (documented.best or 0.0))
    return Interval(low, min(max(best, low), high), high, whole.low_open, whole.high_open)


def answer(quantity: str, movements: Aggregate, headline: dict[str, Any] | None, contradictions: pd.DataFrame) -> Answer:
    """The whole-case figure: the headline claims and the sum of the movements combined, with the rule that governs.

    - no headline: the sum of the movements governs (open above where a movement has no figure);
    - the two agree and the sum is complete and closed: both, the headline's figure;
    - the sum is incomplete: the headline governs, and bounds the movements with no figure (estimated);
    - the sum excludes the headline (a ``parts_vs_total`` contradiction): the headline governs, and the
      contradiction is named.
    """
    s = movements.total
    if headline is None:
        if not s.known:
            return Answer(quantity, s, "neither", "nothing", movements)
        return Answer(quantity, s, "movements", "no_headline", movements, grade=movements.grade)
    h = Interval.of(headline["low"], headline["best"], headline["high"], headline["low_open"], headline["high_open"], name="total")
    ids = tuple(str(headline["claim_ids"]).split(";")) if headline.get("claim_ids") else ()
    k = contradictions
    named = k[(k["check"] == "parts_vs_total") & (k["subject"] == "total") & (k["quantity"] == quantity)] if len(k) else k
    common = {"headline": h, "headline_grade": headline.get("grade"), "headline_claim_ids": ids, "grade": headline.get("grade")}
    if len(named):
        reason = "movements_exceed" if (named["parts_best"] > named["whole_best"]).all() else "movements_short"
        return Answer(quantity, h, "headline", reason, movements, contradiction_ids=tuple(named["contradiction_id"]), **common)
    if movements.n_unknown == 0 and s.known and not s.high_open:
        return Answer(quantity, h, "both", "agree", movements, **common)
    return Answer(quantity, h, "headline", "headline_covers_unknown", movements, estimated=_remainder(h, movements.documented), **common)


def by(mt: pd.DataFrame, column: str, quantity: str = "people") -> dict[str, Aggregate]:
    """One aggregate per value of ``column`` (an origin or a destination), in sorted order."""
    return {str(k): movement_sum(g, quantity) for k, g in mt.groupby(column, sort=True)}


def shares(mt: pd.DataFrame, column: str = "destination_place_id", quantity: str = "people") -> pd.DataFrame:
    """Each group's share of ``quantity`` as a range (least, best, most), and whether the range is narrow enough to state.

    The rest of a group is every other movement of ``mt``; a movement with no figure
    widens every share.  ``stated`` is False where ``most - least`` exceeds
    :data:`SHARE_MARGIN`: the unknowns could change the share too much to give one.
    """
    groups = by(mt, column, quantity)
    rows = []
    for key, agg in groups.items():
        rest = mt[mt[column].astype(str) != key]
        rest_sum = movement_sum(rest, quantity).total if len(rest) else Interval(0.0, 0.0, 0.0, n_parts=0)
        least, most, best = share(agg.total, rest_sum)
        rows.append(
            {
                column: key,
                "low": agg.total.low,
                "best": agg.total.best,
                "high": agg.total.high,
                "high_open": agg.total.high_open,
                "n_movements": agg.n_movements,
                "n_unknown": agg.n_unknown,
                "share_least": least,
                "share_best": best,
                "share_most": most,
                "stated": most - least <= SHARE_MARGIN,
            }
        )
    cols = [column, "low", "best", "high", "high_open", "n_movements", "n_unknown", "share_least", "share_best", "share_most", "stated"]
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values(["best", column], ascending=[False, True], na_position="last", kind="stable").reset_index(drop=True)


def od(mt: pd.DataFrame, quantity: str = "people") -> pd.DataFrame:
    """Origin x destination, long: one row per pair that has a movement, with its sum as an interval and its unknowns."""
    rows = []
    for (o, d), g in mt.groupby(["origin_place_id", "destination_place_id"], sort=True):
        agg = movement_sum(g, quantity)
        rows.append({"origin_place_id": o, "destination_place_id": d, **_flat(agg)})
    cols = ["origin_place_id", "destination_place_id", "low", "best", "high", "high_open", "n_movements", "n_unknown"]
    return pd.DataFrame(rows, columns=cols)


def _flat(agg: Aggregate) -> dict[str, Any]:
    t = agg.total
    return {
        "low": t.low,
        "best": t.best,
        "high": t.high,
        "high_open": t.high_open,
        "n_movements": agg.n_movements,
        "n_unknown": agg.n_unknown,
    }
