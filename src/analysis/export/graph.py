"""The signed temporal actor network as GraphML and as dynamic GEXF.

Both files hold :func:`analysis.network.build_graph`'s graph: actors as nodes
(``name_en``, ``name_es``, ``actor_type``, ``side``, ``acled_inter``) and one edge per
relation, keyed by its ``relation_id`` (the edge id in both formats), with
``relation``, ``sign``, ``directed``, ``date_start``, ``date_end``, ``event_id``,
``phase`` and ``source_ids``.  Mixed graphs are not portable (networkx's GEXF
reader refuses them), so the graph is directed and each edge says in
``directed`` whether its tie has a direction.

The GEXF is dynamic: each edge carries ``start`` / ``end`` (its dates, or its
phase's window where it has none), so Gephi's timeline plays the phases.  The
GEXF ``meta`` carries no modification date, so the same case gives the same file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx
from networkx.readwrite.gexf import GEXFWriter

from .formats import Context


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    """Attributes without missing values (GraphML and GEXF have no null)."""
    return {k: v for k, v in data.items() if v is not None}


def portable(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of ``g`` without missing attribute values or cached projections."""
    h = nx.MultiDiGraph(name=g.graph.get("case", ""), case=g.graph.get("case", ""))
    h.add_nodes_from((n, _clean(d)) for n, d in g.nodes(data=True))
    h.add_edges_from((u, v, k, _clean(d)) for u, v, k, d in g.edges(keys=True, data=True))
    return h


def dynamic(g: nx.MultiDiGraph, windows: dict[str, tuple[Any, Any]]) -> nx.MultiDiGraph:
    """A copy of ``g`` whose edges carry GEXF ``start`` / ``end`` and whose nodes carry a ``label``."""
    h = portable(g)
    h.graph["mode"] = "dynamic"
    for n, d in h.nodes(data=True):
        d["label"] = d.get("name_en", n)
    for _, _, key, d in h.edges(keys=True, data=True):
        d["id"] = key  # the GEXF edge id is the relation id
        lo, hi = windows.get(d.get("phase") or "", (None, None))
        start = d.get("date_start") or (lo.date().isoformat() if lo is not None else None)
        end = d.get("date_end") or (hi.date().isoformat() if hi is not None and not d.get("date_start") else None)
        d.update(_clean({"start": start, "end": end}))
    return h


def write_gexf(g: nx.MultiDiGraph, path: Path) -> None:
    """Write GEXF 1.2 without the writer's date stamp."""
    writer = GEXFWriter(version="1.2draft")
    writer.add_graph(g)
    meta = writer.xml.find("meta")
    if meta is not None:
        meta.attrib.pop("lastmodifieddate", None)
        creator = meta.find("creator")
        if creator is not None:
            creator.text = "qalamoun export"
    with path.open("wb") as f:
        writer.write(f)


def write(ctx: Context, folder: Path) -> list[str]:
    """Write ``network.graphml`` and ``network.gexf`` into ``folder``."""
    from .. import network

    folder.mkdir(parents=True, exist_ok=True)
    nx.write_graphml(portable(ctx.graph), folder / "network.graphml")
    windows = network.phase_windows(ctx.case)
    write_gexf(dynamic(ctx.graph, windows), folder / "network.gexf")
    undated = sorted(k for _, _, k, d in ctx.graph.edges(keys=True, data=True) if not d.get("date_start") and not d.get("phase"))
    ctx.note("graph", "ties_without_time", undated)
    ctx.note("graph", "phases", {p: [lo.date().isoformat(), hi.date().isoformat()] for p, (lo, hi) in windows.items()})
    return [f"{folder.name}/network.graphml", f"{folder.name}/network.gexf"]
