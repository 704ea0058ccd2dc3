"""Synthetic cases: large ones for benchmarks, odd ones for robustness; valid by construction, never facts.

- :func:`write_case` writes N actors, 10N relations, N movements and 5N claims (same ``n``
  and ``seed``, same files), for the benchmarks;
- :func:`write_odd_cases` writes small cases that are valid but odd (no signed triad, one
  actor, one movement, no coordinates, every place at one point, a few days or ten years of
  record, one source, no agreements, no figures at all), on which every notebook must run.

Their tables follow the data package of :func:`template_package`, so the same loader,
validation, network and flows code runs on them.  Nothing here is a fact: every row says
it is synthetic.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .cases import TABLES
from .vocab import enum, relation_signs

_PHASE_DAYS = [("negotiation", 1, 16), ("surrender", 17, 18), ("evacuation", 19, 25), ("aftermath", 26, 30)]
_EVENT_TYPES = ["negotiation", "agreement", "attack", "convoy_departure", "announcement", "weapons_handover"]
_ACTOR_TYPES = [
    ("state force", "government", 1),
    ("rebel group", "rebel", 2),
    ("rebel coalition", "rebel", 2),
    ("foreign state", "government", 8),
    ("jihadist group", "rebel", 2),
    ("unidentified", "unknown", 3),
]
_RANGES = {"people": (100, 5000), "fighters": (50, 1500), "civilians": (50, 3500), "buses": (5, 80)}


def _write(path: Path, header: list[str], rows: list[dict[str, Any]]) -> None:
    """Write ``rows`` under ``header`` (a column a row does not give is empty; one the header lacks is an error)."""
    for row in rows[:1]:
        extra = set(row) - set(header)
        if extra:
            raise ValueError(f"{path.name}: no column {', '.join(sorted(extra))} in the data package")
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows([("" if r.get(h) is None else r.get(h, "")) for h in header] for r in rows)


def template_package() -> dict[str, Any]:
    """The data package every synthetic case copies: the canonical schema the package ships (:func:`analysis.schema.template`),
    the one place the generator reads a schema."""
    from .schema import template

    return template()


def _headers(package: dict[str, Any]) -> dict[str, list[str]]:
    return {r["name"]: [f["name"] for f in r["schema"]["fields"]] for r in package["resources"]}


@dataclass(frozen=True)
class _Ids:
    """The ids a synthetic case of ``n`` actors draws its rows from."""

    n: int
    sources: list[str]
    actors: list[str]
    places: list[str]
    events: list[str]
    movements: list[str]

    @classmethod
    def of(cls, n: int) -> _Ids:
        n_src, n_places = max(5, n // 20), max(6, n // 10)
        return cls(
            n,
            [f"s{i:05d}" for i in range(n_src)],
            [f"a{i:06d}" for i in range(n)],
            [f"p{i:05d}" for i in range(n_places)],
            [f"ev-{i:06d}" for i in range(n)],
            [f"mv-{i:06d}" for i in range(n)],
        )

    def source(self, i: int) -> str:
        return self.sources[i % len(self.sources)]

    @property
    def split(self) -> int:
        """Places before this index are origins, the rest destinations."""
        return max(2, len(self.places) // 5)


def _big_sources(ids: _Ids) -> list[dict[str, Any]]:
    return [_source(s) | {"note": "synthetic"} for s in ids.sources]


def _big_actors(ids: _Ids, rng: np.random.Generator) -> list[dict[str, Any]]:
    kinds = rng.integers(0, len(_ACTOR_TYPES), ids.n)
    rows = []
    for i, (a, k) in enumerate(zip(ids.actors, kinds, strict=True)):
        actor_type, side, inter = _ACTOR_TYPES[k]
        rows.append(
            {"actor_id": a, "name_en": f"Actor {a}", "name_es": f"Actor {a}", "actor_type": actor_type, "side": side}
            | {"acled_inter": inter, "source_ids": ids.source(i), "note": "synthetic"}
        )
    return rows


def _big_places(ids: _Ids, rng: np.random.Generator) -> list[dict[str, Any]]:
    lat = rng.uniform(33.0, 36.9, len(ids.places)).round(3)
    lon = rng.uniform(36.0, 40.5, len(ids.places)).round(3)
    return [
        {"place_id": p, "name_en": f"Place {p}", "name_es": f"Lugar {p}", "kind": "town", "lat": lat[i], "lon": lon[i]}
        | {"geo_precision": 1, "source_ids": ids.source(i), "note": "synthetic"}
        for i, p in enumerate(ids.places)
    ]


def _big_events(ids: _Ids, rng: np.random.Generator, days: np.ndarray) -> list[dict[str, Any]]:
    rows = []
    for i, e in enumerate(ids.events):
        d = int(days[i])
        phase = next(p for p, lo, hi in _PHASE_DAYS if lo <= d <= hi)
        a, b = rng.choice(ids.n, 2, replace=False)
        rows.append(
            {"event_id": e, "date_start": f"2018-04-{d:02d}", "date_end": f"2018-04-{d:02d}", "date_precision": "day"}
            | {"phase": phase, "event_type": _EVENT_TYPES[i % len(_EVENT_TYPES)], "place_id": ids.places[i % len(ids.places)]}
            | {"actor_ids": f"{ids.actors[a]};{ids.actors[b]}", "summary_en": f"Synthetic event {i}"}
            | {"summary_es": f"Hecho sintético {i}", "source_ids": ids.source(i)}
        )
    return rows


def _big_relations(ids: _Ids, rng: np.random.Generator, days: np.ndarray, signs: dict[str, int]) -> list[dict[str, Any]]:
    n, n_rel, types = ids.n, 10 * ids.n, list(signs)
    src = rng.integers(0, n, n_rel)
    tgt = (src + rng.integers(1, n, n_rel)) % n
    kind = rng.integers(0, len(types), n_rel)
    evs = rng.integers(0, n, n_rel)
    rows = []
    for i in range(n_rel):
        rtype, day = types[kind[i]], f"2018-04-{int(days[evs[i]]):02d}"
        rows.append(
            {"relation_id": f"r{i:07d}", "source_actor": ids.actors[src[i]], "target_actor": ids.actors[tgt[i]]}
            | {"relation": rtype, "sign": signs[rtype], "directed": "true" if i % 2 else "false"}
            | {"date_start": day, "date_end": day, "event_id": ids.events[evs[i]], "source_ids": ids.source(i)}
        )
    return rows


def _big_movements(ids: _Ids, rng: np.random.Generator) -> list[dict[str, Any]]:
    origins, dests = ids.places[: ids.split], ids.places[ids.split :]
    dep = rng.integers(19, 26, ids.n)
    dur = rng.integers(0, 3, ids.n)
    rows = []
    for i, m in enumerate(ids.movements):
        arrive = "" if i % 10 == 9 else f"2018-04-{min(int(dep[i] + dur[i]), 30):02d}"
        rows.append(
            {"movement_id": m, "label_en": f"Movement {i}", "label_es": f"Movimiento {i}"}
            | {"origin_place_id": origins[i % len(origins)], "destination_place_id": dests[i % len(dests)]}
            | {"depart_date": f"2018-04-{int(dep[i]):02d}", "arrive_date": arrive, "actor_ids": ids.actors[i % ids.n]}
            | {"source_ids": ids.source(i), "note": "synthetic"}
        )
    return rows


def _big_originators(ids: _Ids) -> list[dict[str, Any]]:
    sides = ("government", "opposition", "neutral", "unknown")
    return [
        {"originator_id": s, "name_en": f"Originator {s}", "name_es": f"Originador {s}", "kind": "outlet"}
        | {"side": sides[i % len(sides)], "note": "synthetic"}
        for i, s in enumerate(ids.sources)
    ]


def _big_claims(ids: _Ids, rng: np.random.Generator) -> list[dict[str, Any]]:
    n_claims, quantities, origins = 5 * ids.n, list(_RANGES), ids.places[: ids.split]
    q_idx = rng.integers(0, len(quantities), n_claims)
    kind = rng.random(n_claims)
    subj_mv = rng.integers(0, ids.n, n_claims)
    subj_or = rng.integers(0, len(origins), n_claims)
    qual = rng.random(n_claims)
    noise = rng.random(n_claims)
    rows = []
    for i in range(n_claims):
        q = quantities[q_idx[i]]
        subject = ids.movements[subj_mv[i]] if kind[i] < 0.85 else f"from:{origins[subj_or[i]]}" if kind[i] < 0.97 else "total"
        lo_r, hi_r = _RANGES[q]
        scale = 40 if subject == "total" else 8 if subject.startswith("from:") else 1
        value = int((lo_r + noise[i] * (hi_r - lo_r)) * scale)
        qualifier = "exact" if qual[i] < 0.6 else "about" if qual[i] < 0.9 else "at least"
        rows.append(
            {"claim_id": f"C{i:07d}", "source_id": ids.source(i), "originator_id": ids.source(i), "subject": subject}
            | {"quantity": q, "value_low": value, "value_high": "" if qualifier == "at least" else value}
            | {"qualifier": qualifier, "basis": "reported" if i % 4 else "expected", "coverage": "part" if i % 10 == 7 else "whole"}
            | {"summary_en": f"Synthetic claim {i}"}
        )
    return rows


def write_case(folder: str | Path, n: int, seed: int = 0) -> Path:
    """Write a valid synthetic case with ``n`` actors to ``folder`` and return the folder."""
    if n < 4:
        raise ValueError("a synthetic case needs at least 4 actors")
    rng = np.random.default_rng(seed)
    package = template_package()
    ids = _Ids.of(n)
    tables = {"sources": _big_sources(ids), "actors": _big_actors(ids, rng), "places": _big_places(ids, rng)}
    days = rng.integers(1, 31, n)
    tables["events"] = _big_events(ids, rng, days)
    tables["relations"] = _big_relations(ids, rng, days, relation_signs(package))
    tables["movements"] = _big_movements(ids, rng)
    tables["originators"] = _big_originators(ids)
    tables["claims"] = _big_claims(ids, rng)
    folder = _write_package(package, Path(folder), f"synthetic-{n}", f"Synthetic case, {n} actors (not real data)", tables)
    assert set(TABLES) <= {p.stem for p in folder.glob("*.csv")}
    return folder


# ---------------------------------------------------------------------------
# Odd but valid cases

ODDITIES: dict[str, str] = {
    "no_signed_triad": "several actors and signed relations, but no three actors tied to each other",
    "one_actor": "a single actor (so no relation at all)",
    "one_movement": "a single movement",
    "no_relations_of_kind": "a relation type selected (the relations parameter) that the case never uses",
    "no_coordinates": "no place has a point (every geo_precision is 3)",
    "one_point": "every place at the same point",
    "few_days": "a record of a few days",
    "ten_years": "a record of ten years",
    "one_source": "a single source document",
    "no_agreements": "no agreements and no provisions",
    "unknown_figures": "no figure anywhere: the only claim gives no number",
}


@dataclass(frozen=True)
class OddCase:
    """An odd case written by :func:`write_odd_cases`: its folder, what is odd about it, and the notebook
    parameters that show the oddity (``relations`` for a type it never uses)."""

    name: str
    folder: Path
    oddities: tuple[str, ...]
    parameters: dict[str, Any] = field(default_factory=dict)


def _write_package(package: dict[str, Any], folder: Path, name: str, title: str, tables: dict[str, list[dict[str, Any]]]) -> Path:
    """A case folder: ``package`` renamed, and every table of it (those not in ``tables`` header only)."""
    package = {**package}
    description = title if "not real data" in title else f"{title}. Synthetic, not real data."
    package.update(name=name, title=title, description=description, sources=[{"title": "analysis.synth"}])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "datapackage.json").write_text(json.dumps(package, indent=1, ensure_ascii=False), encoding="utf-8")
    for table, header in _headers(package).items():
        _write(folder / f"{table}.csv", header, tables.get(table, []))
    return folder


def _source(sid: str) -> dict[str, Any]:
    return {"source_id": sid, "kind": "news outlet", "title": f"Synthetic source {sid}", "language": "en", "leaning": "unknown"}


def _actor(aid: str, letter: str, actor_type: str, side: str, sources: str) -> dict[str, Any]:
    return {
        "actor_id": aid,
        "name_en": f"Actor {letter} (synthetic)",
        "name_es": f"Actor {letter} (sintético)",
        "actor_type": actor_type,
        "side": side,
        "source_ids": sources,
    }


def _place(pid: str, letter: str, point: tuple[float, float] | None, sources: str) -> dict[str, Any]:
    lat, lon = point if point else (None, None)
    return {
        "place_id": pid,
        "name_en": f"Place {letter} (synthetic)",
        "name_es": f"Lugar {letter} (sintético)",
        "kind": "town" if point else "region",
        "lat": lat,
        "lon": lon,
        "geo_precision": 1 if point else 3,
        "source_ids": sources,
    }


def _event(eid: str, start: str, end: str, precision: str, phase: str, kind: str, place: str, actors: str, sources: str) -> dict[str, Any]:
    return {
        "event_id": eid,
        "date_start": start,
        "date_end": end,
        "date_precision": precision,
        "phase": phase,
        "event_type": kind,
        "place_id": place,
        "actor_ids": actors,
        "summary_en": f"Synthetic event {eid}",
        "summary_es": f"Hecho sintético {eid}",
        "source_ids": sources,
    }


def _movement(
    mid: str, n: int, origin: str, dest: str, depart: str, arrive: str, actors: str, sources: str, via: str = ""
) -> dict[str, Any]:
    return {
        "movement_id": mid,
        "label_en": f"Movement {n} (synthetic)",
        "label_es": f"Movimiento {n} (sintético)",
        "origin_place_id": origin,
        "destination_place_id": dest,
        "via_place_id": via,
        "depart_date": depart,
        "arrive_date": arrive,
        "actor_ids": actors,
        "source_ids": sources,
    }


def _originator(oid: str) -> dict[str, Any]:
    return {"originator_id": oid, "name_en": f"Originator {oid}", "name_es": f"Originador {oid}", "kind": "outlet", "side": "unknown"}


def _claim(
    cid: str, src: str, subject: str, quantity: str, low: int | None, high: int | None, qualifier: str, **more: Any
) -> dict[str, Any]:
    return {
        "claim_id": cid,
        "source_id": src,
        "originator_id": src,
        "subject": subject,
        "quantity": quantity,
        "value_low": low,
        "value_high": high,
        "qualifier": qualifier,
        "basis": "reported",
        "coverage": "whole",
        "summary_en": f"Synthetic claim {cid}",
        **more,
    }


def _tiny(package: dict[str, Any], folder: Path) -> OddCase:
    """One actor, one source, one movement, two places without points, four days, no agreements, no figure."""
    src = "s-only"
    tables = {
        "sources": [_source(src)],
        "actors": [_actor("a-only", "A", "rebel group", "rebel", src)],
        "places": [_place("p-from", "A", None, src), _place("p-to", "B", None, src)],
        "events": [
            _event("ev-talks", "2020-03-01", "2020-03-01", "day", "negotiation", "negotiation", "p-from", "a-only", src),
            _event("ev-deal", "2020-03-02", "2020-03-02", "day", "surrender", "agreement", "p-from", "a-only", src),
            _event("ev-leave", "2020-03-04", "2020-03-04", "day", "evacuation", "convoy_departure", "p-from", "a-only", src),
        ],
        "movements": [_movement("mv-only", 1, "p-from", "p-to", "2020-03-04", "", "a-only", src)],
        "originators": [_originator(src)],
        "claims": [_claim("C1", src, "mv-only", "people", None, None, "unspecified", value_text="an unspecified number of people")],
    }
    oddities = ("one_actor", "one_movement", "no_coordinates", "few_days", "one_source", "no_agreements", "unknown_figures")
    name = "odd-tiny"
    return OddCase(name, _write_package(package, folder / name, name, "Odd case: one actor, four days, no figures", tables), oddities)


def _signed_types(package: dict[str, Any]) -> tuple[str, str, str]:
    """A cooperative and a hostile relation type of the vocabulary, and one more type that the flat case never uses."""
    signs = relation_signs(package)
    plus = next(t for t, s in signs.items() if s > 0)
    minus = next(t for t, s in signs.items() if s < 0)
    unused = [t for t in enum(package, "relations", "relation") if t not in (plus, minus)]
    return plus, minus, unused[-1]


def _flat_tables(package: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Five actors in a chain (ties but no triangle), four places at one point, ten years, three movements, figures."""
    srcs = ["s-a", "s-b", "s-c"]
    plus, minus, _ = _signed_types(package)
    kinds = [("a-1", "state force", "government"), ("a-2", "rebel group", "rebel"), ("a-3", "foreign state", "other")]
    kinds += [("a-4", "rebel coalition", "rebel"), ("a-5", "person", "unknown")]
    actors = [_actor(a, a[-1], t, side, "s-a") for a, t, side in kinds]
    chain = [
        ("a-1", "a-3", plus, "ev-talks"),
        ("a-3", "a-2", plus, "ev-talks"),
        ("a-2", "a-4", plus, "ev-deal"),
        ("a-4", "a-5", minus, "ev-war"),
    ]
    relations = [
        {"relation_id": f"r{i}", "source_actor": a, "target_actor": b, "relation": t, "sign": 1 if t == plus else -1, "directed": "false",
         "event_id": e, "source_ids": srcs[i % 3]}
        for i, (a, b, t, e) in enumerate(chain)
    ]  # fmt: skip
    events = [
        _event("ev-start", "2009-01-01", "2009-12-31", "year", "background", "offensive", "p-1", "a-1;a-2", "s-a"),
        _event("ev-war", "2012-06-01", "2012-06-30", "month", "escalation", "attack", "p-1", "a-4;a-5", "s-b"),
        _event("ev-talks", "2016-02-10", "2016-02-12", "range", "negotiation", "negotiation", "p-1", "a-1;a-2;a-3", "s-a;s-b"),
        _event("ev-deal", "2018-11-03", "2018-11-03", "day", "surrender", "agreement", "p-1", "a-1;a-2", "s-c"),
        _event("ev-leave", "2018-11-05", "2018-11-05", "day", "evacuation", "convoy_departure", "p-1", "a-2", "s-a"),
        _event("ev-after", "2018-12-30", "2018-12-30", "day", "aftermath", "announcement", "p-2", "a-1", "s-c"),
    ]
    movements = [
        _movement("mv-1", 1, "p-1", "p-2", "2018-11-05", "2018-11-06", "a-2", "s-a"),
        _movement("mv-2", 2, "p-1", "p-3", "2018-11-06", "2018-11-08", "a-2;a-4", "s-b", via="p-4"),
        _movement("mv-3", 3, "p-1", "p-2", "2018-11-09", "", "a-4", "s-c"),
    ]
    claims = [
        _claim("C1", "s-a", "mv-1", "people", 100, 100, "exact"),
        _claim("C2", "s-b", "mv-1", "people", 120, 120, "about"),
        _claim("C3", "s-a", "mv-1", "buses", 5, 5, "exact"),
        _claim("C4", "s-c", "mv-2", "people", 50, None, "at least"),
        _claim("C5", "s-b", "total", "people", 200, 300, "between"),
    ]
    agreements = [
        {"agreement_id": "ag-1", "name_en": "Synthetic agreement", "name_es": "Acuerdo sintético", "date": "2018-11-03",
         "date_precision": "day", "stage": "surrender", "place_id": "p-1", "party_ids": "a-1;a-2", "third_party_ids": "a-3",
         "event_id": "ev-deal", "source_ids": "s-c"}
    ]  # fmt: skip
    provisions = [
        {"provision_id": "pr-1", "agreement_id": "ag-1", "term": "evacuation", "summary_en": "Synthetic term",
         "summary_es": "Cláusula sintética", "destination_place_ids": "p-2;p-3", "claim_ids": "C5", "source_ids": "s-c"}
    ]  # fmt: skip
    return {
        "sources": [_source(s) for s in srcs],
        "actors": actors,
        "places": [_place(f"p-{i}", "ABCD"[i - 1], (34.5, 38.25), "s-a") for i in range(1, 5)],
        "events": events,
        "relations": relations,
        "movements": movements,
        "originators": [_originator(s) for s in srcs],
        "claims": claims,
        "agreements": agreements,
        "provisions": provisions,
    }


def _flat(package: dict[str, Any], folder: Path) -> OddCase:
    name = "odd-flat"
    title = "Odd case: ten years, every place at one point, no signed triad"
    oddities = ("no_signed_triad", "one_point", "ten_years")
    return OddCase(name, _write_package(package, folder / name, name, title, _flat_tables(package)), oddities)


def write_odd_cases(folder: str | Path) -> list[OddCase]:
    """Write every odd case into its own folder under ``folder`` and return them; together they hold every :data:`ODDITIES`.

    The last is the ten-year case again under another name, with ``relations`` set to a type it never uses."""
    folder, package = Path(folder), template_package()
    tiny, flat = _tiny(package, folder), _flat(package, folder)
    _, _, unused = _signed_types(package)
    kind = OddCase("odd-flat-unused-kind", flat.folder, ("no_relations_of_kind",), {"relations": unused})
    return [tiny, flat, kind]
