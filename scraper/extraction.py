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
first page, or as the crawl starts (``eager``: a crawl will fetch pages, a poll
may fetch none), so that the fork server imports and warms the extractor (a
second or so) while the first responses are fetched; pages that come before the
workers are ready wait for them (each is held in the archive as it arrives, so
a killed crawl does not fetch it again). The crawl process never extracts a
page itself, so it never holds the extractor's hundred megabytes; only on a
one-core machine, or when no worker can start, pages are processed in-process
by the same function, in one thread beside the event loop's: results are
identical either way.

Supervised: a worker that dies (the OOM killer's SIGKILL) breaks a
ProcessPoolExecutor for good, failing every page it held; the pool is then replaced,
and each of those pages is retried once, alone, in a worker of its own, so that only
a page that kills that worker too is recorded, with what killed it. A worker killed
while it wrote a result leaves the pool's thread waiting for the rest of it, and the
pool never breaks: a page that waits checks every few seconds that the pool's
workers are alive. Workers ignore SIGINT and SIGTERM (scraper.lifetime): the crawl
decides, and when it stops (:meth:`ExtractionPool.stop`) the pages not yet processed
stay held for the next run and the workers are killed rather than waited for. A
worker ends with the crawl process, however it ended (scraper.lifetime), and may use
NEWSARCHIVE_EXTRACT_MEMORY_MB more memory than it started with (RLIMIT_AS): a page
that needs more is refused with that reason, not given a gigabyte.
The standard library's pool is kept rather than a supervising one
(pebble): its breakage is handled here in one place, and the fork server's
shared memory needs nothing else.

Both the single-process pipeline (scraper.pipelines) and a distributed
worker's (scraper.distributed.pipeline) use :class:`ExtractionPool`.
"""

from __future__ import annotations

import asyncio
import functools
import io
import logging
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from scraper.items import PageItem
from scraper.lifetime import end_with, ignore_interrupts
from scraper.sources import Source, load_registry

if TYPE_CHECKING:
    from archive.fingerprints import Fingerprints

__all__ = [
    "ExtractionPool",
    "ExtractionStopped",
    "PageTooBig",
    "ProcessedPage",
    "WorkerDied",
    "process_page",
    "start_fork_server",
]

logger = logging.getLogger(__name__)


class ExtractionStopped(Exception):
    """The crawl is stopping: the page was not processed (it stays held for the next run)."""


class WorkerDied(Exception):
    """The page's worker died twice (the second time alone): what killed it."""


class PageTooBig(Exception):
    """The page needs more memory than an extraction worker may use."""


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


@functools.lru_cache(maxsize=8)
def _registry(sources_files: tuple[str, ...]) -> dict[str, Source]:
    return load_registry(list(sources_files))


# libxml2 (lxml) keeps this many levels of elements unless told to parse huge trees;
# deeper ones are dropped. The extractor's parsers keep the limit (a bound on a worker's
# memory): a page whose text lies deeper is refused with that reason.
_PARSER_DEPTH = 256


def _too_deep(body: bytes) -> bool:
    """Whether the page nests elements as deep as the HTML parser's limit (a second parse,
    made only for pages judged to hold too little text)."""
    from lxml import etree

    depth = 0
    events = etree.iterparse(io.BytesIO(body), events=("start", "end"), html=True, huge_tree=True)
    for event, _element in events:
        depth += 1 if event == "start" else -1
        if depth >= _PARSER_DEPTH:
            return True
    return False


def _refusing_pages_too_big(process: Callable[..., ProcessedPage]) -> Callable[..., ProcessedPage]:
    """A page that needs more memory than the worker may use (its RLIMIT_AS) is refused
    as too big, and the worker goes on with the next page."""

    @functools.wraps(process)
    def refusing(body: bytes, *args, **kwargs) -> ProcessedPage:
        try:
            return process(body, *args, **kwargs)
        except MemoryError:
            raise PageTooBig(
                f"the page ({len(body):,} bytes) needs more memory than an extraction worker "
                "may use (NEWSARCHIVE_EXTRACT_MEMORY_MB)"
            ) from None

    return refusing


@_refusing_pages_too_big
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
    """Decode, extract, fingerprint and compress one page: the pool's task (module-level,
    so that it pickles).

    The fetch time is the extraction's "now": relative dates ("2 hours ago")
    count from it, and it bounds plausible publication dates. ``follow``: the crawl
    follows the page's article links, which are read from the same parse.
    """
    # Imported here, where pages are processed: a crawl that fetches no page (a poll
    # whose feeds answer 304) never loads the extractor.
    from archive.bodies import body_key, compress
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
        if "too little text" in (extraction.get("not_article_reason") or "") and _too_deep(body):
            extraction["not_article_reason"] = (
                f"nested deeper than {_PARSER_DEPTH} elements: the HTML parser drops what "
                "lies deeper, and the text with it"
            )
        return ProcessedPage(extraction, encoding, links=links)
    return ProcessedPage(
        extraction,
        encoding,
        body_key(body),
        compress(body),
        fingerprint(extraction, body, url),
        links,
    )


def _start_worker(sources_files: tuple[str, ...], memory_mb: int, crawl_pid: int) -> None:
    """Before the first page: interrupts left to the crawl, an end with the crawl process,
    the memory bound; the registry read, the extractor imported."""
    ignore_interrupts()
    end_with(crawl_pid)
    if memory_mb:
        _limit_memory(memory_mb)
    import scraper.extract.page  # noqa: F401

    _registry(sources_files)


def _limit_memory(memory_mb: int) -> None:
    """Let this worker map ``memory_mb`` more than it has now: what it shares with the fork
    server is counted in its address space too. Past it, allocations fail (MemoryError)."""
    import resource

    try:
        with open("/proc/self/statm") as statm:
            mapped = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:  # no /proc (not Linux): no bound
        return
    limit = mapped + memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _ready() -> bool:
    return True


def _processes(pool: ProcessPoolExecutor) -> list[multiprocessing.Process]:
    """A pool's worker processes (the standard library's pool has no public way)."""
    return list((pool._processes or {}).values())


def _death(pool: ProcessPoolExecutor) -> str:
    """What ended the dead workers of a broken pool, e.g. "killed by signal 9 (SIGKILL)"."""
    reasons = set()
    for process in _processes(pool):
        code = process.exitcode  # None: alive (busy with another page)
        if code and code < 0:
            oom = ", as the out-of-memory killer does" if -code == signal.SIGKILL else ""
            reasons.add(f"killed by signal {-code} ({signal.Signals(-code).name}{oom})")
        elif code:
            reasons.add(f"exited with code {code}")
    return "; ".join(sorted(reasons)) or "ended without a status"


# How often a page that waits for a worker checks that the pool's workers are alive.
_DEATH_CHECK_SECONDS = 5.0


def _dead_worker(pool: ProcessPoolExecutor) -> bool:
    """Whether one of the pool's workers has ended (a crawl's workers end only with it)."""
    return any(process.exitcode is not None for process in _processes(pool))


def _discard(pool: ProcessPoolExecutor) -> None:
    """Kill a pool's workers and let it go, without waiting for the pages they hold.

    Its workers ignore SIGTERM, which is what a broken pool sends them, so they are
    killed here (Python 3.14's ``kill_workers()``); a page half-written to a dead
    worker's pipe must not hold up the pool's threads (what Python 3.12 does itself,
    gh-94777); nor may a result half-written by a worker killed as it answered: the
    pool's thread would wait for its end forever, and the process with it at exit
    (joining that thread). This process's copy of the results pipe's writing end is
    closed, so with the workers dead the thread reads the end of the pipe and
    gives up."""
    if pool._call_queue is None:  # discarded already (a second stop)
        return
    pool._call_queue.cancel_join_thread()
    results = pool._result_queue
    for process in _processes(pool):
        if process.exitcode is None:
            process.kill()
    results._writer.close()
    pool.shutdown(wait=False, cancel_futures=True)


def _read_outcome(answer: asyncio.Future) -> None:
    """Read a task's outcome nobody waits for any more (the crawl stopped): asyncio
    would otherwise log its exception as never retrieved."""
    if not answer.cancelled():
        answer.exception()


def _worker_context() -> multiprocessing.context.BaseContext:
    """Workers forked from a server that holds the extractor, warm (scraper.
    extraction_server): they share its memory. Where there is no fork (Windows),
    spawned."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["scraper.extraction_server"])
    return context


def start_fork_server(workers: int) -> None:
    """Start the workers' fork server now, if the crawl will have workers (``workers``:
    0 means one per core): it imports and warms the extractor while the crawl imports
    Scrapy and reads robots.txt, feeds and sitemaps, so the first page waits less for a
    worker. The pool's workers come from this server when they start."""
    if (workers or os.cpu_count() or 1) <= 1:
        return
    if _worker_context().get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()


