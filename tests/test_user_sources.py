"""A source of one's own: a registry file plus an offline copy, and no code change.

tests/fixtures/user_source/ holds what a user would write for an 11th source:
``sources.toml`` (one new outlet) and its offline copy (``site.toml``, ``www/``,
``expected.json``, the same layout as tests/sites/). The tests load that file
the way ``--sources FILE`` does, crawl the copy with the real spiders, check
the archived articles against expected.json, and check that a broken file is
reported with its file, source and field (``newsarchive sources check``).

The first tests cover the registry and site-copy features such sources rely
on: zero-based pagers (``{n0}``, Drupal's ``?page=``), site-copy routes that
name a query string, and listings that end with a 200 page showing only the
sidebars' links.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.store import Archive
from scraper.cli import cli
from scraper.mirror import MirrorServer, SiteCopy
from scraper.sources import SourceConfigError, load_file, load_registry
from tests.conftest import crawl

FIXTURE = Path(__file__).parent / "fixtures" / "user_source"
USER_FILE = FIXTURE / "sources.toml"
BROKEN_FILE = FIXTURE / "broken-sources.toml"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# -- features a user's source relies on ------------------------------------------------

PAGER_TOML = """
[pager]
name = "Pager Example"
homepage = "https://pager.example/"
language = "en"
listings = ["https://pager.example/news"]
pagination = "{listing}?page={n0}"
article_pattern = '^https://pager\\.example/node/\\d+$'
"""


def test_zero_based_pagination(tmp_path):
    source = load_file(write(tmp_path / "pager.toml", PAGER_TOML))["pager"]
    assert source.listing_page("https://pager.example/news", 1) == "https://pager.example/news"
    assert source.listing_page("https://pager.example/news", 2) == "https://pager.example/news?page=1"
    assert source.listing_page("https://pager.example/news", 3) == "https://pager.example/news?page=2"
    bad = PAGER_TOML.replace("?page={n0}", "?page=")
    with pytest.raises(SourceConfigError) as info:
        load_file(write(tmp_path / "bad.toml", bad))
    assert info.value.field == "pagination" and "{n0}" in str(info.value)


STORIES = {
    1: "The council of the old town voted to repair the stone bridge over the river before "
    "the rains, after years of complaints from farmers who carry their harvest across it.",
    2: "A new bakery opened in the eastern quarter, selling bread at the subsidised price to "
    "families with ration cards and at market price to everyone else in the morning queue.",
    3: "Teachers at the secondary school asked the directorate for heating fuel, saying that "
    "pupils sit in coats during the first lessons of the day and leave before noon.",
}


def _page(title: str, links: list[int], body: str = "") -> str:
    items = "".join(f'<li><a href="https://pager.example/node/{n}">Story {n}</a></li>' for n in links)
    sidebar = '<aside><a href="https://pager.example/node/1">Most read: story 1</a></aside>'
    return (
        f'<html lang="en"><head><title>{title}</title>'
        f'<meta property="og:title" content="{title}">'
        f'<meta property="article:published_time" content="2025-12-0{len(title) % 9 + 1}T10:00:00Z">'
        f"</head><body><main><ul>{items}</ul>{body}</main>{sidebar}</body></html>"
    )


@pytest.fixture()
def pager_site(tmp_path):
    root = tmp_path / "pager"
    write(
        root / "site.toml",
        'host = "pager.example"\n'
        '[routes."/news?page=1"]\nfile = "news-page-1.html"\n'
        '[routes."/news?page=2"]\nfile = "news-page-2.html"\n',
    )
    write(root / "www" / "robots.txt", "User-agent: *\nDisallow:\n")
    write(root / "www" / "news" / "index.html", _page("News", [1, 2]))
    write(root / "www" / "news-page-1.html", _page("News page 2", [3]))
    # Past the end: Drupal answers 200 with an empty list; the sidebar is still there.
    write(root / "www" / "news-page-2.html", _page("News page 3", []))
    for n in (1, 2, 3):
        write(root / "www" / "node" / str(n), _page(f"Story number {n}", [], f"<p>{STORIES[n]} {STORIES[n]}</p>"))
    return root


def test_site_copy_route_may_name_a_query_string(pager_site):
    site = SiteCopy.load(pager_site)
    assert b"Story 3" in site.resolve("/news?page=1").body
    assert b"Story 2" in site.resolve("/news").body
    assert b"Story 2" in site.resolve("/news?page=9").body  # no route: the query is ignored


def test_zero_based_listing_stops_past_the_end(pager_site, tmp_path):
    registry = write(tmp_path / "pager.toml", PAGER_TOML)
    with MirrorServer([SiteCopy.load(pager_site)]) as server:
        [run] = crawl(server, tmp_path / "a.db", ["pager"], sources_files=[registry])
        paths = server.requests.paths("pager.example")
    assert run["status"] == "finished" and run["new"] == 3
    # page 3 (?page=2) shows only the sidebar's story 1: the listing ends there.
    assert paths.count("/news?page=2") == 1
    assert "/news?page=3" not in paths
