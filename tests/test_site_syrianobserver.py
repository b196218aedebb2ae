"""The offline copy scraper/offline/sites/syrianobserver is consistent with its expected.json.

Everything goes through MirrorServer over real HTTP, as a crawler would see it.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from lxml import html as lxml_html

from scraper.offline import SITES
from scraper.offline.copies import SiteCopy
from scraper.offline.server import MirrorServer

ROOT = Path(__file__).resolve().parents[1]
SITE_DIR = SITES / "syrianobserver"
DUMPS = ROOT / "tests" / "fixtures" / "text-dumps"
HOST = "syrianobserver.com"
BASE = "https://syrianobserver.com"
TEXT_TAGS = ("p", "h1", "h2", "h3", "h4", "li", "figcaption", "label", "button", "blockquote")
LISTING_DATE = re.compile(
    r"^(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) [A-Z][a-z]+ "
    r"\d{1,2}(st|nd|rd|th), \d{4}$"
)


@pytest.fixture(scope="module")
def site() -> SiteCopy:
    return SiteCopy.load(SITE_DIR)


@pytest.fixture(scope="module")
def expected(site: SiteCopy) -> dict:
    data = site.expected()
    assert data is not None
    return data


@pytest.fixture(scope="module")
def server(site: SiteCopy):
    with MirrorServer([site]) as srv:
        yield srv


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def get(server: MirrorServer, url: str) -> tuple[int, dict, bytes]:
    """Fetch a real URL (https://syrianobserver.com/...) from the mirror, no redirects."""
    parts = urlsplit(url)
    assert parts.hostname in (HOST, "www." + HOST), url
    local = server.base_url + (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    req = urllib.request.Request(local, headers={"X-Mirror-Host": parts.hostname})
    try:
        with _OPENER.open(req, timeout=5) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as err:
        with err:
            return err.code, dict(err.headers), err.read()


def parse(body: bytes):
    return lxml_html.fromstring(body)


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def block_texts(doc) -> set[str]:
    return {norm(el.text_content()) for el in doc.iter(*TEXT_TAGS)}


def site_links(doc) -> set[str]:
    links = set()
    for href in doc.xpath("//a/@href"):
        host = urlsplit(href).hostname
        if host in (HOST, "www." + HOST):
            links.add(href.split("#", 1)[0])
    return links


def to_utc(value: str) -> str:
    return datetime.fromisoformat(value).astimezone(timezone.utc).isoformat()


def body_blocks(body: str) -> list[str]:
    """The clean body's paragraphs, list items one by one (without the bullet)."""
    out = []
    for block in body.split("\n\n"):
        if block.startswith("• "):
            out += [line[2:] for line in block.split("\n")]
        else:
            out.append(block)
    return out


def test_expected_json_shape(expected: dict) -> None:
    assert expected["source"] == "syrianobserver"
    articles = expected["articles"]
    assert len(articles) >= 16
    urls = [a["url"] for a in articles]
    assert len(set(urls)) == len(urls)
    sections = {urlsplit(u).path.split("/")[1] for u in urls}
    assert sections == {"foreign-actors", "syrian-actors", "news", "commentary", "interviews"}
    years = {a["published"][:4] for a in articles}
    assert {"2023", "2024", "2025"} <= years
    assert any(a["translated"] for a in articles) and not all(a["translated"] for a in articles)
    for a in articles:
        assert re.fullmatch(rf"{BASE}/[a-z-]+/\d{{5,6}}/[a-z0-9-]+\.html", a["url"])
        assert a["published"].endswith("+00:00")
        body = a["body"]
        assert body.startswith(a["body_starts_with"]) and body.endswith(a["body_ends_with"])
        assert len(a["body_starts_with"]) == 60
        assert a["paragraphs"] == len(body.split("\n\n"))
        assert 4 <= a["paragraphs"] <= 16
        for cruft in expected["cruft"]:
            assert cruft not in body, (a["url"], cruft)
        assert a["summary"] not in body
        if a["editorial_note"]:
            assert a["editorial_note"] not in body
    for alias, canonical in expected["aliases"].items():
        assert canonical in urls and alias not in urls
    assert not set(expected["not_articles"]) & set(urls)


def test_every_article_is_served_with_its_metadata(server, expected) -> None:
    for a in expected["articles"]:
        status, headers, body = get(server, a["url"])
        assert status == 200, a["url"]
        assert headers["Content-Type"] == "text/html; charset=utf-8"
        doc = parse(body)
        assert doc.xpath("//link[@rel='canonical']/@href") == [a["url"]]
        meta = {m.get("property") or m.get("name"): m.get("content") for m in doc.iter("meta")}
        assert meta["og:title"] == a["title"]
        assert meta["og:description"] == a["summary"]
        assert meta["og:image"] == a["image"]
        assert meta["article:section"] == a["section"]
        assert to_utc(meta["article:published_time"]) == a["published"]
        modified = to_utc(meta["article:modified_time"])
        assert modified == (a["updated"] or a["published"])
        assert doc.xpath("//meta[@property='article:tag']/@content") == a["tags"]
        (ld_text,) = doc.xpath("//script[@type='application/ld+json']/text()")
        graph = json.loads(ld_text)["@graph"]
        (news,) = [n for n in graph if n["@type"] == "NewsArticle"]
        assert news["headline"] == a["title"]
        assert to_utc(news["datePublished"]) == a["published"]
        assert to_utc(news["dateModified"]) == modified
        assert news["author"]
        assert norm(doc.xpath("//h1")[0].text_content()) == a["title"]
        tags = [norm(t) for t in doc.xpath("//a[@rel='tag']/text()")]
        assert tags == a["tags"]
        texts = block_texts(doc)
        for block in body_blocks(a["body"]):
            assert block in texts, (a["url"], block[:60])
        if a["editorial_note"]:
            assert a["editorial_note"] in texts
        assert a["summary"] in texts
        if a["original_source"]:
            byline = next(t for t in texts if t.startswith("by ") and a["original_source"] in t)
            assert a["original_stance"] in byline
            for author in a["authors"]:
                assert author in byline
        page_text = norm(doc.text_content())
        for cruft in ("Search", "Helpful keywords", "Share on Facebook", "Related articles"):
            assert cruft in page_text
        assert "Logo Wide" in doc.xpath("//img/@alt")


def test_feed(server, expected) -> None:
    for path in ("/feed", "/feed/"):
        status, headers, body = get(server, BASE + path)
        assert status == 200
        assert headers["Content-Type"] == "application/rss+xml; charset=UTF-8"
    channel = ET.fromstring(body).find("channel")
    items = channel.findall("item")
    assert 8 <= len(items) <= 12
    links = [item.findtext("link") for item in items]
    assert links == expected["feed_items"]
    assert any("utm_source=rss" in link for link in links)
    known = {a["url"] for a in expected["articles"]}
    dates = []
    for item in items:
        link = item.findtext("link")
        assert get(server, link)[0] == 200
        assert link in known or link in expected["aliases"] or link in expected["not_articles"]
        guid = item.find("guid")
        assert guid.get("isPermaLink") == "false"
        assert re.fullmatch(rf"{BASE}/\?p=\d+", guid.text)
        assert item.findtext("{http://purl.org/dc/elements/1.1/}creator")
        assert item.findall("category")
        assert item.findtext("description")
        dates.append(datetime.strptime(item.findtext("pubDate"), "%a, %d %b %Y %H:%M:%S %z"))
    assert dates == sorted(dates, reverse=True)


def test_sitemaps(server, expected) -> None:
    ns = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    status, _, body = get(server, expected["sitemap"])
    assert status == 200
    children = [loc.text for loc in ET.fromstring(body).findall("sm:sitemap/sm:loc", ns)]
    assert f"{BASE}/post-sitemap.xml" in children
    locs = []
    for child in children:
        status, _, body = get(server, child)
        assert status == 200
        for url in ET.fromstring(body).findall("sm:url", ns):
            assert url.findtext("sm:lastmod", namespaces=ns)
            locs.append(url.findtext("sm:loc", namespaces=ns))
    known = {a["url"] for a in expected["articles"]}
    assert known <= set(locs)
    for loc in locs:
        assert get(server, loc)[0] == 200
        assert loc in known or loc in expected["not_articles"]


def test_robots_txt(server, expected) -> None:
    status, headers, body = get(server, BASE + "/robots.txt")
    assert status == 200 and headers["Content-Type"] == "text/plain; charset=utf-8"
    text = body.decode()
    assert "User-agent: *" in text
    assert "Disallow: /wp-admin/" in text
    assert "Disallow: /private-preview/" in text
    assert f"Sitemap: {BASE}/sitemap.xml" in text
    (preview,) = expected["disallowed"]
    assert urlsplit(preview).path.startswith("/private-preview/")
    assert preview in site_links(parse(get(server, BASE + "/")[2]))


def test_every_listing_link_resolves(server, expected) -> None:
    """Links on home, category, tag and date pages: 200, or a known alias / 301."""
    known = {a["url"] for a in expected["articles"]}
    listing_pages = [u for u in expected["not_articles"] if u not in known]
    seen_amp = False
    checked: dict[str, int] = {}
    for page in listing_pages:
        status, _, body = get(server, page)
        assert status == 200, page
        for link in site_links(parse(body)):
            if link not in checked:
                checked[link] = get(server, link)[0]
            status = checked[link]
            if link in expected["aliases"]:
                assert status in (200, 301), link
                seen_amp = seen_amp or link.endswith("/amp/")
            else:
                assert status == 200, (page, link)
                assert (
                    link in known
                    or link in expected["not_articles"]
                    or link in expected["disallowed"]
                    or link == f"{BASE}/feed/"
                ), (page, link)
    assert seen_amp, "the AMP URL is linked from a listing page"


def test_listings_are_paginated_newest_first(server, expected) -> None:
    published = {a["url"]: a["published"] for a in expected["articles"]}
    for listing, info in expected["listings"].items():
        urls: list[str] = []
        for n in range(1, info["pages"] + 1):
            page = listing if n == 1 else f"{listing}page/{n}/"
            status, _, body = get(server, page)
            assert status == 200, page
            doc = parse(body)
            assert doc.xpath("//link[@rel='canonical']/@href") == [page]
            urls += doc.xpath("//article[contains(@class,'listing-item')]//h2/a/@href")
            for date in doc.xpath(
                "//article[contains(@class,'listing-item')]//*[@class='posted-on']"
            ):
                assert LISTING_DATE.match(norm(date.text_content())), date.text_content()
            nxt = doc.xpath(
                "//a[contains(@class,'next') and contains(@class,'page-numbers')]/@href"
            )
            assert nxt == ([f"{listing}page/{n + 1}/"] if n < info["pages"] else [])
        assert get(server, f"{listing}page/{info['pages'] + 1}/")[0] == 404
        assert urls == info["posts"]
        dates = [published[u] for u in urls if u in published]
        assert dates == sorted(dates, reverse=True)
    # deep enough for a --since 2024-06-01 backfill to stop before the last page
    fa = expected["listings"][f"{BASE}/category/foreign-actors/"]
    assert fa["pages"] >= 3
    pages = [fa["posts"][i : i + 3] for i in range(0, len(fa["posts"]), 3)]
    assert all(published[u] < "2024-06-01" for u in pages[-1])
    assert any(published[u] < "2024-06-01" for u in pages[-2])
    assert any(published[u] >= "2024-06-01" for u in pages[-2])
    ordinals = {"st", "nd", "rd", "th"}
    assert ordinals  # the listing dates above use every kind of suffix somewhere
    assert f"{BASE}/2024/05/" in expected["listings"]
    assert any(u.startswith(f"{BASE}/tag/") for u in expected["listings"])


def test_aliases(server, expected) -> None:
    articles = {a["url"]: a for a in expected["articles"]}
    for alias, canonical in expected["aliases"].items():
        status, headers, body = get(server, alias)
        if status == 301:
            assert headers["Location"] in (canonical, canonical + "/amp/")
            continue
        assert status == 200, alias
        doc = parse(body)
        assert doc.xpath("//link[@rel='canonical']/@href") == [canonical]
        texts = block_texts(doc)
        for block in body_blocks(articles[canonical]["body"]):
            assert block in texts
        if alias.endswith("/amp/"):
            assert doc.get("amp") is not None  # <html amp>
            (canonical_page,) = [a for a in articles if a == canonical]
            status, _, normal = get(server, canonical_page)
            assert parse(normal).xpath("//link[@rel='amphtml']/@href") == [alias]


def test_non_articles_are_served(server, expected) -> None:
    eid = f"{BASE}/uncategorized/66129/eid-holiday-5.html"
    assert eid in expected["not_articles"] and f"{BASE}/about-us/" in expected["not_articles"]
    status, _, body = get(server, eid)
    assert status == 200
    assert "will not be publishing any articles" in norm(parse(body).text_content())
    status, _, body = get(server, f"{BASE}/about-us/")
    assert status == 200
    assert "The Syrian Observer is a daily online news service" in body.decode()
    for url in expected["gone"]:
        assert get(server, url)[0] == 410


def test_edited_overlay(server, expected) -> None:
    edited = expected["edited"]
    url, changed = edited["url"], edited["changed_text"]
    status, headers, before = get(server, url)
    assert status == 200 and changed not in before.decode()
    _, _, feed_before = get(server, BASE + "/feed")
    server.activate_overlay(HOST, edited["overlay"])
    try:
        status, headers2, after = get(server, url)
        assert status == 200
        assert headers2["ETag"] != headers["ETag"]
        doc = parse(after)
        assert changed in norm(doc.text_content())
        assert doc.xpath("//link[@rel='canonical']/@href") == [url]
        modified = doc.xpath("//meta[@property='article:modified_time']/@content")[0]
        assert to_utc(modified) == edited["updated"]
        texts = block_texts(doc)
        for block in body_blocks(edited["body"]):
            assert block in texts
        assert get(server, BASE + "/feed")[2] != feed_before
        _, _, sitemap = get(server, BASE + "/post-sitemap.xml")
        assert edited["updated"] in sitemap.decode()
    finally:
        server.deactivate_overlay(HOST, edited["overlay"])
    assert get(server, url)[2] == before


def test_conditional_get_on_the_feed(server) -> None:
    _, headers, _ = get(server, BASE + "/feed")
    req = urllib.request.Request(
        server.base_url + "/feed",
        headers={"X-Mirror-Host": HOST, "If-None-Match": headers["ETag"]},
    )
    with pytest.raises(urllib.error.HTTPError) as err:
        _OPENER.open(req, timeout=5)
    assert err.value.code == 304


def _dump_paragraphs(text: str) -> list[str]:
    out = []
    for block in text.split("\n\n"):
        for line in block.split("\n"):
            line = line.strip()
            if line.startswith("• "):
                line = line[2:]
            if line:
                out.append(norm(line))
    return out


def test_mount_hermon_page_matches_the_text_dump(server, expected) -> None:
    (dump_txt,) = DUMPS.glob("syrianobserver-000_*.txt")
    dump_expected = json.loads(dump_txt.with_suffix(".expected.json").read_text("utf-8"))
    (article,) = [a for a in expected["articles"] if a["title"] == dump_expected["title"]]
    assert article["body"] == dump_expected["body"]
    assert article["summary"] == dump_expected["summary"]
    assert article["editorial_note"] == dump_expected["editorial_note"]
    assert article["translated"] is dump_expected["translated"] is True
    assert article["tags"] == dump_expected["tags"] == []
    _, _, body = get(server, article["url"])
    doc = parse(body)
    texts = block_texts(doc)
    for paragraph in _dump_paragraphs(dump_txt.read_text("utf-8")):
        assert paragraph in texts, paragraph
    # the article region reads exactly like the dump, in the same order
    region = [
        norm(el.text_content())
        for el in doc.xpath("//article")[0].iter(*TEXT_TAGS)
        if el.tag != "li" or el.getparent().tag == "ul"
    ]
    region = [t for t in region if t and not t.startswith("Share")]
    dump = _dump_paragraphs(dump_txt.read_text("utf-8"))
    assert region[: len(dump) - 1] == dump[1:]  # dump[0] is the "Search" line
