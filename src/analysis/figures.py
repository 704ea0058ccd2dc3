"""Claims -> reconciled figures: one low / best / high per subject, quantity and fate, with who agrees.

The rules, each written once here:

- **Basis.** Reported claims (it happened) make ``low``, ``best`` and ``high``.
  Expected claims (announced, planned, readied) make ``expected_low`` and
  ``expected_high`` beside them and never vote.  A figure with only expected
  claims has no low / best / high and ``figure_basis == "expected"``.
- **Range.** Every reported claim for the whole subject is an interval: a point
  (``exact``, ``about``), a stated range (``between``), a floor (``at least``: open
  above) or a ceiling (``at most``: open below).  ``low`` is the smallest figure any
  of them gives and ``high`` the largest; ``high_open`` is True where a floor reaches
  ``high``, ``low_open`` where a ceiling reaches ``low``.  A claim about part of the
  subject (``coverage == "part"``) only raises the floor.
- **Independence.** One statement per originator (:mod:`analysis.originators`), not
  per document: relays are one voice.  An originator that revised its figure speaks
  with its latest statement, dated by when it was first said (the claim's ``as_of``,
  else its document's ``published``); undated statements count as the earliest.
- **Agreement.** Statements are intervals (an approximate one widened by the
  tolerance).  The *agreeing* originators are the most whose intervals all hold one
  figure that some source gave (a vote, a floor or a ceiling); ties go to the set with
  more votes inside, then to the set holding the lower middle vote, then to the lowest
  figure.  The others disagree, and a check names them.
- **Best.** Points and ranges vote (a range with its middle); floors and ceilings
  constrain and never vote at their bound.  ``best`` is the lower middle of the
  agreeing votes that fit every agreeing statement: with an even number of votes, the
  lower of the two middle figures, so that best is always a figure some source gave
  and lies inside every agreeing claim.  With no such vote, best is the figure the
  agreeing statements share: the highest floor, or the lowest ceiling.
  ``best_rule="prefer:<source_id>"`` takes instead the lower middle of that
  document's claims (and of its cited references) where it has any.
- **Sensitivity.** How far best moves when any one originator is left out: the
  largest move and whose absence causes it (None with a single originator).

Grades (confirmed, fair, single source, contested, plan only) need the checks, and
are given by :mod:`analysis.grades`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from . import dates, originators, vocab
from .places import canonical_subject, outermost_origin

if TYPE_CHECKING:  # pragma: no cover
    from .cases import Case

KEYS = ["subject", "quantity", "fate"]
DEFAULT_TOLERANCE = 0.05
APPROXIMATE = "approximate"  # the qualifiers whose figures are approximate (qalamoun:precision on claims.qualifier)
COLUMNS = [
    "subject",
    "quantity",
    "fate",
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
    "n_agreeing",
    "originators",
    "agreeing",
    "sides",
    "claim_ids",
    "best_claim_ids",
    "expected_claim_ids",
    "source_ids",
    "best_from",
    "sensitivity",
    "sensitive_to",
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


def lower_median(values: Iterable[float]) -> float:
    """The middle value; with an even count the lower of the two middle values (NaN when there are none)."""
    vals = sorted(float(v) for v in values if v is not None and not pd.isna(v))
    if not vals:
        return float("nan")
    return vals[(len(vals) - 1) // 2]


def median(values: Iterable[float]) -> float:
    """The arithmetic median (the mean of the two middle values for an even count); NaN for none."""
    vals = sorted(float(v) for v in values if v is not None and not pd.isna(v))
    if not vals:
        return float("nan")
    n = len(vals)
    return vals[n // 2] if n % 2 else (vals[n // 2 - 1] + vals[n // 2]) / 2


def round_half_up(x: float) -> int:
    """Round half up (2,050.5 -> 2,051): counts are whole people."""
    return math.floor(x + 0.5)


# ---------------------------------------------------------------------------
# Claims, prepared once


def numeric_claims(case: Case) -> pd.DataFrame:
    """Claims that carry a figure, with what reconciliation needs, computed column by column.

    ``lo`` / ``hi`` are the claim's lower and upper figures (NaN where open), ``vote``
    its figure if it is a point or a range (its middle), NaN for a floor or a ceiling;
    ``point`` the figure a mark is drawn at (a floor's or ceiling's bound); ``approx``
    whether the qualifier is approximate; ``key`` its originator's vote key; ``side``
    its originator's side; ``said`` the first day it is known to have been said (NaT
    where no source dates it); ``subject`` is canonical (``from:<outermost origin>``
    reads as ``total``) and ``fate`` is '' where none is given.
    """
    c = case.claims
    numeric = vocab.numeric_quantities(case.package)
    c = c[c["quantity"].astype(str).isin(numeric) & (c["value_low"].notna() | c["value_high"].notna())].copy()
    for col in ("quantity", "qualifier", "coverage", "basis"):
        c[col] = c[col].astype(str)
    c["fate"] = c["fate"].astype(object).where(c["fate"].notna(), "").astype(str)
    root = outermost_origin(case)
    if root is not None:
        c["subject"] = c["subject"].where(c["subject"] != f"from:{root}", "total")
    sets = c["subject"].str.startswith("set:")
    if sets.any():  # a set of movements is the same set in any order
        c.loc[sets, "subject"] = ["set:" + "+".join(sorted(str(v)[4:].split("+"))) for v in c.loc[sets, "subject"]]
    c["lo"] = c["value_low"].astype("float64")
    c["hi"] = c["value_high"].astype("float64")
    if "unit" in c.columns and c["unit"].notna().any():  # durations are compared in days, whatever unit a source gave
        days = c["unit"].astype(object).map(vocab.unit_days(case.package)).astype(float).fillna(1.0)
        c["lo"], c["hi"] = c["lo"] * days, c["hi"] * days
    both = c["lo"].notna() & c["hi"].notna()
    c["vote"] = np.where(both, (c["lo"] + c["hi"]) / 2, np.nan)
    c["point"] = ((c["lo"] + c["hi"]) / 2).fillna(c["lo"]).fillna(c["hi"])
    c["upper"] = c["hi"].fillna(c["lo"])
    c["is_floor"] = c["hi"].isna()
    c["is_ceiling"] = c["lo"].isna()
    c["approx"] = c["qualifier"].isin(vocab.values_of_class(case.package, "claims", "qualifier", "precision", APPROXIMATE))
    src = case.sources.set_index("source_id")
    c["source_root"] = c["source_id"].map(src["cited_in"]).fillna(c["source_id"])
    c["key"] = originators.vote_keys(c, case)
    c["side"] = originators.sides(c, case)
    said = c["as_of"].where(c["as_of"].notna(), c["source_id"].map(src["published"]))
    days = {s: dates.first_day(s) for s in said.dropna().unique()}
    c["said"] = pd.to_datetime(said.map(days))
    return c.reset_index(drop=True)


def canonical(subject: str, case: Case) -> str:
    """A subject as the figures key it (``from:<outermost origin>`` is ``total``)."""
    return canonical_subject(subject, outermost_origin(case))


def latest_statements(whole: pd.DataFrame) -> pd.DataFrame:
    """Each originator's latest statement(s): one row per (figure, originator key, interval).

    A statement's date is the first day any document has it; undated statements
    count as the earliest.  An originator whose latest date has several intervals
    keeps them all (it said them at once).
    """
    cols = [*KEYS, "key", "lo_", "hi_"]
    if whole.empty:
        return pd.DataFrame(columns=[*cols, "vote", "approx", "side", "said", "claim_ids", "rank"])
    stmt = whole.assign(lo_=whole["lo"].fillna(-np.inf), hi_=whole["hi"].fillna(np.inf))
    g = stmt.groupby(cols, sort=True, dropna=False)
    out = g.agg(vote=("vote", "first"), approx=("approx", "max"), side=("side", "first"), said=("said", "min")).reset_index()
    ids = _joined(stmt, "claim_id", cols)
    out["claim_ids"] = ids.reindex(pd.MultiIndex.from_frame(out[cols])).to_numpy()
    out["rank"] = out["said"].map(lambda d: -1 if pd.isna(d) else d.toordinal())
    latest = out.groupby([*KEYS, "key"], sort=False)["rank"].transform("max")
    return out[out["rank"] == latest].reset_index(drop=True)


# ---------------------------------------------------------------------------
# One figure: agreement, best, sensitivity (plain Python over a handful of statements)


@dataclass(frozen=True)
class Statement:
    """One originator's latest interval on one figure (``lo``/``hi`` infinite where open)."""

    key: str
    lo: float
    hi: float
    vote: float | None
    approx: bool
    side: str
    claim_ids: str


