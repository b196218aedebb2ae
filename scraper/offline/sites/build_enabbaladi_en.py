"""Regenerate the offline copy of Enab Baladi English in scraper/offline/sites/enabbaladi-en/.

    python scraper/offline/sites/build_enabbaladi_en.py

What the copy is based on: english.enabbaladi.net is a WordPress site. Its
post permalinks are /archives/<yyyy>/<mm>/<slug>/ (as linked from other
sites and from its own feed), categories and tags live under
/archives/category/<slug>/ and /archives/tag/<slug>/ (category feeds at
/archives/category/<slug>/feed/), listings paginate as WordPress does
(.../page/<n>/), the main feed is /feed/ and the sitemaps are Yoast's
(/sitemap_index.xml -> post-sitemap.xml, page-sitemap.xml). The theme puts
each listing item in a div.one-post with its date in a <samp>, and the story
in div.content-article; around it are the share bar, a "Read also:" line
inside the story, photo credits in parentheses "(Enab Baladi/...)", the tag
block, the newsletter box, "Most read" and the footer. Class names of the
chrome are modelled on that theme, not copied from it.

The stories are written for this copy (plausible news prose, no real
quotes). Pages, feed, sitemaps, listings, site.toml and expected.json are all
written from the same data below, so expected.json cannot drift from the
pages.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import quote

from sitegen import (
    WP_ADMIN,
    YOAST,
    assert_clean,
    attr,
    chunks,
    clean_body,
    dt,
    english_date,
    esc,
    expected_article,
    expected_json,
    og_meta,
    page_numbers,
    page_path,
    parse_body,
    robots,
    site_toml_head,
    sitemap_index,
    slug,
    stylesheet,
    texturize,
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
SOURCE_ID = "enabbaladi-en"
OUT = HERE / SOURCE_ID
HOST = "english.enabbaladi.net"
BASE = f"https://{HOST}"
SITE_NAME = "Enab Baladi"
PER_PAGE = 2
FEED_SIZE = 10

SECTIONS = {"news": "News", "economy": "Economy", "reports": "Reports"}

# --------------------------------------------------------------------------
# The stories. Body mini-format: blocks separated by a blank line;
# "## " subheading, "* " list items (one per line), "> " blockquote,
# "@@READ id@@" a "Read also:" line linking another story (cruft),
# "@@CREDIT text@@" a photo-credit line "(Enab Baladi/...)" (cruft),
# "@@FIGURE file|caption@@" an inline image with its caption (cruft),
# anything else a paragraph (inline <a>, <em>, <strong> allowed).
# --------------------------------------------------------------------------

ARTICLES = [
    dict(
        id=96412,
        section="news",
        slug="idlib-farmers-count-losses-after-late-frost-hits-olive-groves",
        title="Idlib farmers count losses after late frost hits olive groves",
        summary=(
            "A cold snap in early April damaged blossoms in olive and fig orchards across the "
            "Idlib countryside, and farmers fear a second poor harvest in a row."
        ),
        published="2025-04-14T18:22:05+03:00",
        modified="2025-04-14T18:40:11+03:00",
        authors=["Hadi Darwish"],
        tags=["Idlib", "Agriculture", "Olive"],
        image=("2025/04/idlib-olive-frost.jpg", "An olive grove near Maarrat Misrin after the April frost (Enab Baladi/Hadi Darwish)"),
        body="""
Farmers in the northern countryside of Idlib are assessing the damage to their olive and fig orchards after two nights of frost in early April, when temperatures dropped below zero just as the trees were beginning to flower.

In the villages around Maarrat Misrin and Kafr Takharim, growers said that the frost burned the young shoots and blossoms on trees in low-lying plots, where cold air settles overnight. Orchards on the hillsides fared better.

@@CREDIT Enab Baladi/Hadi Darwish@@

One farmer, who owns about four hundred olive trees, told Enab Baladi that he expects to lose more than half of this year’s crop. Last season was already weak because of a dry winter, he said, and many families used their savings to pay for fertiliser and ploughing.

@@READ 95870@@

## No compensation scheme

