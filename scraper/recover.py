"""`newsarchive recover`: rebuild a source's archive, or one article's history, from a
web archive's captures, with where each copy came from.

The recovery spider (scraper.spiders.recover) lists the captures from the
archive's CDX server and fetches them raw from its replay, through Scrapy like
every other fetch, one request at a time per archive, with Scrapy's retries
(scraper.middlewares: Retry-After on 429 and 503, 5xx backed off). The pipeline
here extracts each with the source's rules (scraper.extraction.process_page,
as a crawl's workers do) and stores it under its original URL through
archive.ingest.ingest_page, dated by its capture; a capture older than the
text the archive holds (an article archived live) keeps that text
(archive.recovery). Every capture keeps its provenance: the archive, the
capture's time, the replay address.

Sources run one after the other in one Scrapy process, so one archive never
gets two requests at once; each gets its crawl_runs row (kind ``recover``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.utils.reactor import install_reactor
from twisted.internet import defer

from archive.captures import Capture
from archive.clock import utcnow
from archive.ingest import ingest_page
from archive.record import split_extraction
from archive.store import Archive
from scraper.cdx import DEFAULT_CDX, DEFAULT_REPLAY
from scraper.crawl import crawl_settings
from scraper.extraction import ProcessedPage, process_page
from scraper.items import CdxPageItem, FailureItem, RecoveredPageItem
from scraper.spiders.recover import RecoverSpider

__all__ = ["RECOVER_SETTINGS", "RecoverPipeline", "recover"]

logger = logging.getLogger(__name__)

# An archive is a shared public service: one request at a time, with Scrapy's
# AutoThrottle and the retry middleware's backoff. Captures are fetched in the order the
# CDX server lists them (first in, first out; Scrapy's default is last in, first out):
# by URL, then by time, so an article's versions are stored oldest first.
RECOVER_SETTINGS = {
    "CONCURRENT_REQUESTS": 1,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
    "SCHEDULER_MEMORY_QUEUE": "scrapy.squeues.FifoMemoryQueue",
    "SCHEDULER_DISK_QUEUE": "scrapy.squeues.PickleFifoDiskQueue",
    "ITEM_PIPELINES": {"scraper.recover.RecoverPipeline": 300},
    "NEWSARCHIVE_RUN_KIND": "recover",
}

_STORED = ("new", "unchanged", "revised", "alias", "near_duplicate")


def judge_recovery(reason: str, counts: dict[str, int], stats: dict) -> tuple[str, str | None]:
    """A recovery's status and error: one that recovered nothing fails loudly.

    empty: the archive listed no capture to recover; failed: captures were listed
    and none was stored. A run that found every capture recovered already by an
    earlier one has nothing left to do: finished.
    """
    if reason != "finished":
        return "interrupted", f"the recovery stopped early ({reason})"
    stored = sum(counts.get(k, 0) for k in _STORED)
    if stored or stats.get("newsarchive/skipped_known", 0):
        return "finished", None
    listed = stats.get("newsarchive/captures_listed", 0)
    if counts.get("failed"):
        return "failed", f"recovered nothing: {counts['failed']} failures"
    if stats.get("newsarchive/article_links", 0):
        return "empty", "recovered nothing: no capture was an article"
    return "empty", f"recovered nothing: the archive listed {listed} captures, none an article's"


class RecoverPipeline:
    """The archive's writer for one recovery spider (see the module docstring)."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.db_path = crawler.settings.get("NEWSARCHIVE_DB")
        self.sources_files = tuple(crawler.settings.getlist("NEWSARCHIVE_SOURCES"))
        self.archive: Archive | None = None
        self.run_id: int | None = None

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self) -> None:
        spider = self.crawler.spider
        self.archive = Archive(
            self.db_path,
            batch_size=self.crawler.settings.getint("NEWSARCHIVE_BATCH_SIZE"),
            max_batch_seconds=self.crawler.settings.getfloat("NEWSARCHIVE_BATCH_SECONDS"),
        )
        self.archive.sync_sources([spider.source.row()])
        self.run_id = self.archive.start_run("recover", spider.source_id)

    def spider_closed(self, spider, reason: str) -> None:
        if self.archive is None:
            return
        try:
            stats = self.crawler.stats
            self.archive.count(
                self.run_id, "requests", stats.get_value("downloader/request_count", 0)
            )
            status, error = judge_recovery(
                reason, self.archive.counts(self.run_id), stats.get_stats()
            )
            if status != "interrupted":
                self.archive.clear_cdx_progress(spider.source_id)
            summary = self.archive.finish_run(self.run_id, status=status, error=error)
            stats.set_value("newsarchive/run", summary)
        finally:
            self.archive.close()
            self.archive = None

    def process_item(self, item):
        if isinstance(item, RecoveredPageItem):
            try:
                self.store(item)
            except Exception as exc:  # a bad page or a bug: recorded, the run goes on
                reason = f"{type(exc).__name__}: {exc}"
                self.failure(FailureItem(item.source, item.replay_url, "extract", reason))
        elif isinstance(item, CdxPageItem):
            self.archive.save_cdx_progress(item.query, item.source, item.resume_key)
        elif isinstance(item, FailureItem):
            self.failure(item)
        return item

    def failure(self, item: FailureItem) -> None:
        # A refusal is the scope working, as in a crawl: said, not warned about.
        level = logging.INFO if item.stage == "scope" else logging.WARNING
        logger.log(level, "%s: %s: %s failed: %s", item.source, item.url, item.stage, item.error)
        self.archive.record_failure(self.run_id, item.source, item.url, item.stage, item.error)
        counter = "refused" if item.stage == "scope" else "failed"
        self.archive.count(self.run_id, counter)
        self.crawler.stats.inc_value(f"newsarchive/{counter}")

    def store(self, item: RecoveredPageItem) -> None:
        page = process_page(
            item.body,
            item.encoding,
            item.original_url,
            item.source,
            self.sources_files,
            {},
            item.captured_at,  # relative dates count from the capture, not from today
        )
        capture = Capture(
            url=item.original_url,
            requested_url=item.original_url,
            status=item.status,
            body=item.body,
            fetched_at=utcnow(),
            content_type=item.content_type,
            encoding=page.encoding,
            headers=item.headers,
            # No request headers: the request went to the archive's replay, not to this URL.
            sha256=page.sha256,
            compressed=page.compressed,
            archive=item.archive,
            archived_at=item.captured_at,
            replay_url=item.replay_url,
        )
        outcome = self.store_page(item, page, capture)
        if outcome == "not_article":
            self.archive.mark_not_article(item.replay_url, item.source)
        self.crawler.stats.inc_value(f"newsarchive/{outcome}")

    def store_page(self, item: RecoveredPageItem, page: ProcessedPage, capture: Capture) -> str:
        """Store one recovered page; its outcome (an upsert's, or not_article)."""
        if page.extraction.get("is_article"):
            newer = self.archive.archived_after(item.original_url, item.captured_at)
            if newer is not None:
                record, _page = split_extraction(page.extraction)
                record = {**record, "source": item.source, "url": item.original_url}
                revised = self.archive.add_earlier_version(newer, record, capture)
                outcome = "revised" if revised else "unchanged"
                self.archive.count(self.run_id, outcome)
                return outcome
        ingested = ingest_page(
            self.archive,
            page.extraction,
            source=item.source,
            run_id=self.run_id,
            capture=capture,
            now=item.captured_at,
            fingerprints=page.fingerprints,
        )
        if ingested.reason:
            logger.info("%s: %s: not an article: %s", item.source, item.replay_url, ingested.reason)
        return ingested.outcome


