"""`newsarchive serve`: datasette on a real archive, with the project's metadata,
plugin and templates (archive/datasette/), read-only.

The archive is built from real records: the offline Syrian Observer copy
crawled by the real spiders (then crawled again with the edited overlay, so
one article has a revision), plus a diacritised Arabic article and another
outlet's copy of a Syrian Observer story (a near-duplicate), written with
archive.store.Archive. Requests go to datasette in-process
(``datasette.client``), except the CLI test, which starts the real server.
"""

from __future__ import annotations

import asyncio
import csv
import hashlib
import io
import json
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
import zlib
from html import escape
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest

from archive.serve import make_datasette, metadata_file, metadata_for
from archive.store import Archive
from tests.conftest import crawl, expected, site_copy

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
SO = expected("syrianobserver")

ARABIC_URL = "https://sana.sy/2045123/"
ARABIC_TITLE = "وَزَارَةُ الكَهْرَبَاءِ تُعْلِنُ جَدْوَلَ تَقْنِينٍ جَدِيدٍ فِي دِمَشْقَ"
ARABIC_PARAGRAPHS = [
    "قَالَتْ وَكَالَةُ سَانَا إِنَّ سَاعَاتِ التَّقْنِينِ سَتَزْدَادُ خِلَالَ فَصْلِ الشِّتَاءِ "
    "بِسَبَبِ نَقْصِ الغَازِ الوَاصِلِ إِلَى مَحَطَّاتِ التَّوْلِيدِ.",
    "وَأَضَافَتِ الوِزَارَةُ أَنَّ المُسْتَشْفَيَاتِ وَالمَخَابِزَ وَمَحَطَّاتِ ضَخِّ المِيَاهِ مُسْتَثْنَاةٌ مِنَ البَرْنَامَجِ الجَدِيدِ.",
    "وَيَعْتَمِدُ كَثِيرٌ مِنَ السُّكَّانِ عَلَى الأَلْوَاحِ الشَّمْسِيَّةِ وَالمُوَلِّدَاتِ الخَاصَّةِ.",
]
ARABIC = {
    "source": "sana",
    "url": ARABIC_URL,
    "title": ARABIC_TITLE,
    "summary": "أَعْلَنَتْ وِزَارَةُ الكَهْرَبَاءِ بَرْنَامَجًا جَدِيدًا لِتَقْنِينِ التَّيَّارِ.",
    "body": "\n\n".join(ARABIC_PARAGRAPHS),
    "authors": ["سَانَا"],
    "published": "2025-12-20T09:00:00+00:00",
    "language": "ar",
    "section": "محليات",
    "tags": ["دمشق", "الكهرباء"],
}
# Undiacritised words of the Arabic article only.
ARABIC_QUERY = "المستشفيات"

COPIED = SO["articles"][0]  # republished by another outlet: a near-duplicate
COPY_URL = "https://english.enabbaladi.net/archives/2025/12/israel-syria-security-talks/"


def build_archive(db: Path) -> dict:
    """Crawl the offline Syrian Observer into db (twice: plain, then edited),
    add the Arabic article and a cross-outlet copy. Returns ids for tests."""
    with_server = __import__("scraper.offline.server", fromlist=["MirrorServer"]).MirrorServer
    with with_server([site_copy("syrianobserver")]) as server:
        crawl(server, db, ["syrianobserver"])
        server.activate_overlay("syrianobserver.com", SO["edited"]["overlay"])
        crawl(server, db, ["syrianobserver"])
    with Archive(db) as archive:
        archive.sync_sources(
            [
                {"id": "sana", "name": "SANA", "homepage": "https://sana.sy/", "language": "ar"},
                {
                    "id": "enabbaladi",
                    "name": "Enab Baladi",
                    "homepage": "https://english.enabbaladi.net/",
                    "language": "en",
                },
            ]
        )
        arabic = archive.upsert(ARABIC)
        copy = archive.upsert(
            {
                "source": "enabbaladi",
                "url": COPY_URL,
                "title": "Israel-Syria security talks stall over Mount Hermon",
                "body": COPIED["body"] + "\n\nEnab Baladi contributed to this report.",
                "published": "2025-12-22T15:00:00+00:00",
                "language": "en",
                "tags": ["Israel", "Mount Hermon"],
            }
        )
        edited = archive.lookup(SO["edited"]["url"])
        original = archive.lookup(COPIED["url"])
    assert str(copy.outcome) == "near-duplicate" and copy.near_duplicate_of == original
    return {
        "arabic": arabic.article_id,
        "copy": copy.article_id,
        "original": original,
        "edited": edited,
    }


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    db = tmp_path_factory.mktemp("serve") / "archive.db"
    ids = build_archive(db)
    return {"db": db, **ids}


@pytest.fixture(scope="module")
def ds(archive):
    return make_datasette(archive["db"])


def get(ds, path, **kwargs):
    return asyncio.run(ds.client.get(path, **kwargs))


def get_json(ds, path):
    response = get(ds, path)
    assert response.status_code == 200, response.text[:2000]
    return response.json()


def q(text: str) -> str:
    return quote(text, safe="")


# --- front page ---------------------------------------------------------------------


