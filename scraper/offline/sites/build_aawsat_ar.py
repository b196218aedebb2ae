"""Regenerate the offline copy of Asharq Al-Awsat (Arabic) in scraper/offline/sites/aawsat-ar/.

    python scraper/offline/sites/build_aawsat_ar.py

What the structure is based on: https://aawsat.com/ runs on Drupal. Article
URLs are the section path plus "<node id>-<Arabic slug>", e.g.
``/العالم-العربي/المشرق-العربي/5306603-...`` (percent-encoded on the wire);
sections such as ``/العالم-العربي/المشرق-العربي`` and ``/الاقتصاد`` page
with Drupal's zero-based pager (``?page=1`` is the second page) and answer
200 with an empty list past the end; feeds are ``/feed`` (all) and per
section; ``/sitemap.xml`` is the Simple XML Sitemap index of
``/sitemap.xml?page=N`` chunks; robots.txt is Drupal's default plus the
sitemap line. Pages are right to left (``lang="ar" dir="rtl"``); the date
line prints the Hijri and Gregorian dates with Egyptian month names and
Eastern Arabic digits plus the issue number ("رقم العدد"), the machine dates
are in the meta tags; the byline is "<city>: <writer>", or "«الشرق الأوسط»"
for desk stories (no named author). Around the story: share tools ("شارك"),
"مواضيع" tags, "أخبار ذات صلة", "الأكثر قراءة", a newsletter box, the
"جميع الحقوق محفوظة" footer and "تابعونا على" links; inside it an
"اقرأ أيضاً" link and agency photo credits. The daily cartoon page
("كاريكاتير") has no text and is not an article.

The stories are written for this copy (plausible prose, no real quotes);
everything is generated from the data below, so expected.json cannot drift.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import quote

from sitegen import (
    EASTERN_DIGITS,
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
    plain,
    rfc822,
    site_toml_head,
    toml_route,
    utc_iso,
    write,
    write_expected,
)

HERE = Path(__file__).resolve().parent
OUT = HERE / "aawsat-ar"
HOST = "aawsat.com"
BASE = f"https://{HOST}"
SITE_NAME = "الشرق الأوسط"
PER_PAGE = 2

SECTIONS = {
    "levant": ("المشرق العربي", "العالم-العربي/المشرق-العربي"),
    "economy": ("الاقتصاد", "الاقتصاد"),
    "cartoon": ("كاريكاتير", "كاريكاتير"),
}
LISTED = ["levant", "economy"]
MONTHS = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر",
          "أكتوبر", "نوفمبر", "ديسمبر"]
WEEKDAYS = ["الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"]

# Body mini-format: blocks separated by a blank line; "## " subheading,
# "* " list items, "> " blockquote, "%% " a cruft paragraph inside the story.
ARTICLES = [
    dict(
        nid=5221734,
        section="levant",
        slug="دمشق-تطلق-خطة-لإعادة-تأهيل-شبكة-الكهرباء-في-حلب",
        title="دِمَشقُ تُطلِقُ خُطّةً لإعادةِ تأهيلِ شبكةِ الكهرباء في حلب",
        summary="الخطة تشمل محطات التحويل وخطوط التوتر العالي وتمتد على عامين",
        published="2025-12-14T08:30:00+03:00",
        modified="2025-12-14T09:10:00+03:00",
        city="دمشق",
        author="ريم الحسن",
        hijri="٢٣ جمادى الآخرة ١٤٤٧",
        issue="١٧١٩٨",
        tags=["سوريا", "حلب", "الكهرباء"],
        image="2025/12/14/aleppo-power.jpg",
        caption="عمال يصلحون خطوط الكهرباء في أحد أحياء حلب (أ.ف.ب)",
        body="""
أعلنت وزارة الطاقة السورية إطلاق خطة لإعادة تأهيل شبكة الكهرباء في مدينة حلب وريفها، تشمل صيانة محطات التحويل الرئيسية واستبدال خطوط التوتر العالي التي تضررت خلال سنوات الحرب، على أن يجري تنفيذها على مراحل خلال عامين.

وقال مسؤول في الوزارة لـ«الشرق الأوسط» إن المرحلة الأولى تركز على الأحياء الشرقية من المدينة، حيث لا تزال ساعات التغذية الكهربائية أقل بكثير من بقية الأحياء، مشيراً إلى أن التمويل يأتي من الموازنة العامة ومن منح تقدمها جهات دولية.

