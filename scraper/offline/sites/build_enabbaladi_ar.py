"""Regenerate the offline copy of Enab Baladi (Arabic) in scraper/offline/sites/enabbaladi-ar/.

    python scraper/offline/sites/build_enabbaladi_ar.py

What the copy is based on: www.enabbaladi.net is Enab Baladi's Arabic
WordPress site. Its posts are addressed by post id, /<id>/<arabic-slug>/
(older posts used /archives/<id>; links seen in the wild are /<id>/... and
the bare /<id>/ form, which WordPress redirects to the full permalink), the
slug is percent-encoded UTF-8 in lower-case hex as WordPress prints it,
categories and tags are /category/<slug>/ and /tag/<arabic-slug>/ with
WordPress pagination (.../page/<n>/), the feed is /feed/ and the sitemaps
are Yoast's (/sitemap_index.xml -> post-sitemap.xml, page-sitemap.xml).
Pages are <html lang="ar" dir="rtl">; the visible date uses Levantine month
names ("14 نيسان 2025") while the meta tags carry ISO times. The theme's
listing items are div.one-post with the date in a <samp>, the story is in
div.content-article and starts with a "عنب بلدي – <place or reporter>" line;
inside the story sit "اقرأ أيضًا:" lines and photo credits "(عنب بلدي/...)",
and around it the share bar ("شارك"), tags, newsletter box, "تابعونا على"
prompts and the copyright line "جميع الحقوق محفوظة". Class names are modelled
on that theme, not copied from it.

The stories are written for this copy (plausible news prose, no real
quotes). Pages, feed, sitemaps, listings, site.toml and expected.json are all
written from the same data below.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from sitegen import (
    WP_ADMIN,
    YOAST,
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
    parse_body,
    robots,
    site_toml_head,
    sitemap_index,
    stylesheet,
    toml_route,
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
SOURCE_ID = "enabbaladi-ar"
OUT = HERE / SOURCE_ID
HOST = "enabbaladi.net"
BASE = "https://www.enabbaladi.net"  # the site's own links carry www.
CANONICAL_BASE = "https://enabbaladi.net"  # the archive's canonical form drops it
SITE_NAME = "عنب بلدي"
PER_PAGE = 2
FEED_SIZE = 10

SECTIONS = {"news": "أخبار سوريا", "economy": "اقتصاد", "reports": "تحقيقات"}
# --------------------------------------------------------------------------
# The stories. Body mini-format: blocks separated by a blank line;
# "## " subheading, "* " list items, "> " blockquote,
# "@@READ id@@" an "اقرأ أيضًا:" line (cruft), "@@CREDIT text@@" a photo credit
# "(عنب بلدي/...)" (cruft), "@@FIGURE file|caption@@" an inline image (cruft),
# "@@FOLLOW@@" the "تابعونا على ..." line (cruft); anything else a paragraph.
# "dateline" is the "عنب بلدي – ..." line that opens the story (cruft).
# --------------------------------------------------------------------------

ARTICLES = [
    dict(
        id=771204,
        section="news",
        slug="مزارعو-إدلب-يحصون-خسائرهم-بعد-صقيع-نيسان",
        title="مُزارِعو إدلب يُحصون خسائرهم بعد صَقيع نيسان",
        summary="ألحقت موجة صقيع مطلع نيسان أضرارًا بأزهار الزيتون والتين في ريف إدلب الشمالي، ويخشى المزارعون موسمًا ضعيفًا للعام الثاني على التوالي.",
        published="2025-04-14T17:05:00+03:00",
        modified="2025-04-14T17:32:10+03:00",
        authors=["هادي درويش"],
        dateline="عنب بلدي – هادي درويش",
        tags=["إدلب", "الزراعة", "الزيتون"],
        image=("2025/04/idlib-frost-olive.jpg", "بستان زيتون قرب معرة مصرين بعد موجة الصقيع (عنب بلدي/ هادي درويش)"),
        body="""
يُحصي مزارعو ريف إدلب الشمالي الأضرار التي لحقت ببساتين الزيتون والتين بعد ليلتين من الصقيع مطلع نيسان الحالي، انخفضت خلالهما درجات الحرارة إلى ما دون الصفر في وقت بدأت فيه الأشجار بالإزهار.

