"""RELIABILITY.md's cases name tests that exist, and the report reads pytest's outcomes."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("reliability", ROOT / "scripts" / "reliability.py")
reliability = importlib.util.module_from_spec(spec)
spec.loader.exec_module(reliability)

CASES = reliability.load_cases()


@pytest.mark.parametrize("case", CASES, ids=[c["case"] for c in CASES])
def test_every_case_names_tests_that_exist(case):
    assert case["how"] and case["tests"]
    for node in case["tests"]:
        path, _, name = node.partition("::")
        source = (ROOT / path).read_text(encoding="utf-8")
        if name:
            assert re.search(rf"^def {re.escape(name)}\(", source, re.M), node
    if "figures" in case:
        assert case["result"]


def test_outcomes_and_results_from_a_junit_report(tmp_path):
    junit = tmp_path / "junit.xml"
    junit.write_text(
        "<testsuites><testsuite>"
        '<testcase classname="tests.test_x" name="test_a[1]"/>'
        '<testcase classname="tests.test_x" name="test_a[2]"><failure message="x"/></testcase>'
        '<testcase classname="tests.test_x" name="test_b"/>'
        "</testsuite></testsuites>",
        encoding="utf-8",
    )
    found = reliability.outcomes(junit)
    assert found == {
        "tests/test_x.py::test_a[1]": "passed",
        "tests/test_x.py::test_a[2]": "failed",
        "tests/test_x.py::test_b": "passed",
    }
    assert reliability.result_of({"tests": ["tests/test_x.py::test_b"]}, found) == (
        "passed (1 test)",
        True,
    )
    text, held = reliability.result_of({"tests": ["tests/test_x.py::test_a"]}, found)
    assert not held and text == "**FAILED**: test_a[2]"
    text, held = reliability.result_of({"tests": ["tests/test_y.py"]}, found)
    assert not held and text.startswith("**not run**")
