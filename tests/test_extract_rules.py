"""Generic cruft rules (scraper/extract/rules.py): whole blocks only, never a story sentence."""

import pytest

from scraper.extract.rules import generic_rule_for, repair_text


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


@pytest.mark.parametrize(
    "block, rule",
    [
        ("A A A", "font-size"),
        ("A- A A+", "font-size"),
        ("Font size: A+ A-", "font-size"),
        ("حجم الخط", "font-size"),
        ("3 min read", "reading-time"),
        ("Estimated reading time: 6 minutes", "reading-time"),
        ("وقت القراءة: 4 دقائق", "reading-time"),
        ("دقيقتان للقراءة", "reading-time"),
        ("H.Z/ A.A", "editor-signoff"),
        ("M.A / R.J / H.Z", "editor-signoff"),
        ("A. Sulaiman / R. Haddad", "editor-signoff"),
        ("هـ.ح/ ر.ب", "editor-signoff"),
        ("ح م / م ش", "editor-signoff"),
        ("Follow us on X", "follow-prompt"),
        ("Follow SANA on Telegram", "follow-prompt"),
        ("Subscribe to our YouTube channel", "follow-prompt"),
        ("Follow Enab Baladi on X (formerly Twitter)", "follow-prompt"),
        ("تابعونا على قناة تلغرام", "follow-prompt"),
        ("لمتابعة آخر الأخبار، انضموا إلى قناتنا على تلغرام", "follow-prompt"),
        ("Check also", "read-also"),
        ("قد يهمك أيضاً: ارتفاع الأسعار في حلب", "read-also"),
        ("Accept All Reject All Cookie Settings", "cookie-notice"),
        (
            "Privacy & Cookies: This site uses cookies. By continuing to use this website, "
            "you agree to their use.",
            "cookie-notice",
        ),
        ("موقعنا يستخدم ملفات تعريف الارتباط لتحسين تجربتك", "cookie-notice"),
        ("The post Bakeries reopen in Aleppo appeared first on Syria Direct.", "feed-footer"),
        ("{{ AD_SLOT }}", "placeholder"),
    ],
)
def test_regional_cruft_in_its_forms(block, rule):
    found = generic_rule_for(block)
    assert found is not None and found.name == rule


@pytest.mark.parametrize(
    "sentence",
    [
        "A farmer and a trader waited at the centre.",
        "It took 5 minutes to read the statement aloud.",
        "The 24/7 centres will stay open.",
        "Prices rose and/or fell in every market.",
        "He/she must register before Friday.",
        "H. Khaddour",  # one name is a byline, not a sign-off
        "Follow the money, the investigators said.",
        "Join our campaign for clean water.",
        "He urged followers to join the protest on Telegram.",
        "تابع الوزير جولته على المحافظات الشرقية.",
        "Accept the figures with caution, the directorate said.",
        "The post of governor appeared first on the agenda of the council.",
        "The $$ figures were in dollars.",
    ],
)
def test_story_sentences_with_the_same_words_stay(sentence):
    assert generic_rule_for(sentence) is None


@pytest.mark.parametrize(
    "text, repaired",
    [
        ("The fata*lities rose to three.", "The fatalities rose to three."),
        ("Two were ki**lled.", "Two were killed."),
        ("أدى الق*صف إلى مقتل ثلاثة", "أدى القصف إلى مقتل ثلاثة"),
        ("5*3 is fifteen.", "5*3 is fifteen."),
        ("*Note: figures are provisional.", "*Note: figures are provisional."),
        ("Die Lehrer*innen streiken.", "Die Lehrer*innen streiken."),
        ("Lorem **WRONG**Lorem", "Lorem **WRONG**Lorem"),
    ],
)
def test_words_broken_by_asterisks_are_mended_and_nothing_else(text, repaired):
    assert repair_text(text) == repaired
