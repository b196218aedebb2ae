"""Politeness that holds across workers: each site sees one polite crawler, not N.

Scrapy keeps its per-domain limits in each process. With several workers,
each would allow CONCURRENT_REQUESTS_PER_DOMAIN downloads and its own
DOWNLOAD_DELAY, so a site would get N times the load. Here the limits live
in Redis, checked by one Lua script per download start:

- ``SharedPolitenessDownloader`` (the project's PoliteDownloader, so its
  in-process fix still applies) waits, before each download, for a slot of the
  domain's shared semaphore (at most the slot's concurrency downloads in
  flight across all workers; a slot is a sorted-set member that expires, so a
  killed worker's slots free themselves) and for the domain's shared next
  start time, which each start pushes on by the worker's current delay
  (DOWNLOAD_DELAY as AutoThrottle adjusted it from the latencies it saw). A
  429 or 503 with Retry-After pushes the domain's next start for everybody.
  Redis's own clock (TIME) is used, so the machines' clocks need not agree.
- ``SharedRobotsTxtMiddleware`` is Scrapy's RobotsTxtMiddleware whose robots.txt
  is fetched by one worker and shared through Redis (kept for
  NEWSARCHIVE_ROBOTS_TTL seconds), so a site's rules are read once and every
  worker obeys the same ones. It overrides three of the middleware's own
  methods (``robot_parser``, ``_parse_robots``, ``_robots_error``);
  tests/test_distributed.py fails if a Scrapy upgrade changes them.

Backoff of a request that failed travels with it: the retry count is in the
request's meta, queued in Redis with it, so the next worker goes on with the
same exponential delays.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from time import monotonic

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.http import Request, Response
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler

from scraper.distributed.keys import Keys, connect
from scraper.downloader import PoliteDownloader
from scraper.middlewares import retry_after_seconds

__all__ = ["SharedPolitenessDownloader", "SharedRobotsTxtMiddleware"]

logger = logging.getLogger(__name__)

# KEYS: the domain's slots, its next start; ARGV: limit, delay ms, ticket, slot lease ms.
# 0: go; else how many milliseconds to wait before asking again.
_ENTER = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 20 end
local next_start = tonumber(redis.call('GET', KEYS[2]) or '0')
if now < next_start then return next_start - now end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[4]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[4]))
local delay = tonumber(ARGV[2])
if delay > 0 then redis.call('SET', KEYS[2], now + delay, 'PX', delay + 60000) end
return 0
"""

# KEYS: the domain's next start; ARGV: milliseconds from now.
_HOLD = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local hold = now + tonumber(ARGV[1])
if hold > tonumber(redis.call('GET', KEYS[1]) or '0') then
  redis.call('SET', KEYS[1], hold, 'PX', tonumber(ARGV[1]) + 60000)
end
return hold
"""


class SharedPolitenessDownloader(PoliteDownloader):
    def __init__(self, crawler) -> None:
        super().__init__(crawler)
        settings = crawler.settings
        self.server = connect(settings.get("REDIS_URL"))
        self.keys = Keys(settings.get("NEWSARCHIVE_REDIS_PREFIX"))
        self.worker = settings.get("NEWSARCHIVE_WORKER_ID")
        # A slot outlives the longest download, then frees itself (its holder died).
        self.slot_lease_ms = int((settings.getfloat("DOWNLOAD_TIMEOUT") + 30) * 1000)
        self._enter = self.server.register_script(_ENTER)
        self._hold = self.server.register_script(_HOLD)
        self._tickets = itertools.count()

    async def _download(self, slot, request: Request) -> Response:
        host = self.get_slot_key(request)
        ticket = f"{self.worker}:{next(self._tickets)}"
        while True:
            delay_ms = int(slot.download_delay() * 1000)
            wait = self._enter(
                keys=[self.keys.slots(host), self.keys.next_start(host)],
                args=[slot.concurrency, delay_ms, ticket, self.slot_lease_ms],
            )
            if not wait:
                break
            await asyncio.sleep(int(wait) / 1000)
        try:
            response = await super()._download(slot, request)
        finally:
            self.server.zrem(self.keys.slots(host), ticket)
        if response.status in (429, 503):
            asked = retry_after_seconds(response.headers.get("Retry-After"))
            if asked:
                self._hold(keys=[self.keys.next_start(host)], args=[int(asked * 1000)])
        return response


class SharedRobotsTxtMiddleware(RobotsTxtMiddleware):
    def __init__(self, crawler) -> None:
        super().__init__(crawler)
        settings = crawler.settings
        self.server = connect(settings.get("REDIS_URL"))
        self.keys = Keys(settings.get("NEWSARCHIVE_REDIS_PREFIX"))
        self.worker = settings.get("NEWSARCHIVE_WORKER_ID")
        self.ttl = settings.getint("NEWSARCHIVE_ROBOTS_TTL", 86400)
        self.fetch_timeout = settings.getfloat("DOWNLOAD_TIMEOUT") + 10

    async def robot_parser(self, request: Request):
        netloc = urlparse_cached(request).netloc
        if netloc not in self._parsers:
            body = await self._shared_body(netloc)
            # Another request of this process may have fetched it meanwhile.
            if body is not None and netloc not in self._parsers:
                self._parsers[netloc] = build_from_crawler(self._parserimpl, self.crawler, body)
        return await super().robot_parser(request)

    async def _shared_body(self, netloc: str) -> bytes | None:
        """The robots.txt another worker fetched, or None when this one is to fetch it."""
        deadline = monotonic() + self.fetch_timeout
        while True:
            body = self.server.get(self.keys.robots(netloc))
            if body is not None:
                return body
            lock = self.keys.robots_lock(netloc)
            if self.server.set(lock, self.worker, nx=True, ex=int(self.fetch_timeout)):
                return None
            if monotonic() > deadline:  # its fetcher died: fetch it here
                return None
            await asyncio.sleep(0.1)

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        await super()._parse_robots(response, netloc, request)
        self.server.set(self.keys.robots(netloc), response.body, ex=self.ttl)

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        super()._robots_error(exc, netloc)
        # Unreachable robots.txt allows everything, in Scrapy too; no other worker retries it.
        self.server.set(self.keys.robots(netloc), b"", ex=self.ttl)
