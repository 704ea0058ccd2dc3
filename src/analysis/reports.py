"""Parameterized reports: run every notebook x parameter set with papermill, render offline HTML, index them.

Layout of the output folder (written to a temporary folder beside it and moved
into place only when complete)::

    reports/index.html                 every notebook x set, its parameters and status
    reports/<set-slug>/<notebook>.ipynb
    reports/<set-slug>/<notebook>.html  self-contained: SVG charts, no script from the network
    reports/<set-slug>/<notebook>.summary.json
    reports/<set-slug>/summary.json    the set's summaries keyed by notebook

Parameter values are checked against each notebook's parameters before any
kernel starts; a failing notebook does not stop the others.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import html
import json
import multiprocessing
import os
import re
import shutil
import tempfile
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .params import PARAMETERS, ParameterError, check_all

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS_DIR = ROOT / "notebooks"
PARAMS_DIR = ROOT / "params"
KERNEL = "python3"
_VOLATILE_META = ("papermill", "execution", "ExecuteTime", "collapsed", "scrolled")


class RunError(ValueError):
    """Parameters or notebooks that cannot be run (nothing was started)."""


@dataclass(frozen=True)
class ParamSet:
    """A named set of parameter values, from a YAML file in ``params/``."""

    slug: str
    title: str
    values: dict[str, Any]
    path: str = ""
    description: str = ""


@dataclass(frozen=True)
class Job:
    """One notebook to run with one parameter set."""

    notebook: Path
    param_set: ParamSet
    values: dict[str, Any]

    @property
    def name(self) -> str:
        return f"{self.param_set.slug}/{self.notebook.stem}"


@dataclass
class JobResult:
    """What became of a job."""

    job: Job
    ok: bool
    seconds: float
    error: str = ""
    summary: dict[str, Any] = field(default_factory=dict)


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
    return ParamSet(
        slug=slugify(path.stem),
        title=str(data.get("title", path.stem)),
        values=dict(data.get("parameters") or {}),
        path=str(path),
        description=str(data.get("description", "")),
    )


def default_param_sets() -> list[Path]:
    """The YAML files of ``params/``, sorted."""
    return sorted(PARAMS_DIR.glob("*.yaml"))


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


def find_notebooks(names: list[str] | None = None) -> list[Path]:
    """Notebooks by name or stem (``02``, ``02_actor_network``, a path), or all of ``notebooks/``."""
    every = sorted(NOTEBOOKS_DIR.glob("[0-9]*.ipynb"))
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


def notebook_parameters(path: Path) -> dict[str, Any]:
    """The names and defaults of a notebook's tagged ``parameters`` cell."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    cells = [c for c in nb.cells if c.cell_type == "code" and "parameters" in c.metadata.get("tags", [])]
    if not cells:
        raise RunError(f"{path.name}: no code cell tagged 'parameters'")
    names: dict[str, Any] = {}
    for line in cells[0].source.splitlines():
        m = re.match(r"^([A-Za-z_]\w*)\s*=\s*(.+?)(\s+#.*)?$", line)
        if m:
            import ast

            names[m.group(1)] = ast.literal_eval(m.group(2))
    return names


def plan(notebooks: list[Path], sets: list[ParamSet], overrides: dict[str, Any] | None = None) -> list[Job]:
    """Jobs for every notebook x set; every value checked first, all errors reported at once.

    A set may name a parameter that only some notebooks take (``scenario`` is
    not a network parameter); a name that no notebook of the package takes, or
    a ``-p`` override that no selected notebook takes, is an error.
    """
    overrides = overrides or {}
    declared = {nb: notebook_parameters(nb) for nb in notebooks}
    selected = set().union(*declared.values()) if declared else set()
    known = set(selected).union(*(notebook_parameters(nb) for nb in find_notebooks()))
    errors = []
    for name in sorted(overrides):
        if name not in selected:
            errors.append(f"-p: unknown parameter {name!r}; the notebooks take {', '.join(sorted(selected))}")
    try:
        check_all({k: v for k, v in overrides.items() if k in PARAMETERS})
    except ParameterError as exc:
        errors.append(f"-p: {exc}")
    overrides_ok = not errors
    checked_sets: dict[str, dict[str, Any]] = {}
    for ps in sets:
        where = ps.path or ps.slug
        for name in sorted(ps.values):
            if name not in known:
                errors.append(f"{where}: unknown parameter {name!r}; the notebooks take {', '.join(sorted(known))}")
        own = {k: v for k, v in ps.values.items() if k in known and k not in overrides}
        try:
            check_all(own)
            if overrides_ok:
                checked_sets[ps.slug] = check_all({**own, **{k: v for k, v in overrides.items() if k in PARAMETERS}})
        except ParameterError as exc:
            errors.append(f"{where}: {exc}")
    for values in checked_sets.values():  # kernels run in the output folder: a case given as a relative path must be absolute
        case = values.get("case")
        if isinstance(case, str) and not Path(case).is_absolute() and (Path(case) / "datapackage.json").is_file():
            values["case"] = str(Path(case).resolve())
    jobs = []
    if not errors:
        for ps in sets:
            for nb in notebooks:
                jobs.append(Job(nb, ps, {k: v for k, v in checked_sets[ps.slug].items() if k in declared[nb]}))
    slugs = [ps.slug for ps in sets]
    dup = sorted({s for s in slugs if slugs.count(s) > 1})
    if dup:
        errors.append(f"two parameter sets share the name {', '.join(dup)}")
    if errors:
        raise RunError("\n".join(dict.fromkeys(errors)))
    return jobs


