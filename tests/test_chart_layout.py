"""Charts a reviewer can read: marks told apart, scales that follow the bulk, ticks apart, whole numbers for counts,
labels wrapped, widths that fit the column, alt text, a map that names what it can't draw and draws stops.

Every expected value is worked out by hand here, from the case's tables or a hand-made case; the rendered SVG is
measured where the rule is about what a reader sees (the browser test measures every chart of every report).
"""

from __future__ import annotations

import html
import itertools
import json
import re

import nbformat
import pandas as pd
import pytest
from casekit import claim, curated_without_point, movement, place, source, write_case
from conftest import write_rows

from analysis import charts, flows, load_case
from analysis.charts import render, shaping, theme

GHOUTA = "eastern-ghouta-2018"
QALAMOUN = "eastern-qalamoun-2018"


def _spec(chart) -> dict:
    return chart.to_dict(validate=True)


def _scale_pairs(spec, channels=("color", "shape")) -> dict[str, tuple]:
    """label -> (colour, shape) from every color and shape scale with a domain and a range anywhere in a spec."""
    found: dict[str, dict[str, str]] = {c: {} for c in channels}

    def walk(node):
        if isinstance(node, dict):
            for c in channels:
                scale = (node.get("encoding", {}).get(c) or {}).get("scale") if isinstance(node.get("encoding"), dict) else None
                if isinstance(scale, dict) and "domain" in scale and isinstance(scale.get("range"), list):
                    found[c].update(zip(scale["domain"], scale["range"], strict=True))
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(spec)
    return {k: tuple(found[c].get(k) for c in channels) for k in found[channels[0]]}


def _svg_width(svg: str) -> float:
    return float(re.search(r'<svg[^>]*\bwidth="([\d.]+)"', svg).group(1))


def _texts(svg: str) -> list[str]:
    """Every text a reader sees in an SVG (lines of a text joined by a space), entities decoded."""
    out = []
    for m in re.finditer(r"<text\b[^>]*>(.*?)</text>", svg, re.S):
        out.append(html.unescape(" ".join(re.findall(r">([^<>]+)<", f">{m.group(1)}<"))).strip())
    return out


@pytest.fixture(scope="module")
def ghouta():
    case = load_case(GHOUTA)
    return case, flows.reconcile(case)


# ---------------------------------------------------------------------------
# 1. No two originators alike


def test_each_key_gets_a_colour_and_mark_of_its_own():
    """Ten colours (d3's Category10) as circles, then the same ten as squares, and so on: 37 keys, 37 pairs."""
    keys = [f"o{i:02d}" for i in range(37)]
    styles = theme.distinct_styles(keys)
    assert len(set(styles.values())) == 37
    assert [styles[k][1] for k in keys[:10]] == ["circle"] * 10 and len({styles[k][0] for k in keys[:10]}) == 10
    assert styles["o00"] == ("#1f77b4", "circle") and styles["o10"] == ("#1f77b4", "square")
    assert styles["o36"] == ("#e377c2", "diamond")  # 36 = 3 x 10 + 6: the seventh colour, the fourth mark
    # past sixty pairs the colours darken: the 61st key is Category10's blue at 70%: 0x1f, 0x77, 0xb4 -> 22, 83, 126
    assert theme.distinct_styles([f"k{i:02d}" for i in range(61)])["k60"] == ("#16537e", "circle")


def test_ghouta_originators_keep_their_colour_and_mark_in_every_language(ghouta):
    """The Ghouta claims chart draws 13 originators (the people, fighters, civilians and buses claims of claims.csv),
    ordered by side: 7 government (Russian MoD, SANA, two SouthFront documents, Sputnik, Syria Truths, Syrian state TV),
    3 opposition (Response Coordinators, SOHR, The New Arab), then the UN (neutral), News Observatory and WS Beacon
    (no side).  So SANA is the second colour as a circle, the UN the eleventh key: the first colour again, as a square."""
    case, rec = ghouta
    names = {  # originators.csv, in each language
        "sana": ("SANA (Syrian state news agency)", "SANA (agencia estatal siria)", "سانا (الوكالة العربية السورية للأنباء)"),
        "un": ("United Nations (Jan Egeland)", "Naciones Unidas (Jan Egeland)", "الأمم المتحدة (يان إيغلاند)"),
    }
    for i, lang in enumerate(("en", "es", "ar")):
        pairs = _scale_pairs(_spec(charts.claims_dotplot(case, rec.figures, lang=lang)))
        assert len(pairs) == 13 and len(set(pairs.values())) == 13, (lang, pairs)
        assert pairs[names["sana"][i]] == ("#ff7f0e", "circle"), lang
        assert pairs[names["un"][i]] == ("#1f77b4", "square"), lang


