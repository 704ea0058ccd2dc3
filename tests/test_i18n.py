"""Languages: complete catalogs, vocabularies labelled in every language, CLDR formats, and reports with no stray language.

The words and figures expected here are written in the test (CLDR's forms worked out by hand), not read from analysis.i18n.
"""

from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel import Locale
from conftest import CASE_DIR, CASE_ID, ROOT
from langkit import ENGLISH_WORDS, english_in

from analysis import charts, flows, i18n, network, present, timeline, views, vocab
from analysis.charts import render

SRC = ROOT / "src" / "analysis"
PACKAGES = sorted(ROOT.glob("data/*/datapackage.json"))
RLI, PDI = "\u2067", "\u2069"

# English narrative, headings, table headers and values a Spanish or Arabic report must never show: the package's
# words (langkit), and the curated case's names and month written the English way
ENGLISH = [*ENGLISH_WORDS, "Afrin district", "Syrian Arab Army", " Apr ", "(public domain)"]
SPANISH = [
    "Qué pasó, fase por fase",
    "Dónde se contradice el registro",
    "Cada movimiento",
]
# ... and the names and dates of the curated case in Spanish (its actors, places and month)
CURATED_SPANISH = {
    CASE_ID: ["Ejército Árabe Sirio", "distrito de Afrin", "abr 2018", "desconocido", "las fuentes discrepan", "dominio público"]
}
ARABIC = [
    "ما الذي جرى، مرحلةً بمرحلة",
    "أين يناقض السجل نفسه",
    "كل حركة على حدة",
    "الأشخاص حسب الوجهة",
    "الجيش العربي السوري",
    "منطقة عفرين",
    "الضمير",
    "جرابلس",
    "أبريل ٢٠١٨",
    "ملك عام",
]


def _fields(pattern: str) -> set[str]:
    return i18n.placeholders(pattern)


# ---------------------------------------------------------------------------
# Catalogs


def test_the_languages_are_the_catalogs_present():
    assert {p.stem for p in (SRC / "locales").glob("*.yaml")} == {"en", "es", "ar"}
    assert i18n.LANGS == ("en", "ar", "es")  # English, the source language, first
    from analysis import params

    assert params.check("lang", "ar") == "ar"
    with pytest.raises(params.ParameterError, match="lang must be one of en, ar, es"):
        params.check("lang", "fr")
    with pytest.raises(ValueError, match="lang must be one of en, ar, es"):
        i18n.label("map", "fr")


def test_every_catalog_has_every_english_message_with_the_same_placeholders():
    english = i18n.catalog("en")
    for lang in i18n.LANGS:
        cat = i18n.catalog(lang)
        allowed = set(Locale.parse(i18n.meta(lang).get("locale", lang)).plural_form.tags) | {"other"}
        for section in ("labels", "texts"):
            missing = sorted(set(english[section]) - set(cat[section]))
            extra = sorted(set(cat[section]) - set(english[section]))
            assert not missing, f"{lang}.yaml lacks {section}: {missing}"
            assert not extra, f"{lang}.yaml has {section} English lacks: {extra}"
            for key, entry in cat[section].items():
                assert i18n.placeholders(entry) == i18n.placeholders(english[section][key]), (lang, key, "placeholders differ")
                forms = entry.values() if isinstance(entry, dict) else [entry]
                assert all(isinstance(f, str) and f.strip() for f in forms), (lang, key, "empty")
                if isinstance(entry, dict):  # plural forms: CLDR's categories of the language, 'other' among them
                    assert "other" in entry and set(entry) <= allowed, (lang, key, sorted(entry))


def test_plural_forms_follow_cldr_categories():
    # Arabic: 0 zero, 1 one, 2 two, 3-10 few, 11-99 many, 100 other; the number in Arabic-Indic digits
    assert [i18n.label("n_events", "ar", n=n) for n in (0, 1, 2, 5, 11, 100)] == [
        "لا أحداث",
        "حدث واحد",
        "حدثان",
        "٥ أحداث",
        "١١ حدثًا",
        "١٠٠ حدث",
    ]
    assert i18n.label("n_events", "en", n=1) == "1 event" and i18n.label("n_events", "en", n=1500) == "1,500 events"
    assert i18n.label("more_places", "es", n=1) == "y 1 lugar más" and i18n.label("more_places", "es", n=3) == "y 3 lugares más"


