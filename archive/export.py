"""Streamed export of articles to CSV, JSON Lines or an Excel workbook.

``sqlite3`` reads through a read-only connection whose cursor is iterated
row by row, never ``fetchall``, so memory stays flat whatever the archive's
size; ``csv`` writes RFC 4180 and ``json`` JSON Lines (standard library).
The .xlsx workbook is written by XlsxWriter, the maintained pure-Python
writer, in its ``constant_memory`` mode: each row goes to a temporary file
as soon as it is written, so a million rows take no more memory than ten
(openpyxl's write-only mode streams too but is slower). Cells are written
as text (``write_string``, formulas never parsed), and Arabic cells read
right to left.

Which to pick: the .xlsx opens by double-click in Excel and LibreOffice,
Arabic included; a CSV needs ``excel=True`` for Excel (byte order mark) and
LibreOffice still asks for its encoding; JSON Lines is for programs.

``out`` is a text stream for CSV and JSON Lines: open files with
``encoding="utf-8", newline=""`` (the csv module writes its own "\\r\\n"
line ends; newline translation would double them on Windows). A binary
stream is accepted too, and written as UTF-8; XLSX needs a binary stream.
In ``excel`` mode a UTF-8 byte order mark goes first, so do not also open
the file with "utf-8-sig".
"""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO, TextIO
from urllib.parse import quote

from archive.clock import parse_user_date
from archive.files import write_whole
from archive.formats import FORMATS
from archive.record import READER_FIELDS
from archive.recovery import PROVENANCE_COLUMNS, provenance_join
from archive.search import ORDERS as SEARCH_ORDERS
from archive.search import filter_clause, match_expression, order_by, register_functions

__all__ = ["COLUMNS", "FORMATS", "ORDERS", "excel_safe", "export", "export_to_file"]

# The provenance columns last: empty for an article crawled live, the web archive, its
# capture's date and replay address for one recovered (archive.recovery).
COLUMNS = ["id", *READER_FIELDS, "first_seen", "last_seen", *PROVENANCE_COLUMNS]
_FORMAT_ALIASES = {"ndjson": "jsonl"}
ORDERS = ("id", *SEARCH_ORDERS)
_LIST_COLUMNS = {"authors", "tags"}
# OWASP "CSV injection": a spreadsheet runs cells starting with these...
_FORMULA_START = ("=", "+", "-", "@")
# ...even behind what it skips or folds on the way: whitespace, control and
# invisible format characters (zero-width space, bidi marks, BOM); full-width
# "＝" is NFKC-folded to "=" before the test.
_SKIPPED = re.compile(
    r"^[\s\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]+"
)
# Excel's limits: characters in a cell, rows in a sheet.
_XLSX_CELL_MAX = 32767
_XLSX_ROWS = 1_048_576
# A sheet is one file inside the .xlsx zip; past 4 GB it would need ZIP64,
# which not every spreadsheet reads. Sheets stop well before (text bytes
# counted, XML markup on top).
_XLSX_SHEET_BYTES = 2_500_000_000
_RTL = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
_STRONG_LTR = re.compile(r"[A-Za-z\u00c0-\u024f]")


def _connect(path: Path) -> sqlite3.Connection:
    if not path.is_file():
        raise FileNotFoundError(f"no archive at {path}")
    try:
        # Read-only: an export can never change the archive, and it reads
        # while a crawl writes (WAL).
        conn = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True)
        conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
    except sqlite3.OperationalError:
        # A WAL database without its -shm file in a read-only directory
        # cannot be opened with mode=ro; a plain connection only reads too.
        conn = sqlite3.connect(str(path))
    register_functions(conn)
    return conn


def _columns(columns: Sequence[str] | str | None, valid: list[str]) -> list[str]:
    if columns is None:
        wanted = list(COLUMNS)
    elif isinstance(columns, str):
        wanted = [c.strip() for c in columns.split(",") if c.strip()]
    else:
        wanted = [str(c).strip() for c in columns]
    if not wanted:
        raise ValueError(f"no columns given; valid columns: {', '.join(valid)}")
    for name in wanted:
        if name not in valid:
            raise ValueError(f"unknown column {name!r}; valid columns: {', '.join(valid)}")
    return wanted


