"""Serve an offline copy of a news site over real HTTP on 127.0.0.1.

The machine that runs the tests and ``newsarchive demo`` has no internet, so
every source has a copy of (part of) its site under ``scraper/offline/sites/<source>/``
(see ``scraper/offline/sites/README.md``). This module serves such copies.

Why a stdlib ``http.server.ThreadingHTTPServer`` in a daemon thread:

* no extra dependency: the server is needed by the tests, the demo and
  debugging sessions, and the standard library already has everything;
* real HTTP: Scrapy talks to it exactly as it talks to the real site (its
  downloader, robots.txt handling, retries, redirects, conditional GET and
  caching all run unchanged), which a fake download handler would skip;
* a thread, not a process: tests can change the served site while a crawl
  runs (overlays, injected faults) and read back what was fetched.

Pages keep the real absolute URLs (``https://syrianobserver.com/...``). A
downloader middleware sends requests for the real host here, with the real
host in the ``X-Mirror-Host`` header, and maps responses back to the real
URL, so archived URLs stay the real ones. One server serves several sites and
chooses the site by that header (then by ``Host``), falling back to the first
site. Several copies may share a host when each holds one part of the site
(``path_prefix = "/en/"`` in ``site.toml``, for a language section that is a
source of its own): a request goes to the copy with the longest matching
prefix, and to the host's main copy when none matches.

Request path resolution for a site (query string ignored for lookup):

1. an explicit ``[routes."<path>"]`` entry of ``site.toml``;
2. ``www/<path>`` if it is a file;
3. ``www/<path>/index.html``, then ``www/<path>/index.xml``;
4. otherwise 404 with a small HTML body.

Files of an active overlay (``[overlays.<name>] dir = "..."``) replace the
``www/`` files with the same relative path (and may add new ones).

Every file response carries an ``ETag`` (hash of the bytes) and a
``Last-Modified`` date; ``If-None-Match`` / ``If-Modified-Since`` give 304.

Run ``python -m scraper.offline.server scraper/offline/sites/syrianobserver [--port N]`` to
browse a copy by hand.
"""

from __future__ import annotations

import argparse
import email.utils
import hashlib
import html
import mimetypes
import posixpath
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from archive import urls

try:  # Python 3.11+
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

__all__ = [
    "DEFAULT_LAST_MODIFIED",
    "Fault",
    "MirrorServer",
    "Request",
    "RequestLog",
    "Route",
    "SiteCopy",
    "SiteCopyError",
]

DEFAULT_LAST_MODIFIED = "Mon, 01 Dec 2025 00:00:00 GMT"
MIRROR_HOST_HEADER = "X-Mirror-Host"

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
}

ROUTE_KEYS = {
    "file",
    "status",
    "location",
    "content_type",
    "headers",
    "overlay_only",
    "last_modified",
}


class SiteCopyError(ValueError):
    """A site copy (its ``site.toml`` or layout) is invalid."""


def _http_date(value: str, where: str) -> datetime:
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError) as exc:
        raise SiteCopyError(f"{where}: not an HTTP date: {value!r}") from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed


def _format_http_date(value: datetime) -> str:
    return email.utils.format_datetime(value.astimezone(timezone.utc), usegmt=True)


def content_type_for(path: str | Path) -> str:
    """Content-Type for a served file, from its extension."""
    suffix = Path(path).suffix.lower()
    if suffix in CONTENT_TYPES:
        return CONTENT_TYPES[suffix]
    guessed, _ = mimetypes.guess_type(str(path))
    return guessed or "application/octet-stream"


def normalise_host(host: str) -> str:
    """A Host header or a copy's host as mirrors are keyed: ``WWW.Example.com:443`` ->
    ``example.com``, the name as every host is compared (archive.urls.normalise_host)."""
    host = host.strip().lower()
    if host.startswith("[") and "]" in host:  # IPv6 literal
        return host[: host.index("]") + 1]
    return urls.bare_host(host.split(":", 1)[0])


