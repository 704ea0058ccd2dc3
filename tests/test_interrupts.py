"""SIGINT or SIGTERM at four points of a run: exit 130 within 5 s, nothing left running, nothing left behind, no noise.

Each run gets its own temporary folder (``TMPDIR``), Jupyter runtime folder and cache, so that what it leaves behind
can be told apart from what other processes on the machine make; and a tag in its environment, which every process
it starts inherits, so that a process that outlives it is found even if it left the process tree.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import psutil
import pytest
from reportkit import ROOT, WRITE_SUMMARY, param_set, tiny_notebook, tree

TAG = "QALAMOUN_TEST_TAG"
# a notebook that says when its cells have started, sleeps; one that ends with a large output, which takes seconds to export
SLEEPS = "import pathlib\npathlib.Path(MARK).write_text('started')\nimport time\ntime.sleep(300)\n"
BIG_OUTPUT = (
    "from IPython.display import HTML, display\n"
    "for i in range(200):\n"
    "    display(HTML('<table>' + ''.join(f'<tr><td>{j}</td><td>cell</td></tr>' for j in range(200)) + '</table>'))\n"
    "import pathlib\npathlib.Path(MARK).write_text('cells done')\n"
)


@pytest.fixture(scope="module")
def earlier(tmp_path_factory):
    """A report folder holding one earlier report, as the runner leaves it (its files and its manifest)."""
    from analysis.runner import output

    out = tmp_path_factory.mktemp("earlier") / "reports"
    files = {"one/done.html": "<p>done</p>", "one/done.ipynb": "{}", "one/done.summary.json": "{}", "one/summary.json": "{}"}
    for rel, text in files.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text(text, encoding="utf-8")
    (out / "index.html").write_text("<p>index</p>", encoding="utf-8")
    entry = output.Entry("one/done", "one", "one", "done", files=sorted(f for f in files if "/done." in f))
    output.write_manifest(out, [entry], [])
    return out


class Run:
    """``qalamoun run`` in a session of its own, with private temporary folders, its stderr read line by line."""

    def __init__(self, folder: Path, out: Path, notebooks: list[Path]):
        self.folder = folder
        self.tmp, self.runtime, self.cache = folder / "tmp", folder / "runtime", folder / "cache"
        for d in (self.tmp, self.runtime):
            d.mkdir()
        self.tag = uuid.uuid4().hex
        env = {k: v for k, v in os.environ.items() if not k.startswith("QALAMOUN_")}
        env.update({"TMPDIR": str(self.tmp), "JUPYTER_RUNTIME_DIR": str(self.runtime), "QALAMOUN_CACHE": str(self.cache), TAG: self.tag})
        ps = param_set(folder, "one", {})
        args = ["run", "--params", str(ps), *[a for nb in notebooks for a in ("-n", str(nb))], "--out", str(out), "--jobs", "2"]
        args.append("--no-progress")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "analysis.cli", *args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,  # as a terminal's foreground job: Ctrl-C signals its whole group
        )
        self.lines: list[str] = []
        self.out_lines: list[str] = []
        self._readers = [
            threading.Thread(target=self._read, args=(self.proc.stderr, self.lines)),
            threading.Thread(target=self._read, args=(self.proc.stdout, self.out_lines)),
        ]
        for t in self._readers:
            t.start()
        self.me = psutil.Process(self.proc.pid)

    @staticmethod
    def _read(stream, into: list[str]) -> None:
        for line in stream:
            into.append(line.rstrip("\n"))

    def descendants(self) -> list[psutil.Process]:
        try:
            return self.me.children(recursive=True)
        except psutil.NoSuchProcess:
            return []

    def wait_for(self, condition, what: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"the run ended before {what}: {self.lines}")
            if condition():
                return
            time.sleep(0.01)
        pytest.fail(f"never reached {what}: {self.lines}")

    def kernels(self) -> list[psutil.Process]:
        return [p for p in self.descendants() if "ipykernel" in " ".join(_cmdline(p))]

    def signal(self, signum: int, group: bool) -> float:
        """Send the signal (to the process alone, or to its group as Ctrl-C does); return how long the run took to end."""
        start = time.monotonic()
        (os.killpg if group else os.kill)(self.proc.pid, signum)
        try:
            self.proc.wait(timeout=30)
        finally:
            if self.proc.poll() is None:  # pragma: no cover - only when the runner hangs
                for p in [*self.descendants(), self.me]:
                    p.kill()
        took = time.monotonic() - start
        for t in self._readers:
            t.join(10)
        return took

    def tagged(self) -> list[str]:
        """Processes alive anywhere whose environment carries this run's tag."""
        found = []
        for p in psutil.process_iter(["pid", "status"]):
            try:
                if p.info["status"] != psutil.STATUS_ZOMBIE and p.environ().get(TAG) == self.tag:
                    found.append(f"{p.pid}: {' '.join(p.cmdline())[:120]}")
            except psutil.Error:
                continue
        return found


