"""Regenerate the offline copy of SANA English in scraper/offline/sites/sana-en/.

    python scraper/offline/sites/build_sana_en.py

What the copy is based on: SANA (the Syrian Arab News Agency) relaunched
sana.sy in August 2025 on WordPress with the Foxiz news theme. The Arabic
service is the root of the host and the English one lives under /en/ on the
same host; the old ?p=<id> addresses moved to archive.sana.sy. Posts are
/en/<category>/<post-id>/ (for example /en/politics/2284409/), categories
have no base (/en/politics/, paginated /en/politics/page/<n>/), tags are
/en/tag/<slug>/, the feed is /en/feed/ and robots.txt (one for the host,
with Crawl-delay: 5) lists the sitemaps. Whether /en/ is a multisite or a
language of one install is not visible from outside; the copy gives it its
own sitemap index (/en/sitemap_index.xml -> /en/post-sitemap.xml), as a
subsite has. Foxiz markup: h1.s-title, the date in the single header's
<time class="date published">, the story in div.entry-content, an inline
"Related News" block (div.inline-post) inside it, the "TAGGED:" bar in
div.efoot, "Share This Article" buttons, "You Might Also Like" below. SANA
English stories open with a "Damascus, Sept. 14 (SANA) –" dateline (part
of the first paragraph) and often end with the editors' initials on a line
of their own ("M. Nassar / L. Darwish"). Class names follow the theme;
markup is written for this copy, not copied.

The two SANA copies share this generator: build_sana_ar.py gives it the
Arabic service's data and labels. Both copies are served side by side on
sana.sy (site.toml path_prefix "/en/" here). The stories are written for the
copies (plausible agency prose about institutions, no quotes of real people).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from urllib.parse import quote, unquote

from sitegen import (
    EASTERN_DIGITS,
    RANK_MATH,
    WP_ADMIN,
    assert_clean,
    attr,
    chunks,
    clean_body,
    dt,
    english_date,
    esc,
    expected_article,
    expected_json,
    http_date,
    levant_date,
    og_meta,
    page_numbers,
    page_path,
    page_urls,
    parse_body,
    robots,
    sitemap_index,
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
HOST = "sana.sy"
ROOT = f"https://{HOST}"
PER_PAGE = 2
FEED_SIZE = 10

ROBOTS = robots(["Crawl-delay: 5", *WP_ADMIN, "Disallow: /?s=", "Disallow: /en/?s="],
                [f"{ROOT}/sitemap_index.xml", f"{ROOT}/en/sitemap_index.xml"])

# --------------------------------------------------------------------------
# English data. Body mini-format: blocks separated by a blank line; "## "
# subheading, "* " list items, "> " blockquote; "@@RELATED id@@" Foxiz's
# inline "Related News" block, "@@READ id@@" a "Read also:" line,
# "@@FIGURE file|caption@@" an inline image, "@@SIGN text@@" the editors'
# line, "@@FOLLOW@@" the follow-us line (all cruft); else a paragraph.
# --------------------------------------------------------------------------

EN = dict(
    source_id="sana-en",
    base=f"{ROOT}/en",
    lang="en",
    html_lang="en-US",
    dir="ltr",
    og_locale="en_US",
    site_name="Syrian Arab News Agency",
    title_suffix="Syrian Arab News Agency",
    sections={"politics": "Politics", "economy": "Economy", "syria": "Syria"},
    labels=dict(
        home="Home", skip="Skip to content", search="Search", share="Share",
        share_article="Share This Article", copy="Copy Link", print="Print", tagged="TAGGED:",
        related="Related News", might_like="You Might Also Like", updated="Last updated:",
        newsletter="Sign up for our newsletter",
        newsletter_text="Get the latest news from SANA delivered to your inbox.",
        email="Your email address", subscribe="Subscribe", read_also="Read also:",
        follow='Follow us on <a href="https://t.me/SANAenglish">Telegram</a>',
        copyright="© 2025 Syrian Arab News Agency (SANA). All rights reserved.",
        about="About SANA", contact="Contact us", page="Page", of="of", latest="Latest News",
        prev="Previous", next="Next", read_more="Read More",
    ),
    date_format="en",
    about=("/en/about-us/", "About SANA", [
        "The Syrian Arab News Agency (SANA) is Syria's national news agency, founded in 1965. "
        "It publishes news in Arabic, English and several other languages.",
        "SANA's English service covers Syrian affairs, the economy and the country's "
        "relations with the region and the world.",
    ]),
    feed_utm=2291406,
    articles=[
        dict(
            id=2301877,
            section="syria",
            title="Ministry of Energy announces new timetable for restoring power to Aleppo's industrial zones",
            summary="Two new transmission lines will feed the Sheikh Najjar industrial city by the end of the year, the ministry said.",
            published="2025-10-21T14:35:00+03:00",
            modified="2025-10-21T15:02:00+03:00",
            tags=["Electricity", "Aleppo", "Industry"],
            image=("2025/10/aleppo-power-lines.jpg", "Workers install a transmission tower near Aleppo. (SANA)"),
            body="""
