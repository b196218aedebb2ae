"""The SQLite archive: schema, batched upserts with dedup outcomes, search.

Uses sqlite-utils (``sqlite_utils.Database``) for the connection, WAL mode,
transaction control and the small bookkeeping tables: it is the library
datasette's author maintains, so the file it writes is exactly what datasette
expects to browse. The schema itself is plain DDL in one place, and the hot
path (one article upsert) is hand-written SQL, because it runs once per
article and must not pay for per-call table introspection.

Writes are batched: one transaction stays open across ``batch_size``
upserts (or ``max_batch_seconds``), so a killed crawl loses at most its last
batch, and readers (datasette) see only committed batches thanks to WAL.
One ``Archive`` is one writer; it is not thread-safe.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import json
import os
import sqlite3
import time
import zlib
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import sqlite_utils

from archive.arabic import fold, fold_query
from archive.dedup import (
    NEAR_DUPLICATE_DISTANCE,
    content_hash,
    hamming,
    simhash,
    simhash_bands,
)
from archive.urls import canonicalize

__all__ = [
    "Archive",
    "ArchiveError",
    "Outcome",
    "RawPage",
    "UpsertResult",
    "SCHEMA_VERSION",
    "utcnow",
]

SCHEMA_VERSION = 1

# Below this many body words a 64-bit simhash of 3-shingles is noise (two
# short briefs differ in most shingles anyway, while empty bodies would all
# collide), so such articles get no bands and are never near-duplicates.
NEAR_DUPLICATE_MIN_WORDS = 40

ALIAS_KINDS = ("feed", "redirect", "amp", "tracking", "same-content", "other")
# Run kinds and failure stages are labels for people: these are the usual
# ones, but any short word is accepted (a crawl must never die on a label).
RUN_KINDS = ("crawl", "poll", "import", "reextract", "demo")
RUN_STATUSES = ("running", "finished", "failed", "interrupted")
FAILURE_STAGES = ("fetch", "feed", "sitemap", "listing", "extract", "store", "config")
# Counters with their own crawl_runs column; any other key a caller counts
# goes to the extra_counts JSON column instead of being lost.
COUNTERS = (
    "requests",
    "not_modified",
    "new",
    "unchanged",
    "revised",
    "alias",
    "near_duplicate",
    "not_article",
    "failed",
)

RECORD_FIELDS = (
    "source",
    "url",
    "title",
    "summary",
    "body",
    "authors",
    "published",
    "updated",
    "language",
    "section",
    "tags",
    "editorial_note",
    "translated",
    "original_source",
    "original_stance",
    "image",
    "extractor_version",
    "date_notes",
    "word_count",
    "content_hash",
    "simhash",
)
# Metadata an unchanged or revised fetch may fill in but never blank out:
# a feed entry often lacks the byline or image a later page fetch finds,
# and a worse extraction must not erase a date found earlier.
KEEP_IF_MISSING = (
    "authors",
    "published",
    "updated",
    "language",
    "section",
    "editorial_note",
    "original_source",
    "original_stance",
    "image",
    "date_notes",
)
_TEXT_FIELDS = (
    "title",
    "summary",
    "body",
    "language",
    "section",
    "editorial_note",
    "original_source",
    "original_stance",
    "image",
    "extractor_version",
    "date_notes",
)
SOURCE_FIELDS = ("name", "homepage", "language", "poll_interval")
SOURCE_STATE_FIELDS = (
    "name",
    "homepage",
    "language",
    "enabled",
    "poll_interval",
    "next_poll",
    "last_success",
    "last_error",
    "last_error_at",
    "consecutive_failures",
    "paused_reason",
    "current_interval",
    "last_outcome",
    "failure_score",
    "paused_at",
)
FEED_FIELDS = (
    "source",
    "etag",
    "last_modified",
    "last_status",
    "last_polled",
    "last_entry_count",
    "bozo_error",
)

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT
);
CREATE TABLE IF NOT EXISTS sources (
    id TEXT PRIMARY KEY,
    name TEXT,
    homepage TEXT,
    language TEXT,
    enabled INTEGER NOT NULL DEFAULT 1,
    poll_interval INTEGER,
    next_poll TEXT,
    last_success TEXT,
    last_error TEXT,
    last_error_at TEXT,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    paused_reason TEXT,
    -- adaptive polling and failure scoring (scraper/schedule.py)
    current_interval INTEGER,
    last_outcome TEXT,
    failure_score REAL NOT NULL DEFAULT 0,
    paused_at TEXT
);
-- Backfills asked for (`newsarchive crawl --queue`), run by `newsarchive schedule`.
CREATE TABLE IF NOT EXISTS backfills (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    since TEXT,
    requested_at TEXT NOT NULL,
    started TEXT,
    finished TEXT,
    status TEXT NOT NULL DEFAULT 'queued'
);
-- How far a backfill walked each listing, so an interrupted one resumes there.
CREATE TABLE IF NOT EXISTS listing_progress (
    listing TEXT NOT NULL,
    since TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL,
    last_page INTEGER NOT NULL DEFAULT 0,
    completed INTEGER NOT NULL DEFAULT 0,
    updated TEXT,
    PRIMARY KEY (listing, since)
);
CREATE TABLE IF NOT EXISTS articles (
    id INTEGER PRIMARY KEY,
    url TEXT UNIQUE NOT NULL,
    source TEXT,
    title TEXT,
    summary TEXT,
    body TEXT,
    authors TEXT,
    published TEXT,
    updated TEXT,
    language TEXT,
    section TEXT,
    tags TEXT,
    editorial_note TEXT,
    translated INTEGER NOT NULL DEFAULT 0,
    original_source TEXT,
    original_stance TEXT,
    image TEXT,
    word_count INTEGER,
    content_hash TEXT,
    simhash TEXT,
    band0 INTEGER,
    band1 INTEGER,
    band2 INTEGER,
    band3 INTEGER,
    near_duplicate_of INTEGER REFERENCES articles(id),
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    extractor_version TEXT,
    date_notes TEXT
);
CREATE INDEX IF NOT EXISTS idx_articles_source ON articles(source);
CREATE INDEX IF NOT EXISTS idx_articles_published ON articles(published);
-- The language and section facets of the browsing UI count over these.
CREATE INDEX IF NOT EXISTS idx_articles_language ON articles(language);
CREATE INDEX IF NOT EXISTS idx_articles_section ON articles(section);
CREATE INDEX IF NOT EXISTS idx_articles_content_hash ON articles(content_hash);
CREATE INDEX IF NOT EXISTS idx_articles_band0 ON articles(band0);
CREATE INDEX IF NOT EXISTS idx_articles_band1 ON articles(band1);
CREATE INDEX IF NOT EXISTS idx_articles_band2 ON articles(band2);
CREATE INDEX IF NOT EXISTS idx_articles_band3 ON articles(band3);
CREATE INDEX IF NOT EXISTS idx_articles_near_duplicate_of ON articles(near_duplicate_of);
CREATE TABLE IF NOT EXISTS url_aliases (
    url TEXT PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    kind TEXT NOT NULL,
    first_seen TEXT
);
CREATE INDEX IF NOT EXISTS idx_url_aliases_article_id ON url_aliases(article_id);
CREATE TABLE IF NOT EXISTS revisions (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    revised_at TEXT,
    title TEXT,
    summary TEXT,
    body TEXT,
    tags TEXT,
    content_hash TEXT,
    extractor_version TEXT
);
CREATE INDEX IF NOT EXISTS idx_revisions_article_id ON revisions(article_id);
CREATE TABLE IF NOT EXISTS raw_pages (
    url TEXT PRIMARY KEY,
    fetched_url TEXT,
    fetched_at TEXT,
    status INTEGER,
    content_type TEXT,
    encoding TEXT,
    html BLOB,
    sha256 TEXT
);
CREATE TABLE IF NOT EXISTS feeds (
    url TEXT PRIMARY KEY,
    source TEXT,
    etag TEXT,
    last_modified TEXT,
    last_status INTEGER,
    last_polled TEXT,
    last_entry_count INTEGER,
    bozo_error TEXT
);
CREATE TABLE IF NOT EXISTS crawl_runs (
    id INTEGER PRIMARY KEY,
    source TEXT,
    kind TEXT NOT NULL,
    started TEXT,
    finished TEXT,
    duration_s REAL,
    requests INTEGER NOT NULL DEFAULT 0,
    not_modified INTEGER NOT NULL DEFAULT 0,
    new INTEGER NOT NULL DEFAULT 0,
    unchanged INTEGER NOT NULL DEFAULT 0,
    revised INTEGER NOT NULL DEFAULT 0,
    alias INTEGER NOT NULL DEFAULT 0,
    near_duplicate INTEGER NOT NULL DEFAULT 0,
    not_article INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0,
    extra_counts TEXT,
    status TEXT NOT NULL DEFAULT 'running',
    error TEXT,
    -- the process that ran it, so a run whose process died can be told apart
    pid INTEGER
);
CREATE TABLE IF NOT EXISTS failures (
    id INTEGER PRIMARY KEY,
    run_id INTEGER REFERENCES crawl_runs(id),
    source TEXT,
    url TEXT,
    stage TEXT NOT NULL,
    error TEXT,
    at TEXT
);
CREATE INDEX IF NOT EXISTS idx_failures_run_id ON failures(run_id);
CREATE INDEX IF NOT EXISTS idx_failures_source ON failures(source);
-- Folded copies (archive.arabic.fold) with rowid = articles.id; kept in step
-- by Archive, not by triggers, because folding happens in Python.
CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(
    title, summary, body, tags,
    tokenize = 'unicode61 remove_diacritics 2'
);
"""


