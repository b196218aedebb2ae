"""Scrapy's downloader, with its per-domain concurrency limit kept under asyncio.

Scrapy 2.19 with the asyncio reactor hands each download to an asyncio task
and counts it as "transferring" only once the task runs. With no download
delay, one pass of the slot's queue therefore starts every queued request
for a site at once: a test saw 7 requests in flight to one host with
CONCURRENT_REQUESTS_PER_DOMAIN = 2. ``_process_queue`` below is Scrapy's own,
with one line added: the transfer slot is reserved before the task is
scheduled (``_download`` adds the same request to the same set, and removes
it when done). tests/test_politeness.py proves the limit holds, and
tests/test_downloader.py fails as soon as Scrapy's own ``_process_queue``
changes, so this copy is re-checked (or dropped) on every Scrapy upgrade.

No supported setting or hook gives the same guarantee: DOWNLOAD_SLOTS and
per-slot ``concurrency`` feed the same ``free_transfer_slots()`` check that
the race defeats, and a downloader middleware runs before the slot queue.

Minimal reproduction, ready to report upstream (Scrapy 2.19.0, Twisted 26.10,
Python 3.11; prints a maximum of more than 2 requests in flight)::

    import threading, time
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    import scrapy
    from scrapy.crawler import CrawlerProcess

    in_flight = peak = 0
    lock = threading.Lock()

    class Slow(BaseHTTPRequestHandler):
        def do_GET(self):
            global in_flight, peak
            with lock:
                in_flight += 1
                peak = max(peak, in_flight)
            time.sleep(0.3)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"ok")
            with lock:
                in_flight -= 1

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    threading.Thread(target=server.serve_forever, daemon=True).start()

    class Many(scrapy.Spider):
        name = "many"

        async def start(self):
            for i in range(10):
                yield scrapy.Request(f"http://127.0.0.1:{server.server_port}/{i}")

        def parse(self, response):
            pass

    process = CrawlerProcess({
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
        "CONCURRENT_REQUESTS": 16, "CONCURRENT_REQUESTS_PER_DOMAIN": 2,
        "DOWNLOAD_DELAY": 0, "ROBOTSTXT_OBEY": False, "LOG_LEVEL": "WARNING",
    })
    process.crawl(Many)
    process.start()
    print("peak in flight:", peak)  # 6 here; it should never exceed 2
"""

from __future__ import annotations

from time import monotonic

from scrapy.core.downloader import Downloader, Slot
from scrapy.utils.asyncio import call_later
from scrapy.utils.defer import _schedule_coro


class PoliteDownloader(Downloader):
    def _process_queue(self, slot: Slot) -> None:
        if slot.latercall:
            # block processing until slot.latercall is called
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
