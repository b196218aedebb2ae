"""Stories: the articles that report one story, linked across outlets and across languages.

A story is a set of articles, each kept whole (nothing is merged): the wire
copy SANA sends out and the outlets that carry it under another headline,
trimmed, extended or with a lead of their own; the Syrian Observer's
translation of an Arabic article; an outlet's English and Arabic editions of
one report. ``stories`` has one row per story, ``story_articles`` one per
member: which article it was linked to, how, and with what score. Articles
that match nothing are in no story.

How two articles are linked, strongest evidence first:

1. Explicit links in the page. An ``hreflang`` alternate, a "translated from"
   or "read the original" link (``hreflang`` / ``translated-from``): the page
   names the other article. The links are kept in ``story_links``, so the
   article named may arrive later and still be linked.
2. The original-outlet line (the record's ``original_source``, e.g. the
   Syrian Observer's "by ENAB BALADI"): the original is looked for among that
   outlet's articles of the days before, with a lower bar (``original-source``).
3. The same image file, cross-outlet, within two days (``image``).
4. Content within one language (``same-language``): MinHash of word
   3-shingles. The containment of the shorter text's shingles in the longer
   one's is estimated from the two signatures and sizes, so a trimmed or
   extended copy scores like a full one; a copy with a lead of its own
   scores lower and needs a similar title or the same names and numbers.
5. Content across languages, and independent reports in one language
   (``cross-language`` / ``same-event``): what survives translation, numbers,
   dates in the text, and the places, people, organisations and topics of
   archive.gazetteer, each weighted by how much it says (a number above ten
   or a person's name a lot; "Syria" little), within three days.

The thresholds are measured on the labelled pairs of
tests/fixtures/stories/pairs.json (benchmarks/bench_stories.py, figures in
BENCHMARKS.md) and checked by tests/test_stories.py.

Kept current at upsert time (archive.articles calls :func:`link_article` for
a new article and :func:`reindex_article` for a revised one). Candidates
come from indexes, never from a scan: ``story_bands`` (the MinHash LSH bands,
within 30 days) and ``story_anchors`` (the weighted names and numbers, within
three days); each candidate is scored from its stored ``story_docs`` row (the
signature, size and anchors), so the cost of an upsert depends on how many
articles share its bands and names in those days, not on the archive's size.
A new article joins the story of its best match and never joins two stories,
so one loose link cannot chain distinct stories together.

datasketch provides the MinHash (its permutations and its choice of LSH bands
and rows for a Jaccard threshold, from the false positive and negative
integrals): it is the maintained Python MinHash library. Its LSH index keeps
its tables in memory or in Redis or Cassandra, not in SQLite, so the bands
live in the archive's own table, as the simhash bands do.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import re
import sqlite3
import zlib
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import numpy as np

from archive.arabic import fold
from archive.gazetteer import ENTRIES, WEIGHTS
from archive.urls import canonicalize

__all__ = [
    "Features",
    "Link",
    "StoryDoc",
    "compare",
    "document",
    "features",
    "link_article",
    "page_links",
    "rebuild",
    "reindex_article",
    "story_of",
]

NUM_PERM = 64
# The Jaccard similarity at which LSH bands start to find a pair: a copy that
# keeps most of its original. Lower ones are found through the anchors.
LSH_THRESHOLD = 0.3
# datasketch's choice of bands and rows for that threshold (MinHashLSH(0.3, 64).b, .r),
# written out: datasketch imports SciPy to compute it, which would cost every process
# that merely opens an archive a second or two. tests/test_stories.py checks it.
BANDS, ROWS = 21, 3

BAND_WINDOW_DAYS = 30  # a republished copy may come weeks later
ANCHOR_WINDOW_DAYS = 3  # a translation or another outlet's report: within days
IMAGE_WINDOW_DAYS = 2
ORIGINAL_WINDOW_DAYS = (10, 1)  # a translation appears up to 10 days after (1 before) its original
MAX_ANCHOR_CANDIDATES = 30
MIN_SHINGLES = 8  # fewer 3-shingles than this: too short for content similarity

# Thresholds, chosen on the labelled pairs (benchmarks/bench_stories.py).
SAME_LANGUAGE_MIN = 0.5  # estimated containment alone
SAME_LANGUAGE_GRAY = 0.2  # with a similar title, or shared anchors
TITLE_MIN = 0.3
ANCHOR_SCORE_MIN = 0.45  # shared anchor weight / the smaller article's
ANCHOR_SHARED_MIN = 6.0  # and at least this much weight shared
SPECIFIC_MIN = 2.5  # of it numbers, dates, people or organisations...
ANCHOR_SCORE_SURE = 0.75  # ...unless the score is this high
EXPLICIT_SCORE_MIN = 0.3  # with an original-outlet line naming the candidate's outlet
EXPLICIT_SHARED_MIN = 3.0

NUMBER_WEIGHTS = {"big": 2.5, "small": 0.8, "year": 0.5, "date": 2.0, "month": 1.0, "image": 3.0}
# Anchors that pin one event (a number, a date, a person, an organisation), as opposed
# to those that only say where and what about (places, topics).
SPECIFIC = ("n:", "d:", "m:")
SPECIFIC_KINDS = frozenset({"person", "org"})


@dataclasses.dataclass(frozen=True)
class Link:
    """How an article was linked to another of its story, and how sure that is (0..1)."""

    method: str
    score: float


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

_WORD = re.compile(r"\w+")
_ARABIC_LETTERS = "\u0621-\u064a"
_STOP = frozenset(
    "the and for with from after into over that this are was were has have its his her "
    "their not but new says said amid more than about".split()
) | frozenset(fold(w) for w in "في من على إلى عن مع بعد خلال الذي التي هذا هذه أن".split())


def _tokens(text: str) -> list[str]:
    return _WORD.findall(fold(text).casefold())


def _shingles(tokens: list[str]) -> set[bytes]:
    return {" ".join(tokens[i : i + 3]).encode("utf-8") for i in range(len(tokens) - 2)}


@functools.cache
def _template():
    # Imported here, not at the top: only the processes that make signatures need it.
    from datasketch import MinHash

    return MinHash, MinHash(num_perm=NUM_PERM, seed=1)


def _signature(shingles: Iterable[bytes]) -> np.ndarray:
    minhash_class, template = _template()
    minhash = minhash_class(
        num_perm=NUM_PERM,
        hashfunc=int,
        permutations=template.permutations,
        scheme=template.scheme,
    )
    # crc32 in C instead of datasketch's default SHA-1 per shingle: 5x faster, and a
    # 32-bit hash is what MinHash's permutations expect.
    minhash.update_batch([zlib.crc32(s) for s in shingles])
    return minhash.hashvalues.astype(np.uint32)


def _language(language: str | None, text: str) -> str:
    lang = (language or "").split("-")[0].lower()
    if lang:
        return lang
    letters = [c for c in text[:500] if c.isalpha()]
    arabic = sum("\u0600" <= c <= "\u06ff" for c in letters)
    return "ar" if letters and arabic * 2 > len(letters) else ("en" if letters else "")


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


def _english_pattern() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, str]]:
    spellings: dict[str, str] = {}
    acronyms: dict[str, str] = {}
    for key, kind, english, _arabic in ENTRIES:
        for name in english:
            if len(name) <= 4 and " " not in name and kind == "org":
                acronyms[name.upper()] = key  # UN, SDF, EU: only in capitals
            else:
                spellings[name] = key
    names = sorted(spellings, key=len, reverse=True)
    pattern = re.compile(
        r"(?<![a-z0-9])(?:al |el |as |ar |ad )?("
        + "|".join(map(re.escape, names))
        + r")s?(?![a-z0-9])"
    )
    upper = re.compile(r"\b(" + "|".join(sorted(acronyms, key=len, reverse=True)) + r")\b")
    return pattern, upper, {**spellings, **acronyms}


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


_EN_NAMES, _EN_ACRONYMS, _EN_KEYS = _english_pattern()
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
_EN_DATE = re.compile(
    rf"(?<![a-z]){_EN_MONTH}\s+(\d{{1,2}})(?!\d)|(?<!\d)(\d{{1,2}})\s+{_EN_MONTH}(?![a-z])"
)
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
        dates, word_numbers, words = _AR_DATE, _AR_WORD_NUMBER, _AR_NUMBER_WORDS
    else:
        lowered = re.sub(r"[-\u2010-\u2015'’‘`´]", " ", folded.casefold())
        lowered = re.sub(r"[ \t]+", " ", lowered)
        for match in _EN_NAMES.finditer(lowered):
            key = _EN_KEYS[match.group(1)]
            found[f"g:{key}"] = WEIGHTS[_KIND[key]]
        for match in _EN_ACRONYMS.finditer(folded):
            key = _EN_KEYS[match.group(1)]
            found[f"g:{key}"] = WEIGHTS[_KIND[key]]
        dates, word_numbers, words = _EN_DATE, _EN_WORD_NUMBER, _EN_NUMBER_WORDS
    for match in dates.finditer(lowered):
        if language == "ar":
            day, month = int(match.group(1)), _AR_MONTHS[match.group(2)]
        else:
            name = match.group(1) or match.group(4)
            day = int(match.group(2) or match.group(3))
            month = _EN_MONTHS[name[:3]]
        if 1 <= day <= 31:
            found[f"d:{month:02d}-{day:02d}"] = NUMBER_WEIGHTS["date"]
    # Numbers that were days of a date are not counted again as numbers.
    rest = dates.sub(" ", lowered).replace("\u066b", ".").replace("\u066c", ",")
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
    """The story features of a record (title, summary, body, language, published...)."""
    title = record.get("title") or ""
    summary = record.get("summary") or ""
    body = record.get("body") or ""
    text = f"{title}\n\n{summary}\n\n{body}"
    language = _language(record.get("language"), text)
    tokens = _tokens(body)
    if len(tokens) < 20:
        tokens = _tokens(text)
    shingles = _shingles(tokens)
    found = anchors(text, language)
    image = image_key(record.get("image"))
    if image:
        found[f"i:{image}"] = NUMBER_WEIGHTS["image"]
    return StoryDoc(
        source=str(record.get("source") or ""),
        language=language,
        day=day if day is not None else (_day(record.get("published")) or 0),
        shingles=len(shingles),
        signature=_signature(shingles),
        anchors=found,
        title_terms=frozenset(
            t for t in _tokens(title) if len(t) > 2 and t not in _STOP and not t.isdigit()
        ),
        original_source=record.get("original_source") or None,
        outlet=outlet or str(record.get("source") or ""),
        image=image,
    )


# --- comparing two articles ----------------------------------------------------------------


def containment(a: StoryDoc, b: StoryDoc) -> float:
    """Estimated share of the shorter text's 3-shingles found in the other's (0..1)."""
    if min(a.shingles, b.shingles) < MIN_SHINGLES:
        return 0.0
    jaccard = float(np.count_nonzero(a.signature == b.signature)) / NUM_PERM
    # |A ∩ B| = J (|A| + |B|) / (1 + J), over the smaller set.
    return min(
        1.0, jaccard * (a.shingles + b.shingles) / ((1 + jaccard) * min(a.shingles, b.shingles))
    )


def _specific(anchor: str) -> bool:
    if anchor.startswith(SPECIFIC):
        return anchor not in ("n:half",) and not anchor.startswith("m:")
    return anchor.startswith("g:") and _KIND.get(anchor[2:]) in SPECIFIC_KINDS


def anchor_overlap(a: StoryDoc, b: StoryDoc) -> tuple[float, float, float]:
    """(weight of the anchors both have, that weight over the smaller article's total,
    the part of it that pins an event: numbers, dates, people, organisations)."""
    common = [k for k in a.anchors if k in b.anchors]
    shared = sum(a.anchors[k] for k in common)
    smaller = min(sum(a.anchors.values()), sum(b.anchors.values()))
    specific = sum(a.anchors[k] for k in common if _specific(k))
    return shared, (shared / smaller if smaller else 0.0), specific


def _title_similarity(a: StoryDoc, b: StoryDoc) -> float:
    if not a.title_terms or not b.title_terms:
        return 0.0
    return len(a.title_terms & b.title_terms) / len(a.title_terms | b.title_terms)


_OUTLET_WORD = re.compile(r"[^a-z0-9\u0621-\u064a]+")


def _squash(text: str) -> str:
    return _OUTLET_WORD.sub("", fold(text).casefold())


def names_outlet(original_source: str | None, outlet: str) -> bool:
    """Whether an original-outlet line ("ENAB BALADI") names this outlet ("enabbaladi-ar
    عنب بلدي (Enab Baladi, Arabic)")."""
    wanted = _squash(original_source or "")
    return len(wanted) >= 4 and any(wanted in _squash(part) for part in re.split(r"[(),]", outlet))


def compare(a: StoryDoc, b: StoryDoc) -> Link | None:
    """Whether two articles report one story, by their content and original-outlet line."""
    days = abs(a.day - b.day)
    shared, anchor_score, specific = anchor_overlap(a, b)
    for translation, original in ((a, b), (b, a)):
        if names_outlet(translation.original_source, original.outlet):
            after = translation.day - original.day
            if (
                -ORIGINAL_WINDOW_DAYS[1] <= after <= ORIGINAL_WINDOW_DAYS[0]
                and shared >= EXPLICIT_SHARED_MIN
                and anchor_score >= EXPLICIT_SCORE_MIN
            ):
                return Link("original-source", round(anchor_score, 3))
    if a.image and a.image == b.image and a.source != b.source and days <= IMAGE_WINDOW_DAYS:
        return Link("image", 1.0)
    same_language = a.language == b.language and a.language != ""
    if same_language and days <= BAND_WINDOW_DAYS:
        copied = containment(a, b)
        if copied >= SAME_LANGUAGE_MIN:
            return Link("same-language", round(copied, 3))
        if (
            copied >= SAME_LANGUAGE_GRAY
            and days <= ANCHOR_WINDOW_DAYS
            and (_title_similarity(a, b) >= TITLE_MIN or anchor_score >= ANCHOR_SCORE_MIN)
        ):
            return Link("same-language", round(copied, 3))
    # Places and topics alone say "the same subject"; two reports of one event also share
    # its numbers, dates or people, unless nearly everything they name is the same.
    if (
        days <= ANCHOR_WINDOW_DAYS
        and shared >= ANCHOR_SHARED_MIN
        and anchor_score >= ANCHOR_SCORE_MIN
        and (specific >= SPECIFIC_MIN or anchor_score >= ANCHOR_SCORE_SURE)
    ):
        return Link("same-event" if same_language else "cross-language", round(anchor_score, 3))
    return None


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
    if any(p in body for p in _CREDIT_BYTES):
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
    own = _canonical(url)
    return [(link, how) for link, how in found.items() if _canonical(link) != own]


def _canonical(url: str) -> str:
    try:
        return canonicalize(url)
    except ValueError:
        return url.strip()


# --- the index in the archive ------------------------------------------------------------------


def _key(text: str | bytes) -> int:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big", signed=True)


def _marks(values: list[Any]) -> str:
    return ",".join("?" * len(values))


def _band_keys(signature: np.ndarray) -> list[int]:
    return [_key(bytes([i]) + signature[i * ROWS : (i + 1) * ROWS].tobytes()) for i in range(BANDS)]


def _outlet(conn: sqlite3.Connection, source: str) -> str:
    row = conn.execute("SELECT name FROM sources WHERE id = ?", [source]).fetchone()
    return f"{source} ({row[0]})" if row and row[0] else source


def _save(conn: sqlite3.Connection, article_id: int, doc: StoryDoc) -> None:
    old = conn.execute(
        f"SELECT {_DOC_COLUMNS} FROM story_docs WHERE article_id = ?", [article_id]
    ).fetchone()
    if old is not None:
        # A revision: its old entries go by their keys (the index has no article column,
        # which would double its size for the rare revised article).
        previous = _load(old)
        conn.executemany(
            "DELETE FROM story_bands WHERE key = ? AND day = ? AND article_id = ?",
            [(key, previous.day, article_id) for key in _band_keys(previous.signature)],
        )
        conn.executemany(
            "DELETE FROM story_anchors WHERE key = ? AND day = ? AND article_id = ?",
            [(_key(anchor), previous.day, article_id) for anchor in previous.anchors],
        )
        conn.execute("DELETE FROM story_docs WHERE article_id = ?", [article_id])
    conn.execute(
        "INSERT INTO story_docs (article_id, source, language, day, shingles, signature, "
        "anchors, title_terms, original_source, outlet, image) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            article_id,
            doc.source,
            doc.language,
            doc.day,
            doc.shingles,
            doc.signature.tobytes(),
            json.dumps(doc.anchors, ensure_ascii=False, sort_keys=True),
            " ".join(sorted(doc.title_terms)),
            doc.original_source,
            doc.outlet,
            doc.image,
        ],
    )
    if doc.shingles >= MIN_SHINGLES:
        conn.executemany(
            "INSERT OR IGNORE INTO story_bands (key, day, article_id) VALUES (?, ?, ?)",
            [(key, doc.day, article_id) for key in _band_keys(doc.signature)],
        )
    conn.executemany(
        "INSERT OR IGNORE INTO story_anchors (key, day, article_id, weight) VALUES (?, ?, ?, ?)",
        [(_key(anchor), doc.day, article_id, w) for anchor, w in doc.anchors.items()],
    )


