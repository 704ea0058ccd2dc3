"""Find and load a curated case: a Frictionless data package of tables, validated and typed.

The data package (``datapackage.json``) is the single source of truth for the
tables' columns, types, vocabularies, keys and foreign keys; :mod:`analysis.validation`
checks every table against it and :mod:`analysis.vocab` reads its vocabularies.
``validate_case`` returns every problem at once; ``load_case`` raises
:class:`CaseValidationError` carrying all of them.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from . import vocab
from .validation import CORE_TABLES, Problem, problem_key, table_names

TABLES = CORE_TABLES  # the tables every case has; a case may add others (see Case.tables)
__all__ = ["TABLES", "Case", "CaseError", "CaseValidationError", "Problem", "available_cases", "load_case", "validate_case"]


class CaseError(ValueError):
    """A case could not be found or read."""


class CaseValidationError(CaseError):
    """A case failed validation; ``problems`` lists every problem found."""

    def __init__(self, case: str, problems: list[Problem]):
        self.case = case
        self.problems = sorted(set(problems), key=problem_key)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) in case {case!r}:\n{lines}")


@dataclass
class Case:
    """A validated case: one typed DataFrame per table (``case.claims``, ``case.tables["..."]``), and its data package.

    ``case_id`` and ``title`` are the data package's ``name`` and ``title``; ``path``
    is the folder it was loaded from.
    """

    case_id: str
    path: Path
    package: dict[str, Any]
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    title: str = ""

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(f"case has no table or attribute {name!r}; tables are {', '.join(tables)}")

    @property
    def location(self) -> str:
        """Where the case is, as the ``case`` parameter names it: its folder's name when that folder sits in
        :func:`data_dir` (the same on every machine and in every run), else the folder's full path."""
        try:
            if self.path.resolve().parent == data_dir().resolve():
                return self.path.name
        except CaseError:
            pass
        return str(self.path)

    def table(self, name: str) -> pd.DataFrame:
        """Return a table by name."""
        if name not in self.tables:
            raise KeyError(f"unknown table {name!r}; tables are {', '.join(self.tables)}")
        return self.tables[name]


# ---------------------------------------------------------------------------
# Finding a case


def data_dir() -> Path:
    """The folder holding the cases: ``$QALAMOUN_DATA``, else the ``data/`` of the project found from the working
    directory (:func:`analysis.project.find_project`), else of the checkout this package is installed from (editable)."""
    from .project import ProjectError, is_project
    from .project import data_dir as project_data

    try:
        return project_data()
    except ProjectError as exc:
        checkout = Path(__file__).resolve().parents[2]
        if is_project(checkout):
            return checkout / "data"
        raise CaseError(str(exc)) from None


def available_cases() -> list[str]:
    """Case ids under :func:`data_dir`, sorted (none where no project is found)."""
    try:
        root = data_dir()
    except CaseError:
        return []
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


def _package(folder: Path) -> tuple[dict[str, Any], list[Problem]]:
    """``datapackage.json`` of a case folder and the problems with it (:func:`analysis.validation.package_problems`).

    A file that is not UTF-8 JSON raises :class:`CaseError` naming the file and where it breaks."""
    from .validation import package_problems

    path = folder / "datapackage.json"
    try:
        package = json.loads(path.read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as exc:
        raise CaseError(f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}") from exc
    except UnicodeDecodeError as exc:
        raise CaseError(f"{path}: not valid JSON: not UTF-8 text (byte {exc.start}): {exc.reason}") from exc
    _check_version(package, path, folder)
    return package, package_problems(package)


def _check_version(package: dict[str, Any], path: Path, folder: Path) -> None:
    """Refuse, before anything else, a case written for another schema version (:func:`analysis.schema.check_version`),
    naming the case as the command that upgrades it must be given."""
    from .schema import SchemaVersionError, check_version

    if not isinstance(package, dict):
        return  # package_problems says what is wrong with it
    try:
        inside = folder.resolve().parent == data_dir().resolve()
    except CaseError:
        inside = False
    try:
        check_version(package, str(path), folder.name if inside else str(folder))
    except SchemaVersionError as exc:
        raise CaseError(str(exc)) from None


def read_package(folder: Path) -> dict[str, Any]:
    """Read ``datapackage.json`` of a case folder; :class:`CaseValidationError` naming every problem with it."""
    package, problems = _package(folder)
    if problems:
        raise CaseValidationError(str(folder), problems)
    return package


def validate_case(case: str | os.PathLike[str]) -> list[Problem]:
    """Every problem in a case, sorted by file and row; an empty list if it is valid.

    Problems with ``datapackage.json`` itself come alone: the tables are checked once the package is sound."""
    from .validation import check

    folder = resolve_case(case)
    package, problems = _package(folder)
    if problems:  # the tables are read through the package: nothing more can be checked
        return problems
    _, problems = check(folder, package)
    return problems


def load_case(case: str | os.PathLike[str], validate: bool = True) -> Case:
    """Load a case by id (a folder under ``data/``) or by path, validated and typed.

    Raises :class:`CaseError` if the case cannot be found and
    :class:`CaseValidationError` (listing every problem) if it is invalid.  The case's vocabularies
    become those :mod:`analysis.vocab` (and so :func:`analysis.i18n.term` and the charts) answer with.
    """
    from .validation import check

    folder = resolve_case(case)
    package, problems = _package(folder)
    if problems:
        raise CaseValidationError(str(case), problems)
    typed, problems = check(folder, package)
    if validate and problems:
        raise CaseValidationError(str(case), problems)
    tables = {t: typed[t].reset_index(drop=True) for t in table_names(package) if t in typed}
    vocab.register(package)  # the case's vocabularies (values, labels, colours, roles) are the ones analysis uses
    return Case(
        case_id=str(package.get("name", folder.name)), path=folder, package=package, tables=tables, title=str(package.get("title", ""))
    )
