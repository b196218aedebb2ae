"""archive.store: schema, upsert outcomes, batching, failure safety, search."""

import hashlib
import json
import random
import sqlite3
import subprocess
import sys
import textwrap
import zlib

import pytest

from archive.hashes import NEAR_DUPLICATE_DISTANCE, hamming, simhash
from archive.store import SCHEMA_VERSION, Archive, ArchiveError, Capture, Outcome
from tests.schema_versions import archive_as_schema, schema_version

VOCABULARY = (
    "damascus aleppo homs idlib government council ministry residents said on tuesday "
    "electricity water fuel prices market farmers harvest wheat border crossing aid convoy "
    "report officials statement week month year families return villages schools hospital "
    "road reopened talks delegation meeting security forces local sources confirmed that the "
    "a of in and to for with by from after before during while new old second third"
).split()


def story(seed: int, words: int = 400) -> str:
    """Deterministic article-like text; different seeds give unrelated texts."""
    rng = random.Random(seed)
    sentences = []
    while sum(len(s.split()) for s in sentences) < words:
        sentences.append(" ".join(rng.choice(VOCABULARY) for _ in range(rng.randint(8, 20))) + ".")
    paragraphs = [" ".join(sentences[i : i + 4]) for i in range(0, len(sentences), 4)]
    return "\n\n".join(paragraphs)


def record(url: str, body: str, *, source: str = "syrianobserver", **extra) -> dict:
    rec = {
        "source": source,
        "url": url,
        "title": extra.pop("title", "Power cuts grow longer in Damascus"),
        "summary": "Residents report two hours of power in eight.",
        "body": body,
        "authors": ["Enab Baladi"],
        "published": "2024-05-01T08:00:00+00:00",
        "language": "en",
        "tags": ["Damascus", "Electricity"],
        "translated": True,
        "extractor_version": "1",
    }
    rec.update(extra)
    return rec


@pytest.fixture()
def db_path(tmp_path):
    return tmp_path / "archive.db"


@pytest.fixture()
def archive(db_path):
    with Archive(db_path) as a:
        yield a


def reader(db_path) -> sqlite3.Connection:
    """A second, independent connection, as datasette would open."""
    return sqlite3.connect(db_path)


def count_articles(db_path) -> int:
    conn = reader(db_path)
    try:
        return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    finally:
        conn.close()


# --- schema -------------------------------------------------------------------


def test_schema_wal_and_meta(db_path):
    with Archive(db_path) as a:
        assert a.db.journal_mode == "wal"
        tables = set(a.db.table_names())
        assert {
            "meta",
            "articles",
            "url_aliases",
            "revisions",
            "captures",
            "page_bodies",
            "sources",
            "feeds",
            "crawl_runs",
            "failures",
            "not_articles",
            "articles_fts",
        } <= tables
        assert a.db["meta"].get("schema_version")["value"] == str(SCHEMA_VERSION)
        sql = a.db.execute("SELECT sql FROM sqlite_master WHERE name = 'articles_fts'").fetchone()
        assert "unicode61 remove_diacritics 2" in sql[0]
        indexes = {i.name for i in a.db["articles"].indexes}
        for name in ("source", "published_source", "content_hash", "band0", "band3"):
            assert f"idx_articles_{name}" in indexes
    # reopening is idempotent and keeps data
    with Archive(db_path) as a:
        a.upsert(record("https://e.com/1", story(1)))
    with Archive(db_path) as a:
        assert a.stats()["articles"] == 1
        assert (
            a.db.execute("SELECT count(*) FROM meta WHERE key = 'schema_version'").fetchone()[0]
            == 1
        )


def test_newer_schema_is_refused(db_path):
    Archive(db_path).close()
    with archive_as_schema(db_path, 999):
        pass  # a version from a later release: nothing of it is known here
    with pytest.raises(ArchiveError, match="schema version 999"):
        Archive(db_path)


def test_not_a_database_is_a_clear_error(tmp_path):
    bad = tmp_path / "notes.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(ArchiveError, match="cannot open archive"):
        Archive(bad)


# --- upsert outcomes -------------------------------------------------------------


def test_new_then_unchanged_moves_only_last_seen(archive):
    body = story(1)
    first = archive.upsert(record("https://e.com/a", body), now="2024-05-01T09:00:00+00:00")
    assert first.outcome is Outcome.NEW and first.outcome == "new"
    assert first.canonical_url == "https://e.com/a" and first.near_duplicate_of is None
    again = archive.upsert(
        record("https://e.com/a", "  " + body.upper() + "\n"), now="2024-05-02T09:00:00+00:00"
    )
    assert again.outcome is Outcome.UNCHANGED and again.article_id == first.article_id
    row = archive.get(first.article_id)
    assert row["first_seen"] == "2024-05-01T09:00:00+00:00"
    assert row["last_seen"] == "2024-05-02T09:00:00+00:00"
    assert row["body"] == body  # the stored text is not replaced
    assert row["authors"] == ["Enab Baladi"] and row["tags"] == ["Damascus", "Electricity"]
    assert row["translated"] is True
    assert row["word_count"] == len(body.split())
    assert len(row["simhash"]) == 16 and int(row["simhash"], 16) == simhash(body)
    assert archive.db.execute("SELECT count(*) FROM revisions").fetchone()[0] == 0


