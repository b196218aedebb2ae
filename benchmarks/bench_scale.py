"""Crawl speed at the size of years of news: pages/s, memory and CPU per page, four contenders.

The site is the public corpora's real pages laid out as one outlet
(benchmarks/corpus_site.py: feed, sitemap index with its chunks, paginated
listings, robots.txt), repeated in reworded copies until it holds ``--pages``
article pages. It is built once into the cache folder (``--cache``, default
``~/.cache/newsarchive-bench``, one folder per page count) and reused; it is
served on 127.0.0.1 by scraper.offline.server in a process of its own, so its
CPU is not counted against anyone.

Contenders, run round by round (the order rotates each round, so drift in the
machine's load falls on all of them), each as its own process tree:

1. bare ``trafilatura.extract(html, url=url)`` over the same article pages read
   from disk, in one process: the reference, extraction and nothing else;
2. the floor: a minimal Scrapy spider that follows the sitemap and extracts
   with trafilatura in its callback (benchmarks/plain_spider.py), one process;
3. ``newsarchive crawl`` of a registry file for the site (feed, sitemap,
   listings) into a new archive, with ``-s DOWNLOAD_DELAY=0 -s
   AUTOTHROTTLE_ENABLED=false -s CONCURRENT_REQUESTS_PER_DOMAIN=16`` (the
   site is ours);
4. news-please (its own virtual environment under the cache folder, made with
   ``python -m venv`` and ``pip install news-please`` on first use) crawling
   the same site through its SitemapCrawler with the same concurrency, stopped
   at ``--newsplease-seconds`` (default: as long as ``newsarchive crawl`` took
   in the same round); its pages are the article JSON files it stored.

For each run: wall seconds from process start to exit (imports included),
pages/s, the ratio to bare trafilatura's pages/s in the same round, CPU
seconds per page of the whole process tree (utime + stime: the children it
waited for, and each process's last sample), the peak resident memory of the
whole tree (the sum of every process's RSS, sampled every 0.2 s from /proc),
and the 1-minute load average at the start of the run. The machine is shared:
compare the ratios, not the rates across runs.

``--profile`` instead profiles one ``newsarchive crawl`` of the site with
py-spy (``py-spy record --subprocesses``, the crawl process and its extraction
workers) and prints the top cost centres of each process kind.

    python -m benchmarks.bench_scale --pages 2000 [--rounds 3] [--write BENCHMARKS.md]
    python -m benchmarks.bench_scale --pages 2000 --profile [--write BENCHMARKS.md]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

from benchmarks.report import machine, stories_sentence

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CACHE = Path(
    os.environ.get("NEWSARCHIVE_BENCH_CACHE", "~/.cache/newsarchive-bench")
).expanduser()
CONTENDERS = ("bare", "plain", "newsarchive", "newsplease")
LABELS = {
    "bare": "bare trafilatura, pages from disk (1 process)",
    "plain": "plain Scrapy + trafilatura spider (sitemap, extract in callback)",
    "newsarchive": "`newsarchive crawl` (feed, sitemaps, listings; archive)",
    "newsplease": "news-please (SitemapCrawler, JSON files)",
}
ROLES = {
    "main": "the crawl process",
    "fork server": "the workers' fork server",
    "workers": "the extraction workers together",
    "other": "multiprocessing's resource tracker",
}
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>\s*")


# --------------------------------------------------------------------------- the site


def corpus_cases():
    """The corpora's cases, as benchmarks.corpus loads them.

    An XML declaration before the markup is dropped: lxml refuses to parse a
    str that carries one, and corpus_site's rewording of the copies parses
    every page (msn.com.university has one).
    """
    from benchmarks.corpus import load_cases

    return [replace(c, html=_XML_DECLARATION.sub("", c.html, count=1)) for c in load_cases()]


def site_for(cache: Path, pages: int) -> dict:
    """The cached site of at least ``pages`` article pages (built on first use).

    Returns its manifest: root, port, base URL, and every article's URL and file.
    """
    from benchmarks.corpus_site import build_corpus_site, free_port

    cases = corpus_cases()
    copies = max(1, math.ceil(pages / len(cases)))
    folder = cache / f"site-{copies}x{len(cases)}"
    manifest_path = folder / "manifest.json"
    if manifest_path.exists():
        return json.loads(manifest_path.read_text("utf-8"))
    if folder.exists():
        shutil.rmtree(folder)  # a build that did not finish
    port = free_port()
    started = time.perf_counter()
    print(f"building a site of {copies} x {len(cases)} pages in {folder} ...", file=sys.stderr)
    site = build_corpus_site(folder, port, cases, copies=copies)
    manifest = {
        "root": str(folder),
        "port": port,
        "base_url": site.base_url,
        "copies": copies,
        "build_seconds": round(time.perf_counter() - started, 1),
        "articles": [[a.url, a.path.strip("/") + "/index.html"] for a in site.articles],
    }
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    return manifest


class SiteServer:
    """scraper.offline.server serving the site in its own process."""

    def __init__(self, manifest: dict, log: Path) -> None:
        # The site's pages name its port, so it is fixed: a second run of the same size
        # would otherwise measure against the first one's server, and lose it when that
        # run ends.
        with socket.socket() as probe:
            # As the server binds: the last run's closed connections do not count.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", manifest["port"]))
            except OSError:
                raise RuntimeError(
                    f"port {manifest['port']} of the site is taken: is another bench_scale "
                    "of this size running?"
                ) from None
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "scraper.offline.server",
                manifest["root"],
                "--port",
                str(manifest["port"]),
                "-q",
            ],
            cwd=ROOT,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )
        import urllib.request

        for _ in range(200):
            try:
                urllib.request.urlopen(manifest["base_url"] + "/robots.txt", timeout=2).read()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("the site server did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(30)


# --------------------------------------------------------------------------- measuring


def _proc_table() -> dict[int, tuple[int, int, int]]:
    """pid -> (ppid, utime + stime in ticks, rss in pages) of every process."""
    table = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rindex(b")") + 2 :].split()
        # fields[0] is the state: ppid is fields[1], utime [11], stime [12], rss [21]
        table[int(name)] = (int(fields[1]), int(fields[11]) + int(fields[12]), int(fields[21]))
    return table


def smaps_rollup(pid: int | str, field: str) -> int:
    """One figure of a process's memory in bytes, from /proc/PID/smaps_rollup ("Pss",
    "Private_Dirty"...); 0 for a process that is gone."""
    prefix = f"{field}:".encode()
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
            for line in f:
                if line.startswith(prefix):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _pss(pid: int) -> int:
    """The process's proportional set size in bytes: its private pages plus its share of
    those it shares (a forked worker's copy-on-write imports count once in a tree)."""
    return smaps_rollup(pid, "Pss")


def _is_forkserver(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return b"forkserver" in f.read()
    except OSError:
        return False


class TreeMonitor(threading.Thread):
    """Samples a process tree every ``interval`` s: peak total RSS and PSS, CPU per
    process."""

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.interval = interval
        self.peak_rss = 0
        self.peak_pss = 0
        self.peak_processes = 0
        self.cpu_ticks: dict[int, int] = {}
        self.peak_pss_by_role: dict[str, int] = {}  # at the tree's peak
        # The tree's PSS at each sample once it has its workers: the level it runs at,
        # beside the peak (a few seconds of two large pages at once).
        self.pss_samples: list[int] = []
        self.done = threading.Event()

    def _role(self, pid: int, table: dict) -> str:
        """What a process of the tree is: the command started, multiprocessing's fork
        server, a worker it forked, or another helper (its resource tracker)."""
        if pid == self.pid:
            return "main"
        if _is_forkserver(table[pid][0]):  # forked: the server's command line too
            return "workers"
        if _is_forkserver(pid):
            return "fork server"
        return "other"

    def sample(self) -> None:
        table = _proc_table()
        children = defaultdict(list)
        for pid, (ppid, _, _) in table.items():
            children[ppid].append(pid)
        tree, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            if pid in table:
                tree.append(pid)
                todo.extend(children[pid])
        rss = sum(table[p][2] for p in tree) * PAGE_SIZE
        self.peak_rss = max(self.peak_rss, rss)
        pss = {pid: _pss(pid) for pid in tree}
        total = sum(pss.values())
        if len(tree) >= 4:  # the command, the fork server, its tracker, a worker
            self.pss_samples.append(total)
        if total > self.peak_pss:
            self.peak_pss = total
            roles = Counter()
            for pid, size in pss.items():
                roles[self._role(pid, table)] += size
            self.peak_pss_by_role = dict(roles)
        self.peak_processes = max(self.peak_processes, len(tree))
        for pid in tree:
            self.cpu_ticks[pid] = table[pid][1]

    def run(self) -> None:
        while not self.done.is_set():
            self.sample()
            self.done.wait(self.interval)

    def stop(self) -> float:
        """Stop sampling; the tree's CPU seconds as last seen."""
        self.done.set()
        self.join()
        return sum(self.cpu_ticks.values()) / CLK_TCK

    @property
    def root_cpu_seconds(self) -> float:
        """The CPU seconds of the process started (as last seen), without its children."""
        return self.cpu_ticks.get(self.pid, 0) / CLK_TCK


@dataclass
class Run:
    contender: str
    round: int
    seconds: float
    pages: int
    cpu_seconds: float
    peak_rss: int
    peak_pss: int
    load: float
    processes: int
    detail: dict = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0


def measure(
    command: list[str],
    *,
    log: Path,
    env: dict | None = None,
    cwd: Path = ROOT,
    time_limit: float | None = None,
) -> dict:
    """Run ``command`` as a new process group; wall time, CPU and peak RSS of its tree.

    With ``time_limit``, the tree is sent SIGINT at the limit (SIGKILL 30 s
    later); the time reported is then the limit.
    """
    load = os.getloadavg()[0]
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    monitor = TreeMonitor(process.pid)
    monitor.start()
    stopped_at = None
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        now = time.perf_counter()
        if time_limit is not None and stopped_at is None and now - started >= time_limit:
            stopped_at = now
            os.killpg(process.pid, signal.SIGINT)
        elif stopped_at is not None and now - stopped_at > 30:
            os.killpg(process.pid, signal.SIGKILL)
        time.sleep(0.05)
    seconds = (stopped_at or time.perf_counter()) - started
    process.returncode = os.waitstatus_to_exitcode(status)
    sampled = monitor.stop()
    if stopped_at is not None:  # what the group left behind
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    waited = usage.ru_utime + usage.ru_stime  # the child and the children it waited for
    return {
        "seconds": seconds,
        "cpu_seconds": max(waited, sampled),
        "root_cpu_seconds": monitor.root_cpu_seconds,
        "peak_rss": monitor.peak_rss,
        "peak_pss": monitor.peak_pss,
        "peak_pss_by_role": monitor.peak_pss_by_role,
        "median_pss": statistics.median(monitor.pss_samples) if monitor.pss_samples else 0,
        "processes": monitor.peak_processes,
        "load": load,
        "returncode": process.returncode,
        "stopped": stopped_at is not None,
    }


# --------------------------------------------------------------------------- contenders


def bare_main(manifest_path: str, limit: int) -> None:
    """The bare reference, in its own process: trafilatura over the pages' files."""
    import trafilatura

    manifest = json.loads(Path(manifest_path).read_text("utf-8"))
    root = Path(manifest["root"]) / "www"
    extracted = pages = 0
    for url, path in manifest["articles"][: int(limit)]:
        html = (root / path).read_bytes().decode("utf-8", "replace")
        pages += 1
        extracted += bool(trafilatura.extract(html, url=url))
    print(json.dumps({"pages": pages, "extracted": extracted}))


class Bench:
    def __init__(self, manifest: dict, work: Path, cache: Path, pages: int) -> None:
        self.manifest = manifest
        self.work = work
        self.cache = cache
        self.pages = len(manifest["articles"])  # the whole site, for every contender
        self.manifest_path = Path(manifest["root"]) / "manifest.json"
        base = manifest["base_url"]
        self.sources = work / "corpus.toml"
        self.sources.write_text(
            f'[corpus]\nname = "Corpus News"\nhomepage = "{base}/"\nlanguage = "en"\n'
            f'feeds = ["{base}/feed.xml"]\nsitemaps = ["{base}/sitemap.xml"]\n'
            f'listings = ["{base}/"]\npagination = "{{listing}}page/{{n}}/"\n',
            encoding="utf-8",
        )
        self.env = {**os.environ, "NEWSARCHIVE_MIRRORS": json.dumps({"127.0.0.1": base})}
        self.runs = 0

    def _next(self, name: str) -> Path:
        self.runs += 1
        path = self.work / f"{self.runs:02d}-{name}"
        path.mkdir()
        return path

    def bare(self) -> dict:
        here = self._next("bare")
        code = "import sys; from benchmarks.bench_scale import bare_main; bare_main(*sys.argv[1:])"
        result = measure(
            [sys.executable, "-c", code, str(self.manifest_path), str(self.pages)],
            log=here / "log",
        )
        out = json.loads((here / "log").read_text("utf-8").strip().splitlines()[-1])
        return {**result, "pages": out["pages"], "detail": {"extracted": out["extracted"]}}

    def plain(self) -> dict:
        here = self._next("plain")
        out = here / "count"
        result = measure(
            [
                sys.executable,
                "-m",
                "scrapy",
                "runspider",
                str(ROOT / "benchmarks/plain_spider.py"),
                "-a",
                f"sitemap={self.manifest['base_url']}/sitemap.xml",
                "-a",
                f"out={out}",
            ],
            log=here / "log",
            cwd=here,
        )
        pages, extracted = map(int, out.read_text().split())
        return {**result, "pages": pages, "detail": {"extracted": extracted}}

    def newsarchive(self, extra_settings: dict | None = None, command_prefix=()) -> dict:
        from benchmarks.bench_distributed import SETTINGS

        here = self._next("newsarchive")
        db = here / "archive.db"
        settings = {**SETTINGS, **(extra_settings or {})}
        settings.pop("NEWSARCHIVE_STREAM_MAX_BACKLOG", None)
        flags = [item for name, value in settings.items() for item in ("-s", f"{name}={value}")]
        result = measure(
            [
                *command_prefix,
                sys.executable,
                "-m",
                "scraper.cli",
                *flags,
                "crawl",
                "corpus",
                "--sources",
                str(self.sources),
                "--db",
                str(db),
            ],
            log=here / "log",
            env=self.env,
        )
        with sqlite3.connect(db) as conn:
            articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
            runs = conn.execute("SELECT status, requests FROM crawl_runs").fetchall()
        stories = stories_sentence(db)
        size = sum(p.stat().st_size for p in here.glob("archive.db*"))
        shutil.rmtree(here) if not command_prefix else None
        return {
            **result,
            "pages": articles,
            "detail": {
                "requests": sum(r[1] or 0 for r in runs),
                "status": runs[0][0] if runs else None,
                "db_bytes": size,
                "stories": stories,
                "crawl_process_cpu": result["root_cpu_seconds"],
                "median_pss_mb": round(result["median_pss"] / 2**20),
                "peak_pss_mb_by_role": {
                    role: round(size / 2**20) for role, size in result["peak_pss_by_role"].items()
                },
                "other_cpu": result["cpu_seconds"] - result["root_cpu_seconds"],
            },
        }

    def newsplease(self, limit: float) -> dict:
        python = newsplease_python(self.cache)
        here = self._next("newsplease")
        config = here / "config"
        write_newsplease_config(config, here / "repo", self.manifest["base_url"], python)
        patch = here / "patch"
        patch.mkdir()
        (patch / "sitecustomize.py").write_text(NEWSPLEASE_PORT_FIX, encoding="utf-8")
        result = measure(
            [str(python), "-m", "newsplease", "-c", str(config), "-no-confirm"],
            log=here / "log",
            time_limit=limit,
            cwd=here,
            env={**os.environ, "PYTHONPATH": str(patch)},
        )
        stored = sum(1 for _ in (here / "repo").rglob("*.json"))
        shutil.rmtree(here / "repo", ignore_errors=True)
        return {
            **result,
            "pages": stored,
            "detail": {"limit": round(limit), "stopped": result["stopped"]},
        }


# --------------------------------------------------------------------------- news-please


# news-please makes the crawl's allowed domain of the site's address with its port
# ("127.0.0.1:PORT"); Scrapy ignores an allowed domain with a port, so every request
# would be filtered as offsite. A real outlet has no port: strip it, in every process
# of news-please's tree (it starts its crawlers as processes of their own).
NEWSPLEASE_PORT_FIX = """
from newsplease.helper_classes import url_extractor as _ue

_allowed = _ue.UrlExtractor.get_allowed_domain


def _without_port(url, allow_subdomains=True):
    return _allowed(url, allow_subdomains).split(":")[0]


_ue.UrlExtractor.get_allowed_domain = staticmethod(_without_port)
"""


def newsplease_python(cache: Path) -> Path:
    """The interpreter of news-please's own virtual environment (made on first use)."""
    venv = cache / "newsplease-venv"
    python = venv / "bin" / "python"
    if not (venv / ".installed").exists():
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "news-please"], check=True)
        (venv / ".installed").write_text("news-please\n")
    return python


