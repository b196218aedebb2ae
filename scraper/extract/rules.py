"""Generic cruft rules, English and Arabic: what sites add around a story.

Each rule matches a WHOLE block (a paragraph, a list item line or a heading)
and carries a length cap, so a sentence of the story that merely mentions
"cookies" or "share" is never removed. Every rule has a fixture in
tests/fixtures/cruft/ showing a page that needs it and the clean result.
Per-source rules from the registry (scraper/sources.toml) run next to these.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SOCIAL = (
    r"facebook|twitter|x|whatsapp|telegram|linkedin|email|e-mail|print|pinterest|reddit|"
    r"copy link|messenger|فيسبوك|تويتر|واتساب|تلغرام|تيليغرام|طباعة|بريد إلكتروني"
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
        r"تابعونا على .{0,40}|تابعوا .{0,30} على .{0,40}|"
        r"(join|subscribe to) our (telegram|whatsapp) (channel|group))[.!:]?$",
    ),
    _rule(
        "newsletter",
        r"^((subscribe|sign up|signup|register)( now)?( to| for)? (our|the|to our) "
        r"(free )?(daily |weekly )?(newsletter|briefing|mailing list)|"
        r"get (our|the) .{0,40} newsletter|enter your e-?mail( address)?|"
        r"اشترك في (النشرة|نشرتنا)|اشترك الآن|سجل في النشرة).{0,120}$",
        max_chars=220,
    ),
    _rule(
        "read-also",
        r"^(read (also|more)|see also|also read|related( articles| posts| stories| news)?|"
        r"more (from|on) this|you may also like|recommended( for you)?|most read|"
        # "أيضاً", "أيضًا" (tanween before the alef, as many sites write it) and "ايضا"
        r"[اإ]قرأ [أا]يض(?:اً|ًا|ا)|اقرأ المزيد|"
        r"مواضيع ذات صلة|أخبار ذات صلة|مقالات ذات صلة|شاهد [أا]يض(?:اً|ًا|ا)|الأكثر قراءة)"
        r"\s*[:：\-–]?(\s.{0,150})?$",
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
        r"^[(\[]?(afp|reuters|ap|getty images|anadolu|epa)( photo| via getty images)?"
        r"([/ ].{0,40})?[)\]]?$",
        max_chars=60,
    ),
    _rule(
        "copyright",
        r"^((©|\(c\)|copyright)\s*(\d{4}\s*)?.{0,150}|.{0,120}all rights reserved\.?|"
        r".{0,100}جميع الحقوق محفوظة.{0,60})$",
        max_chars=200,
    ),
    _rule(
        "cookie-notice",
        r"(we use cookies|this (web)?site uses cookies|cookie policy|accept (all )?cookies|"
        r"by continuing to (use|browse) (this|our) (site|website)|ملفات تعريف الارتباط|"
        r"الكوكيز)",
        max_chars=400,
    ),
    _rule("advertisement", r"^(advertisement|sponsored|ad|إعلان|اعلان|محتوى ممول)$"),
    _rule("comments", r"^(\d+ )?(comments?|leave a (comment|reply)|التعليقات|أضف تعليق)$"),
)


def generic_rule_for(text: str) -> Rule | None:
    """The first generic rule that makes this block cruft, if any."""
    for rule in GENERIC_RULES:
        if rule.matches(text):
            return rule
    return None
