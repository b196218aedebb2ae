"""The archive's tables: their DDL in one place, and what each version changed.

Plain SQL run through sqlite-utils' connection. ``SCHEMA_VERSION`` is stored
in the ``meta`` table; archive.upgrade opens a file, creating these tables in a
new one and upgrading one of an older version.

Version 13 (this one): two indexes no query needs are gone, each a B-tree that
every new article wrote to: ``idx_articles_published`` (``idx_articles_published_source``
begins with the same column, and serves every query it served) and
``idx_captures_sha256`` (captures are read by article, and their bodies by the
SHA-256 key of ``page_bodies``; nothing looks captures up by body). On the 420,000-article
benchmark archive the writer's CPU was 7% lower without them (bench_archive's ingest).
``idx_articles_source`` stays, although ``idx_articles_source_published`` begins with its
column: its entries are in rowid order, so a source's newest articles by id (the
browsing UI's default order) are read from it without sorting them all.

Version 12: ``idx_articles_url`` holds only the articles whose URL as
published is not their canonical URL (a partial index): for nearly every article
the two are the same and the unique index on ``canonical_url`` finds it, so the
full index was a second random-key B-tree that every new article wrote a page of.

Version 11: the publisher's day (archive.days): ``published`` stays in
UTC for sorting, ``published_local`` keeps the publisher's offset, and the day
and month shown, filtered, counted and exported are the publisher's. Upgrading
fills it from ``published`` as well as it can (a time stored with its offset
keeps it; one stored in UTC says in ``date_notes`` that the offset is unknown),
moves the count triggers to it and recounts (archive.upgrade).

Version 10: a story counts outlets, not sources: an outlet's
language editions (SANA's English and Arabic services) are one outlet
(``sources.outlet``, from the registry's ``outlet`` field; ``story_outlets.outlet``);
upgrading fills them in and counts each story's outlets again.

Version 9: recovery from web archives (scraper.recover): a capture
keeps where it came from (``captures.archive``, ``archived_at``, ``replay_url``,
NULL for a live fetch), and ``recover_queries`` and ``recovered_captures`` (the
captures that were no article) let a killed recovery resume without listing or
fetching again what it had done.

Version 8: story bands and anchors keyed by week first.

Version 7: stories bounded in time and linked off the write path
(archive.stories): ``story_docs.seq`` queues an article for the linking pass,
``stories`` keep their first and last day, ``story_outlets`` their outlets, so
their figures move as articles join instead of being recounted; upgrading
links the archive's stories again under these rules.

Version 6: ``held_pages``, article pages kept the moment they
arrive and deleted once stored, so a killed crawl extracts them on its next
run instead of fetching them again.

Version 5: ``stories`` and their index (archive.stories): the
articles that report one story, across outlets and languages; upgrading
links the stories of the articles already archived.

Version 4: the crawl ``frontier`` and ``crawl_runs.job``, so a
killed crawl resumes where it stopped instead of starting again.

Version 3: the search index also holds a stemmed copy of each article
(archive.search), so words are found whatever their clitics and endings;
upgrading rebuilds the index.

Version 2: articles keep the URL as published beside the canonical URL that
is their dedup key; raw pages became ``captures``, every fetch kept, with
bodies stored once per SHA-256 in ``page_bodies``; runs list the pages they
judged not to be articles in ``not_articles``.
"""

from __future__ import annotations

import sqlite3

__all__ = ["SCHEMA", "SCHEMA_VERSION", "ddl_statements"]

