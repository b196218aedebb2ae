"""What a person typing a command sees when the input or the archive is wrong: one line.

Every command that takes dates refuses a bad one before touching anything (a
typo in --since must never start an unbounded backfill, nor create an archive).
Every command that opens an archive meets a corrupt one (not a database; a
damaged header; damaged article pages that opening does not reach), a missing
one (commands that only read) and one on a read-only filesystem, and says so in
one ``Error:`` line naming the file and the cause, with a non-zero exit status
and no traceback. The commands run as people run them, in a process of their
own; none of them can reach a network (crawls are offline-only here, and the
writer's Redis is a closed port on 127.0.0.1).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from archive.store import Archive
from benchmarks.corpus_site import free_port

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent
# Any crawl that wrongly got going could only reach offline copies (there are none here).
OFFLINE = ["-s", "NEWSARCHIVE_MIRRORS_ONLY=true", "-s", "NEWSARCHIVE_EXTRACT_WORKERS=1"]
BAD_DATES = ["notadate", "2024-13-45"]

# Every command that opens an archive, with what it needs besides --db.
COMMANDS = {
    "crawl": ["crawl", "sohr"],
    "crawl --queue": ["crawl", "--queue", "sohr"],
    "poll": ["poll", "sohr"],
    "schedule --once": ["schedule", "--once", "sohr"],
    "status": ["status"],
    "export": ["export", "-o", "{work}/out.csv"],
    "serve": ["serve", "--port", "{port}"],
    "demo": ["demo", "--no-serve"],
    "reextract": ["reextract"],
    "import": ["import", "{work}/dump.txt", "--source", "sohr"],
    "sources": ["sources"],
    "sources enable": ["sources", "enable", "sohr"],
    "writer": ["writer", "--redis", "redis://127.0.0.1:9/0"],
    "history": ["history", "https://www.syriahr.com/en/1/"],
    "stories": ["stories"],
    "stories --rebuild": ["stories", "--rebuild"],
}
# Those that need an archive there: a missing one is an error, not a new empty file.
READERS = [
    "status", "export", "serve", "reextract", "sources enable", "history", "stories",
    "stories --rebuild",
]  # fmt: skip
# Those that only read it: on a read-only filesystem they may work, if SQLite can open it.
READ_ONLY = ["status", "export", "serve", "sources", "history"]


def newsarchive(args: list[str], cwd: Path, prefix=(), timeout=120) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [*prefix, sys.executable, "-m", "scraper.cli", *OFFLINE, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )


def command(name: str, work: Path, db: Path) -> list[str]:
    values = {"work": str(work), "port": str(free_port())}
    return [a.format(**values) for a in COMMANDS[name]] + ["--db", str(db)]


def assert_one_error_line(result: subprocess.CompletedProcess, *words: str) -> str:
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "Traceback" not in output, output
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, result.stderr
    for word in words:
        assert word in errors[0], errors[0]
    return errors[0]


@pytest.fixture
def work(tmp_path):
    (tmp_path / "dump.txt").write_text("A text dump of one article.\n" * 20, encoding="utf-8")
    return tmp_path


def real_archive(path: Path) -> Path:
    """An archive with a few hundred kB of articles, checkpointed into the main file."""
    with Archive(path) as archive:
        for i in range(40):
            archive.upsert(
                {
                    "url": f"https://www.syriahr.com/en/{i}/",
                    "source": "sohr",
                    "title": f"t {i}",
                    "body": f"word{i} " * 400,
                    "language": "en",
                    "published": "2024-05-01T00:00:00+00:00",
                }
            )
        archive.update_source("sohr", last_success="2024-05-01T00:00:00+00:00", last_outcome="ok")
    with sqlite3.connect(path) as conn:
        conn.execute("pragma wal_checkpoint(truncate)")
    return path


def damage_pages(path: Path, first: int, last: int) -> None:
    """Overwrite pages first..last (1-based) with garbage, as a bad disk or a bad copy would."""
    size = 4096
    data = bytearray(path.read_bytes())
    for page in range(first, last + 1):
        data[(page - 1) * size : page * size] = b"\xab" * size
    path.write_bytes(bytes(data))


def article_pages(path: Path) -> tuple[int, int]:
    with sqlite3.connect(path) as conn:
        return conn.execute(
            "select min(pageno), max(pageno) from dbstat where name = 'articles'"
        ).fetchone()


# --- dates -------------------------------------------------------------------------------

DATED = {
    "crawl --since": ["crawl", "sohr", "--since"],
    "crawl --queue --since": ["crawl", "--queue", "sohr", "--since"],
    "crawl --distributed --since": ["crawl", "--distributed", "--redis",
                                    "redis://127.0.0.1:9/0", "sohr", "--since"],
    "export --since": ["export", "--since"],
    "export --until": ["export", "--until"],
}  # fmt: skip


@pytest.mark.parametrize("bad", BAD_DATES)
@pytest.mark.parametrize("name", list(DATED))
def test_a_bad_date_stops_the_command_before_anything_happens(work, name, bad):
    db = work / "a.db"
    result = newsarchive([*DATED[name], bad, "--db", str(db)], work)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert f"bad date '{bad}'" in result.stderr and "YYYY-MM-DD" in result.stderr
    assert not db.exists() and sorted(p.name for p in work.iterdir()) == ["dump.txt"]


@pytest.mark.parametrize(
    "command", [["crawl", "sana"], ["crawl", "--queue", "sana"], ["poll", "sana"]]
)
def test_an_unknown_source_stops_the_command_before_it_makes_an_archive(work, command):
    db = work / "new.db"
    result = newsarchive([*command, "--db", str(db)], work)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "unknown source(s): sana; known: " in result.stderr and "Traceback" not in result.stderr
    assert not db.exists()


# --- archives that cannot be used ----------------------------------------------------------


@pytest.mark.parametrize("name", list(COMMANDS))
def test_not_a_database(work, name):
    db = work / "a.db"
    db.write_bytes(os.urandom(8192))
    before = db.read_bytes()
    result = newsarchive(command(name, work, db), work)
    assert_one_error_line(result, str(db), "file is not a database")
    assert db.read_bytes() == before  # left as it was: nothing made worse


@pytest.mark.parametrize("name", list(COMMANDS))
def test_a_damaged_header_and_schema(work, name):
    db = real_archive(work / "a.db")
    damage_pages(db, 2, 40)  # the schema page survives, the tables it names do not
    result = newsarchive(command(name, work, db), work)
    assert_one_error_line(result, str(db), "malformed")


# Damaged article pages: opening the file (schema, version) does not touch them, so the
# error comes from the first query that does; these are the commands whose work needs them.
@pytest.mark.parametrize("name", ["crawl", "poll", "export", "sources"])
def test_damaged_article_pages(work, name):
    db = real_archive(work / "a.db")
    first, last = article_pages(db)
    damage_pages(db, first + 1, last)
    result = newsarchive(command(name, work, db), work)
    assert_one_error_line(result, str(db), "malformed")


@pytest.mark.parametrize("name", READERS)
def test_a_missing_archive(work, name):
    db = work / "nothing-here.db"
    result = newsarchive(command(name, work, db), work)
    assert_one_error_line(result, str(db), "no archive")
    assert not db.exists()


def read_only(folder: Path) -> list[str]:
    """A prefix that runs a command with ``folder`` on a read-only filesystem: a mount
    namespace with a read-only bind mount (root), else the folder's write bits off."""
    if os.geteuid() == 0:
        if shutil.which("unshare") is None:
            pytest.fail("this test needs `unshare` (util-linux) when run as root")
        script = 'mount --bind -o ro "$0" "$0" && exec "$@"'
        return ["unshare", "-m", "sh", "-c", script, str(folder)]
    folder.chmod(0o555)
    return []


@pytest.mark.parametrize("name", list(COMMANDS))
def test_an_archive_on_a_read_only_filesystem(work, name):
    folder = work / "ro"
    folder.mkdir()
    db = real_archive(folder / "a.db")
    prefix = read_only(folder)
    try:
        result = newsarchive(command(name, work, db), work, prefix, timeout=30)
    except subprocess.TimeoutExpired:
        assert name == "serve"  # it serves the read-only archive: fine, and stopped here
        return
    finally:
        folder.chmod(0o755)
    if name in READ_ONLY and result.returncode == 0:
        assert "Traceback" not in result.stdout + result.stderr
        return
    line = assert_one_error_line(result, str(db))
    assert "write" in line or "unable to open" in line, line
