"""Where a distributed crawl keeps its state in Redis, and how to connect.

Every key starts with the prefix (``newsarchive`` unless NEWSARCHIVE_REDIS_PREFIX
says otherwise, so two archives can share one Redis). The request queue and the
duplicate filter are scrapy-redis's own, under its key patterns:

====================================  ==============================================
``P:<spider>:requests``               scrapy-redis PriorityQueue: sorted set of
                                      pickled request dicts, score -priority
``P:<spider>:dupefilter``             scrapy-redis RFPDupeFilter: set of SHA-1 hex
``P:leases:<worker>``                 hash: requests a worker took and has not finished
``P:workers``, ``P:worker:<id>``      registered workers; heartbeat (expires)
``P:jobs``                            hash: job id -> JSON (sources, since, runs)
``P:active:<source>``                 the job crawling a source now
``P:jobstats:<job>:<source>``         hash: request/response/link counters
``P:pushed:<job>``                    set: items already pushed (never twice)
``P:items``                           stream of records for the writer (group ``writer``)
``P:writer``                          the writer's heartbeat and lock
``P:slots:<host>``, ``P:next:<host>``  per-domain downloads in flight; next start
``P:robots:<netloc>``                 a robots.txt body, shared
====================================  ==============================================

redis-py (the Redis project's own client, which scrapy-redis uses too) talks
to the server; the few steps that must be atomic are Lua scripts run by Redis.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

import redis
from redis.backoff import ExponentialBackoff
from redis.retry import Retry

DEFAULT_PREFIX = "newsarchive"
STREAM_GROUP = "writer"
# How often a worker or the writer says it is alive, and when silence means dead.
HEARTBEAT_SECONDS = 2.0
DEAD_AFTER_SECONDS = 10.0


def connect(url: str) -> redis.Redis:
    """A client for ``redis://host:port/db``; raises redis.ConnectionError when unreachable."""
    client = redis.Redis.from_url(
        url,
        socket_connect_timeout=10,
        socket_timeout=30,
        # Ride out a Redis restart (a minute or so) instead of dropping the work in hand;
        # every write that matters is idempotent, so a retried one does no harm.
        retry=Retry(ExponentialBackoff(cap=10, base=0.2), 12),
        retry_on_error=[redis.ConnectionError, redis.TimeoutError],
    )
    client.ping()
    return client


def process_name() -> str:
    """host:pid, naming a worker or writer in status output and in its keys."""
    return f"{socket.gethostname()}:{os.getpid()}"


def gone_from_this_host(name: str) -> bool:
    """Whether ``host:pid[:...]`` names a process of this machine that has exited: it
    need not be waited out until its heartbeat expires (a restart after a kill)."""
    host, _, rest = name.partition(":")
    pid = rest.split(":", 1)[0]
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    try:  # a zombie has exited too, its parent has not reaped it yet
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] == "Z"


class Keys:
    """Key names under one prefix."""

    def __init__(self, prefix: str = DEFAULT_PREFIX) -> None:
        self.prefix = prefix

    def queue(self, spider: str) -> str:
        return self.queue_pattern % {"spider": spider}

    @property
    def queue_pattern(self) -> str:
        return f"{self.prefix}:%(spider)s:requests"

    @property
    def dupefilter_pattern(self) -> str:
        return f"{self.prefix}:%(spider)s:dupefilter"

    def dupefilter(self, spider: str) -> str:
        return self.dupefilter_pattern % {"spider": spider}

    def leases(self, worker: str) -> str:
        return f"{self.prefix}:leases:{worker}"

    @property
    def workers(self) -> str:
        return f"{self.prefix}:workers"

    def worker(self, worker: str) -> str:
        return f"{self.prefix}:worker:{worker}"

    @property
    def jobs(self) -> str:
        return f"{self.prefix}:jobs"

    def active(self, source: str) -> str:
        return f"{self.prefix}:active:{source}"

    def job_stats(self, job: str, source: str) -> str:
        return f"{self.prefix}:jobstats:{job}:{source}"

    def pushed(self, job: str) -> str:
        return f"{self.prefix}:pushed:{job}"

    @property
    def items(self) -> str:
        return f"{self.prefix}:items"

    @property
    def writer(self) -> str:
        return f"{self.prefix}:writer"

    def slots(self, host: str) -> str:
        return f"{self.prefix}:slots:{host}"

    def next_start(self, host: str) -> str:
        return f"{self.prefix}:next:{host}"

    def robots(self, netloc: str) -> str:
        return f"{self.prefix}:robots:{netloc}"

    def robots_lock(self, netloc: str) -> str:
        return f"{self.prefix}:robots-lock:{netloc}"
