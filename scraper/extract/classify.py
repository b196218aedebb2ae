"""Is this page an article? The checks that tell one story from listings, notices and static pages.

They read only the page (its title, text, the share of its text in links, its shape:
teaser cards, running prose, prices, buy buttons and code; JSON-LD and Open Graph
types, its dates and byline, its URL's shape and place in the site)
and the source's own patterns, so they work for sources that have no rules at all.
The evidence is data (the NOT_ARTICLE_* tables below), each rule in one place.
Regular expressions from the standard library; lxml for the page's links.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from itertools import chain
from urllib.parse import urlsplit

from lxml import html as lxml_html

from archive.record import word_count
from archive.urls import url_host
from scraper.extract.blocks import NOT_TEXT_TAGS, fingerprint
from scraper.extract.dates import date_from_url
from scraper.extract.links import Anchor, anchors_within, read_anchors
from scraper.extract.metadata import ARTICLE_TYPES, PageMeta
from scraper.sources import Source

__all__ = [
    "LINK_SHARE",
    "MIN_ARTICLE_WORDS",
    "NOT_ARTICLE_HOSTS",
    "NOT_ARTICLE_OG_TYPES",
    "NOT_ARTICLE_PLACES",
    "NOT_ARTICLE_TYPES",
    "UNDATED_NOT_ARTICLE_TYPES",
    "PageShape",
    "could_be_article_url",
    "headline_blocks",
    "link_share",
    "not_article_reason",
    "page_shape",
]

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
# The page's own evidence that it is not one story. Each table is the one place of its
# rule; a page that declares an article type in JSON-LD (metadata.ARTICLE_TYPES) is
# never judged by them. (An FAQ block, a product reviewed or a list of picks sits
# inside many stories, so FAQPage is not here, and none of these counts beside an
# article type.)
#
# JSON-LD types of listings, shops, forums, profiles, software and other pages.
NOT_ARTICLE_TYPES = {
    "CollectionPage", "ItemList", "SearchResultsPage", "ProfilePage", "AboutPage",
    "ContactPage", "Product", "ProductGroup", "ItemPage", "OfferCatalog", "QAPage",
    "DiscussionForumPosting", "SoftwareApplication", "WebApplication", "MobileApplication",
    "Service", "Course", "JobPosting", "RealEstateListing", "Store", "OnlineStore",
}  # fmt: skip
# Of those, the types a dated story also declares for a list inside it ("the 9 best...").
UNDATED_NOT_ARTICLE_TYPES = {"ItemList"}
# og:type values of such pages; any value naming a product counts too (product.group,
# zalando_sharing:product...).
NOT_ARTICLE_OG_TYPES = {"profile", "book", "books.book", "ebay-objects:item", "place"}
# Places in a site that hold no story, by the URL's path (checked only for a source with
# no article pattern of its own): forum threads, documentation, a shop's pages, a
# business's service pages, and listings (a tag, topic, category, section or author
# page, search, page N).
NOT_ARTICLE_PLACES: tuple[tuple[str, re.Pattern], ...] = (
    (
        "a forum thread",
        re.compile(
            r"/(threads?|forums?|viewtopic\.php|showthread\.php|questions|discussions?|boards?)"
            # Discourse and JForum topics, Reddit-style comment pages, IPB-style topics
            r"(/|$)|/t/[^/]+/\d+/?$|/t/\d+/|/r/\w+/comments/|/showtopic\b",
            re.IGNORECASE,
        ),
    ),
    (
        "documentation",
        re.compile(
            r"/(docs?|documentation|manual|man-pages|reference|api|wiki|userguide|usersguide|"
            r"handbook)(/|$)",
            re.IGNORECASE,
        ),
    ),
    (
        "a shop's page",
        re.compile(
            r"/(products?|dp|itm|ip|pdp|shop|store|collections|cart|checkout|browse)(/|$)",
            re.IGNORECASE,
        ),
    ),
    (
        # What a business offers: its services, solutions, plans and pricing, courses and
        # certificates, calculators (a news site's stories live elsewhere; a source's
        # own article pattern and a JSON-LD article type outweigh this). Not "/service/":
        # news sites serve their stories from it (KBS's /service/news_view.htm).
        "a service's page",
        re.compile(
            r"/(services|solutions|pricing|plans|programs?|certificates?|certifications?|"
            r"courses?|calculators?|tools-calculators|use-cases|what-we-do|capabilities|"
            r"platform|seminars)(/|$)",
            re.IGNORECASE,
        ),
    ),
    (
        "a listing",
        re.compile(
            r"/(tags?|topics?|sections?|c|categor(y|ies)|authors?)/[^/]+/?$"
            # A category's subcategories too ("/category/recipes/cooking-method/airfryer/"):
            # the words "category" and "categories" name an archive, not a story's place.
            r"|/categor(y|ies)/[^/]+/"
            r"|/(search|trending|newest|latest|archives?|news)/?$|/page/\d+/?$",
            re.IGNORECASE,
        ),
    ),
)
# Hosts that serve documentation, help and forums (docs.example.org, forum.example.org).
NOT_ARTICLE_HOSTS = re.compile(
    r"^(docs?|wiki|help|support|forums?|community|discuss|discussion|answers|bbs|boards)\.",
    re.IGNORECASE,
)
# A page with this share of its text in links, and nothing saying it is an article
# (an article type, a publication date, a byline), is a listing or a site's menu.
LINK_SHARE = 0.5
# A listing's grid: this many teaser cards (page_shape), their text above the prose's.
LISTING_MIN_CARDS = 8
LISTING_CARDS_OVER_PROSE = 3
# ... and less running prose than the shortest story has (a story under a stream of
# related teasers keeps its own paragraphs).
LISTING_MAX_PROSE_WORDS = 200
# A shop's grid: this many cards that print a price.
SHOP_MIN_PRICED_CARDS = 4
# A title of this many words or fewer is a name, not a story's headline.
NAME_TITLE_MAX_WORDS = 3
# ... on a page with less running prose than this (a short story has more).
NAME_PAGE_MAX_PROSE_WORDS = 300
# ... and teaser cards, or this share of its text in links.
NAME_PAGE_LINK_SHARE = 0.3
# Documentation: this many code blocks (page_shape).
DOCS_MIN_CODE_BLOCKS = 3
# Running prose of a story: a page with this many words in paragraphs is not a menu.
STORY_PROSE_WORDS = 400
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


def link_share(tree: lxml_html.HtmlElement, anchors: list[Anchor] | None = None) -> float:
    """The share of the text a page shows (its body, without scripts and styles) that
    sits in links: menus, teasers and footers against the story's own sentences.
    ``anchors``: the page's links (links.read_anchors), read here when not given."""
    body = tree.find("body")
    body = tree if body is None else body
    total = len("".join(body.text_content().split()))
    for element in body.iter("script", "style", "noscript"):
        total -= len("".join((element.text or "").split()))
    if total <= 0:
        return 0.0
    anchors = read_anchors(tree) if anchors is None else anchors
    linked = sum(len("".join(a.text.split())) for a in anchors_within(anchors, body))
    return min(linked / total, 1.0)


