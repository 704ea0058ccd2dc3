"""Network charts a reviewer can read, measured on the chart data: labels on their own node, every broker labelled,
whole-number legends for counts, ticks that never touch, and a layout that uses the frame."""

from __future__ import annotations

import math
from itertools import pairwise

import networkx as nx
import pytest

from analysis import charts, network
from analysis.cases import load_case
from analysis.charts import shaping
from analysis.charts.network import HEIGHT, WIDTH

CURATED = ["eastern-qalamoun-2018", "eastern-ghouta-2018"]


@pytest.fixture(scope="module")
def built():
    out = {}
    for name in CURATED:
        case = load_case(name)
        g = network.build_graph(case)
        snaps = network.phase_snapshots(g, network.active_phases(case, g))
        out[name] = {"case": case, "g": g, "m": network.metrics(g), "pos": network.layout(network.focus(g)), "snaps": snaps}
    return out


def _nodes(b: dict, graph, lang: str, metrics=None):
    """What node_link draws for ``graph``: its node frame, labels placed."""
    g = network.focus(network.induced(graph, [n for n in b["pos"] if n in graph]))
    return shaping.node_frame(g, {n: p for n, p in b["pos"].items() if n in g}, lang, metrics, WIDTH, HEIGHT)


def _every_chart(built):
    for name in CURATED:
        b = built[name]
        for lang in ("en", "es"):
            yield name, "whole record", lang, _nodes(b, b["g"], lang, b["m"])
            for phase, h in b["snaps"].items():
                yield name, phase, lang, _nodes(b, h, lang)


def test_labels_sit_on_their_own_node_and_never_overlap(built):
    """On both cases, in both languages, on the whole record's network and each phase's: every label's box lies in
    the frame, overlaps no other label and no other node, and both the box and its middle are nearer its own node's
    centre than any other node's."""
    for name, chart, lang, nodes in _every_chart(built):
        where = f"{name}, {chart}, {lang}"
        rows = list(nodes.itertuples())
        boxes = {r.Index: shaping._label_box(r.lx, r.ly, r.label, r.align) for r in rows if r.labelled}
        assert len(boxes) >= len(rows) - 2, where  # at most two actors per chart listed under it instead
        for i, box in boxes.items():
            own = nodes.loc[i]
            assert box[0] >= 0 and box[2] <= WIDTH and box[1] >= 0 and box[3] <= HEIGHT, (where, own["short"])
            mid = ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
            for r in rows:
                if r.Index == i:
                    continue
                dot = (r.px - r.r, r.py - r.r, r.px + r.r, r.py + r.r)
                assert not shaping._overlaps(box, dot), (where, own["short"], "covers", r.short)
                if r.Index in boxes:
                    assert not shaping._overlaps(box, boxes[r.Index]), (where, own["short"], "overlaps", r.short)
                assert shaping._to_box(box, r.px, r.py) > shaping._to_box(box, own["px"], own["py"]), (where, own["short"], r.short)
                assert math.dist(mid, (r.px, r.py)) > math.dist(mid, (own["px"], own["py"])), (where, own["short"], r.short)


# Brokers (non-hostile ties to both camps), from relations.csv and actors.csv of each case:
BROKERS = {
    "eastern-qalamoun-2018": {
        "jaysh-al-islam": "r20 led the Eastern Qalamoun rebel groups (rebel, +1); r21 agreed with the Syrian Arab Army (government, +1)",
        "jaysh-tahrir-al-sham": "r36 with the Free Syrian Army (rebel, +1); r05 and r34 with the Syrian Arab Army sum to 0: not hostile",
        "sana": "r23 announced Jaysh al-Islam's deal (rebel, 0); r37 with the Government of Syria (government, +1)",
        "syrian-government": "r25 Jaysh al-Islam surrendered to it (rebel, +1); r37 with SANA (government, +1)",
        "unified-command": "r06 with the Eastern Qalamoun rebel groups (rebel, +1); r08 and others with Russia (government, sum +4)",
    },
    "eastern-ghouta-2018": {
        "jaysh-al-islam": "r07 and others with Russia (government, sum +4); r18 with Essam al-Buwaydhani (rebel, +1)",
        "russia": "r05 with Ahrar al-Sham (rebel, +1); r20 with the Russian reconciliation centre (government, +1)",
        "russian-reconciliation-centre": "r13 with Jaysh al-Islam (rebel, +1); r17 with Yuri Yevtushenko (government, +1)",
        "syrian-government": "r04 with Ahrar al-Sham (rebel, +1); r21 with SANA (government, +1)",
    },
}


