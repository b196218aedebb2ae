"""No scan on the write path: every statement the archive's writer runs finds its rows by index.

Issue 19 ("Step 13"): what one page costs to store must not grow with the
archive. This test records, with sqlite3's trace callback on the archive's
connection, every SQL statement a crawl's writer executes, and runs
``EXPLAIN QUERY PLAN`` on each distinct one (the trace gives it with its
values). A ``SCAN`` (a full table scan, or a full scan of an index, as opposed
to ``SEARCH ... USING INDEX``) of a table that grows with the archive fails
the test, which prints the statement, its plan and the line of archive/ or
scraper/ that ran it. Only the tables of ALLOWED_SCANS, small by nature, may
be scanned.

What is recorded, on an archive of a few hundred articles (the article maker
of benchmarks.bench_archive; every page goes through the extraction worker's
own ``process_page``):

- the write path: a crawl's items through the crawl's own writer,
  scraper.pipelines.ArchivePipeline (the run opened, feed state, frontier
  links, pages read, listing progress, failures, every page held, extracted,
  ingested and committed, aliases, the run judged and finished), with pages
  of every outcome (new, unchanged, revised, alias, near-duplicate, not an
  article, copies, translations and credited republications that join
  stories, the held page of a killed run); scraper.schedule.record_poll's
  writes after a poll; the calls scraper.distributed.writer.Writer makes on
  its StreamArchive (batches in one transaction with the stream position, a
  restart that resumes its run, the end of the run); and the story linking
  pass, which the Archive runs after each commit (``Archive.link_stories``),
  and once more on demand as ``newsarchive stories`` does;
- the start of a crawl: what a spider reads before it starts
  (scraper.spiders.base.BaseSpider.load_state and its subclasses) and
  scraper.crawl's look for an interrupted job. It runs once per crawl or poll,
  and a schedule starts one every few minutes for years.

The archive is not ANALYZEd, as a crawl's archive is not: the planner works
from the schema alone, as it does in the field.
"""

from __future__ import annotations

import asyncio
import dataclasses
import re
import sqlite3
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from scrapy.settings import Settings

from archive.captures import Capture
from archive.ingest import ingest_page
from archive.reads import ArchivedUrls
from archive.store import Archive
from archive.stream import StreamArchive
from benchmarks.bench_archive import PAGE, SOURCES_AR, SOURCES_EN, Articles, word_pools
from scraper import pipelines
from scraper.extraction import ExtractionPool, process_page
from scraper.items import (
    AliasItem,
    FailureItem,
    FeedStateItem,
    LinkItem,
    ListingProgressItem,
    PageItem,
    PageReadItem,
)
from scraper.pipelines import ArchivePipeline
from scraper.sources import load_registry

ROOT = Path(__file__).resolve().parents[1]

# Tables a statement of the write path may scan in full, and why they stay small. Every
# other table (articles, articles_fts, captures, page_bodies, url_aliases, revisions,
# stories and story_*, crawl_runs, failures, not_articles, frontier, held_pages, meta,
# and any table added later) grows with the archive, or with the crawls, and may not be
# scanned.
ALLOWED_SCANS = {
    "sqlite_master": "the schema: one row per table and index",
    "sqlite_schema": "the schema (sqlite_master's other name)",
    "sources": "one row per source of the registry: tens, never millions",
    "articles_fts_config": "FTS5's settings for the search index: a few rows",
    "feeds": "one row per feed URL of the registry's sources",
    "listing_progress": (
        "one row per backfill listing of the registry and backfill start date: a few per source"
    ),
}

# Statements that are not queries: transactions and savepoints, settings, DDL, and FTS5's
# own statements on its shadow tables (the trace shows them as "-- ..." comments).
_NOT_A_QUERY = re.compile(
    r"\s*(?:--|(?:BEGIN|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE|PRAGMA|CREATE|DROP|ALTER|"
    r"ANALYZE|VACUUM|REINDEX)\b)",
    re.I,
)

STEP = 53  # article k of the archive is the article maker's k * STEP: 2.3 hours apart
BASE = 300  # articles of the archive before the recorded crawl
FETCHED = "2021-03-01T06:00:00+00:00"


# --------------------------------------------------------------------------- recording


async def _no_links(page: Any, links: Any, store: Any, new_article: bool) -> None:
    return None


@dataclasses.dataclass
class Seen:
    phase: str
    where: str  # the innermost line of archive/ or scraper/ (not archive/db.py) that ran it
    count: int = 1


