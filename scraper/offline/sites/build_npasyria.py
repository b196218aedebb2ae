"""Regenerate the offline copy of North Press Agency (English) in scraper/offline/sites/npasyria/.

    python scraper/offline/sites/build_npasyria.py

What the structure is based on: North Press's English service is a
WordPress site under https://npasyria.com/en/ (Arabic at the root, Kurdish
under /ku/). Posts use the numeric permalink ``/en/<post id>/`` (as in the
links people share, e.g. ``/en/55504/``); the feed is ``/en/feed/``;
categories such as ``/en/category/news/`` and ``/en/category/reports/`` page
with ``page/<n>/``; Rank Math writes ``/en/sitemap_index.xml`` with post and
page sitemaps (lastmod). The theme is tagDiv "Newspaper": a share bar above
and below the story, a "TAGS" box, "Previous article / Next article" links,
"RELATED ARTICLES / MORE FROM AUTHOR", a sidebar with "Most Popular" and a
newsletter box, and a GDPR cookie bar. Every story opens with the agency's
dateline ("QAMISHLI, Syria (North Press) –", part of the story) and ends
with the credits line "Reporting by ... / Editing by ...", which is where the
author comes from (the page declares no author); "In pictures" galleries have
a single line of text and are not articles.

The stories are written for this copy (plausible prose, no real quotes).
Everything below is generated from the same data, so expected.json cannot
drift from the pages.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from urllib.parse import quote

from sitegen import (
    RANK_MATH,
    WP_ADMIN,
    assert_clean,
    attr,
    chunks,
    clean_body,
    english_date,
    esc,
    expected_article,
    expected_json,
    og_meta,
    page_path,
    page_urls,
    parse_body,
    plain,
    robots,
    site_toml_head,
    sitemap_index,
    slug,
    stylesheet,
    urlset,
    utc_iso,
    wp_block,
    wp_feed,
    wp_feed_item,
    wp_feed_routes,
    write,
    write_expected,
)

HERE = Path(__file__).resolve().parent
OUT = HERE / "npasyria"
HOST = "npasyria.com"
BASE = f"https://{HOST}/en"
SITE_NAME = "North Press Agency"
PER_PAGE = 3

CATEGORIES = {
    "news": ("News", "/category/news/"),
    "reports": ("Reports", "/category/reports/"),
}

# Body mini-format: blocks separated by a blank line; "## " subheading,
# "* " list items, "> " blockquote, "%% " a cruft paragraph inside the story
# container. The credits line is added from "reporter" / "editor".
ARTICLES = [
    dict(
        id=131842,
        cat="news",
        title="Raqqa farmers demand higher wheat price ahead of sowing season",
        published="2025-12-13T14:20:00+03:00",
        modified="2025-12-13T14:20:00+03:00",
        tags=["Raqqa", "Agriculture", "Wheat"],
        image="2025/12/raqqa-wheat-farmers.jpg",
        caption="A farmer prepares his land in the countryside of Raqqa",
        reporter="Hozan Ali",
        editor="Samer Yassin",
        body="""
RAQQA, Syria (North Press) – Farmers in the countryside of Raqqa, northern Syria, are calling on the authorities to announce a higher purchase price for next year's wheat crop before the sowing season begins, saying that the cost of seeds, fertiliser and diesel has nearly doubled since last year.

In the village of Hamrat Buwaytiyah, east of the city, a farmer who cultivates 40 dunams of irrigated land told North Press that he had not yet decided whether to plant wheat or switch to cotton and vegetables. "If the price is not enough to cover our costs, many of us will leave the land empty," he said.

Farmers say that the price paid for a tonne of wheat last season barely covered production costs, while merchants bought part of the crop at lower prices because the official purchasing centres were slow to pay.

%% Related: Drought cuts wheat harvest in Hasakah by half

The agriculture committee in Raqqa said it had submitted a proposal for a new price and for subsidised fuel for irrigation pumps, and that a decision was expected within weeks.
""",
    ),
    dict(
        id=131790,
        cat="news",
        title="Qamishli residents face longer power cuts as fuel deliveries drop",
        published="2025-12-12T10:05:00+03:00",
        modified="2025-12-12T11:30:00+03:00",
        tags=["Qamishli", "Electricity", "Fuel"],
        image="2025/12/qamishli-generators.jpg",
        caption="Neighbourhood generators in Qamishli",
        reporter="Delsoz Hassan",
        editor="Samer Yassin",
        body="""
