"""Regenerate the offline copy of Syria Direct in scraper/offline/sites/syriadirect/.

    python scraper/offline/sites/build_syriadirect.py

What the copy is based on: syriadirect.org is a WordPress site on the Avada
(Fusion) theme with WPML for its Arabic edition. Posts have bare slug
permalinks, https://syriadirect.org/<slug>/, and their Arabic translations
are the same host with ?lang=ar (and an Arabic slug). Public scrapers of the
site read listings from Avada's div.fusion-posts-container (one <article>
per post, the link in its h2 and the ISO date in span.updated) on the
"latest reports" page, paginated /<page>/page/<n>/, and the story from
div.sd_article_body. The feed is /feed/, the sitemaps Yoast's
(/sitemap_index.xml -> post-sitemap.xml with the ?lang=ar translations too,
page-sitemap.xml). Because posts have no date or id in their URL, static
pages (/about-us/, /latest-reports/, /donate/ ...) share the URL shape and
carry og:type=article and dates in Yoast's markup: the registry excludes
them by URL. Around the story: Avada's hidden rich-snippet spans (author,
updated time), "Share This Story, Choose Your Platform!", the "About the
Author" box, "Related Posts", a newsletter box and a donation appeal; a
translated story ends with "This report was translated from the original
Arabic by ..." (the editorial note, not body). Class names follow the theme;
markup and stories are written for this copy (no quotes of real people).
"""

from __future__ import annotations

import html
import json
import re
import shutil
import zlib
from datetime import datetime, timezone
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
SOURCE_ID = "syriadirect"
OUT = HERE / SOURCE_ID
HOST = "syriadirect.org"
BASE = f"https://{HOST}"
SITE_NAME = "Syria Direct"
PER_PAGE = 3
FEED_SIZE = 10

SECTIONS = {"news": "News", "features": "Features", "economy": "Economy"}
LATEST = "/latest-reports/"

# Body mini-format: blocks separated by a blank line; "## " subheading, "* "
# list items, "> " blockquote; "@@FIGURE file|caption@@" an inline image,
# "@@NOTE text@@" the translation note (editorial note); else a paragraph.

