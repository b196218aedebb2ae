"""The publisher's day: a time keeps the offset its publisher printed (or the source's
zone), the archive sorts in UTC and shows, filters, counts and exports the
publisher's day (scraper/extract/dates.py, archive/days.py).

An article of 00:30 in Damascus (UTC+3) is 21:30 the day before in UTC: converted
and cut to ten characters, it was stored, shown and exported on the wrong day.
The forms below are what the region's sites print: WordPress and Drupal meta tags
and JSON-LD with their offset, RSS pubDates, Atom and JSON Feed times, printed
Arabic dates with a clock and no zone.
"""

from __future__ import annotations

import asyncio
import csv
import io
import sqlite3
import time
from datetime import datetime, timezone
from pathlib import Path

import feedparser
import pytest

from archive import counts
from archive.captures import Capture
from archive.days import UNKNOWN_OFFSET_NOTE, date_filter, day_in_offset, publication
from archive.export import export
from archive.record import split_extraction
from archive.schema import SCHEMA, ddl_statements
from archive.search import count_found, find_articles, register_functions
from archive.store import SCHEMA_VERSION, Archive
from scraper.extract import extract
from scraper.extract.dates import iso, local_iso, offset_note, parse_date, source_zone
from scraper.reextract import reextract
from scraper.sources import SourceConfigError, parse_source
from scraper.spiders.feed import entry_hints
from tests.schema_versions import archive_as_schema, schema_version

UTC = timezone.utc
CRAWL = datetime(2025, 6, 2, 12, 0, tzinfo=UTC)
DAMASCUS = source_zone(None, "SY")

MIDNIGHT = "2024-12-08T00:00:00+00:00"
# (what the page or feed prints, the source's zone, published_local, published (UTC),
#  what date_notes says of the offset)
FORMS = [
    # article:published_time / JSON-LD datePublished of a Syrian site (WordPress: +03:00)
    (
        "2024-12-08T00:30:00+03:00",
        "Asia/Damascus",
        "2024-12-08T00:30:00+03:00",
        "2024-12-07T21:30:00+00:00",
        "offset +03:00 as printed",
    ),
    # ... without the colon, as some JSON-LD writers print it
    (
        "2024-12-08T00:30:00+0300",
        None,
        "2024-12-08T00:30:00+03:00",
        "2024-12-07T21:30:00+00:00",
        "offset +03:00 as printed",
    ),
    # an Egyptian outlet (+02:00) and a Tokyo one (+09:00)
    (
        "2024-12-08T01:15:00+02:00",
        "Africa/Cairo",
        "2024-12-08T01:15:00+02:00",
        "2024-12-07T23:15:00+00:00",
        "offset +02:00 as printed",
    ),
    (
        "2024-12-08T00:30:00+09:00",
        None,
        "2024-12-08T00:30:00+09:00",
        "2024-12-07T15:30:00+00:00",
        "offset +09:00 as printed",
    ),
    # a Z time is in UTC: its day is UTC's, as printed
    (
        "2024-12-07T22:00:00Z",
        "Asia/Damascus",
        "2024-12-07T22:00:00+00:00",
        "2024-12-07T22:00:00+00:00",
        "offset +00:00 as printed",
    ),
    # RSS pubDate (RFC 822) with the outlet's offset
    (
        "Sun, 08 Dec 2024 00:30:00 +0300",
        None,
        "2024-12-08T00:30:00+03:00",
        "2024-12-07T21:30:00+00:00",
        "offset +03:00 as printed",
    ),
    # no offset: the source's zone (Syria is UTC+3 since late 2022, UTC+2 in winter before)
    (
        "2024-12-08T00:30:00",
        "Asia/Damascus",
        "2024-12-08T00:30:00+03:00",
        "2024-12-07T21:30:00+00:00",
        "offset +03:00 from the source's zone Asia/Damascus",
    ),
    (
        "2021-01-10T00:30:00",
        "Asia/Damascus",
        "2021-01-10T00:30:00+02:00",
        "2021-01-09T22:30:00+00:00",
        "offset +02:00 from the source's zone Asia/Damascus",
    ),
    (
        "2024-01-10 00:30",
        "Asia/Beirut",
        "2024-01-10T00:30:00+02:00",
        "2024-01-09T22:30:00+00:00",
        "offset +02:00 from the source's zone Asia/Beirut",
    ),
    # a printed Arabic date with a clock (12:30 ص: half past midnight), no zone
    (
        "الأحد 8 كانون الأول 2024 - 12:30 ص",
        "Asia/Damascus",
        "2024-12-08T00:30:00+03:00",
        "2024-12-07T21:30:00+00:00",
        "offset +03:00 from the source's zone Asia/Damascus",
    ),
    (
        "٨ كانون الأول/ديسمبر ٢٠٢٤ - ١٢:٣٠ ص",
        "Asia/Damascus",
        "2024-12-08T00:30:00+03:00",
        "2024-12-07T21:30:00+00:00",
        "offset +03:00 from the source's zone Asia/Damascus",
    ),
    # no offset and no zone known: the time as printed, read as UTC only to sort it
    (
        "2024-12-08T00:30:00",
        None,
        "2024-12-08T00:30:00",
        "2024-12-08T00:30:00+00:00",
        "offset unknown: the time as printed",
    ),
    # a day without a time is that day, whatever the zone
    ("2024-12-08", "Asia/Damascus", "2024-12-08", MIDNIGHT, "a day without a time"),
    ("الأحد 8 كانون الأول 2024", "Asia/Damascus", "2024-12-08", MIDNIGHT, "a day without a time"),
]  # fmt: skip


