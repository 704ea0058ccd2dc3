"""Words for the model's structured results, in the reader's language: intervals, sums, answers and check records.

Nothing here computes a figure: each function takes what :mod:`analysis.aggregate`,
:mod:`analysis.checks` and :mod:`analysis.grades` return and writes it with the
templates of :mod:`analysis.i18n` (one template per check kind and per rule, in
every language), naming places, movements and originators, never ids, and writing
numbers and dates in the reader's language.  Unknown is written as unknown, never 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from . import dates, i18n, originators
from .intervals import Interval

if TYPE_CHECKING:  # pragma: no cover
    from .cases import Case


def _num(value: float | None, lang: str) -> str:
    return i18n.label("unknown", lang) if value is None else i18n.number(round(value), lang)


def interval(iv: Interval, lang: str, style: str = "cell") -> str:
    """An interval as a reader writes it.

    ``cell``: '5,000', '1,600 (1,600–2,500)', '16,009+ (15,944–16,152+)', '<=60', 'unknown';
    ``words``: '5,000', '1,600 to 2,500 (best 1,600)', '16,009 or more', 'at most 60', 'unknown'.
    """
    if not iv.known:
        return i18n.label("unknown", lang)
    lo, be, hi = _num(iv.low, lang), _num(iv.best, lang), _num(iv.high, lang)
    if style == "words":
        if iv.high_open:
            if iv.low is None or iv.low == iv.best:
                return i18n.label("or_more", lang, value=be)
            return i18n.label("best_at_least", lang, best=be, low=lo)
        if iv.low_open:
            return i18n.label("at_most", lang, value=hi)
        if iv.low == iv.high:
            return be
        return i18n.label("range_best", lang, low=lo, high=hi, best=be)
    top = hi + ("+" if iv.high_open else "")
    bottom = ("≤" if iv.low_open else "") + lo
    if iv.low == iv.high and not iv.high_open and not iv.low_open:
        return be
    if iv.low == iv.high:
        return be + "+" if iv.high_open else "≤" + be
    return f"{be}{'+' if iv.high_open and iv.best == iv.high else ''} ({bottom}–{top})"


def figure_interval(fig: Mapping[str, Any]) -> Interval:
    """A reconciled figure (a row of ``rec.figures``) as an interval."""
    return Interval.of(fig["low"], fig["best"], fig["high"], fig["low_open"], fig["high_open"])


def grade(value: Any, lang: str) -> str:
    """A grade in words ('confirmed', 'single source', ...); 'unknown' for none."""
    return (
        i18n.label("unknown", lang) if value is None or (not isinstance(value, str) and pd.isna(value)) else i18n.term("grade", value, lang)
    )


def _iv(d: Mapping[str, Any] | None) -> Interval:
    if not d:
        return Interval.unknown()
    return Interval.of(d.get("low"), d.get("best"), d.get("high"), d.get("low_open"), d.get("high_open"))


def aggregate(agg: Mapping[str, Any], lang: str) -> str:
    """A sum over movements (:meth:`analysis.aggregate.Aggregate.as_dict`) in words:
    '16,009 (at least 15,944, no upper bound); 3 of 12 movements have no figure'."""
    if not agg.get("n_movements"):
        return i18n.label("no_movements", lang)
    parts = [interval(_iv(agg), lang, "words")]
    if agg.get("n_unknown"):
        parts.append(i18n.label("n_of_m_no_figure", lang, n=agg["n_unknown"], m=agg["n_movements"]))
    if agg.get("n_estimated"):
        parts.append(i18n.label("n_estimated", lang, n=agg["n_estimated"], value=interval(_iv(agg.get("estimated")), lang, "words")))
    return i18n.join(parts, lang, "list")


def answer(ans: Mapping[str, Any], lang: str) -> str:
    """The whole-case answer (:meth:`analysis.aggregate.Answer.as_dict`) and the rule that gives it, in one sentence
    (see :data:`analysis.aggregate.REASONS`)."""
    mv = ans.get("movements") or {}
    estimated = ans.get("estimated_beyond_documented")
    values = {
        "figure": interval(_iv(ans), lang, "words"),
        "grade": grade(ans.get("grade"), lang),
        "movements": interval(_iv(mv), lang, "words"),
        "documented": interval(_iv(mv.get("documented")), lang, "words"),
        "n_doc": mv.get("n_documented", 0),
        "n": mv.get("n_movements", 0),
        "n_unknown": mv.get("n_unknown", 0),
        "estimated": interval(_iv(estimated), lang, "words"),
        "claims": ", ".join(ans.get("headline_claim_ids") or []),
        "contradictions": ", ".join(ans.get("contradiction_ids") or []),
    }
    text = i18n.text(f"answer.{ans['reason']}", lang, **values)
    if ans["reason"] == "no_headline" and mv.get("n_unknown"):
        text += " " + i18n.label("n_of_m_no_figure", lang, n=mv["n_unknown"], m=mv["n_movements"]) + "."
    return text


def window(value: Any, lang: str) -> str:
    """A date value ('2018-04-19', '2018-04', '2018-04-19/2018-04-20', with ~) as precise as it is, in words."""
    if value is None or (not isinstance(value, str) and pd.isna(value)) or value == "":
        return i18n.label("unknown", lang)
    text = str(value)
    if "/" in text:
        a, b = text.rstrip("~").split("/", 1)
        return i18n.date_range(a, b, lang)
    return i18n.date(text.rstrip("~"), lang, precision=dates.parse(text).precision)


def _side(row: Mapping[str, Any], side: str) -> Interval:
    return Interval.of(
        row.get(f"{side}_low"), row.get(f"{side}_best"), row.get(f"{side}_high"), row.get(f"{side}_low_open"), row.get(f"{side}_high_open")
    )


def positions(case: Case, items: list[dict[str, Any]] | None, lang: str) -> str:
    """'1,600 (AFP); 2,500 (the Spanish-language encyclopedia article)': each figure and who gives it."""
    out = []
    for p in items or []:
        if "window" in p:
            what = window(p["window"], lang)
        else:
            lo, hi = p.get("low"), p.get("high")
            iv = Interval(lo, lo if lo is not None else hi, hi, lo is None, hi is None)
            what = interval(iv, lang, "words")
        who = i18n.join([originators.name(case, o, lang) for o in p.get("originators", [])], lang)
        out.append(f"{what} ({who})")
    return i18n.join(out, lang, "list")


def _quantity(quantity: str, lang: str) -> str:
    """A check's quantity in words: a term of the quantity vocabulary, or a derived one ('people per bus')."""
    if quantity in i18n.terms("quantity", lang):
        return i18n.term("quantity", quantity, lang)
    return i18n.label(f"{quantity}_q", lang) if i18n.has_label(f"{quantity}_q") else ""


