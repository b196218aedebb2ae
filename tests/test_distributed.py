"""The distributed crawl, end to end: a real redis-server, real workers and writer, the mirrors.

The workers and the writer run as `newsarchive worker` / `newsarchive writer`
processes, so they can be killed for real; the offline copies are served by
this process's MirrorServer (NEWSARCHIVE_MIRRORS), whose request log shows
what was fetched, how often, and how many requests a host had at once. The
redis-server is started on 127.0.0.1 on a free port and stopped at the end.
"""

from __future__ import annotations

import collections
import inspect
import io
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis

from archive.export import export
from benchmarks.corpus_site import free_port
from scraper.distributed.seed import SourceBusy, seed, wait_for_job
from scraper.distributed.status import cluster_status
from scraper.offline import SITES
from scraper.offline.copies import SiteCopy
from scraper.offline.server import MirrorServer
from tests.conftest import TEST_SETTINGS, crawl, expected

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted(d.name for d in SITES.iterdir() if (d / "site.toml").exists())
SO = "syrianobserver"
SO_HOST = "syrianobserver.com"
JOB_TIMEOUT = 240


@pytest.fixture(scope="module")
def redis_url():
    if shutil.which("redis-server") is None:
        pytest.fail("redis-server is missing (scripts/test.sh installs Debian's redis-server)")
    port = free_port()
    server = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    try:
        for _ in range(100):
            try:
                redis.Redis.from_url(url).ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        yield url
    finally:
        server.terminate()
        server.wait(10)


@pytest.fixture
def fresh_redis(redis_url):
    redis.Redis.from_url(redis_url).flushall()
    return redis_url


def mirror_server() -> MirrorServer:
    return MirrorServer([SiteCopy.load(SITES / s) for s in SOURCES])


