"""Opening an archive file: a new one gets the tables, an older one is upgraded.

The tables of the current version are archive.schema's DDL (``SCHEMA``,
``SCHEMA_VERSION``, and there what each version changed); here is how a file
of an older version becomes the current one, in one transaction when it is
opened (:func:`create_or_upgrade`), and why a file of a newer version is refused
rather than damaged (:class:`SchemaError`).
"""

from __future__ import annotations

import json
import sqlite3
import zlib

from archive.bodies import body_key
from archive.clock import utcnow
from archive.days import UNKNOWN_OFFSET_NOTE, publication
from archive.schema import SCHEMA, SCHEMA_VERSION, ddl_statements
from archive.search import index_article
from archive.stories import link_all, recount_outlets, reindex_all, reset

__all__ = ["SchemaError", "create_or_upgrade"]


class SchemaError(Exception):
    """The file is an archive this code cannot use (written by a newer version)."""


def create_or_upgrade(conn: sqlite3.Connection, name: str) -> None:
    """Create the tables of a new archive, or upgrade an older one in one transaction."""
    has_meta = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'"
    ).fetchone()
    version = None
    if has_meta:
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        version = int(row[0]) if row else None
    if version is not None and version > SCHEMA_VERSION:
        raise SchemaError(
            f"{name} has schema version {version}, newer than this code "
            f"understands ({SCHEMA_VERSION}); upgrade newsarchive"
        )
    if version == SCHEMA_VERSION:
        return  # nothing to do, and no write lock taken: a reader may open a busy archive
    conn.execute("BEGIN IMMEDIATE")
    try:
        if version is not None and version < 11:
            # First: the steps below may read published_local (stories' days).
            _upgrade_to_publisher_day(conn)
        if version is not None and version < 7:
            # Version 7 made the band indexes covering (band, simhash): the same names.
            for band in range(4):
                conn.execute(f"DROP INDEX IF EXISTS idx_articles_band{band}")
        if version == 1:
            _upgrade_from_1(conn)
        if version in (1, 2):
            _upgrade_from_2(conn)
        if version in (1, 2, 3):
            _upgrade_from_3(conn)
        if version in (1, 2, 3, 4):
            _upgrade_from_4(conn)
        if version in (5, 6):
            _upgrade_from_6(conn)
        if version in (5, 6, 7):
            _upgrade_from_7(conn)
        if version is not None and version < 9:
            _upgrade_from_8(conn)
        if version is not None and version < 10:
            _upgrade_from_9(conn)
        if version is not None and version < 12:
            conn.execute("DROP INDEX IF EXISTS idx_articles_url")  # SCHEMA makes it partial
        if version is not None and version < 13:
            conn.execute("DROP INDEX IF EXISTS idx_articles_published")
            conn.execute("DROP INDEX IF EXISTS idx_captures_sha256")
        for statement in ddl_statements(SCHEMA):
            conn.execute(statement)
        if version is not None:
            link_all(conn, utcnow())
        conn.execute(
            "INSERT INTO meta (key, value) VALUES ('schema_version', ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [str(SCHEMA_VERSION)],
        )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _upgrade_from_1(conn: sqlite3.Connection) -> None:
    """Version 1 keyed articles by canonical URL only and kept one raw page per URL."""
    conn.execute("ALTER TABLE articles ADD COLUMN canonical_url TEXT")
    conn.execute("UPDATE articles SET canonical_url = url")
    conn.execute("CREATE UNIQUE INDEX idx_articles_canonical_url ON articles(canonical_url)")
    for statement in ddl_statements(SCHEMA):
        if "page_bodies" in statement or "captures" in statement:
            conn.execute(statement)
    rows = conn.execute(
        "SELECT a.id, r.fetched_url, r.fetched_at, r.status, r.content_type, r.encoding, r.html "
        "FROM raw_pages r JOIN articles a ON a.url = r.url ORDER BY a.id"
    )
    for article_id, url, fetched_at, status, content_type, encoding, html in rows.fetchall():
        body = zlib.decompress(html) if html is not None else b""
        digest = body_key(body)
        conn.execute(
            "INSERT OR IGNORE INTO page_bodies (sha256, size, body) VALUES (?, ?, ?)",
            [digest, len(body), html if html is not None else zlib.compress(body)],
        )
        conn.execute(
            "INSERT INTO captures (article_id, url, fetched_at, status, content_type, "
            "encoding, headers, sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                article_id,
                url,
                fetched_at or "",
                status,
                content_type,
                encoding,
                json.dumps([["Content-Type", content_type]] if content_type else []),
                digest,
            ],
        )
    conn.execute("DROP TABLE raw_pages")


def _upgrade_from_2(conn: sqlite3.Connection) -> None:
    """Version 2 indexed folded text only: rebuild the index with the stemmed columns."""
    conn.execute("DROP TABLE IF EXISTS articles_fts")
    for statement in ddl_statements(SCHEMA):
        if "articles_fts" in statement:
            conn.execute(statement)
    # A second cursor reads while the first writes: memory stays flat on a big archive.
    rows = conn.cursor().execute("SELECT id, title, summary, body, tags FROM articles ORDER BY id")
    for article_id, title, summary, body, tags in rows:
        record = {"title": title, "summary": summary, "body": body, "tags": tags}
        index_article(conn, article_id, record)


