"""Rendering 7: ``pdftotext -layout`` text (nianbao.tables.layout, read by ``build_table``).

The official tables are written the way pdftotext lays out a PDF table (``render_layout`` in
table_renderings: space-aligned columns, wrapped cells with the row's other cells centred beside
them) and must give the same semantic tables as the other renderings. A whole report converted
from PDF (data/pdftotext-layout-2021.txt, laid out by hand as pdftotext writes it: full-width
punctuation, merged group cells centred over their rows, header cells wrapped in narrow columns,
page footers and a page break inside the 依申请 table) must parse into the report's sections and
tables, with every value where the original has it.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from table_renderings import (
    APPLICATION_COLUMNS,
    APPLICATION_ROWS_2021,
    REVIEW_COLUMNS,
    active,
    active_2019,
    appendix,
    application_2021,
    embed,
    render,
    render_layout,
    report,
    review_litigation,
)

from nianbao.config.files import ConfigResolver
from nianbao.engine.linter import Linter
from nianbao.text.normalize import normalize
from nianbao.parse.parser import parse_report
from nianbao.plugins.manager import load_plugins
from nianbao.tables.cells import build_table
from nianbao.tables.recognize import Recognition, recognize_tables
from nianbao.tables.templates import default_templates
from nianbao.parse.tree import Paragraph, Section, Table

SAMPLE = Path(__file__).resolve().parent / "data" / "pdftotext-layout-2021.txt"
LINTER = Linter(load_plugins(entry_points=False), ConfigResolver(isolated=True))


def recognize_text(table_text: str, era: str | None = None) -> tuple[str, Table, Recognition]:
    text, lines = embed(table_text)
    table = build_table(lines)
    return text, table, recognize_tables(default_templates(), table, era)


def text_grid(recognition: Recognition) -> dict:
    return {
        (table.template, row.key, cell.column): cell.text
        for table in recognition.tables
        for row in table.rows
        for cell in row.cells
    }


def value_grid(recognition: Recognition) -> dict:
    return {
        (table.template, row.key, cell.column): (cell.value.kind, cell.value.value, cell.value.sign)
        for table in recognition.tables
        for row in table.rows
        for cell in row.cells
    }


def assert_spans_point_at_the_text(text: str, recognition: Recognition) -> None:
    """Values: the span is exactly the value. Labels: a wrapped label's span runs from its first
    piece to its last, with the cells written beside it in between, so its characters appear in
    order inside the span, which starts and ends with them."""
    for table in recognition.tables:
        for row in table.rows:
            for cell in row.cells:
                assert text[cell.span.start:cell.span.end] == cell.text
            if not row.label:
                continue
            written = text[row.label_span.start:row.label_span.end]
            assert written[0] == row.label[0] and written[-1] == row.label[-1], (row.label, written)
            remaining = iter(written)
            assert all(char in remaining for char in row.label), (row.label, written)


def _values(seed: int) -> list[list[str]]:
    return [[str((row * 7 + column) * seed % 97) for column in range(7)] for row in range(25)]


def _active_2021() -> tuple[list[list[str]], dict]:
    return active(
        {
            ("20-1", "rules"): ["0", "0", "0"],
            ("20-1", "normative_documents"): ["3", "1", "12"],
            ("20-5", "licensing"): ["135"],
            ("20-6", "penalty"): ["27"],
            ("20-6", "coercion"): ["0"],
            ("20-8", "fees"): ["1.25"],
        },
        "2021",
    )


TABLES = {
    "application-2021": lambda: application_2021(_values(3)),
    "active-2019": active_2019,
    "active-2021": _active_2021,
    "review-litigation": lambda: review_litigation([str(n % 4) for n in range(15)]),
    "appendix": appendix,
}
# How pdftotext may space the text: by display width (CJK two columns), one column per
# character (pdftotext versions that count characters), blank lines between table rows.
LAYOUTS = {"display-width": {}, "per-character": {"cjk_width": 1}, "spaced-rows": {"row_gap": 1}}


# --- every official table gives the described grid ----------------------------------------------


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("name", sorted(TABLES))
def test_layout_gives_the_same_grid_as_the_other_renderings(name: str, layout: str) -> None:
    description, expected = TABLES[name]()
    text, table, recognition = recognize_text(render_layout(description, **LAYOUTS[layout]))
    assert table.rendering == "layout"
    assert recognition.unrecognized == []
    assert text_grid(recognition) == expected
    assert all(not found.missing_rows for found in recognition.tables)
    assert_spans_point_at_the_text(text, recognition)
    _, _, as_bar_lines = recognize_text(render(description, "bar-lines"))
    assert value_grid(recognition) == value_grid(as_bar_lines)


def test_render_dispatches_the_layout_rendering() -> None:
    description, _ = appendix()
    assert render(description, "layout") == render_layout(description)


def test_blank_cells_keep_their_columns() -> None:
    values = _values(5)
    values[2][0] = ""  # (一)予以公开: no natural person
    values[4][6] = ""  # 1.属于国家秘密: no total
    values[8] = ["", "", "", "", "", "", "9"]  # 5.属于三类内部事务信息: only a total
    description, expected = application_2021(values)
    text, _, recognition = recognize_text(render_layout(description))
    assert text_grid(recognition) == expected
    granted = recognition.tables[0].cell("granted", "natural_person")
    assert granted.value.kind == "blank" and len(granted.span) == 0
    assert recognition.tables[0].cell("withheld.state_secret", "total").value.kind == "blank"
    assert recognition.tables[0].value("withheld.internal_affairs", "total") == Decimal(9)
    assert recognition.tables[0].cell("withheld.internal_affairs", "business").value.kind == "blank"
    _, _, as_markdown = recognize_text(render(description, "markdown"))
    assert value_grid(recognition) == value_grid(as_markdown)


_cell = st.one_of(st.integers(0, 99_999).map(str), st.integers(0, 99).map(str), st.sampled_from(["", "/", "-"]))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(_cell, min_size=7, max_size=7), min_size=25, max_size=25), st.sampled_from(sorted(LAYOUTS)))
def test_random_application_values_round_trip(values, layout) -> None:
    # A column left blank in every row shows no column at all: nothing to line the blanks up with.
    for column in range(7):
        if all(row[column] == "" for row in values):
            values[0][column] = "0"
    description, expected = application_2021(values)
    text, _, recognition = recognize_text(render_layout(description, **LAYOUTS[layout]), "2021")
    assert text_grid(recognition) == expected
    assert_spans_point_at_the_text(text, recognition)


# --- wrapped cells, merged cells and headers -------------------------------------------------------


def _rows(block: str) -> list[list[str]]:
    _, lines = embed(block)
    table = build_table(lines)
    assert table.rendering == "layout"
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_label_wrapped_around_its_values_and_a_merged_group_cell() -> None:
    block = "\n".join([
        "  (三)不予     1.属于国家秘密            0      0",
        "  公开         2.其他法律行政法规禁止",
        "                                         3      4",
        "               公开",
    ])
    assert _rows(block) == [
        ["(三)不予公开", "1.属于国家秘密", "0", "0"],
        ["2.其他法律行政法规禁止公开", "3", "4"],
    ]


def test_group_cell_on_the_line_of_values_is_not_their_label() -> None:
    # The item's label is wrapped around the values' line, the group cell stands on it.
    block = "\n".join([
        "               1.本机关不掌握相关政府",
        "  (四)无法                                  2      3",
        "  提供         信息",
        "               2.没有现成信息需要另行制作   0      0",
    ])
    assert _rows(block) == [
        ["(四)无法提供", "1.本机关不掌握相关政府信息", "2", "3"],
        ["2.没有现成信息需要另行制作", "0", "0"],
    ]


def test_header_cells_wrapped_in_narrow_columns_but_not_a_spanning_header() -> None:
    block = "\n".join([
        "                行政复议",
        "    结果   结果   其他   尚未   总计",
        "    维持   纠正   结果   审结",
        "     0      1      0      0      1",
    ])
    assert _rows(block) == [
        ["行政复议"],
        ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"],
        ["0", "1", "0", "0", "1"],
    ]


def test_stacked_rows_stay_apart_and_unknown_labels_still_wrap() -> None:
    block = "\n".join([
        "  行政许可                 30      2",
        "  其他对外管理服务事项     0       0",
        "  培训次数(含线",
        "                           3       4",
        "  上培训)",
    ])
    assert _rows(block) == [
        ["行政许可", "30", "2"],
        ["其他对外管理服务事项", "0", "0"],
        ["培训次数(含线上培训)", "3", "4"],
    ]


def test_columns_counted_per_character_line_up_too() -> None:
    # One column per character: the values line up by character count, not by display width.
    block = "\n".join([
        "  信息内容    本年处理决定数量    本年收费",
        "  行政处罚        27               0",
        "  行政强制         0               5",
    ])
    assert _rows(block) == [["信息内容", "本年处理决定数量", "本年收费"], ["行政处罚", "27", "0"], ["行政强制", "0", "5"]]


# --- the grammar and the context pass ---------------------------------------------------------------


def parse(text: str):
    normalized = normalize(text, default_templates().labels).text
    return normalized, parse_report(normalized, build_table).report


def test_layout_rows_open_a_table_with_the_header_lines_above_them() -> None:
    text, tree = parse(
        "四、政府信息公开行政复议、行政诉讼情况\n"
        "             行政复议                   行政诉讼\n"
        "    结果维持   结果纠正   总计      结果维持   总计\n"
        "       0          1        1           0       0\n"
        "五、存在的主要问题及改进情况\n"
        "无。\n"
    )
    review, problems = tree.sections
    (table,) = review.body
    assert isinstance(table, Table) and table.rendering == "layout"
    assert text[table.span.start:].startswith("行政复议")
    assert [cell.text for cell in table.rows[-1].cells] == ["0", "1", "1", "0", "0"]
    assert [node.text for node in problems.body] == ["无。"]


def test_page_footers_and_form_feeds_belong_to_no_block() -> None:
    text, tree = parse(
        "一、总体情况\n"
        "我局认真贯彻落实条例，\n"
        "                  - 1 -\n"
        "\f进一步加强政府信息公开工作。\n"
        "            第 2 页 共 3 页\n"
        "\f二、主动公开政府信息情况\n"
        "第二十条第（五）项\n"
        "信息内容\n"
        "本年处理决定数量\n"
        "—3—\n"
        "\f行政许可\n"
        "135\n"
    )
    overview, active_section = tree.sections
    assert [node.text for node in overview.body] == ["我局认真贯彻落实条例,", "进一步加强政府信息公开工作。"]
    assert active_section.number == 2
    (table,) = active_section.body
    assert [cell.text for cell in table.cells()] == ["第二十条第(五)项", "信息内容", "本年处理决定数量", "行政许可", "135"]
    assert tree.unparsed == []


def test_a_table_of_contents_line_outside_a_table_stays_a_heading() -> None:
    _, tree = parse("一、总体情况        1\n二、主动公开政府信息情况        2\n")
    assert [section.number for section in tree.sections] == [1, 2]
    assert not any(isinstance(node, Table) for node in tree.walk())


def test_prose_after_a_layout_table_is_prose_again() -> None:
    _, tree = parse(
        "二、主动公开政府信息情况\n"
        "第二十条第（五）项\n"
        "  信息内容              本年处理决定数量\n"
        "  行政许可                    135\n"
        "我局在门户网站设立政府信息公开专栏，集中发布行政许可、行政处罚等信息，方便群众查阅。\n"
    )
    (section,) = tree.sections
    table, paragraph = section.body
    assert isinstance(table, Table) and isinstance(paragraph, Paragraph)
    assert paragraph.text.startswith("我局在门户网站")


def test_layout_rows_in_a_whole_generated_report() -> None:
    description_2, expected_2 = _active_2021()
    description_3, expected_3 = application_2021(_values(7))
    description_4, expected_4 = review_litigation([str(n % 3) for n in range(15)])
    text = report("2021", {name: render_layout(description) for name, description in
                           (("二", description_2), ("三", description_3), ("四", description_4))})
    document = LINTER.lint_bytes(text.encode("utf-8"), "report.txt").document
    grid = {(table.template, row.key, cell.column): cell.text
            for table in document.tables for row in table.rows for cell in row.cells}
    assert grid == {**expected_2, **expected_3, **expected_4}
    assert document.unrecognized_tables == [] and document.report.unparsed == []


# --- a whole report as pdftotext writes it ---------------------------------------------------------------

# The sample's tables, as written in it (checked by hand against the file).
SAMPLE_APPLICATION = {
    "new": ["10", "2", "0", "1", "0", "0", "13"],
    "carried_over": ["1", "0", "0", "0", "0", "0", "1"],
    "granted": ["5", "1", "0", "0", "0", "0", "6"],
    "partial": ["1", "0", "0", "0", "0", "0", "1"],
    "withheld.third_party": ["1", "0", "0", "0", "0", "0", "1"],
    "unavailable.not_held": ["2", "0", "0", "1", "0", "0", "3"],
    "not_processed.petition": ["1", "0", "0", "0", "0", "0", "1"],
    "total": ["10", "1", "0", "1", "0", "0", "12"],
    "carry_forward": ["1", "1", "0", "0", "0", "0", "2"],
}
SAMPLE_ACTIVE = {
    ("2021.active.20-1", "rules"): ["0", "0", "0"],
    ("2021.active.20-1", "normative_documents"): ["3", "1", "12"],
    ("2021.active.20-5", "licensing"): ["135"],
    ("2021.active.20-6", "penalty"): ["27"],
    ("2021.active.20-6", "coercion"): ["0"],
    ("2021.active.20-8", "fees"): ["0"],
}
SAMPLE_REVIEW = ["1", "0", "0", "0", "1", "0", "0", "0", "1", "1", "0", "0", "0", "0", "0"]


def _lint_sample(text: str):
    return LINTER.lint_bytes(text.encode("utf-8"), "pdftotext-layout-2021.txt")


def _row_texts(document, template: str, key: str) -> list[str]:
    table = next(table for table in document.tables if table.template == template)
    return [cell.text for cell in table.row(key).cells]


def test_sample_report_structure() -> None:
    document = _lint_sample(SAMPLE.read_text(encoding="utf-8")).document
    tree = document.report
    assert tree.title.text == "某某市某某局2021年政府信息公开工作年度报告"
    assert [section.number for section in tree.sections] == [1, 2, 3, 4, 5, 6]
    assert [section.heading.title for section in tree.sections][2] == "收到和处理政府信息公开申请情况"
    assert tree.signoff.date_text == "2022年1月20日"
    assert tree.unparsed == [] and document.unrecognized_tables == []
    texts = [node.text for node in tree.walk() if isinstance(node, Paragraph)]
    assert "起至2021年12月31日止。" in texts and "本年度未收取信息处理费。" in texts
    # The page footers are in no node of the tree.
    written = [node.text for node in tree.walk() if hasattr(node, "text") and isinstance(node.text, str)]
    assert not any("- 2 -" in text or "第 3 页" in text or "- 4 -" in text for text in written)
    tables = [node for node in tree.walk() if isinstance(node, Table)]
    assert [table.rendering for table in tables] == ["layout"] * 3
    assert all(not isinstance(node, Section) for table in tables for node in table.walk())


def test_sample_report_tables() -> None:
    result = _lint_sample(SAMPLE.read_text(encoding="utf-8"))
    document = result.document
    assert [table.template for table in document.tables] == [
        "2021.active.20-1", "2021.active.20-5", "2021.active.20-6", "2021.active.20-8", "2021.application",
        "review-litigation"]
    assert all(not table.missing_rows and not table.extra_rows() for table in document.tables)
    for (template, key), texts in SAMPLE_ACTIVE.items():
        assert _row_texts(document, template, key) == texts
    for _, _, key in APPLICATION_ROWS_2021:
        assert _row_texts(document, "2021.application", key) == SAMPLE_APPLICATION.get(key, ["0"] * 7), key
    application = document.tables_of("2021.application")[0]
    assert application.columns == APPLICATION_COLUMNS
    review = document.tables_of("review-litigation")[0]
    assert [cell.column for cell in review.row("cases").cells] == REVIEW_COLUMNS
    assert _row_texts(document, "review-litigation", "cases") == SAMPLE_REVIEW
    # The tables add up and nothing is left unparsed.
    assert [d.code for d in result.diagnostics if d.code.startswith(("PS", "TB", "AR"))] == []


def test_sample_spans_point_at_the_original() -> None:
    original = SAMPLE.read_text(encoding="utf-8")
    lines = original.split("\n")
    document = _lint_sample(original).document
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                where = document.locate(cell.span)
                line = lines[where.line - 1]
                assert where.line == where.end_line
                assert line[where.column - 1:where.end_column - 1] == cell.text
    application = document.tables_of("2021.application")[0]
    # "（二）部分公开…" is wrapped around the line of its values.
    partial = document.locate(application.row("partial").label_span)
    assert lines[partial.line - 1].strip() == "（二）部分公开（区分处理的，只"
    assert lines[partial.end_line - 1].strip() == "计这一情形，不计其他情形）"
    assert document.locate(application.cell("partial", "total").span).line == partial.line + 1
    # The merged cell "三、本年度办理结果" runs over the page break: one cell, both pages.
    (raw,) = [table for table in document.report.walk() if isinstance(table, Table) and "申请人情况" in
              "".join(cell.text for cell in table.cells())]
    (group,) = [cell for cell in raw.cells() if cell.text == "三、本年度办理结果"]
    where = document.locate(group.span)
    assert lines[where.line - 1].lstrip().startswith("三、本年度办理")
    last_line = lines[where.end_line - 1]
    assert last_line.startswith("\f") and last_line.lstrip("\f ").startswith("结果")
    assert "- 2 -" in "\n".join(lines[where.line - 1:where.end_line])


def test_sample_with_an_empty_cell_keeps_the_other_columns() -> None:
    # The natural-person figure of （一）予以公开 left empty: in the normalised text "（一）" is
    # narrower than in the original, and the columns must still be found.
    original = SAMPLE.read_text(encoding="utf-8")
    (line,) = [line for line in original.split("\n") if "（一）予以公开" in line]
    emptied = line.replace("     5   ", "         ", 1)
    document = _lint_sample(original.replace(line, emptied)).document
    application = document.tables_of("2021.application")[0]
    assert application.cell("granted", "natural_person").value.kind == "blank"
    assert [cell.text for cell in application.row("granted").cells] == ["", "1", "0", "0", "0", "0", "6"]


def test_sample_with_the_header_repeated_after_the_page_break() -> None:
    # A PDF that repeats the header rows on each page: pdftotext writes them again after the
    # form feed, in the middle of the 依申请 table and of the merged cell "三、本年度办理结果".
    lines = SAMPLE.read_text(encoding="utf-8").split("\n")
    first = next(index for index, line in enumerate(lines) if line.lstrip().startswith("（本列数据"))
    header = lines[first:first + 4]
    page_two = next(index for index, line in enumerate(lines) if line.startswith("\f") and "结果" in line)
    lines[page_two] = lines[page_two][1:]
    lines[page_two:page_two] = ["\f" + header[0], *header[1:]]
    result = _lint_sample("\n".join(lines))
    document = result.document
    assert [table.template for table in document.tables_of("2021.application")] == ["2021.application"]
    for _, _, key in APPLICATION_ROWS_2021:
        assert _row_texts(document, "2021.application", key) == SAMPLE_APPLICATION.get(key, ["0"] * 7), key
    assert [d.code for d in result.diagnostics if d.code.startswith(("PS", "TB", "AR"))] == []


# --- faults found on real renderings ----------------------------------------------------------------

# Section 四 with narrow columns: pdftotext leaves one space between the header cells of a column
# group and two between the groups. The 行政复议 total (2) is not 1 + 0 + 0 + 0.
NARROW_REVIEW_HEADER = [
    "             行政复议                      行政诉讼",
    "                                未经复议直接起诉           复议后起诉",
    "   结果 结果 其他 尚未 总计  结果 结果 其他 尚未 总计  结果 结果 其他 尚未 总计",
    "   维持 纠正 结果 审结       维持 纠正 结果 审结       维持 纠正 结果 审结",
    "    1    0    0    0    2     0    0    0    1    1     0    0    0    0    0",
]


def _sample_with_review_block(block: list[str]) -> str:
    lines = SAMPLE.read_text(encoding="utf-8").split("\n")
    start = next(index for index, line in enumerate(lines) if line.strip().startswith("行政复议"))
    end = next(index for index, line in enumerate(lines) if line.strip().startswith("五、"))
    return "\n".join([*lines[:start], *block, *lines[end:]])


def test_header_cells_one_space_apart_are_cells() -> None:
    assert _rows("\n".join(NARROW_REVIEW_HEADER[2:])) == [
        ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3,
        ["1", "0", "0", "0", "2", "0", "0", "0", "1", "1", "0", "0", "0", "0", "0"],
    ]


def test_a_spaced_label_or_unknown_words_stay_one_cell() -> None:
    # "指 标 名 称" is one label written spaced out; "本级 数据" holds a word of no label.
    assert _rows("    指 标 名 称     单位    本年\n    受理政府信息公开申请总数    件    3") == [
        ["指 标 名 称", "单位", "本年"],
        ["受理政府信息公开申请总数", "件", "3"],
    ]
    assert _rows("    信息内容   本级 数据\n    行政许可      5") == [["信息内容", "本级 数据"], ["行政许可", "5"]]


def test_narrow_review_header_gives_the_data_row_and_its_arithmetic() -> None:
    text = _sample_with_review_block(NARROW_REVIEW_HEADER)
    result = _lint_sample(text)
    review = result.document.tables_of("review-litigation")[0]
    assert [row.key for row in review.rows] == ["cases"]
    assert [cell.text for cell in review.row("cases").cells] == [
        "1", "0", "0", "0", "2", "0", "0", "0", "1", "1", "0", "0", "0", "0", "0"]
    # The total "2" is the fifth value: column 25 of the value line.
    line = text.split("\n").index(NARROW_REVIEW_HEADER[-1]) + 1
    assert [(d.code, d.location.line, d.location.column) for d in result.diagnostics
            if d.code.startswith(("PS", "TB", "AR"))] == [("AR004", line, 25)]


def _application_with_a_group_line(group: str) -> tuple[list[list[str]], dict]:
    """The 2021 依申请 table with its group cell 三、本年度办理结果 on a line of its own."""
    description, expected = application_2021(_values(3))
    for row in description:
        if row[0] == "三、本年度办理结果":
            row[0] = ""
    first = next(number for number, row in enumerate(description) if "(一)予以公开" in row)
    description.insert(first, [group])
    return description, expected


@pytest.mark.parametrize("rendering", ["cell-lines", "bar-lines", "tab-cells", "layout"])
@pytest.mark.parametrize("group", ["三、本 年 度 办 理 结 果", "三 、本年度办理结果"])
def test_a_group_cell_alone_on_its_line_does_not_end_the_table(rendering: str, group: str) -> None:
    description_2, expected_2 = _active_2021()
    description_3, expected_3 = _application_with_a_group_line(group)
    description_4, expected_4 = review_litigation([str(n % 3) for n in range(15)])
    text = report("2021", {name: render(description, rendering) for name, description in
                           (("二", description_2), ("三", description_3), ("四", description_4))})
    result = LINTER.lint_bytes(text.encode("utf-8"), "report.txt")
    document = result.document
    assert [section.number for section in document.report.sections] == [1, 2, 3, 4, 5, 6]
    grid = {(table.template, row.key, cell.column): cell.text
            for table in document.tables for row in table.rows for cell in row.cells}
    assert grid == {**expected_2, **expected_3, **expected_4}
    assert [d.code for d in result.diagnostics if d.code.startswith(("PS", "TB", "ST"))] == []


def test_a_section_heading_after_a_table_still_ends_it_when_a_table_follows() -> None:
    # Section 四 misnumbered 三: its heading is followed by the next table's header, so it is the
    # heading it looks like (and its number is reported), not a cell of the 依申请 table.
    description_3, expected_3 = application_2021(_values(3))
    description_4, expected_4 = review_litigation([str(n % 3) for n in range(15)])
    text = report("2021", {"二": "无。", "三": render(description_3, "cell-lines"),
                           "四": render(description_4, "cell-lines")})
    text = text.replace("四、政府信息公开行政复议", "三、政府信息公开行政复议")
    result = LINTER.lint_bytes(text.encode("utf-8"), "report.txt")
    assert [table.template for table in result.document.tables] == ["2021.application", "review-litigation"]
    grid = {(table.template, row.key, cell.column): cell.text
            for table in result.document.tables for row in table.rows for cell in row.cells}
    assert grid == {**expected_3, **expected_4}
    heading = text.split("\n").index("三、政府信息公开行政复议、行政诉讼情况") + 1
    assert ("ST004", heading) in [(d.code, d.location.line) for d in result.diagnostics]
