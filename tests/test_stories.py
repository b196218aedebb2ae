"""Stories: copies and translations of one report linked, other events of the day not.

The floors are checked on the labelled pairs (tests/fixtures/stories/pairs.json)
through a real archive, as benchmarks/bench_stories.py measures them; the rest
checks the parts: anchors across scripts, explicit links in pages (whichever
article arrives first), revisions, and the upgrade of an older archive.
"""

from __future__ import annotations

import functools
import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from archive import stories
from archive.gazetteer import ENTRIES, WEIGHTS
from archive.schema import SCHEMA_VERSION
from archive.store import Archive
from benchmarks.bench_stories import archived, labelled_articles, load_pairs, scores
from tests.schema_versions import archive_as_schema, schema_version

WIRE = (
    "Deir Ezzor, Dec. 11 (SANA) – The Albukamal–Al-Qaim border crossing between Syria and "
    "Iraq reopened on Thursday to trucks and travellers, after being closed to commercial "
    "traffic for more than a year. The General Authority for Land and Sea Ports said the "
    "crossing will operate 12 hours a day and is expected to handle about 400 trucks a day in "
    "the first phase, rising to 1,000 once the new customs hall is completed."
)
ARABIC = (
    "أعيد اليوم افتتاح معبر البوكمال – القائم الحدودي بين سوريا والعراق أمام حركة الشاحنات "
    "والمسافرين. وأوضحت الهيئة أن المعبر سيعمل 12 ساعة يومياً ومن المتوقع أن يستوعب نحو 400 "
    "شاحنة يومياً، على أن يرتفع العدد إلى 1000 شاحنة بعد إنجاز صالة الجمارك الجديدة."
)


def record(url, body, language="en", title="Crossing reopens", **extra):
    return {
        "url": url,
        "source": extra.pop("source", "sana-en"),
        "title": title,
        "body": body,
        "language": language,
        "published": "2025-12-11T10:00:00+03:00",
        **extra,
    }


def test_labelled_pairs_meet_the_floors(tmp_path):
    pairs = load_pairs()
    assert len(pairs) >= 300
    assert any("hard negative" in p["why"] for p in pairs)
    linked, _ms = archived(labelled_articles(), tmp_path / "stories.db")
    result = scores(pairs, linked)
    one, across = result["same-language"], result["cross-language"]
    assert one["positives"] >= 15 and across["positives"] >= 30
    assert one["precision"] >= 0.95 and one["recall"] >= 0.90, one
    assert across["precision"] >= 0.95 and across["recall"] >= 0.70, across


def test_anchors_survive_script_clitics_and_number_forms():
    english = stories.anchors(
        "Trucks crossed at Nassib into Aleppo: 1,200 on Sept. 29, "
        "worth $1.5 million; four hundred more.",
        "en",
    )
    arabic = stories.anchors(
        "عبرت ١٢٠٠ شاحنة معبر نصيب بحلب في 29 أيلول بقيمة 1.5 مليون دولار، وأربعمئة أخرى.", "ar"
    )
    for key in ("g:nassib", "g:aleppo", "n:1200", "d:09-29", "n:1500000", "n:400"):
        assert key in english and key in arabic, key
    # A bare word that looks like a name is not one: شرع ("began") is not al-Sharaa.
    assert "g:ahmed-al-sharaa" not in stories.anchors("شرع العمال في الإصلاح", "ar")
    assert "g:ahmed-al-sharaa" in stories.anchors("قال الرئيس أحمد الشرع", "ar")


def _texts(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict | list):
        for item in value.values() if isinstance(value, dict) else value:
            yield from _texts(item)


@functools.cache
def corpus_texts() -> tuple[str, ...]:
    """Every text of the public corpora's expected answers (tests/corpora/*/*.json), in
    file order: real pages' titles, bodies and bylines in many languages."""
    corpora = Path(__file__).parent / "corpora"
    return tuple(
        t for p in sorted(corpora.rglob("*.json")) for t in _texts(json.loads(p.read_text("utf-8")))
    )


