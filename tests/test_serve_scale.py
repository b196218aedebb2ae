"""Browsing at a million, on a small archive: the pages made fast still show what they showed.

The fast paths (archive.counts' precomputed counts kept by triggers, the
counted facets, the search's index-only counts and index walks, the
dashboard's and home page's counts) must give the same values and counts as
counting the rows. Each test compares a page with a count of the rows done
here in Python or plain SQL, on an archive written through Archive.upsert:
three sources, two languages, sections, tags (some repeated in one list),
dates over three months and some undated articles, revisions that move an
article to another month, tag and section. Speed is measured by benchmarks,
not here.
"""

from __future__ import annotations

import asyncio
import functools
import importlib.util
import json
import random
import sqlite3
from collections import Counter
from urllib.parse import urlencode

import pytest
from datasette.utils import MultiParams

from archive import counts, search
from archive.search import finder
from archive.serve import DATASETTE_DIR, make_datasette
from archive.store import Archive

SOURCES = {"alpha": "en", "beta": "en", "gamma": "ar"}
VOCABULARY = {
    "en": "water bread school power road market hospital river border village camp "
    "harvest teacher doctor bridge factory".split(),
    "ar": "ماء خبز مدرسة كهرباء طريق سوق مستشفى نهر حدود قرية مخيم حصاد".split(),
}
COMMON = {"en": "council", "ar": "المجلس"}  # in most articles of the language
RARE = "zeugmatic"  # in one article
TAGS = ["Syria", "Aleppo", "Idlib", "Raqqa", "Daraa"]


def _article(i: int, rng: random.Random) -> dict:
    source = list(SOURCES)[i % 3]
    lang = SOURCES[source]
    words = rng.choices(VOCABULARY[lang], k=80)
    if i % 4:
        words[rng.randrange(80)] = COMMON[lang]
    if i == 17:
        words[5] = RARE
    day = i % 28 + 1
    month = ("2024-11", "2024-12", "2025-01")[i % 3 if i % 7 else (i // 7) % 3]
    tags = rng.sample(TAGS, rng.randint(0, 3))
    if i % 11 == 0 and tags:
        tags.append(tags[0])  # a list that repeats a tag counts once
    return {
        "source": source,
        "url": f"https://{source}.example/{i}/",
        "title": " ".join(rng.choices(VOCABULARY[lang], k=6)) + f" {i}",
        "body": " ".join(words),
        # Every other one in Damascus time: before 03:00 its UTC day (or month) is the
        # one before; facets and charts count the publisher's (archive.days).
        "published": None
        if i % 13 == 5
        else f"{month}-{day:02d}T{i % 24:02d}:00:00{'+03:00' if i % 2 else '+00:00'}",
        "language": lang,
        "section": None if i % 5 == 0 else ("News", "Reports")[i % 2],
        "tags": tags,
    }


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    db = tmp_path_factory.mktemp("scale") / "archive.db"
    rng = random.Random(7)
    records = [_article(i, rng) for i in range(90)]
    with Archive(db) as store:
        store.sync_sources(
            [
                {"id": s, "name": s.title(), "homepage": f"https://{s}.example/", "language": lang}
                for s, lang in SOURCES.items()
            ]
        )
        for record in records:
            store.upsert(record)
        # Revisions: another month, section and tags; one loses its date.
        for i in (3, 14, 25, 36):
            edited = dict(
                records[i],
                body=records[i]["body"] + " revised",
                published="2024-10-02T08:00:00+00:00",
                section="Opinion",
                tags=["Hama"],
            )
            store.upsert(edited)
        store.upsert(dict(records[40], body=records[40]["body"] + " undated", published=None))
    return db


@pytest.fixture(scope="module")
def ds(archive):
    return make_datasette(archive)


@pytest.fixture
def conn(archive):
    c = sqlite3.connect(archive)
    search.register_functions(c)
    yield c
    c.close()


def get_json(ds, path):
    response = asyncio.run(ds.client.get(path))
    assert response.status_code == 200, response.text[:2000]
    return response.json()


def rows(conn, where="1", params=()):
    cursor = conn.execute(f"select * from articles where {where}", params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r, strict=True)) for r in cursor]


# --- the counts tables --------------------------------------------------------------------


