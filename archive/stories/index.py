"""The story index in the archive: each article's features (``story_docs``) and the two
tables that find its candidates, ``story_bands`` (MinHash LSH bands) and
``story_anchors`` (weighted names and numbers), both keyed by (week, key, day), plus
the explicit links pages name (``story_links``). Week first: a new article's entries
land beside those of its week, not at random places in tables of tens of millions of
rows, so writing them does not slow down as the archive grows (83 us an article at 10k,
86 us at 130k); a lookup reads its keys in the two or three weeks its window touches.

Writing an article's entries is part of the write path (one row, ~21 bands, its
anchors); finding and comparing candidates is the linking pass's (archive.stories.
linking). Every statement here is an index search: a candidate lookup reads the rows of
its keys within a few days, capped, so its cost does not grow with the archive.

An article is queued for the linking pass by its ``seq``: the next number when it is
indexed (and again when a revision re-indexes an article that is in no story); the
pass links every doc above its high-water mark.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import sqlite3
from collections import Counter
from collections.abc import Mapping
from typing import Any

import numpy as np

from archive.stories.similarity import ANCHOR_WINDOW_DAYS, ORIGINAL_WINDOW_DAYS, names_outlet
from archive.stories.text import (
    BANDS,
    MIN_SHINGLES,
    ROWS,
    Features,
    StoryDoc,
    _day,
    features,
)

STORY_WINDOW_DAYS = 7  # a story spans at most this many days, unless explicit evidence joins it
MAX_CANDIDATES = 10  # per way of finding them (bands, anchors, the original outlet)
ANCHOR_KEY_CAP = 24  # an anchor of more articles than this in its window finds no candidates

MARK = "stories_linked"  # the meta key of the linking pass's high-water mark
DOC_COLUMNS = (
    "article_id, source, language, day, shingles, signature, anchors, title_terms, "
    "original_source, outlet, image"
)


def _key(text: str | bytes) -> int:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big", signed=True)


# Anchors repeat from article to article ("g:syria", "y:2024"); band keys do not. The
# commonest are what a cache saves (0.9 us a key, ~16 keys an article): 4,096 of them
# hold ~0.5 MB in the crawl process, where 65,536 held ~8 MB once a long crawl filled it.
_anchor_key = functools.lru_cache(maxsize=4096)(_key)


def marks(values: list[Any]) -> str:
    return ",".join("?" * len(values))


def week(day: int) -> int:
    """The week of a day (the story index's first key column)."""
    return day // 7


def _window(day: int, days: int) -> tuple[list[int], int, int]:
    """The weeks, first and last day within ``days`` of ``day``. Lookups name the weeks
    as an IN list, not a range, so that SQLite searches the key column after them too."""
    return list(range(week(day - days), week(day + days) + 1)), day - days, day + days


def _band_keys(signature: np.ndarray) -> list[int]:
    return [_key(bytes([i]) + signature[i * ROWS : (i + 1) * ROWS].tobytes()) for i in range(BANDS)]


def _outlet(conn: sqlite3.Connection, source: str) -> str:
    row = conn.execute("SELECT name FROM sources WHERE id = ?", [source]).fetchone()
    return f"{source} ({row[0]})" if row and row[0] else source


def load(row: sqlite3.Row | tuple) -> StoryDoc:
    """A StoryDoc from a row of ``SELECT DOC_COLUMNS FROM story_docs``."""
    (_id, source, language, day, shingles, signature, found, terms, original, outlet, image) = row[
        :11
    ]
    return StoryDoc(
        source=source,
        language=language,
        day=day,
        shingles=shingles,
        signature=np.frombuffer(signature, dtype=np.uint32),
        anchors=json.loads(found),
        title_terms=frozenset((terms or "").split()),
        original_source=original,
        outlet=outlet or source,
        image=image,
    )


def high_water_mark(conn: sqlite3.Connection) -> int:
    """The ``seq`` up to which the linking pass has linked."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", [MARK]).fetchone()
    return int(row[0]) if row else 0


def _next_seq(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT coalesce(max(seq), 0) + 1 FROM story_docs").fetchone()[0])


def _save(conn: sqlite3.Connection, article_id: int, doc: StoryDoc, queue: bool) -> None:
    old = conn.execute(
        f"SELECT {DOC_COLUMNS}, seq FROM story_docs WHERE article_id = ?", [article_id]
    ).fetchone()
    if old is None:
        seq = _next_seq(conn)
    elif queue and old[-1] <= high_water_mark(conn):
        seq = _next_seq(conn)  # linked before (in no story): its new text is linked again
    else:
        seq = old[-1]  # still queued, or staying in its story
    if old is not None:
        # A revision: its old entries go by their keys (the index has no article column,
        # which would double its size for the rare revised article).
        previous = load(old)
        entry = (week(previous.day), previous.day, article_id)
        conn.executemany(
            "DELETE FROM story_bands WHERE key = ? AND week = ? AND day = ? AND article_id = ?",
            [(key, *entry) for key in _band_keys(previous.signature)],
        )
        conn.executemany(
            "DELETE FROM story_anchors WHERE key = ? AND week = ? AND day = ? AND article_id = ?",
            [(_anchor_key(anchor), *entry) for anchor in previous.anchors],
        )
        conn.execute("DELETE FROM story_docs WHERE article_id = ?", [article_id])
    conn.execute(
        f"INSERT INTO story_docs ({DOC_COLUMNS}, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            article_id,
            doc.source,
            doc.language,
            doc.day,
            doc.shingles,
            doc.signature.tobytes(),
            json.dumps(doc.anchors, ensure_ascii=False, sort_keys=True),
            " ".join(sorted(doc.title_terms)),
            doc.original_source,
            doc.outlet,
            doc.image,
            seq,
        ],
    )
    if doc.shingles >= MIN_SHINGLES:
        conn.executemany(
            "INSERT OR IGNORE INTO story_bands (week, key, day, article_id) VALUES (?, ?, ?, ?)",
            [(week(doc.day), key, doc.day, article_id) for key in _band_keys(doc.signature)],
        )
    conn.executemany(
        "INSERT OR IGNORE INTO story_anchors (week, key, day, article_id, weight) "
        "VALUES (?, ?, ?, ?, ?)",
        [(week(doc.day), _anchor_key(a), doc.day, article_id, w) for a, w in doc.anchors.items()],
    )


def store_features(
    conn: sqlite3.Connection,
    article_id: int,
    record: Mapping[str, Any],
    *,
    page: bytes | None = None,
    page_url: str | None = None,
    now: str,
    ready: Features | None = None,
    queue: bool = True,
) -> StoryDoc:
    """Store an article's story features (``ready``, as an extraction worker computed
    them; computed here only when missing) and queue it for the linking pass.

    ``queue=False`` re-indexes without queueing (a revised article already in a story
    stays where it is). Runs inside the caller's transaction.
    """
    ready = ready or features(record, page, page_url)
    doc = dataclasses.replace(
        ready.doc,
        outlet=_outlet(conn, str(record.get("source") or "")),
        day=ready.doc.day or _day(now) or 0,  # 0: no usable date (an old '2024' first_seen)
    )
    _save(conn, article_id, doc, queue)
    if ready.links is not None:
        conn.execute("DELETE FROM story_links WHERE article_id = ?", [article_id])
        conn.executemany(
            "INSERT OR IGNORE INTO story_links (url, article_id, method) VALUES (?, ?, ?)",
            [(url, article_id, how) for url, how in ready.links],
        )
    return doc


def candidates(
    conn: sqlite3.Connection, article_id: int, doc: StoryDoc, common: set[tuple[int, int]]
) -> list[int]:
    """Articles that may report the same story: those sharing the most LSH bands, the
    most anchor weight within the story window, and the original outlet's articles of
    the days before; at most MAX_CANDIDATES of each. ``common``: the (anchor key, day)
    pairs found too common so far (see _anchor_candidates), updated.

    Only articles stored before this one count (ids grow as articles are stored), so
    that what an article links to does not depend on how many came in the same batch."""
    ids: dict[int, None] = {}
    if doc.shingles >= MIN_SHINGLES:
        keys = _band_keys(doc.signature)
        weeks, first, last = _window(doc.day, STORY_WINDOW_DAYS)
        rows = conn.execute(
            f"SELECT article_id FROM story_bands WHERE week IN ({marks(weeks)}) "
            f"AND key IN ({marks(keys)}) AND day BETWEEN ? AND ? AND article_id < ? "
            "GROUP BY article_id ORDER BY count(*) DESC, article_id LIMIT ?",
            [*weeks, *keys, first, last, article_id, MAX_CANDIDATES],
        )
        ids.update(dict.fromkeys(r[0] for r in rows))
    if doc.anchors:
        ids.update(dict.fromkeys(_anchor_candidates(conn, article_id, doc, common)))
    if doc.original_source:
        # The original outlet's articles of the days before, whatever they share.
        sources = [
            source
            for source, name in conn.execute("SELECT id, name FROM sources")
            if names_outlet(doc.original_source, f"{source} ({name or ''})")
        ]
        for source in sources:
            rows = conn.execute(
                "SELECT article_id FROM story_docs WHERE source = ? AND day BETWEEN ? AND ? "
                "ORDER BY day DESC LIMIT ?",
                [
                    source,
                    doc.day - ORIGINAL_WINDOW_DAYS[0],
                    doc.day + ORIGINAL_WINDOW_DAYS[1],
                    MAX_CANDIDATES,
                ],
            )
            ids.update(dict.fromkeys(r[0] for r in rows))
    ids.pop(article_id, None)
    return list(ids)


def _anchor_candidates(
    conn: sqlite3.Connection, article_id: int, doc: StoryDoc, common: set[tuple[int, int]]
) -> list[int]:
    """The articles of the anchor window sharing the most anchor weight, through the
    anchors that few of them have: an anchor in more than ANCHOR_KEY_CAP articles of the
    window ("Syria", "2024", "10") says little about which, and reading all of them would
    cost as much as the window holds, so it is left to the comparison.

    Counting is most of the cost, and an anchor too common in a day's window stays so as
    articles arrive: those found so go into ``common`` and are not counted again."""
    keys = [k for a in doc.anchors if ((k := _anchor_key(a)), doc.day) not in common]
    if not keys:
        return []
    weeks, first, last = _window(doc.day, ANCHOR_WINDOW_DAYS)
    # The window's articles stored before this one with each anchor. An anchor common in
    # a neighbouring day's window most likely is in this one: its articles are read only
    # up to the cap (this one makes the cap + 1th); the others', all of them, at once.
    likely = [k for k in keys if (k, doc.day - 1) in common or (k, doc.day + 1) in common]
    others = [k for k in keys if k not in likely]
    found = f"SELECT key, article_id, weight FROM story_anchors WHERE week IN ({marks(weeks)}) "
    window = "AND day BETWEEN ? AND ? AND article_id < ?"
    rows: list[tuple[int, int, float]] = []
    if likely:
        capped = f"SELECT * FROM ({found} AND key = ? {window} LIMIT ?)"
        rows += conn.execute(
            " UNION ALL ".join([capped] * len(likely)),
            [v for key in likely for v in (*weeks, key, first, last, article_id, ANCHOR_KEY_CAP)],
        ).fetchall()
    if others:
        rows += conn.execute(
            f"{found} AND key IN ({marks(others)}) {window}",
            [*weeks, *others, first, last, article_id],
        ).fetchall()
    counts = Counter(key for key, _, _ in rows)
    common.update((key, doc.day) for key, n in counts.items() if n >= ANCHOR_KEY_CAP)
    shared: dict[int, float] = {}
    for key, other, weight in rows:
        if counts[key] < ANCHOR_KEY_CAP:
            shared[other] = shared.get(other, 0.0) + weight
    return sorted(shared, key=lambda other: (-shared[other], other))[:MAX_CANDIDATES]


def clear(conn: sqlite3.Connection) -> None:
    """Forget every index entry (before re-indexing the whole archive)."""
    for table in ("story_docs", "story_bands", "story_anchors", "story_links"):
        conn.execute(f"DELETE FROM {table}")