def test_home_page_opens_on_search_sources_and_latest(ds, archive):
    page = get(ds, "/")
    assert page.status_code == 200
    html = page.text
    assert '<form class="na-search" action="/archive/search"' in html
    assert f"Search {len(SO['articles']) + 2} articles" in html
    # sources with their counts, newest articles linked to their pages
    assert ">syrianobserver<" in html or "The Syrian Observer" in html
    assert "SANA" in html and "Enab Baladi" in html
    assert f'href="/archive/articles/{archive["arabic"]}"' in html
    assert ARABIC_TITLE in html
    for link in ("/archive/latest_per_source", "/archive/same_story", "/-/dashboards/articles"):
        assert f'href="{link}"' in html


def test_metadata_follows_the_database_name(tmp_path, archive):
    other = tmp_path / "news-2025.db"
    other.write_bytes(archive["db"].read_bytes())
    meta = metadata_for(other)
    assert "news-2025" in meta["databases"] and "archive" not in meta["databases"]
    charts = meta["plugins"]["datasette-dashboards"]["articles"]["charts"]
    assert {c["db"] for c in charts.values()} == {"news-2025"}
    # The file handed to `datasette serve`: same content, same file, never piling up.
    path = metadata_file(other)
    assert path == metadata_file(other) and json.loads(path.read_text("utf-8")) == meta
    assert metadata_file(archive["db"]) != path
    ds = make_datasette(other)
    data = get_json(ds, f"/news-2025/search.json?q={q(ARABIC_QUERY)}&source=&_shape=objects")
    assert [row["article"] for row in data["rows"]] == [archive["arabic"]]
    assert 'action="/news-2025/search"' in get(ds, "/").text


# --- search -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        ARABIC_QUERY,  # no diacritics finds the diacritised article
        "المُسْتَشْفَيَاتِ",  # diacritised query too
        "سانا",
        "الالواح",  # alef forms folded: finds الأَلْوَاحِ
        "title: الكهرباء",
    ],
)
def test_table_search_folds_arabic(ds, archive, query):
    data = get_json(ds, f"/archive/articles.json?_search={q(query)}&_shape=objects&_col=title")
    assert [row["id"] for row in data["rows"]] == [archive["arabic"]]


def test_table_search_keeps_what_the_user_typed(ds):
    html = get(ds, f"/archive/articles?_search={q('المُسْتَشْفَيَاتِ')}").text
    assert 'value="المُسْتَشْفَيَاتِ"' in html  # the search box is not rewritten
    assert "<title>Articles (1) where search matches" in html


@pytest.mark.parametrize(
    "query", ['al-Assad', '"unclosed', "Mount AND", "(", "-", "10:30", "NEAR(", "*"]
)  # fmt: skip
def test_table_search_never_fails_on_fts_syntax(ds, query):
    response = get(ds, f"/archive/articles.json?_search={q(query)}&_col=title")
    assert response.status_code == 200, response.text


def test_table_search_english_and_operators(ds, archive):
    data = get_json(
        ds, f"/archive/articles.json?_search={q('Hermon OR المستشفيات')}&_shape=objects&_col=url"
    )
    urls = {row["url"] for row in data["rows"]}
    assert {COPIED["url"], COPY_URL, ARABIC_URL} <= urls


def search_json(ds, query="", **params):
    return get_json(ds, f"/archive/search.json?{urlencode({'q': query, **params})}")


def test_search_page(ds, archive):
    data = search_json(ds, ARABIC_QUERY)
    (row,) = data["rows"]
    assert data["total"] == 1 and row["article"] == archive["arabic"]
    assert row["title"] == ARABIC_TITLE
    # the snippet is the article's own text, diacritics and all, the match marked
    assert "[المُسْتَشْفَيَاتِ]" in row["snippet"]
    assert "المستشفيات" not in row["snippet"]
    only = search_json(ds, "Hermon", source="enabbaladi")
    assert [r["url"] for r in only["rows"]] == [COPY_URL]
    html = get(ds, f"/archive/search?q={q(ARABIC_QUERY)}").text
    # titles link to the article page (its words marked), the match highlighted in the snippet
    marked = urlencode({"q": ARABIC_QUERY})
    assert f'<a href="/archive/articles/{archive["arabic"]}?{marked}">{ARABIC_TITLE}</a>' in html
    assert "<mark>المُسْتَشْفَيَاتِ</mark>" in html
    assert "<title>Search: “المستشفيات” · newsarchive</title>" in html
    assert re.search(r'id="na-total">\s*1 article\b', html)


@pytest.mark.parametrize("query", ["بالكهرباء", "كهرباء", "الكهرباء", "والكهرباء", "للكهرباء"])
def test_search_matches_arabic_words_whatever_their_clitics(ds, archive, query):
    # The article has الكَهْرَبَاءِ (title, summary) and the tag الكهرباء.
    assert [r["article"] for r in search_json(ds, query)["rows"]] == [archive["arabic"]]


def test_search_stems_english_and_keeps_phrases_exact(ds):
    stemmed = search_json(ds, "talk")["total"]
    assert stemmed > 0 and search_json(ds, "talks")["total"] == stemmed
    assert search_json(ds, '"talk"')["total"] < stemmed  # quoted: that word exactly


