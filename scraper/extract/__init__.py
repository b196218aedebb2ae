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

import html as html_lib
import re
from datetime import datetime, timezone
from functools import lru_cache
from urllib.parse import urlsplit

import trafilatura
from lxml import etree
from lxml import html as lxml_html

from scraper.extract.blocks import (
    blocks_from_text,
    blocks_from_tree,
    body_text,
    fingerprint,
    normalise_space,
)
from scraper.extract.clean import Cleaned, clean_blocks, parse_byline
from scraper.extract.dates import (
    choose_published,
    country_timezone,
    date_from_url,
    iso,
    parse_date,
    plausible,
)
from scraper.extract.metadata import (
    ARTICLE_TYPES,
    css,
    detect_language,
    read_meta,
    real_authors,
    section_from_url,
    select_text,
)
from scraper.sources import Cleaning, Source, load_registry, source_for_url

# Bump when a rule change alters output, so `newsarchive reextract` can tell.
RULES_VERSION = "4"
EXTRACTOR_VERSION = f"newsarchive-{RULES_VERSION}+trafilatura-{trafilatura.__version__}"

# Chosen by measurement on tests/corpora (see BENCHMARKS.md).
TRAFILATURA_OPTIONS = {"include_tables": True, "include_comments": False, "favor_recall": False}

_FRAGMENT_PARSER = lxml_html.HTMLParser(
    encoding="utf-8", remove_comments=True, remove_pis=True, collect_ids=False
)

# A page with less body than this and no article markup is a listing or a notice.
_MIN_ARTICLE_WORDS = 40
# Listings of teasers are short; a story with a related headline in it is longer.
_LISTING_MAX_WORDS = 250

__all__ = ["EXTRACTOR_VERSION", "archive_record", "clean_text", "extract"]

# Keys of extract()'s result that describe the page rather than the article.
PAGE_KEYS = ("is_article", "not_article_reason", "canonical_url")


def archive_record(record: dict) -> dict:
    """extract()'s result without the keys about the page, ready for Archive.upsert."""
    return {key: value for key, value in record.items() if key not in PAGE_KEYS}


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
    if not url:
        return None
    candidates = _sources_of_host((urlsplit(url).hostname or "").lower())
    if len(candidates) <= 1:
        return candidates[0] if candidates else None
    return source_for_url(url, {c.id: c for c in candidates})  # sources sharing a host


@lru_cache(maxsize=1024)
def _sources_of_host(host: str) -> tuple[Source, ...]:
    return tuple(s for s in _builtin_registry().values() if host and host in s.hosts)


