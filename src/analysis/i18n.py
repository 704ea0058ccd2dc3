"""Every word a reader sees, in each language of the reports; every number and date written by CLDR (Babel).

The words are data, not code:

- **Message catalogs**, one per language: ``locales/<lang>.yaml`` holds the ``labels`` (chart titles,
  axis, legend and table headers, summary keys, short phrases) and the ``texts`` (the notebooks'
  narrative blocks, Markdown) with ``{placeholders}``, and a ``meta`` block (the CLDR locale, which
  numbering system writes its digits, the fonts its script needs in the charts).  A message may be
  a set of plural forms keyed by CLDR plural category (``{one: ..., other: ...}``, and ``zero``,
  ``two``, ``few``, ``many`` where the language has them), picked by the value of ``n``.  The
  languages are the catalogs present (:data:`LANGS`): adding one is a catalog, its font if its
  script needs one, and the labels of the case's vocabularies in that language.
- **Vocabulary labels** (phases, event types, relations, ...) live in the case's ``datapackage.json``
  beside the values (:mod:`analysis.vocab`); :func:`term` reads them from the loaded case.
- **Names** of actors, places, movements, agreements (and the summaries of events and provisions)
  are the case's ``<column>_<lang>`` columns; :func:`name` falls back to English where a case has no
  translation, and :func:`untranslated` says so once per report.

Numbers, percentages, dates, date ranges and month spans are formatted by Babel from CLDR data in
every language; digits are those of the numbering system the catalog names (CLDR's ``native``
system for Arabic: Arabic-Indic digits, which Babel's symbols come with but which it leaves for the
caller to write, python-babel/babel#731).  Charts take the same conventions as a d3-format locale
(:func:`d3_format_locale`) and date-axis expressions built from CLDR patterns (:func:`vega_date`).
"""

from __future__ import annotations

import functools
import string
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import yaml
from babel import Locale, dates, lists, numbers

from . import vocab

if TYPE_CHECKING:  # pragma: no cover
    from .cases import Case

LOCALES = Path(__file__).parent / "locales"
SOURCE_LANG = "en"  # the language every catalog and every vocabulary is complete in; names fall back to it
PLURAL_KEY = "n"  # the placeholder whose value picks a plural form
# The ten digits of CLDR's numbering systems (common/supplemental/numberingSystems.xml) that the catalogs use:
# Babel reads a numbering system's symbols but not its digits.
DIGITS = {"latn": "0123456789", "arab": "٠١٢٣٤٥٦٧٨٩", "arabext": "۰۱۲۳۴۵۶۷۸۹"}
RTL_ISOLATE = ("\u2067", "\u2069")  # RIGHT-TO-LEFT ISOLATE ... POP DIRECTIONAL ISOLATE


# ---------------------------------------------------------------------------
# Catalogs and languages


def _available() -> tuple[str, ...]:
    """The languages with a catalog: the source language first, then the others by code."""
    found = sorted(p.stem for p in LOCALES.glob("*.yaml"))
    return tuple(sorted(found, key=lambda lang: (lang != SOURCE_LANG, lang)))


LANGS: tuple[str, ...] = _available()


def check_lang(lang: str) -> str:
    """``lang`` if it is a language of the reports; a ValueError naming them otherwise."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)} (the catalogs in {LOCALES}), not {lang!r}")
    return lang


@functools.cache
def catalog(lang: str) -> dict[str, Any]:
    """The message catalog of ``lang``: ``meta``, ``labels`` and ``texts``."""
    path = LOCALES / f"{check_lang(lang)}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for section in ("meta", "labels", "texts"):
        if not isinstance(data.get(section, {}), dict):
            raise ValueError(f"{path}: {section!r} must be a mapping")
    return data


def meta(lang: str) -> dict[str, Any]:
    """The catalog's ``meta`` block: ``locale`` (CLDR), ``numbers`` (``default`` or ``native``), ``fonts``."""
    return dict(catalog(lang).get("meta") or {})


@functools.cache
def locale(lang: str) -> Locale:
    """The CLDR locale that writes numbers and dates in ``lang`` (the catalog's ``meta.locale``, else ``lang``)."""
    return Locale.parse(str(meta(lang).get("locale", lang)))


