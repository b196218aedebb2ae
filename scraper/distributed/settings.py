"""The Scrapy settings of a worker (and of the seeder): scraper.settings plus scrapy-redis.

Everything a single-process crawl sets still holds (robots.txt, AutoThrottle,
retries with backoff, the crawl scope, mirrors); on top of it:

- scrapy-redis's settings: SCHEDULER, DUPEFILTER_CLASS, SCHEDULER_PERSIST
  (always: the queue belongs to every worker, not to one process),
  SCHEDULER_QUEUE_CLASS (its PriorityQueue), the queue and dupefilter keys
  under the prefix, REDIS_URL;
- the worker's pipeline (extract, push to Redis) instead of the archive's;
- the shared politeness downloader and robots.txt middleware;
- NEWSARCHIVE_WORKER_ID, naming the worker in its leases and heartbeat.

The archive is not opened by a worker (NEWSARCHIVE_DB is ``:memory:``, so the
spiders' archive state is empty): workers may run on machines without it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from scrapy.settings import Settings

from scraper.crawl import crawl_settings
from scraper.distributed.keys import DEFAULT_PREFIX, Keys

__all__ = ["worker_settings"]


def worker_settings(
    redis_url: str,
    *,
    worker_id: str,
    sources_files: Sequence[str | Path] = (),
    mirrors: dict[str, str] | None = None,
    overrides: dict | None = None,
    prefix: str = DEFAULT_PREFIX,
    max_idle: float = 0,
) -> Settings:
    """Settings for a worker process (see the module docstring)."""
    settings = crawl_settings(
        ":memory:", sources_files=sources_files, mirrors=mirrors, overrides=overrides
    )
    keys = Keys(prefix)
    middlewares = dict(settings.getdict("DOWNLOADER_MIDDLEWARES"))
    middlewares.update(
        {
            "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
            # Scrapy's own position for robots.txt.
            "scraper.distributed.politeness.SharedRobotsTxtMiddleware": 100,
        }
    )
    extensions = dict(settings.getdict("EXTENSIONS"))
    extensions["scraper.distributed.worker.KeepAlive"] = 500
    values = {
        "REDIS_URL": redis_url,
        "SCHEDULER": "scraper.distributed.scheduler.LeasedScheduler",
        "DUPEFILTER_CLASS": "scraper.distributed.scheduler.ArticleDupeFilter",
        "SCHEDULER_PERSIST": True,
        "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.PriorityQueue",
        "SCHEDULER_QUEUE_KEY": keys.queue_pattern,
        "SCHEDULER_DUPEFILTER_KEY": keys.dupefilter_pattern,
        "ITEM_PIPELINES": {"scraper.distributed.pipeline.OutboxPipeline": 300},
        "DOWNLOADER": "scraper.distributed.politeness.SharedPolitenessDownloader",
        "DOWNLOADER_MIDDLEWARES": middlewares,
        "STATS_CLASS": "scraper.distributed.worker.JobStatsCollector",
        "EXTENSIONS": extensions,
        "NEWSARCHIVE_WORKER_ID": worker_id,
        "NEWSARCHIVE_REDIS_PREFIX": prefix,
        "NEWSARCHIVE_MAX_IDLE": max_idle,
    }
    for name, value in values.items():
        settings.set(name, value, priority="cmdline")
    return settings
