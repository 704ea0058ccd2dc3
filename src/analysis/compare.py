"""Cases side by side: how long from deal to last bus, how many left and how sure we are, who mediated, where people went.

:func:`compare` reconciles each case once (:func:`analysis.flows.reconcile`) and
builds its network (:mod:`analysis.network`), then lays the same measures out in
one row per case, plus two long tables: people by destination and contradictions
by kind.  Every measure is computed from the case's own tables, so a third case
needs no code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from . import aggregate, dates, flows, network

if TYPE_CHECKING:  # pragma: no cover
    from .cases import Case

HEADLINE = ("people", "buses")


@dataclass(frozen=True)
class Comparison:
    """``cases``: one row per case; ``destinations``: people by destination; ``contradictions``: counts by check;
    ``case_objects``: the cases compared, in the same order."""

    cases: pd.DataFrame
    destinations: pd.DataFrame
    contradictions: pd.DataFrame
    case_objects: tuple[Any, ...] = ()

    def summary(self) -> dict[str, Any]:
        """One entry per case (keyed by its data package name), JSON-able."""
        out = {}
        for row in self.cases.to_dict("records"):
            name = row["case"]
            dest = self.destinations[self.destinations["case"] == name]
            kinds = self.contradictions[self.contradictions["case"] == name]
            out[name] = {
                **{k: _plain(v) for k, v in row.items() if k != "case"},
                "share_by_destination": {
                    d: {"least": round(float(a), 4), "most": round(float(b), 4), "stated": bool(st)}
                    for d, a, b, st in zip(
                        dest["destination_place_id"], dest["share_least"], dest["share_most"], dest["stated"], strict=True
                    )
                },
                "contradictions_by_check": {c: int(n) for c, n in zip(kinds["check"], kinds["count"], strict=True)},
            }
        return out


def _plain(value: Any) -> Any:
    if value is None or (not isinstance(value, str | list) and pd.isna(value)):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def first_agreement(case: Case) -> pd.Timestamp | None:
    """The day of the earliest agreement of the evacuation (ceasefires before it are background).

    From the ``agreements`` table where the case has one (stages other than
    ``ceasefire``), else from events of type ``agreement``.  An agreement dated only to
    a month counts at the last day it can have been made, so that a month-only date
    never makes the first agreement earlier than a dated one.
    """
    ag = case.tables.get("agreements")
    if ag is not None and len(ag):
        deals = ag[ag["stage"].astype(str) != "ceasefire"]
        windows = [dates.parse(str(d)) for d in deals["date"].dropna()]
        days = [w.start if w.precision == "day" else w.end for w in windows]
        return pd.Timestamp(min(days)) if days else None
    ev = case.events[case.events["event_type"].astype(str) == "agreement"]
    if ev.empty:
        return None
    precise = ev["date_precision"].astype(str) == "day"
    return ev["date_start"].where(precise, ev["date_end"]).min()


def mediators(case: Case) -> list[str]:
    """Actors the record shows mediating or guaranteeing: agreements' third parties and ``mediated`` ties."""
    ids: set[str] = set()
    ag = case.tables.get("agreements")
    if ag is not None and "third_party_ids" in ag:
        ids.update(a for v in ag["third_party_ids"].dropna() for a in str(v).split(";"))
    rel = case.relations
    ids.update(rel.loc[rel["relation"].astype(str) == "mediated", "source_actor"])
    return sorted(ids)


def case_row(case: Case, rec: flows.Reconciliation) -> dict[str, Any]:
    """The comparable measures of one reconciled case (figures for the whole case, whatever the window)."""
    mt = rec.all_movements
    start = first_agreement(case)
    last = mt["timeline_date"].max()  # a departure, or the arrival where no source dates the departure
    g = network.build_graph(case)
    bal = network.balance(g)
    row: dict[str, Any] = {
        "case": case.case_id,
        "title": case.title,
        "first_agreement": None if start is None else start.date().isoformat(),
        "last_departure": None if pd.isna(last) else last.date().isoformat(),
        "days_agreement_to_last_departure": None if start is None or pd.isna(last) else int((last - start).days),
        "movements": len(mt),
    }
    for q in HEADLINE:
        ans = rec.answers[q]
        head = ans.headline
        for s in flows.SCENARIOS:
            row[f"{q}_claimed_{s}"] = None if head is None else _int(getattr(head, s))
            row[f"{q}_movements_{s}"] = _int(getattr(ans.movements.total, s))
        row[f"{q}_claimed_high_open"] = None if head is None else head.high_open
        row[f"{q}_movements_high_open"] = ans.movements.total.high_open
        row[f"{q}_movements_unknown"] = ans.movements.n_unknown
        row[f"{q}_answer"] = ans.as_dict()
        f = rec.figure("total", q)
        row[f"{q}_originators"] = 0 if f is None or head is None else int(f["n_originators"])
    row["contradictions"] = len(rec.contradictions)
    row["mediators"] = ";".join(mediators(case))
    row["actors"] = network.n_active(g)
    row["relations"] = len(network.ties(g).u)
    row["balanced_share"] = bal["balanced_share"]
    return row


def _int(value: float | None) -> int | None:
    return None if value is None else round(value)


def destinations(case: Case, rec: flows.Reconciliation) -> pd.DataFrame:
    """People by destination, each with its share of the case's movements as a range (:func:`analysis.aggregate.shares`)."""
    out = aggregate.shares(rec.all_movements, "destination_place_id", "people")
    out.insert(0, "case", case.case_id)
    return out


def compare(cases: list[Case], best_rule: str = "median") -> Comparison:
    """Reconcile each case once and lay the measures out side by side (cases in the order given)."""
    rows, dest, kinds = [], [], []
    for case in cases:
        rec = flows.reconcile(case, best_rule)
        rows.append(case_row(case, rec))
        dest.append(destinations(case, rec))
        k = rec.contradictions["check"].value_counts().sort_index()
        kinds.append(pd.DataFrame({"case": case.case_id, "check": k.index, "count": k.to_numpy()}))
    return Comparison(
        cases=pd.DataFrame(rows),
        destinations=pd.concat(dest, ignore_index=True) if dest else pd.DataFrame(),
        contradictions=pd.concat(kinds, ignore_index=True) if kinds else pd.DataFrame(),
        case_objects=tuple(cases),
    )
