"""datasette plugin: an article shown as an article.

``row.html`` (the articles table's row page) renders the ``article`` variable set here:
paragraphs and subheadings, right to left for Arabic, tags, the link to the original,
revisions, aliases, captures (and their web archive), the other copies of the text, a
permalink and a citation (archive.citation); arriving from a search (``?q=``), the
searched words are marked (archive.search.highlighted). An article's versions and its
story come from the plugin beside this one (history_stories.py).
"""

from __future__ import annotations

from typing import Any

from datasette import hookimpl

from archive import clock
from archive.citation import citation
from archive.datasette.common import article_shown, direction, search_url
from archive.days import day_in_offset, day_of
from archive.record import json_list, language_base
from archive.recovery import archive_name
from archive.search import highlighted, parse_query
from archive.urls import web_url

_SENTENCE_END = tuple(".!?:;,،؛؟…\"'”’»)]-–—")


def _paragraphs(body: str | None) -> list[dict[str, Any]]:
    """Body paragraphs as {"text", "heading"}: split on blank lines; a short
    line without closing punctuation between paragraphs reads as a subheading."""
    texts = [p.strip() for p in (body or "").replace("\r\n", "\n").split("\n\n") if p.strip()]
    result = []
    for i, text in enumerate(texts):
        heading = (
            0 < i < len(texts) - 1
            and "\n" not in text
            and len(text) <= 90
            and len(text.split()) <= 12
            and not text.endswith(_SENTENCE_END)
            and not text.startswith(("•", "-", "*", "–"))
        )
        result.append({"text": text, "heading": heading})
    return result


async def _article(datasette: Any, database: str, article_id: int) -> dict[str, Any] | None:
    db = datasette.get_database(database)
    rows = (await db.execute("select * from articles where id = ?", [article_id])).rows
    if not rows:
        return None
    a = dict(rows[0])
    source = (
        await db.execute("select name, homepage from sources where id = ?", [a["source"]])
    ).rows
    revisions = (
        await db.execute(
            "select id, revised_at, title, length(body) as chars from revisions "
            "where article_id = ? order by revised_at desc, id desc",
            [article_id],
        )
    ).rows
    aliases = (
        await db.execute(
            "select url, kind from url_aliases where article_id = ? order by url", [article_id]
        )
    ).rows
    root = a["near_duplicate_of"] or article_id
    same_story = (
        await db.execute(
            "select id, source, title, published, published_local, url from articles "
            "where (id = :root or near_duplicate_of = :root) and id != :id "
            "order by published, id limit 50",
            {"root": root, "id": article_id},
        )
    ).rows
    # Every capture recovered from a web archive (its provenance is the point), and the
    # latest 20 fetches of the live page; newest first by the capture's date.
    captures = (
        await db.execute(
            "select id, fetched_at, sha256, status, url, archive, archived_at, replay_url "
            "from captures where article_id = :id and (replay_url is not null or id in ("
            "  select id from captures where article_id = :id and replay_url is null "
            "  order by fetched_at desc, id desc limit 20)) "
            "order by coalesce(archived_at, fetched_at) desc, id desc",
            {"id": article_id},
        )
    ).rows
    text_direction = direction(a["language"], a["title"] or a["body"] or "")
    tags = json_list(a["tags"])
    return {
        **a,
        "dir": text_direction,
        "lang": language_base(a["language"]),
        "paragraphs": _paragraphs(a["body"]),
        "image": web_url(a["image"]),  # an archive made before images were checked
        "authors": json_list(a["authors"]),
        "tags": [{"name": t, "href": search_url(datasette, database, tag=t)} for t in tags],
        "source_name": source[0]["name"] if source and source[0]["name"] else a["source"],
        "source_homepage": source[0]["homepage"] if source else None,
        "source_href": search_url(datasette, database, source=a["source"]),
        "revisions": [dict(r) for r in revisions],
        "revisions_href": datasette.urls.query(database, "article_revisions") + f"?id={article_id}",
        "aliases": [dict(r) for r in aliases],
        "captures": [
            {
                **dict(r),
                "href": datasette.urls.database(database) + f"/-/capture/{r['id']}",
                "archive_name": archive_name(r["archive"]),
                "replay_href": web_url(r["replay_url"]),
            }
            for r in captures
        ],
        "day": day_of(a["published"], a.get("published_local")),
        "updated_day": day_in_offset(a["updated"], a.get("published_local")),
        "same_story": [
            {
                **dict(r),
                "day": day_of(r["published"], r["published_local"]),
                "href": datasette.urls.row(database, "articles", str(r["id"])),
            }
            for r in same_story
        ],
    }


@hookimpl
def extra_template_vars(
    view_name: str, table: str | None, database: str, request: Any, datasette: Any
) -> Any:
    async def inner() -> dict[str, Any]:
        article_id = article_shown(view_name, table, request)
        if article_id is None:
            return {}
        article = await _article(datasette, database, article_id)
        if article and request.args.get("q"):
            # Arriving from a search: its words marked in the article.
            parsed = parse_query(request.args["q"], bool(request.args.get("also")))
            for paragraph in article["paragraphs"]:
                paragraph["pieces"] = highlighted(paragraph["text"], parsed.highlighter)
        if article:
            permalink = datasette.absolute_url(
                request, datasette.urls.row(database, "articles", str(article_id))
            )
            article["permalink"] = permalink
            article["citation"] = citation(article, article["source_name"], permalink, clock.now())
        return {"article": article}

    return inner
