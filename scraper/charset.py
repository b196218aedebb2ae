"""A page's text from its bytes: trust what the bytes prove over what the server declares.

Servers and pages often declare the wrong charset. A UTF-8 Arabic page served
as windows-1256 decodes without a single error (windows-1256 maps every byte)
into mojibake ("ط§ظ†ط·ظ„ط§ظ‚"), so counting replacement characters cannot
catch it. The rule: bytes that are valid UTF-8 are UTF-8 (other charsets'
Arabic or accented text practically never is); otherwise the declared charset
if the bytes decode in it without error and read as text in it; otherwise
charset-normalizer (already installed with Scrapy's dependencies, and
maintained) detects the charset.
"""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding

__all__ = ["declared_encoding", "decode_page"]

_UTF8 = {"utf-8", "utf8", "utf_8"}


def decode_page(body: bytes, declared: str | None = None) -> tuple[str, str]:
    """``(text, encoding)`` of a page, whatever its declared charset said."""
    if body.startswith(codecs.BOM_UTF8):
        return body[len(codecs.BOM_UTF8) :].decode("utf-8", "replace"), "utf-8"
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    name = _codec_name(declared)
    if name and name not in _UTF8:
        try:
            text = body.decode(name)
        except UnicodeDecodeError:
            text = None
        # A single-byte charset decodes almost anything: it must also read as text
        # (ISO-8859-6 Arabic read as windows-1256 comes out as Arabic mixed with "çè").
        if text is not None and from_bytes(body, cp_isolation=[name]).best() is not None:
            return text, name
    best = from_bytes(body).best()
    if best is not None:
        return str(best), best.encoding
    fallback = name or "cp1252"
    return body.decode(fallback, "replace"), fallback


def declared_encoding(content_type: str | None, body: bytes) -> str | None:
    """The charset the server (Content-Type) or the page (its meta tag) declares: the
    hint ``decode_page`` weighs. Read without decoding the page, which is the extraction
    worker's work: Scrapy's ``response.encoding`` and ``response.text`` decode the whole
    body in the crawl process where the page declares nothing."""
    return http_content_type_encoding(content_type) or html_body_declared_encoding(body)


def _codec_name(label: str | None) -> str | None:
    if not label:
        return None
    try:
        return codecs.lookup(label.strip()).name
    except LookupError:
        return None
