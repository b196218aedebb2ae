"""Every cleaning rule shown on a page: tests/fixtures/extract/<name>.html + expected.

The fixtures are built by ``python -m tests.sitebuild.build extract`` from the
story and cruft blocks of tests/fixtures/extract/fixtures.toml, so the expected
body is an answer of its own, not a snapshot of the extractor. Each page holds
cruft its rule removes and story sentences that use the same words and must stay.
A repair's page misprints story words that must come out mended; a feed-footer
page comes with the feed's summary (extract()'s hints) whose footer must go; the
story-in-* pages carry the story in a script, their markup none of it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import trafilatura
from lxml import html as lxml_html

from archive.record import word_count
from scraper.extract import TRAFILATURA_OPTIONS, extract
from scraper.extract.classify import MIN_ARTICLE_WORDS
from scraper.extract.embedded import CARRIERS, candidates, collect_scripts
from scraper.extract.metadata import read_meta
from scraper.extract.rules import GENERIC_RULES, TEXT_REPAIRS, generic_rule_for, repair_for

FIXTURES = Path(__file__).parent / "fixtures" / "extract"
PAGES = sorted(FIXTURES.glob("*.html"))
# Block rules of scraper/extract/clean.py that are not in GENERIC_RULES.
BUILT_IN_RULES = {"repeated-paragraph", "repeated-title-or-standfirst"}
REPAIRS = {r.name for r in TEXT_REPAIRS}


def load(page: Path) -> dict:
    return json.loads(page.with_suffix(".expected.json").read_text(encoding="utf-8"))


def feed_text(expected: dict) -> str:
    """The plain text of the feed's summary the fixture comes with, if any."""
    summary = expected.get("hints", {}).get("summary")
    return (
        lxml_html.fragment_fromstring(summary, create_parent="div").text_content()
        if summary
        else ""
    )


def on_page(text: str, html: str) -> bool:
    return text.replace("'", "&#x27;") in html or text in html


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_fixture_page_gives_exactly_the_story(page):
    expected = load(page)
    record = extract(page.read_text(encoding="utf-8"), expected["url"], hints=expected.get("hints"))
    assert record["body"] == expected["body"]
    for cruft in expected["cruft"]:  # a repeated paragraph stays once
        assert record["body"].count(cruft) == expected["body"].count(cruft), cruft
        if cruft not in expected.get("summary", ""):  # a feed's footer, not a standfirst
            assert cruft not in (record["summary"] or ""), cruft
    for sentence in expected["keep"]:
        assert sentence in record["body"], "a story sentence was taken for cruft"
    for field in ("title", "language", "published", "authors", "summary"):
        if field in expected:
            assert record[field] == expected[field], field
    assert record["is_article"], record["not_article_reason"]


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_fixture_cruft_is_removed_by_its_own_rule(page):
    expected = load(page)
    html = page.read_text(encoding="utf-8")
    for cruft in expected["cruft"]:
        assert on_page(cruft, html) or cruft in feed_text(expected), cruft
        if expected["rule"] in REPAIRS:
            repair = repair_for(cruft)
            assert repair is not None and repair.name == expected["rule"], cruft
        elif expected["rule"] not in BUILT_IN_RULES:
            rule = generic_rule_for(cruft)
            assert rule is not None and rule.name == expected["rule"], cruft
    for sentence in expected["keep"]:
        assert generic_rule_for(sentence) is None, sentence
        assert repair_for(sentence) is None, sentence


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_fixture_cruft_survives_trafilatura_alone(page):
    # So the page shows what the rule is for: trafilatura keeps this cruft.
    expected = load(page)
    html = page.read_text(encoding="utf-8")
    text = trafilatura.extract(html, **TRAFILATURA_OPTIONS) or ""
    for cruft in expected["cruft"]:
        if on_page(cruft, html):
            assert text.count(cruft) > expected["body"].count(cruft), cruft


STORY_PAGES = [p for p in PAGES if load(p)["rule"] in CARRIERS]


@pytest.mark.parametrize("page", STORY_PAGES, ids=[p.stem for p in STORY_PAGES])
def test_story_in_a_script_is_not_in_the_markup_and_is_found_in_its_carrier(page):
    expected = load(page)
    html = page.read_text(encoding="utf-8")
    tree = lxml_html.fromstring(html)
    markup = " ".join(tree.xpath("//body//text()[not(ancestor::script)]"))
    assert word_count(markup) < MIN_ARTICLE_WORDS
    found = candidates(collect_scripts(tree), read_meta(tree, expected["url"]).article_body)
    assert found and found[0].carrier == expected["rule"]


def test_every_rule_has_a_fixture():
    shown = {load(p)["rule"] for p in PAGES}
    for name in [r.name for r in GENERIC_RULES] + sorted(REPAIRS) + list(CARRIERS):
        assert name in shown, (
            f"rule {name!r} has no fixture: add one to tests/fixtures/extract/fixtures.toml"
        )
    assert BUILT_IN_RULES <= shown
