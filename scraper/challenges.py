"""Challenge and block pages: an anti-bot service answering instead of the site.

A Cloudflare "Just a moment..." or an Imperva "Request unsuccessful" page is
not the site's page: it is never archived, and the source is reported
``blocked: <vendor>`` (once per run), flagged ``blocked`` in `status` and
backed off (scraper.schedule). The signatures are data, one row per marker
the vendors document or print on every such page; a response is a challenge
when all the parts of a row hold (status, a header, a string in the markup).

No maintained library recognises these pages (the projects that get past them
each carry their own markers), so the table is kept here, with where each
marker comes from:

- Cloudflare: the ``cf-mitigated: challenge`` header (Cloudflare's "Detect a
  Challenge Page response"); its challenge page's ``window._cf_chl_opt`` and
  ``<title>Just a moment...</title>``, its "Please turn JavaScript on" and its
  block page ("Sorry, you have been blocked", ``id="cf-error-details"``) on a
  response with ``Server: cloudflare``.
- DDoS-Guard: its JavaScript check (``/.well-known/ddos-guard/js-challenge``)
  and its block page titled "DDoS-Guard".
- Sucuri: the ``X-Sucuri-Block`` header of its firewall's block page, the
  page's title ("Sucuri WebSite Firewall - Access Denied"), and its JavaScript
  challenge (its script sets ``sucuri_cloudproxy_js``).
- Imperva (Incapsula): the ``_Incapsula_Resource`` script and the "Incapsula
  incident ID" of its block and challenge pages.
- Akamai: the "Access Denied" page with its reference at
  ``errors.edgesuite.net`` (written with HTML entities), from ``AkamaiGHost``.
- A CAPTCHA page: reCAPTCHA, hCaptcha or Turnstile widgets on a refusal
  (403, 429, 503): an article page may carry a CAPTCHA on its comment form.

Only the start of a body is searched: these pages are small, and an article
that quotes a marker would carry it in its text, far below the head.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

__all__ = [
    "BLOCKED",
    "SIGNATURES",
    "Signature",
    "blocked_reason",
    "blocked_reasons",
    "challenge_vendor",
]

# How much of a body is searched for markup markers (challenge pages are a few KB).
HEAD_BYTES = 32_768
# The failure reason's prefix: "blocked: cloudflare". Runs, polls and `status` read it.
BLOCKED = "blocked: "
_REFUSALS = frozenset({403, 429, 503})


@dataclass(frozen=True)
class Signature:
    """One marker of a vendor's challenge or block page; every part given must hold.

    ``header`` is (name, a piece of its value), ``markup`` a piece of the body's
    start, both compared lower-case; ``statuses`` the HTTP statuses it applies to
    (None: any).
    """

    vendor: str
    header: tuple[str, str] | None = None
    markup: str | None = None
    statuses: frozenset[int] | None = None


SIGNATURES: tuple[Signature, ...] = (
    Signature("cloudflare", header=("cf-mitigated", "challenge")),
    Signature("cloudflare", markup="window._cf_chl_opt"),
    Signature(
        "cloudflare", header=("server", "cloudflare"), markup="<title>just a moment...</title>"
    ),
    Signature(
        "cloudflare",
        header=("server", "cloudflare"),
        markup="please turn javascript on and reload the page",
    ),
    Signature("cloudflare", header=("server", "cloudflare"), markup='id="cf-error-details"'),
    Signature("ddos-guard", markup="/.well-known/ddos-guard/js-challenge"),
    Signature("ddos-guard", markup="<title>ddos-guard</title>"),
    Signature("sucuri", header=("x-sucuri-block", "")),
    Signature("sucuri", markup="sucuri website firewall - access denied"),
    Signature("sucuri", markup="sucuri_cloudproxy_js"),
    Signature("imperva", markup="_incapsula_resource"),
    Signature("imperva", markup="incapsula incident id"),
    Signature("akamai", markup="errors&#46;edgesuite&#46;net"),
    Signature("akamai", header=("server", "akamaighost"), statuses=frozenset({403})),
    Signature("captcha", markup='class="g-recaptcha"', statuses=_REFUSALS),
    Signature("captcha", markup='class="h-captcha"', statuses=_REFUSALS),
    Signature("captcha", markup='class="cf-turnstile"', statuses=_REFUSALS),
)


def challenge_vendor(status: int, headers: Mapping[str, Iterable[str]], body: bytes) -> str | None:
    """The vendor whose challenge or block page this response is, or None.

    ``headers`` maps a header name to its values (any case).
    """
    lowered = {name.lower(): " ".join(values).lower() for name, values in headers.items()}
    # Bytes, not decoded text: the markers are ASCII, and every response is checked in the
    # crawl's own thread: 72 us a page against 163 for decoding and lower-casing the text.
    head = body[:HEAD_BYTES].lower()
    for signature in SIGNATURES:
        if signature.statuses is not None and status not in signature.statuses:
            continue
        if signature.header is not None:
            name, value = signature.header
            if name not in lowered or value not in lowered[name]:
                continue
        if signature.markup is not None and signature.markup.encode("ascii") not in head:
            continue
        return signature.vendor
    return None


def blocked_reason(vendor: str) -> str:
    """The failure line of a blocked request: "blocked: cloudflare"."""
    return BLOCKED + vendor


def blocked_reasons(errors: Iterable[str | None]) -> list[str]:
    """The distinct "blocked: <vendor>" lines among a run's failure reasons."""
    return sorted({e for e in errors if e and e.startswith(BLOCKED)})
