"""bench_worker_memory measures a worker forked from the warm extractor, on a few pages."""

from __future__ import annotations

from datetime import datetime, timezone

from benchmarks.bench_scale import corpus_cases
from benchmarks.bench_worker_memory import measure, section


def test_a_worker_per_mode_reports_its_memory_and_cost():
    cases = [case for case in corpus_cases() if case.url][:3]
    pages = [(case.url, case.html.encode()) for case in cases]
    off, trimmed = measure(pages, 2, ("off", "trim"))
    assert (off["mode"], trimmed["mode"]) == ("off", "trim")
    for result in (off, trimmed):
        assert len(result["rounds"]) == 2
        assert 0 < result["after_start"] <= result["after_first_page"]
        assert result["cpu_ms"] > 0 and result["faults"] > 0
    assert off["trim_ms"] == 0 < trimmed["trim_ms"]
    table = section([off, trimmed], len(pages), 2, datetime.now(timezone.utc), "command")
    assert "| `trim` |" in table
