"""Source health for `newsarchive status`, read from the archive alone.

Flags, each a reason to look at a source:

- paused: failures reached the pause threshold (`newsarchive sources enable ID`).
- failing: the last poll failed (server down, feed gone or garbage).
- blocked: the site answered 403 or 429, or an anti-bot service's challenge or
  block page ("blocked: cloudflare"), on the last poll or crawl.
- dark: nothing new for several times the source's usual gap between articles.
- broken: recent pages mostly gave empty or failed extractions (the layout changed).
"""

from __future__ import annotations

import statistics
from datetime import datetime, timedelta
from pathlib import Path

import sqlite_utils

from archive import clock

# "Several times its usual interval": dark after this many usual gaps without news.
DARK_FACTOR = 4
# A source with no usual gap yet (too few articles) is dark after this long.
DARK_DEFAULT = timedelta(days=3)
# broken: at least this share of recent pages gave no article, over this many pages.
BROKEN_SHARE = 0.5
BROKEN_MIN_PAGES = 3
RECENT_RUNS = 3


def _parse(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def recent_published(db: sqlite_utils.Database, source: str, limit: int = 20) -> list[str]:
    """Publication times of a source's latest articles, newest first."""
    return [
        r["published"]
        for r in db.query(
            "select published from articles where source = ? and published is not null "
            "order by published desc limit ?",
            [source, limit],
        )
    ]


def median_gap(published: list[str]) -> float | None:
    """Median seconds between consecutive publication times; None with fewer than 3."""
    times = sorted(datetime.fromisoformat(p) for p in published if p)
    if len(times) < 3:
        return None
    return statistics.median(
        (b - a).total_seconds() for a, b in zip(times, times[1:], strict=False)
    )


def source_health(db_path: str | Path, now: datetime | None = None) -> list[dict]:
    """One dict per source known to the archive, with counts and health flags."""
    now = now or clock.now()
    db = sqlite_utils.Database(db_path)
    report = []
    for source in db.query("select * from sources order by id"):
        sid = source["id"]
        last_new = db.execute(
            "select max(first_seen) from articles where source = ?", [sid]
        ).fetchone()[0]

        def new_since(delta: timedelta, sid=sid) -> int:
            return db.execute(
                "select count(*) from articles where source = ? and first_seen >= ?",
                [sid, (now - delta).isoformat()],
            ).fetchone()[0]

        runs = list(
            db.query(
                "select * from crawl_runs where source = ? and status != 'running' "
                "order by id desc limit ?",
                [sid, RECENT_RUNS],
            )
        )
        flags = []
        if source.get("enabled") == 0:
            flags.append("paused")
        if source.get("last_outcome") in ("hard", "temporary"):
            flags.append("failing")
        if source.get("last_outcome") == "blocked":
            flags.append("blocked")
        polled = source.get("last_success") or source.get("last_error_at") or runs
        median = median_gap(recent_published(db, sid))
        gap = timedelta(seconds=max(median, 3600)) if median is not None else None
        quiet_for = now - _parse(last_new) if last_new else None
        limit = gap * DARK_FACTOR if gap else DARK_DEFAULT
        if polled and (quiet_for is None or quiet_for > limit):
            flags.append("dark")
        good = sum((r.get(k) or 0) for r in runs for k in ("new", "unchanged", "revised"))
        extract_failures = db.execute(
            "select count(*) from failures where source = ? and stage = 'extract' and run_id in "
            f"({','.join('?' * len(runs)) or 'null'})",
            [sid, *[r["id"] for r in runs]],
        ).fetchone()[0]
        empty = sum((r.get("not_article") or 0) for r in runs) + extract_failures
        pages = good + empty
        if pages >= BROKEN_MIN_PAGES and empty / pages >= BROKEN_SHARE:
            flags.append("broken")
        report.append(
            {
                "source": sid,
                "last_success": source.get("last_success"),
                "last_error": source.get("last_error"),
                "new_day": new_since(timedelta(days=1)),
                "new_week": new_since(timedelta(days=7)),
                "consecutive_failures": source.get("consecutive_failures") or 0,
                "next_poll": source.get("next_poll"),
                "flags": flags,
            }
        )
    return report
