"""URL canonicalisation: one URL per article, whatever link led to it.

Uses ``urllib.parse`` for the structural rules (host, tracking parameters,
AMP variants, proxy unwrapping) and ``w3lib.url.canonicalize_url`` for the
last step, percent-encoding normalisation and query sorting: w3lib already
ships with Scrapy, and using the same routine as Scrapy's request
fingerprints means a spider and the archive agree on what "the same URL" is.
w3lib is a small pure-Python package, so importing it does not pull Scrapy
into the archive.
"""

from __future__ import annotations

import functools
import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

__all__ = [
    "ALIAS_KINDS",
    "SESSION_PARAMS",
    "TRACKING_PARAMS",
    "alias_kind",
    "bare_host",
    "canonicalize",
    "fetch_url",
    "host_key",
    "normalise_host",
    "url_host",
    "web_url",
    "is_amp",
    "published_url",
    "same_site",
]

# What makes a URL a page's AMP variant, folded into the page by canonicalize and
# told apart by is_amp: a parameter (?amp, ?amp=1), a parameter's value
# (outputType=amp), a trailing "amp" segment (_AMP_SUFFIX), an AMP cache's host.
AMP_PARAMS = frozenset({"amp"})
AMP_VALUES = frozenset({("outputtype", "amp"), ("output", "amp")})
AMP_CACHE = ".cdn.ampproject.org"

# Query parameters that never change which article a URL names.
TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "gclsrc", "dclid", "msclkid", "yclid", "twclid", "igshid",
        "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok",
        "ref", "ref_src", "ref_url", "referrer", "src", "share", "shared",
        "fb_action_ids", "fb_action_types", "fb_source", "fb_ref",
        "action_object_map", "action_type_map", "action_ref_map",
        "ocid", "ncid", "cmpid", "s_cid", "xtor", "ito", "spm",
        "at_medium", "at_campaign", "at_custom1", "wt_mc", "wt.mc_id",
        "__twitter_impression", "amp_js_v", "usqp", *AMP_PARAMS,
    }
)  # fmt: skip
# Parameters that are tracking only with one value (outputType=amp).
TRACKING_VALUES = AMP_VALUES
# Prefixes of tracking parameter families (utm_source, utm_medium, ...).
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "oly_")

# Session ids: a visitor's session, never which article a URL names. Sites that track
# sessions in the URL hand every visit a new one, so each link to a story is a new
# address; canonicalisation drops them (requests still go where the site points).
SESSION_PARAMS = frozenset(
    {"jsessionid", "phpsessid", "sid", "sessionid", "session_id", "sessid", "cfid", "cftoken"}
)
# Prefixes of session parameter families (classic ASP's ASPSESSIONIDQQGGGNCG=...).
SESSION_PREFIXES = ("aspsessionid",)
# A session id in the path: Java's ";jsessionid=..." path parameter (and the like),
# ASP.NET's cookieless "(S(...))" segment ("(X(1)S(...))" with other state).
_PATH_SESSION = re.compile(
    r";(?:jsessionid|phpsessid|sid|sessionid|session_id|sessid)=[^/;?]*"
    r"|/\((?:[A-Z]\([^()/]*\))+\)(?=/)",
    re.IGNORECASE,
)

# Trailing "amp" segment after an article path. "/story/amp/" becomes
# "/story/" and "/story/amp" becomes "/story", so the site's own trailing
# slash convention survives (WordPress AMP pages end in "/amp/").
_AMP_SUFFIX = re.compile(r"(?<=.)/amp(/?)$", re.IGNORECASE)
# "story.html/" -> "story.html": some CMSs emit both forms.
_FILE_SLASH = re.compile(r"(\.(?:html?|php|aspx?))/+$", re.IGNORECASE)
_DEFAULT_PORTS = {":80", ":443"}
# Subdomains that serve the same site to another device or format; a
# canonical link from one of them to the main host is honoured.
_VARIANT_LABELS = ("www", "m", "mobile", "amp")


