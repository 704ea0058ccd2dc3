"""Charts: valid specs in both languages, fixed colours and shapes, readable labels, nothing left out silently.

Expected words and values are written here (from the case's tables and hand-worked examples), never read
from the modules under test.
"""

from __future__ import annotations

import base64
import json
import re
from types import SimpleNamespace

import altair as alt
import networkx as nx
import pandas as pd
import pytest

from analysis import charts, flows, network
from analysis.charts import render, shaping

TITLES = {  # chart -> (English title, Spanish title)
    "timeline": ("What happened, phase by phase", "Qué pasó, fase por fase"),
    "gantt": ("Convoys: departure to arrival", "Convoyes: de la salida a la llegada"),
    "cumulative": ("People who had left, over time", "Personas que habían salido"),
    "by_destination": ("People by destination", "Personas por destino"),
    "map": ("Routes: where the movements went", "Rutas: adónde fueron los movimientos"),
    "claims": ("What each source claimed", "Qué afirmó cada fuente"),
    "network": ("Who dealt with whom", "Quién trató con quién"),
    "adjacency": ("Ties between actors", "Vínculos entre actores"),
    "centrality": ("Betweenness centrality", "Centralidad de intermediación"),
    "relations_time": ("Relations over time", "Relaciones en el tiempo"),
}


@pytest.fixture(scope="module")
def rec(case):
    return flows.reconcile(case)


@pytest.fixture(scope="module")
def built(case, rec):
    mt = rec.movements
    g = network.build_graph(case)
    m = network.metrics(g)
    pos = network.layout(network.focus(g))

    def make(lang):
        return {
            "timeline": charts.timeline(case, lang=lang),
            "gantt": charts.convoy_gantt(case, mt, lang=lang),
            "cumulative": charts.cumulative_chart(mt, lang=lang, scenario="high"),
            "by_destination": charts.destination_bars(case, mt, lang=lang),
            "map": charts.route_map(case, mt, lang=lang),
            "claims": charts.claims_dotplot(case, rec.figures, lang=lang),
            "network": charts.node_link(g, pos, lang=lang, metrics=m),
            "adjacency": charts.adjacency(g, lang=lang),
            "centrality": charts.centrality_bars(m, lang=lang),
            "relations_time": charts.relations_over_time(network.edges_table(g, lang), lang=lang),
        }

    return {lang: make(lang) for lang in ("en", "es")}


def _spec(chart) -> dict:
    return chart.to_dict(validate=True)


def _text(chart) -> str:
    return json.dumps(_spec(chart), ensure_ascii=False)


def _scales(spec, channel: str) -> list[dict]:
    """Every scale given for ``channel`` anywhere in a spec."""
    found = []
    if isinstance(spec, dict):
        enc = spec.get("encoding", {})
        if isinstance(enc.get(channel), dict) and "scale" in enc[channel] and enc[channel]["scale"]:
            found.append(enc[channel]["scale"])
        for v in spec.values():
            found += _scales(v, channel)
    elif isinstance(spec, list):
        for v in spec:
            found += _scales(v, channel)
    return found


def _mapping(spec, channel: str) -> dict[str, str]:
    out = {}
    for s in _scales(spec, channel):
        if "domain" in s and "range" in s and isinstance(s["range"], list):
            out.update(zip(s["domain"], s["range"], strict=True))
    return out


@pytest.mark.parametrize("lang", ["en", "es"])
def test_specs_validate_and_carry_their_title(built, lang):
    for key, chart in built[lang].items():
        spec = _spec(chart)
        assert TITLES[key][0 if lang == "en" else 1] in json.dumps(spec, ensure_ascii=False), (lang, key)
        assert "vega-lite/v6" in spec["$schema"] and spec["usermeta"]["lang"] == lang


def test_spanish_charts_use_spanish_names_and_words(built):
    text = _text(built["es"]["map"])
    assert "distrito de Afrin" in text and "Afrin district" not in text
    svg = render.to_svg(_spec(built["es"]["network"]))  # what the reader sees (the data keeps stored ids beside the words)
    assert "Ejército Árabe Sirio" in svg and "Syrian Arab Army" not in svg
    assert "fuerza estatal" in svg and "state force" not in svg  # actor type of the army
    assert "cooperativo" in svg and "hostil" in svg and "rebeldes" in svg and "rebel" + "<" not in svg


