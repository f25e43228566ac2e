"""Held-out sheets: written after the importer, in layouts it was not built against.

``python tests/sheets/holdout.py [--second | --all]`` builds each sheet in a temporary folder, imports it and
compares every figure with the expected one written here by hand; it prints, per sheet,
``right``, ``problem`` (the import stopped with problems: nothing written) or ``WRONG`` (the
import went through with a wrong or a missing figure), then the tally. ``WRONG`` must never
happen (tests/test_import_holdout.py checks it); ``problem`` is allowed but counted.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook

#: (org, indicator name, period) → (value, unit) for targets; (value, unit, yoy) for actuals.
Targets = dict[tuple[str, str, str], tuple[float, str]]
Actuals = dict[tuple[str, str, str], tuple[float, str, float | None]]


@dataclass
class Case:
    name: str
    build: Callable[[Path], list[Path]]
    targets: Targets
    actuals: Actuals
    args: dict[str, str] | None = None


def _book(path: Path, sheets: dict[str, Any], merges: dict[str, list[str]]) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
        for rng in merges.get(title, []):
            ws.merge_cells(rng)
    wb.save(path)
    return path


def h1(out: Path) -> list[Path]:
    """Org after the period, 年度计划 / 1-6月实绩 / 比上年同期±% / 占年度计划%."""
    rows = [
        ["2016年1-6月新桥镇主要指标完成情况"],
        ["指标", "计量单位", "年度计划", "1-6月实绩", "比上年同期±%", "占年度计划%"],
        ["财政总收入", "万元", 5200, 2700, 8.2, 51.9],
        ["工业投资", "亿元", 6, 3.2, -4.5, 53.3],
    ]
    return [_book(out / "h1.xlsx", {"表1": rows}, {})]


def h2(out: Path) -> list[Path]:
    """本年 over 全年目标 | 1-6月, 上年 over 1-6月, then 增长%."""
    rows = [
        ["石门镇2016年上半年经济指标"],
        ["指标名称", "单位", "本年", None, "上年", "增长%"],
        [None, None, "全年目标", "1-6月", "1-6月", None],
        ["规上工业产值", "亿元", 20, 9.6, 8.8, 9.1],
        ["社会消费品零售总额", "万元", 15000, 7300, 6900, 5.8],
    ]
    merges = ["C2:D2", "A2:A3", "B2:B3", "F2:F3"]
    return [_book(out / "h2.xlsx", {"Sheet1": rows}, {"Sheet1": merges})]


def h3(out: Path) -> list[Path]:
    """填报单位(盖章):高桥乡人民政府, no org in the title, +12.3% strings."""
    rows = [
        ["2016年1-6月主要经济指标完成情况表"],
        ["填报单位(盖章):高桥乡人民政府"],
        ["指标名称", "单位", "全年目标", "1-6月累计", "同比"],
        ["农业总产值", "万元", 9000, 4100, "+3.2%"],
        ["新增就业", "人", 300, 160, "+6.7%"],
    ]
    return [_book(out / "h3.xlsx", {"Sheet1": rows}, {})]


def h4(out: Path) -> list[Path]:
    """A district sheet: 镇(街道), 完成进度% and 排名 in each group, a 全县 row."""
    rows = [
        ["东江县2016年上半年各乡镇主要经济指标完成情况"],
        ["镇(街道)", "固定资产投资(亿元)", None, None, None, "税收收入(万元)", None, None],
        [None, "年度目标", "1-6月完成", "完成进度%", "排名", "年度目标", "1-6月完成", "同比增长%"],
        ["东江镇", 12, 6.6, 55, 1, 8000, 4200, 7.7],
        ["西岭乡", 5, 2.1, 42, 2, 2500, 1150, -2.0],
        ["全县", 17, 8.7, 51.2, None, 10500, 5350, 5.4],
    ]
    merges = ["A2:A3", "B2:E2", "F2:H2"]
    return [_book(out / "h4.xlsx", {"汇总": rows}, {"汇总": merges})]


def h5(out: Path) -> list[Path]:
    """A district sheet whose units sit in a row of their own below the indicator names."""
    rows = [
        ["南山区各街道2016年1-6月指标完成情况"],
        ["街道", "地区生产总值", None, "一般公共预算收入", None],
        [None, "亿元", None, "万元", None],
        [None, "全年目标", "1-6月", "全年目标", "1-6月"],
        ["桂园街道", 40, 19.5, 6000, 3100],
        ["南湖街道", 35, 17.2, 5200, 2600],
    ]
    merges = ["B2:C2", "D2:E2", "B3:C3", "D3:E3", "A2:A4"]
    return [_book(out / "h5.xlsx", {"Sheet1": rows}, {"Sheet1": merges})]


def h6(out: Path) -> list[Path]:
    """A UTF-8 CSV with BOM: 项目名称 | 单位 | 年计划 | 累计完成 | 同比增减(%) | 去年同期."""
    text = (
        "清河镇2016年1-6月重点指标完成情况\n"
        "项目名称,单位,年计划,累计完成,同比增减(%),去年同期\n"
        "招商引资到位资金,万元,60000,31000,12.0,27680\n"
        "城镇化率,%,58,56.5,,55.1\n"
    )
    path = out / "h6.csv"
    path.write_text("\ufeff" + text, encoding="utf-8")
    return [path]


def h7(out: Path) -> list[Path]:
    """上半年目标 and 全年目标, 1-6月完成, 完成上半年目标%, 完成全年目标%."""
    rows = [
        ["柳溪镇2016年1-6月主要经济指标完成情况表"],
        [
            "指标名称",
            "单位",
            "全年目标",
            "上半年目标",
            "1-6月完成",
            "完成上半年目标%",
            "完成全年目标%",
        ],
        ["规上工业增加值", "亿元", 4, 1.9, 2.0, 105.3, 50],
        ["限上社零额", "万元", 9000, 4300, 4400, 102.3, 48.9],
    ]
    return [_book(out / "h7.xlsx", {"Sheet1": rows}, {})]


def h8(out: Path) -> list[Path]:
    """Month tabs: 1-5月 and 1-6月 in one workbook, each cumulative."""

    def tab(months: int, fai: float) -> list[list[Any]]:
        return [
            [f"桃源乡2016年1-{months}月主要指标完成情况"],
            ["指标名称", "单位", "全年目标", f"1-{months}月累计"],
            ["固定资产投资", "万元", 20000, fai],
        ]

    sheets = {"1-5月": tab(5, 8100), "1-6月": tab(6, 10300)}
    return [_book(out / "h8.xlsx", sheets, {})]


def h9(out: Path) -> list[Path]:
    """一季度, 街道, a rate written ≥98% with a fraction actual."""
    rows = [
        ["东湖街道2016年一季度主要工作指标"],
        ["指标名称", "单位", "年度目标", "一季度完成"],
        ["社区矛盾纠纷调处成功率", "%", "≥98%", 0.985],
        ["新增市场主体", "户", 400, 118],
    ]
    return [_book(out / "h9.xlsx", {"Sheet1": rows}, {})]


def h10(out: Path) -> list[Path]:
    """Two townships' sheets in one call, the same indicators spelled differently."""
    a = [
        ["白沙镇2016年1-6月主要经济指标完成情况表"],
        ["指标名称", "单位", "全年目标", "1-6月累计", "同比±%"],
        ["国地税收", "万元", 3000, 1500, 6.0],
    ]
    b = [
        ["黄土镇2016年1-6月主要经济指标完成情况表"],
        ["指标名称", "单位", "全年目标", "1-6月累计", "同比±%"],
        ["国 地 两 税", "万元", 2000, 900, -1.5],
    ]
    return [
        _book(out / "h10a.xlsx", {"Sheet1": a}, {}),
        _book(out / "h10b.xlsx", {"Sheet1": b}, {}),
    ]


