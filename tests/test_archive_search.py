"""archive.search: the analyser, the query parser, and snippets in the article's spelling."""

import random
import sqlite3

import pytest

from archive.search import (
    COLUMNS,
    STEM_COLUMNS,
    best_snippet,
    find_articles,
    index_values,
    match_expression,
    matched_tags,
    parse_query,
    snippet,
    snippet_text,
    tokens,
)

DIACRITISED = "قَالَتْ وِزَارَةُ الكَهْرَبَاءِ إِنَّ مُحَافَظَةَ حَلَب سَتَحْصُلُ عَلَى سَاعَاتٍ إِضَافِيَّةٍ"


def test_tokens_keep_offsets_in_the_original_text():
    toks = list(tokens(DIACRITISED))
    words = [DIACRITISED[t.start : t.end] for t in toks]
    assert words == DIACRITISED.split()  # harakat stay inside their word
    assert toks[2].exact == "الكهرباء" and toks[2].term == "كهرباء"
    assert toks[4].exact == "محافظه" and toks[4].term == "محافظ"
    english = [t.term for t in tokens("Farmers' fields, farming: al-Assad 10:30")]
    assert english == ["farmer", "field", "farm", "al", "assad", "10", "30"]


def index_of(records: dict[int, dict]) -> sqlite3.Connection:
    """An in-memory search index of ``records`` (rowid -> article fields), as the archive's."""
    conn = sqlite3.connect(":memory:")
    cols = ", ".join((*COLUMNS, *STEM_COLUMNS))
    conn.execute(
        f"CREATE VIRTUAL TABLE articles_fts USING fts5({cols}, "
        "tokenize='unicode61 remove_diacritics 2')"
    )
    for rowid, rec in records.items():
        conn.execute(
            f"INSERT INTO articles_fts (rowid, {cols}) VALUES (?{', ?' * 8})",
            [rowid, *index_values(rec)],
        )
    return conn


@pytest.fixture()
def fts():
    texts = {
        1: {"title": "وزارة الكهرباء", "body": DIACRITISED, "tags": ["حلب"]},
        2: {"title": "Farmers count losses", "body": "The farmer said power cuts hurt."},
        3: {"title": "بحلب", "body": "نشرت الأخبار 10:30 al-Assad في ٢٠٢٤ sana.sy"},
    }
    conn = index_of(texts)
    yield conn
    conn.close()


def _match(conn, query):
    expression = match_expression(query)
    rows = conn.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?", [expression])
    return sorted(r[0] for r in rows)


@pytest.mark.parametrize(
    "query, ids",
    [
        ("بالكهرباء", [1]),
        ("كهرباء", [1]),
        ("المحافظة", [1]),
        ("حلب", [1, 3]),  # the tag, and بحلب with its preposition
        ("بحلب", [1, 3]),
        ("farmer", [2]),
        ("farmers", [2]),
        ('"farmers"', [2]),  # the title has the exact word
        ('"farmer said"', [2]),
        ('"farmers said"', []),  # a phrase is the exact words
        ("farm*", [2]),
        ("title: farmer", [2]),
        ("body: farmers", [2]),
        ("title: سانا", []),
        ("farmer NOT power", []),
        ("farmer OR كهرباء", [1, 2]),
        ("al-Assad", [3]),
        ("10:30", [3]),
        ("٢٠٢٤", [3]),
        ("sana.sy", [3]),
        ("الأخبار", [3]),
    ],
)
def test_queries_match_words(fts, query, ids):
    assert _match(fts, query) == ids


def test_queries_never_raise_fts_syntax_errors(fts):
    atoms = [
        "a",
        "AND",
        "OR",
        "NOT",
        "(",
        ")",
        '"',
        "*",
        "title:",
        "body:x",
        "-",
        "al-Assad",
        "10:30",
        "sana.sy",
        "سَانَا",
        "NEAR",
        "NEAR(",
        '"x y"',
        ":",
        "^a",
        "x*",
        "{title}",
        "+",
        ",",
        "'",
        "\\",
        "\x00",
        '"a"*',
        "NOT*",
        "title:AND",
        "بالكهرباء",
        "title_stem:x",
    ]
    rng = random.Random(7)
    for _ in range(3000):
        query = " ".join(rng.choice(atoms) for _ in range(rng.randint(1, 7)))
        if rng.random() < 0.3:
            query = query.replace(" ", "")
        expression = match_expression(query)
        if expression:
            fts.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?", [expression])


