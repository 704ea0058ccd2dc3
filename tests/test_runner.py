"""The runner as a team relies on it: --out safety, pre-flight, incremental runs, Dask, the project, the index, warm kernels.

Tiny notebooks (tests/reportkit.py) keep these fast; the notebooks' content is tested in test_reports.py.  Interrupts
are tested in test_interrupts.py, the report folder shared between runs in test_report_folder.py, the command's
options in test_run_command.py.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import CASE_DIR, case_ids, read_rows, write_rows
from reportkit import (
    ROOT,
    WRITE_SUMMARY,
    alive,
    counting_notebook,
    free_port,
    param_set,
    qalamoun,
    summary,
    tiny_notebook,
    tree,
)

from analysis import runner
from analysis.project import ProjectError, find_project

STARTED = re.compile(r"^running \d+ notebook", re.M)  # what the runner prints when notebooks start


def _run(tmp: Path, *args: str, out: Path | None = None, cache: Path | None = None, **kw) -> subprocess.CompletedProcess:
    out = out or tmp / "reports"
    return qalamoun("run", *args, "--out", str(out), "--no-progress", cache=cache or tmp / "cache", **kw)


# --- --out -------------------------------------------------------------------------------------------------


def test_out_refuses_a_folder_the_runner_did_not_write(tmp_path):
    good = tiny_notebook(tmp_path / "good.ipynb", WRITE_SUMMARY)
    ps = param_set(tmp_path, "one", {})
    precious = tmp_path / "precious"
    (precious / "sub").mkdir(parents=True)
    (precious / "notes.txt").write_text("mine")
    (precious / "sub" / "x.txt").write_text("mine too")
    proc = _run(tmp_path, "--params", str(ps), "-n", str(good), out=precious)
    assert proc.returncode == 2
    assert "refusing to write to" in proc.stderr and "not written by `qalamoun run`" in proc.stderr and ".qalamoun-report" in proc.stderr
    assert tree(precious) == {"notes.txt": b"mine", "sub/x.txt": b"mine too"}
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    proc = _run(tmp_path, "--params", str(ps), "-n", str(good), out=a_file)
    assert proc.returncode == 2 and "is not a folder" in proc.stderr and a_file.read_text() == "x"
    assert not STARTED.search(proc.stderr)  # refused before anything ran


def test_files_a_user_adds_to_a_report_are_kept(tmp_path):
    good = tiny_notebook(tmp_path / "good.ipynb", WRITE_SUMMARY)
    other = tiny_notebook(tmp_path / "other.ipynb", WRITE_SUMMARY)
    ps = param_set(tmp_path, "one", {})
    out = tmp_path / "reports"
    assert _run(tmp_path, "--params", str(ps), "-n", str(good), out=out).returncode == 0
    assert json.loads((out / runner.MARKER).read_text())["files"] == [
        "index.html",
        "one/good.html",
        "one/good.ipynb",
        "one/good.summary.json",
        "one/summary.json",
    ]
    (out / "notes.txt").write_text("my notes")
    (out / "one" / "review.md").write_text("looks fine")
    proc = _run(tmp_path, "--params", str(ps), "-n", str(good), "--force", out=out)
    assert proc.returncode == 0, proc.stderr
    assert (out / "notes.txt").read_text() == "my notes" and (out / "one" / "review.md").read_text() == "looks fine"
    # a file of the user's where the new report would write one: refused, nothing touched
    (out / "one" / "other.html").write_text("the user's own page")
    before = tree(out)
    proc = _run(tmp_path, "--params", str(ps), "-n", str(good), "-n", str(other), out=out)
    assert proc.returncode == 2 and "one/other.html" in proc.stderr
    assert tree(out) == before


# --- interrupts: tests/test_interrupts.py ----------------------------------------------------------------------


# --- pre-flight ------------------------------------------------------------------------------------------------


def _set(rows, key, value, column, new):
    next(r for r in rows if r[key] == value)[column] = new


def test_preflight_lists_every_problem_of_a_broken_case_before_any_kernel(tmp_path, broken_case):
    broken_case("claims", lambda r: _set(r, "claim_id", "A08", "value_low", "-2500"))
    folder = broken_case("events", lambda r: _set(r, "event_id", "ev-killing-juma", "place_id", "atlantis"))
    counter = tmp_path / "counter.txt"
    nb = counting_notebook(tmp_path / "count.ipynb", counter)
    ps = param_set(tmp_path, "broken", {"case": str(folder)})
    proc = _run(tmp_path, "--params", str(ps), "-n", str(nb))
    assert proc.returncode == 2, proc.stdout + proc.stderr
    listed = re.findall(r"^  - ", proc.stderr, re.M)
    assert f"{len(listed)} problem(s)" in proc.stderr and len(listed) >= 2
    assert re.search(r"  - claims\.csv, row \d+, column value_low: .*'-2500'", proc.stderr)
    assert re.search(r"  - events\.csv, row \d+, column place_id: .*'atlantis'", proc.stderr)
    assert not counter.exists() and not (tmp_path / "reports").exists()


def test_preflight_checks_preferred_sources_in_the_case(tmp_path):
    proc = _run(tmp_path, "-n", "03", "-p", "best_rule=prefer:nosuch")
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "unknown source_id 'nosuch'" in proc.stderr and "eswiki" in proc.stderr
    assert not STARTED.search(proc.stderr) and not (tmp_path / "reports").exists()  # Dask may warn of a busy port


# --- incremental runs -------------------------------------------------------------------------------------


def test_unchanged_runs_are_reused_and_a_changed_case_reruns_only_its_runs(tmp_path):
    shutil.copytree(CASE_DIR, tmp_path / "case-a")
    shutil.copytree(CASE_DIR, tmp_path / "case-b")
    counter = tmp_path / "counter.txt"
    nb = counting_notebook(tmp_path / "count.ipynb", counter)
    sets = [param_set(tmp_path, s, {"case": str(tmp_path / f"case-{s}")}) for s in ("a", "b")]
    args = [*[x for s in sets for x in ("--params", str(s))], "-n", str(nb)]
    out = tmp_path / "reports"

    first = _run(tmp_path, *args)
    assert first.returncode == 0, first.stderr
    assert len(counter.read_text().splitlines()) == 2  # one kernel per set
    tree1 = tree(out)

    second = _run(tmp_path, *args)
    assert second.returncode == 0, second.stderr
    assert len(counter.read_text().splitlines()) == 2, "a run with nothing changed started a kernel"
    assert re.search(r"^cached a/count", second.stdout, re.M) and re.search(r"^cached b/count", second.stdout, re.M)
    tree2 = tree(out)
    assert {k: v for k, v in tree2.items() if k != "index.html"} == {k: v for k, v in tree1.items() if k != "index.html"}
    assert tree2["index.html"].count(b'<tr class="cached">') == 2 and b"2 reused from the cache" in tree2["index.html"]

    rows = read_rows(tmp_path / "case-b" / "events.csv")
    rows[0]["summary_en"] += " (edited)"
    write_rows(tmp_path / "case-b" / "events.csv", rows)
    third = _run(tmp_path, *args)
    assert third.returncode == 0, third.stderr
    assert counter.read_text().splitlines()[2:] == [str(tmp_path / "case-b")], "only the changed case's run should run"
    assert re.search(r"^cached a/count", third.stdout, re.M) and re.search(r"^ok\s+b/count", third.stdout, re.M)

    forced = _run(tmp_path, *args, "--force")
    assert forced.returncode == 0 and len(counter.read_text().splitlines()) == 5
    assert "cached" not in forced.stdout.replace("(0 cached)", "")


# --- Dask ----------------------------------------------------------------------------------------------------------


READ_CASE = (
    "from analysis.cases import load_case\n"
    "c = load_case(case)\n"
    "import json, pathlib\n"
    "s = {'claims': len(c.claims), 'title': c.title}\n"
    "print(s)\n"
    "if summary_path:\n"
    "    pathlib.Path(summary_path).write_text(json.dumps(s))\n"
)


def _start(cmd: list[str], cwd: Path, env: dict) -> subprocess.Popen:
    return subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def test_a_real_dask_cluster_gives_the_same_report_as_the_local_default(tmp_path):
    nbs = [tiny_notebook(tmp_path / f"{n}.ipynb", READ_CASE) for n in ("first", "second")]
    ps = param_set(tmp_path, "one", {"case": "eastern-qalamoun-2018"})
    args = ["--params", str(ps), *[x for nb in nbs for x in ("-n", str(nb))]]
    local = _run(tmp_path, *args, out=tmp_path / "local", cache=tmp_path / "cache-local")
    assert local.returncode == 0, local.stdout + local.stderr

    port = free_port()
    bindir = Path(sys.executable).parent
    where = tmp_path / "elsewhere"  # the workers stand outside the project and read no file of it
    where.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("QALAMOUN_")}
    procs = [_start([str(bindir / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"], where, env)]
    try:
        time.sleep(2)
        for _ in range(2):
            procs.append(
                _start(
                    [str(bindir / "dask"), "worker", f"tcp://127.0.0.1:{port}", "--host", "127.0.0.1", "--nthreads", "1", "--no-dashboard"],
                    where,
                    env,
                )
            )
        remote = _run(tmp_path, *args, "--scheduler", f"tcp://127.0.0.1:{port}", out=tmp_path / "remote", cache=tmp_path / "cache-remote")
    finally:
        for p in reversed(procs):
            os.killpg(p.pid, signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:  # pragma: no cover
                os.killpg(p.pid, signal.SIGKILL)
    assert remote.returncode == 0, remote.stdout + remote.stderr
    t_local, t_remote = tree(tmp_path / "local"), tree(tmp_path / "remote")
    assert sorted(t_local) == sorted(t_remote)
    assert sorted(t_local) == [
        ".qalamoun-report",
        "index.html",
        *(
            f"one/{s}"
            for s in [
                "first.html",
                "first.ipynb",
                "first.summary.json",
                "second.html",
                "second.ipynb",
                "second.summary.json",
                "summary.json",
            ]
        ),
    ]
    for name in t_local:
        if name != "index.html":  # it shows each run's seconds
            assert t_local[name] == t_remote[name], name
    first = json.loads(t_remote["one/first.summary.json"])
    assert first["title"] == "Eastern Qalamoun surrender and evacuation, April 2018" and first["claims"] > 0


# --- the project -----------------------------------------------------------------------------------------------


def test_outside_a_project_every_command_says_what_it_looked_for(tmp_path):
    for args in (["run"], ["execute-notebooks"], ["cases"], ["validate", "some-case"]):
        proc = qalamoun(*args, cwd=tmp_path, cache=tmp_path / "cache")
        assert proc.returncode == 2, (args, proc.stdout, proc.stderr)
        assert "no project found" in proc.stderr and "notebooks/, params/, data/" in proc.stderr and str(tmp_path) in proc.stderr
    proc = qalamoun("cases", "--project", str(ROOT), cwd=tmp_path)
    assert proc.returncode == 0 and all(case in proc.stdout for case in case_ids())


def test_find_project_walks_up_and_honours_the_environment(tmp_path, monkeypatch):
    for part in ("notebooks", "params", "data"):
        (tmp_path / "proj" / part).mkdir(parents=True)
    deep = tmp_path / "proj" / "notebooks" / "drafts"
    deep.mkdir()
    monkeypatch.delenv("QALAMOUN_PROJECT", raising=False)
    monkeypatch.chdir(deep)
    assert find_project() == (tmp_path / "proj").resolve()
    monkeypatch.setenv("QALAMOUN_PROJECT", str(ROOT))
    assert find_project() == ROOT.resolve()
    with pytest.raises(ProjectError, match="lacks notebooks/, params/, data/"):
        find_project(tmp_path)


# --- the index and the HTML ---------------------------------------------------------------------------------------


def test_index_shows_parameters_as_text_sets_default_first_and_the_case_title():
    def result(slug: str, status: str) -> runner.JobResult:
        job = runner.Job(
            Path("01_timeline.ipynb"),
            runner.ParamSet(slug, slug.title(), {}),
            {"case": "eastern-qalamoun-2018", "start_date": None, "interactive": False, "lang": "es"},
            case="eastern-qalamoun-2018",
        )
        return runner.JobResult(job, status, 2.0)

    page = runner.index_html(
        [result("zeta", "failed"), result("default", "cached"), result("alpha", "ok")],
        {"eastern-qalamoun-2018": str(CASE_DIR)},
    )
    assert re.findall(r'<div class="slug">(\w+)</div>', page) == ["default", "alpha", "zeta"]
    assert "case = eastern-qalamoun-2018\ninteractive = False\nlang = es\nstart_date = None" in page
    assert "'es'" not in page and "{" not in page.split("</style>")[1]
    title = json.loads((CASE_DIR / "datapackage.json").read_text(encoding="utf-8"))["title"]
    assert page.count(title) == 3
    assert re.findall(r'<tr class="(\w+)">', page) == ["cached", "ok", "failed"]
    assert "2 of 3 notebook runs succeeded (1 reused from the cache)" in page


def test_html_hides_code_unless_asked(tmp_path):
    nb = tiny_notebook(tmp_path / "code.ipynb", "marker_value = 6 * 7\nprint('answer', marker_value)\n" + WRITE_SUMMARY)
    ps = param_set(tmp_path, "one", {})
    assert _run(tmp_path, "--params", str(ps), "-n", str(nb), out=tmp_path / "hidden").returncode == 0
    assert _run(tmp_path, "--params", str(ps), "-n", str(nb), "--show-code", out=tmp_path / "shown").returncode == 0
    hidden = (tmp_path / "hidden" / "one" / "code.html").read_text(encoding="utf-8")
    shown = (tmp_path / "shown" / "one" / "code.html").read_text(encoding="utf-8")
    assert "answer 42" in hidden and "answer 42" in shown  # outputs in both
    assert "marker_value" not in hidden and "marker_value" in shown
    assert "In&nbsp;[" not in hidden and "In&nbsp;[" not in shown  # no prompts either way


def test_retries_run_a_failed_notebook_again(tmp_path):
    flag = tmp_path / "tried-once"
    body = (
        f"import pathlib\nflag = pathlib.Path({str(flag)!r})\n"
        "if not flag.exists():\n    flag.touch()\n    raise RuntimeError('first try fails')\n"
    )
    flaky = tiny_notebook(tmp_path / "flaky.ipynb", body + WRITE_SUMMARY)
    ps = param_set(tmp_path, "one", {})
    failed = _run(tmp_path, "--params", str(ps), "-n", str(flaky), out=tmp_path / "no-retry")
    assert failed.returncode == 1 and "first try fails" in failed.stdout
    flag.unlink()
    retried = _run(tmp_path, "--params", str(ps), "-n", str(flaky), "--retries", "1", out=tmp_path / "retry")
    assert retried.returncode == 0, retried.stdout + retried.stderr
    assert re.search(r"^ok\s+one/flaky", retried.stdout, re.M) and flag.exists()


# --- warm kernels ------------------------------------------------------------------------------------------------

# The first notebook leaves behind a name, an environment variable, a sys.path entry, a warning filter and a
# folder change, and a library warning it was shown; the second reports what it finds.  In a fresh kernel it finds
# none of them and is shown the warning again.
WARNER = "import warnings\n\ndef go():\n    warnings.warn('said once per place', UserWarning)\n"
LEAVE_BEHIND = (
    "import os, sys, warnings\nsys.path.insert(0, LIB)\nimport warner\nwarner.go()\nleft_behind = 1\n"
    "os.environ['QALAMOUN_LEFT'] = 'yes'\nwarnings.filterwarnings('ignore', message='left behind')\n" + WRITE_SUMMARY + "os.chdir('/')\n"
)
LOOK_AROUND = (
    "import json, os, pathlib, sys, warnings\nsys.path.insert(0, LIB)\nimport warner\nwarner.go()\n"
    "found = {'name': 'left_behind' in globals(), 'env': os.environ.get('QALAMOUN_LEFT'), 'path': sys.path.count(LIB),"
    " 'filter': any(getattr(f[1], 'pattern', '') == 'left behind' for f in warnings.filters),"
    " 'run_folder': pathlib.Path.cwd().name.startswith('qalamoun-run-'),"
    " 'data': os.environ['QALAMOUN_DATA'] == str(pathlib.Path.cwd() / 'data'),"
    " 'transport': __import__('ipykernel.kernelapp').kernelapp.IPKernelApp.instance().transport}\n"
    "pathlib.Path(summary_path).write_text(json.dumps(found))\n"
)


def test_a_warm_kernel_starts_each_notebook_as_a_fresh_kernel_would(tmp_path):
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "warner.py").write_text(WARNER, encoding="utf-8")
    first = tiny_notebook(tmp_path / "a_first.ipynb", LEAVE_BEHIND.replace("LIB", repr(str(lib))))
    second = tiny_notebook(tmp_path / "b_second.ipynb", LOOK_AROUND.replace("LIB", repr(str(lib))))
    ps = param_set(tmp_path, "one", {})
    args = ["--params", str(ps), "-n", str(first), "-n", str(second), "--jobs", "1"]  # one worker: one kernel for both
    warm = _run(tmp_path, *args, out=tmp_path / "warm")
    assert warm.returncode == 0, warm.stdout + warm.stderr
    fresh = _run(tmp_path, *args, "--fresh-kernels", out=tmp_path / "fresh", cache=tmp_path / "cache-fresh")
    assert fresh.returncode == 0, fresh.stdout + fresh.stderr
    found = summary(tmp_path / "warm", "one", "b_second")
    # "ipc": the kernel listens on Unix sockets, so no other process can take its ports first (jupyter_client#487)
    expected = {"name": False, "env": None, "path": 1, "filter": False, "run_folder": True, "data": True, "transport": "ipc"}
    assert found == expected
    assert summary(tmp_path / "fresh", "one", "b_second") == expected
    for stem in ("a_first", "b_second"):
        nb = (tmp_path / "warm" / "one" / f"{stem}.ipynb").read_bytes()
        assert nb == (tmp_path / "fresh" / "one" / f"{stem}.ipynb").read_bytes(), stem
        cells = [c for c in json.loads(nb)["cells"] if c["cell_type"] == "code"]
        # the parameters, the injected parameters, the body: numbered 1, 2, 3 as in a fresh kernel
        assert [c["execution_count"] for c in cells] == [1, 2, 3], stem
        assert "said once per place" in json.dumps(cells[-1]["outputs"]), f"{stem} was not shown the warning"


def records_pid(pids: Path) -> str:
    """Notebook code that appends its kernel's process id to ``pids``."""
    return f"import os, pathlib\nwith pathlib.Path({str(pids)!r}).open('a') as fh:\n    fh.write(str(os.getpid()) + '\\n')\n"


