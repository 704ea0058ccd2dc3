"""Helpers for tests that run notebooks: the command, parameter sets, small notebooks, processes, a headless browser."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]


def qalamoun(*args: str, cache: Path | None = None, cwd: Path = ROOT, timeout: int = 600) -> subprocess.CompletedProcess:
    """Run the command; ``cache`` keeps its cache out of the checkout (a fresh folder per test unless shared on purpose)."""
    env = {k: v for k, v in os.environ.items() if k not in ("QALAMOUN_DATA", "QALAMOUN_PROJECT", "QALAMOUN_CACHE")}
    if cache is not None:
        env["QALAMOUN_CACHE"] = str(cache)
    return subprocess.run([sys.executable, "-m", "analysis.cli", *args], capture_output=True, text=True, cwd=cwd, timeout=timeout, env=env)


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (from /proc: children of children too)."""
    parent_of = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parent_of[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = [], [pid]
    while frontier:
        kids = [p for p, pp in parent_of.items() if pp in frontier]
        found += kids
        frontier = kids
    return found


def alive(pid: int) -> bool:
    """True if ``pid`` runs (a zombie counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def param_set(folder: Path, slug: str, values: dict) -> Path:
    path = folder / f"{slug}.yaml"
    path.write_text(yaml.safe_dump({"title": slug, "parameters": values}), encoding="utf-8")
    return path


def tiny_notebook(path: Path, body: str, extra: str = "") -> Path:
    """A notebook with a tagged parameters cell (case, summary_path and ``extra`` lines) and ``body``."""
    params = nbformat.v4.new_code_cell('case = "eastern-qalamoun-2018"  # case\nsummary_path = None  # where\n' + extra)
    params.metadata["tags"] = ["parameters"]
    nb = nbformat.v4.new_notebook(cells=[params, nbformat.v4.new_code_cell(body)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


WRITE_SUMMARY = "import json, pathlib\nif summary_path:\n    pathlib.Path(summary_path).write_text(json.dumps({'ok': True}))\n"


def counting_notebook(path: Path, counter: Path) -> Path:
    """A tiny notebook that appends its case to ``counter`` each time a kernel runs it, then writes its summary."""
    body = f"import pathlib\nwith pathlib.Path({str(counter)!r}).open('a') as fh:\n    fh.write(case + '\\n')\n" + WRITE_SUMMARY
    return tiny_notebook(path, body)


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by relative path, with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def summary(out: Path, slug: str, stem: str) -> dict:
    return json.loads((out / slug / f"{stem}.summary.json").read_text(encoding="utf-8"))


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--allow-file-access-from-files",
    "--enable-logging=stderr",
    "--v=0",
    "--virtual-time-budget=8000",
]


def harness(folder: Path, report: Path) -> Path:
    """A page that loads ``report`` in a frame, then writes what it found into its own DOM."""
    page = folder / "harness.html"
    page.write_text(
        f"""<!doctype html><html><head><meta charset="utf-8"></head><body>
<div id="result">pending</div>
<iframe id="f" src="{report.as_uri()}" width="1200" height="900"></iframe>
<script>
document.getElementById('f').addEventListener('load', () => {{
  const doc = document.getElementById('f').contentDocument;
  const imgs = Array.from(doc.querySelectorAll('img')).filter(i => (i.getAttribute('src') || '').startsWith('data:image/svg+xml'));
  const drawn = imgs.filter(i => i.complete && i.naturalWidth > 0 && i.naturalHeight > 0).length;
  const scripts = Array.from(doc.querySelectorAll('script')).map(s => s.textContent || '');
  document.getElementById('result').textContent = JSON.stringify({{
    title: doc.title, svg: imgs.length, drawn: drawn, inline_svg: doc.querySelectorAll('svg').length,
    pwned: doc.body.getAttribute('data-pwned'), injected_scripts: scripts.filter(t => t.includes('PWNED')).length,
    external: Array.from(doc.querySelectorAll('script[src],link[href^=http]')).length
  }});
}});
</script></body></html>""",
        encoding="utf-8",
    )
    return page


def open_in_browser(folder: Path, report: Path) -> tuple[dict, list[str]]:
    """Load ``report`` offline in headless Chromium; return the harness result and the console errors."""
    page = harness(folder, report)
    proc = subprocess.run(
        [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={folder / 'profile'}", "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    )
    dom = proc.stdout
    start = dom.index('<div id="result">') + len('<div id="result">')
    result = json.loads(dom[start : dom.index("</div>", start)].replace("&quot;", '"').replace("&amp;", "&"))
    console = [ln for ln in proc.stderr.splitlines() if "CONSOLE" in ln]
    return result, console


def launch_browser(playwright):  # type: ignore[no-untyped-def]
    """Debian's Chromium driven by Playwright (its own browser download is not used), offline."""
    return playwright.chromium.launch(
        executable_path=chromium(),
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        ],
    )


# JavaScript run in a report page: the text a reader sees (code cells left out) and whether any code shows.
VISIBLE_TEXT_JS = """() => {
  const hidden = el => { for (let e = el; e; e = e.parentElement) { const s = getComputedStyle(e);
    if (s.display === 'none' || s.visibility === 'hidden') return true; } return false; };
  const inputs = Array.from(document.querySelectorAll('.jp-InputArea, .jp-Cell-inputWrapper'));
  const codeShown = inputs.filter(e => !hidden(e) && e.getBoundingClientRect().height > 0).length;
  const clone = document.body.cloneNode(true);
  clone.querySelectorAll('.jp-InputArea, .jp-Cell-inputWrapper, .jp-InputPrompt, .jp-OutputPrompt, style, script').forEach(e => e.remove());
  return {text: clone.innerText || clone.textContent, codeShown: codeShown};
}"""
