"""Crawl state kept in the archive: sources' health and polling, feeds' conditional-GET
validators, how far backfills walked their listings, and the queue of backfills.

Plain SQL on the archive's connection (archive.db); sqlite-utils' ``upsert_all``
for syncing the registry, because it updates only the columns given, so the
health and polling state of a source survive a registry reload.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from archive.clock import utcnow
from archive.db import ArchiveDB, ArchiveError
from archive.stories.linking import relabel_outlet

__all__ = ["CrawlState", "FEED_FIELDS", "SOURCE_FIELDS", "SOURCE_STATE_FIELDS"]

SOURCE_FIELDS = ("name", "homepage", "language", "outlet", "poll_interval")
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


class CrawlState(ArchiveDB):
    """sources, feeds, listing_progress and backfills."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Holds of this batch not written yet: token -> (source, url, fetch, body). Written
        # just before the commit (_before_commit), if the page is still not stored by then.
        self._unwritten_holds: dict[int, tuple[str, str, Mapping[str, Any], bytes]] = {}
        self._written_holds: dict[int, int] = {}  # token -> held_pages.id
        self._hold_tokens = itertools.count(-1, -1)  # negative: never an earlier run's id
        super().__init__(*args, **kwargs)

    # --- sources -------------------------------------------------------------

    def sync_sources(self, entries: Iterable[Mapping[str, Any] | Any]) -> int:
        """Insert or update sources from the registry; health columns are kept.

        Takes dicts (or objects with the same attributes) with id, name,
        homepage, language, outlet, poll_interval. Returns how many were synced.
        A source whose outlet changed has its stories' outlets counted again.
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
                self.db["sources"].upsert_all(rows, pk="id")
                for row in rows:  # an outlet renamed: its stories counted again
                    relabel_outlet(self.db.conn, row["id"])
            except sqlite3.Error as exc:
                lost = self._rollback()
                raise ArchiveError(f"could not sync sources: {exc}", lost_urls=lost) from exc
            self._end_write()
        return len(rows)

    def source(self, source_id: str) -> dict[str, Any] | None:
        """The sources row for ``source_id``."""
        return self._one("SELECT * FROM sources WHERE id = ?", [source_id])

    def sources(self) -> dict[str, dict[str, Any]]:
        """Every sources row, by id."""
        return {row["id"]: row for row in self._all("SELECT * FROM sources ORDER BY id")}

    def update_source(self, source_id: str, **fields: Any) -> None:
        """Set health/polling columns of a source (the row is created if new)."""
        _check_fields(fields, SOURCE_STATE_FIELDS, "sources")
        self._upsert_row("sources", "id", source_id, fields)

    # --- feeds ---------------------------------------------------------------

    def feed_state(self, url: str) -> dict[str, Any] | None:
        """The feeds row (etag, last_modified, ...) for a feed url."""
        return self._one("SELECT * FROM feeds WHERE url = ?", [url])

    def save_feed_state(self, url: str, source: str | None, **fields: Any) -> None:
        """Store conditional-GET and health state of a feed."""
        _check_fields(fields, FEED_FIELDS, "feeds")
        self._upsert_row("feeds", "url", url, {"source": source, **fields})

    # --- backfill progress ---------------------------------------------------

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

    # --- the crawl frontier, for resuming a killed crawl -------------------------

    def add_link(self, source: str, url: str, via: str, hints: dict, seen_as: list) -> None:
        """An article link the running crawl is about to fetch (joins the open batch)."""
        self._batched(
            "INSERT INTO frontier (source, kind, url, via, hints, seen_as, at) "
            "VALUES (?, 'link', ?, ?, ?, ?, ?)",
            [
                source,
                url,
                via,
                json.dumps(hints, ensure_ascii=False, default=str),
                json.dumps(seen_as, ensure_ascii=False),
                utcnow(),
            ],
            url,
        )

    def mark_read(self, source: str, url: str) -> None:
        """A feed, sitemap or listing page the running crawl has read to the end."""
        self._batched(
            "INSERT INTO frontier (source, kind, url, at) VALUES (?, 'read', ?, ?)",
            [source, url, utcnow()],
            url,
        )

    def frontier(self, source: str, since: str) -> tuple[list[dict[str, Any]], set[str]]:
        """What the runs of ``source`` since ``since`` found: (links, pages read)."""
        links, read = [], set()
        for row in self._all(
            "SELECT kind, url, via, hints, seen_as FROM frontier "
            "WHERE source = ? AND at >= ? ORDER BY id",
            [source, since],
        ):
            if row["kind"] == "read":
                read.add(row["url"])
            else:
                row["hints"] = json.loads(row["hints"] or "{}")
                row["seen_as"] = [tuple(s) for s in json.loads(row["seen_as"] or "[]")]
                links.append(row)
        return links, read

    def frontier_links(self, source: str, since: str, via: str) -> Iterator[tuple[str, dict]]:
        """The links found ``via`` by the runs of ``source`` since ``since`` (url, hints),
        read a thousand at a time: a backfill's hundred thousand are never all in memory.
        (The pipeline keeps a run's aliases here until the run ends.)"""
        after = (since, 0)
        while True:
            rows = self.db.execute(
                "SELECT at, id, url, hints FROM frontier WHERE source = ? AND (at, id) > (?, ?) "
                "AND kind = 'link' AND via = ? ORDER BY at, id LIMIT 1000",
                [source, *after, via],
            ).fetchall()
            for _at, _id, url, hints in rows:
                yield url, json.loads(hints or "{}")
            if len(rows) < 1000:
                return
            after = rows[-1][:2]

    def hold_page(self, source: str, url: str, fetch: Mapping[str, Any], body: bytes) -> int:
        """Keep a fetched article page until it is stored; returns the hold's token.

        A crawl killed between fetching a page and storing it (extraction takes
        the time) gives it to the next run instead of the site's server again. The
        hold joins the open batch, and is written by its commit only if the page is
        not stored by then: most pages are extracted and stored within the batch
        they were fetched in, and then cost no write of their body at all. A kill
        loses the open batch's holds (at most a second of fetches), which the next
        run fetches again.
        """
        try:
            self._begin()  # the batch's timer then commits the hold in max_batch_seconds
        except sqlite3.Error as exc:
            raise ArchiveError(
                f"could not hold {url} in {self.path}: {exc}", lost_urls=self._rollback()
            ) from exc
        token = next(self._hold_tokens)
        self._unwritten_holds[token] = (source, url, fetch, body)
        self._pending.append(f"held page {url}")
        return token

    def release_page(self, held_id: int) -> None:
        """A held page is being stored (or recorded as failed): forget it in the batch that
        stores it. Called just before that write, and never commits on its own: a batch
        committed between the two (it was due) with a kill before the next commit would
        lose the page, neither held nor stored, and the next run would fetch it again.
        ``held_id`` is a token of hold_page or the id of an earlier run's held page."""
        if self._unwritten_holds.pop(held_id, None) is not None:
            return
        held_id = self._written_holds.pop(held_id, held_id)
        self._batched(
            "DELETE FROM held_pages WHERE id = ?",
            [held_id],
            f"held page {held_id}",
            may_commit=False,
        )

    def _before_commit(self) -> None:
        super()._before_commit()
        for token, (source, url, fetch, body) in self._unwritten_holds.items():
            cursor = self.db.conn.execute(
                "INSERT INTO held_pages (source, url, fetch, body) VALUES (?, ?, ?, ?)",
                [source, url, json.dumps(fetch, ensure_ascii=False), body],
            )
            self._written_holds[token] = cursor.lastrowid
        self._unwritten_holds.clear()

    def _rollback(self) -> list[str]:
        self._unwritten_holds.clear()
        return super()._rollback()

    def held_pages(self, source: str) -> list[tuple[int, dict[str, Any], bytes]]:
        """The pages of ``source`` fetched by an earlier run and never stored: (id, the
        fetch's fields, body), oldest first."""
        rows = self.db.execute(
            "SELECT id, fetch, body FROM held_pages WHERE source = ? ORDER BY id", [source]
        )
        return [(held_id, json.loads(fetch), body) for held_id, fetch, body in rows]

    def clear_frontier(self, source: str) -> None:
        """Forget the frontier of a source whose crawl has completed."""
        self._write("DELETE FROM frontier WHERE source = ?", [source])

    def listings_walked(self, source: str, since: str | None, after: str) -> dict[str, tuple]:
        """Per listing, (last page, completed) as runs since ``after`` left them."""
        rows = self.db.execute(
            "SELECT listing, last_page, completed FROM listing_progress "
            "WHERE source = ? AND since = ? AND updated >= ?",
            [source, since or "", after],
        )
        return {listing: (page, bool(done)) for listing, page, done in rows}

    # --- the backfill queue (`crawl --queue`, run by `schedule`) ---------------

    def queue_backfill(self, source_id: str, since: str | None) -> int:
        """Ask the running schedule to backfill a source; returns the request's id."""
        cursor = self._write(
            "INSERT INTO backfills (source, since, requested_at) VALUES (?, ?, ?)",
            [source_id, since, utcnow()],
        )
        return int(cursor.lastrowid)

    def take_backfill(self) -> dict[str, Any] | None:
        """The oldest queued backfill, marked running; None when the queue is empty."""
        queued = self._one(
            "SELECT id, source, since FROM backfills WHERE status = 'queued' ORDER BY id LIMIT 1"
        )
        if queued is not None:
            self._write(
                "UPDATE backfills SET status = 'running', started = ? WHERE id = ?",
                [utcnow(), queued["id"]],
            )
        return queued

    def requeue_stopped_backfills(self) -> int:
        """Queue again the backfills a stopped or killed schedule did not finish (left
        running or interrupted), so that the next one continues them first; how many."""
        cursor = self._write(
            "UPDATE backfills SET status = 'queued', finished = NULL "
            "WHERE status IN ('running', 'interrupted')"
        )
        return cursor.rowcount

    def finish_backfill(self, backfill_id: int, status: str) -> None:
        """Record how a backfill ended."""
        self._write(
            "UPDATE backfills SET status = ?, finished = ? WHERE id = ?",
            [status, utcnow(), backfill_id],
        )