Aleppo, Oct. 21 (SANA) – The Ministry of Energy announced on Tuesday a new timetable for restoring electricity to the industrial zones of Aleppo, saying that two new transmission lines will feed the Sheikh Najjar industrial city by the end of the year.

The ministry said in a statement that technical teams have completed the installation of most of the towers along the route from the Aleppo thermal power station, and that the remaining work covers the substations inside the industrial city.

@@RELATED 2296310@@

According to the statement, the first line will supply the textile and food-processing plants, while the second will serve the engineering and chemical industries. Factories will be connected in stages once safety tests are completed.

## Industrialists welcome the plan

Representatives of the Aleppo Chamber of Industry said that reliable power is the main condition for reopening hundreds of workshops that have been running on diesel generators at high cost.

The ministry added that a joint committee with the chamber will set priorities for connecting factories and follow up on complaints.

@@SIGN M. Nassar / L. Darwish@@
""",
        ),
        dict(
            id=2296310,
            section="syria",
            title="Damascus Governorate begins rehabilitating water network in old city neighbourhoods",
            summary="The project covers more than twelve kilometres of pipes in al-Shaghour, Bab Touma and al-Amara.",
            published="2025-10-08T10:20:00+03:00",
            modified="2025-10-08T10:20:00+03:00",
            tags=["Damascus", "Water", "Infrastructure"],
            image=("2025/10/damascus-old-city-water.jpg", "Workers replace water pipes in a street of Old Damascus. (SANA)"),
            body="""
Damascus, Oct. 8 (SANA) – Damascus Governorate has started rehabilitating the drinking water network in several neighbourhoods of the old city, replacing pipes that date back several decades and suffer from frequent leaks.

The project covers more than twelve kilometres of pipes in the neighbourhoods of al-Shaghour, Bab Touma and al-Amara, and is being carried out in stages to limit the disruption to residents and traders.

@@FIGURE 2025/10/old-damascus-street-works.jpg|Excavation works in Bab Touma. (SANA)@@

The Damascus Water Supply and Sewerage Authority said that the new network will reduce losses, which it estimates at more than a third of the water pumped into the old city, and improve pressure in upper floors.

Residents are asked to store water during the hours announced for each street, the authority said, adding that teams will work at night in the busiest markets.

@@READ 2301877@@

@@SIGN R. Haddad@@
""",
        ),
        dict(
            id=2291406,
            section="politics",
            title="Syria and Jordan agree to expand cooperation in trade and transport",
            summary="The two sides agreed to extend the opening hours of the Nassib–Jaber crossing and to form a joint technical committee on transport.",
            published="2025-09-29T19:10:00+03:00",
            modified="2025-09-30T09:45:00+03:00",
            tags=["Jordan", "Trade", "Transport"],
            image=("2025/09/nassib-crossing.jpg", "Trucks at the Nassib border crossing. (SANA)"),
            body="""
Amman, Sept. 29 (SANA) – Syria and Jordan agreed on Monday to expand cooperation in trade and transport, during a meeting of a joint committee held in the Jordanian capital.

The two sides agreed to extend the working hours of the Nassib–Jaber border crossing, to simplify procedures for trucks in transit and to form a joint technical committee to follow up on transport issues.

@@RELATED 2287051@@

The meeting also discussed the following points:

* Raising the volume of trade between the two countries.
* Facilitating the movement of Syrian and Jordanian businessmen.
* Cooperation in the fields of energy and water.

The participants stressed the importance of regular meetings of the committee to review what has been implemented and to address obstacles as they arise.

@@SIGN H. Khaddour@@
""",
        ),
        dict(
            id=2287051,
            section="economy",
            title="Damascus International Fair closes with record number of visitors",
            summary="More than forty countries took part in this year's edition, the organisers said.",
            published="2025-09-14T21:05:00+03:00",
            modified="2025-09-15T08:30:00+03:00",
            tags=["Damascus International Fair", "Trade", "Investment"],
            image=("2025/09/damascus-fair.jpg", "Visitors at the Damascus International Fair. (SANA)"),
            body="""
