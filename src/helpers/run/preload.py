"""The batch's forkserver preload: importing this module warms the forkserver up.

multiprocessing's forkserver can only *import* modules before it forks (its
``set_forkserver_preload``), not call a function, so this module is the one place in kpibook
whose import does work: it calls :func:`helpers.run.warm.warm_up`, then ``gc.freeze`` so the
children forked afterwards share those pages copy-on-write. Nothing but the forkserver
imports it (:data:`helpers.run.server.PRELOAD`).
"""

from __future__ import annotations

import gc

from .warm import warm_up

try:
    warm_up()
except Exception:  # a warm-up that fails only costs speed; the reports say what is wrong
    pass
gc.freeze()
