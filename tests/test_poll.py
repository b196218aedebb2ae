"""Feed polling: conditional GET, only new entries fetched, feed data fills the record."""

from __future__ import annotations

import re
import shutil

import pytest

from archive.store import Archive
from scraper.offline.copies import SiteCopy
from scraper.offline.server import MirrorServer
from tests.conftest import SITES, crawl, expected

pytestmark = pytest.mark.slow

SO = expected("syrianobserver")


def article_requests(server: MirrorServer) -> list[str]:
    return [r.path for r in server.requests if r.path.endswith(".html")]


def feed_requests(server: MirrorServer) -> list:
    return [r for r in server.requests if r.path.rstrip("/") == "/feed"]


@pytest.fixture
def site(tmp_path):
    """A private copy of the Syrian Observer site, so a test may change its feed."""
    root = tmp_path / "syrianobserver"
    shutil.copytree(SITES / "syrianobserver", root)
    return root


def test_unchanged_feed_costs_one_conditional_request_and_no_article(site, tmp_path):
    db = tmp_path / "archive.db"
    with MirrorServer([SiteCopy.load(site)]) as server:
        first = crawl(server, db, ["syrianobserver"], spider="feed")[0]
        assert first["new"] > 0 and article_requests(server)
        server.requests.clear()
        second = crawl(server, db, ["syrianobserver"], spider="feed")[0]
        feeds = feed_requests(server)
        assert [r.status for r in feeds] == [304]
        assert article_requests(server) == []
    assert second["not_modified"] == 1 and second["new"] == 0
    with Archive(db) as archive:
        state = archive.feed_state(SO["feed"])
        assert state["etag"] and state["last_status"] == 304


def add_feed_entries(site, count: int) -> list[str]:
    """Publish ``count`` new articles: new pages and new feed items at the top."""
    template_url, title = SO["articles"][1]["url"], SO["articles"][1]["title"]
    path = template_url.split("syrianobserver.com", 1)[1]
    template = (site / "www" / path.lstrip("/")).read_text(encoding="utf-8")
    feed_path = site / "www" / "feed.xml"
    feed = feed_path.read_text(encoding="utf-8")
    urls = []
    for n in range(count):
        new_path = f"/news/{90000 + n}/new-story-number-{n}.html"
        url = "https://syrianobserver.com" + new_path
        page = template.replace(path, new_path).replace(title, f"New story {n}")
        (site / "www" / new_path.lstrip("/")).parent.mkdir(parents=True, exist_ok=True)
        (site / "www" / new_path.lstrip("/")).write_text(page, encoding="utf-8")
        item = (
            f"<item><title>New story {n}</title><link>{url}</link>"
            f"<pubDate>Tue, 23 Dec 2025 0{n}:00:00 +0000</pubDate>"
            f'<guid isPermaLink="false">https://syrianobserver.com/?p={90000 + n}</guid></item>'
        )
        feed = re.sub(r"(<item>)", item + r"\1", feed, count=1)
        urls.append(url)
    feed_path.write_text(feed, encoding="utf-8")
    return urls


def test_feed_gaining_two_entries_causes_exactly_two_article_fetches(site, tmp_path):
    db = tmp_path / "archive.db"
    with MirrorServer([SiteCopy.load(site)]) as server:
        crawl(server, db, ["syrianobserver"], spider="feed")
        new_urls = add_feed_entries(site, 2)
        server.requests.clear()
        run = crawl(server, db, ["syrianobserver"], spider="feed")[0]
        fetched = article_requests(server)
    assert sorted(fetched) == sorted(u.split("syrianobserver.com", 1)[1] for u in new_urls)
    assert run["new"] + run["near_duplicate"] == 2
    with Archive(db) as archive:
        for url in new_urls:
            assert archive.lookup(url) is not None


def test_garbage_feed_is_recorded_and_usable_entries_still_used(site, tmp_path):
    db = tmp_path / "archive.db"
    feed_path = site / "www" / "feed.xml"
    feed = feed_path.read_text(encoding="utf-8")
    # Truncate the feed in the middle of its last item: a "bozo" feed.
    feed_path.write_text(feed[: feed.rindex("<item>") + 40], encoding="utf-8")
    with MirrorServer([SiteCopy.load(site)]) as server:
        run = crawl(server, db, ["syrianobserver"], spider="feed")[0]
    assert run["new"] > 0
    with Archive(db) as archive:
        state = archive.feed_state(SO["feed"])
        assert state["bozo_error"]
        failures = list(archive.db.query("select * from failures where stage = 'feed'"))
        assert failures and failures[0]["url"] == SO["feed"]
