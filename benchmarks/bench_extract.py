"""Measure body-text extraction quality and speed on the saved real news pages.

Why: the project's extractor (``scraper.extract.extract``: trafilatura plus per-source
cleaning) must not lose story text or keep page cruft, and should not cost much more than
trafilatura alone.  This compares, on the same pages in the same run:

* **bare**: ``trafilatura.extract(html, url=url)`` with default options, the baseline;
* **ours**: ``scraper.extract.extract(html, url, source=None)["body"]``, imported lazily
  (if it is missing or fails to import, the reason is printed and only bare runs; an
  exception on one page counts as an empty extraction and is listed with the case id).
  With ``source=None`` the source is recognised by the URL's host, so pages of the
  registry's sites get their per-source rules.

Quality is bag-of-words precision / recall / F1 against the expected text, and for the
trafilatura-eval set the share of ``with`` snippets found and ``without`` snippets absent
(see ``benchmarks.corpus``).  The ``sites`` set is this repository's offline site copies
(scraper/offline/sites/*/expected.json: exact bodies and each site's cruft strings); it is
reported per source, with the cruft strings left in the bodies, and kept out of "overall",
which stays the four public corpora.  Speed is pages per second, first in one process (the two
extractors interleaved page by page, alternating which goes first), and with ``--jobs 2``
also through a 2-process pool.  Timings on a shared machine are noisy, so the ratio
ours / bare measured in the same run is the number to compare across runs.

``--options`` instead compares a few trafilatura option sets on the bare extractor (with
``--through-ours``: inside our full extractor), so settings are chosen by measurement.
``--write-baseline PATH`` stores ours' and bare's per-set scores with a digest of each set,
for the quality gate (tests/test_extract_quality.py).  ``--update-doc BENCHMARKS.md``
writes the markdown report into that file between ``<!-- bench_extract:start -->`` and
``<!-- bench_extract:end -->``, leaving the rest of the file alone.

Usage::

    python -m benchmarks.bench_extract [--sets fundus readability ...] [--limit N]
        [--jobs 1|2] [--markdown] [--options [--through-ours]] [--worst N]
        [--write-baseline PATH] [--update-doc BENCHMARKS.md]
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import os
import platform
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path
from statistics import fmean

from archive.days import day_of
from benchmarks.corpus import (
    ALL_SETS,
    LOCAL_SETS,
    Case,
    Corpus,
    corpus_digest,
    load_corpus,
    score_tokens,
    snippet_score,
    tokens,
)

# An extractor gives the body text, or (ours) the whole record with the body in "body".
Extractor = Callable[[str, str | None], "str | dict | None"]

_MARKDOWN_MARKUP = re.compile(r"\*+|`+|^#+ +", re.MULTILINE)

# Option sets for --options: each differs from trafilatura's defaults in one setting,
# or, where named so, in two.
OPTION_SETS: dict[str, dict[str, object]] = {
    "defaults": {},
    "favor_precision": {"favor_precision": True},
    "favor_recall": {"favor_recall": True},
    "include_tables=False": {"include_tables": False},
    "include_comments=False": {"include_comments": False},
    "no comments, favor_precision": {"include_comments": False, "favor_precision": True},
    "no comments, favor_recall": {"include_comments": False, "favor_recall": True},
    "include_formatting=True": {"include_formatting": True},
    "deduplicate=True": {"deduplicate": True},
    "no comments, fast": {"include_comments": False, "fast": True},
}


# --------------------------------------------------------------------------- extractors


def bare_extract(html: str, url: str | None) -> str | None:
    """trafilatura.extract with its default options: the baseline."""
    import trafilatura

    return trafilatura.extract(html, url=url)


def options_extractor(options: dict[str, object]) -> Extractor:
    """trafilatura.extract with the given keyword options.

    With ``include_formatting`` the markdown emphasis and heading marks are removed again.

    ``deduplicate=True`` gets a fresh cache per page: trafilatura's default cache is
    process-wide, so results would depend on which pages ran before in the same process.
    """
    import trafilatura
    from trafilatura.deduplication import LRUCache
    from trafilatura.settings import LRU_SIZE

    def run(html: str, url: str | None) -> str | None:
        kwargs = dict(options)
        if kwargs.get("deduplicate") is True:
            kwargs["deduplicate"] = LRUCache(maxsize=LRU_SIZE)
        text = trafilatura.extract(html, url=url, **kwargs)
        if text and kwargs.get("include_formatting"):
            # "**Read more**: ..." would otherwise dodge the snippet checks both ways;
            # compare the words, not the markup (token scores ignore it anyway).
            text = _MARKDOWN_MARKUP.sub("", text)
        return text

    return run


def load_ours() -> tuple[Extractor | None, str]:
    """The project's extractor as ``(html, url) -> body``, or None and why not."""
    try:
        module = importlib.import_module("scraper.extract")
    except Exception as exc:  # a broken module must not stop the baseline run
        return None, f"cannot import scraper.extract ({type(exc).__name__}: {exc})"
    func = getattr(module, "extract", None)
    if not callable(func):
        return None, "scraper.extract has no extract() function yet"

    def run(html: str, url: str | None) -> str | None:
        # Pages saved without a URL (readability, some newspaper4k pages) pass None.
        return func(html, url, source=None, explain=True)

    return run, "scraper.extract.extract"


