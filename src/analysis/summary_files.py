"""A report's figures as files beside it: the summary as JSON (for programs), and every value of it as a table a
reader can open (HTML in the report's language, with a CSV of the same rows).

Each row of the table is one value of the JSON and its path (``answer › people › best``), so a figure quoted in a
report can be found, and checked, without reading JSON.  Paths keep the file's keys (identifiers, in English);
an empty value is a value the JSON holds as null (nothing is known, or it does not apply), never 0.
"""

from __future__ import annotations

import csv
import html
import io
import json
from pathlib import Path
from typing import Any

from . import i18n

SEP = " › "  # between the keys of a path
SUFFIX = ".summary.json"


def flatten(summary: Any, path: str = "") -> list[tuple[str, Any]]:
    """Every leaf value of ``summary`` with its path: keys joined by :data:`SEP`, list items as ``[i]``; in order."""
    if isinstance(summary, dict):
        return [row for k in sorted(summary) for row in flatten(summary[k], f"{path}{SEP}{k}" if path else str(k))]
    if isinstance(summary, list):
        if not summary:
            return [(path, "")]
        return [row for i, v in enumerate(summary) for row in flatten(v, f"{path}[{i}]")]
    return [(path, summary)]


def _cell(value: Any) -> str:
    """A value as text: null as empty, booleans and numbers as JSON writes them."""
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)


def to_csv(summary: dict[str, Any]) -> str:
    """The rows of :func:`flatten` as CSV: ``path,value``."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["path", "value"])
    w.writerows((p, _cell(v)) for p, v in flatten(summary))
    return buf.getvalue()


def to_html(summary: dict[str, Any], name: str, lang: str) -> str:
    """A self-contained page in ``lang``: the title, what a row is, and the table of every value."""
    title = html.escape(i18n.label("figures_title", lang, name=name))
    note = html.escape(i18n.label("figures_note", lang))
    head = f"<tr><th>{html.escape(i18n.label('figures_path', lang))}</th><th>{html.escape(i18n.label('figure', lang))}</th></tr>"
    rows = "".join(
        f'<tr><td translate="no" dir="ltr">{html.escape(p)}</td><td dir="ltr">{html.escape(_cell(v))}</td></tr>'
        for p, v in flatten(summary)
    )
    style = "body{font-family:sans-serif;margin:2em;max-width:60em}td,th{padding:2px 10px;text-align:start;border-bottom:1px solid #eee}"
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}" dir="{i18n.direction(lang)}"><head><meta charset="utf-8"><title>{title}</title>'
        f"<style>{style}</style></head><body><h1>{title}</h1><p>{note}</p><table><thead>{head}</thead><tbody>{rows}</tbody></table>"
        "</body></html>\n"
    )


def _replace(target: Path, text: str) -> None:
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(target)


def names(path: str | Path) -> dict[str, str]:
    """The file names of a summary written at ``path``: ``json``, ``html`` and ``csv``."""
    name = Path(path).name
    stem = name[: -len(SUFFIX)] if name.endswith(SUFFIX) else Path(name).stem
    return {"json": name, "html": f"{stem}.figures.html", "csv": f"{stem}.figures.csv"}


def write(summary: dict[str, Any], path: str | Path | None, lang: str = i18n.SOURCE_LANG) -> str:
    """Write ``summary`` as sorted, indented JSON to ``path`` (if given), with its figures table beside it as HTML
    and CSV (:func:`names`); each file is written whole or not at all.  Returns the JSON text."""
    text = json.dumps(summary, indent=2, sort_keys=True, ensure_ascii=False, default=str)
    if path:
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        files = names(target)
        _replace(target, text + "\n")
        _replace(target.with_name(files["csv"]), to_csv(summary))
        _replace(target.with_name(files["html"]), to_html(summary, files["json"], lang))
    return text
