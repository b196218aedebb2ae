"""datasette plugin for the news archive: the search page, article lists, an
article page, a front page, a month facet, and a read-only front door.

Loaded with ``--plugins-dir archive/datasette/plugins`` by ``newsarchive serve``
(archive/serve.py), so it only runs on archives, never on other databases a
user's datasette serves.

- ``/DB/search`` (register_routes): the search page and the curated article
  list in one (no query: every article, newest first). archive.search runs
  the query through its analyser (stems, so بالكهرباء finds كهرباء and
  farmers finds farmer) and cuts snippets from the article's own text; the
  page shows the total, pages through all results, sorts by date or
  relevance, filters by source, language, tag and date range. The same
  search is ``search.csv`` and ``search.xlsx`` (archive.export, the CLI's
  default columns, streamed to a temporary file first), ``search.atom``
  (feedgen, the maintained Atom writer datasette-atom also uses; a valid
  empty feed when nothing matches) and ``search.json``. Source links and tag
  chips everywhere lead here.
- Table pages: datasette runs ``?_search=`` through the SQL function
  ``escape_fts()``; this plugin replaces it with
  :func:`archive.search.match_expression`, so the table search box matches
  words the same way and never raises an FTS5 syntax error.
- ``{"month": "published_local"}`` facets count articles per YYYY-MM (the
  publisher's month, archive.days) and filter with ``published_local__startswith``.
- Dates show as the publisher's day (archive.days.day_of): in tables, on the
  article page, in search results, the front page and a story's articles.
- ``row.html`` shows an article as an article (paragraphs, right-to-left for
  Arabic, tags, link to the original, revisions, other outlets' copies) from
  the ``article`` variable set here; ``index.html`` shows a search box,
  sources and the latest articles from ``archive_home``.
- handle_exception: datasette's errors about request parameters are 400s.
- asgi_wrapper: the archive is read-only, so any method but GET, HEAD and
  OPTIONS is answered 405 before datasette sees it (a POST to a canned query
  or ``/-/messages`` used to end in a 500), and datasette's debugging pages
  (messages, permissions, allow-debug, patterns, threads, actor, auth-token)
  are not served.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import sqlite3
import tempfile
import zlib
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import parse_qsl, quote, unquote, urlencode

from datasette import hookimpl
from datasette.database import QueryInterrupted
from datasette.facets import ArrayFacet, ColumnFacet, Facet
from datasette.utils import escape_sqlite, path_with_added_args, path_with_removed_args
from datasette.utils.asgi import Response, asgi_send_file
from datasette.views.base import DatasetteError
from lxml import etree
from markupsafe import Markup, escape

from archive import clock
from archive.citation import citation
from archive.days import day_in_offset, day_of
from archive.export import export_to_file
from archive.recovery import archive_name
from archive.search import COLUMNS as SEARCH_COLUMNS
from archive.search import (
    count_found,
    find_articles,
    highlighted,
    match_expression,
    parse_query,
    register_functions,
)
from archive.serve import register_functions as register_dashboard_functions
from archive.urls import web_url

RTL_LANGUAGES = {"ar", "fa", "ur", "he", "ps", "ku", "ckb", "yi", "dv"}


def fts_query(text):
    """A user's search as a safe FTS5 query through archive.search's analyser.

    A query with no words ("", "- :") becomes '""', which matches nothing
    instead of raising "fts5: syntax error".
    """
    if text is None:
        return None
    return match_expression(str(text)) or '""'


@hookimpl(trylast=True)
def prepare_connection(conn):
    # trylast: datasette's own prepare_connection registers escape_fts();
    # running after it, this definition is the one that stays.
    conn.create_function("escape_fts", 1, fts_query, deterministic=True)
    register_functions(conn)  # tag_key, for the tag filter of the search page
    register_dashboard_functions(conn)  # source_colour: one colour per source, every chart


# --- month facet ---------------------------------------------------------------


class MonthFacet(Facet):
    """Articles per month of an ISO date column, newest month first."""

    type = "month"

    async def facet_results(self):
        results, timed_out = [], []
        args = dict(self.get_querystring_pairs())
        size = self.get_facet_size()
        counted = await _counted(self)
        for source_and_config in self.get_configs():
            config = source_and_config["config"]
            column = config.get("column") or config["simple"]
            col = escape_sqlite(column)
            if counted and column == "published_local":
                where, params = counted
                sql = (
                    f"select month as value, sum(n) as count from {where[0]} "
                    f"where month is not null{where[1]} "
                    f"group by month order by month desc limit {size + 1}"
                )
            else:
                sql = (
                    f"select substr({col}, 1, 7) as value, count(*) as count "
                    f"from ({self.sql}) where {col} glob '[0-9][0-9][0-9][0-9]-[0-9][0-9]*' "
                    f"group by value order by value desc limit {size + 1}"
                )
                params = self.params
            try:
                rows = await self.ds.execute(
                    self.database,
                    sql,
                    params,
                    truncate=False,
                    custom_time_limit=self.ds.setting("facet_time_limit_ms"),
                )
            except QueryInterrupted:
                timed_out.append(column)
                continue
            key = f"{column}__startswith"
            values = []
            for row in rows.rows[:size]:
                selected = args.get(key) == row["value"]
                if selected:
                    path = path_with_removed_args(self.request, {key: row["value"]})
                else:
                    path = path_with_added_args(self.request, {key: row["value"]})
                values.append(
                    {
                        "value": row["value"],
                        "label": row["value"],
                        "count": row["count"],
                        "toggle_url": self.ds.absolute_url(self.request, path),
                        "selected": selected,
                    }
                )
            results.append(
                {
                    "name": column,
                    "type": self.type,
                    "results": values,
                    "hideable": source_and_config["source"] != "metadata",
                    "toggle_url": path_with_removed_args(
                        self.request, {f"_facet_{self.type}": column}
                    ),
                    "truncated": len(rows) > size,
                }
            )
        return results, timed_out


# --- facets from the precomputed counts ----------------------------------------------
#
# On a million articles a facet that counts the filtered rows costs a scan of
# them, and datasette's array facet (tags) builds a DISTINCT over whole rows:
# seconds, then "timed out". archive.counts keeps the counts per source,
# language, section, month (and per tag) on every write; the articles table's
# facets read them whenever the page's filters are ones those tables can
# answer (source, language, section by equality, a publisher's month, one
# tag), and count the rows as datasette does otherwise (a search, a _where,
# any other filter). Same values, same counts, same links.

COUNTED_COLUMNS = ("source", "language", "section")
# Parameters that change what a page shows, not which rows the facets count.
NEUTRAL_ARGS = {
    "_facet", "_facet_array", "_facet_month", "_facet_date", "_facet_size", "_size",
    "_sort", "_sort_desc", "_trace", "_nocount", "_nofacet", "_nosuggest", "_labels",
    "_nolabels", "_col", "_nocol", "_shape", "_json", "_timelimit", "_ttl", "_stream",
    "_dl", "_extra", "_context",
}  # fmt: skip
_MONTH = re.compile(r"\d{4}-\d{2}")


def counted_filters(args):
    """The table page's filters as conditions on archive.counts' tables, or None.

    ``(table, " and ..."), params``: the counts table to read (per tag when
    the page filters on one) and its conditions. None when a parameter filters
    in a way the counts cannot say (a search, _where, _next, other operators).
    """
    conditions, params, tag = [], [], None
    for key in args.keys():
        values = args.getlist(key)
        if key in NEUTRAL_ARGS:
            continue
        if len(values) != 1:
            return None
        value = values[0]
        column, _, op = key.partition("__")
        if column in COUNTED_COLUMNS and op in ("", "exact"):
            conditions.append(f" and {column} = ?")
            params.append(value)
        elif column == "published_local" and op == "startswith" and _MONTH.fullmatch(value):
            conditions.append(" and month = ?")
            params.append(value)
        elif column == "tags" and op == "arraycontains" and tag is None:
            tag = value
        else:
            return None  # _search, _where, _next, other columns and operators
    if tag is not None:
        return ("article_tag_counts", " and tag = ?" + "".join(conditions)), [tag, *params]
    return ("article_counts", "".join(conditions)), params


async def _has_counts(datasette, database):
    from archive.counts import TABLES

    names = set(await datasette.get_database(database).table_names())
    return set(TABLES) <= names


async def _counted(facet):
    """counted_filters() for a facet of the articles table of an archive with counts."""
    if facet.table != "articles" or facet.request is None:
        return None
    if not await _has_counts(facet.ds, facet.database):
        return None
    return counted_filters(facet.request.args)


class _CountedExecute:
    """The datasette a facet sees: its facet query replaced by one over the counts.

    datasette's own facet classes then build their results (labels, toggle
    links, truncation) exactly as they do from their own query.
    """

    def __init__(self, datasette, sql, params):
        self._datasette, self._sql, self._params = datasette, sql, params

    def __getattr__(self, name):
        return getattr(self._datasette, name)

    async def execute(self, database, sql, params=None, **kwargs):
        return await self._datasette.execute(database, self._sql, self._params, **kwargs)


class _CountedFacet:
    """Runs the parent facet class once per facet, from the counts when they can answer."""

    def query(self, column, counted, size):
        """(sql, params) of this facet for the articles table, None for datasette's own."""
        raise NotImplementedError

    def get_configs(self):
        only = getattr(self, "_only", None)
        return only if only is not None else super().get_configs()

    async def facet_results(self):
        if self.table != "articles" or self.request is None:
            return await super().facet_results()
        counted = await _counted(self)
        results, timed_out = [], []
        size = self.get_facet_size()
        datasette = self.ds
        for config in super().get_configs():
            column = config["config"].get("column") or config["config"]["simple"]
            query = self.query(column, counted, size)
            self._only = [config]
            if query is not None:
                self.ds = _CountedExecute(datasette, *query)
            try:
                found, missed = await super().facet_results()
            finally:
                self.ds, self._only = datasette, None
            results += found
            timed_out += missed
        return results, timed_out


