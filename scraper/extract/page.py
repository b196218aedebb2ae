"""One page, HTML to record: parse, read metadata, extract with trafilatura, clean, classify.

trafilatura is the generic extractor (the best-scoring open one on news pages,
and maintained); the cleaning rules (scraper.extract.rules and the
registry's per-source rules) remove what it leaves around the story, and
scraper.extract.classify tells an article from other pages. A page whose markup
holds no story gets it from its scripts (scraper.extract.embedded).
"""

from __future__ import annotations

import functools
import html as html_lib
from collections.abc import Iterator
from datetime import datetime
from itertools import chain

import trafilatura
from lxml import etree
from lxml import html as lxml_html
from trafilatura.metadata import extract_catstags

from archive import clock
from archive.record import Extraction, word_count
from scraper.extract.authors import (
    linked_authors,
    own_names,
    page_bylines,
    people,
    real_authors,
    searched_names,
)
from scraper.extract.blocks import (
    Block,
    blocks_from_text,
    blocks_from_tree,
    body_text,
    fingerprint,
)
from scraper.extract.classify import (
    MIN_ARTICLE_WORDS,
    headline_blocks,
    link_share,
    not_article_reason,
    page_shape,
)
from scraper.extract.clean import Cleaned, clean_blocks, parse_byline
from scraper.extract.dates import (
    choose_published,
    date_from_url,
    iso,
    local_iso,
    machine_readable,
    parse_date,
    plausible,
    source_zone,
)
from scraper.extract.embedded import Scripts, candidates, collect_scripts
from scraper.extract.links import Anchor, followable_links, read_anchors
from scraper.extract.metadata import (
    css,
    detect_language,
    read_meta,
    section_from_path,
    select_text,
)
from scraper.extract.rules import (
    EXTRACTOR_VERSION,
    FEED_FOOTER_TAIL,
    generic_rule_for,
    repair_text,
)
from scraper.extract.titles import printed_title, strip_site_name
from scraper.sources import Cleaning, Source, resolve_source

__all__ = ["TRAFILATURA_OPTIONS", "extract"]

# Chosen by measurement on tests/corpora (see BENCHMARKS.md).
TRAFILATURA_OPTIONS = {"include_tables": True, "include_comments": False, "favor_recall": False}

_FRAGMENT_PARSER = lxml_html.HTMLParser(
    encoding="utf-8", remove_comments=True, remove_pis=True, collect_ids=False
)


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


def _trafilatura(tree: lxml_html.HtmlElement, url: str | None):
    """trafilatura's document of the page: its fast path, the full one (which
    weighs readability's and jusText's text against its own) only where the fast
    one may have missed the story, and its recall mode only where both found next to
    nothing of a page of paragraphs.

    The full path costs half as much again and changes the text of one page in 17
    of the public corpora. Where it changes it much, the fast text is less than half
    the page's paragraph text (readability found the story, the fast path a part of
    it), or well beyond it (a story not set in paragraphs, where the fast path's
    heuristics keep teasers that the full path drops). trafilatura works on a copy
    of the tree, so the second pass sees the page as the first did.
    """
    document = trafilatura.bare_extraction(tree, url=url, fast=True, **TRAFILATURA_OPTIONS)
    text = _text_of(document)
    paragraphs = _paragraph_text_length(tree)
    if not text or len(text) * 2 < paragraphs or len(text) > 1.5 * paragraphs:
        document = trafilatura.bare_extraction(tree, url=url, **TRAFILATURA_OPTIONS)
        text = _text_of(document)
    if len(text) * 4 < paragraphs and word_count(text) < MIN_ARTICLE_WORDS:
        # Both passes kept too little for a story, and under a quarter of the page's
        # paragraphs: trafilatura's precision threw the story away with its surroundings
        # (a theme that wraps the whole page in a popup <aside>, which it drops, came out
        # empty). Its recall mode keeps them; the classifier still judges what it found.
        # (Where the passes found a story, however short, recall adds the page's other
        # paragraphs to it: readability's qq page, precision 1.00 -> 0.94.)
        recalled = trafilatura.bare_extraction(
            tree, url=url, **{**TRAFILATURA_OPTIONS, "favor_recall": True}
        )
        if len(_text_of(recalled)) > len(text):
            document = recalled
    return document


