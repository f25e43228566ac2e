"""The report's font family, and the Chinese font matplotlib draws the charts with.

No system CJK font is assumed: charts use the static Noto Sans SC Regular that
``pylopdf-fonts-zh-cn`` ships. The pages' fonts (HTML, PDF) are :mod:`helpers.output.fonts`.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from ..errors import FontError

__all__ = ["FAMILY", "pip_font", "register_matplotlib"]

FAMILY = "Noto Sans SC"
"""The CSS and matplotlib family name of the report font."""


def pip_font(name: str = "NotoSansSC-Regular.otf") -> Path:
    """A static font file (OpenType/CFF) shipped by pylopdf-fonts-zh-cn: Noto Sans SC
    Regular, or ``NotoSerifSC-Regular.otf``."""
    path = Path(str(files("pylopdf_fonts_zh_cn") / name))
    if not path.is_file():
        raise FontError(f"{name} not found in pylopdf-fonts-zh-cn: {path}")
    return path


def register_matplotlib() -> str:
    """Make matplotlib draw Chinese with Noto Sans SC Regular; returns the family name.

    Idempotent. Sets ``font.family`` to sans-serif with Noto Sans SC first, and
    ``axes.unicode_minus = False`` (the ASCII hyphen-minus renders in every font), and
    ``text.parse_math = False``: text from data is drawn as it is, never as mathtext.
    pip ships no static Bold, so bold chart text is drawn with the Regular face: the
    face is also registered as weight 700, which keeps matplotlib from logging a
    "Failed to find font weight bold" warning into the notebook's output.
    """
    import dataclasses

    import matplotlib
    from matplotlib import font_manager

    path = str(pip_font())
    manager = font_manager.fontManager
    if not any(entry.fname == path and entry.weight == 700 for entry in manager.ttflist):
        regular = font_manager.ttfFontProperty(font_manager.get_font(path))
        manager.ttflist.append(dataclasses.replace(regular, weight=700))
        manager.addfont(path)  # the Regular entry; also clears findfont's cache
    name = font_manager.FontProperties(fname=path).get_name()
    rc = matplotlib.rcParams
    rc["font.family"] = ["sans-serif"]
    rc["font.sans-serif"] = [name] + [f for f in rc["font.sans-serif"] if f != name]
    rc["axes.unicode_minus"] = False
    rc["text.parse_math"] = False  # names from data are text: "收入 $5 和 $6 元" is not math
    return name
