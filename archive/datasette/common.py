"""What the archive's datasette plugins (archive/datasette/plugins/) share: links to the
search page, the direction text reads in, and whether the precomputed counts are there.

datasette loads each plugin file by its path (``--plugins-dir``), so one plugin cannot
import another: what more than one of them needs lives here, imported as
``archive.datasette.common``. Plain functions over datasette's objects (its ``urls`` and
databases), nothing registered with datasette.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from archive.record import language_base

RTL_LANGUAGES = {"ar", "fa", "ur", "he", "ps", "ku", "ckb", "yi", "dv"}
# Control characters: never useful in a parameter, and not allowed in XML (Atom).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def search_url(datasette: Any, database: str, **params: Any) -> str:
    """The search page (or the article list, without ``q``) with these parameters."""
    url = datasette.urls.database(database) + "/search"
    params = {k: v for k, v in params.items() if v not in (None, "")}
    return url + ("?" + urlencode(params) if params else "")


def direction(language: str | None, text: str = "") -> str:
    """``rtl`` or ``ltr``: by the language, else by the text's first strong letters."""
    lang = language_base(language)
    if lang in RTL_LANGUAGES:
        return "rtl"
    if not lang and text:
        # No language recorded: guess from the first strong letters.
        for ch in text[:200]:
            if "\u0590" <= ch <= "\u08ff":
                return "rtl"
            if ch.isalpha():
                return "ltr"
    return "ltr"


def article_shown(view_name: str, table: str | None, request: Any) -> int | None:
    """The id of the article a page shows (the articles table's row page), else None."""
    if view_name != "row" or table != "articles" or request is None:
        return None
    pks = request.url_vars.get("pks", "")
    return int(pks) if pks.isdigit() else None


async def has_counts(datasette: Any, database: str) -> bool:
    """Whether the database has archive.counts' tables (an archive made before them has not)."""
    from archive.counts import TABLES

    names = set(await datasette.get_database(database).table_names())
    return set(TABLES) <= names