def _text_of(document) -> str:
    """The text of a trafilatura document ("" for none)."""
    return (document.text if document else None) or ""


def _paragraph_text_length(tree: lxml_html.HtmlElement) -> int:
    return sum(len(" ".join(p.text_content().split())) for p in tree.iter("p"))


def _anchor_texts(anchors: list[Anchor]) -> set[str]:
    """Texts of the page's links of three words or more (headlines, not "Home") to other
    pages: not a table of contents' links to the page's own headings ("#section")."""
    texts = set()
    for anchor in anchors:
        if (anchor.href or "").lstrip().startswith("#"):
            continue
        text = anchor.text
        if len(text.split(None, 3)) >= 3:  # cheap test before the costly fingerprint
            texts.add(fingerprint(text))
    return texts


def _drop(tree: lxml_html.HtmlElement, selectors: tuple[str, ...]) -> None:
    for selector in selectors:
        for element in css(selector)(tree):
            element.drop_tree()  # keeps the element's tail text in place


def _empty_record(url: str, source: Source | None, reason: str) -> dict:
    return {
        "source": source.id if source else None,
        "url": url,
        "canonical_link": None,
        "title": None,
        "summary": None,
        "body": "",
        "authors": [],
        "published": None,
        "published_local": None,
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
    url: str | None,
    source: Source | str | None = None,
    *,
    hints: dict | None = None,
    now: datetime | None = None,
    explain: bool = False,
    links: bool = False,
) -> Extraction:
    """Extract the record of one article page.

    ``url`` may be None (a page saved without its address); ``source`` is a
    registry Source, a source id, or None to recognise it by the URL's host.
    ``hints`` are what a feed or sitemap said about the page (published,
    lastmod, updated, authors, tags, summary, title): they fill what the page
    lacks, and dates are checked against them. ``now`` is the fetch time
    (default: now): nothing after it is a publication date, relative dates
    count from it, and a guessed date at that time is rejected. The result
    always has ``is_article``; when False, ``not_article_reason`` says why.
    With ``explain`` it also has ``removed``: (rule, text) of every block the
    cleaning rules took out (the benchmark audits them against known answers).
    With ``links`` (and a source) it has ``links``: the page's links that may be
    articles of the source (scraper.extract.links), for the crawl to follow.
    """
    source = resolve_source(source, url)
    page_url = url or ""
    hints = hints or {}
    tree = _parse_tree(html)
    if tree is None:
        return _empty_record(url, source, "empty or unparsable page")
    rules = source.cleaning if source else Cleaning()
    meta = read_meta(tree, page_url)

    # A standfirst the source prints apart from the story (its registry selector says
    # where, or the page prints it twice) is the summary, and its copy in the extracted
    # text is dropped. A meta description is only a summary: pages often reuse their
    # lead paragraph there, which stays in the body.
    standfirst = next((repair_text(t) for t in select_text(tree, rules.summary_selector)), None)
    byline_texts = select_text(tree, rules.byline_selector)
    page_anchors = read_anchors(tree)  # read once for the five readers below
    anchors = _anchor_texts(page_anchors)
    linked = linked_authors(page_anchors, page_url)
    links_share = link_share(tree, page_anchors)
    shape = page_shape(tree, page_anchors)
    followable = followable_links(page_anchors, page_url, source) if links and source else []
    tags = meta.tags or [t for t in select_text(tree, rules.tags_selector) if len(t) <= 60]

    scripts = collect_scripts(tree)

    _drop(tree, rules.drop_selectors)
    # People or a named desk. What the page's metadata declares its author (JSON-LD, meta
    # author) stands even where it is the publisher itself ("BBC News", "ORF.at": a piece
    # without a personal byline, credited as its publisher states it), unless it is the
    # source as the registry names it, or only stands in for a person the page names
    # (authors.people). Otherwise the first source of names that gives one: a byline or
    # credit line in the text, links to an author's page, trafilatura's search of the
    # page, the feed's creator (which often names the outlet for every item); there the
    # publishing site's own names are not authors: `source` says it.
    own = own_names(
        meta.site_name,
        *((source.name, source.outlet) if source else ()),
        *meta.publisher,
        url=page_url,
    )
    # The registry's names of the source are never its author, even declared: the record's
    # `source` already says who published it. (A name that is only the source's id, as an
    # entry added without one has, names nothing.)
    registry_names = [n for n in ((source.name, source.outlet) if source else ()) if n != source.id]
    registered = own_names(*registry_names)
    declared = real_authors(meta.authors, registered)
    publisher = own_names(*meta.publisher, *registry_names, url=page_url)
    persons = people(declared, publisher)

    # trafilatura's own metadata (htmldate for dates, its byline search, the page's
    # category links) costs a copy of the page, ~6 ms: it is read only for what the
    # page's own metadata leaves open (a title, a date, a person), and then once.
    @functools.cache
    def trafilatura_metadata():
        return trafilatura.extract_metadata(tree, default_url=url)

    def fallback(field: str) -> str | None:
        """A field of trafilatura's metadata (None where it found none), read when asked."""
        return getattr(trafilatura_metadata(), field, None)

    def searched() -> Iterator[list[str]]:
        """trafilatura's byline search, read only if the names before it found nobody."""
        found = fallback("author")
        yield searched_names(found) if found else []

    document = _trafilatura(tree, url)
    blocks = blocks_from_tree(document.body if document else None)
    title = strip_site_name(meta.title or fallback("title"), meta.site_name, page_url)
    title = printed_title(title, meta.h1)
    title = repair_text(title) if title else title
    cleaned = clean_blocks(blocks, rules, title=title, summary=standfirst)
    if standfirst is None and (printed := _repeated_lead(cleaned.blocks, tree)):
        # The page's standfirst opens the story again: it is the summary, not the body's.
        standfirst = printed
        cleaned = clean_blocks(blocks, rules, title=title, summary=standfirst)
    summary = standfirst or (repair_text(meta.summary) if meta.summary else None)
    from_markup = body_text(cleaned.blocks)
    # No story in the markup; or trafilatura's own fallback read JSON-LD's articleBody,
    # which joins its paragraphs into one.
    if word_count(from_markup) < MIN_ARTICLE_WORDS or (
        meta.article_body and fingerprint(from_markup) == fingerprint(meta.article_body)
    ):
        embedded = _embedded_story(scripts, meta.article_body, url, rules, title, standfirst)
        cleaned = embedded or cleaned

    byline = cleaned.byline
    for text in byline_texts:
        byline = byline or parse_byline(text, rules.source_line)
    # Microdata's author (often the account that posted) yields to any name the page
    # prints, as the stand-ins declared do; where the page prints none, it is the author.
    stand_ins = declared or people(real_authors(meta.microdata_authors, registered), publisher)
    # Another name than the stand-ins or the fields they come from (trafilatura reads them).
    others = own | own_names(*stand_ins, *meta.author_fields)
    authors = persons or next(
        (
            found
            for names in chain(
                (byline.authors if byline else [], cleaned.credited),
                page_bylines(tree, linked),
                searched(),
                (list(hints.get("authors") or []),),
            )
            if (found := real_authors(names, others))
        ),
        stand_ins,
    )

    now = now or clock.now()
    local = source_zone(source.timezone, source.country) if source else None

    body = body_text(cleaned.blocks)
    language = meta.language or detect_language(body) or (source.language if source else None)
    # Dates are read in the languages the page and its source declare, else in the one
    # detected: with none, dateparser tries its 200 languages on every text, and builds
    # them all first (1.7 s and 40 MB in each worker).
    languages = [lang for lang in (meta.language, source.language if source else None) if lang]
    languages = languages or ([language] if language else [])

    def when(text: str | None) -> datetime | None:
        return parse_date(text, languages=languages, default_tz=local, relative_to=now)

    def printed() -> datetime | None:
        """The first printed text that is a day ("3 weeks ago" is not). Read only where it
        can decide (choose_published): dateparser costs ~0.7 ms a text."""
        return next((day for text in meta.printed_dates if (day := when(text))), None)

    declared = when(meta.published)
    # A declared date in words, not ISO 8601 ("Jun 24, 2025" in JSON-LD), is a template's
    # (often the last edit's): the day printed by the headline comes first.
    in_words = bool(meta.published) and not machine_readable(meta.published)
    published, date_notes = choose_published(
        {
            "page": None if in_words else declared,
            "feed": when(hints.get("published")),
            "sitemap": when(hints.get("lastmod")) if not meta.published else None,
            # the address served, else the one the page declares canonical
            "url": date_from_url(page_url) or date_from_url(meta.canonical or ""),
            "printed": printed,
            "page in words": declared if in_words else None,
            "extractor": lambda: when(fallback("date")),
        },
        now,
        # only read for the extractor's 1st of a month (a day, or a month padded to one?)
        page_text=lambda: " ".join(tree.itertext()),
    )
    updated = when(meta.updated) or when(hints.get("updated"))
    if updated and not (published and published < updated and plausible(updated, now)):
        updated = None

    record = {
        "source": source.id if source else None,
        "url": url,
        "canonical_link": meta.canonical,
        "title": title or hints.get("title"),
        "summary": summary or _feed_summary(hints.get("summary")),
        "body": body,
        "authors": authors,
        "published": iso(published),
        "published_local": local_iso(published),
        "updated": iso(updated),
        "language": language,
        "section": meta.section
        or next(iter(extract_catstags("category", tree)), None)
        or (section_from_path(page_url) if source and source.section_from_path else None),
        "tags": _merge(tags, cleaned.trailing_tags),
        "editorial_note": cleaned.editorial_note,
        "translated": cleaned.translated,
        "original_source": byline.original_source if byline else None,
        "original_stance": byline.original_stance if byline else None,
        "image": meta.image,
        "word_count": word_count(body),
        "extractor_version": EXTRACTOR_VERSION,
        "date_notes": date_notes,
    }
    # Feed categories fill in for a page without tags; WordPress lists the section there too.
    section_key = (record["section"] or "").casefold()
    record["tags"] = [
        t for t in record["tags"] or _merge(hints.get("tags")) if t.casefold() != section_key
    ]
    texts = [b.text for b in cleaned.blocks]
    headlines = headline_blocks(texts, anchors - {fingerprint(title or "")})
    reason = not_article_reason(
        record, meta, source, page_url, headlines, len(texts), links_share, shape
    )
    record["is_article"] = reason is None
    record["not_article_reason"] = reason
    if explain:
        record["removed"] = list(cleaned.removed)
    if links:
        record["links"] = followable
    return record


