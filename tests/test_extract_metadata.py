"""Metadata of extract(): title, authors, language, section, tags, summary; odd inputs."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from scraper.extract import EXTRACTOR_VERSION, extract
from scraper.extract.metadata import real_authors

CRAWL = datetime(2025, 6, 2, 12, 0, tzinfo=timezone.utc)
EN_STORY = "".join(
    f"<p>Paragraph {i} of the story: residents of Hasakah queue for water tankers every "
    f"morning while the pumping station stays offline and prices keep rising.</p>"
    for i in range(6)
)
AR_STORY = "".join(
    f"<p>الفقرة {i}: يصطف سكان مدينة الحسكة كل صباح أمام صهاريج المياه بينما تبقى محطة "
    f"الضخ متوقفة عن العمل وترتفع الأسعار يوماً بعد يوم.</p>"
    for i in range(6)
)


def page(head: str = "", body: str = EN_STORY, lang: str | None = "en", title="Water in Hasakah"):
    lang_attr = f' lang="{lang}"' if lang else ""
    return (
        f"<!DOCTYPE html><html{lang_attr}><head><title>{title}</title>{head}</head>"
        f"<body><article><h1>{title}</h1><div class='entry-content'>{body}</div></article>"
        f"</body></html>"
    )


def ld(**fields) -> str:
    data = {"@context": "https://schema.org", "@type": "NewsArticle", **fields}
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


URL = "https://news.example.org/economy/water-in-hasakah"


def test_url_may_be_none_and_html_may_be_bytes():
    record = extract(page().encode("utf-8"), None, now=CRAWL)
    assert record["url"] is None and record["source"] is None
    assert record["title"] == "Water in Hasakah"
    assert record["body"].startswith("Paragraph 0 of the story")
    assert record["section"] is None and record["is_article"]
    assert record["extractor_version"] == EXTRACTOR_VERSION


@pytest.mark.parametrize("html", ["", "   ", b"", "<p>", "not html at all"])
def test_empty_or_broken_pages_are_not_articles(html):
    record = extract(html, URL, now=CRAWL)
    assert record["is_article"] is False and record["not_article_reason"]
    assert record["body"] == "" or record["word_count"] < 40


def test_title_loses_the_site_name():
    head = '<meta property="og:site_name" content="Hasakah Today">'
    record = extract(page(head, title="Water in Hasakah - Hasakah Today"), URL, now=CRAWL)
    assert record["title"] == "Water in Hasakah"


@pytest.mark.parametrize(
    "head, expected",
    [
        (ld(author={"@type": "Person", "name": "Lina Haddad"}), ["Lina Haddad"]),
        (
            ld(author=[{"name": "Lina Haddad"}, {"name": "Omar Khalil"}]),
            ["Lina Haddad", "Omar Khalil"],
        ),
        ('<meta name="author" content="By Lina Haddad">', ["Lina Haddad"]),
        (ld(author={"@type": "Organization", "name": "Reuters"}), ["Reuters"]),  # an outlet
        ('<meta name="author" content="admin">', []),  # boilerplate
        ('<meta name="author" content="Staff Writer">', []),
        ('<meta name="author" content="فريق التحرير">', []),
    ],
)
def test_authors_are_people_or_outlets_never_boilerplate(head, expected):
    assert extract(page(head), URL, now=CRAWL)["authors"] == expected


def test_the_sites_own_name_is_not_an_author():
    head = '<meta property="og:site_name" content="Hasakah Today">' + ld(
        author={"@type": "Organization", "name": "Hasakah Today"}
    )
    assert extract(page(head), URL, now=CRAWL)["authors"] == []


def test_a_byline_line_in_the_body_gives_the_authors_and_leaves_the_body():
    body = "<p>By Lina Haddad and Omar Khalil</p>" + EN_STORY
    record = extract(page(body=body), URL, now=CRAWL)
    assert record["authors"] == ["Lina Haddad", "Omar Khalil"]
    assert "Lina Haddad" not in record["body"]


def test_feed_authors_fill_in_only_for_a_page_without_any():
    assert extract(page(), URL, hints={"authors": ["Sami Haddad"]}, now=CRAWL)["authors"] == [
        "Sami Haddad"
    ]
    head = '<meta name="author" content="Lina Haddad">'
    record = extract(page(head), URL, hints={"authors": ["Sami Haddad"]}, now=CRAWL)
    assert record["authors"] == ["Lina Haddad"]


def test_real_authors_splits_long_lists_and_drops_urls():
    assert real_authors(["Lina Haddad, Omar Khalil and Sami Haddad"]) == [
        "Lina Haddad",
        "Omar Khalil",
        "Sami Haddad",
    ]
    assert real_authors(["https://www.facebook.com/someone", "بقلم: لينا حداد"]) == ["لينا حداد"]


def test_language_is_the_declared_one_else_detected():
    assert extract(page(lang="en"), URL, now=CRAWL)["language"] == "en"
    assert extract(page(body=AR_STORY, lang=None), URL, now=CRAWL)["language"] == "ar"
    assert extract(page(lang=None), URL, now=CRAWL)["language"] == "en"
    assert extract(page(body=AR_STORY, lang="ar-SY"), URL, now=CRAWL)["language"] == "ar"
    head = '<meta property="og:locale" content="ar_AR">'
    assert extract(page(head, body=AR_STORY, lang=None), URL, now=CRAWL)["language"] == "ar"


def test_section_from_the_page_else_the_url():
    head = '<meta property="article:section" content="Economy">'
    assert extract(page(head), URL, now=CRAWL)["section"] == "Economy"
    assert extract(page(), URL, now=CRAWL)["section"] == "economy"


def test_tags_from_meta_and_the_feed_without_the_section():
    head = (
        '<meta property="article:section" content="Economy">'
        '<meta property="article:tag" content="Water">'
        '<meta property="article:tag" content="Hasakah">'
    )
    assert extract(page(head), URL, now=CRAWL)["tags"] == ["Water", "Hasakah"]
    record = extract(page(), URL, hints={"tags": ["economy", "Water"]}, now=CRAWL)
    assert record["tags"] == ["Water"]


def test_summary_from_the_description_else_the_feed_as_plain_text():
    head = '<meta name="description" content="Hasakah queues for water.">'
    assert extract(page(head), URL, now=CRAWL)["summary"] == "Hasakah queues for water."
    hints = {"summary": "<p>Hasakah <b>queues</b> for water.</p>"}
    assert extract(page(), URL, hints=hints, now=CRAWL)["summary"] == "Hasakah queues for water."


def test_chinese_text_counts_words_without_spaces():
    body = "<p>" + "叙利亚哈塞克市居民每天早上排队等待水车。" * 20 + "</p>"
    record = extract(page(body=body, lang="zh"), URL, now=CRAWL)
    assert record["word_count"] >= 100 and record["is_article"]
