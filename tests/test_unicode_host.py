"""A source written with a Unicode host (``سانا.سوريا``) accepts its own feed and pages.

Requests carry the host in its IDNA form (``xn--mgba8aze.xn--mgbtf8fl``); the
source's hosts, the crawl scope, the mirrors and the registry's host lookups
all compare hosts through archive.urls.normalise_host, so both spellings are
one host. The name is served from 127.0.0.1 through NEWSARCHIVE_MIRRORS (no
name lookup happens); the feed links one story in each spelling. Polled
through the CLI.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess

import pytest

from tests.local_http import COMMAND, NO_DELAY, Handler, environment, serving
from tests.test_scope_crawl import article

pytestmark = pytest.mark.slow

HOST = "سانا.سوريا"
ASCII_HOST = HOST.encode("idna").decode()
STORIES = {f"http://{HOST}/2024/05/story-1/", f"http://{ASCII_HOST}/2024/05/story-2/"}


class UnicodeSite(Handler):
    def do_GET(self):
        if self.path == "/robots.txt":
            self.answer(200, b"User-agent: *\nDisallow:\n", "text/plain")
        elif self.path == "/feed.xml":
            items = "".join(f"<item><title>{u}</title><link>{u}</link></item>" for u in STORIES)
            body = '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            body += f"<title>سانا</title><link>http://{HOST}/</link>{items}</channel></rss>"
            self.answer(200, body.encode(), "application/rss+xml; charset=utf-8")
        elif self.path.startswith("/2024/05/story-"):
            self.answer(200, article(self.path.strip("/")).encode(), "text/html; charset=utf-8")
        else:
            self.answer(404, b"not found", "text/plain")


def test_a_source_with_a_unicode_host_polls_its_own_feed(tmp_path):
    sources = tmp_path / "sana.toml"
    sources.write_text(
        f'[sana-idn]\nname = "SANA"\nhomepage = "http://{HOST}/"\nlanguage = "ar"\n'
        f'feeds = ["http://{HOST}/feed.xml"]\n',
        encoding="utf-8",
    )
    db = tmp_path / "archive.db"
    with serving(UnicodeSite) as base:
        done = subprocess.run(
            [*COMMAND, *NO_DELAY, "poll", "sana-idn", "--sources", str(sources), "--db", str(db)],
            cwd=tmp_path,
            env=environment(NEWSARCHIVE_MIRRORS=json.dumps({HOST: base})),
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode == 0, done.stdout + done.stderr
    with sqlite3.connect(db) as conn:
        archived = {url.rsplit("/", 2)[-2] for (url,) in conn.execute("select url from articles")}
        failures = list(conn.execute("select stage, url, error from failures"))
    assert archived == {"story-1", "story-2"}
    assert failures == []
