"""Run spiders from Python: the engine behind `newsarchive crawl`, `poll` and `demo`.

A run happens in a fresh child process (multiprocessing, spawn) when its
caller crawls more than once: Twisted's reactor cannot be restarted within a
process, and a scheduler that polls every few minutes for months must not
accumulate state. `newsarchive crawl` and `poll` crawl once and exit, so they
run it in their own process (``in_process``): no idle launcher holding its
imports while a child imports everything again. Either way all the requested
sources run in one Scrapy CrawlerProcess, so one source failing never stops the
others, and each run's crawl_runs row is returned.

Interrupts (:class:`Interrupts`): the first SIGINT or SIGTERM stops the crawl
cleanly and at once, the pages not yet stored staying held for the next run
(scraper.pipelines.stop_extraction); a second Ctrl-C forces it. A child crawl
stops the same way when its parent dies (scraper.lifetime).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import traceback
import uuid
from collections.abc import Sequence
from pathlib import Path
from queue import Empty

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from scraper.lifetime import end_with_parent
from scraper.memory import return_freed_memory
from scraper.request_queue import queue_on_disk, request_queues

logger = logging.getLogger(__name__)


class Interrupts:
    """The crawl process's SIGINT and SIGTERM, in place of Scrapy's own handlers.

    The first stops the crawl: no new request, the pages waiting for an extraction
    worker left held (the next run stores them), the workers killed, the archive
    flushed and the runs closed as interrupted. Downloads in flight get
    NEWSARCHIVE_STOP_SECONDS to end (a slow server would otherwise hold the stop for
    its timeout and retries); then the crawl ends without them, as it does at a second
    Ctrl-C: the runs are closed as interrupted and the reactor stops where it is; what
    was committed stays (held pages included; the requests not answered are in the
    frontier). Further SIGTERMs
    change nothing: a process group stopped by systemd gets one from systemd and one
    from `schedule`, which passes its own on."""

    def __init__(self, process: CrawlerProcess) -> None:
        self.process = process
        self.stopping = False
        self.forced = False

    def install(self) -> None:
        signal.signal(signal.SIGINT, self.received)
        signal.signal(signal.SIGTERM, self.received)

    def received(self, signum: int, _frame) -> None:
        from twisted.internet import reactor

        # Only flags and callFromThread here: the reactor's thread does the work.
        if not self.stopping:
            self.stopping = True
            reactor.callFromThread(self.stop, signal.Signals(signum).name)
        elif signum == signal.SIGINT:
            reactor.callFromThread(self.force, "SIGINT again")

    def stop(self, name: str) -> None:
        from twisted.internet import reactor

        from scraper.pipelines import stop_extraction

        logger.warning("%s: stopping; pages in flight are kept for the next run", name)
        stop_extraction()
        self.process.stop()
        grace = self.process.settings.getfloat("NEWSARCHIVE_STOP_SECONDS")
        reactor.callLater(grace, self.force, f"still downloading {grace:g} s after {name}")

    def force(self, why: str) -> None:
        from twisted.internet import reactor

        from scraper.pipelines import close_runs_now, stop_extraction

        if self.forced:
            return
        self.forced = True
        logger.warning("%s: stopping now", why)
        stop_extraction()
        close_runs_now()
        if reactor.running:
            reactor.stop()


def crawl_settings(
    db: str | Path,
    *,
    sources_files: Sequence[str | Path] = (),
    mirrors: dict[str, str] | None = None,
    kind: str = "crawl",
    overrides: dict | None = None,
) -> Settings:
    """scraper.settings plus this run's archive, registry files and mirrors."""
    settings = Settings()
    settings.setmodule("scraper.settings", priority="project")
    settings.set("NEWSARCHIVE_DB", str(db), priority="cmdline")
    settings.set("NEWSARCHIVE_SOURCES", [str(p) for p in sources_files], priority="cmdline")
    settings.set("NEWSARCHIVE_RUN_KIND", kind, priority="cmdline")
    if mirrors:
        settings.set("NEWSARCHIVE_MIRRORS", dict(mirrors), priority="cmdline")
    for name, value in (overrides or {}).items():
        settings.set(name, value, priority="cmdline")
    return settings


