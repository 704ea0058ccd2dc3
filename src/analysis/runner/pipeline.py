"""A report run from planned jobs to the report folder: cache, pre-flight, Dask, the tree, the index.

Order of work: read ``--out`` (refuse a folder the runner may not write to); key every
job and reuse what the cache holds (unless ``force``); start the cluster in the
background while every case of the remaining jobs is validated; run them; build the
new tree beside ``--out`` (the reports run now, and every other report already there,
linked); swap it in (:mod:`.output`).  SIGINT or SIGTERM stops all of it at any
moment (:mod:`.interrupt`): every process the run started ends, every temporary path
goes, and the report folder is as it was.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import interrupt, output, preflight
from .cache import Cache, digest_bytes, run_key, source_digest, tree_digest
from .execute import Cluster, Output, Task
from .index import JobResult, entry_for, index_page
from .output import Entry
from .plan import Job, RunError

PART_NAMES = {
    "notebook": "the notebook",
    "parameters": "the parameters",
    "case": "the case's files",
    "basemap": "the basemap",
    "source": "the analysis package",
    "show_code": "--show-code",
    "set": "the set's name",
}


class Keys:
    """Everything a run's key and task need from the file system, read once per run."""

    def __init__(self, data: Path):
        self.data = data
        self._digests: dict[Path, str] = {}
        self.basemap = tree_digest(data / "basemap")

    def case_folder(self, case: str | None) -> Path | None:
        """The folder of a case value (a path, or an id under the data folder)."""
        if case is None:
            return None
        path = Path(case)
        folder = path if path.is_absolute() else self.data / case
        if not (folder / "datapackage.json").is_file():
            raise RunError(f"unknown case {case!r}: no datapackage.json in {folder}")
        return folder

    def digest(self, folder: Path) -> str:
        if folder not in self._digests:
            self._digests[folder] = tree_digest(folder)
        return self._digests[folder]

    def parts(self, notebook: Path, values: dict[str, Any], slug: str, case_names: list[str] | tuple[str, ...], show_code: bool) -> dict:
        """The hash of each input of a run, by name; :func:`run_key` of them is the run's key."""
        folders = [self.case_folder(c) for c in case_names]
        return {
            "notebook": digest_bytes(notebook.read_bytes()),
            "parameters": json.loads(json.dumps(values, sort_keys=True, default=str)),
            "set": slug,
            "case": [self.digest(f) for f in folders if f] or None,
            "basemap": self.basemap,
            "source": source_digest(),
            "show_code": show_code,
        }

    def job_parts(self, job: Job, show_code: bool) -> dict:
        return self.parts(job.notebook, job.values, job.param_set.slug, job.case_names, show_code)

    def key(self, job: Job, show_code: bool) -> str:
        return run_key(self.job_parts(job, show_code))

    def data_files(self, job: Job) -> dict[str, bytes]:
        """The files a worker needs under its data folder: the case (when given by id) and the basemap."""
        files = {f"basemap/{p.relative_to(self.data / 'basemap').as_posix()}": p.read_bytes() for p in _files(self.data / "basemap")}
        for case in job.case_names:
            folder = self.case_folder(case)
            if folder is not None and not Path(case).is_absolute():
                files.update({f"{case}/{p.relative_to(folder).as_posix()}": p.read_bytes() for p in _files(folder)})
        return files

    def stale(self, entry: Entry, project: Path | None) -> str:
        """Why a kept report is out of date ('' when its inputs are as they were when it was built)."""
        if entry.stale or not entry.parts:
            return entry.stale or "its inputs were not recorded"
        path = Path(entry.notebook_path)
        if not path.is_absolute() and project is not None:
            path = project / path
        if not path.is_file():
            return f"its notebook {entry.notebook_path} is gone"
        try:
            now = self.parts(path, entry.parameters, entry.set, entry.case_names, entry.show_code)
        except RunError:
            return f"its case {', '.join(entry.case_names)} is gone"
        changed = [PART_NAMES.get(k, k) for k in sorted(now) if now[k] != entry.parts.get(k)]
        return f"{', '.join(changed)} changed" if changed else ""


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(values, default=str))


