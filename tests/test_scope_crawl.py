"""Nothing let in: a crawl fetches only its source's own pages, whatever the site links to.

A source without an article pattern (every feed and sitemap entry is an article
by its own say) lives on 127.0.0.1 over plain http. Its feed, sitemap and
listing link, beside its own articles, to another loopback host (127.0.0.2 and
127.0.0.3, where listeners count every connection), to ``localhost`` and other
spellings of this machine's address (``[::1]``, ``2130706433``, ``0x7f.1``),
to ``file:///`` paths (one names a real file holding a secret), to other
schemes and to an outside name; one article and one sitemap redirect to
127.0.0.2. The crawl must fetch none of them, record each refusal once per
reason with stage "scope", and still archive every on-site article.

The whole scenario runs in a network namespace with only loopback (``unshare
-n``): if the scope ever let ``outside.example`` through, its lookup and its
connection would find no network instead of a real DNS server. The namespace's
side writes what it saw to report.json; the test reads it with the archive.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import zlib
from pathlib import Path

import pytest

from tests.local_http import NO_DELAY

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent
SECRET = "SECRET-7f3a9c-do-not-archive"
TRAP_HOSTS = ("127.0.0.2", "127.0.0.3")
ONSITE = [f"story-{n}" for n in range(1, 7)]
WORDS = (
    "farmers council winter rains wheat canals pumps diesel market bakery bread prices "
    "school teachers students clinic doctors medicine road bridge convoy border crossing "
    "village families returned houses rebuilt water electricity generator hours night "
    "harvest orchard olive traders shops salaries currency exchange rent landlord"
).split()


def article(title: str, links: str = "") -> str:
    """A story page: its words drawn from WORDS by its title, so no two are near-duplicates."""
    rng = random.Random(title)
    body = "".join(
        "<p>" + " ".join(rng.choice(WORDS) for _ in range(45)).capitalize() + ".</p>"
        for _ in range(6)
    )
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        '<meta property="og:type" content="article">'
        '<meta property="article:published_time" content="2024-05-02T09:00:00+00:00">'
        f"</head><body><article><h1>{title}</h1>{body}</article>{links}</body></html>"
    )


def bad_links(port: int, trap_port: int, secret_file: Path, where: str) -> list[str]:
    """The links a hostile or careless page may hold; ``where`` keeps their paths apart,
    so a fetch of one would show in the request logs under that name."""
    path = f"/2024/05/{where}-bait/"
    return [
        f"http://127.0.0.2:{trap_port}{path}",
        f"http://127.0.0.3:{trap_port}{path}",
        f"http://localhost:{port}{path}",
        f"http://[::1]:{port}{path}",
        f"http://2130706433:{port}{path}",  # 127.0.0.1 as one decimal number
        f"http://0x7f.1:{port}{path}",  # and in hex shorthand
        secret_file.as_uri(),
        f"file:///etc/passwd?{where}",
        f"http://outside.example{path}",
        # One scheme each place alone links to: its refusal can only come from there.
        f"{UNIQUE_SCHEME[where]}://127.0.0.1{path}",
    ]


# Where each bad link is the only one of its kind, so the refusal shows it was handled there.
UNIQUE_SCHEME = {"feed": "ftp", "sitemap": "sftp", "list": "gopher", "page": "ws"}


def build_site(root: Path, port: int, trap_port: int, secret_file: Path) -> dict:
    """A site copy for 127.0.0.1:``port`` and two sources on it.

    ``local``: a feed, a sitemap index and a listing full of bad links, six articles.
    ``moved``: a feed entry and a sitemap that redirect to 127.0.0.2 and 127.0.0.3,
    and one article of its own.
    """
    base = f"http://127.0.0.1:{port}"
    www = root / "www"
    for slug in [*ONSITE, "moved-story"]:
        page = www / "2024" / "05" / slug / "index.html"
        page.parent.mkdir(parents=True)
        # The articles' own links too: without a pattern they are not followed at all.
        links = bad_links(port, trap_port, secret_file, "page")
        anchors = "".join(f'<a href="{_xml(u)}">more</a>' for u in links)
        page.write_text(article(slug.replace("-", " ").title(), anchors), encoding="utf-8")
    feed = [f"{base}/2024/05/{s}/" for s in ONSITE[:3]]
    _feed(www / "feed.xml", base, feed + bad_links(port, trap_port, secret_file, "feed"))
    _feed(www / "feed-moved.xml", base, [f"{base}/2024/05/moved-story/", f"{base}/2024/05/moved/"])
    sitemap = [f"{base}/2024/05/{s}/" for s in ONSITE[3:5]]
    _urlset(www / "sitemap-1.xml", sitemap + bad_links(port, trap_port, secret_file, "sitemap"))
    _sitemap_index(www / "sitemap.xml", [f"{base}/sitemap-1.xml"])
    _sitemap_index(www / "sitemap-moved.xml", [f"{base}/sitemap-2.xml"])
    listing = [f"{base}/2024/05/{ONSITE[5]}/", *bad_links(port, trap_port, secret_file, "list")]
    anchors = "".join(f'<li><a href="{_xml(u)}">A story</a></li>' for u in listing)
    (www / "news").mkdir()
    (www / "news" / "index.html").write_text(
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>News</title>'
        f"</head><body><ul>{anchors}</ul></body></html>",
        encoding="utf-8",
    )
    (www / "robots.txt").write_text("User-agent: *\nDisallow:\n", encoding="utf-8")
    (root / "site.toml").write_text(
        'host = "127.0.0.1"\nscheme = "http"\n'
        # An article and a sitemap of the site that redirect to other loopback hosts.
        f'[routes."/2024/05/moved/"]\n'
        f'location = "http://127.0.0.2:{trap_port}/2024/05/redirect-bait/"\n'
        f'[routes."/sitemap-2.xml"]\nlocation = "http://127.0.0.3:{trap_port}/sitemap-bait.xml"\n',
        encoding="utf-8",
    )
    (root.parent / "local.toml").write_text(
        f'[local]\nname = "A local site"\nhomepage = "{base}/"\nlanguage = "en"\n'
        f'feeds = ["{base}/feed.xml"]\nsitemaps = ["{base}/sitemap.xml"]\n'
        f'listings = ["{base}/news/"]\npagination = "{{listing}}page/{{n}}/"\n\n'
        f'[moved]\nname = "The same site, moved away"\nhomepage = "{base}/"\nlanguage = "en"\n'
        f'feeds = ["{base}/feed-moved.xml"]\nsitemaps = ["{base}/sitemap-moved.xml"]\n',
        encoding="utf-8",
    )
    return {
        "base": base,
        "onsite": {
            "local": [f"{base}/2024/05/{s}/" for s in ONSITE],
            "moved": [f"{base}/2024/05/moved-story/"],
        },
    }


def _feed(path: Path, base: str, links: list[str]) -> None:
    items = "".join(
        f"<item><title>entry {n}</title><link>{_xml(u)}</link>"
        "<pubDate>Thu, 02 May 2024 09:00:00 +0000</pubDate></item>"
        for n, u in enumerate(links)
    )
    path.write_text(
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Local</title>'
        f"<link>{base}/</link>{items}</channel></rss>",
        encoding="utf-8",
    )


def _urlset(path: Path, links: list[str]) -> None:
    urls = "".join(f"<url><loc>{_xml(u)}</loc></url>" for u in links)
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><urlset '
        f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>',
        encoding="utf-8",
    )


def _sitemap_index(path: Path, links: list[str]) -> None:
    maps = "".join(f"<sitemap><loc>{_xml(u)}</loc></sitemap>" for u in links)
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><sitemapindex '
        f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{maps}</sitemapindex>',
        encoding="utf-8",
    )


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;")


class Trap:
    """A listener on another loopback address that counts the connections it accepts."""

    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.sock = socket.create_server((host, port))
        self.sock.settimeout(0.2)
        self.connections = 0
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            self.connections += 1
            conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n" + SECRET.encode())
            conn.close()

    def close(self) -> None:
        self.stopping.set()
        self.thread.join(timeout=5)
        self.sock.close()


def _loopback_up() -> None:
    """Bring up ``lo`` in a fresh network namespace (it starts down), as `ip link` does."""
    import fcntl
    import struct

    siocgifflags, siocsifflags, iff_up = 0x8913, 0x8914, 0x1
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        request = struct.pack("16sh", b"lo", 0)
        flags = struct.unpack("16sh", fcntl.ioctl(sock, siocgifflags, request))[1]
        fcntl.ioctl(sock, siocsifflags, struct.pack("16sh", b"lo", flags | iff_up))


def run_in_namespace(work: Path) -> None:
    """The namespace's side: serve the site, set the traps, crawl through the CLI."""
    from benchmarks.corpus_site import free_port
    from scraper.offline.copies import SiteCopy
    from scraper.offline.server import MirrorServer

    _loopback_up()
    port, trap_port = free_port(), free_port()
    secret_file = work / "secret.txt"
    secret_file.write_text(SECRET, encoding="utf-8")
    site = build_site(work / "local", port, trap_port, secret_file)
    traps = [Trap(host, trap_port) for host in TRAP_HOSTS]
    try:
        with MirrorServer([SiteCopy.load(work / "local")], port=port) as server:
            crawled = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "scraper.cli",
                    "-v",
                    *NO_DELAY,
                    "-s",
                    "RETRY_TIMES=0",
                    "crawl",
                    "local",
                    "moved",
                    "--sources",
                    "local.toml",
                    "--db",
                    "a.db",
                ],
                cwd=work,
                capture_output=True,
                text=True,
                timeout=240,
                env={**os.environ, "PYTHONPATH": str(REPO)},
            )
            requests = [{"path": r.path, "status": r.status} for r in server.requests]
    finally:
        for trap in traps:
            trap.close()
    report = {
        **site,
        "returncode": crawled.returncode,
        "stdout": crawled.stdout,
        "stderr": crawled.stderr,
        "requests": requests,
        "trap_connections": {t.host: t.connections for t in traps},
    }
    (work / "report.json").write_text(json.dumps(report), encoding="utf-8")