@dataclass(frozen=True)
class Agreement:
    """The agreeing originators, the values they all allow, the best figure and how it was chosen."""

    keys: tuple[str, ...]
    best: float | None
    how: str
    best_claim_ids: tuple[str, ...]


def _span(s: Statement, tol: float) -> tuple[float, float]:
    w = tol if s.approx else 0.0
    return s.lo * (1 - w) if math.isfinite(s.lo) else s.lo, s.hi * (1 + w) if math.isfinite(s.hi) else s.hi


FAST_FROM = 12  # statements from which the vectorised search is used (the plain one is clearer, and as fast below)


def _deepest(stmts: Sequence[Statement], tol: float) -> tuple[tuple[Statement, ...], float]:
    """The largest set of statements that share a figure some source gave (a vote, a floor or a ceiling), each
    approximate statement widened by the tolerance, and that figure.

    Ties go to the set with more votes inside the values it shares, then to the set holding the lower middle vote,
    then to the lowest figure.  :func:`_deepest_reference` is the rule written plainly; many statements go through
    :func:`_deepest_fast`, which gives the same answer (tests/test_scale.py compares them).
    """
    return _deepest_fast(stmts, tol) if len(stmts) >= FAST_FROM else _deepest_reference(stmts, tol)


def _candidates(stmts: Sequence[Statement]) -> list[float]:
    return sorted({v for s in stmts for v in (s.lo, s.hi, s.vote) if v is not None and math.isfinite(v)})


