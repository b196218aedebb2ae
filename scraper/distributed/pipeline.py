"""The worker's item pipeline: extract pages here, push every record to the writer's stream.

Extraction is the crawl's CPU cost, so it runs in the workers, in the same
process pool as a single-process crawl (scraper.extraction.ExtractionPool:
decoding, extraction, fingerprints and the capture's digest and compressed
body), and the writer only stores. Each record goes onto the Redis stream
(scraper.distributed.messages) before Scrapy is told the item is done, so the
request's lease is dropped
only once its records are safe in Redis. When the writer falls behind, the
stream's length is capped (NEWSARCHIVE_STREAM_MAX_BACKLOG): pushes wait,
which slows the crawl rather than filling Redis's memory with pages.
"""

from __future__ import annotations

import asyncio
import logging

from scraper.distributed.keys import Keys, connect
from scraper.distributed.messages import Message, Outbox, item_message, page_message
from scraper.extraction import ExtractionPool
from scraper.items import FailureItem, PageItem

logger = logging.getLogger(__name__)

BACKLOG_POLL_SECONDS = 0.5


class _SharedPool:
    """One extraction pool per worker process, shared by its spiders (one per source)."""

    def __init__(self) -> None:
        self.users = 0
        self.pool: ExtractionPool | None = None

    def acquire(self, workers: int, sources_files: tuple[str, ...], memory_mb: int) -> None:
        if self.users == 0:
            # A worker is started to fetch pages: its extraction workers start with it.
            self.pool = ExtractionPool(workers, sources_files, memory_mb, eager=True)
        self.users += 1

    def release(self) -> None:
        self.users -= 1
        if self.users == 0 and self.pool is not None:
            self.pool.shutdown()
            self.pool = None


_pool = _SharedPool()


class OutboxPipeline:
    def __init__(self, crawler) -> None:
        self.crawler = crawler
        settings = crawler.settings
        self.workers = settings.getint("NEWSARCHIVE_EXTRACT_WORKERS", 0)
        self.worker_memory_mb = settings.getint("NEWSARCHIVE_EXTRACT_MEMORY_MB", 0)
        self.sources_files = tuple(settings.getlist("NEWSARCHIVE_SOURCES"))
        self.max_backlog = settings.getint("NEWSARCHIVE_STREAM_MAX_BACKLOG", 5000)
        keys = Keys(settings.get("NEWSARCHIVE_REDIS_PREFIX"))
        self.outbox = Outbox(connect(settings.get("REDIS_URL")), keys)

    @classmethod
    def from_crawler(cls, crawler) -> OutboxPipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        _pool.acquire(self.workers, self.sources_files, self.worker_memory_mb)

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
        files = self.sources_files + tuple(filter(None, [spider.sources_file]))
        try:
            page = await _pool.pool.process(item, files, follow=spider.follows_page_links)
        except Exception as exc:  # any bug or bad page: recorded, never stops the crawl
            failure = FailureItem(item.source, item.url, "extract", f"{type(exc).__name__}: {exc}")
            return item_message(failure, spider.job)
        # The writer decides what is new, later: here only the depth limit applies.
        await spider.follow_links(item, page.links, self.process_item, new_article=True)
        return page_message(item, page, spider.job)

    async def push(self, message: Message) -> None:
        while self.outbox.backlog() >= self.max_backlog:
            await asyncio.sleep(BACKLOG_POLL_SECONDS)
        if not self.outbox.push(message):
            self.crawler.stats.inc_value("newsarchive/pushed_already")
