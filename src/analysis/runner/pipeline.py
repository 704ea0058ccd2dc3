"""A report run from planned jobs to the report folder: cache, pre-flight, Dask, the tree, the index.

Order of work: refuse an ``--out`` the runner may not replace; key every job and
reuse what the cache holds (unless ``force``); start the cluster in the background
while every case of the remaining jobs is validated; run them; write the tree in a
temporary folder and swap it in.  SIGINT or SIGTERM stops all of it: running
kernels and workers end, the temporary folder goes, the previous report stays.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import output, preflight
from .cache import Cache, run_key, source_digest, tree_digest
from .execute import Cluster, Interrupted, Output, Task, end_children, interrupts_raise
from .index import JobResult, index_html
from .plan import Job, RunError


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

    def key(self, job: Job, show_code: bool) -> str:
        folders = [self.case_folder(c) for c in job.case_names]
        return run_key(
            {
                "notebook": self.digest_file(job.notebook),
                "parameters": job.values,
                "set": job.param_set.slug,
                "case": [self.digest(f) for f in folders if f] or None,
                "basemap": self.basemap,
                "source": source_digest(),
                "show_code": show_code,
            }
        )

    def digest_file(self, path: Path) -> str:
        from .cache import digest_bytes

        return digest_bytes(path.read_bytes())

    def data_files(self, job: Job) -> dict[str, bytes]:
        """The files a worker needs under its data folder: the case (when given by id) and the basemap."""
        files = {f"basemap/{p.relative_to(self.data / 'basemap').as_posix()}": p.read_bytes() for p in _files(self.data / "basemap")}
        for case in job.case_names:
            folder = self.case_folder(case)
            if folder is not None and not Path(case).is_absolute():
                files.update({f"{case}/{p.relative_to(folder).as_posix()}": p.read_bytes() for p in _files(folder)})
        return files


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


def expected_paths(jobs: list[Job]) -> set[str]:
    """Every file a report of ``jobs`` may write (relative to ``--out``)."""
    paths = {"index.html", output.MARKER}
    for job in jobs:
        slug, stem = job.param_set.slug, job.notebook.stem
        paths |= {f"{slug}/summary.json", *(f"{slug}/{stem}{ext}" for ext in (".ipynb", ".html", ".summary.json", ".kernel.log"))}
    return paths


def _write_files(folder: Path, files: dict[str, bytes]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)


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
    on_start: Callable[[int, int], None] | None = None,
) -> list[JobResult]:
    """Run the jobs (reusing cached runs), write the report tree, move it into place; see the module's docstring."""
    out = Path(out).resolve()
    keep = output.check_out(out, expected_paths(jobs))
    keys = Keys(data)
    job_keys = {job.name: keys.key(job, show_code) for job in jobs}
    hits = {} if force else {job.name: hit for job in jobs if (hit := cache.get(job_keys[job.name])) is not None}
    todo = [job for job in jobs if job.name not in hits]
    out.parent.mkdir(parents=True, exist_ok=True)
    n_workers = min(n_jobs or os.cpu_count() or 1, len(todo))
    # a warm kernel pays from a worker's second notebook on; with one each (local), its loading is all cost
    warm = not fresh_kernels and (scheduler is not None or len(todo) > n_workers)
    cluster = Cluster(n_workers, scheduler, retries, warm=warm) if todo else None
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    umask = os.umask(0)
    os.umask(umask)
    tmp.chmod(0o777 & ~umask)  # a report folder as any other, not mkdtemp's private one
    results: dict[str, JobResult] = {}
    try:
        with interrupts_raise():
            try:
                if cluster is not None:
                    cluster.start()  # workers start while the cases are checked
                    preflight.check_cases(todo)
                if on_start is not None:
                    on_start(len(todo), len(hits))
                for job in jobs:
                    if job.name in hits:
                        results[job.name] = _reuse(job, hits[job.name], tmp)
                if cluster is not None:
                    _execute(cluster, todo, keys, job_keys, tmp, cache, timeout, show_code, progress, results)
                ordered = [results[job.name] for job in jobs]
                _finish(tmp, ordered, keys)
                output.move_into_place(tmp, out, keep)
            except Interrupted:
                if cluster is not None:
                    _stop(cluster)
                raise
            finally:
                if cluster is not None:
                    cluster.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return ordered


def _stop(cluster: Cluster) -> None:
    """After an interrupt: end the running kernels, close the cluster (its workers end), then end whatever is left."""
    import signal

    for s in (signal.SIGINT, signal.SIGTERM):  # a second signal must not cut the clean-up short
        signal.signal(s, signal.SIG_IGN)
    end_children(grace=3.0, depth=2)  # the kernels (children of the workers): the running tasks end at once
    cluster.close(timeout=5)
    end_children(grace=3.0)


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
    timeout: int,
    show_code: bool,
    progress: bool,
    results: dict[str, JobResult],
) -> None:
    from tqdm import tqdm

    by_name = {job.name: job for job in todo}
    bar = tqdm(total=len(todo), desc="notebooks", unit="nb", disable=not progress)

    def done(task: Task, out: Output) -> None:
        job = by_name[task.name]
        _write_files(tmp / job.param_set.slug, out.files)
        out.timings["workers start (once per run, beside the checks)"] = cluster.seconds
        if out.ok:
            cache.put(job_keys[job.name], out.files, {"seconds": out.seconds, "name": job.name, "timings": out.timings})
        results[job.name] = JobResult(
            job, "ok" if out.ok else "failed", out.seconds, out.error, out.summary, out.timings, tuple(sorted(out.files))
        )
        bar.set_postfix_str(job.name)
        bar.update(1)

    cluster.run([task_for(job, keys, timeout, show_code, cluster.warm) for job in todo], done)
    bar.close()


def _finish(tmp: Path, results: list[JobResult], keys: Keys) -> None:
    """Per-set summaries and the index."""
    for slug in dict.fromkeys(r.job.param_set.slug for r in results):
        merged = {r.job.notebook.stem: r.summary for r in results if r.job.param_set.slug == slug}
        (tmp / slug).mkdir(parents=True, exist_ok=True)
        (tmp / slug / "summary.json").write_text(json.dumps(merged, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    folders = {}
    for r in results:
        for case in r.job.case_names:
            if case not in folders:
                folder = keys.case_folder(case)
                folders[case] = str(folder) if folder else ""
    (tmp / "index.html").write_text(index_html(results, folders), encoding="utf-8")


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