Damascus, Sept. 14 (SANA) – The Damascus International Fair closed its doors on Sunday evening after ten days, with the organisers reporting a record number of visitors and the participation of companies from more than forty countries.

The General Establishment for Fairs and International Markets said that the pavilions of industry, agriculture and construction attracted the largest numbers, and that dozens of preliminary agreements were signed between Syrian and foreign companies.

## Investment forum

A forum held on the sidelines of the fair discussed investment opportunities in energy, housing and tourism, and presented the procedures for licensing new projects.

> The fair has shown that Syrian producers are ready to return to regional markets.

The organisers said that preparations for next year's edition will start early, with plans to enlarge the exhibition area and improve transport to the fairground.

@@FOLLOW@@
""",
        ),
        dict(
            id=2283512,
            section="syria",
            title="Schools in Homs receive new textbooks ahead of the academic year",
            summary="The education directorate has distributed more than half a million textbooks to schools in the city and countryside.",
            published="2025-09-04T12:00:00+03:00",
            modified="2025-09-04T12:25:00+03:00",
            tags=["Homs", "Education"],
            image=("2025/09/homs-textbooks.jpg", "Textbooks being unloaded at a school in Homs. (SANA)"),
            body="""
Homs, Sept. 4 (SANA) – The Education Directorate in Homs has distributed more than half a million textbooks to schools in the city and its countryside, ahead of the start of the new academic year.

The directorate said that the books were delivered to more than nine hundred schools, and that the remaining quantities will reach schools in remote villages during the coming week.

@@READ 2296310@@

It added that maintenance work has been completed in dozens of school buildings over the summer, including the repair of roofs, windows and sanitary facilities.

@@SIGN A. Sulaiman / R. Haddad@@
""",
        ),
        dict(
            id=2279930,
            section="politics",
            title="Foreign Ministry receives credentials of new ambassadors",
            summary="Copies of the credentials of three new ambassadors were received at the Foreign Ministry in Damascus.",
            published="2025-08-27T16:45:00+03:00",
            modified="2025-08-27T16:45:00+03:00",
            tags=["Foreign Ministry", "Diplomacy"],
            image=("2025/08/foreign-ministry-damascus.jpg", "The Foreign Ministry building in Damascus. (SANA)"),
            body="""
Damascus, Aug. 27 (SANA) – The Ministry of Foreign Affairs and Expatriates received on Wednesday copies of the credentials of three new ambassadors accredited to Syria.

During the meetings, the discussions dealt with bilateral relations and ways of developing them in the economic, cultural and educational fields, as well as cooperation on the return of refugees.

The ambassadors expressed their countries’ readiness to work with Syria in the coming stage, and the ministry wished them success in their missions.

@@SIGN H. Khaddour@@
""",
        ),
    ],
    cruft=[
        "TAGGED:", "Share This Article", "Copy Link", "Related News", "You Might Also Like",
        "Read also:", "Follow us on", "Sign up for our newsletter", "Your email address",
        "Last updated:", "All rights reserved", "Skip to content", "M. Nassar", "L. Darwish",
        "R. Haddad", "H. Khaddour", "A. Sulaiman", "\u00a0",
    ],
    drop_prefix="/en/",
)

# --------------------------------------------------------------------------
# Generic Foxiz/WordPress machinery, for both services
# --------------------------------------------------------------------------

TYPOGRAPHY = "’–"  # what wptexturize turns into numeric entities on these copies
MARKERS = ("RELATED", "READ", "FIGURE", "SIGN", "FOLLOW")


class Site:
    def __init__(self, cfg: dict):
        self.cfg = cfg
        self.base = cfg["base"]
        self.L = cfg["labels"]
        self.sections = cfg["sections"]
        self.posts = sorted(cfg["articles"], key=lambda p: utc_iso(p["published"]), reverse=True)
        self.by_id = {p["id"]: p for p in self.posts}

    # -- URLs
    def url_of(self, post: dict) -> str:
        return f"{self.base}/{post['section']}/{post['id']}/"

    def utm_url_of(self, post: dict) -> str:
        return self.url_of(post) + "?utm_source=rss&utm_medium=rss&utm_campaign=" + str(post["id"])

    def tag_path(self, tag: str) -> str:
        slug = re.sub(r"[^\w]+", "-", tag.lower()).strip("-")
        return self.base.removeprefix(ROOT) + f"/tag/{quote(slug, safe='-').lower() if self.cfg['lang'] == 'ar' else slug}/"

    def date_text(self, value: str) -> str:
        if self.cfg["date_format"] == "en":
            return english_date(value)
        return levant_date(value, eastern_digits=True)

    def time_text(self, value: str) -> str:
        d = dt(value)
        if self.cfg["date_format"] == "en":
            return f"{self.date_text(value)} {d.strftime('%I:%M %p').lstrip('0').lower()}"
        return f"{self.date_text(value)} {d:%H:%M}".translate(EASTERN_DIGITS)

    # -- body
    def render_blocks(self, blocks) -> str:
        out = []
        for kind, payload in blocks:
            if kind == "related":
                other = self.by_id[int(payload)]
                out.append(f"""<div class="inline-post block-wrap block-inline-post rb-related-inline">
