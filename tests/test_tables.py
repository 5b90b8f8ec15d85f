"""Raw table blocks → cells → semantic tables (the nianbao.tables stage)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nianbao.text.location import Span
from nianbao.text.normalize import fold_label, normalize
from nianbao.tables.cells import build_table
from nianbao.tables.reading import cell_name, format_number, row_title, value_columns
from nianbao.tables.recognize import Recognition, recognize_tables
from nianbao.tables.templates import default_templates, load_templates
from nianbao.parse.tree import Table
from table_renderings import (
    APPLICATION_COLUMNS,
    APPLICATION_HEADER,
    APPLICATION_ROWS_2021,
    BLANK_SAFE,
    RENDERINGS,
    REVIEW_COLUMNS,
    active_2019,
    appendix,
    application_2021,
    embed,
    render,
    review_litigation,
)
from table_renderings import lines_with_offsets as _lines

EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples"

# The official tables and the renderings are written by table_renderings (shared with the rule tests).


def recognize_text(table_text: str, era: str | None = None) -> tuple[str, Table, Recognition]:
    text, lines = embed(table_text)
    table = build_table(lines)
    return text, table, recognize_tables(default_templates(), table, era)


def text_grid(recognition: Recognition) -> dict[tuple[str, str | None, str | None], str]:
    return {
        (table.template, row.key, cell.column): cell.text
        for table in recognition.tables
        for row in table.rows
        for cell in row.cells
    }


def value_grid(recognition: Recognition) -> dict[tuple[str, str | None, str | None], tuple]:
    return {
        (table.template, row.key, cell.column): (cell.value.kind, cell.value.value, cell.value.sign)
        for table in recognition.tables
        for row in table.rows
        for cell in row.cells
    }


def assert_spans_exact(text: str, recognition: Recognition) -> None:
    for table in recognition.tables:
        for row in table.rows:
            for cell in row.cells:
                assert text[cell.span.start:cell.span.end] == cell.text
            # A label wrapped over several lines (or cells) covers the breaks between its parts.
            written = text[row.label_span.start:row.label_span.end]
            assert "".join(written.replace("|", "").split()) == "".join(row.label.split())


def _simple_values(seed: int) -> list[list[str]]:
    return [[str((row * 7 + column) * seed % 97) for column in range(7)] for row in range(25)]


TABLES = {
    "application-2021": lambda: application_2021(_simple_values(3)),
    "active-2019": active_2019,
    "review-litigation": lambda: review_litigation([str(n % 4) for n in range(15)]),
    "appendix": appendix,
}


# --- every rendering gives the same grid ---------------------------------------------------------


@pytest.mark.parametrize("name", sorted(TABLES))
def test_every_rendering_gives_the_described_grid(name: str) -> None:
    description, expected = TABLES[name]()
    grids = {}
    for rendering in RENDERINGS:
        text, table, recognition = recognize_text(render(description, rendering))
        assert table.rendering == rendering.split("-spaced")[0].split("-piped")[0], rendering
        assert recognition.unrecognized == [], rendering
        assert text_grid(recognition) == expected, rendering
        assert all(not table.missing_rows for table in recognition.tables), rendering
        assert_spans_exact(text, recognition)
        grids[rendering] = value_grid(recognition)
    first = grids["bar-lines"]
    assert all(grid == first for grid in grids.values())


def test_values_are_read_through_parse_cell_value() -> None:
    description, _ = active_2019()
    _, _, recognition = recognize_text(render(description, "pipe-rows"))
    penalty = next(t for t in recognition.tables if t.template == "2019.active.20-6")
    delta = penalty.cell("penalty", "delta")
    assert delta is not None and delta.text == "减71"
    assert (delta.value.value, delta.value.sign) == (Decimal(-71), -1)
    assert penalty.value("coercion", "delta") == Decimal(89)


# --- build_table -------------------------------------------------------------------------------------


def _cells(table: Table) -> list[str]:
    return [cell.text for cell in table.cells()]


def test_bar_lines_join_consecutive_lines_into_one_cell() -> None:
    text, lines = embed("(三)\n不予公开\n|\n1.属于国家秘密\n|\n0\n|\n|\n5\n|")
    table = build_table(lines)
    assert table.rendering == "bar-lines"
    assert _cells(table) == ["(三)不予公开", "1.属于国家秘密", "0", "", "5"]
    joined = table.cells()[0]
    assert text[joined.span.start:joined.span.end] == "(三)\n不予公开"
    empty = table.cells()[3]
    assert len(empty.span) == 0
    assert text.index("0\n|\n|") + 3 == empty.span.start  # right after the first of the two bars


def test_pipe_rows_keep_empty_cells_up_to_the_last_pipe() -> None:
    text, lines = embed("第二十条第(一)项 | |||\n规章 |  | 0 | 0 |\n行政事业性收费 | 0 | 0 | |\n| 合计 | 3")
    table = build_table(lines)
    assert table.rendering == "pipe-rows"
    # What follows the last pipe is no cell; the empties before it are (the recogniser drops those
    # beyond a table's columns as padding).
    assert [[cell.text for cell in row.cells] for row in table.rows] == [
        ["第二十条第(一)项", "", "", ""],
        ["规章", "", "0", "0"],
        ["行政事业性收费", "0", "0", ""],
        ["合计", "3"],
    ]
    for cell in table.cells():
        assert text[cell.span.start:cell.span.end] == cell.text


# "3 |  |  |": the cells 3, empty, empty, then the pipe that ends the row.
@pytest.mark.parametrize("ending", ["|  |  |", "| | ||", "|  |  |  |"])
def test_a_pipe_row_ending_in_empty_cells_has_blank_cells(ending: str) -> None:
    block = f"第二十条第(一)项 | |||\n信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n规章 | 0 | 0 | 0 |\n行政规范性文件 | 3 {ending}"
    _, _, recognition = recognize_text(block)
    (table,) = recognition.tables
    row = table.row("normative_documents")
    assert [(cell.column, cell.value.kind) for cell in row.cells] == [
        ("issued", "number"), ("repealed", "blank"), ("in_force", "blank")]
    # A full row's empties after its last value are padding.
    assert [cell.text for cell in table.row("rules").cells] == ["0", "0", "0"]


@pytest.mark.parametrize("ending", [" | ||", " ||", "|", " | | |"])
def test_cell_lines_drop_every_separator_around_a_cell(ending: str) -> None:
    cells = ["第二十条第(一)项", "信息内容", "本年制发件数", "本年废止件数", "现行有效件数", "规章", "0", "0", "0",
             "行政规范性文件", "3", "1", "12"]
    text, table, recognition = recognize_text("\n".join(cell + ending for cell in cells))
    assert table.rendering == "cell-lines"
    assert [cell.text for cell in table.cells()] == cells
    assert text_grid(recognition) == {
        ("2021.active.20-1", "rules", "issued"): "0", ("2021.active.20-1", "rules", "repealed"): "0",
        ("2021.active.20-1", "rules", "in_force"): "0", ("2021.active.20-1", "normative_documents", "issued"): "3",
        ("2021.active.20-1", "normative_documents", "repealed"): "1",
        ("2021.active.20-1", "normative_documents", "in_force"): "12",
    }
    assert_spans_exact(text, recognition)


def test_markdown_skips_the_delimiter_row_only() -> None:
    _, lines = embed("| 信息内容 | 本年处理决定数量 |\n|:---|---:|\n| 行政许可 |  |\n| 行政处罚 | - |")
    table = build_table(lines)
    assert table.rendering == "markdown"
    assert [[cell.text for cell in row.cells] for row in table.rows] == [
        ["信息内容", "本年处理决定数量"],
        ["行政许可", ""],
        ["行政处罚", "-"],
    ]


def test_tab_cells_lone_tab_is_empty_and_untabbed_line_continues() -> None:
    text, lines = embed("\t信息内容\n\t本年新\n制作数量\n\t\n\n\t规章\n\t 0\n\t0 ")
    table = build_table(lines)
    assert table.rendering == "tab-cells"
    assert [[cell.text for cell in row.cells] for row in table.rows] == [
        ["信息内容", "本年新制作数量", ""],
        ["规章", "0", "0"],
    ]
    wrapped = table.rows[0].cells[1]
    assert text[wrapped.span.start:wrapped.span.end] == "本年新\n制作数量"


def test_cell_lines_with_trailing_pipes_and_blank_lines() -> None:
    _, lines = embed("指 标 名 称 |\n\n单位 |\n2017 年 |\n\n主动公开文件数 |\n213 |")
    table = build_table(lines)
    assert table.rendering == "cell-lines"
    assert _cells(table) == ["指 标 名 称", "单位", "2017 年", "主动公开文件数", "213"]


def test_empty_block_gives_an_empty_table() -> None:
    table = build_table([(10, ""), (11, "  ")])
    assert table.rows == [] and table.span == Span(10, 10)
    assert recognize_tables(default_templates(), table, None) == Recognition()


# --- rows: short, extra, blank, unknown ------------------------------------------------------------


def test_short_row_stays_short_in_a_stream_rendering() -> None:
    block = "\n|\n".join(["第二十条第(六)项", "信息内容", "上一年项目数量", "本年增/减", "处理决定数量",
                          "行政处罚", "0", "0", "行政强制", "1", "2", "3"])
    _, _, recognition = recognize_text(block)
    (table,) = recognition.tables
    penalty = table.row("penalty")
    assert penalty is not None and [cell.text for cell in penalty.cells] == ["0", "0"]
    assert [cell.text for cell in table.row("coercion").cells] == ["1", "2", "3"]


def test_extra_values_stay_visible() -> None:
    piped = "第二十条第(五)项 |\n信息内容 | 本年处理决定数量 |\n行政许可 | 7 | 8 |"
    _, _, recognition = recognize_text(piped)
    (row,) = recognition.tables[0].rows
    assert [(cell.column, cell.text) for cell in row.cells] == [("decisions", "7"), (None, "8")]
    # Without row delimiters the row ends at the column count; the extra value is a row of its own.
    stream = "第二十条第(五)项\n信息内容\n本年处理决定数量\n行政许可\n7\n8"
    _, _, recognition = recognize_text(stream)
    rows = recognition.tables[0].rows
    assert [(row.key, [cell.text for cell in row.cells]) for row in rows] == [("licensing", ["7"]), (None, ["8"])]


def test_blank_and_dash_cells_are_kept() -> None:
    markdown = "| 第二十条第(六)项 | | |\n|---|---|---|\n| 信息内容 | 本年处理决定数量 | |\n| 行政处罚 |  | |\n| 行政强制 | — | |"
    _, _, recognition = recognize_text(markdown)
    table = recognition.tables[0]
    assert table.template == "2021.active.20-6"
    assert table.cell("penalty", "decisions").value.kind == "blank"
    assert table.cell("coercion", "decisions").value.kind == "dash"


def test_unknown_label_is_an_unknown_row_and_trailing_residue_is_leftover() -> None:
    block = "\n".join(["\t第二十条第(八)项", "", "\t信息内容", "\t本年收费金额(单位:万元)", "",
                       "\t行政事业性收费", "\t1.25", "", "\t其中:会议费", "\t0.5", "", "\t相关词条", "\t热门词条"])
    _, _, recognition = recognize_text(block)
    (table,) = recognition.tables
    assert [(row.key, row.label) for row in table.rows] == [("fees", "行政事业性收费"), (None, "其中:会议费")]
    assert table.extra_rows()[0].cells[0].text == "0.5"
    assert [cell.text for cell in recognition.leftover] == ["相关词条", "热门词条"]


REVIEW_VALUES = ["2", "1", "0", "0", "3", "0", "0", "0", "1", "1", "0", "0", "0", "0", "0"]


@pytest.mark.parametrize("rendering", RENDERINGS)
def test_a_label_alone_in_the_header_leaves_the_values_to_the_unlabelled_row(rendering: str) -> None:
    description, expected = review_litigation(REVIEW_VALUES)
    description.insert(3, ["本机关及所属单位合计"])  # a line under the header, not a template row
    _, _, recognition = recognize_text(render(description, rendering))
    (table,) = recognition.tables
    # (Markdown pads the label's line with empty cells: they are no values.)
    assert [(row.key, row.label, sum(bool(cell.text) for cell in row.cells)) for row in table.rows] == [
        (None, "本机关及所属单位合计", 0), ("cases", "", 15)]
    assert {place: text for place, text in text_grid(recognition).items() if place[1] is not None} == expected
    assert table.missing_rows == []


def test_a_label_in_the_values_row_still_labels_them() -> None:
    description, _ = review_litigation(REVIEW_VALUES)
    description[3].insert(0, "本机关及所属单位合计")
    _, _, recognition = recognize_text(render(description, "pipe-rows"))
    (table,) = recognition.tables
    assert [(row.key, row.label, len(row.cells)) for row in table.rows] == [(None, "本机关及所属单位合计", 15)]
    assert table.missing_rows == ["cases"]


def test_misspelt_label_matches_approximately() -> None:
    description, _ = application_2021(_simple_values(1))
    description[6][1] = "(二)部分公开(区分处理的,只计这一情况,不计其他情形)"
    _, _, recognition = recognize_text(render(description, "pipe-rows"), "2021")
    row = recognition.tables[0].row("partial")
    assert row is not None and row.label_exact is False
    assert row.canonical_label == "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    exact = recognition.tables[0].row("granted")
    assert exact.label_exact is True and exact.canonical_label == "（一）予以公开"


@pytest.mark.parametrize("rendering", RENDERINGS)
def test_a_block_starting_with_an_altered_row_label_starts_with_that_row(rendering: str) -> None:
    description, expected = application_2021(_simple_values(2))
    description = description[len(APPLICATION_HEADER):]  # no header: the block starts with row 一
    description[0][0] = "一、本年新收政府信息公开申请数"
    _, _, recognition = recognize_text(render(description, rendering), "2021")
    assert recognition.unrecognized == []
    (table,) = recognition.tables
    first = table.rows[0]
    assert (first.key, first.label, first.label_exact) == ("new", "一、本年新收政府信息公开申请数", False)
    assert text_grid(recognition) == expected
    assert table.missing_rows == []


@pytest.mark.parametrize("rendering", RENDERINGS)
def test_header_cells_cut_short_are_still_the_header(rendering: str) -> None:
    description, expected = active_2019()
    assert description[1] == ["信息内容", "本年新\n制作数量", "本年新\n公开数量", "对外公开总数量"]
    description[1][1:3] = ["本年新", "本年新"]  # the second line of both header cells lost
    _, _, recognition = recognize_text(render(description, rendering), "2019")
    assert recognition.unrecognized == []
    assert all(not table.extra_rows() and not table.missing_rows for table in recognition.tables)
    assert text_grid(recognition) == expected


def test_a_cut_header_cell_after_the_rows_is_still_an_unknown_row() -> None:
    block = "第二十条第(一)项 | |||\n信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |\n规章 | 0 | 2 | 5 |\n本年新 | 1 |"
    _, _, recognition = recognize_text(block)
    assert [(row.key, row.label) for row in recognition.tables[0].rows] == [("rules", "规章"), (None, "本年新")]


def test_missing_rows_are_listed() -> None:
    description, _ = application_2021(_simple_values(1))
    description = [row for row in description if "7.属于行政执法案卷" not in row]
    _, _, recognition = recognize_text(render(description, "tab-cells"), "2021")
    assert recognition.tables[0].missing_rows == ["withheld.enforcement_file"]


def test_unknown_table_is_unrecognized() -> None:
    block = "项目 | 数量 | 备注 |\n培训次数 | 3 | |\n参训人数 | 120 | 含线上 |"
    text, table, recognition = recognize_text(block)
    assert recognition.tables == []
    ((span, reason),) = recognition.unrecognized
    assert span == table.span and text[span.start:span.end].startswith("项目")
    assert "模板" in reason


def test_unknown_run_between_tables_is_reported() -> None:
    block = "\n".join(["行政复议 | 行政诉讼 |", "结果维持 | 总计 |", "0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
                       "信息内容 | 数量 |", "培训 | 3 |"])
    _, _, recognition = recognize_text(block)
    assert [table.template for table in recognition.tables] == ["review-litigation"]
    assert len(recognition.unrecognized) == 1


# --- eras -------------------------------------------------------------------------------------------


def _application_2019_style() -> str:
    """A 2019-format 依申请 table: （六）其他处理 is a single row."""
    description, _ = application_2021(_simple_values(1))
    rows = description[:3 + 20] + [["(六)其他处理", *["1"] * 7]] + description[3 + 23:]
    return render(rows, "pipe-rows")


def test_era_breaks_ties_between_the_2019_and_2021_application_tables() -> None:
    block = _application_2019_style()
    _, _, in_2020 = recognize_text(block, "2019")
    assert in_2020.tables[0].template == "2019.application"
    assert in_2020.tables[0].missing_rows == []
    assert in_2020.tables[0].value("other", "total") == Decimal(1)
    _, _, unknown_era = recognize_text(block, None)
    assert unknown_era.tables[0].template == "2019.application"
    _, _, in_2022 = recognize_text(block, "2021")
    table = in_2022.tables[0]
    assert table.template == "2021.application" and table.eras == frozenset({"2021"})
    assert table.missing_rows == ["other.no_correction", "other.unpaid_fee", "other.other"]
    assert table.value("other", "natural_person") == Decimal(1)  # the 2019-style row, kept for ST007


def test_a_2019_block_is_recognised_in_a_2021_report() -> None:
    block = "第二十条第(五)项 |\n信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |\n行政许可 | 30 | 17 | 13 |"
    _, _, recognition = recognize_text(block, "2021")
    assert recognition.tables[0].template == "2019.active.20-5"
    assert recognition.tables[0].eras == frozenset({"2019"})


def test_2021_application_rows_win_in_a_2019_report() -> None:
    description, _ = application_2021(_simple_values(2))
    _, _, recognition = recognize_text(render(description, "bar-lines"), "2019")
    assert recognition.tables[0].template == "2021.application"


# --- templates --------------------------------------------------------------------------------------


def test_builtin_templates_follow_the_official_formats() -> None:
    templates = default_templates()
    application_2019 = templates.template("2019.application")
    application = templates.template("2021.application")
    assert [column.key for column in application.columns] == APPLICATION_COLUMNS
    assert len(application_2019.rows) == 23 and len(application.rows) == 25
    assert [row.key for row in application.rows] == [key for _, _, key in APPLICATION_ROWS_2021]
    assert [row.label for row in application.group_rows("other")] == [
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "3.其他",
    ]
    review = templates.template("review-litigation")
    assert [column.key for column in review.columns] == REVIEW_COLUMNS
    assert review.eras == frozenset({"2019", "2021"})
    appendix_template = templates.template("2008.appendix")
    assert appendix_template.row("applications").children == "sum"
    assert appendix_template.row("answers").children == "sum"
    assert appendix_template.row("published").children == "overlap"
    assert {row.key for row in appendix_template.children("answers")} == {
        "answers.granted", "answers.partial", "answers.refused", "answers.other"}
    assert templates.template("2021.active.20-8").column("amount").kind == "money-10k"
    assert templates.template("2019.active.20-5").column("delta").kind == "delta"
    assert default_templates() is default_templates()


def test_labels_are_folded() -> None:
    labels = default_templates().labels
    assert fold_label("（二）部分公开（区分处理的，只计这一情形，不计其他情形）") in labels
    assert fold_label("第二十条第（九）项") in labels
    assert fold_label("申请人情况") in labels and fold_label("复议后起诉") in labels
    assert "信息内容" in labels and "案件数量" not in labels  # the unlabeled row has no written label


def test_labels_are_computed_once_per_template_set() -> None:
    templates = load_templates()
    assert templates.labels is templates.labels
    assert all(template.labels is template.labels for template in templates.templates)


def test_plugin_template_is_recognised() -> None:
    plugin = {
        "id": "jilin.release-total",
        "title": "政府信息公开发布总数量",
        "eras": ["2019", "2021"],
        "start": ["发布渠道"],
        "header": ["发布渠道"],
        "columns": [{"key": "count", "label": "发布数量", "kind": "count"}],
        "rows": [{"key": "website", "label": "政府网站"}, {"key": "wechat", "label": "政务微信", "required": False}],
    }
    templates = load_templates([plugin])
    assert templates.template("jilin.release-total") is not None
    assert "发布渠道" in templates.labels
    _, lines = embed("发布渠道 | 发布数量 |\n政府网站 | 12 |")
    recognition = recognize_tables(templates, build_table(lines), None)
    assert recognition.tables[0].template == "jilin.release-total"
    assert recognition.tables[0].value("website", "count") == Decimal(12)
    assert default_templates().template("jilin.release-total") is None


@pytest.mark.parametrize(
    "broken, complaint",
    [
        ({"title": "x", "eras": ["2021"], "columns": [{"key": "a", "label": "甲"}], "rows": [{"key": "r", "label": "乙"}]}, "id"),
        ({"id": "x", "title": "x", "eras": ["2030"], "columns": [{"key": "a", "label": "甲"}], "rows": [{"key": "r", "label": "乙"}]}, "eras"),
        ({"id": "x", "title": "x", "eras": ["2021"], "columns": [{"key": "a", "label": "甲", "kind": "money"}], "rows": [{"key": "r", "label": "乙"}]}, "kind"),
        ({"id": "x", "title": "x", "eras": ["2021"], "columns": [{"key": "a", "label": "甲"}], "rows": [{"key": "r", "label": "乙", "group": "g"}]}, "分组"),
        ({"id": "x", "title": "x", "eras": ["2021"], "columns": [{"key": "a", "label": "甲"}], "rows": [{"key": "r", "label": "乙", "patterns": ["("]}]}, "正则"),
    ],
)
def test_invalid_plugin_template_is_refused_in_chinese(broken: dict, complaint: str) -> None:
    with pytest.raises(ValueError, match=complaint):
        load_templates([broken])


# --- the real seeds -----------------------------------------------------------------------------------


def _seed(prefix: str) -> str:
    (path,) = EXAMPLES.glob(f"{prefix}_*.txt")
    return normalize(path.read_text(encoding="utf-8-sig"), default_templates().labels).text


def _block(text: str, after: str, until: str | None) -> list[tuple[int, str]]:
    """The lines after the first line starting with ``after`` up to the next starting with ``until``."""
    lines = _lines(text)
    start = next(index for index, (_, line) in enumerate(lines) if line.startswith(after)) + 1
    end = len(lines)
    if until is not None:
        end = next(index for index in range(start, len(lines)) if lines[index][1].startswith(until))
    return lines[start:end]


def _recognize_seed(text: str, after: str, until: str | None, era: str | None) -> Recognition:
    recognition = recognize_tables(default_templates(), build_table(_block(text, after, until)), era)
    assert_spans_exact(text, recognition)
    return recognition


def test_seed_000_bar_lines() -> None:
    text = _seed("000")
    active = _recognize_seed(text, "二、主动公开", "三、", "2019")
    assert [table.template for table in active.tables] == [
        "2019.active.20-1", "2019.active.20-5", "2019.active.20-6", "2019.active.20-8", "2019.active.20-9"]
    licensing = active.tables[1].row("licensing")
    assert [cell.text for cell in licensing.cells] == ["30", "17", "13"]
    assert active.tables[1].value("licensing", "delta") == Decimal(17)
    application = _recognize_seed(text, "三、收到和处理", "四、政府信息公开", "2019").tables[0]
    assert application.template == "2019.application" and application.missing_rows == []
    assert application.row("withheld.state_secret").group == "withheld"
    review = _recognize_seed(text, "四、政府信息公开", "五、", "2019").tables[0]
    assert review.value("cases", "review.corrected") == Decimal(1)
    assert review.value("cases", "review.total") == Decimal(1)
    assert review.value("cases", "litigation_after_review.total") == Decimal(0)


def test_seed_001_tab_cells() -> None:
    text = _seed("001")
    active = _recognize_seed(text, "二、主动公开", "三、", "2019")
    penalties = active.tables[2]
    assert penalties.template == "2019.active.20-6"
    assert [cell.column for cell in penalties.row("penalty").cells] == ["previous", "delta"]
    assert len(penalties.row("coercion").cells) == 3
    procurement = active.tables[4]
    assert procurement.value("procurement", "projects") == Decimal(1)
    assert procurement.cell("procurement", "amount").text == "21738元"
    (extra,) = procurement.extra_rows()
    assert extra.label == "2020年本行政区域(或本部门)政府信息公开发布总数量(非新闻类、消息类)"
    assert [(cell.column, cell.text, cell.value.value) for cell in extra.cells] == [(None, "1", Decimal(1))]
    application = _recognize_seed(text, "三、收到和处理", "四、政府信息公开", "2019").tables[0]
    assert application.missing_rows == [] and application.value("total", "total") == Decimal(0)
    review = _recognize_seed(text, "四、政府信息公开", "五、", "2019").tables[0]
    assert [cell.column for cell in review.row("cases").cells] == REVIEW_COLUMNS


def test_seed_003_pipe_rows() -> None:
    text = _seed("003")
    active = _recognize_seed(text, "二、主动公开", "三、", None)
    penalties = active.tables[2]
    assert [cell.text for cell in penalties.row("penalty").cells] == ["1001", "减71", "930"]
    delta = penalties.cell("penalty", "delta").value
    assert (delta.value, delta.sign) == (Decimal(-71), -1)
    licensing_delta = active.tables[1].cell("licensing", "delta").value
    assert (licensing_delta.value, licensing_delta.sign) == (Decimal(1228), 0)  # unsigned, for TB006
    application = _recognize_seed(text, "三、收到和处理", "四、政府信息公开", None).tables[0]
    assert application.template == "2019.application"
    assert application.value("new", "natural_person") == Decimal(29)
    assert application.value("new", "business") == Decimal(2)
    assert application.value("new", "total") == Decimal(31)
    assert application.value("other", "total") == Decimal(4)
    assert application.row("granted").group == "results"


def test_seed_004_appendix_cell_lines() -> None:
    text = _seed("004")
    recognition = _recognize_seed(text, "(二)附表", None, "2008")
    (table,) = recognition.tables
    assert table.template == "2008.appendix" and table.columns == ["unit", "annual", "cumulative"]
    assert table.value("applications", "annual") == Decimal(125)
    assert table.value("applications", "cumulative") == Decimal(384)
    channels = [row for row in table.rows if row.group == "applications"]
    assert [(row.key, [cell.text for cell in row.cells]) for row in channels] == [
        ("applications.in_person", ["0", "2"]),
        ("applications.online", ["122", "378"]),
        ("applications.letter_fax", ["3", "4"]),
    ]
    assert table.value("published", "annual") == Decimal(213)
    assert table.value("complaints", "annual") == Decimal(0)
    assert [cell.text for cell in recognition.leftover] == ["相关词条", "热门词条", "联络我们"]


# --- property: any values, any rendering ------------------------------------------------------------

_value = st.integers(min_value=0, max_value=999_999).map(str)
_value_or_nothing = st.one_of(_value, _value, _value, st.sampled_from(["", "/"]))


@st.composite
def _rendered_application(draw):
    rendering = draw(st.sampled_from(RENDERINGS))
    cell = _value_or_nothing if rendering in BLANK_SAFE else _value
    values = draw(st.lists(st.lists(cell, min_size=7, max_size=7), min_size=25, max_size=25))
    return rendering, values


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_rendered_application())
def test_random_application_values_round_trip(case) -> None:
    rendering, values = case
    description, expected = application_2021(values)
    text, _, recognition = recognize_text(render(description, rendering), "2021")
    assert text_grid(recognition) == expected
    for table in recognition.tables:
        for row in table.rows:
            for cell in row.cells:
                want = "blank" if cell.text == "" else "dash" if cell.text == "/" else "number"
                assert cell.value.kind == want
                if want == "number":
                    assert cell.value.value == Decimal(cell.text)
    assert_spans_exact(text, recognition)


_LINE_PIECES = st.sampled_from([
    "", " ", "|", "\t", "\t0", "0", "17", "减71", "/", "规章", "信息内容", "第二十条第(一)项", "(三)", "不予公开",
    "行政复议", "总计", "结果维持", "一、本年新收政府信息公开申请数量", "指标名称", "件", "培训 | 3 |", "| a | b |",
    "|---|---|", "其中:1.当面申请数", "发布总数量:1", " | |||",
])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(_LINE_PIECES, max_size=3).map(" | ".join), max_size=25))
def test_arbitrary_blocks_never_crash_and_spans_hold(block_lines) -> None:
    text, lines = embed("\n".join(block_lines))
    table = build_table(lines)
    for cell in table.cells():
        written = text[cell.span.start:cell.span.end]
        assert "".join(written.replace("|", "").split()) == "".join(cell.text.replace("|", "").split())
    recognition = recognize_tables(default_templates(), table, None)
    for table_found in recognition.tables:
        for row in table_found.rows:
            for cell in row.cells:
                assert text[cell.span.start:cell.span.end] == cell.text
    for span, reason in recognition.unrecognized:
        assert reason and table.span.start <= span.start <= span.end <= table.span.end


# --- reading recognised tables for rules -------------------------------------------------------------


def test_rows_and_cells_are_named_as_messages_name_them() -> None:
    description, _ = application_2021(_simple_values(1))
    _, _, recognition = recognize_text(render(description, "pipe-rows"), "2021")
    table = recognition.tables[0]
    template = default_templates().template(table.template)
    assert row_title(template, table, "partial") == "（二）部分公开"  # the shorter alias, not the full label
    assert row_title(template, table, "withheld.state_secret") == "（三）不予公开·1.属于国家秘密"
    assert row_title(template, table, "withheld") == "（三）不予公开"  # a group's key: its label
    assert cell_name(template, table, "granted", "natural_person") == "“（一）予以公开”行“自然人”栏"
    assert value_columns(template, table) == table.columns  # the 依申请 table has no 单位 column


@pytest.mark.parametrize(
    ("value", "written"),
    [("30", "30"), ("0.50", "0.5"), ("1228.090", "1228.09"), ("-12.5", "-12.5"), ("1E+3", "1000"), ("-0", "0")],
)
def test_figures_are_written_plainly(value: str, written: str) -> None:
    assert format_number(Decimal(value)) == written
