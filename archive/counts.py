"""Precomputed article counts: what browsing a million articles reads instead of counting.

Three small tables (archive/schema.py) hold how many articles there are per

- ``article_counts``: source, language, section and month (the publisher's
  ``YYYY-MM``, archive.days; NULL when published is not a date);
- ``article_tag_counts``: the same per tag (each distinct value of the tags list);
- ``article_day_counts``: day (the publisher's day: the first ten characters of
  published_local), source and language.

Triggers on ``articles`` (also in the schema) keep them right on every insert,
update and delete, whatever code writes, so nothing on the write path calls
this module. The facets of the articles table, the front page, the search
page's lists of sources and the dashboard read them (archive/datasette/): a
few thousand rows at any archive size rather than a scan of every article.

An archive made before the tables gets them, filled, from any schema
upgrade: the schema's statements create them and fill an empty table from
the articles (empty beside articles means just made). :func:`install` does
the same by hand, :func:`rebuild` recounts them, and :func:`check` compares
them with a recount (tests, and anyone who doubts them).
"""

from __future__ import annotations

import sqlite3
from typing import Any

from archive import days

__all__ = ["TABLES", "available", "check", "install", "rebuild", "recount"]

TABLES = ("article_counts", "article_tag_counts", "article_day_counts")
_TAGS = "json_each(CASE WHEN json_valid(a.tags) THEN a.tags ELSE '[]' END)"


def available(conn: Any) -> bool:
    """Whether the archive has the counts tables (an archive upgraded or made since)."""
    names = {
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN (?, ?, ?)", TABLES
        )
    }
    return names == set(TABLES)


def _recount_sql() -> dict[str, str]:
    month = days.sql(days.MONTH_SQL, "a")
    return {
        "article_counts": (
            f"SELECT a.source, a.language, a.section, {month} AS month, count(*) "
            "FROM articles a GROUP BY 1, 2, 3, 4"
        ),
        # An article counts once per tag, however often the list repeats it.
        "article_tag_counts": (
            f"SELECT j.value, a.source, a.language, a.section, {month} AS month, "
            f"count(DISTINCT a.id) FROM articles a, {_TAGS} AS j "
            "WHERE j.value IS NOT NULL GROUP BY 1, 2, 3, 4, 5"
        ),
        "article_day_counts": (
            f"SELECT {days.sql(days.DAY_SQL, 'a')}, a.source, a.language, count(*) "
            "FROM articles a GROUP BY 1, 2, 3"
        ),
    }


def recount(conn: Any) -> dict[str, list[tuple]]:
    """The three tables' rows as a recount of the articles gives them, sorted."""
    return {
        name: sorted(conn.execute(sql).fetchall(), key=repr) for name, sql in _recount_sql().items()
    }


def rebuild(conn: Any) -> None:
    """Recount the tables from the articles, inside the caller's transaction."""
    for name, sql in _recount_sql().items():
        conn.execute(f"DELETE FROM {name}")
        conn.execute(f"INSERT INTO {name} {sql}")


def install(conn: sqlite3.Connection) -> None:
    """Create the tables, their triggers and the browsing indexes in an existing
    archive and fill them: the upgrade step for archives made before them, also
    usable by hand. Runs in the caller's transaction."""
    from archive.schema import SCHEMA, ddl_statements

    names = (
        *TABLES,
        "article_count_changes",
        "articles_counted_",
        "idx_articles_source_published",
        "idx_articles_published_source",
    )
    for statement in ddl_statements(SCHEMA):
        head = statement.split("(", 1)[0].split(" AS ", 1)[0]
        if statement.startswith("CREATE") and any(name in head for name in names):
            conn.execute(statement)
    rebuild(conn)


def check(conn: Any) -> dict[str, tuple[list, list]]:
    """Where the tables differ from a recount: {table: (only in the table, only in the recount)}."""
    differences = {}
    for name, expected in recount(conn).items():
        columns = {
            "article_counts": "source, language, section, month, n",
            "article_tag_counts": "tag, source, language, section, month, n",
            "article_day_counts": "day, source, language, n",
        }[name]
        kept = sorted(conn.execute(f"SELECT {columns} FROM {name}").fetchall(), key=repr)
        if kept != expected:
            only_kept = [r for r in kept if r not in expected]
            only_recount = [r for r in expected if r not in kept]
            differences[name] = (only_kept, only_recount)
    return differences
