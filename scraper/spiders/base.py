"""What the feed and site spiders share: the source, known URLs, article requests, errors.

Spiders are generic and driven by the registry: a spider is told a source id
(`-a source=ID`, or by the registry spider loader which makes one spider per
source) and reads feeds, sitemaps, listings and URL patterns from its entry.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Container, Iterable
from datetime import datetime
from typing import Any
from urllib.parse import urldefrag

import scrapy
from scrapy.http import Request, Response, TextResponse
from twisted.python.failure import Failure

from archive.clock import parse_user_date, utcnow
from archive.reads import ArchivedUrls
from archive.store import Archive
from archive.urls import alias_kind, canonicalize, fetch_url
from scraper.charset import declared_encoding
from scraper.extract.classify import could_be_article_url
from scraper.failures import describe_exception, describe_failure
from scraper.follow import LinkFollowing
from scraper.items import AliasItem, FailureItem, LinkItem, PageItem
from scraper.middlewares import Blocked, NotFollowed, OutOfScope
from scraper.scope import CrawlScope
from scraper.seen import SeenUrls
from scraper.sources import Source, load_registry, source_by_id

REDIRECTS = [301, 302, 303, 307, 308]
# The frontier's "via" of an alias found by a run (its hints: canonical, kind).
ALIAS = "alias"


class SourceSpider(scrapy.Spider):
    """Base for spiders that work on one registry source."""

    source_id: str = ""
    always_new_only = False
    custom_settings: dict[str, Any] = {}

    def __init__(
        self,
        source: str | None = None,
        since: str | None = None,
        new_only: str | bool = False,
        sources_file: str | None = None,
        *args,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.source_id = source or self.source_id
        # A typo in --since must stop the crawl, never start an unbounded backfill.
        self.since = parse_user_date(since).start() if since else None
        self.new_only = self.always_new_only or str(new_only).lower() in ("1", "true", "yes")
        self.sources_file = sources_file
        self.source: Source | None = None
        # What the source had archived when the run began (archive.reads.ArchivedUrls).
        self.known: Container[str] = set()
        # Resuming an interrupted backfill: what it archived is not fetched again.
        self.resuming = False
        self.requested = SeenUrls()  # canonical URLs of the articles requested this run
        self.requested_at = SeenUrls()  # the addresses requested: no alias of the article
        # The depth of each followed link (2 and more), by canonical URL: a feed, sitemap
        # or listing that lists the article too lowers it, so that the follow budget
        # never drops an article they list (scraper.follow). Kept here, not in the queued
        # request's meta: a request waiting on disk is a copy (scraper.request_queue).
        self.followed: dict[str, int] = {}
        # Resuming an interrupted run: when it began, the articles it already handled
        # (canonical URLs), the links it found and the discovery pages it read.
        self.resumed_from: str | None = None
        self.handled: set[str] = set()
        self.resume_links: list[dict] = []
        self.read_pages: set[str] = set()
        # Reasons already recorded in this run (refusals, blocks): once each.
        self.refused: set[str] = set()
        self.resumed_aliases: set[str] = set()  # in the frontier already
        # Article pages an earlier run fetched and did not get to store: stored by this one.
        self.held_pages: list[tuple[int, dict, bytes]] = []
        # Redirects seen this run: canonical URL -> (canonical target, target as fetched).
        self.redirected: dict[str, tuple[str, str]] = {}
        self.scope: CrawlScope | None = None
        self.following: LinkFollowing | None = None

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        files = list(crawler.settings.getlist("NEWSARCHIVE_SOURCES"))
        if spider.sources_file:
            files.append(spider.sources_file)
        registry = load_registry(files)
        spider.source = source_by_id(registry, spider.source_id)
        mirrored = set(crawler.settings.getdict("NEWSARCHIVE_MIRRORS"))
        spider.scope = CrawlScope(spider.source, trusted_hosts=mirrored)
        spider.following = LinkFollowing.from_settings(crawler.settings)
        with Archive(crawler.settings.get("NEWSARCHIVE_DB")) as archive:
            spider.load_state(archive)
        return spider

    def closed(self, reason: str) -> None:
        """At the end of the crawl (Scrapy calls it): the connection that answers
        ``known`` is closed."""
        if isinstance(self.known, ArchivedUrls):
            self.known.close()

    def load_state(self, archive: Archive) -> None:
        """Read what this spider needs from the archive, once, before it starts.

        A run of the same kind that was interrupted (killed, stopped) is resumed:
        what it already fetched, archived or saw fail is not fetched again.
        """
        # A poll does not fetch again what was no article (a notice in the feed).
        not_articles = archive.not_article_urls(self.source_id) if self.new_only else ()
        self.known = archive.archived_urls(self.source_id, {canonicalize(u) for u in not_articles})
        archive.close_dead_runs()
        self.held_pages = archive.held_pages(self.source_id)
        for _held, fetch, _body in self.held_pages:
            self.handled |= {canonicalize(fetch["url"]), canonicalize(fetch["requested_url"])}
        kind = self.settings.get("NEWSARCHIVE_RUN_KIND", "crawl")
        since = archive.resumable_since(self.source_id, kind)
        if since:
            self.resumed_from = since
            self.handled |= {canonicalize(u) for u in archive.handled_since(self.source_id, since)}
            self.resume_links, self.read_pages = archive.frontier(self.source_id, since)
            self.logger.info(
                "%s: resuming the %s interrupted at %s: %d pages handled, %d links to go",
                self.source_id,
                kind,
                since,
                len(self.handled),
                len(self.resume_links),
            )

    def resume_requests(self):
        """The pages an interrupted run fetched and did not store, the links it found and
        did not get to, and the aliases it found (recorded when a run ends: a killed run
        never got to it)."""
        for held, fetch, body in self.held_pages:
            yield PageItem.from_held(held, fetch, body)
        self.held_pages = []
        for link in self.resume_links:
            if link["via"] == ALIAS:
                self.resumed_aliases.add(link["url"])
                yield AliasItem(self.source_id, link["url"], **link["hints"])
                continue
            for output in self.article_requests(
                link["url"], link["hints"], link["via"], seen_as=link["seen_as"]
            ):
                if not isinstance(output, LinkItem):  # (a LinkItem is in the frontier already)
                    yield output

    # -- articles -------------------------------------------------------------------------

    def article_requests(
        self,
        link: str,
        hints: dict | None = None,
        via: str = "other",
        skip_known: bool = False,
        depth: int = 1,
        seen_as: Iterable[tuple[str, str]] = (),
    ):
        """A request for an article link, or nothing when it should not be fetched.

        The request goes to the address the site gives (its scheme, its host),
        without fragment, tracking parameters or AMP suffix (archive.urls.fetch_url);
        the source's article pattern is matched against that address. The
        canonical URL only says which article it is: the link becomes an alias
        (an AliasItem when the article is already archived or requested). In
        new-only mode (or with ``skip_known``) archived articles are skipped;
        each article is fetched once per run. ``depth`` is how many links the page
        is from a feed, sitemap or listing (scraper.follow). ``seen_as``: the other
        addresses the link was found at (a resumed run's frontier keeps them), aliases
        like the link itself.
        """
        link = urldefrag(link)[0]  # "#content" skip links are the same page, not an alias
        url = fetch_url(link)
        if not self.source.is_article_url(url):
            return
        # Without a pattern, a feed's or sitemap's entries are articles by their own
        # say; a link on a page must at least look like one (not a tag page or a menu).
        if not self.source.article_pattern and via not in ("feed", "sitemap", "redirect"):
            if not could_be_article_url(url):
                return
        problem = self.scope.problem(url)
        if problem:
            yield from self.refuse(link, problem)
            return
        canonical = canonicalize(url)
        if canonical in self.followed:
            self.followed[canonical] = min(self.followed[canonical], depth)
        skip_known = skip_known or self.new_only or self.resuming
        if (
            canonical in self.requested
            or canonical in self.handled
            or (skip_known and canonical in self.known)
        ):
            self.crawler.stats.inc_value("newsarchive/skipped_known")
            # Requested already (a resumed run may reach a link of its frontier after
            # the same article linked from a page): its addresses are still aliases.
            for address, how in [(link, via), *seen_as]:
                # The address it was requested at is the record's own (or, redirected, a
                # redirect's alias): a sitemap and a listing that link it there, as most
                # sites do, give no alias.
                if address != canonical and address not in self.requested_at:
                    kind = alias_kind(address, canonical, how)
                    yield AliasItem(self.source_id, address, canonical, kind)
            return
        self.requested.add(canonical)
        self.requested_at.add(url)
        self.crawler.stats.inc_value("newsarchive/article_links")
        seen_as = [*([(link, via)] if link != url else []), *seen_as]
        yield LinkItem(self.source_id, url, via, hints or {}, seen_as)
        request = Request(
            url,
            callback=self.parse_article,
            errback=self.on_error,
            cb_kwargs={"hints": hints or {}, "seen_as": list(seen_as)},
            # Deduplicated above, by canonical URL (``requested``), not again by Scrapy's
            # filter, whose copy of every fingerprint would double that memory; and a
            # link dropped as not followed stays free for a listing to request.
            dont_filter=True,
            # Redirects are followed here, not by Scrapy, so that a redirect to an
            # article fetched already still records the old URL as its alias.
            meta={
                "stage": "fetch",
                "dont_redirect": True,
                "handle_httpstatus_list": REDIRECTS,
                "link_depth": depth,
            },
        )
        if depth >= 2:
            self.followed[canonical] = depth
        yield request

    def link_depth(self, request: Request) -> int:
        """How many links the page of ``request`` is from a feed, sitemap or listing: the
        fewest of the links it was found by."""
        depth = request.meta.get("link_depth", 1)
        if depth >= 2:
            depth = min(depth, self.followed.get(canonicalize(request.url), depth))
        return depth

    # Whether to follow article links found on article pages ("Related articles").
    follow_article_links = False

    def parse_article(self, response: Response, hints: dict, seen_as: list) -> Any:
        if response.status in REDIRECTS:
            yield from self.follow_redirect(response, hints, seen_as)
            return
        if not_html := not_html_failure(self.source_id, response):
            yield not_html
            return
        request = response.request
        yield PageItem(
            source=self.source_id,
            url=response.url,
            requested_url=request.url if request else response.url,
            **fetched_page(response),
            fetched_at=utcnow(),
            request_headers=header_pairs(request.headers) if request else [],
            hints=hints,
            seen_as=seen_as,
            link_depth=self.link_depth(request) if request else 1,
        )

    @property
    def follows_page_links(self) -> bool:
        """Whether the article links of the pages fetched are followed (their extraction
        worker reads them: scraper.extract.links). Only where a pattern says what an
        article URL is: without one, a page's links (menus, tags, the original site's own
        paths) would send the crawl wandering; and not in a run bounded by ``since``."""
        return self.follow_article_links and not self.since and bool(self.source.article_pattern)

    async def follow_links(
        self,
        page: PageItem,
        links: Iterable[str],
        store: Callable[[Any], Awaitable[Any]],
        new_article: bool,
    ) -> None:
        """Follow the links of a stored page (absolute, as its extraction worker read them)
        unless the run's caps say otherwise (scraper.follow: the reason is recorded once):
        their requests go to the engine, their items (links, aliases, refusals) to
        ``store``, the item pipeline; a link that breaks is recorded, the others go on."""
        links = list(links)
        why_not = self.following.why_not(page.link_depth, new_article)
        if why_not:
            if links:
                self.crawler.stats.inc_value("newsarchive/links_not_followed", len(links))
                for output in self.refuse(page.url, why_not):
                    await store(output)
            return
        for link in links:
            try:
                outputs = list(self.article_requests(link, {}, "other", depth=page.link_depth + 1))
            except ValueError as exc:  # "http://[::1", an unparsable port, ...
                outputs = list(self.refuse(link, f"unusable link: {describe_exception(exc)}"))
            for output in outputs:
                if isinstance(output, Request):
                    self.crawler.engine.crawl(output)
                else:
                    await store(output)

    def follow_redirect(self, response: Response, hints: dict, seen_as: list):
        """Fetch the redirect's target (once per run); the redirected URL becomes its alias."""
        chain = [*response.meta.get("redirect_chain", []), canonicalize(response.url)]
        location = response.headers.get("Location")
        try:
            target = fetch_url(response.urljoin(location.decode("latin-1"))) if location else None
            key = canonicalize(target) if target else None
        except ValueError as exc:  # "Location: http://[::1" and the like
            reason = f"redirect to an unusable address: {describe_exception(exc)}"
            yield FailureItem(self.source_id, response.url, "fetch", reason, response.status)
            return
        # Both ends of a loop may be links of their own (two feed entries): the second
        # to answer closes the loop through the redirects this run has already seen.
        loop = None
        if key and key not in chain:
            loop = self.redirect_loop(chain[-1], response.url, key, target)
        too_many = len(chain) > self.settings.getint("REDIRECT_MAX_TIMES")
        if key is None or key in chain or loop or too_many:
            if key is None:
                reason = "redirect without Location"
            elif key in chain or loop:
                reason = "redirect loop: " + " -> ".join(loop or [*chain, key])
            else:
                reason = f"more than {len(chain) - 1} redirects"
            yield FailureItem(self.source_id, response.url, "fetch", reason, response.status)
            return
        # Handled too: a page an interrupted run fetched and held is stored by this run,
        # which does not request it again (article_requests below yields nothing for it).
        if key in self.requested or key in self.known or key in self.handled:
            yield AliasItem(self.source_id, response.url, key, "redirect")
        # Everything the target gives goes on: its refusal (a redirect off the site), its
        # frontier entry (a kill after this keeps the target), its request.
        depth = self.link_depth(response.request)
        for output in self.article_requests(target, hints, "redirect", depth=depth):
            if isinstance(output, Request):
                output.cb_kwargs["seen_as"] += [*seen_as, (response.url, "redirect")]
                output.meta["redirect_chain"] = chain
            elif isinstance(output, LinkItem):
                output.seen_as += [*seen_as, (response.url, "redirect")]
            yield output

    def redirect_loop(self, here: str, url: str, key: str, target: str) -> list[str] | None:
        """``url`` (canonical ``here``) redirects to ``target`` (``key``): the addresses of
        the cycle back to it through the redirects this run has seen, if there is one."""
        self.redirected[here] = (key, target)
        path, shown = [here, key], [url, target]
        while path[-1] in self.redirected and len(path) <= len(self.redirected) + 1:
            key, target = self.redirected[path[-1]]
            path.append(key)
            shown.append(target)
            if key == here:
                return shown
        return None

    def refuse(self, url: str, problem: str):
        """Record a link outside the crawl scope, once per reason (host, scheme) and run."""
        self.crawler.stats.inc_value("newsarchive/out_of_scope")
        if problem not in self.refused:
            self.refused.add(problem)
            self.logger.info("%s: refused %s: %s", self.source_id, url, problem)
            yield FailureItem(self.source_id, url, "scope", f"refused: {problem}")

    def blocked(self, request: Request, blocked: Blocked):
        """Record an anti-bot service's challenge once per vendor and run: every page
        behind it gets the same answer, and one line says it."""
        self.crawler.stats.inc_value("newsarchive/blocked")
        reason = str(blocked)
        if reason not in self.refused:
            self.refused.add(reason)
            self.logger.warning("%s: %s: %s", self.source_id, request.url, reason)
            stage = request.meta.get("stage", "fetch")
            yield FailureItem(self.source_id, request.url, stage, reason, blocked.status)

    def on_error(self, failure: Failure):
        request = failure.request
        if isinstance(failure.value, NotFollowed):
            # A listing may still ask for it.
            self.requested.discard(canonicalize(request.url))
            self.requested_at.discard(request.url)
        if isinstance(failure.value, (OutOfScope, NotFollowed)):
            yield from self.refuse(request.url, str(failure.value).split(": ", 1)[-1])
            return
        if isinstance(failure.value, Blocked):
            yield from self.blocked(request, failure.value)
            return
        reason, status = describe_failure(failure)
        self.logger.warning("%s: %s failed: %s", self.source_id, request.url, reason)
        yield FailureItem(
            self.source_id, request.url, request.meta.get("stage", "fetch"), reason, status
        )

    def older_than_since(self, when: datetime | None) -> bool:
        return bool(self.since and when and when < self.since)


def not_html_failure(source_id: str, response: Response) -> FailureItem | None:
    """The failure of a response that is no page to extract (an image, a PDF), else None.
    Told by Scrapy's response class, not by ``response.text``, which decodes the page."""
    if isinstance(response, TextResponse):
        return None
    reason = f"not an HTML page ({response.headers.get('Content-Type')!r})"
    return FailureItem(source_id, response.url, "fetch", reason, response.status)


def fetched_page(response: Response) -> dict[str, Any]:
    """What an item keeps of a fetched page: status, type, declared charset (the page is
    decoded in the extraction worker: scraper.charset), body and headers."""
    content_type = response.headers.get("Content-Type", b"").decode("latin-1") or None
    return {
        "status": response.status,
        "content_type": content_type,
        "encoding": declared_encoding(content_type, response.body),
        "body": response.body,
        "headers": header_pairs(response.headers),
    }


def header_pairs(headers: Any) -> list[tuple[str, str]]:
    """Scrapy headers as (name, value) text pairs, in order, repeated names kept."""
    return [
        (name.decode("latin-1"), value.decode("latin-1"))
        for name, values in headers.items()
        for value in values
    ]
