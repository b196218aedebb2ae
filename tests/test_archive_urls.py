"""archive.urls: one canonical URL per article."""

import pytest

from archive.record import language_base
from archive.urls import (
    alias_kind,
    bare_host,
    canonicalize,
    fetch_url,
    host_key,
    is_amp,
    same_site,
    web_url,
)

ARTICLE = "https://syrianobserver.com/news/12345/damascus-power-cuts.html"


@pytest.mark.parametrize(
    "url, expected",
    [
        # tracking parameters dropped, the rest sorted
        (ARTICLE + "?utm_source=rss&utm_medium=feed&utm_campaign=x", ARTICLE),
        (ARTICLE + "?fbclid=IwAR0abc&gclid=1&mc_cid=2&mc_eid=3&_ga=4&igshid=5", ARTICLE),
        (ARTICLE + "?ref=twitter&ref_src=twsrc%5Etfw&fb_action_ids=6", ARTICLE),
        (
            "https://example.com/story?page=2&id=7&utm_source=x",
            "https://example.com/story?id=7&page=2",
        ),
        # AMP variants
        ("https://example.com/2024/05/story/amp/", "https://example.com/2024/05/story/"),
        ("https://example.com/2024/05/story/amp", "https://example.com/2024/05/story"),
        (ARTICLE + "?amp=1", ARTICLE),
        (ARTICLE + "?amp", ARTICLE),
        ("https://example.com/story?outputType=amp&id=3", "https://example.com/story?id=3"),
        # scheme, host, port, fragment
        ("http://syrianobserver.com/news/12345/damascus-power-cuts.html", ARTICLE),
        ("https://WWW.SyrianObserver.com/news/12345/damascus-power-cuts.html", ARTICLE),
        ("https://syrianobserver.com:443/news/12345/damascus-power-cuts.html", ARTICLE),
        (ARTICLE + "#comments", ARTICLE),
        ("//www.syrianobserver.com/news/12345/damascus-power-cuts.html", ARTICLE),
        # trailing slash after a file name
        (ARTICLE + "/", ARTICLE),
        ("https://example.com/", "https://example.com/"),
        ("https://example.com", "https://example.com/"),
        # proxies and caches
        (
            "https://googleweblight.com/sp?hl=en&u=http://www.syrianobserver.com/news/12345/"
            "damascus-power-cuts.html?utm_source=x",
            ARTICLE,
        ),
        ("https://googleweblight.com/i?u=" + ARTICLE, ARTICLE),
        ("https://www.google.com/url?q=" + ARTICLE + "&sa=D", ARTICLE),
        (
            "https://syrianobserver-com.cdn.ampproject.org/c/s/syrianobserver.com/news/12345/"
            "damascus-power-cuts.html?amp=1",
            ARTICLE,
        ),
        # percent-encoding normalised (Arabic slugs)
        ("https://sana.sy/سانا/", "https://sana.sy/%D8%B3%D8%A7%D9%86%D8%A7/"),
        ("https://sana.sy/%d8%b3%d8%a7%d9%86%d8%a7/", "https://sana.sy/%D8%B3%D8%A7%D9%86%D8%A7/"),
        # session ids, in the path or the query, whatever their case
        ("https://example.com/news/story-1;jsessionid=A1B2C3", "https://example.com/news/story-1"),
        (
            "https://example.com/news/story-1;jsessionid=A1B2C3?sid=9f&id=4&PHPSESSID=x",
            "https://example.com/news/story-1?id=4",
        ),
        ("https://example.com/a?sessionid=1&session_id=2&phpsessid=3", "https://example.com/a"),
        ("https://example.com/a.asp?ASPSESSIONIDQQGGGNCG=KJH&n=5", "https://example.com/a.asp?n=5"),
        ("https://example.com/(S(x2j3kq45mnb))/news/a.aspx", "https://example.com/news/a.aspx"),
        ("https://example.com/(X(1)S(x2j3kq45mnb))/news/a.aspx", "https://example.com/news/a.aspx"),
        ("https://example.com/story/amp;jsessionid=1", "https://example.com/story"),
        # non-http URLs (text dump keys) untouched
        ("urn:newsarchive:sana:0001", "urn:newsarchive:sana:0001"),
    ],
)
def test_canonicalize(url, expected):
    assert canonicalize(url) == expected


def test_query_keys_that_identify_the_article_are_kept():
    assert canonicalize("http://www.sana.sy/?p=123456") == "https://sana.sy/?p=123456"


def test_a_session_id_stays_in_the_address_requested():
    """Identity is not address: the site may need its session id to answer."""
    url = "http://example.com/news/story-1;jsessionid=A1B2C3?sid=9f"
    assert fetch_url(url) == url
    assert canonicalize(url) == "https://example.com/news/story-1"


