"""Plan a run: parameter sets, notebooks, their declared parameters, and one job per notebook x set.

Every value is checked before any kernel starts and every error is reported at
once (:class:`RunError`).  Parsing a notebook's parameters and checking a set's
values import pandas and papermill; both results are memoised in the cache
(keyed by the notebook's bytes, the values and the package's source), so that a
run with nothing changed needs neither.
"""

from __future__ import annotations

import ast
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:  # pragma: no cover
    from .cache import Cache


class RunError(ValueError):
    """Parameters, notebooks or an output folder that cannot be used (nothing was started)."""


@dataclass(frozen=True)
class ParamSet:
    """A named set of parameter values, from a YAML file in ``params/``.

    ``notebooks`` (optional) names the notebooks the set is for (stems or their number prefix, e.g. ``01``);
    empty: every notebook selected.
    """

    slug: str
    title: str
    values: dict[str, Any]
    path: str = ""
    description: str = ""
    notebooks: tuple[str, ...] = ()

    def takes(self, notebook: Path) -> bool:
        """True when the set is for ``notebook``."""
        return not self.notebooks or any(notebook.stem == n or notebook.stem.startswith(n) for n in self.notebooks)


@dataclass(frozen=True)
class Job:
    """One notebook to run with one parameter set.

    ``case`` is the case it reads (its value or the notebook's default); a notebook that compares
    cases reads every one of ``cases`` (its ``cases`` parameter), and ``case`` is then None.
    """

    notebook: Path
    param_set: ParamSet
    values: dict[str, Any]
    case: str | None = None
    declared: tuple[str, ...] = field(default=(), compare=False)
    cases: tuple[str, ...] = ()

    @property
    def case_names(self) -> tuple[str, ...]:
        """Every case the run reads."""
        return self.cases or ((self.case,) if self.case else ())

    @property
    def name(self) -> str:
        return f"{self.param_set.slug}/{self.notebook.stem}"


def slugify(text: str) -> str:
    """Lower-case, ASCII letters, digits and dashes."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or "set"


def load_param_set(path: Path) -> ParamSet:
    """Read a parameter set: a YAML mapping with ``title``, ``description`` and ``parameters``."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise RunError(f"{path}: cannot read the parameter set: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("parameters", {}), dict):
        raise RunError(f"{path}: a parameter set is a mapping with a 'parameters' mapping")
    notebooks = data.get("notebooks") or []
    if not isinstance(notebooks, list) or not all(isinstance(n, str | int) for n in notebooks):
        raise RunError(f"{path}: 'notebooks' is a list of notebook names or number prefixes (e.g. ['01', '03_evacuation_flows'])")
    values = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in (data.get("parameters") or {}).items()}
    return ParamSet(
        slug=slugify(path.stem),
        title=str(data.get("title", path.stem)),
        values=values,
        path=str(path),
        description=str(data.get("description", "")),
        notebooks=tuple(f"{n:02d}" if isinstance(n, int) else str(n) for n in notebooks),
    )


def default_param_sets(project: Path) -> list[Path]:
    """The YAML files of ``<project>/params/``, sorted."""
    return sorted((project / "params").glob("*.yaml"))


def parse_override(text: str) -> tuple[str, Any]:
    """``key=value`` from ``-p``; the value is read as YAML (``true``, ``12``, ``None``/``null``, text)."""
    if "=" not in text:
        raise RunError(f"-p takes key=value, not {text!r}")
    key, raw = text.split("=", 1)
    try:
        value = None if raw in ("None", "") else yaml.safe_load(raw)
    except (yaml.YAMLError, ValueError):  # e.g. an impossible date: keep the text, the check will say why
        value = raw
    if hasattr(value, "isoformat"):
        value = value.isoformat()
    return key.strip(), value


def find_notebooks(project: Path, names: list[str] | None = None) -> list[Path]:
    """Notebooks by name or stem (``02``, ``02_actor_network``, a path), or all of ``<project>/notebooks/``."""
    every = sorted((project / "notebooks").glob("[0-9]*.ipynb"))
    if not names:
        return every
    out = []
    for n in names:
        p = Path(n)
        if p.suffix == ".ipynb" and p.exists():
            out.append(p.resolve())
            continue
        hits = [nb for nb in every if nb.stem == n or nb.stem.startswith(n)]
        if len(hits) != 1:
            known = ", ".join(nb.stem for nb in every)
            raise RunError(f"notebook {n!r} matches {len(hits)} notebooks; notebooks are {known}")
        out.append(hits[0])
    return out