وقال مزارعون في قرى محيطة بمعرة مصرين وكفرتخاريم لعنب بلدي، إن الصقيع أحرق البراعم والأزهار في البساتين المنخفضة التي يتجمع فيها الهواء البارد ليلًا، بينما كانت الأضرار أخف في البساتين المرتفعة.

@@CREDIT عنب بلدي/ هادي درويش@@

ويملك أحد المزارعين نحو أربعمئة شجرة زيتون، ويتوقع أن يخسر أكثر من نصف إنتاجه هذا العام، بعد موسم ضعيف أصلًا بسبب قلة الأمطار في الشتاء الماضي، إذ أنفقت عائلات كثيرة مدخراتها على الأسمدة والحراثة.

@@READ 768950@@

## لا تعويضات

يقول مهندسون زراعيون في المنطقة إن أضرار الصقيع لا يشملها أي برنامج تأمين أو تعويض، وإن صغار المزارعين هم الأكثر تضررًا لأنهم لا يستطيعون تحمّل كلفة وسائل الحماية مثل المراوح أو الرشاشات.

وأعلنت مديرية الزراعة المحلية بدء مسح للمناطق المتضررة، دون أن توضح ما إذا كان سيتبعه أي دعم للمزارعين.

@@FOLLOW@@
""",
    ),
    dict(
        id=768950,
        section="economy",
        slug="ارتفاع-سعر-الخبز-السياحي-في-حماة",
        title="ارتفاع سعر الخبز السياحي في حماة مع زيادة تكاليف الطحين",
        summary="رفعت أفران خاصة في حماة سعر ربطة الخبز السياحي للمرة الثانية خلال شهرين، وسط شكاوى من تراجع الوزن والجودة.",
        published="2025-03-30T10:15:00+03:00",
        modified="2025-03-30T12:40:00+03:00",
        authors=[],
        dateline="عنب بلدي – حماة",
        tags=["حماة", "الخبز", "الأسعار"],
        image=("2025/03/hama-bakery.jpg", "فرن خاص في مدينة حماة (عنب بلدي)"),
        body="""
رفعت أفران خاصة في مدينة حماة سعر ربطة الخبز السياحي للمرة الثانية خلال شهرين، مبررة القرار بارتفاع أسعار الطحين المستورد والمازوت وأجور النقل.

وقال أصحاب أفران لعنب بلدي إن كلفة إنتاج الربطة الواحدة ارتفعت بنحو الربع منذ بداية العام، وإنهم لا يستطيعون الاستمرار بالأسعار القديمة دون أن يخسروا.

@@FIGURE 2025/03/hama-bread-queue.jpg|طابور أمام فرن في حي الحاضر بحماة (عنب بلدي)@@

في المقابل، يشكو سكان من أن وزن الربطة تراجع وأن جودة الخبز لم تعد كما كانت، ويطالبون الجهات الرقابية بمتابعة الأفران الخاصة كما تتابع الأفران العامة.

## ما الذي يحدد السعر؟

يتوزع سعر ربطة الخبز السياحي، بحسب أصحاب الأفران، على عدة بنود:

* ثمن الطحين المستورد، ويُدفع غالبًا بالدولار.
* المازوت اللازم لتشغيل الأفران والمولدات.
* أجور العمال والنقل والتغليف.

ويرى اقتصاديون أن استقرار سعر الصرف قد يخفف الضغط على الأسعار خلال الأشهر المقبلة، لكن ذلك يبقى مرهونًا بتوفر المحروقات.
""",
    ),
    dict(
        id=766312,
        section="reports",
        slug="العائدون-إلى-داريا-يرممون-منازلهم",
        title="العائدون إلى داريا يرممون منازلهم بلا كهرباء ولا ماء",
        summary="تعود عائلات إلى مدينة داريا في ريف دمشق لترميم منازلها المدمرة، في ظل غياب شبه تام للخدمات الأساسية.",
        published="2025-03-11T09:00:00+03:00",
        modified="2025-03-12T11:20:00+03:00",
        authors=["لمى رجب", "يامن مغربي"],
        dateline="عنب بلدي – لمى رجب | يامن مغربي",
        tags=["داريا", "ريف دمشق", "السكن", "العودة"],
        image=("2025/03/daraya-rebuilding.jpg", "عمال يرممون مبنى متضررًا في داريا (عنب بلدي/ لمى رجب)"),
        body="""
