"""The search page's files: every result as CSV, JSON Lines or XLSX, and an Atom feed of
the newest.

The files are written by archive.export, the CLI's export (the same formats,
archive.export.FORMATS, and columns), to a temporary file first, off the event loop, and
sent with datasette's ``asgi_send_file``; the feed by feedgen, the maintained Atom writer
datasette-atom also uses, valid and empty when nothing matches.
"""

from __future__ import annotations

import asyncio
import os
import re
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import quote

from datasette.utils.asgi import Response, asgi_send_file
from lxml import etree

from archive import clock
from archive.datasette.common import CONTROL, search_url
from archive.export import FORMATS, export_to_file
from archive.search import match_expression


class TemporaryDownload:
    """A file sent as the response, then deleted."""

    def __init__(self, path: Path, filename: str, content_type: str) -> None:
        self.path, self.filename, self.content_type = path, filename, content_type

    async def asgi_send(self, send: Any) -> None:
        # RFC 6266: an ASCII name for old clients, the UTF-8 one (Arabic words) beside it.
        plain = re.sub(r"-{2,}", "-", self.filename.encode("ascii", "ignore").decode())
        disposition = f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(self.filename)}"
        try:
            await asgi_send_file(
                send,
                self.path,
                content_type=self.content_type,
                headers={"content-disposition": disposition},
            )
        finally:
            self.path.unlink(missing_ok=True)


async def export_download(db: Any, params: dict, filters: dict, fmt: str) -> TemporaryDownload:
    """The whole search as CSV (for Excel: BOM, formula-safe) or XLSX, like the CLI's."""
    handle, name = tempfile.mkstemp(prefix="newsarchive-export-", suffix=f".{fmt}")
    os.close(handle)
    path = Path(name)
    options = {
        "format": fmt,
        "source": filters["source"],
        "lang": filters["language"],
        "since": filters["since"],
        "until": filters["until"],
        "tag": filters["tag"],
        "search": params["q"] if match_expression(params["q"]) else None,
        "other_language": bool(params["also"]),
        "order": params["sort"],
        "excel": fmt == "csv",
    }
    try:
        # The export opens its own read-only connection: run it off the event loop.
        await asyncio.to_thread(export_to_file, db.path, path, **options)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return TemporaryDownload(path, f"{download_name(params)}.{fmt}", FORMATS[fmt])


def download_name(params: dict) -> str:
    """A file name that says what was searched: newsarchive-<words>-<source>-<language>-
    <since>-<until>, each part only when given, letters of any script kept."""
    parts = [params.get(k) or "" for k in ("q", "source", "language", "since", "until")]
    words = ["-".join(re.findall(r"\w+", part))[:40].strip("-") for part in parts]
    return "-".join(["newsarchive", *filter(None, words)]) if any(words) else "newsarchive-articles"


def atom_feed(
    datasette: Any, request: Any, database: str, title: str, params: dict, rows: list
) -> Response:
    """An Atom feed of the newest matches; valid, and named after the query, when empty."""
    from feedgen.feed import FeedGenerator

    base = {k: v for k, v in params.items() if v}
    page_url = datasette.absolute_url(request, search_url(datasette, database, **base))
    feed = FeedGenerator()
    feed.id(page_url)
    feed.title(f"newsarchive: {title}")
    feed.link(href=page_url, rel="alternate")
    self_url = request.path + (f"?{request.query_string}" if request.query_string else "")
    feed.link(href=datasette.absolute_url(request, self_url), rel="self")
    feed.author({"name": "newsarchive"})
    stamps = []
    for r in reversed(rows):  # feedgen puts each new entry first
        updated = _stamp(r["updated"] or r["published"] or r["first_seen"])
        stamps.append(updated)
        entry = feed.add_entry()
        entry.id(r["url"])
        entry.title(CONTROL.sub(" ", r["title"] or r["url"]))
        # The archived copy first (it stays when the original is edited or gone), the
        # publisher's page beside it.
        archived = datasette.urls.row(database, "articles", str(r["id"]))
        entry.link(href=datasette.absolute_url(request, archived), rel="alternate")
        entry.link(href=r["url"], rel="related")
        entry.updated(updated)
        if r["published"]:
            entry.published(_stamp(r["published"]))
        summary = r["summary"] or "".join(t for t, _ in r["snippet"])
        if summary:
            entry.summary(CONTROL.sub(" ", summary))
    # An empty feed is still valid Atom: its time is now.
    feed.updated(max(stamps) if stamps else clock.now())
    return Response(
        _with_related_links(feed.atom_str(pretty=True)),
        content_type="application/atom+xml; charset=utf-8",
    )


_ATOM = "{http://www.w3.org/2005/Atom}"


def _with_related_links(atom: bytes) -> str:
    """The feed with each entry's second link marked rel="related" (the publisher's
    page): feedgen 1.0 writes no rel on an entry's links (its loop variable shadows
    the link it reads them from), so both would read as the entry's page."""
    root = etree.fromstring(atom)
    for entry in root.iter(f"{_ATOM}entry"):
        for link in entry.findall(f"{_ATOM}link")[1:]:
            link.set("rel", "related")
    return etree.tostring(root, encoding="unicode", xml_declaration=False)


def _stamp(value):
    when = datetime.fromisoformat(value)
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)
