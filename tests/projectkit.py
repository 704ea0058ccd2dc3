"""A small project for runner tests: tiny numbered notebooks, parameter sets, both cases' data, and the command run on it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from reportkit import ROOT, WRITE_SUMMARY, tiny_notebook

# each tiny notebook records its case and language in its summary, so a report says what it was run with
RECORD = "import json, pathlib\nif summary_path:\n    pathlib.Path(summary_path).write_text(json.dumps({'case': case, 'lang': lang}))\n"


def make_project(folder: Path, notebooks: dict[str, str] | None = None, sets: dict[str, dict] | None = None) -> Path:
    """``folder`` as a project: notebooks/ (tiny notebooks by stem), params/ (sets by name), data/ (a copy of both cases)."""
    notebooks = notebooks or {"01_alpha": RECORD, "02_beta": RECORD, "03_gamma": RECORD}
    sets = sets or {"default": {"case": "eastern-qalamoun-2018"}, "other": {"case": "eastern-qalamoun-2018", "lang": "es"}}
    (folder / "notebooks").mkdir(parents=True)
    (folder / "params").mkdir()
    for stem, body in notebooks.items():
        tiny_notebook(folder / "notebooks" / f"{stem}.ipynb", body, extra='lang = "en"  # lang\n')
    for name, values in sets.items():
        (folder / "params" / f"{name}.yaml").write_text(
            yaml.safe_dump({"title": f"The {name} set", "parameters": values}), encoding="utf-8"
        )
    shutil.copytree(ROOT / "data", folder / "data")
    return folder


def command(project: Path, *args: str, cache: Path, env: dict | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    """``qalamoun ARGS --project PROJECT`` in a fresh process, its cache in ``cache``, standing in the project."""
    full = {k: v for k, v in os.environ.items() if not k.startswith("QALAMOUN_")}
    full.update(env or {})
    full["QALAMOUN_CACHE"] = str(cache)
    return subprocess.run(
        [sys.executable, "-m", "analysis.cli", *args, "--project", str(project)],
        capture_output=True,
        text=True,
        cwd=project,
        timeout=timeout,
        env=full,
    )


__all__ = ["RECORD", "WRITE_SUMMARY", "command", "make_project"]
