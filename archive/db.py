"""The archive's connection and its batched transactions: the one place that commits.

sqlite-utils (``sqlite_utils.Database``) gives the connection and WAL mode:
it is the library datasette's author maintains, so the file it writes is
exactly what datasette expects to browse. Writes are batched: one
transaction stays open across ``batch_size`` upserts (or
``max_batch_seconds``), so a killed crawl loses at most its last batch, and
readers (datasette) see only committed batches thanks to WAL. Every write of
the archive goes through :meth:`ArchiveDB._write` or joins the batch that
:meth:`ArchiveDB._begin` opened; nothing else commits. One instance is one
writer; it is not thread-safe.
"""

from __future__ import annotations

import sqlite3
import time
import weakref
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import sqlite_utils

from archive.checkpoints import LOG_PAGES, Checkpointer
from archive.upgrade import SchemaError, create_or_upgrade

__all__ = ["ArchiveDB", "ArchiveError", "page_cache_bytes"]

# The writer's page cache follows the archive's size. Its lookups and inserts touch pages
# all over the indexes of random keys (hashes, URLs, simhash bands): about 450 bytes an
# article at a million. A cache of about half of that, between 8 and 32 MiB:
# - 32 MiB instead of SQLite's 2 was 14% less write + link CPU at 100k articles, and 128
#   MiB 7% less again at 1M (bench_archive), for 100 MB more;
# - a crawl into a small archive needs little of it: 8 MiB instead of 32 took the crawl
#   process from 125 to 99 MB and the tree's peak from 432 to 399 MB (bench_scale at
#   2,082 pages), for about 5% more of the crawl process's CPU.
CACHE_BYTES_PER_ARTICLE = 256
CACHE_MIN_BYTES = 8 << 20
CACHE_MAX_BYTES = 32 << 20


def page_cache_bytes(articles: int) -> int:
    """The writer's SQLite page cache for an archive of ``articles`` articles."""
    return min(CACHE_MAX_BYTES, max(CACHE_MIN_BYTES, articles * CACHE_BYTES_PER_ARTICLE))


class ArchiveError(Exception):
    """The archive could not be opened or written; an uncommitted batch was rolled back.

    ``lost_urls`` lists the upserts of that batch (committed data is intact),
    so a caller can retry them once the cause (full disk, lock) is fixed.
    """

    def __init__(self, message: str, *, url: str | None = None, lost_urls: Iterable[str] = ()):
        super().__init__(message)
        self.url = url
        self.lost_urls = list(lost_urls)


