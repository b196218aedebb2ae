"""Serve the archive with datasette, configured by archive/datasette/.

datasette is the browsing UI: it reads the SQLite file directly (read-only
connections, so a crawl can write while people browse), and our metadata,
canned queries, plugin (Arabic-folding search) and templates live in
archive/datasette/ beside this module.
"""

from __future__ import annotations

from pathlib import Path

DATASETTE_DIR = Path(__file__).with_name("datasette")


def datasette_args(db: str | Path, *, host: str = "127.0.0.1", port: int = 8001) -> list[str]:
    """The `datasette serve` arguments for an archive."""
    return [
        "serve", str(db),
        "--host", host,
        "--port", str(port),
        "--metadata", str(DATASETTE_DIR / "metadata.json"),
        "--plugins-dir", str(DATASETTE_DIR / "plugins"),
        "--template-dir", str(DATASETTE_DIR / "templates"),
        "--setting", "sql_time_limit_ms", "5000",
        "--setting", "facet_time_limit_ms", "1000",
    ]


def serve_archive(db: str | Path, *, host: str = "127.0.0.1", port: int = 8001) -> None:
    """Run datasette on the archive until interrupted."""
    from datasette.cli import cli as datasette_cli

    datasette_cli.main(datasette_args(db, host=host, port=port), prog_name="datasette")
