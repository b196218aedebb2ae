"""What changed: every version of an article and a word-level diff between any two.

The archive keeps each replaced text in ``revisions`` (archive.articles); the
versions of an article are those rows, oldest first (by date: a version recovered
from a web archive may be older than the ones before it, archive.recovery), then
the current row.
Version 1 is the text first archived. The diff is word by word (a word, a run
of spaces or one punctuation mark is a token, so Arabic diffs as Arabic words),
body paragraphs are aligned first so a changed sentence shows inside its
paragraph and the rest is not repeated. ``newsarchive history`` prints it
(``[-old-]{+new+}``, coloured on a terminal, as ``git diff --word-diff``); the
datasette article page renders the same diff as ``<del>``/``<ins>``.

difflib (the standard library's SequenceMatcher) does the alignment: it is
what Python's own tools use, and word lists of a news article are small.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import re
import sqlite3
from typing import Any

from markupsafe import Markup, escape

__all__ = ["FIELDS", "Version", "diff_versions", "render_html", "render_text", "versions"]

# The fields a reader compares, with their names on screen.
FIELDS = {"title": "title", "summary": "standfirst", "body": "body", "tags": "tags"}

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


@dataclasses.dataclass(frozen=True)
class Version:
    number: int
    since: str | None  # when this text was first archived
    until: str | None  # when it was replaced (None: the current text)
    title: str
    summary: str
    body: str
    tags: list[str]
    content_hash: str | None


def _tags(value: Any) -> list[str]:
    if not value:
        return []
    try:
        decoded = json.loads(value)
    except (TypeError, ValueError):
        return [str(value)]
    return [str(t) for t in decoded] if isinstance(decoded, list) else [str(decoded)]


def versions(conn: sqlite3.Connection, article_id: int) -> list[Version]:
    """Every archived version of an article, oldest first (empty if there is no article)."""
    current = conn.execute(
        "SELECT first_seen, title, summary, body, tags, content_hash FROM articles WHERE id = ?",
        [article_id],
    ).fetchone()
    if current is None:
        return []
    rows = conn.execute(
        "SELECT revised_at, title, summary, body, tags, content_hash FROM revisions "
        "WHERE article_id = ? ORDER BY revised_at, id",
        [article_id],
    ).fetchall()
    result = []
    since = current[0]
    for number, (revised_at, title, summary, body, tags, digest) in enumerate(rows, 1):
        result.append(
            Version(
                number,
                since,
                revised_at,
                title or "",
                summary or "",
                body or "",
                _tags(tags),
                digest,
            )
        )
        since = revised_at
    _first, title, summary, body, tags, digest = current
    result.append(
        Version(
            len(rows) + 1, since, None, title or "", summary or "", body or "", _tags(tags), digest
        )
    )
    return result


Ops = list[tuple[str, str]]  # ("=", text) kept, ("-", text) removed, ("+", text) added


def word_diff(old: str, new: str) -> Ops:
    """Word-level diff of two texts as ``(op, text)`` runs."""
    a, b = _TOKEN.findall(old or ""), _TOKEN.findall(new or "")
    ops: Ops = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            ops.append(("=", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            ops.append(("-", "".join(a[i1:i2])))
        if j2 > j1:
            ops.append(("+", "".join(b[j1:j2])))
    return ops


@dataclasses.dataclass(frozen=True)
class Paragraph:
    """One body paragraph of a diff: its number in the newer version, and its runs."""

    number: int | None
    ops: Ops


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in (text or "").split("\n\n") if p.strip()]


def body_diff(old: str, new: str) -> list[Paragraph]:
    """The changed paragraphs only: aligned paragraph by paragraph, then word by word."""
    a, b = _paragraphs(old), _paragraphs(new)
    changed: list[Paragraph] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        olds, news = a[i1:i2], b[j1:j2]
        # Pair the replaced paragraphs one to one; what is left over was cut or added.
        for k in range(max(len(olds), len(news))):
            before = olds[k] if k < len(olds) else ""
            after = news[k] if k < len(news) else ""
            number = j1 + k + 1 if k < len(news) else None
            changed.append(Paragraph(number, word_diff(before, after)))
    return changed


def diff_versions(old: Version, new: Version) -> dict[str, Any]:
    """What changed from ``old`` to ``new``: per field of :data:`FIELDS` that changed,
    word runs (``body``: a list of :class:`Paragraph`; ``tags``: removed and added)."""
    changes: dict[str, Any] = {}
    if old.title != new.title:
        changes["title"] = word_diff(old.title, new.title)
    if old.summary != new.summary:
        changes["summary"] = word_diff(old.summary, new.summary)
    if old.body != new.body:
        changes["body"] = body_diff(old.body, new.body)
    if old.tags != new.tags:
        changes["tags"] = {
            "removed": [t for t in old.tags if t not in new.tags],
            "added": [t for t in new.tags if t not in old.tags],
        }
    return changes


_STYLE = {"-": ("\x1b[31m[-", "-]\x1b[0m"), "+": ("\x1b[32m{+", "+}\x1b[0m")}
_PLAIN = {"-": ("[-", "-]"), "+": ("{+", "+}")}


def _runs_text(ops: Ops, color: bool) -> str:
    marks = _STYLE if color else _PLAIN
    return "".join(text if op == "=" else marks[op][0] + text + marks[op][1] for op, text in ops)


def _changed_rows(old: Version, new: Version) -> list[tuple[str, str, list[Ops]]]:
    """What changed as rows to show, ``(field, label, runs)``: one row per changed field,
    one per changed paragraph of the body; a tag is a run of its own."""
    changes = diff_versions(old, new)
    rows = []
    for field, label in FIELDS.items():
        if field not in changes:
            continue
        if field == "body":
            for paragraph in changes["body"]:
                where = f"paragraph {paragraph.number}" if paragraph.number else "cut paragraph"
                rows.append((field, f"body, {where}", [paragraph.ops]))
        elif field == "tags":
            ops = [("-", t) for t in changes["tags"]["removed"]]
            ops += [("+", t) for t in changes["tags"]["added"]]
            rows.append((field, label, [[op] for op in ops]))
        else:
            rows.append((field, label, [changes[field]]))
    return rows


def render_text(old: Version, new: Version, *, color: bool = False) -> str:
    """The diff of two versions for a terminal, field by field."""
    rows = _changed_rows(old, new)
    if not rows:
        return "  (no change in title, standfirst, body or tags)"
    return "\n".join(
        f"  {label}: {' '.join(_runs_text(ops, color) for ops in runs)}"
        for _field, label, runs in rows
    )


def _runs_html(ops: Ops) -> Markup:
    tags = {"-": "del", "+": "ins"}
    return Markup("").join(
        escape(text) if op == "=" else Markup(f"<{tags[op]}>{escape(text)}</{tags[op]}>")
        for op, text in ops
    )


def render_html(old: Version, new: Version) -> list[dict[str, Any]]:
    """The diff of two versions as rows for a template: ``{"field", "label", "html"}``
    (``<del>`` removed, ``<ins>`` added; body rows name their paragraph)."""
    return [
        {"field": field, "label": label, "html": Markup(" ").join(_runs_html(o) for o in runs)}
        for field, label, runs in _changed_rows(old, new)
    ]
