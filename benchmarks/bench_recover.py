"""Recovery from a web archive: captures/s, and how much of a live crawl comes back.

The goal of `newsarchive recover` (issue 23): from a web archive holding every
article of the offline site copies, every article recovered, with the same
extracted text as a live crawl of the copies, and provenance on every record.
This measures it, in one go on this machine:

1. a live crawl of every offline copy under scraper/offline/sites/ (served on
   127.0.0.1 by scraper.offline.server, no politeness delay) into a new archive;
2. that archive's WARC export (archive.warc), added to a pywb collection
   (``wb-manager init``/``add``) and served by pywb's ``wayback`` on 127.0.0.1;
3. ``newsarchive recover`` of every source from that collection, through its CDX
   API and raw replay, into a second, empty archive (one process, one request
   at a time as always, no politeness delay: the archive is local), timed as
   a whole process (wall seconds from start to exit);
4. pywb alone: the same raw replays fetched again with urllib, one at a time;
5. the two archives compared article by article (by URL): recovered or not,
   the same text or not (title, standfirst, body, tags, each compared; the
   published date too, as a date the page gave), and whether every capture of
   every recovered article carries its provenance (archive, capture date,
   replay address).

pywb comes from ``.venv-pywb`` (scripts/test.sh installs it) or PATH.

    python -m benchmarks.bench_recover [--rounds 3] [--write BENCHMARKS.md]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

from benchmarks.corpus_site import free_port
from benchmarks.report import machine, write_section

ROOT = Path(__file__).resolve().parents[1]
# The archive is ours and local: no politeness delay, which would be most of the time.
NO_DELAY = ("-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=false")
# What "the same text" compares: the reader's fields.
TEXT_FIELDS = ("title", "summary", "body", "tags")


def pywb_command(name: str) -> str:
    for candidate in (ROOT / ".venv-pywb" / "bin" / name, shutil.which(name)):
        if candidate and Path(candidate).exists():
            return str(candidate)
    raise SystemExit(f"pywb's {name} is not installed (scripts/test.sh installs it in .venv-pywb)")


def live_crawl(db: Path) -> list[str]:
    """Crawl every offline copy into ``db`` (in a process of its own: Scrapy's reactor
    runs once per process); the sources' ids."""
    code = (
        "import sys\n"
        "from scraper.crawl import run_crawl\n"
        "from scraper.offline import SITES\n"
        "from scraper.offline.server import MirrorServer, SiteCopy\n"
        "copies = [SiteCopy.load(d) for d in sorted(SITES.iterdir()) "
        "if (d / 'site.toml').exists()]\n"
        "local = {'DOWNLOAD_DELAY': 0, 'AUTOTHROTTLE_ENABLED': False, 'LOG_LEVEL': 'ERROR',\n"
        "         'NEWSARCHIVE_MIRRORS_ONLY': True, 'NEWSARCHIVE_PROGRESS': False}\n"
        "with MirrorServer(copies) as server:\n"
        "    run_crawl([c.id for c in copies], db=sys.argv[1], mirrors=server.mirrors,\n"
        "              overrides=local)\n"
        "print(' '.join(c.id for c in copies))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(db)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.split()


class Wayback:
    """pywb's wayback serving one WARC as collection 'live' from ``home``."""

    def __init__(self, home: Path, warc: Path) -> None:
        self.home, self.warc = home, warc

    def __enter__(self) -> str:
        wb_manager, wayback = pywb_command("wb-manager"), pywb_command("wayback")
        for args in (["init", "live"], ["add", "live", str(self.warc)]):
            subprocess.run([wb_manager, *args], cwd=self.home, check=True, capture_output=True)
        port = free_port()
        self.server = subprocess.Popen(
            [wayback, "-p", str(port), "-b", "127.0.0.1"],
            cwd=self.home,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}/live"
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/cdx?url=example.org", timeout=5).read()
                return base
            except OSError:
                if self.server.poll() is not None or time.monotonic() > deadline:
                    raise
                time.sleep(0.3)

    def __exit__(self, *exc) -> None:
        self.server.terminate()
        self.server.wait(timeout=10)


def recover_all(db: Path, base: str, sources: list[str]) -> float:
    """`newsarchive recover` of every source from the collection at ``base``; seconds."""
    command = [
        sys.executable,
        "-m",
        "scraper.cli",
        *NO_DELAY,
        "recover",
        *sources,
        "--db",
        str(db),
        "--cdx",
        f"{base}/cdx",
        "--replay",
        f"{base}/",
    ]
    started = time.perf_counter()
    result = subprocess.run(
        command,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"the recovery failed:\n{result.stdout}\n{result.stderr}")
    return seconds


def replays_alone(db: Path) -> float:
    """The recovered captures' raw replays fetched again with urllib, one at a time, and
    nothing else done with them: the archive's share of the time; seconds."""
    with sqlite3.connect(db) as conn:
        urls = [u for (u,) in conn.execute("SELECT replay_url FROM captures ORDER BY id")]
    started = time.perf_counter()
    for url in urls:
        with urllib.request.urlopen(url, timeout=60) as answer:
            answer.read()
    return time.perf_counter() - started


def articles(db: Path) -> dict[str, dict]:
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return {r["url"]: dict(r) for r in conn.execute("SELECT * FROM articles")}


def compare(live_db: Path, recovered_db: Path) -> dict:
    """The two archives compared article by article (see the module docstring)."""
    live, back = articles(live_db), articles(recovered_db)
    missing = sorted(set(live) - set(back))
    same = [u for u in live if u in back and all(live[u][f] == back[u][f] for f in TEXT_FIELDS)]
    differs = {
        u: [f for f in (*TEXT_FIELDS, "published") if live[u][f] != back[u][f]]
        for u in live
        if u in back
    }
    with sqlite3.connect(recovered_db) as conn:
        captures, with_provenance = conn.execute(
            "SELECT count(*), count(archive IS NOT NULL AND archived_at IS NOT NULL "
            "AND replay_url IS NOT NULL OR NULL) FROM captures"
        ).fetchone()
        without = conn.execute(
            "SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM captures c "
            "WHERE c.article_id = a.id AND c.replay_url IS NOT NULL)"
        ).fetchone()[0]
    return {
        "live": len(live),
        "recovered": len(set(live) & set(back)),
        "extra": len(set(back) - set(live)),
        "same_text": len(same),
        "same_field": {
            f: sum(1 for u in live if u in back and live[u][f] == back[u][f])
            for f in (*TEXT_FIELDS, "published")
        },
        "missing": missing,
        "different": {u: fields for u, fields in differs.items() if set(fields) & set(TEXT_FIELDS)},
        "captures": captures,
        "with_provenance": with_provenance,
        "articles_without_provenance": without,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="Recoveries timed (median kept).")
    parser.add_argument("--write", type=Path, metavar="MARKDOWN", help="e.g. BENCHMARKS.md")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        load_start = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        live_db = work / "live.db"
        sources = live_crawl(live_db)
        from archive.warc import warc_to_file

        warc = work / "live.warc.gz"
        exported = warc_to_file(live_db, warc)
        home = work / "pywb"
        home.mkdir()
        seconds, alone, result = [], [], None
        with Wayback(home, warc) as base:
            for _ in range(args.rounds):
                db = work / "recovered.db"
                db.unlink(missing_ok=True)
                seconds.append(recover_all(db, base, sources))
                result = compare(live_db, db)
                alone.append(replays_alone(db))
                with sqlite3.connect(db) as conn:
                    requests = conn.execute("SELECT sum(requests) FROM crawl_runs").fetchone()[0]
    median = statistics.median(seconds)
    n = result["captures"]
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    same_pct = 100 * result["same_text"] / result["live"]
    lines = [
        "## Recovery from a web archive (`benchmarks/bench_recover.py`)",
        "",
        f"- Date: {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC",
        f"- Machine: {machine()}",
        f"- Archive: a live crawl of the {len(sources)} offline site copies "
        f"({result['live']} articles), exported as WARC ({exported} captures) and added "
        "to a pywb collection, served by pywb's wayback on 127.0.0.1",
        f"- Command: `python -m benchmarks.bench_recover --rounds {args.rounds}`; "
        f"each round `newsarchive {' '.join(NO_DELAY)} recover SOURCE... --cdx "
        "http://127.0.0.1:PORT/live/cdx --replay http://127.0.0.1:PORT/live/` of all "
        f"{len(sources)} sources into a new archive",
        f"- Load average (1, 5, 15 min) at the start: {load_start}; at the end: {load}; the "
        "machine is shared with other engineers' test suites, so read the rate as a floor",
        "",
        "Goal (issue 23): every article recovered, with the same extracted text as the "
        "live crawl's, and provenance on every record.",
        "",
        "| rounds | captures stored | requests | wall s (median, range) | captures/s |",
        "| ---: | ---: | ---: | ---: | ---: |",
        f"| {len(seconds)} | {n} | {requests} | {median:.2f} "
        f"({min(seconds):.2f}-{max(seconds):.2f}) | {n / median:.1f} |",
        "",
        "| live articles | recovered | same text (title, standfirst, body, tags) "
        "| captures with provenance | articles without |",
        "| ---: | ---: | ---: | ---: | ---: |",
        f"| {result['live']} | {result['recovered']} | {result['same_text']} "
        f"({same_pct:.1f}%) | {result['with_provenance']} of {n} "
        f"| {result['articles_without_provenance']} |",
        "",
        "Same field, of the recovered articles: "
        + ", ".join(f"{f} {k}" for f, k in result["same_field"].items())
        + f". Recovered articles the live crawl does not have: {result['extra']}.",
    ]
    if result["missing"]:
        lines += ["", "Not recovered: " + ", ".join(result["missing"]) + "."]
    if result["different"]:
        lines += [
            "",
            "Other text: "
            + "; ".join(f"{u} ({', '.join(f)})" for u, f in result["different"].items())
            + ".",
        ]
    lines += [
        "",
        f"pywb alone, the same {n} raw replays fetched with urllib one at a time: "
        f"{statistics.median(alone):.2f} s (median), {n / statistics.median(alone):.1f} "
        "captures/s.",
        "",
        "Wall time is the whole `newsarchive recover` process (start-up included), with "
        "one request at a time as against any archive: the CDX listings (one per host "
        "of a source; pywb's answers are checked by their reverse), robots.txt of the "
        "archive's host, and one raw replay per capture, each extracted with the "
        "source's rules and stored.",
    ]
    section = "\n".join(lines)
    print(section)
    if args.write:
        write_section(args.write, "bench_recover", section)


if __name__ == "__main__":
    main()
