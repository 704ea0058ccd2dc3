"""Load and validate a curated case: a Frictionless data package of seven tables.

The data package (``datapackage.json``) is the single source of truth for the
tables' columns, types, vocabularies, keys and foreign keys.  From it this module
builds pandera schemas and validates every table in two passes:

1. the raw text of each cell: required, unique, vocabulary, pattern, and that it
   parses as its declared type (integer, number, ISO date, boolean);
2. the typed tables: bounds, foreign keys (single-valued and ``;``-separated
   lists), the polymorphic ``claims.subject`` key, and rules across columns
   (dates in order, ``value_low <= value_high``, qualifiers that match values).

Every problem names the file, the row (as a spreadsheet shows it: the header is
row 1), the column and the value.  ``validate_case`` returns all problems at
once; ``load_case`` raises :class:`CaseValidationError` carrying all of them.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

TABLES: tuple[str, ...] = ("sources", "actors", "places", "events", "relations", "movements", "claims")
PHASES: tuple[str, ...] = ("background", "escalation", "negotiation", "surrender", "evacuation", "aftermath")
LIST_SEP = ";"
LIST_KEY = "qalamoun:list"
DATE_QUANTITIES = frozenset({"date", "depart_date", "arrive_date", "date_range"})
NUMERIC_QUANTITIES = frozenset(
    {"people", "fighters", "civilians", "buses", "convoys", "tanks", "vehicles", "killed", "wounded", "residents", "distance_km"}
)
_POINT_QUALIFIERS = frozenset({"exact", "about"})
_FLOOR_QUALIFIERS = frozenset({"at least", "more than"})

# Multi-valued foreign keys that Frictionless cannot declare: (table, column) -> (table, key).
LIST_FOREIGN_KEYS: dict[tuple[str, str], tuple[str, str]] = {
    ("actors", "source_ids"): ("sources", "source_id"),
    ("places", "source_ids"): ("sources", "source_id"),
    ("events", "source_ids"): ("sources", "source_id"),
    ("events", "actor_ids"): ("actors", "actor_id"),
    ("relations", "source_ids"): ("sources", "source_id"),
    ("movements", "source_ids"): ("sources", "source_id"),
    ("movements", "actor_ids"): ("actors", "actor_id"),
}


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a case: where it is and what is wrong."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f", column {self.column}"
        shown = "" if self.value is None else f" (value {self.value!r})"
        return f"{where}: {self.message}{shown}"


class CaseError(ValueError):
    """A case could not be found or read."""


class CaseValidationError(CaseError):
    """A case failed validation; ``problems`` lists every problem found."""

    def __init__(self, case: str, problems: list[Problem]):
        self.case = case
        self.problems = sorted(set(problems), key=_problem_key)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) in case {case!r}:\n{lines}")


def _problem_key(p: Problem) -> tuple[Any, ...]:
    order = {f"{t}.csv": i for i, t in enumerate(TABLES)}
    return (order.get(p.file, -1), p.file, p.row or 0, p.column or "", p.message, p.value or "")


@dataclass
class Case:
    """A validated case: one typed DataFrame per table, plus its data package."""

    case_id: str
    path: Path
    package: dict[str, Any]
    sources: pd.DataFrame
    actors: pd.DataFrame
    places: pd.DataFrame
    events: pd.DataFrame
    relations: pd.DataFrame
    movements: pd.DataFrame
    claims: pd.DataFrame
    title: str = ""

    def table(self, name: str) -> pd.DataFrame:
        """Return a table by name (one of :data:`TABLES`)."""
        if name not in TABLES:
            raise KeyError(f"unknown table {name!r}; tables are {', '.join(TABLES)}")
        return getattr(self, name)


# ---------------------------------------------------------------------------
# Finding a case


def data_dir() -> Path:
    """The folder holding the cases: ``$QALAMOUN_DATA`` or the repository's ``data/``."""
    env = os.environ.get("QALAMOUN_DATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "data"


def available_cases() -> list[str]:
    """Case ids under :func:`data_dir`, sorted."""
    root = data_dir()
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if (p / "datapackage.json").is_file())


def resolve_case(case: str | os.PathLike[str]) -> Path:
    """Turn a case id or a path into the case folder; a clear error if there is none."""
    raw = Path(case)
    candidates = [raw] if raw.is_absolute() or raw.exists() else []
    candidates.append(data_dir() / str(case))
    for folder in candidates:
        if (folder / "datapackage.json").is_file():
            return folder.resolve()
        if folder.is_file() and folder.name == "datapackage.json":
            return folder.parent.resolve()
    known = ", ".join(available_cases()) or "none"
    raise CaseError(
        f"unknown case {str(case)!r}: no datapackage.json in {str(case)!r} or in {data_dir() / str(case)}; known cases: {known}"
    )


