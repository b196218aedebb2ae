"""The gazetteer: places, people, organisations and story topics in English and Arabic,
read from data (gazetteer.toml beside this module, and the user's own files).

archive.stories matches an English article with an Arabic one through what a
translation keeps: numbers, dates, and names. Names change script, and their English
spellings vary (Deir ez-Zor, Deir Ezzor, Deir al-Zour), so each entry lists the
spellings in use and maps them to one key; archive.search finds a name in all of
them. Topics ("water", "مياه") tell apart two stories of one place and day.

The entries are data, not code: ``gazetteer.toml`` ships with the package, and the
files named in the ``NEWSARCHIVE_GAZETTEER`` environment variable (separated like
PATH) add entries or replace the built-in ones of the same key, and add adjectives
(docs/gazetteer.md). TOML, read by tomllib (tomli on Python 3.10), as the source
registry is: comments, and Arabic as it is written. No library of names: the
geonames dumps (the maintained source of transliterations) are hundreds of megabytes,
and the names an archive of Syrian news needs are a few hundred, best kept readable
and reviewed.

Each entry is ``(key, kind, English spellings, Arabic spellings)``. Kinds: ``place``
(``common`` for the names nearly every article carries, which say little),
``person``, ``org`` and ``topic``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

try:  # Python 3.11+
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

__all__ = ["ADJECTIVES", "ENTRIES", "NAMED", "WEIGHTS", "GazetteerError", "load"]

BUILTIN = Path(__file__).with_name("gazetteer.toml")
KINDS = ("common", "place", "person", "org", "topic")
# Short English spellings may be acronyms in capitals (SDF, UN); longer ones are lower case.
ACRONYM_MAX = 4

Entry = tuple[str, str, tuple[str, ...], tuple[str, ...]]


class GazetteerError(ValueError):
    """A gazetteer file that cannot be used; names the file, the entry and the field."""


def _spellings(where: str, table: Mapping[str, Any], field: str) -> tuple[str, ...]:
    names = table.get(field)
    if not isinstance(names, list) or not names:
        raise GazetteerError(f"{where}: {field!r} must be a non-empty list of spellings")
    if not all(isinstance(name, str) and name.strip() for name in names):
        raise GazetteerError(f"{where}: every spelling in {field!r} must be non-empty text")
    return tuple(names)


def _entry(file: Path, key: str, table: object) -> Entry:
    where = f"{file}: entries.{key}"
    if not isinstance(table, dict):
        raise GazetteerError(f"{where}: must be a table (kind, en, ar)")
    unknown = sorted(set(table) - {"kind", "en", "ar"})
    if unknown:
        raise GazetteerError(f"{where}: unknown field(s) {', '.join(unknown)}")
    kind = table.get("kind")
    if kind not in KINDS:
        raise GazetteerError(f"{where}: 'kind' must be one of {', '.join(KINDS)}, not {kind!r}")
    english = _spellings(where, table, "en")
    loud = [n for n in english if n != n.lower() and len(n) > ACRONYM_MAX]
    if loud:
        raise GazetteerError(
            f"{where}: English spellings are lower case (or acronyms of up to "
            f"{ACRONYM_MAX} letters): {', '.join(loud)}"
        )
    return key, kind, english, _spellings(where, table, "ar")


def _read(file: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise GazetteerError(f"{file}: cannot be read ({exc.strerror or exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise GazetteerError(f"{file}: not valid TOML ({exc})") from None


def load(
    extra: Iterable[Path] = (),
) -> tuple[tuple[Entry, ...], dict[str, float], frozenset[str], frozenset[str]]:
    """(entries, weights, named kinds, adjectives) of the built-in gazetteer with the
    ``extra`` files' entries added (an entry of a key already there replaces it, in its
    place) and their adjectives added. Weights and named kinds are the built-in file's."""
    data = _read(BUILTIN)
    entries: dict[str, Entry] = {}
    adjectives: set[str] = set()
    for file, content in [(BUILTIN, data), *((Path(f), _read(Path(f))) for f in extra)]:
        unknown = sorted(set(content) - {"entries", "adjectives", "weights", "named"})
        if unknown or (file != BUILTIN and {"weights", "named"} & set(content)):
            raise GazetteerError(
                f"{file}: a gazetteer file holds [entries.KEY] tables and adjectives only"
            )
        for key, table in content.get("entries", {}).items():
            entries[key] = _entry(file, key, table)
        if "adjectives" in content:
            adjectives.update(_spellings(str(file), content, "adjectives"))
    weights = {kind: float(data["weights"][kind]) for kind in KINDS}
    return tuple(entries.values()), weights, frozenset(data["named"]), frozenset(adjectives)


def user_files() -> list[Path]:
    """The user's gazetteer files: NEWSARCHIVE_GAZETTEER, separated like PATH."""
    value = os.environ.get("NEWSARCHIVE_GAZETTEER", "")
    return [Path(p) for p in value.split(os.pathsep) if p]


# How much one shared name says that two articles tell one story (WEIGHTS, by kind); the
# kinds whose spellings name one thing, which search treats as one word (NAMED); the
# spellings that are adjectives, not the name ("Syrian"), which a search for the name
# does not look for (ADJECTIVES).
ENTRIES, WEIGHTS, NAMED, ADJECTIVES = load(user_files())
