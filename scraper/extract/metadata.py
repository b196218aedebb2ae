"""Page metadata: title, authors, dates, language, section, tags, image, canonical link.

Read in order of trust: JSON-LD (schema.org NewsArticle) and Open Graph /
article:* meta tags first, then the source's selectors from the registry, then
trafilatura's own metadata extraction (htmldate for dates) as the fallback.
Language is the page's declaration, else detected by py3langid, which ships its
model inside the package (no download at run time).
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

from lxml import html as lxml_html
from lxml.cssselect import CSSSelector

from scraper.extract.blocks import normalise_space

# Names that are not a person or an outlet: the byline of a page with no real author.
_BOILERPLATE_AUTHORS = re.compile(
    r"^(admin|administrator|editor|editors|staff|staff writer|staff reporter|webmaster|"
    r"author|guest|user|unknown|anonymous|wordpress|root|news desk|web desk|online desk|"
    r"digital desk|desk|newsroom|agencies|by|المحرر|محرر|الإدارة|فريق التحرير|هيئة التحرير|"
    r"التحرير|وكالات|admin\d*)$",
    re.IGNORECASE,
)
_LANG = re.compile(r"^[a-zA-Z]{2,3}")


@dataclass
class PageMeta:
    title: str | None = None
    summary: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    updated: str | None = None
    language: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    image: str | None = None
    canonical: str | None = None
    og_type: str | None = None
    site_name: str | None = None
    byline_text: str | None = None
    # A date as printed near the title ("الأحد ١٢ أيار ٢٠٢٤", "Friday May 6th, 2022").
    printed_date: str | None = None
    jsonld_types: set[str] = field(default_factory=set)


def _meta_index(tree: lxml_html.HtmlElement) -> dict[str, list[str]]:
    """Every <meta> content by its property / name / itemprop, in page order (one pass)."""
    index: dict[str, list[str]] = {}
    for element in tree.iter("meta"):
        # Some sites escape twice ("K&amp;uuml;hlt&amp;uuml;rme"): unescape what is left.
        content = normalise_space(html.unescape(element.get("content") or ""))
        if not content:
            continue
        for attr in ("property", "name", "itemprop"):
            key = element.get(attr)
            if key:
                # itemprop values are only a last resort (see _meta), never a list (_metas)
                prefix = "itemprop:" if attr == "itemprop" else ""
                index.setdefault(prefix + key.strip(), []).append(content)
    return index


def _meta(index: dict[str, list[str]], *names: str) -> str | None:
    for name in names:
        for key in (name, "itemprop:" + name):
            if index.get(key):
                return index[key][0]
    return None


def _metas(index: dict[str, list[str]], name: str) -> list[str]:
    return list(index.get(name, []))


def _jsonld_objects(tree: lxml_html.HtmlElement) -> list[dict]:
    objects: list[dict] = []
    for script in tree.xpath("//script[@type='application/ld+json']/text()"):
        try:
            data = json.loads(script)
        except ValueError:
            continue  # broken JSON-LD is common; the other sources of metadata remain
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, dict):
                objects.append(item)
                stack.extend(item.get("@graph", []) if isinstance(item.get("@graph"), list) else [])
            elif isinstance(item, list):
                stack.extend(item)
    return objects


def _types(obj: dict) -> set[str]:
    value = obj.get("@type", [])
    return set(value) if isinstance(value, list) else {value}


ARTICLE_TYPES = {
    "NewsArticle",
    "Article",
    "BlogPosting",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "BackgroundNewsArticle",
}


def _names(value: object) -> list[str]:
    if isinstance(value, str):
        return [html.unescape(value)]
    if isinstance(value, dict):
        return _names(value.get("name"))
    if isinstance(value, list):
        return [n for item in value for n in _names(item)]
    return []


_BYLINE_PREFIX = re.compile(
    r"^(by|written by|author|autor|von|par|por|بقلم|كتب|كتبت|إعداد)\s*:?\s+", re.IGNORECASE
)
_INITIALS = re.compile(r"\s*\([a-z.]{2,5}\)", re.IGNORECASE)
# "A and B", "A und B", "A og B", "A و B": only split where every part is a full name.
_AUTHOR_SPLIT = re.compile(r"\s*(?:,|;|\band\b|\bund\b|\bog\b|&|\sو\s)\s*")


def real_authors(names: list[str]) -> list[str]:
    """Drop boilerplate bylines ('admin', 'Staff'), split 'A and B', keep order."""
    authors: list[str] = []
    for name in names:
        name = _BYLINE_PREFIX.sub("", normalise_space(name))
        name = _INITIALS.sub("", name)  # "Elena Oberholzer (obe)"
        parts = [p for p in _AUTHOR_SPLIT.split(name) if p.strip()]
        # "Lina Haddad, Omar Khalil and Sami Haddad" is three people; "Haddad, Lina" one.
        if len(parts) < 2 or any(len(p.split()) < 2 for p in parts):
            parts = [name]
        for part in parts:
            part = part.strip(" .:-")
            if part and not _BOILERPLATE_AUTHORS.match(part) and part not in authors:
                if len(part) <= 80 and not part.startswith("http") and "@" not in part:
                    authors.append(part)
    return authors


def _keywords(value: object) -> list[str]:
    if isinstance(value, str):
        return [k.strip() for k in value.split(",") if k.strip()]
    if isinstance(value, list):
        return [k for item in value for k in _keywords(item)]
    return []


def _dedup(values: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for value in values:
        key = value.casefold()
        if value and key not in seen:
            seen.add(key)
            out.append(value)
    return out


def read_meta(tree: lxml_html.HtmlElement, url: str) -> PageMeta:
    """Everything the page declares about itself, before any body extraction."""
    meta = PageMeta()
    index = _meta_index(tree)
    articles = [o for o in _jsonld_objects(tree) if _types(o) & ARTICLE_TYPES]
    ld = articles[0] if articles else {}
    for obj in _jsonld_objects(tree):
        meta.jsonld_types |= {t for t in _types(obj) if isinstance(t, str)}

    h1 = tree.xpath("//h1")
    meta.title = (
        normalise_space(html.unescape(str(ld.get("headline") or "")))
        or _meta(index, "og:title", "twitter:title")
        or (normalise_space(h1[0].text_content()) if h1 else None)
        or normalise_space("".join(tree.xpath("//title//text()")))
        or None
    )
    meta.summary = _meta(index, "og:description", "description", "twitter:description") or (
        normalise_space(html.unescape(str(ld.get("description") or ""))) or None
    )
    meta.authors = real_authors(
        _names(ld.get("author")) or _metas(index, "author") or _metas(index, "article:author")
    )
    meta.published = (
        str(ld.get("datePublished") or "")
        or _meta(
            index,
            "article:published_time",
            "datePublished",
            "pubdate",
            "publishdate",
            "date",
            "dc.date",
            "DC.date.issued",
            "sailthru.date",
        )
        or None
    )
    meta.updated = (
        str(ld.get("dateModified") or "")
        or _meta(index, "article:modified_time", "og:updated_time", "dateModified")
        or None
    )
    if not meta.published:
        times = tree.xpath("//time[@datetime]/@datetime")
        meta.published = times[0] if times else None
    if not meta.published:  # only then is a printed date looked for
        meta.printed_date = _printed_date(tree)

    declared = (tree.xpath("/html/@lang") or [None])[0] or _meta(index, "og:locale", "language")
    declared = (
        declared or (tree.xpath("//meta[@http-equiv='content-language']/@content") or [None])[0]
    )
    match = _LANG.match(declared or "")
    meta.language = match.group(0).lower() if match else None

    meta.section = _meta(index, "article:section") or (
        str(ld.get("articleSection")) if isinstance(ld.get("articleSection"), str) else None
    )
    meta.tags = _dedup(
        _metas(index, "article:tag")
        + _keywords(ld.get("keywords"))
        + _keywords(_meta(index, "news_keywords"))
    )
    image = _meta(index, "og:image", "twitter:image")
    meta.image = urljoin(url, image) if image else None
    canonical = tree.xpath("//link[@rel='canonical']/@href")
    meta.canonical = urljoin(url, canonical[0].strip()) if canonical else None
    meta.og_type = _meta(index, "og:type")
    meta.site_name = _meta(index, "og:site_name")
    return meta


_DATE_CLASSES = (
    "//time[not(@datetime)]"
    " | //*[contains(@class, 'date') or contains(@class, 'time') or contains(@class, 'posted')]"
    "[not(self::script or self::style or self::body or self::html or self::article)]"
)


def _printed_date(tree: lxml_html.HtmlElement) -> str | None:
    """The first short date-like text in a time element or a *date* / *time* class."""
    for element in tree.xpath(_DATE_CLASSES)[:20]:
        text = normalise_space(element.text_content())
        if 6 <= len(text) <= 60 and re.search(r"[0-9٠-٩۰-۹]", text):
            return text
    return None


@lru_cache(maxsize=512)
def css(selector: str) -> CSSSelector:
    """A compiled CSS selector (registry selectors are compiled once per process)."""
    return CSSSelector(selector, translator="html")


def select_text(tree: lxml_html.HtmlElement, selector: str | None) -> list[str]:
    """Texts of the elements a CSS selector picks (empty list when none)."""
    if not selector:
        return []
    texts = [normalise_space(el.text_content()) for el in css(selector)(tree)]
    return [t for t in texts if t]


def section_from_url(url: str) -> str | None:
    """The first path segment of an article URL, e.g. 'foreign-actors'."""
    parts = [p for p in urlsplit(url).path.split("/") if p]
    if len(parts) >= 2 and not parts[0].isdigit():
        return parts[0]
    return None


def detect_language(text: str) -> str | None:
    """Language of a text by py3langid; None for text too short to tell."""
    if len(text) < 20:
        return None
    import py3langid  # imported lazily: loading its model costs ~0.2 s

    language, _score = py3langid.classify(text[:5000])
    return language
