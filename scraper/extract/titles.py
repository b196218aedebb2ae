"""The title: as the page declares it, without the site's name, or the headline it prints.

Title accuracy is measured on real pages nobody here tuned for
(benchmarks/bench_wcxb.py): the declared title (og:title, JSON-LD, <title>)
often carries the site's name or a tagline around the headline.
"""

from __future__ import annotations

import html as html_lib
import re
from urllib.parse import urlsplit

from scraper.extract.blocks import fingerprint

__all__ = ["printed_title", "strip_site_name"]


def strip_site_name(title: str | None, site_name: str | None, url: str = "") -> str | None:
    """The title without the site's name: "Story | DW", "Story - The Syrian Observer".

    Only a tail that is the site (its og:site_name, a word of its host name, or a short
    tail after "|" or "::", which sites keep for their name) goes: "Fire in Lichterfelde -
    Heavy smoke" keeps its second half.
    """
    if not title:
        return title
    title = html_lib.unescape(title).strip()
    # The host's name as it reads, not its IDNA form (archive.urls.bare_host): its words
    # are compared with the title's.
    host = (urlsplit(url).hostname or "").casefold().removeprefix("www.")
    host_words = {w for w in re.split(r"[.\-]", host) if len(w) > 1} - {"com", "org", "net"}
    for sep in (" | ", " :: ", " • ", " · ", " - ", " – ", " — "):
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
            or sep in (" | ", " :: ", " • ", " · ")
            and len(tail) < 30
            and len(head) > len(tail)
        ):
            return head.strip()
    return title


def printed_title(title: str | None, h1: str | None) -> str | None:
    """The headline as the page prints it, where its declared title is that headline with
    more around it ("Healthy Eating Plate • The Nutrition Source", "Leadfeeder | State of
    SEO in 2026"): the page's one <h1> of three words or more, found whole in it. Not
    where the two differ only in punctuation or spacing (the declared title is as the
    publisher wrote it: "...", a space after ":"), nor where what precedes the headline
    ends with a colon: that is a kicker of the title ("Nach Gaetz-Rückzug: Trump-Anwältin
    soll Justizministerin werden"), not the site's name."""
    if not (title and h1) or len(h1.split()) < 3 or len(h1) >= len(title):
        return title
    headline, declared = fingerprint(h1), fingerprint(title)
    if headline == declared or f" {headline} " not in f" {declared} ":
        return title
    printed, spaced = " ".join(h1.split()), " ".join(title.split())
    start = spaced.casefold().find(printed.casefold())
    if start > 0 and spaced[:start].rstrip().endswith(":"):
        return title
    return h1