@dataclass(frozen=True)
class Route:
    """One ``[routes."<path>"]`` entry of ``site.toml``."""

    path: str
    file: str | None = None
    status: int | None = None
    location: str | None = None
    content_type: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    overlay_only: bool = False
    last_modified: str | None = None

    @classmethod
    def from_toml(cls, path: str, table: Any, where: str) -> Route:
        if not path.startswith("/"):
            raise SiteCopyError(f"{where}: route {path!r} must start with '/'")
        if not isinstance(table, dict):
            raise SiteCopyError(f"{where}: route {path!r} must be a table")
        unknown = set(table) - ROUTE_KEYS
        if unknown:
            raise SiteCopyError(
                f"{where}: route {path!r}: unknown key(s) {sorted(unknown)}; "
                f"allowed: {sorted(ROUTE_KEYS)}"
            )
        status = table.get("status")
        if status is not None and (not isinstance(status, int) or not 100 <= status <= 599):
            raise SiteCopyError(f"{where}: route {path!r}: status must be an HTTP status code")
        headers = table.get("headers", {})
        if not isinstance(headers, dict):
            raise SiteCopyError(f"{where}: route {path!r}: headers must be a table")
        location = table.get("location")
        if location is not None and status is None:
            status = 301
        file = table.get("file")
        if file is None and location is None and status is None:
            raise SiteCopyError(
                f"{where}: route {path!r} needs at least one of file, location, status"
            )
        last_modified = table.get("last_modified")
        if last_modified is not None:
            _http_date(last_modified, f"{where}: route {path!r}")
        return cls(
            path=path,
            file=file,
            status=status,
            location=location,
            content_type=table.get("content_type"),
            headers={str(k): str(v) for k, v in headers.items()},
            overlay_only=bool(table.get("overlay_only", False)),
            last_modified=last_modified,
        )


@dataclass(frozen=True)
class Overlay:
    """``[overlays.<name>]``: a directory whose files replace ``www/`` files."""

    name: str
    dir: Path
    last_modified: str


@dataclass
class Resolved:
    """What to answer for one request, before conditional GET and faults."""

    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    is_file: bool = False


