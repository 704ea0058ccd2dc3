"""Execute runs on Dask ``distributed``: a local cluster made in this process, or an existing one.

A :class:`Task` carries everything a worker needs as bytes (the notebook, the
case's files and the basemap), and :func:`execute_task` returns every output as
bytes (:class:`Output`): workers need no shared file system, and the main process
writes the report tree.  Each worker process is started once per run and does
every run that falls to it, its imports and HTML exporter kept warm, and runs
each notebook in its warm kernel (:mod:`analysis.runner.kernel`), cleared before
each one; ``Task.warm=False`` (``--fresh-kernels``, or a local run with no more runs
than workers) gives a notebook a fresh kernel.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .export import KERNEL, clean_notebook, to_html
from .plan import RunError


@dataclass(frozen=True)
class Task:
    """One run as a worker gets it: inputs as bytes, parameters, settings."""

    name: str
    stem: str
    notebook: bytes
    parameters: dict[str, Any]
    metadata: dict[str, Any]
    data: dict[str, bytes] = field(default_factory=dict)
    timeout: int = 600
    show_code: bool = False
    warm: bool = True  # run in the worker's warm kernel (runner.kernel); False: a fresh kernel


@dataclass
class Output:
    """What a run produced: files by name (bytes), its summary, error, seconds and where the time went."""

    ok: bool
    seconds: float
    files: dict[str, bytes] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)
    error: str = ""
    timings: dict[str, float] = field(default_factory=dict)


class NotebookFailed(Exception):
    """Raised by a task whose notebook failed, so that Dask retries it; carries the output."""

    def __init__(self, output: Output):
        super().__init__(output.error)
        self.output = output

    def __reduce__(self) -> tuple[Any, ...]:
        return (NotebookFailed, (self.output,))


class Interrupted(Exception):
    """SIGINT or SIGTERM reached the main process."""


def short_error(exc: BaseException) -> str:
    """The last ``...Error: message`` line of an exception's text, without colour codes."""
    text = str(exc).strip() or type(exc).__name__
    lines = [ln for ln in text.splitlines() if ln.strip()]
    tail = [ln for ln in lines if re.match(r"^\w*(Error|Exception|Timeout)\b", ln)]
    msg = tail[-1] if tail else (lines[0] if lines else type(exc).__name__)
    return re.sub(r"\x1b\[[0-9;]*m", "", msg)[:500]


@contextlib.contextmanager
def stderr_to(path: Path) -> Iterator[None]:
    """Send this process's stderr (file descriptor 2, which kernels inherit) to ``path`` for the duration."""
    saved = os.dup(2)
    with path.open("wb") as fh:
        os.dup2(fh.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)


@contextlib.contextmanager
def environ(**values: str) -> Iterator[None]:
    """Set environment variables (inherited by kernels) for the duration."""
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _write_inputs(task: Task, work: Path) -> Path:
    for rel, data in task.data.items():
        path = work / "data" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    (work / "data").mkdir(exist_ok=True)
    src = work / "input.ipynb"
    src.write_bytes(task.notebook)
    return src


def _papermill(task: Task, src: Path, out: Path, work: Path, km: Any = None) -> str:
    import papermill as pm

    extra = {"km": km} if km is not None else {}
    try:
        pm.execute_notebook(
            str(src),
            str(out),
            parameters=task.parameters,
            kernel_name=KERNEL,
            cwd=str(work),
            execution_timeout=task.timeout,
            progress_bar=False,
            log_output=False,
            request_save_on_cell_execute=False,
            **extra,
        )
    except Exception as exc:  # the notebook failed: keep its partial output and say why
        return short_error(exc)
    return ""


def _cell_timings(nb: Any) -> tuple[float, float]:
    """Seconds of the first code cell after the parameters (imports, loading the case) and of all the others."""
    durations = [
        float(c.metadata.get("papermill", {}).get("duration") or 0.0)
        for c in nb.cells
        if c.cell_type == "code" and not {"parameters", "injected-parameters"} & set(c.metadata.get("tags", []))
    ]
    return (durations[0], sum(durations[1:])) if durations else (0.0, 0.0)


def _run_notebook(task: Task, src: Path, out: Path, work: Path, timings: dict[str, float]) -> tuple[str, bytes]:
    """Execute the notebook in the warm kernel or a fresh one; return the error (or "") and the kernel's log of this run."""
    t = time.perf_counter()
    error, log = _run_warm(task, src, out, work, timings) if task.warm else _run_fresh(task, src, out, work)
    timings["papermill"] = time.perf_counter() - t
    return error, log