def test_spanish_svg_has_spanish_months_and_numbers(built):
    svg = render.to_svg(_spec(built["es"]["cumulative"]))
    assert "abr" in svg and "Apr" not in svg
    # 6,200 people and more by the end (the high side): the axis has 2.000 in the es-ES locale, which groups thousands with '.'
    assert "2.000" in svg and "2,000" not in svg
    assert "Apr" in render.to_svg(_spec(built["en"]["cumulative"]))


def test_edge_tooltips_name_their_sources(built):
    spec = _spec(built["en"]["network"])
    edges = next(d for d in spec["datasets"].values() if d and "ids" in d[0])
    juma = next(e for e in edges if "killed" in e["relations"])
    assert "eswiki-r4" in juma["sources"] and "sohr-ar-262842" in juma["sources"]


def test_destination_colours_are_fixed_by_place_in_both_languages(built):
    # Jarabulus and the Afrin district keep one colour in the Gantt chart and on the map, in English and Spanish
    names = {"jarabulus": ("Jarabulus", "Jarabulus"), "afrin": ("Afrin district", "distrito de Afrin")}
    for place, (en, es) in names.items():
        colours = {
            _mapping(_spec(built["en"]["gantt"]), "color")[en],
            _mapping(_spec(built["es"]["gantt"]), "color")[es],
            _mapping(_spec(built["en"]["map"]), "color")[en],
            _mapping(_spec(built["es"]["map"]), "color")[es],
        }
        assert len(colours) == 1, (place, colours)
    assert _mapping(_spec(built["en"]["gantt"]), "color")["Jarabulus"] != _mapping(_spec(built["en"]["gantt"]), "color")["Afrin district"]


def test_side_colours_are_the_same_in_both_languages(built):
    en = _mapping(_spec(built["en"]["network"]), "color")
    es = _mapping(_spec(built["es"]["network"]), "color")
    assert en["government"] == es["gobierno"] and en["rebels"] == es["rebeldes"] and en["government"] != en["rebels"]


def test_one_shape_per_actor_type_in_every_chart(built, case):
    types = case.package["resources"][1]["schema"]["fields"]
    field = next(f for f in types if f["name"] == "actor_type")
    marks = field["qalamoun:marks"]  # the shapes are data: one per actor type in the data package
    assert set(marks) == set(field["constraints"]["enum"]) and len(set(marks.values())) == len(marks)  # no two types share one
    # the army (a state force) is a square in the network and in the centrality chart, in both languages
    for lang, word in (("en", "state force"), ("es", "fuerza estatal")):
        for key in ("network", "centrality"):
            assert _mapping(_spec(built[lang][key]), "shape")[word] == "square", (lang, key)


def test_claim_marks_are_filled_when_reported_and_hollow_when_announced(built):
    """claims.csv: SANA's 'about 1,500 fighters' from Dumayr is expected (announced: hollow, five identical claims),
    the Spanish article's 5,000 people for the whole case reported (filled); in both languages."""
    for lang in ("en", "es"):
        spec = _spec(built[lang]["claims"])
        layers = [la for panel in spec["vconcat"] for la in panel["layer"] if la["mark"]["type"] == "point" and "filled" in la["mark"]]
        filled = [r for la in layers if la["mark"]["filled"] for r in spec["datasets"][la["data"]["name"]]]
        hollow = [r for la in layers if not la["mark"]["filled"] for r in spec["datasets"][la["data"]["name"]]]
        sana_fighters = [r for r in hollow if r["shown_x"] == 1500 and r["n"] == 5]
        assert len(sana_fighters) == 1 and sana_fighters[0]["originator"].startswith("SANA"), lang
        assert not [r for r in filled if r["shown_x"] == 1500 and r["n"] == 5], lang
        spanish_article = {"en": "the Spanish-language encyclopedia article", "es": "el artículo de la enciclopedia en español"}[lang]
        assert [r for r in filled if r["shown_x"] == 5000 and r["originator"] == spanish_article], lang


