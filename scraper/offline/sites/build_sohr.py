"""Regenerate the offline copy of the Syrian Observatory for Human Rights (English) in scraper/offline/sites/sohr/.

    python scraper/offline/sites/build_sohr.py

What the structure is based on: SOHR's English site is a WordPress install
under https://www.syriahr.com/en/ (the Arabic site is the root of the same
host). Posts use the numeric permalink ``/en/<post id>/``; categories are
``/en/category/news/syria-news/`` and ``/en/category/reports/`` with
WordPress's ``page/<n>/`` pagination; the feed is ``/en/feed/``; Yoast SEO
writes ``/en/sitemap_index.xml`` (post, page and category sitemaps with
lastmod) and the schema.org graph. Pages use the TieLabs "Jannah" theme:
share buttons above and below the story, a "Tags" box, "Related Articles",
a "Most Viewed" sidebar, a newsletter box and a cookie notice. Some posts are
only a video with one line of text (not articles); SOHR's own staff account
("The Syrian Observatory For Human Rights") is the author of every post, so
no article has a named author.

The stories are written for this copy (plausible prose, no real quotes).
Pages, feed, sitemaps, listings, site.toml and expected.json all come from
the data below, so expected.json cannot drift from the pages.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import quote

from sitegen import (
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
OUT = HERE / "sohr"
HOST = "www.syriahr.com"
SITE = f"https://{HOST}"
BASE = f"{SITE}/en"
CANON = "https://syriahr.com/en"  # the archive's canonical form drops "www."
SITE_NAME = "The Syrian Observatory For Human Rights"
PER_PAGE = 3

CATEGORIES = {
    "syria-news": ("Syria news", "/category/news/syria-news/"),
    "reports": ("Reports", "/category/reports/"),
}

# Body mini-format: blocks separated by a blank line; "## " subheading,
# "* " list items, "> " blockquote, "%% " a cruft paragraph the site puts
# inside the story container (must not reach the clean body).
ARTICLES = [
    dict(
        id=341877,
        cat="syria-news",
        title="Two children killed by unexploded ordnance in eastern Idlib countryside",
        published="2025-12-14T09:12:40+00:00",
        modified="2025-12-14T09:40:02+00:00",
        tags=["Idlib", "Remnants of war", "Children"],
        image="2025/12/idlib-ordnance.jpg",
        caption="Archive photo of a field near Saraqib",
        body="""
SOHR activists have reported that two children were killed on Sunday morning when a piece of unexploded ordnance went off near their home in the village of Tell Mardikh in the eastern countryside of Idlib. A third child was taken to hospital in Saraqib with serious injuries.

According to local sources, the children had found the object in a field that was on the front line until late 2024 and carried it back to the courtyard of the family house. Their father had returned to the village only two months earlier, after years in a camp for displaced people near the Turkish border.

%% Read also: Demining teams clear farmland near Maarat al-Numan as planting season starts

The incident brings the number of civilians killed by landmines and remnants of war across Syria since the beginning of the year to 512, among them 171 children, according to SOHR's documentation.

## Fields still contaminated

Farmers in the countryside of Idlib and Hama say large areas of farmland remain out of use because nobody has surveyed them. Civil defence teams have cleared some roads and schools, but residents complain that the teams are too few for the size of the area, and that many families returning from the camps have no choice but to work the land before it is checked.

SOHR renews its call on the authorities and on international organisations to speed up the clearance of contaminated areas, to mark suspected fields clearly and to run awareness sessions in schools, so that children stop paying the price of a war that has ended on paper.
""",
    ),
    dict(
        id=341702,
        cat="syria-news",
        title="Gunmen on motorcycle kill shop owner in Al-Mayadin city",
        published="2025-12-11T18:05:13+00:00",
        modified="2025-12-11T18:05:13+00:00",
        tags=["Deir Ezzor", "Security chaos"],
        image="2025/12/mayadin-market.jpg",
        caption="The main market of Al-Mayadin",
        body="""
SOHR sources have reported that unidentified gunmen riding a motorcycle opened fire on a man in front of his shop in the vegetable market of Al-Mayadin city in the eastern countryside of Deir Ezzor on Thursday evening, killing him instantly before fleeing to an unknown destination.

The victim, a father of four in his forties, sold mobile phones and had no known political or military affiliation, according to relatives who spoke to SOHR activists. Security forces closed the entrances to the market for several hours and searched nearby streets, but no arrests have been announced.