def ours_options_extractor(options: dict[str, object]) -> Extractor:
    """The project's full extractor with trafilatura run with these options instead."""
    module = importlib.import_module("scraper.extract.page")  # where extract() reads them
    func, why = load_ours()
    if func is None:
        raise RuntimeError(why)

    def run(html: str, url: str | None) -> str | None:
        saved = module.TRAFILATURA_OPTIONS
        module.TRAFILATURA_OPTIONS = dict(options)
        try:
            return func(html, url)
        finally:
            module.TRAFILATURA_OPTIONS = saved

    return run


def make_extractors(names: Iterable[str]) -> dict[str, Extractor]:
    """Extractors by name: bare, ours, an OPTION_SETS name, or ``ours+<option set>``."""
    table: dict[str, Extractor] = {}
    for name in names:
        if name == "bare":
            table[name] = bare_extract
        elif name == "ours":
            func, why = load_ours()
            if func is None:
                raise RuntimeError(why)
            table[name] = func
        elif name.startswith("ours+"):
            table[name] = ours_options_extractor(OPTION_SETS[name.removeprefix("ours+")])
        else:
            table[name] = options_extractor(OPTION_SETS[name])
    return table


def run_case(func: Extractor, case: Case) -> tuple[str | dict | None, float, str | None]:
    """(output, seconds, error) for one page; an exception is an empty extraction."""
    start = time.perf_counter()
    try:
        text = func(case.html, case.url)
        error = None
    except Exception as exc:  # one bad page must not end the run
        text, error = None, f"{type(exc).__name__}: {exc}"[:200]
    return text, time.perf_counter() - start, error


# --------------------------------------------------------------------------- results


@dataclass
class CaseResult:
    precision: float | None = None
    recall: float | None = None
    f1: float | None = None
    with_found: float | None = None
    without_absent: float | None = None
    cruft_left: int = 0  # must_not_contain strings present in the text
    # Metadata against the suite's answer (fundus), for extractors that give a record.
    is_article: bool | None = None  # the record's verdict (ours only)
    # (rule, whether the removed block is in the expected text) for blocks of 4+ words
    removed: list[tuple[str, bool]] = field(default_factory=list)
    date_ok: bool | None = None
    title_ok: bool | None = None
    authors_ok: bool | None = None
    empty: bool = False
    seconds: float = 0.0
    error: str | None = None


@dataclass
class Run:
    """Per-extractor results, aligned with the case list."""

    name: str
    results: list[CaseResult] = field(default_factory=list)


class Scorer:
    """Scores texts against cases, tokenising each expected text only once."""

    def __init__(self, cases: Sequence[Case]) -> None:
        self.cases = cases
        self._expected = [
            Counter(tokens(c.expected_text)) if c.expected_text else None for c in cases
        ]
        self._keys: dict[int, str] = {}

    def _expected_key(self, i: int) -> str:
        if i not in self._keys:
            self._keys[i] = " " + fingerprint(self.cases[i].expected_text or "") + " "
        return self._keys[i]

    def result(
        self, i: int, output: str | dict | None, seconds: float, error: str | None
    ) -> CaseResult:
        case = self.cases[i]
        record = output if isinstance(output, dict) else None
        text = record.get("body") if record is not None else output
        r = CaseResult(empty=not (text and text.strip()), seconds=seconds, error=error)
        expected = self._expected[i]
        if expected is not None:
            r.precision, r.recall, r.f1 = score_tokens(Counter(tokens(text)), expected)
        if case.must_contain or case.must_not_contain:
            r.with_found, r.without_absent = snippet_score(
                text, case.must_contain, case.must_not_contain
            )
            r.cruft_left = round((1 - r.without_absent) * len(case.must_not_contain))
        if record is not None:
            r.is_article = bool(record.get("is_article", True))
            if case.expected_text and record.get("removed"):
                r.removed = audit_removed(record["removed"], self._expected_key(i))
        if record is not None and case.meta:
            r.date_ok, r.title_ok, r.authors_ok = meta_score(record, case.meta)
        return r


