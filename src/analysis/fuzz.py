"""Broken copies of a case, for the mutation fuzzer: seeded, deterministic, each change recorded.

:func:`mutate_case` copies a case folder and breaks it in one to three places, drawn
from ``random.Random(seed)``: a changed cell (``inf``, ``nan``, ``-0``, huge numbers,
unicode, empty, whitespace, a value of another row or column), a deleted or duplicated
row, a renamed, extra or swapped column, a truncated file, a byte-order mark, an empty
file, or a broken ``datapackage.json`` (cut short, a key deleted or duplicated, a value
replaced).  Same case and seed, same files and the same :class:`Mutation` records.

:func:`attempt` loads the broken copy and says what happened: it ``loaded``, it was
``refused`` with the package's case error (:class:`analysis.cases.CaseError`), or it
``crashed`` with any other exception (a bug: validation must catch it first).
``benchmarks/fuzz_cases.py`` runs thousands; ``tests/test_fuzz.py`` a few hundred.
"""

from __future__ import annotations

import csv
import io
import json
import random
import shutil
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Cell values that break a parser or a rule: non-finite and signed zeros, numbers past any integer type,
# decimals where whole numbers go, unicode (Greek, Arabic, an emoji, a zero-width space, a combining accent,
# right-to-left mark), empty and blank cells, separators and quotes, an impossible date, a very long text.
ODD_VALUES: tuple[str, ...] = (
    "inf",
    "-inf",
    "Infinity",
    "nan",
    "NaN",
    "-0",
    "0",
    "-1",
    "1.5",
    "1e308",
    "1e400",
    "9223372036854775808",
    "9" * 40,
    "-" + "9" * 25,
    "0x1F",
    "١٢٣",
    "Ωμέγα",
    "دمشق",
    "🚌",
    "\u200b",
    "e\u0301",
    "\u200fx",
    "",
    " ",
    "\t",
    " 12 ",
    ";",
    "a;;b",
    '"',
    ",",
    "line\nbreak",
    "2018-02-30",
    "2018-13-01",
    "0000-01-01",
    "true",
    "None",
    "x" * 3000,
)
# JSON values put in place of a node of datapackage.json
ODD_JSON: tuple[Any, ...] = (None, 0, -1, 1e308, "", "x", "[", [], {}, True, [None], {"name": None})
CELL_KINDS = ("cell", "cell", "cell", "cell", "delete_row", "duplicate_row", "rename_column", "extra_column", "swap_columns")
FILE_KINDS = ("truncate", "bom", "empty")


@dataclass(frozen=True)
class Mutation:
    """One change to a case: its kind, the file, and where (row as a spreadsheet shows it, header row 1) and what."""

    kind: str
    file: str
    row: int | None = None
    column: str | None = None
    value: str | None = None

    def __str__(self) -> str:
        where = self.file + (f", row {self.row}" if self.row is not None else "") + (f", column {self.column}" if self.column else "")
        shown = "" if self.value is None else f": {self.value[:60]!r}"
        return f"{self.kind} in {where}{shown}"


@dataclass(frozen=True)
class Outcome:
    """What loading a broken case did: ``loaded``, ``refused`` (the case error, kept) or ``crashed`` (the traceback)."""

    result: str
    error: Exception | None = None
    traceback: str = ""


# ---------------------------------------------------------------------------
# Tables as lists of rows