def numbering_system(lang: str) -> str:
    """The CLDR numbering system of ``lang``: the locale's default, or its ``native`` one where the catalog says so."""
    loc = locale(lang)
    if meta(lang).get("numbers", "default") == "native":
        return str(loc.other_numbering_systems.get("native", loc.default_numbering_system))
    return str(loc.default_numbering_system)


def digits(lang: str) -> str:
    """The ten digits ``lang`` writes, '0' to '9' (Arabic-Indic ``٠``-``٩`` for Arabic)."""
    system = numbering_system(lang)
    if system not in DIGITS:
        raise ValueError(f"no digits known for CLDR numbering system {system!r} (language {lang!r}); add them to i18n.DIGITS")
    return DIGITS[system]


def direction(lang: str) -> str:
    """``'rtl'`` for a language written right to left (CLDR's character order), else ``'ltr'``."""
    return "rtl" if locale(lang).character_order == "right-to-left" else "ltr"


def language_name(lang: str, in_lang: str | None = None) -> str:
    """The name of language ``lang`` in ``in_lang`` (in itself by default), from CLDR: 'العربية', 'árabe'."""
    return str(locale(lang).get_display_name(locale(in_lang or lang)))


def fonts(lang: str) -> list[str]:
    """Font families the charts put first for ``lang``'s script (files in ``analysis/fonts``); [] for none."""
    return [str(f) for f in meta(lang).get("fonts", [])]


# ---------------------------------------------------------------------------
# Messages


def _plural(forms: dict[str, str], lang: str, values: dict[str, Any], where: str) -> str:
    if PLURAL_KEY not in values:
        raise KeyError(f"{where} has plural forms: give it {PLURAL_KEY}=")
    n = values[PLURAL_KEY]
    category = locale(lang).plural_form(abs(n) if isinstance(n, int | float) else 0)
    return forms.get(category, forms["other"])


def _filled(pattern: str, lang: str, values: dict[str, Any]) -> str:
    """``pattern`` with its placeholders filled; numbers written as ``lang`` writes them."""
    if not values:
        return pattern
    shown = {k: number(v, lang) if isinstance(v, int | float) and not isinstance(v, bool) else v for k, v in values.items()}
    return pattern.format(**shown)


def message(section: str, key: str, lang: str = "en", **values: Any) -> str:
    """Message ``key`` of the catalog's ``section`` (``labels`` or ``texts``) in ``lang``, placeholders filled.

    A message given as plural forms is chosen by the CLDR plural category of ``n``.  A KeyError names a
    missing message.
    """
    entries = catalog(lang).get(section) or {}
    if key not in entries:
        raise KeyError(f"no translation for {section[:-1]} {key!r} in {lang!r} ({LOCALES / (lang + '.yaml')})")
    entry = entries[key]
    pattern = _plural(entry, lang, values, f"{section}.{key}") if isinstance(entry, dict) else str(entry)
    return _filled(pattern, lang, values)


def label(key: str, lang: str = "en", **values: Any) -> str:
    """A label in ``lang`` (``{placeholders}`` filled from ``values``); a KeyError names a missing key."""
    return message("labels", key, lang, **values)


def text(key: str, lang: str = "en", **values: Any) -> str:
    """A narrative block (Markdown) in ``lang`` with its ``{placeholders}`` filled."""
    return message("texts", key, lang, **values)


def has_label(key: str) -> bool:
    """True if the catalogs hold a label ``key``."""
    return key in (catalog(SOURCE_LANG).get("labels") or {})


def placeholders(entry: Any) -> set[str]:
    """The placeholder names of a catalog entry (of every plural form)."""
    forms = entry.values() if isinstance(entry, dict) else [entry]
    return {f for form in forms for _, f, _, _ in string.Formatter().parse(str(form)) if f}


# ---------------------------------------------------------------------------
# Vocabularies (labels in the case's data package)


def _missing(value: Any) -> bool:
    return value is None or (not isinstance(value, str | list | tuple | dict) and bool(pd.isna(value)))