Residents say assassinations of this kind have become frequent in the city, where disputes over property, revenge killings and the activity of armed cells overlap. Many shop owners now close before sunset.

Since the beginning of the year, SOHR has documented 97 assassinations and attempted assassinations in Deir Ezzor province alone, which left 84 people dead.

%% Share this:
""",
    ),
    dict(
        id=341455,
        cat="reports",
        title="Winter in the camps: thousands of families in northern Syria without heating fuel",
        published="2025-12-07T12:30:00+00:00",
        modified="2025-12-08T08:15:44+00:00",
        tags=["Displaced people", "Camps", "Humanitarian situation"],
        image="2025/12/atmeh-camp-winter.jpg",
        caption="Tents in a camp near Atmeh after the first rain",
        body="""
With the first cold waves of the season, the situation in the camps for displaced people in northern Idlib and the countryside of Aleppo is deteriorating again. SOHR activists who visited several camps this week found families burning plastic, shoes and dry olive branches to keep warm, as most of them received no heating fuel this year.

Although tens of thousands of displaced people have returned to their towns since the fall of the former regime, many others cannot go back because their houses were destroyed or are still occupied, or because they have no money to repair them. For them, the tent remains the only home.

## Aid cut back

Several organisations that used to distribute fuel and winter kits have reduced their programmes because of funding cuts. Camp managers told SOHR that the quantities delivered so far cover less than a quarter of the families registered.

The most urgent needs listed by camp residents are:

* Heating fuel or safe stoves for the winter months.
* Waterproof tarpaulins and blankets, especially for families with infants.
* Gravel and drainage to stop water flooding the tents after rainfall.

> Every winter we are promised that it will be the last one in a tent.

The sentence, repeated by a mother of five in a camp near Sarmada, sums up the frustration of people who have spent a decade waiting.

SOHR calls on donor countries and the Syrian government to treat the camps as an emergency, and to put in place a real plan for the return of their residents to their areas of origin.
""",
    ),
    dict(
        id=341210,
        cat="syria-news",
        title="Landmine explosion injures shepherd near Palmyra desert",
        published="2025-12-03T07:44:21+00:00",
        modified="2025-12-03T07:44:21+00:00",
        tags=["Homs", "Remnants of war"],
        image="2025/12/palmyra-desert.jpg",
        caption="The desert east of Palmyra",
        body="""
A shepherd was seriously injured on Wednesday morning when a landmine exploded as he was grazing his sheep in the desert east of Palmyra in the eastern countryside of Homs, SOHR sources have reported.

The man, who is in his thirties, lost part of his leg and was transferred to the national hospital in Homs city. Several of his sheep were killed in the blast.

The Badia desert was the scene of years of fighting and of operations by ISIS cells, which left behind large numbers of mines and improvised explosive devices. Shepherds and truffle hunters, who go deep into the desert, are among the most exposed.

%% Photo: SOHR archive

SOHR has repeatedly warned that the desert will remain deadly for years unless a systematic survey of the area is carried out.
""",
    ),
    dict(
        id=340988,
        cat="reports",
        title="Property disputes in Homs: returnees find strangers living in their homes",
        published="2025-11-28T15:20:09+00:00",
        modified="2025-11-29T10:02:37+00:00",
        tags=["Homs", "Property rights", "Returnees"],
        image="2025/11/homs-khalidiya.jpg",
        caption="A damaged building in Al-Khalidiya neighbourhood",
        body="""
People returning to the city of Homs after years of displacement increasingly find their houses occupied by other families, some of whom were settled there by security services of the former regime, others who moved in on their own after the owners fled. SOHR has received dozens of complaints from neighbourhoods such as Al-Khalidiya, Baba Amr and Al-Qusour.

In many cases the occupants present rental contracts or sale documents signed during the war. Owners say these papers were forged or obtained under pressure, and that they had no way to contest them while they were abroad or in areas outside government control.

## Committees overwhelmed

Local committees formed to settle such disputes are overwhelmed, lawyers told SOHR. Their decisions are not always enforced, and some disputes have turned violent. At least three people were killed in quarrels over property in Homs province in the past two months.

Legal experts interviewed by SOHR suggest a few steps that could reduce tension:

* A central register of property complaints, open to Syrians abroad.
* Temporary housing for occupants who have nowhere else to go, so that evictions do not create a new wave of displacement.
* A review of sales registered between 2012 and 2024 in the most affected neighbourhoods.