CASES = [
    Case(
        "h1 org after period, 年度计划/实绩",
        h1,
        {
            ("新桥镇", "财政总收入", "2016"): (5200, "万元"),
            ("新桥镇", "工业投资", "2016"): (6, "亿元"),
        },
        {
            ("新桥镇", "财政总收入", "2016H1"): (2700, "万元", 8.2),
            ("新桥镇", "工业投资", "2016H1"): (3.2, "亿元", -4.5),
        },
    ),
    Case(
        "h2 本年/上年 groups",
        h2,
        {
            ("石门镇", "规上工业产值", "2016"): (20, "亿元"),
            ("石门镇", "社会消费品零售总额", "2016"): (15000, "万元"),
        },
        {
            ("石门镇", "规上工业产值", "2016H1"): (9.6, "亿元", 9.1),
            ("石门镇", "规上工业产值", "2015H1"): (8.8, "亿元", None),
            ("石门镇", "社会消费品零售总额", "2016H1"): (7300, "万元", 5.8),
            ("石门镇", "社会消费品零售总额", "2015H1"): (6900, "万元", None),
        },
    ),
    Case(
        "h3 填报单位(盖章):, +3.2% strings",
        h3,
        {
            ("高桥乡", "农业总产值", "2016"): (9000, "万元"),
            ("高桥乡", "新增就业", "2016"): (300, "人"),
        },
        {
            ("高桥乡", "农业总产值", "2016H1"): (4100, "万元", 3.2),
            ("高桥乡", "新增就业", "2016H1"): (160, "人", 6.7),
        },
    ),
    Case(
        "h4 district, 镇(街道), 全县 row",
        h4,
        {
            ("东江镇", "固定资产投资", "2016"): (12, "亿元"),
            ("西岭乡", "固定资产投资", "2016"): (5, "亿元"),
            ("东江镇", "税收收入", "2016"): (8000, "万元"),
            ("西岭乡", "税收收入", "2016"): (2500, "万元"),
        },
        {
            ("东江镇", "固定资产投资", "2016H1"): (6.6, "亿元", None),
            ("西岭乡", "固定资产投资", "2016H1"): (2.1, "亿元", None),
            ("东江镇", "税收收入", "2016H1"): (4200, "万元", 7.7),
            ("西岭乡", "税收收入", "2016H1"): (1150, "万元", -2.0),
        },
    ),
    Case(
        "h5 district, units in their own row",
        h5,
        {
            ("桂园街道", "地区生产总值", "2016"): (40, "亿元"),
            ("南湖街道", "地区生产总值", "2016"): (35, "亿元"),
            ("桂园街道", "一般公共预算收入", "2016"): (6000, "万元"),
            ("南湖街道", "一般公共预算收入", "2016"): (5200, "万元"),
        },
        {
            ("桂园街道", "地区生产总值", "2016H1"): (19.5, "亿元", None),
            ("南湖街道", "地区生产总值", "2016H1"): (17.2, "亿元", None),
            ("桂园街道", "一般公共预算收入", "2016H1"): (3100, "万元", None),
            ("南湖街道", "一般公共预算收入", "2016H1"): (2600, "万元", None),
        },
    ),
    Case(
        "h6 UTF-8 CSV, 项目名称/年计划/去年同期",
        h6,
        {
            ("清河镇", "招商引资到位资金", "2016"): (60000, "万元"),
            ("清河镇", "城镇化率", "2016"): (58, "%"),
        },
        {
            ("清河镇", "招商引资到位资金", "2016H1"): (31000, "万元", 12.0),
            ("清河镇", "招商引资到位资金", "2015H1"): (27680, "万元", None),
            ("清河镇", "城镇化率", "2016H1"): (56.5, "%", None),
            ("清河镇", "城镇化率", "2015H1"): (55.1, "%", None),
        },
    ),
    Case(
        "h7 完成上半年目标% / 完成全年目标%",
        h7,
        {
            ("柳溪镇", "规上工业增加值", "2016"): (4, "亿元"),
            ("柳溪镇", "规上工业增加值", "2016H1"): (1.9, "亿元"),
            ("柳溪镇", "限上社零额", "2016"): (9000, "万元"),
            ("柳溪镇", "限上社零额", "2016H1"): (4300, "万元"),
        },
        {
            ("柳溪镇", "规上工业增加值", "2016H1"): (2.0, "亿元", None),
            ("柳溪镇", "限上社零额", "2016H1"): (4400, "万元", None),
        },
    ),
    Case(
        "h8 month tabs 1-5月, 1-6月",
        h8,
        {("桃源乡", "固定资产投资", "2016"): (20000, "万元")},
        {
            ("桃源乡", "固定资产投资", "2016-05"): (8100, "万元", None),
            ("桃源乡", "固定资产投资", "2016H1"): (10300, "万元", None),
        },
    ),
    Case(
        "h9 一季度, ≥98% with 0.985",
        h9,
        {
            ("东湖街道", "社区矛盾纠纷调处成功率", "2016"): (98, "%"),
            ("东湖街道", "新增市场主体", "2016"): (400, "户"),
        },
        {
            ("东湖街道", "社区矛盾纠纷调处成功率", "2016Q1"): (98.5, "%", None),
            ("东湖街道", "新增市场主体", "2016Q1"): (118, "户", None),
        },
    ),
    Case(
        "h10 two townships, two spellings",
        h10,
        # one indicator (tax), one name in the merged set: the first sheet's spelling
        {
            ("白沙镇", "国地税收", "2016"): (3000, "万元"),
            ("黄土镇", "国地税收", "2016"): (2000, "万元"),
        },
        {
            ("白沙镇", "国地税收", "2016H1"): (1500, "万元", 6.0),
            ("黄土镇", "国地税收", "2016H1"): (900, "万元", -1.5),
        },
    ),
]


