"""The report folder as a team shares it: runs add and replace their own reports and keep the others; clean removes.

A small project (tests/projectkit.py: three tiny notebooks x two sets, both cases) is run once for the module into a
full report folder; each test works on a copy of that folder, with the module's cache, so that reruns are cheap.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import read_rows, write_rows
from projectkit import command, make_project
from reportkit import ROOT, tree

from analysis import runner

FULL = ["default/01_alpha", "default/02_beta", "default/03_gamma", "other/01_alpha", "other/02_beta", "other/03_gamma"]


@pytest.fixture(scope="module")
def full(tmp_path_factory):
    """The project, its cache, and a report folder holding every notebook x set (six reports), as `make report` leaves it."""
    base = tmp_path_factory.mktemp("folder")
    project = make_project(base / "project")
    cache = base / "cache"
    proc = command(project, "run", "--out", str(base / "reports"), "--jobs", "2", "--no-progress", cache=cache)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return project, cache, base / "reports"


@pytest.fixture
def reports(full, tmp_path):
    """A copy of the full report folder, for one test to change."""
    project, cache, out = full
    copy = tmp_path / "reports"
    shutil.copytree(out, copy)
    return project, cache, copy


def _rows(index: Path) -> dict[str, str]:
    """The index's rows: report name (set/notebook) -> the row's class (its status this time, and 'stale')."""
    page = index.read_text(encoding="utf-8")
    found = {}
    for cls, body in re.findall(r'<tr class="([\w ]+)">(.*?)</tr>', page, re.S):
        slug = re.search(r'<div class="slug">([^<]+)</div>', body).group(1)
        stem = re.search(r"<td>(\d\d_\w+)</td>", body).group(1)
        found[f"{slug}/{stem}"] = cls
    return found


def _manifest(out: Path) -> dict:
    return json.loads((out / runner.MARKER).read_text(encoding="utf-8"))


def test_a_run_of_one_notebook_keeps_every_other_report_and_lists_it(reports):
    """The issue's case: `-n 01` on a full folder took it from every report to one.  Now only 01 is replaced."""
    project, cache, out = reports
    before = tree(out)
    assert sorted(_rows(out / "index.html")) == FULL
    proc = command(project, "run", "--out", str(out), "-n", "01", "--params", "default", "--force", "--no-progress", cache=cache)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "5 other report(s) there kept" in proc.stderr
    after = tree(out)
    for name in FULL[1:]:  # every other report: its notebook, HTML and summary, byte for byte
        for ext in (".ipynb", ".html", ".summary.json"):
            assert after[name + ext] == before[name + ext], name + ext
    rows = _rows(out / "index.html")
    assert rows == {"default/01_alpha": "ok", **{name: "kept" for name in FULL[1:]}}
    assert sorted(_manifest(out)["reports"]) == FULL
    # the set's summary.json still holds every notebook of the set
    assert sorted(json.loads(after["default/summary.json"])) == ["01_alpha", "02_beta", "03_gamma"]


def test_a_rerun_with_another_value_adds_its_own_folder_and_keeps_the_sets(reports):
    """The README's example (--params spanish -n 03 -p scenario=low) on this project: --params other -n 03 -p lang=en."""
    project, cache, out = reports
    before = tree(out)
    proc = command(project, "run", "--out", str(out), "--params", "other", "-n", "03", "-p", "lang=en", "--no-progress", cache=cache)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    after = tree(out)
    assert {k: v for k, v in after.items() if k in before and not k.startswith(("index", ".qalamoun"))} == {
        k: v for k, v in before.items() if not k.startswith(("index", ".qalamoun"))
    }
    # the set 'other' says lang: es; its folder keeps what it says, and the run with lang=en is a set of its own
    assert json.loads(after["other/03_gamma.summary.json"])["lang"] == "es"
    assert json.loads(after["other--lang-en/03_gamma.summary.json"]) == {"case": "eastern-qalamoun-2018", "lang": "en"}
    page = after["index.html"].decode()
    assert "The other set, with lang = en (the set has lang = es)" in page
    assert sorted(_rows(out / "index.html")) == sorted([*FULL, "other--lang-en/03_gamma"])


def test_every_report_lists_its_case_parameters_and_the_hash_of_its_inputs(full):
    out = full[2]
    manifest = _manifest(out)
    page = (out / "index.html").read_text(encoding="utf-8")
    record = manifest["reports"]["other/02_beta"]
    assert record["parameters"] == {"case": "eastern-qalamoun-2018", "lang": "es"}
    assert record["case"] == "eastern-qalamoun-2018" and record["notebook_path"] == "notebooks/02_beta.ipynb"
    assert re.fullmatch(r"[0-9a-f]{64}", record["inputs"])
    assert len({r["inputs"] for r in manifest["reports"].values()}) == 6  # six different runs, six different hashes
    assert f'title="{record["inputs"]}">{record["inputs"][:12]}</span>' in page
    assert "case = eastern-qalamoun-2018\nlang = es" in page
    assert "Eastern Qalamoun surrender and evacuation, April 2018" in page


