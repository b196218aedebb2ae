"""archive.citation: an archived article cited as plain text, BibTeX and CSL-JSON."""

from __future__ import annotations

import json
from datetime import date

from archive.citation import citation

ARABIC = {
    "id": 42,
    "title": "انقطاع الكهرباء في دمشق & ريفها",
    "authors": ["عنب بلدي", "Ahmad Al-Khatib"],
    "published": "2024-12-08T09:30:00+00:00",
    "url": "https://www.enabbaladi.net/archives/2024/12/كهرباء/",
    "language": "ar",
}
PERMALINK = "https://archive.example/archive/articles/42"


def test_plain_text_names_the_outlet_the_original_and_the_archived_copy():
    cited = citation(ARABIC, "Enab Baladi", PERMALINK, date(2026, 12, 6))
    assert cited["plain"] == (
        "عنب بلدي; Ahmad Al-Khatib (2024-12-08). انقطاع الكهرباء في دمشق & ريفها. "
        "Enab Baladi. https://www.enabbaladi.net/archives/2024/12/كهرباء/. "
        f"Archived copy: {PERMALINK} (accessed 2026-12-06)."
    )


def test_csl_json_reads_as_a_newspaper_article_with_names_as_printed():
    item = json.loads(citation(ARABIC, "Enab Baladi", PERMALINK, date(2026, 12, 6))["csl_json"])
    assert item["type"] == "article-newspaper" and item["container-title"] == "Enab Baladi"
    assert item["author"] == [{"literal": "عنب بلدي"}, {"literal": "Ahmad Al-Khatib"}]
    assert item["issued"] == {"date-parts": [[2024, 12, 8]]}
    assert item["accessed"] == {"date-parts": [[2026, 12, 6]]}
    assert item["URL"] == ARABIC["url"] and item["archive_location"] == PERMALINK


def test_bibtex_escapes_and_keeps_each_name_whole():
    bib = citation(ARABIC, "Enab Baladi", PERMALINK, date(2026, 12, 6))["bibtex"]
    assert bib.startswith("@online{khatib2024-42,\n")
    assert "  author = {{عنب بلدي} and {Ahmad Al-Khatib}}," in bib
    assert r"  title = {{انقطاع الكهرباء في دمشق \& ريفها}}," in bib
    assert "  urldate = {2026-12-06}," in bib and f"\\url{{{PERMALINK}}}" in bib
    assert bib.count("{") == bib.count("}")


def test_an_article_without_author_or_date_is_cited_by_its_outlet():
    bare = {"id": 7, "title": None, "authors": [], "published": None, "url": "https://sana.sy/?p=1"}
    cited = citation(bare, "SANA", PERMALINK, date(2026, 1, 2))
    assert cited["plain"].startswith("SANA (n.d.). (untitled). SANA. https://sana.sy/?p=1.")
    item = json.loads(cited["csl_json"])
    assert "author" not in item and "issued" not in item
    assert citation(bare, "SANA", PERMALINK, date(2026, 1, 2))["bibtex"].startswith(
        "@online{sana-7,"
    )
