"""Build the offline site copies and the test fixtures from their data and templates.

    python -m tests.sitebuild.build [TARGET ...] [--check]

A target is an offline copy (a folder of ``scraper/offline/sites/``, or
``qamishli-post``, the user source of tests/fixtures/user_source/) or ``extract``
(the cleaning-rule pages of tests/fixtures/extract/); without one, all are built.
``--check`` builds in memory and lists the files that differ from the ones on
disk, writing nothing (exit status 1 when any does).

A copy is generated from its data folder: ``site-data.toml`` (settings, URL
patterns, listings, hard cases, the files to write), ``articles/*.md`` (one post
each) and ``pages/*.md`` (static pages), each ``.md`` a TOML front matter between
``+++`` lines followed by the story in the body mini-format. The pages are
rendered through the site's theme (``tests/sitebuild/themes/<cms>/<theme>/``) and
``expected.json`` (the known answers) is computed from the same data, so pages and
answers cannot drift apart. scraper/offline/README.md describes the layout.

Why Jinja2: each CMS theme is markup, and markup reads best as templates (loops,
includes and macros instead of Python f-strings); Jinja2 is already installed
with datasette. Why tomllib (tomli on Python 3.10, as for the server): TOML front
matter needs no new dependency and keeps types (lists, numbers, booleans).
"""

from __future__ import annotations

import argparse
import functools
import html
import json
import re
import sys
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from email.utils import format_datetime
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import quote

import jinja2

from scraper.offline import SITES

try:  # Python 3.11+
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

THEMES = Path(__file__).with_name("themes")
# The data of the copies of scraper/offline/sites/, a folder each, named like the copy.
COPIES_DATA = Path(__file__).with_name("sites")
REPO = Path(__file__).resolve().parents[2]
USER_SOURCE = REPO / "tests" / "fixtures" / "user_source" / "qamishli-post"
EXTRACT = REPO / "tests" / "fixtures" / "extract"
DATA_FILE = "site-data.toml"


class BuildError(Exception):
    """Data that cannot be built (names the file or the site and what is wrong)."""


# ---------------------------------------------------------------------------
# The body mini-format
# ---------------------------------------------------------------------------


class Block(NamedTuple):
    """One block of a story: ``kind`` p, h2, h3, quote, ul (``items``), cruft, or a marker."""

    kind: str
    text: str = ""
    items: tuple[str, ...] = ()


STORY_KINDS = ("p", "h2", "h3", "quote", "ul")
MARKER = re.compile(r"@@([A-Z]+) ?(.*)@@")
PREFIXES = (("### ", "h3"), ("## ", "h2"), ("> ", "quote"), ("%% ", "cruft"))


def parse_body(src: str) -> list[Block]:
    """Split a story into blocks (separated by a blank line).

    ``## `` / ``### `` a subheading, ``> `` a blockquote, ``* `` lines a list,
    ``%% `` a cruft paragraph inside the story, ``@@NAME text@@`` a marker (cruft
    the theme renders, e.g. a "Read also" link), anything else a paragraph.
    Inline HTML is kept as written; the theme decides on escaping.
    """
    blocks = []
    for chunk in re.split(r"\n\s*\n", src.strip()):
        chunk = chunk.strip()
        if not chunk:
            continue
        marker = MARKER.fullmatch(chunk)
        if marker:
            blocks.append(Block(marker.group(1).lower(), marker.group(2)))
        elif chunk.startswith("* "):
            blocks.append(Block("ul", items=tuple(line[2:].strip() for line in chunk.splitlines())))
        else:
            kind, text = next(
                ((k, chunk[len(p) :]) for p, k in PREFIXES if chunk.startswith(p)), ("p", chunk)
            )
            blocks.append(Block(kind, text))
    return blocks


