"""What the story linker knows of one article, computed without the archive: its MinHash
signature, the names and numbers that survive translation (anchors), its title terms,
and the other articles its page names (hreflang, "translated from").

Made once per page in an extraction worker (:func:`features`), so the archive's writer
only stores them. The MinHash is datasketch's (version 2, its default "affine32"
permutations, seed 1), computed here in a few lines of NumPy: importing datasketch
imports SciPy for its LSH parameter search, 1.2 s and 60 MB in every extraction worker,
and tests/test_stories.py holds these signatures and the LSH bands to datasketch's own.
pyahocorasick finds the gazetteer's English names: one pass of a C automaton
over the text, where a regular expression of 345 alternatives tried each at every
position (0.7 ms an article, a sixth of what an extraction worker spends here).
"""

from __future__ import annotations

import dataclasses
import re
import zlib
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import ahocorasick
import numpy as np

from archive.arabic import fold
from archive.gazetteer import ENTRIES, WEIGHTS
from archive.hashes import shingles as text_shingles
from archive.hashes import words
from archive.urls import canonical_key

NUM_PERM = 64
# The Jaccard similarity at which LSH bands start to find a pair: a copy that
# keeps most of its original. Lower ones are found through the anchors.
LSH_THRESHOLD = 0.3
# datasketch's choice of bands and rows for that threshold (MinHashLSH(0.3, 64).b, .r),
# written out: datasketch imports SciPy to compute it, which would cost every process
# that merely opens an archive a second or two. tests/test_stories.py checks it.
BANDS, ROWS = 21, 3
MIN_SHINGLES = 8  # fewer 3-shingles than this: too short for content similarity
NUMBER_WEIGHTS = {"big": 2.5, "small": 0.8, "year": 0.5, "date": 2.0, "month": 1.0, "image": 3.0}


@dataclasses.dataclass
class StoryDoc:
    """What the story linker keeps of an article (a ``story_docs`` row)."""

    source: str
    language: str
    day: int  # proleptic Gregorian ordinal of the publication (or first-seen) day
    shingles: int
    signature: np.ndarray
    anchors: dict[str, float]
    title_terms: frozenset[str]
    original_source: str | None = None
    outlet: str = ""  # the source's id and name, matched against original_source
    image: str | None = None


# --- text features -------------------------------------------------------------------

_ARABIC_LETTERS = "\u0621-\u064a"
_STOP = frozenset(
    "the and for with from after into over that this are was were has have its his her "
    "their not but new says said amid more than about".split()
) | frozenset(fold(w) for w in "في من على إلى عن مع بعد خلال الذي التي هذا هذه أن".split())


def _permutations() -> tuple[np.ndarray, np.ndarray]:
    # datasketch.MinHash(num_perm=NUM_PERM, seed=1).permutations, scheme "affine32".
    generator = np.random.RandomState(1)
    a = generator.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    return a, generator.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)


_PERMUTE_A, _PERMUTE_B = _permutations()


def _signature(shingles: Iterable[bytes]) -> np.ndarray:
    # crc32 in C instead of datasketch's default SHA-1 per shingle: 5x faster, and a
    # 32-bit hash is what the permutations expect.
    hashes = np.fromiter((zlib.crc32(s) for s in shingles), dtype=np.uint32)
    if not hashes.size:
        return np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)
    # MurmurHash3's finalizer mixes each hash first, as datasketch does; uint32
    # arithmetic wraps, which is the modulo 2^32 the permutations are defined in.
    hashes ^= hashes >> 16
    hashes *= np.uint32(0x85EBCA6B)
    hashes ^= hashes >> 13
    hashes *= np.uint32(0xC2B2AE35)
    hashes ^= hashes >> 16
    return (hashes[:, None] * _PERMUTE_A + _PERMUTE_B).min(axis=0)