Agricultural engineers in the region said that frost damage is not covered by any insurance or compensation programme, and that small farmers are the most exposed because they cannot afford frost protection such as wind machines or sprinklers.

The local agriculture directorate said it had started a survey of the affected areas, but gave no indication of whether any support would follow.

Olive oil is one of the main sources of income in the Idlib countryside, and a poor harvest also affects the seasonal workers who are hired for picking and the presses that operate in the autumn.
""",
    ),
    dict(
        id=95870,
        section="economy",
        slug="syrian-pound-steadies-as-exchange-offices-reopen-in-damascus",
        title="Syrian pound steadies as exchange offices reopen in Damascus",
        summary=(
            "Licensed exchange offices have reopened in the capital under new rules from the "
            "Central Bank, and traders say the gap with the parallel market has narrowed."
        ),
        published="2025-03-30T11:05:00+03:00",
        modified="2025-03-30T15:12:40+03:00",
        authors=[],
        tags=["Syrian pound", "Central Bank", "Damascus"],
        image=("2025/03/damascus-exchange-office.jpg", "An exchange office in al-Hamidiyah market in Damascus (Enab Baladi)"),
        body="""
The Syrian pound has held broadly stable against the US dollar over the past two weeks, after the Central Bank of Syria allowed licensed exchange offices in Damascus to resume buying and selling foreign currency at rates close to those of the street market.

Traders in the markets of al-Hamidiyah and al-Harika said that the difference between the official bulletin and the rates offered by money changers has narrowed to a few hundred pounds, compared with several thousand at the beginning of the year.

@@FIGURE 2025/03/exchange-rates-board.jpg|A board showing exchange rates in central Damascus (Enab Baladi)@@

Under the new rules, exchange offices must record the identity of customers buying more than a set amount and report their daily transactions to the Central Bank. Offices that violate the rules can lose their licence.

## What traders expect

Importers interviewed by Enab Baladi said that a more predictable exchange rate makes it easier to price goods, but that access to dollars for larger transactions remains limited. Several said they still rely on transfers through neighbouring countries.

Economists caution that the stability could prove fragile without a steady flow of foreign currency from exports, remittances and investment. They list three conditions for it to last:

* A clear and published policy on the exchange rate.
* Banks that can transfer money abroad without intermediaries.
* Public finances that do not depend on printing money.

For households, the immediate effect has been modest. Prices of basic goods in Damascus have stopped rising, but wages in the public sector remain far below the cost of living.
""",
    ),
    dict(
        id=95301,
        section="reports",
        slug="returnees-to-eastern-ghouta-rebuild-homes-without-title-deeds",
        title="Returnees to Eastern Ghouta rebuild homes without title deeds",
        summary=(
            "Families returning to the towns of Eastern Ghouta are repairing damaged houses, but "
            "many cannot prove ownership because land registry records were lost."
        ),
        published="2025-03-11T09:30:00+03:00",
        modified="2025-03-12T10:02:17+03:00",
        authors=["Lama Rajab", "Yamen Moghrabi"],
        tags=["Eastern Ghouta", "Housing", "Property rights", "Refugees"],
        image=("2025/03/douma-rebuilding.jpg", "Workers repair a damaged building in Douma (Enab Baladi/Lama Rajab)"),
        body="""
In the streets of Douma and Harasta, the sound of hammers and cement mixers has returned. Families who left Eastern Ghouta years ago are coming back to inspect what remains of their homes, and many have started repairs with whatever money they can gather.

But behind the rebuilding lies a problem that could take years to resolve: a large share of the returnees cannot prove that they own the houses they are repairing.

## Lost records

Land registry offices in several towns of the Ghouta were damaged during the fighting, and some of their archives were burned or removed. Many properties were also sold informally during the war, with contracts signed in front of witnesses rather than registered with the authorities.

A lawyer who works with returning families in Douma said that most of the cases he receives involve inheritance disputes or sales that were never registered. Without official documents, he said, owners cannot obtain building permits or sell their property.

@@READ 94611@@

> Every family has a paper, a witness or a neighbour who remembers, but none of that is a title deed.

