"""The network's results for reading: which narrative block states a result, and names in place of ids.

No rule lives here: :mod:`analysis.network` computes; these functions only choose the
words, in the reader's language, for the notebook and its summary.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from . import i18n, network

SUMMARY_NAMES = 5  # names the summary lists for each of its lists of actors and communities


def balance_words(b: dict[str, Any], lang: str) -> tuple[str, dict[str, str]]:
    """The narrative block that states :func:`analysis.network.balance`'s result in ``lang``, and its values: the number of triads and
    the share balanced as a whole percentage; without any triad, the block saying that no share exists."""
    if not b["n_triads"]:
        return "network.no_triads", {}
    return "network.balance", {"n_triads": i18n.number(b["n_triads"], lang), "share": _percent(b["balanced_share"], lang)}


def _percent(share: float | None, lang: str) -> str:
    """A share as a whole percentage in ``lang`` ('17%', '١٧٪'), 'unknown' where none exists."""
    return i18n.percent(share, lang)


def central_words(metrics_table: pd.DataFrame, lang: str) -> tuple[str, dict[str, str]]:
    """The narrative block that introduces the most central actor (:func:`analysis.network.most_central`) by its name in ``lang``;
    without any actor (no relation in the selection), the block saying there is none."""
    actor = network.most_central(metrics_table)
    if actor is None:
        return "network.no_ego", {}
    return "network.ego", {"actor": str(metrics_table.loc[metrics_table["actor_id"] == actor, f"name_{lang}"].iloc[0])}


def community_names(metrics_table: pd.DataFrame, lang: str) -> dict[int, str]:
    """Each community named after its most central member (betweenness, then partners, then id) and how many others
    it holds, in ``lang``: "Syrian Arab Army and 6 more" (a community of one: its member's name)."""
    m = metrics_table[metrics_table["community"].astype(int) >= 0]
    m = m.sort_values(["betweenness", "degree", "actor_id"], ascending=[False, False, True], kind="mergesort")
    out = {}
    for c, members in m.groupby("community", sort=True):
        name = str(members[f"name_{lang}"].iloc[0]).split(" (")[0]
        out[int(c)] = name if len(members) == 1 else i18n.label("group_of", lang, name=name, n=i18n.number(len(members) - 1, lang))
    return out


def metrics_view(metrics_table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """:func:`analysis.network.metrics` for reading: the community column names each community (:func:`community_names`)."""
    names = community_names(metrics_table, lang)
    return metrics_table.assign(community=[names.get(int(c), i18n.label("none", lang)) for c in metrics_table["community"]])


def _listing(items: list[str], lang: str, shown: int) -> str:
    if not items:
        return i18n.label("none", lang)
    more = [i18n.label("more", lang, n=i18n.number(len(items) - shown, lang))] if len(items) > shown else []
    return i18n.join(items[:shown] + more, lang, "list")


def summary_view(summary_values: dict[str, Any], metrics_table: pd.DataFrame, lang: str, shown: int = SUMMARY_NAMES) -> dict[str, Any]:
    """:func:`analysis.network.summary` for reading in ``lang``: the most between actors, the brokers and the communities by name
    (the first ``shown`` of each, then how many more; 'none' where there are none), the share of balanced triads
    as the narrative writes it ('17%', 'unknown'); the other figures as they are."""
    names = dict(zip(metrics_table["actor_id"], metrics_table[f"name_{lang}"], strict=True))
    name = lambda a: str(names.get(a, a))  # noqa: E731
    groups = community_names(metrics_table, lang)
    return {
        **summary_values,
        "top_betweenness": _listing([name(r["actor_id"]) for r in summary_values["top_betweenness"]], lang, shown),
        "brokers": _listing([name(a) for a in summary_values["brokers"]], lang, shown),
        "communities": _listing([groups[c] for c in sorted(groups)], lang, shown),
        "balanced_share": _percent(summary_values["balanced_share"], lang),
    }