# ---------------------------------------------------------------------------
# Schemas from the data package


def _fields(resource: dict[str, Any]) -> list[dict[str, Any]]:
    return list(resource["schema"]["fields"])


def _raw_schema(resource: dict[str, Any]) -> Any:
    """pandera schema for the raw text cells of one resource."""
    import pandera.pandas as pa

    columns = {}
    for fd in _fields(resource):
        cons = fd.get("constraints", {})
        checks = []
        kind = fd.get("type", "string")
        if kind == "integer":
            checks.append(pa.Check.str_matches(r"^-?\d+$", error="is not a whole number"))
        elif kind == "number":
            checks.append(pa.Check.str_matches(r"^-?\d+(\.\d+)?$", error="is not a number"))
        elif kind == "date":
            checks.append(
                pa.Check(
                    lambda s: pd.to_datetime(s, format="%Y-%m-%d", errors="coerce").notna(),
                    error="is not a date (YYYY-MM-DD)",
                )
            )
        elif kind == "boolean":
            checks.append(pa.Check.isin(["true", "false"], error="is not true or false"))
        if "enum" in cons:
            allowed = [str(v) for v in cons["enum"]]
            checks.append(pa.Check.isin(allowed, error=f"is not one of: {', '.join(allowed)}"))
        if "pattern" in cons:
            checks.append(pa.Check.str_matches(cons["pattern"], error=f"does not match the pattern {cons['pattern']}"))
        columns[fd["name"]] = pa.Column(
            "str",
            checks=checks,
            nullable=not cons.get("required", False),
            unique=bool(cons.get("unique", False)),
            required=True,
        )
    return pa.DataFrameSchema(columns, strict=False, name=resource["name"])


def _coerce(df: pd.DataFrame, resource: dict[str, Any]) -> pd.DataFrame:
    """Typed copy of a raw table: dates, nullable integers and numbers, booleans, categoricals."""
    out = pd.DataFrame(index=df.index)
    for fd in _fields(resource):
        name, kind = fd["name"], fd.get("type", "string")
        col = df[name]
        enum = fd.get("constraints", {}).get("enum")
        if kind == "integer":
            out[name] = pd.to_numeric(col, errors="coerce").astype("Int64")
        elif kind == "number":
            out[name] = pd.to_numeric(col, errors="coerce").astype("Float64")
        elif kind == "date":
            out[name] = pd.to_datetime(col, format="%Y-%m-%d", errors="coerce")
        elif kind == "boolean":
            out[name] = col.map({"true": True, "false": False}).astype("boolean")
        elif enum is not None:
            ordered = name == "phase"
            out[name] = pd.Categorical(col.where(col.isin(enum)), categories=list(enum), ordered=ordered)
        else:
            out[name] = col
    return out


def _in_list(keys: set[str]) -> Callable[[Any], bool]:
    def check(value: Any) -> bool:
        return all(part in keys for part in str(value).split(LIST_SEP))

    return check


def _subject_check(keys: dict[str, set[str]]) -> Callable[[Any], bool]:
    def check(value: Any) -> bool:
        v = str(value)
        if v == "total":
            return True
        if v.startswith("from:"):
            return v[5:] in keys["places"]
        return v in keys["movements"] or v in keys["events"]

    return check


