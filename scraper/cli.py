"""The `newsarchive` command line (click): one command per job, mirroring the library.

crawl / poll fetch sources into the archive, import cleans text dumps,
reextract re-runs extraction over stored pages, export writes CSV or JSON
Lines, serve opens the archive in datasette, demo runs the whole path on the
bundled offline copies, sources lists and checks the registry.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from scraper.sources import SourceConfigError, load_file, load_registry

DEFAULT_DB = "archive.db"
REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SITES = REPO_ROOT / "tests" / "sites"

db_option = click.option(
    "--db",
    default=DEFAULT_DB,
    show_default=True,
    type=click.Path(dir_okay=False),
    help="The archive (SQLite file); created if missing.",
)
sources_option = click.option(
    "--sources",
    "sources_files",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False),
    help="A registry file of your own, adding or overriding sources (repeatable).",
)


def _registry(sources_files) -> dict:
    try:
        return load_registry(list(sources_files))
    except SourceConfigError as exc:
        raise click.ClickException(str(exc)) from None


def _pick_sources(registry: dict, wanted: tuple[str, ...]) -> list[str]:
    unknown = [s for s in wanted if s not in registry]
    if unknown:
        raise click.BadParameter(
            f"unknown source(s): {', '.join(unknown)}; known: {', '.join(sorted(registry))}",
            param_hint="SOURCE",
        )
    return list(wanted) or sorted(registry)


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
    rows = [[str(run.get(c) if run.get(c) is not None else "") for c in columns] for run in runs]
    widths = [max(len(c), *(len(r[i]) for r in rows)) for i, c in enumerate(columns)]
    click.echo("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)))
    for row in rows:
        click.echo("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)))


@click.group()
@click.version_option(package_name="newsarchive")
@click.option("-v", "--verbose", is_flag=True, help="Show Scrapy's log (INFO) during crawls.")
@click.pass_context
def cli(ctx, verbose) -> None:
    """Archive regional news: crawl sources, clean articles, search and export them."""
    ctx.obj = {"log_level": "INFO" if verbose else "WARNING"}


def _log_settings() -> dict:
    return {"LOG_LEVEL": click.get_current_context().obj["log_level"]}


@cli.command()
@click.argument("source", nargs=-1)
@click.option("--since", metavar="DATE", help="Backfill down to this date (e.g. 2024-06-01).")
@click.option(
    "--new-only",
    is_flag=True,
    help="Skip archived articles; stop a listing at a page of archived ones.",
)
@db_option
@sources_option
def crawl(source, since, new_only, db, sources_files) -> None:
    """Crawl SOURCE... (default: all) through feeds, sitemaps and listings."""
    from scraper.crawl import run_crawl

    registry = _registry(sources_files)
    runs = run_crawl(
        _pick_sources(registry, source),
        db=db,
        since=since,
        new_only=new_only,
        sources_files=sources_files,
        overrides=_log_settings(),
    )
    _print_runs(runs)
    if any(run.get("status") == "failed" for run in runs):
        sys.exit(1)


@cli.command()
@click.argument("source", nargs=-1)
@db_option
@sources_option
def poll(source, db, sources_files) -> None:
    """Poll the feeds of SOURCE... (default: all) and fetch only new articles."""
    from scraper.crawl import run_crawl

    registry = _registry(sources_files)
    runs = run_crawl(
        _pick_sources(registry, source),
        db=db,
        spider="feed",
        sources_files=sources_files,
        overrides=_log_settings(),
    )
    _print_runs(runs)


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "jsonl"]),
    default="csv",
    show_default=True,
    help="CSV (RFC 4180, UTF-8) or JSON Lines.",
)
@click.option("--source", multiple=True, help="Only these sources (repeatable).")
@click.option("--lang", help="Only articles in this language (e.g. ar, en).")
@click.option("--since", metavar="DATE", help="Published on or after this date.")
@click.option("--until", metavar="DATE", help="Published on or before this date.")
@click.option("--search", help="Full-text search (Arabic diacritics folded).")
@click.option("--tag", help="Only articles with this tag.")
@click.option("--columns", help="Comma-separated columns to export.")
@click.option(
    "--excel",
    is_flag=True,
    help="Add a UTF-8 BOM and neutralise formula-like cells for spreadsheets.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    default="-",
    help="Output file (default: standard output).",
)
@db_option
def export(fmt, source, lang, since, until, search, tag, columns, excel, output, db) -> None:
    """Export articles as CSV or JSON Lines, streamed."""
    from archive.export import export as export_rows

    if not Path(db).exists():
        raise click.ClickException(f"no archive at {db}")
    out = (
        click.open_file(output, "w", encoding="utf-8", newline="")
        if output != "-"
        else click.get_text_stream("stdout")
    )
    try:
        count = export_rows(
            db,
            out,
            format=fmt,
            source=list(source) or None,
            lang=lang,
            since=since,
            until=until,
            search=search,
            tag=tag,
            columns=columns.split(",") if columns else None,
            excel=excel,
        )
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        if output != "-":
            out.close()
    click.echo(f"{count} articles exported", err=True)


@cli.command()
@db_option
@click.option("--port", default=8001, show_default=True, help="Port to serve on.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind.")
def serve(db, port, host) -> None:
    """Browse and search the archive in datasette (read-only)."""
    from archive.serve import serve_archive

    if not Path(db).exists():
        raise click.ClickException(f"no archive at {db}")
    serve_archive(db, host=host, port=port)


@cli.command()
@db_option
@click.option(
    "--sites",
    type=click.Path(exists=True, file_okay=False),
    default=str(DEFAULT_SITES),
    show_default=True,
    help="Folder of offline site copies.",
)
@click.option(
    "--serve/--no-serve",
    "then_serve",
    default=True,
    help="Open the archive in datasette after the crawl.",
)
@click.option("--port", default=8001, show_default=True, help="Port for datasette.")
def demo(db, sites, then_serve, port) -> None:
    """Crawl the bundled offline copies of the sources (no internet needed), then browse."""
    from scraper.crawl import run_crawl
    from scraper.mirror import MirrorServer, SiteCopy

    registry = _registry(())
    copies = [
        SiteCopy.load(d)
        for d in sorted(Path(sites).iterdir())
        if (d / "site.toml").exists() and d.name in registry
    ]
    if not copies:
        raise click.ClickException(f"no site copies for registry sources under {sites}")
    with MirrorServer(copies) as server:
        click.echo(f"Serving {len(copies)} offline site copies on {server.base_url}")
        # The copies are served by this machine: no need to be gentle with 127.0.0.1.
        local = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False}
        runs = run_crawl(
            [c.id for c in copies],
            db=db,
            mirrors=server.mirrors,
            kind="demo",
            overrides={**local, **_log_settings()},
        )
    _print_runs(runs)
    from archive.store import Archive

    with Archive(db) as archive:
        stats = archive.stats()
    click.echo(f"\nThe archive {db} holds {stats['articles']} articles.")
    click.echo(f"Browse it:  newsarchive serve --db {db}   (http://127.0.0.1:{port}/)")
    click.echo(f"Export it:  newsarchive export --db {db} --format csv -o articles.csv")
    if then_serve:
        from archive.serve import serve_archive

        serve_archive(db, port=port)


@cli.command(name="import")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--source", help="Source id of the dumps (default: recognised from the file name).")
@db_option
def import_(files, source, db) -> None:
    """Clean already-scraped text dumps with the source's rules and archive them."""
    from scraper.importer import import_dumps

    outcomes = import_dumps([Path(f) for f in files], db=db, source=source, registry=_registry(()))
    click.echo(json.dumps(outcomes, indent=2))


@cli.group(invoke_without_command=True)
@sources_option
@db_option
@click.pass_context
def sources(ctx, sources_files, db) -> None:
    """List the registry's sources (id, language, feeds, last crawl, articles)."""
    if ctx.invoked_subcommand:
        return
    from archive.store import Archive

    registry = _registry(sources_files)
    counts: dict = {}
    if Path(db).exists():
        with Archive(db) as archive:
            counts = archive.stats().get("per_source", {})
    for sid, src in sorted(registry.items()):
        click.echo(
            f"{sid:20} {src.language:3} feeds={len(src.feeds)} "
            f"articles={counts.get(sid, 0):<6} {src.name}"
        )


@sources.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
def check(files) -> None:
    """Validate registry FILES (default: the built-in registry)."""
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
