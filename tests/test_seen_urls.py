"""What a crawl remembers of its run: URLs as digests (scraper/seen.py), and the spider's
one request per article, which Scrapy's own filter does not second-guess."""

from __future__ import annotations

from scrapy import Request
from scrapy.dupefilters import RFPDupeFilter
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from scraper.items import AliasItem
from scraper.middlewares import NotFollowed
from scraper.seen import SeenUrls
from scraper.spiders.site import SiteSpider

ARTICLE = "https://syrianobserver.com/news/12345/a-story.html"


def test_seen_urls_answer_for_the_urls_added_and_travel_as_digests():
    seen = SeenUrls(["https://a.example/1"])
    seen.add("https://a.example/2")
    assert "https://a.example/1" in seen and "https://a.example/2" in seen
    assert "https://a.example/3" not in seen and None not in seen
    seen.discard("https://a.example/1")
    assert "https://a.example/1" not in seen and len(seen) == 1
    copy = SeenUrls(digests=seen.digests())  # another process's copy (request meta)
    assert "https://a.example/2" in copy and len(copy) == 1


def spider(tmp_path) -> SiteSpider:
    crawler = get_crawler(SiteSpider, {"NEWSARCHIVE_DB": str(tmp_path / "archive.db")})
    crawler.spider = SiteSpider.from_crawler(crawler, source="syrianobserver")
    return crawler.spider


def requests(outputs) -> list[Request]:
    return [output for output in outputs if isinstance(output, Request)]


def test_an_article_is_requested_once_and_only_its_other_addresses_are_aliases(tmp_path):
    crawl = spider(tmp_path)
    (first,) = requests(crawl.article_requests(ARTICLE, {}, "feed"))
    tracked = list(crawl.article_requests(ARTICLE + "?utm_source=twitter", {}, "listing"))
    same = list(crawl.article_requests(ARTICLE, {}, "sitemap"))  # where it was requested
    assert first.url == ARTICLE
    assert [(type(o), o.url) for o in tracked] == [(AliasItem, ARTICLE + "?utm_source=twitter")]
    assert same == []


def test_a_link_dropped_as_not_followed_may_still_be_requested_by_a_listing(tmp_path):
    """The spider deduplicates, not Scrapy's filter, which would keep the dropped
    request's fingerprint and drop the listing's request for the same page."""
    scrapy_filter = RFPDupeFilter()

    def scheduled(request: Request) -> bool:  # Scrapy's Scheduler.enqueue_request's test
        return request.dont_filter or not scrapy_filter.request_seen(request)

    crawl = spider(tmp_path)
    (followed,) = requests(crawl.article_requests(ARTICLE, {}, "link", depth=2))
    assert scheduled(followed)
    failure = Failure(NotFollowed("refused, not followed: the follow budget is spent"))
    failure.request = followed
    list(crawl.on_error(failure))
    (listed,) = requests(crawl.article_requests(ARTICLE, {}, "listing"))
    assert listed.url == ARTICLE and scheduled(listed)
