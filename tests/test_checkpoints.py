"""The write-ahead log is copied into the archive's file by a thread (archive.checkpoints),
and it still starts over: a long crawl's log stays bounded."""

from __future__ import annotations

import gc
import os
import threading
import time

from archive.store import Archive

MB = 1024 * 1024


def _hold(archive: Archive, n: int) -> None:
    # Incompressible bodies, so that the file grows by what was written.
    archive.hold_page("s", f"https://e.com/{n}", {"status": 200}, os.urandom(MB))


def test_a_commit_is_copied_into_the_file_without_the_writer(tmp_path):
    """5 MB is far below the writer's own checkpoint (40 MB of log): only the thread
    copies it into the file."""
    db = tmp_path / "a.db"
    with Archive(db, batch_size=500) as archive:
        before = db.stat().st_size
        for n in range(5):
            _hold(archive, n)
        archive.flush()
        deadline = time.monotonic() + 10
        while db.stat().st_size < before + 5 * MB and time.monotonic() < deadline:
            time.sleep(0.05)
        assert db.stat().st_size >= before + 5 * MB


def test_the_log_starts_over_while_a_writer_writes_without_pause(tmp_path):
    """150 batches of 1 MB, back to back: the log never grows past a few checkpoints'
    worth (40 MB each), and every batch is in the archive."""
    db = tmp_path / "a.db"
    wal = db.with_name("a.db-wal")
    largest = 0
    with Archive(db, batch_size=500) as archive:
        for n in range(150):
            _hold(archive, n)
            archive.flush()
            largest = max(largest, wal.stat().st_size)
        assert len(archive.held_pages("s")) == 150
    assert largest < 100 * MB


def _new_checkpoint_threads(before: set[threading.Thread]) -> list[threading.Thread]:
    return [t for t in set(threading.enumerate()) - before if t.name == "archive-checkpoints"]


def test_closing_the_archive_stops_the_thread(tmp_path):
    before = set(threading.enumerate())
    with Archive(tmp_path / "a.db") as archive:
        _hold(archive, 1)
        archive.flush()
        (thread,) = _new_checkpoint_threads(before)
    assert not thread.is_alive()


def test_an_archive_dropped_unclosed_stops_its_thread(tmp_path):
    before = set(threading.enumerate())
    archive = Archive(tmp_path / "a.db")
    _hold(archive, 1)
    archive.flush()
    (thread,) = _new_checkpoint_threads(before)
    del archive
    gc.collect()
    thread.join(timeout=10)
    assert not thread.is_alive()
