"""Regenerate the offline copy of Kurdistan24 (English) in scraper/offline/sites/kurdistan24/.

    python scraper/offline/sites/build_kurdistan24.py

What the structure is based on: Kurdistan24's English service lives under
https://www.kurdistan24.net/en/ on the broadcaster's own CMS (not WordPress).
Stories are ``/en/story/<numeric id>/<lower-case-slug>`` (the form in links
people share, e.g. ``/en/story/859439/innovative-irrigation-...``); the RSS
feed is ``/en/rss.xml``; section listings such as ``/en/category/syria``
page with ``?page=<n>`` and answer 200 with an empty list (the sidebars
still there) past the last page. The sitemap index ``/en/sitemap.xml`` and
its monthly story sitemaps are modelled on the usual news-CMS layout (their
exact file names are an assumption). Story pages open with the dateline
"ERBIL (Kurdistan24) –" (part of the story), print the summary above the
body and again as its first paragraph, and carry photo credits "(Photo:
Kurdistan24)", an inline "Read also:" link, share buttons ("Share:",
"Copy link"), "Tags:", "Related Stories", "Most Read", a newsletter box, the
language switcher and a cookie bar. "WATCH:" pages are a video with one line
of text and are not articles.

The stories are written for this copy (plausible prose, no real quotes);
everything is generated from the data below, so expected.json cannot drift.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import quote

from sitegen import (
    assert_clean,
    attr,
    chunks,
    clean_body,
    dt,
    esc,
    expected_article,
    expected_json,
    og_meta,
    parse_body,
    rfc822,
    robots,
    site_toml_head,
    slug,
    toml_route,
    utc_iso,
    write,
    write_expected,
)

HERE = Path(__file__).resolve().parent
OUT = HERE / "kurdistan24"
HOST = "www.kurdistan24.net"
BASE = f"https://{HOST}/en"
CANON = "https://kurdistan24.net/en"  # the archive's canonical form drops "www."
SITE_NAME = "Kurdistan24"
PER_PAGE = 2

SECTIONS = {"syria": "Syria", "kurdistan": "Kurdistan", "iraq": "Iraq"}
LISTED = ["syria", "kurdistan"]  # sections whose listings the registry walks

# Body mini-format: blocks separated by a blank line; "## " subheading,
# "* " list items, "> " blockquote, "%% " a cruft paragraph inside the story.
ARTICLES = [
    dict(
        id=871204,
        section="syria",
        title="SDF and Damascus Hold New Round of Talks on Integration of Institutions",
        summary="Negotiators met for a third day to discuss how civil institutions in "
        "northeast Syria could be merged with state bodies.",
        published="2025-12-14T15:32:00+03:00",
        modified="2025-12-14T16:05:00+03:00",
        author="Dilan Rashid",
        tags=["SDF", "Damascus", "Northeast Syria"],
        image="2025/12/sdf-damascus-talks.jpg",
        caption="Delegations meet in Damascus. (Photo: Kurdistan24)",
        body="""
ERBIL (Kurdistan24) – Delegations of the Syrian Democratic Forces (SDF) and the government in Damascus held a new round of talks on Sunday on the integration of institutions in northeast Syria, according to sources familiar with the meetings.

The discussions focused on civil bodies such as education, health and municipal services, as well as the future of local security forces. Both sides described the atmosphere as positive but said that several technical questions remained open.

%% Read also: Kurdish parties in Syria agree on joint vision for talks with Damascus

## Questions still open

According to the sources, the main points of disagreement concern the recognition of school diplomas issued in the region, the status of employees hired by the Autonomous Administration, and the management of oil and gas revenues.

Observers in Qamishli say that progress on services could build trust before the more sensitive military and constitutional issues are addressed.