<div class="block-h heading-layout-c1"><div class="heading-inner"><h4 class="heading-title"><span>{self.L['related']}</span></h4></div></div>
<div class="block-inner"><div class="p-wrap p-list-inline"><h5 class="entry-title"><a class="p-url" href="{self.url_of(other)}">{esc(other['title'])}</a></h5></div></div>
</div>""")
            elif kind == "read":
                other = self.by_id[int(payload)]
                out.append(f'<p><strong>{self.L["read_also"]}</strong> <a href="{self.url_of(other)}">{esc(other["title"])}</a></p>')
            elif kind == "figure":
                file, caption = payload.split("|", 1)
                out.append(f'<figure class="wp-block-image size-large"><img decoding="async" src="{ROOT}/wp-content/uploads/{file}" alt="" />'
                           f'<figcaption class="wp-element-caption">{esc(caption)}</figcaption></figure>')
            elif kind == "sign":
                out.append(f"<p>{esc(payload)}</p>")
            elif kind == "follow":
                out.append(f"<p>{self.L['follow']}</p>")
            else:
                out.append(wp_block(kind, payload, lambda s: texturize(s, TYPOGRAPHY),
                                    gutenberg=True))
        return "\n".join(out)

    # -- chrome
    def head(self, title: str, canonical: str, extra: str = "", description: str = "") -> str:
        desc = f'<meta name="description" content="{attr(description)}"/>\n' if description else ""
        rtl = ' dir="rtl"' if self.cfg["dir"] == "rtl" else ""
        return f"""<!DOCTYPE html>
<html lang="{self.cfg['html_lang']}"{rtl}>
<head>
<meta charset="UTF-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{esc(title)}</title>
{desc}<meta name="robots" content="follow, index, max-snippet:-1, max-video-preview:-1, max-image-preview:large"/>
<link rel="canonical" href="{attr(canonical)}" />
{extra}<link rel="alternate" type="application/rss+xml" title="{attr(self.cfg['site_name'])} &raquo; Feed" href="{self.base}/feed/" />
<link rel='stylesheet' id='foxiz-main-css' href='{ROOT}/wp-content/themes/foxiz/assets/css/main.css?ver=2.6.1' media='all' />
<script src="{ROOT}/wp-includes/js/jquery/jquery.min.js?ver=3.7.1" id="jquery-core-js"></script>
</head>
"""

    def header(self) -> str:
        items = "\n".join(
            f'<li class="menu-item menu-item-type-taxonomy menu-item-object-category"><a href="{self.base}/{s}/"><span>{esc(n)}</span></a></li>'
            for s, n in self.sections.items()
        )
        other = f'<a href="{ROOT}/">عربي</a>' if self.cfg["lang"] == "en" else f'<a href="{ROOT}/en/">English</a>'
        return f"""<body class="wp-theme-foxiz{' rtl' if self.cfg['dir'] == 'rtl' else ''}">
<div class="site-outer"><a class="skip-link screen-reader-text" href="#site-content">{self.L['skip']}</a>
<header id="site-header" class="header-wrap rb-section header-set-1 header-1 header-wrapper style-shadow">
<div class="navbar-wrap"><div class="navbar-inner rb-container edge-padding">
<div class="navbar-left"><div class="logo-wrap is-image-logo site-branding"><a href="{self.base}/" class="logo" title="{attr(self.cfg['site_name'])}"><img class="logo-default" height="60" width="200" src="{ROOT}/wp-content/uploads/2025/08/sana-logo.png" alt="{attr(self.cfg['site_name'])}"></a></div>
<nav id="site-navigation" class="main-menu-wrap"><ul id="menu-main" class="main-menu rb-menu large-menu" itemscope><li class="menu-item"><a href="{self.base}/"><span>{self.L['home']}</span></a></li>
{items}
</ul></nav></div>
<div class="navbar-right"><div class="wnav-holder w-header-search header-dropdown-outer"><a href="#" class="search-trigger" aria-label="{self.L['search']}"><span class="search-icon-svg"></span></a>
<div class="header-dropdown"><form method="get" action="{self.base}/" class="rb-search-form"><input type="text" class="field" placeholder="{self.L['search']}" value="" name="s"/></form></div></div>
<div class="wnav-holder lang-switch">{other}</div></div>
</div></div>
</header>
<div class="site-wrap" id="site-content">
"""

    def footer(self) -> str:
        return f"""</div>
