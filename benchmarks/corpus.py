"""Load the saved real-news test pages into one list of cases, and score extractions.

Why: the cleaner (trafilatura plus per-source rules) should be tuned by measurement on
real markup, not by eye.  ``tests/corpora`` holds four public extraction test
suites, each with its own layout and its own kind of expected output (see its README):

* ``fundus/<cc>/<Publisher>_<date>.html.gz`` with ``meta.info`` (URL and crawl date per
  file) and ``<Publisher>.json`` (expected article per *parser version*: ``V1``, ``V1_1``,
  ``V2`` ...).  fundus picks the parser version from the crawl date, so files sorted by crawl
  date pair one-to-one with versions in version order (checked against the page text for all
  77 multi-version publishers).  The expected text is the summary, then every section's
  headline(s) and paragraphs.
* ``newspaper4k/html/<name>.html`` with ``txt/<name>.txt`` (expected text) and optional
  ``metadata/<name>.json`` (URL, language).
* ``readability/<name>/source.html`` with ``expected.html`` (the article markup, turned into
  text block by block with lxml) and ``expected-metadata.json`` (language).  These pages have
  no URL.
* ``trafilatura-eval/<file>.html`` with ``evaldata.subset.json``: only ``with`` / ``without``
  snippets, so ``expected_text`` is None there.

Decoding: gzip is undone, then a BOM wins, then strict UTF-8, then the declared charset
(``<meta charset>`` / ``http-equiv`` / XML declaration), then UTF-8 with replacement.  UTF-8
is tried before the declared charset on purpose: the test suites re-saved some pages as
UTF-8 but kept the old declaration (fundus WinFuture says iso-8859-1, ElMundo iso-8859-15,
People gb2312; readability qq says gb2312), and honouring the meta tag there would turn the
text into mojibake.  Bytes that are valid UTF-8 and contain non-ASCII are, in practice,
UTF-8.

Cases without an expected answer are not dropped silently: :func:`load_corpus` returns
them as :class:`Skipped` with a reason; :func:`load_cases` logs the count.

Scoring is bag-of-words (multiset) precision / recall / F1 over Unicode word tokens, the
measure the corpora's README suggests and the one trafilatura's own evaluation uses.  Text
in scripts written without spaces (Chinese, Japanese kana, Thai, Lao, Khmer, Myanmar) is
scored per character, otherwise a whole paragraph would be one "word" and any difference
would score zero.  Only the standard library and lxml are used.
"""

from __future__ import annotations

import codecs
import functools
import gzip
import hashlib
import json
import logging
import os
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import lxml.html
from lxml import etree

from scraper.offline import SITES

log = logging.getLogger(__name__)

SETS: tuple[str, ...] = ("fundus", "newspaper4k", "readability", "trafilatura-eval")
# Sets kept in this repository rather than in the corpora folder: "sites" is every offline
# site copy in scraper/offline/sites/ that has an expected.json (exact bodies, the site's cruft).
LOCAL_SETS: tuple[str, ...] = ("sites",)
ALL_SETS: tuple[str, ...] = SETS + LOCAL_SETS
ENV_VAR = "NEWSARCHIVE_CORPORA"
REPO_ROOT = Path(__file__).resolve().parent.parent
SITES_ROOT = SITES


@dataclass
class Case:
    """One saved page and what a good extraction of it looks like."""

    set_name: str
    case_id: str
    url: str | None
    html: str
    expected_text: str | None
    must_contain: list[str] = field(default_factory=list)
    must_not_contain: list[str] = field(default_factory=list)
    language: str | None = None
    # Known metadata, where the suite gives it (fundus): title, authors, publishing_date.
    meta: dict = field(default_factory=dict)


@dataclass
class Skipped:
    """A page (or an expected answer) that could not become a case, and why."""

    set_name: str
    case_id: str
    reason: str


@dataclass
class Corpus:
    cases: list[Case]
    skipped: list[Skipped]


# --------------------------------------------------------------------------- locating