The Ministry of Local Administration has announced plans to digitise the remaining records and to set up committees to examine ownership claims. Residents say they have not yet seen those committees in their towns.

Meanwhile, families continue to rebuild at their own risk, aware that any future dispute could put their investment in question.
""",
    ),
    dict(
        id=94611,
        section="news",
        slug="daraa-schools-reopen-after-winter-break-with-teacher-shortage",
        title="Daraa schools reopen after winter break with teacher shortage",
        summary=(
            "Public schools in the Daraa countryside resumed classes with dozens of vacant "
            "teaching posts, and parents are paying volunteers to fill the gaps."
        ),
        published="2025-02-09T13:45:00+03:00",
        modified="2025-02-09T13:45:00+03:00",
        authors=[],
        tags=["Daraa", "Education"],
        image=("2025/02/daraa-classroom.jpg", "Pupils in a classroom in the western Daraa countryside (Enab Baladi)"),
        body="""
Schools in the western and eastern countryside of Daraa reopened this week after the winter break, but many of them are still without teachers for core subjects such as mathematics, English and physics.

Headteachers in the towns of Tafas and Nawa said that several teachers had resigned or left the country in recent months, and that the education directorate had not yet appointed replacements.

In some villages, parents have agreed to pay a monthly fee to volunteers, often recent university graduates, to teach classes that would otherwise be cancelled. The fee ranges from a few thousand pounds per child to a fixed contribution from each family.

@@CREDIT Enab Baladi@@

The education directorate in Daraa said it had launched a recruitment competition for teachers, and that successful candidates would be appointed before the end of the school year.

Teachers who remain in their posts say that low salaries are the main reason for the shortage. A teacher’s monthly wage covers only a small part of a family’s basic needs, and many work second jobs in the afternoon.
""",
    ),
    dict(
        id=93988,
        section="economy",
        slug="aleppo-textile-workshops-resume-exports-to-iraq",
        title="Aleppo textile workshops resume exports to Iraq",
        summary=(
            "Small textile workshops in Aleppo have started shipping clothes to Iraq again, "
            "helped by lower transport costs, though electricity remains a constraint."
        ),
        published="2025-01-22T16:10:00+03:00",
        modified="2025-01-23T08:30:00+03:00",
        authors=["Hadi Darwish"],
        tags=["Aleppo", "Industry", "Trade", "Iraq"],
        image=("2025/01/aleppo-textile-workshop.jpg", "A textile workshop in the Sheikh Najjar industrial city in Aleppo (Enab Baladi)"),
        body="""
Textile workshops in Aleppo have resumed exports of ready-made clothes to Iraq, according to manufacturers in the city, after the reopening of trade routes and a fall in the cost of road transport.

Owners of small workshops in the Sheikh Najjar industrial city and in the old neighbourhoods of the city said that Iraqi traders have returned to place orders for children’s clothes and winter garments, which were once among Aleppo’s main exports.

@@READ 95870@@

## Electricity and raw materials

Manufacturers said that the main obstacle is the cost of electricity. Most workshops run on generators for much of the day, which raises production costs and makes it harder to compete with Turkish and Chinese goods.

The price of imported yarn and fabric is another concern, since most raw materials are paid for in dollars. Some workshop owners said they have reduced their workforce to keep prices competitive.

The Aleppo Chamber of Industry has called for lower customs duties on raw materials and for dedicated power lines to industrial zones, arguing that the textile sector could employ tens of thousands of workers if its costs fell.
""",
    ),
    dict(
        id=93402,
        section="news",
        slug="in-raqqa-a-community-radio-station-keeps-the-city-talking",
        title="In Raqqa, a community radio station keeps the city talking",
        summary=(
            "A small radio station run by volunteers in Raqqa broadcasts local news, call-in "
            "shows and programmes for children, and relies on donations to stay on air."
        ),
        published="2024-12-28T10:00:00+03:00",
        modified="2024-12-28T12:25:48+03:00",
        authors=["Lama Rajab"],
        tags=["Raqqa", "Media"],
        image=("2024/12/raqqa-radio-studio.jpg", "The studio of a community radio station in Raqqa (Enab Baladi/Lama Rajab)"),
        body="""
