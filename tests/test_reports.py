"""qalamoun run: parameter checks before any kernel, parallel runs, failures, the report tree; notebooks under papermill."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest
from reportkit import ROOT, WRITE_SUMMARY, param_set, qalamoun, summary, tiny_notebook

from analysis import runner
from analysis.charts import LABELS


@pytest.fixture(scope="module")  # make test runs with --dist loadfile: one run per module
def runs(tmp_path_factory):
    """Every notebook under non-default parameter sets, run once for the module (two at a time)."""
    folder = tmp_path_factory.mktemp("runs")
    sets = [
        param_set(folder, "low", {"scenario": "low"}),
        param_set(folder, "high", {"scenario": "high"}),
        param_set(folder, "es", {"lang": "es", "best_rule": "prefer:eswiki"}),
        param_set(folder, "window", {"start_date": "2018-01-01", "relations": "all"}),
    ]
    out = folder / "reports"
    args = [a for s in sets for a in ("--params", str(s))]
    proc = qalamoun("run", *args, "--out", str(out), "--jobs", "2", "--no-progress", cache=folder / "cache")
    return out, proc


def test_every_run_succeeded_and_the_tree_is_complete(runs):
    out, proc = runs
    assert proc.returncode == 0, proc.stdout + proc.stderr
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "12 of 12 notebook runs succeeded" in index
    assert index.count('<tr class="ok">') == 12
    for slug in ("low", "high", "es", "window"):
        merged = json.loads((out / slug / "summary.json").read_text(encoding="utf-8"))
        assert sorted(merged) == ["01_timeline", "02_actor_network", "03_evacuation_flows"]
        for stem in merged:
            for ext in (".ipynb", ".html", ".summary.json"):
                assert (out / slug / f"{stem}{ext}").is_file()
    assert not list(out.parent.glob(".reports.tmp-*")), "temporary folder left behind"


def test_scenarios_give_ordered_figures(runs):
    out, _ = runs
    low = summary(out, "low", "03_evacuation_flows")
    high = summary(out, "high", "03_evacuation_flows")
    for s in (low, high):
        for q in ("people", "buses"):
            assert s[q]["low"] <= s[q]["best"] <= s[q]["high"], (q, s[q])
        assert s["contradictions"]["count"] == len(s["contradictions"]["ids"]) > 0
        assert s["first_departure"] == "2018-04-19" and s["last_arrival"] == "2018-04-25"
    assert low["scenario"] == "low" and high["scenario"] == "high"
    assert low["scenario_people"] == low["people"]["low"] < high["scenario_people"] == high["people"]["high"]


def _svg_texts(path: Path) -> list[str]:
    nb = nbformat.read(path, as_version=4)
    return [
        o["data"]["image/svg+xml"]
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if "image/svg+xml" in o.get("data", {})
    ]


def test_spanish_titles_on_every_chart(runs):
    out, _ = runs
    es_titles = {
        v
        for k, v in LABELS["es"].items()
        if k
        in {
            "timeline",
            "timeline_detail",
            "gantt",
            "cumulative",
            "by_destination",
            "map",
            "claims",
            "network",
            "adjacency",
            "centrality",
            "relations_time",
        }
    }
    en_titles = {LABELS["en"][k] for k in ("gantt", "cumulative", "by_destination", "map", "claims", "network")}
    for stem in ("01_timeline", "02_actor_network", "03_evacuation_flows"):
        svgs = _svg_texts(out / "es" / f"{stem}.ipynb")
        assert svgs
        for svg in svgs:
            text = re.sub(r"&#x?[0-9a-f]+;", "", svg)
            assert any(t in svg or t in text for t in es_titles), f"{stem}: a chart without a Spanish title"
            assert not any(f">{t}<" in svg for t in en_titles), f"{stem}: an English title in the Spanish report"
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
    assert "lang must be one of en, es, not 'fr'" in proc.stderr
    assert "start_date must be a date" in proc.stderr
    assert not out.exists()
    bad = param_set(tmp_path, "bad", {"case": "atlantis", "scenario": 3})
    proc = qalamoun("run", "--params", str(bad), "--out", str(out), cache=cache)
    assert proc.returncode == 2 and "unknown case 'atlantis'" in proc.stderr and "scenario must be one of" in proc.stderr
    assert not out.exists()


def test_a_failing_notebook_does_not_stop_the_others(tmp_path):
    good = tiny_notebook(tmp_path / "good.ipynb", WRITE_SUMMARY)
    broken = tiny_notebook(tmp_path / "broken.ipynb", "raise RuntimeError('deliberately broken')")
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
    assert (out / "one" / "broken.kernel.log").is_file() and not (out / "one" / "good.kernel.log").exists()


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


def test_stored_notebooks_are_clean_and_thin():
    for path in runner.find_notebooks(ROOT):
        nb = nbformat.read(path, as_version=4)
        assert nb.metadata["kernelspec"]["name"] == "python3"
        assert "papermill" not in nb.metadata
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert "parameters" in code[0].metadata.get("tags", [])
        assert all(c.outputs for c in code[1:]), f"{path.name}: stored without outputs"
        for c in code:
            assert not re.search(r"^\s*(def|class) ", c.source, re.M), f"{path.name}: defines a function"
            for mod in re.findall(r"^\s*(?:from|import) ([\w.]+)", c.source, re.M):
                assert mod.split(".")[0] in {"analysis", "IPython"}, f"{path.name} imports {mod}"
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
    by_id = runner.plan(nb, [runner.ParamSet("id", "id", {"case": "eastern-qalamoun-2018"})], project=ROOT)
    assert by_id[0].values["case"] == "eastern-qalamoun-2018"  # a case id stays an id
