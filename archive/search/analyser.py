"""The analyser: the words of a text, folded and stemmed, and what the index holds of them.

SQLite's FTS5 (built into the sqlite3 module) holds two copies of each
article's title, summary, body and tags, rowid = articles.id:

- ``title`` ... ``tags``: the text folded (:func:`archive.arabic.fold`), for
  exact phrases in quotes and ``prefix*`` searches;
- ``title_stem`` ... ``tags_stem``: the stem of every word, for bare words.
  Arabic words take :func:`archive.arabic.light_stem` (clitics and suffixes
  off: بالكهرباء -> كهرباء), Latin words the Snowball English stemmer
  (Porter2, Porter's revision of his algorithm: farmers -> farmer), from
  PyStemmer, the C build of the Snowball stemmers maintained by the Snowball
  project (fast enough to index a million articles; same algorithm as FTS5's
  ``porter`` tokenizer, improved).

The stemming happens in Python, because Python's sqlite3 cannot register an
FTS5 tokenizer; so the index is kept in step here, at upsert time, rather
than by triggers (:func:`index_article`; an extraction worker makes the
:func:`index_values` ahead of the writer). The queries (archive.search.query)
and the highlights (archive.search.snippets) go through the same
:func:`tokens`, so what the index matches is what a snippet marks.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import Stemmer

from archive.arabic import fold, is_arabic, light_stem
from archive.record import json_list

__all__ = [
    "COLUMNS",
    "STEM_COLUMNS",
    "Token",
    "index_article",
    "index_values",
    "stem",
    "tokens",
]

# The article fields indexed, as the FTS5 columns of the folded copy; the
# stemmed copy has the same names with "_stem".
COLUMNS = ("title", "summary", "body", "tags")
STEM_COLUMNS = tuple(f"{c}_stem" for c in COLUMNS)

# A word of the original text: letters and digits with the marks that sit
# inside words (harakat, Quranic signs, Latin combining accents, tatweel is a
# letter) and the invisible characters fold() removes (ZWNJ, bidi marks).
_MARKS = (
    "\u0300-\u036f\u0610-\u061a\u061c\u064b-\u065f\u0670\u06d6-\u06ed"
    "\u200b-\u200f\u2066-\u2069\ufeff"
)
_RAW_WORD = re.compile(rf"(?:[^\W_]|[{_MARKS}])+")
_WORD = re.compile(r"[^\W_]+")  # a word of folded text, as unicode61 splits it
_ENGLISH = Stemmer.Stemmer("english")


@dataclass(frozen=True)
class Token:
    """One word of a text: where it is, its folded form and its stem."""

    start: int
    end: int
    exact: str
    term: str


@functools.lru_cache(maxsize=65536)
def _analyse_word(raw: str) -> tuple[tuple[str, str], ...]:
    """(folded, stem) of each word a raw word folds into (NFKC may split one)."""
    return tuple((folded, stem(folded)) for folded in _WORD.findall(fold(raw).lower()))


# The words of news repeat, the commonest most: 4,096 cached words answer 76% of the
# lookups on 1,200 articles of the public corpora, whose index values then cost 0.65 ms
# an article (0.50 ms with 65,536 words cached, 0.71 with none); 65,536 held ~16 MB in
# every extraction worker.
@functools.lru_cache(maxsize=4096)
def stem(folded: str) -> str:
    """The stem of one folded word: Light10 for Arabic, Porter2 for a Latin word."""
    if is_arabic(folded):
        return light_stem(folded)
    # Digits and other scripts pass through; Porter2 only changes Latin endings.
    return _ENGLISH.stemWord(folded) if folded.isascii() and folded.isalpha() else folded


def tokens(text: str) -> Iterator[Token]:
    """The words of ``text`` with their offsets in it, folded and stemmed."""
    for m in _RAW_WORD.finditer(text or ""):
        for folded, term in _analyse_word(m.group()):
            yield Token(m.start(), m.end(), folded, term)


def _stems(text: str) -> str:
    # The words of tokens(), without their offsets: folding the whole text at
    # once is several times faster than word by word, which counts when an
    # upgrade reindexes a large archive.
    return " ".join(stem(w) for w in _WORD.findall(fold(text).lower()))


def index_values(rec: Mapping[str, Any]) -> list[str]:
    """The FTS5 column values of one article: folded columns, then stemmed ones."""
    texts = [rec.get("title") or "", rec.get("summary") or "", rec.get("body") or ""]
    texts.append("\n".join(json_list(rec.get("tags"))))
    return [fold(t) for t in texts] + [_stems(t) for t in texts]


def index_article(
    db: Any,
    article_id: int,
    rec: Mapping[str, Any],
    *,
    values: Sequence[str] | None = None,
    new: bool = False,
) -> None:
    """(Re)index one article inside the caller's transaction: ``values`` are its
    :func:`index_values` when an extraction worker made them; ``new``, an article
    that has no index row yet."""
    if not new:
        db.execute("DELETE FROM articles_fts WHERE rowid = ?", [article_id])
    names = ", ".join((*COLUMNS, *STEM_COLUMNS))
    db.execute(
        f"INSERT INTO articles_fts (rowid, {names}) VALUES (?{', ?' * 8})",
        [article_id, *(values if values is not None else index_values(rec))],
    )
