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

import csv
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from . import dates, vocab

PACKAGE_FILE = "datapackage.json"
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
# Pass 0: the data package itself

_NAME = {"type": "string", "minLength": 1}
_NAMES = {"type": "array", "minItems": 1, "items": _NAME}
_CLASSES = {"type": "object", "additionalProperties": {"type": "string"}}


def _foreign_key(fields: dict[str, Any]) -> dict[str, Any]:
    """A foreign key whose ``fields`` (and referenced fields) are ``fields``: a list of names, or one name for a list key."""
    reference = {"type": "object", "required": ["resource", "fields"], "properties": {"resource": {"type": "string"}, "fields": fields}}
    return {"type": "object", "required": ["fields", "reference"], "properties": {"fields": fields, "reference": reference}}


_FIELD = {
    "type": "object",
    "required": ["name"],
    "properties": {
        "name": _NAME,
        "type": {"enum": ["string", "integer", "number", "date", "boolean"]},
        "constraints": {
            "type": "object",
            "properties": {
                "required": {"type": "boolean"},
                "unique": {"type": "boolean"},
                "enum": {"type": "array", "minItems": 1, "uniqueItems": True, "items": {"type": ["string", "integer", "number"]}},
                "pattern": {"type": "string"},
                "minimum": {"type": "number"},
                "maximum": {"type": "number"},
            },
        },
        "qalamoun:date": {"type": "boolean"},
        "qalamoun:ordered": {"type": "boolean"},
        "qalamoun:list": {"type": "string", "minLength": 1},
        "qalamoun:kinds": _CLASSES,
        "qalamoun:shapes": _CLASSES,
        "qalamoun:signs": {"type": "object", "additionalProperties": {"enum": [-1, 0, 1]}},
        "qalamoun:labels": {"type": "object", "additionalProperties": _CLASSES},
        "qalamoun:hxl": _CLASSES,
    },
}
# What this module, vocab and cases read from datapackage.json, as a JSON Schema (other properties are free).
DESCRIPTOR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["resources"],
    "properties": {
        "name": {"type": "string"},
        "title": {"type": "string"},
        "resources": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["name", "schema"],
                "properties": {
                    "name": {"type": "string", "pattern": "^[a-z0-9_-]+$"},
                    "path": {"type": "string", "pattern": "^[A-Za-z0-9_-]+\\.csv$"},
                    "schema": {
                        "type": "object",
                        "required": ["fields"],
                        "properties": {
                            "fields": {"type": "array", "minItems": 1, "items": _FIELD},
                            "primaryKey": _NAMES,
                            "foreignKeys": {"type": "array", "items": _foreign_key(_NAMES)},
                            "qalamoun:listForeignKeys": {"type": "array", "items": _foreign_key(_NAME)},
                        },
                    },
                },
            },
        },
    },
}