def _language(language: str | None, text: str) -> str:
    lang = (language or "").split("-")[0].lower()
    if lang:
        return lang
    letters = [c for c in text[:500] if c.isalpha()]
    arabic = sum("\u0600" <= c <= "\u06ff" for c in letters)
    return "ar" if letters and arabic * 2 > len(letters) else ("en" if letters else "")


def _publisher_day(record: Mapping[str, Any]) -> int | None:
    """The ordinal of the record's publisher's day (archive.days)."""
    return _day(record.get("published_local") or record.get("published"))


def _day(value: str | None) -> int | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date().toordinal()
    except ValueError:
        try:
            return date.fromisoformat(value[:10]).toordinal()
        except ValueError:
            return None


# --- anchors: what survives translation ------------------------------------------------


def english_spellings() -> tuple[dict[str, str], dict[str, str]]:
    """The gazetteer's English names (lower case) and acronyms (capitals), each -> its key."""
    spellings: dict[str, str] = {}
    acronyms: dict[str, str] = {}
    for key, kind, english, _arabic in ENTRIES:
        for name in english:
            if len(name) <= 4 and " " not in name and kind == "org":
                acronyms[name.upper()] = key  # UN, SDF, EU: only in capitals
            else:
                spellings[name] = key
    return spellings, acronyms


def _english_matchers() -> tuple[ahocorasick.Automaton, re.Pattern[str], dict[str, str]]:
    spellings, acronyms = english_spellings()
    automaton = ahocorasick.Automaton()
    for name, key in spellings.items():
        automaton.add_word(name, (len(name), key))
    automaton.make_automaton()
    upper = re.compile(r"\b(" + "|".join(sorted(acronyms, key=len, reverse=True)) + r")\b")
    return automaton, upper, acronyms


_EN_ARTICLES = ("al ", "el ", "as ", "ar ", "ad ")  # al-Assad: the name after "al "
_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


def english_names(lowered: str) -> list[str]:
    """The keys of the gazetteer's English names in a lower-cased text, in order: each
    name a whole word (or words), maybe with an article before it ("al ") and a plural s
    after it, the leftmost first and the longest at one place, never overlapping.

    Every occurrence of every name comes from the automaton; these rules choose among
    them as ``(?<![a-z0-9])(?:al |el |as |ar |ad )?(NAME|...)s?(?![a-z0-9])`` would
    (tests/test_stories.py holds the two to the same answers)."""
    size = len(lowered)
    found = []
    for last, (length, key) in _EN_AUTOMATON.iter(lowered):
        start, end = last - length + 1, last + 1
        if (
            end < size
            and lowered[end] == "s"
            and (end + 1 == size or lowered[end + 1] not in _ALNUM)
        ):
            end += 1
        elif end < size and lowered[end] in _ALNUM:
            continue
        if start and lowered[start - 1] in _ALNUM:
            continue
        # (where it begins, an article before it first, the longer first)
        found.append((start, 1, -length, end, key))
        article = start - 3
        if article >= 0 and lowered[article:start] in _EN_ARTICLES:
            if not article or lowered[article - 1] not in _ALNUM:
                found.append((article, 0, -length, end, key))
    keys, taken = [], 0
    for begins, _article, _longer, end, key in sorted(found):
        if begins >= taken:
            keys.append(key)
            taken = end
    return keys


def _arabic_patterns() -> tuple[list[re.Pattern[str]], dict[str, str]]:
    with_article: dict[str, str] = {}
    bare: dict[str, str] = {}
    for key, _kind, _english, arabic in ENTRIES:
        for name in arabic:
            folded = fold(name)
            if folded.startswith("ال") and len(folded) > 4:
                with_article[folded[2:]] = key
            else:
                bare[folded] = key
    letters = f"[{_ARABIC_LETTERS}]"

    def alternation(names: Iterable[str]) -> str:
        return "|".join(map(re.escape, sorted(names, key=len, reverse=True)))

    patterns = [
        # و/ف, then ب/ك, then the article (or ل + article, written لل) before the name.
        re.compile(f"(?<!{letters})[وف]?[بك]?(?:ال|لل)({alternation(with_article)})(?!{letters})"),
        re.compile(f"(?<!{letters})[وف]?[بلك]?({alternation(bare)})(?!{letters})"),
    ]
    return patterns, {**with_article, **bare}


