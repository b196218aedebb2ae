"""Dates: parse what pages, feeds and URLs print, and sanity-check the result.

dateparser does the heavy lifting (a maintained parser of many languages and
relative words such as "منذ ساعتين"); hijridate converts Hijri dates (the
maintained successor of hijri-converter, on the Umm al-Qura calendar Saudi and
Gulf sites print). This module only prepares the text: Eastern Arabic and
Persian digits, the region's month names in all their families (tables below:
dateparser misses the Levantine, numbered and Maghreb ones), one month printed
in two names, the Hijri and Gregorian eras, ص/م, ordinal suffixes such as "May
6th". A year or a month alone is never a day.

A date keeps the publisher's own offset: the one the page or feed printed, else
the source's zone (its registry ``timezone``, else its country's), else none
(the time as printed, tagged :data:`AS_PRINTED`); a printed day without a time
is tagged :data:`DAY_ONLY`. :func:`iso` gives the UTC form the archive sorts by
(``published``), :func:`local_iso` the publisher's (``published_local``, whose
first ten characters are the publisher's day) and :func:`offset_note` says in
``date_notes`` where the offset came from.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import datetime, time, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

from archive import clock
from archive.arabic import fold

EARLIEST = datetime(1990, 1, 1, tzinfo=timezone.utc)
# Pages, feeds and sitemaps may disagree by a time zone or an editing pass.
_AGREEMENT = timedelta(days=1)

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_ORDINAL = re.compile(r"\b(\d{1,2})(st|nd|rd|th)\b", re.IGNORECASE)
# A URL's full date in its common shapes: /2020/11/23/, /2020-11-23-slug, /20201123/.
# A year or a month alone is not a publication day, so no shape without the day.
_URL_DATES = (
    re.compile(r"/((?:19|20)\d{2})[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?:/|$|-)"),
    re.compile(r"/((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?!\d)"),
)
_MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
# ... and with the month's English name: /2023/october/03/, /2023/oct/03/.
_URL_NAMED_DATE = re.compile(
    r"/((?:19|20)\d{2})/([a-z]{3,9})/(0?[1-9]|[12]\d|3[01])(?:/|$|-)", re.IGNORECASE
)
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?\s?(Z|[+-]\d{2}:?\d{2})?$")
_ZONE_GAP = re.compile(r"\s(?=(Z|[+-]\d{2}:?\d{2})$)")

# The region's month names and zones are data: date_names.toml beside this module.
_NAMES = tomllib.loads(Path(__file__).with_name("date_names.toml").read_text(encoding="utf-8"))
# The Gregorian month names the region prints (every family) -> the English month.
_ARABIC_MONTHS = {
    name: month for family in _NAMES["gregorian_months"].values() for name, month in family.items()
}
# The Hijri (Islamic) months, numbered; dates in them are converted by hijridate.
_HIJRI_MONTHS = _NAMES["hijri_months"]


def _alternation(names) -> str:
    """A regex matching any of ``names`` (folded) as whole words, longest first, so
    "كانون الثاني" is not read as "كانون 2" and "مايو" not as "ماي"."""
    folded = sorted({fold(n) for n in names}, key=len, reverse=True)
    return r"(?<!\w)(" + "|".join(map(re.escape, folded)) + r")(?!\w)"


_MONTH_BY_FOLDED = {fold(name): english for name, english in _ARABIC_MONTHS.items()}
_ARABIC_MONTH = re.compile(_alternation(_ARABIC_MONTHS))
_HIJRI_MONTH_BY_FOLDED = {fold(name): number for name, number in _HIJRI_MONTHS.items()}
# "٢٣ جمادى الآخرة ١٤٤٧ هـ": day, month, year, and the Hijri era mark (هـ) if printed.
_HIJRI_DATE = re.compile(
    r"(?<!\d)(\d{1,2})\s+" + _alternation(_HIJRI_MONTHS) + r"\s+(1[34]\d{2})(?!\d)(\s*ه(?!\w))?"
)
_ENGLISH_MONTH = (
    "(January|February|March|April|May|June|July|August|September|October|November|December)"
)
# One month in two names, "كانون الأول/ديسمبر" or "كانون الأول (ديسمبر)", once turned English.
_DUAL_MONTH = re.compile(_ENGLISH_MONTH + r"\s*[/(]\s*\1\s*\)?")
# "١٤ ديسمبر ٢٠٢٥ مـ": the Gregorian era mark after a year, not p.m.
_GREGORIAN_ERA = re.compile(r"(?<=\d{4})\s*م(?!\w)")
_ARABIC_SCRIPT = re.compile("[\u0600-\u06ff]")
# "Posted on April 21, 2015, at 11:29 a.m.": the words around a printed date.
_ENGLISH_WORDS = re.compile(
    r"\b(posted|published|updated|last updated|first published|modified|on|at|by)\b\s*:?",
    re.IGNORECASE,
)
_MERIDIEM_DOTS = re.compile(r"\b([ap])\.\s?m\.?(?!\w)", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)(19|20)\d{2}(?!\d)")
_CLOCK = re.compile(r"\d{1,2}\s*[:.]\s*\d{2}")
_ARABIC_WORDS = re.compile(
    fold(
        r"(الأحد|الاثنين|الإثنين|الثلاثاء|الأربعاء|الخميس|الجمعة|السبت|يوم|"
        r"بتاريخ|نشر في|تاريخ النشر|آخر تحديث|الساعة|[،,:\-–]\s*$)"
    )
)
# ص / م after a time: a.m. / p.m.
_ARABIC_MERIDIEM = {
    fold(k): v for k, v in {"صباحاً": "AM", "ص": "AM", "مساءً": "PM", "م": "PM"}.items()
}
_ARABIC_MERIDIEM_AFTER_TIME = re.compile(
    r"(?<=\d)\s*(" + "|".join(sorted(_ARABIC_MERIDIEM, key=len, reverse=True)) + r")(?!\w)"
)
# A printed year or month alone ("2024", "أيار 2024") is not a publication day.
# RETURN_TIME_AS_PERIOD: how precise the text was ("3 weeks ago" is a week, not a day).
_SETTINGS = {
    "RETURN_AS_TIMEZONE_AWARE": True,
    "REQUIRE_PARTS": ["day", "month"],
    "RETURN_TIME_AS_PERIOD": True,
}


# Where a source's pages print local times without a zone.
_COUNTRY_TZ = _NAMES["country_zones"]


# A time printed without an offset, where the source's zone is unknown: the time as
# given, read as UTC only to sort it. A day printed without a time (a URL's date, a
# printed day): that day, at midnight. Both are UTC to arithmetic and comparisons
# (timezone equality is by offset); they are told apart by identity.
AS_PRINTED = timezone(timedelta(0), "offset unknown")
DAY_ONLY = timezone(timedelta(0), "day only")


def country_timezone(country: str | None) -> tzinfo:
    """The time zone of a source's country (UTC when unknown or without tz data)."""
    return source_zone(None, country) or timezone.utc