def term(kind: str, value: Any, lang: str = "en") -> str:
    """The label in ``lang`` of ``value`` of vocabulary ``kind`` (from the loaded case's data package).

    A missing value is 'unknown'; a value the vocabulary lacks raises a KeyError.  A value with no label in
    ``lang`` is given in English (:func:`untranslated` counts it), then as it is stored.
    """
    check_lang(lang)
    if _missing(value):
        return label("unknown", lang)
    v = vocab.vocabulary(kind)
    key = vocab.key(value)
    if key not in v.values:
        raise KeyError(f"no translation for {kind} {value!r}: not a value of vocabulary {kind!r}")
    if v.cldr == "languages":
        return str(locale(lang).languages.get(key, key))
    return v.labels.get(lang, {}).get(key) or v.labels.get(SOURCE_LANG, {}).get(key) or key


def terms(kind: str, lang: str = "en") -> dict[str, str]:
    """Every value of a vocabulary, stored value -> label in ``lang``, in the vocabulary's order."""
    return {value: term(kind, value, lang) for value in vocab.vocabulary(kind).values}


def join(items: Any, lang: str = "en", style: str = "and") -> str:
    """Items as one phrase in ``lang``: ``and`` is CLDR's list pattern ('A, B and C', 'A, B y C', 'A وB وC'); ``list``
    separates them with the language's list separator ('A; B', 'A؛ B')."""
    items = [str(i) for i in items]
    if style == "and":
        return lists.format_list(items, style="standard", locale=locale(lang)) if items else ""
    separator = locale(lang).number_symbols[numbering_system(lang)]["list"]
    return f"{separator} ".join(items)


# ---------------------------------------------------------------------------
# Numbers


def _native(text_: str, lang: str) -> str:
    """``text_`` with its ASCII digits written in ``lang``'s digits."""
    d = digits(lang)
    return text_ if d == DIGITS["latn"] else text_.translate(str.maketrans(DIGITS["latn"], d))


def _babel(fn: Any, value: Any, lang: str, **kw: Any) -> str:
    """``fn`` (a Babel formatter) in ``lang``'s locale and numbering system, with that system's digits and minus sign."""
    out = fn(value, locale=locale(lang), numbering_system=numbering_system(lang), **kw)
    if out.startswith("-"):  # Babel keeps the pattern's '-' (CLDR: the numbering system's minus sign)
        out = locale(lang).number_symbols[numbering_system(lang)]["minusSign"] + out[1:]
    return _native(out, lang)


def number(value: Any, lang: str = "en") -> str:
    """A count as ``lang`` writes it ('12,030', '12.030', '١٢٬٠٣٠'); a non-whole figure to one decimal; 'unknown' if missing."""
    if _missing(value):
        return label("unknown", lang)
    if isinstance(value, float) and not value.is_integer():
        return decimal(value, lang, 1)
    return _babel(numbers.format_decimal, int(value), lang)


def decimal(value: Any, lang: str = "en", places: int = 2) -> str:
    """``value`` with exactly ``places`` decimals in ``lang`` ('0.25', '0,25', '٠٫٢٥'); 'unknown' if missing."""
    if _missing(value):
        return label("unknown", lang)
    pattern = "#,##0" + ("." + "0" * places if places else "")
    return _babel(numbers.format_decimal, float(value), lang, format=pattern)


def percent(value: Any, lang: str = "en", places: int = 0) -> str:
    """A share (0.17) as a percentage in ``lang`` ('17%', '17 %', '١٧٪؜'); 'unknown' if missing.

    The pattern is CLDR's; its percent sign is the numbering system's (Babel leaves the pattern's '%' as it is).
    """
    if _missing(value):
        return label("unknown", lang)
    pattern = locale(lang).percent_formats[None].pattern.split(";")[0]
    if places:
        head, zero, tail = pattern.rpartition("0")
        pattern = f"{head}{zero}.{'0' * places}{tail}"
    sign = locale(lang).number_symbols[numbering_system(lang)]["percentSign"]
    return _babel(numbers.format_percent, float(value), lang, format=pattern).replace("%", sign)


def signed(value: Any, lang: str = "en") -> str:
    """An integer with its sign always written ('+1', '-1', '0'), in ``lang``'s digits and sign symbols."""
    if _missing(value):
        return label("unknown", lang)
    n = int(value)
    ns = numbering_system(lang)
    sign = (
        numbers.get_plus_sign_symbol(locale(lang), numbering_system=ns)
        if n > 0
        else numbers.get_minus_sign_symbol(locale(lang), numbering_system=ns)
        if n < 0
        else ""
    )
    return sign + number(abs(n), lang)