QAMISHLI, Syria (North Press) – Residents of the city of Qamishli, in northeast Syria, say the hours of electricity supplied by neighbourhood generators have been cut from ten to six a day, after operators received smaller quantities of subsidised diesel this month.

Generator owners told North Press that the fuel committee reduced their monthly allocation by a third, and that buying diesel on the free market would force them to raise the price of an ampere beyond what most families can pay.

## Households adapt

Families have changed their daily routines around the new schedule. Some run washing machines late at night, others have bought small solar panels and batteries to keep lights and phones working during the cuts.

A shopkeeper in the Al-Wusta neighbourhood said he now spends a large part of his income on batteries for his refrigerators. "We are paying twice, once for the generator and once for the solar system," he said.

%% Follow us on Google News

The fuel committee said the reduction was temporary and linked to maintenance at the Rmelan oil fields, and that allocations would return to normal next month.
""",
    ),
    dict(
        id=131655,
        cat="reports",
        title="Kobani's old market slowly comes back to life",
        published="2025-12-09T09:00:00+03:00",
        modified="2025-12-09T09:45:00+03:00",
        tags=["Kobani", "Reconstruction", "Economy"],
        image="2025/12/kobani-market.jpg",
        caption="Shops reopened in Kobani's old market",
        reporter="Fatma Khalid",
        editor="Nawaf Jaber",
        body="""
KOBANI, Syria (North Press) – Ten years after the battles that destroyed much of Kobani, the city's old market in northern Syria is slowly filling with shops again, as traders who left for Turkey and Iraqi Kurdistan return to rebuild their stores.

Along the main street, new shutters stand next to buildings still marked by shelling. Tailors, sweet makers and mobile phone shops have reopened, and on Fridays the market is crowded with villagers from the countryside.

## Rebuilding with their own money

Most traders say they rebuilt their shops with their own savings or with money sent by relatives abroad, as reconstruction programmes focused on houses, schools and water networks.

The market committee lists the main problems traders still face:

* Unstable electricity, which forces shops to rely on private generators.
* The high cost of goods brought in through long and expensive routes.
* Few customers with enough purchasing power outside the harvest season.

> We rebuilt the walls. Now we need people with money to come back too.

The words of a fabric seller who reopened his shop in the spring reflect a feeling shared by many in the market, where hope and worry sit side by side.
""",
    ),
    dict(
        id=131501,
        cat="news",
        title="Hasakah schools open with shortage of teachers",
        published="2025-12-05T12:40:00+03:00",
        modified="2025-12-05T12:40:00+03:00",
        tags=["Hasakah", "Education"],
        image="2025/12/hasakah-school.jpg",
        caption="Pupils in a school in Hasakah city",
        reporter="Jindar Abdulqader",
        editor="Nawaf Jaber",
        body="""
HASAKAH, Syria (North Press) – Schools in the city of Hasakah and its countryside have opened the second term with a shortage of teachers in several subjects, especially mathematics, English and physics, education officials said.

The education authority said that more than 300 teachers had resigned or left the region over the past year, many of them to work abroad or in better-paid jobs with organisations.

Some schools have merged classes, bringing the number of pupils in one room to more than fifty, while others rely on volunteers and university students to fill the gaps.

Parents say they have to pay for private lessons to make sure their children do not fall behind, an expense many families cannot afford.
""",
    ),
    dict(
        id=131377,
        cat="reports",
        title="On the Euphrates, ferries remain the only link between two banks",
        published="2025-12-01T16:15:00+03:00",
        modified="2025-12-02T08:00:00+03:00",
        tags=["Deir ez-Zor", "Euphrates", "Transport"],
        image="2025/12/euphrates-ferry.jpg",
        caption="A ferry crossing the Euphrates near Dhiban",
        reporter="Ammar Obeid",
        editor="Samer Yassin",
        body="""
DEIR EZ-ZOR, Syria (North Press) – Every morning, dozens of students, workers and farmers crowd onto small metal ferries to cross the Euphrates river in the eastern countryside of Deir ez-Zor, eastern Syria, where most bridges were destroyed during the war and have not been rebuilt.

The crossings between the towns of Dhiban and Al-Mayadin carry people, motorcycles and even sheep. Ferry owners charge a fixed fare per person and more for vehicles and goods.

## Accidents and high water

Residents say the ferries are often overloaded and lack life jackets. Several people have drowned in recent years when boats capsized during strong winds or when the water level rose suddenly.

Local councils on both banks have repeatedly called for a pontoon bridge to be installed, but the project has been delayed by disputes over funding and over who would control it.

