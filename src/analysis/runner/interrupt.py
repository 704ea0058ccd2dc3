"""SIGINT and SIGTERM at any moment of a run: everything the run started ends, everything it made goes, exit 130.

``qalamoun run`` calls :func:`install` first.  From then on a signal, whenever it
comes (checking the cases, starting the workers, mid-notebook, writing the HTML),
does the same, in a thread of its own so that nothing the main thread is doing
can delay or swallow it:

1. waits while the finished report is being swapped into place (a few renames,
   :func:`committing`), so the report folder holds the old report or the new one;
2. silences this process (its standard output and error go to ``/dev/null``), so
   that nothing the ending processes cause is printed (a kernel dying under its
   worker is not news);
3. freezes every descendant process (SIGSTOP: a frozen process starts nothing and
   prints nothing), again until no new one appears, then kills them all, and stops
   the multiprocessing resource tracker the way multiprocessing does (it unlinks
   what the workers left);
4. removes every temporary path the run registered (:func:`scratch`): the report
   tree being built, the run's private temporary folder (the workers' ``TMPDIR``,
   their kernels' folders and connection files, Dask's ``dask-scratch-space``), a
   cache entry being written;
5. prints ``interrupted`` and ends the process with status 130, without Python's
   own shutdown (whose atexit handlers would try to talk to the dead workers).

Workers are started with SIGINT and SIGTERM blocked (:func:`blocked`), so that
Ctrl-C in a terminal, which signals the whole process group, reaches only this
process; kernels run in sessions of their own (jupyter_client starts them so).

Called from Python rather than the command line (``install(exit_process=False)``,
or no :func:`install` at all: :func:`raising`), steps 3 and 4 run in the main
thread and :class:`Interrupted` is raised there instead of the process ending
(step 3 ends every process below this one, whoever started it).

The teardown takes no lock, imports nothing and starts no thread: the main thread,
which the signal interrupted, may hold the import lock, the logging lock or the
threading module's own lock, and wait in the handler for the end.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

SIGNALS = (signal.SIGINT, signal.SIGTERM)
EXIT_STATUS = 130
COMMIT_WAIT = 3.0  # seconds a signal waits for a report being swapped into place


class Interrupted(BaseException):
    """SIGINT or SIGTERM reached the main process (a BaseException: no ``except Exception`` swallows it)."""


class _State:
    def __init__(self) -> None:
        self.claim = threading.Lock()  # taken once, by whoever ends the run; never released
        self.ending = False  # the teardown has begun
        self.installed = False
        self.exit_process = False
        self.stopping = False
        self.committing = False
        self.pending: int | None = None
        self.scratch: dict[str, None] = {}  # paths to remove, in the order registered
        self.hooks: list[Callable[[], None]] = []
        self.progress_bar = False  # a progress bar holds the terminal's last line
        self.old_handlers: dict[int, Any] = {}
        self.wakeup: tuple[int, int] | None = None


_state = _State()


def install(exit_process: bool = True) -> None:
    """Handle SIGINT and SIGTERM from now on (main thread only); see the module's docstring."""
    if threading.current_thread() is not threading.main_thread():
        raise RuntimeError("interrupt.install() must be called from the main thread")
    _state.exit_process = exit_process
    if _state.installed:
        return
    import psutil  # noqa: F401 - now: the teardown imports nothing (the interrupted main thread may hold the import lock)

    _state.old_handlers = {s: signal.signal(s, _handler) for s in SIGNALS}
    _state.installed = True
    if exit_process:
        _watch_wakeup_fd()


def uninstall() -> None:
    """Put back the handlers :func:`install` replaced (tests, and Python callers)."""
    if not _state.installed:
        return
    for s, h in _state.old_handlers.items():
        signal.signal(s, h)
    if _state.wakeup is not None:
        signal.set_wakeup_fd(-1)
        _state.wakeup = None  # the watching thread stays blocked on its pipe, harmlessly
    _state.installed = False


@contextlib.contextmanager
def raising() -> Iterator[None]:
    """For callers that did not :func:`install`: while inside, a signal ends the run's processes and raises :class:`Interrupted`."""
    if _state.installed or threading.current_thread() is not threading.main_thread():
        yield
        return
    install(exit_process=False)
    try:
        yield
    finally:
        uninstall()