Every morning at eight, a small studio in a residential building in Raqqa goes on air with the day’s local news: which roads are closed, where bread is being distributed and which clinics are open.

The station was founded by a group of young residents who wanted a space where people could hear about their own city. It broadcasts for six hours a day on FM and streams its programmes online for listeners outside the city.

## Call-in shows

The most popular programme is a call-in show where residents raise complaints about services, from water cuts to rubbish collection. The presenters invite officials from the local council to answer on air, although not all of them accept.

@@FIGURE 2024/12/raqqa-radio-presenter.jpg|A presenter prepares the morning programme (Enab Baladi/Lama Rajab)@@

Programmes for children, including stories and quizzes, fill the afternoon hours. Volunteers also produce short features about the history of the city and its old neighbourhoods.

The station depends on donations and small grants, and its volunteers say they are unsure whether it will survive another year. Equipment is old, and the cost of running generators during power cuts takes up most of the budget.
""",
    ),
]

NOT_ARTICLE_PAGES = {
    "about": ("/about-us/", "About us", [
        "Enab Baladi is an independent Syrian media organisation founded in Daraya in 2011. "
        "It publishes a weekly newspaper and a news website in Arabic and English.",
        "Our English website translates and adapts reports from our Arabic newsroom and "
        "publishes original reporting from across Syria.",
    ]),
}

FEED_UTM = 95301  # linked from the feed with utm_* parameters
CRUFT = [
    "Read also:",
    "Share this article",
    "Copy link",
    "Subscribe to our newsletter",
    "Get the latest news from Syria in your inbox",
    "Enter your email",
    "Most read",
    "Support Enab Baladi",
    "All rights reserved",
    "Leave a Reply",
    "(Enab Baladi",
    "Enab Baladi/",
    "Tags:",
    "Skip to content",
    "\u00a0",
]

# --------------------------------------------------------------------------
# Helpers (shared shape with the other site generators)
# --------------------------------------------------------------------------


def url_of(post: dict) -> str:
    d = dt(post["published"])
    return f"{BASE}/archives/{d:%Y}/{d:%m}/{post['slug']}/"


def utm_url_of(post: dict) -> str:
    return url_of(post) + "?utm_source=rss&utm_medium=rss&utm_campaign=" + post["slug"][:40]


TYPOGRAPHY = "’‘“”–"  # what wptexturize turns into numeric entities on this site
MARKERS = ("READ", "CREDIT", "FIGURE")  # @@READ id@@, @@CREDIT text@@, @@FIGURE file|caption@@
CRUFT_KINDS = ("read", "credit", "figure")


def render_blocks(blocks, by_id: dict) -> str:
    out = []
    for kind, payload in blocks:
        if kind == "read":
            other = by_id[int(payload)]
            out.append(f'<p><strong>Read also:</strong> <a href="{url_of(other)}">'
                       f"{esc(other['title'])}</a></p>")
        elif kind == "credit":
            out.append(f"<p>({esc(payload)})</p>")
        elif kind == "figure":
            file, caption = payload.split("|", 1)
            out.append(
                f'<figure class="wp-caption aligncenter" style="width: 800px">'
                f'<img loading="lazy" src="{BASE}/wp-content/uploads/{file}" width="800" height="533" alt="" />'
                f'<figcaption class="wp-caption-text">{esc(caption)}</figcaption></figure>'
            )
        else:
            out.append(wp_block(kind, payload, lambda s: texturize(s, TYPOGRAPHY)))
    return "\n".join(out)


# --------------------------------------------------------------------------
# Page chrome
# --------------------------------------------------------------------------

MENU = [("News", "/archives/category/news/"), ("Economy", "/archives/category/economy/"),
        ("Reports", "/archives/category/reports/"), ("About us", "/about-us/")]


def head(title: str, canonical: str, extra: str = "", description: str = "") -> str:
    desc = f'<meta name="description" content="{attr(description)}" />\n' if description else ""
    return f"""<!DOCTYPE html>
