"""Downloader middlewares: the crawl scope, failing fast on dead hosts, retries with backoff.

- ``ScopeMiddleware`` refuses every request outside its source's crawl scope
  (scraper.scope): other hosts, other schemes, loopback and private addresses.
  Redirects and robots.txt pass through it too, so nothing gets around it.
- ``FollowLimitMiddleware`` drops the requests for links followed from article
  pages that were queued before the run's follow budget was spent (scraper.follow).
- ``FailFastMiddleware`` stops sending requests to a host after a few
  failures that cannot get better by retrying (a name that does not resolve, a
  TLS handshake with a server that speaks plain http) while the host has never
  answered: the run then fails in seconds, saying why, instead of retrying
  every page for minutes. It also gives up on a host that answered and then
  stopped (its connections refused or timing out for minutes): the rest of the
  run's requests to it are refused with that reason (the next run asks again
  for the pages its feeds, sitemaps and listings still give).
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
from time import monotonic

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.utils.response import response_status_message

from archive import clock
from archive.urls import url_host
from scraper.challenges import blocked_reason, challenge_vendor
from scraper.failures import (
    describe_exception,
    host_down_reason,
    is_hopeless,
    is_unanswered,
)
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
    """Refuse the remaining requests to a dead host at once, with the reason:

    - a host that never answered, after NEWSARCHIVE_FAIL_FAST_AFTER hopeless failures;
    - a host that answered and then stopped: NEWSARCHIVE_HOST_DOWN_AFTER attempts in a
      row with no answer at all (scraper.failures.is_unanswered), the last of them at
      least NEWSARCHIVE_HOST_DOWN_SECONDS after its last answer. Each request is
      otherwise retried with backoff before it fails: a site that went down with 4,700
      pages queued was still being retried half an hour later. The time keeps a
      server's restart (a few seconds of refused connections) from ending the run.
    """

    def __init__(self, crawler) -> None:
        settings = crawler.settings
        self.limit = settings.getint("NEWSARCHIVE_FAIL_FAST_AFTER", 3)
        self.down_after = settings.getint("NEWSARCHIVE_HOST_DOWN_AFTER", 20)
        self.down_seconds = settings.getfloat("NEWSARCHIVE_HOST_DOWN_SECONDS", 120.0)
        self.crawler = crawler
        self.last_answer: dict[str, float] = {}  # host -> monotonic time of its last answer
        self.hopeless: dict[str, list[str]] = defaultdict(list)
        # host -> attempts with no answer since its last answer, and the last one's reason
        self.unanswered: dict[str, tuple[int, str]] = {}

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request: Request, spider=None):
        reason = self._dead(url_host(request.url))
        if reason:
            self.crawler.stats.inc_value("newsarchive/fail_fast_skipped")
            raise IgnoreRequest(reason)
        return None

    def _dead(self, host: str) -> str | None:
        """Why ``host`` gets no more requests this run, or None."""
        answered = self.last_answer.get(host)
        if answered is None:
            failures = self.hopeless.get(host, [])
            if len(failures) >= self.limit:
                return (
                    f"skipped: {host} failed {len(failures)} times and never answered "
                    f"(last: {failures[-1]})"
                )
            return None
        attempts, last = self.unanswered.get(host, (0, ""))
        silent = monotonic() - answered
        if attempts >= self.down_after and silent >= self.down_seconds:
            return host_down_reason(host, attempts, silent, last)
        return None

    def process_response(self, request: Request, response: Response, spider=None):
        host = url_host(request.url)
        self.last_answer[host] = monotonic()
        self.unanswered.pop(host, None)
        return response

    def process_exception(self, request: Request, exception: Exception, spider=None):
        host = url_host(request.url)
        if is_hopeless(exception):
            self.hopeless[host].append(describe_exception(exception))
        if host in self.last_answer and is_unanswered(exception):
            attempts, _ = self.unanswered.get(host, (0, ""))
            self.unanswered[host] = (attempts + 1, describe_exception(exception))
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