def test_search_pages_through_every_result_newest_first(ds):
    first = search_json(ds, "the")
    total = first["total"]
    assert total > 20 and first["pages"] == -(-total // 20)  # more than one page of 20
    pages = [first] + [search_json(ds, "the", page=str(n)) for n in range(2, first["pages"] + 1)]
    rows = [r for p in pages for r in p["rows"]]
    assert len(rows) == total and len({r["article"] for r in rows}) == total
    dates = [r["published"] for r in rows if r["published"]]
    assert dates == sorted(dates, reverse=True)  # newest first by default
    assert search_json(ds, "the", sort="oldest")["rows"][0]["published"] == min(dates)
    assert "Hermon" in search_json(ds, "Hermon", sort="relevance")["rows"][0]["title"]
    html = get(ds, "/archive/search?q=the").text
    assert f"{total} articles" in html and f"page 1 of {first['pages']}" in html
    assert 'href="/archive/search?q=the&amp;page=2" rel="next"' in html


def test_a_page_past_the_end_shows_the_last_and_reversed_dates_are_an_error(ds):
    first = search_json(ds, "the")
    past = search_json(ds, "the", page=str(first["pages"] + 5))
    last = search_json(ds, "the", page=str(first["pages"]))
    assert past["page"] == first["pages"] and past["rows"] == last["rows"] and past["rows"]
    html = get(ds, f"/archive/search?q=the&page={first['pages'] + 5}").text
    assert f"page {first['pages']} of {first['pages']}" in html
    reversed_dates = get(ds, "/archive/search?since=2025-12-31&until=2025-12-01")
    assert reversed_dates.status_code == 400
    assert "From (2025-12-31) is after To (2025-12-01)" in reversed_dates.text
    assert get(ds, "/archive/search.csv?since=2025-12-31&until=2025-12-01").status_code == 400
    assert search_json(ds, "", since="2025-12-01", until="2025-12-01")["total"] >= 0  # one day


def test_search_downloads_every_result_named_after_the_search(ds, archive):
    total = search_json(ds, "the")["total"]
    response = get(ds, "/archive/search.jsonl?q=the")
    assert response.status_code == 200
    rows = [json.loads(line) for line in response.text.splitlines()]
    assert len(rows) == total > 20  # every result, not a page
    disposition = get(ds, "/archive/search.csv?q=Hermon&source=enabbaladi").headers[
        "content-disposition"
    ]
    assert 'filename="newsarchive-Hermon-enabbaladi.csv"' in disposition
    arabic = get(ds, f"/archive/search.xlsx?q={q(ARABIC_QUERY)}&language=ar")
    expected = f"newsarchive-{'-'.join(ARABIC_QUERY.split())}-ar.xlsx"
    assert f"filename*=UTF-8''{q(expected)}" in arabic.headers["content-disposition"]
    assert 'filename="newsarchive-ar.xlsx"' in arabic.headers["content-disposition"]
    assert (
        'filename="newsarchive-articles.csv"'
        in get(ds, "/archive/search.csv").headers["content-disposition"]
    )


def test_search_filters_by_date_source_and_language(ds, archive):
    december = search_json(ds, "", since="2025-12-01", until="2025-12-31")
    assert all("2025-12-01" <= r["published"][:10] <= "2025-12-31" for r in december["rows"])
    assert archive["arabic"] in {r["article"] for r in december["rows"]}
    arabic = search_json(ds, "", language="ar")
    assert [r["article"] for r in arabic["rows"]] == [archive["arabic"]]
    html = get(ds, "/archive/search").text
    # a drop-down of the sources, From before To
    assert '<option value="sana">SANA</option>' in html
    assert html.index('name="since"') < html.index('name="until"')
    for bad in ({"since": "May 1st"}, {"source": "nope"}, {"sort": "random"}):
        assert get(ds, f"/archive/search?{urlencode(bad)}").status_code == 400


def test_article_lists_by_source_and_tag(ds, archive):
    by_source = search_json(ds, "", source="sana")
    assert [r["article"] for r in by_source["rows"]] == [archive["arabic"]]
    by_tag = search_json(ds, "", tag="دمشق")
    assert [r["article"] for r in by_tag["rows"]] == [archive["arabic"]]
    html = get(ds, "/archive/search?source=syrianobserver").text
    assert "<title>Articles: " in html
    assert html.count('<li class="na-result"') == 20  # title, source, date, snippet
    assert html.count('class="na-snippet"') == 20


def test_search_exports_csv_and_xlsx_with_the_cli_columns(ds, archive, tmp_path):
    from openpyxl import load_workbook

    from archive.export import COLUMNS

    response = get(ds, "/archive/search.csv?q=Hermon")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert list(rows[0]) == COLUMNS  # no atom_* columns
    assert {r["url"] for r in rows} == {r["url"] for r in search_json(ds, "Hermon")["rows"]}
    xlsx = get(ds, f"/archive/search.xlsx?q={q(ARABIC_QUERY)}")
    assert xlsx.status_code == 200
    path = tmp_path / "search.xlsx"
    path.write_bytes(xlsx.content)
    sheet = load_workbook(path, read_only=True).active
    header, row = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert header == COLUMNS and row[COLUMNS.index("title")] == ARABIC_TITLE
    html = get(ds, "/archive/search?q=Hermon").text
    for link in ("search.csv?q=Hermon", "search.xlsx?q=Hermon", "search.atom?q=Hermon"):
        assert f'href="/archive/{link}"' in html


def test_atom_feed_of_a_search(ds, archive):
    import feedparser

    response = get(ds, f"/archive/search.atom?q={q('Hermon')}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.text)
    assert feed.bozo == 0 and feed.feed.title == "newsarchive: Search: “Hermon”"
    # Each entry links to the archived copy, and to the publisher's page beside it.
    originals = {link.href for e in feed.entries for link in e.links if link.rel == "related"}
    assert originals >= {COPY_URL, COPIED["url"]}
    assert all(e.link.startswith("http://localhost/archive/articles/") for e in feed.entries)
    assert f"/archive/articles/{archive['copy']}" in {
        e.link[len("http://localhost") :] for e in feed.entries
    }
    arabic = feedparser.parse(get(ds, f"/archive/search.atom?q={q(ARABIC_QUERY)}").text)
    assert [e.title for e in arabic.entries] == [ARABIC_TITLE]
    latest = get(ds, "/archive/latest_per_source.atom")
    assert latest.status_code == 200
    assert latest.text.count("<entry>") == 10 + 1 + 1  # ten per source at most


@pytest.mark.parametrize("query", ["zzzznothing", "Hermon NOT Hermon", "- :"])
def test_atom_feed_without_results_is_valid(ds, query):
    import feedparser

    params = urlencode({"q": query, "source": "sana", "language": "en"})
    response = get(ds, f"/archive/search.atom?{params}")
    assert response.status_code == 200
    feed = feedparser.parse(response.text)
    assert feed.bozo == 0 and feed.entries == []
    assert feed.feed.title == f"newsarchive: Search: “{query}”, SANA, in en"


# --- facets and canned queries -----------------------------------------------------------


def test_facets(ds):
    data = get_json(ds, "/archive/articles.json?_size=0")
    facets = data["facet_results"]
    assert set(facets) >= {"source", "language", "section", "tags", "published_local"}
    sources = {r["value"]: r["count"] for r in facets["source"]["results"]}
    assert sources == {"syrianobserver": len(SO["articles"]), "sana": 1, "enabbaladi": 1}
    months = facets["published_local"]  # the publisher's month (archive.days)
    assert months["type"] == "month"
    assert all(re.fullmatch(r"\d{4}-\d{2}", r["value"]) for r in months["results"])
    values = [r["value"] for r in months["results"]]
    assert values == sorted(values, reverse=True)  # newest month first
    december = next(r for r in months["results"] if r["value"] == "2025-12")
    filtered = get_json(
        ds,
        december["toggle_url"]
        .split("localhost", 1)[-1]
        .replace("/archive/articles?", "/archive/articles.json?"),
    )
    assert filtered["filtered_table_rows_count"] == december["count"]
    assert facets["tags"]["type"] == "array"
    sana = get_json(ds, "/archive/articles.json?source=sana&_size=0")["facet_results"]
    assert {r["value"] for r in sana["tags"]["results"]} == {"دمشق", "الكهرباء"}


def test_same_story_across_outlets(ds, archive):
    data = get_json(ds, "/archive/same_story.json?min_outlets=&_shape=objects")
    (story,) = [r for r in data["rows"] if r["article"] == archive["original"]]
    assert story["copies"] == 2 and story["outlets"] == 2
    assert set(story["sources"].split(",")) == {"syrianobserver", "enabbaladi"}
    assert story["title"] == COPIED["title"]
    assert story["other_titles"] == "Israel-Syria security talks stall over Mount Hermon"


def test_article_revisions(ds, archive):
    data = get_json(ds, f"/archive/article_revisions.json?id={archive['edited']}&_shape=objects")
    versions = [r["version"] for r in data["rows"]]
    assert versions[0] == "current" and len(versions) == 2
    assert SO["edited"]["changed_text"] in data["rows"][0]["body"]
    assert SO["edited"]["changed_text"] not in data["rows"][1]["body"]


def test_articles_per_day(ds):
    data = get_json(ds, "/archive/articles_per_day.json?source=&since=&_shape=objects")
    total = sum(r["articles"] for r in data["rows"])
    assert total == len(SO["articles"]) + 2
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["day"]) for r in data["rows"])
    sana = get_json(
        ds, "/archive/articles_per_day.json?source=sana&since=2025-12-01&_shape=objects"
    )
    assert sana["rows"] == [{"day": "2025-12-20", "source": "sana", "articles": 1}]