ARTICLES = [
    dict(
        id=78210,
        slug="in-deir-ez-zor-ferrymen-fill-the-gap-left-by-destroyed-bridges",
        ar_slug="في-دير-الزور-العبارات-تملأ-فراغ-الجسور",
        section="features",
        title="In Deir ez-Zor, ferrymen fill the gap left by destroyed bridges",
        summary="With most bridges over the Euphrates still in ruins, small boats carry people, goods and livestock between the two banks, at a cost and a risk.",
        published="2025-11-18T09:00:00+03:00",
        modified="2025-11-18T11:42:00+03:00",
        authors=["Omar Khattab"],
        tags=["Deir ez-Zor", "Euphrates", "Infrastructure"],
        image=("2025/11/deir-ez-zor-ferry.jpg", "A ferry crosses the Euphrates near Deir ez-Zor city, 12/11/2025 (Omar Khattab/Syria Direct)"),
        body="""
DEIR EZ-ZOR — Every morning before sunrise, a line of people forms on the muddy bank of the Euphrates below the ruins of the old suspension bridge. They wait for one of the metal boats that shuttle between the two sides of the river, carrying students, day labourers, sacks of flour and, sometimes, a sheep or two.

Most of the bridges that once connected the two banks of the river in Deir ez-Zor province were destroyed during the war. Years later, only a handful of crossings have been rebuilt, and many villages remain hours away by road from the markets, hospitals and offices on the other side.

@@FIGURE 2025/11/ferry-passengers.jpg|Passengers board a boat at dawn (Omar Khattab/Syria Direct)@@

## A living, and a danger

For the boat owners, the crossings have become a living. A ferryman who has worked on the river for six years said he makes around twenty trips a day when the water is calm. Fares vary with the load: a passenger pays little, a car or a truck much more.

But the crossings are not without risk. The boats are often overloaded, few passengers wear life jackets and accidents have claimed lives in recent years, especially in winter when the current is strong.

> When the river rises, we stop. Nobody wants to be the one who takes a risk with other people’s children.

Local councils have promised floating bridges as a temporary solution, but residents say they have heard such promises before. Until then, the river crossing remains part of daily life.
""",
    ),
    dict(
        id=78165,
        slug="damascus-rent-prices-push-families-to-the-city-edges",
        ar_slug="أسعار-الإيجارات-في-دمشق-تدفع-العائلات-إلى-الأطراف",
        section="economy",
        title="Damascus rent prices push families to the city’s edges",
        summary="Rents in central Damascus have climbed as returnees, aid workers and businesses compete for a limited stock of habitable flats.",
        published="2025-11-04T14:30:00+03:00",
        modified="2025-11-05T08:15:00+03:00",
        authors=["Lina Haddad", "Omar Khattab"],
        tags=["Damascus", "Housing", "Rent"],
        image=("2025/11/damascus-apartment-blocks.jpg", "Apartment blocks in the Damascus suburb of Jaramana (Lina Haddad/Syria Direct)"),
        body="""
DAMASCUS — For the past three months, a schoolteacher and her husband have been searching for a flat they can afford in the Damascus neighbourhood where they grew up. Each visit ends the same way: the landlord asks for a year’s rent in advance, in dollars.

Rents in the central districts of the capital have risen sharply over the past year, estate agents told Syria Direct. Demand comes from several directions at once: Syrians returning from abroad, international organisations opening offices, and businesses looking for premises.

The supply of habitable housing, meanwhile, has barely grown. Many buildings damaged during the war have not been repaired, and construction costs remain high because most materials are imported.

## Moving outwards

As a result, families with local incomes are moving to the edges of the city, to suburbs such as Jaramana, Sahnaya and Qudsaya, where rents are lower but commuting costs and time are higher.

Estate agents describe a market with few rules. Contracts are often informal, and tenants have little protection against sudden increases. Agents listed the most common demands made of tenants:

* Payment of six months or a year in advance.
* Rent set in US dollars rather than Syrian pounds.
* A deposit equal to several months of rent.

Economists say that without a large programme of repair and construction, and without clearer rules for the rental market, the pressure on households will continue.

@@NOTE This report was translated from the original Arabic by Sami Rahal.@@
""",
    ),
    dict(
        id=78097,
        slug="returning-teachers-face-long-wait-for-reinstatement-in-idlib",
        ar_slug="المعلمون-العائدون-ينتظرون-إعادة-التعيين-في-إدلب",
        section="news",
        title="Returning teachers face long wait for reinstatement in Idlib",
        summary="Hundreds of teachers dismissed in past years have applied to return to public schools, but the process remains slow.",
        published="2025-10-21T10:15:00+03:00",
        modified="2025-10-21T10:15:00+03:00",
        authors=["Hala Mansour"],
        tags=["Idlib", "Education"],
        image=("2025/10/idlib-school-yard.jpg", "Pupils in a school yard in Idlib city (Hala Mansour/Syria Direct)"),
        body="""
IDLIB — Hundreds of teachers who were dismissed from public schools during the war have applied to be reinstated, but many say they are still waiting for an answer months later.

The education directorate in Idlib said it has received more than two thousand applications, and that committees are reviewing each file to verify qualifications and years of service.

Teachers interviewed by Syria Direct said the delays have forced them to take other jobs, from private tutoring to construction work, while schools in their towns struggle with crowded classrooms.

The directorate said that reinstated teachers will be assigned first to schools with the greatest shortages, and that a first list of names will be published before the end of the semester.
""",
    ),
    dict(
        id=78032,
        slug="suwayda-farmers-turn-to-solar-pumps-as-diesel-prices-climb",
        ar_slug="مزارعو-السويداء-يتجهون-إلى-الطاقة-الشمسية",
        section="economy",
        title="Suwayda farmers turn to solar pumps as diesel prices climb",
        summary="Farmers in southern Syria are installing solar panels to run irrigation pumps, but the upfront cost keeps many out.",
        published="2025-10-07T16:00:00+03:00",
        modified="2025-10-08T09:20:00+03:00",
        authors=["Karam Saleh"],
        tags=["Suwayda", "Agriculture", "Energy"],
        image=("2025/10/suwayda-solar-pump.jpg", "Solar panels power an irrigation pump near Shahba (Karam Saleh/Syria Direct)"),
        body="""
SUWAYDA — On the basalt plateau east of Suwayda city, rows of solar panels now stand at the edge of orchards and vegetable fields, powering the pumps that draw water from wells.

Farmers say rising diesel prices left them little choice. Running a diesel pump for a season had become more expensive than the value of the harvest for many small plots, a farmer near Shahba said.

## The cost of switching

A solar pumping system large enough for a small farm costs several thousand dollars, an amount few farmers can pay at once. Some have pooled their savings with neighbours to share a system, while others rely on loans from relatives abroad.

Agricultural engineers warn that cheaper pumping could also lead to over-extraction from aquifers that are already under pressure, and call for rules on well drilling and water use.

@@FIGURE 2025/10/suwayda-orchard.jpg|An apple orchard irrigated with solar power (Karam Saleh/Syria Direct)@@

For now, the farmers who have switched say the investment has paid off within two seasons, and more are asking installers for quotes.
""",
    ),
    dict(
        id=77968,
        slug="missing-persons-families-in-hama-demand-answers",
        ar_slug="عائلات-المفقودين-في-حماة-تطالب-بإجابات",
        section="news",
        title="Missing persons’ families in Hama demand answers",
        summary="Relatives of people who disappeared in detention gathered in Hama to call for a national body to search for the missing.",
        published="2025-09-23T12:40:00+03:00",
        modified="2025-09-23T15:05:00+03:00",
        authors=["Lina Haddad"],
        tags=["Hama", "Detainees", "Transitional justice"],
        image=("2025/09/hama-missing-vigil.jpg", "Relatives hold photographs of missing people in Hama (Lina Haddad/Syria Direct)"),
        body="""
HAMA — Dozens of relatives of people who disappeared in detention gathered in central Hama on Tuesday, holding photographs of sons, brothers and fathers whose fate remains unknown.

The families called for an independent national body with the power to search archives, exhume mass graves and inform relatives of what happened to the missing.

Several participants said they had visited prisons and hospitals across the country after the fall of the former government, without finding any trace of their relatives.

Human rights groups estimate that well over a hundred thousand people remain missing in Syria. They say that identifying the dead and informing families will require forensic expertise, international support and years of work.

@@NOTE This report was translated from the original Arabic by Sami Rahal.@@
""",
    ),
    dict(
        id=77901,
        slug="qamishli-bakers-adapt-to-flour-shortages",
        ar_slug="خبازو-القامشلي-يتكيفون-مع-نقص-الطحين",
        section="features",
        title="Qamishli bakers adapt to flour shortages",
        summary="Private bakeries in Qamishli mix flours and cut hours to keep bread on the shelves as wheat deliveries fall.",
        published="2025-09-09T08:30:00+03:00",
        modified="2025-09-09T08:30:00+03:00",
        authors=["Karam Saleh"],
        tags=["Qamishli", "Bread", "Wheat"],
        image=("2025/09/qamishli-bakery.jpg", "A baker in Qamishli prepares dough (Karam Saleh/Syria Direct)"),
        body="""
QAMISHLI — In a small bakery near the old market of Qamishli, the ovens now start later and stop earlier than they used to. The owner said his flour allocation has been cut twice this year, and he can no longer bake through the afternoon.

Bakers in the city say wheat deliveries have fallen after a poor harvest across northeast Syria, where drought and high fuel costs reduced both the planted area and yields.

To keep bread on the shelves, some bakeries mix imported flour with local flour, or add barley to the dough. Customers complain that the bread is darker and goes stale faster, but most say they would rather have bread than none.

Local authorities have promised to import more wheat before the winter, but bakers say they have not been told how much they will receive or when.
""",
    ),
]

