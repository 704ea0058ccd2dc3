"""Consistency checks of the reconciled record, as data: one small named function per kind of comparison.

Each check takes the same :class:`Inputs` and returns one row per comparison that
fails, listing every claim and value involved.  :data:`CHECKS` is the list that
:func:`analysis.flows.reconcile` runs; :data:`INFORMATIONAL` holds those that
describe rather than contradict (plans against outcomes).  Nothing here names a
claim: every row is found from the data.

Figures are compared as intervals: a sum of parts runs from the sum of their lows
to the sum of their highs, open above where any part is open above or has no
figure.  Two intervals contradict each other only when a closed side excludes the
other (beyond ``tolerance``, 5% by default, for approximate figures).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

import pandas as pd

from . import dates, vocab
from .places import TOTAL, container, parents, within_or_is

if TYPE_CHECKING:  # pragma: no cover
    from .cases import Case

DEFAULT_TOLERANCE = 0.05
SUMMED = ("buses", "people", "fighters", "civilians")
COLUMNS = [
    "check",
    "subject",
    "quantity",
    "whole",
    "parts_low",
    "parts_best",
    "parts_high",
    "gap",
    "gap_pct",
    "claim_ids",
    "values",
    "description",
]


@dataclass(frozen=True)
class Span:
    """An interval of figures; an open side is a bound some claim allows to be passed."""

    low: float
    best: float
    high: float
    low_open: bool = False
    high_open: bool = False

    def above(self, other: Span, tol: float) -> bool:
        """True when this interval lies wholly above ``other`` (both facing sides closed)."""
        return not self.low_open and not other.high_open and self.low > other.high * (1 + tol)

    def excludes(self, other: Span, tol: float) -> bool:
        """True when the two intervals cannot hold the same value."""
        return self.above(other, tol) or other.above(self, tol)

    def text(self) -> str:
        """'1,500', '1,500-1,700', '30+', or '<=60'."""
        lo = f"<={self.high:,.0f}" if self.low_open else f"{self.low:,.0f}"
        if self.high_open:
            return f"{self.low:,.0f}+"
        return lo if self.low == self.high or self.low_open else f"{lo}-{self.high:,.0f}"


def span_of(fig: dict[str, Any]) -> Span:
    """A reconciled figure's interval."""
    return Span(float(fig["low"]), float(fig["best"]), float(fig["high"]), bool(fig["low_open"]), bool(fig["high_open"]))


def total_of(spans: list[Span], missing: int) -> Span:
    """The sum of ``spans``; open above where any is, or where ``missing`` parts have no figure."""
    return Span(
        sum(s.low for s in spans),
        sum(s.best for s in spans),
        sum(s.high for s in spans),
        any(s.low_open for s in spans),
        missing > 0 or any(s.high_open for s in spans),
    )


@dataclass(frozen=True)
class Inputs:
    """What every check reads: the case, its numeric claims, reconciled figures and movements."""

    case: Case
    claims: pd.DataFrame
    figures: pd.DataFrame
    movements: pd.DataFrame
    tolerance: float = DEFAULT_TOLERANCE

    def fig(self, subject: str, quantity: str) -> dict[str, Any] | None:
        """A reported figure (expected-only figures are not compared)."""
        return self._reported.get((subject, quantity))

    @cached_property
    def _reported(self) -> dict[tuple[str, str], dict[str, Any]]:
        rep = self.figures[self.figures["figure_basis"] == "reported"]
        return {(r["subject"], r["quantity"]): r for r in rep.to_dict("records")}

    @cached_property
    def value_text(self) -> dict[str, str]:
        """claim_id -> its figure as text ('44', '30+', '<=60', '1,500-1,700')."""
        out = {}
        for r in self.claims.itertuples():
            lo, hi = r.lo, r.hi
            if pd.isna(hi):
                out[r.claim_id] = f"{lo:,.0f}+"
            elif pd.isna(lo):
                out[r.claim_id] = f"<={hi:,.0f}"
            else:
                out[r.claim_id] = f"{lo:,.0f}" if lo == hi else f"{lo:,.0f}-{hi:,.0f}"
        return out


def _ids(*groups: Iterable[str] | str) -> list[str]:
    out: set[str] = set()
    for g in groups:
        out.update(x for x in (g.split(";") if isinstance(g, str) else g) if x)
    return sorted(out)


