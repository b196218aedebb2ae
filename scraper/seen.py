"""The URLs a crawl has seen this run, kept as 64-bit digests rather than as strings.

A backfill remembers every article it requested (so that each is fetched once)
and every article each listing showed (so that a pager past the end, which
repeats pages, stops it). Held as URL strings, a set grows by 156 bytes an
article (the benchmark site's 50,315 URLs: 7.8 MB); as 64-bit integers by 78.
The digest is BLAKE2b's (hashlib): the same in every process, so a distributed
worker can hand a listing's digests to another in a request's meta. Two of a
million URLs share a digest with a chance of about 3 in 100 million; the cost
would be one article not fetched in that run, found by the next.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

__all__ = ["SeenUrls"]


def _digest(url: str) -> int:
    return int.from_bytes(hashlib.blake2b(url.encode("utf-8"), digest_size=8).digest(), "big")


class SeenUrls:
    """A set of URLs (add, discard, ``in``), or of the digests :meth:`digests` gave."""

    __slots__ = ("_digests",)

    def __init__(self, urls: Iterable[str] = (), *, digests: Iterable[int] = ()) -> None:
        self._digests = {_digest(url) for url in urls}
        self._digests.update(digests)

    def add(self, url: str) -> None:
        self._digests.add(_digest(url))

    def discard(self, url: str) -> None:
        self._digests.discard(_digest(url))

    def clear(self) -> None:
        self._digests.clear()

    def digests(self) -> list[int]:
        """The digests, sorted: what another process passes back to ``SeenUrls(digests=)``."""
        return sorted(self._digests)

    def __contains__(self, url: object) -> bool:
        return isinstance(url, str) and _digest(url) in self._digests

    def __len__(self) -> int:
        return len(self._digests)
