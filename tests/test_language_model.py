"""py3langid's model mapped from an uncompressed copy in the user's cache
(scraper.extract.language_model): the same answers as py3langid's own loader,
the copy made once, its big arrays mapped rather than read, and py3langid's own
loader where the copy cannot be used."""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

import numpy as np
import pytest
from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

from scraper.extract import language_model

TEXTS = [
    "The council met on Monday in the capital to discuss the budget for the coming year.",
    "اجتمع المجلس يوم الاثنين في العاصمة لمناقشة ميزانية العام المقبل، بحسب ما قال مسؤولون.",
    "Le conseil s'est réuni lundi dans la capitale pour discuter du budget de l'année.",
    "Der Rat trat am Montag in der Hauptstadt zusammen, um den Haushalt zu beraten.",
    "شورا روز دوشنبه در پایتخت برای بررسی بودجه سال آینده تشکیل جلسه داد.",
    "Meclis pazartesi günü başkentte gelecek yılın bütçesini görüşmek üzere toplandı.",
]


@pytest.fixture(scope="module")
def reference() -> list[tuple[str, float]]:
    """py3langid's answers, from its own (compressed) model."""
    model = LanguageIdentifier.from_model_file(Path(MODEL_DIR) / MODEL_FILE)
    return [model.classify(text) for text in TEXTS]


def _load(cache: Path, monkeypatch: pytest.MonkeyPatch) -> LanguageIdentifier:
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    return language_model.identifier.__wrapped__()  # not the process's cached one


def test_the_copy_gives_py3langids_answers_and_is_made_once(tmp_path, monkeypatch, reference):
    size = (Path(MODEL_DIR) / MODEL_FILE).stat().st_size
    earlier = tmp_path / "newsarchive" / f"py3langid-{version('py3langid')}-{size}.npz"
    earlier.parent.mkdir()
    earlier.write_bytes(b"the one-file copy that newsarchive made before")
    first = _load(tmp_path, monkeypatch)
    copies = list((tmp_path / "newsarchive").glob("py3langid-*"))
    assert len(copies) == 1
    made = (copies[0] / "ptc.npy").stat().st_mtime_ns
    again = _load(tmp_path, monkeypatch)
    assert (copies[0] / "ptc.npy").stat().st_mtime_ns == made
    assert not list((tmp_path / "newsarchive").glob(".*part"))
    assert not list(copies[0].glob("*.npz"))  # the decompressed archive, read and deleted
    assert not earlier.exists()
    # Mapped from its files (the OS's file cache), not read into the process's memory.
    assert isinstance(again.nb_ptc, np.memmap)
    assert isinstance(again.tk_nextmove.obj, np.memmap)
    assert [first.classify(t) for t in TEXTS] == reference
    assert [again.classify(t) for t in TEXTS] == reference
    assert [r[0] for r in reference] == ["en", "ar", "fr", "de", "fa", "tr"]


def test_a_cache_folder_that_cannot_be_made_reads_the_compressed_model(
    tmp_path, monkeypatch, reference
):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be", encoding="utf-8")
    model = _load(blocker, monkeypatch)
    assert [model.classify(t) for t in TEXTS] == reference


def test_a_damaged_copy_reads_the_compressed_model(tmp_path, monkeypatch, reference):
    _load(tmp_path, monkeypatch)
    (copy,) = (tmp_path / "newsarchive").glob("py3langid-*")
    (copy / "ptc.npy").write_bytes(b"not a model")
    model = _load(tmp_path, monkeypatch)
    assert [model.classify(t) for t in TEXTS] == reference