def check(row: Mapping[str, Any], case: Case, subjects: Mapping[str, str], lang: str) -> str:
    """One check record in words, from its kind's template (names, not ids; numbers and dates in ``lang``)."""
    items = [s for s in str(row.get("items") or "").split(";") if s]
    kind = str(row["check"])
    n_parts = row.get("n_parts")
    values = {
        "subject": subjects.get(str(row["subject"]), str(row["subject"])),
        "quantity": _quantity(str(row["quantity"]), lang),
        "whole": interval(_side(row, "whole"), lang, "words"),
        "parts": interval(_side(row, "parts"), lang, "words"),
        "known": 0 if n_parts is None or pd.isna(n_parts) else int(row.get("n_known") or 0),
        "n": 0 if n_parts is None or pd.isna(n_parts) else int(n_parts),
        "items": i18n.join([subjects.get(s, s) for s in items], lang),
        "window": window(row.get("window"), lang),
        "other": window(row.get("other_window"), lang),
        "positions": positions(case, row.get("positions"), lang),
        "source": originators.name(case, items[1], lang) if kind == "source_composition" and len(items) > 1 else "",
        "claims": ", ".join(s for s in str(row.get("claim_ids") or "").split(";") if s),
    }
    if kind == "plausibility":  # the bounds are a range the analysis assumes, with no best figure
        bounds = _side(row, "whole")
        values["whole"] = f"{_num(bounds.low, lang)}–{_num(bounds.high, lang)}"
    if kind == "plan_vs_outcome" and row.get("window") is not None and not pd.isna(row.get("window")):
        kind = "plan_vs_outcome_date"
    return i18n.text(f"check.{kind}", lang, **values)
