"""What a killed crawl left behind, resumed: the moments of tests/test_sigkill_resume.py
that a random kill reaches rarely, set up exactly.

- A page the killed run fetched and held (not yet stored) is stored by the next run;
  a short link that redirects to it, followed by the next run, is still its alias.
- A link of the frontier that the next run reaches after it requested the same article
  from another link: the addresses the frontier kept for it are still its aliases.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from archive.clock import utcnow
from archive.store import Archive
from scraper.items import PageItem
from scraper.offline import SITES
from scraper.offline.server import MirrorServer
from tests.conftest import crawl, site_copy

pytestmark = pytest.mark.slow

# enabbaladi-ar's feed and sitemap list this article; its listings link it only by the
# short link below, which redirects to it (WordPress's bare /<id>/ form of a post).
ARTICLE = (
    "https://www.enabbaladi.net/762013/%d9%88%d8%b1%d8%b4-%d8%a7%d9%84%d9%86%d8%b3%d9%8a%d8%ac"
    "-%d9%81%d9%8a-%d8%ad%d9%84%d8%a8-%d8%aa%d8%b3%d8%aa%d8%a3%d9%86%d9%81-%d8%a7%d9%84%d8%aa"
    "%d8%b5%d8%af%d9%8a%d8%b1-%d8%a5%d9%84%d9%89-%d8%a7%d9%84%d8%b9%d8%b1%d8%a7%d9%82/"
)
SHORT_LINK = "https://www.enabbaladi.net/762013/"


def aliases(db: Path) -> set[str]:
    with sqlite3.connect(db) as conn:
        return {url for (url,) in conn.execute("select url from url_aliases")}


def test_a_short_link_to_a_page_the_killed_run_held_is_its_alias(tmp_path):
    """The killed run fetched the article from the feed and held it; the next run stores
    it from the hold, and finds the short link on a listing: its redirect goes to a page
    this run neither requested nor knew archived, but handled (held). It is the article's
    alias all the same, as in a crawl nobody killed."""
    db = tmp_path / "a.db"
    body = (SITES / "enabbaladi-ar" / "www" / unquote(urlsplit(ARTICLE).path)[1:]).joinpath(
        "index.html"
    )
    page = PageItem(
        "enabbaladi-ar", ARTICLE, ARTICLE, 200, "text/html; charset=utf-8", "utf-8",
        body.read_bytes(), utcnow(),
    )  # fmt: skip
    with Archive(db) as archive:
        run = archive.start_run("crawl", "enabbaladi-ar", "job-1")
        archive.hold_page(page.source, page.url, page.fetch_fields(), page.body)
        archive.finish_run(run, status="interrupted")  # as the next start finds a killed run
    with MirrorServer([site_copy("enabbaladi-ar")]) as server:
        runs = crawl(server, db, ["enabbaladi-ar"])
    assert [run["status"] for run in runs] == ["finished"]
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from held_pages").fetchone() == (0,)
    assert {SHORT_LINK, "https://enabbaladi.net/762013/"} <= aliases(db)


def test_an_address_kept_in_the_frontier_is_an_alias_when_the_article_was_requested_first(
    tmp_path,
):
    """The killed runs' frontier holds the article twice: first as a page linked it (its
    plain address), then as the feed gave it, with a tracking address. The next run
    requests the first; the second is then a link to an article requested already,
    and its tracking address is still the article's alias, as in a crawl nobody killed."""
    db = tmp_path / "a.db"
    tracked = f"{ARTICLE}?utm_source=newsletter&utm_medium=email"
    with Archive(db) as archive:
        run = archive.start_run("crawl", "enabbaladi-ar", "job-1")
        archive.add_link("enabbaladi-ar", ARTICLE, "other", {}, [])
        archive.add_link("enabbaladi-ar", ARTICLE, "feed", {}, [(tracked, "feed")])
        archive.flush()
        archive.finish_run(run, status="interrupted")  # as the next start finds a killed run
    with MirrorServer([site_copy("enabbaladi-ar")]) as server:
        runs = crawl(server, db, ["enabbaladi-ar"])
    assert [run["status"] for run in runs] == ["finished"]
    assert tracked in aliases(db)
