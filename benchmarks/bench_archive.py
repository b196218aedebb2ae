"""The archive at the size of years of news: ingest cost, dedup lookups, size, serving, export.

Builds an archive of realistic articles through the real way in
(``archive.ingest.ingest_page``, with a raw capture each, batches as a
crawl commits them) and measures, in one run:

1. the cost of an upsert at each size (``--sizes``, default 10k, 100k, 1M):
   the last ``--probe`` articles before each size are made first and then
   written with the makers idle (the writer alone: wall time, its thread's
   CPU, bytes it wrote); at the end, side by side, the same probe on a fresh
   copy of the smallest archive and the next articles on the largest,
   alternating for ``--rounds``, give the ratio (the machine is shared: a
   ratio of figures taken hours apart measures the load, not the archive);
   the build's own windows of ``--window`` articles are timed too, for the trend;
2. the near-duplicate lookup at each size (``archive.dedup.near_duplicate``,
   the band query and the Hamming check): for records not in the archive
   (the usual case, a miss) and for slightly edited copies of archived
   articles (a hit);
3. the database size per article at each size (the file after a checkpoint);
4. against the largest archive built: ``newsarchive serve`` started on
   127.0.0.1 and timed over HTTP GETs, cold (the file's pages dropped from the
   OS cache with posix_fadvise, the server just started) and warm (the same
   request again, best of three): the home page, the search page for a common
   English word, a rare word and an Arabic word, and the articles table
   faceted by source; then ``newsarchive export --format csv -o FILE``, its
   rows/s and peak RSS (VmHWM of its process).

Articles: about 3,000 characters of body, a tenth Arabic, words drawn with
their frequencies from the public corpora's expected texts (English) and the
offline copies' Arabic articles, twelve sources, dates from 2021 in archive
order (five years at a million), authors, tags; every body is its own draw, so
no two are duplicates or near-duplicates. The rare word is planted in one
article in 100,000. Each article carries a capture (a small synthetic page
around the text: headers, a menu, the paragraphs), its SHA-256, compressed body
and fingerprints (content hash, simhash, story features: MinHash, names and
numbers, links; archive.fingerprints) computed before the timing, as the
extraction workers do: what is timed is the crawl's single writer.

The archive is built once into the cache folder (``--cache``, default
``~/.cache/newsarchive-bench``) and grown on later runs: a run that finds
100k articles there goes on to 1M, and the timings of the windows already
measured are kept beside it (``archive-progress.json``).

    python -m benchmarks.bench_archive [--sizes 10000 100000 1000000] [--write BENCHMARKS.md]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import multiprocessing.pool
import os
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CACHE = Path(
    os.environ.get("NEWSARCHIVE_BENCH_CACHE", "~/.cache/newsarchive-bench")
).expanduser()
SOURCES_EN = [
    "syrianobserver", "enabbaladi-en", "sana-en", "sohr", "npasyria", "syriadirect",
    "kurdistan24", "aljumhuriya-en", "snhr",
]  # fmt: skip
SOURCES_AR = ["enabbaladi-ar", "sana-ar", "aawsat-ar"]
RARE_WORD = "zeugmatic"  # in no corpus text; planted in one article in RARE_EVERY
RARE_EVERY = 100_000
BODY_CHARS = 3000
START = datetime(2021, 1, 1, tzinfo=timezone.utc)
_WORD = re.compile(r"\w+", re.UNICODE)
PAGE = (
    '<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
    '<link rel="canonical" href="{url}"><meta property="og:type" content="article">'
    '<meta name="author" content="{author}"></head><body><header><nav><a href="/">Home'
    '</a> <a href="/news/">News</a> <a href="/reports/">Reports</a> <a href="/about/">'
    'About</a></nav></header><main><article><h1>{title}</h1><time datetime="{published}">'
    "{published}</time>{paragraphs}</article></main><footer>Share: Facebook Twitter WhatsApp"
    " | Helpful keywords | Copyright</footer></body></html>"
)


# --------------------------------------------------------------------------- the articles


def word_pools() -> dict[str, list[str]]:
    """Words of real news text, each as often as it occurs: English and Arabic."""
    from benchmarks.corpus import load_cases

    english: list[str] = []
    for case in load_cases():
        if case.expected_text and (case.language or "en") == "en":
            english.extend(case.expected_text.split())
    arabic: list[str] = []
    for case in load_cases(sets=["sites"]):
        if case.language == "ar" and case.expected_text:
            arabic.extend(case.expected_text.split())
    if not english or not arabic:
        raise RuntimeError("no English or no Arabic corpus text found")
    return {"en": english, "ar": arabic}


class Articles:
    """The i-th article, the same on every run (seeded by i)."""

    def __init__(self, pools: dict[str, list[str]]) -> None:
        self.pools = pools

    def language(self, i: int) -> str:
        return "ar" if i % 10 == 0 else "en"

    def body(self, i: int, rng: random.Random) -> list[str]:
        pool = self.pools[self.language(i)]
        paragraphs, size = [], 0
        while size < BODY_CHARS:
            words = rng.choices(pool, k=rng.randint(30, 80))
            if i % RARE_EVERY == 7 and not paragraphs:
                words[3] = RARE_WORD
            text = " ".join(words)
            paragraphs.append(text)
            size += len(text) + 2
        return paragraphs

    def make(self, i: int) -> tuple[dict, object, str]:
        """(extraction, capture, source) of article i, as an extraction worker returns them."""
        from archive.bodies import compress
        from archive.captures import Capture

        rng = random.Random(i)
        lang = self.language(i)
        source = (SOURCES_AR if lang == "ar" else SOURCES_EN)[i % 3 if lang == "ar" else i % 9]
        paragraphs = self.body(i, rng)
        body = "\n\n".join(paragraphs)
        title = " ".join(rng.choices(self.pools[lang], k=rng.randint(6, 12)))
        # One article every 2.6 minutes from 2021, in the order they are archived, as a
        # crawl archives them: five years at a million, never wrapping back to 2021 (the
        # articles past 1,010,769 did, into weeks the stories' linking found crowded).
        published = START + timedelta(minutes=i * 2.6)
        url = f"https://{source}.example/{published:%Y/%m}/article-{i}/"
        author = f"Author {i % 211}"
        extraction = {
            "source": source,
            "url": url,
            "title": title,
            "summary": paragraphs[0][:200],
            "body": body,
            "authors": [author],
            "published": published.isoformat(),
            "language": lang,
            "section": "News" if i % 2 else "Reports",
            "tags": ["Syria", f"tag{i % 50}"],
            "translated": False,
            "extractor_version": "bench",
            "is_article": True,
            "canonical_link": url,
        }
        page = PAGE.format(
            lang=lang,
            title=title,
            url=url,
            author=author,
            published=published.isoformat(),
            paragraphs="".join(f"<p>{p}</p>" for p in paragraphs),
        ).encode("utf-8")
        fetched = (published + timedelta(hours=1)).isoformat()
        capture = Capture(
            url=url,
            status=200,
            body=page,
            fetched_at=fetched,
            requested_url=url,
            content_type="text/html; charset=utf-8",
            encoding="utf-8",
            headers=[("Content-Type", "text/html; charset=utf-8"), ("Server", "nginx")],
            request_headers=[("User-Agent", "newsarchive")],
            sha256=hashlib.sha256(page).hexdigest(),
            compressed=compress(page),
        )
        return extraction, capture, source

    def near_copy(self, i: int) -> dict:
        """A record that is article i with a few words changed: a near-duplicate of it."""
        from archive.hashes import simhash
        from archive.record import prepare

        extraction, _, source = self.make(i)
        words = extraction["body"].split(" ")
        words[len(words) // 2] = "changed"  # one word of ~500: a few simhash bits
        body = " ".join(words)
        record = {k: v for k, v in extraction.items() if k not in ("is_article", "canonical_link")}
        record.update(
            source=source,
            body=body,
            url=record["url"] + "copy/",
            content_hash=None,
            simhash=f"{simhash(body):016x}",
        )
        from archive.dedup import with_bands

        return with_bands(prepare(record))

    def fresh(self, i: int) -> dict:
        """A record that is not in the archive (a miss for the near-duplicate lookup)."""
        from archive.dedup import with_bands
        from archive.record import prepare

        extraction, _, source = self.make(i)
        record = {k: v for k, v in extraction.items() if k not in ("is_article", "canonical_link")}
        return with_bands(prepare({**record, "source": source}))


# --------------------------------------------------------------------------- building

_MAKER: Articles | None = None  # a maker process's articles (set before it forks)


def _made(i: int) -> tuple:
    """Article i as an extraction worker hands it to the writer: extraction, capture,
    source and fingerprints (run in a maker process)."""
    from archive.fingerprints import fingerprint

    extraction, capture, source = _MAKER.make(i)
    return extraction, capture, source, fingerprint(extraction, capture.body, capture.url)


def db_bytes(db: Path) -> int:
    return sum(p.stat().st_size for p in db.parent.glob(db.name + "*") if p.is_file())


TRIAL = "archive-small-trial.db"  # the copy of the smallest archive a side by side writes to


def remove_db(db: Path) -> None:
    """An archive file and its log and index beside it (``-wal``, ``-shm``)."""
    for p in db.parent.glob(db.name + "*"):
        p.unlink()


def checkpoint(db: Path) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def count_articles(db: Path) -> int:
    if not db.exists():
        return 0
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM articles").fetchone()[0]


def near_duplicate_costs(db: Path, articles: Articles, have: int, n: int = 300) -> dict:
    """Mean ms of the near-duplicate lookup for n misses and n hits, on the archive as it is."""
    from archive.dedup import near_duplicate
    from archive.store import Archive

    misses = [articles.fresh(have + 10_000_000 + k) for k in range(n)]
    step = max(have // n, 1)
    hits = [articles.near_copy(1 + k * step) for k in range(min(n, have))]
    out = {}
    with Archive(db) as archive:
        for name, records in (("miss", misses), ("hit", hits)):
            found = 0
            started = time.perf_counter()
            for rec in records:
                found += near_duplicate(archive, rec) is not None
            out[name] = (time.perf_counter() - started) / len(records) * 1000
            out[f"{name}_found"] = found / len(records)
    return out


@contextmanager
def writer(db: Path) -> Iterator[tuple[Any, dict[str, int]]]:
    """The archive open as a crawl's writer opens it, with a run per source."""
    from archive.store import Archive
    from scraper import settings

    with Archive(
        db,
        batch_size=settings.NEWSARCHIVE_BATCH_SIZE,
        max_batch_seconds=settings.NEWSARCHIVE_BATCH_SECONDS,
    ) as archive:
        runs: dict[str, int] = {}
        for source in SOURCES_EN + SOURCES_AR:
            archive.sync_sources([{"id": source, "name": source, "language": "en"}])
            runs[source] = archive.start_run("crawl", source, "bench")
        yield archive, runs
        for run in runs.values():
            archive.finish_run(run, status="finished")


