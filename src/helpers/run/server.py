"""The batch's forkserver: what it preloads, what it is told of the batch, and starting it early.

Every report of a batch is forked from one server (:func:`helpers.run.workers.run_forked`)
that imported :data:`PRELOAD` once; importing it warms the server up (:mod:`.warm`) for the
batch that :data:`WARM_ENV` describes. That takes a second and a half, which the command line
need not wait for: :func:`start_early` starts the server before ``kpibook run`` imports pandas
and reads, checks and plans the data set (half a second of its own), so the two overlap. The
batch then :func:`claim`\\ s the server it finds running; a run that ends before (a data
error, nothing to do, every report unchanged) has it stopped by :func:`stop_unclaimed`.

Light to import (no pandas, nothing of the report): the command line imports it first.
"""

from __future__ import annotations

import importlib.util
import json
import os
from collections.abc import Iterable
from typing import Any

from . import workers

__all__ = ["PRELOAD", "WARM_ENV", "start_early", "claim", "stop_unclaimed", "warm_batch"]

#: The module the forkserver imports once before it forks any report (it warms the server up).
PRELOAD = (importlib.util.resolve_name(".preload", __package__),)
#: The environment variable telling the forkserver the batch's formats and the report it makes
#: a part of once (read by :mod:`.warm`: see :func:`warm_batch`).
WARM_ENV = "KPIBOOK_WARM"

_early = False  # a server started by start_early that no batch has claimed yet


def warm_batch(
    formats: Iterable[str],
    *,
    report: bool = True,
    data: str | None = None,
    org: str | None = None,
    period: str | None = None,
    today: str | None = None,
) -> dict[str, Any]:
    """What :data:`WARM_ENV` holds: the batch's formats and, when it makes a township's
    ``report``, where the warm-up finds one to make a part of: the data set (None: the sample),
    the org (None: the first with figures for the period) and the period (None: the default
    for ``today``, an ISO date), each as ``kpibook run`` reads them."""
    warm: dict[str, Any] = {"formats": sorted(set(formats))}
    if report:
        warm |= {"report": True, "data": data, "org": org, "period": period, "today": today}
    return warm


def start_early(warm: dict[str, Any]) -> bool:
    """Start the batch's forkserver now, warming up for ``warm`` (:func:`warm_batch`), and
    return at once. False when a server with these modules runs already (it keeps its warm-up):
    then there is nothing to stop."""
    global _early
    os.environ[WARM_ENV] = json.dumps(warm)
    started = workers.start_server(PRELOAD)
    _early = _early or started
    return started


def claim() -> None:
    """The batch uses the server that is running: it is no longer :func:`start_early`'s."""
    global _early
    _early = False


def stop_unclaimed() -> None:
    """Stop a server :func:`start_early` started that no batch claimed (its warm-up would go on
    for a second after the run, for nothing)."""
    global _early
    if _early:
        _early = False
        workers.stop_server()
