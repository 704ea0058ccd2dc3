"""Evacuation flows: claims -> reconciled figures -> movements over time.

The model, in four steps (see ``README.md``):

1. :func:`figures` gathers, for each subject (movement, event, ``from:<place>``
   or ``total``) and quantity, the numeric claims into low / best / high, with
   the claims and sources behind each.  ``best_rule`` is ``"median"`` or
   ``"prefer:<source_id>"``.
2. :func:`movement_table` gives every movement its people, fighters, civilians
   and buses.  Where people are missing they are derived from fighters plus
   civilians, or imputed from buses with a people-per-bus ratio estimated from
   the movements that report both (:func:`people_per_bus`), carried as a range
   and marked as imputed.
3. :func:`contradictions` checks parts against wholes (convoys against headline
   totals, fighters plus civilians against people, origins against the whole
   enclave, the number of convoys), disagreements between sources on one
   figure, and dates claimed against the dates in the tables.
4. :func:`daily_flows`, :func:`cumulative` and :func:`od_matrix` lay the
   movements on the calendar for the ``low``, ``best`` and ``high`` scenarios.

Claims with ``coverage == "part"`` only raise the floor of their subject.
Claims with qualifier ``at least`` / ``more than`` have no upper value; where
such a floor is the largest figure, ``high_open`` is True.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:  # pragma: no cover
    from .cases import Case

SCENARIOS: tuple[str, ...] = ("low", "best", "high")
PEOPLE_QUANTITIES: tuple[str, ...] = ("people", "fighters", "civilians", "buses")
DEFAULT_TOLERANCE = 0.05
_DATE_QUANTITIES = ("date", "depart_date", "arrive_date")


def check_best_rule(best_rule: str, case: Case | None = None) -> str:
    """Return ``best_rule`` if it is valid, else raise ValueError saying what is allowed."""
    if best_rule == "median":
        return best_rule
    if best_rule.startswith("prefer:") and len(best_rule) > len("prefer:"):
        source = best_rule.split(":", 1)[1]
        if case is not None and source not in set(case.sources["source_id"]):
            known = ", ".join(sorted(case.sources.loc[case.sources["cited_in"].isna(), "source_id"]))
            raise ValueError(f"best_rule {best_rule!r}: unknown source_id {source!r}; sources include {known}")
        return best_rule
    raise ValueError(f"best_rule must be 'median' or 'prefer:<source_id>', not {best_rule!r}")


def check_scenario(scenario: str) -> str:
    """Return ``scenario`` if it is one of low, best, high, else raise ValueError."""
    if scenario not in SCENARIOS:
        raise ValueError(f"scenario must be one of {', '.join(SCENARIOS)}, not {scenario!r}")
    return scenario


def _median(values: Iterable[float]) -> float:
    vals = sorted(v for v in values if v is not None and not (isinstance(v, float) and math.isnan(v)))
    if not vals:
        return float("nan")
    n = len(vals)
    mid = vals[n // 2] if n % 2 else (vals[n // 2 - 1] + vals[n // 2]) / 2
    return float(mid)


def _round(x: float) -> int:
    """Round half up (2,050.5 -> 2,051): counts are whole people."""
    return math.floor(x + 0.5)


def numeric_claims(case: Case) -> pd.DataFrame:
    """Numeric claims with a figure, with the columns the reconciliation needs."""
    c = case.claims
    c = c[c["value_low"].notna() | c["value_high"].notna()].copy()
    c["quantity"] = c["quantity"].astype(str)
    c["qualifier"] = c["qualifier"].astype(str)
    c["coverage"] = c["coverage"].astype(str)
    c["basis"] = c["basis"].astype(str)
    low = c["value_low"].astype("Float64")
    high = c["value_high"].astype("Float64")
    # a claim's own figure: its value, the floor for 'at least', the ceiling for 'at most'
    c["point"] = low.fillna(high)
    c["upper"] = high.fillna(low)
    c["is_floor"] = c["qualifier"].isin(["at least", "more than"])
    cited_in = case.sources.set_index("source_id")["cited_in"]
    c["source_root"] = c["source_id"].map(cited_in).fillna(c["source_id"])
    return c.reset_index(drop=True)


def _prefer_matches(claims: pd.DataFrame, best_rule: str) -> pd.Series:
    if not best_rule.startswith("prefer:"):
        return pd.Series(False, index=claims.index)
    src = best_rule.split(":", 1)[1]
    return (claims["source_id"] == src) | (claims["source_root"] == src)


def figures(case: Case, best_rule: str = "median") -> pd.DataFrame:
    """Reconciled low / best / high for each (subject, quantity) with numeric claims.

    low is the smallest whole-coverage figure, high the largest (a floor counts
    with its value), both raised to the largest part-coverage floor.  best is the
    median of the whole-coverage figures (or the preferred source's figure) kept
    inside [low, high].  Sorted by subject and quantity.
    """
    check_best_rule(best_rule, case)
    c = numeric_claims(case)
    cols = ["subject", "quantity", "low", "best", "high", "high_open", "n_claims", "claim_ids", "source_ids", "best_from"]
    if c.empty:
        return pd.DataFrame(columns=cols)
    whole = c[c["coverage"] == "whole"]
    part = c[c["coverage"] == "part"]
    keys = ["subject", "quantity"]
    g = whole.groupby(keys, sort=True)["point"]
    out = pd.DataFrame({"low": g.min(), "high": whole.groupby(keys, sort=True)["upper"].max(), "median": g.median()})
    floors_whole = whole[whole["is_floor"]].groupby(keys)["point"].max()
    floors_part = part.groupby(keys)["point"].max()
    out = out.join(floors_part.rename("part_floor"), how="outer").join(floors_whole.rename("floor"), how="left")
    preferred = c[_prefer_matches(c, best_rule) & (c["coverage"] == "whole")]
    out = out.join(preferred.groupby(keys)["point"].median().rename("preferred"), how="left")
    out["low"] = out[["low", "part_floor"]].max(axis=1)
    out["high"] = out[["high", "part_floor"]].max(axis=1)
    best = out["preferred"].where(out["preferred"].notna(), out["median"])
    best = best.where(best.notna(), out["part_floor"])
    out["best"] = best.clip(lower=out["low"], upper=out["high"])
    out["best_from"] = pd.Series("median", index=out.index).where(out["preferred"].isna(), best_rule)
    out.loc[out["median"].isna() & out["preferred"].isna(), "best_from"] = "part floor"
    ceiling = out["high"]
    open_whole = out["floor"].notna() & (out["floor"] >= ceiling)
    open_part = out["part_floor"].notna() & (out["part_floor"] >= ceiling)
    out["high_open"] = open_whole | open_part
    # the claims and sources behind each figure, gathered in one pass
    claim_ids: dict[tuple[str, str], list[str]] = {}
    source_ids: dict[tuple[str, str], set[str]] = {}
    for subj, qty, cid, sid in zip(c["subject"], c["quantity"], c["claim_id"], c["source_id"], strict=True):
        claim_ids.setdefault((subj, qty), []).append(cid)
        source_ids.setdefault((subj, qty), set()).add(sid)
    out = out.reset_index()
    pairs = list(zip(out["subject"], out["quantity"], strict=True))
    out["n_claims"] = [len(claim_ids[k]) for k in pairs]
    out["claim_ids"] = [";".join(sorted(claim_ids[k])) for k in pairs]
    out["source_ids"] = [";".join(sorted(source_ids[k])) for k in pairs]
    for col in ("low", "best", "high"):
        out[col] = out[col].map(_round).astype("Int64")
    out["high_open"] = out["high_open"].fillna(False).astype(bool)
    return out[cols].sort_values(keys, kind="stable").reset_index(drop=True)


def figure(figs: pd.DataFrame, subject: str, quantity: str) -> dict[str, Any] | None:
    """One row of :func:`figures` as a dict, or None if there is no such figure."""
    row = figs[(figs["subject"] == subject) & (figs["quantity"] == quantity)]
    if row.empty:
        return None
    return row.iloc[0].to_dict()


@dataclass(frozen=True)
class Ratio:
    """People per bus, estimated from movements that report both."""

    low: float
    best: float
    high: float
    movements: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "low": round(self.low, 1),
            "best": round(self.best, 1),
            "high": round(self.high, 1),
            "movements": list(self.movements),
        }


def people_per_bus(figs: pd.DataFrame, movement_ids: Iterable[str]) -> Ratio | None:
    """People per bus from the movements whose people and buses are both claimed.

    Each such movement gives best people / best buses; low, best and high are
    the smallest, median and largest of those ratios.  None if no movement
    reports both.
    """
    mids = set(movement_ids)
    f = figs[figs["subject"].isin(mids)]
    people = f[f["quantity"] == "people"].set_index("subject")["best"]
    buses = f[f["quantity"] == "buses"].set_index("subject")["best"]
    both = people.index.intersection(buses.index)
    both = [m for m in sorted(both) if buses[m] and buses[m] > 0]
    if not both:
        return None
    ratios = [float(people[m]) / float(buses[m]) for m in both]
    return Ratio(min(ratios), _median(ratios), max(ratios), tuple(both))


def movement_table(case: Case, best_rule: str = "median", figs: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per movement: places, dates and people / fighters / civilians / buses (low, best, high).

    ``people_basis`` says where the people figures come from: ``claimed``,
    ``derived`` (fighters + civilians), ``imputed`` (buses x people per bus) or
    ``unknown``.  ``timeline_date`` is the departure date, or the arrival date
    where the departure is not known.  Pass ``figs`` (from :func:`figures`) to
    avoid computing them again.
    """
    figs = figures(case, best_rule) if figs is None else figs
    mv = case.movements.copy()
    ratio = people_per_bus(figs, mv["movement_id"])
    out = mv[
        [
            "movement_id",
            "label_en",
            "label_es",
            "origin_place_id",
            "destination_place_id",
            "via_place_id",
            "depart_date",
            "arrive_date",
            "actor_ids",
        ]
    ].copy()
    out["timeline_date"] = out["depart_date"].fillna(out["arrive_date"])
    f = figs[figs["subject"].isin(set(mv["movement_id"]))]
    for q in PEOPLE_QUANTITIES:
        sub = f[f["quantity"] == q].set_index("subject")
        for s in SCENARIOS:
            out[f"{q}_{s}"] = out["movement_id"].map(sub[s]).astype("Int64")
        out[f"{q}_claims"] = out["movement_id"].map(sub["claim_ids"])
    out["people_basis"] = "claimed"
    out.loc[out["people_best"].isna(), "people_basis"] = "unknown"
    derive = out["people_best"].isna() & out["fighters_best"].notna() & out["civilians_best"].notna()
    for s in SCENARIOS:
        out.loc[derive, f"people_{s}"] = out.loc[derive, f"fighters_{s}"] + out.loc[derive, f"civilians_{s}"]
    out.loc[derive, "people_basis"] = "derived"
    impute = out["people_best"].isna() & out["buses_best"].notna()
    if ratio is not None and impute.any():
        for s, r in zip(SCENARIOS, (ratio.low, ratio.best, ratio.high), strict=True):
            out.loc[impute, f"people_{s}"] = (out.loc[impute, f"buses_{s}"].astype(float) * r).map(_round)
        out.loc[impute, "people_basis"] = "imputed"
    for s in SCENARIOS:
        out[f"people_{s}"] = out[f"people_{s}"].astype("Int64")
    out["imputed"] = out["people_basis"] == "imputed"
    return out.sort_values(["timeline_date", "movement_id"], kind="stable", na_position="last").reset_index(drop=True)


def filter_window(df: pd.DataFrame, column: str, start: str | None = None, end: str | None = None) -> pd.DataFrame:
    """Rows whose ``column`` date lies in [start, end] (either bound may be None); rows without a date are kept."""
    keep = pd.Series(True, index=df.index)
    if start:
        keep &= df[column].isna() | (df[column] >= pd.Timestamp(start))
    if end:
        keep &= df[column].isna() | (df[column] <= pd.Timestamp(end))
    return df[keep].reset_index(drop=True)


# ---------------------------------------------------------------------------
# Consistency checks


def _claims_for(c: pd.DataFrame, subjects: Iterable[str], quantity: str, coverage: str = "whole") -> pd.DataFrame:
    return c[c["subject"].isin(set(subjects)) & (c["quantity"] == quantity) & (c["coverage"] == coverage)]


def _gap_row(
    check: str,
    subject: str,
    quantity: str,
    whole: float,
    parts_low: float,
    parts_best: float,
    parts_high: float,
    claim_ids: Iterable[str],
    description: str,
) -> dict[str, Any]:
    return {
        "check": check,
        "subject": subject,
        "quantity": quantity,
        "whole": whole,
        "parts_low": parts_low,
        "parts_best": parts_best,
        "parts_high": parts_high,
        "gap": parts_best - whole,
        "gap_pct": round(100.0 * (parts_best - whole) / whole, 1) if whole else float("nan"),
        "claim_ids": ";".join(sorted(set(claim_ids))),
        "description": description,
    }


def contradictions(
    case: Case,
    best_rule: str = "median",
    tolerance: float = DEFAULT_TOLERANCE,
    figs: pd.DataFrame | None = None,
    mt: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every contradiction found in the claims, with the claims involved and the size of the gap.

    Checks, each computed from the data (nothing here names a claim):

    - ``parts_vs_total``: for buses, people and fighters, the movements' reconciled
      figures (claimed only: imputed people are not claims) summed against each
      headline ``total`` figure; flagged when the total lies outside the parts'
      [low, high] range, or, where some parts have no figure, when the parts
      alone already exceed the total.
    - ``origins_vs_total``: the ``from:<place>`` figures summed against ``total``.
    - ``origin_vs_movements``: the movements from an origin against that origin's
      figure, flagged when the movements exceed it.
    - ``composition``: fighters + civilians against people, for each subject in
      the reconciled figures and for each source's own claims on one subject.
    - ``convoy_count``: the number of movements against claimed convoy counts.
    - ``disagreement``: whole-coverage claims on one subject and quantity whose
      figures differ by more than ``tolerance`` (relative to the largest).
    - ``date``: a date claimed for an event or movement outside the date the
      tables give it.

    ``gap`` is parts minus whole (for disagreements: largest minus smallest).
    Sorted by check and subject; ``contradiction_id`` is stable across runs.
    """
    c = numeric_claims(case)
    figs = figures(case, best_rule) if figs is None else figs
    mt = movement_table(case, best_rule, figs) if mt is None else mt
    rows: list[dict[str, Any]] = []
    mv_ids = list(mt["movement_id"])
    origins = sorted({s for s in figs["subject"] if s.startswith("from:")})
    by_key = {(r["subject"], r["quantity"]): r for r in figs.to_dict("records")}

    def fig(subject: str, quantity: str) -> dict[str, Any] | None:
        return by_key.get((subject, quantity))

    def parts(subjects: list[str], quantity: str) -> tuple[float, float, float, list[str], int]:
        found = [f for s in subjects if (f := by_key.get((s, quantity))) is not None]
        ids = [i for f in found for i in f["claim_ids"].split(";")]
        return (
            float(sum(f["low"] for f in found)),
            float(sum(f["best"] for f in found)),
            float(sum(f["high"] for f in found)),
            ids,
            len(found),
        )

    def against_total(check: str, subjects: list[str], what: str) -> None:
        for q in ("buses", "people", "fighters"):
            lo, be, hi, ids, n = parts(subjects, q)
            if n == 0:
                continue
            totals = _claims_for(c, ["total"], q)
            for value, group in totals.groupby("point", sort=True):
                value = float(value)
                if lo <= value * (1 + tolerance) and value * (1 - tolerance) <= hi and n == len(subjects):
                    continue
                if lo <= value * (1 + tolerance) and n < len(subjects):
                    continue  # parts missing: cannot tell
                desc = (
                    f"{what} ({n} of {len(subjects)} with a figure) sum to {int(lo):,}-{int(hi):,} {q} "
                    f"(best {int(be):,}); the headline figure is {int(value):,}"
                )
                rows.append(_gap_row(check, "total", q, value, lo, be, hi, list(group["claim_id"]) + ids, desc))

    against_total("parts_vs_total", mv_ids, "the movements")
    if origins:
        against_total("origins_vs_total", origins, "the origins (" + ", ".join(o[5:] for o in origins) + ")")

    # an origin's own figure against the movements that left from it
    by_origin = mt.groupby("origin_place_id")["movement_id"].apply(list).to_dict()
    for origin in origins:
        from_mv = by_origin.get(origin[5:], [])
        for q in ("buses", "people", "fighters"):
            lo, be, hi, ids, n = parts(from_mv, q)
            whole = fig(origin, q)
            if n == 0 or whole is None or whole["high_open"]:
                continue  # no figure for the origin as a whole, or only a floor
            if lo > float(whole["high"]) * (1 + tolerance):
                desc = (
                    f"movements from {origin[5:]} carried {int(lo):,}-{int(hi):,} {q}, more than the "
                    f"{int(whole['high']):,} given for {origin[5:]} as a whole"
                )
                claim_ids = whole["claim_ids"].split(";") + ids
                rows.append(_gap_row("origin_vs_movements", origin, q, float(whole["high"]), lo, be, hi, claim_ids, desc))

    # fighters + civilians against people: reconciled, then per source
    subjects = sorted(set(figs["subject"]))
    for s in subjects:
        p, f_, v = (fig(s, q) for q in ("people", "fighters", "civilians"))
        if p is None or f_ is None or v is None:
            continue
        whole = float(p["best"])
        be = float(f_["best"] + v["best"])
        if whole and abs(be - whole) / whole > tolerance:
            desc = f"{s}: fighters {int(f_['best']):,} + civilians {int(v['best']):,} = {int(be):,}, against {int(whole):,} people"
            rows.append(
                _gap_row(
                    "composition",
                    s,
                    "people",
                    whole,
                    float(f_["low"] + v["low"]),
                    be,
                    float(f_["high"] + v["high"]),
                    p["claim_ids"].split(";") + f_["claim_ids"].split(";") + v["claim_ids"].split(";"),
                    desc,
                )
            )
    whole_c = c[c["coverage"] == "whole"]
    per_source = whole_c[whole_c["quantity"].isin(["people", "fighters", "civilians"])]
    if not per_source.empty:
        wide = per_source.pivot_table(index=["source_id", "subject"], columns="quantity", values="point", aggfunc="first")
        ids = per_source.groupby(["source_id", "subject"])["claim_id"].apply(list)
        if {"people", "fighters", "civilians"} <= set(wide.columns):
            wide = wide.dropna(subset=["people", "fighters", "civilians"])
            summed = wide["fighters"] + wide["civilians"]
            flagged = wide[(wide["people"] > 0) & ((summed - wide["people"]).abs() / wide["people"] > tolerance)]
            for (src, s), r in flagged.iterrows():
                be = float(r["fighters"] + r["civilians"])
                desc = (
                    f"{src} on {s}: {int(r['fighters']):,} fighters + {int(r['civilians']):,} civilians = "
                    f"{int(be):,}, against {int(r['people']):,} people"
                )
                rows.append(_gap_row("composition", s, "people", float(r["people"]), be, be, be, ids[(src, s)], desc))

    # number of convoys
    n_mv = len(mt)
    for value, group in _claims_for(c, ["total"], "convoys").groupby("point", sort=True):
        if int(value) != n_mv:
            desc = f"the tables hold {n_mv} movements; the sources speak of {int(value)} convoys"
            rows.append(_gap_row("convoy_count", "total", "convoys", float(value), n_mv, n_mv, n_mv, group["claim_id"], desc))

    # sources disagreeing on one figure (computed per group at once; only flagged groups are described)
    if not whole_c.empty:
        g = whole_c.assign(point=whole_c["point"].astype(float))
        stats = g.groupby(["subject", "quantity"]).agg(n=("point", "size"), lo=("point", "min"), hi=("point", "max"))
        g = g.join(stats, on=["subject", "quantity"])
        floor_at_min = g["is_floor"] & (g["point"] == g["lo"])
        all_floor_min = floor_at_min.groupby([g["subject"], g["quantity"]]).all()
        flagged = stats[
            (stats["n"] >= 2)
            & (stats["hi"] > 0)
            & ((stats["hi"] - stats["lo"]) / stats["hi"] > tolerance)
            & ~all_floor_min.reindex(stats.index, fill_value=False)
        ]
        positions = g.groupby(["subject", "quantity"]).indices
        for (s, q), r in flagged.iterrows():
            grp = g.iloc[positions[(s, q)]]
            given = sorted(zip(grp["point"], grp["is_floor"], grp["claim_id"], strict=True))
            desc = f"{s} {q}: sources give " + ", ".join(f"{int(v):,}{'+' if fl else ''} ({cid})" for v, fl, cid in given)
            row = _gap_row("disagreement", s, q, float(r["lo"]), float(r["lo"]), float(r["hi"]), float(r["hi"]), grp["claim_id"], desc)
            rows.append({**row, "gap": float(r["hi"] - r["lo"])})

    rows += _date_contradictions(case)
    cols = [
        "contradiction_id",
        "check",
        "subject",
        "quantity",
        "whole",
        "parts_low",
        "parts_best",
        "parts_high",
        "gap",
        "gap_pct",
        "claim_ids",
        "description",
    ]
    if not rows:
        return pd.DataFrame(columns=cols)
    out = pd.DataFrame(rows).sort_values(["check", "subject", "quantity", "claim_ids"], kind="stable").reset_index(drop=True)
    out["contradiction_id"] = [f"K{i + 1:02d}" for i in range(len(out))]
    return out[cols]


def _date_contradictions(case: Case) -> list[dict[str, Any]]:
    """Date claims that fall outside the dates the events and movements tables give."""
    c = case.claims
    dc = c[c["quantity"].astype(str).isin(_DATE_QUANTITIES) & c["value_text"].notna()]
    ev = case.events.set_index("event_id")
    mv = case.movements.set_index("movement_id")
    rows = []
    for rec in dc.sort_values("claim_id").to_dict("records"):
        text = str(rec["value_text"])
        claimed_lo = pd.Timestamp(text[:7] + "-01") if len(text) == 7 else pd.Timestamp(text[:10])
        claimed_hi = (claimed_lo + pd.offsets.MonthEnd(0)) if len(text) == 7 else claimed_lo
        subject, q = rec["subject"], str(rec["quantity"])
        if subject in ev.index and q == "date":
            lo, hi = ev.at[subject, "date_start"], ev.at[subject, "date_end"]
        elif subject in mv.index and q in ("depart_date", "arrive_date"):
            lo = hi = mv.at[subject, q]
        else:
            continue
        if pd.isna(lo) or (claimed_hi >= lo and claimed_lo <= hi):
            continue
        days = float((claimed_lo - lo).days if claimed_lo < lo else (claimed_lo - hi).days)
        table_date = lo.date().isoformat() if lo == hi else f"{lo.date()}/{hi.date()}"
        desc = f"{rec['claim_id']} ({rec['attributed_to']}) dates {subject} {q} {text}; the tables say {table_date}"
        rows.append(
            {
                "check": "date",
                "subject": subject,
                "quantity": q,
                "whole": float("nan"),
                "parts_low": float("nan"),
                "parts_best": float("nan"),
                "parts_high": float("nan"),
                "gap": days,
                "gap_pct": float("nan"),
                "claim_ids": rec["claim_id"],
                "description": desc + f" ({days:+.0f} days)",
            }
        )
    return rows


# ---------------------------------------------------------------------------
# Time series


def daily_flows(mt: pd.DataFrame) -> pd.DataFrame:
    """Departures and arrivals per day, long format: date, event, scenario, people, buses, movements.

    Movements without the relevant date are left out of that series (their
    count is in ``undated``).  Every day between the first and last date is
    present, with zeros.
    """
    frames = []
    for event, col in (("departure", "depart_date"), ("arrival", "arrive_date")):
        dated = mt[mt[col].notna()]
        for s in SCENARIOS:
            g = (
                dated.groupby(col)
                .agg(
                    people=(f"people_{s}", "sum"),
                    buses=(f"buses_{s}", "sum"),
                    movements=("movement_id", "size"),
                )
                .astype("int64")
            )
            g.index.name = "date"
            g = g.reset_index()
            g["event"], g["scenario"] = event, s
            g["undated"] = int(mt[col].isna().sum())
            frames.append(g)
    out = pd.concat(frames, ignore_index=True)
    if out.empty:
        return out
    days = pd.date_range(out["date"].min(), out["date"].max(), freq="D")
    full = pd.MultiIndex.from_product([days, ["departure", "arrival"], list(SCENARIOS)], names=["date", "event", "scenario"])
    undated = out.groupby("event")["undated"].first()
    out = out.set_index(["date", "event", "scenario"]).drop(columns="undated").reindex(full, fill_value=0).reset_index()
    out["undated"] = out["event"].map(undated).fillna(0).astype(int)
    return out.sort_values(["date", "event", "scenario"], kind="stable").reset_index(drop=True)


def daily_table(mt: pd.DataFrame, scenario: str = "best") -> pd.DataFrame:
    """People and buses leaving and arriving each day under ``scenario`` (one row per day, days without any kept)."""
    check_scenario(scenario)
    daily = daily_flows(mt)
    if daily.empty:
        return pd.DataFrame()
    d = daily[daily["scenario"] == scenario]
    table = d.pivot_table(index="date", columns="event", values=["people", "buses", "movements"], aggfunc="sum", fill_value=0)
    table.columns = [f"{event}_{what}" for what, event in table.columns]
    order = [f"{e}_{w}" for e in ("departure", "arrival") for w in ("movements", "buses", "people")]
    table = table[[c for c in order if c in table.columns]]
    table.index = table.index.date
    table.index.name = "date"
    return table.astype("int64")


def cumulative(mt: pd.DataFrame, by: str = "destination_place_id") -> pd.DataFrame:
    """Cumulative people and buses by ``timeline_date`` for each value of ``by``, all three scenarios.

    Columns: date, ``by``, people_low/best/high, buses_low/best/high.  Every
    group has a row for every day from the first to the last date.
    """
    dated = mt[mt["timeline_date"].notna()]
    cols = [f"{q}_{s}" for q in ("people", "buses") for s in SCENARIOS]
    if dated.empty:
        return pd.DataFrame(columns=["date", by, *cols])
    days = pd.date_range(dated["timeline_date"].min(), dated["timeline_date"].max(), freq="D")
    daily = dated.groupby(["timeline_date", by])[cols].sum(min_count=1).fillna(0).astype("int64")
    groups = sorted(dated[by].unique())
    full = pd.MultiIndex.from_product([days, groups], names=["date", by])
    daily.index = daily.index.set_names(["date", by])
    daily = daily.reindex(full, fill_value=0)
    out = daily.groupby(level=by).cumsum().reset_index()
    return out.sort_values(["date", by], kind="stable").reset_index(drop=True)


def od_matrix(mt: pd.DataFrame, scenario: str = "best", quantity: str = "people", top: int | None = None) -> pd.DataFrame:
    """Origin x destination table of ``quantity`` under ``scenario`` (rows and columns sorted).

    With ``top``, only the ``top`` origins and destinations with the most of ``quantity`` are kept.
    """
    check_scenario(scenario)
    col = f"{quantity}_{scenario}"
    data = mt.assign(_v=mt[col].fillna(0).astype("int64"))
    if top is not None:
        keep_o = data.groupby("origin_place_id")["_v"].sum().sort_values(ascending=False, kind="stable").index[:top]
        keep_d = data.groupby("destination_place_id")["_v"].sum().sort_values(ascending=False, kind="stable").index[:top]
        data = data[data["origin_place_id"].isin(keep_o) & data["destination_place_id"].isin(keep_d)]
    table = data.pivot_table(index="origin_place_id", columns="destination_place_id", values="_v", aggfunc="sum", fill_value=0)
    return table.sort_index().sort_index(axis=1).astype("int64")


def totals(mt: pd.DataFrame) -> dict[str, dict[str, int]]:
    """Sum of people and buses over the movements, low / best / high (movements without a figure count 0)."""
    return {q: {s: int(mt[f"{q}_{s}"].fillna(0).sum()) for s in SCENARIOS} for q in ("people", "buses", "fighters")}


@dataclass(frozen=True)
class Reconciliation:
    """Everything the flows model says about one case, computed once by :func:`reconcile`.

    ``figures``: one row per (subject, quantity) with reported low / best / high, their
    openness, the expected (announced) range beside them and the claims, documents and
    originators behind them.  ``movements``: one row per movement in the window with
    people / fighters / civilians / buses (low, best, high) and how people are known.
    ``people_per_bus``: the ratio used for imputation (None where no movement reports
    both).  ``contradictions``: one row per failed comparison, listing every claim
    involved.  ``plan_vs_outcome``: announced figures against reported ones
    (informational, never a contradiction).
    """

    case: Case
    best_rule: str
    start_date: str | None
    end_date: str | None
    figures: pd.DataFrame
    movements: pd.DataFrame
    people_per_bus: Ratio | None
    contradictions: pd.DataFrame
    plan_vs_outcome: pd.DataFrame

    def figure(self, subject: str, quantity: str) -> dict[str, Any] | None:
        """One reconciled figure as a dict, or None."""
        return figure(self.figures, subject, quantity)

    def summary(self, scenario: str = "best") -> dict[str, Any]:
        """Key figures for ``summary.json`` under ``scenario``."""
        return summary(
            self.case, self.best_rule, scenario, self.start_date, self.end_date, figs=self.figures, contradictions_table=self.contradictions
        )


def reconcile(case: Case, best_rule: str = "median", start_date: str | None = None, end_date: str | None = None) -> Reconciliation:
    """Reconcile a case's claims once: figures, movements in the window, ratio, contradictions."""
    figs = figures(case, best_rule)
    full = movement_table(case, best_rule, figs)
    mt = filter_window(full, "timeline_date", start_date, end_date)
    k = contradictions(case, best_rule, figs=figs, mt=full)
    ratio = people_per_bus(figs, full["movement_id"])
    empty = pd.DataFrame(
        columns=["subject", "quantity", "expected_low", "expected_high", "low", "best", "high", "claim_ids", "description"]
    )
    return Reconciliation(case, best_rule, start_date, end_date, figs, mt, ratio, k, empty)


def summary(
    case: Case,
    best_rule: str = "median",
    scenario: str = "best",
    start_date: str | None = None,
    end_date: str | None = None,
    figs: pd.DataFrame | None = None,
    contradictions_table: pd.DataFrame | None = None,
) -> dict[str, Any]:
    """Key figures for ``summary.json``: people, buses, convoys, dates, contradictions, ratio, rule.

    Pass ``figs`` and ``contradictions_table`` (for the same ``best_rule``) to avoid computing them again.
    """
    check_scenario(scenario)
    figs = figures(case, best_rule) if figs is None else figs
    full = movement_table(case, best_rule, figs)
    mt = filter_window(full, "timeline_date", start_date, end_date)
    k = contradictions(case, best_rule, figs=figs, mt=full) if contradictions_table is None else contradictions_table
    tot = totals(mt)
    ratio = people_per_bus(figs, mt["movement_id"])
    first = mt["depart_date"].min()
    last = mt["arrive_date"].max()
    headline = {
        q: {s: (None if (f := figure(figs, "total", q)) is None else int(f[s])) for s in SCENARIOS} for q in ("people", "buses", "fighters")
    }
    return {
        "case": case.case_id,
        "best_rule": best_rule,
        "scenario": scenario,
        "start_date": start_date,
        "end_date": end_date,
        "people": tot["people"],
        "buses": tot["buses"],
        "fighters": tot["fighters"],
        "scenario_people": tot["people"][scenario],
        "scenario_buses": tot["buses"][scenario],
        "headline_claims": headline,
        "convoys": len(mt),
        "imputed_movements": sorted(mt.loc[mt["imputed"], "movement_id"]),
        "people_per_bus": None if ratio is None else ratio.as_dict(),
        "first_departure": None if pd.isna(first) else first.date().isoformat(),
        "last_arrival": None if pd.isna(last) else last.date().isoformat(),
        "contradictions": {
            "count": len(k),
            "ids": list(k["contradiction_id"]),
            "by_check": {str(a): int(b) for a, b in k["check"].value_counts().sort_index().items()},
        },
    }
