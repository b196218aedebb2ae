"""The worker's item pipeline: extract pages here, push every record to the writer's stream.

Extraction is the crawl's CPU cost, so it runs in the workers, in a process
pool exactly as in a single-process crawl (scraper.pipelines' extract_page
and make_extract_pool, stdlib concurrent.futures), and the writer only
stores. Each record goes onto the Redis stream (scraper.distributed.messages)
before Scrapy is told the item is done, so the request's lease is dropped
only once its records are safe in Redis. When the writer falls behind, the
stream's length is capped (NEWSARCHIVE_STREAM_MAX_BACKLOG): pushes wait,
which slows the crawl rather than filling Redis's memory with pages.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import Executor, Future

from scraper.distributed.keys import Keys, connect
from scraper.distributed.messages import Message, Outbox, item_message, page_message
from scraper.items import FailureItem, PageItem
from scraper.pipelines import extract_page, make_extract_pool

logger = logging.getLogger(__name__)

BACKLOG_POLL_SECONDS = 0.5


def _pool_ready() -> bool:
    """A first task for the pool: it runs once a worker process has imported the extractor."""
    return True


class _SharedPool:
    """One extraction pool per worker process, shared by its spiders (one per source)."""

    def __init__(self) -> None:
        self.users = 0
        self.pool: Executor | None = None
        self.ready: Future | None = None

    def acquire(self, workers: int) -> None:
        if self.users == 0:
            self.pool = make_extract_pool(workers)
            if self.pool is not None:
                self.ready = self.pool.submit(_pool_ready)
        self.users += 1

    def release(self) -> None:
        self.users -= 1
        if self.users == 0 and self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = self.ready = None


_pool = _SharedPool()


class OutboxPipeline:
    def __init__(self, crawler) -> None:
        self.crawler = crawler
        settings = crawler.settings
        self.workers = settings.getint("NEWSARCHIVE_EXTRACT_WORKERS", 0)
        self.max_backlog = settings.getint("NEWSARCHIVE_STREAM_MAX_BACKLOG", 5000)
        keys = Keys(settings.get("NEWSARCHIVE_REDIS_PREFIX"))
        self.outbox = Outbox(connect(settings.get("REDIS_URL")), keys)

    @classmethod
    def from_crawler(cls, crawler) -> OutboxPipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        _pool.acquire(self.workers)

    def close_spider(self) -> None:
        _pool.release()

    async def process_item(self, item):
        spider = self.crawler.spider
        if spider.job is None:
            logger.warning("%s: an item outside any job, dropped: %r", spider.source_id, item)
            return item
        if isinstance(item, PageItem):
            message = await self.page(item, spider)
        else:
            message = item_message(item, spider.job)
        if message is not None:
            await self.push(message)
        return item

    async def page(self, item: PageItem, spider) -> Message:
        args = (item.html, item.url, spider.source, item.hints, item.fetched_at)
        try:
            if _pool.pool is None or not _pool.ready.done():
                extraction = extract_page(*args)
            else:
                extraction = await asyncio.wrap_future(_pool.pool.submit(extract_page, *args))
        except Exception as exc:  # any bug or bad page: recorded, never stops the crawl
            failure = FailureItem(item.source, item.url, "extract", f"{type(exc).__name__}: {exc}")
            return item_message(failure, spider.job)
        return page_message(item, extraction, spider.job)

    async def push(self, message: Message) -> None:
        while self.outbox.backlog() >= self.max_backlog:
            await asyncio.sleep(BACKLOG_POLL_SECONDS)
        if not self.outbox.push(message):
            self.crawler.stats.inc_value("newsarchive/pushed_already")
