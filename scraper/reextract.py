"""`newsarchive reextract`: run the current extractor again over the stored pages.

The archive keeps every fetched page (``captures``), so when the cleaner
improves, old records can be rebuilt without fetching anything. Each
article's latest capture (or one chosen capture, or all of them, oldest first)
goes through :func:`scraper.extract.extract` with its source's rules, and the
record is written back through the archive's one way in
(:func:`archive.ingest.ingest_page`), to the article it came from: a
record whose title or body changed becomes a *revision* (the old text is kept
in ``revisions``), an identical one is *unchanged*. Either way the record's
``extractor_version`` becomes the current one, since this version made (or
confirmed) it, and ``last_seen`` keeps meaning "last fetched": re-extraction
is not a visit to the site.

What the feed said when the page was first fetched is not stored with the
page, so the record's own published date, authors, tags, title and summary
stand in for those hints: they fill what the page lacks, as the feed did.

A page that the current extractor no longer takes for an article (a listing
that slipped through, a notice) is not deleted: it is counted and listed in
the report, for a person to decide.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from archive.captures import Capture
from archive.hashes import content_hash
from archive.ingest import ingest_page
from archive.record import split_extraction
from archive.store import Archive
from scraper.charset import decode_page
from scraper.extract import EXTRACTOR_VERSION, extract
from scraper.sources import Source, load_registry

__all__ = ["reextract"]


def _fetched_at(raw: Capture) -> datetime | None:
    try:
        value = datetime.fromisoformat(raw.fetched_at) if raw.fetched_at else None
    except ValueError:
        return None
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value


def _hints(stored: dict[str, Any]) -> dict[str, Any]:
    return {
        "published": stored.get("published"),
        "authors": stored.get("authors") or [],
        "tags": stored.get("tags") or [],
        "title": stored.get("title"),
        "summary": stored.get("summary"),
    }


def reextract(
    db: str | Path,
    *,
    source: str | None = None,
    registry: dict[str, Source] | None = None,
    dry_run: bool = False,
    capture_id: int | None = None,
    all_captures: bool = False,
) -> dict[str, Any]:
    """Re-extract every stored page (of ``source``, or all) and write the changed records.

    By default each article's latest capture is used; ``capture_id`` re-extracts
    that one capture only, ``all_captures`` every capture of each article, oldest
    first (so the article's revisions follow its captures, the latest last).

    Returns a report: ``pages`` seen, ``changed`` (revised records),
    ``unchanged``, ``not_article`` (with their URLs in ``not_article_urls``),
    ``failed`` (with ``errors``), ``by_source`` counts, the ``extractor_version``
    used and the ``run_id`` of the crawl_runs row (kind "reextract"). With
    ``dry_run`` nothing is written and ``changed`` counts the records that
    would change.
    """
    registry = registry if registry is not None else load_registry()
    counts: Counter[str] = Counter()
    by_source: dict[str, Counter[str]] = {}
    not_articles: list[str] = []
    errors: list[str] = []
    with Archive(db) as archive:
        run_id = None if dry_run else archive.start_run("reextract", source)
        if capture_id is not None:
            chosen = archive.capture_of_article(capture_id)
            if chosen is None:
                raise ValueError(f"no capture {capture_id} of an article in {db}")
            pages: Any = [chosen]
        else:
            pages = archive.iter_captures(source, latest_only=not all_captures)
        for article_id, raw in pages:
            stored = archive.get(article_id)
            if stored is None:
                continue
            url = raw.url
            counts["pages"] += 1
            tally = by_source.setdefault(stored["source"] or "", Counter())
            try:
                record = extract(
                    decode_page(raw.body, raw.encoding)[0],
                    url,
                    registry.get(stored["source"]),
                    hints=_hints(stored),
                    now=_fetched_at(raw),
                )
            except Exception as exc:  # one bad page must not stop the run
                outcome = "failed"
                errors.append(f"{url}: {type(exc).__name__}: {exc}")
                if run_id is not None:
                    archive.record_failure(run_id, stored["source"], url, "extract", errors[-1])
                    archive.count(run_id, "failed")
            else:
                outcome = _store(archive, stored, record, run_id, dry_run)
                if outcome == "not_article":
                    not_articles.append(f"{url}: {record['not_article_reason']}")
            counts[outcome] += 1
            tally[outcome] += 1
        if run_id is not None:
            archive.finish_run(run_id)
    return {
        "pages": counts["pages"],
        "changed": counts["changed"],
        "unchanged": counts["unchanged"],
        "not_article": counts["not_article"],
        "failed": counts["failed"],
        "not_article_urls": not_articles,
        "errors": errors,
        "by_source": {k: dict(v) for k, v in sorted(by_source.items())},
        "extractor_version": EXTRACTOR_VERSION,
        "dry_run": dry_run,
        "run_id": run_id,
    }


def _store(
    archive: Archive, stored: dict[str, Any], extraction: dict, run_id: int | None, dry_run: bool
) -> str:
    if dry_run:
        if not extraction["is_article"]:
            return "not_article"
        record, _page = split_extraction(extraction)
        changed = content_hash(record["title"] or "", record["body"]) != stored["content_hash"]
        return "changed" if changed else "unchanged"
    ingested = ingest_page(
        archive,
        extraction,
        source=stored["source"],
        run_id=run_id,
        canonical_url=stored["canonical_url"],
    )
    if ingested.result is None:
        return "not_article"
    # upsert leaves an unchanged record's version as it was and moves a revised
    # one's last_seen; a re-extraction should do neither.
    archive.mark_reextracted(
        ingested.result.article_id,
        last_seen=stored["last_seen"],
        extractor_version=EXTRACTOR_VERSION,
    )
    return "changed" if ingested.outcome == "revised" else ingested.outcome