def test_latest_per_source(ds, archive):
    data = get_json(ds, "/archive/latest_per_source.json?_shape=objects")
    per_source = {}
    for row in data["rows"]:
        per_source.setdefault(row["source"], []).append(row["published"])
    assert len(per_source["syrianobserver"]) == 10
    assert per_source["syrianobserver"] == sorted(per_source["syrianobserver"], reverse=True)


def test_dashboard_chart_of_articles_per_day(ds):
    from datasette_dashboards import replace_opts_in_query

    page = get(ds, "/-/dashboards/articles")
    assert page.status_code == 200 and "Articles per day by source" in page.text
    assert "vega-lite.min.js" in page.text  # bundled with the plugin, no CDN
    charts = ds.plugin_config("datasette-dashboards")["articles"]["charts"]
    filters = {"source": "sana", "date_start": "2025-12-01", "date_end": "2025-12-31"}
    for name, chart in charts.items():
        for options in ({}, filters):
            sql = replace_opts_in_query(chart["query"], options)
            data = get_json(
                ds, f"/{chart['db']}.json?{urlencode({'sql': sql, **options})}&_shape=objects"
            )
            assert data["rows"], (name, options)
    per_month = replace_opts_in_query(charts["per-month"]["query"], {})
    rows = get_json(ds, f"/archive.json?{urlencode({'sql': per_month})}&_shape=objects")["rows"]
    assert sum(r["articles"] for r in rows) == len(SO["articles"]) + 2


# --- the article page ---------------------------------------------------------------------