عادت أصوات المطارق وخلاطات الإسمنت إلى شوارع داريا في ريف دمشق الغربي، مع عودة عائلات غادرت المدينة قبل سنوات لتفقد ما تبقى من منازلها والبدء بترميمها بما تيسّر من مال.

لكن العائدين يواجهون غيابًا شبه تام للخدمات، فشبكة الكهرباء لم تُصلح بعد في معظم الأحياء، والمياه تصل عبر صهاريج خاصة بأسعار مرتفعة.

## ترميم على نفقة الأهالي

يقول أحد العائدين إنه أنفق كل ما ادخره خلال سنوات النزوح على إعادة بناء جدارين وسقف غرفة واحدة، ليتمكن من الانتقال مع عائلته قبل بداية الصيف.

> كل عائلة هنا تبني غرفة واحدة أولًا، ثم تنتظر.

@@READ 764877@@

ويشتكي العائدون من صعوبة الحصول على رخص الترميم، ومن غياب أي جهة تقدم قروضًا ميسرة أو مواد بناء مدعومة.

وتقول البلدية إنها بدأت بترحيل الأنقاض من الشوارع الرئيسية، وإنها تعمل مع منظمات محلية على إعادة تأهيل بئرين للمياه.
""",
    ),
    dict(
        id=764877,
        section="news",
        slug="انطلاق-امتحانات-الشهادة-الثانوية-في-درعا",
        title="انطلاق امتحانات الشهادة الثانوية في درعا وسط إجراءات مشددة",
        summary="بدأ طلاب الشهادة الثانوية في محافظة درعا امتحاناتهم، مع تشديد إجراءات المراقبة ومنع إدخال الهواتف إلى القاعات.",
        published="2025-02-09T12:30:00+03:00",
        modified="2025-02-09T12:30:00+03:00",
        authors=[],
        dateline="عنب بلدي – درعا",
        tags=["درعا", "التعليم"],
        image=("2025/02/daraa-exams.jpg", "طلاب أمام مركز امتحاني في مدينة درعا (عنب بلدي)"),
        body="""
انطلقت امتحانات الشهادة الثانوية بفرعيها العلمي والأدبي في محافظة درعا، وسط إجراءات مشددة لمنع الغش، بينها تفتيش الطلاب عند مداخل المراكز ومنع إدخال الهواتف المحمولة.

وقال مدير أحد المراكز الامتحانية لعنب بلدي إن عدد المراقبين زاد هذا العام، وإن كاميرات وُضعت في بعض القاعات للمرة الأولى.

@@CREDIT عنب بلدي@@

وشكا أهالي طلاب من بُعد بعض المراكز عن القرى، ومن كلفة المواصلات اليومية في ظل ارتفاع أسعار المحروقات، بينما نظّم متطوعون رحلات مجانية لنقل الطلاب من عدة بلدات.

وتستمر الامتحانات حتى نهاية الشهر الحالي، على أن تصدر النتائج خلال شهر من انتهائها، بحسب ما أعلنته مديرية التربية.

@@FOLLOW@@
""",
    ),
    dict(
        id=762013,
        section="economy",
        slug="ورش-النسيج-في-حلب-تستأنف-التصدير-إلى-العراق",
        title="ورش النسيج في حلب تستأنف التصدير إلى العراق",
        summary="عادت ورش نسيج صغيرة في حلب إلى شحن الألبسة الجاهزة إلى العراق، مستفيدة من انخفاض كلفة النقل البري.",
        published="2025-01-22T15:40:00+03:00",
        modified="2025-01-23T09:05:00+03:00",
        authors=["هادي درويش"],
        dateline="عنب بلدي – هادي درويش",
        tags=["حلب", "الصناعة", "التجارة", "العراق"],
        image=("2025/01/aleppo-textile.jpg", "ورشة نسيج في المدينة الصناعية بالشيخ نجار (عنب بلدي)"),
        body="""
استأنفت ورش نسيج في مدينة حلب تصدير الألبسة الجاهزة إلى العراق، بعد إعادة فتح طرق التجارة وانخفاض أجور النقل البري، بحسب ما قاله صناعيون في المدينة لعنب بلدي.

