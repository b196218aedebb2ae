"""Whether two articles report one story: their content within a language, what
survives translation across languages, the same image, the original-outlet line.

The thresholds are measured on the labelled pairs of
tests/fixtures/stories/pairs.json (benchmarks/bench_stories.py, figures in
BENCHMARKS.md) and checked by tests/test_stories.py.
"""

from __future__ import annotations

import dataclasses
import re

import numpy as np

from archive.arabic import fold
from archive.stories.anchors import NAME_KINDS
from archive.stories.text import MIN_SHINGLES, NUM_PERM, StoryDoc

BAND_WINDOW_DAYS = 30  # a republished copy may come weeks later
ANCHOR_WINDOW_DAYS = 3  # a translation or another outlet's report: within days
IMAGE_WINDOW_DAYS = 2
ORIGINAL_WINDOW_DAYS = (10, 1)  # a translation appears up to 10 days after (1 before) its original

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

# Anchors that pin one event (a number, a date, a person, an organisation), as opposed
# to those that only say where and what about (places, topics).
SPECIFIC = ("n:", "d:", "m:")
SPECIFIC_KINDS = frozenset({"person", "org"})


@dataclasses.dataclass(frozen=True)
class Link:
    """How an article was linked to another of its story, and how sure that is (0..1)."""

    method: str
    score: float


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
    return anchor.startswith("g:") and NAME_KINDS.get(anchor[2:]) in SPECIFIC_KINDS


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