%% اقرأ أيضاً: مستثمرون خليجيون يدرسون مشاريع في الموانئ السورية

## تحديات التنفيذ

ويواجه تنفيذ الخطة صعوبات عدة، أبرزها نقص الكوادر الفنية بعد هجرة كثير من المهندسين، وارتفاع أسعار المعدات المستوردة، إضافة إلى سرقة الكابلات النحاسية من الخطوط غير المحروسة.

ويأمل سكان حلب أن تنعكس الخطة سريعاً على حياتهم اليومية، إذ يعتمد معظمهم حتى الآن على المولدات الخاصة التي ارتفعت أسعار الاشتراك فيها إلى مستويات تثقل كاهل العائلات.
""",
    ),
    dict(
        nid=5221610,
        section="levant",
        slug="آلاف-السوريين-يعودون-من-لبنان-عبر-المعابر-الحدودية",
        title="آلاف السوريين يعودون من لبنان عبر المعابر الحدودية خلال شهر",
        summary="ضيق الأوضاع المعيشية في لبنان يدفع عائلات إلى العودة رغم صعوبات السكن",
        published="2025-12-12T20:15:00+03:00",
        modified="2025-12-12T20:15:00+03:00",
        city="بيروت",
        author=None,
        hijri="٢١ جمادى الآخرة ١٤٤٧",
        issue="١٧١٩٦",
        tags=["لبنان", "سوريا", "اللاجئون"],
        image="2025/12/12/border-crossing.jpg",
        caption="عائلات سورية عند معبر حدودي بين لبنان وسوريا (رويترز)",
        body="""
عبرت آلاف العائلات السورية الحدود من لبنان إلى سوريا خلال الشهر الماضي، في واحدة من أكبر موجات العودة منذ سنوات، بحسب تقديرات منظمات إنسانية تعمل على جانبي الحدود.

ويعزو العائدون قرارهم إلى ارتفاع الإيجارات في لبنان وتراجع فرص العمل، إضافة إلى رغبتهم في تفقد منازلهم وأراضيهم في أرياف حمص ودمشق وإدلب، رغم أن كثيراً منهم يجدون بيوتهم مدمرة أو غير صالحة للسكن.

وتقول المنظمات إن العائدين يحتاجون إلى دعم عاجل في مجالات السكن والتعليم والوثائق المدنية، إذ لا يملك كثير من الأطفال المولودين في لبنان أوراقاً ثبوتية سورية.

وتدعو هذه المنظمات إلى تنسيق أكبر بين الحكومتين لتسهيل إجراءات العبور وتسجيل الولادات، وتفادي عودة غير منظمة قد تزيد الضغط على الخدمات في المناطق المستقبلة.
""",
    ),
    dict(
        nid=5221488,
        section="economy",
        slug="مستثمرون-خليجيون-يدرسون-مشاريع-في-الموانئ-السورية",
        title="مستثمرون خليجيون يدرسون مشاريع في الموانئ السورية",
        summary="وفود تزور اللاذقية وطرطوس لبحث توسيع الأرصفة ومحطات الحاويات",
        published="2025-12-10T11:00:00+03:00",
        modified="2025-12-10T13:40:00+03:00",
        city="الرياض",
        author="فهد العتيبي",
        hijri="١٩ جمادى الآخرة ١٤٤٧",
        issue="١٧١٩٤",
        tags=["سوريا", "الاستثمار", "الموانئ"],
        image="2025/12/10/latakia-port.jpg",
        caption="رافعات الحاويات في ميناء اللاذقية (أ.ب)",
        body="""
زارت وفود من شركات خليجية متخصصة في إدارة الموانئ والخدمات اللوجيستية ميناءي اللاذقية وطرطوس خلال الأسابيع الماضية، لبحث فرص الاستثمار في توسيع الأرصفة وتطوير محطات الحاويات، وفق ما أفادت به مصادر اقتصادية.

وتقول المصادر إن المستثمرين مهتمون بدور الموانئ السورية بوصفها بوابة لتجارة الترانزيت نحو العراق والأردن، لكنهم يطالبون بضمانات قانونية واضحة تتعلق بمدة العقود وتحويل الأرباح وآليات فض النزاعات.

## شروط المستثمرين

ولخّص خبير في النقل البحري أبرز ما تطلبه الشركات قبل الالتزام بأي استثمار:

