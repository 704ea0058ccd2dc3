"""Charts: every chart builds a valid Vega-Lite spec, in both languages, and renders offline."""

from __future__ import annotations

import json

import altair as alt
import pytest

from analysis import charts, flows, network


@pytest.fixture(scope="module")
def built(case):
    rec = flows.reconcile(case)
    mt = rec.movements
    g = network.build_graph(case)
    m = network.metrics(g)
    pos = network.layout(network.focus(g))

    def make(lang):
        return {
            "timeline": charts.timeline(case, lang=lang),
            "gantt": charts.convoy_gantt(case, mt, lang=lang),
            "cumulative": charts.cumulative_chart(flows.cumulative(mt), lang=lang, scenario="high"),
            "by_destination": charts.destination_bars(case, mt, lang=lang),
            "map": charts.route_map(case, mt, lang=lang),
            "claims": charts.claims_dotplot(case, rec.figures, lang=lang),
            "network": charts.node_link(g, pos, lang=lang, metrics=m),
            "adjacency": charts.adjacency(g, lang=lang),
            "centrality": charts.centrality_bars(m, lang=lang),
            "relations_time": charts.relations_over_time(network.edges_table(g, lang), lang=lang),
        }

    return {lang: make(lang) for lang in ("en", "es")}


@pytest.mark.parametrize("lang", ["en", "es"])
def test_specs_validate_and_carry_their_title(built, lang):
    for key, chart in built[lang].items():
        spec = chart.to_dict(validate=True)
        text = json.dumps(spec, ensure_ascii=False)
        assert charts.label(key, lang) in text, (lang, key)
        assert "$schema" in spec and "vega-lite/v6" in spec["$schema"]


def test_spanish_labels_use_spanish_names(built):
    text = json.dumps(built["es"]["map"].to_dict(), ensure_ascii=False)
    assert "distrito de Afrin" in text and "Afrin district" not in text
    assert "Qalamoun oriental" in charts.label("map", "es")


def test_edge_tooltips_name_their_sources(built):
    spec = built["en"]["network"].to_dict()
    edges = next(d for d in spec["datasets"].values() if d and "ids" in d[0])
    juma = next(e for e in edges if "killed" in e["relations"])
    assert "eswiki-r4" in juma["sources"] and "sohr-ar-262842" in juma["sources"]


def test_svg_renders_offline(built):
    import vl_convert as vlc

    svg = vlc.vegalite_to_svg(built["en"]["gantt"].to_dict())
    assert svg.startswith("<svg") and "Convoys" in svg


def test_interactive_mode_inlines_vega(built):
    try:
        assert charts.use_renderer(interactive=True) == "html-inline"
        bundle = built["en"]["cumulative"]._repr_mimebundle_()
        html = (bundle[0] if isinstance(bundle, tuple) else bundle)["text/html"]
        assert "cdn.jsdelivr" not in html and "<script" in html and len(html) > 100_000
    finally:
        assert charts.use_renderer(interactive=False) == "svg"
    assert alt.renderers.active == "svg"


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="lang must be 'en' or 'es'"):
        charts.label("map", "fr")


def _rows(chart) -> int:
    """Rows of inline data across a chart's layers (what the stored notebook carries)."""
    spec = chart.to_dict()
    return max(len(v) for v in spec.get("datasets", {}).values()) if spec.get("datasets") else 0


def test_charts_pre_aggregate_large_cases(tmp_path):
    from analysis import synth
    from analysis.cases import load_case

    big = load_case(synth.write_case(tmp_path / "big", 400), validate=False)
    rec = flows.reconcile(big)
    mt = rec.movements
    g = network.build_graph(big)
    assert len(mt) == 400 and len(big.events) == 400 and len(big.claims) == 2000
    assert _rows(charts.route_map(big, mt)) <= charts.MAX_ROUTES * 2  # routes, and the places they join
    assert _rows(charts.convoy_gantt(big, mt)) == charts.MAX_MOVEMENTS
    assert _rows(charts.destination_bars(big, mt)) <= 4 * (charts.MAX_DESTINATIONS + 1)  # x 4 ways of knowing people
    assert _rows(charts.timeline(big)) <= 31 * 6  # counts per day and phase, not 400 events
    dots = charts.claims_dotplot(big, rec.figures).to_dict()
    subjects = {r["subject"] for d in dots["datasets"].values() for r in d}
    assert len(subjects) <= charts.MAX_SUBJECTS
    nl = charts.node_link(g, network.layout(network.focus(g)), metrics=network.metrics(g)).to_dict()
    assert max(len(d) for d in nl["datasets"].values()) <= network.MAX_DRAWN_ACTORS * (network.MAX_DRAWN_ACTORS - 1) // 2
    nodes = [d for d in nl["datasets"].values() if d and "actor_id" in d[0]]
    assert len(nodes[0]) == network.MAX_DRAWN_ACTORS