def source_zone(name: str | None, country: str | None = None) -> ZoneInfo | None:
    """Where a source's pages print local times without an offset: its registry's
    ``timezone`` (an IANA name such as "Asia/Damascus"), else its country's zone,
    else None (unknown)."""
    for zone in (name, _COUNTRY_TZ.get((country or "").upper())):
        if zone:
            try:
                return ZoneInfo(zone)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return None


def to_utc(value: datetime, default_tz: tzinfo = timezone.utc) -> datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=default_tz)
    return value.astimezone(timezone.utc)


def iso(value: datetime | None) -> str | None:
    """ISO 8601 in UTC with seconds, e.g. 2024-05-06T07:00:00+00:00."""
    return to_utc(value).replace(microsecond=0).isoformat() if value else None


def local_iso(value: datetime | None) -> str | None:
    """ISO 8601 with the publisher's offset, e.g. 2024-12-08T00:30:00+03:00; the time as
    printed without an offset when that was unknown (:data:`AS_PRINTED`), the day alone
    for a day without a time (:data:`DAY_ONLY`). Its first ten characters are the
    publisher's day."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=AS_PRINTED)
    if value.tzinfo is DAY_ONLY:
        return value.date().isoformat()
    if value.tzinfo is AS_PRINTED:
        return value.replace(tzinfo=None, microsecond=0).isoformat()
    offset = value.utcoffset() or timedelta(0)
    return value.astimezone(timezone(offset)).replace(microsecond=0).isoformat()


def offset_note(value: datetime | None) -> str | None:
    """What decided the publisher's day beside the date itself, for ``date_notes``."""
    if value is None:
        return None
    if value.tzinfo is DAY_ONLY:
        return "a day without a time"
    if value.tzinfo is AS_PRINTED or value.tzinfo is None:
        return "offset unknown: the time as printed"
    offset = local_iso(value)[19:]
    if isinstance(value.tzinfo, ZoneInfo):
        return f"offset {offset} from the source's zone {value.tzinfo.key}"
    return f"offset {offset} as printed"