def plain(fragment: str) -> str:
    """The text of an HTML fragment: tags dropped, entities decoded, stripped."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def clean_body(blocks: Iterable[Block]) -> str:
    """The clean body of expected.json: the story blocks as plain text, a blank line
    between them, list items as ``• `` lines; cruft and markers left out."""
    out = []
    for block in blocks:
        if block.kind == "ul":
            out.append("\n".join("• " + plain(item) for item in block.items))
        elif block.kind in STORY_KINDS:
            out.append(plain(block.text))
    return "\n\n".join(out)


# ---------------------------------------------------------------------------
# Template filters
# ---------------------------------------------------------------------------

WP_ENTITIES = {
    "’": "&#8217;",
    "‘": "&#8216;",
    "“": "&#8220;",
    "”": "&#8221;",
    "–": "&#8211;",
    "—": "&#8212;",
}
EASTERN_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def to_datetime(value: str) -> datetime:
    """The aware datetime of an ISO 8601 value (as written in the data: local time)."""
    return datetime.fromisoformat(value)


def utc_iso(value: str) -> str:
    """The value in UTC, ISO 8601 (``2025-12-14T09:00:00+00:00``)."""
    return to_datetime(value).astimezone(timezone.utc).isoformat()


def rfc822(value: str) -> str:
    """The value in UTC as an RSS date (``Sun, 14 Dec 2025 09:00:00 +0000``)."""
    return format_datetime(to_datetime(value).astimezone(timezone.utc))


def http_date(value: str) -> str:
    """The value as an HTTP date (``Sun, 14 Dec 2025 09:00:00 GMT``)."""
    return format_datetime(to_datetime(value).astimezone(timezone.utc), usegmt=True)


def texturize(fragment: str, chars: str = "".join(WP_ENTITIES)) -> str:
    """WordPress's wptexturize output: the typographic ``chars`` as numeric entities."""
    for char in chars:
        fragment = fragment.replace(char, WP_ENTITIES[char])
    return fragment


def pct(text: str, lower: bool = False) -> str:
    """A path percent-encoded as UTF-8 (``/`` and ``-`` kept); ``lower``: lower-case hex,
    as WordPress prints links (the archive's canonical form has upper-case hex)."""
    encoded = quote(text, safe="/-")
    return re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), encoded) if lower else encoded


def slug(text: str) -> str:
    """A lower-case ASCII slug: runs of anything but ``a-z0-9`` become one ``-``."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def chronological(
    items: Iterable[dict[str, Any]],
    field: str = "published",
) -> list[dict[str, Any]]:
    """``items`` oldest first by the UTC time of ``field`` (``published`` or ``modified``)."""
    return sorted(items, key=lambda item: utc_iso(item[field]))


def nearest(posts: Iterable[dict[str, Any]], post: dict[str, Any]) -> list[dict[str, Any]]:
    """``posts`` by how close their publication is to ``post``'s (ties keep their order)."""
    when = to_datetime(post["published"]).timestamp()
    return sorted(posts, key=lambda p: abs(to_datetime(p["published"]).timestamp() - when))


FILTERS: dict[str, Callable[..., Any]] = {
    "esc": lambda text: html.escape(text, quote=False),
    "attr": lambda text: html.escape(text, quote=True),
    "quote": lambda text: quote(text, safe=""),
    "json": lambda value: json.dumps(value, ensure_ascii=False),
    "dt": to_datetime,
    "utc": utc_iso,
    "rfc822": rfc822,
    "http_date": http_date,
    "eastern_digits": lambda text: str(text).translate(EASTERN_DIGITS),
    "texturize": texturize,
    "pct": pct,
    "plain": plain,
    "slug": slug,
    "chronological": chronological,
    "nearest": nearest,
    "crc32": lambda text: zlib.crc32(text.encode()),
    "ord_sum": lambda text: sum(map(ord, text)),
}