SOHR stresses that the right of displaced people to recover their property is fundamental to any lasting peace, and calls for a transparent process that protects both owners and vulnerable families.
""",
    ),
    dict(
        id=340761,
        cat="syria-news",
        title="Health directorate warns of cholera cases along the Euphrates",
        published="2025-11-24T10:05:00+00:00",
        modified="2025-11-24T11:11:11+00:00",
        tags=["Cholera", "Health", "Euphrates"],
        image="2025/11/euphrates-water.jpg",
        caption="Residents collect water from the Euphrates",
        body="""
Health authorities have recorded 23 suspected cases of cholera in villages along the Euphrates river in the countryside of Deir Ezzor and Raqqa over the past two weeks, according to information obtained by SOHR. Two elderly patients have died.

Medical sources attribute the outbreak to the low level of the river and to the pumping of untreated water directly from it, as many water stations are out of service because of fuel shortages and damaged equipment.

Doctors in Al-Mayadin and Al-Busayrah said the local hospitals lack rehydration solutions and antibiotics, and that patients from remote villages arrive late because transport costs are high.

%% Read also: Water stations in eastern Deir Ezzor stop working as fuel runs out

The health directorate has launched an awareness campaign urging residents to boil drinking water and to wash vegetables carefully, and has begun adding chlorine to the tanks of some villages.
""",
    ),
]

# A video post: one line of text around an embedded clip. Not an article.
VIDEO = dict(
    id=341600,
    cat="syria-news",
    title="Video | Rescue teams pull survivors from collapsed building in Aleppo",
    published="2025-12-10T16:40:00+00:00",
    modified="2025-12-10T16:40:00+00:00",
    tags=["Aleppo"],
    image="2025/12/aleppo-collapse-video.jpg",
    caption="Video grab",
    text="SOHR activists have obtained this footage of rescue teams in Aleppo.",
)

CRUFT = [
    "Share this:",
    "Share via Email",
    "Facebook",
    "WhatsApp",
    "Telegram",
    "Related Articles",
    "Most Viewed",
    "Read also",
    "Photo: SOHR archive",
    "Subscribe to our newsletter",
    "We use cookies",
    "All Rights Reserved",
    "Back to top button",
    "Tags",
    "The Syrian Observatory For Human Rights",
    "\u00a0",
]


# ----------------------------------------------------------------------------
# helpers
# ----------------------------------------------------------------------------


def url_of(post: dict) -> str:
    return f"{BASE}/{post['id']}/"


def canon_of(post: dict) -> str:
    return f"{CANON}/{post['id']}/"


# ----------------------------------------------------------------------------
# page chrome
# ----------------------------------------------------------------------------

MENU = [("Home", "/"), ("Syria news", "/category/news/syria-news/"),
        ("Reports", "/category/reports/"), ("About us", "/about-us/")]


def head(title: str, canonical: str, extra: str = "") -> str:
    return f"""<!DOCTYPE html>
<html lang="en-US" dir="ltr" class="">
<head>
<meta charset="UTF-8" />
<link rel="profile" href="https://gmpg.org/xfn/11" />
<title>{esc(title)}</title>
<meta name="robots" content="index, follow, max-image-preview:large, max-snippet:-1, max-video-preview:-1" />
<link rel="canonical" href="{canonical}" />
{extra}<link rel="alternate" type="application/rss+xml" title="{SITE_NAME} &raquo; Feed" href="{BASE}/feed/" />
<link rel='stylesheet' id='tie-css-base-css' href='{BASE}/wp-content/themes/jannah/assets/css/base.min.css?ver=7.3.8' type='text/css' media='all' />
<meta name="viewport" content="width=device-width, initial-scale=1.0" />
</head>
"""


def site_header() -> str:
    items = "".join(f'<li class="menu-item"><a href="{BASE}{p}">{esc(n)}</a></li>' for n, p in MENU)
    return f"""<body id="tie-body" class="wp-singular tie-no-js">