def clean_notebook(nb: Any) -> Any:
    """Drop timestamps and run-specific metadata so that stored notebooks are stable.

    Execution counts stay: they are sequential in a fresh kernel, and nbval
    expects a cell with outputs to have one.
    """
    for key in _VOLATILE_META:
        nb.metadata.pop(key, None)
    for cell in nb.cells:
        for key in _VOLATILE_META:
            cell.metadata.pop(key, None)
    nb.metadata.get("kernelspec", {}).update({"name": KERNEL, "display_name": "Python 3 (ipykernel)", "language": "python"})
    return nb


_SCRIPT_SRC = re.compile(r"<script[^>]*\bsrc=\"[^\"]*\"[^>]*>\s*</script>", re.S)
_SCRIPT_MODULE = re.compile(r"<script type=\"module\">.*?</script>", re.S)
_SCRIPT_MATHJAX = re.compile(r"<script type=\"text/x-mathjax-config\">.*?</script>", re.S)


def to_html(nb: Any, title: str) -> str:
    """Self-contained HTML: the lab template without any script loaded from the network."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab", require_js_url="", mathjax_url="", mermaid_js_url="")
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    body = _SCRIPT_SRC.sub("", body)
    body = _SCRIPT_MODULE.sub("", body)
    body = _SCRIPT_MATHJAX.sub("", body)
    return body


def run_job(job: Job, out_dir: str, timeout: int) -> JobResult:
    """Execute one notebook with papermill into ``out_dir/<set>/``; never raises."""
    import nbformat
    import papermill as pm

    start = time.perf_counter()
    target = Path(out_dir) / job.param_set.slug
    target.mkdir(parents=True, exist_ok=True)
    ipynb = target / f"{job.notebook.stem}.ipynb"
    summary_path = target / f"{job.notebook.stem}.summary.json"
    params = dict(job.values)
    if "summary_path" in notebook_parameters(job.notebook):
        params["summary_path"] = summary_path.name  # the kernel runs in the output folder: no temporary path is shown
    error = ""
    try:
        pm.execute_notebook(
            str(job.notebook),
            str(ipynb),
            parameters=params,
            kernel_name=KERNEL,
            cwd=str(target),
            execution_timeout=timeout,
            progress_bar=False,
            log_output=False,
            request_save_on_cell_execute=False,
        )
    except Exception as exc:  # the notebook failed: keep its partial output and say why
        error = _short_error(exc)
    try:
        if ipynb.exists():
            nb = nbformat.read(ipynb, as_version=4)
            nb.metadata["qalamoun"] = {"parameter_set": job.param_set.slug, "parameters": _jsonable(job.values)}
            nbformat.write(clean_notebook(nb), ipynb)
            (target / f"{job.notebook.stem}.html").write_text(to_html(nb, job.notebook.stem), encoding="utf-8")
    except Exception as exc:
        error = error or f"rendering failed: {_short_error(exc)}"
    summary = {}
    if summary_path.exists():
        summary = json.loads(summary_path.read_text(encoding="utf-8"))
    elif not error:
        error = "the notebook wrote no summary.json"
    return JobResult(job, ok=not error, seconds=round(time.perf_counter() - start, 2), error=error, summary=summary)


def _short_error(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    lines = [ln for ln in text.splitlines() if ln.strip()]
    # papermill's error names the exception and message at the end of its text
    tail = [ln for ln in lines if re.match(r"^\w*(Error|Exception|Timeout)\b", ln)]
    head = lines[0] if lines else type(exc).__name__
    msg = tail[-1] if tail else head
    return re.sub(r"\x1b\[[0-9;]*m", "", msg)[:500]


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(values, default=str))


@contextlib.contextmanager
def _stderr_to(path: Path) -> Iterator[None]:
    """Send this process's stderr (file descriptor 2, which kernels inherit) to ``path`` for the duration."""
    path.parent.mkdir(parents=True, exist_ok=True)
    saved = os.dup(2)
    with path.open("wb") as fh:
        os.dup2(fh.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)


