"""Downloader parts: offline mirrors, and retries that honour Retry-After.

``MirrorDownloadHandler`` serves chosen hosts from a local copy (tests and
`newsarchive demo`): it sits at the very bottom of Scrapy's stack, so
robots.txt, redirects, retries, the dupefilter and the archive all see the
real URLs (https://syrianobserver.com/...) while the bytes come from
127.0.0.1. With no mirrors configured it is Scrapy's own HTTP/1.1 handler.

``BackoffRetryMiddleware`` extends Scrapy's RetryMiddleware (same settings,
same stats) with exponential backoff and a server's Retry-After on 429/503.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.utils.response import response_status_message

MIRROR_HOST_HEADER = "X-Mirror-Host"


def mirror_url(url: str, mirrors: dict[str, str]) -> str | None:
    """The local URL serving ``url``, or None when its host is not mirrored."""
    parts = urlsplit(url)
    base = mirrors.get((parts.hostname or "").lower())
    if not base:
        return None
    path = parts.path or "/"
    return base.rstrip("/") + path + (f"?{parts.query}" if parts.query else "")


class MirrorDownloadHandler(HTTP11DownloadHandler):
    def __init__(self, crawler):
        super().__init__(crawler)
        # Tests and the demo never reach the internet, even for a host with no copy.
        self.mirrors_only = crawler.settings.getbool("NEWSARCHIVE_MIRRORS_ONLY")
        self.mirrors = {
            host.lower(): base
            for host, base in crawler.settings.getdict("NEWSARCHIVE_MIRRORS").items()
        }

    async def download_request(self, request: Request) -> Response:
        local = mirror_url(request.url, self.mirrors) if self.mirrors else None
        if local is None and self.mirrors_only:
            raise IgnoreRequest(f"offline run: no local copy serves {request.url}")
        if local is None:
            return await super().download_request(request)
        host = (urlsplit(request.url).hostname or "").lower()
        headers = request.headers.copy()
        headers[MIRROR_HOST_HEADER] = host.removeprefix("www.")
        response = await super().download_request(request.replace(url=local, headers=headers))
        return response.replace(url=request.url, request=request)


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
    now = now or datetime.now(timezone.utc)
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
        retry = super().process_exception(request, exception)
        if isinstance(retry, Request):
            await asyncio.sleep(self.delay_for(request, None))
        return retry