@pytest.mark.parametrize("text, zone, local, utc, note", FORMS)
def test_a_time_keeps_its_publishers_offset(text, zone, local, utc, note):
    value = parse_date(text, languages=["ar"], default_tz=source_zone(zone))
    assert local_iso(value) == local
    assert iso(value) == utc
    assert offset_note(value) == note
    # The archive stores the pair as extraction gives it, and its day is the publisher's.
    assert publication(iso(value), local_iso(value)) == (utc, local)


def test_source_zone_from_the_registry_then_the_country():
    assert source_zone("Europe/Istanbul", "SY").key == "Europe/Istanbul"
    assert source_zone(None, "SY").key == "Asia/Damascus"
    assert source_zone(None, "XX") is None and source_zone(None, None) is None
    entry = {"name": "X", "homepage": "https://x.example/", "language": "ar"}
    entry["feeds"] = ["https://x.example/feed"]
    assert parse_source("f.toml", "x", {**entry, "timezone": "Asia/Damascus"}).timezone
    with pytest.raises(SourceConfigError, match="timezone.*IANA"):
        parse_source("f.toml", "x", {**entry, "timezone": "Syria/Damascus"})


# --- pages and feeds ---------------------------------------------------------------------

PAGE = """<!DOCTYPE html><html lang="{lang}"><head><title>{title}</title>{meta}</head>
<body><article><h1>{title}</h1>{printed}<div class="entry-content">{body}</div></article>
</body></html>"""
STORY = "".join(
    f"<p>Paragraph {i} of the report on the night's shelling of the villages south of "
    f"Idlib, where residents said the strikes began shortly after midnight.</p>"
    for i in range(6)
)


def page(title: str, meta: str = "", printed: str = "", lang: str = "en") -> str:
    return PAGE.format(title=title, meta=meta, printed=printed, body=STORY, lang=lang)


def meta_time(value: str) -> str:
    return f'<meta property="article:published_time" content="{value}">'


def test_extract_keeps_the_pages_offset_and_says_what_decided():
    url = "https://news.example.org/shelling-idlib"
    record = extract(page("Night shelling", meta_time("2024-12-08T00:30:00+03:00")), url, now=CRAWL)
    assert record["published"] == "2024-12-07T21:30:00+00:00"
    assert record["published_local"] == "2024-12-08T00:30:00+03:00"
    assert record["date_notes"] == "from page, offset +03:00 as printed"
    # A Syrian source's page printing its local time without an offset: Damascus time.
    url = "https://syrianobserver.com/news/1/shelling-idlib.html"
    record = extract(page("Night shelling", meta_time("2024-12-08T00:30:00")), url, now=CRAWL)
    assert record["published_local"] == "2024-12-08T00:30:00+03:00"
    assert "from page, offset +03:00 from the source's zone Asia/Damascus" in record["date_notes"]
    # A page without a date takes its feed's, offset and all.
    hints = {"published": "2024-12-08T00:30:00+03:00"}
    record = extract(page("Night shelling"), "https://news.example.org/x", hints=hints, now=CRAWL)
    assert record["published_local"] == "2024-12-08T00:30:00+03:00"
    assert record["date_notes"].startswith("from feed, offset +03:00 as printed")


