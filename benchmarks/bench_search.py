"""Measure search quality: recall and precision on labelled queries, before and after stemming.

Why: a researcher types a word and expects every article using it, whatever
its clitics and endings (بالكهرباء, farmers), and nothing else. The labelled
set is tests/fixtures/search_queries.json (its "about" says how the articles
were judged): at least 40 queries, half Arabic, over the demo archive.

What it does:

1. Builds the demo archive with the real command (``newsarchive demo
   --no-serve``: the offline site copies crawled by the real spiders), or
   reads ``--db PATH``.
2. Runs every query through:

   - "before": the folded-only index that archive.search replaced: each
     word matched exactly, after folding, in the folded columns (every bare
     word of the query quoted, which is what the old folding-only query did);
   - "after": :func:`archive.search.search_articles` as the archive runs it
     (Light10-style Arabic stems with clitic prefixes, Porter2 English stems,
     exact phrases in quotes);
   - for comparison, the same analyser with another Arabic stemmer, in an
     in-memory index: Snowball Arabic (PyStemmer, installed with
     newsarchive), and NLTK's ISRI and Tashaphyne when installed
     (``pip install -e .[bench]``).

3. Reports, per language and overall, the mean recall and precision per
   query (a query that finds nothing has precision 0) and the pooled
   (micro) figures; prints a Markdown section (date, machine, load) and,
   with ``--write BENCHMARKS.md``, puts it in that file between its markers
   (``benchmarks.report.write_section``).

Usage::

    python -m benchmarks.bench_search [--db PATH] [--write BENCHMARKS.md]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from archive.arabic import fold, is_arabic  # noqa: E402
from archive.search import COLUMNS, search_articles, tokens  # noqa: E402
from archive.store import Archive  # noqa: E402
from benchmarks.report import machine, write_section  # noqa: E402

SECTION = "bench_search"  # BENCHMARKS.md markers: <!-- bench_search:start/end -->
QUERIES = ROOT / "tests" / "fixtures" / "search_queries.json"


def load_queries(path: Path = QUERIES) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["queries"]


def build_demo(db: Path) -> None:
    """The demo archive, crawled by the real command from the offline site copies."""
    subprocess.run(
        [sys.executable, "-m", "scraper.cli", "demo", "--no-serve", "--db", str(db)],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )


# --- the searches compared ---------------------------------------------------------------

Search = Callable[[str], set[str]]  # query -> canonical URLs found


def _urls(conn: sqlite3.Connection) -> dict[int, str]:
    return dict(conn.execute("SELECT id, canonical_url FROM articles"))


def after(conn: sqlite3.Connection) -> Search:
    """The archive's search, as Archive.search and the web page run it."""
    return lambda q: {r["canonical_url"] for r in search_articles(conn, q, limit=1_000_000)}


def before(conn: sqlite3.Connection) -> Search:
    """The folded-only index: every word matched exactly, after folding."""

    def run(q: str) -> set[str]:
        # Quoting each bare word makes it an exact match on the folded columns,
        # which is what the folding-only query did with it.
        quoted = " ".join(w if w.startswith('"') else f'"{w}"' for w in _split(q))
        return {r["canonical_url"] for r in search_articles(conn, quoted, limit=1_000_000)}

    return run


def _split(q: str) -> list[str]:
    return re.findall(r'"[^"]*"|\S+', q)


def other_stemmer(conn: sqlite3.Connection, stem: Callable[[str], str]) -> Search:
    """The archive's analyser with another Arabic stemmer, in an in-memory index."""
    mem = sqlite3.connect(":memory:")
    cols = ", ".join(COLUMNS)
    mem.execute(
        f"CREATE VIRTUAL TABLE f USING fts5({cols}, tokenize='unicode61 remove_diacritics 2')"
    )

    def analyse(text: str) -> str:
        return " ".join(stem(t.exact) if is_arabic(t.exact) else t.term for t in tokens(text))

    for row in conn.execute(f"SELECT id, {cols} FROM articles"):
        tags = " ".join(json.loads(row[4] or "[]"))
        mem.execute(
            f"INSERT INTO f (rowid, {cols}) VALUES (?, ?, ?, ?, ?)",
            [row[0], *(analyse(t or "") for t in row[1:4]), analyse(tags)],
        )
    urls = _urls(conn)
    exact = after(conn)

    def run(q: str) -> set[str]:
        if q.startswith('"'):
            return exact(q)  # phrases do not stem: same as the archive's
        words = [analyse(w) for w in q.split()]
        expr = " AND ".join(f'"{w}"' for w in words if w)
        return {urls[r[0]] for r in mem.execute("SELECT rowid FROM f WHERE f MATCH ?", [expr])}

    return run


def comparisons(conn: sqlite3.Connection) -> tuple[list[tuple[str, Search]], list[str]]:
    """The other Arabic stemmers that are installed, and the names of those that are not."""
    import Stemmer

    snowball = Stemmer.Stemmer("arabic")
    found = [("Snowball Arabic (PyStemmer)", lambda w: fold(snowball.stemWord(w)))]
    missing = []
    try:
        from nltk.stem.isri import ISRIStemmer

        isri = ISRIStemmer()
        found.append(("NLTK ISRI (root stemmer)", lambda w: fold(isri.stem(w))))
    except ImportError:
        missing.append("NLTK ISRI")
    try:
        from tashaphyne.stemming import ArabicLightStemmer

        tasha = ArabicLightStemmer()
        found.append(("Tashaphyne light stemmer", lambda w: fold(tasha.light_stem(w))))
    except ImportError:
        missing.append("Tashaphyne")
    return [(name, other_stemmer(conn, stem)) for name, stem in found], missing