<footer class="footer-wrap rb-section left-dot">
<div class="footer-inner footer-has-bg"><div class="footer-copyright"><div class="rb-container edge-padding">
<div class="bottom-footer-section"><div class="copyright-menu"><ul class="menu"><li><a href="{ROOT}{self.cfg['about'][0]}">{self.L['about']}</a></li><li><a href="{self.base}/contact-us/">{self.L['contact']}</a></li></ul></div>
<div class="copyright">{self.L['copyright']}</div></div></div></div></div>
</footer>
</div>
<script src="{ROOT}/wp-content/themes/foxiz/assets/js/global.js?ver=2.6.1" id="foxiz-global-js"></script>
</body>
</html>
"""

    def newsletter(self) -> str:
        return f"""<div class="newsletter-box rb-newsletter"><div class="newsletter-inner">
<h3 class="newsletter-title">{self.L['newsletter']}</h3><p class="newsletter-description">{self.L['newsletter_text']}</p>
<form method="post" class="newsletter-form"><input type="email" name="EMAIL" placeholder="{self.L['email']}" required /><button type="submit">{self.L['subscribe']}</button></form>
</div></div>
"""

    def share(self, url: str, title: str, cls: str) -> str:
        u, t = quote(url, safe=""), quote(title, safe="")
        head = (f'<div class="e-shared-header h4"><i class="rbi rbi-share"></i><span>{self.L["share_article"]}</span></div>'
                if cls == "e-shared-sec entry-sec" else
                f'<div class="t-shared-header is-meta"><i class="rbi rbi-share"></i><span class="share-label">{self.L["share"]}</span></div>')
        return f"""<div class="{cls}">{head}
<div class="rbbsl tooltips-n effect-fadeout is-bg"><a class="share-action share-trigger icon-facebook" aria-label="Facebook" href="https://www.facebook.com/sharer.php?u={u}" rel="nofollow"><i class="rbi rbi-facebook"></i><span>Facebook</span></a>
<a class="share-action share-trigger icon-twitter" aria-label="X" href="https://twitter.com/intent/tweet?text={t}&amp;url={u}" rel="nofollow"><i class="rbi rbi-twitter"></i><span>X</span></a>
<a class="share-action icon-whatsapp is-web" aria-label="WhatsApp" href="https://web.whatsapp.com/send?text={t}%20{u}" rel="nofollow"><i class="rbi rbi-whatsapp"></i><span>WhatsApp</span></a>
<a class="share-action icon-telegram" aria-label="Telegram" href="https://t.me/share/?url={u}&amp;text={t}" rel="nofollow"><i class="rbi rbi-telegram"></i><span>Telegram</span></a>
<a class="share-action icon-copy copy-trigger" aria-label="{self.L['copy']}" href="#" data-copied="Copied!" data-link="{url}" rel="nofollow"><i class="rbi rbi-link-o"></i><span>{self.L['copy']}</span></a>
<a class="share-action icon-print" aria-label="{self.L['print']}" rel="nofollow" href="javascript:if(window.print)window.print()"><i class="rbi rbi-print"></i><span>{self.L['print']}</span></a></div></div>
"""

    def json_ld(self, post: dict) -> str:
        url = self.url_of(post)
        data = {
            "@context": "https://schema.org",
            "@graph": [
                {"@type": "Organization", "@id": ROOT + "/#organization", "name": self.cfg["site_name"],
                 "url": self.base + "/"},
                {"@type": "NewsArticle", "headline": post["title"], "description": post["summary"],
                 "datePublished": post["published"], "dateModified": post["modified"],
                 "author": {"@type": "Organization", "name": self.cfg["site_name"]},
                 "publisher": {"@id": ROOT + "/#organization"},
                 "articleSection": self.sections[post["section"]], "keywords": post["tags"],
                 "image": {"@type": "ImageObject", "url": f"{ROOT}/wp-content/uploads/{post['image'][0]}"},
                 "inLanguage": self.cfg["html_lang"], "@id": url + "#richSnippet",
                 "mainEntityOfPage": {"@id": url}},
            ],
        }
        return ('<script type="application/ld+json" class="rank-math-schema">'
                + json.dumps(data, ensure_ascii=False) + "</script>\n")

    def article_page(self, post: dict) -> str:
        url = self.url_of(post)
        image = f"{ROOT}/wp-content/uploads/{post['image'][0]}"
        section = self.sections[post["section"]]
        tag_metas = "".join(f'<meta property="article:tag" content="{attr(t)}" />\n' for t in post["tags"])
        extra = f"""<meta property="og:locale" content="{self.cfg['og_locale']}" />