def fingerprint(text: str) -> str:
    """Words only, casefolded (as scraper.extract.blocks.fingerprint, kept here so the
    baseline still runs when the project's extractor does not import)."""
    import unicodedata

    return " ".join(re.findall(r"\w+", unicodedata.normalize("NFKC", text).casefold()))


def audit_removed(removed: list, expected_key: str) -> list[tuple[str, bool]]:
    """For each removed block of 4+ words: its rule, and whether the answer has it."""
    out = []
    for rule, text in removed:
        key = fingerprint(text)
        if key.count(" ") >= 3:
            # A repeated paragraph keeps its first copy: lost only if the answer has two.
            needed = 2 if rule == "repeated-paragraph" else 1
            out.append((rule, expected_key.count(f" {key} ") >= needed))
    return out


def rule_audit(cases: Sequence[Case], results: Sequence[CaseResult]) -> dict[str, list[int]]:
    """Per rule, over the public corpora: [blocks removed, of which in the expected text]."""
    audit: dict[str, list[int]] = {}
    for case, r in zip(cases, results, strict=True):
        if case.set_name in LOCAL_SETS:
            continue
        for rule, in_answer in r.removed:
            counts = audit.setdefault(rule, [0, 0])
            counts[0] += 1
            counts[1] += in_answer
    return dict(sorted(audit.items()))


def meta_score(record: dict, meta: dict) -> tuple[bool | None, bool | None, bool | None]:
    """(same day of publication, same title, same set of authors) as the suite's answer."""
    want_day = (meta.get("publishing_date") or "")[:10]
    # The suite's answer is the publisher's time with its offset: its day is ours'
    # published_local day (archive.days), not the UTC one.
    got_day = day_of(record.get("published"), record.get("published_local"))
    date_ok = got_day == want_day if want_day else None
    want_title = " ".join((meta.get("title") or "").split())
    title_ok = " ".join((record.get("title") or "").split()) == want_title if want_title else None
    want_authors = meta.get("authors")
    authors_ok = (
        sorted(record.get("authors") or []) == sorted(want_authors)
        if want_authors is not None
        else None
    )
    return date_ok, title_ok, authors_ok


def _mean(values: Iterable[float | None]) -> float | None:
    vals = [v for v in values if v is not None]
    return fmean(vals) if vals else None


def summarise(cases: Sequence[Case], results: Sequence[CaseResult]) -> dict[str, dict]:
    """Per set and "overall": cases, mean P/R/F1, snippet shares, empties, errors."""
    groups: dict[str, list[int]] = {}
    for i, c in enumerate(cases):
        groups.setdefault(c.set_name, []).append(i)
    # "overall" is the public corpora; the repository's own site copies are reported apart.
    groups["overall"] = [i for i, c in enumerate(cases) if c.set_name not in LOCAL_SETS]
    out: dict[str, dict] = {}
    for name, idx in groups.items():
        rs = [results[i] for i in idx]
        out[name] = {
            "cases": len(rs),
            "precision": _mean(r.precision for r in rs),
            "recall": _mean(r.recall for r in rs),
            "f1": _mean(r.f1 for r in rs),
            "with_found": _mean(r.with_found for r in rs),
            "without_absent": _mean(r.without_absent for r in rs),
            "date_ok": _mean(None if r.date_ok is None else float(r.date_ok) for r in rs),
            "title_ok": _mean(None if r.title_ok is None else float(r.title_ok) for r in rs),
            "authors_ok": _mean(None if r.authors_ok is None else float(r.authors_ok) for r in rs),
            "empty": sum(r.empty for r in rs),
            "errors": sum(r.error is not None for r in rs),
            "seconds": sum(r.seconds for r in rs),
        }
    return out


# --------------------------------------------------------------------------- running


def select(corpus: Corpus, limit: int | None) -> list[Case]:
    """The first ``limit`` cases of each set (all when limit is None)."""
    if limit is None:
        return list(corpus.cases)
    seen: Counter[str] = Counter()
    chosen = []
    for c in corpus.cases:
        if seen[c.set_name] < limit:
            chosen.append(c)
            seen[c.set_name] += 1
    return chosen


def _progress(done: int, total: int, label: str) -> None:
    if sys.stderr.isatty() and (done % 25 == 0 or done == total):
        print(
            f"\r{label}: {done}/{total}",
            end="\n" if done == total else "",
            file=sys.stderr,
            flush=True,
        )