def task_for(job: Job, keys: Keys, timeout: int, show_code: bool, warm: bool = True) -> Task:
    """What a worker needs to run ``job``."""
    params = dict(job.values)
    if "summary_path" in job.declared:
        params["summary_path"] = f"{job.notebook.stem}.summary.json"  # relative to the kernel's folder: no temporary path is shown
    return Task(
        name=job.name,
        stem=job.notebook.stem,
        notebook=job.notebook.read_bytes(),
        parameters=params,
        metadata={"parameter_set": job.param_set.slug, "parameters": _jsonable(job.values)},
        data=keys.data_files(job),
        timeout=timeout,
        show_code=show_code,
        warm=warm,
    )


EXTENSIONS = (".ipynb", ".html", ".summary.json", ".figures.html", ".figures.csv", ".kernel.log")  # a report's files


def expected_paths(jobs: list[Job]) -> set[str]:
    """Every file a report of ``jobs`` may write (relative to ``--out``)."""
    paths = {output.INDEX, output.MARKER}
    for job in jobs:
        slug, stem = job.param_set.slug, job.notebook.stem
        paths |= {f"{slug}/{output.SET_SUMMARY}", *(f"{slug}/{stem}{ext}" for ext in EXTENSIONS)}
    return paths


def _write_files(folder: Path, files: dict[str, bytes]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)


def _where(path: Path, project: Path | None) -> str:
    """A notebook's path as the manifest keeps it: relative to the project when inside it."""
    try:
        return path.resolve().relative_to(project.resolve()).as_posix() if project else str(path.resolve())
    except ValueError:
        return str(path.resolve())


def run(
    jobs: list[Job],
    out: Path,
    *,
    data: Path,
    cache: Cache,
    n_jobs: int = 0,
    timeout: int = 600,
    progress: bool = True,
    force: bool = False,
    scheduler: str | None = None,
    retries: int = 0,
    show_code: bool = False,
    fresh_kernels: bool = False,
    replace: bool = False,
    project: Path | None = None,
    on_start: Callable[[int, int, int], None] | None = None,
    on_result: Callable[[JobResult], None] | None = None,
    on_note: Callable[[str], None] | None = None,
) -> list[JobResult]:
    """Run the jobs (reusing cached runs) and update the report folder; see the module's docstring.

    Every report already in ``out`` that is not run now is kept (``replace``: removed).  ``on_start`` is told
    how many runs will run, how many are cached and how many reports are kept; ``on_result`` gets each run's
    result as it ends; ``on_note`` what the run is doing before the notebooks start.
    """
    out = Path(out).resolve()
    folder = output.read(out)
    output.check_clash(folder, expected_paths(jobs))
    keys = Keys(data)
    parts = {job.name: keys.job_parts(job, show_code) for job in jobs}
    job_keys = {name: run_key(p) for name, p in parts.items()}
    hits = {} if force else {job.name: hit for job in jobs if (hit := cache.get(job_keys[job.name])) is not None}
    todo = [job for job in jobs if job.name not in hits]
    names = {job.name for job in jobs}
    kept = [] if replace else [e for name, e in sorted(folder.entries.items()) if name not in names]
    results: dict[str, JobResult] = {}

    def finished(result: JobResult) -> None:
        result.inputs, result.parts = job_keys[result.job.name], parts[result.job.name]
        results[result.job.name] = result
        if on_result is not None:
            on_result(result)

    with interrupt.raising():
        tmp = output.new_tree(out)
        try:
            if on_start is not None and not todo:
                on_start(0, len(hits), len(kept))
            for job in jobs:
                if job.name in hits:
                    finished(_reuse(job, hits[job.name], tmp))
            if todo:
                settings = Settings(n_jobs, timeout, progress, scheduler, retries, show_code, fresh_kernels)
                announce = (lambda: on_start(len(todo), len(hits), len(kept))) if on_start is not None else (lambda: None)
                _run_todo(todo, keys, job_keys, tmp, cache, finished, settings, announce, on_note or (lambda text: None))
            ordered = [results[job.name] for job in jobs]
            new = [entry_for(r, show_code, _where(r.job.notebook, project)) for r in ordered]
            kept = output.keep(folder, kept, tmp)
            for e in kept:
                e.stale = keys.stale(e, project)
            _finish(tmp, new + kept, keys, folder.user)
            output.commit(tmp, folder)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
            interrupt.unscratch(tmp)
    return ordered