<meta property="og:type" content="article" />
<meta property="og:title" content="{attr(post['title'])}" />
<meta property="og:description" content="{attr(post['summary'])}" />
<meta property="og:url" content="{url}" />
<meta property="og:site_name" content="{attr(self.cfg['site_name'])}" />
{tag_metas}<meta property="article:section" content="{attr(section)}" />
<meta property="og:updated_time" content="{post['modified']}" />
<meta property="og:image" content="{image}" />
<meta property="article:published_time" content="{post['published']}" />
<meta property="article:modified_time" content="{post['modified']}" />
<meta name="twitter:card" content="summary_large_image" />
<link rel="shortlink" href="{self.base}/?p={post['id']}" />
""" + self.json_ld(post)
        tags = "".join(f'<a href="{ROOT}{self.tag_path(t)}" rel="tag">{esc(t)}</a>' for t in post["tags"])
        related = [p for p in self.posts if p["id"] != post["id"]][:3]
        related_html = "\n".join(
            f'<div class="p-wrap p-grid"><h3 class="entry-title"><a class="p-url" href="{self.url_of(p)}">{esc(p["title"])}</a></h3>'
            f'<div class="p-meta"><time class="date published" datetime="{p["published"]}">{self.date_text(p["published"])}</time></div></div>'
            for p in related
        )
        updated = ""
        if post["modified"] != post["published"]:
            updated = f'<div class="smeta-bottom meta-text"><time class="updated-date" datetime="{post["modified"]}">{self.L["updated"]} {self.time_text(post["modified"])}</time></div>'
        return (
            self.head(f"{post['title']} - {self.cfg['title_suffix']}", url, extra, post["summary"])
            + self.header()
            + f"""<div class="single-standard-1 is-sidebar-right"><div class="rb-s-container edge-padding">
<article id="post-{post['id']}" class="post-{post['id']} post type-post status-publish format-standard has-post-thumbnail category-{post['section']}">
<header class="single-header">
<aside class="breadcrumb-wrap s-breadcrumb"><nav class="rank-math-breadcrumb"><p><a href="{self.base}/">{self.L['home']}</a><span class="separator"> &raquo; </span><a href="{self.base}/{post['section']}/">{esc(section)}</a></p></nav></aside>
<div class="s-cats ecat-bg-1 ecat-size-big"><div class="p-categories"><a class="p-category category-id-5" href="{self.base}/{post['section']}/" rel="category">{esc(section)}</a></div></div>
<h1 class="s-title fw-headline">{texturize(esc(post['title']), TYPOGRAPHY)}</h1>
<div class="single-meta meta-s-default"><div class="smeta-in"><div class="smeta-sec">
{updated}<div class="p-meta"><div class="meta-inner is-meta"><div class="meta-el meta-date"><time class="date published" datetime="{post['published']}">{self.date_text(post['published'])}</time></div></div></div>
</div></div>
<div class="smeta-extra">{self.share(url, post['title'], 't-shared-sec tooltips-n has-read-meta is-color')}</div></div>
</header>
<div class="s-feat-outer"><div class="s-feat"><div class="featured-lightbox-trigger"><img width="1200" height="800" src="{image}" class="attachment-foxiz_crop_o1 size-foxiz_crop_o1 wp-post-image" alt="" fetchpriority="high"/></div></div>
<div class="feat-caption meta-text"><span class="caption-text meta-bold">{esc(post['image'][1])}</span></div></div>
<div class="s-ct"><div class="s-ct-wrap"><div class="s-ct-inner"><div class="e-ct-outer">
<div class="entry-content rbct clearfix is-highlight-shares">
{self.render_blocks(parse_body(post['body'], MARKERS))}
</div>
<div class="efoot"><div class="efoot-bar tag-bar"><span class="blabel is-meta"><i class="rbi rbi-tag" aria-hidden="true"></i>{self.L['tagged']}</span>{tags}</div></div>
{self.share(url, post['title'], 'e-shared-sec entry-sec')}</div></div></div></div>
</article>
<aside class="sidebar-wrap single-sidebar">{self.newsletter()}</aside>
</div>
<div class="sfoter-sec single-related"><div class="block-h heading-layout-10"><div class="heading-inner"><h3 class="heading-title"><span>{self.L['might_like']}</span></h3></div></div>
<div class="block-inner">
{related_html}
</div></div>
</div>
""" + self.footer()
        )

    def listing_item(self, post: dict) -> str:
        url = self.url_of(post)
        return f"""<div class="p-wrap p-list p-list-2" data-pid="{post['id']}">
