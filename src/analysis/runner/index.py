"""The report index, written from an autoescaped Jinja2 template (``templates/index.html.j2``).

One row per report in the folder, run now or kept from an earlier run: its set, notebook,
case, parameters, the hash of its inputs, and its status this time (run, failed, cached,
kept; a kept report whose inputs have changed since is marked stale, saying what changed).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .output import Entry
from .plan import Job

STATUS_WORDS = {"ok": "run", "failed": "failed", "cached": "cached", "kept": "kept"}


@dataclass
class JobResult:
    """What became of a job this run: ``ok`` (ran now), ``cached`` (reused) or ``failed``; ``inputs`` is its run key."""

    job: Job
    status: str
    seconds: float = 0.0
    error: str = ""
    summary: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    files: tuple[str, ...] = ()
    inputs: str = ""
    parts: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status != "failed"


def entry_for(result: JobResult, show_code: bool = False, notebook_path: str = "") -> Entry:
    """The manifest's record of a report run (or reused) now."""
    job = result.job
    slug = job.param_set.slug
    return Entry(
        name=job.name,
        set=slug,
        set_title=job.param_set.title,
        notebook=job.notebook.stem,
        notebook_path=notebook_path or str(job.notebook),
        case="" if job.cases else (job.case or ""),
        cases=list(job.cases),
        parameters=json.loads(json.dumps(job.values, default=str)),
        show_code=show_code,
        inputs=result.inputs,
        parts=result.parts,
        outcome="failed" if result.status == "failed" else "ok",
        error=result.error,
        seconds=round(result.seconds, 2),
        files=[f"{slug}/{f}" for f in result.files],
        status=result.status,
    )


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


def _row(e: Entry, case_folders: dict[str, str]) -> dict[str, Any]:
    folder = case_folders.get(e.case, "") if e.case else ""  # a comparison of cases shows their names, without one title
    has = set(e.files)
    base = f"{e.set}/{e.notebook}"
    return {
        "status": e.status,
        "status_word": STATUS_WORDS.get(e.status, e.status),
        "outcome": e.outcome,
        "stale": e.stale,
        "set_title": e.set_title,
        "slug": e.set,
        "stem": e.notebook,
        "case": e.case or ", ".join(e.cases),
        "case_title": case_title(folder) if folder else "",
        "params": [f"{k} = {show_value(v)}" for k, v in sorted(e.parameters.items())],
        "inputs": e.inputs[:12],
        "inputs_full": e.inputs,
        "error": e.error,
        "seconds": e.seconds,
        "html": f"{base}.html" in has,
        "notebook": f"{base}.ipynb" in has,
        "summary": f"{base}.summary.json" in has,
        "log": f"{base}.kernel.log" in has,
    }


def index_page(entries: list[Entry], case_folders: dict[str, str] | None = None) -> str:
    """The index of every report in the folder (sets ``default`` first, then by name; notebooks in order)."""
    case_folders = case_folders or {}
    ordered = sorted(entries, key=lambda e: (set_order(e.set), e.notebook))
    rows = [_row(e, case_folders) for e in ordered]
    this_run = [e for e in entries if e.status != "kept"]
    kept = [e for e in entries if e.status == "kept"]
    return _template().render(
        rows=rows,
        n_run=len(this_run),
        n_ok=sum(e.status != "failed" for e in this_run),
        n_cached=sum(e.status == "cached" for e in this_run),
        n_kept=len(kept),
        n_stale=sum(bool(e.stale) for e in kept),
    )


def index_html(results: list[JobResult], case_folders: dict[str, str] | None = None) -> str:
    """The index of the reports of ``results`` alone (one row per notebook x set)."""
    return index_page([entry_for(r) for r in results], case_folders)
