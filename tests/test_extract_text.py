"""clean_text on real text dumps, and the block-level rules it shares with extract()."""

import json
from pathlib import Path

import pytest

from scraper.extract import clean_text
from scraper.extract.blocks import blocks_from_text
from scraper.extract.clean import clean_blocks
from scraper.sources import load_registry

DUMPS = Path(__file__).resolve().parent / "fixtures" / "text-dumps"


def dump_cases():
    return sorted(DUMPS.glob("*.txt"))


@pytest.mark.parametrize("dump", dump_cases(), ids=lambda p: p.stem)
def test_text_dump_gives_exactly_the_expected_record(dump):
    expected = json.loads(dump.with_suffix(".expected.json").read_text(encoding="utf-8"))
    record = clean_text(dump.read_text(encoding="utf-8"), expected["source"])
    for field in ("title", "summary", "body", "editorial_note", "translated", "tags"):
        assert record[field] == expected[field], field
    for cruft in expected["must_not_contain_in_body"]:
        assert cruft not in record["body"]


def test_shared_dumps_are_present():
    # The suite's strongest check of the cleaner: fail, never skip, if the dumps are gone.
    assert dump_cases(), f"no text dumps under {DUMPS}"


SO = load_registry()["syrianobserver"]


def test_byline_line_becomes_author_outlet_and_stance():
    text = (
        "Search\n\nA Title\n\nThe standfirst sentence.\n\n"
        "by Anas Ahmad for Al-Watan (pro-government newspaper)\n\n"
        "First paragraph of the story.\n\nSecond paragraph.\n\nHelpful keywords\n\nIran\nRussia\n"
    )
    record = clean_text(text, SO)
    assert record["authors"] == ["Anas Ahmad"]
    assert record["original_source"] == "Al-Watan"
    assert record["original_stance"] == "pro-government newspaper"
    assert record["body"] == "First paragraph of the story.\n\nSecond paragraph."
    assert record["tags"] == ["Iran", "Russia"]


@pytest.mark.parametrize(
    "line, outlet, stance",
    [
        (
            "by ASHARQ AL-AWSAT (London-based, pan-Arab newspaper)",
            "ASHARQ AL-AWSAT",
            "London-based, pan-Arab newspaper",
        ),
        ("by North Press (Kurdish agency)", "North Press", "Kurdish agency"),
        ("by Sami Jalal – Enab Baladi (Opposition website)", "Enab Baladi", "Opposition website"),
    ],
)
def test_source_line_variants(line, outlet, stance):
    cleaned = clean_blocks(blocks_from_text(line + "\n\nA paragraph of the story."), SO.cleaning)
    assert cleaned.byline.original_source == outlet
    assert cleaned.byline.original_stance == stance
    assert [b.text for b in cleaned.blocks] == ["A paragraph of the story."]


def test_repeated_paragraph_and_standfirst_are_dropped_but_short_repeats_kept():
    story = "The council met on Monday to discuss the reconstruction budget for Aleppo."
    text = f"Title\n\n{story}\n\n{story}\n\nBackground\n\nMore.\n\nBackground\n\nEven more."
    record = clean_text(text, SO)  # the SO rules take the block after the title as summary
    assert record["summary"] == story
    assert record["body"] == "Background\n\nMore.\n\nBackground\n\nEven more."


def test_glued_date_prefix_is_stripped():
    cleaned = clean_blocks(blocks_from_text(" date 2024-12-08 The regime fell."), SO.cleaning)
    assert [b.text for b in cleaned.blocks] == ["The regime fell."]


@pytest.mark.parametrize(
    "text, body",
    [
        # Items typed as paragraphs or lines are one list, as the page reads.
        ("• Diesel\n\n• Flour\n\n• Seed", "• Diesel\n• Flour\n• Seed"),
        ("- Diesel\n- Flour", "• Diesel\n• Flour"),
        ("1. Raise the price\n\n2) Open two centres", "1. Raise the price\n2. Open two centres"),
        ("١. رفع السعر\n\n٢. افتتاح مركزين", "١. رفع السعر\n٢. افتتاح مركزين"),
        # Not lists: a dialogue's dashes, a lone numbered paragraph, numbers out of order.
        ("– Will you plant again?\n\n– We have no choice.", None),
        ("1. The first issue is the price of diesel.\n\nFarmers agreed.", None),
        ("3. Prices\n\n1. Wages", None),
    ],
)
def test_lists_typed_as_text_stay_lists_and_nothing_else_becomes_one(text, body):
    cleaned = clean_blocks(blocks_from_text(text))
    expected = body if body is not None else text
    assert "\n\n".join(b.text for b in cleaned.blocks) == expected
    assert all(b.kind == "list" for b in cleaned.blocks) == (body is not None)