EXCLUDED_PAGES = {
    "/about-us/": ("About Us", [
        "Syria Direct is an independent, nonprofit media organisation that produces in-depth "
        "journalism about Syria and trains Syrian journalists.",
        "Founded in 2013, Syria Direct publishes in English and Arabic from its newsroom in "
        "Amman and with reporters across Syria.",
    ]),
    "/donate/": ("Support Syria Direct", [
        "Our journalism is free to read. Your donation helps us train reporters and publish "
        "stories that would otherwise go untold.",
    ]),
}

FEED_UTM = 78165
CRUFT = [
    "Share This Story, Choose Your Platform!",
    "About the Author",
    "Related Posts",
    "translated from the original Arabic",
    "Subscribe to our newsletter",
    "Sign up for our weekly newsletter",
    "Support independent journalism",
    "Donate now",
    "Syria Direct/",
    "Page load link",
    "Go to Top",
    "All rights reserved",
    "\u00a0",
]

# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------


def url_of(post: dict) -> str:
    return f"{BASE}/{post['slug']}/"


def ar_url_of(post: dict) -> str:
    slug = re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), quote(post["ar_slug"], safe="-"))
    return f"{BASE}/{slug}/?lang=ar"


def ar_canonical(post: dict) -> str:
    return f"{BASE}/{quote(post['ar_slug'], safe='-')}/?lang=ar"


def utm_url_of(post: dict) -> str:
    return url_of(post) + "?utm_source=rss&utm_medium=rss&utm_campaign=" + post["slug"][:40]


def slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def local_dt(value: str) -> datetime:
    return datetime.fromisoformat(value)


def utc_iso(value: str) -> str:
    return local_dt(value).astimezone(timezone.utc).isoformat()


def rfc822(value: str) -> str:
    return format_datetime(local_dt(value).astimezone(timezone.utc))


def http_date(value: str) -> str:
    return format_datetime(local_dt(value).astimezone(timezone.utc), usegmt=True)


def esc(text: str) -> str:
    return html.escape(text, quote=False)


def attr(text: str) -> str:
    return html.escape(text, quote=True)


def texturize(fragment: str) -> str:
    for char, entity in {"’": "&#8217;", "—": "&#8212;", "“": "&#8220;", "”": "&#8221;"}.items():
        fragment = fragment.replace(char, entity)
    return fragment


