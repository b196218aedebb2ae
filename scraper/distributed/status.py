"""What ``newsarchive status --redis URL`` reports: workers, queues, jobs and the writer's lag.

Read-only: it only looks at the keys scraper.distributed.keys describes.
The writer's lag is the number of stream entries it has not committed yet:
the consumer group's ``lag`` (entries not yet read, Redis 7) plus its
pending entries (read, not yet acknowledged), and the age of the oldest one.
"""

from __future__ import annotations

import json
import time

import redis

from scraper.distributed.keys import DEFAULT_PREFIX, STREAM_GROUP, Keys, connect

__all__ = ["cluster_status"]


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def cluster_status(redis_url: str, *, prefix: str = DEFAULT_PREFIX) -> dict:
    server = connect(redis_url)
    keys = Keys(prefix)
    workers = []
    for raw in sorted(server.smembers(keys.workers)):
        worker = _text(raw)
        beat = server.get(keys.worker(worker))
        info = json.loads(beat) if beat else {}
        workers.append(
            {
                "id": worker,
                "alive": beat is not None,
                "sources": info.get("sources", []),
                "responses": info.get("responses"),
                "in_flight": int(server.hlen(keys.leases(worker))),
                "last_beat_s": round(time.time() - info["beat"], 1) if info else None,
            }
        )
    queues = {}
    suffix = ":requests"
    for key in server.scan_iter(match=keys.queue("*")):
        name = _text(key)
        queues[name[len(prefix) + 1 : -len(suffix)]] = int(server.zcard(key))
    active = {}
    for key in server.scan_iter(match=keys.active("*")):
        active[_text(key).rsplit(":", 1)[1]] = _text(server.get(key) or b"")
    writer_beat = server.get(keys.writer)
    writer = json.loads(writer_beat) if writer_beat else None
    return {
        "workers": workers,
        "queues": dict(sorted(queues.items())),
        "active_jobs": dict(sorted(active.items())),
        "writer": writer,
        "writer_lag": _lag(server, keys),
    }


def _lag(server: redis.Redis, keys: Keys) -> dict:
    """Entries pushed and not yet committed by the writer, and how old the oldest is."""
    try:
        groups = server.xinfo_groups(keys.items)
    except redis.ResponseError:  # no stream yet: nothing was ever pushed
        return {"entries": 0, "oldest_s": None}
    group = next((g for g in groups if _text(g["name"]) == STREAM_GROUP), None)
    if group is None:  # no writer has ever run: everything is behind
        entries = int(server.xlen(keys.items))
        first = server.xrange(keys.items, count=1)
    else:
        entries = int(group.get("lag") or 0) + int(group.get("pending") or 0)
        first = server.xrange(keys.items, count=1) if entries else []
    oldest = None
    if first:
        oldest = round(time.time() - int(_text(first[0][0]).split("-")[0]) / 1000, 1)
    return {"entries": entries, "oldest_s": oldest}
