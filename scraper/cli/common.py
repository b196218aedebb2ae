"""What the commands share: their options, the archive's opening and lock, the report
of a crawl's runs, and the early start of a crawl's extraction workers."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from pathlib import Path

import click

from scraper.sources import (
    Source,
    SourceConfigError,
    UnknownSourceError,
    check_sources,
    load_registry,
)

DEFAULT_DB = "archive.db"
# How many failures (and pages that are not articles) a crawl lists on screen.
MAX_LISTED = 5


def _remember_db(ctx, param, value):
    """The archive of this command, for the error that names it (scraper.cli._Commands)."""
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


def load_sources(sources_files: Iterable[str]) -> dict[str, Source]:
    """The registry with the user's files (--sources); a bad file is one clear error."""
    try:
        return load_registry(list(sources_files))
    except SourceConfigError as exc:
        raise click.ClickException(str(exc)) from None


def require_archive(db: str, write: bool = False) -> None:
    """Commands that read an archive stop with a clear error when there is none."""
    if not Path(db).is_file():
        raise click.ClickException(f"no archive at {db} (crawl, poll, import or demo make one)")
    open_archive(db, write=write)


def open_archive(db: str, write: bool = True) -> None:
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


def pick_sources(registry: dict, wanted: tuple[str, ...]) -> list[str]:
    try:
        check_sources(registry, wanted)
    except UnknownSourceError as exc:
        raise click.BadParameter(str(exc), param_hint="SOURCE") from None
    return list(wanted) or sorted(registry)


@contextlib.contextmanager
def archive_lock(db: str, command: str) -> Iterator[None]:
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


def print_runs(runs: list[dict]) -> None:
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


def report_problems(db: str, runs: list[dict]) -> bool:
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


def start_extraction_early() -> None:
    """A crawl will extract pages: its workers' fork server starts importing the
    extractor now, beside the crawl's own start (scraper.extraction)."""
    from scraper import settings
    from scraper.extraction import start_fork_server

    workers = crawl_overrides().get("NEWSARCHIVE_EXTRACT_WORKERS")
    start_fork_server(int(workers if workers is not None else settings.NEWSARCHIVE_EXTRACT_WORKERS))


def crawl_overrides() -> dict:
    """Scrapy settings given on the command line (-v, -s NAME=VALUE)."""
    return dict(click.get_current_context().obj["overrides"])