class DataEnvironment(jinja2.Environment):
    """Jinja, with ``x.name`` of a dict the item ``name`` when there is one (Jinja tries the
    attribute first, so a field named ``copy`` or ``items`` would give the dict's method),
    and the small templates of the data (URL patterns, paths...) compiled once."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.templates: dict[str, jinja2.Template] = {}
        self.expressions: dict[str, Callable[..., Any]] = {}

    def getattr(self, obj: Any, attribute: str) -> Any:
        if isinstance(obj, dict) and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)

    def fill(self, source: str, context: dict[str, Any], **names: Any) -> str:
        """``source``, a template of the data, rendered with ``context`` and ``names``."""
        if "{" not in source:
            return source
        if source not in self.templates:
            self.templates[source] = self.from_string(source)
        return self.templates[source].render(context, **names)

    def evaluate(self, expression: str, context: dict[str, Any]) -> Any:
        """The value of a Jinja ``expression`` of the data (``posts|selectattr('amp')``)."""
        if expression not in self.expressions:
            self.expressions[expression] = self.compile_expression(expression)
        return self.expressions[expression](**context)


@functools.cache
def environment(*search_path: Path) -> DataEnvironment:
    """A Jinja environment for one theme: templates looked up in ``search_path`` order,
    no autoescaping (the templates escape with ``esc`` / ``attr``), output kept byte
    for byte (trailing newlines kept, block tags alone on a line leave no line), and
    ``macros`` (themes/macros.html, what every theme uses) known to every template."""
    env = DataEnvironment(
        loader=jinja2.FileSystemLoader(search_path),
        autoescape=False,
        extensions=["jinja2.ext.do"],
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(FILTERS)
    env.globals["macros"] = env.get_template("macros.html").module
    return env


# ---------------------------------------------------------------------------
# Reading the data
# ---------------------------------------------------------------------------


def read_toml(path: Path) -> dict[str, Any]:
    """A TOML file (a :class:`BuildError` naming it when it is not valid)."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise BuildError(f"{path}: invalid TOML: {exc}") from exc


def read_item(path: Path) -> dict[str, Any]:
    """A post or page file: its TOML front matter between ``+++`` lines, plus ``body``
    (the text after it, stripped) and ``blocks`` (the body parsed)."""
    text = path.read_text(encoding="utf-8")
    head, sep, body = text.removeprefix("+++\n").partition("\n+++\n")
    if not text.startswith("+++\n") or not sep:
        raise BuildError(f"{path}: must start with a front matter between +++ lines")
    try:
        item = tomllib.loads(head)
    except tomllib.TOMLDecodeError as exc:
        raise BuildError(f"{path}: invalid front matter: {exc}") from exc
    item["body"] = body.strip()
    item["blocks"] = parse_body(item["body"])
    return item


def apply_edit(posts: list[dict[str, Any]], edit: dict[str, Any]) -> None:
    """Change the post ``edit["post"]`` as an overlay shows it: its ``modified`` time, and
    the one occurrence of ``edit["old"]`` in its body replaced by ``edit["new"]``."""
    post = next((p for p in posts if p.get("id") == edit["post"]), None)
    if post is None or post["body"].count(edit["old"]) != 1:
        raise BuildError(f"overlay: post {edit['post']} must contain the old text exactly once")
    post["body"] = post["body"].replace(edit["old"], edit["new"])
    post["blocks"] = parse_body(post["body"])
    post["modified"] = edit["modified"]


# ---------------------------------------------------------------------------
# The site model: posts, pages and listings with their derived fields
# ---------------------------------------------------------------------------


def derive(
    env: DataEnvironment,
    items: list[dict[str, Any]],
    fields: dict[str, str],
    context: dict[str, Any],
    name: str,
) -> None:
    """Give every item the derived ``fields`` (templates rendered with the item as ``name``)
    it does not set itself, in the order written."""
    for item in items:
        for field, source in fields.items():
            if field not in item:
                item[field] = env.fill(source, context, **{name: item})


def chunks(items: list[Any], size: int) -> list[list[Any]]:
    """``items`` in pages of ``size``; one empty page when there are none."""
    return [items[i : i + size] for i in range(0, len(items), size)] or [[]]