<html lang="en-US" prefix="og: https://ogp.me/ns#">
<head>
<meta charset="UTF-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>{esc(title)}</title>
{desc}<meta name="robots" content="index, follow, max-snippet:-1, max-image-preview:large, max-video-preview:-1" />
<link rel="canonical" href="{attr(canonical)}" />
{extra}<link rel="alternate" type="application/rss+xml" title="Enab Baladi &raquo; Feed" href="{BASE}/feed/" />
<link rel='stylesheet' id='enab-style-css' href='{BASE}/wp-content/themes/enab/style.css?ver=4.2' type='text/css' media='all' />
<script src="{BASE}/wp-includes/js/jquery/jquery.min.js?ver=3.7.1" id="jquery-core-js"></script>
<link rel="https://api.w.org/" href="{BASE}/wp-json/" />
</head>
"""


def site_header() -> str:
    items = "\n".join(f'<li class="menu-item"><a href="{BASE}{p}">{esc(n)}</a></li>' for n, p in MENU)
    return f"""<a class="skip-link screen-reader-text" href="#main">Skip to content</a>
<header class="site-header">
<div class="top-bar"><span class="date-today">Monday, April 14, 2025</span>
<a class="lang-switch" href="https://www.enabbaladi.net/">عربي</a></div>
<div class="logo"><a href="{BASE}/"><img src="{BASE}/wp-content/themes/enab/images/logo-en.png" alt="Enab Baladi" /></a></div>
<nav class="main-menu"><ul class="menu">
<li class="menu-item"><a href="{BASE}/">Home</a></li>
{items}
</ul></nav>
<form class="search-form" action="{BASE}/" method="get"><input type="text" name="s" placeholder="Search..." /><button type="submit">Search</button></form>
</header>
"""


def sidebar(posts: list[dict]) -> str:
    items = "\n".join(f'<li><a href="{url_of(p)}">{esc(p["title"])}</a></li>' for p in posts[:4])
    return f"""<aside class="sidebar">
<div class="widget most-read"><h3 class="widget-title">Most read</h3><ol>
{items}
</ol></div>
<div class="widget support-box"><h3 class="widget-title">Support Enab Baladi</h3>
<p>Independent journalism from inside Syria depends on its readers.</p>
<a class="btn" href="{BASE}/donate/">Donate</a></div>
</aside>
"""


NEWSLETTER = """<div class="newsletter-box">
<h4>Subscribe to our newsletter</h4>
<p>Get the latest news from Syria in your inbox.</p>
<form class="mc4wp-form" method="post"><input type="email" name="EMAIL" placeholder="Enter your email" required /><input type="submit" value="Subscribe" /></form>
</div>
"""


def site_footer() -> str:
    return f"""<footer class="site-footer">
<div class="footer-menu"><a href="{BASE}/about-us/">About us</a> | <a href="{BASE}/contact-us/">Contact us</a> | <a href="{BASE}/feed/">RSS</a></div>
<div class="social"><a href="https://www.facebook.com/EnabBaladi.English">Facebook</a> <a href="https://twitter.com/EnabBaladiENG">X</a> <a href="https://t.me/EnabBaladiEnglish">Telegram</a></div>
<p class="copyright">&copy; 2025 Enab Baladi. All rights reserved.</p>
</footer>
<script src="{BASE}/wp-content/themes/enab/js/main.js?ver=4.2"></script>
</body>
</html>
"""


def share_bar(url: str, title: str) -> str:
    u, t = quote(url, safe=""), quote(title, safe="")
    return f"""<div class="share-post">