def test_a_warm_kernel_is_replaced_after_a_failed_notebook_and_none_is_left_running(tmp_path):
    pids = tmp_path / "pids"
    record = records_pid(pids)
    nbs = [
        tiny_notebook(tmp_path / "a.ipynb", record + WRITE_SUMMARY),
        tiny_notebook(tmp_path / "b.ipynb", record + WRITE_SUMMARY),
        tiny_notebook(tmp_path / "c.ipynb", record + "raise RuntimeError('this one fails')"),
        tiny_notebook(tmp_path / "d.ipynb", record + WRITE_SUMMARY),
    ]
    ps = param_set(tmp_path, "one", {})
    proc = _run(tmp_path, "--params", str(ps), *[x for nb in nbs for x in ("-n", str(nb))], "--jobs", "1")
    assert proc.returncode == 1 and "this one fails" in proc.stdout
    a, b, c, d = [int(x) for x in pids.read_text().split()]  # notebooks run in the order given on one worker
    assert a == b == c, "one worker's notebooks share its warm kernel"
    assert d != c, "the kernel a notebook failed in is not used again"
    time.sleep(1)
    assert not [p for p in (a, d) if alive(p)], "a warm kernel outlived the run"


def test_a_worker_with_one_notebook_gets_a_fresh_kernel_and_one_with_more_a_warm_one(tmp_path):
    """A warm kernel loads the whole package first (analysis.network among it), which only a second notebook repays.

    Two notebooks on two local workers: one each, fresh kernels (the notebook imports nothing, so network is absent).
    The same two on one worker: a warm kernel, network loaded before either notebook ran."""
    probe = "import sys\nloaded = 'analysis.network' in sys.modules\n" + WRITE_SUMMARY.replace("{'ok': True}", "{'loaded': loaded}")
    nbs = [tiny_notebook(tmp_path / f"{n}.ipynb", probe) for n in ("a", "b")]
    args = ["--params", str(param_set(tmp_path, "one", {})), *[x for nb in nbs for x in ("-n", str(nb))]]
    two = _run(tmp_path, *args, "--jobs", "2", out=tmp_path / "two", cache=tmp_path / "cache-two")
    one = _run(tmp_path, *args, "--jobs", "1", out=tmp_path / "one", cache=tmp_path / "cache-one")
    assert two.returncode == one.returncode == 0, two.stdout + two.stderr + one.stdout + one.stderr
    assert [summary(tmp_path / "two", "one", n)["loaded"] for n in ("a", "b")] == [False, False]
    assert [summary(tmp_path / "one", "one", n)["loaded"] for n in ("a", "b")] == [True, True]