# --- scores --------------------------------------------------------------------------------


@dataclass
class Score:
    queries: int
    recall: float  # mean over queries
    precision: float  # mean over queries; 0 for a query that finds nothing
    micro_recall: float
    micro_precision: float
    misses: list[str]  # queries that did not find all their articles, or found others

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def evaluate(search: Search, queries: list[dict], language: str | None = None) -> Score:
    """Recall and precision of ``search`` on the labelled ``queries`` (of one language)."""
    chosen = [q for q in queries if language in (None, q["language"])]
    recalls, precisions, misses = [], [], []
    hits = found_total = relevant_total = 0
    for q in chosen:
        relevant = set(q["relevant"])
        found = search(q["query"])
        right = len(found & relevant)
        recalls.append(right / len(relevant))
        precisions.append(right / len(found) if found else 0.0)
        hits, found_total, relevant_total = (
            hits + right,
            found_total + len(found),
            relevant_total + len(relevant),
        )
        if found != relevant:
            misses.append(
                f"`{q['query']}`: {right} of {len(relevant)} found"
                + (f", {len(found) - right} not relevant" if len(found) > right else "")
            )
    return Score(
        queries=len(chosen),
        recall=sum(recalls) / len(chosen),
        precision=sum(precisions) / len(chosen),
        micro_recall=hits / relevant_total,
        micro_precision=hits / found_total if found_total else 0.0,
        misses=misses,
    )


# --- report ----------------------------------------------------------------------------------


def report(
    results: list[tuple[str, dict[str, Score]]],
    queries: list[dict],
    missing: list[str],
    articles: int,
) -> str:
    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    n_ar = sum(q["language"] == "ar" for q in queries)
    lines = [
        "## Search quality (`benchmarks/bench_search.py`)",
        "",
        f"Recall and precision of full-text search on {len(queries)} labelled queries "
        f"({n_ar} Arabic, {len(queries) - n_ar} English; tests/fixtures/search_queries.json) "
        f"over the demo archive ({articles} articles from the offline site copies). An article "
        "is relevant when it uses the query's word in any inflection (clitics, number, gender, "
        "pronoun suffixes), not merely a word of the same root; quoted queries are exact "
        "phrases. R and P are means over the queries (P = 0 for a query that finds nothing); "
        "micro figures pool all queries. The other rows swap only the Arabic stemmer (and "
        "drop the query's preposition variants). The queries were labelled, on a small "
        "corpus, by the developer who chose the stemmer: read the figures as a regression "
        "floor (tests/test_search_quality.py) and a comparison, not as a general result.",
        "",
        f"- Date: {now}",
        f"- Machine: {machine()}; load average {load}",
        "- Command: `python -m benchmarks.bench_search --write BENCHMARKS.md`",
        "",
        "| index | Arabic R | Arabic P | English R | English P | all R | all P | all F1 "
        "| micro R / P |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, s in results:
        ar, en, al = s["ar"], s["en"], s["all"]
        lines.append(
            f"| {name} | {ar.recall:.3f} | {ar.precision:.3f} | {en.recall:.3f} | "
            f"{en.precision:.3f} | {al.recall:.3f} | {al.precision:.3f} | {al.f1:.3f} | "
            f"{al.micro_recall:.3f} / {al.micro_precision:.3f} |"
        )
    if missing:
        lines += [
            "",
            f"Not measured (not installed; `pip install -e .[bench]`): {', '.join(missing)}.",
        ]
    after_misses = dict(results)["after: folded + stemmed (archive.search)"]["all"].misses
    lines += [
        "",
        f"Queries the archive's search does not answer exactly ({len(after_misses)}):",
        "",
        *(f"- {m}" for m in after_misses),
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--db", type=Path, help="an archive of the demo copies (default: build one)"
    )
    parser.add_argument("--write", type=Path, metavar="MARKDOWN", help="e.g. BENCHMARKS.md")
    opts = parser.parse_args(argv)
    queries = load_queries()
    with tempfile.TemporaryDirectory(prefix="bench-search-") as tmp:
        db = opts.db
        if db is None:
            db = Path(tmp) / "demo.db"
            print(f"building the demo archive in {db} ...", file=sys.stderr)
            build_demo(db)
        Archive(db).close()  # an archive of an older version gets its index rebuilt
        conn = sqlite3.connect(db)
        conn.row_factory = sqlite3.Row
        others, missing = comparisons(conn)
        searches = [
            ("before: folded only", before(conn)),
            ("after: folded + stemmed (archive.search)", after(conn)),
            *((f"{name} for Arabic, no prefix expansion", s) for name, s in others),
        ]
        results = [
            (name, {lang or "all": evaluate(s, queries, lang) for lang in ("ar", "en", None)})
            for name, s in searches
        ]
        articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        conn.close()
    section = report(results, queries, missing, articles)
    print(section)
    if opts.write:
        write_section(opts.write, SECTION, section)
        print(f"written to {opts.write}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
