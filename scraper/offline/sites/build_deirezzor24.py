"""Regenerate the offline copy of Deir ez-Zor 24 (Arabic) in scraper/offline/sites/deirezzor24/.

    python scraper/offline/sites/build_deirezzor24.py

What the structure is based on: Deir ez-Zor 24 (https://deirezzor24.net/) is
an Arabic WordPress site (an English edition lives under /en/). Posts use
WordPress's "post name" permalinks, so an Arabic title gives an Arabic slug
that WordPress prints percent-encoded in lower case (``/%d9%85%d8%b2.../``);
the news category is ``/category/أخبار/`` with ``page/<n>/`` pagination (as
scrapers of the site use it), reports are ``/category/تقارير/``; the feed is
``/feed/`` and Yoast SEO writes ``/sitemap_index.xml``. The theme is meks
"Voice" (``vce-loop-wrap`` listings, ``vce-share-bar``, ``meta-tags``,
``vce-related-box``), right to left. The visible date line uses Levantine
month names with Eastern Arabic digits ("١٤ كانون الأول ٢٠٢٥"), the machine
dates are in the meta tags. Inside stories the editors add "اقرأ أيضاً"
links, a "تابعونا على ..." line and photo credits; around them are a share
bar ("شارك"), tags ("الوسوم"), "مقالات ذات صلة", "الأكثر قراءة", a
newsletter box and the "جميع الحقوق محفوظة" footer. Most posts are signed by
the "المحرر" account (no named author); short "تنويه" notices are not
articles.

The stories are written for this copy (plausible prose, no real quotes);
everything is generated from the data below, so expected.json cannot drift.
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
    esc,
    expected_article,
    expected_json,
    levant_date,
    og_meta,
    page_numbers,
    page_path,
    page_urls,
    parse_body,
    plain,
    robots,
    site_toml_head,
    sitemap_index,
    stylesheet,
    urlset,
    utc_iso,
    wp_block,
    wp_feed,
    wp_feed_item,
    wp_feed_routes,
    wp_quote,
    write,
    write_expected,
)

HERE = Path(__file__).resolve().parent
OUT = HERE / "deirezzor24"
HOST = "deirezzor24.net"
BASE = f"https://{HOST}"
SITE_NAME = "دير الزور 24"
PER_PAGE = 3

CATEGORIES = {
    "news": ("أخبار", "أخبار"),
    "reports": ("تقارير", "تقارير"),
}

# Body mini-format: blocks separated by a blank line; "## " subheading,
# "* " list items, "> " blockquote, "%% " a cruft paragraph inside the story.
ARTICLES = [
    dict(
        id=88412,
        cat="news",
        slug="مزارعو-الريف-الشرقي-يشكون-غلاء-المحروقات",
        title="مُزارِعو الرِّيفِ الشَّرقيّ يَشكونَ غَلاءَ المَحروقات",
        published="2025-12-14T10:20:00+03:00",
        modified="2025-12-14T11:05:00+03:00",
        tags=["الريف الشرقي", "الزراعة", "المحروقات"],
        author=None,
        image="2025/12/farmers-fuel.jpg",
        caption="مضخة مياه على ضفة الفرات في ريف دير الزور الشرقي",
        body="""
يشتكي مزارعو ريف دير الزور الشرقي من الارتفاع الكبير في أسعار المازوت مع بدء موسم زراعة القمح، إذ وصل سعر البرميل في السوق الحرة إلى ضعف ما كان عليه في الموسم الماضي، ما يهدد بتقليص المساحات المزروعة هذا العام.

وقال مزارع من بلدة الشحيل لشبكة دير الزور 24 إن ري الدونم الواحد من القمح يحتاج إلى كميات من الوقود لا يستطيع تأمينها، مضيفاً أن كثيراً من جيرانه قرروا ترك جزء من أراضيهم دون زراعة.

%% اقرأ أيضاً: ارتفاع سعر ربطة الخبز في ريف دير الزور الغربي

## مخصصات لا تكفي

ويحصل المزارعون على مخصصات مدعومة من المحروقات عبر الجمعيات الفلاحية، لكنهم يؤكدون أنها لا تغطي سوى ربع حاجتهم الفعلية، وأن توزيعها يتأخر في كثير من الأحيان حتى يفوت موعد الري المناسب.

ويطالب الأهالي بزيادة المخصصات وتوزيعها في مواعيدها، وبإعادة تأهيل قنوات الري الحكومية المتوقفة منذ سنوات، والتي كانت تخفف اعتمادهم على المضخات العاملة على المازوت.

