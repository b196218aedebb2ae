"""Searches run in SQL: the filters, the orders, and the plan that reads a page of matches.

:func:`find_articles` (the search page and its feed and files) and
:func:`count_found` take a user's query (archive.search.query) and the usual
filters (:func:`filter_clause`: source, language, dates, tag) and read the
matching articles, each with its snippet (archive.search.snippets);
:func:`search_articles` is the archive's own search (Archive.search), best
first. On a big archive what a search costs is the article rows it reads, so a
newest-first page or a count chooses its plan from how many articles the index
matches (the comment above :data:`FEW_MATCHES`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from archive.arabic import fold
from archive.days import date_filter
from archive.search.query import match_expression, parse_query
from archive.search.snippets import best_snippet, matched_tags, snippet_text

__all__ = [
    "ORDERS",
    "count_found",
    "filter_clause",
    "find_articles",
    "order_by",
    "register_functions",
    "search_articles",
    "tag_key",
]

# bm25 weights, one per column of the index (analyser's COLUMNS, then STEM_COLUMNS):
# a title match weighs most, then summary and tags, then the body.
_WEIGHTS = "5.0, 2.0, 1.0, 2.0, 5.0, 2.0, 1.0, 2.0"
ORDERS = ("newest", "oldest", "relevance")


def tag_key(value: Any) -> str | None:
    """How tags compare: folded and case-insensitive ("Syria" = "syria", "الأسد" = "الاسد")."""
    return fold(str(value)).casefold() if value is not None else None


def register_functions(conn: Any) -> None:
    """The SQL functions :func:`filter_clause` needs on a sqlite3 connection."""
    conn.create_function("tag_key", 1, tag_key, deterministic=True)


def filter_clause(
    *,
    source: str | Sequence[str] | None = None,
    language: str | None = None,
    since: str | date | datetime | None = None,
    until: str | date | datetime | None = None,
    tag: str | None = None,
    table: str = "articles",
) -> tuple[list[str], list[Any]]:
    """SQL conditions (and their parameters) on articles for the usual filters.

    ``source``: one id or several; ``language``: "ar" also matches regional
    tags such as "ar-SY"; ``since``/``until``: a bare date is the publisher's
    day and includes all of it, a time is a moment (archive.days.date_filter),
    and an article without a date matches neither;
    ``tag``: one of the article's tags, compared by :func:`tag_key` (the
    connection needs :func:`register_functions`). Raises ValueError for a
    date it cannot read.
    """
    clauses: list[str] = []
    params: list[Any] = []
    if source:
        sources = [source] if isinstance(source, str) else list(source)
        clauses.append(f"{table}.source IN ({', '.join('?' for _ in sources)})")
        params.extend(sources)
    if language:
        clauses.append(
            f"(lower({table}.language) = lower(?) OR lower({table}.language) LIKE lower(?) || '-%')"
        )
        params.extend([language, language])
    dated, dates = date_filter(since, until, table)
    clauses += dated
    params += dates
    if tag:
        clauses.append(
            f"json_valid({table}.tags) AND EXISTS (SELECT 1 FROM json_each({table}.tags) "
            "WHERE tag_key(json_each.value) = tag_key(?))"
        )
        params.append(tag)
    return clauses, params


def order_by(order: str, *, table: str = "articles", searched: bool = True) -> str:
    """ORDER BY for "newest", "oldest" (by published; undated last) or "relevance" (bm25).

    "oldest" sorts its matches (undated ones must go last, against SQLite's
    NULLS FIRST), so it is the slow one on an unfiltered list of millions.
    """
    if order not in ORDERS or (order == "relevance" and not searched):
        raise ValueError(f"unknown order {order!r}; use one of {', '.join(ORDERS)}")
    return {
        "relevance": f"bm25(articles_fts, {_WEIGHTS}), {table}.id",
        # SQLite sorts NULL last going down: undated articles come last, and
        # the published index gives the first page of a million without a sort.
        "newest": f"{table}.published DESC, {table}.id DESC",
        "oldest": f"{table}.published IS NULL, {table}.published, {table}.id",
    }[order]


def _from_where(expression: str, filters: Mapping[str, Any]) -> tuple[str, list[Any]]:
    clauses, params = filter_clause(**filters)
    if expression:
        # CROSS JOIN: from the matches to their rows. SQLite would otherwise walk a
        # filter's index and ask the full-text index about each row, a lookup
        # that costs far more than reading a row.
        base = "FROM articles_fts CROSS JOIN articles ON articles.id = articles_fts.rowid"
        clauses.insert(0, "articles_fts MATCH ?")
        params.insert(0, expression)
    else:
        base = "FROM articles"
    return base + (" WHERE " + " AND ".join(clauses) if clauses else ""), params


# On a big archive the cost of a search is the article rows it reads: a common
# word matches most of a million articles, each row several kB. The index alone
# answers "how many" without a filter (its rows are the articles: rowid =
# articles.id, indexed with each upsert); with a source and dates the
# (source, published) and (published) indexes hold what the filter needs, so a
# count or a newest-first page walks those and asks the matches for membership,
# reading only the rows it shows. Membership is asked two ways: of the matches'
# rowids gathered once (about 0.25 us a match), or of the full-text index row
# by row (about 60 us a question), which wins when the matches are so many that
# the first rows of the walk are nearly all matches (a common word).
_MEMBER = "+articles.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)"
_ASK = "EXISTS (SELECT 1 FROM articles_fts WHERE articles_fts MATCH ? AND rowid = w.id)"
# Up to this many matches, reading their rows costs less than walking an index.
FEW_MATCHES = 1000
# A question to the full-text index costs about this many gathered rowids.
ASK_COST = 240


def _index_only(filters: Mapping[str, Any]) -> bool:
    """Whether the filters are answered by indexes without the rows (not language, tag)."""
    return not filters.get("language") and not filters.get("tag")


def _active(filters: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in filters.items() if v}


_counted: dict[tuple[int, str], tuple[int, int]] = {}


def _matches(db: Any, expression: str) -> int:
    """How many articles the index matches, without reading an article row."""
    sql = "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?"
    found = db.execute(sql, [expression]).fetchone()[0]
    if len(_counted) > 64:
        _counted.clear()
    _counted[id(db), expression] = (_data_version(db), found)
    return found


def _data_version(db: Any) -> int:
    return db.execute("PRAGMA data_version").fetchone()[0]


def _matches_again(db: Any, expression: str) -> int:
    """_matches(), from the count just made on this connection when nothing was
    committed since (the search page counts, then finds): for choosing a plan only."""
    version, found = _counted.get((id(db), expression), (None, 0))
    return found if version == _data_version(db) else _matches(db, expression)


def _gathered(expression: str, active: Mapping[str, Any]) -> tuple[str, list[Any]]:
    """FROM ... WHERE of the articles of the filters whose ids the matches gathered hold."""
    clauses, params = filter_clause(**active)
    return "FROM articles WHERE " + " AND ".join([*clauses, _MEMBER]), [*params, expression]


def _newest_by_asking(
    db: Any, expression: str, active: Mapping[str, Any], wanted: int, budget: int
) -> list[int] | None:
    """Ids of the ``wanted`` newest matches, found by asking the full-text index
    about the newest ``budget`` articles of the filters, or None when fewer of
    those match (the caller then takes another way)."""
    clauses, params = filter_clause(**active)
    where = " WHERE " + " AND ".join(clauses) if clauses else ""
    sql = (
        f"SELECT w.id FROM (SELECT articles.id, articles.published FROM articles{where} "
        f"ORDER BY {order_by('newest')} LIMIT ?) AS w WHERE {_ASK} "
        "ORDER BY w.published DESC, w.id DESC LIMIT ?"
    )
    ids = [r[0] for r in db.execute(sql, [*params, budget, expression, wanted])]
    return ids if len(ids) == wanted else None


def _plan(db: Any, expression: str, wanted: int) -> tuple[str, int]:
    """How to find the ``wanted`` newest matches: "ask" (with the walk's budget),
    "gather" (walk, matches' rowids gathered once) or "rows" (read every match's
    row and sort them)."""
    matches = _matches_again(db, expression)
    if matches <= FEW_MATCHES:
        return "rows", 0
    articles = db.execute("SELECT coalesce(max(id), 0) FROM articles").fetchone()[0]
    walk = wanted * articles // matches + 1  # the matches spread evenly
    if walk * ASK_COST * 4 < matches:
        return "ask", 4 * walk + 100  # room for uneven spread, else gather
    if matches * matches * 50 > wanted * articles:
        return "gather", 0
    return "rows", 0


def find_articles(
    db: Any,
    query: str,
    *,
    limit: int = 20,
    offset: int = 0,
    order: str = "newest",
    snippets: bool = True,
    other_language: bool = False,
    **filters: Any,
) -> list[dict[str, Any]]:
    """Article rows matching ``query`` (every article when it has no words), a page of them.

    ``order`` is "newest" or "oldest" (by published) or "relevance" (bm25,
    for a query with words); ``limit``/``offset`` page through them; the
    filters are those of :func:`filter_clause`. Each row has ``snippet``:
    pieces of :func:`best_snippet`, in the article's own spelling, and
    ``matched_tags``: the tags the query matched (:func:`matched_tags`); with
    ``snippets=False`` only rows without a summary get them (a feed's entries).
    ``other_language``: names also in their other language's spellings (parse_query).
    """
    parsed = parse_query(query, other_language)
    by = order_by(order, searched=bool(parsed.expression))
    active = _active(filters)
    plan, budget = "rows", 0
    if parsed.expression and order == "newest" and _index_only(active) and limit > 0:
        plan, budget = _plan(db, parsed.expression, offset + limit)
    ids = None
    if plan == "ask":
        ids = _newest_by_asking(db, parsed.expression, active, offset + limit, budget)
        plan = "gather" if ids is None else plan
    if ids is not None:
        page = ids[offset:]
        cursor = db.execute(
            f"SELECT articles.* FROM articles WHERE articles.id IN ({', '.join('?' * len(page))}) "
            f"ORDER BY {by}",
            page,
        )
    else:
        if plan == "gather":
            base, params = _gathered(parsed.expression, active)
        else:
            base, params = _from_where(parsed.expression, filters)
        cursor = db.execute(
            f"SELECT articles.* {base} ORDER BY {by} LIMIT ? OFFSET ?", [*params, limit, offset]
        )
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, row, strict=True)) for row in cursor]
    for row in rows:
        wanted = snippets or not row.get("summary")
        row["snippet"] = best_snippet(row, parsed.highlighter) if wanted else []
        row["matched_tags"] = matched_tags(row, parsed.highlighter) if wanted else []
    return rows


def count_found(db: Any, query: str, other_language: bool = False, **filters: Any) -> int:
    """How many articles :func:`find_articles` finds, all pages together."""
    expression = match_expression(query, other_language)
    active = _active(filters)
    if expression and not active:
        return _matches(db, expression)
    if expression and _index_only(active) and _matches(db, expression) > FEW_MATCHES:
        base, params = _gathered(expression, active)
    else:
        base, params = _from_where(expression, filters)
    return db.execute(f"SELECT count(*) {base}", params).fetchone()[0]


def search_articles(
    db: Any,
    query: str,
    *,
    source: str | Sequence[str] | None = None,
    limit: int = 20,
    offset: int = 0,
    order: str = "relevance",
    **filters: Any,
) -> list[dict[str, Any]]:
    """Article rows matching ``query`` (none for a query without words), best first.

    Like :func:`find_articles`, with each row's ``rank`` (bm25) and its
    ``snippet`` as plain text, matches in [brackets].
    """
    parsed = parse_query(query)
    if not parsed.expression:
        return []
    base, params = _from_where(parsed.expression, {"source": source, **filters})
    sql = (
        f"SELECT articles.*, bm25(articles_fts, {_WEIGHTS}) AS rank {base} "
        f"ORDER BY {order_by(order)} LIMIT ? OFFSET ?"
    )
    cursor = db.execute(sql, [*params, limit, offset])
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, row, strict=True)) for row in cursor]
    for row in rows:
        row["snippet"] = snippet_text(best_snippet(row, parsed.highlighter))
    return rows