<div class="feat-holder"><div class="p-featured"><a class="p-flink" href="{url}" title="{attr(post['title'])}"><img loading="lazy" width="330" height="220" src="{ROOT}/wp-content/uploads/{post['image'][0]}" alt=""></a></div></div>
<div class="p-content"><h3 class="entry-title"><a class="p-url" href="{url}" rel="bookmark">{esc(post['title'])}</a></h3>
<p class="entry-summary">{esc(post['summary'])}</p>
<div class="p-meta"><div class="meta-inner is-meta"><div class="meta-el meta-date"><time class="date published" datetime="{post['published']}">{self.date_text(post['published'])}</time></div></div></div>
</div></div>"""

    def listing_pages(self, path: str, title: str, items: list[dict]) -> dict[str, str]:
        pages = chunks(items, PER_PAGE)
        files = {}
        for number, chunk in enumerate(pages, 1):
            here = page_path(path, number)
            links = page_numbers(lambda n: ROOT + page_path(path, n), number, len(pages),
                                 self.L["prev"], self.L["next"], prev_class="page-numbers prev",
                                 next_class="page-numbers next")
            page_title = (title if number == 1
                          else f"{title} - {self.L['page']} {number} {self.L['of']} {len(pages)}")
            extra = og_meta(page_title, "article")
            body = "\n".join(self.listing_item(p) for p in chunk)
            files[unquote(here).lstrip("/") + "index.html"] = (
                self.head(f"{page_title} - {self.cfg['title_suffix']}", ROOT + here, extra)
                + self.header()
                + f"""<div class="archive-outer"><header class="archive-header"><div class="rb-container edge-padding"><h1 class="archive-title">{esc(title)}</h1></div></header>
<div class="blog-wrap"><div class="rb-container edge-padding"><div class="block-wrap block-list block-list-2">
{body}
</div>
<nav class="pagination-wrap pagination-number">{" ".join(links)}</nav></div></div></div>
""" + self.footer()
            )
        return files

    def static_page(self) -> str:
        path, title, paragraphs = self.cfg["about"]
        extra = og_meta(title)
        body = "\n".join(f"<p>{esc(p)}</p>" for p in paragraphs)
        return (self.head(f"{title} - {self.cfg['title_suffix']}", ROOT + path, extra) + self.header()
                + f"""<div class="single-page"><div class="rb-container edge-padding"><header class="page-header"><h1 class="s-title">{esc(title)}</h1></header>