class SiteCopy:
    """An offline copy of one site: ``site.toml`` + ``www/`` (+ overlays)."""

    def __init__(
        self,
        root: Path,
        host: str,
        scheme: str = "https",
        routes: dict[str, Route] | None = None,
        overlays: dict[str, Overlay] | None = None,
        last_modified: str = DEFAULT_LAST_MODIFIED,
        path_prefix: str = "/",
    ) -> None:
        self.root = Path(root)
        self.www = self.root / "www"
        self.host = normalise_host(host)
        self.scheme = scheme
        self.routes = dict(routes or {})
        self.overlays = dict(overlays or {})
        self.last_modified = last_modified
        # The part of the host's URL space this copy serves (see MirrorServer).
        self.path_prefix = path_prefix

    def __repr__(self) -> str:
        return f"SiteCopy({str(self.root)!r}, host={self.host!r})"

    @property
    def id(self) -> str:
        """The source id: the directory name (``syrianobserver``)."""
        return self.root.name

    @property
    def base_url(self) -> str:
        """The real site's base URL, e.g. ``https://syrianobserver.com``."""
        return f"{self.scheme}://{self.host}"

    @classmethod
    def load(cls, path: str | Path) -> SiteCopy:
        root = Path(path)
        toml_path = root / "site.toml"
        where = str(toml_path)
        try:
            with toml_path.open("rb") as fh:
                data = tomllib.load(fh)
        except FileNotFoundError as exc:
            raise SiteCopyError(f"{where}: not found (a site copy needs site.toml)") from exc
        except tomllib.TOMLDecodeError as exc:
            raise SiteCopyError(f"{where}: invalid TOML: {exc}") from exc
        host = data.get("host")
        if not isinstance(host, str) or not host:
            raise SiteCopyError(f"{where}: 'host' is required (e.g. host = \"example.com\")")
        scheme = data.get("scheme", "https")
        if scheme not in ("http", "https"):
            raise SiteCopyError(f'{where}: \'scheme\' must be "http" or "https"')
        if not (root / "www").is_dir():
            raise SiteCopyError(f"{root}: missing www/ directory")
        last_modified = data.get("last_modified", DEFAULT_LAST_MODIFIED)
        _http_date(last_modified, f"{where}: last_modified")
        path_prefix = data.get("path_prefix", "/")
        if not isinstance(path_prefix, str) or not (
            path_prefix.startswith("/") and path_prefix.endswith("/")
        ):
            raise SiteCopyError(f"{where}: 'path_prefix' must start and end with \"/\"")
        routes_table = data.get("routes", {})
        if not isinstance(routes_table, dict):
            raise SiteCopyError(f"{where}: [routes] must be a table of tables")
        routes = {p: Route.from_toml(p, t, where) for p, t in routes_table.items()}
        overlays: dict[str, Overlay] = {}
        default_overlay_date = _format_http_date(
            _http_date(last_modified, where) + timedelta(days=1)
        )
        for name, table in (data.get("overlays") or {}).items():
            if not isinstance(table, dict) or not isinstance(table.get("dir"), str):
                raise SiteCopyError(f'{where}: overlay {name!r} needs dir = "..."')
            overlay_dir = root / table["dir"]
            if not overlay_dir.is_dir():
                raise SiteCopyError(f"{where}: overlay {name!r}: {overlay_dir} is not a directory")
            ov_date = table.get("last_modified", default_overlay_date)
            _http_date(ov_date, f"{where}: overlay {name!r}")
            overlays[name] = Overlay(name=name, dir=overlay_dir, last_modified=ov_date)
        return cls(root, host, scheme, routes, overlays, last_modified, path_prefix)

    # -- resolution -------------------------------------------------------

    def _find_file(
        self, rel: str, active: Iterable[str], overlays_only: bool = False
    ) -> tuple[Path, Overlay | None] | None:
        """The file for a path relative to www/, the last active overlay winning."""
        rel = rel.lstrip("/")
        for name in reversed(list(active)):
            overlay = self.overlays.get(name)
            if overlay is None:
                continue
            candidate = _inside(overlay.dir, rel)
            if candidate is not None and candidate.is_file():
                return candidate, overlay
        if overlays_only:
            return None
        candidate = _inside(self.www, rel)
        if candidate is not None and candidate.is_file():
            return candidate, None
        return None

    def resolve(self, raw_path: str, active_overlays: Iterable[str] = ()) -> Resolved:
        """Answer for a request path (a query string is ignored for lookup, except
        that a route may name one: ``[routes."/news?page=1"]`` for a pager)."""
        active = [n for n in active_overlays if n in self.overlays]
        parts = urlsplit(raw_path)
        path = unquote(parts.path) or "/"
        route = self.routes.get(f"{path}?{unquote(parts.query)}") if parts.query else None
        route = route or self.routes.get(path)
        if route is not None and route.overlay_only and not active:
            return _not_found(path)
        if route is not None:
            return self._resolve_route(route, active)
        rel = path.lstrip("/")
        candidates = [rel] if rel and not rel.endswith("/") else []
        base = rel.rstrip("/")
        candidates += [posixpath.join(base, "index.html"), posixpath.join(base, "index.xml")]
        for candidate in candidates:
            found = self._find_file(candidate, active)
            if found is not None:
                return self._file_response(*found)
        return _not_found(path)

    def _resolve_route(self, route: Route, active: list[str]) -> Resolved:
        headers = dict(route.headers)
        if route.location is not None:
            headers["Location"] = route.location
        if route.file is not None:
            found = self._find_file(route.file, active, overlays_only=route.overlay_only)
            if found is None:
                if route.overlay_only:
                    return _not_found(route.path)
                raise SiteCopyError(f"{self.root}: route {route.path!r}: no file {route.file!r}")
            resolved = self._file_response(*found, route=route)
            resolved.headers.update(headers)
            if route.status is not None:
                resolved.status = route.status
                resolved.is_file = route.status == 200
            return resolved
        status = route.status or 200
        if route.location is not None:
            target = html.escape(route.location)
            body = (
                f"<!DOCTYPE html><html><head><title>Moved</title></head><body>"
                f'<p>Moved to <a href="{target}">{target}</a>.</p></body></html>\n'
            )
        else:
            body = (
                f"<!DOCTYPE html><html><head><title>{status}</title></head><body>"
                f"<h1>{status}</h1></body></html>\n"
            )
        headers.setdefault("Content-Type", route.content_type or CONTENT_TYPES[".html"])
        return Resolved(status=status, body=body.encode(), headers=headers)

    def _file_response(
        self, file: Path, overlay: Overlay | None, route: Route | None = None
    ) -> Resolved:
        body = file.read_bytes()
        if overlay is not None:  # an overlay's files are newer than anything in www/
            last_modified = overlay.last_modified
        elif route is not None and route.last_modified:
            last_modified = route.last_modified
        else:
            last_modified = self.last_modified
        content_type = (route.content_type if route else None) or content_type_for(file)
        headers = {
            "Content-Type": content_type,
            "ETag": '"' + hashlib.sha256(body).hexdigest()[:32] + '"',
            "Last-Modified": last_modified,
        }
        return Resolved(status=200, body=body, headers=headers, is_file=True)

    # -- helpers for tests --------------------------------------------------

    def real_url(self, path: str) -> str:
        """``/feed`` -> ``https://syrianobserver.com/feed``."""
        return self.base_url + (path if path.startswith("/") else "/" + path)

    def expected(self) -> dict[str, Any] | None:
        """``expected.json`` of the copy (the known answers), or None."""
        import json

        path = self.root / "expected.json"
        if not path.is_file():
            return None
        return json.loads(path.read_text(encoding="utf-8"))


def _inside(base: Path, rel: str) -> Path | None:
    """``base/rel`` unless rel escapes base (``..``)."""
    norm = posixpath.normpath("/" + rel).lstrip("/")
    if norm in ("", "."):
        return None
    candidate = base / norm
    try:
        candidate.resolve().relative_to(base.resolve())
    except ValueError:
        return None
    return candidate


def _not_found(path: str) -> Resolved:
    body = (
        "<!DOCTYPE html><html><head><title>404 Not Found</title></head><body>"
        f"<h1>Not Found</h1><p>{html.escape(path)} is not in this site copy.</p>"
        "</body></html>\n"
    )
    return Resolved(
        status=404, body=body.encode(), headers={"Content-Type": CONTENT_TYPES[".html"]}
    )


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
