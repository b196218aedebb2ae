"""Dates: what pages, feeds and URLs print, in UTC, sanity-checked (scraper/extract/dates.py)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from scraper.extract import extract
from scraper.extract.dates import (
    choose_published,
    country_timezone,
    date_from_url,
    day_phrases,
    iso,
    machine_readable,
    parse_date,
)

UTC = timezone.utc
CRAWL = datetime(2025, 6, 2, 12, 0, tzinfo=UTC)
DAMASCUS = country_timezone("SY")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2024-05-06T10:00:00+03:00", "2024-05-06T07:00:00+00:00"),
        ("2024-05-06T07:00:00Z", "2024-05-06T07:00:00+00:00"),
        ("2024-12-08", "2024-12-08T00:00:00+00:00"),
        ("Tue, 10 Dec 2024 08:15:00 +0200", "2024-12-10T06:15:00+00:00"),  # RSS pubDate
        ("Friday May 6th, 2022", "2022-05-06T00:00:00+00:00"),  # ordinal suffix
        ("22nd October 2025", "2025-10-22T00:00:00+00:00"),
        ("August 21st, 2023", "2023-08-21T00:00:00+00:00"),
        # Levantine month names, Eastern Arabic digits, a morning time in Damascus (UTC+3)
        ("الأحد ١٢ أيار ٢٠٢٤ - 10:30 صباحاً", "2024-05-12T07:30:00+00:00"),
        ("الثلاثاء 3 كانون الأول 2024", "2024-12-03T00:00:00+00:00"),
        ("3 تشرين الثاني 2023", "2023-11-03T00:00:00+00:00"),
        ("١٤ كانون الأول ٢٠٢٥", "2025-12-14T00:00:00+00:00"),
        # Egyptian / Gulf month names, Arabic comma and "published on"
        ("12 مايو 2024", "2024-05-12T00:00:00+00:00"),
        ("نشر في: 22 أكتوبر، 2025", "2025-10-22T00:00:00+00:00"),
        ("٢٠٢٤/٠٥/١٢", "2024-05-12T00:00:00+00:00"),
        # day first in Arabic text; م is p.m.
        ("10:30 م 12/05/2024", "2024-05-12T19:30:00+00:00"),
    ],
)
def test_parse_date_in_the_forms_pages_print(text, expected):
    assert iso(parse_date(text, default_tz=DAMASCUS)) == expected


# The region's printed dates, as its sites print them (the first rows copied from the
# offline copies under scraper/offline/sites), read in Damascus time (UTC+3).
@pytest.mark.parametrize(
    "text, expected",
    [
        # Levantine names: Enab Baladi's byline, SANA's and Deir Ezzor 24's meta line
        ("الاثنين 14 نيسان 2025", "2025-04-14T00:00:00+00:00"),
        ("22 كانون الثاني 2025", "2025-01-22T00:00:00+00:00"),
        ("٢٨ تشرين الأول ٢٠٢٥", "2025-10-28T00:00:00+00:00"),
        ("الأحد ١٤ كانون الأول ٢٠٢٥", "2025-12-14T00:00:00+00:00"),
        # Asharq Al-Awsat's dual line: the Hijri day, then its Gregorian day (and era
        # mark مـ, not p.m.): the Gregorian day is taken
        ("الأحد - ٢٣ جمادى الآخرة ١٤٤٧ هـ - ١٤ ديسمبر ٢٠٢٥ مـ", "2025-12-14T00:00:00+00:00"),
        ("الأربعاء - ١٩ جمادى الآخرة ١٤٤٧ هـ - ١٠ ديسمبر ٢٠٢٥ مـ", "2025-12-10T00:00:00+00:00"),
        # Hijri alone, converted on the Umm al-Qura calendar (1 Ramadan 1445 = 11 March 2024)
        ("٢٣ جمادى الآخرة ١٤٤٧ هـ", "2025-12-14T00:00:00+00:00"),
        ("1 رمضان 1445 هـ - 10:30 ص", "2024-03-11T07:30:00+00:00"),
        ("15 ذو الحجة 1444", "2023-07-03T00:00:00+00:00"),
        # the numbered Levantine months: كانون 2 is January, كانون 1 December
        ("5 كانون 2 2023", "2023-01-05T00:00:00+00:00"),
        ("٥ كانون ١ ٢٠٢٣", "2023-12-05T00:00:00+00:00"),
        ("3 تشرين 1 2023", "2023-10-03T00:00:00+00:00"),
        ("17 تشرين 2 2024 - 09:15", "2024-11-17T06:15:00+00:00"),
        # Levantine names without the article
        ("9 تشرين ثاني 2022", "2022-11-09T00:00:00+00:00"),
        # one month in two names, with a slash or in parentheses
        ("8 كانون الأول/ديسمبر 2024", "2024-12-08T00:00:00+00:00"),
        ("8 كانون الأول / ديسمبر 2024", "2024-12-08T00:00:00+00:00"),
        ("الخميس 2 كانون الثاني (يناير) 2025", "2025-01-02T00:00:00+00:00"),
        # (in 2021 Damascus kept UTC+2 in winter; UTC+3 all year since 2022)
        ("18 شباط/فبراير 2021 | 10:00 م", "2021-02-18T20:00:00+00:00"),
        # Egyptian and Gulf names (Egyptian يونيه / يوليه too), Eastern Arabic digits
        ("٣ يونيه ٢٠٢٤", "2024-06-03T00:00:00+00:00"),
        ("الجمعة، 19 يوليو 2024 05:30 م", "2024-07-19T14:30:00+00:00"),
        # Maghreb: Tunisia and Algeria, then Morocco
        ("12 جانفي 2024", "2024-01-12T00:00:00+00:00"),
        ("3 فيفري 2024", "2024-02-03T00:00:00+00:00"),
        ("21 أفريل 2023", "2023-04-21T00:00:00+00:00"),
        ("1 جويلية 2024", "2024-07-01T00:00:00+00:00"),
        ("15 أوت 2024", "2024-08-15T00:00:00+00:00"),
        ("7 ماي 2024", "2024-05-07T00:00:00+00:00"),
        ("30 يوليوز 2023", "2023-07-30T00:00:00+00:00"),
        ("20 غشت 2023", "2023-08-20T00:00:00+00:00"),
        ("4 شتنبر 2023", "2023-09-04T00:00:00+00:00"),
        ("11 نونبر 2023", "2023-11-11T00:00:00+00:00"),
        ("25 دجنبر 2023", "2023-12-25T00:00:00+00:00"),
        # Persian digits, day first
        ("۱۲/۰۵/۲۰۲۴", "2024-05-12T00:00:00+00:00"),
        ("۱۲ مايو ۲۰۲۴ - ۰۸:۰۰ ص", "2024-05-12T05:00:00+00:00"),
        # a month name inside a word is not a month ("ممارسة" holds "مارس")
        ("ممارسة 12 2024", None),
        # a year or a month alone is not a day; nor is a Hijri day that does not exist
        ("2024", None),
        ("أيار 2024", None),
        ("كانون الأول ٢٠٢٥", None),
        ("May 2024", None),
        ("30 جمادى الآخرة 1447 هـ", None),
    ],
)
def test_parse_date_reads_the_regions_printed_dates(text, expected):
    assert iso(parse_date(text, languages=["ar"], default_tz=DAMASCUS)) == expected


def test_a_local_time_without_zone_is_the_sources_local_time():
    assert iso(parse_date("2024-05-06T10:00:00")) == "2024-05-06T10:00:00+00:00"
    assert iso(parse_date("2024-05-06T10:00:00", default_tz=DAMASCUS)) == (
        "2024-05-06T07:00:00+00:00"
    )
    assert country_timezone("XX") is UTC and country_timezone(None) is UTC


def test_relative_dates_count_from_the_fetch_not_from_today():
    assert parse_date("منذ ساعتين", relative_to=CRAWL) == datetime(2025, 6, 2, 10, tzinfo=UTC)
    assert parse_date("2 hours ago", relative_to=CRAWL) == datetime(2025, 6, 2, 10, tzinfo=UTC)


def test_a_relative_week_month_or_year_is_not_a_day():
    # "3 weeks ago" names no day (a page printing it may print the day further on)
    for text in ("3 weeks ago", "1 week ago", "2 months ago", "a year ago", "منذ 3 أسابيع"):
        assert parse_date(text, relative_to=CRAWL) is None, text
    assert parse_date("3 days ago", relative_to=CRAWL) == datetime(2025, 5, 30, 12, tzinfo=UTC)
    assert parse_date("yesterday", relative_to=CRAWL) == datetime(2025, 6, 1, 12, tzinfo=UTC)


@pytest.mark.parametrize("text", [None, "", "   ", "not a date", "31/02/2024"])
def test_parse_date_gives_none_for_nonsense(text):
    assert parse_date(text) is None


@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://x.example/2024/05/06/slug/", datetime(2024, 5, 6, tzinfo=UTC)),
        ("https://x.example/news/2024-05-06-slug", datetime(2024, 5, 6, tzinfo=UTC)),
        ("https://x.example/2024/5/6/", datetime(2024, 5, 6, tzinfo=UTC)),
        ("https://x.example/news/20201123/slug.html", datetime(2020, 11, 23, tzinfo=UTC)),
        ("https://x.example/20201123-slug", datetime(2020, 11, 23, tzinfo=UTC)),
        ("https://x.example/2020-11-23/slug", datetime(2020, 11, 23, tzinfo=UTC)),
        # the month in words, as some CMSs (Umbraco blogs) write their archive paths
        ("https://x.example/blog/2023/october/03/slug/", datetime(2023, 10, 3, tzinfo=UTC)),
        ("https://x.example/2023/Oct/3/slug", datetime(2023, 10, 3, tzinfo=UTC)),
        ("https://x.example/2023/news/03/slug", None),
        ("https://x.example/2024/13/40/", None),
        ("https://x.example/2024/02/31/", None),
        ("https://x.example/news/67649/slug.html", None),
        # a year or a month is not a day; a longer number is an id
        ("https://x.example/2024/slug/", None),
        ("https://x.example/2024/05/slug/", None),
        ("https://x.example/article/2020112345/", None),
    ],
)
def test_date_from_url(url, expected):
    assert date_from_url(url) == expected


def d(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_choose_published_takes_the_first_plausible_candidate_and_records_disagreement():
    chosen, notes = choose_published(
        {"page": d(2025, 5, 1, 8), "feed": d(2025, 5, 1, 9), "url": d(2025, 4, 20)}, CRAWL
    )
    assert chosen == d(2025, 5, 1, 8)
    assert notes == (
        "from page, offset +00:00 as printed; "
        "url 2025-04-20T00:00:00+00:00 disagrees with page 2025-05-01T08:00:00+00:00"
    )


def test_choose_published_notes_what_decided_when_candidates_agree():
    assert choose_published({"page": d(2025, 5, 1, 8), "feed": d(2025, 5, 1, 20)}, CRAWL) == (
        d(2025, 5, 1, 8),
        "from page, offset +00:00 as printed",
    )


def test_a_year_or_month_padded_to_a_day_by_htmldate_is_not_a_day():
    chosen, notes = choose_published({"extractor": d(2019, 1, 1)}, CRAWL)
    assert chosen is None
    assert (
        notes == "extractor 2019-01-01T00:00:00+00:00 rejected (a year or month alone, not a day)"
    )
    chosen, notes = choose_published({"url": d(2024, 5, 1), "extractor": d(2024, 5, 1)}, CRAWL)
    assert chosen == d(2024, 5, 1) and notes.startswith("from url, offset +00:00 as printed; ex")
    # a printed day of the 1st is a day
    assert choose_published({"printed": d(2024, 5, 1)}, CRAWL)[0] == d(2024, 5, 1)


def test_a_1st_of_the_month_stands_where_the_page_prints_that_day():
    # htmldate's 1st is a day where the page prints it in full ...
    for text in ("The best of 2024. September 1st, 2023 By Emily", "Updated: 01/09/2023"):
        chosen, notes = choose_published({"extractor": d(2023, 9, 1)}, CRAWL, page_text=text)
        assert chosen == d(2023, 9, 1) and notes.startswith("from extractor"), text
    # ... not where it prints a month, a year, or another 1st
    for text in ("September 2023", "© 2023", "August 1, 2023", "1 September 2022"):
        assert choose_published({"extractor": d(2023, 9, 1)}, CRAWL, page_text=text)[0] is None


def test_a_time_declared_in_utc_gives_way_to_the_day_the_url_or_page_prints():
    # WordPress in New York declares 02:41 UTC on the 19th; its URL says the 18th
    utc = datetime.fromisoformat("2025-12-19T02:41:41+00:00")
    day = date_from_url("https://blog.example/2025/12/18/slug")
    chosen, notes = choose_published({"page": utc, "url": day}, CRAWL.replace(year=2026))
    assert chosen == day and chosen.tzinfo is day.tzinfo
    assert notes == (
        "from url, a day without a time; "
        "page 2025-12-19T02:41:41+00:00 is UTC's day, not the publisher's"
    )
    # ... and a day the page prints (east of UTC: 22:00 UTC on the 7th is the 8th in Tokyo)
    printed = parse_date("8 December 2024")
    late = datetime.fromisoformat("2024-12-07T22:00:00Z")
    assert choose_published({"page": late, "printed": printed}, CRAWL)[0] == printed
    # A time with the publisher's own offset keeps its day; so does a UTC time whose day
    # no zone could turn into the printed one.
    local = datetime.fromisoformat("2025-12-19T02:41:41+03:00")
    assert choose_published({"page": local, "url": day}, CRAWL.replace(year=2026))[0] == local
    noon = datetime.fromisoformat("2025-12-19T13:00:00+00:00")
    assert choose_published({"page": noon, "url": day}, CRAWL.replace(year=2026))[0] == noon


def test_a_costly_candidate_is_read_only_where_it_can_decide():
    """The printed dates go through dateparser (~0.7 ms a text): given as a function, they
    are read when nothing is chosen before them or a UTC time may give way to their day."""
    printed = parse_date("8 December 2024")
    read = []

    def printed_day():
        read.append(True)
        return printed

    local = datetime.fromisoformat("2024-12-07T22:00:00+03:00")
    assert choose_published({"page": local, "printed": printed_day}, CRAWL)[0] == local
    assert read == []  # a time with its own offset: the printed day cannot change it
    late = datetime.fromisoformat("2024-12-07T22:00:00Z")
    assert choose_published({"page": late, "printed": printed_day}, CRAWL)[0] == printed
    assert choose_published({"page": None, "printed": printed_day}, CRAWL)[0] == printed
    assert read == [True, True]


def test_nothing_before_1990_nor_in_the_future():
    chosen, notes = choose_published(
        {"page": d(1970, 1, 1), "feed": d(2031, 1, 1), "sitemap": d(2025, 5, 30)}, CRAWL
    )
    assert chosen == d(2025, 5, 30)
    assert "page 1970-01-01T00:00:00+00:00 rejected" in notes
    assert "feed 2031-01-01T00:00:00+00:00 rejected" in notes
    # a day of clock skew is allowed
    assert choose_published({"page": d(2025, 6, 3, 6)}, CRAWL)[0] == d(2025, 6, 3, 6)
    assert choose_published({"page": d(2025, 6, 4)}, CRAWL)[0] is None


def test_the_crawl_time_is_never_a_publication_time():
    # A header clock ("today") found by the date guesser is the crawl time: rejected.
    chosen, notes = choose_published({"printed": d(2025, 6, 2, 11), "extractor": CRAWL}, CRAWL)
    assert chosen is None
    assert "the crawl time" in notes
    # A declared date of the same day is a fresh article, and stays.
    assert choose_published({"page": d(2025, 6, 2, 11)}, CRAWL)[0] == d(2025, 6, 2, 11)
    assert choose_published({}, CRAWL) == (None, None)


PAGE = """<!DOCTYPE html><html lang="en"><head><title>{title}</title>{meta}</head><body>
<article><h1>{title}</h1>{printed}<div class="entry-content">{body}</div></article></body></html>"""
STORY = "".join(
    f"<p>Paragraph {i} of the story about the water shortage in Hasakah, where residents "
    f"queue for tankers every morning and prices keep rising.</p>"
    for i in range(6)
)


def page(meta: str = "", printed: str = "") -> str:
    return PAGE.format(title="Water shortage in Hasakah", meta=meta, printed=printed, body=STORY)


def test_extract_uses_page_then_feed_then_url_and_notes_disagreement():
    meta = '<meta property="article:published_time" content="2025-05-01T08:00:00+03:00">'
    record = extract(
        page(meta),
        "https://news.example.org/2025/05/01/water/",
        hints={"published": "2025-05-03T10:00:00+00:00"},
        now=CRAWL,
    )
    assert record["published"] == "2025-05-01T05:00:00+00:00"
    assert "feed 2025-05-03T10:00:00+00:00 disagrees with page" in record["date_notes"]
    record = extract(page(), "https://news.example.org/2025/05/01/water/", now=CRAWL)
    assert record["published"] == "2025-05-01T00:00:00+00:00"


def test_extract_reads_a_printed_arabic_date_in_the_sources_zone():
    printed = '<span class="post-date">الأحد ١٢ أيار ٢٠٢٤ - 10:30 صباحاً</span>'
    record = extract(page(printed=printed), "https://news.example.org/water", now=CRAWL)
    assert record["published"] == "2024-05-12T10:30:00+00:00"  # no source: UTC
    record = extract(
        page(printed=printed), "https://syrianobserver.com/news/1/water.html", now=CRAWL
    )
    assert record["published"] == "2024-05-12T07:30:00+00:00"  # a Syrian source


def test_extract_never_takes_todays_header_date_as_published():
    printed = f'<div class="date">{CRAWL:%A %B %d, %Y %H:%M}</div>'
    record = extract(page(printed=printed), "https://news.example.org/water", now=CRAWL)
    assert record["published"] is None
    assert "the crawl time" in record["date_notes"]


def test_extract_updated_only_after_published_and_not_in_the_future():
    meta = (
        '<meta property="article:published_time" content="2025-05-01T08:00:00Z">'
        '<meta property="article:modified_time" content="{}">'
    )
    url = "https://news.example.org/water"
    updated = extract(page(meta.format("2025-05-02T09:00:00Z")), url, now=CRAWL)["updated"]
    assert updated == "2025-05-02T09:00:00+00:00"
    assert extract(page(meta.format("2025-04-01T09:00:00Z")), url, now=CRAWL)["updated"] is None
    assert extract(page(meta.format("2029-01-01T09:00:00Z")), url, now=CRAWL)["updated"] is None


def test_extract_reads_the_regions_printed_dates_and_notes_what_decided():
    url = "https://syrianobserver.com/news/1/water.html"  # a Syrian source: Damascus time
    printed = '<span class="post-date">5 كانون 2 2023 - 10:30 م</span>'
    record = extract(page(printed=printed), url, now=CRAWL)
    assert record["published"] == "2023-01-05T19:30:00+00:00"
    # (htmldate reads only the year there, 1 January of it: trafilatura's metadata is
    # not read once the printed day decided; test_extract_takes_no_day_from_a_year_alone)
    assert record["date_notes"] == (
        "from printed, offset +03:00 from the source's zone Asia/Damascus"
    )
    # Asharq Al-Awsat's dual Hijri and Gregorian line, and a Hijri day alone
    for printed in ("الأربعاء - ١ ذو الحجة ١٤٤٦ هـ - ٢٨ مايو ٢٠٢٥ مـ", "١ ذو الحجة ١٤٤٦ هـ"):
        record = extract(page(printed=f'<div class="date">{printed}</div>'), url, now=CRAWL)
        assert record["published"] == "2025-05-28T00:00:00+00:00"


def test_extract_takes_no_day_from_a_year_alone():
    # A copyright year is all the page prints: htmldate pads it to 1 January.
    footer = '<div class="date">© 2019</div><p class="copyright">Copyright 2019</p>'
    for url in ("https://news.example.org/water", "https://news.example.org/2019/water"):
        record = extract(page(printed=footer), url, now=CRAWL)
        assert record["published"] is None
        assert record["date_notes"] == (
            "extractor 2019-01-01T00:00:00+00:00 rejected (a year or month alone, not a day)"
        )
    # A URL's full day is a day
    record = extract(page(printed=footer), "https://news.example.org/20201123/water", now=CRAWL)
    assert record["published"] == "2020-11-23T00:00:00+00:00"
    assert record["date_notes"].startswith("from url")


def test_extract_reads_the_publication_day_a_page_declares_beside_an_article_object():
    url = "https://blog.example.org/water-shortage"
    comment = '<div class="comment"><time datetime="2022-11-15T07:03:58-05:00">Nov 15</time></div>'
    # a WebPage's datePublished (no article object): not the comments' times
    ld = (
        '<script type="application/ld+json">{"@context": "https://schema.org", "@graph": ['
        '{"@type": "WebPage", "datePublished": "2025-12-11T10:51:03+00:00"}]}</script>'
    )
    record = extract(page(ld, printed=comment), url, now=CRAWL.replace(year=2026))
    assert record["published_local"] == "2025-12-11T10:51:03+00:00"
    # Highwire / Google Scholar's citation date
    meta = '<meta name="citation_publication_date" content="2019/1/22">'
    assert extract(page(meta), url, now=CRAWL)["published_local"] == "2019-01-22"
    # microdata on the printed date itself (the <time> inside is in UTC: the 24th)
    printed = (
        '<span itemprop="datePublished"><time datetime="2026-02-24T04:13:00Z">'
        "February 23, 2026</time></span>"
    )
    record = extract(page(printed=printed), url, now=CRAWL.replace(year=2027))
    assert record["published_local"] == "2026-02-23"


def test_extract_takes_the_urls_day_over_a_utc_time_and_skips_a_relative_week():
    meta = '<meta property="article:published_time" content="2025-12-19T02:41:41+00:00">'
    url = "https://blog.example.org/2025/12/18/water-shortage/"
    record = extract(page(meta), url, now=CRAWL.replace(year=2026))
    assert record["published_local"] == "2025-12-18"
    assert "is UTC's day, not the publisher's" in record["date_notes"]
    # "3 weeks ago" is no day: the date printed after it is
    printed = '<span class="date">3 weeks ago</span><p class="date">Last updated on 17 May 2025</p>'
    record = extract(page(printed=printed), "https://blog.example.org/water", now=CRAWL)
    assert record["published_local"] == "2025-05-17"
    # htmldate's 1st of a month where the page prints that day
    printed = "<div>September 1st, 2023 <span>By Emily Norton</span></div>"
    record = extract(page(printed=printed), "https://blog.example.org/water", now=CRAWL)
    assert record["published_local"] == "2023-09-01"


def test_a_page_that_declares_no_language_has_its_dates_read_in_the_detected_one(monkeypatch):
    """Not in dateparser's 200 languages (what parse_date without languages asks for),
    which it builds all at once in every worker (1.7 s and 40 MB) and tries on every text."""
    import scraper.extract.page

    asked = []

    def recording(text, *, languages=None, **kwargs):
        asked.append(languages)
        return parse_date(text, languages=languages, **kwargs)

    monkeypatch.setattr(scraper.extract.page, "parse_date", recording)
    story = "The council met in the capital to discuss the budget, officials said. " * 8
    html = (
        '<html><head><meta property="article:published_time" content="12 May 2024, 10:00">'
        "</head><body><article><h1>Council meets on the budget</h1>"
        f"<p>{story}</p></article></body></html>"
    )
    record = extract(html, "https://example.org/news/council", None, now=CRAWL)
    assert record["language"] == "en" and record["published"] == "2024-05-12T10:00:00+00:00"
    assert asked and all(languages == ["en"] for languages in asked)


@pytest.mark.parametrize(
    "line, expected",
    [
        ("Jane Doe, Senior Editor November 14, 2025", ["November 14, 2025"]),
        ("December 3, 2025. Updated: December 7, 2025", ["December 3, 2025", "December 7, 2025"]),
        ("Updated on Dec. 09, 2025 | 5 min read", ["Dec. 09, 2025"]),
        ("By Jane Doe 12th February 2025 139 shares", ["12th February 2025"]),
        ("29th August, 2023", ["29th August, 2023"]),
        ("Wed, 12/03/2025 - 02:42", ["12/03/2025"]),
        ("12.12.2025", ["12.12.2025"]),
        ("2025-10-30T10:45:07-04:00 Share", ["2025-10-30T10:45:07-04:00"]),
        # a year alone, a month and a year: no day
        ("The best laptops of 2025", []),
        ("March 2024 issue", []),
    ],
)
def test_day_phrases_finds_the_days_a_line_prints(line, expected):
    assert day_phrases(line) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2025-06-24T10:00:00+02:00", True),
        ("2025-06-24", True),
        ("Tue, 24 Jun 2025 08:15:00 +0200", True),
        ("2019/1/22", True),  # year first: Highwire's citation date
        ("Jun 24, 2025", False),
        ("01/07/16", False),  # 1 July or 7 January?
        ("02-12-2025", False),
        (None, False),
    ],
)
def test_machine_readable_dates(text, expected):
    assert machine_readable(text) is expected


def story_page(head: str = "", before: str = "", after: str = "", aside: str = "") -> str:
    """A story page: a site header with its own teasers' dates, then the article."""
    return (
        f'<!DOCTYPE html><html lang="en"><head><title>Water shortage in Hasakah</title>{head}'
        '</head><body><header><nav><a href="/">Home</a></nav>'
        '<div class="latest"><a href="/other">Another story</a>'
        '<time datetime="2025-05-30T08:00:00Z" class="date">05/30/2025</time></div></header>'
        f"{aside}<main><article>{before}<h1>Water shortage in Hasakah</h1>{after}"
        f'<div class="entry-content">{STORY}</div></article></main></body></html>'
    )


