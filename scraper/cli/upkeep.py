"""Commands that keep the archive and its registry up to date: reextract, stories and
sources."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from scraper.cli.common import (
    crawl_overrides,
    db_option,
    existing_db_option,
    load_sources,
    require_archive,
    sources_option,
)
from scraper.sources import (
    SourceConfigError,
    UnknownSourceError,
    load_file,
    source_by_id,
)


@click.command()
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

    require_archive(db, write=not dry_run)
    registry = load_sources(sources_files)
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


@click.command()
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

    registry = load_sources(sources_files)
    require_archive(db, write=True)
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


@click.group(invoke_without_command=True)
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

    registry = load_sources(sources_files)
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

    overrides = {**crawl_overrides(), "ITEM_PIPELINES": {}, "EXTENSIONS": {}}
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
    require_archive(db, write=True)
    from archive.store import Archive
    from scraper.schedule import enable_source

    with Archive(db) as archive:
        if archive.source(source_id) is None:
            raise click.ClickException(f"no source {source_id!r} in {db}")
        enable_source(archive, source_id)
    click.echo(f"{source_id} enabled; it will be polled at the next run.")
