"""archive.arabic: folding for the FTS index and for queries."""

import random
import sqlite3

import pytest

from archive.arabic import fold, fold_query


def test_fold_removes_harakat_and_tatweel():
    assert fold("سَانَا") == "سانا"
    assert fold("الأخبـــار") == "الاخبار"
    assert fold("مُحَمَّدٌ") == "محمد"
    assert fold("رحمٰن") == "رحمن"  # superscript alef


def test_fold_unifies_letters():
    assert fold("أإآٱا") == "ااااا"
    assert fold("مستشفى") == "مستشفي"
    assert fold("مدرسة") == "مدرسه"
    assert fold("یک") == "يك"  # Persian yeh and keheh


def test_fold_digits_to_ascii():
    assert fold("٢٠٢٤") == "2024"
    assert fold("۱۴۰۳") == "1403"


def test_fold_nfkc_and_invisible_characters():
    assert fold("\ufefb") == "لا"  # lam-alef presentation form
    assert fold("ا\u0654") == "ا"  # alef + combining hamza -> أ -> ا
    assert fold("سا\u200cنا\u200f") == "سانا"


def test_fold_leaves_latin_alone():
    assert fold("Café Über Straße 10:30") == "Café Über Straße 10:30"
    assert fold("") == ""


@pytest.mark.parametrize(
    "query, expected",
    [
        ("سانا", "سانا"),
        ("سَانَا", "سانا"),
        ("الأخبار OR ١٢٣", "الاخبار OR 123"),
        ('"وكالة سَانَا"', '"وكاله سانا"'),
        ("دمشق*", "دمشق*"),
        ("al-Assad 10:30", '"al-Assad" AND "10:30"'),
        ("sana.sy", '"sana.sy"'),
        ("title:سانا", "title: سانا"),
        ("a (b OR c)", "a AND (b OR c)"),
        ("foo AND", "foo"),
        ("NOT foo", "foo"),
        ("(foo OR bar", "(foo OR bar)"),
        ("foo)", "foo"),
        ("NEAR(a b)", '"NEAR" AND (a AND b)'),
        ("- : .", ""),
        ("", ""),
    ],
)
def test_fold_query(query, expected):
    assert fold_query(query) == expected


@pytest.fixture()
def fts():
    conn = sqlite3.connect(":memory:")
    conn.execute(
        "CREATE VIRTUAL TABLE f USING fts5(title, summary, body, tags, "
        "tokenize='unicode61 remove_diacritics 2')"
    )
    conn.execute(
        "INSERT INTO f VALUES (?, '', ?, '')",
        (fold("وكالة سَانَا"), fold("نشرت الأخبار 10:30 al-Assad في ٢٠٢٤")),
    )
    yield conn
    conn.close()


def _match(conn, query):
    return conn.execute("SELECT rowid FROM f WHERE f MATCH ?", (fold_query(query),)).fetchall()


@pytest.mark.parametrize(
    "query", ["سانا", "سَانَا", "الاخبار", "الأخبار", "2024", "٢٠٢٤", "al-Assad", "10:30", "سا*"]
)
def test_folded_query_finds_folded_text(fts, query):
    assert _match(fts, query) == [(1,)]


def test_fold_query_never_raises_fts_syntax_errors(fts):
    atoms = [
        "a", "AND", "OR", "NOT", "(", ")", '"', "*", "title:", "body:x", "-", "al-Assad",
        "10:30", "sana.sy", "سَانَا", "NEAR", "NEAR(", '"x y"', ":", "^a", "x*", "{title}",
        "+", ",", "'", "\\", "\x00", '"a"*', "NOT*", "title:AND",
    ]  # fmt: skip
    rng = random.Random(7)
    for _ in range(3000):
        query = " ".join(rng.choice(atoms) for _ in range(rng.randint(1, 7)))
        if rng.random() < 0.3:
            query = query.replace(" ", "")
        folded = fold_query(query)
        if folded:
            fts.execute("SELECT rowid FROM f WHERE f MATCH ?", (folded,)).fetchall()