def _load(row: sqlite3.Row | tuple) -> StoryDoc:
    (_id, source, language, day, shingles, signature, found, terms, original, outlet, image) = row
    return StoryDoc(
        source=source,
        language=language,
        day=day,
        shingles=shingles,
        signature=np.frombuffer(signature, dtype=np.uint32),
        anchors=json.loads(found),
        title_terms=frozenset((terms or "").split()),
        original_source=original,
        outlet=outlet or source,
        image=image,
    )


_DOC_COLUMNS = (
    "article_id, source, language, day, shingles, signature, anchors, title_terms, "
    "original_source, outlet, image"
)


def _candidates(conn: sqlite3.Connection, article_id: int, doc: StoryDoc) -> list[int]:
    ids: dict[int, None] = {}
    if doc.shingles >= MIN_SHINGLES:
        keys = _band_keys(doc.signature)
        rows = conn.execute(
            f"SELECT DISTINCT article_id FROM story_bands WHERE key IN ({_marks(keys)}) "
            "AND day BETWEEN ? AND ?",
            [*keys, doc.day - BAND_WINDOW_DAYS, doc.day + BAND_WINDOW_DAYS],
        )
        ids.update(dict.fromkeys(r[0] for r in rows))
    if doc.anchors:
        keys = [_key(anchor) for anchor in doc.anchors]
        rows = conn.execute(
            f"SELECT article_id, sum(weight) AS shared FROM story_anchors "
            f"WHERE key IN ({_marks(keys)}) AND day BETWEEN ? AND ? "
            "GROUP BY article_id ORDER BY shared DESC LIMIT ?",
            [*keys, doc.day - ANCHOR_WINDOW_DAYS, doc.day + ANCHOR_WINDOW_DAYS,
             MAX_ANCHOR_CANDIDATES + 1],
        )  # fmt: skip
        ids.update(dict.fromkeys(r[0] for r in rows))
    if doc.original_source:
        # The original outlet's articles of the days before, whatever they share.
        sources = [
            source
            for source, name in conn.execute("SELECT id, name FROM sources")
            if names_outlet(doc.original_source, f"{source} ({name or ''})")
        ]
        if sources:
            rows = conn.execute(
                f"SELECT article_id FROM story_docs WHERE source IN ({_marks(sources)}) "
                "AND day BETWEEN ? AND ? ORDER BY day DESC LIMIT ?",
                [*sources, doc.day - ORIGINAL_WINDOW_DAYS[0], doc.day + ORIGINAL_WINDOW_DAYS[1],
                 MAX_ANCHOR_CANDIDATES * 4],
            )  # fmt: skip
            ids.update(dict.fromkeys(r[0] for r in rows))
    ids.pop(article_id, None)
    return list(ids)


