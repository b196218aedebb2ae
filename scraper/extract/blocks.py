"""The body as a list of blocks: paragraphs, subheadings, lists and quotes.

Both inputs the cleaner accepts end up here: trafilatura's XML body tree (from
HTML pages) and plain-text dumps of already-scraped articles. Cleaning rules
then work on blocks, so one set of rules serves both. Lists stay lists: "• item"
lines, "1. item" in a numbered one, also where a page types its items as text.
Regular expressions and lxml only: the blocks are small, no parser library needed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from itertools import pairwise

from lxml import etree

BULLET = "•"
# An item of a bulleted list as a page types it; not the en or em dash, which open the
# lines of a dialogue in many languages.
_TYPED_BULLET = re.compile(r"^\s*[•·▪◦●‣\-\*]\s+(?=\S)")
# An item of a numbered list as the text types it: "1. ", "2) ", "١. ".
_NUMBERED_LINE = re.compile(r"^\s*([0-9]{1,2}|[٠-٩]{1,2})[.)]\s+(?=\S)")
# The mark that opens a list line of the body: a bullet, or a number.
ITEM_MARK = re.compile(r"^\s*(?:•|[0-9]{1,2}\.|[٠-٩]{1,2}\.)\s*")
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


# Element names in trafilatura's XML output, and the HTML ones it passes through
# unchanged when it falls back to a baseline extraction (a <div> of <p>s).
_HEADS = frozenset({"head", "h1", "h2", "h3", "h4", "h5", "h6"})
_PARAS = frozenset({"p", "code", "pre", "dt", "dd", "figcaption", "caption", "address"})
_LISTS = frozenset({"list", "ul", "ol", "dl"})
_ITEMS = frozenset({"item", "li", "dt", "dd"})
_QUOTES = frozenset({"quote", "blockquote"})
_TABLES = frozenset({"table"})
_ROWS = frozenset({"row", "tr"})
_CELLS = frozenset({"cell", "td", "th"})
_BREAKS = frozenset({"lb", "br"})
# Elements whose content is never the page's text: code, styles, fallbacks, templates.
NOT_TEXT_TAGS = frozenset({"script", "style", "noscript", "template"})
_SKIP = frozenset({"graphic", "img"}) | NOT_TEXT_TAGS
_BLOCKS = _HEADS | _PARAS | _LISTS | _QUOTES | _TABLES
_CONTAINERS = frozenset(
    {"body", "div", "section", "article", "main", "header", "footer", "aside", "figure",
     "details", "summary", "center", "form", "doc"}
)  # fmt: skip
_LB = "\u2028"  # stands for a <lb/> line break while text is collected


def _tag(element: etree._Element) -> str:
    return element.tag.lower() if isinstance(element.tag, str) else ""


def blocks_from_tree(body: etree._Element | None) -> list[Block]:
    """Blocks from the body of trafilatura's XML output.

    The body is walked like a browser lays it out: paragraphs, headings, lists,
    quotes and tables are blocks; text that sits loose in a container (the
    body's own text, the tail of a heading, the <div>s trafilatura's fallback
    returns) is story text too and becomes a paragraph of its own.
    """
    if body is None:
        return []
    blocks: list[Block] = []
    _walk_container(body, blocks, "p")
    return blocks


def _walk_container(element: etree._Element, blocks: list[Block], kind: str) -> None:
    inline: list[str] = []

    def flush() -> None:
        text = _join_lines(inline)
        inline.clear()
        if text:
            blocks.append(Block(kind, text))

    if element.text:
        inline.append(element.text)
    for child in element:
        tag = _tag(child)
        if tag in _SKIP or not tag:
            pass
        elif tag in _BREAKS:
            inline.append(_LB)
        elif tag in _BLOCKS or tag in _CONTAINERS or _has_blocks(child):
            flush()
            _add_block(child, tag, blocks, kind)
        else:
            inline.append(_inline_text(child))
        if child.tail:
            inline.append(child.tail)
    flush()


def _has_blocks(element: etree._Element) -> bool:
    return any(_tag(d) in _BLOCKS for d in element.iterdescendants())


def _add_block(element: etree._Element, tag: str, blocks: list[Block], kind: str) -> None:
    if tag in _LISTS:
        text = "\n".join(_list_lines(element))
        if text:
            blocks.append(Block("list", text))
    elif tag in _TABLES:
        rows = []
        for row in element.iter():
            if _tag(row) in _ROWS:
                cells = [_lines_text(c) for c in row if _tag(c) in _CELLS]
                rows.append(" | ".join(c for c in cells if c))
        text = "\n".join(r for r in rows if r)
        if text:
            blocks.append(Block("table", text))
    elif tag in _QUOTES:
        if _has_blocks(element):  # a quote of several paragraphs: one block each
            _walk_container(element, blocks, "quote")
        else:
            text = _lines_text(element)
            if text:
                blocks.append(Block("quote", text))
    elif tag in _HEADS:
        text = _lines_text(element)
        if text:
            blocks.append(Block("head", text))
    elif tag in _PARAS and not _has_blocks(element):
        text = _lines_text(element)
        if text:
            blocks.append(Block(kind, text))
    else:  # a container, or a paragraph holding blocks
        _walk_container(element, blocks, kind)


def _list_lines(element: etree._Element, depth: int = 0) -> list[str]:
    """Lines of a list: "• item", or "1. item" in a numbered one (trafilatura's
    rend="ol"); a nested list's items follow their parent, indented."""
    lines: list[str] = []
    indent = "  " * depth
    numbered = _tag(element) == "ol" or element.get("rend") == "ol"
    number = 0
    for item in element:
        if _tag(item) not in _ITEMS:
            continue
        own = _lines_text(item, skip=_LISTS)
        if own:
            number += 1
            lines.append(f"{indent}{number}. {own}" if numbered else f"{indent}{BULLET} {own}")
        for sub in item.iterdescendants():
            if _tag(sub) in _LISTS and _parent_list(sub) is element:
                lines.extend(_list_lines(sub, depth + 1))
    return lines


