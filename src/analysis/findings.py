"""Findings: what a report says first, chosen from the analysis by fixed rules and written in the reader's language.

Every finding is picked by a rule written here, from what the analysis modules return
(nothing is computed again), and written from a catalog template (``finding.<kind>``)
with names, not ids; each carries the anchors of the rows that support it (claims,
contradictions, movements), which the report links to.  No finding is written for one
case: the same rules run on any case, and say "none" or "unknown" where a case has
nothing to say.

The rules, in the order a report gives them:

- **answers**: the figure to quote for people, buses and fighters, with its rule and grade;
- **agreement**: how many reported figures are confirmed, fair, single-source, contested;
  the confirmed ones that count people, largest first;
- **disagreements**: the largest disagreements between sources (by their gap as a share of
  the smaller figure), with who holds each figure;
- **unknowns**: the movements with no people figure, no date, or no point on the map.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from . import describe, grades, i18n, views
from .intervals import Interval
from .places import coordinates

if TYPE_CHECKING:  # pragma: no cover
    from .cases import Case
    from .flows import Reconciliation

TOP = 3  # findings list at most this many examples
FIGURE_QUANTITIES = ("people", "fighters", "civilians", "buses")


@dataclass(frozen=True)
class Finding:
    """One finding: its text (Markdown, in one language) and the anchors of the rows that support it."""

    text: str
    refs: tuple[str, ...] = ()


def anchor(kind: str, key: str) -> str:
    """The HTML id of a row a finding links to: ``claim-A04``, ``contradiction-K12``, ``source-sana-en-1``."""
    return f"{kind}-{key}"


def link(kind: str, key: str) -> str:
    """A Markdown link to a row of the report."""
    return f"[{key}](#{anchor(kind, key)})"


def _links(kind: str, keys: Any, lang: str) -> str:
    return i18n.join([link(kind, k) for k in keys if k], lang, "list")


# ---------------------------------------------------------------------------
# Choosing (language-free)


def largest_disagreements(contradictions: pd.DataFrame, top: int = TOP) -> pd.DataFrame:
    """The disagreement records with the largest gap relative to their smaller figure, largest first (ties by id)."""
    k = contradictions[contradictions["check"] == "disagreement"]
    if k.empty:
        return k
    rel = k["gap"].astype(float) / k["whole_best"].astype(float).where(k["whole_best"].astype(float) > 0)
    return k.assign(_rel=rel.fillna(0.0)).sort_values(["_rel", "contradiction_id"], ascending=[False, True]).head(top)


def confirmed(figures: pd.DataFrame, top: int = TOP) -> pd.DataFrame:
    """The confirmed figures of people (the whole case and each subject), largest first."""
    f = figures[(figures["grade"] == "confirmed") & (figures["quantity"] == "people")]
    return f.sort_values(["best", "subject"], ascending=[False, True]).head(top)


def grade_counts(figures: pd.DataFrame) -> dict[str, int]:
    """How many figures of the counted quantities have each grade."""
    f = figures[figures["quantity"].isin(FIGURE_QUANTITIES)]
    return {g: int(n) for g, n in f["grade"].value_counts().items()}


def unplaced(case: Case, mt: pd.DataFrame) -> dict[str, list[str]]:
    """Movement ids with no people figure, with no date at all, and with an end that has no point on the map."""
    co = coordinates(case).set_index("place_id")["lat"]
    ends = mt["origin_place_id"].map(co).isna() | mt["destination_place_id"].map(co).isna()
    return {
        "no_figure": list(mt.loc[mt["people_best"].isna(), "movement_id"]),
        "no_date": list(mt.loc[mt["timeline_date"].isna(), "movement_id"]),
        "no_point": list(mt.loc[ends, "movement_id"]),
    }


# ---------------------------------------------------------------------------
# Writing (one language)


def _names(case: Case, ids: list[str], lang: str) -> str:
    labels = i18n.names(case, "movements", lang)
    return i18n.join([labels.get(m, m) for m in ids], lang)


def answers(rec: Reconciliation, lang: str) -> list[Finding]:
    """The figure to quote for each counted quantity that has one, with its rule and grade."""
    out = []
    for q in ("people", "buses", "fighters"):
        a = rec.answers[q]
        if a.reason == "nothing" and q != "people":
            continue
        text = i18n.text("finding.answer", lang, quantity=i18n.label(q, lang), answer=describe.answer(a.as_dict(), lang))
        refs = tuple(anchor("claim", c) for c in a.headline_claim_ids) + tuple(anchor("contradiction", k) for k in a.contradiction_ids)
        out.append(Finding(_linked(text, a.headline_claim_ids, a.contradiction_ids), refs))
    return out


def _linked(text: str, claims: Any, contradictions: Any) -> str:
    """``text`` with the claim and contradiction ids it names turned into links to their rows."""
    for k in contradictions:
        text = text.replace(k, link("contradiction", k))
    for c in claims:
        text = text.replace(c, link("claim", c))
    return text


def agreement(rec: Reconciliation, lang: str) -> Finding:
    """How many figures have each grade, and the confirmed counts of people."""
    counts = grade_counts(rec.figures)
    parts = [f"{describe.grade(g, lang)}: {i18n.number(counts.get(g, 0), lang)}" for g in grades.ORDER[::-1]]
    labels = views.subject_labels(rec.case, lang)
    items = [
        f"{labels.get(r['subject'], r['subject'])} {describe.interval(describe.figure_interval(r), lang)}"
        for r in confirmed(rec.figures).to_dict("records")
    ]
    text = i18n.text("finding.grades", lang, n=sum(counts.values()), grades=i18n.join(parts, lang, "list"))
    if items:
        text += " " + i18n.text("finding.confirmed", lang, items=i18n.join(items, lang, "list"))
    else:
        text += " " + i18n.text("finding.none_confirmed", lang)
    return Finding(text)


def disagreements(rec: Reconciliation, lang: str) -> Finding:
    """The largest disagreements, who holds each figure, linked to their records."""
    top = largest_disagreements(rec.contradictions)
    if top.empty:
        return Finding(i18n.text("finding.no_disagreement", lang))
    labels = views.subject_labels(rec.case, lang)
    items = []
    for r in top.to_dict("records"):
        subject = labels.get(str(r["subject"]), str(r["subject"]))
        what = i18n.text(
            "finding.disagreement_item",
            lang,
            subject=subject,
            quantity=i18n.term("quantity", r["quantity"], lang),
            positions=describe.positions(rec.case, r["positions"], lang),
            link=link("contradiction", r["contradiction_id"]),
        )
        items.append(what)
    n = int((rec.contradictions["check"] == "disagreement").sum())
    text = i18n.text("finding.disagreements", lang, n=n, items=i18n.join(items, lang, "list"))
    return Finding(text, tuple(anchor("contradiction", k) for k in top["contradiction_id"]))


def unknowns(rec: Reconciliation, lang: str) -> Finding:
    """The movements with no people figure, no date, no point, named (or 'none')."""
    u = unplaced(rec.case, rec.movements)
    n = len(rec.movements)
    none = i18n.label("none", lang)
    return Finding(
        i18n.text(
            "finding.unknowns",
            lang,
            n=n,
            no_figure=_names(rec.case, u["no_figure"], lang) or none,
            n_no_figure=len(u["no_figure"]),
            no_date=_names(rec.case, u["no_date"], lang) or none,
            n_no_date=len(u["no_date"]),
            no_point=_names(rec.case, u["no_point"], lang) or none,
            n_no_point=len(u["no_point"]),
        )
    )


def flows(rec: Reconciliation, lang: str) -> list[Finding]:
    """The findings of the evacuation-flows report, in order."""
    return [*answers(rec, lang), agreement(rec, lang), disagreements(rec, lang), unknowns(rec, lang)]


# ---------------------------------------------------------------------------
# The sentence each section of the flows report opens with


def contradiction_kinds(rec: Reconciliation, lang: str) -> str:
    """'5 sources disagree; 4 dates disagree; ...': how many contradictions of each kind, most first ('none')."""
    counts = rec.contradictions["check"].value_counts()
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    items = [f"{i18n.term('check', k, lang)}: {i18n.number(int(n), lang)}" for k, n in ordered]
    return i18n.join(items, lang, "list") if items else i18n.label("none", lang)


def bases(rec: Reconciliation, lang: str) -> str:
    """How each movement's people are known, counted ('claimed: 3; unknown: 2')."""
    counts = rec.movements["people_basis"].value_counts()
    items = [
        f"{i18n.term('people_basis', b, lang)}: {i18n.number(int(counts[b]), lang)}"
        for b in ("claimed", "derived", "imputed", "unknown")
        if b in counts
    ]
    return i18n.join(items, lang, "list") if items else i18n.label("none", lang)