def test_a_query_without_words_is_empty():
    for query in ("", "- : .", "()", "AND OR", '""'):
        assert match_expression(query) == ""


def test_snippet_is_in_the_articles_own_spelling():
    pieces = snippet(DIACRITISED, parse_query("الكهرباء المحافظه").highlighter)
    assert [t for t, matched in pieces if matched] == ["الكَهْرَبَاءِ", "مُحَافَظَةَ"]
    assert "".join(t for t, _ in pieces) == DIACRITISED  # nothing folded, nothing lost


def test_snippet_cuts_a_window_around_the_matches():
    body = " ".join(f"w{i}" for i in range(200)) + " electricity cuts " + "x " * 100
    text = snippet_text(best_snippet({"body": body}, parse_query("electricity").highlighter))
    assert text.startswith("…w196 w197 w198 w199 [electricity] cuts") and text.endswith("…")
    assert len(text.split()) == 30  # the window's words


def test_phrases_and_negated_words_in_highlights():
    text = "Power cuts in Aleppo; power returns and cuts again."
    phrase = snippet(text, parse_query('"power cuts" NOT Aleppo').highlighter)
    assert [t for t, m in phrase if m] == ["Power cuts"]  # not Aleppo, not the lone "cuts"


def test_best_snippet_falls_back_to_summary_title_then_the_start():
    h = parse_query("Hermon").highlighter
    assert snippet_text(best_snippet({"body": "No match.", "summary": "On Mount Hermon."}, h)) == (
        "On Mount [Hermon]."
    )
    start = best_snippet({"body": "Nothing to see here.", "title": "Title"}, h)
    assert snippet_text(start) == "Nothing to see here."


def test_a_match_through_a_tag_alone_says_which_tag(tmp_path):
    from archive.store import Archive

    h = parse_query("سوريا").highlighter
    tags = '["الاقتصاد السوري", "سوريا", "الليرة السورية", "دمشق"]'
    # The tags as written, the query's word marked (its adjective too, as in the text).
    assert [snippet_text(t) for t in matched_tags({"tags": tags}, h)] == [
        "الاقتصاد [السوري]",
        "[سوريا]",
        "الليرة [السورية]",
    ]
    with Archive(tmp_path / "a.db") as archive:
        archive.upsert(
            {
                "source": "aawsat-ar",
                "url": "https://aawsat.com/1",
                "title": "تراجع سعر الصرف في دمشق",
                "body": "تراجع سعر صرف الدولار في السوق الموازية خلال الأسبوع.",
                "language": "ar",
                "tags": ["سوريا", "اقتصاد"],
            }
        )
        archive.flush()
        (row,) = find_articles(archive.db.conn, "سوريا")
    assert not any(m for _, m in row["snippet"])  # nothing in the text...
    assert [snippet_text(t) for t in row["matched_tags"]] == ["[سوريا]"]  # ...the tag matched


def test_the_index_stems_as_the_queries_and_highlights_do():
    # index_values folds whole texts (fast); tokens() folds word by word (offsets).
    text = DIACRITISED + " سا\u200cنا ﻻ Café e\u0301té Farmers' 10:30 al-Assad ٢٠٢٤ المُسْتَشْفَيَاتِ"
    stems = index_values({"title": text})[len(COLUMNS)]
    assert stems == " ".join(t.term for t in tokens(text))


def test_the_folded_only_index_of_version_2_is_rebuilt_with_stems(tmp_path):
    from archive.store import Archive
    from archive.upgrade import _upgrade_from_2

    db = tmp_path / "archive.db"
    with Archive(db) as archive:
        aid = archive.upsert(
            {
                "source": "sana",
                "url": "https://sana.sy/1",
                "title": "الكهرباء",
                "body": "وَزَارَةُ الكَهْرَبَاءِ تُعْلِنُ جَدْوَلًا.",
                "language": "ar",
            }
        ).article_id
    conn = sqlite3.connect(db)
    with conn:  # the index as schema version 2 had it, then the upgrade step
        conn.execute("DROP TABLE articles_fts")
        conn.execute(
            "CREATE VIRTUAL TABLE articles_fts USING fts5(title, summary, body, tags, "
            "tokenize = 'unicode61 remove_diacritics 2')"
        )
        _upgrade_from_2(conn)
    conn.close()
    with Archive(db) as archive:
        assert [r["id"] for r in archive.search("بالكهرباء")] == [aid]
        columns = [r[1] for r in archive.db.execute("PRAGMA table_info(articles_fts)")]
        assert columns == [*COLUMNS, *STEM_COLUMNS]