def test_english_names_are_found_as_the_regular_expression_found_them():
    """The automaton and its rules give the keys the 345-way regular expression gave, on
    the corpora's texts (every language: names hide in any Latin text) and on the edges:
    articles, plurals, words a name begins or ends, overlaps."""
    import re

    from archive.stories.anchors import english_names, english_spellings

    spellings, _acronyms = english_spellings()
    reference = re.compile(
        r"(?<![a-z0-9])(?:al |el |as |ar |ad )?("
        + "|".join(map(re.escape, sorted(spellings, key=len, reverse=True)))
        + r")s?(?![a-z0-9])"
    )
    texts = [t.casefold() for t in corpus_texts() if len(t) > 40]
    texts += [
        "al assad and el assad, the assads; aleppo's aleppos aleppox xaleppo",
        "deir ez zor, deir ez zors, deir ez zorx; al deir ez zor; al  damascus",
        "idlibs idlib2 2idlib idlib idlib; raqqa raqqas raqqa",
    ]
    texts += [" ".join(names) for names in zip(*[iter(sorted(spellings))] * 3, strict=False)]
    assert len(texts) > 500
    matched = 0
    for text in texts:
        expected = [spellings[m.group(1)] for m in reference.finditer(text)]
        assert english_names(text) == expected, text[:200]
        matched += bool(expected)
    assert matched > 100, (len(texts), matched)


def test_english_dates_and_blanks_are_found_as_the_lookbehinds_found_them():
    """_english_dates checks after the search what lookbehinds checked during it, and
    _BLANKS leaves single spaces alone: the same answers, on the corpora and the edges."""
    import re

    from archive.stories.anchors import _BLANKS, _EN_MONTH, _english_dates

    reference = re.compile(
        rf"(?<![a-z]){_EN_MONTH}\s+(\d{{1,2}})(?!\d)|(?<!\d)(\d{{1,2}})\s+{_EN_MONTH}(?![a-z])"
    )
    texts = [t.casefold() for t in corpus_texts() if len(t) > 40]
    texts += [
        "123 may 5, 12 may, xmay 5, may 55, 5 mayo, on 3 june and june 3; sept. 11 \t  dec 1",
        "١٢ may and may ١٢; 2 jan\t\t3 feb;  ",
    ]
    dated = 0
    for text in texts:
        expected = [m.span() for m in reference.finditer(text)]
        assert [m.span() for m in _english_dates(text)] == expected, text[:200]
        assert _BLANKS.sub(" ", text) == re.sub(r"[ \t]+", " ", text)
        dated += bool(expected)
    assert dated > 100, (len(texts), dated)


def test_gazetteer_entries_are_well_formed():
    keys = [key for key, *_ in ENTRIES]
    assert len(keys) == len(set(keys))
    for key, kind, english, arabic in ENTRIES:
        assert kind in ("common", "place", "person", "org", "topic"), key
        assert english and arabic, key
        assert all(name == name.lower() or len(name) <= 4 for name in english), key


def test_page_links_finds_hreflang_and_credit_links():
    page = (
        b'<html><head><link rel="alternate" hreflang="ar" href="https://sana.sy/economy/1/" />'
        b'<link rel="alternate" hreflang="x-default" href="https://sana.sy/en/economy/2/" />'
        b"</head><body><p>Text.</p><p>This article was translated from Arabic. "
        b'<a href="https://www.enabbaladi.net/768950/">Read the original</a></p>'
        b'<p><a href="/en/economy/3/">Related</a></p></body></html>'
    )
    links = stories.page_links(page, "https://sana.sy/en/economy/2/")
    assert links == [
        ("https://sana.sy/economy/1/", "hreflang"),
        ("https://www.enabbaladi.net/768950/", "translated-from"),
    ]


@pytest.mark.parametrize("english_first", [True, False])
def test_an_hreflang_link_joins_articles_whichever_comes_first(tmp_path, english_first):
    from archive.captures import Capture

    en_url, ar_url = "https://sana.sy/en/economy/2/", "https://sana.sy/economy/1/"
    page = f'<link rel="alternate" hreflang="ar" href="{ar_url}" />'.encode()
    # Texts with nothing in common: only the link can join them.
    english = record(en_url, "Officials met. " * 30, title="A meeting")
    arabic = record(ar_url, "اجتمع المسؤولون. " * 30, "ar", title="اجتماع", source="sana-ar")
    with Archive(tmp_path / "a.db") as archive:
        steps = [
            lambda: archive.upsert(english, capture=Capture(url=en_url, status=200, body=page)),
            lambda: archive.upsert(arabic),
        ]
        results = [step() for step in (steps if english_first else steps[::-1])]
        archive.flush()
        rows = archive.db.execute(
            "SELECT article_id, method FROM story_articles ORDER BY article_id"
        ).fetchall()
    assert {r[0] for r in rows} == {r.article_id for r in results}
    assert {m for _, m in rows} == {"first", "hreflang"}