_EN_AUTOMATON, _EN_ACRONYMS, _EN_ACRONYM_KEYS = _english_matchers()
_AR_NAMES, _AR_KEYS = _arabic_patterns()
_KIND = {key: kind for key, kind, _en, _ar in ENTRIES}

_EN_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_EN_MONTH = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
# "May 5" or "5 May", the month not the end of a word nor the day the end of a number:
# checked by _english_dates, not by lookbehinds here, which would make the search try
# the pattern at every position of the text instead of where a month or digit begins.
_EN_DATE = re.compile(rf"{_EN_MONTH}\s+(\d{{1,2}})(?!\d)|(\d{{1,2}})\s+{_EN_MONTH}(?![a-z])")
# Levantine and Egyptian month names, folded (آب -> اب, أيلول -> ايلول).
_AR_MONTHS = {
    fold(name): number
    for number, names in enumerate(
        [
            ("كانون الثاني", "يناير"), ("شباط", "فبراير"), ("آذار", "مارس"),
            ("نيسان", "أبريل", "ابريل"), ("أيار", "مايو"), ("حزيران", "يونيو"),
            ("تموز", "يوليو"), ("آب", "أغسطس"), ("أيلول", "سبتمبر"),
            ("تشرين الأول", "أكتوبر"), ("تشرين الثاني", "نوفمبر"), ("كانون الأول", "ديسمبر"),
        ],
        start=1,
    )
    for name in names
}  # fmt: skip
_AR_DATE = re.compile(
    r"(?<!\d)(\d{1,2})\s+(?:من\s+)?(?:شهر\s+)?("
    + "|".join(sorted(map(re.escape, _AR_MONTHS), key=len, reverse=True))
    + r")(?![\u0621-\u064a])"
)
_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?")
_MULTIPLIERS = {
    "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
    fold("ألف"): 1_000, fold("آلاف"): 1_000, fold("مليون"): 1_000_000,
    fold("ملايين"): 1_000_000, fold("مليار"): 1_000_000_000, fold("مليارات"): 1_000_000_000,
}  # fmt: skip
_MULTIPLIER = re.compile(r"\s*(" + "|".join(map(re.escape, _MULTIPLIERS)) + r")\b")
_EN_NUMBER_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "hundred": 100,
}  # fmt: skip
_AR_NUMBER_WORDS = {
    fold(word): number
    for number, words in {
        2: ("اثنان", "اثنين", "اثنتين", "اثنتان"), 3: ("ثلاث", "ثلاثة"), 4: ("أربع", "أربعة"),
        5: ("خمس", "خمسة"), 6: ("ستة",), 7: ("سبعة",), 8: ("ثماني", "ثمانية"),
        9: ("تسع", "تسعة"), 10: ("عشر", "عشرة"), 20: ("عشرين", "عشرون"),
        30: ("ثلاثين", "ثلاثون"), 40: ("أربعين", "أربعون"), 50: ("خمسين", "خمسون"),
        60: ("ستين", "ستون"), 70: ("سبعين", "سبعون"), 80: ("ثمانين", "ثمانون"),
        90: ("تسعين", "تسعون"), 100: ("مئة", "مائة"), 200: ("مئتين", "مئتان", "مائتين"),
        300: ("ثلاثمئة", "ثلاثمائة"), 400: ("أربعمئة", "أربعمائة"), 500: ("خمسمئة", "خمسمائة"),
        600: ("ستمئة", "ستمائة"), 700: ("سبعمئة", "سبعمائة"), 800: ("ثمانمئة", "ثمانمائة"),
        900: ("تسعمئة", "تسعمائة"), 1000: ("ألف",),
    }.items()
    for word in words
}  # fmt: skip
# "four hundred", "two thousand": a number word times what follows it.
_EN_WORD_NUMBER = re.compile(
    r"(?<![a-z])(" + "|".join(_EN_NUMBER_WORDS) + r")(?: (hundred|thousand))?(?![a-z])"
)
_EN_SCALE = {"hundred": 100, "thousand": 1000}
# Months named without a day ("early April", "مطلع نيسان") still place a story in time.
_EN_MONTH_ALONE = re.compile(
    r"(?<![a-z])(january|february|april|june|july|august|september|october|november"
    r"|december)(?![a-z])"
)
_AR_MONTH_ALONE = re.compile(
    r"(?<![\u0621-\u064a])[وفب]?("
    + "|".join(
        sorted(
            map(re.escape, (m for m in _AR_MONTHS if len(m) > 3 and m != "مارس")),
            key=len,
            reverse=True,
        )
    )
    + r")(?![\u0621-\u064a])"
)
_HALF = re.compile(r"(?<![a-z\u0621-\u064a])(?:half|[وب]?نصف)(?![a-z\u0621-\u064a])")
_AR_WORD_NUMBER = re.compile(
    r"(?<![\u0621-\u064a])[وب]?("
    + "|".join(sorted(_AR_NUMBER_WORDS, key=len, reverse=True))
    + r")(?![\u0621-\u064a])"
)