%% تابعونا على قناة التلغرام
""",
    ),
    dict(
        id=88377,
        cat="news",
        slug="انقطاع-المياه-عن-أحياء-في-مدينة-دير-الزور",
        title="انقطاع المياه عن أحياء في مدينة دير الزور لليوم الخامس",
        published="2025-12-12T19:45:00+03:00",
        modified="2025-12-12T19:45:00+03:00",
        tags=["مدينة دير الزور", "المياه", "الخدمات"],
        author=None,
        image="2025/12/water-cut.jpg",
        caption="أهالٍ يملؤون الأوعية من صهريج في حي الجورة",
        body="""
تعيش أحياء الجورة والقصور وهرابش في مدينة دير الزور من دون مياه الشرب لليوم الخامس على التوالي، بسبب عطل في محطة الضخ الرئيسية وانقطاع التيار الكهربائي عنها لساعات طويلة.

ولجأ السكان إلى شراء المياه من الصهاريج الخاصة بأسعار مرتفعة، في حين قالت مصادر محلية إن ورشات المؤسسة تعمل على إصلاح العطل لكنها تنتظر وصول قطع تبديل من دمشق.

%% (تصوير: شبكة دير الزور 24)

وأوضح أحد سكان حي الجورة أن عائلته المكونة من سبعة أفراد تحتاج إلى خزان كامل كل يومين، وأن ثمنه بات يعادل جزءاً كبيراً من دخله الأسبوعي.

ويطالب الأهالي بتشغيل المحطة على خط كهرباء معفى من التقنين، كما هو الحال في المشافي والأفران، لتجنب تكرار الانقطاعات مع دخول فصل الشتاء.
""",
    ),
    dict(
        id=88301,
        cat="reports",
        slug="حملة-لترحيل-الأنقاض-من-شوارع-الحميدية",
        title="حملة لترحيل الأنقاض من شوارع حي الحميدية",
        published="2025-12-09T13:10:00+03:00",
        modified="2025-12-10T09:30:00+03:00",
        tags=["مدينة دير الزور", "إعادة الإعمار"],
        author="عمر الحسين",
        image="2025/12/hamidiya-rubble.jpg",
        caption="آليات تعمل على ترحيل الأنقاض في حي الحميدية",
        body="""
بدأ مجلس مدينة دير الزور حملة لترحيل الأنقاض من الشوارع الرئيسية في حي الحميدية، أحد أكثر أحياء المدينة تضرراً خلال سنوات الحرب، بمشاركة متطوعين من أبناء الحي وآليات قدمتها منظمة محلية.

وتهدف الحملة إلى فتح الطرق أمام عودة السكان، بعد أن ظلت الأنقاض تسد مداخل كثير من الأبنية المتبقية، وتمنع وصول صهاريج المياه وسيارات الإسعاف.

## أولويات الأهالي

وقال عدد من سكان الحي العائدين إن ترحيل الأنقاض خطوة أولى، لكنهم يحتاجون إلى خدمات أساسية قبل أن يتمكنوا من الاستقرار، وحددوا أبرز مطالبهم:

* إعادة تمديد شبكة المياه والصرف الصحي في الشوارع المتضررة.
* إنارة الشوارع ليلاً للحد من السرقات.
* فتح مدرسة ابتدائية واحدة على الأقل في الحي.

> نريد أن نعود إلى بيوتنا، لا أن نعيش بين الركام.

بهذه العبارة لخّص أحد المتطوعين شعور كثير من أبناء الحي، الذين ينتظرون أن تتحول الوعود إلى مشاريع على الأرض.
""",
    ),
    dict(
        id=88254,
        cat="news",
        slug="ارتفاع-سعر-ربطة-الخبز-في-الريف-الغربي",
        title="ارتفاع سعر ربطة الخبز في ريف دير الزور الغربي",
        published="2025-12-06T08:15:00+03:00",
        modified="2025-12-06T08:15:00+03:00",
        tags=["الريف الغربي", "الخبز", "الأسعار"],
        author=None,
        image="2025/12/bread-price.jpg",
        caption="طابور أمام فرن في بلدة الكسرة",
        body="""
رفعت أفران خاصة في بلدات الكسرة والصعوة والجنينة في ريف دير الزور الغربي سعر ربطة الخبز، بحجة ارتفاع أسعار الطحين والمحروقات، في ظل توقف الفرن الآلي في المنطقة عن العمل منذ أسبوعين.