def settings_for_child(settings: Settings) -> dict:
    """The settings a crawl process is started with: only what differs from Scrapy's
    defaults travels (re-setting deprecated defaults warns)."""
    defaults = Settings().copy_to_dict()
    return {k: v for k, v in settings.copy_to_dict().items() if defaults.get(k, k) != v}


def _crawl(source_ids, spider_kind, spider_args, settings_dict) -> list[dict]:
    """Run the sources' spiders in one CrawlerProcess; each run's crawl_runs row."""
    return_freed_memory()  # before the reactor's and the pool's threads (scraper.memory)
    results: list[dict] = []
    settings = Settings(settings_dict)
    process = CrawlerProcess(settings)
    loader = process.spider_loader
    crawlers = []
    not_started: dict[str, str] = {}
    with request_queues() as queues:
        for source_id in source_ids:
            name = source_id if spider_kind == "site" else f"{source_id}-feed"
            crawler = process.create_crawler(loader.load(name))
            queue_on_disk(crawler, queues)
            crawlers.append((source_id, crawler))
            started = process.crawl(crawler, **spider_args)
            started.addErrback(_did_not_start, source_id, not_started, settings)
        from twisted.internet import reactor

        interrupts = Interrupts(process)
        reactor.addSystemEventTrigger("after", "startup", interrupts.install)
        process.start(install_signal_handlers=False)
    for source_id, crawler in crawlers:
        try:
            run = crawler.stats.get_value("newsarchive/run")
        except RuntimeError:  # the spider was never made: the crawler has no stats
            run = None
        if run is None and interrupts.forced:  # stopped before its spider opened
            error = "stopped before it started; run it again to continue"
            run = {"source": source_id, "status": "interrupted", "error": error}
        elif run is None:
            error = not_started.get(source_id, "the spider did not start (see the log)")
            run = {"source": source_id, "status": "failed", "error": error}
        results.append(run)
    return results


def _crawl_in_child(queue, source_ids, spider_kind, spider_args, settings_dict) -> None:
    # Stopped like a SIGTERM when its parent dies: it never crawls on alone.
    end_with_parent(signal.SIGTERM)
    try:
        results = _crawl(source_ids, spider_kind, spider_args, settings_dict)
    except Exception:
        queue.put({"error": traceback.format_exc()})
        return
    queue.put({"runs": results})


def _did_not_start(failure, source_id: str, not_started: dict, settings: Settings) -> None:
    """A spider that could not be made: its reason in one line. The archive's own errors
    (a damaged file the opening check did not reach) need no traceback; anything else
    is a bug, logged with its traceback."""
    import sqlite3

    from archive.db import ArchiveError

    exc = failure.value
    if isinstance(exc, sqlite3.DatabaseError):
        reason = f"the archive {settings.get('NEWSARCHIVE_DB')} cannot be read: {exc}"
    elif isinstance(exc, ArchiveError):
        reason = str(exc)
    else:
        reason = f"the spider could not start: {type(exc).__name__}: {exc}"
        logging.getLogger(__name__).error(
            "%s: %s", source_id, reason, exc_info=(failure.type, exc, failure.getTracebackObject())
        )
    not_started[source_id] = " ".join(reason.split())


