"""datasette plugin: the search page and the article lists, ``/DB/search``.

One page for both (no query: every article, newest first). archive.search runs the
query through its analyser (stems, so بالكهرباء finds كهرباء and farmers finds farmer)
and cuts snippets from the article's own text; the page shows the total, pages through
all results, sorts by date or relevance, filters by source, language, tag and date
range. The same search is ``search.json`` (this page's results), ``search.atom`` and
the downloads of every result in archive.export's formats (``search.csv``,
``search.xlsx``, ``search.jsonl``: archive/datasette/downloads.py). Source links and tag
chips everywhere lead here.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from datasette import hookimpl
from datasette.utils.asgi import Response
from markupsafe import Markup

from archive import clock
from archive.datasette.common import CONTROL, direction, search_url
from archive.datasette.downloads import atom_feed, export_download
from archive.days import day_of
from archive.export import FORMATS as DOWNLOADS
from archive.record import language_base
from archive.search import count_found, find_articles, match_expression, parse_query

PAGE_SIZE = 20
FEED_SIZE = 50
# The page's own JSON, the downloads of every result, and the feed.
FORMATS = ("json", *DOWNLOADS, "atom")
SORTS = {"newest": "newest first", "oldest": "oldest first", "relevance": "best match first"}
MAX_PAGE = 10**9  # beyond any archive, and within SQLite's integers


class SearchError(ValueError):
    """A parameter of the search page that cannot be used (answered 400)."""


def _search_params(request: Any, sources: dict[str, str]) -> tuple[dict[str, str], int]:
    """The page's parameters, checked: unknown sources or sorts, bad dates are errors."""
    args = {k: CONTROL.sub(" ", request.args.get(k)).strip() for k in request.args.keys()}
    q = args.get("q") or ""
    source = args.get("source") or ""
    if source and source not in sources:
        raise SearchError(f"unknown source {source!r}")
    sort = args.get("sort") or "newest"
    if sort not in SORTS:
        raise SearchError(f"unknown sort {sort!r}: use {', '.join(SORTS)}")
    if sort == "relevance" and not match_expression(q):
        sort = "newest"  # nothing to rank by
    try:
        page = min(max(1, int(args.get("page") or 1)), MAX_PAGE)
    except ValueError:
        page = 1
    since, until = args.get("since") or "", args.get("until") or ""
    if since and until:
        first, last = clock.parse_user_date(since), clock.parse_user_date(until)
        if first.start() > last.end() or (last.whole_day and first.start() == last.end()):
            raise SearchError(f"From ({since}) is after To ({until}): nothing could match")
    params = {
        "q": q,
        "source": source,
        "language": args.get("language") or "",
        "tag": args.get("tag") or "",
        "since": args.get("since") or "",
        "until": args.get("until") or "",
        "sort": sort,
        # Names also in their other language's spellings (Idlib, إدلب): archive.search.
        "also": "1" if args.get("also") else "",
    }
    return params, page


def _filters(params: dict[str, str]) -> dict[str, str | None]:
    return {k: params[k] or None for k in ("source", "language", "since", "until", "tag")}


def _title(params: dict[str, str], source_names: dict[str, str]) -> str:
    """A human title for the page, the feed and the browser tab."""
    parts = []
    if params["q"]:
        parts.append(f"“{params['q']}”")
    if params["source"]:
        parts.append(source_names.get(params["source"], params["source"]))
    if params["tag"]:
        parts.append(f"tag {params['tag']}")
    if params["language"]:
        parts.append(f"in {params['language']}")
    if params["since"] or params["until"]:
        parts.append(f"{params['since'] or '…'} to {params['until'] or '…'}")
    head = "Search" if params["q"] else "Articles"
    return head + (": " + ", ".join(parts) if parts else "")


async def _choices(db: Any) -> tuple[dict[str, str], list[str]]:
    """Sources (id -> name) and languages present, for the drop-downs."""
    # Each distinct value by one index seek from the last (a "loose index scan"):
    # a few dozen seeks instead of reading a million index entries per page.
    rows = await db.execute(
        f"select c.source, coalesce(s.name, c.source) as name from ({_distinct('source')}) c "
        "left join sources s on s.id = c.source order by name"
    )
    languages = await db.execute(f"select language from ({_distinct('language')}) order by 1")
    return {r["source"]: r["name"] for r in rows.rows}, [r["language"] for r in languages.rows]


def _distinct(column: str) -> str:
    """SQL of the distinct non-null values of an indexed column of articles, ascending."""
    return (
        f"with recursive v({column}) as (select min({column}) from articles "
        f"union all select (select min({column}) from articles where {column} > v.{column}) "
        f"from v where v.{column} is not null) "
        f"select {column} from v where {column} is not null"
    )


def _snippet_html(pieces: list[tuple[str, bool]]) -> Markup:
    return Markup("").join(Markup("<mark>{}</mark>").format(t) if m else t for t, m in pieces)


