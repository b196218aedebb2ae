"""No crawl can be driven from outside: Scrapy's remote-control extensions stay off.

Scrapy 2.19 starts, in every crawl, an HTTP endpoint on 127.0.0.1 that runs the
Python code it is sent (RemoteControl, its token in a job file under the user's
state directory), beside the telnet console. scraper/settings.py turns both
off and leaves them out of Scrapy's list of extensions, so that their modules
(aiohttp, Twisted's conch) are not even imported. A crawl through the CLI with
``-v`` lists the extensions it enabled: neither is among them, no job file is
written, and the modules they import are not imported.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.local_http import COMMAND, NO_DELAY, Handler, environment, serving
from tests.test_scope_crawl import article

pytestmark = pytest.mark.slow


class OneStory(Handler):
    def do_GET(self):
        if self.path == "/robots.txt":
            self.answer(200, b"User-agent: *\nDisallow:\n", "text/plain")
        elif self.path == "/feed.xml":
            link = f"http://{self.headers['Host']}/2024/05/story/"
            body = f'<rss version="2.0"><channel><title>T</title><item><link>{link}</link></item>'
            self.answer(200, (body + "</channel></rss>").encode(), "application/rss+xml")
        elif self.path == "/2024/05/story/":
            self.answer(200, article("A story").encode(), "text/html; charset=utf-8")
        else:
            self.answer(404, b"not found", "text/plain")


def test_a_crawl_enables_neither_remote_control_nor_telnet(tmp_path):
    state = tmp_path / "state"  # where RemoteControl would write its job file
    with serving(OneStory) as base:
        sources = tmp_path / "one.toml"
        sources.write_text(
            f'[one]\nname = "One"\nhomepage = "{base}/"\nlanguage = "en"\n'
            f'feeds = ["{base}/feed.xml"]\n',
            encoding="utf-8",
        )
        done = subprocess.run(
            [*COMMAND, "-v", *NO_DELAY, "crawl", "one"]
            + ["--sources", str(sources), "--db", str(tmp_path / "archive.db")],
            cwd=tmp_path,
            # Every module imported, to stderr: a remote control's must not be among them.
            env=environment(XDG_STATE_HOME=str(state), PYTHONPROFILEIMPORTTIME="1"),
            capture_output=True,
            text=True,
            timeout=120,
        )
    log = done.stdout + done.stderr
    assert done.returncode == 0, log[-3000:]
    enabled = re.search(r"Enabled extensions:\s*\[(.*?)\]", log, re.DOTALL)
    assert enabled, log[-3000:]
    assert "scrapy.extensions.corestats.CoreStats" in enabled.group(1)  # the list is read
    assert "RemoteControl" not in enabled.group(1)
    assert "TelnetConsole" not in enabled.group(1)
    assert not list(state.rglob("*.json"))
    imported = {line.rsplit("|", 1)[1].strip() for line in log.splitlines() if "|" in line}
    assert "scrapy.core.engine" in imported  # the list is read
    assert "aiohttp" not in imported  # RemoteControl's
    assert "twisted.conch.telnet" not in imported  # TelnetConsole's


REMOTE_CONTROLS = {
    "scrapy.extensions.remote_control.RemoteControl",
    "scrapy.extensions.telnet.TelnetConsole",
}


def test_the_crawl_lists_every_extension_of_scrapy_but_its_remote_controls():
    from scrapy.settings import default_settings

    from scraper import settings

    scrapys = default_settings.EXTENSIONS_BASE
    wanted = {k: v for k, v in scrapys.items() if k not in REMOTE_CONTROLS}
    assert settings.EXTENSIONS_BASE == wanted


def test_the_settings_are_read_without_importing_scrapy():
    """The CLI reads them to start the extraction workers' fork server before it imports
    Scrapy, so that the two start at once."""
    code = "import sys, scraper.settings; print('scrapy' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", code], env=environment(), capture_output=True, text=True
    )
    assert done.stdout.strip() == "False", done.stderr
