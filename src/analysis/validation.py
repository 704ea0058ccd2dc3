"""Validate a case's tables against its data package, in two passes, reporting every problem.

The data package (``datapackage.json``) is the single source of truth for the
tables' columns, types, vocabularies, keys and foreign keys (see :mod:`analysis.vocab`).
From it this module builds pandera schemas:

1. the raw text of each cell: required, unique, vocabulary, pattern, and that it
   parses as its declared type (integer, number, ISO date, boolean, a date value);
2. the typed tables: bounds, foreign keys (single-valued and ``;``-separated
   lists), the polymorphic ``claims.subject`` key, and rules across columns
   (dates in order, figures that fit their qualifier, fates only for equipment).

Every problem names the file, the row (as a spreadsheet shows it: the header is
row 1), the column and the value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from . import dates, vocab

CORE_TABLES: tuple[str, ...] = ("sources", "actors", "places", "events", "relations", "movements", "originators", "claims")
LIST_SEP = ";"
Rule = tuple[str, list[str], Callable[[pd.DataFrame], pd.Series]]


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


def table_names(package: dict[str, Any]) -> tuple[str, ...]:
    """The case's tables: the core seven first, then any other resource of the package, in its order."""
    names = [str(r.get("name")) for r in package.get("resources", [])]
    return CORE_TABLES + tuple(n for n in names if n not in CORE_TABLES)


def problem_key(p: Problem, tables: tuple[str, ...] = CORE_TABLES) -> tuple[Any, ...]:
    """Sort key: table order, then row, column and message."""
    order = {f"{t}.csv": i for i, t in enumerate(tables)}
    return (order.get(p.file, len(order)), p.file, p.row or 0, p.column or "", p.message, p.value or "")


def _fields(resource: dict[str, Any]) -> list[dict[str, Any]]:
    return list(resource["schema"]["fields"])


# ---------------------------------------------------------------------------
# Pass 1: raw text


def _type_checks(fd: dict[str, Any]) -> list[Any]:
    import pandera.pandas as pa

    kind = fd.get("type", "string")
    if kind == "integer":
        return [pa.Check.str_matches(r"^-?\d+$", error="is not a whole number")]
    if kind == "number":
        return [pa.Check.str_matches(r"^-?\d+(\.\d+)?$", error="is not a number")]
    if kind == "date":
        ok = lambda s: pd.to_datetime(s, format="%Y-%m-%d", errors="coerce").notna()  # noqa: E731
        return [pa.Check(ok, error="is not a date (YYYY-MM-DD)")]
    if kind == "boolean":
        return [pa.Check.isin(["true", "false"], error="is not true or false")]
    if fd.get("qalamoun:date"):
        return [
            pa.Check(dates.is_valid, element_wise=True, error="is not a date value (YYYY-MM-DD, YYYY-MM, an interval a/b, ~ for about)")
        ]
    return []


def raw_schema(resource: dict[str, Any]) -> Any:
    """pandera schema for the raw text cells of one resource."""
    import pandera.pandas as pa

    columns = {}
    for fd in _fields(resource):
        cons = fd.get("constraints", {})
        checks = _type_checks(fd)
        if "enum" in cons:
            allowed = [str(v) for v in cons["enum"]]
            shown = ", ".join(allowed) if len(allowed) <= 30 else f"the {len(allowed)} values listed in datapackage.json"
            checks.append(pa.Check.isin(allowed, error=f"is not one of: {shown}"))
        if "pattern" in cons and not fd.get("qalamoun:date"):
            checks.append(pa.Check.str_matches(cons["pattern"], error=f"does not match the pattern {cons['pattern']}"))
        columns[fd["name"]] = pa.Column(
            "str", checks=checks, nullable=not cons.get("required", False), unique=bool(cons.get("unique", False)), required=True
        )
    return pa.DataFrameSchema(columns, strict=False, name=resource["name"])


def coerce(df: pd.DataFrame, resource: dict[str, Any]) -> pd.DataFrame:
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
            out[name] = pd.Categorical(col.where(col.isin(enum)), categories=list(enum), ordered=bool(fd.get("qalamoun:ordered")))
        else:
            out[name] = col
    return out


# ---------------------------------------------------------------------------
# Pass 2: typed tables


def _in_list(keys: set[str]) -> Callable[[Any], bool]:
    def check(value: Any) -> bool:
        return all(part in keys for part in str(value).split(LIST_SEP))

    return check


def _subject_check(keys: dict[str, set[str]]) -> Callable[[Any], bool]:
    def check(value: Any) -> bool:
        v = str(value)
        if v == "total":
            return True
        if v.startswith(("from:", "place:")):
            return v.split(":", 1)[1] in keys["places"]
        if v.startswith("group:"):
            return v[6:] in keys.get("groups", set())
        if v.startswith("set:"):
            members = v[4:].split("+")
            return len(members) > 1 and all(m in keys["movements"] for m in members)
        return v in keys["movements"] or v in keys["events"]

    return check


