"""The archive's write-ahead log copied back into its file on a thread of its own.

In WAL mode SQLite copies the log into the database file (a checkpoint) on the
thread of the commit that passes ``wal_autocheckpoint`` pages: the writer stops
for tens of MB of copying and two fsyncs, about a tenth of the distributed
writer's time. A :class:`Checkpointer` runs a PASSIVE checkpoint on its own
connection after each commit, while the writer goes on with the next batch (the
sqlite3 module releases the GIL while SQLite works). SQLite's own checkpoint
stays as the backstop. A log that has grown past ``LOG_PAGES`` is started over by a
RESTART checkpoint on the thread, which waits for the writer's open batch to
commit and holds the next one back until the log is copied: a PASSIVE one can
copy everything and still leave the log growing, since the writer's next batch
begins before it ends, and SQLite's own then finds the thread's in progress and
gives up (a test saw 158 MB of log so). Running
checkpoints "in a separate thread or process" is what SQLite's documentation
suggests for this (https://www.sqlite.org/wal.html#ckpt); a PASSIVE one never
waits for, nor blocks, the writer or the readers.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path

__all__ = ["LOG_PAGES", "Checkpointer"]

logger = logging.getLogger(__name__)

# Pages of log (4 kB each) past which it is started over: SQLite's own checkpoint's mark
# too (archive.db sets wal_autocheckpoint to it).
LOG_PAGES = 10_000


class Checkpointer:
    """A daemon thread that checkpoints ``path``'s log each time :meth:`request` is called
    (requests that arrive while it works are folded into one more checkpoint)."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._due = threading.Event()
        self._closing = False
        self._thread = threading.Thread(target=self._run, name="archive-checkpoints", daemon=True)
        self._thread.start()

    def request(self) -> None:
        self._due.set()

    def close(self) -> None:
        """Stop after the checkpoint in progress, if any, and close the connection (a second
        call is a no-op)."""
        self._closing = True
        self._due.set()
        if threading.current_thread() is not self._thread:  # a finalizer may run on it
            self._thread.join()

    def _run(self) -> None:
        try:
            conn = sqlite3.connect(self._path)
            # As the writer's: the log is synced before a checkpoint, the file after it.
            conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.Error as exc:  # the writer's own checkpoints go on
            logger.debug("no checkpoints of %s on a thread: %s", self._path, exc)
            return
        try:
            while True:
                self._due.wait()
                self._due.clear()
                if self._closing:
                    return
                try:
                    _, pages, _ = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                    if pages >= LOG_PAGES:
                        conn.execute("PRAGMA wal_checkpoint(RESTART)").fetchone()
                except sqlite3.Error as exc:  # the writer's own checkpoint still runs
                    logger.debug("checkpoint of %s failed: %s", self._path, exc)
        finally:
            conn.close()