def test_the_day_printed_by_the_headline_is_the_pages_not_a_teasers():
    url = "https://blog.example.org/water-shortage"
    teasers = (
        '<aside><ul><li><a href="/a">A story</a> <span class="date">May 29, 2025</span></li>'
        "</ul></aside>"
    )
    byline = "<p>By Jane Doe, Senior Editor · March 3, 2024 · 5 min read</p>"
    record = extract(story_page(after=byline, aside=teasers), url, now=CRAWL)
    assert record["published_local"] == "2024-03-03"
    assert record["date_notes"].startswith("from printed")
    # printed above the headline, as a kicker
    record = extract(story_page(before="<p>March 3, 2024 - 11 minutes</p>"), url, now=CRAWL)
    assert record["published_local"] == "2024-03-03"
    # the headline's own <time> before the header's teaser's
    stamped = '<div class="meta"><time datetime="2017-03-01T12:00:00Z">03/01/2017</time></div>'
    record = extract(story_page(after=stamped), url, now=CRAWL)
    assert record["published_local"] == "2017-03-01T12:00:00+00:00"


def test_a_day_labelled_updated_comes_after_the_publication_beside_it():
    url = "https://blog.example.org/water-shortage"
    dateline = (
        '<div><span class="dateline">MARCH 2, 2024</span>'
        '<span class="dateline updated">Updated: APRIL 5, 2025</span></div>'
    )
    assert extract(story_page(before=dateline), url, now=CRAWL)["published_local"] == "2024-03-02"
    # an update is all the page prints: it is the only day there is
    only = "<p>Last updated: April 5, 2025</p>"
    assert extract(story_page(after=only), url, now=CRAWL)["published_local"] == "2025-04-05"