# ---------------------------------------------------------------------------
# 2. A scale that follows the bulk; nothing leaves the frame silently


def test_the_edge_of_a_panel_follows_its_bulk():
    # 130,000 is less than three times 47,000: it belongs to the bulk
    assert shaping.panel_edge([33345, 38000, 43000, 47000, 130000]) == 130000
    # 130,000 is more than three times 4,000, the next largest: the panel ends at 4,000 (one value of six beyond)
    assert shaping.panel_edge([1000, 1065, 1500, 3600, 4000, 130000]) == 4000
    # two values only: neither is a third of the panel, so neither is cut off
    assert shaping.panel_edge([1500, 8000]) == 8000
    assert [shaping.nice_ceiling(v) for v in (1597.7, 47001, 0.9, 130000)] == [2000, 50000, 1.0, 150000]


@pytest.fixture(scope="module")
def far(tmp_path_factory):
    """Four convoys with 1,000, 1,200, 1,500 and (a typo in one source) 130,000 people, and 5,000 for the whole case;
    100 fighters in the first convoy, 120 in the fourth."""
    folder = tmp_path_factory.mktemp("far") / "case"
    claims = [
        claim("C1", "s1", "mv-a", "people", 1000),
        claim("C2", "s1", "mv-b", "people", 1200),
        claim("C3", "s1", "mv-c", "people", 1500),
        claim("C4", "s2", "mv-d", "people", 130000),
        claim("C5", "s2", "total", "people", 5000),
        claim("C6", "s1", "mv-a", "fighters", 100),
        claim("C7", "s1", "mv-d", "fighters", 120),
    ]
    moves = [movement(m, "x", "y", "2018-04-01", "2018-04-02") for m in ("mv-a", "mv-b", "mv-c", "mv-d")]
    case = write_case(
        folder, {"sources": [source("s1"), source("s2")], "places": [place("x"), place("y")], "movements": moves, "claims": claims}
    )
    return case, flows.reconcile(case)


def test_a_figure_far_beyond_the_others_is_drawn_at_the_edge_with_its_value(far):
    """The whole case (5,000) has a panel of its own; in the movements' panel 130,000 is more than three times 1,500,
    so the scale ends at 2,000 (1,500 and room for a count beside it, rounded up) and 130,000 is drawn there, an arrow
    beside it and '130,000 →' written."""
    case, rec = far
    spec = _spec(charts.claims_dotplot(case, rec.figures, lang="en"))
    panels = {p["title"]["text"]: p for p in spec["vconcat"]}
    assert sorted(panels) == ["Fighters · movements", "People · movements", "People · the whole case and places"]
    moves = panels["People · movements"]
    domain = next(la["encoding"]["x"]["scale"]["domain"] for la in moves["layer"] if "scale" in la["encoding"].get("x", {}))
    assert domain == [0, 2000]
    rows = [r for name in {la["data"]["name"] for la in moves["layer"]} for r in spec["datasets"][name]]
    assert max(r.get(k) or 0 for r in rows for k in ("shown_x", "low_x", "best_x", "high_x", "domain_max")) == 2000
    assert [r["edge_text"] for r in rows if "edge_text" in r] == ["130,000 →"]
    assert any(la["mark"].get("shape") == "triangle-right" for la in moves["layer"])
    # mv-d's 120 fighters are no outlier: its fighters' panel has no edge, whatever its people's panel has
    fighters = panels["Fighters · movements"]
    assert not [la for la in fighters["layer"] if la["mark"].get("shape") == "triangle-right"]
    assert "drawn at the panel's edge" in " ".join(spec["title"]["subtitle"])


def test_no_mark_leaves_its_panel(ghouta):
    """Every x drawn in every panel of the Ghouta claims chart lies inside that panel's scale."""
    case, rec = ghouta
    spec = _spec(charts.claims_dotplot(case, rec.figures, lang="en"))
    for panel in spec["vconcat"]:
        top = next(la["encoding"]["x"]["scale"]["domain"][1] for la in panel["layer"] if "scale" in la["encoding"].get("x", {}))
        for la in panel["layer"]:
            for r in spec["datasets"][la["data"]["name"]]:
                assert all((r.get(k) or 0) <= top for k in ("shown_x", "low_x", "best_x", "high_x")), (panel["title"], r)


