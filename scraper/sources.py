"""Load and validate the source registry (scraper/sources.toml plus users' own files).

The registry is TOML read with the standard library's tomllib (tomli on 3.10):
one table per source, data only. Validation is hand-written rather than a
schema library because the errors must name the file, the source and the field
in words a user can act on, and the rules are few.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from archive.urls import host_key, url_host

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

DEFAULT_REGISTRY = Path(__file__).with_name("sources.toml")

_DURATION = re.compile(r"^\s*(\d+)\s*([smhd]?)\s*$")
_DURATION_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


class SourceConfigError(ValueError):
    """A registry entry is wrong; the message names file, source and field."""

    def __init__(self, file: str | Path, source: str | None, field_name: str | None, problem: str):
        self.file, self.source, self.field, self.problem = str(file), source, field_name, problem
        where = str(file)
        if source:
            where += f": source {source!r}"
        if field_name:
            where += f", field {field_name!r}"
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class Cleaning:
    """Per-source cleaning rules (see docs/sources.md)."""

    drop_selectors: tuple[str, ...] = ()
    summary_selector: str | None = None
    tags_selector: str | None = None
    byline_selector: str | None = None
    drop_blocks: tuple[re.Pattern, ...] = ()
    cut_at: tuple[re.Pattern, ...] = ()
    editorial_note: tuple[re.Pattern, ...] = ()
    source_line: re.Pattern | None = None
    strip_patterns: tuple[re.Pattern, ...] = ()
    # In text dumps, the block after the title is the standfirst (summary).
    standfirst_after_title: bool = False


@dataclass(frozen=True)
class Source:
    id: str
    name: str
    homepage: str
    language: str
    # The outlet this source is an edition of: an outlet's language editions (SANA's
    # English and Arabic services) share it, so a story counts them as one outlet.
    outlet: str = ""
    country: str | None = None
    # The IANA zone its pages print local times in (scraper.extract.dates.source_zone);
    # None: the country's zone, if known.
    timezone: str | None = None
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    listings: tuple[str, ...] = ()
    pagination: str | None = None
    article_pattern: re.Pattern | None = None
    exclude_patterns: tuple[re.Pattern, ...] = ()
    not_article_titles: tuple[re.Pattern, ...] = ()
    poll_interval: int = 3600
    min_poll_interval: int = 900
    max_poll_interval: int = 86400
    # The first path segment of an article URL names its section (/economy/123-story).
    section_from_path: bool = False
    cleaning: Cleaning = field(default_factory=Cleaning)
    origin: str = ""

    @property
    def hosts(self) -> set[str]:
        """Hosts this source serves pages from (with and without www.), normalised as
        every host compared with them (archive.urls.normalise_host: IDNA, lower case)."""
        hosts = {
            host_key(url) for url in (self.homepage, *self.feeds, *self.sitemaps, *self.listings)
        }
        return {h for h in hosts if h} | {"www." + h for h in hosts if h}

    def is_article_url(self, url: str) -> bool:
        if any(p.search(url) for p in self.exclude_patterns):
            return False
        return bool(self.article_pattern.search(url)) if self.article_pattern else True

    def is_excluded_title(self, title: str | None) -> bool:
        return bool(title) and any(p.search(title) for p in self.not_article_titles)

    def row(self) -> dict:
        """The registry part of this source's row in the archive's sources table."""
        return {
            "id": self.id,
            "name": self.name,
            "homepage": self.homepage,
            "language": self.language,
            "outlet": self.outlet,
            "poll_interval": self.poll_interval,
        }

    def listing_page(self, listing: str, n: int) -> str:
        """URL of page n (1-based) of a backfill listing.

        The pattern's ``{n}`` is that number (2, 3, ...); ``{n0}`` counts from
        zero (1, 2, ...) for zero-based pagers such as Drupal's ``?page=1``.
        """
        if n <= 1 or not self.pagination:
            return listing
        return self.pagination.format(listing=listing, n=n, n0=n - 1)


_KNOWN_FIELDS = {
    "name",
    "outlet",
    "homepage",
    "language",
    "country",
    "timezone",
    "feeds",
    "sitemaps",
    "listings",
    "pagination",
    "article_pattern",
    "exclude_patterns",
    "not_article_titles",
    "poll_interval",
    "min_poll_interval",
    "max_poll_interval",
    "section_from_path",
    "cleaning",
}
_CLEANING_FIELDS = {f for f in Cleaning.__dataclass_fields__}
# The one syntax of source ids (the registry, `sources add`, `import` file names).
SOURCE_ID = re.compile(r"^[a-z][a-z0-9_-]*$")


class _Checker:
    """Reads typed fields out of one TOML table, raising SourceConfigError on misuse."""

    def __init__(self, file: str | Path, source: str, table: dict, prefix: str = ""):
        self.file, self.source, self.table, self.prefix = file, source, table, prefix

    def fail(self, name: str, problem: str) -> SourceConfigError:
        return SourceConfigError(self.file, self.source, self.prefix + name, problem)

    def text(self, name: str, required: bool = False) -> str | None:
        value = self.table.get(name)
        if value is None:
            if required:
                raise self.fail(name, "is required")
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(name, f"must be a non-empty string, got {value!r}")
        return value

    def url(self, name: str, required: bool = False) -> str | None:
        value = self.text(name, required)
        if value is not None:
            self.check_url(name, value)
        return value

    def check_url(self, name: str, value: str) -> None:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise self.fail(name, f"must be an http(s) URL, got {value!r}")

    def texts(self, name: str) -> tuple[str, ...]:
        value = self.table.get(name, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.fail(name, f"must be a list of strings, got {value!r}")
        return tuple(value)

    def urls(self, name: str) -> tuple[str, ...]:
        values = self.texts(name)
        for value in values:
            self.check_url(name, value)
        return values

    def regex(self, pattern: str, name: str, flags: int = 0) -> re.Pattern:
        try:
            return re.compile(pattern, flags)
        except re.error as exc:
            raise self.fail(
                name, f"is not a valid regular expression ({exc}): {pattern!r}"
            ) from None

    def regexes(self, name: str, flags: int = 0) -> tuple[re.Pattern, ...]:
        return tuple(self.regex(p, name, flags) for p in self.texts(name))

    def zone(self, name: str) -> str | None:
        value = self.text(name)
        if value is not None:
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError):
                raise self.fail(
                    name, f"is not a known IANA time zone (such as 'Asia/Damascus'): {value!r}"
                ) from None
        return value

    def flag(self, name: str) -> bool:
        value = self.table.get(name, False)
        if not isinstance(value, bool):
            raise self.fail(name, f"must be true or false, got {value!r}")
        return value

    def duration(self, name: str, default: int) -> int:
        value = self.table.get(name, default)
        if isinstance(value, bool):
            raise self.fail(name, f"must be seconds or a duration like '30m', got {value!r}")
        if isinstance(value, int) and value > 0:
            return value
        match = _DURATION.match(value) if isinstance(value, str) else None
        if not match or int(match.group(1)) == 0:
            raise self.fail(name, f"must be seconds or a duration like '30m', '2h', got {value!r}")
        return int(match.group(1)) * _DURATION_UNITS[match.group(2)]


def _parse_cleaning(file: str | Path, source_id: str, table: object) -> Cleaning:
    if not isinstance(table, dict):
        raise SourceConfigError(file, source_id, "cleaning", "must be a table")
    unknown = sorted(set(table) - _CLEANING_FIELDS)
    if unknown:
        raise SourceConfigError(file, source_id, f"cleaning.{unknown[0]}", "is not a known field")
    check = _Checker(file, source_id, table, prefix="cleaning.")
    source_line = check.text("source_line")
    return Cleaning(
        drop_selectors=check.texts("drop_selectors"),
        summary_selector=check.text("summary_selector"),
        tags_selector=check.text("tags_selector"),
        byline_selector=check.text("byline_selector"),
        drop_blocks=check.regexes("drop_blocks"),
        cut_at=check.regexes("cut_at"),
        editorial_note=check.regexes("editorial_note", re.IGNORECASE),
        source_line=check.regex(source_line, "source_line") if source_line else None,
        strip_patterns=check.regexes("strip_patterns"),
        standfirst_after_title=check.flag("standfirst_after_title"),
    )


def parse_source(file: str | Path, source_id: str, table: object) -> Source:
    """Validate one registry table into a Source."""
    if not SOURCE_ID.match(source_id):
        raise SourceConfigError(
            file, source_id, None, "id must be lower-case letters, digits, '-' or '_'"
        )
    if not isinstance(table, dict):
        raise SourceConfigError(file, source_id, None, "must be a table of fields")
    unknown = sorted(set(table) - _KNOWN_FIELDS)
    if unknown:
        raise SourceConfigError(file, source_id, unknown[0], "is not a known field")
    check = _Checker(file, source_id, table)
    pagination = check.text("pagination")
    if pagination and "{n}" not in pagination and "{n0}" not in pagination:
        raise check.fail(
            "pagination", "must contain {n} (the page number) or {n0} (the zero-based one)"
        )
    pattern = check.text("article_pattern")
    name = check.text("name", required=True)
    source = Source(
        id=source_id,
        name=name,
        homepage=check.url("homepage", required=True),
        language=check.text("language", required=True),
        outlet=(check.text("outlet") or name).strip(),  # the one place it is read
        country=check.text("country"),
        timezone=check.zone("timezone"),
        feeds=check.urls("feeds"),
        sitemaps=check.urls("sitemaps"),
        listings=check.urls("listings"),
        pagination=pagination,
        article_pattern=check.regex(pattern, "article_pattern") if pattern else None,
        exclude_patterns=check.regexes("exclude_patterns"),
        not_article_titles=check.regexes("not_article_titles", re.IGNORECASE),
        poll_interval=check.duration("poll_interval", 3600),
        min_poll_interval=check.duration("min_poll_interval", 900),
        max_poll_interval=check.duration("max_poll_interval", 86400),
        section_from_path=check.flag("section_from_path"),
        cleaning=_parse_cleaning(file, source_id, table.get("cleaning", {})),
        origin=str(file),
    )
    if not (source.feeds or source.sitemaps or source.listings):
        raise SourceConfigError(
            file, source_id, "feeds", "a source needs at least one of feeds, sitemaps, listings"
        )
    if source.min_poll_interval > source.max_poll_interval:
        raise check.fail("min_poll_interval", "is larger than max_poll_interval")
    return source


def load_file(path: str | Path) -> dict[str, Source]:
    """Parse one registry file; raises SourceConfigError naming the problem."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourceConfigError(path, None, None, "file not found") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SourceConfigError(path, None, None, f"is not valid TOML: {exc}") from None
    return {sid: parse_source(path, sid, table) for sid, table in data.items()}