def _row(x: Inputs, check: str, subject: str, quantity: str, ids: list[str], description: str, **numbers: float) -> dict[str, Any]:
    texts = x.value_text
    whole, parts_best = numbers.get("whole"), numbers.get("parts_best")
    gap = numbers.get("gap", parts_best - whole if whole is not None and parts_best is not None else None)
    return {
        "check": check,
        "subject": subject,
        "quantity": quantity,
        "whole": whole,
        "parts_low": numbers.get("parts_low"),
        "parts_best": parts_best,
        "parts_high": numbers.get("parts_high"),
        "gap": gap,
        "gap_pct": round(100.0 * gap / whole, 1) if gap is not None and whole else None,
        "claim_ids": ";".join(ids),
        "values": "; ".join(f"{i}={texts[i]}" if i in texts else i for i in ids),
        "description": description,
    }


def _sum_rows(x: Inputs, check: str, whole_subject: str, parts: list[str], what: str, excess_only: bool = False) -> list[dict[str, Any]]:
    """Rows where the reported figures of ``parts`` summed exclude ``whole_subject``'s figure.

    With ``excess_only``, only parts that exceed the whole are flagged (other parts may lack a row).
    """
    rows = []
    for q in SUMMED:
        whole = x.fig(whole_subject, q)
        found = [f for s in parts if (f := x.fig(s, q)) is not None]
        if whole is None or not found:
            continue
        total, w = total_of([span_of(f) for f in found], len(parts) - len(found)), span_of(whole)
        if not (total.above(w, x.tolerance) if excess_only else total.excludes(w, x.tolerance)):
            continue
        desc = (
            f"{what} ({len(found)} of {len(parts)} with a figure) add up to {total.text()} {q} (best {total.best:,.0f}); "
            f"{whole_subject} is {w.text()}"
        )
        ids = _ids(whole["claim_ids"], *(f["claim_ids"] for f in found))
        rows.append(
            _row(x, check, whole_subject, q, ids, desc, whole=w.best, parts_low=total.low, parts_best=total.best, parts_high=total.high)
        )
    return rows


def parts_vs_total(x: Inputs) -> list[dict[str, Any]]:
    """The movements' reported figures (people, fighters, civilians, buses) summed, against the ``total`` figure.

    Imputed and derived people are a model's output, not claims: they are left out.
    """
    return _sum_rows(x, "parts_vs_total", TOTAL, list(x.movements["movement_id"]), "the movements")


def places_vs_within(x: Inputs) -> list[dict[str, Any]]:
    """Each place's figure (``from:<X>`` or ``total``) against the figures of the places inside it, summed.

    A place's figure is compared with those of the places it contains, never added
    to them: ``from:<enclave>`` and ``from:<town in it>`` are not two origins.
    """
    up = parents(x.case)
    subjects = {s for s, _ in x._reported if s == TOTAL or s.startswith("from:")}
    rows = []
    for outer in sorted(subjects):
        inner = sorted(s for s in subjects if container(s, subjects, up) == outer and s != outer)
        if inner:
            what = "the places inside it (" + ", ".join(s[5:] for s in inner) + ")"
            rows += _sum_rows(x, "places_vs_within", outer, inner, what, excess_only=True)
    return rows


def origin_vs_movements(x: Inputs) -> list[dict[str, Any]]:
    """Movements that left from a place (or from places inside it), summed, against that place's ``from:`` figure.

    Only an excess is flagged: other movements from the place may have no row.
    """
    up = parents(x.case)
    mv = x.movements
    rows = []
    for subject in sorted({s for s, _ in x._reported if s.startswith("from:")}):
        from_here = [m for m, o in zip(mv["movement_id"], mv["origin_place_id"], strict=True) if within_or_is(o, subject[5:], up)]
        if from_here:
            what = f"the movements from {subject[5:]}"
            rows += _sum_rows(x, "origin_vs_movements", subject, from_here, what, excess_only=True)
    return rows


def composition(x: Inputs) -> list[dict[str, Any]]:
    """Fighters + civilians against people: for each subject's reconciled figures (as intervals)."""
    rows = []
    for subject in sorted({s for s, _ in x._reported}):
        p, f, c = (x.fig(subject, q) for q in ("people", "fighters", "civilians"))
        if p is None or f is None or c is None:
            continue
        parts, whole = total_of([span_of(f), span_of(c)], 0), span_of(p)
        if parts.excludes(whole, x.tolerance):
            desc = (
                f"{subject}: fighters {span_of(f).text()} + civilians {span_of(c).text()} = {parts.text()}, against {whole.text()} people"
            )
            ids = _ids(p["claim_ids"], f["claim_ids"], c["claim_ids"])
            rows.append(
                _row(
                    x,
                    "composition",
                    subject,
                    "people",
                    ids,
                    desc,
                    whole=whole.best,
                    parts_low=parts.low,
                    parts_best=parts.best,
                    parts_high=parts.high,
                )
            )
    return rows