class ExtractionPool:
    """The crawl process's extraction workers (``workers``: 0 means one per core),
    started with the first page, or at once when ``eager`` (a crawl, which will fetch
    pages: the workers start while the first responses arrive); a poll that fetches no
    page starts none. ``memory_mb``: how much more than it starts with a worker may use
    (0: no bound)."""

    def __init__(
        self,
        workers: int,
        sources_files: tuple[str, ...],
        memory_mb: int = 0,
        *,
        eager: bool = False,
    ) -> None:
        self.workers = workers or os.cpu_count() or 1
        self.sources_files = tuple(sources_files)
        self.memory_mb = memory_mb
        self.pool: ProcessPoolExecutor | None = None  # set once its first worker is up
        self.ready: Future | None = None  # done when the pool is (or failed to start)
        self._starter: threading.Thread | None = None
        # One thread: the extractor's lazily built state is not made for concurrent use.
        self.here = ThreadPoolExecutor(1, thread_name_prefix="extraction")
        self.pages = 0
        # A page whose worker died is retried alone, in a worker of its own, one at a time:
        # if that worker dies too, the page killed it.
        self.retry_pool: ProcessPoolExecutor | None = None
        self._retrying: asyncio.Lock | None = None
        self.stopping = False
        self._waiting: set[asyncio.Future] = set()
        if eager and self.workers > 1:
            self._start()

    def _new_pool(self, workers: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            workers,
            mp_context=_worker_context(),
            initializer=_start_worker,
            initargs=(self.sources_files, self.memory_mb, os.getpid()),
        )

    def _start(self) -> None:
        """Start the workers in a thread of their own: starting a process blocks until the
        fork server has imported and warmed the extractor (a second or so), which the
        crawl's event loop must not wait for."""
        self.ready = Future()
        self._starter = threading.Thread(target=self._open, name="extraction-pool", daemon=True)
        self._starter.start()

    def _open(self) -> None:
        for attempt in (1, 2):  # a worker killed as it starts: once more
            pool = self._new_pool(self.workers)
            try:
                pool.submit(_ready).result()
            except BaseException as exc:
                death = _death(pool) if isinstance(exc, BrokenProcessPool) else None
                _discard(pool)
                if death and attempt == 1:
                    logger.warning("an extraction worker died as it started (%s)", death)
                    continue
                # The pool never works: pages stay in-process.
                logger.warning("no extraction worker started (%s: %s)", type(exc).__name__, exc)
                self.ready.set_exception(exc)
                return
            if self.stopping:  # the crawl stopped while its workers started
                _discard(pool)
            else:
                self.pool = pool
            self.ready.set_result(True)
            return

    async def process(
        self, item: PageItem, sources_files: tuple[str, ...], *, follow: bool = False
    ) -> ProcessedPage:
        """Process one page with the registry of ``sources_files`` (its spider's);
        ``follow``: with the links to follow (process_page). Raises ExtractionStopped when
        the crawl stops first, WorkerDied when the page killed its worker twice."""
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
        pool = await self._workers()
        try:
            # No worker (one core, or none could start): in this process, but off the
            # event loop's thread, which goes on reading (and holding) the responses.
            return await self._wait(pool or self.here, args)
        except BrokenProcessPool:
            if self.stopping:
                raise ExtractionStopped from None
            if pool is self.pool:  # the first of its pages to hear of it replaces it
                logger.warning(
                    "an extraction worker died (%s): its pages are retried, the pool replaced",
                    _death(pool),
                )
                _discard(pool)
                self.pool, self.ready = None, None
        return await self._retry(args)

    async def _workers(self) -> ProcessPoolExecutor | None:
        """The pool, once its first worker is up (started now if it is not); None on a
        one-core machine or when no worker could start."""
        if self.workers <= 1:
            return None
        if self.ready is None:
            self._start()
        try:
            await asyncio.wrap_future(self.ready)
        except Exception:  # logged by _open: pages stay in-process
            return None
        return self.pool

    async def _retry(self, args: tuple) -> ProcessedPage:
        """The page again, alone in a worker of its own."""
        self._retrying = self._retrying or asyncio.Lock()
        async with self._retrying:
            self.retry_pool = self.retry_pool or self._new_pool(1)
            try:
                return await self._wait(self.retry_pool, args)
            except BrokenProcessPool:
                if self.stopping:
                    raise ExtractionStopped from None
                death = _death(self.retry_pool)
                _discard(self.retry_pool)
                self.retry_pool = None
                raise WorkerDied(f"the extraction worker was {death}, twice") from None

    async def _wait(self, executor, args: tuple) -> ProcessedPage:
        if self.stopping:
            raise ExtractionStopped
        answer = asyncio.wrap_future(executor.submit(process_page, *args))
        answer.add_done_callback(_read_outcome)
        # A stop cancels the wait, not the pool's task: Python 3.11's pool, finding its
        # workers killed, fails every task it holds and raises on a cancelled one
        # (InvalidStateError, printed with a traceback; Python 3.12 ignores it).
        waiting = asyncio.shield(answer)
        self._waiting.add(waiting)
        try:
            while True:
                done, _ = await asyncio.wait({waiting}, timeout=_DEATH_CHECK_SECONDS)
                if done:
                    return waiting.result()
                if isinstance(executor, ProcessPoolExecutor) and _dead_worker(executor):
                    # A worker killed while it wrote a result leaves the pool's thread
                    # waiting for the rest of it: the pool never learns it is broken.
                    raise BrokenProcessPool("an extraction worker died")
        except asyncio.CancelledError:
            if self.stopping:
                raise ExtractionStopped from None
            raise
        finally:
            self._waiting.discard(waiting)

    def stop(self) -> None:
        """The crawl is stopping: no page is processed any more, those waiting for a worker
        give up (ExtractionStopped: they stay held), and the workers are killed, not waited
        for. A page being processed in this process's thread ends on its own."""
        self.stopping = True
        for waiting in list(self._waiting):
            waiting.cancel()
        for pool in (self.pool, self.retry_pool):
            if pool is not None:
                _discard(pool)

    def shutdown(self) -> None:
        if self.ready is not None:
            self._starter.join()
        for pool in (self.pool, self.retry_pool):
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)
        self.here.shutdown(wait=True, cancel_futures=True)
        self.pool = self.ready = self.retry_pool = None
