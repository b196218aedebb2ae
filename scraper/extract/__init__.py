"""HTML -> record: trafilatura for the main text, then generic and per-source cleaning.

Two public functions:

- ``extract(html, url, source=None)`` turns a fetched page into the archive's
  record (body, title, summary, authors, dates, tags, editorial note, ...).
- ``clean_text(text, source)`` cleans an already-scraped plain-text dump with
  the same rules.

trafilatura is the generic extractor (the best-scoring open one on news pages,
and maintained); the cleaning rules in ``rules.py`` and the registry remove
what it leaves around the story.
"""

from __future__ import annotations

from datetime import datetime, timezone
from functools import lru_cache

import trafilatura
from lxml import etree
from lxml import html as lxml_html

from scraper.extract.blocks import blocks_from_text, blocks_from_tree, body_text
from scraper.extract.clean import Cleaned, clean_blocks, parse_byline
from scraper.extract.dates import choose_published, date_from_url, iso, parse_date
from scraper.extract.metadata import (
    detect_language,
    read_meta,
    real_authors,
    section_from_url,
    select_text,
)
from scraper.sources import Cleaning, Source, load_registry, source_for_url

# Bump when a rule change alters output, so `newsarchive reextract` can tell.
RULES_VERSION = "2"
EXTRACTOR_VERSION = f"newsarchive-{RULES_VERSION}+trafilatura-{trafilatura.__version__}"

# Chosen by measurement on ../shared/corpora (see BENCHMARKS.md).
TRAFILATURA_OPTIONS = {"include_tables": True, "include_comments": False, "favor_recall": False}

_FRAGMENT_PARSER = lxml_html.HTMLParser(
    encoding="utf-8", remove_comments=True, remove_pis=True, collect_ids=False
)

# A page with less body than this and no article markup is a listing or a notice.
_MIN_ARTICLE_WORDS = 40

__all__ = ["EXTRACTOR_VERSION", "clean_text", "extract"]


@lru_cache(maxsize=1)
def _builtin_registry() -> dict[str, Source]:
    return load_registry()


def _resolve_source(source: Source | str | None, url: str | None) -> Source | None:
    if isinstance(source, Source):
        return source
    registry = _builtin_registry()
    if isinstance(source, str):
        if source not in registry:
            raise KeyError(f"unknown source {source!r}; known: {', '.join(sorted(registry))}")
        return registry[source]
    return source_for_url(url, registry) if url else None


def _strip_site_name(title: str | None, site_name: str | None) -> str | None:
    if not title:
        return title
    for sep in (" | ", " - ", " – ", " — ", " :: "):
        head, _, tail = title.rpartition(sep)
        if head and (
            site_name
            and tail.strip().casefold() == site_name.casefold()
            or len(tail) < 30
            and len(head) > len(tail)
        ):
            return head.strip()
    return title


def _parse_tree(html: str | bytes) -> lxml_html.HtmlElement | None:
    """Parse a page exactly as trafilatura parses it (comments and PIs removed).

    Parsing it any other way changes the extraction: a comment inside a
    paragraph (React's ``<!-- -->``) cut the sentence after it on AP News.
    Fragments that trafilatura rejects as "not HTML" are parsed by lxml.
    """
    if isinstance(html, bytes):
        html = trafilatura.utils.decode_file(html)
    if not html or not html.strip():
        return None
    tree = trafilatura.load_html(html)
    if tree is not None and len(tree):
        return tree
    try:
        return lxml_html.document_fromstring(html.encode("utf-8"), parser=_FRAGMENT_PARSER)
    except (etree.ParserError, ValueError):
        return None


def _drop(tree: lxml_html.HtmlElement, selectors: tuple[str, ...]) -> None:
    for selector in selectors:
        for element in tree.cssselect(selector):
            element.drop_tree()  # keeps the element's tail text in place


def _empty_record(url: str, source: Source | None, reason: str) -> dict:
    return {
        "source": source.id if source else None,
        "url": url,
        "canonical_url": None,
        "title": None,
        "summary": None,
        "body": "",
        "authors": [],
        "published": None,
        "updated": None,
        "language": source.language if source else None,
        "section": None,
        "tags": [],
        "editorial_note": None,
        "translated": False,
        "original_source": None,
        "original_stance": None,
        "image": None,
        "word_count": 0,
        "extractor_version": EXTRACTOR_VERSION,
        "date_notes": None,
        "is_article": False,
        "not_article_reason": reason,
    }


