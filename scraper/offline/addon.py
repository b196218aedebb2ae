"""The Scrapy add-on that serves a crawl from the offline copies, when it asks for them.

Listed in scraper.settings' ``ADDONS``, it runs once a crawler's settings are complete
(the project's, the command line's ``-s``, the environment's NEWSARCHIVE_MIRRORS and
scraper.crawl's), which is the first moment it is known whether the crawl wants the
copies: only then is :class:`scraper.offline.handler.MirrorDownloadHandler` installed
for http and https. A crawl of the real sites keeps Scrapy's own download handler.
"""

from __future__ import annotations

from scrapy.settings import Settings

HANDLER = "scraper.offline.handler.MirrorDownloadHandler"


def wants_offline_copies(settings: Settings) -> bool:
    """Whether a crawl is to be served from offline copies: hosts are mirrored
    (NEWSARCHIVE_MIRRORS), or it may reach nothing else (NEWSARCHIVE_MIRRORS_ONLY)."""
    return bool(settings.getdict("NEWSARCHIVE_MIRRORS")) or settings.getbool(
        "NEWSARCHIVE_MIRRORS_ONLY"
    )


class OfflineCopies:
    """Installs the offline copies' download handler for a crawl that asks for them."""

    def update_settings(self, settings: Settings) -> None:
        if not wants_offline_copies(settings):
            return
        handlers = settings.getdict("DOWNLOAD_HANDLERS")
        handlers.update({"http": HANDLER, "https": HANDLER})
        settings.set("DOWNLOAD_HANDLERS", handlers, priority="addon")
