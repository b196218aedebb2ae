"""A spider per registry source, so `scrapy list` and `scrapy crawl <source>` just work.

Scrapy's default loader finds spider classes in modules; ours also makes one
spider per source in scraper/sources.toml (and the NEWSARCHIVE_SOURCES files):
`<id>` crawls the whole site (feeds, sitemaps, listings) and `<id>-feed` polls
its feeds only. The generic `site` and `feed` spiders take `-a source=ID`.
"""

from __future__ import annotations

from scrapy.spiderloader import SpiderLoader

from scraper.sources import load_registry
from scraper.spiders.feed import FeedSpider
from scraper.spiders.site import SiteSpider


class RegistrySpiderLoader(SpiderLoader):
    def __init__(self, settings):
        super().__init__(settings)
        for source in load_registry(settings.getlist("NEWSARCHIVE_SOURCES")).values():
            for base, name in ((SiteSpider, source.id), (FeedSpider, f"{source.id}-feed")):
                self._spiders[name] = type(
                    f"{base.__name__}_{source.id}", (base,), {"name": name, "source_id": source.id}
                )
