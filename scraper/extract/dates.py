"""Dates: parse what pages, feeds and URLs print, and sanity-check the result.

dateparser does the heavy lifting (it knows Arabic month names, both the
Levantine "أيار" and the Egyptian "مايو" families, and relative words); this
module only prepares the text (Eastern Arabic digits, ordinal suffixes such as
"May 6th") and turns everything into UTC ISO 8601 strings.
"""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import dateparser

from archive import clock

EARLIEST = datetime(1990, 1, 1, tzinfo=timezone.utc)
# Pages, feeds and sitemaps may disagree by a time zone or an editing pass.
_AGREEMENT = timedelta(days=1)

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_ORDINAL = re.compile(r"\b(\d{1,2})(st|nd|rd|th)\b", re.IGNORECASE)
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?:/|$|-)")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?\s?(Z|[+-]\d{2}:?\d{2})?$")
_ZONE_GAP = re.compile(r"\s(?=(Z|[+-]\d{2}:?\d{2})$)")
# Month names in both Arabic families (Levantine/Iraqi and Egyptian/Gulf), longest
# first so "كانون الثاني" is not read as "كانون". dateparser misses the Levantine ones.
_ARABIC_MONTHS = {
    "كانون الثاني": "January",
    "شباط": "February",
    "آذار": "March",
    "اذار": "March",
    "نيسان": "April",
    "أيار": "May",
    "ايار": "May",
    "حزيران": "June",
    "تموز": "July",
    "آب": "August",
    "اب": "August",
    "أيلول": "September",
    "ايلول": "September",
    "تشرين الأول": "October",
    "تشرين الاول": "October",
    "تشرين الثاني": "November",
    "كانون الأول": "December",
    "كانون الاول": "December",
    "يناير": "January",
    "فبراير": "February",
    "مارس": "March",
    "أبريل": "April",
    "ابريل": "April",
    "إبريل": "April",
    "مايو": "May",
    "يونيو": "June",
    "يونيه": "June",
    "يوليو": "July",
    "يوليه": "July",
    "أغسطس": "August",
    "اغسطس": "August",
    "سبتمبر": "September",
    "أكتوبر": "October",
    "اكتوبر": "October",
    "نوفمبر": "November",
    "ديسمبر": "December",
}
_ARABIC_LETTER = re.compile("[\u0600-\u06ff]")
# "Posted on April 21, 2015, at 11:29 a.m.": the words around a printed date.
_ENGLISH_WORDS = re.compile(
    r"\b(posted|published|updated|last updated|first published|modified|on|at|by)\b\s*:?",
    re.IGNORECASE,
)
_MERIDIEM_DOTS = re.compile(r"\b([ap])\.\s?m\.?(?!\w)", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)(19|20)\d{2}(?!\d)")
_CLOCK = re.compile(r"\d{1,2}\s*[:.]\s*\d{2}")
_ARABIC_MONTH = re.compile("|".join(sorted(map(re.escape, _ARABIC_MONTHS), key=len, reverse=True)))
_ARABIC_WORDS = re.compile(
    r"(الأحد|الاثنين|الإثنين|الثلاثاء|الأربعاء|الاربعاء|الخميس|الجمعة|السبت|يوم|"
    r"بتاريخ|نشر في|تاريخ النشر|آخر تحديث|الساعة|[،,:\-–]\s*$)"
)
_ARABIC_MERIDIEM = {"صباحاً": "AM", "صباحا": "AM", "ص": "AM", "مساءً": "PM", "مساء": "PM", "م": "PM"}
_SETTINGS = {"RETURN_AS_TIMEZONE_AWARE": True, "PREFER_DAY_OF_MONTH": "first"}


# Where a source's pages print local times without a zone.
_COUNTRY_TZ = {
    "SY": "Asia/Damascus",
    "LB": "Asia/Beirut",
    "IQ": "Asia/Baghdad",
    "JO": "Asia/Amman",
    "TR": "Europe/Istanbul",
    "PS": "Asia/Gaza",
    "IL": "Asia/Jerusalem",
    "EG": "Africa/Cairo",
    "SA": "Asia/Riyadh",
    "AE": "Asia/Dubai",
    "QA": "Asia/Qatar",
    "GB": "Europe/London",
}


def country_timezone(country: str | None) -> tzinfo:
    """The time zone of a source's country (UTC when unknown or without tz data)."""
    name = _COUNTRY_TZ.get((country or "").upper())
    if not name:
        return timezone.utc
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return timezone.utc


def to_utc(value: datetime, default_tz: tzinfo = timezone.utc) -> datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=default_tz)
    return value.astimezone(timezone.utc)


def iso(value: datetime | None) -> str | None:
    """ISO 8601 in UTC with seconds, e.g. 2024-05-06T07:00:00+00:00."""
    return to_utc(value).replace(microsecond=0).isoformat() if value else None


