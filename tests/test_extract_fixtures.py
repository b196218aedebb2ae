"""Every cleaning rule shown on a page: tests/fixtures/extract/<name>.html + expected.

The fixtures are built by ``python -m scraper.offline.build extract`` from the
story and cruft blocks of tests/fixtures/extract/fixtures.toml, so the expected
body is an answer of its own, not a snapshot of the extractor. Each page holds
cruft its rule removes and story sentences that use the same words and must stay.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import trafilatura

from scraper.extract import TRAFILATURA_OPTIONS, extract
from scraper.extract.rules import GENERIC_RULES, generic_rule_for

FIXTURES = Path(__file__).parent / "fixtures" / "extract"
PAGES = sorted(FIXTURES.glob("*.html"))
# Block rules of scraper/extract/clean.py that are not in GENERIC_RULES.
BUILT_IN_RULES = {"repeated-paragraph", "repeated-title-or-standfirst"}


def load(page: Path) -> dict:
    return json.loads(page.with_suffix(".expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_fixture_page_gives_exactly_the_story(page):
    expected = load(page)
    record = extract(page.read_text(encoding="utf-8"), expected["url"])
    assert record["body"] == expected["body"]
    for cruft in expected["cruft"]:  # a repeated paragraph stays once
        assert record["body"].count(cruft) == expected["body"].count(cruft), cruft
    for sentence in expected["keep"]:
        assert sentence in record["body"], "a story sentence was taken for cruft"
    for field in ("title", "language", "published", "authors"):
        if field in expected:
            assert record[field] == expected[field], field
    assert record["is_article"], record["not_article_reason"]


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_fixture_cruft_is_removed_by_its_own_rule(page):
    expected = load(page)
    html = page.read_text(encoding="utf-8")
    for cruft in expected["cruft"]:
        assert cruft.replace("'", "&#x27;") in html or cruft in html
        if expected["rule"] not in BUILT_IN_RULES:
            rule = generic_rule_for(cruft)
            assert rule is not None and rule.name == expected["rule"], cruft
    for sentence in expected["keep"]:
        assert generic_rule_for(sentence) is None, sentence


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_fixture_cruft_survives_trafilatura_alone(page):
    # So the page shows what the rule is for: trafilatura keeps this cruft.
    expected = load(page)
    text = trafilatura.extract(page.read_text(encoding="utf-8"), **TRAFILATURA_OPTIONS) or ""
    for cruft in expected["cruft"]:
        assert text.count(cruft) > expected["body"].count(cruft), cruft


def test_every_rule_has_a_fixture():
    shown = {load(p)["rule"] for p in PAGES}
    for rule in GENERIC_RULES:
        assert rule.name in shown, (
            f"rule {rule.name!r} has no fixture: add one to tests/fixtures/extract/fixtures.toml"
        )
    assert BUILT_IN_RULES <= shown