* عقود طويلة الأمد لا تقل عن عشرين عاماً.
* إعفاءات جمركية على المعدات المستوردة لتحديث الأرصفة.
* ربط الموانئ بشبكة طرق وسكك حديد صالحة لنقل البضائع.

ويرى اقتصاديون أن نجاح هذه المشاريع قد يوفر آلاف فرص العمل في المدن الساحلية، ويعيد إلى الموانئ جزءاً من النشاط الذي فقدته خلال سنوات العقوبات.
""",
    ),
    dict(
        nid=5221302,
        section="levant",
        slug="أزمة-المياه-تدفع-مزارعين-في-ديالى-إلى-هجر-أراضيهم",
        title="العراق: أزمة المياه تدفع مزارعين في ديالى إلى هجر أراضيهم",
        summary="تراجع الإيرادات المائية يجفف البساتين ويدفع الشباب إلى المدن",
        published="2025-12-08T15:45:00+03:00",
        modified="2025-12-08T16:30:00+03:00",
        city="بغداد",
        author="علي الساعدي",
        hijri="١٧ جمادى الآخرة ١٤٤٧",
        issue="١٧١٩٢",
        tags=["العراق", "المياه", "الزراعة"],
        image="2025/12/08/diyala-orchards.jpg",
        caption="بستان جاف في محافظة ديالى (الشرق الأوسط)",
        body="""
تتسع رقعة الأراضي الزراعية المتروكة في محافظة ديالى شرق العراق، بعد أن جفت جداول كانت تروي بساتين البرتقال والنخيل لعقود، بسبب تراجع الإيرادات المائية وقلة الأمطار.

ويقول مزارعون إنهم باتوا عاجزين عن سقي أشجارهم، وإن الآبار التي حفروها لم تعد كافية بعد انخفاض منسوب المياه الجوفية، ما دفع كثيراً من الشباب إلى ترك القرى والبحث عن عمل في بغداد.

> كانت البساتين تكفينا وتكفي جيراننا، واليوم نشتري الفاكهة من السوق.

بهذه الكلمات وصف مزارع خمسيني حال قريته، في شهادة تتكرر في أحاديث أهالي المنطقة.

وتعمل الحكومة المحلية على مشاريع لتبطين القنوات وتوزيع منظومات ري حديثة، غير أن المزارعين يرون أن هذه الخطوات جاءت متأخرة ولا تغطي سوى جزء صغير من الأراضي المتضررة.
""",
    ),
    dict(
        nid=5221155,
        section="levant",
        slug="مبادرات-أهلية-لإعادة-تأهيل-المدارس-في-السويداء",
        title="مبادرات أهلية لإعادة تأهيل المدارس في السويداء",
        summary="متطوعون يرممون الصفوف ويجمعون الكتب مع بدء الفصل الدراسي الثاني",
        published="2025-12-05T10:20:00+03:00",
        modified="2025-12-05T10:20:00+03:00",
        city="السويداء",
        author=None,
        hijri="١٤ جمادى الآخرة ١٤٤٧",
        issue="١٧١٨٩",
        tags=["سوريا", "السويداء", "التعليم"],
        image="2025/12/05/sweida-school.jpg",
        caption="متطوعون يطلون جدران مدرسة في السويداء (الشرق الأوسط)",
        body="""
أطلق متطوعون في محافظة السويداء جنوب سوريا مبادرات أهلية لترميم عدد من المدارس المتضررة، وتأمين المقاعد والكتب للطلاب مع بدء الفصل الدراسي الثاني.

وتعتمد المبادرات على تبرعات المغتربين من أبناء المحافظة وعلى عمل الحرفيين المحليين الذين يقدمون خدماتهم مجاناً أو بأجور رمزية، فيما يتولى المعلمون تنظيم الصفوف وتوزيع الطلاب.

ويقول القائمون على المبادرات إن الهدف هو منع تسرب الأطفال من التعليم، بعد أن اضطرت عائلات كثيرة إلى إرسال أبنائها إلى العمل بسبب الظروف المعيشية الصعبة.
""",
    ),
    dict(
        nid=5221044,
        section="economy",
        slug="الليرة-السورية-تتراجع-أمام-الدولار-مع-تزايد-الطلب-على-الاستيراد",
        title="الليرة السورية تتراجع أمام الدولار مع تزايد الطلب على الاستيراد",
        summary="تجار يعزون التراجع إلى فتح باب الاستيراد وتراجع التحويلات الموسمية",
        published="2025-12-03T13:05:00+03:00",
        modified="2025-12-03T14:00:00+03:00",
        city="دمشق",
        author="ريم الحسن",
        hijri="١٢ جمادى الآخرة ١٤٤٧",
        issue="١٧١٨٧",
        tags=["سوريا", "الليرة السورية", "الاقتصاد السوري"],
        image="2025/12/03/syrian-pound.jpg",
        caption="محل صرافة في دمشق (رويترز)",
        body="""
