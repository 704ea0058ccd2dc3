"""Helpers for tests that run notebooks: parameter sets, small notebooks, a headless browser."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import nbformat
import yaml


def param_set(folder: Path, slug: str, values: dict) -> Path:
    path = folder / f"{slug}.yaml"
    path.write_text(yaml.safe_dump({"title": slug, "parameters": values}), encoding="utf-8")
    return path


def tiny_notebook(path: Path, body: str) -> Path:
    """A notebook with a tagged parameters cell (case, summary_path) and ``body``."""
    params = nbformat.v4.new_code_cell('case = "eastern-qalamoun-2018"  # case\nsummary_path = None  # where\n')
    params.metadata["tags"] = ["parameters"]
    nb = nbformat.v4.new_notebook(cells=[params, nbformat.v4.new_code_cell(body)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


WRITE_SUMMARY = "import json, pathlib\nif summary_path:\n    pathlib.Path(summary_path).write_text(json.dumps({'ok': True}))\n"


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


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


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