SCHEMA_VERSION = 13

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT
);
CREATE TABLE IF NOT EXISTS sources (
    id TEXT PRIMARY KEY,
    name TEXT,
    homepage TEXT,
    language TEXT,
    -- the outlet this source is an edition of (registry); NULL: its name (archive.stories)
    outlet TEXT,
    enabled INTEGER NOT NULL DEFAULT 1,
    poll_interval INTEGER,
    next_poll TEXT,
    last_success TEXT,
    last_error TEXT,
    last_error_at TEXT,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    paused_reason TEXT,
    -- adaptive polling and failure scoring (scraper/schedule.py)
    current_interval INTEGER,
    last_outcome TEXT,
    failure_score REAL NOT NULL DEFAULT 0,
    paused_at TEXT
);
-- Backfills asked for (`newsarchive crawl --queue`), run by `newsarchive schedule`.
CREATE TABLE IF NOT EXISTS backfills (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    since TEXT,
    requested_at TEXT NOT NULL,
    started TEXT,
    finished TEXT,
    status TEXT NOT NULL DEFAULT 'queued'
);
-- What a crawl found to fetch and which feed, sitemap and listing pages it has read, so
-- a killed crawl resumes without reading them again; cleared when a run completes.
CREATE TABLE IF NOT EXISTS frontier (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    kind TEXT NOT NULL,  -- 'link': an article to fetch; 'read': a discovery page done
    url TEXT NOT NULL,
    via TEXT,
    hints TEXT,
    seen_as TEXT,
    at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_frontier_source ON frontier(source, at);
-- Article pages fetched and not yet stored, kept the moment they arrive (the fetch's
-- fields as JSON, the body as received) and deleted in the batch that stores them.
CREATE TABLE IF NOT EXISTS held_pages (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    url TEXT NOT NULL,
    fetch TEXT NOT NULL,
    body BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_held_pages_source ON held_pages(source);
-- An unfinished recovery's CDX listings (scraper.recover): the resume key of the page
-- being worked on (NULL: the first), so a killed recovery does not list again what it
-- had listed; forgotten when the recovery finishes.
CREATE TABLE IF NOT EXISTS recover_queries (
    query TEXT PRIMARY KEY,  -- the CDX query without its resume key
    source TEXT NOT NULL,
    resume_key TEXT,
    updated TEXT
);
-- The captures a recovery fetched that were no article, so that none is fetched again
-- (a stored one keeps its replay_url in captures).
CREATE TABLE IF NOT EXISTS recovered_captures (
    replay_url TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    at TEXT NOT NULL
);
-- How far a backfill walked each listing, so an interrupted one resumes there.
CREATE TABLE IF NOT EXISTS listing_progress (
    listing TEXT NOT NULL,
    since TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL,
    last_page INTEGER NOT NULL DEFAULT 0,
    completed INTEGER NOT NULL DEFAULT 0,
    updated TEXT,
    PRIMARY KEY (listing, since)
);
CREATE TABLE IF NOT EXISTS articles (
    id INTEGER PRIMARY KEY,
    -- the address as the site publishes it; canonical_url is the dedup key
    url TEXT NOT NULL,
    canonical_url TEXT UNIQUE NOT NULL,
    source TEXT,
    title TEXT,
    summary TEXT,
    body TEXT,
    authors TEXT,
    published TEXT,  -- UTC, what sorting compares
    updated TEXT,
    language TEXT,
    section TEXT,
    tags TEXT,
    editorial_note TEXT,
    translated INTEGER NOT NULL DEFAULT 0,
    original_source TEXT,
    original_stance TEXT,
    image TEXT,
    word_count INTEGER,
    content_hash TEXT,
    simhash TEXT,
    band0 INTEGER,
    band1 INTEGER,
    band2 INTEGER,
    band3 INTEGER,
    near_duplicate_of INTEGER REFERENCES articles(id),
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    extractor_version TEXT,
    date_notes TEXT,
    -- the publisher's own offset (archive.days): its first ten characters are the day
    -- shown, filtered, counted and exported
    published_local TEXT
);
-- Only where the URL as published differs from the canonical URL: elsewhere the unique
-- index on canonical_url finds the article (archive.articles.ArticleStore.lookup).
CREATE INDEX IF NOT EXISTS idx_articles_url ON articles(url) WHERE url != canonical_url;
CREATE INDEX IF NOT EXISTS idx_articles_source ON articles(source);
-- The language and section facets of the browsing UI count over these.
CREATE INDEX IF NOT EXISTS idx_articles_language ON articles(language);
CREATE INDEX IF NOT EXISTS idx_articles_section ON articles(section);
CREATE INDEX IF NOT EXISTS idx_articles_content_hash ON articles(content_hash);
-- The near-duplicate lookup (archive.dedup) reads a band's articles and their simhash from
-- the index alone: a bucket holds more articles as the archive grows (about 15 a band at
-- a million), and reading each article's row for its simhash cost 0.05 ms apiece.
CREATE INDEX IF NOT EXISTS idx_articles_band0 ON articles(band0, simhash);
CREATE INDEX IF NOT EXISTS idx_articles_band1 ON articles(band1, simhash);
CREATE INDEX IF NOT EXISTS idx_articles_band2 ON articles(band2, simhash);
CREATE INDEX IF NOT EXISTS idx_articles_band3 ON articles(band3, simhash);
CREATE INDEX IF NOT EXISTS idx_articles_near_duplicate_of ON articles(near_duplicate_of);
-- Browsing at a million (archive/datasette/): a source's newest article and a search
-- filtered by source and dates walk (source, published); the dashboard's days by
-- source read (published, source) without touching the articles' rows.
CREATE INDEX IF NOT EXISTS idx_articles_source_published ON articles(source, published);
CREATE INDEX IF NOT EXISTS idx_articles_published_source ON articles(published, source);
-- Precomputed counts (archive.counts), kept by the triggers below on every insert,
-- update and delete of an article, whoever writes it: articles per source, language,
-- section and month (month: the publisher's YYYY-MM, archive.days, else NULL), the
-- same per tag (each distinct value of the tags JSON list), and per day (the
-- publisher's day: the first ten characters of published_local). The facets of the
-- articles table, the front page and the dashboard read these few thousand rows
-- instead of counting every article.
CREATE TABLE IF NOT EXISTS article_counts (
    source TEXT, language TEXT, section TEXT, month TEXT, n INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_article_counts ON article_counts(source, language, section, month);
CREATE TABLE IF NOT EXISTS article_tag_counts (
    tag, source TEXT, language TEXT, section TEXT, month TEXT, n INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_article_tag_counts
    ON article_tag_counts(tag, source, language, section, month);
CREATE TABLE IF NOT EXISTS article_day_counts (
    day TEXT, source TEXT, language TEXT, n INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_article_day_counts ON article_day_counts(day, source, language);
-- Filled from the articles when just made (an archive upgraded from before them):
-- an empty table beside articles means exactly that, so this runs once.
INSERT INTO article_counts (source, language, section, month, n)
SELECT source, language, section, CASE WHEN coalesce(published_local, published)
    GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]*'
    THEN substr(coalesce(published_local, published), 1, 7) END, count(*)
FROM articles WHERE NOT EXISTS (SELECT 1 FROM article_counts) GROUP BY 1, 2, 3, 4;
INSERT INTO article_tag_counts (tag, source, language, section, month, n)
SELECT j.value, a.source, a.language, a.section,
    CASE WHEN coalesce(a.published_local, a.published) GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]*'
    THEN substr(coalesce(a.published_local, a.published), 1, 7) END,
    count(DISTINCT a.id)
FROM articles a, json_each(CASE WHEN json_valid(a.tags) THEN a.tags ELSE '[]' END) AS j
WHERE j.value IS NOT NULL AND NOT EXISTS (SELECT 1 FROM article_tag_counts)
GROUP BY 1, 2, 3, 4, 5;
INSERT INTO article_day_counts (day, source, language, n)
SELECT substr(coalesce(published_local, published), 1, 10), source, language, count(*)
FROM articles WHERE NOT EXISTS (SELECT 1 FROM article_day_counts) GROUP BY 1, 2, 3;
-- One article counted in (delta 1) or out (delta -1): the triggers on articles insert
-- here, and this view's trigger moves the counts (keys compared with IS: NULL is a key).
CREATE VIEW IF NOT EXISTS article_count_changes (source, language, section, month, day, tags, delta)
    AS SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL WHERE 0;
CREATE TRIGGER IF NOT EXISTS article_count_changes_apply
INSTEAD OF INSERT ON article_count_changes BEGIN
    INSERT INTO article_counts (source, language, section, month, n)
    SELECT NEW.source, NEW.language, NEW.section, NEW.month, 0 WHERE NOT EXISTS (
        SELECT 1 FROM article_counts WHERE source IS NEW.source AND language IS NEW.language
        AND section IS NEW.section AND month IS NEW.month);
    UPDATE article_counts SET n = n + NEW.delta WHERE source IS NEW.source
        AND language IS NEW.language AND section IS NEW.section AND month IS NEW.month;
    DELETE FROM article_counts WHERE NEW.delta < 0 AND n <= 0 AND source IS NEW.source
        AND language IS NEW.language AND section IS NEW.section AND month IS NEW.month;
    INSERT INTO article_day_counts (day, source, language, n)
    SELECT NEW.day, NEW.source, NEW.language, 0 WHERE NOT EXISTS (
        SELECT 1 FROM article_day_counts WHERE day IS NEW.day AND source IS NEW.source
        AND language IS NEW.language);
    UPDATE article_day_counts SET n = n + NEW.delta
        WHERE day IS NEW.day AND source IS NEW.source AND language IS NEW.language;
    DELETE FROM article_day_counts WHERE NEW.delta < 0 AND n <= 0
        AND day IS NEW.day AND source IS NEW.source AND language IS NEW.language;
    INSERT INTO article_tag_counts (tag, source, language, section, month, n)
    SELECT DISTINCT j.value, NEW.source, NEW.language, NEW.section, NEW.month, 0
    FROM json_each(CASE WHEN json_valid(NEW.tags) THEN NEW.tags ELSE '[]' END) AS j
    WHERE j.value IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM article_tag_counts t WHERE t.tag = j.value AND t.source IS NEW.source
        AND t.language IS NEW.language AND t.section IS NEW.section AND t.month IS NEW.month);
    UPDATE article_tag_counts SET n = n + NEW.delta
    WHERE tag IN (SELECT value FROM json_each(
            CASE WHEN json_valid(NEW.tags) THEN NEW.tags ELSE '[]' END))
        AND source IS NEW.source AND language IS NEW.language AND section IS NEW.section
        AND month IS NEW.month;
    DELETE FROM article_tag_counts WHERE NEW.delta < 0 AND n <= 0
        AND tag IN (SELECT value FROM json_each(
            CASE WHEN json_valid(NEW.tags) THEN NEW.tags ELSE '[]' END))
        AND source IS NEW.source AND language IS NEW.language AND section IS NEW.section
        AND month IS NEW.month;
END;
CREATE TRIGGER IF NOT EXISTS articles_counted_insert AFTER INSERT ON articles BEGIN
    INSERT INTO article_count_changes VALUES (NEW.source, NEW.language, NEW.section,
        CASE WHEN coalesce(NEW.published_local, NEW.published)
            GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]*'
            THEN substr(coalesce(NEW.published_local, NEW.published), 1, 7) END,
        substr(coalesce(NEW.published_local, NEW.published), 1, 10), NEW.tags, 1);
END;
CREATE TRIGGER IF NOT EXISTS articles_counted_delete AFTER DELETE ON articles BEGIN
    INSERT INTO article_count_changes VALUES (OLD.source, OLD.language, OLD.section,
        CASE WHEN coalesce(OLD.published_local, OLD.published)
            GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]*'
            THEN substr(coalesce(OLD.published_local, OLD.published), 1, 7) END,
        substr(coalesce(OLD.published_local, OLD.published), 1, 10), OLD.tags, -1);
END;
CREATE TRIGGER IF NOT EXISTS articles_counted_update
AFTER UPDATE OF source, language, section, published, published_local, tags ON articles
WHEN OLD.source IS NOT NEW.source OR OLD.language IS NOT NEW.language
    OR OLD.section IS NOT NEW.section OR OLD.published IS NOT NEW.published
    OR OLD.published_local IS NOT NEW.published_local OR OLD.tags IS NOT NEW.tags
BEGIN
    INSERT INTO article_count_changes VALUES (OLD.source, OLD.language, OLD.section,
        CASE WHEN coalesce(OLD.published_local, OLD.published)
            GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]*'
            THEN substr(coalesce(OLD.published_local, OLD.published), 1, 7) END,
        substr(coalesce(OLD.published_local, OLD.published), 1, 10), OLD.tags, -1);
    INSERT INTO article_count_changes VALUES (NEW.source, NEW.language, NEW.section,
        CASE WHEN coalesce(NEW.published_local, NEW.published)
            GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]*'
            THEN substr(coalesce(NEW.published_local, NEW.published), 1, 7) END,
        substr(coalesce(NEW.published_local, NEW.published), 1, 10), NEW.tags, 1);
