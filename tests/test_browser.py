"""The HTML reports in headless Chromium, offline: every chart draws, no console error, data text stays text."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import CASE_DIR, read_rows, write_rows
from reportkit import chromium, open_in_browser, param_set

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(chromium() is None, reason="needs Debian's chromium: apt-get install -y chromium"),
]
ROOT = Path(__file__).resolve().parents[1]
EVIL = "Syrian army <script>document.title='PWNED'</script><img src=x onerror=\"document.body.setAttribute('data-pwned','1')\">"


@pytest.fixture(scope="module")  # make test runs with --dist loadfile: one run per module
def evil_reports(tmp_path_factory):
    """The network and flows notebooks on a copy of the case whose army carries a script in its name."""
    folder = tmp_path_factory.mktemp("evil")
    case = folder / "case"
    shutil.copytree(CASE_DIR, case)
    actors = read_rows(case / "actors.csv")
    for a in actors:
        if a["actor_id"] == "syrian-army":
            a["name_en"] = EVIL
    write_rows(case / "actors.csv", actors)
    ps = param_set(folder, "evil", {"case": str(case)})
    out = folder / "reports"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "analysis.cli",
            "run",
            "--params",
            str(ps),
            "-n",
            "02",
            "-n",
            "01",
            "--out",
            str(out),
            "--jobs",
            "2",
            "--no-progress",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return folder, out


def test_every_chart_draws_offline(evil_reports):
    folder, out = evil_reports
    for stem in ("02_actor_network", "01_timeline"):
        nb = nbformat.read(out / "evil" / f"{stem}.ipynb", as_version=4)
        charts = sum("image/svg+xml" in o.get("data", {}) for c in nb.cells if c.cell_type == "code" for o in c.outputs)
        assert charts >= 2
        result, console = open_in_browser(folder, out / "evil" / f"{stem}.html")
        assert result["svg"] == charts, result
        assert result["drawn"] == result["svg"], result
        assert result["external"] == 0
        errors = [c for c in console if "rror" in c or "Uncaught" in c or "Failed to load" in c]
        assert not errors, errors


def test_data_text_is_escaped(evil_reports):
    folder, out = evil_reports
    page = out / "evil" / "02_actor_network.html"
    assert "Syrian army" in page.read_text(encoding="utf-8")
    result, _ = open_in_browser(folder, page)
    assert result["title"] != "PWNED"
    assert result["pwned"] is None
    assert result["injected_scripts"] == 0
    index, _ = open_in_browser(folder, out / "index.html")
    assert index["title"] == "Qalamoun reports"