A further round of talks is expected before the end of the month.
""",
    ),
    dict(
        id=871133,
        section="kurdistan",
        title="Erbil Farmers Turn to Drip Irrigation as Drought Deepens",
        summary="Wells are drying up on the Erbil plain, and farmers are investing in drip "
        "lines to save their crops.",
        published="2025-12-13T11:10:00+03:00",
        modified="2025-12-13T11:10:00+03:00",
        author="Hemin Aziz",
        tags=["Drought", "Agriculture", "Erbil"],
        image="2025/12/erbil-drip-irrigation.jpg",
        caption="Drip irrigation lines on a farm near Erbil. (Photo: Kurdistan24)",
        body="""
ERBIL (Kurdistan24) – Farmers on the Erbil plain are replacing flood irrigation with drip systems as groundwater levels keep falling after another dry autumn, agricultural officials said on Saturday.

Several villages south of the city report that wells which once reached water at 80 metres now have to be drilled to more than 200 metres. The cost of deeper wells and of the diesel to run the pumps has pushed many farmers to look for ways to use less water.

Drip lines cost more at the start but, according to agricultural engineers, can cut water use by more than half for vegetables and orchards. The Ministry of Agriculture says it will subsidise part of the equipment for small farms.

* Farmers with less than 20 dunams can apply through their local agriculture office.
* Priority goes to villages where wells have already dried up.
* Training sessions on maintenance will be held in each district.

Officials warned that without better water management the region could lose a large part of its cultivated land within a decade.
""",
    ),
    dict(
        id=870987,
        section="syria",
        title="Returnees to Afrin Face Property Disputes and Unpaid Rents",
        summary="Families who fled Afrin in 2018 say they find their houses occupied or "
        "rented out when they return.",
        published="2025-12-11T09:45:00+03:00",
        modified="2025-12-11T12:20:00+03:00",
        author="Rojda Hassan",
        tags=["Afrin", "Returnees", "Property rights"],
        image="2025/12/afrin-returnees.jpg",
        caption="A street in Afrin city. (Photo: Kurdistan24)",
        body="""
ERBIL (Kurdistan24) – Kurdish families returning to Afrin in northwest Syria after years of displacement say many of them have found their homes occupied by other families or rented out by armed groups, local activists told Kurdistan24.

Some returnees have been asked to pay money to recover their own houses, while others have been told to wait for committees that have not yet started work. Olive groves, the main source of income in the region, have also changed hands.

> We came back to our village and had to rent a room from strangers while our house stood across the street.

The words, shared by a returnee from the Jinderes area, echo many testimonies collected by human rights groups in recent months.

Activists are calling for an independent committee, with representatives of the original residents, to register complaints and supervise the return of property.
""",
    ),
    dict(
        id=870842,
        section="iraq",
        title="Water Level at Duhok Dam Drops to Lowest in Years",
        summary="The reservoir holds a fraction of its capacity, raising fears for drinking "
        "water in the summer.",
        published="2025-12-09T14:00:00+03:00",
        modified="2025-12-09T14:40:00+03:00",
        author="Sherzad Omar",
        tags=["Duhok", "Water", "Drought"],
        image="2025/12/duhok-dam.jpg",
        caption="The Duhok dam reservoir. (Photo: Kurdistan24)",
        body="""
DUHOK (Kurdistan24) – The water level at the Duhok dam has dropped to its lowest point in years, the dam administration said on Tuesday, as rainfall over the autumn remained far below average.

The reservoir supplies part of the drinking water of Duhok city and irrigates farmland in the surrounding plain. Officials said current reserves would be enough for the coming months but warned of shortages next summer if the winter stays dry.

## Rationing considered

The provincial water directorate is considering a rationing schedule for neighbourhoods on the edge of the city and has asked residents to avoid washing cars and watering gardens with tap water.

