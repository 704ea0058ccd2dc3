"""How sure we can be of a reconciled figure: a grade, in the way Airwars grades incidents.

- **plan only**: only announced (expected) claims, nothing reported;
- **contested**: a check names the figure (its subject, quantity and fate) in a contradiction;
- **confirmed**: two or more independent originators agree on it, and they are on
  different sides (government, opposition, neutral; "unknown" is no side);
- **fair**: two or more independent originators agree on it;
- **single source**: one originator.

The grade comes first in that order: a contested figure is contested however many
agree.  :data:`ORDER` ranks them from the least to the most trusted, for sums: a sum
is graded as its weakest part.
"""

from __future__ import annotations

import pandas as pd

from .figures import KEYS

PLAN_ONLY, CONTESTED, SINGLE, FAIR, CONFIRMED = "plan_only", "contested", "single_source", "fair", "confirmed"
ORDER: tuple[str, ...] = (PLAN_ONLY, CONTESTED, SINGLE, FAIR, CONFIRMED)


def contested_keys(contradictions: pd.DataFrame) -> set[tuple[str, str, str]]:
    """(subject, quantity, fate) of every figure a contradiction is about."""
    if contradictions.empty:
        return set()
    k = contradictions
    return set(zip(k["subject"], k["quantity"], k["fate"].fillna(""), strict=True))


def grade_figures(figs: pd.DataFrame, contradictions: pd.DataFrame) -> pd.Series:
    """The grade of every figure (see the module), indexed as ``figs``."""
    named = contested_keys(contradictions)
    keys = list(zip(*(figs[k] for k in KEYS), strict=True))
    out = []
    rows = zip(keys, figs["figure_basis"], figs["n_agreeing"], figs["sides"], figs["best_from"], strict=True)
    for key, basis, agreeing, sides, how in rows:
        if basis != "reported":
            out.append(PLAN_ONLY)
        elif key in named:
            out.append(CONTESTED)
        elif how == "part_floor":  # only a part is claimed: a floor from one claim at a time
            out.append(SINGLE)
        elif agreeing >= 2 and len([s for s in str(sides).split(";") if s]) >= 2:
            out.append(CONFIRMED)
        elif agreeing >= 2:
            out.append(FAIR)
        else:
            out.append(SINGLE)
    return pd.Series(out, index=figs.index, dtype=object)


def weakest(grades: list[str]) -> str | None:
    """The least trusted of ``grades`` (None for none)."""
    known = [g for g in grades if g in ORDER]
    return min(known, key=ORDER.index) if known else None


def undisputed(figs: pd.DataFrame) -> pd.Series:
    """Figures no source disputes: reported, closed on both sides, every originator agreeing, and not contested."""
    return (
        (figs["figure_basis"] == "reported")
        & ~figs["low_open"]
        & ~figs["high_open"]
        & (figs["n_agreeing"] == figs["n_originators"])
        & (figs["grade"] != CONTESTED)
    )
