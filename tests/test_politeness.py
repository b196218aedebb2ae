"""Politeness, proved on the offline copy: who we say we are, how fast, how many at once.

The server's request log records when each request arrived and its user
agent. The assertions are lower bounds on spacing (a loaded machine only
makes gaps longer), so they do not depend on this machine's speed.
"""

from __future__ import annotations

import pytest

from scraper.offline.server import MirrorServer
from tests.conftest import crawl, expected, site_copy

pytestmark = pytest.mark.slow

SO = expected("syrianobserver")
HOST = "syrianobserver.com"
ARTICLE_PATHS = [a["url"].split(".com", 1)[1] for a in SO["articles"]]


def article_starts(server: MirrorServer) -> list[float]:
    return sorted(r.started for r in server.requests if r.path in ARTICLE_PATHS)


def test_user_agent_names_the_project_and_a_contact(tmp_path):
    agent = "newsarchive/0.1 (+mailto:archive-team@example.org)"
    with MirrorServer([site_copy("syrianobserver")]) as server:
        crawl(
            server,
            tmp_path / "a.db",
            ["syrianobserver"],
            spider="feed",
            overrides={"USER_AGENT": agent},
        )
        agents = {r.user_agent for r in server.requests}
    assert agents == {agent}


def test_default_user_agent_has_a_contact_url():
    from scraper import settings

    assert settings.USER_AGENT.startswith("newsarchive/") and "(+" in settings.USER_AGENT


def test_at_most_two_requests_per_domain_at_once(tmp_path):
    with MirrorServer([site_copy("syrianobserver")]) as server:
        for path in ARTICLE_PATHS:
            server.set_fault(HOST, path, status=None, delay=0.3)  # slow pages overlap
        crawl(
            server,
            tmp_path / "a.db",
            ["syrianobserver"],
            spider="feed",
            overrides={"CONCURRENT_REQUESTS": 16},
        )
        assert server.max_in_flight[HOST] == 2


def test_autothrottle_spaces_requests_to_a_slow_server(tmp_path):
    latency = 0.5
    with MirrorServer([site_copy("syrianobserver")]) as server:
        for path in ARTICLE_PATHS:
            server.set_fault(HOST, path, status=None, delay=latency)
        crawl(
            server,
            tmp_path / "a.db",
            ["syrianobserver"],
            spider="feed",
            overrides={
                "AUTOTHROTTLE_ENABLED": True,
                "AUTOTHROTTLE_START_DELAY": latency,
                "AUTOTHROTTLE_TARGET_CONCURRENCY": 1.0,
                "DOWNLOAD_DELAY": 0,
            },
        )
        starts = article_starts(server)
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    # Without AutoThrottle two requests would start together (gap ~0); with it,
    # the delay follows the server's latency.
    assert len(gaps) >= 5 and min(gaps) >= latency * 0.5


def test_retries_back_off_and_honour_retry_after(tmp_path):
    backoff = 0.4
    busy, limited = ARTICLE_PATHS[0], ARTICLE_PATHS[1]
    with MirrorServer([site_copy("syrianobserver")]) as server:
        server.set_fault(HOST, busy, status=503, times=2)
        server.set_fault(HOST, limited, status=429, headers={"Retry-After": "2"}, times=1)
        runs = crawl(
            server,
            tmp_path / "a.db",
            ["syrianobserver"],
            spider="feed",
            overrides={"NEWSARCHIVE_RETRY_BACKOFF": backoff},
        )
        busy_times = [r.started for r in server.requests if r.path == busy]
        limited_times = [r.started for r in server.requests if r.path == limited]
        statuses = [r.status for r in server.requests if r.path == busy]
    assert statuses == [503, 503, 200]
    first_wait, second_wait = busy_times[1] - busy_times[0], busy_times[2] - busy_times[1]
    assert first_wait >= backoff and second_wait >= 2 * backoff  # exponential
    assert len(limited_times) == 2 and limited_times[1] - limited_times[0] >= 2.0
    assert runs[0]["failed"] == 0
