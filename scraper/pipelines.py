"""Item -> extract -> archive: the crawl's single writer.

Extraction is CPU-bound, so pages are processed in a pool of worker
processes (scraper.extraction) while Scrapy keeps fetching; the pipeline
pauses the engines when more pages wait than the workers can take. The
archive is written by this pipeline only, in batched
transactions (archive.store), and every outcome and failure is counted in the
run's crawl_runs row.
"""

from __future__ import annotations

import logging

from scrapy import signals
from twisted.internet import task

from archive.captures import Capture
from archive.ingest import ingest_page
from archive.store import Archive, ArchiveError
from scraper.challenges import BLOCKED, blocked_reasons
from scraper.extraction import ExtractionPool, ExtractionStopped
from scraper.failures import hosts_down, hosts_down_error, stopped_answering
from scraper.items import (
    AliasItem,
    FailureItem,
    FeedStateItem,
    LinkItem,
    ListingProgressItem,
    PageItem,
    PageReadItem,
)
from scraper.spiders.base import ALIAS

logger = logging.getLogger(__name__)


class _SharedResources:
    """One Archive (the single writer) and one extraction pool per crawl process.

    A crawl of several sources runs one spider, hence one pipeline, per source
    in the same process and thread; they share the archive connection, so
    batches never contend for SQLite's write lock, and share the worker pool.
    """

    def __init__(self) -> None:
        self.users = 0
        self.archive: Archive | None = None
        self.pool: ExtractionPool | None = None
        # Backpressure: pages fetched and not yet stored, and the engines to pause when
        # too many wait. A page waiting costs memory, and is lost work if the crawl dies.
        self.pending_pages = 0
        self.max_pending_pages = 1
        self.engines: list = []
        self.pipelines: list[ArchivePipeline] = []  # open ones, closed by close_runs_now

    def page_started(self) -> None:
        self.pending_pages += 1
        if self.pending_pages >= self.max_pending_pages:
            for engine in self.engines:
                engine.pause()

    def page_done(self) -> None:
        self.pending_pages -= 1
        if self.pending_pages < self.max_pending_pages:
            for engine in self.engines:
                if engine.paused:
                    engine.unpause()

    def acquire(
        self,
        db_path: str,
        batch_size: int,
        batch_seconds: float,
        workers: int,
        sources_files: tuple[str, ...],
        memory_mb: int,
        eager: bool,
    ) -> tuple[Archive, ExtractionPool]:
        if self.users == 0:
            self.archive = Archive(db_path, batch_size=batch_size, max_batch_seconds=batch_seconds)
            # A batch is committed when it is due even if no further write comes.
            self.committer = task.LoopingCall(self.archive.flush_if_due)
            self.committer.start(max(batch_seconds / 2, 0.1), now=False)
            self.pool = ExtractionPool(workers, sources_files, memory_mb, eager=eager)
            # Enough pages in hand to keep every worker busy, and no more.
            self.max_pending_pages = 2 * self.pool.workers + 2
        self.users += 1
        return self.archive, self.pool

    def release(self) -> None:
        self.users -= 1
        if self.users == 0:
            self.committer.stop()
            self.pool.shutdown()
            self.archive.close()
            self.archive = self.pool = None


_shared = _SharedResources()


def stop_extraction() -> None:
    """The crawl is stopping (Ctrl-C, SIGTERM: scraper.crawl): pages not yet processed
    stay held for the next run instead of keeping the crawl waiting for workers."""
    if _shared.pool is not None:
        _shared.pool.stop()


def close_runs_now() -> None:
    """The crawl ends before its spiders close (downloads that would not end, a second
    Ctrl-C: scraper.crawl): each run is closed now as interrupted, with what it did."""
    for pipeline in list(_shared.pipelines):
        pipeline.spider_closed(pipeline.spider, "shutdown")


_STORED = ("new", "unchanged", "revised", "alias", "near_duplicate")


