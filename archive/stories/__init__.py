"""Stories: the articles that report one story, linked across outlets and across languages.

A story is a set of articles, each kept whole (nothing is merged): the wire
copy SANA sends out and the outlets that carry it under another headline,
trimmed, extended or with a lead of their own; the Syrian Observer's
translation of an Arabic article; an outlet's English and Arabic editions of
one report. ``stories`` has one row per story, ``story_articles`` one per
member: which article it was linked to, how, and with what score. Articles
that match nothing are in no story. A story reports one event: it spans at
most a week unless explicit evidence (a page naming its translation or
original) joins it.

One module per step, in the order a page goes through them:

- text.py: what an article gives the linker, computed in the extraction
  worker (MinHash of word 3-shingles, title terms, the page's hreflang and
  "translated from" links), with anchors.py: what survives translation
  (numbers, dates, and the places, people, organisations and topics of
  archive.gazetteer);
- similarity.py: whether two articles report one story (explicit links, the
  original-outlet line, the same image, content within one language, anchors
  across languages), thresholds measured on tests/fixtures/stories/pairs.json;
- index.py: the write path: an article's features stored with its LSH bands
  and anchors by day, queued for linking; candidates found from them;
- linking.py: the pass after each commit that joins queued articles to
  stories (bounded in time, matched against the story, figures kept as they
  change).
"""

from __future__ import annotations

import sqlite3
import zlib

from archive.stories.anchors import anchors
from archive.stories.index import STORY_WINDOW_DAYS, clear, store_features
from archive.stories.linking import CHUNK as LINK_CHUNK
from archive.stories.linking import (
    LinkStats,
    link_chunk,
    outlet_of,
    pending,
    recount_outlets,
    relabel_outlet,
    reset,
    story_of,
)
from archive.stories.similarity import Link, compare
from archive.stories.text import (
    BANDS,
    LSH_THRESHOLD,
    NUM_PERM,
    ROWS,
    Features,
    StoryDoc,
    document,
    features,
    page_links,
)

__all__ = [
    "BANDS",
    "LINK_CHUNK",
    "LSH_THRESHOLD",
    "NUM_PERM",
    "ROWS",
    "STORY_WINDOW_DAYS",
    "Features",
    "Link",
    "LinkStats",
    "StoryDoc",
    "anchors",
    "compare",
    "document",
    "features",
    "store_features",
    "summary",
    "link_all",
    "link_chunk",
    "outlet_of",
    "page_links",
    "pending",
    "recount_outlets",
    "reindex_all",
    "relabel_outlet",
    "reset",
    "story_of",
]


def summary(conn: sqlite3.Connection) -> dict[str, int]:
    """How many stories there are, how many articles are in one, the largest story's
    size, the longest one's span in days, and how many stories several outlets reported
    (an outlet's language editions are one outlet)."""
    stories, largest, longest, several = conn.execute(
        "SELECT count(*), coalesce(max(articles), 0), coalesce(max(last_day - first_day), 0), "
        "coalesce(sum(outlets > 1), 0) FROM stories"
    ).fetchone()
    (members,) = conn.execute("SELECT count(*) FROM story_articles").fetchone()
    return {
        "stories": stories,
        "articles": members,
        "largest": largest,
        "longest_days": longest,
        "several_outlets": several,
    }


def link_all(conn: sqlite3.Connection, now: str) -> LinkStats:
    """Run the linking pass until nothing is queued, inside the caller's transaction."""
    total = LinkStats()
    common: set[tuple[int, int]] = set()
    while True:
        stats = link_chunk(conn, now, common=common)
        if not stats.articles:
            return total
        total.articles += stats.articles
        total.linked += stats.linked


def reindex_all(conn: sqlite3.Connection, now: str) -> int:
    """Compute every article's story features again from its text and latest capture,
    forget every story, and queue them all for linking (a schema upgrade); returns how
    many articles were indexed. Runs inside the caller's transaction."""
    clear(conn)
    reset(conn)
    indexed = 0
    # A second cursor reads while the first writes: memory stays flat on a big archive.
    rows = conn.cursor().execute(
        "SELECT a.id, a.source, a.url, a.canonical_url, a.title, a.summary, a.body, "
        "a.language, a.published, a.published_local, a.first_seen, a.original_source, a.image, "
        "(SELECT c.id FROM captures c WHERE c.article_id = a.id ORDER BY c.id DESC LIMIT 1) "
        "FROM articles a ORDER BY a.id"
    )
    columns = (
        "id",
        "source",
        "url",
        "canonical_url",
        "title",
        "summary",
        "body",
        "language",
        "published",
        "published_local",
        "first_seen",
        "original_source",
        "image",
        "capture",
    )
    for values in rows:
        record = dict(zip(columns, values, strict=True))
        page = page_url = None
        if record["capture"] is not None:
            page_url, stored = conn.execute(
                "SELECT c.url, b.body FROM captures c JOIN page_bodies b ON b.sha256 = c.sha256 "
                "WHERE c.id = ?",
                [record["capture"]],
            ).fetchone()
            page = zlib.decompress(stored)
        store_features(
            conn,
            record["id"],
            record,
            page=page,
            page_url=page_url,
            now=record["first_seen"] or now,
        )
        indexed += 1
    return indexed