وأفاد مراسل شبكة دير الزور 24 بأن طوابير طويلة تتشكل أمام الأفران منذ ساعات الفجر، وأن كثيراً من العائلات باتت تكتفي بربطة واحدة في اليوم.

%% اقرأ أيضاً: انقطاع المياه عن أحياء في مدينة دير الزور لليوم الخامس

وطالب الأهالي الجهات المعنية بإعادة تشغيل الفرن الآلي وتشديد الرقابة على الأفران الخاصة، ومحاسبة من يتلاعب بالوزن أو الأسعار.
""",
    ),
    dict(
        id=88190,
        cat="reports",
        slug="طلاب-جامعة-الفرات-يطالبون-بتأمين-وسائل-نقل",
        title="طلاب جامعة الفرات يطالبون بتأمين وسائل نقل من الأرياف",
        published="2025-12-02T16:40:00+03:00",
        modified="2025-12-03T10:00:00+03:00",
        tags=["جامعة الفرات", "الطلاب", "النقل"],
        author="سارة العلي",
        image="2025/12/euphrates-university.jpg",
        caption="طلاب ينتظرون حافلة عند دوار المدينة",
        body="""
يعاني مئات الطلاب القادمين من أرياف دير الزور إلى كليات جامعة الفرات في المدينة من صعوبة التنقل اليومي، بسبب قلة الحافلات وارتفاع أجور النقل الخاص، ما يدفع بعضهم إلى التغيب عن المحاضرات.

وقالت طالبة في كلية الآداب تسكن في بلدة موحسن إن رحلتها اليومية تستغرق أكثر من ساعتين ذهاباً وإياباً، وإن أجرة النقل الشهرية تفوق ما تحصل عليه عائلتها من دعم.

## مطالب بحافلات جامعية

ويطالب الطلاب إدارة الجامعة بتخصيص حافلات تنطلق من مراكز المناطق في الصباح وتعود بعد انتهاء المحاضرات، أو تأمين سكن جامعي بأسعار رمزية لطلاب الأرياف البعيدة.

وأشار عدد من الطلاب إلى أن بعض زملائهم تركوا الدراسة خلال الفصل الماضي لعدم قدرتهم على تحمل التكاليف، محذرين من أن استمرار الوضع سيحرم كثيرين من إكمال تعليمهم.
""",
    ),
    dict(
        id=88121,
        cat="news",
        slug="عودة-العمل-إلى-معبر-نهري-قرب-الميادين",
        title="عودة العمل إلى معبر نهري قرب الميادين بعد توقف أسبوع",
        published="2025-11-28T11:00:00+03:00",
        modified="2025-11-28T12:20:00+03:00",
        tags=["الميادين", "المعابر", "الفرات"],
        author=None,
        image="2025/11/mayadin-crossing.jpg",
        caption="عبّارة نهرية قرب مدينة الميادين",
        body="""
عادت العبّارات النهرية إلى العمل على معبر قرب مدينة الميادين في ريف دير الزور الشرقي، بعد توقف دام أسبوعاً بسبب ارتفاع منسوب مياه الفرات وقوة التيار.

ويعتمد آلاف الأهالي على هذا المعبر في التنقل بين ضفتي النهر لزيارة أقاربهم ونقل المحاصيل والبضائع، في ظل غياب الجسور التي دُمّرت خلال المعارك.

وقال أحد أصحاب العبّارات إن الحركة عادت تدريجياً، لكنه أكد أن أصحاب القوارب يحتاجون إلى سترات نجاة ومحركات جديدة لضمان سلامة الركاب في فصل الشتاء.
""",
    ),
]

NOTICE = dict(
    id=88333,
    cat="news",
    slug="تنويه-توقف-النشر-مؤقتاً",
    title="تنويه: توقف النشر مؤقتاً",
    published="2025-12-10T22:00:00+03:00",
    modified="2025-12-10T22:00:00+03:00",
    tags=[],
    author=None,
    image="2025/12/notice.jpg",
    caption="",
    body="""
