"""From the notebook to the shareable files: :func:`publish` is ``kpibook run`` for the
notebook's data set, org and period, in a child process, so the files, their names and the
index entry are exactly those the batch writes, made by the same code.

The notebooks call it in their last cell with the ``share`` parameter: ``False`` (the default,
and what the batch passes) only says how to publish; ``True`` runs it and says where the
files are. ``share`` and ``out`` are read by the rules every parameter follows
(:func:`~helpers.data.choose.as_flag`: ``"否"`` or ``"False"`` is no;
:func:`~helpers.data.choose.out_folder`: ``~`` expanded, pasted spaces dropped), and the
notebooks' load has already checked them before the first section.

A Report publishes its township; a District publishes the district's report with
every township's (what ``kpibook run`` makes for a data set of several townships).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from .data.choose import FORMATS as REPORT_FORMATS
from .data.choose import as_flag, out_folder
from .errors import KpibookError

__all__ = ["publish", "PublishError"]

FORMATS = ",".join(REPORT_FORMATS)  # every format, as ``--to`` takes them


class PublishError(KpibookError, RuntimeError):
    """``kpibook run`` did not make every report it was asked for."""


def command(section: Any, out: Path, to: str = FORMATS) -> list[str]:
    """The ``kpibook run`` command line that makes ``section``'s report files."""
    argv = [sys.executable, "-m", "helpers.cli", "run", "--data", str(section.ds.path)]
    argv += ["--period", str(section.period), "--out", str(out), "--to", to]
    argv += ["--lang", section.lang, "--decimals", str(section.decimals)]
    org = getattr(section, "org", None)
    return argv + (["--org", org] if org else [])


def publish(
    section: Any, share: Any = True, *, out: str | Path | None = None, to: str = FORMATS
) -> None:
    """Make ``section``'s shareable files (HTML, PDF, Word, the executed notebook) under
    ``out`` (default: the project's ``reports/``), as ``kpibook run`` does, and say where."""
    yes = as_flag(share)
    where = out_folder(out or "")
    if not yes:
        print(f"要生成可分享的报告文件，把参数 share 改为 True 后运行全部；文件写入 {where}。")
        print("(to write the shareable files, set share = True and Run All)")
        return
    done = subprocess.run(command(section, where, to), capture_output=True, text=True)
    for line in (done.stderr + done.stdout).splitlines():
        print(line)
    if done.returncode not in (0, 3):  # 3: made, but some township is 未报送
        raise PublishError(f"报告没有全部生成，见上面的记录 (kpibook run exit {done.returncode})")
    print(f"已生成，打开 (open)：{where / str(section.period) / 'index.html'}")
