"""A site whose pages keep the extraction workers busy, and the CLI started against it.

Thirty long stories (about 0.45 MB each, half a second of extraction per
page) behind a feed (the ten latest, with an ETag) and a sitemap on
127.0.0.1: a crawl of it has pages waiting for workers for many seconds, the
moment stops and kills aim at. The server logs every request, so a test can
count what was fetched twice, and can hold its answers after the first few pages
until the test releases them, so that a stop lands mid-run whatever the
machine's speed. The CLI runs as `python -m scraper.cli` in a session (process
group) of its own.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tests.local_http import COMMAND, NO_DELAY, Handler, environment, serving

FEED_ETAG = '"v1"'  # the feed never changes: a conditional poll gets 304
STORIES = 30
PARAGRAPHS = 1000  # about 0.45 MB a page
WORDS = (
    "farmers council winter rains wheat canals pumps diesel market bakery bread prices "
    "school teachers students clinic doctors medicine road bridge convoy border crossing "
    "village families returned houses rebuilt water electricity generator hours night"
).split()
# No delay on 127.0.0.1, two workers: the machine of the tests has two cores.
LOCAL = [*NO_DELAY, "-s", "NEWSARCHIVE_EXTRACT_WORKERS=2"]


def story_path(n: int) -> str:
    return f"/2024/05/story-{n}/"


def story(n: int) -> bytes:
    rng = random.Random(n)
    paragraphs = "".join(
        "<p>" + " ".join(rng.choice(WORDS) for _ in range(60)).capitalize() + ".</p>"
        for _ in range(PARAGRAPHS)
    )
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Story {n}</title>'
        '<meta property="og:type" content="article">'
        '<meta property="article:published_time" content="2024-05-02T09:00:00+00:00">'
        f"</head><body><article><h1>Story {n}</h1>{paragraphs}</article></body></html>"
    ).encode()


HOLD_SECONDS = 60  # a held answer goes out by itself after this: a failing test ends


@dataclass
class BusySite:
    base: str
    requests: Counter = field(default_factory=Counter)  # path -> times fetched
    answer_first: int | None = None  # pages answered at once; later ones wait for release
    released: threading.Event = field(default_factory=threading.Event)

    @contextmanager
    def holding_after(self, pages: int) -> Iterator[None]:
        """Within the block, the first ``pages`` story pages asked for are answered; the
        answers to any others wait until :meth:`release` (or the end of the block)."""
        self.answer_first, self.released = pages, threading.Event()
        try:
            yield
        finally:
            self.release()
            self.answer_first = None

    def held(self, path: str) -> bool:
        """Whether the answer to ``path``, just asked for, waits for the release."""
        if self.answer_first is None:
            return False
        asked = list(self.page_fetches())  # in the order first asked for
        return path in asked and asked.index(path) >= self.answer_first

    def release(self) -> None:
        self.released.set()

    def story_urls(self) -> list[str]:
        return [self.base + story_path(n) for n in range(1, STORIES + 1)]

    def page_fetches(self) -> Counter:
        return Counter({p: n for p, n in self.requests.items() if p.startswith("/2024/")})

    def registry(self, folder: Path) -> Path:
        """The source `busy`: its feed (the ten latest stories) and its sitemap (all)."""
        path = folder / "busy.toml"
        path.write_text(
            f'[busy]\nname = "Busy News"\nhomepage = "{self.base}/"\nlanguage = "en"\n'
            f'feeds = ["{self.base}/feed.xml"]\nsitemaps = ["{self.base}/sitemap.xml"]\n',
            encoding="utf-8",
        )
        return path


@contextmanager
def busy_site() -> Iterator[BusySite]:
    pages = {story_path(n): story(n) for n in range(1, STORIES + 1)}
    lock = threading.Lock()
    site = BusySite("")

    class Busy(Handler):
        def do_GET(self):
            with lock:
                site.requests[self.path] += 1
            if site.held(self.path):
                site.released.wait(HOLD_SECONDS)
            base = site.base
            if self.path == "/sitemap.xml":
                urls = "".join(
                    f"<url><loc>{base}{p}</loc><lastmod>2024-05-02</lastmod></url>" for p in pages
                )
                body = (
                    f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
                )
                self.answer(200, body.encode(), "application/xml")
            elif self.path == "/feed.xml" and self.headers.get("If-None-Match") == FEED_ETAG:
                self.send_response(304)
                self.end_headers()
            elif self.path == "/feed.xml":
                items = "".join(
                    f"<item><title>Story</title><link>{base}{p}</link>"
                    "<pubDate>Thu, 02 May 2024 09:00:00 +0000</pubDate></item>"
                    for p in list(pages)[-10:]
                )
                body = f'<rss version="2.0"><channel><title>Busy</title>{items}</channel></rss>'
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("ETag", FEED_ETAG)
                self.send_header("Content-Length", str(len(body.encode())))
                self.end_headers()
                self.wfile.write(body.encode())
            elif self.path in pages:
                self.answer(200, pages[self.path], "text/html; charset=utf-8")
            else:
                self.answer(404, b"not here", "text/plain")

    with serving(Busy) as base:
        site.base = base
        yield site


def newsarchive(*args: str, cwd: Path) -> subprocess.Popen:
    """`newsarchive ARGS` in a session of its own (its own process group), output piped."""
    return subprocess.Popen(
        [*COMMAND, *args],
        cwd=cwd,
        env=environment(),
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def count(db: Path, sql: str) -> int:
    """One number from the archive, read-only; 0 while its tables are not made yet."""
    if not db.exists():
        return 0
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
    try:
        return conn.execute(sql).fetchone()[0]
    except sqlite3.OperationalError:
        return 0
    finally:
        conn.close()


def wait_for(condition, process: subprocess.Popen, timeout: float = 120) -> None:
    """Until ``condition()`` holds; fails if ``process`` ends or the time runs out first."""
    deadline = time.monotonic() + timeout
    while not condition():
        if process.poll() is not None:
            raise AssertionError(f"ended first: {process.communicate()[0]}")
        if time.monotonic() > deadline:
            raise AssertionError("the condition never came")
        time.sleep(0.05)


def in_session(sid: int) -> set[int]:
    """Every living process of session ``sid`` (what a test started, and what they did)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[3]) == sid:
            found.add(int(entry.name))
    return found


def articles(db: Path) -> set[tuple[str, str]]:
    with sqlite3.connect(db) as conn:
        return set(conn.execute("select canonical_url, content_hash from articles"))


def kill_session(process: subprocess.Popen) -> None:
    """What a test leaves behind, ended (a failing test must not leave a crawl running)."""
    for pid in in_session(process.pid):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def grandchildren(pid: int) -> set[int]:
    """The living processes whose parent's parent is ``pid``: a crawl's extraction workers
    (forked by the fork server, the crawl's child)."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z":
                parents[int(entry.name)] = int(fields[1])
    return {child for child, parent in parents.items() if parents.get(parent) == pid}
