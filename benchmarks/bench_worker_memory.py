"""What an extraction worker holds as it works, and what handing freed memory back costs.

A crawl's workers are forked from a server that has imported and warmed the
extractor (scraper.extraction_server), so they start sharing its pages. This
benchmark does the same: it writes the public corpora's article pages to a
folder, starts a fresh process that imports that module (the warm-up and
``gc.freeze()``) as the real server does, and forks from it one child per
mode, which starts as a pool's worker does (scraper.extraction._start_worker)
and runs the pool's task (``process_page``) over the pages, ``--rounds`` times
over, reading each page's bytes as it comes, as a worker receives them. (Reading
the corpora in the forking process instead left it a heap of 295 MB with 195
MB of holes, which the children then filled page by page: 166 MB for a worker
that holds 24 MB more than the server.)

For each mode it reports the child's private dirty memory (its own pages:
what it allocated, and the server's pages it wrote to and so copied) after the
start, the first page, and every round; the CPU a page costs; the minor page
faults a page costs; and, in the ``heap`` mode, Python's own allocations
(tracemalloc, started after the fork: what the worker allocated and still
holds, without the copies).

Modes: ``off`` (as a crawl runs), ``heap`` (as ``off``, with tracemalloc),
``trim`` (glibc's ``malloc_trim(0)`` after every page: the freed heap handed
back to the system, and faulted in again by the next page).

    python -m benchmarks.bench_worker_memory [--rounds 3] [--write BENCHMARKS.md]
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from benchmarks.bench_scale import corpus_cases, smaps_rollup
from benchmarks.report import machine, write_section

MODES = ("off", "heap", "trim")


def private_dirty_mb() -> float:
    return smaps_rollup("self", "Private_Dirty") / 2**20


def _worker(folder: Path, rounds: int, mode: str) -> dict:
    """One child's run: the pages ``rounds`` times over, measured (runs after the fork)."""
    from scraper.extraction import _start_worker, process_page

    trim = ctypes.CDLL(None).malloc_trim if mode == "trim" else None
    _start_worker((), 0, os.getppid())
    result = {"mode": mode, "after_start": private_dirty_mb(), "rounds": []}
    if mode == "heap":
        import tracemalloc

        tracemalloc.start()
    cpu = trim_cpu = 0.0
    faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    urls = json.loads((folder / "urls.json").read_text(encoding="utf-8"))
    for round_ in range(rounds):
        for n, url in enumerate(urls):
            body = (folder / f"{n}.html").read_bytes()
            started = time.process_time()
            process_page(body, None, url, None, (), {}, "2026-01-01T00:00:00+00:00", True)
            if trim is not None:
                trimming = time.process_time()
                trim(0)
                trim_cpu += time.process_time() - trimming
            cpu += time.process_time() - started
            if round_ == 0 and n == 0:
                result["after_first_page"] = private_dirty_mb()
        entry = {"private_dirty": private_dirty_mb()}
        if mode == "heap":
            entry["python_heap"] = tracemalloc.get_traced_memory()[0] / 2**20
        result["rounds"].append(entry)
    done = len(urls) * rounds
    result["cpu_ms"] = 1000 * cpu / done
    result["trim_ms"] = 1000 * trim_cpu / done
    result["faults"] = (resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults) / done
    return result


def serve(folder: Path, rounds: int, modes: tuple[str, ...]) -> list[dict]:
    """The fork server's part (a fresh process): warm up, freeze, fork a worker per mode."""
    import scraper.extraction_server  # noqa: F401 - the warm server's state, frozen

    gc.freeze()
    results = []
    for mode in modes:
        reader, writer = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: a worker
            os.close(reader)
            try:
                answer = json.dumps(_worker(folder, rounds, mode)).encode()
                with os.fdopen(writer, "wb") as out:
                    out.write(answer)
            finally:
                os._exit(0)
        os.close(writer)
        with os.fdopen(reader, "rb") as answer:
            results.append(json.loads(answer.read()))
        os.waitpid(pid, 0)
    return results


def measure(pages: list[tuple[str, bytes]], rounds: int, modes: tuple[str, ...]) -> list[dict]:
    """Write the pages to a folder, and run the server on it in a process of its own."""
    with tempfile.TemporaryDirectory(prefix="worker-memory-") as folder:
        for n, (_, body) in enumerate(pages):
            (Path(folder) / f"{n}.html").write_bytes(body)
        urls = [url for url, _ in pages]
        (Path(folder) / "urls.json").write_text(json.dumps(urls), encoding="utf-8")
        command = [sys.executable, "-m", "benchmarks.bench_worker_memory", "--serve", folder]
        command += ["--rounds", str(rounds), "--modes", *modes]
        out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def section(results: list[dict], pages: int, rounds: int, started: datetime, command: str) -> str:
    heads = ["mode", "after start", "after 1 page"]
    heads += [f"after round {n + 1}" for n in range(rounds)]
    heads += ["CPU a page", "of it trimming", "page faults a page"]
    lines = [
        "## What an extraction worker holds (`benchmarks/bench_worker_memory.py`)",
        "",
        f"- Date: {started:%Y-%m-%d %H:%M} UTC",
        f"- Machine: {machine()}; load {os.getloadavg()[0]:.1f} at the end",
        f"- Command: `{command}`",
        f"- Pages: the public corpora's {pages} article pages, {rounds} times over, in a "
        "worker forked from the warmed extractor as a crawl's are",
        "",
        "Private dirty memory of the worker (MB): what it allocated and the server's "
        "pages it wrote to. In the `heap` row, Python's own allocations since the fork "
        "follow in brackets.",
        "",
        "| " + " | ".join(heads) + " |",
        "| --- |" + " ---: |" * (len(heads) - 1),
    ]
    for result in results:
        cells = [
            f"`{result['mode']}`",
            f"{result['after_start']:.0f}",
            f"{result['after_first_page']:.0f}",
        ]
        for entry in result["rounds"]:
            heap = f" ({entry['python_heap']:.0f})" if "python_heap" in entry else ""
            cells.append(f"{entry['private_dirty']:.0f}{heap}")
        cells += [
            f"{result['cpu_ms']:.1f} ms",
            f"{result['trim_ms']:.2f} ms",
            f"{result['faults']:.0f}",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    lines += [
        "",
        "Written by `python -m benchmarks.bench_worker_memory --write BENCHMARKS.md`; do not "
        "edit the figures by hand.",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--modes", nargs="+", choices=MODES, default=list(MODES))
    parser.add_argument("--write", type=Path, help="write the section into this file")
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)  # the server's process
    args = parser.parse_args(argv)
    if args.serve:
        print(json.dumps(serve(args.serve, args.rounds, tuple(args.modes))))
        return
    pages = [
        (case.url or f"https://example.org/{case.set_name}/{case.case_id}", case.html.encode())
        for case in corpus_cases()
    ]
    started = datetime.now(timezone.utc)
    results = measure(pages, args.rounds, tuple(args.modes))
    command = f"python -m benchmarks.bench_worker_memory --rounds {args.rounds}"
    if list(args.modes) != list(MODES):
        command += " --modes " + " ".join(args.modes)
    report = section(results, len(pages), args.rounds, started, command)
    print(report)
    if args.write:
        write_section(args.write, "bench_worker_memory", report)


if __name__ == "__main__":
    main()