def test_a_report_whose_inputs_changed_is_marked_stale_and_says_what_changed(reports):
    project, cache, out = reports
    case = project / "data" / "eastern-qalamoun-2018" / "events.csv"
    saved = case.read_bytes()
    try:
        rows = read_rows(case)
        rows[0]["summary_en"] += " (edited)"
        write_rows(case, rows)
        proc = command(project, "run", "--out", str(out), "-n", "02", "--params", "default", "--no-progress", cache=cache)
    finally:
        case.write_bytes(saved)  # the module's other tests read this project
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert re.search(r"^ok\s+default/02_beta", proc.stdout, re.M), "the changed case reruns the report"
    rows = _rows(out / "index.html")
    assert rows["default/02_beta"] == "ok"
    assert {name: cls for name, cls in rows.items() if name != "default/02_beta"} == {
        name: "kept stale" for name in FULL if name != "default/02_beta"
    }
    assert "stale: the case&#39;s files changed" in (out / "index.html").read_text(encoding="utf-8")
    # with the case as it was, the kept reports are current again
    proc = command(project, "run", "--out", str(out), "-n", "01", "--params", "default", "--no-progress", cache=cache)
    assert proc.returncode == 0 and "cached default/01_alpha" in proc.stdout
    rows = _rows(out / "index.html")
    assert rows["default/03_gamma"] == "kept" and rows["default/02_beta"] == "kept stale"  # built from the edited case


def test_clean_removes_only_what_it_is_asked_and_only_the_runners_files(reports):
    project, cache, out = reports
    (out / "notes.md").write_text("a reviewer's notes")
    (out / "other" / "review.txt").write_text("looks right")
    proc = command(project, "clean", "--out", str(out), "--params", "other", cache=cache)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "3 report(s) removed" in proc.stdout
    assert sorted(_rows(out / "index.html")) == FULL[:3]
    assert sorted(p.name for p in (out / "other").iterdir()) == ["review.txt"]  # the user's file, and nothing else
    assert sorted(_manifest(out)["reports"]) == FULL[:3]
    proc = command(project, "clean", "--out", str(out), cache=cache)
    assert proc.returncode == 0 and "3 report(s) removed" in proc.stdout
    assert tree(out) == {"notes.md": b"a reviewer's notes", "other/review.txt": b"looks right"}
    # a folder the runner did not write is refused, and left alone
    proc = command(project, "clean", "--out", str(out), cache=cache)
    assert proc.returncode == 2 and "not written by `qalamoun run`" in proc.stderr
    assert tree(out) == {"notes.md": b"a reviewer's notes", "other/review.txt": b"looks right"}


def test_clean_of_every_report_removes_the_folder_it_made(reports):
    project, cache, out = reports
    proc = command(project, "clean", "--out", str(out), cache=cache)
    assert proc.returncode == 0 and "6 report(s) removed" in proc.stdout
    assert not out.exists()


def test_replace_removes_the_other_reports(reports):
    project, cache, out = reports
    proc = command(project, "run", "--out", str(out), "-n", "01", "--params", "default", "--replace", "--no-progress", cache=cache)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert _rows(out / "index.html") == {"default/01_alpha": "cached"}
    assert sorted(p for p in tree(out) if not p.startswith(".")) == [
        "default/01_alpha.html",
        "default/01_alpha.ipynb",
        "default/01_alpha.summary.json",
        "default/summary.json",
        "index.html",
    ]


def test_a_folder_from_before_reports_were_recorded_is_read_back_from_its_notebooks(reports):
    """A manifest of format 1 listed files only: its reports are kept, read from the notebooks' metadata, and marked stale."""
    project, cache, out = reports
    manifest = _manifest(out)
    (out / runner.MARKER).write_text(json.dumps({"written_by": "qalamoun run", "files": manifest["files"]}), encoding="utf-8")
    proc = command(project, "run", "--out", str(out), "-n", "01", "--params", "default", "--no-progress", cache=cache)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    rows = _rows(out / "index.html")
    assert rows["default/01_alpha"] == "cached" and rows["other/02_beta"] == "kept stale"
    assert _manifest(out)["reports"]["other/02_beta"]["parameters"] == {"case": "eastern-qalamoun-2018", "lang": "es"}


# --- atomic writing -----------------------------------------------------------------------------------------------

# A process that swaps new trees into a folder, one generation after another: every file of generation i holds "i".
SWAPPER = """
import sys
from pathlib import Path
from analysis.runner import output
out = Path(sys.argv[1])
i = 0
while True:
    tmp = output.new_tree(out)
    for n in range(30):
        (tmp / f"f{n:02d}.txt").write_text(str(i))
    output.write_manifest(tmp, [], [])
    output.commit(tmp, output.read(out))
    if i == 0:
        print("swapped once", flush=True)
    i += 1
"""


@pytest.mark.skipif(sys.platform != "linux", reason="renameat2(RENAME_EXCHANGE) is Linux's")
def test_a_folder_killed_mid_swap_holds_one_whole_generation(tmp_path):
    """SIGKILL at random moments of a loop of swaps: the folder is always exactly one generation, never half of two."""
    out = tmp_path / "reports"
    rng = random.Random(7)
    seen = set()
    for _ in range(12):
        proc = subprocess.Popen([sys.executable, "-c", SWAPPER, str(out)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
        assert proc.stdout.readline() == "swapped once\n"  # the loop is running (however busy the machine)
        time.sleep(rng.random() * 0.3)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        files = sorted(p for p in out.iterdir() if p.name.startswith("f"))
        values = {p.read_text() for p in files}
        assert len(files) == 30 and len(values) == 1, (len(files), values)
        seen |= values
    assert len(seen) > 1, "the loop never got past its first swap"
