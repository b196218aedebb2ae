"""The offline copy of a news site: its folder, its site.toml, and what it answers for a path.

A copy is ``scraper/offline/sites/<source>/`` (scraper/offline/README.md): ``site.toml``
(the real host, routes, overlays), ``www/`` (the site's files by URL path) and overlay
folders. :class:`SiteCopy` loads and checks it (a :class:`SiteCopyError` names the file
and the key) and resolves a request path to an answer, in this order (query string
ignored for lookup):

1. an explicit ``[routes."<path>"]`` entry of ``site.toml``;
2. ``www/<path>`` if it is a file;
3. ``www/<path>/index.html``, then ``www/<path>/index.xml``;
4. otherwise 404 with a small HTML body.

Files of an active overlay (``[overlays.<name>] dir = "..."``) replace the ``www/``
files with the same relative path (and may add new ones). Every file answer carries an
``ETag`` (hash of the bytes) and a ``Last-Modified`` date. scraper.offline.server
serves the answers over HTTP.

site.toml is read by tomllib (tomli on Python 3.10): the standard library's TOML, as for
the source registry.
"""

from __future__ import annotations

import email.utils
import hashlib
import html
import mimetypes
import posixpath
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from archive import urls

try:  # Python 3.11+
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]


__all__ = [
    "CONTENT_TYPES",
    "DEFAULT_LAST_MODIFIED",
    "Resolved",
    "Route",
    "SiteCopy",
    "SiteCopyError",
    "normalise_host",
]

DEFAULT_LAST_MODIFIED = "Mon, 01 Dec 2025 00:00:00 GMT"
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