@pytest.fixture(scope="module")
def scoped(tmp_path_factory):
    if shutil.which("unshare") is None or subprocess.run(["unshare", "-n", "true"]).returncode:
        pytest.fail("this test needs `unshare -n` (util-linux, as root): no query may leave")
    work = tmp_path_factory.mktemp("scope")
    inside = subprocess.run(
        ["unshare", "-n", sys.executable, "-m", "tests.test_scope_crawl", str(work)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert inside.returncode == 0, inside.stderr
    report = json.loads((work / "report.json").read_text(encoding="utf-8"))
    db = sqlite3.connect(work / "a.db")
    db.row_factory = sqlite3.Row
    yield report, db
    db.close()


def test_nothing_outside_the_scope_is_fetched(scoped):
    report, _db = scoped
    assert report["trap_connections"] == {host: 0 for host in TRAP_HOSTS}
    # localhost, [::1] and the numeric spellings would reach this very server: the
    # bait paths must not be in its log (nor would the file: or ftp: ones be anywhere).
    assert [r["path"] for r in report["requests"] if "bait" in r["path"]] == []
    # Refused before any lookup: no DNS failure, no connection attempt to anything else.
    log = report["stderr"]
    assert "Traceback" not in log and "DNS lookup failed" not in log
    assert "outside.example" not in {
        line for line in log.splitlines() if "Crawled" in line or "Retrying" in line
    }


def test_the_secret_never_reaches_the_archive(scoped):
    _report, db = scoped
    texts = [
        " ".join(str(v) for v in row)
        for table in ("articles", "captures", "url_aliases", "not_articles")
        for row in db.execute(f"select * from {table}")
    ]
    bodies = [
        zlib.decompress(row["body"]).decode("utf-8", "replace")
        for row in db.execute("select body from page_bodies")
    ]
    assert bodies and not [t for t in texts + bodies if SECRET in t]


def scope_reasons(db, source: str) -> list[str]:
    return [
        row["error"]
        for row in db.execute(
            "select error from failures where stage = 'scope' and source = ?", [source]
        )
    ]


def test_each_refusal_is_recorded_once_per_reason(scoped):
    _report, db = scoped
    reasons = scope_reasons(db, "local")
    assert len(reasons) == len(set(reasons)), reasons  # once per reason and run
    assert all(r.startswith("refused: ") and "\n" not in r for r in reasons)
    expected = [
        "host 127.0.0.2 is not one of local's hosts",
        "host 127.0.0.3 is not one of local's hosts",
        "host localhost is not one of local's hosts",
        "host ::1 is not one of local's hosts",
        "host 2130706433 is not one of local's hosts",
        "host 0x7f.1 is not one of local's hosts",
        "host outside.example is not one of local's hosts",
        "file scheme: only http and https are crawled",
        # Each from the one place that links to it: the feed, the sitemap, the listing.
        "ftp scheme: only http and https are crawled",
        "sftp scheme: only http and https are crawled",
        "gopher scheme: only http and https are crawled",
    ]
    assert sorted(r.removeprefix("refused: ") for r in reasons) == sorted(expected)
    assert not db.execute("select 1 from failures where stage != 'scope'").fetchall()


def test_redirects_to_another_loopback_host_are_refused(scoped):
    _report, db = scoped
    rows = db.execute(
        "select url, error from failures where source = 'moved' order by url"
    ).fetchall()
    assert [(r["url"].rsplit(":", 1)[0], r["error"]) for r in rows] == [
        ("http://127.0.0.2", "refused: host 127.0.0.2 is not one of moved's hosts"),
        ("http://127.0.0.3", "refused: host 127.0.0.3 is not one of moved's hosts"),
    ]


def test_the_sites_own_articles_are_archived(scoped):
    report, db = scoped
    assert report["returncode"] == 0, report["stderr"][-3000:]
    runs = {row["source"]: row for row in db.execute("select * from crawl_runs")}
    assert {s: (r["status"], r["failed"], r["new"]) for s, r in runs.items()} == {
        "local": ("finished", 0, len(ONSITE)),
        "moved": ("finished", 0, 1),
    }
    for source, urls in report["onsite"].items():
        archived = db.execute("select url from articles where source = ?", [source]).fetchall()
        assert {row["url"] for row in archived} == set(urls)


if __name__ == "__main__":
    run_in_namespace(Path(sys.argv[1]))