def _deepest_reference(stmts: Sequence[Statement], tol: float) -> tuple[tuple[Statement, ...], float]:
    """:func:`_deepest`, one candidate figure at a time."""
    spans = [_span(s, tol) for s in stmts]
    votes = [s.vote for s in stmts if s.vote is not None]
    middle = lower_median(votes) if votes else None
    best_key: tuple[int, int, int, float] | None = None
    chosen: tuple[tuple[Statement, ...], float] = ((), math.nan)
    for x in _candidates(stmts):
        inside = [(s, a, b) for s, (a, b) in zip(stmts, spans, strict=True) if a <= x <= b]
        lo, hi = max(a for _, a, _ in inside), min(b for _, _, b in inside)
        fitting = len({s.key for s, _, _ in inside if s.vote is not None and lo <= s.vote <= hi})
        holds_middle = middle is not None and any(s.vote == middle for s, _, _ in inside)
        key = (len({s.key for s, _, _ in inside}), fitting, int(holds_middle), -x)
        if best_key is None or key > best_key:
            best_key, chosen = key, (tuple(s for s, _, _ in inside), x)
    return chosen


def _deepest_fast(stmts: Sequence[Statement], tol: float) -> tuple[tuple[Statement, ...], float]:
    """:func:`_deepest` for many statements: every candidate figure against every statement at once (numpy)."""
    spans = np.array([_span(s, tol) for s in stmts], dtype=float)
    a, b = spans[:, 0], spans[:, 1]
    votes = np.array([np.nan if s.vote is None else s.vote for s in stmts], dtype=float)
    xs = np.array(_candidates(stmts), dtype=float)
    inside = (a[None, :] <= xs[:, None]) & (xs[:, None] <= b[None, :])
    lo = np.where(inside, a[None, :], -np.inf).max(axis=1)
    hi = np.where(inside, b[None, :], np.inf).min(axis=1)
    fits = inside & (votes[None, :] >= lo[:, None]) & (votes[None, :] <= hi[:, None])
    depth, fitting = _per_key(inside, stmts), _per_key(fits, stmts)
    given = votes[~np.isnan(votes)]
    middle = lower_median(given.tolist()) if len(given) else None
    holds = (inside & (votes[None, :] == middle)).any(axis=1) if middle is not None else np.zeros(len(xs), dtype=bool)
    order = np.lexsort((xs, -holds.astype(int), -fitting, -depth))  # the last key sorts first
    i = int(order[0])
    return tuple(s for s, hit in zip(stmts, inside[i], strict=True) if hit), float(xs[i])


