"""scraper.offline.server: real HTTP against a small site copy made in tmp_path."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from scraper.offline.copies import DEFAULT_LAST_MODIFIED, SiteCopy, SiteCopyError
from scraper.offline.server import MirrorServer, Request

SITE_TOML = """
host = "example.com"
scheme = "https"

[routes."/feed"]
file = "feed.xml"
content_type = "application/rss+xml; charset=UTF-8"
last_modified = "Tue, 02 Dec 2025 10:00:00 GMT"

[routes."/old-url.html"]
location = "https://example.com/news/1/story.html"

[routes."/gone.html"]
status = 410

[routes."/teapot"]
file = "news/1/story.html"
status = 418
headers = { X-Extra = "yes" }

[routes."/later.html"]
file = "later.html"
overlay_only = true

[overlays.edited]
dir = "edited"
"""


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture()
def site_dir(tmp_path: Path) -> Path:
    root = tmp_path / "example"
    write(root / "site.toml", SITE_TOML)
    www = root / "www"
    write(www / "index.html", "<html>home</html>")
    write(www / "robots.txt", "User-agent: *\nDisallow: /private/\n")
    write(www / "feed.xml", "<rss/>")
    write(www / "news" / "1" / "story.html", "<html>first version</html>")
    write(www / "category" / "news" / "index.html", "<html>news listing</html>")
    write(www / "sitemaps" / "index.xml", "<sitemapindex/>")
    write(root / "edited" / "news" / "1" / "story.html", "<html>second version</html>")
    write(root / "edited" / "later.html", "<html>published later</html>")
    return root


@pytest.fixture()
def other_dir(tmp_path: Path) -> Path:
    root = tmp_path / "other"
    write(
        root / "site.toml", 'host = "other.org"\nlast_modified = "Sun, 01 Jun 2025 00:00:00 GMT"\n'
    )
    write(root / "www" / "index.html", "<html>other home</html>")
    return root


@pytest.fixture()
def server(site_dir: Path, other_dir: Path):
    with MirrorServer([SiteCopy.load(site_dir), SiteCopy.load(other_dir)]) as srv:
        yield srv


def fetch(server: MirrorServer, path: str, method: str = "GET", host: str | None = None, **hdrs):
    headers = dict(hdrs)
    if host is not None:
        headers["X-Mirror-Host"] = host
    req = urllib.request.Request(server.base_url + path, method=method, headers=headers)
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(req, timeout=5) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as err:
        with err:
            return err.code, dict(err.headers), err.read()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_files_and_content_types(server: MirrorServer) -> None:
    status, headers, body = fetch(server, "/news/1/story.html")
    assert status == 200
    assert body == b"<html>first version</html>"
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Content-Length"] == str(len(body))
    assert headers["ETag"].startswith('"')
    assert headers["Last-Modified"] == DEFAULT_LAST_MODIFIED
    status, headers, body = fetch(server, "/robots.txt")
    assert (status, headers["Content-Type"]) == (200, "text/plain; charset=utf-8")
    assert b"Disallow: /private/" in body


def test_query_string_is_ignored_for_lookup(server: MirrorServer) -> None:
    status, _, body = fetch(server, "/news/1/story.html?utm_source=rss&utm_medium=rss")
    assert (status, body) == (200, b"<html>first version</html>")
    assert server.requests[-1].path == "/news/1/story.html?utm_source=rss&utm_medium=rss"


def test_index_resolution(server: MirrorServer) -> None:
    assert fetch(server, "/")[2] == b"<html>home</html>"
    assert fetch(server, "/category/news/")[2] == b"<html>news listing</html>"
    assert fetch(server, "/category/news")[2] == b"<html>news listing</html>"
    status, headers, body = fetch(server, "/sitemaps/")
    assert (status, body) == (200, b"<sitemapindex/>")
    assert headers["Content-Type"] == "application/xml; charset=utf-8"


def test_not_found_and_path_escape(server: MirrorServer) -> None:
    status, headers, body = fetch(server, "/nope.html")
    assert status == 404
    assert headers["Content-Type"].startswith("text/html")
    assert b"Not Found" in body
    assert fetch(server, "/../site.toml")[0] == 404
    assert fetch(server, "/%2e%2e/site.toml")[0] == 404


def test_head(server: MirrorServer) -> None:
    status, headers, body = fetch(server, "/news/1/story.html", method="HEAD")
    assert status == 200
    assert body == b""
    assert headers["Content-Length"] == str(len(b"<html>first version</html>"))
    assert server.requests[-1] == Request("example.com", "HEAD", "/news/1/story.html", 200)


def test_routes(server: MirrorServer) -> None:
    status, headers, body = fetch(server, "/feed")
    assert (status, body) == (200, b"<rss/>")
    assert headers["Content-Type"] == "application/rss+xml; charset=UTF-8"
    assert headers["Last-Modified"] == "Tue, 02 Dec 2025 10:00:00 GMT"

    status, headers, _ = fetch(server, "/old-url.html")
    assert status == 301
    assert headers["Location"] == "https://example.com/news/1/story.html"

    assert fetch(server, "/gone.html")[0] == 410

    status, headers, body = fetch(server, "/teapot")
    assert (status, body) == (418, b"<html>first version</html>")
    assert headers["X-Extra"] == "yes"


def test_conditional_get(server: MirrorServer) -> None:
    _, headers, _ = fetch(server, "/news/1/story.html")
    etag, last_modified = headers["ETag"], headers["Last-Modified"]

    status, headers, body = fetch(server, "/news/1/story.html", **{"If-None-Match": etag})
    assert (status, body) == (304, b"")
    assert headers["ETag"] == etag
    assert fetch(server, "/news/1/story.html", **{"If-None-Match": f'"x", W/{etag}'})[0] == 304
    assert fetch(server, "/news/1/story.html", **{"If-None-Match": '"other"'})[0] == 200

    assert fetch(server, "/news/1/story.html", **{"If-Modified-Since": last_modified})[0] == 304
    later = "Wed, 03 Dec 2025 00:00:00 GMT"
    assert fetch(server, "/news/1/story.html", **{"If-Modified-Since": later})[0] == 304
    earlier = "Sat, 01 Nov 2025 00:00:00 GMT"
    assert fetch(server, "/news/1/story.html", **{"If-Modified-Since": earlier})[0] == 200
    # If-None-Match wins over If-Modified-Since
    hdrs = {"If-None-Match": '"other"', "If-Modified-Since": later}
    assert fetch(server, "/news/1/story.html", **hdrs)[0] == 200
    # a 404 is never "not modified"
    assert fetch(server, "/nope.html", **{"If-None-Match": "*"})[0] == 404
    assert server.requests[-1].status == 404


def test_overlay_swap(server: MirrorServer) -> None:
    _, headers, body = fetch(server, "/news/1/story.html")
    assert body == b"<html>first version</html>"
    etag, last_modified = headers["ETag"], headers["Last-Modified"]
    assert fetch(server, "/later.html")[0] == 404  # overlay_only route

    server.activate_overlay("example.com", "edited")
    status, headers, body = fetch(server, "/news/1/story.html", **{"If-None-Match": etag})
    assert (status, body) == (200, b"<html>second version</html>")
    assert headers["ETag"] != etag
    status, headers, _ = fetch(server, "/news/1/story.html", **{"If-Modified-Since": last_modified})
    assert status == 200  # the overlay's files are newer than the site's
    assert fetch(server, "/later.html")[2] == b"<html>published later</html>"
    assert fetch(server, "/robots.txt")[0] == 200  # files not in the overlay still served

    server.deactivate_overlay("www.example.com", "edited")
    assert fetch(server, "/news/1/story.html")[2] == b"<html>first version</html>"
    assert fetch(server, "/later.html")[0] == 404
    with pytest.raises(KeyError):
        server.activate_overlay("example.com", "nope")


def test_host_routing(server: MirrorServer) -> None:
    assert fetch(server, "/", host="other.org")[2] == b"<html>other home</html>"
    assert fetch(server, "/", host="www.other.org")[2] == b"<html>other home</html>"
    assert fetch(server, "/", host="example.com")[2] == b"<html>home</html>"
    assert fetch(server, "/")[2] == b"<html>home</html>"  # no header: first site
    assert fetch(server, "/", host="unknown.net")[0] == 404
    _, headers, _ = fetch(server, "/", host="other.org")
    assert headers["Last-Modified"] == "Sun, 01 Jun 2025 00:00:00 GMT"
    hosts = [r.host for r in server.requests]
    assert hosts[:4] == ["other.org", "other.org", "example.com", "example.com"]
    base = server.base_url
    assert server.mirrors == {
        "example.com": base,
        "www.example.com": base,
        "other.org": base,
        "www.other.org": base,
    }


def test_requests_log(server: MirrorServer) -> None:
    fetch(server, "/feed?x=1", host="example.com")
    fetch(server, "/nope", method="HEAD")
    assert list(server.requests) == [
        Request("example.com", "GET", "/feed?x=1", 200),
        Request("example.com", "HEAD", "/nope", 404),
    ]
    assert server.requests[0].user_agent.startswith("Python-urllib")
    assert server.requests[0].started <= server.requests[1].started
    assert server.requests.paths(method="GET") == ["/feed?x=1"]
    server.requests.clear()
    assert len(server.requests) == 0


def test_faults(server: MirrorServer) -> None:
    server.set_fault("example.com", "/feed", status=503, headers={"Retry-After": "120"})
    status, headers, _ = fetch(server, "/feed")
    assert (status, headers["Retry-After"]) == (503, "120")
    assert fetch(server, "/feed", host="other.org")[0] == 404  # other site unaffected

    server.set_fault("example.com", "/news/1/story.html", status=429, body="slow down", times=1)
    status, _, body = fetch(server, "/news/1/story.html?page=2")
    assert (status, body) == (429, b"slow down")
    assert fetch(server, "/news/1/story.html")[0] == 200  # times=1 used up

    server.set_fault("example.com", "/robots.txt", status=None, delay=0.3)
    started = time.monotonic()
    status, _, body = fetch(server, "/robots.txt")
    assert status == 200 and b"Disallow" in body
    assert time.monotonic() - started >= 0.3

    server.clear_faults()
    assert fetch(server, "/feed")[0] == 200
    assert [r.status for r in server.requests][:2] == [503, 404]


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def test_stop_frees_the_port_even_during_a_slow_response(site_dir: Path) -> None:
    server = MirrorServer([SiteCopy.load(site_dir)]).start()
    port = server.port
    assert not port_is_free(port)
    assert fetch(server, "/")[0] == 200
    server.set_fault("example.com", "/", status=None, delay=30)
    pending = threading.Thread(target=lambda: _swallow(fetch, server, "/"), daemon=True)
    pending.start()
    time.sleep(0.1)
    started = time.monotonic()
    server.stop()
    assert time.monotonic() - started < 2
    assert not server.running
    assert port_is_free(port)
    server.stop()  # idempotent
    with pytest.raises(RuntimeError):
        _ = server.base_url
    # the same port can be served again
    with MirrorServer([SiteCopy.load(site_dir)], port=port) as again:
        assert fetch(again, "/")[0] == 200


def _swallow(func, *args) -> None:
    try:
        func(*args)
    except Exception:
        pass


def test_bad_site_copies(tmp_path: Path) -> None:
    with pytest.raises(SiteCopyError, match="site.toml"):
        SiteCopy.load(tmp_path)
    write(tmp_path / "site.toml", 'scheme = "https"\n')
    (tmp_path / "www").mkdir()
    with pytest.raises(SiteCopyError, match="'host' is required"):
        SiteCopy.load(tmp_path)
    write(tmp_path / "site.toml", 'host = "a.b"\n[routes."/x"]\nfiel = "x.html"\n')
    with pytest.raises(SiteCopyError, match="unknown key"):
        SiteCopy.load(tmp_path)
    write(tmp_path / "site.toml", 'host = "a.b"\n[overlays.e]\ndir = "missing"\n')
    with pytest.raises(SiteCopyError, match="not a directory"):
        SiteCopy.load(tmp_path)


def test_command_line_entry(site_dir: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    root = Path(__file__).resolve().parents[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "scraper.offline.server", str(site_dir), "--port", str(port), "-q"],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline()
        assert f"http://127.0.0.1:{port}" in line, line + proc.stderr.read()
        url = f"http://127.0.0.1:{port}/news/1/story.html"
        with urllib.request.urlopen(url, timeout=5) as resp:
            assert resp.read() == b"<html>first version</html>"
    finally:
        proc.terminate()
        proc.wait(timeout=5)


def test_copies_sharing_a_host_split_it_by_path_prefix(tmp_path: Path, site_dir: Path) -> None:
    section = tmp_path / "example-en"
    write(section / "site.toml", 'host = "example.com"\npath_prefix = "/en/"\n')
    write(section / "www" / "en" / "index.html", "<html>english home</html>")
    write(section / "www" / "robots.txt", "User-agent: *\n")
    with MirrorServer([SiteCopy.load(section), SiteCopy.load(site_dir)]) as srv:
        assert fetch(srv, "/en/", host="example.com")[2] == b"<html>english home</html>"
        assert fetch(srv, "/", host="example.com")[2] == b"<html>home</html>"
        assert b"Disallow: /private/" in fetch(srv, "/robots.txt", host="example.com")[2]
        assert srv.site("example.com").root == site_dir
        srv.activate_overlay("example.com", "edited")
        assert fetch(srv, "/news/1/story.html", host="example.com")[2] == (
            b"<html>second version</html>"
        )
    with MirrorServer([SiteCopy.load(section)]) as srv:  # alone, it answers the whole host
        assert fetch(srv, "/robots.txt", host="example.com")[2] == b"User-agent: *\n"
    write(section / "site.toml", 'host = "example.com"\npath_prefix = "en"\n')
    with pytest.raises(SiteCopyError, match="path_prefix"):
        SiteCopy.load(section)


@pytest.mark.parametrize(
    ("mirrors", "overrides", "offline"),
    [
        (None, {}, False),  # a crawl of the real sites
        ({"syrianobserver.com": "http://127.0.0.1:9"}, {}, True),
        (None, {"NEWSARCHIVE_MIRRORS_ONLY": "true"}, True),  # `-s` on a command line
    ],
)
def test_only_a_crawl_of_the_offline_copies_gets_their_download_handler(
    tmp_path, mirrors, overrides, offline
):
    from scrapy import Spider
    from scrapy.crawler import Crawler

    from scraper.crawl import crawl_settings
    from scraper.offline.addon import HANDLER

    settings = crawl_settings(tmp_path / "a.db", mirrors=mirrors, overrides=overrides)
    crawler = Crawler(Spider, settings)
    crawler.addons.load_settings(crawler.settings)  # as Scrapy does when the crawl starts
    handlers = crawler.settings.getdict("DOWNLOAD_HANDLERS")
    assert [handlers.get(scheme) == HANDLER for scheme in ("http", "https")] == [offline] * 2
