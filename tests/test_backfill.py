"""Backfill: down to --since, stop early on archived pages, resume after an interruption."""

from __future__ import annotations

import sqlite3
import time
from contextlib import closing
from datetime import datetime
from pathlib import Path

import pytest

from archive.store import Archive
from scraper.crawl import start_crawl
from scraper.offline.server import MirrorServer
from tests.conftest import TEST_SETTINGS, crawl, expected, site_copy

pytestmark = pytest.mark.slow

SO = expected("syrianobserver")
SINCE = "2024-06-01"
LAST_PAGE = "/category/foreign-actors/page/3/"


def archived(db) -> set[str]:
    with Archive(db) as archive:
        return {r["url"] for r in archive.db.query("select url from articles")}


def stored(db: Path) -> int:
    """Articles a running crawl has committed to ``db`` (0 before it made the file)."""
    try:
        with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
            return conn.execute("select count(*) from articles").fetchone()[0]
    except sqlite3.OperationalError:  # no file, or no articles table, yet
        return 0


def paths(server: MirrorServer) -> list[str]:
    return [r.path for r in server.requests]


def test_backfill_goes_down_to_since_and_no_further(tmp_path):
    db = tmp_path / "a.db"
    with MirrorServer([site_copy("syrianobserver")]) as server:
        crawl(server, db, ["syrianobserver"], since=SINCE)
        fetched = paths(server)
    wanted = {a["url"] for a in SO["articles"] if a["published"] >= SINCE}
    assert archived(db) == wanted
    # foreign-actors page 2 ends with a 2023 article: page 3 is never asked for.
    assert "/category/foreign-actors/page/2/" in fetched and LAST_PAGE not in fetched


def test_new_only_crawl_stops_at_a_page_of_archived_articles(tmp_path):
    db = tmp_path / "a.db"
    with MirrorServer([site_copy("syrianobserver")]) as server:
        crawl(server, db, ["syrianobserver"])
        server.requests.clear()
        run = crawl(server, db, ["syrianobserver"], new_only=True)[0]
        fetched = paths(server)
    assert run["new"] == 0
    assert not [p for p in fetched if "/page/" in p]  # every first page was all archived
    assert not [p for p in fetched if p.endswith(".html")]  # and no article fetched


def test_interrupted_backfill_resumes_without_refetching(tmp_path):
    db = tmp_path / "a.db"
    with MirrorServer([site_copy("syrianobserver")]) as server:
        server.set_fault("syrianobserver.com", LAST_PAGE, status=None, delay=20)
        job = start_crawl(
            ["syrianobserver"], db=db, mirrors=server.mirrors, overrides=TEST_SETTINGS
        )
        # The log records a request when it is answered: wait for page 2, then for the
        # first articles to be stored (page 3, asked for with them, is held for 20 s),
        # however long a busy machine takes to store them.
        deadline = time.monotonic() + 60
        while "/category/foreign-actors/page/2/" not in paths(server):
            assert time.monotonic() < deadline, "the backfill never reached page 2"
            time.sleep(0.2)
        while not stored(db):
            assert time.monotonic() < deadline, "the backfill stored no article"
            time.sleep(0.2)
        job.terminate()
        first = job.wait()[0]
        assert first["status"] == "interrupted"
        before = archived(db)
        assert before
        with Archive(db) as archive:
            unfinished = archive.unfinished_listings("syrianobserver", None)
        assert "https://syrianobserver.com/category/foreign-actors/" in unfinished

        server.clear_faults()
        server.requests.clear()
        second = crawl(server, db, ["syrianobserver"])[0]
        refetched = {"https://syrianobserver.com" + p for p in paths(server)} & before
    assert second["status"] == "finished"
    assert refetched == set()
    assert archived(db) == {a["url"] for a in SO["articles"]}
    with Archive(db) as archive:
        assert archive.unfinished_listings("syrianobserver", None) == {}
    assert datetime.fromisoformat(second["finished"]) >= datetime.fromisoformat(first["finished"])