class CountedColumnFacet(_CountedFacet, ColumnFacet):
    def query(self, column, counted, size):
        if counted is None or column not in COUNTED_COLUMNS:
            return None
        (table, where), params = counted
        sql = (
            f"select {column} as value, sum(n) as count from {table} "
            f"where {column} is not null{where} group by {column} "
            f"order by count desc, value limit {size + 1}"
        )
        return sql, params


class CountedArrayFacet(_CountedFacet, ArrayFacet):
    def query(self, column, counted, size):
        if column != "tags":
            return None
        if counted is not None and counted[0][0] == "article_counts":
            (_, where), params = counted
            sql = (
                f"select tag as value, sum(n) as count from article_tag_counts "
                f"where tag is not null{where} group by tag "
                f"order by count desc, value limit {size + 1}"
            )
            return sql, params
        # Not in the counts (a search, or the tags of articles with a given tag):
        # count the rows, each article once per tag, without datasette's
        # DISTINCT over whole rows (bodies included).
        sql = (
            f"select value, count(*) as count from (select distinct a.id, j.value "
            f"from ({self.sql}) as a, json_each(a.tags) as j) "
            f"group by value order by count desc, value limit {size + 1}"
        )
        return sql, self.params


_COUNTED = {ColumnFacet: CountedColumnFacet, ArrayFacet: CountedArrayFacet}


