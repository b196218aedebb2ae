"""Tests for benchmarks.corpus: tokens, scores, decoding, and loading the real corpora.

The corpus tests read tests/corpora (or $NEWSARCHIVE_CORPORA) and fail,
with the path in the reason, when that folder is absent.
"""

from __future__ import annotations

import gzip
import re

import pytest

from benchmarks.corpus import (
    SETS,
    Case,
    decode_html,
    default_root,
    html_block_text,
    load_corpus,
    score,
    snippet_score,
    tokens,
)

ARABIC = re.compile("[\u0600-\u06ff]")


# --------------------------------------------------------------------------- tokens, scores


def test_tokens_words_casefolded_punctuation_dropped() -> None:
    assert tokens("Hello, WORLD! Straße 2024 -- e-mail") == [
        "hello",
        "world",
        "strasse",
        "2024",
        "e",
        "mail",
    ]
    assert tokens(None) == [] and tokens("") == [] and tokens(" ,.; ") == []


def test_tokens_keep_combining_marks_inside_words() -> None:
    # Arabic harakat and Devanagari vowel signs are marks, not separators.
    assert tokens("سَانَا قالت:") == ["سَانَا", "قالت"]
    assert tokens("हिन्दी भाषा") == ["हिन्दी", "भाषा"]


def test_tokens_spaceless_scripts_fall_back_to_characters() -> None:
    assert tokens("東京都に住む") == ["東", "京", "都", "に", "住", "む"]
    assert tokens("ภาษาไทย") == ["ภ", "า", "ษ", "า", "ไ", "ท", "ย"]
    assert tokens("Tokyo東京") == ["tokyo", "東", "京"]
    assert tokens("서울 시청") == ["서울", "시청"]  # Korean is written with spaces


def test_score_known_values() -> None:
    assert score("a b c d", "a b c e") == pytest.approx((0.75, 0.75, 0.75))
    assert score("the cat", "the cat sat down") == pytest.approx((1.0, 0.5, 2 / 3))
    # multiset: "a" counts twice only if it is there twice on both sides
    assert score("a a b", "a b b") == pytest.approx((2 / 3, 2 / 3, 2 / 3))
    assert score("The CAT.", "the cat") == pytest.approx((1.0, 1.0, 1.0))
    assert score(None, "text") == (0.0, 0.0, 0.0)
    assert score("   ", "text") == (0.0, 0.0, 0.0)
    assert score("other", "text") == (0.0, 0.0, 0.0)


def test_snippet_score_whitespace_normalised() -> None:
    text = "First  paragraph\nof the story.\n\nMore text."
    assert snippet_score(text, ["paragraph of the", "More text."], ["Share this"]) == (1.0, 1.0)
    assert snippet_score(text, ["missing", "More text."], ["story.", "Ads"]) == (0.5, 0.5)
    assert snippet_score(None, ["x"], ["y"]) == (0.0, 1.0)
    assert snippet_score("x", [], []) == (1.0, 1.0)


# --------------------------------------------------------------------------- decoding


def test_decode_prefers_valid_utf8_over_a_stale_declaration() -> None:
    page = '<meta charset="gb2312"><p>谷歌 DeepMind</p>'.encode()
    assert decode_html(page) == ('<meta charset="gb2312"><p>谷歌 DeepMind</p>', "utf-8")


def test_decode_uses_declared_charset_bom_and_gzip() -> None:
    page = '<meta charset="gb2312"><p>谷歌</p>'.encode("gb2312")
    assert decode_html(page)[0] == '<meta charset="gb2312"><p>谷歌</p>'
    latin = '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">Grüße €'
    assert decode_html(latin.encode("cp1252"))[0] == latin
    assert decode_html("\ufeff<p>é</p>".encode("utf-16-le"))[0] == "<p>é</p>"
    assert decode_html(gzip.compress("<p>é</p>".encode()))[0] == "<p>é</p>"
    assert decode_html(b"<p>\xff bad</p>") == ("<p>\ufffd bad</p>", "utf-8 (with replacement)")


def test_html_block_text_one_line_per_block() -> None:
    markup = (
        "<div><h2>Title</h2>Loose  text<p>One <b>two</b></p>"
        "<ul><li>a</li><li>b</li></ul>line<br>break<!-- hidden --></div>"
    )
    assert html_block_text(markup) == "Title\nLoose text\nOne two\na\nb\nline\nbreak"


# --------------------------------------------------------------------------- real corpora


@pytest.fixture(scope="module")
def corpus():
    root = default_root()
    assert root.is_dir(), f"corpora folder absent: {root} (set NEWSARCHIVE_CORPORA)"
    return load_corpus(root)


def _case(cases: list[Case], set_name: str, case_id_prefix: str) -> Case:
    found = [c for c in cases if c.set_name == set_name and c.case_id.startswith(case_id_prefix)]
    assert found, f"no {set_name} case {case_id_prefix}*"
    return found[0]


@pytest.mark.parametrize("set_name", SETS)
def test_every_set_has_cases_with_html_and_an_answer(corpus, set_name: str) -> None:
    cases = [c for c in corpus.cases if c.set_name == set_name]
    assert len(cases) >= 10
    for c in cases:
        assert "<" in c.html and len(c.html) > 400, c.case_id
        if set_name == "trafilatura-eval":
            assert c.expected_text is None and c.must_contain and c.url
        else:
            assert c.expected_text and tokens(c.expected_text), c.case_id
    assert len({c.case_id for c in cases}) == len(cases)


def test_skipped_pages_are_reported_with_a_reason(corpus) -> None:
    assert all(s.reason for s in corpus.skipped)
    skipped = {(s.set_name, s.case_id) for s in corpus.skipped}
    assert ("newspaper4k", "sample_rss") in skipped  # page without a txt/ answer
    assert not skipped & {(c.set_name, c.case_id) for c in corpus.cases}


def test_fundus_versions_pair_with_pages_by_crawl_date(corpus) -> None:
    # DW has three parser versions; each page's expected text must be on that page.
    dw = sorted(
        (c for c in corpus.cases if c.case_id.startswith("de/DW_")), key=lambda c: c.case_id
    )
    assert len(dw) == 3
    for c in dw:
        assert c.url and c.url.startswith("https://")
        first_words = " ".join(c.expected_text.split()[:4])
        assert first_words in " ".join(c.html.split()), c.case_id


def test_arabic_pages_keep_their_arabic_text(corpus) -> None:
    for case in (
        _case(corpus.cases, "newspaper4k", "arabic_article"),
        _case(corpus.cases, "fundus", "lb/LBCGroup_"),
    ):
        assert case.language == "ar"
        assert "\ufffd" not in case.expected_text
        assert len(ARABIC.findall(case.expected_text)) > 500
        assert len(ARABIC.findall(case.html)) > 500
        words = [t for t in tokens(case.expected_text) if ARABIC.match(t)]
        assert len(words) > 100
    syria = _case(corpus.cases, "newspaper4k", "arabic_article")
    assert "دمشق" in syria.expected_text and "دمشق" in syria.html


def test_stale_charset_declarations_decode_as_utf8(corpus) -> None:
    qq = _case(corpus.cases, "readability", "qq")  # declares gb2312, stored as UTF-8
    assert "人工智能" in qq.html and "\ufffd" not in qq.html
    assert "人工智能" in qq.expected_text
