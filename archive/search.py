"""Full-text search: the FTS5 index over articles, and queries against it.

SQLite's FTS5 (built into the sqlite3 module) holds a folded copy of each
article's title, summary, body and tags (:func:`archive.arabic.fold`), with
rowid = articles.id; it is kept in step here, at upsert time, rather than by
triggers, because folding happens in Python. Queries are folded the same way
(:func:`archive.arabic.fold_query`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import Any

from archive.arabic import fold, fold_query
from archive.record import json_list

__all__ = ["index_article", "search_articles"]


def index_article(db: Any, article_id: int, rec: Mapping[str, Any]) -> None:
    """(Re)index one article inside the caller's transaction."""
    db.execute("DELETE FROM articles_fts WHERE rowid = ?", [article_id])
    db.execute(
        "INSERT INTO articles_fts (rowid, title, summary, body, tags) VALUES (?, ?, ?, ?, ?)",
        [
            article_id,
            fold(rec["title"] or ""),
            fold(rec["summary"] or ""),
            fold(rec["body"] or ""),
            fold("\n".join(json_list(rec["tags"]))),
        ],
    )


def search_articles(
    db: Any, query: str, *, source: str | None = None, limit: int = 20
) -> list[dict[str, Any]]:
    """Article rows matching ``query`` in bm25 order, each with ``rank`` and ``snippet``."""
    folded = fold_query(query)
    if not folded:
        return []
    # Title matches weigh most, then summary and tags, then body.
    sql = (
        "SELECT a.*, bm25(articles_fts, 5.0, 2.0, 1.0, 2.0) AS rank, "
        "snippet(articles_fts, 2, '[', ']', '…', 16) AS snippet "
        "FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid "
        "WHERE articles_fts MATCH ?"
        + (" AND a.source = ?" if source else "")
        + " ORDER BY rank LIMIT ?"
    )
    params: list[Any] = [folded, *([source] if source else []), limit]
    try:
        cursor = db.execute(sql, params)
    except sqlite3.OperationalError as exc:
        if "fts5" not in str(exc):
            raise
        # Should not happen after fold_query; search the words as phrases.
        words = [w.replace('"', '""') for w in fold(query).split()]
        params[0] = " ".join(f'"{w}"' for w in words) or '""'
        cursor = db.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]
