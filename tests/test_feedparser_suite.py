"""feedparser's own test suite, polled through `newsarchive poll`: 2,200 odd feeds, no crash.

feedparser's sdist ships its whole public test suite (BSD-2-Clause, Kurt McKee
and Mark Pilgrim; the licence comes with the sdist): about 2,200 feeds in every
dialect and every way of being broken (bad encodings, entities, ill-formed XML,
compressed bodies, HTTP statuses and headers). The test downloads the sdist of
the installed feedparser once (pip download, into .pytest_cache, reused), lays
its tests/ folder out as a site copy on 127.0.0.1, with each file's
``Header:`` lines as the HTTP headers it is served with (as feedparser's own
runtests.py serves them), and polls all of it through the CLI, a hundred feeds
per source. Nothing may go unhandled (no traceback, no spider error), every
feed is accounted for (read, or a recorded failure), and no failure is recorded
twice.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import time
from importlib.metadata import version
from pathlib import Path

import pytest

from benchmarks.corpus_site import free_port
from scraper.offline.copies import SiteCopy
from scraper.offline.server import MirrorServer
from tests.local_http import NO_DELAY
from tests.reliability_figures import record

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent
VERSION = version("feedparser")
CACHE = REPO / ".pytest_cache" / "feedparser-sdist"
FEEDS_PER_SOURCE = 100
_HEADER = re.compile(rb"^Header:\s+([^:]+):(.+)$", re.MULTILINE)


def feedparser_tests() -> Path:
    """The sdist's tests/ folder, downloaded and unpacked once."""
    unpacked = CACHE / f"feedparser-{VERSION}"
    if (unpacked / "tests").is_dir():
        return unpacked / "tests"
    CACHE.mkdir(parents=True, exist_ok=True)
    sdist = CACHE / f"feedparser-{VERSION}.tar.gz"
    if not sdist.is_file():
        got = subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                f"feedparser=={VERSION}",
                "--no-deps",
                "--no-binary",
                ":all:",
                "--disable-pip-version-check",
                "-q",
                "-d",
                str(CACHE),
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
        if got.returncode or not sdist.is_file():
            pytest.fail(f"could not download the feedparser {VERSION} sdist: {got.stderr}")
    with tarfile.open(sdist) as tar:
        members = [m for m in tar.getmembers() if m.name.startswith(f"feedparser-{VERSION}/")]
        tar.extractall(CACHE, members=members, filter="data")
    return unpacked / "tests"


def served_headers(path: Path, rel: str) -> dict[str, str]:
    """The headers feedparser's runtests.py serves a test file with."""
    if rel.startswith("tests/compression/"):
        encoding = "gzip" if rel.endswith("gz") else "deflate"
        return {"Content-Encoding": encoding, "Content-type": "application/xml"}
    return {
        k.decode().strip(): v.decode("utf-8").strip() for k, v in _HEADER.findall(path.read_bytes())
    }


def build_site(root: Path, tests: Path, base: str) -> list[str]:
    """A site copy serving the suite at /tests/...; returns the feeds' URLs."""
    www = root / "www"
    shutil.copytree(tests, www / "tests", ignore=shutil.ignore_patterns("*.py"))
    feeds, routes = [], []
    for path in sorted((www / "tests").rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(www).as_posix()
        feeds.append(f"{base}/{rel}")
        headers = served_headers(path, rel)
        if not headers:
            continue
        # A test's own Location names feedparser's fixed test server (localhost:8097):
        # another host, so the crawl must refuse to follow it.
        status = headers.pop("Status", None)
        content_type = headers.pop("Content-type", None)
        route = [f"[routes.{json.dumps('/' + rel)}]", f"file = {json.dumps(rel)}"]
        if status:
            route.append(f"status = {int(status)}")
        if content_type:
            route.append(f"content_type = {json.dumps(content_type)}")
        if headers:
            pairs = ", ".join(f"{json.dumps(k)} = {json.dumps(v)}" for k, v in headers.items())
            route.append(f"headers = {{ {pairs} }}")
        routes.append("\n".join(route))
    (www / "robots.txt").write_text("User-agent: *\nDisallow:\n", encoding="utf-8")
    (root / "site.toml").write_text(
        'host = "127.0.0.1"\nscheme = "http"\n\n' + "\n\n".join(routes) + "\n", encoding="utf-8"
    )
    return feeds


def registry(path: Path, base: str, feeds: list[str]) -> list[str]:
    """Sources of FEEDS_PER_SOURCE feeds each; returns their ids."""
    ids, tables = [], []
    for n in range(0, len(feeds), FEEDS_PER_SOURCE):
        source_id = f"fp{n // FEEDS_PER_SOURCE:02d}"
        ids.append(source_id)
        chunk = ", ".join(json.dumps(f) for f in feeds[n : n + FEEDS_PER_SOURCE])
        tables.append(
            f'[{source_id}]\nname = "feedparser tests {n}"\nhomepage = "{base}/"\n'
            f'language = "en"\nfeeds = [{chunk}]\n'
        )
    path.write_text("\n".join(tables), encoding="utf-8")
    return ids


@pytest.fixture(scope="module")
def polled(tmp_path_factory):
    tests = feedparser_tests()
    work = tmp_path_factory.mktemp("feedparser")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    feeds = build_site(work / "site", tests, base)
    ids = registry(work / "fp.toml", base, feeds)
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        # Served from the copy; any other host is refused at the download handler too,
        # so no entry link can reach beyond this machine even if the scope let it by.
        "NEWSARCHIVE_MIRRORS": json.dumps({"127.0.0.1": base}),
    }
    started = time.monotonic()
    with MirrorServer([SiteCopy.load(work / "site")], port=port) as server:
        polled = subprocess.run(
            [
                sys.executable,
                "-m",
                "scraper.cli",
                "-v",
                *NO_DELAY,
                "-s",
                "NEWSARCHIVE_MIRRORS_ONLY=true",
                "-s",
                "RETRY_TIMES=0",
                "-s",
                "DOWNLOAD_TIMEOUT=20",
                "poll",
                *ids,
                "--sources",
                "fp.toml",
                "--db",
                "a.db",
            ],
            cwd=work,
            capture_output=True,
            text=True,
            timeout=600,
            env=env,
        )
        requests = list(server.requests)
    seconds = time.monotonic() - started
    (work / "poll.log").write_text(polled.stdout + polled.stderr, encoding="utf-8")
    db = sqlite3.connect(work / "a.db")
    db.row_factory = sqlite3.Row
    yield {"polled": polled, "feeds": feeds, "requests": requests, "db": db, "seconds": seconds}
    db.close()