def _explicit(
    conn: sqlite3.Connection, article_id: int, record: Mapping[str, Any]
) -> tuple[int, Link] | None:
    """An archived article this one names, or one that named this one."""
    for url, how in conn.execute(
        "SELECT url, method FROM story_links WHERE article_id = ? ORDER BY rowid", [article_id]
    ).fetchall():
        row = conn.execute(
            "SELECT id FROM articles WHERE canonical_url = ? AND id != ? UNION ALL "
            "SELECT article_id FROM url_aliases WHERE url = ? AND article_id != ? LIMIT 1",
            [url, article_id, url, article_id],
        ).fetchone()
        if row:
            return int(row[0]), Link(how, 1.0)
    own = list(dict.fromkeys(u for u in (record.get("canonical_url"), record.get("url")) if u))
    if not own:
        return None
    row = conn.execute(
        f"SELECT article_id, method FROM story_links WHERE url IN ({_marks(own)}) "
        "AND article_id != ? ORDER BY rowid LIMIT 1",
        [*own, article_id],
    ).fetchone()
    return (int(row[0]), Link(row[1], 1.0)) if row else None


def _best_match(
    conn: sqlite3.Connection, article_id: int, doc: StoryDoc
) -> tuple[int, Link] | None:
    ids = _candidates(conn, article_id, doc)
    if not ids:
        return None
    best: tuple[int, float, int, Link] | None = None
    # A copy links to the copy it came from rather than to a translation of it.
    rank = {"original-source": 4, "image": 3, "same-language": 2}
    for row in conn.execute(
        f"SELECT {_DOC_COLUMNS} FROM story_docs WHERE article_id IN ({_marks(ids)})",
        ids,
    ):
        link = compare(doc, _load(row))
        if link is None:
            continue
        # Explicit evidence first, then the higher score, then the older article.
        order = (rank.get(link.method, 1), link.score, -row[0])
        if best is None or order > (best[2], best[1], -best[0]):
            best = (row[0], link.score, rank.get(link.method, 1), link)
    return (best[0], best[3]) if best else None


