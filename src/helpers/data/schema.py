"""The data contract: tables, their columns, Chinese aliases and what each column means.

One description serves the loader (which accepts English or Chinese names), the validator
(required columns, allowed values) and ``kpibook template`` (the 说明 sheet), so the three
can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "Column",
    "Table",
    "TABLES",
    "TABLE_ORDER",
    "CHOICES",
    "NOTE_SECTIONS",
    "canonical_choice",
]


@dataclass(frozen=True)
class Column:
    """One column: canonical name, accepted Chinese name(s), whether required, what it holds."""

    name: str
    zh: tuple[str, ...]
    required: bool = False
    kind: str = "text"  # text (one line) | prose (lines kept) | number | period | choice | int
    help_zh: str = ""
    #: a number that may carry a qualifier and a unit (300余人, 约50, 近2000万元): the number
    #: is the value, the qualifier goes to the ``qualifier`` column, the unit is checked
    qualified: bool = False


@dataclass(frozen=True)
class Table:
    """One table (a CSV file or an .xlsx sheet)."""

    name: str
    zh: str
    columns: tuple[Column, ...]
    optional: bool = False
    help_zh: str = ""
    key: tuple[str, ...] = field(default=())

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    def fill_hint(self, *also: str, **values: str) -> str:
        """Where and what to fill for this table, in Chinese: the file (or sheet), its
        required columns (and those in ``also``), each with its Chinese name and, when given,
        the value to write."""
        columns = "、".join(
            f"{c.name}（{c.zh[0]}）" + (f"写 {values[c.name]}" if c.name in values else "")
            for c in self.columns
            if c.required or c.name in values or c.name in also
        )
        return f"在 {self.name}.csv（或工作簿的「{self.zh}」表）中填写：{columns}"

    def aliases(self) -> dict[str, str]:
        """Every accepted header spelling → the canonical column name."""
        out: dict[str, str] = {}
        for c in self.columns:
            out[c.name] = c.name
            out[c.name.lower()] = c.name
            for z in c.zh:
                out[z] = c.name
        return out


_ORG = Column("org", ("乡镇", "单位"), True, "text", "乡镇（单位）名称，与「乡镇」表一致")
_PERIOD = Column(
    "period",
    ("期间",),
    True,
    "period",
    "期间：2013（全年）、2013H1（上半年）、2013Q2（二季度）、2013-06（1-6月）",
)
_INDICATOR = Column("indicator", ("指标", "指标代码"), True, "text", "指标代码，与「指标」表一致")

TABLES: dict[str, Table] = {
    "indicators": Table(
        "indicators",
        "指标",
        (
            Column(
                "indicator",
                ("指标", "指标代码"),
                True,
                "text",
                "指标代码（唯一，建议用拼音或英文，如 tax）",
            ),
            Column("name", ("名称", "指标名称"), False, "text", "指标名称，如 国地两税"),
            Column("name_en", ("英文名称",), False, "text", "英文名称（英文报告用）"),
            Column("sector", ("领域", "板块"), True, "text", "所属领域，如 工业、农业、服务业"),
            Column(
                "sector_en",
                ("领域英文名称", "英文领域"),
                False,
                "text",
                "领域的英文名称（英文报告用，如 Industry；不填时用常见领域的内置译名）",
            ),
            Column("unit", ("单位", "计量单位"), True, "text", "计量单位，如 万元、亩、个"),
            Column(
                "direction",
                ("方向",),
                False,
                "choice",
                "up（越大越好，默认）或 down（越小越好，目标为控制数）",
            ),
            Column(
                "measure",
                ("类型",),
                False,
                "choice",
                "cumulative（累计，默认，按序时进度考核）、level（存量，只比目标）、rate（比率，差距用个百分点）",
            ),
            Column("decimals", ("小数位",), False, "int", "显示的小数位数（默认按单位）"),
        ),
        help_zh="指标目录：每个指标一行",
        key=("indicator",),
    ),
    "targets": Table(
        "targets",
        "目标",
        (
            _ORG,
            _INDICATOR,
            _PERIOD,
            Column(
                "target",
                ("目标", "目标值"),
                True,
                "number",
                "目标值；期间为全年的是全年目标，为报告期的是期间目标（如上半年目标）",
            ),
            Column(
                "unit", ("单位",), False, "text", "若与指标单位不同，自动换算（元/万元/亿元等）"
            ),
        ),
        help_zh="目标任务：每个乡镇、指标、期间一行",
        key=("org", "indicator", "period"),
    ),
    "actuals": Table(
        "actuals",
        "完成",
        (
            _ORG,
            _INDICATOR,
            _PERIOD,
            Column(
                "value",
                ("完成", "完成值", "累计完成"),
                True,
                "number",
                "自1月1日起至期末的累计完成数；可带限定词和单位，如 300余人、约50、近2000万元",
                qualified=True,
            ),
            Column("unit", ("单位",), False, "text", "若与指标单位不同，自动换算"),
            Column("status", ("状态", "数据状态"), False, "choice", "预计、快报或正式（默认正式）"),
            Column(
                "yoy",
                ("同比", "同比增长"),
                False,
                "number",
                "上报的同比增长%（如有，优先于计算值）",
            ),
            Column("note", ("备注",), False, "text", "备注"),
        ),
        help_zh="完成情况：累计数",
        key=("org", "indicator", "period"),
    ),
    "projects": Table(
        "projects",
        "项目",
        (
            _ORG,
            _PERIOD,
            Column("project", ("项目", "项目名称"), True, "text", "重点项目名称"),
            Column(
                "name_en",
                ("项目英文名称", "英文名称"),
                False,
                "text",
                "项目的英文名称（英文报告用；不填时用中文名称）",
            ),
            Column("sector", ("领域",), False, "text", "所属领域"),
            Column("total_investment", ("总投资",), False, "number", "总投资（万元）"),
            Column(
                "year_plan", ("年度计划", "年度计划投资"), False, "number", "年度计划投资（万元）"
            ),
            Column(
                "year_done", ("已完成投资", "年度完成"), False, "number", "本年已完成投资（万元）"
            ),
            Column(
                "stage",
                ("阶段", "进度阶段"),
                False,
                "text",
                "所处阶段，如 前期、在建、主体完工、竣工",
            ),
            Column(
                "percent_complete", ("完成百分比", "形象进度"), False, "number", "形象进度%(0-100)"
            ),
            Column("note", ("备注", "进展情况"), False, "prose", "进展说明"),
        ),
        optional=True,
        help_zh="重点项目",
        key=("org", "period", "project"),
    ),
    "notes": Table(
        "notes",
        "文字",
        (
            _ORG,
            _PERIOD,
            Column(
                "section",
                ("栏目", "部分"),
                True,
                "text",  # a note word or a sector name: checked against the indicators
                "highlights（工作亮点）、problems（存在的问题）、plans（下半年打算）、"
                "title（标题，如 工作总结及打算）、overview（开篇，总体情况的第一段），"
                "或领域名称（如 工业：第一行或 **…** 为该领域标题的判断语，其余为该领域的文字）",
            ),
            Column("text", ("内容", "文字"), True, "prose", "正文（Markdown，一段或一条一行）"),
        ),
        optional=True,
        help_zh="文字材料：标题、开篇、各领域的判断和文字、亮点、问题、打算",
    ),
    "orgs": Table(
        "orgs",
        "乡镇",
        (
            Column("org", ("乡镇", "单位"), True, "text", "乡镇（单位）名称"),
            Column("name", ("全称", "显示名称"), False, "text", "报告中显示的全称"),
            Column(
                "name_en",
                ("英文名称", "英文全称"),
                False,
                "text",
                "英文名称（英文报告的标题用，如 Taiyuan Town；不填时用中文名称）",
            ),
            Column("parent", ("上级", "所属区县"), False, "text", "所属区县（区县报告的名称）"),
            Column(
                "parent_en",
                ("上级英文名称", "所属区县英文名称"),
                False,
                "text",
                "所属区县的英文名称（英文区县报告的标题用，如 Shifan District；同一上级只写一种；"
                "不填时英文报告写 District）",
            ),
        ),
        optional=True,
        help_zh="乡镇名单（可选）：决定显示顺序和区县名称",
        key=("org",),
    ),
}
TABLE_ORDER = ("indicators", "targets", "actuals", "projects", "notes", "orgs")

#: Allowed values of the choice columns: every accepted spelling → canonical value.
CHOICES: dict[str, dict[str, str]] = {
    "direction": {
        "up": "up",
        "down": "down",
        "正向": "up",
        "逆向": "down",
        "越大越好": "up",
        "越小越好": "down",
    },
    "measure": {
        "cumulative": "cumulative",
        "level": "level",
        "rate": "rate",
        "累计": "cumulative",
        "流量": "cumulative",
        "存量": "level",
        "时点": "level",
        "比率": "rate",
        "比例": "rate",
    },
    "section": {
        "highlights": "highlights",
        "problems": "problems",
        "plans": "plans",
        "亮点": "highlights",
        "工作亮点": "highlights",
        "问题": "problems",
        "存在的问题": "problems",
        "打算": "plans",
        "下半年工作打算": "plans",
        "工作打算": "plans",
        "title": "title",
        "标题": "title",
        "报告标题": "title",
        "overview": "overview",
        "开篇": "overview",
        "总体情况": "overview",
    },
    "status": {
        "预计": "预计",
        "快报": "快报",
        "正式": "正式",
        "estimate": "预计",
        "preliminary": "快报",
        "final": "正式",
    },
}
_DEFAULTS = {"direction": "up", "measure": "cumulative", "status": "正式"}

#: The notes sections that are not a sector, each with its Chinese name: a notes row's
#: ``section`` is one of these or a sector of the indicators (its heading judgement and prose).
NOTE_SECTIONS: dict[str, str] = {
    "title": "标题",
    "overview": "开篇",
    "highlights": "亮点",
    "problems": "问题",
    "plans": "打算",
}


def canonical_choice(column: str, value: object) -> str | None:
    """The canonical value of a choice cell, its default when blank, ``None`` when not allowed."""
    text = "" if value is None else str(value).strip()
    if text in ("", "nan"):
        return _DEFAULTS.get(column)
    return CHOICES[column].get(text) or CHOICES[column].get(text.lower())