def extract(
    html: str | bytes,
    url: str,
    source: Source | str | None = None,
    *,
    hints: dict | None = None,
    now: datetime | None = None,
) -> dict:
    """Extract the record of one article page.

    ``source`` is a registry Source, a source id, or None to recognise it by
    the URL's host. ``hints`` are what a feed or sitemap said about the page
    (published, updated, authors, tags, summary, title): they fill what the
    page lacks, and dates are checked against them. The result always has
    ``is_article``; when False, ``not_article_reason`` says why.
    """
    source = _resolve_source(source, url)
    hints = hints or {}
    tree = _parse_tree(html)
    if tree is None:
        return _empty_record(url, source, "empty or unparsable page")
    rules = source.cleaning if source else Cleaning()
    meta = read_meta(tree, url)

    # A standfirst the source prints apart from the story is the summary, and
    # its copy in the extracted text is dropped. A meta description is only a
    # summary: pages often reuse their lead paragraph there, which stays in the body.
    standfirst = (select_text(tree, rules.summary_selector) or [None])[0]
    summary = standfirst or meta.summary
    byline_texts = select_text(tree, rules.byline_selector)
    tags = meta.tags or [t for t in select_text(tree, rules.tags_selector) if len(t) <= 60]

    # Everything read from the page is read by now: trafilatura may prune the tree.
    _drop(tree, rules.drop_selectors)
    document = trafilatura.bare_extraction(tree, url=url, with_metadata=True, **TRAFILATURA_OPTIONS)
    blocks = blocks_from_tree(document.body if document else None)
    title = _strip_site_name(meta.title or (document.title if document else None), meta.site_name)
    cleaned = clean_blocks(blocks, rules, title=title, summary=standfirst)

    byline = cleaned.byline
    for text in byline_texts:
        byline = byline or parse_byline(text, rules.source_line)
    authors = meta.authors or (byline.authors if byline else []) or cleaned.credited
    if not authors and document and document.author:
        authors = real_authors([document.author])
    authors = authors or real_authors(list(hints.get("authors") or []))
    # The publishing site's own name is not an author: `source` already says it.
    own_names = {n.casefold() for n in (meta.site_name, source.name if source else None) if n}
    authors = [a for a in authors if a.casefold() not in own_names]

    now = now or datetime.now(timezone.utc)
    published, date_notes = choose_published(
        {
            "page": parse_date(meta.published),
            "feed": parse_date(hints.get("published")),
            "sitemap": parse_date(hints.get("lastmod")) if not meta.published else None,
            "extractor": parse_date(document.date) if document and document.date else None,
            "url": date_from_url(url),
        },
        now,
    )
    updated = parse_date(meta.updated) or parse_date(hints.get("updated"))

    body = body_text(cleaned.blocks)
    language = meta.language or detect_language(body) or (source.language if source else None)
    record = {
        "source": source.id if source else None,
        "url": url,
        "canonical_url": meta.canonical,
        "title": title or hints.get("title"),
        "summary": summary or hints.get("summary"),
        "body": body,
        "authors": authors,
        "published": iso(published),
        "updated": iso(updated) if updated and published and updated > published else None,
        "language": language,
        "section": meta.section
        or (document.categories[0] if document and document.categories else None)
        or section_from_url(url),
        "tags": _merge(tags, cleaned.trailing_tags),
        "editorial_note": cleaned.editorial_note,
        "translated": cleaned.translated,
        "original_source": byline.original_source if byline else None,
        "original_stance": byline.original_stance if byline else None,
        "image": meta.image,
        "word_count": len(body.split()),
        "extractor_version": EXTRACTOR_VERSION,
        "date_notes": date_notes,
    }
    # Feed categories fill in for a page without tags; WordPress lists the section there too.
    section_key = (record["section"] or "").casefold()
    record["tags"] = [
        t for t in record["tags"] or _merge(hints.get("tags")) if t.casefold() != section_key
    ]
    reason = _not_article_reason(record, meta, source, url)
    record["is_article"] = reason is None
    record["not_article_reason"] = reason
    return record


def _merge(*lists: list[str] | None) -> list[str]:
    merged: list[str] = []
    for values in lists:
        for value in values or []:
            if value and value.casefold() not in {m.casefold() for m in merged}:
                merged.append(value)
    return merged


def _not_article_reason(record: dict, meta, source: Source | None, url: str) -> str | None:
    if source and not source.is_article_url(url):
        return "URL is not an article URL of this source"
    if source and source.is_excluded_title(record["title"]):
        return f"title {record['title']!r} is a notice, not an article"
    if meta.og_type in ("website", "profile", "book") and not meta.published:
        return f"page declares og:type={meta.og_type} and no publication date"
    if record["word_count"] < _MIN_ARTICLE_WORDS:
        return f"too little text for an article ({record['word_count']} words)"
    return None


def clean_text(text: str, source: Source | str | None = None) -> dict:
    """Clean an already-scraped text dump with the source's rules.

    The first block after leading cruft is the title; with the source's
    ``standfirst_after_title`` the next one is the summary. Returns title,
    summary, body, editorial_note, translated, tags, authors, original_source
    and original_stance.
    """
    source = _resolve_source(source, None)
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
        "word_count": len(body.split()),
        "extractor_version": EXTRACTOR_VERSION,
    }