def plain(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def parse_body(src: str) -> list[tuple[str, object]]:
    blocks: list[tuple[str, object]] = []
    for chunk in re.split(r"\n\s*\n", src.strip()):
        chunk = chunk.strip()
        marker = re.fullmatch(r"@@(FIGURE|NOTE) (.+)@@", chunk)
        if marker:
            blocks.append((marker.group(1).lower(), marker.group(2)))
        elif chunk.startswith("## "):
            blocks.append(("h2", chunk[3:]))
        elif chunk.startswith("> "):
            blocks.append(("quote", chunk[2:]))
        elif chunk.startswith("* "):
            blocks.append(("ul", [line[2:].strip() for line in chunk.splitlines()]))
        else:
            blocks.append(("p", chunk))
    return blocks


def story_blocks(blocks):
    return [b for b in blocks if b[0] not in ("figure", "note")]


def note_of(blocks) -> str | None:
    notes = [payload for kind, payload in blocks if kind == "note"]
    return notes[0] if notes else None


def clean_body(blocks) -> str:
    out = []
    for kind, payload in story_blocks(blocks):
        if kind == "ul":
            out.append("\n".join("• " + plain(item) for item in payload))
        else:
            out.append(plain(payload))
    return "\n\n".join(out)


def render_blocks(blocks) -> str:
    out = []
    for kind, payload in blocks:
        if kind == "p":
            out.append(f"<p>{texturize(payload)}</p>")
        elif kind == "h2":
            out.append(f"<h2><strong>{texturize(payload)}</strong></h2>")
        elif kind == "quote":
            out.append(f"<blockquote>\n<p>{texturize(payload)}</p>\n</blockquote>")
        elif kind == "ul":
            items = "\n".join(f"<li>{texturize(i)}</li>" for i in payload)
            out.append(f"<ul>\n{items}\n</ul>")
        elif kind == "figure":
            file, caption = payload.split("|", 1)
            out.append(f'<div id="attachment_{zlib.crc32(file.encode()) % 100000}" style="width: 1034px" class="wp-caption aligncenter">'
                       f'<img decoding="async" class="size-large" src="{BASE}/wp-content/uploads/{file}" alt="" width="1024" height="683" />'
                       f'<p class="wp-caption-text">{esc(caption)}</p></div>')
        elif kind == "note":
            out.append(f"<p><em>{esc(payload)}</em></p>")
    return "\n".join(out)


# --------------------------------------------------------------------------
# Avada chrome
# --------------------------------------------------------------------------

MENU = [("Latest Reports", LATEST), ("News", "/category/news/"), ("Features", "/category/features/"),
        ("Economy", "/category/economy/"), ("About Us", "/about-us/"), ("Donate", "/donate/")]


def head(title: str, canonical: str, extra: str = "", description: str = "", ar_alt: str | None = None) -> str:
    desc = f'<meta name="description" content="{attr(description)}" />\n' if description else ""
    alts = ""
    if ar_alt:
        alts = (f'<link rel="alternate" hreflang="en" href="{canonical}" />\n'
                f'<link rel="alternate" hreflang="ar" href="{ar_alt}" />\n'
                f'<link rel="alternate" hreflang="x-default" href="{canonical}" />\n')
    return f"""<!DOCTYPE html>
<html class="avada-html-layout-wide avada-html-header-position-top" lang="en-US" prefix="og: http://ogp.me/ns# fb: http://ogp.me/ns/fb#">
<head>
<meta http-equiv="X-UA-Compatible" content="IE=edge" />
<meta http-equiv="Content-Type" content="text/html; charset=utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>{esc(title)}</title>
{desc}<meta name="robots" content="index, follow, max-image-preview:large, max-snippet:-1, max-video-preview:-1" />
<link rel="canonical" href="{attr(canonical)}" />
{alts}{extra}<link rel="alternate" type="application/rss+xml" title="Syria Direct &raquo; Feed" href="{BASE}/feed/" />
<link rel='stylesheet' id='fusion-dynamic-css-css' href='{BASE}/wp-content/uploads/fusion-styles/fusion-7.11.css?ver=7.11.10' type='text/css' media='all' />
</head>
"""


def header(ar_link: str) -> str:
    items = "\n".join(f'<li class="menu-item"><a href="{BASE}{p}" class="fusion-bar-highlight"><span class="menu-text">{esc(n)}</span></a></li>' for n, p in MENU)
    return f"""<body class="post-template-default single single-post fusion-image-hovers fusion-body ltr fusion-sticky-header">
<a class="skip-link screen-reader-text" href="#content">Skip to content</a>
<div id="boxed-wrapper"><div id="wrapper" class="fusion-wrapper">
<div id="home" style="position:relative;top:-1px;"></div>
<header class="fusion-header-wrapper"><div class="fusion-header-v1 fusion-logo-alignment fusion-logo-left">
<div class="fusion-header"><div class="fusion-row">
<div class="fusion-logo" data-margin-top="31px"><a class="fusion-logo-link" href="{BASE}/"><img src="{BASE}/wp-content/uploads/2021/02/syria-direct-logo.png" width="260" height="60" alt="Syria Direct Logo" class="fusion-standard-logo" /></a></div>
<nav class="fusion-main-menu" aria-label="Main Menu"><ul id="menu-main-menu" class="fusion-menu">
{items}
<li class="menu-item wpml-ls-item wpml-ls-item-ar"><a href="{ar_link}"><span class="wpml-ls-native" lang="ar">العربية</span></a></li>
</ul></nav>
</div></div></div></header>
<main id="main" class="clearfix"><div class="fusion-row" style="">
"""


NEWSLETTER = """<div class="sd-newsletter fusion-widget"><h4>Subscribe to our newsletter</h4>
<p>Sign up for our weekly newsletter with the latest reports from Syria.</p>
<form class="mc4wp-form" method="post"><input type="email" name="EMAIL" placeholder="Email address" required /><input type="submit" value="Subscribe" /></form></div>
"""

DONATE = f"""<div class="sd-donate-box"><h4>Support independent journalism</h4>
<p>Syria Direct is a nonprofit newsroom. Your donation keeps our reporting free for everyone.</p>
<a class="fusion-button" href="{BASE}/donate/">Donate now</a></div>
"""


def footer() -> str:
    return f"""</div></main>
<div class="fusion-footer"><footer id="footer" class="fusion-footer-copyright-area"><div class="fusion-row"><div class="fusion-copyright-content">
<div class="fusion-copyright-notice"><div>© Copyright 2013 - 2025 | Syria Direct | All rights reserved</div></div>
<div class="fusion-social-links-footer"><a class="fusion-social-network-icon fusion-facebook" href="https://www.facebook.com/SyriaDirect" target="_blank" rel="noopener noreferrer"><span class="screen-reader-text">Facebook</span></a><a class="fusion-social-network-icon fusion-twitter" href="https://twitter.com/syriadirect" target="_blank" rel="noopener noreferrer"><span class="screen-reader-text">X</span></a></div>
</div></div></footer></div>
</div></div>
<div class="avada-footer-scripts"><a class="fusion-one-page-text-link fusion-page-load-link" tabindex="-1" href="#" aria-hidden="true">Page load link</a></div>
<div class="to-top-container to-top-right"><a href="#" id="toTop" class="fusion-top-top-link"><span class="screen-reader-text">Go to Top</span></a></div>
</body>
</html>
"""


def share_box(url: str, title: str) -> str:
    u, t = quote(url, safe=""), quote(title, safe="")
    return f"""<div class="fusion-sharing-box fusion-theme-sharing-box fusion-single-sharing-box share-box-desktop">
<h4>Share This Story, Choose Your Platform!</h4>
<div class="fusion-social-networks"><div class="fusion-social-networks-wrapper">
<a class="fusion-social-network-icon fusion-facebook" href="https://www.facebook.com/sharer.php?u={u}&amp;t={t}" target="_blank" rel="noreferrer"><span class="screen-reader-text">Facebook</span></a>
<a class="fusion-social-network-icon fusion-twitter" href="https://x.com/intent/post?text={t}&amp;url={u}" target="_blank" rel="noopener noreferrer"><span class="screen-reader-text">X</span></a>
<a class="fusion-social-network-icon fusion-linkedin" href="https://www.linkedin.com/shareArticle?mini=true&amp;url={u}&amp;title={t}" target="_blank" rel="noopener noreferrer"><span class="screen-reader-text">LinkedIn</span></a>
<a class="fusion-social-network-icon fusion-whatsapp" href="https://api.whatsapp.com/send?text={u}" target="_blank" rel="noopener noreferrer"><span class="screen-reader-text">WhatsApp</span></a>
<a class="fusion-social-network-icon fusion-mail" href="mailto:?subject={t}&amp;body={u}" target="_self" rel="noopener noreferrer"><span class="screen-reader-text">Email</span></a>
</div></div></div>
"""


def json_ld(post: dict) -> str:
    url = url_of(post)
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "Article", "@id": url + "#article", "isPartOf": {"@id": url},
             "author": [{"name": n, "@id": f"{BASE}/#/schema/person/{slugify(n)}"} for n in post["authors"]],
             "headline": post["title"], "datePublished": post["published"],
             "dateModified": post["modified"], "mainEntityOfPage": {"@id": url},
             "publisher": {"@id": BASE + "/#organization"},
             "image": {"@id": url + "#primaryimage"}, "keywords": post["tags"],
             "articleSection": [SECTIONS[post["section"]]], "inLanguage": "en-US"},
            {"@type": "WebPage", "@id": url, "url": url, "name": f"{post['title']} - Syria Direct",
             "datePublished": post["published"], "dateModified": post["modified"],
             "inLanguage": "en-US"},
            {"@type": "Organization", "@id": BASE + "/#organization", "name": SITE_NAME, "url": BASE + "/"},
        ],
    }
    return ('<script type="application/ld+json" class="yoast-schema-graph">'
            + json.dumps(graph, ensure_ascii=False) + "</script>\n")