class ArchiveDB:
    """One SQLite archive file, opened (created or upgraded) for reading and writing."""

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
        self._closed = False
        self._checkpointer: Checkpointer | None = None  # started by the first commit
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite_utils.Database(self.path)
            # Another writer (a CLI command during a crawl) waits up to
            # `timeout` seconds instead of failing at once with "locked".
            self.db.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            self._enable_wal(timeout)
            # In WAL mode NORMAL never corrupts the file and loses nothing when a process
            # is killed (the log is in the OS cache); only a power cut may drop the last
            # commits. It makes a commit cheap enough to commit small batches often.
            self.db.execute("PRAGMA synchronous = NORMAL")
            # A checkpoint every 40 MB of log instead of 4 writes each page fewer times.
            # The log is copied by a thread after each commit (archive.checkpoints); this
            # checkpoint is the backstop if it cannot be.
            self.db.execute(f"PRAGMA wal_autocheckpoint = {LOG_PAGES}")
            create_or_upgrade(self.db.conn, str(self.path))
            (articles,) = self.db.execute("SELECT coalesce(max(id), 0) FROM articles").fetchone()
            self.db.execute(f"PRAGMA cache_size = -{page_cache_bytes(articles) // 1024}")
        except (sqlite3.Error, SchemaError, OSError) as exc:
            if hasattr(self, "db"):
                self.db.close()
            raise ArchiveError(f"cannot open archive {self.path}: {_reason(exc)}") from exc

    def _enable_wal(self, timeout: float) -> None:
        """WAL mode. Switching a new file to it needs an exclusive lock that SQLite does
        not wait for (the busy timeout does not apply): two commands opening one new
        archive at once made one fail with "database is locked" (3 of 60 such races). It
        waits here as a write would, up to ``timeout``."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.db.enable_wal()
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() >= deadline:
                    raise
                time.sleep(0.05)

    def __enter__(self):
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
            if self._checkpointer is not None:
                self._checkpointer.close()
            self.db.close()

    def flush(self) -> None:
        """Commit the open batch (and what the batch carries along, such as run counters)."""
        if not self.db.conn.in_transaction:
            self._pending.clear()
            return
        try:
            self._before_commit()
            self.db.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            lost = self._rollback()
            raise ArchiveError(
                f"could not commit {len(lost)} pending upserts to {self.path}: {exc}; "
                "the batch was rolled back, earlier batches are intact",
                lost_urls=lost,
            ) from exc
        self._pending.clear()
        if self._checkpointer is None:
            self._checkpointer = Checkpointer(self.path)
            # An archive dropped unclosed does not leave its thread waiting for ever.
            weakref.finalize(self, self._checkpointer.close)
        self._checkpointer.request()
        self._after_commit()

    def flush_if_due(self) -> None:
        """Commit the open batch if it is older than ``max_batch_seconds`` (for a timer:
        a batch must not wait for the next write to be committed)."""
        if self.db.conn.in_transaction and self.max_batch_seconds is not None:
            if time.monotonic() - self._batch_started >= self.max_batch_seconds:
                self.flush()

    def _before_commit(self) -> None:
        """Writes that ride along with every commit (the run log's counters)."""

    def _after_commit(self) -> None:
        """Work on what was just committed (the stories' linking pass)."""

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
        self._end_write()
        return cursor

    def _batched(self, sql: str, params: Any, label: str, *, may_commit: bool = True) -> None:
        """A write that joins the open batch like an upsert (committed with it). With
        ``may_commit`` False it never commits the batch itself, even a batch that is due:
        the write that must share its commit comes next, and commits both."""
        try:
            self._begin()
            self.db.execute(sql, params)
        except sqlite3.Error as exc:
            lost = self._rollback()
            raise ArchiveError(
                f"could not write to {self.path}: {exc}; the open batch was rolled back",
                lost_urls=[*lost, label],
            ) from exc
        self._pending.append(label)
        if may_commit:
            self._end_write()

    def _end_write(self) -> None:
        """After a write outside an article batch: commit it now, or when the batch is due."""
        too_old = (
            self.max_batch_seconds is not None
            and time.monotonic() - self._batch_started >= self.max_batch_seconds
        )
        if not self._pending or len(self._pending) >= self.batch_size or too_old:
            self.flush()

    def _one(self, sql: str, params: Any = ()) -> dict[str, Any] | None:
        cursor = self.db.execute(sql, params)
        row = cursor.fetchone()
        if row is None:
            return None
        return dict(zip([d[0] for d in cursor.description], row, strict=True))

    def _all(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        cursor = self.db.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor]

    def _upsert_row(self, table: str, pk: str, key: str, fields: Mapping[str, Any]) -> None:
        columns = [pk, *fields]
        updates = ", ".join(f"{c} = excluded.{c}" for c in fields) or f"{pk} = excluded.{pk}"
        placeholders = ", ".join("?" for _ in columns)
        self._write(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders}) "
            f"ON CONFLICT({pk}) DO UPDATE SET {updates}",
            [key, *fields.values()],
        )


def _reason(exc: BaseException) -> str:
    """A short cause: 'file is not a database', 'unable to open database file', ..."""
    text = str(exc)
    if isinstance(exc, sqlite3.OperationalError) and "unable to open" in text:
        return f"{text} (does the folder exist, and may you write there?)"
    return text