def write(archive: Any, runs: dict[str, int], made: list[tuple]) -> None:
    """Store articles as a crawl's writer does; ends with a flush (commit, then linking)."""
    from archive.ingest import ingest_page

    for extraction, capture, source, fingerprints in made:
        ingested = ingest_page(
            archive,
            extraction,
            source=source,
            run_id=runs[source],
            capture=capture,
            seen_as=[(extraction["url"] + "?utm_source=rss", "feed")],
            now=capture.fetched_at,
            fingerprints=fingerprints,
        )
        if ingested.outcome != "new":
            raise RuntimeError(f"article {extraction['url']} was {ingested.outcome}")
    archive.flush()


def written_bytes() -> int:
    """Bytes this process has written with write(2) and friends (the log and checkpoints)."""
    for line in Path("/proc/self/io").read_text().splitlines():
        if line.startswith("wchar:"):
            return int(line.split()[1])
    return 0


def grow(
    db: Path,
    makers: multiprocessing.pool.Pool,
    target: int,
    window: int,
    progress: dict,
    path: Path,
) -> None:
    """Ingest articles until the archive holds ``target``; times every window of upserts.

    The articles and their fingerprints are made by the ``makers`` (as a crawl's
    extraction workers make them), the next window while this one is written."""
    have = count_articles(db)

    def blocks(start: int):
        while start < target:
            block = min(window - start % window, target - start)  # windows end at multiples
            yield start, makers.map_async(_made, range(start + 1, start + 1 + block), 50)
            start += block

    with writer(db) as (archive, runs):
        windows = blocks(have)
        upcoming = next(windows, None)
        while upcoming is not None:
            i, job = upcoming
            made = job.get()
            block = len(made)
            upcoming = next(windows, None)  # made while this window is written
            # The writing thread's CPU: the makers' results are received by the pool's
            # own threads (the transport of this benchmark, not writing or linking).
            started, cpu = time.perf_counter(), time.thread_time()
            write(archive, runs, made)
            seconds = time.perf_counter() - started
            cpu = time.thread_time() - cpu
            i += block
            progress["windows"].append([i, block, seconds, os.getloadavg()[0], cpu])
            if len(progress["windows"]) % 20 == 0 or i >= target:
                path.write_text(json.dumps(progress), encoding="utf-8")
                print(
                    f"{i:,} articles, last window {block / seconds:.0f}/s, load "
                    f"{os.getloadavg()[0]:.1f}",
                    file=sys.stderr,
                    flush=True,
                )