def _where(
    source: str | Sequence[str] | None,
    lang: str | None,
    since: Any,
    until: Any,
    search: str | None,
    tag: str | None,
    other_language: bool = False,
) -> tuple[str, list[Any]]:
    """FROM and WHERE for the filters (a search joins the index, for its rank)."""
    clauses, params = filter_clause(source=source, language=lang, since=since, until=until, tag=tag)
    base = "FROM articles"
    if search is not None:
        expression = match_expression(search, other_language)
        if not expression:
            raise ValueError(f"search {search!r} has no words to look for")
        base = "FROM articles_fts JOIN articles ON articles.id = articles_fts.rowid"
        clauses.insert(0, "articles_fts MATCH ?")
        params.insert(0, expression)
    return base + (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def _check_filters(
    conn: sqlite3.Connection,
    source: str | Sequence[str] | None,
    lang: str | None,
    since: Any,
    until: Any,
) -> None:
    """Filters that can only find nothing are errors, not an empty export: a source or a
    language the archive does not hold (a typo, or `arabic` for `ar`), dates reversed.
    Read from the per-month counts, which every archived article is in."""
    held = conn.execute("SELECT DISTINCT source, lower(language) FROM article_counts").fetchall()
    sources = {s for s, _ in held if s} | {r[0] for r in conn.execute("SELECT id FROM sources")}
    unknown = [s for s in _as_tuple(source) if s not in sources]
    if unknown:
        raise ValueError(
            f"unknown source(s) {', '.join(unknown)}: the archive holds "
            f"{', '.join(sorted(sources)) or 'none'}"
        )
    languages = {code for _, code in held if code}
    wanted = (lang or "").lower()
    if wanted and not any(code == wanted or code.startswith(wanted + "-") for code in languages):
        raise ValueError(
            f"no article in language {lang!r}: the archive's languages are "
            f"{', '.join(sorted(languages)) or 'none'} (codes such as ar or en)"
        )
    if since and until:
        first, last = parse_user_date(since), parse_user_date(until)
        # A whole day ends before its end(); a moment is included.
        if first.start() > last.end() or (last.whole_day and first.start() == last.end()):
            raise ValueError(f"since {since} is after until {until}: nothing could match")


def _as_tuple(value: str | Sequence[str] | None) -> tuple[str, ...]:
    if not value:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def _as_list(value: Any) -> list[Any]:
    if value is None or value == "":
        return []
    try:
        decoded = json.loads(value)
    except (TypeError, ValueError):
        return [value]
    return decoded if isinstance(decoded, list) else [decoded]


def excel_safe(cell: str) -> str:
    """``cell`` as a spreadsheet shows it as text, never runs it as a formula.

    A cell starting with tab or CR, or whose first character after
    whitespace, control and zero-width characters (NFKC-folded first, so a
    full-width "＝" counts as "=") is = + - or @, gets a leading single quote.
    """
    if not cell or cell[0].isalnum():
        # A letter or digit (of any script) never NFKC-folds to a formula sign:
        # the common case needs no normalising.
        return cell
    if cell[0] in "\t\r":
        return "'" + cell
    head = _SKIPPED.sub("", unicodedata.normalize("NFKC", cell[:64]), count=1)
    return "'" + cell if head.startswith(_FORMULA_START) else cell


def export(
    db_path: str | Path,
    out: TextIO | BinaryIO,
    *,
    format: str = "csv",
    source: str | Sequence[str] | None = None,
    lang: str | None = None,
    since: str | date | datetime | None = None,
    until: str | date | datetime | None = None,
    search: str | None = None,
    tag: str | None = None,
    columns: Sequence[str] | str | None = None,
    excel: bool = False,
    order: str = "id",
    other_language: bool = False,
) -> int:
    """Write the archive's articles to ``out``; returns the number of rows.

    ``format`` is "csv" (RFC 4180: comma, double quotes when needed, "\\r\\n",
    UTF-8, header row; authors and tags joined with "; "), "jsonl" (one
    JSON object per line, lists kept as lists) or "xlsx" (one workbook, a
    header row and one row per article, text cells, Arabic right to left;
    ``out`` binary). Filters combine with AND: ``source`` (one id or
    several), ``lang``, ``since``/``until`` (a bare date is the publisher's
    whole day, a date-time a moment: archive.days.date_filter), ``search``
    (full-text, as archive.search analyses it), ``tag`` (one of the article's
    tags). ``columns`` picks and orders columns (default :data:`COLUMNS`; any
    articles column is valid, and the provenance columns of a recovered
    article's capture, archive.recovery).
    ``excel`` (CSV only) adds a BOM and makes formula-like cells text
    (:func:`excel_safe`); XLSX cells are always text. ``order``: "id"
    (archive order), "newest" or "oldest" (by published) or "relevance"
    (with ``search``). ``other_language``: the names a search holds are also
    looked for in their other language's spellings (archive.search.parse_query).
    """
    fmt = str(format).lower()
    fmt = _FORMAT_ALIASES.get(fmt, fmt)
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {format!r}; use {', '.join(FORMATS)}")
    if excel and fmt != "csv":
        raise ValueError("excel mode applies to CSV only (XLSX cells are always text)")
    path = Path(db_path)
    conn = _connect(path)
    wrapper = None
    try:
        valid = [row[1] for row in conn.execute("PRAGMA table_info(articles)")]
        if not valid:
            raise ValueError(f"{path} is not a newsarchive archive (no articles table)")
        names = _columns(columns, [*valid, *PROVENANCE_COLUMNS])
        where, params = _where(source, lang, since, until, search, tag, other_language)
        if any(name in PROVENANCE_COLUMNS for name in names):
            head, found, tail = where.partition(" WHERE ")
            where = f"{head} {provenance_join('provenance')}{found}{tail}"
        _check_filters(conn, source, lang, since, until)
        if order not in ORDERS:
            raise ValueError(f"unknown order {order!r}; use one of {', '.join(ORDERS)}")
        if order == "relevance" and search is None:
            raise ValueError("order 'relevance' needs a search")
        by = "articles.id" if order == "id" else order_by(order)
        select = ", ".join(
            f'provenance."{PROVENANCE_COLUMNS[name]}"'
            if name in PROVENANCE_COLUMNS
            else f'articles."{name}"'
            for name in names
        )
        cursor = conn.execute(f"SELECT {select} {where} ORDER BY {by}", params)
        if fmt == "xlsx":
            if isinstance(out, io.TextIOBase):
                raise ValueError("XLSX is binary: pass a binary stream")
            return _write_xlsx(out, names, cursor)  # type: ignore[arg-type]

        if isinstance(out, (io.RawIOBase, io.BufferedIOBase)):
            wrapper = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
            stream: TextIO = wrapper
        else:
            stream = out  # type: ignore[assignment]

        count = 0
        if fmt == "jsonl":
            for row in cursor:
                item = dict(zip(names, row, strict=True))
                for key in _LIST_COLUMNS & item.keys():
                    item[key] = _as_list(item[key])
                if item.get("translated") is not None:
                    item["translated"] = bool(item["translated"])
                stream.write(json.dumps(item, ensure_ascii=False) + "\n")
                count += 1
            return count

        if excel:
            stream.write("\ufeff")
        writer = csv.writer(stream, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
        writer.writerow(names)
        for cells in _cells(names, cursor):
            if excel:
                cells = [excel_safe(c) if isinstance(c, str) else c for c in cells]
            writer.writerow(cells)
            count += 1
        return count
    finally:
        try:
            if wrapper is not None:
                wrapper.flush()
                wrapper.detach()  # leave the caller's binary stream open
        finally:
            conn.close()


def _cells(names: list[str], rows: Iterable[Sequence[Any]]) -> Iterable[list[Any]]:
    """Rows as spreadsheet cells: NULL empty, lists joined with "; "."""
    list_positions = [i for i, name in enumerate(names) if name in _LIST_COLUMNS]
    for row in rows:
        cells = ["" if value is None else value for value in row]
        for i in list_positions:
            cells[i] = "; ".join(str(v) for v in _as_list(row[i]))
        yield cells


def _write_xlsx(out: BinaryIO, names: list[str], rows: Iterable[Sequence[Any]]) -> int:
    """One workbook of text cells, streamed row by row (see the module docstring)."""
    # Imported here: XlsxWriter takes 10 MB that CSV and JSON Lines exports do without.
    import xlsxwriter

    workbook = xlsxwriter.Workbook(
        out,
        {
            "constant_memory": True,
            # Never turn text into formulas, links or numbers: cells stay as stored.
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    header = workbook.add_format({"bold": True})
    rtl = workbook.add_format({"reading_order": 2, "align": "right"})
    sheets = 0

    def new_sheet():
        nonlocal sheets
        sheets += 1
        sheet = workbook.add_worksheet("articles" if sheets == 1 else f"articles {sheets}")
        sheet.freeze_panes(1, 0)
        for col, name in enumerate(names):
            sheet.write_string(0, col, name, header)
        return sheet

    sheet = new_sheet()
    row_number = count = sheet_bytes = 0
    for cells in _cells(names, rows):
        row_number += 1
        # Excel's last row, or a sheet as big as a zip member should be: go on in a new sheet.
        if row_number == _XLSX_ROWS or sheet_bytes > _XLSX_SHEET_BYTES:
            sheet, row_number, sheet_bytes = new_sheet(), 1, 0
        for col, value in enumerate(cells):
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                sheet.write_number(row_number, col, value)
            elif value != "":
                text = str(value)
                if len(text) > _XLSX_CELL_MAX:
                    text = text[: _XLSX_CELL_MAX - 1] + "…"  # Excel holds no more
                sheet.write_string(row_number, col, text, rtl if _is_rtl(text) else None)
                sheet_bytes += len(text.encode("utf-8"))
        count += 1
    # Only a zip over 4 GB as a whole (several such sheets) takes ZIP64 records;
    # Python's zipfile adds them just where sizes need them.
    workbook.use_zip64()
    workbook.close()
    return count


def _is_rtl(text: str) -> bool:
    """Whether the first strong letter of ``text`` is Arabic or Hebrew."""
    rtl = _RTL.search(text, 0, 400)
    if rtl is None:
        return False
    ltr = _STRONG_LTR.search(text, 0, rtl.start())
    return ltr is None


def export_to_file(db_path: str | Path, path: str | Path, **options: Any) -> int:
    """:func:`export` into the file ``path``, all or nothing (:func:`write_whole`).
    Takes the keyword options of :func:`export`."""
    return write_whole(path, lambda fh: export(db_path, fh, **options))