def test_i18n_and_every_module_hold_no_words():
    """The words live in the catalogs and the data packages: no Spanish or Arabic message or vocabulary label is a
    string written in any module of the package (English ones would match identifiers and keys)."""
    for name in ("LABELS", "VOCAB", "TEXTS", "MONTHS", "MONTHS_LONG"):
        assert not hasattr(i18n, name), name
    words: set[str] = set()
    for lang in ("es", "ar"):
        en, cat = i18n.catalog("en"), i18n.catalog(lang)
        for section in ("labels", "texts"):
            for key, entry in cat[section].items():
                forms = entry.values() if isinstance(entry, dict) else [entry]
                words |= {f for f in forms if f not in str(en[section][key])}
    for package in PACKAGES:
        for v in vocab.vocabularies(json.loads(package.read_text(encoding="utf-8"))).values():
            for lang in ("es", "ar"):
                words |= {w for value, w in v.labels.get(lang, {}).items() if w != v.labels["en"].get(value)}
    words = {w for w in words if len(w) > 3}
    assert len(words) > 300
    found = []
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in words:
                found.append((path.name, node.value))
    assert not found, found


# ---------------------------------------------------------------------------
# Vocabularies: written once, in the data package, labelled in every language


def test_every_value_of_every_vocabulary_has_a_label_in_every_language():
    assert len(PACKAGES) >= 2
    for package_path in PACKAGES:
        package = json.loads(package_path.read_text(encoding="utf-8"))
        vocabularies = vocab.vocabularies(package)
        assert {"phase", "event_type", "relation", "sign", "quantity", "people_basis", "scenario", "check", "stage", "term"} <= set(
            vocabularies
        )
        for name, v in vocabularies.items():
            assert v.values, (package_path.parent.name, name)
            for lang in i18n.LANGS:
                for value in v.values:
                    if v.cldr == "languages":  # ISO 639 codes: CLDR names them in every language
                        assert value in Locale.parse(lang).languages, (name, value, lang)
                    else:
                        label = v.labels.get(lang, {}).get(value)
                        assert label and label.strip(), f"{package_path.parent.name}: {name} {value!r} has no label in {lang}"
            for channel in ("colors", "marks"):
                mapping = getattr(v, channel)
                assert set(mapping) <= set(v.values), (name, channel, set(mapping) - set(v.values))
                if mapping:  # a vocabulary drawn by colour or mark gives every value its own
                    assert set(mapping) == set(v.values), (name, channel, set(v.values) - set(mapping))
                    assert len(set(mapping.values())) == len(mapping), (name, channel, "two values share one")
            assert set(v.roles.values()) <= set(v.values), (name, v.roles)


def test_a_vocabulary_is_written_once():
    """Fields that share a vocabulary (events and agreements both have date_precision) carry its words on one of them."""
    package = json.loads((CASE_DIR / "datapackage.json").read_text(encoding="utf-8"))
    carriers: dict[str, list[str]] = {}
    for name, where, spec in vocab.declared(package):
        if any(k in spec for k in ("qalamoun:labels", "qalamoun:colors", "qalamoun:marks", "qalamoun:roles")):
            carriers.setdefault(name, []).append(str(where))
    assert all(len(w) == 1 for w in carriers.values()), carriers
    assert vocab.vocabularies(package)["date_precision"].values == ("day", "range", "month", "year")


def test_roles_and_looks_come_from_the_package(case):
    phase = vocab.vocabulary("phase")
    assert phase.role("context") == "background"  # datapackage.json: events.phase qalamoun:roles
    assert phase.colors["surrender"] == "#e7298a" and vocab.vocabulary("actor_type").marks["state force"] == "square"
    with pytest.raises(KeyError, match="vocabulary 'phase' has no role 'finale'"):
        phase.role("finale")


def test_term_reads_the_loaded_case(tmp_path, monkeypatch):
    """A case with its own word for a value: once it is loaded, term gives that word."""
    monkeypatch.setattr(vocab, "_REGISTRY", {})
    folder = tmp_path / "own-words"
    shutil.copytree(CASE_DIR, folder)
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    events = next(r for r in package["resources"] if r["name"] == "events")
    phase = next(f for f in events["schema"]["fields"] if f["name"] == "phase")
    phase["qalamoun:labels"]["ar"]["surrender"] = "التسليم"
    (folder / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False), encoding="utf-8")
    from analysis import load_case

    load_case(folder)
    assert i18n.term("phase", "surrender", "ar") == "التسليم" and i18n.term("phase", "surrender", "es") == "rendición"
    assert i18n.term("sign", -1.0, "en") == "hostile" and i18n.term("phase", None, "ar") == "غير معروف"
    with pytest.raises(KeyError, match="no translation for phase 'siege'"):
        i18n.term("phase", "siege", "es")