def probe(db: Path, makers: multiprocessing.pool.Pool, first: int, n: int, window: int) -> dict:
    """Articles ``first`` .. ``first + n - 1`` made beforehand, then written in windows of
    ``window`` with the makers idle: the writer's own cost per article (wall, its
    thread's CPU, the bytes it wrote to the log and the file)."""
    made = makers.map(_made, range(first, first + n), 50)
    with writer(db) as (archive, runs):
        wrote, started, cpu = written_bytes(), time.perf_counter(), time.thread_time()
        for k in range(0, n, window):
            write(archive, runs, made[k : k + window])
        cpu = time.thread_time() - cpu
        seconds = time.perf_counter() - started
        wrote = written_bytes() - wrote
    return {
        "articles": n,
        "wall_ms": seconds / n * 1000,
        "cpu_ms": cpu / n * 1000,
        "written_kb": wrote / n / 1024,
        "load": os.getloadavg()[0],
    }


def warm_indexes(db: Path) -> None:
    """Read every index of the archive once, so that its pages are in the OS cache as
    they are for a writer that has been running (its lookups keep them there). A copy of
    the small archive is in the cache from being copied; the large one's indexes may
    not be (the serve timings drop its pages, and the file is larger than the memory)."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")]
        for name in names:
            conn.execute("SELECT sum(pgsize) FROM dbstat WHERE name = ?", [name]).fetchone()


def side_by_side(
    small: Path, db: Path, makers: multiprocessing.pool.Pool, rounds: int, n: int, window: int
) -> dict:
    """The probe on a fresh copy of the smallest archive (the same articles every round)
    and the next articles on the largest, alternating, both with their indexes in the OS
    cache: a ratio of one time and load."""
    pairs: dict[str, list[dict]] = {"small": [], "large": []}
    first_small = count_articles(small) + 1
    trial = small.with_name(TRIAL)
    # First, what a writer pays before its archive's pages are in the OS cache.
    drop_cache(db)
    cold = probe(db, makers, count_articles(db) + 1, n, window)
    for _ in range(rounds):
        remove_db(trial)
        shutil.copyfile(small, trial)
        warm_indexes(trial)
        pairs["small"].append(probe(trial, makers, first_small, n, window))
        warm_indexes(db)
        pairs["large"].append(probe(db, makers, count_articles(db) + 1, n, window))
        print(
            f"side by side: {pairs['small'][-1]['cpu_ms']:.2f} against "
            f"{pairs['large'][-1]['cpu_ms']:.2f} CPU ms/article",
            file=sys.stderr,
            flush=True,
        )
    remove_db(trial)
    return {"sizes": [first_small - 1, count_articles(db) - rounds * n], "cold": cold, **pairs}


def build(
    cache: Path,
    sizes: list[int],
    window: int,
    makers: int,
    probe_size: int,
    rounds: int,
    again: bool = False,
) -> tuple[Path, dict]:
    global _MAKER
    from archive.store import Archive
    from archive.stories import summary

    db = cache / "archive-bench.db"
    small = cache / "archive-small.db"  # the smallest size, kept for the side by side
    progress_path = cache / "archive-progress.json"
    have = count_articles(db)
    progress = (
        json.loads(progress_path.read_text("utf-8"))
        if progress_path.exists() and have
        else {"windows": [], "sizes": {}}
    )
    if not have:
        for stale in (db, small, small.with_name(TRIAL)):
            remove_db(stale)
        Archive(db).close()
        progress = {"windows": [], "sizes": {}}
    articles = _MAKER = Articles(word_pools())
    with multiprocessing.get_context("fork").Pool(makers) as pool:
        for size in sorted(sizes):
            if str(size) in progress["sizes"]:
                continue
            grow(db, pool, size - probe_size, window, progress, progress_path)
            measured = probe(db, pool, count_articles(db) + 1, probe_size, window)
            checkpoint(db)
            near = near_duplicate_costs(db, articles, size)
            with sqlite3.connect(db) as conn:
                stories = summary(conn)
            progress["sizes"][str(size)] = {
                "bytes": db_bytes(db),
                "probe": measured,
                "near": near,
                "stories": stories,
                "load": os.getloadavg()[0],
                "at": datetime.now(timezone.utc).isoformat(timespec="minutes"),
            }
            if size == min(sizes):
                shutil.copyfile(db, small)
            progress_path.write_text(json.dumps(progress), encoding="utf-8")
        progress["built"] = count_articles(db)  # the side by side adds to it
        measured_at = progress.get("side_by_side", {}).get("largest")
        if len(sizes) > 1 and small.exists() and (again or measured_at != max(sizes)):
            progress["side_by_side"] = {
                "largest": max(sizes),
                **side_by_side(small, db, pool, rounds, probe_size, window),
            }
            checkpoint(db)
            progress_path.write_text(json.dumps(progress), encoding="utf-8")
    return db, progress


# --------------------------------------------------------------------------- serving


def drop_cache(db: Path) -> None:
    """Drop the archive file's pages from the OS page cache (clean pages only)."""
    for path in db.parent.glob(db.name + "*"):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


