"""Where a crawl keeps the requests that wait for their turn: on disk, not in memory.

A sitemap of 50,000 articles is read in the crawl's first minute, and each of its
entries becomes a request that waits for the politeness limits. In Scrapy's
memory queue they are the crawl process's memory: bench_scale's 50,000-page site
had the crawl process at 192 MB two minutes in and growing, where it stays at
143 MB with them on disk. Scrapy's own disk queues do this (its ``JOBDIR``:
requests pickled to files, read back in turn; a request that cannot be pickled
stays in memory). Scrapy's ``JOBDIR`` also makes a folder that resumes a killed
crawl; newsarchive resumes from its archive's frontier instead (a request on its
way is a frontier link), so each crawl gets a folder of its own, in the user's
cache folder, removed when the crawl ends. A folder left by a crawl that was killed
is removed by the next crawl. A ``JOBDIR`` the user sets (``-s JOBDIR=...``) is
Scrapy's to keep and is left alone.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import platformdirs
from scrapy.crawler import Crawler

__all__ = ["queue_on_disk", "request_queues"]

logger = logging.getLogger(__name__)


@contextlib.contextmanager
def request_queues() -> Iterator[Path | None]:
    """A folder for this crawl's queues, removed at the end; None where the cache folder
    cannot be written (the requests then wait in memory, as Scrapy's default)."""
    parent = Path(platformdirs.user_cache_dir("newsarchive")) / "queues"
    try:
        parent.mkdir(parents=True, exist_ok=True)
        _remove_left_behind(parent)
        folder = Path(tempfile.mkdtemp(prefix=f"crawl-{os.getpid()}-", dir=parent))
    except OSError as exc:
        logger.warning("requests wait in memory: cannot make a folder in %s (%s)", parent, exc)
        yield None
        return
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def queue_on_disk(crawler: Crawler, folder: Path | None) -> None:
    """Queue ``crawler``'s waiting requests in a folder of ``folder`` (its spider's name),
    unless the user set a JOBDIR. Before the crawl starts: its settings are then frozen."""
    if folder is not None and not crawler.settings.get("JOBDIR"):
        crawler.settings.set("JOBDIR", str(folder / crawler.spidercls.name), priority="cmdline")


def _remove_left_behind(parent: Path) -> None:
    """The folders of crawls that are no longer running (killed: nothing removed them)."""
    for folder in parent.glob("crawl-*-*"):
        pid = folder.name.split("-")[1]
        if pid.isdigit() and not _running(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True
