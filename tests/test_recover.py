"""`newsarchive recover` end to end, against a real web archive on 127.0.0.1.

A WARC (warcio) holds captures of Syria Direct's offline copy under their real
URLs: three articles, one of them captured twice with an edited sentence, a
page that is no article (/donate/), a copy on a host outside the source's
scope, and an image. pywb serves it as a collection, through its CDX API and
its raw (``id_``) replay. Between the recovery and pywb sits a small proxy of
our own (``ArchiveProxy``) that answers the CDX API the Wayback Machine's way
(one JSON array, a resume key after each capped page), and can answer 429
with Retry-After, or hold a replay request forever (so the run can be killed
mid-way). Every recovery runs through the CLI in its own process: Scrapy's
reactor runs once per process.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from benchmarks.corpus_site import free_port
from scraper.offline import SITES
from tests.conftest import expected
from tests.local_http import Handler, serving

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
COPY = SITES / "syriadirect" / "www"
SITE = "https://syriadirect.org/"
EDITED = f"{SITE}qamishli-bakers-adapt-to-flour-shortages/"
OTHERS = [
    f"{SITE}damascus-rent-prices-push-families-to-the-city-edges/",
    f"{SITE}returning-teachers-face-long-wait-for-reinstatement-in-idlib/",
]
ARTICLES = [EDITED, *OTHERS]
# What the second capture of EDITED says instead of its first paragraph's opening.
ADDED = "EDITORS NOTE: this report was corrected after publication."
LOCAL = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=false"]


def page(url: str) -> bytes:
    return (COPY / urlsplit(url).path.strip("/") / "index.html").read_bytes()


def edited_page() -> bytes:
    """EDITED with a sentence put before its first paragraph's text."""
    html = page(EDITED).decode("utf-8")
    assert "<p>QAMISHLI" in html
    return html.replace("<p>QAMISHLI", f"<p>{ADDED} QAMISHLI", 1).encode("utf-8")


# (original URL, capture timestamp, body, content type): in time order.
CAPTURES = [
    (EDITED, "20240105120000", page(EDITED), "text/html; charset=UTF-8"),
    (OTHERS[0], "20240210080000", page(OTHERS[0]), "text/html; charset=UTF-8"),
    (OTHERS[1], "20240211090000", page(OTHERS[1]), "text/html; charset=UTF-8"),
    (f"{SITE}donate/", "20240212000000", page(f"{SITE}donate/"), "text/html; charset=UTF-8"),
    (
        "https://ar.syriadirect.org/qamishli-bakers-adapt-to-flour-shortages/",
        "20240213000000",
        page(EDITED),
        "text/html; charset=UTF-8",
    ),
    (f"{SITE}wp-content/uploads/ferry.jpg", "20240214000000", b"\xff\xd8\xff", "image/jpeg"),
    (EDITED, "20240301100000", edited_page(), "text/html; charset=UTF-8"),
]


def write_warc(path: Path) -> None:
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for url, ts, body, content_type in CAPTURES:
            http = StatusAndHeaders("200 OK", [("Content-Type", content_type)], "HTTP/1.1")
            date = f"{ts[:4]}-{ts[4:6]}-{ts[6:8]}T{ts[8:10]}:{ts[10:12]}:{ts[12:]}Z"
            record = writer.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(body),
                http_headers=http,
                warc_headers_dict={"WARC-Date": date},
            )
            writer.write_record(record)


def pywb_command(name: str) -> str:
    for candidate in (
        ROOT / ".venv-pywb" / "bin" / name,
        Path(sys.executable).parents[2] / ".venv-pywb" / "bin" / name,  # the main checkout's
        shutil.which(name),
    ):
        if candidate and Path(candidate).exists():
            return str(candidate)
    pytest.skip(f"pywb's {name} is not installed (scripts/test.sh installs it in .venv-pywb)")