def _ordered(a: str, b: str) -> Callable[[pd.DataFrame], pd.Series]:
    return lambda d: d[a].isna() | d[b].isna() | (d[a] <= d[b])


def _claim_rules(package: dict[str, Any]) -> list[Rule]:
    """Figures that fit their qualifier's shape; values that fit their quantity's kind."""
    numeric = vocab.numeric_quantities(package)
    date_q = vocab.date_quantities(package)
    equipment = vocab.quantities_of_kind(package, "equipment")
    shapes = vocab.qualifier_shapes(package)
    by_shape = {s: sorted(q for q, v in shapes.items() if v == s) for s in set(shapes.values())}

    def names(shape: str) -> str:
        return " or ".join(f"'{q}'" for q in by_shape.get(shape, []))

    q = lambda d: d["quantity"].astype("str")  # noqa: E731
    shape = lambda d: d["qualifier"].astype("str").map(shapes)  # noqa: E731
    num = lambda d: q(d).isin(numeric)  # noqa: E731
    low, high = (lambda d: d["value_low"].notna()), (lambda d: d["value_high"].notna())
    same = lambda d: (d["value_low"] == d["value_high"]).fillna(False)  # noqa: E731
    below = lambda d: (d["value_low"] < d["value_high"]).fillna(False)  # noqa: E731
    return [
        ("value_low is greater than value_high", ["value_low", "value_high"], _ordered("value_low", "value_high")),
        (
            f"a point figure ({names('point')}) has value_low equal to value_high; for a stated range use {names('range')}",
            ["value_low", "value_high", "qualifier"],
            lambda d: ~num(d) | (shape(d) != "point") | (low(d) & same(d)),
        ),
        (
            f"a range ({names('range')}) needs value_low below value_high; for one figure use {names('point')}",
            ["value_low", "value_high", "qualifier"],
            lambda d: ~num(d) | (shape(d) != "range") | below(d),
        ),
        (
            f"a floor ({names('floor')}) has value_low and an empty value_high; for a stated range use {names('range')}",
            ["value_low", "value_high", "qualifier"],
            lambda d: ~num(d) | (shape(d) != "floor") | (low(d) & ~high(d)),
        ),
        (
            f"a ceiling ({names('ceiling')}) has value_high and an empty value_low (no lower figure is invented); "
            f"for a stated range use {names('range')}",
            ["value_low", "value_high", "qualifier"],
            lambda d: ~num(d) | (shape(d) != "ceiling") | (high(d) & ~low(d)),
        ),
        (
            f"{names('none')} carries no figures",
            ["value_low", "value_high"],
            lambda d: (shape(d) != "none") | (~low(d) & ~high(d)),
        ),
        (
            "a text or date quantity carries value_text and no figures",
            ["value_text", "value_low"],
            lambda d: num(d) | (d["value_text"].notna() & ~low(d) & ~high(d)),
        ),
        (
            "a date claim's value_text is not a date value (YYYY-MM-DD, YYYY-MM, an interval a/b, ~ for about)",
            ["value_text"],
            lambda d: ~q(d).isin(date_q) | d["value_text"].fillna("").map(dates.is_valid).astype(bool),
        ),
        (
            f"fate is only for equipment ({', '.join(sorted(equipment))})",
            ["fate", "quantity"],
            lambda d: d["fate"].isna() | q(d).isin(equipment),
        ),
    ]


def row_rules(table: str, package: dict[str, Any]) -> list[Rule]:
    """Rules across columns: (message, columns to report, function -> Series of booleans, True where fine)."""
    if table in ("events", "relations"):
        rules = [("date_end is before date_start", ["date_start", "date_end"], _ordered("date_start", "date_end"))]
        if table == "relations":
            rules.append(
                (
                    "a relation needs two different actors",
                    ["source_actor", "target_actor"],
                    lambda d: d["source_actor"] != d["target_actor"],
                )
            )
        return rules
    if table == "movements":
        return [("arrive_date is before depart_date", ["depart_date", "arrive_date"], _ordered("depart_date", "arrive_date"))]
    if table == "places":
        return [
            ("lat and lon go together", ["lat", "lon"], lambda d: d["lat"].isna() == d["lon"].isna()),
            (
                "geo_precision 1 or 2 needs a point (lat, lon)",
                ["geo_precision", "lat"],
                lambda d: (d["geo_precision"] == 3) | d["lat"].notna(),
            ),
            ("a place cannot be within itself", ["within"], lambda d: d["within"].isna() | (d["within"] != d["place_id"])),
        ]
    if table == "actors":
        return [("an actor cannot be its own parent", ["parent_id"], lambda d: d["parent_id"].isna() | (d["parent_id"] != d["actor_id"]))]
    if table == "claims":
        return _claim_rules(package)
    return []