def _row_rules(table: str) -> list[tuple[str, list[str], Callable[[pd.DataFrame], pd.Series]]]:
    """Rules across columns: (message, columns to report, function -> Series of booleans, True where fine)."""

    def ordered(a: str, b: str) -> Callable[[pd.DataFrame], pd.Series]:
        return lambda d: d[a].isna() | d[b].isna() | (d[a] <= d[b])

    def both_or_neither(a: str, b: str) -> Callable[[pd.DataFrame], pd.Series]:
        return lambda d: d[a].isna() == d[b].isna()

    if table == "events":
        return [("date_end is before date_start", ["date_start", "date_end"], ordered("date_start", "date_end"))]
    if table == "relations":
        return [
            ("date_end is before date_start", ["date_start", "date_end"], ordered("date_start", "date_end")),
            (
                "a relation needs two different actors",
                ["source_actor", "target_actor"],
                lambda d: d["source_actor"] != d["target_actor"],
            ),
        ]
    if table == "movements":
        return [("arrive_date is before depart_date", ["depart_date", "arrive_date"], ordered("depart_date", "arrive_date"))]
    if table == "places":
        return [
            ("lat and lon go together", ["lat", "lon"], both_or_neither("lat", "lon")),
            (
                "geo_precision 1 or 2 needs a point (lat, lon)",
                ["geo_precision", "lat"],
                lambda d: (d["geo_precision"] == 3) | d["lat"].notna(),
            ),
        ]
    if table == "actors":
        own_parent = lambda d: d["parent_id"].isna() | (d["parent_id"] != d["actor_id"])  # noqa: E731
        return [("an actor cannot be its own parent", ["parent_id"], own_parent)]
    if table == "claims":
        q = lambda d: d["quantity"].astype("str")  # noqa: E731
        numeric = lambda d: q(d).isin(NUMERIC_QUANTITIES)  # noqa: E731
        qual = lambda d: d["qualifier"].astype("str")  # noqa: E731
        date_re = r"^\d{4}-\d{2}(-\d{2})?(/\d{4}-\d{2}-\d{2})?$"
        return [
            ("value_low is greater than value_high", ["value_low", "value_high"], ordered("value_low", "value_high")),
            (
                "a numeric quantity needs value_low unless the qualifier is 'unspecified'",
                ["value_low", "qualifier"],
                lambda d: ~numeric(d) | (qual(d) == "unspecified") | d["value_low"].notna(),
            ),
            (
                "an 'unspecified' claim carries no figures",
                ["value_low", "value_high"],
                lambda d: (qual(d) != "unspecified") | (d["value_low"].isna() & d["value_high"].isna()),
            ),
            (
                "an exact or approximate figure has value_low equal to value_high",
                ["value_low", "value_high"],
                lambda d: ~numeric(d) | ~qual(d).isin(_POINT_QUALIFIERS) | (d["value_low"] == d["value_high"]).fillna(False),
            ),
            (
                "an 'at least' or 'more than' figure has an empty value_high",
                ["value_high", "qualifier"],
                lambda d: ~qual(d).isin(_FLOOR_QUALIFIERS) | d["value_high"].isna(),
            ),
            (
                "an 'at most' figure needs value_high",
                ["value_high", "qualifier"],
                lambda d: (qual(d) != "at most") | d["value_high"].notna(),
            ),
            (
                "a text quantity carries value_text and no figures",
                ["value_text", "value_low"],
                lambda d: numeric(d) | (d["value_text"].notna() & d["value_low"].isna() & d["value_high"].isna()),
            ),
            (
                "a date claim's value_text is not an ISO date, month or date range",
                ["value_text"],
                lambda d: ~q(d).isin(DATE_QUANTITIES) | d["value_text"].fillna("").str.match(date_re),
            ),
        ]
    return []


def _typed_schema(table: str, resource: dict[str, Any], keys: dict[str, set[str]]) -> Any:
    """pandera schema for a typed table: bounds, foreign keys, rules across columns."""
    import pandera.pandas as pa

    fks: dict[str, tuple[str, str]] = {}
    for fk in resource["schema"].get("foreignKeys", []):
        ref = fk["reference"]["resource"] or table
        fks[fk["fields"][0]] = (ref, fk["reference"]["fields"][0])
    columns: dict[str, Any] = {}
    for fd in _fields(resource):
        name = fd["name"]
        cons = fd.get("constraints", {})
        checks = []
        if "minimum" in cons:
            checks.append(pa.Check.ge(cons["minimum"], error=f"is below the minimum {cons['minimum']}"))
        if "maximum" in cons:
            checks.append(pa.Check.le(cons["maximum"], error=f"is above the maximum {cons['maximum']}"))
        if name in fks:
            ref, key = fks[name]
            checks.append(pa.Check.isin(sorted(keys[ref]), error=f"is not a known {key} in {ref}.csv"))
        if (table, name) in LIST_FOREIGN_KEYS:
            ref, key = LIST_FOREIGN_KEYS[(table, name)]
            checks.append(pa.Check(_in_list(keys[ref]), element_wise=True, error=f"names an unknown {key} (not in {ref}.csv)"))
        if table == "claims" and name == "subject":
            checks.append(
                pa.Check(
                    _subject_check(keys),
                    element_wise=True,
                    error="is not 'total', 'from:<place_id>', a movement_id or an event_id of this case",
                )
            )
        if checks:
            columns[name] = pa.Column(checks=checks, nullable=True, required=True)
    rules = [pa.Check(fn, name="|".join(cols), error=msg) for msg, cols, fn in _row_rules(table)]
    return pa.DataFrameSchema(columns, checks=rules, strict=False, name=table)


# ---------------------------------------------------------------------------
# Running the schemas


