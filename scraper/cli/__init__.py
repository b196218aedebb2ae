"""The `newsarchive` command line (click): one command per job, a thin layer over the library.

The commands live by what they do to the archive: scraper.cli.crawling brings
articles in (crawl, poll, schedule, demo, recover, import), scraper.cli.reading
reads it (status, export, serve, history), scraper.cli.upkeep keeps it and the
registry up to date (reextract, stories, sources), scraper.cli.distributed runs
a distributed crawl's processes (worker, writer); scraper.cli.common holds what
they share. docs/commands.md is generated from their --help (cog).
"""

from __future__ import annotations

import atexit
import gc

import click

from scraper.cli import crawling, distributed, reading, upkeep

__all__ = ["cli"]

# A command's process ends without the interpreter's last garbage collection over all
# that a crawl imported (Scrapy, Twisted, lxml): 0.14 s of a one-article crawl's 1.6 s
# (benchmarks/bench_startup.py). What must be closed is closed by then (the archive,
# the logs, the workers); what is left in reference cycles goes with the process.
atexit.register(gc.freeze)


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
    starts its extraction workers' server before those imports (scraper.cli.common)."""
    import sqlite3

    from archive.db import ArchiveError

    if isinstance(exc, ArchiveError):
        return str(exc)
    if isinstance(exc, sqlite3.DatabaseError):
        # Damage that opening the file did not reach (a page of articles, say).
        return f"the archive{f' {db}' if db else ''} cannot be read: {exc}"
    return None


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


for command in (
    crawling.crawl,
    crawling.poll,
    crawling.schedule,
    crawling.demo,
    crawling.recover,
    crawling.import_,
    reading.status,
    reading.export,
    reading.serve,
    reading.history,
    upkeep.reextract,
    upkeep.stories,
    upkeep.sources,
    distributed.worker,
    distributed.writer,
):
    cli.add_command(command)
