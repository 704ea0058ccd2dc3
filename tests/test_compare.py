"""analysis.compare on two small cases built by hand: each measure worked out in the comments."""

from __future__ import annotations

from casekit import actor, claim, event, movement, place, source, write_case

from analysis import compare


def test_two_cases_side_by_side(tmp_path):
    """Case one: deal on 1 March, convoys leave 3 and 10 March (to Y: 300 people; to Z: 100): 9 days, Y 75%.

    Headline: 500 people (s1) and 450 (s2): two originators who disagree, best the lower, 450 (a figure a source gave);
    the movements' 400 fall short of both, so the headline governs.  Mediator m (a 'mediated' tie).
    Case two: no agreement event, one convoy with no figures: no days; its one destination's share is unknown (0-100%).
    """
    one = write_case(
        tmp_path / "one",
        {
            "sources": [source("s1"), source("s2")],
            "places": [place("x"), place("y"), place("z")],
            "actors": [actor("g", "government"), actor("r", "rebel"), actor("m", "other")],
            "events": [event("ev-deal", "2020-03-01", phase="surrender", event_type="agreement")],
            "relations": [
                {
                    "relation_id": "t1",
                    "source_actor": "m",
                    "target_actor": "r",
                    "relation": "mediated",
                    "sign": "1",
                    "directed": "true",
                    "source_ids": "s1",
                },
                {
                    "relation_id": "t2",
                    "source_actor": "g",
                    "target_actor": "r",
                    "relation": "agreed_with",
                    "sign": "1",
                    "directed": "false",
                    "source_ids": "s1",
                },
            ],
            "movements": [movement("mv-a", "x", "y", "2020-03-03"), movement("mv-b", "x", "z", "2020-03-10")],
            "claims": [
                claim("C1", "s1", "mv-a", "people", 300),
                claim("C2", "s1", "mv-b", "people", 100),
                claim("T1", "s1", "total", "people", 500),
                claim("T2", "s2", "total", "people", 450),
            ],
        },
    )
    two = write_case(
        tmp_path / "two",
        {"sources": [source("s1")], "places": [place("x"), place("y")], "movements": [movement("mv-a", "x", "y", "2021-01-01")]},
    )
    c = compare.compare([one, two])
    rows = c.cases.set_index("case")
    assert rows.loc["one", "days_agreement_to_last_departure"] == 9  # 1 March -> 10 March
    assert (rows.loc["one", "people_claimed_best"], rows.loc["one", "people_originators"]) == (450, 2)
    assert rows.loc["one", "people_movements_best"] == 400 and rows.loc["one", "mediators"] == "m"
    assert (rows.loc["one", "actors"], rows.loc["one", "relations"]) == (3, 2)
    s = c.summary()
    assert s["one"]["share_by_destination"] == {
        "y": {"least": 0.75, "most": 0.75, "stated": True},  # 300 of 400, every movement has a figure
        "z": {"least": 0.25, "most": 0.25, "stated": True},
    }
    assert s["two"]["share_by_destination"] == {"y": {"least": 0.0, "most": 1.0, "stated": False}}
    assert s["one"]["people_answer"]["governs"] == "headline" and s["one"]["people_answer"]["reason"] == "movements_short"
    assert s["two"]["days_agreement_to_last_departure"] is None and s["two"]["people_claimed_best"] is None
    assert list(s) == ["one", "two"]


def test_the_summary_names_each_entry_by_its_heading_and_key():
    """The comparison's summary line names each case as a reader knows it (its heading, written here as the case's
    data package gives it) with the key its entry has in summary.json."""
    from analysis import load_case, present

    cases = [load_case("eastern-ghouta-2018"), load_case("eastern-qalamoun-2018")]
    values = {"eastern-ghouta-2018": {}, "eastern-qalamoun-2018": {}}
    html = present.comparison_summary(values, "en", None, cases).data
    assert html == (
        "<p>One entry per case: Eastern Ghouta, March–April 2018 (eastern-ghouta-2018) and "
        "Eastern Qalamoun, April 2018 (eastern-qalamoun-2018).</p>"
    )
    assert present.comparison_summary(values, "en").data == "<p>One entry per case: eastern-ghouta-2018 and eastern-qalamoun-2018.</p>"
