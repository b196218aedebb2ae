"""Pages that are not articles (listings, tag pages, notices, "About us") are recognised.

With a registry source its URL pattern and notice titles decide first; the
generic signals (static-page titles, teaser listings, front pages, JSON-LD
page types, archive URLs, publication notices, too little text) must also
recognise them for a page of no known source, without taking a real story.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from urllib.parse import urlsplit

import pytest

from archive.record import word_count as count_words
from scraper.extract import extract
from scraper.offline.copies import SiteCopy
from tests.conftest import SITES

CRAWL = datetime(2026, 1, 5, tzinfo=timezone.utc)
SO = SiteCopy.load(SITES / "syrianobserver")
SO_EXPECTED = json.loads((SITES / "syrianobserver" / "expected.json").read_text("utf-8"))


def so_page(url: str) -> bytes:
    parts = urlsplit(url)
    resolved = SO.resolve(parts.path + (f"?{parts.query}" if parts.query else ""))
    assert resolved.status == 200, url
    return resolved.body


def unknown_host(url: str) -> str:
    """The same page as if it came from a site the registry does not know."""
    return url.replace("syrianobserver.com", "observer.example.net")


@pytest.mark.parametrize("url", SO_EXPECTED["not_articles"], ids=lambda u: urlsplit(u).path)
def test_syrian_observer_non_articles_are_recognised_with_and_without_the_registry(url):
    html = so_page(url)
    assert extract(html, url, now=CRAWL)["is_article"] is False
    record = extract(html, unknown_host(url), now=CRAWL)
    assert record["is_article"] is False, "generic signals missed it"
    assert record["not_article_reason"]


@pytest.mark.parametrize(
    "url", [a["url"] for a in SO_EXPECTED["articles"]], ids=lambda u: urlsplit(u).path[-40:]
)
def test_syrian_observer_articles_stay_articles_without_the_registry(url):
    record = extract(so_page(url), unknown_host(url), now=CRAWL)
    assert record["is_article"], record["not_article_reason"]


STORY = "".join(
    f"<p>Paragraph {i}: residents of Hasakah queue for water tankers every morning while the "
    f"pumping station stays offline, and the price of a barrel keeps rising.</p>"
    for i in range(8)
)


def page(title: str, body: str = STORY, head: str = "", lang: str = "en") -> str:
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><title>{title}</title>'
        f'<meta property="og:site_name" content="Hasakah Today">{head}</head><body>'
        f"<main><article><h1>{title}</h1><div class='entry-content'>{body}</div></article>"
        f"</main></body></html>"
    )


TEASERS = "".join(
    f'<article class="post"><h2><a href="/news/{i}/story-{i}.html">Story number {i} about the '
    f"water crisis</a></h2><p>A short teaser of story {i} about tankers and queues in "
    f"the city.</p></article>"
    for i in range(4)
)
ARTICLE_URL = "https://hasakah.example.net/news/2025/12/01/water-queues/"


@pytest.mark.parametrize(
    "name, html, url",
    [
        ("about us", page("About Us"), "https://hasakah.example.net/about-us/"),
        ("من نحن", page("من نحن", lang="ar"), "https://hasakah.example.net/من-نحن/"),
        ("privacy", page("Privacy Policy"), "https://hasakah.example.net/privacy/"),
        (
            "holiday notice",
            page(
                "Eid Holiday",
                "<p>Hasakah Today will not be publishing any articles from June 6 to June 9 on "
                "the occasion of Eid al-Adha. We will resume our regular coverage on Tuesday, "
                "June 10. Eid Mubarak to all our readers and their families.</p>",
            ),
            ARTICLE_URL,
        ),
        (
            "Arabic notice",
            page(
                "تنويه",
                "<p>نعلم متابعينا أننا لن ننشر أي مواد خلال عطلة عيد الأضحى المبارك من السادس "
                "حتى التاسع من حزيران، ونستأنف النشر يوم الثلاثاء العاشر من الشهر، وكل عام "
                "وأنتم بخير، مع أطيب التمنيات لجميع القراء والمتابعين في كل مكان.</p>",
                lang="ar",
            ),
            ARTICLE_URL,
        ),
        ("teaser listing", page("Water", TEASERS), "https://hasakah.example.net/news/water/"),
        (
            "tag page",
            page("Water", "<p>" + "Water stories. " * 12 + "</p>"),
            "https://hasakah.example.net/tag/water/",
        ),
        ("front page", page("Latest news", TEASERS), "https://hasakah.example.net/"),
        ("site name as title", page("Hasakah Today"), "https://hasakah.example.net/home"),
        (
            "video page",
            page("WATCH: Tankers in Hasakah", "<p>Video of the queues at the tankers.</p>" * 6),
            ARTICLE_URL,
        ),
        (
            "collection page",
            page(
                "Water",
                head='<script type="application/ld+json">{"@type": "CollectionPage"}</script>',
            ),
            "https://hasakah.example.net/water",
        ),
        ("too short", page("Water cut", "<p>The water is cut today.</p>"), ARTICLE_URL),
    ],
)
def test_generic_non_articles(name, html, url):
    record = extract(html, url, now=CRAWL)
    assert record["is_article"] is False, name
    assert record["not_article_reason"]


def test_a_short_story_with_one_related_headline_is_still_an_article():
    body = STORY[:600] + (
        '<p><a href="/news/9/other.html">Story number nine about the water crisis</a></p>'
    )
    assert extract(page("Water queues", body), ARTICLE_URL, now=CRAWL)["is_article"]


def test_a_story_mentioning_publishing_is_still_an_article():
    body = STORY[:700] + "<p>The council said it will not update the tariff before spring.</p>"
    assert extract(page("Water queues", body), ARTICLE_URL, now=CRAWL)["is_article"]


def test_count_words_counts_scripts_without_spaces():
    assert count_words("one two three") == 3
    assert count_words("東京都に住む") == 3
    assert count_words("Tokyo 東京") == 2


def ld(kind: str) -> str:
    data = f'{{"@context": "https://schema.org", "@type": "{kind}"}}'
    return f'<script type="application/ld+json">{data}</script>'


MENU = "".join(
    f'<li><a href="/section-{i}/">Section number {i} of the site menu here</a></li>'
    for i in range(40)
)
SHOP = "https://shop.example.net"


@pytest.mark.parametrize(
    "name, html, url",
    [
        # What the page declares of itself.
        ("a product", page("Wool runners", head=ld("Product")), f"{SHOP}/wool-runners"),
        ("a product group", page("Sheet set", head=ld("ProductGroup")), f"{SHOP}/sheet-set"),
        (
            "og:type product",
            page("Leather case", head='<meta property="og:type" content="product">'),
            f"{SHOP}/leather-case",
        ),
        (
            "og:type product.group",
            page("Wallets", head='<meta property="og:type" content="product.group">'),
            f"{SHOP}/wallets",
        ),
        ("a question and answers", page("Resolver", head=ld("QAPage")), f"{SHOP}/q/resolver"),
        (
            "a forum post",
            page("Water in 2024", head=ld("DiscussionForumPosting")),
            "https://talk.example.net/water-in-2024.91732/",
        ),
        ("software", page("Notes app", head=ld("SoftwareApplication")), f"{SHOP}/notes-app"),
        ("a course", page("Water engineering", head=ld("Course")), f"{SHOP}/water-course"),
        ("search results", page("Water", head=ld("SearchResultsPage")), f"{SHOP}/find-water"),
        # Its place in the site.
        ("a forum thread", page("Pumps"), "https://example.net/threads/pumps-in-hasakah.4410/"),
        ("a Discourse topic", page("Pumps"), "https://example.net/t/pumps-in-hasakah/931828"),
        ("a phpBB topic", page("Pumps"), "https://example.net/forum/viewtopic.php?t=41"),
        ("a question", page("Pumps"), "https://example.net/questions/12068/pumps"),
        (
            "a Reddit-style comment page",
            page("Pumps"),
            "https://example.net/r/hasakah/comments/1rk5x9/pumps_in_hasakah/",
        ),
        ("a JForum topic", page("Pumps"), "https://example.net/t/123270/pumps-in-hasakah"),
        (
            "an IPB-style topic",
            page("Pumps"),
            "https://example.net/ShowTopic-g29-i5-k154-Pumps.html",
        ),
        ("documentation", page("Quickstart"), "https://example.net/en/docs/quickstart/"),
        ("a manual page", page("grep"), "https://example.net/man-pages/man1/grep.1.html"),
        ("a docs host", page("Ownership"), "https://docs.example.net/book/ownership.html"),
        ("a forum host", page("Pumps"), "https://forum.example.net/pumps-in-hasakah"),
        ("a shop's product", page("Tee"), "https://example.net/products/staple-tee"),
        ("a shop's collection", page("Coffee"), "https://example.net/collections/coffee"),
        ("a topic page", page("Software", STORY), "https://example.net/topic/software"),
        (
            "a subcategory page",
            page("Air fryer recipes", STORY),
            "https://example.net/category/recipes/cooking-method/airfryer/",
        ),
        ("a news section", page("News from the city", STORY), "https://example.net/news"),
        # Its text: in links, with nothing that says it is an article.
        (
            "a menu of links",
            page("Services", "<ul>" + MENU + "</ul>" + STORY[:800]),
            "https://hasakah.example.net/water-delivery",
        ),
        # A business's offer: its services, plans, courses, calculators.
        ("a service", page("Water delivery", STORY), "https://example.net/services/delivery/"),
        ("pricing", page("Plans for every home", STORY), "https://example.net/pricing"),
        ("a course", page("Pump repair", STORY), "https://example.net/courses/pump-repair"),
        ("a calculator", page("Water bill", STORY), "https://example.net/calculators/bill"),
    ],
)
def test_non_articles_by_their_own_evidence(name, html, url):
    record = extract(html, url, now=CRAWL)
    assert record["is_article"] is False, name
    assert record["not_article_reason"]


DATED = '<meta property="article:published_time" content="2025-12-01T08:00:00+02:00">'


@pytest.mark.parametrize(
    "name, html, url",
    [
        # An FAQ block, a product reviewed, a list of picks sit inside many stories.
        ("a story with an FAQ", page("Water", head=ld("FAQPage")), ARTICLE_URL),
        (
            "a review declaring its product",
            page("Pump review", head=ld("Product") + ld("Article")),
            ARTICLE_URL,
        ),
        # An article type outweighs the place: a shop's blog post, a news site's /docs/ story.
        (
            "a shop's blog post",
            page("Brewing guide", head=ld("BlogPosting")),
            "https://example.net/products/blog/brewing-guide",
        ),
        # A story about services, a story served from /service/, and a news site's
        # service page with an article type.
        (
            "a story served from /service/",
            page("Temperatures rise", head=DATED),
            "https://example.net/service/news_view.htm?seq=181595",
        ),
        ("a story about services", page("Water services", head=DATED), ARTICLE_URL),
        (
            "an article type under /services/",
            page("Water delivery resumes", head=ld("NewsArticle")),
            "https://example.net/services/water-delivery-resumes",
        ),
        # A site that calls every page og:type=website: a byline or a date is enough.
        (
            "og:type website with a date",
            page("Water", head='<meta property="og:type" content="website">' + DATED),
            ARTICLE_URL,
        ),
        (
            "a menu beside a dated story",
            page("Services", "<ul>" + MENU + "</ul>" + STORY, head=DATED),
            ARTICLE_URL,
        ),
    ],
)
def test_articles_stay_articles_beside_weaker_evidence(name, html, url):
    record = extract(html, url, now=CRAWL)
    assert record["is_article"], (name, record["not_article_reason"])


def test_a_source_with_an_article_pattern_decides_by_its_pattern_not_the_place():
    import re
    from dataclasses import replace

    from scraper.sources import Source

    source = Source(id="t", name="T", homepage="https://example.net/", language="en")
    source = replace(source, article_pattern=re.compile(r"/threads/\d+/"))
    record = extract(page("Pumps"), "https://example.net/threads/4410/pumps", source, now=CRAWL)
    assert record["is_article"], record["not_article_reason"]


def test_a_guide_with_a_table_of_contents_is_still_an_article():
    """Links to the page's own headings are not teasers of other pages."""
    sections = "".join(
        f'<h2 id="s{i}">Step {i} of filling the water tank</h2>'
        f"<p>Residents of Hasakah fill the tank in step {i} before the tanker leaves the "
        f"street, and the price of a barrel keeps rising every week.</p>"
        for i in range(6)
    )
    toc = "".join(
        f'<li><a href="#s{i}">Step {i} of filling the water tank</a></li>' for i in range(6)
    )
    head = '<meta property="og:type" content="website">'
    html = page("Filling a water tank", f"<ul>{toc}</ul>{sections}", head=head)
    record = extract(html, "https://hasakah.example.net/guides/water-tank", now=CRAWL)
    assert record["is_article"], record["not_article_reason"]