def _cmdline(p: psutil.Process) -> list[str]:
    try:
        return p.cmdline()
    except psutil.Error:
        return []


def _in_preflight(run: Run) -> None:
    run.wait_for(lambda: any(line.startswith("checking ") for line in run.lines), "the pre-flight checks")


def _in_cluster_start(run: Run) -> None:
    run.wait_for(lambda: any("multiprocessing.spawn" in " ".join(_cmdline(p)) for p in run.descendants()), "a worker's start")
    assert not run.kernels(), "a kernel had started: the cluster's start was over"


def _mid_notebook(run: Run) -> None:
    run.wait_for(lambda: (run.folder / "mark").exists(), "the notebook's cells")
    time.sleep(0.3)


def _in_export(run: Run) -> None:
    run.wait_for(lambda: (run.folder / "mark").exists(), "the end of the notebook's cells")
    time.sleep(0.5)  # papermill writes the notebook, then the HTML export of 200 tables takes seconds


POINTS = {  # point: (notebook, how the run is brought there, signal, to the whole process group)
    "pre-flight": (SLEEPS, _in_preflight, signal.SIGINT, False),
    "cluster start": (SLEEPS, _in_cluster_start, signal.SIGTERM, False),
    "mid-notebook": (SLEEPS, _mid_notebook, signal.SIGINT, True),
    "export": (BIG_OUTPUT, _in_export, signal.SIGTERM, False),
}


@pytest.mark.parametrize("point", list(POINTS))
def test_an_interrupt_ends_the_run_at_once_and_leaves_nothing(point, earlier, tmp_path):
    body, bring, signum, group = POINTS[point]
    out = tmp_path / "reports"
    import shutil

    shutil.copytree(earlier, out)
    before = tree(out)
    nb = tiny_notebook(tmp_path / "work.ipynb", body.replace("MARK", repr(str(tmp_path / "mark"))) + WRITE_SUMMARY)
    run = Run(tmp_path, out, [nb])
    bring(run)
    seen = run.descendants()
    if point == "export":
        assert not (tmp_path / "reports" / "one" / "work.html").exists()
    took = run.signal(signum, group)

    assert run.proc.returncode == 130, run.lines
    assert took < 5, f"the run took {took:.1f} s to end"
    time.sleep(0.2)
    assert not [p.pid for p in seen if p.is_running() and p.status() != psutil.STATUS_ZOMBIE], "a process of the run outlived it"
    assert not run.tagged(), "a process started by the run is still running"
    # nothing printed but what the runner says: no kernel death, no traceback, no warning from the processes it ended
    assert run.lines[-1] == "interrupted", run.lines
    assert all(line.startswith(("checking ", "running ", "interrupted")) for line in run.lines), run.lines
    assert run.out_lines == []
    # nothing left behind: the private temporary and runtime folders are empty, no temporary tree, no cache entry half-made
    assert list(run.tmp.iterdir()) == [] and list(run.runtime.iterdir()) == []
    assert not [p.name for p in tmp_path.iterdir() if ".tmp-" in p.name or ".old-" in p.name]
    assert not list(run.cache.rglob(".tmp-*"))
    assert tree(out) == before, "the report folder changed"


# A process that is sent SIGINT while it swaps a report into place: the swap completes, then the process ends.
SWAP_INTERRUPTED = """
import os, pathlib, signal, sys, time
from analysis.runner import interrupt
interrupt.install()
done = pathlib.Path(sys.argv[1])
with interrupt.committing():
    os.kill(os.getpid(), signal.SIGINT)
    time.sleep(0.5)
    done.write_text("swapped")
done.with_name("after").write_text("went on")  # never: the interrupt takes effect when the swap ends
"""


def test_a_signal_during_the_swap_waits_for_it_to_end(tmp_path):
    proc = subprocess.run([sys.executable, "-c", SWAP_INTERRUPTED, str(tmp_path / "done")], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 130, proc.stderr
    assert proc.stderr == "interrupted\n"
    assert (tmp_path / "done").read_text() == "swapped" and not (tmp_path / "after").exists()