def utcnow() -> str:
    """Current UTC time as ISO 8601 with seconds, e.g. 2024-05-01T12:00:00+00:00."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


class ArchiveError(Exception):
    """A write to the archive failed; the uncommitted batch was rolled back.

    ``lost_urls`` lists the upserts of that batch (committed data is intact),
    so a caller can retry them once the cause (full disk, lock) is fixed.
    """

    def __init__(self, message: str, *, url: str | None = None, lost_urls: Iterable[str] = ()):
        super().__init__(message)
        self.url = url
        self.lost_urls = list(lost_urls)


class Outcome(str, enum.Enum):
    NEW = "new"
    UNCHANGED = "unchanged"
    REVISED = "revised"
    ALIAS = "alias"
    NEAR_DUPLICATE = "near-duplicate"

    def __str__(self) -> str:
        return self.value


@dataclasses.dataclass(frozen=True)
class UpsertResult:
    outcome: Outcome
    article_id: int
    url: str  # the stored article's canonical url (for ALIAS: the existing one)
    near_duplicate_of: int | None = None


@dataclasses.dataclass
class RawPage:
    """An HTTP response body kept for re-extraction."""

    fetched_url: str
    status: int
    content_type: str | None
    encoding: str | None
    body: bytes
    fetched_at: str | None = None


def _json_list(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        try:
            decoded = json.loads(value)
        except ValueError:
            decoded = [value]
        value = decoded if isinstance(decoded, list) else [value]
    seen: dict[str, None] = {}
    for item in value:
        text = str(item).strip()
        if text:
            seen.setdefault(text, None)
    return list(seen)


def _iso(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        if value.tzinfo is None:  # naive datetimes are taken to be UTC
            value = value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc).replace(microsecond=0).isoformat()
    return str(value)


def _decode(row: dict[str, Any]) -> dict[str, Any]:
    for key in ("authors", "tags"):
        if key in row:
            row[key] = _json_list(row[key])
    if "translated" in row and row["translated"] is not None:
        row["translated"] = bool(row["translated"])
    return row


def _counter_key(key: str) -> str:
    name = str(key.value if isinstance(key, Outcome) else key).strip().replace("-", "_")
    if not name:
        raise ValueError("empty run counter name")
    return name


def _counter_columns(counters: Mapping[str, int]) -> dict[str, Any]:
    columns: dict[str, Any] = {key: counters.get(key, 0) for key in COUNTERS}
    extra = {key: n for key, n in counters.items() if key not in COUNTERS}
    columns["extra_counts"] = json.dumps(extra, sort_keys=True) if extra else None
    return columns


class Archive:
    """The article archive in one SQLite file.

    ``with Archive("archive.db") as archive: archive.upsert(record)``; leaving
    the block flushes the open batch and closes the file.
    """

    def __init__(
        self,
        path: str | Path,
        batch_size: int = 50,
        *,
        max_batch_seconds: float | None = 30.0,
        timeout: float = 15.0,
    ) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.path = Path(path)
        self.batch_size = batch_size
        # A slow, throttled crawl would otherwise keep a batch (and the write
        # lock) open for many minutes; commit when the batch gets this old.
        self.max_batch_seconds = max_batch_seconds
        self._pending: list[str] = []
        self._batch_started = 0.0
        self._counters: dict[int, dict[str, int]] = {}
        self._run_clock: dict[int, float] = {}
        self._closed = False
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite_utils.Database(self.path)
            # Another writer (a CLI command during a crawl) waits up to
            # `timeout` seconds instead of failing at once with "locked".
            self.db.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            self.db.enable_wal()
            self._create_schema()
        except sqlite3.DatabaseError as exc:
            if hasattr(self, "db"):
                self.db.close()
            raise ArchiveError(f"cannot open archive {self.path}: {exc}") from exc

    # --- lifecycle ----------------------------------------------------------

    def _create_schema(self) -> None:
        self.db.executescript(SCHEMA)
        row = self.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if row is None:
            self.db.execute(
                "INSERT INTO meta (key, value) VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)]
            )
        elif int(row[0]) > SCHEMA_VERSION:
            raise ArchiveError(
                f"{self.path} has schema version {row[0]}, newer than this code "
                f"understands ({SCHEMA_VERSION}); upgrade newsarchive"
            )

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Flush the open batch and close the database (a second call is a no-op)."""
        if self._closed:
            return
        try:
            self.flush()
        finally:
            self._closed = True
            self.db.close()

    def flush(self) -> None:
        """Commit the open batch (and the progress of running crawl runs)."""
        if not self.db.conn.in_transaction:
            self._pending.clear()
            return
        try:
            self._save_run_progress()
            self.db.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            lost = self._rollback()
            raise ArchiveError(
                f"could not commit {len(lost)} pending upserts to {self.path}: {exc}; "
                "the batch was rolled back, earlier batches are intact",
                lost_urls=lost,
            ) from exc
        self._pending.clear()

    def _begin(self) -> None:
        if not self.db.conn.in_transaction:
            # IMMEDIATE takes the write lock now, so a busy database fails
            # (after busy_timeout) here and not halfway through a batch.
            self.db.conn.execute("BEGIN IMMEDIATE")
            self._batch_started = time.monotonic()

    def _rollback(self) -> list[str]:
        lost = list(self._pending)
        self._pending.clear()
        if self.db.conn.in_transaction:
            self.db.conn.execute("ROLLBACK")
        return lost

    def _write(self, sql: str, params: Any = None) -> sqlite3.Cursor:
        """Run one bookkeeping write: joins an open batch, else commits now."""
        try:
            self._begin()
            cursor = self.db.execute(sql, params)
        except sqlite3.Error as exc:
            lost = self._rollback()
            raise ArchiveError(
                f"could not write to {self.path}: {exc}; the open batch was rolled back",
                lost_urls=lost,
            ) from exc
        if not self._pending:
            self.flush()
        return cursor

    def _one(self, sql: str, params: Any = ()) -> dict[str, Any] | None:
        cursor = self.db.execute(sql, params)
        row = cursor.fetchone()
        if row is None:
            return None
        return dict(zip([d[0] for d in cursor.description], row, strict=True))

    # --- upsert -------------------------------------------------------------

    def _prepare(self, record: Mapping[str, Any]) -> dict[str, Any]:
        unknown = set(record) - set(RECORD_FIELDS)
        if unknown:
            raise ValueError(
                f"unknown record fields: {', '.join(sorted(unknown))}; "
                f"valid: {', '.join(RECORD_FIELDS)}"
            )
        rec = {key: record.get(key) for key in RECORD_FIELDS}
        for key in ("url", "source"):
            if not rec[key] or not str(rec[key]).strip():
                raise ValueError(f"record needs a {key}: {dict(record)!r:.200}")
            rec[key] = str(rec[key]).strip()
        for key in ("title", "summary", "body"):
            rec[key] = rec[key] or ""
        for key in _TEXT_FIELDS:
            if rec[key] is not None and not isinstance(rec[key], str):
                raise ValueError(f"record field {key} must be text, not {type(rec[key]).__name__}")
        rec["authors"] = _json_list(rec["authors"])
        rec["tags"] = _json_list(rec["tags"])
        rec["translated"] = int(bool(rec["translated"]))
        rec["published"] = _iso(rec["published"])
        rec["updated"] = _iso(rec["updated"])
        if rec["word_count"] is None:
            rec["word_count"] = len(rec["body"].split())
        if not rec["content_hash"]:
            rec["content_hash"] = content_hash(rec["title"], rec["body"])
        h = rec["simhash"]
        if h is None or h == "":
            h = simhash(rec["body"])
        elif isinstance(h, str):
            h = int(h, 16)
        rec["simhash"] = f"{h:016x}"
        bands: tuple[int | None, ...] = (None, None, None, None)
        if rec["word_count"] >= NEAR_DUPLICATE_MIN_WORDS:
            bands = simhash_bands(h)
        for i, band in enumerate(bands):
            rec[f"band{i}"] = band
        return rec

    def upsert(
        self,
        record: Mapping[str, Any],
        *,
        aliases: Iterable[tuple[str, str]] | Iterable[str] = (),
        raw: RawPage | None = None,
        now: str | None = None,
    ) -> UpsertResult:
        """Store one article record and say what happened (see DESIGN.md).

        ``record["url"]`` must already be canonical. ``aliases`` are other
        URLs seen for the article (plain strings, or ``(url, kind)`` pairs);
        ``raw`` is the fetched page, kept compressed for re-extraction.
        Raises ``ValueError`` for a malformed record and :class:`ArchiveError`
        when SQLite fails, after rolling back the uncommitted batch.
        """
        rec = self._prepare(record)
        alias_list = self._normalise_aliases(aliases)
        now = now or utcnow()
        try:
            self._begin()
            # A savepoint per upsert: an exception halfway (even a Python
            # error) leaves the batch as it was, never half an article.
            with self.db.atomic():
                result = self._upsert(rec, alias_list, raw, now)
        except sqlite3.Error as exc:
            lost = self._rollback()
            raise ArchiveError(
                f"could not store {rec['url']} in {self.path}: {exc}; rolled back the "
                f"uncommitted batch ({len(lost)} earlier upserts), committed data is intact",
                url=rec["url"],
                lost_urls=[*lost, rec["url"]],
            ) from exc
        self._pending.append(rec["url"])
        too_old = (
            self.max_batch_seconds is not None
            and time.monotonic() - self._batch_started >= self.max_batch_seconds
        )
        if len(self._pending) >= self.batch_size or too_old:
            self.flush()
        return result

    def _upsert(
        self,
        rec: dict[str, Any],
        aliases: list[tuple[str, str | None]],
        raw: RawPage | None,
        now: str,
    ) -> UpsertResult:
        url = rec["url"]
        existing = self._find(url)
        if existing is not None:
            article_id, article_url = existing["id"], existing["url"]
            if existing["content_hash"] == rec["content_hash"]:
                self._touch(existing, rec, now)
                outcome = Outcome.UNCHANGED
            else:
                self._revise(existing, rec, now)
                outcome = Outcome.REVISED
            self._add_aliases(article_id, article_url, aliases, now)
            if raw is not None:
                self._save_raw(article_url, raw, now)
            return UpsertResult(outcome, article_id, article_url, existing["near_duplicate_of"])

        if rec["body"].strip():
            # Blank bodies (video pages, paywalls) would all share a hash.
            same = self._one(
                "SELECT * FROM articles WHERE content_hash = ? AND source = ? ORDER BY id LIMIT 1",
                [rec["content_hash"], rec["source"]],
            )
            if same is not None:
                self._touch(same, rec, now)
                self._add_aliases(same["id"], same["url"], [(url, "same-content"), *aliases], now)
                if raw is not None and not self._has_raw(same["url"]):
                    self._save_raw(same["url"], raw, now)
                return UpsertResult(
                    Outcome.ALIAS, same["id"], same["url"], same["near_duplicate_of"]
                )

        near = self._near_duplicate(rec)
        rec["near_duplicate_of"] = near
        article_id = self._insert(rec, now)
        self._add_aliases(article_id, url, aliases, now)
        if raw is not None:
            self._save_raw(url, raw, now)
        outcome = Outcome.NEW if near is None else Outcome.NEAR_DUPLICATE
        return UpsertResult(outcome, article_id, url, near)

    def _find(self, url: str) -> dict[str, Any] | None:
        row = self._one("SELECT * FROM articles WHERE url = ?", [url])
        if row is None:
            row = self._one(
                "SELECT a.* FROM url_aliases al JOIN articles a ON a.id = al.article_id "
                "WHERE al.url = ?",
                [url],
            )
        return row

    def _near_duplicate(self, rec: dict[str, Any]) -> int | None:
        if rec["band0"] is None:
            return None
        h = int(rec["simhash"], 16)
        best: tuple[int, int, int | None] | None = None
        # SQLite answers this OR with a union of the four band indexes.
        cursor = self.db.execute(
            "SELECT id, simhash, near_duplicate_of FROM articles "
            "WHERE (band0 = ? OR band1 = ? OR band2 = ? OR band3 = ?) AND url != ?",
            [rec["band0"], rec["band1"], rec["band2"], rec["band3"], rec["url"]],
        )
        for cand_id, cand_hash, cand_root in cursor:
            distance = hamming(h, int(cand_hash, 16))
            if distance <= NEAR_DUPLICATE_DISTANCE and (
                best is None or (distance, cand_id) < best[:2]
            ):
                best = (distance, cand_id, cand_root)
        if best is None:
            return None
        # Link to the first article of the cluster, so one story has one root.
        return best[2] or best[1]

    def _insert(self, rec: dict[str, Any], now: str) -> int:
        row = dict(rec)
        row["authors"] = json.dumps(rec["authors"], ensure_ascii=False)
        row["tags"] = json.dumps(rec["tags"], ensure_ascii=False)
        row["first_seen"] = row["last_seen"] = now
        columns = list(row)
        cursor = self.db.execute(
            f"INSERT INTO articles ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' for _ in columns)})",
            [row[c] for c in columns],
        )
        article_id = int(cursor.lastrowid)
        self._index(article_id, rec)
        return article_id

    def _index(self, article_id: int, rec: Mapping[str, Any]) -> None:
        self.db.execute("DELETE FROM articles_fts WHERE rowid = ?", [article_id])
        self.db.execute(
            "INSERT INTO articles_fts (rowid, title, summary, body, tags) VALUES (?, ?, ?, ?, ?)",
            [
                article_id,
                fold(rec["title"] or ""),
                fold(rec["summary"] or ""),
                fold(rec["body"] or ""),
                fold("\n".join(_json_list(rec["tags"]))),
            ],
        )

    def _fill_gaps(self, existing: Mapping[str, Any], rec: Mapping[str, Any]) -> dict[str, Any]:
        changes: dict[str, Any] = {}
        for key in KEEP_IF_MISSING:
            new = rec[key]
            old = existing[key]
            if key == "authors":
                if new and not _json_list(old):
                    changes[key] = json.dumps(new, ensure_ascii=False)
            elif new not in (None, "") and old in (None, ""):
                changes[key] = new
        return changes

    def _touch(self, existing: Mapping[str, Any], rec: Mapping[str, Any], now: str) -> None:
        changes = self._fill_gaps(existing, rec)
        changes["last_seen"] = now
        self._update(existing["id"], changes)

    def _revise(self, existing: Mapping[str, Any], rec: dict[str, Any], now: str) -> None:
        self.db.execute(
            "INSERT INTO revisions (article_id, revised_at, title, summary, body, tags, "
            "content_hash, extractor_version) "
            "SELECT id, ?, title, summary, body, tags, content_hash, extractor_version "
            "FROM articles WHERE id = ?",
            [now, existing["id"]],
        )
        changes = {
            key: rec[key]
            for key in (
                "title",
                "summary",
                "body",
                "translated",
                "extractor_version",
                "word_count",
                "content_hash",
                "simhash",
                "band0",
                "band1",
                "band2",
                "band3",
            )
        }
        changes["tags"] = json.dumps(rec["tags"], ensure_ascii=False)
        for key in KEEP_IF_MISSING:
            if key == "authors":
                if rec["authors"]:
                    changes[key] = json.dumps(rec["authors"], ensure_ascii=False)
            elif rec[key] not in (None, ""):
                changes[key] = rec[key]
        changes["last_seen"] = now
        self._update(existing["id"], changes)
        self._index(existing["id"], rec)

    def _update(self, article_id: int, changes: Mapping[str, Any]) -> None:
        assignments = ", ".join(f"{key} = ?" for key in changes)
        self.db.execute(
            f"UPDATE articles SET {assignments} WHERE id = ?", [*changes.values(), article_id]
        )

    @staticmethod
    def _normalise_aliases(
        aliases: Iterable[tuple[str, str]] | Iterable[str],
    ) -> list[tuple[str, str | None]]:
        result: list[tuple[str, str | None]] = []
        for item in aliases:
            if isinstance(item, str):
                url, kind = item, None
            else:
                url, kind = item
                if kind not in ALIAS_KINDS:
                    raise ValueError(
                        f"unknown alias kind {kind!r}; valid: {', '.join(ALIAS_KINDS)}"
                    )
            if url and url.strip():
                result.append((url.strip(), kind))
        return result

    def _add_aliases(
        self,
        article_id: int,
        article_url: str,
        aliases: Iterable[tuple[str, str | None]],
        now: str,
    ) -> None:
        for url, kind in aliases:
            try:
                canonical = canonicalize(url)
            except ValueError:
                canonical = url
            kind = kind or _guess_kind(url, canonical, article_url)
            # Keep the URL as seen (lookup of a raw feed link) and its
            # canonical form (lookup after a spider canonicalised it).
            for candidate in dict.fromkeys((url, canonical)):
                if candidate == article_url:
                    continue
                taken = self.db.execute(
                    "SELECT 1 FROM articles WHERE url = ?", [candidate]
                ).fetchone()
                if taken:
                    continue  # an alias never shadows another article's url
                # First mapping wins: an alias does not move between articles.
                self.db.execute(
                    "INSERT OR IGNORE INTO url_aliases (url, article_id, kind, first_seen) "
                    "VALUES (?, ?, ?, ?)",
                    [candidate, article_id, kind, now],
                )

    def _has_raw(self, url: str) -> bool:
        return (
            self.db.execute("SELECT 1 FROM raw_pages WHERE url = ?", [url]).fetchone() is not None
        )

    def _save_raw(self, url: str, raw: RawPage, now: str) -> None:
        body = raw.body if isinstance(raw.body, bytes) else str(raw.body).encode("utf-8")
        self.db.execute(
            "INSERT OR REPLACE INTO raw_pages "
            "(url, fetched_url, fetched_at, status, content_type, encoding, html, sha256) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                url,
                raw.fetched_url,
                raw.fetched_at or now,
                raw.status,
                raw.content_type,
                raw.encoding,
                zlib.compress(body, 6),
                hashlib.sha256(body).hexdigest(),
            ],
        )

    def mark_reextracted(self, article_id: int, *, last_seen: str, extractor_version: str) -> None:
        """After a re-extraction: keep ``last_seen`` (it was not a visit to the site)
        and record the extractor version that made or confirmed the record."""
        self._write(
            "UPDATE articles SET last_seen = ?, extractor_version = ? WHERE id = ?",
            [last_seen, extractor_version, article_id],
        )

    def add_alias(self, article_url: str, url: str, kind: str | None = None) -> bool:
        """Record ``url`` as another URL of the archived article ``article_url``.

        Returns True when a new alias row was written; False when the article
        is not archived or the URL was already known.
        """
        article_id = self.lookup(article_url)
        known = self.db.execute(
            "SELECT 1 FROM url_aliases WHERE url = ? "
            "UNION ALL SELECT 1 FROM articles WHERE url = ?",
            [url, url],
        ).fetchone()
        if article_id is None or known:
            return False
        try:
            self._begin()
            (alias,) = self._normalise_aliases([(url, kind)] if kind else [url])
            self._add_aliases(article_id, article_url, [alias], utcnow())
        except sqlite3.Error as exc:
            raise ArchiveError(
                f"could not record alias {url} of {article_url}: {exc}",
                lost_urls=self._rollback(),
            ) from exc
        if not self._pending:
            self.flush()
        return True

    # --- reading ------------------------------------------------------------

    def lookup(self, url: str) -> int | None:
        """Article id for a canonical url or any recorded alias, else None.

        Tries ``url`` as given, then its canonical form.
        """
        for candidate in dict.fromkeys((url.strip(), _safe_canonical(url))):
            row = self.db.execute("SELECT id FROM articles WHERE url = ?", [candidate]).fetchone()
            if row is None:
                row = self.db.execute(
                    "SELECT article_id FROM url_aliases WHERE url = ?", [candidate]
                ).fetchone()
            if row is not None:
                return int(row[0])
        return None

    def known_urls(self, source: str | None = None) -> set[str]:
        """Every article url and alias (of one source, if given)."""
        if source is None:
            sql = "SELECT url FROM articles UNION ALL SELECT url FROM url_aliases"
            params: list[Any] = []
        else:
            sql = (
                "SELECT url FROM articles WHERE source = ? UNION ALL "
                "SELECT al.url FROM url_aliases al JOIN articles a ON a.id = al.article_id "
                "WHERE a.source = ?"
            )
            params = [source, source]
        return {row[0] for row in self.db.execute(sql, params)}

    def get(self, article_id: int) -> dict[str, Any] | None:
        """The article row with authors/tags as lists and translated as bool."""
        row = self._one("SELECT * FROM articles WHERE id = ?", [article_id])
        return _decode(row) if row is not None else None

    def search(
        self, query: str, *, source: str | None = None, limit: int = 20
    ) -> list[dict[str, Any]]:
        """Full-text search (FTS5, bm25 order) over the folded text.

        The query is folded like the index (:func:`archive.arabic.fold_query`),
        so "سانا" finds "سَانَا" and "الأخبار" finds "الاخبار". Each result is
        an article row plus ``rank`` and a ``snippet`` of the folded body.
        """
        folded = fold_query(query)
        if not folded:
            return []
        # Title matches weigh most, then summary and tags, then body.
        sql = (
            "SELECT a.*, bm25(articles_fts, 5.0, 2.0, 1.0, 2.0) AS rank, "
            "snippet(articles_fts, 2, '[', ']', '…', 16) AS snippet "
            "FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid "
            "WHERE articles_fts MATCH ?"
            + (" AND a.source = ?" if source else "")
            + " ORDER BY rank LIMIT ?"
        )
        params: list[Any] = [folded, *([source] if source else []), limit]
        try:
            cursor = self.db.execute(sql, params)
        except sqlite3.OperationalError as exc:
            if "fts5" not in str(exc):
                raise
            # Should not happen after fold_query; search the words as phrases.
            words = [w.replace('"', '""') for w in fold(query).split()]
            params[0] = " ".join(f'"{w}"' for w in words) or '""'
            cursor = self.db.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [_decode(dict(zip(names, row, strict=True))) for row in cursor]

    def raw_page(self, url: str) -> RawPage | None:
        """The stored page for an article url, decompressed."""
        row = self._one("SELECT * FROM raw_pages WHERE url = ?", [url])
        return _raw_from_row(row) if row is not None else None

    def iter_raw_pages(self, source: str | None = None) -> Iterator[tuple[int, str, RawPage]]:
        """Yield ``(article_id, url, page)`` for stored pages, streamed."""
        sql = (
            "SELECT a.id AS article_id, r.* FROM raw_pages r JOIN articles a ON a.url = r.url"
            + (" WHERE a.source = ?" if source else "")
            + " ORDER BY a.id"
        )
        cursor = self.db.execute(sql, [source] if source else [])
        names = [d[0] for d in cursor.description]
        for values in cursor:
            row = dict(zip(names, values, strict=True))
            yield row["article_id"], row["url"], _raw_from_row(row)

    def stats(self) -> dict[str, Any]:
        """Counts for summaries: ``articles``, ``per_source`` {source: n}, and
        totals of the other tables."""
        per_source = {
            source: count
            for source, count in self.db.execute(
                "SELECT source, count(*) FROM articles GROUP BY source ORDER BY source"
            )
        }

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
            "raw_pages": count("SELECT count(*) FROM raw_pages"),
            "sources": count("SELECT count(*) FROM sources"),
            "feeds": count("SELECT count(*) FROM feeds"),
            "runs": count("SELECT count(*) FROM crawl_runs"),
            "failures": count("SELECT count(*) FROM failures"),
            "last_seen": self.db.execute("SELECT max(last_seen) FROM articles").fetchone()[0],
        }

    # --- crawl runs and failures ---------------------------------------------

    def start_run(self, kind: str, source: str | None = None) -> int:
        """Record the start of a crawl run by this process; returns its id."""
        if not kind or not str(kind).strip():
            raise ValueError(f"a run needs a kind, such as {', '.join(RUN_KINDS)}")
        cursor = self._write(
            "INSERT INTO crawl_runs (source, kind, started, status, pid) "
            "VALUES (?, ?, ?, 'running', ?)",
            [source, kind, utcnow(), os.getpid()],
        )
        run_id = int(cursor.lastrowid)
        self._counters[run_id] = {}
        self._run_clock[run_id] = time.monotonic()
        return run_id

    def count(self, run_id: int, key: str, n: int = 1) -> None:
        """Add ``n`` to a run counter, kept in memory and written on flush/finish.

        Keys: an :class:`Outcome` (or its value, "near-duplicate" included),
        requests, not_modified, not_article, failed; other keys are kept in
        the run's extra_counts JSON.
        """
        counters = self._counters.setdefault(run_id, {})
        name = _counter_key(key)
        counters[name] = counters.get(name, 0) + n

    def _save_run_progress(self) -> None:
        for run_id, counters in self._counters.items():
            columns = _counter_columns(counters)
            assignments = ", ".join(f"{key} = ?" for key in columns)
            self.db.execute(
                f"UPDATE crawl_runs SET {assignments} WHERE id = ? AND status = 'running'",
                [*columns.values(), run_id],
            )

    def close_dead_runs(self) -> int:
        """Mark 'interrupted' the runs left 'running' by a process that no longer exists
        (killed, out of memory, power cut); returns how many. Runs on this machine only:
        a pid from another machine cannot be checked, so such rows are left alone."""
        dead = []
        for run_id, pid in self.db.execute(
            "SELECT id, pid FROM crawl_runs WHERE status = 'running' AND pid IS NOT NULL"
        ).fetchall():
            if not _process_alive(pid):
                dead.append(run_id)
        for run_id in dead:
            self._write(
                "UPDATE crawl_runs SET status = 'interrupted', "
                "error = 'the crawl process died before finishing' WHERE id = ?",
                [run_id],
            )
        return len(dead)

    def finish_run(
        self, run_id: int, status: str = "finished", error: str | None = None
    ) -> dict[str, Any]:
        """Flush, write the run's counters, duration and status; return the row."""
        if status not in RUN_STATUSES:
            raise ValueError(f"unknown run status {status!r}; valid: {', '.join(RUN_STATUSES)}")
        self.flush()
        counters = self._counters.pop(run_id, {})
        clock = self._run_clock.pop(run_id, None)
        row = self._one("SELECT * FROM crawl_runs WHERE id = ?", [run_id])
        if row is None:
            raise ValueError(f"no crawl run {run_id}")
        finished = utcnow()
        if clock is not None:
            duration = round(time.monotonic() - clock, 3)
        else:  # started by another process: fall back to the stored clock
            started = datetime.fromisoformat(row["started"])
            duration = (datetime.fromisoformat(finished) - started).total_seconds()
        changes: dict[str, Any] = {
            **_counter_columns(counters),
            "finished": finished,
            "duration_s": duration,
            "status": status,
            "error": error,
        }
        assignments = ", ".join(f"{key} = ?" for key in changes)
        self._write(
            f"UPDATE crawl_runs SET {assignments} WHERE id = ?", [*changes.values(), run_id]
        )
        return self._one("SELECT * FROM crawl_runs WHERE id = ?", [run_id]) or {}

    def record_failure(
        self,
        run_id: int | None,
        source: str | None,
        url: str | None,
        stage: str,
        error: str,
    ) -> None:
        """Log a failure; stage is usually one of FAILURE_STAGES."""
        if not stage or not str(stage).strip():
            raise ValueError(f"a failure needs a stage, such as {', '.join(FAILURE_STAGES)}")
        self._write(
            "INSERT INTO failures (run_id, source, url, stage, error, at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [run_id, source, url, stage, str(error), utcnow()],
        )

    # --- sources and feeds ---------------------------------------------------

    def sync_sources(self, entries: Iterable[Mapping[str, Any] | Any]) -> int:
        """Insert or update sources from the registry; health columns are kept.

        Takes dicts (or objects with the same attributes) with id, name,
        homepage, language, poll_interval. Returns how many were synced.
        """
        rows = []
        for entry in entries:
            source_id = _field(entry, "id")
            if not source_id:
                raise ValueError(f"source entry without an id: {entry!r:.200}")
            row = {"id": str(source_id)}
            row.update({key: _field(entry, key) for key in SOURCE_FIELDS})
            rows.append(row)
        if rows:
            try:
                self._begin()
                # sqlite-utils upsert updates only the given columns, so
                # health and polling state survive a registry reload.
                self.db["sources"].upsert_all(rows, pk="id")
            except sqlite3.Error as exc:
                lost = self._rollback()
                raise ArchiveError(f"could not sync sources: {exc}", lost_urls=lost) from exc
            if not self._pending:
                self.flush()
        return len(rows)

    def source(self, source_id: str) -> dict[str, Any] | None:
        """The sources row for ``source_id``."""
        return self._one("SELECT * FROM sources WHERE id = ?", [source_id])

    def update_source(self, source_id: str, **fields: Any) -> None:
        """Set health/polling columns of a source (the row is created if new)."""
        _check_fields(fields, SOURCE_STATE_FIELDS, "sources")
        self._upsert_row("sources", "id", source_id, fields)

    def feed_state(self, url: str) -> dict[str, Any] | None:
        """The feeds row (etag, last_modified, ...) for a feed url."""
        return self._one("SELECT * FROM feeds WHERE url = ?", [url])

    def save_feed_state(self, url: str, source: str | None, **fields: Any) -> None:
        """Store conditional-GET and health state of a feed."""
        _check_fields(fields, FEED_FIELDS, "feeds")
        self._upsert_row("feeds", "url", url, {"source": source, **fields})

    def save_listing_progress(
        self, source: str, listing: str, since: str | None, last_page: int, completed: bool
    ) -> None:
        """How far a backfill walked a listing (``since`` None: a backfill with no date)."""
        self._write(
            "INSERT INTO listing_progress (listing, since, source, last_page, completed, updated) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(listing, since) DO UPDATE SET "
            "last_page = max(last_page, excluded.last_page), completed = excluded.completed, "
            "updated = excluded.updated",
            [listing, since or "", source, last_page, int(completed), utcnow()],
        )

    def unfinished_listings(self, source: str, since: str | None) -> dict[str, int]:
        """Listings an earlier backfill of ``source`` to ``since`` left unfinished: last page."""
        rows = self.db.execute(
            "SELECT listing, last_page FROM listing_progress "
            "WHERE source = ? AND since = ? AND completed = 0",
            [source, since or ""],
        )
        return dict(rows.fetchall())

    def _upsert_row(self, table: str, pk: str, key: str, fields: Mapping[str, Any]) -> None:
        columns = [pk, *fields]
        updates = ", ".join(f"{c} = excluded.{c}" for c in fields) or f"{pk} = excluded.{pk}"
        placeholders = ", ".join("?" for _ in columns)
        self._write(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders}) "
            f"ON CONFLICT({pk}) DO UPDATE SET {updates}",
            [key, *fields.values()],
        )