تراجع سعر صرف الليرة السورية أمام الدولار الأميركي في السوق الموازية خلال الأسبوع الماضي، وسط تزايد الطلب على العملة الأجنبية لتمويل عمليات الاستيراد، بحسب ما أفاد به تجار وصرافون في دمشق.

ويعزو التجار التراجع إلى توسيع قوائم السلع المسموح باستيرادها، وإلى تراجع التحويلات الموسمية من المغتربين بعد انتهاء موسم الصيف، في حين يؤكد المصرف المركزي أن التقلبات مؤقتة.

%% اقرأ أيضاً: دمشق تطلق خطة لإعادة تأهيل شبكة الكهرباء في حلب

وانعكس التراجع سريعاً على أسعار السلع الغذائية والأدوية في الأسواق، ما زاد من الضغوط على ذوي الدخل المحدود الذين لم تواكب رواتبهم ارتفاع الأسعار.
""",
    ),
]

CARTOON = dict(
    nid=5221399,
    section="cartoon",
    slug="كاريكاتير-اليوم",
    title="كاريكاتير",
    summary="كاريكاتير",
    published="2025-12-09T06:00:00+03:00",
    modified="2025-12-09T06:00:00+03:00",
    city=None,
    author=None,
    hijri="١٨ جمادى الآخرة ١٤٤٧",
    issue="١٧١٩٣",
    tags=[],
    image="2025/12/09/cartoon.jpg",
    caption="",
    body="",
)

CRUFT = [
    "اقرأ أيضاً",
    "شارك",
    "مواضيع",
    "أخبار ذات صلة",
    "الأكثر قراءة",
    "اشترك في النشرة",
    "جميع الحقوق محفوظة",
    "تابعونا على",
    "رقم العدد",
    "(أ.ف.ب)",
    "(رويترز)",
    "(أ.ب)",
    "انتقل إلى المحتوى الرئيسي",
    "هـ -",
    "\u00a0",
]


# ----------------------------------------------------------------------------
# helpers
# ----------------------------------------------------------------------------


def enc(path: str) -> str:
    """A path as Drupal prints it in links: UTF-8 percent-encoded (upper-case hex)."""
    return quote(path, safe="/-")


def path_of(post: dict) -> str:
    return f"/{SECTIONS[post['section']][1]}/{post['nid']}-{post['slug']}"


def url_of(post: dict) -> str:
    return BASE + enc(path_of(post))


def section_url(section: str, page0: int = 0) -> str:
    return f"{BASE}/{enc(SECTIONS[section][1])}" + (f"?page={page0}" if page0 else "")


def date_line(post: dict) -> str:
    """'الأحد - ٢٣ جمادى الآخرة ١٤٤٧ هـ - ١٤ ديسمبر ٢٠٢٥ مـ'"""
    d = dt(post["published"])
    greg = f"{d.day} {MONTHS[d.month - 1]} {d.year}".translate(EASTERN_DIGITS)
    return f"{WEEKDAYS[d.weekday()]} - {post['hijri']} هـ - {greg} مـ"


def byline(post: dict) -> str:
    if not post["city"]:
        return ""
    return f"{post['city']}: " + (post["author"] or "«الشرق الأوسط»")


# ----------------------------------------------------------------------------
# page chrome (Drupal, rtl)
# ----------------------------------------------------------------------------


def head(title: str, canonical: str, extra: str = "") -> str:
    return f"""<!DOCTYPE html>
<html lang="ar" dir="rtl" prefix="og: https://ogp.me/ns#">
<head>
<meta charset="utf-8" />
<link rel="canonical" href="{canonical}" />
<meta name="Generator" content="Drupal 10 (https://www.drupal.org)" />
<meta name="MobileOptimized" content="width" />
<meta name="viewport" content="width=device-width, initial-scale=1.0" />
{extra}<link rel="alternate" type="application/rss+xml" title="الشرق الأوسط" href="{BASE}/feed" />
<title>{esc(title)}</title>
<link rel="stylesheet" media="all" href="/sites/default/files/css/css_Qm2k1Yd0pX.css?delta=0&amp;language=ar&amp;theme=aawsat" />
</head>
"""


def site_header() -> str:
    nav = "".join(f'<li class="menu-item"><a href="{section_url(k)}">{SECTIONS[k][0]}</a></li>' for k in LISTED)
    return f"""<body class="path-node page-node-type-article">
