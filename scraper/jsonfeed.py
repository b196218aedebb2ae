"""JSON Feed (https://www.jsonfeed.org/version/1.1/, and 1.0) read into feedparser's shape.

feedparser reads RSS and Atom only; a JSON Feed is one JSON object whose
``items`` each name an article (``url``, ``title``, ``date_published``,
``authors``, ``tags``, ``summary``). :func:`parse` gives what
``feedparser.parse`` gives for the fields the poller uses (``entries`` with
``link``, ``title``, ``published``/``published_parsed``, ``updated``/
``updated_parsed``, ``authors``, ``tags``, ``summary``; ``bozo`` and
``bozo_exception`` when something is wrong), so the feed spider treats both
alike.

A small reader of our own rather than PyPI's jsonfeed-util: that one parses
a feed all or nothing (one item without an ``id`` fails the whole feed, a
value of the wrong type raises anywhere), where a poll must take every usable
item and say what was wrong with the others; the format itself is a JSON
object read with the standard library. Dates are RFC 3339, read by
scraper.extract.dates.
"""

from __future__ import annotations

import json
from typing import Any

from feedparser import FeedParserDict

from scraper.extract.dates import parse_date

__all__ = ["JSONFeedError", "is_json_feed", "parse"]

VERSION_PREFIX = "https://jsonfeed.org/version/"
_BOM = b"\xef\xbb\xbf"


class JSONFeedError(ValueError):
    """What is wrong with a JSON Feed (feedparser's ``bozo_exception``)."""


def is_json_feed(body: bytes) -> bool:
    """Whether a feed's bytes are JSON (an RSS or Atom feed never starts with "{")."""
    return body.removeprefix(_BOM).lstrip().startswith(b"{")


def parse(body: bytes) -> FeedParserDict:
    """The feed's items as feedparser entries; every usable one, whatever the others hold."""
    problems: list[str] = []
    try:
        document = json.loads(body.removeprefix(_BOM))
    except (ValueError, UnicodeDecodeError) as exc:
        document, problems = {}, [f"not JSON: {exc}"]
    if not isinstance(document, dict):
        document, problems = {}, [f"not a JSON object but {type(document).__name__}"]
    version = document.get("version")
    if document and not (isinstance(version, str) and version.startswith(VERSION_PREFIX)):
        problems.append(f"version is {version!r}, not {VERSION_PREFIX}...")
    items = document.get("items", [])
    if not isinstance(items, list):
        problems.append(f"items is a {type(items).__name__}, not a list")
        items = []
    entries = []
    for n, item in enumerate(items, 1):
        if isinstance(item, dict):
            entries.append(_entry(item))
        else:
            problems.append(f"item {n} is a {type(item).__name__}, not an object")
    result = FeedParserDict(
        entries=entries, feed=FeedParserDict(title=_text(document.get("title"))), bozo=False
    )
    if problems:
        result["bozo"] = True
        result["bozo_exception"] = JSONFeedError("; ".join(problems))
    return result


def _entry(item: dict[str, Any]) -> FeedParserDict:
    entry = FeedParserDict()
    link = _text(item.get("url"))
    item_id = _text(item.get("id"))
    if not link and item_id and item_id.startswith(("http://", "https://")):
        link = item_id  # "id ... might be the URL of the item" (the spec)
    entry["link"] = link
    entry["title"] = _text(item.get("title"))
    entry["summary"] = _text(item.get("summary"))
    for ours, theirs in (("published", "date_published"), ("updated", "date_modified")):
        text = _text(item.get(theirs))
        when = parse_date(text) if text else None
        if when:
            entry[ours] = text
            entry[f"{ours}_parsed"] = when.utctimetuple()
    # 1.1 has "authors"; 1.0 had one "author".
    authors = item.get("authors")
    if not isinstance(authors, list):
        authors = [item.get("author")]
    entry["authors"] = [
        FeedParserDict(name=_text(a.get("name"))) for a in authors if isinstance(a, dict)
    ]
    tags = item.get("tags")
    entry["tags"] = (
        [FeedParserDict(term=t) for t in tags if _text(t)] if isinstance(tags, list) else []
    )
    return entry


def _text(value: Any) -> str | None:
    return (value.strip() or None) if isinstance(value, str) else None
