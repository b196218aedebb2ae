"""Files written all or nothing: an export, a served page, a cached model.

A reader (a person opening an export, a process reading a cache) never finds a
half-written file, and an older file survives a failed write.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

__all__ = ["write_whole"]


def write_whole(path: str | Path, write: Callable[[BinaryIO], int]) -> int:
    """``write(stream)`` into the file ``path``, all or nothing; returns what it returns.

    It writes to a hidden ``.NAME.PID.part`` file beside ``path``, renamed over
    ``path`` once complete; an error or an interrupt (Ctrl-C) removes it, so
    ``path`` never holds a half-written file and an older one survives a failed
    write. A folder that does not exist is a ValueError, not a traceback.
    """
    target = Path(path)
    if not target.parent.is_dir():
        raise ValueError(f"cannot write {target}: there is no folder {target.parent}")
    partial = target.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        with open(partial, "wb") as fh:
            count = write(fh)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return count