@hookimpl(wrapper=True, specname="register_facet_classes")
def counted_facet_classes():
    # Every plugin's facet classes, datasette's column and array facets
    # replaced by the counted ones (which are those same classes elsewhere).
    groups = yield
    return [[_COUNTED.get(klass, klass) for klass in group] for group in groups]


@hookimpl
def register_facet_classes():
    return [MonthFacet]


# --- cells -------------------------------------------------------------------------


def _article_link(datasette, database, article_id, text):
    href = datasette.urls.row(database, "articles", str(article_id))
    return Markup(f'<a href="{escape(href)}" dir="auto">{escape(text)}</a>')


def search_url(datasette, database, **params):
    """The search page (or the article list, without ``q``) with these parameters."""
    url = datasette.urls.database(database) + "/search"
    params = {k: v for k, v in params.items() if v not in (None, "")}
    return url + ("?" + urlencode(params) if params else "")


DATE_COLUMNS = {
    "published", "published_local", "updated", "first_seen", "last_seen", "revised_at", "day",
}  # fmt: skip


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    """Titles link to the article page: in the articles table, and in query
    results that carry the article's id in a column named ``article``;
    sources and tags link to their article lists; dates show as dates (the
    full time on hover). Text that may be Arabic gets dir="auto" so it reads
    right to left."""
    if value in (None, ""):
        return None
    keys = row.keys() if hasattr(row, "keys") else ()
    if column in DATE_COLUMNS and isinstance(value, str) and len(value) > 10 and value[4] == "-":
        # published is UTC: the day shown is the publisher's (archive.days).
        local = None
        if column == "published" and "published_local" in keys:
            local = row["published_local"]
        return Markup(
            f'<time datetime="{escape(value)}" title="{escape(value)}">'
            f"{escape(day_of(value, local))}</time>"
        )
    if table is None and "article" in keys and isinstance(row["article"], int):
        if column in ("title", "article"):
            return _article_link(datasette, database, row["article"], value)
    if table == "articles" and column == "title" and "id" in keys:
        return _article_link(datasette, database, row["id"], value)
    if column == "source" and table in (None, "articles") and isinstance(value, str):
        href = search_url(datasette, database, source=value)
        return Markup(f'<a href="{escape(href)}">{escape(value)}</a>')
    if table == "articles" and column in ("tags", "authors") and isinstance(value, str):
        items = _json_list(value)
        if column == "tags":
            links = [(search_url(datasette, database, tag=t), t) for t in items]
            items = [f'<a href="{escape(h)}" dir="auto">{escape(t)}</a>' for h, t in links]
        else:
            items = [f"<bdi>{escape(t)}</bdi>" for t in items]
        return Markup(f'<ul class="na-list">{"".join(f"<li>{i}</li>" for i in items)}</ul>')
    if column in ("snippet", "summary") and isinstance(value, str):
        return Markup(f'<span dir="auto">{escape(value)}</span>')
    if column in URL_COLUMNS and isinstance(value, str) and "%" in value:
        # Shown as a browser's address bar shows it; linked as stored.
        return Markup(f'<a href="{escape(value)}" dir="ltr">{escape(readable_url(value))}</a>')
    return None


