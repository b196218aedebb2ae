"""Generic cruft rules, English and Arabic: what sites add around a story.

Each rule matches a WHOLE block (a paragraph, a list item line or a heading)
and carries a length cap, so a sentence of the story that merely mentions
"cookies" or "share" is never removed. Every rule has a fixture in
tests/fixtures/extract/ (built from its fixtures.toml) showing a page that needs it,
story sentences with the same words that must stay, and the clean result;
tests/test_extract_fixtures.py fails for a rule without one.
Per-source rules from the registry (scraper/sources.toml) run next to these.

A few rules repair a block instead of removing it (TEXT_REPAIRS): a word some
outlets break with asterisks to slip past platform filters ("fata*lities") is
mended, and the sentence stays. Regular expressions from the standard library:
the rules are short patterns over one block, which needs no parser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import trafilatura

# Bump when a rule change alters output, so `newsarchive reextract` can tell.
RULES_VERSION = "12"
EXTRACTOR_VERSION = f"newsarchive-{RULES_VERSION}+trafilatura-{trafilatura.__version__}"

_SOCIAL = (
    r"facebook|twitter|x|whatsapp|telegram|linkedin|email|e-mail|print|pinterest|reddit|"
    r"copy link|messenger|فيسبوك|تويتر|واتساب|تلغرام|تيليغرام|طباعة|بريد إلكتروني"
)
# The networks "follow us" lines name: the channel an outlet posts to.
_NETWORKS = (
    r"telegram|whatsapp|x|twitter|facebook|instagram|youtube|tiktok|threads|linkedin|signal|"
    r"viber|google news"
)
_NETWORKS_AR = (
    r"تلغرام|تيليغرام|تلجرام|تليجرام|تيليجرام|واتساب|واتس ?[اآ]ب|فيسبوك|فيس بوك|تويتر|إكس|اكس|"
    r"يوتيوب|إنستغرام|انستغرام|إنستجرام|تيك ?توك|غوغل نيوز|جوجل نيوز"
)
_AGENCIES = (
    r"afp|reuters|ap|getty images|anadolu( agency)?|epa|aa|sana|shutterstock|"
    r"فرانس برس|أ ف ب|رويترز|الأناضول|سانا"
)


# One editor's mark in a sign-off: "H.Z", "HZ", "ح.ح", "هـ م" or "A. Sulaiman". Latin initials
# are capitals whatever the rule's flags, so "and/or" is no sign-off.
_LETTER = r"(?-i:[A-Z]|[^\W\d_a-zA-Z])ـ?"
_INITIALS = (
    r"("
    + _LETTER
    + r"(\s?\.\s?"
    + _LETTER
    + r"){0,3}\.?|(?-i:[A-Z]{2,3})|"
    + _LETTER
    + r"(\s"
    + _LETTER
    + r"){1,3}|(?-i:[A-Z]\.\s?[A-Z][a-z]+(-[A-Z][a-z]+)?))"
)


# A site's name as a feed footer prints it: capitalised words ("Syria Direct", "The Daraa
# Chronicle") or a host name, then the full stop.
_SITE_NAME = (
    r"((?-i:[A-Z0-9][\w.'’&-]*)(\s(?-i:[A-Z0-9&][\w.'’&-]*|of|the|and|de|al-\w+)){0,6}|"
    r"[\w-]+(\.[\w-]+)+)\.?"
)


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern
    max_chars: int

    def matches(self, text: str) -> bool:
        return len(text) <= self.max_chars and bool(self.pattern.search(text))


def _rule(name: str, pattern: str, max_chars: int = 160) -> Rule:
    return Rule(name, re.compile(pattern, re.IGNORECASE), max_chars)


GENERIC_RULES: tuple[Rule, ...] = (
    _rule("search-label", r"^(search|search for:?|search\.\.\.|بحث|ابحث|البحث)$"),
    _rule("logo-alt", r"^(site )?logo( wide| image)?$"),
    _rule("skip-link", r"^(skip to (main )?content|تخطى إلى المحتوى|انتقل إلى المحتوى)$"),
    _rule(
        "share-prompt",
        r"^(share( this( article| story| post)?)?( on (" + _SOCIAL + r"))?|tweet|"
        r"شارك(ها)?|مشاركة|شارك على (" + _SOCIAL + r")|شارك هذا (الخبر|المقال))\s*:?$",
    ),
    _rule("share-buttons", r"^((share|" + _SOCIAL + r")[\s|,·•/:-]*){2,}$"),
    _rule(
        "follow-prompt",
        r"^(follow (us|@\w+)( on (" + _SOCIAL + r"|google news|instagram|youtube))?|"
        # "Follow SANA on X", "Join our WhatsApp channel for the latest news", "Follow the
        # latest news on our Telegram channel": a prompt names the network it leads to.
        r"(click here to |tap here to )?(follow|join|subscribe to|find)\s+"
        r"(us|[\w@'’.&-]+(\s[\w@'’.&-]+){0,3}?)"
        r"(\s+(on|via|at)\s+(our\s+)?(" + _NETWORKS + r")(\s*\(formerly twitter\))?"
        r"(\s+(channel|group|account|page))?|"
        r"\s+(" + _NETWORKS + r")\s+(channel|group|account|page))"
        r"(\s+(for|to (get|receive))\s[^.!?]{0,60})?|"
        # "تابعوا" alone is also "they followed": only with a network it is a prompt.
        r"تابعونا (على|عبر) .{0,40}|تابعوا .{0,30} (على|عبر) (" + _SOCIAL + r"|يوتيوب|إنستغرام)"
        r".{0,30}|"
        r"((لمتابعة|للاطلاع على|لمعرفة) [^.!؟]{0,50}?[،:]?\s*)?"
        r"(تابعونا|تابعوا|انضموا|انضم|اشتركوا)\s[^.!؟]{0,60}?(على|عبر|في|إلى|الى)\s"
        r"[^.!؟]{0,30}?(" + _NETWORKS_AR + r")[^.!؟]{0,40}|"
        r"(join|subscribe to) our (telegram|whatsapp) (channel|group))[.!:]?$",
    ),
    _rule(
        "newsletter",
        r"^((subscribe|sign up|signup|register)( now)?( to| for)? (our|the|to our) "
        r"(free )?(daily |weekly )?(newsletter|briefing|mailing list)|"
        r"get (our|the) .{0,60} (newsletter|daily edition|briefing)|enter your e-?mail( address)?|"
        r"اشترك في (النشرة|نشرتنا)|اشترك الآن|سجل في النشرة).{0,120}$",
        max_chars=220,
    ),
    _rule(
        "read-also",
        # Labels that never open a story sentence may be followed by a headline directly;
        # "Related", "Recommended", "Most read", "Read more" only alone or with a colon
        # ("Recommended doses were..." is a sentence).
        r"^((read also|see also|also read|check also|also check|you may also like|"
        # "أيضاً", "أيضًا" (tanween before the alef, as many sites write it) and "ايضا"
        r"[اإ]قرأ [أا]يض(?:اً|ًا|ا)|"
        r"[اإ]قرأ كذلك|طالع [أا]يض(?:اً|ًا|ا)|(?:قد )?يهمك [أا]يض(?:اً|ًا|ا)|"
        r"مواضيع ذات صلة|أخبار ذات صلة|مقالات ذات صلة|شاهد [أا]يض(?:اً|ًا|ا))"
        r"\s*[:：\-–]?(\s.{0,150})?|"
        r"(read more|related( articles| posts| stories| news| coverage)?|"
        r"more (from|on) this.{0,40}|"
        r"recommended( for you| stories| articles)?|most (read|popular|viewed)|"
        r"اقرأ المزيد|الأكثر قراءة|الأكثر مشاهدة|ذات صلة|"
        # WordPress's excerpt link: "Continue reading", "Continue reading “Title” →"
        r"continue reading|متابعة القراءة|أكمل القراءة|تابع القراءة)"
        r"\s*([:：\-–|»→…]\s*.{0,150}|[“\"«].{1,150}[”\"»]\s*[→»]?)?)$",
        max_chars=200,
    ),
    _rule(
        "photo-credit",
        r"^[(\[]?(photo|image|picture|photograph|credit|photo credit|source|"
        r"صورة|الصورة|تصوير|المصدر)\s*[:：]\s*.{1,100}[)\]]?$",
        max_chars=130,
    ),
    _rule(
        "agency-credit",
        # "AFP", "(AP Photo/Hussein Malla)", "Reuters/Omar Sanadiki", "STR/AFP via Getty
        # Images": no sentence punctuation, so "AP reports that talks failed." stays.
        r"^[(\[]?(" + _AGENCIES + r")( photo| images| file photo| via getty images)?"
        r"(\s*/\s*[^.!?؟:]{1,50})?[)\]]?$|"
        r"^[(\[]?[^.!?؟:]{1,50}\s*/\s*(" + _AGENCIES + r")( via getty images)?[)\]]?$",
        max_chars=80,
    ),
    _rule(
        "copyright",
        # "Copyright" alone opens sentences too ("Copyright cases rose..."): it needs a
        # year or the sign.
        r"^((©|\(c\)|copyright\s*(©|\(c\)|\d{4}))\s*(\d{4}\s*)?.{0,150}|"
        r".{0,120}all rights reserved\.?|"
        r".{0,100}جميع الحقوق محفوظة.{0,60})$",
        max_chars=200,
    ),
    _rule(
        "cookie-notice",
        # The site speaking about its own cookies; a story about a cookie policy stays.
        r"(\bwe use cookies|\b(this|our) (web)?site uses cookies|"
        r"by continuing to (use|browse) (this|our) (site|website)|"
        r"^(accept|reject|manage) (all )?cookies$|^cookie (settings|preferences|policy)$|"
        # A banner's buttons, alone or in a row: "Accept", "Accept All Reject All Settings".
        r"^((accept( all)?|reject( all)?|decline|i agree|got it!?|ok|allow( all)? cookies|"
        r"manage (consent|preferences|options)|cookie settings|privacy settings|read more)"
        r"[\s|·•]*){1,5}$|"
        r"(نستخدم|يستخدم (هذا )?الموقع|يستخدم موقعنا|موقعنا يستخدم|هذا الموقع يستخدم) "
        r"(ملفات تعريف الارتباط|الكوكيز|ملفات الكوكيز)|"
        r"(باستمرارك|بمواصلتك|بمتابعتك) (في )?(استخدام|تصفح) (هذا )?(الموقع|موقعنا)|"
        r"^((قبول|رفض) (الكل|ملفات تعريف الارتباط|الكوكيز)|موافق|أوافق|قبول|رفض|"
        r"إعدادات (ملفات تعريف الارتباط|الكوكيز|الخصوصية))([\s|·•]+"
        r"((قبول|رفض) (الكل|ملفات تعريف الارتباط|الكوكيز)|موافق|أوافق|قبول|رفض|"
        r"إعدادات (ملفات تعريف الارتباط|الكوكيز|الخصوصية))){0,4}$)",
        max_chars=400,
    ),
    _rule("advertisement", r"^(advertisement|sponsored|ad|إعلان|اعلان|محتوى ممول)$"),
    _rule("comments", r"^(\d+ )?(comments?|leave a (comment|reply)|التعليقات|أضف تعليق)$"),
    _rule(
        "comment-policy",
        r"^(.{0,80}\b(the )?(views|opinions|comments) expressed (below|here|in (the|these) "
        r"comments)|.{0,60}\bwelcomes? (lively|open|respectful) (debate|discussion)|"
        r".{0,40}الآراء الواردة (أدناه|في التعليقات)|.{0,40}التعليقات (المنشورة )?لا تعبر عن|"
        r"ترحب .{0,40} بالنقاش).{0,300}$",
        max_chars=400,
    ),
    _rule(
        "reprint-notice",
        r"^(this (article|story|content|material) (is the (copyrighted )?property of|"
        r"may not be (re)?(published|reproduced|distributed|broadcast))|"
        r"written permission (must|is required)|no part of this (article|publication)|"
        r"(يمنع|يُمنع|لا يجوز) (إعادة )?(نشر|النشر|نسخ|اقتباس)).{0,200}$",
        max_chars=260,
    ),
    _rule(
        "app-prompt",
        r"^((for .{0,60}\s)?(download|get|install) (the|our) .{0,40}\bapps?"
        r"( (for|on) (ios|android|iphone|the app store|google play).{0,40})?|"
        r"(حمّل|حمل|نزّل|نزل|حمّلوا|حملوا) تطبيق .{0,60})[.!]?$",
        max_chars=200,
    ),
    _rule(
        "paywall",
        r"^(subscribe (now |today )?(to|for) (our|the) .{0,60}"
        r"(edition|e-?paper|subscription|full story|unlimited access).{0,60}|"
        r"(to (continue|keep) reading|this (article|content|story) is (only )?(for|available to) "
        r"(subscribers|members|premium)).{0,120}|"
        r"(هذا المحتوى|هذه المادة|هذا المقال) (متاح|متاحة) (للمشتركين|للأعضاء) فقط.{0,60})$",
        max_chars=220,
    ),
    _rule(
        "tags-label",
        r"^(tags|topics|keywords|filed under|الوسوم|وسوم|كلمات مفتاحية|الكلمات المفتاحية|"
        r"كلمات دلالية)\s*([:：]\s*.{0,150})?$",
        max_chars=170,
    ),
    _rule("our-standards", r"^our standards\s*:.{0,80}$"),
    _rule(
        "font-size",
        # The text-size buttons: "A A A", "A+ A-", "Font size: A+ A A-", "تكبير الخط تصغير الخط".
        r"^(((font|text) size|حجم الخط|حجم النص)\s*[:：]?\s*)?"
        r"[aأ][+\-−]?((\s+|(?<=[+\-−]))[aأ][+\-−]?){1,3}$|"
        r"^((font|text) size|حجم الخط|حجم النص)\s*[:：]?(\s*[+\-−]){0,3}$|"
        r"^(((increase|decrease|reset|enlarge|reduce) (the )?(font|text)( size)?|"
        r"(تكبير|تصغير|إعادة ضبط|إعادة) (حجم )?(الخط|النص))[\s|/·•]*){1,3}$",
        max_chars=60,
    ),
    _rule(
        "reading-time",
        # "5 min read", "Reading time: 4 minutes", "٣ دقائق للقراءة", "وقت القراءة: 3 دقائق";
        # a sentence that counts minutes of reading has more words than the label.
        r"^((estimated )?reading time\s*[:：]?\s*(about |less than |under )?"
        r"([0-9]+|an?|one)\s*(-\s*)?(min|mins|minutes?)\.?|"
        r"(about |less than |under )?([0-9]+|an?|one)\s*(-\s*)?(min|mins|minutes?)\.?\s+"
        r"(read|reading|to read|of reading)|"
        r"((الوقت المقدر لل|وقت ال|مدة ال|زمن ال)قراءة|قراءة)\s*[:：]?\s*(حوالي |أقل من )?"
        r"([0-9٠-٩]+\s*)?(دقيقة|دقائق|دقيقتان|دقيقتين|د)( واحدة)?|"
        r"([0-9٠-٩]+\s*)?(دقيقة|دقائق|دقيقتان|دقيقتين)( واحدة)?\s*(قراءة|للقراءة|لقراءة))\.?$",
        max_chars=50,
    ),
    _rule(
        "editor-signoff",
        # A wire agency's editors' initials at the end of a story, separated by slashes:
        # "H.Z/ A.A", "ح.ح / م.ش", "A. Sulaiman / R. Haddad". One name alone is a byline.
        r"^" + _INITIALS + r"(\s*/\s*" + _INITIALS + r"){1,3}$",
        max_chars=40,
    ),
    _rule(
        "feed-footer",
        # What WordPress SEO plugins append to every item of a feed (and so to text dumps
        # made from feeds): "The post <title> appeared first on <site>."
        r"^(the post .{1,250} appeared first on " + _SITE_NAME + r"|"
        r"ظهرت المقالة .{1,250} أولاً على .{1,100}|ظهر المقال .{1,250} أولاً على .{1,100})$",
        max_chars=400,
    ),
    # A template's slot left unfilled, as some pages ship it: "$$ARTICLEAD$$", "{{AD_SLOT}}".
    _rule(
        "placeholder",
        r"^(\$\$|\{\{|\[\[|%%)\s*[a-z][\w:.-]*\s*(\$\$|\}\}|\]\]|%%)$",
        max_chars=60,
    ),
    # A line of nothing but symbols: "***", "|", a stray byte-order mark.
    _rule("no-text", r"^[^\w]*$", max_chars=40),
    Rule(
        "byline",
        # "By Jane Doe and John Roe, Reuters": names are capitalised (case matters here,
        # so "By the numbers" and "By Monday, ..." stay); Arabic "بقلم" (by the pen of)
        # as it comes, the others ("كتب", wrote) only with a colon, a dash or a slash.
        re.compile(
            r"^(?i:by|written by|reporting by|words by)\s*:?\s+"
            r"(?:the\s)?[A-ZÀ-ÖØ-Þ][\w'’.-]*"
            r"(?:\s+(?:al-|el-|de |van |von )?[A-ZÀ-ÖØ-Þ][\w'’.-]*){0,3}"
            r"(?:\s*(?:,|and|&)\s*[A-ZÀ-ÖØ-Þ][\w'’.-]*(?:\s+[A-ZÀ-ÖØ-Þ][\w'’.-]*){0,3})*"
            r"(?:\s*[,|–—-]\s*[A-ZÀ-ÖØ-Þ][\w '’-]{1,40})?$|"
            r"^(بقلم\s*[:：/–-]?|(كتب|كتبت|إعداد|اعداد|تحرير)\s*[:：/–-])\s*[^.،؟!:\n]{2,50}$"
        ),
        max_chars=120,
    ),
)


@dataclass(frozen=True)
class Repair:
    """A fix inside a block: what ``pattern`` finds becomes ``replacement``."""

    name: str
    pattern: re.Pattern
    replacement: str
    # A character every match holds: text without it is left alone at no cost.
    needs: str

    def apply(self, text: str) -> str:
        return self.pattern.sub(self.replacement, text) if self.needs in text else text


TEXT_REPAIRS: tuple[Repair, ...] = (
    # Asterisks inside a lower-case (or uncased, as Arabic) word: "fata*lities", "ki**lled",
    # "الق*صف". Never between digits (5*3), at a word's edge (*Note), before a capital
    # ("**WRONG**Lorem"), nor German's gender star ("Lehrer*innen", "Beamt*in").
    Repair(
        "word-asterisks",
        re.compile(r"(?<=[^\W\d_A-ZÀ-ÖØ-Þ])\*+(?=[^\W\d_A-ZÀ-ÖØ-Þ])(?!in(nen)?\b)"),
        "",
        "*",
    ),
)


def repair_text(text: str) -> str:
    """The text with every repair applied."""
    for repair in TEXT_REPAIRS:
        text = repair.apply(text)
    return text


def repair_for(text: str) -> Repair | None:
    """The first repair that changes this text, if any."""
    return next((r for r in TEXT_REPAIRS if r.apply(text) != text), None)


# The footer of a feed item at the end of a plain-text summary (the "feed-footer" rule is
# the same footer as a paragraph of its own).
FEED_FOOTER_TAIL = re.compile(
    r"(?:^|(?<=[.!?؟…\]]))\s*(?:the post .{1,250}? appeared first on " + _SITE_NAME + r"|"
    r"ظهرت المقالة .{1,250}? أولاً على [^.]{1,100}|ظهر المقال .{1,250}? أولاً على [^.]{1,100})"
    r"\.?\s*$",
    re.IGNORECASE,
)


def generic_rule_for(text: str) -> Rule | None:
    """The first generic rule that makes this block cruft, if any."""
    for rule in GENERIC_RULES:
        if rule.matches(text):
            return rule
    return None
