"""The batch's forkserver preload: importing this module warms the forkserver up.

multiprocessing's forkserver can only *import* modules before it forks (its
``set_forkserver_preload``), not call a function, so this module is the one place in kpibook
whose import does work: it ties the server's life to the process that started it (Linux: the
kernel kills the server when that process dies, even by SIGKILL; otherwise the server would
go on warming up for seconds, for nothing), calls :func:`helpers.run.warm.warm_up`, then
``gc.freeze`` so the children forked afterwards share those pages copy-on-write. Nothing but the
forkserver imports it (:data:`helpers.run.server.PRELOAD`).
"""

from __future__ import annotations

import ctypes
import gc
import os
import signal
import sys

_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _die_with_parent() -> None:
    """SIGKILL this process when its parent dies (children forked from it do not inherit it)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # no prctl: the server ends when its warm-up does
        return
    if os.getppid() == 1:  # the parent died before the line above
        os._exit(0)


_die_with_parent()  # first: the warm-up's imports alone take a second

from .warm import warm_up  # noqa: E402

try:
    warm_up()
except Exception:  # a warm-up that fails only costs speed; the reports say what is wrong
    pass
gc.freeze()