@pytest.mark.parametrize(
    "body, low, high",
    [
        ("<p>" + "story text " * 50 + "</p><a href='/x'>menu</a>", 0.0, 0.1),
        (
            "<ul>" + "<li><a href='/x'>a link of the menu</a></li>" * 20 + "</ul><p>short</p>",
            0.9,
            1.0,
        ),
        ("<script>var a = 'not text at all, only code';</script><p>text</p>", 0.0, 0.0),
    ],
)
def test_link_share_is_the_share_of_shown_text_in_links(body, low, high):
    from lxml import html as lxml_html

    from scraper.extract.classify import link_share

    share = link_share(lxml_html.fromstring(f"<html><body>{body}</body></html>"))
    assert low <= share <= high


# The page's shape (classify.page_shape): teaser cards, running prose, prices, buttons.
AUTHORED = '<meta name="author" content="Rima Haddad">' + DATED
GUIDE_URL = "https://hasakah.example.net/guides/water-tank"


def cards(count: int, price: bool = False) -> str:
    """A grid of teaser cards: an image and a linked headline each, a line of text."""
    return "".join(
        f'<div class="card"><a href="/item/{i}"><img src="/img/{i}.jpg" alt="">'
        f"<h3>Water tank model {i} for homes</h3></a> "
        f"<span>{'$' + str(100 + i) + '.99' if price else 'Read more about it'}</span></div>"
        for i in range(count)
    )