def default_root() -> Path:
    """The corpora folder: $NEWSARCHIVE_CORPORA, else tests/corpora in this repository."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    return REPO_ROOT / "tests" / "corpora"


# --------------------------------------------------------------------------- decoding

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9._:-]+)""")
# What browsers actually do with these labels (WHATWG Encoding standard).
_LABEL_ALIASES = {
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-sjis": "shift_jis",
}


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in its first 64 KiB (meta tag or XML declaration)."""
    head = data[:65536]
    m = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    if not m:
        return None
    label = m.group(1).decode("ascii", "replace").strip().lower()
    label = _LABEL_ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode_html(data: bytes) -> tuple[str, str]:
    """Decode page bytes; returns (text, how) where how names the encoding used."""
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, "replace"), f"{encoding} (BOM)"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    charset = declared_charset(data)
    if charset and not charset.startswith("utf-8"):
        return data.decode(charset, "replace"), f"{charset} (declared)"
    return data.decode("utf-8", "replace"), "utf-8 (with replacement)"


def read_html(path: Path) -> str:
    return decode_html(path.read_bytes())[0]


_HTML_LANG = re.compile(
    r"""<html\b[^>]*?\blang\s*=\s*["']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*)""", re.IGNORECASE
)


def html_language(html: str) -> str | None:
    """The primary language subtag of ``<html lang=...>``, lower-cased, if any."""
    m = _HTML_LANG.search(html[:20000])
    return m.group(1).split("-")[0].split("_")[0].lower() if m else None


# --------------------------------------------------------------------------- expected text

_BLOCK_TAGS = frozenset(
    """address article aside blockquote body caption center dd details dialog div dl dt
    fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr li main nav
    ol p pre section summary table tbody td tfoot th thead tr ul""".split()
)
_SKIP_TAGS = frozenset("script style noscript template head title".split())


def html_block_text(markup: str) -> str:
    """Text of an HTML fragment, one line per block (p, li, h2, td ...), whitespace folded.

    Like lxml's ``text_content()`` per paragraph, but nested and mixed blocks (text directly
    inside a ``div`` next to ``p`` elements, ``br`` line breaks) still give separate lines.
    """
    if not markup.strip():
        return ""
    parser = lxml.html.HTMLParser(encoding="utf-8")
    root = lxml.html.fromstring(markup.encode("utf-8"), parser=parser)
    lines: list[str] = []
    current: list[str] = []

    def flush() -> None:
        text = " ".join("".join(current).split())
        if text:
            lines.append(text)
        current.clear()

    def walk(el: etree._Element) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else None
        if tag is None or tag in _SKIP_TAGS:  # comments, processing instructions
            return
        is_block = tag in _BLOCK_TAGS
        if is_block:
            flush()
        if el.text:
            current.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                current.append(child.tail)
        if is_block or tag == "br":
            flush()

    walk(root)
    flush()
    return "\n".join(lines)


def fundus_expected_text(body: dict | None) -> str:
    """Summary, then each section's headline(s) and paragraphs, as blank-line paragraphs."""
    if not body:
        return ""
    parts: list[str] = list(body.get("summary") or [])
    for section in body.get("sections") or []:
        parts.extend(section.get("headline") or [])
        parts.extend(section.get("paragraphs") or [])
    return "\n\n".join(p.strip() for p in parts if p and p.strip())


# --------------------------------------------------------------------------- loaders


def _version_key(version: str) -> tuple[int, ...]:
    """'V1_2' -> (1, 2), so V1 < V1_1 < V1_2 < V2 < V10."""
    nums = re.findall(r"\d+", version)
    return tuple(int(n) for n in nums) if nums else (sys.maxsize,)


