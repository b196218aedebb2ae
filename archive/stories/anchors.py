"""Anchors: what of an article survives translation, for the story linker to match
across languages: the gazetteer's names (places, people, groups) in English and
Arabic, numbers (figures, written out or in digits, with their scale), dates and
months, each with a weight (rare, precise anchors count more).

pyahocorasick finds the gazetteer's English names: one pass of a C automaton
over the text, where a regular expression of 345 alternatives tried each at every
position (0.7 ms an article, a sixth of what an extraction worker spends here).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import ahocorasick

from archive.arabic import fold
from archive.gazetteer import ENTRIES, WEIGHTS

# An anchor's weight by kind (a name's is the gazetteer's): precise ones count more.
NUMBER_WEIGHTS = {"big": 2.5, "small": 0.8, "year": 0.5, "date": 2.0, "month": 1.0, "image": 3.0}
_ARABIC_LETTERS = "\u0621-\u064a"


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
# The gazetteer's names by key -> their kind (place, person, group...).
NAME_KINDS = {key: kind for key, kind, _en, _ar in ENTRIES}

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
                found[f"g:{key}"] = WEIGHTS[NAME_KINDS[key]]
        dates, word_numbers, words = (
            list(_AR_DATE.finditer(lowered)),
            _AR_WORD_NUMBER,
            _AR_NUMBER_WORDS,
        )
    else:
        lowered = _DASHES.sub(" ", folded.casefold())
        lowered = _BLANKS.sub(" ", lowered)
        for key in english_names(lowered):
            found[f"g:{key}"] = WEIGHTS[NAME_KINDS[key]]
        for match in _EN_ACRONYMS.finditer(folded):
            key = _EN_ACRONYM_KEYS[match.group(1)]
            found[f"g:{key}"] = WEIGHTS[NAME_KINDS[key]]
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