نعتذر من متابعينا عن توقف النشر لساعات بسبب أعمال صيانة في الموقع، وسنعود قريباً.
""",
)

CRUFT = [
    "اقرأ أيضاً",
    "تابعونا على",
    "تصوير:",
    "شارك على فيسبوك",
    "شارك على واتساب",
    "شارك على تلغرام",
    "الوسوم",
    "مقالات ذات صلة",
    "الأكثر قراءة",
    "اشترك في النشرة البريدية",
    "جميع الحقوق محفوظة",
    "بواسطة",
    "المحرر",
    "نستخدم ملفات تعريف الارتباط",
    "\u00a0",
]


# ----------------------------------------------------------------------------
# helpers
# ----------------------------------------------------------------------------


def canon_path(segment: str) -> str:
    return quote(segment, safe="-")


def url_of(post: dict) -> str:
    return f"{BASE}/{wp_quote(post['slug'])}/"


def canon_of(post: dict) -> str:
    return f"{BASE}/{canon_path(post['slug'])}/"


def cat_url(cat: str) -> str:
    return f"{BASE}/category/{wp_quote(CATEGORIES[cat][1])}/"


def cat_canon(cat: str) -> str:
    return f"{BASE}/category/{canon_path(CATEGORIES[cat][1])}/"


def description(post: dict) -> str:
    first = next(plain(b[1]) for b in parse_body(post["body"]) if b[0] == "p")
    return first[:140].rsplit(" ", 1)[0] + "…" if len(first) > 145 else first


def tag_url(tag: str) -> str:
    return f"{BASE}/tag/{wp_quote(tag.replace(' ', '-'))}/"


# ----------------------------------------------------------------------------
# page chrome (meks Voice theme, rtl)
# ----------------------------------------------------------------------------


def head(title: str, canonical: str, extra: str = "") -> str:
    return f"""<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="profile" href="http://gmpg.org/xfn/11">
<title>{esc(title)}</title>
<meta name="robots" content="index, follow, max-image-preview:large, max-snippet:-1, max-video-preview:-1" />
<link rel="canonical" href="{canonical}" />
{extra}<link rel="alternate" type="application/rss+xml" title="{SITE_NAME} &laquo; الخلاصة" href="{BASE}/feed/" />
<link rel='stylesheet' id='vce-style-css' href='{BASE}/wp-content/themes/voice/assets/css/min.css?ver=3.0.3' type='text/css' media='all' />
<link rel='stylesheet' id='vce-rtl-css' href='{BASE}/wp-content/themes/voice/assets/css/rtl.css?ver=3.0.3' type='text/css' media='all' />
</head>
"""


NAV = f"""<header id="header" class="main-header">
<div class="top-header"><div class="container"><div class="vce-wrap-left"><span class="vce-date">الأحد ١٤ كانون الأول ٢٠٢٥</span></div>
<div class="vce-wrap-right"><ul id="vce_social_menu" class="soc-nav-menu"><li><a href="https://www.facebook.com/deirezzor24net"><span class="vce-social-name">فيسبوك</span></a></li><li><a href="https://t.me/deirezzor24net"><span class="vce-social-name">تلغرام</span></a></li></ul></div></div></div>
<div class="container header-1-wrapper header-main-area"><div class="vce-res-nav"><a class="vce-responsive-nav" href="#sidr-main"><i class="fa fa-bars"></i></a></div>
<div class="site-branding"><span class="site-title"><a href="{BASE}/" rel="home" class="has-logo"><img src="{BASE}/wp-content/uploads/2019/03/logo.png" alt="{SITE_NAME}" /></a></span></div></div>
<div class="header-bottom-wrapper"><div class="container"><nav id="site-navigation" class="main-navigation" role="navigation"><ul id="vce_main_navigation_menu" class="nav-menu">
<li class="menu-item"><a href="{BASE}/">الرئيسية</a></li><li class="menu-item"><a href="{cat_url('news')}">أخبار</a></li><li class="menu-item"><a href="{cat_url('reports')}">تقارير</a></li><li class="menu-item"><a href="{BASE}/en/">English</a></li>
<li class="search-header-wrap"><a class="search_header" href="javascript:void(0)"><i class="fa fa-search"></i></a><ul class="search-header-form-ul"><li><form class="vce-search-form" action="{BASE}/" method="get"><input name="s" class="vce-search-input" size="20" type="text" value="" placeholder="اكتب للبحث..." /><button type="submit" class="vce-search-submit"><i class="fa fa-search"></i></button></form></li></ul></li>
</ul></nav></div></div>
</header>
"""


def sidebar(posts: list[dict]) -> str:
    items = "".join(f'<li><a href="{url_of(p)}" class="featured_image_sidebar" title="{attr(p["title"])}"></a>'
                    f'<div class="vce-posts-wrap"><a href="{url_of(p)}" title="{attr(p["title"])}" class="vce-post-link">{esc(p["title"])}</a>'
                    f'<div class="vce-post-meta"><div class="meta-item date"><span class="updated">{levant_date(p["published"], eastern_digits=True)}</span></div></div></div></li>'
                    for p in posts[:4])
    return f"""<aside id="sidebar" class="sidebar right">