# The page's shape: repeated teaser cards (a listing's or a shop's grid), the running
# prose around them, buttons to buy and blocks of code. Read from the page as served,
# cards, prose and code outside its menus, header and footer (a site's navigation is
# cards too).
#
# A teaser card: one of at least TEASER_MIN_SIBLINGS siblings alike (same tag and class)
# that links to another page under a headline, an image or a link text of three words
# or more, with little text of its own (a story's paragraph is not a card).
TEASER_MIN_SIBLINGS = 4
TEASER_MAX_WORDS = 80
# Where no card nor prose is looked for: menus, header, footer, scripts.
_OUTSIDE_SHAPE = frozenset({"nav", "header", "footer"}) | NOT_TEXT_TAGS
# Elements never cards themselves: inline text, table cells, form options, media.
_NOT_CARD_TAGS = _OUTSIDE_SHAPE | {
    "a", "span", "p", "br", "option", "tr", "td", "th", "img", "source", "meta", "link", "svg",
}  # fmt: skip
# A paragraph of running prose: a sentence or more, not a caption or a teaser's line.
PROSE_PARAGRAPH_WORDS = 20
# A price as a shop prints it: "$19.99", "€ 45", "1.299,00 €", "120 USD".
_PRICE = re.compile(
    r"[$€£¥₹]\s?\d[\d,.]*|\b\d[\d,.]*\s?(?:€|USD|EUR|GBP|CHF|zł|kr)(?!\w)", re.IGNORECASE
)
# A button that buys (the text of a button, a link or a submit input).
_BUY_BUTTON = re.compile(
    r"^\W*(add to (cart|bag|basket|trolley)|buy now|in den warenkorb|ajouter au panier)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class PageShape:
    """What the page is made of, beside its extracted text (see :func:`page_shape`)."""

    # The largest group of teaser cards, their words, and how many of them print a price.
    teaser_cards: int = 0
    teaser_words: int = 0
    priced_cards: int = 0
    # Words in paragraphs of running prose outside those cards.
    prose_words: int = 0
    # A button to put something in a cart or buy it now.
    buy_button: bool = False
    # Blocks of code (<pre>) outside menus.
    code_blocks: int = 0


def _is_card(element: lxml_html.HtmlElement, anchors: dict[lxml_html.HtmlElement, Anchor]) -> bool:
    """A teaser: little text, a link to another page, and a headline or an image.
    ``anchors``: the page's links by their element."""
    words = word_count(element.text_content())
    if not words or words > TEASER_MAX_WORDS:
        return False
    links = [
        link
        for a in element.iter("a")
        if not ((link := anchors[a]).href or "#").lstrip().startswith("#")
    ]
    if not links:
        return False
    return (
        element.find(".//img") is not None
        or any(True for _ in element.iter("h2", "h3", "h4", "h5"))
        or any(word_count(link.text) >= 3 for link in links)
    )


def _is_teaser_text(
    paragraph: lxml_html.HtmlElement, words: int, anchors: dict[lxml_html.HtmlElement, Anchor]
) -> bool:
    """A paragraph inside a link, or mostly its links' text: a teaser's, not prose.
    ``anchors``: the page's links by their element."""
    if any(True for _ in paragraph.iterancestors("a")):
        return True
    return sum(word_count(anchors[a].text) for a in paragraph.iter("a")) * 2 > words


def page_shape(tree: lxml_html.HtmlElement, anchors: list[Anchor] | None = None) -> PageShape:
    """The page's teaser cards, running prose, buy buttons and code blocks (see
    PageShape). The tree is not changed. ``anchors``: the page's links
    (links.read_anchors), read here when not given."""
    body = tree.find("body")
    body = tree if body is None else body
    anchors = read_anchors(tree) if anchors is None else anchors
    by_element = {anchor.element: anchor for anchor in anchors}
    # One walk that never enters a menu, the header, the footer or a script.
    elements, stack = [], [body]
    while stack:
        element = stack.pop()
        elements.append(element)
        stack.extend(c for c in element if isinstance(c.tag, str) and c.tag not in _OUTSIDE_SHAPE)
    cards: list[lxml_html.HtmlElement] = []
    for parent in elements:
        if len(parent) < TEASER_MIN_SIBLINGS:  # (its comments count too: a cheap bound)
            continue
        alike: dict[tuple[str, str], list] = defaultdict(list)
        for child in parent:
            if isinstance(child.tag, str) and child.tag not in _NOT_CARD_TAGS:
                alike[(child.tag, child.get("class") or "")].append(child)
        for siblings in alike.values():
            if len(siblings) >= TEASER_MIN_SIBLINGS:
                found = [child for child in siblings if _is_card(child, by_element)]
                if len(found) >= TEASER_MIN_SIBLINGS and len(found) > len(cards):
                    cards = found
    in_cards = {e for card in cards for e in card.iter()}
    prose = sum(
        words
        for element in elements
        if element.tag == "p"
        and element not in in_cards
        and (words := word_count(element.text_content())) >= PROSE_PARAGRAPH_WORDS
        and not _is_teaser_text(element, words, by_element)
    )
    # (a shop's cart may sit in its header)
    buttons = chain(
        (
            (element.get("value") if element.tag == "input" else element.text_content()) or ""
            for element in body.iter("button", "input")
        ),
        (anchor.text for anchor in anchors_within(anchors, body)),
    )
    return PageShape(
        teaser_cards=len(cards),
        teaser_words=sum(word_count(card.text_content()) for card in cards),
        priced_cards=sum(1 for card in cards if _PRICE.search(card.text_content())),
        prose_words=prose,
        code_blocks=sum(1 for element in elements if element.tag == "pre"),
        buy_button=any(_BUY_BUTTON.match(text[:40]) for text in buttons),
    )


def not_article_reason(
    record: dict,
    meta: PageMeta,
    source: Source | None,
    url: str,
    headlines: int,
    blocks: int,
    links: float = 0.0,
    shape: PageShape | None = None,
) -> str | None:
    """Why a page is not one story (a listing, a static page, a notice, a product, a
    forum thread, documentation...), or None. ``links`` is the share of the page's text
    in links (:func:`link_share`), ``shape`` its teaser cards, prose and buy buttons
    (:func:`page_shape`)."""
    shape = shape or PageShape()
    title = record["title"] or ""
    words = record["word_count"]
    og_type = (meta.og_type or "").casefold()
    # What says the page is one story: an article type in JSON-LD (which outweighs the
    # page's place and what else it declares), og:type=article, a declared publication
    # date (the page's metadata or its URL's), a byline.
    ld_article = bool(meta.jsonld_types & ARTICLE_TYPES)
    dated = meta.declares_date or bool(date_from_url(url))
    said_article = ld_article or og_type == "article" or dated or bool(record["authors"])
    if source and not source.is_article_url(url):
        return "URL is not an article URL of this source"
    if source and source.is_excluded_title(title):
        return f"title {title!r} is a notice, not an article"
    # (A story's worth of running prose under it: the page's <title> is broken, not a
    # front page.)
    if (
        meta.site_name
        and title.casefold() == meta.site_name.casefold()
        and shape.prose_words < STORY_PROSE_WORDS
    ):
        return "titled with the site's name: a front or section page"
    if _STATIC_TITLE.match(title) and len(title) <= 60:
        return f"title {title!r} is a static page of the site"
    if not ld_article:
        declared = meta.jsonld_types & NOT_ARTICLE_TYPES
        if dated:  # a dated story's list of picks (ItemList) is still a story
            declared -= UNDATED_NOT_ARTICLE_TYPES
        if declared:
            return f"page declares itself a {sorted(declared)[0]}"
        if og_type in NOT_ARTICLE_OG_TYPES or "product" in og_type:
            return f"page declares og:type={meta.og_type}"
    # A grid of teaser cards with little prose beside them, the cards half
    # the text taken for the body, is a listing, however its metadata reads (a section
    # page often carries a date and a byline of its own). A listicle's items are cards
    # too, but each with its paragraphs of prose.
    if (
        not ld_article
        and shape.teaser_cards >= LISTING_MIN_CARDS
        and shape.prose_words < LISTING_MAX_PROSE_WORDS
        and shape.teaser_words >= LISTING_CARDS_OVER_PROSE * shape.prose_words
        and shape.teaser_words * 2 >= words
    ):
        return (
            f"a listing: {shape.teaser_cards} teaser cards ({shape.teaser_words} words) "
            f"outweigh its {shape.prose_words} words of running prose"
        )
    # A button to buy, or prices on its cards, with nothing that says it is one story.
    # (A guide on a shop's site has its buttons too, beside a story's running prose.)
    if not said_article and (
        shape.priced_cards >= SHOP_MIN_PRICED_CARDS
        or shape.buy_button
        and shape.prose_words < STORY_PROSE_WORDS
    ):
        what = (
            f"{shape.priced_cards} priced cards"
            if shape.priced_cards >= SHOP_MIN_PRICED_CARDS
            else "a button to buy"
        )
        return f"a shop's page: {what}, and no article type, date nor author"
    # Code examples with nothing that says it is one story: a post about code has its
    # date or its author.
    if not said_article and shape.code_blocks >= DOCS_MIN_CODE_BLOCKS:
        return (
            f"documentation: {shape.code_blocks} code blocks, and no article type, date nor author"
        )
    if words < MIN_ARTICLE_WORDS:
        return f"too little text for an article ({words} words)"
    # A listing: short teasers under headlines that link to the stories. A real story
    # may keep one related headline, so one is enough only on a page that says
    # it is a website, not an article; an article type in JSON-LD outweighs them.
    if (
        not ld_article
        and words < _LISTING_MAX_WORDS
        and headlines * 4 >= blocks
        and (headlines >= 2 or headlines and og_type == "website")
    ):
        return f"a listing: {headlines} of its {blocks} blocks are headlines linking elsewhere"
    if meta.jsonld_types & _MEDIA_TYPES and not ld_article and words < 150:
        return f"page declares itself a {sorted(meta.jsonld_types & _MEDIA_TYPES)[0]}"
    if _VIDEO_TITLE.match(title) and words < 150:
        return f"title {title!r} and {words} words: a video or photo page"
    if words < 150 and _NOTICE.search(record["body"]):
        return "a notice that the site will not publish"
    # With nothing that says it is one story: text mostly in links, or teasers (headlines
    # linking elsewhere) for a quarter of its blocks, however long.
    teasers = headlines >= 2 and headlines * 4 >= blocks
    # (A page with a story's worth of running prose is not a menu, whatever its sidebars.)
    if (
        not said_article
        and shape.prose_words < STORY_PROSE_WORDS
        and (links >= LINK_SHARE or og_type == "website" and teasers)
    ):
        return (
            f"a listing or a menu: {links:.0%} of its text is links, {headlines} headlines, "
            "and no article type, date nor author"
        )
    if not (source and source.article_pattern):
        parts = urlsplit(url)
        path = parts.path
        if url and _FRONT_PAGE.match(path):
            return "the site's front page"
        if _LISTING_URL.search(url) and words < 150:
            return "a listing or archive URL with little text"
        # A page named in a few words ("Power Tools", "Science", "Pet Insurance"), with
        # nothing that says it is one story, less running prose than one, and teaser
        # cards or much of its text in links, is a category, a product or a service: a
        # story's title says what happened. (Only for a source with no article pattern:
        # its own pattern outweighs a page's name.)
        if (
            not said_article
            and 0 < word_count(title) <= NAME_TITLE_MAX_WORDS
            and shape.prose_words < NAME_PAGE_MAX_PROSE_WORDS
            and (shape.teaser_cards or links >= NAME_PAGE_LINK_SHARE)
        ):
            return (
                f"a page named {title!r} with {shape.prose_words} words of running prose, "
                f"{shape.teaser_cards} teaser cards, {links:.0%} of its text in links, "
                "and no article type, date nor author"
            )
        if url and not ld_article:
            for place, pattern in NOT_ARTICLE_PLACES:
                if pattern.search(path):
                    return f"{place}, by its URL ({path})"
            host = url_host(url)
            if NOT_ARTICLE_HOSTS.match(host):
                return f"documentation, help or a forum, by its host ({host})"
    return None
