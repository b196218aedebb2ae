"""Commands that bring articles into the archive: crawl, poll, schedule, demo, recover
and import."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from scraper.cdx import DEFAULT_CDX, DEFAULT_REPLAY
from scraper.cli.common import (
    USER_DATE,
    archive_lock,
    crawl_overrides,
    db_option,
    load_sources,
    open_archive,
    pick_sources,
    print_runs,
    redis_option,
    report_problems,
    sources_option,
    start_extraction_early,
)


@click.command()
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
    registry = load_sources(sources_files)
    if distributed:
        _seed(registry, source, since, new_only, wait, redis_url, sources_files)
        return
    wanted = pick_sources(registry, source)  # before the archive: a typo makes no file
    if not queue:
        start_extraction_early()  # before the archive's and Scrapy's imports, beside them
    open_archive(db)
    if queue:
        from archive.store import Archive

        with Archive(db) as archive:
            for source_id in wanted:
                archive.queue_backfill(source_id, since)
        click.echo("Queued; `newsarchive schedule` will run it.")
        return
    with archive_lock(db, "crawl"):
        from scraper.crawl import run_crawl

        runs = run_crawl(
            wanted,
            db=db,
            since=since,
            new_only=new_only,
            sources_files=sources_files,
            overrides=crawl_overrides(),
            in_process=True,
        )
    print_runs(runs)
    if report_problems(db, runs):
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
            pick_sources(registry, source),
            since=since,
            sources_files=sources_files,
            overrides=crawl_overrides(),
        )
    except SourceBusy as exc:
        raise click.ClickException(str(exc)) from None
    except redis.RedisError as exc:
        raise click.ClickException(f"cannot use Redis at {redis_url}: {exc}") from None
    queued = ", ".join(f"{s} {n}" for s, n in job["queued"].items())
    click.echo(f"Job {job['id']} queued ({queued} first requests); workers will crawl it.")
    if wait:
        runs = wait_for_job(redis_url, job["id"])
        print_runs(runs)
        if any(run.get("status") in ("failed", "empty") for run in runs):
            sys.exit(1)


@click.command()
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

    registry = load_sources(sources_files)
    wanted = pick_sources(registry, source)  # before the archive: a typo makes no file
    open_archive(db)
    for source_id in [s for s in wanted if not registry[s].feeds]:
        click.echo(f"{source_id} has no feeds to poll; crawl it instead.", err=True)
        wanted.remove(source_id)
    if due:
        with Archive(db) as archive:
            wanted = [s for s in due_sources(archive, registry) if s in wanted]
        if not wanted:
            click.echo("No source is due.")
            return
    with archive_lock(db, "poll"):
        runs = run_crawl(
            wanted,
            db=db,
            spider="feed",
            sources_files=sources_files,
            overrides=crawl_overrides(),
            in_process=True,
        )
    with Archive(db) as archive:
        for run in runs:
            if run.get("source") in registry:
                record_poll(archive, registry[run["source"]], run)
    print_runs(runs)
    if report_problems(db, runs):
        sys.exit(1)


@click.command()
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

    registry = load_sources(sources_files)
    open_archive(db)
    registry = {sid: registry[sid] for sid in pick_sources(registry, source)}
    scheduler = Scheduler(
        db,
        registry,
        sources_files=sources_files,
        overrides=crawl_overrides(),
        tick=tick,
        on_runs=print_runs,
    )
    with archive_lock(db, "schedule"):
        scheduler.install_signal_handlers()
        click.echo(f"newsarchive schedule: {len(registry)} sources, archive {db}", err=True)
        scheduler.run(once=once)
    click.echo("newsarchive schedule: stopped", err=True)
    if once and report_problems(db, scheduler.failed_runs):
        sys.exit(1)


@click.command()
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
    open_archive(db)
    from scraper.crawl import run_crawl
    from scraper.offline import SITES, site_dirs
    from scraper.offline.copies import SiteCopy
    from scraper.offline.server import MirrorServer

    registry = load_sources(())
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
        with archive_lock(db, "demo"):
            runs = run_crawl(
                [c.id for c in copies],
                db=db,
                mirrors=server.mirrors,
                kind="demo",
                overrides={**local, **crawl_overrides()},
            )
    print_runs(runs)
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


@click.command()
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

    registry = load_sources(sources_files)
    targets = []
    for item in target:
        if "://" in item:
            source = source_for_url(item, registry)
            if source is None:
                raise click.BadParameter(f"no source has the host of {item}", param_hint="TARGET")
            targets.append((source.id, item))
        else:
            targets.extend((source_id, None) for source_id in pick_sources(registry, (item,)))
    open_archive(db)
    runs = run_recovery(
        targets,
        db=db,
        cdx=cdx,
        replay=replay,
        since=since,
        until=until,
        sources_files=sources_files,
        overrides=crawl_overrides(),
    )
    print_runs(runs)
    if report_problems(db, runs):
        sys.exit(1)


@click.command(name="import")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--source", help="Source id of the dumps (default: recognised from the file name).")
@db_option
def import_(files, source, db) -> None:
    """Clean already-scraped text dumps with the source's rules and archive them.

    \b
    Examples:
      newsarchive import dumps/syrianobserver-2023.txt --source syrianobserver
    """
    open_archive(db)
    from scraper.importer import import_dumps

    outcomes = import_dumps(
        [Path(f) for f in files], db=db, source=source, registry=load_sources(())
    )
    click.echo(json.dumps(outcomes, indent=2))