def newsplease_version(cache: Path) -> str:
    out = subprocess.run(
        [str(newsplease_python(cache)), "-m", "pip", "show", "news-please"],
        capture_output=True,
        text=True,
    ).stdout
    return next((line.split()[1] for line in out.splitlines() if line.startswith("Version")), "?")


def write_newsplease_config(config: Path, repo: Path, base_url: str, python: Path) -> None:
    """news-please's own default config.cfg, pointed at the site, with our concurrency."""
    found = subprocess.run(
        [str(python), "-c", "import newsplease, os; print(os.path.dirname(newsplease.__file__))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    text = (Path(found) / "config" / "config.cfg").read_text("utf-8")
    changes = {
        r"^working_path = .*$": f"working_path = {repo}/",
        r"^number_of_parallel_crawlers = .*$": "number_of_parallel_crawlers = 1",
        r"^LOG_LEVEL = .*$": "LOG_LEVEL = ERROR",
        r"^CONCURRENT_REQUESTS_PER_DOMAIN=.*$": (
            "CONCURRENT_REQUESTS_PER_DOMAIN=16\nDOWNLOAD_DELAY=0"
        ),
    }
    for pattern, value in changes.items():
        text, n = re.subn(pattern, value, text, count=1, flags=re.M)
        if not n:
            raise RuntimeError(f"news-please's config.cfg has no line {pattern}")
    config.mkdir(parents=True)
    (config / "config.cfg").write_text(text, encoding="utf-8")
    sitelist = {"base_urls": [{"url": f"{base_url}/", "crawler": "SitemapCrawler"}]}
    (config / "sitelist.hjson").write_text(json.dumps(sitelist), encoding="utf-8")


# --------------------------------------------------------------------------- profile


def profile(bench: Bench, work: Path, rate_hz: int = 50) -> dict:
    """One `newsarchive crawl` under py-spy; the top functions of each process kind."""
    spy = Path(sys.executable).with_name("py-spy")
    if not spy.exists():
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "py-spy"], check=True)
    raw = work / "profile.txt"
    prefix = [
        str(spy),
        "record",
        "--subprocesses",
        "--idle",
        "-r",
        str(rate_hz),
        "-f",
        "raw",
        "-o",
        str(raw),
        "--",
    ]
    result = bench.newsarchive(command_prefix=prefix)
    return {**result, "profile": summarise_profile(raw)}


