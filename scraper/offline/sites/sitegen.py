"""What the generators of the offline copies (scraper/offline/sites/build_*.py) have in common.

Dates, escaping, the body mini-format, file writing, WordPress feeds, Yoast /
Rank Math sitemaps, robots.txt, site.toml routes, listing pagination and the
articles of expected.json. Each site's own markup (page templates, cruft)
stays in its generator. Every output must stay byte for byte what the
generators wrote before this module existed: change nothing here without
re-running all of them and checking that ``git status`` shows no change
under scraper/offline/sites/*/ and tests/fixtures/user_source/.

The generators run as scripts (``python scraper/offline/sites/build_x.py``), so they
import this module as ``sitegen`` from their own directory.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timezone
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import quote

# ---------------------------------------------------------------------------
# Dates. Values are ISO 8601 strings with an offset, as written in the data.
# ---------------------------------------------------------------------------

LEVANT_MONTHS = ["كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب",
                 "أيلول", "تشرين الأول", "تشرين الثاني", "كانون الأول"]
EASTERN_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def dt(value: str) -> datetime:
    """The aware datetime of an ISO 8601 value (the site's local time)."""
    return datetime.fromisoformat(value)


def utc_iso(value: str) -> str:
    """The value in UTC, ISO 8601 (``2025-12-14T09:00:00+00:00``)."""
    return dt(value).astimezone(timezone.utc).isoformat()


def rfc822(value: str) -> str:
    """The value in UTC as an RSS ``pubDate`` (``Sun, 14 Dec 2025 09:00:00 +0000``)."""
    return format_datetime(dt(value).astimezone(timezone.utc))


def http_date(value: str) -> str:
    """The value as an HTTP date (``Sun, 14 Dec 2025 09:00:00 GMT``)."""
    return format_datetime(dt(value).astimezone(timezone.utc), usegmt=True)


def english_date(value: str) -> str:
    """``December 14, 2025``, as English WordPress themes print dates."""
    d = dt(value)
    return f"{d:%B} {d.day}, {d.year}"


def levant_date(value: str, eastern_digits: bool = False) -> str:
    """``14 كانون الأول 2025`` (Syrian month names), optionally in Eastern Arabic digits."""
    d = dt(value)
    text = f"{d.day} {LEVANT_MONTHS[d.month - 1]} {d.year}"
    return text.translate(EASTERN_DIGITS) if eastern_digits else text


# ---------------------------------------------------------------------------
# Text
# ---------------------------------------------------------------------------

WP_ENTITIES = {"’": "&#8217;", "‘": "&#8216;", "“": "&#8220;", "”": "&#8221;",
               "–": "&#8211;", "—": "&#8212;"}


def esc(text: str) -> str:
    """HTML-escape text content (quotes left alone)."""
    return html.escape(text, quote=False)


def attr(text: str) -> str:
    """HTML-escape an attribute value (quotes too)."""
    return html.escape(text, quote=True)


def plain(fragment: str) -> str:
    """The text of an HTML fragment: tags dropped, entities decoded, stripped."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def slug(text: str) -> str:
    """A lower-case ASCII slug: runs of anything but ``a-z0-9`` become one ``-``."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def wp_quote(segment: str) -> str:
    """A path segment as WordPress prints it in links: UTF-8 percent-encoded, lower-case hex
    (the archive's canonical form has upper-case hex: ``quote(segment, safe="-")``)."""
    return re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), quote(segment, safe="-"))


def texturize(fragment: str, chars: str = "".join(WP_ENTITIES)) -> str:
    """WordPress's wptexturize output: the typographic ``chars`` as numeric entities."""
    for char in chars:
        fragment = fragment.replace(char, WP_ENTITIES[char])
    return fragment


# ---------------------------------------------------------------------------
# The body mini-format of the generators' data
# ---------------------------------------------------------------------------

Block = tuple[str, object]