def test_counts_follow_every_write(conn):
    assert counts.available(conn)
    assert conn.execute("select sum(n) from article_counts").fetchone()[0] == 90
    assert counts.check(conn) == {}
    # Writes that are not upserts are counted too: the triggers are in the schema.
    conn.execute("update articles set source = 'beta', tags = '[\"Syria\", 5]' where id = 1")
    conn.execute("update articles set last_seen = 'now' where id < 10")
    conn.execute("delete from articles where id = 2")
    assert counts.check(conn) == {}
    conn.rollback()


def _without_counts(archive, path):
    with sqlite3.connect(archive) as source, sqlite3.connect(path) as target:
        source.backup(target)
    c = sqlite3.connect(path, isolation_level=None)
    for name in ("articles_counted_insert", "articles_counted_delete", "articles_counted_update"):
        c.execute(f"drop trigger {name}")
    c.execute("drop view article_count_changes")
    for name in counts.TABLES:
        c.execute(f"drop table {name}")
    assert not counts.available(c)
    return c


@pytest.mark.parametrize("how", ["upgrade", "install"])
def test_an_archive_made_before_the_counts_gets_them_filled(archive, tmp_path, how):
    from archive.schema import SCHEMA, ddl_statements

    c = _without_counts(archive, tmp_path / "old.db")
    c.execute("begin")
    if how == "upgrade":  # what create_or_upgrade runs on any older archive
        for statement in ddl_statements(SCHEMA):
            c.execute(statement)
    else:
        counts.install(c)
    c.execute("commit")
    assert counts.available(c) and counts.check(c) == {}
    assert c.execute("select sum(n) from article_counts").fetchone()[0] == 90
    for statement in ddl_statements(SCHEMA):  # a later upgrade counts nothing twice
        c.execute(statement)
    c.execute("update articles set section = 'Sport' where id = 4")
    assert counts.check(c) == {}
    c.close()


# --- the articles table's facets ------------------------------------------------------------

FILTERS = [
    {},
    {"source": "alpha"},
    {"language": "ar"},
    {"section": "News"},
    {"published_local__startswith": "2024-12"},
    {"tags__arraycontains": "Aleppo"},
    {"source": "beta", "published_local__startswith": "2024-12", "section": "Reports"},
    {"tags__arraycontains": "Syria", "language": "en"},
    {"source__exact": "gamma"},
    # Not in the counts: the rows are counted.
    {"_search": "council"},
    {"source__not": "alpha"},
    {"_where": "id > 40"},
]


def _expected_facets(articles):
    expected = {
        name: Counter(a[name] for a in articles if a[name] is not None)
        for name in ("source", "language", "section")
    }
    # The month facet is the publisher's month (archive.days).
    expected["published_local"] = Counter(
        a["published_local"][:7]
        for a in articles
        if a["published_local"]
        and a["published_local"][:4].isdigit()
        and a["published_local"][4] == "-"
    )
    expected["tags"] = Counter(t for a in articles for t in set(json.loads(a["tags"] or "[]")))
    return expected


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: urlencode(f) or "all")
def test_facets_count_what_the_rows_say(ds, filters):
    query = urlencode({**filters, "_facet_size": "max"})
    page = get_json(ds, f"/archive/articles.json?{query}&_size=max")
    shown = get_json(
        ds, f"/archive/articles.json?{urlencode(filters)}&_size=max&_nofacet=1&_shape=objects"
    )
    articles = shown["rows"]
    assert page["filtered_table_rows_count"] == len(articles) > 0
    facets = page["facet_results"]
    assert set(facets) == {"source", "language", "section", "tags", "published_local"}
    for name, expected in _expected_facets(articles).items():
        got = {r["value"]: r["count"] for r in facets[name]["results"]}
        assert got == dict(expected), name
        assert not facets[name]["truncated"]
    assert facets["tags"]["type"] == "array" and facets["published_local"]["type"] == "month"
    # Values are listed as datasette lists them: most first, months newest first.
    column_counts = [r["count"] for r in facets["source"]["results"]]
    assert column_counts == sorted(column_counts, reverse=True)
    months = [r["value"] for r in facets["published_local"]["results"]]
    assert months == sorted(months, reverse=True)


