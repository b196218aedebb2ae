"""A story that a page carries in its scripts (scraper/extract/embedded.py).

The fixtures of tests/fixtures/extract/story-in-*.html show each carrier as a whole
page; these tests take the carriers' own details: flight text rows counted in UTF-8
bytes, element trees, JSON.parse() states, the longest of several stories, a real
story in the markup winning over a script, and the real page that needs it.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from benchmarks.corpus import fundus_expected_text, score
from scraper.extract import extract
from scraper.extract.embedded import candidates, collect_scripts
from scraper.extract.page import _parse_tree

URL = "https://news.example.org/2025/06/02/daraa-farmers-harvest-early/"
PARAGRAPHS = [
    "Farmers in the eastern Daraa countryside began the wheat harvest on Sunday, weeks "
    "earlier than usual, after a dry spring left the grain short and brittle.",
    "The local agriculture directorate said about 40 percent of the planted area had "
    "received less than half of the usual rainfall.",
    "Growers said the price offered by the state grain agency did not cover the cost of "
    "diesel, fertiliser and labour.",
]
STORY_HTML = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
HANKOOK = Path(__file__).parent / "corpora" / "fundus" / "kr"


def shell(scripts: str, story: str = "") -> str:
    return (
        "<html><head><title>Daraa farmers harvest early</title>"
        '<meta property="og:type" content="article">'
        '<meta property="article:published_time" content="2025-06-02T08:30:00+03:00">'
        f'</head><body><h1>Daraa farmers harvest early</h1><div id="root">{story}</div>'
        f"{scripts}</body></html>"
    )


def push(text: str) -> str:
    return f"<script>self.__next_f.push([1,{json.dumps(text)}])</script>"


def found(page: str):
    return candidates(collect_scripts(_parse_tree(page)), None)


def test_flight_text_rows_are_counted_in_utf8_bytes():
    arabic = "<p>" + "بدأ المزارعون في ريف درعا الشرقي حصاد القمح. " * 12 + "</p>"
    row = f"5:T{len(arabic.encode('utf-8')):x},{arabic}"
    # The text row ends where its byte count says, though the next row follows directly.
    page = shell(push('1:"$Sreact.fragment"\n') + push(row[:50]) + push(row[50:] + '6:["$"]\n'))
    (candidate,) = found(page)
    assert candidate.carrier == "story-in-next-flight" and candidate.content == arabic


def test_flight_element_trees_are_written_out_as_markup():
    tree = [
        "$",
        "article",
        None,
        {
            "children": [
                ["$", "p", str(i), {"children": ["$", "$L3", None, {"children": text}]}]
                for i, text in enumerate(PARAGRAPHS)
            ]
        },
    ]
    record = extract(shell(push("2:" + json.dumps(tree) + "\n")), URL)
    assert record["body"] == "\n\n".join(PARAGRAPHS)


def test_state_given_through_json_parse():
    state = json.dumps({"article": {"content": STORY_HTML}})
    page = shell(f"<script>window.__INITIAL_STATE__ = JSON.parse({json.dumps(state)});</script>")
    assert extract(page, URL)["body"] == "\n\n".join(PARAGRAPHS)


def test_the_longest_story_of_a_blob_is_the_page_s():
    teaser = "<p>" + PARAGRAPHS[0] + "</p><p>" + PARAGRAPHS[1] + "</p>"
    data = {
        "props": {"pageProps": {"related": [{"body": teaser}], "article": {"body": STORY_HTML}}}
    }
    page = shell(f'<script id="__NEXT_DATA__" type="application/json">{json.dumps(data)}</script>')
    assert extract(page, URL)["body"] == "\n\n".join(PARAGRAPHS)


def test_a_story_in_the_markup_wins_over_a_script():
    other = "<p>" + "Another story about the Hasakah water station entirely. " * 10 + "</p>"
    data = json.dumps({"props": {"pageProps": {"article": {"body": other}}}})
    page = shell(f'<script id="__NEXT_DATA__" type="application/json">{data}</script>', STORY_HTML)
    assert extract(page, URL)["body"] == "\n\n".join(PARAGRAPHS)


@pytest.mark.parametrize(
    "scripts",
    [
        "<script>window.__INITIAL_STATE__ = {broken json</script>",
        '<script id="__NEXT_DATA__" type="application/json">{"props": </script>',
        push("3:T1000000,<p>cut short</p>"),
        "<script>self.__next_f.push([1,not a string])</script>",
    ],
)
def test_broken_blobs_give_no_story_and_no_error(scripts):
    record = extract(shell(scripts), URL)
    assert record["is_article"] is False and record["body"] == ""


def test_hankook_ilbo_page_gets_its_story_from_the_flight_stream():
    # A real page whose markup holds none of its story (bare trafilatura: 0 words).
    html = gzip.decompress((HANKOOK / "HankookIlbo_2026_01_29.html.gz").read_bytes())
    record = extract(html, "https://www.hankookilbo.com/news/article/A2026012914320005196")
    assert record["is_article"], record["not_article_reason"]
    answer = json.loads((HANKOOK / "HankookIlbo.json").read_text("utf-8"))["V2"]
    precision, recall, _ = score(record["body"], fundus_expected_text(answer["body"]))
    assert precision > 0.95 and recall > 0.9
    assert "$$ARTICLEAD$$" not in record["body"]