def byline_html(post: dict) -> str:
    names = ", ".join(f'<a href="{BASE}/author/{slugify(n)}/" title="Posts by {attr(n)}" rel="author">{esc(n)}</a>'
                      for n in post["authors"])
    return names


def article_page(post: dict, posts: list[dict]) -> str:
    url = url_of(post)
    image = f"{BASE}/wp-content/uploads/{post['image'][0]}"
    extra = f"""<meta property="og:locale" content="en_US" />
<meta property="og:type" content="article" />
<meta property="og:title" content="{attr(post['title'])}" />
<meta property="og:description" content="{attr(post['summary'])}" />
<meta property="og:url" content="{url}" />
<meta property="og:site_name" content="{SITE_NAME}" />
<meta property="article:publisher" content="https://www.facebook.com/SyriaDirect" />
<meta property="article:published_time" content="{post['published']}" />
<meta property="article:modified_time" content="{post['modified']}" />
<meta property="og:image" content="{image}" />
<meta name="author" content="{attr(', '.join(post['authors']))}" />
<meta name="twitter:card" content="summary_large_image" />
""" + json_ld(post)
    dt = local_dt(post["published"])
    related = [p for p in posts if p["id"] != post["id"] and p["section"] == post["section"]][:3]
    related_html = "\n".join(
        f'<li class="fusion-carousel-item"><div class="fusion-carousel-item-wrapper"><h4 class="fusion-carousel-title"><a class="fusion-related-posts-title-link" href="{url_of(p)}">{esc(p["title"])}</a></h4></div></li>'
        for p in related
    )
    tags = ", ".join(f'<a href="{BASE}/tag/{slugify(t)}/" rel="tag">{esc(t)}</a>' for t in post["tags"])
    first_author = post["authors"][0]
    return (
        head(f"{post['title']} - Syria Direct", url, extra, post["summary"], ar_url_of(post))
        + header(ar_url_of(post))
        + f"""<section id="content" style="width: 100%;">
<article id="post-{post['id']}" class="post post-{post['id']} type-post status-publish format-standard has-post-thumbnail hentry category-{post['section']}">
<div class="fusion-flexslider flexslider fusion-flexslider-loading post-slideshow fusion-post-slideshow"><ul class="slides"><li>
<img width="1200" height="800" src="{image}" class="attachment-full size-full wp-post-image" alt="" /></li></ul></div>
<p class="sd-featured-caption">{esc(post['image'][1])}</p>
<h1 class="entry-title fusion-post-title">{texturize(esc(post['title']))}</h1>
<div class="sd-meta fusion-meta-info"><div class="fusion-meta-info-wrapper">By <span class="vcard"><span class="fn">{byline_html(post)}</span></span><span class="fusion-inline-sep">|</span><span>{dt:%B} {dt.day}, {dt.year}</span><span class="fusion-inline-sep">|</span>Categories: <a href="{BASE}/category/{post['section']}/" rel="category tag">{SECTIONS[post['section']]}</a></div></div>
<div class="post-content">
<div class="sd_article_body">
<p class="sd-standfirst"><strong>{texturize(esc(post['summary']))}</strong></p>
{render_blocks(parse_body(post['body']))}
</div>
</div>
<span class="vcard rich-snippet-hidden"><span class="fn"><a href="{BASE}/author/{slugify(first_author)}/" title="Posts by {attr(first_author)}" rel="author">{esc(first_author)}</a></span></span><span class="updated rich-snippet-hidden">{post['modified']}</span>
<div class="sd-tags">Tags: {tags}</div>
{share_box(url, post['title'])}<section class="about-author"><div class="fusion-title title fusion-title-size-three"><h3 class="title-heading-left">About the Author: <a href="{BASE}/author/{slugify(first_author)}/" rel="author">{esc(first_author)}</a></h3></div>
<div class="about-author-container"><div class="description">{esc(first_author)} is a journalist with Syria Direct.</div></div></section>
<section class="related-posts single-related-posts"><div class="fusion-title fusion-title-size-three"><h4 class="title-heading-left">Related Posts</h4></div>
<div class="fusion-carousel"><ul class="fusion-carousel-holder">
{related_html}
</ul></div></section>
{NEWSLETTER}{DONATE}</article>
</section>
""" + footer()
    )