def _get(url: str) -> tuple[float, int, int]:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=600) as response:
        body = response.read()
        status = response.status
    return time.perf_counter() - started, status, len(body)


def dashboard_queries(name: str) -> list[tuple[str, str]]:
    """The dashboard's chart queries as its page fetches them (datasette's JSON API), with
    no filter chosen: datasette-dashboards drops each ``[[ ... ]]`` block whose
    parameter is empty."""
    metadata = json.loads((ROOT / "archive" / "datasette" / "metadata.json").read_text("utf-8"))
    board = metadata["plugins"]["datasette-dashboards"]["articles"]
    queries = []
    for chart, spec in board["charts"].items():
        sql = re.sub(r"\[\[.*?\]\]", "", spec["query"], flags=re.S)
        params = {p: "" for p in re.findall(r"(?<!:):(\w+)", sql)}
        query = urllib.parse.urlencode({"sql": sql, **params, "_shape": "array"})
        queries.append((f"dashboard chart `{chart}`", f"/{name}.json?{query}"))
    return queries


def story_article(db: Path) -> int:
    """The first article of the largest story: the article page that shows the most."""
    with sqlite3.connect(db) as conn:
        row = conn.execute(
            "SELECT first_article FROM stories ORDER BY articles DESC LIMIT 1"
        ).fetchone()
        return row[0] if row else 1