def test_a_trimmed_copy_and_a_translation_join_one_story_and_a_revision_keeps_it(tmp_path):
    other_event = record(
        "https://e.org/fire",
        "A fire broke out in a bakery in Qamishli on Thursday, injuring "
        "two workers, local sources said. " * 3,
        title="Bakery fire",
        source="npasyria",
    )
    with Archive(tmp_path / "a.db") as archive:
        _sync_registry(archive)
        wire = archive.upsert(record("https://sana.sy/en/1/", WIRE)).article_id
        copy = archive.upsert(
            record(
                "https://k24.example/2",
                WIRE.split(". The General")[0] + ".",
                title="Border crossing reopens",
                source="kurdistan24",
            )
        ).article_id
        arabic = archive.upsert(
            record("https://sana.sy/1/", ARABIC, "ar", title="افتتاح المعبر", source="sana-ar")
        ).article_id
        fire = archive.upsert(other_event).article_id
        revised = archive.upsert(record("https://sana.sy/en/1/", WIRE + " Traders welcomed it."))
        archive.flush()
        story = dict(archive.db.execute("SELECT article_id, story_id FROM story_articles"))
        row = archive.db.execute("SELECT articles, outlets, languages FROM stories").fetchone()
    assert revised.outcome.value == "revised"
    assert story[wire] == story[copy] == story[arabic]
    assert fire not in story
    # SANA's English and Arabic services are one outlet: SANA and Kurdistan24.
    assert row[0] == 3 and row[1] == 2 and set(row[2].split(",")) == {"en", "ar"}


def _sync_registry(archive: Archive, **outlets: str) -> None:
    """The built-in registry's sources in the archive, as a crawl writes them; ``outlets``
    gives sources (by id, ``-`` as ``_``) another outlet."""
    from scraper.sources import load_registry

    rows = [s.row() for s in load_registry().values()]
    archive.sync_sources(
        dict(r, outlet=outlets.get(r["id"].replace("-", "_"), r["outlet"])) for r in rows
    )


def _outlet_figures(archive: Archive) -> list[tuple[int, int]]:
    return archive.db.execute("SELECT articles, outlets FROM stories ORDER BY id").fetchall()


def test_the_registry_names_the_outlet_of_each_edition():
    from scraper.sources import load_registry

    registry = load_registry()
    assert registry["sana-en"].outlet == registry["sana-ar"].outlet == "SANA"
    assert registry["enabbaladi-en"].outlet == registry["enabbaladi-ar"].outlet == "Enab Baladi"
    # By default a source is an outlet of its own, named by its name.
    assert registry["kurdistan24"].outlet == registry["kurdistan24"].name == "Kurdistan24"
    assert registry["sana-ar"].row()["outlet"] == "SANA"


def test_an_outlet_translating_itself_is_one_outlet_and_a_renamed_outlet_is_recounted(
    tmp_path,
):
    with Archive(tmp_path / "a.db") as archive:
        _sync_registry(archive)
        archive.upsert(record("https://sana.sy/en/1/", WIRE))
        archive.upsert(
            record("https://sana.sy/1/", ARABIC, "ar", title="افتتاح المعبر", source="sana-ar")
        )
        archive.flush()
        assert _outlet_figures(archive) == [(2, 1)]
        assert stories.summary(archive.db.conn)["several_outlets"] == 0
        # The registry says otherwise: that source's stories are counted again.
        _sync_registry(archive, sana_ar="SANA Arabic")
        assert _outlet_figures(archive) == [(2, 2)]
        assert stories.outlet_of(archive.db.conn, "sana-ar") == "SANA Arabic"
        _sync_registry(archive)
        assert _outlet_figures(archive) == [(2, 1)]
        # A copy by another outlet joins: two outlets, counted as it joins.
        archive.upsert(
            record(
                "https://k24.example/2",
                WIRE.split(". The General")[0] + ".",
                title="Border crossing reopens",
                source="kurdistan24",
            )
        )
        archive.flush()
        assert _outlet_figures(archive) == [(3, 2)]
        assert stories.summary(archive.db.conn)["several_outlets"] == 1
        # A source the archive has no row for is an outlet of its own, named by its id.
        assert stories.outlet_of(archive.db.conn, "unknown-source") == "unknown-source"


