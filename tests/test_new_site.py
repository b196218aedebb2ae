"""An outlet that is not one of ours: real article pages, plain http, no rules at all.

The public corpora's pages (tests/corpora) are laid out as one news site
(benchmarks/corpus_site.py) and served on 127.0.0.1 over plain http with a feed,
a sitemap, listings and robots.txt. A user adds it with `newsarchive sources add`
and crawls it with `newsarchive crawl`, as the README says. Then three broken
variants of it must each fail loudly and fast: https addresses that reach a
server speaking only http, a host name that does not resolve (in a network
namespace with only loopback, so no query leaves the machine), and a site whose
every article answers 404. A site that goes down in the middle of a crawl ends
it, with what it archived kept.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
import trafilatura

from benchmarks.corpus import load_cases, score, tokens
from benchmarks.corpus_site import build_corpus_site, free_port
from scraper.offline.copies import SiteCopy
from scraper.offline.server import MirrorServer
from tests.local_http import COMMAND, NO_DELAY, environment, newsarchive

pytestmark = pytest.mark.slow

# The corpus pages whose known answer is an article (the suites hold a few unit-test
# fragments, such as readability's 36-word "remove-aria-hidden").
ARTICLES = [
    c for c in load_cases() if c.expected_text is None or len(tokens(c.expected_text)) >= 40
]
# Every third page of every suite (about 115): each suite's kinds of markup, in a few
# minutes on two cores; benchmarks/bench_new_site.py measures all of them.
CASES = ARTICLES[::3]
# The crawl of the broken variants (each test writes its broken.toml).
BROKEN = ["crawl", "broken", "--sources", "broken.toml", "--db", "a.db"]
CRAWL_BROKEN = [*COMMAND, *NO_DELAY, *BROKEN]


@pytest.fixture(scope="module")
def added_and_crawled(tmp_path_factory):
    work = tmp_path_factory.mktemp("newsite")
    port = free_port()
    site = build_corpus_site(work / "site", port, CASES)
    with MirrorServer([SiteCopy.load(site.root)], port=port) as server:
        added = newsarchive(
            work,
            *NO_DELAY,
            "sources",
            "add",
            f"{site.base_url}/",
            "--id",
            "corpus",
            "-o",
            "mine.toml",
            timeout=600,
        )
        assert added.returncode == 0, added.stderr
        crawled = newsarchive(
            work,
            *NO_DELAY,
            "crawl",
            "corpus",
            "--sources",
            "mine.toml",
            "--db",
            "a.db",
            timeout=600,
        )
        requests = list(server.requests)
    db = sqlite3.connect(work / "a.db")
    db.row_factory = sqlite3.Row
    return {
        "site": site,
        "added": added,
        "crawled": crawled,
        "db": db,
        "requests": requests,
        "work": work,
    }


def test_sources_add_finds_what_the_site_offers(added_and_crawled):
    site = added_and_crawled["site"]
    entry = (added_and_crawled["work"] / "mine.toml").read_text()
    assert f'feeds = ["{site.feed_url}"]' in entry
    assert f'sitemaps = ["{site.sitemap_url}"]' in entry
    assert 'language = "en"' in entry and 'pagination = "{listing}page/{n}/"' in entry
    # The pattern is written against the addresses as served: plain http, the port.
    assert r"article_pattern = '^http://127\.0\.0\.1:" in entry


def test_every_article_page_is_archived_at_the_address_it_is_served_at(added_and_crawled):
    crawled, db, site = (added_and_crawled[k] for k in ("crawled", "db", "site"))
    assert crawled.returncode == 0, crawled.stderr
    (run,) = db.execute("select * from crawl_runs").fetchall()
    assert run["status"] == "finished"
    served = {a.url for a in site.articles}
    # The pages are real: a few link, on this host, to their own site's paths that
    # match the pattern; those answer 404 here, and are recorded as such.
    failures = db.execute("select url, error from failures where stage != 'scope'").fetchall()
    assert run["failed"] == len(failures) <= 5
    assert all(f["error"] == "HTTP 404" and f["url"] not in served for f in failures)
    urls = {row["url"] for row in db.execute("select url from articles")}
    aliases = {row["url"] for row in db.execute("select url from url_aliases")}
    # Two corpus pages are the same page twice: the second is recorded as an alias.
    assert served <= urls | aliases
    assert len(urls & served) >= len(served) - 2
    assert all(u.startswith(site.base_url + "/") for u in urls)
    # Nothing was fetched twice, and nothing but the site's own pages.
    paths = [r.path for r in added_and_crawled["requests"] if r.method == "GET"]
    article_paths = [p for p in paths if p.startswith("/2024/")]
    assert len(article_paths) == len(set(article_paths))


def test_bodies_are_at_least_as_good_as_bare_trafilatura(added_and_crawled):
    db, site = added_and_crawled["db"], added_and_crawled["site"]
    bodies = {row["url"]: row["body"] for row in db.execute("select url, body from articles")}
    ours, bare = [], []
    for article in site.articles:
        case = article.case
        if case.expected_text is None or article.url not in bodies:
            continue
        ours.append(score(bodies[article.url], case.expected_text)[2])
        bare.append(score(trafilatura.extract(case.html) or "", case.expected_text)[2])
    assert len(ours) > 80
    assert sum(ours) / len(ours) >= sum(bare) / len(bare)


def _broken_site(work: Path, port: int, *, articles_gone: bool = False):
    site = build_corpus_site(work / "site", port, CASES[:20])
    if articles_gone:
        shutil.rmtree(site.root / "www" / "2024")
    return site


def _source_file(path: Path, base: str) -> Path:
    path.write_text(
        f'[broken]\nname = "Broken"\nhomepage = "{base}/"\nlanguage = "en"\n'
        f'feeds = ["{base}/feed.xml"]\nsitemaps = ["{base}/sitemap.xml"]\n',
        encoding="utf-8",
    )
    return path


def _assert_fails_loudly(work: Path, crawl: list[str], started: float, reason: str) -> None:
    result = subprocess.run(crawl, cwd=work, capture_output=True, text=True, timeout=300)
    elapsed = time.monotonic() - started
    assert result.returncode != 0, result.stdout
    assert "Error: broken: failed" in result.stderr, result.stderr
    assert reason in result.stderr and "http" in result.stderr, result.stderr
    assert elapsed < 60, f"took {elapsed:.0f} s to fail"
    status = newsarchive(work, "status", "--db", "a.db")
    assert status.returncode == 1
    (line,) = [line for line in status.stdout.splitlines() if line.startswith("broken")]
    assert "failing" in line and "last error" in status.stdout


def test_https_addresses_to_a_plain_http_server_fail_fast(tmp_path):
    port = free_port()
    site = _broken_site(tmp_path, port)
    https = site.base_url.replace("http://", "https://")
    _source_file(tmp_path / "broken.toml", https)
    with MirrorServer([SiteCopy.load(site.root)], port=port):
        started = time.monotonic()
        _assert_fails_loudly(tmp_path, CRAWL_BROKEN, started, "does not speak https")


def test_a_host_name_that_does_not_resolve_fails_fast(tmp_path):
    if shutil.which("unshare") is None or subprocess.run(["unshare", "-n", "true"]).returncode:
        pytest.fail("this test needs `unshare -n` (util-linux, as root): no query may leave")
    _source_file(tmp_path / "broken.toml", "http://news.does-not-exist.invalid")
    started = time.monotonic()
    _assert_fails_loudly(tmp_path, ["unshare", "-n", *CRAWL_BROKEN], started, "DNS lookup failed")


def test_a_site_whose_every_article_is_gone_fails(tmp_path):
    port = free_port()
    site = _broken_site(tmp_path, port, articles_gone=True)
    _source_file(tmp_path / "broken.toml", site.base_url)
    with MirrorServer([SiteCopy.load(site.root)], port=port):
        started = time.monotonic()
        _assert_fails_loudly(tmp_path, CRAWL_BROKEN, started, "HTTP 404")


def _archived(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:  # not made yet
        return 0


def test_a_site_that_goes_down_mid_crawl_ends_the_crawl(tmp_path):
    """The server stops once an article is archived: the rest of the queue is refused at once
    with the reason, not retried with backoff page after page (here ~19 pages x 7 s)."""
    port = free_port()
    site = _broken_site(tmp_path, port)
    _source_file(tmp_path / "broken.toml", site.base_url)
    crawl = [
        *COMMAND,
        *("-s", "AUTOTHROTTLE_ENABLED=false", "-s", "DOWNLOAD_DELAY=0.5"),
        *("-s", "NEWSARCHIVE_HOST_DOWN_AFTER=3", "-s", "NEWSARCHIVE_HOST_DOWN_SECONDS=1"),
        *BROKEN,
    ]
    server = MirrorServer([SiteCopy.load(site.root)], port=port).start()
    try:
        process = subprocess.Popen(
            crawl, cwd=tmp_path, env=environment(), stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        deadline = time.monotonic() + 120
        while not _archived(tmp_path / "a.db"):
            assert time.monotonic() < deadline and process.poll() is None, "nothing archived"
            time.sleep(0.05)
    finally:
        server.stop()
    stopped = time.monotonic()
    try:
        _, stderr = process.communicate(timeout=120)
    finally:
        process.kill()
    stderr = stderr.decode()
    assert time.monotonic() - stopped < 60, stderr
    assert process.returncode == 0, stderr  # it archived what it could: finished
    assert "Warning: broken: 127.0.0.1 stopped answering" in stderr, stderr
    status = newsarchive(tmp_path, "status", "--db", "a.db")
    assert status.returncode == 1  # the source is failing until it answers again
    (line,) = [line for line in status.stdout.splitlines() if line.startswith("broken")]
    assert "failing" in line and "stopped answering" in status.stdout, status.stdout
    db = sqlite3.connect(tmp_path / "a.db")
    (down,) = db.execute(
        "SELECT count(*) FROM failures WHERE error LIKE '%stopped answering%'"
    ).fetchone()
    assert down >= 10 and _archived(tmp_path / "a.db") + down >= 19


def test_a_restart_is_not_a_site_gone_down(monkeypatch):
    """Refused connections for a few seconds (a server restarting) are retried; the host
    is given up only when nothing has answered for NEWSARCHIVE_HOST_DOWN_SECONDS."""
    from scrapy.exceptions import DownloadConnectionRefusedError, IgnoreRequest
    from scrapy.http import Request, Response
    from scrapy.utils.test import get_crawler

    from scraper import middlewares

    now = [1000.0]
    monkeypatch.setattr(middlewares, "monotonic", lambda: now[0])
    fail_fast = middlewares.FailFastMiddleware(get_crawler(settings_dict={}))
    page = Request("https://example.org/a")
    fail_fast.process_response(page, Response(page.url))
    for _ in range(50):
        fail_fast.process_exception(page, DownloadConnectionRefusedError())
    now[0] += 10
    assert fail_fast.process_request(page) is None
    fail_fast.process_response(page, Response(page.url))  # it is back
    now[0] += 200
    for _ in range(19):
        fail_fast.process_exception(page, DownloadConnectionRefusedError())
    assert fail_fast.process_request(page) is None  # long silent, but 19 attempts
    fail_fast.process_exception(page, DownloadConnectionRefusedError())
    with pytest.raises(IgnoreRequest, match="example.org stopped answering: 20 attempts"):
        fail_fast.process_request(page)
    assert fail_fast.process_request(Request("https://other.example/")) is None


@pytest.mark.parametrize(
    ("homepage", "expected"),
    [
        ("https://english.enabbaladi.net/", "english-enabbaladi"),
        ("https://www.sana.sy/en/", "sana"),
        # The host as hosts are compared everywhere (archive.urls.host_key): a trailing
        # dot and capitals are one host, and an Arabic name is its ASCII (IDNA) form.
        ("https://WWW.Example.COM./", "example"),
        ("https://سانا.سوريا/", "xn--mgba8aze"),
        ("http://127.0.0.1:8080/", "site-127-0-0-1-8080"),
    ],
)
def test_a_new_sources_id_comes_from_its_host(homepage, expected):
    from scraper.discover import default_id

    assert default_id(homepage) == expected
