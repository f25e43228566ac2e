"""Build the fixture sheets of tests/sheets/: what offices really keep, in three formats.

Run ``python tests/sheets/make_sheets.py [OUT_DIR]`` to rebuild them. The .xls needs
``xlwt`` (``pip install xlwt``), used only here to write the fixture, never by kpibook;
without it the .xls is skipped. The expected tidy tables under ``expected/`` are written
by hand, not by this script and not by the importer.

- ``taiyuan-2013H1.xlsx``: the sample township's figures (国地两税 848 of 1550万元, 社会固定资产
  投资 6035 vs H1 target 5500, 规模工业产值 6亿元, 增加值 1.98亿): merged title, 单位 row, a
  two-level merged header (本期 / 上年同期 over 累计 | 同比±%), a 单位 column, sector headings
  (merged, numbered, or split into 序号 + name), ranks in cells, 下降15.8, 1.98亿, 预计.
- ``longquan-2013H1.xls``: period words and org after the year (2013年上半年龙泉乡…), a
  one-level header with units in it (全年目标(万元)), units in names (粮食产量(吨)),
  (一)-style headings, 1、 numbering, 增长5.2, 预计 in cells, a 控制数 indicator.
- ``jinxi-2013Q1.csv``: as Excel on Chinese Windows saves it (GBK, CRLF, every row padded
  to the full width): title and 单位 rows, a two-level header whose merges are lost,
  headings in the 序号 column, thousands separators, a full-width number, 8600万 in an
  亿元 row, a 数据状态 column, a star explained by a footnote.
- ``taiyuan-2013.xlsx``: the same township's next sheet (1-12月), another layout and other
  spellings of the same indicators, for the stable ids.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
FIXED = dt.datetime(2013, 7, 5, 9, 0, 0)


def _xlsx(
    path: Path,
    rows: list[list[Any]],
    merges: list[str],
    widths: dict[str, int],
    percent: list[str] = (),
) -> None:  # type: ignore[assignment]
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    for r in rows:
        ws.append(r)
    for rng in merges:
        ws.merge_cells(rng)
    for col, width in widths.items():
        ws.column_dimensions[col].width = width
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    for ref in percent:
        ws[ref].number_format = "0.0%"
    wb.properties.creator = "统计站"
    wb.properties.created = FIXED
    wb.properties.modified = FIXED
    wb.save(path)


def taiyuan_h1(out: Path) -> Path:
    """The sample township, 2013年1-6月: two-level merged header, 单位 column."""
    rows: list[list[Any]] = [
        ["太源镇2013年1-6月主要经济指标完成情况表"] + [None] * 11,
        ["填报日期:2013年7月5日"] + [None] * 10 + ["单位:万元"],
        [
            "序号",
            "指标名称",
            "单位",
            "全年目标",
            "上半年目标",
            "本期",
            None,
            "上年同期",
            None,
            "完成率%",
            "位次",
            "备注",
        ],
        [None, None, None, None, None, "累计", "同比±%", "累计", "同比±%", None, None, None],
        ["一、财税"] + [None] * 11,
        [1, "国地两税", "万元", 1550, "—", 848, "12.3(3)", 755, 8.1, 54.7, 3, None],
        ["二", "投资"] + [None] * 10,
        [2, "社会固定资产投资", "万元", 12000, 5500, 6035, "下降15.8", 7168, "/", 50.3, 2, None],
        ["三、工业", None, None, None, None, None, None, None, None, None, None, None],
        [3, "规模工业产值", "亿元", 13, 6.5, "预计6", 10.5, 5.43, 6.2, 46.2, 4, None],
        [
            4,
            "规模工业增加值",
            "万元",
            42000,
            "—",
            "1.98亿",
            "9.8(5)",
            18030,
            "-",
            47.1,
            5,
            "6月为预计数",
        ],
        ["四、招商引资"] + [None] * 11,
        [5, "引进1亿元以上项目", "个", 2, 1, 1, "—", 0, "—", 50, 1, None],
        [6, "招商引资到位资金", "亿元", 1.5, 0.75, 0.7, 16.7, 0.6, "—", 46.7, 2, None],
        [None, "其中:省外资金", "亿元", 1.2, None, 0.7, None, None, None, 58.3, None, None],
        ["五、服务业"] + [None] * 11,
        [7, "新培育限额以上服务业企业", "户", 2, 1, 1, None, 0, None, 50, None, "商务酒店"],
        ["六、城镇建设与民生"] + [None] * 11,
        [8, "农民集中居住区建设", "平方米", 40000, "/", 18000, None, None, None, 45, None, "在建"],
        [9, "新增就业", "人", 500, 250, 300, None, None, None, 60, None, None],
        [None] * 12,
        ["注:1.完成率按全年目标计算;2.位次为全区各乡镇排位。"] + [None] * 11,
    ]
    merges = [
        "A1:L1",
        "A3:A4",
        "B3:B4",
        "C3:C4",
        "D3:D4",
        "E3:E4",
        "F3:G3",
        "H3:I3",
        "J3:J4",
        "K3:K4",
        "L3:L4",
        "A5:L5",
        "A12:L12",
        "A16:L16",
        "A18:L18",
        "A22:L22",
    ]
    path = out / "taiyuan-2013H1.xlsx"
    _xlsx(path, rows, merges, {"B": 26, "L": 14})
    return path


def taiyuan_year(out: Path) -> Path:
    """The same township's 1-12月 sheet: one-level header, units in names, other spellings."""
    rows: list[list[Any]] = [
        ["太源镇2013年1-12月主要经济指标完成情况表", None, None, None, None],
        ["指标", "全年目标", "1-12月累计", "同比增长%", "备注"],
        ["一、财税", None, None, None, None],
        ["1. 国 地 两 税（万元）", 1550, 1612, 9.6, None],
        ["二、投资", None, None, None, None],
        ["2. 全社会固定资产投资（万元）", 12000, "12,350", "增长4.1", None],
        ["三、工业", None, None, None, None],
        ["3. 规模以上工业总产值（亿元）", 13, 12.6, 0.096, None],
        ["4. 规模工业增加值（亿元）", 4.2, 4.05, "9.5(4)", None],
        ["四、招商引资", None, None, None, None],
        ["5. 招商引资到位资金（亿元）", 1.5, 1.62, 12.5, None],
        ["   其中：省外资金（亿元）", 1.2, 1.3, None, None],
        ["六、城镇建设与民生", None, None, None, None],
        ["6. 农民集中居住区建设（平方米）", 40000, 41000, None, "已完工"],
        ["7. 新增就业（人）", 500, 560, None, None],
    ]
    path = out / "taiyuan-2013.xlsx"
    _xlsx(path, rows, [], {"A": 34}, percent=["D8"])
    return path


