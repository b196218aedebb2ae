"""Serving chosen hosts from offline copies, at the very bottom of Scrapy's download stack.

``MirrorDownloadHandler`` is Scrapy's own HTTP/1.1 download handler with one
addition: a request for a host listed in the NEWSARCHIVE_MIRRORS setting
(``{"syrianobserver.com": "http://127.0.0.1:8123"}``) is sent to that local
server (scraper.offline.server) with the real host in an ``X-Mirror-Host``
header, and the response is mapped back to the real URL. Everything above it
(robots.txt, redirects, retries, the dupefilter, the crawl scope and the
archive) sees the real URLs (https://syrianobserver.com/...). With no mirrors
configured it is Scrapy's handler, unchanged.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response

from archive.urls import host_key, normalise_host, url_host
from scraper.offline.server import MIRROR_HOST_HEADER

__all__ = ["MirrorDownloadHandler", "mirror_url"]


def mirror_url(url: str, mirrors: dict[str, str]) -> str | None:
    """The local URL serving ``url``, or None when its host is not mirrored."""
    parts = urlsplit(url)
    base = mirrors.get(url_host(url))
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
            normalise_host(host): base
            for host, base in crawler.settings.getdict("NEWSARCHIVE_MIRRORS").items()
        }

    async def download_request(self, request: Request) -> Response:
        local = mirror_url(request.url, self.mirrors) if self.mirrors else None
        if local is None and self.mirrors_only:
            raise IgnoreRequest(f"offline run: no local copy serves {request.url}")
        if local is None:
            return await super().download_request(request)
        headers = request.headers.copy()
        headers[MIRROR_HOST_HEADER] = host_key(request.url)
        response = await super().download_request(request.replace(url=local, headers=headers))
        return response.replace(url=request.url, request=request)
