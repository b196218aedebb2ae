"""The query language: a user's query as an FTS5 MATCH expression, by the same analyser.

A user's query goes through the analyser of the index (archive.search.analyser):
bare words search the stem columns, an Arabic word also with an attached
preposition (حلب finds بحلب), quoted phrases and ``prefix*`` the folded
columns, and the FTS5 syntax a user may type (``"phrase"``, ``AND``/``OR``/
``NOT``, parentheses, ``title:``) keeps working without ever raising a syntax
error. Bare words that spell a name of the gazetteer (archive.gazetteer) look
for each of its spellings.

The query's leaves (a word, a phrase, a prefix) are written out for the index
and kept in a :class:`Highlighter`, which finds the same leaves among a text's
tokens so the snippets (archive.search.snippets) mark what the index matched.
It lives here rather than with the snippets because a parsed query carries it
(:class:`ParsedQuery`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from archive.arabic import CLITIC_PREFIXES, is_arabic
from archive.gazetteer import ADJECTIVES, ENTRIES, NAMED
from archive.search.analyser import COLUMNS, STEM_COLUMNS, Token, stem, tokens

__all__ = ["Highlighter", "ParsedQuery", "match_expression", "parse_query"]

_OPERATORS = {"AND", "OR", "NOT"}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")  # NUL ends the SQL string: never pass it on
_LEXER = re.compile(
    r"""
      (?P<phrase>"(?:[^"]|"")*(?:"\*?)?)  # "quoted phrase"*, "" escapes a quote
    | (?P<paren>[()])
    | (?P<word>[^\s()"]+)
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class _Leaf:
    """One thing to look for: a sequence of words, stemmed or exact."""

    words: tuple[frozenset[str], ...]  # each position: the forms that match it
    exact: bool  # compare folded words (phrases, prefixes) rather than stems
    prefix: bool = False  # the last word may be a prefix
    column: str | None = None

    def fts(self, column: str | None) -> str:
        column = column or self.column
        if self.exact:
            cols = [column] if column else list(COLUMNS)
        else:
            cols = [f"{column}_stem"] if column else list(STEM_COLUMNS)
        if len(self.words) == 1 and len(self.words[0]) > 1:
            body = "(" + " OR ".join(_quote(w) for w in sorted(self.words[0])) + ")"
        else:
            body = _quote(" ".join(next(iter(w)) for w in self.words))
            body += "*" if self.prefix else ""
        return "{" + " ".join(cols) + "}: " + body


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _leaf_for_word(word: str, column: str | None) -> _Leaf | None:
    """A bare word of user input: its stems, or a prefix when it ends in '*'."""
    if word.endswith("*"):
        words = [t.exact for t in tokens(word.rstrip("*"))]
        if not words:
            return None
        return _Leaf(tuple(frozenset([w]) for w in words), exact=True, prefix=True, column=column)
    terms = [t.term for t in tokens(word)]
    if not terms:
        return None  # punctuation only: nothing to look for
    if len(terms) == 1 and is_arabic(terms[0]) and len(terms[0]) >= 3:
        stems = {terms[0]}
        # A query word may carry the preposition itself (بحلب): look for the
        # word without it too, as long as three letters remain.
        stems |= {terms[0][len(p) :] for p in CLITIC_PREFIXES if terms[0].startswith(p)}
        stems = {s for s in stems if len(s) >= 3}
        forms = frozenset(f for s in stems for f in (s, *(p + s for p in CLITIC_PREFIXES)))
        return _Leaf((forms,), exact=False, column=column)
    return _Leaf(tuple(frozenset([t]) for t in terms), exact=False, column=column)


# --- spellings of one name -----------------------------------------------------------

_LONGEST_NAME = 4  # words: the longest spelling a query's words are matched against


@functools.lru_cache(maxsize=1)
def _names() -> dict[str, list[tuple[str, bool]]]:
    """Each named entry of the gazetteer -> its spellings, each with whether it is Arabic.
    Adjectives are no spelling of the name."""
    names: dict[str, list[tuple[str, bool]]] = {}
    for key, kind, english, arabic in ENTRIES:
        if kind in NAMED:
            names[key] = [
                *((e, False) for e in english if e not in ADJECTIVES),
                *((a, True) for a in arabic if a not in ADJECTIVES),
            ]
    return names


@functools.lru_cache(maxsize=1)
def _spellings() -> dict[tuple[str, ...], tuple[str, bool]]:
    """Each spelling of :func:`_names`, as the stems of its words -> (the entry, whether
    it is Arabic)."""
    table: dict[tuple[str, ...], tuple[str, bool]] = {}
    for key, spellings in _names().items():
        for spelling, in_arabic in spellings:
            table.setdefault(tuple(t.term for t in tokens(spelling)), (key, in_arabic))
    return table


def _name_group(words: list[str], other_language: bool) -> tuple[list[Any], list[str]] | None:
    """The query's words when they spell a name of the gazetteer: a group of every
    spelling of that name (in both languages with ``other_language``) and the
    spellings added; None otherwise."""
    key = tuple(t.term for w in words for t in tokens(w))
    keys = [key]
    if len(key) == 1 and is_arabic(key[0]):  # بسوريا: the name behind a preposition
        exact = next(iter(tokens(" ".join(words)))).exact
        keys += [(stem(exact[len(p) :]),) for p in CLITIC_PREFIXES if exact.startswith(p)]
    found = next((_spellings()[k] for k in keys if k in _spellings()), None)
    if found is None:
        return None
    entry, in_arabic = found
    typed = " ".join(words)
    spellings = [s for s, arabic in _names()[entry] if other_language or arabic == in_arabic]
    group: list[Any] = ["("]
    added = []
    for spelling in spellings:
        leaf = _leaf_for_name(spelling)
        if leaf is None:
            continue
        if len(group) > 1:
            group.append("OR")
        group.append(leaf)
        if tuple(t.term for t in tokens(spelling)) not in keys:
            added.append(spelling)
    group.append(")")
    return (group, added) if added else ([_leaf_for_name(typed)], [])


def _leaf_for_name(spelling: str) -> _Leaf | None:
    """One spelling of a name: a word as a query word is, or its words in that order."""
    words = spelling.split()
    if len(words) == 1:
        return _leaf_for_word(spelling, None)
    terms = [t.term for t in tokens(spelling)]
    return _Leaf(tuple(frozenset([t]) for t in terms), exact=False) if terms else None


def _with_names(out: list[Any], words: list[str], other_language: bool) -> list[str]:
    """Append the leaves of a run of bare words to ``out``, a name's words as the group
    of its spellings (longest first); returns the spellings added."""
    added: list[str] = []
    i = 0
    while i < len(words):
        for size in range(min(_LONGEST_NAME, len(words) - i), 0, -1):
            named = _name_group(words[i : i + size], other_language)
            if named is not None:
                out.extend(named[0])
                added.extend(named[1])
                i += size
                break
        else:
            leaf = _leaf_for_word(words[i], None)
            if leaf is not None:
                out.append(leaf)
            i += 1
    return added


def _lex(q: str, other_language: bool = False) -> tuple[list[Any], list[str]]:
    """User input as operators, parentheses, column names and leaves; and the other
    spellings of the names it holds that were added (archive.gazetteer)."""
    out: list[Any] = []
    added: list[str] = []
    run: list[str] = []  # bare words in a row, which may spell a name together
    for m in _LEXER.finditer(_CONTROL.sub(" ", q or "")):
        word = m.group("word")
        if word is not None and word not in _OPERATORS and ":" not in word and "*" not in word:
            run.append(word)
            continue
        added += _with_names(out, run, other_language)
        run = []
        if m.group("phrase") is not None:
            raw = m.group("phrase")
            star = raw.endswith('"*')
            raw = raw.removesuffix("*")
            inner = raw[1:-1] if len(raw) > 1 and raw.endswith('"') else raw[1:]
            words = [t.exact for t in tokens(inner.replace('""', '"'))]
            if words:
                out.append(_Leaf(tuple(frozenset([w]) for w in words), exact=True, prefix=star))
        elif m.group("paren") is not None:
            out.append(m.group("paren"))
        else:
            word = m.group("word")
            if word in _OPERATORS:
                out.append(word)
                continue
            column, sep, rest = word.partition(":")
            if sep and column.lower() in COLUMNS:
                column = column.lower()
                if not rest:
                    out.append(("column", column))  # "title:" before a phrase or a group
                    continue
                leaf = _leaf_for_word(rest, column)
            else:
                leaf = _leaf_for_word(word, None)
            if leaf is not None:
                out.append(leaf)
    added += _with_names(out, run, other_language)
    return out, added


@dataclass
class ParsedQuery:
    """A user's query as an FTS5 expression, what to highlight for it, and the other
    spellings of its names that it also looks for."""

    expression: str
    highlighter: Highlighter
    also: list[str] = field(default_factory=list)


def parse_query(q: str, other_language: bool = False) -> ParsedQuery:
    """Parse a user's query (see the module docstring); expression "" when it has no words.

    Dangling operators and unbalanced parentheses are dropped, an unclosed
    "(" is closed at the end, and the implicit AND between terms is written
    out (FTS5 allows it between phrases but not next to a group). Bare words
    that spell a name of the gazetteer (Deir ez-Zor, سوريا) look for each of
    its spellings (Deir Ezzor, سورية), in both languages with ``other_language``
    (Idlib, إدلب); a quoted phrase is looked for as typed.
    """
    leaves: list[_Leaf] = []
    toks, also = _lex(q, other_language)
    out, _ = _parse(toks, 0, 0, None, False, leaves)
    return ParsedQuery(" ".join(out), Highlighter(leaves), also)


def match_expression(q: str, other_language: bool = False) -> str:
    """The FTS5 MATCH expression for a user's query ("" when it has no words)."""
    return parse_query(q, other_language).expression


def _parse(
    toks: list[Any], i: int, depth: int, column: str | None, negated: bool, leaves: list[_Leaf]
) -> tuple[list[str], int]:
    """expr := term (OP? term)*; the leaves not under NOT go to ``leaves``."""
    out: list[str] = []
    pending_op: str | None = None
    while i < len(toks):
        tok = toks[i]
        if tok == ")":
            if depth:
                break  # the caller consumes it
            i += 1
            continue
        if isinstance(tok, str) and tok in _OPERATORS:
            if out:
                pending_op = tok
            i += 1
            continue
        term, i = _term(toks, i, depth, column, negated or pending_op == "NOT", leaves)
        if term:
            if out:
                out.append(pending_op or "AND")
            out.append(term)
            pending_op = None
    return out, i


def _term(
    toks: list[Any], i: int, depth: int, column: str | None, negated: bool, leaves: list[_Leaf]
) -> tuple[str | None, int]:
    tok = toks[i]
    if isinstance(tok, _Leaf):
        if not negated:
            leaves.append(tok)
        # A column inside another column's group: the outer one wins.
        return tok.fts(column), i + 1
    if tok == "(":
        inner, i = _parse(toks, i + 1, depth + 1, column, negated, leaves)
        if i < len(toks) and toks[i] == ")":
            i += 1
        return ("(" + " ".join(inner) + ")" if inner else None), i
    if isinstance(tok, tuple):  # ("column", name) before a phrase or a group
        nxt = toks[i + 1] if i + 1 < len(toks) else ")"
        if nxt != ")" and not (isinstance(nxt, str) and nxt in _OPERATORS):
            return _term(toks, i + 1, depth, column or tok[1], negated, leaves)
    return None, i + 1


# --- what a query matched in a text ------------------------------------------------------


@dataclass
class Highlighter:
    """Finds the words of a text that a query matched, by the same analyser."""

    leaves: Sequence[_Leaf] = field(default_factory=list)

    def spans(self, toks: Sequence[Token]) -> list[tuple[int, int, int]]:
        """(first token, last token + 1, leaf number) of each match in ``toks``."""
        found = []
        for i in range(len(toks)):
            for n, leaf in enumerate(self.leaves):
                size = len(leaf.words)
                if i + size <= len(toks) and all(
                    self._matches(leaf, j, toks[i + j]) for j in range(size)
                ):
                    found.append((i, i + size, n))
        return found

    @staticmethod
    def _matches(leaf: _Leaf, j: int, tok: Token) -> bool:
        forms = leaf.words[j]
        if not leaf.exact:
            return tok.term in forms
        if leaf.prefix and j == len(leaf.words) - 1:
            return any(tok.exact.startswith(f) for f in forms)
        return tok.exact in forms
