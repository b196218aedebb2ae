"""Measure `newsarchive export` on a large archive: peak memory, time, throughput.

Why: the export must stream (memory flat, whatever the archive's size). The
target is under 200 MB peak RSS for an export of a 1,000,000-article archive.

What it does:

1. Builds an archive of ``--rows`` articles quickly: ``archive.store.Archive``
   creates the real schema, then rows go in with plain SQL ``executemany`` in
   one transaction (no dedup, no FTS index: the export reads ``articles``
   only). Bodies are 150-600 words drawn from English and diacritised Arabic
   paragraphs, with authors, tags, dates over five years and a dozen sources,
   so rows are the size of real ones. ``--db PATH`` keeps (and reuses) it.
2. Runs the real command, ``python -m scraper.cli export``, once per case
   (CSV, CSV --excel, JSON Lines, CSV and XLSX to a file with -o, filtered
   exports) in
   a child process, which reports its own peak RSS (``VmHWM`` in
   /proc/self/status, read at exit): the whole process, interpreter and
   imports included.
3. Prints a Markdown section (date, machine, figures) and, with
   ``--write BENCHMARKS.md``, puts it in that file between its markers
   (``benchmarks.report.write_section``; appended if not there yet).
   Exits 1 if any case reaches the limit or exports the wrong number of rows.

Usage::

    python -m benchmarks.bench_export [--rows 1000000] [--db PATH] [--limit-mb 200]
        [--write BENCHMARKS.md]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from archive.store import Archive  # noqa: E402
from benchmarks.report import machine, write_section  # noqa: E402

SECTION = "bench_export"  # BENCHMARKS.md markers: <!-- bench_export:start/end -->
SOURCES = [
    "syrianobserver", "enabbaladi-en", "enabbaladi-ar", "sana", "sohr", "npasyria",
    "deirezzor24", "aljumhuriya", "syriadirect", "halab-today", "snhr", "alwatan",
]  # fmt: skip
EN_WORDS = (
    "the council said electricity Damascus Aleppo residents government ministry "
    "reported on Monday that prices rose sharply while officials in the north and the "
    "opposition groups discussed aid deliveries across the border crossing, according to "
    "local sources who asked not to be named because they were not authorised to speak"
).split()
AR_WORDS = (
    "قَالَتْ وِزَارَةُ الكَهْرَبَاءِ إِنَّ سَاعَاتِ التَّقْنِينِ سَتَزْدَادُ فِي دِمَشْقَ وَحَلَبَ "
    "بِسَبَبِ نَقْصِ الغَازِ وَأَضَافَ مَسْؤُولٌ أَنَّ الأَسْعَارَ ارْتَفَعَتْ فِي الأَسْوَاقِ "
    "خِلَالَ الأُسْبُوعِ المَاضِي بِحَسَبِ مَصَادِرَ مَحَلِّيَّةٍ"
).split()


def _paragraphs(rng: random.Random, words: list[str], n: int) -> list[str]:
    out = []
    for _ in range(n):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(25, 70)))
        out.append(text[0].upper() + text[1:] + ".")
    return out


def build(db: Path, rows: int, seed: int = 5) -> float:
    """Write ``rows`` articles into a new archive at ``db``; returns seconds taken."""
    started = time.perf_counter()
    Archive(db).close()  # the real schema, WAL mode
    rng = random.Random(seed)
    pools = {"en": _paragraphs(rng, EN_WORDS, 300), "ar": _paragraphs(rng, AR_WORDS, 300)}
    pools["en"][7] = '"Quoted", with commas; and a second line\r\nin one paragraph.'
    pools["en"][11] = "=SUM(A1:A9) looks like a formula"
    base = dt.datetime(2021, 1, 1, tzinfo=dt.timezone.utc)
    seen = "2026-01-01T00:00:00+00:00"

    def records():
        for i in range(1, rows + 1):
            lang = "ar" if i % 3 == 0 else "en"
            source = SOURCES[i % len(SOURCES)]
            body = "\n\n".join(rng.choices(pools[lang], k=rng.randint(3, 10)))
            published = (base + dt.timedelta(minutes=i * 2.6)).replace(microsecond=0)
            url = f"https://{source}.example/{published:%Y/%m}/{i}/"
            yield (
                i,
                url,
                url,
                source,
                f"{source} article {i}: " + body[:60],
                body[:160],
                body,
                json.dumps([f"Author {i % 97}"]),
                published.isoformat(),
                lang,
                "News" if i % 2 else "Reports",
                json.dumps(["Syria", f"tag{i % 50}"], ensure_ascii=False),
                i % 5 == 0,
                len(body.split()),
                hashlib.sha256(str(i).encode()).hexdigest(),
                f"{rng.getrandbits(64):016x}",
                seen,
                seen,
            )

    conn = sqlite3.connect(db)
    conn.execute("PRAGMA synchronous = OFF")
    with conn:
        conn.executemany(
            "INSERT INTO articles (id, url, canonical_url, source, title, summary, body, authors, "
            "published, language, section, tags, translated, word_count, content_hash, simhash, "
            "first_seen, last_seen) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            records(),
        )
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return time.perf_counter() - started


# The child runs the real CLI and, at exit, writes its own VmHWM (peak resident
# set of its address space) from /proc/self/status. getrusage's ru_maxrss
# would not do: Linux carries it across fork and exec, so a child's figure is
# never below what its parent (this script, with the archive just built) held.
LAUNCH = """
import atexit, sys
report = sys.argv.pop(1)

def peak():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                with open(report, "w") as out:
                    out.write(line.split()[1])

