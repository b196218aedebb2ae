"""A small HTTP server on 127.0.0.1 for tests that script a site's answers by hand, and
`newsarchive` run against it."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# A site on 127.0.0.1 is crawled without the politeness real sites get.
NO_DELAY = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=false"]
# `newsarchive` of this checkout, for tests that start it themselves (subprocess.Popen)
# with environment().
COMMAND = [sys.executable, "-m", "scraper.cli"]


def environment(**extra: str) -> dict[str, str]:
    """The environment `newsarchive` of this checkout runs in, with ``extra`` variables."""
    return {**os.environ, "PYTHONPATH": str(REPO), **extra}


def newsarchive(
    work: Path, *args: str, timeout: float = 300, **extra: str
) -> subprocess.CompletedProcess:
    """``newsarchive ARGS`` of this checkout, run in ``work`` with the ``extra``
    environment variables, its output captured."""
    return subprocess.run(
        [*COMMAND, *args],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=environment(**extra),
    )


class Handler(BaseHTTPRequestHandler):
    """A request handler with ``answer`` for the plain cases; subclasses write ``do_GET``."""

    def answer(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass  # the tests read what they need from their own records


@contextlib.contextmanager
def serving(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """Serve ``handler`` on a free port of 127.0.0.1; yields the base URL, stops at exit."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
