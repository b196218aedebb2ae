"""Is this page an article? The checks that tell one story from listings, notices and static pages.

They read only the page (its title, text, JSON-LD and Open Graph types, its
URL's shape) and the source's own patterns, so they work for sources that
have no rules at all. Regular expressions from the standard library.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from scraper.extract.blocks import fingerprint
from scraper.extract.metadata import ARTICLE_TYPES, PageMeta
from scraper.sources import Source

__all__ = ["MIN_ARTICLE_WORDS", "could_be_article_url", "headline_blocks", "not_article_reason"]

# A page with less body than this and no article markup is a listing or a notice.
MIN_ARTICLE_WORDS = 40
# Listings of teasers are short; a story with a related headline in it is longer.
_LISTING_MAX_WORDS = 250

# Static pages and notices, by their title (the site's name already stripped).
_STATIC_TITLE = re.compile(
    r"^(about( us)?|who we are|contact( us)?|privacy( policy)?|terms( of (use|service))?|"
    r"cookie policy|imprint|impressum|disclaimer|advertise( with us)?|"
    r"من نحن|عن الموقع|عن الشبكة|اتصل بنا|تواصل معنا|سياسة الخصوصية|شروط الاستخدام|"
    r"اعلن معنا|أعلن معنا)\b",
    re.IGNORECASE,
)
_VIDEO_TITLE = re.compile(
    r"^(watch|video|live|gallery|in pictures|فيديو|بالفيديو|شاهد|بالصور)\s*[:|]", re.IGNORECASE
)
_NOTICE = re.compile(
    # The site about its own publishing: "will not be publishing any articles", "will
    # not update its content"; not "the ministry will not update prices".
    r"(will not (be )?(publish|publishing|update|updating) (any |its |our )?"
    r"(articles|stories|news|content|the site|the website)|will resume (its|our) "
    r"(regular )?(coverage|publication|publishing)|لن (ننشر|يتم النشر|نقوم بالنشر)|"
    r"تتوقف عن النشر|نستأنف (النشر|التغطية))",
    re.IGNORECASE,
)
# JSON-LD types of pages that are not one story.
_NOT_ARTICLE_TYPES = {
    "CollectionPage", "ItemList", "SearchResultsPage", "ProfilePage", "AboutPage",
    "ContactPage", "FAQPage",
}  # fmt: skip
# A story page may embed a video: these only mark a page with little text.
_MEDIA_TYPES = {"VideoObject", "ImageGallery", "MediaGallery"}
# Archive URLs: a tag, category or author page, a page number, a search, a month.
_LISTING_URL = re.compile(
    r"/(tag|tags|category|categories|author|authors|topic|topics)(/[^/]+){1,2}/?$"
    r"|/page/\d+/?$|[?&](s|page|paged)=|/(19|20)\d{2}/\d{2}/?$"
)
# A site's front page: "/", or a language root such as "/en/".
_FRONT_PAGE = re.compile(r"^/?([a-z]{2}(-[a-z]{2})?/?)?$", re.IGNORECASE)


# Paths that are a site's machinery, not a story: feeds, search, accounts, media files.
_MACHINERY_URL = re.compile(
    r"/(feed|rss|atom|wp-json|wp-admin|wp-login\.php|xmlrpc\.php|search|login|logout|signin|"
    r"signup|register|account|cart|subscribe|newsletter|contact(-us)?|about(-us)?|privacy"
    r"(-policy)?|terms|cookies?|advertise|comments?)(/|$)"
    r"|\.(jpe?g|png|gif|webp|svg|ico|pdf|zip|mp3|mp4|css|js|xml|json|txt)$"
    r"|[?&](replytocom|share|print|lang|s)=",
    re.IGNORECASE,
)


def could_be_article_url(url: str) -> bool:
    """Whether a link found on a page may lead to a story: not the front page, a listing
    (tag, category, author, page N, month), the site's machinery or a media file.

    For sources without an article pattern: the page itself decides in the end
    (:func:`not_article_reason`), this only spares fetching menus and tag pages.
    """
    path = urlsplit(url).path
    return not (_FRONT_PAGE.match(path) or _LISTING_URL.search(url) or _MACHINERY_URL.search(url))


def headline_blocks(blocks: list[str], anchors: set[str]) -> int:
    """How many body blocks are the text of a link to another page (a teaser headline)."""
    return sum(1 for block in blocks if fingerprint(block) in anchors)


def not_article_reason(
    record: dict, meta: PageMeta, source: Source | None, url: str, headlines: int, blocks: int
) -> str | None:
    """Why a page is not one story (a listing, a static page, a notice...), or None."""
    title = record["title"] or ""
    words = record["word_count"]
    if source and not source.is_article_url(url):
        return "URL is not an article URL of this source"
    if source and source.is_excluded_title(title):
        return f"title {title!r} is a notice, not an article"
    if meta.site_name and title.casefold() == meta.site_name.casefold():
        return "titled with the site's name: a front or section page"
    if _STATIC_TITLE.match(title) and len(title) <= 60:
        return f"title {title!r} is a static page of the site"
    if meta.jsonld_types & _NOT_ARTICLE_TYPES and not meta.jsonld_types & ARTICLE_TYPES:
        return f"page declares itself a {sorted(meta.jsonld_types & _NOT_ARTICLE_TYPES)[0]}"
    if words < MIN_ARTICLE_WORDS:
        return f"too little text for an article ({words} words)"
    # A listing: short teasers under headlines that link to the stories. A real story
    # may keep one related headline, so one is enough only on a page that says
    # it is a website, not an article.
    if (
        words < _LISTING_MAX_WORDS
        and headlines * 4 >= blocks
        and (headlines >= 2 or headlines and meta.og_type == "website")
    ):
        return f"a listing: {headlines} of its {blocks} blocks are headlines linking elsewhere"
    if meta.jsonld_types & _MEDIA_TYPES and not meta.jsonld_types & ARTICLE_TYPES and words < 150:
        return f"page declares itself a {sorted(meta.jsonld_types & _MEDIA_TYPES)[0]}"
    if _VIDEO_TITLE.match(title) and words < 150:
        return f"title {title!r} and {words} words: a video or photo page"
    if words < 150 and _NOTICE.search(record["body"]):
        return "a notice that the site will not publish"
    if meta.og_type in ("website", "profile", "book") and not record["published"]:
        return f"page declares og:type={meta.og_type} and has no date"
    if not (source and source.article_pattern):
        path = urlsplit(url).path
        if url and _FRONT_PAGE.match(path):
            return "the site's front page"
        if _LISTING_URL.search(url) and words < 150:
            return "a listing or archive URL with little text"
    return None
