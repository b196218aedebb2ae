"""Who wrote a page: people, or a named desk, from its byline fields, its printed
byline ("By ...") and its links to author pages.

A byline field holds more than names: "By", "بقلم:" and "كتب" before them, the
outlet's own name, a dateline ("(أبوظبي - البيان)"), a role or a date after them, a
logo's alt text, a photo credit, an e-mail or web address. :func:`real_authors` keeps
the names and drops the rest; :func:`own_names` says which names are the publisher's.
Where no field names anyone, :func:`linked_authors` and :func:`page_bylines` read the
page itself: its links to author pages, the name it prints beside "By", the element its
markup calls the author's name.
The rules are regular expressions over one line of text, written from what real pages
print; no library here reads bylines better (trafilatura's author field is one of the
fields these rules clean).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import takewhile
from urllib.parse import urlsplit

from lxml import etree
from lxml import html as lxml_html

from archive.urls import host_key
from scraper.extract.blocks import NOT_TEXT_TAGS, normalise_space
from scraper.extract.links import Anchor

__all__ = [
    "BYLINE_PREFIX",
    "linked_authors",
    "looks_like_a_name",
    "own_names",
    "page_bylines",
    "people",
    "real_authors",
    "searched_names",
]

# Names that are not a person or an outlet: the byline of a page with no real author
# ("red", "Agenturen": the German-speaking newsrooms' "Redaktion" and "agencies").
_BOILERPLATE_AUTHORS = re.compile(
    r"^(admin|administrator|editor|editors|staff|staff writer|staff reporter|webmaster|"
    r"author|guest|user|unknown|anonymous|wordpress|root|news desk|web desk|online desk|"
    r"digital desk|desk|newsroom|agencies|agenturen|by|red|staff writers|staff reporters|"
    r"editorial staff|contributor|contributors|guest author|guest post|team|the team|editorial|"
    r"المحرر|محرر|الإدارة|فريق التحرير|هيئة التحرير|التحرير|وكالات|admin\d*)$",
    re.IGNORECASE,
)


# What a byline says before the names: "By", "Written by", "Author(s)", "بقلم:", "كتب", "Von",
# "Contributors:" (with its colon: "Contributors to Wikimedia projects" is no byline). One
# list for every reader of bylines (fields, lines of the story, the page's print).
BYLINE_PREFIX = re.compile(
    r"^\s*(?:by|written by|reporting by|words by|article by|posted by|author|autor|von|par|"
    r"por|بقلم|كتب|كتبت|إعداد|اعداد|تحرير|contributors?(?=\s*[:：]))(?:\(s\)|\b)\s*[:：/–-]?\s*",
    re.IGNORECASE,
)
_INITIALS = re.compile(r"\s*\([a-z.]{2,5}\)", re.IGNORECASE)
# "A and B", "A und B", "A og B", "A و B": only split where every part is a full name.
_AUTHOR_SPLIT = re.compile(r"\s*(?:,|;|\band\b|\bund\b|\bog\b|&|\sو\s)\s*")
# A dateline or a credit beside a name: "أبوظبي - البيان", "Lina Haddad / Enab Baladi".
_DATELINE_SPLIT = re.compile(r"\s+[-–—/|]\s+")
# What a byline field holds that is not a person nor a named desk: a logo's or a
# picture's alt text, a photo credit, an e-mail address, a web address.
_NOT_A_NAME = re.compile(
    r"\b(logo|png|jpe?g|svg|webp|gif|icon|avatar|thumbnail|getty images|shutterstock|istock|"
    r"photo|photos|photograph|image|images|picture|credit|شعار|صورة)\b"
    r"|@|https?:|www\.|\.(com|net|org|info|io|co|news|tv|me)\b",
    re.IGNORECASE,
)
# A parenthesis that holds an address or a dateline, not a name: "(www.dw.com)".
_ASIDE = re.compile(r"\s*\([^)]*\)\s*")
# What a credit line says before the name, beyond BYLINE_PREFIX (which is stripped
# first): "Recipe by", "View all posts by", "This post was written by", "Read more
# about", "Authors".
_CREDIT_LEAD = re.compile(
    r"^(?:(?:this|the)\s+(?:post|article|story)\s+was\s+written\s+by|"
    r"(?:recipe|story|post|text|view all posts|all posts|posts|articles)\s+by|"
    r"read more about|authors?)\s*[:：]?\s+",
    re.IGNORECASE,
)
# Months as a byline line prints them after the name ("Jordana Cepelewicz December 18").
# May, June, July, April and August are also names: only with a day after them.
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|"
    r"dec(?:ember)?)\.?(?:\s+\d.*)?|(?:may|june?|july?|apr(?:il)?|aug(?:ust)?)\.?\s+\d.*"
)
# What a person's role is named: "Reporter", "Trial Attorney", "Extension educators".
_ROLE_NOUN = (
    r"(?:writer|reporter|editor|founder|co-founder|journalist|correspondent|contributor|"
    r"consultant|expert|reviewer|columnist|producer|analyst|manager|director|attorney|"
    r"educators?|specialist)"
)
# A person's role: "Writer", "Senior Autos Reporter", "Former McKinsey Consultant".
_ROLE = (
    r"(?:(?:senior|junior|lead|chief|head|former|contributing|tech|managing|executive|"
    rf"associate|deputy)\s+\S.*|{_ROLE_NOUN}\b.*)"
)
# What follows a name on the same line: a bullet and a date, "Last updated ...", a
# month, who reviewed it ("Supermove February 8": the name may be one word)...
_AFTER_NAME = re.compile(
    rf"\s+(?:[•·].*|(?:last\s+)?updated\b.*|(?:medically\s+|fact[- ]checked\s+and\s+)?"
    rf"reviewed\s+by\b.*|{_MONTH})$",
    re.IGNORECASE,
)
# ... or the person's role or degrees, after a name of two words or more ("Keith Barry
# Senior Autos Reporter"; "Guardian staff reporter" is a desk and stays whole).
_AFTER_PERSON = re.compile(
    rf",?\s+(?:{_ROLE}|(?:rn|md|bsn|dvm|phd|mph|mba|rd)\b.*)$", re.IGNORECASE
)


def _role_dropped(name: str) -> str:
    """ "Keith Barry Senior Autos Reporter": the person, where a capitalised name of two
    words or more comes before the role ("Guardian staff reporter" is a desk)."""
    role = _AFTER_PERSON.search(name)
    person = name[: role.start()].split() if role else []
    if len(person) >= 2 and not any(word[0].islower() for word in person):
        return " ".join(person)
    return name


# A field that holds no name at all: a month or a date, a role, "Updated ...", "Written
# by" with nothing after it, a link's label, a form's or a template's label ("Username",
# "Role", "undefined"), a template's placeholder ("page.head.author", not a login such as
# "sara.r.peter"), a social network.
_NO_NAME = re.compile(
    rf"^(?:{_MONTH}|{_ROLE}|(?:last\s+)?updated\b.*|written by|posted by|the author|"
    r"(?:view )?(?:more|all|latest|recent) (?:posts|articles|stories)(?: by)?|read more|"
    r"view (?:full )?profile|full bio|about the author|learn more|"
    r"(?:read more (?:from|by)|more (?:about|from|by)) .*|"
    r"(?:user ?)?name|role|category|undefined|null|"
    r"[a-z]+(?:\.[a-z]+)*\.(?:author|authors|name))$"
    r"|\b(?:www|facebook|twitter|instagram|linkedin)\b",
    re.IGNORECASE,
)


# A role as its last word says it: "Trial Attorney", "Water Security Specialists".
_ENDS_IN_ROLE = re.compile(rf"\b{_ROLE_NOUN}s?$", re.IGNORECASE)


def searched_names(found: str) -> list[str]:
    """The names in what trafilatura's byline search found ("Zackery Cuevas Writer;
    Hardware"). It joins the texts of the byline's element with ";": after a full name
    first, a text of one word ("Hardware", "Morgan") or one that ends in a role ("Trial
    Attorney") describes that person, as a co-author has a full name too. ("Linny;
    Peter" are two people.)"""
    texts = [t.strip() for t in found.split(";") if t.strip()]
    if not texts or len(texts[0].split()) < 2:
        return texts
    # What follows a description describes the person too ("Head; Community Development").
    co_authors = takewhile(lambda t: len(t.split()) > 1 and not _ENDS_IN_ROLE.search(t), texts[1:])
    return texts[:1] + list(co_authors)


def _words(text: str) -> str:
    """Its words, case folded: "ORF at" for "ORF.at", as trafilatura gives it."""
    return " ".join(re.sub(r"[\W_]+", " ", text.casefold()).split())


def _compact(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


# A name with its other names in parentheses: "سانا (SANA, Syrian Arab News Agency, Arabic)".
_OTHER_NAMES = re.compile(r"^([^()]*)\(([^()]*)\)\s*$")


def _name_forms(name: str) -> list[str]:
    """A name, and where it lists its other names in parentheses, each of them: a feed's
    creator "سانا" is the source "سانا (SANA, Syrian Arab News Agency, Arabic)"."""
    match = _OTHER_NAMES.match(name)
    if not match:
        return [name]
    return [name, match[1], *re.split(r"[,;،]", match[2])]


def own_names(*names: str | None, url: str = "") -> set[str]:
    """The publisher's own names as :func:`real_authors` compares them: its og:site_name,
    the source's name and outlet (and the other names a registry's name gives in
    parentheses), its JSON-LD publisher (each as its words, case folded: "ORF at" is
    "ORF.at"), and, for one-word names only, any of them run together and its host's
    words ("akhbarelyom" for www.akhbarelyom.com; "Lina Haddad" on linahaddad.net is the
    person whose site it is)."""
    names = tuple(form.strip() for n in names if n for form in _name_forms(n))
    own = {_words(n) for n in names if n}
    own |= {"word:" + _compact(n) for n in names if n and _compact(n)}
    host = (urlsplit(url).hostname or "").casefold().removeprefix("www.")
    labels = host.split(".")
    if len(labels) > 1:
        own |= {"word:" + _compact(label) for label in labels[:-1] if len(label) > 2}
    return own


def _is_name(name: str, own: set[str]) -> bool:
    letters = re.sub(r"[\W\d_]+", "", name)
    return (
        len(letters) >= 2
        and len(name) <= 80
        and not _BOILERPLATE_AUTHORS.match(name)
        and not _NOT_A_NAME.search(name)
        and not _NO_NAME.search(name)
        and _words(name) not in own
        and not (len(name.split()) == 1 and "word:" + _compact(name) in own)
    )


def real_authors(names: list[str], own: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """People (or a named desk) from byline fields, in order: boilerplate ('admin',
    'Staff'), the publisher's own names (``own``, from :func:`own_names`), datelines
    ('(أبوظبي - البيان)'), logo and photo credits, e-mail and web addresses and single
    letters are dropped; 'A and B' is split; 'بقلم: X' and 'By X' give X."""
    authors: list[str] = []
    for name in names:
        name = BYLINE_PREFIX.sub("", normalise_space(name)).strip(" ,;")
        name = _INITIALS.sub("", name)  # "Elena Oberholzer (obe)"
        if name.startswith("(") and name.endswith(")"):
            continue  # a dateline: "(أبوظبي - البيان)"
        name = _ASIDE.sub(" ", name).strip() if _ASIDE.search(name) else name
        # "Lina Haddad - Enab Baladi": the person; "دمشق - سانا": a place and an outlet.
        sides = [p for p in _DATELINE_SPLIT.split(name) if p.strip()]
        if len(sides) > 1:
            people = [p for p in sides if len(p.split()) >= 2 and _is_name(p.strip(), own)]
            name = people[0] if people else ""
        parts = [p for p in _AUTHOR_SPLIT.split(name) if p.strip()]
        # "Lina Haddad, Omar Khalil and Sami Haddad" is three people; "Haddad, Lina" one.
        if len(parts) < 2 or any(len(p.split()) < 2 for p in parts):
            parts = [name]
        for part in parts:
            part = BYLINE_PREFIX.sub("", part.strip(" .:-|–—/"))
            part = _CREDIT_LEAD.sub("", part)
            bare = _AFTER_NAME.sub("", part) if len(part.split()) > 1 else part
            bare = _role_dropped(bare)
            if bare != part and authors:
                continue  # a later entry with a role or a date describes the first
            part = _initials_dropped(bare)
            if part and part not in authors and _is_name(part, own):
                authors.append(part)
    return authors


# A user name as a site's software declares it ("kffnirmitap", "q_admin",
# "andrew.keaveney"): one lower-case token of eight letters or more, or with a digit, "_"
# or ".", where the page prints the person's name ("dpa" and "kicker" are a credit and a
# brand).
_HANDLE = re.compile(r"^(?=.*[\d_.]|.{8})[a-z0-9]+(?:[._-][a-z0-9]+)*$")


def people(names: list[str], publisher: set[str] | frozenset[str]) -> list[str]:
    """The declared authors who are people (or a named desk): not the publisher's names
    (``publisher``: :func:`own_names` of its JSON-LD publisher and the registry's names,
    with the page's address, which one-word names are compared with), nor a user name
    ("kffnirmitap"). Those only stand in for the person who wrote the page, where the
    page names one elsewhere. Not the site's name alone, nor a name of two words or more
    that its address spells: a person's own site ("Ash Vardanian" on ashvardanian.com)
    is theirs."""
    return [name for name in names if _is_name(name, publisher) and not _HANDLE.match(name)]


def _initials_dropped(name: str) -> str:
    """ "CM Craig McCarthy": an avatar's initials printed before the name they stand for."""
    first, _, rest = name.partition(" ")
    initials = "".join(w[0] for w in rest.split() if w)
    if first.isupper() and 1 < len(first) <= 3 and first == initials[: len(first)].upper():
        return rest
    return name


# Words that begin no name but sit inside many: "Marna van der Merwe", "Omar al-Khalil".
_NAME_PARTICLES = frozenset(
    "al bin bint ibn abu da de del della der di du el la le van von y".split()
)


def looks_like_a_name(text: str) -> bool:
    """Whether a printed line's text is shaped as a person's (or a desk's) name: two to
    five words, no digits, each Latin word capitalised but for particles ("van der",
    "al-"); Arabic script has no capitals: four words at most. For text found beside
    "By", which may as well be the start of a sentence ("By clicking subscribe you
    agree") or a label ("By Role", "By Category"): one word is too little to tell."""
    words = text.split()
    if not 2 <= len(words) <= 5 or len(text) > 60 or any(c.isdigit() for c in text):
        return False
    latin = [w for w in words if w[0].isascii()]
    if not latin:
        return len(words) <= 4
    return all(w[0].isupper() or w.casefold() in _NAME_PARTICLES for w in latin)


# A link to an author's page ("/author/lina-haddad", "/profiles/shelia-r-cotten-309429",
# "/staff/2648209001/brian-truitt/", rel="author"): its text names them.
_AUTHOR_PAGE = re.compile(
    r"/((authors?|writers?|contributors?|columnists?|reporters?|journalists?|profiles)"
    r"|staff(/\d+)?)/[^/?#]+/?(?:[?#].*)?$",
    re.IGNORECASE,
)
# More names than this in such links is a list of the site's writers, not a byline.
_MAX_LINKED_AUTHORS = 3


def _site(url: str) -> str | None:
    """The site a URL is on (archive.urls.host_key: its host, normalised, without
    "www."): "" for a relative one, None where its host cannot be read ("http://[x/")."""
    try:
        return host_key(url)
    except ValueError:
        return None


def _same_site(host: str, other: str) -> bool:
    """One host is the other or its subdomain (blog.example.org and example.org)."""
    return host == other or host.endswith("." + other) or other.endswith("." + host)


def _links_an_author(anchor: etree._Element) -> bool:
    return "author" in (anchor.get("rel") or "").split() or bool(
        _AUTHOR_PAGE.search(anchor.get("href") or "")
    )


def _handle_or_name(text: str) -> bool:
    return len(text.split()) == 1 or looks_like_a_name(text)


def linked_authors(anchors: list[Anchor], url: str = "") -> list[str]:
    """The names the page links to their author pages (of its links, read_anchors), in
    order: a byline that is a link where no byline field or line says it. An author's page
    is on the site of the page at ``url`` (a link to a credited person's page elsewhere,
    their university's staff page, names no author of this one)."""
    site = _site(url)
    names: list[str] = []
    for anchor in anchors:
        if not _links_an_author(anchor.element):
            continue
        host = _site(anchor.href or "")
        if host is None or (host and site and not _same_site(host, site)):
            continue
        name = " ".join(anchor.text.split())
        # Names ("Moses Kim and Kate Shokurova") or a handle of one word ("hackermondev"):
        # not the site's pages for authors ("Guide to authors" at /authors/index.html).
        names_only = _CREDIT_LEAD.sub("", BYLINE_PREFIX.sub("", name))  # "Articles by"
        if (
            1 <= len(name.split()) <= 5
            and not any(c.isdigit() for c in name)
            and all(_handle_or_name(part) for part in _AUTHOR_SPLIT.split(names_only))
        ):
            # "Spencer McIntyreAuthor Posts": a name already linked, with a label glued on
            if not any(name.startswith(n) for n in names):
                names.append(name)
    return names if len(names) <= _MAX_LINKED_AUTHORS else []


# A byline as a page prints it: "By Sofia Gonzalez", "Written by" and the name in the
# next element, "بقلم: ...". Not in a page's navigation, footer or asides (teasers of
# other pages), nor in a link but to the author's page (a teaser's byline under its
# headline, "Von Ines Zöttl"), nor in scripts.
_NOT_THE_PAGES_OWN = frozenset({"nav", "footer", "aside"}) | NOT_TEXT_TAGS
# From the element whose text (or tail) a byline is: that text and the next one.
_TEXT_AND_NEXT = etree.XPath(
    "(descendant::text() | following::text())[normalize-space()][position() <= 2]"
)
_BYLINE_PARTS = re.compile(r"\s*[,|•·]\s*")
_TAIL_AND_NEXT = etree.XPath("following::text()[normalize-space()][position() <= 2]")


def _the_pages_own(element: lxml_html.HtmlElement) -> bool:
    """Whether a byline's element is the page's own: not in navigation, a footer or
    scripts, nor in a link but to the author's page, nor in an aside, unless the aside
    is inside the page's <article> (its sidebar of facts: "Author", "Published")."""
    chain = (element, *element.iterancestors())
    for i, e in enumerate(chain):
        if e.tag == "aside" and any(a.tag == "article" for a in chain[i + 1 :]):
            continue
        if e.tag in _NOT_THE_PAGES_OWN or (e.tag == "a" and not _links_an_author(e)):
            return False
    return True


def _byline_names(tree: lxml_html.HtmlElement) -> Iterator[str]:
    """What each printed byline names, in page order: the rest of its line after "By",
    or where the line is only "By", the next text; outside navigation, footers, asides
    and scripts."""
    body = tree.find("body")
    for element in body.iter() if body is not None else ():
        for text, is_tail in ((element.text, False), (element.tail, True)):
            if not text or not (prefix := BYLINE_PREFIX.match(text)):
                continue
            owner = element.getparent() if is_tail else element
            if owner is None or not _the_pages_own(owner):
                continue
            rest = text[prefix.end() :]
            if not rest.strip():
                texts = (_TAIL_AND_NEXT if is_tail else _TEXT_AND_NEXT)(element)
                rest = str(texts[1]) if len(texts) > 1 else ""
            yield " ".join(rest.split()).strip(" .:-|")


def _printed_byline(tree: lxml_html.HtmlElement) -> list[str]:
    """The name of the page's first printed byline: the text after "By" on its line, or,
    where the line is only "By" or "Written by", the next text (a link, the next
    element). A line whose words are not shaped as a name ("By clicking Subscribe you
    agree") is passed over; a byline of one word ends the search with nothing."""
    for line in _byline_names(tree):
        # "Anna Sleegers, Frankfurt", "Omar Khalil | 5 May": the name ends the line's first
        # part.
        name = _BYLINE_PARTS.split(line, 1)[0].strip()
        if name and looks_like_a_name(name):
            return [name]
        if len(name.split()) == 1:
            return []  # the byline, with a one-word name ("Posted by BeauHD"): not told apart
    return []


# An element whose class says it holds the author's name: "author-name", "authorName",
# "post-author__name", Elementor's author box ("elementor-author-box__name"),
# "byline__name". Not "author-bio", "author-avatar", a listing's "author" column, nor
# a comment's "comment-author-name".
_AUTHOR_NAME_CLASS = re.compile(
    r"^(?!comment)(?:[\w-]*[-_])?(?:author(?:[-_]?box)?(?:__|[-_])?name|byline(?:__|[-_])name)$",
    re.IGNORECASE,
)
_CLASSED_AUTHOR = etree.XPath(
    "//body//*[contains(translate(@class, 'AUTHOR', 'author'), 'author') "
    "or contains(@class, 'byline')]"
)


def _classed_byline(tree: lxml_html.HtmlElement) -> list[str]:
    """The name in the page's first element whose class says it is the author's name
    (outside navigation, footers and asides) and whose text is one ("Denise Everheart is a
    freelance writer" is a bio: the next such element may hold the name alone): "Written
    by" before it and a role or a date after it dropped. One word is a name here, as in a
    link to an author's page."""
    for element in _CLASSED_AUTHOR(tree):
        classes = (element.get("class") or "").split()
        if not any(_AUTHOR_NAME_CLASS.match(c) for c in classes) or not _the_pages_own(element):
            continue
        text = _CREDIT_LEAD.sub("", BYLINE_PREFIX.sub("", normalise_space(element.text_content())))
        # "Laura / House Plant House", "Lina Haddad, Water Correspondent": the first part.
        first = _BYLINE_PARTS.split(_DATELINE_SPLIT.split(text, 1)[0], 1)[0]
        name = _ASIDE.sub(" ", first).strip(" .:-|")
        if name and _handle_or_name(name):
            return [name]
    return []


def page_bylines(tree: lxml_html.HtmlElement, linked: list[str]) -> Iterator[list[str]]:
    """The names the page links to their author pages, then its printed byline, then the
    name its markup's class calls the author's: read only where no byline field or line
    named the author (the printed byline costs a walk of the page, ~1.7 ms)."""
    printed = _printed_byline(tree)
    # The page links its author and its reviewers or editors alike; "By" says which.
    yield printed if printed and printed[0] in linked else linked
    yield printed
    yield _classed_byline(tree)
