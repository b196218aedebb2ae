"""How the crawl's helper processes end: with the crawl, and only on its word.

A crawl child (`schedule`, `demo`, the tests) and the extraction workers must
never outlive the process that started them: a SIGKILLed crawl (the OOM
killer, systemd's final kill) would otherwise leave them crawling or holding
memory on their own.

- A crawl child is the child of its launcher: Linux's
  ``prctl(PR_SET_PDEATHSIG)`` has the kernel signal it when the launcher dies,
  whatever killed it (through ctypes: the standard library has no wrapper).
- An extraction worker is the child of multiprocessing's fork server, which
  itself lives as long as any worker does (each holds its "alive" pipe), so the
  death of its parent says nothing. It watches the crawl process instead: a
  thread waits on a pidfd of it (``os.pidfd_open``, Linux 5.3) and ends the
  worker when the crawl is gone.

Elsewhere both are no-ops: the helpers then end with a clean stop only.

Interrupts are decided by the crawl: a Ctrl-C or a SIGTERM to the process
group reaches every process, and an extraction worker that died of it would
take its pages with it, so workers ignore both and are ended by the crawl.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import select
import signal
import sys
import threading

__all__ = ["end_with", "end_with_parent", "ignore_interrupts"]

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


def end_with(pid: int) -> None:
    """End this process (SIGKILL: it ignores the others) when process ``pid`` ends (where
    there are pidfds: Linux)."""
    if not hasattr(os, "pidfd_open"):
        return
    threading.Thread(target=_watch, args=(pid,), name="end-with-crawl", daemon=True).start()


def _watch(pid: int) -> None:
    try:
        pidfd = os.pidfd_open(pid)
    except ProcessLookupError:  # gone already
        pidfd = None
    else:
        select.select([pidfd], [], [])  # readable when the process has ended
    os.kill(os.getpid(), signal.SIGKILL)


def ignore_interrupts() -> None:
    """Ignore SIGINT and SIGTERM: the parent decides when this process ends."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
