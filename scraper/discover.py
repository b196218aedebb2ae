"""`newsarchive sources add URL`: find what a news site offers and write its registry entry.

From the homepage (fetched by Scrapy, like every request the project makes, so
robots.txt, the user agent and the crawl scope's address checks apply) it finds:

- feeds: the page's ``<link rel="alternate">`` and feed-looking links
  (trafilatura.feeds.determine_feed, the maintained feedfinder), else the
  usual paths (/feed/, /rss, /atom.xml, ...), each checked with feedparser;
- sitemaps: robots.txt ``Sitemap:`` lines, else /sitemap.xml,
  /sitemap_index.xml, /wp-sitemap.xml, /news-sitemap.xml (Scrapy's sitemap
  parser), following an index one level down to sample article URLs;
- the language (``<html lang>``, else detected from the feed's titles);
- listings: the home page and its sections when they page on with a
  recognisable pager (``page/2/``, ``?page=2``);
- an article URL pattern inferred from the feed's and sitemaps' article
  links (:func:`infer_article_pattern`), written against the addresses as
  the site serves them.

It prints what it found and warns about what it did not, and the entry it
writes is validated by the registry's own loader before it is saved.
"""

from __future__ import annotations

import json
import multiprocessing
import re
from collections import Counter
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import feedparser
import scrapy
from lxml import html as lxml_html
from scrapy.http import Request, Response
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots
from trafilatura.feeds import FeedParameters, determine_feed

from archive.record import language_base
from archive.urls import host_key
from scraper.extract.classify import could_be_article_url
from scraper.extract.metadata import detect_language
from scraper.sources import SOURCE_ID, parse_source, tomllib

__all__ = ["Discovery", "discover", "infer_article_pattern", "registry_entry"]

FEED_PATHS = (
    "/feed/",
    "/feed",
    "/rss",
    "/rss.xml",
    "/atom.xml",
    "/index.xml",
    "/feeds/posts/default",
)
SITEMAP_PATHS = ("/sitemap.xml", "/sitemap_index.xml", "/wp-sitemap.xml", "/news-sitemap.xml")
# Child sitemaps of an index worth sampling first: the ones that list posts.
_POSTS_SITEMAP = re.compile(r"post|news|article|story|stories|\d{4}", re.IGNORECASE)
_MAX_CHILD_SITEMAPS = 3
_MAX_SECTIONS = 8
_SECTION_LINK = re.compile(r"/(category|section|sections|topics?|news)/[^/?#]+/?$", re.IGNORECASE)
# A pattern must match this share of the article links it was inferred from.
_MIN_COVERAGE = 0.8


@dataclass
class Discovery:
    """What a site offers, as found by :func:`discover`."""

    homepage: str
    name: str | None = None
    language: str | None = None
    feeds: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    listings: list[str] = field(default_factory=list)
    pagination: str | None = None
    article_links: list[str] = field(default_factory=list)
    article_pattern: str | None = None
    notes: list[str] = field(default_factory=list)  # what was looked for and not found


def infer_article_pattern(urls: Iterable[str]) -> str | None:
    """A regular expression for article URLs like these, or None when they share no shape.

    URLs are grouped by host and path shape (number of segments, trailing slash);
    within a shape, a segment that is the same everywhere stays literal, one
    made of digits becomes ``\\d{n}`` or ``\\d+``, a slug becomes ``[^/]+`` (with
    its common extension kept, ``[^/]+\\.html``). Shapes that cover at least a
    tenth of the URLs are joined; the result must match most of them.
    """
    urls = [u for u in dict.fromkeys(urls) if urlsplit(u).scheme in ("http", "https")]
    if not urls:
        return None
    origins = Counter(f"{urlsplit(u).scheme}://{urlsplit(u).netloc}" for u in urls)
    origin = origins.most_common(1)[0][0]
    paths = [urlsplit(u).path for u in urls if u.startswith(origin + "/")]
    shapes: dict[tuple[int, bool], list[list[str]]] = {}
    for path in paths:
        segments = [s for s in path.split("/") if s]
        if segments:
            shapes.setdefault((len(segments), path.endswith("/")), []).append(segments)
    alternatives = []
    for (_, slash), members in sorted(shapes.items(), key=lambda kv: -len(kv[1])):
        if len(members) < max(2, len(paths) / 10):
            continue
        parts = [_segment_pattern([m[i] for m in members]) for i in range(len(members[0]))]
        alternatives.append("/".join(parts) + ("/" if slash else ""))
        if len(alternatives) == 3:
            break
    if not alternatives:
        return None
    host = re.escape(origin)
    if "://www." in origin:
        host = host.replace("www\\.", "(www\\.)?", 1)
    body = alternatives[0] if len(alternatives) == 1 else f"(?:{'|'.join(alternatives)})"
    pattern = f"^{host}/{body}$"
    matched = sum(bool(re.search(pattern, u)) for u in urls)
    return pattern if matched >= _MIN_COVERAGE * len(urls) else None