def _per_key(hits: np.ndarray, stmts: Sequence[Statement]) -> np.ndarray:
    """For each row of ``hits`` (candidates x statements), how many distinct originators have a hit."""
    keys = [s.key for s in stmts]
    if len(set(keys)) == len(keys):
        return hits.sum(axis=1)
    order = sorted(range(len(keys)), key=keys.__getitem__)
    starts = [i for i, k in enumerate(order) if i == 0 or keys[order[i - 1]] != keys[k]]
    return np.logical_or.reduceat(hits[:, order], starts, axis=1).sum(axis=1)


def agree(stmts: Sequence[Statement], tol: float = DEFAULT_TOLERANCE) -> Agreement:
    """Who agrees, and the best figure (see the module's rules); an empty agreement for no statements."""
    if not stmts:
        return Agreement((), None, "none", ())
    group, shared = _deepest(stmts, tol)
    spans = [_span(s, tol) for s in group]
    lo, hi = max(a for a, _ in spans), min(b for _, b in spans)
    fitting = [s for s in group if s.vote is not None and lo <= s.vote <= hi]
    keys = tuple(sorted({s.key for s in group}))
    if fitting:
        votes = sorted(s.vote for s in fitting if s.vote is not None)
        best = lower_median(votes)
        split = len(votes) % 2 == 0 and votes[len(votes) // 2 - 1] != votes[len(votes) // 2]
        how = "single" if len(votes) == 1 else "lower_middle" if split else "median"
        ids = tuple(sorted({i for s in fitting if s.vote == best for i in s.claim_ids.split(";")}))
        return Agreement(keys, best, how, ids)
    how = "floor" if any(s.lo == shared for s in group) else "ceiling"
    ids = tuple(sorted({i for s in group if shared in (s.lo, s.hi) for i in s.claim_ids.split(";")}))
    return Agreement(keys, shared, how, ids)


def sensitivity(stmts: Sequence[Statement], best: float | None, tol: float) -> tuple[float | None, str]:
    """The largest move of best when one originator is left out, and whose absence moves it most ('' for none).

    Leaving out an originator outside the agreeing set leaves the largest agreeing set as it was; it can only move
    best through a tie, so with no tie only the agreeing originators are tried.
    """
    keys = sorted({s.key for s in stmts})
    if best is None or len(keys) < 2:
        return None, ""
    tried = keys if len(stmts) < FAST_FROM or _tied(stmts, tol) else sorted({s.key for s in _deepest(stmts, tol)[0]})
    moves = []
    for k in tried:
        other = agree([s for s in stmts if s.key != k], tol).best
        if other is not None:
            moves.append((abs(other - best), k))
    if not moves:
        return None, ""
    size, who = min(moves, key=lambda m: (-m[0], m[1]))  # the largest move; ties to the first originator by key
    return size, (who if size > 0 else "")


def _tied(stmts: Sequence[Statement], tol: float) -> bool:
    """True when another set of statements is as deep as the chosen one (leaving anyone out could then move best)."""
    group, x = _deepest(stmts, tol)
    depth = len({s.key for s in group})
    spans = [_span(s, tol) for s in stmts]
    for y in _candidates(stmts):
        inside = {s.key for s, (a, b) in zip(stmts, spans, strict=True) if a <= y <= b}
        if y != x and len(inside) == depth and inside != {s.key for s in group}:
            return True
    return False


# ---------------------------------------------------------------------------
# Every figure


def _statements(latest: pd.DataFrame) -> dict[tuple[str, str, str], list[Statement]]:
    out: dict[tuple[str, str, str], list[Statement]] = {}
    cols = [latest[c].tolist() for c in (*KEYS, "key", "lo_", "hi_", "vote", "approx", "side", "claim_ids")]
    for subj, q, fate, key, lo, hi, vote, approx, side, ids in zip(*cols, strict=True):
        v = None if vote is None or vote != vote else float(vote)
        out.setdefault((subj, q, fate), []).append(Statement(key, float(lo), float(hi), v, bool(approx), str(side), ids))
    return out


def _bounds(whole: pd.DataFrame, part: pd.DataFrame) -> pd.DataFrame:
    """low, high and their openness from the whole claims, raised by the largest part."""
    g = whole.assign(lower=whole["lo"].fillna(whole["hi"]), top=whole["hi"].fillna(whole["lo"])).groupby(KEYS)
    out = pd.DataFrame({"low": g["lower"].min(), "high": g["top"].max()})
    floors = whole[whole["is_floor"]].groupby(KEYS)["lo"].max()
    ceilings = whole[whole["is_ceiling"]].groupby(KEYS)["hi"].min()
    out["high_open"] = (floors.reindex(out.index) >= out["high"]).fillna(False).astype(bool)
    out["low_open"] = (ceilings.reindex(out.index) <= out["low"]).fillna(False).astype(bool)
    out = out.join(part[part["lo"].notna()].groupby(KEYS)["lo"].max().rename("part_floor"), how="outer")
    out["low"] = out[["low", "part_floor"]].max(axis=1)
    out["high"] = out[["high", "part_floor"]].max(axis=1)
    out["high_open"] = out["high_open"].astype("boolean").fillna(True).astype(bool)  # a part alone: only a floor
    out["low_open"] = out["low_open"].astype("boolean").fillna(False).astype(bool)
    return out


def _joined(c: pd.DataFrame, column: str, keys: list[str] = KEYS) -> pd.Series:
    """The distinct values of ``column`` per group of ``keys``, sorted and joined with ';' (one pass in plain Python)."""
    acc: dict[tuple, set[str]] = {}
    for *key, value in zip(*(c[k].tolist() for k in keys), c[column].tolist(), strict=True):
        acc.setdefault(tuple(key), set()).add(str(value))
    if not acc:
        return pd.Series(dtype=object, index=pd.MultiIndex.from_tuples([], names=keys))
    index = pd.MultiIndex.from_tuples(list(acc), names=keys)
    return pd.Series([";".join(sorted(v)) for v in acc.values()], index=index, dtype=object)


def _preferred(whole: pd.DataFrame, best_rule: str) -> pd.Series:
    if not best_rule.startswith("prefer:"):
        return pd.Series(dtype=float)
    src = best_rule.split(":", 1)[1]
    pref = whole[(whole["source_id"] == src) | (whole["source_root"] == src)]
    return pref.groupby(KEYS)["point"].agg(lower_median)


def _agreement_columns(out: pd.DataFrame, latest: pd.DataFrame, tol: float) -> pd.DataFrame:
    stmts = _statements(latest)
    rows = []
    for k in out.index:
        st = stmts.get(k, [])
        a = agree(st, tol)
        size, who = sensitivity(st, a.best, tol)
        sides = sorted({s.side for s in st if s.key in a.keys and s.side})
        rows.append((a.best, a.how, ";".join(a.best_claim_ids), len(a.keys), ";".join(a.keys), ";".join(sides), size, who))
    cols = ["vote_best", "how", "best_claim_ids", "n_agreeing", "agreeing", "sides", "sensitivity", "sensitive_to"]
    return out.join(pd.DataFrame(rows, columns=cols, index=out.index))


def _reported(c: pd.DataFrame, best_rule: str, tol: float) -> pd.DataFrame:
    whole, part = c[c["coverage"] == "whole"], c[c["coverage"] == "part"]
    out = _bounds(whole, part)
    out = _agreement_columns(out, latest_statements(whole), tol)
    out = out.join(_preferred(whole, best_rule).rename("preferred"), how="left") if best_rule != "median" else out.assign(preferred=np.nan)
    best = out["preferred"].astype(float).fillna(out["vote_best"].astype(float)).fillna(out["part_floor"].astype(float))
    out["best"] = best.clip(lower=out["low"], upper=out["high"])
    how = out["how"].astype(object).where(out["vote_best"].notna(), "part_floor")
    out["best_from"] = how.where(out["preferred"].isna(), "prefer")
    out["n_claims"] = c.groupby(KEYS).size()
    out["n_documents"] = c.groupby(KEYS)["source_id"].nunique()
    out["n_originators"] = whole.groupby(KEYS)["key"].nunique().reindex(out.index).fillna(0)
    out["originators"] = _joined(whole, "key")
    out["claim_ids"] = _joined(c, "claim_id")
    return out


def _expected(c: pd.DataFrame) -> pd.DataFrame:
    """expected_low / expected_high from the announced claims (open bounds give their one figure)."""
    lower = c["lo"].fillna(c["hi"]).groupby([c[k] for k in KEYS]).min()
    return pd.DataFrame(
        {"expected_low": lower, "expected_high": c.groupby(KEYS)["upper"].max(), "expected_claim_ids": _joined(c, "claim_id")}
    )


def _tidy(out: pd.DataFrame, c: pd.DataFrame) -> pd.DataFrame:
    out["figure_basis"] = np.where(out["n_claims"].fillna(0) > 0, "reported", "expected")
    for col in ("low", "best", "high", "expected_low", "expected_high"):
        vals = out[col].astype(float)
        out[col] = pd.array([pd.NA if v != v else round_half_up(v) for v in vals], dtype="Int64")
    out["sensitivity"] = pd.array([pd.NA if v is None or v != v else round_half_up(float(v)) for v in out["sensitivity"]], dtype="Int64")
    for col in ("low_open", "high_open"):
        out[col] = out[col].astype("boolean").fillna(False).astype(bool)
    for col in ("n_claims", "n_documents", "n_originators", "n_agreeing"):
        out[col] = out[col].fillna(0).astype(int)
    for col in ("originators", "agreeing", "sides", "claim_ids", "best_claim_ids", "expected_claim_ids", "best_from", "sensitive_to"):
        out[col] = out[col].astype(object).where(out[col].notna(), "")
    out["best_from"] = out["best_from"].where(out["figure_basis"] == "reported", "plan")
    out["source_ids"] = _joined(c, "source_id").reindex(out.index)
    return out.reset_index()[COLUMNS].sort_values(KEYS, kind="stable").reset_index(drop=True)


def figures(
    case: Case, best_rule: str = "median", claims: pd.DataFrame | None = None, tolerance: float = DEFAULT_TOLERANCE
) -> pd.DataFrame:
    """Reconciled figures, one row per (subject, quantity, fate) with numeric claims, sorted (see the module's rules)."""
    check_best_rule(best_rule, case)
    c = numeric_claims(case) if claims is None else claims
    if c.empty:
        return pd.DataFrame(columns=COLUMNS)
    reported = c[c["basis"] == "reported"]
    out = _reported(reported, best_rule, tolerance).join(_expected(c[c["basis"] == "expected"]), how="outer")
    return _tidy(out, c)


def figure(figs: pd.DataFrame, subject: str, quantity: str, fate: str = "") -> dict[str, Any] | None:
    """One row of :func:`figures` as a dict, or None if there is no such figure."""
    row = figs[(figs["subject"] == subject) & (figs["quantity"] == quantity) & (figs["fate"] == fate)]
    return None if row.empty else row.iloc[0].to_dict()
