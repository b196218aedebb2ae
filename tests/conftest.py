"""Shared fixtures: offline site copies served on 127.0.0.1, and crawls into temp archives."""

from __future__ import annotations

import json
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from scraper.crawl import run_crawl
from scraper.offline import SITES
from scraper.offline.copies import SiteCopy
from scraper.offline.server import MirrorServer

# Fast but still polite-shaped crawls for tests: no artificial delay on 127.0.0.1.
TEST_SETTINGS = {
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "NEWSARCHIVE_RETRY_BACKOFF": 0.05,
    "LOG_LEVEL": "WARNING",
    "NEWSARCHIVE_EXTRACT_WORKERS": 2,
    # Tests touch 127.0.0.1 only: a host without a local copy is an error, not a fetch.
    "NEWSARCHIVE_MIRRORS_ONLY": True,
}


def site_copy(source_id: str) -> SiteCopy:
    return SiteCopy.load(SITES / source_id)


def expected(source_id: str) -> dict:
    return json.loads((SITES / source_id / "expected.json").read_text(encoding="utf-8"))


def crawl(server: MirrorServer, db: Path, sources: list[str], **kwargs) -> list[dict]:
    """Crawl sources from the mirror server into db with the real spiders."""
    overrides = {**TEST_SETTINGS, **kwargs.pop("overrides", {})}
    mirrors = kwargs.pop("mirrors", server.mirrors)
    return run_crawl(sources, db=db, mirrors=mirrors, overrides=overrides, **kwargs)


def get_when_up(url: str, process: subprocess.Popen, timeout: float = 30.0) -> str:
    """The page at ``url`` once the server ``process`` (its stderr piped) answers."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode("utf-8")
        except (urllib.error.URLError, ConnectionError):
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"serve did not answer: {process.stderr.read()!r}") from None
            time.sleep(0.2)


@pytest.fixture
def mirror():
    """A mirror server for every site copy; always stopped."""
    copies = [SiteCopy.load(d) for d in sorted(SITES.iterdir()) if (d / "site.toml").exists()]
    with MirrorServer(copies) as server:
        yield server


# The longest modules (a few minutes each) start first, so the two workers of
# `pytest -n 2` finish together instead of one waiting on a crawl test that started last.
LONGEST_FIRST = (
    "test_sigkill_resume.py",
    "test_distributed.py",
    "test_feedparser_suite.py",
    "test_new_site.py",
    "test_concurrent_readers.py",
    "test_hostile_input.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: else as found