Until then, the river crossing remains part of daily life, and a source of anxiety for families whose children cross it to reach school.
""",
    ),
    dict(
        id=131209,
        cat="news",
        title="Displaced families return to villages south of Manbij",
        published="2025-11-27T11:25:00+03:00",
        modified="2025-11-27T13:02:00+03:00",
        tags=["Manbij", "Returnees"],
        image="2025/11/manbij-villages.jpg",
        caption="A village south of Manbij",
        reporter="Mohammad Hajji",
        editor="Nawaf Jaber",
        body="""
MANBIJ, Syria (North Press) – Dozens of displaced families have returned over the past month to villages south of Manbij, east of Aleppo, after demining teams cleared the main roads and some of the farmland around them.

Returnees found their houses looted, with doors, windows and electric cables stripped away. Many are living in one repaired room while they try to fix the rest.

The local council said water was being trucked to the villages until the wells could be equipped with new pumps, and that a mobile clinic visits the area twice a week.

Families say they want to be back in time for the sowing season, even if the land has not been fully surveyed for mines.
""",
    ),
]

# An "In pictures" gallery: photos and one line of text. Not an article.
GALLERY = dict(
    id=131720,
    cat="news",
    title="In pictures: first rain floods streets of Hasakah",
    published="2025-12-10T17:30:00+03:00",
    modified="2025-12-10T17:30:00+03:00",
    tags=["Hasakah"],
    image="2025/12/hasakah-rain.jpg",
    caption="Hasakah after the rain",
    text="HASAKAH, Syria (North Press) – Heavy rain flooded several streets of the city.",
)

CRUFT = [
    "Reporting by",
    "Editing by",
    "Share",
    "TAGS",
    "Previous article",
    "Next article",
    "RELATED ARTICLES",
    "MORE FROM AUTHOR",
    "Most Popular",
    "Related:",
    "Follow us on Google News",
    "Subscribe to our newsletter",
    "This website uses cookies",
    "All rights reserved",
    "\u00a0",
]


# ----------------------------------------------------------------------------
# helpers
# ----------------------------------------------------------------------------


def url_of(post: dict) -> str:
    return f"{BASE}/{post['id']}/"


def description(post: dict) -> str:
    if "text" in post:
        return post["text"]
    first = next(plain(b[1]) for b in parse_body(post["body"]) if b[0] == "p")
    first = re.sub(r"^[A-Z -]+, Syria \(North Press\) – ", "", first)
    return first[:150].rsplit(" ", 1)[0] + "…" if len(first) > 155 else first


# ----------------------------------------------------------------------------
# page chrome (tagDiv Newspaper theme)
# ----------------------------------------------------------------------------

MENU = [("Home", "/"), ("News", "/category/news/"), ("Reports", "/category/reports/"),
        ("About us", "/about-us/")]


def head(title: str, canonical: str, extra: str = "") -> str:
    return f"""<!doctype html >
<html lang="en-US">
<head>
    <title>{esc(title)}</title>
    <meta charset="UTF-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    <link rel="pingback" href="{BASE}/xmlrpc.php" />
<meta name="robots" content="follow, index, max-snippet:-1, max-video-preview:-1, max-image-preview:large"/>
<link rel="canonical" href="{canonical}" />
{extra}<link rel="alternate" type="application/rss+xml" title="{SITE_NAME} &raquo; Feed" href="{BASE}/feed/" />
<link rel='stylesheet' id='td-theme-css' href='{BASE}/wp-content/themes/Newspaper/style.css?ver=12.6.8' type='text/css' media='all' />
</head>
"""


def site_header() -> str:
    items = "".join(f'<li class="menu-item"><a href="{BASE}{p}">{esc(n)}</a></li>'
                    for n, p in MENU)
    return f"""<body class="post-template-default single single-post global-block-template-1 td-animation-stack-type0 td-full-layout" itemscope="itemscope" itemtype="https://schema.org/WebPage">