def _process_alive(pid: int) -> bool:
    """Whether a process runs; a zombie (dead, not yet reaped by its parent) does not."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, owned by another user
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True  # no /proc here: trust kill()
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _field(entry: Any, key: str) -> Any:
    if isinstance(entry, Mapping):
        return entry.get(key)
    return getattr(entry, key, None)


def _check_fields(fields: Mapping[str, Any], valid: tuple[str, ...], table: str) -> None:
    unknown = set(fields) - set(valid)
    if unknown:
        raise ValueError(
            f"unknown {table} fields: {', '.join(sorted(unknown))}; valid: {', '.join(valid)}"
        )


def _safe_canonical(url: str) -> str:
    try:
        return canonicalize(url)
    except ValueError:
        return url.strip()


def _guess_kind(url: str, canonical: str, article_url: str) -> str:
    lowered = url.lower()
    if (
        "/amp" in lowered
        or "amp=" in lowered
        or lowered.endswith("?amp")
        or "ampproject" in lowered
    ):
        return "amp"
    if canonical == article_url:
        return "tracking"  # differs only by parameters, host form or fragment
    return "other"


def _raw_from_row(row: Mapping[str, Any]) -> RawPage:
    return RawPage(
        fetched_url=row["fetched_url"],
        status=row["status"],
        content_type=row["content_type"],
        encoding=row["encoding"],
        body=zlib.decompress(row["html"]) if row["html"] is not None else b"",
        fetched_at=row["fetched_at"],
    )
