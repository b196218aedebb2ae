"""scraper.extract.links: the links of a page a crawl may follow, read in the extraction
worker from the parse it made anyway, and what the crawl then does with them."""

import sqlite3
import subprocess
from pathlib import Path

from lxml import html as lxml_html

from scraper.extract.links import followable_links, read_anchors
from scraper.sources import load_file
from tests.local_http import NO_DELAY, Handler, newsarchive, serving

REGISTRY = """
[news]
name = "News"
homepage = "https://news.example.org/"
language = "en"
feeds = ["https://news.example.org/feed/"]
article_pattern = '^https?://(www\\.)?news\\.example\\.org/\\d{4}/[a-z0-9-]+/$'
exclude_patterns = ['/2019/']
"""

PAGE = """<html><body>
<nav><a href="/">Home</a> <a href="/tag/syria/">Syria</a> <a href="#main">Skip</a></nav>
<article><p>Text with <a href="/2024/second-story/">a related story</a>.</p></article>
<aside>
  <a href="/2024/third-story/#comments">comments</a>
  <a href="https://news.example.org/2024/second-story/">again</a>
  <a href="window.print()">Print</a> <a href="javascript:void(0)">Share</a>
  <a href="mailto:desk@news.example.org">Mail</a> <a href="tel:+963111">Call</a>
  <a href="/2019/old-story/">excluded</a>
  <a href="https://elsewhere.example.com/2024/their-story/">another site</a>
  <a href="http://[::1/2024/broken/">broken</a>
  <a>no href</a>
</aside></body></html>"""


def test_only_links_that_may_be_articles_of_the_source_are_kept(tmp_path):
    registry = tmp_path / "news.toml"
    registry.write_text(REGISTRY, encoding="utf-8")
    source = load_file(registry)["news"]
    anchors = read_anchors(lxml_html.document_fromstring(PAGE))
    links = followable_links(anchors, "https://news.example.org/2024/first-story/", source)
    assert links == [
        "https://news.example.org/2024/second-story/",  # once, in page order
        "https://news.example.org/2024/third-story/",  # without its fragment
        "http://[::1/2024/broken/",  # kept as written: the crawl records why it is unusable
    ]


def test_the_worker_returns_the_links_only_when_the_crawl_follows_them(tmp_path):
    from scraper.extraction import process_page

    registry = tmp_path / "news.toml"
    registry.write_text(REGISTRY, encoding="utf-8")
    body = PAGE.encode("utf-8")
    url = "https://news.example.org/2024/first-story/"
    args = (body, "utf-8", url, "news", (str(registry),), {}, "2024-05-01T10:00:00+00:00")
    followed = process_page(*args, True)
    assert followed.links[:2] == [
        "https://news.example.org/2024/second-story/",
        "https://news.example.org/2024/third-story/",
    ]
    assert "links" not in followed.extraction  # not a field of the record
    assert process_page(*args).links == []


def _article(title: str, links: list[str]) -> bytes:
    story = f"{title}: residents of the old city said deliveries resumed this week. " * 30
    anchors = "".join(f'<a href="{href}">{text}</a> ' for href, text in links)
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        '<meta property="og:type" content="article"><meta property="article:published_time" '
        f'content="2024-05-02T09:00:00+00:00"></head><body><article><h1>{title}</h1>'
        f"<p>{story}</p></article><aside>{anchors}</aside></body></html>"
    ).encode()


def test_a_crawl_follows_the_article_links_its_workers_read(tmp_path):
    """Article A is in the feed; B only linked from A, C only from B: all three are
    archived, and the print button, the mail link and the tag page are never requested."""
    requested: list[str] = []
    related = [("/tag/bread/", "Bread"), ("window.print()", "Print"), ("mailto:d@x.org", "Mail")]
    pages = {
        "/2024/story-a/": _article("Bread again", [("/2024/story-b/", "Flour"), *related]),
        "/2024/story-b/": _article("Flour arrives", [("/2024/story-c/#top", "Ovens"), *related]),
        "/2024/story-c/": _article("Ovens relit", related),
    }

    class Site(Handler):
        def do_GET(self):  # noqa: N802 - http.server API
            requested.append(self.path)
            base = f"http://127.0.0.1:{self.server.server_port}"
            if self.path == "/feed.xml":
                body = (
                    '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
                    f"<item><title>A</title><link>{base}/2024/story-a/</link></item>"
                    "</channel></rss>"
                ).encode()
                return self.answer(200, body, "application/rss+xml")
            if self.path == "/robots.txt":
                return self.answer(200, b"User-agent: *\nDisallow:\n", "text/plain")
            if self.path in pages:
                return self.answer(200, pages[self.path], "text/html; charset=utf-8")
            return self.answer(404, b"not here", "text/plain")

    with serving(Site) as base:
        result = _crawl(tmp_path, base)
    assert result.returncode == 0, result.stderr[-3000:]
    with sqlite3.connect(tmp_path / "a.db") as db:
        urls = {row[0] for row in db.execute("SELECT url FROM articles")}
    assert urls == {f"{base}{path}" for path in pages}
    assert not [p for p in requested if "print" in p or "mailto" in p or "/tag/" in p]
    assert sorted(p for p in requested if p in pages) == sorted(pages)  # each once


def _crawl(tmp_path: Path, base: str) -> subprocess.CompletedProcess:
    """`newsarchive crawl` of a source of ``base`` whose article pattern is loose."""
    (tmp_path / "sources.toml").write_text(
        f'[bakery]\nname = "Bakery News"\nhomepage = "{base}/"\nlanguage = "en"\n'
        f'feeds = ["{base}/feed.xml"]\n'
        "article_pattern = '/2024/'\n",  # a loose pattern: window.print() would match
        encoding="utf-8",
    )
    return newsarchive(
        tmp_path,
        *NO_DELAY,
        *("-s", "NEWSARCHIVE_EXTRACT_WORKERS=1"),
        *("crawl", "bakery", "--sources", "sources.toml", "--db", "a.db"),
    )
