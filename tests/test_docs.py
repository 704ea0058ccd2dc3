"""The README fits a screen, the docs' links lead somewhere, and no page quotes a timing but the one `make bench` fills."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from reportkit import ROOT

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# a number followed by a unit of time: "2.9 s", "50 s", "3 min 41 s", "16.5 minutes", "an hour" is words and not caught
TIMING = re.compile(r"\b\d+(?:[.,]\d+)?\s?(?:ms|s|sec|secs|seconds?|min|mins|minutes?|h|hours?)\b")


def _outside_bench(page: Path) -> str:
    """The page's text, less the Performance section of development.md (the table `make bench` produces goes there)."""
    text = page.read_text(encoding="utf-8")
    if page.name == "development.md":
        text = re.sub(r"^## Performance\n.*?(?=^## |\Z)", "", text, flags=re.S | re.M)
    return text


def test_the_readme_fits_a_screen_and_names_the_two_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(text.splitlines()) < 200
    assert "make report" in text and "make test" in text


def test_the_pages_the_issue_asks_for_are_there():
    names = {p.name for p in PAGES}
    assert {"user-guide.md", "runner.md", "exports.md", "data-model.md", "adding-a-case.md", "development.md"} <= names


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_relative_link_and_image_exists(page):
    text = page.read_text(encoding="utf-8")
    targets = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text)
    missing = [t for t in targets if not re.match(r"[a-z]+://", t) and not (page.parent / t).exists()]
    assert not missing, missing


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_no_page_quotes_a_timing(page):
    assert TIMING.findall(_outside_bench(page)) == []


def test_the_timing_pattern_catches_what_the_old_readme_said():
    """Phrases of the README before issue 22, each a timing that went stale."""
    for phrase in ("50 s cold", "2.9 s for the whole command", "3 min 41 s", "took 16.5 minutes", "0.48 s", "20 ms"):
        assert TIMING.search(phrase), phrase
    for phrase in ("issue 12", "at most 40 actors", "status 130", "5,000 people", "124 buses", "2018-04-19"):
        assert not TIMING.search(phrase), phrase