Environmental groups say the drought shows the need to repair leaking networks, which lose a large share of the water before it reaches homes.
""",
    ),
    dict(
        id=870711,
        section="syria",
        title="Aid Convoy Reaches Displacement Camps in Hasakah Province",
        summary="Trucks carrying food, blankets and heating fuel arrived ahead of the "
        "coldest weeks of the winter.",
        published="2025-12-07T17:25:00+03:00",
        modified="2025-12-07T17:25:00+03:00",
        author="Dilan Rashid",
        tags=["Hasakah", "Humanitarian aid", "Camps"],
        image="2025/12/hasakah-aid-convoy.jpg",
        caption="Aid trucks at a camp in Hasakah. (Photo: Kurdistan24)",
        body="""
ERBIL (Kurdistan24) – A convoy of 30 trucks carrying food parcels, blankets and heating fuel reached camps for displaced people in Hasakah province on Sunday, camp administrators said.

The camps host families displaced from Ras al-Ain and Tal Abyad and from other parts of Syria. Administrators said the aid would cover the needs of about four thousand families for one month.

Humanitarian workers warned that funding for the camps has fallen sharply this year and that many families still live in worn-out tents that do not protect them from rain and cold.

The Autonomous Administration has called on international organisations to increase support before the coldest weeks of January and February.
""",
    ),
    dict(
        id=870590,
        section="kurdistan",
        title="Sulaimani Teachers Return to Classrooms After Salary Payment",
        summary="Schools reopened across the province after teachers received their "
        "delayed salaries.",
        published="2025-12-05T08:50:00+03:00",
        modified="2025-12-05T10:15:00+03:00",
        author="Hemin Aziz",
        tags=["Sulaimani", "Education", "Salaries"],
        image="2025/12/sulaimani-schools.jpg",
        caption="Pupils in a Sulaimani school. (Photo: Kurdistan24)",
        body="""
SULAIMANI (Kurdistan24) – Teachers in Sulaimani province returned to their classrooms on Friday after receiving two months of delayed salaries, ending a boycott that had kept many schools closed for more than a week.

Parents welcomed the return but said that the repeated interruptions were harming their children's education, especially for pupils preparing for national exams.

%% Read also: Kurdistan Region and Baghdad agree on salary transfer mechanism

Teachers' representatives said they would continue to press for regular payment and warned that they could stop work again if salaries were delayed in the coming months.
""",
    ),
]

WATCH = dict(
    id=871050,
    section="kurdistan",
    title="WATCH: Snow Covers Mountains Around Penjwen",
    summary="Video of the first snow of the season.",
    published="2025-12-12T19:00:00+03:00",
    modified="2025-12-12T19:00:00+03:00",
    author="Kurdistan24",
    tags=["Weather"],
    image="2025/12/penjwen-snow.jpg",
    caption="Penjwen. (Photo: Kurdistan24)",
    body="The first snow of the season covered the mountains around Penjwen on Friday.",
)

CRUFT = [
    "Read also",
    "(Photo: Kurdistan24)",
    "Share:",
    "Copy link",
    "Tags:",
    "Related Stories",
    "Most Read",
    "Subscribe to our newsletter",
    "This website uses cookies",
    "All rights reserved",
    "Kurdî",
    "Watch Live",
    "\u00a0",
]


# ----------------------------------------------------------------------------
# helpers
# ----------------------------------------------------------------------------


def path_of(post: dict) -> str:
    return f"/story/{post['id']}/{slug(post['title'])}"


def url_of(post: dict) -> str:
    return BASE + path_of(post)


def canon_of(post: dict) -> str:
    return CANON + path_of(post)


def meta_date(value: str) -> str:
    """'14-12-2025 15:32', as the site prints story times."""
    return f"{dt(value):%d-%m-%Y %H:%M}"


def section_url(section: str, page: int = 1) -> str:
    return f"{BASE}/category/{section}" + (f"?page={page}" if page > 1 else "")


# ----------------------------------------------------------------------------
# page chrome
# ----------------------------------------------------------------------------


def head(title: str, canonical: str, extra: str = "") -> str:
    return f"""<!DOCTYPE html>
