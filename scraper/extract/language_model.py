"""py3langid's language identifier, with its model mapped from an uncompressed copy.

py3langid ships its model (64 MB of arrays) LZMA-compressed, and reading it costs
~0.5 s, most of it decompression. The extraction workers' fork server loads it
before a crawl's first page can be extracted, so every crawl waited for it. Here
the model is decompressed once into the user's cache folder (platformdirs, which
Scrapy and datasette already use; ``XDG_CACHE_HOME`` moves it), one NumPy ``.npy``
file per array, and its two big arrays are memory-mapped (``np.load(mmap_mode="r")``)
rather than read: loading takes ~0.01 s instead of ~0.2 s, and the model's pages
are the OS's file cache, clean and shared by every process, which the OS can drop
under memory pressure, not memory of each process's own. (A page-cache folio comes
in whole: on a kernel that caches files in 2 MB folios, a few texts map most of
the model.) The copy's name carries py3langid's version and the model file's size,
so an upgrade makes a new one. Where the folder cannot be written, or the model's
layout is not the one read here, the model is read as py3langid reads it: same
answers, only slower.
"""

from __future__ import annotations

import functools
import logging
import lzma
import os
import shutil
import tempfile
import zipfile
from array import array
from importlib.metadata import version
from pathlib import Path

import numpy as np
import platformdirs
from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

__all__ = ["identifier"]

logger = logging.getLogger(__name__)

_ARRAY_TYPES = {2: "H", 4: "I", 8: "L"}  # numpy's unsigned item sizes -> array's codes
_ARRAYS = ("ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat")


@functools.cache
def identifier() -> LanguageIdentifier:
    """The identifier py3langid.classify would use, loaded once per process."""
    model = Path(MODEL_DIR) / MODEL_FILE
    try:
        return _mapped(_uncompressed_copy(model))
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        logger.debug("reading py3langid's compressed model (%s)", exc)
        return LanguageIdentifier.from_model_file(model)


def _uncompressed_copy(model: Path) -> Path:
    """The folder of the model's arrays, made once: all or nothing, as two processes
    making it at once both end with a whole one."""
    cache = Path(platformdirs.user_cache_dir("newsarchive"))
    copy = cache / f"py3langid-{version('py3langid')}-{model.stat().st_size}"
    if not copy.is_dir():
        cache.mkdir(parents=True, exist_ok=True)
        partial = Path(tempfile.mkdtemp(prefix=f".{copy.name}.", suffix=".part", dir=cache))
        try:
            npz = partial / "model.npz"
            with lzma.open(model) as compressed, open(npz, "wb") as out:
                shutil.copyfileobj(compressed, out, 1 << 20)
            with np.load(npz, allow_pickle=False) as arrays:
                for name in _ARRAYS:
                    np.save(partial / f"{name}.npy", arrays[name], allow_pickle=False)
            npz.unlink()
            os.rename(partial, copy)
            (cache / f"{copy.name}.npz").unlink(missing_ok=True)  # the earlier one-file copy
        except OSError:
            if not copy.is_dir():  # not another process's copy, made first
                raise
        finally:
            shutil.rmtree(partial, ignore_errors=True)
    return copy


def _mapped(folder: Path) -> LanguageIdentifier:
    """The identifier from the model's arrays, as py3langid's own loader builds it
    (py3langid.modelio.load_model), its two big arrays mapped from their files."""

    def read(name: str, mapped: bool = False) -> np.ndarray:
        return np.load(folder / f"{name}.npy", mmap_mode="r" if mapped else None)

    return LanguageIdentifier(
        read("ptc", mapped=True),
        read("pc"),
        read("classes").tolist(),
        # py3langid walks this table in pure Python: a memoryview's items are Python
        # ints, as fast to read as an array's.
        memoryview(read("nextmove", mapped=True)),
        read("out_feat").tolist(),
        tk_row=_array(read("nextmove_row")),
    )


def _array(values: np.ndarray) -> array:
    """An unsigned numpy array as the stdlib array py3langid walks in pure Python."""
    out = array(_ARRAY_TYPES[values.dtype.itemsize])
    out.frombytes(np.ascontiguousarray(values).tobytes())
    return out
