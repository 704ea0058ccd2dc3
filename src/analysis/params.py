"""Notebook parameters: one declaration, checked in the notebook and by ``qalamoun run``.

Every notebook's tagged ``parameters`` cell assigns a subset of these names.
:func:`check` validates a value (and converts text from ``-p key=value``);
:func:`check_all` validates them all at once and :func:`check_against_case` the
values that depend on a case.  Nothing here switches anything: a notebook starts
with :func:`analysis.notebook.start`, which checks, loads the case and picks the
chart renderer.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from .cases import Case

RELATION_SETS = ("all", "cooperative", "hostile")


class ParameterError(ValueError):
    """A parameter value that a notebook cannot take."""


def _date(name: str, value: Any) -> str | None:
    if value is None or value == "" or value == "None":
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise ParameterError(f"{name} must be a date YYYY-MM-DD or None, not {value!r}") from None


def _lang(name: str, value: Any) -> str:
    """A language of the reports: one with a message catalog (:data:`analysis.i18n.LANGS`)."""
    from .i18n import LANGS

    return _choice(name, value, LANGS)


def _choice(name: str, value: Any, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise ParameterError(f"{name} must be one of {', '.join(choices)}, not {value!r}")
    return str(value)


def _bool(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if str(value).lower() in ("true", "1", "yes"):
        return True
    if str(value).lower() in ("false", "0", "no"):
        return False
    raise ParameterError(f"{name} must be true or false, not {value!r}")


def _case(name: str, value: Any) -> str:
    from .cases import CaseError, resolve_case

    if value is None or value == "None":
        return default_case(name)
    if not isinstance(value, str) or not value:
        raise ParameterError(f"{name} must be a case id or a path, not {value!r}")
    try:
        resolve_case(value)
    except CaseError as exc:
        raise ParameterError(str(exc)) from None
    return value


def default_case(name: str = "case") -> str:
    """The case a notebook runs on when none is named: the ``case`` of the project's default parameter set
    (``params/default.yaml``), else the first case under ``data/``."""
    from .cases import available_cases
    from .project import ProjectError, default_parameters

    try:
        given = default_parameters().get("case")
    except ProjectError:
        given = None
    found = given or next(iter(available_cases()), None)
    if not found:
        raise ParameterError(f"{name} is None and there is no default: no params/default.yaml naming a case, and no case under data/")
    return _case(name, found)


def _cases(name: str, value: Any) -> list[str]:
    """Several cases: a list, or ids or paths separated by commas; each must exist.  None: every case under ``data/``."""
    from .cases import available_cases

    if value is None or value == "None":
        value = available_cases()
    items = value if isinstance(value, list | tuple) else str(value or "").split(",")
    cases = [str(v).strip() for v in items if str(v).strip()]
    if not cases:
        raise ParameterError(f"{name} must name at least one case (a list, or ids separated by commas), not {value!r}")
    errors = []
    for c in cases:
        try:
            _case(name, c)
        except ParameterError as exc:
            errors.append(str(exc))
    if errors:
        raise ParameterError("; ".join(errors))
    return cases


def _best_rule(name: str, value: Any) -> str:
    from .flows import check_best_rule

    try:
        return check_best_rule(str(value))
    except ValueError as exc:
        raise ParameterError(str(exc)) from None


def _relations(name: str, value: Any) -> str:
    """A relation set or a comma-separated list of relation types (checked against the case in :func:`check_against_case`)."""
    text = str(value)
    if text in RELATION_SETS:
        return text
    types = [r.strip() for r in text.split(",")]
    if not all(types):
        raise ParameterError(f"{name} must be one of {', '.join(RELATION_SETS)} or a comma-separated list of relation types, not {value!r}")
    return ",".join(types)


def _path(name: str, value: Any) -> str | None:
    if value is None or value == "" or value == "None":
        return None
    return str(value)


# name -> (checker, default, help)
PARAMETERS: dict[str, tuple[Any, Any, str]] = {
    "case": (_case, None, "case id under data/ or a path to a case folder (None: the case of params/default.yaml)"),
    "cases": (_cases, None, "cases to compare: a list of case ids or paths (None: every case under data/)"),
    "start_date": (_date, None, "first day kept (YYYY-MM-DD) or None"),
    "end_date": (_date, None, "last day kept (YYYY-MM-DD) or None"),
    "lang": (_lang, "en", "language of the whole report: a language with a message catalog (en, es, ar)"),
    "scenario": (lambda n, v: _choice(n, v, ("low", "best", "high")), "best", "which figures lead: low, best or high"),
    "best_rule": (_best_rule, "median", "how 'best' is chosen: median or prefer:<source_id>"),
    "relations": (_relations, "all", "relations kept: all, cooperative, hostile, or a list of relation types"),
    "interactive": (_bool, False, "interactive charts (inline HTML) instead of static SVG"),
    "summary_path": (_path, None, "where to write summary.json (None: only show it)"),
}


def check(name: str, value: Any) -> Any:
    """Validate one parameter value; raise ParameterError naming the parameter and what it takes."""
    if name not in PARAMETERS:
        raise ParameterError(f"unknown parameter {name!r}; parameters are {', '.join(sorted(PARAMETERS))}")
    return PARAMETERS[name][0](name, value)


def check_all(values: dict[str, Any]) -> dict[str, Any]:
    """Validate every value (all errors at once) and return the checked values."""
    out, errors = {}, []
    for name, value in values.items():
        try:
            out[name] = check(name, value)
        except ParameterError as exc:
            errors.append(str(exc))
    start, end = out.get("start_date"), out.get("end_date")
    if start and end and start > end:
        errors.append(f"start_date {start} is after end_date {end}")
    if errors:
        raise ParameterError("; ".join(errors))
    return out


def check_against_case(params: dict[str, Any], case: Case) -> list[str]:
    """Problems with values that depend on the case: a ``prefer:`` source it lacks, relation types it does not know."""
    from .flows import check_best_rule
    from .network import relation_types

    problems = []
    if "best_rule" in params:
        try:
            check_best_rule(params["best_rule"], case)
        except ValueError as exc:
            problems.append(str(exc))
    relations = str(params.get("relations", "all"))
    if relations not in RELATION_SETS:
        known = relation_types(case)
        unknown = [r for r in relations.split(",") if r not in known]
        if unknown:
            problems.append(f"relations: unknown relation types {', '.join(unknown)}; {case.case_id} knows {', '.join(known)}")
    return problems


@dataclass
class Context:
    """What a notebook works with once its parameters are checked: its case (or the cases it compares)."""

    case: Case | None
    params: dict[str, Any]
    renderer: str = ""
    cases: list[Case] = field(default_factory=list)


def load(**values: Any) -> Context:
    """Check the parameters, load the case(s) and check the values that depend on them; a ParameterError lists every
    problem.  Switches nothing (no renderer): see :func:`analysis.notebook.start`."""
    from .cases import load_case

    params = check_all(values)
    names = params.get("cases") or ([params["case"]] if "case" in params else [])
    cases = [load_case(name) for name in names]
    problems = [p for c in cases for p in check_against_case(params, c)]
    if problems:
        raise ParameterError("; ".join(problems))
    return Context(case=cases[0] if "case" in params else None, params=params, cases=cases)


def preview(summary: dict[str, Any], items: int = 12) -> str:
    """The summary as indented JSON for display, long lists cut to ``items`` (summary.json keeps them whole)."""

    def cut(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: cut(v) for k, v in value.items()}
        if isinstance(value, list):
            shown = [cut(v) for v in value[:items]]
            return [*shown, f"... {len(value) - items} more"] if len(value) > items else shown
        return value

    return json.dumps(cut(summary), indent=2, sort_keys=True, ensure_ascii=False, default=str)


def write_summary(summary: dict[str, Any], path: str | None, lang: str = "en") -> str:
    """Write ``summary`` to ``path`` (if given) as JSON, with its figures as a table beside it (HTML in ``lang``, and
    CSV: :mod:`analysis.summary_files`); return the JSON text."""
    from . import summary_files

    return summary_files.write(summary, path, lang)
