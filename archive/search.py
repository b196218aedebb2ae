"""Full-text search: one analyser for the index, the queries and the highlights.

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
than by triggers. A user's query goes through the same analyser
(:func:`match_expression`): bare words search the stem columns, an Arabic
word also with an attached preposition (حلب finds بحلب), quoted phrases
and ``prefix*`` the folded columns, and the FTS5 syntax a user may type
(``"phrase"``, ``AND``/``OR``/``NOT``, parentheses, ``title:``) keeps
working without ever raising a syntax error.

FTS5's own ``snippet()`` can only show the indexed, folded text (محافظه
where the article has محافظة). :func:`snippet` instead runs the analyser
over the article's own text and cuts the snippet from it, so highlights are
in the article's spelling, diacritics included.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import Stemmer

from archive.arabic import CLITIC_PREFIXES, fold, is_arabic, light_stem
from archive.days import date_filter
from archive.gazetteer import ADJECTIVES, ENTRIES, NAMED
from archive.record import json_list

__all__ = [
    "COLUMNS",
    "ORDERS",
    "Highlighter",
    "Token",
    "count_found",
    "filter_clause",
    "find_articles",
    "highlighted",
    "order_by",
    "register_functions",
    "tag_key",
    "index_article",
    "index_values",
    "match_expression",
    "parse_query",
    "search_articles",
    "snippet",
    "matched_tags",
    "tokens",
]

# The article fields indexed, as the FTS5 columns of the folded copy; the
# stemmed copy has the same names with "_stem".
COLUMNS = ("title", "summary", "body", "tags")
STEM_COLUMNS = tuple(f"{c}_stem" for c in COLUMNS)
# bm25 weights, folded then stemmed columns: a title match weighs most, then
# summary and tags, then the body.
_WEIGHTS = "5.0, 2.0, 1.0, 2.0, 5.0, 2.0, 1.0, 2.0"
ORDERS = ("newest", "oldest", "relevance")

# --- the analyser ---------------------------------------------------------------------

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
    return tuple((folded, _stem(folded)) for folded in _WORD.findall(fold(raw).lower()))


# The words of news repeat, the commonest most: 4,096 cached words answer 76% of the
# lookups on 1,200 articles of the public corpora, whose index values then cost 0.65 ms
# an article (0.50 ms with 65,536 words cached, 0.71 with none); 65,536 held ~16 MB in
# every extraction worker.
@functools.lru_cache(maxsize=4096)
def _stem(folded: str) -> str:
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
    return " ".join(_stem(w) for w in _WORD.findall(fold(text).lower()))


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


# --- queries ------------------------------------------------------------------------

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
        keys += [(_stem(exact[len(p) :]),) for p in CLITIC_PREFIXES if exact.startswith(p)]
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


# --- highlights and snippets -------------------------------------------------------------


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


def snippet(
    text: str, highlighter: Highlighter, *, words: int = 30
) -> list[tuple[str, bool]] | None:
    """The passage of ``text`` with most of the query's terms, in the text's own spelling.

    A list of (text, matched) pieces, with "…" where the passage is cut;
    None when nothing in ``text`` matches. The window of ``words`` words
    holding the most different query terms wins (the earliest on a tie) and
    starts a few words before its first match.
    """
    toks = list(tokens(text))
    spans = highlighter.spans(toks)
    if not spans:
        return None
    best, best_score = 0, -1
    for first, _, _ in spans:
        # A few words of context before the match, more when the text ends soon.
        start = max(0, min(first - 4, len(toks) - words))
        score = len({n for f, e, n in spans if f >= start and e <= start + words})
        if score > best_score:
            best, best_score = start, score
    end = min(len(toks), best + words)
    pieces: list[tuple[str, bool]] = [("…", False)] if best > 0 else []
    pieces += _marked(text, toks, spans, best, end)
    if end < len(toks):
        pieces.append(("…", False))
    return [(t, m) for t, m in pieces if t]


def highlighted(text: str, highlighter: Highlighter) -> list[tuple[str, bool]]:
    """The whole of ``text`` as (text, matched) pieces: the query's words marked."""
    toks = list(tokens(text))
    spans = highlighter.spans(toks)
    if not spans:
        return [(text, False)] if text else []
    return [(t, m) for t, m in _marked(text, toks, spans, 0, len(toks), whole=True) if t]