def test_network_has_size_and_width_legends_and_arrows(built):
    spec = _spec(built["en"]["network"])
    layers = spec["layer"]
    size = next(la["encoding"]["size"] for la in layers if "size" in la.get("encoding", {}))
    width = next(la["encoding"]["strokeWidth"] for la in layers if "strokeWidth" in la.get("encoding", {}))
    assert size.get("legend", {}) is not None and size["title"] == "Partners"
    assert width.get("legend", {}) is not None and width["title"] == "Relations on the tie"
    assert any(la["mark"].get("shape") == "triangle-up" and "angle" in la["encoding"] for la in layers)


def test_identical_claims_are_one_mark_with_a_count():
    # two sources relaying SANA's 5,000 (same subject, quantity, figure, originator, basis) and one AFP figure
    claims = pd.DataFrame(
        {
            "claim_id": ["C1", "C2", "C3"],
            "source_id": ["sana-en-1", "ap-1", "afp-1"],
            "subject": ["total"] * 3,
            "quantity": ["people"] * 3,
            "point": [5000.0, 5000.0, 4500.0],
            "key": ["sana", "sana", "afp"],
            "basis": ["reported"] * 3,
            "is_floor": [False] * 3,
            "coverage": ["whole"] * 3,
        }
    )
    case = SimpleNamespace(
        places=pd.DataFrame(columns=["place_id", "name_en"]), movements=pd.DataFrame(columns=["movement_id", "label_en"])
    )
    case.tables = {"originators": pd.DataFrame({"originator_id": ["sana", "afp"], "name_en": ["SANA", "AFP"]})}
    case.events = pd.DataFrame(columns=["event_id", "event_type", "date_start"])
    out = shaping.claims_frame(case, claims, "en", ("people",))
    assert len(out) == 2
    sana = out[out["originator"] == "SANA"].iloc[0]
    assert sana["n"] == 2 and sana["n_text"] == "×2" and sana["claim_ids"] == "C1, C2"
    assert out[out["originator"] == "AFP"].iloc[0]["n_text"] == ""


def test_main_window_is_the_span_after_the_background():
    events = pd.DataFrame(
        {
            "event_id": ["a", "b", "c", "d"],
            "phase": ["background", "escalation", "negotiation", "aftermath"],
            "date_precision": ["year", "month", "day", "day"],
            "date_start": pd.to_datetime(["2016-01-01", "2018-03-01", "2018-04-03", "2018-05-17"]),
            "date_end": pd.to_datetime(["2016-12-31", "2018-03-31", "2018-04-03", "2018-05-17"]),
        }
    )
    # the year-long background and the month-precision escalation do not stretch the window
    assert shaping.main_window(events) == (pd.Timestamp("2018-04-03"), pd.Timestamp("2018-05-17"))


def test_timeline_shows_the_main_window_day_by_day(built):
    spec = _spec(built["en"]["timeline"])
    detail = spec["vconcat"][1]
    # the case's main window runs from the unified command (events.csv: 2-3 April 2018, The New Arab's evening of
    # 2 April and the article's 3 April) to the tanks found on 17 May, padded two days
    assert detail["encoding"]["x"]["scale"]["domain"] == ["2018-03-31", "2018-05-19"]
    # CLDR's en-GB interval: the year written once, thin spaces around the dash
    assert detail["title"]["subtitle"] == ["2 Apr\u2009–\u200917 May 2018"]
    assert "2016" in render.to_svg(spec)  # the background stays as context