# ---------------------------------------------------------------------------
# Numbers and dates: CLDR by Babel


def test_numbers_in_each_language():
    assert [i18n.number(12030, lang) for lang in ("en", "es", "ar")] == ["12,030", "12.030", "١٢٬٠٣٠"]
    assert [i18n.number(53.9, lang) for lang in ("en", "es", "ar")] == ["53.9", "53,9", "٥٣٫٩"]
    assert [i18n.percent(0.17, lang) for lang in ("en", "es", "ar")] == ["17%", "17\xa0%", "١٧٪\u061c"]
    assert [i18n.decimal(0.2194, lang, 3) for lang in ("en", "es", "ar")] == ["0.219", "0,219", "٠٫٢١٩"]
    assert [i18n.signed(s, "ar") for s in (1, -1, 0)] == ["\u061c+١", "\u061c-١", "٠"]
    assert i18n.number(None, "ar") == "غير معروف" and i18n.number(float("nan"), "en") == "unknown"
    # Arabic: CLDR's default numbering system for 'ar' is Latin digits; its native one, which the catalog asks for,
    # is Arabic-Indic (arab), with its own separators
    assert Locale.parse("ar").default_numbering_system == "latn" and Locale.parse("ar").other_numbering_systems["native"] == "arab"
    assert i18n.numbering_system("ar") == "arab" and i18n.digits("ar") == "٠١٢٣٤٥٦٧٨٩" and i18n.digits("es") == "0123456789"
    assert i18n.direction("ar") == "rtl" and i18n.direction("es") == i18n.direction("en") == "ltr"


def test_dates_in_words():
    assert i18n.date("2018-04-22", "es") == "22 abr 2018"
    assert i18n.date("2018-04-22", "en") == "22 Apr 2018"
    assert i18n.date("2018-04-22", "ar") == "٢٢ أبريل ٢٠١٨"
    assert i18n.date(None, "es") == "desconocido" and i18n.date(float("nan"), "en") == "unknown"
    assert i18n.date("2018-04-01/2018-04-30", "es", "month") == "abr 2018"  # an interval claim: its start month
    assert i18n.date("2016-01-01", "ar", "year") == "٢٠١٦"
    assert i18n.date_range("2018-04-19", "2018-04-20", "es") == "19–20 abr 2018"
    assert i18n.date_range("2018-04-19", "2018-04-20", "ar") == "١٩–٢٠ أبريل ٢٠١٨"
    assert i18n.date_range("2018-04-03", "2018-05-17", "en") == "3 Apr\u2009–\u200917 May 2018"  # CLDR en-GB: thin spaces
    assert i18n.date_range("2016-01-01", "2017-12-31", "en", "year") == "2016–2017"
    assert i18n.date_range("2018-04-19", "2018-04-19", "en") == "19 Apr 2018"
    assert i18n.month_year("2018-04-03", "2018-05-17", "es") == "abril–mayo de 2018"
    assert i18n.month_year("2018-04-03", "2018-04-17", "ar") == "أبريل ٢٠١٨"


def test_chart_number_and_date_formats_come_from_cldr():
    ar = i18n.d3_format_locale("ar")
    assert (ar["decimal"], ar["thousands"], ar["grouping"]) == ("٫", "٬", [3]) and "".join(ar["numerals"]) == "٠١٢٣٤٥٦٧٨٩"
    assert (i18n.d3_format_locale("es")["decimal"], i18n.d3_format_locale("es")["thousands"]) == (",", ".")
    assert "numerals" not in i18n.d3_format_locale("en")
    assert i18n.d3_time_locale("es")["shortMonths"][3] == "abr" and i18n.d3_time_locale("ar")["days"][0] == "الأحد"
    # CLDR's day-month pattern: 'd MMM' in all three; month names CLDR's
    assert "'أبريل'" in i18n.vega_date("ar") and i18n.vega_date("ar").startswith("format(utcdate(datum.value), 'd')")


# ---------------------------------------------------------------------------
# Names: the case's columns, English where a case has no translation


