"""`pip install .` (not editable) works on its own: the commands run from any folder.

The wheel is built and installed into a folder of its own; the commands then run
from another folder, with that folder first on the path, so nothing can come from
this checkout (no tests/, no site copies beside the code).
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from scraper.offline import SITES
from scraper.offline.copies import SiteCopy
from scraper.offline.server import MirrorServer
from tests.conftest import get_when_up
from tests.local_http import NO_DELAY

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Installed:
    script: Path  # the installed `newsarchive` console script
    folder: Path  # a folder that is not this checkout
    env: dict

    def run(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(self.script), *args],
            cwd=self.folder,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    def start(self, *args: str) -> subprocess.Popen:
        return subprocess.Popen(
            [str(self.script), *args],
            cwd=self.folder,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Installed:
    wheels = tmp_path_factory.mktemp("wheels")
    target = tmp_path_factory.mktemp("site")
    pip = [sys.executable, "-m", "pip", "-q", "--disable-pip-version-check"]
    subprocess.run([*pip, "wheel", "--no-deps", "-w", str(wheels), str(ROOT)], check=True)
    (wheel,) = wheels.glob("newsarchive-*.whl")
    subprocess.run([*pip, "install", "--no-deps", "--target", str(target), str(wheel)], check=True)
    folder = tmp_path_factory.mktemp("elsewhere")
    env = {**os.environ, "PYTHONPATH": str(target)}
    where = "import scraper, archive; print(scraper.__file__, archive.__file__)"
    probe = subprocess.run(
        [sys.executable, "-c", where],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert all(p.startswith(str(target)) for p in probe.stdout.split()), probe.stdout
    return Installed(target / "bin" / "newsarchive", folder, env)


def test_demo_archives_every_offline_article(installed):
    result = installed.run("demo", "--no-serve", "--db", "demo.db")
    assert result.returncode == 0, result.stderr
    assert "holds 88 articles" in result.stdout
    with sqlite3.connect(installed.folder / "demo.db") as conn:
        assert conn.execute("select count(*) from articles").fetchone()[0] == 88
    exported = installed.run("export", "--db", "demo.db", "--format", "jsonl", "--lang", "ar")
    assert exported.returncode == 0, exported.stderr
    rows = [json.loads(line) for line in exported.stdout.splitlines()]
    assert rows and all(r["language"] == "ar" for r in rows)


def test_crawl_then_serve(installed):
    with MirrorServer([SiteCopy.load(SITES / "syrianobserver")]) as server:
        result = installed.run(
            "-s",
            f"NEWSARCHIVE_MIRRORS={json.dumps(server.mirrors)}",
            "-s",
            "NEWSARCHIVE_MIRRORS_ONLY=true",
            *NO_DELAY,
            "crawl",
            "syrianobserver",
            "--db",
            "crawl.db",
        )
    assert result.returncode == 0, result.stderr
    assert "finished" in result.stdout
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = installed.start("serve", "--db", "crawl.db", "--port", str(port))
    try:
        page = get_when_up(f"http://127.0.0.1:{port}/", process)
        assert "The Syrian Observer" in page
    finally:
        process.terminate()
        process.wait(timeout=30)