def test_labels_do_not_collide():
    # A and B 6 px apart: B's label cannot go above it (A's label is there), so it goes elsewhere or is left out
    nodes = pd.DataFrame(
        {"actor_id": ["a", "b", "c"], "short": ["Alpha", "Bravo", "Charlie"], "px": [100.0, 106.0, 300.0], "py": [100.0, 100.0, 50.0]}
    ).assign(degree=[3, 2, 1], r=[5.0, 5.0, 5.0])
    out = shaping.place_labels(nodes, 400, 200)
    boxes = [shaping._label_box(r.lx, r.ly, r.short, r.align) for r in out.itertuples() if r.labelled]
    assert all(not shaping._overlaps(p, q) for i, p in enumerate(boxes) for q in boxes[i + 1 :])
    # above Alpha (r + 3 = 8 px up) its box would span x 84-116 (5 characters x 6 px + 2), over Bravo at x 106: as near
    # Bravo as Alpha, so the label is not Alpha's alone; below likewise; to the right it would cover Bravo's dot (101-111);
    # to the left it ends 8 px before Alpha, its baseline 4 px down (half the 10 px font, less 1): (92, 104), right-aligned
    assert out.loc[0, "labelled"] and (out.loc[0, "lx"], out.loc[0, "ly"], out.loc[0, "align"]) == (92, 104, "right")


def test_network_names_every_actor_it_does_not_label(built, case):
    spec = _spec(built["en"]["network"])
    nodes = next(d for d in spec["datasets"].values() if d and "labelled" in d[0])
    subtitle = " ".join(spec["title"]["subtitle"])
    for n in nodes:
        assert n["labelled"] or n["short"] in subtitle, n["short"]


def test_arrowheads_point_at_the_actor_acted_upon():
    g = nx.MultiDiGraph()
    g.add_node("a", name_en="A", side="rebel", actor_type="person")
    g.add_node("b", name_en="B", side="government", actor_type="person")
    g.add_edge("a", "b", key="R1", relation="attacked", sign=-1, directed=True, source_ids="s1")
    nodes = pd.DataFrame({"actor_id": ["a", "b"], "name": ["A", "B"], "px": [0.0, 100.0], "py": [50.0, 50.0], "r": [5.0, 5.0]})
    edges, heads = shaping.edge_frame(g, nodes, "en")
    assert len(edges) == 1 and edges.iloc[0]["sign_label"] == "hostile"
    head = heads.iloc[0]
    # one head, 5 + 7 px short of B, pointing right: 90 degrees clockwise from up
    assert len(heads) == 1 and head["ax"] == pytest.approx(88.0) and head["ay"] == pytest.approx(50.0)
    assert head["angle"] == pytest.approx(90.0)


def _map_text(chart) -> tuple[str, str]:
    spec = _spec(chart)
    subtitle = " ".join(spec["title"]["subtitle"])
    routes = next(d for d in spec["datasets"].values() if d and "movements" in d[0])
    return subtitle, " ".join(r["movements"] for r in routes)


def test_map_draws_every_movement_or_says_which_it_leaves_out(built, rec, tmp_path):
    # every destination of the curated case has a point (places.csv): every movement is drawn
    subtitle, drawn = _map_text(built["en"]["map"])
    for label in rec.movements["label_en"]:
        assert label in drawn, label
    # on a copy whose northern Aleppo countryside has no point and no containing place, the first batch and the
    # fourth convoy (bound there, movements.csv) cannot be drawn, and the map says so
    from casekit import curated_without_point

    copy = curated_without_point(tmp_path / "case", "northern-aleppo")
    subtitle, drawn = _map_text(charts.route_map(copy, flows.reconcile(copy).movements, lang="en"))
    assert "First batch from al-Ruhaybah, Jayrud and al-Naseriyah" in subtitle and "Fourth and last convoy" in subtitle
    assert "Dumayr convoy" in drawn and "Fourth and last convoy" not in drawn


def test_a_place_without_coordinates_is_drawn_at_the_place_containing_it():
    places = pd.DataFrame(
        {
            "place_id": ["camp", "district", "nowhere"],
            "lat": [None, 36.5, None],
            "lon": [None, 36.9, None],
            "geo_precision": [3, 2, 3],
            "within": ["district", None, None],
        }
    )
    co = shaping.coordinates(SimpleNamespace(places=places)).set_index("place_id")
    assert co.loc["camp", "drawn_at"] == "district" and co.loc["camp", "lat"] == 36.5 and co.loc["camp", "approx"]
    assert pd.isna(co.loc["nowhere", "drawn_at"]) and pd.isna(co.loc["nowhere", "lat"])