def _unwrap(url: str) -> str:
    """Return the target of a known proxy or redirect wrapper, else ``url``."""
    for _ in range(3):  # wrappers can be nested (Google redirect to weblight)
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        target = None
        if host == "googleweblight.com" or host.endswith(".googleweblight.com"):
            target = query.get("u") or query.get("lite_url")
        elif host in ("l.facebook.com", "lm.facebook.com") and parts.path == "/l.php":
            target = query.get("u")
        elif re.fullmatch(r"(www\.)?google\.[a-z.]+", host) and parts.path == "/url":
            target = query.get("url") or query.get("q")
        elif re.fullmatch(r"(www\.)?google\.[a-z.]+", host) and parts.path.startswith("/amp/"):
            rest = parts.path[len("/amp/") :]
            target = "https://" + rest[2:] if rest.startswith("s/") else "http://" + rest
        elif host.endswith(AMP_CACHE):
            # /c/s/example.com/path (s = https), also /v/ and /i/ for viewers/images
            m = re.match(r"^/[cvi]/(s/)?(.+)$", parts.path)
            if m:
                target = ("https://" if m.group(1) else "http://") + m.group(2)
                if parts.query:
                    target += "?" + parts.query
        if not target or not re.match(r"^(https?:)?//|^[\w.-]+\.[a-z]{2,}/", target, re.I):
            return url
        url = target if "//" in target[:8] else "https://" + target
    return url


@functools.lru_cache(maxsize=1024)  # a crawl asks for its few hosts once a link
def normalise_host(host: str) -> str:
    """A host name as hosts are compared everywhere: lower case, without a trailing dot,
    internationalised names in their ASCII (IDNA, ``xn--``) form, as requests carry
    them, so that "سانا.سوريا" and "xn--mgbaa5c.xn--ogbpf8fl" are one host. "www."
    stays (see :func:`host_key`). A name IDNA cannot encode stays as it is, lower case.
    """
    host = host.strip().rstrip(".").lower()
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def url_host(url: str) -> str:
    """The host of ``url``, normalised (:func:`normalise_host`); "" when it has none."""
    return normalise_host(urlsplit(url.strip()).hostname or "")


def bare_host(host: str) -> str:
    """A host name normalised (:func:`normalise_host`), without "www.": the site whatever
    form of its name a link uses."""
    return normalise_host(host).removeprefix("www.")


def host_key(url: str) -> str:
    """The host of ``url`` as :func:`bare_host` gives it (no "www.", no port)."""
    return bare_host(urlsplit(url.strip()).hostname or "")


def _clean_query(query: str, sessions: bool = False) -> str:
    """``query`` without tracking parameters, and without session ids if ``sessions``."""
    kept = []
    for key, value in parse_qsl(query, keep_blank_values=True):
        lowered = key.lower()
        if (
            lowered in TRACKING_PARAMS
            or lowered.startswith(TRACKING_PREFIXES)
            or (lowered, value.lower()) in TRACKING_VALUES
            or (sessions and (lowered in SESSION_PARAMS or lowered.startswith(SESSION_PREFIXES)))
        ):
            continue
        kept.append((key, value))
    return urlencode(kept)


def canonicalize(url: str, canonical_link: str | None = None) -> str:
    """Return the canonical form of an article URL.

    https (http upgraded), lower-case host without "www." or a default port,
    no fragment, no user info, tracking parameters and session ids removed
    (``;jsessionid=``, ``?PHPSESSID=``, ``sid``, ASP.NET's ``/(S(...))/``: see
    SESSION_PARAMS) and the other parameters sorted, AMP variants folded into
    the article (``/amp/``, ``?amp=1``, ``outputType=amp``), ``.html/`` without
    the slash, proxies such as googleweblight and the AMP caches unwrapped,
    percent-encoding normalised.

    ``canonical_link`` is the page's ``<link rel=canonical>`` (absolute or
    relative to ``url``). It wins when it points at the same site (see
    :func:`same_site`) and is not just the site's home page, a common CMS bug
    when the article itself is not the home page; otherwise it is ignored.

    Never raises: a malformed URL (bad port, broken IPv6 host) comes back
    stripped but otherwise unchanged, and a malformed canonical link is ignored.
    """
    try:
        result = _canonicalize(url)
    except ValueError:
        return (url or "").strip()
    if canonical_link:
        link = canonical_link.strip()
        if link and not link.lower().startswith(("javascript:", "data:", "mailto:")):
            try:
                candidate = _canonicalize(urljoin(url.strip(), link))
            except ValueError:
                return result
            if same_site(candidate, result) and (_is_home(result) or not _is_home(candidate)):
                return candidate
    return result


def _is_home(url: str) -> bool:
    parts = urlsplit(url)
    return parts.path in ("", "/") and not parts.query


