"""datasette plugin: a capture's page, ``/DB/-/capture/ID``.

When and where the page was fetched (or which web archive it was recovered from), its
SHA-256, and the page as captured (``.../raw``, from archive.captures' compressed
bodies) in a sandboxed frame under a Content-Security-Policy that runs and reaches
nothing.
"""

from __future__ import annotations

import zlib
from typing import Any

from datasette import hookimpl
from datasette.utils.asgi import Response

from archive.recovery import archive_name
from archive.urls import web_url

CAPTURE_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; "
    "form-action 'none'; frame-ancestors 'self'; base-uri 'none'; sandbox"
)


async def _capture(datasette: Any, database: str, capture_id: int) -> dict[str, Any] | None:
    db = datasette.get_database(database)
    rows = (
        await db.execute(
            "select c.id, c.article_id, c.url, c.fetched_at, c.status, c.sha256, c.encoding, "
            "c.content_type, c.archive, c.archived_at, c.replay_url, b.body "
            "from captures c left join page_bodies b using (sha256) "
            "where c.id = ?",
            [capture_id],
        )
    ).rows
    return dict(rows[0]) if rows else None


async def capture_view(datasette: Any, request: Any) -> Response:
    """A capture's page (``/DB/-/capture/ID``): when and where it was fetched, its
    SHA-256, and the page as captured in a sandboxed frame (``.../raw``)."""
    database = request.url_vars["database"]
    capture = await _capture(datasette, database, int(request.url_vars["id"]))
    if capture is None or capture["body"] is None:
        return Response.text("no such capture", status=404)
    raw = request.url_vars.get("raw")
    if raw:
        encoding = capture["encoding"] or "utf-8"
        return Response(
            zlib.decompress(capture["body"]),
            content_type=f"text/html; charset={encoding}",
            headers={
                "Content-Security-Policy": CAPTURE_POLICY,
                "X-Content-Type-Options": "nosniff",
                "Referrer-Policy": "no-referrer",
            },
        )
    context = {
        "capture": {
            **capture,
            "archive_name": archive_name(capture["archive"]),
            "replay_href": web_url(capture["replay_url"]),
        },
        "article_href": datasette.urls.row(database, "articles", str(capture["article_id"])),
        "raw_href": datasette.urls.database(database) + f"/-/capture/{capture['id']}/raw",
    }
    html = await datasette.render_template("newsarchive_capture.html", context, request=request)
    return Response.html(html)


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [(r"^/(?P<database>[^/.]+)/-/capture/(?P<id>\d+)(?P<raw>/raw)?$", capture_view)]
