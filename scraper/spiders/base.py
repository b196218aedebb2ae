"""What the feed and site spiders share: the source, known URLs, article requests, errors.

Spiders are generic and driven by the registry: a spider is told a source id
(`-a source=ID`, or by the registry spider loader which makes one spider per
source) and reads feeds, sitemaps, listings and URL patterns from its entry.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import scrapy
from scrapy.http import Request, Response
from twisted.python.failure import Failure

from archive.store import Archive
from archive.urls import canonicalize
from scraper.extract.dates import parse_date
from scraper.items import FailureItem, PageItem
from scraper.sources import Source, load_registry


def now_iso() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def describe_failure(failure: Failure) -> tuple[str, int | None]:
    """A one-line reason for a failed request, and the HTTP status if there was one."""
    response = getattr(failure.value, "response", None)
    if response is not None:
        return f"HTTP {response.status}", response.status
    return f"{failure.type.__name__}: {failure.getErrorMessage()}", None


class SourceSpider(scrapy.Spider):
    """Base for spiders that work on one registry source."""

    source_id: str = ""
    always_new_only = False
    custom_settings: dict[str, Any] = {}

    def __init__(
        self,
        source: str | None = None,
        since: str | None = None,
        new_only: str | bool = False,
        sources_file: str | None = None,
        *args,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.source_id = source or self.source_id
        self.since = parse_date(since) if since else None
        self.new_only = self.always_new_only or str(new_only).lower() in ("1", "true", "yes")
        self.sources_file = sources_file
        self.source: Source | None = None
        self.known: set[str] = set()
        self.requested: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        files = list(crawler.settings.getlist("NEWSARCHIVE_SOURCES"))
        if spider.sources_file:
            files.append(spider.sources_file)
        registry = load_registry(files)
        if spider.source_id not in registry:
            raise ValueError(
                f"unknown source {spider.source_id!r}; known: {', '.join(sorted(registry))}"
            )
        spider.source = registry[spider.source_id]
        with Archive(crawler.settings.get("NEWSARCHIVE_DB")) as archive:
            spider.known = archive.known_urls(spider.source_id)
        return spider

    # -- articles -------------------------------------------------------------------------

    def article_request(
        self, url: str, hints: dict | None = None, via: str | None = None
    ) -> Request | None:
        """A request for an article URL, or None when it should not be fetched.

        Tracking parameters and AMP suffixes are dropped before fetching (the raw
        URL is kept as an alias); URLs already archived are skipped in new-only
        mode, and each canonical URL is fetched once per run.
        """
        canonical = canonicalize(url)
        if not self.source.is_article_url(canonical):
            return None
        if canonical in self.requested or (self.new_only and canonical in self.known):
            self.crawler.stats.inc_value("newsarchive/skipped_known")
            return None
        self.requested.add(canonical)
        aliases = [(url, via or "other")] if url != canonical else []
        return Request(
            canonical,
            callback=self.parse_article,
            errback=self.on_error,
            cb_kwargs={"hints": hints or {}, "aliases": aliases},
            meta={"stage": "fetch"},
        )

    def parse_article(self, response: Response, hints: dict, aliases: list) -> Any:
        if not hasattr(response, "text"):
            yield FailureItem(self.source_id, response.url, "fetch",
                              f"not an HTML page ({response.headers.get('Content-Type')!r})",
                              response.status)
            return
        redirected = response.meta.get("redirect_urls", [])
        aliases = list(aliases) + [(u, "redirect") for u in redirected if u != response.url]
        yield PageItem(
            source=self.source_id,
            url=response.url,
            requested_url=response.request.url if response.request else response.url,
            html=response.text,
            status=response.status,
            content_type=response.headers.get("Content-Type", b"").decode("latin-1") or None,
            encoding=getattr(response, "encoding", None),
            body=response.body,
            fetched_at=now_iso(),
            hints=hints,
            aliases=aliases,
        )

    def on_error(self, failure: Failure):
        request = failure.request
        reason, status = describe_failure(failure)
        self.logger.warning("%s: %s failed: %s", self.source_id, request.url, reason)
        yield FailureItem(
            self.source_id, request.url, request.meta.get("stage", "fetch"), reason, status
        )

    def older_than_since(self, when: datetime | None) -> bool:
        return bool(self.since and when and when < self.since)
