"""``newsarchive worker``: a Scrapy crawler process that takes its work from Redis.

One CrawlerProcess, one crawler per source (as ``newsarchive crawl``), built
with the worker settings (scraper.distributed.settings): the scheduler's queue
and duplicate filter are scrapy-redis's in Redis, shared by every worker on
every machine; pages are extracted here and their records pushed to the
writer's stream. A thread keeps the worker's heartbeat (and requeues the
leases of workers that died). SIGTERM or Ctrl-C stops it as Scrapy stops a
crawl: the requests in flight are finished and pushed, the rest stay queued.

Two small Scrapy components live here:

- ``JobStatsCollector``: Scrapy's memory stats, plus the counters that judge a
  run (requests, responses, article links) added up per job and source in
  Redis, since a run's requests are spread over the workers;
- ``KeepAlive``: an idle worker waits for work rather than closing, for
  NEWSARCHIVE_MAX_IDLE seconds (0: until it is stopped).
"""

from __future__ import annotations

import os
import socket
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.exceptions import DontCloseSpider
from scrapy.statscollectors import MemoryStatsCollector

from scraper.distributed.keys import DEFAULT_PREFIX, Keys, connect, process_name
from scraper.distributed.leases import Presence
from scraper.distributed.settings import worker_settings
from scraper.distributed.spiders import worker_spider

__all__ = ["JOB_COUNTERS", "JobStatsCollector", "KeepAlive", "run_worker"]

# What judge_run (scraper.pipelines) reads of a run's stats.
JOB_COUNTERS = (
    "downloader/request_count",
    "response_received_count",
    "newsarchive/article_links",
    "newsarchive/skipped_known",
)


class JobStatsCollector(MemoryStatsCollector):
    def __init__(self, crawler) -> None:
        super().__init__(crawler)
        self.server = connect(crawler.settings.get("REDIS_URL"))
        self.keys = Keys(crawler.settings.get("NEWSARCHIVE_REDIS_PREFIX"))

    def inc_value(self, key: str, count: int = 1, start: int = 0, spider=None) -> None:
        super().inc_value(key, count, start)
        if key in JOB_COUNTERS:
            current = self._crawler.spider
            job = getattr(current, "job", None)
            if job:
                self.server.hincrby(self.keys.job_stats(job, current.source_id), key, count)


class KeepAlive:
    def __init__(self, crawler) -> None:
        self.max_idle = crawler.settings.getfloat("NEWSARCHIVE_MAX_IDLE")
        self.idle_since: float | None = None
        crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(self.busy, signal=signals.response_received)

    @classmethod
    def from_crawler(cls, crawler) -> KeepAlive:
        return cls(crawler)

    def busy(self, **_kwargs) -> None:
        self.idle_since = None

    def spider_idle(self, spider) -> None:
        now = time.monotonic()
        if self.idle_since is None:
            self.idle_since = now
        if not self.max_idle or now - self.idle_since < self.max_idle:
            raise DontCloseSpider


def run_worker(
    redis_url: str,
    source_ids: Sequence[str],
    *,
    sources_files: Sequence[str | Path] = (),
    mirrors: dict[str, str] | None = None,
    overrides: dict | None = None,
    max_idle: float = 0,
    prefix: str = DEFAULT_PREFIX,
) -> None:
    """Crawl what the shared queue holds for these sources until stopped (or idle)."""
    worker_id = f"{process_name()}:{uuid.uuid4().hex[:6]}"
    settings = worker_settings(
        redis_url,
        worker_id=worker_id,
        sources_files=sources_files,
        mirrors=mirrors,
        overrides=overrides,
        prefix=prefix,
        max_idle=max_idle,
    )
    process = CrawlerProcess(settings)
    crawlers = []
    for source_id in source_ids:
        crawler = process.create_crawler(worker_spider(process.spider_loader.load(source_id)))
        crawlers.append(crawler)
        process.crawl(crawler)
    started = time.time()

    def info() -> dict:
        pages = sum(
            (c.stats.get_value("response_received_count") or 0) for c in crawlers if c.stats
        )
        return {
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "sources": list(source_ids),
            "started": started,
            "responses": pages,
        }

    presence = Presence(connect(redis_url), Keys(prefix), worker_id, info).start()
    try:
        process.start()
    finally:
        presence.stop()
