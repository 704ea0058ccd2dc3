"""Parameterized reports: every notebook x parameter set, run with papermill on Dask, as offline HTML with an index.

Modules by concern: :mod:`.plan` (parameter sets, notebooks, jobs, checks),
:mod:`.preflight` (cases validated before any kernel), :mod:`.cache` (incremental
runs), :mod:`.execute` (Dask, local or remote), :mod:`.kernel` (warm kernels),
:mod:`.interrupt` (SIGINT and SIGTERM at any moment), :mod:`.export` (clean
notebooks, HTML), :mod:`.index` (the index page), :mod:`.output` (the report
folder: runs add and replace reports, never remove others) and :mod:`.pipeline`
(all of it in order).

Layout of the output folder::

    reports/index.html                 every report in the folder: set, notebook, case, parameters, inputs, status
    reports/.qalamoun-report           the manifest: every file the runner wrote, and what each report was built from
    reports/<set-slug>/<notebook>.ipynb
    reports/<set-slug>/<notebook>.html  self-contained: SVG charts, no script from the network
    reports/<set-slug>/<notebook>.summary.json
    reports/<set-slug>/summary.json    the set's summaries keyed by notebook
"""

from __future__ import annotations

from .cache import Cache, default_root
from .index import JobResult, index_html, index_page
from .interrupt import Interrupted
from .output import MARKER, Entry
from .pipeline import clean, execute_stored, run
from .plan import (
    RUNNER_PARAMETERS,
    Job,
    ParamSet,
    RunError,
    default_param_sets,
    find_notebooks,
    find_param_sets,
    load_param_set,
    notebook_parameters,
    parse_override,
    plan,
)

__all__ = [
    "MARKER",
    "RUNNER_PARAMETERS",
    "Cache",
    "Entry",
    "Interrupted",
    "Job",
    "JobResult",
    "ParamSet",
    "RunError",
    "clean",
    "default_param_sets",
    "default_root",
    "execute_stored",
    "find_notebooks",
    "find_param_sets",
    "index_html",
    "index_page",
    "load_param_set",
    "notebook_parameters",
    "parse_override",
    "plan",
    "run",
]
