"""What the extraction workers' fork server holds before it forks them.

The workers are forked from one server process (multiprocessing's
"forkserver" start method) that imports the extractor and makes one
extraction of an English and an Arabic page first, so that what trafilatura
and its helpers build on first use (py3langid's model, justext's stoplists,
dateparser's languages, compiled patterns) is built once, in the server, and
shared copy-on-write by every worker instead of built again in each.
``gc.freeze()`` then keeps the collector from writing to those objects, which
would copy their pages into each worker.

The server is started with a clean interpreter and only one thread, so the
fork is safe, unlike a fork of the crawl process (which runs threads).
Importing this module is the warm-up: multiprocessing's forkserver preload takes
module names.

The server ignores SIGINT and SIGTERM from its first moment (multiprocessing
ignores SIGINT only once the preload is done): a Ctrl-C or SIGTERM to the
crawl's process group during the warm-up would kill it with a traceback, and
leaves the stopping to the crawl. It
ends once the crawl process and every worker have (multiprocessing's "alive"
pipe), and the workers end with the crawl (scraper.lifetime).
"""

from __future__ import annotations

import gc
import signal
from datetime import datetime, timezone

from scraper.memory import return_freed_memory

_PAGES = {
    "https://example.org/news/warm-up": (
        "en",
        "The council met on Monday in the capital to discuss the budget for the coming "
        "year, officials said. The talks lasted six hours and ended without agreement. ",
    ),
    "https://example.org/ar/news/warm-up": (
        "ar",
        "اجتمع المجلس يوم الاثنين في العاصمة لمناقشة ميزانية العام المقبل، بحسب ما قال "
        "مسؤولون. واستمرت المحادثات ست ساعات وانتهت من دون اتفاق. ",
    ),
}


def _page(text: str) -> str:
    paragraphs = "".join(f"<p>{text * 3}</p>" for _ in range(4))
    return (
        "<html><head><title>Warm-up</title>"
        '<meta property="article:published_time" content="2024-05-06T10:00:00+03:00">'
        f"</head><body><nav><a href='/'>Home</a></nav><article><h1>Warm-up</h1>"
        f"<p>15 كانون الثاني 2024 · 6 May 2024</p>{paragraphs}</article></body></html>"
    )


def warm_up() -> None:
    """One extraction of each page, fingerprints included, and what only some pages
    load: what the first pages of a crawl would otherwise load in every worker."""
    from courlan.urlutils import get_tldinfo
    from htmldate.extractors import month_words
    from justext.core import define_stoplist
    from trafilatura.external import jt_stoplist_init

    from archive.bodies import compress
    from archive.fingerprints import fingerprint
    from scraper.extract import extract
    from scraper.extract.dates import parse_date
    from scraper.extract.metadata import detect_language, section_from_path

    now = datetime(2024, 5, 7, tzinfo=timezone.utc)
    for url, (language, text) in _PAGES.items():
        html = _page(text)
        extraction = extract(html, url, None, now=now, links=True)
        fingerprint(extraction, html.encode(), url)
        compress(html.encode())
        detect_language(text)  # py3langid's model, mapped (scraper.extract.language_model)
        parse_date(
            "15 كانون الثاني 2024" if language == "ar" else "6 May 2024", languages=[language]
        )
    # justext's stoplist of every language, for pages of no known one, and the set of its
    # 154,000 lower-cased words that justext makes of it on first use (15 MB a worker).
    define_stoplist(jt_stoplist_init())
    # htmldate's month names of every dateparser language: its 200 languages' tables
    # (~30 MB), which a page with a date-like line and no year loads.
    month_words()
    # What trafilatura's metadata fallback and a URL's language segment load on first use:
    # the public suffix list (courlan, through tld) and babel's likely subtags.
    get_tldinfo("warm-up")  # without its fast path: tld loads the public suffix list
    section_from_path("https://example.org/pt-br/news/warm-up")


signal.signal(signal.SIGINT, signal.SIG_IGN)
signal.signal(signal.SIGTERM, signal.SIG_IGN)
return_freed_memory()  # the workers fork from here, and keep it (scraper.memory)
warm_up()
gc.freeze()
