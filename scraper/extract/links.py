"""The links of a page that a crawl may follow, read in the extraction worker.

The worker has parsed the page already; reading its ``<a href>`` there, and keeping only
those that may be articles of the source, spares the crawl's one thread a second parse
of every page and the canonicalisation of every menu link (scraper.spiders.base follows
what is left, through the source's scope, with the other links of the crawl).
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from lxml import html as lxml_html

from scraper.sources import Source

__all__ = ["followable_links"]

# Not an address of a page: a script (also written as a bare call, "window.print()",
# which a relative href would make an article-like path), mail, phone, inline data,
# or a place in the same page.
_NOT_A_PAGE = re.compile(
    r"\s*(?:(?:javascript|mailto|tel|sms|data):|#|[\w.$]+\([^)]*\)\s*;?\s*$)", re.IGNORECASE
)


def followable_links(tree: lxml_html.HtmlElement, page_url: str, source: Source) -> list[str]:
    """The page's links that may be articles of ``source``: absolute, without their
    fragment, matching its article pattern and none of its exclusions, each once, in page
    order. An href that cannot be joined to the page's address is kept as written, for
    the crawl to record why it is unusable."""
    found: dict[str, None] = {}
    seen: set[str] = set()  # a third of a page's hrefs repeat (menus): joined once each
    for anchor in tree.iter("a"):
        href = anchor.get("href")
        if not href or href in seen or _NOT_A_PAGE.match(href):
            continue
        seen.add(href)
        try:
            link = urljoin(page_url, href.strip()).split("#", 1)[0]
        except ValueError:
            found[href] = None
            continue
        if source.is_article_url(link):
            found[link] = None
    return list(found)
