"""Every chart of the package (Altair), in every language of the reports, and how they are displayed.

- :mod:`.theme` — one look; the colours and shapes of vocabulary values come from the case's data
  package (:mod:`analysis.vocab`), keyed by stored ids so that they are the same in every language.
- :mod:`.shaping` — the data behind each chart as plain DataFrames (testable without Altair), drawn from
  the language-aware views of :mod:`analysis.views`.
- :mod:`.timeline`, :mod:`.flows`, :mod:`.map`, :mod:`.network` — the charts of each analysis.
- :mod:`.render` — static PNG + SVG outputs (drawn by JupyterLab untrusted, GitHub, the HTML
  reports) or interactive JupyterChart widgets whose selections read back with :func:`selection`.

Every word comes from :mod:`analysis.i18n`; facts about a case (its heading, its main window) are in
:mod:`analysis.views` and :mod:`analysis.timeline`.
"""

from __future__ import annotations

from . import compare
from .flows import claims_dotplot, convoy_gantt, cumulative_chart, destination_bars
from .map import basemap_path, route_map
from .network import adjacency, centrality_bars, node_link, relations_over_time
from .render import selection, use_renderer
from .shaping import (
    MAX_CLAIM_POINTS,
    MAX_DESTINATIONS,
    MAX_EVENTS,
    MAX_MOVEMENTS,
    MAX_ROUTES,
    MAX_SUBJECTS,
    largest_movements,
)
from .timeline import timeline

__all__ = [
    "MAX_CLAIM_POINTS",
    "MAX_DESTINATIONS",
    "MAX_EVENTS",
    "MAX_MOVEMENTS",
    "MAX_ROUTES",
    "MAX_SUBJECTS",
    "adjacency",
    "basemap_path",
    "centrality_bars",
    "claims_dotplot",
    "compare",
    "convoy_gantt",
    "cumulative_chart",
    "destination_bars",
    "largest_movements",
    "node_link",
    "relations_over_time",
    "route_map",
    "selection",
    "timeline",
    "use_renderer",
]
