"""archive.fingerprints: made once in the extraction worker, carried as one value, checked by
the writer and never computed again there."""

from __future__ import annotations

import collections
import functools
import json
import sqlite3
import sys
import threading
import time
from urllib.parse import urlsplit

import numpy as np
import pytest
import redis

import archive.hashes
import archive.search
import archive.stories
from archive.fingerprints import NUM_PERM, FingerprintError, Fingerprints, fingerprint
from scraper.distributed.keys import DEFAULT_PREFIX, Keys, connect
from scraper.distributed.messages import Outbox, decode, page_message
from scraper.distributed.writer import Writer
from scraper.extraction import process_page
from scraper.items import PageItem
from scraper.offline import SITES
from scraper.offline.copies import SiteCopy
from tests.test_distributed import redis_url  # noqa: F401  (a fixture: its own redis-server)

ARABIC = {
    "source": "enabbaladi-ar",
    "url": "https://www.enabbaladi.net/archives/1",
    "title": "قصف على ريف حلب الشمالي يقتل 12 مدنياً",
    "summary": "قال الدفاع المدني إن القصف استهدف بلدات في ريف حلب.",
    "body": (
        "قتل 12 مدنياً وأصيب 30 آخرون في قصف مدفعي على ريف حلب الشمالي في 3 آذار، "
        "بحسب الدفاع المدني السوري. وقال مسؤول في المجلس المحلي في إعزاز إن القصف "
        "طال منازل المدنيين والأسواق، وإن فرق الإنقاذ عملت حتى ساعات الليل لانتشال "
        "الضحايا من تحت الأنقاض. وأضاف أن أكثر من ألفي عائلة نزحت من القرى القريبة."
    ),
    "language": "ar",
    "published": "2025-03-03T10:00:00+00:00",
    "original_source": "عنب بلدي",
    "image": "https://www.enabbaladi.net/wp-content/uploads/قصف-حلب-1024x683.jpg",
}
ENGLISH = {
    "source": "syrianobserver",
    "url": "https://syrianobserver.com/news/1/shelling.html",
    "title": "Shelling kills 12 civilians in northern Aleppo countryside",
    "body": (
        "Twelve civilians were killed and 30 injured on March 3 when artillery shells hit "
        "villages in the northern Aleppo countryside, the Syrian Civil Defence said. "
        "More than 2,000 families fled the villages near Azaz, a local council official said."
    ),
    "language": "en",
    "published": "2025-03-03T12:00:00+00:00",
}
# The page names another edition of itself (hreflang) and its original (a credit line).
OTHER = "https://www.example.org/en/news/1/?utm_source=x"
PAGE = (
    f'<html><head><link rel="alternate" hreflang="en" href="{OTHER}"></head><body>'
    f'<p>Translated from <a href="https://www.example.org/orig/2">the original</a></p>'
    "</body></html>"
).encode()
LINKS = [
    ("https://example.org/en/news/1/", "hreflang"),
    ("https://example.org/orig/2", "translated-from"),
]


@pytest.mark.parametrize("record", [ARABIC, ENGLISH], ids=["arabic", "english"])
def test_the_json_form_rebuilds_the_same_value(record):
    made = fingerprint(record, PAGE, record["url"])
    # As a message carries it: json.dumps with its default ASCII escapes, then back.
    wire = json.dumps(made.to_json())
    assert "\n" not in wire and len(json.dumps(made.to_json()["story"])) < 2000
    assert made.search == tuple(archive.search.index_values(record))
    back = Fingerprints.from_json(json.loads(wire))
    assert back.content_hash == made.content_hash and back.simhash == made.simhash
    assert back.story.doc.signature is not made.story.doc.signature
    assert np.array_equal(back.story.doc.signature, made.story.doc.signature)
    assert back.story.doc.anchors == made.story.doc.anchors
    assert back.story.doc.title_terms == made.story.doc.title_terms
    assert back.story.links == made.story.links
    assert back.to_json() == made.to_json()
    # And the linker compares the rebuilt value exactly as the one made in the worker.
    other = fingerprint(ENGLISH if record is ARABIC else ARABIC)
    assert archive.stories.compare(back.story.doc, other.story.doc) == archive.stories.compare(
        made.story.doc, other.story.doc
    )