def _load_fundus(root: Path) -> Corpus:
    cases: list[Case] = []
    skipped: list[Skipped] = []
    for country in sorted(p for p in root.iterdir() if p.is_dir()):
        meta_path = country / "meta.info"
        meta = json.loads(meta_path.read_text("utf-8")) if meta_path.exists() else {}
        pages = {p.name for p in country.glob("*.html.gz")}
        paired: set[str] = set()
        for expected_path in sorted(country.glob("*.json")):
            publisher = expected_path.stem
            versions = json.loads(expected_path.read_text("utf-8"))
            own = re.compile(re.escape(publisher) + r"_\d{4}_\d{2}_\d{2}\.html\.gz")
            files = sorted(
                (country / n for n in pages if own.fullmatch(n)),
                key=lambda p: (meta.get(p.name, {}).get("crawl_date", ""), p.name),
            )
            ordered = sorted(versions, key=_version_key)
            if len(files) != len(ordered):
                for p in files:
                    paired.add(p.name)
                    skipped.append(
                        Skipped(
                            "fundus",
                            f"{country.name}/{p.name[:-8]}",
                            f"{len(files)} pages but {len(ordered)} expected "
                            f"versions in {expected_path.name}; cannot pair",
                        )
                    )
                continue
            for path, version in zip(files, ordered, strict=True):
                paired.add(path.name)
                case_id = f"{country.name}/{path.name[: -len('.html.gz')]}"
                expected = fundus_expected_text(versions[version].get("body"))
                if not expected:
                    skipped.append(Skipped("fundus", case_id, f"{version} has an empty body"))
                    continue
                html = read_html(path)
                cases.append(
                    Case(
                        set_name="fundus",
                        case_id=case_id,
                        url=meta.get(path.name, {}).get("url"),
                        html=html,
                        expected_text=expected,
                        language=html_language(html),
                        meta={
                            key: versions[version].get(key)
                            for key in ("title", "authors", "publishing_date")
                        },
                    )
                )
        for name in sorted(pages - paired):
            skipped.append(
                Skipped(
                    "fundus",
                    f"{country.name}/{name[:-8]}",
                    "no <Publisher>.json with the expected text",
                )
            )
    return Corpus(cases, skipped)


def _load_newspaper4k(root: Path) -> Corpus:
    cases: list[Case] = []
    skipped: list[Skipped] = []
    html_dir, txt_dir, meta_dir = root / "html", root / "txt", root / "metadata"
    pages = {p.stem: p for p in html_dir.glob("*.html")}
    answers = {p.stem: p for p in txt_dir.glob("*.txt")}
    for name in sorted(pages):
        txt = answers.get(name)
        expected = txt.read_text("utf-8", "replace").strip() if txt else ""
        if not expected:
            skipped.append(
                Skipped(
                    "newspaper4k", name, "no txt/ expected text" if txt is None else "empty txt/"
                )
            )
            continue
        meta_path = meta_dir / f"{name}.json"
        meta = json.loads(meta_path.read_text("utf-8")) if meta_path.exists() else {}
        html = read_html(pages[name])
        cases.append(
            Case(
                set_name="newspaper4k",
                case_id=name,
                url=meta.get("url") or None,
                html=html,
                expected_text=expected,
                language=meta.get("language") or html_language(html),
            )
        )
    for name in sorted(set(answers) - set(pages)):
        skipped.append(Skipped("newspaper4k", name, "expected text but no html/ page"))
    return Corpus(cases, skipped)


def _load_readability(root: Path) -> Corpus:
    cases: list[Case] = []
    skipped: list[Skipped] = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        source, expected_path = folder / "source.html", folder / "expected.html"
        if not source.exists():
            skipped.append(Skipped("readability", folder.name, "no source.html"))
            continue
        expected = html_block_text(read_html(expected_path)) if expected_path.exists() else ""
        if not expected:
            skipped.append(
                Skipped(
                    "readability",
                    folder.name,
                    "no expected.html"
                    if not expected_path.exists()
                    else "expected.html has no text",
                )
            )
            continue
        meta_path = folder / "expected-metadata.json"
        meta = json.loads(meta_path.read_text("utf-8")) if meta_path.exists() else {}
        html = read_html(source)
        cases.append(
            Case(
                set_name="readability",
                case_id=folder.name,
                url=None,
                html=html,
                expected_text=expected,
                language=meta.get("lang") or html_language(html),
            )
        )
    return Corpus(cases, skipped)


def _load_trafilatura_eval(root: Path) -> Corpus:
    cases: list[Case] = []
    skipped: list[Skipped] = []
    index = json.loads((root / "evaldata.subset.json").read_text("utf-8"))
    listed: set[str] = set()
    for url, entry in sorted(index.items(), key=lambda kv: kv[1].get("file", "")):
        name = entry.get("file", "")
        listed.add(name)
        case_id = name.removesuffix(".html")
        path = root / name
        with_, without = list(entry.get("with") or []), list(entry.get("without") or [])
        if not path.exists():
            skipped.append(Skipped("trafilatura-eval", case_id, "listed page file missing"))
            continue
        if not with_ and not without:
            skipped.append(Skipped("trafilatura-eval", case_id, "no with/without snippets"))
            continue
        html = read_html(path)
        cases.append(
            Case(
                set_name="trafilatura-eval",
                case_id=case_id,
                url=url,
                html=html,
                expected_text=None,
                must_contain=with_,
                must_not_contain=without,
                language=html_language(html),
            )
        )
    for path in sorted(root.glob("*.html")):
        if path.name not in listed:
            skipped.append(Skipped("trafilatura-eval", path.stem, "page not in evaldata"))
    return Corpus(cases, skipped)


