"""Page metadata: title, authors, dates, language, section, tags, image, canonical link.

Read in order of trust: JSON-LD (schema.org NewsArticle) and Open Graph /
article:* meta tags first, then the source's selectors from the registry, then
trafilatura's own metadata extraction (htmldate for dates) as the fallback.
Language is the page's declaration, else detected by py3langid, which ships its
model inside the package (no download at run time; read fast by
scraper.extract.language_model). The section is what the page declares
(article:section, JSON-LD articleSection, its breadcrumbs), never a guess
from the URL; a URL's path names it only for sources whose registry entry says so
(``section_from_path``), and Babel's locale data (installed with trafilatura, through
courlan) tells a language segment such as ``/en/`` or ``/pt-br/`` from a section.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import unquote, urljoin, urlsplit

from babel import Locale, UnknownLocaleError
from lxml import etree
from lxml import html as lxml_html
from lxml.cssselect import CSSSelector

from archive.record import language_base
from archive.urls import web_url
from scraper.extract.authors import real_authors
from scraper.extract.blocks import NOT_TEXT_TAGS, fingerprint, normalise_space
from scraper.extract.dates import day_phrases, machine_readable


@dataclass
class PageMeta:
    title: str | None = None
    summary: str | None = None
    authors: list[str] = field(default_factory=list)
    # The author fields as the page has them, before the names were read from them: a
    # placeholder ("page.head.extra.author") gives no name, nor may trafilatura's copy.
    author_fields: list[str] = field(default_factory=list)
    # schema.org microdata's <meta itemprop="author">, where no other tag names anyone:
    # often the account that posted (Squarespace), so it yields to a printed byline.
    microdata_authors: list[str] = field(default_factory=list)
    published: str | None = None
    # Whether an article object, a meta tag or a <time> declares a date (a sign of a story).
    declares_date: bool = False
    updated: str | None = None
    language: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    image: str | None = None
    canonical: str | None = None
    og_type: str | None = None
    site_name: str | None = None
    # Dates as printed near the title ("الأحد ١٢ أيار ٢٠٢٤", "Friday May 6th, 2022"): the
    # days printed next to the headline, nearest first, then the first few texts of the
    # page's date classes that may be one (never in the site's menus, sidebars, footer).
    printed_dates: list[str] = field(default_factory=list)
    # The story as JSON-LD states it, for pages whose markup holds none (see embedded.py).
    article_body: str | None = None
    jsonld_types: set[str] = field(default_factory=set)
    # The page's one <h1>, as printed (None when it has none or several).
    h1: str | None = None
    # The publisher's name(s) its JSON-LD gives (and its WebSite's): the outlet, never an
    # author.
    publisher: list[str] = field(default_factory=list)


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
                # itemprop values are only a last resort (see _meta, MICRODATA_AUTHOR)
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


# The meta tags that name a page's author, in order: HTML's own, Open Graph's, the
# analytics' (Parse.ly, Sailthru); then Dublin Core's and scholarly pages'
# citation_author, one tag a person and often in a citation's order ("Roy, Aniruddha").
AUTHOR_META = ("author", "article:author", "parsely-author", "sailthru.author")
CREATOR_META = ("dc.creator", "DC.creator", "dcterms.creator", "citation_author")
# schema.org microdata's <meta itemprop="author">: a page's cards of other posts carry
# it too, so only where the page's tags give one name (Squarespace's posts).
MICRODATA_AUTHOR = "itemprop:author"


def _first_name_first(name: str) -> str:
    """A citation's "Roy, Aniruddha" as "Aniruddha Roy": a surname of one word before the
    comma, the given names after it ("Lina Haddad, Omar Khalil" are two people)."""
    last, comma, first = (part.strip() for part in name.partition(","))
    if not comma or len(last.split()) != 1 or not 1 <= len(first.split()) <= 3 or "," in first:
        return name
    return f"{first} {last}"


def _declared_authors(index: dict[str, list[str]]) -> list[str]:
    """The names of the first author meta tag the page has."""
    for tag in AUTHOR_META:
        if names := _metas(index, tag):
            return names
    for tag in CREATOR_META:
        if names := _metas(index, tag):
            return [_first_name_first(name) for name in names]
    return _labelled_authors(index)


def _microdata_author(index: dict[str, list[str]]) -> list[str]:
    names = set(_metas(index, MICRODATA_AUTHOR))
    return list(names) if len(names) == 1 else []


# The labels of a byline in Twitter's label/data meta pairs: Yoast SEO gives every
# WordPress post `twitter:label1` "Written by" (in the site's language) and the author's
# name as `twitter:data1`; other pairs are reading times, prices.
BYLINE_LABEL = re.compile(
    r"(?:written|posted|published|interview|reported|words) by|author|"
    r"écrit par|escrito por|scritto da|verfasst von|geschrieben von|geschreven door|yazan|"
    r"كُ?تب بواسطة|كتبه|الكاتب|بقلم",
    re.IGNORECASE,
)


def _labelled_authors(index: dict[str, list[str]]) -> list[str]:
    """The names a byline label pairs with in the page's twitter:labelN / dataN tags."""
    return [
        name
        for n in range(1, 5)
        if BYLINE_LABEL.fullmatch(_meta(index, f"twitter:label{n}") or "")
        and (name := _meta(index, f"twitter:data{n}"))
    ]


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