def run_in_process(cases: Sequence[Case], extractors: dict[str, Extractor]) -> list[Run]:
    """Every extractor on every case, interleaved page by page, alternating the order."""
    scorer = Scorer(cases)
    names = list(extractors)
    runs = {n: Run(n) for n in names}
    # warm-up: lazy imports, models and first-call caches are not what we measure
    for case in warm_up_cases(cases):
        for n in names:
            run_case(extractors[n], case)
    for i, case in enumerate(cases):
        order = names if i % 2 == 0 else names[::-1]
        for n in order:
            text, secs, err = run_case(extractors[n], case)
            runs[n].results.append(scorer.result(i, text, secs, err))
        _progress(i + 1, len(cases), "extracting")
    return [runs[n] for n in names]


# Pool workers load the same cases themselves, so tasks are just indexes: the timing is
# extraction, not pickling megabytes of HTML through pipes.
_W_CASES: list[Case] = []
_W_EXTRACTORS: dict[str, Extractor] = {}


def warm_up_cases(cases: Sequence[Case]) -> list[Case]:
    """The first page of each set and of each language (loads language and date models)."""
    seen: set[tuple[str, str | None]] = set()
    chosen: list[Case] = []
    for case in cases:
        keys = {(case.set_name, None), ("", case.language)} - seen
        if keys:
            seen |= keys
            chosen.append(case)
    return chosen


def _init_worker(
    root: Path | None, sets: list[str] | None, limit: int | None, names: list[str], digest: str
) -> None:
    _W_CASES[:] = select(load_corpus(root, sets), limit)
    if corpus_digest(_W_CASES) != digest:
        raise RuntimeError("worker loaded a different corpus than the parent")
    _W_EXTRACTORS.update(make_extractors(names))
    for case in warm_up_cases(_W_CASES):
        for func in _W_EXTRACTORS.values():
            run_case(func, case)


def _work(name: str, i: int) -> tuple[int, str | None, float, str | None]:
    return (i, *run_case(_W_EXTRACTORS[name], _W_CASES[i]))


def make_pool(
    jobs: int,
    root: Path | None,
    sets: list[str] | None,
    limit: int | None,
    names: list[str],
    cases: Sequence[Case],
) -> ProcessPoolExecutor:
    pool = ProcessPoolExecutor(
        max_workers=jobs,
        initializer=_init_worker,
        initargs=(root, sets, limit, names, corpus_digest(cases)),
    )
    # Start and warm every worker before any timing.
    list(pool.map(_sleep_then_ready, [0.2] * jobs))
    return pool


def _sleep_then_ready(seconds: float) -> bool:
    time.sleep(seconds)  # keeps one worker busy so the other also starts
    return True


def run_in_pool(
    pool: ProcessPoolExecutor, name: str, n: int
) -> tuple[list[tuple[str | None, float, str | None]], float]:
    """All n cases through the pool with one extractor: per-case outputs and wall seconds."""
    start = time.perf_counter()
    out: list[tuple[str | None, float, str | None]] = [(None, 0.0, None)] * n
    for i, text, secs, err in pool.map(_work, repeat(name), range(n), chunksize=2):
        out[i] = (text, secs, err)
    return out, time.perf_counter() - start


# --------------------------------------------------------------------------- output


def machine_info() -> dict[str, object]:
    import trafilatura

    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    return {
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "cpus_usable": usable,
        "python": platform.python_version(),
        "trafilatura": trafilatura.__version__,
        # Other work on a shared machine slows both extractors; the ratio is what compares.
        "load_average": [round(x, 2) for x in os.getloadavg()]
        if hasattr(os, "getloadavg")
        else None,
    }