def test_a_kernel_that_cannot_be_prepared_fails_its_run_with_the_reason(monkeypatch, tmp_path):
    """A kernel that will not start is that run's failure, said in words; before, the run died on a KeyError."""
    from analysis.runner import execute, kernel

    def refuse(self, work, data):
        raise kernel.KernelSetupError("Kernel died before replying to kernel_info")

    monkeypatch.setattr(kernel.WarmKernel, "prepare", refuse)
    nb = tiny_notebook(tmp_path / "nb.ipynb", WRITE_SUMMARY)
    task = execute.Task(name="one/nb", stem="nb", notebook=nb.read_bytes(), parameters={}, metadata={})
    output = execute.execute_task(task)
    assert not output.ok
    assert output.error == "the kernel could not be prepared: Kernel died before replying to kernel_info"
    assert "nb.ipynb" not in output.files


def test_kernels_use_tcp_where_a_socket_path_would_be_too_long(tmp_path):
    """A Unix socket's path is limited to 107 bytes (the kernel adds '-5'): a long folder gets TCP ports instead."""
    import tempfile

    from analysis.runner.kernel import socket_kernel_manager

    short_folder = Path(tempfile.mkdtemp(prefix="q-", dir="/tmp"))  # /tmp/q-xxxxxxxx/kernel: 23 bytes
    try:
        short = socket_kernel_manager(short_folder)
        assert (short.transport, short.ip) == ("ipc", str(short_folder / "kernel"))
    finally:
        shutil.rmtree(short_folder)
    long = socket_kernel_manager(tmp_path / ("x" * 100))
    assert (long.transport, long.ip) == ("tcp", "127.0.0.1")
    # /tmp/ + 45 x 'é' + /kernel: 57 characters but 102 bytes ('é' is two bytes in UTF-8), and the limit is in bytes
    wide = socket_kernel_manager(Path("/tmp") / ("é" * 45))
    assert wide.transport == "tcp"