<span class="share-title">Share this article</span>
<a class="facebook" href="https://www.facebook.com/sharer.php?u={u}" target="_blank" rel="nofollow">Facebook</a>
<a class="twitter" href="https://twitter.com/intent/tweet?text={t}&amp;url={u}" target="_blank" rel="nofollow">X</a>
<a class="whatsapp" href="https://api.whatsapp.com/send?text={u}" target="_blank" rel="nofollow">WhatsApp</a>
<a class="telegram" href="https://t.me/share/url?url={u}" target="_blank" rel="nofollow">Telegram</a>
<button class="copy-link" data-url="{url}">Copy link</button>
</div>
"""


def json_ld(post: dict) -> str:
    url = url_of(post)
    author = ([{"@type": "Person", "name": n, "url": f"{BASE}/archives/author/{slug(n)}/"}
               for n in post["authors"]] or {"@type": "Organization", "name": SITE_NAME})
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "NewsArticle", "@id": url + "#article", "headline": post["title"],
             "description": post["summary"], "datePublished": post["published"],
             "dateModified": post["modified"], "author": author,
             "publisher": {"@id": BASE + "/#organization"},
             "image": {"@type": "ImageObject", "url": f"{BASE}/wp-content/uploads/{post['image'][0]}"},
             "articleSection": SECTIONS[post["section"]], "keywords": ", ".join(post["tags"]),
             "inLanguage": "en-US", "mainEntityOfPage": {"@id": url}},
            {"@type": "Organization", "@id": BASE + "/#organization", "name": SITE_NAME,
             "url": BASE + "/"},
        ],
    }
    return ('<script type="application/ld+json" class="yoast-schema-graph">'
            + json.dumps(graph, ensure_ascii=False) + "</script>\n")


def byline(post: dict) -> str:
    if not post["authors"]:
        return '<span class="post-author">Enab Baladi</span>'
    names = " and ".join(
        f'<a href="{BASE}/archives/author/{slug(n)}/">{esc(n)}</a>' for n in post["authors"]
    )
    return f'<span class="post-author">Enab Baladi – {names}</span>'


def article_page(post: dict, posts: list[dict], by_id: dict) -> str:
    url = url_of(post)
    image_url = f"{BASE}/wp-content/uploads/{post['image'][0]}"
    d = dt(post["published"])
    extra = f"""<meta property="og:locale" content="en_US" />
<meta property="og:type" content="article" />
<meta property="og:title" content="{attr(post['title'])}" />
<meta property="og:description" content="{attr(post['summary'])}" />
<meta property="og:url" content="{url}" />
<meta property="og:site_name" content="{SITE_NAME}" />
<meta property="article:section" content="{SECTIONS[post['section']]}" />
<meta property="article:published_time" content="{post['published']}" />
<meta property="article:modified_time" content="{post['modified']}" />
<meta property="og:image" content="{image_url}" />
<meta name="twitter:card" content="summary_large_image" />
<link rel="shortlink" href="{BASE}/?p={post['id']}" />
""" + json_ld(post)
    tags = " ".join(
        f'<a href="{BASE}/archives/tag/{slug(t)}/" rel="tag">{esc(t)}</a>' for t in post["tags"]
    )
    related = [p for p in posts if p["section"] == post["section"] and p["id"] != post["id"]][:3]
    related_html = "\n".join(
        f'<div class="one-post"><a href="{url_of(p)}"><h3>{esc(p["title"])}</h3></a></div>'
        for p in related
    )
    return (
        head(f"{post['title']} - Enab Baladi", url, extra, post["summary"])
        + f'<body class="post-template-default single single-post postid-{post["id"]}">\n'
        + site_header()
        + f"""<main id="main" class="container">
<div class="breadcrumbs"><a href="{BASE}/">Home</a> &gt; <a href="{BASE}/archives/category/{post['section']}/">{SECTIONS[post['section']]}</a></div>
<article id="post-{post['id']}" class="post-{post['id']} post type-post status-publish">
<div class="post-header">
<h1 class="post-title">{texturize(esc(post['title']), TYPOGRAPHY)}</h1>
<div class="post-meta">{byline(post)}
<time class="post-date" datetime="{post['published']}">{d:%Y/%m/%d}</time></div>
</div>
{share_bar(url, post['title'])}<figure class="featured-image">
<img src="{image_url}" width="1200" height="800" alt="" />
<figcaption>{esc(post['image'][1])}</figcaption>
</figure>
<div class="content-article">
{render_blocks(parse_body(post['body'], MARKERS), by_id)}
</div>
<div class="post-tags"><span class="tags-label">Tags:</span> {tags}</div>
{NEWSLETTER}</article>
<section class="related-posts"><h3>Related</h3>
{related_html}
</section>
<div id="comments" class="comments-area"><h3 id="reply-title" class="comment-reply-title">Leave a Reply</h3>
<form class="comment-form"><textarea name="comment"></textarea><input type="submit" value="Post Comment" /></form></div>
</main>
""" + sidebar(posts) + site_footer()
    )


def listing_item(post: dict) -> str:
    return f"""<div class="one-post">