def _fmt(value: float | None, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def render_table(headers: Sequence[str], rows: Sequence[Sequence[str]], markdown: bool) -> str:
    if markdown:
        lines = [
            "| " + " | ".join(headers) + " |",
            "|" + "|".join("---" if i == 0 else "---:" for i in range(len(headers))) + "|",
        ]
        lines += ["| " + " | ".join(r) + " |" for r in rows]
        return "\n".join(lines)
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    fmt = "  ".join(f"{{:{'<' if i == 0 else '>'}{w}}}" for i, w in enumerate(widths))
    return "\n".join(
        [fmt.format(*headers), fmt.format(*("-" * w for w in widths))]
        + [fmt.format(*r) for r in rows]
    )


def header_lines(
    title: str,
    info: dict[str, object],
    cases: Sequence[Case],
    corpus: Corpus,
    digest: str,
    markdown: bool,
) -> list[str]:
    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    per_set = Counter(c.set_name for c in cases)
    return [
        f"### {title} — {now}" if markdown else f"{title} — {now}",
        "",
        f"Machine: {info['platform']}, {info['cpu_count']} CPUs "
        f"({info['cpus_usable']} usable), Python {info['python']}, "
        f"trafilatura {info['trafilatura']}; load average at start "
        f"{', '.join(map(str, info.get('load_average') or [])) or 'unknown'}.",
        f"Corpus: {len(cases)} cases ("
        + ", ".join(f"{s} {n}" for s, n in per_set.items())
        + f"); {len(corpus.skipped)} skipped without a usable answer; "
        f"digest sha256 {digest[:16]}….",
        "",
    ]


def text_set_names(cases: Sequence[Case]) -> list[str]:
    return list(dict.fromkeys(c.set_name for c in cases if c.expected_text))


def snippet_set_names(cases: Sequence[Case]) -> list[str]:
    return list(
        dict.fromkeys(
            c.set_name
            for c in cases
            if (c.must_contain or c.must_not_contain) and c.set_name not in LOCAL_SETS
        )
    )


def site_summary(cases: Sequence[Case], results: Sequence[CaseResult]) -> dict[str, dict]:
    """Per source of the ``sites`` set: cases, mean P/R/F1, cruft strings left, digest."""
    groups: dict[str, list[int]] = {}
    for i, c in enumerate(cases):
        if c.set_name == "sites":
            groups.setdefault(c.case_id.split("/", 1)[0], []).append(i)
    out: dict[str, dict] = {}
    for source, idx in sorted(groups.items()):
        rs = [results[i] for i in idx]
        out[source] = {
            "cases": len(rs),
            "precision": _mean(r.precision for r in rs),
            "recall": _mean(r.recall for r in rs),
            "min_recall": min(r.recall or 0.0 for r in rs),
            "f1": _mean(r.f1 for r in rs),
            "cruft_left": sum(r.cruft_left for r in rs),
            "sha256": corpus_digest(cases[i] for i in idx),
        }
    return out


def quality_report(cases: Sequence[Case], runs: Sequence[Run], markdown: bool) -> list[str]:
    sums = {r.name: summarise(cases, r.results) for r in runs}
    names = [r.name for r in runs]
    out: list[str] = []
    text_sets = text_set_names(cases)
    if text_sets:
        headers = ["set", "cases"]
        for n in names:
            headers += [f"{n} P", f"{n} R", f"{n} F1"]
        if len(names) == 2:
            headers.append("ΔF1")
        rows = []
        corpus_sets = [t for t in text_sets if t not in LOCAL_SETS]
        for s in [*corpus_sets, "overall", *(t for t in text_sets if t in LOCAL_SETS)]:
            # "overall": every public-corpus case with an expected text
            n_text = sum(
                1
                for c in cases
                if c.expected_text
                and (c.set_name == s or s == "overall" and c.set_name not in LOCAL_SETS)
            )
            label = {"overall": "overall (corpora text sets)", "sites": "sites (offline copies)"}
            row = [label.get(s, s), str(n_text)]
            f1s = []
            for n in names:
                sub = sums[n][s]
                row += [_fmt(sub["precision"]), _fmt(sub["recall"]), _fmt(sub["f1"])]
                f1s.append(sub["f1"])
            if len(names) == 2:
                row.append(f"{f1s[1] - f1s[0]:+.3f}" if None not in f1s else "–")
            rows.append(row)
        out += [
            "Bag-of-words precision, recall, F1 (mean over cases):",
            "",
            render_table(headers, rows, markdown),
            "",
        ]
    snip_sets = snippet_set_names(cases)
    if snip_sets:
        headers = ["set", "cases"]
        for n in names:
            headers += [f"{n} with found", f"{n} without absent"]
        rows = []
        for s in snip_sets:
            row = [s, str(sums[names[0]][s]["cases"])]
            for n in names:
                row += [_fmt(sums[n][s]["with_found"]), _fmt(sums[n][s]["without_absent"])]
            rows.append(row)
        out += [
            "Snippets (share of `with` found, share of `without` absent):",
            "",
            render_table(headers, rows, markdown),
            "",
        ]
    meta_rows = []
    for n in names:
        for s in dict.fromkeys(c.set_name for c in cases if c.meta):
            sub = sums[n][s]
            if sub["date_ok"] is not None:
                meta_rows.append(
                    [n, s, _fmt(sub["date_ok"]), _fmt(sub["title_ok"]), _fmt(sub["authors_ok"])]
                )
    if meta_rows:
        out += [
            "Metadata against the suite's answers (share of pages): same day of publication "
            "(the publisher's day), same title, same set of authors:",
            "",
            render_table(
                ["extractor", "set", "published day", "title", "authors"], meta_rows, markdown
            ),
            "",
        ]
    for r in runs:
        audit = rule_audit(cases, r.results)
        if audit:
            out += [
                f"Blocks of four words or more that the cleaning rules ({r.name}) removed on "
                "the public corpora, and how many of them the expected text has (a suite's "
                "answer may keep what we call cruft, such as 'Read more: <headline>' lines; "
                "a repeated paragraph counts when the answer has it twice):",
                "",
                render_table(
                    ["rule", "removed", "in expected text"],
                    [[rule, str(n), str(k)] for rule, (n, k) in audit.items()],
                    markdown,
                ),
                "",
            ]
    sites = {r.name: site_summary(cases, r.results) for r in runs}
    if sites[names[0]]:
        headers = ["source", "cases"]
        for n in names:
            headers += [f"{n} P", f"{n} R", f"{n} min R", f"{n} F1", f"{n} cruft left"]
        rows = []
        for source in sites[names[0]]:
            row = [source, str(sites[names[0]][source]["cases"])]
            for n in names:
                sub = sites[n][source]
                row += [
                    _fmt(sub["precision"]),
                    _fmt(sub["recall"]),
                    _fmt(sub["min_recall"]),
                    _fmt(sub["f1"]),
                    str(sub["cruft_left"]),
                ]
            rows.append(row)
        out += [
            "Offline site copies (scraper/offline/sites): exact expected bodies; cruft left = the "
            "site's cruft strings (expected.json) found in the bodies:",
            "",
            render_table(headers, rows, markdown),
            "",
        ]
    headers = ["extractor", "empty", "errors"]
    rows = [[n, str(sums[n]["overall"]["empty"]), str(sums[n]["overall"]["errors"])] for n in names]
    out += [render_table(headers, rows, markdown), ""]
    return out


def _run(runs: Sequence[Run], name: str) -> Run:
    return next(r for r in runs if r.name == name)


def error_lines(cases: Sequence[Case], runs: Sequence[Run]) -> list[str]:
    lines = []
    for run in runs:
        for c, r in zip(cases, run.results, strict=True):
            if r.error:
                lines.append(f"- {run.name} failed on {c.set_name}/{c.case_id}: {r.error}")
    return ["Errors (counted as empty extractions):", "", *lines, ""] if lines else []


def worst_lines(cases: Sequence[Case], run: Run, n: int) -> list[str]:
    scored = sorted(
        (pair for pair in zip(cases, run.results, strict=True) if pair[1].f1 is not None),
        key=lambda pair: pair[1].f1,
    )[:n]
    lines = [f"Lowest F1 for {run.name}:", ""]
    for c, r in scored:
        lines.append(
            f"- {c.set_name}/{c.case_id}: F1 {r.f1:.3f} (P {_fmt(r.precision)}, "
            f"R {_fmt(r.recall)}){' — empty' if r.empty else ''}"
        )
    return [*lines, ""]


def skipped_lines(corpus: Corpus) -> list[str]:
    if not corpus.skipped:
        return []
    lines = [f"Skipped ({len(corpus.skipped)}):", ""]
    lines += [f"- {s.set_name}/{s.case_id}: {s.reason}" for s in corpus.skipped]
    return [*lines, ""]


# --------------------------------------------------------------------------- modes


BASELINE_FORMAT = 2


def baseline_data(
    cases: Sequence[Case], runs: Sequence[Run], info: dict[str, object], limit: int | None
) -> dict[str, object]:
    """The quality gate's baseline: per set, its digest and ours' (and bare's) scores."""
    sums = {r.name: summarise(cases, r.results) for r in runs}
    extractor = importlib.import_module("scraper.extract")
    sets: dict[str, dict] = {}
    for name in dict.fromkeys(c.set_name for c in cases if c.set_name not in LOCAL_SETS):
        entry: dict[str, object] = {
            "cases": sums["ours"][name]["cases"],
            "sha256": corpus_digest(c for c in cases if c.set_name == name),
        }
        for run, prefix in (("ours", ""), ("bare", "bare_")):
            if run not in sums:
                continue
            sub = sums[run][name]
            for key in ("precision", "recall", "f1", "with_found", "without_absent"):
                if sub[key] is not None:
                    entry[prefix + key] = round(sub[key], 4)
        rejected = [
            c.case_id
            for c, r in zip(cases, _run(runs, "ours").results, strict=True)
            if c.set_name == name and r.is_article is False
        ]
        entry["not_articles"] = sorted(rejected)  # real articles ours calls non-articles
        sets[name] = entry
    overall = {
        k: round(v, 4)
        for k in ("precision", "recall", "f1")
        if (v := sums["ours"]["overall"][k]) is not None
    }
    sites = {
        source: {k: (round(v, 4) if isinstance(v, float) else v) for k, v in entry.items()}
        for source, entry in site_summary(cases, _run(runs, "ours").results).items()
    }
    return {
        "format": BASELINE_FORMAT,
        "extractor": "scraper.extract.extract",
        "extractor_version": extractor.EXTRACTOR_VERSION,
        "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "digest_of": "per set: sorted 'set/case_id<TAB>sha256(html utf-8)<TAB>"
        "sha256(expected answer)' lines (benchmarks.corpus.corpus_digest)",
        "limit_per_set": limit,
        "sets": sets,
        "overall": overall,
        "sites": sites,
        "machine": info,
    }


def write_baseline(path: Path, data: dict[str, object]) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", "utf-8")


def update_doc(path: Path, report: str, command: str, marker: str = "bench_extract") -> None:
    """Put the report between this harness's markers in a markdown file (made if missing)."""
    start, end = f"<!-- {marker}:start -->", f"<!-- {marker}:end -->"
    section = "\n".join(
        [
            start,
            report.rstrip(),
            "",
            f"Written by `{command}`; do not edit the figures by hand.",
            end,
        ]
    )
    text = path.read_text("utf-8") if path.exists() else "# Benchmarks\n"
    if start in text and end in text:
        head, rest = text.split(start, 1)
        tail = rest.split(end, 1)[1]
        text = head + section + tail
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text, "utf-8")