# --------------------------------------------------------------------------- second batch
# Written after the first batch's two fixes (填报单位(盖章):, a unit row in district headers),
# and run once before any further change.


def b1(out: Path) -> list[Path]:
    """Years in the headers: 2016年目标 | 2016年1-6月 | 2015年1-6月 | 增幅(%)."""
    rows = [
        ["云岭镇主要指标完成情况"],
        ["主要指标", "单位", "2016年目标", "2016年1-6月", "2015年1-6月", "增幅(%)"],
        ["财政收入", "万元", 3600, 1900, 1760, 8.0],
    ]
    return [_book(out / "b1.xlsx", {"Sheet1": rows}, {})]


def b2(out: Path) -> list[Path]:
    """本期 over 绝对额 | 增幅%, a 类别 column."""
    rows = [
        ["长乐镇2016年1-6月经济指标完成情况"],
        ["类别", "指标名称", "单位", "全年目标", "本期", None],
        [None, None, None, None, "绝对额", "增幅%"],
        ["工业", "规上工业增加值", "亿元", 3.5, 1.7, 7.5],
        ["财税", "税收收入", "万元", 2800, 1450, 4.4],
    ]
    merges = ["E2:F2", "A2:A3", "B2:B3", "C2:C3", "D2:D3"]
    return [_book(out / "b2.xlsx", {"Sheet1": rows}, {"Sheet1": merges})]


