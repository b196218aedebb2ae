"""A news site made of real article pages: the public corpora's pages, served as one outlet.

The built-in sources' offline copies were written beside their rules, so they
cannot show how the crawler meets an outlet it has never seen. This module
lays out the corpora's real pages (tests/corpora: fundus, newspaper4k,
readability, trafilatura-eval; see benchmarks.corpus) as the site of an
outlet with no rules at all: each page at ``/<yyyy>/<mm>/<slug>/``, an RSS
feed of the latest entries, a sitemap index with its chunks, paginated
listings from the home page, and robots.txt naming the sitemap. The pages are
served unchanged, so their own canonical links, menus and links to the
original sites stay as they were.

The layout is a site copy (scraper.offline.server.SiteCopy: site.toml + www/),
served over plain http by MirrorServer on the port the URLs name. For the
scale benchmark, ``copies`` repeats the corpus with every copy's paragraphs
reworded (a deterministic word substitution per copy), so copies are neither
duplicates nor near-duplicates of each other.

Standard library and lxml (already a dependency) only.
"""

from __future__ import annotations

import random
import re
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

from lxml import html as lxml_html

from benchmarks.corpus import Case

__all__ = ["CorpusArticle", "CorpusSite", "build_corpus_site", "free_port"]

FEED_SIZE = 30
LISTING_SIZE = 20
SITEMAP_CHUNK = 1000
# Words that replace every fourth word of a copy's paragraphs (see _reword).
_VOCABULARY = (
    "river harbour council winter market village bridge railway school clinic bakery "
    "orchard mountain valley station library factory garden museum convoy border "
    "harvest festival parliament district province workshop tunnel airport stadium"
).split()
_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class CorpusArticle:
    url: str  # the address the site serves it at
    path: str
    case: Case
    copy: int
    published: datetime


@dataclass(frozen=True)
class CorpusSite:
    root: Path  # a site copy folder: site.toml and www/
    base_url: str  # http://127.0.0.1:PORT
    articles: list[CorpusArticle]

    @property
    def feed_url(self) -> str:
        return f"{self.base_url}/feed.xml"

    @property
    def sitemap_url(self) -> str:
        return f"{self.base_url}/sitemap.xml"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def build_corpus_site(
    root: Path, port: int, cases: list[Case], *, copies: int = 1, name: str = "Corpus News"
) -> CorpusSite:
    """Write the site into ``root`` (created) for serving on 127.0.0.1:``port``."""
    base = f"http://127.0.0.1:{port}"
    www = root / "www"
    www.mkdir(parents=True, exist_ok=True)
    start = datetime(2024, 1, 1, 8, 0, tzinfo=timezone.utc)
    articles: list[CorpusArticle] = []
    for copy in range(copies):
        for case in cases:
            n = len(articles)
            published = start + timedelta(hours=6 * n)
            slug = _SLUG.sub("-", f"{case.set_name}-{case.case_id}".lower()).strip("-")[:80]
            if copy:
                slug += f"-{copy}"
            path = f"/{published:%Y}/{published:%m}/{slug}/"
            page = case.html if copy == 0 else _reword(case.html, copy)
            target = www / path.strip("/") / "index.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(page, encoding="utf-8")
            articles.append(CorpusArticle(base + path, path, case, copy, published))
    newest = sorted(articles, key=lambda a: a.published, reverse=True)
    (www / "feed.xml").write_text(_feed(base, name, newest[:FEED_SIZE]), encoding="utf-8")
    _sitemaps(www, base, newest)
    _listings(www, base, name, newest)
    (www / "robots.txt").write_text(
        f"User-agent: *\nDisallow: /private/\n\nSitemap: {base}/sitemap.xml\n", encoding="utf-8"
    )
    (root / "site.toml").write_text(
        '# A site of real article pages (benchmarks/corpus_site.py).\nhost = "127.0.0.1"\n'
        'scheme = "http"\n\n[routes."/feed.xml"]\nfile = "feed.xml"\n'
        'content_type = "application/rss+xml; charset=utf-8"\n',
        encoding="utf-8",
    )
    return CorpusSite(root, base, articles)


def _reword(page: str, copy: int) -> str:
    """The page with every fourth word of its paragraphs replaced, differently per copy."""
    # lxml refuses a str that declares its encoding (<?xml ... encoding=...?>): the page is
    # text already, so the declaration goes.
    tree = lxml_html.document_fromstring(re.sub(r"^\s*<\?xml[^>]*\?>", "", page))
    rng = random.Random(copy)
    for paragraph in tree.iter("p"):
        if paragraph.text:
            words = paragraph.text.split(" ")
            for i in range(copy % 4, len(words), 4):
                words[i] = rng.choice(_VOCABULARY)
            paragraph.text = " ".join(words)
    return lxml_html.tostring(tree, encoding="unicode", doctype="<!DOCTYPE html>")


def _title(case: Case) -> str:
    return (case.meta.get("title") or f"{case.set_name} {case.case_id}").strip()


def _feed(base: str, name: str, articles: list[CorpusArticle]) -> str:
    items = "".join(
        f"<item><title>{escape(_title(a.case))}</title><link>{escape(a.url)}</link>"
        f"<guid>{escape(a.url)}</guid><pubDate>{format_datetime(a.published)}</pubDate></item>\n"
        for a in articles
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
        f"<title>{escape(name)}</title><link>{base}/</link>"
        f"<description>Real article pages, served as one outlet</description>\n{items}"
        "</channel></rss>\n"
    )


def _sitemaps(www: Path, base: str, articles: list[CorpusArticle]) -> None:
    chunks = [articles[i : i + SITEMAP_CHUNK] for i in range(0, len(articles), SITEMAP_CHUNK)]
    index = []
    for n, chunk in enumerate(chunks, 1):
        urls = "".join(
            f"<url><loc>{escape(a.url)}</loc><lastmod>{a.published.isoformat()}</lastmod></url>\n"
            for a in chunk
        )
        (www / f"sitemap-{n}.xml").write_text(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{urls}</urlset>\n',
            encoding="utf-8",
        )
        index.append(f"<sitemap><loc>{base}/sitemap-{n}.xml</loc></sitemap>\n")
    (www / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{"".join(index)}'
        "</sitemapindex>\n",
        encoding="utf-8",
    )


def _listings(www: Path, base: str, name: str, articles: list[CorpusArticle]) -> None:
    """The home page and /page/N/: the newest articles first, LISTING_SIZE a page."""
    pages = [articles[i : i + LISTING_SIZE] for i in range(0, len(articles), LISTING_SIZE)]
    for n, chunk in enumerate(pages, 1):
        items = "".join(
            f'<li><a href="{a.path}">{escape(_title(a.case))}</a> '
            f'<time datetime="{a.published.isoformat()}">{a.published:%B %d, %Y}</time></li>\n'
            for a in chunk
        )
        older = f'<a rel="next" href="/page/{n + 1}/">Older</a>' if n < len(pages) else ""
        page = (
            f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(name)}'
            f'</title><link rel="alternate" type="application/rss+xml" href="{base}/feed.xml">'
            f"</head><body><h1>{escape(name)}</h1><ul>\n{items}</ul>{older}</body></html>\n"
        )
        target = www / "index.html" if n == 1 else www / "page" / str(n) / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page, encoding="utf-8")