def test_static_output_is_png_and_svg_and_never_the_repr(built):
    spec = _spec(built["en"]["gantt"])
    data, meta = render.static_bundle(spec)
    png = base64.b64decode(data["image/png"])
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and data["image/svg+xml"].startswith("<svg")
    # the title and one sentence of what the chart shows (five movements in movements.csv), never the repr
    described = "Convoys: departure to arrival. 5 movements as bars from departure to arrival, coloured by destination, "
    described += "each with its people figure."
    assert data["text/plain"] == "[chart] " + described and "alt." not in data["text/plain"]
    assert meta["image/png"]["alt"] == meta["image/svg+xml"]["alt"] == described
    # drawn at twice the size, shown at the chart's size: the PNG's pixel width is twice the width given
    width = int.from_bytes(png[16:20], "big")
    assert width == 2 * meta["image/png"]["width"]
    assert render.static_bundle(spec)[0]["image/png"] == data["image/png"]  # the same bytes on every run (nbval)


def test_svg_ids_do_not_depend_on_what_was_drawn_before():
    """Vega counts gradients and clip paths across every chart of a process: the same chart gave gradient_0 in a fresh
    kernel and gradient_1 after another legend.  By hand: two SVGs that differ only in those counters become the same,
    each id named <kind>-<digest>-<order of appearance>, every reference following its id."""
    first = (
        '<svg><defs><clipPath id="clip3"/><linearGradient id="gradient_7"/></defs>'
        '<g clip-path="url(#clip3)"/><path fill="url(#gradient_7)"/></svg>'
    )
    later = first.replace("clip3", "clip12").replace("gradient_7", "gradient_8")
    a, b = render.stable_ids(first), render.stable_ids(later)
    assert a == b
    digest = re.search(r'id="clip-([0-9a-f]{10})-0"', a).group(1)
    assert a == first.replace("clip3", f"clip-{digest}-0").replace("gradient_7", f"gradient-{digest}-1")
    other = render.stable_ids(first.replace("<g ", '<g class="x" '))  # another chart: other ids
    assert "clip-" + digest not in other


@pytest.mark.parametrize("name", ["gantt", "network"])
def test_png_drawn_from_the_svg_has_the_pixels_vega_draws_from_the_spec(built, name):
    """The PNG is drawn from the SVG (one Vega run, not two): it must look exactly like vl-convert's own PNG of the spec."""
    import io

    import vl_convert as vlc
    from PIL import Image, ImageChops

    spec = _spec(built["es"][name])
    direct = Image.open(io.BytesIO(vlc.vegalite_to_png(spec, scale=render.PNG_SCALE, format_locale="es-ES"))).convert("RGB")
    via_svg = Image.open(io.BytesIO(vlc.svg_to_png(render.to_svg(spec), scale=render.PNG_SCALE))).convert("RGB")
    assert via_svg.size == direct.size
    assert ImageChops.difference(via_svg, direct).getbbox() is None  # no pixel differs


def test_interactive_mode_reads_selections_back(built):
    try:
        assert charts.use_renderer(interactive=True) == "interactive"
        data, _ = render.interactive_bundle(_spec(built["en"]["gantt"]))
        assert "application/vnd.jupyter.widget-view+json" in data and "image/png" in data
        assert charts.selection("movement") == []
        widget = render._WIDGETS["movement"]
        widget._vl_selections = {"movement": {"value": {"vlPoint": {"or": [{"movement_id": "mv-dumayr"}]}}, "store": []}}
        assert charts.selection("movement") == ["mv-dumayr"]
        render.interactive_bundle(_spec(built["en"]["network"]))
        assert "actor" in render._WIDGETS
    finally:
        assert charts.use_renderer(interactive=False) == "static"
    assert alt.renderers.active == "qalamoun-static"


def _rows(chart) -> int:
    """Rows of inline data across a chart's layers (what the stored notebook carries)."""
    spec = chart.to_dict()
    return max(len(v) for v in spec.get("datasets", {}).values()) if spec.get("datasets") else 0