وذكر أصحاب ورش صغيرة في المدينة الصناعية بالشيخ نجار وفي الأحياء القديمة أن تجارًا عراقيين عادوا لتقديم طلبيات ألبسة الأطفال والملابس الشتوية، التي كانت من أبرز صادرات حلب.

@@READ 768950@@

## الكهرباء والمواد الأولية

يقول الصناعيون إن العائق الأكبر هو كلفة الكهرباء، إذ تعمل معظم الورش على المولدات لساعات طويلة يوميًا، ما يرفع كلفة الإنتاج ويضعف قدرتها على منافسة البضائع التركية والصينية.

كما تشكل أسعار الخيوط والأقمشة المستوردة مصدر قلق آخر، لأن معظم المواد الأولية تُدفع بالدولار، واضطر بعض أصحاب الورش إلى تقليص عدد العمال للحفاظ على أسعار منافسة.
""",
    ),
    dict(
        id=759640,
        section="news",
        slug="صهاريج-المياه-بدل-الشبكة-في-الحسكة",
        title="صهاريج المياه بدل الشبكة.. سكان الحسكة ينتظرون «علوك»",
        summary="يعتمد معظم سكان مدينة الحسكة على صهاريج المياه منذ توقف محطة علوك، وترتفع كلفة الخزان مع اشتداد الحر.",
        published="2024-12-28T11:00:00+03:00",
        modified="2024-12-28T13:15:00+03:00",
        authors=["لمى رجب"],
        dateline="عنب بلدي – الحسكة",
        tags=["الحسكة", "المياه"],
        image=("2024/12/hasakah-water.jpg", "أطفال يملؤون عبوات من صهريج مياه في الحسكة (عنب بلدي)"),
        body="""
أصبحت طوابير العبوات البلاستيكية مشهدًا دائمًا في شوارع مدينة الحسكة، حيث تعيش معظم الأحياء دون مياه الشبكة منذ أسابيع، بعد توقف محطة علوك التي كانت تغذي المدينة والمخيمات المحيطة بها.

وزادت الإدارة المحلية عدد الصهاريج التي توزع المياه مجانًا، لكن السكان يقولون إن الكميات لا تكفي إلا جزءًا من حاجتهم، فيلجؤون إلى الصهاريج الخاصة بأسعار لا تقدر عليها كثير من العائلات.

@@FIGURE 2024/12/hasakah-tanker.jpg|صهريج خاص يبيع المياه في حي غويران (عنب بلدي)@@

## آبار غير صالحة للشرب

حفر بعض السكان آبارًا في منازلهم، إلا أن مياهها مالحة في معظم الأحياء ولا تصلح للشرب، ويحذر أطباء من انتشار أمراض معوية بين الأطفال مع ارتفاع درجات الحرارة.

ويطالب الأهالي بحل دائم يضمن تشغيل المحطة بعيدًا عن الخلافات السياسية، إذ تكررت انقطاعاتها خلال السنوات الماضية.
""",
    ),
]

NOT_ARTICLE_PAGES = {
    "about": ("/about-us/", "من نحن", [
        "عنب بلدي مؤسسة إعلامية سورية مستقلة تأسست في مدينة داريا عام 2011، وتصدر صحيفة أسبوعية وموقعًا إخباريًا باللغتين العربية والإنجليزية.",
        "تعمل المؤسسة وفق ميثاق شرف صحفي، وتنشر تقاريرها من مختلف المناطق السورية.",
    ]),
}

FEED_UTM = 766312  # linked from the feed with utm_* parameters
SHORTLINK_ID = 762013  # linked as /<id>/ from "الأكثر قراءة"; WordPress answers 301
MARKERS = ("READ", "CREDIT", "FIGURE", "FOLLOW")  # the @@...@@ blocks of the bodies (cruft)
CRUFT_KINDS = ("read", "credit", "figure", "follow")
FOLLOW_LINE = ('<p><strong>تابعونا على <a href="https://t.me/EnabBaladi">تلغرام</a> و'
               '<a href="https://whatsapp.com/channel/enabbaladi">واتساب</a></strong></p>')
CRUFT = [
    "اقرأ أيضًا",
    "عنب بلدي –",
    "(عنب بلدي",
    "عنب بلدي/",
    "تابعونا على",
    "شارك",
    "نسخ الرابط",
    "الكلمات المفتاحية",
    "اشترك في النشرة البريدية",
    "أدخل بريدك الإلكتروني",
    "الأكثر قراءة",
    "جميع الحقوق محفوظة",
    "اترك تعليقًا",
    "تخطى إلى المحتوى",
    "\u00a0",
]

# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------


def url_of(post: dict) -> str:
    return f"{BASE}/{post['id']}/{wp_quote(post['slug'])}/"


def canonical_of(post: dict) -> str:
    """The URL as the archive keeps it: no www., upper-case percent-encoding."""
    return f"{CANONICAL_BASE}/{post['id']}/{quote(post['slug'], safe='-')}/"


def canonical(url: str) -> str:
    """Any URL of the site in the archive's canonical form (no www., upper-case escapes)."""
    return CANONICAL_BASE + quote(unquote(urlsplit(url).path), safe="/-")


