"""The `newsarchive` command line (click): one command per job, mirroring the library.

crawl / poll fetch sources into the archive, import cleans text dumps,
reextract re-runs extraction over stored pages, export writes CSV or JSON
Lines, serve opens the archive in datasette, demo runs the whole path on the
bundled offline copies, sources lists and checks the registry.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import click

# The export formats (the search page's downloads read the same).
from archive.formats import FORMATS as EXPORT_FORMATS
from scraper.cdx import DEFAULT_CDX, DEFAULT_REPLAY
from scraper.sources import (
    SourceConfigError,
    UnknownSourceError,
    check_sources,
    load_file,
    load_registry,
    source_by_id,
)

DEFAULT_DB = "archive.db"
# A command's process ends without the interpreter's last garbage collection over all
# that a crawl imported (Scrapy, Twisted, lxml): 0.14 s of a one-article crawl's 1.6 s
# (benchmarks/bench_startup.py). What must be closed is closed by then (the archive,
# the logs, the workers); what is left in reference cycles goes with the process.
atexit.register(gc.freeze)
# How many failures (and pages that are not articles) a crawl lists on screen.
MAX_LISTED = 5


def _remember_db(ctx, param, value):
    """The archive of this command, for the error that names it (see _Commands)."""
    ctx.meta["newsarchive.db"] = value
    return value


def _db_option(help: str):
    return click.option(
        "--db",
        default=DEFAULT_DB,
        show_default=True,
        type=click.Path(dir_okay=False),
        callback=_remember_db,
        help=help,
    )


# Commands that archive make the file; the others read one and refuse a missing one.
db_option = _db_option("The archive (SQLite file); created if missing.")
existing_db_option = _db_option(
    "The archive (SQLite file); it must exist: crawl, poll, import or demo make one."
)
sources_option = click.option(
    "--sources",
    "sources_files",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False),
    help="A registry file of your own, adding or overriding sources (repeatable).",
)


redis_option = click.option(
    "--redis",
    "redis_url",
    envvar="NEWSARCHIVE_REDIS",
    metavar="URL",
    help="Redis of a distributed crawl, e.g. redis://host:6379/0 (or NEWSARCHIVE_REDIS); "
    "needs the 'distributed' extra.",
)


def _registry(sources_files) -> dict:
    try:
        return load_registry(list(sources_files))
    except SourceConfigError as exc:
        raise click.ClickException(str(exc)) from None


def _require_archive(db: str, write: bool = False) -> None:
    """Commands that read an archive stop with a clear error when there is none."""
    if not Path(db).is_file():
        raise click.ClickException(f"no archive at {db} (crawl, poll, import or demo make one)")
    _open_archive(db, write=write)


def _open_archive(db: str, write: bool = True) -> None:
    """Open (create, upgrade) the archive once, so a corrupt, unreadable or unwritable
    file is one clear error here rather than a failure deep inside a crawl."""
    import sqlite3

    from archive.store import Archive, ArchiveError

    archive = Archive(db)
    try:
        if write:  # a read-only file or filesystem may open fine and fail at the first write
            archive.db.conn.execute("BEGIN IMMEDIATE")
            try:
                archive.db.conn.execute("CREATE TABLE newsarchive_write_check (x)")
            finally:
                archive.db.conn.execute("ROLLBACK")
    except sqlite3.Error as exc:
        raise ArchiveError(f"cannot write to archive {db}: {exc}") from None
    finally:
        archive.close()


class _UserDate(click.ParamType):
    """YYYY-MM-DD or an ISO 8601 date-time, checked like everywhere else (archive.clock)."""

    name = "DATE"

    def convert(self, value, param, ctx):
        from archive.clock import parse_user_date

        try:
            parse_user_date(value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)
        return value


USER_DATE = _UserDate()


class _Commands(click.Group):
    """The command group: an archive that cannot be opened or written is one `Error:` line."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except Exception as exc:
            message = _archive_problem(exc, ctx.meta.get("newsarchive.db"))
            if message is None:
                raise
            raise click.ClickException(message) from None


def _archive_problem(exc: Exception, db: str | None) -> str | None:
    """The one line for an archive that cannot be opened or read; None for any other
    error. The archive's modules are imported here, not before every command: a crawl
    starts its extraction workers' server before those imports (_start_extraction_early)."""
    import sqlite3

    from archive.db import ArchiveError

    if isinstance(exc, ArchiveError):
        return str(exc)
    if isinstance(exc, sqlite3.DatabaseError):
        # Damage that opening the file did not reach (a page of articles, say).
        return f"the archive{f' {db}' if db else ''} cannot be read: {exc}"
    return None


def _pick_sources(registry: dict, wanted: tuple[str, ...]) -> list[str]:
    try:
        check_sources(registry, wanted)
    except UnknownSourceError as exc:
        raise click.BadParameter(str(exc), param_hint="SOURCE") from None
    return list(wanted) or sorted(registry)