class Recorder:
    """Every distinct statement executed on the connections it is attached to."""

    def __init__(self) -> None:
        self.phase = "write"
        self.statements: dict[str, Seen] = {}

    def attach(self, archive: Archive) -> None:
        archive.db.conn.set_trace_callback(self)

    def __call__(self, sql: str) -> None:
        if _NOT_A_QUERY.match(sql):
            return
        seen = self.statements.get(sql)
        if seen is not None:
            seen.count += 1
            if seen.phase != self.phase and self.phase == "write":
                seen.phase = "write"  # a statement of both phases is judged as a write
            return
        self.statements[sql] = Seen(self.phase, _caller())


def _caller() -> str:
    frame = sys._getframe(2)
    while frame is not None:
        path = Path(frame.f_code.co_filename)
        if path.is_relative_to(ROOT) and path.parts[len(ROOT.parts)] in ("archive", "scraper"):
            if path.relative_to(ROOT) != Path("archive/db.py"):
                return f"{path.relative_to(ROOT)}:{frame.f_lineno} ({frame.f_code.co_name})"
        frame = frame.f_back
    return "?"


# --------------------------------------------------------------------------- the plans

_LITERAL = re.compile(r"[xX]'[0-9a-fA-F]*'|'(?:[^']|'')*'|(?<![\w.])-?\d+(?:\.\d+)?(?!\w)")
_LIST = re.compile(r"\?(?:\s*,\s*\?)+")
_SCAN = re.compile(r"^SCAN (\S+)(.*)$")
_FROM = re.compile(
    r"\b(?:FROM|JOIN|UPDATE|INTO)\s+([A-Za-z_]\w*)(?:\s+(?:AS\s+)?([A-Za-z_]\w*))?", re.I
)
_KEYWORDS = frozenset(
    "where join on using left inner cross natural order group limit union set values select "
    "default as indexed not".split()
)


def shape(sql: str) -> str:
    """The statement with its values as ``?`` and value lists as one ``?, ...``."""
    return _LIST.sub("?, ...", _LITERAL.sub("?", " ".join(sql.split())))


def abbreviated(sql: str, width: int = 60) -> str:
    """The statement with long literals (page bodies, texts) cut short."""

    def cut(match: re.Match[str]) -> str:
        text = match.group()
        return text if len(text) <= width else f"{text[: width - 20]}...[{len(text)} chars]'"

    return _LITERAL.sub(cut, sql)


def explain(
    conn: sqlite3.Connection, sql: str, params: dict[str, None] | None = None
) -> list[tuple[int, int, str]]:
    rows = conn.execute("EXPLAIN QUERY PLAN " + sql, params or {})
    return [(row[0], row[1], row[3]) for row in rows]


def plan_text(plan: list[tuple[int, int, str]]) -> str:
    depth = {0: 0}
    lines = []
    for node, parent, detail in plan:
        depth[node] = depth.get(parent, 0) + 1
        lines.append("    " + "  " * depth[node] + detail)
    return "\n".join(lines)


def full_scans(plan: list[tuple[int, int, str]], sql: str, tables: set[str]) -> list[str]:
    """The tables the plan reads in full: ``SCAN t`` (also of a covering index), or a
    virtual table scanned with no constraint (FTS5 with neither MATCH nor rowid)."""
    aliases: dict[str, str] = {}
    for table, alias in _FROM.findall(sql):
        aliases[table.lower()] = table.lower()
        if alias and alias.lower() not in _KEYWORDS:
            aliases[alias.lower()] = table.lower()
    scanned = []
    for _node, _parent, detail in plan:
        match = _SCAN.match(detail)
        if not match or detail.startswith("SCAN CONSTANT ROW"):
            continue
        scanned_name = re.sub(r"^main\.", "", match.group(1).lower().replace("'", ""))
        name = aliases.get(scanned_name, scanned_name)
        if name not in tables:
            continue  # a subquery or a CTE, its own reads are in the plan too
        virtual = re.search(r"VIRTUAL TABLE INDEX \d+:(\S*)", match.group(2))
        if virtual is not None and virtual.group(1):
            continue  # constrained: MATCH, rowid = ?, a rowid range
        scanned.append(name)
    return scanned


_WRITE = re.compile(r"\s*(?:INSERT(?: OR \w+)?\s+INTO|UPDATE|DELETE\s+FROM)\s+(\w+)", re.I)
_ROW_VALUE = re.compile(r"\b(new|old)\.(\w+)", re.I)