def _where(path: Any) -> str:
    """A JSON path as ``resources[3].schema.fields[0].type``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out.lstrip(".") or "the top level"


def _descriptor_problem(path: Any, message: str, value: Any = None) -> Problem:
    """A problem in datapackage.json: where (a JSON path), what, and the value found."""
    shown = None if value is None else json_text(value)
    return Problem(PACKAGE_FILE, None, None, shown, f"{_where(path)}: {message}")


def json_text(value: Any, limit: int = 80) -> str:
    """A JSON value as short text for a message."""
    import json

    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _repeated(names: list[str], where: list[Any], what: str) -> list[Problem]:
    """A problem for every name of ``names`` met before (``where`` + its index, + ``name``)."""
    return [_descriptor_problem([*where, i, "name"], f"two {what} have this name", n) for i, n in enumerate(names) if n in names[:i]]


def _pattern_problems(at: list[Any], fields: list[dict[str, Any]]) -> list[Problem]:
    """Patterns that are not regular expressions."""
    problems = []
    for j, fd in enumerate(fields):
        pattern = fd.get("constraints", {}).get("pattern")
        try:
            re.compile(pattern or "")
        except re.error as exc:
            problems.append(_descriptor_problem([*at, j, "constraints", "pattern"], f"is not a regular expression ({exc})", pattern))
    return problems


def _key_problems(at: list[Any], table: str, schema: dict[str, Any], fields_of: dict[str, list[str]]) -> list[Problem]:
    """A primary key or a foreign key (single or list) that names a resource or a field that does not exist."""
    own = fields_of[table]
    problems = [
        _descriptor_problem([*at, "primaryKey"], f"names no field of {table}", k) for k in schema.get("primaryKey", []) if k not in own
    ]
    for kind in ("foreignKeys", "qalamoun:listForeignKeys"):
        for j, fk in enumerate(schema.get(kind, [])):
            ref = fk["reference"]["resource"] or table
            if ref not in fields_of:
                problems.append(_descriptor_problem([*at, kind, j, "reference", "resource"], "names no resource", ref))
                continue
            missing = [f for f in _as_list(fk["fields"]) if f not in own]
            missing += [f for f in _as_list(fk["reference"]["fields"]) if f not in fields_of[ref]]
            problems += [_descriptor_problem([*at, kind, j], "names a field that does not exist", f) for f in missing]
    return problems


def _name_problems(package: dict[str, Any]) -> list[Problem]:
    """Names that must be unique or must exist (resources, fields, keys, foreign keys), and patterns that must compile."""
    resources = package["resources"]
    fields_of = {r["name"]: [f["name"] for f in r["schema"]["fields"]] for r in resources}
    names = [r["name"] for r in resources]
    problems = _repeated(names, ["resources"], "resources")
    problems += [_descriptor_problem([], f"the data package lacks the resource {t!r}") for t in CORE_TABLES if t not in names]
    for i, res in enumerate(resources):
        at = ["resources", i, "schema"]
        problems += _repeated([f["name"] for f in res["schema"]["fields"]], [*at, "fields"], "fields")
        problems += _pattern_problems([*at, "fields"], res["schema"]["fields"])
        problems += _key_problems(at, res["name"], res["schema"], fields_of)
    return problems


def _schema_message(error: Any) -> tuple[str, Any]:
    """A jsonschema error in the words of the other problems, and the value to show (None: the message names it)."""
    rule, wanted, value = error.validator, error.validator_value, error.instance
    if rule == "type":
        kinds = wanted if isinstance(wanted, list) else [wanted]
        words = {"object": "an object", "array": "a list", "string": "a text", "integer": "a whole number", "number": "a number"}
        return "is not " + " or ".join(words.get(k, k) for k in kinds), value
    if rule == "enum":
        return "is not one of: " + ", ".join(json_text(v) for v in wanted), value
    if rule in ("minItems", "minLength"):
        return "is empty", None
    if rule == "pattern":
        return f"does not match the pattern {wanted}", value
    if rule == "uniqueItems":
        return "holds a value twice", value
    return str(error.message), None


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else [value]


def package_problems(package: Any) -> list[Problem]:
    """Problems with ``datapackage.json`` itself: its shape (:data:`DESCRIPTOR_SCHEMA`), then names that must exist or be unique.

    Every table check trusts the package, so nothing else runs until this returns no problem."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(DESCRIPTOR_SCHEMA)
    problems = [_descriptor_problem(e.absolute_path, *_schema_message(e)) for e in validator.iter_errors(package)]
    return sorted(set(problems or _name_problems(package)), key=problem_key)


# ---------------------------------------------------------------------------
# Pass 1: raw text


INTEGER_RE = r"^-?\d+$"
NUMBER_RE = r"^-?\d+(\.\d+)?$"
LARGEST = 2**53  # the largest whole number a float holds exactly: figures beyond it would change as they are summed


def _whole(text: str) -> int | None:
    """The whole number ``text`` spells (within +-LARGEST), else None."""
    if not isinstance(text, str) or re.match(INTEGER_RE, text) is None:
        return None
    value = int(text)
    return value if -LARGEST <= value <= LARGEST else None


