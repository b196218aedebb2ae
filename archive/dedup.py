"""The dedup decision: what a record is to the archive, decided in one place.

In order (docs/design.md, "Deduplication"):

1. its canonical URL, or a URL recorded as an alias, is an archived
   article's: the same content hash makes it *unchanged*, another one a
   *revision* of that article;
2. a new URL whose content hash an article of the same source has: an
   *alias* of that article (blank bodies excepted: video pages and paywalls
   would all share one hash);
3. a new article within NEAR_DUPLICATE_DISTANCE bits of another's simhash: a
   *near-duplicate*, kept as its own article and linked to the first of its
   cluster;
4. otherwise *new*.

The hashes are archive.hashes, made once per page by the extraction worker
(archive.fingerprints); archive.articles carries out the decision (writes the
row, the revision, the aliases). Every lookup here is one index search.
"""

from __future__ import annotations

import dataclasses
import enum
from typing import Any

from archive.db import ArchiveDB
from archive.hashes import NEAR_DUPLICATE_DISTANCE, hamming, simhash_bands, simhash_value

__all__ = ["NEAR_DUPLICATE_MIN_WORDS", "Decision", "Outcome", "decide", "near_duplicate"]

# Below this many body words a 64-bit simhash of 3-shingles is noise (two
# short briefs differ in most shingles anyway, while empty bodies would all
# collide), so such articles get no bands and are never near-duplicates.
NEAR_DUPLICATE_MIN_WORDS = 40


class Outcome(str, enum.Enum):
    NEW = "new"
    UNCHANGED = "unchanged"
    REVISED = "revised"
    ALIAS = "alias"
    NEAR_DUPLICATE = "near-duplicate"

    def __str__(self) -> str:
        return self.value


@dataclasses.dataclass(frozen=True)
class Decision:
    outcome: Outcome
    article: dict[str, Any] | None = None  # the archived row it is (unchanged, revised, alias)
    near_duplicate_of: int | None = None  # the first article of its cluster (near-duplicate)


def with_bands(rec: dict[str, Any]) -> dict[str, Any]:
    """The record with its simhash's four bands (``band0``..``band3``), or None for a
    text too short to be judged a near-duplicate."""
    bands: tuple[int | None, ...] = (None, None, None, None)
    if rec["word_count"] >= NEAR_DUPLICATE_MIN_WORDS:
        bands = simhash_bands(simhash_value(rec["simhash"]))
    for i, band in enumerate(bands):
        rec[f"band{i}"] = band
    return rec


def decide(db: ArchiveDB, rec: dict[str, Any]) -> Decision:
    """What ``rec`` (a prepared record with its bands) is to the archive."""
    existing = _archived(db, rec["canonical_url"], rec["url"])
    if existing is not None:
        same = existing["content_hash"] == rec["content_hash"]
        return Decision(Outcome.UNCHANGED if same else Outcome.REVISED, existing)
    if rec["body"].strip():
        same = db._one(
            "SELECT * FROM articles WHERE content_hash = ? AND source = ? ORDER BY id LIMIT 1",
            [rec["content_hash"], rec["source"]],
        )
        if same is not None:
            return Decision(Outcome.ALIAS, same)
    near = near_duplicate(db, rec)
    if near is not None:
        return Decision(Outcome.NEAR_DUPLICATE, near_duplicate_of=near)
    return Decision(Outcome.NEW)


def _archived(db: ArchiveDB, canonical_url: str, url: str) -> dict[str, Any] | None:
    row = db._one("SELECT * FROM articles WHERE canonical_url = ?", [canonical_url])
    if row is None:
        row = db._one(
            "SELECT a.* FROM url_aliases al JOIN articles a ON a.id = al.article_id "
            "WHERE al.url IN (?, ?) ORDER BY al.url = ? DESC LIMIT 1",
            [canonical_url, url, canonical_url],
        )
    return row


def near_duplicate(db: ArchiveDB, rec: dict[str, Any]) -> int | None:
    """The first article of the cluster of the archived article nearest to ``rec``
    within NEAR_DUPLICATE_DISTANCE bits, if any."""
    if rec["band0"] is None:
        return None
    h = simhash_value(rec["simhash"])
    # One search of each band index, each covering (band, simhash, id): no article row
    # is read until one is near enough. Written as a UNION ALL, not as an OR, which SQLite
    # answers with a MULTI-INDEX OR that reads every candidate's row for its simhash (~60
    # random rows an article at a million: 4 bands of 16 bits). An article found in two
    # bands comes twice; the set keeps it once.
    cursor = db.db.execute(
        " UNION ALL ".join(f"SELECT id, simhash FROM articles WHERE band{i} = ?" for i in range(4)),
        [rec["band0"], rec["band1"], rec["band2"], rec["band3"]],
    )
    near = sorted(
        {
            (distance, cand_id)
            for cand_id, cand_hash in cursor
            if (distance := hamming(h, simhash_value(cand_hash))) <= NEAR_DUPLICATE_DISTANCE
        }
    )
    for _distance, cand_id in near:
        root, key = db.db.execute(
            "SELECT near_duplicate_of, canonical_url FROM articles WHERE id = ?", [cand_id]
        ).fetchone()
        if key != rec["canonical_url"]:  # not the article itself
            # Link to the first article of the cluster, so one story has one root.
            return root or cand_id
    return None