def serve_timings(db: Path, queries: dict[str, str], log: Path) -> list[dict]:
    from benchmarks.corpus_site import free_port

    name = db.stem
    q = urllib.parse.quote
    with sqlite3.connect(db) as conn:
        source, last = conn.execute(
            "SELECT source, max(published) FROM articles WHERE source = "
            "(SELECT source FROM articles ORDER BY id LIMIT 1)"
        ).fetchone()
    month = last[:7]
    common = queries["common word"]
    pages = [
        ("home page `/`", "/"),
        ("articles table with its facets", f"/{name}/articles"),
        *(
            (f"search, {label} (`{word}`)", f"/{name}/search?q={q(word)}")
            for label, word in queries.items()
        ),
        (
            f"search, `{common}` in {source}, {month}",
            f"/{name}/search?q={q(common)}&source={source}&since={month}-01&until={month}-28",
        ),
        (
            f"search, `{queries['Arabic word']}` from {month}",
            f"/{name}/search?q={q(queries['Arabic word'])}&since={month}-01",
        ),
        ("article page with its story (the largest)", f"/{name}/articles/{story_article(db)}"),
        ("stories page", f"/{name}/same_story"),
        ("dashboard page", "/-/dashboards/articles"),
        *dashboard_queries(name),
        (f"search's Atom feed (`{common}`)", f"/{name}/search.atom?q={q(common)}"),
    ]
    results = []
    for label, path in pages:
        port = free_port()
        drop_cache(db)
        server = subprocess.Popen(
            [sys.executable, "-m", "scraper.cli", "serve", "--db", str(db), "--port", str(port)],
            cwd=ROOT,
            stdout=log.open("a"),
            stderr=subprocess.STDOUT,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(600):
                try:
                    urllib.request.urlopen(base + "/-/versions.json", timeout=5).read()
                    break
                except OSError:
                    time.sleep(0.1)
            cold, status, size = _get(base + path)
            warm = min(_get(base + path)[0] for _ in range(3))
        finally:
            server.terminate()
            server.wait(30)
        results.append(
            {
                "page": label,
                "path": path,
                "cold": cold,
                "warm": warm,
                "status": status,
                "bytes": size,
                "load": os.getloadavg()[0],
            }
        )
        print(f"{label}: cold {cold:.3f} s, warm {warm:.3f} s ({status})", file=sys.stderr)
    return results


def export_timing(db: Path, work: Path) -> dict:
    from benchmarks.bench_export import measure

    out = work / "export.csv"
    load = os.getloadavg()[0]
    return {**measure(db, ["--format", "csv", "-o", str(out)], out), "load": load}


def hits(db: Path, words: dict[str, str]) -> dict[str, int]:
    """How many articles each query finds (the search's own count)."""
    from archive.search import count_found
    from archive.store import Archive

    with Archive(db) as archive:
        return {label: count_found(archive.db.conn, word) for label, word in words.items()}


def common_words(articles: Articles) -> dict[str, str]:
    from collections import Counter

    stop = set(
        "the a an of to in and or for on at by is was are with that as from it his her be "
        "has have said this which not but were been its their they he she will would also "
        "who more than one".split()
    )
    en = Counter(w.lower() for w in articles.pools["en"] if w.isalpha() and w.lower() not in stop)
    ar = Counter(w for w in articles.pools["ar"] if _WORD.fullmatch(w) and len(w) > 3)
    return {
        "common word": en.most_common(1)[0][0],
        "rare word": RARE_WORD,
        "Arabic word": ar.most_common(1)[0][0],
    }


# --------------------------------------------------------------------------- report


def report(
    db: Path,
    progress: dict,
    sizes: list[int],
    serve: list,
    export: dict | None,
    words: dict,
    found: dict,
    command: str,
    started: datetime,
    probe_size: int,
    written_by: str | None = None,
) -> str:
    from benchmarks.report import machine

    have = count_articles(db)
    # The served archive's size and time, before later side by sides added to it.
    served = progress.get("served", {})
    served_at = served.get("articles", have)
    served_bytes = served.get("bytes") or db_bytes(db)
    served_time = f", measured {served['at']}" if served.get("at") else ""
    lines = [
        "## The archive at scale (`benchmarks/bench_archive.py`)",
        "",
        f"- Date: {started:%Y-%m-%d %H:%M} UTC",
        f"- Machine: {machine()}",
        f"- Command: `{command}`"
        + (f", written from its saved figures by `{written_by}`" if written_by else "")
        + "; load average (1, 5, 15 min) at the end: "
        f"{', '.join(f'{x:.2f}' for x in os.getloadavg())}. The machine is shared with "
        "other engineers' test suites: each figure has the 1-minute load when it was taken",
        f"- Articles: about {BODY_CHARS:,} characters of body, one in ten Arabic, words drawn "
        "with their frequencies from the corpora's texts and the offline copies' Arabic "
        "articles; each with a capture (a small synthetic page, its SHA-256 and compressed "
        "body computed beforehand, as the extraction workers do), through "
        "`archive.ingest.ingest_page` in a crawl's batches (committed at 500 articles or 1 s) "
        "with the fingerprints (hashes, story "
        "features, search columns) made beforehand by maker processes, as a crawl's "
        "extraction workers make them; each commit is followed by the stories' linking pass, "
        "inside the timed window: write + link is the single writer's whole cost (its "
        "CPU is the writing thread's: the makers' results arrive in the pool's own threads)",
        "",
        f"Write + link: the last {probe_size:,} articles before each size, made first and "
        "then written with the makers idle (the writer's own cost: wall, its thread's CPU, "
        "the bytes it wrote to the log and the file).",
        "",
        "| archive size | write + link, wall ms/article | write + link, CPU ms/article | "
        "articles/s (wall) | written per article | near-dup lookup, miss | near-dup lookup, "
        "hit (found) | database per article | stories (articles in them) | largest story | "
        "longest story | load |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for size in sorted(sizes):
        info = progress["sizes"].get(str(size))
        if not info or "probe" not in info:
            lines.append(f"| {size:,} | not built | | | | | | | | | | |")
            continue
        measured, near = info["probe"], info["near"]
        story = info.get("stories") or {}
        lines.append(
            f"| {size:,} | {measured['wall_ms']:.2f} | {measured['cpu_ms']:.2f} | "
            f"{1000 / measured['wall_ms']:.0f} | {measured['written_kb']:.0f} kB | "
            f"{near['miss']:.2f} ms | "
            f"{near['hit']:.2f} ms ({near['hit_found']:.0%}) | "
            f"{info['bytes'] / size / 1024:.1f} kB | "
            f"{story.get('stories', 0):,} ({story.get('articles', 0):,}) | "
            f"{story.get('largest', 0):,} articles | {story.get('longest_days', 0)} days | "
            f"{measured['load']:.1f} |"
        )
    pairs = progress.get("side_by_side")
    if pairs:
        small, large = pairs["sizes"]

        def median(side: str, key: str) -> float:
            return statistics.median(r[key] for r in pairs[side])

        cpu = median("large", "cpu_ms") / median("small", "cpu_ms")
        wall = median("large", "wall_ms") / median("small", "wall_ms")
        lines += [
            "",
            f"Side by side, at the end of the run ({len(pairs['small'])} rounds alternating, "
            "each archive's indexes read into the OS cache before its round as a running "
            f"writer has them, medians): the same {probe_size:,} articles on a fresh copy of "
            f"the {small:,}-article archive, {median('small', 'cpu_ms'):.2f} CPU ms/article "
            f"({median('small', 'wall_ms'):.2f} wall), against the next {probe_size:,} on the "
            f"{large:,}-article archive, {median('large', 'cpu_ms'):.2f} "
            f"({median('large', 'wall_ms'):.2f} wall, "
            f"{1000 / median('large', 'wall_ms'):.0f} articles/s): **{cpu:.2f}x** the CPU, "
            f"{wall:.2f}x the wall time (rounds' CPU: "
            + ", ".join(
                f"{a['cpu_ms']:.2f}/{b['cpu_ms']:.2f}"
                for a, b in zip(pairs["small"], pairs["large"], strict=True)
            )
            + ").",
        ]
        if "cold" in pairs:
            cold = pairs["cold"]
            lines[-1] += (
                f" Before the rounds, right after the large archive's pages were dropped from "
                f"the OS cache, its first {cold['articles']:,} articles cost "
                f"{cold['cpu_ms']:.2f} CPU ms/article ({cold['wall_ms']:.2f} wall): a writer "
                "pays that after a restart of the machine, until its pages are read again."
            )
    total = sum(w[2] for w in progress["windows"])
    timed = sum(w[1] for w in progress["windows"])
    lines += [
        "",
        f"The {timed:,} timed upserts of the build (of {progress.get('built', have):,} "
        "archived) took "
        f"{total / 60:.0f} min of ingest_page and linking ({timed / total:.0f} articles/s "
        "overall, article generation not counted).",
    ]
    biggest = max(int(s) for s in progress["sizes"])
    if biggest < max(sizes):
        rates = [w[1] / w[2] for w in progress["windows"] if w[0] > biggest * 0.9]
        rate = statistics.median(rates)
        lines.append(
            f"Not built here: {max(sizes):,}. At the rate of the last tenth of the "
            f"{biggest:,} build ({rate:.0f}/s) it would take about "
            f"{(max(sizes) - biggest) / rate / 3600:.1f} h more of ingest, if the rate held "
            f"(it falls as the indexes outgrow the page cache; see the trend above), and about "
            f"{progress['sizes'][str(biggest)]['bytes'] / biggest * max(sizes) / 2**30:.0f} GB."
        )
    if serve:
        lines += [
            "",
            f"`newsarchive serve` on the {served_at:,}-article archive "
            f"({served_bytes / 2**30:.1f} GB{served_time}), times of HTTP GETs from 127.0.0.1: "
            "cold is the first request to a server just started with the file's pages dropped "
            "from the OS cache; warm is the best of three repeats.",
            "",
            "| page | cold | warm | status | response | articles found | load |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        labels = {f"search, {k} (`{w}`)": k for k, w in words.items()}
        for r in serve:
            n = found.get(labels.get(r["page"], ""), "")
            lines.append(
                f"| {r['page']} | {r['cold']:.2f} s | {r['warm']:.3f} s | {r['status']} | "
                f"{r['bytes'] / 1024:.0f} kB | {n if n is None or n == '' else f'{n:,}'} | "
                f"{r['load']:.1f} |"
            )
    if export:
        rows = export.get("rows") or served_at
        lines += [
            "",
            f"`newsarchive export --format csv -o FILE` of all {served_at:,} articles: "
            f"{export['seconds']:.0f} s, {rows / export['seconds']:,.0f} rows/s, "
            f"{export['bytes'] / 2**20:,.0f} MB written, peak RSS {export['peak_mb']:.0f} MB "
            f"(load {export['load']:.1f}).",
        ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--build-up-to", type=int, help="Build only this far (default: all).")
    parser.add_argument("--window", type=int, default=1000, help="Upserts per timed window.")
    parser.add_argument(
        "--probe", type=int, default=5000, help="Articles written with the makers idle."
    )
    parser.add_argument("--rounds", type=int, default=3, help="Rounds of the side by side.")
    parser.add_argument(
        "--side-by-side-again",
        action="store_true",
        help="Measure the side by side again on the archives already built.",
    )
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument(
        "--makers", type=int, default=2, help="Processes making the articles (default 2)."
    )
    parser.add_argument("--no-serve", action="store_true", help="Skip serving and export.")
    parser.add_argument(
        "--report-only", action="store_true", help="Write the section from the saved figures."
    )
    parser.add_argument("--write", type=Path, metavar="MARKDOWN", help="e.g. BENCHMARKS.md")
    args = parser.parse_args(argv)
    started = datetime.now(timezone.utc)
    args.cache.mkdir(parents=True, exist_ok=True)
    limit = args.build_up_to or max(args.sizes)
    if args.report_only:
        db = args.cache / "archive-bench.db"
        progress = json.loads((args.cache / "archive-progress.json").read_text("utf-8"))
    else:
        db, progress = build(
            args.cache,
            [s for s in args.sizes if s <= limit],
            args.window,
            args.makers,
            args.probe,
            args.rounds,
            args.side_by_side_again,
        )
    articles = Articles(word_pools())
    words = common_words(articles)
    saved = progress.get("served", {})
    serve, export, found = saved.get("serve", []), saved.get("export"), saved.get("found", {})
    if not args.no_serve and not args.report_only:
        work = args.cache / "archive-work"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir()
        found = hits(db, words)
        serve = serve_timings(db, words, work / "serve.log")
        export = export_timing(db, work)
        progress["served"] = {
            "serve": serve,
            "export": export,
            "found": found,
            "articles": count_articles(db),
            "bytes": db_bytes(db),
            "at": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        }
        (args.cache / "archive-progress.json").write_text(json.dumps(progress), "utf-8")
    given = list(argv or sys.argv[1:])
    command = "python -m benchmarks.bench_archive " + " ".join(given)
    written_by = None
    if args.report_only:
        # The figures are the measuring run's: name it, and how this section was written.
        written_by = command
        measured = [a for a in given if a != "--report-only"]
        if "--write" in measured:
            at = measured.index("--write")
            del measured[at : at + 2]
        command = "python -m benchmarks.bench_archive " + " ".join(measured)
    section = report(
        db,
        progress,
        args.sizes,
        serve,
        export,
        words,
        found,
        command,
        started,
        args.probe,
        written_by,
    )
    print(section)
    if args.write:
        from benchmarks.report import write_section

        write_section(args.write, "bench_archive", section)


if __name__ == "__main__":
    main()