def utm_url_of(post: dict) -> str:
    return url_of(post) + "?utm_source=rss&utm_medium=rss&utm_campaign=" + str(post["id"])


def tag_path(tag: str) -> str:
    return f"/tag/{wp_quote(tag.replace(' ', '-'))}/"


def render_blocks(blocks, by_id: dict) -> str:
    out = []
    for kind, payload in blocks:
        if kind == "read":
            other = by_id[int(payload)]
            out.append(f'<p>اقرأ أيضًا: <a href="{url_of(other)}">{esc(other["title"])}</a></p>')
        elif kind == "credit":
            out.append(f"<p>({esc(payload)})</p>")
        elif kind == "follow":
            out.append(FOLLOW_LINE)
        elif kind == "figure":
            file, caption = payload.split("|", 1)
            out.append(
                f'<figure class="wp-caption aligncenter" style="width: 800px">'
                f'<img loading="lazy" src="{BASE}/wp-content/uploads/{file}" width="800" height="533" alt="" />'
                f'<figcaption class="wp-caption-text">{esc(caption)}</figcaption></figure>'
            )
        else:
            out.append(wp_block(kind, payload))
    return "\n".join(out)


# --------------------------------------------------------------------------
# Page chrome
# --------------------------------------------------------------------------

MENU = [(name, f"/category/{slug}/") for slug, name in SECTIONS.items()] + [("من نحن", "/about-us/")]


def head(title: str, canonical: str, extra: str = "", description: str = "") -> str:
    desc = f'<meta name="description" content="{attr(description)}" />\n' if description else ""
    return f"""<!DOCTYPE html>
<html lang="ar" dir="rtl" prefix="og: https://ogp.me/ns#">
<head>
<meta charset="UTF-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>{esc(title)}</title>
{desc}<meta name="robots" content="index, follow, max-snippet:-1, max-image-preview:large, max-video-preview:-1" />
<link rel="canonical" href="{attr(canonical)}" />
{extra}<link rel="alternate" type="application/rss+xml" title="عنب بلدي &laquo; الخلاصة" href="{BASE}/feed/" />
<link rel='stylesheet' id='enab-style-css' href='{BASE}/wp-content/themes/enab/style-rtl.css?ver=4.2' type='text/css' media='all' />
<script src="{BASE}/wp-includes/js/jquery/jquery.min.js?ver=3.7.1" id="jquery-core-js"></script>
<link rel="https://api.w.org/" href="{BASE}/wp-json/" />
</head>
"""


def site_header() -> str:
    items = "\n".join(f'<li class="menu-item"><a href="{BASE}{p}">{esc(n)}</a></li>' for n, p in MENU)
    return f"""<a class="skip-link screen-reader-text" href="#main">تخطى إلى المحتوى</a>
<header class="site-header">
<div class="top-bar"><span class="date-today">الاثنين 14 نيسان 2025</span>
<a class="lang-switch" href="https://english.enabbaladi.net/">English</a></div>
<div class="logo"><a href="{BASE}/"><img src="{BASE}/wp-content/themes/enab/images/logo.png" alt="عنب بلدي" /></a></div>
<nav class="main-menu"><ul class="menu">
<li class="menu-item"><a href="{BASE}/">الرئيسية</a></li>
{items}
</ul></nav>
<form class="search-form" action="{BASE}/" method="get"><input type="text" name="s" placeholder="ابحث..." /><button type="submit">بحث</button></form>
</header>
"""