<a href="#main-content" class="visually-hidden focusable skip-link">انتقل إلى المحتوى الرئيسي</a>
<div class="dialog-off-canvas-main-canvas" data-off-canvas-main-canvas>
<header class="header" role="banner"><div class="container">
<div class="header-date">الأحد - ٢٣ جمادى الآخرة ١٤٤٧ هـ - ١٤ ديسمبر ٢٠٢٥ مـ</div>
<a href="{BASE}/" title="الرئيسية" rel="home" class="site-logo"><img src="/themes/custom/aawsat/logo.svg" alt="الرئيسية" /></a>
<nav role="navigation" aria-labelledby="block-mainnavigation-menu" class="block-mainnavigation"><ul class="menu"><li class="menu-item"><a href="{BASE}/">الرئيسية</a></li><li class="menu-item"><a href="{BASE}/{enc('أخبار')}">أخبار</a></li>{nav}<li class="menu-item"><a href="{BASE}/{enc('رأي')}">رأي</a></li><li class="menu-item"><a href="https://english.aawsat.com/">English</a></li></ul></nav>
<form class="search-block-form" action="{BASE}/search" method="get"><input type="search" name="keys" placeholder="بحث" /></form>
</div></header>
"""


def aside(posts: list[dict]) -> str:
    items = "".join(f'<li><a href="{url_of(p)}">{esc(p["title"])}</a></li>' for p in posts[:4])
    return f"""<aside class="layout-sidebar-first" role="complementary">
<div class="block block-views block-most-read"><h2 class="block-title">الأكثر قراءة</h2><ol>{items}</ol></div>
<div class="block block-newsletter"><h2 class="block-title">النشرة الإخبارية</h2><p>اشترك في النشرة الإخبارية لـ«الشرق الأوسط» لتصلك أهم الأخبار يومياً</p>
<form action="{BASE}/newsletter" method="post"><input type="email" name="mail" placeholder="البريد الإلكتروني" /><input type="submit" value="اشترك" /></form></div>
</aside>
"""


FOOTER = f"""<footer class="site-footer" role="contentinfo"><div class="container">
<div class="footer-social"><span>تابعونا على</span> <a href="https://www.facebook.com/aawsat.News">فيسبوك</a> <a href="https://x.com/aawsat_News">إكس</a> <a href="https://t.me/aawsat">تلغرام</a></div>
<ul class="footer-menu"><li><a href="{BASE}/{enc('من-نحن')}">من نحن</a></li><li><a href="{BASE}/{enc('اتصل-بنا')}">اتصل بنا</a></li><li><a href="{BASE}/{enc('سياسة-الخصوصية')}">سياسة الخصوصية</a></li></ul>
<p class="copyright">جميع الحقوق محفوظة © ٢٠٢٥ الشرق الأوسط</p></div></footer>
</div>
<script src="/sites/default/files/js/js_p0Wz2vK7.js?scope=footer&amp;delta=0&amp;language=ar&amp;theme=aawsat"></script>
</body>
</html>
"""


def share(post: dict) -> str:
    u, t = quote(url_of(post), safe=""), quote(post["title"], safe="")
    return f"""<div class="share-tools"><span class="share-label">شارك</span>