def _keep_offset(value: datetime, default_tz: tzinfo | None) -> datetime:
    """A parsed time in the publisher's offset: its own when printed (a fixed offset),
    else the source's zone, else :data:`AS_PRINTED`."""
    if value.tzinfo is None:
        return value.replace(tzinfo=default_tz or AS_PRINTED)
    return value.astimezone(timezone(value.utcoffset() or timedelta(0)))


def parse_date(
    text: str | None,
    *,
    languages: list[str] | None = None,
    default_tz: tzinfo | None = None,
    relative_to: datetime | None = None,
) -> datetime | None:
    """Parse a date as pages print it, in any of the forms this region's sites use.

    The result keeps the publisher's offset (see the module's docstring): the one
    printed, else ``default_tz`` (the source's zone, see :func:`source_zone`), else
    :data:`AS_PRINTED`; a day without a time is :data:`DAY_ONLY`. Relative dates
    ("منذ ساعتين", "2 hours ago") count from ``relative_to``, the time the page was
    fetched, never from today.
    """
    if not text or not text.strip():
        return None
    # Arabic letters or Eastern Arabic / Persian digits: the region's day-first forms.
    arabic = bool(_ARABIC_SCRIPT.search(text))
    text = text.strip().translate(_DIGITS)
    if _ISO.match(text):
        try:
            value = datetime.fromisoformat(_ZONE_GAP.sub("", text).replace("Z", "+00:00"))
        except ValueError:
            pass
        else:  # a bare day is that day, not the evening before in UTC
            return (
                value.replace(tzinfo=DAY_ONLY)
                if len(text) == 10
                else _keep_offset(value, default_tz)
            )
    try:  # RFC 822, as in RSS pubDate and HTTP headers
        return _keep_offset(parsedate_to_datetime(text), default_tz)
    except (TypeError, ValueError, IndexError):
        pass
    text = _ORDINAL.sub(r"\1", text)
    settings = dict(_SETTINGS)
    if arabic:
        settings["DATE_ORDER"] = "DMY"  # 12/05/2024 is 12 May in Arabic-speaking countries
        text = _gregorian_arabic(text)
        if text is None:
            return None
    text = _ENGLISH_WORDS.sub(" ", text)
    text = _MERIDIEM_DOTS.sub(lambda m: m.group(1).upper() + "M", text)
    text = re.sub(r"\s+", " ", text.replace("،", ",")).strip(" ,:-–|")
    zone = default_tz or timezone.utc
    if relative_to is not None and not _YEAR.search(text):
        # Only for text without a year ("2 hours ago"): a new RELATIVE_BASE is a new
        # settings object to dateparser, which then rebuilds its parsers (~0.1 s a call).
        settings["RELATIVE_BASE"] = relative_to.astimezone(zone).replace(tzinfo=None)
    settings["TIMEZONE"] = str(zone)  # dateparser's default is the machine's zone
    # Imported here, on first use: the ISO and RFC 822 times of feeds and sitemaps need
    # neither, and they are all the crawl process reads (its start-up).
    from dateparser.date import DateDataParser
    from dateparser.timezone_parser import pop_tz_offset_from_string

    if languages:
        # The page's language, and English for the Arabic month names turned English
        # above: trying all of dateparser's 200 languages costs ~1 s on some texts.
        languages = [lang for lang in dict.fromkeys([*languages, "en"]) if _known(lang)]
    try:
        found = DateDataParser(languages=languages or None, settings=settings).get_date_data(text)
    except (ValueError, OverflowError):  # dateparser raises on some nonsense
        return None
    parsed = found.date_obj
    # "3 weeks ago", "2 months ago": a week or a month back from the fetch, not a day.
    if parsed is None or found.period not in ("day", "time"):
        return None
    if parsed.time() == time(0) and not _CLOCK.search(text):
        # A printed day without a time: that day, not the evening before in UTC.
        return datetime(parsed.year, parsed.month, parsed.day, tzinfo=DAY_ONLY)
    # dateparser gives the time in TIMEZONE: back to the offset the text printed, if any.
    printed = pop_tz_offset_from_string(text)[1]
    if printed is not None:
        return _keep_offset(parsed.astimezone(printed), None)
    return parsed.replace(tzinfo=default_tz or AS_PRINTED)