<a href="{url_of(post)}"><img src="{BASE}/wp-content/uploads/{post['image'][0]}" alt="" /></a>
<div class="item-content"><a href="{url_of(post)}"><h3>{esc(post['title'])}</h3></a>
<samp>{english_date(post['published'])}</samp>
<p>{esc(post['summary'])}</p></div>
</div>"""


def listing_pages(base_path: str, title: str, posts: list[dict], all_posts: list[dict]) -> dict[str, str]:
    pages = chunks(posts, PER_PAGE)
    files = {}
    for number, chunk in enumerate(pages, 1):
        path = page_path(base_path, number)
        nav = page_numbers(lambda n: BASE + page_path(base_path, n), number, len(pages),
                           "« Previous", "Next »")
        page_title = title if number == 1 else f"{title} - Page {number} of {len(pages)}"
        extra = og_meta(page_title)
        items = "\n".join(listing_item(p) for p in chunk)
        files[path.lstrip("/") + "index.html"] = (
            head(f"{page_title} Archives - Enab Baladi", BASE + path, extra)
            + '<body class="archive category">\n' + site_header()
            + f"""<main id="main" class="container">
<h1 class="archive-title">{esc(title)}</h1>
<div class="posts-list">
{items}
</div>
<nav class="navigation pagination"><div class="nav-links">{" ".join(nav)}</div></nav>
</main>
""" + sidebar(all_posts) + site_footer()
        )
    return files


def static_page(path: str, title: str, paragraphs: list[str], posts: list[dict]) -> str:
    extra = og_meta(title)
    body = "\n".join(f"<p>{esc(p)}</p>" for p in paragraphs)
    return (head(f"{title} - Enab Baladi", BASE + path, extra) + '<body class="page">\n'
            + site_header() + f"""<main id="main" class="container"><article class="page">
