"""Places that contain places: the ``within`` column read as a tree.

``total`` in the claims is the outermost place the movements left from: a claim
``from:<that place>`` says the same thing and is read as ``total``.  A figure for
a place that contains others (``from:<X>``) is compared with the figures of the
places inside it, never added to them.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:  # pragma: no cover
    from .cases import Case

TOTAL = "total"


def parents(case: Case) -> dict[str, str]:
    """place_id -> the place_id it lies within (only places that have one)."""
    p = case.places
    if "within" not in p.columns:
        return {}
    rows = p[p["within"].notna()]
    return dict(zip(rows["place_id"], rows["within"], strict=True))


def ancestors(place: str, up: dict[str, str]) -> list[str]:
    """The places containing ``place``, nearest first (a loop in ``within`` stops the walk)."""
    out: list[str] = []
    while place in up and up[place] not in out and up[place] != place:
        place = up[place]
        out.append(place)
    return out


def outermost_origin(case: Case) -> str | None:
    """The one place containing (or being) every movement's origin, if there is one."""
    up = parents(case)
    origins = sorted(set(case.movements["origin_place_id"].dropna()))
    if not origins:
        return None
    roots = {([o, *ancestors(o, up)])[-1] for o in origins}
    return roots.pop() if len(roots) == 1 else None


def canonical_subject(subject: str, root: str | None) -> str:
    """``from:<outermost origin>`` is ``total``; every other subject is itself."""
    return TOTAL if root is not None and subject == f"from:{root}" else subject


def container(subject: str, present: set[str], up: dict[str, str]) -> str | None:
    """For ``from:<Y>``: the nearest ``from:<X>`` among ``present`` with X containing Y, else ``total``.

    Other subjects (movements, events, ``total`` itself) have no container.
    """
    if not subject.startswith("from:"):
        return None
    for a in ancestors(subject[5:], up):
        if f"from:{a}" in present:
            return f"from:{a}"
    return TOTAL


def within_or_is(place: str, outer: str, up: dict[str, str]) -> bool:
    """True when ``place`` is ``outer`` or lies (at any depth) within it."""
    return place == outer or outer in ancestors(place, up)


def case_region(case: Case) -> str | None:
    """The place the case is about: the area (the place kind of role ``area`` in the data package: a region) its events
    most often happen in, else the commonest origin."""
    from . import vocab

    area = vocab.vocabulary("place_kind").role("area")
    regions = set(case.places.loc[case.places["kind"].astype(str) == area, "place_id"])
    at = case.events["place_id"].dropna().astype(str)
    at = at[at.isin(regions)]
    if len(at):
        counts = at.value_counts()
        return str(sorted(counts.index, key=lambda p: (-counts[p], p))[0])
    origins = case.movements["origin_place_id"].dropna().astype(str)
    return str(origins.value_counts().sort_index().idxmax()) if len(origins) else None


def coordinates(case: Case) -> pd.DataFrame:
    """lat/lon of every place: its own, else those of the nearest place containing it (``within``) that has them.

    ``drawn_at`` names the place whose point is used; ``lat`` is NA where no containing place has a point.
    """
    p = case.places.set_index("place_id")
    within = p["within"] if "within" in p else pd.Series(pd.NA, index=p.index)
    rows = []
    for pid in p.index:
        at, seen = pid, set()
        while at in p.index and pd.isna(p.at[at, "lat"]) and pd.notna(within.get(at)) and at not in seen:
            seen.add(at)
            at = str(within[at])
        has = at in p.index and pd.notna(p.at[at, "lat"])
        rows.append(
            {
                "place_id": pid,
                "drawn_at": at if has else None,
                "lat": float(p.at[at, "lat"]) if has else math.nan,
                "lon": float(p.at[at, "lon"]) if has else math.nan,
                "approx": (not has) or at != pid or int(p.at[pid, "geo_precision"]) > 1,
            }
        )
    return pd.DataFrame(rows)
