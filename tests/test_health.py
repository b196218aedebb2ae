"""Failing sources are scored, reported by `status`, paused and resumed; the others go on."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from click.testing import CliRunner

from archive.health import source_health
from archive.store import Archive
from scraper.cli import cli
from scraper.failures import host_down_reason, hosts_down
from scraper.offline.copies import SiteCopy
from scraper.offline.server import MirrorServer
from scraper.pipelines import judge_run
from scraper.schedule import PAUSE_SCORE, adaptive_interval, classify_run, record_poll
from scraper.sources import load_registry
from tests.conftest import crawl, site_copy

pytestmark = pytest.mark.slow

BROKEN_SOURCES = """
[downsite]
name = "A site whose server is down"
homepage = "https://down.example/"
language = "en"
feeds = ["https://down.example/feed"]

[garbagefeed]
name = "A site whose feed is garbage"
homepage = "https://garbage.example/"
language = "en"
feeds = ["https://garbage.example/feed"]

[ratelimited]
name = "A site that answers 429"
homepage = "https://limited.example/"
language = "en"
feeds = ["https://limited.example/feed"]
"""


def small_site(root, host: str, feed: str):
    (root / "www").mkdir(parents=True)
    (root / "site.toml").write_text(f'host = "{host}"\n', encoding="utf-8")
    (root / "www" / "robots.txt").write_text("User-agent: *\nDisallow:\n", encoding="utf-8")
    (root / "www" / "feed").mkdir()
    (root / "www" / "feed" / "index.xml").write_text(feed, encoding="utf-8")
    return SiteCopy.load(root)


@pytest.fixture
def polled(tmp_path):
    """One healthy source and three broken ones, polled once together."""
    sources_file = tmp_path / "broken.toml"
    sources_file.write_text(BROKEN_SOURCES, encoding="utf-8")
    registry = load_registry([sources_file])
    copies = [
        site_copy("syrianobserver"),
        small_site(tmp_path / "garbage", "garbage.example", "<html><body>Not a feed"),
        small_site(tmp_path / "limited", "limited.example", "<rss></rss>"),
    ]
    db = tmp_path / "archive.db"
    with MirrorServer(copies) as server:
        server.set_fault("limited.example", "/feed", status=429, headers={"Retry-After": "1"})
        # Port 9 (discard) is closed here: the connection is refused, like a server that is down.
        mirrors = {**server.mirrors, "down.example": "http://127.0.0.1:9"}
        runs = crawl(
            server,
            db,
            ["syrianobserver", "downsite", "garbagefeed", "ratelimited"],
            spider="feed",
            sources_files=[sources_file],
            mirrors=mirrors,
        )
    with Archive(db) as archive:
        for run in runs:
            record_poll(archive, registry[run["source"]], run)
    return {
        "db": db,
        "runs": {r["source"]: r for r in runs},
        "registry": registry,
        "sources_file": sources_file,
    }


def test_broken_sources_are_reported_while_the_others_are_crawled(polled):
    assert polled["runs"]["syrianobserver"]["new"] > 0
    flags = {row["source"]: row["flags"] for row in source_health(polled["db"])}
    assert flags["syrianobserver"] == []
    assert "failing" in flags["downsite"]
    assert "failing" in flags["garbagefeed"]
    assert "blocked" in flags["ratelimited"]
    result = CliRunner().invoke(cli, ["status", "--db", str(polled["db"]), "--json"])
    assert result.exit_code == 1
    report = {row["source"]: row for row in json.loads(result.output)}
    assert (
        "Connection" in report["downsite"]["last_error"]
        or "refused" in report["downsite"]["last_error"]
    )
    assert "429" in report["ratelimited"]["last_error"]


def test_failures_back_off_pause_and_enable_resumes(polled):
    registry, db = polled["registry"], polled["db"]
    with Archive(db) as archive:
        first_next = datetime.fromisoformat(archive.source("garbagefeed")["next_poll"])
        run = dict(polled["runs"]["garbagefeed"])
        for _ in range(int(PAUSE_SCORE)):
            row = record_poll(archive, registry["garbagefeed"], run)
        assert row["enabled"] == 0 and row["paused_reason"]
        assert datetime.fromisoformat(row["next_poll"]) > first_next  # backed off
    result = CliRunner().invoke(cli, ["sources", "enable", "garbagefeed", "--db", str(db)])
    assert result.exit_code == 0, result.output
    with Archive(db) as archive:
        row = archive.source("garbagefeed")
        assert row["enabled"] == 1 and row["failure_score"] == 0


def test_classify_run():
    ok = {"status": "finished", "new": 2}
    assert classify_run(ok, []) == "ok"
    assert (
        classify_run({"status": "finished"}, [{"stage": "feed", "error": "HTTP 429"}]) == "blocked"
    )
    assert classify_run({"status": "finished"}, [{"stage": "feed", "error": "HTTP 410"}]) == "hard"
    refused = [{"stage": "feed", "error": "ConnectionRefusedError: refused"}]
    assert classify_run({"status": "finished"}, refused) == "temporary"
    assert classify_run(ok, [{"stage": "extract", "error": "ValueError"}]) == "soft"
    # The site went down halfway: what was archived is kept, and the source may come back.
    down = host_down_reason("example.org", 20, 130, "connection refused")
    assert classify_run(ok, [{"stage": "fetch", "error": down}]) == "temporary"


def test_a_run_whose_site_stopped_answering_says_so_and_keeps_its_status():
    down = [
        {"url": f"https://example.org/{n}", "error": host_down_reason("example.org", 20, 130, "x")}
        for n in range(3)
    ]
    stats = {"downloader/request_count": 10, "response_received_count": 7}
    status, error = judge_run("finished", {"new": 7}, stats, down)
    assert status == "finished"
    assert error == (
        "example.org stopped answering: 3 requests not made (first: https://example.org/0)"
    )
    assert judge_run("finished", {}, stats, down)[0] == "failed"
    assert hosts_down(["HTTP 404", down[0]["error"]]) == ["example.org"]


def test_adaptive_interval_follows_publishing_rate():
    source = load_registry()["syrianobserver"]
    start = datetime(2025, 1, 1, tzinfo=timezone.utc)
    hourly = [(start + timedelta(hours=h)).isoformat() for h in range(10)]
    daily = [(start + timedelta(days=d)).isoformat() for d in range(10)]
    assert adaptive_interval(source, hourly) == source.min_poll_interval * 2  # 30 min
    assert adaptive_interval(source, daily) == 43200  # half a day
    assert adaptive_interval(source, hourly[:2]) == source.poll_interval  # too few to tell


def test_status_of_an_archive_nothing_was_crawled_into_is_an_error(tmp_path):
    """Monitoring must not read an empty archive as healthy (it printed nothing, exit 0)."""
    db = tmp_path / "empty.db"
    Archive(db).close()
    result = CliRunner().invoke(cli, ["status", "--db", str(db)])
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: no source has been crawled into {db} yet"