def main_compare(args: argparse.Namespace, corpus: Corpus, cases: list[Case]) -> int:
    info = machine_info()
    digest = corpus_digest(cases)
    ours, why = load_ours()
    extractors: dict[str, Extractor] = {"bare": bare_extract}
    if ours is not None:
        extractors["ours"] = ours
    if (args.write_baseline or args.update_doc) and ours is None:
        print(f"error: --write-baseline and --update-doc need ours: {why}", file=sys.stderr)
        return 2
    runs = run_in_process(cases, extractors)
    md = args.markdown or bool(args.update_doc)
    out = header_lines("Body-text extraction benchmark", info, cases, corpus, digest, md)
    out.append(
        f"Extractors: bare = trafilatura.extract(html, url=url), defaults; ours = {why}"
        + ("." if ours is not None else " — only the baseline ran.")
    )
    out.append("")
    out += quality_report(cases, runs, md)

    # speed
    n = len(cases)
    speed_rows = []
    single = {r.name: n / s if (s := sum(x.seconds for x in r.results)) else None for r in runs}
    speed_rows.append(_speed_row("1 process (sum of per-page times)", n, single))
    if args.jobs > 1 and n:
        names = list(extractors)
        with make_pool(args.jobs, args.root, args.sets, args.limit, names, cases) as pool:
            # ABBA order so drift on a noisy machine hits both extractors alike
            order = names + names[::-1] if len(names) == 2 else names
            wall: Counter[str] = Counter()
            rounds: Counter[str] = Counter()
            for name in order:
                _, secs = run_in_pool(pool, name, n)
                wall[name] += secs
                rounds[name] += 1
        pooled = {k: n * rounds[k] / wall[k] for k in names}
        speed_rows.append(_speed_row(f"{args.jobs} processes (wall clock)", n, pooled))
    headers = ["mode", "pages", "bare pages/s", "ours pages/s", "ours/bare speed"]
    out += [
        "Speed (ratio < 1 means ours is slower than bare trafilatura):",
        "",
        render_table(headers, speed_rows, md),
        "",
    ]
    out += error_lines(cases, runs)
    if args.worst:
        for r in runs:
            out += worst_lines(cases, r, args.worst)
    out += skipped_lines(corpus)
    report = "\n".join(out).rstrip()
    print(report)

    if args.write_baseline:
        write_baseline(args.write_baseline, baseline_data(cases, runs, info, args.limit))
        print(f"\nbaseline written to {args.write_baseline}", file=sys.stderr)
    if args.update_doc:
        command = " ".join(["python -m benchmarks.bench_extract", *args.argv])
        update_doc(args.update_doc, report, command)
        print(f"report written to {args.update_doc}", file=sys.stderr)
    return 0