<div class="background-overlay"><div id="tie-container" class="site tie-container"><div id="tie-wrapper">
<header id="theme-header" class="theme-header header-layout-3 main-nav-dark top-nav-active">
<nav id="top-nav" class="has-date-components top-nav header-nav" aria-label="Secondary Navigation">
<div class="container"><div class="topbar-wrapper"><div class="topbar-today-date">Sunday, December 14, 2025</div>
<ul class="components"><li class="social-icons-item"><a class="social-link facebook-social-icon" rel="external noopener nofollow" target="_blank" href="https://www.facebook.com/syriahroe"><span class="screen-reader-text">Facebook</span></a></li>
<li class="social-icons-item"><a class="social-link telegram-social-icon" rel="external noopener nofollow" target="_blank" href="https://t.me/syriahr"><span class="screen-reader-text">Telegram</span></a></li></ul></div></div>
</nav>
<div class="container header-container"><div class="tie-row logo-row"><div class="logo-wrapper"><div class="tie-col-md-4 logo-container clearfix">
<div id="logo" class="image-logo"><a title="{SITE_NAME}" href="{BASE}/"><img src="{BASE}/wp-content/uploads/2021/03/sohr-logo.png" alt="{SITE_NAME}" width="300" height="90" /></a></div>
</div></div></div></div>
<div class="main-nav-wrapper"><nav id="main-nav" class="main-nav header-nav" aria-label="Primary Navigation"><div class="container"><div class="main-menu-wrapper">
<div id="menu-components-wrap"><div class="main-menu main-menu-wrap"><div id="main-nav-menu" class="main-menu header-menu"><ul id="menu-main" class="menu">{items}</ul></div></div>
<ul class="components"><li class="search-compact-icon menu-item custom-menu-link"><a href="#" class="tie-search-trigger"><span class="tie-icon-search tie-search-icon" aria-hidden="true"></span><span class="screen-reader-text">Search for</span></a></li></ul>
</div></div></div></nav></div>
</header>
"""


SIDEBAR = """<aside class="sidebar tie-col-md-4 tie-col-xs-12 normal-side is-sticky" aria-label="Primary Sidebar">
<div class="theiaStickySidebar">
<div id="posts-list-widget-2" class="container-wrapper widget posts-list"><div class="widget-title the-global-title"><div class="the-subtitle">Most Viewed</div></div>
<div class="widget-posts-list-wrapper"><div class="widget-posts-list-container"><ul class="posts-list-items widget-posts-wrapper">{items}</ul></div></div></div>
<div id="tie-newsletter-2" class="container-wrapper widget subscribe-widget"><div class="widget-inner-wrap">
<span class="tie-icon-envelope newsletter-icon" aria-hidden="true"></span>
<div class="subscribe-widget-content"><h4>Subscribe to our newsletter</h4><p>Daily documentation of the human rights situation in Syria, in your inbox.</p></div>
<div id="mc_embed_signup-tie-newsletter-2"><form action="https://syriahr.us4.list-manage.com/subscribe/post" method="post" class="subscribe-form validate" target="_blank">
<label class="screen-reader-text" for="mce-EMAIL-tie-newsletter-2">Enter your Email address</label>
<input type="email" value="" id="mce-EMAIL-tie-newsletter-2" placeholder="Enter your Email address" name="EMAIL" class="subscribe-input required email">
<input type="submit" value="Subscribe" name="subscribe" class="button subscribe-submit"></form></div>
</div></div>
</div></aside>
"""

FOOTER = f"""<footer id="footer" class="site-footer dark-skin dark-widgetized-area">
<div id="site-info" class="site-info site-info-layout-2"><div class="container"><div class="tie-row"><div class="tie-col-md-12">
<div class="copyright-text copyright-text-first">&copy; Copyright 2025, All Rights Reserved &nbsp;|&nbsp; {SITE_NAME}</div>
<div class="footer-menu"><ul id="menu-footer" class="menu"><li class="menu-item"><a href="{BASE}/about-us/">About us</a></li><li class="menu-item"><a href="{BASE}/privacy-policy/">Privacy Policy</a></li></ul></div>
</div></div></div></div>
</footer>
<a id="go-to-top" class="go-to-top-button" href="#go-to-tie-body"><span class="tie-icon-angle-up"></span><span class="screen-reader-text">Back to top button</span></a>
</div></div></div>
<div id="cookie-law-info-bar" class="cookie-notice" data-nosnippet="true"><span>We use cookies on our website to give you the most relevant experience by remembering your preferences and repeat visits. <a role="button" id="cookie_action_close_header" class="cli-plugin-button">Accept</a></span></div>
<script type='text/javascript' src='{BASE}/wp-content/themes/jannah/assets/js/scripts.min.js?ver=7.3.8' id='tie-scripts-js'></script>
</body>
</html>
"""


def sidebar(posts: list[dict]) -> str:
    items = "".join(
        f'<li class="widget-single-post-item widget-post-list"><div class="post-widget-body">'
        f'<a class="post-title the-subtitle" href="{url_of(p)}">{esc(p["title"])}</a>'
        f'<div class="post-meta"><span class="date meta-item tie-icon">{english_date(p["published"])}'
        f"</span></div></div></li>"
        for p in posts[:4]
    )
    return SIDEBAR.replace("{items}", items)


def share(post: dict, where: str) -> str:
    u, t = quote(url_of(post), safe=""), quote(post["title"], safe="")
    return f"""<div id="share-buttons-{where}" class="share-buttons share-buttons-{where}"><div class="share-links  icons-only">
