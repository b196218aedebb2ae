"""Figures the reliability tests measure, kept for scripts/reliability.py (RELIABILITY.md).

Each test that measures something (pages fetched, feeds polled, seconds) writes
its figures to ``test-artifacts/reliability/<name>.json`` (test-artifacts/ is
git-ignored); the report script reads them after running the tests.
"""

from __future__ import annotations

import json
from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "reliability"


def record(name: str, **figures) -> Path:
    """Write one test's figures as JSON; returns the file."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.json"
    path.write_text(json.dumps(figures, indent=2, sort_keys=True), encoding="utf-8")
    return path
