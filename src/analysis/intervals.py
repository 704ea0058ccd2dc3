"""Figures as intervals: low, best and high, each side closed or open, and what a sum leaves out.

An :class:`Interval` is what the evidence allows for one quantity: every value from
``low`` to ``high``, with ``best`` the reconciled figure inside them.  A side is
*open* when some claim allows the value to pass it ("at least 1,000": the high is
open).  ``None`` is *unknown*: an interval with no best has no figure at all, and
is never read as 0.

Sums are interval arithmetic: lows add, highs add, and a part with no figure makes
the high of the sum open (it adds an unknown amount, at least nothing) and is
counted in ``n_unknown``.  A share of a whole is a range from the least the part
can be of the most the whole can be, to the most it can be of the least.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

UNKNOWN_SHARE = (0.0, 1.0)


@dataclass(frozen=True)
class Interval:
    """What the evidence allows for one figure (see the module)."""

    low: float | None
    best: float | None
    high: float | None
    low_open: bool = False
    high_open: bool = False
    n_parts: int = 1
    n_unknown: int = 0
    parts: tuple[str, ...] = field(default=(), compare=False)
    unknown_parts: tuple[str, ...] = field(default=(), compare=False)

    @classmethod
    def point(cls, value: float, name: str = "") -> Interval:
        """One exact figure."""
        return cls(float(value), float(value), float(value), parts=(name,) if name else ())

    @classmethod
    def unknown(cls, name: str = "") -> Interval:
        """No figure: an unknown amount, at least nothing."""
        return cls(None, None, None, False, True, 1, 1, (name,) if name else (), (name,) if name else ())

    @classmethod
    def of(cls, low: Any, best: Any, high: Any, low_open: Any = False, high_open: Any = False, name: str = "") -> Interval:
        """An interval from table cells (NA -> unknown)."""
        b = _num(best)
        if b is None:
            return cls.unknown(name)
        return cls(_num(low), b, _num(high), bool(low_open), bool(high_open), parts=(name,) if name else ())

    @property
    def known(self) -> bool:
        """True when there is a figure (a best)."""
        return self.best is not None

    @property
    def complete(self) -> bool:
        """True when every part has a figure."""
        return self.n_unknown == 0

    @property
    def closed(self) -> bool:
        """True when both sides are bounds (no claim allows passing either)."""
        return self.known and not self.low_open and not self.high_open

    def __add__(self, other: Interval) -> Interval:
        return total([self, other])

    def allows(self, value: float, tol: float = 0.0) -> bool:
        """True when ``value`` is within the interval (open sides unbounded; ``tol`` widens closed sides)."""
        if not self.known:
            return True
        below = self.low_open or self.low is None or value >= self.low * (1 - tol)
        above = self.high_open or self.high is None or value <= self.high * (1 + tol)
        return below and above

    def above(self, other: Interval, tol: float = 0.0) -> bool:
        """True when this interval lies wholly above ``other``: its closed low beyond ``other``'s closed high (+ tol)."""
        if not self.known or not other.known or self.low_open or other.high_open:
            return False
        assert self.low is not None and other.high is not None
        return self.low > other.high * (1 + tol)

    def excludes(self, other: Interval, tol: float = 0.0) -> bool:
        """True when the two intervals cannot hold the same value."""
        return self.above(other, tol) or other.above(self, tol)

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON: low, best, high as whole numbers (None for unknown), openness, parts with no figure."""
        return {
            "low": _whole(self.low),
            "best": _whole(self.best),
            "high": _whole(self.high),
            "low_open": self.low_open,
            "high_open": self.high_open,
            "n_parts": self.n_parts,
            "n_unknown": self.n_unknown,
        }


def _num(value: Any) -> float | None:
    if value is None:
        return None
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return None if f != f else f  # NaN / NA


def _whole(value: float | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else round(float(value), 1)


def total(parts: Iterable[Interval]) -> Interval:
    """The sum of ``parts``: known parts add side by side; a part with no figure opens the high and is counted."""
    items = list(parts)
    known = [p for p in items if p.known]
    n_unknown = sum(p.n_unknown if p.known else max(p.n_parts, 1) for p in items)
    names = tuple(n for p in items for n in p.parts)
    missing = tuple(n for p in items for n in p.unknown_parts)
    n_parts = sum(max(p.n_parts, 1) for p in items)
    if not known:
        return Interval(None, None, None, False, True, n_parts, n_unknown, names, missing)
    lows = [p.low for p in known]
    highs = [p.high for p in known]
    return Interval(
        low=None if any(v is None for v in lows) else sum(v for v in lows if v is not None),
        best=sum(p.best for p in known if p.best is not None),
        high=None if any(v is None for v in highs) else sum(v for v in highs if v is not None),
        low_open=any(p.low_open or p.low is None for p in known),
        high_open=n_unknown > 0 or any(p.high_open or p.high is None for p in known),
        n_parts=n_parts,
        n_unknown=n_unknown,
        parts=names,
        unknown_parts=missing,
    )


def bounded(interval: Interval, bound: Interval) -> Interval:
    """``interval`` with its open or missing high closed by ``bound``'s closed high (a whole that the parts cannot pass).

    Only the high is bounded: the parts' low stands (the documented part), and the
    best is not moved.  An interval that already exceeds the bound is returned as it
    is: that is a contradiction for the checks, not something to hide here.
    """
    if not bound.known or bound.high_open or bound.high is None:
        return interval
    if interval.high is not None and not interval.high_open:
        return interval
    if interval.low is not None and interval.low > bound.high:
        return interval
    return Interval(
        interval.low if interval.known else 0.0,
        interval.best if interval.known else None,
        bound.high,
        interval.low_open,
        False,
        interval.n_parts,
        interval.n_unknown,
        interval.parts,
        interval.unknown_parts,
    )


def share(part: Interval, whole_of_rest: Interval) -> tuple[float, float, float | None]:
    """The share ``part / (part + rest)`` as (least, most, best): least from part's low against the rest's high.

    An open or unknown side gives the extreme it allows: a rest open above lets the
    share fall to 0, a part open above lets it rise to 1.  ``best`` is None where
    either best is unknown.
    """
    p_lo = 0.0 if not part.known or part.low is None or part.low_open else part.low
    p_hi = None if not part.known or part.high_open or part.high is None else part.high
    r_lo = 0.0 if not whole_of_rest.known or whole_of_rest.low is None or whole_of_rest.low_open else whole_of_rest.low
    r_hi = None if not whole_of_rest.known or whole_of_rest.high_open or whole_of_rest.high is None else whole_of_rest.high
    least = 0.0 if r_hi is None else (p_lo / (p_lo + r_hi) if p_lo + r_hi > 0 else 0.0)
    most = 1.0 if p_hi is None else (p_hi / (p_hi + r_lo) if p_hi + r_lo > 0 else 1.0)
    best = None
    if part.best is not None and whole_of_rest.best is not None and part.best + whole_of_rest.best > 0:
        best = part.best / (part.best + whole_of_rest.best)
    return least, most, best


def ratio(num: Interval, den: Interval) -> tuple[float, float, float] | None:
    """``num / den`` as (least, best, most) for closed, known intervals with a positive denominator; else None."""
    if not (num.closed and den.closed) or not den.low or num.low is None or num.high is None or den.high is None:
        return None
    assert num.best is not None and den.best is not None
    return num.low / den.high, num.best / den.best, num.high / den.low
