"""Small data sets as CSV text, and the sample's folder, shared by the tests (imported, not fixtures)."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]  # the checkout the tests run in
KPIBOOK = Path(sys.executable).parent / "kpibook"  # the installed command line
SAMPLE = ROOT / "data" / "sample"

INDICATORS = """\
indicator,name,name_en,sector,unit,direction,measure,decimals
tax,国地两税,Tax revenue,财税,万元,,,
fai,社会固定资产投资,Fixed-asset investment,投资,万元,,,
acc,安全生产事故,Safety accidents,综治,起,down,,
urban,城镇化率,Urbanisation rate,城镇化,%,,rate,1
housing,集中居住区,Housing,城镇化,平方米,,level,
new,新增项目,New projects,工业,个,,,
"""
TARGETS = """\
org,indicator,period,target,unit
甲镇,tax,2013,1550,
甲镇,fai,2013H1,5500,
甲镇,fai,2013,1.2,亿元
甲镇,acc,2013,3,
甲镇,urban,2013,55,
甲镇,housing,2013,50000,
甲镇,new,2013,0,
乙镇,tax,2013,1000,
乙镇,fai,2013,8000,
乙镇,acc,2013,1,
"""
ACTUALS = """\
org,indicator,period,value,unit,status,yoy,note
甲镇,tax,2013H1,848,,,,
甲镇,tax,2012H1,800,,,,
甲镇,fai,2013H1,"6,035",,预计,,
甲镇,fai,2012H1,7000,,,,
甲镇,acc,2013H1,1,,,,
甲镇,urban,2013H1,53.5%,,,,
甲镇,housing,2013H1,40000,,,,
甲镇,new,2013H1,2,,,,
乙镇,tax,2013H1,400,,,12.5,
乙镇,fai,2013H1,2000,,,,
乙镇,acc,2013H1,2,,,,
"""


def write_tables(folder: Path, tables: dict[str, str], encoding: str = "utf-8") -> Path:
    """Write CSV tables (name → text) into ``folder`` in ``encoding``; returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in tables.items():
        (folder / f"{name}.csv").write_bytes(textwrap.dedent(text).encode(encoding))
    return folder


#: One township, one period, every indicator in 综合 and no English names: what ``kpibook
#: import`` makes of a single sheet without sector rows. The 亮点 cell numbers its items
#: 1、2、3、 on lines of one cell; the 问题 cell with （1） ① and 一、 forms.
ONE_SECTOR = {
    "indicators": """\
        indicator,name,sector,unit
        tax,国地两税,综合,万元
        fai,社会固定资产投资,综合,万元
        """,
    "targets": """\
        org,indicator,period,target
        太源镇,tax,2013,1550
        太源镇,fai,2013,12000
        """,
    "actuals": """\
        org,indicator,period,value
        太源镇,tax,2013H1,848
        太源镇,fai,2013H1,6035
        """,
    "notes": """\
        org,period,section,text
        太源镇,2013H1,亮点,"1、招商引资成效明显。
        2、项目建设提速。
        3、民生实事落实。"
        太源镇,2013H1,问题,"主要问题有：
        （1）税源单一。
        ①增长乏力，
        续写一行。
        一、用地紧张。"
        """,
}


#: A half-width mark touching a Chinese character: what a Chinese text must not contain.
HALF_WIDTH = re.compile(r"[\u4e00-\u9fff][,;:()!?]|[,;:()!?][\u4e00-\u9fff]")
#: The same next to Chinese punctuation: 「值」: and （注）, are as wrong.
HALF_WIDTH_BY_MARKS = re.compile(r"[」』）][,;:(]|[,;:)][「『（]")


def kpibook_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """The real command line, as a user types it."""
    return subprocess.run(
        [str(KPIBOOK), *args], capture_output=True, text=True, timeout=300, check=False
    )


def data_folder(tmp_path: Path, encoding: str = "utf-8", **changes: str) -> Path:
    """The small data set (:data:`INDICATORS`, :data:`TARGETS`, :data:`ACTUALS`) with some
    tables replaced or added, written under ``tmp_path / "data"``."""
    tables = {"indicators": INDICATORS, "targets": TARGETS, "actuals": ACTUALS} | changes
    return write_tables(tmp_path / "data", tables, encoding=encoding)


def check_errors(path: Path) -> list[str]:
    """The errors ``check`` finds in the data set at ``path`` (there must be some)."""
    from helpers.data.dataset import check_dataset

    ds, problems = check_dataset(path)
    found = [str(p) for p in problems if p.severity == "error"]
    assert ds is None and found
    return found
