"""The run log: what each crawl, poll, import or re-extraction did, and every failure.

Counters are kept in memory and written with each batch commit (so a killed
crawl's row still shows its progress up to its last batch) and when the run
finishes. Plain SQL on the archive's connection (archive.db).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from archive.clock import utcnow
from archive.db import ArchiveDB

__all__ = ["COUNTERS", "FAILURE_STAGES", "RUN_KINDS", "RUN_STATUSES", "RunLog"]

# Run kinds and failure stages are labels for people: these are the usual
# ones, but any short word is accepted (a crawl must never die on a label).
RUN_KINDS = ("crawl", "poll", "import", "reextract", "demo")
RUN_STATUSES = ("running", "finished", "failed", "empty", "interrupted")
FAILURE_STAGES = (
    "fetch", "feed", "sitemap", "listing", "extract", "store", "config", "scope", "link",
)  # fmt: skip
# Counters with their own crawl_runs column; any other key a caller counts
# goes to the extra_counts JSON column instead of being lost.
COUNTERS = (
    "requests",
    "not_modified",
    "new",
    "unchanged",
    "revised",
    "alias",
    "near_duplicate",
    "not_article",
    "failed",
)


def _counter_key(key: Any) -> str:
    name = str(getattr(key, "value", key)).strip().replace("-", "_")
    if not name:
        raise ValueError("empty run counter name")
    return name


def _counter_columns(counters: Mapping[str, int]) -> dict[str, Any]:
    columns: dict[str, Any] = {key: counters.get(key, 0) for key in COUNTERS}
    extra = {key: n for key, n in counters.items() if key not in COUNTERS}
    columns["extra_counts"] = json.dumps(extra, sort_keys=True) if extra else None
    return columns


def _process_alive(pid: int) -> bool:
    """Whether a process runs; a zombie (dead, not yet reaped by its parent) does not."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, owned by another user
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True  # no /proc here: trust kill()
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