def test_arabic_article_page(ds, archive):
    page = get(ds, f"/archive/articles/{archive['arabic']}")
    assert page.status_code == 200
    html = page.text
    assert '<article class="na-article" dir="rtl" lang="ar">' in html
    assert f"<h1>{ARABIC_TITLE}</h1>" in html
    for paragraph in ARABIC_PARAGRAPHS:
        assert f'<p dir="auto">{paragraph}</p>' in html
    assert f'<a href="{ARABIC_URL}" rel="noopener noreferrer">Read the original on SANA' in html
    assert f'href="/archive/search?tag={q("دمشق")}">دمشق</a>' in html  # the tag's articles
    assert "<summary>All fields</summary>" in html  # datasette's row table is still there


@pytest.mark.parametrize("image", ["javascript:alert(document.domain)", "data:text/html,<b>x"])
def test_an_image_that_is_not_http_is_not_rendered(archive, tmp_path, image):
    """An archive written before images were checked may hold one: the page leaves it out."""
    db = tmp_path / "archive.db"
    shutil.copy(archive["db"], db)
    with sqlite3.connect(db) as conn:
        conn.execute("update articles set image = ? where id = ?", [image, archive["arabic"]])
    page = get(make_datasette(db), f"/archive/articles/{archive['arabic']}")
    assert page.status_code == 200
    assert "<h1>" in page.text and 'class="na-image"' not in page.text
    assert image.split(":")[0] + ":" not in page.text.split("<summary>All fields</summary>")[0]


def test_english_article_page_links_its_copies_and_revisions(ds, archive):
    html = get(ds, f"/archive/articles/{archive['original']}").text
    assert 'dir="ltr"' in html and "The same story elsewhere" in html
    assert f'href="/archive/articles/{archive["copy"]}"' in html
    assert COPIED["editorial_note"] in html
    body = COPIED["body"].split("\n\n")
    assert f'<p dir="auto">{body[0]}</p>' in html and len(body) > 3
    edited = get(ds, f"/archive/articles/{archive['edited']}").text
    assert "Revisions" in edited and f"article_revisions?id={archive['edited']}" in edited


def test_other_tables_keep_datasette_pages(ds):
    html = get(ds, "/archive/sources/syrianobserver").text
    assert "na-article" not in html and "syrianobserver" in html


def test_titles_link_to_articles_in_the_table(ds, archive):
    html = get(ds, "/archive/articles?source=sana").text
    assert f'<a href="/archive/articles/{archive["arabic"]}" dir="auto">{ARABIC_TITLE}</a>' in html


# --- read-only, and plain SQLite for other tools ----------------------------------------------


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_served_read_only(archive, tmp_path):
    db = tmp_path / "archive.db"
    with Archive(archive["db"]) as src:  # a checkpointed copy: no -wal to merge later
        src.db.execute(f"VACUUM INTO '{db}'")
    before = sha256(db)
    ds = make_datasette(db)
    plugins = {p["name"] for p in get_json(ds, "/-/plugins.json")}
    # Only these plugins: none of them writes (no datasette-write, upload, edit...).
    assert plugins == {
        "newsarchive.py",
        "history_stories.py",
        "datasette-atom",
        "datasette-dashboards",
        "datasette-leaflet",
        "datasette-render-markdown",
    }
    queries = metadata_for(db)["databases"]["archive"]["queries"]
    assert not any(query.get("write") for query in queries.values())
    for sql in (
        "delete from articles",
        "update articles set title = 'x'",
        "insert into sources (id) values ('x')",
        "drop table articles",
    ):
        response = get(ds, f"/archive.json?sql={q(sql)}")
        assert response.status_code == 400
    response = asyncio.run(ds.client.post("/archive/search", data={"q": "x"}))
    assert response.status_code >= 400  # no canned query accepts a POST
    for path in (
        "/",
        "/archive/articles",
        f"/archive/articles/{archive['arabic']}",
        "/archive/search?q=Hermon&source=",
        "/-/dashboards/articles",
    ):
        assert get(ds, path).status_code == 200
    assert sha256(db) == before


def test_articles_readable_by_sqlite_utils_and_datasette_csv(ds, archive):
    import sqlite3

    conn = sqlite3.connect(archive["db"])
    conn.row_factory = sqlite3.Row
    expected_rows = {r["id"]: dict(r) for r in conn.execute("select * from articles")}
    conn.close()
    out = subprocess.run(
        [sys.executable, "-m", "sqlite_utils", "rows", str(archive["db"]), "articles", "--csv"],
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    assert len(rows) == len(expected_rows)
    for row in rows:
        stored = expected_rows[int(row["id"])]
        assert row["title"] == stored["title"] and row["body"] == stored["body"]
        assert json.loads(row["tags"]) == json.loads(stored["tags"])
    # datasette's own CSV link, streamed: every row, Arabic and newlines intact
    response = get(ds, "/archive/articles.csv?_stream=on&_size=max")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.text, newline="")))
    assert len(rows) == len(expected_rows)
    arabic = next(r for r in rows if r["url"] == ARABIC_URL)
    assert arabic["body"] == ARABIC["body"] and arabic["title"] == ARABIC_TITLE


