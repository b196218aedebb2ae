"""The linking pass: every article indexed since the last pass joins a story, or none.

Off the write path: the writer commits articles with their story features
(archive.stories.index) and queues them by ``story_docs.seq``; this pass takes
the queued articles above its high-water mark (``meta.stories_linked``), in
order, and commits its links with the new mark, a chunk at a time. A kill
between the two loses nothing: the next pass starts at the mark.

How an article joins a story, strongest evidence first:

1. Explicit evidence: a page that names the other (hreflang, "translated
   from"), or the original-outlet line matched against that outlet's articles
   of the days before. It joins the other's story whatever its span.
2. Otherwise its best matches among the candidates (archive.stories.index),
   grouped by story. A story is eligible when, with the article, it spans at
   most ``STORY_WINDOW_DAYS`` and the article matches at least
   ``STORY_MATCH_SHARE`` of the story's members it was compared with (up to
   ``STORY_SAMPLE`` of them): it must match the story, not one loose member,
   so daily reports of one place cannot chain into a season.

A story's figures (articles, outlets, languages, first and last day and
publication) are updated as each article joins, never recounted, so a join
costs the same in a story of three as in one of three hundred. Its outlets
are outlets, not sources: an outlet's language editions (SANA's English and
Arabic services) count once (:func:`outlet_of`, the registry's ``outlet``).
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Iterator

from archive.stories.index import (
    DOC_COLUMNS,
    MARK,
    STORY_WINDOW_DAYS,
    candidates,
    high_water_mark,
    load,
    marks,
)
from archive.stories.similarity import Link, compare
from archive.stories.text import StoryDoc

STORY_MATCH_SHARE = 0.5  # of the story's members compared, the article must match this many
STORY_SAMPLE = 8  # members of a story compared beyond the candidates found
CHUNK = 500  # articles linked per transaction
EXPLICIT = frozenset({"hreflang", "translated-from", "original-source"})
# A copy links to the copy it came from rather than to a translation of it.
_RANK = {"original-source": 4, "image": 3, "same-language": 2}


@dataclasses.dataclass
class LinkStats:
    """What one pass did."""

    articles: int = 0  # articles taken from the queue
    linked: int = 0  # of them, joined to a story


def story_of(conn: sqlite3.Connection, article_id: int) -> int | None:
    """The story an article belongs to, if any."""
    row = conn.execute(
        "SELECT story_id FROM story_articles WHERE article_id = ?", [article_id]
    ).fetchone()
    return int(row[0]) if row else None


def pending(conn: sqlite3.Connection) -> int:
    """How many indexed articles wait for the linking pass."""
    row = conn.execute(
        "SELECT count(*) FROM story_docs WHERE seq > ?", [high_water_mark(conn)]
    ).fetchone()
    return int(row[0])


def _set_mark(conn: sqlite3.Connection, seq: int) -> None:
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [MARK, str(seq)],
    )


def link_chunk(
    conn: sqlite3.Connection,
    now: str,
    limit: int = CHUNK,
    common: set[tuple[int, int]] | None = None,
) -> LinkStats:
    """Link up to ``limit`` queued articles and move the mark past them; runs inside the
    caller's transaction (commit it to keep the links and the mark together).

    ``common``: the anchors found too common so far (archive.stories.index.candidates),
    kept by a caller that links chunk after chunk."""
    stats = LinkStats()
    common = set() if common is None else common
    mark = high_water_mark(conn)
    rows = conn.execute(
        f"SELECT {DOC_COLUMNS}, seq FROM story_docs WHERE seq > ? ORDER BY seq LIMIT ?",
        [mark, limit],
    ).fetchall()
    for row in rows:
        stats.articles += 1
        stats.linked += _link_one(conn, int(row[0]), row, now, common) is not None
        mark = int(row[-1])
    if rows:
        _set_mark(conn, mark)
    return stats


def _link_one(
    conn: sqlite3.Connection, article_id: int, row: tuple, now: str, common: set[tuple[int, int]]
) -> int | None:
    if story_of(conn, article_id) is not None:
        return None  # in a story already: nothing to do
    doc, seq = load(row), int(row[-1])
    match = _explicit(conn, article_id, seq) or _best_story(conn, article_id, seq, doc, common)
    if match is None:
        return None
    other, link = match
    return _join(conn, article_id, other, link, now)


def _queued_before(conn: sqlite3.Connection, article_id: int, seq: int) -> bool:
    # Articles are linked in the order they were stored, each among those before it, as
    # if it had been linked the moment it arrived: the later ones of a chunk find it.
    row = conn.execute("SELECT seq FROM story_docs WHERE article_id = ?", [article_id]).fetchone()
    return row is not None and row[0] is not None and row[0] < seq


def _explicit(conn: sqlite3.Connection, article_id: int, seq: int) -> tuple[int, Link] | None:
    """An article linked before this one that it names, or that named it."""
    for url, how in conn.execute(
        "SELECT url, method FROM story_links WHERE article_id = ? ORDER BY rowid", [article_id]
    ).fetchall():
        for (other,) in conn.execute(
            "SELECT id FROM articles WHERE canonical_url = ? AND id != ? UNION ALL "
            "SELECT article_id FROM url_aliases WHERE url = ? AND article_id != ?",
            [url, article_id, url, article_id],
        ).fetchall():
            if _queued_before(conn, other, seq):
                return int(other), Link(how, 1.0)
    own = conn.execute(
        "SELECT canonical_url, url FROM articles WHERE id = ?", [article_id]
    ).fetchone()
    urls = list(dict.fromkeys(u for u in own or () if u))
    for other, how in conn.execute(
        f"SELECT article_id, method FROM story_links WHERE url IN ({marks(urls)}) "
        "AND article_id != ? ORDER BY rowid",
        [*urls, article_id],
    ).fetchall():
        if _queued_before(conn, other, seq):
            return int(other), Link(how, 1.0)
    return None


def _docs(
    conn: sqlite3.Connection, ids: list[int], seq: int
) -> Iterator[tuple[int, int | None, StoryDoc]]:
    """(article id, its story, its StoryDoc) for each id linked before ``seq``."""
    for row in conn.execute(
        f"SELECT {DOC_COLUMNS}, sa.story_id FROM story_docs "
        "LEFT JOIN story_articles sa USING (article_id) "
        f"WHERE story_docs.article_id IN ({marks(ids)}) AND story_docs.seq < ?",
        [*ids, seq],
    ):
        yield int(row[0]), row[-1], load(row)


def _best_story(
    conn: sqlite3.Connection, article_id: int, seq: int, doc: StoryDoc, common: set[tuple[int, int]]
) -> tuple[int, Link] | None:
    """The member of the best eligible story (or the best lone article) to join."""
    ids = candidates(conn, article_id, doc, common)
    if not ids:
        return None
    # Per story (or per lone article, keyed by its negated id): its matches.
    groups: dict[int, list[tuple[tuple, int, Link, int]]] = {}
    compared: dict[int, set[int]] = {}
    for other, story, other_doc in _docs(conn, ids, seq):
        group = story if story is not None else -other
        compared.setdefault(group, set()).add(other)
        link = compare(doc, other_doc)
        if link is None:
            continue
        # Explicit evidence first, then the higher score, then the older article.
        order = (_RANK.get(link.method, 1), link.score, -other)
        groups.setdefault(group, []).append((order, other, link, other_doc.day))
    best_first = sorted(groups.items(), key=lambda g: max(g[1])[0], reverse=True)
    for group, matches in best_first:
        _order, other, link, day = max(matches)
        if link.method in EXPLICIT:
            return other, link
        if group < 0:  # a lone article: the two must be within the window
            if abs(doc.day - day) <= STORY_WINDOW_DAYS:
                return other, link
        elif _fits(conn, group, doc, seq, len(matches), compared[group]):
            return other, link
    return None


def _fits(
    conn: sqlite3.Connection, story: int, doc: StoryDoc, seq: int, matched: int, seen: set[int]
) -> bool:
    """Whether an article may join a story: within its window, and matching enough of it."""
    first, last, size = conn.execute(
        "SELECT first_day, last_day, articles FROM stories WHERE id = ?", [story]
    ).fetchone()
    if max(last, doc.day) - min(first, doc.day) > STORY_WINDOW_DAYS:
        return False
    compared = len(seen)
    if compared < min(size, STORY_SAMPLE):
        # Members the candidates did not bring: compare with the story's latest ones too.
        others = [
            r[0]
            for r in conn.execute(
                "SELECT article_id FROM story_articles WHERE story_id = ? "
                "ORDER BY article_id DESC LIMIT ?",
                [story, STORY_SAMPLE],
            )
            if r[0] not in seen
        ][: STORY_SAMPLE - compared]
        for _other, _story, other_doc in _docs(conn, others, seq) if others else ():
            compared += 1
            matched += compare(doc, other_doc) is not None
    return matched >= STORY_MATCH_SHARE * compared


def _join(conn: sqlite3.Connection, article_id: int, other: int, link: Link, now: str) -> int:
    story = story_of(conn, other)
    if story is None:
        story = int(
            conn.execute(
                "INSERT INTO stories (first_article, articles, outlets, created, updated) "
                "VALUES (?, 0, 0, ?, ?)",
                [other, now, now],
            ).lastrowid
        )
        _add(conn, story, other, None, Link("first", 0.0), now)
    _add(conn, story, article_id, other, link, now)
    return story


def _add(
    conn: sqlite3.Connection,
    story: int,
    article_id: int,
    linked_to: int | None,
    link: Link,
    now: str,
) -> None:
    """One member more: its row, and the story's figures moved by it (never recounted)."""
    first = linked_to is None
    conn.execute(
        "INSERT INTO story_articles (article_id, story_id, linked_to, method, score, linked_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [article_id, story, linked_to, link.method, None if first else link.score, now],
    )
    source, language, published, day = conn.execute(
        "SELECT a.source, a.language, a.published, d.day FROM articles a "
        "LEFT JOIN story_docs d ON d.article_id = a.id WHERE a.id = ?",
        [article_id],
    ).fetchone()
    outlet = outlet_of(conn, source)
    known = conn.execute(
        "SELECT 1 FROM story_outlets WHERE story_id = ? AND outlet = ? LIMIT 1", [story, outlet]
    ).fetchone()
    conn.execute(
        "INSERT OR IGNORE INTO story_outlets (story_id, source, outlet) VALUES (?, ?, ?)",
        [story, source, outlet],
    )
    new_outlet = 0 if known else 1
    row = conn.execute(
        "SELECT languages, first_published, last_published, first_day, last_day "
        "FROM stories WHERE id = ?",
        [story],
    ).fetchone()
    languages = [x for x in (row[0] or "").split(",") if x]
    if language and language not in languages:
        languages.append(language)
    conn.execute(
        "UPDATE stories SET articles = articles + 1, outlets = outlets + ?, languages = ?, "
        "first_published = ?, last_published = ?, first_day = ?, last_day = ?, updated = ? "
        "WHERE id = ?",
        [
            new_outlet,
            ",".join(languages) or None,
            _extreme(min, row[1], published),
            _extreme(max, row[2], published),
            _extreme(min, row[3], day),
            _extreme(max, row[4], day),
            now,
            story,
        ],
    )