def test_names_fall_back_to_english_and_the_report_says_so_once(case, tmp_path, monkeypatch):
    monkeypatch.setattr(vocab, "_REGISTRY", {})
    assert i18n.name(case, "places", "dumayr", "ar") == "الضمير" and i18n.name(case, "places", "dumayr", "es") == "Dumayr"
    assert i18n.name(case, "movements", "mv-convoy-3", "ar") == "القافلة الثالثة"
    assert i18n.untranslated(case, "ar") == 0 and views.translation_note(case, "ar") is None
    assert "بالإنجليزية" not in present.title("flows.title", case, "ar").data
    # the same case with English names only for its places: no name_ar column at all
    folder = tmp_path / "english-places"
    shutil.copytree(CASE_DIR, folder)
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    places = next(r for r in package["resources"] if r["name"] == "places")
    places["schema"]["fields"] = [f for f in places["schema"]["fields"] if f["name"] != "name_ar"]
    (folder / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False), encoding="utf-8")
    lines = (folder / "places.csv").read_text(encoding="utf-8").splitlines()
    import csv
    import io

    rows = list(csv.reader(io.StringIO("\n".join(lines))))
    drop = rows[0].index("name_ar")
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([r[:drop] + r[drop + 1 :] for r in rows])
    (folder / "places.csv").write_text(out.getvalue(), encoding="utf-8")
    from analysis import load_case

    bare = load_case(folder)
    assert i18n.name(bare, "places", "dumayr", "ar") == "Dumayr"
    assert i18n.name(bare, "actors", "russia", "ar") == "روسيا (القوات المسلحة الروسية)"
    assert i18n.untranslated(bare, "ar") == len(bare.places)
    title = present.title("flows.title", bare, "ar").data
    # the heading is the package's own in Arabic (qalamoun:heading); the places' names fall back, and the note says so once
    assert title.count("الأسماء التي لم تُترجم بعد مكتوبة بالإنجليزية.") == 1 and "القلمون الشرقي" in title
    assert "Names not yet translated" not in present.title("flows.title", bare, "en").data


# ---------------------------------------------------------------------------
# Whole reports


def _output(case, lang: str, contradictions: bool = True) -> tuple[str, list[str]]:
    """Everything the three case reports write besides code (narrative, tables), and the texts their charts draw."""
    rec = flows.reconcile(case)
    events = timeline.events_in_window(case)
    g = network.build_graph(case)
    m = network.metrics(g)
    pos = network.layout(network.focus(g))
    heading = views.case_heading(case, lang)
    values = {
        "case": heading,
        "cases": heading,
        "n_events": 12,
        "first": "x",
        "last": "x",
        "n_phases": 5,
        "window": "x",
        "n_relations": 40,
        "n_actors": 20,
        "n_triads": 3,
        "share": i18n.percent(0.25, lang),
        "phase": "x",
        "actor": "x",
        "n_claims": 120,
        "n_documents": 40,
        "rule": present.rule_text("median", lang),
        "scenario": i18n.term("scenario", "best", lang),
        "n": 7,
        "ratio": present.ratio_sentence(rec.people_per_bus, lang),
        "low": 1,
        "high": 1,
        "best": 1,
        **dict.fromkeys(("figure", "grade", "movements", "documented", "n_doc", "n_unknown", "estimated", "claims", "contradictions"), "1"),
        **dict.fromkeys(("subject", "quantity", "whole", "parts", "known", "items", "window", "other", "positions", "source"), "1"),
        **dict.fromkeys(("bound_low", "bound_high"), "1"),
    }
    texts = i18n.catalog(lang)["texts"]
    parts = [i18n.text(k, lang, **{f: values.get(f, "1") for f in i18n.placeholders(texts[k])}) for k in texts]
    parts += [present.summary(rec.summary(), lang).data]
    tables = [
        present.phase_table(events, lang),
        present.event_table(case, events, lang),
        present.headline_table(case, rec.figures, lang),
        present.movement_table(case, rec.movements, lang),
        present.daily_table(rec.movements, lang),
        present.od_table(case, rec.movements, lang),
        present.metrics_table(m, lang),
        present.triads_table(case, network.balance(g)["triads"], lang),
        present.relations_table(network.edges_table(g, lang), lang),
        present.agreements_table(case, lang),
    ]
    if contradictions:
        tables.append(present.contradictions_table(case, rec.contradictions, lang))
    parts += [t._repr_html_() for t in tables]
    parts.append(present.summary(rec.summary("best"), lang, "summary.json").data)
    drawn = []
    for chart in (
        charts.timeline(case, events, lang),
        charts.convoy_gantt(case, rec.movements, lang),
        charts.route_map(case, rec.movements, lang),
        charts.destination_bars(case, rec.movements, lang),
        charts.cumulative_chart(rec.movements, lang),
        charts.node_link(g, pos, lang, m),
        charts.relations_over_time(network.edges_table(g, lang), lang),
    ):
        svg = render.to_svg(chart.to_dict())
        drawn += re.findall(r">([^<>]+)<", re.sub(r"<style.*?</style>", "", svg, flags=re.S))
    return "\n".join(parts), drawn