<div class="entry-content rbct">
{body}
</div></div></div>
""" + self.footer())

    def home_page(self) -> str:
        extra = og_meta(self.cfg["site_name"])
        items = "\n".join(self.listing_item(p) for p in self.posts[:6])
        return (self.head(self.cfg["site_name"], self.base + "/", extra) + self.header()
                + f'<div class="rb-container edge-padding"><div class="block-h"><h2 class="heading-title">{self.L["latest"]}</h2></div>\n{items}\n'
                + self.newsletter() + "</div>\n" + self.footer())

    def feed_xml(self) -> str:
        items = [wp_feed_item(title=post["title"],
                              link=(self.utm_url_of(post) if post["id"] == self.cfg["feed_utm"]
                                    else self.url_of(post)),
                              comments=f"{self.url_of(post)}#respond",
                              creator=self.cfg.get("feed_creator", "SANA"),
                              published=post["published"],
                              categories=[self.sections[post["section"]], *post["tags"]],
                              guid=f"{self.base}/?p={post['id']}", description=post["summary"])
                 for post in self.posts[:FEED_SIZE]]
        return wp_feed(title=self.cfg["site_name"], feed_url=f"{self.base}/feed/",
                       link=f"{self.base}/", description="",
                       last_build=max((p["modified"] for p in self.posts), key=utc_iso),
                       language=self.cfg["html_lang"], generator="6.8.2", items=items)

    def sitemaps(self) -> dict[str, str]:
        xsl = stylesheet(f"{self.base}/main-sitemap.xsl") + "\n"
        last = utc_iso(max((p["modified"] for p in self.posts), key=utc_iso))
        posts = sorted(self.posts, key=lambda p: utc_iso(p["modified"]), reverse=True)
        return {
            "sitemap_index.xml": sitemap_index([(f"{self.base}/post-sitemap.xml", last),
                                                (f"{self.base}/category-sitemap.xml", last)],
                                               xsl, RANK_MATH),
            "post-sitemap.xml": urlset([(self.url_of(p), utc_iso(p["modified"])) for p in posts],
                                       xsl, RANK_MATH),
            "category-sitemap.xml": urlset([(f"{self.base}/{s}/", last) for s in self.sections],
                                           xsl, RANK_MATH),
        }


CRUFT_KINDS = ("related", "read", "figure", "sign", "follow")


def build(cfg: dict) -> dict:
    site = Site(cfg)
    out = HERE / cfg["source_id"]
    shutil.rmtree(out / "www", ignore_errors=True)
    www = out / "www"
    prefix = cfg["base"].removeprefix(ROOT).lstrip("/")  # "en/" part of file paths, or ""
    prefix = prefix + "/" if prefix else ""
    last = max((p["modified"] for p in site.posts), key=utc_iso)

    write(www, "robots.txt", ROBOTS)
    write(www, prefix + "feed.xml", site.feed_xml())
    for name, text in site.sitemaps().items():
        write(www, prefix + name, text)
    write(www, prefix + "index.html", site.home_page())
    about_path = cfg["about"][0]
    write(www, about_path.lstrip("/") + "index.html", site.static_page())
    for post in site.posts:
        write(www, site.url_of(post).removeprefix(ROOT + "/") + "index.html", site.article_page(post))

    listing_urls, listings = [], {}

    def add_listing(path: str, title: str, items: list[dict]) -> None:
        files = site.listing_pages(path, title, items)
        for rel, text in files.items():
            write(www, rel, text)
        listing_urls.extend(ROOT + quote(unquote(p), safe="/-")
                            for p in page_urls(path, len(files)))
        listings[ROOT + path] = {"pages": len(files), "posts": [site.url_of(p) for p in items]}

    base_path = cfg["base"].removeprefix(ROOT)
    for slug, name in site.sections.items():
        add_listing(f"{base_path}/{slug}/", name, [p for p in site.posts if p["section"] == slug])
    for tag in sorted({t for p in site.posts for t in p["tags"]}):
        add_listing(site.tag_path(tag), tag, [p for p in site.posts if tag in p["tags"]])

    feed_path = f"{base_path}/feed/"
    write(out, "site.toml", f"""# Offline copy of {cfg['site_name']} ({cfg['source_id']}, WordPress + Foxiz).
# See scraper/offline/sites/README.md. Regenerate with: python scraper/offline/sites/build_{cfg['source_id'].replace('-', '_')}.py
host = "{HOST}"
scheme = "https"
# sana-en serves /en/ and sana-ar the rest of sana.sy; side by side on one mirror.
path_prefix = "{base_path}/"
last_modified = "{http_date(last)}"

""" + wp_feed_routes(feed_path, f"{prefix}feed.xml", f"{ROOT}{feed_path}"))

    articles = []
    for post in site.posts:
        body = clean_body(parse_body(post["body"], MARKERS), CRUFT_KINDS)
        assert_clean(post["id"], body, cfg["cruft"])
        articles.append(expected_article(
            url=site.url_of(post), title=post["title"], summary=post["summary"], authors=[],
            published=post["published"], modified=post["modified"], language=cfg["lang"],
            section=site.sections[post["section"]], tags=post["tags"],
            image=f"{ROOT}/wp-content/uploads/{post['image'][0]}", body=body))
    utm_post = site.by_id[cfg["feed_utm"]]
    expected = expected_json(
        source=cfg["source_id"],
        host=HOST,
        path_prefix=f"{base_path}/",
        feed=f"{cfg['base']}/feed/",
        sitemap=f"{cfg['base']}/sitemap_index.xml",
        articles=articles,
        aliases={site.utm_url_of(utm_post): site.url_of(utm_post)},
        not_articles=[cfg["base"] + "/", ROOT + about_path, *listing_urls],
        feed_items=[site.utm_url_of(p) if p["id"] == cfg["feed_utm"] else site.url_of(p)
                    for p in site.posts[:FEED_SIZE]],
        listings=listings,
        cruft=cfg["cruft"] + [p["image"][1] for p in site.posts],
    )
    return write_expected(out, expected)


if __name__ == "__main__":
    result = build(EN)
    print(f"{len(result['articles'])} articles written to {HERE / EN['source_id']}")
