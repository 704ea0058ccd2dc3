"""What a reader sees around the charts: narrative, tables and the summary, wholly in one language.

Built from the language-aware views of :mod:`analysis.views` (the charts draw from the same views);
nothing here loads Altair.

- :func:`title` — a report's title with the case's heading, and the note on untranslated names.
- :func:`md` — a narrative block of the language's catalog as Markdown.
- :func:`table` — a DataFrame as a reader's table: translated headers and values, no index,
  long text wrapped (never cut), unknown values written as such, at most a few columns.
- ``*_table`` — the tables of each notebook, built from the analysis modules' outputs.
- :func:`summary` — the key figures as a short table with a link to ``summary.json``.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pandas as pd

from . import i18n, views, vocab

if TYPE_CHECKING:  # pragma: no cover
    from .cases import Case

MAX_COLUMNS = 8
CONTRADICTION_ROWS = 300  # a report writes at most this many contradictions, and counts the rest
HEADLINE_ROWS = 200  # and at most this many headline figures (the whole case first, then each origin)
CITED_ROWS = 600  # and at most this many cited claims and documents in its sources section
WRAP_CSS = "white-space:normal;overflow-wrap:break-word;vertical-align:top;text-align:start;padding:3px 8px;max-width:34em"
_figure_text = views.figure_text


class Table:
    """A table for reading: HTML (wrapped text, no index, in the direction of its language) in notebooks and reports,
    plain text elsewhere.

    ``anchors`` gives each row an HTML id (a finding or another table links to it); ``links`` maps a column's header to
    the kind of row its ids point at (``claim``, ``source``, ``contradiction``): each id in such a cell ('A04, C006')
    becomes a link to that row of the report.  ``quoted`` names the columns whose cells are quoted as the case's tables
    record them (titles and outlets of documents, in the tables' language): each such cell is marked with that
    language and, like an address, as not to be translated.
    """

    def __init__(
        self,
        frame: pd.DataFrame,
        note: str = "",
        lang: str = i18n.SOURCE_LANG,
        anchors: list[str] | None = None,
        links: dict[str, str] | None = None,
        quoted: list[str] | None = None,
    ):
        self.frame = frame
        self.quoted = set(quoted or [])
        self.note = note
        self.lang = lang
        self.anchors = anchors
        self.links = links or {}

    def _td(self, column: str, value: Any) -> str:
        kind = self.links.get(column)
        if column in self.quoted:
            return f'<td lang="{i18n.SOURCE_LANG}" translate="no" dir="auto" style="{WRAP_CSS}">{html.escape(str(value))}</td>'
        if kind is None:
            return f'<td style="{WRAP_CSS}">{html.escape(str(value))}</td>'
        if kind == "url":
            text = html.escape(str(value))
            return (
                f'<td translate="no" dir="ltr" style="{WRAP_CSS}"><a href="{text}">{text}</a></td>'
                if str(value).startswith("http")
                else f'<td style="{WRAP_CSS}">{text}</td>'
            )
        ids = [v.strip() for v in str(value).split(",") if v.strip()]
        linked = ", ".join(html.escape(i) if i.startswith("…") else f'<a href="#{kind}-{html.escape(i)}">{html.escape(i)}</a>' for i in ids)
        return f'<td style="{WRAP_CSS}">{linked}</td>'

    def _repr_html_(self) -> str:
        head = "".join(f'<th style="{WRAP_CSS}">{html.escape(str(c))}</th>' for c in self.frame.columns)
        ids = self.anchors or [None] * len(self.frame)
        rows = "".join(
            (f'<tr id="{html.escape(a)}">' if a else "<tr>")
            + "".join(self._td(c, v) for c, v in zip(self.frame.columns, r, strict=True))
            + "</tr>"
            for a, r in zip(ids, self.frame.itertuples(index=False), strict=True)
        )
        if self.frame.empty:  # a table with nothing to list says so in a row
            cols = max(1, len(self.frame.columns))
            rows = f'<tr><td colspan="{cols}" style="{WRAP_CSS}">{html.escape(i18n.label("none", self.lang))}</td></tr>'
        note = f'<p style="margin:2px 0;color:#555">{html.escape(self.note)}</p>' if self.note else ""
        table = f'<table style="border-collapse:collapse"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'
        return f'<div dir="{i18n.direction(self.lang)}" style="overflow-x:auto">{table}{note}</div>'

    def __repr__(self) -> str:
        text = self.frame.to_string(index=False) if not self.frame.empty else i18n.label("none", self.lang)
        return f"{text}\n{self.note}" if self.note else text


def _markdown(text: str, lang: str) -> Any:
    """``text`` as displayable Markdown, in a block of the language's direction where it is written right to left."""
    from IPython.display import Markdown

    return Markdown(f'<div dir="rtl">\n\n{text}\n\n</div>' if i18n.direction(lang) == "rtl" else text)


def md(key: str, lang: str, also: str | None = None, **values: Any) -> Any:
    """A narrative block in ``lang`` as displayable Markdown (followed by the block ``also``, if given)."""
    text = i18n.text(key, lang, **values)
    return _markdown(f"{text}\n\n{i18n.text(also, lang)}" if also else text, lang)


def title(key: str, cases: Case | list[Case], lang: str, **values: Any) -> Any:
    """A report's title block ``key`` with the case's heading as ``{case}`` (for a list of cases, their headings as
    ``{cases}``), and below it, where a case lacks translations into ``lang``, the sentence saying that names not yet
    translated are given in English."""
    if isinstance(cases, list):
        values["cases"] = " · ".join(views.case_heading(c, lang) for c in cases)
    else:
        values["case"] = views.case_heading(cases, lang)
    note = views.translation_note(cases, lang)
    text = i18n.text(key, lang, **values)
    return _markdown(f"{text}\n\n*{note}*" if note else text, lang)


def _cell(value: Any, lang: str) -> str:
    if value is None or (not isinstance(value, str | list | tuple | dict) and pd.isna(value)):
        return i18n.label("unknown", lang)
    if isinstance(value, bool):
        return i18n.label("yes" if value else "no", lang)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return i18n.number(value, lang)
    if isinstance(value, pd.Timestamp):
        return i18n.date(value, lang)
    return str(value)


def table(
    df: pd.DataFrame,
    lang: str,
    headers: dict[str, str],
    values: dict[str, Callable[[Any], str]] | None = None,
    rows: int | None = None,
    links: dict[str, str] | None = None,
) -> Table:
    """``df`` with the columns of ``headers`` (column -> label key), values mapped by ``values`` (column -> function),
    every missing value written 'unknown', numbers and dates in ``lang``; at most ``rows`` rows (the rest counted).
    ``links`` maps a column to the kind of row its ids link to (:class:`Table`)."""
    if len(headers) > MAX_COLUMNS:
        raise ValueError(f"a table shows at most {MAX_COLUMNS} columns, not {len(headers)}")
    values = values or {}
    shown = df if rows is None else df.head(rows)
    out = pd.DataFrame(
        {
            i18n.label(key, lang): [
                i18n.label("unknown", lang)
                if (v is None or (not isinstance(v, str | list | tuple | dict) and pd.isna(v)))
                else values[col](v)
                if col in values
                else _cell(v, lang)
                for v in shown[col]
            ]
            for col, key in headers.items()
        }
    )
    note = i18n.label("more", lang, n=len(df) - len(shown)) if len(shown) < len(df) else ""
    return Table(out, note, lang, links={i18n.label(headers[c], lang): kind for c, kind in (links or {}).items() if c in headers})


IDS_SHOWN = 12  # ids written in one cell; the rest are counted ('… 388 more')


def _ids(text: Any, lang: str = i18n.SOURCE_LANG) -> str:
    """``a;b;c`` as 'a, b, c': at most :data:`IDS_SHOWN` ids, then how many more."""
    ids = [s for s in str(text).split(";") if s]
    shown = ", ".join(ids[:IDS_SHOWN])
    return f"{shown}, {i18n.label('more', lang, n=len(ids) - IDS_SHOWN)}" if len(ids) > IDS_SHOWN else shown


# ---------------------------------------------------------------------------
# Timeline


def phase_table(events: pd.DataFrame, lang: str) -> Table:
    """One row per phase: first and last day of its events dated to the day (as precise as its events are), and how
    many events it has (:func:`analysis.timeline.phase_table`)."""
    from .timeline import phase_table as spans

    df = spans(events)
    when = lambda r, col: i18n.date(r[col], lang, precision=r["precision"])  # noqa: E731
    df = df.assign(first_text=[when(r, "first") for _, r in df.iterrows()], last_text=[when(r, "last") for _, r in df.iterrows()])
    return table(
        df,
        lang,
        {"phase": "phase", "first_text": "first_day", "last_text": "last_day", "events": "events"},
        {"phase": lambda v: i18n.term("phase", str(v), lang)},
    )


def event_table(case: Case, events: pd.DataFrame, lang: str, rows: int = 60) -> Table:
    """Every event: when (as precise as known), phase, type, where, what, sources."""
    df = views.timeline_frame(case, events, lang)
    return table(
        df,
        lang,
        {"when": "when", "phase_label": "phase", "event": "event_type", "where": "where", "summary": "what", "sources": "sources"},
        rows=rows,
        links={"sources": "source"},
    )


# ---------------------------------------------------------------------------
# Flows


def _sensitivity(fig: Any, case: Case, lang: str) -> str:
    from .originators import name

    if pd.isna(fig.sensitivity) or not fig.sensitive_to:
        return i18n.label("none_dash", lang) if pd.isna(fig.sensitivity) else i18n.number(0, lang)
    return f"±{i18n.number(fig.sensitivity, lang)} ({name(case, fig.sensitive_to, lang)})"


def headline_table(case: Case, figs: pd.DataFrame, lang: str) -> Table:
    """The figures for the whole case and for each origin: best (low-high), grade, how far one source moves it, claims."""
    from .describe import figure_interval, grade, interval

    f = figs[figs["subject"].str.startswith(("total", "from:")) & (figs["figure_basis"] == "reported")]
    f = f.assign(_k=f["subject"].map(views.subject_sort)).sort_values(["_k", "quantity"], kind="stable")
    labels = views.subject_labels(case, lang)
    df = f.assign(
        subject_label=f["subject"].map(labels),
        figure=[interval(figure_interval(r), lang) for r in f.to_dict("records")],
        quantity_label=[i18n.term("quantity", q, lang) for q in f["quantity"]],
        grade_label=[grade(g, lang) for g in f["grade"]],
        moves=[_sensitivity(r, case, lang) for r in f.itertuples()],
        claims=[_ids(v, lang) for v in f["claim_ids"]],
    )
    headers = {
        "subject_label": "subject",
        "quantity_label": "quantity",
        "figure": "best_col",
        "grade_label": "grade",
        "moves": "sensitivity",
        "claims": "claim_ids",
    }
    return table(df, lang, headers, rows=HEADLINE_ROWS, links={"claims": "claim"})


def contradiction_text(row: Any, case: Case, lang: str, words: dict[str, str] | None = None) -> str:
    """What disagrees, in ``lang``, from the check record's kind template (names, not ids).  ``words``: the case's
    subject words (:func:`_subject_words`), when many rows are written at once."""
    from .describe import check

    return check(row, case, words if words is not None else _subject_words(case, lang, views.subject_labels(case, lang)), lang)


def _subject_words(case: Case, lang: str, labels: dict[str, str]) -> dict[str, str]:
    """Subject labels, plus place and source names for the items a check lists."""
    out = dict(labels)
    for p in case.places.itertuples():
        out.setdefault(f"from:{p.place_id}", labels.get(f"from:{p.place_id}", p.place_id))
    for s in case.sources.itertuples():
        out.setdefault(s.source_id, str(s.publisher) if isinstance(s.publisher, str) and s.publisher else str(s.title))
    return out


def _date_text(value: str, lang: str) -> str:
    """A date value as precise as it is given ('2016', 'abr 2018', '19 abr 2018') or an interval 'a/b', in words."""
    from .describe import window

    return window(value, lang)


def contradictions_table(case: Case, k: pd.DataFrame, lang: str, rows: int = CONTRADICTION_ROWS) -> Table:
    """The contradictions, in order: id, kind, what disagrees (never cut) and the claims involved; at most ``rows``
    of them (a case of thousands is counted below the table, not written out)."""
    full, k = k, k.head(rows) if rows else k
    words = _subject_words(case, lang, views.subject_labels(case, lang))
    records = k.to_dict("records")
    df = k.assign(
        what=[contradiction_text(r, case, lang, words) for r in records],
        kind=[i18n.term("check", c, lang) for c in k["check"]],
        claims=[_ids(v, lang) for v in k["claim_ids"]],
    )
    headers = {"contradiction_id": "contradiction_id", "kind": "check", "what": "description", "claims": "claim_ids"}
    out = table(df, lang, headers, links={"claims": "claim"})
    out.anchors = [f"contradiction-{i}" for i in k["contradiction_id"]]
    if rows and len(full) > rows:
        out.note = i18n.label("more", lang, n=len(full) - rows)
    return out


def movement_table(case: Case, mt: pd.DataFrame, lang: str, rows: int = 25) -> Table:
    """Each movement: origin, destination, dates, people and buses as best (low-high), how people are known."""
    df = views.movement_frame(case, mt, lang)
    headers = {
        "movement": "movement",
        "origin": "origin",
        "destination": "destination",
        "depart_text": "depart",
        "arrive_text": "arrive",
        "people_range": "people_range",
        "basis": "basis",
        "buses_range": "buses_range",
    }
    return table(df, lang, headers, rows=rows)


def ratio_sentence(ratio: Any, lang: str, bounds: tuple[float, float] | None = None) -> str:
    """People per bus as a sentence (never a dict), with the plausibility bounds it was kept inside."""
    if ratio is None:
        return i18n.text("flows.no_ratio", lang)
    d = ratio.as_dict()
    return i18n.text(
        "flows.ratio",
        lang,
        low=i18n.number(d["low"], lang),
        best=i18n.number(d["best"], lang),
        high=i18n.number(d["high"], lang),
        n=len(d["movements"]),
        bound_low=i18n.number(d.get("bounds", [None, None])[0], lang),
        bound_high=i18n.number(d.get("bounds", [None, None])[1], lang),
    )


def _count_cell(low: Any, best: Any, high: Any, high_open: Any, unknown: Any, lang: str) -> str:
    """A day's or a cell's people: its interval, and how many of its movements have no figure."""
    from .describe import interval
    from .intervals import Interval

    n_unknown = 0 if unknown is None or pd.isna(unknown) else int(unknown)
    iv = Interval.of(low, best, high, False, bool(high_open) if not pd.isna(high_open) else False)
    text = interval(iv, lang)
    if n_unknown and iv.known:
        text += " · " + i18n.label("n_no_figure", lang, n=n_unknown)
    elif n_unknown:
        text = i18n.label("unknown", lang)
    return text


def daily_table(mt: pd.DataFrame, lang: str) -> Table:
    """Departures and arrivals per day: movements and people (an interval; 'unknown' where none has a figure)."""
    from .timeseries import daily_table as daily

    df = daily(mt)
    if df.empty:
        return Table(pd.DataFrame({i18n.label("date", lang): []}), lang=lang)
    df = df.reset_index()
    out = {"day": [i18n.date(a, lang) if a == b else i18n.date_range(a, b, lang) for a, b in zip(df["date"], df["date_end"], strict=True)]}
    for event in ("departure", "arrival"):
        out[f"{event}_movements"] = [i18n.number(v, lang) for v in df[f"{event}_movements"]]
        out[f"{event}_people"] = [
            i18n.label("none_dash", lang) if not n else _count_cell(lo, be, hi, op, un, lang)
            for n, lo, be, hi, op, un in zip(
                df[f"{event}_movements"], df[f"{event}_people_low"], df[f"{event}_people_best"], df[f"{event}_people_high"],
                df[f"{event}_people_high_open"], df[f"{event}_people_unknown"], strict=True,
            )
        ]  # fmt: skip
    headers = {
        "day": "date",
        "departure_movements": "movements_departed",
        "departure_people": "people_departed",
        "arrival_movements": "movements_arrived",
        "arrival_people": "people_arrived",
    }
    return Table(pd.DataFrame({i18n.label(v, lang): out[k] for k, v in headers.items()}), lang=lang)


def od_table(case: Case, mt: pd.DataFrame, lang: str, top: int = 7) -> Table:
    """People from each origin (rows) to each destination (columns), as intervals: '—' where no movement goes,
    'unknown' where none of them has a figure."""
    from .aggregate import od

    long = od(mt)
    if long.empty:
        return Table(pd.DataFrame({i18n.label("origin", lang): []}), lang=lang)
    rank = lambda col: long.groupby(col)["best"].sum(min_count=1).fillna(-1).sort_values(ascending=False, kind="stable").index[:top]  # noqa: E731
    origins, dests = sorted(rank("origin_place_id")), sorted(rank("destination_place_id"))
    cells = {(r.origin_place_id, r.destination_place_id): r for r in long.itertuples()}
    out = pd.DataFrame({i18n.label("origin", lang): [i18n.name(case, "places", o, lang) for o in origins]})
    for d in dests:
        out[i18n.name(case, "places", d, lang)] = [
            _count_cell(c.low, c.best, c.high, c.high_open, c.n_unknown, lang) if (c := cells.get((o, d))) is not None
            else i18n.label("none_dash", lang)
            for o in origins
        ]  # fmt: skip
    note = i18n.label("more", lang, n=long["origin_place_id"].nunique() - len(origins)) if long["origin_place_id"].nunique() > top else ""
    return Table(out, note, lang=lang)


# ---------------------------------------------------------------------------
# Network


def metrics_table(metrics: pd.DataFrame, lang: str, rows: int = 25) -> Table:
    """Actors by betweenness: name, side, type, partners, betweenness, broker, community."""
    df = metrics.sort_values(["betweenness", "actor_id"], ascending=[False, True])
    return table(
        df,
        lang,
        {
            f"name_{lang}": "actor",
            "side": "side",
            "actor_type": "actor_type",
            "degree": "degree",
            "betweenness": "betweenness",
            "broker": "broker",
            "community": "community",
        },
        {
            "side": lambda v: i18n.term("side", v, lang),
            "actor_type": lambda v: i18n.term("actor_type", v, lang),
            "betweenness": lambda v: i18n.decimal(v, lang, 3),
        },
        rows=rows,
    )


def triads_table(case: Case, triads: pd.DataFrame, lang: str, rows: int = 25) -> Table:
    """Signed triads: the three actors, their signs, balanced or not."""
    df = triads.assign(
        triad=[" · ".join(i18n.name(case, "actors", a, lang) for a in (r.a, r.b, r.c)) for r in triads.itertuples()],
        signs=[" ".join(i18n.signed(s, lang) for s in (r.sign_ab, r.sign_ac, r.sign_bc)) for r in triads.itertuples()],
    )
    return table(df, lang, {"triad": "triad", "signs": "signs", "balanced": "balanced"}, rows=rows)


def phase_changes_table(changes: pd.DataFrame, lang: str) -> Table:
    """Ties gained and lost between consecutive phases, and their Jaccard similarity."""
    phase = lambda v: i18n.term("phase", v, lang)  # noqa: E731
    return table(
        changes,
        lang,
        {"from_phase": "from_phase", "to_phase": "to_phase", "gained": "gained", "lost": "lost", "jaccard": "jaccard"},
        {"from_phase": phase, "to_phase": phase, "jaccard": lambda v: i18n.decimal(v, lang, 2)},
    )


def relations_table(edges: pd.DataFrame, lang: str, rows: int = 30) -> Table:
    """Relations: who, what, to whom, sign, when, phase, sources."""
    return table(
        edges,
        lang,
        {
            "source_name": "source_name",
            "relation": "relation",
            "target_name": "target_name",
            "sign": "sign",
            "date_start": "date",
            "phase": "phase",
            "source_ids": "sources",
        },
        {
            "relation": lambda v: i18n.term("relation", v, lang),
            "sign": lambda v: i18n.term("sign", v, lang),
            "phase": lambda v: i18n.term("phase", v, lang),
            "date_start": lambda v: i18n.date(v, lang),
            "source_ids": _ids,
        },
        rows=rows,
        links={"source_ids": "source"},
    )


# ---------------------------------------------------------------------------
# Summary


def _summary_value(key: str, value: Any, lang: str) -> str:
    from . import describe

    if key == "answer" and isinstance(value, dict):
        return "\n".join(f"{i18n.term('quantity', q, lang)}: {describe.answer(a, lang)}" for q, a in value.items())
    if key == "grades" and isinstance(value, dict):
        return "; ".join(f"{describe.grade(g, lang)}: {i18n.number(n, lang)}" for g, n in value.items())
    if isinstance(value, dict) and "n_movements" in value:
        return describe.aggregate(value, lang)
    if key == "scenario_people" and isinstance(value, dict):
        text = i18n.number(value["value"], lang) if value["value"] is not None else i18n.label("unknown", lang)
        return text + ("+" if value.get("high_open") else "")
    if isinstance(value, dict) and {"low", "best", "high"} <= set(value):
        return describe.interval(describe._iv(value), lang)
    if key == "best_rule":
        return rule_text(str(value), lang)
    if key == "scenario":
        return i18n.term("scenario", value, lang)
    if key in ("start_date", "end_date") and value is None:
        return i18n.label("whole_record", lang)
    if key.endswith(("_date", "_departure", "_arrival", "_event")) and isinstance(value, str):
        return i18n.date(value, lang)
    if key == "headline_claims" and not value:
        return i18n.label("no_headline", lang)
    if isinstance(value, dict):
        if "count" in value:
            return i18n.number(value["count"], lang)
        return i18n.join([f"{_summary_key(k, lang)}: {_summary_value(k, v, lang)}" for k, v in value.items()], lang, "list")
    if isinstance(value, list):
        return i18n.label("none", lang) if not value else i18n.number(len(value), lang)
    if isinstance(value, float):
        return i18n.number(value, lang)
    return _cell(value, lang)


def rule_text(best_rule: str, lang: str) -> str:
    """The rule for the best figure in words, in ``lang``."""
    if best_rule == "median":
        return i18n.label("median", lang)
    return i18n.label("prefer", lang, source=best_rule.split(":", 1)[-1])


def _summary_key(key: str, lang: str) -> str:
    if i18n.has_label(f"summary.{key}"):
        word = i18n.label(f"summary.{key}", lang)
    elif i18n.has_label(key):
        word = i18n.label(key, lang)
    else:
        kind = next((k for k in ("phase", "quantity", "check", "people_basis") if key in vocab.vocabulary(k).values), None)
        word = i18n.term(kind, key, lang) if kind else i18n.label(key, lang)
    return word[:1].upper() + word[1:]


def summary(values: dict[str, Any], lang: str, path: str | None = None, skip: tuple[str, ...] = ("case",)) -> Any:
    """The key figures as a two-column table in ``lang``, and a link to ``summary.json`` where it was written."""
    from IPython.display import HTML

    rows = [(_summary_key(k, lang), _summary_value(k, v, lang)) for k, v in values.items() if k not in skip]
    out = Table(pd.DataFrame(rows, columns=[i18n.label("what", lang), i18n.label("figure", lang)]), lang=lang)._repr_html_()
    return HTML(out + _summary_link(path, lang))


def agreements_table(case: Case, lang: str) -> Table:
    """The case's agreements with their terms, one row per term, in ``lang`` (empty where the case has none)."""
    from .agreements import terms_table

    df = terms_table(case)
    actors = i18n.names(case, "actors", lang)
    listed = lambda ids, names: i18n.join([names.get(i, i) for i in str(ids or "").split(";") if i], lang)  # noqa: E731
    df = df.assign(
        agreement=[i18n.name(case, "agreements", a, lang) for a in df["agreement_id"]],
        stage_label=[i18n.term("stage", s, lang) for s in df["stage"]],
        parties=[listed(p, actors) for p in df["party_ids"]],
        third_parties=[listed(p, actors) for p in df["third_party_ids"]],
        term_label=[i18n.term("term", s, lang) if s else "" for s in df["term"]],
        provision=[i18n.name(case, "provisions", p, lang) if p else i18n.label("no_terms", lang) for p in df["provision_id"]],
    )
    headers = {
        "agreement": "agreement_name",
        "date": "date",
        "stage_label": "stage",
        "parties": "parties",
        "third_parties": "third_parties",
        "term_label": "term",
        "provision": "provision",
        "source_ids": "sources",
    }
    shown = {"date": lambda v: _date_text(str(v), lang) if v else i18n.label("unknown", lang), "source_ids": _ids}
    return table(df, lang, headers, shown, links={"source_ids": "source"})


def comparison_table(cmp: Any, lang: str) -> Table:
    """Cases side by side (:func:`analysis.compare.compare`): one row per measure, one column per case."""
    c = cmp.cases
    num = lambda v: i18n.label("unknown", lang) if v is None or pd.isna(v) else i18n.number(v, lang)  # noqa: E731

    def three(prefix: str) -> list[str]:
        return [" / ".join(num(r[f"{prefix}_{s}"]) for s in ("low", "best", "high")) for r in c.to_dict("records")]

    rows = {
        "first_agreement": [i18n.date(v, lang) if v else i18n.label("unknown", lang) for v in c["first_agreement"]],
        "last_departure": [i18n.date(v, lang) if v else i18n.label("unknown", lang) for v in c["last_departure"]],
        "days_agreement_to_last_departure": [num(v) for v in c["days_agreement_to_last_departure"]],
        "people_claimed": three("people_claimed"),
        "people_movements": three("people_movements"),
        "people_originators": [num(v) for v in c["people_originators"]],
        "buses_claimed": three("buses_claimed"),
        "buses_movements": three("buses_movements"),
        "buses_originators": [num(v) for v in c["buses_originators"]],
        "contradictions_n": [num(v) for v in c["contradictions"]],
        "mediators": [
            i18n.join([i18n.name(case, "actors", a, lang) for a in str(m).split(";") if a], lang)
            for m, case in zip(c["mediators"], cmp.case_objects, strict=True)
        ],
        "network_actors": [num(v) for v in c["actors"]],
        "network_relations": [num(v) for v in c["relations"]],
        "balanced_share": [i18n.percent(v, lang) for v in c["balanced_share"]],
    }
    titles = [views.case_heading(case, lang) for case in cmp.case_objects]
    frame = pd.DataFrame(
        {i18n.label("measure", lang): [i18n.label(k, lang) for k in rows], **{t: [rows[k][i] for k in rows] for i, t in enumerate(titles)}}
    )
    return Table(frame, lang=lang)


def comparison_summary(values: dict[str, Any], lang: str, path: str | None = None, cases: Any = ()) -> Any:
    """What the comparison's ``summary.json`` holds (one entry per case, the measures of the table above), and a link
    to it.  Each entry is named by the case's heading where ``cases`` (the compared cases) give it, its key beside it."""
    from IPython.display import HTML

    headings = {c.case_id: views.case_heading(c, lang) for c in cases}
    named = [f"{headings[k]} ({k})" if k in headings else k for k in values]
    out = f"<p>{html.escape(i18n.label('summary_cases', lang, cases=i18n.join(named, lang)))}</p>"
    return HTML(out + _summary_link(path, lang))


def _summary_link(path: str | None, lang: str) -> str:
    """A paragraph linking to the table of every figure (:mod:`analysis.summary_files`), with its CSV and JSON, where
    the summary was written ('' where it was not)."""
    if not path:
        return ""
    from .summary_files import names

    files = {k: html.escape(v) for k, v in names(str(path).replace("\\", "/")).items()}
    link = {k: f'<a href="{v}" dir="ltr">{v}</a>' for k, v in files.items()}  # a file name reads left to right on any page
    text = i18n.label("summary_file", lang, link="@html@") + " (" + i18n.label("figures_formats", lang, csv="@csv@", json="@json@") + ")"
    text = html.escape(text)
    for k, v in link.items():
        text = text.replace(f"@{k}@", v)
    return f"<p>{text}</p>"


# ---------------------------------------------------------------------------
# Findings, answers, sources


def findings(items: list[Any], lang: str, heading: str = "findings.title") -> Any:
    """The findings of a report (:mod:`analysis.findings`) as a Markdown list under a heading, links kept."""
    body = "\n".join(f"- {f.text}" for f in items)
    return _markdown(f"{i18n.text(heading, lang)}\n\n{body}", lang)


def answers_table(rec: Any, lang: str) -> Table:
    """The figure to quote for each counted quantity: the figure, the rule that gives it in words, its grade."""
    from . import describe

    rows = []
    for q, a in rec.answers.items():
        d = a.as_dict()
        figure = describe.interval(describe._iv(d), lang)
        rows.append((i18n.label(q, lang), figure, describe.answer(d, lang), describe.grade(a.grade, lang)))
    cols = [i18n.label(k, lang) for k in ("quantity", "answer", "rule", "grade")]
    return Table(pd.DataFrame(rows, columns=cols), lang=lang)


def _value_words(claim: Any, lang: str) -> str:
    """A claim's own figure or text, as it gives it ('about 5,000', 'at least 30', '2018-04-19' in words)."""
    from . import describe
    from .intervals import Interval

    if pd.notna(claim.value_text) and str(claim.value_text):
        text = str(claim.value_text)
        from . import dates

        return describe.window(text, lang) if dates.is_valid(text) else text
    lo = None if pd.isna(claim.value_low) else float(claim.value_low)
    hi = None if pd.isna(claim.value_high) else float(claim.value_high)
    if lo is None and hi is None:
        return i18n.term("qualifier", claim.qualifier, lang)
    iv = Interval(lo, lo if lo is not None else hi, hi, lo is None, hi is None)
    return f"{describe.interval(iv, lang, 'words')} ({i18n.term('qualifier', claim.qualifier, lang)})"


def cited_claims(case: Case, claim_ids: Any, lang: str) -> Table:
    """Every claim a report cites: its id (linked to from the report), who said it, about what, its figure, the document."""
    from .originators import name

    wanted = {c for c in claim_ids if c}
    c = case.claims[case.claims["claim_id"].isin(wanted)].sort_values("claim_id")
    left, c = max(0, len(c) - CITED_ROWS), c.head(CITED_ROWS)
    labels = views.subject_labels(case, lang)
    frame = pd.DataFrame(
        {
            i18n.label("claim", lang): list(c["claim_id"]),
            i18n.label("claimed_by", lang): [name(case, o, lang) for o in c["originator_id"]],
            i18n.label("subject", lang): [labels.get(s, s) for s in c["subject"]],
            i18n.label("quantity", lang): [i18n.term("quantity", q, lang) for q in c["quantity"].astype(str)],
            i18n.label("value", lang): [_value_words(r, lang) for r in c.itertuples()],
            i18n.label("document", lang): list(c["source_id"]),
        }
    )
    anchors = [f"claim-{i}" for i in c["claim_id"]]
    note = i18n.label("more", lang, n=left) if left else ""
    return Table(frame, note, lang=lang, anchors=anchors, links={i18n.label("document", lang): "source"})


def cited_sources(case: Case, source_ids: Any, lang: str) -> Table:
    """Every document a report cites (and the document each cited reference is cited in): outlet, title, date,
    language and address, each row an anchor the report's source ids link to."""
    wanted = {s for s in source_ids if s}
    src = case.sources.set_index("source_id")
    wanted |= {str(src.at[s, "cited_in"]) for s in wanted if s in src.index and pd.notna(src.at[s, "cited_in"])}
    found = sorted(w for w in wanted if w in src.index)
    rows = src.loc[found[:CITED_ROWS]].reset_index()
    from .describe import window

    published = [window(v, lang) for v in rows["published"]]
    frame = pd.DataFrame(
        {
            i18n.label("document", lang): list(rows["source_id"]),
            i18n.label("outlet", lang): [str(p) if pd.notna(p) else i18n.label("unknown", lang) for p in rows["publisher"]],
            i18n.label("doc_title", lang): list(rows["title"]),
            i18n.label("published", lang): published,
            i18n.label("doc_language", lang): [i18n.term("language", v, lang) for v in rows["language"]],
            i18n.label("address", lang): [str(u) if pd.notna(u) else i18n.label("none", lang) for u in rows["url"]],
        }
    )
    quoted = [i18n.label("outlet", lang), i18n.label("doc_title", lang)]
    notes = [i18n.label("more", lang, n=len(found) - CITED_ROWS)] if len(found) > CITED_ROWS else []
    notes += [i18n.label("as_recorded", lang)] if lang != i18n.SOURCE_LANG else []
    note = " ".join(notes)
    anchors = [f"source-{s}" for s in rows["source_id"]]
    return Table(frame, note, lang, anchors, links={i18n.label("address", lang): "url"}, quoted=quoted)


def sources(case: Case, lang: str, claim_ids: Any = (), source_ids: Any = ()) -> Any:
    """The report's last section: every claim it cites and every document behind them, as two tables."""
    from IPython.display import HTML

    claims = cited_claims(case, claim_ids, lang)
    docs = {s for s in source_ids if s} | set(case.claims.loc[case.claims["claim_id"].isin(set(claim_ids)), "source_id"])
    heading = _markdown_html(i18n.text("sources.title", lang, n_claims=len(claims.frame), n_documents=len(docs)))
    parts = [f'<div dir="{i18n.direction(lang)}">' + heading]
    if len(claims.frame):
        parts.append(claims._repr_html_())
    parts.append(cited_sources(case, docs, lang)._repr_html_() + "</div>")
    return HTML("\n".join(parts))


def _markdown_html(text: str) -> str:
    """A heading and a paragraph of the catalogs' Markdown as HTML (the sources section is one HTML output)."""
    out = []
    for block in text.split("\n\n"):
        if block.startswith("## "):
            out.append(f"<h2>{html.escape(block[3:])}</h2>")
        else:
            out.append(f"<p>{html.escape(block)}</p>")
    return "\n".join(out)
