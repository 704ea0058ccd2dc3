"""Parameterized reports: every notebook x parameter set, run with papermill on Dask, as offline HTML with an index.

Modules by concern: :mod:`.plan` (parameter sets, notebooks, jobs, checks),
:mod:`.preflight` (cases validated before any kernel), :mod:`.cache` (incremental
runs), :mod:`.execute` (Dask, local or remote; interrupts), :mod:`.export`
(clean notebooks, HTML), :mod:`.index` (the index page), :mod:`.output` (the
report folder) and :mod:`.pipeline` (all of it in order).

Layout of the output folder::

    reports/index.html                 every notebook x set, its parameters and status
    reports/.qalamoun-report           the files the runner wrote (only such a folder is replaced)
    reports/<set-slug>/<notebook>.ipynb
    reports/<set-slug>/<notebook>.html  self-contained: SVG charts, no script from the network
    reports/<set-slug>/<notebook>.summary.json
    reports/<set-slug>/summary.json    the set's summaries keyed by notebook
"""

from __future__ import annotations

from .cache import Cache, default_root
from .execute import Interrupted
from .index import JobResult, index_html
from .output import MARKER
from .pipeline import execute_stored, run
from .plan import Job, ParamSet, RunError, default_param_sets, find_notebooks, load_param_set, notebook_parameters, parse_override, plan

__all__ = [
    "MARKER",
    "Cache",
    "Interrupted",
    "Job",
    "JobResult",
    "ParamSet",
    "RunError",
    "default_param_sets",
    "default_root",
    "execute_stored",
    "find_notebooks",
    "index_html",
    "load_param_set",
    "notebook_parameters",
    "parse_override",
    "plan",
    "run",
]