async def search_view(datasette: Any, request: Any) -> Any:
    database = request.url_vars["database"]
    fmt = request.url_vars.get("format")
    try:
        db = datasette.get_database(database)
    except KeyError:
        return Response.text("no such database", status=404)
    if "articles" not in await db.table_names():
        return Response.text("not an archive", status=404)
    source_names, languages = await _choices(db)
    try:
        params, page = _search_params(request, source_names)
        filters = _filters(params)
        if fmt in DOWNLOADS:
            return await export_download(db, params, filters, fmt)
        limit = FEED_SIZE if fmt == "atom" else PAGE_SIZE
        offset = 0 if fmt == "atom" else (page - 1) * PAGE_SIZE

        def run(conn):
            # A feed has no total: not counted (a common word's count costs most).
            other = bool(params["also"])
            total = None if fmt == "atom" else count_found(conn, params["q"], other, **filters)
            nonlocal page, offset
            if total is not None and offset >= total > 0:  # past the end: the last page
                page = -(-total // PAGE_SIZE)
                offset = (page - 1) * PAGE_SIZE
            rows = find_articles(
                conn,
                params["q"],
                order=params["sort"],
                limit=limit,
                offset=offset,
                # A feed shows an entry's summary, and a snippet only without one.
                snippets=fmt != "atom",
                other_language=other,
                **filters,
            )
            return total, rows

        total, rows = await db.execute_fn(run)
    except SearchError as exc:
        return await _error(datasette, request, database, str(exc), fmt)
    except ValueError as exc:  # a date archive.clock cannot read
        return await _error(datasette, request, database, str(exc), fmt)
    title = _title(params, source_names)
    if fmt == "atom":
        return atom_feed(datasette, request, database, title, params, rows)
    if fmt == "json":
        return Response.json(
            {
                "title": title,
                "total": total,
                "page": page,
                "pages": max(1, -(-total // PAGE_SIZE)),
                "rows": [
                    {
                        "article": r["id"],
                        "source": r["source"],
                        "published": r["published"],
                        "published_local": r["published_local"],
                        "title": r["title"],
                        "url": r["url"],
                        "language": r["language"],
                        "snippet": "".join(f"[{t}]" if m else t for t, m in r["snippet"]),
                        "matched_tags": [
                            "".join(f"[{t}]" if m else t for t, m in tag)
                            for tag in r["matched_tags"]
                        ],
                    }
                    for r in rows
                ],
            }
        )
    pages = max(1, -(-total // PAGE_SIZE))
    base = {k: v for k, v in params.items() if v and not (k == "sort" and v == "newest")}
    # A result opens its article with the searched words marked.
    marked = {k: params[k] for k in ("q", "also") if params[k]}
    results = [
        {
            "href": datasette.urls.row(database, "articles", str(r["id"]))
            + (f"?{urlencode(marked)}" if marked else ""),
            "title": r["title"] or "(untitled)",
            "dir": direction(r["language"], r["title"] or r["body"] or ""),
            "lang": language_base(r["language"]),
            "source": source_names.get(r["source"], r["source"]),
            "source_href": search_url(datasette, database, source=r["source"]),
            "published": r["published"],
            "day": day_of(r["published"], r["published_local"]),
            "snippet": _snippet_html(r["snippet"]),
            # Found through a tag alone: the snippet has no highlight, the tag says why.
            "tags_found": [
                {
                    "html": _snippet_html(tag),
                    "href": search_url(datasette, database, tag="".join(t for t, _ in tag)),
                }
                for tag in r["matched_tags"]
            ]
            if not any(m for _, m in r["snippet"])
            else [],
        }
        for r in rows
    ]
    context = {
        "title": title,
        "params": params,
        "also_searched": parse_query(params["q"], bool(params["also"])).also,
        "total": total,
        "page": page,
        "pages": pages,
        "first": offset + 1,
        "last": offset + len(rows),
        "results": results,
        "sources": source_names,
        "languages": languages,
        "sorts": SORTS,
        "action": search_url(datasette, database),
        "prev_href": search_url(datasette, database, **base, page=page - 1) if page > 1 else None,
        "next_href": search_url(datasette, database, **base, page=page + 1)
        if page < pages
        else None,
        "exports": {
            name: datasette.urls.database(database)
            + f"/search.{name}"
            + ("?" + urlencode(base) if base else "")
            for name in FORMATS
        },
        "database": database,
    }
    html = await datasette.render_template("newsarchive_search.html", context, request=request)
    return Response.html(html)


async def _error(
    datasette: Any, request: Any, database: str, message: str, fmt: str | None
) -> Response:
    if fmt in FORMATS:
        return Response.text(f"Bad request: {message}\n", status=400)
    context = {"title": "Search", "error": message, "action": search_url(datasette, database)}
    html = await datasette.render_template("newsarchive_search.html", context, request=request)
    return Response.html(html, status=400)


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    formats = "|".join(FORMATS)
    return [(rf"^/(?P<database>[^/.]+)/search(\.(?P<format>{formats}))?$", search_view)]