# ---------------------------------------------------------------------------
# 3 and 10. Time axes adapt to the span; ticks apart


def test_ticks_fall_evenly_whatever_the_month():
    """Every third day from 22 March runs on through 1 April (Vega's own ticks start again each month: 31 Mar, 1 Apr)."""
    ticks = theme.tick_dates("2018-03-22", "2018-04-14", 640)
    assert [d.strftime("%d %b") for d in ticks] == ["22 Mar", "25 Mar", "28 Mar", "31 Mar", "03 Apr", "06 Apr", "09 Apr", "12 Apr"]
    assert [d.strftime("%b %Y") for d in theme.tick_dates("2016-01-01", "2018-05-17", 640)] == [
        "Jan 2016",
        "Jul 2016",
        "Jan 2017",
        "Jul 2017",
        "Jan 2018",
    ]


def test_time_ticks_adapt_to_the_span():
    # 16 days on 458 px: a label takes 48 + 14 px, so 7 fit; every day would be 17 ticks, every other 9, every third 6.3
    assert theme.time_ticks("2018-05-01", "2018-05-16", 458) == ("day", "day", 3)
    # a month on 640 px: 10 fit (640 // 62); every third day gives 10.3, a week 5.4
    assert theme.time_ticks("2018-04-01", "2018-04-30", 640) == ("day", "week", 1)
    # 1 Jan 2016 - 17 May 2018 (868 days) on 640 px: months; 8 labels of 64 + 14 px fit; every 3 months 10.5, every 6 5.8
    assert theme.time_ticks("2016-01-01", "2018-05-17", 640) == ("month", "month", 6)
    # ten years on 640 px: years; 12 fit (640 // 52); every year gives 11
    assert theme.time_ticks("2010-01-01", "2019-12-31", 640) == ("year", "year", 1)


def test_a_short_record_is_labelled_by_day_on_every_date_axis(tmp_path):
    """A 16-day record (1-16 May 2018): the whole-record strip reads '1 May, 4 May, ...', never 'May 2018' on every
    tick; no two tick labels of any axis are the same."""
    from casekit import event

    events = [
        event("e1", "2018-05-01"),
        event("e2", "2018-05-08", "evacuation", "convoy_departure"),
        event("e3", "2018-05-16", "aftermath", "announcement"),
    ]
    case = write_case(
        tmp_path / "short",
        {
            "sources": [source("s1")],
            "places": [place("x"), place("y")],
            "events": events,
            "movements": [movement("mv-a", "x", "y", "2018-05-08", "2018-05-09")],
        },
    )
    spec = _spec(charts.timeline(case, lang="en"))
    strip = spec["vconcat"][0]["layer"][-1]["encoding"]["x"]["axis"]
    days = [pd.Timestamp(v["year"], v["month"], v["date"]) for v in strip["values"]]
    assert "utcdate" in strip["labelExpr"] and len({b - a for a, b in itertools.pairwise(days)}) == 1  # evenly, by day
    svg = render.to_svg(spec)
    assert "May 2018" not in _texts(svg)
    ticks = [t for t in _texts(svg) if re.fullmatch(r"\d{1,2} May", t)]
    assert len(ticks) >= 4
    gantt = render.to_svg(_spec(charts.convoy_gantt(case, flows.reconcile(case).movements, lang="en")))
    days = [t for t in _texts(gantt) if re.fullmatch(r"\d{1,2} May", t)]
    assert days and len(days) == len(set(days))


# ---------------------------------------------------------------------------
# 4. Whole numbers for counts


def test_counts_are_whole_numbers_on_axes(tmp_path):
    """Two movements of 2 and 3 people: the people axis reads 0, 1, 2, ... never 0.5 (Vega's default ticks would)."""
    claims = [claim("C1", "s1", "mv-a", "people", 2), claim("C2", "s1", "mv-b", "people", 3)]
    moves = [movement("mv-a", "x", "y", "2018-04-01", "2018-04-02"), movement("mv-b", "x", "z", "2018-04-02", "2018-04-03")]
    case = write_case(
        tmp_path / "small",
        {"sources": [source("s1")], "places": [place("x"), place("y"), place("z")], "movements": moves, "claims": claims},
    )
    mt = flows.reconcile(case).movements
    for chart in (
        charts.destination_bars(case, mt),
        charts.cumulative_chart(mt),
        charts.claims_dotplot(case, flows.reconcile(case).figures),
    ):
        numbers = [t for t in _texts(render.to_svg(_spec(chart))) if re.fullmatch(r"[\d.,]+", t)]
        assert numbers and all(re.fullmatch(r"\d+", t) for t in numbers), numbers
        axes = json.dumps(_spec(chart))
        assert '"format": ",d"' in axes and '"tickMinStep": 1' in axes


