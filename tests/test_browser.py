"""In a browser, offline: HTML reports draw every chart and speak the reader's language; JupyterLab draws every
stored chart of an untrusted fresh copy of the notebooks.

Screenshots go to $SCREENSHOTS_DIR when it is set (the lead's review copies live in notes/screens/).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest
from conftest import CASE_DIR, read_rows, write_rows
from reportkit import VISIBLE_TEXT_JS, chromium, free_port, launch_browser, open_in_browser, param_set

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(chromium() is None, reason="needs Debian's chromium: apt-get install -y chromium"),
]
ROOT = Path(__file__).resolve().parents[1]
EVIL = "Syrian army <script>document.title='PWNED'</script><img src=x onerror=\"document.body.setAttribute('data-pwned','1')\">"
SHOTS = Path(os.environ["SCREENSHOTS_DIR"]) if os.environ.get("SCREENSHOTS_DIR") else None
# What a reader sees in each language, written here (not read from analysis.i18n); markers of the other language
IN_ENGLISH = ["What each source claimed", "Where the record contradicts itself", "what happened, phase by phase", "unknown"]
IN_SPANISH = ["Qué afirmó cada fuente", "Dónde se contradice el registro", "qué pasó, fase por fase", "desconocido"]
NOT_SPANISH = [
    "What each source",
    "contradicts itself",
    "Each movement",
    "Summary",
    "unknown",
    "Departure",
    " Apr ",
    "whole case",
    "claimed",
]
NOT_ENGLISH = ["Qué afirmó", "contradice", "Cada movimiento", "Resumen", "desconocido", "Salida", " abr ", "todo el caso", "afirmada"]


def _run(folder: Path, sets: dict[str, dict], notebooks: list[str]) -> Path:
    out = folder / "reports"
    args = [sys.executable, "-m", "analysis.cli", "run", "--out", str(out), "--jobs", "2", "--no-progress"]
    for slug, values in sets.items():
        args += ["--params", str(param_set(folder, slug, values))]
    for n in notebooks:
        args += ["-n", n]
    proc = subprocess.run(args, capture_output=True, text=True, cwd=ROOT, timeout=900)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out


@pytest.fixture(scope="module")  # make test runs with --dist loadfile: one run per module
def evil_reports(tmp_path_factory):
    """The network and timeline notebooks on a copy of the case whose army carries a script in its name."""
    folder = tmp_path_factory.mktemp("evil")
    case = folder / "case"
    shutil.copytree(CASE_DIR, case)
    actors = read_rows(case / "actors.csv")
    for a in actors:
        if a["actor_id"] == "syrian-army":
            a["name_en"] = EVIL
    write_rows(case / "actors.csv", actors)
    return folder, _run(folder, {"evil": {"case": str(case)}}, ["02", "01"])


def test_every_chart_draws_offline(evil_reports):
    folder, out = evil_reports
    for stem in ("02_actor_network", "01_timeline"):
        nb = nbformat.read(out / "evil" / f"{stem}.ipynb", as_version=4)
        charts = sum("image/svg+xml" in o.get("data", {}) for c in nb.cells if c.cell_type == "code" for o in c.outputs)
        assert charts >= 2
        result, console = open_in_browser(folder, out / "evil" / f"{stem}.html")
        assert result["svg"] >= charts, result
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


@pytest.fixture(scope="module")
def language_reports(tmp_path_factory):
    """The flows and timeline reports in English and in Spanish."""
    folder = tmp_path_factory.mktemp("langs")
    return _run(folder, {"en": {"lang": "en"}, "es": {"lang": "es"}}, ["03", "01"])


def _read(page, path: Path, shot: Path | None) -> dict:
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    if shot:
        page.screenshot(path=str(shot), full_page=True)
    return page.evaluate(VISIBLE_TEXT_JS)


def test_reports_speak_the_readers_language(language_reports):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch_browser(p)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        seen = {}
        for lang in ("en", "es"):
            for stem in ("03_evacuation_flows", "01_timeline"):
                shot = SHOTS / f"report_{lang}_{stem}.png" if SHOTS else None
                seen[lang, stem] = _read(page, language_reports / lang / f"{stem}.html", shot)["text"]
        browser.close()
    en = seen["en", "03_evacuation_flows"] + seen["en", "01_timeline"]
    es = seen["es", "03_evacuation_flows"] + seen["es", "01_timeline"]
    assert all(s in en for s in IN_ENGLISH), [s for s in IN_ENGLISH if s not in en]
    assert all(s in es for s in IN_SPANISH), [s for s in IN_SPANISH if s not in es]
    assert not [s for s in NOT_SPANISH if s in es], [s for s in NOT_SPANISH if s in es]
    assert not [s for s in NOT_ENGLISH if s in en], [s for s in NOT_ENGLISH if s in en]
    for text in (en, es):
        assert "NaT" not in text and "<NA>" not in text and "{'low'" not in text


def _runner_hides_code() -> bool:
    proc = subprocess.run([sys.executable, "-m", "analysis.cli", "run", "--help"], capture_output=True, text=True, cwd=ROOT, timeout=60)
    return "--show-code" in proc.stdout


def test_reports_show_no_code_by_default(language_reports):
    if not _runner_hides_code():
        pytest.skip("the runner has no --show-code yet: code hiding arrives with it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch_browser(p)
        page = browser.new_page()
        for lang in ("en", "es"):
            assert _read(page, language_reports / lang / "03_evacuation_flows.html", None)["codeShown"] == 0, lang
        browser.close()


@pytest.fixture
def lab(tmp_path):
    """JupyterLab on 127.0.0.1 (free port, token) serving a fresh, never trusted copy of notebooks/; stopped after the test."""
    root = tmp_path / "clone"
    shutil.copytree(ROOT / "notebooks", root)
    home = tmp_path / "home"  # empty config, data (no trust database) and settings: a new user on a fresh clone
    settings = home / "settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}', encoding="utf-8")
    news = home / "settings" / "@jupyterlab" / "apputils-extension"
    news.mkdir(parents=True)
    (news / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}', encoding="utf-8")
    token = "t" + os.urandom(12).hex()
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(home / "config"), "JUPYTER_DATA_DIR": str(home / "data"), "HOME": str(home)}
    env["JUPYTER_RUNTIME_DIR"] = str(home / "runtime")
    args = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--IdentityProvider.token={token}"]
    args += [f"--ServerApp.root_dir={root}", f"--LabApp.user_settings_dir={home / 'settings'}", "--ServerApp.port_retries=0"]
    args += ["--allow-root"] if os.geteuid() == 0 else []  # CI runs as root
    for _attempt in range(3):  # a free port can be taken between choosing it and binding it: then try another
        port = free_port()
        proc, started = _start([*args, f"--port={port}"], env, tmp_path / "lab.log", f"http://127.0.0.1:{port}/api/status?token={token}")
        if started:
            break
    assert started, "JupyterLab did not start: " + (tmp_path / "lab.log").read_text()[-2000:]
    try:
        yield f"http://127.0.0.1:{port}", token, root
    finally:
        _stop(proc)


def _start(args: list[str], env: dict, log: Path, status: str) -> tuple[subprocess.Popen, bool]:
    """Start a server and wait up to 120 s for ``status`` to answer; (process, whether it answered)."""
    proc = subprocess.Popen(args, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    for _ in range(240):
        try:
            urllib.request.urlopen(status, timeout=2)
            return proc, True
        except OSError:
            if proc.poll() is not None:
                return proc, False
            time.sleep(0.5)
    _stop(proc)
    return proc, False


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


# In a JupyterLab notebook page: each output's kind and drawn size, and any output written as an Altair repr.
PANEL = "document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)')"  # the notebook in front
OUTPUTS_JS = (
    """() => {
  const panel = """
    + PANEL
    + """;
  const outs = Array.from(panel.querySelectorAll('.jp-OutputArea-output'));
  const charts = outs.filter(o => o.querySelector('.jp-RenderedImage img, .jp-RenderedSVG svg'));
  const drawn = charts.filter(o => { const e = o.querySelector('.jp-RenderedImage img, .jp-RenderedSVG svg');
    const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0 && (e.tagName !== 'IMG' || e.naturalWidth > 0); });
  const reprs = outs.filter(o => /alt\\.[A-Za-z]*Chart\\(/.test(o.innerText || ''));
  return {outputs: outs.length, charts: charts.length, drawn: drawn.length, pngs: panel.querySelectorAll('.jp-RenderedImage img').length,
          reprs: reprs.length};
}"""
)


def test_jupyterlab_draws_every_stored_chart_untrusted(lab):
    from playwright.sync_api import sync_playwright

    base, token, root = lab
    with sync_playwright() as p:
        browser = launch_browser(p)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        for path in sorted(root.glob("*.ipynb")):
            nb = nbformat.read(path, as_version=4)
            stored = sum("image/png" in o.get("data", {}) for c in nb.cells if c.cell_type == "code" for o in c.outputs)
            assert stored >= 2, path.name
            page.goto(f"{base}/lab/tree/{path.name}?reset&token={token}")
            page.wait_for_selector(".jp-RenderedImage img", timeout=60_000)
            loaded = f"Array.from({PANEL}.querySelectorAll('.jp-RenderedImage img')).filter(i => i.complete && i.naturalWidth > 0)"
            with contextlib.suppress(Exception):  # the assertions below say what was found
                page.wait_for_function(f"{loaded}.length >= {stored}", timeout=90_000)
            found = page.evaluate(OUTPUTS_JS)
            assert found["charts"] == stored and found["drawn"] == stored, (path.name, found)
            assert found["pngs"] == stored, (path.name, found)  # untrusted: JupyterLab draws the PNG, not the SVG
            assert found["reprs"] == 0, (path.name, found)
            if SHOTS:
                page.locator(".jp-RenderedImage img").first.scroll_into_view_if_needed()
                page.screenshot(path=str(SHOTS / f"jupyterlab_{path.stem}.png"))
            page.goto(f"{base}/lab?token={token}")  # leave the notebook before opening the next
        browser.close()