def _speed_row(label: str, n: int, speeds: dict[str, float | None]) -> list[str]:
    bare, ours = speeds.get("bare"), speeds.get("ours")
    ratio = ours / bare if bare and ours else None
    return [label, str(n), _fmt(bare, 1), _fmt(ours, 1), _fmt(ratio, 2)]


def main_options(args: argparse.Namespace, corpus: Corpus, cases: list[Case]) -> int:
    info = machine_info()
    digest = corpus_digest(cases)
    names = [f"ours+{n}" for n in OPTION_SETS] if args.through_ours else list(OPTION_SETS)
    if args.jobs > 1 and cases:
        scorer = Scorer(cases)
        runs = []
        with make_pool(args.jobs, args.root, args.sets, args.limit, names, cases) as pool:
            for name in names:
                outputs, _ = run_in_pool(pool, name, len(cases))
                runs.append(Run(name, [scorer.result(i, *o) for i, o in enumerate(outputs)]))
    else:
        runs = run_in_process(cases, make_extractors(names))
    md = args.markdown or bool(args.update_doc)
    title = "trafilatura option sets (" + (
        "through our full extractor)" if args.through_ours else "bare extractor)"
    )
    out = header_lines(title, info, cases, corpus, digest, md)
    text_sets = text_set_names(cases)
    snip_sets = snippet_set_names(cases)
    headers = ["options", *(f"{s} F1" for s in text_sets)]
    if text_sets:
        headers.append("overall F1")
    for s in snip_sets:
        headers += [f"{s} with", f"{s} without"]
    headers += ["empty", "pages/s"]
    rows = []
    for run in runs:
        summary = summarise(cases, run.results)
        row = [run.name, *(_fmt(summary[s]["f1"]) for s in text_sets)]
        if text_sets:
            row.append(_fmt(summary["overall"]["f1"]))
        for s in snip_sets:
            row += [_fmt(summary[s]["with_found"]), _fmt(summary[s]["without_absent"])]
        secs = sum(r.seconds for r in run.results)
        empty = sum(r.empty for r in run.results)
        row += [str(empty), _fmt(len(cases) / secs if secs else None, 1)]
        rows.append(row)
    out += [
        "Mean bag-of-words F1 per set; snippet shares for trafilatura-eval; pages/s is "
        "per process (sum of per-page times).",
        "",
        render_table(headers, rows, md),
        "",
    ]
    out += error_lines(cases, runs)
    if not args.update_doc:
        out += skipped_lines(corpus)
    report = "\n".join(out).rstrip()
    print(report)
    if args.update_doc:
        command = " ".join(["python -m benchmarks.bench_extract", *args.argv])
        marker = "bench_extract_options" + ("_ours" if args.through_ours else "")
        update_doc(args.update_doc, report, command, marker=marker)
        print(f"report written to {args.update_doc}", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m benchmarks.bench_extract",
        description="Body-text extraction quality and speed on the saved news pages.",
    )
    p.add_argument(
        "--sets",
        nargs="+",
        choices=ALL_SETS,
        default=list(ALL_SETS),
        metavar="SET",
        help=f"corpus sets to use (default: all of {', '.join(ALL_SETS)})",
    )
    p.add_argument("--limit", type=int, metavar="N", help="first N cases of each set")
    p.add_argument(
        "--jobs",
        type=int,
        choices=(1, 2),
        default=1,
        help="2: also time a 2-process pool (with --options: run in the pool)",
    )
    p.add_argument("--markdown", action="store_true", help="markdown tables for BENCHMARKS.md")
    p.add_argument(
        "--options",
        action="store_true",
        help="compare trafilatura option sets on the bare extractor",
    )
    p.add_argument(
        "--through-ours",
        action="store_true",
        help="with --options: run each option set through scraper.extract.extract "
        "(its TRAFILATURA_OPTIONS replaced by the set), not bare trafilatura",
    )
    p.add_argument(
        "--worst", type=int, default=0, metavar="N", help="list the N lowest-F1 cases per extractor"
    )
    p.add_argument(
        "--write-baseline",
        type=Path,
        metavar="PATH",
        help="write ours' per-set mean F1 and the corpus digest as JSON",
    )
    p.add_argument(
        "--update-doc",
        type=Path,
        metavar="FILE",
        help="write the markdown report into FILE (e.g. BENCHMARKS.md) between this "
        "harness's markers, leaving the rest of the file alone",
    )
    p.add_argument(
        "--root",
        type=Path,
        default=None,
        help="corpora folder (default: $NEWSARCHIVE_CORPORA or tests/corpora in this repository)",
    )
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.limit is not None and args.limit < 1:
        print("error: --limit must be at least 1", file=sys.stderr)
        return 2
    args.argv = list(argv) if argv is not None else sys.argv[1:]
    if args.options and args.write_baseline:
        print(
            "error: --write-baseline measures ours; it does not combine with --options",
            file=sys.stderr,
        )
        return 2
    try:
        corpus = load_corpus(args.root, args.sets)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    cases = select(corpus, args.limit)
    return (main_options if args.options else main_compare)(args, corpus, cases)


if __name__ == "__main__":
    sys.exit(main())