def listing_groups(
    spec: dict[str, Any],
    posts: list[dict[str, Any]],
    sections: dict[str, dict[str, Any]],
    sort_key: Callable[[str], str],
) -> list[dict[str, Any]]:
    """The listings of one ``[[listings]]`` entry: one per section, tag or month (or one of
    all posts), each with its ``key``, ``name`` and ``posts`` (newest first)."""
    group = spec["group"]
    if group == "all":
        return [{"key": "all", "name": "", "posts": posts}]
    if group == "sections":
        return [
            {
                "key": key,
                "name": sections[key]["name"],
                "posts": [p for p in posts if p.get("section") == key],
            }
            for key in spec.get("only", sections)
        ]
    if group == "tags":
        tags = sorted({t for p in posts for t in p["tags"]}, key=sort_key)
        return [
            {"key": tag, "name": tag, "posts": [p for p in posts if tag in p["tags"]]}
            for tag in tags
        ]
    if group == "months":

        def month(post: dict[str, Any]) -> str:
            return to_datetime(post["published"]).strftime("%Y/%m")

        return [
            {
                "key": ym,
                "name": ym,
                "date": datetime.strptime(ym, "%Y/%m"),
                "posts": [p for p in posts if month(p) == ym],
            }
            for ym in sorted({month(p) for p in posts}, reverse=True)
        ]
    raise BuildError(f"listings: unknown group {group!r} (all, sections, tags or months)")


def build_listings(
    env: DataEnvironment,
    data: dict[str, Any],
    context: dict[str, Any],
) -> dict[str, dict[str, dict[str, Any]]]:
    """Every listing of ``[[listings]]``: {group: {key: listing}}, each listing with its
    ``url`` (its first page's) and ``pages`` (``per_page`` posts each; with
    ``extra_empty_page`` one more, empty page, as Drupal-style pagers answer)."""
    listings: dict[str, dict[str, dict[str, Any]]] = {}
    for spec in data.get("listings", []):

        def sort_key(tag: str, sort: str = spec.get("sort", "{{ listing.key }}")) -> str:
            return env.fill(sort, context, listing={"key": tag})

        groups = listing_groups(spec, context["posts"], context["sections"], sort_key)
        fields = {k: v for k, v in spec.items() if k not in ("group", "only", "sort")}
        derive(env, groups, fields, context, "listing")
        for listing in groups:
            pages = chunks(listing["posts"], data["per_page"])
            count = len(pages)
            if data.get("extra_empty_page"):
                pages.append([])
            listing["pages"] = [
                {"n": n, "posts": chunk, "count": count, "extra": n > count, "listing": listing}
                for n, chunk in enumerate(pages, start=1)
            ]
            derive(env, listing["pages"], data.get("listing_page", {}), context, "page")
            for page in listing["pages"]:
                page.setdefault("canonical", page["url"])
            listing["url"] = listing["pages"][0]["url"]
        listings[spec["group"]] = {listing["key"]: listing for listing in groups}
    return listings