def d3_format_locale(lang: str) -> dict[str, Any]:
    """The d3-format locale of ``lang`` from CLDR (decimal and group symbols, grouping, minus and percent signs,
    digits), for vl-convert's ``format_locale``: chart axes and labels write numbers as the tables do."""
    loc, ns = locale(lang), numbering_system(lang)
    symbols = loc.number_symbols[ns]
    grouping = loc.decimal_formats[None].grouping
    out: dict[str, Any] = {
        "decimal": symbols["decimal"],
        "thousands": symbols["group"],
        "grouping": [grouping[0]] if grouping[0] == grouping[1] else [grouping[0], grouping[1]],
        "currency": ["", ""],
        "minus": symbols["minusSign"],
        "percent": symbols["percentSign"],
    }
    if digits(lang) != DIGITS["latn"]:
        out["numerals"] = list(digits(lang))
    return out


def d3_time_locale(lang: str) -> dict[str, Any]:
    """The d3-time-format locale of ``lang`` from CLDR (day and month names), for vl-convert's ``time_format_locale``."""
    loc = locale(lang)
    days = [loc.days["format"][w] for w in ("wide", "abbreviated")]
    sunday_first = [6, 0, 1, 2, 3, 4, 5]  # Babel numbers days from Monday (0); d3 from Sunday
    return {
        "dateTime": "%x %X",
        "date": "%Y-%m-%d",
        "time": "%H:%M:%S",
        "periods": [loc.day_periods["format"]["abbreviated"].get(p, p.upper()) for p in ("am", "pm")],
        "days": [days[0][i] for i in sunday_first],
        "shortDays": [days[1][i] for i in sunday_first],
        "months": [loc.months["format"]["wide"][m] for m in range(1, 13)],
        "shortMonths": [loc.months["format"]["abbreviated"][m] for m in range(1, 13)],
    }


# ---------------------------------------------------------------------------
# Dates


def _timestamp(value: Any) -> pd.Timestamp | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = value.rstrip("~").split("/")[0]
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError):
        return None
    return None if pd.isna(ts) else ts


SKELETONS = {"day": "yMMMd", "range": "yMMMd", "month": "yMMM", "year": "y"}  # CLDR skeletons by date precision


def _skeleton(precision: str) -> str:
    return SKELETONS.get(precision, SKELETONS["day"])


def date(value: Any, lang: str = "en", precision: str = "day") -> str:
    """A date as CLDR writes it in ``lang``, as precise as known: '22 Apr 2018' / '22 abr 2018' / '٢٢ أبريل ٢٠١٨',
    'Apr 2018', '2018'; an unknown date as 'unknown'."""
    ts = _timestamp(value)
    if ts is None:
        return label("unknown", lang)
    return _native(dates.format_skeleton(_skeleton(precision), ts.date(), locale=locale(lang)), lang)


def date_range(start: Any, end: Any, lang: str = "en", precision: str = "day") -> str:
    """A span as CLDR writes it: '19 Apr 2018' for one day, '19–20 Apr 2018', '3 Apr – 17 May 2018'; at month or
    year precision 'Apr 2018' or 'Mar–May 2018', '2016–2017'.  One date unknown: the other alone."""
    a, b = _timestamp(start), _timestamp(end)
    if a is None or b is None:
        return date(start if a is not None else end, lang, precision)
    out = dates.format_interval(a.date(), b.date(), _skeleton(precision), locale=locale(lang))
    return _native(out, lang)


def month_year(start: Any, end: Any, lang: str = "en") -> str:
    """The months a span covers, in full: 'April 2018' / 'abril de 2018', 'March–May 2018' / 'marzo–mayo de 2018'."""
    a, b = _timestamp(start), _timestamp(end)
    if a is None or b is None:
        return label("unknown", lang)
    return _native(dates.format_interval(a.date(), b.date(), "yMMMM", locale=locale(lang)), lang)