@pytest.mark.parametrize(
    "image",
    [
        "javascript:alert(document.cookie)",
        " JavaScript:alert(1)",
        "data:image/svg+xml,<svg/>",
        "//",
    ],
)
def test_only_an_http_image_is_stored(archive, image):
    kept = archive.upsert(record("https://e.com/a", story(1), image="https://e.com/i.jpg"))
    dropped = archive.upsert(record("https://e.com/b", story(2), image=image))
    assert archive.get(kept.article_id)["image"] == "https://e.com/i.jpg"
    assert archive.get(dropped.article_id)["image"] is None


def test_unchanged_fills_missing_metadata_but_never_erases(archive):
    rec = record("https://e.com/a", story(1), published=None, image=None, authors=[])
    aid = archive.upsert(rec).article_id
    archive.upsert(
        record("https://e.com/a", story(1), image="https://e.com/i.jpg", authors=["A. Writer"])
    )
    row = archive.get(aid)
    assert row["published"] == "2024-05-01T08:00:00+00:00"
    assert row["image"] == "https://e.com/i.jpg" and row["authors"] == ["A. Writer"]
    archive.upsert(record("https://e.com/a", story(1), published=None, image=None, authors=[]))
    assert archive.get(aid)["published"] == "2024-05-01T08:00:00+00:00"


def test_revised_keeps_the_earlier_version(archive):
    old_body, new_body = story(1), story(1) + "\n\nUpdate: power returned on Wednesday."
    aid = archive.upsert(record("https://e.com/a", old_body), now="2024-05-01T09:00:00+00:00")
    aid = aid.article_id
    result = archive.upsert(
        record("https://e.com/a", new_body, title="Power returns", extractor_version="2"),
        now="2024-05-03T09:00:00+00:00",
    )
    assert result.outcome is Outcome.REVISED and result.article_id == aid
    row = archive.get(aid)
    assert row["body"] == new_body and row["title"] == "Power returns"
    assert row["first_seen"] == "2024-05-01T09:00:00+00:00"
    revisions = list(archive.db.query("SELECT * FROM revisions WHERE article_id = ?", [aid]))
    assert len(revisions) == 1
    old = revisions[0]
    assert old["body"] == old_body and old["title"] == "Power cuts grow longer in Damascus"
    assert old["extractor_version"] == "1" and old["revised_at"] == "2024-05-03T09:00:00+00:00"
    assert json.loads(old["tags"]) == ["Damascus", "Electricity"]
    # the search index follows the new text
    assert [r["id"] for r in archive.search("Wednesday")] == [aid]
    assert [r["id"] for r in archive.search('"Power returns"')] == [aid]


def test_known_alias_is_treated_as_its_article(archive):
    aid = archive.upsert(
        record("https://e.com/a", story(1)), aliases=[("https://e.com/?p=7", "redirect")]
    ).article_id
    same = archive.upsert(record("https://e.com/?p=7", story(1)))
    assert same.outcome is Outcome.UNCHANGED and same.article_id == aid
    assert same.canonical_url == "https://e.com/a"
    changed = archive.upsert(record("https://e.com/?p=7", story(1) + " More."))
    assert changed.outcome is Outcome.REVISED and changed.article_id == aid
    assert archive.stats()["articles"] == 1


def test_same_content_at_a_new_url_is_an_alias(archive):
    aid = archive.upsert(record("https://e.com/a", story(1))).article_id
    result = archive.upsert(record("https://e.com/print/a", story(1)))
    assert result.outcome is Outcome.ALIAS
    assert result.article_id == aid and result.canonical_url == "https://e.com/a"
    assert archive.stats()["articles"] == 1
    alias = archive.db["url_aliases"].get("https://e.com/print/a")
    assert alias["article_id"] == aid and alias["kind"] == "same-content"
    assert archive.lookup("https://e.com/print/a") == aid


def test_same_content_in_another_source_is_linked_not_aliased(archive):
    first = archive.upsert(record("https://e.com/a", story(1)))
    copy = archive.upsert(record("https://other.org/x", story(1), source="sana"))
    assert copy.outcome is Outcome.NEAR_DUPLICATE
    assert copy.article_id != first.article_id
    assert copy.near_duplicate_of == first.article_id
    assert archive.get(copy.article_id)["near_duplicate_of"] == first.article_id