<div id="vce_posts_widget-2" class="widget vce_posts_widget"><h4 class="widget-title">الأكثر قراءة</h4><ul class="vce-post-list">{items}</ul></div>
<div id="mc4wp_form_widget-2" class="widget widget_mc4wp_form_widget"><h4 class="widget-title">النشرة البريدية</h4>
<form id="mc4wp-form-1" class="mc4wp-form" method="post"><div class="mc4wp-form-fields"><p>اشترك في النشرة البريدية ليصلك كل جديد دير الزور</p>
<p><input type="email" name="EMAIL" placeholder="بريدك الإلكتروني" required /></p><p><input type="submit" value="اشترك" /></p></div></form></div>
</aside>
"""


FOOTER = f"""<footer id="footer" class="site-footer">
<div class="container"><div class="container-fix"><div class="bit-3"><div class="widget widget_text"><h4 class="widget-title">عن الشبكة</h4><div class="textwidget"><p>شبكة إخبارية مستقلة تغطي أخبار محافظة دير الزور.</p></div></div></div></div></div>
<div class="container-full site-info"><div class="container"><div class="vce-wrap-left"><p>جميع الحقوق محفوظة لشبكة دير الزور 24 © ٢٠٢٥</p></div>
<div class="vce-wrap-right"><ul id="vce_footer_menu" class="bottom-nav-menu"><li><a href="{BASE}/{wp_quote('من-نحن')}/">من نحن</a></li><li><a href="{BASE}/{wp_quote('سياسة-الخصوصية')}/">سياسة الخصوصية</a></li></ul></div></div></div>
</footer>
<div id="cookie-notice" role="dialog" class="cookie-notice-hidden cookie-revoke-hidden cn-position-bottom" aria-label="Cookie Notice"><div class="cookie-notice-container"><span id="cn-notice-text" class="cn-text-container">نستخدم ملفات تعريف الارتباط لضمان حصولك على أفضل تجربة على موقعنا.</span><span id="cn-notice-buttons" class="cn-buttons-container"><a href="#" id="cn-accept-cookie" class="cn-set-cookie cn-button">موافق</a></span></div></div>
<a href="javascript:void(0)" id="back-top"><i class="fa fa-angle-up"></i></a>
<script type='text/javascript' src='{BASE}/wp-content/themes/voice/assets/js/min.js?ver=3.0.3' id='vce-main-js'></script>
</body>
</html>
"""


def share_bar(post: dict) -> str:
    u, t = quote(url_of(post), safe=""), quote(post["title"], safe="")
    return f"""<div class="vce-share-bar"><span class="vce-share-title">شارك</span><ul class="vce-share-items">
<li><a class="fa fa-facebook" href="javascript:void(0);" data-url="http://www.facebook.com/sharer/sharer.php?u={u}&amp;t={t}"><span>شارك على فيسبوك</span></a></li>
<li><a class="fa fa-whatsapp" href="javascript:void(0);" data-url="https://api.whatsapp.com/send?text={t}%20{u}"><span>شارك على واتساب</span></a></li>
<li><a class="fa fa-telegram" href="javascript:void(0);" data-url="https://t.me/share/url?url={u}"><span>شارك على تلغرام</span></a></li>
</ul></div>
"""


def json_ld(post: dict) -> str:
    url = url_of(post)
    author = post["author"] or "المحرر"
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "Article", "@id": url + "#article", "isPartOf": {"@id": url},
             "author": {"name": author, "@id": f"{BASE}/#/schema/person/{sum(map(ord, author)) % 997}"},
             "headline": post["title"], "datePublished": post["published"],
             "dateModified": post["modified"], "mainEntityOfPage": {"@id": url},
             "publisher": {"@id": BASE + "/#organization"},
             "thumbnailUrl": f"{BASE}/wp-content/uploads/{post['image']}",
             "keywords": post["tags"], "articleSection": [CATEGORIES[post["cat"]][0]],
             "inLanguage": "ar"},
            {"@type": "WebPage", "@id": url, "url": url, "name": f"{post['title']} - {SITE_NAME}",
             "datePublished": post["published"], "dateModified": post["modified"],
             "inLanguage": "ar"},
            {"@type": "Organization", "@id": BASE + "/#organization", "name": SITE_NAME,
             "url": BASE + "/"},
            {"@type": "Person", "name": author},
        ],
    }
    return ('<script type="application/ld+json" class="yoast-schema-graph">'
            + json.dumps(graph, ensure_ascii=False) + "</script>\n")


def render_blocks(blocks) -> str:
    out = []
    for kind, payload in blocks:
        if kind == "cruft":
            if payload.startswith("اقرأ أيضاً: "):
                title = payload.removeprefix("اقرأ أيضاً: ")
                target = next(p for p in ARTICLES if p["title"] == title)
                payload = f'<strong>اقرأ أيضاً: </strong><a href="{url_of(target)}">{title}</a>'
            out.append(f"<p>{payload}</p>")
        else:
            out.append(wp_block(kind, payload))
    return "\n".join(out)


def related(post: dict, posts: list[dict]) -> str:
    others = [p for p in posts if p["id"] != post["id"]][:3]
    items = "".join(
        f'<article class="vce-post vce-lay-e"><div class="meta-image"><a href="{url_of(p)}" title="{attr(p["title"])}"><img width="145" height="100" src="{BASE}/wp-content/uploads/{p["image"]}" alt="" /></a></div>'
        f'<header class="entry-header"><h2 class="entry-title"><a href="{url_of(p)}" title="{attr(p["title"])}">{esc(p["title"])}</a></h2></header></article>'
        for p in others)
    return (f'<div class="main-box vce-related-box"><h3 class="main-box-title">مقالات ذات صلة</h3>'
            f'<div class="main-box-inside">{items}</div></div>\n')


def article_page(post: dict, posts: list[dict]) -> str:
    url = url_of(post)
    name, _ = CATEGORIES[post["cat"]]
    image = f"{BASE}/wp-content/uploads/{post['image']}"
    desc = description(post)
    extra = f"""<meta name="description" content="{attr(desc)}" />