def listing_item(post: dict) -> str:
    dt = local_dt(post["published"])
    return f"""<article id="blog-1-post-{post['id']}" class="fusion-post-grid post-{post['id']} post type-post status-publish format-standard has-post-thumbnail hentry">
<div class="fusion-post-wrapper"><div class="fusion-flexslider flexslider fusion-post-slideshow"><ul class="slides"><li><a href="{url_of(post)}" aria-label="{attr(post['title'])}"><img src="{BASE}/wp-content/uploads/{post['image'][0]}" alt="" /></a></li></ul></div>
<div class="fusion-post-content-wrapper"><div class="fusion-post-content post-content">
<h2 class="blog-shortcode-post-title entry-title"><a href="{url_of(post)}">{esc(post['title'])}</a></h2>
<p class="fusion-single-line-meta"><span class="vcard rich-snippet-hidden"><span class="fn">{byline_html(post)}</span></span><span class="updated rich-snippet-hidden">{post['published']}</span><span>{dt:%B} {dt.day}, {dt.year}</span></p>
<div class="fusion-content-sep sep-none"></div>
<div class="fusion-post-content-container"><p>{esc(post['summary'])}</p></div>
</div></div></div>
</article>"""


def listing_pages(base_path: str, title: str, posts: list[dict]) -> dict[str, str]:
    chunks = [posts[i:i + PER_PAGE] for i in range(0, len(posts), PER_PAGE)] or [[]]
    files = {}
    for number, chunk in enumerate(chunks, 1):
        path = base_path if number == 1 else f"{base_path}page/{number}/"
        nav = []
        if number > 1:
            prev = base_path if number == 2 else f"{base_path}page/{number - 1}/"
            nav.append(f'<a class="pagination-prev" rel="prev" href="{BASE}{prev}"><span class="page-prev"></span><span class="page-text">Previous</span></a>')
        for n in range(1, len(chunks) + 1):
            href = base_path if n == 1 else f"{base_path}page/{n}/"
            nav.append(f'<span class="current">{n}</span>' if n == number else f'<a href="{BASE}{href}" class="inactive">{n}</a>')
        if number < len(chunks):
            nav.append(f'<a class="pagination-next" rel="next" href="{BASE}{base_path}page/{number + 1}/"><span class="page-text">Next</span><span class="page-next"></span></a>')
        extra = ('<meta property="og:type" content="article" />\n'
                 f'<meta property="og:title" content="{attr(title)}" />\n')
        items = "\n".join(listing_item(p) for p in chunk)
        files[path.lstrip("/") + "index.html"] = (
            head(f"{title} - Syria Direct", BASE + path, extra) + header(BASE + "/?lang=ar")
            + f"""<section id="content" style="width: 100%;">
<div class="fusion-title title"><h1 class="title-heading-left">{esc(title)}</h1></div>
<div class="fusion-blog-shortcode fusion-blog-shortcode-1 fusion-blog-archive fusion-blog-layout-grid-wrapper fusion-blog-pagination">
<div class="fusion-posts-container fusion-blog-layout-grid fusion-blog-layout-grid-3 isotope fusion-blog-pagination" data-pages="{len(chunks)}">
{items}
</div>
<div class="pagination clearfix">{" ".join(nav)}</div>
</div>
</section>
""" + footer()
        )
    return files