<a class="share-facebook" href="https://www.facebook.com/sharer/sharer.php?u={u}">فيسبوك</a>
<a class="share-x" href="https://x.com/intent/tweet?url={u}&amp;text={t}">إكس</a>
<a class="share-whatsapp" href="https://api.whatsapp.com/send?text={u}">واتساب</a>
<a class="share-telegram" href="https://t.me/share/url?url={u}">تلغرام</a>
<a class="share-print" href="javascript:window.print()">طباعة</a></div>
"""


def json_ld(post: dict) -> str:
    author = ({"@type": "Person", "name": post["author"]} if post["author"]
              else {"@type": "Organization", "name": SITE_NAME})
    data = {
        "@context": "https://schema.org",
        "@graph": [{
            "@type": "NewsArticle",
            "headline": post["title"],
            "description": post["summary"],
            "datePublished": post["published"],
            "dateModified": post["modified"],
            "author": author,
            "publisher": {"@type": "Organization", "@id": BASE, "name": SITE_NAME,
                          "logo": {"@type": "ImageObject", "url": f"{BASE}/themes/custom/aawsat/logo.png"}},
            "image": {"@type": "ImageObject", "url": f"{BASE}/sites/default/files/styles/article_img_top/public/{post['image']}"},
            "mainEntityOfPage": url_of(post),
        }],
    }
    return ('<script type="application/ld+json">' + json.dumps(data, ensure_ascii=False)
            + "</script>\n")


def render_blocks(blocks) -> str:
    out = []
    for kind, payload in blocks:
        if kind == "p":
            out.append(f"<p>{payload}</p>")
        elif kind == "cruft":
            title = payload.removeprefix("اقرأ أيضاً: ")
            target = next(p for p in ARTICLES if plain(p["title"]) == title or p["slug"].replace("-", " ") == title)
            out.append(f'<p><strong>اقرأ أيضاً: </strong><a href="{url_of(target)}">{esc(title)}</a></p>')
        elif kind == "h2":
            out.append(f"<h2>{payload}</h2>")
        elif kind == "quote":
            out.append(f"<blockquote><p>{payload}</p></blockquote>")
        elif kind == "ul":
            out.append("<ul>" + "".join(f"<li>{i}</li>" for i in payload) + "</ul>")
    return "\n".join(out)


def article_page(post: dict, posts: list[dict]) -> str:
    url = url_of(post)
    name, _ = SECTIONS[post["section"]]
    image = f"{BASE}/sites/default/files/styles/article_img_top/public/{post['image']}"
    tag_metas = "".join(f'<meta property="article:tag" content="{attr(t)}" />\n' for t in post["tags"])
    extra = f"""<meta name="description" content="{attr(post['summary'])}" />
<link rel="shortlink" href="{BASE}/node/{post['nid']}" />
<meta property="og:site_name" content="{SITE_NAME}" />
<meta property="og:type" content="article" />
<meta property="og:url" content="{url}" />
<meta property="og:title" content="{attr(post['title'])}" />
<meta property="og:description" content="{attr(post['summary'])}" />
<meta property="og:image" content="{image}" />
<meta property="article:section" content="{attr(name)}" />
{tag_metas}<meta property="article:published_time" content="{post['published']}" />
<meta property="article:modified_time" content="{post['modified']}" />
<meta name="twitter:card" content="summary_large_image" />
<meta name="twitter:site" content="@aawsat_News" />
{json_ld(post)}"""
    tags = "".join(f'<div class="field__item"><a href="{BASE}/taxonomy/term/{1000 + i}" hreflang="ar">{esc(t)}</a></div>'
                   for i, t in enumerate(post["tags"]))
    related = "".join(f'<li><a href="{url_of(p)}">{esc(p["title"])}</a></li>'
                      for p in posts if p["nid"] != post["nid"] and p["section"] == post["section"])
    body = render_blocks(parse_body(post["body"])) if post["body"] else (
        f'<p><img src="{image}" alt="كاريكاتير" /></p>')
    caption = f"<figcaption>{esc(post['caption'])}</figcaption>" if post["caption"] else ""
    return (
        head(f"{post['title']} | {SITE_NAME}", url, extra)
        + site_header()
        + f"""<main role="main"><a id="main-content" tabindex="-1"></a><div class="layout-content container">
