"""helpers.output.fonts: subset @font-face rules for pages, whole static faces for Typst.

Real fonts throughout: the pip font packages, fontTools reading back what was made.
"""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

import matplotlib
import pytest
from fontTools.ttLib import TTFont

from helpers.base import cache
from helpers.output import fonts

matplotlib.use("Agg")

TEXT = "城关镇2013年上半年工作总结：地区生产总值完成6,035万元，超序时进度2.3个百分点。"
ELSEWHERE = "龘靐"  # in the font, never in TEXT
PAGE = f"<h1>{TEXT}</h1>"  # all of it bold, so both faces hold every character


@pytest.fixture
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Empty in-memory caches and a private disk cache for one test."""
    monkeypatch.setattr(fonts, "_CSS", type(fonts._CSS)())
    monkeypatch.setattr(fonts, "_BASES", [])
    cache = tmp_path / "cache"
    monkeypatch.setenv("KPIBOOK_CACHE", str(cache))
    return cache


def faces(css: str) -> dict[int, TTFont]:
    """The fonts of @font-face rules, by weight, decoded from their data URIs."""
    found = {}
    for rule in re.findall(r"@font-face\s*\{(.*?)\}", css, re.S):
        weight = int(re.search(r"font-weight:\s*(\d+)", rule).group(1))
        family = re.search(r'font-family:\s*"([^"]+)"', rule).group(1)
        assert family == fonts.FAMILY
        data = re.search(r"url\(data:font/woff;base64,([A-Za-z0-9+/=]+)\)", rule).group(1)
        found[weight] = TTFont(io.BytesIO(base64.b64decode(data)))
    return found


def covered(font: TTFont) -> set[str]:
    return {chr(code) for code in font.getBestCmap()}


def assert_faces(page: str, bold: str, not_bold: str) -> None:
    """The page's Regular face holds every character of ``bold`` and ``not_bold``; its Bold
    face those of ``bold`` and none of ``not_bold``."""
    found = faces(fonts.font_face_css(page))
    assert set(bold + not_bold) <= covered(found[400])
    assert set(bold) <= covered(found[700])
    assert not set(not_bold) & covered(found[700])


# ------------------------------------------------------------------------------- @font-face


def test_charset_adds_ascii_and_punctuation_drops_controls():
    chars = fonts.charset("甲镇\x00\x07\n")
    assert {"甲", "镇", "A", "0", "%", "，", "。", "（", "）"} <= chars
    assert not {"\x00", "\x07", "\n"} & chars


def test_font_face_css_is_a_static_regular_and_bold_subset(fresh):
    css = fonts.font_face_css(PAGE)
    assert "url(data:font/woff;base64," in css
    found = faces(css)
    assert sorted(found) == [400, 700]
    wanted = {ch for ch in TEXT}
    for weight, font in found.items():
        assert "fvar" not in font and "gvar" not in font  # static, not variable
        assert font["OS/2"].usWeightClass == weight
        assert font["name"].getDebugName(1) == fonts.FAMILY
        assert font["name"].getDebugName(2) == ("Bold" if weight == 700 else "Regular")
        have = covered(font)
        assert wanted <= have
        assert not set(ELSEWHERE) & have  # a subset, not the whole font
        assert len(have) < 400
    # Bold is really bolder: the same glyph has different outlines.
    regular, bold = found[400], found[700]
    name_r = regular.getBestCmap()[ord("镇")]
    name_b = bold.getBestCmap()[ord("镇")]
    coords_r = regular["glyf"][name_r].getCoordinates(regular["glyf"])[0]
    coords_b = bold["glyf"][name_b].getCoordinates(bold["glyf"])[0]
    assert list(coords_r) != list(coords_b)


def test_font_face_css_is_cached_in_memory_and_on_disk(fresh, monkeypatch):
    first = fonts.font_face_css(PAGE)
    assert fonts.font_face_css(PAGE) is first
    files = list((fresh / "fonts").glob("*.css"))
    assert len(files) == 1
    assert not list((fresh / "fonts").glob(".*"))  # no temporary file left behind

    def no_rebuild(chars):
        raise AssertionError("the disk copy must be used")

    monkeypatch.setattr(fonts, "_static_fonts", no_rebuild)
    fonts._CSS.clear()
    assert fonts.font_face_css(PAGE) == first


def test_disk_cache_can_be_turned_off(fresh, monkeypatch):
    monkeypatch.setenv("KPIBOOK_CACHE", "off")
    assert cache.cache_dir() is None
    assert faces(fonts.font_face_css("乙镇"))
    assert not fresh.exists()


def test_the_bold_face_holds_only_the_text_of_bold_elements(fresh):
    page = (
        "<p>乙镇<b>丙</b>戊</p><h2>丁</h2><table><tr><th>庚</th>"
        '<td class="kpi-status kpi-status-behind">滞后</td><td>辛</td></tr></table>'
        "<p><strong>壬<em>癸</em></strong>子"  # an end tag left out closes what it should
        "<dl><dt>丑&amp;寅</dt><dd>卯</dd></dl><ul><li>辰<br>巳</li></ul>"
    )
    assert_faces(page, bold="丙丁庚滞后壬癸丑寅", not_bold="乙戊辛子卯辰巳")


def test_the_faces_hold_the_text_around_and_inside_data_uris(fresh):
    """The character sets are read with the charts' base64 data URIs left out: what stands
    beside one, in bold or not, and data-URI-like text from data with Chinese in it, are kept."""
    png = base64.b64encode(bytes(range(256)) * 4).decode("ascii")
    page = (
        f'<p>乙<img src="data:image/png;base64,{png}">丙</p>'
        f'<h2>丁<img alt="戊" src="data:image/png;base64,{png}"/>己</h2>'
        "<p>data:图表;base64,QUJD庚+辛=</p><b>data:image/png;base64,QUJD壬</b>"
    )
    assert_faces(page, bold="丁己壬", not_bold="乙丙戊图表庚辛")


def test_bold_text_follows_tags_classes_and_nesting():
    assert fonts.bold_text('<p>甲<span class="x ansi-bold">乙<i>丙</i></span>丁</p>') == "乙丙"
    assert fonts.bold_text("<caption>表</caption><td>数</td>") == "表"
    assert fonts.bold_text("<h3>一、<img src=x>总体</h3>情况") == "一、总体"
    assert fonts.bold_text("</b>甲<b>乙") == "乙"  # a stray end tag closes nothing


def test_preload_serves_covered_text_without_the_variable_font(fresh, monkeypatch):
    union = TEXT + "乙镇丙镇" + ELSEWHERE
    many = "".join(chr(c) for c in range(0x4E00, 0x4E00 + 400))
    fonts.preload(union)
    assert len(list((fresh / "fonts").glob("base-*.ttf"))) == 2
    fonts.preload(union + many)

    def no_variable_font(chars):
        raise AssertionError("covered text must be served from the preloaded fonts")

    monkeypatch.setattr(fonts, "_static_fonts", no_variable_font)
    found = faces(fonts.font_face_css(f"<p>乙镇{TEXT[:10]}</p><h1>丁</h1>"))
    regular, bold = covered(found[400]), covered(found[700])
    assert {"乙", "镇", "丁"} <= regular and "丁" in bold and "乙" not in bold
    for have in (regular, bold):
        assert not set(ELSEWHERE) & have  # cut to the page, not the whole union
    # Preloading the same union again reads it back from disk.
    monkeypatch.setattr(fonts, "_BASES", [])
    fonts.preload(union)
    assert fonts._BASES and set(union) <= fonts._BASES[0][0]