class Cluster:
    """Workers and a writer as real `newsarchive` processes, stopped at the end."""

    def __init__(self, redis_url: str, server: MirrorServer, db: Path, tmp: Path) -> None:
        self.redis_url = redis_url
        self.db = db
        self.tmp = tmp
        self.env = {**os.environ, "NEWSARCHIVE_MIRRORS": json.dumps(server.mirrors)}
        self.settings: list[str] = []
        for name, value in {**TEST_SETTINGS, "NEWSARCHIVE_EXTRACT_WORKERS": 1}.items():
            if name != "LOG_LEVEL":
                self.settings += ["-s", f"{name}={json.dumps(value)}"]
        self.processes: list[subprocess.Popen] = []

    def _start(self, *args: str, name: str) -> subprocess.Popen:
        log = open(self.tmp / f"{name}-{len(self.processes)}.log", "w")  # noqa: SIM115
        process = subprocess.Popen(
            [sys.executable, "-m", "scraper.cli", *self.settings, *args],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.processes.append(process)
        return process

    def worker(self, *sources: str, extra: tuple[str, ...] = ()) -> subprocess.Popen:
        return self._start(*extra, "worker", "--redis", self.redis_url, *sources, name="worker")

    def writer(self) -> subprocess.Popen:
        return self._start("writer", "--redis", self.redis_url, "--db", str(self.db), name="writer")

    def crawl(self, sources: list[str]) -> list[dict]:
        job = seed(self.redis_url, sources, overrides={"NEWSARCHIVE_MIRRORS_ONLY": True})
        return wait_for_job(self.redis_url, job["id"], timeout=JOB_TIMEOUT)

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()

    def logs(self) -> str:
        return "\n".join(p.read_text() for p in sorted(self.tmp.glob("*.log")))


def snapshot(db: Path) -> dict:
    """What must be the same however the archive was crawled: the exported articles
    (without row ids and visit times), the aliases and the revisions."""
    out = io.StringIO()
    export(db, out, format="jsonl")
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    for row in rows:
        for volatile in ("id", "first_seen", "last_seen"):
            row.pop(volatile, None)
    with sqlite3.connect(db) as conn:
        aliases = conn.execute(
            "SELECT a.url, r.canonical_url, a.kind FROM url_aliases a "
            "JOIN articles r ON r.id = a.article_id ORDER BY a.url"
        ).fetchall()
        revisions = conn.execute(
            "SELECT r.canonical_url, v.title, v.body, v.content_hash FROM revisions v "
            "JOIN articles r ON r.id = v.article_id ORDER BY 1, 4"
        ).fetchall()
    return {
        "articles": sorted(rows, key=lambda row: (row["source"], row["url"])),
        "aliases": aliases,
        "revisions": revisions,
    }


def fetched_twice(server: MirrorServer) -> list[tuple[str, str]]:
    counts = collections.Counter((r.host, r.path) for r in server.requests)
    return [key for key, n in counts.items() if n > 1]


def single_process(tmp_path: Path, sources: list[str], *, edited: bool = False) -> list[dict]:
    """Snapshots of the single-process crawl to compare with; with ``edited``, also after
    a second crawl of syrianobserver with its edited overlay."""
    db = tmp_path / "single.db"
    with mirror_server() as server:
        crawl(server, db, sources)
        snapshots = [snapshot(db)]
        if edited:
            server.activate_overlay(SO_HOST, "edited")
            crawl(server, db, [SO])
            snapshots.append(snapshot(db))
    return snapshots


def test_two_workers_and_a_writer_archive_what_one_process_does(fresh_redis, tmp_path):
    first, edited = single_process(tmp_path, SOURCES, edited=True)
    db = tmp_path / "archive.db"
    with mirror_server() as server:
        cluster = Cluster(fresh_redis, server, db, tmp_path)
        try:
            cluster.writer()
            cluster.worker()
            cluster.worker()
            runs = cluster.crawl(SOURCES)
            assert {r["source"] for r in runs} == set(SOURCES)
            assert all(r["status"] == "finished" for r in runs), runs
            assert not fetched_twice(server)
            assert snapshot(db) == first

            server.requests.clear()
            server.activate_overlay(SO_HOST, "edited")
            (run,) = cluster.crawl([SO])
            assert run["revised"] == 1 and run["status"] == "finished"
            assert not fetched_twice(server)
            status = cluster_status(fresh_redis)
        finally:
            cluster.stop()
    assert snapshot(db) == edited
    # Both workers took part, and status saw them and the writer, with nothing left over.
    assert len(status["workers"]) == 2 and all(w["alive"] for w in status["workers"])
    assert all(w["responses"] for w in status["workers"]), status["workers"]
    assert status["writer"]["db"] == str(db) and status["writer_lag"]["entries"] == 0
    assert not status["active_jobs"] and not any(status["queues"].values())


# Four of the copies (one with 21 articles, aliases and a redirect): enough to be mid-crawl.
KILL_SOURCES = ["enabbaladi-ar", "sana-en", "sohr", SO]


def test_killed_worker_and_writer_lose_and_duplicate_nothing(fresh_redis, tmp_path):
    (baseline,) = single_process(tmp_path, KILL_SOURCES)
    db = tmp_path / "archive.db"
    articles = sum(len(expected(s)["articles"]) for s in KILL_SOURCES)
    with mirror_server() as server:
        # Slow pages, so that the kills land mid-crawl with requests in flight.
        for source in KILL_SOURCES:
            copy = SiteCopy.load(SITES / source)
            for article in expected(source)["articles"]:
                path = article["url"].split(copy.host, 1)[1]
                server.set_fault(copy.host, path, status=None, delay=0.3)
        cluster = Cluster(fresh_redis, server, db, tmp_path)
        client = redis.Redis.from_url(fresh_redis)
        try:
            writer = cluster.writer()
            doomed = cluster.worker()
            cluster.worker()
            job = seed(fresh_redis, KILL_SOURCES, overrides={"NEWSARCHIVE_MIRRORS_ONLY": True})
            deadline = time.monotonic() + 120
            while int(client.hlen(f"newsarchive:leases:{_worker_id(client, doomed)}")) == 0 or (
                _committed(client) < articles // 4
            ):
                assert time.monotonic() < deadline, cluster.logs()[-3000:]
                time.sleep(0.05)
            doomed.send_signal(signal.SIGKILL)
            # The other worker goes on a moment: far less than the crawl has left to do
            # (three quarters of its pages, each answered after 0.3 s, two at a time a host).
            time.sleep(0.2)
            writer.send_signal(signal.SIGKILL)
            writer.wait(10)
            doomed.wait(10)
            with pytest.raises(SourceBusy):  # the job is not over: it cannot start again
                seed(fresh_redis, [SO])
            cluster.writer()
            cluster.worker()
            runs = wait_for_job(fresh_redis, job["id"], timeout=JOB_TIMEOUT)
            refetched = fetched_twice(server)
        finally:
            cluster.stop()
    assert all(r["status"] == "finished" for r in runs), runs
    # What the killed worker held went back to the queue and was fetched again; whether
    # it held anything at the moment of the kill depends on timing, so the test holds
    # what is true either way: nothing lost, nothing stored twice.
    print(f"fetched twice after the kills: {len(refetched)}")
    assert snapshot(db) == baseline
    # Each page was stored once: one capture per fetched article, however often fetched.
    with sqlite3.connect(db) as conn:
        (captures,) = conn.execute("SELECT count(*) FROM captures").fetchone()
        (stored,) = conn.execute("SELECT count(*) FROM articles").fetchone()
    assert captures == stored


def _worker_id(client: redis.Redis, process: subprocess.Popen) -> str:
    for raw in client.smembers("newsarchive:workers"):
        worker = raw.decode()
        if worker.split(":")[1] == str(process.pid):
            return worker
    return "-"


def _committed(client: redis.Redis) -> int:
    beat = client.get("newsarchive:writer")
    return json.loads(beat)["committed"] if beat else 0


def test_per_domain_concurrency_holds_across_two_workers(fresh_redis, tmp_path):
    with MirrorServer([SiteCopy.load(SITES / SO)]) as server:
        for article in expected(SO)["articles"]:
            server.set_fault(SO_HOST, article["url"].split(".com", 1)[1], status=None, delay=0.3)
        cluster = Cluster(fresh_redis, server, tmp_path / "archive.db", tmp_path)
        cluster.settings += [
            "-s",
            "CONCURRENT_REQUESTS_PER_DOMAIN=2",
            "-s",
            "CONCURRENT_REQUESTS=16",
        ]
        try:
            cluster.writer()
            cluster.worker(SO)
            cluster.worker(SO)
            (run,) = cluster.crawl([SO])
        finally:
            cluster.stop()
        robots = [r for r in server.requests if r.path == "/robots.txt"]
    assert run["status"] == "finished" and run["new"] == len(expected(SO)["articles"])
    # Two workers, each allowed two: without the shared limit the host would see four.
    assert server.max_in_flight[SO_HOST] == 2
    assert len(robots) == 1  # read by one worker, obeyed by both


def test_the_scrapy_internals_the_workers_rely_on_are_there():
    """Scrapy methods the distributed parts override or read (a Scrapy upgrade that
    changes them fails here, not in a crawl)."""
    from scrapy.core.downloader import Downloader
    from scrapy.core.engine import ExecutionEngine, _Slot
    from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware

    # A request stays in the engine's in-progress set from its download until its
    # scrape (items through the pipelines) is over: the leases are dropped on that.
    assert "self.inprogress.add(request)" in inspect.getsource(_Slot.add_request)
    assert "self.inprogress.remove(request)" in inspect.getsource(_Slot.remove_request)
    start = inspect.getsource(ExecutionEngine._start_scheduled_request)
    assert start.index("_handle_downloader_output") < start.index("_remove_request")
    assert "self._slot.add_request(request)" in inspect.getsource(ExecutionEngine._download)
    assert list(inspect.signature(RobotsTxtMiddleware._parse_robots).parameters) == [
        "self",
        "response",
        "netloc",
        "request",
    ]
    assert list(inspect.signature(RobotsTxtMiddleware._robots_error).parameters) == [
        "self",
        "exc",
        "netloc",
    ]
    assert list(inspect.signature(RobotsTxtMiddleware.robot_parser).parameters) == [
        "self",
        "request",
    ]
    assert list(inspect.signature(Downloader._download).parameters) == ["self", "slot", "request"]