def _run_warm(task: Task, src: Path, out: Path, work: Path, timings: dict[str, float]) -> tuple[str, bytes]:
    """In this worker thread's warm kernel, cleared first; a failure discards the kernel and keeps its whole log."""
    from .kernel import close_clients, warm_kernel

    t = time.perf_counter()
    kernel = warm_kernel()
    try:
        km = kernel.prepare(work, work / "data")
        error = ""
    except Exception as exc:
        km, error = None, f"the kernel could not be prepared: {short_error(exc)}"
    timings["kernel preparation"] = time.perf_counter() - t
    if not error:
        error = _papermill(task, src, out, work, km)
        close_clients(km)  # the notebook's client (papermill's); the kernel stays
    if not error:
        return "", b""
    log = kernel.log_since(kernel.started_at)  # all the kernel said, from its start
    kernel.discard()  # a failed or timed-out notebook may leave anything behind: the next run gets a new kernel
    return error, log


def _run_fresh(task: Task, src: Path, out: Path, work: Path) -> tuple[str, bytes]:
    """In a kernel of its own, shut down after; the kernel's stderr is the log."""
    from .kernel import shut, socket_kernel_manager

    log_path = work / "kernel.log"
    km = socket_kernel_manager(work / ".kernel")
    with environ(QALAMOUN_DATA=str(work / "data")), stderr_to(log_path):
        try:
            error = _papermill(task, src, out, work, km)
        finally:
            shut(km)
    return error, (log_path.read_bytes() if log_path.exists() else b"")


def execute_task(task: Task) -> Output:
    """Run one notebook (warm kernel or fresh) in a temporary folder; return its outputs as bytes. Never raises."""
    import nbformat

    start = time.perf_counter()
    timings: dict[str, float] = {}
    files: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory(prefix="qalamoun-run-") as tmp:
        work = Path(tmp)
        src = _write_inputs(task, work)
        out = work / f"{task.stem}.ipynb"
        error, log = _run_notebook(task, src, out, work, timings)
        try:
            if out.exists():
                nb = nbformat.read(out, as_version=4)
                timings["first cell"], timings["other cells"] = _cell_timings(nb)
                nb.metadata["qalamoun"] = task.metadata
                nb = clean_notebook(nb)
                files[out.name] = nbformat.writes(nb).encode() + b"\n"
                t = time.perf_counter()
                files[f"{task.stem}.html"] = to_html(nb, task.stem, task.show_code).encode()
                timings["html"] = time.perf_counter() - t
        except Exception as exc:
            error = error or f"rendering failed: {short_error(exc)}"
        summary_path = work / f"{task.stem}.summary.json"
        summary: dict[str, Any] = {}
        if summary_path.exists():
            files[summary_path.name] = summary_path.read_bytes()
            summary = _json(files[summary_path.name])
        elif not error:
            error = "the notebook wrote no summary.json"
        if error and log:
            files[f"{task.stem}.kernel.log"] = log
    spent = timings.get("first cell", 0.0) + timings.get("other cells", 0.0) + timings.get("kernel preparation", 0.0)
    timings["kernel start and papermill"] = timings["papermill"] - spent
    return Output(not error, round(time.perf_counter() - start, 2), files, summary, error, timings)


def _json(data: bytes) -> dict[str, Any]:
    import json

    try:
        value = json.loads(data)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def execute_or_raise(task: Task) -> Output:
    """The Dask task: :func:`execute_task`, raising :class:`NotebookFailed` on failure so that ``--retries`` applies."""
    output = execute_task(task)
    if not output.ok:
        raise NotebookFailed(output)
    return output


def warm_up() -> None:
    """Import what a run needs and build the HTML exporters once in this worker process."""
    import nbformat  # noqa: F401
    import papermill  # noqa: F401

    from .export import exporter

    exporter(False)
    exporter(True)


@contextlib.contextmanager
def interrupts_raise() -> Iterator[None]:
    """While inside, SIGINT and SIGTERM raise :class:`Interrupted` in the main thread."""

    def handler(signum: int, frame: Any) -> None:
        raise Interrupted(signal.Signals(signum).name)

    old = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, h in old.items():
            signal.signal(s, h)


