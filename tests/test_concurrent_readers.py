"""Readers never see "database is locked": datasette answers while crawls write.

`newsarchive serve` reads the archive that three crawls in a row (every
offline copy, through the CLI) are writing. Two reader threads request its
pages without pause the whole time: the home page, the articles table sorted
and faceted, an English and an Arabic search, the search page and the
dashboard's JSON. Every answer must be a 200 and none may mention a locked
database; the crawls must finish as they would alone.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

import pytest

from benchmarks.corpus_site import free_port
from scraper.offline import site_dirs
from scraper.offline.copies import SiteCopy
from scraper.offline.server import MirrorServer
from tests.conftest import get_when_up
from tests.local_http import NO_DELAY
from tests.reliability_figures import record

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent
CRAWLS = 3
PAGES = [
    "/",
    "/a/articles?_sort_desc=first_seen",
    "/a/articles?_facet=source&_facet=language",
    "/a/articles.json?_search=" + urllib.parse.quote("water"),
    "/a/articles.json?_search=" + urllib.parse.quote("الكهرباء"),
    "/a/search?q=" + urllib.parse.quote("دير الزور"),
    "/a/search?q=farmers",
]


def newsarchive(args: list[str], env: dict, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "scraper.cli", *args], env=env, cwd=REPO, text=True, **kwargs
    )


def test_datasette_answers_every_request_while_three_crawls_write(tmp_path):
    db = tmp_path / "a.db"
    copies = [SiteCopy.load(d) for d in site_dirs()]
    statuses: Counter = Counter()
    locked: list[str] = []
    done = threading.Event()

    def read(base: str, offset: int) -> None:
        n = offset
        while not done.is_set():
            url = base + PAGES[n % len(PAGES)]
            n += 1
            try:
                with urllib.request.urlopen(url, timeout=30) as response:
                    body, status = response.read(), response.status
            except urllib.error.HTTPError as error:
                body, status = error.read(), error.code
            statuses[status] += 1
            if b"locked" in body:
                locked.append(url)

    with MirrorServer(copies) as server:
        env = {
            **os.environ,
            "PYTHONPATH": str(REPO),
            "NEWSARCHIVE_MIRRORS": json.dumps(server.mirrors),
        }
        crawl = [
            "-s",
            "NEWSARCHIVE_MIRRORS_ONLY=true",
            *NO_DELAY,
            "crawl",
            *[c.id for c in copies],
            "--db",
            str(db),
        ]
        # The file must exist for datasette: the first crawl makes it (a moment), then
        # the readers start while it goes on.
        first = newsarchive(crawl, env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        while not db.exists() and first.poll() is None:
            time.sleep(0.05)
        port = free_port()
        serve = newsarchive(
            ["serve", "--db", str(db), "--port", str(port)],
            env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            get_when_up(base + "/", serve, timeout=60)
            readers = [threading.Thread(target=read, args=(base, i)) for i in range(2)]
            for reader in readers:
                reader.start()
            started = time.monotonic()
            outputs = [first.communicate(timeout=600)[0]]
            returncodes = [first.returncode]
            for _ in range(CRAWLS - 1):
                again = newsarchive(crawl, env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
                outputs.append(again.communicate(timeout=600)[0])
                returncodes.append(again.returncode)
            seconds = time.monotonic() - started
            done.set()
            for reader in readers:
                reader.join(timeout=60)
        finally:
            done.set()
            serve.terminate()
            serve.wait(timeout=30)

    requests = sum(statuses.values())
    record(
        "concurrent_readers",
        crawls=CRAWLS,
        requests=requests,
        seconds=round(seconds, 1),
        statuses={str(k): v for k, v in statuses.items()},
        locked=len(locked),
    )
    for output in outputs:
        assert "locked" not in output and "Traceback" not in output, output[-3000:]
    # Exit 1 is a source's own failure (a copy's deliberately gone page), not the archive.
    assert set(returncodes) <= {0, 1}, outputs
    assert locked == []
    assert statuses == Counter({200: requests}), statuses
    assert requests >= 100, statuses