URL_COLUMNS = {"url", "canonical_url", "requested_url"}


_ENCODED_LETTERS = re.compile(r"(?:%[89a-fA-F][0-9a-fA-F])+")  # bytes of non-ASCII UTF-8


def readable_url(url: str) -> str:
    """A URL with its percent-encoded letters shown as letters (Arabic paths read as
    Arabic); encoded ASCII (/, ?, spaces) and bytes that are not UTF-8 stay encoded."""

    def letters(match: re.Match) -> str:
        try:
            return unquote(match.group(), errors="strict")
        except UnicodeDecodeError:
            return match.group()

    return _ENCODED_LETTERS.sub(letters, url)


# --- article page and front page ----------------------------------------------------------


def _json_list(value):
    if not value:
        return []
    try:
        decoded = json.loads(value)
    except (TypeError, ValueError):
        return [value]
    return [str(v) for v in decoded] if isinstance(decoded, list) else [str(decoded)]


def _direction(language, text=""):
    lang = (language or "").split("-")[0].lower()
    if lang in RTL_LANGUAGES:
        return "rtl"
    if not lang and text:
        # No language recorded: guess from the first strong letters.
        for ch in text[:200]:
            if "\u0590" <= ch <= "\u08ff":
                return "rtl"
            if ch.isalpha():
                return "ltr"
    return "ltr"


# A subheading, as the cleaner keeps it, is a short paragraph of its own
# without sentence-ending punctuation ("Freezing the Status Quo").
_SENTENCE_END = tuple(".!?:;,،؛؟…\"'”’»)]-–—")


