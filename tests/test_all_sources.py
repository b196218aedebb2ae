"""Every source end to end: crawl all offline copies together, compare with expected.json.

Each folder of scraper/offline/sites/ with a site.toml and an expected.json is a source
of the registry; one crawl of all of them must archive every expected article
with a clean body (no cruft from that site's list), title, date, language and
tags, and no page the copy marks as not an article.
"""

from __future__ import annotations

import pytest

from archive.store import Archive
from archive.urls import canonicalize
from scraper.sources import load_registry
from tests.conftest import SITES, crawl, expected

pytestmark = pytest.mark.slow

SOURCE_IDS = sorted(
    d.name for d in SITES.iterdir() if (d / "site.toml").exists() and (d / "expected.json").exists()
)
CASES = [(sid, case) for sid in SOURCE_IDS for case in expected(sid)["articles"]]


@pytest.fixture(scope="module")
def archive_of_all(tmp_path_factory):
    from scraper.offline.server import MirrorServer
    from tests.conftest import site_copy

    db = tmp_path_factory.mktemp("all") / "archive.db"
    with MirrorServer([site_copy(sid) for sid in SOURCE_IDS]) as server:
        runs = crawl(server, db, SOURCE_IDS)
    with Archive(db) as archive:
        rows = archive.db.query("select id from articles")
        # expected.json names articles by their canonical URL, the dedup key.
        stored = {a["canonical_url"]: a for a in (archive.get(r["id"]) for r in rows)}
    return {"db": db, "runs": {r["source"]: r for r in runs}, "articles": stored}


def test_every_site_copy_is_a_registry_source():
    registry = load_registry()
    assert set(SOURCE_IDS) <= set(registry)


@pytest.mark.parametrize("source_id", SOURCE_IDS)
def test_source_archives_exactly_its_articles(archive_of_all, source_id):
    answers = expected(source_id)
    stored = {u for u, a in archive_of_all["articles"].items() if a["source"] == source_id}
    assert stored == {a["url"] for a in answers["articles"]}
    for url in answers.get("not_articles", []):
        assert url not in archive_of_all["articles"]
    assert archive_of_all["runs"][source_id]["status"] == "finished"


@pytest.mark.parametrize(
    "source_id, case",
    CASES,
    ids=[f"{s}:{c['url'].rstrip('/').rsplit('/', 1)[-1][:50]}" for s, c in CASES],
)
def test_article_is_clean_and_complete(archive_of_all, source_id, case):
    record = archive_of_all["articles"].get(case["url"])
    assert record is not None, f"{case['url']} was not archived"
    if "body" in case:
        assert record["body"] == case["body"]
    else:
        assert record["body"].startswith(case["body_starts_with"])
        assert record["body"].endswith(case["body_ends_with"])
    for cruft in expected(source_id)["cruft"]:
        assert cruft not in record["body"], f"cruft {cruft!r} left in the body"
    for field in ("title", "published", "language", "tags"):
        if field in case:
            assert record[field] == case[field], field
    assert record["title"] and record["published"] and record["language"]
    # The record keeps the address as the site publishes it, which leads to the same key.
    assert canonicalize(record["url"]) == case["url"]


def test_arabic_search_finds_arabic_articles(archive_of_all):
    arabic = [a for a in archive_of_all["articles"].values() if a["language"] == "ar"]
    assert len(arabic) >= 5, "the offline copies hold Arabic sources (sana-ar, enabbaladi-ar)"
    with Archive(archive_of_all["db"]) as archive:
        for article in arabic[:5]:
            word = max(article["title"].split(), key=len)
            hits = archive.search(word)
            assert article["id"] in {h["id"] for h in hits}, word
