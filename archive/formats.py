"""The formats an export writes, with their media types: one list, read by archive.export,
the CLI's ``--format`` and the search page's downloads (archive/datasette), which offer
these and only these. A module of its own, without imports, so that the CLI reads it
without loading the exporter and the search index (0.17 s of every command's start)."""

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "jsonl": "application/jsonl; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