def _run_job_safe(args: tuple[Job, str, int]) -> JobResult:
    """Run a job in a worker process, its kernel's log going to a file kept only when the job fails."""
    job, out_dir, timeout = args
    log = Path(out_dir) / job.param_set.slug / f"{job.notebook.stem}.kernel.log"
    with _stderr_to(log):
        try:
            result = run_job(job, out_dir, timeout)
        except Exception:  # pragma: no cover - last resort, keeps the other jobs going
            result = JobResult(job, ok=False, seconds=0.0, error=traceback.format_exc(limit=2)[-500:])
    if result.ok:
        log.unlink(missing_ok=True)
    return result


def run(jobs: list[Job], out: Path, n_jobs: int = 0, timeout: int = 600, progress: bool = True) -> list[JobResult]:
    """Run the jobs (in parallel up to ``n_jobs``), write the index, then move the folder into place."""
    from tqdm import tqdm

    out = Path(out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    n_jobs = n_jobs or os.cpu_count() or 1
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    results: list[JobResult] = []
    try:
        bar = tqdm(total=len(jobs), desc="notebooks", unit="nb", disable=not progress)
        ctx = multiprocessing.get_context("spawn")
        with cf.ProcessPoolExecutor(max_workers=min(n_jobs, max(len(jobs), 1)), mp_context=ctx) as pool:
            futures = {pool.submit(_run_job_safe, (job, str(tmp), timeout)): job for job in jobs}
            for fut in cf.as_completed(futures):
                results.append(fut.result())
                bar.set_postfix_str(futures[fut].name)
                bar.update(1)
        bar.close()
        order = {j.name: i for i, j in enumerate(jobs)}
        results.sort(key=lambda r: order[r.job.name])
        for slug in dict.fromkeys(r.job.param_set.slug for r in results):
            merged = {r.job.notebook.stem: r.summary for r in results if r.job.param_set.slug == slug}
            (tmp / slug / "summary.json").write_text(json.dumps(merged, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        (tmp / "index.html").write_text(index_html(results), encoding="utf-8")
        _move_into_place(tmp, out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return results


def _move_into_place(tmp: Path, out: Path) -> None:
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        out.rename(old)
    tmp.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def index_html(results: list[JobResult]) -> str:
    """The report index: one row per notebook x set with its parameters, status and links (all text escaped)."""
    e = html.escape
    rows = []
    for r in results:
        slug, stem = r.job.param_set.slug, r.job.notebook.stem
        params = ", ".join(f"{k}={v!r}" for k, v in sorted(r.job.values.items())) or "defaults"
        status = "succeeded" if r.ok else "failed"
        links = f'<a href="{e(slug)}/{e(stem)}.html">HTML</a> · <a href="{e(slug)}/{e(stem)}.ipynb">notebook</a>' + (
            f' · <a href="{e(slug)}/{e(stem)}.summary.json">summary</a>' if r.summary else ""
        )
        err = f'<div class="err">{e(r.error)}</div>' if r.error else ""
        rows.append(
            f'<tr class="{status}"><td>{e(r.job.param_set.title)}<div class="slug">{e(slug)}</div></td>'
            f"<td>{e(stem)}</td><td><code>{e(params)}</code></td>"
            f'<td class="status">{status}{err}</td><td>{r.seconds:.1f} s</td><td>{links}</td></tr>'
        )
    n_ok = sum(r.ok for r in results)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Qalamoun reports</title>
<style>
body {{ font-family: DejaVu Sans, Helvetica, Arial, sans-serif; margin: 2rem; color: #222; }}
table {{ border-collapse: collapse; width: 100%; }} th, td {{ text-align: left; padding: .45rem .6rem; border-bottom: 1px solid #ddd;
vertical-align: top; }} tr.failed td.status {{ color: #b00020; font-weight: 600; }} tr.succeeded td.status {{ color: #1b7a3a; }}
.slug {{ color: #777; font-size: .85em; }} .err {{ font-weight: normal; font-family: monospace; font-size: .85em; }}
code {{ font-size: .85em; }}
</style></head><body>
<h1>Qalamoun reports</h1>
<p id="tally">{n_ok} of {len(results)} notebook runs succeeded.</p>
<table><thead><tr><th>Parameter set</th><th>Notebook</th><th>Parameters</th><th>Status</th><th>Time</th><th>Output</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table></body></html>
"""


def execute_stored(notebooks: list[Path], timeout: int = 600) -> None:
    """Re-execute the stored notebooks in place from their default parameters and clean them (for committing)."""
    import nbformat
    import papermill as pm

    for nb_path in notebooks:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / nb_path.name
            log = Path(tmp) / "kernel.log"
            try:
                with _stderr_to(log):
                    pm.execute_notebook(
                        str(nb_path), str(out), kernel_name=KERNEL, cwd=str(nb_path.parent), execution_timeout=timeout, progress_bar=False
                    )
            except Exception as exc:
                tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
                raise RunError(f"{nb_path.name} failed: {_short_error(exc)}\nkernel log:\n{tail}") from exc
            nb = clean_notebook(nbformat.read(out, as_version=4))
            # papermill adds an 'injected-parameters' cell only when parameters are given: none here
            nbformat.write(nb, nb_path)