@contextlib.contextmanager
def pywb_serving(home: Path, warc: Path, config: str = ""):
    """pywb's wayback serving ``warc`` as collection 'news' from ``home``, with ``config``
    as its config.yaml; its base URL."""
    wb_manager, wayback = pywb_command("wb-manager"), pywb_command("wayback")
    for args in (["init", "news"], ["add", "news", str(warc)]):
        subprocess.run([wb_manager, *args], cwd=home, check=True, capture_output=True)
    if config:
        (home / "config.yaml").write_text(config)
    port = free_port()
    server = subprocess.Popen(
        [wayback, "-p", str(port), "-b", "127.0.0.1"],
        cwd=home,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/news/cdx?url=syriadirect.org", timeout=5).read()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="module")
def pywb(tmp_path_factory):
    """pywb's wayback serving the captures as collection 'news'; its base URL."""
    home = tmp_path_factory.mktemp("pywb")
    write_warc(home / "captures.warc.gz")
    with pywb_serving(home, home / "captures.warc.gz") as base:
        yield base


class ArchiveProxy:
    """What the proxy in front of pywb was asked, and how it is to answer (see the module
    docstring): ``page_size`` CDX rows a page; ``faults``, one per replay request until
    they run out, each "429" (with Retry-After: 1), "503", "404" or "truncated" (half
    the body, then the connection closed); ``hold_after`` replays passed before the
    next one is held forever; ``redirect_to``, original URLs whose replay answers a
    redirect to that URL (the live page); ``refuse_reverse``: a CDX query sorted in
    reverse answered 400."""

    def __init__(
        self,
        pywb: str,
        page_size: int = 2,
        faults=(),
        hold_after=None,
        redirect_to=(),
        refuse_reverse=False,
    ):
        self.pywb = pywb
        self.refuse_reverse = refuse_reverse
        self.redirect_to = set(redirect_to)
        self.page_size = page_size
        self.faults = list(faults)
        self.hold_after = hold_after
        self.requests: list[str] = []
        self.holding = threading.Event()
        self.release = threading.Event()

    def replays(self) -> list[str]:
        """The captures asked for, as ``<timestamp>id_/<original URL>``."""
        return [r.split("/news/", 1)[1] for r in self.requests if "id_/" in r]

    def resume_keys(self) -> list[str | None]:
        """The resume key of each CDX page asked for (None: the first page)."""
        queries = [urlsplit(r).query for r in self.requests if "/cdx" in r]
        return [dict(parse_qsl(q)).get("resumeKey") for q in queries]

    def cdx(self, query: str) -> bytes:
        """pywb's answer as the Wayback Machine gives it: rows, then [] and [resume key]."""
        params = [(k, v) for k, v in parse_qsl(query) if k not in ("limit", "resumeKey")]
        start = int(dict(parse_qsl(query)).get("resumeKey") or 0)
        with urllib.request.urlopen(f"{self.pywb}/news/cdx?{urlencode(params)}") as answer:
            lines = [json.loads(line) for line in answer.read().splitlines() if line.strip()]
        fields = ["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest"]
        names = {"original": "url", "mimetype": "mime", "statuscode": "status"}
        rows = [[line.get(names.get(f, f), "") for f in fields] for line in lines]
        chunk = rows[start : start + self.page_size]
        more = start + self.page_size < len(rows)
        tail = [[], [str(start + self.page_size)]] if more else []
        return json.dumps([fields, *chunk, *tail]).encode()

    def handler(self) -> type[Handler]:
        proxy = self

        class Proxy(Handler):
            def do_GET(self):
                proxy.requests.append(self.path)
                path, _, query = self.path.partition("?")
                if path.endswith("/cdx") and proxy.refuse_reverse and "sort=reverse" in query:
                    self.answer(400, b"unknown parameter: sort", "text/plain")
                elif path.endswith("/cdx"):
                    self.answer(200, proxy.cdx(query), "application/json")
                    return
                fault = proxy.faults.pop(0) if "id_/" in path and proxy.faults else None
                if fault in ("429", "503", "404"):
                    self.send_response(int(fault))
                    if fault == "429":
                        self.send_header("Retry-After", "1")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                original = path.split("id_/", 1)[-1]
                if "id_/" in path and original in proxy.redirect_to:
                    # A replay that sends the client to the live page (a bad archive).
                    self.send_response(302)
                    self.send_header("Location", original)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if "id_/" in path and proxy.hold_after is not None:
                    if len(proxy.replays()) > proxy.hold_after:
                        proxy.holding.set()
                        proxy.release.wait()
                        return
                try:
                    with urllib.request.urlopen(f"{proxy.pywb}{self.path}") as answer:
                        body, status = answer.read(), answer.status
                        content_type = answer.headers.get("Content-Type", "text/html")
                except urllib.error.HTTPError as error:
                    body, status = error.read(), error.code
                    content_type = error.headers.get("Content-Type", "text/plain")
                if fault == "truncated":
                    self.send_response(status)
                    self.send_header("Content-Type", content_type)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body[: len(body) // 2])
                    self.close_connection = True
                    return
                self.answer(status, body, content_type)

        return Proxy


def recover(db: Path, base: str, *args: str, wait: bool = True, extra=(), sources=None):
    """`newsarchive recover` through the CLI, in a process of its own."""
    if sources is not None:
        args = (*args, "--sources", str(sources))
    command = [
        sys.executable,
        "-m",
        "scraper.cli",
        *LOCAL,
        *extra,
        "recover",
        *args,
        "--db",
        str(db),
        "--cdx",
        f"{base}/news/cdx",
        "--replay",
        f"{base}/news/",
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if not wait:
        return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)


def rows(db: Path, sql: str, params=()) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


def test_a_source_is_rebuilt_under_its_original_urls_with_provenance(pywb, tmp_path):
    db = tmp_path / "archive.db"
    proxy = ArchiveProxy(pywb)
    with serving(proxy.handler()) as base:
        result = recover(db, base, "syriadirect")
    assert result.returncode == 0, result.stderr
    assert sorted(u for (u,) in rows(db, "SELECT url FROM articles")) == sorted(ARTICLES)
    captures = rows(
        db,
        "SELECT a.url, c.url, c.archive, c.archived_at, c.replay_url FROM captures c "
        "JOIN articles a ON a.id = c.article_id ORDER BY c.archived_at",
    )
    assert len(captures) == 4
    for article, url, archive, archived_at, replay in captures:
        assert url == article and archive == f"{base}/news/cdx"
        stamp = archived_at.replace("-", "").replace("T", "").replace(":", "")[:14]
        assert replay == f"{base}/news/{stamp}id_/{article}"
    # The changed capture is a revision, dated by its capture; the text is extracted with
    # the source's rules, as a live crawl's.
    ((first_seen, body),) = rows(
        db, "SELECT first_seen, body FROM articles WHERE url = ?", [EDITED]
    )
    assert first_seen == "2024-01-05T12:00:00+00:00" and body.startswith(ADDED)
    revisions = rows(db, "SELECT revised_at, body FROM revisions")
    assert len(revisions) == 1 and revisions[0][0] == "2024-03-01T10:00:00+00:00"
    assert ADDED not in revisions[0][1]
    known = {a["url"]: a for a in expected("syriadirect")["articles"]}
    for url in OTHERS:
        (body,) = rows(db, "SELECT body FROM articles WHERE url = ?", [url])[0]
        assert body == known[url]["body"]
    # The CDX listing came in pages of two, each asked for with the last page's key.
    # (the image is not listed: the filter asks for HTML).
    assert proxy.resume_keys() == [None, "2", "4"]
    # Out of scope: refused, never fetched; no page, image included, fetched twice.
    assert not [r for r in proxy.replays() if "ar.syriadirect.org" in r or ".jpg" in r]
    assert len(proxy.replays()) == len(set(proxy.replays())) == 4
    (refusal,) = rows(db, "SELECT error FROM failures WHERE stage = 'scope'")
    assert "ar.syriadirect.org" in refusal[0]


def test_the_warc_export_keeps_the_original_url_and_the_capture_date(pywb, tmp_path):
    from click.testing import CliRunner
    from warcio.archiveiterator import ArchiveIterator

    from scraper.cli import cli

    db, warc = tmp_path / "archive.db", tmp_path / "out.warc.gz"
    ingest_live(db, LIVE, page(LIVE), "2025-11-20T00:00:00+00:00")
    with serving(ArchiveProxy(pywb).handler()) as base:
        assert recover(db, base, EDITED).returncode == 0
    result = CliRunner().invoke(
        cli, ["export", "--format", "warc", "--db", str(db), "-o", str(warc)]
    )
    assert result.exit_code == 0, result.output
    with open(warc, "rb") as stream:
        records = [
            (
                r.rec_type,
                r.rec_headers.get_header("WARC-Target-URI"),
                r.rec_headers.get_header("WARC-Date")[:19],
            )
            for r in ArchiveIterator(stream)
            if r.rec_type in ("response", "request")
        ]
    # Each capture's response and request: the original URL (never the replay address),
    # dated by the web archive's capture; the live fetch by its own date.
    assert records == [
        (kind, url, date)
        for url, date in (
            (LIVE, "2025-11-20T00:00:00"),
            (EDITED, "2024-01-05T12:00:00"),
            (EDITED, "2024-03-01T10:00:00"),
        )
        for kind in ("response", "request")
    ]


def test_a_second_run_fetches_no_capture_again(pywb, tmp_path):
    db = tmp_path / "archive.db"
    proxy = ArchiveProxy(pywb)
    with serving(proxy.handler()) as base:
        assert recover(db, base, "syriadirect").returncode == 0
        proxy.requests.clear()
        again = recover(db, base, "syriadirect")
    assert again.returncode == 0, again.stderr
    assert proxy.replays() == [] and proxy.resume_keys() == [None, "2", "4"]


def test_one_articles_captures_become_its_versions(pywb, tmp_path):
    db = tmp_path / "archive.db"
    proxy = ArchiveProxy(pywb)
    with serving(proxy.handler()) as base:
        result = recover(db, base, EDITED)
    assert result.returncode == 0, result.stderr
    assert rows(db, "SELECT url FROM articles") == [(EDITED,)]
    assert len(proxy.replays()) == 2
    out = history_of(db, EDITED)
    assert "2 versions" in out and ADDED in out


def test_an_article_archived_live_keeps_its_record(pywb, tmp_path):
    db = tmp_path / "archive.db"
    live_at = "2025-11-20T00:00:00+00:00"
    ingest_live(db, EDITED, page(EDITED), live_at)
    with serving(ArchiveProxy(pywb).handler()) as base:
        result = recover(db, base, EDITED)
    assert result.returncode == 0, result.stderr
    ((first_seen, last_seen, body),) = rows(
        db, "SELECT first_seen, last_seen, body FROM articles WHERE url = ?", [EDITED]
    )
    # The live text stays; the web archive saw it first, on 5 January 2024.
    assert (first_seen, last_seen) == ("2024-01-05T12:00:00+00:00", live_at)
    assert ADDED not in body
    # The older capture with the live text is evidence only; the edited one a version
    # between it and the live crawl: the live text until 1 March 2024, then the edited
    # one until the live crawl saw the first again.
    revisions = rows(db, "SELECT revised_at, body FROM revisions ORDER BY revised_at")
    assert [r[0] for r in revisions] == ["2024-03-01T10:00:00+00:00", live_at]
    assert revisions[0][1] == body and revisions[1][1].startswith(ADDED)
    provenance = rows(db, "SELECT archived_at FROM captures ORDER BY id")
    assert provenance == [(None,), ("2024-01-05T12:00:00+00:00",), ("2024-03-01T10:00:00+00:00",)]


def history_of(db: Path, url: str) -> str:
    history = subprocess.run(
        [sys.executable, "-m", "scraper.cli", "history", url, "--db", str(db), "--no-color"],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert history.returncode == 0, history.stderr
    return history.stdout


def test_older_captures_recovered_after_a_newer_live_version_go_before_it(pywb, tmp_path):
    """A live crawl in 2025 archived a third text; the web archive's two captures from
    2024 arrive after it, the newer first (a recovery from February), then the older:
    the history runs by the captures' dates, and the live text stays the current one."""
    db = tmp_path / "archive.db"
    live_at = "2025-11-20T00:00:00+00:00"
    live_note = "UPDATE: the bakeries reopened in November."
    html = page(EDITED).decode("utf-8").replace("<p>QAMISHLI", f"<p>{live_note} QAMISHLI", 1)
    ingest_live(db, EDITED, html.encode("utf-8"), live_at)
    with serving(ArchiveProxy(pywb).handler()) as base:
        for since in ("2024-02-01", "2024-01-01"):
            result = recover(db, base, EDITED, "--since", since)
            assert result.returncode == 0, result.stderr
    ((first_seen, last_seen, body),) = rows(
        db, "SELECT first_seen, last_seen, body FROM articles WHERE url = ?", [EDITED]
    )
    assert body.startswith(live_note) and (first_seen, last_seen) == (
        "2024-01-05T12:00:00+00:00",
        live_at,
    )
    out = history_of(db, EDITED)
    assert "3 versions" in out, out
    lines = [line for line in out.splitlines() if line.startswith("version ")]
    assert lines == [
        "version 1: archived 2024-01-05T12:00:00+00:00 until 2024-03-01T10:00:00+00:00",
        f"version 2: archived 2024-03-01T10:00:00+00:00 until {live_at}",
        f"version 3: archived {live_at} (current)",
    ]
    # Version 2 added the editors' note, version 3 the live crawl's line instead.
    second, third = out.split("version 2:")[1].split("version 3:")
    assert f"{{+{ADDED}" in second
    assert "[-EDITORS NOTE-]{+UPDATE+}" in third and "November" in third


def test_429_503_and_a_truncated_body_are_retried(pywb, tmp_path):
    db = tmp_path / "archive.db"
    proxy = ArchiveProxy(pywb, faults=["429", "503", "truncated"])
    with serving(proxy.handler()) as base:
        result = recover(db, base, EDITED)
    assert result.returncode == 0, result.stderr
    # The first capture answered 429 (Retry-After), the second 503, the first again a
    # truncated body: each asked again (first in, first out) until it came whole.
    first, second = f"20240105120000id_/{EDITED}", f"20240301100000id_/{EDITED}"
    assert proxy.replays() == [first, second, first, second, first]
    assert rows(db, "SELECT count(*) FROM failures") == [(0,)]
    stored = rows(
        db, "SELECT c.archived_at, b.size FROM captures c JOIN page_bodies b USING (sha256)"
    )
    assert sorted(stored) == [
        ("2024-01-05T12:00:00+00:00", len(page(EDITED))),
        ("2024-03-01T10:00:00+00:00", len(edited_page())),
    ]


def test_captures_that_all_fail_fail_the_run_with_one_error_line(pywb, tmp_path):
    db = tmp_path / "archive.db"
    with serving(ArchiveProxy(pywb, faults=["404", "404"]).handler()) as base:
        result = recover(db, base, EDITED)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "syriadirect: failed: recovered nothing" in errors[0], result.stderr
    failures = rows(db, "SELECT source, url, error FROM failures ORDER BY id")
    assert [(s, e) for s, _u, e in failures] == [("syriadirect", "HTTP 404")] * 2
    assert all(u.endswith(f"id_/{EDITED}") for _s, u, _e in failures)
    assert rows(db, "SELECT count(*) FROM articles") == [(0,)]


def test_a_killed_recovery_resumes_without_fetching_what_it_stored(pywb, tmp_path):
    db = tmp_path / "archive.db"
    proxy = ArchiveProxy(pywb, hold_after=2)
    with serving(proxy.handler()) as base:
        # Each capture committed as it is stored: the kill finds two stored.
        process = recover(
            db, base, "syriadirect", wait=False, extra=["-s", "NEWSARCHIVE_BATCH_SIZE=1"]
        )
        try:
            assert proxy.holding.wait(timeout=240), "the recovery never reached its third capture"
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
        finally:
            proxy.hold_after = None
            proxy.release.set()
            if process.poll() is None:
                process.kill()
        stored = {u.split("/news/", 1)[1] for (u,) in rows(db, "SELECT replay_url FROM captures")}
        assert len(stored) == 2
        # It was working on the listing's second page: asked for again, not the first.
        assert rows(db, "SELECT resume_key FROM recover_queries") == [("2",)]
        proxy.requests.clear()
        result = recover(db, base, "syriadirect")
    assert result.returncode == 0, result.stderr
    assert proxy.resume_keys() == ["2", "4"]
    assert proxy.replays() and not set(proxy.replays()) & stored
    assert sorted(u for (u,) in rows(db, "SELECT url FROM articles")) == sorted(ARTICLES)
    assert rows(db, "SELECT count(*) FROM captures") == [(4,)]
    assert rows(db, "SELECT count(*) FROM recover_queries") == [(0,)]


def test_a_recovery_that_recovers_nothing_fails(pywb, tmp_path):
    db = tmp_path / "archive.db"
    with serving(ArchiveProxy(pywb).handler()) as base:
        result = recover(db, base, "syriadirect", "--until", "2023-12-31")
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "syriadirect" in errors[0] and "recovered nothing" in errors[0]


def test_a_pywb_that_cuts_its_answers_short_is_listed_whole(tmp_path):
    """pywb caps every CDX answer at its query_limit, whatever limit is asked, and gives
    no resume key: the recovery notices and lists the captures by halves of time."""
    home = tmp_path / "pywb"
    home.mkdir()
    write_warc(home / "captures.warc.gz")
    db = tmp_path / "archive.db"
    with pywb_serving(home, home / "captures.warc.gz", "query_limit: 2\n") as base:
        query = f"{base}/news/cdx?url=syriadirect.org&matchType=domain&output=json&limit=1000"
        with urllib.request.urlopen(query, timeout=30) as answer:
            assert len(answer.read().splitlines()) == 2  # six HTML captures, two listed
        result = recover(db, base, "syriadirect")
    assert result.returncode == 0, result.stderr
    assert sorted(u for (u,) in rows(db, "SELECT url FROM articles")) == sorted(ARTICLES)
    stamps = rows(db, "SELECT archived_at FROM captures ORDER BY archived_at")
    assert [s[:10] for (s,) in stamps] == ["2024-01-05", "2024-02-10", "2024-02-11", "2024-03-01"]
    (run,) = rows(db, "SELECT status, new, revised, failed FROM crawl_runs")
    assert run == ("finished", 3, 1, 0)


LIVE = f"{SITE}suwayda-farmers-turn-to-solar-pumps-as-diesel-prices-climb/"


def ingest_live(db: Path, url: str, body: bytes, at: str) -> None:
    """``url`` archived as a live crawl stores it, fetched at ``at`` with ``body``."""
    from archive.captures import Capture
    from archive.ingest import ingest_page
    from archive.store import Archive
    from scraper.extraction import process_page

    live = process_page(body, "utf-8", url, "syriadirect", (), {}, at)
    with Archive(db) as archive:
        capture = Capture(url=url, status=200, body=body, fetched_at=at)
        ingest_page(
            archive,
            live.extraction,
            source="syriadirect",
            capture=capture,
            now=at,
            fingerprints=live.fingerprints,
        )


@pytest.fixture(scope="module")
def recovered(pywb, tmp_path_factory):
    """An archive with one article crawled live and the source recovered; its path and
    the CDX address the recovery used."""
    db = tmp_path_factory.mktemp("provenance") / "archive.db"
    ingest_live(db, LIVE, page(LIVE), "2025-11-20T00:00:00+00:00")
    with serving(ArchiveProxy(pywb).handler()) as base:
        result = recover(db, base, "syriadirect")
    assert result.returncode == 0, result.stderr
    return db, f"{base}/news/cdx"


def article_id(db: Path, url: str) -> int:
    return rows(db, "SELECT id FROM articles WHERE url = ?", [url])[0][0]


def test_the_article_page_says_where_each_recovered_capture_came_from(recovered):
    import asyncio
    import html as markup

    from archive.serve import make_datasette

    db, cdx = recovered
    ds = make_datasette(db)
    name = cdx.removeprefix("http://").removesuffix("/cdx")  # 127.0.0.1:PORT/news
    page_html = asyncio.run(ds.client.get(f"/archive/articles/{article_id(db, EDITED)}")).text
    text = markup.unescape(page_html)
    for stamp, shown in (
        ("20240105120000", "2024-01-05 12:00"),
        ("20240301100000", "2024-03-01 10:00"),
    ):
        replay = cdx.removesuffix("cdx") + f"{stamp}id_/{EDITED}"
        assert f'recovered from <a href="{replay}" rel="noopener noreferrer">{name}</a>' in text
        assert "captured <a href=" in text and f"{shown}</time> UTC" in text
    assert text.count('class="na-recovered"') == 2
    # A live article's page says nothing of the kind.
    live_html = asyncio.run(ds.client.get(f"/archive/articles/{article_id(db, LIVE)}")).text
    assert "recovered from" not in live_html and "2025-11-20 00:00 UTC" in live_html
    # A recovered capture's own page says it too, with its replay address.
    (capture_id,) = rows(db, "SELECT id FROM captures WHERE archived_at LIKE '2024-03-01%'")[0]
    capture_html = markup.unescape(
        asyncio.run(ds.client.get(f"/archive/-/capture/{capture_id}")).text
    )
    assert f"recovered from {name}, captured" in capture_html
    assert "2024-03-01 10:00:00 UTC" in capture_html
    assert cdx.removesuffix("cdx") + f"20240301100000id_/{EDITED}" in capture_html


def test_exports_carry_the_provenance_of_each_articles_text(recovered, tmp_path):
    import csv

    from openpyxl import load_workbook

    from archive.export import COLUMNS, export, export_to_file

    db, cdx = recovered
    replay = cdx.removesuffix("cdx")
    assert COLUMNS[-3:] == ["recovered_from", "captured_at", "replay_url"]
    expected_rows = {
        # The current text of the edited article is its later capture's.
        EDITED: (cdx, "2024-03-01T10:00:00+00:00", f"{replay}20240301100000id_/{EDITED}"),
        OTHERS[0]: (cdx, "2024-02-10T08:00:00+00:00", f"{replay}20240210080000id_/{OTHERS[0]}"),
        OTHERS[1]: (cdx, "2024-02-11T09:00:00+00:00", f"{replay}20240211090000id_/{OTHERS[1]}"),
        LIVE: ("", "", ""),
    }
    out = io.StringIO()
    assert export(db, out, format="csv") == 4
    found = {r["url"]: r for r in csv.DictReader(io.StringIO(out.getvalue()))}
    assert {u: tuple(r[c] for c in COLUMNS[-3:]) for u, r in found.items()} == expected_rows
    out = io.StringIO()
    export(db, out, format="jsonl", columns="url,captured_at,replay_url,recovered_from")
    items = {i["url"]: i for i in map(json.loads, out.getvalue().splitlines())}
    assert items[LIVE]["captured_at"] is None
    assert items[EDITED]["recovered_from"] == cdx
    export_to_file(db, tmp_path / "a.xlsx", format="xlsx")
    header, *cells = load_workbook(tmp_path / "a.xlsx", read_only=True).active.iter_rows(
        values_only=True
    )
    assert list(header) == COLUMNS
    by_url = {r[header.index("url")]: r for r in cells}
    assert by_url[EDITED][-3:] == expected_rows[EDITED]
    assert by_url[LIVE][-3:] == (None, None, None)


def test_no_request_reaches_the_sources_own_site(pywb, tmp_path):
    """A source whose site still answers (on localhost here): the recovery asks only the
    web archive, even when the archive's replay redirects to the live page."""
    live: list[str] = []

    class Live(Handler):
        def do_GET(self):
            live.append(self.path)
            self.answer(200, page(OTHERS[0]), "text/html; charset=UTF-8")

    with serving(Live) as site:
        home = site.replace("127.0.0.1", "localhost") + "/"
        sources = tmp_path / "sources.toml"
        sources.write_text(
            f'[gone]\nname = "Gone"\nhomepage = "{home}"\nlanguage = "en"\n'
            f'feeds = ["{home}feed/"]\n'
            f"article_pattern = '^{home}news/[a-z0-9-]+/$'\n"
        )
        urls = [f"{home}news/{urlsplit(u).path.strip('/')}/" for u in ARTICLES]
        captures = [
            (u, f"2024010{i + 1}000000", page(a))
            for i, (u, a) in enumerate(zip(urls, ARTICLES, strict=True))
        ]
        warc_home = tmp_path / "pywb"
        warc_home.mkdir()
        with open(warc_home / "gone.warc.gz", "wb") as out:
            writer = WARCWriter(out, gzip=True)
            for url, ts, body in captures:
                http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], "HTTP/1.1")
                date = f"{ts[:4]}-{ts[4:6]}-{ts[6:8]}T00:00:00Z"
                writer.write_record(
                    writer.create_warc_record(
                        url,
                        "response",
                        payload=io.BytesIO(body),
                        http_headers=http,
                        warc_headers_dict={"WARC-Date": date},
                    )
                )
        with pywb_serving(warc_home, warc_home / "gone.warc.gz") as wayback:
            proxy = ArchiveProxy(wayback, redirect_to={urls[0]})
            with serving(proxy.handler()) as base:
                # Each article by its URL: a CDX server lists a host with a port (this
                # test's site) under its exact URLs, not under a domain query.
                result = recover(tmp_path / "archive.db", base, *urls, sources=sources)
    assert live == []
    # The redirected capture was refused (its article recovered nothing: the run says
    # so and fails); the others were recovered.
    assert result.returncode == 1
    assert "refused: host localhost is not the web archive's" in result.stderr
    db = tmp_path / "archive.db"
    assert sorted(u for (u,) in rows(db, "SELECT url FROM articles")) == sorted(urls[1:])
    (refusal,) = rows(db, "SELECT url, error FROM failures WHERE stage = 'scope'")
    assert refusal[0] == urls[0] and "localhost" in refusal[1]


def test_a_cdx_server_that_refuses_the_reverse_check_fails_nothing(pywb, tmp_path):
    """One page without a resume key is checked by its reverse; a server that answers
    that with 400 leaves the check undone (logged), not the recovery failed."""
    db = tmp_path / "archive.db"
    proxy = ArchiveProxy(pywb, refuse_reverse=True)
    with serving(proxy.handler()) as base:
        result = recover(db, base, EDITED)
    assert result.returncode == 0, result.stderr
    assert any("sort=reverse" in r for r in proxy.requests)
    assert rows(db, "SELECT count(*) FROM captures") == [(2,)]
    assert rows(db, "SELECT count(*) FROM failures") == [(0,)]


def test_captures_of_no_known_type_are_recovered_when_they_are_html(tmp_path):
    """A server that said application/octet-stream (the archive knows no better): the
    capture is fetched when its URL is an article's, and stored when its body is HTML."""
    home = tmp_path / "pywb"
    home.mkdir()
    pdf = f"{SITE}bread-prices-report-2024/"
    with open(home / "untyped.warc.gz", "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for url, body in ((OTHERS[0], page(OTHERS[0])), (pdf, b"%PDF-1.4\n\x00\x01\x02")):
            http = StatusAndHeaders(
                "200 OK", [("Content-Type", "application/octet-stream")], "HTTP/1.1"
            )
            record = writer.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(body),
                http_headers=http,
                warc_headers_dict={"WARC-Date": "2024-02-10T08:00:00Z"},
            )
            writer.write_record(record)
    db = tmp_path / "archive.db"
    with pywb_serving(home, home / "untyped.warc.gz") as base:
        result = recover(db, base, "syriadirect")
    assert rows(db, "SELECT url FROM articles") == [(OTHERS[0],)]
    (body,) = rows(db, "SELECT body FROM articles")[0]
    assert body == {a["url"]: a for a in expected("syriadirect")["articles"]}[OTHERS[0]]["body"]
    (failure,) = rows(db, "SELECT url, error FROM failures")
    assert failure[0].endswith(f"id_/{pdf}") and "not an HTML page" in failure[1]
    assert result.returncode == 0, result.stderr  # one article stored: the run finished
