"""Crawls that end by themselves: a site full of traps, crawled through the CLI.

The site, served on 127.0.0.1, has 300 real stories on a 30-page listing
(``/latest/``, ten a page, newest first). Around them, the traps of issue 21:

- **Session ids**: every page links to other stories as
  ``/news/story-N;jsessionid=…?sid=…``, the ids random on each page served; the
  listing's pages past the 30th still answer 200, with only such links.
- **An endless calendar**: ``/news/calendar?day=D``, a page of the day's events
  (text enough for an article) linking to the next day, for ever.
- **Ever-growing query strings**: ``/news/search?q=…``, a page of no results
  that links to itself with one more parameter.

All of them match the slug article pattern that ``sources add`` infers from the
stories' addresses (``infer_article_pattern``, here ``/news/[^/]+``). The source
is crawled once with that pattern (article links followed, within
NEWSARCHIVE_MAX_DEPTH and NEWSARCHIVE_FOLLOW_BUDGET) and once without a
pattern (no links followed; only the listing's own pages can run on). Each
crawl must archive all 300 stories, fetch each story once whatever session id
its link carried, follow the calendar and the query chains only to the depth
limit, record why it stopped following them (one line each), and end by itself
within a generous bound. The requests made, the frontier's size and the time
go to test-artifacts/reliability/trap_site_*.json (RELIABILITY.md).
"""

from __future__ import annotations

import re
import secrets
import sqlite3
import subprocess
import threading
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from scrapy.settings.default_settings import CONCURRENT_ITEMS

from archive.urls import canonicalize
from scraper.discover import infer_article_pattern
from scraper.settings import NEWSARCHIVE_FOLLOW_BUDGET, NEWSARCHIVE_MAX_DEPTH
from tests.local_http import COMMAND, NO_DELAY, Handler, environment, serving
from tests.reliability_figures import record
from tests.test_scope_crawl import article

pytestmark = pytest.mark.slow

STORIES = 300
PER_PAGE = 10
LISTING_PAGES = STORIES // PER_PAGE
NEWEST = date(2024, 5, 31)  # story N is dated NEWEST minus N // PER_PAGE days
# The bound is "ends by itself": generous, for a loaded 2-core machine.
CRAWL_TIMEOUT = 600


def story_path(n: int) -> str:
    return f"/news/story-{n}-council-meets-on-water"


def story_day(n: int) -> date:
    return NEWEST - timedelta(days=n // PER_PAGE)


def with_session(path: str) -> str:
    """``path`` as a site that keeps sessions in URLs links it: new ids each time."""
    return f"{path};jsessionid={secrets.token_hex(16).upper()}?sid={secrets.token_hex(8)}"


def session_links(numbers: list[int]) -> str:
    return "".join(f'<a href="{with_session(story_path(n))}">Story {n}</a> ' for n in numbers)


def sidebar() -> str:
    """What every page shows: the most read stories and today's calendar."""
    return (
        f"<aside><h2>Most read</h2>{session_links([0, 1, 2])}"
        f'<a href="/news/calendar?day={NEWEST.isoformat()}">Today</a></aside>'
    )


def page(title: str, body: str) -> bytes:
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f"</head><body>{body}{sidebar()}</body></html>"
    ).encode()


