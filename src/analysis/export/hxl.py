"""HXL (Humanitarian Exchange Language) CSVs: a row of hashtags under the header.

Four files: ``events.csv``, ``movements.csv``, ``actors.csv`` and ``figures.csv``.
Actors are split by kind, as HXL does: armed groups under ``#group+name+armed``,
agencies (governments, intelligence services, media, committees) under
``#org+name``, named people under ``#contact+name``.  Which actor types are which
is read from the case's ``actors.actor_type`` field (a ``qalamoun:hxl`` property,
value -> armed / agency / person); an actor type it does not classify stops the export
with its name.  Movements carry people, fighters, civilians (``#affected+displaced...``)
and buses (``#indicator+buses+num``) as low / best / high, where HDX's UCDP data keeps
the best figure only, and the announced (expected) range beside them as
``+planned+low`` / ``+planned+high`` where the reconciliation gives one.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ._io import split, write_csv
from .formats import Context

KIND_TAGS = {"armed": "#group+name+armed", "agency": "#org+name", "person": "#contact+name"}
SCENARIOS = ("low", "best", "high")


def actor_kinds(ctx: Context) -> dict[str, str]:
    """actor_type -> armed / agency / person, for every actor type the case uses."""
    from .. import vocab
    from .writer import ExportError

    declared = vocab.classes(ctx.case.package, "actors", "actor_type", "hxl")
    used = sorted(set(ctx.case.actors["actor_type"].astype(str)))
    missing = [t for t in used if declared.get(t) not in KIND_TAGS]
    if missing:
        raise ExportError(
            f"actors.csv: actor_type {', '.join(map(repr, missing))} has no HXL kind (armed, agency or person); "
            "declare it in datapackage.json as actors.actor_type's qalamoun:hxl"
        )
    return {t: declared[t] for t in used}


def actor_columns(ctx: Context, kinds: dict[str, str], actor_ids: Iterable[str]) -> tuple[str, str, str]:
    """Names of ``actor_ids`` split by ``kinds`` into armed groups, agencies and people ('; '-joined, in the order given)."""
    actors = ctx.rows("actors", "actor_id")
    names: dict[str, list[str]] = {k: [] for k in KIND_TAGS}
    for aid in actor_ids:
        if aid in actors:
            names[kinds[str(actors[aid]["actor_type"])]].append(str(actors[aid]["name_en"]))
    return "; ".join(names["armed"]), "; ".join(names["agency"]), "; ".join(names["person"])


def _events(ctx: Context, kinds: dict[str, str], path: Path) -> None:
    places = ctx.rows("places", "place_id")
    cols = [
        ("event_id", "#event+id"),
        ("event_type", "#event+type"),
        ("phase", "#event+phase"),
        ("date_start", "#date+occurred+start"),
        ("date_end", "#date+occurred+end"),
        ("date_precision", "#meta+date_precision"),
        ("place_id", "#loc+code"),
        ("place", "#loc+name"),
        ("lat", "#geo+lat"),
        ("lon", "#geo+lon"),
        ("geo_precision", "#meta+geo_precision"),
        ("armed_groups", KIND_TAGS["armed"]),
        ("agencies", KIND_TAGS["agency"]),
        ("people", KIND_TAGS["person"]),
        ("summary_en", "#description+i_en"),
        ("summary_es", "#description+i_es"),
        ("source_ids", "#meta+source"),
    ]
    rows = []
    for e in ctx.case.events.sort_values(["date_start", "event_id"], kind="stable").to_dict("records"):
        p = places.get(str(e["place_id"]), {})
        armed, agencies, people = actor_columns(ctx, kinds, split(e["actor_ids"]))
        rows.append(
            [
                *[e[k] for k in ("event_id", "event_type", "phase", "date_start", "date_end", "date_precision", "place_id")],
                *[p.get(k) for k in ("name_en", "lat", "lon", "geo_precision")],
                armed,
                agencies,
                people,
                *[e[k] for k in ("summary_en", "summary_es", "source_ids")],
            ]
        )
    write_csv(path, [c for c, _ in cols], rows, [t for _, t in cols])


def _movements(ctx: Context, kinds: dict[str, str], path: Path) -> None:
    places = ctx.rows("places", "place_id")
    mt = ctx.rec.movements
    sources = ctx.rows("movements", "movement_id")
    header = ["movement_id", "label_en", "label_es"]
    tags = ["#activity+code", "#activity+name+i_en", "#activity+name+i_es"]
    for end, attr in (("origin", "origin"), ("destination", "dest")):
        header += [f"{end}_place_id", end, f"{end}_lat", f"{end}_lon"]
        tags += [f"#loc+code+{attr}", f"#loc+name+{attr}", f"#geo+lat+{attr}", f"#geo+lon+{attr}"]
    header += ["via", "depart_date", "arrive_date", "armed_groups"]
    tags += ["#loc+name+via", "#date+start+departed", "#date+end+arrived", "#group+name+armed"]
    counts = [
        ("people", "#affected+displaced"),
        ("fighters", "#affected+displaced+fighters"),
        ("civilians", "#affected+displaced+civilians"),
        ("buses", "#indicator+buses+num"),
    ]
    for q, tag in counts:
        header += [f"{q}_{s}" for s in SCENARIOS]
        tags += [f"{tag}+{s}" for s in SCENARIOS]
    planned = [(f"{q}_expected_{b}", f"{tag}+planned+{b}") for q, tag in counts for b in ("low", "high") if f"{q}_expected_{b}" in mt]
    header += [c for c, _ in planned]
    tags += [t for _, t in planned]
    flags = [c for c in ("people_high_open", "buses_high_open") if c in mt.columns]
    header += ["people_basis", *flags, "source_ids"]
    tags += ["#meta+people_basis", *(f"#meta+{c}" for c in flags), "#meta+source"]
    rows = []
    for m in mt.to_dict("records"):
        o, d = places.get(str(m["origin_place_id"]), {}), places.get(str(m["destination_place_id"]), {})
        v = places.get(str(m["via_place_id"]), {})
        row = [m["movement_id"], m["label_en"], m["label_es"]]
        row += [m["origin_place_id"], o.get("name_en"), o.get("lat"), o.get("lon")]
        row += [m["destination_place_id"], d.get("name_en"), d.get("lat"), d.get("lon")]
        row += [v.get("name_en"), m["depart_date"], m["arrive_date"], actor_columns(ctx, kinds, split(m["actor_ids"]))[0]]
        row += [m[f"{q}_{s}"] for q, _ in counts for s in SCENARIOS]
        row += [m[c] for c, _ in planned]
        row += [m["people_basis"], *(m[c] for c in flags), sources[m["movement_id"]]["source_ids"]]
        rows.append(row)
    write_csv(path, header, rows, tags)


def _actors(ctx: Context, kinds: dict[str, str], path: Path) -> None:
    cols = [
        ("actor_id", "#meta+id"),
        ("armed_group", KIND_TAGS["armed"]),
        ("agency", KIND_TAGS["agency"]),
        ("person", KIND_TAGS["person"]),
        ("name_es", "#meta+name+i_es"),
        ("actor_type", "#meta+actor_type"),
        ("side", "#meta+side"),
        ("acled_inter", "#meta+acled_inter"),
        ("parent_id", "#meta+parent"),
        ("source_ids", "#meta+source"),
    ]
    rows = []
    for a in ctx.case.actors.sort_values("actor_id").to_dict("records"):
        armed, agency, person = actor_columns(ctx, kinds, [a["actor_id"]])
        rest = [a[k] for k in ("name_es", "actor_type", "side", "acled_inter", "parent_id", "source_ids")]
        rows.append([a["actor_id"], armed, agency, person, *rest])
    write_csv(path, [c for c, _ in cols], rows, [t for _, t in cols])


def _figures(ctx: Context, kinds: dict[str, str], path: Path) -> None:
    figs = ctx.rec.figures
    cols = [
        ("subject", "#meta+subject"),
        ("quantity", "#indicator+name"),
        ("low", "#indicator+num+low"),
        ("best", "#indicator+num+best"),
        ("high", "#indicator+num+high"),
        ("high_open", "#meta+high_open"),
    ]
    optional = [("low_open", "#meta+low_open"), ("figure_basis", "#meta+basis"), ("n_originators", "#meta+originators+num")]
    cols += [(c, t) for c, t in optional if c in figs.columns]
    cols += [("n_claims", "#meta+claims+num"), ("claim_ids", "#meta+claims"), ("source_ids", "#meta+source")]
    rows = figs[[c for c, _ in cols]].itertuples(index=False, name=None)
    write_csv(path, [c for c, _ in cols], rows, [t for _, t in cols])


def write(ctx: Context, folder: Path) -> list[str]:
    """Write the four HXL files into ``folder``; return their paths relative to the export root."""
    parts = {"events.csv": _events, "movements.csv": _movements, "actors.csv": _actors, "figures.csv": _figures}
    kinds = actor_kinds(ctx)
    for name, fn in parts.items():
        fn(ctx, kinds, folder / name)
    ctx.note("hxl", "actor_columns", {kind: KIND_TAGS[kind] for kind in KIND_TAGS})
    ctx.note("hxl", "actor_kinds", kinds)
    return [f"{folder.name}/{name}" for name in parts]