<html lang="en" dir="ltr">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>{esc(title)}</title>
<link rel="canonical" href="{canonical}" />
<link rel="alternate" hreflang="en" href="{canonical}" />
<link rel="alternate" type="application/rss+xml" title="Kurdistan24 English" href="{BASE}/rss.xml" />
{extra}<link rel="icon" href="https://{HOST}/favicon.ico" />
<link rel="stylesheet" href="https://{HOST}/assets/css/app.4f1c2b.css" />
</head>
"""


def site_header(current: str = "") -> str:
    nav = "".join(
        f'<li class="nav-item{" active" if key == current else ""}"><a href="{section_url(key)}">{name}</a></li>'
        for key, name in SECTIONS.items())
    return f"""<body class="lang-en">
<div class="top-bar"><div class="container"><ul class="lang-switcher"><li><a href="https://{HOST}/ku">Kurdî</a></li><li><a href="https://{HOST}/so">سۆرانی</a></li><li><a href="https://{HOST}/ar">العربية</a></li><li><a href="https://{HOST}/tr">Türkçe</a></li><li class="active"><a href="{BASE}">English</a></li></ul>
<a class="btn-live" href="{BASE}/live">Watch Live</a></div></div>
<header class="site-header"><div class="container"><a class="logo" href="{BASE}"><img src="https://{HOST}/assets/img/k24-logo.svg" alt="Kurdistan24" width="180" height="48" /></a>
<nav class="main-nav"><ul><li class="nav-item"><a href="{BASE}">Home</a></li>{nav}<li class="nav-item"><a href="{BASE}/videos">Videos</a></li></ul></nav>
<form class="search" action="{BASE}/search" method="get"><input type="search" name="q" placeholder="Search" /></form></div></header>
"""


def aside(posts: list[dict]) -> str:
    items = "".join(f'<li><a href="{url_of(p)}">{esc(p["title"])}</a><time datetime="{p["published"]}">{meta_date(p["published"])}</time></li>'
                    for p in posts[:4])
    return f"""<aside class="sidebar">
<section class="most-read"><h3>Most Read</h3><ol>{items}</ol></section>
<section class="newsletter-signup"><h3>Subscribe to our newsletter</h3><p>The day's top stories from Kurdistan and the region, every morning.</p>
<form action="{BASE}/newsletter" method="post"><input type="email" name="email" placeholder="Email address" /><button type="submit">Subscribe</button></form></section>
</aside>
"""


FOOTER = f"""<footer class="site-footer"><div class="container">
<ul class="footer-links"><li><a href="{BASE}/page/about-us">About Us</a></li><li><a href="{BASE}/page/contact">Contact</a></li><li><a href="{BASE}/page/privacy-policy">Privacy Policy</a></li></ul>
<p class="copyright">Copyright © 2025 Kurdistan24. All rights reserved.</p></div></footer>
<div class="cookie-consent" role="dialog"><p>This website uses cookies to improve your experience. <a href="{BASE}/page/privacy-policy">Learn more</a></p><button class="cookie-accept">Accept</button></div>
<script src="https://{HOST}/assets/js/app.9d31e0.js" defer></script>
</body>
</html>
"""


def share(post: dict) -> str:
    u, t = quote(url_of(post), safe=""), quote(post["title"], safe="")
    return f"""<div class="share-story"><span class="share-label">Share:</span>
