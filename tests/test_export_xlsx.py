"""`export --format xlsx` and Excel safety: a real workbook, read back by openpyxl and by
LibreOffice itself (Debian's libreoffice-calc, headless), and formula-like cells that no
spreadsheet runs, in CSV --excel and in XLSX."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from archive.export import COLUMNS, excel_safe, export, export_to_file
from archive.store import Archive

ARABIC_TITLES = [
    "وَزَارَةُ الكَهْرَبَاءِ تُعْلِنُ جَدْوَلَ تَقْنِينٍ جَدِيدٍ فِي دِمَشْقَ",
    "العائدون إلى داريا يرممون منازلهم بلا كهرباء ولا ماء",
    "الليرة السورية تتراجع أمام الدولار (٢٠٢٥) – «تقرير»",
    "مُزارِعو الرِّيفِ الشَّرقيّ يَشكونَ غَلاءَ المَحروقات",
]
# What a spreadsheet would run, each with what it hides behind.
FORMULAS = [
    "=1+1",
    " =1+1",
    "\n=1+1",
    "＝1+1",  # full-width equals sign
    "\u200b=1+1",  # zero-width space
    "\ufeff=1+1",
    "\u00a0+SUM(A1)",
    "\t=1",
    "\r=1",
    "@cmd",
    "-2+3",
    '=HYPERLINK("http://evil.example","click")',
]


def rec(url, **fields):
    base = {
        "source": "sana",
        "url": url,
        "title": "Title",
        "body": "Body text.",
        "published": "2025-05-01T08:00:00+00:00",
        "language": "ar",
        "tags": [],
    }
    base.update(fields)
    return base


@pytest.fixture()
def db(tmp_path):
    path = tmp_path / "archive.db"
    with Archive(path) as a:
        for i, title in enumerate(ARABIC_TITLES):
            a.upsert(
                rec(
                    f"https://sana.sy/{i}",
                    title=title,
                    body=f"نص المقال {i}.",
                    tags=["دمشق", "الكهرباء"],
                )
            )
        for i, formula in enumerate(FORMULAS):
            a.upsert(
                rec(
                    f"https://e.com/{i}",
                    title=formula,
                    summary=formula,
                    language="en",
                    body=f"Story {i} about {formula!r}.",
                )
            )
    return path


@pytest.mark.parametrize("cell", FORMULAS)
def test_excel_safe_neutralises_formulas_behind_whitespace_and_invisible_characters(cell):
    assert excel_safe(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["plain", "a=b", "1+1", "دمشق", "'=1", "", "x\n=1"])
def test_excel_safe_leaves_ordinary_cells(cell):
    assert excel_safe(cell) == cell


def test_csv_excel_mode_neutralises_every_case(db):
    out = io.StringIO(newline="")
    export(db, out, excel=True)
    rows = list(csv.DictReader(io.StringIO(out.getvalue().removeprefix("\ufeff"), newline="")))
    by_url = {r["url"]: r for r in rows}
    for i, formula in enumerate(FORMULAS):
        assert by_url[f"https://e.com/{i}"]["title"] == "'" + formula
        assert by_url[f"https://e.com/{i}"]["summary"] == "'" + formula


def test_xlsx_is_a_workbook_of_text_cells(db, tmp_path):
    target = tmp_path / "articles.xlsx"
    assert export_to_file(db, target, format="xlsx") == len(ARABIC_TITLES) + len(FORMULAS)
    assert zipfile.is_zipfile(target)
    with zipfile.ZipFile(target) as z:
        sheet_xml = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet_xml  # not one formula anywhere
    book = load_workbook(target)
    sheet = book["articles"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == COLUMNS
    title = COLUMNS.index("title")
    by_url = {r[COLUMNS.index("url")]: r for r in rows[1:]}
    for i, formula in enumerate(FORMULAS):
        cell = sheet.cell(row=rows.index(by_url[f"https://e.com/{i}"]) + 1, column=title + 1)
        # text, exactly as stored (OOXML writes a CR as _x000D_, Excel shows a CR)
        assert cell.data_type == "s" and cell.value.replace("_x000D_", "\r") == formula
    for i, arabic in enumerate(ARABIC_TITLES):
        row = rows.index(by_url[f"https://sana.sy/{i}"]) + 1
        cell = sheet.cell(row=row, column=title + 1)
        assert cell.value == arabic
        assert cell.alignment.readingOrder == 2  # right to left
        assert sheet.cell(row=row, column=COLUMNS.index("tags") + 1).value == "دمشق; الكهرباء"
    english = sheet.cell(row=rows.index(by_url["https://e.com/0"]) + 1, column=title + 1)
    assert english.alignment.readingOrder in (0, None)
    assert isinstance(by_url["https://e.com/0"][COLUMNS.index("id")], int)  # numbers stay numbers
    assert sheet.freeze_panes == "A2"  # the header stays in view


def test_xlsx_to_a_binary_stream_and_with_filters(db):
    out = io.BytesIO()
    assert export(db, out, format="xlsx", search="بداريا", order="relevance") == 1
    rows = list(load_workbook(io.BytesIO(out.getvalue())).active.iter_rows(values_only=True))
    assert rows[1][COLUMNS.index("title")] == ARABIC_TITLES[1]


def test_xlsx_memory_stays_flat(tmp_path):
    path = tmp_path / "big.db"
    Archive(path).close()
    import sqlite3

    conn = sqlite3.connect(path)
    body = "كلمة عربية وأخرى English words. " * 60
    with conn:
        conn.executemany(
            "INSERT INTO articles (url, canonical_url, source, title, body, first_seen, last_seen) "
            "VALUES (?, ?, 'x', ?, ?, '2025-01-01', '2025-01-01')",
            [(f"https://e.com/{i}", f"https://e.com/{i}", f"عنوان {i}", body) for i in range(3000)],
        )
    conn.close()
    tracemalloc.start()
    n = export_to_file(path, tmp_path / "big.xlsx", format="xlsx")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert n == 3000 and (tmp_path / "big.xlsx").stat().st_size > 100_000
    assert peak < 3_000_000  # a few rows' worth: the 6 MB of text went to disk


def libreoffice() -> str:
    """Debian's LibreOffice (scripts/test.sh installs libreoffice-calc when missing)."""
    found = shutil.which("libreoffice") or shutil.which("soffice")
    if found is None:
        pytest.fail(
            "libreoffice is not installed: run `apt-get install libreoffice-calc` "
            "(scripts/test.sh does)"
        )
    return found