def test_the_search_rows_of_a_batch_follow_its_upserts(tmp_path):
    """The index rows are written at the commit, in order: an article revised within the
    batch is found by its new words only, one whose upsert failed halfway (a capture
    whose compressed body is damaged, as a broken message would bring it) leaves no row,
    and the articles of the open batch are found by the writer's own search."""
    import zlib

    from archive.captures import Capture
    from archive.store import Archive

    def article(n, words):
        return {
            "url": f"https://sana.sy/en/{n}",
            "source": "sana-en",
            "title": f"Report {n}",
            "body": f"{words} " * 30,
            "language": "en",
        }

    db = tmp_path / "a.db"
    with Archive(db, batch_size=50) as archive:
        first = archive.upsert(article(1, "electricity rationing in Homs")).article_id
        archive.upsert(article(1, "water shortages in Hama"))  # revised in the same batch
        damaged = Capture(
            url="https://sana.sy/en/2", status=200, body=None, compressed=b"not zlib", size=100
        )
        with pytest.raises(zlib.error):
            archive.upsert(article(2, "bread prices in Aleppo"), capture=damaged)
        third = archive.upsert(article(3, "bread prices in Latakia")).article_id
        assert {a["id"] for a in archive.search("bread")} == {third}
        archive.upsert(article(4, "bread queues in Daraa"))
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT count(*) FROM articles_fts").fetchone()[0]
        articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        found = {
            word: [
                r[0]
                for r in conn.execute(
                    "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rowid",
                    [word],
                )
            ]
            for word in ("electricity", "water", "aleppo", "bread")
        }
    assert rows == articles == 3
    assert found["electricity"] == [] and found["water"] == [first]
    assert found["aleppo"] == [] and len(found["bread"]) == 2


@pytest.fixture()
def names():
    """Articles that name places in their different spellings (archive.gazetteer)."""
    texts = {
        1: "قال مسؤول في سوريا إن الكهرباء ستعود",
        2: "أعلنت وزارة الصحة في سورية عن حملة",
        3: "Shelling hit Deir ez-Zor overnight.",
        4: "Prices rose in Deir Ezzor this week.",
        5: "Aid reached Dayr al-Zawr by road.",
        6: "وصلت قافلة إلى دير الزور صباحاً",
        7: "Rain flooded camps near Idlib.",
        8: "أمطار غزيرة في ريف إدلب",
        9: "The Syrian government said so.",  # an adjective: not the name Syria
        10: "Traders in Albukamal and Abu Kamal crossing.",
    }
    conn = index_of({rowid: {"body": body} for rowid, body in texts.items()})
    yield conn
    conn.close()


def _found(conn, query, other_language=False):
    expression = match_expression(query, other_language)
    rows = conn.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?", [expression])
    return sorted(r[0] for r in rows)


@pytest.mark.parametrize(
    "queries, ids",
    [
        (["سوريا", "سورية", "بسوريا"], [1, 2]),
        (["Deir ez-Zor", "Deir Ezzor", "Dayr al-Zawr", "deir al zour"], [3, 4, 5]),
        (["Abu Kamal", "Albukamal"], [10]),
        (["Idlib", "Idleb"], [7]),
        (["دير الزور"], [6]),
    ],
)
def test_every_spelling_of_a_name_finds_the_others(names, queries, ids):
    for query in queries:
        assert _found(names, query) == ids, query


def test_names_in_the_other_language_on_request(names):
    assert _found(names, "Idlib") == [7]
    assert _found(names, "Idlib", other_language=True) == [7, 8]
    assert _found(names, "إدلب", other_language=True) == [7, 8]
    assert _found(names, "Deir Ezzor", other_language=True) == [3, 4, 5, 6]
    assert parse_query("Idlib", other_language=True).also == ["idleb", "إدلب"]


def test_a_quoted_name_an_adjective_or_another_word_is_looked_for_as_typed(names):
    assert _found(names, '"Deir Ezzor"') == [4]
    assert _found(names, "Syrian") == [9] and parse_query("Syrian").also == []
    assert _found(names, "Idlib NOT rain") == []
    assert _found(names, "flooded Idlib") == [7]
    # Highlights mark every spelling looked for.
    toks = list(tokens("Deir ez-Zor and Deir Ezzor"))
    assert len(parse_query("Dayr al-Zawr").highlighter.spans(toks)) == 2
