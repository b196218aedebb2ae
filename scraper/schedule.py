"""Polling for months without a human: due sources, adaptive intervals, failure scoring, a lock.

- Each source is polled when due; its interval adapts to how often it
  publishes (half the median gap between its recent articles), within the
  registry's min/max bounds.
- Each poll is scored: ok, soft (a malformed feed that still gave entries, a
  failed extraction), temporary (timeouts, 5xx, connection refused, a site
  that stopped answering halfway), blocked (403/429, an anti-bot challenge:
  scraper.challenges), hard (feed gone: 404/410, no entries at all).
  Failures back off exponentially; past PAUSE_SCORE a source is paused until
  `newsarchive sources enable ID`.
- `newsarchive schedule` holds the archive's lock (scraper.lock) while it
  runs, and stops cleanly on SIGTERM: the running crawl stops, its pages in
  flight held for the next run (scraper.crawl). A backfill it was running when
  stopped or killed is queued again, and continued first by the next start.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from archive import clock
from archive.health import median_gap
from archive.store import Archive
from scraper.challenges import blocked_reasons
from scraper.crawl import start_crawl
from scraper.failures import stopped_answering
from scraper.sources import Source

logger = logging.getLogger(__name__)

# Weight of one poll's outcome in a source's failure score; 0 resets the score.
OUTCOME_WEIGHTS = {"ok": 0.0, "soft": 0.5, "temporary": 1.0, "blocked": 2.0, "hard": 3.0}
# A source whose score reaches this is paused (about 3 hard or 10 temporary failures in a row).
PAUSE_SCORE = 9.0
_MAX_BACKOFF_DOUBLINGS = 6


def classify_run(run: dict, failures: list[dict]) -> str:
    """The outcome of one poll of a source, from its crawl_runs row and failures."""
    feed_errors = [f["error"] or "" for f in failures if f["stage"] == "feed"]
    all_errors = [f["error"] or "" for f in failures]
    if blocked_reasons(all_errors) or any(
        code in e for e in all_errors for code in ("HTTP 403", "HTTP 429")
    ):
        return "blocked"
    if run.get("status") in ("failed", "empty"):
        # The run achieved nothing: gone for good, unless it only could not connect.
        temporary = ("HTTP 5", "timed out", "refused", "truncated", "closed before")
        errors = [run.get("error") or "", *all_errors]
        return "temporary" if any(t in e for e in errors for t in temporary) else "hard"
    fetched_feed = (run.get("not_modified") or 0) > 0 or any(
        (run.get(k) or 0) > 0 for k in ("new", "unchanged", "revised", "alias", "near_duplicate")
    )
    if any(code in e for e in feed_errors for code in ("HTTP 404", "HTTP 410", "no entries")):
        return "hard"
    if feed_errors and not fetched_feed:
        # A feed that answered with garbage only is as good as gone; a feed that
        # did not answer (timeout, refused, 5xx) may come back.
        temporary = ("HTTP 5", "Timeout", "timeout", "Connection", "DNS", "refused")
        return "temporary" if any(t in e for e in feed_errors for t in temporary) else "hard"
    if any(map(stopped_answering, all_errors)):  # the site went down halfway: it may come back
        return "temporary"
    if failures:
        return "soft"
    return "ok"


def adaptive_interval(source: Source, published: list[str]) -> int:
    """Half the median gap between the source's recent articles, within its bounds."""
    median = median_gap(published)
    if median is None:
        return source.poll_interval
    return int(min(source.max_poll_interval, max(source.min_poll_interval, median / 2)))


def record_poll(archive: Archive, source: Source, run: dict, now: datetime | None = None) -> dict:
    """Score a finished poll, set the source's next poll time; returns the source's row.

    An interrupted poll is not scored: the source stays due, and its next poll continues
    it (the entries it had read and not fetched are in its frontier, whatever the feed
    answers then, a 304 included)."""
    if run.get("status") == "interrupted":
        return archive.source(source.id) or {}
    now = now or clock.now()
    failures = archive.failures(run.get("id"), source.id)
    outcome = classify_run(run, failures)
    row = archive.source(source.id) or {}
    interval = adaptive_interval(source, archive.recent_published(source.id))
    weight = OUTCOME_WEIGHTS[outcome]
    fields: dict = {"current_interval": interval, "last_outcome": outcome}
    if outcome in ("ok", "soft"):
        fields.update(last_success=now.isoformat(), consecutive_failures=0, failure_score=0)
        delay = interval
    else:
        failures_in_row = (row.get("consecutive_failures") or 0) + 1
        score = (row.get("failure_score") or 0) + weight
        error = "; ".join(f"{f['stage']}: {f['error']}" for f in failures[:3]) or run.get("error")
        fields.update(
            consecutive_failures=failures_in_row,
            failure_score=score,
            last_error=f"{outcome}: {error}",
            last_error_at=now.isoformat(),
        )
        delay = min(
            source.max_poll_interval,
            interval * 2 ** min(failures_in_row, _MAX_BACKOFF_DOUBLINGS),
        )
        if score >= PAUSE_SCORE:
            fields.update(
                enabled=0,
                paused_at=now.isoformat(),
                paused_reason=f"{failures_in_row} failed polls in a row (last: {outcome})",
            )
            logger.error("%s paused after %d failed polls", source.id, failures_in_row)
    fields["next_poll"] = (now + timedelta(seconds=delay)).isoformat()
    archive.update_source(source.id, **fields)
    archive.flush()
    return archive.source(source.id)