<h1 class="page-title">{esc(title)}</h1>
<div class="content-article">
{body}
</div></article></main>
""" + sidebar(posts) + site_footer())


def home_page(posts: list[dict]) -> str:
    extra = og_meta(SITE_NAME)
    items = "\n".join(listing_item(p) for p in posts[:6])
    return (head("Enab Baladi - Syrian news in English", BASE + "/", extra,
                 "Independent news and reports from Syria.")
            + '<body class="home blog">\n' + site_header()
            + f'<main id="main" class="container"><section class="latest"><h2>Latest</h2>\n{items}\n</section>\n'
            + NEWSLETTER + "</main>\n" + sidebar(posts) + site_footer())


def feed_xml(posts: list[dict]) -> str:
    items = [wp_feed_item(title=post["title"],
                          link=utm_url_of(post) if post["id"] == FEED_UTM else url_of(post),
                          creator=", ".join(post["authors"]) or SITE_NAME,
                          published=post["published"],
                          categories=[SECTIONS[post["section"]], *post["tags"]],
                          guid=f"{BASE}/?p={post['id']}", description=post["summary"])
             for post in posts[:FEED_SIZE]]
    return wp_feed(title=SITE_NAME, feed_url=f"{BASE}/feed/", link=BASE,
                   description="Syrian news in English",
                   last_build=max((p["modified"] for p in posts), key=utc_iso),
                   language="en-US", generator="6.7.2", items=items)


XSL = stylesheet(f"//{HOST}/main-sitemap.xsl") + "\n"


ROBOTS = robots([*WP_ADMIN, "Disallow: /?s=", "Disallow: /search/"],
                [f"{BASE}/sitemap_index.xml"])


def site_toml(last_build: str) -> str:
    return (site_toml_head("Enab Baladi English (WordPress)", "build_enabbaladi_en.py", HOST,
                           last_build)
            + "\n# WordPress serves the feed at /feed/ and /feed.\n"
            + wp_feed_routes("/feed/", "feed.xml", f"{BASE}/feed/"))


def build(out: Path = OUT) -> dict:
    posts = sorted(ARTICLES, key=lambda p: utc_iso(p["published"]), reverse=True)
    by_id = {p["id"]: p for p in posts}
    shutil.rmtree(out / "www", ignore_errors=True)
    www = out / "www"
    last_build = max((p["modified"] for p in posts), key=utc_iso)
    page_lastmod = "2024-09-02T08:00:00+00:00"

    write(www, "robots.txt", ROBOTS)
    write(www, "feed.xml", feed_xml(posts))
    write(www, "sitemap_index.xml", sitemap_index(
        [(f"{BASE}/post-sitemap.xml", utc_iso(last_build)),
         (f"{BASE}/page-sitemap.xml", page_lastmod)], XSL, YOAST + "\n"))
    oldest_first = sorted(posts, key=lambda p: utc_iso(p["modified"]))
    write(www, "post-sitemap.xml", urlset(
        [(url_of(p), utc_iso(p["modified"])) for p in oldest_first], XSL, YOAST + "\n"))
    write(www, "page-sitemap.xml", urlset([(BASE + "/", utc_iso(last_build)),
                                           (BASE + "/about-us/", page_lastmod)], XSL, YOAST + "\n"))
    write(www, "index.html", home_page(posts))
    for path, title, paragraphs in NOT_ARTICLE_PAGES.values():
        write(www, path.lstrip("/") + "index.html", static_page(path, title, paragraphs, posts))
    for post in posts:
        write(www, url_of(post).removeprefix(BASE + "/") + "index.html",
              article_page(post, posts, by_id))

    listing_urls = []
    listings = {}

    def add_listing(base_path: str, title: str, items: list[dict]) -> None:
        files = listing_pages(base_path, title, items, posts)
        for rel, text in files.items():
            write(www, rel, text)
            listing_urls.append(BASE + "/" + rel.removesuffix("index.html"))
        listings[BASE + base_path] = {"pages": len(files), "posts": [url_of(p) for p in items]}

    for section, name in SECTIONS.items():
        add_listing(f"/archives/category/{section}/", name, [p for p in posts if p["section"] == section])
    for tag in sorted({t for p in posts for t in p["tags"]}):
        add_listing(f"/archives/tag/{slug(tag)}/", tag, [p for p in posts if tag in p["tags"]])

    write(out, "site.toml", site_toml(last_build))

    articles = []
    for post in posts:
        body = clean_body(parse_body(post["body"], MARKERS), CRUFT_KINDS)
        assert_clean(post["slug"], body, CRUFT)
        articles.append(expected_article(
            url=url_of(post), title=post["title"], summary=post["summary"], authors=post["authors"],
            published=post["published"], modified=post["modified"], language="en",
            section=SECTIONS[post["section"]], tags=post["tags"],
            image=f"{BASE}/wp-content/uploads/{post['image'][0]}", body=body))
    captions = [p["image"][1] for p in posts]
    expected = expected_json(
        source=SOURCE_ID,
        host=HOST,
        feed=f"{BASE}/feed/",
        sitemap=f"{BASE}/sitemap_index.xml",
        articles=articles,
        aliases={utm_url_of(by_id[FEED_UTM]): url_of(by_id[FEED_UTM])},
        not_articles=[BASE + "/", *(BASE + v[0] for v in NOT_ARTICLE_PAGES.values()), *listing_urls],
        feed_items=[utm_url_of(p) if p["id"] == FEED_UTM else url_of(p) for p in posts[:FEED_SIZE]],
        listings=listings,
        cruft=CRUFT + captions,
    )
    return write_expected(out, expected)


if __name__ == "__main__":
    result = build()
    print(f"{len(result['articles'])} articles written to {OUT}")
