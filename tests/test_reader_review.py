"""A native reader's review of the reports (issue 13, review 13): each finding's wording,
stated as the Chinese (and English) a township office would write."""

from __future__ import annotations

from helpers.document.model import Document, Paragraph, Table
from helpers.document.words import zh_punctuation
from helpers.sections.report import Report


def _text(doc: Document) -> str:
    parts: list[str] = []
    for b in doc.blocks:
        if isinstance(b, Paragraph):
            parts.append(b.text)
        elif isinstance(b, Table):
            parts += [c.text for r in b.rows for c in r.cells.values()]
    return "\n".join(parts)


# -- 3. Chinese text inside an English report keeps its Chinese punctuation --------------


def test_chinese_text_in_an_english_document_keeps_full_width_punctuation():
    doc = Document(
        [
            Paragraph.of("项目区配套设施建设逐步完善,项目区入场道路已全面建成。"),
            Paragraph.of("预计6月分批交付使用;二是考试中心建设已接近尾声。"),
            Paragraph.of("1-12月仅完成全年目标的66.7%,低于序时进度。"),
            Paragraph.of("昊华鸿化迁建安置房(32栋1526套)"),
        ],
        "en",
    )
    assert [b.text for b in doc.blocks] == [
        "项目区配套设施建设逐步完善，项目区入场道路已全面建成。",
        "预计6月分批交付使用；二是考试中心建设已接近尾声。",
        "1-12月仅完成全年目标的66.7%，低于序时进度。",
        "昊华鸿化迁建安置房（32栋1526套）",
    ]


def test_english_text_beside_chinese_keeps_english_punctuation():
    for text in (
        "Xingsi Town, 兴寺镇, met 2 targets.",
        "Taiyuan Town (太源镇): 25 indicators.",
        "Tax revenue: 8.48 million yuan, 54.7% of the annual target.",
        "Notes: 快报; 6月为预计数",
    ):
        assert zh_punctuation(text, english=True) == text
    doc = Document([Paragraph.of("Taiyuan Town (太源镇), figures to June: 25.")], "en")
    assert doc.blocks[0].text == "Taiyuan Town (太源镇), figures to June: 25."


def test_the_english_sample_report_has_no_half_width_marks_between_chinese():
    en = Report.load(lang="en")
    text = "\n".join(_text(getattr(en, s)()) for s in ("overview", "sectors", "projects"))
    text += "\n" + "\n".join(_text(en.notes(s)) for s in ("highlights", "problems", "plans"))
    assert "逐步完善，项目区" in text and "交付使用；二是" in text
    assert "逐步完善,项目区" not in text and "交付使用;二是" not in text


def test_english_project_stages_are_english_and_unknown_ones_stay_as_given():
    en = _text(Report.load(lang="en").projects())
    for english in ("Under construction", "Main structure complete", "Commissioning equipment"):
        assert english in en
    for chinese in ("在建", "主体完工", "设备安装调试", "竣工"):
        assert chinese not in en.split("\n")
    zh = _text(Report.load().projects())
    assert "在建" in zh and "Under construction" not in zh
    from helpers.document.narrative import stage_word

    assert stage_word("竣工", "en") == "Completed"
    assert stage_word("拆迁安置中", "en") == "拆迁安置中"  # no English: the data's word
    assert stage_word("在建", "zh") == "在建"
