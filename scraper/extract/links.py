"""The page's links, read once for all their readers; and those a crawl may follow.

:func:`read_anchors` walks the page's ``<a>`` once and reads each one's address and
text: the classifier (its share of text in links, its teaser cards and headlines), the
byline reader (links to author pages) and the crawl each used to walk them again and
ask lxml for the same texts (~0.5 ms a walk).

The worker has parsed the page already; reading its ``<a href>`` there, and keeping only
those that may be articles of the source, spares the crawl's one thread a second parse
of every page and the canonicalisation of every menu link (scraper.spiders.base follows
what is left, through the source's scope, with the other links of the crawl).
"""

from __future__ import annotations

import re
from typing import NamedTuple
from urllib.parse import urljoin

from lxml import html as lxml_html

from scraper.sources import Source

__all__ = ["Anchor", "anchors_within", "followable_links", "read_anchors"]


class Anchor(NamedTuple):  # (a tuple: made ~4 times faster than a frozen dataclass)
    """One ``<a>`` of the page: the element, its href as written, its text content."""

    element: lxml_html.HtmlElement
    href: str | None
    text: str


def read_anchors(tree: lxml_html.HtmlElement) -> list[Anchor]:
    """The page's links, in page order (nested ones too), each read once."""
    return [Anchor(a, a.get("href"), a.text_content()) for a in tree.iter("a")]


def anchors_within(anchors: list[Anchor], element: lxml_html.HtmlElement) -> list[Anchor]:
    """Those of the page's ``anchors`` inside ``element`` (its body): all of them where it
    holds as many links, as a parsed page's body does (counted in C, not walked)."""
    if int(element.xpath("count(descendant-or-self::a)")) == len(anchors):
        return anchors
    inside = set(element.iter("a"))
    return [anchor for anchor in anchors if anchor.element in inside]


# Not an address of a page: a script (also written as a bare call, "window.print()",
# which a relative href would make an article-like path), mail, phone, inline data,
# or a place in the same page.
_NOT_A_PAGE = re.compile(
    r"\s*(?:(?:javascript|mailto|tel|sms|data):|#|[\w.$]+\([^)]*\)\s*;?\s*$)", re.IGNORECASE
)


def followable_links(anchors: list[Anchor], page_url: str, source: Source) -> list[str]:
    """The page's links (:func:`read_anchors`) that may be articles of ``source``:
    absolute, without their fragment, matching its article pattern and none of its
    exclusions, each once, in page order. An href that cannot be joined to the page's
    address is kept as written, for the crawl to record why it is unusable."""
    found: dict[str, None] = {}
    seen: set[str] = set()  # a third of a page's hrefs repeat (menus): joined once each
    for anchor in anchors:
        href = anchor.href
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
