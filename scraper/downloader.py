"""Scrapy's downloader, with its per-domain concurrency limit kept under asyncio.

Scrapy 2.19 with the asyncio reactor hands each download to an asyncio task
and counts it as "transferring" only once the task runs. With no download
delay, one pass of the slot's queue therefore starts every queued request
for a site at once: a test saw 7 requests in flight to one host with
CONCURRENT_REQUESTS_PER_DOMAIN = 2. ``_process_queue`` below is Scrapy's own,
with one line added: the transfer slot is reserved before the task is
scheduled (``_download`` adds the same request to the same set, and removes
it when done). tests/test_politeness.py proves the limit holds.
"""

from __future__ import annotations

from time import monotonic

from scrapy.core.downloader import Downloader
from scrapy.utils.asyncio import call_later
from scrapy.utils.defer import _schedule_coro


class PoliteDownloader(Downloader):
    def _process_queue(self, slot) -> None:
        if slot.latercall:
            return
        now = monotonic()
        delay = slot.download_delay()
        if delay:
            penalty = delay - now + slot.lastseen
            if penalty > 0:
                slot.latercall = call_later(penalty, self._latercall, slot)
                return
        while slot.queue and slot.free_transfer_slots() > 0:
            slot.lastseen = now
            request, queue_dfd = slot.queue.popleft()
            slot.transferring.add(request)  # the fix: count it before the task starts
            _schedule_coro(self._wait_for_download(slot, request, queue_dfd))
            if delay:
                self._process_queue(slot)
                break