_FRAME = re.compile(r"^(?P<func>.*?) \((?P<file>[^()]*?)(?::(?P<line>\d+))?\)$")


def _short(path: str) -> str:
    for marker in ("site-packages/", "lib/python3.11/", str(ROOT) + "/", "/wt-bench/"):
        if marker in path:
            path = path.split(marker, 1)[1]
    return path


def summarise_profile(raw: Path) -> dict:
    """py-spy's collapsed stacks -> per process kind: samples, and self/total shares."""
    kinds: dict[str, dict] = {}
    for line in raw.read_text("utf-8", "replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = stack.split(";")
        chain = [f for f in frames if f.startswith("process ")]
        frames = [f for f in frames if not f.startswith("process ")]
        if any("_process_worker" in f for f in frames):
            kind = "extraction worker"
        elif len(chain) <= 1:  # `newsarchive crawl` runs the crawl in its own process
            kind = "crawl process"
        else:
            kind = "process start-up"
        idle = not frames or any(
            key in frames[-1]
            for key in (
                "select",
                "poll (",
                "wait (",
                "epoll",
                "_recv",
                "sleep",
                "acquire (",
                "_wait_for_tstate_lock",
                # A pool thread waiting on its queue (a C call, so no frame of its own),
                # and the process pool's feeder blocked on a full pipe to busy workers.
                "_worker (",
                "Connection._send (",
            )
        )
        entry = kinds.setdefault(
            kind,
            {"samples": 0, "idle": 0, "self": Counter(), "total": Counter(), "module": Counter()},
        )
        n = int(count)
        entry["samples"] += n
        if idle:
            entry["idle"] += n
            continue
        names = []
        for frame in frames:
            match = _FRAME.match(frame.strip())
            name = f"{match['func']} ({_short(match['file'])})" if match else frame.strip()
            names.append(name)
        entry["self"][names[-1]] += n
        for name in set(names):
            entry["total"][name] += n
        top_module = next(
            (
                _short(m["file"]).split("/")[0]
                for f in reversed(frames)
                if (m := _FRAME.match(f.strip())) and "site-packages" in m["file"]
            ),
            None,
        )
        entry["module"][
            top_module or _short(_FRAME.match(frames[-1].strip())["file"])
            if _FRAME.match(frames[-1].strip())
            else "?"
        ] += n
    return kinds


# --------------------------------------------------------------------------- report


def table(runs: list[Run], pages: int) -> list[str]:
    by = defaultdict(list)
    for run in runs:
        by[run.contender].append(run)
    bare_rate = {r.round: r.rate for r in by.get("bare", [])}
    lines = [
        "| contender | rounds | pages | pages/s (median) | ratio to bare (median, range) | "
        "CPU s/page | peak RSS of the tree | peak PSS of the tree | processes | load at start |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name in CONTENDERS:
        rows = by.get(name)
        if not rows:
            continue
        ratios = [r.rate / bare_rate[r.round] for r in rows if bare_rate.get(r.round)]
        cpu = [r.cpu_seconds / r.pages for r in rows if r.pages]
        note = " (stopped at the time limit)" if any(r.detail.get("stopped") for r in rows) else ""
        # A run without bare trafilatura (--only newsarchive) has no ratio to give.
        ratio = (
            f"{statistics.median(ratios):.2f} ({min(ratios):.2f}-{max(ratios):.2f})"
            if ratios
            else "not run"
        )
        lines.append(
            f"| {LABELS[name]}{note} | {len(rows)} | "
            f"{'/'.join(str(r.pages) for r in rows) if len({r.pages for r in rows}) > 1 else rows[0].pages} | "  # noqa: E501
            f"{statistics.median(r.rate for r in rows):.1f} | "
            f"{ratio} | "
            f"{statistics.median(cpu) if cpu else float('nan'):.3f} | "
            f"{max(r.peak_rss for r in rows) / 2**20:.0f} MB | "
            f"{max(r.peak_pss for r in rows) / 2**20:.0f} MB | "
            f"{max(r.processes for r in rows)} | "
            f"{min(r.load for r in rows):.1f}-{max(r.load for r in rows):.1f} |"
        )
    return lines


def profile_lines(result: dict, top: int = 8) -> list[str]:
    lines = []
    for kind in ("crawl process", "extraction worker"):
        entry = result["profile"].get(kind)
        if not entry:
            continue
        busy = entry["samples"] - entry["idle"]
        lines += [
            "",
            f"**{kind}** ({entry['samples']} samples, {busy / max(entry['samples'], 1):.0%} "
            "busy; shares are of the busy samples):",
            "",
            "| function (file) | self | total |",
            "| --- | ---: | ---: |",
        ]
        ours = [
            name
            for name, _ in entry["total"].most_common()
            if name.split("(")[-1].startswith(("archive/", "scraper/"))
        ][:top]
        shown = [name for name, _ in entry["self"].most_common(top)]
        for name in dict.fromkeys([*shown, *ours]):
            lines.append(
                f"| `{name}` | {entry['self'][name] / busy:.1%} | "
                f"{entry['total'][name] / busy:.1%} |"
            )
        lines += [
            "",
            "By package (self time): "
            + ", ".join(f"{m} {n / busy:.0%}" for m, n in entry["module"].most_common(8)),
        ]
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=2000, help="Article pages (at least).")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--only", nargs="+", choices=CONTENDERS, default=list(CONTENDERS))
    parser.add_argument(
        "--newsplease-seconds",
        type=float,
        help="news-please's time limit (default: newsarchive crawl's time in the round)",
    )
    parser.add_argument("--profile", action="store_true", help="py-spy one newsarchive crawl")
    parser.add_argument("--write", type=Path, metavar="MARKDOWN", help="e.g. BENCHMARKS.md")
    args = parser.parse_args(argv)

    args.cache.mkdir(parents=True, exist_ok=True)
    manifest = site_for(args.cache, args.pages)
    started = datetime.now(timezone.utc)
    work = args.cache / "last-run"  # its logs stay until the next run
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    server = SiteServer(manifest, work / "server.log")
    try:
        bench = Bench(manifest, work, args.cache, args.pages)
        if args.profile:
            result = profile(bench, work)
            section = profile_section(result, bench, started, args)
            name = "bench_scale_profile"
        else:
            runs = run_rounds(bench, args)
            section = scale_section(runs, bench, started, args)
            name = f"bench_scale_{bench.pages}"
    finally:
        server.stop()
    print(section)
    if args.write:
        from benchmarks.report import write_section

        write_section(args.write, name, section)


def run_rounds(bench: Bench, args) -> list[Run]:
    runs: list[Run] = []
    order = [c for c in CONTENDERS if c in args.only]
    for n in range(args.rounds):
        crawl_seconds = None
        turn = order[n % len(order) :] + order[: n % len(order)]
        # news-please's limit is newsarchive's time in the round: it runs after it.
        if "newsplease" in turn and "newsarchive" in turn:
            turn.remove("newsplease")
            turn.insert(turn.index("newsarchive") + 1, "newsplease")
        for name in turn:
            if name == "newsplease":
                limit = args.newsplease_seconds or crawl_seconds or 300.0
                result = bench.newsplease(limit)
            else:
                result = getattr(bench, name)()
            if name == "newsarchive":
                crawl_seconds = result["seconds"]
            run = Run(
                name,
                n,
                result["seconds"],
                result["pages"],
                result["cpu_seconds"],
                result["peak_rss"],
                result["peak_pss"],
                result["load"],
                result["processes"],
                result.get("detail", {}),
            )
            runs.append(run)
            print(
                f"round {n + 1} {name}: {run.pages} pages in {run.seconds:.1f} s "
                f"({run.rate:.1f}/s), cpu {run.cpu_seconds:.0f} s, peak "
                f"{run.peak_rss / 2**20:.0f} MB (PSS {run.peak_pss / 2**20:.0f} MB), "
                f"load {run.load:.1f} {run.detail}",
                file=sys.stderr,
                flush=True,
            )
    return runs


def _header(bench: Bench, started: datetime, command: str) -> list[str]:
    import trafilatura

    m = bench.manifest
    return [
        f"- Date: {started:%Y-%m-%d %H:%M} UTC",
        f"- Machine: {machine()}; trafilatura {trafilatura.__version__}",
        f"- Site: the public corpora's {len(m['articles']) // m['copies']} pages in "
        f"{m['copies']} reworded copies, {len(m['articles']):,} article pages "
        "(every contender reads all of them), feed, sitemap index, listings; served on "
        "127.0.0.1 by scraper.offline.server in its own process",
        f"- Command: `{command}`",
    ]


def command_line(args) -> str:
    line = f"python -m benchmarks.bench_scale --pages {args.pages} --rounds {args.rounds}"
    if args.newsplease_seconds:
        line += f" --newsplease-seconds {args.newsplease_seconds:g}"
    if list(args.only) != list(CONTENDERS):
        line += " --only " + " ".join(args.only)
    return line


def scale_section(runs: list[Run], bench: Bench, started: datetime, args) -> str:
    pages = len(bench.manifest["articles"])
    end_load = os.getloadavg()
    np_version = newsplease_version(args.cache) if "newsplease" in args.only else None
    by = defaultdict(list)
    for run in runs:
        by[run.contender].append(run)
    na = by.get("newsarchive", [])
    lines = [
        f"### {pages:,} article pages",
        "",
        *_header(bench, started, command_line(args)),
        f"- Load average (1, 5, 15 min) at the end: {', '.join(f'{x:.2f}' for x in end_load)}; "
        "the machine is shared with other engineers' test suites, so read the ratios "
        "(same round), not the rates",
        "",
        *table(runs, pages),
        "",
        "Pages: bare and the plain spider, pages extracted from; newsarchive, articles in "
        "the archive; news-please, article JSON files it stored before its time limit. CPU "
        "s/page is the whole process tree's user + system time over those pages.",
    ]
    if na:
        d = na[0].detail
        lines.append(
            f"newsarchive made {d.get('requests')} requests for {na[0].pages} articles "
            f"(sitemaps, feed and {pages // 20} listing pages too); its archive took "
            f"{d.get('db_bytes', 0) / max(na[0].pages, 1) / 1024:.0f} kB per article "
            "(captures, compressed page bodies, full-text index). Its CPU per article "
            f"(median of the rounds): the crawl process (Scrapy, the archive's writer) "
            f"{_median_ms(na, 'crawl_process_cpu')} ms, the other processes (extraction "
            f"workers, their fork server) {_median_ms(na, 'other_cpu')} ms. "
            f"{d.get('stories', '')}"
        )
        roles = na[0].detail.get("peak_pss_mb_by_role") or {}
        if roles:
            lines.append(
                "Its peak PSS by process (first round, at the tree's peak): "
                + ", ".join(f"{ROLES.get(role, role)} {mb} MB" for role, mb in roles.items())
                + f"; the tree's median PSS over the crawl {d.get('median_pss_mb', '?')} MB."
            )
    if np_version:
        lines.append(
            f"news-please {np_version} (its own venv; default pipelines: newspaper4k, "
            "readability, date and language extractors, HTML and JSON files), "
            "CONCURRENT_REQUESTS_PER_DOMAIN=16, DOWNLOAD_DELAY=0, one crawler."
        )
    return "\n".join(lines)


def _median_ms(runs: list[Run], key: str) -> str:
    values = [r.detail[key] / r.pages * 1000 for r in runs if key in r.detail and r.pages]
    return f"{statistics.median(values):.0f}" if values else "?"


def profile_section(result: dict, bench: Bench, started: datetime, args) -> str:
    lines = [
        f"### Where a crawl's time goes ({result['pages']:,} articles)",
        "",
        *_header(
            bench, started, f"python -m benchmarks.bench_scale --pages {args.pages} --profile"
        ),
        f"- py-spy {subprocess.run([str(Path(sys.executable).with_name('py-spy')), '--version'], capture_output=True, text=True).stdout.split()[-1]} "  # noqa: E501
        f"`record --subprocesses --idle -r 50`; load average at the start {result['load']:.2f}, "
        f"at the end {os.getloadavg()[0]:.2f}; the crawl took {result['seconds']:.0f} s "
        "(slowed by sampling)",
        "- self: samples in that function itself; total: samples with it on the stack. "
        "Idle samples (waiting in select/poll/locks) are left out of the shares.",
        *profile_lines(result),
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