def grid_page(title: str, grid: str, prose: str = "", head: str = "") -> str:
    return (
        f"<!DOCTYPE html><html><head><title>{title}</title>{head}</head><body>"
        f"<main><h1>{title}</h1>{prose}<section class='grid'>{grid}</section></main>"
        "</body></html>"
    )


def test_a_grid_of_teaser_cards_with_little_prose_is_a_listing_despite_its_date_and_author():
    html = grid_page("Water tanks", cards(12), "<p>Our picks of the week.</p>", head=AUTHORED)
    record = extract(html, GUIDE_URL, now=CRAWL)
    assert record["is_article"] is False
    assert "teaser cards" in record["not_article_reason"]


def test_a_story_above_a_stream_of_related_teasers_is_still_an_article():
    html = grid_page("Water queues grow", cards(12), STORY, head=AUTHORED)
    record = extract(html, GUIDE_URL, now=CRAWL)
    assert record["is_article"], record["not_article_reason"]


def test_cards_with_prices_and_no_article_evidence_are_a_shop():
    html = grid_page("Water tanks", cards(6, price=True), STORY[:400])
    record = extract(html, GUIDE_URL, now=CRAWL)
    assert record["is_article"] is False
    assert "priced cards" in record["not_article_reason"]


BUY = '<form><button type="submit">Add to cart</button></form>'