def source_composition(x: Inputs) -> list[dict[str, Any]]:
    """One document's own figures for one subject (and basis): its fighters + civilians against its people."""
    c = x.claims[(x.claims["coverage"] == "whole") & x.claims["quantity"].isin(["people", "fighters", "civilians"])]
    rows = []
    for (src, who, subject, basis), g in c.groupby(["source_id", "attributed_to", "subject", "basis"], sort=True):
        pts = g.groupby("quantity")["point"].first()
        if not {"people", "fighters", "civilians"} <= set(pts.index):
            continue
        summed, people = float(pts["fighters"] + pts["civilians"]), float(pts["people"])
        if people and abs(summed - people) / people > x.tolerance:
            desc = (
                f"{src} ({who}, {basis}) on {subject}: {pts['fighters']:,.0f} fighters + {pts['civilians']:,.0f} civilians = "
                f"{summed:,.0f}, against its own {people:,.0f} people"
            )
            rows.append(
                _row(
                    x,
                    "source_composition",
                    subject,
                    "people",
                    _ids(g["claim_id"]),
                    desc,
                    whole=people,
                    parts_low=summed,
                    parts_best=summed,
                    parts_high=summed,
                )
            )
    return rows


def people_vs_fighters(x: Inputs) -> list[dict[str, Any]]:
    """People cannot be fewer than the fighters among them: a subject's reported people against its fighters."""
    rows = []
    for subject in sorted({s for s, _ in x._reported}):
        p, f = x.fig(subject, "people"), x.fig(subject, "fighters")
        if p is not None and f is not None and span_of(f).above(span_of(p), x.tolerance):
            desc = f"{subject}: {span_of(p).text()} people, fewer than its {span_of(f).text()} fighters"
            ids = _ids(p["claim_ids"], f["claim_ids"])
            rows.append(_row(x, "people_vs_fighters", subject, "people", ids, desc, whole=float(p["best"]), parts_best=float(f["best"])))
    return rows


def convoy_count(x: Inputs) -> list[dict[str, Any]]:
    """The number of movements in the tables against the number of convoys the sources claim."""
    claimed = x.fig(TOTAL, "convoys")
    n = len(x.movements)
    if claimed is None:
        return []
    span = span_of(claimed)
    if not span.excludes(Span(n, n, n), 0.0):
        return []
    desc = f"the tables hold {n} movements; the sources speak of {span.text()} convoys"
    return [
        _row(
            x, "convoy_count", TOTAL, "convoys", _ids(claimed["claim_ids"]), desc, whole=span.best, parts_low=n, parts_best=n, parts_high=n
        )
    ]


def disagreement(x: Inputs) -> list[dict[str, Any]]:
    """Reported claims on one subject and quantity that no single figure satisfies (floors and ceilings as bounds)."""
    c = x.claims[(x.claims["basis"] == "reported") & (x.claims["coverage"] == "whole")]
    rows = []
    for (subject, q), g in c.groupby(["subject", "quantity"], sort=True):
        floor, ceiling = g["lo"].max(), g["hi"].min()
        if pd.isna(floor) or pd.isna(ceiling) or floor <= ceiling * (1 + x.tolerance):
            continue
        given = ", ".join(f"{x.value_text[i]} ({i}, {w})" for i, w in sorted(zip(g["claim_id"], g["attributed_to"], strict=True)))
        desc = f"{subject} {q}: no one figure fits every source: {given}"
        rows.append(
            _row(
                x,
                "disagreement",
                subject,
                q,
                _ids(g["claim_id"]),
                desc,
                whole=float(ceiling),
                parts_best=float(floor),
                gap=float(floor - ceiling),
            )
        )
    return rows


def _date_claims(case: Case, basis: str) -> pd.DataFrame:
    c = case.claims
    dq = vocab.date_quantities(case.package)
    keep = c["quantity"].astype(str).isin(dq) & c["value_text"].notna() & (c["basis"].astype(str) == basis)
    return c[keep].sort_values("claim_id")


def _table_window(case: Case, subject: str, quantity: str) -> dates.Window | None:
    """The window the events or movements table gives a subject's date (None if it gives none)."""
    ev = case.events.set_index("event_id")
    mv = case.movements.set_index("movement_id")
    if subject in ev.index and quantity == "date":
        lo, hi = ev.at[subject, "date_start"], ev.at[subject, "date_end"]
    elif subject in mv.index and quantity in ("depart_date", "arrive_date"):
        lo = hi = mv.at[subject, quantity]
    else:
        return None
    return None if pd.isna(lo) else dates.Window(lo.date(), hi.date())