def _literal(text: str) -> Any:
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def notebook_parameters(path: Path, cache: Cache | None = None) -> dict[str, Any]:
    """The names and defaults of a notebook's tagged ``parameters`` cell, as papermill reads them."""
    from .cache import digest_bytes

    data = path.read_bytes()
    memo_key = digest_bytes(data)
    if cache is not None and (hit := cache.memo_get("parameters", memo_key)) is not None:
        return hit
    cells = json.loads(data).get("cells", [])
    if not any(c.get("cell_type") == "code" and "parameters" in c.get("metadata", {}).get("tags", []) for c in cells):
        raise RunError(f"{path.name}: no code cell tagged 'parameters'")
    import papermill

    found = {name: _literal(p["default"]) for name, p in papermill.inspect_notebook(str(path)).items()}
    if cache is not None:
        cache.memo_put("parameters", memo_key, found)
    return found


def _check_values(values: dict[str, Any], cache: Cache | None, source: str) -> dict[str, Any]:
    """``params.check_all`` (imports pandas and the analysis), memoised by the values and the package's source."""
    from .cache import digest_bytes

    memo_key = json.dumps([values, source, os.environ.get("QALAMOUN_DATA", "")], sort_keys=True, default=str)

    memo_key = digest_bytes(memo_key.encode())
    if cache is not None and (hit := cache.memo_get("checked", memo_key)) is not None:
        return hit
    from ..params import check_all

    checked = check_all(values)
    if cache is not None:
        cache.memo_put("checked", memo_key, checked)
    return checked


def _absolute_case(values: dict[str, Any]) -> dict[str, Any]:
    """Kernels run elsewhere: a case given as a relative path to a case folder is made absolute."""
    case = values.get("case")
    if isinstance(case, str) and not Path(case).is_absolute() and (Path(case) / "datapackage.json").is_file():
        return {**values, "case": str(Path(case).resolve())}
    return values


def plan(
    notebooks: list[Path],
    sets: list[ParamSet],
    overrides: dict[str, Any] | None = None,
    project: Path | None = None,
    cache: Cache | None = None,
) -> list[Job]:
    """Jobs for every notebook x set; every value checked first, all errors reported at once.

    A set may name a parameter that only some notebooks take (``scenario`` is
    not a network parameter); a name that no notebook of the project takes, or
    a ``-p`` override that no selected notebook takes, is an error.
    """
    from ..params import PARAMETERS, ParameterError
    from .cache import source_digest

    source = source_digest()
    overrides = _absolute_case(overrides or {})
    declared = {nb: notebook_parameters(nb, cache) for nb in notebooks}
    selected = set().union(*declared.values()) if declared else set()
    others = find_notebooks(project) if project is not None else []
    known = set(selected).union(*(notebook_parameters(nb, cache) for nb in others))
    errors = [
        f"-p: unknown parameter {name!r}; the notebooks take {', '.join(sorted(selected))}"
        for name in sorted(overrides)
        if name not in selected
    ]
    typed_overrides = {k: v for k, v in overrides.items() if k in PARAMETERS}
    try:
        _check_values(typed_overrides, cache, source)
    except ParameterError as exc:
        errors.append(f"-p: {exc}")
    overrides_ok = not errors
    checked_sets: dict[str, dict[str, Any]] = {}
    for ps in sets:
        where = ps.path or ps.slug
        unknown = [name for name in sorted(ps.values) if name not in known]
        errors += [f"{where}: unknown parameter {name!r}; the notebooks take {', '.join(sorted(known))}" for name in unknown]
        own = _absolute_case({k: v for k, v in ps.values.items() if k in known and k not in overrides})
        try:
            _check_values(own, cache, source)
            if overrides_ok:
                checked_sets[ps.slug] = _check_values({**own, **typed_overrides}, cache, source)
        except ParameterError as exc:
            errors.append(f"{where}: {exc}")
    slugs = [ps.slug for ps in sets]
    dup = sorted({s for s in slugs if slugs.count(s) > 1})
    if dup:
        errors.append(f"two parameter sets share the name {', '.join(dup)}")
    if errors:
        raise RunError("\n".join(dict.fromkeys(errors)))
    jobs = []
    for ps in sets:
        for nb in (nb for nb in notebooks if ps.takes(nb)):
            values = {k: v for k, v in checked_sets[ps.slug].items() if k in declared[nb]}
            case = values.get("case", declared[nb].get("case"))
            many = values.get("cases", declared[nb].get("cases")) or ()
            many = tuple(str(c) for c in (many if isinstance(many, list | tuple) else str(many).split(",")))
            case = case if isinstance(case, str) else None
            jobs.append(Job(nb, ps, values, case=case, declared=tuple(declared[nb]), cases=many))
    return jobs
