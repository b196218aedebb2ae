"""An article's fingerprints, made once where the page is extracted and carried to the writer.

What the archive decides about a new page (is it a revision, an alias, a
near-duplicate, which story is it in) rests on its fingerprints: the content
hash (archive.hashes: same words, same article), the simhash (archive.hashes:
near-duplicates) and the story features (archive.stories: MinHash signature
of word 3-shingles, names and numbers that survive translation, title terms,
the page's explicit hreflang and credit links); beside them, the search index's
folded and stemmed columns (archive.search). They cost CPU, the writer is
one process for the whole crawl, so :func:`fingerprint` makes them in the
extraction worker (scraper.extraction) and the writer only reads them.

:class:`Fingerprints` is that one value, whichever way the page travels:

- a single-process crawl passes it from the worker pool to
  archive.ingest.ingest_page as it is (it pickles);
- a distributed worker puts :meth:`Fingerprints.to_json` into the page's
  message (scraper.distributed.messages) and the writer rebuilds it with
  :meth:`Fingerprints.from_json`.

The JSON form is compact and JSON-safe: the 64 uint32 of the MinHash
signature as base64 of their little-endian bytes (344 characters, the same
on every machine), the anchors as an object (Arabic keys as they are), the
title terms as a sorted list, the links as ``[url, how]`` pairs. Unlike
pickle it runs no code on the writer, and it can be read with redis-cli.

The writer trusts nothing it did not compute, so :meth:`from_json` checks
the shape, every field's type and every length, and raises
:class:`FingerprintError` (a ValueError) whose message is one line naming
the field: the writer records it as that page's failure and goes on. It
never falls back to computing them: what a worker sent is used or refused.
The Python value is checked the same way when it is made (``__post_init__``),
so a bad value fails where it was made, not in the archive.

Pages that do not come from a crawl (``newsarchive import``, ``reextract``)
may pass none; the archive then computes them itself (archive.record.prepare,
archive.stories.store_features and archive.search.index_article).
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import math
import re
from collections.abc import Mapping
from datetime import date
from typing import Any

import numpy as np

from archive.hashes import content_hash, simhash, simhash_hex
from archive.search import COLUMNS, STEM_COLUMNS, index_values
from archive.stories import Features, StoryDoc, features

__all__ = ["FORMAT", "NUM_PERM", "FingerprintError", "Fingerprints", "fingerprint"]

FORMAT = 1  # the JSON form's version ("v"); a writer refuses forms it does not know
# The MinHash permutations of archive.stories (its NUM_PERM), written out: the story
# package keeps it to itself; tests/test_fingerprints.py checks the two agree.
NUM_PERM = 64
_HASH = re.compile(r"[0-9a-f]{64}")
_SIMHASH = re.compile(r"[0-9a-f]{16}")
_SIGNATURE_BYTES = NUM_PERM * 4
_MAX_DAY = date.max.toordinal()
SEARCH_COLUMNS = (*COLUMNS, *STEM_COLUMNS)
_TOP_KEYS = frozenset({"v", "content_hash", "simhash", "search", "story"})
_STORY_KEYS = frozenset(
    {"source", "language", "day", "shingles", "signature", "anchors", "title_terms",
     "original_source", "outlet", "image", "links"}
)  # fmt: skip


class FingerprintError(ValueError):
    """Malformed fingerprints; the message is one line naming the field."""


def _fail(field: str, problem: str, value: Any = None) -> FingerprintError:
    shown = f": {value!r:.80}" if value is not None else ""
    return FingerprintError(f"malformed fingerprints: {field} {problem}{shown}")


def _text(value: Any, field: str, *, optional: bool = False) -> None:
    if value is None and optional:
        return
    if not isinstance(value, str):
        raise _fail(field, f"must be text, not {type(value).__name__}")


def _integer(value: Any, field: str, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(field, f"must be an integer, not {type(value).__name__}")
    if not low <= value <= high:
        raise _fail(field, f"must be between {low} and {high}", value)


def _check_doc(doc: Any) -> None:
    if not isinstance(doc, StoryDoc):
        raise _fail("story.doc", f"must be a StoryDoc, not {type(doc).__name__}")
    for name in ("source", "language", "outlet"):
        _text(getattr(doc, name), f"story.{name}")
    for name in ("original_source", "image"):
        _text(getattr(doc, name), f"story.{name}", optional=True)
    _integer(doc.day, "story.day", 0, _MAX_DAY)
    _integer(doc.shingles, "story.shingles", 0, 2**31 - 1)
    signature = doc.signature
    if not isinstance(signature, np.ndarray) or signature.dtype != np.uint32:
        raise _fail("story.signature", "must be a numpy uint32 array")
    if signature.shape != (NUM_PERM,):
        raise _fail("story.signature", f"must hold {NUM_PERM} values, not {signature.size}")
    if not isinstance(doc.anchors, dict):
        raise _fail("story.anchors", f"must be an object, not {type(doc.anchors).__name__}")
    for key, weight in doc.anchors.items():
        if not isinstance(key, str) or not key:
            raise _fail("story.anchors", "keys must be non-empty text", key)
        if isinstance(weight, bool) or not isinstance(weight, int | float):
            raise _fail(f"story.anchors[{key!r}]", f"must be a number, not {type(weight).__name__}")
        if not math.isfinite(weight) or weight < 0:
            raise _fail(f"story.anchors[{key!r}]", "must be a finite weight >= 0", weight)
    if not isinstance(doc.title_terms, frozenset) or not all(
        isinstance(t, str) for t in doc.title_terms
    ):
        raise _fail("story.title_terms", "must be a set of text")


def _check_links(links: Any) -> None:
    if links is None:
        return
    if not isinstance(links, list):
        raise _fail("story.links", f"must be a list or null, not {type(links).__name__}")
    for i, pair in enumerate(links):
        if (
            not isinstance(pair, tuple | list)
            or len(pair) != 2
            or not all(isinstance(part, str) and part for part in pair)
        ):
            raise _fail(f"story.links[{i}]", "must be a [url, how] pair of text", pair)


@dataclasses.dataclass(frozen=True)
class Fingerprints:
    """An article's content hash, simhash and story features (see the module docstring)."""

    content_hash: str  # SHA-256 hex of the normalised title and body (archive.hashes)
    simhash: str  # 16 hex digits, 64 bits (archive.hashes)
    story: Features  # what the story linker needs (archive.stories.features)
    # The search index's columns, folded then stemmed (archive.search.index_values): the
    # stemming is the most CPU the writer would otherwise spend on an article.
    search: tuple[str, ...]

    def __post_init__(self) -> None:
        if not isinstance(self.content_hash, str) or not _HASH.fullmatch(self.content_hash):
            raise _fail("content_hash", "must be 64 lowercase hex digits", self.content_hash)
        if not isinstance(self.simhash, str) or not _SIMHASH.fullmatch(self.simhash):
            raise _fail("simhash", "must be 16 lowercase hex digits", self.simhash)
        if not isinstance(self.story, Features):
            raise _fail("story", f"must be Features, not {type(self.story).__name__}")
        _check_doc(self.story.doc)
        _check_links(self.story.links)
        _check_search(self.search)

    def apply(self, record: Mapping[str, Any], source: str) -> dict[str, Any]:
        """The record with these fingerprints' content hash and simhash, for storing as
        ``source``. FingerprintError when they cannot be this record's: made for another
        source, or disagreeing with a hash the record already has."""
        if self.story.doc.source != source:
            raise _fail(
                "story.source", f"is not the page's source {source!r}", self.story.doc.source
            )
        for key in ("content_hash", "simhash"):
            given = record.get(key)
            if given not in (None, "") and given != getattr(self, key):
                raise _fail(key, "disagrees with the record's", given)
        return {**record, "content_hash": self.content_hash, "simhash": self.simhash}

    def to_json(self) -> dict[str, Any]:
        """The JSON-safe form (a dict of str, int, float, list, None)."""
        doc = self.story.doc
        signature = doc.signature.astype("<u4", copy=False).tobytes()
        return {
            "v": FORMAT,
            "content_hash": self.content_hash,
            "simhash": self.simhash,
            "search": list(self.search),
            "story": {
                "source": doc.source,
                "language": doc.language,
                "day": doc.day,
                "shingles": doc.shingles,
                "signature": base64.b64encode(signature).decode("ascii"),
                "anchors": dict(doc.anchors),
                "title_terms": sorted(doc.title_terms),
                "original_source": doc.original_source,
                "outlet": doc.outlet,
                "image": doc.image,
                "links": (
                    None if self.story.links is None else [list(p) for p in self.story.links]
                ),
            },
        }

    @classmethod
    def from_json(cls, data: Any) -> Fingerprints:
        """Rebuild the value :meth:`to_json` made; FingerprintError (one line) if malformed."""
        if not isinstance(data, Mapping):
            raise _fail("the value", f"must be an object, not {type(data).__name__}")
        _keys(data, _TOP_KEYS, "")
        if data["v"] != FORMAT:
            raise _fail("v", f"is not a known format (this writer reads {FORMAT})", data["v"])
        story = data["story"]
        if not isinstance(story, Mapping):
            raise _fail("story", f"must be an object, not {type(story).__name__}")
        _keys(story, _STORY_KEYS, "story.")
        encoded = story["signature"]
        _text(encoded, "story.signature")
        try:
            raw = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            raise _fail("story.signature", "is not base64", encoded) from None
        if len(raw) != _SIGNATURE_BYTES:
            raise _fail(
                "story.signature",
                f"must be {_SIGNATURE_BYTES} bytes ({NUM_PERM} uint32), not {len(raw)}",
            )
        terms = story["title_terms"]
        if not isinstance(terms, list):
            raise _fail("story.title_terms", f"must be a list, not {type(terms).__name__}")
        links = story["links"]
        doc = StoryDoc(
            source=story["source"],
            language=story["language"],
            day=story["day"],
            shingles=story["shingles"],
            signature=np.frombuffer(raw, dtype="<u4").astype(np.uint32),
            anchors=story["anchors"],
            title_terms=frozenset(terms) if all(isinstance(t, str) for t in terms) else terms,
            original_source=story["original_source"],
            outlet=story["outlet"],
            image=story["image"],
        )
        if isinstance(links, list):
            links = [tuple(p) if isinstance(p, list) else p for p in links]
        search = data["search"]
        if not isinstance(search, list):
            raise _fail("search", f"must be a list, not {type(search).__name__}")
        return cls(data["content_hash"], data["simhash"], Features(doc, links), tuple(search))