@pytest.mark.parametrize("name", CURATED)
def test_every_broker_is_labelled(built, name):
    b = built[name]
    assert set(b["m"].loc[b["m"]["broker"], "actor_id"]) == set(BROKERS[name])
    for lang in ("en", "es"):
        nodes = _nodes(b, b["g"], lang, b["m"]).set_index("actor_id")
        assert nodes.loc[sorted(BROKERS[name]), "labelled"].all(), lang
    # the reviewer's two cases: Jaysh Tahrir al-Sham (a broker) was left unlabelled, the army's label sat on a rebel node
    if name == "eastern-qalamoun-2018":
        nodes = _nodes(b, b["g"], "en", b["m"]).set_index("actor_id")
        assert nodes.loc[["jaysh-tahrir-al-sham", "syrian-army"], "labelled"].all()
    # each phase's brokers, in that phase's own network
    for chart_name, chart, lang, nodes in _every_chart(built):
        if chart_name == name:
            assert nodes.loc[nodes["broker"], "labelled"].all(), (chart, lang, list(nodes.loc[~nodes["labelled"], "short"]))


def _legends(spec: dict) -> dict[str, dict]:
    found = {}
    for layer in spec.get("layer", []):
        for channel, enc in layer.get("encoding", {}).items():
            if isinstance(enc, dict) and enc.get("legend"):
                found[channel] = enc["legend"]
    return found


def test_count_legends_are_whole_numbers(built):
    """The surrender phase of Eastern Qalamoun: the Russia - Unified Military Command tie holds two relations (r32
    mediated, r33 pledged to), every other tie one -> relations on the tie: 1, 2 (it read 1.0, 1.2, ... 2.0). Partners:
    Jaysh al-Islam has five (r20, r21, r22, r23, r25), Hay'at Tahrir al-Sham one (r35) -> 1, 2, 3, 4, 5."""
    b = built["eastern-qalamoun-2018"]
    spec = charts.node_link(b["snaps"]["surrender"], b["pos"], lang="en", subtitle="surrender").to_dict()
    legends = _legends(spec)
    assert legends["strokeWidth"] == {"format": "d", "values": [1, 2]}
    assert legends["size"] == {"format": "d", "values": [1, 2, 3, 4, 5]}
    for name in CURATED:
        b = built[name]
        for legend in _legends(charts.node_link(b["g"], b["pos"], lang="es", metrics=b["m"]).to_dict()).values():
            assert legend["format"] == "d" and all(isinstance(v, int) for v in legend["values"])
    y = charts.relations_over_time(network.edges_table(b["g"], "en"), lang="en").to_dict()["encoding"]["y"]["axis"]
    assert (y["format"], y["tickMinStep"]) == ("d", 1)


def test_whole_number_steps_by_hand():
    assert shaping.integer_values(1, 2) == [1, 2]
    assert shaping.integer_values(1, 6) == [1, 2, 3, 4, 5, 6]  # six values: every one
    assert shaping.integer_values(1, 8) == [2, 4, 6, 8]  # eight values: step 2, its multiples from 1 to 8
    assert shaping.integer_values(3, 31) == [5, 10, 15, 20, 25, 30]  # step 2 would give 15 values, 5 gives 6
    assert shaping.integer_values(-3, 3, most=5) == [-2, 0, 2]


