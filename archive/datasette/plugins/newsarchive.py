"""datasette plugin for the news archive: Arabic-folding search, a month facet,
an article page and a front page.

Loaded with ``--plugins-dir archive/datasette/plugins`` by ``newsarchive serve``
(archive/serve.py), so it only runs on archives, never on other databases a
user's datasette serves.

- Search: the FTS index holds a folded copy of the text (archive.arabic.fold),
  so queries are folded the same way. Table pages: datasette runs
  ``?_search=`` through the SQL function ``escape_fts()``; this plugin
  replaces that function with :func:`archive.arabic.fold_query`, which folds
  diacritics and also keeps the query valid FTS5 (quoted phrases, AND/OR/NOT,
  ``prefix*`` still work, ``al-Assad`` or a stray quote is no syntax error).
  The search box keeps showing what the user typed. Canned queries call
  ``arabic_fold_query(:q)``.
- ``{"month": "published"}`` facets count articles per YYYY-MM and filter
  with ``published__startswith``.
- ``row.html`` shows an article as an article (paragraphs, right-to-left for
  Arabic, tags, link to the original, revisions, other outlets' copies) from
  the ``article`` variable set here; ``index.html`` shows a search box,
  sources and the latest articles from ``archive_home``.
"""

from __future__ import annotations

import json
from urllib.parse import quote, urlencode

from datasette import hookimpl
from datasette.database import QueryInterrupted
from datasette.facets import Facet
from datasette.utils import escape_sqlite, path_with_added_args, path_with_removed_args
from markupsafe import Markup, escape

from archive.arabic import fold, fold_query

BROWSE_COLUMNS = ("source", "published", "title", "summary", "section", "language", "tags")
RTL_LANGUAGES = {"ar", "fa", "ur", "he", "ps", "ku", "ckb", "yi", "dv"}


def fts_query(text):
    """A user's search as a safe FTS5 query over folded text.

    A query with no words ("", "- :") becomes '""', which matches nothing
    instead of raising "fts5: syntax error".
    """
    if text is None:
        return None
    return fold_query(str(text)) or '""'


@hookimpl(trylast=True)
def prepare_connection(conn):
    # trylast: datasette's own prepare_connection registers escape_fts();
    # running after it, this definition is the one that stays.
    conn.create_function("escape_fts", 1, fts_query, deterministic=True)
    conn.create_function("arabic_fold_query", 1, fts_query, deterministic=True)
    conn.create_function(
        "arabic_fold", 1, lambda text: fold(str(text)) if text else text, deterministic=True
    )


# --- month facet ---------------------------------------------------------------