def _parent_list(element: etree._Element) -> etree._Element | None:
    return next((a for a in element.iterancestors() if _tag(a) in _LISTS), None)


def _inline_text(element: etree._Element) -> str:
    parts: list[str] = []
    _collect(element, parts, frozenset())
    return "".join(parts)


def _collect(element: etree._Element, parts: list[str], skip: frozenset[str]) -> None:
    if element.text:
        parts.append(element.text)
    for sub in element:
        tag = _tag(sub)
        if tag in _BREAKS:
            parts.append(_LB)
        elif tag and tag not in skip and tag not in _SKIP:
            _collect(sub, parts, skip)
        if sub.tail:
            parts.append(sub.tail)


def _join_lines(parts: list[str]) -> str:
    # Newlines in the markup are only spacing, as in a browser; <lb/> breaks lines.
    text = "".join(parts).replace("\n", " ").replace("\r", " ")
    lines = (normalise_space(line) for line in text.split(_LB))
    return "\n".join(line for line in lines if line)


def _lines_text(element: etree._Element, skip: frozenset[str] = frozenset()) -> str:
    """Text of an element; <lb/> line breaks (poems, addresses) stay as newlines."""
    parts: list[str] = []
    _collect(element, parts, skip)
    return _join_lines(parts)


def blocks_from_text(text: str) -> list[Block]:
    """Blocks from a plain-text dump: blank lines separate blocks, and each line of a block
    is a paragraph of its own, ``attached`` to the one above (lines typed as list items
    become lists when the blocks are cleaned, see :func:`typed_lists`)."""
    blocks: list[Block] = []
    attached = False
    for raw_line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = normalise_space(raw_line)
        if not line:
            attached = False
            continue
        blocks.append(Block("p", line, attached))
        attached = True
    return blocks


def _typed_items(text: str) -> tuple[list[str], list[int], bool] | None:
    """The lines of a paragraph that are all list items typed as text, normalised ("- x"
    becomes "• x", "1) x" becomes "1. x"), their numbers (empty for bullets), and whether
    the marks are bullets proper ("•"), which make a list of one item too."""
    items, numbers, proper = [], [], True
    for line in text.split("\n"):
        if bullet := _TYPED_BULLET.match(line):
            items.append(f"{BULLET} {line[bullet.end() :].strip()}")
            proper = proper and bullet.group(0).strip() not in "-*"
        elif (number := _NUMBERED_LINE.match(line)) and len(line) <= _MAX_NUMBERED_ITEM:
            value = int(number.group(1).translate(_EASTERN_DIGITS))
            items.append(f"{number.group(1)}. {line[number.end() :].strip()}")
            numbers.append(value)
        else:
            return None
    if numbers and len(numbers) != len(items):
        return None  # bullets and numbers mixed: not one list
    return items, numbers, proper and not numbers


_EASTERN_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")
# A longer numbered paragraph is a numbered section of the text, not a list item.
_MAX_NUMBERED_ITEM = 400


def typed_lists(blocks: list[Block]) -> list[Block]:
    """Lists that a page types as paragraphs ("<p>• Diesel</p><p>• Flour</p>", "- a<br>- b",
    "<p>1. ...</p><p>2. ...</p>") become one list block each, as they read.

    Two items at least (or one with a bullet proper, "•"), numbers counting up by one:
    a lone "- " paragraph may be a dialogue's dash, a lone "1. " one a numbered paragraph.
    """
    out: list[Block] = []
    run: list[tuple[Block, list[str], list[int], bool]] = []

    def flush() -> None:
        items = [i for _, its, _, _ in run for i in its]
        numbers = [n for _, _, ns, _ in run for n in ns]
        counting = all(b == a + 1 for a, b in pairwise(numbers))
        if (len(items) >= 2 or all(proper for *_, proper in run)) and counting:
            out.append(Block("list", "\n".join(items), run[0][0].attached))
        else:
            out.extend(block for block, *_ in run)
        run.clear()

    for block in blocks:
        typed = _typed_items(block.text) if block.kind == "p" else None
        if typed and run and bool(typed[1]) != bool(run[-1][2]):
            flush()  # a numbered run after a bulleted one: two lists
        if typed:
            run.append((block, *typed))
            continue
        if run:
            flush()
        out.append(block)
    if run:
        flush()
    return out


def body_text(blocks: list[Block]) -> str:
    """The record's body: blocks separated by one blank line."""
    return "\n\n".join(b.text for b in blocks if b.text.strip())
