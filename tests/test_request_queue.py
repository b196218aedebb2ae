"""scraper.request_queue: the requests a crawl has queued wait on disk, in a folder of
the crawl's own that goes with it."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import scrapy
from scrapy.crawler import Crawler
from scrapy.settings import Settings

from scraper.request_queue import queue_on_disk, request_queues
from tests.local_http import NO_DELAY, Handler, newsarchive, serving
from tests.test_scope_crawl import article

ARTICLES = 40


def _queued_on_disk(cache: Path) -> bool:
    """Whether a crawl's queue folder holds a queue file of Scrapy's disk queues."""
    return any(
        path.is_file() and path.stat().st_size
        for path in (cache / "newsarchive" / "queues").glob("crawl-*/*/requests.queue/*/*")
    )


class SitemapSite(Handler):
    cache: Path
    seen_on_disk: list[bool] = []

    def do_GET(self):
        base = f"http://{self.headers['Host']}"
        if self.path == "/robots.txt":
            self.answer(200, b"User-agent: *\nDisallow:\n", "text/plain")
        elif self.path == "/sitemap.xml":
            urls = "".join(f"<url><loc>{base}/news/story-{n}</loc></url>" for n in range(ARTICLES))
            body = f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
            self.answer(200, body.encode(), "application/xml")
        elif self.path.startswith("/news/story-"):
            self.seen_on_disk.append(_queued_on_disk(self.cache))
            title = "Story " + self.path.rsplit("-", 1)[-1]
            self.answer(200, article(title).encode(), "text/html")
        else:
            self.answer(404, b"not found", "text/plain")


def test_a_sitemaps_requests_wait_on_disk_and_the_folder_goes_with_the_crawl(tmp_path):
    cache = tmp_path / "cache"
    SitemapSite.cache = cache
    with serving(SitemapSite) as base:
        sources = tmp_path / "site.toml"
        sources.write_text(
            f'[site]\nname = "A site"\nhomepage = "{base}/"\nlanguage = "en"\n'
            f'sitemaps = ["{base}/sitemap.xml"]\n'
            f"article_pattern = '^{base}/news/story-[0-9]+$'\n",
            encoding="utf-8",
        )
        db = tmp_path / "site.db"
        done = newsarchive(
            tmp_path,
            *NO_DELAY,
            *("-s", "CONCURRENT_REQUESTS=1", "crawl", "site"),
            *("--sources", str(sources), "--db", str(db)),
            XDG_CACHE_HOME=str(cache),
        )
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == ARTICLES
    # One at a time, the sitemap's other stories waited in the crawl's queue files.
    assert any(SitemapSite.seen_on_disk)
    assert not list((cache / "newsarchive" / "queues").iterdir())


def test_a_killed_crawls_folder_is_removed_by_the_next_and_a_running_ones_kept(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    queues = tmp_path / "newsarchive" / "queues"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    left = queues / f"crawl-{dead.pid}-abc123"
    running = queues / "crawl-1-def456"  # pid 1 (init) runs as long as the machine does
    for folder in (left, running):
        (folder / "site" / "requests.queue").mkdir(parents=True)
    with request_queues() as folder:
        assert folder.parent == queues and folder.is_dir()
        assert not left.exists() and running.exists()
    assert not folder.exists()


class SiteSpider(scrapy.Spider):
    name = "site"


def test_a_jobdir_the_user_set_is_scrapys_to_keep(tmp_path):
    mine = Crawler(SiteSpider, Settings({"JOBDIR": str(tmp_path / "mine")}))
    queue_on_disk(mine, tmp_path / "queues")
    assert mine.settings["JOBDIR"] == str(tmp_path / "mine")
    ours = Crawler(SiteSpider, Settings())
    queue_on_disk(ours, tmp_path / "queues")
    assert ours.settings["JOBDIR"] == str(tmp_path / "queues" / SiteSpider.name)
    # Where no folder could be made, the requests wait in memory.
    memory = Crawler(SiteSpider, Settings())
    queue_on_disk(memory, None)
    assert not memory.settings.get("JOBDIR")


def test_where_no_folder_can_be_made_the_requests_wait_in_memory(tmp_path, monkeypatch, caplog):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    with request_queues() as folder:
        assert folder is None
    assert "requests wait in memory" in caplog.text
