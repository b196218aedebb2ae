"""``crawl --distributed``: start a job by putting each source's first requests on the shared queue.

The first requests are the site spider's own (its ``start``: feeds, sitemaps,
listings, from the registry), made by the worker's spider class so their
callbacks resolve in any worker, and queued in scrapy-redis's format by
scrapy-redis's own PriorityQueue and duplicate filter. A job is registered
under an id; each of its sources is marked active until the writer has
finished that source's run, and a source that is still active cannot be
seeded again (two jobs would share one queue and one duplicate filter).

Seeding needs Redis and the registry only, not the archive, so it runs
anywhere; ``wait_for_job`` follows a job until the writer has closed its runs.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

from scrapy.crawler import Crawler
from scrapy_redis import picklecompat
from scrapy_redis.queue import PriorityQueue

from archive.clock import utcnow
from scraper.distributed.keys import DEFAULT_PREFIX, Keys, connect, process_name
from scraper.distributed.scheduler import ArticleDupeFilter
from scraper.distributed.settings import worker_settings
from scraper.distributed.spiders import worker_spider
from scraper.spiders.loader import RegistrySpiderLoader

__all__ = ["SourceBusy", "seed", "wait_for_job"]


class SourceBusy(RuntimeError):
    """A source is still being crawled by an earlier job."""


def seed(
    redis_url: str,
    source_ids: Sequence[str],
    *,
    since: str | None = None,
    sources_files: Sequence[str | Path] = (),
    overrides: dict | None = None,
    prefix: str = DEFAULT_PREFIX,
) -> dict:
    """Queue the first requests of a new job for these sources; returns the job."""
    server = connect(redis_url)
    keys = Keys(prefix)
    busy = [s for s in source_ids if server.exists(keys.active(s))]
    if busy:
        jobs = ", ".join(f"{s} (job {server.get(keys.active(s)).decode()})" for s in busy)
        raise SourceBusy(f"still being crawled: {jobs}; wait for it to finish")
    settings = worker_settings(
        redis_url,
        worker_id=f"seed:{process_name()}",
        sources_files=sources_files,
        overrides=overrides,
        prefix=prefix,
    )
    loader = RegistrySpiderLoader.from_settings(settings)
    job_id = f"{time.strftime('%Y%m%dT%H%M%S', time.gmtime())}-{uuid.uuid4().hex[:6]}"
    job = {"id": job_id, "sources": list(source_ids), "since": since, "started": utcnow()}
    server.hset(keys.jobs, job_id, json.dumps({**job, "runs": {}}))
    queued = {}
    for source_id in source_ids:
        spidercls = worker_spider(loader.load(source_id))
        spider = spidercls.from_crawler(Crawler(spidercls, settings), since=since)
        requests = asyncio.run(_start_requests(spider))
        # A new job: the previous one's fingerprints would hide every page again.
        server.delete(keys.dupefilter(spider.name))
        queue = PriorityQueue(server, spider, keys.queue_pattern, serializer=picklecompat)
        seen = ArticleDupeFilter(server, key=keys.dupefilter(spider.name))
        for request in requests:
            request.meta["job"] = job_id
            if request.dont_filter or not seen.request_seen(request):
                queue.push(request)
        queued[source_id] = len(requests)
        # Marked last: the writer watches active sources for the end of their work.
        if not server.set(keys.active(source_id), job_id, nx=True):
            raise SourceBusy(f"{source_id} was seeded by another job meanwhile")
    return {**job, "queued": queued}


async def _start_requests(spider) -> list:
    return [request async for request in spider.start_requests_of_site()]


def wait_for_job(
    redis_url: str, job_id: str, *, timeout: float | None = None, prefix: str = DEFAULT_PREFIX
) -> list[dict]:
    """Wait until the writer has finished every run of a job; returns the crawl_runs rows."""
    server = connect(redis_url)
    keys = Keys(prefix)
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        raw = server.hget(keys.jobs, job_id)
        if raw is None:
            raise KeyError(f"no job {job_id}")
        job = json.loads(raw)
        if set(job["runs"]) >= set(job["sources"]):
            return [job["runs"][s] for s in job["sources"]]
        if deadline is not None and time.monotonic() > deadline:
            raise TimeoutError(f"job {job_id} did not finish in {timeout} s")
        time.sleep(0.5)