def _heartbeats() -> int:
    """Kernel clients alive in this process: each keeps a heartbeat thread until its channels stop."""
    import threading

    from jupyter_client.channels import HBChannel

    return sum(isinstance(t, HBChannel) and t.is_alive() for t in threading.enumerate())


def test_a_run_closes_the_kernel_client_papermill_opened(tmp_path):
    """nbclient leaves open the client of a kernel manager it is given (each keeps a heartbeat thread): the runner
    closes it.  Fresh kernel: no client is left.  Warm kernel: only the kernel's own, until the kernel is shut down."""
    from analysis.runner import execute, kernel

    nb = tiny_notebook(tmp_path / "nb.ipynb", WRITE_SUMMARY).read_bytes()
    params = {"summary_path": "nb.summary.json"}
    before = _heartbeats()
    fresh = execute.execute_task(execute.Task(name="one/nb", stem="nb", notebook=nb, parameters=params, metadata={}, warm=False))
    assert fresh.ok, fresh.error
    assert _heartbeats() == before
    try:
        for _ in range(2):
            warm = execute.execute_task(execute.Task(name="one/nb", stem="nb", notebook=nb, parameters=params, metadata={}))
            assert warm.ok, warm.error
            assert _heartbeats() == before + 1
    finally:
        kernel.shutdown()
    assert _heartbeats() == before


