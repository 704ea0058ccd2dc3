"""Claims -> reconciled figures: one low / best / high per subject and quantity.

The rules, each written once here:

- **Basis.** Reported claims (it happened) make ``low``, ``best`` and ``high``.
  Expected claims (announced, planned, readied) make ``expected_low`` and
  ``expected_high`` beside them and never vote.  A figure with only expected
  claims has no low / best / high and ``figure_basis == "expected"``.
- **Bounds.** Every reported claim for the whole subject is an interval: a point
  (``exact``, ``about``), a stated range (``between``), a floor (``at least``: open
  above) or a ceiling (``at most``: open below).  ``low`` is the smallest figure any
  of them gives and ``high`` the largest; ``high_open`` is True where a floor reaches
  ``high`` (some claim allows more), ``low_open`` where a ceiling reaches ``low``.
- **Parts.** A claim about part of the subject (``coverage == "part"``) only raises
  the floor: ``low`` and ``high`` are at least the largest such figure.
- **Independence.** ``best`` is the median of one vote per originator
  (``attributed_to``), not per document: the same SANA figure relayed by six outlets
  is one vote, and relays count as corroboration (``n_documents``).  An originator
  that revised its figure votes with its latest statement, dated by when it was first
  said (the claim's ``as_of``, else its document's ``published``); statements no
  source dates count as the earliest; ties vote with their median.
- **Preference.** ``best_rule="prefer:<source_id>"`` takes instead the median of that
  document's claims (and of its cited references) where it has any.  ``best`` is kept
  within ``[low, high]``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import pandas as pd

from . import dates, vocab
from .places import canonical_subject, outermost_origin

if TYPE_CHECKING:  # pragma: no cover
    from .cases import Case

COLUMNS = [
    "subject",
    "quantity",
    "low",
    "best",
    "high",
    "low_open",
    "high_open",
    "figure_basis",
    "expected_low",
    "expected_high",
    "n_claims",
    "n_documents",
    "n_originators",
    "originators",
    "claim_ids",
    "expected_claim_ids",
    "source_ids",
    "best_from",
]


def check_best_rule(best_rule: str, case: Case | None = None) -> str:
    """Return ``best_rule`` if it is valid, else raise ValueError saying what is allowed."""
    if best_rule == "median":
        return best_rule
    if best_rule.startswith("prefer:") and len(best_rule) > len("prefer:"):
        source = best_rule.split(":", 1)[1]
        if case is not None and source not in set(case.sources["source_id"]):
            known = ", ".join(sorted(case.sources.loc[case.sources["cited_in"].isna(), "source_id"]))
            raise ValueError(f"best_rule {best_rule!r}: unknown source_id {source!r}; sources include {known}")
        return best_rule
    raise ValueError(f"best_rule must be 'median' or 'prefer:<source_id>', not {best_rule!r}")


def median(values: Iterable[float]) -> float:
    """Median of the values that are numbers (NaN when there are none)."""
    vals = sorted(float(v) for v in values if v is not None and not pd.isna(v))
    if not vals:
        return float("nan")
    n = len(vals)
    return vals[n // 2] if n % 2 else (vals[n // 2 - 1] + vals[n // 2]) / 2


def round_half_up(x: float) -> int:
    """Round half up (2,050.5 -> 2,051): counts are whole people."""
    return math.floor(x + 0.5)


def numeric_claims(case: Case) -> pd.DataFrame:
    """Claims that carry a figure, with what reconciliation needs.

    ``lo`` / ``hi`` are the claim's lower and upper figures (NA where open), ``point``
    the figure it votes with (its value; a floor's or a ceiling's bound), ``upper``
    its largest figure, ``is_floor`` / ``is_ceiling`` its openness, ``said`` the first
    day its originator is known to have said it (NaT where no source dates it), and
    ``subject`` is canonical (``from:<outermost origin>`` reads as ``total``).
    """
    c = case.claims
    numeric = vocab.numeric_quantities(case.package)
    shapes = vocab.qualifier_shapes(case.package)
    c = c[c["quantity"].astype(str).isin(numeric) & (c["value_low"].notna() | c["value_high"].notna())].copy()
    for col in ("quantity", "qualifier", "coverage", "basis"):
        c[col] = c[col].astype(str)
    root = outermost_origin(case)
    c["subject"] = [canonical_subject(s, root) for s in c["subject"]]
    c["shape"] = c["qualifier"].map(shapes)
    c["lo"] = c["value_low"].astype("Float64")
    c["hi"] = c["value_high"].astype("Float64")
    c["point"] = ((c["lo"] + c["hi"]) / 2).fillna(c["lo"]).fillna(c["hi"])  # a stated range votes with its middle
    c["upper"] = c["hi"].fillna(c["lo"])
    c["is_floor"] = c["hi"].isna()
    c["is_ceiling"] = c["lo"].isna()
    src = case.sources.set_index("source_id")
    c["source_root"] = c["source_id"].map(src["cited_in"]).fillna(c["source_id"])
    published = c["source_id"].map(src["published"])
    said = c["as_of"].where(c["as_of"].notna(), published)
    c["said"] = pd.to_datetime([dates.first_day(s) for s in said])
    return c.reset_index(drop=True)


def originator_votes(whole: pd.DataFrame) -> pd.Series:
    """One figure per (subject, quantity, originator): its latest statement's (median of ties).

    A statement is one originator's one interval; its date is the first day any
    document has it said.  Undated statements count as the earliest.
    """
    keys = ["subject", "quantity", "attributed_to"]
    if whole.empty:  # no whole claim (only parts, or only plans): no vote, indexed as votes are
        return pd.Series(dtype=float, index=pd.MultiIndex.from_arrays([[], [], []], names=keys))
    stmt = whole.assign(lo_=whole["lo"].fillna(-1), hi_=whole["hi"].fillna(-1))
    stmt = stmt.groupby([*keys, "lo_", "hi_"], dropna=False).agg(point=("point", "first"), said=("said", "min")).reset_index()
    stmt["rank"] = [-1 if pd.isna(d) else d.toordinal() for d in stmt["said"]]
    latest = stmt.groupby(keys)["rank"].transform("max")
    return stmt[stmt["rank"] == latest].groupby(keys)["point"].agg(median)


def _bounds(whole: pd.DataFrame) -> pd.DataFrame:
    """low, high and their openness per (subject, quantity), from whole-coverage claims."""
    keys = ["subject", "quantity"]
    g = whole.assign(lower=whole["lo"].fillna(whole["hi"]), top=whole["hi"].fillna(whole["lo"])).groupby(keys)
    out = pd.DataFrame({"low": g["lower"].min(), "high": g["top"].max()})
    floors = whole[whole["is_floor"]].groupby(keys)["lo"].max()
    ceilings = whole[whole["is_ceiling"]].groupby(keys)["hi"].min()
    out["high_open"] = (floors.reindex(out.index) >= out["high"]).fillna(False).astype(bool)
    out["low_open"] = (ceilings.reindex(out.index) <= out["low"]).fillna(False).astype(bool)
    return out


def _joined(c: pd.DataFrame, column: str) -> pd.Series:
    return c.groupby(["subject", "quantity"])[column].agg(lambda s: ";".join(sorted(set(map(str, s)))))


def _reported(c: pd.DataFrame, best_rule: str) -> pd.DataFrame:
    """low / best / high and their provenance from the reported claims."""
    keys = ["subject", "quantity"]
    whole, part = c[c["coverage"] == "whole"], c[(c["coverage"] == "part") & c["lo"].notna()]
    out = _bounds(whole).join(part.groupby(keys)["lo"].max().rename("part_floor"), how="outer")
    votes = originator_votes(whole)
    out = out.join(votes.groupby(level=keys).agg(median).rename("vote_median"), how="left")
    if best_rule.startswith("prefer:"):
        src = best_rule.split(":", 1)[1]
        pref = whole[(whole["source_id"] == src) | (whole["source_root"] == src)]
        out = out.join(pref.groupby(keys)["point"].agg(median).rename("preferred"), how="left")
    else:
        out["preferred"] = float("nan")
    out["low"] = out[["low", "part_floor"]].max(axis=1)
    out["high"] = out[["high", "part_floor"]].max(axis=1)
    out["high_open"] = out["high_open"].fillna(True).astype(bool)  # a part alone: only a floor
    out["low_open"] = out["low_open"].fillna(False).astype(bool)
    best = out["preferred"].astype(float).fillna(out["vote_median"].astype(float)).fillna(out["part_floor"].astype(float))
    out["best"] = best.clip(lower=out["low"], upper=out["high"])
    n_votes = votes.groupby(level=keys).size().reindex(out.index)
    out["best_from"] = [
        best_rule if pd.notna(p) else (f"median of {int(n)} originator(s)" if pd.notna(n) else "part floor")
        for p, n in zip(out["preferred"], n_votes, strict=True)
    ]
    out["n_claims"] = c.groupby(keys).size()
    out["n_documents"] = c.groupby(keys)["source_id"].nunique()
    out["n_originators"] = whole.groupby(keys)["attributed_to"].nunique().reindex(out.index).fillna(0)
    out["originators"] = _joined(whole, "attributed_to")
    out["claim_ids"] = _joined(c, "claim_id")
    return out


def _expected(c: pd.DataFrame) -> pd.DataFrame:
    """expected_low / expected_high from the announced claims (open bounds give their one figure)."""
    g = c.groupby(["subject", "quantity"])
    lower = c["lo"].fillna(c["hi"]).groupby([c["subject"], c["quantity"]]).min()
    return pd.DataFrame({"expected_low": lower, "expected_high": g["upper"].max(), "expected_claim_ids": _joined(c, "claim_id")})


def figures(case: Case, best_rule: str = "median", claims: pd.DataFrame | None = None) -> pd.DataFrame:
    """Reconciled figures, one row per (subject, quantity) with numeric claims, sorted (see the module's rules)."""
    check_best_rule(best_rule, case)
    c = numeric_claims(case) if claims is None else claims
    if c.empty:
        return pd.DataFrame(columns=COLUMNS)
    reported = c[c["basis"] == "reported"]
    out = _reported(reported, best_rule).join(_expected(c[c["basis"] == "expected"]), how="outer")
    out["figure_basis"] = ["reported" if n > 0 else "expected" for n in out["n_claims"].fillna(0)]
    for col in ("low", "best", "high", "expected_low", "expected_high"):
        out[col] = out[col].map(lambda v: pd.NA if pd.isna(v) else round_half_up(float(v))).astype("Int64")
    for col in ("low_open", "high_open"):
        out[col] = out[col].fillna(False).astype(bool)
    for col in ("n_claims", "n_documents", "n_originators"):
        out[col] = out[col].fillna(0).astype(int)
    for col in ("originators", "claim_ids", "expected_claim_ids", "best_from"):
        out[col] = out[col].astype(object).fillna("")  # all missing (no claim of that kind) reads as float
    out["source_ids"] = _joined(c, "source_id").reindex(out.index)
    return out.reset_index()[COLUMNS].sort_values(["subject", "quantity"], kind="stable").reset_index(drop=True)


def figure(figs: pd.DataFrame, subject: str, quantity: str) -> dict[str, Any] | None:
    """One row of :func:`figures` as a dict, or None if there is no such figure."""
    row = figs[(figs["subject"] == subject) & (figs["quantity"] == quantity)]
    return None if row.empty else row.iloc[0].to_dict()