def parse_body(src: str, markers: Sequence[str] = ()) -> list[Block]:
    """Split a story written in the mini-format into ``(kind, payload)`` blocks.

    Blocks are separated by a blank line: ``### `` an h3, ``## `` an h2,
    ``> `` a blockquote, ``%% `` a cruft paragraph inside the story,
    ``* `` lines a list (payload: the items), anything else a paragraph
    (``p``). With ``markers`` (e.g. ``("READ", "FIGURE")``) a block
    ``@@READ 123@@`` is ``("read", "123")``: cruft the generator renders.
    """
    marker_re = re.compile(rf"@@({'|'.join(markers)}) ?(.*)@@") if markers else None
    blocks: list[Block] = []
    for chunk in re.split(r"\n\s*\n", src.strip()):
        chunk = chunk.strip()
        if not chunk:
            continue
        marker = marker_re.fullmatch(chunk) if marker_re else None
        if marker:
            blocks.append((marker.group(1).lower(), marker.group(2)))
        elif chunk.startswith("### "):
            blocks.append(("h3", chunk[4:]))
        elif chunk.startswith("## "):
            blocks.append(("h2", chunk[3:]))
        elif chunk.startswith("> "):
            blocks.append(("quote", chunk[2:]))
        elif chunk.startswith("%% "):
            blocks.append(("cruft", chunk[3:]))
        elif chunk.startswith("* "):
            blocks.append(("ul", [line[2:].strip() for line in chunk.splitlines()]))
        else:
            blocks.append(("p", chunk))
    return blocks


def clean_body(blocks: Iterable[Block], cruft: Sequence[str] = ("cruft",)) -> str:
    """The clean body expected.json wants: story paragraphs as plain text, a blank
    line between them, list items as ``• `` lines, the ``cruft`` kinds left out."""
    out = []
    for kind, payload in blocks:
        if kind in cruft:
            continue
        if kind == "ul":
            out.append("\n".join("• " + plain(item) for item in payload))  # type: ignore[attr-defined]
        else:
            out.append(plain(payload))  # type: ignore[arg-type]
    return "\n\n".join(out)


def wp_block(kind: str, payload: object, fix: Callable[[str], str] | None = None,
             gutenberg: bool = False) -> str:
    """A story block (``p``, ``h2``, ``h3``, ``quote``, ``ul``) as WordPress prints it: the
    classic editor's bare tags, or with ``gutenberg`` the block editor's classes on
    headings, quotes and lists. ``fix`` (e.g. :func:`texturize`) is applied to the text."""
    fix = fix or (lambda s: s)
    if kind == "p":
        return f"<p>{fix(payload)}</p>"  # type: ignore[arg-type]
    if kind in ("h2", "h3"):
        cls = ' class="wp-block-heading"' if gutenberg else ""
        return f"<{kind}{cls}>{fix(payload)}</{kind}>"  # type: ignore[arg-type]
    if kind == "quote":
        cls = ' class="wp-block-quote"' if gutenberg else ""
        return f"<blockquote{cls}>\n<p>{fix(payload)}</p>\n</blockquote>"  # type: ignore[arg-type]
    if kind == "ul":
        cls = ' class="wp-block-list"' if gutenberg else ""
        items = "\n".join(f"<li>{fix(item)}</li>" for item in payload)  # type: ignore[attr-defined]
        return f"<ul{cls}>\n{items}\n</ul>"
    raise ValueError(f"not a story block: {kind}")


# ---------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------


def write(root: Path, rel: str, text: str) -> None:
    """Write ``text`` (UTF-8) to ``root/rel``, making the directories."""
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


# ---------------------------------------------------------------------------
# Listings (WordPress pagination: <base>page/<n>/)
# ---------------------------------------------------------------------------


def chunks(items: list, per_page: int) -> list[list]:
    """``items`` in pages of ``per_page``; one empty page when there are none."""
    return [items[i:i + per_page] for i in range(0, len(items), per_page)] or [[]]


def page_path(base_path: str, n: int) -> str:
    """The path of page ``n`` of the listing at ``base_path`` (``/c/``, ``/c/page/2/``)."""
    return base_path if n == 1 else f"{base_path}page/{n}/"


def page_urls(first: str, pages: int) -> list[str]:
    """The paths or URLs of all ``pages`` pages of the listing whose first page is ``first``."""
    return [page_path(first, n) for n in range(1, pages + 1)]


def page_numbers(page_url: Callable[[int], str], page: int, pages: int, prev_label: str,
                 next_label: str, prev_class: str = "prev page-numbers",
                 next_class: str = "next page-numbers") -> list[str]:
    """The links of WordPress's ``paginate_links()`` for ``page`` of ``pages``:
    previous, the numbers (the current one a span), next."""
    parts = []
    if page > 1:
        parts.append(f'<a class="{prev_class}" href="{page_url(page - 1)}">{prev_label}</a>')
    for n in range(1, pages + 1):
        if n == page:
            parts.append(f'<span aria-current="page" class="page-numbers current">{n}</span>')
        else:
            parts.append(f'<a class="page-numbers" href="{page_url(n)}">{n}</a>')
    if page < pages:
        parts.append(f'<a class="{next_class}" href="{page_url(page + 1)}">{next_label}</a>')
    return parts