class TrapSite(Handler):
    """The site; every request it answers is logged in ``requests`` (path with query)."""

    requests: list[str] = []
    lock = threading.Lock()

    def do_GET(self):
        with self.lock:
            self.requests.append(self.path)
        parts = urlsplit(self.path)
        path, query = parts.path, dict(parse_qsl(parts.query))
        listing = re.fullmatch(r"/latest/(?:page/(\d+)/)?", path)
        story = re.fullmatch(r"/news/story-(\d+)-council-meets-on-water(;jsessionid=\w+)?", path)
        if path == "/robots.txt":
            self.answer(200, b"User-agent: *\nDisallow:\n", "text/plain")
        elif listing:
            self.answer(200, self.listing_page(int(listing.group(1) or 1)), "text/html")
        elif story and int(story.group(1)) < STORIES:
            self.answer(200, self.story(int(story.group(1))), "text/html")
        elif path == "/news/calendar" and "day" in query:
            self.answer(200, self.calendar(date.fromisoformat(query["day"])), "text/html")
        elif path == "/news/search":
            self.answer(200, self.search(parts.query), "text/html")
        else:
            self.answer(404, b"not found", "text/plain")

    def listing_page(self, n: int) -> bytes:
        """Ten stories with their dates; past the last page, only the sidebar (still 200)."""
        items = "".join(
            f'<li><a href="{story_path(i)}">Story {i}</a> '
            f'<time datetime="{story_day(i).isoformat()}">{story_day(i)}</time></li>'
            for i in range((n - 1) * PER_PAGE, min(n * PER_PAGE, STORIES))
        )
        return page(f"Latest news, page {n}", f"<ul>{items}</ul>")

    def story(self, n: int) -> bytes:
        related = [(n + 1) % STORIES, (n + 2) % STORIES, (n + STORIES // 2) % STORIES]
        links = (
            f"<nav>{session_links(related)}"
            f'<a href="/news/calendar?day={story_day(n).isoformat()}">That day</a> '
            f'<a href="/news/search?q=story-{n}">Similar</a></nav>'
        )
        return article(f"Story {n} council meets on water", links).encode()

    def calendar(self, day: date) -> bytes:
        """A page of the day's events, an article by its text; it links to the next day."""
        after = (day + timedelta(days=1)).isoformat()
        links = f'<a href="/news/calendar?day={after}">Next day</a> {session_links([3])}'
        return article(f"Events of {day.isoformat()}", links).encode()

    def search(self, query: str) -> bytes:
        """No results, and a link to the same search with one more parameter."""
        more = f"{query}&f{len(query.split('&'))}=1"
        return page("Search", f'<p>No results.</p><a href="/news/search?{more}">Refine</a>')


def crawl(base: str, tmp_path: Path, pattern: str | None) -> tuple[Path, dict]:
    """One `newsarchive crawl` of the trap site into a new archive, which must end by
    itself: (archive, {"seconds": its time, "frontier": the most links it held})."""
    name = "traps" if pattern else "traps-nopattern"
    sources = tmp_path / f"{name}.toml"
    lines = [
        f"[{name}]",
        'name = "A site of traps"',
        f'homepage = "{base}/"',
        'language = "en"',
        f'listings = ["{base}/latest/"]',
        'pagination = "{listing}page/{n}/"',
    ]
    if pattern:
        lines.append(f"article_pattern = '{pattern}'")
    sources.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / f"{name}.db"
    log = tmp_path / f"{name}.log"
    TrapSite.requests.clear()
    started = time.monotonic()
    frontier = 0
    with log.open("w") as out:
        process = subprocess.Popen(
            [*COMMAND, *NO_DELAY, "crawl", name, "--sources", str(sources), "--db", str(db)],
            cwd=tmp_path,
            env=environment(),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        while process.poll() is None:
            if time.monotonic() - started > CRAWL_TIMEOUT:
                process.kill()
                process.wait()
                pytest.fail(f"the crawl did not end within {CRAWL_TIMEOUT} s")
            frontier = max(frontier, links_in_frontier(db))
            time.sleep(0.2)
    seconds = round(time.monotonic() - started, 1)
    assert process.returncode == 0, log.read_text()[-3000:]
    return db, {"seconds": seconds, "frontier": frontier}


def links_in_frontier(db: Path) -> int:
    """The links a running crawl has found and not yet finished with (0 before it starts)."""
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute("select count(*) from frontier where kind = 'link'").fetchone()[0]
    except sqlite3.Error:
        return 0


def fetches() -> dict[str, Counter]:
    """The requests the site answered, by kind: stories (by number, whatever the session
    id), session-id variants, calendar days, search parameters, listing pages."""
    kinds: dict[str, Counter] = {k: Counter() for k in ("story", "session", "day", "search")}
    kinds["listing"] = Counter()
    for path in list(TrapSite.requests):
        parts = urlsplit(path)
        if story := re.match(r"/news/story-(\d+)-", parts.path):
            kinds["story"][int(story.group(1))] += 1
            kinds["session"][";jsessionid=" in parts.path or "sid=" in parts.query] += 1
        elif parts.path == "/news/calendar":
            kinds["day"][dict(parse_qsl(parts.query))["day"]] += 1
        elif parts.path == "/news/search":
            kinds["search"][len(parse_qsl(parts.query))] += 1
        elif parts.path.startswith("/latest/"):
            kinds["listing"][parts.path] += 1
    return kinds


def archived(db: Path) -> set[str]:
    with sqlite3.connect(db) as conn:
        return {url for (url,) in conn.execute("select canonical_url from articles")}


def refusals(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [e for (e,) in conn.execute("select error from failures where stage = 'scope'")]


def check_stories(db: Path, base: str, seen: dict[str, Counter]) -> None:
    """All 300 stories archived, each fetched once whatever session id its links carried."""
    stories = {canonicalize(base + story_path(n)) for n in range(STORIES)}
    assert stories <= archived(db)
    assert sorted(seen["story"]) == list(range(STORIES))
    assert max(seen["story"].values()) == 1, seen["story"].most_common(3)


def figures(run: dict, seen: dict[str, Counter]) -> dict:
    return {
        **run,
        "requests": len(TrapSite.requests),
        "stories_archived": len(seen["story"]),
        "session_variants_fetched": seen["session"][True],
        "calendar_pages": sum(seen["day"].values()),
        "search_pages": sum(seen["search"].values()),
        "listing_pages": sum(seen["listing"].values()),
    }


def test_a_trap_site_with_a_slug_pattern_ends_by_itself(tmp_path):
    with serving(TrapSite) as base:
        pattern = infer_article_pattern(base + story_path(n) for n in range(20))
        assert pattern == rf"^{re.escape(base)}/news/[^/]+$"  # the traps match it too
        db, run = crawl(base, tmp_path, pattern)
    seen = fetches()
    check_stories(db, base, seen)
    # The calendar is followed from today and from each story's day, only to the limit:
    # today's page is 1 link from the listing, so its chain ends MAX_DEPTH - 1 days on.
    last_day = NEWEST + timedelta(days=NEWSARCHIVE_MAX_DEPTH - 1)
    assert max(date.fromisoformat(day) for day in seen["day"]) <= last_day, seen["day"]
    assert max(seen["day"].values()) == 1
    # A search is 2 links from the listing (listing, story, search): its chain adds a
    # parameter a link, to MAX_DEPTH (3 pages for each of the 300 stories, 900 in all);
    # and the budget stops the chains sooner. It is counted as pages are stored, so the
    # pages fetched while the last ones were extracted come on top (Scrapy processes at
    # most CONCURRENT_ITEMS at once).
    assert max(seen["search"]) <= NEWSARCHIVE_MAX_DEPTH - 1, seen["search"]
    assert sum(seen["search"].values()) <= NEWSARCHIVE_FOLLOW_BUDGET + CONCURRENT_ITEMS
    assert len(seen["listing"]) <= LISTING_PAGES + 1  # past the end: session ids only
    # Why it stopped following, one line each, in the run's failures.
    reasons = refusals(db)
    for cap in ("NEWSARCHIVE_MAX_DEPTH", "NEWSARCHIVE_FOLLOW_BUDGET"):
        assert sum(cap in reason for reason in reasons) == 1, reasons
    record("trap_site_pattern", **figures(run, seen))


def test_a_trap_site_without_a_pattern_ends_by_itself(tmp_path):
    with serving(TrapSite) as base:
        db, run = crawl(base, tmp_path, None)
    seen = fetches()
    check_stories(db, base, seen)
    # No links followed without a pattern: the listing's calendar link is fetched once.
    assert set(seen["day"]) <= {NEWEST.isoformat()}
    assert not seen["search"]
    assert len(seen["listing"]) <= LISTING_PAGES + 1
    record("trap_site_no_pattern", **figures(run, seen))
