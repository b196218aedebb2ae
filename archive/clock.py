"""Time in the archive: one ``utcnow``, one ISO form, one strict parser for user dates.

Standard library only (``datetime``). Every time the archive stores is UTC ISO
8601 with seconds ("2024-05-01T12:00:00+00:00"), so times compare as text in
SQL. Dates typed by people (``--since``, ``--until``, export filters) go
through :func:`parse_user_date`, which accepts YYYY-MM-DD or an ISO 8601
date-time and nothing else: a typo must be an error, never an unbounded crawl.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

__all__ = ["UserDate", "now", "parse_user_date", "to_iso", "utcnow"]


def now() -> datetime:
    """The current UTC time, to the second."""
    return datetime.now(timezone.utc).replace(microsecond=0)


def utcnow() -> str:
    """The current UTC time as ISO 8601 with seconds, e.g. 2024-05-01T12:00:00+00:00."""
    return now().isoformat()


def to_iso(value: Any) -> str | None:
    """A datetime (naive ones are taken to be UTC) as the archive's ISO form; text unchanged."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc).replace(microsecond=0).isoformat()
    return str(value)


class UserDate:
    """A date or date-time a person typed: a whole day, or a moment (UTC)."""

    def __init__(self, moment: datetime, whole_day: bool, text: str) -> None:
        self.moment = moment
        self.whole_day = whole_day
        self.text = text

    def start(self) -> datetime:
        """The first moment it covers (midnight UTC of a whole day)."""
        return self.moment

    def end(self) -> datetime:
        """The moment after the last one it covers (the next midnight for a whole day)."""
        return self.moment + timedelta(days=1) if self.whole_day else self.moment

    def __str__(self) -> str:
        return self.text


def parse_user_date(value: str | date | datetime) -> UserDate:
    """Parse YYYY-MM-DD or an ISO 8601 date-time (naive: UTC); ValueError otherwise."""
    if isinstance(value, datetime):
        moment, whole_day = value, False
    elif isinstance(value, date):
        moment, whole_day = datetime(value.year, value.month, value.day), True
    else:
        text = str(value).strip()
        try:
            if len(text) == 10:
                day = date.fromisoformat(text)
                moment, whole_day = datetime(day.year, day.month, day.day), True
            else:
                moment, whole_day = datetime.fromisoformat(text.replace("Z", "+00:00")), False
        except ValueError:
            raise ValueError(
                f"bad date {value!r}: use YYYY-MM-DD or an ISO 8601 date-time"
            ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return UserDate(moment.astimezone(timezone.utc), whole_day, str(value))