@pytest.mark.slow
def test_libreoffice_reads_back_every_arabic_title(db, tmp_path):
    """The workbook as LibreOffice reads it, written back out as CSV.

    The CSV is asked for in UTF-8 (filter option 76): by default LibreOffice
    writes CSV in an 8-bit charset that has no Arabic letters and prints "?"
    for each, whatever it read.
    """
    workbook = tmp_path / "articles.xlsx"
    export_to_file(db, workbook, format="xlsx")
    profile = tmp_path / "lo-profile"  # its own profile: parallel runs do not share a lock
    result = subprocess.run(
        [
            libreoffice(),
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76",
            "--outdir",
            str(tmp_path / "out"),
            str(workbook),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    converted = tmp_path / "out" / "articles.csv"
    assert result.returncode == 0 and converted.exists(), result.stderr + result.stdout
    with open(converted, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == COLUMNS  # the header is plain text: no "ï»¿id"
    titles = {r["url"]: r["title"] for r in rows}
    for i, arabic in enumerate(ARABIC_TITLES):
        assert titles[f"https://sana.sy/{i}"] == arabic
    for i, formula in enumerate(FORMULAS):
        # LibreOffice kept the text (it ran nothing): only line ends and edge
        # whitespace may differ in its CSV.
        assert titles[f"https://e.com/{i}"].strip() == formula.strip()
    assert Path(converted).read_bytes().count("ي".encode()) > 0


@pytest.mark.parametrize("limit", ["_XLSX_ROWS", "_XLSX_SHEET_BYTES"])
def test_xlsx_goes_on_in_new_sheets_past_excels_limits(db, tmp_path, monkeypatch, limit):
    import archive.export

    # Small limits stand for Excel's 1,048,576 rows and a zip member's 4 GB.
    monkeypatch.setattr(archive.export, limit, 5 if limit == "_XLSX_ROWS" else 300)
    target = tmp_path / "split.xlsx"
    total = export_to_file(db, target, format="xlsx")
    book = load_workbook(target, read_only=True)
    assert len(book.sheetnames) > 1 and book.sheetnames[:2] == ["articles", "articles 2"]
    rows = []
    for sheet in book.worksheets:
        header, *body = sheet.iter_rows(values_only=True)
        assert list(header) == COLUMNS  # every sheet starts with the header
        rows += body
    assert len(rows) == total == len(ARABIC_TITLES) + len(FORMULAS)
    assert len({r[0] for r in rows}) == total