<a class="share-fb" href="https://www.facebook.com/sharer/sharer.php?u={u}" target="_blank" rel="noopener">Facebook</a>
<a class="share-x" href="https://twitter.com/intent/tweet?url={u}&amp;text={t}" target="_blank" rel="noopener">X</a>
<a class="share-wa" href="https://wa.me/?text={u}" target="_blank" rel="noopener">WhatsApp</a>
<a class="share-tg" href="https://t.me/share/url?url={u}" target="_blank" rel="noopener">Telegram</a>
<button class="share-copy" data-url="{url_of(post)}">Copy link</button></div>
"""


def json_ld(post: dict) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url_of(post)},
        "headline": post["title"],
        "description": post["summary"],
        "image": [f"https://{HOST}/images/{post['image']}"],
        "datePublished": utc_iso(post["published"]),
        "dateModified": utc_iso(post["modified"]),
        "author": [{"@type": "Person", "name": post["author"]}],
        "publisher": {"@type": "Organization", "name": "Kurdistan24",
                      "logo": {"@type": "ImageObject",
                               "url": f"https://{HOST}/assets/img/k24-logo.png"}},
        "articleSection": SECTIONS[post["section"]],
        "keywords": post["tags"],
        "inLanguage": "en",
    }
    return ('<script type="application/ld+json">' + json.dumps(data, ensure_ascii=False)
            + "</script>\n")


def render_blocks(blocks, posts) -> str:
    out = []
    for kind, payload in blocks:
        if kind == "p":
            out.append(f"<p>{payload}</p>")
        elif kind == "cruft":
            title = payload.removeprefix("Read also: ")
            target = next((p for p in posts if p["title"] == title), None)
            href = url_of(target) if target else f"{BASE}/tag/{slug(title)[:30]}"
            out.append(f'<p><strong>Read also:</strong> <a href="{href}">{esc(title)}</a></p>')
        elif kind == "h2":
            out.append(f"<h2>{payload}</h2>")
        elif kind == "quote":
            out.append(f"<blockquote><p>{payload}</p></blockquote>")
        elif kind == "ul":
            out.append("<ul>" + "".join(f"<li>{i}</li>" for i in payload) + "</ul>")
    return "\n".join(out)


def article_page(post: dict, posts: list[dict], body_html: str) -> str:
    url = url_of(post)
    image = f"https://{HOST}/images/{post['image']}"
    tag_metas = "".join(f'<meta property="article:tag" content="{attr(t)}" />\n'
                        for t in post["tags"])
    extra = f"""<meta name="description" content="{attr(post['summary'])}" />
<meta property="og:type" content="article" />
<meta property="og:site_name" content="Kurdistan24" />
<meta property="og:title" content="{attr(post['title'])}" />
<meta property="og:description" content="{attr(post['summary'])}" />
<meta property="og:url" content="{url}" />
<meta property="og:image" content="{image}" />
<meta property="article:published_time" content="{utc_iso(post['published'])}" />
<meta property="article:modified_time" content="{utc_iso(post['modified'])}" />
<meta property="article:section" content="{SECTIONS[post['section']]}" />
{tag_metas}<meta name="twitter:card" content="summary_large_image" />
<meta name="twitter:site" content="@K24English" />
{json_ld(post)}"""
    tags = " ".join(f'<a href="{BASE}/tag/{slug(t)}">{esc(t)}</a>' for t in post["tags"])
    related = "".join(
        f'<div class="story-card"><a href="{url_of(p)}"><img src="https://{HOST}/images/{p["image"]}" alt="" />'
        f'<h3>{esc(p["title"])}</h3></a><time datetime="{p["published"]}">{meta_date(p["published"])}</time></div>'
        for p in posts if p["id"] != post["id"] and p["section"] == post["section"])
    return (
        head(f"{post['title']} | Kurdistan24", url, extra)
        + site_header(post["section"])
        + f"""<main class="container story-page"><div class="row"><div class="col-main">