def test_arabic_anchors_title_terms_and_image_survive_the_round_trip():
    made = fingerprint(ARABIC, PAGE, ARABIC["url"])
    doc = made.story.doc
    arabic = [k for k in doc.anchors if any("\u0600" <= c <= "\u06ff" for c in k)]
    assert arabic, doc.anchors  # the image's file name: "i:قصف-حلب.jpg"
    assert "g:aleppo" in doc.anchors and "n:12" in doc.anchors
    assert any("\u0600" <= c <= "\u06ff" for t in doc.title_terms for c in t)
    back = Fingerprints.from_json(json.loads(json.dumps(made.to_json(), ensure_ascii=False)))
    assert back.story.doc.anchors == doc.anchors
    assert back.story.doc.title_terms == doc.title_terms
    assert back.story.doc.image == doc.image and back.story.doc.original_source == "عنب بلدي"
    assert back.story.links == made.story.links == LINKS


def test_the_signature_length_is_the_story_linkers():
    assert archive.stories.features(ENGLISH).doc.signature.shape == (NUM_PERM,)


def test_no_page_means_no_links_and_that_survives_too():
    made = fingerprint(ENGLISH)
    assert made.story.links is None
    assert Fingerprints.from_json(made.to_json()).story.links is None


def _broken(path: str, value) -> dict:
    data = fingerprint(ENGLISH, PAGE, ENGLISH["url"]).to_json()
    *parents, last = path.split(".")
    target = data
    for part in parents:
        target = target[part]
    if value is KeyError:
        del target[last]
    else:
        target[last] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "named"),
    [
        ("content_hash", "abc", "content_hash"),
        ("content_hash", None, "content_hash"),
        ("simhash", "zz" * 8, "simhash"),
        ("simhash", 12345, "simhash"),
        ("v", 2, "v"),
        ("story", KeyError, "story"),
        ("story", [], "story"),
        ("story.signature", "AAAA", "story.signature"),
        ("story.signature", "not base64!", "story.signature"),
        ("story.signature", 7, "story.signature"),
        ("story.anchors", {"g:aleppo": "heavy"}, "story.anchors['g:aleppo']"),
        ("story.anchors", {"n:12": float("nan")}, "story.anchors['n:12']"),
        ("story.anchors", ["g:aleppo"], "story.anchors"),
        ("story.day", True, "story.day"),
        ("story.day", -1, "story.day"),
        ("story.shingles", "12", "story.shingles"),
        ("story.title_terms", "shelling", "story.title_terms"),
        ("story.title_terms", [1, 2], "story.title_terms"),
        ("story.language", None, "story.language"),
        ("story.links", [["https://a.example/x"]], "story.links[0]"),
        ("story.links", "hreflang", "story.links"),
        ("story.outlet", KeyError, "story.outlet"),
        ("story.extra", 1, "story.extra"),
        ("search", KeyError, "search"),
        ("search", ["only one"], "search"),
        ("search", "title", "search"),
    ],
)
def test_a_malformed_form_is_a_one_line_error_naming_the_field(path, value, named):
    with pytest.raises(FingerprintError) as caught:
        Fingerprints.from_json(_broken(path, value))
    message = str(caught.value)
    assert message.startswith(f"malformed fingerprints: {named} "), message
    assert "\n" not in message and len(message) < 200


def test_not_an_object_is_refused():
    with pytest.raises(FingerprintError, match="^malformed fingerprints: the value must be"):
        Fingerprints.from_json("{}")


def test_fingerprints_are_applied_only_to_their_own_record():
    made = fingerprint(ENGLISH)
    record = made.apply({"title": ENGLISH["title"], "body": ENGLISH["body"]}, "syrianobserver")
    assert record["content_hash"] == made.content_hash and record["simhash"] == made.simhash
    with pytest.raises(FingerprintError, match="story.source"):
        made.apply({}, "sana")
    with pytest.raises(FingerprintError, match="content_hash disagrees"):
        made.apply({"content_hash": "0" * 64}, "syrianobserver")


# --- the distributed path: worker -> Redis stream -> writer -------------------------------


def _pages(n: int) -> list[PageItem]:
    copy_ = SiteCopy.load(SITES / "syrianobserver")
    expected = json.loads((SITES / "syrianobserver" / "expected.json").read_text("utf-8"))
    items = []
    for article in expected["articles"][:n]:
        body = copy_.resolve(urlsplit(article["url"]).path).body
        items.append(
            PageItem(
                source="syrianobserver",
                url=article["url"],
                requested_url=article["url"],
                status=200,
                content_type="text/html",
                encoding="utf-8",
                body=body,
                fetched_at="2026-01-15T12:00:00+00:00",
            )
        )
    return items