def _paragraphs(body):
    """Body paragraphs as {"text", "heading"}: split on blank lines; a short
    line without closing punctuation between paragraphs reads as a subheading."""
    texts = [p.strip() for p in (body or "").replace("\r\n", "\n").split("\n\n") if p.strip()]
    result = []
    for i, text in enumerate(texts):
        heading = (
            0 < i < len(texts) - 1
            and "\n" not in text
            and len(text) <= 90
            and len(text.split()) <= 12
            and not text.endswith(_SENTENCE_END)
            and not text.startswith(("•", "-", "*", "–"))
        )
        result.append({"text": text, "heading": heading})
    return result


async def _article(datasette, database, article_id):
    db = datasette.get_database(database)
    rows = (await db.execute("select * from articles where id = ?", [article_id])).rows
    if not rows:
        return None
    a = dict(rows[0])
    source = (
        await db.execute("select name, homepage from sources where id = ?", [a["source"]])
    ).rows
    revisions = (
        await db.execute(
            "select id, revised_at, title, length(body) as chars from revisions "
            "where article_id = ? order by revised_at desc, id desc",
            [article_id],
        )
    ).rows
    aliases = (
        await db.execute(
            "select url, kind from url_aliases where article_id = ? order by url", [article_id]
        )
    ).rows
    root = a["near_duplicate_of"] or article_id
    same_story = (
        await db.execute(
            "select id, source, title, published, published_local, url from articles "
            "where (id = :root or near_duplicate_of = :root) and id != :id "
            "order by published, id limit 50",
            {"root": root, "id": article_id},
        )
    ).rows
    # Every capture recovered from a web archive (its provenance is the point), and the
    # latest 20 fetches of the live page; newest first by the capture's date.
    captures = (
        await db.execute(
            "select id, fetched_at, sha256, status, url, archive, archived_at, replay_url "
            "from captures where article_id = :id and (replay_url is not null or id in ("
            "  select id from captures where article_id = :id and replay_url is null "
            "  order by fetched_at desc, id desc limit 20)) "
            "order by coalesce(archived_at, fetched_at) desc, id desc",
            {"id": article_id},
        )
    ).rows
    direction = _direction(a["language"], a["title"] or a["body"] or "")
    tags = _json_list(a["tags"])
    return {
        **a,
        "dir": direction,
        "lang": (a["language"] or "").split("-")[0] or None,
        "paragraphs": _paragraphs(a["body"]),
        "image": web_url(a["image"]),  # an archive made before images were checked
        "authors": _json_list(a["authors"]),
        "tags": [{"name": t, "href": search_url(datasette, database, tag=t)} for t in tags],
        "source_name": source[0]["name"] if source and source[0]["name"] else a["source"],
        "source_homepage": source[0]["homepage"] if source else None,
        "source_href": search_url(datasette, database, source=a["source"]),
        "revisions": [dict(r) for r in revisions],
        "revisions_href": datasette.urls.query(database, "article_revisions") + f"?id={article_id}",
        "aliases": [dict(r) for r in aliases],
        "captures": [
            {
                **dict(r),
                "href": datasette.urls.database(database) + f"/-/capture/{r['id']}",
                "archive_name": archive_name(r["archive"]),
                "replay_href": web_url(r["replay_url"]),
            }
            for r in captures
        ],
        "day": day_of(a["published"], a.get("published_local")),
        "updated_day": day_in_offset(a["updated"], a.get("published_local")),
        "same_story": [
            {
                **dict(r),
                "day": day_of(r["published"], r["published_local"]),
                "href": datasette.urls.row(database, "articles", str(r["id"])),
            }
            for r in same_story
        ],
    }


async def _archive_databases(datasette):
    names = []
    for name, db in datasette.databases.items():
        if name.startswith("_"):
            continue
        if {"articles", "articles_fts"} <= set(await db.table_names()):
            names.append(name)
    return names