# ---------------------------------------------------------------------------
# 5. Long labels wrapped, not cut


def test_long_labels_are_wrapped_between_words():
    # 230 px at 11 px and 0.62 em a character: 33 characters a line
    assert (
        theme.wrap_label("First batch from al-Ruhaybah, Jayrud and al-Naseriyah", 230)
        == "First batch from al-Ruhaybah,\nJayrud and al-Naseriyah"
    )
    assert theme.wrap_label("القطاع الأوسط، القافلة الأخيرة من البلدات الأربع", 230) == "القطاع الأوسط، القافلة الأخيرة من\nالبلدات الأربع"
    assert theme.wrap_label("Dumayr", 230) == "Dumayr"
    assert theme.wrap("x" * 10, 4) == ["xxxx", "xxxx", "xx"]  # a word longer than a line is split, never cut


def test_the_gantt_rows_make_room_for_wrapped_names(case):
    """movements.csv: 'First batch from al-Ruhaybah, Jayrud and al-Naseriyah' takes two lines (13 px each, 6 between
    rows): five rows of 32 px.  The axis writes it over its two lines; no label is cut."""
    spec = _spec(charts.convoy_gantt(case, flows.reconcile(case).movements, lang="en"))
    axis = spec["layer"][0]["encoding"]["y"]["axis"]
    assert spec["height"] == 5 * 32
    assert json.loads(axis["labelExpr"].split("[datum.label]")[0]) == {
        "First batch from al-Ruhaybah, Jayrud and al-Naseriyah": ["First batch from al-Ruhaybah,", "Jayrud and al-Naseriyah"],
        "Second convoy (HTS and Ahrar al-Sham)": ["Second convoy (HTS and Ahrar", "al-Sham)"],
        "Dumayr convoy (article's first convoy)": ["Dumayr convoy (article's first", "convoy)"],
    }
    assert not [t for t in _texts(render.to_svg(spec)) if "…" in t]


# ---------------------------------------------------------------------------
# 6 and 7. Width and alt text


CHARTS = {
    "timeline": lambda c, r, lang: charts.timeline(c, lang=lang),
    "gantt": lambda c, r, lang: charts.convoy_gantt(c, r.movements, lang=lang),
    "cumulative": lambda c, r, lang: charts.cumulative_chart(r.movements, lang=lang),
    "by_destination": lambda c, r, lang: charts.destination_bars(c, r.movements, lang=lang),
    "map": lambda c, r, lang: charts.route_map(c, r.movements, lang=lang),
    "claims": lambda c, r, lang: charts.claims_dotplot(c, r.figures, lang=lang),
}


@pytest.mark.parametrize("lang", ["en", "es", "ar"])
def test_every_chart_fits_the_column_with_its_legend_and_says_what_it_shows(ghouta, lang):
    """720 px at most, legends included (JupyterLab's output area is about 768 px at 1,200 px with the file browser
    open), and a sentence in the chart's language for its alt text."""
    case, rec = ghouta
    letters = {"en": r"[a-z]", "es": r"[a-záéíóúñ]", "ar": r"[\u0600-\u06ff]"}[lang]
    for name, make in CHARTS.items():
        spec = _spec(make(case, rec, lang))
        assert _svg_width(render.to_svg(spec)) <= 720, name
        described = spec["usermeta"]["description"]
        assert re.search(letters, described) and described.endswith("."), (name, described)


def test_the_alt_text_is_the_title_and_a_sentence_in_the_report(tmp_path):
    """Stored in the output's image metadata (``alt``), written into the report's <img alt> by its template."""
    from analysis.runner import export

    spec = _spec(charts.cumulative_chart(flows.reconcile(load_case(QALAMOUN)).movements, lang="es"))
    data, meta = render.static_bundle(spec)
    expected = (
        "Personas que habían salido (acumulado, banda mín.-máx.). Personas que habían salido cada día: la cifra central como "
        "línea sobre la banda entre la menor y la mayor cifra que permiten las afirmaciones."
    )
    assert meta["image/svg+xml"]["alt"] == meta["image/png"]["alt"] == expected
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("chart", outputs=[nbformat.v4.new_output("display_data", data=data, metadata=meta)])]
    )
    nb.metadata["qalamoun"] = {"parameters": {"lang": "es"}}
    page = export.to_html(nb, "t")
    alts = [html.unescape(a) for a in re.findall(r"<img[^>]*\balt=\"([^\"]*)\"", page)]
    assert alts == [expected] and "No description has been provided" not in page


