"""Stopped, interrupted or with a worker killed, a crawl loses nothing and leaves nothing.

Every case drives the real CLI (`python -m scraper.cli`, in a session of its
own) against tests.busy_site: thirty 0.45 MB stories on 127.0.0.1 that keep two
extraction workers busy, so pages are waiting for a worker when the signal
lands (once three are stored).

- An extraction worker SIGKILLed mid-crawl (as by the OOM killer): the pool is
  replaced, its pages retried, all thirty archived, exit 0.
- Ctrl-C (SIGINT) and SIGTERM, to the process group and to the CLI's pid, and
  Ctrl-C twice: the run ends within 10 s, nothing is left in the process
  table, and after one rerun the archive equals an uninterrupted crawl's, no
  page fetched twice (the pages in flight were held, not dropped).
- Ctrl-C while every download hangs: the stop does not wait for them.
- The crawl process SIGKILLed alone: its workers do not outlive it.
- `schedule` running a queued backfill, stopped as systemd does (SIGTERM to
  the group, KillMode=control-group; or to the main pid, KillMode=mixed): it
  exits 0 within 10 s and the next start continues the backfill to the end; a stop
  that comes while the schedule starts a crawl stops that crawl.
- Two crawls of one archive started together: one runs, the other is refused
  naming it.

Figures go to test-artifacts/reliability/stop_*.json (RELIABILITY.md).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from scraper.schedule import Scheduler
from scraper.sources import load_registry
from tests.busy_site import (
    LOCAL,
    STORIES,
    articles,
    busy_site,
    count,
    grandchildren,
    in_session,
    kill_session,
    newsarchive,
    story,
    story_path,
    wait_for,
)
from tests.local_http import Handler, serving
from tests.reliability_figures import record

pytestmark = pytest.mark.slow

# The bound: every interrupt ends the run within this many seconds.
STOP_SECONDS = 10
STORED = "select count(*) from captures"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The busy site, its registry, and the archive of one crawl nobody interrupted."""
    with busy_site() as served:
        work = tmp_path_factory.mktemp("busy")
        registry = served.registry(work)
        clean = work / "clean.db"
        crawl = newsarchive(
            *LOCAL, "crawl", "busy", "--sources", str(registry), "--db", str(clean), cwd=work
        )
        output = crawl.communicate(timeout=600)[0]
        assert crawl.returncode == 0, output
        assert len(articles(clean)) == STORIES
        yield served, registry, articles(clean)


def crawl_args(registry: Path, db: Path) -> list[str]:
    return [*LOCAL, "crawl", "busy", "--sources", str(registry), "--db", str(db)]


def ends_within(process, seconds: float) -> tuple[str, float]:
    """The process's output, and how long it took to end (it must, within ``seconds``)."""
    started = time.monotonic()
    output = process.communicate(timeout=seconds)[0]
    return output, time.monotonic() - started