def page_html(path: str, title: str, paragraphs: list[str]) -> str:
    url = BASE + path
    extra = f"""<meta property="og:locale" content="en_US" />
<meta property="og:type" content="article" />
<meta property="og:title" content="{attr(title)} - Syria Direct" />
<meta property="og:url" content="{url}" />
<meta property="article:modified_time" content="2025-06-02T10:00:00+00:00" />
<script type="application/ld+json" class="yoast-schema-graph">{json.dumps({"@context": "https://schema.org", "@graph": [{"@type": "WebPage", "@id": url, "url": url, "name": title, "datePublished": "2021-02-10T09:00:00+00:00", "dateModified": "2025-06-02T10:00:00+00:00", "inLanguage": "en-US"}]})}</script>
"""
    body = "\n".join(f"<p>{esc(p)}</p>" for p in paragraphs)
    return (head(f"{title} - Syria Direct", url, extra) + header(BASE + "/?lang=ar")
            + f"""<section id="content" style="width: 100%;"><div id="post-1" class="post-1 page type-page status-publish hentry">
<span class="entry-title rich-snippet-hidden">{esc(title)}</span>
<div class="post-content"><div class="fusion-fullwidth fullwidth-box"><div class="fusion-builder-row fusion-row">
<div class="fusion-title title"><h1 class="title-heading-left">{esc(title)}</h1></div>
<div class="fusion-text">
{body}
</div></div></div></div></div></section>
""" + footer())


def home_page(posts: list[dict]) -> str:
    extra = ('<meta property="og:type" content="website" />\n'
             '<meta property="og:title" content="Syria Direct" />\n')
    items = "\n".join(listing_item(p) for p in posts[:6])
    return (head("Syria Direct - Independent journalism about Syria", BASE + "/", extra,
                 "In-depth reporting from inside Syria.") + header(BASE + "/?lang=ar")
            + f"""<section id="content" style="width: 100%;"><div class="fusion-posts-container">
{items}
</div>
<a class="fusion-button" href="{BASE}{LATEST}">More reports</a>
{NEWSLETTER}</section>
""" + footer())


def feed_xml(posts: list[dict]) -> str:
    items = []
    for post in posts[:FEED_SIZE]:
        link = utm_url_of(post) if post["id"] == FEED_UTM else url_of(post)
        cats = "\n\t\t".join(f"<category><![CDATA[{c}]]></category>" for c in [SECTIONS[post["section"]], *post["tags"]])
        items.append(f"""	<item>
		<title>{esc(post['title'])}</title>
		<link>{esc(link)}</link>
		<dc:creator><![CDATA[{post['authors'][0]}]]></dc:creator>
		<pubDate>{rfc822(post['published'])}</pubDate>
		{cats}
		<guid isPermaLink="false">{BASE}/?p={post['id']}</guid>
		<description><![CDATA[{post['summary']}]]></description>
	</item>""")
    last = max((p["modified"] for p in posts), key=utc_iso)
    return f"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:atom="http://www.w3.org/2005/Atom"
	xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"
	xmlns:slash="http://purl.org/rss/1.0/modules/slash/"
	>

<channel>
	<title>Syria Direct</title>
	<atom:link href="{BASE}/feed/" rel="self" type="application/rss+xml" />
	<link>{BASE}/</link>
	<description>Independent journalism about Syria</description>
	<lastBuildDate>{rfc822(last)}</lastBuildDate>
	<language>en-US</language>
	<sy:updatePeriod>
	hourly	</sy:updatePeriod>
	<sy:updateFrequency>
	1	</sy:updateFrequency>
	<generator>https://wordpress.org/?v=6.8.3</generator>
{chr(10).join(items)}
</channel>
</rss>
"""


XSL = '<?xml-stylesheet type="text/xsl" href="//syriadirect.org/main-sitemap.xsl"?>\n'


def urlset(rows: list[tuple[str, str]]) -> str:
    body = "\n".join(f"\t<url>\n\t\t<loc>{esc(loc)}</loc>\n\t\t<lastmod>{mod}</lastmod>\n\t</url>" for loc, mod in rows)
    return (f'<?xml version="1.0" encoding="UTF-8"?>{XSL}<urlset xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1" '
            'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + body
            + "\n</urlset>\n<!-- XML Sitemap generated by Yoast SEO -->\n")


ROBOTS = f"""User-agent: *
Disallow: /wp-admin/
Allow: /wp-admin/admin-ajax.php