<div class="td-scroll-up" data-style="style1"><i class="td-icon-menu-up"></i></div>
<div id="td-outer-wrap" class="td-theme-wrap">
<div class="td-header-template-wrap" style="position: relative">
<div class="td-header-desktop-wrap">
<div id="tdi_1" class="tdc-zone"><div class="tdc_zone tdi_2 wpb_row td-pb-row tdc-element-style">
<div class="tdb-header-align"><div class="td_block_wrap tdb_header_logo"><div class="tdb-block-inner td-fix-index"><a class="tdb-logo-a" href="{BASE}/" title="{SITE_NAME}"><span class="tdb-logo-img-wrap"><img class="tdb-logo-img" src="{BASE}/wp-content/uploads/2022/01/npa-logo-en.png" alt="{SITE_NAME}" title="{SITE_NAME}" width="300" height="80" /></span></a></div></div></div>
<div class="td_block_wrap tdb_header_menu"><div id="tdi_5" class="td_block_inner td-fix-index"><ul id="menu-main-menu-1" class="tdb-block-menu tdb-menu tdb-menu-items-visible">{items}</ul></div></div>
<div class="td_block_wrap tdb_header_search"><div class="tdb-block-inner td-fix-index"><div class="tdb-drop-down-search"><form method="get" class="tdb-search-form" action="{BASE}/"><input class="tdb-head-search-form-input" placeholder="Search" type="text" value="" name="s"/><button class="wpb_button tdb-head-search-form-btn" type="submit"><span>Search</span></button></form></div></div></div>
</div></div></div></div>
"""


def sidebar(posts: list[dict]) -> str:
    items = "".join(
        f'<div class="td_module_6 td_module_wrap"><div class="item-details"><h3 class="entry-title td-module-title">'
        f'<a href="{url_of(p)}" rel="bookmark" title="{attr(p["title"])}">{esc(p["title"])}</a></h3>'
        f'<div class="td-module-meta-info"><span class="td-post-date"><time class="entry-date updated td-module-date" '
        f'datetime="{p["published"]}">{english_date(p["published"])}</time></span></div></div></div>'
        for p in posts[:4]
    )
    return f"""<div class="td-pb-span4 td-main-sidebar" role="complementary"><div class="td-ss-main-sidebar">
<div class="td_block_wrap td_block_7 td_block_widget"><div class="td-block-title-wrap"><h4 class="block-title td-block-title"><span class="td-pulldown-size">Most Popular</span></h4></div><div class="td_block_inner">{items}</div></div>
<div class="td_block_wrap tdm_block_inline_text td_block_widget td-newsletter"><div class="td-block-title-wrap"><h4 class="block-title"><span>Subscribe to our newsletter</span></h4></div>
<p class="tdm-descr">Get the latest news from North and East Syria in your inbox every morning.</p>
<form class="tds-form" action="#" method="post"><input type="email" name="email" placeholder="Your email address" required/><button type="submit" class="tds-button">Subscribe</button></form></div>
</div></div>
"""


FOOTER = f"""<div class="td-footer-template-wrap" style="position: relative">
<div class="td-footer-wrap"><div id="tdi_60" class="tdc-zone"><div class="tdc_zone wpb_row td-pb-row">
<div class="td_block_wrap tdb_footer_logo"><a href="{BASE}/"><img src="{BASE}/wp-content/uploads/2022/01/npa-logo-en-white.png" alt="{SITE_NAME}" /></a>
<div class="tdb-footer-descr">North Press Agency is an independent news agency covering north and east Syria.</div></div>
<div class="td_block_wrap tdb_footer_menu"><ul class="menu"><li><a href="{BASE}/about-us/">About us</a></li><li><a href="{BASE}/privacy-policy/">Privacy Policy</a></li><li><a href="{BASE}/contact-us/">Contact us</a></li></ul></div>
<div class="td_block_wrap tdm_block_inline_text"><p class="tdm-descr">© 2025 North Press Agency. All rights reserved.</p></div>
</div></div></div></div>
</div><!--close td-outer-wrap-->
<div id="moove_gdpr_cookie_info_bar" class="moove-gdpr-info-bar-container gdpr-cookie-notice"><div class="moove-gdpr-info-bar-content"><div class="moove-gdpr-cookie-notice"><p>This website uses cookies so that we can provide you with the best user experience possible.</p></div>
<div class="moove-gdpr-button-holder"><button class="mgbutton moove-gdpr-infobar-allow-all">Accept</button></div></div></div>
<script type="text/javascript" src="{BASE}/wp-content/themes/Newspaper/js/tagdiv_theme.min.js?ver=12.6.8" id="td-site-min-js"></script>
</body>
</html>
"""


def share(post: dict, where: str) -> str:
    u, t = quote(url_of(post), safe=""), quote(post["title"], safe="")
    return f"""<div class="td-post-sharing-{where}"><div class="td-post-sharing-classic"></div><div id="td_social_sharing_article_{where}" class="td-post-sharing td-ps-bg td-ps-notext td-post-sharing-style1 ">