def _fits(kind: str) -> Callable[[Any], bool]:
    """Element check: a cell of the right form is also within what the package can hold (other forms pass: the form check fails them)."""
    if kind == "integer":
        return lambda v: not (isinstance(v, str) and re.match(INTEGER_RE, v)) or _whole(v) is not None
    return lambda v: not (isinstance(v, str) and re.match(NUMBER_RE, v)) or math.isfinite(float(v))


def _type_checks(fd: dict[str, Any]) -> list[Any]:
    import pandera.pandas as pa

    kind = fd.get("type", "string")
    if kind == "integer":
        return [
            pa.Check.str_matches(INTEGER_RE, error="is not a whole number"),
            pa.Check(_fits(kind), element_wise=True, error=f"is too large (whole numbers go up to {LARGEST})"),
        ]
    if kind == "number":
        return [
            pa.Check.str_matches(NUMBER_RE, error="is not a number"),
            pa.Check(_fits(kind), element_wise=True, error="is too large to be a number"),
        ]
    if kind == "date":
        ok = lambda s: pd.to_datetime(s, format="%Y-%m-%d", errors="coerce").notna()  # noqa: E731
        return [pa.Check(ok, error="is not a date (YYYY-MM-DD, from 1678 to 2261)")]
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
    """Typed copy of a raw table: dates, nullable integers and numbers, booleans, categoricals.

    A cell that does not parse as its type (already reported by pass 1) is empty in the copy, so pass 2 never
    sees a value its type cannot hold."""
    out = pd.DataFrame(index=df.index)
    for fd in _fields(resource):
        name, kind = fd["name"], fd.get("type", "string")
        col = df[name]
        enum = fd.get("constraints", {}).get("enum")
        if kind == "integer":  # a cell that is not a whole number within LARGEST is empty here (pass 1 reported it)
            out[name] = pd.array([_whole(v) for v in col], dtype="Int64")
        elif kind == "number":
            number = pd.to_numeric(col.where(col.str.match(NUMBER_RE).fillna(False).astype(bool)), errors="coerce")
            out[name] = number.where(number.abs() < math.inf).astype("Float64")
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


def _header(path: Path) -> list[str]:
    """The header row as written (pandas renames a repeated or empty column name)."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        return next(csv.reader(f), [])


def _header_problems(file: str, header: list[str], declared: list[str]) -> list[Problem]:
    """Columns of the header that are empty, repeated, or not declared in the data package."""
    problems = []
    for i, col in enumerate(header):
        if not col.strip():
            problems.append(Problem(file, 1, None, col, f"column {i + 1} of the header has no name"))
        elif col in header[:i]:
            problems.append(Problem(file, 1, col, None, "column appears twice in the header"))
        elif col not in declared:
            problems.append(Problem(file, 1, col, None, "column is not declared in datapackage.json"))
    return problems


def read_raw(path: Path, file: str, resource: dict[str, Any]) -> tuple[pd.DataFrame | None, list[Problem]]:
    """A table as text (empty cells as NA), and problems with its header.  A byte-order mark (Excel writes one) is allowed."""
    try:
        path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        return None, [Problem(file, None, None, None, "file is missing")]
    except UnicodeDecodeError as exc:
        line = exc.object[: exc.start].count(b"\n") + 1
        return None, [Problem(file, line, None, None, f"is not UTF-8 text (byte {exc.start} of the file: {exc.reason}); save it as UTF-8")]
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        header = _header(path)
    except FileNotFoundError:
        return None, [Problem(file, None, None, None, "file is missing")]
    except pd.errors.EmptyDataError:
        return None, [Problem(file, None, None, None, "file is empty: it needs at least its header row")]
    except (pd.errors.ParserError, csv.Error) as exc:
        return None, [Problem(file, None, None, None, f"cannot be read as CSV: {exc}")]
    problems = _header_problems(file, header, [fd["name"] for fd in _fields(resource)])
    if len(header) != len(raw.columns) or problems:  # renamed by pandas: keep the declared columns it read under their own names
        raw = raw[[c for c in dict.fromkeys(header) if c in raw.columns]]
    return raw.replace("", pd.NA), problems


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
