"""Measure story linking: precision and recall on labelled article pairs, per kind.

Why: a story page must gather the copies and translations of one report
(recall) without pulling in another event of the same place and day
(precision). The labelled set is tests/fixtures/stories/pairs.json: pairs of
the offline site copies' articles and of tests/fixtures/stories/articles.toml,
each "same story" or not, expanded from the hand-made groups of
tests/fixtures/stories/labels.toml and of articles.toml (``--write-pairs``).

What it does:

1. Archive: upserts every labelled article, oldest first, into a new
   archive (archive.stories links them as a crawl would: candidates from the
   LSH bands and anchors, the best match's story joined) and counts a pair
   as linked when both articles end in one story.
2. Pairs: :func:`archive.stories.compare` on each pair alone, for the current
   thresholds and a small grid around them (how the thresholds were chosen).
3. Reports precision and recall for pairs in one language and across
   languages; prints a Markdown section and, with ``--write BENCHMARKS.md``,
   puts it in that file between its markers (``benchmarks.report.write_section``).

Usage::

    python -m benchmarks.bench_stories [--write BENCHMARKS.md] [--write-pairs]
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from archive import stories  # noqa: E402
from archive.store import Archive  # noqa: E402
from archive.stories import similarity as thresholds  # noqa: E402
from benchmarks.report import stories_sentence, write_section  # noqa: E402
from scraper.offline import SITES  # noqa: E402
from scraper.sources import load_registry  # noqa: E402
from tests.sitebuild.build import COPIES_DATA, read_item  # noqa: E402

try:  # Python 3.11+
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

SECTION = "bench_stories"
FIXTURES = ROOT / "tests" / "fixtures" / "stories"
PAIRS = FIXTURES / "pairs.json"
NEGATIVE_WINDOW_DAYS = 3
RECORD_KEYS = (
    "source",
    "url",
    "title",
    "summary",
    "body",
    "published",
    "language",
    "original_source",
    "image",
)


def labelled_articles() -> dict[str, dict[str, Any]]:
    """Every article of the labelled set by its id: ``<source>/<post id>`` for the site
    copies (their records as expected.json has them), ``fixture:<id>`` for the others."""
    found: dict[str, dict[str, Any]] = {}
    for site in sorted(p for p in SITES.iterdir() if (p / "expected.json").exists()):
        expected = json.loads((site / "expected.json").read_text(encoding="utf-8"))
        by_title = {a["title"]: a for a in expected["articles"]}
        for path in sorted((COPIES_DATA / site.name / "articles").glob("*.md")):
            post = read_item(path)
            article = by_title.get(post["title"])
            if article is None:  # not an article: a notice, a video page
                continue
            record = {k: article.get(k) for k in RECORD_KEYS if k != "source"}
            found[f"{site.name}/{path.stem}"] = {**record, "source": expected["source"]}
    data = tomllib.loads((FIXTURES / "articles.toml").read_text(encoding="utf-8"))
    for item in data["articles"]:
        record = {k: item.get(k) for k in RECORD_KEYS}
        record["url"] = f"https://stories.example.org/{item['id']}"
        found[f"fixture:{item['id']}"] = {**record, "story": item.get("story")}
    return found


def _day(record: dict[str, Any]) -> int:
    return dt.datetime.fromisoformat(record["published"]).date().toordinal()


def _kind(a: dict[str, Any], b: dict[str, Any]) -> str:
    return "same-language" if a["language"] == b["language"] else "cross-language"


def write_pairs() -> int:
    """Expand the groups into pairs.json; returns the number of pairs."""
    articles = labelled_articles()
    labels = tomllib.loads((FIXTURES / "labels.toml").read_text(encoding="utf-8"))
    story = {aid: name for name, ids in labels["stories"].items() for aid in ids}
    story.update({aid: a["story"] for aid, a in articles.items() if a.get("story")})
    unknown = [aid for aid in story if aid not in articles]
    if unknown:
        raise SystemExit(f"labels name articles that do not exist: {unknown}")
    hard = {
        frozenset((neg, member))
        for name, negatives in labels["hard_negatives"].items()
        for neg in negatives
        for member in (aid for aid, s in story.items() if s == name)
    }
    pairs = []
    for a, b in itertools.combinations(sorted(articles), 2):
        same = story.get(a) is not None and story.get(a) == story.get(b)
        near = abs(_day(articles[a]) - _day(articles[b])) <= NEGATIVE_WINDOW_DAYS
        if same or near or frozenset((a, b)) in hard:
            why = (
                f"story {story[a]}"
                if same
                else "hard negative: same place and day, another event"
                if frozenset((a, b)) in hard
                else "published within three days"
            )
            pairs.append(
                {"a": a, "b": b, "same": same, "kind": _kind(articles[a], articles[b]), "why": why}
            )
    PAIRS.write_text(
        json.dumps(
            {
                "about": "Article pairs labelled same story or not, expanded by "
                "benchmarks/bench_stories.py --write-pairs from labels.toml and articles.toml "
                "(the groups are the labels, made by reading the articles).",
                "pairs": pairs,
            },
            ensure_ascii=False,
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )
    return len(pairs)


def load_pairs() -> list[dict[str, Any]]:
    return json.loads(PAIRS.read_text(encoding="utf-8"))["pairs"]


def _outlets() -> dict[str, str]:
    return {sid: f"{sid} ({s.name})" for sid, s in load_registry().items()}


def scores(
    pairs: Iterable[dict[str, Any]], linked: Callable[[str, str], bool]
) -> dict[str, dict[str, float]]:
    """Precision, recall and counts per kind of pair (and all together)."""
    result = {}
    pairs = list(pairs)
    for kind in ("same-language", "cross-language", None):
        chosen = [p for p in pairs if kind is None or p["kind"] == kind]
        tp = sum(1 for p in chosen if p["same"] and linked(p["a"], p["b"]))
        fp = sum(1 for p in chosen if not p["same"] and linked(p["a"], p["b"]))
        positives = sum(p["same"] for p in chosen)
        result[kind or "all"] = {
            "pairs": len(chosen),
            "positives": positives,
            "precision": tp / (tp + fp) if tp + fp else 1.0,
            "recall": tp / positives if positives else 1.0,
            "false_positives": fp,
            "false_negatives": positives - tp,
        }
    return result


def pairwise(articles: dict[str, dict[str, Any]]) -> Callable[[str, str], bool]:
    """Each pair judged by archive.stories.compare alone."""
    outlets = _outlets()
    docs = {
        aid: stories.document(r, outlet=outlets.get(r["source"], r["source"]))
        for aid, r in articles.items()
    }
    return lambda a, b: stories.compare(docs[a], docs[b]) is not None


def archived(articles: dict[str, dict[str, Any]], db: Path) -> tuple[Callable, float]:
    """Every article upserted into a new archive, oldest first; a pair is linked when
    its articles are in one story. Also returns the mean upsert time in ms."""
    order = sorted(articles, key=lambda aid: (articles[aid]["published"], aid))
    with Archive(db) as archive:
        archive.sync_sources(load_registry().values())
        ids = {}
        start = time.perf_counter()
        for aid in order:
            record = {k: v for k, v in articles[aid].items() if k in RECORD_KEYS}
            ids[aid] = archive.upsert(record).article_id
        archive.flush()  # commits, then links the stories
        elapsed = (time.perf_counter() - start) / len(order) * 1000
        story = dict(archive.db.execute("SELECT article_id, story_id FROM story_articles"))
    return (
        lambda a, b: story.get(ids[a]) is not None and story.get(ids[a]) == story.get(ids[b])
    ), elapsed


GRID = {
    "ANCHOR_SCORE_MIN": (0.2, 0.3, 0.45, 0.6, 0.75),
    "SAME_LANGUAGE_MIN": (0.3, 0.5, 0.7, 0.9),
}


def sweep(articles: dict[str, dict[str, Any]], pairs: list[dict[str, Any]]) -> list[tuple]:
    rows = []
    saved = {name: getattr(thresholds, name) for name in GRID}
    try:
        for values in itertools.product(*GRID.values()):
            for name, value in zip(GRID, values, strict=True):
                setattr(thresholds, name, value)
            rows.append((values, scores(pairs, pairwise(articles))))
    finally:
        for name, value in saved.items():
            setattr(thresholds, name, value)
    return rows


def _line(label: str, s: dict[str, dict[str, float]]) -> str:
    cells = []
    for kind in ("same-language", "cross-language"):
        k = s[kind]
        cells.append(f"{k['precision']:.3f} | {k['recall']:.3f}")
    return f"| {label} | {' | '.join(cells)} |"


def report(
    archive_scores: dict,
    pair_scores: dict,
    grid: list[tuple],
    pairs: list,
    ms: float,
    found: str,
) -> str:
    n = {kind: archive_scores[kind] for kind in ("same-language", "cross-language")}
    lines = [
        "## Stories: linking copies and translations (bench_stories.py)",
        "",
        f"{dt.date.today().isoformat()}, {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}. {len(pairs)} labelled pairs "
        f"(tests/fixtures/stories/pairs.json): {n['same-language']['pairs']} in one language "
        f"({n['same-language']['positives']} same story), {n['cross-language']['pairs']} "
        f"across English and Arabic ({n['cross-language']['positives']} same story); the "
        "negatives are every other pair published within three days and the hard negatives "
        "(same place and day, another event).",
        "",
        "Goal: one language precision >= 0.95, recall >= 0.90; across languages precision "
        ">= 0.95, recall >= 0.70.",
        "",
        "| linking | one language: precision | recall | across languages: precision | recall |",
        "| --- | --- | --- | --- | --- |",
        _line("in the archive (upserts, oldest first; one story per article)", archive_scores),
        _line("pairwise (archive.stories.compare on each pair)", pair_scores),
        "",
        f"False positives / negatives in the archive: one language "
        f"{n['same-language']['false_positives']} / {n['same-language']['false_negatives']}, "
        f"across languages {n['cross-language']['false_positives']} / "
        f"{n['cross-language']['false_negatives']}. Mean cost of an article, its features "
        f"(made in the upsert here, in the extraction worker in a crawl) and its linking "
        f"included: {ms:.1f} ms. {found}",
        "",
        "Threshold grid (pairwise; the archive uses ANCHOR_SCORE_MIN "
        f"{thresholds.ANCHOR_SCORE_MIN}, SAME_LANGUAGE_MIN {thresholds.SAME_LANGUAGE_MIN}):",
        "",
        "| ANCHOR_SCORE_MIN, SAME_LANGUAGE_MIN | one language: precision | recall "
        "| across: precision | recall |",
        "| --- | --- | --- | --- | --- |",
        *(_line(", ".join(map(str, values)), s) for values, s in grid),
        "",
        "The labelled articles were written for this set or are the site copies' own; the "
        "gazetteer (archive/gazetteer.toml) knows their places, so the cross-language figures "
        "are an upper bound for outlets and places it does not list.",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", type=Path, metavar="MARKDOWN", help="e.g. BENCHMARKS.md")
    parser.add_argument(
        "--write-pairs", action="store_true", help="expand the labels into pairs.json first"
    )
    opts = parser.parse_args(argv)
    if opts.write_pairs:
        print(f"{write_pairs()} pairs written to {PAIRS}", file=sys.stderr)
    articles = labelled_articles()
    pairs = load_pairs()
    with tempfile.TemporaryDirectory(prefix="bench-stories-") as tmp:
        linked, ms = archived(articles, Path(tmp) / "stories.db")
        archive_scores = scores(pairs, linked)
        found = stories_sentence(Path(tmp) / "stories.db")
    section = report(
        archive_scores,
        scores(pairs, pairwise(articles)),
        sweep(articles, pairs),
        pairs,
        ms,
        found,
    )
    print(section)
    if opts.write:
        write_section(opts.write, SECTION, section)
        print(f"written to {opts.write}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
