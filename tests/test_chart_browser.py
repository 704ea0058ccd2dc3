"""Every chart of every report, measured in a browser at 1,200 px: on every case, in every language.

The reports are those of one shared run (:mod:`sharedruns`: every notebook, one set per case and language); nothing
is run again here.  Headless Chromium opens each HTML report in a 1,200 px window and, for each chart,

- measures the image in the page: drawn whole inside its output area (at its own size, never scaled, never cut);
- draws the chart's stored SVG inline and measures every visible text box: no two overlap, none and no legend runs
  past the chart's edges, no label ends in '…' (cut);
- reads its alt text: the chart's title and a sentence.

A problem is allowed only where :data:`EXCEPTIONS` lists it with its reason; a listed exception that no longer occurs
fails too, so that the list is kept to what is true.  Screenshots go to $SCREENSHOTS_DIR when it is set.
"""

from __future__ import annotations

import base64
import os
from pathlib import Path

import nbformat
import pytest
from reportkit import chromium, launch_browser
from sharedruns import case_ids, every_case_runs, langs, slug

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(chromium() is None, reason="needs Debian's chromium: apt-get install -y chromium"),
]
SHOTS = Path(os.environ["SCREENSHOTS_DIR"]) if os.environ.get("SCREENSHOTS_DIR") else None
WIDTH = 1200  # px: the reviewer's window
MAX_CHART = 720  # px: a chart, legends included, fits JupyterLab's output area (768 px at 1,200 with the file browser open)
STEMS = ["01_timeline", "02_actor_network", "03_evacuation_flows", "04_compare_cases"]
# (notebook, problem) -> why it is allowed for now.  Problems: overlaps, outside, legends, cut, alt, column.
EXCEPTIONS: dict[tuple[str, str], str] = {}

# In a report page: each chart image against its output area, then each chart's stored SVG drawn inline and measured.
MEASURE_JS = r"""() => {
  const imgs = Array.from(document.querySelectorAll('.jp-OutputArea-output img'))
    .filter(i => (i.getAttribute('src') || '').startsWith('data:image/svg+xml;base64,'));
  const host = document.createElement('div');
  host.style.cssText = 'position:absolute; left:0; top:0; direction:ltr;';
  document.body.appendChild(host);
  const strip = s => s.replace(/[\u2066-\u2069]/g, '').trim();
  const depth = e => { let d = 0; for (; e; e = e.parentElement) d++; return d; };
  const charts = imgs.map(img => {
    const area = img.closest('.jp-OutputArea-output'), r = img.getBoundingClientRect(), a = area.getBoundingClientRect();
    const column = {natural: img.naturalWidth, shown: r.width, area: a.width,
      cut: r.right > a.right + 0.5 || r.left < a.left - 0.5 || area.scrollWidth > area.clientWidth + 1,
      scaled: r.width < img.naturalWidth - 0.5};
    const bytes = Uint8Array.from(atob(img.getAttribute('src').slice(26)), c => c.charCodeAt(0));
    host.innerHTML = new TextDecoder().decode(bytes);
    const svg = host.querySelector('svg'), box = svg.getBoundingClientRect();
    const seen = el => { for (let e = el; e && e !== svg; e = e.parentElement) {
      const hidden = ['opacity', 'visibility', 'display'].map(k => e.getAttribute(k));
      if (hidden[0] === '0' || hidden[1] === 'hidden' || hidden[2] === 'none') return false; }
      return true; };
    const texts = Array.from(svg.querySelectorAll('text')).filter(t => strip(t.textContent || '') && seen(t)).map(t => {
      const b = t.getBoundingClientRect();
      return {text: strip(t.textContent), x0: b.left - box.left, y0: b.top - box.top, x1: b.right - box.left, y1: b.bottom - box.top};
    }).filter(t => t.x1 > t.x0 && t.y1 > t.y0);
    const overlaps = [];
    for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++) {
      const p = texts[i], q = texts[j];
      const w = Math.min(p.x1, q.x1) - Math.max(p.x0, q.x0), h = Math.min(p.y1, q.y1) - Math.max(p.y0, q.y0);
      if (w > 1 && h > 1) overlaps.push([p.text, q.text]);
    }
    const outside = texts.filter(t => t.x0 < -0.5 || t.y0 < -0.5 || t.x1 > box.width + 0.5 || t.y1 > box.height + 0.5).map(t => t.text);
    const legends = Array.from(svg.querySelectorAll('g.role-legend')).map(g => g.getBoundingClientRect())
      .filter(b => b.left < box.left - 0.5 || b.top < box.top - 0.5 || b.right > box.right + 0.5 || b.bottom > box.bottom + 0.5).length;
    const title = Array.from(svg.querySelectorAll('.role-title-text')).sort((p, q) => depth(p) - depth(q))[0];
    return {title: title ? strip(title.textContent) : '', width: box.width, texts: texts.length, overlaps, outside, legends,
            cut: texts.filter(t => t.text.includes('\u2026')).map(t => t.text), alt: img.getAttribute('alt') || '', column};
  });
  host.remove();
  return charts;
}"""

RUNS = [(case, lang) for case in case_ids() for lang in langs()]


def _stored_charts(path: Path) -> int:
    nb = nbformat.read(path, as_version=4)
    return sum("image/svg+xml" in o.get("data", {}) for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))