def vega_date(lang: str = "en", field: str = "datum.value", year: bool = False) -> str:
    """A Vega expression writing ``field`` (UTC) as CLDR's day-and-month ('22 Apr', '٢٢ أبريل') or, with ``year``,
    month-and-year pattern of ``lang``: month names from CLDR, digits through the chart's number locale."""
    pattern = locale(lang).datetime_skeletons["yMMM" if year else "MMMd"].pattern
    parts = []
    for kind, value in dates.tokenize_pattern(pattern):
        if kind == "chars":
            parts.append(repr(str(value)))
            continue
        char, width = value
        if char in "ML":
            names = locale(lang).months["stand-alone" if char == "L" else "format"]["abbreviated" if width <= 3 else "wide"]
            parts.append("[" + ",".join(repr(names[m]) for m in range(1, 13)) + f"][utcmonth({field})]")
        elif char == "d":
            parts.append(f"format(utcdate({field}), '{'02d' if width == 2 else 'd'}')")
        elif char in "yU":
            parts.append(f"format(utcyear({field}), 'd')")
    return " + ".join(parts)


# ---------------------------------------------------------------------------
# Names from the case's tables


TEXT_COLUMNS = ("name", "label", "summary")  # the columns a case writes in each language, as <column>_<lang>


def _text_column(df: pd.DataFrame) -> str:
    for prefix in TEXT_COLUMNS:
        if f"{prefix}_{SOURCE_LANG}" in df.columns:
            return prefix
    raise KeyError(f"the table has no {' / '.join(c + '_' + SOURCE_LANG for c in TEXT_COLUMNS)} column")


def _id_column(case: Case, table: str, df: pd.DataFrame) -> str:
    """The table's key column: its primary key in the data package, else its first column."""
    package = getattr(case, "package", None)
    return str(vocab.resource(package, table)["schema"]["primaryKey"][0]) if package else str(df.columns[0])


def localized(df: pd.DataFrame, prefix: str, lang: str) -> pd.Series:
    """Column ``<prefix>_<lang>`` of ``df``, English where the language's column or cell is missing or empty."""
    check_lang(lang)
    english = df[f"{prefix}_{SOURCE_LANG}"]
    own = df.get(f"{prefix}_{lang}")
    if own is None:
        return english.astype(object)
    own = own.astype(object)
    blank = own.isna() | (own.astype(str).str.strip() == "")
    return own.where(~blank, english).astype(object)


def names(case: Case, table: str, lang: str = "en") -> pd.Series:
    """id -> name (label, summary) in ``lang`` of every row of ``table`` (English where not translated)."""
    df = getattr(case, table)
    return pd.Series(localized(df, _text_column(df), lang).to_numpy(), index=df[_id_column(case, table, df)].astype(str))


def name(case: Case, table: str, key: Any, lang: str = "en") -> str:
    """The name of an actor, place, movement or agreement (the label of a movement, the summary of an event or a
    provision) in ``lang``, English where the case has no translation; 'unknown' for a missing id, the id itself for
    one the table lacks."""
    if _missing(key) or key == "":
        return label("unknown", lang)
    found = names(case, table, lang)
    return str(found[str(key)]) if str(key) in found.index else str(key)


NAMED_TABLES = ("actors", "places", "movements", "agreements", "events", "provisions")  # whose text the reports show


def untranslated(case: Case, lang: str) -> int:
    """How many names, labels and summaries the reports show in English for want of a translation into ``lang``:
    empty or missing ``<column>_<lang>`` cells of the tables reports name things from, and vocabulary values with no
    label in ``lang``."""
    if lang == SOURCE_LANG:
        return 0
    count = 0
    for df in (case.tables[t] for t in NAMED_TABLES if t in case.tables):
        prefix = _text_column(df)
        own = df.get(f"{prefix}_{lang}")
        blank = pd.Series(True, index=df.index) if own is None else own.isna() | (own.astype(str).str.strip() == "")
        count += int((blank & df[f"{prefix}_{SOURCE_LANG}"].notna()).sum())
    for v in vocab.vocabularies(case.package).values():
        if v.cldr is None:
            count += sum(1 for value in v.values if not v.labels.get(lang, {}).get(value))
    return count


def html_attributes(lang: str) -> dict[str, str]:
    """The attributes of a report's ``<html>`` root in ``lang``: ``lang`` and ``dir``."""
    return {"lang": check_lang(lang), "dir": direction(lang)}