def _page_text(tree: lxml_html.HtmlElement) -> str:
    """The text the page's body shows, spaces folded, to find the copies of a paragraph:
    not its scripts, whose JSON-LD often repeats the lead as a description, nor what it
    hides. (One pass of lxml's text_content with those elements' text set aside for
    it, then put back: cutting their text out of the page's afterwards, or filtering
    text nodes, costs several times more.)"""
    body = tree.find("body")
    body = tree if body is None else body
    unseen = list(body.iter("script", "style"))
    # What the page hides is not printed either (a share box holding the lead).
    for value in body.xpath(".//@style | .//@hidden | .//@aria-hidden"):
        if value.attrname == "style" and "display:none" not in value.replace(" ", "").lower():
            continue
        if value.attrname == "aria-hidden" and value != "true":
            continue
        unseen.append(value.getparent())
    set_aside = []
    try:
        for element in unseen:
            for node in element.iter():
                set_aside.append((node, node.text, node.tail))
                node.text = " " if node is element else None
                if node is not element:
                    node.tail = None
        text = body.text_content()
    finally:
        for node, text_of, tail in reversed(set_aside):
            node.text, node.tail = text_of, tail
    return " ".join(text.split())


# A standfirst is a sentence or a few, not a heading and not a section; its two copies
# sit a byline, a date and a picture apart, not a page apart (a teaser in a list of
# stories, a hidden share box).
_STANDFIRST_CHARS = (40, 600)
_STANDFIRST_GAP = 1000


