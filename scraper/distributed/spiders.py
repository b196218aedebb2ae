"""The registry's site spiders, fed from the shared queue instead of their own start.

A worker runs the same spider classes as ``newsarchive crawl`` (one per
source, from scraper.spiders.loader), with a mixin that

- starts nothing by itself: ``crawl --distributed`` seeds the queue with the
  spider's own start requests (scraper.distributed.seed);
- takes a job's parameters (``--since``) when the first request of the job
  reaches it, and forgets the previous job's per-run memory;
- gives each article request the archive's canonical URL as its identity for
  the shared duplicate filter, and remembers the link that led to it, so that
  a link dropped as a duplicate (fetched by another worker) still becomes an
  alias of the article, as it does in a single-process crawl;
- carries a listing's article URLs seen so far in the request for its next
  page: the next page may be parsed by another worker, and the listing ends
  at the first page that shows nothing new.
"""

from __future__ import annotations

from urllib.parse import urldefrag

from scrapy import signals
from scrapy.http import Request, Response

from archive.clock import parse_user_date
from archive.urls import alias_kind, canonicalize
from scraper.distributed.keys import Keys, connect
from scraper.distributed.messages import Outbox, item_message
from scraper.items import AliasItem
from scraper.seen import SeenUrls

__all__ = ["WorkerSpiderMixin", "worker_spider"]


class WorkerSpiderMixin:
    job: str | None = None

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        keys = Keys(crawler.settings.get("NEWSARCHIVE_REDIS_PREFIX"))
        spider.outbox = Outbox(connect(crawler.settings.get("REDIS_URL")), keys)
        crawler.signals.connect(spider.request_dropped, signal=signals.request_dropped)
        return spider

    async def start(self):
        return
        yield  # an async generator that yields nothing

    async def start_requests_of_site(self):
        """The site spider's own first requests, for the seeder to queue (what a killed
        local crawl left to resume, pages and aliases, is that crawl's to finish)."""
        async for output in super().start():
            if isinstance(output, Request):
                yield output

    def begin_job(self, job: str, info: dict) -> None:
        """Work for a new job: its parameters, and a fresh per-run memory."""
        self.job = job
        since = info.get("since")
        self.since = parse_user_date(since).start() if since else None
        self.requested.clear()
        self.requested_at.clear()
        self.followed.clear()
        self.refused.clear()
        self.listing_seen.clear()
        self.logger.info("%s: job %s (since %s)", self.source_id, job, since or "-")

    def article_requests(self, link, hints=None, via="other", skip_known=False, depth=1):
        for output in super().article_requests(link, hints, via, skip_known, depth):
            if isinstance(output, Request):
                # Across workers and runs of a job, scrapy-redis's filter deduplicates.
                output.dont_filter = False
                output.meta["dedup_key"] = canonicalize(output.url)
                output.meta["link"] = (urldefrag(link)[0], via)
            yield output

    def request_dropped(self, request: Request, spider=None) -> None:
        """A duplicate article link: its other URLs become aliases of the article."""
        key = request.meta.get("dedup_key")
        if not key or self.job is None:
            return
        link, via = request.meta.get("link") or (request.url, "other")
        seen = [(link, via), *request.cb_kwargs.get("seen_as", [])]
        for url in dict.fromkeys(url for url, _ in seen if url != key):
            how = next(how for u, how in seen if u == url)
            alias = AliasItem(self.source_id, url, key, alias_kind(url, key, how))
            self.outbox.push(item_message(alias, self.job))

    def listing_request(self, listing: str, page: int) -> Request:
        request = super().listing_request(listing, page)
        request.meta["listing_seen"] = self.listing_seen.get(listing, SeenUrls()).digests()
        return request

    def parse_listing(self, response: Response, listing: str, page: int):
        self.listing_seen[listing] = SeenUrls(digests=response.meta.get("listing_seen", ()))
        yield from super().parse_listing(response, listing, page)


def worker_spider(spidercls: type) -> type:
    """The worker's version of a registry spider class (same name, same callbacks)."""
    return type(f"Worker{spidercls.__name__}", (WorkerSpiderMixin, spidercls), {})