def test_an_archive_of_schema_9_counts_outlets_not_sources(tmp_path):
    db = tmp_path / "a.db"
    with Archive(db) as archive:
        _sync_registry(archive)
        archive.upsert(record("https://sana.sy/en/1/", WIRE))
        archive.upsert(
            record("https://sana.sy/1/", ARABIC, "ar", title="افتتاح المعبر", source="sana-ar")
        )
    with archive_as_schema(db, 9) as conn:  # sources counted as outlets
        conn.execute("DROP INDEX idx_story_outlets_source")
        for table in ("story_outlets", "sources"):
            conn.execute(f"ALTER TABLE {table} DROP COLUMN outlet")
        conn.execute("UPDATE sources SET name = 'SANA' WHERE id = 'sana-en'")
        conn.execute("UPDATE stories SET outlets = 2")
    with Archive(db) as archive:
        assert schema_version(db) == SCHEMA_VERSION
        # Counted again by the sources' names (the registry's outlets are not known yet).
        assert archive.db.execute("SELECT source, outlet FROM story_outlets").fetchall() == [
            ("sana-ar", "سانا (SANA, Syrian Arab News Agency, Arabic)"),
            ("sana-en", "SANA"),
        ]
        assert _outlet_figures(archive) == [(2, 2)]
        _sync_registry(archive)  # what the next crawl of the source does
        assert _outlet_figures(archive) == [(2, 1)]


def test_an_archive_of_schema_4_gets_its_stories_linked(tmp_path):
    db = tmp_path / "a.db"
    with Archive(db) as archive:
        archive.upsert(record("https://sana.sy/en/1/", WIRE))
        archive.upsert(record("https://sana.sy/1/", ARABIC, "ar", title="افتتاح", source="sana-ar"))
    with archive_as_schema(db, 4) as conn:
        for table in (
            "story_articles",
            "stories",
            "story_docs",
            "story_bands",
            "story_anchors",
            "story_links",
        ):
            conn.execute(f"DROP TABLE {table}")
    with Archive(db) as archive:
        rows = archive.db.execute("SELECT method FROM story_articles ORDER BY article_id")
        assert [r[0] for r in rows] == ["first", "cross-language"]


def test_the_lsh_bands_are_datasketchs_choice_for_the_threshold():
    from datasketch import MinHashLSH

    from archive import stories

    lsh = MinHashLSH(threshold=stories.LSH_THRESHOLD, num_perm=stories.NUM_PERM)
    assert (lsh.b, lsh.r) == (stories.BANDS, stories.ROWS)


def test_the_signatures_are_datasketchs_minhash():
    """The MinHash computed with NumPy is datasketch's, value for value (archives keep
    the signatures): on the corpora's texts, a short one and an empty one."""
    import zlib

    from datasketch import MinHash

    from archive.hashes import shingles
    from archive.stories.text import NUM_PERM, _signature

    texts = [t for t in corpus_texts() if len(t) > 200][:200] + ["one two three four", ""]
    for text in texts:
        encoded = {s.encode("utf-8") for s in shingles(text)}
        reference = MinHash(num_perm=NUM_PERM, seed=1, hashfunc=int)
        reference.update_batch([zlib.crc32(s) for s in encoded])
        assert reference.scheme == "affine32"
        assert _signature(encoded).tolist() == reference.hashvalues.astype("uint32").tolist()


def _daily_report(day: int) -> dict:
    """Day ``day`` of a running report: five sentences of the day before and one new, so
    each day's article is a near copy of the day before's, and a week apart they share
    nothing: linked one by one, they would chain into one story of a season."""
    villages = ["Kafr Nabl", "Maarat al-Numan", "Saraqib", "Ariha", "Jisr al-Shughur"]
    sentences = [
        f"On day {n} shelling hit {villages[n % 5]} in the Idlib countryside, killing "
        f"{n + 3} civilians and wounding {2 * n + 7} others, the civil defence said."
        for n in range(day, day + 6)
    ]
    published = f"2025-03-{1 + day:02d}T09:00:00+00:00"
    return record(
        f"https://npasyria.example/report-{day}/",
        " ".join(sentences),
        title="Shelling in the Idlib countryside",
        source="npasyria",
        published=published,
    )


