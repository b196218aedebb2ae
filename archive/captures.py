"""Captures: every fetched article page, kept as evidence and for re-extraction.

A capture is one fetch: the URL asked for and the URL that answered, the
time, the HTTP status, the response (and request) headers, and the body.
Bodies are content-addressed: stored once, zlib-compressed, under the
SHA-256 of their bytes in ``page_bodies``, so a fetch that repeats an
earlier one costs a ``captures`` row, not a copy. Nothing is ever replaced
or deleted. A capture recovered from a web archive (scraper.recover) also keeps
its provenance: the archive, when it captured the page, and the replay address.
A body's stored form and key are archive.bodies'.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from archive.bodies import body_key, compress
from archive.clock import utcnow
from archive.db import ArchiveDB

__all__ = ["Capture", "CaptureStore"]

Headers = Sequence[tuple[str, str]]


@dataclass
class Capture:
    """One fetch of a page, as received."""

    url: str  # the URL that answered (after redirects)
    status: int
    body: bytes | None  # None when only ``compressed`` is at hand: see content()
    fetched_at: str | None = None
    requested_url: str | None = None
    content_type: str | None = None
    encoding: str | None = None
    headers: Headers = field(default_factory=list)  # response headers, in order
    request_headers: Headers = field(default_factory=list)
    # Worth computing where the CPU is to spare (an extraction worker), not in the writer.
    sha256: str | None = None
    compressed: bytes | None = None
    size: int | None = None  # the body's length, when the body itself is not at hand
    id: int | None = None  # set once stored
    # Provenance of a capture recovered from a web archive (None: fetched live).
    archive: str | None = None  # the archive's CDX server
    archived_at: str | None = None  # when the archive captured the page (ISO, UTC)
    replay_url: str | None = None  # where the archive replayed it, raw (id_)

    def content(self) -> bytes:
        """The page as received; decompressed from ``compressed`` on first use when it
        came without its body (a distributed writer stores it without reading it)."""
        if self.body is None:
            self.body = zlib.decompress(self.compressed or b"")
        return self.body

    def length(self) -> int:
        return self.size if self.size is not None else len(self.content())

    def digest(self) -> str:
        if self.sha256 is None:
            self.sha256 = body_key(self.content())
        return self.sha256

    def header(self, name: str) -> str | None:
        """The first response header called ``name`` (case-insensitive)."""
        wanted = name.lower()
        return next((v for k, v in self.headers if k.lower() == wanted), None)


def _capture_from_row(row: dict[str, Any]) -> Capture:
    return Capture(
        id=row["id"],
        url=row["url"],
        status=row["status"],
        body=zlib.decompress(row["body"]),
        fetched_at=row["fetched_at"],
        requested_url=row["requested_url"],
        content_type=row["content_type"],
        encoding=row["encoding"],
        headers=[tuple(h) for h in json.loads(row["headers"] or "[]")],
        request_headers=[tuple(h) for h in json.loads(row["request_headers"] or "[]")],
        sha256=row["sha256"],
        archive=row["archive"],
        archived_at=row["archived_at"],
        replay_url=row["replay_url"],
    )


_SELECT = "SELECT c.*, b.body FROM captures c JOIN page_bodies b ON b.sha256 = c.sha256"


class CaptureStore(ArchiveDB):
    """captures and page_bodies."""

    def _save_capture(self, article_id: int | None, capture: Capture, now: str) -> int:
        """Store a capture inside the open batch; returns its id."""
        digest = capture.digest()
        # A body compressed by the extraction worker goes in with one descent of the
        # page_bodies tree (a random key: a cache miss at a million); one still to be
        # compressed is looked up first, so a repeated fetch costs no compression.
        body = capture.compressed
        if body is None and not self._has_body(digest):
            body = compress(capture.content())
        if body is not None:
            self.db.execute(
                "INSERT OR IGNORE INTO page_bodies (sha256, size, body) VALUES (?, ?, ?)",
                [digest, capture.length(), body],
            )
        cursor = self.db.execute(
            "INSERT INTO captures (article_id, requested_url, url, fetched_at, status, "
            "content_type, encoding, headers, request_headers, sha256, archive, archived_at, "
            "replay_url) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                article_id,
                capture.requested_url,
                capture.url,
                capture.fetched_at or now,
                capture.status,
                capture.content_type,
                capture.encoding,
                json.dumps([list(h) for h in capture.headers], ensure_ascii=False),
                json.dumps([list(h) for h in capture.request_headers], ensure_ascii=False),
                digest,
                capture.archive,
                capture.archived_at,
                capture.replay_url,
            ],
        )
        capture.id = int(cursor.lastrowid)
        return capture.id

    def _has_body(self, digest: str) -> bool:
        return (
            self.db.execute("SELECT 1 FROM page_bodies WHERE sha256 = ?", [digest]).fetchone()
            is not None
        )

    def add_capture(self, article_id: int | None, capture: Capture) -> int:
        """Store one capture now (outside an upsert); returns its id."""
        self._begin()
        capture_id = self._save_capture(article_id, capture, utcnow())
        self._end_write()
        return capture_id

    def captures(self, article_id: int) -> list[Capture]:
        """Every capture of an article, oldest first."""
        rows = self._all(_SELECT + " WHERE c.article_id = ? ORDER BY c.id", [article_id])
        return [_capture_from_row(row) for row in rows]

    def capture(self, capture_id: int) -> Capture | None:
        """One capture by id."""
        row = self._one(_SELECT + " WHERE c.id = ?", [capture_id])
        return _capture_from_row(row) if row is not None else None

    def capture_of_article(self, capture_id: int) -> tuple[int, Capture] | None:
        """``(article_id, capture)`` for a capture of an article, else None."""
        row = self._one(_SELECT + " WHERE c.id = ? AND c.article_id IS NOT NULL", [capture_id])
        return (row["article_id"], _capture_from_row(row)) if row is not None else None

    def latest_capture(self, article_id: int) -> Capture | None:
        """The article's most recent capture."""
        row = self._one(
            _SELECT + " WHERE c.article_id = ? ORDER BY c.id DESC LIMIT 1", [article_id]
        )
        return _capture_from_row(row) if row is not None else None

    def iter_captures(
        self, source: str | None = None, *, latest_only: bool = True
    ) -> Iterator[tuple[int, Capture]]:
        """Yield ``(article_id, capture)``, streamed; by default each article's latest."""
        where = ["c.article_id IS NOT NULL"]
        if latest_only:
            where.append("c.id = (SELECT max(id) FROM captures WHERE article_id = c.article_id)")
        params: list[Any] = []
        if source:
            where.append("c.article_id IN (SELECT id FROM articles WHERE source = ?)")
            params.append(source)
        # Ids first, then one capture at a time: the caller may write while iterating.
        ids = [
            row[0]
            for row in self.db.execute(
                f"SELECT c.id FROM captures c WHERE {' AND '.join(where)} "
                "ORDER BY c.article_id, c.id",
                params,
            )
        ]
        for capture_id in ids:
            row = self._one(_SELECT + " WHERE c.id = ?", [capture_id])
            if row is not None:
                yield row["article_id"], _capture_from_row(row)