def test_a_date_declared_in_words_comes_after_the_day_the_headline_prints():
    url = "https://blog.example.org/water-shortage"
    later = CRAWL.replace(year=2026)
    ld = (
        '<script type="application/ld+json">{{"@context": "https://schema.org",'
        ' "@type": "BlogPosting", "datePublished": "{}"}}</script>'
    )
    printed = "<p>August 25, 2024</p>"
    record = extract(story_page(ld.format("Jun 24, 2025"), after=printed), url, now=later)
    assert record["published_local"] == "2024-08-25"
    assert "page in words 2025-06-24T00:00:00+00:00 disagrees" in record["date_notes"]
    # alone, it is still the page's day
    record = extract(story_page(ld.format("Jun 24, 2025")), url, now=later)
    assert record["published_local"] == "2025-06-24"
    # in ISO 8601 it is a declaration, before anything printed
    record = extract(story_page(ld.format("2025-06-24"), after=printed), url, now=later)
    assert record["published_local"] == "2025-06-24"
    # a machine-readable declaration (a meta tag, another object) before one in words
    meta = '<meta property="og:published_time" content="2024-10-08T00:00:00-04:00">'
    record = extract(story_page(ld.format("Jun 24, 2025") + meta), url, now=later)
    assert record["published_local"] == "2024-10-08T00:00:00-04:00"


