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
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import interrupt
from .export import KERNEL, clean_notebook, to_html
from .interrupt import Interrupted, environ
from .plan import RunError

__all__ = ["Cluster", "Interrupted", "NotebookFailed", "Output", "Task", "execute_task"]


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
            for table in (work / f"{task.stem}.figures.html", work / f"{task.stem}.figures.csv"):  # its figures, to read
                if table.exists():
                    files[table.name] = table.read_bytes()
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


class Cluster:
    """A Dask client: on a local cluster made here (``scheduler=None``) or on ``scheduler``'s cluster.

    :meth:`start` opens it in a thread, so that it starts while the main process
    checks the cases; :meth:`run` waits for it.  The thread blocks SIGINT and SIGTERM
    before it starts anything, so that the workers it starts (and their kernels) never
    act on a terminal's Ctrl-C: this process does (:mod:`.interrupt`).  A local cluster's
    workers keep their scratch space in ``local_directory``.
    """

    def __init__(
        self, n_workers: int, scheduler: str | None = None, retries: int = 0, warm: bool = True, local_directory: Path | None = None
    ):
        self.n_workers = max(1, n_workers)
        self.scheduler = scheduler
        self.retries = retries
        self.warm = warm
        self.local_directory = local_directory
        self.futures: list[Any] = []
        self._failed: Any = None  # distributed's Status.failed, once distributed is imported
        self.token = secrets.token_hex(4)  # in task keys: two runs on one shared scheduler never share a task
        self.client: Any = None
        self.cluster: Any = None
        self.error: BaseException | None = None
        self.seconds = 0.0
        self._thread: threading.Thread | None = None

    def _open(self) -> None:
        with interrupt.blocked():
            self._open_blocked()

    def _open_blocked(self) -> None:
        start = time.perf_counter()
        try:
            import logging

            from distributed import Client, LocalCluster
            from distributed.core import Status

            self._failed = Status.failed

            if self.scheduler:
                self.client = Client(self.scheduler, timeout="20s")
            else:
                import dask

                where = str(self.local_directory) if self.local_directory else None
                with dask.config.set({"temporary-directory": where}):  # the scheduler's scratch space (in this process) too
                    self.cluster = LocalCluster(
                        n_workers=self.n_workers,
                        threads_per_worker=1,
                        processes=True,
                        host="127.0.0.1",
                        dashboard_address=None,
                        scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},  # its HTTP routes on a free port: 8787 may be taken
                        memory_limit=0,
                        silence_logs=logging.ERROR,
                        local_directory=where,
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

    def on_interrupt(self) -> None:
        """Before the processes end: a local cluster's nannies must not restart the workers; a remote one's tasks and kernels end.

        Imports nothing (see :mod:`.interrupt`): what it needs was imported by :meth:`start` and :meth:`_open`.
        """
        if self.cluster is not None and self._failed is not None:
            for nanny in list(getattr(self.cluster, "workers", {}).values()):
                with contextlib.suppress(Exception):
                    nanny.status = self._failed  # a worker that dies now is not restarted
        elif self.client is not None:
            with contextlib.suppress(Exception):
                self.client.cancel(self.futures, force=True)
            with contextlib.suppress(Exception):
                self.client.run(_shutdown_kernels, wait=False)  # the remote workers' kernels end; nothing here waits for them

    def start(self) -> Cluster:
        """Begin opening the cluster in the background."""
        interrupt.add_hook(self.on_interrupt)
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
        self.futures = list(futures)
        try:
            for fut in as_completed(list(futures)):
                on_result(futures[fut], _outcome(fut))
        except BaseException:
            self.client.cancel(list(futures), force=True)
            raise

    def close(self, timeout: float = 10) -> None:
        """Close the client and the local cluster (its worker processes end); idempotent."""
        interrupt.remove_hook(self.on_interrupt)
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


def _shutdown_kernels() -> None:
    """On a worker: shut its warm kernels down (kernel.shutdown, imported where it runs)."""
    from .kernel import shutdown

    shutdown()


def _outcome(fut: Any) -> Output:
    """A finished future's output, a failed notebook's output, or a failed task (its worker died, ...)."""
    if fut.status == "finished":
        return fut.result()
    exc = fut.exception()
    if isinstance(exc, NotebookFailed):
        return exc.output
    return Output(False, 0.0, error=f"the run could not finish: {type(exc).__name__}: {short_error(exc)}")