RSS = """<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>T</title>
<item><title>Night shelling</title><link>https://news.example.org/a</link>
<pubDate>Sun, 08 Dec 2024 00:30:00 +0300</pubDate></item>
<item><title>Morning</title><link>https://news.example.org/b</link>
<pubDate>Sun, 08 Dec 2024 09:00:00 GMT</pubDate></item>
</channel></rss>"""


@pytest.fixture
def tokyo_clock(monkeypatch):
    """The machine's local zone is Tokyo (UTC+9), as on a crawler abroad."""
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    assert time.timezone == -9 * 3600
    yield
    monkeypatch.undo()
    time.tzset()


def test_feed_times_are_read_in_utc_whatever_the_machines_zone(tokyo_clock):
    first, second = feedparser.parse(RSS.encode()).entries
    assert entry_hints(first)["published"] == "2024-12-08T00:30:00+03:00"
    assert entry_hints(second)["published"] == "2024-12-08T09:00:00+00:00"
    # Only feedparser's struct (a text it read that we do not): calendar.timegm reads it
    # as the UTC it is; time.mktime took it for Tokyo time, nine hours early.
    entry = feedparser.FeedParserDict(
        link="https://news.example.org/c",
        published="Sonntag, 8. Dezember 2024",
        published_parsed=time.strptime("2024-12-08 09:00", "%Y-%m-%d %H:%M"),
    )
    assert entry_hints(entry)["published"] == "2024-12-08T09:00:00+00:00"


# --- the archive: what is shown, filtered, counted and exported -----------------------------

# (url, what the page declares): the first two are the 8th for their publishers and
# the 7th in UTC; the third is the 1st of December in Damascus, November in UTC.
PAGES = [
    ("https://news.example.org/a", meta_time("2024-12-08T00:30:00+03:00")),
    ("https://news.example.org/b", meta_time("2024-12-08T00:30:00+09:00")),
    ("https://news.example.org/c", meta_time("2024-12-01T01:00:00+03:00")),
    ("https://news.example.org/d", meta_time("2024-12-07T20:00:00+00:00")),
]


@pytest.fixture
def dated(tmp_path) -> Path:
    db = tmp_path / "archive.db"
    with Archive(db) as archive:
        for n, (url, meta) in enumerate(PAGES):
            record, _ = split_extraction(
                extract(page(f"Report {n} from Idlib", meta), url, now=CRAWL)
            )
            archive.upsert({**record, "source": "example"})
    return db


def urls_where(db: Path, **filters) -> list[str]:
    conn = sqlite3.connect(db)
    register_functions(conn)
    rows = find_articles(conn, "", order="oldest", limit=50, **filters)
    assert count_found(conn, "", **filters) == len(rows)
    return sorted(r["url"][-1] for r in rows)


def test_the_publishers_day_is_filtered_counted_and_exported(dated):
    # Search and export filters: a bare date is the publisher's day.
    assert urls_where(dated, since="2024-12-08", until="2024-12-08") == ["a", "b"]
    assert urls_where(dated, until="2024-12-07") == ["c", "d"]
    assert urls_where(dated, since="2024-12-02") == ["a", "b", "d"]
    assert urls_where(dated, since="2024-11-30", until="2024-11-30") == []
    # A time is a moment, in UTC as before.
    assert urls_where(dated, since="2024-12-07T21:00:00Z") == ["a"]
    assert urls_where(dated, since="2024-12-07T15:00:00+00:00", until="2024-12-07T21:00") == [
        "b",
        "d",
    ]
    # Sorting is by the moment, across zones: Tokyo's 00:30 came before Damascus's.
    conn = sqlite3.connect(dated)
    register_functions(conn)
    newest = find_articles(conn, "", order="newest", limit=10)
    assert [r["url"][-1] for r in newest] == ["a", "d", "b", "c"]
    # The precomputed counts (month facet, dashboard) count the publisher's day and month.
    days = dict(conn.execute("SELECT day, sum(n) FROM article_day_counts GROUP BY day").fetchall())
    assert days == {"2024-12-01": 1, "2024-12-07": 1, "2024-12-08": 2}
    months = conn.execute("SELECT month, sum(n) FROM article_counts GROUP BY month").fetchall()
    assert months == [("2024-12", 4)]
    assert counts.check(conn) == {}
    # Exports carry both forms and filter by the publisher's day.
    out = io.StringIO()
    assert export(dated, out, format="csv", since="2024-12-08", until="2024-12-08") == 2
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [(r["published"], r["published_local"]) for r in rows] == [
        ("2024-12-07T21:30:00+00:00", "2024-12-08T00:30:00+03:00"),
        ("2024-12-07T15:30:00+00:00", "2024-12-08T00:30:00+09:00"),
    ]


