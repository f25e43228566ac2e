"""From the notebook to the shareable files: :func:`publish` is ``kpibook run`` for the
notebook's data set, org and period, in a child process, so the files, their names and the
index entry are exactly those the batch writes, made by the same code.

The notebooks call it in their last cell with the ``share`` parameter: ``False`` (the default,
and what the batch passes) only says how to publish; ``True`` runs it and says where the
files are. A Report publishes its township; a District publishes the district's report with
every township's (what ``kpibook run`` makes for a data set of several townships).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from .data.choose import project_roots
from .errors import KpibookError

__all__ = ["publish", "PublishError"]

FORMATS = "html,pdf,docx,ipynb"


class PublishError(KpibookError, RuntimeError):
    """``kpibook run`` did not make every report it was asked for."""


def default_out() -> Path:
    """``reports/`` of the project the notebook belongs to (else of the working folder)."""
    roots = project_roots()
    return (roots[0] if roots else Path.cwd()) / "reports"


def command(section: Any, out: Path, to: str = FORMATS) -> list[str]:
    """The ``kpibook run`` command line that makes ``section``'s report files."""
    argv = [sys.executable, "-m", "helpers.cli", "run", "--data", str(section.ds.path)]
    argv += ["--period", str(section.period), "--out", str(out), "--to", to]
    argv += ["--lang", section.lang, "--decimals", str(section.decimals)]
    org = getattr(section, "org", None)
    return argv + (["--org", org] if org else [])


def publish(
    section: Any, share: bool = True, *, out: str | Path | None = None, to: str = FORMATS
) -> None:
    """Make ``section``'s shareable files (HTML, PDF, Word, the executed notebook) under
    ``out`` (default: the project's ``reports/``), as ``kpibook run`` does, and say where."""
    where = Path(out) if out else default_out()
    if not share:
        print(f"要生成可分享的报告文件，把参数 share 改为 True 后运行全部；文件写入 {where}。")
        print("(to write the shareable files, set share = True and Run All)")
        return
    done = subprocess.run(command(section, where.resolve(), to), capture_output=True, text=True)
    for line in (done.stderr + done.stdout).splitlines():
        print(line)
    if done.returncode not in (0, 3):  # 3: made, but some township is 未报送
        raise PublishError(f"报告没有全部生成，见上面的记录 (kpibook run exit {done.returncode})")
    print(f"已生成，打开 (open)：{where.resolve() / str(section.period) / 'index.html'}")