def _split(body: str) -> list[str]:
    """The statements of a trigger's body: split at the semicolons outside quotes."""
    statements, current, quote = [], "", None
    for char in body:
        if quote:
            quote = None if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == ";":
            statements.append(current.strip())
            current = ""
            continue
        current += char
    return [s for s in [*statements, current.strip()] if s]


def trigger_statements(conn: sqlite3.Connection, tables: set[str]) -> dict[str, str]:
    """The statements that triggers run when ``tables`` are written, and the triggers that
    they fire in turn: {statement: "trigger NAME on TABLE"}. The trace does not show them
    (a trigger's statements are traced as the statement that fired it), and EXPLAIN QUERY
    PLAN of that statement does not show their plans, so they are explained on their own,
    the row's values (NEW.x, OLD.x) as parameters."""
    triggers = conn.execute(
        "SELECT name, lower(tbl_name), sql FROM sqlite_master WHERE type = 'trigger'"
    ).fetchall()
    found: dict[str, str] = {}
    todo, done = set(tables), set()
    while todo:
        table = todo.pop()
        done.add(table)
        for name, on, sql in triggers:
            if on != table:
                continue
            body = re.split(r"\bBEGIN\b", sql, maxsplit=1, flags=re.I)[1]
            body = re.sub(r"\bEND\s*;?\s*$", "", body.rstrip(), flags=re.I)
            for statement in _split(body):
                statement = _ROW_VALUE.sub(lambda m: f":{m[1].lower()}_{m[2].lower()}", statement)
                found.setdefault(statement, f"trigger {name} on {on}")
                written = _WRITE.match(statement)
                if written and written[1].lower() not in done:
                    todo.add(written[1].lower())
    return found


def violations(conn: sqlite3.Connection, statements: dict[str, Seen], phase: str) -> list[str]:
    """One report per kind of statement (same shape, same scans) that scans a growing table."""
    tables = {row[0].lower() for row in conn.execute("SELECT name FROM sqlite_master")}
    tables |= set(ALLOWED_SCANS)
    mine = {sql: seen for sql, seen in statements.items() if seen.phase == phase}
    written = {m[1].lower() for sql in mine if (m := _WRITE.match(sql))}
    for sql, where in trigger_statements(conn, written).items():
        mine.setdefault(sql, Seen(phase, where, 0))
    found: dict[tuple[str, tuple[str, ...]], list[tuple[str, Seen, str]]] = defaultdict(list)
    for sql, seen in mine.items():
        names = {m.lstrip(":") for m in re.findall(r":\w+", sql)}
        try:
            plan = explain(conn, sql, dict.fromkeys(names))
        except sqlite3.Error as exc:
            if "no such table" in str(exc):
                continue  # created and dropped meanwhile: sqlite-utils' feature probes
            found[(shape(sql), ("(cannot explain)",))].append((sql, seen, f"    {exc}"))
            continue
        bad = tuple(t for t in full_scans(plan, sql, tables) if t not in ALLOWED_SCANS)
        if bad:
            found[(shape(sql), bad)].append((sql, seen, plan_text(plan)))
    reports = []
    for (_shape, bad), examples in sorted(found.items(), key=lambda kv: kv[1][0][1].where):
        sql, seen, plan = examples[0]
        runs = sum(s.count for _sql, s, _plan in examples)
        reports.append(
            f"SCAN of {', '.join(bad)} by {seen.where} "
            f"({len(examples)} distinct statements, run {runs} times):\n"
            f"    {abbreviated(sql)}\n  plan:\n{plan}"
        )
    return reports


# --------------------------------------------------------------------------- the pages

SOURCE_LINE = r"^by (?:(?P<author>.+?) for )?(?P<outlet>[^()]+?) ?\((?P<stance>[^)]*)\)?$"
CREDITING = SOURCES_EN[0]  # the source whose rules read an original-outlet line


def outlet_name(source: str) -> str:
    return source.replace("-", " ").title()


