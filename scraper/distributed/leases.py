"""Leases: the requests a worker took from the shared queue and has not finished.

scrapy-redis pops a request off the queue for good, so a worker killed with
requests in flight loses them. Here the pop moves the request into the
worker's lease hash in the same atomic step (a Lua script run by Redis), the
worker deletes the lease once Scrapy is done with the request (its page
extracted and pushed, the requests it found queued), and a worker whose
heartbeat has stopped (or, on the same machine, whose process has exited) has
its leases put back on the queue, with their priority, by whichever live
process notices first (another worker, or the writer). The queue entries
themselves stay scrapy-redis's.

Each lease is a hash field ``<n>|<score>|<queue key>`` -> the request as
scrapy-redis encoded it, so giving it back needs no decoding.

A source is done (quiescent) when its queue is empty and no worker holds a
lease on it; that is checked in one script too, since a request moves from a
lease to its children in the queue between two separate reads.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import redis

from scraper.distributed.keys import (
    DEAD_AFTER_SECONDS,
    HEARTBEAT_SECONDS,
    Keys,
    gone_from_this_host,
)

logger = logging.getLogger(__name__)

_POP = """
local popped = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #popped == 0 then return false end
redis.call('ZREM', KEYS[1], popped[1])
local field = ARGV[1] .. '|' .. popped[2] .. '|' .. KEYS[1]
redis.call('HSET', KEYS[2], field, popped[1])
return {field, popped[1]}
"""

# KEYS: leases, workers set, heartbeat; ARGV: worker id, and "own" (one's own), "dead"
# (silent: not if it beats again meanwhile) or "gone" (its process has exited).
_GIVE_BACK = """
if ARGV[2] == 'dead' and redis.call('EXISTS', KEYS[3]) == 1 then return -1 end
local fields = redis.call('HGETALL', KEYS[1])
for i = 1, #fields, 2 do
  local score, queue = string.match(fields[i], '^[^|]+|([^|]+)|(.+)$')
  redis.call('ZADD', queue, score, fields[i + 1])
end
redis.call('DEL', KEYS[1])
if ARGV[2] ~= 'own' then
  redis.call('SREM', KEYS[2], ARGV[1])
  redis.call('DEL', KEYS[3])
end
return #fields / 2
"""

# KEYS: leases; ARGV: the fields to put back on their queues.
_GIVE_BACK_FIELDS = """
for i = 1, #ARGV do
  local payload = redis.call('HGET', KEYS[1], ARGV[i])
  if payload then
    local score, queue = string.match(ARGV[i], '^[^|]+|([^|]+)|(.+)$')
    redis.call('ZADD', queue, score, payload)
    redis.call('HDEL', KEYS[1], ARGV[i])
  end