async def _home(datasette):
    names = await _archive_databases(datasette)
    if not names:
        return None
    name = names[0]
    db = datasette.get_database(name)
    # Precomputed counts (archive.counts) and index seeks: the front page opens
    # as fast on millions of articles as on a few (a GROUP BY over the articles,
    # or max(published) per source, would read them all).
    if await _has_counts(datasette, name):
        counts = "select source, sum(n) as n from article_counts group by source"
    else:
        counts = "select source, count(*) as n from articles group by source"
    per_source = (
        await db.execute(
            "select c.source, s.name, c.n, (select coalesce(published_local, published) "
            "  from articles "
            "  where source is c.source and published is not null "
            "  order by published desc limit 1) as latest "
            f"from ({counts}) c "
            "left join sources s on s.id = c.source order by c.n desc"
        )
    ).rows
    latest = (
        await db.execute(
            "select id, source, title, published, published_local, language from articles "
            "where published is not null order by published desc limit 10"
        )
    ).rows
    return {
        "database": name,
        "total": sum(r["n"] for r in per_source),
        "sources": [
            {
                "id": r["source"],
                "name": r["name"] or r["source"],
                "count": r["n"],
                "latest": (r["latest"] or "")[:10],
                "href": search_url(datasette, name, source=r["source"]),
            }
            for r in per_source
        ],
        "latest": [
            {
                **dict(r),
                "day": day_of(r["published"], r["published_local"]),
                "dir": _direction(r["language"], r["title"] or ""),
                "href": datasette.urls.row(name, "articles", str(r["id"])),
            }
            for r in latest
        ],
        "urls": {
            "search": search_url(datasette, name),
            "articles": search_url(datasette, name),
            "table": datasette.urls.table(name, "articles"),
            "latest": datasette.urls.query(name, "latest_per_source"),
            "same_story": datasette.urls.query(name, "same_story"),
            "per_day": datasette.urls.query(name, "articles_per_day"),
            "dashboard": datasette.urls.path("/-/dashboards/articles"),
            "sources": datasette.urls.table(name, "sources"),
            "runs": datasette.urls.table(name, "crawl_runs"),
            "failures": datasette.urls.table(name, "failures"),
            "database": datasette.urls.database(name),
        },
    }


@hookimpl
def extra_template_vars(view_name, table, database, request, datasette):
    async def inner():
        if view_name == "index":
            return {"archive_home": await _home(datasette)}
        if view_name == "row" and table == "articles" and request is not None:
            pks = request.url_vars.get("pks", "")
            if pks.isdigit():
                article = await _article(datasette, database, int(pks))
                if article and request.args.get("q"):
                    # Arriving from a search: its words marked in the article.
                    parsed = parse_query(request.args["q"], bool(request.args.get("also")))
                    for paragraph in article["paragraphs"]:
                        paragraph["pieces"] = highlighted(paragraph["text"], parsed.highlighter)
                if article:
                    permalink = datasette.absolute_url(
                        request, datasette.urls.row(database, "articles", pks)
                    )
                    article["permalink"] = permalink
                    article["citation"] = citation(
                        article, article["source_name"], permalink, clock.now()
                    )
                return {"article": article}
        return {}

    return inner


@hookimpl
def prepare_jinja2_environment(env):
    env.filters["urlquote"] = lambda s: quote(str(s), safe="")
    env.filters["readable_url"] = lambda s: readable_url(str(s))


# --- the search page and the article lists ------------------------------------------------

PAGE_SIZE = 20
FEED_SIZE = 50
FORMATS = ("json", "jsonl", "csv", "xlsx", "atom")
# Downloads of every result, written by archive.export like the CLI's.
DOWNLOADS = ("csv", "xlsx", "jsonl")
SORTS = {"newest": "newest first", "oldest": "oldest first", "relevance": "best match first"}
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
MAX_PAGE = 10**9  # beyond any archive, and within SQLite's integers
# Control characters: never useful in a parameter, and not allowed in XML (Atom).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


class SearchError(ValueError):
    """A parameter of the search page that cannot be used (answered 400)."""


def _search_params(request, sources):
    """The page's parameters, checked: unknown sources or sorts, bad dates are errors."""
    args = {k: _CONTROL.sub(" ", request.args.get(k)).strip() for k in request.args.keys()}
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


