"""Arabic-aware text folding for full-text search.

Standard library only (``unicodedata`` and ``str.translate``): the rules are a
short, fixed character table, so no NLP dependency is needed.

Why this exists: SQLite's FTS5 ``unicode61`` tokenizer (``remove_diacritics 2``
included) treats Arabic harakat as token separators, so a diacritised
"سَانَا" is indexed as four one-letter tokens and is never found by "سانا".
The archive therefore indexes a *folded* copy of the text (:func:`fold`) and
folds queries the same way (:func:`fold_query`). Latin case and accents are
left to the tokenizer.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["FTS_COLUMNS", "fold", "fold_query"]

# Column names fold_query lets through as FTS5 column filters ("title: word").
FTS_COLUMNS = ("title", "summary", "body", "tags")


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
    return unicodedata.normalize("NFKC", text).translate(_TABLE)


# --- queries -----------------------------------------------------------------

_OPERATORS = {"AND", "OR", "NOT"}
# Characters an FTS5 bareword may hold: ASCII alphanumerics, "_", \x1a and
# anything non-ASCII. Everything else must be inside a "quoted string".
_BAREWORD = re.compile(r"[0-9A-Za-z_\x1a\u0080-\U0010ffff]+")
_HAS_WORD = re.compile(r"\w")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")  # NUL ends the SQL string: never pass it on
_LEXER = re.compile(
    r"""
      (?P<phrase>"(?:[^"]|"")*(?:"\*?)?)  # "quoted phrase"*, "" escapes a quote
    | (?P<paren>[()])
    | (?P<word>[^\s()"]+)
    """,
    re.VERBOSE,
)


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _word_tokens(word: str) -> list[str]:
    """Turn one bare word of user input into FTS5 tokens."""
    if word in _OPERATORS:
        return [word]
    prefix = ""
    column, sep, rest = word.partition(":")
    if sep and column.lower() in FTS_COLUMNS:
        prefix, word = column.lower() + ": ", rest
        if not word:
            return [prefix.rstrip()]  # "title:" followed by a phrase or group
    star = ""
    if word.endswith("*"):
        word, star = word.rstrip("*"), "*"
    word = fold(word)
    if not _HAS_WORD.search(word):
        return []  # punctuation only: would be an empty (or invalid) phrase
    # Keywords glued to a column or a "*" are words, so they are quoted
    # ("NEAR" is a keyword whenever a "(" follows).
    if _BAREWORD.fullmatch(word) and word not in _OPERATORS and word != "NEAR":
        return [prefix + word + star]
    return [prefix + _quote(word) + star]


def fold_query(q: str) -> str:
    """Fold a user's FTS5 query like :func:`fold`, keeping its syntax usable.

    Quoted phrases, ``AND``/``OR``/``NOT`` (upper case, as FTS5 wants),
    parentheses, a trailing ``*`` for prefix search and ``column:`` filters
    for the archive's FTS columns keep working. Bare words holding characters
    FTS5 rejects (``al-Assad``, ``10:30``, ``sana.sy``) are quoted so they
    search as a phrase instead of raising a syntax error; dangling operators
    and unbalanced parentheses are dropped. Returns "" for an empty query.
    """
    tokens: list[str] = []
    for m in _LEXER.finditer(_CONTROL.sub(" ", q or "")):
        if m.group("phrase") is not None:
            raw = m.group("phrase")
            star = "*" if raw.endswith('"*') else ""
            raw = raw.removesuffix("*")
            inner = raw[1:-1] if len(raw) > 1 and raw.endswith('"') else raw[1:]
            inner = fold(inner.replace('""', '"'))
            if _HAS_WORD.search(inner):
                tokens.append(_quote(inner) + star)
        elif m.group("paren") is not None:
            tokens.append(m.group("paren"))
        else:
            tokens.extend(_word_tokens(m.group("word")))
    out, _ = _parse(tokens, 0, 0)
    return " ".join(out)


def _parse(tokens: list[str], i: int, depth: int, in_col: bool = False) -> tuple[list[str], int]:
    """Rebuild a valid FTS5 expression, dropping what cannot fit.

    expr := term (OP? term)*  and  term := [column:] (phrase | "(" expr ")").
    Operators without a term on both sides, stray ")" and empty groups are
    dropped, an unclosed "(" is closed at the end, and the implicit AND
    between terms is written out.
    """
    out: list[str] = []
    pending_op: str | None = None
    n = len(tokens)
    while i < n:
        tok = tokens[i]
        if tok == ")":
            if depth:
                break  # the caller consumes it
            i += 1
            continue
        if tok in _OPERATORS:
            if out:
                pending_op = tok
            i += 1
            continue
        term, i = _term(tokens, i, depth, in_col)
        if term:
            if out:
                # FTS5 allows implicit AND between phrases but not next to a
                # "(group)", so the operator is always written out.
                out.append(pending_op or "AND")
            out.append(term)
            pending_op = None
    return out, i


def _term(tokens: list[str], i: int, depth: int, in_col: bool) -> tuple[str | None, int]:
    tok = tokens[i]
    if in_col:
        # FTS5 rejects a column filter inside another one: the outer wins.
        tok = tok.partition(": ")[2] if _has_column(tok) else tok
        if _is_column_only(tok):
            return None, i + 1
    if tok == "(":
        inner, i = _parse(tokens, i + 1, depth + 1, in_col)
        if i < len(tokens) and tokens[i] == ")":
            i += 1
        return ("(" + " ".join(inner) + ")" if inner else None), i
    if _is_column_only(tok):  # "title:" before a phrase or a group
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ")"
        if nxt not in _OPERATORS and nxt != ")":
            term, j = _term(tokens, i + 1, depth, True)
            return (f"{tok} {term}" if term else None), j
        return None, i + 1
    return tok, i + 1


def _is_column_only(tok: str) -> bool:
    return tok.endswith(":") and not tok.startswith('"')


def _has_column(tok: str) -> bool:
    # Word tokens built by _word_tokens carry their filter as "col: word".
    return not tok.startswith('"') and ": " in tok