def _problems_from(errors: Any, file: str, raw: pd.DataFrame, rule_columns: dict[str, list[str]] | None = None) -> list[Problem]:
    """Turn pandera's failure cases into Problems with CSV row numbers and values.

    ``rule_columns`` maps the message of a rule across columns to the columns it
    should be reported on (pandera reports such rules on every column).
    """
    rule_columns = rule_columns or {}
    problems: list[Problem] = []
    fc = errors.failure_cases
    for rec in fc.to_dict("records"):
        message = str(rec["check"])
        column = rec.get("column")
        index = rec.get("index")
        value = rec.get("failure_case")
        if message.startswith("field_uniqueness"):
            message = "is a duplicate id"
        if message.startswith("not_nullable"):
            message = "is required but empty"
        if message.startswith("column_in_dataframe"):
            problems.append(Problem(file, 1, str(value), None, "column is missing from the header"))
            continue
        if message in rule_columns and column not in rule_columns[message]:
            continue
        row = None if index is None or pd.isna(index) else int(index) + 2
        if column is not None and row is not None and column in raw.columns:
            cell = raw.at[int(index), column]
            value = None if pd.isna(cell) else str(cell)
        elif value is not None and not isinstance(value, str):
            value = None if pd.isna(value) else str(value)
        problems.append(Problem(file, row, None if column is None else str(column), value, message))
    return problems


def _read_raw(path: Path, file: str, resource: dict[str, Any]) -> tuple[pd.DataFrame | None, list[Problem]]:
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except FileNotFoundError:
        return None, [Problem(file, None, None, None, "file is missing")]
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        return None, [Problem(file, None, None, None, f"cannot be read as UTF-8 CSV: {exc}")]
    raw = raw.replace("", pd.NA)
    problems = []
    declared = [fd["name"] for fd in _fields(resource)]
    for col in raw.columns:
        if col not in declared:
            problems.append(Problem(file, 1, str(col), None, "column is not declared in datapackage.json"))
    return raw, problems


def read_package(folder: Path) -> dict[str, Any]:
    """Read ``datapackage.json`` of a case folder, with a clear error if it is broken."""
    path = folder / "datapackage.json"
    try:
        package = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise CaseError(f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}") from exc
    names = [r.get("name") for r in package.get("resources", [])]
    missing = [t for t in TABLES if t not in names]
    if missing:
        raise CaseError(f"{path}: the data package lacks the resources {', '.join(missing)}")
    return package


def _check(folder: Path, package: dict[str, Any]) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Validate every table; return the typed tables and every problem found."""
    import pandera.pandas as pa

    resources = {r["name"]: r for r in package["resources"]}
    problems: list[Problem] = []
    raw: dict[str, pd.DataFrame] = {}
    typed: dict[str, pd.DataFrame] = {}
    for table in TABLES:
        res = resources[table]
        file = res.get("path", f"{table}.csv")
        df, probs = _read_raw(folder / file, file, res)
        problems += probs
        if df is None:
            continue
        try:
            _raw_schema(res).validate(df, lazy=True)
        except pa.errors.SchemaErrors as exc:
            problems += _problems_from(exc, file, df)
        raw[table] = df
        if all(fd["name"] in df.columns for fd in _fields(res)):
            typed[table] = _coerce(df, res)
    keys = {
        "sources": _keyset(raw, "sources", "source_id"),
        "actors": _keyset(raw, "actors", "actor_id"),
        "places": _keyset(raw, "places", "place_id"),
        "events": _keyset(raw, "events", "event_id"),
        "movements": _keyset(raw, "movements", "movement_id"),
    }
    for table, df in typed.items():
        res = resources[table]
        try:
            _typed_schema(table, res, keys).validate(df, lazy=True)
        except pa.errors.SchemaErrors as exc:
            rules = {msg: cols for msg, cols, _ in _row_rules(table)}
            problems += _problems_from(exc, res.get("path", f"{table}.csv"), raw[table], rules)
    return typed, problems


def _keyset(tables: dict[str, pd.DataFrame], table: str, key: str) -> set[str]:
    if table not in tables or key not in tables[table].columns:
        return set()
    return set(tables[table][key].dropna().astype(str))


def validate_case(case: str | os.PathLike[str]) -> list[Problem]:
    """Every problem in a case, sorted by file and row; an empty list if it is valid."""
    folder = resolve_case(case)
    package = read_package(folder)
    _, problems = _check(folder, package)
    return sorted(set(problems), key=_problem_key)


def load_case(case: str | os.PathLike[str], validate: bool = True) -> Case:
    """Load a case by id (a folder under ``data/``) or by path, validated and typed.

    Raises :class:`CaseError` if the case cannot be found and
    :class:`CaseValidationError` (listing every problem) if it is invalid.
    """
    folder = resolve_case(case)
    package = read_package(folder)
    typed, problems = _check(folder, package)
    if validate and problems:
        raise CaseValidationError(str(case), problems)
    tables = {t: typed[t].reset_index(drop=True) for t in TABLES}
    return Case(case_id=str(package.get("name", folder.name)), path=folder, package=package, title=str(package.get("title", "")), **tables)