class RunLog(ArchiveDB):
    """crawl_runs and failures."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._counters: dict[int, dict[str, int]] = {}
        self._run_clock: dict[int, float] = {}
        super().__init__(*args, **kwargs)

    def start_run(self, kind: str, source: str | None = None, job: str | None = None) -> int:
        """Record the start of a crawl run by this process; returns its id."""
        if not kind or not str(kind).strip():
            raise ValueError(f"a run needs a kind, such as {', '.join(RUN_KINDS)}")
        cursor = self._write(
            "INSERT INTO crawl_runs (source, kind, started, status, pid, job) "
            "VALUES (?, ?, ?, 'running', ?, ?)",
            [source, kind, utcnow(), os.getpid(), job],
        )
        run_id = int(cursor.lastrowid)
        self._counters[run_id] = {}
        self._run_clock[run_id] = time.monotonic()
        return run_id

    def count(self, run_id: int, key: str, n: int = 1) -> None:
        """Add ``n`` to a run counter, kept in memory and written on flush/finish.

        Keys: an upsert Outcome (or its value, "near-duplicate" included),
        requests, not_modified, not_article, failed; other keys are kept in
        the run's extra_counts JSON.
        """
        counters = self._counters.setdefault(run_id, {})
        name = _counter_key(key)
        counters[name] = counters.get(name, 0) + n

    def counts(self, run_id: int) -> dict[str, int]:
        """The counters of a run of this process so far."""
        return dict(self._counters.get(run_id, {}))

    def _before_commit(self) -> None:
        super()._before_commit()
        for run_id, counters in self._counters.items():
            columns = _counter_columns(counters)
            assignments = ", ".join(f"{key} = ?" for key in columns)
            self.db.execute(
                f"UPDATE crawl_runs SET {assignments} WHERE id = ? AND status = 'running'",
                [*columns.values(), run_id],
            )

    def close_dead_runs(self) -> int:
        """Mark 'interrupted' the runs left 'running' by a process that no longer exists
        (killed, out of memory, power cut); returns how many. Runs on this machine only:
        a pid from another machine cannot be checked, so such rows are left alone."""
        dead = []
        for run_id, pid in self.db.execute(
            "SELECT id, pid FROM crawl_runs WHERE status = 'running' AND pid IS NOT NULL"
        ).fetchall():
            if not _process_alive(pid):
                dead.append(run_id)
        for run_id in dead:
            self._write(
                "UPDATE crawl_runs SET status = 'interrupted', "
                "error = 'the crawl process died before finishing' WHERE id = ?",
                [run_id],
            )
        return len(dead)

    def finish_run(
        self, run_id: int, status: str = "finished", error: str | None = None
    ) -> dict[str, Any]:
        """Flush, write the run's counters, duration and status; return the row."""
        if status not in RUN_STATUSES:
            raise ValueError(f"unknown run status {status!r}; valid: {', '.join(RUN_STATUSES)}")
        self.flush()
        counters = self._counters.pop(run_id, {})
        clock = self._run_clock.pop(run_id, None)
        row = self.run(run_id)
        if row is None:
            raise ValueError(f"no crawl run {run_id}")
        finished = utcnow()
        if clock is not None:
            duration = round(time.monotonic() - clock, 3)
        else:  # started by another process: fall back to the stored clock
            started = datetime.fromisoformat(row["started"])
            duration = (datetime.fromisoformat(finished) - started).total_seconds()
        changes: dict[str, Any] = {
            **_counter_columns(counters),
            "finished": finished,
            "duration_s": duration,
            "status": status,
            "error": error,
        }
        assignments = ", ".join(f"{key} = ?" for key in changes)
        self._write(
            f"UPDATE crawl_runs SET {assignments} WHERE id = ?", [*changes.values(), run_id]
        )
        return self.run(run_id) or {}

    def run(self, run_id: int) -> dict[str, Any] | None:
        """The crawl_runs row of a run."""
        return self._one("SELECT * FROM crawl_runs WHERE id = ?", [run_id])

    def record_failure(
        self,
        run_id: int | None,
        source: str | None,
        url: str | None,
        stage: str,
        error: str,
    ) -> None:
        """Log a failure; stage is usually one of FAILURE_STAGES. The reason is never empty."""
        if not stage or not str(stage).strip():
            raise ValueError(f"a failure needs a stage, such as {', '.join(FAILURE_STAGES)}")
        reason = " ".join(str(error or "").split()) or f"{stage} failed (no reason given)"
        self._write(
            "INSERT INTO failures (run_id, source, url, stage, error, at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [run_id, source, url, stage, reason, utcnow()],
        )

    def record_not_article(
        self, run_id: int | None, source: str | None, url: str | None, reason: str
    ) -> None:
        """List a page the run fetched and judged not to be an article, with the reason."""
        self._write(
            "INSERT INTO not_articles (run_id, source, url, reason, at) VALUES (?, ?, ?, ?, ?)",
            [run_id, source, url, reason, utcnow()],
        )

    def not_article_urls(self, source: str) -> set[str]:
        """Every URL a run of ``source`` judged not to be an article (a poll skips them)."""
        rows = self.db.execute("SELECT DISTINCT url FROM not_articles WHERE source = ?", [source])
        return {row[0] for row in rows if row[0]}

    def not_articles(self, run_id: int) -> list[dict[str, Any]]:
        """The pages a run judged not to be articles, in the order it met them."""
        return self._all("SELECT * FROM not_articles WHERE run_id = ? ORDER BY id", [run_id])

    def failures(self, run_id: int, source: str | None = None) -> list[dict[str, Any]]:
        """The failures of a run (of one source), oldest first."""
        sql = "SELECT * FROM failures WHERE run_id = ?" + (" AND source = ?" if source else "")
        return self._all(sql + " ORDER BY id", [run_id, *([source] if source else [])])

    def interrupted_job(self, kind: str) -> tuple[str, dict[str, dict[str, Any]]] | None:
        """The latest job of ``kind`` if one of its runs was interrupted: (job, its last run
        per source). A new crawl of the same kind continues it instead of starting over."""
        self.close_dead_runs()
        row = self.db.execute(
            "SELECT job FROM crawl_runs WHERE kind = ? AND job IS NOT NULL "
            "ORDER BY id DESC LIMIT 1",
            [kind],
        ).fetchone()
        if row is None:
            return None
        runs = {
            run["source"]: run
            for run in self._all("SELECT * FROM crawl_runs WHERE job = ? ORDER BY id", [row[0]])
        }
        if not any(run["status"] == "interrupted" for run in runs.values()):
            return None
        return row[0], runs

    def resumable_since(self, source: str, kind: str) -> str | None:
        """When the interrupted runs of ``source`` and ``kind`` since its last complete run
        began (a crawl killed several times resumes from the first), else None."""
        earliest = None
        for status, started in self.db.execute(
            "SELECT status, started FROM crawl_runs WHERE source = ? AND kind = ? ORDER BY id DESC",
            [source, kind],
        ):
            if status != "interrupted":
                break
            earliest = started
        return earliest

    def handled_since(self, source: str, since: str) -> set[str]:
        """URLs the runs of ``source`` since ``since`` fetched and archived, judged not to be
        articles, or saw fail: a resumed crawl does not fetch them again. A page that
        "failed" because the crawl was stopping (its worker pool broken or its wait
        cancelled, as versions before supervised extraction recorded it) was not handled."""
        rows = self.db.execute(
            "SELECT c.url, c.requested_url, a.canonical_url FROM captures c "
            "JOIN articles a ON a.id = c.article_id WHERE a.source = ? AND c.fetched_at >= ? "
            "UNION ALL SELECT url, NULL, NULL FROM not_articles WHERE source = ? AND at >= ? "
            "UNION ALL SELECT url, NULL, NULL FROM failures "
            "WHERE source = ? AND at >= ? AND stage NOT IN ('scope', 'feed', 'sitemap', 'listing') "
            "AND error NOT LIKE 'BrokenProcessPool%' AND error NOT LIKE 'CancelledError%'",
            [source, since] * 3,
        )
        return {url for row in rows for url in row if url}

    def last_run_finished(self) -> dict[str, str]:
        """Per source, when its last run finished."""
        rows = self.db.execute(
            "SELECT source, max(finished) FROM crawl_runs WHERE source IS NOT NULL GROUP BY source"
        )
        return {source: finished for source, finished in rows if finished}
