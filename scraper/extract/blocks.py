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
    """Blocks from the <body> of trafilatura's XML output."""
    if body is None:
        return []
    blocks: list[Block] = []
    for child in body:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "list":
            items = [_lines_text(item) for item in child.iter("item")]
            items = [f"{BULLET} {item}" for item in items if item]
            if items:
                blocks.append(Block("list", "\n".join(items)))
        elif tag == "table":
            rows = []
            for row in child.iter("row"):
                cells = [_lines_text(cell) for cell in row.iter("cell")]
                rows.append(" | ".join(c for c in cells if c))
            text = "\n".join(r for r in rows if r)
            if text:
                blocks.append(Block("table", text))
        elif tag == "quote" and child.find("p") is not None:
            blocks.extend(Block("quote", t) for t in map(_lines_text, child) if t)
        elif tag in ("head", "quote", "p"):
            text = _lines_text(child)
            if text:
                blocks.append(Block({"head": "head", "quote": "quote"}.get(tag, "p"), text))
        else:
            text = _lines_text(child)
            if text:
                blocks.append(Block("p", text))
    return blocks


def _lines_text(element: etree._Element) -> str:
    """Text of an element; <lb/> line breaks (poems, addresses) stay as newlines."""
    for br in element.iter("lb"):
        br.tail = "\n" + (br.tail or "")
    lines = (normalise_space(line) for line in "".join(element.itertext()).split("\n"))
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