# The meta tags that declare a page's publication (as htmldate reads them), the
# specific ones first: a bare "date" may be any date, in any order of day and month.
PUBLISHED_META = (
    "article:published_time",
    "datePublished",
    "og:published_time",
    "og:article:published_time",
    "article:published",
    "parsely-pub-date",
    "pubdate",
    "publishdate",
    "publish_date",
    "publish-date",
    "published_time",
    "published_date",
    "publication_date",
    "dc.date",
    "DC.date.issued",
    "dcterms.issued",
    "dcterms.created",
    "sailthru.date",
    "citation_publication_date",
    "citation_date",
    "date",
)


def read_meta(tree: lxml_html.HtmlElement, url: str) -> PageMeta:
    """Everything the page declares about itself, before any body extraction."""
    meta = PageMeta()
    index = _meta_index(tree)
    objects = _jsonld_objects(tree)
    articles = [o for o in objects if _types(o) & ARTICLE_TYPES]
    ld = articles[0] if articles else {}
    for obj in objects:
        meta.jsonld_types |= {t for t in _types(obj) if isinstance(t, str)}

    h1 = tree.xpath("//h1")
    meta.title = (
        normalise_space(html.unescape(str(ld.get("headline") or "")))
        or _meta(index, "og:title", "twitter:title")
        or (normalise_space(h1[0].text_content()) if h1 else None)
        or normalise_space("".join(tree.xpath("//title//text()")))
        or None
    )
    meta.h1 = normalise_space(h1[0].text_content()) if len(h1) == 1 else None
    meta.summary = _meta(index, "og:description", "description", "twitter:description") or (
        normalise_space(html.unescape(str(ld.get("description") or ""))) or None
    )
    # A person who publishes their own site is its author, so only an organisation here.
    publisher = ld.get("publisher")
    publishers = publisher if isinstance(publisher, list) else [publisher]
    meta.publisher = [
        n
        for p in publishers
        if not (isinstance(p, dict) and "Person" in _types(p))
        for n in _names(p)
    ] + [n for o in objects if _types(o) & {"NewsMediaOrganization", "WebSite"} for n in _names(o)]
    meta.author_fields = _names(ld.get("author")) or _declared_authors(index)
    meta.authors = real_authors(meta.author_fields)
    meta.microdata_authors = [] if meta.authors else real_authors(_microdata_author(index))
    # The article object's, the meta tags', then a WebPage's (not an article type) or a
    # later article object's: the first in a machine's form (ISO 8601), else the first.
    declared_dates = [
        str(ld.get("datePublished") or ""),
        *(_meta(index, name) or "" for name in PUBLISHED_META),
    ]
    declarations = [
        d for d in (*declared_dates, *(str(o.get("datePublished") or "") for o in objects)) if d
    ]
    time_elements = [t for t in tree.iter("time") if t.get("datetime") is not None]
    # What says the page is a dated story (scraper.extract.classify), as before the
    # dates below were read: a WebPage object's date is on every page of some CMSs. A
    # <time> that prints its day and gives no datetime ("<time>July 2, 2025</time>")
    # is the page's markup of a date all the same.
    meta.declares_date = (
        any(declared_dates)
        or bool(time_elements)
        or any(day_phrases(t.text_content()) for t in tree.iter("time"))
    )
    headline_element = _headline(tree, meta.title)
    site = _site_parts(tree, headline_element)
    headline = _headline_dates(tree, headline_element, site)
    # HTML requires a <time>'s datetime in ISO 8601 ("02-12-2025" may be either day); a
    # <time> in a menu, a sidebar or a footer is another page's.
    times = [
        t.get("datetime")
        for t in time_elements
        if _VALID_DATETIME.match(t.get("datetime")) and t not in site
    ]
    meta.published = (
        next((d for d in declarations if machine_readable(d)), None)
        or next(iter(declarations), None)
        # then microdata: what the page itself says, before a <time> that may be a comment's
        or _itemprop_date(tree)
        or headline.time
        or (times[0] if times else None)
    )
    meta.updated = (
        str(ld.get("dateModified") or "")
        or _meta(index, "article:modified_time", "og:updated_time", "dateModified")
        or None
    )
    # Printed dates fill in a page that declares none, and tell the publisher's day where
    # a declared time is in UTC (scraper.extract.dates.choose_published).
    meta.printed_dates = _dedup(headline.printed + _printed_dates(tree, site))

    declared = (tree.xpath("/html/@lang") or [None])[0] or _meta(index, "og:locale", "language")
    declared = (
        declared or (tree.xpath("//meta[@http-equiv='content-language']/@content") or [None])[0]
    )
    meta.language = language_base(declared)

    meta.section = (
        _meta(index, "article:section")
        or next(iter(_texts(ld.get("articleSection"))), None)
        or _breadcrumb_section(tree, objects, meta.title, url)
    )
    meta.article_body = next(iter(_texts(ld.get("articleBody"), keep_lines=True)), None)
    meta.tags = _dedup(
        _metas(index, "article:tag")
        + _keywords(ld.get("keywords"))
        + _keywords(_meta(index, "news_keywords"))
    )
    image = _meta(index, "og:image", "twitter:image")
    meta.image = web_url(urljoin(url, image)) if image else None
    canonical = tree.xpath("//link[@rel='canonical']/@href")
    meta.canonical = urljoin(url, canonical[0].strip()) if canonical else None
    meta.og_type = _meta(index, "og:type")
    meta.site_name = _meta(index, "og:site_name")
    return meta


