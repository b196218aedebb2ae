"""Facts on pages nobody here wrote: the WCXB development split, ours against bare trafilatura.

WCXB (the Web Content eXtraction Benchmark, Murrough Foley, 2026, CC-BY-4.0) holds real
pages of seven types (article, listing, collection, product, service, forum,
documentation), each with its known body, title, author and publication day. Its pages
are not in this repository: the benchmark takes the corpus's path as an argument
(``--wcxb DIR``: ``DIR/html/NNNN.html.gz`` and ``DIR/ground-truth/NNNN.json``, see
BENCHMARKS.md for where to get it). In the same run, page by page:

* **ours** is ``scraper.extract.extract`` as a crawl runs it for a page of a source it
  does not know: a registry entry for the page's host (the id ``sources add`` would
  give, no article pattern, no cleaning rules, no language), the page's own URL, no
  feed hints;
* **bare** is ``trafilatura.extract(html, url=url)`` for the body (its defaults) and
  ``trafilatura.extract_metadata`` for title, author and date; **htmldate** is
  ``htmldate.find_date(html, url=url, original_date=True)``, the publication date as
  htmldate alone finds it.

What is measured, and how an answer counts as right:

* **body**: word-level F1 on article pages, the benchmark's own metric (lower-cased
  ``\\w+`` tokens, as multisets), of the extracted body whatever the page was judged;
* **title**: right when equal to the answer's after normalisation (NFKC, case folded,
  words only: punctuation and spacing do not count); "contains" also counts an extracted
  title that holds the answer's (a site name left beside it);
* **author**: right when at least one name is given, every name given lies within the
  answer (normalised, on word boundaries: "Dylan Bailey" in "Dylan Bailey, MS, RD"),
  and the answer's first name (its text before the first ",", ";", "&", "|" or " and ")
  is among them, the answer read without what it writes beside a name: an aside in
  parentheses, a title ("Dr."), the site after " / " ("as written" keeps them); "given
  where none" counts the article pages whose answer has no author and that got one
  anyway;
* **date**: the extracted publication day (the first ten characters of ours' ISO
  time) equals the answer's;
* title, author and date are scored on the article pages whose answer has one;
* **article or not** (ours only: bare trafilatura does not decide): the share of
  article pages kept as articles, and of every other type judged not articles.

Extraction is CPU-bound, so the pages go through a process pool (``--jobs``, default
the machine's cores). ``--misses KIND`` prints the pages a measure got wrong, to study
them (``kept`` / ``rejected`` for the article decision per type, ``title``, ``author``,
``date``). ``--update-doc BENCHMARKS.md`` writes the report between
``<!-- bench_wcxb:start -->`` and ``<!-- bench_wcxb:end -->``.

    python -m benchmarks.bench_wcxb --wcxb ../shared/corpora/wcxb-dev [--jobs 2]
        [--limit N] [--json OUT] [--misses KIND] [--update-doc BENCHMARKS.md]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import re
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

from benchmarks.report import machine, write_section
from scraper.sources import Source

ROOT = Path(__file__).resolve().parents[1]
TYPES = ("article", "listing", "collection", "product", "service", "forum", "documentation")
_WORD = re.compile(r"\w+")
# The answer's first name ends at the first of these.
_NAME_END = re.compile(r"\s*(?:[,;&|]|\band\b)\s*", re.IGNORECASE)


def norm(text: str | None) -> str:
    """Words only, NFKC, case folded: how titles and names are compared."""
    return " ".join(_WORD.findall(unicodedata.normalize("NFKC", text or "").casefold()))


def body_f1(extracted: str | None, expected: str) -> float:
    """The benchmark's own metric: F1 of lower-cased ``\\w+`` tokens, as multisets."""
    got, want = (
        Counter(_WORD.findall((extracted or "").lower())),
        Counter(_WORD.findall(expected.lower())),
    )
    overlap = sum((got & want).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(got.values()), overlap / sum(want.values())
    return 2 * precision * recall / (precision + recall)


def title_scores(extracted: str | None, expected: str) -> tuple[bool, bool]:
    """(exact, contains) after normalisation."""
    got, want = norm(extracted), norm(expected)
    return bool(want) and got == want, bool(want) and f" {want} " in f" {got} "


# What an answer writes beside a person's name that is not the name: an aside in
# parentheses ("Lance Ryan (Content Manager)", "Paramita (Guha) Ghosh"), a title before it
# ("Dr. Andrew Huberman"), the site after a slash ("Laura / House Plant House").
_ASIDE = re.compile(r"\s*\([^)]*\)")
_TITLE = re.compile(r"(^|[,;&|]\s*|\band\s+)(?:dr|prof|mr|mrs|ms)\.?\s+", re.IGNORECASE)
_SITE_AFTER = re.compile(r"\s+/\s+.*$")


def the_persons(names: str) -> str:
    """Names without what is written beside them (see _ASIDE)."""
    return _TITLE.sub(r"\1", _SITE_AFTER.sub("", _ASIDE.sub("", names)).strip())


def author_ok(extracted: list[str], expected: str, *, as_written: bool = False) -> bool:
    """Some name given, each within the answer, and the answer's first name among them;
    unless ``as_written``, both without what they write beside a name (:func:`the_persons`)."""
    if not as_written:
        expected, extracted = the_persons(expected), [the_persons(n) for n in extracted]
    names = [norm(n) for n in extracted if norm(n)]
    want = f" {norm(expected)} "
    first = norm(_NAME_END.split(expected.strip(), 1)[0]) or norm(expected)
    return (
        bool(names)
        and all(f" {n} " in want for n in names)
        and any(n == first or f" {first} " in f" {n} " for n in names)
    )


def load(corpus: Path, limit: int | None = None) -> list[tuple[str, str]]:
    """(file id, page type) of every page that has both its HTML and its answer."""
    pages = []
    for answer in sorted((corpus / "ground-truth").glob("*.json")):
        if (corpus / "html" / f"{answer.stem}.html.gz").exists():
            data = json.loads(answer.read_text(encoding="utf-8"))
            pages.append((answer.stem, data["_internal"]["page_type"]["primary"]))
    return pages[:limit] if limit else pages


def _source_for(url: str) -> Source:
    """The registry entry a user would have for the page's site: no pattern, no rules."""
    from scraper.discover import default_id

    parts = urlsplit(url)
    home = f"{parts.scheme}://{parts.netloc}/"
    return Source(id=default_id(home), name=default_id(home), homepage=home, language="")


def measure(corpus: str, file_id: str) -> dict:
    """Ours, bare trafilatura and htmldate on one page, against its answer."""
    import htmldate
    import trafilatura

    from scraper.extract import extract

    root = Path(corpus)
    html = gzip.decompress((root / "html" / f"{file_id}.html.gz").read_bytes()).decode(
        "utf-8", "replace"
    )
    data = json.loads((root / "ground-truth" / f"{file_id}.json").read_text(encoding="utf-8"))
    url, truth = data.get("url"), data["ground_truth"]  # one page of the split has none
    out: dict = {"id": file_id, "url": url, "type": data["_internal"]["page_type"]["primary"]}
    out["truth"] = {k: truth.get(k) for k in ("title", "author", "publish_date")}

    started = time.process_time()
    try:
        record = extract(html, url, _source_for(url) if url else None)
    except Exception as exc:  # one bad page must not end the run
        record = {"is_article": False, "not_article_reason": f"error: {exc!r}"[:200]}
    out["ours_seconds"] = time.process_time() - started
    out["ours"] = {
        "is_article": bool(record.get("is_article")),
        "reason": record.get("not_article_reason"),
        "title": record.get("title"),
        "authors": record.get("authors") or [],
        "day": (record.get("published_local") or record.get("published") or "")[:10] or None,
    }
    started = time.process_time()
    bare_body = trafilatura.extract(html, url=url)
    bare_meta = trafilatura.extract_metadata(html, default_url=url)
    out["bare_seconds"] = time.process_time() - started
    out["bare"] = {
        "title": bare_meta.title if bare_meta else None,
        "authors": [a.strip() for a in (bare_meta.author or "").split(";") if a.strip()]
        if bare_meta
        else [],
        "day": (bare_meta.date or "")[:10] or None if bare_meta else None,
    }
    try:
        out["htmldate"] = {"day": htmldate.find_date(html, url=url, original_date=True)}
    except Exception:  # htmldate's own failure is a missing date
        out["htmldate"] = {"day": None}
    if out["type"] == "article" and truth.get("main_content"):
        out["ours"]["f1"] = body_f1(record.get("body"), truth["main_content"])
        out["bare"]["f1"] = body_f1(bare_body, truth["main_content"])
    return out


def run(corpus: Path, jobs: int, limit: int | None = None) -> list[dict]:
    pages = load(corpus, limit)
    if jobs <= 1:
        return [measure(str(corpus), fid) for fid, _ in pages]
    with ProcessPoolExecutor(jobs) as pool:
        ids = [fid for fid, _ in pages]
        return list(pool.map(measure, [str(corpus)] * len(ids), ids, chunksize=4))


def _share(values: list[bool]) -> float | None:
    return sum(values) / len(values) if values else None


def summarise(results: list[dict]) -> dict:
    """The figures of the report, from the per-page results."""
    articles = [r for r in results if r["type"] == "article"]
    by_type: dict[str, list[dict]] = defaultdict(list)
    for r in results:
        by_type[r["type"]].append(r)
    decision = {}
    for kind in TYPES:
        rs = by_type.get(kind, [])
        right = [r["ours"]["is_article"] == (kind == "article") for r in rs]
        decision[kind] = (len(rs), _share(right))
    summary: dict = {"pages": len(results), "articles": len(articles), "decision": decision}
    for name in ("ours", "bare"):
        f1s = [r[name]["f1"] for r in articles if "f1" in r[name]]
        titled = [r for r in articles if r["truth"]["title"]]
        authored = [r for r in articles if r["truth"]["author"]]
        dated = [r for r in articles if r["truth"]["publish_date"]]
        summary[name] = {
            "f1": sum(f1s) / len(f1s) if f1s else None,
            "f1_pages": len(f1s),
            "title": _share(
                [title_scores(r[name]["title"], r["truth"]["title"])[0] for r in titled]
            ),
            "title_contains": _share(
                [title_scores(r[name]["title"], r["truth"]["title"])[1] for r in titled]
            ),
            "title_pages": len(titled),
            "author": _share(
                [author_ok(r[name]["authors"], r["truth"]["author"]) for r in authored]
            ),
            "author_as_written": _share(
                [
                    author_ok(r[name]["authors"], r["truth"]["author"], as_written=True)
                    for r in authored
                ]
            ),
            "author_pages": len(authored),
            "author_extra": sum(
                1 for r in articles if not r["truth"]["author"] and r[name]["authors"]
            ),
            "no_author_pages": sum(1 for r in articles if not r["truth"]["author"]),
            "date": _share([r[name]["day"] == r["truth"]["publish_date"] for r in dated]),
            "date_pages": len(dated),
            "seconds": sum(r[f"{name}_seconds"] for r in results),
        }
    dated = [r for r in articles if r["truth"]["publish_date"]]
    summary["htmldate"] = {
        "date": _share([r["htmldate"]["day"] == r["truth"]["publish_date"] for r in dated])
    }
    missed = [r for r in dated if r["ours"]["day"] != r["truth"]["publish_date"]]
    summary["day_misses"] = {
        "pages": len(missed),
        "all_three_agree": sum(
            1 for r in missed if r["ours"]["day"] == r["htmldate"]["day"] == r["bare"]["day"]
        ),
        "a_day_off": sum(
            1 for r in missed if _days_apart(r["ours"]["day"], r["truth"]["publish_date"]) == 1
        ),
    }
    return summary


def _days_apart(day: str | None, answer: str) -> int | None:
    """Days between two whole days; None where one is missing or is a month ("2015-11")."""
    try:
        return abs((dt.date.fromisoformat(day) - dt.date.fromisoformat(answer)).days)
    except (TypeError, ValueError):
        return None


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def report(summary: dict, command: str, seconds: float, jobs: int) -> str:
    load = os.getloadavg()[0]
    ours, bare = summary["ours"], summary["bare"]
    lines = [
        "## Pages nobody here wrote: WCXB (`benchmarks/bench_wcxb.py`)",
        "",
        f"- Date: {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC",
        f"- Machine: {machine()}; load {load:.1f} at the end",
        f"- Command: `{command}` ({summary['pages']} pages, {jobs} processes, {seconds:.0f} s)",
        "- Corpus: the development split of WCXB, the Web Content eXtraction Benchmark",
        "  (Murrough Foley, 2026, CC-BY-4.0; github.com/Murrough-Foley/web-content-extraction-"
        "benchmark,",
        "  commit c039d5ee): real pages of seven types with their known body, title, author",
        "  and publication day. Not in this repository: get the repository at that commit and",
        "  pass the folder of its development split (`html/NNNN.html.gz`,",
        "  `ground-truth/NNNN.json`) as `--wcxb DIR`.",
        "",
        "*ours* is `scraper.extract.extract` as a crawl runs it for a site it has no rules for",
        "(a registry entry for the page's host with no article pattern, no cleaning rules, no",
        "language); *bare* is `trafilatura.extract(html, url=url)` and",
        "`trafilatura.extract_metadata`; *htmldate* is",
        "`htmldate.find_date(html, url=url, original_date=True)`.",
        "",
        "Article or not (ours): share of each type judged right (articles kept as articles,",
        "every other type judged not an article):",
        "",
        "| page type | pages | judged right |",
        "| --- | ---: | ---: |",
    ]
    for kind in TYPES:
        pages, share = summary["decision"][kind]
        if pages:
            lines.append(f"| {kind} | {pages} | {_fmt(share)} |")
    lines += [
        "",
        f"Facts of the {summary['articles']} article pages, on the pages whose answer has one"
        " (share right):",
        "",
        "| measure | pages | ours | bare trafilatura | bare htmldate |",
        "| --- | ---: | ---: | ---: | ---: |",
        f"| body F1 (mean) | {ours['f1_pages']} | {_fmt(ours['f1'])} | {_fmt(bare['f1'])} | |",
        f"| title | {ours['title_pages']} | {_fmt(ours['title'])} | {_fmt(bare['title'])} | |",
        f"| title contains the answer's | {ours['title_pages']} | "
        f"{_fmt(ours['title_contains'])} | {_fmt(bare['title_contains'])} | |",
        f"| author | {ours['author_pages']} | {_fmt(ours['author'])} | {_fmt(bare['author'])} | |",
        f"| author, the answer's names as written | {ours['author_pages']} | "
        f"{_fmt(ours['author_as_written'])} | {_fmt(bare['author_as_written'])} | |",
        f"| author given where the answer has none | {ours['no_author_pages']} | "
        f"{ours['author_extra']} | {bare['author_extra']} | |",
        f"| publication day | {ours['date_pages']} | {_fmt(ours['date'])} | "
        f"{_fmt(bare['date'])} | {_fmt(summary['htmldate']['date'])} |",
        "",
        f"Of the {summary['day_misses']['pages']} pages whose day ours missed, htmldate and"
        " bare trafilatura give the same day as ours on"
        f" {summary['day_misses']['all_three_agree']}, and {summary['day_misses']['a_day_off']}"
        " are one day off the answer's.",
        "",
        "Matching: titles and names are compared as their words (NFKC, case folded,",
        "punctuation dropped). A title is right when equal to the answer's. An author is right",
        "when every name given lies within the answer and the answer's first name (up to the",
        'first ",", ";", "&", "|" or "and") is among them, the answer read without what it',
        'writes beside a name ("Lance Ryan (Content Manager)", "Dr. Andrew Huberman", "Laura /',
        'House Plant House"); "as written" keeps those. A day is right when the',
        "publication day given equals the answer's. Body F1 is the benchmark's own metric",
        "(lower-cased `\\w+` tokens, multisets), of the body extracted whatever the verdict.",
        f"CPU: ours {ours['seconds'] / summary['pages'] * 1000:.0f} ms a page, bare trafilatura"
        f" (body and metadata) {bare['seconds'] / summary['pages'] * 1000:.0f} ms.",
        "",
        f"Written by `{command}`; do not edit the figures by hand.",
    ]
    return "\n".join(lines)


def print_misses(results: list[dict], kind: str) -> None:
    """The pages a measure got wrong, one line each."""
    for r in results:
        t, o = r["truth"], r["ours"]
        line = None
        if kind == "kept" and r["type"] != "article" and o["is_article"]:
            line = f"{r['type']:13} {o['title']!r}"
        elif kind == "rejected" and r["type"] == "article" and not o["is_article"]:
            line = f"{o['reason']} | {o['title']!r}"
        elif kind == "title" and r["type"] == "article" and t["title"]:
            if not title_scores(o["title"], t["title"])[0]:
                line = f"{o['title']!r} want {t['title']!r}"
        elif kind == "author" and r["type"] == "article" and t["author"]:
            if not author_ok(o["authors"], t["author"]):
                line = f"{o['authors']!r} want {t['author']!r}"
        elif kind == "extra-author" and r["type"] == "article" and not t["author"]:
            if o["authors"]:
                line = f"{o['authors']!r}"
        elif kind == "date" and r["type"] == "article" and t["publish_date"]:
            if o["day"] != t["publish_date"]:
                line = f"{o['day']} want {t['publish_date']} (htmldate {r['htmldate']['day']})"
        if line:
            print(f"{r['id']} {r['url']}\n    {line}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wcxb", type=Path, required=True, help="the corpus's folder")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--limit", type=int, help="only the first N pages")
    parser.add_argument("--json", type=Path, help="write the per-page results here")
    parser.add_argument(
        "--misses",
        choices=("kept", "rejected", "title", "author", "extra-author", "date"),
        help="print the pages a measure got wrong",
    )
    parser.add_argument("--update-doc", type=Path, help="write the report into this file")
    args = parser.parse_args(argv)
    if not (args.wcxb / "ground-truth").is_dir():
        parser.error(f"{args.wcxb} has no ground-truth/ folder: is it the WCXB split?")
    started = time.monotonic()
    results = run(args.wcxb, args.jobs, args.limit)
    seconds = time.monotonic() - started
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    if args.misses:
        print_misses(results, args.misses)
    command = (
        f"python -m benchmarks.bench_wcxb --wcxb DIR --jobs {args.jobs} --update-doc BENCHMARKS.md"
    )
    if args.limit:
        command = command.replace(" --update-doc", f" --limit {args.limit} --update-doc")
    section = report(summarise(results), command, seconds, args.jobs)
    print(section)
    if args.update_doc:
        write_section(args.update_doc, "bench_wcxb", section)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
