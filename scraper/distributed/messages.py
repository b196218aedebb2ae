"""What workers send the writer: one Redis stream entry per item, each pushed once per job.

An entry has the fields ``kind`` (page, feed, failure, alias, listing),
``job``, ``data`` (JSON: the extraction, its fingerprints and the capture's
metadata for a page, the item's fields otherwise) and, for a page, ``body``:
the page as fetched, already zlib-compressed and hashed by the worker
(archive.captures.compress, SHA-256), so the writer spends no CPU on it. The
fingerprints (content hash, simhash, story features) are the worker's
archive.fingerprints value in its JSON form; the writer checks and stores
them, it never computes them again. JSON rather than pickle: the
writer never runs code from Redis, and entries can be read with redis-cli.

A worker that dies after pushing a page but before finishing its request has
the request fetched again by another worker; ``Outbox.push`` adds an item to
the stream only if the job's set of pushed items did not hold it yet (one
Lua script, so the check and the add are one step), so the archive gets each
page once. A page is known by its request's canonical URL; other items by
their content.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from typing import Any

import redis

from archive.bodies import compress
from archive.captures import Capture
from archive.fingerprints import FingerprintError, Fingerprints
from archive.urls import canonicalize
from scraper.distributed.keys import Keys
from scraper.extraction import ProcessedPage
from scraper.items import AliasItem, FailureItem, FeedStateItem, ListingProgressItem, PageItem

__all__ = ["KINDS", "Message", "Outbox", "decode", "item_message", "page_message"]

KINDS = {
    FeedStateItem: "feed",
    FailureItem: "failure",
    AliasItem: "alias",
    ListingProgressItem: "listing",
}
# How long an unfinished job's set of pushed items is kept (the writer deletes it at
# the job's end); only a job abandoned for good reaches it.
PUSHED_TTL_SECONDS = 30 * 24 * 3600

_PUSH = """
if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return false end
redis.call('EXPIRE', KEYS[1], ARGV[2])
local fields = {}
for i = 3, #ARGV do fields[#fields + 1] = ARGV[i] end
return redis.call('XADD', KEYS[2], '*', unpack(fields))
"""


@dataclass
class Message:
    kind: str
    job: str
    data: dict[str, Any]
    body: bytes | None = None

    @property
    def source(self) -> str:
        return self.data["source"]

    def guard(self) -> str:
        """What makes two messages the same item."""
        if self.kind == "page":
            return "page " + canonicalize(self.data["capture"]["requested_url"])
        digest = hashlib.sha1(json.dumps(self.data, sort_keys=True).encode()).hexdigest()
        return f"{self.kind} {digest}"

    def fields(self) -> dict[str, Any]:
        # UTF-8, not \u escapes: an Arabic page's text and search columns are a third the size.
        data = json.dumps(self.data, ensure_ascii=False)
        fields = {"kind": self.kind, "job": self.job, "data": data}
        if self.body is not None:
            fields["body"] = self.body
        return fields

    def capture(self) -> Capture:
        """A page's capture, as the single-process pipeline builds it."""
        meta = self.data["capture"]
        return Capture(
            url=meta["url"],
            status=meta["status"],
            body=None,  # decompressed only if something reads it: storing it does not
            size=meta.get("size"),
            fetched_at=meta["fetched_at"],
            requested_url=meta["requested_url"],
            content_type=meta["content_type"],
            encoding=meta["encoding"],
            headers=[tuple(h) for h in meta["headers"]],
            request_headers=[tuple(h) for h in meta["request_headers"]],
            sha256=meta["sha256"],
            compressed=self.body,
        )

    def fingerprints(self) -> Fingerprints | None:
        """A page's fingerprints as its worker made them, checked; None for a page that is
        not an article. FingerprintError (one line) when an article's are missing or
        malformed: the writer refuses the page rather than computing them itself."""
        raw = self.data.get("fingerprints")
        if raw is None:
            if self.data["extraction"].get("is_article", True):
                raise FingerprintError(
                    "malformed fingerprints: an article's page message has none "
                    "(a worker older than the writer?)"
                )
            return None
        return Fingerprints.from_json(raw)


def page_message(item: PageItem, page: ProcessedPage, job: str) -> Message:
    """The message for a processed page; the worker computed its fingerprints, digest and
    compressed body."""
    capture = Capture(url=item.url, status=item.status, body=item.body, sha256=page.sha256)
    data = {
        "source": item.source,
        "extraction": page.extraction,
        "fingerprints": page.fingerprints.to_json() if page.fingerprints else None,
        "seen_as": [list(pair) for pair in item.seen_as],
        "capture": {
            "url": item.url,
            "status": item.status,
            "fetched_at": item.fetched_at,
            "requested_url": item.requested_url,
            "content_type": item.content_type,
            "encoding": page.encoding,
            "headers": [list(h) for h in item.headers],
            "request_headers": [list(h) for h in item.request_headers],
            "sha256": capture.digest(),
            "size": len(item.body),
        },
    }
    return Message("page", job, data, page.compressed or compress(item.body))


def item_message(item: Any, job: str) -> Message | None:
    """The message for a non-page item, or None for items the archive does not take
    from a distributed crawl (Redis keeps its frontier)."""
    kind = KINDS.get(type(item))
    if kind is None:
        return None
    return Message(kind, job, dataclasses.asdict(item))


def decode(fields: dict[bytes, bytes]) -> Message:
    return Message(
        kind=fields[b"kind"].decode(),
        job=fields[b"job"].decode(),
        data=json.loads(fields[b"data"]),
        body=fields.get(b"body"),
    )


class Outbox:
    """Pushes a worker's messages onto the writer's stream, each at most once per job."""

    def __init__(self, server: redis.Redis, keys: Keys) -> None:
        self.server = server
        self.keys = keys
        self._push = server.register_script(_PUSH)

    def push(self, message: Message) -> bool:
        """Add the message to the stream; False when the job had it already."""
        flat: list[Any] = []
        for name, value in message.fields().items():
            flat += [name, value]
        added = self._push(
            keys=[self.keys.pushed(message.job), self.keys.items],
            args=[message.guard(), PUSHED_TTL_SECONDS, *flat],
        )
        return bool(added)

    def backlog(self) -> int:
        """Entries in the stream (pushed and not yet committed by the writer)."""
        return int(self.server.xlen(self.keys.items))
