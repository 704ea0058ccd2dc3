"""A Frictionless data package of what the analysis computes.

Five resources, each a CSV described field by field in the package's own
``datapackage.json``: ``figures`` (reconciled figures, their grades and
sensitivity), ``answers`` (the one figure to quote per quantity for the whole case,
and the rule that gives it), ``contradictions`` (structured check records),
``movements`` (the movement table) and ``network_metrics``.  Types come from the
tables; every field has a description (:data:`DESCRIPTIONS`).  ``frictionless
validate results/datapackage.json`` checks it.
"""

from __future__ import annotations

import json
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
        "fate": "For equipment: what became of it (handed over, seized, found, destroyed); empty otherwise. Each fate is its own figure.",
        "low": "Smallest figure the claims support (raised to the largest part-coverage floor).",
        "best": "Best figure: the lower middle of the agreeing originators' figures (a figure a source gave), or the preferred "
        "source's under a prefer rule; kept within low-high.",
        "high": "Largest figure the claims support.",
        "high_open": "True where the largest figure is only a floor ('at least'): the real figure may be higher.",
        "low_open": "True where the smallest figure is only a ceiling ('at most'): the real figure may be lower.",
        "figure_basis": "reported (figures of what happened) or expected (only announced or planned figures).",
        "expected_low": "Smallest announced or planned figure for the subject, where any was announced.",
        "expected_high": "Largest announced or planned figure for the subject, where any was announced.",
        "n_claims": "Number of claims reconciled into the figure.",
        "n_documents": "Number of distinct documents the claims come from.",
        "n_originators": "Number of distinct originators (who makes each claim inside its document).",
        "originators": "The originators of the claims (originator_id; an anonymous one as <id>@<document>), separated by ';'.",
        "n_agreeing": "Number of originators whose latest statements all hold the best figure.",
        "agreeing": "Those originators, separated by ';'.",
        "sides": "The sides (government, opposition, neutral) of the agreeing originators, separated by ';'.",
        "best_claim_ids": "The claims that give the best figure, separated by ';'.",
        "sensitivity": "How far best moves when any one originator is left out (empty with a single originator).",
        "sensitive_to": "The originator whose absence moves best the most.",
        "grade": "confirmed (two or more agreeing originators on different sides), fair (two or more), single_source, "
        "contested (a contradiction names the figure) or plan_only.",
        "claim_ids": "The reported claims behind the figure (claim_id in the case's claims.csv), separated by ';'.",
        "expected_claim_ids": "The announced or planned claims behind expected_low and expected_high, separated by ';'.",
        "source_ids": "The documents behind the figure (source_id in the case's sources.csv), separated by ';'.",
        "best_from": "How best was chosen: single (one vote), median, lower_middle (the lower of the two middle votes), floor, "
        "ceiling, part_floor, prefer (the best rule's preferred source) or plan (nothing reported).",
    },
    "contradictions": {
        "contradiction_id": "Stable id of the contradiction (K01, K02, ...).",
        "check": "Which comparison failed (analysis.checks.KINDS).",
        "subject": "What the record is about (a movement, event, 'total' or 'from:<place_id>').",
        "quantity": "Quantity compared.",
        "fate": "Fate of the equipment compared, where any.",
        "claim_ids": "Every claim involved, separated by ';'.",
        **{
            f"{side}_{k}": f"{what}: {k.replace('_', ' ')}."
            for side, what in (
                ("whole", "The figure compared against (a whole, a bound, the smaller figure)"),
                ("parts", "The other side (a sum of parts, the larger figure)"),
            )
            for k in ("low", "best", "high", "low_open", "high_open")
        },
        "n_parts": "Number of parts summed.",
        "n_known": "Number of those parts with a figure (the others leave the sum open above).",
        "items": "The parts compared, separated by ';' (movements, places, or a document and its originator).",
        "window": "A date window claimed (YYYY-MM-DD or an interval a/b).",
        "other_window": "The window it is compared with (the tables', or another claim's).",
        "gap": "parts_best minus whole_best (for a disagreement: largest minus smallest; for dates: days apart).",
        "gap_pct": "gap as a percentage of whole_best.",
        "positions": "For a disagreement: each figure given with the claims and originators that give it (JSON).",
        "values": "Every claim involved with its value (e.g. 'C1=100; C2=200+').",
    },
    "movements": {
        "movement_id": "Stable id of the movement (a convoy or group that left).",
        "label_en": "Label in English.",
        "label_es": "Label in Spanish.",
        "label_ar": "Label in Arabic.",
        "depart_date_end": "Last day the departure may have been, where the sources give a window.",
        "arrive_date_end": "Last day the arrival may have been, where the sources give a window.",
        "origin_place_id": "Where it left from (place_id in places.csv).",
        "destination_place_id": "Where it was bound (place_id in places.csv).",
        "via_place_id": "A place on the way that a source names.",
        "depart_date": "Departure day, where known.",
        "arrive_date": "Arrival day, where known.",
        "actor_ids": "Groups aboard (actor_id values), separated by ';'.",
        "source_ids": "The documents the movement's row cites (source_id values), separated by ';'.",
        "group_id": "The group (a batch, a round) the movement belongs to, where the sources group it.",
        "ordinal": "Its number in the sources' count of movements, where they number it.",
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
    DESCRIPTIONS["movements"][f"{_q}_low_open"] = f"True where the smallest {_word} figure is only a ceiling."
    DESCRIPTIONS["movements"][f"{_q}_grade"] = f"Grade of the {_word} figure (see figures.grade)."
for _q in ("people", "buses"):
    DESCRIPTIONS["movements"][f"{_q}_expected_low"] = f"Smallest announced or planned figure of {_q}, where any was announced."
    DESCRIPTIONS["movements"][f"{_q}_expected_high"] = f"Largest announced or planned figure of {_q}, where any was announced."
DESCRIPTIONS["answers"] = {
    "quantity": "What is counted (people, fighters, civilians, buses).",
    "low": "Smallest figure of the answer.",
    "best": "Best figure of the answer.",
    "high": "Largest figure of the answer (empty where open and unbounded).",
    "low_open": "True where the answer's smallest figure is not a bound.",
    "high_open": "True where the answer may be higher than its largest figure (a movement with no figure, an 'at least').",
    "governs": "Which evidence gives the answer: headline (the sources' whole-case claims), movements (their sum), both, none.",
    "reason": "Why (analysis.aggregate.REASONS): agree, headline_covers_unknown, movements_exceed, movements_short, "
    "no_headline or nothing.",
    "grade": "Grade of the answer (the headline figure's, or the weakest of the movements').",
    "headline_claim_ids": "The whole-case claims behind the answer, separated by ';'.",
    "movements_low": "Sum of the movements' smallest figures.",
    "movements_best": "Sum of the movements' best figures.",
    "movements_high": "Sum of the movements' largest figures.",
    "movements_high_open": "True where the sum is open above.",
    "n_movements": "Movements summed.",
    "n_documented": "Movements whose figure comes from claims (or claimed fighters plus civilians).",
    "n_estimated": "Movements whose figure is imputed from buses.",
    "n_unknown": "Movements with no figure at all.",
    "contradiction_ids": "The contradictions the rule names, separated by ';'.",
}
TITLES = {
    "figures": "Reconciled figures",
    "answers": "The figure to quote for the whole case, and why",
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
    k = rec.contradictions.sort_values("contradiction_id", kind="stable")
    k = k.assign(positions=[json.dumps(p, ensure_ascii=False, sort_keys=True) if isinstance(p, list) else "" for p in k["positions"]])
    return {
        "figures": rec.figures.sort_values(["subject", "quantity", "fate"], kind="stable"),
        "answers": answers_table(rec),
        "contradictions": k,
        "movements": rec.movements.sort_values(["timeline_date", "movement_id"], kind="stable", na_position="last"),
        "network_metrics": metrics.sort_values("actor_id", kind="stable"),
    }


def answers_table(rec: Any) -> pd.DataFrame:
    """One row per headline quantity: the whole-case answer, its rule and grade, and the movements' sum beside it."""
    rows = []
    for q, a in rec.answers.items():
        f, mv = a.figure, a.movements
        rows.append(
            {
                "quantity": q,
                "low": f.low,
                "best": f.best,
                "high": f.high,
                "low_open": f.low_open,
                "high_open": f.high_open,
                "governs": a.governs,
                "reason": a.reason,
                "grade": a.grade or "",
                "headline_claim_ids": ";".join(a.headline_claim_ids),
                "movements_low": mv.total.low,
                "movements_best": mv.total.best,
                "movements_high": mv.total.high,
                "movements_high_open": mv.total.high_open,
                "n_movements": mv.n_movements,
                "n_documented": mv.n_documented,
                "n_estimated": mv.n_estimated,
                "n_unknown": mv.n_unknown,
                "contradiction_ids": ";".join(a.contradiction_ids),
            }
        )
    out = pd.DataFrame(rows)
    for c in ("low", "best", "high", "movements_low", "movements_best", "movements_high"):
        out[c] = pd.array([pd.NA if v is None else round(v) for v in out[c]], dtype="Int64")
    return out


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
            f"Reconciled figures with their grades (best rule: {ctx.best_rule}), the whole-case answers and their rules, "
            f"contradictions between claims, the movement table and network metrics, computed by qalamoun-analysis from "
            f"the case '{case.case_id}'."
        ),
        "licenses": case.package.get("licenses", []),
        "sources": [{"title": f"Case data package '{case.case_id}' ({case.title})"}],
        "resources": resources,
    }
    write_json(folder / "datapackage.json", package)
    return [f"{folder.name}/{n}" for n in ("datapackage.json", *(f"{r['path']}" for r in resources))]