<div class="td-post-sharing-visible"><div class="td-social-sharing-button td-social-sharing-button-js td-social-handler td-social-share-text"><div class="td-social-but-icon"><i class="td-icon-share"></i></div><div class="td-social-but-text">Share</div></div>
<a class="td-social-sharing-button td-social-sharing-button-js td-social-network td-social-facebook" href="https://www.facebook.com/sharer.php?u={u}" title="Facebook"><div class="td-social-but-icon"><i class="td-icon-facebook"></i></div><div class="td-social-but-text">Facebook</div></a>
<a class="td-social-sharing-button td-social-sharing-button-js td-social-network td-social-twitter" href="https://twitter.com/intent/tweet?text={t}&amp;url={u}&amp;via=NPA_English" title="Twitter"><div class="td-social-but-icon"><i class="td-icon-twitter"></i></div><div class="td-social-but-text">Twitter</div></a>
<a class="td-social-sharing-button td-social-sharing-button-js td-social-network td-social-whatsapp" href="https://api.whatsapp.com/send?text={t}%20%0A%0A%20{u}" title="WhatsApp"><div class="td-social-but-icon"><i class="td-icon-whatsapp"></i></div><div class="td-social-but-text">WhatsApp</div></a>
<a class="td-social-sharing-button td-social-sharing-button-js td-social-network td-social-telegram" href="https://telegram.me/share/url?url={u}&amp;text={t}" title="Telegram"><div class="td-social-but-icon"><i class="td-icon-telegram"></i></div><div class="td-social-but-text">Telegram</div></a>
</div></div></div>
"""


def json_ld(post: dict) -> str:
    url = url_of(post)
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "Organization", "@id": f"https://{HOST}/en/#organization",
             "name": SITE_NAME, "url": f"{BASE}"},
            {"@type": "WebPage", "@id": url + "#webpage", "url": url, "name": post["title"],
             "datePublished": post["published"], "dateModified": post["modified"],
             "inLanguage": "en-US"},
            {"@type": "NewsArticle", "headline": post["title"],
             "keywords": ", ".join(post["tags"]),
             "datePublished": post["published"], "dateModified": post["modified"],
             "articleSection": CATEGORIES[post["cat"]][0],
             "publisher": {"@id": f"https://{HOST}/en/#organization"},
             "description": description(post),
             "name": post["title"], "@id": url + "#richSnippet",
             "isPartOf": {"@id": url + "#webpage"},
             "image": {"@id": f"{BASE}/wp-content/uploads/{post['image']}"},
             "inLanguage": "en-US", "mainEntityOfPage": {"@id": url + "#webpage"}},
        ],
    }
    return ('<script type="application/ld+json" class="rank-math-schema">'
            + json.dumps(graph, ensure_ascii=False) + "</script>\n")


def render_blocks(blocks) -> str:
    out = []
    for kind, payload in blocks:
        if kind == "cruft":
            out.append(f"<p><strong>{payload}</strong></p>")
        else:
            out.append(wp_block(kind, payload))
    return "\n".join(out)


def related(post: dict, posts: list[dict]) -> str:
    others = [p for p in posts if p["id"] != post["id"]][:3]
    items = "".join(
        f'<div class="td-related-span4"><div class="td_module_related_posts td-animation-stack td_mod_related_posts">'
        f'<div class="td-module-image"><div class="td-module-thumb"><a href="{url_of(p)}" rel="bookmark" class="td-image-wrap" title="{attr(p["title"])}"><span class="entry-thumb" style="background-image: url(\'{BASE}/wp-content/uploads/{p["image"]}\')"></span></a></div></div>'
        f'<div class="item-details"><h3 class="entry-title td-module-title"><a href="{url_of(p)}" rel="bookmark" title="{attr(p["title"])}">{esc(p["title"])}</a></h3></div></div></div>'
        for p in others
    )
    return f"""<div class="td_block_wrap td_block_related_posts tdi_3_7b4 td_with_ajax_pagination td-pb-border-top td_block_template_1" data-td-block-uid="tdi_3_7b4">
<h4 class="td-related-title td-block-title"><a id="tdi_4_0b1" class="td-related-left td-cur-simple-item" data-td_filter_value="" data-td_block_id="tdi_3_7b4" href="#">RELATED ARTICLES</a><a id="tdi_5_65d" class="td-related-right" data-td_filter_value="td_related_more_from_author" data-td_block_id="tdi_3_7b4" href="#">MORE FROM AUTHOR</a></h4>
<div id=tdi_3_7b4 class="td_block_inner"><div class="td-related-row">{items}</div></div></div>
"""


def article_page(post: dict, posts: list[dict], content_html: str) -> str:
    url = url_of(post)
    name, cat_path = CATEGORIES[post["cat"]]
    image = f"{BASE}/wp-content/uploads/{post['image']}"
    desc = description(post)
    extra = f"""<meta name="description" content="{attr(desc)}"/>
