"""Story text a page carries in its scripts instead of its markup.

Pages rendered in the browser send a shell and the story as data: JSON-LD's
``articleBody``; Next.js's ``__NEXT_DATA__`` JSON; the Next.js app router's
``self.__next_f.push([1, "..."])`` chunks, which together are one React Server
Components ("flight") stream of rows ``<id>:<JSON>`` and ``<id>:T<hex byte length>,<text>``
(long HTML travels as such text rows, and elements as ``["$", tag, key, props]``);
or a store's first state assigned in a script (``window.__INITIAL_STATE__ = {...}``).
When the markup holds no story, scraper.extract.page takes it from here.

The scripts are collected while the page is whole (trafilatura prunes them) and
read only when needed. JSON is the standard library's ``json`` (``raw_decode``
finds where an assigned object ends); the story markup found in it is left to
trafilatura, like any page.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import html as lxml_html

from archive.record import word_count

__all__ = ["CARRIERS", "Candidate", "Scripts", "candidates", "collect_scripts"]

# Where a story may come from, in the order they are tried when they give as much text.
CARRIERS = (
    "story-in-jsonld",
    "story-in-next-data",
    "story-in-next-flight",
    "story-in-initial-state",
)

_FLIGHT_PUSH = re.compile(r"self\.__next_f\.push\(\[1,\s*(\"(?:[^\"\\]|\\.)*\")\s*\]\)", re.S)
# A store's state: window.__INITIAL_STATE__ = {...}, window["__PRELOADED_STATE__"] = {...}
_STATE = re.compile(
    r"window(?:\.|\[[\"'])(__INITIAL_STATE__|__PRELOADED_STATE__|__INITIAL_DATA__|"
    r"__APOLLO_STATE__|__NUXT_DATA__|__DATA__)(?:[\"']\])?\s*=\s*(JSON\.parse\()?"
)
# Markup that makes a string story HTML rather than a label or a teaser.
_STORY_MARKUP = re.compile(r"<(p|br|h[2-6]|li|blockquote)\b", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
# A string shorter than this is a title, a teaser or a label, not a story.
_MIN_STORY_CHARS = 200
# Elements of a flight tree that are written out as markup; others (components) give
# only their children.
_HTML_TAGS = frozenset(
    "p h1 h2 h3 h4 h5 h6 ul ol li blockquote div section article main span a strong em b i "
    "u br figure figcaption table thead tbody tr td th pre code sup sub small".split()
)
_FLIGHT_ROW = re.compile(rb"([0-9a-fA-F]*):(?:T([0-9a-fA-F]+),)?")


@dataclass(frozen=True)
class Scripts:
    """The texts of a page's scripts that may carry its story, by carrier."""

    next_data: str | None = None
    flight: tuple[str, ...] = ()
    states: tuple[str, ...] = ()


@dataclass(frozen=True)
class Candidate:
    """A story found in a script: markup (``is_html``) or plain text, and where it was."""

    carrier: str
    content: str
    is_html: bool

    @property
    def words(self) -> int:
        """Words of its text without markup: candidates are tried longest first."""
        return word_count(_TAG.sub(" ", self.content) if self.is_html else self.content)


def collect_scripts(tree: lxml_html.HtmlElement) -> Scripts:
    """The scripts worth reading later; cheap (a substring test per inline script)."""
    next_data, flight, states = None, [], []
    for script in tree.iter("script"):
        text = script.text or ""
        if script.get("id") == "__NEXT_DATA__":
            next_data = text
        elif "self.__next_f.push" in text:
            flight.append(text)
        elif "window" in text and _STATE.search(text):
            states.append(text)
    return Scripts(next_data, tuple(flight), tuple(states))


def candidates(scripts: Scripts, article_body: str | None) -> list[Candidate]:
    """Every story the scripts (and JSON-LD's articleBody) hold, longest first."""
    found: list[Candidate] = []
    if article_body and len(article_body) >= _MIN_STORY_CHARS:
        found.append(
            Candidate("story-in-jsonld", article_body, bool(_STORY_MARKUP.search(article_body)))
        )
    if scripts.next_data:
        found += _from_json(_loads(scripts.next_data), "story-in-next-data")
    if scripts.flight:
        found += _from_flight(scripts.flight)
    for text in scripts.states:
        for match in _STATE.finditer(text):
            found += _from_json(_assigned(text, match), "story-in-initial-state")
    order = {name: i for i, name in enumerate(CARRIERS)}
    return sorted(found, key=lambda c: (-c.words, order[c.carrier]))


