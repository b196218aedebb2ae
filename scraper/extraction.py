"""Extraction off the crawl's thread: every CPU-bound step of a page, in a process pool.

A fetched page costs: decoding its bytes (scraper.charset), extraction
(scraper.extract), the record's fingerprints (content hash, simhash, the
story linker's MinHash, names and page links: archive.fingerprints, one
value the writer stores as it is) and the capture's SHA-256 and compressed
body. All of it runs in a worker process,
so the crawl process's one thread only moves bytes and writes the archive.
The pool is the standard library's ProcessPoolExecutor; its workers are forked
from a server process that imported the extractor and warmed it up
(scraper.extraction_server), so they share those megabytes instead of each
building its own copy (the crawl process itself runs threads: it is never
forked). Each worker loads the registry once (an initializer),
so a task carries a source id, not a pickled Source. The pool starts with the
second page; the first page, those that come until the workers are ready (the fork
server imports and warms the extractor for a second or two), and every page on a
one-core machine are processed in-process by the same function, in one thread
beside the event loop's: results are identical either way, and the loop goes on
reading responses (a page is held in the archive as it arrives, so a killed
crawl does not fetch it again).

Both the single-process pipeline (scraper.pipelines) and a distributed
worker's (scraper.distributed.pipeline) use :class:`ExtractionPool`.
"""

from __future__ import annotations

import asyncio
import hashlib
import multiprocessing
import os
import threading
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING

from scraper.items import PageItem
from scraper.sources import Source, load_registry

if TYPE_CHECKING:
    from archive.fingerprints import Fingerprints

__all__ = ["ExtractionPool", "ProcessedPage", "process_page"]


@dataclass
class ProcessedPage:
    """What a worker sends back for one page."""

    extraction: dict  # archive.record.Extraction
    encoding: str  # the charset the bytes were decoded with
    sha256: str | None = None  # of the body, for the capture (articles only)
    compressed: bytes | None = None
    # Content hash, simhash and story features (articles only): the record's, made once.
    fingerprints: Fingerprints | None = None
    # The page's links that may be articles, when the crawl follows them (any page).
    links: list[str] = field(default_factory=list)


@lru_cache(maxsize=8)
def _registry(sources_files: tuple[str, ...]) -> dict[str, Source]:
    return load_registry(list(sources_files))


def process_page(
    body: bytes,
    declared_encoding: str | None,
    url: str,
    source_id: str | None,
    sources_files: tuple[str, ...],
    hints: dict,
    fetched_at: str,
    follow: bool = False,
) -> ProcessedPage:
    """The pool's task (module-level, so that it pickles).

    The fetch time is the extraction's "now": relative dates ("2 hours ago")
    count from it, and it bounds plausible publication dates. ``follow``: the crawl
    follows the page's article links, which are read from the same parse.
    """
    # Imported here, where pages are processed: a crawl that fetches no page (a poll
    # whose feeds answer 304) never loads the extractor.
    from archive.captures import compress
    from archive.fingerprints import fingerprint
    from scraper.charset import decode_page
    from scraper.extract import extract

    html, encoding = decode_page(body, declared_encoding)
    # No source: extract() recognises it from the URL's host, or uses no rules.
    source = _registry(sources_files)[source_id] if source_id else None
    extraction = extract(
        html, url, source, hints=hints, now=datetime.fromisoformat(fetched_at), links=follow
    )
    links = extraction.pop("links", None) or []
    if not extraction.get("is_article"):
        return ProcessedPage(extraction, encoding, links=links)
    return ProcessedPage(
        extraction,
        encoding,
        hashlib.sha256(body).hexdigest(),
        compress(body),
        fingerprint(extraction, body, url),
        links,
    )


def _start_worker(sources_files: tuple[str, ...]) -> None:
    """Before the first page: read the registry files and import the extractor."""
    import scraper.extract.page  # noqa: F401

    _registry(sources_files)


def _ready() -> bool:
    return True


def _worker_context() -> multiprocessing.context.BaseContext:
    """Workers forked from a server that holds the extractor, warm (scraper.
    extraction_server): they share its memory. Where there is no fork (Windows),
    spawned."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["scraper.extraction_server"])
    return context


class ExtractionPool:
    """The crawl process's extraction workers (``workers``: 0 means one per core),
    started on the second page: a poll that fetches no page starts none, and a crawl of
    one page does not wait a second or two for workers it would never use."""

    def __init__(self, workers: int, sources_files: tuple[str, ...]) -> None:
        self.workers = workers or os.cpu_count() or 1
        self.sources_files = tuple(sources_files)
        self.pool: ProcessPoolExecutor | None = None  # set once its first worker is up
        self.ready: Future | None = None  # done when the pool is (or failed to start)
        self._starter: threading.Thread | None = None
        # One thread: the extractor's lazily built state is not made for concurrent use.
        self.here = ThreadPoolExecutor(1, thread_name_prefix="extraction")
        self.pages = 0

    def _start(self) -> None:
        """Start the workers in a thread of their own: starting a process blocks until the
        fork server has imported and warmed the extractor (a second or two), which the
        crawl's event loop must not wait for; pages are processed in-process meanwhile."""
        self.ready = Future()
        self._starter = threading.Thread(target=self._open, name="extraction-pool", daemon=True)
        self._starter.start()

    def _open(self) -> None:
        pool = ProcessPoolExecutor(
            self.workers,
            mp_context=_worker_context(),
            initializer=_start_worker,
            initargs=(self.sources_files,),
        )
        try:
            pool.submit(_ready).result()
        except BaseException as exc:  # the pool never works: pages stay in-process
            pool.shutdown(wait=False, cancel_futures=True)
            self.ready.set_exception(exc)
            return
        self.pool = pool
        self.ready.set_result(True)

    async def process(
        self, item: PageItem, sources_files: tuple[str, ...], *, follow: bool = False
    ) -> ProcessedPage:
        """Process one page with the registry of ``sources_files`` (its spider's);
        ``follow``: with the links to follow (process_page)."""
        args = (
            item.body,
            item.encoding,
            item.url,
            item.source,
            tuple(sources_files),
            item.hints,
            item.fetched_at,
            follow,
        )
        self.pages += 1
        if self.workers > 1 and self.ready is None and self.pages >= 2:
            self._start()
        # Not started, or not ready yet: in this process, but off the event loop's thread,
        # which goes on reading (and holding) the responses that arrive meanwhile.
        executor = self.pool or self.here
        return await asyncio.wrap_future(executor.submit(process_page, *args))

    def shutdown(self) -> None:
        if self.ready is not None:
            self._starter.join()
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
        self.here.shutdown(wait=True, cancel_futures=True)
        self.pool = self.ready = None