def _load_sites(root: Path) -> Corpus:
    """Articles of the offline site copies: exact expected bodies, the site's cruft list.

    Each page is read through the copy's own routes (scraper.offline.server.SiteCopy), so the case
    is the page a crawl of the copy fetches.  Case ids are ``<source>/<last URL segment>``.
    """
    from urllib.parse import urlsplit

    from scraper.offline.copies import SiteCopy  # the project's own reader of site copies

    cases: list[Case] = []
    skipped: list[Skipped] = []
    for folder in sorted(p for p in root.iterdir() if (p / "expected.json").is_file()):
        if not (folder / "site.toml").is_file():
            continue
        answers = json.loads((folder / "expected.json").read_text("utf-8"))
        copy = SiteCopy.load(folder)
        for article in answers.get("articles", []):
            url = article["url"]
            case_id = f"{folder.name}/{url.rstrip('/').rsplit('/', 1)[-1][:80]}"
            if "body" not in article:
                skipped.append(Skipped("sites", case_id, "expected.json has no exact body"))
                continue
            parts = urlsplit(url)
            resolved = copy.resolve(parts.path + (f"?{parts.query}" if parts.query else ""))
            if resolved.status != 200:
                skipped.append(Skipped("sites", case_id, f"the copy answers {resolved.status}"))
                continue
            html = decode_html(resolved.body)[0]
            cases.append(
                Case(
                    set_name="sites",
                    case_id=case_id,
                    url=url,
                    html=html,
                    expected_text=article["body"],
                    # Whitespace-only cruft (a no-break space) is checked by the exact body.
                    must_not_contain=[c for c in answers.get("cruft", []) if c.strip()],
                    language=article.get("language") or html_language(html),
                )
            )
    return Corpus(cases, skipped)


_LOADERS = {
    "fundus": _load_fundus,
    "newspaper4k": _load_newspaper4k,
    "readability": _load_readability,
    "trafilatura-eval": _load_trafilatura_eval,
    "sites": _load_sites,
}


def load_corpus(root: Path | None = None, sets: Iterable[str] | None = None) -> Corpus:
    """Load the chosen sets (the corpora's four by default; ``sites`` when asked for):
    the cases and the skipped pages with reasons."""
    root = Path(root) if root is not None else default_root()
    chosen = list(SETS if sets is None else sets)
    unknown = [s for s in chosen if s not in _LOADERS]
    if unknown:
        raise ValueError(f"unknown set(s) {unknown}; known: {', '.join(ALL_SETS)}")
    if any(s not in LOCAL_SETS for s in chosen) and not root.is_dir():
        raise FileNotFoundError(f"corpora folder not found: {root} (set ${ENV_VAR})")
    cases: list[Case] = []
    skipped: list[Skipped] = []
    for name in chosen:
        folder = SITES_ROOT if name == "sites" else root / name
        if not folder.is_dir():
            raise FileNotFoundError(f"corpus set folder missing: {folder}")
        part = _LOADERS[name](folder)
        cases.extend(part.cases)
        skipped.extend(part.skipped)
    return Corpus(cases, skipped)


def load_cases(root: Path | None = None, sets: Iterable[str] | None = None) -> list[Case]:
    """Load the chosen sets as cases; pages without an expected answer are logged, not kept."""
    corpus = load_corpus(root, sets)
    if corpus.skipped:
        log.warning(
            "skipped %d page(s) without a usable expected answer: %s",
            len(corpus.skipped),
            "; ".join(f"{s.set_name}/{s.case_id}: {s.reason}" for s in corpus.skipped),
        )
    return corpus.cases