def test_the_publishers_day_is_shown_in_the_browser(dated):
    from archive.serve import make_datasette

    with sqlite3.connect(dated) as conn:
        # Edits: a's on its publisher's day (22:00 UTC on the 7th), c's the day after its own.
        conn.execute("UPDATE articles SET updated = '2024-12-07T22:00:00+00:00' WHERE id = 1")
        conn.execute("UPDATE articles SET updated = '2024-12-01T21:30:00+00:00' WHERE id = 3")
    ds = make_datasette(dated)

    def get(path: str):
        response = asyncio.run(ds.client.get(path))
        assert response.status_code == 200, response.text[:500]
        return response

    with sqlite3.connect(dated) as conn:
        (first,) = conn.execute("SELECT id FROM articles WHERE url LIKE '%/a'").fetchone()
    article = get(f"/archive/articles/{first}").text
    assert '<time datetime="2024-12-07T21:30:00+00:00">2024-12-08</time>' in article
    assert "(2024-12-08)" in article  # the citation
    assert "updated <time" not in article  # edited the same day, for its publisher
    edited = get("/archive/articles/3").text
    assert 'updated <time datetime="2024-12-01T21:30:00+00:00">2024-12-02</time>' in edited
    # The month facet is the publisher's month: December holds all four.
    facets = get("/archive/articles.json?_size=0").json()["facet_results"]
    months = {r["value"]: r["count"] for r in facets["published_local"]["results"]}
    assert months == {"2024-12": 4}
    # The search page's date filter and its results' days.
    found = get("/archive/search.json?since=2024-12-08&until=2024-12-08").json()
    assert sorted(r["published_local"][:10] for r in found["rows"]) == ["2024-12-08"] * 2
    html = get("/archive/search?since=2024-12-01&until=2024-12-01").text
    assert ">2024-12-01</time>" in html and "Report 2 from Idlib" in html
    # A story's first and last days (its members are one report four times; in UTC they
    # were 30 November and 7 December).
    (story,) = get("/archive/same_story.json?min_outlets=1&_shape=objects").json()["rows"]
    assert (story["first_published"], story["last_published"]) == ("2024-12-01", "2024-12-08")
    # The per-day table and the dashboard's chart count the publisher's days.
    per_day = get("/archive/articles_per_day.json?source=&since=2024-12-08&_shape=objects")
    assert per_day.json()["rows"] == [{"day": "2024-12-08", "source": "example", "articles": 2}]


def test_an_edit_is_dated_in_the_publishers_offset():
    local = "2024-12-08T00:30:00+03:00"
    assert day_in_offset("2024-12-07T22:00:00+00:00", local) == "2024-12-08"
    assert day_in_offset("2024-12-08T21:30:00+00:00", local) == "2024-12-09"
    assert day_in_offset("2024-12-07T22:00:00+00:00", "2024-12-08") == "2024-12-07"
    assert day_in_offset(None, local) == ""


def test_date_filter_narrows_on_the_utc_index_first():
    clauses, params = date_filter("2024-12-08", "2024-12-08", "articles")
    assert clauses[0].startswith("articles.published >= ?")
    assert params == [
        "2024-12-07T10:00:00+00:00",
        "2024-12-08",
        "2024-12-09T14:00:00+00:00",
        "2024-12-09",
    ]


# --- upgrading an archive of the previous schema ---------------------------------------------


def _downgrade_to_9(db: Path) -> None:
    """The archive as schema 9 kept it: no published_local, counted by published."""
    with archive_as_schema(db, 9) as conn:
        for trigger in ("insert", "delete", "update"):
            conn.execute(f"DROP TRIGGER articles_counted_{trigger}")
        conn.execute("ALTER TABLE articles DROP COLUMN published_local")
        for statement in ddl_statements(SCHEMA):
            if "articles_counted_" in statement.split("\n", 1)[0]:
                old = statement.replace("published, published_local, tags", "published, tags")
                old = old.replace("OR OLD.published_local IS NOT NEW.published_local ", "")
                for row in ("NEW", "OLD"):
                    old = old.replace(
                        f"coalesce({row}.published_local, {row}.published)", f"{row}.published"
                    )
                assert "published_local" not in old
                conn.execute(old)


