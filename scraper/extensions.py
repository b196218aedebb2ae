"""A progress line on the terminal during crawls.

Scrapy's own LogStats logs a line a minute; people running `newsarchive crawl`
by hand want to see it move. This extension redraws one status line per
source every second on stderr, only when stderr is a terminal (never in cron
or systemd logs), from the crawl's stats: pages fetched, outcomes, failures.
"""

from __future__ import annotations

import sys

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

_SHOWN = ("new", "unchanged", "revised", "alias", "failed")


class ProgressLine:
    """One line for the whole crawl process, summed over its spiders (one per source)."""

    active: list[ProgressLine] = []
    loop: task.LoopingCall | None = None

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        setting = str(crawler.settings.get("NEWSARCHIVE_PROGRESS", "auto")).lower()
        if setting in ("0", "false", "no") or (setting == "auto" and not sys.stderr.isatty()):
            raise NotConfigured
        extension = cls(crawler)
        crawler.signals.connect(extension.opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.closed, signal=signals.spider_closed)
        return extension

    @classmethod
    def line(cls) -> str:
        stats = [e.crawler.stats for e in cls.active]
        pages = sum(s.get_value("response_received_count", 0) for s in stats)
        counts = ", ".join(
            f"{sum(s.get_value(f'newsarchive/{k}', 0) for s in stats)} {k}" for k in _SHOWN
        )
        return f"{len(stats)} running: {pages} pages, {counts}"

    @classmethod
    def draw(cls) -> None:
        sys.stderr.write("\r\033[K" + cls.line())
        sys.stderr.flush()

    def opened(self, spider) -> None:
        ProgressLine.active.append(self)
        if ProgressLine.loop is None:
            ProgressLine.loop = task.LoopingCall(ProgressLine.draw)
            ProgressLine.loop.start(1.0)

    def closed(self, spider, reason) -> None:
        ProgressLine.draw()
        ProgressLine.active.remove(self)
        if not ProgressLine.active and ProgressLine.loop is not None:
            ProgressLine.loop.stop()
            ProgressLine.loop = None
            sys.stderr.write("\n")