<a href="https://www.facebook.com/sharer.php?u={u}" rel="external noopener nofollow" title="Facebook" target="_blank" class="facebook-share-btn " data-raw="https://www.facebook.com/sharer.php?u={{post_link}}"><span class="share-btn-icon tie-icon-facebook"></span> <span class="social-text">Facebook</span></a>
<a href="https://x.com/intent/post?text={t}&amp;url={u}" rel="external noopener nofollow" title="X" target="_blank" class="twitter-share-btn "><span class="share-btn-icon tie-icon-twitter"></span> <span class="social-text">X</span></a>
<a href="https://api.whatsapp.com/send?text={t}%20{u}" rel="external noopener nofollow" title="WhatsApp" target="_blank" class="whatsapp-share-btn "><span class="share-btn-icon tie-icon-whatsapp"></span> <span class="social-text">WhatsApp</span></a>
<a href="https://telegram.me/share/url?url={u}&amp;text={t}" rel="external noopener nofollow" title="Telegram" target="_blank" class="telegram-share-btn "><span class="share-btn-icon tie-icon-paper-plane"></span> <span class="social-text">Telegram</span></a>
<a href="mailto:?subject={t}&amp;body={u}" rel="external noopener nofollow" title="Share via Email" target="_blank" class="email-share-btn "><span class="share-btn-icon tie-icon-envelope"></span> <span class="social-text">Share via Email</span></a>
</div></div>
"""


def json_ld(post: dict) -> str:
    url = url_of(post)
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {
                "@type": "NewsArticle",
                "@id": url + "#article",
                "isPartOf": {"@id": url},
                "author": {"name": SITE_NAME, "@id": BASE + "/#/schema/person/1"},
                "headline": post["title"],
                "datePublished": post["published"],
                "dateModified": post["modified"],
                "mainEntityOfPage": {"@id": url},
                "publisher": {"@id": BASE + "/#organization"},
                "image": {"@id": url + "#primaryimage"},
                "thumbnailUrl": f"{BASE}/wp-content/uploads/{post['image']}",
                "keywords": post["tags"],
                "articleSection": [CATEGORIES[post["cat"]][0]],
                "inLanguage": "en-US",
            },
            {"@type": "WebPage", "@id": url, "url": url, "name": f"{post['title']} - {SITE_NAME}",
             "datePublished": post["published"], "dateModified": post["modified"],
             "inLanguage": "en-US"},
            {"@type": "Organization", "@id": BASE + "/#organization", "name": SITE_NAME,
             "url": BASE + "/"},
            {"@type": "Person", "@id": BASE + "/#/schema/person/1", "name": SITE_NAME},
        ],
    }
    return ('<script type="application/ld+json" class="yoast-schema-graph">'
            + json.dumps(graph, ensure_ascii=False) + "</script>\n")


def render_blocks(blocks) -> str:
    """The block editor's markup; the in-story cruft paragraphs are plain paragraphs."""
    return "\n\n".join(wp_block("p" if kind == "cruft" else kind, payload, gutenberg=True)
                       for kind, payload in blocks)


def related(post: dict, posts: list[dict]) -> str:
    others = [p for p in posts if p["id"] != post["id"]][:3]
    return "".join(
        f'<div class="related-item tie-standard"><a aria-label="{attr(p["title"])}" href="{url_of(p)}" class="post-thumb">'
        f'<img width="390" height="220" src="{BASE}/wp-content/uploads/{p["image"]}" alt="" /></a>'
        f'<h3 class="post-title"><a href="{url_of(p)}">{esc(p["title"])}</a></h3>'
        f'<div class="post-meta clearfix"><span class="date meta-item tie-icon">{english_date(p["published"])}</span></div></div>\n'
        for p in others
    )


def description(post: dict) -> str:
    first = next(plain(b[1]) for b in parse_body(post["body"]) if b[0] == "p")
    return first[:155].rsplit(" ", 1)[0] + "..." if len(first) > 160 else first