def _number_anchor(value: float) -> tuple[str, float] | None:
    if value != int(value):
        return f"n:{value:g}", NUMBER_WEIGHTS["big"]
    number = int(value)
    if number < 2:
        return None
    if 1990 <= number <= 2035:
        return f"y:{number}", NUMBER_WEIGHTS["year"]
    return f"n:{number}", NUMBER_WEIGHTS["big" if number >= 10 else "small"]


_DASHES = re.compile(r"[-\u2010-\u2015'’‘`´]")
_BLANKS = re.compile(r"[ \t]*\t[ \t]*| {2,}")  # not single spaces: replacing each costs


def _english_dates(lowered: str) -> list[re.Match[str]]:
    """The matches of _EN_DATE whose month begins a word and whose day begins a number,
    as finditer would give them with those rules as lookbehinds."""
    found, at = [], 0
    while (match := _EN_DATE.search(lowered, at)) is not None:
        start = match.start()
        before = lowered[start - 1 : start]
        if before.isdecimal() if match.group(3) else "a" <= before <= "z":
            at = start + 1  # the rule fails here; a date may still begin inside
        else:
            found.append(match)
            at = max(match.end(), start + 1)
    return found


def anchors(text: str, language: str) -> dict[str, float]:
    """The language-independent anchors of a text: key -> weight.

    ``g:KEY`` a gazetteer entry, ``n:N`` a number (digits or a number word,
    thousands and millions spelt out multiplied in), ``y:YYYY`` a year,
    ``d:MM-DD`` a day of the month named in the text.
    """
    found: dict[str, float] = {}
    folded = fold(text)
    if language == "ar":
        lowered = folded
        for pattern in _AR_NAMES:
            for match in pattern.finditer(folded):
                key = _AR_KEYS[match.group(1)]
                found[f"g:{key}"] = WEIGHTS[_KIND[key]]
        dates, word_numbers, words = (
            list(_AR_DATE.finditer(lowered)),
            _AR_WORD_NUMBER,
            _AR_NUMBER_WORDS,
        )
    else:
        lowered = _DASHES.sub(" ", folded.casefold())
        lowered = _BLANKS.sub(" ", lowered)
        for key in english_names(lowered):
            found[f"g:{key}"] = WEIGHTS[_KIND[key]]
        for match in _EN_ACRONYMS.finditer(folded):
            key = _EN_ACRONYM_KEYS[match.group(1)]
            found[f"g:{key}"] = WEIGHTS[_KIND[key]]
        dates, word_numbers, words = _english_dates(lowered), _EN_WORD_NUMBER, _EN_NUMBER_WORDS
    for match in dates:
        if language == "ar":
            day, month = int(match.group(1)), _AR_MONTHS[match.group(2)]
        else:
            name = match.group(1) or match.group(4)
            day = int(match.group(2) or match.group(3))
            month = _EN_MONTHS[name[:3]]
        if 1 <= day <= 31:
            found[f"d:{month:02d}-{day:02d}"] = NUMBER_WEIGHTS["date"]
    # Numbers that were days of a date are not counted again as numbers.
    ends = [0, *(i for m in dates for i in m.span()), len(lowered)]
    rest = " ".join(lowered[a:b] for a, b in zip(ends[::2], ends[1::2], strict=True))
    rest = rest.replace("\u066b", ".").replace("\u066c", ",")
    for match in _NUMBER.finditer(rest):
        value = float(match.group(1).replace(",", "") + "." + (match.group(2) or "0"))
        multiplier = _MULTIPLIER.match(rest, match.end())
        if multiplier:
            value *= _MULTIPLIERS[multiplier.group(1)]
        anchor = _number_anchor(value)
        if anchor:
            found[anchor[0]] = anchor[1]
    for match in word_numbers.finditer(rest):
        value = words[match.group(1)]
        if language != "ar" and match.group(2):
            value *= _EN_SCALE[match.group(2)]
        anchor = _number_anchor(value)
        if anchor:
            found.setdefault(anchor[0], anchor[1])
    months = _AR_MONTH_ALONE if language == "ar" else _EN_MONTH_ALONE
    for match in months.finditer(lowered):
        month = _AR_MONTHS[match.group(1)] if language == "ar" else _EN_MONTHS[match.group(1)[:3]]
        found[f"m:{month:02d}"] = NUMBER_WEIGHTS["month"]
    if _HALF.search(rest):
        found["n:half"] = NUMBER_WEIGHTS["small"]
    return found