def test_near_duplicate_across_sources(archive):
    body = story(1)
    edited = body.replace(" ", " the ", 1)  # one word inserted
    assert hamming(simhash(body), simhash(edited)) <= NEAR_DUPLICATE_DISTANCE
    first = archive.upsert(record("https://e.com/a", body))
    unrelated = archive.upsert(record("https://e.com/b", story(2)))
    assert unrelated.outcome is Outcome.NEW
    copy = archive.upsert(record("https://sana.sy/x", edited, source="sana"))
    assert copy.outcome is Outcome.NEAR_DUPLICATE
    assert copy.near_duplicate_of == first.article_id
    # a third copy links to the first article of the cluster
    third = archive.upsert(record("https://enab.net/y", edited + " Ends.", source="enab"))
    assert third.near_duplicate_of == first.article_id
    assert archive.stats()["near_duplicates"] == 2


def test_short_or_empty_bodies_are_never_deduplicated(archive):
    a = archive.upsert(record("https://e.com/video/1", "", title="Video"))
    b = archive.upsert(record("https://e.com/video/2", "", title="Video"))
    c = archive.upsert(record("https://other.org/brief", "Ceasefire holds.", source="sana"))
    d = archive.upsert(record("https://e.com/brief", "Ceasefire holds."))
    assert [r.outcome for r in (a, b, c, d)] == [Outcome.NEW] * 4
    assert len({a.article_id, b.article_id, c.article_id, d.article_id}) == 4


def test_aliases_are_recorded_and_looked_up(archive):
    url = "https://syrianobserver.com/news/1/a.html"
    feed_link = "http://www.syrianobserver.com/news/1/a.html?utm_source=rss&utm_medium=feed"
    aid = archive.upsert(
        record(url, story(1)),
        aliases=[
            feed_link,
            ("https://syrianobserver.com/news/1/a.html/amp/", "amp"),
            ("http://syrianobserver.com/?p=1", "redirect"),
            url,  # the canonical url itself is never an alias
        ],
    ).article_id
    rows = {r["url"]: r["kind"] for r in archive.db.query("SELECT * FROM url_aliases")}
    assert rows[feed_link] == "tracking"
    assert rows["https://syrianobserver.com/news/1/a.html/amp/"] == "amp"
    assert rows["http://syrianobserver.com/?p=1"] == "redirect"
    assert rows["https://syrianobserver.com/?p=1"] == "redirect"  # its canonical form too
    assert url not in rows
    for candidate in (url, feed_link, "http://syrianobserver.com/?p=1", url + "#top"):
        assert archive.lookup(candidate) == aid
    assert archive.lookup("https://syrianobserver.com/news/2/b.html") is None
    archive.flush()  # what a run archived before: committed, read on a connection of its own
    archived = archive.archived_urls("syrianobserver")
    assert url in archived and feed_link in archived
    assert url not in archive.archived_urls("sana")


def test_archived_urls_are_the_sources_as_the_run_began(archive):
    """What a crawl asks of each link (archive.reads.ArchivedUrls), without holding the
    source's URLs in memory."""
    old = "https://syrianobserver.com/news/1/a.html"
    archive.upsert(record(old, story(1)), aliases=[("http://syrianobserver.com/?p=1", "redirect")])
    archive.flush()
    archived = archive.archived_urls("syrianobserver", also={"https://syrianobserver.com/notice"})
    new = "https://syrianobserver.com/news/2/b.html"
    archive.upsert(record(new, story(2)))
    archive.flush()
    assert old in archived and "http://syrianobserver.com/?p=1" in archived
    assert "https://syrianobserver.com/notice" in archived  # a poll's page judged no article
    # Stored by this run: a listing that shows it has not been read already.
    assert new not in archived
    assert old not in archive.archived_urls("sana")
    archived.close()
    # A distributed worker's archive is in memory and holds nothing.
    with Archive(":memory:") as in_memory:
        assert old not in in_memory.archived_urls("syrianobserver")


def test_a_runs_aliases_are_read_back_from_the_frontier_a_batch_at_a_time(archive):
    """The pipeline records a run's aliases when it ends, read from the frontier (not held
    in memory): every one found since the run began, more than a batch of them, in order."""
    archive.add_link("s", "https://s.example/old-alias", "alias", {"canonical": "c"}, [])
    archive.flush()
    since = "2000-01-01T00:00:00+00:00"
    archive.db.execute("UPDATE frontier SET at = '1999-12-31T00:00:00+00:00'")  # a run before
    found = [f"https://s.example/a/{k}" for k in range(2500)]
    for k, url in enumerate(found):
        archive.add_link("s", url, "alias", {"canonical": f"https://s.example/{k}"}, [])
        archive.add_link("s", url + "x", "feed", {}, [])  # an article link: not an alias
        archive.add_link("t", url, "alias", {"canonical": "c"}, [])  # another source's
    archive.flush()
    read = list(archive.frontier_links("s", since, "alias"))
    assert [url for url, _ in read] == found
    assert read[7][1] == {"canonical": "https://s.example/7"}


