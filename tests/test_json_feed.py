"""`poll` reads a JSON Feed (https://www.jsonfeed.org/version/1.1/): scraper.jsonfeed.

The feed, served on 127.0.0.1 as ``application/feed+json``, is shaped like a
real one (the spec's top-level fields, items with ``id``, ``url``, ``title``,
``content_html``, ``summary``, ``image``, dates, ``authors``, ``tags``; one
item in the 1.0 form with a single ``author``). Beside them, an item that is not
an object and one without any URL: every usable item is archived with what
the feed says of it, and what was wrong is recorded once. A second poll gets
304 and fetches nothing. Run through the CLI.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.local_http import COMMAND, NO_DELAY, Handler, environment, serving
from tests.test_scope_crawl import article

pytestmark = pytest.mark.slow

STORIES = ["bread-prices", "school-year", "border-crossing"]


def json_feed(base: str) -> dict:
    items = [
        {
            "id": f"{base}/2024/05/{slug}/",
            "url": f"{base}/2024/05/{slug}/",
            "title": slug.replace("-", " ").title(),
            "content_html": f"<p>{slug}</p>",
            "summary": f"The {slug} story in short.",
            "image": f"{base}/images/{slug}.jpg",
            "date_published": f"2024-05-0{n + 1}T09:30:00+03:00",
            "date_modified": f"2024-05-0{n + 1}T11:00:00+03:00",
            "authors": [{"name": "Lina Haddad", "url": f"{base}/authors/lina/"}],
            "tags": ["Damascus", "Economy"],
        }
        for n, slug in enumerate(STORIES[:2])
    ]
    # A 1.0 item: one "author", and its id is its URL (no "url").
    items.append(
        {
            "id": f"{base}/2024/05/{STORIES[2]}/",
            "title": "Border Crossing",
            "content_text": "Trucks waited.",
            "date_published": "2024-05-04T08:00:00Z",
            "author": {"name": "Omar Saleh"},
        }
    )
    items += ["not an item", {"id": "42", "title": "No address at all"}]
    return {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "A Syrian outlet",
        "home_page_url": f"{base}/",
        "feed_url": f"{base}/feed.json",
        "description": "News from Syria",
        "icon": f"{base}/icon.png",
        "favicon": f"{base}/favicon.ico",
        "language": "en",
        "authors": [{"name": "The newsroom"}],
        "items": items,
    }


class JSONFeedSite(Handler):
    requests: list[str] = []

    def do_GET(self):
        self.requests.append(self.path)
        base = f"http://{self.headers['Host']}"
        if self.path == "/robots.txt":
            self.answer(200, b"User-agent: *\nDisallow:\n", "text/plain")
        elif self.path == "/feed.json" and self.headers.get("If-None-Match") == '"v1"':
            self.send_response(304)
            self.end_headers()
        elif self.path == "/feed.json":
            body = json.dumps(json_feed(base), ensure_ascii=False).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/feed+json; charset=utf-8")
            self.send_header("ETag", '"v1"')
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif self.path.strip("/").split("/")[-1] in STORIES:
            page = article(self.path.strip("/").split("/")[-1].replace("-", " ").title())
            self.answer(200, page.encode(), "text/html; charset=utf-8")
        else:
            self.answer(404, b"not found", "text/plain")


def poll(sources: Path, db: Path, base: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*COMMAND, *NO_DELAY, "poll", "jsonfeed", "--sources", str(sources), "--db", str(db)],
        cwd=db.parent,
        env=environment(),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_poll_reads_a_json_feed(tmp_path):
    db = tmp_path / "archive.db"
    sources = tmp_path / "jsonfeed.toml"
    with serving(JSONFeedSite) as base:
        sources.write_text(
            f'[jsonfeed]\nname = "A JSON Feed"\nhomepage = "{base}/"\nlanguage = "en"\n'
            f'feeds = ["{base}/feed.json"]\n',
            encoding="utf-8",
        )
        first = poll(sources, db, base)
        assert first.returncode == 0, first.stdout + first.stderr
        JSONFeedSite.requests.clear()
        second = poll(sources, db, base)
        assert second.returncode == 0, second.stdout + second.stderr
        assert [p for p in JSONFeedSite.requests if p != "/robots.txt"] == ["/feed.json"]
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        rows = {r["url"].split("/")[-2]: r for r in conn.execute("select * from articles")}
        failures = [dict(r) for r in conn.execute("select stage, url, error from failures")]
        feed = conn.execute("select * from feeds").fetchone()
    assert set(rows) == set(STORIES)
    # What the feed said of an article fills what its page lacks.
    assert json.loads(rows["bread-prices"]["authors"]) == ["Lina Haddad"]
    assert json.loads(rows["border-crossing"]["authors"]) == ["Omar Saleh"]
    # One line for what was wrong, the usable items taken all the same.
    assert len(failures) == 1, failures
    assert failures[0]["stage"] == "feed" and "item 4 is a str" in failures[0]["error"]
    assert feed["last_status"] == 304 and feed["etag"] == '"v1"'
