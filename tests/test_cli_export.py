"""`newsarchive export` end to end: the command a user runs, on an archive of
real records (the crawled Syrian Observer copy, a diacritised Arabic article,
a cross-outlet copy; tests/test_serve.py's build_archive) plus one record made
to break naive CSV (quotes, commas, CR/LF, formula-like cells).

Exports must round-trip: CSV and JSON Lines read back give the archive's
records, Arabic and newlines intact.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.export import COLUMNS
from archive.recovery import PROVENANCE_COLUMNS
from archive.store import Archive
from scraper.cli import cli
from tests.test_serve import ARABIC, ARABIC_QUERY, ARABIC_URL, ROOT, build_archive

pytestmark = pytest.mark.slow

TRICKY_URL = "https://enab.example/tricky"
TRICKY = {
    "source": "enabbaladi",
    "url": TRICKY_URL,
    "title": '=HYPERLINK("http://evil.example","click"), "quoted"',
    "summary": "+1 for the council; -5 degrees",
    "body": 'Line one, with a comma.\r\nLine two "quoted".\n\n@channel\n\nسطر عربي، مع فاصلة.',
    "authors": ["Staff, Reporter", "سَانَا"],
    "published": "2024-02-29T23:59:59+00:00",
    "language": "ar-SY",
    "tags": ["Syria", "-minus"],
    "editorial_note": "-note",
    "translated": True,
}


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli-export") / "archive.db"
    build_archive(path)
    with Archive(path) as archive:
        archive.upsert(TRICKY)
    return path


def stored(db: Path) -> dict[str, dict]:
    """Every article as the archive holds it, by url."""
    with Archive(db) as archive:
        ids = [row[0] for row in archive.db.execute("select id from articles order by id")]
        # Crawled live: no web archive's provenance (archive.recovery.PROVENANCE_COLUMNS).
        live = dict.fromkeys(PROVENANCE_COLUMNS)
        return {a["url"]: {**a, **live} for a in map(archive.get, ids)}


def run(*args: str, ok: bool = True):
    result = CliRunner().invoke(cli, ["export", *args], catch_exceptions=False)
    if ok:
        assert result.exit_code == 0, result.output
    return result


def exported(n: int) -> str:
    return f"{n} article{'' if n == 1 else 's'} exported"


def as_csv_cell(key: str, value) -> str:
    if value is None:
        return ""
    if key in ("authors", "tags"):
        return "; ".join(value)
    if key == "translated":
        return "1" if value else "0"
    return str(value)


def test_csv_round_trip_to_a_file(db, tmp_path):
    out = tmp_path / "articles.csv"
    result = run("--db", str(db), "-o", str(out))
    records = stored(db)
    assert result.stderr.strip() == exported(len(records))
    data = out.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in data and data.decode("utf-8")  # RFC 4180 line ends, valid UTF-8
    with open(out, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(records) and list(rows[0]) == COLUMNS
    for row in rows:
        record = records[row["url"]]
        for key in COLUMNS:
            assert row[key] == as_csv_cell(key, record[key]), (row["url"], key)
    by_url = {row["url"]: row for row in rows}
    assert by_url[ARABIC_URL]["body"] == ARABIC["body"]  # Arabic with harakat, paragraphs
    assert by_url[TRICKY_URL]["body"] == TRICKY["body"]  # CR/LF, quotes, commas
    assert by_url[TRICKY_URL]["title"] == TRICKY["title"]  # not neutralised without --excel


def test_jsonl_round_trip_to_stdout(db):
    result = run("--db", str(db), "--format", "jsonl")
    records = stored(db)
    items = [json.loads(line) for line in result.stdout_bytes.decode("utf-8").splitlines()]
    assert len(items) == len(records)
    for item in items:
        record = records[item["url"]]
        assert list(item) == COLUMNS
        assert item == {key: record[key] for key in COLUMNS}
    assert "سَانَا" in result.stdout  # Arabic as text, not \\u escapes


def test_stdout_is_utf8_whatever_the_locale(db):
    """The real command, in a C locale with an ASCII-only stdout encoding."""
    env = {"PATH": "/usr/bin:/bin", "LC_ALL": "C", "LANG": "C", "PYTHONIOENCODING": "ascii"}
    result = subprocess.run(
        [sys.executable, "-m", "scraper.cli", "export", "--db", str(db), "--source", "sana"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr.decode()
    rows = list(csv.DictReader(io.StringIO(result.stdout.decode("utf-8"), newline="")))
    assert [row["body"] for row in rows] == [ARABIC["body"]]
    assert result.stderr.decode().strip() == "1 article exported"


def test_stopping_the_reader_is_not_an_error(db):
    result = subprocess.run(
        f"'{sys.executable}' -m scraper.cli export --db '{db}' | head -c 100",
        shell=True,
        cwd=ROOT,
        capture_output=True,
        timeout=120,
    )
    assert len(result.stdout) == 100
    assert b"Traceback" not in result.stderr and b"BrokenPipe" not in result.stderr


def urls(result) -> list[str]:
    return [json.loads(line)["url"] for line in result.stdout.splitlines()]


@pytest.mark.parametrize(
    "args, expected",
    [
        (["--source", "sana"], [ARABIC_URL]),
        (["--source", "sana", "--source", "enabbaladi"], None),  # checked below
        (["--lang", "ar"], [ARABIC_URL, TRICKY_URL]),  # ar-SY is Arabic too
        (["--search", ARABIC_QUERY], [ARABIC_URL]),  # no diacritics finds the harakat text
        (["--search", "المُسْتَشْفَيَاتِ"], [ARABIC_URL]),
        (["--tag", "دمشق"], [ARABIC_URL]),
        (["--tag", "SYRIA"], [TRICKY_URL]),  # tags compare case-insensitively
        (["--since", "2024-02-29", "--until", "2024-02-29"], [TRICKY_URL]),  # whole day
        (["--since", "2025-12-20", "--until", "2025-12-20", "--lang", "ar"], [ARABIC_URL]),
    ],
)
def test_filters(db, args, expected):
    result = run("--db", str(db), "--format", "jsonl", "--columns", "url,source", *args)
    got = urls(result)
    if expected is None:
        records = stored(db)
        expected = [u for u, r in records.items() if r["source"] in ("sana", "enabbaladi")]
    assert got == expected
    assert result.stderr.strip() == exported(len(expected))


def test_date_filters_match_the_archive(db):
    records = stored(db)
    got = urls(run("--db", str(db), "--format", "jsonl", "--since", "2025-01-01"))
    assert got == [u for u, r in records.items() if (r["published"] or "") >= "2025-01-01"]
    got = urls(run("--db", str(db), "--format", "jsonl", "--until", "2024-12-31"))
    assert got == [u for u, r in records.items() if r["published"] and r["published"] < "2025"]


def test_columns_pick_and_order(db):
    result = run("--db", str(db), "--columns", "title,id", "--source", "sana")
    with Archive(db) as archive:
        arabic_id = archive.lookup(ARABIC_URL)
    assert result.stdout_bytes.decode("utf-8") == f"title,id\r\n{ARABIC['title']},{arabic_id}\r\n"


def test_excel_mode(db, tmp_path):
    out = tmp_path / "excel.csv"
    run("--db", str(db), "--excel", "-o", str(out))
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfid,source,") and data.count(b"\xef\xbb\xbf") == 1
    with open(out, encoding="utf-8-sig", newline="") as fh:  # how spreadsheets read it
        rows = {row["url"]: row for row in csv.DictReader(fh)}
    tricky = rows[TRICKY_URL]
    assert tricky["title"] == "'" + TRICKY["title"]
    assert tricky["summary"] == "'" + TRICKY["summary"]
    assert tricky["body"] == TRICKY["body"]  # "@channel" is not at the start of the cell
    assert tricky["editorial_note"] == "'-note"
    assert tricky["tags"] == "Syria; -minus"  # starts with S: left alone
    assert rows[ARABIC_URL]["body"] == ARABIC["body"]  # ordinary cells unchanged


def test_errors_leave_no_file(db, tmp_path):
    out = tmp_path / "out.csv"
    result = run("--db", str(db), "--columns", "title,bodytext", "-o", str(out), ok=False)
    assert result.exit_code == 1
    assert "unknown column 'bodytext'" in result.stderr and "published" in result.stderr
    assert list(tmp_path.iterdir()) == []  # neither out.csv nor a partial file
    result = run("--db", str(db), "--since", "May 1st", "-o", str(out), ok=False)
    assert result.exit_code == 2 and "bad date" in result.stderr  # a usage error, like crawl's
    result = run("--db", str(tmp_path / "none.db"), "-o", str(out), ok=False)
    assert result.exit_code == 1 and "no archive at" in result.stderr
    assert list(tmp_path.iterdir()) == []
    result = run("--db", str(db), "--format", "jsonl", "--excel", ok=False)
    assert result.exit_code == 2 and "--excel applies to CSV only" in result.stderr


def test_failed_export_keeps_the_previous_file(db, tmp_path):
    out = tmp_path / "articles.csv"
    run("--db", str(db), "-o", str(out), "--source", "sana")
    before = out.read_bytes()
    run("--db", str(db), "-o", str(out), "--search", "- :", ok=False)
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["articles.csv"]


def test_export_reads_while_a_crawl_writes(db, tmp_path):
    """A batch held open by a writer (a crawl) neither blocks nor leaks into an export."""
    copy = tmp_path / "archive.db"
    src = sqlite3.connect(db)
    src.execute(f"VACUUM INTO '{copy}'")
    src.close()
    n = len(stored(copy))
    with Archive(copy, batch_size=100) as writer:
        writer.upsert({**TRICKY, "url": "https://enab.example/new", "body": "Other text."})
        result = run("--db", str(copy), "--columns", "url")
        assert result.stderr.strip() == exported(n)
    assert run("--db", str(copy), "--columns", "url").stderr.strip() == exported(n + 1)


def test_export_benchmark_runs(tmp_path):
    """benchmarks/bench_export.py on a small archive: it measures, passes and
    updates its own section of a BENCHMARKS.md, leaving other sections alone."""
    from benchmarks.bench_export import SECTION, main

    start, end = f"<!-- {SECTION}:start -->", f"<!-- {SECTION}:end -->"

    md = tmp_path / "BENCHMARKS.md"
    md.write_text("# Benchmarks\n\n## Extraction\n\nnumbers\n", encoding="utf-8")
    for _ in range(2):  # the second run reuses the archive and replaces the section
        assert main(["--rows", "3000", "--db", str(tmp_path / "b.db"), "--write", str(md)]) == 0
    text = md.read_text(encoding="utf-8")
    assert text.startswith("# Benchmarks\n\n## Extraction\n\nnumbers\n")
    assert text.count(start) == 1 and text.count(end) == 1
    section = text.split(start, 1)[1]
    assert "3,000 articles" in section and "| `--format jsonl` | 3,000 |" in section
    assert "- Machine: " in section and "| NO |" not in section


def test_xlsx_workbook_to_a_file_and_to_standard_output(db, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "articles.xlsx"
    result = run("--db", str(db), "--format", "xlsx", "-o", str(out), "--order", "newest")
    count = int(result.stderr.split()[0])
    rows = list(load_workbook(out, read_only=True).active.iter_rows(values_only=True))
    assert len(rows) == count + 1 and list(rows[0])[:4] == ["id", "source", "url", "title"]
    dates = [r[rows[0].index("published")] for r in rows[1:] if r[rows[0].index("published")]]
    assert dates == sorted(dates, reverse=True)
    piped = run("--db", str(db), "--format", "xlsx", "--source", "sana").stdout_bytes
    sheet = load_workbook(io.BytesIO(piped), read_only=True).active
    titles = [r[3] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert titles == [ARABIC["title"]]
    result = run("--db", str(db), "--format", "xlsx", "--excel", ok=False)
    assert result.exit_code == 2 and "XLSX cells are always text" in result.stderr
    result = run("--db", str(db), "--order", "relevance", ok=False)
    assert result.exit_code == 2 and "--order relevance needs --search" in result.stderr


@pytest.mark.parametrize(
    "args, message",
    [
        (["--source", "sanaa"], "unknown source(s) sanaa: the archive holds "),
        (["--lang", "arabic"], "no article in language 'arabic': the archive's languages are "),
        (["--since", "2025-01-02", "--until", "2025-01-01"], "nothing could match"),
    ],
)
def test_filters_that_can_only_find_nothing_are_errors(db, tmp_path, args, message):
    """A typo in a source or a language, or reversed dates, is an error, not 0 articles."""
    out = tmp_path / "out.csv"
    result = run("--db", str(db), "-o", str(out), *args, ok=False)
    assert result.exit_code == 1 and message in result.stderr, result.output
    assert "Traceback" not in result.output and not out.exists()


def test_a_missing_output_folder_is_one_error_line(db, tmp_path):
    for fmt, name in (("csv", "a.csv"), ("warc", "a.warc.gz")):
        out = tmp_path / "missing-dir" / name
        result = run("--db", str(db), "--format", fmt, "-o", str(out), ok=False)
        assert result.exit_code == 1, result.output
        assert result.stderr.strip() == (
            f"Error: cannot write {out}: there is no folder {out.parent}"
        )


def test_xlsx_is_not_written_to_a_terminal(db):
    """A terminal gets a usage error, not a screenful of binary; a pipe gets the workbook."""
    command = [sys.executable, "-m", "scraper.cli", "export", "--db", str(db), "--format", "xlsx"]
    script = "import pty, sys; sys.exit(pty.spawn(sys.argv[1:]) >> 8)"  # the command on a tty
    tty = subprocess.run(
        [sys.executable, "-c", script, *command], cwd=ROOT, capture_output=True, timeout=120
    )
    assert tty.returncode == 2, tty.stdout
    assert b"XLSX is a binary file" in tty.stdout and b"PK\x03\x04" not in tty.stdout
    piped = subprocess.run(command, cwd=ROOT, capture_output=True, timeout=120)
    assert piped.returncode == 0 and piped.stdout.startswith(b"PK\x03\x04")
