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
import socket
import subprocess
import sys
import time
import urllib.request
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
                {"id": "enabbaladi", "name": "Enab Baladi",
                 "homepage": "https://english.enabbaladi.net/", "language": "en"},
            ]
        )  # fmt: skip
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
    return {"arabic": arabic.article_id, "copy": copy.article_id, "original": original,
            "edited": edited}  # fmt: skip


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
    assert "1 row where search matches" in html


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


def test_canned_search(ds, archive):
    data = get_json(ds, f"/archive/search.json?q={q(ARABIC_QUERY)}&source=&_shape=objects")
    (row,) = data["rows"]
    assert row["article"] == archive["arabic"] and row["title"] == ARABIC_TITLE
    assert "[المستشفيات]" in row["snippet"]
    # restricted to one source, and a search for nothing
    only = get_json(ds, "/archive/search.json?q=Hermon&source=enabbaladi&_shape=objects")
    assert [r["url"] for r in only["rows"]] == [COPY_URL]
    assert get_json(ds, "/archive/search.json?q=&source=&_shape=objects")["rows"] == []
    html = get(ds, f"/archive/search?q={q(ARABIC_QUERY)}&source=").text
    # titles link to the article page
    assert f'<a href="/archive/articles/{archive["arabic"]}" dir="auto">{ARABIC_TITLE}</a>' in html


def test_atom_feed_of_a_search(ds, archive):
    response = get(ds, f"/archive/search.atom?q={q('Hermon')}&source=")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/xml")
    feed = response.text
    assert "<title>Search articles</title>" in feed
    assert f'<link href="{COPY_URL}"/>' in feed and f"<id>{COPIED['url']}</id>" in feed
    arabic = get(ds, f"/archive/search.atom?q={q(ARABIC_QUERY)}&source=").text
    assert ARABIC_TITLE in arabic
    # the HTML page offers the feed
    assert "search.atom?" in get(ds, "/archive/search?q=Hermon&source=").text
    latest = get(ds, "/archive/latest_per_source.atom")
    assert latest.status_code == 200
    assert latest.text.count("<entry>") == 10 + 1 + 1  # ten per source at most


# --- facets and canned queries -----------------------------------------------------------


def test_facets(ds):
    data = get_json(ds, "/archive/articles.json?_size=0")
    facets = data["facet_results"]
    assert set(facets) >= {"source", "language", "section", "tags", "published"}
    sources = {r["value"]: r["count"] for r in facets["source"]["results"]}
    assert sources == {"syrianobserver": len(SO["articles"]), "sana": 1, "enabbaladi": 1}
    months = facets["published"]
    assert months["type"] == "month"
    assert all(re.fullmatch(r"\d{4}-\d{2}", r["value"]) for r in months["results"])
    values = [r["value"] for r in months["results"]]
    assert values == sorted(values, reverse=True)  # newest month first
    december = next(r for r in months["results"] if r["value"] == "2025-12")
    filtered = get_json(ds, december["toggle_url"].split("localhost", 1)[-1].replace(
        "/archive/articles?", "/archive/articles.json?"))  # fmt: skip
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
            data = get_json(ds, f"/{chart['db']}.json?{urlencode({'sql': sql, **options})}"
                                "&_shape=objects")  # fmt: skip
            assert data["rows"], (name, options)
    per_day = replace_opts_in_query(charts["per-day"]["query"], {})
    rows = get_json(ds, f"/archive.json?{urlencode({'sql': per_day})}&_shape=objects")["rows"]
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
    assert f'href="/archive/articles?tags__arraycontains={q("دمشق")}">دمشق</a>' in html
    assert "<summary>All fields</summary>" in html  # datasette's row table is still there


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
    assert plugins == {"newsarchive.py", "datasette-atom", "datasette-dashboards",
                       "datasette-leaflet", "datasette-render-markdown"}  # fmt: skip
    queries = metadata_for(db)["databases"]["archive"]["queries"]
    assert not any(query.get("write") for query in queries.values())
    for sql in ("delete from articles", "update articles set title = 'x'",
                "insert into sources (id) values ('x')", "drop table articles"):  # fmt: skip
        response = get(ds, f"/archive.json?sql={q(sql)}")
        assert response.status_code == 400
    response = asyncio.run(ds.client.post("/archive/search", data={"q": "x"}))
    assert response.status_code >= 400  # no canned query accepts a POST
    for path in ("/", "/archive/articles", f"/archive/articles/{archive['arabic']}",
                 "/archive/search?q=Hermon&source=", "/-/dashboards/articles"):  # fmt: skip
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
        capture_output=True, check=True,
    ).stdout.decode("utf-8")  # fmt: skip
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
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
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
        with urllib.request.urlopen(f"{base}/archive/search.json?q={q(ARABIC_QUERY)}&source=") as r:
            assert json.load(r)["rows"][0][0] == archive["arabic"]
    finally:
        stop_server(proc)


def test_serve_command_without_an_archive(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "scraper.cli", "serve", "--db", str(tmp_path / "none.db")],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode != 0 and "no archive at" in result.stderr
    assert not (tmp_path / "none.db").exists()
