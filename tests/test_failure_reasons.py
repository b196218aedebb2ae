"""Failing loudly: every failure is one readable line, recorded once, and polls say so.

A small server on 127.0.0.1 misbehaves the way real ones do: a page whose
connection closes before its Content-Length is reached, two feed entries that
redirect to each other, a malformed feed with no entries, and a feed listed at
https:// on a server that speaks plain http. `newsarchive poll` records each
as one line a person can act on (no Twisted or OpenSSL reprs, never empty),
once. And `poll` and `schedule --once` exit non-zero when a run failed, zero
when the run worked (with failures of single pages).
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.local_http import NO_DELAY, Handler, newsarchive, serving

pytestmark = pytest.mark.slow

LOCAL = [*NO_DELAY, "-s", "RETRY_TIMES=0", "-s", "NEWSARCHIVE_EXTRACT_WORKERS=1"]
STORY = " ".join(["Bakers in the old city said flour deliveries resumed this week."] * 40)
OTHER_STORY = " ".join(["Teachers in the northern villages said the schools opened again."] * 40)
GOOD = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bread again</title>'
    '<meta property="og:type" content="article"><meta property="article:published_time" '
    'content="2024-05-02T09:00:00+00:00"></head><body><article><h1>Bread again</h1>'
    f"<p>{STORY}</p><p>{STORY.upper()}</p></article></body></html>"
).encode()
OTHER = GOOD.replace(b"Bread again", b"Schools open").replace(STORY.encode(), OTHER_STORY.encode())
OTHER = OTHER.replace(STORY.upper().encode(), OTHER_STORY.upper().encode())
ENTRIES = ["good", "truncated", "loop-a", "loop-b"]


def feed(base: str) -> bytes:
    # A relative link and a mailto: link lead; the entries after them still count.
    links = [
        "/news/relative.html",
        "mailto:desk@example.org",
        *(f"{base}/news/{e}.html" for e in ENTRIES),
    ]
    items = "".join(
        f"<item><title>{n}</title><link>{link}</link></item>" for n, link in enumerate(links)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'
    ).encode()


class Misbehaving(Handler):
    def do_GET(self):  # noqa: N802 - http.server API
        base = f"http://127.0.0.1:{self.server.server_port}"
        path = self.path
        if path == "/robots.txt":
            return self.answer(200, b"User-agent: *\nDisallow:\n", "text/plain")
        if path == "/feed.xml":
            return self.answer(200, feed(base), "application/rss+xml")
        if path == "/bozo.xml":  # cut off mid-document: malformed, and no entry at all
            return self.answer(200, b'<?xml version="1.0"?><rss><channel><title>t<', "text/xml")
        if path == "/dead.xml":
            return self.answer(404, b"gone", "text/plain")
        if path in ("/news/good.html", "/news/relative.html"):
            body = GOOD if path == "/news/good.html" else OTHER
            return self.answer(200, body, "text/html; charset=utf-8")
        if path == "/news/truncated.html":
            # Promise 20,000 bytes, send 500, hang up: a dropped connection mid-page.
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "20000")
            self.end_headers()
            self.wfile.write(GOOD[:500])
            self.close_connection = True
            return None
        if path in ("/news/loop-a.html", "/news/loop-b.html"):
            other = "b" if path.endswith("a.html") else "a"
            self.send_response(301)
            self.send_header("Location", f"{base}/news/loop-{other}.html")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        return self.answer(404, b"not here", "text/plain")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    work = tmp_path_factory.mktemp("reasons")
    with serving(Misbehaving) as base:
        https = base.replace("http://", "https://")
        (work / "sources.toml").write_text(
            f'[reasons]\nname = "Misbehaving"\nhomepage = "{base}/"\nlanguage = "en"\n'
            f'feeds = ["{base}/feed.xml", "{base}/bozo.xml", "{https}/tls.xml"]\n\n'
            f'[dead]\nname = "Gone"\nhomepage = "{base}/"\nlanguage = "en"\n'
            f'feeds = ["{base}/dead.xml"]\n',
            encoding="utf-8",
        )
        yield work, base


def run(work: Path, *args: str) -> subprocess.CompletedProcess:
    return newsarchive(work, *LOCAL, *args, "--sources", "sources.toml")


@pytest.fixture(scope="module")
def polled(site):
    work, base = site
    result = run(work, "poll", "reasons", "--db", "reasons.db")
    db = sqlite3.connect(work / "reasons.db")
    db.row_factory = sqlite3.Row
    yield result, db, base
    db.close()


def failures(db, url: str) -> list[str]:
    return [r["error"] for r in db.execute("select error from failures where url = ?", [url])]


def test_a_truncated_page(polled):
    _result, db, base = polled
    assert failures(db, f"{base}/news/truncated.html") == [
        "response truncated: the connection closed before the whole page arrived"
    ]


def test_a_redirect_loop_of_two_feed_entries_is_recorded_once(polled):
    _result, db, base = polled
    rows = db.execute("select url, error from failures where error like 'redirect loop%'")
    (loop,) = [(r["url"], r["error"]) for r in rows]
    a, b = f"{base}/news/loop-a.html", f"{base}/news/loop-b.html"
    assert loop[1] in (f"redirect loop: {b} -> {a} -> {b}", f"redirect loop: {a} -> {b} -> {a}")
    assert not db.execute("select 1 from articles where url like '%loop%'").fetchall()


def test_a_malformed_feed_without_entries_is_one_failure(polled):
    _result, db, base = polled
    (reason,) = failures(db, f"{base}/bozo.xml")
    assert reason.startswith("feed has no entries (malformed: ")


def test_https_to_a_plain_http_server(polled):
    _result, db, base = polled
    https = base.replace("http://", "https://")
    assert failures(db, f"{https}/tls.xml") == [
        "TLS handshake failed: the server does not speak https (try http://)"
    ]


def test_a_relative_entry_link_is_resolved_and_a_mailto_one_refused(polled):
    _result, db, base = polled
    urls = {r["url"] for r in db.execute("select url from articles")}
    assert urls == {f"{base}/news/good.html", f"{base}/news/relative.html"}
    (refusal,) = db.execute("select url, error from failures where stage = 'scope'").fetchall()
    assert refusal["url"] == "mailto:desk@example.org"
    assert refusal["error"].startswith("refused: ")


def test_every_reason_is_one_readable_line_and_the_poll_worked(polled):
    result, db, base = polled
    reasons = [r["error"] for r in db.execute("select error from failures")]
    assert len(reasons) == 5  # four failures and the mailto: refusal
    for reason in reasons:
        assert reason.strip() and "\n" not in reason and len(reason) <= 300
        assert not any(junk in reason for junk in ("<twisted", "Failure", "[<", "Traceback"))
    # The good entries were archived: the run worked, its page failures notwithstanding.
    (run,) = db.execute("select status, failed, new, extra_counts from crawl_runs").fetchall()
    assert (run["status"], run["failed"], run["new"]) == ("finished", 4, 2)
    assert json.loads(run["extra_counts"])["refused"] == 1
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("command", [["poll"], ["schedule", "--once"]])
def test_a_failed_run_makes_the_command_fail(site, command):
    work, _base = site
    db = f"{'-'.join(command)}.db"
    dead = run(work, *command, "dead", "--db", db)
    assert dead.returncode == 1, dead.stdout + dead.stderr
    assert "Error: dead: " in dead.stderr and "HTTP 404" in dead.stderr
    assert "Traceback" not in dead.stderr
    # The same command on a source that works, into the same archive: exit status 0.
    alive = run(work, *command, "reasons", "--db", db)
    assert alive.returncode == 0, alive.stdout + alive.stderr
