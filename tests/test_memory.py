"""scraper.memory: the crawl's processes set glibc's allocator to hand freed memory back."""

from __future__ import annotations

import platform
import subprocess
import sys

import pytest


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt is glibc's")
def test_glibc_takes_the_options_and_a_freed_page_body_goes_back_to_the_system():
    """After a 4 MB block (which, by default, raises glibc's mapping threshold to 4 MB),
    400 kB blocks freed must still leave the process: each is a mapping of its own."""
    script = """
import sys
from scraper.memory import return_freed_memory

def rss_kb():
    with open("/proc/self/status") as status:
        return next(int(l.split()[1]) for l in status if l.startswith("VmRSS"))

if sys.argv[1] == "set":
    assert return_freed_memory()
big = bytearray(4 << 20)
del big
before = rss_kb()
blocks = [bytearray(400 << 10) for _ in range(200)]
del blocks[::2]  # every other one: what fragments a heap
kept = rss_kb() - before
print(kept)
"""
    kept = {
        mode: int(
            subprocess.run(
                [sys.executable, "-c", script, mode], capture_output=True, text=True, check=True
            ).stdout
        )
        for mode in ("set", "default")
    }
    assert kept["set"] < 0.6 * kept["default"], kept  # half the blocks given back
