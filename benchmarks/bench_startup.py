"""Start-up: what a crawl of one article and a poll of an unchanged feed cost.

A scheduler polls dozens of feeds every few minutes, and most answers are 304
Not Modified; a user tries a source with a crawl of one article. Both should
cost about the work they do, not the imports around it.

The site is one real article page of the public corpora (benchmarks.corpus)
laid out as an outlet of its own by benchmarks/corpus_site.py (feed, sitemap,
listing), served on 127.0.0.1 by scraper.offline.server in its own process,
which answers conditional requests with 304. Each round, as whole process
trees measured by benchmarks.bench_scale.measure (wall seconds from process
start to exit, peak RSS and PSS of the tree, the most processes at once):

1. ``newsarchive crawl`` of the site into a new archive (one article);
2. ``newsarchive poll`` of its feed (the article is archived: nothing new);
3. ``newsarchive poll`` again: the feed answers 304, nothing is fetched.

Every command runs with ``-s DOWNLOAD_DELAY=0 -s AUTOTHROTTLE_ENABLED=false``.

    python -m benchmarks.bench_startup [--rounds 5] [--write BENCHMARKS.md]
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from benchmarks.bench_scale import DEFAULT_CACHE, ROOT, SiteServer, corpus_cases, measure
from benchmarks.report import machine, write_section

# Each round, in this order against one archive: (the table's label, the command).
STEPS = (
    ("`newsarchive crawl`", ("crawl", "one")),
    ("`newsarchive poll`", ("poll", "one")),
    ("`newsarchive poll` (feed answers 304)", ("poll", "one")),
)
# The site is ours: no politeness delay, which would be most of the time measured.
NO_DELAY = ("-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=false")


def one_article_site(cache: Path) -> dict:
    """The site of one corpus article (built on first use); its manifest."""
    from benchmarks.corpus_site import build_corpus_site, free_port

    folder = cache / "startup-site"
    manifest_path = folder / "manifest.json"
    if manifest_path.exists():
        return json.loads(manifest_path.read_text("utf-8"))
    port = free_port()
    site = build_corpus_site(folder, port, corpus_cases()[:1])
    manifest = {"root": str(folder), "port": port, "base_url": site.base_url}
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    return manifest


def newsarchive(work: Path, sources: Path, env: dict, *command: str) -> dict:
    """One command against the round's archive, measured as a process tree."""
    result = measure(
        [sys.executable, "-m", "scraper.cli", *NO_DELAY, *command, "--sources", str(sources)]
        + ["--db", str(work / "archive.db")],
        log=work / f"{command[0]}.log",
        env=env,
    )
    if result["returncode"] != 0:
        log = (work / f"{command[0]}.log").read_text("utf-8")[-2000:]
        raise RuntimeError(f"newsarchive {' '.join(command)} failed:\n{log}")
    with sqlite3.connect(work / "archive.db") as conn:
        result["articles"] = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        result["requests"] = conn.execute(
            "SELECT requests FROM crawl_runs ORDER BY id DESC LIMIT 1"
        ).fetchone()[0]
    return result


def run_round(base_url: str, env: dict) -> dict[str, dict]:
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as tmp:
        work = Path(tmp)
        sources = work / "one.toml"
        sources.write_text(
            f'[one]\nname = "One Article"\nhomepage = "{base_url}/"\nlanguage = "en"\n'
            f'feeds = ["{base_url}/feed.xml"]\nsitemaps = ["{base_url}/sitemap.xml"]\n',
            encoding="utf-8",
        )
        return {label: newsarchive(work, sources, env, *command) for label, command in STEPS}


def section(rounds: list[dict[str, dict]], started: datetime, command: str) -> str:
    lines = [
        "## Start-up (`benchmarks/bench_startup.py`)",
        "",
        f"- Date: {started:%Y-%m-%d %H:%M} UTC",
        f"- Machine: {machine()}",
        "- Site: one article page of the public corpora with its feed and sitemap, served "
        "on 127.0.0.1 by scraper.offline.server in its own process (304 to a conditional "
        "request)",
        f"- Command: `{command}`; load average at the end: "
        + ", ".join(f"{x:.2f}" for x in os.getloadavg()),
        "",
        "Goals (issue 20): a crawl of one article under 1.5 s; a poll of unchanged feeds "
        "under 1 s that starts no extraction worker.",
        "",
        "| command | rounds | wall s (median, range) | peak RSS of the tree | "
        "peak PSS of the tree | processes | articles | requests |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for label, _command in STEPS:
        runs = [r[label] for r in rounds]
        seconds = [r["seconds"] for r in runs]
        lines.append(
            f"| {label} | {len(runs)} | {statistics.median(seconds):.2f} "
            f"({min(seconds):.2f}-{max(seconds):.2f}) | "
            f"{max(r['peak_rss'] for r in runs) / 2**20:.0f} MB | "
            f"{max(r['peak_pss'] for r in runs) / 2**20:.0f} MB | "
            f"{max(r['processes'] for r in runs)} | {runs[-1]['articles']} | "
            f"{runs[-1]['requests']} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--write", type=Path, metavar="MARKDOWN", help="e.g. BENCHMARKS.md")
    args = parser.parse_args(argv)
    started = datetime.now(timezone.utc)
    args.cache.mkdir(parents=True, exist_ok=True)
    manifest = one_article_site(args.cache)
    server = SiteServer(manifest, args.cache / "startup-server.log")
    env = {
        **os.environ,
        "NEWSARCHIVE_MIRRORS": json.dumps({"127.0.0.1": manifest["base_url"]}),
        "PYTHONPATH": str(ROOT),
    }
    try:
        rounds = []
        for n in range(args.rounds):
            rounds.append(run_round(manifest["base_url"], env))
            print(
                f"round {n + 1}: "
                + ", ".join(
                    f"{step} {r['seconds']:.2f} s {r['peak_rss'] / 2**20:.0f} MB"
                    for step, r in rounds[-1].items()
                ),
                file=sys.stderr,
                flush=True,
            )
    finally:
        server.stop()
    command = "python -m benchmarks.bench_startup" + (
        f" --rounds {args.rounds}" if args.rounds != 5 else ""
    )
    text = section(rounds, started, command)
    print(text)
    if args.write:
        write_section(args.write, "bench_startup", text)


if __name__ == "__main__":
    main()
