"""Scrapy's own commands work from the checkout: `scrapy list`, `scrapy crawl <source>`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import sqlite_utils

from scraper.offline.server import MirrorServer
from scraper.sources import load_registry
from tests.conftest import expected, site_copy
from tests.local_http import NO_DELAY

ROOT = Path(__file__).resolve().parents[1]


def scrapy(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "scrapy", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_scrapy_list_names_a_spider_per_source_and_its_feed_poller():
    result = scrapy("list")
    assert result.returncode == 0, result.stderr
    names = set(result.stdout.split())
    for source_id in load_registry():
        assert {source_id, f"{source_id}-feed"} <= names


@pytest.mark.slow
def test_scrapy_crawl_source_archives_it(tmp_path):
    db = tmp_path / "archive.db"
    with MirrorServer([site_copy("syrianobserver")]) as server:
        result = scrapy(
            "crawl",
            "syrianobserver",
            "-s",
            f"NEWSARCHIVE_DB={db}",
            "-s",
            f"NEWSARCHIVE_MIRRORS={json.dumps(server.mirrors)}",
            "-s",
            "NEWSARCHIVE_MIRRORS_ONLY=True",
            *NO_DELAY,  # Scrapy's own -s
        )
    assert result.returncode == 0, result.stderr[-2000:]
    urls = {row["url"] for row in sqlite_utils.Database(db)["articles"].rows}
    assert urls == {a["url"] for a in expected("syrianobserver")["articles"]}
