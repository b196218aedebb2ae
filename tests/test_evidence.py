"""The archive as evidence, end to end: every copy crawled, the Syrian Observer's edit
overlay switched on, that copy crawled again. Then both captures of the edited page are
in raw storage, ``newsarchive history`` shows the changed sentence, ``reextract`` runs
over a chosen capture, and a WARC of the archive replays in pywb with the bytes the
archive stored.

pywb pins redis 2.10 (the distributed crawl needs redis 5+), so scripts/test.sh
installs it in its own virtualenv, ``.venv-pywb``; its commands are found there or
on PATH.
"""

from __future__ import annotations

import hashlib
import shutil
import socket
import subprocess
import time
import urllib.request
import zlib
from pathlib import Path
from urllib.parse import quote

import pytest
from click.testing import CliRunner

from archive.store import Archive
from scraper.cli import cli
from scraper.offline import SITES
from scraper.offline.copies import SiteCopy
from scraper.offline.server import MirrorServer
from tests.conftest import crawl, expected

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
EDITED = expected("syrianobserver")["edited"]


@pytest.fixture(scope="module")
def archive_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("evidence") / "archive.db"
    copies = [SiteCopy.load(d) for d in sorted(SITES.iterdir()) if (d / "site.toml").exists()]
    with MirrorServer(copies) as server:
        crawl(server, db, [c.id for c in copies])
        server.activate_overlay("syrianobserver.com", EDITED["overlay"])
        crawl(server, db, ["syrianobserver"])
    return db


def edited_captures(db):
    with Archive(db) as archive:
        return archive.captures(archive.lookup(EDITED["url"]))


def test_both_captures_of_the_edited_page_are_kept_content_addressed(archive_db):
    first, second = edited_captures(archive_db)
    assert first.sha256 != second.sha256
    assert EDITED["changed_text"].encode() not in first.body
    assert EDITED["changed_text"].encode() in second.body
    for capture in (first, second):
        assert hashlib.sha256(capture.body).hexdigest() == capture.sha256
        assert capture.status == 200 and capture.fetched_at and capture.url == EDITED["url"]
        assert capture.header("Content-Type").startswith("text/html")
    with Archive(archive_db) as archive:
        stored = dict(archive.db.execute("SELECT sha256, body FROM page_bodies"))
        captures, distinct = archive.db.execute(
            "SELECT count(*), count(DISTINCT sha256) FROM captures"
        ).fetchone()
    # Each distinct body once, and every body its own key.
    assert distinct == len(stored) <= captures
    assert all(hashlib.sha256(zlib.decompress(b)).hexdigest() == k for k, b in stored.items())


def test_history_shows_the_changed_sentence(archive_db):
    result = CliRunner().invoke(
        cli, ["history", EDITED["url"], "--db", str(archive_db), "--no-color"]
    )
    assert result.exit_code == 0, result.output
    assert "2 versions" in result.output and "version 2:" in result.output
    added = [part.split("+}")[0] for part in result.output.split("{+")[1:]]
    assert any(part.strip() and part.strip() in EDITED["changed_text"] for part in added), (
        result.output
    )


def test_reextract_runs_over_a_chosen_capture(archive_db, tmp_path):
    from scraper.reextract import reextract

    db = tmp_path / "copy.db"
    shutil.copy(archive_db, db)
    first, _second = edited_captures(db)
    report = reextract(db, capture_id=first.id)
    assert report["pages"] == 1 and report["changed"] == 1
    with Archive(db) as archive:
        article = archive.get(archive.lookup(EDITED["url"]))
        assert EDITED["changed_text"] not in article["body"]
        total = archive.db.execute("SELECT count(*) FROM captures").fetchone()[0]
    assert reextract(db, all_captures=True, dry_run=True)["pages"] == total


def pywb_command(name: str) -> str:
    for candidate in (ROOT / ".venv-pywb" / "bin" / name, shutil.which(name)):
        if candidate and Path(candidate).exists():
            return str(candidate)
    pytest.skip(f"pywb's {name} is not installed (scripts/test.sh installs it in .venv-pywb)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_warc_of_the_archive_replays_an_arabic_article_in_pywb(archive_db, tmp_path):
    from warcio.archiveiterator import ArchiveIterator

    warc = tmp_path / "archive.warc.gz"
    result = CliRunner().invoke(
        cli, ["export", "--format", "warc", "--db", str(archive_db), "-o", str(warc)]
    )
    assert result.exit_code == 0, result.output
    with Archive(archive_db) as archive:
        captures = archive.db.execute("SELECT count(*) FROM captures").fetchone()[0]
        url, sha256 = archive.db.execute(
            "SELECT c.url, c.sha256 FROM captures c JOIN articles a ON a.id = c.article_id "
            "WHERE a.language = 'ar' ORDER BY c.id LIMIT 1"
        ).fetchone()
    with open(warc, "rb") as stream:
        records = [
            (
                r.rec_type,
                r.rec_headers.get_header("WARC-Target-URI"),
                hashlib.sha256(r.content_stream().read()).hexdigest(),
            )
            for r in ArchiveIterator(stream)
        ]
    responses = [r for r in records if r[0] == "response"]
    assert len(responses) == captures == sum(r[0] == "request" for r in records)
    assert (url, sha256) in {(u, h) for _, u, h in responses}

    wb_manager, wayback = pywb_command("wb-manager"), pywb_command("wayback")
    subprocess.run([wb_manager, "init", "news"], cwd=tmp_path, check=True, capture_output=True)
    subprocess.run(
        [wb_manager, "add", "news", str(warc)], cwd=tmp_path, check=True, capture_output=True
    )
    port = free_port()
    server = subprocess.Popen(
        [wayback, "-p", str(port), "-b", "127.0.0.1"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        # id_: the page as archived, without pywb's rewriting.
        replay = f"http://127.0.0.1:{port}/news/id_/{quote(url, safe=':/%')}"
        deadline, body = time.monotonic() + 60, None
        while body is None:
            try:
                with urllib.request.urlopen(replay, timeout=10) as response:
                    body = response.read()
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert hashlib.sha256(body).hexdigest() == sha256


def test_history_takes_an_article_id_or_a_url_without_its_scheme(archive_db):
    with Archive(archive_db) as archive:
        article_id = archive.lookup(EDITED["url"])
    bare = EDITED["url"].split("://", 1)[1]
    outputs = []
    for reference in (str(article_id), bare, EDITED["url"]):
        result = CliRunner().invoke(
            cli, ["history", reference, "--db", str(archive_db), "--no-color"]
        )
        assert result.exit_code == 0, result.output
        outputs.append(result.output)
    assert outputs[0] == outputs[1] == outputs[2] and "2 versions" in outputs[0]
    result = CliRunner().invoke(cli, ["history", "999999", "--db", str(archive_db)])
    assert result.exit_code == 1 and "no article 999999" in result.output
