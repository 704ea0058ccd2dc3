"""Agreements and their terms: a readable table, and the "signed with" ties they imply.

A case may hold two extra tables (see the data model in ``README.md``):
``agreements`` (one row per agreement: date, stage, place, ``party_ids``,
``third_party_ids``, its event and sources) and ``provisions`` (one row per term of
an agreement, as the sources report it).  Their vocabularies and the labels of
``stage`` and ``term`` in each language (``qalamoun:labels``) live in the
case's ``datapackage.json``.

- :func:`terms_table` lays them out one row per term (an agreement whose terms no
  source reports gets one row of its own), as ids and stored values:
  :func:`analysis.present.agreements_table` writes it in the reader's language.
- :func:`signed_with` turns every pair of parties to an agreement into a
  relations-shaped row (``agreed_with``, its sign from the data package), for the
  network to draw beside ``relations``.
"""

from __future__ import annotations

from itertools import combinations
from typing import TYPE_CHECKING, Any

import pandas as pd

from . import dates, vocab

if TYPE_CHECKING:  # pragma: no cover
    from .cases import Case

RELATION = "agreed_with"
TERMS_COLUMNS = (
    "agreement_id",
    "date",
    "stage",
    "place_id",
    "party_ids",
    "third_party_ids",
    "provision_id",
    "term",
    "destination_place_ids",
    "claim_ids",
    "source_ids",
)


def _table(case: Case, name: str) -> pd.DataFrame | None:
    return case.tables.get(name)


def _split(value: Any) -> list[str]:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return []
    return [v for v in str(value).split(";") if v]


def _date_start(value: str) -> pd.Timestamp:
    return pd.Timestamp(dates.parse(value).start)


def terms_table(case: Case) -> pd.DataFrame:
    """One row per term of every agreement, ordered by date; empty if the case has no agreements.  No words: ids
    and stored values, which :func:`analysis.present.agreements_table` puts in the reader's language.

    Columns (:data:`TERMS_COLUMNS`): the agreement's id, date (as the sources give it), stage,
    place, parties and third parties (``;``-separated ids), then the term's provision id, term,
    destinations, and the claims and sources behind it.  An agreement whose terms no source reports
    gets one row with an empty provision id and term.
    """
    ag, pv = _table(case, "agreements"), _table(case, "provisions")
    if ag is None or ag.empty:
        return pd.DataFrame(columns=list(TERMS_COLUMNS))
    pv = pv if pv is not None else pd.DataFrame(columns=["agreement_id"])
    rows = []
    for a in ag.itertuples(index=False):
        head = {
            "agreement_id": a.agreement_id,
            "date": a.date,
            "stage": str(a.stage),
            "place_id": a.place_id,
            "party_ids": a.party_ids,
            "third_party_ids": a.third_party_ids,
            "_start": _date_start(a.date),
        }
        mine = pv[pv["agreement_id"] == a.agreement_id]
        if mine.empty:
            rows.append({**head, "source_ids": a.source_ids})
        for p in mine.itertuples(index=False):
            rows.append(
                {
                    **head,
                    "provision_id": p.provision_id,
                    "term": str(p.term),
                    "destination_place_ids": p.destination_place_ids,
                    "claim_ids": p.claim_ids,
                    "source_ids": p.source_ids,
                }
            )
    out = pd.DataFrame(rows).reindex(columns=[*TERMS_COLUMNS, "_start"])  # every column, though no term is reported
    out = out.sort_values(["_start", "agreement_id", "provision_id"], kind="stable", na_position="first")
    out = out.drop(columns="_start").reindex(columns=list(TERMS_COLUMNS)).astype(object)
    return out.where(out.notna(), "").reset_index(drop=True)


def signed_with(case: Case) -> pd.DataFrame:
    """Every pair of parties to an agreement as a relations-shaped row: ``agreed_with``, undirected, sign from the data package.

    One row per agreement and unordered pair of its parties, whatever their sides
    (co-signatories of one camp are tied too; third parties sign nothing and get
    no tie); dates are the window of the agreement's date (a year
    gives 1 January to 31 December), ``event_id`` and ``source_ids`` are the
    agreement's.  ``relation_id`` is ``<agreement_id>:<actor>:<actor>``.  Sorted by
    date, then ``relation_id``; columns as in ``case.relations``.
    """
    columns = list(case.relations.columns)
    ag = _table(case, "agreements")
    sign = vocab.relation_signs(case.package)[RELATION]
    rows = []
    for a in ag.itertuples(index=False) if ag is not None else ():
        window = dates.parse(a.date)
        for u, v in combinations(sorted(set(_split(a.party_ids))), 2):
            rows.append(
                {
                    "relation_id": f"{a.agreement_id}:{u}:{v}",
                    "source_actor": u,
                    "target_actor": v,
                    "relation": RELATION,
                    "sign": sign,
                    "directed": False,
                    "date_start": pd.Timestamp(window.start),
                    "date_end": pd.Timestamp(window.end),
                    "event_id": a.event_id,
                    "source_ids": a.source_ids,
                    "note": f"Both are parties to {a.agreement_id} (agreements.csv).",
                }
            )
    out = pd.DataFrame(rows, columns=columns)
    if out.empty:
        return out.astype(case.relations.dtypes.to_dict())
    out = out.sort_values(["date_start", "relation_id"], kind="stable").reset_index(drop=True)
    out["sign"] = out["sign"].astype("Int64")
    out["directed"] = out["directed"].astype("boolean")
    for col in ("date_start", "date_end"):
        out[col] = out[col].astype(case.relations[col].dtype)
    out["relation"] = pd.Categorical(out["relation"], categories=case.relations["relation"].cat.categories)
    return out
