"""Bad input never stops a crawl nor loses archived data; each failure says source, URL, reason."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from archive.store import RECORD_FIELDS, Archive, ArchiveError
from scraper.cli import cli
from scraper.offline.copies import SiteCopy
from scraper.offline.server import MirrorServer
from tests.conftest import crawl

pytestmark = pytest.mark.slow

HOST = "bad.example"
SOURCES = f"""
[badsite]
name = "A site with every kind of bad page"
homepage = "https://{HOST}/"
language = "ar"
feeds = ["https://{HOST}/feed"]
article_pattern = '^https://bad\\.example/news/'
"""
STORY = " ".join(["تقرير عن إعادة إعمار المدارس في ريف حلب الشمالي بعد سنوات من الحرب."] * 12)
PAGES = ["good", "wrong-charset", "huge", "slow", "loop-a"]


def page(title: str, body: str = STORY) -> str:
    return (
        f'<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>{title}'
        '</title><meta property="og:type" content="article"><meta property="article:published_'
        f'time" content="2025-03-01T10:00:00+03:00"></head><body><article><h1>{title}</h1>'
        f"<p>{body}</p><p>{body}.</p></article></body></html>"
    )


def crawl_bad_site(server: MirrorServer, db, sources) -> list[dict]:
    """Poll the bad site with small limits: 200 kB pages, 1 s timeout, no retries."""
    limits = {"DOWNLOAD_MAXSIZE": 200_000, "DOWNLOAD_TIMEOUT": 1, "RETRY_TIMES": 0}
    return crawl(server, db, ["badsite"], spider="feed", sources_files=[sources], overrides=limits)


@pytest.fixture
def bad_site(tmp_path):
    root = tmp_path / "badsite"
    news = root / "www" / "news"
    news.mkdir(parents=True)
    (root / "site.toml").write_text(f'host = "{HOST}"\n', encoding="utf-8")
    (root / "www" / "robots.txt").write_text("User-agent: *\nDisallow:\n", encoding="utf-8")
    items = "".join(
        f"<item><title>{p}</title><link>https://{HOST}/news/{p}.html</link>"
        "<pubDate>Sat, 01 Mar 2025 07:00:00 +0000</pubDate></item>"
        for p in PAGES
    )
    (root / "www" / "feed.xml").write_text(
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>bad</title>'
        f"{items}</channel></rss>",
        encoding="utf-8",
    )
    (root / "site.toml").write_text(
        f'host = "{HOST}"\n[routes."/feed"]\nfile = "feed.xml"\n'
        '[routes."/news/wrong-charset.html"]\nfile = "news/wrong-charset.html"\n'
        # The server says UTF-8; the bytes are windows-1256, as old Arabic CMSs wrote them.
        'content_type = "text/html; charset=utf-8"\n',
        encoding="utf-8",
    )
    (news / "good.html").write_text(page("خبر سليم"), encoding="utf-8")
    (news / "wrong-charset.html").write_bytes(
        page("خبر بترميز خاطئ").replace('<meta charset="utf-8">', "").encode("cp1256")
    )
    (news / "huge.html").write_text(page("صفحة ضخمة", STORY * 400), encoding="utf-8")
    (news / "slow.html").write_text(page("صفحة بطيئة"), encoding="utf-8")
    sources = tmp_path / "bad.toml"
    sources.write_text(SOURCES, encoding="utf-8")
    return SiteCopy.load(root), sources


def test_each_bad_page_is_a_recorded_failure_and_the_crawl_goes_on(bad_site, tmp_path):
    site, sources = bad_site
    db = tmp_path / "archive.db"
    with MirrorServer([site]) as server:
        server.set_fault(HOST, "/news/slow.html", status=None, delay=5)
        for here, there in (("a", "b"), ("b", "a")):
            server.set_fault(
                HOST,
                f"/news/loop-{here}.html",
                status=301,
                headers={"Location": f"https://{HOST}/news/loop-{there}.html"},
            )
        runs = crawl_bad_site(server, db, sources)
    assert runs[0]["status"] == "finished"
    with Archive(db) as archive:
        stored = {r["url"]: r for r in archive.db.query("select url, title, body from articles")}
        failures = {r["url"]: r for r in archive.db.query("select * from failures")}
    assert set(stored) == {
        f"https://{HOST}/news/good.html",
        f"https://{HOST}/news/wrong-charset.html",
    }
    repaired = stored[f"https://{HOST}/news/wrong-charset.html"]
    assert repaired["title"] == "خبر بترميز خاطئ" and "\ufffd" not in repaired["body"]
    reasons = {url.rsplit("/", 1)[-1]: f["error"] for url, f in failures.items()}
    assert all(f["source"] == "badsite" for f in failures.values())
    assert "huge.html" in reasons  # cancelled past DOWNLOAD_MAXSIZE
    assert "slow.html" in reasons and "timed out" in reasons["slow.html"]
    assert "redirect loop" in reasons["loop-b.html"]


def test_failed_write_keeps_what_is_archived(bad_site, tmp_path):
    """A full disk mid-crawl: the crawl reports it and the committed articles stay."""
    site, sources = bad_site
    db = tmp_path / "archive.db"
    with MirrorServer([site]) as server:
        crawl_bad_site(server, db, sources)
    with Archive(db) as archive:
        before = archive.db.execute("select count(*) from articles").fetchone()[0]
        pages = archive.db.execute("pragma page_count").fetchone()[0]
    assert before >= 2
    # Cap the file at its current size: the next write finds the disk "full".
    with Archive(db) as archive:
        archive.db.execute(f"pragma max_page_count = {pages}")
        stored = archive.get(1)
        record = {k: stored[k] for k in RECORD_FIELDS if k in stored}
        record.update(body=stored["body"] + (" زيادة" * 20000), content_hash=None, simhash=None)
        with pytest.raises(ArchiveError, match="full"):
            archive.upsert(record)
            archive.flush()
    with Archive(db) as archive:
        assert archive.db.execute("select count(*) from articles").fetchone()[0] == before


def test_malformed_registry_is_a_clear_error_not_a_crash(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[x]\nname = "X"\nhomepage = "not a url"\nlanguage = "en"\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["crawl", "--sources", str(bad), "--db", str(tmp_path / "a")])
    assert result.exit_code != 0
    assert str(bad) in result.output and "'x'" in result.output and "homepage" in result.output
    assert not (tmp_path / "a").exists()