def _recount(conn: sqlite3.Connection) -> list[tuple]:
    return conn.execute(
        "SELECT sa.story_id, count(*), count(DISTINCT a.source), min(a.published), "
        "max(a.published), min(d.day), max(d.day) FROM story_articles sa "
        "JOIN articles a ON a.id = sa.article_id JOIN story_docs d USING (article_id) "
        "GROUP BY sa.story_id ORDER BY sa.story_id"
    ).fetchall()


def test_daily_reports_do_not_chain_past_the_story_window_and_figures_match_a_recount(tmp_path):
    with Archive(tmp_path / "a.db") as archive:
        ids = [archive.upsert(_daily_report(day)).article_id for day in range(25)]
        archive.flush()
        conn = archive.db.conn
        story = dict(conn.execute("SELECT article_id, story_id FROM story_articles"))
        kept = conn.execute(
            "SELECT id, articles, outlets, first_published, last_published, first_day, "
            "last_day FROM stories ORDER BY id"
        ).fetchall()
        recounted = _recount(conn)
    assert story[ids[0]] == story[ids[1]]  # the next day's near copy joins
    assert len(kept) >= 3
    assert all(last - first <= stories.STORY_WINDOW_DAYS for *_, first, last in kept)
    assert kept == recounted


@pytest.mark.parametrize("days_apart", [0, 40])
def test_an_hreflang_link_joins_a_translation_whatever_the_days_between(tmp_path, days_apart):
    from archive.captures import Capture

    en_url, ar_url = "https://sana.sy/en/economy/2/", "https://sana.sy/economy/1/"
    page = f'<link rel="alternate" hreflang="ar" href="{ar_url}" />'.encode()
    english = record(en_url, "Officials met. " * 30, title="A meeting")
    arabic = record(
        ar_url,
        "اجتمع المسؤولون. " * 30,
        "ar",
        title="اجتماع",
        source="sana-ar",
        published=f"2025-{10 if days_apart else 12}-11T10:00:00+03:00",
    )
    with Archive(tmp_path / "a.db") as archive:
        archive.upsert(arabic)
        archive.upsert(english, capture=Capture(url=en_url, status=200, body=page))
        archive.flush()
        first, last = archive.db.execute("SELECT first_day, last_day FROM stories").fetchone()
    assert last - first >= days_apart


def test_an_article_joins_a_story_it_matches_not_one_loose_member(tmp_path):
    import random

    rng = random.Random(5)
    vocabulary = (
        "residents tailor road market bridge carpenter drivers queue morning evening "
        "district street week committee plan repairs workers shop taxi bus families "
        "neighbours corner square garden library tailor carpenter window door roof"
    ).split()
    blocks = [" ".join(rng.choices(vocabulary, k=60)) for _ in range(6)]
    # Each article carries three blocks, two of them the one before's: a neighbour's
    # near copy, but the fourth shares one block with the second and none with the first.
    texts = [" ".join(blocks[i : i + 3]) for i in range(4)]
    titles = ["Corner queues", "Bridge repairs", "Library opens", "Taxi fares"]
    with Archive(tmp_path / "a.db") as archive:
        ids = [
            archive.upsert(
                record(
                    f"https://outlet{i}.example/1",
                    text,
                    title=titles[i],
                    source=("npasyria", "kurdistan24", "snhr", "syriadirect")[i],
                )
            ).article_id
            for i, text in enumerate(texts)
        ]
        archive.flush()
        story = dict(archive.db.execute("SELECT article_id, story_id FROM story_articles"))
        docs = [
            stories.document(record("https://x.example", text, title=title))
            for text, title in zip(texts, titles, strict=True)
        ]
    assert stories.compare(docs[3], docs[2]) is not None  # it matches its neighbour...
    assert stories.compare(docs[3], docs[1]) is None  # ...but not the rest of the story
    assert stories.compare(docs[3], docs[0]) is None
    assert story[ids[0]] == story[ids[1]] == story[ids[2]]
    assert ids[3] not in story