def _marked(
    text: str, toks: list[Token], spans: list, first: int, end: int, whole: bool = False
) -> list[tuple[str, bool]]:
    """Tokens first..end of ``text`` as pieces, the spans' matches marked; ``whole``: from
    the text's start, and to its end when ``end`` is its last token."""
    matched = sorted({(f, e) for f, e, _ in spans if f >= first and e <= end})
    pieces: list[tuple[str, bool]] = []
    pos = 0 if whole else toks[first].start
    for f, e in matched:
        if toks[f].start < pos:
            continue  # overlaps the previous match
        pieces.append((text[pos : toks[f].start], False))
        pieces.append((text[toks[f].start : toks[e - 1].end], True))
        pos = toks[e - 1].end
    if end < len(toks):
        pieces.append((text[pos : toks[end - 1].end], False))
    else:
        rest = text[pos:]
        pieces.append((rest if whole else rest.rstrip(), False))  # its full stop included
    return pieces


def best_snippet(
    article: Mapping[str, Any], highlighter: Highlighter, *, words: int = 30
) -> list[tuple[str, bool]]:
    """The snippet of an article: from the body, else the summary or title, else its start."""
    for name in ("body", "summary", "title"):
        found = snippet(article.get(name) or "", highlighter, words=words)
        if found:
            return found
    toks = list(tokens(article.get("body") or article.get("summary") or ""))
    if not toks:
        return []
    text = article.get("body") or article.get("summary") or ""
    if len(toks) <= words:
        return [(text.strip(), False)]
    return [(text[: toks[words - 1].end], False), ("…", False)]


def matched_tags(
    article: Mapping[str, Any], highlighter: Highlighter
) -> list[list[tuple[str, bool]]]:
    """The article's tags the query matched, each as (text, matched) pieces: why an
    article was found when its title, standfirst and body have none of the words."""
    found = []
    for tag in json_list(article.get("tags")):
        pieces = highlighted(tag, highlighter)
        if any(matched for _, matched in pieces):
            found.append(pieces)
    return found


def snippet_text(pieces: Sequence[tuple[str, bool]], marks: tuple[str, str] = ("[", "]")) -> str:
    """Pieces of :func:`snippet` as plain text, matches between ``marks``."""
    return "".join(f"{marks[0]}{t}{marks[1]}" if m else t for t, m in pieces)


# --- searching ---------------------------------------------------------------------------


def tag_key(value: Any) -> str | None:
    """How tags compare: folded and case-insensitive ("Syria" = "syria", "الأسد" = "الاسد")."""
    return fold(str(value)).casefold() if value is not None else None


def register_functions(conn: Any) -> None:
    """The SQL functions :func:`filter_clause` needs on a sqlite3 connection."""
    conn.create_function("tag_key", 1, tag_key, deterministic=True)


def filter_clause(
    *,
    source: str | Sequence[str] | None = None,
    language: str | None = None,
    since: str | date | datetime | None = None,
    until: str | date | datetime | None = None,
    tag: str | None = None,
    table: str = "articles",
) -> tuple[list[str], list[Any]]:
    """SQL conditions (and their parameters) on articles for the usual filters.

    ``source``: one id or several; ``language``: "ar" also matches regional
    tags such as "ar-SY"; ``since``/``until``: a bare date is the publisher's
    day and includes all of it, a time is a moment (archive.days.date_filter),
    and an article without a date matches neither;
    ``tag``: one of the article's tags, compared by :func:`tag_key` (the
    connection needs :func:`register_functions`). Raises ValueError for a
    date it cannot read.
    """
    clauses: list[str] = []
    params: list[Any] = []
    if source:
        sources = [source] if isinstance(source, str) else list(source)
        clauses.append(f"{table}.source IN ({', '.join('?' for _ in sources)})")
        params.extend(sources)
    if language:
        clauses.append(
            f"(lower({table}.language) = lower(?) OR lower({table}.language) LIKE lower(?) || '-%')"
        )
        params.extend([language, language])
    dated, dates = date_filter(since, until, table)
    clauses += dated
    params += dates
    if tag:
        clauses.append(
            f"json_valid({table}.tags) AND EXISTS (SELECT 1 FROM json_each({table}.tags) "
            "WHERE tag_key(json_each.value) = tag_key(?))"
        )
        params.append(tag)
    return clauses, params


