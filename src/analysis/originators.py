"""Who said it: the originators of claims, their kind and side, and how they vote.

A document relays; an *originator* says.  The same SANA figure printed by six
outlets is one originator's statement, so it votes once.  Originators are rows of
the case's ``originators`` table (names in each language, a kind, a side); each
claim names one in ``originator_id``.

An anonymous or generic originator ("activists", "unnamed sources") is a kind the
package marks ``per_document`` (``qalamoun:roles`` on ``originators.kind``): two
such claims in two documents are two originators, never merged across outlets.
Their vote key is ``<originator_id>@<document>``, where the document is the claim's
source (or the document that source is cited in).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from . import vocab

if TYPE_CHECKING:  # pragma: no cover
    from .cases import Case

PER_DOCUMENT = "per_document"
NO_SIDE = "no_side"


def per_document_kinds(package: dict) -> frozenset[str]:
    """Originator kinds that stand for one document each (anonymous, generic)."""
    return frozenset(vocab.role_values(package, "originators", "kind", PER_DOCUMENT))


def sideless(package: dict) -> frozenset[str]:
    """Side values that are no side at all (unknown): they never make two originators 'from different sides'."""
    return frozenset(vocab.role_values(package, "originators", "side", NO_SIDE))


def vote_keys(claims: pd.DataFrame, case: Case) -> pd.Series:
    """One key per independent originator for each claim (``claims`` has originator_id and source_root)."""
    o = case.tables["originators"].set_index("originator_id")
    kind = claims["originator_id"].map(o["kind"].astype(str))
    single = kind.isin(per_document_kinds(case.package))
    keys = claims["originator_id"].astype(str)
    return keys.where(~single, keys + "@" + claims["source_root"].astype(str))


def sides(claims: pd.DataFrame, case: Case) -> pd.Series:
    """Each claim's originator side ('' where the side is no side)."""
    o = case.tables["originators"].set_index("originator_id")
    side = claims["originator_id"].map(o["side"].astype(str)).fillna("")
    return side.where(~side.isin(sideless(case.package)), "")


def name(case: Case, key: str, lang: str) -> str:
    """An originator's name in ``lang`` (English where it has none); a per-document key names its document too."""
    oid, _, doc = str(key).partition("@")
    o = case.tables["originators"].set_index("originator_id")
    if oid not in o.index:
        return str(key)
    col = f"name_{lang}"
    text = o.at[oid, col] if col in o.columns and pd.notna(o.at[oid, col]) else o.at[oid, "name_en"]
    return f"{text} [{doc}]" if doc else str(text)
