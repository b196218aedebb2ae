"""One crawl per archive at a time: an exclusive, crash-safe lock on ``<db>.lock``.

`schedule` holds it for as long as it runs; `crawl`, `poll` and `demo` for their
crawl. Two crawls of one archive would fetch every page twice, and two writers
of one SQLite file wait on each other until one gives up ("database is
locked"). The lock is per archive, which covers every source in it: the
archive has one writer (docs/design.md), and a running schedule takes further
work through `crawl --queue`.

fcntl.flock (stdlib): the kernel releases the lock when its process dies, even
by SIGKILL, so a crash never leaves a lock that blocks the next start. The file
says who holds it (pid, command, when it started), for the message of the one
that is refused.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from pathlib import Path

from archive.clock import utcnow

__all__ = ["AlreadyRunning", "ArchiveLock"]


class AlreadyRunning(RuntimeError):
    pass


class ArchiveLock:
    """The lock of the archive ``db`` for ``command`` (schedule, crawl, poll, demo)."""

    def __init__(self, db: str | Path, command: str):
        self.path = Path(f"{db}.lock")
        self.command = command
        self.handle = None

    def acquire(self) -> ArchiveLock:
        handle = open(self.path, "a+")  # noqa: SIM115 - held for the lock's lifetime
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _describe(_holder_text(handle))
            handle.close()
            raise AlreadyRunning(
                f"another {holder} holds {self.path}; not starting "
                "(one crawl per archive at a time)"
            ) from None
        handle.seek(0)
        handle.truncate()
        holder = {"pid": os.getpid(), "command": self.command, "started": utcnow()}
        handle.write(json.dumps(holder))
        handle.flush()
        self.handle = handle
        return self

    def release(self) -> None:
        if self.handle is not None:
            fcntl.flock(self.handle, fcntl.LOCK_UN)
            self.handle.close()
            self.handle = None

    def __enter__(self) -> ArchiveLock:
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


def _holder_text(handle) -> str:
    """What the holder wrote; it writes just after it locks, so a start in the
    same instant may find the file still empty and waits a moment for it."""
    for _ in range(20):
        handle.seek(0)
        text = handle.read()
        if text.strip():
            return text
        time.sleep(0.05)
    return text


def _describe(text: str) -> str:
    """The holder as the lock file tells it: "crawl (pid 12, started 2024-05-06T10:00:00Z)"."""
    try:
        holder = json.loads(text)
        return f"{holder['command']} (pid {holder['pid']}, started {holder['started']})"
    except (ValueError, KeyError, TypeError):  # written by an older version: a bare pid
        return f"newsarchive process (pid {text.strip() or 'unknown'})"
