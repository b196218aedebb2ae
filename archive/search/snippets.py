"""Snippets and highlights: an article's own text, cut and marked where a query matched.

FTS5's own ``snippet()`` can only show the indexed, folded text (محافظه
where the article has محافظة). :func:`snippet` instead runs the analyser
over the article's own text and cuts the snippet from it, so highlights are
in the article's spelling, diacritics included. What matched is the parsed
query's :class:`~archive.search.query.Highlighter`'s; the result is (text,
matched) pieces, for a page to mark up or :func:`snippet_text` to bracket.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from archive.record import json_list
from archive.search.analyser import Token, tokens
from archive.search.query import Highlighter

__all__ = ["best_snippet", "highlighted", "matched_tags", "snippet", "snippet_text"]


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
