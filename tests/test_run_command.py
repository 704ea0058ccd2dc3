"""`qalamoun run` and its neighbours as a new user meets them: parameters that cannot lie, names that work, help that is true."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
import tomllib
from pathlib import Path

import pytest
from projectkit import command, make_project
from reportkit import ROOT, WRITE_SUMMARY, param_set, tiny_notebook
from typer.testing import CliRunner

from analysis import runner
from analysis.cli import app

QALAMOUN_TITLE = "Eastern Qalamoun surrender and evacuation, April 2018"  # data/eastern-qalamoun-2018/datapackage.json
GHOUTA_TITLE = "Eastern Ghouta surrender and evacuations, March–April 2018"  # data/eastern-ghouta-2018/datapackage.json


def _set(name: str) -> runner.ParamSet:
    return runner.load_param_set(ROOT / "params" / f"{name}.yaml")


def _nb(name: str) -> list[Path]:
    return runner.find_notebooks(ROOT, [name])


# --- a set run with another case, or another value ------------------------------------------------------------------


def test_a_set_for_one_case_run_on_another_takes_its_folder_and_title_from_the_case_run():
    """params/ghouta.yaml with -p case=eastern-qalamoun-2018 wrote Qalamoun reports under 'ghouta' and 'Eastern Ghouta'."""
    [job] = runner.plan(_nb("01"), [_set("ghouta")], {"case": "eastern-qalamoun-2018"}, project=ROOT)
    assert job.values["case"] == "eastern-qalamoun-2018"
    # the case's own name, then every other value of the set (params/ghouta.yaml: lang en, scenario best, best_rule median)
    assert job.param_set.slug == "eastern-qalamoun-2018--best-rule-median--lang-en--scenario-best"
    assert job.param_set.title == f"{QALAMOUN_TITLE}: best_rule = median, lang = en, scenario = best"
    assert "hout" not in job.param_set.slug + job.param_set.title


def test_a_value_that_changes_nothing_keeps_the_set_and_one_that_changes_a_value_names_it():
    by_path = str(ROOT / "data" / "eastern-qalamoun-2018")
    same = runner.plan(_nb("03"), [_set("spanish")], {"scenario": "best", "case": by_path}, project=ROOT)
    assert [j.param_set.slug for j in same] == ["spanish"]  # best is the set's own value; the case by path is the set's case
    [low] = runner.plan(_nb("03"), [_set("spanish")], {"scenario": "low"}, project=ROOT)
    assert low.param_set.slug == "spanish--scenario-low" and low.values["scenario"] == "low"
    assert low.param_set.title == "Español (mediana, escenario central), with scenario = low (the set has scenario = best)"
    [window] = runner.plan(_nb("01"), [_set("default")], {"start_date": "2018-04-01"}, project=ROOT)
    assert window.param_set.slug == "default--start-date-2018-04-01"  # not the set's value: the notebook's default (None)


def test_two_sets_made_one_by_the_same_values_run_once(tmp_path):
    """default and ghouta, both run on a third case with the same values, are one set: its report is written once."""
    import shutil

    shutil.copytree(ROOT / "data" / "eastern-qalamoun-2018", tmp_path / "my-case")
    jobs = runner.plan(_nb("01"), [_set("default"), _set("ghouta")], {"case": str(tmp_path / "my-case")}, project=ROOT)
    assert [j.param_set.slug for j in jobs] == ["my-case--best-rule-median--lang-en--scenario-best"]
    jobs = runner.plan(_nb("01"), [_set("default"), _set("ghouta")], {"case": "eastern-qalamoun-2018"}, project=ROOT)
    assert [j.param_set.slug for j in jobs] == ["default", "eastern-qalamoun-2018--best-rule-median--lang-en--scenario-best"]


def test_the_runner_parameter_is_refused_with_the_reason(tmp_path):
    with pytest.raises(runner.RunError) as err:
        runner.plan(_nb("01"), [_set("default")], {"summary_path": "/tmp/x.json"}, project=ROOT)
    assert "-p: 'summary_path' is set by the runner, not by a reader" in str(err.value)
    assert "summary.json beside it" in str(err.value)
    bad = param_set(tmp_path, "bad", {"summary_path": "x.json", "colour": "red"})
    with pytest.raises(runner.RunError) as err:
        runner.plan(_nb("01"), [runner.load_param_set(bad)], project=ROOT)
    text = str(err.value)
    assert f"{bad}: 'summary_path' is set by the runner" in text and f"{bad}: unknown parameter 'colour'" in text
    takes = re.search(r"unknown parameter 'colour'; the notebooks take ([^\n]*)", text).group(1).split(", ")
    assert takes == ["best_rule", "case", "cases", "end_date", "interactive", "lang", "relations", "scenario", "start_date"]


# --- names --------------------------------------------------------------------------------------------------------------


def test_a_parameter_set_is_found_by_name_or_path_and_an_unknown_one_lists_the_sets(tmp_path, monkeypatch):
    spanish = ROOT / "params" / "spanish.yaml"
    monkeypatch.chdir(tmp_path)  # names are looked up in the project, not where the user stands
    assert runner.find_param_sets(ROOT, ["spanish"]) == [spanish]
    assert runner.find_param_sets(ROOT, ["spanish.yaml"]) == [spanish]
    assert runner.find_param_sets(ROOT, [str(spanish)]) == [spanish]
    with pytest.raises(runner.RunError) as err:
        runner.find_param_sets(ROOT, ["spansh", "default"])
    assert "--params: no parameter set 'spansh'" in str(err.value)
    assert "april-2018, arabic, default, ghouta, ghouta-spanish, scenario-high, scenario-low, spanish" in str(err.value)


def test_a_notebook_is_found_by_number_name_or_file_name():
    timeline = ROOT / "notebooks" / "01_timeline.ipynb"
    for name in ("01", "01_timeline", "01_timeline.ipynb"):
        assert runner.find_notebooks(ROOT, [name]) == [timeline], name
    with pytest.raises(runner.RunError, match="'0' matches 4 notebooks; give a number, a name or a file name: 01_timeline, "):
        runner.find_notebooks(ROOT, ["0"])


# --- the command ----------------------------------------------------------------------------------------------------------


def test_version_cases_and_help_say_what_is_there(tmp_path):
    cli = CliRunner()
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert cli.invoke(app, ["--version"]).stdout == f"qalamoun {version}\n"
    listed = cli.invoke(app, ["cases", "--project", str(ROOT)]).stdout.splitlines()
    assert [line.split(None, 1) for line in listed] == [["eastern-ghouta-2018", GHOUTA_TITLE], ["eastern-qalamoun-2018", QALAMOUN_TITLE]]
    # run --help lists the sets of the project it is asked in, and the parameters a reader sets
    project = make_project(tmp_path / "project", sets={"zebra-crossing": {"lang": "es"}})
    proc = subprocess.run(
        [sys.executable, "-m", "analysis.cli", "run", "--help"],
        capture_output=True,
        text=True,
        cwd=project,
        env={**{k: v for k, v in os.environ.items() if not k.startswith("QALAMOUN_")}, "COLUMNS": "200"},
    )
    assert proc.returncode == 0, proc.stderr
    assert "zebra-crossing: The zebra-crossing set" in proc.stdout and "april-2018" not in proc.stdout
    for name in ("case", "cases", "start_date", "end_date", "lang", "scenario", "best_rule", "relations", "interactive"):
        assert re.search(rf"^\s*{name}: ", proc.stdout, re.M), name
    assert not re.search(r"^\s*summary_path: ", proc.stdout, re.M)


def test_no_progress_prints_each_run_as_it_ends(tmp_path):
    """Two notebooks on two workers: the quick one's line is printed while the slow one still runs."""
    mark = repr(str(tmp_path / "quick-done"))
    quick = tiny_notebook(tmp_path / "quick.ipynb", WRITE_SUMMARY + f"pathlib.Path({mark}).touch()\n")
    # the slow one waits for the quick one's cells to end, then 6 s more: however busy the machine, it ends well after
    wait = f"import pathlib, time\nfor _ in range(600):\n    if pathlib.Path({mark}).exists():\n        break\n    time.sleep(0.1)\n"
    slow = tiny_notebook(tmp_path / "slow.ipynb", wait + "time.sleep(6)\n" + WRITE_SUMMARY)
    ps = param_set(tmp_path, "one", {})
    args = ["run", "--params", str(ps), "-n", str(quick), "-n", str(slow), "--jobs", "2", "--no-progress", "--out", str(tmp_path / "r")]
    env = {k: v for k, v in os.environ.items() if not k.startswith("QALAMOUN_")}
    env["QALAMOUN_CACHE"] = str(tmp_path / "cache")
    proc = subprocess.Popen([sys.executable, "-m", "analysis.cli", *args], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    seen: list[tuple[float, str]] = []

    def read() -> None:
        for line in proc.stdout:
            seen.append((time.monotonic(), line))

    reader = threading.Thread(target=read)
    reader.start()
    proc.wait(timeout=300)
    ended = time.monotonic()
    reader.join()
    assert proc.returncode == 0, seen
    when = {line.split()[1]: t for t, line in seen if line.startswith("ok ")}
    assert set(when) == {"one/quick", "one/slow"}
    assert ended - when["one/quick"] > 3, "the quick run's line came only at the end"


def test_an_unknown_set_name_is_refused_before_anything_runs(tmp_path):
    project = make_project(tmp_path / "project")
    proc = command(project, "run", "--params", "defualt", "--out", str(tmp_path / "r"), cache=tmp_path / "cache")
    assert proc.returncode == 2
    assert "no parameter set 'defualt'" in proc.stderr and "the sets in" in proc.stderr and "are default, other" in proc.stderr
    assert not (tmp_path / "r").exists()