def _filters(params):
    return {k: params[k] or None for k in ("source", "language", "since", "until", "tag")}


def _title(params, source_names):
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


async def _choices(db):
    """Sources (id -> name) and languages present, for the drop-downs."""
    # Each distinct value by one index seek from the last (a "loose index scan"):
    # a few dozen seeks instead of reading a million index entries per page.
    rows = await db.execute(
        f"select c.source, coalesce(s.name, c.source) as name from ({_distinct('source')}) c "
        "left join sources s on s.id = c.source order by name"
    )
    languages = await db.execute(f"select language from ({_distinct('language')}) order by 1")
    return {r["source"]: r["name"] for r in rows.rows}, [r["language"] for r in languages.rows]


def _distinct(column):
    """SQL of the distinct non-null values of an indexed column of articles, ascending."""
    return (
        f"with recursive v({column}) as (select min({column}) from articles "
        f"union all select (select min({column}) from articles where {column} > v.{column}) "
        f"from v where v.{column} is not null) "
        f"select {column} from v where {column} is not null"
    )


def _snippet_html(pieces):
    return Markup("").join(Markup("<mark>{}</mark>").format(t) if m else t for t, m in pieces)


async def search_view(datasette, request):
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
            return await _export(db, params, filters, fmt)
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
        return _atom(datasette, request, database, title, params, rows)
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
            "dir": _direction(r["language"], r["title"] or r["body"] or ""),
            "lang": (r["language"] or "").split("-")[0] or None,
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


async def _error(datasette, request, database, message, fmt):
    if fmt in FORMATS:
        return Response.text(f"Bad request: {message}\n", status=400)
    context = {"title": "Search", "error": message, "action": search_url(datasette, database)}
    html = await datasette.render_template("newsarchive_search.html", context, request=request)
    return Response.html(html, status=400)


class _TemporaryDownload:
    """A file sent as the response, then deleted."""

    def __init__(self, path, filename, content_type):
        self.path, self.filename, self.content_type = path, filename, content_type

    async def asgi_send(self, send):
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


async def _export(db, params, filters, fmt):
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
    content_type = {
        "csv": "text/csv; charset=utf-8",
        "jsonl": "application/jsonl; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }[fmt]
    return _TemporaryDownload(path, f"{download_name(params)}.{fmt}", content_type)


def download_name(params: dict) -> str:
    """A file name that says what was searched: newsarchive-<words>-<source>-<language>-
    <since>-<until>, each part only when given, letters of any script kept."""
    parts = [params.get(k) or "" for k in ("q", "source", "language", "since", "until")]
    words = ["-".join(re.findall(r"\w+", part))[:40].strip("-") for part in parts]
    return "-".join(["newsarchive", *filter(None, words)]) if any(words) else "newsarchive-articles"


def _atom(datasette, request, database, title, params, rows):
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
        entry.title(_CONTROL.sub(" ", r["title"] or r["url"]))
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
            entry.summary(_CONTROL.sub(" ", summary))
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


# The page as captured is shown, never run: no script, no request to any server (its
# images and styles point at the live site), no form, no navigation; in an iframe
# that is itself sandboxed, so it cannot reach the archive's pages either.
CAPTURE_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; "
    "form-action 'none'; frame-ancestors 'self'; base-uri 'none'; sandbox"
)


async def _capture(datasette, database, capture_id):
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


async def capture_view(datasette, request):
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
def register_routes():
    formats = "|".join(FORMATS)
    return [
        (rf"^/(?P<database>[^/.]+)/search(\.(?P<format>{formats}))?$", search_view),
        (r"^/(?P<database>[^/.]+)/-/capture/(?P<id>\d+)(?P<raw>/raw)?$", capture_view),
    ]


def _column_search(scope):
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
def asgi_wrapper():
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
# A sweep of odd parameters over the main pages found no 500 of another kind
# (tests/test_serve.py).
CLIENT_ERRORS = (
    ValueError,
    KeyError,
    OverflowError,
    sqlite3.Warning,
    sqlite3.ProgrammingError,
    QueryInterrupted,
)


@hookimpl
def handle_exception(exception):
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
