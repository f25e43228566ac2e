"""kpibook's errors in a notebook: the message an analyst can act on, not a Python traceback.

:func:`plain_errors` asks the running IPython shell (JupyterLab's kernel, papermill's, or
kpibook's engine) to show a :class:`~helpers.errors.KpibookError` as its message alone, in
Chinese first, naming the file, row, column and value. The cell still fails, so Run All,
papermill and the batch stop there as before. Any other exception keeps its traceback: that
is a bug to report. Outside IPython this does nothing.
"""

from __future__ import annotations

from typing import Any

from ..errors import KpibookError

__all__ = ["plain_errors"]


def _show(
    shell: Any, etype: type, value: BaseException, tb: Any, tb_offset: Any = None
) -> list[str]:
    """IPython's custom-exception hook: the message is the whole traceback shown (IPython
    leaves showing it to the hook)."""
    stb = [f"{etype.__name__}: {value}"]
    shell._showtraceback(etype, value, stb)
    return stb


def plain_errors() -> None:
    """Show kpibook's errors plainly in the running IPython shell, if there is one (idempotent)."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is always there with Jupyter
        return
    shell = get_ipython()
    if shell is not None and getattr(shell, "custom_exceptions", ()) != (KpibookError,):
        shell.set_custom_exc((KpibookError,), _show)
