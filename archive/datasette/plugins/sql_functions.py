"""datasette plugin: the SQL functions the archive's pages and queries use.

- ``escape_fts()``: datasette runs a table page's ``?_search=`` through it; this
  definition replaces datasette's own with :func:`archive.search.match_expression`, so
  the table search box matches words the way the search page does (stems, folding) and
  never raises an FTS5 syntax error.
- ``tag_key()`` (archive.search), for the search page's tag filter.
- ``source_colour()`` (archive.serve): one colour per source on every dashboard chart.
"""

from __future__ import annotations

import sqlite3

from datasette import hookimpl

from archive.search import match_expression, register_functions
from archive.serve import register_functions as register_dashboard_functions


def fts_query(text: object) -> str | None:
    """A user's search as a safe FTS5 query through archive.search's analyser.

    A query with no words ("", "- :") becomes '""', which matches nothing
    instead of raising "fts5: syntax error".
    """
    if text is None:
        return None
    return match_expression(str(text)) or '""'


@hookimpl(trylast=True)
def prepare_connection(conn: sqlite3.Connection) -> None:
    # trylast: datasette's own prepare_connection registers escape_fts();
    # running after it, this definition is the one that stays.
    conn.create_function("escape_fts", 1, fts_query, deterministic=True)
    register_functions(conn)  # tag_key, for the tag filter of the search page
    register_dashboard_functions(conn)  # source_colour: one colour per source, every chart