def order_by(order: str, *, table: str = "articles", searched: bool = True) -> str:
    """ORDER BY for "newest", "oldest" (by published; undated last) or "relevance" (bm25).

    "oldest" sorts its matches (undated ones must go last, against SQLite's
    NULLS FIRST), so it is the slow one on an unfiltered list of millions.
    """
    if order not in ORDERS or (order == "relevance" and not searched):
        raise ValueError(f"unknown order {order!r}; use one of {', '.join(ORDERS)}")
    return {
        "relevance": f"bm25(articles_fts, {_WEIGHTS}), {table}.id",
        # SQLite sorts NULL last going down: undated articles come last, and
        # the published index gives the first page of a million without a sort.
        "newest": f"{table}.published DESC, {table}.id DESC",
        "oldest": f"{table}.published IS NULL, {table}.published, {table}.id",
    }[order]


def _from_where(expression: str, filters: Mapping[str, Any]) -> tuple[str, list[Any]]:
    clauses, params = filter_clause(**filters)
    if expression:
        # CROSS JOIN: from the matches to their rows. SQLite would otherwise walk a
        # filter's index and ask the full-text index about each row, a lookup
        # that costs far more than reading a row.
        base = "FROM articles_fts CROSS JOIN articles ON articles.id = articles_fts.rowid"
        clauses.insert(0, "articles_fts MATCH ?")
        params.insert(0, expression)
    else:
        base = "FROM articles"
    return base + (" WHERE " + " AND ".join(clauses) if clauses else ""), params


# On a big archive the cost of a search is the article rows it reads: a common
# word matches most of a million articles, each row several kB. The index alone
# answers "how many" without a filter (its rows are the articles: rowid =
# articles.id, indexed with each upsert); with a source and dates the
# (source, published) and (published) indexes hold what the filter needs, so a
# count or a newest-first page walks those and asks the matches for membership,
# reading only the rows it shows. Membership is asked two ways: of the matches'
# rowids gathered once (about 0.25 us a match), or of the full-text index row
# by row (about 60 us a question), which wins when the matches are so many that
# the first rows of the walk are nearly all matches (a common word).
_MEMBER = "+articles.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)"
_ASK = "EXISTS (SELECT 1 FROM articles_fts WHERE articles_fts MATCH ? AND rowid = w.id)"
# Up to this many matches, reading their rows costs less than walking an index.
FEW_MATCHES = 1000
# A question to the full-text index costs about this many gathered rowids.
ASK_COST = 240


def _index_only(filters: Mapping[str, Any]) -> bool:
    """Whether the filters are answered by indexes without the rows (not language, tag)."""
    return not filters.get("language") and not filters.get("tag")


def _active(filters: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in filters.items() if v}


_counted: dict[tuple[int, str], tuple[int, int]] = {}


def _matches(db: Any, expression: str) -> int:
    """How many articles the index matches, without reading an article row."""
    sql = "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?"
    found = db.execute(sql, [expression]).fetchone()[0]
    if len(_counted) > 64:
        _counted.clear()
    _counted[id(db), expression] = (_data_version(db), found)
    return found


def _data_version(db: Any) -> int:
    return db.execute("PRAGMA data_version").fetchone()[0]


def _matches_again(db: Any, expression: str) -> int:
    """_matches(), from the count just made on this connection when nothing was
    committed since (the search page counts, then finds): for choosing a plan only."""
    version, found = _counted.get((id(db), expression), (None, 0))
    return found if version == _data_version(db) else _matches(db, expression)


def _gathered(expression: str, active: Mapping[str, Any]) -> tuple[str, list[Any]]:
    """FROM ... WHERE of the articles of the filters whose ids the matches gathered hold."""
    clauses, params = filter_clause(**active)
    return "FROM articles WHERE " + " AND ".join([*clauses, _MEMBER]), [*params, expression]


def _newest_by_asking(
    db: Any, expression: str, active: Mapping[str, Any], wanted: int, budget: int
) -> list[int] | None:
    """Ids of the ``wanted`` newest matches, found by asking the full-text index
    about the newest ``budget`` articles of the filters, or None when fewer of
    those match (the caller then takes another way)."""
    clauses, params = filter_clause(**active)
    where = " WHERE " + " AND ".join(clauses) if clauses else ""
    sql = (
        f"SELECT w.id FROM (SELECT articles.id, articles.published FROM articles{where} "
        f"ORDER BY {order_by('newest')} LIMIT ?) AS w WHERE {_ASK} "
        "ORDER BY w.published DESC, w.id DESC LIMIT ?"
    )
    ids = [r[0] for r in db.execute(sql, [*params, budget, expression, wanted])]
    return ids if len(ids) == wanted else None


