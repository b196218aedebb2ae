"""Blocked, said plainly: anti-bot challenge and block pages (scraper/challenges.py).

Each vendor's page (tests/fixtures/challenges, written from the pages the
vendors serve) is served on 127.0.0.1 with its status and headers, as the
article pages of one source per vendor; `newsarchive poll` must archive none
of them, record `blocked: <vendor>` once per source and run, fail the run and
the command saying so, and flag the source `blocked` in `newsarchive status`
(exit 1) with its next poll backed off. A source blocked halfway keeps what it
archived and is flagged too, and so is one whose feed is challenged; an article
with a CAPTCHA on its comment form, or one that quotes a challenge's title, is
an article.
"""

from __future__ import annotations

import sqlite3
import subprocess
from datetime import datetime
from pathlib import Path

import pytest

from scraper.challenges import challenge_vendor
from tests.local_http import NO_DELAY, Handler, newsarchive, serving

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent
PAGES = REPO / "tests" / "fixtures" / "challenges"
LOCAL = [*NO_DELAY, "-s", "RETRY_TIMES=0", "-s", "NEWSARCHIVE_EXTRACT_WORKERS=1"]

# source id -> (page, status, headers, vendor): as each vendor serves its page.
CHALLENGES = {
    "cf": (
        "cloudflare-challenge.html",
        403,
        {"Server": "cloudflare", "cf-mitigated": "challenge", "CF-RAY": "8f2a1b3c4d5e6f70-FRA"},
        "cloudflare",
    ),
    "cflegacy": ("cloudflare-legacy.html", 503, {"Server": "cloudflare"}, "cloudflare"),
    "cfblock": ("cloudflare-blocked.html", 403, {"Server": "cloudflare"}, "cloudflare"),
    "ddg": ("ddos-guard.html", 403, {"Server": "ddos-guard"}, "ddos-guard"),
    "sucuri": (
        "sucuri-blocked.html",
        403,
        {"Server": "Sucuri/Cloudproxy", "X-Sucuri-ID": "11005", "X-Sucuri-Block": "GEO02"},
        "sucuri",
    ),
    "sucurijs": ("sucuri-challenge.html", 200, {"Server": "Sucuri/Cloudproxy"}, "sucuri"),
    "imperva": (
        "imperva.html",
        200,
        {"X-Iinfo": "5-12345678-0 0NNN RT(1733450000000 12)"},
        "imperva",
    ),
    "akamai": ("akamai.html", 403, {"Server": "AkamaiGHost"}, "akamai"),
    "captcha": ("captcha.html", 429, {}, "captcha"),
}

STORY = " ".join(["Bakers in the old city said flour deliveries resumed this week."] * 40)
OTHER_STORY = " ".join(["Teachers in the northern villages said the schools opened again."] * 40)


def article(title: str, extra: str = "", story: str = STORY) -> bytes:
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        '<meta property="og:type" content="article"><meta property="article:published_time" '
        f'content="2024-05-02T09:00:00+00:00"></head><body><article><h1>{title}</h1>'
        f"<p>{story}</p><p>{story.upper()}</p></article>{extra}</body></html>"
    ).encode()


# An article page of a site behind Cloudflare, with a reCAPTCHA on its comment form.
COMMENTS = (
    '<form id="comments"><div class="g-recaptcha" data-sitekey="k"></div></form>'
    '<script src="/cdn-cgi/challenge-platform/h/b/scripts/jsd/main.js"></script>'
)
GOOD = {
    "/halfway/news/good.html": article("Bread again", COMMENTS),
    "/halfway/news/quoted.html": article("Just a moment...", story=OTHER_STORY),
}


def feed(base: str, source: str) -> bytes:
    names = ["good", "quoted", "blocked"] if source == "halfway" else ["1", "2"]
    items = "".join(
        f"<item><title>{n}</title><link>{base}/{source}/news/{n}.html</link></item>" for n in names
    )
    channel = f"<channel><title>t</title>{items}</channel>"
    return f'<?xml version="1.0"?><rss version="2.0">{channel}</rss>'.encode()


class Protected(Handler):
    def do_GET(self):  # noqa: N802 - http.server API
        base = f"http://127.0.0.1:{self.server.server_port}"
        source, _, rest = self.path.lstrip("/").partition("/")
        if self.path == "/robots.txt":
            return self.answer(200, b"User-agent: *\nDisallow:\n", "text/plain")
        if rest == "feed.xml" and source != "feedblocked":
            return self.answer(200, feed(base, source), "application/rss+xml")
        if self.path in GOOD:
            return self.answer(200, GOOD[self.path], "text/html; charset=utf-8")
        page, status, headers, _vendor = CHALLENGES.get(source, CHALLENGES["cf"])
        body = (PAGES / page).read_bytes()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=UTF-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)
        return None


def run(work: Path, *args: str) -> subprocess.CompletedProcess:
    return newsarchive(work, *LOCAL, *args)