class MonthFacet(Facet):
    """Articles per month of an ISO date column, newest month first."""

    type = "month"

    async def facet_results(self):
        results, timed_out = [], []
        args = dict(self.get_querystring_pairs())
        size = self.get_facet_size()
        for source_and_config in self.get_configs():
            config = source_and_config["config"]
            column = config.get("column") or config["simple"]
            col = escape_sqlite(column)
            sql = (
                f"select substr({col}, 1, 7) as value, count(*) as count "
                f"from ({self.sql}) where {col} glob '[0-9][0-9][0-9][0-9]-[0-9][0-9]*' "
                f"group by value order by value desc limit {size + 1}"
            )
            try:
                rows = await self.ds.execute(
                    self.database,
                    sql,
                    self.params,
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


@hookimpl
def register_facet_classes():
    return [MonthFacet]


# --- cells -------------------------------------------------------------------------


def _article_link(datasette, database, article_id, text):
    href = datasette.urls.row(database, "articles", str(article_id))
    return Markup(f'<a href="{escape(href)}" dir="auto">{escape(text)}</a>')


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    """Titles link to the article page: in the articles table, and in query
    results that carry the article's id in a column named ``article``.
    Text that may be Arabic gets dir="auto" so it reads right to left."""
    if value in (None, ""):
        return None
    keys = row.keys() if hasattr(row, "keys") else ()
    if table is None and "article" in keys and isinstance(row["article"], int):
        if column in ("title", "article"):
            return _article_link(datasette, database, row["article"], value)
    if table == "articles" and column == "title" and "id" in keys:
        return _article_link(datasette, database, row["id"], value)
    if table == "articles" and column in ("tags", "authors") and isinstance(value, str):
        items = _json_list(value)
        if column == "tags":
            url = datasette.urls.table(database, "articles")
            items = [
                f'<a href="{escape(url)}?{escape(urlencode({"tags__arraycontains": t}))}" '
                f'dir="auto">{escape(t)}</a>'
                for t in items
            ]
        else:
            items = [f"<bdi>{escape(t)}</bdi>" for t in items]
        return Markup(f'<ul class="na-list">{"".join(f"<li>{i}</li>" for i in items)}</ul>')
    if column in ("snippet", "summary") and isinstance(value, str):
        return Markup(f'<span dir="auto">{escape(value)}</span>')
    return None


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
            "select id, source, title, published, url from articles "
            "where (id = :root or near_duplicate_of = :root) and id != :id "
            "order by published, id limit 50",
            {"root": root, "id": article_id},
        )
    ).rows
    direction = _direction(a["language"], a["title"] or a["body"] or "")
    table_url = datasette.urls.table(database, "articles")
    tags = _json_list(a["tags"])
    return {
        **a,
        "dir": direction,
        "lang": (a["language"] or "").split("-")[0] or None,
        "paragraphs": _paragraphs(a["body"]),
        "authors": _json_list(a["authors"]),
        "tags": [
            {"name": t, "href": f"{table_url}?{urlencode({'tags__arraycontains': t})}"}
            for t in tags
        ],
        "source_name": source[0]["name"] if source and source[0]["name"] else a["source"],
        "source_homepage": source[0]["homepage"] if source else None,
        "source_href": f"{table_url}?{urlencode({'source': a['source']})}",
        "revisions": [dict(r) for r in revisions],
        "revisions_href": datasette.urls.query(database, "article_revisions") + f"?id={article_id}",
        "aliases": [dict(r) for r in aliases],
        "same_story": [
            {**dict(r), "href": datasette.urls.row(database, "articles", str(r["id"]))}
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
    # Index-only or index-ordered queries: the front page must open fast on
    # millions of articles (a GROUP BY with max(published) would scan them all).
    per_source = (
        await db.execute(
            "select c.source, s.name, c.n, (select published from articles "
            "  where +source = c.source and published is not null "
            "  order by published desc limit 1) as latest "
            "from (select source, count(*) as n from articles group by source) c "
            "left join sources s on s.id = c.source order by c.n desc"
        )
    ).rows
    latest = (
        await db.execute(
            "select id, source, title, published, language from articles "
            "where published is not null order by published desc limit 10"
        )
    ).rows
    table_url = datasette.urls.table(name, "articles")
    return {
        "database": name,
        "total": sum(r["n"] for r in per_source),
        "sources": [
            {
                "id": r["source"],
                "name": r["name"] or r["source"],
                "count": r["n"],
                "latest": (r["latest"] or "")[:10],
                "href": f"{table_url}?{urlencode({'source': r['source']})}",
            }
            for r in per_source
        ],
        "latest": [
            {
                **dict(r),
                "day": (r["published"] or "")[:10],
                "dir": _direction(r["language"], r["title"] or ""),
                "href": datasette.urls.row(name, "articles", str(r["id"])),
            }
            for r in latest
        ],
        "urls": {
            "search": datasette.urls.query(name, "search"),
            # A reading view of the table: the columns people scan, not hashes.
            "articles": table_url + "?" + urlencode([("_col", c) for c in BROWSE_COLUMNS]),
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
                return {"article": await _article(datasette, database, int(pks))}
        return {}

    return inner


@hookimpl
def prepare_jinja2_environment(env):
    env.filters["urlquote"] = lambda s: quote(str(s), safe="")