def _watch_wakeup_fd() -> None:
    """The thread that ends the run: woken by the signal itself (the C-level handler writes its number to a pipe).

    It exists before any signal, so that handling one starts no thread (a signal handler that started one could
    wait forever for a lock the interrupted main thread holds), and it acts even while the main thread is busy
    in C code or waiting on a lock.
    """
    r, w = os.pipe()
    os.set_blocking(w, False)
    try:
        signal.set_wakeup_fd(w, warn_on_full_buffer=False)
    except ValueError:  # pragma: no cover - not the main thread
        os.close(r)
        os.close(w)
        return
    _state.wakeup = (r, w)
    wanted = {int(s) for s in SIGNALS}

    def watch() -> None:
        while True:
            try:
                data = os.read(r, 16)
            except OSError:
                return
            if not data:
                return
            signum = next((b for b in data if b in wanted), None)
            if signum is not None and _state.installed and _claim():
                _teardown_and_exit(signum)

    threading.Thread(target=watch, name="qalamoun-interrupt", daemon=True).start()


def _claim() -> bool:
    """True for the first caller only: it ends the run (a lock taken without waiting: safe inside a signal handler)."""
    if _state.claim.acquire(blocking=False):
        _state.stopping = True
        return True
    return False


def _handler(signum: int, frame: Any) -> None:
    """The Python-level handler, in the main thread: it holds the main thread while the watching thread ends the run."""
    if _state.committing:  # let the swap finish; committing() ends the run after it
        _state.pending = signum
        return
    if not _state.exit_process:
        _teardown(signum)
        raise Interrupted(signal.Signals(signum).name)
    deadline = time.monotonic() + 0.5
    while not _state.stopping and time.monotonic() < deadline:
        time.sleep(0.01)
    if _claim():  # the watching thread did not wake (another wakeup fd was set): end the run from here
        _teardown_and_exit(signum)
    wait_for_exit()


def wait_for_exit() -> None:
    """Hold the calling thread while the run is being ended (the process must not end with another status).

    Should the teardown not have begun within a second (its thread never woke), it is done from here.
    """
    deadline = time.monotonic() + 1.0
    while True:
        time.sleep(0.05)
        if not _state.ending and time.monotonic() > deadline:
            _teardown_and_exit(_state.pending or int(signal.SIGINT))


def wait_if_stopping() -> None:
    """For the command's last line: if an interrupt is being handled, wait for it to end the process."""
    if _state.stopping:
        wait_for_exit()


@contextlib.contextmanager
def committing() -> Iterator[None]:
    """While inside (a report being swapped into place), a signal waits; it takes effect just after."""
    _state.committing = True
    try:
        yield
    finally:
        _state.committing = False
        pending, _state.pending = _state.pending, None
        if pending is not None:
            if not _state.exit_process:
                _teardown(pending)
                raise Interrupted(signal.Signals(pending).name)
            if _claim():
                _teardown_and_exit(pending)
            wait_for_exit()


def scratch(path: Path) -> Path:
    """Register a temporary path (file or folder) to remove if the run is interrupted; returns it."""
    _state.scratch[str(path)] = None
    return path


def unscratch(path: Path) -> None:
    """Forget a temporary path (it was removed, or renamed into place)."""
    _state.scratch.pop(str(path), None)


def add_hook(hook: Callable[[], None]) -> None:
    """Call ``hook`` on an interrupt before the processes end (a remote cluster's clean-up); errors are ignored."""
    _state.hooks.append(hook)


def remove_hook(hook: Callable[[], None]) -> None:
    with contextlib.suppress(ValueError):
        _state.hooks.remove(hook)


def progress_bar(active: bool) -> None:
    """Say whether a progress bar holds the terminal's last line (``interrupted`` then starts a new one)."""
    _state.progress_bar = active


def stopping() -> bool:
    """True once an interrupt is being handled."""
    return _state.stopping


# --- the teardown ----------------------------------------------------------------------------------------------


def _teardown_and_exit(signum: int) -> None:
    _state.ending = True
    deadline = time.monotonic() + COMMIT_WAIT
    while _state.committing and time.monotonic() < deadline:
        time.sleep(0.02)
    err = _silence()
    try:
        _teardown(signum)
    finally:
        with contextlib.suppress(OSError):
            os.write(err, b"\ninterrupted\n" if _state.progress_bar else b"interrupted\n")
        os._exit(EXIT_STATUS)


def _silence() -> int:
    """Send this process's stdout and stderr to /dev/null; return a duplicate of the real stderr.

    No lock is taken (not logging's: the main thread may hold it, waiting in the signal handler).
    """
    err = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    for fd in (1, 2):
        with contextlib.suppress(OSError):
            os.dup2(devnull, fd)
    os.close(devnull)
    return err


def _teardown(signum: int) -> None:
    """Run the hooks, end every descendant, remove every registered temporary path."""
    _run_hooks()
    end_descendants()
    remove_scratch()
    end_descendants(settle=0.0)  # anything a thread of this process started meanwhile


def _run_hooks() -> None:
    """Call the hooks in this thread (starting a thread here could wait forever on a lock the main thread holds)."""
    for hook in list(_state.hooks):
        with contextlib.suppress(Exception):
            hook()