<meta property="og:locale" content="en_US" />
<meta property="og:type" content="article" />
<meta property="og:title" content="{attr(post['title'])}" />
<meta property="og:description" content="{attr(desc)}" />
<meta property="og:url" content="{url}" />
<meta property="og:site_name" content="{SITE_NAME}" />
<meta property="article:publisher" content="https://www.facebook.com/NPAEnglish" />
<meta property="article:section" content="{attr(name)}" />
<meta property="og:updated_time" content="{post['modified']}" />
<meta property="og:image" content="{image}" />
<meta property="article:published_time" content="{post['published']}" />
<meta property="article:modified_time" content="{post['modified']}" />
<meta name="twitter:card" content="summary_large_image" />
<meta name="twitter:site" content="@NPA_English" />
{json_ld(post)}"""
    tags = "".join(f'<li><a href="{BASE}/tag/{slug(t)}/">{esc(t)}</a></li>' for t in post["tags"])
    others = [p for p in posts if p["id"] != post["id"]]
    prev_next = (f'<div class="td-block-row td-post-next-prev"><div class="td-block-span6 td-post-prev-post">'
                 f'<div class="td-post-next-prev-content"><span>Previous article</span><a href="{url_of(others[0])}">{esc(others[0]["title"])}</a></div></div>'
                 f'<div class="td-next-prev-separator"></div><div class="td-block-span6 td-post-next-post">'
                 f'<div class="td-post-next-prev-content"><span>Next article</span><a href="{url_of(others[-1])}">{esc(others[-1]["title"])}</a></div></div></div>')
    return (
        head(f"{post['title']} - {SITE_NAME}", url, extra)
        + site_header()
        + f"""<div class="td-main-content-wrap td-container-wrap">
<div class="td-container td-post-template-default ">
<div class="td-crumb-container"><div class="entry-crumbs"><span><a title="" class="entry-crumb" href="{BASE}/">Home</a></span> <i class="td-icon-right td-bread-sep"></i> <span><a title="View all posts in {attr(name)}" class="entry-crumb" href="{BASE}{cat_path}">{esc(name)}</a></span> <i class="td-icon-right td-bread-sep td-bred-no-url-last"></i> <span class="td-bred-no-url-last">{esc(post['title'])}</span></div></div>
<div class="td-pb-row">
<div class="td-pb-span8 td-main-content" role="main"><div class="td-ss-main-content">
<article id="post-{post['id']}" class="post-{post['id']} post type-post status-publish format-standard has-post-thumbnail category-{post['cat']}" itemscope itemtype="https://schema.org/Article">
<div class="td-post-header">
<ul class="td-category"><li class="entry-category"><a href="{BASE}{cat_path}">{esc(name)}</a></li></ul>
<header class="td-post-title"><h1 class="entry-title">{esc(post['title'])}</h1>
<div class="td-module-meta-info"><div class="td-post-author-name"><div class="td-author-by">By</div> <a href="{BASE}/author/npa-english/">NPA English</a><div class="td-author-line"> - </div></div>
<span class="td-post-date"><time class="entry-date updated td-module-date" datetime="{post['published']}">{english_date(post['published'])}</time></span>
<div class="td-post-views"><i class="td-icon-views"></i><span class="td-nr-views-{post['id']}">812</span></div></div>
</header></div>
{share(post, "top")}<div class="td-post-content tagdiv-type">
<div class="td-post-featured-image"><figure><a href="{image}" data-caption="{attr(post['caption'])}"><img width="696" height="392" class="entry-thumb td-modal-image" src="{image}" alt="" title="{attr(post['title'])}"/></a><figcaption class="wp-caption-text">{esc(post['caption'])}</figcaption></figure></div>
{content_html}
</div>
<footer>
<div class="td-post-source-tags"><ul class="td-tags td-post-small-box clearfix"><li><span>TAGS</span></li>{tags}</ul></div>
{share(post, "bottom")}{prev_next}
<div class="td-author-name vcard author" style="display: none"><span class="fn"><a href="{BASE}/author/npa-english/">NPA English</a></span></div>
</footer>
</article>
{related(post, posts)}</div></div>
{sidebar(posts)}</div></div></div>
"""
        + FOOTER
    )


def credits(post: dict) -> str:
    return f"<p>Reporting by {esc(post['reporter'])}<br>\nEditing by {esc(post['editor'])}</p>"


def listing_item(post: dict) -> str:
    name, _ = CATEGORIES[post["cat"]]
    return f"""<div class="td_module_10 td_module_wrap td-animation-stack">
