"""Quality gate: the extractor's scores on the real-page corpora never drop below the baseline.

benchmarks/quality_baseline.json holds, per corpus set, a digest of its pages
and answers and our extractor's scores when the baseline was written (with
bare trafilatura's beside them). This test runs extraction over every page in
a 2-process pool and fails when a set scores below its floor, when a real
article is newly taken for a non-article, or when a site copy loses story text
or keeps cruft. A change that lowers a score must update the baseline in the
same commit, deliberately:

    python -m benchmarks.bench_extract --write-baseline benchmarks/quality_baseline.json

The corpora are in tests/corpora (or $NEWSARCHIVE_CORPORA).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.bench_extract import BASELINE_FORMAT, Scorer, make_pool, run_in_pool, site_summary
from benchmarks.bench_extract import summarise as summarise_runs
from benchmarks.corpus import ALL_SETS, LOCAL_SETS, SETS, corpus_digest, default_root, load_corpus

pytestmark = pytest.mark.slow

BASELINE_PATH = Path(__file__).resolve().parents[1] / "benchmarks" / "quality_baseline.json"
BASELINE = json.loads(BASELINE_PATH.read_text("utf-8"))
REWRITE = f"python -m benchmarks.bench_extract --write-baseline {BASELINE_PATH.name}"
# Scores are means of deterministic per-page scores, rounded to 4 places in the baseline.
EPSILON = 1e-4


@pytest.fixture(scope="module")
def measured():
    root = default_root()
    assert root.is_dir(), f"corpora folder absent: {root} (set NEWSARCHIVE_CORPORA)"
    cases = load_corpus(root, ALL_SETS).cases
    with make_pool(2, root, list(ALL_SETS), None, ["ours"], cases) as pool:
        outputs, _ = run_in_pool(pool, "ours", len(cases))
    scorer = Scorer(cases)
    results = [scorer.result(i, *output) for i, output in enumerate(outputs)]
    return cases, results, summarise_runs(cases, results)


def test_baseline_is_current_format():
    assert BASELINE["format"] == BASELINE_FORMAT, f"rewrite it: {REWRITE}"
    assert set(BASELINE["sets"]) == set(SETS)


@pytest.mark.parametrize("set_name", SETS)
def test_corpus_set_is_the_one_the_baseline_measured(measured, set_name):
    cases, _, _ = measured
    digest = corpus_digest(c for c in cases if c.set_name == set_name)
    assert digest == BASELINE["sets"][set_name]["sha256"], (
        f"the {set_name} pages or answers changed since the baseline; measure again: {REWRITE}"
    )


@pytest.mark.parametrize("set_name", SETS)
def test_no_set_scores_below_its_floor(measured, set_name):
    _, results, summary = measured
    floor = BASELINE["sets"][set_name]
    now = summary[set_name]
    assert not [r.error for r in results if r.error], "extraction raised"
    for key in ("f1", "recall", "with_found", "without_absent"):
        if key in floor:
            assert now[key] >= floor[key] - EPSILON, (
                f"{set_name} {key} fell from {floor[key]:.4f} to {now[key]:.4f}; fix it, or "
                f"if the drop is meant, update the baseline in the same commit: {REWRITE}"
            )


@pytest.mark.parametrize("set_name", SETS)
def test_baseline_beats_bare_trafilatura(set_name):
    floor = BASELINE["sets"][set_name]
    if "f1" in floor:
        assert floor["f1"] > floor["bare_f1"]
    if "with_found" in floor:
        assert floor["with_found"] >= floor["bare_with_found"]
        assert floor["without_absent"] > floor["bare_without_absent"]


@pytest.mark.parametrize("set_name", SETS)
def test_no_new_real_article_is_taken_for_a_non_article(measured, set_name):
    cases, results, _ = measured
    rejected = {
        c.case_id
        for c, r in zip(cases, results, strict=True)
        if c.set_name == set_name and r.is_article is False
    }
    assert rejected <= set(BASELINE["sets"][set_name]["not_articles"])


def test_site_copies_keep_the_whole_story_and_no_cruft(measured):
    cases, results, _ = measured
    sites = site_summary(cases, results)
    assert "syrianobserver" in sites
    so = sites["syrianobserver"]
    assert so["recall"] >= 0.99 and so["min_recall"] >= 0.99, "Syrian Observer lost story text"
    assert so["cruft_left"] == 0, "a Syrian Observer cruft string is left in a body"
    for source, now in sites.items():
        floor = BASELINE["sites"].get(source)
        if floor is None or floor["sha256"] != now["sha256"]:
            continue  # a new or rebuilt copy: tests/test_all_sources.py checks it exactly
        assert now["recall"] >= floor["recall"] - EPSILON, source
        assert now["cruft_left"] <= floor["cruft_left"], source


def test_local_sets_are_not_in_overall():
    assert LOCAL_SETS == ("sites",) and "sites" not in BASELINE["sets"]