def _claims_chart_text(case, lang: str) -> list[str]:
    """The texts the claims chart draws (its legend names the originators as claims.csv has them)."""
    svg = render.to_svg(charts.claims_dotplot(case, flows.reconcile(case).figures, lang).to_dict())
    return re.findall(r">([^<>]+)<", re.sub(r"<style.*?</style>", "", svg, flags=re.S))


def test_spanish_output_has_no_english(case):
    text, drawn = _output(case, "es")
    text = text + "\n" + " ".join(drawn)
    found = [e for e in ENGLISH if e in text] + english_in(text, case, "es")
    assert not found, f"English in the Spanish output: {found}"
    missing = [s for s in SPANISH + CURATED_SPANISH.get(case.path.name, []) if s not in text]
    assert not missing, f"Spanish words missing: {missing}"
    assert "NaT" not in text and "<NA>" not in text and "nan" not in text.split()


# Latin words an Arabic report may show: names with no Arabic form (the outlines' credit, a newspaper), code
ARABIC_REPORT_LATIN = {
    "Natural",
    "Earth",
    "world",
    "atlas",
    "Postimees",
    "CGTN",
    "source",
    "rN",
    "charts",
    "selection",
    "actor",
    "movement",
}


def test_arabic_output_is_arabic_with_arabic_indic_digits(case):
    """No English in the Arabic reports but names with no Arabic form and ids (claims C004, sources sana-en-135029),
    every figure and date in Arabic-Indic digits, every text the charts draw right to left, the contradictions written
    from their records in Arabic."""
    text, drawn = _output(case, "ar")
    everything = text + "\n" + " ".join(drawn)
    assert not [e for e in ENGLISH if e in everything]
    missing = [s for s in ARABIC if s not in everything]
    assert not missing, f"Arabic words missing: {missing}"
    visible = re.sub(r"<[^>]+>", " ", text)
    ids = re.compile(r"^([A-Z]\d+[a-z]?|[a-z0-9]+(-[a-z0-9]+)+|[a-z]+)$")  # claim and source ids
    latin = {w for w in re.findall(r"[A-Za-z][A-Za-z0-9'-]*", visible + " " + " ".join(drawn)) if not ids.match(w)}
    assert latin <= ARABIC_REPORT_LATIN, sorted(latin - ARABIC_REPORT_LATIN)
    # figures: no Latin digit outside ids, code and the outlines' version
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", text)
    assert not [c for c in cells if re.search(r"[0-9]", c) and not re.search(r"[A-Za-z]", c)], "Latin digits in a table"
    assert not [d for d in drawn if re.search(r"[0-9]", d) and "world-atlas" not in d], "Latin digits in a chart"
    assert any(re.search("[٠-٩]", d) for d in drawn) and re.search("[٠-٩]٬[٠-٩]{3}", text)
    assert all(d.startswith(RLI) and d.endswith(PDI) for d in drawn if d.strip()), "a chart text not right to left"
    # the claims chart: its counts and figures in Arabic-Indic digits too ('×٣'), its originators named in Arabic from
    # the originators table (SOHR: المرصد السوري لحقوق الإنسان)
    claims = _claims_chart_text(case, "ar")
    assert "×٣" in "".join(claims) and not [d for d in claims if re.search(r"[0-9]", d)]
    assert any("المرصد السوري لحقوق الإنسان" in d for d in claims)


def test_an_arabic_chart_carries_its_font_for_browsers(case):
    rec = flows.reconcile(case)
    svg = render.to_svg(charts.destination_bars(case, rec.movements, "ar").to_dict())
    assert svg.count("@font-face") == 1 and 'font-family:"Noto Sans Arabic";font-weight:400' in svg  # the regular face, subset
    assert "Noto Sans Arabic" in svg.split("</style>", 1)[1]  # in the texts' font list
    png, width, height = render.to_png(svg)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and width > 300 and height > 100
    english = render.to_svg(charts.destination_bars(case, rec.movements, "en").to_dict())
    assert "@font-face" not in english and RLI not in english