# ---------------------------------------------------------------------------
# 9. The map: what it can't draw, and stops


def _subtitle(spec) -> str:
    return " ".join(spec["title"]["subtitle"])


def test_the_map_names_the_origin_that_has_no_point(tmp_path):
    """A copy of Qalamoun whose al-Ruhaybah has no point and lies in no place: the four movements that left from it
    (movements.csv) are not drawn, and the subtitle names al-Ruhaybah, not their destinations (which have points)."""
    copy = curated_without_point(tmp_path / "case", "al-ruhaybah")
    spec = _spec(charts.route_map(copy, flows.reconcile(copy).movements, lang="en"))
    note = next(line for line in spec["title"]["subtitle"] if "no point" in line)
    assert note.startswith("al-Ruhaybah has no point, nor any place containing it: not drawn: ")
    for label in ("First batch from al-Ruhaybah, Jayrud and al-Naseriyah", "Second convoy", "Third convoy", "Fourth and last convoy"):
        assert label in _subtitle(spec)
    for destination in ("Afrin district", "al-Bab", "Northern Aleppo countryside"):
        assert destination not in note
    routes = [r for d in spec["datasets"].values() for r in d if "movements" in r]
    assert {r["movements"] for r in routes} == {"Dumayr convoy (article's first convoy)"}
    assert spec["usermeta"]["description"].startswith("1 movement drawn")


def test_an_origin_with_no_point_is_drawn_at_the_place_containing_it(tmp_path):
    """Origin P has no point but lies within R, which has one: the movement is drawn from R's point and the map says so."""
    places = [
        {**place("p", within="r"), "lat": "", "lon": "", "geo_precision": "3"},
        {**place("r"), "lat": "34.0", "lon": "37.0"},
        place("y"),
    ]
    case = write_case(tmp_path / "within", {"sources": [source("s1")], "places": places, "movements": [movement("mv-a", "p", "y")]})
    routes, _, notes = shaping.route_frame(case, flows.reconcile(case).movements, "en")
    assert routes[["lat", "lon", "lat2", "lon2"]].values.tolist() == [[34.0, 37.0, 1.0, 2.0]]
    assert "P drawn at R" in notes