def b3(out: Path) -> list[Path]:
    """A district sheet: 序号 before 乡镇, groups 任务数 | 完成数 | 完成比例."""
    rows = [
        ["河东区各乡镇2016年1-6月新增就业完成情况"],
        ["序号", "乡镇", "新增就业(人)", None, None],
        [None, None, "任务数", "完成数", "完成比例"],
        [1, "河口镇", 500, 260, "52%"],
        [2, "沙坪乡", 300, 140, "46.7%"],
        [None, "合计", 800, 400, "50%"],
    ]
    merges = ["A2:A3", "B2:B3", "C2:E2"]
    return [_book(out / "b3.xlsx", {"Sheet1": rows}, {"Sheet1": merges})]


def b4(out: Path) -> list[Path]:
    """One indicator, 单位名称, the period in brackets at the end of the title."""
    rows = [
        ["全区各镇街一般公共预算收入完成情况表(2016年1-6月)"],
        ["单位:万元"],
        ["单位名称", "年度目标", "累计完成", "同比增长%"],
        ["青龙镇", 2400, 1250, 6.1],
        ["白石街道", 3100, 1700, -0.8],
    ]
    return [_book(out / "b4.xlsx", {"Sheet1": rows}, {})]


def b5(out: Path) -> list[Path]:
    """A GBK CSV with 1.2亿 in a 万元 row and 增长/下降 words."""
    text = (
        "金沙镇2016年1-6月主要经济指标完成情况\r\n"
        "指标名称,单位,全年目标,1-6月,同比,备注\r\n"
        "固定资产投资,万元,25000,1.2亿,增长5.2,\r\n"
        "农民人均可支配收入,元,16800,8900,下降1.1,预计\r\n"
    )
    path = out / "b5.csv"
    path.write_bytes(text.encode("gbk"))
    return [path]


