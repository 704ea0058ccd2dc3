"""Every chart of the package (Altair), in English or Spanish, and how they are displayed.

- :mod:`.theme` — one look; fixed colours per phase, side, destination and sign and one shape per
  actor type, keyed by stored ids so that they are the same in both languages.
- :mod:`.shaping` — the data behind each chart as plain DataFrames (testable without Altair).
- :mod:`.timeline`, :mod:`.flows`, :mod:`.map`, :mod:`.network` — the charts of each analysis.
- :mod:`.render` — static PNG + SVG outputs (drawn by JupyterLab untrusted, GitHub, the HTML
  reports) or interactive JupyterChart widgets whose selections read back with :func:`selection`.

Every word comes from :mod:`analysis.i18n`.
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
    case_heading,
    largest_movements,
    main_window,
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
    "case_heading",
    "centrality_bars",
    "claims_dotplot",
    "compare",
    "convoy_gantt",
    "cumulative_chart",
    "destination_bars",
    "largest_movements",
    "main_window",
    "node_link",
    "relations_over_time",
    "route_map",
    "selection",
    "timeline",
    "use_renderer",
]
