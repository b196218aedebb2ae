"""`newsarchive reextract`: stored pages run through the current extractor again."""

from __future__ import annotations

import pytest
import sqlite_utils
from click.testing import CliRunner

import scraper.reextract as reextract_module
from archive.ingest import ingest_page
from archive.store import Archive, Capture
from scraper.cli import cli
from scraper.extract import EXTRACTOR_VERSION, extract
from scraper.reextract import reextract

STORY = "".join(
    f"<p>Paragraph {i}: residents of Hasakah queue for water tankers every morning while the "
    f"pumping station stays offline.</p>"
    for i in range(6)
)
PAGE = (
    '<!DOCTYPE html><html lang="en"><head><title>Water in Hasakah</title>'
    '<meta property="article:published_time" content="2025-11-10T13:20:00+00:00"></head>'
    "<body><article><h1>Water in Hasakah</h1><div class='entry-content'>{body}</div>"
    "</article></body></html>"
)
URL = "https://news.example.org/2025/11/10/water-in-hasakah/"
FETCHED = "2025-11-10T15:00:00+00:00"


def store(db, body: str, *, old_body: str | None = None, url: str = URL) -> None:
    """Archive a page as a crawl would, but with an older extractor's body and version."""
    html = PAGE.format(body=body)
    extraction = extract(html, url)
    if old_body is not None:
        extraction["body"] = old_body
        extraction["extractor_version"] = "newsarchive-0+old"
    capture = Capture(
        url=url, status=200, body=html.encode("utf-8"), fetched_at=FETCHED, encoding="utf-8"
    )
    with Archive(db) as archive:
        ingest_page(archive, extraction, source="example", capture=capture, now=FETCHED)


def test_changed_records_become_revisions_and_unchanged_ones_get_the_version(tmp_path):
    db = tmp_path / "archive.db"
    store(db, STORY, old_body="Share on Facebook\n\n" + STORY)  # an older, worse body
    store(db, STORY, url=URL.replace("water", "tankers"))
    report = reextract(db, registry={})
    assert report["pages"] == 2 and report["changed"] == 1 and report["unchanged"] == 1
    assert report["not_article"] == report["failed"] == 0
    rows = {r["url"]: r for r in sqlite_utils.Database(db)["articles"].rows}
    assert "Share on Facebook" not in rows[URL]["body"]
    assert {r["extractor_version"] for r in rows.values()} == {EXTRACTOR_VERSION}
    assert {r["last_seen"] for r in rows.values()} == {FETCHED}  # not a visit to the site
    revisions = list(sqlite_utils.Database(db)["revisions"].rows)
    assert len(revisions) == 1 and revisions[0]["body"].startswith("Share on Facebook")
    runs = list(sqlite_utils.Database(db)["crawl_runs"].rows)
    assert runs[-1]["kind"] == "reextract" and runs[-1]["revised"] == 1
    # Nothing left to change: a second run changes nothing.
    assert reextract(db, registry={})["changed"] == 0


def test_dry_run_counts_but_writes_nothing(tmp_path):
    db = tmp_path / "archive.db"
    store(db, STORY, old_body="Share on Facebook\n\n" + STORY)
    report = reextract(db, registry={}, dry_run=True)
    assert report["changed"] == 1 and report["run_id"] is None
    row = next(iter(sqlite_utils.Database(db)["articles"].rows))
    assert row["body"].startswith("Share on Facebook")
    assert row["extractor_version"] == "newsarchive-0+old"


def test_a_page_that_is_no_longer_an_article_is_reported_and_kept(tmp_path):
    db = tmp_path / "archive.db"
    store(db, STORY, old_body=STORY)
    with Archive(db) as archive:  # the page, fetched again, turns out to be an "About us" page
        about = PAGE.format(body="<p>About us.</p>").encode()
        archive.add_capture(archive.lookup(URL), Capture(url=URL, status=200, body=about))
    report = reextract(db, registry={})
    assert report["not_article"] == 1 and URL in report["not_article_urls"][0]
    assert sqlite_utils.Database(db)["articles"].count == 1


def test_one_failing_page_does_not_stop_the_run(tmp_path, monkeypatch):
    db = tmp_path / "archive.db"
    store(db, STORY)
    store(db, STORY + "<p>Another story entirely.</p>", url=URL.replace("water", "tankers"))
    real = reextract_module.extract

    def flaky(html, url, *args, **kwargs):
        if "tankers" in url:
            raise RuntimeError("broken page")
        return real(html, url, *args, **kwargs)

    monkeypatch.setattr(reextract_module, "extract", flaky)
    report = reextract(db, registry={})
    assert report["failed"] == 1 and report["unchanged"] == 1
    assert "broken page" in report["errors"][0]


def test_source_filter_and_the_command_line(tmp_path):
    db = tmp_path / "archive.db"
    store(db, STORY, old_body="Share on Facebook\n\n" + STORY)
    assert reextract(db, source="other", registry={})["pages"] == 0
    runner = CliRunner()
    result = runner.invoke(cli, ["reextract", "--db", str(db), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "1 records would change" in result.output
    result = runner.invoke(cli, ["reextract", "--db", str(db)])
    assert result.exit_code == 0 and "1 records changed" in result.output
    result = runner.invoke(cli, ["reextract", "--db", str(db), "--source", "nope"])
    assert result.exit_code != 0 and "unknown source" in result.output
    result = runner.invoke(cli, ["reextract", "--db", str(tmp_path / "missing.db")])
    assert result.exit_code != 0 and "no archive" in result.output


@pytest.mark.slow
def test_reextracting_a_fresh_crawl_changes_nothing(tmp_path):
    # The stored record's own dates, authors and tags stand in for the feed's hints:
    # re-extraction with the same extractor must give the same records.
    from scraper.offline.server import MirrorServer
    from tests.conftest import crawl, expected, site_copy

    db = tmp_path / "archive.db"
    with MirrorServer([site_copy("syrianobserver")]) as server:
        crawl(server, db, ["syrianobserver"])
    before = {r["url"]: r for r in sqlite_utils.Database(db)["articles"].rows}
    report = reextract(db, source="syrianobserver")
    assert report["pages"] == len(expected("syrianobserver")["articles"])
    assert report["changed"] == report["not_article"] == report["failed"] == 0
    after = {r["url"]: r for r in sqlite_utils.Database(db)["articles"].rows}
    for url, row in after.items():
        for field in ("title", "summary", "body", "authors", "tags", "published", "updated"):
            assert row[field] == before[url][field], (url, field)