def longquan_xls(out: Path) -> Path | None:
    """2013年上半年龙泉乡: .xls, units in the header and in names, (一) headings."""
    try:
        import xlwt
    except ImportError:
        return None
    rows: list[list[Any]] = [
        ["2013年上半年龙泉乡主要经济指标完成情况", None, None, None, None, None],
        [None, None, None, None, None, "单位:万元、%"],
        ["指标名称", "全年目标(万元)", "1-6月累计(万元)", "同比增长(%)", "完成率(%)", "备注"],
        ["(一)农业", None, None, None, None, None],
        ["1、粮食产量(吨)", 3000, 1250, "增长5.2", 41.7, "夏粮"],
        ["2、农业总产值", 9800, 4410, 4.6, 45, None],
        ["(二)工业", None, None, None, None, None],
        ["3、规上工业总产值", 26000, 12480, "增长12.5(2)", 48, None],
        ["4、规上工业增加值", 7800, "预计3900", 11, 50, None],
        ["(三)服务业", None, None, None, None, None],
        ["5、社会消费品零售总额", 15000, 7200, "下降3.1", 48, None],
        ["(四)财政", None, None, None, None, None],
        ["6、一般公共预算收入", 1200, 630, "/", 52.5, None],
        ["(五)社会事业", None, None, None, None, None],
        ["7、新增就业(人)", 400, 210, "—", 52.5, None],
        ["8、安全生产事故(起)", 3, 0, "—", None, "控制数"],
    ]
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("2013上半年")
    title = xlwt.easyxf("font: bold on, height 280; align: horiz center")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None or (r == 0 and c > 0):
                continue
            if r == 0:
                sheet.write_merge(0, 0, 0, 5, value, title)
            else:
                sheet.write(r, c, value)
    sheet.col(0).width = 256 * 24
    path = out / "longquan-2013H1.xls"
    book.save(str(path))
    return path


def jinxi_csv(out: Path) -> Path:
    """金溪街道2013年1-3月, as Excel saves a CSV on Chinese Windows (GBK, CRLF, padded rows)."""
    rows: list[list[Any]] = [
        ["金溪街道2013年1-3月主要经济指标完成情况表"],
        ["单位:万元"],
        ["序号", "指标名称", "计量单位", "年度目标", "1-3月", "", "去年同期", "数据状态", "备注"],
        ["", "", "", "", "完成", "同比±%", "", "", ""],
        ["一、经济发展"],
        ["1", "地区生产总值", "亿元", "5.2", "1.21", "7.5", "1.13", "", ""],
        ["2", "全社会固定资产投资", "万元", "12,000", "2,650", "下降4.2", "2,766", "快报", ""],
        ["3", "社会消费品零售总额", "万元", "8,000", "1,850*", "6.1", "1,744", "", ""],
        ["二、财政与招商"],
        ["4", "一般公共预算收入", "万元", "900", "２３６", "增长3.5", "228", "", ""],
        ["5", "招商引资到位资金", "亿元", "1.2", "8600万", "", "0.35", "", "含续建项目"],
        ["三、民生"],
        ["6", "新增城镇就业", "人", "600", "158", "—", "149", "预计", ""],
        ["7", "安全生产事故", "起", "2", "0", "/", "1", "", "控制数"],
        [],
        ["注:带*号的为预计数。"],
        ["填表人:张三", "", "", "", "联系电话:0000-1234567"],
    ]
    width = 9
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow(list(row) + [""] * (width - len(row)))
    path = out / "jinxi-2013Q1.csv"
    path.write_bytes(buffer.getvalue().encode("gbk"))
    return path


def build(out: Path = HERE, *, xls: bool = True) -> list[Path]:
    """Write every fixture into ``out``; the .xls only when asked and xlwt is installed."""
    out.mkdir(parents=True, exist_ok=True)
    made = [taiyuan_h1(out), taiyuan_year(out), jinxi_csv(out)]
    if xls:
        path = longquan_xls(out)
        if path is not None:
            made.append(path)
    return made


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    for p in build(target):
        print(p)