def test_a_buy_button_and_no_article_evidence_is_a_shop():
    html = page("Tank 500 L", STORY[:500] + BUY)
    record = extract(html, GUIDE_URL, now=CRAWL)
    assert record["is_article"] is False
    assert "button to buy" in record["not_article_reason"]


def test_a_guide_with_a_buy_button_beside_a_story_s_prose_is_still_an_article():
    html = page("Filling a water tank", STORY * 4 + BUY)
    record = extract(html, GUIDE_URL, now=CRAWL)
    assert record["is_article"], record["not_article_reason"]


def test_a_story_s_prose_outweighs_a_link_heavy_sidebar():
    """No date nor author, most of the page's text in menus: the prose still makes it one."""
    menu = "<ul>" + MENU * 5 + "</ul>"
    html = page("Filling a water tank", STORY * 4).replace("<main>", f"<aside>{menu}</aside><main>")
    record = extract(html, GUIDE_URL, now=CRAWL)
    assert record["is_article"], record["not_article_reason"]


@pytest.mark.parametrize("dated, is_article", [(True, True), (False, False)])
def test_an_item_list_is_a_listing_unless_the_page_is_dated(dated, is_article):
    head = ld("ItemList") + (DATED if dated else "")
    record = extract(page("The best water tanks", head=head), GUIDE_URL, now=CRAWL)
    assert record["is_article"] is is_article, record["not_article_reason"]


