"""The offline site copies and the fixtures are what their data builds, byte for byte.

Every target of ``tests/sitebuild/build.py`` (the copies of scraper/offline/sites/, the
user source of tests/fixtures/user_source/, the cleaning-rule pages of
tests/fixtures/extract/) is rebuilt into a temporary folder and compared with the files in
the repository: every built file, none missing, none extra. After editing a copy's data or
a theme, run ``python -m tests.sitebuild.build`` and commit the data and the files together.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.sitebuild import build

TARGETS = build.targets()


def test_every_copy_and_fixture_is_a_target():
    names = {target.name for target in TARGETS}
    assert {"syrianobserver", "qamishli-post", "extract"} <= names
    assert len(names) == 13


@pytest.mark.parametrize("target", TARGETS, ids=[target.name for target in TARGETS])
def test_rebuild_matches_the_repository(target: build.Target, tmp_path: Path):
    out = tmp_path / target.name
    target.write(out)
    rebuilt = {
        path.relative_to(out).as_posix(): path.read_bytes()
        for path in sorted(out.rglob("*"))
        if path.is_file()
    }
    committed = target.on_disk()
    assert sorted(rebuilt.keys() - committed.keys()) == [], "built but not in the repository"
    assert sorted(committed.keys() - rebuilt.keys()) == [], "in the repository but not built"
    differ = sorted(rel for rel in rebuilt if rebuilt[rel] != committed[rel])
    assert differ == [], f"run `python -m tests.sitebuild.build {target.name}`"
