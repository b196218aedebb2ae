"""Serve the archive with datasette, configured by archive/datasette/.

datasette is the browsing UI: it reads the SQLite file directly, and our
metadata (titles, facets, canned queries, the dashboard), plugins (one file per
page or hook family, loaded with ``--plugins-dir`` so they run on archives only,
never on other databases a user's datasette serves: the search page and article
lists with their CSV, XLSX and Atom exports, the article, front and capture pages,
facets, cells, SQL functions, the read-only front door) and templates live in
archive/datasette/ beside this module.

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
its file. The dashboard's charts colour sources by :func:`source_colour`, a SQL
function the plugins register (sql_functions.py): one mapping for every chart.
"""

from __future__ import annotations

import copy
import hashlib
import json
import sqlite3
import tempfile
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from archive.files import write_whole

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


# The dashboard's colours: Tableau's ten, then eight more far from them (no light
# twins: two sources must never look alike).
PALETTE = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
    "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
    "#17becf", "#393b79", "#bcbd22", "#843c39", "#7b4173",
    "#637939", "#8c6d31", "#3b3b3b",
)  # fmt: skip
SOURCES_SEPARATOR = "\x1f"  # between the source ids handed to source_colour by SQL


def source_colours(sources: Iterable[str]) -> dict[str, str]:
    """The one mapping of sources to colours, for every chart: the sources in order of
    their ids take the palette's colours in turn (again from the first past eighteen)."""
    return {s: PALETTE[i % len(PALETTE)] for i, s in enumerate(sorted(set(sources)))}


@lru_cache(maxsize=64)
def _colours(sources: str) -> dict[str, str]:
    return source_colours(s for s in sources.split(SOURCES_SEPARATOR) if s)


def source_colour(source: str | None, sources: str | None) -> str | None:
    """SQL function ``source_colour(source, sources)``: the colour of ``source`` among
    ``sources`` (the archive's source ids joined by :data:`SOURCES_SEPARATOR`), by
    :func:`source_colours`. The dashboard's queries add it to each row, and the charts
    take their colours from it, so a source has one colour on every chart, a source
    crawled while the archive is served included, and a legend lists only the sources
    its chart shows."""
    if source is None:
        return None
    return _colours(sources or "").get(source, PALETTE[0])


def register_functions(conn: sqlite3.Connection) -> None:
    """The SQL functions the dashboard's queries use, on a datasette connection."""
    conn.create_function("source_colour", 2, source_colour, deterministic=True)


def metadata_for(db: str | Path) -> dict[str, Any]:
    """The project metadata with its database section named after ``db``."""
    metadata = json.loads(METADATA.read_text(encoding="utf-8"))
    name = database_name(db)
    if name == TEMPLATE_NAME:
        return metadata
    metadata = copy.deepcopy(metadata)
    databases = metadata.get("databases", {})
    if TEMPLATE_NAME in databases:
        databases[name] = databases.pop(TEMPLATE_NAME)
    for dashboard in metadata.get("plugins", {}).get("datasette-dashboards", {}).values():
        for part in (*dashboard.get("charts", {}).values(), *dashboard.get("filters", {}).values()):
            if part.get("db") == TEMPLATE_NAME:
                part["db"] = name
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


def metadata_file(db: str | Path) -> Path:
    """The metadata for ``db`` written to a file datasette can read.

    The name is the content's hash in the temp directory, so serving the same
    archive again reuses the file and nothing piles up however the server is
    stopped (SIGTERM skips cleanup code).
    """
    # Keys in their order: the dashboard shows its filters in the order written (From, To).
    text = json.dumps(metadata_for(db), ensure_ascii=False, indent=1)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    path = Path(tempfile.gettempdir()) / f"newsarchive-datasette-{digest}.json"
    if not path.exists():
        write_whole(path, lambda out: out.write(text.encode("utf-8")))
    return path


def serve_archive(db: str | Path, *, host: str = "127.0.0.1", port: int = 8001) -> None:
    """Run datasette on the archive until interrupted."""
    from datasette.cli import cli as datasette_cli

    datasette_cli.main(
        datasette_args(db, metadata_file(db), host=host, port=port),
        prog_name="datasette",
        standalone_mode=False,
    )
