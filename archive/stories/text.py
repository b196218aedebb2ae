"""What the story linker knows of one article, computed without the archive: its MinHash
signature, the names and numbers that survive translation (anchors), its title terms,
and the other articles its page names (hreflang, "translated from").

Made once per page in an extraction worker (:func:`features`), so the archive's writer
only stores them. The MinHash is datasketch's (version 2, its default "affine32"
permutations, seed 1), computed here in a few lines of NumPy: importing datasketch
imports SciPy for its LSH parameter search, 1.2 s and 60 MB in every extraction worker,
and tests/test_stories.py holds these signatures and the LSH bands to datasketch's own.
Its anchors (names, numbers, dates) are found by archive.stories.anchors.
"""

from __future__ import annotations

import dataclasses
import re
import zlib
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import numpy as np

from archive.arabic import fold
from archive.hashes import shingles as text_shingles
from archive.hashes import words
from archive.record import language_base
from archive.stories.anchors import NUMBER_WEIGHTS, anchors
from archive.urls import canonicalize

NUM_PERM = 64
# The Jaccard similarity at which LSH bands start to find a pair: a copy that
# keeps most of its original. Lower ones are found through the anchors.
LSH_THRESHOLD = 0.3
# datasketch's choice of bands and rows for that threshold (MinHashLSH(0.3, 64).b, .r),
# written out: datasketch imports SciPy to compute it, which would cost every process
# that merely opens an archive a second or two. tests/test_stories.py checks it.
BANDS, ROWS = 21, 3
MIN_SHINGLES = 8  # fewer 3-shingles than this: too short for content similarity


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
    lang = language_base(language)
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
    own = canonicalize(url)
    return [(link, how) for link, how in found.items() if canonicalize(link) != own]


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
            (canonicalize(url), how)
            for url, how in page_links(page, page_url or record.get("url") or "")
        ]
    return Features(document(record, day=_publisher_day(record) or 0), links)
