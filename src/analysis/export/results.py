"""A Frictionless data package of what the analysis computes.

Four resources, each a CSV described field by field in the package's own
``datapackage.json``: ``figures`` (reconciled figures), ``contradictions``,
``movements`` (the movement table) and ``network_metrics``.  Types come from the
tables; every field has a description (:data:`DESCRIPTIONS`).  ``frictionless
validate results/datapackage.json`` checks it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from ._io import write_frame, write_json
from .formats import Context

_Q = {"people": "people", "fighters": "fighters", "civilians": "civilians", "buses": "buses"}
_S = {"low": "smallest", "best": "best", "high": "largest"}

DESCRIPTIONS: dict[str, dict[str, str]] = {
    "figures": {
        "subject": "What the figure is about: a movement_id, an event_id, 'total' (the whole case) or 'from:<place_id>'.",
        "quantity": "What is counted (people, fighters, civilians, buses, tanks, killed, ...).",
        "low": "Smallest figure the claims support (raised to the largest part-coverage floor).",
        "best": "Best figure under the best rule (median of the claims, or the preferred source's), kept within low-high.",
        "high": "Largest figure the claims support.",
        "high_open": "True where the largest figure is only a floor ('at least'): the real figure may be higher.",
        "low_open": "True where the smallest figure is only a ceiling ('at most'): the real figure may be lower.",
        "figure_basis": "reported (figures of what happened) or expected (only announced or planned figures).",
        "expected_low": "Smallest announced or planned figure for the subject, where any was announced.",
        "expected_high": "Largest announced or planned figure for the subject, where any was announced.",
        "n_claims": "Number of claims reconciled into the figure.",
        "n_documents": "Number of distinct documents the claims come from.",
        "n_originators": "Number of distinct originators (who makes each claim inside its document).",
        "originators": "The originators of the claims, separated by ';'.",
        "claim_ids": "The reported claims behind the figure (claim_id in the case's claims.csv), separated by ';'.",
        "expected_claim_ids": "The announced or planned claims behind expected_low and expected_high, separated by ';'.",
        "source_ids": "The documents behind the figure (source_id in the case's sources.csv), separated by ';'.",
        "best_from": "How best was chosen: median, the best rule's preferred source, or part floor.",
    },
    "contradictions": {
        "contradiction_id": "Stable id of the contradiction (K01, K02, ...).",
        "check": "Which comparison failed (analysis.checks): parts_vs_total, places_vs_within, origin_vs_movements, "
        "composition, source_composition, people_vs_fighters, convoy_count, disagreement, date or departure_after_arrival.",
        "subject": "Subject of the whole being compared (a movement, event, 'total' or 'from:<place_id>').",
        "quantity": "Quantity compared.",
        "whole": "The figure for the whole (for a disagreement: the smallest figure).",
        "parts_low": "Sum of the parts' low figures.",
        "parts_best": "Sum of the parts' best figures.",
        "parts_high": "Sum of the parts' high figures.",
        "gap": "parts_best minus whole (for a disagreement: largest minus smallest; for a date: days apart).",
        "gap_pct": "gap as a percentage of whole.",
        "claim_ids": "Every claim involved, separated by ';'.",
        "values": "Every claim involved with its value (e.g. 'C1=100; C2=200').",
        "description": "The contradiction in words.",
    },
    "movements": {
        "movement_id": "Stable id of the movement (a convoy or group that left).",
        "label_en": "Label in English.",
        "label_es": "Label in Spanish.",
        "origin_place_id": "Where it left from (place_id in places.csv).",
        "destination_place_id": "Where it was bound (place_id in places.csv).",
        "via_place_id": "A place on the way that a source names.",
        "depart_date": "Departure day, where known.",
        "arrive_date": "Arrival day, where known.",
        "actor_ids": "Groups aboard (actor_id values), separated by ';'.",
        "timeline_date": "Departure day, or the arrival day where the departure is not known.",
        "people_basis": "Where the people figures come from: claimed, derived (fighters + civilians), imputed "
        "(buses x people per bus) or unknown.",
        "imputed": "True where the people figures are imputed from buses.",
    },
    "network_metrics": {
        "actor_id": "Stable id of the actor (actor_id in actors.csv).",
        "name_en": "Name in English.",
        "name_ar": "Name in Arabic (English where the case has no Arabic name).",
        "name_es": "Name in Spanish (English where the case has no Spanish name).",
        "actor_type": "Kind of actor.",
        "side": "Camp in this conflict: government, rebel, other or unknown.",
        "degree": "Number of distinct actors tied to.",
        "in_degree": "Directed relations received.",
        "out_degree": "Directed relations made.",
        "relations": "All relation rows the actor takes part in.",
        "positive": "Cooperative ties (sign +1) in the signed projection.",
        "negative": "Hostile ties (sign -1) in the signed projection.",
        "betweenness": "Normalised betweenness centrality in the unweighted projection.",
        "eigenvector": "Eigenvector centrality in the weighted projection.",
        "broker": "True where the actor has non-hostile ties to both the government and the rebel camp.",
        "community": "Louvain community number (fixed seed); -1 without ties.",
    },
}
for _q, _word in _Q.items():
    for _s, _adj in _S.items():
        DESCRIPTIONS["movements"][f"{_q}_{_s}"] = f"{_adj.capitalize()} figure of {_word} (reconciled, derived or imputed)."
    DESCRIPTIONS["movements"][f"{_q}_claims"] = f"The claims behind the {_word} figures, separated by ';'."
    DESCRIPTIONS["movements"][f"{_q}_high_open"] = f"True where the largest {_word} figure is only a floor: the real figure may be higher."
for _q in ("people", "buses"):
    DESCRIPTIONS["movements"][f"{_q}_expected_low"] = f"Smallest announced or planned figure of {_q}, where any was announced."
    DESCRIPTIONS["movements"][f"{_q}_expected_high"] = f"Largest announced or planned figure of {_q}, where any was announced."
TITLES = {
    "figures": "Reconciled figures",
    "contradictions": "Contradictions between claims",
    "movements": "Movement table",
    "network_metrics": "Network metrics per actor",
}
UNDESCRIBED = "Column of the analysis output (not yet described)."


def field_type(series: pd.Series) -> str:
    """The Frictionless type of a column."""
    if pd.api.types.is_bool_dtype(series):
        return "boolean"
    if pd.api.types.is_integer_dtype(series):
        return "integer"
    if pd.api.types.is_float_dtype(series):
        return "number"
    if pd.api.types.is_datetime64_any_dtype(series):
        return "date"
    return "string"


def resource(name: str, df: pd.DataFrame) -> dict[str, Any]:
    """The descriptor of one resource, every field typed and described."""
    fields = [{"name": c, "type": field_type(df[c]), "description": DESCRIPTIONS[name].get(c, UNDESCRIBED)} for c in df.columns]
    return {
        "name": name.replace("_", "-"),
        "path": f"{name}.csv",
        "title": TITLES[name],
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": {"fields": fields},
    }


def tables(ctx: Context) -> dict[str, pd.DataFrame]:
    """The four result tables, sorted."""
    from .. import network

    rec = ctx.rec
    metrics = network.metrics(ctx.graph)
    return {
        "figures": rec.figures.sort_values(["subject", "quantity"], kind="stable"),
        "contradictions": rec.contradictions.sort_values("contradiction_id", kind="stable"),
        "movements": rec.movements.sort_values(["timeline_date", "movement_id"], kind="stable", na_position="last"),
        "network_metrics": metrics.sort_values("actor_id", kind="stable"),
    }


def write(ctx: Context, folder: Path) -> list[str]:
    """Write the four CSVs and ``datapackage.json`` into ``folder``."""
    resources = []
    for name, df in tables(ctx).items():
        write_frame(folder / f"{name}.csv", df.reset_index(drop=True))
        resources.append(resource(name, df))
    case = ctx.case
    package = {
        "profile": "tabular-data-package",
        "name": f"{case.case_id}-results",
        "title": f"{case.title}: computed results",
        "description": (
            f"Reconciled figures (best rule: {ctx.best_rule}), contradictions between claims, the movement table and "
            f"network metrics, computed by qalamoun-analysis from the case '{case.case_id}'."
        ),
        "licenses": case.package.get("licenses", []),
        "sources": [{"title": f"Case data package '{case.case_id}' ({case.title})"}],
        "resources": resources,
    }
    write_json(folder / "datapackage.json", package)
    return [f"{folder.name}/{n}" for n in ("datapackage.json", *(f"{r['path']}" for r in resources))]
