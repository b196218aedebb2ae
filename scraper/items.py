"""What spiders hand to the pipeline.

Spiders only fetch; the pipeline is the archive's single writer. So every
outcome of a request, a page, a feed's polling state or a failure, travels
as an item.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class PageItem:
    """A fetched article page, not yet extracted."""

    source: str
    url: str  # the real URL that answered (after redirects)
    requested_url: str  # the URL the spider asked for
    status: int
    content_type: str | None
    encoding: str | None  # as declared (header, meta); the bytes decide (scraper.charset)
    body: bytes
    fetched_at: str
    headers: list[tuple[str, str]] = field(default_factory=list)  # response headers
    request_headers: list[tuple[str, str]] = field(default_factory=list)
    hints: dict = field(default_factory=dict)  # what the feed or sitemap said
    # Other URLs that led here, with how they were found: (url, "feed" | "redirect" | ...)
    seen_as: list[tuple[str, str]] = field(default_factory=list)
    held: int | None = None  # its row in the archive's held_pages, once kept there
    link_depth: int = 1  # links from a feed, sitemap or listing to here (scraper.follow)

    def fetch_fields(self) -> dict[str, Any]:
        """What the fetch was, without the body and the held id (kept as JSON)."""
        fields = asdict(self)
        del fields["body"], fields["held"]
        return fields

    @classmethod
    def from_held(cls, held: int, fields: dict[str, Any], body: bytes) -> PageItem:
        """The page an earlier run fetched and kept (archive held_pages)."""
        pairs = {
            key: [tuple(pair) for pair in fields[key]]
            for key in ("headers", "request_headers", "seen_as")
        }
        return cls(**{**fields, **pairs}, body=body, held=held)


@dataclass
class FeedStateItem:
    """Conditional-GET state and health of one feed after a poll."""

    source: str
    url: str
    status: int
    etag: str | None = None
    last_modified: str | None = None
    entry_count: int = 0
    new_entries: int = 0
    bozo_error: str | None = None
    polled_at: str | None = None


@dataclass
class FailureItem:
    """A request or a page that failed: which source, which URL, what went wrong."""

    source: str
    url: str
    stage: str  # fetch, feed, sitemap, listing, extract, store
    error: str
    status: int | None = None


@dataclass
class AliasItem:
    """Another URL of an article that is archived or being fetched in this run."""

    source: str
    url: str
    canonical: str
    kind: str


@dataclass
class ListingProgressItem:
    """How far a backfill has walked one listing, so an interrupted one can resume."""

    source: str
    listing: str
    since: str | None
    page: int
    completed: bool


@dataclass
class LinkItem:
    """An article link the crawl is about to fetch: kept, so a killed crawl resumes."""

    source: str
    url: str
    via: str
    hints: dict = field(default_factory=dict)
    seen_as: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class PageReadItem:
    """A feed, sitemap or listing page read to the end (its links are LinkItems already)."""

    source: str
    url: str


@dataclass
class RecoveredPageItem:
    """A capture fetched from a web archive's replay, raw (scraper.recover)."""

    source: str
    original_url: str  # the URL the archive captured: the article's
    captured_at: str  # when the archive captured it (ISO, UTC)
    archive: str  # the archive's CDX server
    replay_url: str  # where it was fetched from
    status: int
    content_type: str | None
    encoding: str | None
    body: bytes
    headers: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class CdxPageItem:
    """A recovery now works on this page of a CDX listing (its resume key; None: the
    first): kept, so a killed recovery asks for it again rather than from the start."""

    source: str
    query: str
    resume_key: str | None