@contextlib.contextmanager
def _archive_lock(db: str, command: str) -> Iterator[None]:
    """Hold the archive's lock (scraper.lock) for a crawl; another crawl of it is an error."""
    from scraper.lock import AlreadyRunning, ArchiveLock

    try:
        lock = ArchiveLock(db, command).acquire()
    except AlreadyRunning as exc:
        raise click.ClickException(str(exc)) from None
    try:
        yield
    finally:
        lock.release()


def _print_runs(runs: list[dict]) -> None:
    columns = [
        "source",
        "status",
        "requests",
        "new",
        "unchanged",
        "revised",
        "alias",
        "near_duplicate",
        "not_modified",
        "failed",
    ]
    columns.insert(-1, "not_article")
    rows = [[str(run.get(c) if run.get(c) is not None else "") for c in columns] for run in runs]
    widths = [max(len(c), *(len(r[i]) for r in rows)) for i, c in enumerate(columns)]
    click.echo("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)))
    for row in rows:
        click.echo("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)))


def _report_problems(db: str, runs: list[dict]) -> bool:
    """Print, on stderr, why each run that did not finish well failed, with its first
    failures and the pages it judged not to be articles; True when a run failed or was
    interrupted."""
    from archive.store import Archive

    bad = [run for run in runs if run.get("status") != "finished"]
    for run in runs:
        if run.get("status") == "finished" and run.get("error"):  # blocked halfway
            click.echo(f"Warning: {run['source']}: {run['error']}", err=True)
    if not any(run.get("not_article") for run in runs) and not bad:
        return False
    with Archive(db) as archive:
        for run in runs:
            if run.get("id") is None:
                continue
            for page in archive.not_articles(run["id"])[:MAX_LISTED]:
                click.echo(f"  {run['source']}: not an article: {page['url']}: {page['reason']}")
        for run in bad:
            click.echo(f"Error: {run['source']}: {run['status']}: {run.get('error')}", err=True)
            failures = archive.failures(run["id"]) if run.get("id") is not None else []
            for failure in failures[:MAX_LISTED]:
                click.echo(f"  {failure['stage']}: {failure['url']}: {failure['error']}", err=True)
            if len(failures) > MAX_LISTED:
                more = len(failures) - MAX_LISTED
                click.echo(f"  ... and {more} more (see the failures table)", err=True)
    # An interrupted crawl did not do its job either: running it again continues it.
    return any(run.get("status") in ("failed", "empty", "interrupted") for run in bad)


@click.group(cls=_Commands)
@click.version_option(package_name="newsarchive")
@click.option("-v", "--verbose", is_flag=True, help="Show Scrapy's log (INFO) during crawls.")
@click.option(
    "-s",
    "--set",
    "scrapy_settings",
    multiple=True,
    metavar="NAME=VALUE",
    help="Override a Scrapy setting for crawls, e.g. -s DOWNLOAD_DELAY=5 (repeatable).",
)
@click.pass_context
def cli(ctx, verbose, scrapy_settings) -> None:
    """Archive regional news: crawl sources, clean articles, search and export them."""
    overrides = {"LOG_LEVEL": "INFO" if verbose else "WARNING"}
    for item in scrapy_settings:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"expected NAME=VALUE, got {item!r}", param_hint="-s")
        overrides[name.strip()] = value
    ctx.obj = {"overrides": overrides}


def _start_extraction_early() -> None:
    """A crawl will extract pages: its workers' fork server starts importing the
    extractor now, beside the crawl's own start (scraper.extraction)."""
    from scraper import settings
    from scraper.extraction import start_fork_server

    workers = _crawl_overrides().get("NEWSARCHIVE_EXTRACT_WORKERS")
    start_fork_server(int(workers if workers is not None else settings.NEWSARCHIVE_EXTRACT_WORKERS))


def _crawl_overrides() -> dict:
    """Scrapy settings given on the command line (-v, -s NAME=VALUE)."""
    return dict(click.get_current_context().obj["overrides"])


@cli.command()
@click.argument("source", nargs=-1)
@click.option(
    "--since", type=USER_DATE, help="Backfill down to this date (YYYY-MM-DD or ISO date-time)."
)
@click.option(
    "--queue", is_flag=True, help="Queue the crawl for the running `newsarchive schedule` instead."
)
@click.option(
    "--new-only",
    is_flag=True,
    help="Skip archived articles; stop a listing at a page of archived ones.",
)
@click.option(
    "--distributed",
    is_flag=True,
    help="Queue the crawl for `newsarchive worker` processes (needs --redis) instead.",
)
@click.option(
    "--wait", is_flag=True, help="With --distributed: wait until the writer closes the runs."
)
@redis_option
@db_option
@sources_option
def crawl(source, since, queue, new_only, distributed, wait, redis_url, db, sources_files) -> None:
    """Crawl sources (default: all) through their feeds, sitemaps and listings.

    \b
    Examples:
      newsarchive crawl sana-en enabbaladi-ar
      newsarchive crawl syrianobserver --since 2024-01-01
      newsarchive crawl --queue sohr --since 2011-03-15
    """
    registry = _registry(sources_files)
    if distributed:
        _seed(registry, source, since, new_only, wait, redis_url, sources_files)
        return
    wanted = _pick_sources(registry, source)  # before the archive: a typo makes no file
    if not queue:
        _start_extraction_early()  # before the archive's and Scrapy's imports, beside them
    _open_archive(db)
    if queue:
        from archive.store import Archive

        with Archive(db) as archive:
            for source_id in wanted:
                archive.queue_backfill(source_id, since)
        click.echo("Queued; `newsarchive schedule` will run it.")
        return
    with _archive_lock(db, "crawl"):
        from scraper.crawl import run_crawl

        runs = run_crawl(
            wanted,
            db=db,
            since=since,
            new_only=new_only,
            sources_files=sources_files,
            overrides=_crawl_overrides(),
            in_process=True,
        )
    _print_runs(runs)
    if _report_problems(db, runs):
        sys.exit(1)


def _seed(registry, source, since, new_only, wait, redis_url, sources_files) -> None:
    """crawl --distributed: queue a job's first requests in Redis for the workers."""
    if not redis_url:
        raise click.UsageError("--distributed needs --redis URL")
    if new_only:
        raise click.UsageError("--new-only needs the archive's known URLs: not with --distributed")
    import redis

    from scraper.distributed.seed import SourceBusy, seed, wait_for_job

    try:
        job = seed(
            redis_url,
            _pick_sources(registry, source),
            since=since,
            sources_files=sources_files,
            overrides=_crawl_overrides(),
        )
    except SourceBusy as exc:
        raise click.ClickException(str(exc)) from None
    except redis.RedisError as exc:
        raise click.ClickException(f"cannot use Redis at {redis_url}: {exc}") from None
    queued = ", ".join(f"{s} {n}" for s, n in job["queued"].items())
    click.echo(f"Job {job['id']} queued ({queued} first requests); workers will crawl it.")
    if wait:
        runs = wait_for_job(redis_url, job["id"])
        _print_runs(runs)
        if any(run.get("status") in ("failed", "empty") for run in runs):
            sys.exit(1)


@cli.command()
@click.argument("source", nargs=-1)
@click.option("--due", is_flag=True, help="Only sources whose next poll time has come.")
@db_option
@sources_option
def poll(source, due, db, sources_files) -> None:
    """Poll the feeds of sources (default: all) and fetch only new articles.

    \b
    Examples:
      newsarchive poll
      newsarchive poll --due --db ~/news/archive.db
    """
    from archive.store import Archive
    from scraper.crawl import run_crawl
    from scraper.schedule import due_sources, record_poll

    registry = _registry(sources_files)
    wanted = _pick_sources(registry, source)  # before the archive: a typo makes no file
    _open_archive(db)
    for source_id in [s for s in wanted if not registry[s].feeds]:
        click.echo(f"{source_id} has no feeds to poll; crawl it instead.", err=True)
        wanted.remove(source_id)
    if due:
        with Archive(db) as archive:
            wanted = [s for s in due_sources(archive, registry) if s in wanted]
        if not wanted:
            click.echo("No source is due.")
            return
    with _archive_lock(db, "poll"):
        runs = run_crawl(
            wanted,
            db=db,
            spider="feed",
            sources_files=sources_files,
            overrides=_crawl_overrides(),
            in_process=True,
        )
    with Archive(db) as archive:
        for run in runs:
            if run.get("source") in registry:
                record_poll(archive, registry[run["source"]], run)
    _print_runs(runs)
    if _report_problems(db, runs):
        sys.exit(1)


@cli.command()
@click.argument("source", nargs=-1)
@click.option(
    "--tick",
    default=60.0,
    show_default=True,
    help="Seconds between checks for due sources and queued backfills.",
)
@click.option("--once", is_flag=True, help="Poll what is due and run queued backfills, then exit.")
@db_option
@sources_option
def schedule(source, tick, once, db, sources_files) -> None:
    """Run as a service: poll due sources, run queued backfills, never overlap itself.

    \b
    Examples:
      newsarchive schedule
      newsarchive schedule --once
    """
    from scraper.schedule import Scheduler

    registry = _registry(sources_files)
    _open_archive(db)
    registry = {sid: registry[sid] for sid in _pick_sources(registry, source)}
    scheduler = Scheduler(
        db,
        registry,
        sources_files=sources_files,
        overrides=_crawl_overrides(),
        tick=tick,
        on_runs=_print_runs,
    )
    with _archive_lock(db, "schedule"):
        scheduler.install_signal_handlers()
        click.echo(f"newsarchive schedule: {len(registry)} sources, archive {db}", err=True)
        scheduler.run(once=once)
    click.echo("newsarchive schedule: stopped", err=True)
    if once and _report_problems(db, scheduler.failed_runs):
        sys.exit(1)


@cli.command()
@existing_db_option
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@redis_option
def status(db, as_json, redis_url) -> None:
    """Health of each source; exits with 1 when any source is unhealthy (for monitoring).

    With --redis: also the distributed crawl's workers, queues and the writer's lag
    (without an archive here, only those).

    \b
    Examples:
      newsarchive status
      newsarchive status --json
    """
    from archive.health import source_health
    from archive.store import Archive

    if redis_url:
        cluster = _cluster_status(redis_url, as_json)
        if not Path(db).is_file():
            if any(not w["alive"] for w in cluster["workers"]):
                sys.exit(1)
            return
    _require_archive(db)
    with Archive(db) as archive:
        archive.close_dead_runs()
    report = source_health(db)
    if not report:  # monitoring must not read an archive nothing has filled as healthy
        raise click.ClickException(f"no source has been crawled into {db} yet")
    if as_json:
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        for row in report:
            flags = ",".join(row["flags"]) or "ok"
            click.echo(
                f"{row['source']:20} {flags:16} new/day={row['new_day']:<4} "
                f"new/week={row['new_week']:<5} failures={row['consecutive_failures']:<3} "
                f"last success={row['last_success'] or '-'}"
            )
            if row["last_error"]:
                click.echo(f"{'':20} last error: {row['last_error']}")
    if any(row["flags"] for row in report):
        sys.exit(1)


def _cluster_status(redis_url: str, as_json: bool) -> dict:
    import redis

    from scraper.distributed.status import cluster_status

    try:
        cluster = cluster_status(redis_url)
    except redis.RedisError as exc:
        raise click.ClickException(f"cannot use Redis at {redis_url}: {exc}") from None
    if as_json:
        click.echo(json.dumps({"distributed": cluster}, indent=2))
        return cluster
    writer, lag = cluster["writer"], cluster["writer_lag"]
    if writer:
        click.echo(
            f"writer {writer['host']}:{writer['pid']} -> {writer['db']}: "
            f"{writer['committed']} records committed, lag {lag['entries']} entries"
            + (f" (oldest {lag['oldest_s']} s)" if lag["oldest_s"] is not None else "")
        )
    else:
        click.echo(f"writer: none running; {lag['entries']} entries waiting")
    for worker in cluster["workers"]:
        state = "alive" if worker["alive"] else "DEAD (its requests go back to the queue)"
        click.echo(
            f"worker {worker['id']}: {state}, {worker['in_flight']} in flight, "
            f"{worker['responses'] or 0} responses, sources {','.join(worker['sources']) or '-'}"
        )
    queued = ", ".join(f"{s} {n}" for s, n in cluster["queues"].items()) or "empty"
    click.echo(f"queue: {queued}")
    jobs = ", ".join(f"{s} ({j})" for s, j in cluster["active_jobs"].items()) or "none"
    click.echo(f"crawling: {jobs}")
    return cluster


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice([*EXPORT_FORMATS, "warc"]),
    default="csv",
    show_default=True,
    help="CSV (RFC 4180, UTF-8), JSON Lines, an Excel workbook (opens by double-click "
    "in Excel and LibreOffice), or WARC/1.1 of the fetched pages (for pywb and web archives).",
)
@click.option("--source", multiple=True, help="Only these sources (repeatable).")
@click.option("--lang", help="Only articles in this language (e.g. ar, en).")
@click.option(
    "--since", type=USER_DATE, help="Published on or after this date (the publisher's day)."
)
@click.option(
    "--until", type=USER_DATE, help="Published on or before this date (the publisher's day)."
)
@click.option("--search", help="Full-text search (words match whatever their endings).")
@click.option(
    "--both-languages",
    is_flag=True,
    help="With --search: names also in their other language (Idlib finds إدلب).",
)
@click.option("--tag", help="Only articles with this tag.")
@click.option("--columns", help="Comma-separated columns to export.")
@click.option(
    "--order",
    type=click.Choice(["id", "newest", "oldest", "relevance"]),
    default="id",
    show_default=True,
    help="Row order: archive order, by publication date, or best match first (with --search).",
)
@click.option(
    "--excel",
    is_flag=True,
    help="CSV for Excel: a UTF-8 BOM, and formula-like cells made text.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    default="-",
    help="Output file (default: standard output).",
)
@existing_db_option
def export(
    fmt, source, lang, since, until, search, both_languages, tag, columns, order, excel, output, db
) -> None:
    """Export articles as CSV, JSON Lines or XLSX, streamed.

    Writes to standard output unless -o is given; -o FILE is written whole
    or not at all (an error or Ctrl-C leaves any older FILE as it was).

    \b
    Examples:
      newsarchive export -o articles.csv --excel
      newsarchive export --format xlsx --source sana-ar --since 2024-12-08 -o sana.xlsx
      newsarchive export --format jsonl --search Idlib --both-languages > idlib.jsonl
    """
    import os

    from archive.export import export as export_rows
    from archive.export import export_to_file

    if fmt == "warc":
        _export_warc(db, output, source, lang, since, until, search, tag, columns, excel)
        return
    if excel and fmt != "csv":
        raise click.UsageError("--excel applies to CSV only (XLSX cells are always text)")
    if order == "relevance" and search is None:
        raise click.UsageError("--order relevance needs --search")
    if fmt == "xlsx" and output == "-" and sys.stdout.isatty():
        raise click.UsageError("XLSX is a binary file: give -o FILE.xlsx, or redirect the output")
    _require_archive(db)
    options = {
        "format": fmt,
        "source": list(source) or None,
        "lang": lang,
        "since": since,
        "until": until,
        "search": search,
        "tag": tag,
        "columns": columns,
        "order": order,
        "excel": excel,
        "other_language": both_languages,
    }
    try:
        if output == "-":
            # Bytes, so the output is UTF-8 whatever the terminal's locale.
            sys.stdout.flush()
            count = export_rows(db, getattr(sys.stdout, "buffer", sys.stdout), **options)
        else:
            count = export_to_file(db, output, **options)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    except BrokenPipeError:
        # The reader stopped early (`| head`): not an error. Point stdout at
        # /dev/null so Python's exit flush does not complain again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return
    click.echo(f"{count} article{'' if count == 1 else 's'} exported", err=True)