def _strip_site_name(title: str | None, site_name: str | None, url: str = "") -> str | None:
    """The title without the site's name: "Story | DW", "Story - The Syrian Observer".

    Only a tail that is the site (its og:site_name, a word of its host name, or a short
    tail after "|" or "::", which sites keep for their name) goes: "Fire in Lichterfelde -
    Heavy smoke" keeps its second half.
    """
    if not title:
        return title
    title = html_lib.unescape(title).strip()
    host = (urlsplit(url).hostname or "").casefold().removeprefix("www.")
    host_words = {w for w in re.split(r"[.\-]", host) if len(w) > 1} - {"com", "org", "net"}
    for sep in (" | ", " :: ", " - ", " – ", " — "):
        head, _, tail = title.rpartition(sep)
        tail_key = tail.strip().casefold()
        if not head or not tail_key:
            continue
        if (
            site_name
            and tail_key == site_name.casefold()
            or tail_key.replace(" ", "") in host_words
            or tail_key.replace(" ", "").replace("-", "") in host.replace("-", "")
            or len(tail.split()) <= 6
            and re.sub(r"\W", "", tail_key.split()[-1]) in host_words
            or sep in (" | ", " :: ")
            and len(tail) < 30
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


def _anchor_texts(tree: lxml_html.HtmlElement) -> set[str]:
    """Texts of the page's links of three words or more (headlines, not "Home")."""
    texts = set()
    for anchor in tree.iter("a"):
        text = anchor.text_content()
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
    url: str | None,
    source: Source | str | None = None,
    *,
    hints: dict | None = None,
    now: datetime | None = None,
    explain: bool = False,
) -> dict:
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
    """
    source = _resolve_source(source, url)
    page_url = url or ""
    hints = hints or {}
    tree = _parse_tree(html)
    if tree is None:
        return _empty_record(url, source, "empty or unparsable page")
    rules = source.cleaning if source else Cleaning()
    meta = read_meta(tree, page_url)

    # A standfirst the source prints apart from the story is the summary, and
    # its copy in the extracted text is dropped. A meta description is only a
    # summary: pages often reuse their lead paragraph there, which stays in the body.
    standfirst = (select_text(tree, rules.summary_selector) or [None])[0]
    summary = standfirst or meta.summary
    byline_texts = select_text(tree, rules.byline_selector)
    anchors = _anchor_texts(tree)
    tags = meta.tags or [t for t in select_text(tree, rules.tags_selector) if len(t) <= 60]

    _drop(tree, rules.drop_selectors)
    # trafilatura's own metadata (htmldate for dates, its byline search) only where
    # the page declares neither a date nor an author: it costs a copy of the page.
    fallback = (
        trafilatura.extract_metadata(tree, default_url=url)
        if not (meta.published and meta.authors)
        else None
    )
    # Everything read from the page is read by now: trafilatura prunes the tree.
    document = trafilatura.bare_extraction(tree, url=url, **TRAFILATURA_OPTIONS)
    blocks = blocks_from_tree(document.body if document else None)
    title = _strip_site_name(
        meta.title or (fallback.title if fallback else None), meta.site_name, page_url
    )
    cleaned = clean_blocks(blocks, rules, title=title, summary=standfirst)

    byline = cleaned.byline
    for text in byline_texts:
        byline = byline or parse_byline(text, rules.source_line)
    authors = meta.authors or (byline.authors if byline else []) or cleaned.credited
    if not authors and fallback and fallback.author:
        authors = real_authors(fallback.author.split(";"))
    authors = authors or real_authors(list(hints.get("authors") or []))
    # The publishing site's own name is not an author: `source` already says it.
    own_names = {n.casefold() for n in (meta.site_name, source.name if source else None) if n}
    authors = [a for a in authors if a.casefold() not in own_names]

    now = now or datetime.now(timezone.utc)
    local = country_timezone(source.country if source else None)

    languages = [lang for lang in (meta.language, source.language if source else None) if lang]

    def when(text: str | None) -> datetime | None:
        return parse_date(text, languages=languages, default_tz=local, relative_to=now)

    published, date_notes = choose_published(
        {
            "page": when(meta.published),
            "feed": when(hints.get("published")),
            "sitemap": when(hints.get("lastmod")) if not meta.published else None,
            "url": date_from_url(page_url),
            "printed": when(meta.printed_date) if not meta.published else None,
            "extractor": when(fallback.date) if fallback and fallback.date else None,
        },
        now,
    )
    updated = when(meta.updated) or when(hints.get("updated"))
    if updated and not (published and published < updated and plausible(updated, now)):
        updated = None

    body = body_text(cleaned.blocks)
    language = meta.language or detect_language(body) or (source.language if source else None)
    record = {
        "source": source.id if source else None,
        "url": url,
        "canonical_url": meta.canonical,
        "title": title or hints.get("title"),
        "summary": summary or _plain(hints.get("summary")),
        "body": body,
        "authors": authors,
        "published": iso(published),
        "updated": iso(updated),
        "language": language,
        "section": meta.section
        or (fallback.categories[0] if fallback and fallback.categories else None)
        or section_from_url(page_url),
        "tags": _merge(tags, cleaned.trailing_tags),
        "editorial_note": cleaned.editorial_note,
        "translated": cleaned.translated,
        "original_source": byline.original_source if byline else None,
        "original_stance": byline.original_stance if byline else None,
        "image": meta.image,
        "word_count": count_words(body),
        "extractor_version": EXTRACTOR_VERSION,
        "date_notes": date_notes,
    }
    # Feed categories fill in for a page without tags; WordPress lists the section there too.
    section_key = (record["section"] or "").casefold()
    record["tags"] = [
        t for t in record["tags"] or _merge(hints.get("tags")) if t.casefold() != section_key
    ]
    texts = [b.text for b in cleaned.blocks]
    headlines = _headline_blocks(texts, anchors - {fingerprint(title or "")})
    reason = _not_article_reason(record, meta, source, page_url, headlines, len(texts))
    record["is_article"] = reason is None
    record["not_article_reason"] = reason
    if explain:
        record["removed"] = list(cleaned.removed)
    return record


def _plain(text: str | None) -> str | None:
    """Text of a feed's HTML summary."""
    if not text or "<" not in text:
        return text
    tree = _parse_tree(f"<html><body><div>{text}</div></body></html>")
    return normalise_space(tree.text_content()) or None if tree is not None else text


def _merge(*lists: list[str] | None) -> list[str]:
    merged: list[str] = []
    for values in lists:
        for value in values or []:
            if value and value.casefold() not in {m.casefold() for m in merged}:
                merged.append(value)
    return merged


