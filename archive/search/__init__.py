"""Full-text search: one analyser for the index, the queries and the highlights.

SQLite's FTS5 holds each article's title, summary, body and tags twice, folded
and stemmed (Arabic and English), kept in step at upsert time; a user's query
and the highlights of its matches go through the same analyser, so a word is
found and marked whatever its clitics, endings and diacritics.

One module per concern, each importing only those above it:

- analyser.py: the words of a text (:func:`tokens`: folded, stemmed, with their
  offsets) and the index's columns (:func:`index_values`, :func:`index_article`);
- query.py: the query language: a user's query as a safe FTS5 MATCH expression
  (:func:`parse_query`, :func:`match_expression`), names in all their spellings
  (archive.gazetteer), and the :class:`Highlighter` that finds its words in a text;
- snippets.py: an article's own text cut and marked where the query matched
  (:func:`snippet`, :func:`highlighted`, :func:`best_snippet`, :func:`matched_tags`);
- finder.py: searches run in SQL: filters, orders, the plan for a page of matches
  on a big archive (:func:`find_articles`, :func:`count_found`, :func:`search_articles`).

Import from ``archive.search``; the planner's tuning (FEW_MATCHES, ASK_COST) is
archive.search.finder's.
"""

from archive.search.analyser import (
    COLUMNS,
    STEM_COLUMNS,
    Token,
    index_article,
    index_values,
    tokens,
)
from archive.search.finder import (
    ORDERS,
    count_found,
    filter_clause,
    find_articles,
    order_by,
    register_functions,
    search_articles,
    tag_key,
)
from archive.search.query import Highlighter, ParsedQuery, match_expression, parse_query
from archive.search.snippets import (
    best_snippet,
    highlighted,
    matched_tags,
    snippet,
    snippet_text,
)

__all__ = [
    "COLUMNS",
    "ORDERS",
    "STEM_COLUMNS",
    "Highlighter",
    "ParsedQuery",
    "Token",
    "best_snippet",
    "count_found",
    "filter_clause",
    "find_articles",
    "highlighted",
    "index_article",
    "index_values",
    "match_expression",
    "matched_tags",
    "order_by",
    "parse_query",
    "register_functions",
    "search_articles",
    "snippet",
    "snippet_text",
    "tag_key",
    "tokens",
]
