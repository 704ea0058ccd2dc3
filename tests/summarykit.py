"""Invariants every summary.json holds, whatever the case: each function checks one and states it in its docstring.

Each returns the places where the invariant fails (``path: what``), so a test can show all of them at once.
:func:`problems` runs them all.  ``claims`` is the case's claims.csv as rows (read with csv, not the loader).
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Iterator
from typing import Any

# Keys whose values count things: whole numbers, never negative (dicts of counts are listed in COUNT_DICTS).
COUNT_KEYS = {
    "actors",
    "buses_originators",
    "communities",
    "contradictions",
    "convoys",
    "count",
    "edges_from",
    "edges_to",
    "events",
    "gained",
    "kept",
    "lost",
    "movements",
    "people_originators",
    "plan_vs_outcome",
    "relations",
    "ties",
    "triads",
}
COUNT_DICTS = {"by_check", "contradictions_by_check", "events_by_phase"}
SIGNED_PREFIXES = ("days_",)  # a number of days between two dates may be negative
BOUNDS = ("low", "best", "high")


def _walk(node: Any, path: str = "", parent: str = "") -> Iterator[tuple[str, str, Any, str]]:
    """Every (path, key, value, key of the dict or list holding it) below ``node``, ``node`` itself first."""
    if not path:
        yield "", "", node, ""
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in items:
        here = f"{path}.{key}" if path else str(key)
        yield here, str(key), value, parent
        yield from _walk(value, here, str(key))


def _triples(summary: Any) -> Iterator[tuple[str, str, list[Any]]]:
    """(path, quantity, [low, best, high]) of every figure: a dict {low, best, high}, or keys X_low, X_best, X_high."""
    for path, key, value, _ in _walk(summary):
        if not isinstance(value, dict):
            continue
        if set(BOUNDS) <= set(value):
            yield path, key, [value[b] for b in BOUNDS]
        stems = {k[: -len("_low")] for k in value if k.endswith("_low")}
        for stem in sorted(stems):
            if all(f"{stem}_{b}" in value for b in BOUNDS):
                yield f"{path}.{stem}" if path else stem, stem.split("_")[0], [value[f"{stem}_{b}"] for b in BOUNDS]


def ordered_figures(summary: Any) -> list[str]:
    """A figure's bounds are ordered: low <= best <= high for every pair of them that is known.

    A figure is a dict with keys ``low``, ``best`` and ``high``, or three keys ``X_low``, ``X_best``, ``X_high``
    of one dict (the comparison's flat rows).  A null bound is unknown (an open end), not a number to compare."""
    out = []
    for path, _, values in _triples(summary):
        known = [(b, v) for b, v in zip(BOUNDS, values, strict=True) if v is not None]
        for (b1, v1), (b2, v2) in itertools.pairwise(known):
            if not v1 <= v2:
                out.append(f"{path}: {b1} {v1} > {b2} {v2}")
    return out


def _is_whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def counts(summary: Any) -> list[str]:
    """Counts are non-negative whole numbers: every value of a key in COUNT_KEYS (and of the dicts in COUNT_DICTS) is an
    integer (not a float, not a boolean, not null) >= 0.  Every other number in a summary (figures, ratios, shares,
    betweenness) is >= 0 too, except the signed differences of days (keys starting ``days_``)."""
    out = []
    for path, key, value, parent in _walk(summary):
        counted = (key in COUNT_KEYS or parent in COUNT_DICTS) and not isinstance(value, dict | list)
        if counted and not (_is_whole(value) and value >= 0):
            out.append(f"{path}: a count is {value!r}")
        elif isinstance(value, int | float) and not isinstance(value, bool) and value < 0 and not key.startswith(SIGNED_PREFIXES):
            out.append(f"{path}: negative {value!r}")
    return out


def _date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) else None


def date_ranges(summary: Any) -> list[str]:
    """A date range is ordered: in one dict, ``start_date`` <= ``end_date``, ``date_start`` <= ``date_end``, and
    ``first_X`` <= ``last_X`` for the same X; each is an ISO date (YYYY-MM-DD) or null."""
    out = []
    for path, _, value, _ in _walk(summary):
        if not isinstance(value, dict):
            continue
        pairs = [("start_date", "end_date"), ("date_start", "date_end")]
        pairs += [(k, "last_" + k[len("first_") :]) for k in value if k.startswith("first_") and "last_" + k[len("first_") :] in value]
        for a, b in pairs:
            if a not in value or b not in value:
                continue
            try:
                start, end = _date(value[a]), _date(value[b])
            except ValueError as exc:
                out.append(f"{path}.{a}/{b}: not an ISO date ({exc})")
                continue
            if start and end and start > end:
                out.append(f"{path}: {a} {value[a]} is after {b} {value[b]}")
    return out


def unknown_not_zero(summary: Any, claims: list[dict[str, str]]) -> list[str]:
    """Unknown is never written as 0 (nor as NaN, infinity, '' or the word 'unknown'):

    - a figure bound of 0 (low, best or high of a quantity) needs a claim that says 0 for that quantity;
    - a share of nothing is unknown: ``balanced_share`` is null when there is no signed triad (``triads`` is 0);
    - every number is finite, and a missing value is null, not the text "nan", "None" or "unknown"."""
    zero = {c["quantity"] for c in claims if "0" in (c.get("value_low"), c.get("value_high"))}
    out = []
    for path, quantity, values in _triples(summary):
        if 0 in values and quantity not in zero:
            out.append(f"{path}: 0 for {quantity}, which no claim says")
    for path, _, value, _ in _walk(summary):
        if isinstance(value, float) and not math.isfinite(value):
            out.append(f"{path}: {value!r}")
        if isinstance(value, str) and value.strip().lower() in ("nan", "nat", "none", "unknown", "<na>"):
            out.append(f"{path}: {value!r} where null means unknown")
        if isinstance(value, dict) and value.get("triads") == 0 and value.get("balanced_share") is not None:
            out.append(f"{path}.balanced_share: {value['balanced_share']!r} with no signed triad")
    return out


def problems(summary: Any, claims: list[dict[str, str]]) -> list[str]:
    """Every place where ``summary`` breaks an invariant of this module."""
    return ordered_figures(summary) + counts(summary) + date_ranges(summary) + unknown_not_zero(summary, claims)
