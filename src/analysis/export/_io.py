"""Small helpers the exporters share: deterministic CSV and JSON, cell formatting, case look-ups."""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

LIST_SEP = ";"


def cell(value: Any) -> str:
    """A value as CSV text: empty for missing, ISO for dates, whole numbers without '.0', lower-case booleans."""
    if value is None or (not isinstance(value, str | list | tuple) and pd.isna(value)):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))
    return str(value)


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]], tags: Sequence[str] | None = None) -> None:
    """Write a UTF-8 CSV with ``\\n`` line ends; ``tags`` is an optional second header row (HXL hashtags)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        if tags is not None:
            w.writerow(tags)
        for row in rows:
            w.writerow([cell(v) for v in row])


def write_frame(path: Path, df: pd.DataFrame) -> None:
    """Write a DataFrame as CSV through :func:`cell` (same formatting as every other export)."""
    write_csv(path, list(df.columns), df.itertuples(index=False, name=None))


def write_json(path: Path, data: Any) -> None:
    """Write JSON with a fixed layout (2-space indent, UTF-8, trailing newline)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def split(value: Any) -> list[str]:
    """The parts of a ';'-separated cell (an empty list for a missing cell)."""
    text = cell(value)
    return [p.strip() for p in text.split(LIST_SEP) if p.strip()] if text else []


def json_value(value: Any) -> Any:
    """A value JSON can hold: None for missing, int for whole numbers, ISO text for dates."""
    if value is None or (not isinstance(value, str | list | tuple | dict) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, bool):
        return value
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def source_names(sources: dict[str, dict[str, Any]], source_ids: Iterable[str]) -> list[str]:
    """Readable names of sources (rows keyed by source_id): the publisher, or for a cited reference its citing source's."""
    names = []
    for sid in source_ids:
        s = sources.get(sid)
        if s is None:
            names.append(sid)
            continue
        publisher = cell(s.get("publisher"))
        parent = sources.get(cell(s.get("cited_in")))
        if not publisher and parent is not None:
            publisher = f"{cell(parent.get('publisher')) or parent['source_id']} ref. {cell(s.get('ref_label'))}".strip()
        names.append(publisher or sid)
    return sorted(set(names))