<div class="td-module-thumb"><a href="{url_of(post)}" rel="bookmark" class="td-image-wrap" title="{attr(post['title'])}"><img width="218" height="150" class="entry-thumb" src="{BASE}/wp-content/uploads/{post['image']}" alt="" title="{attr(post['title'])}"/></a></div>
<div class="item-details">
<h3 class="entry-title td-module-title"><a href="{url_of(post)}" rel="bookmark" title="{attr(post['title'])}">{esc(post['title'])}</a></h3>
<div class="td-module-meta-info"><span class="td-post-author-name"><a href="{BASE}/author/npa-english/">NPA English</a> <span>-</span> </span><span class="td-post-date"><time class="entry-date updated td-module-date" datetime="{post['published']}">{english_date(post['published'])}</time></span></div>
<div class="td-excerpt">{esc(description(post))}</div>
</div></div>"""


def page_nav(base_path: str, page: int, pages: int) -> str:
    if pages <= 1:
        return ""

    def link(n: int) -> str:
        return BASE + page_path(base_path, n)

    parts = []
    if page > 1:
        parts.append(f'<a href="{link(page - 1)}" aria-label="prev-page"><i class="td-icon-menu-left"></i></a>')
    for n in range(1, pages + 1):
        parts.append(f'<span class="current">{n}</span>' if n == page
                     else f'<a href="{link(n)}" class="page" title="{n}">{n}</a>')
    if page < pages:
        parts.append(f'<a href="{link(page + 1)}" aria-label="next-page"><i class="td-icon-menu-right"></i></a>')
    parts.append(f'<span class="pages">Page {page} of {pages}</span>')
    return '<div class="page-nav td-pb-padding-side">' + "".join(parts) + "</div>\n"


def listing_pages(base_path: str, title: str, posts: list[dict], side: list[dict]) -> dict:
    pages = chunks(posts, PER_PAGE)
    files = {}
    for number, chunk in enumerate(pages, start=1):
        path = page_path(base_path, number)
        page_title = title if number == 1 else f"{title} - Page {number} of {len(pages)}"
        extra = og_meta(page_title)
        items = "\n".join(listing_item(p) for p in chunk)
        files[path.lstrip("/") + "index.html"] = (
            head(f"{page_title} Archives - {SITE_NAME}", BASE + path, extra)
            + site_header()
            + f"""<div class="td-main-content-wrap td-container-wrap"><div class="td-container">
<div class="td-crumb-container"><div class="entry-crumbs"><span><a class="entry-crumb" href="{BASE}/">Home</a></span> <i class="td-icon-right td-bread-sep td-bred-no-url-last"></i> <span class="td-bred-no-url-last">{esc(title)}</span></div></div>
<div class="td-pb-row"><div class="td-pb-span8 td-main-content"><div class="td-ss-main-content">
<div class="td-page-header"><h1 class="entry-title td-page-title"><span>{esc(title)}</span></h1></div>
{items}
{page_nav(base_path, number, len(pages))}</div></div>
{sidebar(side)}</div></div></div>
"""
            + FOOTER
        )
    return files


def simple_page(path: str, title: str, inner: str, og_type: str, side: list[dict]) -> str:
    extra = og_meta(title, og_type)
    return (
        head(f"{title} - {SITE_NAME}", BASE + path, extra)
        + site_header()
        + f"""<div class="td-main-content-wrap td-container-wrap"><div class="td-container"><div class="td-pb-row">
