"""Benchmark the distributed crawl: pages/s with 1, 2 and 4 workers, and the writer alone.

The site is the public corpora's real pages laid out as one outlet
(benchmarks/corpus_site.py, ``--copies`` reworded copies), served on
127.0.0.1 by MirrorServer and reached through NEWSARCHIVE_MIRRORS with
NEWSARCHIVE_MIRRORS_ONLY, like the tests. Each run starts from an empty
redis-server (started here, on a free port) and an empty archive:

1. ``newsarchive crawl`` in one process (extraction pool: one per core), the
   single-process reference;
2. ``newsarchive worker`` x N (each extracting in its own process) with one
   ``newsarchive writer``, from ``crawl --distributed`` to the writer closing
   the run;
3. the writer alone: the records of a finished crawl left in Redis, then
   stored by a writer started afterwards (records/s).

The site is local, so its politeness limit is raised to 16 requests at once
(CONCURRENT_REQUESTS_PER_DOMAIN): with a real outlet's 2 the workers would
share 2 downloads and the figure would be the site's limit, not the crawl's.

    python -m benchmarks.bench_distributed [--copies N] [--write BENCHMARKS.md]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import redis

from benchmarks.corpus import load_cases
from benchmarks.corpus_site import build_corpus_site, free_port
from benchmarks.report import machine, stories_sentence, write_section
from scraper.distributed.keys import Keys
from scraper.distributed.leases import quiet_since
from scraper.distributed.seed import seed, wait_for_job
from scraper.offline.copies import SiteCopy
from scraper.offline.server import MirrorServer

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = {
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
    "NEWSARCHIVE_MIRRORS_ONLY": True,
    "NEWSARCHIVE_PROGRESS": False,
    "NEWSARCHIVE_STREAM_MAX_BACKLOG": 1_000_000,
}


def _cli(*args: str, env: dict, settings: dict, log: Path) -> subprocess.Popen:
    flags = [item for name, value in settings.items() for item in ("-s", f"{name}={value}")]
    return subprocess.Popen(
        [sys.executable, "-m", "scraper.cli", *flags, *args],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )


def _stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        process.wait(120)


class Bench:
    def __init__(self, work: Path, copies: int) -> None:
        self.work = work
        port = free_port()
        self.site = build_corpus_site(work / "site", port, load_cases(), copies=copies)
        self.server = MirrorServer([SiteCopy.load(self.site.root)], port=port).start()
        self.sources = work / "corpus.toml"
        base = self.site.base_url
        self.sources.write_text(
            f'[corpus]\nname = "Corpus News"\nhomepage = "{base}/"\nlanguage = "en"\n'
            f'feeds = ["{base}/feed.xml"]\nsitemaps = ["{base}/sitemap.xml"]\n',
            encoding="utf-8",
        )
        self.env = {**os.environ, "NEWSARCHIVE_MIRRORS": json.dumps({"127.0.0.1": base})}
        self.redis_port = free_port()
        self.redis = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        self.redis_url = f"redis://127.0.0.1:{self.redis_port}/0"
        for _ in range(100):
            try:
                redis.Redis.from_url(self.redis_url).ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        self.runs = 0

    def close(self) -> None:
        self.server.stop()
        self.redis.terminate()
        self.redis.wait(10)

    def _fresh(self) -> Path:
        redis.Redis.from_url(self.redis_url).flushall()
        self.runs += 1
        return self.work / f"run{self.runs}.db"

    @staticmethod
    def _articles(db: Path) -> int:
        with sqlite3.connect(db) as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]

    def single(self) -> dict:
        db = self._fresh()
        started = time.perf_counter()
        crawl = _cli(
            "crawl",
            "corpus",
            "--sources",
            str(self.sources),
            "--db",
            str(db),
            env=self.env,
            settings=SETTINGS,
            log=self.work / "single.log",
        )
        crawl.wait()
        seconds = time.perf_counter() - started
        return {"seconds": seconds, "articles": self._articles(db), "stories": stories_sentence(db)}

    def distributed(self, workers: int) -> dict:
        db = self._fresh()
        settings = {**SETTINGS, "NEWSARCHIVE_EXTRACT_WORKERS": 1}
        processes = [
            _cli(
                "writer",
                "--redis",
                self.redis_url,
                "--db",
                str(db),
                env=self.env,
                settings=settings,
                log=self.work / "writer.log",
            )
        ]
        started = time.perf_counter()
        for n in range(workers):
            processes.append(
                _cli(
                    "worker",
                    "--redis",
                    self.redis_url,
                    "--sources",
                    str(self.sources),
                    "corpus",
                    env=self.env,
                    settings=settings,
                    log=self.work / f"w{n}.log",
                )
            )
        job = seed(self.redis_url, ["corpus"], sources_files=[self.sources], overrides=SETTINGS)
        (run,) = wait_for_job(self.redis_url, job["id"], timeout=3600)
        seconds = time.perf_counter() - started
        _stop(processes)
        return {
            "seconds": seconds,
            "articles": self._articles(db),
            "status": run["status"],
            "stories": stories_sentence(db),
        }

    def writer_alone(self, workers: int = 2) -> dict:
        """Records/s of a writer that finds a whole crawl waiting in Redis."""
        db = self._fresh()
        settings = {**SETTINGS, "NEWSARCHIVE_EXTRACT_WORKERS": 1}
        crawlers = [
            _cli(
                "worker",
                "--redis",
                self.redis_url,
                "--sources",
                str(self.sources),
                "corpus",
                env=self.env,
                settings=settings,
                log=self.work / f"wa{n}.log",
            )
            for n in range(workers)
        ]
        job = seed(self.redis_url, ["corpus"], sources_files=[self.sources], overrides=SETTINGS)
        client = redis.Redis.from_url(self.redis_url)
        while quiet_since(client, Keys(), "corpus") is None:
            time.sleep(0.2)
        _stop(crawlers)
        records = client.xlen(Keys().items)
        writer = _cli(
            "writer",
            "--redis",
            self.redis_url,
            "--db",
            str(db),
            env=self.env,
            settings=settings,
            log=self.work / "writer-alone.log",
        )
        while not client.exists(Keys().writer):  # from its start, its imports not counted
            time.sleep(0.05)
        started = time.perf_counter()
        done = threading.Thread(
            target=wait_for_job, args=(self.redis_url, job["id"]), kwargs={"timeout": 3600}
        )
        done.start()
        # The moment the last page was committed (captures stop growing), polled every
        # 20 ms: the run's closing waits on quiet-source checks that are not the writer's work.
        stored, last = 0, started
        while done.is_alive():
            time.sleep(0.02)
            try:
                with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
                    now = conn.execute("SELECT count(*) FROM captures").fetchone()[0]
            except sqlite3.Error:  # not created yet
                continue
            if now > stored:
                stored, last = now, time.perf_counter()
        seconds = time.perf_counter() - started
        _stop([writer])
        return {"seconds": seconds, "records": records, "drained": last - started, "pages": stored}


def _writer_line(alone: dict) -> str:
    return (
        f"The writer alone (a finished crawl's {alone['records']} records waiting in Redis, "
        f"{alone['pages']} of them pages): its last page committed after "
        f"{alone['drained']:.2f} s, {alone['records'] / alone['drained']:.0f} records/s; the "
        f"run closed after {alone['seconds']:.1f} s (the quiet-source checks that close a "
        "run poll every second)."
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=2, help="Reworded copies of the corpus.")
    parser.add_argument("--write", type=Path, metavar="MARKDOWN", help="e.g. BENCHMARKS.md")
    parser.add_argument(
        "--writer-only",
        action="store_true",
        help="Measure the writer alone, not the crawls (a section of its own).",
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        bench = Bench(Path(tmp), args.copies)
        try:
            pages = len(bench.site.articles)
            if args.writer_only:
                alone = bench.writer_alone()
                section = "\n".join(
                    [
                        "## The distributed writer alone (`benchmarks/bench_distributed.py "
                        "--writer-only`)",
                        "",
                        f"- Date: {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC",
                        f"- Machine: {machine()}; redis-server on 127.0.0.1",
                        f"- Command: `python -m benchmarks.bench_distributed --writer-only "
                        f"--copies {args.copies}`; load average at the end "
                        f"{os.getloadavg()[0]:.2f}",
                        "",
                        _writer_line(alone),
                    ]
                )
                print(section)
                if args.write:
                    write_section(args.write, "bench_distributed_writer", section)
                return
            single = bench.single()
            spread = {n: bench.distributed(n) for n in (1, 2, 4)}
            alone = bench.writer_alone()
        finally:
            bench.close()
    base = pages / single["seconds"]
    rows = [
        f"| `newsarchive crawl`, one process (extraction pool of {os.cpu_count()}) | "
        f"{single['seconds']:.1f} | {single['articles']} | {base:.1f} | 1.00 |"
    ]
    for n, result in spread.items():
        rate = pages / result["seconds"]
        rows.append(
            f"| {n} worker{'s' if n > 1 else ''} + 1 writer | {result['seconds']:.1f} | "
            f"{result['articles']} | {rate:.1f} | {rate / base:.2f} |"
        )
    lines = [
        "## Distributed crawl (`benchmarks/bench_distributed.py`)",
        "",
        f"- Date: {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC",
        f"- Machine: {platform.platform()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; redis-server on 127.0.0.1, all processes on this machine",
        f"- Site: the public corpora as one outlet, {args.copies} reworded copies: {pages} "
        "article pages (feed, sitemap index), served on 127.0.0.1 with no delay, 16 requests "
        "at once allowed",
        f"- Command: `python -m benchmarks.bench_distributed --copies {args.copies}`",
        "",
        "| run | seconds | articles archived | pages/s | ratio to one process |",
        "| --- | ---: | ---: | ---: | ---: |",
        *rows,
        "",
        f"One process: {single['stories']} With {max(spread)} workers: "
        f"{spread[max(spread)]['stories']}",
        "",
        _writer_line(alone),
        "",
        "On two cores the workers share the same two CPUs as the writer and Redis, so more",
        "than two workers cannot go faster here; what the figures show is the cost of the",
        "distribution itself (the Redis round trips, the records' journey through the",
        "stream) against one process. Past one machine the limit moves: extraction, the",
        "CPU cost, runs in the workers and grows with their cores, so first the sites'",
        "politeness caps a crawl (CONCURRENT_REQUESTS_PER_DOMAIN and the delay hold for",
        "all workers together: hundreds of outlets scale, one outlet does not); then the",
        "single writer, whose records/s above is the ceiling of the whole cluster (SQLite",
        "commits, the full-text index, dedup lookups; no extraction); Redis itself, one",
        "core, handles tens of thousands of small commands per second and holds the",
        "queue and the records waiting for the writer in memory",
        "(NEWSARCHIVE_STREAM_MAX_BACKLOG bounds the latter).",
    ]
    section = "\n".join(lines)
    print(section)
    if args.write:
        write_section(args.write, "bench_distributed", section)


if __name__ == "__main__":
    main()