def outlet_of(conn: sqlite3.Connection, source: str) -> str:
    """The outlet a source is an edition of: the sources row's ``outlet`` (the registry's
    field), else its name, else the source id itself. The one place it is read."""
    row = conn.execute(
        "SELECT coalesce(nullif(trim(outlet), ''), nullif(trim(name), '')) FROM sources "
        "WHERE id = ?",
        [source],
    ).fetchone()
    return row[0] if row and row[0] else source


def relabel_outlet(conn: sqlite3.Connection, source: str) -> int:
    """After a source's outlet changed (the registry's ``outlet`` edited, or an archive
    upgraded): its stories' outlets counted again; returns how many stories. Only the
    stories of that source are touched, found by ``idx_story_outlets_source``."""
    outlet = outlet_of(conn, source)
    # Three seeks of the index, not a pass over the source's stories (every crawl syncs).
    ends = [
        conn.execute(
            f"SELECT {end}(outlet) FROM story_outlets WHERE source = ?", [source]
        ).fetchone()[0]
        for end in ("min", "max")
    ]
    unnamed = conn.execute(
        "SELECT 1 FROM story_outlets WHERE source = ? AND outlet IS NULL LIMIT 1", [source]
    ).fetchone()
    if all(end in (None, outlet) for end in ends) and unnamed is None:
        return 0
    changed = conn.execute(
        "UPDATE story_outlets SET outlet = ? WHERE source = ? AND outlet IS NOT ?",
        [outlet, source, outlet],
    ).rowcount
    if not changed:
        return 0
    return conn.execute(
        "UPDATE stories SET outlets = (SELECT count(DISTINCT o.outlet) FROM story_outlets o "
        "WHERE o.story_id = stories.id) "
        "WHERE id IN (SELECT story_id FROM story_outlets WHERE source = ?)",
        [source],
    ).rowcount


def recount_outlets(conn: sqlite3.Connection) -> int:
    """Every story's outlets counted again from its sources' outlets (a schema upgrade);
    returns how many stories changed."""
    sources = [r[0] for r in conn.execute("SELECT DISTINCT source FROM story_outlets")]
    for source in sources:
        conn.execute(
            "UPDATE story_outlets SET outlet = ? WHERE source = ?",
            [outlet_of(conn, source), source],
        )
    return conn.execute(
        "UPDATE stories SET outlets = (SELECT count(DISTINCT o.outlet) FROM story_outlets o "
        "WHERE o.story_id = stories.id) WHERE outlets IS NOT (SELECT count(DISTINCT o.outlet) "
        "FROM story_outlets o WHERE o.story_id = stories.id)"
    ).rowcount


def _extreme(pick, old, new):
    """min or max of two values, either of which may be unknown (None)."""
    values = [v for v in (old, new) if v is not None]
    return pick(values) if values else None


def reset(conn: sqlite3.Connection) -> None:
    """Forget every story and queue every indexed article again (``stories --rebuild``)."""
    for table in ("story_outlets", "story_articles", "stories"):
        conn.execute(f"DELETE FROM {table}")
    conn.execute("DELETE FROM meta WHERE key = ?", [MARK])