def test_report_pages_carry_their_language_and_direction():
    from analysis.runner import export

    page = '<!DOCTYPE html>\n<html lang="en">\n<head><title>x</title></head><body><h1>الضمير</h1><p>Dumayr</p></body></html>'
    es = export.localize(page, "es")
    assert '<html lang="es" dir="ltr">' in es and "@font-face" not in es
    ar = export.localize(page, "ar")
    assert '<html lang="ar" dir="rtl">' in ar and ar.count("@font-face") == 2
    assert '--jp-content-font-family: "Noto Sans Arabic"' in ar
    assert '<html lang="en" dir="ltr">' in export.localize(page, "en")

    from types import SimpleNamespace

    assert export.report_lang(SimpleNamespace(metadata={"qalamoun": {"parameters": {"case": "x", "lang": "ar"}}})) == "ar"
    assert export.report_lang(SimpleNamespace(metadata={})) == "en"


# ---------------------------------------------------------------------------
# Layers


def test_present_views_and_params_load_no_altair_and_switch_nothing():
    code = (
        "import sys\n"
        "from analysis import agreements, params, present, views\n"
        "assert 'altair' not in sys.modules, 'present loads altair'\n"
        "ctx = params.load(case='eastern-qalamoun-2018', lang='ar', interactive=True)\n"
        "assert ctx.renderer == '' and 'altair' not in sys.modules, 'params switched a renderer'\n"
        "present.headline_table(ctx.case, __import__('analysis.flows').flows.reconcile(ctx.case).figures, 'ar')\n"
        "assert 'altair' not in sys.modules\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    imports = {
        (n.module or "") + ":" + ",".join(a.name for a in n.names)
        for n in ast.walk(ast.parse((SRC / "agreements.py").read_text(encoding="utf-8")))
        if isinstance(n, ast.ImportFrom)
    }
    assert not [i for i in imports if "i18n" in i], imports  # a model renders no language


def test_a_case_without_a_whole_case_figure_says_so_in_its_summary():
    """A case with no claim about the whole case (Eastern Ghouta's claims.csv has no subject 'total') quotes the sum of
    its movements, and its summary says why, in each language, with how many movements have no figure."""
    answer = {
        "low": 100,
        "best": 150,
        "high": 200,
        "low_open": False,
        "high_open": True,
        "reason": "no_headline",
        "grade": "fair",
        "headline_claim_ids": [],
        "contradiction_ids": [],
        "movements": {"n_movements": 3, "n_documented": 2, "n_unknown": 1},
    }
    for lang, text in (
        ("en", "the sum of the movements, as no source gives a figure for the whole case (fair). 1 of 3 movements has no figure."),
        ("es", "la suma de los movimientos, porque ninguna fuente da una cifra para todo el caso (aceptable). 1 de 3 movimientos"),
        ("ar", "مجموع الحركات، إذ لا يعطي أي مصدر رقمًا للقضية كلها (مقبول)."),
    ):
        html = present.summary({"answer": {"people": answer}}, lang).data
        assert text in html, lang


def test_contradiction_kinds_and_summary_keys_are_translated(case):
    rec = flows.reconcile(case)
    for check in set(rec.contradictions["check"]):
        assert i18n.term("check", check, "es") != check or check == "date", check
        assert re.search("[\u0600-\u06ff]", i18n.term("check", check, "ar")), check
    g = network.build_graph(case)
    summaries = [rec.summary("best"), timeline.summary(case.events), network.summary(case, g)]
    for s in summaries:
        for lang, link in (("es", "Todas las cifras"), ("ar", "كل الأرقام")):
            html = present.summary(s, lang, "summary.json").data
            assert "summary.json" in html and link in html
            for english in ("First departure", "Contradictions", "People per bus", "unknown"):
                assert english not in html


def test_fonts_ship_with_their_licence():
    from analysis import fonts

    families = {f.family for f in fonts.faces()}
    assert set(i18n.fonts("ar")) <= families and {f.weight for f in fonts.family_faces("Noto Sans Arabic")} == {400, 700}
    assert "SIL OPEN FONT LICENSE Version 1.1" in (SRC / "fonts" / "OFL.txt").read_text(encoding="utf-8")
    assert Path(fonts.FONTS).is_dir() and ord("ض") in fonts.script_chars("Noto Sans Arabic")
