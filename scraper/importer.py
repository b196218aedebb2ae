"""`newsarchive import`: archive already-scraped text dumps, cleaned with the source's rules.

A dump has no URL of its own, so its record is keyed by a URN made from the
source and the file name (urn:newsarchive:<source>:<file stem>): importing the
same file twice reports it unchanged, an edited file gives a revision.
charset_normalizer (already installed with Scrapy's dependencies) reads dumps
that are not UTF-8.
"""

from __future__ import annotations

import re
from pathlib import Path

from charset_normalizer import from_bytes

from archive.ingest import ingest_page
from archive.store import Archive
from scraper.extract import clean_text
from scraper.sources import Source, source_by_id


def read_text(path: Path) -> str:
    """A dump's text: UTF-8 (with or without BOM), else the detected charset."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        best = from_bytes(data).best()
        if best is None:
            raise ValueError(f"{path}: cannot tell the text encoding") from None
        return str(best)


def recognise_source(path: Path, registry: dict[str, Source]) -> str | None:
    """The source a dump belongs to, from its file name ('syrianobserver-000_....txt')."""
    # The longest registry id the file name starts with, followed by a separator
    # ("sana-ar-2024-05.txt" is sana-ar, not sana): ids may hold "-" and "_" themselves.
    for candidate in sorted(registry, key=len, reverse=True):
        if re.match(rf"^{re.escape(candidate)}(?:[-_.]|$)", path.name):
            return candidate
    return path.parent.name if path.parent.name in registry else None


def import_dumps(
    paths: list[Path], *, db: str | Path, source: str | None, registry: dict[str, Source]
) -> dict:
    """Clean and archive each dump; returns the import's crawl_runs row."""
    if source:
        source_by_id(registry, source)
    with Archive(db) as archive:
        run_id = archive.start_run("import", source)
        for path in paths:
            source_id = source or recognise_source(path, registry)
            if source_id is None:
                archive.record_failure(
                    run_id, None, str(path), "extract", "cannot recognise the source; pass --source"
                )
                archive.count(run_id, "failed")
                continue
            try:
                record = clean_text(read_text(path), registry[source_id])
            except (OSError, ValueError) as exc:
                archive.record_failure(run_id, source_id, str(path), "extract", str(exc))
                archive.count(run_id, "failed")
                continue
            record["url"] = f"urn:newsarchive:{source_id}:{path.stem}"
            ingest_page(archive, record, source=source_id, run_id=run_id)
        return archive.finish_run(run_id)
