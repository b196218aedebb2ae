"""Failure reasons people can read: one line that says what went wrong, where and why.

Twisted and OpenSSL report failures as nested reprs ("[<twisted.python.failure.
Failure OpenSSL.SSL.Error: [('SSL routines', '', 'wrong version number')]>]").
:func:`describe_exception` turns the usual ones into a short sentence with a
hint, :func:`is_hopeless` tells the failures that no retry can fix (the
name does not resolve, the server does not speak TLS), so a crawl gives up on
such a host at once, and :func:`is_unanswered` the ones where the host gave no
answer at all (those, refused and timed-out connections), so a crawl gives up
on a host that stopped answering (scraper.middlewares).
"""

from __future__ import annotations

from collections.abc import Iterable

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from twisted.internet import error as net
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

__all__ = [
    "describe_exception",
    "describe_failure",
    "host_down_reason",
    "hosts_down",
    "hosts_down_error",
    "is_hopeless",
    "is_unanswered",
    "stopped_answering",
]

_DNS = (net.DNSLookupError, CannotResolveHostError)


def _causes(exception: BaseException) -> list[BaseException]:
    """The exception and the ones it wraps: Scrapy re-raises Twisted's ``from`` them,
    and Twisted keeps its own in ``reasons``."""
    found = [exception]
    inner_ones = [exception.__cause__, *(getattr(exception, "reasons", None) or [])]
    for reason in inner_ones:
        inner = reason.value if isinstance(reason, Failure) else reason
        if isinstance(inner, BaseException):
            found.extend(_causes(inner))
    return found


def _any(exception: BaseException, *types: type) -> bool:
    return any(isinstance(cause, types) for cause in _causes(exception))


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
    return _any(exception, *_DNS, net.NoRouteError) or bool(_tls_problem(exception))


def is_unanswered(exception: BaseException) -> bool:
    """Whether the host gave no answer at all: the hopeless failures, a refused
    connection, a connection or a response that timed out."""
    return is_hopeless(exception) or _any(
        exception,
        net.ConnectionRefusedError,
        DownloadConnectionRefusedError,
        net.TimeoutError,
        net.TCPTimedOutError,
        DownloadTimeoutError,
    )


# The reason a request was not made because its host stopped answering (scraper.
# middlewares.FailFastMiddleware): a run's failures are searched for it.
_STOPPED = " stopped answering: "


def host_down_reason(host: str, attempts: int, seconds: float, last: str) -> str:
    """Why a request to ``host`` was not made: it stopped answering."""
    return (
        f"skipped: {host}{_STOPPED}{attempts} attempts in a row got no answer in the "
        f"{seconds:.0f} s since its last (last: {last})"
    )


def hosts_down_error(hosts: list[str], not_made: int, first_url: str) -> str:
    """A run's error when it stopped asking ``hosts`` because they stopped answering."""
    return f"{', '.join(hosts)}{_STOPPED}{not_made} requests not made (first: {first_url})"


def stopped_answering(error: str | None) -> bool:
    """Whether a failure's reason (or a run's error, :func:`hosts_down_error`) says its
    host stopped answering."""
    return bool(error) and _STOPPED in error


def hosts_down(errors: Iterable[str | None]) -> list[str]:
    """The hosts a run stopped asking because they stopped answering, from its failures'
    reasons (or from its own error)."""
    return sorted(
        {e.removeprefix("skipped: ").split(_STOPPED)[0] for e in errors if stopped_answering(e)}
    )


def describe_exception(exception: BaseException) -> str:
    """One readable line for a failed download."""
    if isinstance(exception, IgnoreRequest):
        return _one_line(str(exception)) or "request refused"
    tls = _tls_problem(exception)
    if tls:
        return tls
    if _any(exception, *_DNS):
        return "DNS lookup failed: the host name does not resolve"
    if _any(exception, net.ConnectionRefusedError, DownloadConnectionRefusedError):
        return "connection refused (is the server up, on that port?)"
    if _any(exception, net.TimeoutError, net.TCPTimedOutError, DownloadTimeoutError):
        return "timed out: the server did not answer in time"
    if _any(exception, net.NoRouteError):
        return "no route to the host"
    if _any(exception, ResponseDataLossError) or type(exception).__name__ == "_DataLoss":
        return "response truncated: the connection closed before the whole page arrived"
    if _any(exception, ResponseNeverReceived, ResponseFailed):
        if any(type(c).__name__ in ("_DataLoss", "PotentialDataLoss") for c in _causes(exception)):
            return "response truncated: the connection closed before the whole page arrived"
        return "the connection closed before a complete response arrived"
    text = _one_line(str(exception))
    if "larger than download max size" in text:
        return f"refused: the page is larger than the size limit (DOWNLOAD_MAXSIZE): {text}"
    if _any(exception, DownloadCancelledError):
        # Scrapy cancels, with no message, a body that outgrows the limit as it streams in
        # (one without a Content-Length); the only other cancellation is a crawl stopping.
        return (
            "refused: the page grew larger than the size limit (DOWNLOAD_MAXSIZE) as it "
            "downloaded, or the crawl was stopping"
        )
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