def article_page(post: dict, posts: list[dict], content_html: str, desc: str) -> str:
    url = url_of(post)
    name, cat_path = CATEGORIES[post["cat"]]
    image = f"{BASE}/wp-content/uploads/{post['image']}"
    extra = f"""<meta name="description" content="{attr(desc)}" />
<meta property="og:locale" content="en_US" />
<meta property="og:type" content="article" />
<meta property="og:title" content="{attr(post['title'])}" />
<meta property="og:description" content="{attr(desc)}" />
<meta property="og:url" content="{url}" />
<meta property="og:site_name" content="{SITE_NAME}" />
<meta property="article:publisher" content="https://www.facebook.com/syriahroe" />
<meta property="article:published_time" content="{post['published']}" />
<meta property="article:modified_time" content="{post['modified']}" />
<meta property="og:image" content="{image}" />
<meta name="author" content="{SITE_NAME}" />
<meta name="twitter:card" content="summary_large_image" />
<link rel="shortlink" href="{BASE}/?p={post['id']}" />
{json_ld(post)}"""
    tags = "".join(f'<a href="{BASE}/tag/{slug(t)}/" rel="tag">{esc(t)}</a>' for t in post["tags"])
    return (
        head(f"{post['title']} - {SITE_NAME}", url, extra)
        + site_header()
        + f"""<div id="content" class="site-content container"><div id="main-content-row" class="tie-row main-content-row">
<div class="main-content tie-col-md-8 tie-col-xs-12" role="main">
<article id="the-post" class="container-wrapper post-content tie-standard">
<header class="entry-header-outer">
<nav id="breadcrumb"><a href="{BASE}/"><span class="tie-icon-home" aria-hidden="true"></span> Home</a><em class="delimiter">/</em><a href="{BASE}{cat_path}">{esc(name)}</a><em class="delimiter">/</em><span class="current">{esc(post['title'])}</span></nav>
<div class="entry-header">
<span class="post-cat-wrap"><a class="post-cat tie-cat-{post['cat']}" href="{BASE}{cat_path}">{esc(name)}</a></span>
<h1 class="post-title entry-title">{esc(post['title'])}</h1>
<div class="single-post-meta post-meta clearfix"><span class="author-meta single-author no-avatars"><span class="meta-item meta-author-wrapper meta-author-1"><span class="meta-author"><a href="{BASE}/author/sohr/" class="author-name tie-icon" title="{SITE_NAME}">{SITE_NAME}</a></span></span></span><span class="date meta-item tie-icon">{english_date(post['published'])}</span><div class="tie-alignright"><span class="meta-views meta-item "><span class="tie-icon-fire" aria-hidden="true"></span> 1,204 </span><span class="meta-reading-time meta-item"><span class="tie-icon-bookmark" aria-hidden="true"></span> 2 minutes read</span></div></div>
</div>
</header>
{share(post, "top")}<div class="featured-area"><div class="featured-area-inner"><figure class="single-featured-image"><img width="780" height="470" src="{image}" class="attachment-jannah-image-post size-jannah-image-post wp-post-image" alt="" decoding="async" fetchpriority="high" /><figcaption class="single-caption-text"><span class="tie-icon-camera" aria-hidden="true"></span> {esc(post['caption'])}</figcaption></figure></div></div>
<div class="entry-content entry clearfix">
{content_html}
</div><!-- .entry-content /-->
<div id="post-extra-info"><div class="theiaStickySidebar"><div class="single-post-meta post-meta clearfix"><span class="date meta-item tie-icon">{english_date(post['published'])}</span></div>{share(post, "side")}</div></div>
<div class="clearfix"></div>
<div class="post-bottom-meta post-bottom-tags post-tags-modern"><div class="post-bottom-meta-title"><span class="tie-icon-tags" aria-hidden="true"></span> Tags</div><span class="tagcloud">{tags}</span></div>
{share(post, "bottom")}</article>
<div class="post-components">
<div id="related-posts" class="container-wrapper has-extra-post"><div class="mag-box-title the-global-title"><h3>Related Articles</h3></div>
<div class="related-posts-list">
{related(post, posts)}</div></div>
</div>
</div>
{sidebar(posts)}</div></div>
"""
        + FOOTER
    )


def video_page(post: dict, posts: list[dict]) -> str:
    content = (f'<figure class="wp-block-embed is-type-video"><div class="wp-block-embed__wrapper">'
               f'<iframe title="{attr(post["title"])}" width="780" height="439" '
               f'src="https://www.youtube.com/embed/x7Qb2kTzR1c?feature=oembed" frameborder="0" '
               f'allowfullscreen></iframe></div></figure>\n<p>{esc(post["text"])}</p>')
    post = dict(post, body=post["text"])
    return article_page(post, posts, content, post["text"])


