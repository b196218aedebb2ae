"""Write a benchmark's markdown section into BENCHMARKS.md, between its own markers,
and say which machine it ran on.

Each benchmark owns one section, ``<!-- NAME:start -->`` ... ``<!-- NAME:end -->``;
re-running it replaces that section and leaves the others alone, so figures
in BENCHMARKS.md always come from a script run, never from hand edits.
"""

from __future__ import annotations

import os
import platform
import sqlite3
from pathlib import Path


def write_section(path: Path, name: str, section: str) -> None:
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    block = f"{start}\n{section.strip()}\n{end}"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    if start in text and end in text:
        head, rest = text.split(start, 1)
        text = head + block + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


def machine() -> str:
    """CPU model, cores, memory, OS, Python and SQLite, for a section's Machine line."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kib / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores{mem}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}"
    )


def stories_sentence(db: Path) -> str:
    """What a benchmark's archive made of stories, in one sentence: every benchmark
    archive says how large and how long its largest and longest story are."""
    from archive.stories import summary

    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        found = summary(conn)
        (total,) = conn.execute("SELECT count(*) FROM articles").fetchone()
    return (
        f"The archive's {found['stories']:,} stories hold {found['articles']:,} of its "
        f"{total:,} articles; the largest has {found['largest']:,}, the longest spans "
        f"{found['longest_days']} days."
    )
