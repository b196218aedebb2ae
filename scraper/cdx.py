"""The CDX protocol of web archives: the query listing a site's captures, its answer,
and the raw replay address of a capture.

The Wayback Machine's CDX server (https://github.com/internetarchive/wayback,
``wayback-cdx-server``) and pywb's (``<collection>/cdx``) take the same query:
``url`` with a ``matchType``, ``from``/``to`` as 1-14 digit timestamps,
``filter=field:regex``, ``collapse=digest``, ``limit``, and on the Wayback
Machine ``showResumeKey``/``resumeKey`` to page through a long answer. Their
``output=json`` differ: the Wayback Machine answers one JSON array of rows, the
first naming the fields and, when more follows, an empty row then
``[resume key]``; pywb answers one JSON object a line. Both are read here.
The standard library's json and urllib.parse are all this needs.

pywb gives no resume key, and caps an answer silently: at ``limit``, and at its
``query_limit`` setting whatever ``limit`` asks (its ``page``/``pageSize``
paging is for ZipNum indexes only; a collection's plain CDXJ index ignores
them). So a listing without a resume key is checked (scraper.spiders.recover):
the same query sorted in reverse (:func:`reverse_query`, pywb's ``sort=reverse``)
lists the same captures when the answer held them all; when it does not, or the
answer is as long as the server's cap, the listing's time range is halved
(:func:`split_query`) until every part is answered whole.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from archive.clock import parse_user_date

__all__ = [
    "DEFAULT_CDX",
    "DEFAULT_REPLAY",
    "CdxCapture",
    "CdxPage",
    "cdx_query",
    "page_query",
    "parse_cdx",
    "reverse_query",
    "split_query",
]

# The Wayback Machine's: the default archive of `newsarchive recover`.
DEFAULT_CDX = "https://web.archive.org/cdx/search/cdx"
DEFAULT_REPLAY = "https://web.archive.org/web/"
# Captures asked for per answer: a page the server answers in seconds.
CDX_PAGE_SIZE = 1000
# Where a listing without a lower date bound starts, when its time range is halved: the
# first captures of the Internet Archive are from 1996.
EARLIEST = "19960101000000"
_STAMP = "%Y%m%d%H%M%S"
# The captures a recovery can use: the page as served, an HTML article, or a capture the
# archive knows no type of (a server that said application/octet-stream or nothing: the
# page is fetched, and kept only when its body reads as HTML, scraper.spiders.recover).
WANTED_STATUS = "200"
WANTED_MIMES = frozenset(
    {"text/html", "application/xhtml+xml", "application/octet-stream", "unk", "", "-"}
)
# Types no article has, left out of the listing by the CDX server itself. Plain strings:
# the Wayback Machine matches a filter as a whole regular expression, pywb as a substring
# (its regular expressions take a "~" the Wayback Machine does not know), and a type
# without "." "+" or "*" means the same to both.
SKIPPED_MIMES = (
    "image/jpeg",
    "image/png",
    "image/gif",
    "image/webp",
    "text/css",
    "application/javascript",
    "text/javascript",
    "application/json",
    "application/pdf",
)


@dataclass(frozen=True)
class CdxCapture:
    """One capture of a page, as the CDX server lists it."""

    timestamp: str  # 14 digits, UTC
    original: str  # the URL the archive captured
    status: str
    mimetype: str
    digest: str = ""

    @property
    def captured_at(self) -> str:
        """The capture's time as ISO 8601 UTC."""
        # A short timestamp ("2024", "202403") is the first moment it names.
        t = self.timestamp + "00000101000000"[len(self.timestamp) :]
        return f"{t[0:4]}-{t[4:6]}-{t[6:8]}T{t[8:10]}:{t[10:12]}:{t[12:14]}+00:00"

    def replay_url(self, replay: str) -> str:
        """The page as archived, without the archive's rewriting (``id_``)."""
        return f"{replay.rstrip('/')}/{self.timestamp}id_/{self.original}"

    @property
    def usable(self) -> bool:
        """A 200 capture of an HTML page, or of one of no known type (the query asks for
        those; a server may ignore its filters)."""
        return self.status == WANTED_STATUS and self.mimetype.lower() in WANTED_MIMES


@dataclass(frozen=True)
class CdxPage:
    """One answer of the CDX server: its captures, and the key of the next page."""

    captures: list[CdxCapture]
    resume_key: str | None


def _timestamp(date: str, end: bool) -> str:
    """A user's date (YYYY-MM-DD or ISO date-time) as a CDX timestamp bound."""
    moment = parse_user_date(date)
    # CDX bounds are inclusive; a whole day's end is the next midnight, exclusive.
    when = moment.end() - timedelta(seconds=1) if end and moment.whole_day else moment.start()
    return when.strftime("%Y%m%d%H%M%S")