<meta property="og:locale" content="ar_AR" />
<meta property="og:type" content="article" />
<meta property="og:title" content="{attr(post['title'])}" />
<meta property="og:description" content="{attr(desc)}" />
<meta property="og:url" content="{url}" />
<meta property="og:site_name" content="{SITE_NAME}" />
<meta property="article:publisher" content="https://www.facebook.com/deirezzor24net" />
<meta property="article:published_time" content="{post['published']}" />
<meta property="article:modified_time" content="{post['modified']}" />
<meta property="og:image" content="{image}" />
<meta name="author" content="{attr(post['author'] or 'المحرر')}" />
<meta name="twitter:card" content="summary_large_image" />
{json_ld(post)}"""
    tags = " ".join(f'<a href="{tag_url(t)}" rel="tag">{esc(t)}</a>' for t in post["tags"])
    author = post["author"] or "المحرر"
    return (
        head(f"{post['title']} - {SITE_NAME}", url, extra)
        + f'<body class="rtl post-template-default single single-post postid-{post["id"]} single-format-standard vce-sid-right voice-v_3_0_3">\n'
        + '<div id="vce-main">\n' + NAV
        + f"""<div id="main-wrapper"><div id="content" class="container site-content vce-sid-right">
<div id="primary" class="vce-main-content"><main id="main" class="main-box main-box-single">
<article id="post-{post['id']}" class="vce-single post-{post['id']} post type-post status-publish format-standard has-post-thumbnail hentry category-{post['cat']}">
<header class="entry-header">
<span class="meta-category"><a href="{cat_url(post['cat'])}" class="category-{post['cat']}">{esc(name)}</a></span>
<h1 class="entry-title">{esc(post['title'])}</h1>
<div class="entry-meta"><div class="meta-item date"><span class="updated">{levant_date(post['published'], eastern_digits=True)}</span></div><div class="meta-item author"><span class="vcard author"><span class="fn">بواسطة <a href="{BASE}/author/editor/">{esc(author)}</a></span></span></div></div>
</header>
<div class="meta-image"><img width="810" height="540" src="{image}" class="attachment-vce-lay-a size-vce-lay-a wp-post-image" alt="" />{f'<span class="vce-photo-caption">{esc(post["caption"])}</span>' if post['caption'] else ''}</div>
<div class="entry-content">
{render_blocks(parse_body(post['body']))}
</div>
<footer class="entry-footer"><div class="meta-tags"><span class="meta-tags-label">الوسوم:</span> {tags}</div></footer>
{share_bar(post)}</article>
<nav class="prev-next-nav"><div class="vce-prev-link"><a href="{url_of(posts[-1])}" rel="next"><span><i class="fa fa-chevron-right"></i></span> {esc(posts[-1]['title'])}</a></div></nav>
{related(post, posts)}</main></div>
{sidebar(posts)}</div></div>
</div>
"""
        + FOOTER
    )


def listing_item(post: dict) -> str:
    name, _ = CATEGORIES[post["cat"]]
    return f"""<article class="vce-post vce-lay-b post-{post['id']} post type-post status-publish">