@pytest.mark.parametrize(
    "url, expected",
    [
        (" https://e.com/i.jpg ", "https://e.com/i.jpg"),
        ("http://e.com/i.jpg", "http://e.com/i.jpg"),
        ("javascript:alert(1)", None),
        ("java\tscript:alert(1)", None),  # browsers drop the tab: still javascript:
        ("data:image/png;base64,AAAA", None),
        ("file:///etc/passwd", None),
        ("/relative/i.jpg", None),
        ("http://[::1", None),
        (None, None),
    ],
)
def test_web_url(url, expected):
    assert web_url(url) == expected


def test_canonical_link_on_the_same_site_wins():
    url = "https://syrianobserver.com/?p=12345&utm_source=rss"
    assert canonicalize(url, ARTICLE) == ARTICLE
    link = "http://www.syrianobserver.com/news/12345/damascus-power-cuts.html/"
    assert canonicalize(url, link) == ARTICLE
    # relative links resolve against the page
    assert canonicalize(url, "/news/12345/damascus-power-cuts.html") == ARTICLE
    # the mobile host counts as the same site
    assert canonicalize("https://m.syrianobserver.com/a?id=1", ARTICLE) == ARTICLE


def test_canonical_link_to_another_site_is_ignored():
    assert canonicalize(ARTICLE, "https://www.enabbaladi.net/archives/1") == ARTICLE
    assert canonicalize(ARTICLE, "https://evil.example/" + ARTICLE) == ARTICLE


def test_canonical_link_to_the_home_page_is_ignored():
    # a common CMS bug: every page declares the home page canonical
    assert canonicalize(ARTICLE, "https://syrianobserver.com/") == ARTICLE
    assert canonicalize("https://syrianobserver.com/", "https://syrianobserver.com/") == (
        "https://syrianobserver.com/"
    )


def test_canonicalize_is_idempotent():
    once = canonicalize("HTTP://WWW.Example.com:80/a/b.html/?utm_source=x&b=2&a=1&fbclid=zz#top")
    assert once == "https://example.com/a/b.html?a=1&b=2"
    assert canonicalize(once) == once


def test_same_site():
    assert same_site("http://www.sana.sy/a", "https://sana.sy/b")
    assert same_site("https://m.sana.sy/a", "https://sana.sy/b")
    assert not same_site("https://sana.sy/a", "https://sana.sy.evil.example/a")
    assert not same_site("https://sana.sy/", "https://enabbaladi.net/")
    assert not same_site("not a url", "https://sana.sy/")


@pytest.mark.parametrize(
    "url", ["http://[::1", "http://example.com:99999/a", "http://example.com:abc/", " /relative "]
)
def test_malformed_urls_come_back_stripped(url):
    assert canonicalize(url) == url.strip()


def test_malformed_canonical_link_is_ignored():
    assert canonicalize(ARTICLE, "http://[broken") == ARTICLE
    assert canonicalize(ARTICLE, "javascript:void(0)") == ARTICLE


STORY = "https://syrianobserver.com/news/12345/damascus-power-cuts/"


@pytest.mark.parametrize(
    ("url", "page"),
    [
        (STORY + "amp/", STORY),
        (ARTICLE + "?amp", ARTICLE),
        (ARTICLE + "?amp=1&utm_source=x", ARTICLE),
        (ARTICLE + "?outputType=amp", ARTICLE),
        (ARTICLE + "?OUTPUT=AMP", ARTICLE),
        ("https://syrianobserver-com.cdn.ampproject.org/c/s/" + ARTICLE[8:], ARTICLE),
    ],
)
def test_an_amp_variant_is_told_apart_and_folded_into_its_page(url, page):
    assert is_amp(url) and alias_kind(url, page) == "amp"
    assert canonicalize(url) == page
    assert not is_amp(page)


@pytest.mark.parametrize(
    "url", [ARTICLE + "?ampx=1", ARTICLE + "?output=ampx", "https://example.com/ampere/"]
)
def test_a_url_that_only_looks_like_amp_is_not(url):
    assert not is_amp(url)


def test_hosts_compare_in_one_form():
    assert bare_host("WWW.SANA.sy.") == "sana.sy" == host_key("http://www.sana.sy:8080/a")
    assert (
        bare_host("سانا.سوريا")
        == host_key("https://www.سانا.سوريا/")
        == "xn--mgba8aze.xn--mgbtf8fl"
    )


@pytest.mark.parametrize(
    ("code", "base"),
    [("ar-SY", "ar"), ("ar_SY", "ar"), ("AR", "ar"), ("ckb-IR", "ckb"), ("", None), (None, None)],
)
def test_a_languages_base_code(code, base):
    assert language_base(code) == base