end
return #ARGV
"""

# KEYS: queue, workers set, items stream; ARGV: lease key prefix.
# false while work remains; else the id of the stream's last entry ('0-0': empty).
_QUIET = """
if redis.call('ZCARD', KEYS[1]) > 0 then return false end
local suffix = '|' .. KEYS[1]
for _, worker in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  for _, field in ipairs(redis.call('HKEYS', ARGV[1] .. worker)) do
    if string.sub(field, -#suffix) == suffix then return false end
  end
end
local last = redis.call('XREVRANGE', KEYS[3], '+', '-', 'COUNT', 1)
if #last == 0 then return '0-0' end
return last[1][1]
"""


class Leases:
    """One worker's leases, and the operations on everybody's."""

    def __init__(self, server: redis.Redis, keys: Keys, worker: str) -> None:
        self.server = server
        self.keys = keys
        self.worker = worker
        self._pop = server.register_script(_POP)
        self._give_back_fields = server.register_script(_GIVE_BACK_FIELDS)
        self._counter = 0

    def take(self, queue_key: str) -> tuple[str, bytes] | None:
        """Pop the best request of a queue into a lease: (lease field, encoded request)."""
        self._counter += 1
        popped = self._pop(keys=[queue_key, self.keys.leases(self.worker)], args=[self._counter])
        if not popped:
            return None
        field, payload = popped
        return field.decode() if isinstance(field, bytes) else field, payload

    def finish(self, fields: list[str]) -> None:
        if fields:
            self.server.hdel(self.keys.leases(self.worker), *fields)

    def give_back_strays(self, queue_key: str, tracked: set[str]) -> int:
        """Requeue this worker's leases on a queue that it does not track: a pop whose
        answer was lost (a timeout, then a retry that popped again) leaves one behind."""
        suffix = f"|{queue_key}"
        fields = [f.decode() for f in self.server.hkeys(self.keys.leases(self.worker))]
        strays = [f for f in fields if f.endswith(suffix) and f not in tracked]
        if strays:
            self._give_back_fields(keys=[self.keys.leases(self.worker)], args=strays)
        return len(strays)

    def give_back_own(self) -> int:
        """Put every request this worker still holds back on its queue."""
        return give_back(self.server, self.keys, self.worker, own=True)


def give_back(
    server: redis.Redis, keys: Keys, worker: str, *, own: bool = False, gone: bool = False
) -> int:
    """Requeue a worker's leases: one's ``own``, a ``gone`` process's, else only if its
    heartbeat has expired (-1 when it has not); returns how many."""
    script = server.register_script(_GIVE_BACK)
    args = [worker, "own" if own else "gone" if gone else "dead"]
    return int(script(keys=[keys.leases(worker), keys.workers, keys.worker(worker)], args=args))


def reclaim_dead(server: redis.Redis, keys: Keys) -> int:
    """Requeue the leases of every registered worker whose heartbeat has expired, or
    whose process on this machine has exited."""
    total = 0
    for raw in server.smembers(keys.workers):
        worker = raw.decode()
        gone = gone_from_this_host(worker)
        if gone or not server.exists(keys.worker(worker)):
            given = give_back(server, keys, worker, gone=gone)
            if given > 0:
                logger.warning("worker %s stopped answering: %d requests requeued", worker, given)
            total += max(given, 0)
    return total


def quiet_since(server: redis.Redis, keys: Keys, spider: str) -> str | None:
    """None while a spider has work queued or leased; else the items stream's last id."""
    script = server.register_script(_QUIET)
    last = script(
        keys=[keys.queue(spider), keys.workers, keys.items], args=[f"{keys.prefix}:leases:"]
    )
    if not last:
        return None
    return last.decode() if isinstance(last, bytes) else last


def leased_count(server: redis.Redis, keys: Keys, worker: str) -> int:
    return int(server.hlen(keys.leases(worker)))


class Presence:
    """A process's heartbeat in Redis, in a thread of its own (a busy reactor cannot
    starve it), and the reclaiming of dead workers' leases on the same beat."""

    def __init__(
        self,
        server: redis.Redis,
        keys: Keys,
        worker: str,
        info: Callable[[], dict[str, Any]],
        *,
        register: bool = True,
        key: str | None = None,
    ) -> None:
        self.server = server
        self.key = key or keys.worker(worker)
        self.keys = keys
        self.worker = worker
        self.info = info
        self.register = register
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="presence", daemon=True)

    def beat(self) -> None:
        payload = json.dumps({**self.info(), "beat": time.time()})
        with self.server.pipeline() as pipe:
            pipe.set(self.key, payload, px=int(DEAD_AFTER_SECONDS * 1000))
            if self.register:
                pipe.sadd(self.keys.workers, self.worker)
            pipe.execute()

    def start(self) -> Presence:
        self.beat()
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(HEARTBEAT_SECONDS):
            try:
                self.beat()
                reclaim_dead(self.server, self.keys)
            except redis.RedisError as exc:  # Redis restarting: try again on the next beat
                logger.warning("heartbeat failed: %s", exc)

    def stop(self) -> None:
        """Stop beating and leave; anything still leased goes back to the queue first,
        since leases of a worker that is no longer registered would never be reclaimed."""
        self._stop.set()
        self._thread.join(timeout=5)
        if self.register:
            give_back(self.server, self.keys, self.worker, own=True)
        with self.server.pipeline() as pipe:
            pipe.delete(self.key)
            if self.register:
                pipe.srem(self.keys.workers, self.worker)
            pipe.execute()