# (Found from the class attributes, not by testing every element's: a third faster.)
_DATE_CLASSES = (
    "//time[not(@datetime)]"
    " | //@class[contains(., 'date') or contains(., 'time') or contains(., 'posted')]"
    "/parent::*[not(self::script or self::style or self::body or self::html or self::article)]"
)


def _printed_dates(
    tree: lxml_html.HtmlElement, site: set[lxml_html.HtmlElement], most: int = 3
) -> list[str]:
    """The first short date-like texts in time elements or *date* / *time* classes (a few:
    the first may be no day, such as "3 weeks ago"), outside the ``site``'s parts."""
    texts: list[str] = []
    for element in [e for e in tree.xpath(_DATE_CLASSES) if e not in site][:20]:
        text = normalise_space(element.text_content())
        if 6 <= len(text) <= 60 and re.search(r"[0-9٠-٩۰-۹]", text) and text not in texts:
            texts.append(text)
            if len(texts) == most:
                break
    # then the days inside each ("December 3, 2025. Updated: December 7, 2025"), for
    # a text that is not a date as a whole
    return _dedup(texts + [day for text in texts for day in day_phrases(text)])


# How far from the headline a date still belongs to it (characters of text): the byline
# and date line sit just above or below it; a sidebar's dates are further away.
_HEADLINE_REACH_BEFORE, _HEADLINE_REACH_AFTER = 200, 400
# The site's parts around a story, whose dates are other pages' (see _site_parts).
_SITE_PARTS = ("nav", "aside", "footer", "header")
# What labels a printed day as a later edit, not the publication.
_UPDATE_LABEL = re.compile(
    r"\b(updated?|last updated|modified|revised|edited|reviewed)\b|آخر تحديث|تحديث|تعديل",
    re.IGNORECASE,
)
# A year, Eastern Arabic digits or "ago": a short text in another language that may be a
# date ("12. März 2024", "٣ أيار"), not any text with a digit ("7 days of meals").
_MAY_BE_DATE = re.compile(r"(?<!\d)(19|20)\d{2}(?!\d)|[٠-٩۰-۹]|\bago\b", re.IGNORECASE)
# A <time>'s datetime as HTML requires it: a date in ISO 8601 (not "02-12-2025").
_VALID_DATETIME = re.compile(r"^\s*\d{4}-\d{2}-\d{2}")


@dataclass
class HeadlineDates:
    """What the page prints next to its headline: the days, nearest first (a day labelled
    as an update after the others), and in the same order the machine-readable datetime
    of the first <time> among them."""

    printed: list[str] = field(default_factory=list)
    time: str | None = None


def _site_parts(
    tree: lxml_html.HtmlElement, headline: lxml_html.HtmlElement | None
) -> set[lxml_html.HtmlElement]:
    """Every element of the site's menus, sidebars, banner and footers: those outside any
    <article> (inside one they are the story's own: its date line, its byline), and not
    holding the headline."""
    holding = set(headline.iterancestors()) if headline is not None else set()
    return {
        element
        for part in tree.iter(*_SITE_PARTS)
        if part not in holding and next(part.iterancestors("article"), None) is None
        for element in part.iter()
    }


