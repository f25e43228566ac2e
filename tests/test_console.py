import io
import re

from helpers.run.console import Progress


def test_one_log_line_per_report_without_a_terminal():
    stream = io.StringIO()
    progress = Progress(2, stream)
    progress.update({"org": "太源镇", "period": "2013H1", "status": "ok", "seconds": 1.23})
    progress.update(
        {
            "org": "",
            "period": "2013H1",
            "status": "failed",
            "error": "cell 3: KeyError: 'x'",
            "seconds": 0.5,
        }
    )
    progress.close()
    lines = stream.getvalue().splitlines()
    stamp = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d[+-]\d\d:\d\d "  # each line says when
    assert [re.sub(f"^{stamp}", "", line) for line in lines] == [
        "[1/2] 2013H1 太源镇: ok (1.2s)",
        "[2/2] 2013H1 全区汇总 (district): FAILED cell 3: KeyError: 'x' (0.5s)",
    ]
    assert all(re.match(stamp, line) for line in lines)


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_progress_bar_on_a_terminal():
    stream = Terminal()
    progress = Progress(2, stream)
    progress.update({"org": "太源镇", "status": "ok", "seconds": 1.0})
    progress.update(
        {"org": "乙镇", "status": "failed", "error": "timed out after 600 s", "seconds": 600}
    )
    progress.close()
    text = stream.getvalue()
    assert "2/2" in text and "失败 (failed) 乙镇: timed out after 600 s" in text
    assert "[1/2]" not in text  # the bar, not log lines
