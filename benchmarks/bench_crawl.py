"""Benchmark the whole crawl pipeline on the offline site copies, against bare trafilatura.

Runs, in one go on this machine:

1. a crawl of every offline copy under scraper/offline/sites/ (served on 127.0.0.1, no
   politeness delay: the server is local) into a fresh archive, with the
   extraction pool at 1 worker and then at 2 workers;
2. bare ``trafilatura.extract`` over the same article pages (taken back from
   the archive's raw_pages), in one process.

It prints a markdown section with pages/s for each and the ratios, plus the
peak memory of the crawl process. The machine is noisy, so compare the
ratios from one run, not absolute figures across runs.

    python -m benchmarks.bench_crawl [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import tempfile
import time
from datetime import date
from pathlib import Path

import trafilatura

from archive.store import Archive
from benchmarks.report import stories_sentence, write_section
from scraper.crawl import run_crawl
from scraper.offline import SITES
from scraper.offline.copies import SiteCopy
from scraper.offline.server import MirrorServer

LOCAL = {
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "LOG_LEVEL": "ERROR",
    "NEWSARCHIVE_MIRRORS_ONLY": True,
    "NEWSARCHIVE_PROGRESS": False,
}


def crawl_once(workers: int) -> dict:
    """Crawl every copy into a new archive; returns timings and the stored pages."""
    copies = [SiteCopy.load(d) for d in sorted(SITES.iterdir()) if (d / "site.toml").exists()]
    with tempfile.TemporaryDirectory() as tmp, MirrorServer(copies) as server:
        db = Path(tmp) / "archive.db"
        started = time.perf_counter()
        runs = run_crawl(
            [c.id for c in copies],
            db=db,
            mirrors=server.mirrors,
            overrides={**LOCAL, "NEWSARCHIVE_EXTRACT_WORKERS": workers},
        )
        seconds = time.perf_counter() - started
        with Archive(db) as archive:
            pages = [
                (capture.url, capture.body.decode("utf-8", "replace"))
                for _article, capture in archive.iter_captures()
            ]
        stories = stories_sentence(db)
    return {
        "seconds": seconds,
        "pages": pages,
        "requests": sum(r.get("requests") or 0 for r in runs),
        "articles": sum((r.get("new") or 0) + (r.get("near_duplicate") or 0) for r in runs),
        "stories": stories,
    }


def bare_trafilatura(pages: list[tuple[str, str]]) -> float:
    started = time.perf_counter()
    for url, html in pages:
        trafilatura.extract(html, url=url)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=1, help="Crawls per setting (best kept).")
    parser.add_argument("--write", type=Path, metavar="MARKDOWN", help="e.g. BENCHMARKS.md")
    args = parser.parse_args(argv)

    one = min((crawl_once(1) for _ in range(args.repeat)), key=lambda r: r["seconds"])
    two = min((crawl_once(2) for _ in range(args.repeat)), key=lambda r: r["seconds"])
    bare = min(bare_trafilatura(one["pages"]) for _ in range(args.repeat))
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    n = one["articles"]
    rows = [
        ("crawl, 1 extraction worker", one["seconds"]),
        ("crawl, 2 extraction workers", two["seconds"]),
        ("bare trafilatura.extract, same pages", bare),
    ]
    lines = [
        "## Crawl pipeline on the offline copies (`benchmarks/bench_crawl.py`)",
        "",
        f"- Date: {date.today().isoformat()}",
        f"- Machine: {platform.platform()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, trafilatura {trafilatura.__version__}",
        f"- {len(list(SITES.glob('*/site.toml')))} site copies, {n} articles, "
        f"{one['requests']} requests per crawl, served on 127.0.0.1 with no delay",
        "",
        "| run | seconds | articles/s | ratio to bare trafilatura |",
        "| --- | ---: | ---: | ---: |",
        *(f"| {name} | {sec:.2f} | {n / sec:.1f} | {bare / sec:.2f} |" for name, sec in rows),
        "",
        f"Peak memory of a crawl process: {peak_mb:.0f} MB (max RSS of the child processes).",
        f"{one['stories']} (A crawl with one extraction worker.)",
        "A crawl does all that bare extraction does not: HTTP, robots.txt, feeds, sitemaps,",
        "listings, canonical URLs, dedup and SQLite writes, and its start (the extraction",
        "workers' fork server imports and warms the extractor, about a second). The second",
        f"worker made the crawl {one['seconds'] / two['seconds']:.2f}x as fast. "
        "`bench_extract.py` measures extraction alone on one and two cores, `bench_scale.py`",
        "crawls of thousands of pages.",
    ]
    section = "\n".join(lines)
    print(section)
    if args.write:
        write_section(args.write, "bench_crawl", section)


if __name__ == "__main__":
    main()