def test_specific_meta_tags_come_before_a_bare_date_and_a_time_must_be_iso():
    url = "https://blog.example.org/water-shortage"
    metas = (
        '<meta name="date" content="01/07/16">'
        '<meta property="og:published_time" content="2024-10-08T00:00:00-04:00">'
    )
    assert extract(story_page(metas), url, now=CRAWL)["published_local"] == (
        "2024-10-08T00:00:00-04:00"
    )
    parsely = '<meta name="parsely-pub-date" content="2020-02-10T16:48:12Z">'
    record = extract(story_page(parsely, after="<p>12.31.23</p>"), url, now=CRAWL)
    assert record["published_local"] == "2020-02-10T16:48:12+00:00"
    # "02-12-2025" in a datetime attribute may be either day: the valid one is read
    times = (
        '<div class="meta"><time datetime="02-12-2025">02-12-2025</time>'
        '<time datetime="2025-02-12">February 12, 2025</time></div>'
    )
    record = extract(story_page(after=times), url, now=CRAWL.replace(year=2026))
    assert record["published_local"] == "2025-02-12"


def test_the_headline_is_found_where_the_sites_logo_holds_the_h1():
    # An old blog theme: the <h1> is the site's name linking home; the title is a legend.
    page_html = (
        '<html lang="en"><head><title>Water shortage in Hasakah</title>'
        '<meta property="og:title" content="Water shortage in Hasakah"></head><body>'
        '<div><h1><a href="/">A Diary</a></h1></div><fieldset>'
        "<legend>Water shortage in Hasakah</legend> 20 December 2024 "
        f'<div class="body">{STORY}</div></fieldset></body></html>'
    )
    record = extract(page_html, "https://diary.example.org/archive/2024/12/water.html", now=CRAWL)
    assert record["published_local"] == "2024-12-20"
    assert record["date_notes"].startswith("from printed")  # not htmldate's guess


def test_a_date_line_printing_two_days_gives_the_first():
    line = '<p class="post-date">December 3, 2024. Updated: December 7, 2024</p>'
    record = extract(page(printed=line), "https://news.example.org/water", now=CRAWL)
    assert record["published_local"] == "2024-12-03"
    assert record["date_notes"].startswith("from printed")
    # printed apart from the headline (in a date class), the same
    apart = f"<html><body><div>{STORY}</div>{line}</body></html>"
    record = extract(apart, "https://news.example.org/water", now=CRAWL)
    assert record["published_local"] == "2024-12-03"
    assert record["date_notes"].startswith("from printed")
