"""The archive written from a stream of records: one transaction per batch, with the position.

A process that takes records from a stream (the distributed writer,
scraper.distributed.writer) must know after a crash which of them are in the
archive: it commits each batch together with the id of the batch's last
entry, in one SQLite transaction, so the archive itself says how far it has
read. ``StreamArchive`` is the Archive with that:

- ``transaction()`` holds every write of a block in one transaction, however
  many upserts it has and however long it takes, and commits at its end (a
  failure rolls the whole block back);
- ``position`` / ``save_position``: the stream position, in the ``meta`` table;
- ``run_for_key`` / ``save_run_key``: which crawl run a job of the stream's
  writes into, so a restarted writer goes on counting in the same run;
- ``resume_run``: take over a run's counters from its row (the process that
  counted them before has gone).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from archive.runs import COUNTERS
from archive.store import Archive

__all__ = ["StreamArchive"]


class StreamArchive(Archive):
    def __init__(self, path: str | Path, **kwargs: Any) -> None:
        # Only transaction() commits: no batch size or age may commit half a batch.
        super().__init__(path, batch_size=sys.maxsize, max_batch_seconds=None, **kwargs)
        self._held = False

    def flush(self) -> None:
        if not self._held:
            super().flush()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Everything written in the block is committed at its end, or not at all."""
        self._held = True
        try:
            yield
        except BaseException:
            self._held = False
            self._rollback()
            raise
        self._held = False
        self.flush()

    def position(self, stream: str) -> str | None:
        """The id of the last entry of ``stream`` whose records are committed."""
        row = self._one("SELECT value FROM meta WHERE key = ?", [f"stream:{stream}"])
        return row["value"] if row else None

    def save_position(self, stream: str, entry_id: str) -> None:
        self._upsert_row("meta", "key", f"stream:{stream}", {"value": entry_id})

    def run_for_key(self, key: str) -> int | None:
        """The crawl run recorded for ``key`` (a job and a source) by ``save_run_key``."""
        row = self._one("SELECT value FROM meta WHERE key = ?", [f"run:{key}"])
        return int(row["value"]) if row else None

    def save_run_key(self, key: str, run_id: int) -> None:
        self._upsert_row("meta", "key", f"run:{key}", {"value": str(run_id)})

    def resume_run(self, run_id: int) -> None:
        """Count on in a run another process started: its counters continue from its row,
        and it is this process's (``status`` may have marked it interrupted meanwhile)."""
        row = self.run(run_id)
        if row is None:
            raise ValueError(f"no crawl run {run_id}")
        counters = {key: row[key] for key in COUNTERS if row.get(key)}
        counters.update(json.loads(row.get("extra_counts") or "{}"))
        self._counters[run_id] = counters
        if row["status"] in ("running", "interrupted"):
            self._write(
                "UPDATE crawl_runs SET pid = ?, status = 'running', error = NULL WHERE id = ?",
                [os.getpid(), run_id],
            )