def sidebar(posts: list[dict]) -> str:
    items = []
    for p in posts[:4]:
        href = f"{BASE}/{p['id']}/" if p["id"] == SHORTLINK_ID else url_of(p)
        items.append(f'<li><a href="{href}">{esc(p["title"])}</a></li>')
    if SHORTLINK_ID not in [p["id"] for p in posts[:4]]:
        p = next(p for p in posts if p["id"] == SHORTLINK_ID)
        items.append(f'<li><a href="{BASE}/{p["id"]}/">{esc(p["title"])}</a></li>')
    return f"""<aside class="sidebar">
<div class="widget most-read"><h3 class="widget-title">الأكثر قراءة</h3><ol>
{chr(10).join(items)}
</ol></div>
</aside>
"""


NEWSLETTER = """<div class="newsletter-box">
<h4>اشترك في النشرة البريدية</h4>
<p>أهم أخبار سوريا يوميًا في بريدك.</p>
<form class="mc4wp-form" method="post"><input type="email" name="EMAIL" placeholder="أدخل بريدك الإلكتروني" required /><input type="submit" value="اشترك" /></form>
</div>
"""


def site_footer() -> str:
    return f"""<footer class="site-footer">
<div class="footer-menu"><a href="{BASE}/about-us/">من نحن</a> | <a href="{BASE}/contact-us/">اتصل بنا</a> | <a href="{BASE}/feed/">RSS</a></div>
<div class="social"><span>تابعونا على</span> <a href="https://www.facebook.com/Enab.Baladi">فيسبوك</a> <a href="https://twitter.com/EnabBaladi">إكس</a> <a href="https://t.me/EnabBaladi">تلغرام</a></div>
<p class="copyright">جميع الحقوق محفوظة لعنب بلدي © 2025</p>
</footer>
<script src="{BASE}/wp-content/themes/enab/js/main.js?ver=4.2"></script>
</body>
</html>
"""


def share_bar(url: str, title: str) -> str:
    u, t = quote(url, safe=""), quote(title, safe="")
    return f"""<div class="share-post">
<span class="share-title">شارك</span>
<a class="facebook" href="https://www.facebook.com/sharer.php?u={u}" target="_blank" rel="nofollow">فيسبوك</a>
<a class="twitter" href="https://twitter.com/intent/tweet?text={t}&amp;url={u}" target="_blank" rel="nofollow">إكس</a>
<a class="whatsapp" href="https://api.whatsapp.com/send?text={u}" target="_blank" rel="nofollow">واتساب</a>
<a class="telegram" href="https://t.me/share/url?url={u}" target="_blank" rel="nofollow">تلغرام</a>
<button class="copy-link" data-url="{url}">نسخ الرابط</button>
</div>
"""


def json_ld(post: dict) -> str:
    url = url_of(post)
    author = ([{"@type": "Person", "name": n} for n in post["authors"]]
              or {"@type": "Organization", "name": SITE_NAME})
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "NewsArticle", "@id": url + "#article", "headline": post["title"],
             "description": post["summary"], "datePublished": post["published"],
             "dateModified": post["modified"], "author": author,
             "publisher": {"@id": BASE + "/#organization"},
             "image": {"@type": "ImageObject", "url": f"{BASE}/wp-content/uploads/{post['image'][0]}"},
             "articleSection": SECTIONS[post["section"]], "keywords": post["tags"],
             "inLanguage": "ar", "mainEntityOfPage": {"@id": url}},
            {"@type": "Organization", "@id": BASE + "/#organization", "name": SITE_NAME,
             "url": BASE + "/"},
        ],
    }
    return ('<script type="application/ld+json" class="yoast-schema-graph">'
            + json.dumps(graph, ensure_ascii=False) + "</script>\n")