def b6(out: Path) -> list[Path]:
    """全年任务 | 上半年完成 | 去年同期完成 | 同比增减."""
    rows = [
        ["红星乡2016年上半年主要经济指标"],
        ["指标名称", "单位", "全年任务", "上半年完成", "去年同期完成", "同比增减%"],
        ["农业总产值", "万元", 12000, 5200, 5000, 4.0],
        ["森林覆盖率", "%", 62, 61.5, 60.8, None],
    ]
    return [_book(out / "b6.xlsx", {"Sheet1": rows}, {})]


def b7(out: Path) -> list[Path]:
    """Formulas without results: a total as SUM over sub-items, a hidden helper row."""
    rows: list[list[Any]] = [
        ["龙门镇2016年1-6月主要经济指标完成情况表"],
        ["指标名称", "单位", "全年目标", "1-6月累计", "完成率%"],
        ["固定资产投资", "万元", "=C4+C5", "=D4+D5", "=D3/C3*100"],
        ["其中:工业投资", "万元", 8000, 4100, "=D4/C4*100"],
        ["其中:基础设施", "万元", 6000, 2900, "=D5/C5*100"],
    ]
    return [_book(out / "b7.xlsx", {"Sheet1": rows}, {})]


def b8(out: Path) -> list[Path]:
    """The unit at the end of the title: …完成情况表(单位:万元)."""
    rows = [
        ["城西镇2016年1-6月主要经济指标完成情况表(单位:万元)"],
        ["指标名称", "全年目标", "1-6月累计", "同比%"],
        ["税收收入", 4200, 2150, 9.9],
        ["新增就业(人)", 600, 320, 3.0],
    ]
    return [_book(out / "b8.xlsx", {"Sheet1": rows}, {})]


CASES2 = [
    Case(
        "b1 years in headers",
        b1,
        {("云岭镇", "财政收入", "2016"): (3600, "万元")},
        {
            ("云岭镇", "财政收入", "2016H1"): (1900, "万元", 8.0),
            ("云岭镇", "财政收入", "2015H1"): (1760, "万元", None),
        },
    ),
    Case(
        "b2 本期 over 绝对额 | 增幅%",
        b2,
        {
            ("长乐镇", "规上工业增加值", "2016"): (3.5, "亿元"),
            ("长乐镇", "税收收入", "2016"): (2800, "万元"),
        },
        {
            ("长乐镇", "规上工业增加值", "2016H1"): (1.7, "亿元", 7.5),
            ("长乐镇", "税收收入", "2016H1"): (1450, "万元", 4.4),
        },
    ),
    Case(
        "b3 district, 序号, 任务数/完成数",
        b3,
        {("河口镇", "新增就业", "2016"): (500, "人"), ("沙坪乡", "新增就业", "2016"): (300, "人")},
        {
            ("河口镇", "新增就业", "2016H1"): (260, "人", None),
            ("沙坪乡", "新增就业", "2016H1"): (140, "人", None),
        },
    ),
    Case(
        "b4 district, one indicator, period in brackets",
        b4,
        {
            ("青龙镇", "一般公共预算收入", "2016"): (2400, "万元"),
            ("白石街道", "一般公共预算收入", "2016"): (3100, "万元"),
        },
        {
            ("青龙镇", "一般公共预算收入", "2016H1"): (1250, "万元", 6.1),
            ("白石街道", "一般公共预算收入", "2016H1"): (1700, "万元", -0.8),
        },
    ),
    Case(
        "b5 GBK CSV, 1.2亿 in 万元",
        b5,
        {
            ("金沙镇", "固定资产投资", "2016"): (25000, "万元"),
            ("金沙镇", "农民人均可支配收入", "2016"): (16800, "元"),
        },
        {
            ("金沙镇", "固定资产投资", "2016H1"): (1.2, "亿元", 5.2),
            ("金沙镇", "农民人均可支配收入", "2016H1"): (8900, "元", -1.1),
        },
    ),
    Case(
        "b6 全年任务/上半年完成/去年同期完成",
        b6,
        {
            ("红星乡", "农业总产值", "2016"): (12000, "万元"),
            ("红星乡", "森林覆盖率", "2016"): (62, "%"),
        },
        {
            ("红星乡", "农业总产值", "2016H1"): (5200, "万元", 4.0),
            ("红星乡", "农业总产值", "2015H1"): (5000, "万元", None),
            ("红星乡", "森林覆盖率", "2016H1"): (61.5, "%", None),
            ("红星乡", "森林覆盖率", "2015H1"): (60.8, "%", None),
        },
    ),
    Case(
        "b7 formulas without results",
        b7,
        {
            ("龙门镇", "固定资产投资", "2016"): (14000, "万元"),
            ("龙门镇", "工业投资", "2016"): (8000, "万元"),
            ("龙门镇", "基础设施", "2016"): (6000, "万元"),
        },
        {
            ("龙门镇", "固定资产投资", "2016H1"): (7000, "万元", None),
            ("龙门镇", "工业投资", "2016H1"): (4100, "万元", None),
            ("龙门镇", "基础设施", "2016H1"): (2900, "万元", None),
        },
    ),
    Case(
        "b8 unit at the end of the title",
        b8,
        {
            ("城西镇", "税收收入", "2016"): (4200, "万元"),
            ("城西镇", "新增就业", "2016"): (600, "人"),
        },
        {
            ("城西镇", "税收收入", "2016H1"): (2150, "万元", 9.9),
            ("城西镇", "新增就业", "2016H1"): (320, "人", 3.0),
        },
    ),
]


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 1e-9 * max(1.0, abs(b))