def parse_date(
    text: str | None,
    *,
    languages: list[str] | None = None,
    default_tz: tzinfo = timezone.utc,
    relative_to: datetime | None = None,
) -> datetime | None:
    """Parse a date as pages print it, in any of the forms this region's sites use.

    A date without a zone is in ``default_tz`` (the source's country, see
    :func:`country_timezone`); relative dates ("منذ ساعتين", "2 hours ago") count
    from ``relative_to``, the time the page was fetched, never from today.
    """
    if not text or not text.strip():
        return None
    text = text.strip().translate(_DIGITS)
    if _ISO.match(text):
        try:
            value = datetime.fromisoformat(_ZONE_GAP.sub("", text).replace("Z", "+00:00"))
        except ValueError:
            pass
        else:  # a bare day is that day, not the evening before in UTC
            return to_utc(value, timezone.utc if len(text) == 10 else default_tz)
    try:  # RFC 822, as in RSS pubDate and HTTP headers
        return to_utc(parsedate_to_datetime(text), default_tz)
    except (TypeError, ValueError, IndexError):
        pass
    text = _ORDINAL.sub(r"\1", text)
    settings = dict(_SETTINGS)
    if _ARABIC_LETTER.search(text):
        settings["DATE_ORDER"] = "DMY"  # 12/05/2024 is 12 May in Arabic-speaking countries
        text = _ARABIC_MONTH.sub(lambda m: " " + _ARABIC_MONTHS[m.group(0)] + " ", text)
        text = _ARABIC_WORDS.sub(" ", text)
        text = re.sub(
            r"(?<=\d)\s*(" + "|".join(_ARABIC_MERIDIEM) + r")(?=\s|$)",
            lambda m: " " + _ARABIC_MERIDIEM[m.group(1)],
            text,
        )
    text = _ENGLISH_WORDS.sub(" ", text)
    text = _MERIDIEM_DOTS.sub(lambda m: m.group(1).upper() + "M", text)
    text = re.sub(r"\s+", " ", text.replace("،", ",")).strip(" ,:-–|")
    if relative_to is not None and not _YEAR.search(text):
        # Only for text without a year ("2 hours ago"): a new RELATIVE_BASE is a new
        # settings object to dateparser, which then rebuilds its parsers (~0.1 s a call).
        settings["RELATIVE_BASE"] = relative_to.astimezone(default_tz).replace(tzinfo=None)
    settings["TIMEZONE"] = str(default_tz)  # dateparser's default is the machine's zone
    if languages:
        # The page's language, and English for the Arabic month names turned English
        # above: trying all of dateparser's 200 languages costs ~1 s on some texts.
        languages = [lang for lang in dict.fromkeys([*languages, "en"]) if _known(lang)]
    try:
        parsed = dateparser.parse(text, languages=languages or None, settings=settings)
    except (ValueError, OverflowError):  # dateparser raises on some nonsense
        return None
    if parsed is None:
        return None
    if parsed.time() == time(0) and not _CLOCK.search(text):
        # A printed day without a time: that day, not the evening before in UTC.
        return datetime(parsed.year, parsed.month, parsed.day, tzinfo=timezone.utc)
    return to_utc(parsed, default_tz)


@lru_cache(maxsize=256)
def _known(language: str) -> bool:
    """Whether dateparser has this language (it raises on unknown codes)."""
    try:
        dateparser.parse("2020", languages=[language])
    except ValueError:
        return False
    return True


def date_from_url(url: str) -> datetime | None:
    """A /2024/05/06/ style date in an article URL."""
    match = _URL_DATE.search(url)
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups())
    try:
        return datetime(year, month, day, tzinfo=timezone.utc)
    except ValueError:
        return None


def plausible(value: datetime | None, now: datetime) -> bool:
    """Nothing before 1990, nothing in the future (a day of clock skew allowed)."""
    return value is not None and EARLIEST <= value <= now + _AGREEMENT


# Guesses, not declarations: a date found in the page's text by htmldate or printed
# near the title. Old themes print "today" in their header, which is the crawl date.
WEAK_ORIGINS = frozenset({"extractor", "printed"})


def choose_published(
    candidates: dict[str, datetime | None],
    now: datetime | None = None,
    *,
    weak: frozenset[str] = WEAK_ORIGINS,
) -> tuple[datetime | None, str | None]:
    """Pick the publication time from ordered candidates (page first, then feed, ...).

    ``now`` is the crawl time. Returns the chosen time and a note listing
    rejected or disagreeing candidates, or None when they all agree. Nothing
    before 1990 or after the crawl (a day of clock skew allowed) is taken, and
    the crawl time is never used as a publication time: a guessed (``weak``)
    date within a day of the crawl is rejected.
    """
    now = now or clock.now()
    notes: list[str] = []
    chosen: datetime | None = None
    chosen_from = ""
    for origin, value in candidates.items():
        if value is None:
            continue
        if not plausible(value, now):
            notes.append(f"{origin} {iso(value)} rejected (before 1990 or in the future)")
            continue
        if origin in weak and abs(now - value) <= _AGREEMENT:
            notes.append(f"{origin} {iso(value)} rejected (the crawl time, not a publication)")
            continue
        if chosen is None:
            chosen, chosen_from = value, origin
        elif abs(value - chosen) > _AGREEMENT:
            notes.append(f"{origin} {iso(value)} disagrees with {chosen_from} {iso(chosen)}")
    return chosen, "; ".join(notes) or None
