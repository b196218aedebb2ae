"""The hashes that identify a text: the exact content hash and the near-duplicate simhash.

What the archive decides with them is archive.dedup; the extraction worker makes
them once per page (archive.fingerprints).

Simhash over word shingles is about twenty lines on ``hashlib`` and NumPy
(already there for the stories' MinHash): the bit tallies are one column sum
over the digests' unpacked bits. The PyPI simhash packages hash with other
functions, so their fingerprints would not match the archived ones.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata

import numpy as np

from archive.arabic import fold

__all__ = [
    "NEAR_DUPLICATE_DISTANCE",
    "content_hash",
    "hamming",
    "normalise_text",
    "shingles",
    "simhash",
    "simhash_bands",
    "simhash_hex",
    "simhash_value",
    "words",
]

# Maximum Hamming distance between two 64-bit simhashes for "same story".
# 3 is the value Manku, Jain and Das Sarma (WWW 2007) validated for 64-bit
# fingerprints of web pages, and the largest distance for which four 16-bit
# bands guarantee an exact band match (pigeonhole), so the indexed candidate
# lookup cannot miss one. It is strict: it means roughly 99% of the
# 3-shingles in common. On a 400-word article a syndication prefix or credit
# line, a word or two changed, or one short sentence dropped stays within
# it; a cut paragraph does not, and unrelated articles sit 20-40 bits apart.
# Short texts are noisier, hence NEAR_DUPLICATE_MIN_WORDS in archive.dedup.
NEAR_DUPLICATE_DISTANCE = 3

_WORD = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")
_MASK64 = (1 << 64) - 1


def normalise_text(text: str) -> str:
    """NFKC, whitespace collapsed, casefolded: markup-free text identity."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text or "")).strip().casefold()


def content_hash(title: str, body: str) -> str:
    """SHA-256 hex digest of the normalised title and body.

    Whitespace, case and Unicode compatibility forms do not count; any
    change of words does (that is what makes a revision).
    """
    # \x1f (unit separator) cannot survive normalisation inside either part,
    # so moving text between title and body changes the hash.
    data = normalise_text(title) + "\x1f" + normalise_text(body)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


# Cached for the last few texts: an extraction worker takes one body's words and
# shingles for its simhash and again for its story signature (archive.stories.text).
@functools.lru_cache(maxsize=8)
def words(text: str) -> tuple[str, ...]:
    """The words of a text, folded (harakat, alef forms, digits) and casefolded, so
    spelling variants of the same words do not count as edits."""
    return tuple(_WORD.findall(fold(text).casefold()))


@functools.lru_cache(maxsize=8)
def shingles(text: str) -> tuple[str, ...]:
    """The word 3-shingles of a text (:func:`words`), in order, repeats kept."""
    found = words(text)
    return tuple(" ".join(found[i : i + 3]) for i in range(len(found) - 2))


def _features(text: str) -> tuple[str, ...]:
    found = words(text)
    if len(found) < 3:
        return (" ".join(found),) if found else ()
    return shingles(text)


def simhash(text: str) -> int:
    """64-bit simhash (unsigned int) of ``text`` over word 3-shingles.

    Each shingle is hashed with an 8-byte BLAKE2b digest; bit i of the
    result is set when more shingles have bit i set than unset. Empty text
    gives 0.
    """
    features = _features(text)
    if not features:
        return 0
    digests = b"".join(
        hashlib.blake2b(feature.encode("utf-8"), digest_size=8).digest() for feature in features
    )
    # Row k: the 64 bits of the k-th digest, most significant first.
    bits = np.unpackbits(np.frombuffer(digests, dtype=np.uint8)).reshape(len(features), 64)
    majority = bits.sum(axis=0, dtype=np.int64) * 2 > len(features)
    return int.from_bytes(np.packbits(majority).tobytes(), "big")


def simhash_hex(h: int) -> str:
    """The simhash as the archive stores it: 16 hex digits."""
    return f"{h:016x}"


def simhash_value(text: str) -> int:
    """The simhash of its stored form (:func:`simhash_hex`)."""
    return int(text, 16)


def hamming(a: int, b: int) -> int:
    """Number of differing bits between two 64-bit fingerprints."""
    return ((a ^ b) & _MASK64).bit_count()


def simhash_bands(h: int) -> tuple[int, int, int, int]:
    """Split a 64-bit simhash into four 16-bit bands, high bits first.

    Two fingerprints within :data:`NEAR_DUPLICATE_DISTANCE` (<= 3) differ in
    at most three bands, so at least one band is equal: looking up rows that
    share any band finds every near-duplicate candidate.
    """
    return (
        (h >> 48) & 0xFFFF,
        (h >> 32) & 0xFFFF,
        (h >> 16) & 0xFFFF,
        h & 0xFFFF,
    )