def test_an_alias_never_shadows_another_article(archive):
    a = archive.upsert(record("https://e.com/a", story(1))).article_id
    b = archive.upsert(record("https://e.com/b", story(2)), aliases=["https://e.com/a"])
    assert archive.lookup("https://e.com/a") == a
    assert archive.lookup("https://e.com/b") == b.article_id


def test_captures_are_stored_compressed_once_per_content(archive):
    html = ("<html><body><p>سَانَا</p>" + "<p>x</p>" * 500 + "</body></html>").encode()
    capture = Capture(
        url="https://e.com/a?utm_source=x",
        status=200,
        body=html,
        fetched_at="2024-05-01",
        content_type="text/html",
        encoding="utf-8",
        headers=[("Content-Type", "text/html"), ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2")],
    )
    aid = archive.upsert(record("https://e.com/a", story(1)), capture=capture).article_id
    stored = archive.db.execute("SELECT body, sha256 FROM page_bodies").fetchone()
    assert len(stored[0]) < len(html) and zlib.decompress(stored[0]) == html
    assert stored[1] == hashlib.sha256(html).hexdigest()
    (page,) = archive.captures(aid)
    assert page.body == html and page.url == capture.url and page.status == 200
    assert page.headers == capture.headers  # order and repeated names kept
    assert [(a, p.body) for a, p in archive.iter_captures("syrianobserver")] == [(aid, html)]
    # The same page fetched again costs a row, not a copy; nothing is replaced.
    again = Capture(url="https://e.com/a", status=200, body=html, fetched_at="2024-05-02")
    archive.upsert(record("https://e.com/a", story(1)), capture=again)
    assert [c.fetched_at for c in archive.captures(aid)] == ["2024-05-01", "2024-05-02"]
    assert archive.db.execute("SELECT count(*) FROM page_bodies").fetchone()[0] == 1
    assert archive.latest_capture(aid).fetched_at == "2024-05-02"


def test_an_archive_of_schema_1_is_upgraded_keeping_its_pages(db_path):
    html = b"<html><body><p>old page</p></body></html>"
    conn = sqlite3.connect(db_path)
    conn.executescript(
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
        INSERT INTO meta VALUES ('schema_version', '1');
        CREATE TABLE articles (id INTEGER PRIMARY KEY, url TEXT UNIQUE NOT NULL, source TEXT,
            title TEXT, summary TEXT, body TEXT, authors TEXT, published TEXT, updated TEXT,
            language TEXT, section TEXT, tags TEXT, editorial_note TEXT,
            translated INTEGER NOT NULL DEFAULT 0, original_source TEXT, original_stance TEXT,
            image TEXT, word_count INTEGER, content_hash TEXT, simhash TEXT, band0 INTEGER,
            band1 INTEGER, band2 INTEGER, band3 INTEGER, near_duplicate_of INTEGER,
            first_seen TEXT NOT NULL, last_seen TEXT NOT NULL, extractor_version TEXT,
            date_notes TEXT);
        CREATE TABLE raw_pages (url TEXT PRIMARY KEY, fetched_url TEXT, fetched_at TEXT,
            status INTEGER, content_type TEXT, encoding TEXT, html BLOB, sha256 TEXT);
        """
    )
    conn.execute(
        "INSERT INTO articles (url, source, title, body, first_seen, last_seen, content_hash) "
        "VALUES ('https://e.com/a', 's', 'T', 'B', '2024', '2024', 'h')"
    )
    conn.execute(
        "INSERT INTO raw_pages VALUES ('https://e.com/a', 'https://e.com/a?x', '2024', 200, "
        "'text/html', 'utf-8', ?, ?)",
        [zlib.compress(html), hashlib.sha256(html).hexdigest()],
    )
    conn.commit()
    conn.close()
    with Archive(db_path) as a:
        assert a.db["meta"].get("schema_version")["value"] == str(SCHEMA_VERSION)
        assert "raw_pages" not in a.db.table_names()
        aid = a.lookup("https://e.com/a")
        assert a.get(aid)["canonical_url"] == "https://e.com/a"
        (capture,) = a.captures(aid)
        assert capture.body == html and capture.url == "https://e.com/a?x"


def test_an_archive_of_schema_11_gets_the_partial_url_index_and_finds_by_either_url(db_path):
    """Schema 12 indexes an article's URL as published only where it is not its canonical
    URL; an upgraded archive finds its articles by either URL as before."""
    with Archive(db_path) as a:
        a.upsert(record("https://e.com/same", story(1)))
        a.upsert(
            {**record("https://e.com/served?id=2", story(2)), "canonical_url": "https://e.com/two"}
        )
    with archive_as_schema(db_path, 11) as conn:
        conn.execute("DROP INDEX idx_articles_url")
        conn.execute("CREATE INDEX idx_articles_url ON articles(url)")  # as version 11 had it
    with Archive(db_path) as a:
        (sql,) = a.db.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'idx_articles_url'"
        ).fetchone()
        assert "WHERE url != canonical_url" in sql
        assert a.lookup("https://e.com/same") is not None
        assert a.lookup("https://e.com/served?id=2") == a.lookup("https://e.com/two") is not None
        assert a.add_alias("https://e.com/two", "https://e.com/served?id=2") is False  # known


def test_an_archive_of_schema_12_loses_the_indexes_no_query_needs(db_path):
    """Schema 13 drops two indexes every new article wrote to and no query reads."""
    with Archive(db_path) as a:
        a.upsert(record("https://e.com/a", story(1)))
    with archive_as_schema(db_path, 12) as conn:  # as version 12 had them
        conn.execute("CREATE INDEX idx_articles_published ON articles(published)")
        conn.execute("CREATE INDEX idx_captures_sha256 ON captures(sha256)")
    with Archive(db_path) as a:
        names = {n for (n,) in a.db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert a.lookup("https://e.com/a") is not None
    assert schema_version(db_path) == SCHEMA_VERSION
    assert not names & {"idx_articles_published", "idx_captures_sha256"}
    assert "idx_articles_published_source" in names


# An index whose columns begin another's is a second B-tree to write for nothing, unless
# its own order (equal keys in rowid order) is read: a source's articles by id.
PREFIX_INDEXES_READ_IN_ROWID_ORDER = {"idx_articles_source"}


def test_no_index_only_repeats_the_beginning_of_another(archive):
    conn = archive.db.conn
    columns = {}
    for name, table in conn.execute(
        "SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        "AND sql NOT LIKE '% WHERE %'"  # a partial index holds other rows
    ):
        columns[name] = (table, [row[2] for row in conn.execute(f"PRAGMA index_info({name})")])
    repeating = {
        name
        for name, (table, cols) in columns.items()
        for other, (other_table, other_cols) in columns.items()
        if other != name and table == other_table and other_cols[: len(cols)] == cols
    }
    assert repeating == PREFIX_INDEXES_READ_IN_ROWID_ORDER


def test_bad_records_are_rejected(archive):
    with pytest.raises(ValueError, match="unknown record fields: bodyy"):
        archive.upsert({"source": "s", "url": "https://e.com/a", "bodyy": "x"})
    with pytest.raises(ValueError, match="needs a url"):
        archive.upsert({"source": "s", "url": " "})
    with pytest.raises(ValueError, match="unknown alias kind"):
        archive.upsert(record("https://e.com/a", "x"), aliases=[("https://e.com/b", "mirror")])
    assert archive.stats()["articles"] == 0


# --- batching, crashes and failures ---------------------------------------------------


def test_writes_are_batched_and_readers_see_only_commits(db_path):
    with Archive(db_path, batch_size=3) as a:
        a.upsert(record("https://e.com/1", story(1)))
        a.upsert(record("https://e.com/2", story(2)))
        assert count_articles(db_path) == 0  # a reader does not see the open batch
        a.upsert(record("https://e.com/3", story(3)))
        assert count_articles(db_path) == 3  # batch full: committed
        a.upsert(record("https://e.com/4", story(4)))
        assert count_articles(db_path) == 3
        a.flush()
        assert count_articles(db_path) == 4
        a.upsert(record("https://e.com/5", story(5)))
    assert count_articles(db_path) == 5  # leaving the block flushes


CRASHING_WRITER = textwrap.dedent(
    """
    import os, sys
    sys.path[:0] = [{tests!r}]
    from test_archive_store import record, story
    from archive.store import Archive

    a = Archive(sys.argv[1], batch_size=50, max_batch_seconds=None)
    for i in range(120):
        a.upsert(record(f"https://e.com/{{i}}", story(i)))
    os._exit(1)  # killed: no flush, no close
    """
)


def test_crash_loses_at_most_the_last_batch_and_redo_has_no_duplicates(db_path):
    script = CRASHING_WRITER.format(tests=str(__import__("pathlib").Path(__file__).parent))
    proc = subprocess.run([sys.executable, "-c", script, str(db_path)], capture_output=True)
    assert proc.returncode == 1, proc.stderr.decode()
    assert count_articles(db_path) == 100  # two full batches committed, 20 lost
    outcomes = []
    with Archive(db_path) as a:
        for i in range(120):
            outcomes.append(a.upsert(record(f"https://e.com/{i}", story(i))).outcome)
    assert outcomes.count(Outcome.UNCHANGED) == 100
    assert outcomes.count(Outcome.NEW) == 20
    assert count_articles(db_path) == 120
    conn = reader(db_path)
    assert conn.execute("SELECT count(DISTINCT url) FROM articles").fetchone()[0] == 120
    fts = conn.execute("SELECT count(*) FROM articles_fts").fetchone()[0]
    assert fts == 120  # the index matches the table
    conn.close()


def test_disk_full_raises_archive_error_and_keeps_committed_data(db_path):
    a = Archive(db_path, batch_size=10)
    for i in range(3):
        a.upsert(record(f"https://e.com/{i}", story(i)))
    a.flush()
    a.upsert(record("https://e.com/pending", story(50)))  # in the open batch
    pages = a.db.execute("PRAGMA page_count").fetchone()[0]
    a.db.execute(f"PRAGMA max_page_count = {pages + 2}")  # the disk is nearly full
    huge = " ".join(story(i, 2000) for i in range(100, 110))
    with pytest.raises(ArchiveError) as err:
        a.upsert(record("https://e.com/huge", huge))
    message = str(err.value)
    assert "https://e.com/huge" in message and "full" in message
    assert err.value.url == "https://e.com/huge"
    assert err.value.lost_urls == ["https://e.com/pending", "https://e.com/huge"]
    assert isinstance(err.value.__cause__, sqlite3.OperationalError)
    a.close()  # nothing left to flush; closes cleanly
    with Archive(db_path) as again:
        assert again.stats()["articles"] == 3
        assert again.lookup("https://e.com/pending") is None
        assert [r["id"] for r in again.search("damascus")] != []
        # the archive is usable again once space is back
        assert again.upsert(record("https://e.com/huge", huge)).outcome is Outcome.NEW


# --- search ----------------------------------------------------------------------


@pytest.fixture()
def arabic(archive):
    ids = {}
    ids["sana"] = archive.upsert(
        record(
            "https://sana.sy/1",
            "قالت وكالة سَانَا إن الأسواق في دمشق شهدت ازدحاماً كبيراً.",
            source="sana",
            title="أسواق دمشق",
            language="ar",
        )
    ).article_id
    ids["akhbar"] = archive.upsert(
        record(
            "https://enab.net/2",
            "نشرت الأخبار عن انقطاع الكهرباء في عام ٢٠٢٤ وعودة الأهالي.",
            source="enab",
            title="الكهرباء",
            language="ar",
            tags=["الأخبار المحلية"],
        )
    ).article_id
    ids["plain"] = archive.upsert(
        record(
            "https://enab.net/3",
            "تقرير الاخبار اليومي من حلب.",
            source="enab",
            title="تقرير",
            language="ar",
        )
    ).article_id
    return ids


def _ids(results):
    return {r["id"] for r in results}


def test_search_folds_arabic(archive, arabic):
    assert _ids(archive.search("سانا")) == {arabic["sana"]}
    assert _ids(archive.search("سَانَا")) == {arabic["sana"]}
    assert _ids(archive.search("الاخبار")) == {arabic["akhbar"], arabic["plain"]}
    assert _ids(archive.search("الأخبار")) == {arabic["akhbar"], arabic["plain"]}
    assert _ids(archive.search("2024")) == {arabic["akhbar"]}
    assert _ids(archive.search("٢٠٢٤")) == {arabic["akhbar"]}
    assert _ids(archive.search("المحليه")) == {arabic["akhbar"]}  # tags are indexed too


def test_search_filters_ranks_and_survives_odd_queries(archive, arabic):
    assert _ids(archive.search("الاخبار", source="sana")) == set()
    assert _ids(archive.search("الاخبار", source="enab")) == {arabic["akhbar"], arabic["plain"]}
    assert len(archive.search("الاخبار", limit=1)) == 1
    # a title match ranks above a body match
    archive.upsert(record("https://e.com/t", "Body about markets.", title="Wheat harvest"))
    archive.upsert(record("https://e.com/b", "The wheat harvest began late.", title="Farms"))
    results = archive.search("wheat harvest")
    assert [r["url"] for r in results] == ["https://e.com/t", "https://e.com/b"]
    assert results[0]["tags"] == ["Damascus", "Electricity"] and "snippet" in results[0]
    for odd in ("al-Assad", "10:30 AM", 'say "hello', "(unbalanced", "AND", "- : ."):
        archive.search(odd)  # never an FTS syntax error


# --- runs, failures, sources, feeds -------------------------------------------------


def test_runs_count_outcomes(db_path):
    with Archive(db_path, batch_size=2) as a:
        run = a.start_run("crawl", "syrianobserver")
        assert a.db["crawl_runs"].get(run)["status"] == "running"
        for i in range(3):
            a.count(run, a.upsert(record(f"https://e.com/{i}", story(i))).outcome)
        a.count(run, "near-duplicate")
        a.count(run, "requests", 10)
        a.count(run, "not_article")
        a.count(run, "sitemaps", 2)  # no column: kept in extra_counts
        # progress is visible to readers at each batch commit (the counts of
        # the upsert that filled the batch land with the next commit)
        conn = reader(db_path)
        assert conn.execute("SELECT new FROM crawl_runs").fetchone()[0] == 1
        conn.close()
        row = a.finish_run(run)
    assert row["status"] == "finished" and row["error"] is None
    assert (row["new"], row["near_duplicate"], row["requests"], row["not_article"]) == (3, 1, 10, 1)
    assert json.loads(row["extra_counts"]) == {"sitemaps": 2}
    assert row["finished"] >= row["started"] and row["duration_s"] >= 0
    with Archive(db_path) as a:
        failed = a.finish_run(a.start_run("poll"), status="failed", error="boom")
        assert failed["status"] == "failed" and failed["error"] == "boom"
        with pytest.raises(ValueError, match="unknown run status"):
            a.finish_run(run, status="done")


def test_failures_are_recorded_and_committed(db_path):
    with Archive(db_path) as a:
        run = a.start_run("crawl", "sana")
        a.record_failure(run, "sana", "https://sana.sy/x", "fetch", "HTTP 503")
        conn = reader(db_path)  # committed at once when no batch is open
        row = conn.execute("SELECT run_id, source, url, stage, error FROM failures").fetchone()
        conn.close()
        assert row == (run, "sana", "https://sana.sy/x", "fetch", "HTTP 503")
        assert a.stats()["failures"] == 1


def test_sources_and_feeds(archive):
    entry = {
        "id": "sana",
        "name": "SANA",
        "homepage": "https://sana.sy/",
        "language": "ar",
        "poll_interval": 900,
        "feeds": ["https://sana.sy/feed/"],  # not a sources column: ignored
    }
    assert archive.sync_sources([entry]) == 1
    archive.update_source("sana", consecutive_failures=3, last_error="timeout")
    archive.sync_sources([dict(entry, name="SANA news", poll_interval=600)])
    row = archive.source("sana")
    assert (row["name"], row["poll_interval"], row["enabled"]) == ("SANA news", 600, 1)
    assert (row["consecutive_failures"], row["last_error"]) == (3, "timeout")  # kept
    with pytest.raises(ValueError, match="unknown sources fields: colour"):
        archive.update_source("sana", colour="red")

    assert archive.feed_state("https://sana.sy/feed/") is None
    archive.save_feed_state("https://sana.sy/feed/", "sana", etag='"abc"', last_status=200)
    archive.save_feed_state("https://sana.sy/feed/", "sana", last_status=304)
    state = archive.feed_state("https://sana.sy/feed/")
    assert (state["etag"], state["last_status"], state["source"]) == ('"abc"', 304, "sana")


def test_stats(archive):
    archive.upsert(record("https://e.com/1", story(1)))
    archive.upsert(record("https://sana.sy/1", story(2), source="sana"))
    archive.upsert(record("https://sana.sy/2", story(3), source="sana"))
    stats = archive.stats()
    assert stats["articles"] == 3
    assert stats["per_source"] == {"sana": 2, "syrianobserver": 1}


def test_locked_database_is_an_archive_error_and_close_is_idempotent(db_path):
    Archive(db_path).close()
    other = sqlite3.connect(db_path)
    other.execute("BEGIN IMMEDIATE")  # another writer holds the lock
    a = Archive(db_path, timeout=0.1)
    with pytest.raises(ArchiveError, match="locked"):
        a.upsert(record("https://e.com/1", story(1)))
    other.rollback()
    other.close()
    assert a.upsert(record("https://e.com/1", story(1))).outcome is Outcome.NEW
    a.close()
    a.close()
    assert count_articles(db_path) == 1


def test_wrong_field_types_are_rejected_before_writing(archive):
    with pytest.raises(ValueError, match="title must be text"):
        archive.upsert(record("https://e.com/a", "x", title=["not", "text"]))
    assert archive.upsert(record("https://e.com/a", "x", authors="One Author")).outcome == "new"
    assert archive.get(1)["authors"] == ["One Author"]


def test_close_dead_runs_marks_only_runs_whose_process_is_gone(tmp_path):
    import subprocess

    finished = subprocess.Popen(["true"])
    finished.wait()  # its pid now names no process
    with Archive(tmp_path / "a.db") as archive:
        alive = archive.start_run("crawl", "x")
        dead = archive.start_run("crawl", "y")
        archive.db.execute("UPDATE crawl_runs SET pid = ? WHERE id = ?", [finished.pid, dead])
        assert archive.close_dead_runs() == 1
        rows = {r["id"]: r for r in archive.db.query("select * from crawl_runs")}
    assert rows[alive]["status"] == "running"
    assert rows[dead]["status"] == "interrupted" and "died" in rows[dead]["error"]


def test_a_held_page_is_released_in_the_commit_that_stores_it(db_path):
    """The release never commits on its own, even when the open batch is due: a commit
    between the release and the store, then a kill, would lose the page (neither held
    nor stored) and the next run would fetch it again."""
    with Archive(db_path, batch_size=500, max_batch_seconds=0) as a:
        held = a.hold_page("syrianobserver", "https://e.com/a", {"status": 200}, b"<p>page</p>")
        a.upsert(record("https://e.com/b", story(2)))  # a batch open, and due at once
        a.release_page(held)

        def next_run_sees() -> tuple[int, int]:
            with sqlite3.connect(db_path) as other:
                return other.execute(
                    "select (select count(*) from held_pages), (select count(*) from articles"
                    " where url = 'https://e.com/a')"
                ).fetchone()

        assert next_run_sees() == (1, 0)  # still held: the release waits for the store
        a.upsert(record("https://e.com/a", story(1)))
        assert next_run_sees() == (0, 1)  # forgotten in the commit that stored it


def test_a_held_page_comes_back_as_fetched_until_it_is_released(db_path):
    from scraper.items import PageItem

    page = PageItem(
        source="s",
        url="https://e.com/a",
        requested_url="http://e.com/a?utm_source=x",
        status=200,
        content_type="text/html; charset=windows-1256",
        encoding="cp1256",
        body=b"\xc7\xe1\xe4\xd5 \x00 bytes as received",
        fetched_at="2024-05-02T09:00:00Z",
        headers=[("Content-Type", "text/html")],
        request_headers=[("Accept", "*/*")],
        hints={"lastmod": "2024-05-01"},
        seen_as=[("https://e.com/feed", "feed")],
    )
    with Archive(db_path) as a:
        a.hold_page(page.source, page.url, page.fetch_fields(), page.body)
    # Written by the batch's commit (here the close's): the next run sees it.
    with Archive(db_path) as a:
        ((held_id, fields, body),) = a.held_pages("s")
        assert a.held_pages("other") == []
        again = PageItem.from_held(held_id, fields, body)
        assert again == PageItem(**{**page.__dict__, "held": held_id})
        a.release_page(held_id)
    with Archive(db_path) as a:
        assert a.held_pages("s") == []


def test_a_page_stored_in_the_batch_that_fetched_it_writes_no_hold(db_path):
    """The hold of a page stored before its batch commits is never written (its body is
    190 kB on average); one still waiting for its extraction at the commit is."""
    with Archive(db_path, batch_size=500, max_batch_seconds=None) as a:
        statements: list[str] = []
        a.db.conn.set_trace_callback(statements.append)
        stored = a.hold_page("s", "https://e.com/a", {"status": 200}, b"<p>a</p>")
        waiting = a.hold_page("s", "https://e.com/b", {"status": 200}, b"<p>b</p>")
        a.release_page(stored)
        a.upsert(record("https://e.com/a", story(1)))
        a.flush()
        (written,) = [s for s in statements if "held_pages" in s]
        assert written.startswith("INSERT INTO held_pages") and "https://e.com/b" in written
        ((held_id, fields, body),) = a.held_pages("s")
        assert (fields["status"], body) == (200, b"<p>b</p>")
        a.release_page(waiting)  # the written hold: deleted by the commit that stores it
        a.upsert(record("https://e.com/b", story(2)))
        a.flush()
        assert a.held_pages("s") == []


def _open_at_once(path: str, barrier, errors) -> None:
    barrier.wait()
    try:
        Archive(path).close()
    except ArchiveError as exc:
        errors.put(str(exc))


def test_two_processes_creating_one_archive_at_once_both_open_it(tmp_path):
    """Switching a new file to WAL is not covered by SQLite's busy timeout: without the
    wait, one of two commands starting on a new archive failed with "database is
    locked" in about one race in twenty (two crawls started at once: the second must be
    refused by the crawl lock, not by SQLite)."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    errors = context.Queue()
    for race in range(40):
        barrier = context.Barrier(2)
        openers = [
            context.Process(
                target=_open_at_once, args=(str(tmp_path / f"{race}.db"), barrier, errors)
            )
            for _ in range(2)
        ]
        for opener in openers:
            opener.start()
        for opener in openers:
            opener.join(30)
        assert [opener.exitcode for opener in openers] == [0, 0]
    assert errors.empty(), errors.get()


def test_the_writer_s_page_cache_follows_the_archive_s_size(tmp_path):
    """A small archive's writer holds 8 MiB of SQLite pages, a million articles' 32 MiB,
    and between them about 256 bytes an article."""
    from archive.db import CACHE_MAX_BYTES, CACHE_MIN_BYTES, page_cache_bytes

    assert page_cache_bytes(0) == page_cache_bytes(20_000) == CACHE_MIN_BYTES == 8 << 20
    assert page_cache_bytes(100_000) == 100_000 * 256
    assert page_cache_bytes(1_000_000) == CACHE_MAX_BYTES == 32 << 20
    with Archive(tmp_path / "a.db") as archive:
        (kib,) = archive.db.execute("PRAGMA cache_size").fetchone()
    assert -kib * 1024 == CACHE_MIN_BYTES
    with sqlite3.connect(tmp_path / "a.db") as conn:  # an archive grown to 100,000 ids
        conn.execute(
            "INSERT INTO articles (id, url, canonical_url, first_seen, last_seen) "
            "VALUES (100000, 'u', 'u', 'now', 'now')"
        )
    with Archive(tmp_path / "a.db") as archive:
        (kib,) = archive.db.execute("PRAGMA cache_size").fetchone()
    assert -kib * 1024 == page_cache_bytes(100_000)
