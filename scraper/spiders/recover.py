"""The recovery spider: a source's captures from a web archive, listed by its CDX
server and fetched raw from its replay (`newsarchive recover`, scraper.recover).

It reads the CDX listing page after page (the resume key of each page goes to
the pipeline first, so a killed recovery asks for that page again, not for the
first), keeps the 200 HTML captures whose original URL the source's scope and
article pattern accept, and fetches each one it has not handled before at
``<replay><timestamp>id_/<original URL>``. Its scope is the archive's hosts:
a recovery never sends a request to the source's own site.

A listing whose first answer has no resume key (pywb) may have been cut at the
server's cap: it is checked, and read in halves of its time range where it was
(scraper.cdx, :meth:`RecoverSpider.check_listing`).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Request, Response
from twisted.python.failure import Failure

from archive.store import Archive
from archive.urls import bare_host, url_host
from scraper.cdx import (
    CDX_PAGE_SIZE,
    CdxCapture,
    CdxPage,
    cdx_query,
    page_query,
    parse_cdx,
    reverse_query,
    split_query,
)
from scraper.extract.classify import could_be_article_url
from scraper.failures import describe_failure
from scraper.items import CdxPageItem, FailureItem, RecoveredPageItem
from scraper.middlewares import OutOfScope
from scraper.scope import SCHEMES, CrawlScope
from scraper.seen import SeenUrls
from scraper.sources import Source, load_registry, source_by_id
from scraper.spiders.base import fetched_page, not_html_failure

# The next CDX page waits for the captures of the one before: with one request at a
# time, a page's resume key is saved only once the captures listed before it are fetched.
CDX_PRIORITY = -1


class ArchiveScope:
    """What a recovery may fetch: the web archive's CDX and replay hosts, nothing else.

    Their addresses are not checked (a private or loopback archive is fine): the
    person running the recovery named them."""

    def __init__(self, *urls: str) -> None:
        self.hosts = {url_host(u) for u in urls}

    def problem(self, url: str) -> str | None:
        parts = urlsplit(url)
        if parts.scheme.lower() not in SCHEMES:
            return f"{parts.scheme or 'no'} scheme: only http and https are fetched"
        host = url_host(url)
        if host not in self.hosts:
            return f"host {host} is not the web archive's ({', '.join(sorted(self.hosts))})"
        return None

    async def address_problem(self, url: str) -> str | None:
        return None


class RecoverSpider(scrapy.Spider):
    """One source's captures (or one article's, with ``url``) from one web archive."""

    name = "recover"

    def __init__(
        self,
        source: str,
        cdx: str,
        replay: str,
        since: str | None = None,
        until: str | None = None,
        url: str | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.source_id = source
        self.cdx, self.replay = cdx, replay
        self.since, self.until, self.url = since, until, url
        self.scope = ArchiveScope(cdx, replay)
        self.source: Source | None = None
        self.source_scope: CrawlScope | None = None
        self.done: set[str] = set()  # replay addresses handled by earlier recoveries
        self.resume_keys: dict[str, str | None] = {}
        self.requested = SeenUrls()  # replay addresses requested this run
        self.refused: set[str] = set()  # reasons already recorded in this run
        # The most captures the CDX server puts in an answer without a resume key: the
        # limit asked for, until an answer shows the server cuts them shorter.
        self.cap = CDX_PAGE_SIZE
        self.cap_known = False

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any):
        spider = super().from_crawler(crawler, *args, **kwargs)
        registry = load_registry(crawler.settings.getlist("NEWSARCHIVE_SOURCES"))
        spider.source = source_by_id(registry, spider.source_id)
        spider.source_scope = CrawlScope(spider.source)
        with Archive(crawler.settings.get("NEWSARCHIVE_DB")) as archive:
            archive.close_dead_runs()
            spider.done = archive.recovered(spider.source_id)
            spider.resume_keys = {q: archive.cdx_resume_key(q) for q in spider.queries()}
        return spider

    def queries(self) -> list[str]:
        """The CDX listings to read: the one article's URL, or each of the source's hosts
        with its subdomains (the scope then keeps the source's own)."""
        if self.url:
            targets = [(self.url, "exact")]
        else:
            bare = sorted({bare_host(h) for h in self.source.hosts})
            targets = [(host, "domain") for host in bare]
        return [
            cdx_query(self.cdx, target, match_type=match, since=self.since, until=self.until)
            for target, match in targets
        ]

    async def start(self):
        for query in self.queries():
            key = self.resume_keys.get(query)
            if key:
                self.logger.info("%s: resuming the CDX listing at %s", self.source_id, key)
            yield self.cdx_request(query, key)

    def cdx_request(self, query: str, resume_key: str | None) -> Request:
        return Request(
            page_query(query, resume_key),
            callback=self.parse_listing,
            errback=self.on_error,
            cb_kwargs={"query": query, "resume_key": resume_key},
            meta={"stage": "cdx"},
            priority=CDX_PRIORITY,
        )

    def parse_listing(self, response: Response, query: str, resume_key: str | None):
        if query in self.resume_keys:  # a listing's own progress; not that of its halves
            yield CdxPageItem(self.source_id, query, resume_key)
        page = yield from self.read_page(response)
        if page is None:
            return
        self.crawler.stats.inc_value("newsarchive/captures_listed", len(page.captures))
        for capture in page.captures:
            yield from self.capture_requests(capture)
        if page.resume_key:
            yield self.cdx_request(query, page.resume_key)
        elif resume_key is None and page.captures:
            yield from self.check_listing(query, page)

    def read_page(self, response: Response):
        """The CDX answer of ``response``; None (and its failure) when it is unreadable."""
        try:
            return parse_cdx(response.body)
        except ValueError as exc:  # UnicodeDecodeError and JSONDecodeError included
            reason = f"unreadable CDX answer: {exc}"
            yield FailureItem(self.source_id, response.url, "cdx", reason, response.status)
            return None

    def check_listing(self, query: str, page: CdxPage):
        """A listing answered in one page, without a resume key: whole, or cut at the
        server's cap? As long as the cap: cut. Shorter, before the cap is known: its
        reverse (the last captures first) says; a server that lists other captures
        from its end cut it, and its cap is this answer's length."""
        if len(page.captures) >= self.cap:
            yield from self.split(query, len(page.captures))
        elif not self.cap_known:
            yield Request(
                reverse_query(query),
                callback=self.parse_reverse,
                errback=self.reverse_failed,
                cb_kwargs={"query": query, "forward": page},
                meta={"stage": "cdx"},
                priority=CDX_PRIORITY,
            )

    def parse_reverse(self, response: Response, query: str, forward: CdxPage):
        page = yield from self.read_page(response)
        if page is None:
            return
        if {c.replay_url("") for c in page.captures} == {
            c.replay_url("") for c in forward.captures
        }:
            return  # the listing was whole
        self.cap, self.cap_known = len(forward.captures), True
        self.logger.info(
            "%s: the CDX server cuts its answers at %d captures without a resume key: "
            "listing by halves of the time range",
            self.source_id,
            self.cap,
        )
        yield from self.split(query, len(forward.captures))

    def reverse_failed(self, failure: Failure):
        """A server that refuses the reverse listing: the check is not possible, and its
        failure is not the recovery's (the listing's captures are being fetched)."""
        reason, _status = describe_failure(failure)
        self.logger.warning(
            "%s: could not check that the CDX listing was whole (%s): %s",
            self.source_id,
            reason,
            failure.request.url,
        )

    def split(self, query: str, listed: int):
        """The listing ``query`` again, as two halves of its time range."""
        halves = split_query(query)
        if halves is None:
            self.logger.warning(
                "%s: the CDX server listed %d captures, its cap, within one second, "
                "without a resume key: later ones may be missing",
                self.source_id,
                listed,
            )
            return
        self.crawler.stats.inc_value("newsarchive/cdx_splits")
        for half in halves:
            yield self.cdx_request(half, None)

    def capture_requests(self, capture: CdxCapture):
        """The replay request for a capture, unless it is not to be fetched."""
        url = capture.original
        problem = self.source_scope.problem(url)
        if problem:
            yield from self.refuse(url, problem)
            return
        # Without a pattern, a URL must at least look like an article's (not a tag page).
        looks_like_one = self.source.article_pattern or could_be_article_url(url)
        if not capture.usable or not self.source.is_article_url(url) or not looks_like_one:
            self.crawler.stats.inc_value("newsarchive/not_article_url")
            return
        replay = capture.replay_url(self.replay)
        if replay in self.done or replay in self.requested:
            self.crawler.stats.inc_value("newsarchive/skipped_known")
            return
        self.requested.add(replay)
        self.crawler.stats.inc_value("newsarchive/article_links")
        yield Request(
            replay,
            callback=self.parse_capture,
            errback=self.on_error,
            cb_kwargs={"capture": capture},
            meta={"stage": "fetch"},
        )

    def parse_capture(self, response: Response, capture: CdxCapture):
        if not_html := not_html_failure(self.source_id, response):
            yield not_html
            return
        yield RecoveredPageItem(
            source=self.source_id,
            original_url=capture.original,
            captured_at=capture.captured_at,
            archive=self.cdx,
            replay_url=capture.replay_url(self.replay),
            **fetched_page(response),
        )

    def refuse(self, url: str, problem: str):
        """Record a capture outside the source's scope, once per reason and run."""
        self.crawler.stats.inc_value("newsarchive/out_of_scope")
        if problem not in self.refused:
            self.refused.add(problem)
            yield FailureItem(self.source_id, url, "scope", f"refused: {problem}")

    def on_error(self, failure: Failure):
        request = failure.request
        if isinstance(failure.value, OutOfScope):
            yield from self.refuse(request.url, str(failure.value).split(": ", 1)[-1])
            return
        reason, status = describe_failure(failure)  # logged by the pipeline, once
        yield FailureItem(
            self.source_id, request.url, request.meta.get("stage", "fetch"), reason, status
        )