def _repeated_lead(blocks: list[Block], tree: lxml_html.HtmlElement) -> str | None:
    """The story's first paragraph when the page prints it twice, close together, and
    the next one once: a standfirst printed apart from the story and again as its
    opening. (A page that prints its whole story twice repeats the next one too.)
    The page's text is read only for a lead of a standfirst's length: it costs more
    than the rest of this check."""
    if len(blocks) < 2 or blocks[0].kind != "p":
        return None
    lead, after = (" ".join(b.text.split()) for b in blocks[:2])
    low, high = _STANDFIRST_CHARS
    if not low <= len(lead) <= high:
        return None
    page_text = _page_text(tree)
    if page_text.count(after) != 1:
        return None
    first = page_text.find(lead)
    second = page_text.find(lead, first + len(lead)) if first >= 0 else -1
    if second >= 0 and second - (first + len(lead)) <= _STANDFIRST_GAP:
        return blocks[0].text
    return None


def _embedded_story(
    scripts: Scripts,
    article_body: str | None,
    url: str | None,
    rules: Cleaning,
    title: str | None,
    standfirst: str | None,
) -> Cleaned | None:
    """The story a page carries in its scripts, cleaned like one from its markup: of the
    longest few found, the one that keeps the most words."""
    best: tuple[int, Cleaned] | None = None
    for candidate in candidates(scripts, article_body)[:3]:
        if candidate.is_html:
            # The markup extracted as a page of its own, so figures and captions go as usual.
            fragment = _parse_tree(
                f"<html><body><article>{candidate.content}</article></body></html>"
            )
            document = _trafilatura(fragment, url)
            blocks = blocks_from_tree(document.body if document else None)
        else:
            blocks = blocks_from_text(candidate.content)
        cleaned = clean_blocks(blocks, rules, title=title, summary=standfirst)
        words = word_count(body_text(cleaned.blocks))
        if words >= MIN_ARTICLE_WORDS and (best is None or words > best[0]):
            best = (words, cleaned)
    return best[1] if best else None


def _feed_summary(text: str | None) -> str | None:
    """A feed's summary as plain text, without what the feed adds to every item.

    Its paragraphs that a generic rule calls cruft go ("The post X appeared first on
    Y.", "Continue reading"), and so does such a footer glued to the end of the text.
    """
    if not text:
        return None
    paragraphs = [html_lib.unescape(text)]
    if "<" in text:
        tree = _parse_tree(f"<html><body><div>{text}</div></body></html>")
        if tree is not None:
            paragraphs = [b.text for b in blocks_from_tree(tree.body)]
    kept = " ".join(p for p in paragraphs if generic_rule_for(p) is None)
    return repair_text(FEED_FOOTER_TAIL.sub("", " ".join(kept.split()))) or None


def _merge(*lists: list[str] | None) -> list[str]:
    merged: list[str] = []
    for values in lists:
        for value in values or []:
            if value and value.casefold() not in {m.casefold() for m in merged}:
                merged.append(value)
    return merged