def judge_run(
    reason: str, counts: dict[str, int], stats: dict, failures: list[dict], resumed: bool = False
) -> tuple[str, str | None]:
    """A run's status and error from what it did: a run that achieved nothing fails loudly.

    failed: no request got an answer, or article pages were fetched and none was
    archived because they failed, or an anti-bot service answered instead of the
    site (the error then says "blocked: <vendor>", also on a run that finished), or
    the site stopped answering before any page was archived (the error names the host,
    also on a run that finished);
    empty: the feeds, sitemaps and listings gave no article link at all, or every
    article page turned out not to be one.
    """
    if reason != "finished":
        return "interrupted", f"the crawl stopped early ({reason}); run it again to continue"
    requests = stats.get("downloader/request_count", 0)
    answered = stats.get("response_received_count", 0)
    stored = sum(counts.get(k, 0) for k in _STORED)
    links = stats.get("newsarchive/article_links", 0) + stats.get("newsarchive/skipped_known", 0)
    first = f"; first: {failures[0]['url']}: {failures[0]['error']}" if failures else ""
    problems = f"{len(failures)} failure{'s' if len(failures) != 1 else ''}{first}"
    if blocked := blocked_reasons(f["error"] for f in failures):
        # An anti-bot service answered instead of the site: said as such, whatever else
        # the run did (a run that archived pages before the challenge began finished).
        where = next(f["url"] for f in failures if f["error"] in blocked)
        return "finished" if stored else "failed", f"{', '.join(blocked)} (first: {where})"
    if not_made := [f for f in failures if stopped_answering(f["error"])]:
        # The site stopped answering halfway: the run keeps what it archived before.
        hosts = hosts_down(f["error"] for f in not_made)
        error = hosts_down_error(hosts, len(not_made), not_made[0]["url"])
        return "finished" if stored else "failed", error
    if requests and not answered:
        return "failed", f"no request got an answer ({problems})"
    if resumed:
        # The interrupted runs did the rest of the job: this one's share may be small,
        # or all of it failures (a deleted page), without the job having failed.
        return "finished", None
    if stats.get("newsarchive/article_links", 0) and not stored:
        if counts.get("failed"):
            return "failed", f"found article links but archived none ({problems})"
        return "empty", f"fetched {counts.get('not_article', 0)} pages, none was an article"
    if not links and not counts.get("not_modified") and not stored:
        return "empty", "the feeds, sitemaps and listings gave no article link" + (
            f" ({problems})" if failures else ""
        )
    return "finished", None


def record_source_outcome(archive: Archive, source: str, run: dict) -> None:
    """The source's health after a finished run (``run``: its crawl_runs row): ok, hard
    (failed or empty), blocked (an anti-bot service answered, even halfway), or
    temporary (the site stopped answering, even halfway)."""
    error = run.get("error")
    blocked = bool(error and error.startswith(BLOCKED))
    down = stopped_answering(error)
    if run["status"] == "finished" and not blocked and not down:
        archive.update_source(source, last_success=run["finished"], last_outcome="ok")
    elif blocked or down or run["status"] in ("failed", "empty"):
        outcome = "blocked" if blocked else "temporary" if down else "hard"
        archive.update_source(
            source, last_error=error, last_error_at=run["finished"], last_outcome=outcome
        )


class ArchivePipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        settings = crawler.settings
        self.db_path = settings.get("NEWSARCHIVE_DB")
        self.batch_size = settings.getint("NEWSARCHIVE_BATCH_SIZE")
        self.batch_seconds = settings.getfloat("NEWSARCHIVE_BATCH_SECONDS", 1.0)
        self.workers = settings.getint("NEWSARCHIVE_EXTRACT_WORKERS", 0)
        self.worker_memory_mb = settings.getint("NEWSARCHIVE_EXTRACT_MEMORY_MB", 0)
        self.run_kind = settings.get("NEWSARCHIVE_RUN_KIND", "crawl")
        self.sources_files = tuple(settings.getlist("NEWSARCHIVE_SOURCES"))
        self.archive: Archive | None = None
        self.pool: ExtractionPool | None = None
        self.run_id: int | None = None

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(crawler)
        # The run's row is finished on spider_closed, which carries the reason
        # (finished, shutdown, ...); pipelines close before it is known.
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    @property
    def spider(self):
        return self.crawler.spider

    def open_spider(self) -> None:
        self.archive, self.pool = _shared.acquire(
            self.db_path,
            self.batch_size,
            self.batch_seconds,
            self.workers,
            self.sources_files,
            self.worker_memory_mb,
            # A poll may fetch no page (its feeds answer 304): it starts no worker for that.
            eager=self.run_kind != "poll",
        )
        _shared.engines.append(self.crawler.engine)
        _shared.pipelines.append(self)
        source = self.spider.source
        self.archive.sync_sources([source.row()])
        job = self.crawler.settings.get("NEWSARCHIVE_JOB")
        self.run_id = self.archive.start_run(self.run_kind, source.id, job)

    def spider_closed(self, spider, reason: str) -> None:
        if self.archive is None:
            return
        try:
            if self.run_id is not None:  # else the run never started (its error is known)
                self.finish_run(reason)
        finally:
            _shared.engines.remove(self.crawler.engine)
            _shared.pipelines.remove(self)
            _shared.release()
            self.archive = None

    def finish_run(self, reason: str) -> None:
        # The run's aliases (and a resumed run's), read back from the frontier, where each
        # waited for its article: a backfill's are not all held in memory.
        source = self.spider.source.id
        since = self.spider.resumed_from or self.archive.run(self.run_id)["started"]
        for url, alias in self.archive.frontier_links(source, since, ALIAS):
            if self.archive.add_alias(alias["canonical"], url, alias.get("kind")):
                self.archive.count(self.run_id, "alias")
        stats = self.crawler.stats
        self.archive.count(self.run_id, "requests", stats.get_value("downloader/request_count", 0))
        status, error = judge_run(
            reason,
            self.archive.counts(self.run_id),
            stats.get_stats(),
            self.archive.failures(self.run_id),
            resumed=bool(self.spider.resumed_from),
        )
        summary = self.archive.finish_run(self.run_id, status=status, error=error)
        if status != "interrupted":
            self.archive.clear_frontier(source)  # complete: nothing left to resume
        record_source_outcome(self.archive, source, summary)
        stats.set_value("newsarchive/run", summary)

    async def process_item(self, item):
        try:
            if isinstance(item, PageItem):
                await self.store_page(item)
            elif isinstance(item, FeedStateItem):
                self.store_feed_state(item)
            elif isinstance(item, FailureItem):
                self.store_failure(item)
            elif isinstance(item, AliasItem):
                # Recorded when the run ends (finish_run), its article stored by then; kept
                # in the frontier till then, committed at once: a killed run's aliases are
                # not lost, even when their article was stored before the kill (its next
                # run does not fetch it again, so would not find the alias again).
                if item.url not in self.spider.resumed_aliases:
                    hints = {"canonical": item.canonical, "kind": item.kind}
                    self.archive.add_link(item.source, item.url, ALIAS, hints, [])
                    self.archive.flush()
            elif isinstance(item, LinkItem):
                self.archive.add_link(item.source, item.url, item.via, item.hints, item.seen_as)
            elif isinstance(item, PageReadItem):
                self.archive.mark_read(item.source, item.url)
                # Committed at once with the page's links (same batch): a discovery page is
                # read once, and a kill a moment after reading it costs no second fetch.
                self.archive.flush()
            elif isinstance(item, ListingProgressItem):
                self.archive.save_listing_progress(
                    item.source, item.listing, item.since, item.page, item.completed
                )
                self.archive.flush()
        except ArchiveError as exc:
            # The archive refused a write (disk full, ...): report it, keep crawling;
            # committed data is intact and the page is fetched again next run.
            logger.error("%s: %s: archive write failed: %s", item.source, item.url, exc)
            self.archive.count(self.run_id, "failed")
            self.crawler.stats.inc_value("newsarchive/store_failed")
        return item

    async def store_page(self, item: PageItem) -> None:
        _shared.page_started()
        try:
            await self._store_page(item)
        finally:
            _shared.page_done()

    async def _store_page(self, item: PageItem) -> None:
        if item.held is None:
            # Held before extraction: a crawl killed while the page waits for a worker
            # (past its batch's commit) stores it on its next run, without fetching it.
            item.held = self.archive.hold_page(
                item.source, item.url, item.fetch_fields(), item.body
            )
        files = self.sources_files + tuple(filter(None, [self.spider.sources_file]))
        try:
            page = await self.pool.process(item, files, follow=self.spider.follows_page_links)
        except ExtractionStopped:  # the crawl is stopping: the next run stores the page
            self.crawler.stats.inc_value("newsarchive/held_at_stop")
            return
        except Exception as exc:  # any bug or bad page: record it, never stop the crawl
            self.archive.release_page(item.held)
            self.store_failure(
                FailureItem(item.source, item.url, "extract", f"{type(exc).__name__}: {exc}")
            )
            return
        capture = Capture(
            url=item.url,
            status=item.status,
            body=item.body,
            fetched_at=item.fetched_at,
            requested_url=item.requested_url,
            content_type=item.content_type,
            encoding=page.encoding,
            headers=item.headers,
            request_headers=item.request_headers,
            sha256=page.sha256,
            compressed=page.compressed,
        )
        # Released first, so that whichever commit stores the page forgets it too: a kill
        # between the two would store it again on the next run.
        self.archive.release_page(item.held)
        ingested = ingest_page(
            self.archive,
            page.extraction,
            source=item.source,
            run_id=self.run_id,
            capture=capture,
            seen_as=[*item.seen_as, (item.requested_url, "redirect")],
            now=item.fetched_at,
            fingerprints=page.fingerprints,
        )
        if ingested.reason:
            logger.info("%s: %s is not an article: %s", item.source, item.url, ingested.reason)
        self.crawler.stats.inc_value(f"newsarchive/{ingested.outcome}")
        new_article = ingested.outcome == "new"
        await self.spider.follow_links(item, page.links, self.process_item, new_article)
        # Committed with the batch: by the next page's hold, or when the batch is due. A
        # kill before that loses the record and its links, not the page: its hold was
        # committed, so the next run extracts it again without fetching it.

    def store_feed_state(self, item: FeedStateItem) -> None:
        fields = {"last_status": item.status, "last_polled": item.polled_at}
        if item.status == 304:
            self.archive.count(self.run_id, "not_modified")
        else:
            fields.update(last_entry_count=item.entry_count, bozo_error=item.bozo_error)
        fields.update(etag=item.etag, last_modified=item.last_modified)
        self.archive.save_feed_state(item.url, item.source, **fields)

    def store_failure(self, item: FailureItem) -> None:
        self.archive.record_failure(self.run_id, item.source, item.url, item.stage, item.error)
        # A refused link is the crawl scope working, not something that broke.
        counter = "refused" if item.stage == "scope" else "failed"
        self.archive.count(self.run_id, counter)
        self.crawler.stats.inc_value(f"newsarchive/{counter}")
