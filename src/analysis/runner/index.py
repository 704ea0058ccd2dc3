"""The report index, written from an autoescaped Jinja2 template (``templates/index.html.j2``)."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .plan import Job


@dataclass
class JobResult:
    """What became of a job: ``ok`` (ran now), ``cached`` (reused) or ``failed``."""

    job: Job
    status: str
    seconds: float = 0.0
    error: str = ""
    summary: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    files: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.status != "failed"


def show_value(value: Any) -> str:
    """A parameter value as text: strings as they are, ``None``, numbers and booleans as written in a parameter set."""
    if isinstance(value, str):
        return value
    if value is None or isinstance(value, bool | int | float):
        return str(value)
    return json.dumps(value, ensure_ascii=False, default=str)


def set_order(slug: str) -> tuple[bool, str]:
    """Sort key of parameter sets: ``default`` first, then by name."""
    return (slug != "default", slug)


@functools.cache
def case_title(folder: str) -> str:
    """The ``title`` of a case's ``datapackage.json`` ('' if it has none)."""
    try:
        return str(json.loads((Path(folder) / "datapackage.json").read_text(encoding="utf-8")).get("title", ""))
    except (OSError, ValueError, AttributeError):
        return ""


@functools.cache
def _template() -> Any:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(loader=PackageLoader("analysis.runner", "templates"), autoescape=True, undefined=StrictUndefined)
    return env.get_template("index.html.j2")


def index_html(results: list[JobResult], case_folders: dict[str, str] | None = None) -> str:
    """One row per notebook x set (sets ``default`` first): parameters as ``key = value``, case title, status, time, links."""
    case_folders = case_folders or {}
    rows = []
    for r in sorted(results, key=lambda r: (set_order(r.job.param_set.slug), r.job.notebook.stem)):
        folder = case_folders.get(r.job.case or "", "")  # a comparison of cases shows their names, without one title
        rows.append(
            {
                "status": r.status,
                "set_title": r.job.param_set.title,
                "slug": r.job.param_set.slug,
                "stem": r.job.notebook.stem,
                "case": r.job.case or ", ".join(r.job.case_names),
                "case_title": case_title(folder) if folder else "",
                "params": [f"{k} = {show_value(v)}" for k, v in sorted(r.job.values.items())],
                "error": r.error,
                "seconds": r.seconds,
                "summary": bool(r.summary),
                "log": any(f.endswith(".kernel.log") for f in r.files),
            }
        )
    return _template().render(rows=rows, n_ok=sum(r.ok for r in results), n_cached=sum(r.status == "cached" for r in results))
