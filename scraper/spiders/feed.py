"""Feed poller: new articles from a source's RSS/Atom/JSON feeds, with conditional GET.

Scrapy fetches the feed (so robots.txt, throttling and retries apply) with the
ETag / Last-Modified kept in the archive; an unchanged feed costs one 304.
feedparser parses the bytes together with the response headers, so the
charset the server declares is honoured; a JSON Feed, which feedparser does
not read, goes to scraper.jsonfeed instead, which gives the same shape. A
malformed ("bozo") feed is recorded with its error and whatever entries it
yields are still used.
"""

from __future__ import annotations

import calendar
from datetime import datetime, timezone
from time import struct_time
from urllib.parse import urljoin

import feedparser
from scrapy.http import Request, Response

from archive.clock import utcnow
from archive.store import Archive
from scraper import jsonfeed
from scraper.extract.dates import local_iso, parse_date
from scraper.failures import describe_exception
from scraper.items import FailureItem, FeedStateItem, PageReadItem
from scraper.spiders.base import SourceSpider


def entry_hints(entry: feedparser.FeedParserDict) -> dict:
    """What a feed entry says about its article, to fill what the page lacks."""
    published = None
    for key in ("published", "updated"):
        if entry.get(f"{key}_parsed"):
            published = feed_time(entry.get(key), entry[f"{key}_parsed"])
            break
    authors = [a.get("name") for a in entry.get("authors", []) if a.get("name")]
    if not authors and entry.get("author"):
        authors = [entry["author"]]
    return {
        "title": entry.get("title"),
        "published": local_iso(published),
        "updated": entry.get("updated") if entry.get("updated") != entry.get("published") else None,
        "authors": authors,
        "tags": [t.get("term") for t in entry.get("tags", []) if t.get("term")],
        "summary": entry.get("summary"),
    }


def feed_time(text: str | None, parsed: struct_time) -> datetime:
    """An entry's time with the offset its feed printed ("Sun, 08 Dec 2024 00:30:00
    +0300" keeps +03:00, so the publisher's day is the 8th).

    feedparser's ``*_parsed`` is a UTC struct: calendar.timegm reads it as one
    (time.mktime would take it for the machine's local time). The printed text is
    used only when it is that same moment.
    """
    utc = datetime.fromtimestamp(calendar.timegm(parsed), timezone.utc)
    printed = parse_date(text) if text else None
    return printed if printed is not None and printed == utc else utc


class FeedSpider(SourceSpider):
    """Polls a source's feeds; fetches only entries not yet archived."""

    name = "feed"
    # A feed poll never refetches what is archived.
    always_new_only = True

    def load_state(self, archive: Archive) -> None:
        super().load_state(archive)
        self.feed_states = {url: archive.feed_state(url) for url in self.source.feeds}

    async def start(self):
        for output in self.resume_requests():
            yield output
        for request in self.feed_requests():
            yield request

    def feed_requests(self) -> list[Request]:
        requests = []
        for url in self.source.feeds:
            if url in self.read_pages:
                continue  # read by the interrupted run this one resumes
            state = self.feed_states.get(url) or {}
            headers = {}
            if state.get("etag"):
                headers["If-None-Match"] = state["etag"]
            if state.get("last_modified"):
                headers["If-Modified-Since"] = state["last_modified"]
            requests.append(
                Request(
                    url,
                    headers=headers,
                    callback=self.parse_feed,
                    errback=self.on_error,
                    dont_filter=True,
                    meta={"stage": "feed", "handle_httpstatus_list": [304]},
                )
            )
        return requests

    def parse_feed(self, response: Response):
        feed_url = response.url
        if response.status == 304:
            self.crawler.stats.inc_value("newsarchive/not_modified")
            yield FeedStateItem(
                self.source_id,
                feed_url,
                304,
                polled_at=utcnow(),
                **self._validators(response, keep=True),
            )
            return
        headers = {
            k.decode("latin-1").lower(): v[0].decode("latin-1")
            for k, v in response.headers.items()
            if v
        }
        # The feed's own URL is the base for relative entry links ("/2024/05/x.html").
        headers.setdefault("content-location", feed_url)
        if jsonfeed.is_json_feed(response.body):
            parsed = jsonfeed.parse(response.body)
        else:
            parsed = feedparser.parse(response.body, response_headers=headers)
        bozo = None
        if parsed.get("bozo"):
            bozo = describe_exception(parsed.bozo_exception)
            self.logger.warning("%s: feed %s is malformed: %s", self.source_id, feed_url, bozo)
        if not parsed.entries:
            reason = "feed has no entries" + (f" (malformed: {bozo})" if bozo else "")
            yield FailureItem(self.source_id, feed_url, "feed", reason, response.status)
        elif bozo:
            reason = f"malformed feed, its entries were still read: {bozo}"
            yield FailureItem(self.source_id, feed_url, "feed", reason, response.status)
        new = 0
        for entry in parsed.entries:
            # One bad entry is recorded and skipped; the others are still taken.
            link = None
            try:
                link = entry.get("link")
                if not link:
                    continue
                link = urljoin(feed_url, link)
                hints = entry_hints(entry)
                if self.older_than_since(parse_date(hints["published"])):
                    continue
                for output in self.article_requests(link, hints, via="feed"):
                    new += isinstance(output, Request)
                    yield output
            except Exception as exc:  # any entry may be broken in any way
                reason = f"bad feed entry {link or '(no link)'}: {describe_exception(exc)}"
                yield FailureItem(self.source_id, feed_url, "feed", reason)
        yield PageReadItem(self.source_id, feed_url)
        yield FeedStateItem(
            self.source_id,
            feed_url,
            response.status,
            entry_count=len(parsed.entries),
            new_entries=new,
            bozo_error=bozo,
            polled_at=utcnow(),
            **self._validators(response),
        )

    def _validators(self, response: Response, keep: bool = False) -> dict:
        state = self.feed_states.get(response.url) or {}
        etag = response.headers.get("ETag")
        modified = response.headers.get("Last-Modified")
        return {
            "etag": etag.decode("latin-1") if etag else (state.get("etag") if keep else None),
            "last_modified": modified.decode("latin-1")
            if modified
            else (state.get("last_modified") if keep else None),
        }
