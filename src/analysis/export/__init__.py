"""Take a case and what is computed from it to the tools the field uses.

``export_case(case, to, formats=None, best_rule="median")`` writes, into one folder:

- ``hxl/``: HXL-tagged CSVs (events, movements, actors, reconciled figures);
- ``acled/``: events in ACLED's columns and vocabularies, the crosswalk used
  (``acled_crosswalk.csv``, shipped with the package) and the events it cannot map;
- ``ucdp/``: every reconciled figure with UCDP GED-style precision and source counts;
- ``graph/``: the signed temporal actor network as GraphML and dynamic GEXF;
- ``geo/``: places as points and movements as lines (GeoJSON, RFC 7946);
- ``results/``: a Frictionless data package of the computed tables;
- ``metadata.json``: what was written, which tool opens it, and what could not be
  placed or mapped.

Every computed table comes from :func:`analysis.flows.reconcile`; the network from
:func:`analysis.network.build_graph`.  See :mod:`analysis.export.writer` for the
all-or-nothing write.
"""

from __future__ import annotations

from .formats import FORMATS, Format, parse_formats
from .writer import MARKER, ExportError, ExportResult, export_case

__all__ = ["FORMATS", "MARKER", "ExportError", "ExportResult", "Format", "export_case", "parse_formats"]
