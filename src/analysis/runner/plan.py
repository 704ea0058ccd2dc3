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


# Parameters the runner sets itself: a notebook declares them, a reader does not choose them.
RUNNER_PARAMETERS: dict[str, str] = {
    "summary_path": "the runner writes each report's summary.json beside it (<set>/<notebook>.summary.json)",
}


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


def find_param_sets(project: Path, names: list[str] | None = None) -> list[Path]:
    """Parameter set files by name (``spanish``, ``spanish.yaml``: a set in ``<project>/params/``) or path; default: every set.

    An unknown name is an error that lists the sets there are.
    """
    every = default_param_sets(project)
    if not names:
        if not every:
            raise RunError(f"no parameter sets: add YAML files to {project / 'params'} or pass --params")
        return every
    found, unknown = [], []
    for name in names:
        path = Path(name)
        if path.is_file():
            found.append(path)
            continue
        stem = path.name[: -len(path.suffix)] if path.suffix in (".yaml", ".yml") else path.name
        hits = [p for p in every if p.stem == stem] if path.parent == Path(".") else []
        if hits:
            found.append(hits[0])
        else:
            unknown.append(name)
    if unknown:
        sets = ", ".join(sorted(p.stem for p in every)) or f"none (add YAML files to {project / 'params'})"
        raise RunError(
            f"--params: no parameter set {', '.join(repr(u) for u in unknown)}: give a set's name or a YAML file's path; "
            f"the sets in {project / 'params'} are {sets}"
        )
    return found


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
    """Notebooks by number, stem or file name (``02``, ``02_actor_network``, ``02_actor_network.ipynb``) or by path;
    default: every notebook of ``<project>/notebooks/``."""
    every = sorted((project / "notebooks").glob("[0-9]*.ipynb"))
    if not names:
        return every
    out = []
    for n in names:
        p = Path(n)
        if p.suffix == ".ipynb" and p.is_file():
            out.append(p.resolve())
            continue
        stem = p.stem if p.suffix == ".ipynb" and p.parent == Path(".") else n
        hits = [nb for nb in every if nb.stem == stem] or [nb for nb in every if nb.stem.startswith(stem)]
        if len(hits) != 1:
            known = ", ".join(nb.stem for nb in every)
            raise RunError(f"notebook {n!r} matches {len(hits)} notebooks; give a number, a name or a file name: {known}")
        out.append(hits[0])
    return list(dict.fromkeys(out))


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

    Only readers' parameters are taken (:data:`analysis.params.PARAMETERS`, less the runner's own,
    :data:`RUNNER_PARAMETERS`).  A set may name a parameter that only some notebooks take
    (``scenario`` is not a network parameter); a name that no notebook of the project takes, or a
    ``-p`` override that no selected notebook takes, is an error.  A ``-p`` value that changes what
    a set would run makes a set of its own (:func:`derive`): a set's folder and title never name
    values it did not run with.
    """
    from ..params import ParameterError
    from .cache import source_digest

    source = source_digest()
    overrides = _absolute_case(overrides or {})
    declared = {nb: notebook_parameters(nb, cache) for nb in notebooks}
    selected = set().union(*declared.values()) if declared else set()
    others = find_notebooks(project) if project is not None else []
    known = set(selected).union(*(notebook_parameters(nb, cache) for nb in others))
    errors = [f"-p: {e}" for e in _refused(overrides, selected, "the selected notebooks take")]
    readers = {k: v for k, v in overrides.items() if not _refused({k: v}, selected, "")}
    checked_overrides: dict[str, Any] = {}
    try:
        checked_overrides = _check_values(readers, cache, source)
    except ParameterError as exc:
        errors.append(f"-p: {exc}")
    overrides_ok = not errors
    defaults = {k: v for nb in reversed(notebooks) for k, v in declared[nb].items()}
    checked_sets: dict[str, dict[str, Any]] = {}
    final_sets: dict[str, ParamSet] = {}
    for ps in sets:
        where = ps.path or ps.slug
        problems = _refused(ps.values, known, "the notebooks take")
        errors += [f"{where}: {e}" for e in problems]
        own = _absolute_case({k: v for k, v in ps.values.items() if k in known and not _refused({k: v}, known, "")})
        try:
            own_checked = _check_values(own, cache, source)
            if overrides_ok and not problems:
                merged = _check_values({**own, **readers}, cache, source)
                derived = derive(ps, own_checked, checked_overrides, defaults)
                if derived.slug in checked_sets and checked_sets[derived.slug] != merged:
                    errors.append(f"two parameter sets share the name {derived.slug}")
                final_sets.setdefault(derived.slug, derived)
                checked_sets[derived.slug] = merged
        except ParameterError as exc:
            errors.append(f"{where}: {exc}")
    slugs = [ps.slug for ps in sets]
    dup = sorted({s for s in slugs if slugs.count(s) > 1})
    if dup:
        errors.append(f"two parameter sets share the name {', '.join(dup)}")
    if errors:
        raise RunError("\n".join(dict.fromkeys(errors)))
    jobs = []
    for ps in final_sets.values():
        for nb in (nb for nb in notebooks if ps.takes(nb)):
            values = {k: v for k, v in checked_sets[ps.slug].items() if k in declared[nb]}
            values.update(_resolved_defaults(declared[nb], values))
            case = values.get("case", declared[nb].get("case"))
            many = values.get("cases", declared[nb].get("cases")) or ()
            many = tuple(str(c) for c in (many if isinstance(many, list | tuple) else str(many).split(",")))
            case = case if isinstance(case, str) else None
            jobs.append(Job(nb, ps, values, case=case, declared=tuple(declared[nb]), cases=many))
    return jobs


def _refused(values: dict[str, Any], takes: set[str], whose: str) -> list[str]:
    """Why each name of ``values`` is not a reader's parameter that a notebook takes (empty: all are)."""
    from ..params import PARAMETERS

    readers = sorted(n for n in takes if n in PARAMETERS and n not in RUNNER_PARAMETERS)
    problems = []
    for name in sorted(values):
        if name in RUNNER_PARAMETERS:
            problems.append(f"{name!r} is set by the runner, not by a reader: {RUNNER_PARAMETERS[name]}")
        elif name not in PARAMETERS or name not in takes:
            problems.append(f"unknown parameter {name!r}; {whose} {', '.join(readers)}")
    return problems