def test_fresh_kernels_are_shut_down_by_the_runner(tmp_path):
    """With --fresh-kernels the runner, not papermill, owns each kernel: none outlives its notebook."""
    pids = tmp_path / "pids"
    record = records_pid(pids)
    nbs = [tiny_notebook(tmp_path / f"{n}.ipynb", record + WRITE_SUMMARY) for n in ("a", "b")]
    ps = param_set(tmp_path, "one", {})
    proc = _run(tmp_path, "--params", str(ps), *[x for nb in nbs for x in ("-n", str(nb))], "--jobs", "1", "--fresh-kernels")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    a, b = [int(x) for x in pids.read_text().split()]
    assert a != b, "each notebook had a kernel of its own"
    time.sleep(1)
    assert not [p for p in (a, b) if alive(p)], "a fresh kernel outlived its notebook"


def test_a_reworded_message_invalidates_cached_reports(tmp_path):
    """The cache key covers every file of the package, catalogs included: the package copied, one word of the English
    catalog changed, its digest changes (it once hashed only *.py, so a cached report kept the old words)."""

    import analysis
    from analysis.runner.cache import source_digest, tree_digest

    package = Path(analysis.__file__).parent
    assert source_digest() == tree_digest(package)
    copy = tmp_path / "analysis"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    before = tree_digest(copy)
    catalog = copy / "locales" / "en.yaml"
    catalog.write_text(catalog.read_text(encoding="utf-8").replace("unknown", "not known", 1), encoding="utf-8")
    assert tree_digest(copy) != before
