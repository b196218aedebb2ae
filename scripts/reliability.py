"""Run the reliability cases and write RELIABILITY.md from what they did.

The cases are data (scripts/reliability-cases.toml): what could go wrong, how
it is tried, the tests that try it, and which figures those tests measured
(tests/reliability_figures.py writes them to test-artifacts/reliability/).
This script runs every case's tests in one pytest run (two workers), reads
each test's outcome from pytest's JUnit XML report (the standard way to read
results out of pytest) and the figures, and writes the table.

    python scripts/reliability.py [--write RELIABILITY.md] [--no-run]

``--no-run`` writes the report from the last run's files. Exit status 1 if a
case's test failed (the report is written all the same, saying so).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from pathlib import Path

from scraper.sources import tomllib  # the standard library's, or tomli on 3.10

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "scripts" / "reliability-cases.toml"
ARTIFACTS = ROOT / "test-artifacts" / "reliability"
JUNIT = ARTIFACTS / "junit.xml"
RUN_INFO = ARTIFACTS / "run.json"


def load_cases(path: Path = CASES) -> list[dict]:
    return tomllib.loads(path.read_text(encoding="utf-8"))["case"]


def run_tests(cases: list[dict]) -> None:
    """Every case's tests in one pytest run; the outcomes go to the JUnit report."""
    nodes = list(dict.fromkeys(node for case in cases for node in case["tests"]))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    started = datetime.now(timezone.utc)
    load = os.getloadavg()[0]
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-n", "2", "-q", f"--junitxml={JUNIT}", *nodes],
        cwd=ROOT,
    )
    RUN_INFO.write_text(
        json.dumps(
            {
                "started": started.isoformat(timespec="minutes"),
                "load": load,
                "pytest_status": result.returncode,
                "seconds": round((datetime.now(timezone.utc) - started).total_seconds()),
            }
        ),
        encoding="utf-8",
    )


def outcomes(junit: Path = JUNIT) -> dict[str, str]:
    """Node id (file::test[params]) -> passed, failed or skipped."""
    found = {}
    for case in ET.parse(junit).getroot().iter("testcase"):
        path = case.get("classname", "").replace(".", "/") + ".py"
        if case.find("failure") is not None or case.find("error") is not None:
            outcome = "failed"
        elif case.find("skipped") is not None:
            outcome = "skipped"
        else:
            outcome = "passed"
        found[f"{path}::{case.get('name')}"] = outcome
    return found


def _matches(node: str, test: str) -> bool:
    """Does a case's node id (a file, a test, a test without parameters) name ``test``?"""
    return test == node or test.startswith(node + "::") or test.startswith(node + "[")


def result_of(case: dict, found: dict[str, str]) -> tuple[str, bool]:
    """The case's result cell, and whether it held."""
    tests = {t: o for t, o in found.items() if any(_matches(n, t) for n in case["tests"])}
    failed = sorted(t for t, o in tests.items() if o != "passed")
    missing = [n for n in case["tests"] if not any(_matches(n, t) for t in found)]
    if not tests or missing:
        return f"**not run** ({', '.join(missing) or 'no test'})", False
    text = f"passed ({len(tests)} test{'s' if len(tests) > 1 else ''})"
    if failed:
        text = f"**FAILED**: {', '.join(t.split('::', 1)[1] for t in failed)}"
    figures = case.get("figures")
    if figures and (ARTIFACTS / f"{figures}.json").exists():
        values = json.loads((ARTIFACTS / f"{figures}.json").read_text(encoding="utf-8"))
        text += ": " + case["result"].format(**values)
    return text, not failed


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def report(cases: list[dict], found: dict[str, str]) -> tuple[str, bool]:
    info = json.loads(RUN_INFO.read_text(encoding="utf-8")) if RUN_INFO.exists() else {}
    lines = [
        "# Reliability",
        "",
        "What a hostile site, a careless user or a dying machine can do to a crawl and its",
        "archive, how each case is tried, and what the last run found. Written by",
        "`python scripts/reliability.py --write RELIABILITY.md` (the cases are in",
        "scripts/reliability-cases.toml, the tests in tests/; they also run in the suite).",
        "",
        f"Run {info.get('started', '?')} on {platform.node() or '?'} ({platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}), load average "
        f"{info.get('load', 0):.1f} at the start, {info.get('seconds', '?')} s.",
        "",
        "| Case | How it is tried | Result |",
        "|---|---|---|",
    ]
    held = True
    for case in cases:
        text, ok = result_of(case, found)
        held &= ok
        lines.append(f"| {_cell(case['case'])} | {_cell(case['how'])} | {_cell(text)} |")
    return "\n".join(lines) + "\n", held


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", type=Path, metavar="MARKDOWN", help="e.g. RELIABILITY.md")
    parser.add_argument("--no-run", action="store_true", help="Report the last run's files.")
    args = parser.parse_args(argv)
    cases = load_cases()
    if not args.no_run:
        run_tests(cases)
    text, held = report(cases, outcomes())
    if args.write:
        args.write.write_text(text, encoding="utf-8")
    print(text)
    return 0 if held else 1


if __name__ == "__main__":
    sys.exit(main())