def story_of(conn: sqlite3.Connection, article_id: int) -> int | None:
    """The story an article belongs to, if any."""
    row = conn.execute(
        "SELECT story_id FROM story_articles WHERE article_id = ?", [article_id]
    ).fetchone()
    return int(row[0]) if row else None


def _join(conn: sqlite3.Connection, article_id: int, other: int, link: Link, now: str) -> int:
    story = story_of(conn, other)
    if story is None:
        story = int(
            conn.execute(
                "INSERT INTO stories (first_article, articles, outlets, created, updated) "
                "VALUES (?, 1, 1, ?, ?)",
                [other, now, now],
            ).lastrowid
        )
        conn.execute(
            "INSERT INTO story_articles (article_id, story_id, linked_to, method, score, "
            "linked_at) VALUES (?, ?, NULL, 'first', NULL, ?)",
            [other, story, now],
        )
    conn.execute(
        "INSERT OR IGNORE INTO story_articles (article_id, story_id, linked_to, method, score, "
        "linked_at) VALUES (?, ?, ?, ?, ?, ?)",
        [article_id, story, other, link.method, link.score, now],
    )
    # A story has a handful of articles: recounting them is cheaper than keeping deltas right.
    conn.execute(
        "UPDATE stories SET (articles, outlets, languages, first_published, last_published, "
        "updated) = (SELECT count(*), count(DISTINCT a.source), "
        "group_concat(DISTINCT a.language), min(a.published), max(a.published), ? "
        "FROM story_articles sa JOIN articles a ON a.id = sa.article_id WHERE sa.story_id = ?) "
        "WHERE id = ?",
        [now, story, story],
    )
    return story


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
            (_canonical(url), how)
            for url, how in page_links(page, page_url or record.get("url") or "")
        ]
    return Features(document(record, day=_day(record.get("published")) or 0), links)


