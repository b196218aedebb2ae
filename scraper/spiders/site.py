"""Site spider: the whole source, from its feeds, sitemaps and paginated listings.

Backfill walks each listing page by page (the registry's pagination pattern)
and the sitemaps (Scrapy's own sitemap parser), down to ``since``: a listing
stops at the first page whose last (oldest) item is older, and sitemap entries
whose lastmod is older are skipped. An interrupted backfill resumes: what it
archived is not fetched again. In new-only mode a listing also stops at
the first page that holds only archived articles (the cheap catch-up crawl).
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from lxml import html as lxml_html
from scrapy.http import Request, Response
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap

from archive.store import Archive
from archive.urls import canonicalize, fetch_url
from scraper.extract.classify import could_be_article_url
from scraper.extract.dates import parse_date
from scraper.items import FailureItem, LinkItem, ListingProgressItem, PageReadItem
from scraper.seen import SeenUrls
from scraper.spiders.feed import FeedSpider

# Date-looking text inside a listing item: "Friday May 6th, 2022", "2024-05-06", "6 أيار 2022".
_DATE_TEXT = re.compile(
    r"(\d{4}-\d{2}-\d{2}|[A-Z][a-z]+\.? \d{1,2}(?:st|nd|rd|th)?,? \d{4}|"
    r"\d{1,2}(?:st|nd|rd|th)? [A-Z][a-z]+\.? \d{4}|[\d٠-٩]{1,2} [\u0600-\u06ff ]{2,14} [\d٠-٩]{4})"
)
_MAX_ANCESTORS = 4
# What ItemDates keeps for an ancestor without a date: look further up.
_NO_DATE = object()
# The frontier's "via" of a sitemap that a sitemap index lists.
SITEMAP_PAGE = "sitemap page"


class ItemDates:
    """The date printed next to each link of one listing page: a <time datetime> or date
    text in the link's item, the nearest of its first few ancestors that holds one.

    Each ancestor is read once for the whole page (memoised per node), so a page of n
    links costs about n reads of small items plus one of each shared container, where
    reading every link's ancestors afresh took the text of the whole list once per link:
    quadratic, minutes for a listing of a few thousand links.
    """

    def __init__(self) -> None:
        # Node -> its date (None when what it holds is unreadable), or _NO_DATE.
        self._found: dict[object, object] = {}

    def of(self, link) -> object:
        """The date printed beside ``link`` (an lxml element), or None."""
        node = link
        for _ in range(_MAX_ANCESTORS):
            node = node.getparent()
            if node is None:
                return None
            found = self._date_in(node)
            if found is not _NO_DATE:
                return found
        return None

    def _date_in(self, node) -> object:
        if node not in self._found:
            times = node.xpath(".//time/@datetime")
            if times:
                self._found[node] = parse_date(times[0])
            else:
                match = _DATE_TEXT.search(node.text_content())
                self._found[node] = parse_date(match.group(1)) if match else _NO_DATE
        return self._found[node]


class SiteSpider(FeedSpider):
    """Crawls a source's feeds, sitemaps and listings (backfill down to ``since``)."""

    name = "site"
    always_new_only = False
    # A full crawl also finds articles through "Related articles" links; a backfill
    # with --since does not (such links carry no date to stop at).
    follow_article_links = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.listing_seen: dict[str, SeenUrls] = {}  # article URLs shown so far, per listing
        # Listings an interrupted backfill left unfinished: the last page it reached.
        self.resume_until: dict[str, int] = {}
        # Resuming an interrupted run: (last page, completed) of each listing it walked.
        self.listings_walked: dict[str, tuple[int, bool]] = {}

    def load_state(self, archive: Archive) -> None:
        super().load_state(archive)
        if self.resumed_from:
            self.listings_walked = archive.listings_walked(
                self.source_id, self.since_key, self.resumed_from
            )
        self.resume_until = archive.unfinished_listings(self.source_id, self.since_key)
        self.resuming = bool(self.resume_until)
        if self.resuming:
            self.logger.info("%s: resuming an interrupted backfill", self.source_id)

    @property
    def since_key(self) -> str | None:
        return self.since.date().isoformat() if self.since else None

    def resume_requests(self):
        """Also the sitemaps of an index the interrupted run read and they did not get to."""
        pages = [link for link in self.resume_links if link["via"] == SITEMAP_PAGE]
        self.resume_links = [link for link in self.resume_links if link["via"] != SITEMAP_PAGE]
        for link in pages:
            if link["url"] not in self.read_pages:
                yield self.sitemap_request(link["url"])
        yield from super().resume_requests()

    async def start(self):
        for output in self.resume_requests():
            yield output
        for request in self.feed_requests():
            yield request
        for url in self.source.sitemaps:
            if url not in self.read_pages:
                yield self.sitemap_request(url)
        for listing in self.source.listings:
            page, completed = self.listings_walked.get(listing, (0, False))
            if not completed:  # pages an interrupted run walked gave their links already
                yield self.listing_request(listing, page + 1)

    # -- sitemaps -------------------------------------------------------------------------

    def sitemap_request(self, url: str) -> Request:
        return Request(
            url, callback=self.parse_sitemap, errback=self.on_error, meta={"stage": "sitemap"}
        )

    def parse_sitemap(self, response: Response):
        body = response.body
        if body[:2] == b"\x1f\x8b":
            # A .xml.gz file (not a Content-Encoding, which Scrapy inflates within the limit):
            # inflated within DOWNLOAD_MAXSIZE too, or a small bomb fills the memory.
            limit = self.settings.getint("DOWNLOAD_MAXSIZE")  # bytes
            try:
                body = gunzip(body, max_size=limit)
            except ValueError:
                reason = "unreadable sitemap: larger than the size limit once uncompressed"
                yield FailureItem(self.source_id, response.url, "sitemap", f"{reason} ({limit})")
                return
            except (OSError, EOFError) as exc:
                reason = f"unreadable sitemap: not valid gzip ({exc})"
                yield FailureItem(self.source_id, response.url, "sitemap", reason)
                return
        try:
            sitemap = Sitemap(body)
        except Exception as exc:  # lxml raises several types on garbage
            yield FailureItem(self.source_id, response.url, "sitemap", f"unreadable sitemap: {exc}")
            return
        for entry in sitemap:
            loc = entry.get("loc")
            if not loc:
                continue
            lastmod = parse_date(entry.get("lastmod"))
            if self.older_than_since(lastmod):
                continue
            if sitemap.type == "sitemapindex":
                if loc not in self.read_pages:
                    # In the frontier: a kill after the index is marked read still reads it.
                    yield LinkItem(self.source_id, loc, SITEMAP_PAGE)
                    yield self.sitemap_request(loc)
            else:
                yield from self.article_requests(loc, {"lastmod": entry.get("lastmod")}, "sitemap")
        yield PageReadItem(self.source_id, response.url)

    # -- listings -------------------------------------------------------------------------

    def listing_request(self, listing: str, page: int) -> Request:
        return Request(
            self.source.listing_page(listing, page),
            callback=self.parse_listing,
            errback=self.on_error,
            cb_kwargs={"listing": listing, "page": page},
            # The page after the last one is a 404 on WordPress: the normal end of a listing.
            meta={"stage": "listing", "handle_httpstatus_list": [404]},
        )

    def parse_listing(self, response: Response, listing: str, page: int):
        if response.status == 404 or not hasattr(response, "text"):
            yield self.progress(listing, page, completed=True)
            return
        refused: list[tuple[str, str]] = []
        links = self.listing_links(response, refused)
        for url, problem in refused:
            yield from self.refuse(url, problem)
        # A page that shows no article the listing's earlier pages did not is past the
        # end: pagers that answer 200 there (Drupal's ?page=N) still print the sidebars.
        seen = self.listing_seen.setdefault(listing, SeenUrls())
        fresh = {key for url, _when in links if (key := canonicalize(url)) not in seen}
        for key in fresh:
            seen.add(key)
        if not fresh:
            yield self.progress(listing, page, completed=True)
            return
        # Pages an interrupted backfill already walked: only what it did not archive.
        resuming = page <= self.resume_until.get(listing, 0)
        dates = [when for _url, when in links if when is not None]
        # Listings run newest first, so once the page's last (oldest) item is older
        # than `since`, so is every later page. (The last, not the first: sticky
        # posts pinned at the top of a page may be old.)
        reached_since = bool(dates) and self.older_than_since(dates[-1])
        all_known = all(canonicalize(url) in self.known for url, _when in links)
        for url, when in links:
            if self.older_than_since(when):
                continue
            yield from self.article_requests(url, {}, "listing", skip_known=resuming)
        last = page >= self.settings.getint("NEWSARCHIVE_MAX_LISTING_PAGES")
        if reached_since or (self.new_only and all_known and not resuming) or last:
            self.logger.info("%s: listing %s stops at page %d", self.source_id, listing, page)
            yield self.progress(listing, page, completed=True)
            return
        yield self.progress(listing, page, completed=False)
        yield self.listing_request(listing, page + 1)

    def progress(self, listing: str, page: int, completed: bool) -> ListingProgressItem:
        return ListingProgressItem(self.source_id, listing, self.since_key, page, completed)

    def listing_links(
        self, response: Response, refused: list | None = None
    ) -> list[tuple[str, object]]:
        """Article links on a listing page, each with the date printed beside it; story
        links outside the crawl scope go to ``refused`` as (url, problem) instead."""
        tree = lxml_html.fromstring(response.text)
        seen: dict[str, object] = {}
        dates = ItemDates()
        for link in tree.xpath("//a[@href]"):
            try:
                url = urljoin(response.url, link.get("href").strip())
                candidate = fetch_url(url)
            except ValueError:
                continue  # an unusable link on a listing is not a story link
            if url in seen:
                continue
            if self.source.is_article_url(candidate) and (
                self.source.article_pattern or could_be_article_url(candidate)
            ):
                problem = self.scope.problem(candidate)
                if problem is None:
                    seen[url] = dates.of(link)
                elif refused is not None:
                    refused.append((url, problem))
        return list(seen.items())