END;
CREATE TABLE IF NOT EXISTS url_aliases (
    url TEXT PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    kind TEXT NOT NULL,
    first_seen TEXT
);
CREATE INDEX IF NOT EXISTS idx_url_aliases_article_id ON url_aliases(article_id);
CREATE TABLE IF NOT EXISTS revisions (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    revised_at TEXT,
    title TEXT,
    summary TEXT,
    body TEXT,
    tags TEXT,
    content_hash TEXT,
    extractor_version TEXT
);
CREATE INDEX IF NOT EXISTS idx_revisions_article_id ON revisions(article_id);
-- Each distinct page body once, zlib-compressed, addressed by the SHA-256 of its bytes.
CREATE TABLE IF NOT EXISTS page_bodies (
    sha256 TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    body BLOB NOT NULL
);
-- Every fetch of an article page: evidence of what the site served, never replaced.
CREATE TABLE IF NOT EXISTS captures (
    id INTEGER PRIMARY KEY,
    article_id INTEGER REFERENCES articles(id),
    requested_url TEXT,
    url TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    status INTEGER,
    content_type TEXT,
    encoding TEXT,
    headers TEXT,
    request_headers TEXT,
    sha256 TEXT NOT NULL REFERENCES page_bodies(sha256),
    -- a capture recovered from a web archive: the archive (its CDX server), when the
    -- archive captured the page, and the address it was replayed from
    archive TEXT,
    archived_at TEXT,
    replay_url TEXT
);
CREATE INDEX IF NOT EXISTS idx_captures_article_id ON captures(article_id);
CREATE TABLE IF NOT EXISTS feeds (
    url TEXT PRIMARY KEY,
    source TEXT,
    etag TEXT,
    last_modified TEXT,
    last_status INTEGER,
    last_polled TEXT,
    last_entry_count INTEGER,
    bozo_error TEXT
);
CREATE TABLE IF NOT EXISTS crawl_runs (
    id INTEGER PRIMARY KEY,
    source TEXT,
    kind TEXT NOT NULL,
    started TEXT,
    finished TEXT,
    duration_s REAL,
    requests INTEGER NOT NULL DEFAULT 0,
    not_modified INTEGER NOT NULL DEFAULT 0,
    new INTEGER NOT NULL DEFAULT 0,
    unchanged INTEGER NOT NULL DEFAULT 0,
    revised INTEGER NOT NULL DEFAULT 0,
    alias INTEGER NOT NULL DEFAULT 0,
    near_duplicate INTEGER NOT NULL DEFAULT 0,
    not_article INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0,
    extra_counts TEXT,
    status TEXT NOT NULL DEFAULT 'running',
    error TEXT,
    -- the process that ran it, so a run whose process died can be told apart
    pid INTEGER,
    -- the runs one `newsarchive crawl` started together; a killed one is resumed as a whole
    job TEXT
);
CREATE TABLE IF NOT EXISTS failures (
    id INTEGER PRIMARY KEY,
    run_id INTEGER REFERENCES crawl_runs(id),
    source TEXT,
    url TEXT,
    stage TEXT NOT NULL,
    error TEXT,
    at TEXT
);
CREATE INDEX IF NOT EXISTS idx_failures_run_id ON failures(run_id);
CREATE INDEX IF NOT EXISTS idx_failures_source ON failures(source);
-- Pages a run fetched and judged not to be articles, and why (not failures: choices).
CREATE TABLE IF NOT EXISTS not_articles (
    id INTEGER PRIMARY KEY,
    run_id INTEGER REFERENCES crawl_runs(id),
    source TEXT,
    url TEXT,
    reason TEXT,
    at TEXT
);
CREATE INDEX IF NOT EXISTS idx_not_articles_run_id ON not_articles(run_id);
-- What a crawl reads when it starts (archive.runs): a source's pages judged not to be
-- articles, its last runs, a dead or interrupted job (tests/test_query_plans.py).
CREATE INDEX IF NOT EXISTS idx_not_articles_source ON not_articles(source, at);
CREATE INDEX IF NOT EXISTS idx_crawl_runs_running ON crawl_runs(status) WHERE status = 'running';
CREATE INDEX IF NOT EXISTS idx_crawl_runs_kind ON crawl_runs(kind) WHERE job IS NOT NULL;
CREATE INDEX IF NOT EXISTS idx_crawl_runs_job ON crawl_runs(job);
CREATE INDEX IF NOT EXISTS idx_crawl_runs_source_kind ON crawl_runs(source, kind);
-- Folded copies (archive.arabic.fold) and stemmed copies (archive.search's
-- analyser) with rowid = articles.id; kept in step by archive.search, not by
-- triggers, because folding and stemming happen in Python.
CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(
    title, summary, body, tags,
    title_stem, summary_stem, body_stem, tags_stem,
    tokenize = 'unicode61 remove_diacritics 2'
);
-- Stories (archive.stories): one row per story, one story_articles row per member
-- (which article it was linked to, how, with what score); unlinked articles are in none.
CREATE TABLE IF NOT EXISTS stories (
    id INTEGER PRIMARY KEY,
    first_article INTEGER NOT NULL REFERENCES articles(id),
    articles INTEGER NOT NULL,
    outlets INTEGER NOT NULL,
    languages TEXT,
    first_published TEXT,
    last_published TEXT,
    first_day INTEGER,  -- proleptic Gregorian ordinals (story_docs.day) of its first and
    last_day INTEGER,   -- last article: a story spans at most archive.stories' window
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_stories_outlets ON stories(outlets, last_published);
CREATE TABLE IF NOT EXISTS story_articles (
    article_id INTEGER PRIMARY KEY REFERENCES articles(id),
    story_id INTEGER NOT NULL REFERENCES stories(id),
    linked_to INTEGER REFERENCES articles(id),
    method TEXT NOT NULL,
    score REAL,
    linked_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_story_articles_story_id ON story_articles(story_id);
-- datasette's article page counts the rows that point at the article (its story, the
-- members linked to it): without these, two scans that grow with the archive.
CREATE INDEX IF NOT EXISTS idx_stories_first_article ON stories(first_article);
CREATE INDEX IF NOT EXISTS idx_story_articles_linked_to ON story_articles(linked_to);
-- A story's sources and the outlet each is an edition of: stories.outlets counts the
-- distinct outlets (an outlet's English and Arabic editions are one).
CREATE TABLE IF NOT EXISTS story_outlets (
    story_id INTEGER NOT NULL REFERENCES stories(id),
    source TEXT NOT NULL,
    outlet TEXT,
    PRIMARY KEY (story_id, source)
) WITHOUT ROWID;
-- A source's outlet renamed in the registry: its stories found without a scan.
CREATE INDEX IF NOT EXISTS idx_story_outlets_source ON story_outlets(source, outlet);
-- What the linker compares: per article its MinHash signature, size and anchors...
CREATE TABLE IF NOT EXISTS story_docs (
    article_id INTEGER PRIMARY KEY REFERENCES articles(id),
    source TEXT,
    language TEXT,
    day INTEGER NOT NULL,
    shingles INTEGER NOT NULL,
    signature BLOB NOT NULL,
    anchors TEXT NOT NULL,
    title_terms TEXT,
    original_source TEXT,
    outlet TEXT,
    image TEXT,
    seq INTEGER  -- the linking pass's queue: it links the docs above its mark (meta)
);
CREATE INDEX IF NOT EXISTS idx_story_docs_source_day ON story_docs(source, day);
CREATE INDEX IF NOT EXISTS idx_story_docs_seq ON story_docs(seq);
-- ...and where it finds candidates: LSH bands and anchors by week and key, links named
-- by pages. Week first (day / 7): an article's ~40 entries go beside the other entries
-- of its week, pages the writer has in its cache, not to ~40 random places in a
-- table that grows with the archive.
CREATE TABLE IF NOT EXISTS story_bands (
    week INTEGER NOT NULL,
    key INTEGER NOT NULL,
    day INTEGER NOT NULL,
    article_id INTEGER NOT NULL,
    PRIMARY KEY (week, key, day, article_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS story_anchors (
    week INTEGER NOT NULL,
    key INTEGER NOT NULL,
    day INTEGER NOT NULL,
    article_id INTEGER NOT NULL,
    weight REAL NOT NULL,
    PRIMARY KEY (week, key, day, article_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS story_links (
    url TEXT NOT NULL,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    method TEXT NOT NULL,
    PRIMARY KEY (url, article_id)
);
CREATE INDEX IF NOT EXISTS idx_story_links_article_id ON story_links(article_id);
"""


def ddl_statements(script: str) -> list[str]:
    """The statements of a DDL script (executescript would commit the open transaction)."""
    statements, current = [], ""
    for line in script.splitlines(keepends=True):
        if line.lstrip().startswith("--"):
            continue
        current += line
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    return statements