<div class="region region-content">
<article data-history-node-id="{post['nid']}" class="node node--type-article node--promoted node--view-mode-full">
<div class="breadcrumbs"><a href="{BASE}/">الرئيسية</a> › <a href="{section_url(post['section'])}">{esc(name)}</a></div>
<h1 class="node__title"><span class="field field--name-title">{esc(post['title'])}</span></h1>
<div class="field--name-field-subtitle"><h2>{esc(post['summary'])}</h2></div>
<div class="article-info">
<div class="field--name-field-byline">{esc(byline(post))}</div>
<div class="field--name-created"><time datetime="{utc_iso(post['published'])}">{date_line(post)}</time></div>
<div class="issue-number">رقم العدد [ {post['issue']} ]</div>
</div>
{share(post)}<div class="field field--name-field-image"><figure><img src="{image}" width="1200" height="675" alt="" />{caption}</figure></div>
<div class="clearfix text-formatted field field--name-body field--type-text-with-summary field--label-hidden field__item">{body}</div>
<div class="field field--name-field-tags field--type-entity-reference field--label-above"><div class="field__label">مواضيع</div><div class="field__items">{tags}</div></div>
</article>
<div class="block block-related"><h2 class="block-title">أخبار ذات صلة</h2><ul>{related}</ul></div>
</div></div>
{aside(posts)}</main>
"""
        + FOOTER
    )


def listing_page(section: str, page0: int, chunk: list[dict], pages: int, side: list[dict]) -> str:
    name, _ = SECTIONS[section]
    rows = "\n".join(
        f'<div class="views-row"><article class="node node--type-article node--view-mode-teaser">'
        f'<a href="{url_of(p)}"><img src="{BASE}/sites/default/files/styles/teaser/public/{p["image"]}" alt="" /></a>'
        f'<h3><a href="{url_of(p)}">{esc(p["title"])}</a></h3><p>{esc(p["summary"])}</p>'
        f'<time datetime="{utc_iso(p["published"])}">{date_line(p)}</time></article></div>'
        for p in chunk) or '<div class="view-empty">لا توجد نتائج</div>'
    pager = ""
    if pages > 1:
        items = "".join(
            f'<li class="pager__item{" is-active" if n == page0 else ""}"><a href="?page={n}" title="الانتقال إلى الصفحة {n + 1}">{n + 1}</a></li>'
            for n in range(pages))
        if page0 + 1 < pages:
            items += f'<li class="pager__item pager__item--next"><a href="?page={page0 + 1}" rel="next">التالي ›</a></li>'
        pager = f'<nav class="pager" role="navigation"><ul class="pager__items js-pager__items">{items}</ul></nav>'
    extra = og_meta(name)
    return (
        head(f"{name} | {SITE_NAME}", section_url(section, page0), extra)
        + site_header()
        + f"""<main role="main"><div class="layout-content container"><div class="region region-content">
<h1 class="page-title">{esc(name)}</h1>
<div class="views-element-container"><div class="view view-section-articles view-display-id-page_1">
<div class="view-content">
{rows}
</div>
{pager}</div></div>
</div></div>
{aside(side)}</main>
"""
        + FOOTER
    )


def feed_xml(posts: list[dict], last_build: str) -> str:
    items = "\n".join(f"""    <item>
  <title>{esc(p['title'])}</title>
  <link>{url_of(p)}</link>
  <description>{esc(p['summary'])}</description>
  <pubDate>{rfc822(p['published'])}</pubDate>
  <dc:creator>{esc(p['author'] or SITE_NAME)}</dc:creator>
  <guid isPermaLink="false">{p['nid']} at {BASE}</guid>
</item>""" for p in posts)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xml:base="{BASE}/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>الشرق الأوسط</title>
    <link>{BASE}/</link>
    <description>صحيفة العرب الأولى</description>
    <language>ar</language>
    <atom:link href="{BASE}/feed" rel="self" type="application/rss+xml" />
    <lastBuildDate>{rfc822(last_build)}</lastBuildDate>
{items}
  </channel>
</rss>
"""


def urlset(entries: list[tuple[str, str]]) -> str:
    rows = "".join(f"<url><loc>{loc}</loc><lastmod>{lm}</lastmod><changefreq>daily</changefreq>"
                   f"<priority>0.5</priority></url>" for loc, lm in entries)
    return ('<?xml version="1.0" encoding="UTF-8"?><?xml-stylesheet type="text/xsl" href="/sitemap_generator/default/sitemap.xsl"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml" '
            'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">' + rows + "</urlset>\n")