def sections_of(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """``[sections]``: key -> a table with at least ``name`` (a bare string is the name)."""
    return {
        key: ({"name": value} if isinstance(value, str) else value) | {"key": key}
        for key, value in data.get("sections", {}).items()
    }


def theme_path(theme: str) -> list[Path]:
    """Where a theme's templates are looked up: ``themes/wordpress/voice``, then
    ``themes/wordpress`` (what its CMS shares), then ``themes`` (what all share)."""
    parts = theme.split("/")
    return [THEMES.joinpath(*parts[:n]) for n in range(len(parts), -1, -1)]


def site_model(
    root: Path,
    edit: dict[str, Any] | None = None,
) -> tuple[dict[str, Any], DataEnvironment, dict[str, Any]]:
    """The data of the copy in ``root`` (its site-data.toml), its template environment and
    the context its templates see: ``site`` (the ``[site]`` table), ``sections``, ``posts``
    (newest first), ``articles``, ``by_id``, ``pages``, ``listings`` (by group),
    ``listing_pages``, ``last_build`` (the latest ``modified``), ``source``, ``host`` and
    ``overlays``. ``edit``: an overlay's change to one post."""
    data = read_toml(root / DATA_FILE)
    env = environment(*theme_path(data["theme"]))
    context: dict[str, Any] = {
        "source": data["source"],
        "host": data["host"],
        "site": data.get("site", {}),
        "sections": sections_of(data),
        "overlays": data.get("overlays", {}),
    }
    derive(env, list(context["sections"].values()), data.get("section", {}), context, "section")
    posts = [read_item(path) for path in sorted((root / "articles").glob("*.md"))]
    pages = [read_item(path) for path in sorted((root / "pages").glob("*.md"))]
    if edit:
        apply_edit(posts, edit)
    for item in posts + pages:
        item.setdefault("article", True)
        item.setdefault("authors", [])
        item.setdefault("tags", [])
    derive(env, posts, data.get("post", {}), context, "post")
    derive(env, pages, data.get("page", {}), context, "page")
    for item in posts + pages:
        item.setdefault("canonical", item["url"])
        item.setdefault("feed_link", item["url"])
    posts.sort(key=lambda p: utc_iso(p["published"]), reverse=True)
    context.update(
        posts=posts,
        articles=[p for p in posts if p["article"]],
        feed_posts=posts[: data.get("feed_size", len(posts))],
        by_id={p["id"]: p for p in posts if "id" in p},
        pages=pages,
        last_build=max((p["modified"] for p in posts), key=utc_iso),
    )
    context["listings"] = build_listings(env, data, context)
    context["listing_pages"] = [
        page
        for group in context["listings"].values()
        for listing in group.values()
        for page in listing["pages"]
    ]
    return data, env, context


# ---------------------------------------------------------------------------
# Rendering the files
# ---------------------------------------------------------------------------

FOR = re.compile(r"(\w+) in (.+)", re.S)


def render_files(
    env: DataEnvironment,
    entries: list[dict[str, Any]],
    context: dict[str, Any],
    only: Iterable[str] | None = None,
) -> dict[str, str]:
    """The ``[[files]]`` of a copy: {path relative to the copy: text}. An entry names its
    ``path`` and its ``template`` (or gives it ``inline``), both templates themselves,
    and may add ``vars`` to the context; with ``for = "post in posts"`` it writes one file
    per item. ``only``: just the files of these templates (an overlay's)."""
    files: dict[str, str] = {}
    for entry in entries:
        loop = FOR.fullmatch(entry.get("for", "_ in [none]"))
        if not loop:
            raise BuildError(f"files: 'for' must read '<name> in <expression>': {entry['for']!r}")
        for item in env.evaluate(loop.group(2), context):
            local = {**context, **entry.get("vars", {}), loop.group(1): item}
            template_name = env.fill(entry.get("template", ""), local)
            if only is not None and template_name not in only:
                continue
            target = env.fill(entry["path"], local)
            if target in files:
                raise BuildError(f"files: {target} is written twice")
            files[target] = (
                env.fill(entry["inline"], local)
                if "inline" in entry
                else env.get_template(template_name).render(local)
            )
    return files


# ---------------------------------------------------------------------------
# expected.json: the known answers
# ---------------------------------------------------------------------------

ARTICLE_KEYS = [
    "url",
    "title",
    "summary",
    "authors",
    "original_source",
    "original_stance",
    "published",
    "updated",
    "language",
    "section",
    "tags",
    "translated",
    "editorial_note",
    "image",
    "body_starts_with",
    "body_ends_with",
    "paragraphs",
    "body",
]


def article_answers(
    post: dict[str, Any], context: dict[str, Any], language: str | None, keys: list[str]
) -> dict[str, Any]:
    """One article of expected.json: ``keys`` of the README's table, from the post."""
    body = clean_body(post["blocks"])
    section = context["sections"].get(post.get("section"), {})
    answers = {
        "url": post["canonical"],
        "title": post["title"],
        "summary": post["summary"],
        "authors": post["authors"],
        "original_source": post.get("original_source"),
        "original_stance": post.get("original_stance"),
        "published": utc_iso(post["published"]),
        "updated": utc_iso(post["modified"]) if post["modified"] != post["published"] else None,
        "language": language,
        "section": section.get("name"),
        "tags": post["tags"],
        "translated": post.get("translated", False),
        "editorial_note": post.get("note"),
        "image": post.get("image_url"),
        "body_starts_with": body[:60],
        "body_ends_with": body[-60:],
        "paragraphs": body.count("\n\n") + 1,
        "body": body,
    }
    return {key: answers[key] for key in keys}


def expected_answers(
    env: DataEnvironment,
    data: dict[str, Any],
    context: dict[str, Any],
    edited: dict[str, Any] | None,
) -> dict[str, Any]:
    """expected.json, from ``[expected]`` and the site model (see the README's table).

    ``[expected]``: ``feed``, ``sitemap``, ``host``, ``path_prefix`` and the lists
    ``not_articles`` (the home page) and ``gone`` are templates;
    ``language``; ``cruft`` strings, plus the post fields named in ``cruft_fields``
    (e.g. captions) that no body contains; ``aliases``, ``feed_item``,
    ``post_not_articles``, ``listing_key`` name fields; ``article_keys``.
    ``edited``: the ``edited`` answer (the overlay's), or None.
    """
    spec = data["expected"]

    def render(source: str) -> str:
        return env.fill(source, context)

    articles, posts = context["articles"], context["posts"]
    answers = [
        article_answers(p, context, spec.get("language"), spec.get("article_keys", ARTICLE_KEYS))
        for p in articles
    ]
    bodies = [a["body"] for a in answers]
    cruft = list(spec.get("cruft", [])) + [
        p[field]
        for field in spec.get("cruft_fields", [])
        for p in articles
        if not any(p[field] in body for body in bodies)
    ]
    for answer in answers:
        leaked = [c for c in cruft if c in answer["body"]]
        if leaked:
            raise BuildError(f"{context['source']}: cruft {leaked} in the body of {answer['url']}")
    listing_key = spec.get("listing_key", "url")
    not_articles = [render(url) for url in spec.get("not_articles", [])]
    not_articles += [p["canonical"] for p in context["pages"] if not p.get("disallowed")]
    not_articles += [p["canonical"] for p in posts if not p["article"]]
    not_articles += [page["canonical"] for page in context["listing_pages"] if not page["extra"]]
    not_articles += [p[field] for p in posts for field in spec.get("post_not_articles", [])]
    expected = {
        "source": context["source"],
        "host": render(spec.get("host", context["host"])),
        "path_prefix": spec.get("path_prefix"),
        "feed": render(spec["feed"]),
        "sitemap": render(spec["sitemap"]),
        "articles": answers,
        "aliases": {
            p[field]: p["canonical"] for p in posts for field in spec.get("aliases", []) if p[field]
        },
        "not_articles": list(dict.fromkeys(not_articles)),
        "disallowed": [p["canonical"] for p in context["pages"] if p.get("disallowed")] or None,
        "gone": [render(url) for url in spec["gone"]] if "gone" in spec else None,
        "edited": edited,
        "feed_items": [p[spec.get("feed_item", "feed_link")] for p in context["feed_posts"]],
        "listings": {
            listing["pages"][0][listing_key]: {
                "pages": listing["pages"][0]["count"],
                "posts": [p["canonical"] for p in listing["posts"]],
            }
            for group in context["listings"].values()
            for listing in group.values()
        },
        "cruft": cruft,
    }
    return {key: value for key, value in expected.items() if value is not None}


def dump_json(value: Any) -> str:
    """JSON as the copies keep it: UTF-8 text, indented by two, a final newline."""
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def build_copy(root: Path) -> dict[str, str]:
    """Every file of the offline copy whose data is in ``root``: {path in the copy: text}.

    An overlay (``[overlays.<name>]``, at most one: expected.json has one ``edited``
    answer) changes one post; the files of its ``templates`` are rendered again with the
    change, and those that differ from the www/ ones go to its ``dir``."""
    data, env, context = site_model(root)
    files = render_files(env, data["files"], context)
    overlays = data.get("overlays", {})
    if len(overlays) > 1:
        raise BuildError(f"{root / DATA_FILE}: a copy has at most one overlay")
    edited = None
    for name, overlay in overlays.items():
        _, _, changed = site_model(root, edit=overlay)
        rendered = render_files(env, data["files"], changed, only=overlay["templates"])
        files |= {
            overlay["dir"] + path.removeprefix("www"): text
            for path, text in rendered.items()
            if files.get(path) != text
        }
        post = changed["by_id"][overlay["post"]]
        edited = {
            "url": post["canonical"],
            "overlay": name,
            "changed_text": overlay["changed_text"],
            "updated": utc_iso(post["modified"]),
            "body": clean_body(post["blocks"]),
        }
    files["expected.json"] = dump_json(expected_answers(env, data, context, edited))
    return files


# ---------------------------------------------------------------------------
# The cleaning-rule fixtures (tests/fixtures/extract)
# ---------------------------------------------------------------------------


def fixture_blocks(fixture: dict[str, Any], stories: dict[str, list[str]]) -> list[list[Any]]:
    """A fixture's ``[kind, text]`` blocks: its own ``blocks``, or its ``story`` (default: its
    language's) with the ``cruft`` paragraphs, then the ``keep`` ones, inserted at ``at``."""
    if "blocks" in fixture:
        return fixture["blocks"]
    story = [["p", text] for text in stories[fixture.get("story", fixture.get("lang", "en"))]]
    at = fixture.get("at", 0)
    inserted = [["cruft", text] for text in fixture.get("cruft", [])] + [
        ["p", text] for text in fixture.get("keep", [])
    ]
    return story[:at] + inserted + story[at:]


def build_extract(root: Path) -> dict[str, str]:
    """One page per cleaning rule, ``<name>.html`` + ``<name>.expected.json``, from
    ``root/fixtures.toml``: the story blocks give the expected body, the cruft blocks
    the strings the rule must remove, the paragraphs that are in no story those it must
    keep."""
    data = read_toml(root / "fixtures.toml")
    template = environment(*theme_path(data["theme"])).get_template("page.html")
    known = {text for story in data["stories"].values() for text in story}
    files: dict[str, str] = {}
    for fixture in data["fixture"]:
        name, lang = fixture["name"], fixture.get("lang", "en")
        if f"{name}.html" in files:
            raise BuildError(f"{root / 'fixtures.toml'}: two fixtures named {name!r}")
        title = fixture.get("title", data["titles"][lang])
        blocks = fixture_blocks(fixture, data["stories"])
        story = [
            "\n".join(f"• {item}" for item in text)
            if kind == "ul"
            else "\n".join(f"{n}. {item}" for n, item in enumerate(text, 1))
            if kind == "ol"
            else text
            for kind, text in blocks
            if kind in STORY_KINDS or kind == "ol"
        ]
        # Cruft outside the blocks: story words as the page misprints them (``broken``,
        # "fata*lities"), and what the feed's summary adds (``feed_cruft``).
        broken = fixture.get("broken", {})
        expected = {
            "url": data["url"],
            "rule": fixture["rule"],
            "title": title,
            "language": lang,
            "published": utc_iso(data["published"]),
            "body": "\n\n".join(story),
            "cruft": [text for kind, text in blocks if kind.startswith("cruft")]
            + list(broken.values())
            + fixture.get("feed_cruft", []),
            "keep": [text for kind, text in blocks if kind == "p" and text not in known],
        }
        # What a feed said about the page (extract()'s hints) and the answers that need them.
        for key in ("authors", "hints", "summary"):
            if key in fixture:
                expected[key] = fixture[key]
        files[f"{name}.html"] = template.render(
            data, fixture=fixture, lang=lang, title=title, blocks=blocks
        )
        files[f"{name}.expected.json"] = dump_json(expected)
    return files


# ---------------------------------------------------------------------------
# Targets and the command line
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """Something the builder writes: a folder, the folder of its data (the same one for
    the test fixtures), how to build its files from that data, which files are built."""

    name: str
    root: Path
    data: Path
    build: Callable[[Path], dict[str, str]]
    built_dirs: tuple[str, ...] = ()
    built_suffixes: tuple[str, ...] = ()

    def owns(self, rel: str) -> bool:
        """Whether ``rel`` (a path relative to the root) is built (not data)."""
        first = rel.split("/", 1)[0]
        return ("/" in rel and first in self.built_dirs) or (
            "/" not in rel and rel.endswith(self.built_suffixes)
        )

    def on_disk(self) -> dict[str, bytes]:
        """The built files as they are on disk now."""
        return {
            rel: path.read_bytes()
            for path in sorted(self.root.rglob("*"))
            if path.is_file() and self.owns(rel := path.relative_to(self.root).as_posix())
        }

    def render(self) -> dict[str, bytes]:
        """The built files as the data makes them."""
        return {rel: text.encode("utf-8") for rel, text in sorted(self.build(self.data).items())}

    def write(self, out: Path | None = None) -> int:
        """Write the files under ``out`` (default: the root), removing stale built ones
        there; return how many were written."""
        out = out or self.root
        files = self.render()
        for rel in replace(self, root=out).on_disk().keys() - files.keys():
            (out / rel).unlink()
        for rel, content in files.items():
            path = out / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        for name in self.built_dirs:  # folders left empty by stale files
            for folder in sorted((out / name).rglob("*"), reverse=True):
                if folder.is_dir() and not any(folder.iterdir()):
                    folder.rmdir()
        return len(files)


def copy_target(root: Path, data: Path) -> Target:
    """The offline copy in ``root`` built from ``data``: site.toml, expected.json, www/ and
    its overlays."""
    overlays = read_toml(data / DATA_FILE).get("overlays", {})
    dirs = ("www", *(overlay["dir"] for overlay in overlays.values()))
    return Target(root.name, root, data, build_copy, dirs, ("site.toml", "expected.json"))


def targets() -> list[Target]:
    """Every target: the copies of scraper/offline/sites, the user source, the extract pages."""
    data = sorted(d for d in COPIES_DATA.iterdir() if (d / DATA_FILE).is_file())
    found = [copy_target(SITES / d.name, d) for d in data]
    if (USER_SOURCE / DATA_FILE).is_file():
        found.append(copy_target(USER_SOURCE, USER_SOURCE))
    if (EXTRACT / "fixtures.toml").is_file():
        found.append(
            Target("extract", EXTRACT, EXTRACT, build_extract, (), (".html", ".expected.json"))
        )
    return found


def main(argv: list[str] | None = None) -> int:
    """The command line (see the module docstring); the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m tests.sitebuild.build",
        description="Build the offline site copies and fixtures.",
    )
    parser.add_argument(
        "targets",
        nargs="*",
        metavar="TARGET",
        help="a copy (e.g. syrianobserver, qamishli-post) or 'extract'",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; list the files that differ from the data",
    )
    args = parser.parse_args(argv)
    known = {target.name: target for target in targets()}
    unknown = [name for name in args.targets if name not in known]
    if unknown:
        parser.error(f"unknown target(s) {', '.join(unknown)}; known: {', '.join(known)}")
    status = 0
    for target in [known[name] for name in args.targets] or known.values():
        try:
            if args.check:
                built, disk = target.render(), target.on_disk()
                stale = sorted(
                    rel for rel in built.keys() | disk.keys() if built.get(rel) != disk.get(rel)
                )
                for rel in stale:
                    state = (
                        "differs"
                        if rel in built and rel in disk
                        else ("missing" if rel in built else "not built by the data")
                    )
                    print(f"{target.name}: {rel} {state}")
                status |= bool(stale)
                print(f"{target.name}: {len(built) - len(stale)} of {len(built)} files up to date")
            else:
                print(f"{target.name}: {target.write()} files written to {target.root}")
        except BuildError as exc:
            print(f"error: {exc}", file=sys.stderr)
            status = 2
    return status


if __name__ == "__main__":
    sys.exit(main())