def _check_search(values: Any) -> None:
    if not isinstance(values, tuple) or len(values) != len(SEARCH_COLUMNS):
        raise _fail("search", f"must be {len(SEARCH_COLUMNS)} texts ({', '.join(SEARCH_COLUMNS)})")
    for name, value in zip(SEARCH_COLUMNS, values, strict=True):
        _text(value, f"search.{name}")


def _keys(data: Mapping[str, Any], expected: frozenset[str], prefix: str) -> None:
    missing = sorted(expected - set(data))
    if missing:
        raise _fail(f"{prefix}{missing[0]}", "is missing")
    unknown = sorted(set(data) - expected, key=str)
    if unknown:
        raise _fail(f"{prefix}{unknown[0]}", "is not a fingerprint field")


def fingerprint(
    record: Mapping[str, Any], page: bytes | None = None, page_url: str | None = None
) -> Fingerprints:
    """The fingerprints of an extracted record and the page it came from (the extraction
    worker's one call): content hash and simhash of its title and body, and its story
    features (archive.stories.features, with the page's explicit links when ``page``
    is given), and its search index columns (archive.search.index_values)."""
    body = record.get("body") or ""
    return Fingerprints(
        content_hash(record.get("title") or "", body),
        simhash_hex(simhash(body)),
        features(record, page, page_url),
        tuple(index_values(record)),
    )
