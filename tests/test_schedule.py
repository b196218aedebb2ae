"""`newsarchive schedule` as a service: one at a time, survives SIGKILL, stops on SIGTERM."""

from __future__ import annotations

import fcntl
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import sqlite_utils

from scraper.lock import AlreadyRunning, ArchiveLock
from scraper.offline import SITES
from scraper.offline.server import MirrorServer
from tests.conftest import site_copy
from tests.local_http import NO_DELAY

pytestmark = pytest.mark.slow

FAST = [
    *NO_DELAY,
    "-s",
    "NEWSARCHIVE_EXTRACT_WORKERS=1",
    "-s",
    "NEWSARCHIVE_MIRRORS_ONLY=True",
]


def schedule(db: Path, mirrors: dict, *args: str) -> subprocess.Popen:
    env = {**os.environ, "NEWSARCHIVE_MIRRORS": json.dumps(mirrors)}
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "scraper.cli",
            *FAST,
            "schedule",
            "syrianobserver",
            "--db",
            str(db),
            *args,
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


@pytest.fixture
def setup(tmp_path):
    with MirrorServer([site_copy("syrianobserver")]) as server:
        yield tmp_path / "archive.db", server


def wait_for(condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("timed out waiting")


def runs(db: Path) -> list[dict]:
    if not db.exists():
        return []
    try:
        return list(sqlite_utils.Database(db).query("select * from crawl_runs order by id"))
    except sqlite3.OperationalError:  # the schedule is still creating the schema
        return []


def test_lock_is_exclusive_and_released(tmp_path):
    path = tmp_path / "x.db"
    with ArchiveLock(path, "schedule"):
        with pytest.raises(AlreadyRunning, match=str(os.getpid())):
            ArchiveLock(path, "schedule").acquire()
    with ArchiveLock(path, "schedule"):
        pass


def test_a_start_in_the_instant_the_holder_locks_still_names_the_holder(tmp_path):
    """The holder locks, then writes who it is: a start between the two waits for it."""
    path = tmp_path / "x.db"
    with open(f"{path}.lock", "a+") as holder:
        fcntl.flock(holder, fcntl.LOCK_EX | fcntl.LOCK_NB)
        holder_info = '{"pid": 7, "command": "schedule", "started": "2026-12-07T00:00:00Z"}'
        late = threading.Timer(0.2, lambda: (holder.write(holder_info), holder.flush()))
        late.start()
        with pytest.raises(AlreadyRunning, match="another schedule \\(pid 7"):
            ArchiveLock(path, "crawl").acquire()
        late.join()


def test_two_schedules_started_together_do_not_both_crawl(setup):
    db, server = setup
    first = schedule(db, server.mirrors, "--once")
    second = schedule(db, server.mirrors, "--once")
    outputs = [p.communicate(timeout=240) for p in (first, second)]
    codes = sorted(p.returncode for p in (first, second))
    assert codes == [0, 1], outputs
    refused = [
        err for (_out, err), p in zip(outputs, (first, second), strict=True) if p.returncode == 1
    ]
    assert "another schedule" in refused[0]
    assert len([r for r in runs(db) if r["source"] == "syrianobserver"]) == 1


def test_schedule_killed_with_sigkill_leaves_a_lock_the_next_start_recovers(setup):
    db, server = setup
    server.set_fault("syrianobserver.com", "/feed", status=None, delay=30)  # keep it busy
    killed = schedule(db, server.mirrors)
    wait_for(lambda: Path(f"{db}.lock").exists() and Path(f"{db}.lock").read_text().strip())
    wait_for(lambda: any(r["status"] == "running" for r in runs(db)))
    os.killpg(killed.pid, signal.SIGKILL)
    killed.wait(timeout=10)
    assert Path(f"{db}.lock").exists()  # the file stays; the kernel dropped the lock
    server.clear_faults()
    again = schedule(db, server.mirrors, "--once")
    out, err = again.communicate(timeout=240)
    assert again.returncode == 0, err
    assert any(r["status"] == "finished" and r["new"] > 0 for r in runs(db))
    # The killed schedule's run is closed, not left "running" for ever.
    assert "running" not in {r["status"] for r in runs(db)}
    assert any(r["status"] == "interrupted" and "died" in r["error"] for r in runs(db))


def test_sigterm_finishes_the_running_crawl_and_exits_cleanly(setup):
    db, server = setup
    # Slow article pages: SIGTERM arrives while the poll is fetching them.
    for case in json.loads((SITES / "syrianobserver/expected.json").read_text(encoding="utf-8"))[
        "articles"
    ]:
        server.set_fault(
            "syrianobserver.com", case["url"].split(".com", 1)[1], status=None, delay=1.0
        )
    service = schedule(db, server.mirrors, "--tick", "0.5")
    wait_for(lambda: any(r["status"] == "running" for r in runs(db)))
    time.sleep(1.5)
    service.send_signal(signal.SIGTERM)
    out, err = service.communicate(timeout=120)
    assert service.returncode == 0, err
    assert "stopped" in err
    states = [r["status"] for r in runs(db)]
    assert states and "running" not in states
    assert states[-1] in ("interrupted", "finished")
