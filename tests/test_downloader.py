"""scraper.downloader copies one private method of Scrapy's: fail loudly when Scrapy changes it.

PoliteDownloader._process_queue must be Scrapy's Downloader._process_queue plus
exactly one line. When a Scrapy upgrade changes that method, this test fails:
re-read scraper/downloader.py, run its reproduction against the new Scrapy, and
either port the one-line fix or drop the subclass if the bug is gone.
"""

from __future__ import annotations

import inspect
import re

from scrapy.core.downloader import Downloader

from scraper.downloader import PoliteDownloader

FIX = "slot.transferring.add(request)"


def _code_lines(function) -> list[str]:
    """The statements of a function: no comments, docstring-free, whitespace folded."""
    lines = []
    for line in inspect.getsource(function).splitlines():
        line = re.sub(r"\s+#.*$", "", line).strip()
        if line and not line.startswith("#"):
            lines.append(re.sub(r"\s+", " ", line))
    return lines


def test_process_queue_is_scrapys_own_plus_the_fix():
    ours = _code_lines(PoliteDownloader._process_queue)
    theirs = _code_lines(Downloader._process_queue)
    assert [line for line in ours if line != FIX] == theirs, (
        "Scrapy's Downloader._process_queue changed: re-check scraper/downloader.py"
    )
    assert ours.count(FIX) == 1


def test_the_internals_the_fix_relies_on_still_exist():
    source = inspect.getsource(Downloader)
    for name in ("_wait_for_download", "_latercall", "free_transfer_slots", "transferring"):
        assert name in source, f"Scrapy's downloader no longer has {name}"