def _headline(tree: lxml_html.HtmlElement, title: str | None) -> lxml_html.HtmlElement | None:
    """The element printing the story's headline: the <h1> that is the title (or holds
    it, or lies within it), else the page's one <h1> unless it is the site's logo (a link
    to its front page), else an <h2>, <h3> or <legend> holding the title."""
    h1s = tree.xpath("//h1")
    wanted = normalise_space(title or "").casefold()
    for element in h1s if wanted else []:
        text = normalise_space(element.text_content()).casefold()
        if text and (text in wanted or wanted in text):
            return element
    if len(h1s) == 1 and not h1s[0].xpath(".//a[@href='/' or @href='./']"):
        return h1s[0]
    for element in tree.xpath("//h2 | //h3 | //legend") if wanted else []:
        if wanted in normalise_space(element.text_content()).casefold():
            return element
    return None


def _texts_in_order(
    scope: lxml_html.HtmlElement,
) -> Iterator[tuple[str, lxml_html.HtmlElement | None]]:
    """The texts inside ``scope`` in page order (as its XPath ``.//text()``), each with the
    element it is the text of or sits in (a tail's parent). Read as they are asked for:
    the headline's dates stop short of most of a page's text (listing it all cost ~1 ms)."""
    for event, node in etree.iterwalk(scope, events=("start", "end")):
        if event == "start":
            if node.text and isinstance(node.tag, str):
                yield node.text, node
        elif node.tail and node is not scope:
            yield node.tail, node.getparent()


def _headline_dates(
    tree: lxml_html.HtmlElement,
    headline: lxml_html.HtmlElement | None,
    site: set[lxml_html.HtmlElement],
    most: int = 4,
) -> HeadlineDates:
    """The dates printed nearest the headline, above or below it, where a story prints its
    date line: within the headline's <article> or <main>, never in the site's parts
    around it (a menu's, a sidebar's or a teaser's dates)."""
    if headline is None:
        return HeadlineDates()
    inside = set(headline.iter())
    scope = next((a for a in headline.iterancestors("article", "main")), None)
    texts: list[tuple[str, lxml_html.HtmlElement]] = []  # the page's text, in page order
    first = last = -1  # the headline's own texts
    beyond = 0  # characters read after the headline
    for text, owner in _texts_in_order(scope if scope is not None else tree):
        if last >= 0 and beyond > 2 * _HEADLINE_REACH_AFTER:  # spaces not yet collapsed
            break
        if not text.strip() or owner is None or not isinstance(owner.tag, str):
            continue
        if owner.tag in NOT_TEXT_TAGS:
            continue
        if owner in inside:
            first = len(texts) if first < 0 else first
            last = len(texts)
        elif owner in site:
            continue
        elif last >= 0:
            beyond += len(text.strip()) + 1
        texts.append((text, owner))
    if first < 0:
        return HeadlineDates()
    # (labelled an update, distance from the headline, the date)
    found: list[tuple[bool, int, str]] = []
    times: list[tuple[bool, int, str]] = []
    for side, reach in (
        (range(first - 1, -1, -1), _HEADLINE_REACH_BEFORE),
        (range(last + 1, len(texts)), _HEADLINE_REACH_AFTER),
    ):
        distance = 0
        for i in side:
            if distance > reach:
                break
            text, owner = texts[i]
            text = normalise_space(text)
            phrases = day_phrases(text)
            if not phrases and 6 <= len(text) <= 40 and _MAY_BE_DATE.search(text):
                phrases = [text]
            for phrase in phrases:
                # what the line prints before the day, else the text before the line
                label = text[: text.find(phrase)] or (normalise_space(texts[i - 1][0]) if i else "")
                found.append((bool(_UPDATE_LABEL.search(label[-40:])), distance, phrase))
            when = owner if owner.tag == "time" else next(owner.iterancestors("time"), None)
            if when is not None and _VALID_DATETIME.match(when.get("datetime") or ""):
                label = normalise_space(texts[i - 1][0]) if i else ""
                updated = bool(_UPDATE_LABEL.search(f"{label[-40:]} {text}"))
                times.append((updated, distance, when.get("datetime").strip()))
            distance += len(text) + 1
    found.sort(key=lambda entry: entry[:2])
    times.sort(key=lambda entry: entry[:2])
    return HeadlineDates(
        printed=_dedup([phrase for *_, phrase in found])[:most],
        time=times[0][2] if times else None,
    )


