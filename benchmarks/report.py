"""Write a benchmark's markdown section into BENCHMARKS.md, between its own markers.

Each benchmark owns one section, ``<!-- NAME:start -->`` ... ``<!-- NAME:end -->``;
re-running it replaces that section and leaves the others alone, so figures
in BENCHMARKS.md always come from a script run, never from hand edits.
"""

from __future__ import annotations

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
