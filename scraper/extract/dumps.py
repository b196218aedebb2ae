"""Cleaning text that was scraped already (plain-text dumps) with a source's rules.

The same block rules as for pages (scraper.extract.clean), on blocks split
from plain text (scraper.extract.blocks) instead of from trafilatura's tree.
"""

from __future__ import annotations

from archive.record import word_count
from scraper.extract.blocks import blocks_from_text, body_text
from scraper.extract.clean import Cleaned, clean_blocks
from scraper.extract.metadata import detect_language
from scraper.extract.rules import EXTRACTOR_VERSION
from scraper.sources import Cleaning, Source, resolve_source

__all__ = ["clean_text"]


def clean_text(text: str, source: Source | str | None = None) -> dict:
    """Clean an already-scraped text dump with the source's rules.

    The first block after leading cruft is the title; with the source's
    ``standfirst_after_title`` the next one is the summary. Returns title,
    summary, body, editorial_note, translated, tags, authors, original_source
    and original_stance.
    """
    source = resolve_source(source, None)
    rules = source.cleaning if source else Cleaning()
    blocks = blocks_from_text(text)
    leading = clean_blocks(blocks, rules, text_dump=True)
    # Leading cruft ("Search", "Logo Wide") goes before the title is taken.
    while blocks and leading.blocks and blocks[0].text != leading.blocks[0].text:
        blocks.pop(0)
    title = blocks.pop(0).text if blocks else None
    summary = None
    if rules.standfirst_after_title and blocks and blocks[0].kind == "p":
        summary = blocks.pop(0).text
    cleaned: Cleaned = clean_blocks(blocks, rules, title=title, summary=summary, text_dump=True)
    byline = cleaned.byline
    body = body_text(cleaned.blocks)
    return {
        "source": source.id if source else None,
        "title": title,
        "summary": summary,
        "body": body,
        "authors": byline.authors if byline else [],
        "tags": cleaned.trailing_tags,
        "editorial_note": cleaned.editorial_note,
        "translated": cleaned.translated,
        "original_source": byline.original_source if byline else None,
        "original_stance": byline.original_stance if byline else None,
        "language": detect_language(body) or (source.language if source else None),
        "word_count": word_count(body),
        "extractor_version": EXTRACTOR_VERSION,
    }
