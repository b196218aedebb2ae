"""The archive: one SQLite file, one ``Archive`` object, the only writer of its tables.

``Archive`` is assembled from one class per role, each in its own module:

- archive.db        the connection and the batched transactions (the only commits)
- archive.schema    the tables (their DDL, and what each version changed)
- archive.upgrade   opening a file: the tables made, or an older file upgraded
- archive.articles  upsert with dedup outcomes, revisions, aliases
- archive.reads     reading articles back: by URL, ids, rows, counts
- archive.captures  every fetched page, content-addressed
- archive.search    the full-text index
- archive.runs      crawl_runs and failures
- archive.state     sources, feeds, backfill progress and queue
- archive.recovery  where a recovery from web archives stands, earlier versions

``with Archive("archive.db") as archive: archive.upsert(record)``; leaving the
block flushes the open batch and closes the file. The record's shape is
archive.record.Record; :func:`archive.ingest.ingest_page` is the way a fetched
page becomes one.
"""

from __future__ import annotations

from archive.articles import ArticleStore, UpsertResult
from archive.captures import Capture
from archive.clock import utcnow
from archive.db import ArchiveError
from archive.dedup import NEAR_DUPLICATE_MIN_WORDS, Outcome
from archive.record import RECORD_FIELDS
from archive.recovery import RecoveryState
from archive.runs import RunLog
from archive.schema import SCHEMA_VERSION
from archive.state import CrawlState

__all__ = [
    "Archive",
    "ArchiveError",
    "Capture",
    "NEAR_DUPLICATE_MIN_WORDS",
    "Outcome",
    "RECORD_FIELDS",
    "SCHEMA_VERSION",
    "UpsertResult",
    "utcnow",
]


class Archive(ArticleStore, RunLog, CrawlState, RecoveryState):
    """The article archive in one SQLite file (see the module docstring)."""

    def __enter__(self) -> Archive:
        return self