def article_page(post: dict, posts: list[dict], by_id: dict) -> str:
    url = url_of(post)
    image_url = f"{BASE}/wp-content/uploads/{post['image'][0]}"
    tag_metas = "".join(f'<meta property="article:tag" content="{attr(t)}" />\n' for t in post["tags"])
    extra = f"""<meta property="og:locale" content="ar_AR" />
<meta property="og:type" content="article" />
<meta property="og:title" content="{attr(post['title'])}" />
<meta property="og:description" content="{attr(post['summary'])}" />
<meta property="og:url" content="{url}" />
<meta property="og:site_name" content="{SITE_NAME}" />
<meta property="article:section" content="{SECTIONS[post['section']]}" />
{tag_metas}<meta property="article:published_time" content="{post['published']}" />
<meta property="article:modified_time" content="{post['modified']}" />
<meta property="og:image" content="{image_url}" />
<meta name="twitter:card" content="summary_large_image" />
<link rel="shortlink" href="{BASE}/?p={post['id']}" />
""" + json_ld(post)
    tags = " ".join(f'<a href="{BASE}{tag_path(t)}" rel="tag">{esc(t)}</a>' for t in post["tags"])
    related = [p for p in posts if p["section"] == post["section"] and p["id"] != post["id"]][:3]
    related_html = "\n".join(
        f'<div class="one-post"><a href="{url_of(p)}"><h3>{esc(p["title"])}</h3></a></div>'
        for p in related
    )
    dateline = f"<p><strong>{esc(post['dateline'])}</strong></p>\n"
    return (
        head(f"{post['title']} | عنب بلدي", url, extra, post["summary"])
        + f'<body class="rtl post-template-default single single-post postid-{post["id"]}">\n'
        + site_header()
        + f"""<main id="main" class="container">
<div class="breadcrumbs"><a href="{BASE}/">الرئيسية</a> &lt; <a href="{BASE}/category/{post['section']}/">{SECTIONS[post['section']]}</a></div>
<article id="post-{post['id']}" class="post-{post['id']} post type-post status-publish">
<div class="post-header">
<h1 class="post-title">{esc(post['title'])}</h1>
<div class="post-meta"><span class="post-author">{esc(', '.join(post['authors']) or SITE_NAME)}</span>
<time class="post-date" datetime="{post['published']}">{levant_date(post['published'])}</time></div>
</div>
{share_bar(url, post['title'])}<figure class="featured-image">
<img src="{image_url}" width="1200" height="800" alt="" />
<figcaption>{esc(post['image'][1])}</figcaption>
</figure>
<div class="content-article">
{dateline}{render_blocks(parse_body(post['body'], MARKERS), by_id)}
</div>
<div class="post-tags"><span class="tags-label">الكلمات المفتاحية:</span> {tags}</div>
{NEWSLETTER}</article>
<section class="related-posts"><h3>مواضيع ذات صلة</h3>
{related_html}
</section>
<div id="comments" class="comments-area"><h3 id="reply-title" class="comment-reply-title">اترك تعليقًا</h3>
<form class="comment-form"><textarea name="comment"></textarea><input type="submit" value="إرسال التعليق" /></form></div>
</main>
""" + sidebar(posts) + site_footer()
    )


def listing_item(post: dict) -> str:
    return f"""<div class="one-post">
<a href="{url_of(post)}"><img src="{BASE}/wp-content/uploads/{post['image'][0]}" alt="" /></a>
<div class="item-content"><a href="{url_of(post)}"><h3>{esc(post['title'])}</h3></a>
<samp>{levant_date(post['published'])}</samp>
<p>{esc(post['summary'])}</p></div>
</div>"""