<div class="meta-image"><a href="{url_of(post)}" title="{attr(post['title'])}"><img width="375" height="195" src="{BASE}/wp-content/uploads/{post['image']}" alt="" /></a></div>
<header class="entry-header"><span class="meta-category"><a href="{cat_url(post['cat'])}" class="category-{post['cat']}">{esc(name)}</a></span>
<h2 class="entry-title"><a href="{url_of(post)}" title="{attr(post['title'])}">{esc(post['title'])}</a></h2>
<div class="entry-meta"><div class="meta-item date"><span class="updated">{levant_date(post['published'], eastern_digits=True)}</span></div></div></header>
<div class="entry-content"><p>{esc(description(post))}</p></div>
</article>"""


def pagination(cat: str, page: int, pages: int) -> str:
    if pages <= 1:
        return ""
    parts = page_numbers(lambda n: page_path(cat_url(cat), n), page, pages,
                         "السابق", "التالي")
    return '<nav id="vce-pagination" class="vce-numeric">' + "".join(parts) + "</nav>\n"


def listing_pages(cat: str, posts: list[dict], side: list[dict]) -> dict:
    name, path = CATEGORIES[cat]
    pages = chunks(posts, PER_PAGE)
    files = {}
    for number, chunk in enumerate(pages, start=1):
        rel = page_path(f"category/{path}/", number)
        canonical = page_path(cat_url(cat), number)
        page_title = name if number == 1 else f"{name} - الصفحة {number} من {len(pages)}"
        extra = og_meta(page_title)
        items = "\n".join(listing_item(p) for p in chunk)
        files[rel + "index.html"] = (
            head(f"{page_title} الأرشيف - {SITE_NAME}", canonical, extra)
            + '<body class="rtl archive category vce-sid-right">\n<div id="vce-main">\n' + NAV
            + f"""<div id="main-wrapper"><div id="content" class="container site-content vce-sid-right">
<div id="primary" class="vce-main-content"><div class="main-box">
<div class="main-box-head"><h1 class="main-box-title">{esc(name)}</h1></div>
<div class="main-box-inside"><div class="vce-loop-wrap">
{items}
</div>
{pagination(cat, number, len(pages))}</div></div></div>
{sidebar(side)}</div></div>
</div>
"""
            + FOOTER
        )
    return files


def simple_page(canonical: str, title: str, inner: str, og_type: str, side: list[dict]) -> str:
    extra = og_meta(title, og_type)
    return (
        head(f"{title} - {SITE_NAME}", canonical, extra)
        + '<body class="rtl page-template-default page vce-sid-right">\n<div id="vce-main">\n' + NAV
        + f"""<div id="main-wrapper"><div id="content" class="container site-content vce-sid-right">
