"""Language-aware views of a case: the rows a reader sees, words in one language beside the stored ids.

The tables of :mod:`analysis.present` and the charts of :mod:`analysis.charts` are both drawn from these
frames, so a table and a chart say the same thing in the same words; nothing here loads Altair.

- :func:`timeline_frame` — one row per event: dates in words, phase and event type, place, summary.
- :func:`movement_frame` — movements with places, dates and figures in words.
- :func:`range_text` — 'best (low–high)' for a quantity of each movement.
- :func:`subject_labels` / :func:`subject_sort` — words for every claim subject, and their reading order.
- :func:`case_heading` — a heading for the case: the place it is about and its main window.
- :func:`translation_note` — the one sentence a report adds when some names are given in English.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from . import i18n
from .places import case_region
from .timeline import main_window

if TYPE_CHECKING:  # pragma: no cover
    from .cases import Case

PRECISE = ("day", "range")  # date precisions whose events are drawn day by day


def timeline_frame(case: Case, events: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One row per event: dates (ISO and in words), phase and event type in ``lang``, place, summary, sources, in-window flag."""
    window = main_window(events)
    places = i18n.names(case, "places", lang)
    df = pd.DataFrame(
        {
            "event_id": events["event_id"].astype(str),
            "date_start": events["date_start"],
            "end_plus": events["date_end"] + pd.Timedelta(days=1),
            "phase": events["phase"].astype(str),
            "phase_label": [i18n.term("phase", p, lang) for p in events["phase"].astype(str)],
            "event": [i18n.term("event_type", t, lang) for t in events["event_type"].astype(str)],
            "when": [
                i18n.date_range(a, b, lang, str(p))
                for a, b, p in zip(events["date_start"], events["date_end"], events["date_precision"], strict=True)
            ],
            "where": events["place_id"].astype(str).map(places).fillna(i18n.label("unknown", lang)),
            "summary": i18n.localized(events, "summary", lang).astype(str),
            "sources": events["source_ids"].astype(str).str.replace(";", ", "),
            "precise": events["date_precision"].astype(str).isin(PRECISE),
        }
    )
    df["in_window"] = False if window is None else (df["date_start"] <= window[1]) & (events["date_end"] >= window[0])
    return df.sort_values(["date_start", "event_id"], kind="stable").reset_index(drop=True)


def figure_text(lo: Any, be: Any, hi: Any, lang: str, open_top: bool = False) -> str:
    """'best (low–high)' in ``lang`` (one figure where low = high, a '+' on an open top, 'unknown' where there is
    none): :func:`analysis.describe.interval`, the one rule for writing a figure in a cell."""
    from .describe import interval
    from .intervals import Interval

    return interval(Interval.of(lo, be, hi, False, open_top), lang)


def range_text(mt: pd.DataFrame, q: str, lang: str) -> list[str]:
    """'best (low–high)' for quantity ``q`` of each movement, its openness kept ('unknown' where there is no figure)."""
    from .describe import interval
    from .intervals import Interval

    low_open = mt[f"{q}_low_open"] if f"{q}_low_open" in mt else pd.Series(False, index=mt.index)
    high_open = mt[f"{q}_high_open"] if f"{q}_high_open" in mt else pd.Series(False, index=mt.index)
    return [
        interval(Interval.of(lo, be, hi, bool(lo_o), bool(hi_o)), lang)
        for lo, be, hi, lo_o, hi_o in zip(mt[f"{q}_low"], mt[f"{q}_best"], mt[f"{q}_high"], low_open, high_open, strict=True)
    ]


def movement_frame(case: Case, mt: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Movements with names, dates and figures in ``lang`` (ids kept beside them)."""
    places = i18n.names(case, "places", lang)
    labels = i18n.names(case, "movements", lang)
    unknown = i18n.label("unknown", lang)
    return mt.assign(
        movement=mt["movement_id"].astype(str).map(labels).fillna(mt["movement_id"].astype(str)),
        origin=mt["origin_place_id"].map(places).fillna(unknown),
        destination=mt["destination_place_id"].map(places).fillna(unknown),
        depart_text=[i18n.date(d, lang) for d in mt["depart_date"]],
        arrive_text=[i18n.date(d, lang) for d in mt["arrive_date"]],
        basis=[i18n.term("people_basis", b, lang) for b in mt["people_basis"].astype(str)],
        people_range=range_text(mt, "people", lang),
        buses_range=range_text(mt, "buses", lang),
    )


def subject_labels(case: Case, lang: str) -> dict[str, str]:
    """Words for every claim subject: the whole case, 'from <origin>', '<place> itself', a movement's label, an event's type and date."""
    out = {"total": i18n.label("total", lang)}
    for pid, place in i18n.names(case, "places", lang).items():
        out[f"from:{pid}"] = i18n.label("from_place", lang, place=place)
        out[f"place:{pid}"] = i18n.label("at_place", lang, place=place)
    out.update(i18n.names(case, "movements", lang).to_dict())
    for e in case.events.itertuples():
        out[e.event_id] = i18n.label(
            "subject_event", lang, event=i18n.term("event_type", str(e.event_type), lang), date=i18n.date(e.date_start, lang)
        )
    groups = case.tables.get("groups")
    if groups is not None and len(groups):
        out.update({f"group:{g}": label for g, label in i18n.names(case, "groups", lang).items()})
    movements = i18n.names(case, "movements", lang)
    claims = getattr(case, "tables", {}).get("claims")
    for subject in [] if claims is None else claims["subject"].astype(str):
        if subject.startswith("set:"):
            members = [movements.get(m, m) for m in subject[4:].split("+")]
            out[subject] = i18n.label("set_of", lang, items=i18n.join(members, lang))
    return out


def subject_sort(s: str) -> tuple[int, str]:
    """Reading order of claim subjects: the whole case, then origins, movements, the rest."""
    return (0 if s == "total" else 1 if s.startswith("from:") else 2 if s.startswith("mv-") else 3, s)


def _in_language(case: Case, prop: str, lang: str, default: str | None = None) -> str | None:
    """A piece of the case's package metadata in ``lang``: ``qalamoun:<prop>`` {lang: text}, else the package's own
    (English) ``<prop>``, else ``default``."""
    given = case.package.get(f"qalamoun:{prop}") or {}
    return given.get(lang) or given.get(i18n.SOURCE_LANG) or case.package.get(prop) or default


def case_heading(case: Case, lang: str) -> str:
    """The case's heading in ``lang`` ('Eastern Qalamoun, April 2018'), as its package declares it
    (``qalamoun:heading``); a case that declares none is headed by the place it is about and its main window."""
    declared = _in_language(case, "heading", lang)
    if declared:
        return declared
    region = case_region(case)
    place = i18n.name(case, "places", region, lang) if region else case.case_id
    window = main_window(case.events)
    return place if window is None else i18n.label("case_heading", lang, place=place, window=i18n.month_year(window[0], window[1], lang))


def case_title(case: Case, lang: str) -> str:
    """The case's title in ``lang`` (``qalamoun:title``, else the package's ``title``, else its heading)."""
    return _in_language(case, "title", lang) or case_heading(case, lang)


def case_description(case: Case, lang: str) -> str:
    """The case's description in ``lang`` (``qalamoun:description``, else the package's ``description``), or ''."""
    return _in_language(case, "description", lang, "") or ""


def translation_note(cases: Case | list[Case], lang: str) -> str | None:
    """'Names not yet translated are given in English.' in ``lang`` where a case lacks some translation, else None."""
    items = cases if isinstance(cases, list) else [cases]
    return i18n.label("names_fallback", lang) if any(i18n.untranslated(c, lang) for c in items) else None