# Static pages and notices, by their title (the site's name already stripped).
_STATIC_TITLE = re.compile(
    r"^(about( us)?|who we are|contact( us)?|privacy( policy)?|terms( of (use|service))?|"
    r"cookie policy|imprint|impressum|disclaimer|advertise( with us)?|"
    r"من نحن|عن الموقع|عن الشبكة|اتصل بنا|تواصل معنا|سياسة الخصوصية|شروط الاستخدام|"
    r"اعلن معنا|أعلن معنا)\b",
    re.IGNORECASE,
)
_VIDEO_TITLE = re.compile(
    r"^(watch|video|live|gallery|in pictures|فيديو|بالفيديو|شاهد|بالصور)\s*[:|]", re.IGNORECASE
)
_NOTICE = re.compile(
    # The site about its own publishing: "will not be publishing any articles", "will
    # not update its content"; not "the ministry will not update prices".
    r"(will not (be )?(publish|publishing|update|updating) (any |its |our )?"
    r"(articles|stories|news|content|the site|the website)|will resume (its|our) "
    r"(regular )?(coverage|publication|publishing)|لن (ننشر|يتم النشر|نقوم بالنشر)|"
    r"تتوقف عن النشر|نستأنف (النشر|التغطية))",
    re.IGNORECASE,
)
# JSON-LD types of pages that are not one story.
_NOT_ARTICLE_TYPES = {
    "CollectionPage", "ItemList", "SearchResultsPage", "ProfilePage", "AboutPage",
    "ContactPage", "FAQPage",
}  # fmt: skip
# A story page may embed a video: these only mark a page with little text.
_MEDIA_TYPES = {"VideoObject", "ImageGallery", "MediaGallery"}
# Archive URLs: a tag, category or author page, a page number, a search, a month.
_LISTING_URL = re.compile(
    r"/(tag|tags|category|categories|author|authors|topic|topics)(/[^/]+){1,2}/?$"
    r"|/page/\d+/?$|[?&](s|page|paged)=|/(19|20)\d{2}/\d{2}/?$"
)
# A site's front page: "/", or a language root such as "/en/".
_FRONT_PAGE = re.compile(r"^/?([a-z]{2}(-[a-z]{2})?/?)?$", re.IGNORECASE)
# Words of a text in which scripts without spaces count one word per two characters.
_SPACELESS = re.compile(
    r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]"
)


def count_words(text: str) -> int:
    """Words of a body; Chinese, Japanese and Thai characters count two to a word."""
    spaceless = len(_SPACELESS.findall(text))
    if not spaceless:
        return len(text.split())
    return len(_SPACELESS.sub(" ", text).split()) + (spaceless + 1) // 2


def _headline_blocks(blocks: list[str], anchors: set[str]) -> int:
    """How many body blocks are the text of a link to another page (a teaser headline)."""
    return sum(1 for block in blocks if fingerprint(block) in anchors)


def _not_article_reason(
    record: dict, meta, source: Source | None, url: str, headlines: int, blocks: int
) -> str | None:
    title = record["title"] or ""
    words = record["word_count"]
    if source and not source.is_article_url(url):
        return "URL is not an article URL of this source"
    if source and source.is_excluded_title(title):
        return f"title {title!r} is a notice, not an article"
    if meta.site_name and title.casefold() == meta.site_name.casefold():
        return "titled with the site's name: a front or section page"
    if _STATIC_TITLE.match(title) and len(title) <= 60:
        return f"title {title!r} is a static page of the site"
    if meta.jsonld_types & _NOT_ARTICLE_TYPES and not meta.jsonld_types & ARTICLE_TYPES:
        return f"page declares itself a {sorted(meta.jsonld_types & _NOT_ARTICLE_TYPES)[0]}"
    if words < _MIN_ARTICLE_WORDS:
        return f"too little text for an article ({words} words)"
    # A listing: short teasers under headlines that link to the stories. A real story
    # may keep one related headline, so one is enough only on a page that says
    # it is a website, not an article.
    if (
        words < _LISTING_MAX_WORDS
        and headlines * 4 >= blocks
        and (headlines >= 2 or headlines and meta.og_type == "website")
    ):
        return f"a listing: {headlines} of its {blocks} blocks are headlines linking elsewhere"
    if meta.jsonld_types & _MEDIA_TYPES and not meta.jsonld_types & ARTICLE_TYPES and words < 150:
        return f"page declares itself a {sorted(meta.jsonld_types & _MEDIA_TYPES)[0]}"
    if _VIDEO_TITLE.match(title) and words < 150:
        return f"title {title!r} and {words} words: a video or photo page"
    if words < 150 and _NOTICE.search(record["body"]):
        return "a notice that the site will not publish"
    if meta.og_type in ("website", "profile", "book") and not record["published"]:
        return f"page declares og:type={meta.og_type} and has no date"
    if not (source and source.article_pattern):
        path = urlsplit(url).path
        if url and _FRONT_PAGE.match(path):
            return "the site's front page"
        if _LISTING_URL.search(url) and words < 150:
            return "a listing or archive URL with little text"
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