_GENERIC_IMAGE = re.compile(r"logo|default|placeholder|og[-_]?image|share|favicon|avatar", re.I)


def image_key(url: str | None) -> str | None:
    """The file name of an image URL, without a CMS's size suffix; None for site graphics."""
    if not url:
        return None
    name = urlsplit(url).path.rsplit("/", 1)[-1].lower()
    name = re.sub(r"-(?:\d+x\d+|scaled)(?=\.\w+$)", "", name)
    if not name or "." not in name or _GENERIC_IMAGE.search(name):
        return None
    return name


def document(record: Mapping[str, Any], *, outlet: str = "", day: int | None = None) -> StoryDoc:
    """The story features of a record (title, summary, body, language, published...);
    its day is the publisher's (archive.days)."""
    title = record.get("title") or ""
    summary = record.get("summary") or ""
    body = record.get("body") or ""
    text = f"{title}\n\n{summary}\n\n{body}"
    language = _language(record.get("language"), text)
    # The words and shingles the simhash took of the same body (archive.hashes caches them).
    source_text = body if len(words(body)) >= 20 else text
    shingles = {s.encode("utf-8") for s in text_shingles(source_text)}
    found = anchors(text, language)
    image = image_key(record.get("image"))
    if image:
        found[f"i:{image}"] = NUMBER_WEIGHTS["image"]
    return StoryDoc(
        source=str(record.get("source") or ""),
        language=language,
        day=day if day is not None else (_publisher_day(record) or 0),
        shingles=len(shingles),
        signature=_signature(shingles),
        anchors=found,
        title_terms=frozenset(
            t for t in words(title) if len(t) > 2 and t not in _STOP and not t.isdigit()
        ),
        original_source=record.get("original_source") or None,
        outlet=outlet or str(record.get("source") or ""),
        image=image,
    )


# --- explicit links in the page ---------------------------------------------------------------