atexit.register(peak)
sys.argv[0] = "newsarchive"
from scraper.cli import cli
cli()
"""


def measure(db: Path, args: list[str], out: Path) -> dict:
    """Run one export in a child process; its peak RSS, time and output size."""
    report = out.with_name("peak-kib")
    report.unlink(missing_ok=True)
    cmd = [sys.executable, "-c", LAUNCH, str(report), "export", "--db", str(db), *args]
    to_file = "-o" in args
    started = time.perf_counter()
    with open(os.devnull if to_file else out, "wb") as stdout:
        proc = subprocess.run(cmd, cwd=ROOT, stdout=stdout, stderr=subprocess.PIPE)
    seconds = time.perf_counter() - started
    stderr = proc.stderr.decode("utf-8", "replace").strip()
    target = Path(args[args.index("-o") + 1]) if to_file else out
    size = target.stat().st_size if target.exists() else 0
    target.unlink(missing_ok=True)
    words = stderr.split()
    exported = int(words[-3]) if len(words) >= 3 and words[-1] == "exported" else None
    return {
        "ok": proc.returncode == 0 and report.exists(),
        "error": stderr if proc.returncode else "",
        "rows": exported,
        "seconds": seconds,
        "bytes": size,
        "peak_mb": int(report.read_text()) / 1024 if report.exists() else float("nan"),
    }


def count_rows(db: Path, where: str = "", params: tuple = ()) -> int:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute(f"SELECT count(*) FROM articles {where}", params).fetchone()[0]
    finally:
        conn.close()


def report(db: Path, rows: int, build_seconds: float | None, results: list, limit: float) -> str:
    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    size_gb = db.stat().st_size / 1e9
    built = f", built in {build_seconds:.0f} s" if build_seconds is not None else ""
    lines = [
        "## Export (`benchmarks/bench_export.py`)",
        "",
        f"Peak memory of `newsarchive export` on an archive of {rows:,} articles "
        f"({size_gb:.2f} GB SQLite file{built}); target: under {limit:.0f} MB peak RSS. "
        "Each case runs the real command in its own process; peak RSS is that process's "
        "VmHWM (interpreter and imports included). Output goes to a file on disk.",
        "",
        f"- Date: {now}",
        f"- Machine: {machine()}",
        f"- Command: `python -m benchmarks.bench_export --rows {rows}`",
        "",
        "| export | rows | output | time | rows/s | peak RSS | under limit |",
        "| --- | ---: | ---: | ---: | ---: | ---: | :---: |",
    ]
    for label, expected, r in results:
        if not r["ok"]:
            lines.append(f"| `{label}` | failed: {r['error'][:80]} | | | | | no |")
            continue
        good = r["peak_mb"] < limit and r["rows"] == expected
        lines.append(
            f"| `{label}` | {r['rows']:,} | {r['bytes'] / 1e6:,.0f} MB | {r['seconds']:.1f} s | "
            f"{r['rows'] / r['seconds']:,.0f} | {r['peak_mb']:.1f} MB | {'yes' if good else 'NO'} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, help="keep the archive here (reused if it exists)")
    parser.add_argument("--limit-mb", type=float, default=200.0)
    parser.add_argument("--write", type=Path, metavar="MARKDOWN", help="e.g. BENCHMARKS.md")
    opts = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="bench-export-") as tmp:
        db = opts.db or Path(tmp) / "archive.db"
        build_seconds = None
        if db.exists() and count_rows(db) == opts.rows:
            print(f"reusing {db} ({opts.rows:,} articles)", file=sys.stderr)
        else:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
            print(f"building {db} with {opts.rows:,} articles...", file=sys.stderr)
            build_seconds = build(db, opts.rows)
            print(f"  {build_seconds:.0f} s, {db.stat().st_size / 1e9:.2f} GB", file=sys.stderr)

        since = "2024-01-01"
        early = "2021-01-14"  # the first ~1% of the rows: memory must not depend on size
        cases = [
            ("--format csv", ["--format", "csv"], opts.rows),
            ("--format csv --excel", ["--format", "csv", "--excel"], opts.rows),
            ("--format jsonl", ["--format", "jsonl"], opts.rows),
            (
                "--format csv -o FILE",
                ["--format", "csv", "-o", str(Path(tmp) / "out.csv")],
                opts.rows,
            ),
            (
                "--format xlsx -o FILE",
                ["--format", "xlsx", "-o", str(Path(tmp) / "out.xlsx")],
                opts.rows,
            ),
            (
                f"--format csv --source sana --since {since}",
                ["--format", "csv", "--source", "sana", "--since", since],
                count_rows(db, "WHERE source = 'sana' AND published >= ?", (since,)),
            ),
            (
                f"--format csv --until {early}",
                ["--format", "csv", "--until", early],
                count_rows(db, "WHERE published < ?", ("2021-01-15",)),
            ),
        ]
        results = []
        for label, args, expected in cases:
            print(f"export {label} ...", file=sys.stderr)
            r = measure(db, args, Path(tmp) / "stdout")
            print(f"  {r}", file=sys.stderr)
            results.append((label, expected, r))
        section = report(db, opts.rows, build_seconds, results, opts.limit_mb)

    print(section)
    if opts.write:
        write_section(opts.write, SECTION, section)
        print(f"written to {opts.write}", file=sys.stderr)
    failed = [
        label
        for label, expected, r in results
        if not r["ok"] or r["rows"] != expected or r["peak_mb"] >= opts.limit_mb
    ]
    if failed:
        print(f"FAILED: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
