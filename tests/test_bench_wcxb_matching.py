"""How bench_wcxb matches the names given against a WCXB answer (no corpus needed)."""

from __future__ import annotations

import pytest

from benchmarks.bench_wcxb import author_ok


@pytest.mark.parametrize(
    "given, answer, right, right_as_written",
    [
        (["Dylan Bailey"], "Dylan Bailey, MS, RD", True, True),
        (["Lance Ryan"], "Lance Ryan (Content Manager)", True, False),
        (["Andrew Huberman"], "Dr. Andrew Huberman", True, False),
        (["Marna van der Merwe"], "Dr Marna van der Merwe, Dr Dieter Veldsman", True, False),
        (["Laura"], "Laura / House Plant House", True, False),
        (["Paramita Ghosh"], "Paramita (Guha) Ghosh", True, False),
        (["Dr. Vahid Osman"], "Dr. Vahid Osman", True, True),
        (
            ["Center for Drug Evaluation and Research"],
            "Center for Drug Evaluation and Research",
            True,
            True,
        ),
        # A second person given, or another person, or nobody: wrong either way.
        (["Lina Haddad", "Omar Khalil"], "Lina Haddad (Reporter)", False, False),
        (["Omar Khalil"], "Dr. Lina Haddad", False, False),
        ([], "Lina Haddad", False, False),
    ],
)
def test_an_author_is_the_answers_person_whatever_it_writes_beside_the_name(
    given, answer, right, right_as_written
):
    assert author_ok(given, answer) is right
    assert author_ok(given, answer, as_written=True) is right_as_written