def _count_calls(monkeypatch) -> collections.Counter:
    """Count every call of the functions that compute fingerprints, however a module
    imported them (an observation: each still runs)."""
    from datasketch import MinHash

    calls: collections.Counter = collections.Counter()
    watched = {
        id(f): name
        for name, f in [
            ("features", archive.stories.features),
            ("document", archive.stories.document),
            ("page_links", getattr(archive.stories, "page_links", None)),
            ("content_hash", archive.hashes.content_hash),
            ("simhash", archive.hashes.simhash),
            ("index_values", archive.search.index_values),
        ]
        if f is not None
    }

    def counted(name, original):
        @functools.wraps(original)
        def wrapper(*args, **kwargs):
            calls[name] += 1
            return original(*args, **kwargs)

        return wrapper

    for module in list(sys.modules.values()):
        if not getattr(module, "__name__", "").startswith(("archive", "scraper")):
            continue
        for attr, value in list(vars(module).items()):
            if id(value) in watched:
                monkeypatch.setattr(module, attr, counted(watched[id(value)], value))
    monkeypatch.setattr(MinHash, "update_batch", counted("minhash", MinHash.update_batch))
    return calls


def test_the_writer_stores_the_workers_fingerprints_and_refuses_malformed_ones(
    redis_url,  # noqa: F811
    tmp_path,
    monkeypatch,
):
    redis.Redis.from_url(redis_url).flushall()
    good, bad, old = _pages(3)
    processed = {
        item.url: process_page(
            item.body, item.encoding, item.url, item.source, (), {}, item.fetched_at
        )
        for item in (good, bad, old)
    }
    messages = [page_message(item, processed[item.url], "job1") for item in (good, bad, old)]
    # The message carries the worker's value, in the form the writer rebuilds.
    fields = messages[0].fields()
    carried = decode({k.encode(): v if k == "body" else v.encode() for k, v in fields.items()})
    assert carried.data["fingerprints"] == processed[good.url].fingerprints.to_json()
    assert carried.fingerprints().to_json() == processed[good.url].fingerprints.to_json()
    assert "content_hash" not in carried.data["extraction"]  # one value, not two copies
    messages[1].data["fingerprints"]["story"]["signature"] = "AAAA"
    messages[2].data["fingerprints"] = None  # a page from a worker that made none

    outbox = Outbox(connect(redis_url), Keys(DEFAULT_PREFIX))
    for message in messages:
        assert outbox.push(message)
    calls = _count_calls(monkeypatch)
    db = tmp_path / "archive.db"
    writer = Writer(redis_url, db, block_seconds=0.2)
    thread = threading.Thread(target=writer.run, kwargs={"install_signal_handlers": False})
    thread.start()
    try:
        deadline = time.monotonic() + 60
        while writer.committed < 3 and thread.is_alive() and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        writer.stop()
        thread.join(30)
    assert writer.committed == 3

    assert calls == {}, f"the writer computed fingerprints again: {dict(calls)}"
    with sqlite3.connect(db) as conn:
        stored = conn.execute("SELECT url, content_hash, simhash FROM articles").fetchall()
        failures = conn.execute("SELECT url, stage, error FROM failures ORDER BY id").fetchall()
        doc = conn.execute("SELECT signature, anchors FROM story_docs").fetchall()
    fingerprints = processed[good.url].fingerprints
    assert stored == [(good.url, fingerprints.content_hash, fingerprints.simhash)]
    assert len(doc) == 1 and np.array_equal(
        np.frombuffer(doc[0][0], dtype=np.uint32), fingerprints.story.doc.signature
    )
    assert json.loads(doc[0][1]) == fingerprints.story.doc.anchors
    assert [(url, stage) for url, stage, _ in failures] == [(bad.url, "store"), (old.url, "store")]
    assert failures[0][2] == (
        "FingerprintError: malformed fingerprints: story.signature must be 256 bytes "
        "(64 uint32), not 3"
    )
    assert failures[1][2].startswith("FingerprintError: malformed fingerprints: an article's")
    assert all("\n" not in error for _, _, error in failures)