def listing_item(post: dict) -> str:
    name, cat_path = CATEGORIES[post["cat"]]
    return f"""<li class="post-item tie-standard">
<a aria-label="{attr(post['title'])}" href="{url_of(post)}" class="post-thumb"><span class="post-cat-wrap"><span class="post-cat tie-cat-{post['cat']}">{esc(name)}</span></span><img width="390" height="220" src="{BASE}/wp-content/uploads/{post['image']}" class="attachment-jannah-image-large size-jannah-image-large wp-post-image" alt="" /></a>
<div class="post-details">
<div class="post-meta clearfix"><span class="date meta-item tie-icon">{english_date(post['published'])}</span></div>
<h2 class="post-title"><a href="{url_of(post)}">{esc(post['title'])}</a></h2>
<p class="post-excerpt">{esc(description(post) if 'body' in post else post['text'])}</p>
<a class="more-link button" href="{url_of(post)}">Read More &raquo;</a>
</div></li>"""


def pages_nav(base_path: str, page: int, pages: int) -> str:
    if pages <= 1:
        return ""
    def link(n: int) -> str:
        return BASE + page_path(base_path, n)
    parts = []
    for n in range(1, pages + 1):
        if n == page:
            parts.append(f'<li class="current"><span class="pages-nav-item">{n}</span></li>')
        else:
            parts.append(f'<li><a href="{link(n)}" class="pages-nav-item">{n}</a></li>')
    nxt = (f'<li class="the-next-page"><a href="{link(page + 1)}">&raquo;</a></li>'
           if page < pages else "")
    return ('<div class="pages-nav"><ul class="pages-numbers">' + "".join(parts) + nxt
            + "</ul></div>\n")


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
            + f"""<div id="content" class="site-content container"><div id="main-content-row" class="tie-row main-content-row">
<div class="main-content tie-col-md-8 tie-col-xs-12" role="main">
<header class="entry-header-outer container-wrapper"><nav id="breadcrumb"><a href="{BASE}/">Home</a><em class="delimiter">/</em><span class="current">{esc(title)}</span></nav><h1 class="page-title">{esc(title)}</h1></header>
<div class="mag-box wide-post-box"><div class="container-wrapper"><div class="mag-box-container clearfix"><ul id="posts-container" class="posts-items">
{items}
</ul>
{pages_nav(base_path, number, len(pages))}</div></div></div>
</div>
{sidebar(side)}</div></div>
"""
            + FOOTER
        )
    return files


def static_page(path: str, title: str, paragraphs: list[str], side: list[dict]) -> str:
    body = "\n".join(f"<p>{esc(p)}</p>" for p in paragraphs)
    extra = (og_meta(title, "article")
             + '<meta property="article:modified_time" content="2024-02-01T09:00:00+00:00" />\n')
    return (
        head(f"{title} - {SITE_NAME}", BASE + path, extra)
        + site_header()
        + f"""<div id="content" class="site-content container"><div id="main-content-row" class="tie-row main-content-row">
<div class="main-content tie-col-md-8 tie-col-xs-12" role="main">
<article id="the-post" class="container-wrapper post-content tie-standard">
<header class="entry-header-outer"><div class="entry-header"><h1 class="post-title entry-title">{esc(title)}</h1></div></header>
<div class="entry-content entry clearfix">
{body}
</div></article></div>
{sidebar(side)}</div></div>
"""
        + FOOTER
    )


ABOUT = [
    "The Syrian Observatory for Human Rights is a group of people who believe in the defence of "
    "human rights. It documents violations committed against civilians in Syria through a network "
    "of activists inside the country and publishes its findings daily.",
    "The Observatory is not affiliated with any political body and relies on sources on the "
    "ground, cross-checked before publication.",
]


def feed_xml(posts: list[dict], last_build: str) -> str:
    items = [wp_feed_item(title=p["title"], link=url_of(p), comments=f"{url_of(p)}#respond",
                          creator=SITE_NAME, published=p["published"],
                          categories=[CATEGORIES[p["cat"]][0], *p["tags"]],
                          guid=f"{BASE}/?p={p['id']}",
                          description=description(p) if "body" in p else p["text"])
             for p in posts]
    return wp_feed(title=SITE_NAME, feed_url=f"{BASE}/feed/", link=BASE, description="SOHR",
                   last_build=last_build, language="en-US", generator="6.8.3", items=items)


