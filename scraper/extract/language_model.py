"""py3langid's language identifier, with its model read from an uncompressed copy.

py3langid ships its model (68 MB of arrays) LZMA-compressed, and reading it costs
~0.5 s, most of it decompression. The extraction workers' fork server reads it
before a crawl's first page can be extracted, so every crawl waited for it.
Here the model is decompressed once into the user's cache folder (platformdirs,
which Scrapy and datasette already use; ``XDG_CACHE_HOME`` moves it) and read
from there in ~0.08 s. The copy's name carries py3langid's version and the
model file's size, so an upgrade makes a new one. Where the folder cannot be
written, or the model's layout is not the one read here, the model is read as
py3langid reads it: same answers, only slower.
"""

from __future__ import annotations

import functools
import logging
import lzma
import shutil
import zipfile
from array import array
from importlib.metadata import version
from pathlib import Path

import numpy as np
import platformdirs
from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

from archive.files import write_whole

__all__ = ["identifier"]

logger = logging.getLogger(__name__)

_ARRAY_TYPES = {2: "H", 4: "I", 8: "L"}  # numpy's unsigned item sizes -> array's codes


@functools.cache
def identifier() -> LanguageIdentifier:
    """The identifier py3langid.classify would use, loaded once per process."""
    model = Path(MODEL_DIR) / MODEL_FILE
    try:
        return _from_npz(_uncompressed_copy(model))
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        logger.debug("reading py3langid's compressed model (%s)", exc)
        return LanguageIdentifier.from_model_file(model)


def _uncompressed_copy(model: Path) -> Path:
    folder = Path(platformdirs.user_cache_dir("newsarchive"))
    copy = folder / f"py3langid-{version('py3langid')}-{model.stat().st_size}.npz"
    if not copy.exists():
        folder.mkdir(parents=True, exist_ok=True)
        # All or nothing: two processes making it at once both end with a whole file.
        with lzma.open(model) as compressed:
            write_whole(copy, lambda out: shutil.copyfileobj(compressed, out, 1 << 20))
    return copy


def _from_npz(path: Path) -> LanguageIdentifier:
    """The identifier from the model's arrays, as py3langid's own loader builds it
    (py3langid.modelio.load_model, without the decompression)."""
    with np.load(path, allow_pickle=False) as data:
        return LanguageIdentifier(
            np.asarray(data["ptc"]),
            np.asarray(data["pc"]),
            data["classes"].tolist(),
            _array(data["nextmove"]),
            data["out_feat"].tolist(),
            tk_row=_array(data["nextmove_row"]),
        )


def _array(values: np.ndarray) -> array:
    """An unsigned numpy array as the stdlib array py3langid walks in pure Python."""
    out = array(_ARRAY_TYPES[values.dtype.itemsize])
    out.frombytes(np.ascontiguousarray(values).tobytes())
    return out
