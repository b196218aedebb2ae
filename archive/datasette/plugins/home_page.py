"""datasette plugin: the front page.

``index.html`` shows a search box, the sources with their counts and latest day, the
latest articles and links to the archive's pages from the ``archive_home`` variable set
here (None when datasette serves no archive). Counts come from archive.counts' tables
and the latest articles by index seeks, so the page opens as fast on millions of
articles as on a few.
"""

from __future__ import annotations

from typing import Any

from datasette import hookimpl

from archive.datasette.common import direction, has_counts, search_url
from archive.days import day_of


async def _archive_databases(datasette: Any) -> list[str]:
    names = []
    for name, db in datasette.databases.items():
        if name.startswith("_"):
            continue
        if {"articles", "articles_fts"} <= set(await db.table_names()):
            names.append(name)
    return names


async def _home(datasette: Any) -> dict[str, Any] | None:
    names = await _archive_databases(datasette)
    if not names:
        return None
    name = names[0]
    db = datasette.get_database(name)
    # Precomputed counts (archive.counts) and index seeks: the front page opens
    # as fast on millions of articles as on a few (a GROUP BY over the articles,
    # or max(published) per source, would read them all).
    if await has_counts(datasette, name):
        counts = "select source, sum(n) as n from article_counts group by source"
    else:
        counts = "select source, count(*) as n from articles group by source"
    per_source = (
        await db.execute(
            "select c.source, s.name, c.n, (select coalesce(published_local, published) "
            "  from articles "
            "  where source is c.source and published is not null "
            "  order by published desc limit 1) as latest "
            f"from ({counts}) c "
            "left join sources s on s.id = c.source order by c.n desc"
        )
    ).rows
    latest = (
        await db.execute(
            "select id, source, title, published, published_local, language from articles "
            "where published is not null order by published desc limit 10"
        )
    ).rows
    return {
        "database": name,
        "total": sum(r["n"] for r in per_source),
        "sources": [
            {
                "id": r["source"],
                "name": r["name"] or r["source"],
                "count": r["n"],
                "latest": (r["latest"] or "")[:10],
                "href": search_url(datasette, name, source=r["source"]),
            }
            for r in per_source
        ],
        "latest": [
            {
                **dict(r),
                "day": day_of(r["published"], r["published_local"]),
                "dir": direction(r["language"], r["title"] or ""),
                "href": datasette.urls.row(name, "articles", str(r["id"])),
            }
            for r in latest
        ],
        "urls": {
            "search": search_url(datasette, name),
            "articles": search_url(datasette, name),
            "table": datasette.urls.table(name, "articles"),
            "latest": datasette.urls.query(name, "latest_per_source"),
            "same_story": datasette.urls.query(name, "same_story"),
            "per_day": datasette.urls.query(name, "articles_per_day"),
            "dashboard": datasette.urls.path("/-/dashboards/articles"),
            "sources": datasette.urls.table(name, "sources"),
            "runs": datasette.urls.table(name, "crawl_runs"),
            "failures": datasette.urls.table(name, "failures"),
            "database": datasette.urls.database(name),
        },
    }


@hookimpl
def extra_template_vars(view_name: str, datasette: Any) -> Any:
    async def inner() -> dict[str, Any]:
        if view_name != "index":
            return {}
        return {"archive_home": await _home(datasette)}

    return inner