_LINK_TAG = re.compile(rb"<link\b[^>]*>", re.I)
_ATTR = re.compile(rb"""([a-zA-Z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_CREDIT = re.compile(
    r"translated from|original (?:article|version|text|report)|read (?:it |this |the original )?"
    r"in (?:arabic|english)|originally published|النص الأصلي|المقال الأصلي|المادة الأصلية|"
    r"ترجمة عن|مترجم عن|نشر باللغة",
    re.I,
)
_CREDIT_BYTES = tuple(
    p.encode("utf-8")
    for p in ("ranslated from", "riginal", "in Arabic", "in English", "الأصلي", "الأصلية",
              "ترجمة عن", "مترجم عن", "نشر باللغة")
)  # fmt: skip
# The credit phrases themselves, in the page's lowercased bytes: "riginal" above is in 4 of
# 10 pages' markup (data-original, image URLs), the phrases in 1 of 60 of the crawl
# benchmark's pages; only those are parsed. Words split by markup or a line break are
# not seen (a credit line prints its words together).
_CREDIT_PHRASES = tuple(
    p.encode("utf-8")
    for p in ("translated from", "original article", "original version", "original text",
              "original report", "in arabic", "in english", "originally published",
              "النص الأصلي", "المقال الأصلي", "المادة الأصلية", "ترجمة عن", "مترجم عن",
              "نشر باللغة")
)  # fmt: skip


def _has_credit_phrase(body: bytes) -> bool:
    lowered = body.lower()
    return any(p in lowered for p in _CREDIT_PHRASES)


def page_links(body: bytes, url: str) -> list[tuple[str, str]]:
    """The other articles a page names as itself in another language or as its original:
    ``(url, "hreflang")`` for ``<link rel="alternate" hreflang>``, ``(url,
    "translated-from")`` for a link in or beside a credit line ("Translated from
    Arabic", "Read the original", "النص الأصلي")."""
    found: dict[str, str] = {}
    if b"hreflang" in body:
        for tag in _LINK_TAG.findall(body):
            attrs = {
                m.group(1).lower(): (m.group(2) or m.group(3) or m.group(4) or b"")
                for m in _ATTR.finditer(tag)
            }
            rel = attrs.get(b"rel", b"").lower().split()
            lang = attrs.get(b"hreflang", b"").lower()
            href = attrs.get(b"href", b"").decode("utf-8", "replace").strip()
            if b"alternate" in rel and lang and lang != b"x-default" and href:
                found.setdefault(urljoin(url, href), "hreflang")
    if any(p in body for p in _CREDIT_BYTES) and _has_credit_phrase(body):
        import lxml.html  # only for the pages with a credit phrase

        try:
            tree = lxml.html.fromstring(body)
        except (ValueError, lxml.etree.ParserError):
            return list(found.items())
        for anchor in tree.iter("a"):
            href = (anchor.get("href") or "").strip()
            if not href or href.startswith(("#", "mailto:", "javascript:")):
                continue
            parent = anchor.getparent()
            context = (parent.text_content() if parent is not None else "")[:400]
            if _CREDIT.search(anchor.text_content() or "") or _CREDIT.search(context):
                found.setdefault(urljoin(url, href), "translated-from")
    own = canonical_key(url)
    return [(link, how) for link, how in found.items() if canonical_key(link) != own]


@dataclasses.dataclass
class Features:
    """What the story linker needs of an article that needs no database: computed where
    the CPU is to spare (an extraction worker), so the archive's writer only looks up."""

    doc: StoryDoc  # without its outlet's name; day 0 when the record has no date
    links: list[tuple[str, str]] | None  # the page's explicit links; None: no page


def features(
    record: Mapping[str, Any], page: bytes | None = None, page_url: str | None = None
) -> Features:
    """The story features of a record and the page it was extracted from."""
    links = None
    if page is not None:
        links = [
            (canonical_key(url), how)
            for url, how in page_links(page, page_url or record.get("url") or "")
        ]
    return Features(document(record, day=_publisher_day(record) or 0), links)
