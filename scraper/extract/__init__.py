"""HTML -> record: trafilatura for the main text, then generic and per-source cleaning.

The public functions, each in the module of its role:

- ``extract(html, url, source=None)`` (scraper.extract.page) turns a fetched
  page into an :class:`archive.record.Extraction`: the record (body, title,
  summary, authors, dates, tags, editorial note, ...) and whether the page is
  an article (scraper.extract.classify).
- ``clean_text(text, source)`` (scraper.extract.dumps) cleans an
  already-scraped plain-text dump with the same rules.

Below them: blocks.py (text blocks), clean.py and rules.py (cleaning rules),
metadata.py (what the page declares), dates.py (dates in English and Arabic).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scraper.extract.dumps import clean_text
    from scraper.extract.page import TRAFILATURA_OPTIONS, extract
    from scraper.extract.rules import EXTRACTOR_VERSION, RULES_VERSION

__all__ = ["EXTRACTOR_VERSION", "RULES_VERSION", "TRAFILATURA_OPTIONS", "clean_text", "extract"]

# Loaded on first use (PEP 562): the spiders import classify and dates from this
# package, and a poll whose feeds answer 304 should not import trafilatura for them.
_HOME = {
    "clean_text": "scraper.extract.dumps",
    "extract": "scraper.extract.page",
    "TRAFILATURA_OPTIONS": "scraper.extract.page",
    "EXTRACTOR_VERSION": "scraper.extract.rules",
    "RULES_VERSION": "scraper.extract.rules",
}


def __getattr__(name: str):
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_HOME[name]), name)