def test_centrality_ticks_never_touch(built):
    """Jaysh al-Islam's betweenness, the largest in Eastern Qalamoun, is 0.219; labels with 2 decimals ('0.22') are
    4 x 6 + 2 = 26 px wide and must stand 52 px apart on the 420 px axis: steps of 0.01 give 22 intervals (19 px),
    0.02 give 11 (38 px), 0.025 cannot be written with 2 decimals, 0.05 give 5 (84 px): 0, 0.05, ..., 0.25.
    (The default ticks, every 0.02, wrote '0.000.02'.)"""
    assert shaping.axis_ticks(0.219, 420, 2) == [0.0, 0.05, 0.1, 0.15, 0.2, 0.25]
    m = built["eastern-qalamoun-2018"]["m"]
    assert m["betweenness"].max() == pytest.approx(0.219, abs=5e-4)
    spec = charts.centrality_bars(m, lang="en").to_dict()
    x = spec["layer"][0]["encoding"]["x"]
    values = x["axis"]["values"]
    assert values == [0.0, 0.05, 0.1, 0.15, 0.2, 0.25] and x["scale"]["domain"] == [0, 0.25]
    assert 380 <= spec["width"] <= 420  # the plot: what the 720 px chart leaves beside the names (at most 300 px)
    px = [v / values[-1] * spec["width"] for v in values]
    width = 0.6 * 10 * len("0.25") + 2
    assert all(b - a >= width for a, b in pairwise(px))
    # 12 of the case's 19 actors with a tie are shown, and the subtitle says so
    assert spec["title"]["subtitle"] == ["the 12 most central of 19 actors"]


def _pixel_box(pos: dict, nodes) -> tuple[float, float]:
    px = shaping.to_pixels(pos, WIDTH, HEIGHT)
    xs, ys = [px[n][0] for n in nodes], [px[n][1] for n in nodes]
    return max(xs) - min(xs), max(ys) - min(ys)


def test_layout_fills_the_frame_by_hand():
    """One group of five (a star): its box is the frame less the 24 px margins, 572 x 432 of 620 x 480 = 83.0%.

    With a pair beside it, the pair stands in a column to the right: scale sqrt(2/5) = 0.6325, the layout running
    from x = -1 to 1 + 0.3 + 2 x 0.6325 = 2.5649; the star keeps the full height and 2 / 3.5649 of the 572 px width
    (320.9 px): 320.9 x 432 / (620 x 480) = 46.6% of the frame, the pair 2 x 0.6325 / 3.5649 x 572 = 203.0 px wide.
    (Below the star, as before, the pair left the star 2 / 3.6149 of the height and an empty half of the width.)"""
    star = nx.Graph([("hub", leaf, {"weight": 1, "sign": 1}) for leaf in "abcd"])
    w, h = _pixel_box(network.layout(star), star)
    assert (w, h) == pytest.approx((572, 432)) and w * h / (WIDTH * HEIGHT) == pytest.approx(0.830, abs=1e-3)
    both = nx.Graph(star)
    both.add_edge("x", "y", weight=1, sign=1)
    pos = network.layout(both)
    w, h = _pixel_box(pos, star)
    assert w == pytest.approx(2 / 3.5649 * 572, abs=0.5) and h == pytest.approx(432)
    assert w * h / (WIDTH * HEIGHT) == pytest.approx(0.466, abs=1e-3)
    assert _pixel_box(pos, "xy")[0] == pytest.approx(2 * 0.6325 / 3.5649 * 572, abs=0.5)


def test_the_core_is_no_knot(built):
    """Eastern Qalamoun's 19 drawn actors: the closest two stood 35 px apart and 9 of the 16 cells of a 4 x 4 grid over
    the frame held an actor; now the closest two are at least 45 px apart and at least 12 cells hold an actor.
    Eastern Ghouta's closest two stood 72 px apart: they stay at least 45."""
    for name, cells_at_least in (("eastern-qalamoun-2018", 12), ("eastern-ghouta-2018", 0)):
        px = shaping.to_pixels(built[name]["pos"], WIDTH, HEIGHT)
        pts = list(px.values())
        closest = min(math.dist(p, q) for i, p in enumerate(pts) for q in pts[i + 1 :])
        cells = {(int(x // (WIDTH / 4)), int(y // (HEIGHT / 4))) for x, y in pts}
        assert closest >= 45, name
        assert len(cells) >= cells_at_least, name