CODE = "".join(f"<pre><code>pump --start --station {i}</code></pre>" for i in range(4))


@pytest.mark.parametrize("head, is_article", [("", False), (AUTHORED, True)])
def test_code_examples_without_article_evidence_are_documentation(head, is_article):
    html = page("Starting the water pump from the command line", STORY[:600] + CODE, head=head)
    record = extract(html, "https://example.net/pump/start", now=CRAWL)
    assert record["is_article"] is is_article, record["not_article_reason"]


@pytest.mark.parametrize(
    "time, is_article",
    [
        ('<time datetime="2025-07-02">2 July</time>', True),
        ("<time>July 2, 2025</time>", True),  # no datetime: its text prints the day
        ("<time>Summer</time>", False),
    ],
)
def test_a_post_about_code_is_dated_by_its_time_element(time, is_article):
    html = page("Starting the water pump from the command line", time + STORY[:600] + CODE)
    record = extract(html, "https://example.net/pump/start", now=CRAWL)
    assert record["is_article"] is is_article, record["not_article_reason"]


def test_page_shape_counts_cards_prose_prices_and_code():
    from lxml import html as lxml_html

    from scraper.extract.classify import page_shape

    nav = "<nav>" + cards(10) + "</nav>"  # a menu's entries are never cards
    html = grid_page("Tanks", cards(6, price=True), STORY + CODE + BUY)
    html = html.replace("<main>", nav + "<main>")
    shape = page_shape(lxml_html.fromstring(html))
    assert (shape.teaser_cards, shape.priced_cards) == (6, 6)
    assert shape.teaser_words == 6 * 7
    assert shape.prose_words == 8 * 25  # STORY's eight paragraphs of 25 words
    assert shape.code_blocks == 4 and shape.buy_button


@pytest.mark.parametrize(
    "title, head, is_article",
    [
        ("Power tools", "", False),  # a category named, its cards, a little text, no date
        ("Power tools", AUTHORED, True),  # a dated, bylined piece may be titled so
        ("Power tools sell out across the city", "", True),  # a headline, not a name
    ],
)
def test_a_page_named_in_a_few_words_with_cards_and_little_prose_is_not_a_story(
    title, head, is_article
):
    html = page(title, STORY[:1000] + cards(4), head=head)
    record = extract(html, "https://example.net/tools-power", now=CRAWL)
    assert record["is_article"] is is_article, record["not_article_reason"]


def test_a_short_story_named_in_a_few_words_without_cards_or_links_is_still_an_article():
    record = extract(page("Water in Hasakah", STORY[:1000]), None, now=CRAWL)
    assert record["is_article"], record["not_article_reason"]


def test_a_story_titled_with_the_site_s_name_is_still_an_article_by_its_prose():
    """A broken <title> (the site's name alone) over a story's worth of paragraphs."""
    record = extract(page("Hasakah Today", STORY * 3), GUIDE_URL, now=CRAWL)
    assert record["is_article"], record["not_article_reason"]


def test_a_short_story_with_related_headlines_and_an_article_type_is_an_article():
    """Two teaser headlines in a short story's blocks: its JSON-LD article type outweighs them."""
    html = page("Water queues", STORY[:900] + TEASERS[:400], head=ld("NewsArticle"))
    record = extract(html, ARTICLE_URL, now=CRAWL)
    assert record["is_article"], record["not_article_reason"]


def test_a_story_that_a_theme_wraps_in_an_aside_is_found():
    """A theme that puts the whole page in a popup overlay (<aside>): trafilatura's precise
    passes drop the aside with the story in it, its recall pass keeps the story."""
    html = page("Water queues", STORY).replace("<main>", "<aside class='Popup-Overlay'><main>")
    html = html.replace("</main>", "</main></aside>")
    record = extract(html, ARTICLE_URL, now=CRAWL)
    assert record["is_article"], record["not_article_reason"]
    assert "Paragraph 7: residents of Hasakah" in record["body"]