@pytest.fixture(scope="module")
def polled(tmp_path_factory):
    work = tmp_path_factory.mktemp("blocked")
    with serving(Protected) as base:
        (work / "sources.toml").write_text(
            "".join(
                f'[{s}]\nname = "{s}"\nhomepage = "{base}/{s}/"\nlanguage = "en"\n'
                f'feeds = ["{base}/{s}/feed.xml"]\n\n'
                for s in [*CHALLENGES, "halfway", "feedblocked"]
            ),
            encoding="utf-8",
        )
        poll = run(
            work,
            "poll",
            *CHALLENGES,
            "halfway",
            "feedblocked",
            "--db",
            "b.db",
            "--sources",
            "sources.toml",
        )
        status = run(work, "status", "--db", "b.db")
        db = sqlite3.connect(work / "b.db")
        db.row_factory = sqlite3.Row
        yield poll, status, db, base
        db.close()


def test_no_challenge_page_is_archived(polled):
    _poll, _status, db, base = polled
    urls = {r["url"] for r in db.execute("select url from articles")}
    assert urls == {f"{base}/halfway/news/good.html", f"{base}/halfway/news/quoted.html"}
    assert not db.execute("select 1 from held_pages").fetchall()


@pytest.mark.parametrize("source", sorted(CHALLENGES))
def test_blocked_is_recorded_once_per_source_and_run_with_its_vendor(polled, source):
    _poll, _status, db, base = polled
    vendor = CHALLENGES[source][3]
    rows = db.execute("select url, error from failures where source = ?", [source])
    (failure,) = rows.fetchall()  # two pages behind the challenge: one line
    assert failure["error"] == f"blocked: {vendor}"
    assert failure["url"] in (f"{base}/{source}/news/1.html", f"{base}/{source}/news/2.html")
    (run,) = db.execute("select status, error from crawl_runs where source = ?", [source])
    assert run["status"] == "failed"
    assert run["error"] == f"blocked: {vendor} (first: {failure['url']})"


@pytest.mark.parametrize("source", sorted(CHALLENGES))
def test_a_blocked_source_is_flagged_and_backed_off(polled, source):
    _poll, status, db, _base = polled
    row = db.execute("select * from sources where id = ?", [source]).fetchone()
    assert row["last_outcome"] == "blocked"
    assert row["last_error"] == f"blocked: fetch: blocked: {CHALLENGES[source][3]}"
    assert row["consecutive_failures"] == 1
    # backed off: past the source's usual interval (the default poll interval, doubled)
    waited = datetime.fromisoformat(row["next_poll"]) - datetime.fromisoformat(row["last_error_at"])
    assert waited.total_seconds() >= 2 * row["current_interval"]
    (line,) = [line for line in status.stdout.splitlines() if line.split()[:1] == [source]]
    assert "blocked" in line.split()[1].split(",")


def test_a_source_blocked_halfway_keeps_its_articles_and_is_flagged(polled):
    poll, _status, db, base = polled
    (run,) = db.execute("select status, new, error from crawl_runs where source = 'halfway'")
    assert (run["status"], run["new"]) == ("finished", 2)
    assert run["error"] == f"blocked: cloudflare (first: {base}/halfway/news/blocked.html)"
    assert f"Warning: halfway: blocked: cloudflare (first: {base}/halfway/news/blocked.html)" in (
        poll.stderr
    )
    row = db.execute("select last_outcome from sources where id = 'halfway'").fetchone()
    assert row["last_outcome"] == "blocked"


def test_a_challenged_feed_is_blocked_too(polled):
    _poll, _status, db, base = polled
    rows = db.execute("select url, stage, error from failures where source = 'feedblocked'")
    assert [tuple(r) for r in rows] == [
        (f"{base}/feedblocked/feed.xml", "feed", "blocked: cloudflare")
    ]
    row = db.execute("select last_outcome from sources where id = 'feedblocked'").fetchone()
    assert row["last_outcome"] == "blocked"


def test_the_commands_say_blocked_and_fail(polled):
    poll, status, _db, base = polled
    assert poll.returncode == 1, poll.stdout + poll.stderr
    assert f"Error: cf: failed: blocked: cloudflare (first: {base}/cf/news/" in poll.stderr
    assert "Error: akamai: failed: blocked: akamai" in poll.stderr
    assert "Traceback" not in poll.stderr
    assert status.returncode == 1, status.stdout + status.stderr


NORMAL = {"Server": ["cloudflare"], "CF-RAY": ["8f2a1b3c4d5e6f70-FRA"]}


@pytest.mark.parametrize(
    "status, headers, body",
    [
        # a site behind Cloudflare: its pages carry Cloudflare's bot script
        (200, NORMAL, GOOD["/halfway/news/good.html"]),
        # an article about challenges, its title quoting one, not served by Cloudflare
        (200, {}, GOOD["/halfway/news/quoted.html"]),
        # a CAPTCHA page that is not a refusal (a sign-up form) is the site's page
        (200, {}, (PAGES / "captcha.html").read_bytes()),
        # a plain 403 of the site's own server
        (403, {"Server": ["nginx"]}, b"<html><body><h1>403 Forbidden</h1></body></html>"),
    ],
)
def test_pages_that_are_not_challenges(status, headers, body):
    assert challenge_vendor(status, headers, body) is None