def test_charts_pre_aggregate_large_cases(tmp_path):
    from analysis import synth
    from analysis.cases import load_case

    big = load_case(synth.write_case(tmp_path / "big", 400), validate=False)
    mt = flows.reconcile(big).movements
    g = network.build_graph(big)
    assert len(mt) == 400 and len(big.events) == 400 and len(big.claims) == 2000
    assert _rows(charts.route_map(big, mt)) <= charts.MAX_ROUTES * 2  # routes, and the places they join
    assert _rows(charts.convoy_gantt(big, mt)) == charts.MAX_MOVEMENTS
    assert _rows(charts.destination_bars(big, mt)) <= 4 * (charts.MAX_DESTINATIONS + 1)  # x 4 ways of knowing people
    assert _rows(charts.timeline(big)) <= 31 * 6  # counts per day and phase, not 400 events
    dots = charts.claims_dotplot(big, flows.figures(big)).to_dict()
    subjects = {r["subject_label"] for d in dots["datasets"].values() for r in d if "subject_label" in r}
    assert len(subjects) <= charts.MAX_SUBJECTS
    nl = charts.node_link(g, network.layout(network.focus(g)), metrics=network.metrics(g)).to_dict()
    nodes = [d for d in nl["datasets"].values() if d and "actor_id" in d[0]]
    assert len(nodes[0]) == network.MAX_DRAWN_ACTORS


def test_places_at_one_point_are_one_dot_and_the_map_says_whose_point_a_stand_in_borrows(built):
    """places.csv: al-Bab (36.373, 37.518, precision 1) and the northern Aleppo countryside, whose stand-in point is
    al-Bab's (precision 3).  One filled dot there, both names written one under the other, and the subtitle says
    the region is drawn at al-Bab (before: two dots and two labels printed on top of each other)."""
    spec = _spec(built["en"]["map"])
    subtitle = " ".join(spec["title"]["subtitle"])
    assert "Northern Aleppo countryside (Turkish-held areas) drawn at al-Bab" in subtitle
    rows = [r for d in spec["datasets"].values() for r in d if r.get("lat") == 36.373 and r.get("lon") == 37.518]
    dots = [r for r in rows if "approx" in r]
    assert [(r["name"], r["approx"]) for r in dots] == [("al-Bab\nNorthern Aleppo countryside (Turkish-held areas)", False)]


def test_names_of_points_close_on_the_map_are_written_as_one_block():
    """Worked by hand.  Latitudes 35.0-36.0 and longitudes 36.0-37.0, padded by 0.6 and 0.8 degrees: the map spans
    2.2 by 2.6 degrees, so points nearer than 0.04 x 2.6 = 0.104 degrees (both ways) share a block.
    A-B (0.05, 0.02), A-D (0.10, 0.10) and D-E (0.09, 0.10) are near; E-A (0.19) is not, but E joins through D.
    C is far from all.  The block reads north to south, E D B A, beside the northernmost latitude (E's 35.19) and the
    easternmost longitude (D's 36.1)."""
    pts = pd.DataFrame(
        {
            "name": ["A", "B", "C", "D", "E"],
            "lat": [35.0, 35.05, 36.0, 35.1, 35.19],
            "lon": [36.0, 36.02, 37.0, 36.1, 36.0],
        }
    )
    labels = shaping.label_frame(pts, "en").sort_values("name").reset_index(drop=True)
    assert labels.values.tolist() == [[36.0, 37.0, "C"], [35.19, 36.1, "E\nD\nB\nA"]]


def test_a_block_of_names_holds_six_lines_at_most():
    """Eight places 0.01 degrees apart on one meridian are one block: the five northernmost, then a line for
    the 3 others (8 - 5)."""
    pts = pd.DataFrame({"name": list("ABCDEFGH"), "lat": [35.0 + 0.01 * i for i in range(8)], "lon": [36.0] * 8})
    assert shaping.label_frame(pts, "en")["name"].tolist() == ["H\nG\nF\nE\nD\nand 3 more places"]
    assert shaping.label_frame(pts, "es")["name"].tolist() == ["H\nG\nF\nE\nD\ny 3 lugares más"]