def _with_legs(folder, legs: list[dict[str, str]]):
    """The hand-made case in ``folder`` with ``legs`` written into its (optional, empty) legs table."""
    header = (folder / "legs.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    rows = [{"leg_id": f"{r['movement_id']}-{r['seq']}", "source_ids": "s1", **r} for r in legs]
    write_rows(folder / "legs.csv", rows, header)
    return load_case(folder)


def test_stops_are_drawn_one_line_per_leg_with_their_status(tmp_path):
    """Worked by hand.  mv-a left X, was refused at crossing C, turned back to X, rerouted through town T and reached Y:
    four legs, X-C refused, C-X turned back, X-T rerouted, then T-Y (no status: the arrival).  mv-b went X to Y via T
    and has no legs: X-T, T-Y.  mv-c was held at crossing N, which has no point: drawn X-Y, and the map names N."""
    places = [
        place("x"),
        {**place("c"), "lat": "1.5", "lon": "2.5", "kind": "crossing"},
        {**place("t"), "lat": "2.0", "lon": "2.0"},
        {**place("n"), "lat": "", "lon": "", "geo_precision": "3", "kind": "crossing"},
        {**place("y"), "lat": "3.0", "lon": "2.0"},
    ]
    moves = [movement("mv-a", "x", "y"), {**movement("mv-b", "x", "y"), "via_place_id": "t"}, movement("mv-c", "x", "y")]
    folder = tmp_path / "legs"
    write_case(folder, {"sources": [source("s1")], "places": places, "movements": moves})
    legs = [
        {"movement_id": "mv-a", "seq": "1", "place_id": "c", "status": "refused", "date_start": "2018-04-02"},
        {"movement_id": "mv-a", "seq": "2", "place_id": "x", "status": "turned_back", "date_start": "2018-04-03"},
        {"movement_id": "mv-a", "seq": "3", "place_id": "t", "status": "rerouted", "date_start": "2018-04-04"},
        {"movement_id": "mv-c", "seq": "1", "place_id": "n", "status": "held", "date_start": "2018-04-02"},
    ]
    case = _with_legs(folder, legs)
    routes, _, notes = shaping.route_frame(case, flows.reconcile(case).movements, "en")
    drawn = {
        m: [(r.from_place_id, r.to_place_id, None if pd.isna(r.status) else r.status) for r in g.itertuples()]
        for m, g in routes.groupby("movements")
    }
    assert drawn == {
        "mv-a": [("x", "c", "refused"), ("c", "x", "turned_back"), ("x", "t", "rerouted"), ("t", "y", None)],
        "mv-b": [("x", "t", None), ("t", "y", None)],
        "mv-c": [("x", "y", None)],
    }
    assert "Stops with no point (nor any place containing them), the routes drawn without them: N" in notes
    spec = _spec(charts.route_map(case, flows.reconcile(case).movements, lang="es"))
    dashes = _scale_pairs(spec, ("strokeDash",))
    marks = _scale_pairs(spec, ("shape",))
    # the statuses' Spanish labels and marks as the data package gives them (legs.status): refused, turned_back, rerouted
    assert sorted(dashes) == ["desviado", "entrada denegada", "obligado a volver"] and len({json.dumps(v) for v in dashes.values()}) == 3
    assert marks == {"entrada denegada": ("cross",), "obligado a volver": ("triangle-left",), "desviado": ("diamond",)}


def test_without_legs_the_map_draws_origin_via_destination(case):
    """movements.csv: the Dumayr convoy went through Azaz to Jarabulus: two legs, Dumayr-Azaz and Azaz-Jarabulus."""
    routes, _, _ = shaping.route_frame(case, flows.reconcile(case).movements, "en")
    dumayr = routes[routes["movements"] == "Dumayr convoy (article's first convoy)"]
    assert [(r.from_place_id, r.to_place_id) for r in dumayr.itertuples()] == [("dumayr", "azaz"), ("azaz", "jarabulus")]


def test_place_names_on_the_map_stay_inside_and_apart():
    """Worked by hand on a 200 px map of 35.2-37.8 E (the width binds: 4,407 px a radian).  North (35.11 N) and South
    (35.0 N) are 0.11 degrees apart, more than a block's 0.104, so each has its own name; South is 10 px below North,
    so its name, right of its point, would cover North's: it goes left of its point.  East end town (37 E, 35.6 N, well
    north of both) is 139 px from the left edge: its name (83 px) would run past the right edge, so it goes left."""
    pts = pd.DataFrame({"name": ["North", "South", "East end town"], "lat": [35.11, 35.0, 35.6], "lon": [36.0, 36.0, 37.0]})
    placed = shaping.place_map_labels(shaping.label_frame(pts, "en"), pts, 200, 200).set_index("name")
    assert placed[["align", "baseline"]].to_dict("index") == {
        "North": {"align": "left", "baseline": "top"},
        "South": {"align": "right", "baseline": "top"},
        "East end town": {"align": "right", "baseline": "top"},
    }
    at = shaping.mercator(placed.reset_index(), pts, 200, 200).set_index("name")
    boxes = {n: shaping._map_box(at.at[n, "px"], at.at[n, "py"], n, placed.at[n, "align"], placed.at[n, "baseline"]) for n in placed.index}
    assert all(b[0] >= 0 and b[2] <= 200 and b[1] >= 0 and b[3] <= 200 for b in boxes.values()), boxes
    names = list(boxes)
    assert not [(a, b) for i, a in enumerate(names) for b in names[i + 1 :] if shaping._overlaps(boxes[a], boxes[b])]


def test_mercator_puts_the_frame_corners_on_the_chart_edges():
    """d3's fitSize, by hand: the frame's west edge at x 0 or its north edge at y 0, whichever binds, centred on the other."""
    pts = pd.DataFrame({"lat": [35.0, 36.0], "lon": [36.0, 37.0]})
    west, south, east, north = shaping.map_extent(pts)  # padded by 0.8 and 0.6 degrees: 35.2-37.8 by 34.4-36.6
    corners = shaping.mercator(pd.DataFrame({"lat": [south, north], "lon": [west, east]}), pts, 300, 300)
    xs, ys = corners["px"].tolist(), corners["py"].tolist()
    # 2.6 degrees of longitude against about 2.7 of Mercator latitude: the height binds, so y spans 0-300 exactly
    assert ys[1] == pytest.approx(0.0, abs=1e-6) and ys[0] == pytest.approx(300.0, abs=1e-6)
    assert xs[0] + xs[1] == pytest.approx(300.0)  # centred across
