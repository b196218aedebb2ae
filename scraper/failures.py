"""Failure reasons people can read: one line that says what went wrong, where and why.

Twisted and OpenSSL report failures as nested reprs ("[<twisted.python.failure.
Failure OpenSSL.SSL.Error: [('SSL routines', '', 'wrong version number')]>]").
:func:`describe_exception` turns the usual ones into a short sentence with a
hint, and :func:`is_hopeless` tells the failures that no retry can fix (the
name does not resolve, the server does not speak TLS), so a crawl gives up on
such a host at once (scraper.middlewares).
"""

from __future__ import annotations

from scrapy.exceptions import IgnoreRequest
from twisted.internet import error as net
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

__all__ = ["describe_exception", "describe_failure", "is_hopeless"]


def _causes(exception: BaseException) -> list[BaseException]:
    """The exception and the ones it wraps (Twisted keeps them in ``reasons``)."""
    found = [exception]
    for reason in getattr(exception, "reasons", None) or []:
        inner = reason.value if isinstance(reason, Failure) else reason
        if isinstance(inner, BaseException):
            found.extend(_causes(inner))
    return found


def _tls_problem(exception: BaseException) -> str | None:
    for cause in _causes(exception):
        module = type(cause).__module__
        if module.startswith("OpenSSL") or isinstance(cause, net.SSLError):
            text = str(cause)
            if "wrong version number" in text or "packet length too long" in text:
                return "TLS handshake failed: the server does not speak https (try http://)"
            if "certificate verify failed" in text:
                return "TLS handshake failed: the certificate could not be verified"
            return f"TLS handshake failed: {_one_line(text)}"
    return None


def is_hopeless(exception: BaseException) -> bool:
    """Whether retrying the request cannot help: DNS failure or a TLS mismatch."""
    return isinstance(exception, net.DNSLookupError | net.NoRouteError) or bool(
        _tls_problem(exception)
    )


def describe_exception(exception: BaseException) -> str:
    """One readable line for a failed download."""
    if isinstance(exception, IgnoreRequest):
        return _one_line(str(exception)) or "request refused"
    tls = _tls_problem(exception)
    if tls:
        return tls
    if isinstance(exception, net.DNSLookupError):
        return f"DNS lookup failed: {_one_line(str(exception)) or 'the name does not resolve'}"
    if isinstance(exception, net.ConnectionRefusedError):
        return "connection refused (is the server up, on that port?)"
    if isinstance(exception, net.TimeoutError | net.TCPTimedOutError):
        return "timed out: the server did not answer in time"
    if isinstance(exception, net.NoRouteError):
        return "no route to the host"
    if isinstance(exception, ResponseNeverReceived | ResponseFailed):
        inner = [c for c in _causes(exception)[1:] if not isinstance(c, ResponseFailed)]
        if any(type(c).__name__ in ("_DataLoss", "PotentialDataLoss") for c in inner):
            return "response truncated: the connection closed before the whole page arrived"
        if inner:
            return describe_exception(inner[0])
        return "the connection closed before a response arrived"
    if type(exception).__name__ in ("_DataLoss", "ResponseDataLossError"):
        return "response truncated: the connection closed before the whole page arrived"
    text = _one_line(str(exception))
    name = type(exception).__name__
    return f"{name}: {text}" if text else name


def describe_failure(failure: Failure) -> tuple[str, int | None]:
    """A one-line reason for a failed request, and the HTTP status if there was one."""
    response = getattr(failure.value, "response", None)
    if response is not None:
        return f"HTTP {response.status}", response.status
    return describe_exception(failure.value), None


def _one_line(text: str) -> str:
    return " ".join(text.split())[:300]
