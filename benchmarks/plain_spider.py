"""The floor of bench_scale: the least a Scrapy + trafilatura crawler of a site does.

A SitemapSpider that follows the sitemap index to every article and calls
``trafilatura.extract`` in its callback; no storage, no dedup, no feeds or
listings. Run by benchmarks/bench_scale.py as::

    python -m scrapy runspider benchmarks/plain_spider.py -a sitemap=URL -a out=FILE

``out`` receives the number of pages fetched and extracted when the spider closes.
"""

from __future__ import annotations

from pathlib import Path

import trafilatura
from scrapy.spiders import SitemapSpider


class PlainSpider(SitemapSpider):
    name = "plain"
    custom_settings = {
        "ROBOTSTXT_OBEY": False,
        "DOWNLOAD_DELAY": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "CONCURRENT_REQUESTS": 16,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "ERROR",
    }

    def __init__(self, sitemap: str, out: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sitemap_urls = [sitemap]
        self.out = Path(out)
        self.pages = 0
        self.extracted = 0

    def parse(self, response):
        self.pages += 1
        text = trafilatura.extract(response.text, url=response.url)
        if text:
            self.extracted += 1
            yield {"url": response.url, "chars": len(text)}

    def closed(self, reason):
        self.out.write_text(f"{self.pages} {self.extracted}\n", encoding="utf-8")
