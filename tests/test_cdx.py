"""The CDX protocol (scraper.cdx): the query, both JSON answers, and paging by resume key
against a server on 127.0.0.1 that caps its answers, as the Wayback Machine does."""

from __future__ import annotations

import json
import urllib.request
from urllib.parse import parse_qsl, urlsplit

import pytest

from scraper.cdx import CdxCapture, cdx_query, page_query, parse_cdx
from tests.local_http import Handler, serving

FIELDS = ["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length"]
ROWS = [
    [
        "org,example)/a",
        f"2020010{i}000000",
        f"https://example.org/{i}/",
        "text/html",
        "200",
        f"D{i}",
        "9",
    ]
    for i in range(1, 8)
]


class Paging(Handler):
    """At most three rows an answer, whatever the limit asked; the key is the next row's
    index. Every query is kept."""

    queries: list[dict] = []

    def do_GET(self):
        query = dict(parse_qsl(urlsplit(self.path).query))
        Paging.queries.append(query)
        start = int(query.get("resumeKey", 0))
        rows = ROWS[start : start + 3]
        tail = [[], [str(start + 3)]] if start + 3 < len(ROWS) else []
        self.answer(200, json.dumps([FIELDS, *rows, *tail]).encode(), "application/json")


def test_a_listing_is_read_page_after_page_by_its_resume_keys():
    Paging.queries = []
    with serving(Paging) as base:
        query = cdx_query(f"{base}/cdx", "example.org", match_type="domain", since="2020-01-01")
        captures, key = [], None
        while True:
            with urllib.request.urlopen(page_query(query, key), timeout=10) as answer:
                page = parse_cdx(answer.read())
            captures += page.captures
            key = page.resume_key
            if key is None:
                break
    assert [c.original for c in captures] == [row[2] for row in ROWS]
    assert [q.get("resumeKey") for q in Paging.queries] == [None, "3", "6"]
    first = Paging.queries[0]
    assert first["matchType"] == "domain" and first["showResumeKey"] == "true"
    assert first["from"] == "20200101000000" and first["collapse"] == "digest"


def test_pywbs_answer_one_object_a_line_is_read_too():
    line = {"urlkey": "x", "timestamp": "20240105120000", "url": "https://e.org/a/"}
    body = "\n".join(
        json.dumps({**line, "mime": m, "status": "200"}) for m in ("text/html", "image/png")
    )
    page = parse_cdx(body.encode())
    assert page.resume_key is None
    assert [c.usable for c in page.captures] == [True, False]
    capture = page.captures[0]
    assert capture.captured_at == "2024-01-05T12:00:00+00:00"
    assert (
        capture.replay_url("http://h/news/") == "http://h/news/20240105120000id_/https://e.org/a/"
    )


def test_until_a_day_is_the_whole_day():
    query = cdx_query("http://h/cdx", "e.org", match_type="prefix", until="2024-12-31")
    assert dict(parse_qsl(urlsplit(query).query))["to"] == "20241231235959"


@pytest.mark.parametrize(
    "body", [b"<html>busy</html>", b'{"a": 1}', b'[["a", "b"], ["1"]]', b"\xff"]
)
def test_an_unreadable_answer_is_a_value_error(body):
    with pytest.raises(ValueError):
        parse_cdx(body)


def test_a_capture_without_a_timestamp_is_skipped():
    page = parse_cdx(json.dumps([["timestamp", "original"], ["", "https://e.org/"]]).encode())
    assert page.captures == [] and CdxCapture(
        "2024", "u", "200", "text/html"
    ).captured_at.startswith("2024-01")


def test_a_listing_splits_into_two_halves_of_its_time_range():
    from datetime import datetime

    from scraper.cdx import reverse_query, split_query

    query = cdx_query("http://h/cdx", "e.org", match_type="domain", since="2024-01-01")
    now = datetime(2024, 3, 1)
    early, late = (dict(parse_qsl(urlsplit(q).query)) for q in split_query(query, now))
    assert (early["from"], late["to"]) == ("20240101000000", "20240301000000")
    assert early["to"] == "20240131000000" and late["from"] == "20240131000001"
    # Everything else is kept, both filters included.
    for half in split_query(query):
        assert parse_qsl(urlsplit(half).query).count(("filter", "statuscode:200")) == 1
    exact = cdx_query("http://h/cdx", "e.org", match_type="exact")
    whole = split_query(exact, datetime(2000, 1, 1))
    assert dict(parse_qsl(urlsplit(whole[0]).query))["from"] == "19960101000000"
    one_second = query.replace("from=20240101000000", "from=20240101000000&to=20240101000000")
    assert split_query(one_second) is None
    assert dict(parse_qsl(urlsplit(reverse_query(query)).query))["sort"] == "reverse"
