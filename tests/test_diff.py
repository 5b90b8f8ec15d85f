"""``nianbao diff``: section text and table cells compared between two reports of one body.

Each pair of reports is built here from the example reports (docs/examples) by changing what the
test then expects to see reported: a few cells, a paragraph, a figure in a sentence.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nianbao.cli import main
from nianbao.config.files import ConfigResolver
from nianbao.engine.linter import Linter
from nianbao.output.diff import compare_reports
from nianbao.output.diff_formats import diff_as_text
from nianbao.plugins.manager import load_plugins
from nianbao.read.formats import decode_document
from table_renderings import (
    RENDERINGS,
    active,
    application_2021,
    render,
    report,
    review_litigation,
)

EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples"
TEMPLATE_2021 = (EXAMPLES / "2021-template.md").read_text(encoding="utf-8")
REPORT_2020 = (EXAMPLES / "000_b67df828cb4a1735.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter(load_plugins(entry_points=False), ConfigResolver(isolated=True))


def document(linter: Linter, text: str, name: str = "report.md"):
    return linter.parse(decode_document(text.encode("utf-8"), name))


def replaced(text: str, *pairs: tuple[str, str]) -> str:
    for old, new in pairs:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def cell_changes(diff) -> dict[tuple[str, str, str], tuple[str | None, str | None, Decimal | None]]:
    return {
        (table.new_template, change.row, change.column): (change.old_text, change.new_text, change.delta)
        for table in diff.tables
        for change in table.changes
    }


def section(diff, key: str):
    return next(item for item in diff.sections if item.key == key)


# --- a report and its next version ---------------------------------------------------------------

NEW_2021 = replaced(
    TEMPLATE_2021,
    ("| 行政规范性文件 | 2 | 1 | 9 |", "| 行政规范性文件 | 4 | 1 | 9 |"),
    ("| 行政处罚 | 87 |", "| 行政处罚 | 80 |"),
    ("政策解读形式还不够丰富。", "政务新媒体建设还不够完善。"),
)


def test_changed_cells_are_reported_with_their_old_and_new_values_and_delta(linter):
    diff = compare_reports(document(linter, TEMPLATE_2021), document(linter, NEW_2021))
    assert cell_changes(diff) == {
        ("2021.active.20-1", "normative_documents", "issued"): ("2", "4", Decimal(2)),
        ("2021.active.20-6", "penalty", "decisions"): ("87", "80", Decimal(-7)),
    }
    table = next(table for table in diff.tables if table.new_template == "2021.active.20-6")
    change = table.changes[0]
    assert (change.row_label, change.column_label) == ("行政处罚", "本年处理决定数量")
    assert (change.old_line, change.new_line) == (43, 43)  # the row "| 行政处罚 | 87 |" in both files
    assert table.cells_compared == 2


def test_a_rewritten_sentence_is_shown_with_the_share_of_the_section_left_as_it_was(linter):
    diff = compare_reports(document(linter, TEMPLATE_2021), document(linter, NEW_2021))
    problems = section(diff, "problems")
    assert problems.status == "changed"
    assert [(change.op, [u.text for u in change.old], [u.text for u in change.new]) for change in problems.changes] == [
        ("replace", ["政策解读形式还不够丰富。"], ["政务新媒体建设还不够完善。"])
    ]
    assert problems.changes[0].new[0].line == 92
    # Copied: "下一步,我局将丰富解读形式,提高解读质量。" (21 characters once folded) of 21 + 13.
    assert problems.unchanged_share == pytest.approx(21 / 34)
    assert problems.unchanged_units == 1
    others = [item.status for item in diff.sections if item.key != "problems"]
    assert others == ["unchanged"] * len(others)


def test_masked_figures_let_copied_text_with_new_figures_count_as_copied(linter):
    new = replaced(TEMPLATE_2021, ("主动公开政府信息356条", "主动公开政府信息402条"))
    old_document, new_document = document(linter, TEMPLATE_2021), document(linter, new)
    plain = section(compare_reports(old_document, new_document), "overview")
    assert plain.status == "changed" and len(plain.changes) == 1
    assert "402条" in plain.changes[0].new[0].text
    masked = section(compare_reports(old_document, new_document, mask_numbers=True), "overview")
    assert masked.status == "unchanged" and masked.unchanged_share == 1.0


def test_a_section_and_a_table_in_one_report_only_are_listed_as_such(linter):
    new = replaced(
        TEMPLATE_2021,
        ("## 六、其他需要报告的事项\n\n本年度未收取信息处理费。\n", ""),
        ("| 第二十条第（八）项 | |\n|---|---|\n| 信息内容 | 本年收费金额（单位：万元） |\n| 行政事业性收费 | 0 |\n", ""),
    )
    diff = compare_reports(document(linter, TEMPLATE_2021), document(linter, new))
    assert section(diff, "other").status == "only_old"
    assert [(table.old_template, table.status) for table in diff.tables if table.status != "compared"] == [
        ("2021.active.20-8", "only_old")
    ]
    reverse = compare_reports(document(linter, new), document(linter, TEMPLATE_2021))
    assert section(reverse, "other").status == "only_new"


# --- across format eras --------------------------------------------------------------------------

NEW_2021_OTHER = replaced(
    TEMPLATE_2021,
    ("| | 2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请 | 0 |",
     "| | 2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请 | 2 |"),
    ("| | 3.其他 | 0 |", "| | 3.其他 | 1 |"),
)


def test_a_2020_report_meets_a_2021_report_by_the_templates_that_continue_each_other(linter):
    diff = compare_reports(document(linter, REPORT_2020, "2020.txt"), document(linter, NEW_2021_OTHER))
    assert (diff.old.year, diff.old.era, diff.new.year, diff.new.era) == (2020, "2019", 2021, "2021")
    tables = {(table.old_template, table.new_template): table for table in diff.tables}
    assert set(tables) == {
        ("2019.active.20-1", "2021.active.20-1"),
        ("2019.active.20-5", "2021.active.20-5"),
        ("2019.active.20-6", "2021.active.20-6"),
        ("2019.active.20-8", "2021.active.20-8"),
        ("2019.application", "2021.application"),
        ("review-litigation", "review-litigation"),
        ("2019.active.20-9", None),  # 政府集中采购 was dropped from the 2021 format
    }
    changes = cell_changes(diff)
    # 000's 20-1 rows are all 0; the 2021 本年制发件数 continues the 2019 本年新制作数量.
    assert changes[("2021.active.20-1", "normative_documents", "issued")] == ("0", "2", Decimal(2))
    first = tables["2019.active.20-1", "2021.active.20-1"]
    assert first.only_old_columns == [("new_published", "本年新公开数量"), ("total_published", "对外公开总数量")]
    assert first.only_new_columns == [("repealed", "本年废止件数"), ("in_force", "现行有效件数")]
    # 000 line 52: 行政许可 处理决定数量 13; the template 1240.
    assert changes[("2021.active.20-5", "licensing", "decisions")] == ("13", "1240", Decimal(1227))
    assert tables["2019.active.20-5", "2021.active.20-5"].only_old_rows == [("other_services", "其他对外管理服务事项")]
    # The 2019 single row （六）其他处理 (all 0 in 000) is the sum of the three 2021 rows: 0 + 2 + 1.
    summed = "other.no_correction+other.unpaid_fee+other.other"
    assert changes[("2021.application", summed, "natural_person")] == ("0", "0+2+1", Decimal(3))
    application = tables["2019.application", "2021.application"]
    assert application.only_old_rows == application.only_new_rows == []
    # 000's review row: 0 1 0 0 1 …; the template's: 1 0 0 0 1 ….
    assert changes[("review-litigation", "cases", "review.upheld")] == ("0", "1", Decimal(1))
    assert changes[("review-litigation", "cases", "review.corrected")] == ("1", "0", Decimal(-1))
    assert [item.key for item in diff.sections] == ["preamble", "overview", "active", "application", "review", "problems", "other"]


def test_an_older_report_given_as_new_is_compared_by_the_same_correspondences(linter):
    diff = compare_reports(document(linter, NEW_2021_OTHER), document(linter, REPORT_2020, "2020.txt"))
    changes = cell_changes(diff)
    assert changes[("2019.active.20-1", "normative_documents", "new_made")] == ("2", "0", Decimal(-2))
    assert changes[("2019.application", "other", "natural_person")] == ("0+2+1", "0", Decimal(-3))


def test_a_2008_era_report_meets_the_2019_sections_by_their_meaning(linter):
    old = report("2008", {"附表": ""})
    new = report("2019", {"二": "", "三": "", "四": ""})
    diff = compare_reports(document(linter, old, "2015.txt"), document(linter, new, "2020.txt"))
    titles = {item.key: (item.old_title, item.new_title) for item in diff.sections}
    assert titles["overview"] == ("一、概述", "一、总体情况")
    assert titles["active"] == ("二、主动公开政府信息的情况", "二、主动公开政府信息情况")
    assert titles["review"] == ("五、因政府信息公开申请行政复议、提起行政诉讼的情况", "四、政府信息公开行政复议、行政诉讼情况")
    assert titles["fees"] == ("四、政府信息公开的收费及减免情况", None)
    assert section(diff, "fees").status == "only_old"


# --- renderings ----------------------------------------------------------------------------------

APPLICATION_VALUES = [[str((row * 7 + column) % 5) for column in range(7)] for row in range(25)]


def _report_with_application(rendering: str) -> str:
    active_table, _ = active(
        {
            ("20-1", "rules"): ["0", "0", "3"],
            ("20-1", "normative_documents"): ["2", "1", "9"],
            ("20-5", "licensing"): ["1240"],
            ("20-6", "penalty"): ["87"],
            ("20-6", "coercion"): ["3"],
            ("20-8", "fees"): ["0"],
        },
        "2021",
    )
    review, _ = review_litigation(["1", "0", "0", "0", "1", *["0"] * 10])
    application, _ = application_2021(APPLICATION_VALUES)
    return report("2021", {"二": render(active_table, "markdown"), "三": render(application, rendering), "四": render(review, "markdown")})


@pytest.mark.parametrize("rendering", RENDERINGS)
def test_the_same_table_in_another_rendering_has_no_changed_cell(linter, rendering):
    old = document(linter, _report_with_application("markdown"))
    new = document(linter, _report_with_application(rendering), "report.txt")
    diff = compare_reports(old, new)
    application = next(table for table in diff.tables if table.new_template == "2021.application")
    assert application.cells_compared == 25 * 7
    assert application.changes == []
    assert not diff.changed


# --- properties ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(path.name for path in EXAMPLES.iterdir()))
def test_a_report_compared_with_itself_has_no_change(linter, name):
    text = (EXAMPLES / name).read_text(encoding="utf-8")
    diff = compare_reports(document(linter, text, name), document(linter, text, name))
    assert not diff.changed
    assert all(item.status == "unchanged" for item in diff.sections)
    assert all(not table.changes for table in diff.tables)
    assert "结论：两份报告的文字和表格数值都相同。" in diff_as_text(diff)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_changing_k_cells_gives_exactly_those_k_deltas(linter, data):
    base = document(linter, TEMPLATE_2021)
    numeric = [
        (table.template, row.key, cell)
        for table in base.tables
        for row in table.rows
        for cell in row.cells
        if cell.value.kind == "number"
    ]
    chosen = data.draw(st.lists(st.integers(0, len(numeric) - 1), min_size=1, max_size=6, unique=True))
    text = TEMPLATE_2021
    expected = {}
    # From the end of the file, so that the offsets of the cells still to change stay valid.
    for index in sorted(chosen, key=lambda index: -numeric[index][2].span.start):
        template, row, cell = numeric[index]
        delta = data.draw(st.integers(-int(cell.value.value), 500).filter(bool))
        value = int(cell.value.value) + delta
        start, end = base.normalized.original_range(cell.span)
        text = text[:start] + str(value) + text[end:]
        expected[(template, row, cell.column)] = (cell.text, str(value), Decimal(delta))
    diff = compare_reports(base, document(linter, text))
    assert cell_changes(diff) == expected
    assert all(item.status == "unchanged" for item in diff.sections)


# --- the command ---------------------------------------------------------------------------------


@pytest.fixture
def report_pair(tmp_path: Path) -> tuple[Path, Path]:
    old, new = tmp_path / "2021.md", tmp_path / "2022.md"
    old.write_text(TEMPLATE_2021, encoding="utf-8")
    new.write_text(NEW_2021, encoding="utf-8")
    return old, new


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(["diff", "--isolated", *argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_text_output_names_both_reports_and_each_change(capsys, report_pair):
    old, new = report_pair
    status, out, err = run(capsys, str(old), str(new))
    assert status == 0 and err == ""
    lines = out.splitlines()
    assert lines[:6] == [
        f"旧报告：{old}",
        "  某某县市场监督管理局2021年政府信息公开工作年度报告",
        "  发布机关：某某县市场监督管理局，年度：2021，格式：2021 年格式",
        f"新报告：{new}",
        "  某某县市场监督管理局2021年政府信息公开工作年度报告",
        "  发布机关：某某县市场监督管理局，年度：2021，格式：2021 年格式",
    ]
    assert "一、总体情况：未变" in lines
    assert "五、存在的主要问题及改进情况（旧报告第 90 行，新报告第 90 行）：有改动，新报告本部分 62% 的文字沿用旧报告" in lines
    assert "  - 第92行  政策解读形式还不够丰富。" in lines
    assert "  + 第92行  政务新媒体建设还不够完善。" in lines
    assert "  行政规范性文件 × 本年制发件数：2 → 4（+2）  （旧报告第 33 行，新报告第 33 行）" in lines
    assert "  行政处罚 × 本年处理决定数量：87 → 80（-7）  （旧报告第 43 行，新报告第 43 行）" in lines
    assert lines[-1] == "结论：1 个部分文字有改动，0 个部分只在一份报告中，2 个表格单元格数值有变化。"
    assert "\033[" not in out  # not a terminal: no colour


def test_json_output_has_the_documented_shape(capsys, report_pair):
    old, new = report_pair
    status, out, _ = run(capsys, "--format", "json", str(old), str(new))
    assert status == 0
    payload = json.loads(out)
    assert set(payload) == {"version", "old", "new", "mask_numbers", "changed", "sections", "tables"}
    assert payload["version"] == 1 and payload["changed"] is True and payload["mask_numbers"] is False
    assert payload["new"] == {"path": str(new), "title": "某某县市场监督管理局2021年政府信息公开工作年度报告",
                              "body": "某某县市场监督管理局", "year": 2021, "era": "2021"}
    problems = next(item for item in payload["sections"] if item["key"] == "problems")
    assert problems["status"] == "changed" and problems["heading"] == "五、存在的主要问题及改进情况"
    assert problems["changes"] == [
        {"op": "replace", "old": [{"line": 92, "text": "政策解读形式还不够丰富。"}], "new": [{"line": 92, "text": "政务新媒体建设还不够完善。"}]}
    ]
    penalty = next(table for table in payload["tables"] if table["new_template"] == "2021.active.20-6")
    assert penalty["cells_compared"] == 2 and penalty["cells_changed"] == 1
    assert penalty["changes"] == [
        {"row": "penalty", "column": "decisions", "old_row": "penalty", "old_column": "decisions",
         "row_label": "行政处罚", "column_label": "本年处理决定数量", "old": "87", "new": "80",
         "old_value": 87, "new_value": 80, "delta": -7, "old_line": 43, "new_line": 43}
    ]


def test_mask_numbers_flag_reaches_the_comparison(capsys, tmp_path):
    old, new = tmp_path / "a.md", tmp_path / "b.md"
    old.write_text(TEMPLATE_2021, encoding="utf-8")
    new.write_text(replaced(TEMPLATE_2021, ("356条", "402条")), encoding="utf-8")
    _, plain, _ = run(capsys, "--format", "json", str(old), str(new))
    _, masked, _ = run(capsys, "--format", "json", "--mask-numbers", str(old), str(new))
    assert json.loads(plain)["changed"] is True
    assert json.loads(masked)["changed"] is False and json.loads(masked)["mask_numbers"] is True


@pytest.mark.parametrize("bad", ["missing", "folder", "binary"])
def test_an_unreadable_file_is_one_chinese_line_and_status_2(capsys, report_pair, tmp_path, bad):
    old, _ = report_pair
    path = {"missing": tmp_path / "none.md", "folder": tmp_path, "binary": tmp_path / "x.md"}[bad]
    if bad == "binary":
        path.write_bytes(bytes(range(256)) * 8)
    status, out, err = run(capsys, str(old), str(path))
    assert status == 2 and out == ""
    assert err.startswith(f"nianbao: 错误：{path}：") and len(err.splitlines()) == 1
    assert "Traceback" not in err


def test_both_reports_from_standard_input_is_refused(capsys):
    status, _, err = run(capsys, "-", "-")
    assert status == 2 and "不能都是标准输入" in err