<div id="primary" class="vce-main-content"><main id="main" class="main-box main-box-single">
<article class="vce-page page type-page status-publish hentry"><header class="entry-header"><h1 class="entry-title">{esc(title)}</h1></header>
<div class="entry-content page-content">
{inner}
</div></article></main></div>
{sidebar(side)}</div></div>
</div>
"""
        + FOOTER
    )


ABOUT = [
    "شبكة دير الزور 24 شبكة إخبارية مستقلة تأسست على يد مجموعة من الصحفيين والناشطين من أبناء "
    "محافظة دير الزور، وتهتم بنقل أخبار المحافظة ومدنها وأريافها بمهنية ومصداقية.",
    "تعتمد الشبكة على مراسلين في المدينة والريفين الشرقي والغربي، وتنشر الأخبار والتقارير "
    "والتحقيقات باللغتين العربية والإنجليزية، وترحب بملاحظات القراء وتصحيحاتهم.",
]

PRIVACY = [
    "تحترم شبكة دير الزور 24 خصوصية زوارها، ولا تجمع أي بيانات شخصية إلا ما يقدمه القارئ طوعاً "
    "عند الاشتراك في النشرة البريدية أو عند مراسلتنا عبر البريد الإلكتروني.",
    "يستخدم الموقع ملفات تعريف الارتباط لأغراض إحصائية فقط، ولا تُباع أي معلومات لأطراف ثالثة "
    "تحت أي ظرف، ويمكن للقارئ طلب حذف بياناته في أي وقت.",
]


def feed_xml(posts: list[dict], last_build: str) -> str:
    items = [wp_feed_item(title=p["title"], link=url_of(p), creator=p["author"] or "المحرر",
                          published=p["published"],
                          categories=[CATEGORIES[p["cat"]][0], *p["tags"]],
                          guid=f"{BASE}/?p={p['id']}", description=description(p))
             for p in posts]
    return wp_feed(title=SITE_NAME, feed_url=f"{BASE}/feed/", link=BASE,
                   description="شبكة إخبارية مستقلة", last_build=last_build,
                   language="ar", generator="6.7.2", items=items)


XSL = stylesheet(f"//{HOST}/main-sitemap.xsl") + "\n"
URLSET_NS = ('xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
             'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"')  # no image sitemap


ROBOTS = robots(WP_ADMIN, [f"{BASE}/sitemap_index.xml"])


def build(out: Path = OUT) -> dict:
    articles = sorted(ARTICLES, key=lambda p: utc_iso(p["published"]), reverse=True)
    posts = sorted([*articles, NOTICE], key=lambda p: utc_iso(p["published"]), reverse=True)
    shutil.rmtree(out / "www", ignore_errors=True)
    www = out / "www"
    last_build = max((p["modified"] for p in posts), key=utc_iso)

    write(www, "robots.txt", ROBOTS)
    write(www, "feed.xml", feed_xml(posts, last_build))
    write(www, "sitemap_index.xml", sitemap_index([
        (f"{BASE}/post-sitemap.xml", utc_iso(last_build)),
        (f"{BASE}/page-sitemap.xml", "2023-06-01T09:00:00+03:00"),
    ], XSL))
    write(www, "post-sitemap.xml", urlset([(url_of(p), p["modified"]) for p in reversed(posts)],
                                          XSL, namespaces=URLSET_NS))
    about_url = f"{BASE}/{wp_quote('من-نحن')}/"
    write(www, "page-sitemap.xml", urlset([(f"{BASE}/", last_build),
                                          (about_url, "2023-06-01T09:00:00+03:00")],
                                          XSL, namespaces=URLSET_NS))

    bodies = {}
    for p in posts:
        bodies[p["id"]] = clean_body(parse_body(p["body"]))
        write(www, f"{p['slug']}/index.html", article_page(p, posts))
    write(www, "من-نحن/index.html", simple_page(
        about_url, "من نحن", "\n".join(f"<p>{esc(p)}</p>" for p in ABOUT), "article", articles))
    privacy_url = f"{BASE}/{wp_quote('سياسة-الخصوصية')}/"
    write(www, "سياسة-الخصوصية/index.html", simple_page(
        privacy_url, "سياسة الخصوصية", "\n".join(f"<p>{esc(p)}</p>" for p in PRIVACY), "article",
        articles))
    home = '<div class="vce-loop-wrap">' + "\n".join(listing_item(p) for p in posts[:6]) + "</div>"
    write(www, "index.html", simple_page(f"{BASE}/", SITE_NAME, home, "website", articles))

    listings: dict[str, dict] = {}
    not_articles = [f"{BASE}/", f"{BASE}/{canon_path('من-نحن')}/",
                    f"{BASE}/{canon_path('سياسة-الخصوصية')}/", canon_of(NOTICE)]
    for cat in CATEGORIES:
        items = [p for p in posts if p["cat"] == cat]
        files = listing_pages(cat, items, articles)
        for rel, text in files.items():
            write(www, rel, text)
        listings[cat_canon(cat)] = {"pages": len(files), "posts": [canon_of(p) for p in items]}
        not_articles += page_urls(cat_canon(cat), len(files))

    write(out, "site.toml",
          site_toml_head("Deir ez-Zor 24 (Arabic WordPress, Voice theme)", "build_deirezzor24.py",
                         HOST, last_build)
          + "\n" + wp_feed_routes("/feed/", "feed.xml", f"{BASE}/feed/"))

    expected_articles = []
    for a in articles:
        body = bodies[a["id"]]
        assert_clean(a["id"], body, CRUFT)
        expected_articles.append(expected_article(
            url=canon_of(a), title=a["title"], summary=description(a),
            authors=[a["author"]] if a["author"] else [], published=a["published"],
            modified=a["modified"], language="ar", section=CATEGORIES[a["cat"]][0],
            tags=a["tags"], image=f"{BASE}/wp-content/uploads/{a['image']}", body=body))
    expected = expected_json(
        source="deirezzor24",
        host=HOST,
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