<nav class="breadcrumb"><a href="{BASE}">Home</a> / <a href="{section_url(post['section'])}">{SECTIONS[post['section']]}</a></nav>
<article class="story" data-id="{post['id']}">
<h1 class="story-title">{esc(post['title'])}</h1>
<div class="story-meta"><span class="story-author">By <a href="{BASE}/author/{slug(post['author'])}">{esc(post['author'])}</a></span> <time class="story-date" datetime="{utc_iso(post['published'])}">{meta_date(post['published'])}</time></div>
{share(post)}<figure class="story-image"><img src="{image}" alt="{attr(post['title'])}" width="1200" height="675" /><figcaption>{esc(post['caption'])}</figcaption></figure>
<div class="story-summary"><p>{esc(post['summary'])}</p></div>
<div class="story-body">
<p>{esc(post['summary'])}</p>
{body_html}
</div>
<div class="story-tags"><span class="tags-label">Tags:</span> {tags}</div>
</article>
<section class="related-stories"><h2>Related Stories</h2><div class="cards">{related}</div></section>
</div>
{aside(posts)}</div></main>
"""
        + FOOTER
    )


def listing_card(post: dict) -> str:
    return (f'<div class="story-card"><a href="{url_of(post)}"><img src="https://{HOST}/images/{post["image"]}" alt="" />'
            f'<h2>{esc(post["title"])}</h2></a><p class="card-summary">{esc(post["summary"])}</p>'
            f'<time datetime="{utc_iso(post["published"])}">{meta_date(post["published"])}</time></div>')


def listing_page(section: str, page: int, chunk: list[dict], pages: int, side: list[dict]) -> str:
    name = SECTIONS[section]
    nav = ""
    if page > 1:
        nav += f'<a class="page-prev" href="{section_url(section, page - 1)}">Previous</a>'
    nav += "".join(f'<a class="page-num{" current" if n == page else ""}" href="{section_url(section, n)}">{n}</a>'
                   for n in range(1, pages + 1))
    if page < pages:
        nav += f'<a class="page-next" href="{section_url(section, page + 1)}">Next</a>'
    cards = "\n".join(listing_card(p) for p in chunk) or '<p class="empty">No more stories.</p>'
    extra = og_meta(name)
    return (
        head(f"{name} | Kurdistan24", section_url(section, page), extra)
        + site_header(section)
        + f"""<main class="container section-page"><div class="row"><div class="col-main">
<h1 class="section-title">{name}</h1>
<div class="cards">
{cards}
</div>
<nav class="pagination">{nav}</nav>
</div>
{aside(side)}</div></main>
"""
        + FOOTER
    )


def feed_xml(posts: list[dict], last_build: str) -> str:
    items = "\n".join(f"""<item>
<title>{esc(p['title'])}</title>
<link>{url_of(p)}</link>
<guid isPermaLink="true">{url_of(p)}</guid>
<description>{esc(p['summary'])}</description>
<category>{SECTIONS[p['section']]}</category>
<pubDate>{rfc822(p['published'])}</pubDate>
<enclosure url="https://{HOST}/images/{p['image']}" type="image/jpeg" length="0" />
</item>""" for p in posts)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
<title>Kurdistan24</title>
<link>{BASE}</link>
<description>Kurdistan24 English: news from Kurdistan, Iraq, Syria and the world</description>
<language>en</language>
<lastBuildDate>{rfc822(last_build)}</lastBuildDate>
<atom:link href="{BASE}/rss.xml" rel="self" type="application/rss+xml" />
{items}
</channel>
</rss>
"""


def urlset(entries: list[tuple[str, str]]) -> str:
    rows = "".join(f"<url><loc>{loc}</loc><lastmod>{lm}</lastmod><changefreq>daily</changefreq></url>\n"
                   for loc, lm in entries)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{rows}</urlset>\n')


def sitemap_index(entries: list[tuple[str, str]]) -> str:
    rows = "".join(f"<sitemap><loc>{loc}</loc><lastmod>{lm}</lastmod></sitemap>\n"
                   for loc, lm in entries)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{rows}</sitemapindex>\n')


ROBOTS = robots(["Disallow: /admin/", "Disallow: /*/search", "Disallow: /api/"],
                [f"{BASE}/sitemap.xml"])