def load_registry(
    extra_files: list[str | Path] | tuple = (), builtin: bool = True
) -> dict[str, Source]:
    """The built-in registry, with users' files adding or overriding sources by id."""
    sources: dict[str, Source] = load_file(DEFAULT_REGISTRY) if builtin else {}
    for path in extra_files:
        sources.update(load_file(path))
    return sources


def source_for_url(url: str, sources: dict[str, Source]) -> Source | None:
    """The registry source whose host serves this URL, if any.

    Sources may share a host (the language sections of one site, such as
    https://sana.sy/ and https://sana.sy/en/): an article URL of a source wins
    over a mere host match, then the source whose homepage path is the
    longest prefix of the URL's path.
    """
    host = url_host(url)
    path = urlsplit(url).path or "/"
    candidates = [s for s in sources.values() if host in s.hosts]
    if len(candidates) <= 1:
        return candidates[0] if candidates else None

    def rank(source: Source) -> tuple[bool, int]:
        home = urlsplit(source.homepage).path or "/"
        return (source.is_article_url(url), len(home) if path.startswith(home) else -1)

    return max(candidates, key=rank)


@lru_cache(maxsize=1)
def _builtin_registry() -> dict[str, Source]:
    return load_registry()


def resolve_source(source: Source | str | None, url: str | None) -> Source | None:
    """A Source given as itself, by id, or (None) recognised from the URL's host."""
    if isinstance(source, Source):
        return source
    registry = _builtin_registry()
    if isinstance(source, str):
        if source not in registry:
            raise KeyError(f"unknown source {source!r}; known: {', '.join(sorted(registry))}")
        return registry[source]
    if not url:
        return None
    candidates = _sources_of_host(url_host(url))
    if len(candidates) <= 1:
        return candidates[0] if candidates else None
    return source_for_url(url, {c.id: c for c in candidates})  # sources sharing a host


@lru_cache(maxsize=1024)
def _sources_of_host(host: str) -> tuple[Source, ...]:
    return tuple(s for s in _builtin_registry().values() if host and host in s.hosts)
