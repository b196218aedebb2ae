"""How to cite an archived article: plain text, BibTeX and CSL-JSON.

A researcher cites the outlet's article (author, title, outlet, date, original
URL) and the archived copy they read (its address in the archive and the day
they accessed it), as style guides ask for web sources that may change or
vanish. CSL-JSON is the input of citeproc (Zotero, Pandoc), so any citation
style can be made from it; BibTeX's ``@online`` (biblatex) carries the same
fields for LaTeX users. Written here rather than with a library: the three
forms are small, fixed formats, and the libraries that write them (citeproc-py,
pybtex) are for styling and parsing, which is the reader's tool's job.
"""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import date, datetime
from typing import Any

from archive.days import day_of

__all__ = ["Citation", "citation"]

Citation = dict[str, str]


def citation(
    article: dict[str, Any], outlet: str, archive_url: str, accessed: date | datetime
) -> Citation:
    """The article's citation as ``plain``, ``bibtex`` and ``csl_json`` text.

    ``article``: the archive's row (title, authors as a list, published and
    published_local, whose publisher's day is cited, url, language, id);
    ``outlet``: the source's name; ``archive_url``: the archived copy's
    permalink; ``accessed``: the day it is read.
    """
    authors = [a for a in article.get("authors") or [] if a]
    title = article.get("title") or "(untitled)"
    published = day_of(article.get("published"), article.get("published_local"))
    accessed_day = accessed.date() if isinstance(accessed, datetime) else accessed
    who = "; ".join(authors) or outlet
    when = published or "n.d."
    plain = (
        f"{who} ({when}). {title}. {outlet}. {article['url']}. "
        f"Archived copy: {archive_url} (accessed {accessed_day.isoformat()})."
    )
    return {
        "plain": plain,
        "bibtex": _bibtex(article, authors, title, outlet, published, archive_url, accessed_day),
        "csl_json": json.dumps(
            _csl(article, authors, title, outlet, published, archive_url, accessed_day),
            ensure_ascii=False,
            indent=2,
        ),
    }


def _csl(article, authors, title, outlet, published, archive_url, accessed) -> dict:
    item: dict[str, Any] = {
        "id": f"newsarchive-{article['id']}",
        "type": "article-newspaper",
        "title": title,
        "container-title": outlet,
        "URL": article["url"],
        "archive": "newsarchive",
        "archive_location": archive_url,
        "accessed": {"date-parts": [[accessed.year, accessed.month, accessed.day]]},
    }
    if authors:
        # Names as printed: splitting Arabic or compound names into given and family
        # parts would guess wrong, and CSL keeps a literal name as it is.
        item["author"] = [{"literal": name} for name in authors]
    if published:
        item["issued"] = {"date-parts": [[int(part) for part in published.split("-")]]}
    if article.get("language"):
        item["language"] = article["language"]
    return item


def _bibtex(article, authors, title, outlet, published, archive_url, accessed) -> str:
    fields = {
        # Braces keep each name whole (BibTeX would split "Enab Baladi" into two parts).
        "author": " and ".join("{" + _tex(name) + "}" for name in authors or [outlet]),
        "title": "{" + _tex(title) + "}",
        "journaltitle": _tex(outlet),
        "date": published,
        "url": article["url"],
        "urldate": accessed.isoformat(),
        "note": f"Archived copy: \\url{{{archive_url}}}",
        "langid": article.get("language") or "",
    }
    key = _key([*authors, outlet], published, article["id"])
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields.items() if value)
    return f"@online{{{key},\n{body}\n}}"


def _key(names: list[str], published: str, article_id: int) -> str:
    """A BibTeX key of ASCII letters: the last word of the first name written in Latin
    letters (an author, else the outlet), the year, the archive's id."""
    for name in names:
        ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
        if words := re.findall(r"[A-Za-z]+", ascii_name):
            return f"{words[-1].lower()}{published[:4]}-{article_id}"
    return f"article{published[:4]}-{article_id}"


def _tex(text: str) -> str:
    """Text with BibTeX's special characters escaped."""
    return re.sub(r"([&%$#_{}])", r"\\\1", text)