def calendar(rec: Reconciliation, lang: str) -> str:
    """The span of the departures and the day most people left (as a range; 'unknown' where no day has a figure)."""
    from .timeseries import daily_flows

    d = daily_flows(rec.movements)
    dep = d[d["event"] == "departure"]
    if dep.empty:
        return i18n.text("finding.no_calendar", lang)
    known = dep[dep["people_best"].notna()]
    values = {"first": i18n.date(dep["date"].min(), lang), "last": i18n.date(dep["date"].max(), lang), "days": len(dep)}
    if known.empty:
        return i18n.text("finding.calendar_unknown", lang, **values)
    top = known.sort_values(["people_best", "date"], ascending=[False, True]).iloc[0]
    iv = Interval.of(top["people_low"], top["people_best"], top["people_high"], False, top["people_high_open"])
    return i18n.text("finding.calendar", lang, **values, day=i18n.date(top["date"], lang), people=describe.interval(iv, lang, "words"))


def map_coverage(rec: Reconciliation, lang: str) -> str:
    """How many movements the map can draw, and which it cannot ('none')."""
    missing = unplaced(rec.case, rec.movements)["no_point"]
    n = len(rec.movements)
    names = _names(rec.case, missing, lang) or i18n.label("none", lang)
    return i18n.text("finding.map", lang, n=n, drawn=n - len(missing), missing=names)


