"""Stories: copies and translations of one report linked, other events of the day not.

The floors are checked on the labelled pairs (tests/fixtures/stories/pairs.json)
through a real archive, as benchmarks/bench_stories.py measures them; the rest
checks the parts: anchors across scripts, explicit links in pages (whichever
article arrives first), revisions, and the upgrade of an older archive.
"""

from __future__ import annotations

import sqlite3

import pytest

from archive import stories
from archive.gazetteer import ENTRIES
from archive.store import Archive
from benchmarks.bench_stories import archived, labelled_articles, load_pairs, scores

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
    return {"url": url, "source": extra.pop("source", "sana-en"), "title": title, "body": body,
            "language": language, "published": "2025-12-11T10:00:00+03:00", **extra}  # fmt: skip


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
    english = stories.anchors("Trucks crossed at Nassib into Aleppo: 1,200 on Sept. 29, "
                              "worth $1.5 million; four hundred more.", "en")  # fmt: skip
    arabic = stories.anchors("عبرت ١٢٠٠ شاحنة معبر نصيب بحلب في 29 أيلول بقيمة 1.5 مليون دولار، "
                             "وأربعمئة أخرى.", "ar")  # fmt: skip
    for key in ("g:nassib", "g:aleppo", "n:1200", "d:09-29", "n:1500000", "n:400"):
        assert key in english and key in arabic, key
    # A bare word that looks like a name is not one: شرع ("began") is not al-Sharaa.
    assert "g:ahmed-al-sharaa" not in stories.anchors("شرع العمال في الإصلاح", "ar")
    assert "g:ahmed-al-sharaa" in stories.anchors("قال الرئيس أحمد الشرع", "ar")


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
        "https://e.org/fire", "A fire broke out in a bakery in Qamishli on Thursday, injuring "
        "two workers, local sources said. " * 3, title="Bakery fire", source="npasyria",
    )  # fmt: skip
    with Archive(tmp_path / "a.db") as archive:
        wire = archive.upsert(record("https://sana.sy/en/1/", WIRE)).article_id
        copy = archive.upsert(
            record("https://k24.example/2", WIRE.split(". The General")[0] + ".",
                   title="Border crossing reopens", source="kurdistan24")  # fmt: skip
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
    assert row[0] == 3 and row[1] == 3 and set(row[2].split(",")) == {"en", "ar"}


def test_an_archive_of_schema_4_gets_its_stories_linked(tmp_path):
    db = tmp_path / "a.db"
    with Archive(db) as archive:
        archive.upsert(record("https://sana.sy/en/1/", WIRE))
        archive.upsert(record("https://sana.sy/1/", ARABIC, "ar", title="افتتاح", source="sana-ar"))
    conn = sqlite3.connect(db)
    for table in ("story_articles", "stories", "story_docs", "story_bands", "story_anchors",
                  "story_links"):  # fmt: skip
        conn.execute(f"DROP TABLE {table}")
    conn.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    with Archive(db) as archive:
        rows = archive.db.execute("SELECT method FROM story_articles ORDER BY article_id")
        assert [r[0] for r in rows] == ["first", "cross-language"]


def test_the_lsh_bands_are_datasketchs_choice_for_the_threshold():
    from datasketch import MinHashLSH

    from archive import stories

    lsh = MinHashLSH(threshold=stories.LSH_THRESHOLD, num_perm=stories.NUM_PERM)
    assert (lsh.b, lsh.r) == (stories.BANDS, stories.ROWS)
