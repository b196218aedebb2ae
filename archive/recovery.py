"""Recovery from web archives, the archive's side: where a recovery stands, and how a
recovered capture joins an article's history.

A recovery (scraper.recover) lists a source's captures from a CDX server page
after page and fetches each from the archive's replay. ``recover_queries`` keeps
the resume key of the listing's page being worked on; a stored capture keeps its
replay address (committed with its article), and ``recovered_captures`` lists the
captures that were no article: so a killed recovery resumes without listing or
fetching again what it had done.

A recovered capture goes in through :func:`archive.ingest.ingest_page` with its
capture date as "now", so a recovered article's versions are dated by the
archive's captures. One rule differs: a capture older than what the archive
already holds of the article (an article archived live) must not replace the
newer text. It is kept as evidence of the article and, when its text is one the
archive has not seen, as a revision put in the article's history at its capture's
date (:meth:`add_earlier_version`): the versions run by the dates the texts were
seen, whichever order the captures arrive in, and the newest text stays current.

Provenance is shown from here too: an article's current text is its latest capture's
(by the capture's date: the web archive's for a recovered one, the fetch's for a
live one), so the export's ``recovered_from``, ``captured_at`` and ``replay_url``
are that capture's (:data:`PROVENANCE_COLUMNS`, empty for a live fetch), and
:func:`archive_name` is how a page names the web archive.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from archive.captures import Capture, CaptureStore
from archive.clock import utcnow
from archive.record import prepare

__all__ = ["PROVENANCE_COLUMNS", "RecoveryState", "archive_name", "provenance_join"]

# The export's provenance columns, as columns of the capture provenance_join() joins.
PROVENANCE_COLUMNS = {
    "recovered_from": "archive",
    "captured_at": "archived_at",
    "replay_url": "replay_url",
}


def provenance_join(alias: str = "provenance", articles: str = "articles") -> str:
    """A LEFT JOIN of each article's latest capture (by capture date) as ``alias``: the
    capture its current text came from (see the module docstring)."""
    return (
        f"LEFT JOIN captures {alias} ON {alias}.id = (SELECT id FROM captures "
        f"WHERE article_id = {articles}.id "
        "ORDER BY coalesce(archived_at, fetched_at) DESC, id DESC LIMIT 1)"
    )


def archive_name(cdx: str | None) -> str:
    """A web archive as a reader knows it, from its CDX server's address: its host and
    the path before the CDX endpoint (``web.archive.org``, ``host:8080/collection``)."""
    if not cdx:
        return ""
    name = cdx.split("://", 1)[-1].split("?", 1)[0].rstrip("/")
    for endpoint in ("/cdx/search/cdx", "/cdx/search", "/cdx"):
        if name.endswith(endpoint):
            return name[: -len(endpoint)]
    return name


class RecoveryState(CaptureStore):
    """recover_queries and recovered_captures, and earlier versions of articles."""

    def cdx_resume_key(self, query: str) -> str | None:
        """The resume key of the page an unfinished recovery was working on in a CDX
        listing (None: its first page, or no recovery began it)."""
        row = self._one("SELECT resume_key FROM recover_queries WHERE query = ?", [query])
        return row["resume_key"] if row is not None else None

    def save_cdx_progress(self, query: str, source: str, resume_key: str | None) -> None:
        """The CDX page a recovery now works on, committed now (with the captures done)."""
        self._write(
            "INSERT INTO recover_queries (query, source, resume_key, updated) "
            "VALUES (?, ?, ?, ?) ON CONFLICT(query) DO UPDATE SET "
            "resume_key = excluded.resume_key, updated = excluded.updated",
            [query, source, resume_key, utcnow()],
        )
        self.flush()

    def clear_cdx_progress(self, source: str) -> None:
        """A recovery of ``source`` finished: its next one lists every page again (new
        captures may be anywhere), and fetches only captures it has not handled."""
        self._write("DELETE FROM recover_queries WHERE source = ?", [source])

    def recovered(self, source: str) -> set[str]:
        """The replay addresses of the captures of ``source`` recoveries have handled: the
        captures stored (committed with their article) and the pages that were none."""
        stored = self.db.execute(
            "SELECT c.replay_url FROM captures c JOIN articles a ON a.id = c.article_id "
            "WHERE a.source = ? AND c.replay_url IS NOT NULL",
            [source],
        )
        handled = self.db.execute(
            "SELECT replay_url FROM recovered_captures WHERE source = ?", [source]
        )
        return {url for (url,) in [*stored, *handled]}

    def mark_not_article(self, replay_url: str, source: str) -> None:
        """A recovered capture that is no article: never fetched again by a recovery."""
        self._write(
            "INSERT OR IGNORE INTO recovered_captures (replay_url, source, at) VALUES (?, ?, ?)",
            [replay_url, source, utcnow()],
        )

    def archived_after(self, url: str, when: str) -> int | None:
        """The id of the article at ``url`` (or its alias) when the archive's text of it is
        newer than ``when`` (ISO), else None."""
        article_id = self.lookup(url)  # type: ignore[attr-defined]  # ArticleStore's
        if article_id is None:
            return None
        row = self._one("SELECT last_seen FROM articles WHERE id = ?", [article_id])
        return article_id if row is not None and row["last_seen"] > when else None

    def add_earlier_version(
        self, article_id: int, record: Mapping[str, Any], capture: Capture
    ) -> bool:
        """Keep a capture older than the article's text (see the module docstring); True
        when its text was new to the archive and became a revision.

        The versions stay in the order of their dates, whatever order they arrive in. A
        revision's ``revised_at`` is when its text was replaced, the article's
        ``first_seen`` when its first text was seen (archive.history reads them so), so
        the earlier text goes in at its capture's date: before the first version (which
        it is replaced by, and first_seen moves back to the capture), or inside the
        version it was seen during, which then ends at the capture and takes up again
        after it (the current text: from its last sighting, last_seen)."""
        text = prepare(record)
        when = capture.archived_at or ""
        article = self._one(
            "SELECT first_seen, last_seen, content_hash FROM articles WHERE id = ?", [article_id]
        )
        revisions = self.db.execute(
            "SELECT id, revised_at, content_hash FROM revisions WHERE article_id = ? "
            "ORDER BY revised_at, id",
            [article_id],
        ).fetchall()
        hashes = [r[2] for r in revisions] + [article["content_hash"]]
        known = text["content_hash"] in hashes
        self._begin()
        if not known:
            if when < article["first_seen"]:
                replaced_at = article["first_seen"]
            else:
                # The version seen at `when`: the revision whose time spans it, else the
                # current text (seen before and after the capture).
                spanning = next((r for r in revisions if when < (r[1] or "")), None)
                if spanning is not None:
                    replaced_at = spanning[1]
                    self.db.execute(
                        "UPDATE revisions SET revised_at = ? WHERE id = ?", [when, spanning[0]]
                    )
                else:
                    replaced_at = article["last_seen"]
                    self.db.execute(
                        "INSERT INTO revisions (article_id, revised_at, title, summary, body, "
                        "tags, content_hash, extractor_version) SELECT id, ?, title, summary, "
                        "body, tags, content_hash, extractor_version FROM articles WHERE id = ?",
                        [when, article_id],
                    )
            self.db.execute(
                "INSERT INTO revisions (article_id, revised_at, title, summary, body, tags, "
                "content_hash, extractor_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    article_id,
                    replaced_at,
                    text["title"],
                    text["summary"],
                    text["body"],
                    json.dumps(text["tags"], ensure_ascii=False),
                    text["content_hash"],
                    text["extractor_version"],
                ],
            )
        if when < article["first_seen"] and (known is False or hashes[0] == text["content_hash"]):
            # The archive's first text, or one before it, was seen earlier than it knew.
            self.db.execute("UPDATE articles SET first_seen = ? WHERE id = ?", [when, article_id])
        self._save_capture(article_id, capture, utcnow())
        self._end_write()
        return not known
