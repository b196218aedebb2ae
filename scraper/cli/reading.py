"""Commands that read the archive: status, export, serve and history."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

# The export formats (the search page's downloads read the same).
from archive.formats import FORMATS as EXPORT_FORMATS
from scraper.cli.common import (
    USER_DATE,
    existing_db_option,
    redis_option,
    require_archive,
)


@click.command()
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
    require_archive(db)
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


@click.command()
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
    require_archive(db)
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
    require_archive(db)
    try:
        count = warc_to_file(
            db, output, source=list(source) or None, lang=lang, since=since, until=until
        )
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{count} capture{'' if count == 1 else 's'} written to {output}", err=True)


@click.command()
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

    require_archive(db)
    serve_archive(db, host=host, port=port)


@click.command()
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
    require_archive(db)
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
