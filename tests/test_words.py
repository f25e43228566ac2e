"""helpers.document.words: full-width punctuation in Chinese text, and the bilingual catalogue."""

from __future__ import annotations

import pytest

from helpers.document.model import (
    Cell,
    Column,
    Document,
    Figure,
    Heading,
    Paragraph,
    Row,
    Run,
    Table,
)
from helpers.document.words import Catalogue, zh_punctuation


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "截至6月底,完成848万元,占全年任务1550万元的54.7%(超序时4.7个百分点)。",
            "截至6月底，完成848万元，占全年任务1550万元的54.7%（超序时4.7个百分点）。",
        ),
        ("注: 完成率;序时进度", "注：完成率；序时进度"),
        ("(一)总体情况", "（一）总体情况"),
        ("完成率(%)", "完成率（%）"),
        ("50.0%,同比增长", "50.0%，同比增长"),
        ("是否完成?完成!", "是否完成？完成！"),
        ("“并列”;其余", "“并列”；其余"),
        ("龘,𠀋", "龘，𠀋"),  # rare and Ext-B characters are Chinese too
        # stays as it is: figures, times, Latin text, addresses, brackets around Latin
        ("6,035万元", "6,035万元"),
        ("8:30开会", "8:30开会"),
        ("GDP, CPI (H1)", "GDP, CPI (H1)"),
        ("见 http://a.b/c 网页", "见 http://a.b/c 网页"),
        ("2013(H1)", "2013(H1)"),
        ("f(x)=1", "f(x)=1"),
        ("未配对(括号", "未配对(括号"),
        ("", ""),
    ],
)
def test_zh_punctuation(text, expected):
    assert zh_punctuation(text) == expected
    assert zh_punctuation(expected) == expected  # idempotent


def test_the_neighbouring_runs_decide_a_mark_at_a_run_edge():
    assert zh_punctuation(",占全年", before="元") == "，占全年"
    assert zh_punctuation("848万元", after=",") == "848万元"
    assert zh_punctuation(", 2", before="a") == ", 2"


def test_a_chinese_document_is_punctuated_and_the_callers_blocks_are_kept():
    para = Paragraph((Run("完成848万元"), Run(",占全年任务", bold=True), Run("(预计)")))
    table = Table(
        [Column("gap", "超(欠)序时", group="全年(万元)", hint="个百分点")],
        [Row("sector", "一、工业(规上)"), Row("row", cells={"gap": Cell("6,035", 6035.0)})],
        caption="表1:完成情况",
        notes=["注:说明"],
    )
    blocks = [
        Heading("总体情况", 3, "(一)"),
        para,
        table,
        Figure(b"png", "图:完成率", "图1:完成率"),
    ]
    doc = Document(list(blocks))
    heading, p, t, fig = doc.blocks
    assert heading.full == "（一）总体情况"
    assert [r.text for r in p.runs] == ["完成848万元", "，占全年任务", "（预计）"]
    assert p.runs[1].bold
    assert t.columns[0].label == "超（欠）序时" and t.columns[0].group == "全年（万元）"
    assert t.rows[0].label == "一、工业（规上）" and t.rows[1].cells["gap"].text == "6,035"
    assert t.rows[1].cells["gap"].value == 6035.0
    assert (t.caption, t.notes) == ("表1：完成情况", ["注：说明"])
    assert (fig.alt, fig.caption) == ("图：完成率", "图1：完成率")
    assert table.columns[0].label == "超(欠)序时"  # the caller's table is not changed
    assert Document.from_json(doc.to_json()).to_json() == doc.to_json()


def test_an_english_document_is_left_as_written():
    doc = Document([Paragraph.of("Tax: 848 (万元), up")], lang="en")
    assert doc.blocks[0].text == "Tax: 848 (万元), up"


def test_catalogue_punctuates_chinese_after_the_fields_are_filled_in():
    words = Catalogue(
        {"t": "{name}:各乡镇({n}个)", "h": ("指标", "差距(个百分点)")},
        {"t": "{name}: towns ({n})", "h": ("Indicator", "Gap (pp)")},
    )
    assert words("zh", "t", name="国地两税", n=12) == "国地两税：各乡镇（12个）"
    assert words("en", "t", name="Tax", n=12) == "Tax: towns (12)"
    assert words("zh", "h") == ("指标", "差距（个百分点）")
    assert words("en", "h") == ("Indicator", "Gap (pp)")


def test_catalogue_refuses_a_key_in_one_language_only():
    with pytest.raises(ValueError, match="one language only"):
        Catalogue({"a": "甲", "b": "乙"}, {"a": "A"})
