"""Serve the archive with datasette, configured by archive/datasette/.

datasette is the browsing UI: it reads the SQLite file directly, and our
metadata (titles, facets, canned queries, the dashboard), plugin (the
search page and article lists with their CSV, XLSX and Atom exports, month
facet, article and front pages, the read-only front door) and templates
live in archive/datasette/ beside this module.

Read-only: datasette opens a mutable database with ``mode=ro`` read
connections and only opens a write connection when a plugin or a writable
canned query asks for one. We configure neither (no canned query has
``"write": true``, and the plugins installed with newsarchive -- datasette-
dashboards, datasette-atom and what they pull in -- only read). The file is
not served ``--immutable`` because a crawl may be writing to it: datasette
then sees new articles as they are committed.

metadata.json keys its database section and the dashboard's ``db`` fields by
the name ``archive`` (the default archive.db); :func:`metadata_for` renames
them for the file actually served, since datasette names a database after
its file, and gives every chart coloured by source the one mapping of
:func:`source_colours` over the archive's sources and the registry's (as they
are when serving starts: a source of neither, first crawled while the archive
is served, is drawn black until the next start).
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import sqlite3
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

DATASETTE_DIR = Path(__file__).with_name("datasette")
METADATA = DATASETTE_DIR / "metadata.json"
TEMPLATE_NAME = "archive"

SETTINGS = {
    "sql_time_limit_ms": 5000,
    "facet_time_limit_ms": 1000,
    # The dashboard's per-day chart and CSV of canned queries need more than
    # the default 1,000 rows on a year of several sources.
    "max_returned_rows": 5000,
    # Long bodies in table views: the article page shows them in full.
    "truncate_cells_html": 300,
    "default_page_size": 50,
    # Suggestions would offer hashes and fingerprints; metadata names the facets.
    "suggest_facets": False,
}


def database_name(db: str | Path) -> str:
    """The name datasette gives a database file (its stem)."""
    return Path(db).stem


# The dashboard's colours: Tableau's ten, then their lighter ten.
PALETTE = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
    "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
    "#a0cbe8", "#ffbe7d", "#ff9d9a", "#86bcb6", "#8cd17d",
    "#f1ce63", "#d4a6c8", "#fabfd2", "#d7b5a6", "#79706e",
)  # fmt: skip


def source_colours(sources: Iterable[str]) -> dict[str, str]:
    """The one mapping of sources to colours, for every chart: the sources in order of
    their ids take the palette's colours in turn (again from the first past twenty)."""
    return {s: PALETTE[i % len(PALETTE)] for i, s in enumerate(sorted(set(sources)))}


def archive_sources(db: str | Path) -> list[str]:
    """The ids of an archive's sources (its sources table and its articles' counts),
    read without writing; none when the file is not an archive (yet)."""
    path = Path(db)
    if not path.is_file():
        return []
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            rows = conn.execute(
                "SELECT id FROM sources UNION SELECT source FROM article_counts"
            ).fetchall()
        finally:
            conn.close()
    except sqlite3.Error:
        return []
    return sorted(r[0] for r in rows if r[0])


def _colour_sources(node: Any, scale: dict[str, list[str]]) -> None:
    """Give every colour encoding by source in a chart's spec the one scale."""
    if isinstance(node, dict):
        colour = node.get("color")
        if isinstance(colour, dict) and colour.get("field") == "source":
            colour["scale"] = scale
        for value in node.values():
            _colour_sources(value, scale)
    elif isinstance(node, list):
        for value in node:
            _colour_sources(value, scale)


def metadata_for(db: str | Path, sources: Iterable[str] = ()) -> dict[str, Any]:
    """The project metadata with its database section named after ``db``, and the
    dashboard's charts coloured by source from :func:`source_colours` over the
    archive's sources and ``sources`` (the registry's, which a crawl may add while
    the archive is served): a source has the same colour on every chart, whichever
    sources a chart shows."""
    metadata = copy.deepcopy(json.loads(METADATA.read_text(encoding="utf-8")))
    name = database_name(db)
    databases = metadata.get("databases", {})
    if name != TEMPLATE_NAME and TEMPLATE_NAME in databases:
        databases[name] = databases.pop(TEMPLATE_NAME)
    colours = source_colours([*archive_sources(db), *sources])
    scale = {"domain": list(colours), "range": list(colours.values())}
    for dashboard in metadata.get("plugins", {}).get("datasette-dashboards", {}).values():
        for part in (*dashboard.get("charts", {}).values(), *dashboard.get("filters", {}).values()):
            if part.get("db") == TEMPLATE_NAME:
                part["db"] = name
            if colours and "display" in part:
                _colour_sources(part["display"], scale)
    return metadata


def datasette_args(
    db: str | Path, metadata_path: str | Path, *, host: str = "127.0.0.1", port: int = 8001
) -> list[str]:
    """The `datasette serve` arguments for an archive."""
    args = [
        "serve",
        str(db),
        "--host",
        host,
        "--port",
        str(port),
        "--metadata",
        str(metadata_path),
        "--plugins-dir",
        str(DATASETTE_DIR / "plugins"),
        "--template-dir",
        str(DATASETTE_DIR / "templates"),
    ]
    for key, value in SETTINGS.items():
        text = ("on" if value else "off") if isinstance(value, bool) else str(value)
        args += ["--setting", key, text]
    return args


def make_datasette(db: str | Path):
    """A datasette instance configured like `newsarchive serve` (for tests and scripts)."""
    from datasette.app import Datasette

    return Datasette(
        [str(db)],
        metadata=metadata_for(db),
        plugins_dir=str(DATASETTE_DIR / "plugins"),
        template_dir=str(DATASETTE_DIR / "templates"),
        settings=dict(SETTINGS),
    )


def metadata_file(db: str | Path, sources: Iterable[str] = ()) -> Path:
    """The metadata for ``db`` written to a file datasette can read.

    The name is the content's hash in the temp directory, so serving the same
    archive again reuses the file and nothing piles up however the server is
    stopped (SIGTERM skips cleanup code).
    """
    # Keys in their order: the dashboard shows its filters in the order written (From, To).
    text = json.dumps(metadata_for(db, sources), ensure_ascii=False, indent=1)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    path = Path(tempfile.gettempdir()) / f"newsarchive-datasette-{digest}.json"
    if not path.exists():
        partial = path.with_name(f"{path.name}.{os.getpid()}.part")
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, path)
    return path


def serve_archive(
    db: str | Path, *, host: str = "127.0.0.1", port: int = 8001, sources: Iterable[str] = ()
) -> None:
    """Run datasette on the archive until interrupted; ``sources``: source ids the
    dashboard's colours are made for beside the archive's own (the registry's)."""
    from datasette.cli import cli as datasette_cli

    datasette_cli.main(
        datasette_args(db, metadata_file(db, sources), host=host, port=port),
        prog_name="datasette",
        standalone_mode=False,
    )
