"""The one way into the archive: an extracted page (or a cleaned text dump) becomes a record.

The crawl pipeline, ``newsarchive reextract`` and ``newsarchive import`` all
hand their page to :func:`ingest_page`, which

1. separates what extraction said about the page (is it an article, its
   canonical link) from the record;
2. decides the two URLs once: the address the page was served at, without
   fragment or tracking parameters (the record's ``url``), and the canonical
   URL (the dedup key, which honours the page's canonical link), see archive.urls;
3. turns every other URL that led to the page (feed link, redirects, the
   address requested) into an alias of the right kind;
4. upserts the record with the fetch's capture and the fingerprints its
   extraction worker made (archive.fingerprints), and counts the outcome in
   the run; a page that is not an article is counted and listed instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from archive.articles import UpsertResult
from archive.captures import Capture
from archive.fingerprints import Fingerprints
from archive.record import split_extraction
from archive.store import Archive
from archive.urls import alias_kind, canonicalize, published_url

__all__ = ["Ingested", "ingest_page"]


@dataclass(frozen=True)
class Ingested:
    """What became of one page: an upsert outcome, or why it is not an article."""

    outcome: str  # an Outcome value, or "not_article"
    result: UpsertResult | None = None
    reason: str | None = None


def ingest_page(
    archive: Archive,
    extraction: Mapping[str, Any],
    *,
    source: str,
    run_id: int | None = None,
    capture: Capture | None = None,
    seen_as: Iterable[tuple[str, str]] = (),
    canonical_url: str | None = None,
    now: str | None = None,
    fingerprints: Fingerprints | None = None,
) -> Ingested:
    """Store one extracted page (see the module docstring) and return what happened.

    ``extraction["url"]`` is the address the page was read from (after
    redirects); ``seen_as`` are ``(url, how)`` pairs of the other URLs that
    led to it (how: feed, redirect, sitemap, listing, ...). ``canonical_url``
    forces the key (a re-extraction updates the article it came from).
    ``fingerprints`` are the record's content hash, simhash and story features
    as an extraction worker made them (archive.fingerprints): they are used as
    they are, never computed again; without them (an import, a re-extraction)
    the archive computes its own.
    """
    record, page = split_extraction(extraction)
    if not page.get("is_article", True):
        reason = page.get("not_article_reason") or "not an article"
        if run_id is not None:
            archive.count(run_id, "not_article")
            archive.record_not_article(run_id, source, record.get("url"), reason)
        return Ingested("not_article", reason=reason)
    fetched = record["url"]
    link = page.get("canonical_link")
    key = canonical_url or canonicalize(fetched, link)
    # The record keeps the address it was served at ("Read the original"); the page's
    # canonical link only names the article (a re-hosted or moved page's link may be dead).
    record = {**record, "source": source, "url": published_url(fetched), "canonical_url": key}
    aliases: dict[str, str] = {}
    for url, how in [*seen_as, (fetched, "redirect")]:
        if url and url not in (key, record["url"]):
            aliases.setdefault(url, alias_kind(url, key, how))
    if fingerprints is not None:
        record = fingerprints.apply(record, source)
    result = archive.upsert(
        record, aliases=list(aliases.items()), capture=capture, now=now, fingerprints=fingerprints
    )
    if run_id is not None:
        archive.count(run_id, result.outcome.value)
    return Ingested(result.outcome.value, result)