# A day with its year first (Highwire's "2019/1/22"): no order of day and month to guess.
_YEAR_FIRST = re.compile(r"^(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}(?:$|[T ])")


def machine_readable(text: str | None) -> bool:
    """Whether a declared date is in a form made for machines (ISO 8601, as schema.org,
    Open Graph and HTML ask; or RFC 822), not words or digits in some order ("Jun 24,
    2025", "01/07/16") that a template printed into the metadata."""
    text = (text or "").strip().translate(_DIGITS)
    if _ISO.match(text) or _YEAR_FIRST.match(text):
        return True
    try:
        parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return False
    return True


def _gregorian_arabic(text: str) -> str | None:
    """Arabic date text with its month names in English, its Hijri date converted (or
    dropped where the line prints the Gregorian day too, as Asharq Al-Awsat does), and
    ص/م as AM/PM; None for a Hijri date that does not exist."""
    text = re.sub(r"\s+", " ", fold(text))
    hijri = _HIJRI_DATE.search(text)
    if hijri:
        rest = text[: hijri.start()] + " " + text[hijri.end() :]
        if _YEAR.search(rest):  # "الأحد - ٢٣ جمادى الآخرة ١٤٤٧ هـ - ١٤ ديسمبر ٢٠٢٥ مـ"
            text = rest
        else:
            from hijridate import Hijri  # on first use, as dateparser (parse_date)

            day, month, year = hijri.group(1), hijri.group(2), hijri.group(3)
            try:
                gregorian = Hijri(int(year), _HIJRI_MONTH_BY_FOLDED[month], int(day)).to_gregorian()
            except (ValueError, OverflowError):  # outside Umm al-Qura's table, or no such day
                return None
            text = f"{text[: hijri.start()]} {gregorian.isoformat()} {text[hijri.end() :]}"
    text = _ARABIC_MONTH.sub(lambda m: " " + _MONTH_BY_FOLDED[m.group(1)] + " ", text)
    text = _DUAL_MONTH.sub(r"\1", text)
    text = _GREGORIAN_ERA.sub(" ", text)
    text = _ARABIC_WORDS.sub(" ", text)
    return _ARABIC_MERIDIEM_AFTER_TIME.sub(lambda m: " " + _ARABIC_MERIDIEM[m.group(1)], text)


@lru_cache(maxsize=256)  # asked for every printed date of every page
def _known(language: str) -> bool:
    """Whether dateparser has this language (it raises on unknown codes). Read from its
    list of languages, not by parsing with it: a parse with its default settings builds
    parsers of its own (0.18 s in the extraction workers' server, before a crawl's
    first page)."""
    from dateparser.data.languages_info import language_order

    return language in language_order