# ---------------------------------------------------------------------------
# The timeline and the comparison


def timeline(case: Case, events: pd.DataFrame, rec: Reconciliation, lang: str) -> list[Finding]:
    """The timeline report's findings: the record's span and main window, the agreements, the movements' first and last
    days, and the dates the sources give differently (which the flows report lists)."""
    from .agreements import terms_table
    from .timeline import main_window, summary

    span = summary(events)
    window = main_window(events)
    out = [
        Finding(
            i18n.text(
                "finding.record",
                lang,
                n=span["events"],
                first=i18n.date(span["first_event"], lang),
                last=i18n.date(span["last_event"], lang),
                n_phases=len(span["events_by_phase"]),
                window=i18n.date_range(*window, lang) if window else i18n.label("unknown", lang),
            )
        )
    ]
    deals = terms_table(case).drop_duplicates("agreement_id") if "agreements" in case.tables else pd.DataFrame()
    items = [_agreement(case, r, lang) for r in deals.to_dict("records")]
    listed = i18n.join(items, lang, "list") or i18n.label("none", lang)
    out.append(Finding(i18n.text("finding.agreements", lang, n=len(items), items=listed)))
    mt = rec.movements
    first, last = mt["depart_date"].min(), mt["arrive_date"].max()
    out.append(
        Finding(
            i18n.text(
                "finding.movements_span",
                lang,
                n=len(mt),
                first=i18n.date(first, lang),
                last=i18n.date(last, lang),
                undated=int(mt["timeline_date"].isna().sum()),
            )
        )
    )
    dated = rec.contradictions[rec.contradictions["check"].isin(["date", "date_claims", "departure_after_arrival"])]
    out.append(
        Finding(
            i18n.text(
                "finding.dates",
                lang,
                n=len(dated),
                ids=i18n.join(list(dated["contradiction_id"]), lang, "list") or i18n.label("none", lang),
            )
        )
    )
    return out


def _agreement(case: Case, row: dict[str, Any], lang: str) -> str:
    """'Name (stage, date)' of one agreement, its date as precise as the sources give it."""
    name = i18n.name(case, "agreements", row["agreement_id"], lang)
    return f"{name} ({i18n.term('stage', row['stage'], lang)}, {describe.window(str(row['date']), lang)})"


def compare(cmp: Any, lang: str) -> list[Finding]:
    """The comparison's findings, one per case: the figure to quote for people with its rule and grade, the days from
    the first agreement to the last departure, the contradictions found."""
    out = []
    for row, case in zip(cmp.cases.to_dict("records"), cmp.case_objects, strict=True):
        days = row["days_agreement_to_last_departure"]
        out.append(
            Finding(
                i18n.text(
                    "finding.case",
                    lang,
                    case=views.case_heading(case, lang),
                    people=describe.answer(row["people_answer"], lang),
                    days=i18n.number(days, lang) if days is not None else i18n.label("unknown", lang),
                    n=row["contradictions"],
                )
            )
        )
    return out


def network(graph: Any, metrics: pd.DataFrame, balance: dict[str, Any], snapshots: dict[str, Any], lang: str) -> list[Finding]:
    """The network report's findings: the most central actor and the brokers, by name; the network's size, its
    communities and the share of balanced triads ('unknown' without any); the busiest phase."""
    from . import network_views

    if metrics.empty:
        return [Finding(i18n.text("finding.network_none", lang))]
    central = metrics.sort_values(["betweenness", "actor_id"], ascending=[False, True]).iloc[0]
    brokers = [str(n) for n in metrics.loc[metrics["broker"], f"name_{lang}"]]
    groups = network_views.community_names(metrics, lang)
    out = [
        Finding(
            i18n.text(
                "finding.network_central",
                lang,
                actor=str(central[f"name_{lang}"]),
                betweenness=i18n.decimal(float(central["betweenness"]), lang),
                brokers=i18n.join(brokers, lang) or i18n.label("none", lang),
            )
        ),
        Finding(
            i18n.text(
                "finding.network_shape",
                lang,
                n_relations=i18n.number(graph.number_of_edges(), lang),
                n_actors=i18n.number(len(metrics), lang),
                communities=i18n.join([groups[c] for c in sorted(groups)], lang, "list") or i18n.label("none", lang),
                share=i18n.percent(balance["balanced_share"], lang),
                n_triads=i18n.number(balance["n_triads"], lang),
            )
        ),
    ]
    busiest = max(snapshots.items(), key=lambda kv: kv[1].number_of_edges(), default=None)
    if busiest is not None and busiest[1].number_of_edges():
        text = i18n.text("finding.network_phase", lang, phase=i18n.term("phase", busiest[0], lang), n=busiest[1].number_of_edges())
        out.append(Finding(text))
    return out
