"""English that a report in another language must never show: the package's own words (written here, not read from
analysis.i18n) and the English names and texts of the case itself (its ``*_en`` columns that differ from the other
language's)."""

from __future__ import annotations

import re
from typing import Any

# English narrative, headings, table headers, values and dates a report in another language must never show
ENGLISH_WORDS = [
    "What happened",
    "The phases",
    "Event by event",
    "The convoys on the calendar",
    "Who sits where",
    "Structural balance",
    "Phase by phase",
    "How sure can we be",
    "What each source claimed",
    "The headline figures",
    "Where the record contradicts itself",
    "Each movement",
    "Over time",
    "Origins and destinations",
    "Summary",
    "unknown",
    "Departure",
    "Arrival",
    "People by destination",
    "imputed from buses",
    "fighters + civilians",
    "whole case",
    "negotiation",
    "evacuation",
    "surrender",
    "rebel group",
    "state force",
    "negotiated with",
    "sources disagree",
    "Natural Earth (public domain)",
    *("January", "February", "March", "April", "June", "July", "August", "September", "October", "November", "December"),
]
# a date written the English way: '22 Apr', 'Apr 2018' (Spanish writes '22 abr', 'abr 2018'; case matters)
ENGLISH_DATE = re.compile(
    r"\b\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b|\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}\b"
)
# chart titles, English, that a report in another language must not show
ENGLISH_TITLES = [
    "What happened, phase by phase",
    "Convoys: departure to arrival",
    "Who dealt with whom",
    "What each source claimed",
    "People by destination",
    "Routes: where the movements went",
    "Contradictions by kind",
]
SUMMARY_FILE = re.compile(r"\S+\.summary\.json|summary\.json")  # a file name ('03_evacuation_flows.summary.json') is not English


def english_of_case(case: Any, lang: str) -> set[str]:
    """The case's own English texts (names, labels, summaries: every ``X_en`` cell) that differ from its ``X_<lang>`` cell
    and from every ``<lang>`` text of the case; five characters or more.  None when the tables have no ``<lang>`` column."""
    english: set[str] = set()
    other: set[str] = set()
    for df in case.tables.values():
        for col in df.columns:
            if col.endswith("_en") and f"{col[:-3]}_{lang}" in df.columns:
                pairs = df[[col, f"{col[:-3]}_{lang}"]].dropna().astype(str).itertuples(index=False)
                for en, theirs in pairs:
                    other.add(theirs)
                    if en != theirs and len(en) >= 5:
                        english.add(en)
    return {e for e in english if not any(e in o for o in other)}


def english_in(text: str, case: Any, lang: str) -> list[str]:
    """The English words of the package and of ``case`` that ``text`` (a report in ``lang``) shows, as whole words."""
    text = SUMMARY_FILE.sub(" ", text)
    words = ENGLISH_WORDS + ENGLISH_TITLES + sorted(english_of_case(case, lang))
    found = [w for w in words if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text)]
    return found + [m.group(0) for m in ENGLISH_DATE.finditer(text)][:5]