def recover(
    targets: Sequence[tuple[str, str | None]],
    *,
    db: str | Path,
    cdx: str = DEFAULT_CDX,
    replay: str = DEFAULT_REPLAY,
    since: str | None = None,
    until: str | None = None,
    sources_files: Sequence[str | Path] = (),
    overrides: dict | None = None,
) -> list[dict]:
    """Recover each target, ``(source id, None)`` for a whole source or ``(source id,
    article URL)`` for one article, one after the other; their crawl_runs rows.

    Runs Scrapy in this process: once per process (Twisted's reactor cannot restart).
    """
    settings = crawl_settings(
        db,
        sources_files=sources_files,
        kind="recover",
        overrides={**RECOVER_SETTINGS, **(overrides or {})},
    )
    # Installed first, so that the reactor is at hand to stop once the last source is done.
    install_reactor(settings["TWISTED_REACTOR"])
    from twisted.internet import reactor

    process = CrawlerProcess(settings)
    crawlers = []

    @defer.inlineCallbacks
    def one_after_the_other():
        for source_id, url in targets:
            crawler = process.create_crawler(RecoverSpider)
            crawlers.append((source_id, crawler))
            args = {"source": source_id, "cdx": cdx, "replay": replay, "url": url}
            try:
                yield process.crawl(crawler, since=since, until=until, **args)
            except Exception as exc:  # the spider could not start: its run says why
                logger.error("%s: the recovery could not start: %s", source_id, exc)

    one_after_the_other().addBoth(lambda _: reactor.stop())
    process.start(stop_after_crawl=False)
    results = []
    for source_id, crawler in crawlers:
        try:
            run = crawler.stats.get_value("newsarchive/run")
        except RuntimeError:  # the spider was never made: the crawler has no stats
            run = None
        error = "the recovery did not start (see the log)"
        results.append(run or {"source": source_id, "status": "failed", "error": error})
    return results
