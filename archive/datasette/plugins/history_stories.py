"""datasette plugin: an article's versions and what changed between them, and its story.

On the article page (``row.html``, articles table), ``article_history`` holds
the versions (archive.history) and the word-level diff between two of them,
chosen with ``?from=N&to=M`` (default: the version before the current one and
the current one), rendered as ``<del>``/``<ins>`` by
``_newsarchive_history.html``; ``article_story`` lists the other articles of
the article's story (archive.stories) with their outlet, language and how
each relates to the article being read, in plain words (:data:`RELATIONS`), and
``article_story_figures`` what the story holds (its stored counts: articles, outlets --
an outlet's language editions are one -- and languages), for
``_newsarchive_story.html``. In the "An article's
revisions" query, the ``compare`` column links each version to that diff.

A plugin of its own beside plugins/newsarchive.py, which serves the rest of
the article page.
"""

from __future__ import annotations

from datasette import hookimpl
from markupsafe import Markup, escape

from archive.days import day_of
from archive.history import render_html, versions


def _number(value, default, last):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return min(max(number, 1), last)


async def _history(datasette, database, article_id, request):
    db = datasette.get_database(database)
    found = await db.execute_fn(lambda conn: versions(conn, article_id))
    if len(found) < 2:
        return None
    last = len(found)
    old = _number(request.args.get("from"), last - 1, last)
    new = _number(request.args.get("to"), last, last)
    return {
        "versions": found,
        "from": old,
        "to": new,
        "rows": render_html(found[old - 1], found[new - 1]),
        "href": datasette.urls.row(database, "articles", str(article_id)),
    }


# How another article of the story relates to the one being read, by the way one of the
# two was linked to the other (archive.stories): (said of the other, said of this one).
RELATIONS = {
    "hreflang": ("its edition in another language", "its edition in another language"),
    "translated-from": ("translated from this article", "the article this one translates"),
    "original-source": ("credits this article's outlet", "the outlet this article credits"),
    "image": ("the same photograph", "the same photograph"),
    "same-language": ("the same text", "the same text"),
    "same-event": ("the same names, numbers and places", "the same names, numbers and places"),
    "cross-language": (
        "the same names, numbers and places, in another language",
        "the same names, numbers and places, in another language",
    ),
}
THROUGH_THE_STORY = "reports the same story (linked through its other articles)"


def relation(other: dict, this: dict) -> str:
    """What relates ``other`` to the article being read (``this``), in plain words: the
    link between the two when one was linked to the other, else the story they share."""
    if other["linked_to"] == this["id"] and other["method"] in RELATIONS:
        return RELATIONS[other["method"]][0]
    if this["linked_to"] == other["id"] and this["method"] in RELATIONS:
        return RELATIONS[this["method"]][1]
    return THROUGH_THE_STORY


async def _story(datasette, database, article_id):
    db = datasette.get_database(database)
    tables = await db.table_names()
    if "story_articles" not in tables:
        return None
    rows = (
        await db.execute(
            "select a.id, a.source, s.name as outlet, a.language, a.title, a.published, "
            "a.published_local, "
            "sa.method, sa.linked_to from story_articles sa "
            "join articles a on a.id = sa.article_id left join sources s on s.id = a.source "
            "where sa.story_id = (select story_id from story_articles where article_id = ?) "
            "order by a.id != ?, a.published, a.id limit 101",  # this article first
            [article_id, article_id],
        )
    ).rows
    members = [dict(r) for r in rows]
    if not members or members[0]["id"] != article_id:
        return None
    this = members[0]
    return [
        {
            **m,
            "day": day_of(m["published"], m["published_local"]),
            "relation": relation(m, this),
            "href": datasette.urls.row(database, "articles", str(m["id"])),
        }
        for m in members
        if m is not this
    ]


LANGUAGE_NAMES = {"ar": "Arabic", "en": "English", "fr": "French", "tr": "Turkish", "ku": "Kurdish"}


def figures_line(articles: int, outlets: int, languages: str | None) -> str:
    """A story's stored figures in words: "5 articles from 4 outlets, in Arabic and English"."""
    names = [LANGUAGE_NAMES.get(code, code) for code in (languages or "").split(",") if code]
    text = f"{articles} article{'s' if articles != 1 else ''} from {outlets} outlet"
    text += "s" if outlets != 1 else ""
    if names:
        text += ", in " + (
            " and ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else names[0]
        )
    return text


async def _story_figures(datasette, database, article_id):
    db = datasette.get_database(database)
    row = (
        await db.execute(
            "select s.articles, s.outlets, s.languages from story_articles sa "
            "join stories s on s.id = sa.story_id where sa.article_id = ?",
            [article_id],
        )
    ).first()
    return figures_line(row["articles"], row["outlets"], row["languages"]) if row else None


@hookimpl
def extra_template_vars(view_name, table, database, request, datasette):
    async def inner():
        if view_name != "row" or table != "articles" or request is None:
            return {}
        pks = request.url_vars.get("pks", "")
        if not pks.isdigit():
            return {}
        story = await _story(datasette, database, int(pks))
        return {
            "article_history": await _history(datasette, database, int(pks), request),
            "article_story": story,
            "article_story_figures": (
                await _story_figures(datasette, database, int(pks)) if story else None
            ),
        }

    return inner


@hookimpl
def render_cell(value, column, table, database, datasette):
    """``compare`` of the revisions query, "ID:FROM:TO", links to that diff."""
    if table is not None or column != "compare" or not isinstance(value, str):
        return None
    parts = value.split(":")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return None
    article, old, new = parts
    href = datasette.urls.row(database, "articles", article) + f"?from={old}&to={new}#changes"
    return Markup(f'<a href="{escape(href)}">what changed: {old} → {new}</a>')
