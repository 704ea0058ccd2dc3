"""Consistency checks of the reconciled record, as data: one small function per kind of comparison.

Every check reads the same :class:`Inputs` (each table read once per reconcile) and
returns *records*, never sentences: the kind of check, its subject, quantity and
fate, the claims involved, the two sides compared as intervals (``whole`` and
``parts``), the parts' names, date windows and the positions that disagree.
:mod:`analysis.present` writes them in the reader's language from templates.
:data:`CHECKS` is what :func:`analysis.flows.reconcile` runs; :data:`INFORMATIONAL`
describes rather than contradicts (plans against outcomes).  Nothing here names a
claim: every record is found from the data.

Figures are compared as intervals: a sum of parts runs from the sum of their lows
to the sum of their highs, open above where a part is open above or has no figure.
Two intervals contradict each other only when a closed side excludes the other.
The tolerance (5% by default) applies only where an approximate figure ("about")
is involved: two exact counts that differ at all are a contradiction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from . import dates, vocab
from .figures import DEFAULT_TOLERANCE, KEYS
from .intervals import Interval, total
from .places import TOTAL, ancestors, container, parents

if TYPE_CHECKING:  # pragma: no cover
    from .cases import Case

SUMMED = ("buses", "people", "fighters", "civilians")
DEMOGRAPHIC = ("men", "women", "children")
COLUMNS = [
    "check",
    "subject",
    "quantity",
    "fate",
    "claim_ids",
    "whole_low",
    "whole_best",
    "whole_high",
    "whole_low_open",
    "whole_high_open",
    "parts_low",
    "parts_best",
    "parts_high",
    "parts_low_open",
    "parts_high_open",
    "n_parts",
    "n_known",
    "items",
    "window",
    "other_window",
    "gap",
    "gap_pct",
    "positions",
    "values",
]


# ---------------------------------------------------------------------------
# Inputs, read once


@dataclass(frozen=True)
class Inputs:
    """What every check reads: the case, its numeric claims, reconciled figures, and the tolerance."""

    case: Case
    claims: pd.DataFrame
    figures: pd.DataFrame
    tolerance: float = DEFAULT_TOLERANCE

    @cached_property
    def reported(self) -> dict[tuple[str, str, str], dict[str, Any]]:
        """(subject, quantity, fate) -> its reported figure (expected-only figures are not compared)."""
        rep = self.figures[self.figures["figure_basis"] == "reported"]
        return {(r["subject"], r["quantity"], r["fate"]): r for r in rep.to_dict("records")}

    def fig(self, subject: str, quantity: str, fate: str = "") -> dict[str, Any] | None:
        """A reported figure, or None."""
        return self.reported.get((subject, quantity, fate))

    @cached_property
    def by_quantity(self) -> dict[str, tuple[dict[str, int], dict[str, np.ndarray], list[str]]]:
        """quantity -> (subject -> row, the reported figures' columns as arrays, their claim ids), for sums over many
        subjects at once (figures with no fate)."""
        rep = self.figures[(self.figures["figure_basis"] == "reported") & (self.figures["fate"] == "")]
        out = {}
        for q, g in rep.groupby("quantity", sort=True):
            cols = {
                c: g[c].astype(float if c in ("low", "best", "high") else bool).to_numpy()
                for c in ("low", "best", "high", "low_open", "high_open")
            }
            out[str(q)] = ({s: i for i, s in enumerate(g["subject"])}, cols, g["claim_ids"].tolist())
        return out

    def sum_of(self, subjects: list[str], quantity: str) -> tuple[Interval, list[str]]:
        """The reported figures of ``subjects`` summed as an interval (a subject with no figure opens the high), and the
        claim ids behind them."""
        n = len(subjects)
        index, cols, ids = self.by_quantity.get(quantity, ({}, {}, []))
        rows = [i for s in subjects if (i := index.get(s)) is not None]
        if not rows:
            return Interval(None, None, None, False, True, n, n), []
        k = len(rows)
        pick = {c: v[rows] for c, v in cols.items()}
        total_ = Interval(
            float(pick["low"].sum()),
            float(pick["best"].sum()),
            float(pick["high"].sum()),
            bool(pick["low_open"].any()),
            bool(pick["high_open"].any()) or k < n,
            n,
            n - k,
        )
        return total_, [ids[i] for i in rows]

    @cached_property
    def approximate(self) -> set[str]:
        """Claim ids whose figure is approximate."""
        return set(self.claims.loc[self.claims["approx"], "claim_id"])

    def tol(self, *claim_ids: str) -> float:
        """The tolerance where one of the claims is approximate, else 0."""
        ids = {i for group in claim_ids for i in str(group).split(";") if i}
        return self.tolerance if ids & self.approximate else 0.0

    @cached_property
    def value_text(self) -> dict[str, str]:
        """claim_id -> its figure as language-neutral text ('44', '30+', '<=60', '1500-1700')."""
        out = {}
        for cid, lo, hi in zip(self.claims["claim_id"], self.claims["lo"], self.claims["hi"], strict=True):
            if hi != hi:
                out[cid] = f"{_n(lo)}+"
            elif lo != lo:
                out[cid] = f"<={_n(hi)}"
            else:
                out[cid] = _n(lo) if lo == hi else f"{_n(lo)}-{_n(hi)}"
        return out

    @cached_property
    def movements(self) -> pd.DataFrame:
        """The movements table of the case (structure only: no figures)."""
        return self.case.movements

    @cached_property
    def from_place(self) -> dict[str, list[str]]:
        """place -> the movements that left from it or from a place inside it, in table order."""
        out: dict[str, list[str]] = {}
        for m, o in zip(self.movements["movement_id"], self.movements["origin_place_id"], strict=True):
            for place in (o, *ancestors(o, self.up)):
                out.setdefault(place, []).append(m)
        return out

    @cached_property
    def up(self) -> dict[str, str]:
        """place -> the place it lies within."""
        return parents(self.case)

    @cached_property
    def date_claims(self) -> pd.DataFrame:
        """Date claims with a value, their window's first and last day, and their basis."""
        c = self.case.claims
        dq = vocab.date_quantities(self.case.package)
        c = c[c["quantity"].astype(str).isin(dq) & c["value_text"].notna()].copy()
        windows = {v: dates.parse(v) for v in c["value_text"].unique()}
        c["quantity"] = c["quantity"].astype(str)
        c["basis"] = c["basis"].astype(str)
        c["first"] = c["value_text"].map(lambda v: windows[v].start)
        c["last"] = c["value_text"].map(lambda v: windows[v].end)
        return c.sort_values("claim_id").reset_index(drop=True)


def _n(value: float) -> str:
    return "" if value != value else f"{value:.0f}"


def interval_of(fig: dict[str, Any]) -> Interval:
    """A reconciled figure's interval."""
    return Interval.of(fig["low"], fig["best"], fig["high"], fig["low_open"], fig["high_open"], name=str(fig["subject"]))


def _ids(*groups: Iterable[str] | str) -> list[str]:
    out: set[str] = set()
    for g in groups:
        out.update(x for x in (g.split(";") if isinstance(g, str) else g) if x)
    return sorted(out)


def record(x: Inputs, check: str, subject: str, quantity: str, ids: list[str], **fields: Any) -> dict[str, Any]:
    """One check record (see :data:`COLUMNS`); ``whole`` and ``parts`` are intervals, the rest as named."""
    out: dict[str, Any] = dict.fromkeys(COLUMNS)
    out.update(check=check, subject=subject, quantity=quantity, fate=fields.pop("fate", ""), claim_ids=";".join(ids))
    for side in ("whole", "parts"):
        iv = fields.pop(side, None)
        if iv is not None:
            out.update({f"{side}_{k}": getattr(iv, k) for k in ("low", "best", "high", "low_open", "high_open")})
            if side == "parts":
                out.update(n_parts=iv.n_parts, n_known=iv.n_parts - iv.n_unknown)
    out.update(fields)
    if out["gap"] is None and out["whole_best"] is not None and out["parts_best"] is not None:
        out["gap"] = out["parts_best"] - out["whole_best"]
    if out["gap"] is not None and out["whole_best"] and out["check"] not in ("date", "date_claims", "departure_after_arrival"):
        out["gap_pct"] = round(100.0 * out["gap"] / out["whole_best"], 1)
    out["values"] = "; ".join(f"{i}={x.value_text[i]}" if i in x.value_text else i for i in ids)
    return out


# ---------------------------------------------------------------------------
# Sums against wholes


def _sum_records(x: Inputs, check: str, whole_subject: str, parts: list[str], deficit: bool, excess: bool = True) -> list[dict[str, Any]]:
    """Records where the reported figures of ``parts`` summed exclude ``whole_subject``'s figure.

    ``excess``: flag parts that exceed the whole; ``deficit``: flag parts short of it
    (only meaningful where every part has a figure: otherwise the sum is open above).
    """
    out = []
    for q in SUMMED:
        whole = x.fig(whole_subject, q)
        if whole is None:
            continue
        summed, ids = x.sum_of(parts, q)
        if summed.n_unknown == summed.n_parts:
            continue
        w = interval_of(whole)
        tol = x.tol(whole["claim_ids"], *ids)
        flagged = (excess and summed.above(w, tol)) or (deficit and w.above(summed, tol))
        if flagged:
            out.append(record(x, check, whole_subject, q, _ids(whole["claim_ids"], *ids), whole=w, parts=summed, items=";".join(parts)))
    return out


def parts_vs_total(x: Inputs) -> list[dict[str, Any]]:
    """The movements' reported figures summed, against the ``total`` figure (imputed and derived people are left out)."""
    return _sum_records(x, "parts_vs_total", TOTAL, list(x.movements["movement_id"]), deficit=True)


def places_vs_within(x: Inputs) -> list[dict[str, Any]]:
    """Each place's figure (``from:<X>`` or ``total``) against the figures of the places inside it, summed (an excess only:
    the places inside need not be all)."""
    subjects = {s for s, _, _ in x.reported if s == TOTAL or s.startswith("from:")}
    out = []
    for outer in sorted(subjects):
        inner = sorted(s for s in subjects if container(s, subjects, x.up) == outer and s != outer)
        if inner:
            out += _sum_records(x, "places_vs_within", outer, inner, deficit=False)
    return out


def origin_vs_movements(x: Inputs) -> list[dict[str, Any]]:
    """Movements from a place (or from places inside it), summed, against that place's ``from:`` figure.

    An excess is always flagged; a deficit only where every such movement has a figure.
    """
    out = []
    for subject in sorted({s for s, _, _ in x.reported if s.startswith("from:")}):
        here = x.from_place.get(subject[5:], [])
        if here:
            out += _sum_records(x, "origin_vs_movements", subject, here, deficit=True)
    return out


def group_vs_movements(x: Inputs) -> list[dict[str, Any]]:
    """A group's figure (``group:<id>``: a batch holding convoys) or a set's (``set:<a>+<b>``: 'the first two batches')
    against the figures of the movements in it, summed: an excess always, a deficit where every movement has a figure."""
    groups: dict[str, list[str]] = {}
    if "group_id" in x.movements.columns:
        for m, g in zip(x.movements["movement_id"], x.movements["group_id"], strict=True):
            if isinstance(g, str) and g:
                groups.setdefault(f"group:{g}", []).append(m)
    out = []
    for subject in sorted({s for s, _, _ in x.reported if s.startswith(("group:", "set:"))}):
        members = groups.get(subject, []) if subject.startswith("group:") else subject[4:].split("+")
        if members:
            out += _sum_records(x, "group_vs_movements", subject, members, deficit=True)
    return out


def demographics(x: Inputs) -> list[dict[str, Any]]:
    """Men, women and children against people, for each subject: their sum above the people is a contradiction, and so
    is a sum short of them where all three are given.  (Families are counted as families: nothing converts them.)"""
    out = []
    for subject in sorted({s for s, _, _ in x.reported}):
        p = x.fig(subject, "people")
        parts = {q: f for q in DEMOGRAPHIC if (f := x.fig(subject, q)) is not None}
        if p is None or not parts:
            continue
        summed = total([interval_of(parts[q]) if q in parts else Interval.unknown(q) for q in DEMOGRAPHIC])
        whole = interval_of(p)
        tol = x.tol(p["claim_ids"], *(f["claim_ids"] for f in parts.values()))
        if summed.above(whole, tol) or (len(parts) == len(DEMOGRAPHIC) and whole.above(summed, tol)):
            ids = _ids(p["claim_ids"], *(f["claim_ids"] for f in parts.values()))
            out.append(record(x, "demographics", subject, "people", ids, whole=whole, parts=summed, items=";".join(sorted(parts))))
    return out


def composition(x: Inputs) -> list[dict[str, Any]]:
    """Fighters + civilians against people, for each subject's reconciled figures (as intervals)."""
    out = []
    for subject in sorted({s for s, _, _ in x.reported}):
        p, f, c = (x.fig(subject, q) for q in ("people", "fighters", "civilians"))
        if p is None or f is None or c is None:
            continue
        parts, whole = total([interval_of(f), interval_of(c)]), interval_of(p)
        if parts.excludes(whole, x.tol(p["claim_ids"], f["claim_ids"], c["claim_ids"])):
            ids = _ids(p["claim_ids"], f["claim_ids"], c["claim_ids"])
            out.append(record(x, "composition", subject, "people", ids, whole=whole, parts=parts, items="fighters;civilians"))
    return out


def source_composition(x: Inputs) -> list[dict[str, Any]]:
    """One document's own figures for one subject (and basis): its fighters + civilians against its people."""
    c = x.claims[(x.claims["coverage"] == "whole") & x.claims["quantity"].isin(["people", "fighters", "civilians"])]
    keys = ["source_id", "originator_id", "subject", "basis"]
    first = (
        c.sort_values("claim_id")
        .groupby([*keys, "quantity"], sort=True)
        .agg(point=("point", "first"), ids=("claim_id", ";".join), approx=("approx", "max"))
    )
    wide = first.unstack("quantity")
    need = [("point", q) for q in ("people", "fighters", "civilians")]
    if not all(n in wide.columns for n in need):
        return []
    wide = wide.dropna(subset=need)
    summed = wide[("point", "fighters")] + wide[("point", "civilians")]
    people = wide[("point", "people")]
    approx = wide["approx"].fillna(False).astype(bool).any(axis=1)
    limit = np.where(approx, x.tolerance, 0.0) * people
    bad = wide[(people > 0) & ((summed - people).abs() > limit)]
    out = []
    for idx, row in bad.iterrows():
        ids = _ids(*(row[("ids", q)] for q in ("people", "fighters", "civilians")))
        s = float(row[("point", "fighters")] + row[("point", "civilians")])
        whole = Interval.point(float(row[("point", "people")]))
        out.append(record(x, "source_composition", idx[2], "people", ids, whole=whole, parts=Interval.point(s), items=f"{idx[0]};{idx[1]}"))
    return out


def _people_vs(x: Inputs, part: str) -> list[dict[str, Any]]:
    """Claims of people wholly below claims of ``part`` (fighters or civilians) on the same subject, bounds kept open."""
    c = x.claims[(x.claims["basis"] == "reported") & (x.claims["coverage"] == "whole")]
    people = c[(c["quantity"] == "people") & c["hi"].notna()][["subject", "claim_id", "hi", "approx"]]
    parts = c[(c["quantity"] == part) & c["lo"].notna()][["subject", "claim_id", "lo", "approx"]]
    pairs = people.merge(parts, on="subject", suffixes=("_p", "_q"))
    tol = np.where(pairs["approx_p"] | pairs["approx_q"], x.tolerance, 0.0)
    bad = pairs[pairs["lo"] > pairs["hi"] * (1 + tol)]
    out = []
    for subject, g in bad.groupby("subject", sort=True):
        ids = _ids(g["claim_id_p"], g["claim_id_q"])
        p, f = x.fig(subject, "people"), x.fig(subject, part)
        whole = interval_of(p) if p is not None else Interval.of(g["hi"].min(), g["hi"].min(), g["hi"].min())
        parts = interval_of(f) if f is not None else Interval.of(g["lo"].max(), g["lo"].max(), g["lo"].max())
        out.append(record(x, f"people_vs_{part}", subject, "people", ids, whole=whole, parts=parts, items=part))
    return out


def people_vs_fighters(x: Inputs) -> list[dict[str, Any]]:
    """People cannot be fewer than the fighters among them: any people claim below any fighters claim."""
    return _people_vs(x, "fighters")


def people_vs_civilians(x: Inputs) -> list[dict[str, Any]]:
    """People cannot be fewer than the civilians among them: any people claim below any civilians claim."""
    return _people_vs(x, "civilians")


def convoy_count(x: Inputs) -> list[dict[str, Any]]:
    """The number of movements in the tables against the number of convoys the sources claim."""
    claimed = x.fig(TOTAL, "convoys")
    n = len(x.movements)
    if claimed is None:
        return []
    span, have = interval_of(claimed), Interval.point(n)
    if not span.excludes(have, 0.0):
        return []
    return [record(x, "convoy_count", TOTAL, "convoys", _ids(claimed["claim_ids"]), whole=span, parts=have)]


# ---------------------------------------------------------------------------
# Claims against claims


def _positions(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The distinct figures given for one subject, each with the claims and originators that give it, lowest first."""
    by: dict[tuple[float, float], list[dict[str, Any]]] = {}
    for r in rows:
        by.setdefault((-1.0 if r["lo"] != r["lo"] else r["lo"], -1.0 if r["hi"] != r["hi"] else r["hi"]), []).append(r)
    return [
        {
            "low": None if lo < 0 else float(lo),
            "high": None if hi < 0 else float(hi),
            "claim_ids": sorted(r["claim_id"] for r in group),
            "originators": sorted({r["originator_id"] for r in group}),
        }
        for (lo, hi), group in sorted(by.items())
    ]


def _by_key(frame: pd.DataFrame, keys: list[str], columns: list[str]) -> dict[tuple, list[dict[str, Any]]]:
    """The rows of ``frame`` as plain records grouped by ``keys`` (one pass, no pandas group per key)."""
    out: dict[tuple, list[dict[str, Any]]] = {}
    for rec in frame[[*keys, *columns]].to_dict("records"):
        out.setdefault(tuple(rec[k] for k in keys), []).append(rec)
    return out


def disagreement(x: Inputs) -> list[dict[str, Any]]:
    """Reported claims on one figure that cannot all be true: no figure any of them gives (a point, a floor, a ceiling,
    a range's end or middle) lies inside every one of them (the tolerance widens approximate figures only)."""
    c = x.claims[(x.claims["basis"] == "reported") & (x.claims["coverage"] == "whole")]
    w = np.where(c["approx"], x.tolerance, 0.0)
    c = c.assign(lo_w=(c["lo"] * (1 - w)).fillna(-np.inf), hi_w=(c["hi"] * (1 + w)).fillna(np.inf))
    g = c.groupby(KEYS, sort=True).agg(floor=("lo_w", "max"), ceiling=("hi_w", "min"), top=("lo", "max"), bottom=("hi", "min"))
    given = pd.concat([c[[*KEYS, v]].rename(columns={v: "value"}) for v in ("lo", "hi", "vote")]).dropna()
    given = given.merge(g[["floor", "ceiling"]].reset_index(), on=KEYS)
    shared = given[(given["value"] >= given["floor"]) & (given["value"] <= given["ceiling"])].groupby(KEYS).size()
    bad = g[~g.index.isin(shared.index)]
    flagged = _by_key(c.merge(bad.reset_index()[KEYS], on=KEYS), KEYS, ["claim_id", "originator_id", "lo", "hi"])
    out = []
    for key, row in zip(bad.index, bad.to_dict("records"), strict=True):
        rows = flagged[key]
        top = row["top"] if row["top"] == row["top"] else max(r["hi"] for r in rows)
        bottom = row["bottom"] if row["bottom"] == row["bottom"] else min(r["lo"] for r in rows)
        out.append(
            record(
                x, "disagreement", key[0], key[1], _ids([r["claim_id"] for r in rows]), fate=key[2],
                whole=Interval.point(float(bottom)), parts=Interval.point(float(top)), gap=float(top - bottom),
                positions=_positions(rows),
            )
        )  # fmt: skip
    return out


def _table_windows(case: Case) -> pd.DataFrame:
    """subject, quantity, first, last: the dates the events and movements tables give."""
    ev = case.events
    frames = [pd.DataFrame({"subject": ev["event_id"], "quantity": "date", "first": ev["date_start"], "last": ev["date_end"]})]
    mv = case.movements
    for q in ("depart_date", "arrive_date"):
        end = mv[f"{q}_end"] if f"{q}_end" in mv.columns else mv[q]
        frames.append(pd.DataFrame({"subject": mv["movement_id"], "quantity": q, "first": mv[q], "last": end.fillna(mv[q])}))
    out = pd.concat(frames, ignore_index=True).dropna(subset=["first"])
    out["first"] = out["first"].dt.date
    out["last"] = out["last"].dt.date
    return out


def _iso(first: Any, last: Any) -> str:
    return first.isoformat() if first == last else f"{first.isoformat()}/{last.isoformat()}"


def _date_records(x: Inputs, basis: str, check: str) -> list[dict[str, Any]]:
    """One record per subject, date quantity and claimed window that misses the table's window."""
    c = x.date_claims[x.date_claims["basis"] == basis]
    m = c.merge(_table_windows(x.case), on=["subject", "quantity"], suffixes=("", "_t"))
    m = m[(m["first"] > m["last_t"]) | (m["last"] < m["first_t"])]
    out = []
    for (subject, q, first, last), g in m.groupby(["subject", "quantity", "first", "last"], sort=True):
        t0, t1 = g["first_t"].iloc[0], g["last_t"].iloc[0]
        days = (first - t1).days if first > t1 else -(t0 - last).days
        ids = _ids(g["claim_id"])
        out.append(record(x, check, subject, q, ids, window=_iso(first, last), other_window=_iso(t0, t1), gap=float(days)))
    return out


def date(x: Inputs) -> list[dict[str, Any]]:
    """Reported date claims whose window does not overlap the window the events or movements table gives."""
    return _date_records(x, "reported", "date")


def date_claims(x: Inputs) -> list[dict[str, Any]]:
    """Reported date claims on one subject that cannot all be true: the latest first day is after the earliest last day.

    Found between the claims themselves, for the subjects the tables give no date (where they give one, :func:`date`
    compares every claim with it, and the same disagreement is not counted twice).
    """
    c = x.date_claims[x.date_claims["basis"] == "reported"]
    dated = _table_windows(x.case)[["subject", "quantity"]].assign(_t=True)
    c = c.merge(dated, on=["subject", "quantity"], how="left")
    c = c[c["_t"].isna()]  # where the tables give a date, :func:`date` compares each claim with it
    g = c.groupby(["subject", "quantity"], sort=True).agg(latest=("first", "max"), earliest=("last", "min"))
    bad = g[g["latest"] > g["earliest"]]
    out = []
    for (subject, q), rows in c.merge(bad.reset_index()[["subject", "quantity"]]).groupby(["subject", "quantity"], sort=True):
        row = bad.loc[(subject, q)]
        early = rows[rows["last"] == row["earliest"]].iloc[0]
        late = rows[rows["first"] == row["latest"]].iloc[0]
        positions = [
            {"window": _iso(a, b), "claim_ids": sorted(h["claim_id"]), "originators": sorted(set(h["originator_id"]))}
            for (a, b), h in rows.groupby(["first", "last"], sort=True)
        ]
        out.append(
            record(
                x, "date_claims", subject, q, _ids(rows["claim_id"]), window=_iso(early["first"], early["last"]),
                other_window=_iso(late["first"], late["last"]), gap=float((row["latest"] - row["earliest"]).days), positions=positions,
            )
        )  # fmt: skip
    return out


def departure_after_arrival(x: Inputs) -> list[dict[str, Any]]:
    """For each movement: a departure (claimed or in the table) that can only fall after an arrival (claimed or in the table)."""
    claims = x.date_claims[x.date_claims["basis"] == "reported"]
    table = _table_windows(x.case).assign(claim_id="")
    legs = pd.concat([claims[["subject", "quantity", "first", "last", "claim_id"]], table], ignore_index=True)
    legs = legs[legs["subject"].isin(set(x.movements["movement_id"]))]
    dep = legs[legs["quantity"] == "depart_date"]
    arr = legs[legs["quantity"] == "arrive_date"]
    pairs = dep.merge(arr, on="subject", suffixes=("_d", "_a"))
    pairs = pairs[pairs["first_d"] > pairs["last_a"]]
    out = []
    for subject, g in pairs.groupby("subject", sort=True):
        worst = g.assign(gap=[(a - b).days for a, b in zip(g["first_d"], g["last_a"], strict=True)]).sort_values("gap").iloc[-1]
        ids = _ids([i for i in (*g["claim_id_d"], *g["claim_id_a"]) if i])
        out.append(
            record(
                x, "departure_after_arrival", subject, "depart_date", ids, window=_iso(worst["first_d"], worst["last_d"]),
                other_window=_iso(worst["first_a"], worst["last_a"]), gap=float(worst["gap"]),
            )
        )  # fmt: skip
    return out


# ---------------------------------------------------------------------------
# Plausibility


def plausibility_bounds(package: dict[str, Any]) -> dict[str, tuple[float, float]]:
    """The case's plausibility bounds (``qalamoun:plausibility``): name -> (low, high)."""
    from .schema import template

    given = vocab.package_property(package, "plausibility") or template().get("qalamoun:plausibility") or {}
    return {k: (float(v["low"]), float(v["high"])) for k, v in given.items() if isinstance(v, dict) and {"low", "high"} <= set(v)}


def plausibility(x: Inputs) -> list[dict[str, Any]]:
    """A movement's claimed people per bus, or its buses, outside the case's plausibility bounds (an assumption, declared
    as data): flagged only when no value the figures allow is inside the bounds."""
    bounds = plausibility_bounds(x.case.package)
    out = []
    for m in x.movements["movement_id"]:
        p, b = x.fig(m, "people"), x.fig(m, "buses")
        if b is not None and "buses_per_movement" in bounds:
            lo, hi = bounds["buses_per_movement"]
            bus = interval_of(b)
            if bus.excludes(Interval(lo, lo, hi), 0.0):
                out.append(record(x, "plausibility", m, "buses", _ids(b["claim_ids"]), whole=Interval(lo, lo, hi), parts=bus))
        if p is not None and b is not None and "people_per_bus" in bounds:
            lo, hi = bounds["people_per_bus"]
            pp, bb = interval_of(p), interval_of(b)
            least = (pp.low or 0.0) / bb.high if bb.high and not bb.high_open and not pp.low_open else 0.0
            most = (pp.high / bb.low) if bb.low and not pp.high_open and pp.high is not None else float("inf")
            if least > hi or most < lo:
                best = (pp.best or 0.0) / (bb.best or 1.0)
                open_top = most == float("inf")  # no ceiling on people, or no floor on buses: the ratio is open above
                ratio = Interval(least, best, max(least, best) if open_top else most, False, open_top)
                ids = _ids(p["claim_ids"], b["claim_ids"])
                out.append(record(x, "plausibility", m, "people_per_bus", ids, whole=Interval(lo, lo, hi), parts=ratio))
    return out


# ---------------------------------------------------------------------------
# Plans


def plan_vs_outcome(x: Inputs) -> list[dict[str, Any]]:
    """Announced figures (for the whole subject) and dates against what was reported: informational, never a contradiction.

    An announcement for part of a subject ("five buses readied for the first group") is not a plan for the whole,
    and is not compared.
    """
    plans = x.claims[(x.claims["basis"] == "expected") & (x.claims["coverage"] == "whole")]
    g = plans.groupby(KEYS, sort=True).agg(
        least=("point", "min"), middle=("point", "median"), most=("upper", "max"), ids=("claim_id", lambda s: ";".join(sorted(s)))
    )
    out = []
    for key, row in zip(g.index, g.to_dict("records"), strict=True):
        reported = x.fig(*key)
        if reported is None:
            continue
        planned = Interval(float(row["least"]), float(row["middle"]), float(row["most"]))
        if planned.excludes(interval_of(reported), 0.0):
            ids = _ids(row["ids"], reported["claim_ids"])
            out.append(record(x, "plan_vs_outcome", key[0], key[1], ids, fate=key[2], whole=interval_of(reported), parts=planned))
    return out + _date_records(x, "expected", "plan_vs_outcome")


Check = Callable[[Inputs], list[dict[str, Any]]]
CHECKS: tuple[Check, ...] = (
    parts_vs_total,
    places_vs_within,
    origin_vs_movements,
    group_vs_movements,
    composition,
    demographics,
    source_composition,
    people_vs_fighters,
    people_vs_civilians,
    convoy_count,
    disagreement,
    date,
    date_claims,
    departure_after_arrival,
    plausibility,
)
INFORMATIONAL: tuple[Check, ...] = (plan_vs_outcome,)
KINDS: tuple[str, ...] = (
    "parts_vs_total",
    "places_vs_within",
    "origin_vs_movements",
    "group_vs_movements",
    "composition",
    "demographics",
    "source_composition",
    "people_vs_fighters",
    "people_vs_civilians",
    "convoy_count",
    "disagreement",
    "date",
    "date_claims",
    "departure_after_arrival",
    "plausibility",
    "plan_vs_outcome",
)


def run(x: Inputs, checks: tuple[Check, ...], prefix: str) -> pd.DataFrame:
    """Every record the checks return, sorted, with stable ids (``prefix`` + number)."""
    rows = [row for check in checks for row in check(x)]
    if not rows:
        return pd.DataFrame(columns=["contradiction_id", *COLUMNS])
    out = pd.DataFrame(rows, columns=COLUMNS)
    out = out.sort_values(["check", "subject", "quantity", "fate", "claim_ids"], kind="stable").reset_index(drop=True)
    out.insert(0, "contradiction_id", [f"{prefix}{i + 1:02d}" for i in range(len(out))])
    return out