def listing_pages(base_path: str, title: str, posts: list[dict], all_posts: list[dict]) -> dict[str, str]:
    pages = chunks(posts, PER_PAGE)
    files = {}
    for number, chunk in enumerate(pages, 1):
        path = page_path(base_path, number)
        nav = page_numbers(lambda n: BASE + page_path(base_path, n), number, len(pages),
                           "السابق", "التالي")
        page_title = title if number == 1 else f"{title} - الصفحة {number} من {len(pages)}"
        extra = og_meta(page_title)
        items = "\n".join(listing_item(p) for p in chunk)
        files[path.lstrip("/") + "index.html"] = (
            head(f"{page_title} | عنب بلدي", BASE + path, extra)
            + '<body class="rtl archive category">\n' + site_header()
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
    return (head(f"{title} | عنب بلدي", BASE + path, extra) + '<body class="rtl page">\n'
            + site_header() + f"""<main id="main" class="container"><article class="page">
<h1 class="page-title">{esc(title)}</h1>
<div class="content-article">
{body}
</div></article></main>
""" + sidebar(posts) + site_footer())


def home_page(posts: list[dict]) -> str:
    extra = og_meta(SITE_NAME)
    items = "\n".join(listing_item(p) for p in posts[:6])
    return (head("عنب بلدي | صحيفة سورية مستقلة", BASE + "/", extra, "أخبار وتقارير من سوريا.")
            + '<body class="rtl home blog">\n' + site_header()
            + f'<main id="main" class="container"><section class="latest"><h2>آخر الأخبار</h2>\n{items}\n</section>\n'
            + NEWSLETTER + "</main>\n" + sidebar(posts) + site_footer())


def feed_xml(posts: list[dict]) -> str:
    items = [wp_feed_item(title=post["title"],
                          link=utm_url_of(post) if post["id"] == FEED_UTM else url_of(post),
                          creator="، ".join(post["authors"]) or SITE_NAME,
                          published=post["published"],
                          categories=[SECTIONS[post["section"]], *post["tags"]],
                          guid=f"{BASE}/?p={post['id']}", description=post["summary"])
             for post in posts[:FEED_SIZE]]
    return wp_feed(title=SITE_NAME, feed_url=f"{BASE}/feed/", link=BASE,
                   description="صحيفة سورية مستقلة",
                   last_build=max((p["modified"] for p in posts), key=utc_iso),
                   language="ar", generator="6.7.2", items=items)


XSL = stylesheet("//www.enabbaladi.net/main-sitemap.xsl") + "\n"


ROBOTS = robots([*WP_ADMIN, "Disallow: /?s=", "Disallow: /search/"],
                [f"{BASE}/sitemap_index.xml"])


def site_toml(last_build: str, short: dict) -> str:
    return (site_toml_head("Enab Baladi, Arabic (WordPress)", "build_enabbaladi_ar.py", HOST,
                           last_build)
            + "\n# WordPress serves the feed at /feed/ and /feed.\n"
            + wp_feed_routes("/feed/", "feed.xml", f"{BASE}/feed/")
            + "\n# The bare /<id>/ form of a post: WordPress redirects it to the full permalink.\n"
            + toml_route(f"/{short['id']}/", location=url_of(short), status=301))


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
        write(www, f"{post['id']}/{post['slug']}/index.html", article_page(post, posts, by_id))

    listing_urls = []
    listings = {}

    def add_listing(base_path: str, title: str, items: list[dict]) -> None:
        files = listing_pages(base_path, title, items, posts)
        for rel, text in files.items():
            write(www, unquote(rel), text)
            listing_urls.append(canonical(BASE + "/" + rel.removesuffix("index.html")))
        listings[BASE + base_path] = {"pages": len(files), "posts": [canonical_of(p) for p in items]}

    for section, name in SECTIONS.items():
        add_listing(f"/category/{section}/", name, [p for p in posts if p["section"] == section])
    for tag in sorted({t for p in posts for t in p["tags"]}):
        add_listing(tag_path(tag), tag, [p for p in posts if tag in p["tags"]])

    short = by_id[SHORTLINK_ID]
    write(out, "site.toml", site_toml(last_build, short))

    articles = []
    for post in posts:
        body = clean_body(parse_body(post["body"], MARKERS), CRUFT_KINDS)
        assert_clean(post["slug"], body, CRUFT)
        articles.append(expected_article(
            url=canonical_of(post), title=post["title"], summary=post["summary"],
            authors=post["authors"], published=post["published"], modified=post["modified"],
            language="ar", section=SECTIONS[post["section"]], tags=post["tags"],
            image=f"{BASE}/wp-content/uploads/{post['image'][0]}", body=body))
    captions = [p["image"][1] for p in posts]
    expected = expected_json(
        source=SOURCE_ID,
        host=HOST,
        feed=f"{BASE}/feed/",
        sitemap=f"{BASE}/sitemap_index.xml",
        articles=articles,
        aliases={
            utm_url_of(by_id[FEED_UTM]): canonical_of(by_id[FEED_UTM]),
            f"{BASE}/{SHORTLINK_ID}/": canonical_of(short),
        },
        not_articles=[CANONICAL_BASE + "/",
                      *(CANONICAL_BASE + v[0] for v in NOT_ARTICLE_PAGES.values()),
                      *listing_urls],
        feed_items=[utm_url_of(p) if p["id"] == FEED_UTM else url_of(p) for p in posts[:FEED_SIZE]],
        listings=listings,
        cruft=CRUFT + captions,
    )
    return write_expected(out, expected)


if __name__ == "__main__":
    result = build()
    print(f"{len(result['articles'])} articles written to {OUT}")
