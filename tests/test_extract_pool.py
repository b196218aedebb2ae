"""Extraction in the crawl's process pool gives the same records as in-process extraction.

The pipeline (scraper/pipelines.py) sends pages to a pool of spawned worker
processes, one per core; nothing in a record may depend on which process made
it (module state, caches, the registry loaded in the worker).
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from scraper.offline.server import SiteCopy
from scraper.pipelines import extract_page, make_extract_pool
from scraper.sources import load_registry
from tests.conftest import SITES

pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).parent / "fixtures" / "extract"


# One fetch time for both runs, so that "now" cannot differ between them.
FETCHED_AT = "2026-01-15T12:00:00+00:00"


def pages() -> list[tuple[str, str, object, dict]]:
    registry = load_registry()
    out = []
    copy = SiteCopy.load(SITES / "syrianobserver")
    expected = json.loads((SITES / "syrianobserver" / "expected.json").read_text("utf-8"))
    for url in [a["url"] for a in expected["articles"]] + expected["not_articles"][:5]:
        body = copy.resolve(urlsplit(url).path).body.decode("utf-8")
        hints = {"published": "2025-01-01T00:00:00+00:00", "tags": ["Feed tag"]}
        out.append((body, url, registry["syrianobserver"], hints, FETCHED_AT))
    for page in sorted(FIXTURES.glob("*.html")):
        url = json.loads(page.with_suffix(".expected.json").read_text("utf-8"))["url"]
        out.append((page.read_text("utf-8"), url, None, {}, FETCHED_AT))
    return out


def test_pool_and_in_process_extraction_give_identical_records():
    work = pages()
    pool = make_extract_pool(2)
    assert pool is not None
    try:
        pooled = list(pool.map(extract_page, *zip(*work, strict=True)))
    finally:
        pool.shutdown(wait=True)
    in_process = [extract_page(*args) for args in work]
    assert len(pooled) == len(in_process) == len(work)
    for (_, url, *_), a, b in zip(work, pooled, in_process, strict=True):
        assert a == b, url
    assert sum(r["is_article"] for r in in_process) >= len(work) - 5