def test_every_feed_is_polled_without_an_unhandled_error(polled):
    out = polled["polled"].stdout + polled["polled"].stderr
    assert "Traceback" not in out, out[out.find("Traceback") - 2000 :][:6000]
    assert "Spider error processing" not in out
    assert "'log_count/ERROR'" not in out, [line for line in out.splitlines() if "ERROR" in line]
    runs = polled["db"].execute("select source, status, error from crawl_runs").fetchall()
    assert len(runs) == -(-len(polled["feeds"]) // FEEDS_PER_SOURCE)
    # The suite's entries link to example.org and the like (refused) or to paths this
    # copy lacks (404): most runs are "empty" or "failed", each saying why in one line,
    # and poll says so on screen and in its exit status.
    bad = [r for r in runs if r["status"] != "finished"]
    assert {r["status"] for r in bad} <= {"empty", "failed"}
    for run in bad:
        assert run["error"] and "\n" not in run["error"]
        assert f"Error: {run['source']}: {run['status']}: " in polled["polled"].stderr
    assert polled["polled"].returncode == (1 if bad else 0), out[-3000:]


def test_every_feed_is_accounted_for(polled):
    db = polled["db"]
    read = {r["url"] for r in db.execute("select url from feeds")}
    failed = {r["url"] for r in db.execute("select url from failures where stage = 'feed'")}
    fetched = {r["url"] for r in db.execute("select url from failures where stage = 'fetch'")}
    lost = [f for f in polled["feeds"] if f not in read | failed | fetched]
    # The feeds that redirect point at feedparser's own test server (localhost:8097):
    # refused at their target, once per reason and run, so they are the only ones unnamed.
    redirected = [f for f in lost if re.search(r"http_status_30[1237]|http_redirect", f)]
    assert lost == redirected, lost[:20]
    # A feed that reads as having no entries is one failure saying so (and why), no more.
    empty = {r["url"] for r in db.execute("select url from feeds where last_entry_count = 0")}
    said = {
        r["url"]
        for r in db.execute(
            "select url from failures where stage = 'feed' and error like 'feed has no entries%'"
        )
    }
    assert empty <= said


def test_no_failure_is_recorded_twice_and_each_is_one_readable_line(polled):
    db = polled["db"]
    rows = db.execute("select run_id, url, stage, error from failures").fetchall()
    keys = [(r["run_id"], r["url"], r["stage"], r["error"]) for r in rows]
    assert len(keys) == len(set(keys)), [k for k in keys if keys.count(k) > 1][:10]
    per_feed = db.execute(
        "select url, count(*) n from failures where stage = 'feed' and error like 'feed has%' "
        "group by run_id, url having n > 1"
    ).fetchall()
    assert per_feed == []
    assert all(r["error"] and "\n" not in r["error"] and len(r["error"]) <= 400 for r in rows)
    # Redirects to feedparser's own test server (localhost:8097) were refused, not followed.
    assert not [r for r in polled["requests"] if r.path.startswith("/-/")]
    stages = dict(db.execute("select stage, count(*) from failures group by stage").fetchall())
    read = db.execute("select count(*) from feeds").fetchone()[0]
    bozo = db.execute("select count(*) from feeds where bozo_error is not null").fetchone()[0]
    record(
        "feedparser_suite",
        feedparser=VERSION,
        files=len(polled["feeds"]),
        sources=len(db.execute("select 1 from crawl_runs").fetchall()),
        feeds_read=read,
        bozo_feeds=bozo,
        failures_by_stage=stages,
        requests=len(polled["requests"]),
        poll_seconds=round(polled["seconds"], 1),
    )