def _date_rows(x: Inputs, basis: str, check: str) -> list[dict[str, Any]]:
    """One row per subject, date quantity and claimed window that misses the table's window, naming every claim that gives it."""
    c = _date_claims(x.case, basis)
    c = c.assign(window=[dates.parse(v) for v in c["value_text"]])
    rows = []
    for (subject, q, claimed), g in c.groupby(["subject", c["quantity"].astype(str), "window"], sort=True):
        table = _table_window(x.case, subject, q)
        if table is None or claimed.overlaps(table):
            continue
        days = table.days_apart(claimed)
        who = ", ".join(f"{i} ({w})" for i, w in sorted(zip(g["claim_id"], g["attributed_to"], strict=True)))
        desc = f"{who}: {subject} {q} {claimed}; the tables say {table} ({days:+d} days)"
        rows.append(_row(x, check, subject, q, _ids(g["claim_id"]), desc, gap=float(days)))
    return rows


def date(x: Inputs) -> list[dict[str, Any]]:
    """Reported date claims whose window does not overlap the window the events or movements table gives (one row per date claimed)."""
    return _date_rows(x, "reported", "date")


def departure_after_arrival(x: Inputs) -> list[dict[str, Any]]:
    """For each movement: a departure (claimed or in the table) that can only fall after an arrival (claimed or in the table)."""
    claims = _date_claims(x.case, "reported")
    rows = []
    for m in x.case.movements.itertuples():
        legs: dict[str, list[tuple[str, dates.Window]]] = {"depart_date": [], "arrive_date": []}
        for q in legs:
            day = getattr(m, q)
            if pd.notna(day):
                legs[q].append(("table", dates.Window(day.date(), day.date())))
            mine = claims[(claims["subject"] == m.movement_id) & (claims["quantity"].astype(str) == q)]
            legs[q] += [(cid, dates.parse(v)) for cid, v in zip(mine["claim_id"], mine["value_text"], strict=True)]
        bad = [(d, a) for d in legs["depart_date"] for a in legs["arrive_date"] if d[1].start > a[1].end]
        if bad:
            desc = f"{m.movement_id}: " + "; ".join(f"departure {d[1]} ({d[0]}) after arrival {a[1]} ({a[0]})" for d, a in bad)
            ids = _ids([i for pair in bad for i, _ in pair if i != "table"])
            gap = max((d[1].start - a[1].end).days for d, a in bad)
            rows.append(_row(x, "departure_after_arrival", m.movement_id, "depart_date", ids, desc, gap=float(gap)))
    return rows


def plan_vs_outcome(x: Inputs) -> list[dict[str, Any]]:
    """Announced figures (for the whole subject) and dates against what was reported: informational, never a contradiction.

    An announcement for part of a subject ("five buses readied for the first group") is not a plan for the whole,
    and is not compared.
    """
    plans = x.claims[(x.claims["basis"] == "expected") & (x.claims["coverage"] == "whole")]
    rows = []
    for (subject, q), g in plans.groupby(["subject", "quantity"], sort=True):
        reported = x.fig(subject, q)
        if reported is None:
            continue
        planned = Span(float(g["point"].min()), float(g["point"].median()), float(g["upper"].max()))
        if planned.excludes(span_of(reported), 0.0):
            desc = f"{subject} {q}: announced {planned.text()}, reported {span_of(reported).text()}"
            ids = _ids(g["claim_id"], reported["claim_ids"])
            rows.append(_row(x, "plan_vs_outcome", subject, q, ids, desc, whole=float(reported["best"]), parts_best=planned.high))
    return rows + _date_rows(x, "expected", "plan_vs_outcome")


Check = Callable[[Inputs], list[dict[str, Any]]]
CHECKS: tuple[Check, ...] = (
    parts_vs_total,
    places_vs_within,
    origin_vs_movements,
    composition,
    source_composition,
    people_vs_fighters,
    convoy_count,
    disagreement,
    date,
    departure_after_arrival,
)
INFORMATIONAL: tuple[Check, ...] = (plan_vs_outcome,)


def run(x: Inputs, checks: tuple[Check, ...], prefix: str) -> pd.DataFrame:
    """Every row the checks return, sorted, with stable ids (``prefix`` + number)."""
    rows = [row for check in checks for row in check(x)]
    if not rows:
        return pd.DataFrame(columns=["contradiction_id", *COLUMNS])
    out = (
        pd.DataFrame(rows, columns=COLUMNS).sort_values(["check", "subject", "quantity", "claim_ids"], kind="stable").reset_index(drop=True)
    )
    out.insert(0, "contradiction_id", [f"{prefix}{i + 1:02d}" for i in range(len(out))])
    return out