def _plan(db: Any, expression: str, wanted: int) -> tuple[str, int]:
    """How to find the ``wanted`` newest matches: "ask" (with the walk's budget),
    "gather" (walk, matches' rowids gathered once) or "rows" (read every match's
    row and sort them)."""
    matches = _matches_again(db, expression)
    if matches <= FEW_MATCHES:
        return "rows", 0
    articles = db.execute("SELECT coalesce(max(id), 0) FROM articles").fetchone()[0]
    walk = wanted * articles // matches + 1  # the matches spread evenly
    if walk * ASK_COST * 4 < matches:
        return "ask", 4 * walk + 100  # room for uneven spread, else gather
    if matches * matches * 50 > wanted * articles:
        return "gather", 0
    return "rows", 0


def find_articles(
    db: Any,
    query: str,
    *,
    limit: int = 20,
    offset: int = 0,
    order: str = "newest",
    snippets: bool = True,
    other_language: bool = False,
    **filters: Any,
) -> list[dict[str, Any]]:
    """Article rows matching ``query`` (every article when it has no words), a page of them.

    ``order`` is "newest" or "oldest" (by published) or "relevance" (bm25,
    for a query with words); ``limit``/``offset`` page through them; the
    filters are those of :func:`filter_clause`. Each row has ``snippet``:
    pieces of :func:`best_snippet`, in the article's own spelling, and
    ``matched_tags``: the tags the query matched (:func:`matched_tags`); with
    ``snippets=False`` only rows without a summary get them (a feed's entries).
    ``other_language``: names also in their other language's spellings (parse_query).
    """
    parsed = parse_query(query, other_language)
    by = order_by(order, searched=bool(parsed.expression))
    active = _active(filters)
    plan, budget = "rows", 0
    if parsed.expression and order == "newest" and _index_only(active) and limit > 0:
        plan, budget = _plan(db, parsed.expression, offset + limit)
    ids = None
    if plan == "ask":
        ids = _newest_by_asking(db, parsed.expression, active, offset + limit, budget)
        plan = "gather" if ids is None else plan
    if ids is not None:
        page = ids[offset:]
        cursor = db.execute(
            f"SELECT articles.* FROM articles WHERE articles.id IN ({', '.join('?' * len(page))}) "
            f"ORDER BY {by}",
            page,
        )
    else:
        if plan == "gather":
            base, params = _gathered(parsed.expression, active)
        else:
            base, params = _from_where(parsed.expression, filters)
        cursor = db.execute(
            f"SELECT articles.* {base} ORDER BY {by} LIMIT ? OFFSET ?", [*params, limit, offset]
        )
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, row, strict=True)) for row in cursor]
    for row in rows:
        wanted = snippets or not row.get("summary")
        row["snippet"] = best_snippet(row, parsed.highlighter) if wanted else []
        row["matched_tags"] = matched_tags(row, parsed.highlighter) if wanted else []
    return rows


def count_found(db: Any, query: str, other_language: bool = False, **filters: Any) -> int:
    """How many articles :func:`find_articles` finds, all pages together."""
    expression = match_expression(query, other_language)
    active = _active(filters)
    if expression and not active:
        return _matches(db, expression)
    if expression and _index_only(active) and _matches(db, expression) > FEW_MATCHES:
        base, params = _gathered(expression, active)
    else:
        base, params = _from_where(expression, filters)
    return db.execute(f"SELECT count(*) {base}", params).fetchone()[0]


def search_articles(
    db: Any,
    query: str,
    *,
    source: str | Sequence[str] | None = None,
    limit: int = 20,
    offset: int = 0,
    order: str = "relevance",
    **filters: Any,
) -> list[dict[str, Any]]:
    """Article rows matching ``query`` (none for a query without words), best first.

    Like :func:`find_articles`, with each row's ``rank`` (bm25) and its
    ``snippet`` as plain text, matches in [brackets].
    """
    parsed = parse_query(query)
    if not parsed.expression:
        return []
    base, params = _from_where(parsed.expression, {"source": source, **filters})
    sql = (
        f"SELECT articles.*, bm25(articles_fts, {_WEIGHTS}) AS rank {base} "
        f"ORDER BY {order_by(order)} LIMIT ? OFFSET ?"
    )
    cursor = db.execute(sql, [*params, limit, offset])
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, row, strict=True)) for row in cursor]
    for row in rows:
        row["snippet"] = snippet_text(best_snippet(row, parsed.highlighter))
    return rows