def sitemap_index(entries: list[tuple[str, str]]) -> str:
    rows = "".join(f"<sitemap><loc>{esc(loc)}</loc><lastmod>{lm}</lastmod></sitemap>" for loc, lm in entries)
    return ('<?xml version="1.0" encoding="UTF-8"?><?xml-stylesheet type="text/xsl" href="/sitemap_generator/sitemap_index/sitemap.xsl"?>\n'
            f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{rows}</sitemapindex>\n')


ROBOTS = f"""#
# robots.txt
#
# This file is to prevent the crawling and indexing of certain parts
# of your site by web crawlers and spiders run by sites like Yahoo!
# and Google.
#
# For more information about the robots.txt standard, see:
# http://www.robotstxt.org/robotstxt.html

User-agent: *
# CSS, JS, Images
Allow: /core/*.css$
Allow: /core/*.js$
Allow: /profiles/*.png
# Directories
Disallow: /core/
Disallow: /profiles/
# Files
Disallow: /README.md
Disallow: /web.config
# Paths (clean URLs)
Disallow: /admin/
Disallow: /comment/reply/
Disallow: /filter/tips
Disallow: /node/add/
Disallow: /search/
Disallow: /user/register
Disallow: /user/password
Disallow: /user/login
Disallow: /user/logout
# Paths (no clean URLs)
Disallow: /index.php/admin/
Disallow: /index.php/search/

Sitemap: {BASE}/sitemap.xml
"""


def build(out: Path = OUT) -> dict:
    articles = sorted(ARTICLES, key=lambda p: utc_iso(p["published"]), reverse=True)
    posts = sorted([*articles, CARTOON], key=lambda p: utc_iso(p["published"]), reverse=True)
    shutil.rmtree(out / "www", ignore_errors=True)
    www = out / "www"
    last_build = max((p["modified"] for p in posts), key=utc_iso)

    write(www, "robots.txt", ROBOTS)
    write(www, "feed.xml", feed_xml(posts, last_build))
    write(www, "sitemap.xml", sitemap_index([
        (f"{BASE}/sitemap.xml?page=1", last_build),
        (f"{BASE}/sitemap.xml?page=2", "2025-11-30T23:00:00+03:00"),
    ]))
    write(www, "sitemap-page-1.xml", urlset([(url_of(p), p["modified"]) for p in posts]))
    write(www, "sitemap-page-2.xml", urlset([(section_url(s), last_build) for s in LISTED]))

    bodies = {}
    for p in posts:
        bodies[p["nid"]] = clean_body(parse_body(p["body"])) if p["body"] else ""
        write(www, path_of(p).lstrip("/"), article_page(p, posts))
    home = "".join(f'<h3><a href="{url_of(p)}">{esc(p["title"])}</a></h3>' for p in posts)
    write(www, "index.html", head(SITE_NAME, f"{BASE}/", '<meta property="og:type" content="website" />\n')
          + site_header() + f'<main role="main">{home}{aside(articles)}</main>\n' + FOOTER)

    routes = [("/feed", "feed.xml", "application/rss+xml; charset=utf-8"),
              ("/sitemap.xml?page=1", "sitemap-page-1.xml", None),
              ("/sitemap.xml?page=2", "sitemap-page-2.xml", None)]
    listings: dict[str, dict] = {}
    not_articles = [f"{BASE}/", url_of(CARTOON)]
    for section in LISTED:
        items = [p for p in posts if p["section"] == section]
        pages = chunks(items, PER_PAGE)
        for n, chunk in enumerate(pages + [[]]):  # Drupal answers 200 past the last page
            text = listing_page(section, n, chunk, len(pages), articles)
            if n == 0:
                write(www, SECTIONS[section][1] + "/index.html", text)
            else:
                rel = f"pages/{section}-{n}.html"
                write(www, rel, text)
                routes.append((f"/{SECTIONS[section][1]}?page={n}", rel, None))
        listings[section_url(section)] = {"pages": len(pages), "posts": [url_of(p) for p in items]}
        not_articles += [section_url(section, n) for n in range(len(pages))]

    route_toml = "".join(
        "\n" + toml_route(path, file=file, **({"content_type": ctype} if ctype else {}))
        for path, file, ctype in routes)
    write(out, "site.toml",
          site_toml_head("Asharq Al-Awsat, Arabic (Drupal)", "build_aawsat_ar.py", HOST, last_build)
          + "\n# The feed, the Simple XML Sitemap chunks (?page=N) and the zero-based section\n"
          "# pagers (?page=1 is the second page; the page after the last one is empty).\n"
          + route_toml)

    expected_articles = []
    for a in articles:
        body = bodies[a["nid"]]
        assert_clean(a["nid"], body, CRUFT)
        expected_articles.append(expected_article(
            url=url_of(a), title=a["title"], summary=a["summary"],
            authors=[a["author"]] if a["author"] else [], published=a["published"],
            modified=a["modified"], language="ar", section=SECTIONS[a["section"]][0],
            tags=a["tags"],
            image=f"{BASE}/sites/default/files/styles/article_img_top/public/{a['image']}",
            body=body))
    expected = expected_json(
        source="aawsat-ar",
        host=HOST,
        feed=f"{BASE}/feed",
        sitemap=f"{BASE}/sitemap.xml",
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
