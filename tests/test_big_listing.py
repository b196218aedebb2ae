"""A listing page of 150,000 links is read in one pass: the crawl goes on and ends.

The listing-date scan (scraper.spiders.site.ItemDates) looks for the date
printed beside each link in the link's first few ancestors. Read afresh for
every link, a list's text was read once per link: quadratic (8,000 links took
406 s; with 150,000 a crawl sat at "Crawled 0 pages" for minutes). Here the
listing's three new stories each carry their date; the 150,000 older links
share one, printed once at the end of their list, so each of them finds it in
the list itself (the expensive case). A backfill ``--since`` takes the three
new stories and stops at the end of the page. The crawl goes through the CLI
and must end within a generous bound; its time goes to
test-artifacts/reliability/big_listing.json (RELIABILITY.md).
"""

from __future__ import annotations

import sqlite3
import subprocess
import time

import pytest

from tests.local_http import COMMAND, NO_DELAY, Handler, environment, serving
from tests.reliability_figures import record
from tests.test_scope_crawl import article

pytestmark = pytest.mark.slow

OLD_LINKS = 150_000
NEW_STORIES = 3
CRAWL_TIMEOUT = 300  # the crawl sat at "Crawled 0 pages" past 300 s


def listing() -> bytes:
    new = "".join(
        f'<div><a href="/news/new-{n}">New {n}</a> <time datetime="2024-05-30">May 30</time></div>'
        for n in range(NEW_STORIES)
    )
    old = "".join(f'<li><a href="/news/old-{n}">Old story {n}</a></li>' for n in range(OLD_LINKS))
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Archive</title>'
        f"</head><body>{new}<ul>{old}<li>All stories of 2020-01-01</li></ul></body></html>"
    ).encode()


class BigListing(Handler):
    page = listing()
    requests: list[str] = []

    def do_GET(self):
        self.requests.append(self.path)
        if self.path == "/robots.txt":
            self.answer(200, b"User-agent: *\nDisallow:\n", "text/plain")
        elif self.path == "/news/":
            self.answer(200, self.page, "text/html")
        elif self.path.startswith("/news/new-"):
            self.answer(200, article(self.path.rsplit("/", 1)[-1].title()).encode(), "text/html")
        else:
            self.answer(404, b"not found", "text/plain")


def test_a_listing_of_150k_links_is_crawled(tmp_path):
    assert len(BigListing.page) < 10 * 1024 * 1024  # within DOWNLOAD_MAXSIZE
    with serving(BigListing) as base:
        sources = tmp_path / "big.toml"
        sources.write_text(
            f'[big]\nname = "A big listing"\nhomepage = "{base}/"\nlanguage = "en"\n'
            f'listings = ["{base}/news/"]\npagination = "{{listing}}page/{{n}}/"\n'
            f"article_pattern = '^{base}/news/[^/]+$'\n",
            encoding="utf-8",
        )
        db = tmp_path / "big.db"
        started = time.monotonic()
        done = subprocess.run(
            [*COMMAND, *NO_DELAY, "crawl", "big"]
            + ["--since", "2024-01-01", "--sources", str(sources), "--db", str(db)],
            cwd=tmp_path,
            env=environment(),
            capture_output=True,
            text=True,
            timeout=CRAWL_TIMEOUT,
        )
        seconds = round(time.monotonic() - started, 1)
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    with sqlite3.connect(db) as conn:
        urls = {url for (url,) in conn.execute("select url from articles")}
    assert {u.rsplit("/", 1)[-1] for u in urls} == {f"new-{n}" for n in range(NEW_STORIES)}
    # The old links were read (dated 2020) and none fetched; no second listing page either.
    assert not [path for path in BigListing.requests if "old-" in path or "/page/" in path]
    record("big_listing", links=OLD_LINKS + NEW_STORIES, seconds=seconds)
