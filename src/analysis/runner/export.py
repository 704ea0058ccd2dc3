"""Executed notebooks to stored files: clean metadata, self-contained HTML (code cells hidden unless asked).

The HTML exporter is built once per process (a Dask worker keeps it for every
run it does) for each of the two looks: outputs only (the default) and with code.
"""

from __future__ import annotations

import copy
import functools
import re
from pathlib import Path
from typing import Any

KERNEL = "python3"
_VOLATILE_META = ("papermill", "execution", "ExecuteTime", "collapsed", "scrolled")
_SCRIPT_SRC = re.compile(r"<script[^>]*\bsrc=\"[^\"]*\"[^>]*>\s*</script>", re.S)
_SCRIPT_MODULE = re.compile(r"<script type=\"module\">.*?</script>", re.S)
_SCRIPT_MATHJAX = re.compile(r"<script type=\"text/x-mathjax-config\">.*?</script>", re.S)


def clean_notebook(nb: Any) -> Any:
    """Drop timestamps and run-specific metadata so that stored notebooks are stable.

    Execution counts stay: they are sequential in a fresh kernel, and nbval
    expects a cell with outputs to have one.  Papermill gives the cell it
    injects a random id: it gets a fixed one.
    """
    for key in _VOLATILE_META:
        nb.metadata.pop(key, None)
    for cell in nb.cells:
        for key in _VOLATILE_META:
            cell.metadata.pop(key, None)
        if "injected-parameters" in cell.metadata.get("tags", []) and "id" in cell:
            cell.id = "injected-parameters"
    nb.metadata.get("kernelspec", {}).update({"name": KERNEL, "display_name": "Python 3 (ipykernel)", "language": "python"})
    return nb


TEMPLATES = Path(__file__).parent / "templates"
REPORT_TEMPLATE = "report.html.j2"  # the lab template, each chart image with its alt text (from the output's metadata)


@functools.cache
def exporter(show_code: bool = False) -> Any:
    """The lab-template HTML exporter without prompts, chart images with their alt text (:data:`REPORT_TEMPLATE`); code
    cells only with ``show_code`` (built once per process)."""
    from nbconvert import HTMLExporter

    return HTMLExporter(
        template_name="lab",
        template_file=REPORT_TEMPLATE,
        extra_template_paths=[str(TEMPLATES)],
        require_js_url="",
        mathjax_url="",
        mermaid_js_url="",
        exclude_input=not show_code,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )


def to_html(nb: Any, title: str, show_code: bool = False) -> str:
    """Self-contained HTML: the lab template without any script loaded from the network.

    Saved widget state (interactive charts) is left out: its placeholders would need scripts that a
    report does not load, while the static PNG + SVG beside each widget draw offline.
    """
    if "widgets" in nb.metadata:
        nb = copy.deepcopy(nb)
        nb.metadata.pop("widgets")
    body, _ = exporter(show_code).from_notebook_node(nb, resources={"metadata": {"name": title}})
    body = _SCRIPT_SRC.sub("", body)
    body = _SCRIPT_MODULE.sub("", body)
    return localize(_SCRIPT_MATHJAX.sub("", body), report_lang(nb))


_HTML_ROOT = re.compile(r"<html\b[^>]*>")


def report_lang(nb: Any) -> str:
    """The language a report is written in: its ``lang`` parameter (English where it has none)."""
    params = (nb.metadata.get("qalamoun") or {}).get("parameters") or {}
    return str(params.get("lang") or "en")


def localize(body: str, lang: str) -> str:
    """The page in ``lang``: ``lang`` and ``dir`` on its root; in a right-to-left language, code kept left to right;
    where the language's script has fonts of its own, those fonts embedded (subset to the page's text) and put first
    in the page's font lists, so that a browser without them still draws the text."""
    from .. import fonts, i18n

    attrs = i18n.html_attributes(lang)
    body = _HTML_ROOT.sub("<html " + " ".join(f'{k}="{v}"' for k, v in attrs.items()) + ">", body, count=1)
    rules = [fonts.font_face_css(f, body) for f in i18n.fonts(lang)]
    if i18n.fonts(lang):
        stack = ", ".join(f'"{f}"' for f in i18n.fonts(lang)) + ", system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif"
        rules.append(f":root {{ --jp-content-font-family: {stack}; --jp-ui-font-family: {stack}; }}")
    if attrs["dir"] == "rtl":
        rules.append("code, pre { direction: ltr; unicode-bidi: isolate; }")
    css = "\n".join(r for r in rules if r)
    return body.replace("</head>", f"<style>\n{css}\n</style>\n</head>", 1) if css else body