def og_meta(title: str, og_type: str = "website") -> str:
    """The ``og:type`` and ``og:title`` meta lines of a page's head."""
    return (f'<meta property="og:type" content="{og_type}" />\n'
            f'<meta property="og:title" content="{attr(title)}" />\n')


# ---------------------------------------------------------------------------
# WordPress RSS feed
# ---------------------------------------------------------------------------


def wp_feed_item(*, title: str, link: str, creator: str, published: str, categories: Iterable[str],
                 guid: str, description: str, comments: str | None = None) -> str:
    """One ``<item>`` of a WordPress RSS 2.0 feed (``published``: ISO 8601)."""
    cats = "\n\t\t".join(f"<category><![CDATA[{c}]]></category>" for c in categories)
    comments_line = f"\t\t<comments>{comments}</comments>\n" if comments else ""
    return f"""	<item>
		<title>{esc(title)}</title>
		<link>{esc(link)}</link>
{comments_line}		<dc:creator><![CDATA[{creator}]]></dc:creator>
		<pubDate>{rfc822(published)}</pubDate>
		{cats}
		<guid isPermaLink="false">{guid}</guid>
		<description><![CDATA[{description}]]></description>
	</item>"""


def wp_feed(*, title: str, feed_url: str, link: str, description: str, last_build: str,
            language: str, items: Iterable[str], generator: str | None = None) -> str:
    """A WordPress RSS 2.0 feed (``last_build``: ISO 8601; ``generator``: the WordPress
    version in ``<generator>``, none when None)."""
    gen = f"\t<generator>https://wordpress.org/?v={generator}</generator>\n" if generator else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:atom="http://www.w3.org/2005/Atom"
	xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"
	xmlns:slash="http://purl.org/rss/1.0/modules/slash/"
	>

