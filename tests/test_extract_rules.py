"""Generic cruft rules (scraper/extract/rules.py): whole blocks only, never a story sentence."""

import pytest

from scraper.extract.rules import generic_rule_for


@pytest.mark.parametrize(
    "block",
    [
        "اقرأ أيضاً: ارتفاع سعر الخبز في حماة",
        "اقرأ أيضًا: ارتفاع سعر الخبز السياحي في حماة مع زيادة تكاليف الطحين",
        "إقرأ أيضًا",
        "اقرأ ايضا:",
        "شاهد أيضًا: جولة في سوق الحميدية",
    ],
)
def test_arabic_read_also_in_every_spelling(block):
    rule = generic_rule_for(block)
    assert rule is not None and rule.name == "read-also"


@pytest.mark.parametrize(
    "sentence",
    [
        "وقال إنه قرأ أيضًا التقرير الذي نشرته الوزارة قبل أسبوع.",
        "اقرأ أيضًا " + "نص طويل " * 40,
    ],
)
def test_story_sentences_are_not_read_also(sentence):
    assert generic_rule_for(sentence) is None
