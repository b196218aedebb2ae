"""Serve an offline copy of a news site over real HTTP on 127.0.0.1.

The machine that runs the tests and ``newsarchive demo`` has no internet, so
every source has a copy of (part of) its site under ``scraper/offline/sites/<source>/``
(see ``scraper/offline/README.md``). This module serves such copies.

Why a stdlib ``http.server.ThreadingHTTPServer`` in a daemon thread:

* no extra dependency: the server is needed by the tests, the demo and
  debugging sessions, and the standard library already has everything;
* real HTTP: Scrapy talks to it exactly as it talks to the real site (its
  downloader, robots.txt handling, retries, redirects, conditional GET and
  caching all run unchanged), which a fake download handler would skip;
* a thread, not a process: tests can change the served site while a crawl
  runs (overlays, injected faults) and read back what was fetched.

Pages keep the real absolute URLs (``https://syrianobserver.com/...``). A
download handler (scraper.offline.handler) sends requests for the real host here, with the real
host in the ``X-Mirror-Host`` header, and maps responses back to the real
URL, so archived URLs stay the real ones. One server serves several sites and
chooses the site by that header (then by ``Host``), falling back to the first
site. Several copies may share a host when each holds one part of the site
(``path_prefix = "/en/"`` in ``site.toml``, for a language section that is a
source of its own): a request goes to the copy with the longest matching
prefix, and to the host's main copy when none matches.

What a copy answers for a path is scraper.offline.copies'; this module answers it
over HTTP, and ``If-None-Match`` / ``If-Modified-Since`` give 304.

Run ``python -m scraper.offline.server scraper/offline/sites/syrianobserver [--port N]`` to
browse a copy by hand.
"""

from __future__ import annotations

import argparse
import email.utils
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote, urlsplit

from scraper.offline.copies import CONTENT_TYPES, Resolved, SiteCopy, SiteCopyError, normalise_host

__all__ = ["MIRROR_HOST_HEADER", "Fault", "MirrorServer", "Request", "RequestLog"]

MIRROR_HOST_HEADER = "X-Mirror-Host"


def _not_modified(resolved: Resolved, if_none_match: str | None, if_modified_since: str | None):
    """True when a conditional GET may be answered with 304 (RFC 9110 13.2.2)."""
    if not resolved.is_file or resolved.status != 200:
        return False
    if if_none_match is not None:
        etag = resolved.headers.get("ETag", "")
        tags = [t.strip() for t in if_none_match.split(",")]
        return any(t == "*" or t.removeprefix("W/") == etag for t in tags)
    if if_modified_since is not None:
        try:
            since = email.utils.parsedate_to_datetime(if_modified_since)
            modified = email.utils.parsedate_to_datetime(resolved.headers["Last-Modified"])
        except (TypeError, ValueError, KeyError):
            return False
        if since.tzinfo is None:
            since = since.replace(tzinfo=timezone.utc)
        return modified <= since
    return False


@dataclass(frozen=True)
class Request:
    """One request the server answered."""

    host: str
    method: str
    path: str
    status: int
    # When the request arrived (time.monotonic()) and who sent it, for politeness
    # tests; not part of a request's identity.
    started: float = field(default=0.0, compare=False)
    user_agent: str | None = field(default=None, compare=False)


