"""A warm kernel per worker process: started and loaded once, cleared before each notebook.

A fresh kernel costs every run its start, the imports of pandas, Altair,
pandera and the package, and vl-convert's first chart (its JavaScript engine).
A worker instead keeps one kernel that did all of that once, and before each
notebook:

- clears it the way IPython's ``reset`` does (every name the last notebook made
  is gone; the execution count starts again at 1, so cells are numbered as in a
  fresh kernel);
- puts back the environment variables, ``sys.path`` and warning filters it had
  when warmed, and forgets which warnings were shown (they show again);
- moves it to the run's folder and points ``QALAMOUN_DATA`` at the run's data.

Imported modules stay (that is the point): the package keeps no state between
notebooks that changes an output (the tests compare warm runs with fresh
kernels byte for byte).  After a failed or timed-out notebook the kernel is
discarded, and the next run starts a new one.  ``qalamoun run --fresh-kernels``
gives each notebook a fresh kernel, as before, and so does a local run with no
more runs to do than workers (a warm kernel pays only from a worker's second).

The kernel is started by the first notebook a worker runs, so no kernel starts
before the pre-flight checks have passed, and only in the worker's task thread
(one event loop owns it).
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import os
import signal
from pathlib import Path
from typing import IO, Any

from .export import KERNEL

WARM_IMPORTS = (
    "analysis.params",
    "analysis.cases",
    "analysis.charts",
    "analysis.flows",
    "analysis.network",
    "analysis.timeline",
    "analysis.present",
    "analysis.compare",
    "pandera.pandas",  # loaded by the first case check
    "PIL.Image",  # loaded by the first PNG
)
_WARM = "from analysis.runner.kernel import in_kernel_warm as _w; _w({imports!r})"
_CLEAR = "from analysis.runner.kernel import in_kernel_clear as _c; _c({work!r}, {data!r})"
_AS_STARTED: dict[str, Any] = {}  # in the kernel: what in_kernel_clear puts back


def in_kernel_warm(imports: tuple[str, ...]) -> None:
    """Inside the kernel, once: note the state to restore before each notebook, import, draw a first chart."""
    import importlib
    import sys
    import warnings

    _AS_STARTED.update(environ=dict(os.environ), path=list(sys.path), filters=list(warnings.filters))
    for name in imports:
        importlib.import_module(name)
    import vl_convert

    vl_convert.vegalite_to_svg({"mark": "point", "data": {"values": [{"x": 1}]}, "encoding": {"x": {"field": "x"}}})


def in_kernel_clear(work: str, data: str) -> None:
    """Inside the kernel, before each notebook: the state it had when warmed, in ``work``, reading ``data``."""
    import sys
    import warnings

    from IPython import get_ipython

    os.environ.clear()
    os.environ.update(_AS_STARTED["environ"])
    os.environ["QALAMOUN_DATA"] = data
    sys.path[:] = _AS_STARTED["path"]
    warnings.filters[:] = _AS_STARTED["filters"]
    getattr(warnings, "_filters_mutated", lambda: None)()  # warnings already shown show again
    os.chdir(work)
    get_ipython().reset(new_session=True)


SOCKET_PATH_MAX = 90  # bytes: a Unix socket's path must stay under 104-108; the kernel adds "-N" to it


def socket_kernel_manager(folder: Path, **kwargs: Any) -> Any:
    """A kernel manager whose kernel listens on Unix sockets in ``folder`` rather than on TCP ports.

    jupyter_client chooses TCP ports by binding port 0 and letting go; another process
    starting a kernel or opening a connection in between can take the port first, and
    the kernel dies at start (jupyter/jupyter_client#487, papermill#511).  Socket files
    in a folder of the run's own have no such race.  Falls back to TCP where the path
    would be too long for a socket or there are no Unix sockets.  The manager keeps the
    clients it makes (:func:`close_clients`).
    """
    cls = _manager_class()
    ip = folder / "kernel"
    if os.name != "posix" or len(os.fsencode(ip)) > SOCKET_PATH_MAX:
        return cls(kernel_name=KERNEL, **kwargs)
    folder.mkdir(parents=True, exist_ok=True)
    return cls(kernel_name=KERNEL, transport="ipc", ip=str(ip), **kwargs)


@functools.cache
def _manager_class() -> type:
    from jupyter_client.manager import AsyncKernelManager

    class ClientKeepingKernelManager(AsyncKernelManager):  # type: ignore[misc]
        """Notes every client it makes: nbclient leaves open the client of a kernel manager it was given."""

        def client(self, **kwargs: Any) -> Any:
            kc = super().client(**kwargs)
            self.__dict__.setdefault("made_clients", []).append(kc)
            return kc

    return ClientKeepingKernelManager


def close_clients(km: Any) -> None:
    """Stop the channels (and heartbeat thread) of every client ``km`` made so far (papermill's, one per notebook)."""
    for kc in km.__dict__.pop("made_clients", []):
        with contextlib.suppress(Exception):
            kc.stop_channels()


class KernelSetupError(RuntimeError):
    """The warm kernel could not be started or prepared."""


class WarmKernel:
    """One kernel kept for every notebook this process runs; see the module's docstring."""

    def __init__(self, log_path: Path):
        self.log_path = log_path
        self.km: Any = None
        self.kc: Any = None
        self.started_at = 0  # where this kernel's lines begin in the log (a kernel replaced after a failure appends)
        self._log: IO[bytes] | None = None

    def _start(self) -> None:
        from jupyter_core.utils import run_sync

        self.started_at = self.log_size()
        self._log = self.log_path.open("ab")
        env = {k: v for k, v in os.environ.items() if k != "QALAMOUN_DATA"}
        self.km = socket_kernel_manager(self.log_path.parent)  # before the start: a start that fails is still shut down
        run_sync(self.km.start_kernel)(
            extra_arguments=["--HistoryManager.hist_file=:memory:"], env=env, cwd=str(self.log_path.parent), stderr=self._log
        )
        self._execute(_WARM.format(imports=WARM_IMPORTS), timeout=300)

    def _execute(self, code: str, timeout: float) -> None:
        """Run ``code`` outside any notebook (no history, no execution count); raise if it fails."""
        if self.kc is None:  # one client for the kernel's life: a new one would wait for the kernel to answer again
            self.kc = self.km.blocking_client()
            self.kc.start_channels()
            self.kc.wait_for_ready(timeout=60)
        reply = self.kc.execute_interactive(code, store_history=False, allow_stdin=False, timeout=timeout, output_hook=lambda msg: None)
        content = reply.get("content", {})
        if content.get("status") != "ok":
            raise KernelSetupError(f"{content.get('ename', 'error')}: {content.get('evalue', '')}")

    def prepare(self, work: Path, data: Path) -> Any:
        """The kernel manager, its kernel cleared, in ``work`` with ``QALAMOUN_DATA=data``; starts the kernel if needed."""
        if self.km is None or not _alive(self.km):
            self.discard()
            self._start()
        self._execute(_CLEAR.format(work=str(work), data=str(data)), timeout=60)
        return self.km

    def log_size(self) -> int:
        """Bytes written to the kernel's log so far (a run's own lines are what follows)."""
        return self.log_path.stat().st_size if self.log_path.exists() else 0

    def log_since(self, offset: int) -> bytes:
        """What the kernel wrote to its log since ``offset``."""
        if not self.log_path.exists():
            return b""
        with self.log_path.open("rb") as fh:
            fh.seek(offset)
            return fh.read()

    def discard(self) -> None:
        """Shut the kernel down now (after a failure, or when the worker is done); the next run starts a new one."""
        km, self.km, kc, self.kc = self.km, None, self.kc, None
        if kc is not None:
            with contextlib.suppress(Exception):
                kc.stop_channels()
        if km is not None:
            shut(km)
        if self._log is not None:
            self._log.close()
            self._log = None


def shut(km: Any) -> None:
    """Close the clients ``km`` made and shut its kernel down now (killing the process if the manager cannot).

    A manager whose kernel never started has its connection and socket files removed.
    """
    from jupyter_core.utils import run_sync

    close_clients(km)
    if not km.has_kernel:
        with contextlib.suppress(Exception):
            km.cleanup_connection_file()
            km.cleanup_ipc_files()
        return
    try:
        run_sync(km.shutdown_kernel)(now=True)
    except Exception:  # from another thread's loop, or already gone: end the process itself
        with contextlib.suppress(Exception):
            os.kill(km.provisioner.pid, signal.SIGKILL)


def _alive(km: Any) -> bool:
    from jupyter_core.utils import run_sync

    try:
        return bool(run_sync(km.is_alive)())
    except Exception:
        return False


_KERNELS: dict[int, WarmKernel] = {}  # by task thread: a worker with several threads keeps one kernel for each


def warm_kernel() -> WarmKernel:
    """The calling thread's warm kernel (its log in a private temporary folder), made on first use."""
    import tempfile
    import threading

    ident = threading.get_ident()
    if ident not in _KERNELS:
        if not _KERNELS:
            atexit.register(shutdown)
        _KERNELS[ident] = WarmKernel(Path(tempfile.mkdtemp(prefix="qalamoun-kernel-")) / "kernel.log")
    return _KERNELS[ident]


def shutdown() -> None:
    """Shut every warm kernel of this process down and remove their folders (idempotent)."""
    import shutil

    while _KERNELS:
        _, kernel = _KERNELS.popitem()
        kernel.discard()
        shutil.rmtree(kernel.log_path.parent, ignore_errors=True)
