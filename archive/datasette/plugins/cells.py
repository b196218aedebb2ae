"""datasette plugin: how the archive's values show in tables and templates.

Titles link to the article page, sources and tags to their article lists (the search
page), dates show as the publisher's day (archive.days.day_of), Arabic text gets
``dir="auto"``, percent-encoded addresses read as a browser's address bar shows them.
The templates' ``urlquote`` and ``readable_url`` filters are registered here too.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote, unquote

from datasette import hookimpl
from markupsafe import Markup, escape

from archive.datasette.common import search_url
from archive.days import day_of
from archive.record import json_list


def _article_link(datasette: Any, database: str, article_id: int, text: str) -> Markup:
    href = datasette.urls.row(database, "articles", str(article_id))
    return Markup(f'<a href="{escape(href)}" dir="auto">{escape(text)}</a>')


DATE_COLUMNS = {
    "published", "published_local", "updated", "first_seen", "last_seen", "revised_at", "day",
}  # fmt: skip


@hookimpl
def render_cell(
    row: Any, value: Any, column: str, table: str | None, database: str, datasette: Any
) -> Markup | None:
    """Titles link to the article page: in the articles table, and in query
    results that carry the article's id in a column named ``article``;
    sources and tags link to their article lists; dates show as dates (the
    full time on hover). Text that may be Arabic gets dir="auto" so it reads
    right to left."""
    if value in (None, ""):
        return None
    keys = row.keys() if hasattr(row, "keys") else ()
    if column in DATE_COLUMNS and isinstance(value, str) and len(value) > 10 and value[4] == "-":
        # published is UTC: the day shown is the publisher's (archive.days).
        local = None
        if column == "published" and "published_local" in keys:
            local = row["published_local"]
        return Markup(
            f'<time datetime="{escape(value)}" title="{escape(value)}">'
            f"{escape(day_of(value, local))}</time>"
        )
    if table is None and "article" in keys and isinstance(row["article"], int):
        if column in ("title", "article"):
            return _article_link(datasette, database, row["article"], value)
    if table == "articles" and column == "title" and "id" in keys:
        return _article_link(datasette, database, row["id"], value)
    if column == "source" and table in (None, "articles") and isinstance(value, str):
        href = search_url(datasette, database, source=value)
        return Markup(f'<a href="{escape(href)}">{escape(value)}</a>')
    if table == "articles" and column in ("tags", "authors") and isinstance(value, str):
        items = json_list(value)
        if column == "tags":
            links = [(search_url(datasette, database, tag=t), t) for t in items]
            items = [f'<a href="{escape(h)}" dir="auto">{escape(t)}</a>' for h, t in links]
        else:
            items = [f"<bdi>{escape(t)}</bdi>" for t in items]
        return Markup(f'<ul class="na-list">{"".join(f"<li>{i}</li>" for i in items)}</ul>')
    if column in ("snippet", "summary") and isinstance(value, str):
        return Markup(f'<span dir="auto">{escape(value)}</span>')
    if column in URL_COLUMNS and isinstance(value, str) and "%" in value:
        # Shown as a browser's address bar shows it; linked as stored.
        return Markup(f'<a href="{escape(value)}" dir="ltr">{escape(readable_url(value))}</a>')
    return None


URL_COLUMNS = {"url", "canonical_url", "requested_url"}


_ENCODED_LETTERS = re.compile(r"(?:%[89a-fA-F][0-9a-fA-F])+")  # bytes of non-ASCII UTF-8


def readable_url(url: str) -> str:
    """A URL with its percent-encoded letters shown as letters (Arabic paths read as
    Arabic); encoded ASCII (/, ?, spaces) and bytes that are not UTF-8 stay encoded."""

    def letters(match: re.Match) -> str:
        try:
            return unquote(match.group(), errors="strict")
        except UnicodeDecodeError:
            return match.group()

    return _ENCODED_LETTERS.sub(letters, url)


@hookimpl
def prepare_jinja2_environment(env: Any) -> None:
    env.filters["urlquote"] = lambda s: quote(str(s), safe="")
    env.filters["readable_url"] = lambda s: readable_url(str(s))