def nothing_left(process) -> None:
    """No process of the run's session lives on (the process table), within the bound."""
    deadline = time.monotonic() + STOP_SECONDS
    while in_session(process.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = in_session(process.pid)
    kill_session(process)
    assert left == set(), f"left behind: {left}"


def held(db: Path) -> int:
    return count(db, "select count(*) from held_pages")


def test_a_worker_killed_mid_crawl_is_replaced_and_its_pages_retried(site, tmp_path):
    served, registry, clean = site
    served.requests.clear()
    db = tmp_path / "a.db"
    crawl = newsarchive(*crawl_args(registry, db), cwd=tmp_path)
    try:
        # Both workers up: the pool is at work (a worker killed as it starts is another case).
        wait_for(lambda: count(db, STORED) >= 3 and len(grandchildren(crawl.pid)) == 2, crawl)
        os.kill(min(grandchildren(crawl.pid)), signal.SIGKILL)
        output = crawl.communicate(timeout=600)[0]
    finally:
        kill_session(crawl)
    assert "an extraction worker died (killed by signal 9" in output
    archived = articles(db)
    # Exit 0 only with every page archived: the dead worker's pages were retried.
    assert (crawl.returncode == 0) == (archived == clean), output
    assert archived == clean, output
    assert count(db, "select count(*) from failures") == 0
    assert held(db) == 0
    assert max(served.page_fetches().values()) == 1
    record("stop_worker_killed", pages=STORIES, archived=len(archived), exit=crawl.returncode)


def interrupt_and_rerun(site, tmp_path, name: str, signum: int, send, times: int = 1) -> None:
    """Crawl, interrupt with ``signum`` (``times`` over) sent by ``send`` (os.killpg: the
    process group, os.kill: the CLI's pid) once pages wait for workers; then rerun.
    Figures to stop_<name>.json."""
    served, registry, clean = site
    served.requests.clear()
    db = tmp_path / "a.db"
    crawl = newsarchive(*crawl_args(registry, db), cwd=tmp_path)
    try:
        wait_for(lambda: count(db, STORED) >= 3, crawl)
        waiting = held(db)  # fetched, waiting for a worker: what a lost interrupt would lose
        for _ in range(times):
            send(crawl.pid, signum)
            time.sleep(0.2)
        output, seconds = ends_within(crawl, STOP_SECONDS)
        nothing_left(crawl)
    finally:
        kill_session(crawl)
    stored, kept = count(db, STORED), held(db)
    assert crawl.returncode != 0, output  # an interrupted crawl did not do its job
    assert "interrupted" in output
    assert "Traceback" not in output, output  # a stop is not a crash
    # Nothing the interrupt caught was recorded as failed (it would never be fetched again).
    assert count(db, "select count(*) from failures") == 0, output
    assert stored + kept > 3

    rerun = newsarchive(*crawl_args(registry, db), cwd=tmp_path)
    try:
        output = rerun.communicate(timeout=600)[0]
    finally:
        kill_session(rerun)
    assert rerun.returncode == 0, output
    assert articles(db) == clean
    assert held(db) == 0
    fetches = served.page_fetches()  # every story, by the two runs, once
    assert len(fetches) == STORIES and max(fetches.values()) == 1, fetches
    record(
        f"stop_{name}",
        seconds_to_stop=round(seconds, 1),
        waiting_when_stopped=waiting,
        stored_before=stored,
        held_after=kept,
        fetched_twice=sum(1 for n in fetches.values() if n > 1),
        archived_after_rerun=len(articles(db)),
    )


def test_ctrl_c_to_the_group(site, tmp_path):
    interrupt_and_rerun(site, tmp_path, "ctrl_c_group", signal.SIGINT, os.killpg)


def test_ctrl_c_twice(site, tmp_path):
    interrupt_and_rerun(site, tmp_path, "ctrl_c_twice", signal.SIGINT, os.killpg, times=2)


def test_ctrl_c_to_the_pid(site, tmp_path):
    interrupt_and_rerun(site, tmp_path, "ctrl_c_pid", signal.SIGINT, os.kill)


def test_sigterm_to_the_group(site, tmp_path):
    interrupt_and_rerun(site, tmp_path, "sigterm_group", signal.SIGTERM, os.killpg)


def test_sigterm_to_the_pid(site, tmp_path):
    interrupt_and_rerun(site, tmp_path, "sigterm_pid", signal.SIGTERM, os.kill)


def test_a_sigkilled_crawl_leaves_no_worker_behind(site, tmp_path):
    _served, registry, _clean = site
    db = tmp_path / "a.db"
    crawl = newsarchive(*crawl_args(registry, db), cwd=tmp_path)
    try:
        wait_for(lambda: count(db, STORED) >= 3 and grandchildren(crawl.pid), crawl)
        workers = grandchildren(crawl.pid)
        crawl.kill()  # the crawl process alone, as the OOM killer picks one
        crawl.communicate(timeout=STOP_SECONDS)
        nothing_left(crawl)
    finally:
        kill_session(crawl)
    assert workers  # there were workers to outlive it


@pytest.mark.parametrize("target", ["group", "main pid"])
def test_a_schedule_stopped_by_systemd_continues_its_backfill(site, tmp_path, target):
    served, registry, clean = site
    served.requests.clear()
    db = tmp_path / "a.db"
    queue = newsarchive(
        "crawl",
        "busy",
        "--queue",
        "--since",
        "2024-01-01",
        "--sources",
        str(registry),
        "--db",
        str(db),
        cwd=tmp_path,
    )
    assert queue.communicate(timeout=60)[0] and queue.returncode == 0
    schedule = [*LOCAL, "schedule", "busy", "--sources", str(registry), "--db", str(db)]
    service = newsarchive(*schedule, "--tick", "1", cwd=tmp_path)
    try:
        wait_for(lambda: count(db, STORED) >= 3, service)
        # systemd: KillMode=control-group signals every process, mixed the main one only.
        (os.killpg if target == "group" else os.kill)(service.pid, signal.SIGTERM)
        output, seconds = ends_within(service, STOP_SECONDS)
        nothing_left(service)
    finally:
        kill_session(service)
    assert service.returncode == 0, output  # a clean stop: systemd must not restart it
    stored = count(db, STORED)
    assert stored < STORIES, "the backfill ended before the stop: nothing was tried"
    with sqlite3.connect(db) as conn:
        assert conn.execute("select status from backfills").fetchall() == [("interrupted",)]

    again = newsarchive(*schedule, "--once", cwd=tmp_path)
    try:
        output = again.communicate(timeout=600)[0]
    finally:
        kill_session(again)
    assert again.returncode == 0, output
    with sqlite3.connect(db) as conn:
        assert conn.execute("select status from backfills").fetchall() == [("finished",)]
    assert articles(db) == clean
    assert held(db) == 0
    fetches = served.page_fetches()
    assert len(fetches) == STORIES and max(fetches.values()) == 1, fetches
    record(
        f"stop_schedule_{target.replace(' ', '_')}",
        seconds_to_stop=round(seconds, 1),
        stored_before=stored,
        archived_after_rerun=len(articles(db)),
        fetched_twice=sum(1 for n in fetches.values() if n > 1),
    )


def test_two_crawls_of_one_archive_at_once(site, tmp_path):
    served, registry, clean = site
    served.requests.clear()
    db = tmp_path / "a.db"
    crawls = [newsarchive(*crawl_args(registry, db), cwd=tmp_path) for _ in range(2)]
    try:
        outputs = [c.communicate(timeout=600)[0] for c in crawls]
    finally:
        for crawl in crawls:
            kill_session(crawl)
    codes = sorted(c.returncode for c in crawls)
    assert codes == [0, 1], outputs
    ran = next(c for c in crawls if c.returncode == 0)
    refused = next(o for c, o in zip(crawls, outputs, strict=True) if c.returncode == 1)
    assert f"another crawl (pid {ran.pid}, started " in refused, refused
    assert "database is locked" not in refused
    assert articles(db) == clean
    fetches = served.page_fetches()
    assert len(fetches) == STORIES and max(fetches.values()) == 1, fetches
    record(
        "stop_two_crawls",
        refused=refused.strip().splitlines()[-1],
        fetched_twice=sum(1 for n in fetches.values() if n > 1),
    )


def test_a_stop_does_not_wait_for_a_server_that_never_answers(tmp_path):
    """Ctrl-C while every article download hangs (the server holds them up to 60 s, within
    the download timeout): the crawl ends within the bound without them, and the next
    run fetches them."""
    answer = threading.Event()  # set: the articles are answered at once

    class Hanging(Handler):
        def do_GET(self):
            base = f"http://127.0.0.1:{self.server.server_port}"
            if self.path == "/feed.xml":
                items = "".join(
                    f"<item><title>Story</title><link>{base}{story_path(n)}</link></item>"
                    for n in range(1, 6)
                )
                feed = f'<rss version="2.0"><channel><title>H</title>{items}</channel></rss>'
                self.answer(200, feed.encode(), "application/rss+xml")
            elif self.path.startswith("/2024/05/story-"):
                answer.wait(60)
                n = int(self.path.rstrip("/").rsplit("-", 1)[1])
                with contextlib.suppress(OSError):  # the stopped crawl has hung up
                    self.answer(200, story(n), "text/html; charset=utf-8")
            else:
                self.answer(404, b"not here", "text/plain")

    with serving(Hanging) as base:
        registry = tmp_path / "hanging.toml"
        registry.write_text(
            f'[hanging]\nname = "Hanging"\nhomepage = "{base}/"\nlanguage = "en"\n'
            f'feeds = ["{base}/feed.xml"]\n',
            encoding="utf-8",
        )
        db = tmp_path / "a.db"
        args = [*LOCAL, "crawl", "hanging", "--sources", str(registry), "--db", str(db)]
        crawl = newsarchive(*args, cwd=tmp_path)
        try:
            wait_for(lambda: count(db, "select count(*) from frontier") >= 5, crawl)
            time.sleep(0.5)  # the requests are out
            os.killpg(crawl.pid, signal.SIGINT)
            output, seconds = ends_within(crawl, STOP_SECONDS)
            nothing_left(crawl)
        finally:
            kill_session(crawl)
        assert crawl.returncode != 0 and "interrupted" in output, output
        assert count(db, "select count(*) from failures") == 0, output
        answer.set()
        rerun = newsarchive(*args, cwd=tmp_path)
        try:
            output = rerun.communicate(timeout=300)[0]
        finally:
            kill_session(rerun)
        assert rerun.returncode == 0, output
        archived = count(db, "select count(*) from articles")
        assert archived == 5
    record(
        "stop_hanging_downloads", seconds_to_stop=round(seconds, 1), archived_after_rerun=archived
    )


def test_an_interrupted_poll_keeps_its_feed_entries_through_a_304(site, tmp_path):
    """`poll` stopped while the feed's ten stories are being fetched, its ETag stored (the
    feed would answer 304 from now on); the next `poll` still fetches the entries the
    first had not: they were kept."""
    served, registry, _clean = site
    served.requests.clear()
    db = tmp_path / "a.db"
    args = [*LOCAL, "poll", "busy", "--sources", str(registry), "--db", str(db)]
    # The site answers the first three stories asked for and holds the others until the
    # stop, so the stop lands mid-poll however fast the machine stores those three.
    with served.holding_after(3):
        poll = newsarchive(*args, cwd=tmp_path)
        try:
            wait_for(lambda: count(db, STORED) >= 3, poll)
            os.killpg(poll.pid, signal.SIGTERM)
            served.release()
            output, _seconds = ends_within(poll, STOP_SECONDS)
            nothing_left(poll)
        finally:
            kill_session(poll)
    assert poll.returncode != 0, output
    stored = count(db, STORED)
    assert stored < 10, "the poll ended before the stop: nothing was tried"
    assert count(db, "select count(*) from feeds where etag is not null") == 1

    again = newsarchive(*args, cwd=tmp_path)
    try:
        output = again.communicate(timeout=300)[0]
    finally:
        kill_session(again)
    assert again.returncode == 0, output
    # The first poll kept the feed's ETag: asked again, the feed would answer 304. The next
    # poll continued from the entries the first had kept instead of asking the feed again.
    assert served.requests["/feed.xml"] == 1
    assert count(db, STORED) == 10
    # Every entry fetched once: the pages in flight at the stop were kept, not fetched again.
    fetches = served.page_fetches()
    assert len(fetches) == 10 and max(fetches.values()) == 1, fetches
    record("stop_poll_304", stored_before=stored, archived_after_rerun=count(db, STORED))


def test_a_stop_that_comes_while_a_scheduled_crawl_starts_stops_it(site, tmp_path):
    """SIGTERM between the schedule's look at its stop flag and the crawl's start found no
    crawl to stop: the crawl, a backfill of years perhaps, ran to its end. Here the stop
    has come before the poll starts its crawl, as it would inside that moment."""
    _served, registry, _clean = site
    scheduler = Scheduler(
        tmp_path / "a.db",
        load_registry([registry], builtin=False),
        sources_files=[registry],
        overrides={"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False},
    )
    scheduler.stop()
    runs = scheduler.poll_due()
    assert [r["status"] for r in runs] == ["interrupted"], runs
    assert count(tmp_path / "a.db", STORED) < STORIES