def _export_warc(db, output, source, lang, since, until, search, tag, columns, excel) -> None:
    """The pages as fetched (archive.warc), by the filters that apply to pages."""
    from archive.warc import warc_to_file

    if search or tag or columns or excel:
        raise click.UsageError("--format warc takes --source, --lang, --since and --until only")
    if output == "-":
        raise click.UsageError("--format warc needs -o FILE.warc.gz")
    _require_archive(db)
    try:
        count = warc_to_file(
            db, output, source=list(source) or None, lang=lang, since=since, until=until
        )
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{count} capture{'' if count == 1 else 's'} written to {output}", err=True)


@cli.command()
@existing_db_option
@click.option("--port", default=8001, show_default=True, help="Port to serve on.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind.")
def serve(db, port, host) -> None:
    """Browse and search the archive in datasette (read-only).

    \b
    Examples:
      newsarchive serve
      newsarchive serve --port 8080
    """
    from archive.serve import serve_archive

    _require_archive(db)
    serve_archive(db, host=host, port=port)


@cli.command()
@db_option
@click.option(
    "--sites",
    type=click.Path(exists=True, file_okay=False),
    help="Folder of offline site copies (default: the copies bundled with newsarchive).",
)
@click.option(
    "--serve/--no-serve",
    "then_serve",
    default=True,
    help="Open the archive in datasette after the crawl.",
)
@click.option("--port", default=8001, show_default=True, help="Port for datasette.")
def demo(db, sites, then_serve, port) -> None:
    """Crawl the bundled offline copies of the sources (no internet needed), then browse.

    \b
    Examples:
      newsarchive demo
      newsarchive demo --no-serve --db demo.db
    """
    _open_archive(db)
    from scraper.crawl import run_crawl
    from scraper.offline import SITES, site_dirs
    from scraper.offline.copies import SiteCopy
    from scraper.offline.server import MirrorServer

    registry = _registry(())
    sites = sites or SITES
    copies = [SiteCopy.load(d) for d in site_dirs(Path(sites)) if d.name in registry]
    if not copies:
        raise click.ClickException(f"no site copies for registry sources under {sites}")
    with MirrorServer(copies) as server:
        click.echo(f"Serving {len(copies)} offline site copies on {server.base_url}")
        # The copies are served by this machine: no need to be gentle with 127.0.0.1.
        local = {
            "DOWNLOAD_DELAY": 0,
            "AUTOTHROTTLE_ENABLED": False,
            "NEWSARCHIVE_MIRRORS_ONLY": True,
        }
        with _archive_lock(db, "demo"):
            runs = run_crawl(
                [c.id for c in copies],
                db=db,
                mirrors=server.mirrors,
                kind="demo",
                overrides={**local, **_crawl_overrides()},
            )
    _print_runs(runs)
    if all(run.get("status") == "failed" for run in runs):
        raise click.ClickException("every source failed; see the errors above (-v for more)")
    from archive.store import Archive

    with Archive(db) as archive:
        stats = archive.stats()
    click.echo(f"\nThe archive {db} holds {stats['articles']} articles.")
    click.echo(f"Browse it:  newsarchive serve --db {db}   (http://127.0.0.1:{port}/)")
    click.echo(f"Export it:  newsarchive export --db {db} --format csv -o articles.csv")
    if then_serve:
        from archive.serve import serve_archive

        serve_archive(db, port=port)


