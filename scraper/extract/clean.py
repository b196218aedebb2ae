"""Block-level cleaning: generic cruft rules plus a source's own rules.

Removes what sites put around a story (search labels, share prompts, "Read
also" lists, disclaimers, tag blocks, repeated standfirsts and paragraphs) and
keeps what it removes that is worth having as metadata: the editorial note,
tags after a "Helpful keywords" line, the byline / original-outlet line. Before
the rules, list items typed as paragraphs become lists (blocks.typed_lists) and
each block gets the text repairs of scraper.extract.rules ("fata*lities").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from scraper.extract.authors import BYLINE_PREFIX
from scraper.extract.blocks import ITEM_MARK, Block, fingerprint, typed_lists
from scraper.extract.rules import generic_rule_for, repair_text
from scraper.sources import Cleaning

# A caption glued under a paragraph in a text dump: a few words, no sentence end.
_CAPTION = re.compile(r"^[^.!?؟:;\"”»]{1,40}$")
# Shorter repeated blocks ("Background", "***") may legitimately recur.
_MIN_REPEAT_CHARS = 40
_TRANSLATED = re.compile(r"translat|ترجم", re.IGNORECASE)


@dataclass
class Byline:
    authors: list[str] = field(default_factory=list)
    original_source: str | None = None
    original_stance: str | None = None


@dataclass
class Cleaned:
    blocks: list[Block]
    editorial_note: str | None = None
    trailing_tags: list[str] = field(default_factory=list)
    byline: Byline | None = None
    # Names from generic byline lines ("By Jane Doe and John Roe, Reuters").
    credited: list[str] = field(default_factory=list)
    removed: list[tuple[str, str]] = field(default_factory=list)  # (rule name, text)

    @property
    def translated(self) -> bool:
        return bool(self.editorial_note and _TRANSLATED.search(self.editorial_note))


def parse_byline(text: str, pattern: re.Pattern | None) -> Byline | None:
    """Parse a source line such as 'by Anas Ahmad for Al-Watan (pro-government newspaper)'."""
    if pattern is None:
        return None
    match = pattern.match(text.strip())
    if not match:
        return None
    groups = match.groupdict()
    author = (groups.get("author") or "").strip()
    outlet = (groups.get("outlet") or "").strip() or None
    stance = (groups.get("stance") or "").strip() or None
    return Byline([author] if author else [], outlet, stance)


# Not the Arabic "و" (and): it is glued to the next word and starts names (وليد).
_CREDIT_SPLIT = re.compile(r"\s*(?:,|\band\b|&|\||\s[–—-]\s|،)\s*")


def credited_names(text: str) -> list[str]:
    """Names in a byline line: people (two words or more), else the outlet named."""
    rest = BYLINE_PREFIX.sub("", text.strip()).strip(" .")
    parts = [p.strip(" .") for p in _CREDIT_SPLIT.split(rest) if p.strip(" .")]
    people = [p for p in parts if len(p.split()) >= 2]
    return people or parts[:1]


def _tags_from_blocks(blocks: list[Block]) -> list[str]:
    tags: list[str] = []
    for block in blocks:
        for part in re.split(r"[\n,،]", block.text):
            part = ITEM_MARK.sub("", part.strip()).strip()
            if part and len(part) <= 60 and part not in tags:
                tags.append(part)
    return tags


def clean_blocks(
    blocks: list[Block],
    rules: Cleaning | None = None,
    *,
    title: str | None = None,
    summary: str | None = None,
    text_dump: bool = False,
) -> Cleaned:
    """Drop cruft blocks; return the story blocks and the metadata found on the way."""
    rules = rules or Cleaning()
    result = Cleaned(blocks=[])
    notes: list[str] = []
    seen: set[str] = set()
    skip_keys = {fingerprint(t) for t in (title, summary) if t}

    blocks = typed_lists(blocks)
    for index, block in enumerate(blocks):
        text = repair_text(block.text)
        for pattern in rules.strip_patterns:
            text = pattern.sub("", text).strip()
        if not text:
            continue
        if any(p.search(text) for p in rules.cut_at):
            result.removed.append(("cut-at", text))
            result.trailing_tags = _tags_from_blocks(blocks[index + 1 :])
            break
        reason = _drop_reason(text, rules)
        if reason == "byline" and block.kind == "head" and result.blocks:
            # A heading within the story titles a section ("By Functionality", "By Region").
            reason = None
        if reason == "editorial-note":
            notes.append(text)
        elif reason == "byline":
            source_byline = parse_byline(text, rules.source_line)
            result.byline = result.byline or source_byline
            if source_byline is None and not result.credited:
                result.credited = credited_names(text)
        key = fingerprint(text)
        if reason is None and key in skip_keys:
            reason = "repeated-title-or-standfirst"
        if reason is None and key in seen and len(text) >= _MIN_REPEAT_CHARS:
            reason = "repeated-paragraph"
        if reason is None and text_dump and block.attached and _CAPTION.match(text):
            reason = "caption"
        if reason is None and block.kind == "list":
            text = _clean_list(text, rules, result)
            reason = None if text else "empty-list"
        if reason:
            result.removed.append((reason, text))
            continue
        seen.add(key)
        result.blocks.append(Block(block.kind, text, block.attached))

    result.editorial_note = "\n\n".join(notes) or None
    return result


def _drop_reason(text: str, rules: Cleaning) -> str | None:
    if any(p.search(text) for p in rules.drop_blocks):
        return "source-rule"
    if any(p.search(text) for p in rules.editorial_note):
        return "editorial-note"
    if rules.source_line is not None and rules.source_line.match(text):
        return "byline"
    rule = generic_rule_for(text)
    return rule.name if rule else None


def _clean_list(text: str, rules: Cleaning, result: Cleaned) -> str:
    """Drop cruft items of a list (share links, 'Read also' items) and keep the rest."""
    kept = []
    for line in text.split("\n"):
        item = ITEM_MARK.sub("", line).strip()
        reason = _drop_reason(item, rules)
        if reason:
            result.removed.append((reason, item))
        else:
            kept.append(line)
    return "\n".join(kept)
