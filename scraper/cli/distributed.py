"""The commands of a distributed crawl's processes: worker and writer (a crawl is
queued for them by `crawl --distributed`)."""

from __future__ import annotations

import click

from scraper.cli.common import (
    crawl_overrides,
    db_option,
    load_sources,
    open_archive,
    pick_sources,
    sources_option,
)


@click.command()
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

    registry = load_sources(sources_files)
    try:
        connect(redis_url)
    except redis.RedisError as exc:
        raise click.ClickException(f"cannot use Redis at {redis_url}: {exc}") from None
    run_worker(
        redis_url,
        pick_sources(registry, source),
        sources_files=sources_files,
        overrides=crawl_overrides(),
        max_idle=max_idle,
    )


@click.command()
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

    load_sources(sources_files)
    open_archive(db)
    try:
        Writer(redis_url, db, batch_size=batch, sources_files=sources_files).run()
    except WriterRunning as exc:
        raise click.ClickException(str(exc)) from None
    except redis.RedisError as exc:
        raise click.ClickException(f"cannot use Redis at {redis_url}: {exc}") from None