@dataclass(frozen=True)
class Settings:
    """How the runs that are not cached are run (the options of ``qalamoun run``)."""

    n_jobs: int = 0
    timeout: int = 600
    progress: bool = True
    scheduler: str | None = None
    retries: int = 0
    show_code: bool = False
    fresh_kernels: bool = False


def _run_todo(
    todo: list[Job],
    keys: Keys,
    job_keys: dict[str, str],
    tmp: Path,
    cache: Cache,
    finished: Callable[[JobResult], None],
    settings: Settings,
    started: Callable[[], None],
    note: Callable[[str], None],
) -> None:
    """Start the cluster (in the background, while the cases are checked), run the jobs, close it."""
    n_workers = min(settings.n_jobs or os.cpu_count() or 1, len(todo))
    # a warm kernel pays from a worker's second notebook on; with one each (local), its loading is all cost
    warm = not settings.fresh_kernels and (settings.scheduler is not None or len(todo) > n_workers)
    private = interrupt.scratch(Path(tempfile.mkdtemp(prefix="qalamoun-run-")))  # the workers' TMPDIR: one rmtree cleans all
    try:
        if settings.scheduler is None:
            interrupt.start_tracker_quietly()
        with interrupt.private_tmp(private):
            cluster = Cluster(n_workers, settings.scheduler, settings.retries, warm=warm, local_directory=private / "dask")
            try:
                cluster.start()  # workers start while the cases are checked
                cases = sorted({c for job in todo for c in job.case_names})
                where = f"{n_workers} local worker(s) start" if settings.scheduler is None else f"connecting to {settings.scheduler}"
                note(f"checking {len(cases)} case(s) while {where}")
                preflight.check_cases(todo)
                started()
                _execute(cluster, todo, keys, job_keys, tmp, cache, settings, finished)
            finally:
                cluster.close()
    finally:
        shutil.rmtree(private, ignore_errors=True)
        interrupt.unscratch(private)


def _reuse(job: Job, hit: tuple[dict[str, Path], dict[str, Any]], tmp: Path) -> JobResult:
    files, record = hit
    folder = tmp / job.param_set.slug
    folder.mkdir(parents=True, exist_ok=True)
    for name, path in files.items():
        shutil.copyfile(path, folder / name)
    summary_file = files.get(f"{job.notebook.stem}.summary.json")
    summary = json.loads(summary_file.read_text(encoding="utf-8")) if summary_file else {}
    return JobResult(job, "cached", float(record.get("seconds", 0.0)), summary=summary, files=tuple(sorted(files)))


def _execute(
    cluster: Cluster,
    todo: list[Job],
    keys: Keys,
    job_keys: dict[str, str],
    tmp: Path,
    cache: Cache,
    settings: Settings,
    finished: Callable[[JobResult], None],
) -> None:
    import sys

    from tqdm import tqdm

    by_name = {job.name: job for job in todo}
    bar = tqdm(total=len(todo), desc="notebooks", unit="nb", disable=not settings.progress)
    interrupt.progress_bar(settings.progress and sys.stderr.isatty())

    def done(task: Task, out: Output) -> None:
        job = by_name[task.name]
        _write_files(tmp / job.param_set.slug, out.files)
        out.timings["workers start (once per run, beside the checks)"] = cluster.seconds
        if out.ok:
            cache.put(job_keys[job.name], out.files, {"seconds": out.seconds, "name": job.name, "timings": out.timings})
        bar.set_postfix_str(job.name)
        bar.update(1)
        finished(JobResult(job, "ok" if out.ok else "failed", out.seconds, out.error, out.summary, out.timings, tuple(sorted(out.files))))

    try:
        cluster.run([task_for(job, keys, settings.timeout, settings.show_code, cluster.warm) for job in todo], done)
    finally:
        bar.close()
        interrupt.progress_bar(False)