def _same(name: str, a: Any, b: Any) -> bool:
    """Two checked values of one parameter mean the same (a case by id or by its folder's path is one case)."""
    if a == b:
        return True
    if name == "case" and isinstance(a, str) and isinstance(b, str):
        from ..cases import CaseError, resolve_case

        try:
            return resolve_case(a) == resolve_case(b)
        except CaseError:
            return False
    return False


def _show(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ",".join(str(v) for v in value)
    return str(value)


def derive(ps: ParamSet, own: dict[str, Any], overrides: dict[str, Any], defaults: dict[str, Any]) -> ParamSet:
    """The set that ``-p`` values make of ``ps``: ``ps`` itself when they change nothing it would run.

    A changed case names the set after the case run and every value of it (``<case>--lang-en--...``,
    titled with the case's title): the set's own name is about its own case.  Other changed values
    are added to the set's name (``spanish--scenario-low``) and title ("..., with scenario = low
    (the set has best)").
    """
    changed = {k: v for k, v in overrides.items() if not _same(k, own.get(k, defaults.get(k)), v)}
    if not changed:
        return ps
    values = {**ps.values, **overrides}
    if "case" in changed and "case" in own:
        from .index import case_title

        case = str(overrides["case"])
        shown = {k: v for k, v in sorted({**own, **overrides}.items()) if k != "case"}
        try:
            from ..cases import resolve_case

            folder = resolve_case(case)
            title = case_title(str(folder)) or folder.name
            name = folder.name
        except Exception:
            title = name = Path(case).name
        slug = slugify(name) + "".join(f"--{slugify(k)}-{slugify(_show(v))}" for k, v in shown.items())
        title = f"{title}: " + ", ".join(f"{k} = {_show(v)}" for k, v in shown.items()) if shown else title
        return ParamSet(slug, title, values, ps.path, ps.description, ps.notebooks)
    slug = ps.slug + "".join(f"--{slugify(k)}-{slugify(_show(v))}" for k, v in sorted(changed.items()))
    was = "; ".join(f"{k} = {_show(own.get(k, defaults.get(k)))}" for k in sorted(changed))
    title = f"{ps.title}, with " + ", ".join(f"{k} = {_show(v)}" for k, v in sorted(changed.items())) + f" (the set has {was})"
    return ParamSet(slug, title, values, ps.path, ps.description, ps.notebooks)


def _resolved_defaults(declared: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """The case(s) a notebook would pick for itself when a set names none (its ``case`` or ``cases`` default is None),
    given to it explicitly, so that the run's key and folder name the data it reads."""
    from ..params import check

    out: dict[str, Any] = {}
    for name in ("case", "cases"):
        if name in declared and values.get(name) is None and declared[name] is None:
            out[name] = check(name, None)
    return out