def test_a_kill_before_the_linking_pass_loses_nothing(tmp_path):
    """Articles committed by a writer killed before its linking pass are linked by the
    next pass (here `newsarchive stories`), and --rebuild links them the same way."""
    import os
    import subprocess
    import sys

    db = tmp_path / "a.db"
    script = f"""
import os
import re
from archive.store import Archive
from tests.test_stories import record, WIRE, ARABIC
archive = Archive({str(db)!r})
archive.upsert(record("https://sana.sy/en/1/", WIRE))
archive.upsert(record("https://k24.example/2", WIRE, source="kurdistan24"))
archive.upsert(record("https://sana.sy/1/", ARABIC, "ar", title="افتتاح", source="sana-ar"))
archive.db.conn.execute("COMMIT")  # the batch is committed...
os.kill(os.getpid(), 9)  # ...and the writer killed before it links
"""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    killed = subprocess.run([sys.executable, "-c", script], cwd=root, check=False)
    assert killed.returncode == -9
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 3
    assert conn.execute("SELECT count(*) FROM story_articles").fetchone()[0] == 0
    assert stories.pending(conn) == 3
    conn.close()
    from click.testing import CliRunner

    from scraper.cli import cli

    result = CliRunner().invoke(cli, ["stories", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "3 articles went through the linking pass, 2 linked to an earlier one" in result.output
    conn = sqlite3.connect(db)
    linked = conn.execute("SELECT article_id, story_id, method FROM story_articles").fetchall()
    assert len(linked) == 3 and stories.pending(conn) == 0
    conn.close()
    again = CliRunner().invoke(cli, ["stories", "--rebuild", "--db", str(db)])
    assert again.exit_code == 0, again.output
    conn = sqlite3.connect(db)
    relinked = conn.execute("SELECT article_id, method FROM story_articles").fetchall()
    assert sorted(relinked) == sorted((a, m) for a, _s, m in linked)
    assert "1 stories hold 3 articles; the largest has 3" in again.output


def test_an_archive_of_schema_6_gets_its_stories_linked_again(tmp_path):
    db = tmp_path / "a.db"
    with Archive(db) as archive:
        ids = [archive.upsert(_daily_report(day)).article_id for day in range(12)]
    with archive_as_schema(db, 6) as conn:
        conn.execute("DROP INDEX idx_story_docs_seq")
        for table, column in (
            ("story_docs", "seq"),
            ("stories", "first_day"),
            ("stories", "last_day"),
        ):
            conn.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
        conn.execute("DROP TABLE story_outlets")
        conn.execute("DELETE FROM meta WHERE key = 'stories_linked'")
        # One story of every article, as version 6 chained them.
        conn.execute("DELETE FROM story_articles")
        conn.execute("DELETE FROM stories")
        conn.execute(
            "INSERT INTO stories (id, first_article, articles, outlets, created, updated) "
            "VALUES (1, ?, 12, 1, '', '')",
            [ids[0]],
        )
        conn.executemany(
            "INSERT INTO story_articles (article_id, story_id, method, linked_at) "
            "VALUES (?, 1, 'same-language', '')",
            [(i,) for i in ids],
        )
        for band in range(4):  # version 6's band indexes, without the simhash
            conn.execute(f"DROP INDEX idx_articles_band{band}")
            conn.execute(f"CREATE INDEX idx_articles_band{band} ON articles(band{band})")
    with Archive(db) as archive:
        (index,) = archive.db.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'idx_articles_band2'"
        ).fetchone()
        assert "band2, simhash" in index
        spans = archive.db.execute("SELECT last_day - first_day FROM stories").fetchall()
        assert len(spans) >= 2 and max(s for (s,) in spans) <= stories.STORY_WINDOW_DAYS
        assert archive.db.execute("SELECT count(*) FROM story_outlets").fetchone()[0] == len(spans)


def test_an_archive_of_schema_7_keeps_its_story_index_week_first(tmp_path):
    """Version 8 put the week before the key in story_bands and story_anchors: the rows of
    a version 7 archive are moved, and an article stored after the upgrade finds them."""
    db = tmp_path / "a.db"
    with Archive(db) as archive:
        first = archive.upsert(_daily_report(0)).article_id
    with archive_as_schema(db, 7) as conn:
        before = {}
        for table, extra in (("story_bands", ""), ("story_anchors", ", weight REAL NOT NULL")):
            before[table] = conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2, 3, 4").fetchall()
            columns = "key, day, article_id" + (", weight" if extra else "")
            conn.execute(f"ALTER TABLE {table} RENAME TO old")
            conn.execute(
                f"CREATE TABLE {table} (key INTEGER NOT NULL, day INTEGER NOT NULL, article_id "
                f"INTEGER NOT NULL{extra}, PRIMARY KEY (key, day, article_id)) WITHOUT ROWID"
            )
            conn.execute(f"INSERT INTO {table} SELECT {columns} FROM old")
            conn.execute("DROP TABLE old")
    assert before["story_bands"] and before["story_anchors"]
    with Archive(db) as archive:
        for table, rows in before.items():
            upgraded = archive.db.execute(f"SELECT * FROM {table} ORDER BY 1, 2, 3, 4").fetchall()
            assert upgraded == rows
            assert all(row[0] == row[2] // 7 for row in upgraded)  # week, key, day, ...
        second = archive.upsert(_daily_report(1)).article_id
        archive.flush()
        assert stories.story_of(archive.db.conn, second) == stories.story_of(archive.db.conn, first)
        assert stories.story_of(archive.db.conn, first) is not None


@pytest.mark.slow
def test_the_demo_archive_counts_outlets_on_every_page(tmp_path):
    """The offline copies crawled as `newsarchive demo` does: an outlet's English and
    Arabic editions of one report are one outlet, on the stories page and the article
    page; the story four outlets reported says 4."""
    import asyncio

    from archive.serve import make_datasette
    from scraper.offline.server import MirrorServer
    from tests.conftest import SITES, crawl, site_copy

    db = tmp_path / "demo.db"
    sources = sorted(d.name for d in SITES.iterdir() if (d / "site.toml").exists())
    with MirrorServer([site_copy(s) for s in sources]) as server:
        crawl(server, db, sources)
    with Archive(db) as archive:
        rows = archive.db.execute(
            "SELECT s.id, s.outlets, count(DISTINCT o.source), count(DISTINCT x.outlet) "
            "FROM stories s JOIN story_outlets o ON o.story_id = s.id "
            "JOIN sources x ON x.id = o.source GROUP BY s.id"
        ).fetchall()
    assert rows and all(outlets == distinct for _id, outlets, _sources, distinct in rows)
    translating_itself = [r for r in rows if r[2] == 2 and r[3] == 1]
    assert len(translating_itself) >= 3  # SANA's and Enab Baladi's own translations
    assert max(r[1] for r in rows) == 4  # SANA's two services and three other outlets

    ds = make_datasette(db)

    def get(path):
        response = asyncio.run(ds.client.get(path))
        assert response.status_code == 200, response.text[:2000]
        return response

    several = get("/demo/same_story.json?_shape=objects").json()["rows"]
    assert several and all(r["outlets"] >= 2 for r in several)
    conn = sqlite3.connect(db)
    firsts = {
        conn.execute("SELECT first_article FROM stories WHERE id = ?", [r[0]]).fetchone()[0]
        for r in translating_itself
    }
    conn.close()
    assert not {r["article"] for r in several} & firsts  # not "several outlets"
    (largest,) = [r for r in several if r["outlets"] == 4]
    assert largest["reported_by"].count(", ") == 3 and "SANA" in largest["reported_by"].split(", ")
    page = get(f"/demo/articles/{largest['article']}").text
    assert "This story: 5 articles from 4 outlets, in " in page
    one = min(firsts)
    assert "This story: 2 articles from 1 outlet, in " in get(f"/demo/articles/{one}").text


def test_a_users_gazetteer_adds_and_replaces_entries(tmp_path):
    from archive.gazetteer import load

    mine = tmp_path / "my-names.toml"
    mine.write_text(
        'adjectives = ["salqini"]\n'
        '[entries.salqin]\nkind = "place"\nen = ["salqin", "salqini"]\nar = ["سلقين"]\n'
        '[entries.aleppo]\nkind = "place"\nen = ["aleppo", "haleb"]\nar = ["حلب"]\n',
        encoding="utf-8",
    )
    builtin, _, _, builtin_adjectives = load()
    entries, weights, named, adjectives = load([mine])
    by_key = {key: entry for key, *entry in entries}
    assert by_key["salqin"] == ["place", ("salqin", "salqini"), ("سلقين",)]
    assert by_key["aleppo"][1] == ("aleppo", "haleb")
    # Replaced in its place, added at the end, the rest as built in.
    assert [key for key, *_ in entries] == [key for key, *_ in builtin] + ["salqin"]
    assert adjectives == builtin_adjectives | {"salqini"}
    assert weights == WEIGHTS and "place" in named


def test_the_gazetteer_environment_variable_names_the_users_files(tmp_path):
    mine = tmp_path / "names.toml"
    mine.write_text(
        '[entries.salqin]\nkind = "place"\nen = ["salqin"]\nar = ["سلقين"]\n', encoding="utf-8"
    )
    code = "from archive.gazetteer import ENTRIES; print([k for k, *_ in ENTRIES][-1])"
    env = {**os.environ, "NEWSARCHIVE_GAZETTEER": str(mine)}
    found = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert found.stdout.strip() == "salqin"


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ('[entries.x]\nkind = "city"\nen = ["x"]\nar = ["س"]\n', "entries.x: 'kind' must be"),
        ('[entries.x]\nkind = "place"\nen = []\nar = ["س"]\n', "entries.x: 'en' must be"),
        ('[entries.x]\nkind = "place"\nen = ["Manbij"]\nar = ["س"]\n', "lower case"),
        ('[entries.x]\nkind = "place"\nen = ["x"]\nar = ["س"]\nnote = 1\n', "unknown field"),
        ("[weights]\nplace = 9\n", "entries.KEY] tables and adjectives only"),
        ("[entries.x\n", "not valid TOML"),
    ],
)
def test_a_bad_gazetteer_file_is_a_clear_error(tmp_path, text, error):
    from archive.gazetteer import GazetteerError, load

    bad = tmp_path / "bad.toml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(GazetteerError, match=re.escape(error)) as raised:
        load([bad])
    assert str(bad) in str(raised.value)


