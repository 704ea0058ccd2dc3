"""One ``qalamoun run`` of every notebook on every case of data/ in every language, shared by the modules that read it.

``make test`` runs modules in two workers (``-n 2 --dist loadfile``): two modules that each ran the same reports would
run every notebook twice.  :func:`every_case_runs` runs them once into the session's shared temporary folder, holding a
lock while it does; a module in the other worker that asks meanwhile waits, then reads the same reports.  The sets are
one per case and language (``<case>-<lang>``), each for every notebook, the comparison comparing the case with itself
alone, so a report names nothing of another case.
"""

from __future__ import annotations

import fcntl
import json
import os
from pathlib import Path
from types import SimpleNamespace

from reportkit import ROOT, param_set, qalamoun


def case_ids() -> list[str]:
    """Every case of the checkout: each folder of data/ with a datapackage.json, by name."""
    return sorted(p.name for p in (ROOT / "data").iterdir() if (p / "datapackage.json").is_file())


def langs() -> tuple[str, ...]:
    """The report languages, as the package lists them."""
    from analysis.i18n import LANGS

    return tuple(LANGS)


def slug(case: str, lang: str) -> str:
    return f"{case}-{lang}"


def _shared_folder(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    """The session's temporary folder that every xdist worker sees (the workers' own folders sit inside it)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def every_case_runs(tmp_path_factory) -> tuple[Path, SimpleNamespace]:  # type: ignore[no-untyped-def]
    """The report folder of the shared run (``<folder>/<case>-<lang>/<notebook>.html``, ``.ipynb``, ``.summary.json``)
    and the run's ``returncode``, ``stdout`` and ``stderr``; the run happens once per test session."""
    shared = _shared_folder(tmp_path_factory)
    folder = shared / "every-case-runs"
    with (shared / "every-case-runs.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = folder / "run.json"
        if not done.is_file():
            folder.mkdir(parents=True, exist_ok=True)
            args = []
            for case in case_ids():
                for lang in langs():
                    args += ["--params", str(param_set(folder, slug(case, lang), {"case": case, "cases": [case], "lang": lang}))]
            out = folder / "reports"
            proc = qalamoun("run", *args, "--out", str(out), "--jobs", "2", "--no-progress", cache=folder / "cache", timeout=1200)
            done.write_text(json.dumps({"returncode": proc.returncode, "stdout": proc.stdout, "stderr": proc.stderr}), encoding="utf-8")
        fcntl.flock(lock, fcntl.LOCK_UN)
    return folder / "reports", SimpleNamespace(**json.loads(done.read_text(encoding="utf-8")))