@cli.command()
@click.option("--source", help="Only this source's articles (default: all).")
@click.option(
    "--dry-run", is_flag=True, help="Only count the records that would change; write nothing."
)
@click.option(
    "--capture",
    "capture_id",
    type=int,
    help="Re-extract this one capture (an id of the captures table) instead.",
)
@click.option(
    "--all-captures",
    is_flag=True,
    help="Every capture of each article, oldest first, not only the latest.",
)
@existing_db_option
@sources_option
def reextract(source, dry_run, capture_id, all_captures, db, sources_files) -> None:
    """Run the current extractor over the stored pages again and report what changed.

    Changed records become revisions (the old text is kept); every record
    gets the current extractor version.

    \b
    Examples:
      newsarchive reextract --dry-run
      newsarchive reextract --source sana-en
    """
    from scraper.reextract import reextract as run_reextract

    _require_archive(db, write=not dry_run)
    registry = _registry(sources_files)
    if source:
        try:
            source_by_id(registry, source)
        except UnknownSourceError as exc:
            raise click.BadParameter(str(exc), param_hint="--source") from None
    if capture_id is not None and (all_captures or source):
        raise click.UsageError("--capture names one capture: no --source or --all-captures")
    try:
        report = run_reextract(
            db,
            source=source,
            registry=registry,
            dry_run=dry_run,
            capture_id=capture_id,
            all_captures=all_captures,
        )
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    verb = "would change" if dry_run else "changed"
    click.echo(
        f"{report['pages']} stored pages re-extracted with {report['extractor_version']}: "
        f"{report['changed']} records {verb}, {report['unchanged']} unchanged, "
        f"{report['not_article']} no longer look like articles, {report['failed']} failed."
    )
    for sid, counts in report["by_source"].items():
        click.echo(f"  {sid or '(no source)'}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    for line in report["not_article_urls"]:
        click.echo(f"  not an article (kept): {line}")
    for line in report["errors"]:
        click.echo(f"  failed: {line}", err=True)
    if report["failed"]:
        sys.exit(1)


@cli.command()
@click.option(
    "--rebuild",
    is_flag=True,
    help="Forget every story and link the whole archive again (the features are kept).",
)
@existing_db_option
@sources_option
def stories(rebuild, db, sources_files) -> None:
    """Link the articles stored since the last linking pass into stories, and report.

    A crawl, `poll` and `writer` run this pass after every batch they commit;
    run it by hand after an interrupted run, or with --rebuild after changing
    the linking rules. The archive's sources take the registry's names and
    outlets first, so a story counts an outlet's language editions as one.

    \b
    Examples:
      newsarchive stories
      newsarchive stories --rebuild
    """
    from archive.store import Archive
    from archive.stories import summary

    registry = _registry(sources_files)
    _require_archive(db, write=True)
    with Archive(db) as archive:
        known = archive.sources()
        archive.sync_sources(registry[s].row() for s in known if s in registry)
        done = archive.relink_stories() if rebuild else archive.link_stories()
        found = summary(archive.db.conn)
    click.echo(
        f"{done.articles} articles went through the linking pass, {done.linked} linked to an "
        f"earlier one. "
        f"{found['stories']} stories hold {found['articles']} articles; the largest has "
        f"{found['largest']}, the longest spans {found['longest_days']} "
        f"day{'' if found['longest_days'] == 1 else 's'}; "
        f"{found['several_outlets']} reported by several outlets."
    )


@cli.command()
@click.argument("article")
@click.option(
    "--color/--no-color",
    default=None,
    help="Colour removed and added words (default: when writing to a terminal).",
)
@existing_db_option
def history(article, color, db) -> None:
    """Print every archived version of an ARTICLE (its URL, with or without
    https://, or its id in the archive), with what changed word by word.

    Removed words are shown [-like this-], added ones {+like this+}, in the title,
    standfirst, body (the changed paragraphs) and tags.

    \b
    Examples:
      newsarchive history 67
      newsarchive history syrianobserver.com/news/123/some-story.html
    """
    _require_archive(db)
    from archive.history import render_text, versions
    from archive.store import Archive

    with Archive(db) as archive:
        article_id = archive.find_article(article)
        if article_id is None:
            raise click.ClickException(f"no article {article} in {db} (give its URL or id)")
        found = versions(archive.db.conn, article_id)
    color = sys.stdout.isatty() if color is None else color
    click.echo(f"{found[-1].title}\n{len(found)} version{'s' if len(found) != 1 else ''}")
    for previous, version in zip([None, *found], found, strict=False):
        until = f" until {version.until}" if version.until else " (current)"
        click.echo(f"\nversion {version.number}: archived {version.since}{until}")
        if previous is None:
            click.echo(f"  title: {version.title}")
        else:
            click.echo(render_text(previous, version, color=color))


@cli.command()
@click.argument("target", nargs=-1, required=True)
@click.option("--since", type=USER_DATE, help="Only captures made on or after this date.")
@click.option("--until", type=USER_DATE, help="Only captures made on or before this date.")
@click.option(
    "--cdx",
    default=DEFAULT_CDX,
    show_default=True,
    metavar="URL",
    help="The web archive's CDX server (pywb: <wayback>/<collection>/cdx).",
)
@click.option(
    "--replay",
    default=DEFAULT_REPLAY,
    show_default=True,
    metavar="URL",
    help="Its replay: a capture is fetched raw from <replay><timestamp>id_/<URL>.",
)
@db_option
@sources_option
def recover(target, since, until, cdx, replay, db, sources_files) -> None:
    """Rebuild sources' articles from a web archive's captures, with their provenance.

    TARGET is a source id (every archived article of the source) or an article's
    URL (every capture of it, as its versions). Only the archive is asked: never
    the source's own site. A killed recovery resumes where it stopped.

    \b
    Examples:
      newsarchive recover syriadirect --since 2011-03-15 --until 2024-12-31
      newsarchive recover https://syriadirect.org/some-story/
      newsarchive recover sohr --cdx http://127.0.0.1:8080/coll/cdx --replay http://127.0.0.1:8080/coll/
    """
    from scraper.recover import recover as run_recovery
    from scraper.sources import source_for_url

    registry = _registry(sources_files)
    targets = []
    for item in target:
        if "://" in item:
            source = source_for_url(item, registry)
            if source is None:
                raise click.BadParameter(f"no source has the host of {item}", param_hint="TARGET")
            targets.append((source.id, item))
        else:
            targets.extend((source_id, None) for source_id in _pick_sources(registry, (item,)))
    _open_archive(db)
    runs = run_recovery(
        targets,
        db=db,
        cdx=cdx,
        replay=replay,
        since=since,
        until=until,
        sources_files=sources_files,
        overrides=_crawl_overrides(),
    )
    _print_runs(runs)
    if _report_problems(db, runs):
        sys.exit(1)


@cli.command(name="import")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--source", help="Source id of the dumps (default: recognised from the file name).")
@db_option
def import_(files, source, db) -> None:
    """Clean already-scraped text dumps with the source's rules and archive them.

    \b
    Examples:
      newsarchive import dumps/syrianobserver-2023.txt --source syrianobserver
    """
    _open_archive(db)
    from scraper.importer import import_dumps

    outcomes = import_dumps([Path(f) for f in files], db=db, source=source, registry=_registry(()))
    click.echo(json.dumps(outcomes, indent=2))


@cli.group(invoke_without_command=True)
@sources_option
@db_option
@click.pass_context
def sources(ctx, sources_files, db) -> None:
    """List the registry's sources (id, language, feeds, last crawl, articles).

    \b
    Examples:
      newsarchive sources
      newsarchive sources --sources my-sources.toml
    """
    if ctx.invoked_subcommand:
        return
    from archive.store import Archive

    registry = _registry(sources_files)
    counts: dict = {}
    last_crawl: dict = {}
    if Path(db).exists():
        with Archive(db) as archive:
            counts = archive.stats().get("per_source", {})
            last_crawl = archive.last_run_finished()
    click.echo(f"{'id':20} {'lang':4} {'feeds':5} {'articles':8} {'last crawl':25} name")
    for sid, src in sorted(registry.items()):
        click.echo(
            f"{sid:20} {src.language:4} {len(src.feeds):<5} {counts.get(sid, 0):<8} "
            f"{last_crawl.get(sid) or '-':25} {src.name}"
        )


@sources.command()
@click.argument("url")
@click.option("--id", "source_id", help="The new source's id (default: from the site's host).")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Registry file to add the entry to (created if missing); default: print it.",
)
def add(url, source_id, output) -> None:
    """Find a site's feeds, sitemaps, language, listings and article URL pattern from
    its homepage, and write a validated registry entry for it.

    \b
    Examples:
      newsarchive sources add https://www.example-news.com/ -o my-sources.toml
    """
    from scraper.crawl import crawl_settings, settings_for_child
    from scraper.discover import check_entry, default_id, discover, registry_entry

    overrides = {**_crawl_overrides(), "ITEM_PIPELINES": {}, "EXTENSIONS": {}}
    settings = crawl_settings(":memory:", overrides=overrides)
    found = discover(url, settings_for_child(settings))
    source_id = source_id or default_id(found.homepage)
    name = found.name or "(no name)"
    click.echo(f"{found.homepage}: {name}, language {found.language}", err=True)
    for label, values in (
        ("feeds", found.feeds),
        ("sitemaps", found.sitemaps),
        ("listings", found.listings),
    ):
        click.echo(f"  {label}: {', '.join(values) or '-'}", err=True)
    click.echo(f"  {len(found.article_links)} article links", err=True)
    click.echo(f"  article pattern: {found.article_pattern or '-'}", err=True)
    for note in found.notes:
        click.echo(f"  warning: {note}", err=True)
    entry = registry_entry(source_id, found)
    target = Path(output) if output else None
    existing = target.read_text(encoding="utf-8") if target and target.exists() else ""
    if existing and source_id in load_file(target):
        raise click.ClickException(f"{target} already has a source {source_id!r}; pass --id")
    try:
        check_entry(existing + "\n" + entry, target or "(new entry)")
    except (SourceConfigError, ValueError) as exc:
        raise click.ClickException(f"the entry for {url} is not usable: {exc}") from None
    if target is None:
        click.echo(entry, nl=False)
        return
    with target.open("a", encoding="utf-8") as fh:
        fh.write(("\n" if existing and not existing.endswith("\n\n") else "") + entry)
    click.echo(f"Added {source_id} to {target}; crawl it with:", err=True)
    click.echo(f"  newsarchive crawl {source_id} --sources {target}", err=True)