def enable_source(archive: Archive, source_id: str) -> None:
    """Resume a paused source: its failure score starts again from zero."""
    archive.update_source(
        source_id,
        enabled=1,
        paused_reason=None,
        paused_at=None,
        consecutive_failures=0,
        failure_score=0,
        next_poll=None,
    )
    archive.flush()


def due_sources(archive: Archive, registry: dict[str, Source], now: datetime | None = None):
    """Ids of enabled sources whose next poll time has come (never polled: due)."""
    now = now or clock.now()
    rows = archive.sources()
    due = []
    for source_id in sorted(registry):
        row = rows.get(source_id, {})
        if row.get("enabled", 1) == 0:
            continue
        next_poll = row.get("next_poll")
        if not next_poll or datetime.fromisoformat(next_poll) <= now:
            due.append(source_id)
    return due


class Scheduler:
    """The long-lived loop of `newsarchive schedule`."""

    def __init__(
        self,
        db: str | Path,
        registry: dict[str, Source],
        *,
        sources_files=(),
        mirrors: dict[str, str] | None = None,
        overrides: dict | None = None,
        tick: float = 30.0,
        on_runs: Callable[[list[dict]], None] | None = None,
    ):
        self.db, self.registry = db, registry
        self.crawl_options = {
            "db": db,
            "sources_files": sources_files,
            "mirrors": mirrors,
            "overrides": overrides,
        }
        self.tick = tick
        self.on_runs = on_runs or (lambda runs: None)
        self.stopping = threading.Event()
        self.job = None
        # Every run this scheduler made that failed or achieved nothing.
        self.failed_runs: list[dict] = []

    def stop(self, *_signal_args) -> None:
        """SIGTERM/SIGINT: no new crawl; the running one finishes its pages and batch."""
        self.stopping.set()
        if self.job is not None:
            self.job.terminate()

    def install_signal_handlers(self) -> None:
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)

    def run(self, once: bool = False) -> None:
        with Archive(self.db) as archive:
            archive.sync_sources(s.row() for s in self.registry.values())
            # A schedule killed earlier (SIGKILL, power cut) left its run open.
            archive.close_dead_runs()
            # ...and a stopped or killed one its backfill: continued first (the archive's
            # lock says no other schedule runs it).
            requeued = archive.requeue_stopped_backfills()
            if requeued:
                logger.warning("continuing %d interrupted backfill(s)", requeued)
        while not self.stopping.is_set():
            self.run_backfills()
            if not self.stopping.is_set():
                self.poll_due()
            if once:
                return
            self.stopping.wait(self.tick)

    def _crawl(self, source_ids: list[str], **options) -> list[dict]:
        self.job = start_crawl(source_ids, **self.crawl_options, **options)
        if self.stopping.is_set():  # the stop came while the crawl started (no job to stop)
            self.job.terminate()
        try:
            runs = self.job.wait()
        finally:
            self.job = None
        self.on_runs(runs)
        self.failed_runs += [r for r in runs if r.get("status") in ("failed", "empty")]
        return runs

    def poll_due(self) -> list[dict]:
        with Archive(self.db) as archive:
            due = due_sources(archive, self.registry)
        if not due:
            return []
        runs = self._crawl(due, spider="feed")
        with Archive(self.db) as archive:
            for run in runs:
                if run.get("source") in self.registry:
                    record_poll(archive, self.registry[run["source"]], run)
        return runs

    def run_backfills(self) -> None:
        while not self.stopping.is_set():
            with Archive(self.db) as archive:
                queued = archive.take_backfill()
            if queued is None:
                return
            if queued["source"] in self.registry:
                runs = self._crawl([queued["source"]], since=queued["since"])
                status = runs[0].get("status", "failed") if runs else "failed"
            else:
                status = "failed: unknown source"
            with Archive(self.db) as archive:
                archive.finish_backfill(queued["id"], status)
