"""datasette plugin: the read-only front door, and request errors answered as the
client's.

- asgi_wrapper: the archive is read-only, so any method but GET, HEAD and OPTIONS is
  answered 405 before datasette sees it (a POST to a canned query or ``/-/messages``
  used to end in a 500), and datasette's debugging pages (messages, permissions,
  allow-debug, patterns, threads, actor, auth-token) are not served. A table page's
  column search (``?_search_title=``) is rewritten into archive.search's query syntax.
- handle_exception: datasette's errors about request parameters are 400s, not 500s.
"""

from __future__ import annotations

import sqlite3
from typing import Any
from urllib.parse import parse_qsl, urlencode

from datasette import hookimpl
from datasette.database import QueryInterrupted
from datasette.utils.asgi import Response
from datasette.views.base import DatasetteError

from archive.search import COLUMNS as SEARCH_COLUMNS

# Debugging pages of datasette that a read-only public archive has no use for.
DEBUG_PATHS = (
    "/-/messages",
    "/-/permissions",
    "/-/allow-debug",
    "/-/patterns",
    "/-/threads",
    "/-/actor",
    "/-/auth-token",
)
READ_METHODS = {"GET", "HEAD", "OPTIONS"}


def _column_search(scope: dict[str, Any]) -> dict[str, Any]:
    """``?_search_title=X`` as ``?_search=title: (X)``.

    datasette runs a column search as ``title MATCH escape_fts(X)``, but the
    analysed query names its own columns (title and title_stem), and FTS5
    intersects the two: nothing would ever match. The query parser's own
    ``title:`` filter covers both.
    """
    pairs = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
    if ("_searchmode", "raw") in pairs:
        return scope
    terms = [
        f"{key[len('_search_') :]}: ({value})"
        for key, value in pairs
        if key.startswith("_search_") and key[len("_search_") :] in SEARCH_COLUMNS and value
    ]
    if not terms:
        return scope
    kept = [(k, v) for k, v in pairs if not k.startswith("_search_")]
    searched = [v for k, v in kept if k == "_search" and v]
    kept = [(k, v) for k, v in kept if k != "_search"]
    query = " AND ".join([*(f"({v})" for v in searched), *terms])
    return {**scope, "query_string": urlencode([*kept, ("_search", query)]).encode("latin-1")}


@hookimpl
def asgi_wrapper() -> Any:
    def wrap(app):
        async def read_only(scope, receive, send):
            if scope["type"] == "http":
                if scope["method"] not in READ_METHODS:
                    response = Response.text(
                        "Method not allowed: the archive is read-only\n",
                        status=405,
                        headers={"Allow": "GET, HEAD, OPTIONS"},
                    )
                    return await response.asgi_send(send)
                if scope["path"].rstrip("/").split(".")[0] in DEBUG_PATHS:
                    return await Response.text("Not found\n", status=404).asgi_send(send)
                scope = _column_search(scope)
            return await app(scope, receive, send)

        return read_only

    return wrap


# What datasette 0.65 raises while reading malformed parameters: int("abc")
# for _timelimit, json.loads for _through and __in filters (ValueError), a
# _through without its keys or _shape=arrayfirst on a database page
# (KeyError), a huge number (OverflowError), "_where=1;drop" (sqlite3.Warning:
# one statement at a time), and a query stopped by the time limit a client
# set (_timelimit=1; datasette's HTML pages already answer that with 400).


CLIENT_ERRORS = (
    ValueError,
    KeyError,
    OverflowError,
    sqlite3.Warning,
    sqlite3.ProgrammingError,
    QueryInterrupted,
)


@hookimpl
def handle_exception(exception: Exception) -> Response | None:
    """Bad request parameters are the client's error: 400, not 500.

    datasette raises DatasetteError, whose status defaults to 500, for what a
    client sent (``_sort=title;drop``, ``_sort`` with ``_sort_desc``, an
    unknown facet column), and lets the parsing errors of CLIENT_ERRORS
    through. Returning None lets datasette's own handler render the error
    page (with the traceback still printed to the server's log) with the
    corrected status.
    """
    if isinstance(exception, DatasetteError) and exception.status == 500:
        exception.status = 400
    elif isinstance(exception, CLIENT_ERRORS):
        return Response.text(f"Bad request: {exception}\n", status=400)
