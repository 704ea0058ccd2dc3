"""The registry of export formats and the context every exporter reads from.

Each format is one module with a ``write(ctx, folder) -> list[str]`` function that
writes its files into ``folder`` and returns their paths relative to the export
root.  Formats may add notes to ``ctx.metadata[name]`` (for instance the places
that have no coordinates); :mod:`analysis.export.writer` stores them in
``metadata.json``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

    from ..cases import Case
    from ..flows import Reconciliation


@dataclass
class Context:
    """What the exporters share: the case, the reconciliation (computed once) and the actor graph."""

    case: Case
    best_rule: str = "median"
    metadata: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def rec(self) -> Reconciliation:
        from .. import flows

        return flows.reconcile(self.case, best_rule=self.best_rule)

    @cached_property
    def graph(self) -> nx.MultiDiGraph:
        from .. import network

        return network.build_graph(self.case)

    def memo(self, name: str, build: Callable[[], Any]) -> Any:
        """``build()`` computed once per export and kept under ``name``."""
        cache = self.__dict__.setdefault("_memo", {})
        if name not in cache:
            cache[name] = build()
        return cache[name]

    def rows(self, table: str, key: str) -> dict[str, dict[str, Any]]:
        """Rows of a case table as dicts keyed by ``key`` (built once per export)."""
        return self.memo(f"rows:{table}:{key}", lambda: {str(r[key]): r for r in self.case.table(table).to_dict("records")})

    def note(self, fmt: str, key: str, value: Any) -> None:
        """Record a note for ``metadata.json`` under the format's name."""
        self.metadata.setdefault(fmt, {})[key] = value


@dataclass(frozen=True)
class Format:
    """One export format: where it writes, what it holds, which tools open it."""

    name: str
    folder: str
    description: str
    opens_with: str
    module: str

    def writer(self) -> Callable[[Context, Path], list[str]]:
        from importlib import import_module

        return import_module(f".{self.module}", __package__).write


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format(
            "hxl",
            "hxl",
            "HXL-tagged CSVs of events, movements, actors and reconciled figures",
            "HDX tools (HXL Proxy, Quick Charts), libhxl, any spreadsheet",
            "hxl",
        ),
        Format(
            "acled",
            "acled",
            "events in ACLED's columns and vocabularies, with the crosswalk used and the events it cannot map",
            "anything that reads ACLED exports (Excel, R acledR, pandas)",
            "acled",
        ),
        Format(
            "ucdp",
            "ucdp",
            "every reconciled figure with UCDP GED-style best / low / high, date_prec, where_prec, number_of_sources",
            "anything that reads UCDP GED CSVs (R, Stata, pandas)",
            "ucdp",
        ),
        Format(
            "graph",
            "graph",
            "the signed temporal actor network as GraphML and as dynamic GEXF (time intervals per tie)",
            "Gephi (GEXF timeline), Cytoscape, yEd, networkx, igraph",
            "graph",
        ),
        Format(
            "geojson",
            "geo",
            "places as points and movements as lines with people and buses low / best / high",
            "QGIS, geojson.io, kepler.gl, Leaflet, any GIS",
            "geo",
        ),
        Format(
            "results",
            "results",
            "a Frictionless data package of reconciled figures, contradictions, movements and network metrics",
            "frictionless, Open Data Editor, pandas, R, any spreadsheet",
            "results",
        ),
    )
}


def parse_formats(names: list[str] | tuple[str, ...] | None) -> list[str]:
    """Format names in registry order; ``None``, empty or ``all`` means every format.

    Names may be repeated or comma-separated; an unknown name raises ValueError naming the known ones.
    """
    wanted = [n.strip().lower() for raw in (names or []) for n in raw.split(",") if n.strip()]
    if not wanted or "all" in wanted:
        return list(FORMATS)
    unknown = sorted(set(wanted) - set(FORMATS))
    if unknown:
        raise ValueError(f"unknown format(s) {', '.join(map(repr, unknown))}; formats are: all, {', '.join(FORMATS)}")
    return [n for n in FORMATS if n in wanted]