def typed_schema(table: str, resource: dict[str, Any], package: dict[str, Any], keys: dict[str, set[str]]) -> Any:
    """pandera schema for a typed table: bounds, foreign keys, rules across columns."""
    import pandera.pandas as pa

    fks: dict[str, tuple[str, str]] = {}
    for fk in resource["schema"].get("foreignKeys", []):
        ref = fk["reference"]["resource"] or table
        fks[fk["fields"][0]] = (ref, fk["reference"]["fields"][0])
    list_fks = vocab.list_foreign_keys(package)
    columns: dict[str, Any] = {}
    for fd in _fields(resource):
        name, cons = fd["name"], fd.get("constraints", {})
        checks = []
        if "minimum" in cons:
            checks.append(pa.Check.ge(cons["minimum"], error=f"is below the minimum {cons['minimum']}"))
        if "maximum" in cons:
            checks.append(pa.Check.le(cons["maximum"], error=f"is above the maximum {cons['maximum']}"))
        if name in fks:
            ref, key = fks[name]
            checks.append(pa.Check.isin(sorted(keys.get(ref, set())), error=f"is not a known {key} in {ref}.csv"))
        if (table, name) in list_fks:
            ref, key = list_fks[(table, name)]
            checks.append(pa.Check(_in_list(keys.get(ref, set())), element_wise=True, error=f"names an unknown {key} (not in {ref}.csv)"))
        if table == "claims" and name == "subject":
            checks.append(
                pa.Check(
                    _subject_check(keys),
                    element_wise=True,
                    error="is not 'total', 'from:<place_id>', 'place:<place_id>', 'group:<group_id>', 'set:<movement_id>+<movement_id>', "
                    "a movement_id or an event_id of this case",
                )
            )
        if checks:
            columns[name] = pa.Column(checks=checks, nullable=True, required=True)
    rules = [pa.Check(fn, name="|".join(cols), error=msg) for msg, cols, fn in row_rules(table, package)]
    return pa.DataFrameSchema(columns, checks=rules, strict=False, name=table)


# ---------------------------------------------------------------------------
# Running the schemas


def problems_from(errors: Any, file: str, raw: pd.DataFrame, rule_columns: dict[str, list[str]] | None = None) -> list[Problem]:
    """Turn pandera's failure cases into Problems with CSV row numbers and values.

    ``rule_columns`` maps the message of a rule across columns to the columns it
    should be reported on (pandera reports such rules on every column).
    """
    rule_columns = rule_columns or {}
    problems: list[Problem] = []
    for rec in errors.failure_cases.to_dict("records"):
        message, column, index, value = str(rec["check"]), rec.get("column"), rec.get("index"), rec.get("failure_case")
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


def read_raw(path: Path, file: str, resource: dict[str, Any]) -> tuple[pd.DataFrame | None, list[Problem]]:
    """A table as text (empty cells as NA), and problems with its header."""
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except FileNotFoundError:
        return None, [Problem(file, None, None, None, "file is missing")]
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        return None, [Problem(file, None, None, None, f"cannot be read as UTF-8 CSV: {exc}")]
    raw = raw.replace("", pd.NA)
    declared = [fd["name"] for fd in _fields(resource)]
    problems = [
        Problem(file, 1, str(col), None, "column is not declared in datapackage.json") for col in raw.columns if col not in declared
    ]
    return raw, problems


def _keyset(tables: dict[str, pd.DataFrame], package: dict[str, Any], table: str) -> set[str]:
    if table not in tables:
        return set()
    key = vocab.resource(package, table)["schema"].get("primaryKey", [None])[0]
    if key is None or key not in tables[table].columns:
        return set()
    return set(tables[table][key].dropna().astype(str))


def check(folder: Path, package: dict[str, Any]) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Validate every table; return the typed tables and every problem found."""
    import pandera.pandas as pa

    resources = {r["name"]: r for r in package["resources"]}
    tables = table_names(package)
    problems: list[Problem] = []
    raw: dict[str, pd.DataFrame] = {}
    typed: dict[str, pd.DataFrame] = {}
    for table in tables:
        res = resources[table]
        file = res.get("path", f"{table}.csv")
        if res.get("qalamoun:optional") and not (folder / file).exists():
            continue  # an optional table (groups, legs) the case does not have
        df, probs = read_raw(folder / file, file, res)
        problems += probs
        if df is None:
            continue
        try:
            raw_schema(res).validate(df, lazy=True)
        except pa.errors.SchemaErrors as exc:
            problems += problems_from(exc, file, df)
        raw[table] = df
        if all(fd["name"] in df.columns for fd in _fields(res)):
            typed[table] = coerce(df, res)
    keys = {t: _keyset(raw, package, t) for t in tables}
    for table, df in typed.items():
        res = resources[table]
        try:
            typed_schema(table, res, package, keys).validate(df, lazy=True)
        except pa.errors.SchemaErrors as exc:
            rules = {msg: cols for msg, cols, _ in row_rules(table, package)}
            problems += problems_from(exc, res.get("path", f"{table}.csv"), raw[table], rules)
    return typed, sorted(set(problems), key=lambda p: problem_key(p, tables))
