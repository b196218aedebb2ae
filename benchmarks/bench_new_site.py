"""An outlet that is not one of ours, end to end: the corpora's real pages as a plain-http site.

Lays out every article page of the public corpora (tests/corpora) as one site
(benchmarks/corpus_site.py), serves it on 127.0.0.1, adds it with
`newsarchive sources add` and crawls it with `newsarchive crawl`, as a user
would. Then it compares the archived bodies with the suites' known answers,
page by page, against bare trafilatura on the same pages (bag-of-words F1,
benchmarks.corpus.score), per suite. Writes its section of BENCHMARKS.md.

    python -m benchmarks.bench_new_site [--write]
"""

from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

import trafilatura

from benchmarks.corpus import load_cases, score, tokens
from benchmarks.corpus_site import build_corpus_site, free_port
from benchmarks.report import stories_sentence, write_section
from scraper.offline.copies import SiteCopy
from scraper.offline.server import MirrorServer

ROOT = Path(__file__).resolve().parents[1]
LOCAL = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=false"]


def run(work: Path) -> dict:
    cases = [
        c for c in load_cases() if c.expected_text is None or len(tokens(c.expected_text)) >= 40
    ]
    port = free_port()
    site = build_corpus_site(work / "site", port, cases)
    cli = [sys.executable, "-m", "scraper.cli", *LOCAL]
    with MirrorServer([SiteCopy.load(site.root)], port=port):
        added = subprocess.run(
            [*cli, "sources", "add", f"{site.base_url}/", "--id", "corpus", "-o", "mine.toml"],
            cwd=work,
            capture_output=True,
            text=True,
            check=True,
        )
        started = time.monotonic()
        crawled = subprocess.run(
            [*cli, "crawl", "corpus", "--sources", "mine.toml", "--db", "a.db"],
            cwd=work,
            capture_output=True,
            text=True,
        )
        seconds = time.monotonic() - started
    db = sqlite3.connect(work / "a.db")
    bodies = dict(db.execute("select url, body from articles"))
    (status,) = db.execute("select status from crawl_runs").fetchone()
    not_articles = db.execute("select count(*) from not_articles").fetchone()[0]
    per_set: dict[str, dict[str, list[float]]] = defaultdict(lambda: {"ours": [], "bare": []})
    for article in site.articles:
        case = article.case
        if case.expected_text is None:
            continue
        ours = bodies.get(article.url, "")
        bare = trafilatura.extract(case.html) or ""
        per_set[case.set_name]["ours"].append(score(ours, case.expected_text)[2])
        per_set[case.set_name]["bare"].append(score(bare, case.expected_text)[2])
    return {
        "pages": len(site.articles),
        "archived": len(set(bodies) & {a.url for a in site.articles}),
        "not_articles": not_articles,
        "status": status,
        "exit": crawled.returncode,
        "seconds": seconds,
        "pattern": next(
            (line for line in added.stderr.splitlines() if "article pattern" in line), ""
        ).strip(),
        "per_set": per_set,
        "stories": stories_sentence(work / "a.db"),
    }


def report(result: dict) -> str:
    load = os.getloadavg()[0]
    lines = [
        "## An outlet that is not one of ours (benchmarks/bench_new_site.py)",
        "",
        f"{date.today()}, {platform.machine()}, {os.cpu_count()} cores, load {load:.1f}.",
        f"The corpora's {result['pages']} article pages as one plain-http site on 127.0.0.1,",
        "added with `newsarchive sources add` and crawled with `newsarchive crawl`, no",
        f"per-site rules. The crawl ended `{result['status']}` (exit {result['exit']}) in "
        f"{result['seconds']:.0f} s: {result['archived']} pages archived at the address they",
        f"are served at, {result['not_articles']} judged not articles; "
        f"{result['pattern'] or 'no pattern found'}.",
        "",
        "Body F1 against each suite's known answer, page by page (mean), ours through the",
        "whole crawl against bare `trafilatura.extract` on the same pages:",
        "",
        "| suite | pages | ours | bare trafilatura |",
        "| --- | ---: | ---: | ---: |",
    ]
    total_ours, total_bare = [], []
    for name, scores in sorted(result["per_set"].items()):
        ours, bare = scores["ours"], scores["bare"]
        total_ours += ours
        total_bare += bare
        lines.append(
            f"| {name} | {len(ours)} | {sum(ours) / len(ours):.3f} | {sum(bare) / len(bare):.3f} |"
        )
    lines.append(
        f"| all | {len(total_ours)} | {sum(total_ours) / len(total_ours):.3f} | "
        f"{sum(total_bare) / len(total_bare):.3f} |"
    )
    lines += ["", result["stories"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="write the section of BENCHMARKS.md")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        section = report(run(Path(tmp)))
    print(section)
    if args.write:
        write_section(ROOT / "BENCHMARKS.md", "new-site", section)


if __name__ == "__main__":
    main()
