"""The article record: the one shape that extraction produces and the archive and exports use.

A ``Record`` is a TypedDict (standard library ``typing``): it is a plain dict
at run time, so it pickles between processes, goes into JSON and into
sqlite3 without conversion, and a type checker still knows its fields.
``Extraction`` is what :func:`scraper.extract.extract` returns: a record plus
what it learnt about the page (is it an article, its canonical link).

Everything that spells out the record's fields reads them from here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any, TypedDict

from archive.clock import to_iso
from archive.days import publication
from archive.hashes import content_hash, simhash
from archive.urls import canonicalize, web_url

__all__ = [
    "Extraction",
    "KEEP_IF_MISSING",
    "PAGE_KEYS",
    "READER_FIELDS",
    "RECORD_FIELDS",
    "Record",
    "json_list",
    "prepare",
    "split_extraction",
    "word_count",
]


class Record(TypedDict, total=False):
    source: str
    url: str  # the article's address as the site publishes it ("Read the original")
    canonical_url: str  # the dedup key (archive.urls.canonicalize), not an address
    title: str
    summary: str | None  # the standfirst
    body: str  # clean text; paragraphs split by a blank line
    authors: list[str]
    published: str | None  # ISO 8601, UTC: what sorting compares
    # ISO 8601 with the publisher's offset (or as printed, or a day): the publisher's
    # day is its first ten characters (archive.days)
    published_local: str | None
    updated: str | None
    language: str | None
    section: str | None
    tags: list[str]
    editorial_note: str | None
    translated: bool
    original_source: str | None
    original_stance: str | None
    image: str | None
    extractor_version: str | None
    date_notes: str | None
    word_count: int
    content_hash: str
    simhash: str


class Extraction(Record, total=False):
    """A record plus what extraction learnt about the page itself."""

    is_article: bool
    not_article_reason: str | None
    canonical_link: str | None  # the page's <link rel=canonical>, as written
    removed: list[tuple[str, str]]  # extract(explain=True): what the cleaning rules took out
    links: list[str]  # extract(links=True): the page's links that may be articles to follow


RECORD_FIELDS: tuple[str, ...] = tuple(Record.__annotations__)
# The fields a reader sees by default (exports, the browsing UI's CSV): the
# content, not the keys and fingerprints the archive keeps for itself.
READER_FIELDS: tuple[str, ...] = (
    "source",
    "url",
    "title",
    "summary",
    "body",
    "authors",
    "published",
    "published_local",
    "updated",
    "language",
    "section",
    "tags",
    "editorial_note",
    "translated",
    "original_source",
    "image",
    "word_count",
)
PAGE_KEYS: tuple[str, ...] = tuple(k for k in Extraction.__annotations__ if k not in RECORD_FIELDS)

# Metadata an unchanged or revised fetch may fill in but never blank out:
# a feed entry often lacks the byline or image a later page fetch finds,
# and a worse extraction must not erase a date found earlier.
KEEP_IF_MISSING = (
    "authors",
    "published",
    "published_local",
    "updated",
    "language",
    "section",
    "editorial_note",
    "original_source",
    "original_stance",
    "image",
    "date_notes",
)
_TEXT_FIELDS = (
    "title",
    "summary",
    "body",
    "language",
    "section",
    "editorial_note",
    "original_source",
    "original_stance",
    "image",
    "extractor_version",
    "date_notes",
)

# Scripts written without spaces between words count one word per two characters.
_SPACELESS = re.compile(
    r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]"
)


def word_count(text: str) -> int:
    """Words of a body; Chinese, Japanese and Thai characters count two to a word."""
    text = text or ""
    spaceless = len(_SPACELESS.findall(text))
    if not spaceless:
        return len(text.split())
    return len(_SPACELESS.sub(" ", text).split()) + (spaceless + 1) // 2


def json_list(value: Any) -> list[str]:
    """A list of distinct non-empty strings from a list, a JSON list or one string."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        try:
            decoded = json.loads(value)
        except ValueError:
            decoded = [value]
        value = decoded if isinstance(decoded, list) else [value]
    seen: dict[str, None] = {}
    for item in value:
        text = str(item).strip()
        if text:
            seen.setdefault(text, None)
    return list(seen)


def split_extraction(extraction: Mapping[str, Any]) -> tuple[Record, dict[str, Any]]:
    """An extraction as (the record, the page-only keys)."""
    record: Record = {k: v for k, v in extraction.items() if k not in PAGE_KEYS}  # type: ignore[assignment]
    page = {k: extraction[k] for k in PAGE_KEYS if k in extraction}
    return record, page


def prepare(record: Mapping[str, Any]) -> dict[str, Any]:
    """A record validated and normalised for storage; ValueError names what is wrong.

    Fills what can be computed: ``canonical_url`` from ``url``, word count,
    content hash and simhash (as 16 hex digits).
    """
    unknown = set(record) - set(RECORD_FIELDS)
    if unknown:
        raise ValueError(
            f"unknown record fields: {', '.join(sorted(unknown))}; "
            f"valid: {', '.join(RECORD_FIELDS)}"
        )
    rec: dict[str, Any] = {key: record.get(key) for key in RECORD_FIELDS}
    for key in ("url", "source"):
        if not rec[key] or not str(rec[key]).strip():
            raise ValueError(f"record needs a {key}: {dict(record)!r:.200}")
        rec[key] = str(rec[key]).strip()
    rec["canonical_url"] = str(rec["canonical_url"] or canonicalize(rec["url"])).strip()
    for key in ("title", "summary", "body"):
        rec[key] = rec[key] or ""
    for key in _TEXT_FIELDS:
        if rec[key] is not None and not isinstance(rec[key], str):
            raise ValueError(f"record field {key} must be text, not {type(rec[key]).__name__}")
    rec["authors"] = json_list(rec["authors"])
    rec["tags"] = json_list(rec["tags"])
    rec["translated"] = int(bool(rec["translated"]))
    rec["image"] = web_url(rec["image"])  # never javascript: or data:
    rec["published"], rec["published_local"] = publication(rec["published"], rec["published_local"])
    rec["updated"] = to_iso(rec["updated"])
    if rec["word_count"] is None:
        rec["word_count"] = word_count(rec["body"])
    if not rec["content_hash"]:
        rec["content_hash"] = content_hash(rec["title"], rec["body"])
    h = rec["simhash"]
    if h is None or h == "":
        h = simhash(rec["body"])
    elif isinstance(h, str):
        h = int(h, 16)
    rec["simhash"] = f"{h:016x}"
    return rec