def test_an_archive_of_schema_9_gets_the_publishers_day(tmp_path):
    assert SCHEMA_VERSION >= 10
    db = tmp_path / "archive.db"
    Archive(db).close()
    _downgrade_to_9(db)
    conn = sqlite3.connect(db)
    rows = [
        # extraction stored UTC: the offset is lost (21:30 UTC was 00:30 in Damascus)
        ("a", "2024-12-07T21:30:00+00:00", "from page"),
        # a record given with its offset (an import) was stored as given
        ("b", "2024-12-08T00:30:00+09:00", None),
        # a day, and no date at all
        ("c", "2024-12-01", "from url"),
        ("d", None, None),
    ]
    for name, published, notes in rows:
        conn.execute(
            "INSERT INTO articles (url, canonical_url, source, title, body, published, "
            "date_notes, first_seen, last_seen) VALUES (?, ?, 'example', ?, 'Body', ?, ?, "
            "'2024-12-09', '2024-12-09')",
            [f"https://e.example/{name}", f"https://e.example/{name}", name, published, notes],
        )
    conn.commit()
    conn.close()

    with Archive(db) as archive:
        conn = archive.db.conn
        stored = {
            r[0][-1]: r[1:]
            for r in conn.execute(
                "SELECT url, published, published_local, date_notes FROM articles"
            )
        }
        assert stored == {
            "a": (
                "2024-12-07T21:30:00+00:00",
                "2024-12-07T21:30:00+00:00",
                f"from page; {UNKNOWN_OFFSET_NOTE}",
            ),
            "b": ("2024-12-07T15:30:00+00:00", "2024-12-08T00:30:00+09:00", None),
            "c": ("2024-12-01", "2024-12-01", "from url"),
            "d": (None, None, None),
        }
        assert schema_version(db) == SCHEMA_VERSION
        assert counts.check(conn) == {}
        days = dict(conn.execute("SELECT day, n FROM article_day_counts").fetchall())
        assert days == {"2024-12-07": 1, "2024-12-08": 1, "2024-12-01": 1, None: 1}
        # A new fetch of the page (or re-extraction) says the offset: the day moves, and
        # the counts with it.
        record = extract(
            page("a", meta_time("2024-12-08T00:30:00+03:00")), "https://e.example/a", now=CRAWL
        )
        archive.upsert(
            {
                "source": "example",
                "url": "https://e.example/a",
                "title": "a",
                "body": "Body",
                "published": record["published"],
                "published_local": record["published_local"],
                "date_notes": record["date_notes"],
            }
        )
        archive.flush()
        row = conn.execute(
            "SELECT published_local, date_notes FROM articles WHERE url LIKE '%/a'"
        ).fetchone()
        assert row == ("2024-12-08T00:30:00+03:00", "from page, offset +03:00 as printed")
        assert counts.check(conn) == {}
        days = dict(conn.execute("SELECT day, n FROM article_day_counts").fetchall())
        assert days == {"2024-12-08": 2, "2024-12-01": 1, None: 1}


def test_reextraction_gives_an_upgraded_article_its_publishers_day(tmp_path):
    db = tmp_path / "archive.db"
    url = "https://syrianobserver.com/news/1/shelling-idlib.html"
    html = page("Night shelling south of Idlib", meta_time("2024-12-08T00:30:00+03:00"))
    record, _ = split_extraction(extract(html, url, now=CRAWL))
    with Archive(db) as archive:
        archive.upsert(
            # as schema 9 stored it: in UTC
            {**record, "source": "syrianobserver", "published_local": None, "date_notes": None},
            capture=Capture(url=url, status=200, body=html.encode(), fetched_at=iso(CRAWL)),
        )
    _downgrade_to_9(db)
    with Archive(db) as archive:
        (row,) = archive.db.execute("SELECT published_local, date_notes FROM articles").fetchall()
        assert row == ("2024-12-07T21:30:00+00:00", UNKNOWN_OFFSET_NOTE)
    reextract(db)
    with Archive(db) as archive:
        (row,) = archive.db.execute(
            "SELECT published, published_local, date_notes FROM articles"
        ).fetchall()
    assert row == (
        "2024-12-07T21:30:00+00:00",
        "2024-12-08T00:30:00+03:00",
        "from page, offset +03:00 as printed",
    )