def _month_number(name: str | None) -> int:
    """1-12 for an English month's name or its abbreviation of 3 letters or more ("oct",
    "Sept", "october"); 0 for any other word."""
    name = (name or "").lower()
    if len(name) < 3:
        return 0
    return next((i for i, month in enumerate(_MONTH_NAMES, 1) if month.startswith(name)), 0)


def date_from_url(url: str) -> datetime | None:
    """The full date an article URL carries (/2020/11/23/, /2020-11-23-slug, /20201123/,
    /2023/october/03/)."""
    for shape in (*_URL_DATES, _URL_NAMED_DATE):
        match = shape.search(url)
        if match:
            year, month, day = match.groups()
            month = int(month) if month.isdigit() else _month_number(month)
            if not month:
                continue  # /2023/news/03/: not a month
            year, day = int(year), int(day)
            try:
                return datetime(year, month, day, tzinfo=DAY_ONLY)
            except ValueError:  # 31 February
                return None
    return None


def plausible(value: datetime | None, now: datetime) -> bool:
    """Nothing before 1990, nothing in the future (a day of clock skew allowed)."""
    return value is not None and EARLIEST <= value <= now + _AGREEMENT


# Guesses, not declarations: a date found in the page's text by htmldate or printed
# near the title. Old themes print "today" in their header, which is the crawl date.
WEAK_ORIGINS = frozenset({"extractor", "printed"})
# htmldate (trafilatura's date finder) makes a day of a year or a month alone (a
# copyright line, "/2024/05/" in the URL): 1 January, or the 1st, with no time.
PADDING_ORIGINS = frozenset({"extractor"})


# The zones furthest from UTC: a local day runs from 14 h before its UTC day (Kiribati)
# to 12 h after it.
_EAST_MOST, _WEST_MOST = timedelta(hours=14), timedelta(hours=12)
# Where a day is printed as the publisher sees it: the URL's date, the date near the title.
DAY_ORIGINS = frozenset({"url", "printed"})
# A day printed in words or digits: "September 1st, 2023", "1 Feb 2022", "2022-02-01",
# "01/02/2022" (groups: month named before the day, the day, month named after it, year).
_PRINTED_DAY = re.compile(
    r"(?:\b([a-z]{3,9})\.?\s+)?(?<!\d)(\d{1,2})(?:st|nd|rd|th)?\b(?:\s+(?:of\s+)?([a-z]{3,9})\.?)?"
    r",?\s+((?:19|20)\d{2})(?!\d)",
    re.IGNORECASE,
)


# A day as pages print it inside a longer line ("Chirag Bhardwaj November 14, 2025",
# "December 3, 2025. Updated: December 7, 2025"): the month named before or after the
# day, or digits with the year first or last.
_DAY_PHRASE = re.compile(
    r"(?<!\w)(?:"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]{0,6}\.?\s+\d{1,2}"
    r"(?:st|nd|rd|th)?,?\s+(?:19|20)\d{2}"
    r"|\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)"
    r"[a-z]{0,6}\.?,?\s+(?:19|20)\d{2}"
    r"|(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}(?:T\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?"
    r"|\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)?\d{2}"
    r")(?!\w)",
    re.IGNORECASE,
)


def day_phrases(text: str) -> list[str]:
    """The days a line prints in the usual English and numeric shapes, in its order."""
    return _DAY_PHRASE.findall(text)


def _in_utc(value: datetime) -> bool:
    """A time printed with the offset +00:00 or Z (not a day alone, nor a source's zone)."""
    return (
        value.tzinfo is not None
        and value.tzinfo is not DAY_ONLY  # timezones compare equal by offset: identity
        and value.tzinfo is not AS_PRINTED
        and not isinstance(value.tzinfo, ZoneInfo)
        and value.utcoffset() == timedelta(0)
    )


