"""Dates as the sources give them: a day, a month, a year, an interval, or an approximate date.

The notation is a small subset of ISO 8601 and its extension EDTF (ISO 8601-2):

- ``2018-04-22`` a day, ``2018-04`` a month, ``2018`` a year;
- ``2018-04-18/2018-04-19`` an interval (each end may be a day, month or year);
- a trailing ``~`` marks an approximate date (``2018-04-21~``, "about 21 April"): it
  widens by one unit of its precision on each side (a day: the day before to the day
  after; a month: the month before to the month after).

Every such value is read as a closed window of days, :class:`Window`, and windows
are compared by overlap: two claims agree on a date when their windows overlap.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?(/\d{4}(-\d{2}(-\d{2})?)?)?~?$"
_PART = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


class DateError(ValueError):
    """A value that is not a date in the notation above."""


@dataclass(frozen=True, order=True)
class Window:
    """The first and last day a date value allows, and how precise it is (day, month, year)."""

    start: dt.date
    end: dt.date
    precision: str = "day"
    approximate: bool = False

    def overlaps(self, other: Window) -> bool:
        """True when the two windows share at least one day."""
        return self.start <= other.end and other.start <= self.end

    def days_apart(self, other: Window) -> int:
        """Days between the windows (0 when they overlap; positive when ``other`` is later)."""
        if self.overlaps(other):
            return 0
        return (other.start - self.end).days if other.start > self.end else -(self.start - other.end).days

    def __str__(self) -> str:
        if self.start == self.end:
            return self.start.isoformat()
        return f"{self.start.isoformat()}/{self.end.isoformat()}"


def _part(text: str) -> tuple[dt.date, dt.date, str]:
    m = _PART.match(text)
    if not m:
        raise DateError(f"{text!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    try:
        if day is not None:
            d = dt.date(year, int(month), int(day))
            return d, d, "day"
        if month is not None:
            first = dt.date(year, int(month), 1)
            return first, _month_end(first), "month"
        return dt.date(year, 1, 1), dt.date(year, 12, 31), "year"
    except ValueError as exc:
        raise DateError(f"{text!r} is not a real date: {exc}") from None


def _month_end(first: dt.date) -> dt.date:
    nxt = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def _widen(start: dt.date, end: dt.date, precision: str) -> tuple[dt.date, dt.date]:
    """One unit of ``precision`` more on each side (an approximate date)."""
    if precision == "day":
        return start - dt.timedelta(days=1), end + dt.timedelta(days=1)
    if precision == "month":
        before = (start.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
        after = _month_end(end + dt.timedelta(days=1))
        return before, after
    return start.replace(year=start.year - 1), end.replace(year=end.year + 1)


def parse(text: str) -> Window:
    """Read a date value into its window of days; :class:`DateError` says what is wrong."""
    raw = str(text).strip()
    approximate = raw.endswith("~")
    body = raw[:-1] if approximate else raw
    if "/" in body:
        left, _, right = body.partition("/")
        start, _, p1 = _part(left)
        _, end, p2 = _part(right)
        precision = p1 if p1 == p2 else "mixed"
        if end < start:
            raise DateError(f"{text!r}: the interval ends before it starts")
    else:
        start, end, precision = _part(body)
    if approximate:
        start, end = _widen(start, end, "day" if precision == "mixed" else precision)
    return Window(start, end, precision, approximate)


def is_valid(text: str) -> bool:
    """True when ``text`` reads as a date value."""
    try:
        parse(text)
    except DateError:
        return False
    return True


def first_day(text: str | None) -> dt.date | None:
    """The first day a value allows, None for an empty value (used to order claims in time)."""
    if text is None or str(text).strip() in ("", "nan", "<NA>", "None"):
        return None
    return parse(str(text)).start
