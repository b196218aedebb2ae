"""Arabic for full-text search: folding, and light stemming of folded words.

Standard library only (``unicodedata``, ``re``, string affixes): both steps
are short, fixed rule tables.

Folding (:func:`fold`). SQLite's FTS5 ``unicode61`` tokenizer (``remove_diacritics
2`` included) treats Arabic harakat as token separators, so a diacritised
"سَانَا" is indexed as four one-letter tokens and is never found by "سانا".
The archive therefore indexes folded text and folds queries the same way.
Latin text is left to the English stemmer and the tokenizer.

Stemming (:func:`light_stem`). Arabic glues the article, conjunctions,
prepositions and pronouns to the word (الكهرباء، بالكهرباء، والكهرباء،
منازلهم), so a folded-only index finds "كهرباء" in 2 articles of the demo
archive and "بالكهرباء" in none. :func:`light_stem` is Light10 (Larkey,
Ballesteros and Connell, "Light Stemming for Arabic Information Retrieval",
2007), the algorithm Lucene's and Elasticsearch's ``arabic`` analyzers
implement, plus the attached plural pronouns (هم، هن، كم), teh marbuta
before a pronoun (عائلته) and the plural before a noun (مزارعو الريف). It
was chosen by measurement over the maintained library stemmers on the
labelled queries of tests/fixtures/search_queries.json
(benchmarks/bench_search.py, figures in BENCHMARKS.md): NLTK's ISRI stemmer
reduces words to roots (مدرسة and درس, محافظة and حفظ become one), which
finds every inflection but also many unrelated words; Snowball's Arabic
stemmer leaves وال- words whole and stems مياه and المياه differently;
Tashaphyne strips root letters (كهرباء -> هرباء). Light10 works on text
normalised exactly as :func:`fold` does (no diacritics, bare alef, ى -> ي,
ة -> ه), so it runs after folding.

A bare preposition (ب، ل، ك، ف) is not stripped from the index, because it
cannot be told from a root letter (بنان، كتاب، لبنان); instead a query word is
also looked for with those prefixes (:data:`CLITIC_PREFIXES`), and without
one it starts with, which is how "حلب" finds "بحلب" and "بحلب" finds "حلب".
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["CLITIC_PREFIXES", "fold", "is_arabic", "light_stem"]


def _build_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    removed = [
        *range(0x0610, 0x061B),  # Quranic annotation signs
        *range(0x064B, 0x0660),  # harakat: fathatan .. wavy hamza below
        0x0670,  # superscript alef
        *range(0x06D6, 0x06EE),  # Quranic marks
        0x0640,  # tatweel (kashida): pure justification
        # Invisible format characters: they sit inside words in copied text
        # (ZWNJ in Persian-style typing, bidi marks around numbers) and would
        # split or glue tokens differently from what the reader sees.
        0x061C,  # Arabic letter mark
        *range(0x200B, 0x2010),  # ZWSP, ZWNJ, ZWJ, LRM, RLM
        *range(0x202A, 0x202F),  # bidi embeddings/overrides
        *range(0x2066, 0x206A),  # bidi isolates
        0xFEFF,  # BOM / zero width no-break space
    ]
    for cp in removed:
        table[cp] = None
    # Alef forms (hamza above/below, madda, wasla, wavy hamza) -> bare alef:
    # writers and keyboards use them inconsistently.
    for cp in (0x0622, 0x0623, 0x0625, 0x0671, 0x0672, 0x0673):
        table[cp] = "\u0627"
    table[0x0649] = "\u064a"  # alef maksura -> yeh
    table[0x0629] = "\u0647"  # teh marbuta -> heh
    # Persian keyboard letters that look identical in Arabic text.
    table[0x06CC] = "\u064a"  # Farsi yeh -> Arabic yeh
    table[0x06A9] = "\u0643"  # keheh -> kaf
    for i in range(10):
        table[0x0660 + i] = str(i)  # Arabic-Indic digits
        table[0x06F0 + i] = str(i)  # Extended (Persian) digits
    return table


_TABLE = _build_table()
# No character maps to one that maps again, so each can be replaced on its own.
_FOLDED = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_TABLE)) + "]")


def fold(text: str) -> str:
    """Return ``text`` normalised for indexing and matching.

    NFKC first (presentation forms and ligatures become base letters, alef +
    combining hamza becomes one code point), then harakat, Quranic marks,
    tatweel and invisible format characters are removed, alef forms unified,
    ى -> ي, ة -> ه, and Arabic-Indic / Persian digits become ASCII digits.
    Latin text is returned unchanged apart from NFKC.
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    # str.translate looks every character up in the table (170 us for 3,000 characters);
    # replacing only the few distinct ones a text has is 3x faster on Arabic and 20x on
    # Latin text, which has none: every article is folded several times when indexed.
    for char in set(_FOLDED.findall(text)):
        text = text.replace(char, _TABLE[ord(char)] or "")
    return text


def is_arabic(word: str) -> bool:
    """Whether a folded word starts with an Arabic letter (so takes :func:`light_stem`)."""
    return bool(word) and "\u0620" <= word[0] <= "\u06ff"


# Light10's definite article forms, longest first: only one is removed.
_ARTICLES = ("وال", "بال", "كال", "فال", "لل", "ال")
# Light10's suffixes in its order (folded: ية -> يه, ة -> ه), each removed at
# most once while two letters remain...
_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")
# ...and, first, attached pronouns, which Light10 leaves on: only while
# three letters remain, since short words end in these letters (فهم، حكم).
_PRONOUNS = ("تهم", "تها", "ته", "هما", "هم", "هن", "كم")

# Prepositions and conjunctions a word is also searched with (see the module
# docstring); و is not among them because light_stem removes it.
CLITIC_PREFIXES = ("ب", "ل", "ك", "ف", "فب", "فل", "فك")


def light_stem(word: str) -> str:
    """The light stem of one folded Arabic word (:func:`fold` first).

    وال/بال/كال/فال/لل/ال and a leading و come off, then attached pronouns,
    then Light10's suffixes: بالكهرباء, والكهرباء and كهرباء all give
    كهرباء, المزارعين and مزارعون give مزارع. Broken plurals (مدارس, مدرسة)
    keep different stems. Words of three letters or fewer are left alone.
    """
    if len(word) <= 3:
        return word
    if word[0] == "\u0648" and len(word) >= 4:  # و "and"
        word = word[1:]
    for prefix in _ARTICLES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            word = word[len(prefix) :]
            break
    for suffix in _PRONOUNS:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            # teh marbuta before a pronoun (عائلته) is the ة of عائلة.
            word = word[: -len(suffix)] + ("\u0647" if suffix[0] == "\u062a" else "")
            break
    else:
        if word.endswith("\u0648") and len(word) >= 5:
            word = word[:-1]  # plural before a noun: مزارعو (ريف) is مزارعون
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            word = word[: -len(suffix)]
    return word
