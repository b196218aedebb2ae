"""scrapy-redis's scheduler and duplicate filter, with leases and one identity per article.

``LeasedScheduler`` is scrapy_redis.scheduler.Scheduler (its queue classes, its
keys, its pickled request format; scrapy-redis 0.9.1, the latest release,
runs on Scrapy 2.19, and ``open`` and ``enqueue_request`` are restated here
only to drop two calls Scrapy 2.13 deprecated) with these changes:

- a request is popped into a lease (scraper.distributed.leases) and the lease
  is dropped only once Scrapy's engine is done with the request: downloaded,
  its callback run, every item it gave through the pipelines (pushed to the
  writer's stream) and every request it gave queued. The engine keeps exactly
  that set of requests (``ExecutionEngine._slot.inprogress``, from the start of
  the download to the end of the scrape); it is not public API, so the
  scheduler checks it exists when it opens and refuses to run otherwise;
- every queued request carries the id of the job (``crawl --distributed``) it
  belongs to, so the spider and the writer know which run it counts in.

``ArticleDupeFilter`` is scrapy-redis's RFPDupeFilter (a Redis set of SHA-1
fingerprints of method, URL and body) whose URL, for an article, is the
archive's canonical URL: two links to one article (http and https, a
tracking parameter) are one request across all workers, as they are one
request within a single-process crawl.
"""

from __future__ import annotations

import json

from scrapy.http import Request
from scrapy.utils.misc import load_object
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.scheduler import Scheduler
from twisted.internet import task

from scraper.distributed.keys import Keys
from scraper.distributed.leases import Leases

__all__ = ["ArticleDupeFilter", "LeasedScheduler"]

# How often finished requests' leases are dropped while the engine is too busy to ask
# for new requests (they are also dropped each time it asks).
RELEASE_SECONDS = 0.5
# How often leases this worker holds but does not track are looked for (see Leases).
STRAYS_SECONDS = 10.0


class ArticleDupeFilter(RFPDupeFilter):
    def request_fingerprint(self, request: Request) -> str:
        # RFPDupeFilter's fingerprint, an article's canonical URL (archive.urls.canonicalize,
        # the spider's dedup_key) standing in for its address; RFPDupeFilter's w3lib
        # canonicalisation leaves a canonical URL as it is. Any other page: RFPDupeFilter's.
        key = request.meta.get("dedup_key")
        return super().request_fingerprint(request.replace(url=key) if key else request)


class LeasedScheduler(Scheduler):
    @classmethod
    def from_crawler(cls, crawler):
        scheduler = super().from_crawler(crawler)
        scheduler.crawler = crawler
        keys = Keys(crawler.settings.get("NEWSARCHIVE_REDIS_PREFIX"))
        scheduler.leases = Leases(
            scheduler.server, keys, crawler.settings.get("NEWSARCHIVE_WORKER_ID")
        )
        scheduler.leased = {}
        scheduler.jobs_key = keys.jobs
        scheduler._release_loop = scheduler._strays_loop = None
        return scheduler

    def open(self, spider) -> None:
        slot = getattr(self.crawler.engine, "_slot", None)
        if not isinstance(getattr(slot, "inprogress", None), set):
            raise RuntimeError(
                "this Scrapy version's engine has no _slot.inprogress: the distributed "
                "scheduler cannot tell when a request is finished (see its module)"
            )
        self.inprogress = slot.inprogress
        self.engine_slot = slot
        # scrapy-redis's open(), without its Spider.log() call (deprecated since Scrapy 2.13).
        self.spider = spider
        self.queue = load_object(self.queue_cls)(
            server=self.server,
            spider=spider,
            key=self.queue_key % {"spider": spider.name},
            serializer=self.serializer,
        )
        if not self.df:
            self.df = load_object(self.dupefilter_cls).from_spider(spider)
        if len(self.queue):
            spider.logger.info("%d requests queued in Redis", len(self.queue))
        self._release_loop = task.LoopingCall(self.tick)
        self._release_loop.start(RELEASE_SECONDS, now=False)
        self._strays_loop = task.LoopingCall(
            lambda: self.leases.give_back_strays(self.queue.key, set(self.leased))
        )
        self._strays_loop.start(STRAYS_SECONDS, now=False)

    def close(self, reason: str) -> None:
        for loop in (self._release_loop, self._strays_loop):
            if loop is not None and loop.running:
                loop.stop()
        self.release_finished()
        if self.leased:
            # The engine gave up on these (a shutdown mid-download): another worker will.
            self.leases.give_back_own()
            self.leased.clear()
        super().close(reason)

    def tick(self) -> None:
        self.release_finished()
        # An idle engine asks the scheduler again only every five seconds; work that
        # another worker queued meanwhile is taken up now instead.
        if not self.inprogress and len(self.queue):
            self.engine_slot.nextcall.schedule()

    def release_finished(self) -> None:
        """Drop the leases of the requests the engine has finished with."""
        done = [field for field, request in self.leased.items() if request not in self.inprogress]
        if done:
            self.leases.finish(done)
            for field in done:
                del self.leased[field]

    def enqueue_request(self, request: Request) -> bool:
        # Requests found while crawling belong to the job of the spider's current work.
        request.meta.setdefault("job", getattr(self.spider, "job", None))
        # scrapy-redis's enqueue_request(), without the stats' deprecated spider argument.
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        self.queue.push(request)
        return True

    def next_request(self) -> Request | None:
        # Everything popped earlier is in the engine's in-progress set by now (it is
        # added in the same call that got it), so this cannot drop a fresh lease.
        self.release_finished()
        taken = self.leases.take(self.queue.key)
        if taken is None:
            return None
        field, payload = taken
        request = self.queue._decode_request(payload)
        self.leased[field] = request
        if self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        job = request.meta.get("job")
        if job and job != getattr(self.spider, "job", None):
            info = self.server.hget(self.jobs_key, job)
            self.spider.begin_job(job, json.loads(info) if info else {})
        return request

    def has_pending_requests(self) -> bool:
        return len(self) > 0