@pytest.fixture(scope="module")
def measured(tmp_path_factory):
    """(case, lang, notebook) -> the measures of each chart of that report, in order."""
    from playwright.sync_api import sync_playwright

    out, proc = every_case_runs(tmp_path_factory)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    found = {}
    with sync_playwright() as p:
        browser = launch_browser(p)
        page = browser.new_page(viewport={"width": WIDTH, "height": 900})
        for case, lang in RUNS:
            for stem in STEMS:
                report = out / slug(case, lang) / f"{stem}.html"
                page.goto(report.as_uri())
                page.wait_for_load_state("load")
                found[case, lang, stem] = page.evaluate(MEASURE_JS)
                assert len(found[case, lang, stem]) == _stored_charts(report.with_suffix(".ipynb")) > 0, (case, lang, stem)
                if SHOTS:
                    page.screenshot(path=str(SHOTS / f"charts_{slug(case, lang)}_{stem}.png"), full_page=True)
        browser.close()
    return found


def _problems(chart: dict) -> dict[str, object]:
    """What is wrong with one chart, by kind (empty when nothing is)."""
    out: dict[str, object] = {}
    if chart["overlaps"]:
        out["overlaps"] = chart["overlaps"]
    if chart["outside"]:
        out["outside"] = chart["outside"]
    if chart["legends"]:
        out["legends"] = chart["legends"]
    if chart["cut"]:
        out["cut"] = chart["cut"]
    title, alt = chart["title"], chart["alt"]
    if not title or not alt.startswith(title) or len(alt) < len(title) + 20:
        out["alt"] = alt
    column = chart["column"]
    if column["cut"] or column["scaled"] or column["natural"] > MAX_CHART or chart["width"] > MAX_CHART:
        out["column"] = {**column, "svg_width": chart["width"]}
    return out


@pytest.mark.parametrize(("case", "lang"), RUNS)
def test_every_chart_reads_cleanly_at_1200_px(measured, case, lang):
    """No text box on another, nothing past a chart's edges or cut, every chart whole in the page's column at its own
    size (720 px at most), every image's alt text its title and a sentence."""
    wrong = {}
    for stem in STEMS:
        for i, chart in enumerate(measured[case, lang, stem]):
            left = {k: v for k, v in _problems(chart).items() if (stem, k) not in EXCEPTIONS}
            if left:
                wrong[f"{stem} chart {i + 1} ({chart['title']})"] = left
    assert wrong == {}


def test_every_exception_still_applies(measured):
    """An exception is kept only while the problem it excuses still occurs somewhere."""
    seen = {(stem, kind) for (_, _, stem), charts in measured.items() for chart in charts for kind in _problems(chart)}
    assert [key for key in EXCEPTIONS if key not in seen] == []


def _measure_the_one_chart(page_html: Path) -> dict:
    """The measures of the only chart of a page, opened at 1,200 px."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch_browser(p)
        page = browser.new_page(viewport={"width": WIDTH, "height": 600})
        page.goto(page_html.as_uri())
        page.wait_for_load_state("load")
        (chart,) = page.evaluate(MEASURE_JS)
        browser.close()
    return chart


def test_the_measures_find_what_they_look_for(tmp_path):
    """The measuring script on a hand-made page: two labels drawn on each other, one past the chart's right edge, one
    cut, an image wider than its column and an alt text that is only a title, each found."""

    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="100"><g class="mark-group role-title">'
        '<g class="mark-text role-title-text"><text x="0" y="14" font-size="14px">A title</text></g></g>'
        '<text x="12" y="50" font-size="12px" opacity="0">hidden by Vega</text>'
        '<text x="10" y="50" font-size="12px">first label</text><text x="14" y="52" font-size="12px">second label</text>'
        '<text x="280" y="90" font-size="12px">past the edge</text><text x="100" y="80" font-size="12px">cut off…</text></svg>'
    )
    src = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
    page_html = tmp_path / "page.html"
    area = '<div class="jp-OutputArea-output" style="width:200px; overflow:hidden">'
    page_html.write_text(f'<html><body>{area}<img src="{src}" alt="A title"></div></body></html>', encoding="utf-8")
    chart = _measure_the_one_chart(page_html)
    found = _problems(chart)
    assert found["overlaps"] == [["first label", "second label"]]
    assert found["outside"] == ["past the edge"] and found["cut"] == ["cut off…"]
    assert found["alt"] == "A title" and found["column"]["cut"] and chart["title"] == "A title"


def test_a_chart_wider_than_the_column_is_scaled_down_not_cut(tmp_path):
    """A 1,600 px chart in a report at 1,200 px: the report's template draws it at the column's width, whole."""

    from analysis.runner import export

    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="200"><rect width="1600" height="200" fill="#ccc"/></svg>'
    meta = {"image/svg+xml": {"alt": "Wide. A grey band."}}
    output = nbformat.v4.new_output("display_data", data={"image/svg+xml": svg, "text/plain": "[chart] Wide"}, metadata=meta)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("chart", outputs=[output])])
    report = tmp_path / "wide.html"
    report.write_text(export.to_html(nb, "wide"), encoding="utf-8")
    chart = _measure_the_one_chart(report)
    column = chart["column"]
    assert column["natural"] == 1600 and column["scaled"] and not column["cut"]
    assert column["shown"] == pytest.approx(column["area"], abs=1) and chart["alt"] == "Wide. A grey band."