XSL = stylesheet(f"//{HOST}/en/main-sitemap.xsl") + "\n"


ROBOTS = robots([*WP_ADMIN, "Disallow: /en/wp-admin/", "Allow: /en/wp-admin/admin-ajax.php",
                 "Disallow: /en/?s=", "Disallow: /en/search/"],
                [f"{SITE}/sitemap_index.xml", f"{BASE}/sitemap_index.xml"])


def build(out: Path = OUT) -> dict:
    articles = sorted(ARTICLES, key=lambda p: utc_iso(p["published"]), reverse=True)
    posts = sorted([*articles, VIDEO], key=lambda p: utc_iso(p["published"]), reverse=True)
    shutil.rmtree(out / "www", ignore_errors=True)
    www = out / "www"
    last_build = max((p["modified"] for p in posts), key=utc_iso)

    write(www, "robots.txt", ROBOTS)
    write(www, "en/feed.xml", feed_xml(posts, last_build))
    write(www, "en/sitemap_index.xml", sitemap_index([
        (f"{BASE}/post-sitemap.xml", utc_iso(last_build)),
        (f"{BASE}/page-sitemap.xml", "2024-02-01T09:00:00+00:00"),
        (f"{BASE}/category-sitemap.xml", utc_iso(last_build)),
    ], XSL))
    write(www, "en/post-sitemap.xml", urlset(
        [(url_of(p), utc_iso(p["modified"])) for p in reversed(posts)], XSL))
    write(www, "en/page-sitemap.xml", urlset([
        (f"{BASE}/", utc_iso(last_build)),
        (f"{BASE}/about-us/", "2024-02-01T09:00:00+00:00"),
    ], XSL))
    write(www, "en/category-sitemap.xml", urlset(
        [(f"{BASE}{path}", utc_iso(last_build)) for _name, path in CATEGORIES.values()], XSL))

    bodies = {}
    for a in articles:
        blocks = parse_body(a["body"])
        bodies[a["id"]] = clean_body(blocks)
        write(www, f"en/{a['id']}/index.html",
              article_page(a, posts, render_blocks(blocks), description(a)))
    write(www, f"en/{VIDEO['id']}/index.html", video_page(VIDEO, posts))
    write(www, "en/about-us/index.html", static_page("/about-us/", "About us", ABOUT, articles))

    listings: dict[str, dict] = {}
    not_articles = [f"{CANON}/", f"{CANON}/about-us/", canon_of(VIDEO)]
    home_items = "\n".join(listing_item(p) for p in posts[:6])
    write(www, "en/index.html", head(SITE_NAME, BASE + "/", '<meta property="og:type" content="website" />\n')
          + site_header()
          + f'<div id="content" class="site-content container"><ul class="posts-items">\n{home_items}\n</ul></div>\n'
          + FOOTER)
    for key, (name, path) in CATEGORIES.items():
        items = [p for p in posts if p["cat"] == key]
        files = listing_pages(path, name, items, articles)
        for rel, text in files.items():
            write(www, "en/" + rel, text)
        listings[BASE + path] = {"pages": len(files), "posts": [canon_of(p) for p in items]}
        not_articles += page_urls(CANON + path, len(files))

    write(out, "site.toml",
          site_toml_head("SOHR English (WordPress under /en/)", "build_sohr.py", HOST, last_build)
          + "\n" + wp_feed_routes("/en/feed/", "en/feed.xml", f"{BASE}/feed/"))

    expected_articles = []
    for a in articles:
        body = bodies[a["id"]]
        assert_clean(a["id"], body, CRUFT)
        expected_articles.append(expected_article(
            url=canon_of(a), title=a["title"], summary=description(a), authors=[],
            published=a["published"], modified=a["modified"], language="en",
            section=CATEGORIES[a["cat"]][0], tags=a["tags"],
            image=f"{BASE}/wp-content/uploads/{a['image']}", body=body))
    expected = expected_json(
        source="sohr",
        host="syriahr.com",
        feed=f"{BASE}/feed/",
        sitemap=f"{BASE}/sitemap_index.xml",
        articles=expected_articles,
        aliases={},
        not_articles=not_articles,
        feed_items=[canon_of(p) for p in posts],
        listings=listings,
        cruft=CRUFT,
    )
    return write_expected(out, expected)


if __name__ == "__main__":
    result = build()
    print(f"{len(result['articles'])} articles written to {OUT}")
