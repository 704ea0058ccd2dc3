"""qalamoun run: parameter checks before any kernel, parallel runs, failures, the report tree; notebooks under papermill.

Every notebook on every case in every language (and the language checks of those reports) is test_every_case's.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import nbformat
import pytest
from conftest import case_ids
from reportkit import ROOT, WRITE_SUMMARY, param_set, qalamoun, summary, tiny_notebook

from analysis import runner


@pytest.fixture(scope="module")  # make test runs with --dist loadfile: one run per module
def runs(tmp_path_factory):
    """Every notebook under non-default parameter sets of the curated case, run once for the module (two at a time).

    The case notebooks run under each set; the low set also runs the comparison (of the cases it compares by default).
    Every notebook on every case in every language under the default parameters is test_every_case's run.
    """
    folder = tmp_path_factory.mktemp("runs")
    sets = [
        param_set(folder, "low", {"scenario": "low"}),
        param_set(folder, "high", {"scenario": "high"}, CASE_NOTEBOOKS),
        param_set(folder, "es", {"lang": "es", "best_rule": "prefer:eswiki"}, CASE_NOTEBOOKS),
        param_set(folder, "window", {"start_date": "2018-01-01", "relations": "all"}, CASE_NOTEBOOKS),
    ]
    out = folder / "reports"
    args = [a for s in sets for a in ("--params", str(s))]
    proc = qalamoun("run", *args, "--out", str(out), "--jobs", "2", "--no-progress", cache=folder / "cache")
    return out, proc


CASE_NOTEBOOKS = ["01", "02", "03"]
EXPECTED = {"low": 4, "high": 3, "es": 3, "window": 3}  # notebooks run under each set


def test_every_run_succeeded_and_the_tree_is_complete(runs):
    out, proc = runs
    n = sum(EXPECTED.values())
    assert proc.returncode == 0, proc.stdout + proc.stderr
    index = (out / "index.html").read_text(encoding="utf-8")
    assert f"{n} of {n} notebook runs succeeded" in index
    assert index.count('<tr class="ok">') == n
    expected = ["01_timeline", "02_actor_network", "03_evacuation_flows", "04_compare_cases"]
    for slug, count in EXPECTED.items():
        merged = json.loads((out / slug / "summary.json").read_text(encoding="utf-8"))
        assert sorted(merged) == expected[:count]
        for stem in merged:
            for ext in (".ipynb", ".html", ".summary.json", ".figures.html", ".figures.csv"):
                assert (out / slug / f"{stem}{ext}").is_file()
            page = (out / slug / f"{stem}.html").read_text(encoding="utf-8")
            assert f'href="{stem}.figures.html"' in page  # the report links the table of its figures
    assert not list(out.glob("*/.*.tmp-*")), "temporary folder left behind"


def test_warm_kernels_write_what_fresh_kernels_write(runs, tmp_path):
    """The real notebooks, on the Spanish set, rerun with a fresh kernel each: every file is the same bytes.

    In the module's run, two workers did thirteen notebooks, so most ran in a kernel that had run another notebook before.
    """
    out, _ = runs
    again = param_set(tmp_path, "es", {"lang": "es", "best_rule": "prefer:eswiki"}, CASE_NOTEBOOKS)  # the same set as the fixture's
    proc = qalamoun(
        "run",
        "--params",
        str(again),
        "--out",
        str(tmp_path / "fresh"),
        "--fresh-kernels",
        "--jobs",
        "2",
        "--no-progress",
        cache=tmp_path / "cache",
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    warm, fresh = out / "es", tmp_path / "fresh" / "es"
    names = sorted(p.name for p in warm.iterdir())
    assert names == sorted(p.name for p in fresh.iterdir()) and len(names) == 3 * 5 + 1  # 3 notebooks x 5 files + summary
    assert [n for n in names if (warm / n).read_bytes() != (fresh / n).read_bytes()] == []


def test_the_comparison_holds_one_entry_per_case(runs):
    out, _ = runs
    comparison = summary(out, "low", "04_compare_cases")
    assert sorted(comparison) == ["eastern-ghouta-2018", "eastern-qalamoun-2018"]  # the notebook's default cases
    # the Qalamoun headline: "en total alrededor de 5.000 personas" in 124 buses (the article)
    assert comparison["eastern-qalamoun-2018"]["people_claimed_best"] == 5000
    assert comparison["eastern-qalamoun-2018"]["buses_claimed_best"] == 124


def test_scenarios_give_ordered_figures(runs):
    out, _ = runs
    low = summary(out, "low", "03_evacuation_flows")
    high = summary(out, "high", "03_evacuation_flows")
    for s in (low, high):
        for q in ("people", "buses"):
            assert s[q]["low"] <= s[q]["best"] <= s[q]["high"], (q, s[q])
        assert s["contradictions"]["count"] >= 5  # at least the five the source notes name (shared/sources/README.md)
        assert s["first_departure"] == "2018-04-19" and s["last_arrival"] == "2018-04-25"
    assert low["scenario"] == "low" and high["scenario"] == "high"
    low_people, high_people = low["scenario_people"], high["scenario_people"]
    assert low_people["value"] == low["people"]["low"] < high_people["value"] == high["people"]["high"]
    # the Qalamoun movements with no people figure leave the sum open above, whatever the scenario
    assert low_people["high_open"] and high_people["high_open"] and low_people["n_unknown"] == high["people"]["n_unknown"] > 0


def test_a_preferred_source_is_the_rule_of_the_spanish_set(runs):
    out, _ = runs
    assert summary(out, "es", "03_evacuation_flows")["best_rule"] == "prefer:eswiki"


def test_window_drops_the_background_phase(runs):
    out, _ = runs
    window = summary(out, "window", "02_actor_network")
    full = summary(out, "low", "02_actor_network")  # whole record
    assert full["phases"][0]["phase"] == "background"
    assert "background" not in [p["phase"] for p in window["phases"]]
    assert full["relations"] - window["relations"] == 3 + 1 + 1  # 2016 ceasefire (3 ties), 2017 offensive, rebels v. ISIL
    timeline = summary(out, "window", "01_timeline")
    assert "background" not in timeline["events_by_phase"] and timeline["first_event"] >= "2018-01-01"


def test_bad_parameters_fail_before_any_kernel(tmp_path):
    out = tmp_path / "reports"
    cache = tmp_path / "cache"
    proc = qalamoun("run", "-p", "lang=fr", "-p", "colour=red", "-p", "start_date=2018-02-30", "--out", str(out), cache=cache)
    assert proc.returncode == 2
    assert "unknown parameter 'colour'" in proc.stderr
    assert "lang must be one of en, ar, es" in proc.stderr and "not 'fr'" in proc.stderr
    assert "start_date must be a date" in proc.stderr
    assert not out.exists()
    bad = param_set(tmp_path, "bad", {"case": "atlantis", "scenario": 3})
    proc = qalamoun("run", "--params", str(bad), "--out", str(out), cache=cache)
    assert proc.returncode == 2 and "unknown case 'atlantis'" in proc.stderr and "scenario must be one of" in proc.stderr
    assert not out.exists()


def test_a_failing_notebook_does_not_stop_the_others(tmp_path):
    good = tiny_notebook(tmp_path / "good.ipynb", WRITE_SUMMARY)
    # what a kernel says outside the notebook (a native library, a crash) goes to its stderr: the kernel log keeps it
    native = "import os\nos.write(2, b'said on the kernel stderr\\n')\n"
    broken = tiny_notebook(tmp_path / "broken.ipynb", native + "raise RuntimeError('deliberately broken')")
    slow = tiny_notebook(tmp_path / "slow.ipynb", "import time\ntime.sleep(60)")
    out = tmp_path / "reports"
    sets = [param_set(tmp_path, "one", {})]
    proc = qalamoun(
        "run",
        "--params",
        str(sets[0]),
        "-n",
        str(good),
        "-n",
        str(broken),
        "-n",
        str(slow),
        "--out",
        str(out),
        "--timeout",
        "5",
        "--jobs",
        "2",
        "--no-progress",
        cache=tmp_path / "cache",
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert re.search(r"ok\s+one/good", proc.stdout) and re.search(r"FAILED one/broken .*deliberately broken", proc.stdout)
    assert re.search(r"FAILED one/slow .*(?i:timeout|timed out)", proc.stdout)
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "1 of 3 notebook runs succeeded" in index
    assert index.count('<tr class="failed">') == 2 and "deliberately broken" in index
    assert (out / "one" / "good.summary.json").is_file() and (out / "one" / "broken.html").is_file()
    assert b"said on the kernel stderr\n" in (out / "one" / "broken.kernel.log").read_bytes()
    assert not (out / "one" / "good.kernel.log").exists()


def test_index_escapes_what_it_shows():
    job = runner.Job(Path("x.ipynb"), runner.ParamSet("s", "<script>alert(1)</script>", {}), {"case": "<b>c</b>"}, case="<b>c</b>")
    page = runner.index_html([runner.JobResult(job, "failed", seconds=1.0, error="<img src=x onerror=alert(1)>")])
    assert "<script>alert" not in page and "<img src=x" not in page and "<b>c" not in page
    assert "&lt;script&gt;" in page and "&lt;img src=x" in page and "case = &lt;b&gt;c&lt;/b&gt;" in page


def test_html_reports_load_nothing_from_the_network(runs):
    out, _ = runs
    for page in out.glob("*/*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"<script[^>]+src=", text), page
        assert "cdn" not in text.lower() or not re.search(r"(src|href)=\"https?://[^\"]*cdn", text), page


# What a thin notebook cell may not do: define, loop, build collections, or compute with pandas itself.
NOT_THIN = (
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.ClassDef,
    ast.Lambda,
    ast.For,
    ast.While,
    ast.With,
    ast.ListComp,
    ast.DictComp,
    ast.SetComp,
    ast.GeneratorExp,
)
PANDAS_WORK = {
    "groupby",
    "merge",
    "join",
    "pivot_table",
    "agg",
    "apply",
    "sort_values",
    "query",
    "loc",
    "iloc",
    "sum",
    "mean",
    "min",
    "max",
    "value_counts",
}


def _calls_outside_analysis(cell: str) -> list[str]:
    """Calls in ``cell`` that are not analysis functions, their methods, or the display of a value."""
    bad = []
    for node in ast.walk(ast.parse(cell)):
        if isinstance(node, NOT_THIN):
            bad.append(type(node).__name__)
        if isinstance(node, ast.Attribute) and node.attr in PANDAS_WORK:
            bad.append(f".{node.attr}")
        if isinstance(node, ast.Import | ast.ImportFrom):
            mod = node.module if isinstance(node, ast.ImportFrom) else node.names[0].name
            if (mod or "").split(".")[0] not in {"analysis", "IPython"}:
                bad.append(f"import {mod}")
    return bad


def test_stored_notebooks_are_clean_and_thin():
    """Every code cell only calls analysis functions and shows their results: no definitions, loops, comprehensions
    or pandas computation of its own (a hand-made cell that does is refused, below)."""
    assert _calls_outside_analysis("x = [a for a in y]\nf = lambda v: v\nt = df.groupby('a').sum()") == [
        "ListComp",
        "Lambda",
        ".sum",
        ".groupby",
    ]
    for path in runner.find_notebooks(ROOT):
        nb = nbformat.read(path, as_version=4)
        assert nb.metadata["kernelspec"]["name"] == "python3"
        assert "papermill" not in nb.metadata
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert "parameters" in code[0].metadata.get("tags", [])
        assert all(c.outputs for c in code[1:]), f"{path.name}: stored without outputs"
        for c in code:
            assert _calls_outside_analysis(c.source) == [], f"{path.name}: {c.source[:80]!r}"
            assert "execution" not in c.metadata and "papermill" not in c.metadata


def test_relative_case_paths_are_made_absolute(monkeypatch, tmp_path):
    """Kernels run in the output folder, so a case path relative to where the user stands is resolved first."""
    import shutil

    from conftest import CASE_DIR

    shutil.copytree(CASE_DIR, tmp_path / "my-case")
    monkeypatch.chdir(tmp_path)
    nb = runner.find_notebooks(ROOT, ["02"])
    jobs = runner.plan(nb, [runner.ParamSet("rel", "rel", {"case": "my-case"})], {"lang": "es"}, project=ROOT)
    assert jobs[0].values == {"case": str((tmp_path / "my-case").resolve()), "lang": "es"}
    by_id = runner.plan(nb, [runner.ParamSet("id", "id", {"case": case_ids()[0]})], project=ROOT)
    assert by_id[0].values["case"] == case_ids()[0]  # a case id stays an id


def test_a_parameter_set_can_name_its_notebooks(tmp_path):
    """A set with `notebooks: [1, "03"]` pairs with 01_timeline and 03_evacuation_flows only (YAML reads 01 as 1)."""
    path = tmp_path / "some.yaml"
    path.write_text('parameters: {lang: es}\nnotebooks: [01, "03"]\n', encoding="utf-8")
    ps = runner.load_param_set(path)
    jobs = runner.plan(runner.find_notebooks(ROOT), [ps], project=ROOT)
    assert [j.notebook.stem for j in jobs] == ["01_timeline", "03_evacuation_flows"]
    path.write_text("parameters: {}\nnotebooks: oops\n", encoding="utf-8")
    with pytest.raises(runner.RunError, match="'notebooks' is a list"):
        runner.load_param_set(path)