def cdx_query(
    cdx: str,
    url: str,
    *,
    match_type: str,
    since: str | None = None,
    until: str | None = None,
    limit: int = CDX_PAGE_SIZE,
) -> str:
    """The query for the 200 captures of ``url`` (``match_type``: exact, prefix, host or
    domain) between ``since`` and ``until``, one per distinct body, less those of types
    no article has (:data:`SKIPPED_MIMES`)."""
    params = [
        ("url", url),
        ("matchType", match_type),
        ("output", "json"),
        # No "fl": the two servers name the fields differently; their defaults hold them.
        # Filters are matched whole (Java's matches() on the Wayback Machine), as
        # substrings on pywb: plain strings mean the same to both.
        ("filter", f"statuscode:{WANTED_STATUS}"),
        *(("filter", f"!mimetype:{mime}") for mime in SKIPPED_MIMES),
        ("collapse", "digest"),
        ("limit", str(limit)),
        ("showResumeKey", "true"),
    ]
    if since:
        params.append(("from", _timestamp(since, end=False)))
    if until:
        params.append(("to", _timestamp(until, end=True)))
    return f"{cdx}?{urlencode(params)}"


def page_query(query: str, resume_key: str | None) -> str:
    """The query for the page of a listing that ``resume_key`` names (None: the first)."""
    return f"{query}&{urlencode({'resumeKey': resume_key})}" if resume_key else query


def _with(query: str, changes: dict[str, str]) -> str:
    """``query`` with the parameters in ``changes`` set (replaced where present)."""
    parts = urlsplit(query)
    params = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in changes]
    return urlunsplit(parts._replace(query=urlencode([*params, *changes.items()])))


def reverse_query(query: str) -> str:
    """The same listing, last capture first (pywb: its last ``limit`` captures)."""
    return _with(query, {"sort": "reverse"})


def split_query(query: str, now: datetime | None = None) -> tuple[str, str] | None:
    """The listing ``query`` as two, each over half its time range (``from``/``to``,
    both inclusive; without them, from :data:`EARLIEST` to ``now``); None when the
    range is one second, which cannot be halved."""
    params = dict(parse_qsl(urlsplit(query).query))
    end = (now or datetime.now(timezone.utc)).strftime(_STAMP)

    def moment(stamp: str, pad: str) -> datetime:
        return datetime.strptime((stamp + pad[len(stamp) :])[:14], _STAMP)

    first = moment(params.get("from") or EARLIEST, "00000101000000")
    last = moment(params.get("to") or end, "99991231235959")
    if last <= first:
        return None
    middle = first + (last - first) // 2
    middle -= timedelta(microseconds=middle.microsecond)
    return (
        _with(query, {"from": first.strftime(_STAMP), "to": middle.strftime(_STAMP)}),
        _with(
            query,
            {"from": (middle + timedelta(seconds=1)).strftime(_STAMP), "to": last.strftime(_STAMP)},
        ),
    )


_FIELDS = {
    # The Wayback Machine's names, and pywb's for the same fields.
    "timestamp": "timestamp",
    "original": "original",
    "url": "original",
    "statuscode": "status",
    "status": "status",
    "mimetype": "mimetype",
    "mime": "mimetype",
    "digest": "digest",
}


def _capture(fields: dict) -> CdxCapture | None:
    """A row's capture; None for a row without its timestamp or URL (skipped, not fatal)."""
    values = {_FIELDS[k]: str(v) for k, v in fields.items() if k in _FIELDS}
    if not values.get("timestamp") or not values.get("original"):
        return None
    values.setdefault("status", "")
    values.setdefault("mimetype", "")
    return CdxCapture(**values)


def parse_cdx(body: bytes) -> CdxPage:
    """The captures and resume key of a CDX answer (either JSON form, see the module
    docstring). ValueError when it is neither."""
    text = body.decode("utf-8").strip()
    if not text:
        return CdxPage([], None)
    if text.startswith("["):
        rows = json.loads(text)
        if not isinstance(rows, list):
            raise ValueError("a CDX answer in JSON is a list of rows")
        return _parse_rows(rows)
    captures = []
    for line in text.splitlines():
        if line.strip():
            record = json.loads(line)
            if not isinstance(record, dict) or not set(record) & set(_FIELDS):
                raise ValueError(f"not a CDX line: {line[:80]!r}")
            capture = _capture(record)
            if capture is not None:
                captures.append(capture)
    return CdxPage(captures, None)


def _parse_rows(rows: list) -> CdxPage:
    if not rows:
        return CdxPage([], None)
    header, *rest = rows
    resume_key = None
    # "[], [key]" at the end: the key of the next page.
    if len(rest) >= 2 and rest[-2] == [] and len(rest[-1]) == 1:
        resume_key = str(rest[-1][0])
        rest = rest[:-2]
    captures = []
    for row in rest:
        if not isinstance(row, list) or len(row) != len(header):
            raise ValueError(f"a CDX row does not match its header: {row!r:.80}")
        capture = _capture(dict(zip(header, row, strict=True)))
        if capture is not None:
            captures.append(capture)
    return CdxPage(captures, resume_key)
