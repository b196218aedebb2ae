"""Downloader middlewares: the crawl scope, failing fast on dead hosts, retries with backoff.

- ``ScopeMiddleware`` refuses every request outside its source's crawl scope
  (scraper.scope): other hosts, other schemes, loopback and private addresses.
  Redirects and robots.txt pass through it too, so nothing gets around it.
- ``FollowLimitMiddleware`` drops the requests for links followed from article
  pages that were queued before the run's follow budget was spent (scraper.follow).
- ``FailFastMiddleware`` stops sending requests to a host after a few
  failures that cannot get better by retrying (a name that does not resolve, a
  TLS handshake with a server that speaks plain http, a refused connection)
  while the host has never answered: the run then fails in seconds, saying
  why, instead of retrying every page for minutes.
- ``ChallengeMiddleware`` turns an anti-bot service's challenge or block page
  (scraper.challenges) into a ``Blocked`` failure before retries see it: it is
  never archived, nor retried.
- ``BackoffRetryMiddleware`` extends Scrapy's RetryMiddleware (same settings,
  same stats) with exponential backoff, a server's Retry-After on 429/503, and
  no retries of those hopeless failures.

Refused requests raise IgnoreRequest with a one-line reason; the spiders'
errback records it as a failure of the run.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from datetime import datetime
from email.utils import parsedate_to_datetime

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.utils.response import response_status_message

from archive import clock
from archive.urls import url_host
from scraper.challenges import blocked_reason, challenge_vendor
from scraper.failures import describe_exception, is_hopeless
from scraper.follow import LinkFollowing
from scraper.scope import CrawlScope

__all__ = [
    "BackoffRetryMiddleware",
    "Blocked",
    "ChallengeMiddleware",
    "FailFastMiddleware",
    "FollowLimitMiddleware",
    "NotFollowed",
    "OutOfScope",
    "ScopeMiddleware",
    "retry_after_seconds",
]


class OutOfScope(IgnoreRequest):
    """A request its source's crawl may not make."""


class Blocked(IgnoreRequest):
    """An anti-bot service answered instead of the site ("blocked: cloudflare")."""

    def __init__(self, vendor: str, status: int) -> None:
        super().__init__(blocked_reason(vendor))
        self.vendor = vendor
        self.status = status


class ChallengeMiddleware:
    """Refuse a response that is a challenge or block page (scraper.challenges)."""

    def process_response(self, request: Request, response: Response, spider=None):
        headers = {
            name.decode("latin-1"): [value.decode("latin-1") for value in values]
            for name, values in response.headers.items()
        }
        vendor = challenge_vendor(response.status, headers, response.body)
        if vendor:
            raise Blocked(vendor, response.status)
        return response


class NotFollowed(IgnoreRequest):
    """A request for a followed article link, queued before the run's follow budget was
    spent: dropped, and the article may still be requested through a feed, sitemap or
    listing."""


class ScopeMiddleware:
    """Refuse requests outside the spider's crawl scope (``spider.scope``, see scraper.scope)."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_request(self, request: Request, spider=None):
        scope: CrawlScope | None = getattr(self.crawler.spider, "scope", None)
        if scope is None:
            return None
        problem = scope.problem(request.url) or await scope.address_problem(request.url)
        if problem:
            self.crawler.stats.inc_value("newsarchive/out_of_scope")
            raise OutOfScope(f"refused, outside the crawl scope: {problem}")
        return None


class FollowLimitMiddleware:
    """Refuse a request for a followed article link once the run's follow budget is spent."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request: Request, spider=None):
        following: LinkFollowing | None = getattr(self.crawler.spider, "following", None)
        if (
            following is not None
            and following.spent
            and self.crawler.spider.link_depth(request) >= 2
        ):
            self.crawler.stats.inc_value("newsarchive/links_not_followed")
            raise NotFollowed(f"refused, not followed: {following.spent_reason()}")
        return None


class FailFastMiddleware:
    """After NEWSARCHIVE_FAIL_FAST_AFTER hopeless failures of a host that never answered,
    refuse its remaining requests at once with the same reason."""

    def __init__(self, crawler) -> None:
        self.limit = crawler.settings.getint("NEWSARCHIVE_FAIL_FAST_AFTER", 3)
        self.crawler = crawler
        self.answered: set[str] = set()
        self.hopeless: dict[str, list[str]] = defaultdict(list)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request: Request, spider=None):
        host = url_host(request.url)
        failures = self.hopeless.get(host, [])
        if host not in self.answered and len(failures) >= self.limit:
            self.crawler.stats.inc_value("newsarchive/fail_fast_skipped")
            raise IgnoreRequest(
                f"skipped: {host} failed {len(failures)} times and never answered "
                f"(last: {failures[-1]})"
            )
        return None

    def process_response(self, request: Request, response: Response, spider=None):
        self.answered.add(url_host(request.url))
        return response

    def process_exception(self, request: Request, exception: Exception, spider=None):
        if is_hopeless(exception):
            self.hopeless[url_host(request.url)].append(describe_exception(exception))
        return None


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Seconds a Retry-After header asks for (delta-seconds or an HTTP date)."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    now = now or clock.now()
    return max(0.0, (when - now).total_seconds())


class BackoffRetryMiddleware(RetryMiddleware):
    """Retry with exponential backoff; wait what Retry-After asks (capped) on 429/503."""

    def __init__(self, settings):
        super().__init__(settings)
        self.base_delay = settings.getfloat("NEWSARCHIVE_RETRY_BACKOFF", 1.0)
        self.max_delay = settings.getfloat("NEWSARCHIVE_RETRY_MAX_DELAY", 120.0)

    def delay_for(self, request: Request, response: Response | None) -> float:
        retries = request.meta.get("retry_times", 0)
        delay = self.base_delay * (2**retries)
        if response is not None and response.status in (429, 503):
            asked = retry_after_seconds(response.headers.get("Retry-After"))
            if asked is not None:
                delay = max(delay, asked)
        return min(delay, self.max_delay)

    async def process_response(self, request: Request, response: Response, spider=None):
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        retry.meta["retry_delay"] = delay = self.delay_for(request, response)
        await asyncio.sleep(delay)
        return retry

    async def process_exception(self, request: Request, exception: Exception, spider=None):
        if is_hopeless(exception):
            return None  # retrying cannot help: let the errback record it now
        retry = super().process_exception(request, exception)
        if isinstance(retry, Request):
            await asyncio.sleep(self.delay_for(request, None))
        return retry