def test_facet_links_filter_to_what_they_counted(ds):
    facets = get_json(ds, "/archive/articles.json?_size=0")["facet_results"]
    for name in ("source", "tags", "published_local", "section"):
        for value in facets[name]["results"][:3]:
            path = value["toggle_url"].split("localhost", 1)[-1]
            path = path.replace("/archive/articles?", "/archive/articles.json?")
            filtered = get_json(ds, path)
            assert filtered["filtered_table_rows_count"] == value["count"], (name, value)
            assert value["selected"] is False


def test_facet_size_and_truncation(ds):
    facets = get_json(ds, "/archive/articles.json?_facet_size=2&_size=0")["facet_results"]
    for name in ("source", "tags", "published_local"):
        assert len(facets[name]["results"]) == 2 and facets[name]["truncated"], name


@functools.cache
def plugin():
    """The facets' plugin file as a module, for its functions."""
    spec = importlib.util.spec_from_file_location(
        "newsarchive_facets_under_test", DATASETTE_DIR / "plugins" / "facets.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("args", "counted"),
    [
        ({}, ("article_counts", "")),
        ({"source": "a", "_facet": "source", "_size": "5"}, ("article_counts", " and source = ?")),
        ({"published_local__startswith": "2024-05"}, ("article_counts", " and month = ?")),
        ({"tags__arraycontains": "x"}, ("article_tag_counts", " and tag = ?")),
        ({"published_local__startswith": "2024"}, None),
        ({"_search": "x"}, None),
        ({"_next": "5"}, None),
        ({"title": "x"}, None),
        ({"source": ["a", "b"]}, None),
    ],
)
def test_which_pages_the_counts_answer(args, counted):
    params = MultiParams({k: v if isinstance(v, list) else [v] for k, v in args.items()})
    found = plugin().counted_filters(params)
    assert (found[0] if found else None) == counted


# --- the front page and the dashboard --------------------------------------------------------


def test_home_page_counts(ds, conn):
    response = asyncio.run(ds.client.get("/"))
    assert response.status_code == 200
    for source, n in conn.execute("select source, count(*) from articles group by source"):
        assert f'>{source.title()}</a></td><td class="na-num">{n}</td>' in response.text
    total = conn.execute("select count(*) from articles").fetchone()[0]
    assert f"Search {total} articles" in response.text


@pytest.mark.parametrize(
    "options", [{}, {"source": "alpha"}, {"date_start": "2024-12-03", "date_end": "2025-01-10"}]
)
def test_dashboard_counts_what_the_rows_say(ds, conn, options):
    from datasette_dashboards import replace_opts_in_query

    charts = ds.plugin_config("datasette-dashboards")["articles"]["charts"]
    where, params = ["1"], []
    if options.get("source"):
        where.append("source = ?")
        params.append(options["source"])
    if options.get("date_start"):
        where += ["substr(published_local, 1, 10) between ? and ?"]
        params += [options["date_start"], options["date_end"]]
    articles = rows(conn, " and ".join(where), params)

    def chart(name):
        sql = replace_opts_in_query(charts[name]["query"], options)
        path = f"/archive.json?{urlencode({'sql': sql, **options})}&_shape=objects"
        return get_json(ds, path)["rows"]

    assert chart("total") == [{"n": len(articles)}]
    assert {r["source"]: r["articles"] for r in chart("sources")} == Counter(
        a["source"] for a in articles
    )
    assert {r["language"]: r["articles"] for r in chart("languages")} == Counter(
        a["language"] or "?" for a in articles
    )
    per_month = Counter(
        (a["published_local"][:7], a["source"]) for a in articles if a["published_local"]
    )
    assert {(r["month"], r["source"]): r["articles"] for r in chart("per-month")} == per_month
    days = chart("per-day")
    if options.get("date_start"):
        per_day = Counter(
            (a["published_local"][:10], a["source"]) for a in articles if a["published_local"]
        )
        got = {(r["day"], r["source"]): r["articles"] for r in days if r["source"]}
        assert got == per_day


def test_dashboard_source_filter_lists_every_source(ds):
    page = asyncio.run(ds.client.get("/-/dashboards/articles"))
    assert page.status_code == 200
    for source in SOURCES:
        assert f'<option value="{source}"' in page.text


# --- search ----------------------------------------------------------------------------------

