"""A source of one's own: a registry file plus an offline copy, and no code change.

tests/fixtures/user_source/ holds what a user would write for an 11th source:
``sources.toml`` (one new outlet) and its offline copy (``site.toml``, ``www/``,
``expected.json``, the same layout as scraper/offline/sites/). The tests load that file
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
from scraper.offline.copies import SiteCopy
from scraper.offline.server import MirrorServer
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
    assert (
        source.listing_page("https://pager.example/news", 2) == "https://pager.example/news?page=1"
    )
    assert (
        source.listing_page("https://pager.example/news", 3) == "https://pager.example/news?page=2"
    )
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
    items = "".join(
        f'<li><a href="https://pager.example/node/{n}">Story {n}</a></li>' for n in links
    )
    sidebar = '<aside><a href="https://pager.example/node/1">Most read: story 1</a></aside>'
    return (
        f'<html lang="en"><head><title>{title}</title>'
        f'<meta property="og:title" content="{title}">'
        f'<meta property="article:published_time" '
        f'content="2025-12-0{len(title) % 9 + 1}T10:00:00Z">'
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
        write(
            root / "www" / "node" / str(n),
            _page(f"Story number {n}", [], f"<p>{STORIES[n]} {STORIES[n]}</p>"),
        )
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


# -- the user's own source: registry file + offline copy, no code change --------------

USER_ID = "qamishli-post"


def user_expected() -> dict:
    return json.loads((FIXTURE / USER_ID / "expected.json").read_text(encoding="utf-8"))


def test_user_file_adds_a_source_the_builtin_registry_lacks():
    assert USER_ID not in load_registry()
    registry = load_registry([USER_FILE])
    assert set(load_registry()) < set(registry)
    source = registry[USER_ID]
    assert source.origin == str(USER_FILE)
    assert source.is_article_url(user_expected()["articles"][0]["url"])
    assert not source.is_article_url("https://qamishlipost.example/about/")


def test_cli_lists_and_checks_the_user_file(tmp_path):
    runner = CliRunner()
    listed = runner.invoke(
        cli, ["sources", "--sources", str(USER_FILE), "--db", str(tmp_path / "a.db")]
    )
    assert listed.exit_code == 0, listed.output
    assert USER_ID in listed.output and "syrianobserver" in listed.output
    checked = runner.invoke(cli, ["sources", "check", str(USER_FILE)])
    assert checked.exit_code == 0, checked.output
    assert USER_ID in checked.output


def test_cli_check_names_file_source_and_field_of_a_broken_user_file():
    result = CliRunner().invoke(cli, ["sources", "check", str(USER_FILE), str(BROKEN_FILE)])
    assert result.exit_code == 1
    message = result.stderr if hasattr(result, "stderr") else result.output
    assert str(BROKEN_FILE) in message and f"source '{USER_ID}'" in message
    assert "field 'feeds'" in message and "http(s) URL" in message
    with pytest.raises(SourceConfigError) as info:
        load_registry([BROKEN_FILE])
    assert (info.value.file, info.value.source, info.value.field) == (
        str(BROKEN_FILE),
        USER_ID,
        "feeds",
    )


@pytest.fixture(scope="module")
def user_archive(tmp_path_factory):
    """Crawl the user's copy with the user's file, as `crawl qamishli-post --sources FILE` would."""
    work = tmp_path_factory.mktemp("user")
    copy = shutil.copytree(FIXTURE / USER_ID, work / USER_ID)  # the site copy as a user keeps it
    db = work / "archive.db"
    with MirrorServer([SiteCopy.load(copy)]) as server:
        runs = crawl(server, db, [USER_ID], sources_files=[USER_FILE])
    with Archive(db) as archive:
        rows = archive.db.query("select id from articles")
        stored = {a["url"]: a for a in (archive.get(r["id"]) for r in rows)}
    return {"db": db, "runs": runs, "articles": stored}


def test_user_source_crawl_archives_exactly_its_articles(user_archive):
    [run] = user_archive["runs"]
    assert run["source"] == USER_ID and run["status"] == "finished" and run["failed"] == 0
    expected = user_expected()
    assert set(user_archive["articles"]) == {a["url"] for a in expected["articles"]}
    for url in expected["not_articles"]:
        assert url not in user_archive["articles"]


@pytest.mark.parametrize("index", range(len(user_expected()["articles"])))
def test_user_source_articles_are_clean_and_complete(user_archive, index):
    expected = user_expected()
    case = expected["articles"][index]
    record = user_archive["articles"][case["url"]]
    assert record["source"] == USER_ID
    assert record["body"] == case["body"]
    for cruft in expected["cruft"]:
        assert cruft not in record["body"], cruft
    for field in ("title", "summary", "authors", "published", "language", "tags"):
        assert record[field] == case[field], field