class Cluster:
    """A Dask client: on a local cluster made here (``scheduler=None``) or on ``scheduler``'s cluster.

    :meth:`start` opens it in a thread, so that it starts while the main process
    checks the cases; :meth:`run` waits for it.
    """

    def __init__(self, n_workers: int, scheduler: str | None = None, retries: int = 0, warm: bool = True):
        self.n_workers = max(1, n_workers)
        self.scheduler = scheduler
        self.retries = retries
        self.warm = warm
        self.token = secrets.token_hex(4)  # in task keys: two runs on one shared scheduler never share a task
        self.client: Any = None
        self.cluster: Any = None
        self.error: BaseException | None = None
        self.seconds = 0.0
        self._thread: threading.Thread | None = None

    def _open(self) -> None:
        start = time.perf_counter()
        try:
            import logging

            from distributed import Client, LocalCluster

            if self.scheduler:
                self.client = Client(self.scheduler, timeout="20s")
            else:
                self.cluster = LocalCluster(
                    n_workers=self.n_workers,
                    threads_per_worker=1,
                    processes=True,
                    host="127.0.0.1",
                    dashboard_address=None,
                    memory_limit=0,
                    silence_logs=logging.ERROR,
                )
                self.client = Client(self.cluster)
            self.client.run(warm_up)
            self._same_package()
        except Exception as exc:
            self.error = exc
        self.seconds = time.perf_counter() - start

    def _same_package(self) -> None:
        """Refuse workers whose ``analysis`` source differs from this one's (their reports would differ)."""
        from .cache import source_digest

        mine = source_digest()
        other = sorted(addr for addr, digest in self.client.run(source_digest).items() if digest != mine)
        if other:
            raise RuntimeError(f"worker(s) {', '.join(other)} run a different version of the analysis package; install this one there")

    def start(self) -> Cluster:
        """Begin opening the cluster in the background."""
        self._thread = threading.Thread(target=self._open, name="qalamoun-cluster", daemon=True)
        self._thread.start()
        return self

    def wait(self) -> None:
        """Wait until the cluster is open; raise if it could not be."""
        if self._thread is None:
            self.start()
        assert self._thread is not None
        while self._thread.is_alive():
            self._thread.join(0.1)
        if self.error is not None:
            where = self.scheduler or "a local cluster"
            raise RunError(f"cannot use {where}: {short_error(self.error)}") from self.error

    def run(self, tasks: list[Task], on_result: Callable[[Task, Output], None]) -> None:
        """Submit every task; call ``on_result`` as each finishes (in completion order)."""
        from distributed import as_completed

        self.wait()
        futures = {
            self.client.submit(execute_or_raise, t, key=f"qalamoun-{self.token}-{i}-{t.name}", retries=self.retries, pure=False): t
            for i, t in enumerate(tasks)
        }
        try:
            for fut in as_completed(list(futures)):
                on_result(futures[fut], _outcome(fut))
        except BaseException:
            self.client.cancel(list(futures), force=True)
            raise

    def close(self, timeout: float = 10) -> None:
        """Close the client and the local cluster (its worker processes end); idempotent."""
        if self._thread is not None:
            self._thread.join(30)
        client, cluster, self.client, self.cluster = self.client, self.cluster, None, None
        with contextlib.suppress(Exception):
            if client is not None:
                from .kernel import shutdown

                client.run(shutdown, wait=True)  # remote workers outlive the run: their kernels must not
        with contextlib.suppress(Exception):
            if client is not None:
                client.close(timeout=timeout)
        with contextlib.suppress(Exception):
            if cluster is not None:
                cluster.close(timeout=timeout)


def _outcome(fut: Any) -> Output:
    """A finished future's output, a failed notebook's output, or a failed task (its worker died, ...)."""
    if fut.status == "finished":
        return fut.result()
    exc = fut.exception()
    if isinstance(exc, NotebookFailed):
        return exc.output
    return Output(False, 0.0, error=f"the run could not finish: {type(exc).__name__}: {short_error(exc)}")


def end_children(grace: float = 5.0, depth: int = 1) -> None:
    """End the processes this one started, ``depth`` levels down and below (2: the workers' kernels), and reap them.

    At depth 1 the multiprocessing resource tracker is stopped the way multiprocessing stops it (its pipe closed),
    everything else is terminated, then killed after ``grace`` seconds.
    """
    import psutil

    me = psutil.Process()
    procs = me.children(recursive=True)
    if depth > 1:
        procs = [p for p in procs if p not in me.children()]
    else:
        with contextlib.suppress(Exception):
            from multiprocessing import resource_tracker

            resource_tracker._resource_tracker._stop()  # type: ignore[attr-defined]
    procs = [p for p in procs if p.is_running()]
    for p in procs:
        with contextlib.suppress(psutil.Error):
            p.terminate()
    _, alive = psutil.wait_procs(procs, timeout=grace)
    for p in alive:
        with contextlib.suppress(psutil.Error):
            p.kill()
    psutil.wait_procs(alive, timeout=grace)
