"""Streamed export of articles to CSV or JSON Lines.

Standard library only: ``sqlite3`` (a read-only connection whose cursor is
iterated row by row, never ``fetchall``, so memory stays flat whatever the
archive's size), ``csv`` for RFC 4180 output and ``json`` for JSON Lines.

``out`` is a text stream: open files with ``encoding="utf-8", newline=""``
(the csv module writes its own "\\r\\n" line ends; newline translation would
double them on Windows). A binary stream is accepted too and written as
UTF-8. In ``excel`` mode a UTF-8 byte order mark goes first, so do not also
open the file with "utf-8-sig".
"""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO, TextIO
from urllib.parse import quote

from archive.arabic import fold, fold_query
from archive.clock import parse_user_date
from archive.record import READER_FIELDS

__all__ = ["COLUMNS", "FORMATS", "export", "export_to_file"]

COLUMNS = ["id", *READER_FIELDS, "first_seen", "last_seen"]
FORMATS = {"csv": "csv", "jsonl": "jsonl", "ndjson": "jsonl"}
_LIST_COLUMNS = {"authors", "tags"}
# OWASP "CSV injection": a spreadsheet runs cells starting with these.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


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
    conn.create_function("tag_key", 1, _tag_key, deterministic=True)
    return conn


def _tag_key(value: Any) -> str | None:
    return fold(str(value)).casefold() if value is not None else None


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


def _bound(value: str | date | datetime, *, upper: bool) -> tuple[str, str]:
    """SQL comparison and ISO value for a since/until bound on published."""
    when = parse_user_date(value)
    if when.whole_day:
        # A bare date is a whole day: until=2024-05-01 includes all of May 1.
        return ("<", when.end().isoformat()) if upper else (">=", when.start().isoformat())
    return ("<=" if upper else ">="), when.moment.isoformat()


def _where(
    source: str | Sequence[str] | None,
    lang: str | None,
    since: Any,
    until: Any,
    search: str | None,
    tag: str | None,
) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if source:
        sources = [source] if isinstance(source, str) else list(source)
        clauses.append(f"source IN ({', '.join('?' for _ in sources)})")
        params.extend(sources)
    if lang:
        # "ar" also matches regional tags such as "ar-SY".
        clauses.append("(lower(language) = lower(?) OR lower(language) LIKE lower(?) || '-%')")
        params.extend([lang, lang])
    # Rows without a published date cannot satisfy a date bound.
    for value, upper in ((since, False), (until, True)):
        if value:
            op, iso = _bound(value, upper=upper)
            clauses.append(f"published {op} ?")
            params.append(iso)
    if search is not None:
        folded = fold_query(search)
        if not folded:
            raise ValueError(f"search {search!r} has no words to look for")
        clauses.append("id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
        params.append(folded)
    if tag:
        # Tags compare folded and case-insensitively: "Syria" = "syria",
        # "الأسد" = "الاسد".
        clauses.append(
            "json_valid(tags) AND EXISTS (SELECT 1 FROM json_each(articles.tags) "
            "WHERE tag_key(json_each.value) = tag_key(?))"
        )
        params.append(tag)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def _as_list(value: Any) -> list[Any]:
    if value is None or value == "":
        return []
    try:
        decoded = json.loads(value)
    except (TypeError, ValueError):
        return [value]
    return decoded if isinstance(decoded, list) else [decoded]


def _neutralise(cell: str) -> str:
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


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
) -> int:
    """Write the archive's articles to ``out``; returns the number of rows.

    ``format`` is "csv" (RFC 4180: comma, double quotes when needed, "\\r\\n",
    UTF-8, header row; authors and tags joined with "; ") or "jsonl" (one
    JSON object per line, lists kept as lists). Filters combine with AND:
    ``source`` (one id or several), ``lang``, ``since``/``until`` (on
    published; a bare date includes that whole day), ``search`` (full-text,
    Arabic folded), ``tag`` (one of the article's tags). ``columns`` picks
    and orders columns (default :data:`COLUMNS`; any articles column is
    valid). ``excel`` (CSV only) adds a BOM and prefixes cells that start
    with = + - @ tab or CR with a single quote, so spreadsheets do not run
    them as formulas. Rows come out in archive order (id).
    """
    fmt = FORMATS.get(str(format).lower())
    if fmt is None:
        raise ValueError(f"unknown format {format!r}; use csv or jsonl")
    path = Path(db_path)
    conn = _connect(path)
    wrapper = None
    try:
        valid = [row[1] for row in conn.execute("PRAGMA table_info(articles)")]
        if not valid:
            raise ValueError(f"{path} is not a newsarchive archive (no articles table)")
        names = _columns(columns, valid)
        where, params = _where(source, lang, since, until, search, tag)
        select = ", ".join(f'"{name}"' for name in names)
        cursor = conn.execute(f"SELECT {select} FROM articles{where} ORDER BY id", params)

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
        list_positions = [i for i, name in enumerate(names) if name in _LIST_COLUMNS]
        for row in cursor:
            cells = ["" if value is None else value for value in row]
            for i in list_positions:
                cells[i] = "; ".join(str(v) for v in _as_list(row[i]))
            if excel:
                cells = [_neutralise(c) if isinstance(c, str) else c for c in cells]
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


def export_to_file(db_path: str | Path, path: str | Path, **options: Any) -> int:
    """:func:`export` into the file ``path``, all or nothing.

    Rows go to a hidden ``.NAME.PID.part`` file beside ``path``, renamed over
    ``path`` once complete; an error or an interrupt (Ctrl-C) removes it, so
    ``path`` never holds a half-written export and an older export survives a
    failed one. Takes the keyword options of :func:`export`.
    """
    target = Path(path)
    partial = target.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        with open(partial, "w", encoding="utf-8", newline="") as fh:
            count = export(db_path, fh, **options)
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return count
