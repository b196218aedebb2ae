"""WARC export: the archive's captures as WARC/1.1, for replay (pywb) and other archives.

``newsarchive export --format warc -o FILE.warc.gz`` writes, after a
``warcinfo`` record, one ``request`` and one ``response`` record per capture
(every fetch the archive kept, oldest first), chosen by the same source,
language and date filters as the other exports. The response carries the
status line and the headers as received and the body byte for byte, so its
``WARC-Payload-Digest`` is the capture's SHA-256 (archive.captures); the
request carries the request headers sent. A capture recovered from a web
archive (scraper.recover) keeps its original URL as ``WARC-Target-URI`` and its
capture's date as ``WARC-Date``. Records are gzipped one by one, as
replay tools and CDX indexers expect.

Headers that described the transfer rather than the page are not true of the
stored body any more (the crawler decoded ``Content-Encoding`` and joined
``Transfer-Encoding: chunked``), so they are kept as ``X-Archive-Orig-*`` (the
name pywb gives original headers) and ``Content-Length`` is the body's.

warcio writes the records: it is the WARC library of Webrecorder, the authors
of pywb, and computes the block digests and record lengths the format needs.
"""

from __future__ import annotations

import base64
import io
import json
import sqlite3
import zlib
from collections.abc import Iterator, Sequence
from datetime import datetime, timezone
from http import HTTPStatus
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archive import clock
from archive.days import date_filter
from archive.files import write_whole

__all__ = ["export_warc", "warc_to_file"]

# Hop-by-hop or transfer headers: true of the bytes on the wire, not of the stored body.
_TRANSFER = {"content-encoding", "transfer-encoding", "content-length", "connection"}


def _warc_date(value: str | None) -> str:
    try:
        when = datetime.fromisoformat((value or "").replace("Z", "+00:00"))
    except ValueError:
        when = clock.now()
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _headers(raw: str | None) -> list[tuple[str, str]]:
    return [(str(k), str(v)) for k, v in json.loads(raw or "[]")]


def _sha256_label(hexdigest: str) -> str:
    return "sha256:" + base64.b32encode(bytes.fromhex(hexdigest)).decode("ascii")


def _select(
    source: Sequence[str] | None, lang: str | None, since: str | None, until: str | None
) -> tuple[str, list[Any]]:
    where, params = ["c.article_id IS NOT NULL"], []
    if source:
        where.append(f"a.source IN ({','.join('?' * len(source))})")
        params.extend(source)
    if lang:
        where.append("(a.language = ? OR a.language LIKE ?)")
        params.extend([lang, f"{lang}-%"])
    # A date without a time is the publisher's whole day.
    dated, dates = date_filter(since, until, "a")
    where += dated
    params += dates
    sql = (
        # A capture recovered from a web archive is dated by that archive's capture.
        "SELECT c.id, c.requested_url, c.url, coalesce(c.archived_at, c.fetched_at), c.status, "
        "c.headers, "
        "c.request_headers, c.sha256 FROM captures c JOIN articles a ON a.id = c.article_id "
        f"WHERE {' AND '.join(where)} ORDER BY c.id"
    )
    return sql, params


def _records(conn: sqlite3.Connection, sql: str, params: list[Any]) -> Iterator[tuple[Any, ...]]:
    # Ids first, then one body at a time: memory stays flat on a big archive.
    rows = conn.execute(sql, params).fetchall()
    for row in rows:
        stored = conn.execute("SELECT body FROM page_bodies WHERE sha256 = ?", [row[7]]).fetchone()
        if stored is not None:
            yield (*row, zlib.decompress(stored[0]))


def export_warc(
    db: str | Path,
    out: BinaryIO,
    *,
    source: Sequence[str] | None = None,
    lang: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> int:
    """Write the captures (filtered) to ``out`` as gzipped WARC/1.1; returns how many."""
    writer = WARCWriter(out, gzip=True, warc_version="WARC/1.1")
    info = writer.create_warcinfo_record(
        Path(getattr(out, "name", "archive.warc.gz")).name,
        {
            "software": "newsarchive",
            "format": "WARC File Format 1.1",
            "description": "Article pages as fetched, from a newsarchive archive",
        },
    )
    writer.write_record(info)
    sql, params = _select(source, lang, since, until)
    conn = sqlite3.connect(f"file:{Path(db)}?mode=ro", uri=True)
    count = 0
    try:
        for (
            _cid,
            requested,
            url,
            fetched_at,
            status,
            headers,
            request_headers,
            sha256,
            body,
        ) in _records(conn, sql, params):
            date = _warc_date(fetched_at)
            kept, original = [], []
            for name, value in _headers(headers):
                if name.lower() in _TRANSFER:
                    original.append((f"X-Archive-Orig-{name}", value))
                else:
                    kept.append((name, value))
            kept += [*original, ("Content-Length", str(len(body)))]
            try:
                reason = HTTPStatus(status).phrase
            except ValueError:
                reason = "Unknown"
            response = writer.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(body),
                length=len(body),
                http_headers=StatusAndHeaders(f"{status} {reason}", kept, protocol="HTTP/1.1"),
                warc_headers_dict={"WARC-Date": date, "WARC-Payload-Digest": _sha256_label(sha256)},
            )
            writer.write_record(response)
            target = requested or url
            parts = urlsplit(target)
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            sent = _headers(request_headers)
            if not any(k.lower() == "host" for k, _ in sent):
                sent.insert(0, ("Host", parts.netloc))
            request = writer.create_warc_record(
                target,
                "request",
                http_headers=StatusAndHeaders(f"GET {path} HTTP/1.1", sent, is_http_request=True),
                warc_headers_dict={
                    "WARC-Date": date,
                    "WARC-Concurrent-To": response.rec_headers.get_header("WARC-Record-ID"),
                },
            )
            writer.write_record(request)
            count += 1
    finally:
        conn.close()
    return count


def warc_to_file(db: str | Path, path: str | Path, **filters: Any) -> int:
    """:func:`export_warc` into ``path``, written whole or not at all."""
    return write_whole(path, lambda out: export_warc(db, out, **filters))
