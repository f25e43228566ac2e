"""helpers.base.invisible: the one rule for characters that show nothing, used by file names
(base.files.safe_name), by every message (errors.visible) and by the data layer (data.text)."""

from __future__ import annotations

import unicodedata

import pytest

from helpers.base import invisible
from helpers.base.files import safe_name, unique_names
from helpers.data import text
from helpers.errors import Problem, visible
from helpers.run.console import log_line
from tests.tables import ACTUALS, INDICATORS, TARGETS, write_tables

#: Every invisible character the rule names, and format characters it knows by category.
CHARACTERS = [*invisible.INVISIBLE, "\u2064", "\u0085", "\U000e0001", "\u206a"]


def test_the_data_layer_uses_the_rule_of_base():
    for name in ("INVISIBLE", "is_invisible", "invisible_character", "show_invisible"):
        assert getattr(text, name) is getattr(invisible, name)
    assert invisible.is_invisible("\u202e") and not invisible.is_invisible("\t")
    assert not any(invisible.is_invisible(ch) for ch in "太源镇 AB\n,.")


@pytest.mark.parametrize("char", CHARACTERS, ids=lambda c: f"U+{ord(c):04X}")
def test_no_invisible_character_is_ever_in_a_file_name(char):
    """The tester's C24: 太源\\u202eLMTH.exe\\u200b镇 made a file shown as 太源镇exe.HTML."""
    name = f"太源{char}LMTH.exe{char}镇"
    stem = safe_name(name)
    assert not any(invisible.is_invisible(ch) for ch in stem), stem
    assert not any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in stem)
    assert stem.startswith("太源LMTH.exe镇-")  # readable, with a hash of the original
    assert safe_name("太源LMTH.exe镇") == "太源LMTH.exe镇"
    assert stem != safe_name("太源LMTH.exe镇")  # never the same file as the plain name
    stems = unique_names([name, "太源LMTH.exe镇"])
    assert len(set(stems.values())) == 2


@pytest.mark.parametrize("char", CHARACTERS, ids=lambda c: f"U+{ord(c):04X}")
def test_every_message_shows_invisible_characters_escaped(char, capsys):
    escaped = f"\\u{ord(char):04x}" if ord(char) <= 0xFFFF else f"\\U{ord(char):08x}"
    shown = visible(f"太源镇{char}")
    assert not any(invisible.is_invisible(ch) for ch in shown)
    assert shown == f"太源镇{escaped}" == f"太源镇{invisible.escaped(char)}"
    assert visible("第一\x0b第二") == "第一\\x0b第二"  # control characters as before
    problem = str(Problem("乡镇不存在", file="a.csv", row=2, column="org", value=f"太源镇{char}"))
    assert problem == f"a.csv 第2行 列「org」 值「{shown}」：乡镇不存在"
    log_line(f"[1/1] 2013H1 太源{char}镇: ok")
    err = capsys.readouterr().err
    assert not any(invisible.is_invisible(ch) for ch in err) and "太源\\" in err


def test_the_testers_override_in_an_org_name_is_named_and_makes_no_file(tmp_path):
    """C24 through the real CLI: the name is refused, every message shows the two characters
    escaped (never the raw override, which would turn the line around), nothing is written."""
    import subprocess
    import sys

    name = "甲\u202eLMTH.exe\u200b镇"
    data = write_tables(
        tmp_path / "d",
        {"indicators": INDICATORS, "targets": TARGETS, "actuals": ACTUALS.replace("甲镇", name)},
    )
    out = tmp_path / "out"
    kpibook = [sys.executable.rsplit("/", 1)[0] + "/kpibook", "run", "--data", str(data)]
    result = subprocess.run(
        [*kpibook, "--out", str(out)], capture_output=True, text=True, encoding="utf-8"
    )
    assert result.returncode == 2
    assert (
        "值「甲\\u202eLMTH.exe\\u200b镇」：含有看不见的字符 U+202E 从右到左强制、U+200B 零宽空格"
        in (result.stderr)
    )
    assert "\u202e" not in result.stderr + result.stdout
    assert "\u200b" not in result.stderr + result.stdout
    assert not out.exists() or not [p for p in out.rglob("*") if "exe" in p.name]