def _read(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def _write(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def _cell(rng: random.Random, rows: list[list[str]], r: int, c: int) -> str:
    """A new value for a cell: an odd value, or another row's value in the column, or another column's in the row."""
    pick = rng.random()
    if pick < 0.7 or len(rows) < 3:
        return rng.choice(ODD_VALUES)
    if pick < 0.85:
        other = rows[rng.randrange(1, len(rows))]
        return other[c] if c < len(other) else ""
    return rows[r][rng.randrange(len(rows[r]))] if rows[r] else ""


def _typed_columns(package: dict[str, Any], file: str) -> set[str]:
    """Columns of ``file`` that the package types (not plain text) or constrains (vocabulary, pattern, range)."""
    for res in package.get("resources", []):
        if res.get("path", f"{res.get('name')}.csv") == file:
            return {
                f["name"]
                for f in res["schema"]["fields"]
                if f.get("type", "string") != "string" or set(f.get("constraints", {})) - {"required", "unique"}
            }
    return set()


def _column(rng: random.Random, header: list[str], typed: set[str]) -> int:
    """A column index: one time in two among the typed or constrained columns (where parsers break), else any."""
    picks = [i for i, h in enumerate(header) if h in typed]
    return rng.choice(picks) if picks and rng.random() < 0.5 else rng.randrange(len(header))


def _change_cell(rng: random.Random, rows: list[list[str]], name: str, typed: set[str]) -> Mutation:
    r, c = rng.randrange(1, len(rows)), _column(rng, rows[0], typed)
    rows[r] += [""] * (len(rows[0]) - len(rows[r]))
    rows[r][c] = value = _cell(rng, rows, r, c)
    return Mutation("cell", name, r + 1, rows[0][c], value)


def _delete_row(rng: random.Random, rows: list[list[str]], name: str, typed: set[str]) -> Mutation:
    r = rng.randrange(1, len(rows))
    return Mutation("delete_row", name, r + 1, None, ",".join(rows.pop(r))[:80])


def _duplicate_row(rng: random.Random, rows: list[list[str]], name: str, typed: set[str]) -> Mutation:
    r = rng.randrange(1, len(rows))
    rows.insert(r + 1, list(rows[r]))
    return Mutation("duplicate_row", name, r + 1, None, ",".join(rows[r])[:80])


def _rename_column(rng: random.Random, rows: list[list[str]], name: str, typed: set[str]) -> Mutation:
    c, width = rng.randrange(len(rows[0])), len(rows[0])
    old = rows[0][c]
    rows[0][c] = rng.choice([old.upper(), old + "_x", " " + old, rows[0][(c + 1) % width], "", "Ωμέγα"])
    return Mutation("rename_column", name, 1, old, rows[0][c])


def _extra_column(rng: random.Random, rows: list[list[str]], name: str, typed: set[str]) -> Mutation:
    c = rng.randrange(len(rows[0]) + 1)
    new = rng.choice(["extra", "", rows[0][0], "note"])
    for i, row in enumerate(rows):
        row.insert(c, new if i == 0 else rng.choice(["", "1", "x"]))
    return Mutation("extra_column", name, 1, new, None)


def _swap_columns(rng: random.Random, rows: list[list[str]], name: str, typed: set[str]) -> Mutation:
    """Swap two columns' names only (the values then sit under the wrong names) or the whole columns."""
    a, b = rng.sample(range(len(rows[0])), 2) if len(rows[0]) > 1 else (0, 0)
    header_only = rng.random() < 0.5
    for row in rows[:1] if header_only else rows:
        if max(a, b) < len(row):
            row[a], row[b] = row[b], row[a]
    return Mutation("swap_columns" + ("_names" if header_only else ""), name, 1, f"{rows[0][b]}<->{rows[0][a]}", None)


TABLE_CHANGES = {
    "cell": _change_cell,
    "delete_row": _delete_row,
    "duplicate_row": _duplicate_row,
    "rename_column": _rename_column,
    "extra_column": _extra_column,
    "swap_columns": _swap_columns,
}


def _mutate_table(rng: random.Random, path: Path, kind: str, typed: set[str]) -> Mutation:
    """Apply one change of ``kind`` to the CSV at ``path`` (rows and columns drawn from ``rng``); a file an earlier
    change left unreadable, or without a header, is cut or emptied instead."""
    try:
        rows = _read(path)
    except (UnicodeDecodeError, csv.Error):
        return _mutate_file(rng, path, "truncate")
    if not rows or not rows[0]:
        return _mutate_file(rng, path, "empty")
    if kind in ("cell", "delete_row", "duplicate_row") and len(rows) < 2:
        kind = "extra_column"
    done = TABLE_CHANGES[kind](rng, rows, path.name, typed)
    _write(path, rows)
    return done


def _mutate_file(rng: random.Random, path: Path, kind: str) -> Mutation:
    """Cut the file short, put a byte-order mark before it, or empty it."""
    data = path.read_bytes()
    if kind == "truncate" and data:
        cut = rng.randrange(len(data))
        path.write_bytes(data[:cut])
        return Mutation(kind, path.name, None, None, f"{cut} of {len(data)} bytes")
    if kind == "bom":
        path.write_bytes(b"\xef\xbb\xbf" + data)
        return Mutation(kind, path.name)
    path.write_bytes(b"")
    return Mutation("empty", path.name)


# ---------------------------------------------------------------------------
# The data package


def _descend(rng: random.Random, node: Any) -> list[Any]:
    """A random path into a JSON tree: at each container, stop (one time in four) or step into a random child."""
    path: list[Any] = []
    while isinstance(node, dict | list) and node and (not path or rng.random() > 0.25):
        key = rng.choice(sorted(node)) if isinstance(node, dict) else rng.randrange(len(node))
        path.append(key)
        node = node[key]
    return path


def _mutate_package(rng: random.Random, path: Path) -> Mutation:
    """Break ``datapackage.json``: cut it short, or delete, duplicate or replace a node found by a random walk."""
    text = path.read_text(encoding="utf-8")
    how = rng.choice(["truncate", "delete", "delete", "duplicate", "replace", "replace", "replace"])
    try:
        package = json.loads(text)
    except ValueError:  # already broken by an earlier change
        how = "truncate"
    if how == "truncate":
        return _mutate_file(rng, path, "truncate")
    where = _descend(rng, package)
    if not where:
        return _mutate_file(rng, path, "empty")
    parent = package
    for key in where[:-1]:
        parent = parent[key]
    last = where[-1]
    shown = "/".join(str(k) for k in where)
    if how == "delete":
        del parent[last]
    elif how == "duplicate" and isinstance(parent, list):
        parent.insert(last, json.loads(json.dumps(parent[last])))
    else:
        how = "replace"
        parent[last] = rng.choice(ODD_JSON)
    path.write_text(json.dumps(package, ensure_ascii=False, indent=1), encoding="utf-8")
    return Mutation(f"package_{how}", path.name, None, shown, None)


# ---------------------------------------------------------------------------
# Public


def mutate_case(source: str | Path, target: str | Path, seed: int, count: int | None = None) -> list[Mutation]:
    """Copy the case folder ``source`` to ``target`` (which must not exist) and break it ``count`` times (default: 1 to 3,
    drawn from ``seed``); return the changes in the order made.  One in ten changes breaks ``datapackage.json``."""
    rng = random.Random(seed)
    source, target = Path(source), Path(target)
    shutil.copytree(source, target)
    tables = sorted(p.name for p in target.glob("*.csv"))
    package = json.loads((source / "datapackage.json").read_text(encoding="utf-8"))
    done = []
    for _ in range(count if count is not None else rng.choice([1, 1, 2, 3])):
        pick = rng.random()
        if pick < 0.1:
            done.append(_mutate_package(rng, target / "datapackage.json"))
        elif pick < 0.2:
            done.append(_mutate_file(rng, target / rng.choice(tables), rng.choice(FILE_KINDS)))
        else:
            table = rng.choice(tables)
            done.append(_mutate_table(rng, target / table, rng.choice(CELL_KINDS), _typed_columns(package, table)))
    return done


def attempt(folder: str | Path) -> Outcome:
    """Load the case at ``folder``: ``loaded``, ``refused`` with a :class:`~analysis.cases.CaseError`, or ``crashed``."""
    from .cases import CaseError, load_case

    try:
        load_case(folder)
    except CaseError as exc:
        return Outcome("refused", exc)
    except Exception as exc:
        return Outcome("crashed", exc, traceback.format_exc())
    return Outcome("loaded")


def describe(mutations: list[Mutation]) -> str:
    """The changes, one a line (for a failing test or the fuzz script's report)."""
    out = io.StringIO()
    for m in mutations:
        out.write(f"  - {m}\n")
    return out.getvalue()
