"""Synthetic cases for benchmarks: N actors, 10N relations, N movements, 5N claims, valid by construction.

The tables follow the real case's data package, so the same loader,
validation, network and flows code runs on them.  Same ``n`` and ``seed``,
same files.  Nothing here is a fact: every row says it is synthetic.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np

from .cases import TABLES, data_dir
from .vocab import relation_signs

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


UNTRANSLATED = ("name_ar", "label_ar", "summary_ar")  # optional text columns left empty: reports give the English


def _write(path: Path, header: list[str], rows: list[list[object]], skip: tuple[str, ...] = ()) -> None:
    """Write ``rows`` (values in header order, the ``skip`` and :data:`UNTRANSLATED` columns left out and written empty)."""
    given = [h for h in header if h not in skip and h not in UNTRANSLATED]
    rows = [[dict(zip(given, r, strict=True)).get(h, "") for h in header] for r in rows]
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def write_case(folder: str | Path, n: int, seed: int = 0) -> Path:
    """Write a valid synthetic case with ``n`` actors to ``folder`` and return the folder."""
    if n < 4:
        raise ValueError("a synthetic case needs at least 4 actors")
    rng = np.random.default_rng(seed)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    package = json.loads((data_dir() / "eastern-qalamoun-2018" / "datapackage.json").read_text(encoding="utf-8"))
    package.update(name=f"synthetic-{n}", title=f"Synthetic case, {n} actors (not real data)", sources=[{"title": "analysis.synth"}])
    (folder / "datapackage.json").write_text(json.dumps(package, indent=1), encoding="utf-8")
    signs = relation_signs(package)
    relation_types = list(signs)
    headers = {r["name"]: [f["name"] for f in r["schema"]["fields"]] for r in package["resources"]}

    n_src, n_places = max(5, n // 20), max(6, n // 10)
    sources = [f"s{i:05d}" for i in range(n_src)]
    _write(
        folder / "sources.csv",
        headers["sources"],
        [[s, "news outlet", "", f"Synthetic source {s}", "", "", "en", "unknown", "", "", "synthetic"] for s in sources],
    )

    actors = [f"a{i:06d}" for i in range(n)]
    kinds = rng.integers(0, len(_ACTOR_TYPES), n)
    _write(
        folder / "actors.csv",
        headers["actors"],
        [
            [
                a,
                f"Actor {a}",
                f"Actor {a}",
                "",
                _ACTOR_TYPES[k][0],
                _ACTOR_TYPES[k][1],
                _ACTOR_TYPES[k][2],
                "",
                sources[i % n_src],
                "synthetic",
            ]
            for i, (a, k) in enumerate(zip(actors, kinds, strict=True))
        ],
    )

    places = [f"p{i:05d}" for i in range(n_places)]
    lat = rng.uniform(33.0, 36.9, n_places).round(3)
    lon = rng.uniform(36.0, 40.5, n_places).round(3)
    _write(
        folder / "places.csv",
        headers["places"],
        [[p, f"Place {p}", f"Lugar {p}", "", "town", lat[i], lon[i], 1, sources[i % n_src], "synthetic"] for i, p in enumerate(places)],
        skip=("within",),
    )

    days = rng.integers(1, 31, n)
    events = [f"ev-{i:06d}" for i in range(n)]
    ev_rows = []
    for i, e in enumerate(events):
        d = int(days[i])
        phase = next(p for p, lo, hi in _PHASE_DAYS if lo <= d <= hi)
        a, b = rng.choice(n, 2, replace=False)
        ev_rows.append(
            [
                e,
                f"2018-04-{d:02d}",
                f"2018-04-{d:02d}",
                "day",
                phase,
                _EVENT_TYPES[i % len(_EVENT_TYPES)],
                places[i % n_places],
                f"{actors[a]};{actors[b]}",
                f"Synthetic event {i}",
                f"Hecho sintético {i}",
                sources[i % n_src],
            ]
        )
    _write(folder / "events.csv", headers["events"], ev_rows)

    n_rel = 10 * n
    src = rng.integers(0, n, n_rel)
    off = rng.integers(1, n, n_rel)
    tgt = (src + off) % n
    types = rng.integers(0, len(relation_types), n_rel)
    evs = rng.integers(0, n, n_rel)
    rel_rows = []
    for i in range(n_rel):
        rtype = relation_types[types[i]]
        day = f"2018-04-{int(days[evs[i]]):02d}"
        rel_rows.append(
            [
                f"r{i:07d}",
                actors[src[i]],
                actors[tgt[i]],
                rtype,
                signs[rtype],
                "true" if i % 2 else "false",
                day,
                day,
                events[evs[i]],
                sources[i % n_src],
                "",
            ]
        )
    _write(folder / "relations.csv", headers["relations"], rel_rows)

    movements = [f"mv-{i:06d}" for i in range(n)]
    origins = places[: max(2, n_places // 5)]
    dests = places[max(2, n_places // 5) :]
    dep = rng.integers(19, 26, n)
    dur = rng.integers(0, 3, n)
    mv_rows = []
    for i, m in enumerate(movements):
        arrive = "" if i % 10 == 9 else f"2018-04-{min(int(dep[i] + dur[i]), 30):02d}"
        mv_rows.append(
            [
                m,
                f"Movement {i}",
                f"Movimiento {i}",
                origins[i % len(origins)],
                dests[i % len(dests)],
                "",
                f"2018-04-{int(dep[i]):02d}",
                arrive,
                actors[i % n],
                sources[i % n_src],
                "synthetic",
            ]
        )
    _write(folder / "movements.csv", headers["movements"], mv_rows)

    sides = ("government", "opposition", "neutral", "unknown")
    _write(
        folder / "originators.csv",
        headers["originators"],
        [[s, f"Originator {s}", f"Originador {s}", "outlet", sides[i % len(sides)], "synthetic"] for i, s in enumerate(sources)],
        skip=("name_ar",),
    )

    n_claims = 5 * n
    quantities = list(_RANGES)
    q_idx = rng.integers(0, len(quantities), n_claims)
    kind = rng.random(n_claims)
    subj_mv = rng.integers(0, n, n_claims)
    subj_or = rng.integers(0, len(origins), n_claims)
    qual = rng.random(n_claims)
    noise = rng.random(n_claims)
    claim_rows = []
    for i in range(n_claims):
        q = quantities[q_idx[i]]
        subject = movements[subj_mv[i]] if kind[i] < 0.85 else f"from:{origins[subj_or[i]]}" if kind[i] < 0.97 else "total"
        lo_r, hi_r = _RANGES[q]
        scale = 40 if subject == "total" else 8 if subject.startswith("from:") else 1
        value = int((lo_r + noise[i] * (hi_r - lo_r)) * scale)
        qualifier = "exact" if qual[i] < 0.6 else "about" if qual[i] < 0.9 else "at least"
        high = "" if qualifier == "at least" else value
        claim_rows.append(
            [
                f"C{i:07d}",
                sources[i % n_src],
                sources[i % n_src],
                subject,
                q,
                value,
                high,
                qualifier,
                "reported" if i % 4 else "expected",
                "part" if i % 10 == 7 else "whole",
                "",
                "",
                f"Synthetic claim {i}",
                "",
            ]
        )
    _write(folder / "claims.csv", headers["claims"], claim_rows, skip=("fate",))
    for name, cols in headers.items():  # any other table of the package (agreements, provisions): header only
        if not (folder / f"{name}.csv").exists():
            _write(folder / f"{name}.csv", cols, [])
    assert set(TABLES) <= {p.stem for p in folder.glob("*.csv")}
    return folder
