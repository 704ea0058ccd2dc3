"""Helpers for tests that run notebooks: the command, parameter sets, small notebooks, processes, a headless browser."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import nbformat
import yaml
from conftest import case_ids

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


def param_set(folder: Path, slug: str, values: dict, notebooks: list[str] | None = None) -> Path:
    """A parameter set file ``<slug>.yaml``, for every notebook or only ``notebooks`` (stems or number prefixes)."""
    path = folder / f"{slug}.yaml"
    data = {"title": slug, "parameters": values} | ({"notebooks": notebooks} if notebooks else {})
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def run_sets(folder: Path, sets: dict[str, tuple[dict, list[str] | None]]) -> tuple[Path, subprocess.CompletedProcess]:
    """One ``qalamoun run`` (warm kernels, two at a time) of every set ``slug -> (values, notebooks)``; its report folder."""
    args = []
    for slug, (values, notebooks) in sets.items():
        args += ["--params", str(param_set(folder, slug, values, notebooks))]
    out = folder / "reports"
    proc = qalamoun("run", *args, "--out", str(out), "--jobs", "2", "--no-progress", cache=folder / "cache", timeout=1200)
    return out, proc


def notebook_error(out: Path, slug: str, stem: str) -> str | None:
    """None when ``<slug>/<stem>`` ran to the end and wrote its summary, else what went wrong (the error the notebook shows)."""
    executed = out / slug / f"{stem}.ipynb"
    if not executed.is_file():
        return f"{slug}/{stem}: no executed notebook"
    nb = nbformat.read(executed, as_version=4)
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            if o.get("output_type") == "error":
                return f"{slug}/{stem}: {o.get('ename')}: {o.get('evalue')} in the cell {cell.source[:200]!r}"
    if not (out / slug / f"{stem}.summary.json").is_file():
        return f"{slug}/{stem}: no summary.json"
    return None


QUOTED = re.compile(r'<td [^>]*translate="no"[^>]*>.*?</td>', re.S)  # a cell quoted as recorded: a title, an outlet, an address


def visible_text(path: Path, quoted: bool = True) -> str:
    """What a reader of an executed notebook sees besides its code: markdown, tables, text output and chart text.
    Without ``quoted``, the cells a report quotes in their own language (the titles and outlets of the documents it
    cites, as the sources table records them, and their addresses) are left out: what remains is what the report itself writes."""
    nb = nbformat.read(path, as_version=4)
    parts = []
    for c in nb.cells:
        if c.cell_type == "markdown":
            parts.append(c.source)
        for o in c.get("outputs", []):
            data = o.get("data", {})
            parts += [data.get(k, "") for k in ("text/html", "text/markdown", "image/svg+xml")]
            parts.append(o.get("text", ""))
    raw = " ".join("".join(p) if isinstance(p, list) else p for p in parts)
    return html.unescape(raw if quoted else QUOTED.sub(" ", raw))


def unquoted_text(path: Path) -> str:
    """:func:`visible_text` without the quoted cells."""
    return visible_text(path, quoted=False)


def html_tables(path: Path) -> list[tuple[list[str], list[list[str]]]]:
    """Every HTML table an executed notebook shows: its header cells and its body rows, as text."""
    from html.parser import HTMLParser

    class Tables(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.tables: list[tuple[list[str], list[list[str]]]] = []
            self.cell: list[str] | None = None
            self.row: list[str] = []

        def handle_starttag(self, tag: str, attrs: list) -> None:
            if tag == "table":
                self.tables.append(([], []))
            elif tag == "tr":
                self.row = []
            elif tag in ("td", "th"):
                self.cell = []

        def handle_endtag(self, tag: str) -> None:
            if tag in ("td", "th") and self.cell is not None:
                self.row.append(" ".join("".join(self.cell).split()))
                self.cell = None
            elif tag == "tr" and self.tables:
                head, body = self.tables[-1]
                (body if head else head).extend([self.row] if head else self.row)

        def handle_data(self, data: str) -> None:
            if self.cell is not None:
                self.cell.append(data)

    parser = Tables()
    nb = nbformat.read(path, as_version=4)
    for c in nb.cells:
        for o in c.get("outputs", []):
            page = o.get("data", {}).get("text/html", "")
            parser.feed("".join(page) if isinstance(page, list) else page)
    return parser.tables


def tiny_notebook(path: Path, body: str, extra: str = "") -> Path:
    """A notebook with a tagged parameters cell (case, summary_path and ``extra`` lines) and ``body``."""
    params = nbformat.v4.new_code_cell(f'case = "{case_ids()[0]}"  # case\nsummary_path = None  # where\n' + extra)
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