def registry(path: Path) -> Path:
    """The benchmark's sources, each at https://ID.example/, without article patterns."""
    entries = []
    for source in [*SOURCES_EN, *SOURCES_AR]:
        language = "ar" if source in SOURCES_AR else "en"
        entries.append(
            f'[{source}]\nname = "{outlet_name(source)}"\nhomepage = "https://{source}.example/"\n'
            f'language = "{language}"\nfeeds = ["https://{source}.example/feed/"]\n'
        )
    entries.append(
        f'[{CREDITING}.cleaning]\nbyline_selector = ".source-line"\n'
        f"source_line = '{SOURCE_LINE}'\n"
    )
    path.write_text("\n".join(entries), encoding="utf-8")
    return path


@dataclasses.dataclass
class Page:
    source: str
    url: str
    body: bytes
    seen_as: list[tuple[str, str]] = dataclasses.field(default_factory=list)

    def item(self) -> PageItem:
        """The page as a spider hands it to the pipeline."""
        return PageItem(
            source=self.source,
            url=self.url,
            requested_url=self.url.replace("https:", "http:"),
            status=200,
            content_type="text/html; charset=utf-8",
            encoding="utf-8",
            body=self.body,
            fetched_at=FETCHED,
            headers=[("Content-Type", "text/html")],
            request_headers=[("User-Agent", "newsarchive")],
            seen_as=list(self.seen_as),
        )