def run_case(case: Case, folder: Path) -> tuple[str, list[str]]:
    """``("right" | "problem" | "WRONG", details)`` for one held-out case."""
    import pandas as pd

    from helpers.importer.merge import import_files, merge_results
    from helpers.importer.tidy import ImportErrors

    paths = case.build(folder)
    try:
        merged = merge_results(import_files(paths, **(case.args or {})))
    except ImportErrors as exc:
        return "problem", [str(p) for p in exc.problems]
    if merged.problems:
        return "problem", [str(p) for p in merged.problems]
    names = dict(zip(merged.tables["indicators"]["indicator"], merged.tables["indicators"]["name"]))
    got_t = {
        (r["org"], names[r["indicator"]], str(r["period"])): (r["target"], r["unit"])
        for r in merged.tables["targets"].to_dict("records")
    }
    got_a = {
        (r["org"], names[r["indicator"]], str(r["period"])): (
            r["value"],
            r["unit"],
            None if pd.isna(r["yoy"]) else r["yoy"],
        )
        for r in merged.tables["actuals"].to_dict("records")
    }
    wrong: list[str] = []
    for want, got, label in ((case.targets, got_t, "target"), (case.actuals, got_a, "actual")):
        for key in sorted(set(want) | set(got)):
            w, g = want.get(key), got.get(key)
            if w is None or g is None:
                wrong.append(f"{label} {key}: expected {w}, got {g}")
                continue
            same = _close(float(g[0]), float(w[0])) and g[1] == w[1]
            if len(w) == 3 and len(g) == 3:
                same = same and _close(g[2], w[2])
            if not same:
                wrong.append(f"{label} {key}: expected {w}, got {g}")
    return ("WRONG" if wrong else "right"), wrong


def main() -> int:
    tally: dict[str, int] = {"right": 0, "problem": 0, "WRONG": 0}
    cases = CASES + CASES2 if "--all" in sys.argv else CASES2 if "--second" in sys.argv else CASES
    with tempfile.TemporaryDirectory() as tmp:
        for n, case in enumerate(cases):
            folder = Path(tmp) / str(n)
            folder.mkdir()
            verdict, details = run_case(case, folder)
            tally[verdict] += 1
            print(f"{verdict:8} {case.name}")
            for line in details[:4]:
                print(f"         {line}")
    print(
        f"{tally['right']} of {len(cases)} right, {tally['problem']} stopped with problems, "
        f"{tally['WRONG']} wrong"
    )
    return 1 if tally["WRONG"] else 0


if __name__ == "__main__":
    sys.exit(main())
