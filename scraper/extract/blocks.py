"""The body as a list of blocks: paragraphs, subheadings, lists and quotes.

Both inputs the cleaner accepts end up here: trafilatura's XML body tree (from
HTML pages) and plain-text dumps of already-scraped articles. Cleaning rules
then work on blocks, so one set of rules serves both.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from lxml import etree

BULLET = "•"
_BULLET_LINE = re.compile(r"^\s*[•·▪◦●\-\*–]\s+(?=\S)")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")


@dataclass
class Block:
    """One unit of body text. kind is 'p', 'head', 'list', 'quote' or 'table'."""

    kind: str
    text: str
    # True when a text dump had no blank line before this block (a caption glued to
    # the paragraph above it, for instance).
    attached: bool = False


def normalise_space(text: str) -> str:
    """Collapse runs of spaces (including no-break spaces) inside a line and trim it."""
    return _SPACES.sub(" ", text).strip()


def fingerprint(text: str) -> str:
    """A comparison key: case, punctuation and spacing do not matter."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.findall(r"\w+", text))


def blocks_from_tree(body: etree._Element | None) -> list[Block]:
    """Blocks from the <body> of trafilatura's XML output.

    Text that trafilatura leaves loose between elements (the body's own text and
    the tails of its children: a paragraph that was a bare text node in a <div>)
    is story text too and becomes a paragraph of its own.
    """
    if body is None:
        return []
    blocks: list[Block] = []
    _add_loose(blocks, body.text)
    for child in body:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "list":
            text = "\n".join(_list_lines(child))
            if text:
                blocks.append(Block("list", text))
        elif tag == "table":
            rows = []
            for row in child.iter("row"):
                cells = [_lines_text(cell) for cell in row.iter("cell")]
                rows.append(" | ".join(c for c in cells if c))
            text = "\n".join(r for r in rows if r)
            if text:
                blocks.append(Block("table", text))
        elif tag == "quote" and any(
            isinstance(g.tag, str) and g.tag in ("p", "list", "head") for g in child
        ):
            # A block quote of several paragraphs: one quote block per paragraph.
            _add_loose(blocks, child.text, "quote")
            for grandchild in child:
                if grandchild.tag == "list":
                    text = "\n".join(_list_lines(grandchild))
                else:
                    text = _lines_text(grandchild) if grandchild.tag != "lb" else ""
                if text:
                    blocks.append(Block("quote", text))
                _add_loose(blocks, grandchild.tail, "quote")
        elif tag in ("head", "quote", "p"):
            text = _lines_text(child)
            if text:
                blocks.append(Block({"head": "head", "quote": "quote"}.get(tag, "p"), text))
        elif tag != "lb":
            text = _lines_text(child)
            if text:
                blocks.append(Block("p", text))
        _add_loose(blocks, child.tail)
    return blocks


def _add_loose(blocks: list[Block], text: str | None, kind: str = "p") -> None:
    text = normalise_space(text or "")
    if text:
        blocks.append(Block(kind, text))


def _list_lines(element: etree._Element, depth: int = 0) -> list[str]:
    """Bullet lines of a list; a nested list's items follow their parent, indented."""
    lines: list[str] = []
    indent = "  " * depth
    for item in element.iterchildren("item"):
        nested = list(item.iterchildren("list"))
        own = _lines_text(item, skip=("list",))
        if own:
            lines.append(f"{indent}{BULLET} {own}")
        for sub in nested:
            lines.extend(_list_lines(sub, depth + 1))
    return lines


_LB = "\u2028"  # a marker for <lb/> while the text is collected


def _lines_text(element: etree._Element, skip: tuple[str, ...] = ()) -> str:
    """Text of an element; <lb/> line breaks (poems, addresses) stay as newlines.

    Newlines in the markup itself are only spacing, as in a browser.
    """
    parts: list[str] = []

    def walk(el: etree._Element) -> None:
        if el.text:
            parts.append(el.text)
        for sub in el:
            if isinstance(sub.tag, str) and sub.tag in skip:
                pass
            elif sub.tag == "lb":
                parts.append(_LB)
            else:
                walk(sub)
            if sub.tail:
                parts.append(sub.tail)

    walk(element)
    text = "".join(parts).replace("\n", " ").replace("\r", " ")
    lines = (normalise_space(line) for line in text.split(_LB))
    return "\n".join(line for line in lines if line)


def blocks_from_text(text: str) -> list[Block]:
    """Blocks from a plain-text dump: blank lines separate blocks, bullets make lists."""
    blocks: list[Block] = []
    attached = False
    for raw_line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = normalise_space(raw_line)
        if not line:
            attached = False
            continue
        if _BULLET_LINE.match(line):
            item = f"{BULLET} {_BULLET_LINE.sub('', line)}"
            if blocks and blocks[-1].kind == "list" and attached:
                blocks[-1].text += "\n" + item
            else:
                blocks.append(Block("list", item, attached))
        else:
            blocks.append(Block("p", line, attached))
        attached = True
    return blocks


def body_text(blocks: list[Block]) -> str:
    """The record's body: blocks separated by one blank line."""
    return "\n\n".join(b.text for b in blocks if b.text.strip())