def _index(
    conn: sqlite3.Connection,
    article_id: int,
    record: Mapping[str, Any],
    page: bytes | None,
    page_url: str | None,
    now: str,
    ready: Features | None = None,
) -> StoryDoc:
    ready = ready or features(record, page, page_url)
    doc = dataclasses.replace(
        ready.doc,
        outlet=_outlet(conn, str(record.get("source") or "")),
        day=ready.doc.day or _day(now) or 0,  # 0: no usable date (an old '2024' first_seen)
    )
    _save(conn, article_id, doc)
    if ready.links is not None:
        conn.execute("DELETE FROM story_links WHERE article_id = ?", [article_id])
        conn.executemany(
            "INSERT OR IGNORE INTO story_links (url, article_id, method) VALUES (?, ?, ?)",
            [(url, article_id, how) for url, how in ready.links],
        )
    return doc


def _link(
    conn: sqlite3.Connection, article_id: int, record: Mapping[str, Any], doc: StoryDoc, now: str
) -> int | None:
    """Join the indexed article to the story of its best match: explicit links first."""
    match = _explicit(conn, article_id, record) or _best_match(conn, article_id, doc)
    if match is None:
        return None
    other, link = match
    return _join(conn, article_id, other, link, now)


def link_article(
    conn: sqlite3.Connection,
    article_id: int,
    record: Mapping[str, Any],
    *,
    page: bytes | None = None,
    page_url: str | None = None,
    now: str,
    ready: Features | None = None,
) -> int | None:
    """Index a new article and link it to its story; returns the story id, or None.

    ``page`` is the fetched HTML (its hreflang and credit links are explicit
    evidence); ``ready``, its :func:`features` computed beforehand; runs inside
    the caller's transaction.
    """
    doc = _index(conn, article_id, record, page, page_url, now, ready)
    return _link(conn, article_id, record, doc, now)