def corpus_digest(cases: Iterable[Case]) -> str:
    """sha256 over the sorted case ids, each with the sha256 of its HTML and of its answer.

    A quality gate compares scores only against a baseline measured on the same digest.
    """
    lines = []
    for c in cases:
        answer = json.dumps(
            [c.expected_text, c.must_contain, c.must_not_contain], ensure_ascii=False
        )
        lines.append(
            "\t".join(
                (
                    f"{c.set_name}/{c.case_id}",
                    hashlib.sha256(c.html.encode("utf-8")).hexdigest(),
                    hashlib.sha256(answer.encode("utf-8")).hexdigest(),
                )
            )
        )
    return hashlib.sha256("\n".join(sorted(lines)).encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------- scoring

# Scripts written without spaces between words: scored character by character.
_CHAR_SCRIPTS = (
    "\u0e00-\u0e7f"  # Thai
    "\u0e80-\u0eff"  # Lao
    "\u1000-\u109f"  # Myanmar
    "\u1780-\u17ff"  # Khmer
    "\u3040-\u30ff"  # Hiragana, Katakana
    "\u31f0-\u31ff"  # Katakana phonetic extensions
    "\u3400-\u4dbf"  # CJK Extension A
    "\u4e00-\u9fff"  # CJK Unified Ideographs
    "\uf900-\ufaff"  # CJK Compatibility Ideographs
    "\uff66-\uff9f"  # half-width Katakana
    "\U00020000-\U0003134f"  # CJK Extensions B-H
)


@functools.cache
def _token_re() -> re.Pattern[str]:
    # Combining marks (Arabic harakat, Indic vowel signs, Thai vowels) belong inside words;
    # re's \w does not match them, so build the class once from the Unicode database.
    ranges: list[tuple[int, int]] = []
    start = None
    for cp in range(0x20000):  # no marks above U+1FFFF except the variation selectors
        is_mark = unicodedata.category(chr(cp)).startswith("M")
        if is_mark and start is None:
            start = cp
        elif not is_mark and start is not None:
            ranges.append((start, cp - 1))
            start = None
    ranges.append((0xE0100, 0xE01EF))
    marks = "".join(f"{chr(a)}-{chr(b)}" if a != b else chr(a) for a, b in ranges)
    return re.compile(
        f"[{_CHAR_SCRIPTS}][{marks}]*"  # one character (with its marks) of a spaceless script
        f"|(?:(?![{_CHAR_SCRIPTS}])[^\\W_]|[{marks}])+"  # a word: letters, digits, marks
    )


def tokens(text: str | None) -> list[str]:
    """Casefolded word tokens (NFKC); characters for Chinese, Japanese, Thai and the like."""
    if not text:
        return []
    return _token_re().findall(unicodedata.normalize("NFKC", text).casefold())


def score_tokens(extracted: Counter[str], expected: Counter[str]) -> tuple[float, float, float]:
    """Precision, recall, F1 of two token multisets."""
    n_ext, n_exp = sum(extracted.values()), sum(expected.values())
    if not n_ext or not n_exp:
        return 0.0, 0.0, 0.0
    overlap = sum((extracted & expected).values())
    if not overlap:
        return 0.0, 0.0, 0.0
    precision, recall = overlap / n_ext, overlap / n_exp
    return precision, recall, 2 * precision * recall / (precision + recall)


def score(extracted: str | None, expected: str) -> tuple[float, float, float]:
    """Bag-of-words precision, recall and F1 of an extraction against the expected text.

    Multiset intersection: a word counts as often as it occurs in both.  A missing or empty
    extraction scores (0, 0, 0).
    """
    return score_tokens(Counter(tokens(extracted)), Counter(tokens(expected)))


def _normalise_ws(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def snippet_score(
    extracted: str | None, must_contain: list[str], must_not_contain: list[str]
) -> tuple[float, float]:
    """(share of must_contain snippets found, share of must_not_contain snippets absent).

    Whitespace runs are folded to one space on both sides; matching is case-sensitive
    substring search, as in trafilatura's evaluation.  An empty list scores 1.0.
    """
    text = _normalise_ws(extracted or "")
    found = [_normalise_ws(s) in text for s in must_contain]
    absent = [_normalise_ws(s) not in text for s in must_not_contain]
    return (
        sum(found) / len(found) if found else 1.0,
        sum(absent) / len(absent) if absent else 1.0,
    )