@sources.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
def check(files) -> None:
    """Validate registry FILES (default: the built-in registry).

    \b
    Examples:
      newsarchive sources check my-sources.toml
    """
    paths = list(files) or [str(Path(__file__).with_name("sources.toml"))]
    failed = False
    for path in paths:
        try:
            found = load_file(path)
        except SourceConfigError as exc:
            click.echo(f"error: {exc}", err=True)
            failed = True
            continue
        click.echo(f"{path}: {len(found)} sources OK ({', '.join(sorted(found))})")
    if failed:
        sys.exit(1)


@sources.command()
@click.argument("source_id")
@existing_db_option
def enable(source_id, db) -> None:
    """Resume a source paused after repeated failures.

    \b
    Examples:
      newsarchive sources enable sohr
    """
    _require_archive(db, write=True)
    from archive.store import Archive
    from scraper.schedule import enable_source

    with Archive(db) as archive:
        if archive.source(source_id) is None:
            raise click.ClickException(f"no source {source_id!r} in {db}")
        enable_source(archive, source_id)
    click.echo(f"{source_id} enabled; it will be polled at the next run.")


@cli.command()
@click.argument("source", nargs=-1)
@click.option(
    "--redis",
    "redis_url",
    envvar="NEWSARCHIVE_REDIS",
    required=True,
    metavar="URL",
    help="The Redis all workers and the writer share (or NEWSARCHIVE_REDIS).",
)
@click.option(
    "--max-idle",
    type=float,
    default=0,
    show_default=True,
    help="Exit after this many seconds without work (0: run until stopped).",
)
@sources_option
def worker(source, redis_url, max_idle, sources_files) -> None:
    """Crawl sources (default: all) from the shared Redis queue, with the other workers.

    Extracts pages here and sends the records to `newsarchive writer`. SIGTERM or
    Ctrl-C stops it cleanly; requests it had not finished go back to the queue.

    \b
    Examples:
      newsarchive worker --redis redis://127.0.0.1:6379/0
    """
    import redis

    from scraper.distributed.keys import connect
    from scraper.distributed.worker import run_worker

    registry = _registry(sources_files)
    try:
        connect(redis_url)
    except redis.RedisError as exc:
        raise click.ClickException(f"cannot use Redis at {redis_url}: {exc}") from None
    run_worker(
        redis_url,
        _pick_sources(registry, source),
        sources_files=sources_files,
        overrides=_crawl_overrides(),
        max_idle=max_idle,
    )


@cli.command()
@click.option(
    "--redis",
    "redis_url",
    envvar="NEWSARCHIVE_REDIS",
    required=True,
    metavar="URL",
    help="The Redis the workers push to (or NEWSARCHIVE_REDIS).",
)
@click.option("--batch", default=200, show_default=True, help="Records per transaction at most.")
@db_option
@sources_option
def writer(redis_url, batch, db, sources_files) -> None:
    """Store what the workers crawl: the only process that writes the archive.

    Commits in batches and acknowledges records only once committed, so a killed
    writer loses and duplicates nothing; SIGTERM stops it after its current batch.

    \b
    Examples:
      newsarchive writer --redis redis://127.0.0.1:6379/0
    """
    import redis

    from scraper.distributed.writer import Writer, WriterRunning

    _registry(sources_files)
    _open_archive(db)
    try:
        Writer(redis_url, db, batch_size=batch, sources_files=sources_files).run()
    except WriterRunning as exc:
        raise click.ClickException(str(exc)) from None
    except redis.RedisError as exc:
        raise click.ClickException(f"cannot use Redis at {redis_url}: {exc}") from None


if __name__ == "__main__":
    cli()
