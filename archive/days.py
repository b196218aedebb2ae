"""The publisher's day: what the archive shows, filters, counts and exports a date by.

An article keeps two forms of its publication time (archive/schema.py):

- ``published``: ISO 8601 in UTC, what sorting compares across zones;
- ``published_local``: ISO 8601 with the publisher's own offset
  (``2024-12-08T00:30:00+03:00``), or as printed when the offset is unknown
  (``2024-12-08T00:30:00``), or a day alone (``2024-12-08``). Its first ten
  characters are the publisher's day, its first seven the publisher's month.

An article published at 00:30 in Damascus is on the 8th for its readers and on
the 7th in UTC: the day shown, filtered by, counted (archive.counts) and
exported is the 8th. Every rule about it is here: how a record's pair is made
(:func:`publication`), the SQL of a row's day and month, and the filter on a
range of days (:func:`date_filter`), which narrows on ``published`` first (its
indexes) by the widest offsets there are, then keeps the rows whose own day is
in the range.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

from archive.clock import parse_user_date, to_iso

__all__ = [
    "DAY_SQL",
    "LOCAL_SQL",
    "MONTH_SQL",
    "UNKNOWN_OFFSET_NOTE",
    "date_filter",
    "day_in_offset",
    "day_of",
    "publication",
    "sql",
]

# A row's publication time as its publisher wrote it (published for a row written
# without published_local, by SQL of its own), its day and its month.
LOCAL_SQL = "coalesce({t}published_local, {t}published)"
DAY_SQL = "substr(" + LOCAL_SQL + ", 1, 10)"
MONTH_SQL = (
    "CASE WHEN " + LOCAL_SQL + " GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]*' "
    "THEN substr(" + LOCAL_SQL + ", 1, 7) END"
)
# Local time is UTC-12:00 to UTC+14:00: a publisher's day lies within these of the
# same day in UTC.
_WIDEST = timedelta(hours=14)
# date_notes of a time stored in UTC before the publisher's offset was kept: the
# day shown may be UTC's. A new fetch or re-extraction of the page replaces it.
UNKNOWN_OFFSET_NOTE = "offset unknown: stored in UTC before the publisher's day was kept"


def sql(template: str, table: str | None = None) -> str:
    """One of the templates above for ``table``'s columns (None: unqualified)."""
    return template.format(t=f"{table}." if table else "")


def _parse(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None


def _local_text(value: datetime) -> str:
    return value.replace(microsecond=0).isoformat()


def publication(published: Any, published_local: Any = None) -> tuple[str | None, str | None]:
    """A record's (``published``, ``published_local``) as stored.

    ``published_local`` given: kept (a datetime written with its offset), and
    ``published`` made from it when missing. Otherwise from ``published``: a time
    with an offset other than UTC's is stored in UTC and keeps its offset as the
    local form; a time in UTC, without an offset, a day alone or text that is no
    ISO date is both (the publisher's offset is not known).
    """
    if isinstance(published_local, (datetime, date)):
        published_local = _local_text(published_local)
    if published_local in (None, ""):
        published_local = None
    if isinstance(published, datetime):
        if published_local is None:
            published_local = (
                _local_text(published) if published.tzinfo is not None else to_iso(published)
            )
        return to_iso(published), published_local
    if published in (None, ""):
        published = None
        if published_local is None:
            return None, None
        published = published_local
    text = str(published)
    value = _parse(text) if len(text) > 10 else None
    offset = value.utcoffset() if value is not None else None
    if offset:  # an offset other than UTC's: sorted in UTC, shown in its own
        return to_iso(value), published_local or text
    return text, published_local or text


def day_of(published: str | None, published_local: str | None = None) -> str:
    """The publisher's day of a row, YYYY-MM-DD (empty when it has no date)."""
    return (published_local or published or "")[:10]


def day_in_offset(moment: str | None, published_local: str | None) -> str:
    """The day of ``moment`` (a UTC time, such as ``updated``) in the offset of the
    article's ``published_local``: an edit at 22:00 UTC of an article of 00:30 in
    Damascus is on the publisher's next day. UTC's day where that offset is unknown."""
    if not moment:
        return ""
    value = _parse(moment) if len(moment) > 10 else None
    local = _parse(published_local) if published_local and len(published_local) > 19 else None
    if value is None or value.tzinfo is None or local is None or local.tzinfo is None:
        return moment[:10]
    return value.astimezone(local.tzinfo).date().isoformat()


def date_filter(
    since: str | date | datetime | None,
    until: str | date | datetime | None,
    table: str | None = None,
) -> tuple[list[str], list[Any]]:
    """SQL conditions (and their parameters) for a date range on articles.

    A bare date is a publisher's day: ``since`` 2024-12-08 includes an article of
    2024-12-08T00:30:00+03:00 (21:30 on the 7th in UTC), and ``until`` the same day
    includes all of it. A date with a time is a moment, compared with the UTC
    ``published`` (inclusive at both ends). An article without a date matches
    neither. Raises ValueError for a date it cannot read.
    """
    t = f"{table}." if table else ""
    day = sql(DAY_SQL, table)
    clauses: list[str] = []
    params: list[Any] = []
    for value, upper in ((since, False), (until, True)):
        if not value:
            continue
        when = parse_user_date(value)
        if not when.whole_day:
            clauses.append(f"{t}published {'<=' if upper else '>='} ?")
            params.append(when.moment.isoformat())
            continue
        first = when.start().astimezone(timezone.utc)
        if upper:
            # published first (its index), then the row's own day.
            clauses.append(f"{t}published < ? AND {day} < ?")
            params += [(when.end() + _WIDEST).isoformat(), when.end().date().isoformat()]
        else:
            clauses.append(f"{t}published >= ? AND {day} >= ?")
            params += [(first - _WIDEST).isoformat(), first.date().isoformat()]
    return clauses, params