def build(out: Path = OUT) -> dict:
    articles = sorted(ARTICLES, key=lambda p: utc_iso(p["published"]), reverse=True)
    posts = sorted([*articles, WATCH], key=lambda p: utc_iso(p["published"]), reverse=True)
    shutil.rmtree(out / "www", ignore_errors=True)
    www = out / "www"
    last_build = max((p["modified"] for p in posts), key=utc_iso)

    write(www, "robots.txt", ROBOTS)
    write(www, "en/rss.xml", feed_xml(posts, last_build))
    months = sorted({dt(p["published"]).strftime("%Y-%m") for p in posts}, reverse=True)
    write(www, "en/sitemap.xml", sitemap_index([
        (f"{BASE}/sitemap/stories-{m}.xml",
         max(utc_iso(p["modified"]) for p in posts if dt(p["published"]).strftime("%Y-%m") == m))
        for m in months]))
    for m in months:
        write(www, f"en/sitemap/stories-{m}.xml", urlset(
            [(url_of(p), utc_iso(p["modified"])) for p in posts
             if dt(p["published"]).strftime("%Y-%m") == m]))

    bodies = {}
    for p in posts:
        blocks = parse_body(p["body"])
        bodies[p["id"]] = clean_body(blocks)
        body_html = render_blocks(blocks, posts)
        if p is WATCH:
            body_html = (f'<div class="video-embed"><iframe src="https://www.youtube.com/embed/k24live{p["id"]}" '
                         f'allowfullscreen></iframe></div>\n<p>{esc(p["body"])}</p>')
        write(www, "en" + path_of(p), article_page(p, posts, body_html))

    home = "\n".join(listing_card(p) for p in posts[:6])
    write(www, "en/index.html", head("Kurdistan24 | English", BASE, '<meta property="og:type" content="website" />\n')
          + site_header() + f'<main class="container home"><div class="cards">{home}</div>{aside(articles)}</main>\n'
          + FOOTER)

    routes = []
    listings: dict[str, dict] = {}
    not_articles = [f"{CANON}", canon_of(WATCH)]
    for section in LISTED:
        items = [p for p in posts if p["section"] == section]
        pages = chunks(items, PER_PAGE)
        for n, chunk in enumerate(pages + [[]], start=1):  # one page past the end: empty
            text = listing_page(section, n, chunk, len(pages), articles)
            if n == 1:
                write(www, f"en/category/{section}/index.html", text)
            else:
                write(www, f"en/category/{section}-page-{n}.html", text)
                routes.append((f"/en/category/{section}?page={n}", f"en/category/{section}-page-{n}.html"))
        listings[section_url(section)] = {"pages": len(pages),
                                          "posts": [canon_of(p) for p in items]}
        not_articles += [f"{CANON}/category/{section}"] + [
            f"{CANON}/category/{section}?page={n}" for n in range(2, len(pages) + 1)]

    write(out, "site.toml",
          site_toml_head("Kurdistan24 English (the broadcaster's own CMS)", "build_kurdistan24.py",
                         HOST, last_build)
          + "\n" + toml_route("/en/rss.xml", file="en/rss.xml",
                               content_type="application/rss+xml; charset=utf-8")
          + "\n# Section listings page with ?page=N;"
          " the page after the last one is an empty list.\n"
          + "".join("\n" + toml_route(path, file=file) for path, file in routes))

    expected_articles = []
    for a in articles:
        body = bodies[a["id"]]
        assert_clean(a["id"], body, CRUFT)
        assert a["summary"] not in body
        expected_articles.append(expected_article(
            url=canon_of(a), title=a["title"], summary=a["summary"], authors=[a["author"]],
            published=a["published"], modified=a["modified"], language="en",
            section=SECTIONS[a["section"]], tags=a["tags"],
            image=f"https://{HOST}/images/{a['image']}", body=body))
    expected = expected_json(
        source="kurdistan24",
        host="kurdistan24.net",
        feed=f"{BASE}/rss.xml",
        sitemap=f"{BASE}/sitemap.xml",
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