<channel>
	<title>{esc(title)}</title>
	<atom:link href="{feed_url}" rel="self" type="application/rss+xml" />
	<link>{link}</link>
	<description>{description}</description>
	<lastBuildDate>{rfc822(last_build)}</lastBuildDate>
	<language>{language}</language>
	<sy:updatePeriod>
	hourly	</sy:updatePeriod>
	<sy:updateFrequency>
	1	</sy:updateFrequency>
{gen}{chr(10).join(items)}
</channel>
</rss>
"""


# ---------------------------------------------------------------------------
# Sitemaps as Yoast SEO and Rank Math write them
# ---------------------------------------------------------------------------

YOAST = "<!-- XML Sitemap generated by Yoast SEO -->"
RANK_MATH = "<!-- XML Sitemap generated by Rank Math SEO Plugin (c) Rank Math - rankmath.com -->"
URLSET_NS = ('xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
             'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1" '
             'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"')


def stylesheet(href: str) -> str:
    """The ``<?xml-stylesheet?>`` processing instruction of a sitemap."""
    return f'<?xml-stylesheet type="text/xsl" href="{href}"?>'


def sitemap_index(entries: Iterable[tuple[str, str]], xsl: str = "", tail: str = YOAST) -> str:
    """A ``<sitemapindex>`` of ``(loc, lastmod)``; ``xsl`` goes between the XML
    declaration and the root, ``tail`` (the plugin's comment) after it."""
    rows = "".join(f"\t<sitemap>\n\t\t<loc>{loc}</loc>\n\t\t<lastmod>{lm}</lastmod>\n\t</sitemap>\n"
                   for loc, lm in entries)
    return (f'<?xml version="1.0" encoding="UTF-8"?>{xsl}<sitemapindex '
            f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{rows}</sitemapindex>\n{tail}')


def urlset(entries: Iterable[tuple[str, str] | tuple[str, str, str | None]], xsl: str = "",
           tail: str = YOAST, namespaces: str = URLSET_NS) -> str:
    """A ``<urlset>`` of ``(loc, lastmod)`` or ``(loc, lastmod, image URL or None)``;
    ``xsl`` and ``tail`` as for :func:`sitemap_index`."""
    rows = []
    for loc, lastmod, *image in entries:
        img = (f"\n\t\t<image:image>\n\t\t\t<image:loc>{image[0]}</image:loc>\n\t\t</image:image>"
               if image and image[0] else "")
        rows.append(f"\t<url>\n\t\t<loc>{loc}</loc>\n\t\t<lastmod>{lastmod}</lastmod>{img}\n\t</url>\n")
    return (f'<?xml version="1.0" encoding="UTF-8"?>{xsl}<urlset {namespaces}>\n'
            f'{"".join(rows)}</urlset>\n{tail}')


# ---------------------------------------------------------------------------
# robots.txt and site.toml
# ---------------------------------------------------------------------------

WP_ADMIN = ("Disallow: /wp-admin/", "Allow: /wp-admin/admin-ajax.php")
RSS_TYPE = "application/rss+xml; charset=UTF-8"


def robots(rules: Iterable[str], sitemaps: Iterable[str]) -> str:
    """robots.txt for every user agent: the ``rules`` lines, a blank line, the sitemaps."""
    lines = ["User-agent: *", *rules, "", *(f"Sitemap: {s}" for s in sitemaps)]
    return "\n".join(lines) + "\n"


def site_toml_head(copy_of: str, script: str, host: str, last_modified: str) -> str:
    """The top of a site.toml: what it is a copy of, how to rebuild it, host, scheme and
    the files' Last-Modified (``last_modified``: ISO 8601)."""
    return (f"# Offline copy of {copy_of}. See scraper/offline/sites/README.md.\n"
            f"# Regenerate with: python scraper/offline/sites/{script}\n"
            f'host = "{host}"\nscheme = "https"\nlast_modified = "{http_date(last_modified)}"\n')


def toml_route(path: str, **fields: str | int) -> str:
    """One ``[routes."<path>"]`` table of site.toml, its keys in the order given."""
    lines = [f'[routes."{path}"]']
    lines += [f'{key} = "{value}"' if isinstance(value, str) else f"{key} = {value}"
              for key, value in fields.items()]
    return "\n".join(lines) + "\n"


def wp_feed_routes(feed_path: str, file: str, feed_url: str) -> str:
    """The feed at ``feed_path`` (``/feed/``) and the 301 from the path without its slash."""
    return (toml_route(feed_path, file=file, content_type=RSS_TYPE) + "\n"
            + toml_route(feed_path.rstrip("/"), location=feed_url, status=301))


# ---------------------------------------------------------------------------
# expected.json
# ---------------------------------------------------------------------------


def assert_clean(label: object, body: str, cruft: Iterable[str]) -> None:
    """Fail when a cruft string reached a clean body."""
    for c in cruft:
        assert c not in body, (label, c)


def updated(published: str, modified: str) -> str | None:
    """The ``updated`` answer: the modified time in UTC, None when it is the published time."""
    return utc_iso(modified) if modified != published else None


def body_answers(body: str) -> dict:
    """The ``body_starts_with``, ``body_ends_with``, ``paragraphs`` and ``body`` answers."""
    return {"body_starts_with": body[:60], "body_ends_with": body[-60:],
            "paragraphs": body.count("\n\n") + 1, "body": body}


def expected_article(*, url: str, title: str, summary: str, authors: list[str], published: str,
                     modified: str, section: str, tags: list[str], image: str, body: str,
                     language: str | None = None, original_source: str | None = None,
                     original_stance: str | None = None, translated: bool = False,
                     editorial_note: str | None = None) -> dict:
    """One article of expected.json, the keys in the README's order (``published`` and
    ``modified`` as in the data; ``language`` left out when None)."""
    article = {
        "url": url,
        "title": title,
        "summary": summary,
        "authors": authors,
        "original_source": original_source,
        "original_stance": original_stance,
        "published": utc_iso(published),
        "updated": updated(published, modified),
        "language": language,
        "section": section,
        "tags": tags,
        "translated": translated,
        "editorial_note": editorial_note,
        "image": image,
        **body_answers(body),
    }
    if language is None:
        del article["language"]
    return article


def expected_json(*, source: str, host: str, feed: str, sitemap: str, articles: list[dict],
                  aliases: dict[str, str], not_articles: list[str], feed_items: list[str],
                  listings: dict[str, dict], cruft: list[str], path_prefix: str | None = None,
                  disallowed: list[str] | None = None, gone: list[str] | None = None,
                  edited: dict | None = None) -> dict:
    """The answers of expected.json (see scraper/offline/sites/README.md), keys in its order; the
    optional ones are left out when None."""
    expected = {
        "source": source, "host": host, "path_prefix": path_prefix, "feed": feed,
        "sitemap": sitemap, "articles": articles, "aliases": aliases,
        "not_articles": not_articles, "disallowed": disallowed, "gone": gone, "edited": edited,
        "feed_items": feed_items, "listings": listings, "cruft": cruft,
    }
    return {key: value for key, value in expected.items() if value is not None}


def write_expected(out: Path, expected: dict) -> dict:
    """Write ``out/expected.json`` (UTF-8, indented) and return ``expected``."""
    write(out, "expected.json", json.dumps(expected, ensure_ascii=False, indent=2) + "\n")
    return expected
