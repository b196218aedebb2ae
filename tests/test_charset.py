"""scraper.charset: every declared/actual combination of UTF-8, windows-1256 and ISO-8859-6.

The page is real Arabic text; each charset encodes it, each is declared (in the
Content-Type header or the page's meta tag, as the spider reads it), and the text must
come back exact: no mojibake, no replacement characters.
"""

from __future__ import annotations

import pytest
from scrapy.http import HtmlResponse

from scraper.charset import declared_encoding, decode_page

TEXT = (
    "انطلاق امتحانات الشهادة الثانوية في دير الزور وسط إجراءات مشددة، "
    "وقالت مديرية التربية إن أكثر من خمسة آلاف طالب تقدموا للامتحان."
)
PAGE = f"<html><head><title>خبر</title></head><body><p>{TEXT}</p></body></html>"
CHARSETS = ("utf-8", "windows-1256", "iso-8859-6")


@pytest.mark.parametrize("actual", CHARSETS)
@pytest.mark.parametrize("declared", [*CHARSETS, None])
def test_the_bytes_decide(declared, actual):
    body = PAGE.encode(actual)
    headers = {"Content-Type": f"text/html; charset={declared}"} if declared else {}
    response = HtmlResponse("https://example.sy/a", body=body, headers=headers)
    hint = declared_encoding(response.headers.get("Content-Type", b"").decode(), response.body)
    text, encoding = decode_page(response.body, hint)
    assert TEXT in text and "\ufffd" not in text
    # What was used is what decodes the bytes: the capture keeps it for re-extraction.
    assert body.decode(encoding) == text


def test_ascii_and_a_bom():
    assert decode_page(b"<p>plain</p>", "iso-8859-6") == ("<p>plain</p>", "utf-8")
    assert decode_page("\ufeffنص".encode(), "windows-1256") == ("نص", "utf-8")


def test_the_declared_charset_is_read_without_decoding_the_page():
    meta = b'<html><head><meta charset="windows-1256"></head><body>\xe3</body></html>'
    assert declared_encoding("text/html; charset=ISO-8859-6", meta) == "iso8859-6"  # header
    assert declared_encoding("text/html", meta) == "cp1256"  # else the page's meta tag
    assert declared_encoding(None, b"<p>nothing declared</p>") is None