def _anchor_rows(db: Path, rows: list[tuple[str, int, int, float]]) -> sqlite3.Connection:
    """An archive whose story index holds these (anchor, day, article id, weight) rows."""
    from archive.stories.index import _anchor_key, week

    Archive(db).close()
    conn = sqlite3.connect(db)
    conn.executemany(
        "INSERT INTO story_anchors (week, key, day, article_id, weight) VALUES (?, ?, ?, ?, ?)",
        [(week(day), _anchor_key(anchor), day, article, w) for anchor, day, article, w in rows],
    )
    return conn


def _doc(day: int, anchors: dict[str, float]) -> stories.StoryDoc:
    import numpy as np

    return stories.StoryDoc("s", "en", day, 0, np.zeros(0, np.uint32), anchors, frozenset())


def test_anchor_candidates_come_through_the_anchors_few_articles_have(tmp_path):
    """An anchor in ANCHOR_KEY_CAP or more articles of the window finds no candidates and
    is remembered as common for that day; a rare one's articles come, most weight first,
    whether the common anchor is read in full (no neighbouring day known) or only up to
    the cap (found common the day before)."""
    from archive.stories.index import ANCHOR_KEY_CAP, _anchor_candidates, _anchor_key

    day = 739_000
    many = [("g:syria", day, n, 1.0) for n in range(1, ANCHOR_KEY_CAP + 6)]
    rare = [("p:ali hassan", day, 501, 2.0), ("p:ali hassan", day, 502, 2.0)]
    rare.append(("n:17", day, 502, 1.0))
    conn = _anchor_rows(tmp_path / "a.db", many + rare)
    anchors = {"g:syria": 1.0, "p:ali hassan": 2.0, "n:17": 1.0}
    common: set[tuple[int, int]] = set()
    assert _anchor_candidates(conn, 1000, _doc(day, anchors), common) == [502, 501]
    assert common == {(_anchor_key("g:syria"), day)}
    # The next day: the common anchor is read only up to the cap, with the same answer.
    assert _anchor_candidates(conn, 1001, _doc(day + 1, anchors), common) == [502, 501]
    assert (_anchor_key("g:syria"), day + 1) in common
    # Only articles stored before this one count: below the cap, the anchor finds them.
    few: set[tuple[int, int]] = set()
    assert _anchor_candidates(conn, 3, _doc(day, {"g:syria": 1.0}), few) == [1, 2]
    assert not few
