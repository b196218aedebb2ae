"""Step 1 end to end: crawl the offline Syrian Observer into an archive, twice, then edited.

Real spiders, real HTTP on 127.0.0.1, real SQLite. The known answers come
from scraper/offline/sites/syrianobserver/expected.json.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
import sqlite_utils

from archive.export import export
from archive.store import Archive
from tests.conftest import crawl, expected

pytestmark = pytest.mark.slow

EXPECTED = expected("syrianobserver")


@pytest.fixture(scope="module")
def crawls(tmp_path_factory):
    """Three crawls of one archive: first, again unchanged, again with the edit overlay."""
    from scraper.offline.server import MirrorServer
    from tests.conftest import site_copy

    db = tmp_path_factory.mktemp("so") / "archive.db"
    with MirrorServer([site_copy("syrianobserver")]) as server:
        first = crawl(server, db, ["syrianobserver"])[0]
        first_requests = server.requests.snapshot()
        second = crawl(server, db, ["syrianobserver"])[0]
        rows_after_second = sqlite_utils.Database(db)["articles"].count
        server.activate_overlay("syrianobserver.com", EXPECTED["edited"]["overlay"])
        third = crawl(server, db, ["syrianobserver"])[0]
    return {
        "db": db,
        "first": first,
        "second": second,
        "third": third,
        "requests": first_requests,
        "rows_after_second": rows_after_second,
    }


def articles(db) -> dict[str, dict]:
    with Archive(db) as archive:
        ids = [row["id"] for row in archive.db.query("select id from articles")]
        return {a["url"]: a for a in map(archive.get, ids)}


def test_first_crawl_archives_exactly_the_distinct_articles(crawls):
    stored = articles(crawls["db"])
    assert set(stored) == {a["url"] for a in EXPECTED["articles"]}
    assert crawls["first"]["new"] + crawls["first"]["near_duplicate"] == len(EXPECTED["articles"])
    for url in EXPECTED["not_articles"]:
        assert url not in stored


@pytest.mark.parametrize("case", EXPECTED["articles"], ids=lambda a: a["url"].rsplit("/", 1)[-1])
def test_each_article_is_clean_and_complete(crawls, case):
    record = articles(crawls["db"])[case["url"]]
    edited = EXPECTED["edited"]
    assert record["body"] == (edited["body"] if case["url"] == edited["url"] else case["body"])
    for cruft in EXPECTED["cruft"]:
        assert cruft not in record["body"], cruft
    for field in (
        "title",
        "summary",
        "tags",
        "editorial_note",
        "translated",
        "authors",
        "original_source",
        "original_stance",
        "published",
        "section",
        "image",
    ):
        assert record[field] == case[field], field
    assert record["language"] == "en"


def test_tags_and_editorial_notes_are_filled(crawls):
    stored = articles(crawls["db"]).values()
    assert sum(bool(a["tags"]) for a in stored) >= len(stored) - 1
    assert sum(bool(a["editorial_note"]) for a in stored) >= len(stored) // 2


def test_tracking_amp_and_redirect_urls_become_aliases(crawls):
    db = sqlite_utils.Database(crawls["db"])
    aliases = {row["url"]: row["article_id"] for row in db["url_aliases"].rows}
    ids = {row["url"]: row["id"] for row in db["articles"].rows}
    seen = [u for u in EXPECTED["aliases"] if u in aliases]
    # Every alias URL the site links to is recorded and points at its article.
    assert len(seen) >= len(EXPECTED["aliases"]) - 1
    for alias in seen:
        assert aliases[alias] == ids[EXPECTED["aliases"][alias]]
    assert not set(EXPECTED["aliases"]) & set(ids)


def test_robots_disallowed_page_is_never_fetched(crawls):
    paths = {r.path.split("?")[0] for r in crawls["requests"]}
    for url in EXPECTED["disallowed"]:
        assert url.split("syrianobserver.com", 1)[1] not in paths


def test_failures_are_recorded_with_source_url_and_reason(crawls):
    rows = list(sqlite_utils.Database(crawls["db"])["failures"].rows)
    gone = [r for r in rows if r["url"] in EXPECTED["gone"]]
    assert gone and gone[0]["source"] == "syrianobserver" and "410" in gone[0]["error"]


def test_second_crawl_adds_nothing_and_reports_every_article_unchanged(crawls):
    second = crawls["second"]
    assert crawls["rows_after_second"] == len(EXPECTED["articles"])
    assert second["new"] == 0 and second["revised"] == 0
    assert second["unchanged"] == len(EXPECTED["articles"])


def test_edited_article_gives_one_revision(crawls):
    third = crawls["third"]
    assert third["revised"] == 1 and third["new"] == 0
    db = sqlite_utils.Database(crawls["db"])
    revisions = list(db["revisions"].rows)
    assert len(revisions) == 1
    edited = articles(crawls["db"])[EXPECTED["edited"]["url"]]
    assert EXPECTED["edited"]["changed_text"] in edited["body"]
    assert EXPECTED["edited"]["changed_text"] not in revisions[0]["body"]
    assert revisions[0]["article_id"] == edited["id"]


def test_csv_export_reads_back_to_the_same_rows(crawls):
    out = io.StringIO(newline="")
    count = export(crawls["db"], out, format="csv")
    rows = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    stored = articles(crawls["db"])
    assert count == len(rows) == len(stored)
    for row in rows:
        record = stored[row["url"]]
        assert row["body"] == record["body"] and "\n\n" in row["body"]
        assert row["title"] == record["title"]
        assert row["tags"] == "; ".join(record["tags"])


def test_jsonl_export_reads_back(crawls):
    out = io.StringIO()
    export(crawls["db"], out, format="jsonl")
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    stored = articles(crawls["db"])
    assert {r["url"] for r in rows} == set(stored)
    assert all(r["body"] == stored[r["url"]]["body"] for r in rows)