def _loads(text: str) -> object:
    try:
        return json.loads(text)
    except ValueError:
        return None


def _assigned(text: str, match: re.Match) -> object:
    """The JSON value assigned after ``match``: an object literal, or JSON.parse("...")."""
    try:
        value, _end = json.JSONDecoder().raw_decode(text, match.end())
    except ValueError:
        return None
    if match.group(2) and isinstance(value, str):  # JSON.parse("{...}"): JSON in a string
        return _loads(value)
    return value


def _strings(value: object) -> Iterator[str]:
    """Every string inside a JSON value, without recursion (blobs nest deeply)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _story_markup(text: str) -> bool:
    return len(text) >= _MIN_STORY_CHARS and bool(_STORY_MARKUP.search(text))


def _from_json(value: object, carrier: str) -> list[Candidate]:
    return [Candidate(carrier, s, True) for s in _strings(value) if _story_markup(s)]


def _from_flight(chunks: tuple[str, ...]) -> list[Candidate]:
    """Story markup in a flight stream: its HTML text rows, strings of HTML in its JSON
    rows, and its rows' element trees written out as markup."""
    pieces = []
    for chunk in chunks:
        for match in _FLIGHT_PUSH.finditer(chunk):
            piece = _loads(match.group(1))
            if isinstance(piece, str):
                pieces.append(piece)
    rows = _flight_rows("".join(pieces))
    found: list[Candidate] = []
    for value in rows.values():
        if isinstance(value, str):  # a text row
            if _story_markup(value):
                found.append(Candidate("story-in-next-flight", value, True))
            continue
        found += _from_json(value, "story-in-next-flight")
        rendered = _render(value, rows, 0)
        if _story_markup(rendered):
            found.append(Candidate("story-in-next-flight", rendered, True))
    return found


def _flight_rows(stream: str) -> dict[str, object]:
    """Rows of a flight stream by id: text rows as str, JSON rows parsed (others left out).

    A text row's length counts UTF-8 bytes, so the stream is read as bytes.
    """
    data = stream.encode("utf-8")
    rows: dict[str, object] = {}
    position = 0
    while position < len(data):
        match = _FLIGHT_ROW.match(data, position)
        row_id = match.group(1).decode() if match else ""
        if match and match.group(2):
            start = match.end()
            end = start + int(match.group(2), 16)
            rows[row_id] = data[start:end].decode("utf-8", "replace")
            position = end
            continue
        end = data.find(b"\n", position)
        end = len(data) if end < 0 else end
        if match and row_id:
            value = _loads(data[match.end() : end].decode("utf-8", "replace"))
            if isinstance(value, (list, dict)):
                rows[row_id] = value
        position = end + 1
    return rows


def _reference(value: str, rows: dict[str, object]) -> object:
    """What a flight string such as "$3" points to ("$$" escapes a dollar sign)."""
    if value.startswith("$$"):
        return value[1:]
    return rows.get(value[1:]) if re.fullmatch(r"\$[0-9a-fA-F]+", value) else None


def _render(node: object, rows: dict[str, object], depth: int) -> str:
    """An element tree of a flight row as markup; references to other rows followed."""
    if depth > 60:  # a cycle or a pathological nesting: enough has been written
        return ""
    if isinstance(node, str):
        if not node.startswith("$"):
            return html.escape(node, quote=False)
        target = _reference(node, rows)
        if isinstance(target, str):
            return html.escape(target, quote=False)
        return _render(target, rows, depth + 1) if target is not None else ""
    if not isinstance(node, list):
        return ""
    if len(node) >= 4 and node[0] == "$" and isinstance(node[1], str):
        props = node[3] if isinstance(node[3], dict) else {}
        inner = props.get("dangerouslySetInnerHTML")
        if isinstance(inner, dict) and isinstance(inner.get("__html"), str):
            raw = inner["__html"]
            target = _reference(raw, rows) if raw.startswith("$") else raw
            content = target if isinstance(target, str) else ""
        else:
            content = _render(props.get("children"), rows, depth + 1)
        tag = node[1]
        return f"<{tag}>{content}</{tag}>" if tag in _HTML_TAGS else content
    return "".join(_render(item, rows, depth + 1) for item in node)