def _without_variants(url: str, sessions: bool = False) -> tuple[str, str, str, str]:
    """(scheme, netloc, path, query) of ``url`` unwrapped, without AMP, tracking or
    fragment, and without session ids if ``sessions``."""
    url = _unwrap((url or "").strip())
    if url.startswith("//"):
        url = "https:" + url
    parts = urlsplit(url)
    path = parts.path or "/"
    if sessions:
        path = _PATH_SESSION.sub("", path) or "/"
    path = _AMP_SUFFIX.sub(r"\1", path) or "/"
    path = _FILE_SLASH.sub(r"\1", path)
    return parts.scheme.lower(), parts.netloc, path, _clean_query(parts.query, sessions)


# Cached: one URL is canonicalised several times on its way in (its record, its canonical
# link, its aliases, the story index), and a site's menu links on every page; all within
# moments. A crawl of 2,082 articles: 10,278 hits and 4,502 misses (44 us each) with 4,096
# entries as with 16,384, which a long crawl fills with 7 MB of URLs; 1,024 missed 7,540.
@functools.lru_cache(maxsize=4096)
def _canonicalize(url: str) -> str:
    scheme, _netloc, path, query = _without_variants(url, sessions=True)
    if scheme not in ("http", "https"):
        return (url or "").strip()  # mailto:, javascript:, relative junk: nothing to normalise
    url = _unwrap((url or "").strip())
    parts = urlsplit("https:" + url if url.startswith("//") else url)
    host = host_key(url)
    port = f":{parts.port}" if parts.port else ""
    if port in _DEFAULT_PORTS:
        port = ""
    return canonicalize_url(urlunsplit(("https", host + port, path, query, "")))


def fetch_url(url: str) -> str:
    """The address to request for a link: the site's own scheme and host, as given.

    Only what never changes the page goes: the fragment, tracking parameters,
    AMP variants, proxy wrappers. Unlike :func:`canonicalize` (a dedup key),
    http stays http and "www." stays, because that is where the site answers.
    Never raises; a URL that is not http(s) comes back stripped.
    """
    try:
        scheme, netloc, path, query = _without_variants(url)
    except ValueError:
        return (url or "").strip()
    if scheme not in ("http", "https") or not netloc:
        return (url or "").strip()
    return urlunsplit((scheme, netloc.rsplit("@", 1)[-1], path, query, ""))


def web_url(url: str | None) -> str | None:
    """``url`` (stripped) when it is an http(s) address with a host, else None.

    For addresses a page gives that the archive stores and shows, such as an
    article's image: a ``javascript:`` or ``data:`` one is never kept nor rendered.
    """
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme in ("http", "https") and parts.hostname else None


def same_site(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` are on the same site.

    Hosts are compared after normalisation (case, "www.", IDNA); a host that
    differs only by a leading mobile/AMP label (``m.``, ``mobile.``,
    ``amp.``) counts as the same site, since those serve the same articles.
    """
    ha, hb = host_key(a), host_key(b)
    if not ha or not hb:
        return False
    return _strip_variant(ha) == _strip_variant(hb)


def _strip_variant(host: str) -> str:
    label, _, rest = host.partition(".")
    if label in _VARIANT_LABELS and "." in rest:
        return rest
    return host


# What another URL of an archived article is: how it was found, or how it differs.
ALIAS_KINDS = ("feed", "redirect", "amp", "tracking", "same-content", "other")


def is_amp(url: str) -> bool:
    """Whether ``url`` is the AMP variant of a page: one of the forms :func:`canonicalize`
    folds into the page (AMP_PARAMS, AMP_VALUES, a trailing "amp" segment, AMP_CACHE)."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    if (parts.hostname or "").endswith(AMP_CACHE) or _AMP_SUFFIX.search(parts.path):
        return True
    return any(
        key.lower() in AMP_PARAMS or (key.lower(), value.lower()) in AMP_VALUES
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
    )


def alias_kind(url: str, canonical: str, via: str | None = None) -> str:
    """What kind of alias ``url`` is of the article whose canonical URL is ``canonical``.

    "amp" for AMP variants, "tracking" when only parameters, scheme or host form
    differ, else how it was found ("feed", "redirect") or "other".
    """
    if is_amp(url):
        return "amp"
    if canonicalize(url) == canonical:
        return "tracking"
    return via if via in ("feed", "redirect") else "other"


def published_url(url: str) -> str:
    """The address a page was served at, as the site writes it: what "Read the original" opens.

    ``url`` without its fragment and tracking parameters. Unlike :func:`canonicalize`,
    the scheme, the host's "www." and the path stay as the site has them.
    """
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return url
    query = _clean_query(parts.query)
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", query, ""))