def prints_day(text: str | None, value: datetime) -> bool:
    """Whether ``text`` prints ``value``'s day in full (its day, month and year), in
    English words ("August 1, 2025", "1st Feb 2022") or digits ("2022-02-01", "01/02/2022",
    either order), not only its month and year."""
    if not text:
        return False
    day, month, year = value.day, value.month, value.year
    numeric = (
        rf"(?<!\d){year}[-/.]0?{month}[-/.]0?{day}(?!\d)",
        rf"(?<!\d)0?{day}[-/.]0?{month}[-/.]{year}(?!\d)",
        rf"(?<!\d)0?{month}[-/.]0?{day}[-/.]{year}(?!\d)",
    )
    if any(re.search(shape, text) for shape in numeric):
        return True
    for match in _PRINTED_DAY.finditer(text):
        if int(match.group(2)) == day and int(match.group(4)) == year:
            if month in (_month_number(match.group(1)), _month_number(match.group(3))):
                return True
    return False


def choose_published(
    candidates: Mapping[str, datetime | Callable[[], datetime | None] | None],
    now: datetime | None = None,
    *,
    weak: frozenset[str] = WEAK_ORIGINS,
    page_text: str | Callable[[], str] | None = None,
) -> tuple[datetime | None, str | None]:
    """Pick the publication time from ordered candidates (page first, then feed, ...).

    ``now`` is the crawl time. Returns the chosen time and a note saying which
    candidate decided it and where its offset came from ("from page, offset +03:00
    as printed"; :func:`offset_note`) and listing rejected or disagreeing ones
    (None when there was no candidate at all). Nothing before 1990 or after the
    crawl (a day of clock skew allowed) is taken; the crawl time is never used as
    a publication time (a guessed, ``weak``, date within a day of the crawl is
    rejected), nor is a year or month alone padded to a day (a 1st of the month from
    the extractor stands only where ``page_text``, the page's text, prints that day; a
    function giving it is called only then).
    A time declared in UTC whose day differs from the day the URL or the page prints
    (within a day of it) gives way to that day: the publisher's, in its own zone.
    A candidate given as a function (costly to read) is read only where it can decide:
    when nothing is chosen yet, or a day may replace a time chosen in UTC.
    """
    now = now or clock.now()
    notes: list[str] = []
    chosen: datetime | None = None
    chosen_from = ""
    for origin, value in candidates.items():
        if callable(value):
            may_decide = chosen is None or (
                origin in DAY_ORIGINS and chosen_from not in DAY_ORIGINS and _in_utc(chosen)
            )
            value = value() if may_decide else None
        if value is None:
            continue
        if not plausible(value, now):
            notes.append(f"{origin} {iso(value)} rejected (before 1990 or in the future)")
            continue
        if origin in weak and abs(now - value) <= _AGREEMENT:
            notes.append(f"{origin} {iso(value)} rejected (the crawl time, not a publication)")
            continue
        if (
            origin in PADDING_ORIGINS
            and value.day == 1
            and value.time() == time(0)
            and not prints_day(page_text() if callable(page_text) else page_text, value)
        ):
            notes.append(f"{origin} {iso(value)} rejected (a year or month alone, not a day)")
            continue
        if chosen is None:
            chosen, chosen_from = value, origin
        elif (
            origin in DAY_ORIGINS
            and chosen_from not in DAY_ORIGINS
            and value.tzinfo is DAY_ONLY
            and _in_utc(chosen)
            and value.date() != chosen.date()
            and value - _EAST_MOST <= chosen < value + timedelta(days=1) + _WEST_MOST
        ):
            # Many CMSs (WordPress, Shopify) declare their times in UTC: 02:41 UTC on the
            # 19th is the 18th in New York, the day its URL and its page print.
            notes.append(f"{chosen_from} {iso(chosen)} is UTC's day, not the publisher's")
            chosen, chosen_from = value, origin
        elif abs(value - chosen) > _AGREEMENT:
            notes.append(f"{origin} {iso(value)} disagrees with {chosen_from} {iso(chosen)}")
    if chosen is not None:
        notes.insert(0, f"from {chosen_from}, {offset_note(chosen)}")
    return chosen, "; ".join(notes) or None