class Pages:
    """Article k of the archive, and the pages a crawl meets around it."""

    def __init__(self) -> None:
        self.maker = Articles(word_pools())

    def _article(self, k: int) -> tuple[dict, Capture, str]:
        return self.maker.make(k * STEP)

    def _page(self, extraction: dict, url: str, paragraphs: list[str], head: str = "") -> bytes:
        html = PAGE.format(
            lang=extraction["language"],
            title=extraction["title"],
            url=url,
            author=extraction["authors"][0],
            published=extraction["published"],
            paragraphs="".join(f"<p>{p}</p>" for p in paragraphs),
        )
        return html.replace("</head>", head + "</head>").encode("utf-8")

    def url(self, k: int) -> str:
        return self._article(k)[0]["url"]

    def source(self, k: int) -> str:
        return self._article(k)[2]

    def language(self, k: int) -> str:
        return self._article(k)[0]["language"]

    def article(self, k: int) -> Page:
        """Article k as its outlet serves it, found in the feed (with tracking)."""
        _extraction, capture, source = self._article(k)
        return Page(source, capture.url, capture.body, [(f"{capture.url}?utm_source=rss", "feed")])

    def revised(self, k: int) -> Page:
        """Article k, updated with a correction at its end."""
        extraction, capture, source = self._article(k)
        paragraphs = extraction["body"].split("\n\n")
        paragraphs.append("Correction: an earlier version of this report gave a wrong date.")
        return Page(source, capture.url, self._page(extraction, capture.url, paragraphs))

    def moved(self, k: int) -> Page:
        """Article k's page, served by its outlet at another address: an alias."""
        _extraction, capture, source = self._article(k)
        url = capture.url.rstrip("/") + "-2/"
        return Page(source, url, capture.body.replace(capture.url.encode(), url.encode()))

    def carried(self, k: int, source: str, edited: bool) -> Page:
        """Article k carried by another outlet: one word changed (a near-duplicate), or
        under a lead of its own (the same story)."""
        extraction, _capture, _source = self._article(k)
        paragraphs = extraction["body"].split("\n\n")
        if edited:
            words = paragraphs[1].split(" ")
            words[len(words) // 2] = "reportedly"
            paragraphs[1] = " ".join(words)
        else:
            paragraphs = [
                f"{outlet_name(source)} correspondents confirmed the report.",
                *paragraphs[: len(paragraphs) * 2 // 3],
            ]
        url = f"https://{source}.example/wire/{k}-{int(edited)}/"
        return Page(source, url, self._page(extraction, url, paragraphs))

    def translation(self, k: int, of: int) -> Page:
        """Article k (in the other language) naming article ``of`` as itself with hreflang."""
        extraction, capture, source = self._article(k)
        original = self._article(of)[0]
        head = f'<link rel="alternate" hreflang="{original["language"]}" href="{original["url"]}">'
        paragraphs = extraction["body"].split("\n\n")
        return Page(source, capture.url, self._page(extraction, capture.url, paragraphs, head))

    def credited(self, k: int, of: int) -> Page:
        """Article k republished by CREDITING, whose byline names the outlet of ``of``."""
        _extraction, capture, _source = self._article(k)
        line = f"by Jane Roe for {outlet_name(self.source(of))} (news agency)"
        url = f"https://{CREDITING}.example/republished/{k}/"
        body = capture.body.replace(capture.url.encode(), url.encode()).replace(
            b"<h1>", f'<p class="source-line">{line}</p><h1>'.encode(), 1
        )
        return Page(CREDITING, url, body)

    def not_article(self, source: str, n: int) -> Page:
        url = f"https://{source}.example/contact-{n}/"
        body = (
            b'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Contact us'
            b"</title></head><body><h1>Contact us</h1><p>Write to the newsroom.</p></body></html>"
        )
        return Page(source, url, body)


# --------------------------------------------------------------------------- the writers


class Stats(Counter):
    """The crawler's stats collector, as far as the pipeline uses it."""

    def get_value(self, key: str, default: Any = None) -> Any:
        return self.get(key, default)

    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None:
        self[key] += count

    def set_value(self, key: str, value: Any) -> None:
        self[key] = value

    def get_stats(self) -> dict:
        return dict(self)


class Crawl:
    """One source's run, written by the crawl's own writer (scraper.pipelines.ArchivePipeline)
    from the items its spider yields. The pipelines of a crawl share one Archive and one
    extraction pool (scraper.pipelines._shared, set up by the fixture: one worker, so pages
    are extracted in this process by the pool's own process_page)."""

    def __init__(
        self,
        source: str,
        job: str,
        stats: Stats,
        sources_file: Path,
        resumed_from: str | None = None,
    ) -> None:
        settings = Settings(
            {
                "NEWSARCHIVE_DB": "unused: the archive is shared",
                "NEWSARCHIVE_SOURCES": [str(sources_file)],
                "NEWSARCHIVE_EXTRACT_WORKERS": 1,
                "NEWSARCHIVE_JOB": job,
            }
        )
        spider = SimpleNamespace(
            source=load_registry([sources_file])[source],
            resumed_from=resumed_from,
            resumed_aliases=set(),
            sources_file=None,
            follows_page_links=False,  # the pages' links are spiders' work, not the writer's
            follow_links=_no_links,
        )
        engine = SimpleNamespace(paused=False, pause=lambda: None, unpause=lambda: None)
        crawler = SimpleNamespace(settings=settings, stats=stats, spider=spider, engine=engine)
        self.source = source
        self.pipeline = ArchivePipeline(crawler)
        self.pipeline.open_spider()
        self.archive: Archive = self.pipeline.archive

    def item(self, item: Any) -> None:
        asyncio.run(self.pipeline.process_item(item))

    def discovered(self, page: Page) -> None:
        """A feed read: its state, an article link, the feed marked read."""
        feed = f"https://{self.source}.example/feed/"
        self.item(FeedStateItem(self.source, feed, 200, '"abc"', None, 20, 1, None, FETCHED))
        self.item(LinkItem(self.source, page.url, "feed", {"published": FETCHED}, page.seen_as))
        self.item(PageReadItem(self.source, feed))

    def store(self, page: Page) -> None:
        self.item(page.item())

    def listing(self, page: int, completed: bool) -> None:
        listing = f"https://{self.source}.example/news/"
        self.item(ListingProgressItem(self.source, listing, "2021-01-01", page, completed))

    def failure(self, url: str, stage: str = "fetch") -> None:
        self.item(FailureItem(self.source, url, stage, "HTTP 500"))

    def alias(self, canonical: str, url: str) -> None:
        self.item(AliasItem(self.source, url, canonical, "redirect"))

    def hold(self, page: Page) -> None:
        """A page fetched and kept, and never stored: the crawl is killed meanwhile."""
        item = page.item()
        self.archive.hold_page(item.source, item.url, item.fetch_fields(), item.body)

    def finish(self, reason: str = "finished") -> None:
        """The spider closed: ArchivePipeline.spider_closed (the run judged and finished)."""
        self.pipeline.spider_closed(self.pipeline.spider, reason)

    def polled(self) -> None:
        """scraper.schedule.record_poll: the finished poll scored, the next poll set."""
        archive, run_id = self.archive, self.pipeline.run_id
        archive.failures(run_id, self.source)
        archive.source(self.source)
        archive.recent_published(self.source)
        archive.update_source(
            self.source,
            current_interval=1800,
            last_outcome="ok",
            next_poll="2021-03-01T07:00:00+00:00",
        )
        archive.flush()


def load_state(archive: Archive, source: str, kind: str = "crawl") -> None:
    """What a spider reads before it starts (BaseSpider.load_state, SiteSpider's and
    FeedSpider's additions), and the crawl's look for an interrupted job."""
    archive.interrupted_job(kind)
    archive.source(source)
    # ArchivedUrls on the traced connection: the lookup a spider makes of each link.
    assert "https://example.org/not-archived" not in ArchivedUrls(archive.db.conn, source)
    archive.not_article_urls(source)
    archive.close_dead_runs()
    archive.held_pages(source)
    since = archive.resumable_since(source, kind) or "2021-01-01T00:00:00+00:00"
    archive.handled_since(source, since)
    archive.frontier(source, since)
    archive.listings_walked(source, "2021-01-01", since)
    archive.unfinished_listings(source, "2021-01-01")
    archive.feed_state(f"https://{source}.example/feed/")


def stream_writer(db: Path, pages: Pages, ks: Iterable[int], recorder: Recorder) -> None:
    """scraper.distributed.writer.Writer's calls on its StreamArchive: batches of the stream
    in one transaction each, with its position; a restart that resumes the run; the end of
    the run. (Mirrored, not run: the Writer reads Redis.)"""
    stream, job, source = "newsarchive:items", "job-stream", SOURCES_EN[0]
    ks = list(ks)
    for batch in (ks[: len(ks) // 2], ks[len(ks) // 2 :]):
        with StreamArchive(db) as archive:
            recorder.attach(archive)
            archive.position(stream)
            run_id = archive.run_for_key(f"{job}:{source}")
            if run_id is None:
                archive.sync_sources([{"id": source, "name": outlet_name(source)}])
                run_id = archive.start_run("crawl", source)
                archive.save_run_key(f"{job}:{source}", run_id)
            else:
                archive.resume_run(run_id)
            with archive.transaction():
                for k in batch:
                    page = pages.carried(k, source, edited=False)
                    processed = process_page(page.body, "utf-8", page.url, None, (), {}, FETCHED)
                    capture = Capture(
                        url=page.url,
                        status=200,
                        body=page.body,
                        fetched_at=FETCHED,
                        requested_url=page.url,
                    )
                    # Without the worker's fingerprints: the archive makes its own.
                    ingest_page(
                        archive,
                        processed.extraction,
                        source=source,
                        run_id=run_id,
                        capture=capture,
                        seen_as=[(page.url, "redirect")],
                        now=FETCHED,
                    )
                archive.record_failure(
                    run_id, source, f"https://{source}.example/x/", "fetch", "HTTP 503"
                )
                archive.count(run_id, "failed")
                archive.save_feed_state(
                    f"https://{source}.example/feed/", source, last_status=304, last_polled=FETCHED
                )
                archive.save_listing_progress(
                    source, f"https://{source}.example/news/", None, 3, False
                )
                archive.save_position(stream, f"{1000 + k}-0")
    with StreamArchive(db) as archive:  # Writer._finish
        recorder.attach(archive)
        run_id = archive.run_for_key(f"{job}:{source}")
        archive.resume_run(run_id)
        with archive.transaction():
            archive.run(run_id)
            if archive.add_alias(pages.url(ks[0]), pages.url(ks[0]) + "?amp=1", "redirect"):
                archive.count(run_id, "alias")
            archive.count(run_id, "requests", 12)
            archive.failures(run_id)
            summary = archive.finish_run(run_id, status="finished")
            archive.update_source(source, last_success=summary["finished"], last_outcome="ok")


# --------------------------------------------------------------------------- the archive


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> tuple[Path, Recorder, Stats]:
    """An archive of BASE articles left by a killed crawl, then a recorded crawl resuming
    it, and a recorded distributed writer."""
    folder = tmp_path_factory.mktemp("plans")
    db, sources_file = folder / "archive.db", registry(folder / "sources.toml")
    pages, recorder, stats = Pages(), Recorder(), Stats()  # stats: the base's, then recorded
    killed = SOURCES_EN[1]
    with pytest.MonkeyPatch.context() as patch:
        shared = pipelines._SharedResources()
        patch.setattr(pipelines, "_shared", shared)
        # The archive as a killed crawl left it: articles with their stories, revisions,
        # aliases, failures and not-articles; one source's run interrupted with its
        # frontier, a pending alias and a held page.
        shared.users, shared.archive = 1, Archive(db, batch_size=50, max_batch_seconds=1.0)
        shared.pool = ExtractionPool(1, (str(sources_file),))
        crawls: dict[str, Crawl] = {}

        def crawl_of(source: str, job: str = "job-1", resumed_from: str | None = None) -> Crawl:
            if source not in crawls:
                crawls[source] = Crawl(source, job, stats, sources_file, resumed_from)
            return crawls[source]

        for k in range(BASE):
            page = pages.article(k)
            crawl = crawl_of(page.source)
            crawl.discovered(page)
            crawl.store(page)
            if k % 25 == 3:
                crawl.store(pages.revised(k))
            if k % 25 == 7:
                crawl.store(pages.moved(k))
                crawl.failure(page.url + "missing/")
                crawl.store(pages.not_article(page.source, k))
            if k % 10 == 1:
                other = SOURCES_EN[(k + 4) % len(SOURCES_EN)]
                crawl_of(other).store(pages.carried(k - k % 20, other, edited=k % 20 == 1))
            if k % 50 == 12:
                crawl_of(CREDITING).store(pages.credited(k + 1, of=k))
        # The translation of an article not archived yet: linked when its original comes.
        page = pages.translation(BASE + 10, of=BASE + 1)
        crawl_of(page.source).store(page)
        crawl_of(killed).listing(2, completed=False)
        crawl_of(killed).alias(pages.url(1), pages.url(1) + "?page=1")
        held = next(
            p for k in range(BASE + 50, BASE + 200) if (p := pages.article(k)).source == killed
        )
        crawl_of(killed).hold(held)
        for source, crawl in crawls.items():
            crawl.finish("shutdown" if source == killed else "finished")
        shared.archive.close()

        # The recorded crawl: every source starts (reading its state), the killed one
        # resumes, storing its held page first.
        shared.archive = archive = Archive(db, batch_size=50, max_batch_seconds=1.0)
        recorder.attach(archive)
        recorder.phase = "start"
        for source in [*SOURCES_EN, *SOURCES_AR]:
            load_state(archive, source)
            load_state(archive, source, "poll")
        since, held_pages = archive.resumable_since(killed, "crawl"), archive.held_pages(killed)
        recorder.phase = "write"
        crawls, stats = {}, Stats()
        for held_id, fetch, body in held_pages:
            crawl_of(killed, "job-1", since).item(PageItem.from_held(held_id, fetch, body))
        for k in range(BASE, BASE + 40):
            page = pages.article(k)
            crawl = crawl_of(page.source, "job-2")
            crawl.discovered(page)
            crawl.store(page)
            if k % 10 == 4:
                crawl.store(page)  # unchanged
            if k % 10 == 5:
                crawl.store(pages.not_article(page.source, k))
                crawl.failure(page.url + "missing/")
                crawl.failure("https://elsewhere.example/", "scope")
                crawl.listing(k - BASE, completed=k > BASE + 30)
                for old in (pages.revised(k - BASE), pages.moved(k - BASE + 1)):
                    crawl_of(old.source, "job-2").store(old)
            if k % 10 == 6:
                other = SOURCES_EN[k % len(SOURCES_EN)]
                crawl_of(other, "job-2").store(pages.carried(k - 1, other, edited=True))
                crawl_of(other, "job-2").store(pages.carried(k - 2, other, edited=False))
            if k % 10 == 8 and pages.language(k) == "en":
                translation = pages.translation(BASE + 100 + (k - BASE) * 10, of=k)
                crawl_of(translation.source, "job-2").store(translation)
            if k % 10 == 2:
                crawl_of(CREDITING, "job-2").store(pages.credited(k + 1, of=k))
            if k % 10 == 9:
                crawl.alias(page.url, page.url + "?output=amp")
        for crawl in crawls.values():
            crawl.finish()
            crawl.polled()
        archive.link_stories()  # `newsarchive stories`: the pass on demand
        archive.close()
        shared.pool.shutdown()
    stream_writer(db, pages, range(200, 210), recorder)
    return db, recorder, stats


def _report(db: Path, recorder: Recorder, phase: str) -> list[str]:
    with sqlite3.connect(db) as conn:
        return violations(conn, recorder.statements, phase)


@pytest.mark.parametrize(
    ("phase", "what"),
    [
        ("write", "of the write path (storing pages, the run's bookkeeping, story linking)"),
        ("start", "that every crawl and poll runs when it starts (its state, resuming a run)"),
    ],
    ids=["writing pages", "starting a crawl"],
)
def test_no_statement_scans_a_table_that_grows(written, phase, what):
    db, recorder, _stats = written
    reports = _report(db, recorder, phase)
    assert not reports, (
        f"{len(reports)} kinds of statement {what} scan a table that grows with the "
        "archive:\n\n" + "\n\n".join(reports)
    )


def test_the_recording_covers_what_the_writer_does(written):
    """The two tests above judge only what was recorded: every outcome of a page, every
    table the writer writes, and story linking must be in it."""
    db, recorder, stats = written
    outcomes = {"new", "unchanged", "revised", "alias", "near-duplicate", "not_article"}
    assert all(stats.get(f"newsarchive/{o}") for o in outcomes), stats
    writes = Counter()
    for sql, seen in recorder.statements.items():
        match = _WRITE.match(sql)
        if match and seen.phase == "write":
            writes[match.group(1).lower()] += 1
    expected = {
        "articles",
        "articles_fts",
        "captures",
        "page_bodies",
        "url_aliases",
        "revisions",
        "crawl_runs",
        "failures",
        "not_articles",
        "frontier",
        "held_pages",
        "feeds",
        "listing_progress",
        "meta",
        "stories",
        "story_articles",
    }
    assert expected <= set(writes), f"never written while recorded: {expected - set(writes)}"
    with sqlite3.connect(db) as conn:
        methods = dict(
            conn.execute("SELECT method, count(*) FROM story_articles GROUP BY method").fetchall()
        )
    assert {"hreflang", "original-source", "same-language"} <= set(methods), methods
    assert len(recorder.statements) > 1000


def test_the_plan_check_sees_scans():
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE articles (id INTEGER PRIMARY KEY, url TEXT, body TEXT)")
    conn.execute("CREATE INDEX idx_url ON articles(url)")
    conn.execute("CREATE VIRTUAL TABLE articles_fts USING fts5(body)")
    tables = {"articles", "articles_fts"}

    def scans(sql: str) -> list[str]:
        return full_scans(explain(conn, sql), sql, tables)

    assert scans("SELECT * FROM articles WHERE id = 1") == []
    assert scans("SELECT * FROM articles a WHERE a.url = 'x'") == []
    assert scans("SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'x'") == []
    assert scans("DELETE FROM articles_fts WHERE rowid = 3") == []
    assert scans("SELECT * FROM articles a WHERE a.body = 'x'") == ["articles"]
    assert scans("SELECT count(*) FROM articles") == ["articles"]  # a covering index, in full
    assert scans("SELECT * FROM articles_fts") == ["articles_fts"]
    assert scans(
        "UPDATE articles SET body = (SELECT count(*) FROM articles b WHERE b.body = 'x') "
        "WHERE id = 1"
    ) == ["articles"]
    conn.execute("CREATE TABLE counts (source TEXT, n INTEGER)")
    conn.execute(
        "CREATE TRIGGER counted AFTER INSERT ON articles BEGIN "
        "UPDATE counts SET n = n + 1 WHERE source IS NEW.url; END"
    )
    [(sql, where)] = trigger_statements(conn, {"articles"}).items()
    assert (sql, where) == (
        "UPDATE counts SET n = n + 1 WHERE source IS :new_url",
        "trigger counted on articles",
    )
    assert full_scans(explain(conn, sql, {"new_url": None}), sql, {"counts"}) == ["counts"]
    assert shape("SELECT 1 FROM t WHERE a IN ('x', 2, x'00') AND b = 'it''s'") == (
        "SELECT ? FROM t WHERE a IN (?, ...) AND b = ?"
    )


def test_the_near_duplicate_lookup_reads_only_the_band_indexes(written):
    """Each new article's near-duplicate lookup is four searches of the covering band
    indexes: no article row is read for a candidate. Written as an OR of the bands, SQLite
    plans a MULTI-INDEX OR that reads every candidate's row (~60 random rows an article at
    a million), which is no scan, so the tests above do not see it."""
    db, recorder, _stats = written
    lookups = [sql for sql in recorder.statements if re.search(r"\bWHERE band0 = ", sql)]
    assert lookups, "no near-duplicate lookup was recorded"
    with sqlite3.connect(db) as conn:
        for sql in lookups:
            names = {m.lstrip(":") for m in re.findall(r":\w+", sql)}
            details = [detail for *_, detail in explain(conn, sql, dict.fromkeys(names))]
            searches = [d for d in details if d.startswith("SEARCH")]
            assert len(searches) == 4, details
            assert all("USING COVERING INDEX idx_articles_band" in d for d in searches), details