def _itemprop_date(tree: lxml_html.HtmlElement) -> str | None:
    """A datePublished given in microdata on a visible element (not a <meta>): its
    datetime or content attribute, else its text ("October 17, 2018")."""
    for element in tree.xpath("//*[@itemprop='datePublished'][not(self::meta)]"):
        value = element.get("datetime") or element.get("content")
        value = value or normalise_space(element.text_content())
        if value and len(value) <= 60:
            return value
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


def _texts(value: object, keep_lines: bool = False) -> list[str]:
    """Non-empty strings of a JSON-LD value that may be a string or a list of them."""
    values = value if isinstance(value, list) else [value]
    strings = [html.unescape(v).strip() for v in values if isinstance(v, str) and v.strip()]
    return strings if keep_lines else [normalise_space(v) for v in strings]


# The first crumb is the way home, not a section.
_HOME_CRUMB = re.compile(
    r"^(home|homepage|start|accueil|inicio|startseite|الرئيسية|الصفحة الرئيسية|"
    r"رئيسية)$",
    re.IGNORECASE,
)
_LETTER = re.compile(r"[^\W\d_]")
_BREADCRUMB_TRAILS = (
    "//*[not(self::html or self::body)][contains(@class, 'breadcrumb')"
    " or contains(@id, 'breadcrumb') or contains(@itemtype, 'BreadcrumbList')]"
)


def _breadcrumb_section(
    tree: lxml_html.HtmlElement, objects: list[dict], title: str | None, url: str
) -> str | None:
    """The crumb just above the page: "Home > News > Syria > Story" gives "Syria".

    From a JSON-LD BreadcrumbList, else the links of the page's breadcrumb trail;
    the home crumb and the page's own crumb (its title or its URL) are not sections.
    """
    crumbs: list[tuple[str, str]] = []  # (name, URL)
    for obj in objects:
        if "BreadcrumbList" in _types(obj) and isinstance(obj.get("itemListElement"), list):
            items = [i for i in obj["itemListElement"] if isinstance(i, dict)]
            items.sort(key=lambda i: i.get("position") if isinstance(i.get("position"), int) else 0)
            for item in items:
                target = item.get("item")
                name = item.get("name") or (
                    target.get("name") if isinstance(target, dict) else None
                )
                link = target.get("@id") if isinstance(target, dict) else target
                crumbs.append((name if isinstance(name, str) else "", str(link or "")))
            break
    if not crumbs:
        # The first trail of a few links (a class such as "has-breadcrumbs" may sit on a
        # wrapper of the whole page).
        for trail in tree.xpath(_BREADCRUMB_TRAILS):
            links = trail.xpath(".//a")
            if 0 < len(links) <= 8:
                crumbs = [(a.text_content(), a.get("href") or "") for a in links]
                break
    page = urlsplit(url).path.rstrip("/")
    title_key = fingerprint(title or "")
    for index, (name, link) in enumerate(reversed(crumbs)):
        name = normalise_space(html.unescape(name))
        path = urlsplit(urljoin(url, link)).path.rstrip("/") if link else None
        # The page's own crumb: the last one when it links nowhere or to the page itself,
        # or any crumb that is the title (some trails link the story too).
        own = index == 0 and (path is None or path == page)
        if not name or own or fingerprint(name) == title_key or len(name) > 60:
            continue
        if not _LETTER.search(name):
            return None  # a date ("06/2019") or a number: an archive's trail, not a section
        home = path is not None and (path == "" or _is_language_code(path.strip("/")))
        if _HOME_CRUMB.match(name) or home:
            return None  # only the way home ("/", "/en/") is left
        return name
    return None


def section_from_path(url: str) -> str | None:
    """The section a URL's path names, for sources whose URLs carry it (the registry's
    ``section_from_path``): the first segment before the article's own that is not a
    language code (``en``, ``pt-br``), a single letter or a number.

    ``/foreign-actors/67649/story.html`` gives ``foreign-actors``; ``/en/67649/`` nothing.
    """
    parts = [unquote(p) for p in urlsplit(url).path.split("/") if p]
    for part in parts[:-1]:
        if len(part) > 1 and not part.isdigit() and not _is_language_code(part):
            return part
    return None


@lru_cache(maxsize=256)
def _is_language_code(segment: str) -> bool:
    try:
        Locale.parse(segment.replace("-", "_"))
    except (ValueError, TypeError, UnknownLocaleError):
        return False
    return True


def detect_language(text: str) -> str | None:
    """Language of a text by py3langid; None for text too short to tell."""
    if len(text) < 20:
        return None
    from scraper.extract.language_model import identifier  # lazily: numpy, the model

    language, _score = identifier().classify(text[:5000])
    return language
