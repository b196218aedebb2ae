"""How the crawl's helper processes end: with their parent, and only on its word.

A crawl child (`schedule`, `demo`, the tests) and the extraction workers must
never outlive the process that started them: a SIGKILLed parent (the OOM
killer, systemd's final kill) would otherwise leave them crawling or holding
memory on their own. Linux's ``prctl(PR_SET_PDEATHSIG)`` has the kernel send
them a signal when their parent dies, whatever killed it; it is called through
ctypes (the standard library has no wrapper). Elsewhere it is a no-op: the
extraction workers then still end with the pool's shutdown.

Interrupts are decided by the parent: a Ctrl-C or a SIGTERM to the process
group reaches every process, and an extraction worker that died of it would
take its pages with it, so workers ignore both and are ended by the crawl.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys

__all__ = ["end_with_parent", "ignore_interrupts"]

_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def end_with_parent(signum: int) -> None:
    """Have the kernel send ``signum`` to this process when its parent dies (Linux)."""
    if not sys.platform.startswith("linux"):
        return
    parent = os.getppid()
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    if libc.prctl(_PR_SET_PDEATHSIG, signum, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    if os.getppid() != parent:  # the parent died before the call: no signal will come
        os.kill(os.getpid(), signum)


def ignore_interrupts() -> None:
    """Ignore SIGINT and SIGTERM: the parent decides when this process ends."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