def reindex_article(
    conn: sqlite3.Connection,
    article_id: int,
    record: Mapping[str, Any],
    *,
    page: bytes | None = None,
    page_url: str | None = None,
    now: str,
    ready: Features | None = None,
) -> None:
    """A revised article's new text replaces its index entries; its story stays as it is
    (an edit does not move an article to another story), and one that had none may
    find one now."""
    doc = _index(conn, article_id, record, page, page_url, now, ready)
    if story_of(conn, article_id) is None:
        _link(conn, article_id, record, doc, now)


def rebuild(conn: sqlite3.Connection, now: str) -> int:
    """Index every article in archive order and link the stories (the schema upgrade);
    returns how many articles were linked."""
    for table in ("story_articles", "stories", "story_docs", "story_bands", "story_anchors",
                  "story_links"):  # fmt: skip
        conn.execute(f"DELETE FROM {table}")
    linked = 0
    # A second cursor reads while the first writes: memory stays flat on a big archive.
    rows = conn.cursor().execute(
        "SELECT a.id, a.source, a.url, a.canonical_url, a.title, a.summary, a.body, "
        "a.language, a.published, a.first_seen, a.original_source, a.image, "
        "(SELECT c.id FROM captures c WHERE c.article_id = a.id ORDER BY c.id DESC LIMIT 1) "
        "FROM articles a ORDER BY a.id"
    )
    columns = ("id", "source", "url", "canonical_url", "title", "summary", "body", "language",
               "published", "first_seen", "original_source", "image", "capture")  # fmt: skip
    for values in rows:
        record = dict(zip(columns, values, strict=True))
        page = page_url = None
        if record["capture"] is not None:
            page_url, stored = conn.execute(
                "SELECT c.url, b.body FROM captures c JOIN page_bodies b ON b.sha256 = c.sha256 "
                "WHERE c.id = ?",
                [record["capture"]],
            ).fetchone()
            page = zlib.decompress(stored)
        story = link_article(
            conn, record["id"], record, page=page, page_url=page_url,
            now=record["first_seen"] or now,
        )  # fmt: skip
        linked += story is not None
    return linked