<div class="td-pb-span8 td-main-content"><div class="td-ss-main-content">
<div class="td-page-header"><h1 class="entry-title td-page-title"><span>{esc(title)}</span></h1></div>
<div class="td-page-content tagdiv-type">
{inner}
</div></div></div>
{sidebar(side)}</div></div></div>
"""
        + FOOTER
    )


ABOUT = [
    "North Press Agency is an independent media organisation founded in 2019. It covers news from "
    "north and east Syria and the rest of the country in Arabic, English and Kurdish.",
    "The agency relies on a network of correspondents in the cities and the countryside, and "
    "publishes news, reports, interviews and multimedia stories every day.",
]


def feed_xml(posts: list[dict], last_build: str) -> str:
    items = [wp_feed_item(title=p["title"], link=url_of(p), creator="NPA English",
                          published=p["published"],
                          categories=[CATEGORIES[p["cat"]][0], *p["tags"]],
                          guid=f"{BASE}/?p={p['id']}", description=description(p))
             for p in posts]
    return wp_feed(title=SITE_NAME, feed_url=f"{BASE}/feed/", link=BASE,
                   description="North Press Agency", last_build=last_build, language="en-US",
                   items=items)


XSL = stylesheet(f"//{HOST}/en/main-sitemap.xsl")
ROBOTS = robots([*WP_ADMIN, "Disallow: /en/wp-admin/", "Disallow: /ku/wp-admin/"],
                [f"https://{HOST}/sitemap_index.xml", f"{BASE}/sitemap_index.xml",
                 f"https://{HOST}/ku/sitemap_index.xml"])


def build(out: Path = OUT) -> dict:
    articles = sorted(ARTICLES, key=lambda p: utc_iso(p["published"]), reverse=True)
    posts = sorted([*articles, GALLERY], key=lambda p: utc_iso(p["published"]), reverse=True)
    shutil.rmtree(out / "www", ignore_errors=True)
    www = out / "www"
    last_build = max((p["modified"] for p in posts), key=utc_iso)

    write(www, "robots.txt", ROBOTS)
    write(www, "en/feed.xml", feed_xml(posts, last_build))
    write(www, "en/sitemap_index.xml", sitemap_index([
        (f"{BASE}/post-sitemap.xml", utc_iso(last_build)),
        (f"{BASE}/page-sitemap.xml", "2024-05-12T10:00:00+03:00"),
    ], XSL, RANK_MATH))
    write(www, "en/post-sitemap.xml",
          urlset([(url_of(p), p["modified"]) for p in posts], XSL, RANK_MATH))
    write(www, "en/page-sitemap.xml",
          urlset([(f"{BASE}/about-us/", "2024-05-12T10:00:00+03:00")], XSL, RANK_MATH))

    bodies = {}
    for a in articles:
        blocks = parse_body(a["body"])
        bodies[a["id"]] = clean_body(blocks)
        write(www, f"en/{a['id']}/index.html",
              article_page(a, posts, render_blocks(blocks) + "\n" + credits(a)))
    gallery_html = "\n".join(
        f'<figure class="wp-block-image size-large"><img src="{BASE}/wp-content/uploads/2025/12/hasakah-rain-{n}.jpg" alt=""/></figure>'
        for n in range(1, 5)) + f"\n<p>{esc(GALLERY['text'])}</p>"
    write(www, f"en/{GALLERY['id']}/index.html", article_page(GALLERY, posts, gallery_html))
    write(www, "en/about-us/index.html", simple_page(
        "/about-us/", "About us", "\n".join(f"<p>{esc(p)}</p>" for p in ABOUT), "article", articles))
    home = "\n".join(listing_item(p) for p in posts[:6])
    write(www, "en/index.html", simple_page("/", SITE_NAME, home, "website", articles))

    listings: dict[str, dict] = {}
    not_articles = [f"{BASE}/", f"{BASE}/about-us/", url_of(GALLERY)]
    for key, (name, path) in CATEGORIES.items():
        items = [p for p in posts if p["cat"] == key]
        files = listing_pages(path, name, items, articles)
        for rel, text in files.items():
            write(www, "en/" + rel, text)
        listings[BASE + path] = {"pages": len(files), "posts": [url_of(p) for p in items]}
        not_articles += page_urls(BASE + path, len(files))

    write(out, "site.toml",
          site_toml_head("North Press Agency English (WordPress under /en/)", "build_npasyria.py",
                         HOST, last_build)
          + "\n" + wp_feed_routes("/en/feed/", "en/feed.xml", f"{BASE}/feed/"))

    expected_articles = []
    for a in articles:
        body = bodies[a["id"]]
        assert_clean(a["id"], body, CRUFT)
        expected_articles.append(expected_article(
            url=url_of(a), title=a["title"], summary=description(a), authors=[a["reporter"]],
            published=a["published"], modified=a["modified"], language="en",
            section=CATEGORIES[a["cat"]][0], tags=a["tags"],
            image=f"{BASE}/wp-content/uploads/{a['image']}", body=body))
    expected = expected_json(
        source="npasyria",
        host=HOST,
        feed=f"{BASE}/feed/",
        sitemap=f"{BASE}/sitemap_index.xml",
        articles=expected_articles,
        aliases={},
        not_articles=not_articles,
        feed_items=[url_of(p) for p in posts],
        listings=listings,
        cruft=CRUFT,
    )
    return write_expected(out, expected)


if __name__ == "__main__":
    result = build()
    print(f"{len(result['articles'])} articles written to {OUT}")