def remove_scratch() -> None:
    """Remove every registered temporary path."""
    for path in reversed(list(_state.scratch)):
        p = Path(path)
        if p.is_dir() and not p.is_symlink():
            shutil.rmtree(p, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                p.unlink()
        _state.scratch.pop(path, None)


def end_descendants(settle: float = 0.05, grace: float = 2.0) -> None:
    """Freeze every process below this one until no new one appears, kill them all, reap them; stop the resource tracker."""
    psutil = sys.modules.get("psutil") or __import__("psutil")

    me = psutil.Process()
    tracker = _tracker_pid()
    frozen: dict[int, Any] = {}
    quiet_rounds = 0
    for _ in range(100):
        try:
            found = [p for p in me.children(recursive=True) if p.pid not in frozen and p.pid != tracker]
        except psutil.Error:
            found = []
        for p in found:
            with contextlib.suppress(psutil.Error):
                p.suspend()
            frozen[p.pid] = p
        quiet_rounds = 0 if found else quiet_rounds + 1
        if quiet_rounds >= 2:
            break
        time.sleep(settle)
    for p in frozen.values():
        with contextlib.suppress(psutil.Error):
            p.kill()
    _wait_gone(list(frozen.values()), grace)
    _stop_tracker()


def _wait_gone(procs: list[Any], timeout: float) -> None:
    """Reap this process's children among ``procs`` and wait until the others are gone or zombies (their parent was killed too)."""
    psutil = sys.modules["psutil"]
    deadline = time.monotonic() + timeout
    left = procs
    while left and time.monotonic() < deadline:
        for p in left:
            with contextlib.suppress(ChildProcessError, OSError):
                os.waitpid(p.pid, os.WNOHANG)
        left = [p for p in left if _running(p, psutil)]
        if left:
            time.sleep(0.02)


def _running(p: Any, psutil: Any) -> bool:
    try:
        return p.is_running() and p.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _tracker_pid() -> int | None:
    module = sys.modules.get("multiprocessing.resource_tracker")
    return getattr(getattr(module, "_resource_tracker", None), "_pid", None)


def _stop_tracker(timeout: float = 2.0) -> None:
    """Close the resource tracker's pipe and wait for it: it unlinks the semaphores the run's processes registered.

    Done by hand rather than with the tracker's own lock, which the interrupted main thread may hold.
    """
    module = sys.modules.get("multiprocessing.resource_tracker")
    tracker = getattr(module, "_resource_tracker", None)
    fd, pid = getattr(tracker, "_fd", None), getattr(tracker, "_pid", None)
    if fd is None or pid is None:
        return
    tracker._fd = tracker._pid = None  # type: ignore[union-attr] - closed once (the number may be reused after)
    with contextlib.suppress(OSError):
        os.close(fd)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if os.waitpid(pid, os.WNOHANG)[0] == pid:
                return
        except ChildProcessError:
            return
        time.sleep(0.02)
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGKILL)


def start_tracker_quietly() -> None:
    """Start the multiprocessing resource tracker with its stderr on /dev/null (before any worker starts).

    At an interrupt the workers are killed, and the tracker then unlinks the semaphores they had registered,
    warning about each 'leak' on its stderr: noise the interrupt caused, which the user should not see.
    """
    from multiprocessing import resource_tracker

    tracker = resource_tracker._resource_tracker  # type: ignore[attr-defined]
    if getattr(tracker, "_fd", None) is not None:
        return
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        resource_tracker.ensure_running()
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


@contextlib.contextmanager
def blocked() -> Iterator[None]:
    """Block SIGINT and SIGTERM in the calling thread; threads and processes it starts inherit the block.

    The cluster is started inside, so that its workers (and their kernels) never see the terminal's Ctrl-C,
    which goes to the whole process group: only this process acts on it, and ends them.
    """
    old = signal.pthread_sigmask(signal.SIG_BLOCK, set(SIGNALS))
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


@contextlib.contextmanager
def private_tmp(folder: Path) -> Iterator[Path]:
    """Point ``TMPDIR`` and ``JUPYTER_RUNTIME_DIR`` at ``folder`` for the processes started inside (workers, kernels).

    Everything they make in a temporary place (their run folders, kernel folders and connection files, Dask's
    scratch space and its locks) is then under ``folder``, which one ``rmtree`` removes, however they ended.
    """
    import tempfile

    tempfile.gettempdir()  # this process keeps its own: the one it had before (Python reads TMPDIR once)
    (folder / "runtime").mkdir(parents=True, exist_ok=True)
    with environ(TMPDIR=str(folder), JUPYTER_RUNTIME_DIR=str(folder / "runtime")):
        yield folder


@contextlib.contextmanager
def environ(**values: str) -> Iterator[None]:
    """Set environment variables (inherited by the processes started inside) for the duration."""
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