def _case_folders(entries: list[Entry], keys: Keys) -> dict[str, str]:
    folders: dict[str, str] = {}
    for e in entries:
        for case in e.case_names:
            if case not in folders:
                try:
                    folder = keys.case_folder(case)
                except RunError:
                    folder = None
                folders[case] = str(folder) if folder else ""
    return folders


def _finish(tmp: Path, entries: list[Entry], keys: Keys, user: list[str]) -> None:
    """Per-set summaries, the index and the manifest of every report now in ``tmp``."""
    output.set_summaries(tmp, entries)
    (tmp / output.INDEX).write_text(index_page(entries, _case_folders(entries, keys)), encoding="utf-8")
    output.write_manifest(tmp, entries, user)


def clean(
    out: Path,
    data: Path,
    *,
    sets: list[str] | None = None,
    notebooks: list[str] | None = None,
    stale: bool = False,
    project: Path | None = None,
) -> list[str]:
    """Remove reports the runner wrote in ``out`` (all, or those of ``sets`` / ``notebooks``, or the stale ones); return their names.

    Files the runner did not write stay; the index is rewritten for the reports left.  When nothing is left
    (no report, no file of anyone else's), the folder itself goes.
    """
    out = Path(out).resolve()
    folder = output.read(out)
    if not folder.entries and not folder.written:
        return []
    keys = Keys(data)
    entries = list(folder.entries.values())
    for e in entries:
        e.stale = keys.stale(e, project)

    def chosen(e: Entry) -> bool:
        return (
            (not sets or e.set in sets)
            and (not notebooks or any(e.notebook == n or e.notebook.startswith(n) or f"{e.notebook}.ipynb" == n for n in notebooks))
            and (not stale or bool(e.stale))
        )

    gone = [e for e in entries if chosen(e)]
    left = [e for e in entries if not chosen(e)]
    if not left and not folder.user:
        output.remove(folder)
        return sorted(e.name for e in gone)
    if not gone:
        return []
    with interrupt.raising():
        tmp = output.new_tree(out)
        try:
            left = output.keep(folder, left, tmp)
            if left:
                _finish(tmp, left, keys, folder.user)
            output.commit(tmp, folder)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
            interrupt.unscratch(tmp)
    return sorted(e.name for e in gone)


def execute_stored(notebooks: list[Path], data: Path, timeout: int = 600) -> None:
    """Re-execute the stored notebooks in place from their default parameters and clean them (for committing)."""
    import nbformat
    import papermill as pm

    from .execute import environ, short_error, stderr_to
    from .export import KERNEL, clean_notebook

    for nb_path in notebooks:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / nb_path.name
            log = Path(tmp) / "kernel.log"
            try:
                with environ(QALAMOUN_DATA=str(data)), stderr_to(log):
                    pm.execute_notebook(
                        str(nb_path), str(out), kernel_name=KERNEL, cwd=str(nb_path.parent), execution_timeout=timeout, progress_bar=False
                    )
            except Exception as exc:
                tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
                raise RunError(f"{nb_path.name} failed: {short_error(exc)}\nkernel log:\n{tail}") from exc
            # papermill adds an 'injected-parameters' cell only when parameters are given: none here
            nbformat.write(clean_notebook(nbformat.read(out, as_version=4)), nb_path)
