"""Offline copies of the sources' websites, for the test suite and `newsarchive demo`.

The machines that run the tests and the demo have no internet, so every built-in
source has a copy of (part of) its site in ``sites/<source-id>/``, served on
127.0.0.1 by :mod:`scraper.offline.server`. See README.md beside this file.
The copies ship with the package, so the demo works from any installation.
"""

from __future__ import annotations

from pathlib import Path

SITES = Path(__file__).with_name("sites")


def site_dirs(root: Path = SITES) -> list[Path]:
    """Every site copy folder (one with a site.toml) under ``root``, sorted by name."""
    return sorted(d for d in root.iterdir() if (d / "site.toml").is_file())