class CrawlJob:
    """A crawl, in a process of its own unless ``in_process``; ``wait()`` returns its
    crawl_runs rows. In this process, it runs in ``wait()``: only once per process,
    since Twisted's reactor cannot be restarted."""

    def __init__(
        self,
        source_ids: Sequence[str],
        spider: str,
        spider_args: dict,
        settings: Settings,
        done: Sequence[dict] = (),
        in_process: bool = False,
    ):
        # Runs of the job this one continues that finished already: reported, not repeated.
        self.done = list(done)
        self.args = (list(source_ids), spider, spider_args, settings_for_child(settings))
        self.in_process = in_process
        self.idle = not source_ids  # every source finished in the job this one continues
        if not in_process:
            context = multiprocessing.get_context("spawn")
            self.queue = context.Queue()
            self.process = context.Process(target=_crawl_in_child, args=(self.queue, *self.args))

    def start(self) -> CrawlJob:
        if not self.idle and not self.in_process:
            self.process.start()
        return self

    def terminate(self) -> None:
        """Ask the crawl to stop: Scrapy finishes in-flight pages and flushes the archive."""
        if not self.idle and not self.in_process and self.process.is_alive():
            os.kill(self.process.pid, signal.SIGTERM)

    def wait(self) -> list[dict]:
        if self.idle:
            return list(self.done)
        if self.in_process:
            return [*self.done, *_crawl(*self.args)]
        try:
            result = self._result()
        finally:
            self.process.join()
        if "error" in result:
            raise RuntimeError(f"crawl failed:\n{result['error']}")
        if "died" in result:  # killed (the OOM killer): its runs continue next time
            error = f"{result['died']}; the next crawl continues it"
            died = [{"source": s, "status": "interrupted", "error": error} for s in self.args[0]]
            return [*self.done, *died]
        return [*self.done, *result["runs"]]

    def _result(self) -> dict:
        """The child's result, or how it died without one (killed, out of memory)."""
        while True:
            try:
                return self.queue.get(timeout=1)
            except Empty:
                if not self.process.is_alive():
                    code = self.process.exitcode
                    if code is not None and code < 0:
                        name = signal.Signals(-code).name
                        return {"died": f"the crawl process was killed by signal {-code} ({name})"}
                    return {"died": f"the crawl process exited with code {code}"}


def start_crawl(
    source_ids: Sequence[str],
    *,
    db: str | Path,
    spider: str = "site",
    since: str | None = None,
    new_only: bool = False,
    sources_files: Sequence[str | Path] = (),
    mirrors: dict[str, str] | None = None,
    kind: str | None = None,
    overrides: dict | None = None,
    in_process: bool = False,
) -> CrawlJob:
    """Start crawling sources (spider 'site': whole site; 'feed': feeds only) into the archive.

    ``in_process``: crawl in this process, for a command that crawls once and exits
    (no second process that imports everything again: a quicker start, less memory).

    A job of the same kind that was killed or stopped is continued, not started
    over: its sources that finished are not crawled again (their runs are
    returned as they are), and the others resume where they stopped.
    """
    kind = kind or ("poll" if spider == "feed" else "crawl")
    job, done = _continue_job(db, kind, source_ids)
    settings = crawl_settings(
        db,
        sources_files=sources_files,
        mirrors=mirrors,
        kind=kind,
        overrides={**(overrides or {}), "NEWSARCHIVE_JOB": job},
    )
    spider_args = {"new_only": new_only}
    if since:
        spider_args["since"] = since
    todo = [s for s in source_ids if s not in done]
    job = CrawlJob(todo, spider, spider_args, settings, list(done.values()), in_process)
    return job.start()


def _continue_job(db: str | Path, kind: str, source_ids: Sequence[str]) -> tuple[str, dict]:
    """The job id for this crawl, and the runs already finished in the job it continues."""
    from archive.store import Archive

    with Archive(db) as archive:
        interrupted = archive.interrupted_job(kind)
    if interrupted is None:
        return uuid.uuid4().hex, {}
    job, runs = interrupted
    done = {s: runs[s] for s in source_ids if runs.get(s, {}).get("status") == "finished"}
    return job, done


def run_crawl(source_ids: Sequence[str], **options) -> list[dict]:
    """Crawl and wait; returns the crawl_runs rows of the runs, one per source.

    Takes the keyword arguments of ``start_crawl``.
    """
    return start_crawl(source_ids, **options).wait()
