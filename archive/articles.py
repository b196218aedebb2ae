"""Articles: the upsert, revisions, URL aliases (reading them back: archive.reads).

Every upsert says what happened, as archive.dedup decides it, and carries it
out here: *unchanged* moves only ``last_seen`` and fills in missing metadata;
*revised* keeps the old version in ``revisions``; *alias* records the new URL
of an archived article; *new* and *near-duplicate* insert the article, its
search row and its story features (linked after the commit, archive.stories).

The hot path is hand-written SQL on the archive's connection: it runs once
per article and must not pay for per-call table introspection. Each upsert
runs in a savepoint inside the open batch (archive.db), so an error halfway
leaves the batch as it was, never half an article.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import sqlite3
import time
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from archive.captures import Capture
from archive.clock import utcnow
from archive.days import UNKNOWN_OFFSET_NOTE
from archive.db import ArchiveError
from archive.dedup import Outcome, decide, with_bands
from archive.fingerprints import Fingerprints
from archive.reads import ArticleReads, decode_row
from archive.record import KEEP_IF_MISSING, json_list, prepare
from archive.search import index_article, index_values, search_articles
from archive.stories import (
    LINK_CHUNK,
    Features,
    LinkStats,
    link_chunk,
    store_features,
    story_of,
)
from archive.stories import reset as reset_stories
from archive.urls import ALIAS_KINDS, alias_kind, canonicalize

logger = logging.getLogger(__name__)

__all__ = ["ArticleStore", "UpsertResult"]

COMMON_ANCHORS_KEPT = 100_000  # see ArticleStore._common_anchors

# Columns a revision replaces (besides tags and the KEEP_IF_MISSING metadata).
_REVISED = (
    "title",
    "summary",
    "body",
    "translated",
    "extractor_version",
    "word_count",
    "content_hash",
    "simhash",
    "band0",
    "band1",
    "band2",
    "band3",
)


@dataclasses.dataclass(frozen=True)
class UpsertResult:
    outcome: Outcome
    article_id: int
    canonical_url: str  # the stored article's key (for ALIAS: the existing article's)
    near_duplicate_of: int | None = None


def _page(capture: Capture | None, story: Features | None) -> dict[str, Any]:
    # The fetched page gives the story linker its explicit links (hreflang, credit lines),
    # unless the extraction worker found them already.
    if capture is None or story is not None:
        return {}
    return {"page": capture.content(), "page_url": capture.url}


class ArticleStore(ArticleReads):
    """articles, revisions, url_aliases, the search index and the stories."""

    _to_link = False  # articles indexed for stories since the last linking pass
    # The linking pass's (anchor key, day) pairs found too common to count again
    # (archive.stories.index); past COMMON_ANCHORS_KEPT (about 17 MB) it starts anew.
    _common_anchors: set[tuple[int, int]] | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The batch's search index rows, written just before its commit (_before_commit).
        self._search_rows: list[tuple[int, tuple[str, ...], bool]] = []
        super().__init__(*args, **kwargs)

    # --- writing -------------------------------------------------------------

    def upsert(
        self,
        record: Mapping[str, Any],
        *,
        aliases: Iterable[tuple[str, str]] | Iterable[str] = (),
        capture: Capture | None = None,
        now: str | None = None,
        fingerprints: Fingerprints | None = None,
    ) -> UpsertResult:
        """Store one article record and say what happened (see the module docstring).

        ``record["url"]`` is the address as published; ``canonical_url`` (computed
        from it when missing) is the key. ``aliases`` are other URLs seen for the
        article (plain strings, or ``(url, kind)`` pairs); ``capture`` is the
        fetch the record came from, kept as evidence; ``fingerprints``, what the
        extraction worker computed (archive.fingerprints: story features, search
        columns), used as they are; without them the archive computes its own.
        Raises ``ValueError`` for a malformed record and :class:`ArchiveError`
        when SQLite fails, after rolling back the uncommitted batch.
        """
        rec = with_bands(prepare(record))
        alias_list = self._normalise_aliases(aliases)
        now = now or utcnow()
        queued = len(self._search_rows)
        try:
            self._begin()
            with self.db.atomic():
                result = self._upsert(rec, alias_list, capture, now, fingerprints)
        except sqlite3.Error as exc:
            lost = self._rollback()
            raise ArchiveError(
                f"could not store {rec['url']} in {self.path}: {exc}; rolled back the "
                f"uncommitted batch ({len(lost)} earlier upserts), committed data is intact",
                url=rec["url"],
                lost_urls=[*lost, rec["url"]],
            ) from exc
        except BaseException:
            del self._search_rows[queued:]  # this upsert's savepoint was rolled back
            raise
        self._pending.append(rec["url"])
        too_old = (
            self.max_batch_seconds is not None
            and time.monotonic() - self._batch_started >= self.max_batch_seconds
        )
        if len(self._pending) >= self.batch_size or too_old:
            self.flush()
        return result

    def _upsert(
        self,
        rec: dict[str, Any],
        aliases: list[tuple[str, str | None]],
        capture: Capture | None,
        now: str,
        fingerprints: Fingerprints | None = None,
    ) -> UpsertResult:
        key = rec["canonical_url"]
        story = fingerprints.story if fingerprints is not None else None
        search = fingerprints.search if fingerprints is not None else None
        decision = decide(self, rec)
        existing = decision.article
        if decision.outcome is Outcome.UNCHANGED:
            self._touch(existing, rec, now)
        elif decision.outcome is Outcome.REVISED:
            self._revise(existing, rec, now, search)
            # An edit does not move an article to another story; one in none may find one.
            store_features(
                self.db.conn,
                existing["id"],
                rec,
                **_page(capture, story),
                now=now,
                ready=story,
                queue=story_of(self.db.conn, existing["id"]) is None,
            )
            self._to_link = True
        elif decision.outcome is Outcome.ALIAS:
            self._touch(existing, rec, now)
            aliases = [(rec["url"], "same-content"), *aliases]
        else:
            rec["near_duplicate_of"] = decision.near_duplicate_of
            article_id = self._insert(rec, now, search)
            store_features(
                self.db.conn, article_id, rec, **_page(capture, story), now=now, ready=story
            )
            self._to_link = True
            existing = {
                "id": article_id,
                "canonical_url": key,
                "near_duplicate_of": decision.near_duplicate_of,
            }
        return self._finish(existing, decision.outcome, aliases, capture, now)

    def _finish(
        self,
        article: Mapping[str, Any],
        outcome: Outcome,
        aliases: list[tuple[str, str | None]],
        capture: Capture | None,
        now: str,
    ) -> UpsertResult:
        self._add_aliases(article["id"], article["canonical_url"], aliases, now)
        if capture is not None:
            self._save_capture(article["id"], capture, now)
        return UpsertResult(
            outcome, article["id"], article["canonical_url"], article["near_duplicate_of"]
        )

    def _insert(self, rec: dict[str, Any], now: str, search: Sequence[str] | None) -> int:
        row = dict(rec)
        row["authors"] = json.dumps(rec["authors"], ensure_ascii=False)
        row["tags"] = json.dumps(rec["tags"], ensure_ascii=False)
        row["first_seen"] = row["last_seen"] = now
        columns = list(row)
        cursor = self.db.execute(
            f"INSERT INTO articles ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' for _ in columns)})",
            [row[c] for c in columns],
        )
        article_id = int(cursor.lastrowid)
        self._queue_search_row(article_id, rec, search, new=True)
        return article_id

    def _touch(self, existing: Mapping[str, Any], rec: Mapping[str, Any], now: str) -> None:
        changes: dict[str, Any] = {}
        for key in KEEP_IF_MISSING:
            new, old = rec[key], existing[key]
            if key == "authors":
                if new and not json_list(old):
                    changes[key] = json.dumps(new, ensure_ascii=False)
            elif new not in (None, "") and old in (None, ""):
                changes[key] = new
        if (
            rec["published_local"]
            and rec["published_local"] != existing["published_local"]
            and UNKNOWN_OFFSET_NOTE in (existing["date_notes"] or "")
        ):
            # Stored in UTC before the publisher's offset was kept: the page says it now
            # (a re-extraction of a page without a date, given the stored time, does not).
            for key in ("published", "published_local", "date_notes"):
                changes[key] = rec[key]
        # Never back in time: a capture recovered from a web archive may be older.
        changes["last_seen"] = max(now, existing["last_seen"] or now)
        self._update(existing["id"], changes)

    def _revise(
        self,
        existing: Mapping[str, Any],
        rec: dict[str, Any],
        now: str,
        search: Sequence[str] | None,
    ) -> None:
        self.db.execute(
            "INSERT INTO revisions (article_id, revised_at, title, summary, body, tags, "
            "content_hash, extractor_version) "
            "SELECT id, ?, title, summary, body, tags, content_hash, extractor_version "
            "FROM articles WHERE id = ?",
            [now, existing["id"]],
        )
        changes = {key: rec[key] for key in _REVISED}
        changes["tags"] = json.dumps(rec["tags"], ensure_ascii=False)
        for key in KEEP_IF_MISSING:
            if key == "authors":
                if rec["authors"]:
                    changes[key] = json.dumps(rec["authors"], ensure_ascii=False)
            elif rec[key] not in (None, ""):
                changes[key] = rec[key]
        changes["last_seen"] = now
        self._update(existing["id"], changes)
        self._queue_search_row(existing["id"], rec, search)

    def _queue_search_row(
        self,
        article_id: int,
        rec: Mapping[str, Any],
        search: Sequence[str] | None,
        *,
        new: bool = False,
    ) -> None:
        values = tuple(search) if search is not None else tuple(index_values(rec))
        self._search_rows.append((article_id, values, new))

    def _write_search_rows(self) -> None:
        """Write the batch's search index rows, in the order they were queued.

        Last, outside the upserts' savepoints: SQLite's FTS5 writes its pending terms
        out as a new index segment at every savepoint once it has been written to in the
        transaction, so indexing inside them made a segment per article (bench_archive at
        10k: write + link 1.77 -> 1.60 CPU ms an article with one segment per batch)."""
        for article_id, values, new in self._search_rows:
            index_article(self.db, article_id, {}, values=values, new=new)
        self._search_rows.clear()

    def _before_commit(self) -> None:
        super()._before_commit()
        self._write_search_rows()

    def _rollback(self) -> list[str]:
        self._search_rows.clear()
        return super()._rollback()

    def _update(self, article_id: int, changes: Mapping[str, Any]) -> None:
        assignments = ", ".join(f"{key} = ?" for key in changes)
        self.db.execute(
            f"UPDATE articles SET {assignments} WHERE id = ?", [*changes.values(), article_id]
        )

    @staticmethod
    def _normalise_aliases(
        aliases: Iterable[tuple[str, str]] | Iterable[str],
    ) -> list[tuple[str, str | None]]:
        result: list[tuple[str, str | None]] = []
        for item in aliases:
            if isinstance(item, str):
                url, kind = item, None
            else:
                url, kind = item
                if kind not in ALIAS_KINDS:
                    raise ValueError(
                        f"unknown alias kind {kind!r}; valid: {', '.join(ALIAS_KINDS)}"
                    )
            if url and url.strip():
                result.append((url.strip(), kind))
        return result

    def _add_aliases(
        self,
        article_id: int,
        article_key: str,
        aliases: Iterable[tuple[str, str | None]],
        now: str,
    ) -> None:
        for url, kind in aliases:
            canonical = canonicalize(url)
            kind = kind or alias_kind(url, article_key)
            # Keep the URL as seen (lookup of a raw feed link) and its
            # canonical form (lookup after a spider canonicalised it).
            for candidate in dict.fromkeys((url, canonical)):
                if candidate == article_key:
                    continue
                taken = self.db.execute(
                    "SELECT id FROM articles WHERE canonical_url = ?", [candidate]
                ).fetchone()
                if taken:
                    continue  # an alias never shadows another article's key
                # First mapping wins: an alias does not move between articles.
                self.db.execute(
                    "INSERT OR IGNORE INTO url_aliases (url, article_id, kind, first_seen) "
                    "VALUES (?, ?, ?, ?)",
                    [candidate, article_id, kind, now],
                )

    # --- stories ---------------------------------------------------------------

    def link_stories(self) -> LinkStats:
        """The linking pass (archive.stories.linking) over every article stored since the
        last one, a chunk per transaction, so a kill loses no more than a chunk."""
        self._to_link = False
        self.flush()
        total = LinkStats()
        if self._common_anchors is None or len(self._common_anchors) > COMMON_ANCHORS_KEPT:
            self._common_anchors = set()
        while True:
            try:
                self._begin()
                stats = link_chunk(self.db.conn, utcnow(), common=self._common_anchors)
                self.db.conn.execute("COMMIT")  # not flush(): that would start a pass again
            except sqlite3.Error as exc:
                self._rollback()
                raise ArchiveError(
                    f"could not link stories in {self.path}: {exc}; the articles are "
                    "stored and the next pass links them"
                ) from exc
            total.articles += stats.articles
            total.linked += stats.linked
            if stats.articles < LINK_CHUNK:
                return total

    def relink_stories(self) -> LinkStats:
        """Forget every story and link the whole archive again, in the order it was
        stored (the stored features are kept)."""
        self._to_link = False
        try:
            self._begin()
            reset_stories(self.db.conn)
            self.flush()
        except sqlite3.Error as exc:
            self._rollback()
            raise ArchiveError(f"could not reset the stories of {self.path}: {exc}") from exc
        return self.link_stories()

    def _after_commit(self) -> None:
        if self._to_link:
            try:
                self.link_stories()
            except ArchiveError as exc:
                logger.warning("%s", exc)

    def add_alias(self, article_url: str, url: str, kind: str | None = None) -> bool:
        """Record ``url`` as another URL of the archived article ``article_url``.

        Returns True when a new alias row was written; False when the article
        is not archived or the URL was already known.
        """
        article_id = self.lookup(article_url)
        known = self.db.execute(
            "SELECT 1 FROM url_aliases WHERE url = ? "
            "UNION ALL SELECT 1 FROM articles WHERE canonical_url = ? "
            "UNION ALL SELECT 1 FROM articles WHERE url = ? AND url != canonical_url",
            [url, url, url],
        ).fetchone()
        if article_id is None or known:
            return False
        key = self._one("SELECT canonical_url FROM articles WHERE id = ?", [article_id])
        try:
            self._begin()
            (alias,) = self._normalise_aliases([(url, kind)] if kind else [url])
            self._add_aliases(article_id, key["canonical_url"], [alias], utcnow())
        except sqlite3.Error as exc:
            raise ArchiveError(
                f"could not record alias {url} of {article_url}: {exc}",
                lost_urls=self._rollback(),
            ) from exc
        self._end_write()
        return True

    def mark_reextracted(self, article_id: int, *, last_seen: str, extractor_version: str) -> None:
        """After a re-extraction: keep ``last_seen`` (it was not a visit to the site)
        and record the extractor version that made or confirmed the record."""
        self._write(
            "UPDATE articles SET last_seen = ?, extractor_version = ? WHERE id = ?",
            [last_seen, extractor_version, article_id],
        )

    # --- reading -------------------------------------------------------------

    def search(
        self, query: str, *, source: str | None = None, limit: int = 20
    ) -> list[dict[str, Any]]:
        """Full-text search (archive.search): article rows with ``rank`` and ``snippet``."""
        self._write_search_rows()  # the open batch's articles are found too
        return [
            decode_row(row) for row in search_articles(self.db, query, source=source, limit=limit)
        ]