SEARCHES = [
    ("council", {}),
    ("council", {"source": "beta", "since": "2024-12-01", "until": "2025-01-31"}),
    ("council", {"since": "2024-12-05"}),
    ("council", {"language": "en"}),
    ("المجلس", {"source": "gamma", "since": "2025-01-03", "until": "2025-01-20"}),
    (RARE, {}),
    (RARE, {"source": "alpha", "since": "2024-01-01", "until": "2025-12-31"}),
    ("", {"source": "alpha"}),
]


def _brute_force(conn, query, filters):
    """The matches by the plain join, newest first (undated last), as before."""
    expression = search.match_expression(query)
    clauses, params = search.filter_clause(**{k: v for k, v in filters.items() if v})
    if expression:
        clauses.insert(
            0, "articles.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)"
        )
        params.insert(0, expression)
    where = " AND ".join(clauses) or "1"
    sql = f"SELECT id FROM articles WHERE {where} ORDER BY published DESC, id DESC"
    return [r[0] for r in conn.execute(sql, params)]


@pytest.mark.parametrize(
    ("few", "ask_cost"),
    # As the archive decides; then, even on this small archive, every index-only
    # count and the walk down the published index, its matches gathered once or
    # asked row by row (falling back to gathering when the newest rows hold too few).
    [(finder.FEW_MATCHES, finder.ASK_COST), (0, 10**9), (0, 0)],
    ids=["as-is", "gather", "ask"],
)
@pytest.mark.parametrize(("query", "filters"), SEARCHES)
def test_search_counts_and_pages_equal_the_plain_join(
    conn, monkeypatch, few, ask_cost, query, filters
):
    monkeypatch.setattr(finder, "FEW_MATCHES", few)
    monkeypatch.setattr(finder, "ASK_COST", ask_cost)
    expected = _brute_force(conn, query, filters)
    assert expected or filters.get("source") == "alpha"
    assert search.count_found(conn, query, **filters) == len(expected)
    for offset in (0, 5):
        found = search.find_articles(conn, query, limit=5, offset=offset, **filters)
        assert [r["id"] for r in found] == expected[offset : offset + 5]


def test_search_page_and_feed_show_totals_and_sources(ds, conn):
    data = get_json(ds, "/archive/search.json?q=council&source=beta&since=2024-12-01")
    expected = _brute_force(conn, "council", {"source": "beta", "since": "2024-12-01"})
    assert data["total"] == len(expected)
    assert [r["article"] for r in data["rows"]] == expected[:20]
    page = asyncio.run(ds.client.get("/archive/search?q=council"))
    assert page.status_code == 200
    for source in SOURCES:
        assert f'value="{source}"' in page.text
    feed = asyncio.run(ds.client.get("/archive/search.atom?q=council&source=alpha"))
    assert feed.status_code == 200
    newest = _brute_force(conn, "council", {"source": "alpha"})[:50]
    urls = [
        r[0]
        for r in conn.execute(
            f"select url from articles where id in ({','.join(map(str, newest))})"
        )
    ]
    assert feed.text.count("<entry>") == len(newest)
    assert all(u in feed.text for u in urls)


def test_the_facets_read_the_counts_not_the_rows(archive):
    """The unfiltered table and facet clicks are answered from archive.counts' tables."""
    from datasette.app import Datasette

    from archive.serve import SETTINGS, metadata_for

    traced = Datasette(
        [str(archive)],
        metadata=metadata_for(archive),
        plugins_dir=str(DATASETTE_DIR / "plugins"),
        template_dir=str(DATASETTE_DIR / "templates"),
        settings={**SETTINGS, "trace_debug": True},
    )
    for query in ("", "source=alpha&", "tags__arraycontains=Syria&"):
        page = get_json(traced, f"/archive/articles.json?{query}_size=0&_trace=1")
        sql = [t["sql"] for t in page["_trace"]["traces"] if "sql" in t]
        facets = [s for s in sql if "as count" in s]
        assert len(facets) == 5, facets
        counted = [
            s for s in facets if "from article_counts" in s or "from article_tag_counts" in s
        ]
        # The tags of the articles with a tag are not in the counts: their rows are counted
        # (each article once per tag, not datasette's DISTINCT over whole rows).
        assert len(counted) == (4 if "tags__" in query else 5), facets
        assert all("select distinct a.id, j.value" in s for s in facets if s not in counted)