def _segment_pattern(values: list[str]) -> str:
    # Numbers first, even when they are all the same: a year or an id will change.
    if all(v.isdigit() for v in values):
        # A year or a month keeps its width; ids grow.
        lengths = {len(v) for v in values}
        return rf"\d{{{lengths.pop()}}}" if lengths in ({2}, {4}) else r"\d+"
    if len(set(values)) == 1 and len(values) > 1:
        return re.escape(values[0])
    suffixes = {v.rsplit(".", 1)[1] for v in values if "." in v}
    if len(suffixes) == 1 and all("." in v for v in values):
        return rf"[^/]+\.{re.escape(suffixes.pop())}"
    return "[^/]+"


class DiscoverSpider(scrapy.Spider):
    """Fetches a homepage, robots.txt and candidate feeds and sitemaps; fills ``found``."""

    name = "discover"

    def __init__(self, url: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.start_url = url
        self.found = Discovery(homepage=url)
        self.feed_titles: list[str] = []
        self.sitemap_articles: list[str] = []

    async def start(self):
        yield Request(self.start_url, callback=self.parse_home, errback=self.on_error)

    def on_error(self, failure) -> None:
        from scraper.failures import describe_failure

        reason, _status = describe_failure(failure)
        self.found.notes.append(f"{failure.request.url}: {reason}")

    def parse_home(self, response: Response):
        found = self.found
        found.homepage = response.url
        base = response.url
        text = getattr(response, "text", "")
        tree = lxml_html.fromstring(text or "<html/>")
        found.language = language_base(tree.get("lang"))
        site_name = tree.xpath('string(//meta[@property="og:site_name"]/@content)').strip()
        title = tree.xpath("string(//title)").strip()
        found.name = site_name or re.split(r"\s[|–—-]\s", title)[0].strip() or None
        host = urlsplit(base).hostname or ""
        params = FeedParameters(base, host, base)
        feeds = [f for f in determine_feed(text, params) if _same_host(f, base)]
        for url in feeds or [urljoin(base, p) for p in FEED_PATHS]:
            yield Request(url, callback=self.parse_feed, errback=self.on_error, dont_filter=True)
        yield Request(
            urljoin(base, "/robots.txt"), callback=self.parse_robots, errback=self.robots_missing
        )
        yield from self.listing_requests(response, tree)

    def listing_requests(self, response: Response, tree):
        """The home page and section pages that link to a second page."""
        sections = []
        for href in tree.xpath("//a/@href"):
            url = urljoin(response.url, href)
            if _same_host(url, response.url) and _SECTION_LINK.search(urlsplit(url).path):
                sections.append(url)
        for url in [response.url, *list(dict.fromkeys(sections))[:_MAX_SECTIONS]]:
            yield Request(url, callback=self.parse_listing, dont_filter=True, errback=self.on_error)

    def parse_listing(self, response: Response):
        tree = lxml_html.fromstring(getattr(response, "text", "") or "<html/>")
        for href in tree.xpath('//a[@rel="next"]/@href | //link[@rel="next"]/@href'):
            pagination = _pagination(response.url, urljoin(response.url, href))
            if pagination:
                self.found.listings.append(response.url)
                self.found.pagination = self.found.pagination or pagination
                return

    def parse_feed(self, response: Response):
        parsed = feedparser.parse(
            response.body, response_headers={"content-location": response.url}
        )
        links = [urljoin(response.url, e.get("link", "")) for e in parsed.entries if e.get("link")]
        if links:
            self.found.feeds.append(response.url)
            self.found.article_links += links
            self.feed_titles += [e.get("title", "") for e in parsed.entries]

    def robots_missing(self, failure):
        self.on_error(failure)
        yield from self.sitemap_guesses(failure.request.url)

    def parse_robots(self, response: Response):
        listed = list(sitemap_urls_from_robots(response.body, base_url=response.url))
        if listed:
            for url in listed:
                yield self.sitemap_request(url)
        else:
            yield from self.sitemap_guesses(response.url)

    def sitemap_guesses(self, base: str):
        for path in SITEMAP_PATHS:
            yield self.sitemap_request(urljoin(base, path), guess=True)

    def sitemap_request(self, url: str, guess: bool = False, child: bool = False) -> Request:
        return Request(
            url,
            callback=self.parse_sitemap,
            errback=None if guess else self.on_error,
            cb_kwargs={"child": child},
            dont_filter=True,
        )

    def parse_sitemap(self, response: Response, child: bool):
        body = response.body
        if body[:2] == b"\x1f\x8b":
            body = gunzip(body)
        try:
            sitemap = Sitemap(body)
        except Exception:  # not XML at all: a guessed path that answers an HTML page
            return
        locs = [entry["loc"] for entry in sitemap if entry.get("loc")]
        if not child:
            self.found.sitemaps.append(response.url)
        if sitemap.type == "sitemapindex":
            ranked = sorted(locs, key=lambda u: not _POSTS_SITEMAP.search(u))
            for url in ranked[:_MAX_CHILD_SITEMAPS]:
                yield self.sitemap_request(url, child=True)
        else:
            self.sitemap_articles += [u for u in locs if could_be_article_url(u)]

    def closed(self, reason: str) -> None:
        found = self.found
        found.feeds = list(dict.fromkeys(found.feeds))
        found.sitemaps = list(dict.fromkeys(found.sitemaps))
        found.listings = list(dict.fromkeys(found.listings))
        found.article_links = list(dict.fromkeys(found.article_links + self.sitemap_articles))
        found.article_pattern = infer_article_pattern(found.article_links)
        if not found.language:
            found.language = (
                detect_language(" ".join(self.feed_titles)) if self.feed_titles else None
            )


def _same_host(url: str, base: str) -> bool:
    host = host_key(url)
    return bool(host) and host == host_key(base)


def _pagination(listing: str, second: str) -> str | None:
    """The registry's pagination pattern that turns ``listing`` into its page 2 ``second``."""
    for pattern in ("{listing}page/{n}/", "{listing}?page={n}", "{listing}?page={n0}"):
        if pattern.format(listing=listing, n=2, n0=1) == second:
            return pattern
    if not listing.endswith("/") and f"{listing}/page/2/" == second:
        return "{listing}/page/{n}/"
    return None


def _discover_in_child(url: str, settings: dict) -> Discovery:
    from scrapy.crawler import CrawlerProcess

    process = CrawlerProcess(settings)
    crawler = process.create_crawler(DiscoverSpider)
    process.crawl(crawler, url=url)
    process.start()
    return crawler.spider.found


def discover(url: str, settings: dict) -> Discovery:
    """Run the discovery in a fresh process (Twisted's reactor cannot restart)."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(1, mp_context=context) as pool:
        found = pool.submit(_discover_in_child, url, settings).result()
    for what, have in (
        ("a feed", found.feeds),
        ("a sitemap", found.sitemaps),
        ("listings with a pager", found.listings),
        ("an article URL pattern", found.article_pattern),
        ("the language", found.language),
    ):
        if not have:
            found.notes.append(f"found no {what}")
    return found


def default_id(homepage: str) -> str:
    """A registry id from the site's host: "english.enabbaladi.net" -> "english-enabbaladi"."""
    parts = urlsplit(homepage)
    host = host_key(homepage) or "site"
    labels = host.split(".")
    if len(labels) > 1 and not host.replace(".", "").isdigit():
        labels = labels[:-1]  # the top-level domain says nothing
    name = "-".join(labels) + (f"-{parts.port}" if parts.port else "")
    name = re.sub(r"[^a-z0-9-]+", "-", name.lower()).strip("-")
    return name if SOURCE_ID.match(name) else f"site-{name}"


def registry_entry(source_id: str, found: Discovery) -> str:
    """The registry table (TOML) for a discovered site."""
    lines = [f"[{source_id}]", f"name = {json.dumps(found.name or source_id, ensure_ascii=False)}"]
    lines.append(f"homepage = {json.dumps(found.homepage)}")
    lines.append(f"language = {json.dumps(found.language or 'en')}")
    for key in ("feeds", "sitemaps", "listings"):
        values = getattr(found, key)
        if values:
            lines.append(f"{key} = [{', '.join(json.dumps(v) for v in values)}]")
    if found.listings and found.pagination:
        lines.append(f"pagination = {json.dumps(found.pagination)}")
    if found.article_pattern:
        # A literal string: regexes keep their backslashes as written.
        lines.append(f"article_pattern = '{found.article_pattern}'")
    return "\n".join(lines) + "\n"


def check_entry(text: str, where: str | Path) -> None:
    """Validate an entry with the registry's own loader (SourceConfigError when wrong)."""
    for source_id, table in tomllib.loads(text).items():
        parse_source(where, source_id, table)
