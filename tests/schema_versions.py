"""An archive edited back into an older schema, for the tests of its upgrade.

Each upgrade test stores a few articles with today's schema, undoes what a version
changed, and opens the archive again: the open must upgrade it. The undoing is the
test's own; marking the file as that version and closing it is the same every time.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def archive_as_schema(db: Path, version: int) -> Iterator[sqlite3.Connection]:
    """A connection to edit ``db`` into schema ``version``; on leaving, the archive says it
    is that version (``meta.schema_version``) and the edit is committed."""
    conn = sqlite3.connect(db)
    try:
        yield conn
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(version)])
        conn.commit()
    finally:
        conn.close()


def schema_version(db: Path) -> int:
    """The schema version the archive's file says it has."""
    conn = sqlite3.connect(db)
    try:
        (value,) = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    finally:
        conn.close()
    return int(value)
