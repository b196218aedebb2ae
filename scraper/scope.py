"""A crawl's scope: which URLs a source's crawl may fetch at all. Every link is untrusted input.

A source's crawl stays on its registered hosts (those of its homepage, feeds,
sitemaps and listings, each with and without "www."), over http or https,
and never reaches a loopback, private, link-local or reserved address unless
the source itself lives at one (a source whose homepage is such an address or
a name for one: the offline copies of the tests and the demo, an intranet
site). Standard library only: ``urllib.parse`` for the URL, ``ipaddress`` for
the address classes, asyncio's resolver for names.

:class:`CrawlScope` answers the question for a URL; spiders ask it before
making a request (so a refused link costs nothing), and the downloader
middleware :class:`scraper.middlewares.ScopeMiddleware` asks it again for every
request, redirects and robots.txt included, and checks the address a name
resolves to just before the connection is made.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit

from archive.urls import normalise_host, url_host
from scraper.sources import Source

__all__ = ["CrawlScope", "address_problem"]

SCHEMES = ("http", "https")


def address_problem(address: str) -> str | None:
    """Why an IP address is not on the public internet, or None when it is."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    for kind in ("loopback", "private", "link_local", "multicast", "reserved", "unspecified"):
        if getattr(ip, f"is_{kind}"):
            return f"{kind.replace('_', '-')} address {ip}"
    return None


class CrawlScope:
    """What one source's crawl may fetch."""

    def __init__(self, source: Source, *, trusted_hosts: set[str] = frozenset()) -> None:
        self.source = source
        self.hosts = source.hosts  # normalised (archive.urls.normalise_host), as below
        # Hosts served from a local copy (NEWSARCHIVE_MIRRORS): their address is ours.
        self.trusted_hosts = {normalise_host(h) for h in trusted_hosts}
        self._resolved: dict[str, str | None] = {}
        self._home_is_local: bool | None = None

    def problem(self, url: str) -> str | None:
        """Why ``url`` is outside the scope (scheme or host), or None when it is inside."""
        try:
            parts = urlsplit(url)
            host = url_host(url)
        except ValueError as exc:
            return f"not a valid URL ({exc})"
        scheme = parts.scheme.lower()
        if scheme not in SCHEMES:
            return f"{scheme or 'no'} scheme: only http and https are crawled"
        if not host:
            return "no host"
        if host not in self.hosts:
            return f"host {host} is not one of {self.source.id}'s hosts"
        return None

    async def address_problem(self, url: str) -> str | None:
        """Why the address ``url``'s host resolves to must not be fetched, or None.

        A name that does not resolve is not refused here: the download then fails
        with the resolver's own error, which says more.
        """
        host = url_host(url)
        if host in self.trusted_hosts or await self._source_is_local():
            return None
        problem = await self._host_problem(host)
        return f"{host} resolves to a {problem}" if problem and not _is_ip(host) else problem

    async def _host_problem(self, host: str) -> str | None:
        if host not in self._resolved:
            problem = address_problem(host)
            if problem is None and not _is_ip(host):
                for address in await _resolve(host):
                    problem = address_problem(address)
                    if problem:
                        break
            self._resolved[host] = problem
        return self._resolved[host]

    async def _source_is_local(self) -> bool:
        """Whether the source's own homepage is on a loopback or private address."""
        if self._home_is_local is None:
            host = url_host(self.source.homepage)
            self._home_is_local = (
                host in self.trusted_hosts or await self._host_problem(host) is not None
            )
        return self._home_is_local


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    return True


async def _resolve(host: str) -> list[str]:
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return []
    return [info[4][0] for info in infos]