def _upgrade_from_3(conn: sqlite3.Connection) -> None:
    """Version 3 could not resume a killed crawl: runs gain their job (frontier is new)."""
    columns = {row[1] for row in conn.execute("PRAGMA table_info(crawl_runs)")}
    if columns and "job" not in columns:  # no table yet: SCHEMA creates it whole
        conn.execute("ALTER TABLE crawl_runs ADD COLUMN job TEXT")


def _upgrade_from_4(conn: sqlite3.Connection) -> None:
    """Version 4 had no stories: make their tables and link the archived articles."""
    # Every table, not only the stories': linking reads sources, which an archive
    # upgraded from version 1 gets only here.
    for statement in ddl_statements(SCHEMA):
        conn.execute(statement)
    reindex_all(conn, utcnow())


def _upgrade_from_6(conn: sqlite3.Connection) -> None:
    """Version 6 linked stories on the write path, without bounds: queue every article
    for the new linking pass (in archive order) and forget the old stories."""
    for table, column in (("story_docs", "seq"), ("stories", "first_day"), ("stories", "last_day")):
        conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} INTEGER")
    conn.execute("UPDATE story_docs SET seq = article_id")
    for statement in ddl_statements(SCHEMA):
        if "story_outlets" in statement:
            conn.execute(statement)
    reset(conn)


def _upgrade_from_7(conn: sqlite3.Connection) -> None:
    """Version 7 keyed story bands and anchors by key first: the same rows, week first."""
    for table in ("story_bands", "story_anchors"):
        columns = [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]
        if not columns or "week" in columns:
            continue  # made whole by SCHEMA
        conn.execute(f"ALTER TABLE {table} RENAME TO {table}_7")
        for statement in ddl_statements(SCHEMA):
            if f"TABLE IF NOT EXISTS {table} " in statement:
                conn.execute(statement)
        listed = ", ".join(columns)
        conn.execute(
            f"INSERT INTO {table} (week, {listed}) SELECT day / 7, {listed} FROM {table}_7 "
            "ORDER BY day / 7, key, day, article_id"
        )
        conn.execute(f"DROP TABLE {table}_7")


def _upgrade_from_8(conn: sqlite3.Connection) -> None:
    """Version 8 captures had no provenance: add its columns (NULL: a live fetch)."""
    columns = {row[1] for row in conn.execute("PRAGMA table_info(captures)")}
    for column in ("archive", "archived_at", "replay_url"):
        if columns and column not in columns:  # no table yet: SCHEMA creates it whole
            conn.execute(f"ALTER TABLE captures ADD COLUMN {column} TEXT")


def _upgrade_from_9(conn: sqlite3.Connection) -> None:
    """Version 9 counted a story's sources as its outlets (SANA's English and Arabic
    services as two): sources and story_outlets gain the outlet, and every story's
    outlets are counted again (the sources' outlets are the registry's from their next
    crawl on, when each story of a source whose outlet changed is counted again)."""
    for table in ("sources", "story_outlets"):
        columns = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
        if columns and "outlet" not in columns:  # no table yet: SCHEMA creates it whole
            conn.execute(f"ALTER TABLE {table} ADD COLUMN outlet TEXT")
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'story_outlets'").fetchone():
        recount_outlets(conn)


def _upgrade_to_publisher_day(conn: sqlite3.Connection) -> None:
    """Before version 11 an article kept its time in one form, converted to UTC by
    extraction: add ``published_local``, fill it as well as the stored value allows
    (archive.days.publication: a time stored with an offset other than UTC's keeps it,
    and ``published`` becomes its UTC form; one stored in UTC is noted in
    ``date_notes`` as of an unknown offset, for a new fetch or re-extraction to
    correct), count by it (the triggers made again) and recount (archive.counts).
    Self-contained: it may run after any earlier step."""
    from archive import counts

    columns = {row[1] for row in conn.execute("PRAGMA table_info(articles)")}
    if not columns:
        return  # no articles table: SCHEMA makes it whole
    for trigger in ("insert", "delete", "update"):
        conn.execute(f"DROP TRIGGER IF EXISTS articles_counted_{trigger}")
    if "published_local" not in columns:
        conn.execute("ALTER TABLE articles ADD COLUMN published_local TEXT")
    conn.execute(
        "UPDATE articles SET published_local = published, date_notes = "
        "CASE WHEN date_notes IS NULL OR date_notes = '' THEN :note "
        "ELSE date_notes || '; ' || :note END "
        "WHERE published_local IS NULL AND (published LIKE '%+00:00' OR published LIKE '%Z')",
        {"note": UNKNOWN_OFFSET_NOTE},
    )
    # The rest: times stored with another offset (records given as text), without
    # one, or a day; few, so read whole before they are written.
    rows = conn.execute(
        "SELECT id, published FROM articles WHERE published_local IS NULL AND published != ''"
    ).fetchall()
    for article_id, published in rows:
        utc, local = publication(published)
        conn.execute(
            "UPDATE articles SET published = ?, published_local = ? WHERE id = ?",
            [utc, local, article_id],
        )
    if counts.available(conn):  # else SCHEMA makes them, counted by the new rule
        for statement in ddl_statements(SCHEMA):
            if "articles_counted_" in statement.split("\n", 1)[0]:
                conn.execute(statement)
        counts.rebuild(conn)