# --- the command ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path, port: int) -> subprocess.Popen:
    """`newsarchive serve` as a user runs it; waits until it answers."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "scraper.cli", "serve", "--db", str(db), "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"serve exited: {proc.stdout.read().decode()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/-/versions.json", timeout=2):
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise AssertionError("datasette did not start within 60 s")


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def test_serve_command(archive):
    port = free_port()
    proc = start_server(archive["db"], port)
    try:
        base = f"http://127.0.0.1:{port}"
        with urllib.request.urlopen(f"{base}/") as r:
            assert "na-search" in r.read().decode()
        with urllib.request.urlopen(f"{base}/-/versions.json") as r:
            assert json.load(r)["datasette"]["version"].startswith("0.65.")
        with urllib.request.urlopen(f"{base}/-/databases.json") as r:
            (db,) = json.load(r)
            assert db["name"] == "archive" and db["is_mutable"] is True
        with urllib.request.urlopen(f"{base}/archive/search.json?q={q(ARABIC_QUERY)}") as r:
            assert json.load(r)["rows"][0]["article"] == archive["arabic"]
    finally:
        stop_server(proc)


def test_serve_command_without_an_archive(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "scraper.cli", "serve", "--db", str(tmp_path / "none.db")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0 and "no archive at" in result.stderr
    assert not (tmp_path / "none.db").exists()


# --- never a 500 ---------------------------------------------------------------------------

MAIN_PAGES = [
    "/", "/archive", "/archive/articles", "/archive/articles/1", "/archive/search",
    "/archive/search.json", "/archive/search.atom", "/archive/search.csv",
    "/archive/latest_per_source", "/archive/same_story", "/archive/article_revisions",
    "/archive/articles_per_day", "/archive/articles.json", "/archive/articles.csv",
    "/archive/latest_per_source.atom", "/archive/sources", "/archive.json",
    "/-/dashboards/articles",
]  # fmt: skip
ODD_PARAMS = [
    "_sort=title;drop", "_sort=nope", "_sort_desc=nope", "_sort=title&_sort_desc=title",
    "_size=abc", "_size=-1", "_size=100000", "_next=abc", "_next=%00", "_facet=nope",
    "_facet_array=title", "_facet_month=nope", "_search=%22", "_search_nope=x",
    "_where=1=1;drop", "_where=))", "_col=nope", "_nocol=nope", "_through=%7Bbad",
    "_through=%7B%22table%22:%22x%22%7D", "_shape=bad", "_shape=arrayfirst", "_json=x",
    "_timelimit=abc", "_timelimit=1", "_ttl=abc", "_stream=on&_size=max", "page=abc",
    "page=99999999999999999999", "sort=relevance", "since=bad", "until=2024-13-45",
    "source=nope", "language=%00", "q=%00", "q=" + "x" * 3000, "q=NEAR(", "tag=%00",
    "id=abc", "min_outlets=abc", "sql=bad+sql", "id__gt=abc", "source__in=%5B",
    "_facet_size=abc", "_searchmode=raw&_search=NEAR(", "date_start=bad",
]  # fmt: skip


def test_no_parameter_makes_a_500(ds):
    async def sweep():
        failures = []
        for page in MAIN_PAGES:
            for param in ODD_PARAMS:
                url = f"{page}?{param}"
                response = await ds.client.get(url)
                if response.status_code >= 500:
                    failures.append((url, response.status_code, response.text[:200]))
        return failures

    assert asyncio.run(sweep()) == []


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "TRACE", "PROPFIND"])
def test_writing_methods_are_refused(ds, method):
    async def send_all():
        return [(p, (await ds.client.request(method, p)).status_code) for p in MAIN_PAGES]

    statuses = asyncio.run(send_all())
    assert {status for _, status in statuses} == {405}, statuses
    # the known 500s: a canned query, datasette's message debugger
    for path in ("/archive/latest_per_source", "/-/messages"):
        response = asyncio.run(ds.client.request(method, path, data={"q": "x"}))
        assert response.status_code == 405


def test_debug_pages_are_off_and_bad_sorts_are_400(ds):
    for path in (
        "/-/messages",
        "/-/permissions",
        "/-/allow-debug",
        "/-/patterns",
        "/-/threads",
        "/-/actor.json",
    ):
        assert get(ds, path).status_code == 404, path
    assert get(ds, "/-/versions.json").status_code == 200
    response = get(ds, "/archive/articles?_sort=title;drop")
    assert response.status_code == 400 and "Cannot sort table by title;drop" in response.text


# --- pages that read well ------------------------------------------------------------------


def test_every_page_has_a_human_title(ds, archive):
    titles = {}
    for path in (
        "/",
        "/archive",
        "/archive/articles",
        f"/archive/articles/{archive['arabic']}",
        "/archive/search",
        "/archive/search?q=Hermon",
        "/archive/latest_per_source",
        "/archive/same_story",
        f"/archive/article_revisions?id={archive['edited']}",
        "/archive/articles_per_day",
        "/-/dashboards/articles",
    ):
        html = get(ds, path).text
        titles[path] = re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()
    for path, title in titles.items():
        assert "select" not in title.lower() and title not in ("archive", ""), (path, title)
    assert titles["/archive/latest_per_source"] == "Latest articles per source · newsarchive"
    assert titles["/archive/search?q=Hermon"] == "Search: “Hermon” · newsarchive"


def test_dates_show_as_dates_and_sources_lead_to_the_article_list(ds, archive):
    html = get(ds, "/archive/articles?source=sana").text
    assert '<time datetime="2025-12-20T09:00:00+00:00"' in html and ">2025-12-20</time>" in html
    assert '<a href="/archive/search?source=sana">sana</a>' in html
    home = get(ds, "/").text
    assert 'href="/archive/search?source=sana"' in home  # not the raw table
    assert 'href="/archive/articles?source=' not in home


def test_dashboard_bars_per_day_with_empty_days_at_zero(ds):
    from datasette_dashboards import replace_opts_in_query

    dashboard = ds.plugin_config("datasette-dashboards")["articles"]
    assert list(dashboard["filters"])[:2] == ["date_start", "date_end"]  # From, then To
    html = get(ds, "/-/dashboards/articles").text
    assert html.index(">From<") < html.index(">To<")
    chart = dashboard["charts"]["per-day"]
    assert chart["display"]["layer"][0]["mark"]["type"] == "bar"
    for options, first, last, n in (
        ({"date_start": "2025-12-01", "date_end": "2025-12-31"}, "2025-12-01", "2025-12-31", 31),
        ({}, "2025-09-24", "2025-12-22", 90),  # the 90 days up to the newest article
    ):
        sql = replace_opts_in_query(chart["query"], options)
        rows = get_json(ds, f"/archive.json?{urlencode({'sql': sql, **options})}&_shape=objects")
        days = sorted({r["day"] for r in rows["rows"]})
        assert (days[0], days[-1], len(days)) == (first, last, n)  # every day, empty ones too
        empty = [r for r in rows["rows"] if r["articles"] == 0]
        assert empty and all(r["source"] is None for r in empty)
    december = sum(r["articles"] for r in rows["rows"] if r["day"].startswith("2025-12"))
    assert december == search_json(ds, "", since="2025-12-01", until="2025-12-31")["total"]
    # Every month of the range on the monthly chart, the empty ones at zero.
    monthly = dashboard["charts"]["per-month"]
    sql = replace_opts_in_query(monthly["query"], {})
    params = urlencode({"sql": sql, "date_start": "", "date_end": ""})
    rows = get_json(ds, f"/archive.json?{params}&_shape=objects")["rows"]
    months = sorted({r["month"] for r in rows})
    assert months[-1] == "2025-12" and len(months) > len({r["month"] for r in rows if r["source"]})
    for earlier, later in zip(months, months[1:], strict=False):
        year, month = map(int, earlier.split("-"))
        assert later == f"{year + month // 12}-{month % 12 + 1:02d}"  # no month skipped
    assert all(r["articles"] == 0 for r in rows if r["source"] is None)
    # One colour per source: every chart coloured by source takes each row's colour from
    # its query, and a source's colour is the same in each.
    from archive.serve import source_colours

    colours: dict[str, set] = {}
    for name in ("sources", "per-day", "per-month"):
        chart = dashboard["charts"][name]
        assert '"range": {"field": "colour"}' in json.dumps(chart["display"])
        sql = replace_opts_in_query(chart["query"], {})
        params = urlencode({"sql": sql, "date_start": "", "date_end": ""})
        for row in get_json(ds, f"/archive.json?{params}&_shape=objects")["rows"]:
            if row["source"]:
                colours.setdefault(row["source"], set()).add(row["colour"])
    assert set(colours) == {"enabbaladi", "sana", "syrianobserver"}
    assert {s: c.pop() for s, c in colours.items() if len(c) == 1} == source_colours(colours)


def test_one_colour_mapping_for_every_source():
    from archive.serve import PALETTE, SOURCES_SEPARATOR, source_colour, source_colours

    ids = [f"source-{n:02d}" for n in range(25)]
    colours = source_colours(reversed(ids))
    assert list(colours) == ids and colours == source_colours(ids)  # whatever the order
    assert len(set(colours[i] for i in ids[: len(PALETTE)])) == len(PALETTE) == 18
    assert colours[ids[18]] == colours[ids[0]]  # past eighteen, the palette again
    # The SQL function the dashboard's queries call: the same mapping.
    joined = SOURCES_SEPARATOR.join(reversed(ids))
    assert [source_colour(i, joined) for i in ids] == [colours[i] for i in ids]
    assert source_colour(None, joined) is None


def test_table_search_of_one_column(ds, archive):
    url = f"/archive/articles.json?_search_title={q('بالكهرباء')}&_shape=objects&_col=title"
    assert [r["id"] for r in get_json(ds, url)["rows"]] == [archive["arabic"]]
    # the summary has الكهرباء too
    summary = get_json(ds, f"/archive/articles.json?_search_summary={q('كهرباء')}&_shape=objects")
    assert [r["id"] for r in summary["rows"]] == [archive["arabic"]]
    both = f"/archive/articles.json?_search=Hermon&_search_title={q('الكهرباء')}&_shape=objects"
    assert get_json(ds, both)["rows"] == []  # AND: no article has both


def test_internal_tables_are_hidden_from_the_database_page_but_reachable(ds):
    tables = {t["name"]: t["hidden"] for t in get_json(ds, "/archive.json")["tables"]}
    for internal in ("story_bands", "story_anchors", "story_docs", "page_bodies", "frontier"):
        assert tables[internal] is True, internal
    assert tables["articles"] is False and tables["captures"] is False
    assert get(ds, "/archive/story_bands").status_code == 200


def test_the_article_page_is_evidence_capture_hash_permalink_citation(ds, archive):
    article = archive["edited"]
    html = get(ds, f"/archive/articles/{article}").text
    with Archive(archive["db"]) as db:
        first_seen, url, title = db.db.execute(
            "select first_seen, url, title from articles where id = ?", [article]
        ).fetchone()
        captures = db.db.execute(
            "select id, sha256 from captures where article_id = ? order by fetched_at desc",
            [article],
        ).fetchall()
    assert len(captures) == 2  # the page, then its edited version
    assert "As evidence" in html and first_seen[:16].replace("T", " ") in html
    for capture_id, sha256 in captures:
        assert sha256 in html and f'href="/archive/-/capture/{capture_id}"' in html
    permalink = f"http://localhost/archive/articles/{article}"
    assert f'<a href="{permalink}">' in html
    assert "Cite this article" in html and "@online{" in html and "article-newspaper" in html
    assert f"Archived copy: {permalink}" in html and url in html
    assert escape(title) in html


def test_the_page_as_captured_is_shown_sandboxed_and_reaches_nothing(ds, archive):
    with Archive(archive["db"]) as db:
        capture_id, sha256, body = db.db.execute(
            "select c.id, c.sha256, b.body from captures c join page_bodies b using (sha256) "
            "where c.article_id = ? order by c.fetched_at limit 1",
            [archive["edited"]],
        ).fetchone()
    page = get(ds, f"/archive/-/capture/{capture_id}")
    assert page.status_code == 200 and sha256 in page.text
    assert f'<iframe class="na-capture" src="/archive/-/capture/{capture_id}/raw" sandbox=""' in (
        page.text
    )
    raw = get(ds, f"/archive/-/capture/{capture_id}/raw")
    assert raw.status_code == 200 and raw.content == zlib.decompress(body)
    assert hashlib.sha256(raw.content).hexdigest() == sha256  # the bytes received
    policy = raw.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "sandbox" in policy and "script" not in policy
    assert raw.headers["x-content-type-options"] == "nosniff"
    assert get(ds, "/archive/-/capture/999999").status_code == 404


def test_the_search_page_offers_names_in_both_languages_and_says_what_it_added(ds, archive):
    english = search_json(ds, "Damascus")
    both = search_json(ds, "Damascus", also="1")
    assert both["total"] == english["total"] + 1  # the Arabic article, tagged دمشق
    assert archive["arabic"] in {r["article"] for r in both["rows"]}
    assert archive["arabic"] not in {r["article"] for r in english["rows"]}
    html = get(ds, "/archive/search?q=Damascus&also=1").text
    assert "Also searched: <bdi>دمشق</bdi>." in html
    assert 'name="also" value="1" checked' in html
    assert "also=1" in html  # kept by the page links and the downloads


def test_the_story_says_in_plain_words_how_each_article_relates_to_this_one(ds, archive):
    from archive.datasette.plugins.history_stories import RELATIONS, THROUGH_THE_STORY

    html = get(ds, f"/archive/articles/{archive['original']}").text
    assert "linked by" not in html and "same-language" not in html
    plain = {text for pair in RELATIONS.values() for text in pair} | {THROUGH_THE_STORY}
    shown = re.findall(r'class="na-story">(.*?)</ul>', html, re.S)
    assert shown and any(text in shown[0] for text in plain), shown


@pytest.mark.parametrize(
    "other, this, said",
    [
        ({"id": 2, "linked_to": 1, "method": "translated-from"}, {"id": 1, "linked_to": None,
         "method": "first"}, "translated from this article"),
        ({"id": 1, "linked_to": None, "method": "first"}, {"id": 2, "linked_to": 1,
         "method": "translated-from"}, "the article this one translates"),
        ({"id": 3, "linked_to": 2, "method": "image"}, {"id": 1, "linked_to": None,
         "method": "first"}, "reports the same story (linked through its other articles)"),
    ],
)  # fmt: skip
def test_relations_are_said_from_the_article_being_read(other, this, said):
    from archive.datasette.plugins.history_stories import relation

    assert relation(other, this) == said


def test_arabic_urls_read_as_arabic_and_link_as_stored():
    from archive.datasette.plugins.newsarchive import readable_url, render_cell

    stored = "https://aawsat.com/%D8%A7%D9%84%D8%B9%D8%A7%D9%84%D9%85/a%2Fb%20c%FF"
    assert readable_url(stored) == "https://aawsat.com/العالم/a%2Fb%20c%FF"
    cell = render_cell({"url": stored}, stored, "url", "articles", "archive", None)
    assert cell == f'<a href="{stored}" dir="ltr">https://aawsat.com/العالم/a%2Fb%20c%FF</a>'
    assert render_cell({"url": ARABIC_URL}, ARABIC_URL, "url", "articles", "archive", None) is None


def test_arriving_from_a_search_marks_its_words_in_the_article(ds, archive):
    html = get(ds, "/archive/search?q=Hermon").text
    href = f'href="/archive/articles/{archive["copy"]}?q=Hermon"'
    assert href in html  # a result opens its article with the search
    article = get(ds, f"/archive/articles/{archive['copy']}?q=Hermon").text
    body = article.split('<div class="na-body">', 1)[1].split("</div>", 1)[0]
    assert "<mark>Hermon</mark>" in body
    plain = get(ds, f"/archive/articles/{archive['copy']}").text
    assert "<mark>" not in plain.split('<div class="na-body">', 1)[1].split("</div>", 1)[0]
    arabic = get(ds, f"/archive/articles/{archive['arabic']}?q={q(ARABIC_QUERY)}").text
    assert "<mark>" in arabic.split('<div class="na-body">', 1)[1].split("</div>", 1)[0]
