"""archive.hashes: content hash and simhash near-duplicate fingerprints."""

import random

from archive.hashes import (
    NEAR_DUPLICATE_DISTANCE,
    content_hash,
    hamming,
    simhash,
    simhash_bands,
)

POWER_CUTS = """Damascus – Residents of several neighbourhoods in the Syrian capital said on \
Tuesday that electricity cuts had grown longer over the past two weeks, with some districts \
receiving power for only two hours in every eight. The Ministry of Electricity blamed the \
shortfall on reduced gas supplies to the main power stations and on damage to transmission \
lines in the central region.

Shop owners in the old city described the strain of running small generators for most of the \
day. One tailor near the Hamidiyeh market said that the price of a litre of diesel on the \
informal market had doubled since the spring, and that he now spends more on fuel than on rent. \
Bakeries, which receive subsidised flour, have been given priority on the grid, but several \
reported queues forming before dawn.

The ministry said in a statement that maintenance teams were repairing a damaged line between \
Homs and the capital and that supplies would improve once a delayed shipment of gas arrived at \
the port of Baniyas. It did not give a date. Officials have made similar promises in previous \
winters, and residents interviewed for this report said they had little confidence that the \
situation would change before the summer.

Economists in Damascus point out that the country's generating capacity has fallen to a \
fraction of its pre-war level, while demand has shifted as families return to areas that were \
emptied during the fighting. Private solar installations have spread quickly in the \
countryside, financed in part by remittances from relatives abroad, but they remain out of \
reach for most households in the cities.

Local councils in Rif Dimashq have begun publishing rationing schedules on social media so that \
families can plan their days around the few hours of power. Students said they study by battery \
lamps and charge their phones at cafés that run their own generators. Hospitals have their own \
supply, though staff at one public hospital said that an outage last week forced them to \
postpone several operations.

The government has announced plans to build new stations with foreign partners, and a \
memorandum of understanding for a solar park near the capital was signed earlier this year. \
Work on the site has not started, according to people living nearby, and no financing \
arrangement has been made public."""

WHEAT = """Qamishli – Farmers in Hasakah province began the wheat harvest this week amid \
disputes over the purchase price offered by the authorities that control the region and by the \
government in Damascus, each of which is trying to buy as much of the crop as possible. Rainfall \
was better than last year across most of the province, and agricultural engineers expect yields \
to recover after two seasons of drought that pushed many families to sell their livestock.

Growers said the cost of seed, fertiliser and fuel for harvesters had risen faster than the \
price they are promised per tonne, and several said they would store part of their crop rather \
than sell it at the announced rates. Traders in Qamishli reported that some of the harvest was \
already moving across the lines of control to mills that pay in dollars.

The local agriculture committee said it had prepared silos in Tal Hamis and Amuda and would pay \
within two weeks of delivery, a promise farmers said had not been kept in previous years. A \
fire that destroyed several hectares of ripe wheat near Ras al-Ain on Sunday added to the worry; \
its cause has not been established, and villagers have organised night watches over their \
fields until the harvest is in."""


def test_content_hash_ignores_whitespace_case_and_compatibility_forms():
    a = content_hash("Power cuts", "Line one.\n\nLine two.")
    assert a == content_hash("  POWER   cuts ", "Line one. Line two.  ")
    assert a == content_hash("Power cuts", "Line one.\r\n\r\nLine\u00a0two.")
    assert len(a) == 64 and int(a, 16) >= 0


def test_content_hash_changes_with_the_words():
    a = content_hash("Power cuts", "Line one. Line two.")
    assert a != content_hash("Power cuts", "Line one. Line three.")
    assert a != content_hash("Power cuts Line", "one. Line two.")  # text moved to the title


def test_simhash_is_deterministic_unsigned_64_bit():
    h = simhash(POWER_CUTS)
    assert h == simhash(POWER_CUTS)
    assert 0 <= h < 2**64
    assert simhash("") == 0
    assert simhash("two words") != 0


def test_lightly_edited_copy_is_a_near_duplicate():
    base = simhash(POWER_CUTS)
    edits = [
        POWER_CUTS.replace("Tuesday", "Wednesday"),  # one word changed
        POWER_CUTS.replace("neighbourhoods", "neighborhoods").replace("cafés", "cafes"),
        "Syrian Observer – " + POWER_CUTS,  # a syndication prefix
        POWER_CUTS.replace(" It did not give a date.", ""),  # a sentence dropped
        POWER_CUTS.upper(),  # case does not count
        POWER_CUTS.replace("\n\n", "\n"),  # layout does not count
        POWER_CUTS + "\n\nSource: SANA",  # a credit line added
    ]
    for edited in edits:
        assert hamming(base, simhash(edited)) <= NEAR_DUPLICATE_DISTANCE


def test_heavier_edits_are_beyond_the_threshold():
    # The documented limit of distance 3 on a ~400-word article: a whole
    # paragraph cut is a different version, not a near-duplicate.
    cut = POWER_CUTS.rsplit("\n\n", 1)[0]
    assert hamming(simhash(POWER_CUTS), simhash(cut)) > NEAR_DUPLICATE_DISTANCE


def test_unrelated_article_is_not_a_near_duplicate():
    assert hamming(simhash(POWER_CUTS), simhash(WHEAT)) > 3 * NEAR_DUPLICATE_DISTANCE
    words = POWER_CUTS.split()
    random.Random(1).shuffle(words)  # same words, different text
    assert hamming(simhash(POWER_CUTS), simhash(" ".join(words))) > NEAR_DUPLICATE_DISTANCE


def test_arabic_diacritics_do_not_change_the_fingerprint():
    plain = "قالت وكالة سانا إن الأخبار الواردة من دمشق تشير إلى انقطاع الكهرباء " * 5
    voweled = plain.replace("سانا", "سَانَا").replace("الأخبار", "الأَخْبَار")
    assert simhash(plain) == simhash(voweled)


def test_hamming():
    assert hamming(0, 0) == 0
    assert hamming(0, 2**64 - 1) == 64
    assert hamming(0b1011, 0b0001) == 2


def test_bands_split_high_to_low():
    assert simhash_bands(0x1234_5678_9ABC_DEF0) == (0x1234, 0x5678, 0x9ABC, 0xDEF0)


def test_close_fingerprints_share_a_band():
    rng = random.Random(3)
    for _ in range(2000):
        h = rng.getrandbits(64)
        flipped = h
        for bit in rng.sample(range(64), rng.randint(0, NEAR_DUPLICATE_DISTANCE)):
            flipped ^= 1 << bit
        assert any(a == b for a, b in zip(simhash_bands(h), simhash_bands(flipped), strict=True))
