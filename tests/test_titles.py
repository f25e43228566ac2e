"""Report titles (``helpers.sections.titles``): the period's words, the notes' title word,
and a batch's planning that names every report without importing the charts."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from helpers.sections.titles import plain_text, report_title, title_words


@pytest.mark.parametrize(
    ("period", "zh", "en"),
    [
        ("2013Q1", "甲镇2013年一季度工作进度报告", "甲镇: progress report, Q1 2013"),
        ("2013Q3", "甲镇2013年前三季度工作进度报告", "甲镇: progress report, Jan–Sep 2013"),
        ("2013H2", "甲镇2013年工作总结", "甲镇: annual summary, 2013"),
        ("2013-08", "甲镇2013年1-8月工作进度报告", "甲镇: progress report, Jan–Aug 2013"),
    ],
)
def test_titles_follow_the_period(period, zh, en):
    assert report_title("甲镇", period) == zh
    assert report_title("甲镇", period, "en") == en


@pytest.mark.parametrize(
    "word",
    ["工作总结及打算", "2013年上半年工作总结及打算", "甲镇2013年上半年工作总结及打算"],
)
def test_the_title_note_replaces_the_title_word(word):
    assert report_title("甲镇", "2013H1", word=word) == "甲镇2013年上半年工作总结及打算"
    assert report_title("甲镇", "2013H2", word="工作总结及打算") == "甲镇2013年工作总结及打算"
    assert report_title("甲镇", "2013H1", "en", word=word) == "甲镇: progress report, H1 2013"
    assert report_title("甲镇", "2013H1") == "甲镇2013年上半年工作进度报告"


def test_title_words_take_each_orgs_first_title_note_as_plain_text():
    notes = pd.DataFrame(
        {
            "org": ["甲镇", "甲镇", "乙镇", "丙镇"],
            "period": ["2013H1", "2013H1", "2013H1", "2012H2"],
            "section": ["title", "title", "title", "title"],
            "text": ["**工作总结及打算**", "第二个", "2013年上半年\n工作总结", "去年的"],
        }
    )
    assert title_words(notes, "2013H1") == {
        "甲镇": "工作总结及打算",
        "乙镇": "2013年上半年 工作总结",
    }
    assert plain_text("*甲* **乙**") == "甲 乙"


PLAN = """
import json, sys
from pathlib import Path
from helpers.base.resources import data_dir
from helpers.data.dataset import load_dataset
from helpers.run.batch import plan_jobs

jobs = plan_jobs(load_dataset(data_dir("district-demo")), "2013H1", out=Path(sys.argv[1]))
print(json.dumps({"titles": [j.title for j in jobs], "matplotlib": "matplotlib" in sys.modules}))
"""


def test_planning_a_batch_names_every_report_without_importing_matplotlib(tmp_path):
    """The batch's parent plans before its first report starts: importing matplotlib there
    (the charts) held every report back by half a second."""
    result = subprocess.run(
        [sys.executable, "-c", PLAN, str(tmp_path)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert not found["matplotlib"]
    assert found["titles"][-1] == "示范区2013年上半年乡镇工作进度汇总报告"
    assert all(t.endswith("2013年上半年工作进度报告") for t in found["titles"][:-1])
