"""Reading articles back: by URL or what a person typed, their ids, rows and counts.

The queries the commands, the crawl (what is archived already) and the tests ask;
the full-text search is archive.search, writing is archive.articles.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

from archive.captures import CaptureStore
from archive.health import recent_published
from archive.record import json_list
from archive.urls import canonicalize

__all__ = ["ArchivedUrls", "ArticleReads", "decode_row"]


def decode_row(row: dict[str, Any]) -> dict[str, Any]:
    """An article row with authors and tags as lists and translated as a bool."""
    for key in ("authors", "tags"):
        if key in row:
            row[key] = json_list(row[key])
    if "translated" in row and row["translated"] is not None:
        row["translated"] = bool(row["translated"])
    return row


# One canonical URL of a source's article, or an alias of one, archived up to an id.
_ARCHIVED_URL = (
    "SELECT 1 FROM articles WHERE canonical_url = ? AND source = ? AND id <= ? UNION ALL "
    "SELECT 1 FROM url_aliases al JOIN articles a ON a.id = al.article_id "
    "WHERE al.url = ? AND a.source = ? AND a.id <= ? LIMIT 1"
)


class ArchivedUrls:
    """Whether a canonical URL (or an alias) of one source was archived when a run began,
    asked of the archive's indexes one URL at a time.

    A crawl or poll asks it of the links it meets. Held as a set, a source of 200,000
    articles was 75 MB of the crawl process and 0.55 s at every start; a lookup is about
    12 us. Only the articles archived before the run count, so that a listing whose
    articles this run has just stored does not look read already; ``also`` adds URLs
    held in memory (a poll's pages judged no article).
    """

    def __init__(
        self, conn: sqlite3.Connection | None, source: str, also: Iterable[str] = ()
    ) -> None:
        self._conn = conn  # None: an archive that held nothing (see archived_urls)
        self._source = source
        self._last_id = (
            (conn.execute("SELECT max(id) FROM articles").fetchone()[0] or 0) if conn else 0
        )
        self._also = set(also)

    def __contains__(self, url: object) -> bool:
        if url in self._also:
            return True
        if self._conn is None:
            return False
        values = [url, self._source, self._last_id] * 2
        return self._conn.execute(_ARCHIVED_URL, values).fetchone() is not None

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()


class ArticleReads(CaptureStore):
    """Reads of articles, url_aliases and the tables' counts."""

    def lookup(self, url: str) -> int | None:
        """Article id for a URL: its canonical form, the URL as published, or an alias."""
        canonical = canonicalize(url)
        row = self.db.execute(
            "SELECT id FROM articles WHERE canonical_url = ? UNION ALL "
            "SELECT article_id FROM url_aliases WHERE url IN (?, ?) UNION ALL "
            "SELECT id FROM articles WHERE url = ? AND url != canonical_url LIMIT 1",
            [canonical, url.strip(), canonical, url.strip()],
        ).fetchone()
        return int(row[0]) if row is not None else None

    def find_article(self, reference: str) -> int | None:
        """Article id for what a person typed: an id, a URL, or a URL without its scheme
        (as a browser's address bar shows it)."""
        reference = reference.strip()
        if reference.isdigit():
            row = self.db.execute("SELECT id FROM articles WHERE id = ?", [int(reference)])
            return int(reference) if row.fetchone() else None
        if "://" in reference:
            return self.lookup(reference)
        return self.lookup(f"https://{reference}") or self.lookup(f"http://{reference}")

    def archived_urls(self, source: str, also: Iterable[str] = ()) -> ArchivedUrls:
        """What ``source`` has archived so far, to ask URL by URL (see ArchivedUrls), on a
        connection of its own: it outlives this archive's, until ``close()``. An archive in
        memory (a distributed worker's, which stores nothing) ends with its connection."""
        in_memory = str(self.path) == ":memory:"
        conn = None if in_memory else sqlite3.connect(self.path, check_same_thread=False)
        return ArchivedUrls(conn, source, also)

    def get(self, article_id: int) -> dict[str, Any] | None:
        """The article row with authors/tags as lists and translated as bool."""
        row = self._one("SELECT * FROM articles WHERE id = ?", [article_id])
        return decode_row(row) if row is not None else None

    def article_ids(self, source: str | None = None) -> list[int]:
        """Ids of the articles (of one source), in archive order."""
        sql = "SELECT id FROM articles" + (" WHERE source = ?" if source else "") + " ORDER BY id"
        return [row[0] for row in self.db.execute(sql, [source] if source else [])]

    def recent_published(self, source: str, limit: int = 20) -> list[str]:
        """Publication times of a source's latest articles, newest first."""
        return recent_published(self.db, source, limit)

    def stats(self) -> dict[str, Any]:
        """Counts for summaries: ``articles``, ``per_source`` {source: n}, and
        totals of the other tables."""
        per_source = dict(
            self.db.execute(
                "SELECT source, count(*) FROM articles GROUP BY source ORDER BY source"
            ).fetchall()
        )

        def count(sql: str) -> int:
            return int(self.db.execute(sql).fetchone()[0])

        return {
            "articles": sum(per_source.values()),
            "per_source": per_source,
            "near_duplicates": count(
                "SELECT count(*) FROM articles WHERE near_duplicate_of IS NOT NULL"
            ),
            "aliases": count("SELECT count(*) FROM url_aliases"),
            "revisions": count("SELECT count(*) FROM revisions"),
            "captures": count("SELECT count(*) FROM captures"),
            "page_bodies": count("SELECT count(*) FROM page_bodies"),
            "sources": count("SELECT count(*) FROM sources"),
            "feeds": count("SELECT count(*) FROM feeds"),
            "runs": count("SELECT count(*) FROM crawl_runs"),
            "failures": count("SELECT count(*) FROM failures"),
            "last_seen": self.db.execute("SELECT max(last_seen) FROM articles").fetchone()[0],
        }