Sitemap: {BASE}/sitemap_index.xml
"""


def write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def build(out: Path = OUT) -> dict:
    posts = sorted(ARTICLES, key=lambda p: utc_iso(p["published"]), reverse=True)
    by_id = {p["id"]: p for p in posts}
    shutil.rmtree(out / "www", ignore_errors=True)
    www = out / "www"
    last = max((p["modified"] for p in posts), key=utc_iso)
    page_mod = "2025-06-02T10:00:00+00:00"

    write(www, "robots.txt", ROBOTS)
    write(www, "feed.xml", feed_xml(posts))
    write(www, "sitemap_index.xml", f"""<?xml version="1.0" encoding="UTF-8"?>{XSL}<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
	<sitemap>
		<loc>{BASE}/post-sitemap.xml</loc>
		<lastmod>{utc_iso(last)}</lastmod>
	</sitemap>
	<sitemap>
		<loc>{BASE}/page-sitemap.xml</loc>
		<lastmod>{page_mod}</lastmod>
	</sitemap>
</sitemapindex>
<!-- XML Sitemap generated by Yoast SEO -->
""")
    rows = []
    for p in sorted(posts, key=lambda p: utc_iso(p["modified"])):
        rows += [(url_of(p), utc_iso(p["modified"])), (ar_url_of(p), utc_iso(p["modified"]))]
    write(www, "post-sitemap.xml", urlset(rows))
    write(www, "page-sitemap.xml", urlset(
        [(BASE + "/", utc_iso(last)), (BASE + LATEST, utc_iso(last))]
        + [(BASE + path, page_mod) for path in EXCLUDED_PAGES]
    ))
    write(www, "index.html", home_page(posts))
    for path, (title, paragraphs) in EXCLUDED_PAGES.items():
        write(www, path.lstrip("/") + "index.html", page_html(path, title, paragraphs))
    for post in posts:
        write(www, f"{post['slug']}/index.html", article_page(post, posts))

    listing_urls, listings = [], {}

    def add_listing(base_path: str, title: str, items: list[dict]) -> None:
        files = listing_pages(base_path, title, items)
        for rel, text in files.items():
            write(www, rel, text)
            listing_urls.append(BASE + "/" + rel.removesuffix("index.html"))
        listings[BASE + base_path] = {"pages": len(files), "posts": [url_of(p) for p in items]}

    add_listing(LATEST, "Latest Reports", posts)
    for slug, name in SECTIONS.items():
        add_listing(f"/category/{slug}/", name, [p for p in posts if p["section"] == slug])
    for tag in sorted({t for p in posts for t in p["tags"]}):
        add_listing(f"/tag/{slugify(tag)}/", tag, [p for p in posts if tag in p["tags"]])

    write(out, "site.toml", f"""# Offline copy of Syria Direct (WordPress, Avada theme, WPML). See scraper/offline/sites/README.md.
# Regenerate with: python scraper/offline/sites/build_syriadirect.py
host = "{HOST}"
scheme = "https"
last_modified = "{http_date(last)}"

[routes."/feed/"]
file = "feed.xml"
content_type = "application/rss+xml; charset=UTF-8"

[routes."/feed"]
location = "{BASE}/feed/"
status = 301
""")

    articles = []
    for post in posts:
        blocks = parse_body(post["body"])
        body = clean_body(blocks)
        for c in CRUFT:
            assert c not in body, (post["slug"], c)
        note = note_of(blocks)
        articles.append({
            "url": url_of(post),
            "title": post["title"],
            "summary": post["summary"],
            "authors": post["authors"],
            "original_source": None,
            "original_stance": None,
            "published": utc_iso(post["published"]),
            "updated": utc_iso(post["modified"]) if post["modified"] != post["published"] else None,
            "language": "en",
            "section": SECTIONS[post["section"]],
            "tags": post["tags"],
            "translated": bool(note),
            "editorial_note": note,
            "image": f"{BASE}/wp-content/uploads/{post['image'][0]}",
            "body_starts_with": body[:60],
            "body_ends_with": body[-60:],
            "paragraphs": len(story_blocks(blocks)),
            "body": body,
        })
    expected = {
        "source": SOURCE_ID,
        "host": HOST,
        "feed": f"{BASE}/feed/",
        "sitemap": f"{BASE}/sitemap_index.xml",
        "articles": articles,
        "aliases": {utm_url_of(by_id[FEED_UTM]): url_of(by_id[FEED_UTM])},
        "not_articles": [BASE + "/", *(BASE + p for p in EXCLUDED_PAGES), *listing_urls,
                         *(ar_canonical(p) for p in posts)],
        "feed_items": [utm_url_of(p) if p["id"] == FEED_UTM else url_of(p) for p in posts[:FEED_SIZE]],
        "listings": listings,
        "cruft": CRUFT + [p["image"][1] for p in posts] + [p["summary"] for p in posts],
    }
    write(out, "expected.json", json.dumps(expected, ensure_ascii=False, indent=2) + "\n")
    return expected


if __name__ == "__main__":
    result = build()
    print(f"{len(result['articles'])} articles written to {OUT}")