class RequestLog:
    """Thread-safe, list-like log of :class:`Request` tuples."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: list[Request] = []

    def append(self, item: Request) -> None:
        with self._lock:
            self._items.append(item)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def snapshot(self) -> list[Request]:
        with self._lock:
            return list(self._items)

    def paths(self, host: str | None = None, method: str | None = None) -> list[str]:
        """Requested paths (with query), optionally for one host / method."""
        return [
            r.path
            for r in self.snapshot()
            if (host is None or r.host == normalise_host(host))
            and (method is None or r.method == method)
        ]

    def __iter__(self) -> Iterator[Request]:
        return iter(self.snapshot())

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def __getitem__(self, index):
        with self._lock:
            return self._items[index]

    def __contains__(self, item: object) -> bool:
        with self._lock:
            return item in self._items

    def __eq__(self, other: object) -> bool:
        if isinstance(other, RequestLog):
            other = other.snapshot()
        return self.snapshot() == other

    def __repr__(self) -> str:
        return f"RequestLog({self.snapshot()!r})"


@dataclass
class Fault:
    """An injected failure for one path of one site (see ``set_fault``)."""

    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    body: bytes = b""
    times: int | None = None  # None: until cleared


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    server_version = "newsarchive-mirror/1"

    def setup(self) -> None:
        super().setup()
        self.server.mirror._connections(+1)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.mirror._connections(-1)

    def do_GET(self) -> None:  # noqa: N802 - http.server API
        self._answer(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802 - http.server API
        self._answer(send_body=False)

    def _answer(self, send_body: bool) -> None:
        mirror = self.server.mirror
        started = time.monotonic()
        mirror._enter(self.headers.get(MIRROR_HOST_HEADER) or "")
        try:
            self._respond(send_body, started)
        finally:
            mirror._leave(self.headers.get(MIRROR_HOST_HEADER) or "")

    def _respond(self, send_body: bool, started: float) -> None:
        mirror = self.server.mirror
        site = mirror._site_for(
            self.headers.get(MIRROR_HOST_HEADER), self.headers.get("Host"), self.path
        )
        if site is None:
            resolved = Resolved(
                status=404,
                body=b"<!DOCTYPE html><html><body><h1>Unknown mirror host</h1></body></html>\n",
                headers={"Content-Type": CONTENT_TYPES[".html"]},
            )
            host = normalise_host(self.headers.get(MIRROR_HOST_HEADER) or "")
        else:
            host = site.host
            fault = mirror._take_fault(host, self.path)
            resolved = None
            if fault is not None:
                if fault.delay and mirror._stopping.wait(fault.delay):
                    self.close_connection = True
                    return
                if fault.status is not None:
                    resolved = Resolved(
                        status=fault.status,
                        body=fault.body,
                        headers={"Content-Type": CONTENT_TYPES[".html"], **fault.headers},
                    )
            if resolved is None:
                try:
                    resolved = site.resolve(self.path, mirror._active_overlays(host))
                except (OSError, SiteCopyError) as exc:
                    resolved = Resolved(
                        status=500,
                        body=f"mirror error: {exc}\n".encode(),
                        headers={"Content-Type": CONTENT_TYPES[".txt"]},
                    )
                if fault is not None:
                    resolved.headers.update(fault.headers)
            if _not_modified(
                resolved,
                self.headers.get("If-None-Match"),
                self.headers.get("If-Modified-Since"),
            ):
                resolved = Resolved(
                    status=304,
                    headers={
                        k: v
                        for k, v in resolved.headers.items()
                        if k in ("ETag", "Last-Modified", "Cache-Control", "Expires")
                    },
                )
        mirror.requests.append(
            Request(
                host,
                self.command,
                self.path,
                resolved.status,
                started,
                self.headers.get("User-Agent"),
            )
        )
        self.send_response(resolved.status)
        for name, value in resolved.headers.items():
            self.send_header(name, value)
        if resolved.status != 304:
            self.send_header("Content-Length", str(len(resolved.body)))
        self.end_headers()
        if send_body and resolved.status != 304 and resolved.body:
            try:
                self.wfile.write(resolved.body)
            except (BrokenPipeError, ConnectionResetError):
                pass

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        if self.server.mirror.verbose:
            sys.stderr.write(f"{self.address_string()} - {format % args}\n")


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    mirror: MirrorServer


class MirrorServer:
    """One local HTTP server for one or more :class:`SiteCopy`.

    >>> with MirrorServer([SiteCopy.load("scraper/offline/sites/syrianobserver")]) as server:
    ...     server.base_url            # doctest: +SKIP
    'http://127.0.0.1:43121'
    """

    def __init__(
        self,
        sites: list[SiteCopy],
        host: str = "127.0.0.1",
        port: int = 0,
        verbose: bool = False,
    ) -> None:
        if not sites:
            raise ValueError("MirrorServer needs at least one SiteCopy")
        self.sites = list(sites)
        # host -> its copies, the most specific path prefix first
        self._by_host: dict[str, list[SiteCopy]] = {}
        for site in self.sites:
            copies = self._by_host.setdefault(site.host, [])
            if any(c.path_prefix == site.path_prefix for c in copies):
                raise ValueError(f"two site copies serve {site.host}{site.path_prefix}")
            copies.append(site)
            copies.sort(key=lambda c: len(c.path_prefix), reverse=True)
        self.host = host
        self.port = port
        self.verbose = verbose
        self.requests = RequestLog()
        self._lock = threading.Lock()
        self._overlays: dict[str, list[str]] = {site.host: [] for site in self.sites}
        self._faults: dict[tuple[str, str], Fault] = {}
        self._in_flight: dict[str, int] = {}
        self._open_connections = 0
        # Most requests a host had in flight at once, for politeness tests.
        self.max_in_flight: dict[str, int] = {}
        self._stopping = threading.Event()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle --------------------------------------------------------

    def start(self) -> MirrorServer:
        if self._httpd is not None:
            return self
        self._stopping.clear()
        httpd = _HTTPServer((self.host, self.port), _Handler)
        httpd.mirror = self
        self._httpd = httpd
        self.port = httpd.server_address[1]
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"mirror-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, join the thread and close the listening socket."""
        httpd, thread = self._httpd, self._thread
        self._httpd = self._thread = None
        self._stopping.set()  # wakes handlers sleeping in an injected delay
        if httpd is None:
            return
        try:
            if thread is not None and thread.is_alive():
                httpd.shutdown()
        finally:
            try:
                httpd.server_close()
            finally:
                if thread is not None:
                    thread.join(timeout=5)

    def __enter__(self) -> MirrorServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._httpd is not None

    @property
    def base_url(self) -> str:
        if self._httpd is None:
            raise RuntimeError("MirrorServer is not running (call start())")
        return f"http://{self.host}:{self.port}"

    @property
    def mirrors(self) -> dict[str, str]:
        """Real host (and ``www.`` host) -> this server's base URL."""
        base = self.base_url
        result: dict[str, str] = {}
        for site in self.sites:
            result[site.host] = base
            result["www." + site.host] = base
        return result

    # -- sites and overlays -------------------------------------------------

    def site(self, host: str | None = None) -> SiteCopy:
        """The copy serving a host (its main copy when several share the host)."""
        if host is None:
            return self.sites[0]
        try:
            return self._by_host[normalise_host(host)][-1]
        except KeyError:
            raise KeyError(f"no site copy for host {host!r}") from None

    def _site_for(
        self, mirror_host: str | None, host_header: str | None, raw_path: str = "/"
    ) -> SiteCopy | None:
        if mirror_host:
            copies = self._by_host.get(normalise_host(mirror_host))
        elif host_header and normalise_host(host_header) in self._by_host:
            copies = self._by_host[normalise_host(host_header)]
        else:
            return self.sites[0]
        if not copies:
            return None
        path = unquote(urlsplit(raw_path).path) or "/"
        return next((c for c in copies if path.startswith(c.path_prefix)), copies[-1])

    def activate_overlay(self, site_host: str, name: str) -> None:
        copies = self._by_host.get(normalise_host(site_host), [])
        site = next((c for c in copies if name in c.overlays), None) or self.site(site_host)
        if name not in site.overlays:
            raise KeyError(f"{site.id}: no overlay {name!r} (have {sorted(site.overlays)})")
        with self._lock:
            active = self._overlays[site.host]
            if name in active:
                active.remove(name)
            active.append(name)

    def deactivate_overlay(self, site_host: str, name: str) -> None:
        site = self.site(site_host)
        with self._lock:
            if name in self._overlays[site.host]:
                self._overlays[site.host].remove(name)

    def _active_overlays(self, host: str) -> list[str]:
        with self._lock:
            return list(self._overlays.get(host, ()))

    # -- faults -------------------------------------------------------------

    def _enter(self, host: str) -> None:
        host = normalise_host(host)
        with self._lock:
            self._in_flight[host] = self._in_flight.get(host, 0) + 1
            self.max_in_flight[host] = max(self.max_in_flight.get(host, 0), self._in_flight[host])

    def _leave(self, host: str) -> None:
        host = normalise_host(host)
        with self._lock:
            self._in_flight[host] -= 1

    def _connections(self, change: int) -> None:
        with self._lock:
            self._open_connections += change

    def settle(self, timeout: float = 30.0) -> None:
        """Wait until every client connection has ended and what it asked for is in the
        request log: a client killed mid-crawl leaves requests it sent unread in their
        sockets, which the server reads, logs and answers to no one after the kill. A
        connection still waiting to be accepted is given 0.2 s, four turns of the accept
        loop; after ``timeout`` the wait gives up (a client that never hangs up)."""
        deadline = time.monotonic() + timeout
        quiet_since = None
        while time.monotonic() < deadline:
            with self._lock:
                open_now = self._open_connections
            if open_now:
                quiet_since = None
            elif quiet_since is None:
                quiet_since = time.monotonic()
            elif time.monotonic() - quiet_since >= 0.2:
                return
            time.sleep(0.01)

    def set_fault(
        self,
        site_host: str,
        path: str,
        status: int | None = 503,
        headers: dict[str, str] | None = None,
        delay: float = 0.0,
        body: bytes | str = b"",
        times: int | None = None,
    ) -> None:
        """Make requests for ``path`` fail.

        ``path`` without a query matches any query; with one, only that exact
        query. ``status=None`` serves the normal answer (after ``delay``
        seconds, plus ``headers``). ``times`` limits the fault to the next N
        requests (None: until :meth:`clear_faults`).
        """
        site = self.site(site_host)
        if isinstance(body, str):
            body = body.encode("utf-8")
        fault = Fault(status, dict(headers or {}), float(delay), body, times)
        with self._lock:
            self._faults[(site.host, path)] = fault

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def _take_fault(self, host: str, raw_path: str) -> Fault | None:
        path_only = urlsplit(raw_path).path
        with self._lock:
            for key in ((host, raw_path), (host, path_only)):
                fault = self._faults.get(key)
                if fault is None:
                    continue
                if fault.times is not None:
                    fault.times -= 1
                    if fault.times <= 0:
                        del self._faults[key]
                return fault
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scraper.offline.server",
        description="Serve offline site copies (scraper/offline/sites/<source>) on localhost.",
    )
    parser.add_argument("sites", nargs="+", help="site copy directories (with site.toml)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000, help="0 picks a free port")
    parser.add_argument(
        "--overlay", action="append", default=[], help="activate an overlay (all sites having it)"
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="do not log requests")
    args = parser.parse_args(argv)
    try:
        sites = [SiteCopy.load(p) for p in args.sites]
    except SiteCopyError as exc:
        parser.error(str(exc))
    server = MirrorServer(sites, host=args.host, port=args.port, verbose=not args.quiet)
    server.start()
    for site in sites:
        for name in args.overlay:
            if name in site.overlays:
                server.activate_overlay(site.host, name)
    print(f"Serving on {server.base_url}  (Ctrl-C to stop)")
    for site in sites:
        print(f"  {site.base_url} -> {site.root}  (header {MIRROR_HOST_HEADER}: {site.host})")
    print(f"  requests without {MIRROR_HOST_HEADER} go to {sites[0].host}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        print("\nstopping")
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
