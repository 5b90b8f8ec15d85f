"""The intermediate every document reader produces: text the parser reads exactly, and the way back.

Readers are tested with real files in their own modules; here the assembler and the origin map are
tested on their own: a grid handed to the assembler comes out of the table stage as the same rows
and cells, each cell's text locates to its grid position, boxes and file offsets lead back to the
page and the file, and a finding on a cell reaches every output with that place.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
from hypothesis import given, settings
from hypothesis import strategies as st

from nianbao.config.files import ConfigResolver
from nianbao.engine.linter import Linter
from nianbao.output.formats import RunContext
from nianbao.output.formats.sarif import build_sarif
from nianbao.output.formats.text import format_line
from nianbao.parse.parser import parse_report
from nianbao.parse.tree import Table
from nianbao.plugins.manager import load_plugins
from nianbao.read.assemble import Grid, GridCell, TextAssembler
from nianbao.tables.cells import build_table
from nianbao.text.location import Place
from nianbao.text.normalize import normalize

TEMPLATE = Path(__file__).resolve().parent.parent / "docs" / "examples" / "2021-template.md"

# Cell texts as reports have them: labels, numbers, blanks, and characters the rendering must
# neutralise (pipes, line breaks).
cell_text = st.one_of(
    st.sampled_from(["", "信息内容", "本年制发件数", "行政许可", "0", "13", "+1036", "/", "—", "（一）予以公开"]),
    st.text(alphabet="政府信息公开0123456789 |｜\n", max_size=12),
)


@st.composite
def grids(draw) -> Grid:
    rows = []
    for row_number in range(1, draw(st.integers(2, 6)) + 1):
        texts = draw(st.lists(cell_text, min_size=2, max_size=6))
        rows.append([GridCell(text, row_number, column) for column, text in enumerate(texts, 1)])
    # A label and a value in the first row: a data table (a grid without any such row is a box
    # around text, tested below).
    rows[0][0].text, rows[0][1].text = "合计", "12"
    return Grid(rows=rows, page=2)


def table_of(text: str) -> Table:
    normalized = normalize(text)
    report = parse_report(normalized.text, build_table).report
    tables = [node for node in report.walk() if isinstance(node, Table)]
    assert len(tables) == 1, text
    return tables[0]


def shown(text: str) -> str:
    """A cell's text as the parser reads it: on one line, pipes neutralised, ends stripped, normalised."""
    return normalize(text.replace("\n", " ").replace("|", "¦").replace("｜", "¦")).text.strip()


@settings(max_examples=150, deadline=None)
@given(grid=grids())
def test_a_grid_comes_out_of_the_table_stage_with_the_same_rows_and_cells(grid):
    assembler = TextAssembler()
    assembler.line("一、主动公开政府信息情况", Place(page=2, page_line=1))
    assembler.table(grid, 3)
    source = assembler.result("report.pdf", "pdf")
    table = table_of(source.text)
    assert table.rendering == "pipe-rows"
    kept_rows = [row for row in grid.rows if any(cell.text.strip() for cell in row)]  # blank rows hold nothing
    # Every cell comes out, the empty ones at a row's end too (blank cells, not missing ones).
    expected = [[shown(cell.text) for cell in row] for row in kept_rows]
    assert [[cell.text for cell in row.cells] for row in table.rows] == expected
    for row, grid_row in zip(table.rows, kept_rows):
        for cell, grid_cell in zip(row.cells, grid_row):
            place = source.origin.place(cell.span.start, max(cell.span.end, cell.span.start + 1))
            assert (place.page, place.table, place.row, place.column) == (2, 3, grid_cell.row, grid_cell.column)


def test_a_grid_without_a_row_of_two_values_is_a_box_of_paragraphs():
    grid = Grid(rows=[[GridCell("本报告由某某办公室编制。", 1, 1)], [GridCell("", 2, 1)], [GridCell("如有疑问请联系。", 3, 1)]], page=1)
    assembler = TextAssembler()
    assembler.table(grid, 1)
    source = assembler.result("report.pdf", "pdf")
    assert source.text.split("\n")[:2] == ["本报告由某某办公室编制。", "如有疑问请联系。"]
    assert not [node for node in parse_report(source.text, build_table).report.walk() if isinstance(node, Table)]


def test_boxes_of_a_line_give_the_box_around_the_text_at_fault():
    assembler = TextAssembler(boxes=True)
    text = "全年主动公开政府信息5500余条"
    boxes = [(72.0 + 12 * index, 100.0, 84.0 + 12 * index, 112.0) for index in range(len(text))]
    assembler.line(text, Place(page=1, page_line=7), boxes=boxes)
    source = assembler.result("report.pdf", "pdf")
    start = source.text.index("5500")
    place = source.origin.place(start, start + 4)
    assert (place.page, place.page_line) == (1, 7)
    assert place.box == (72.0 + 12 * start, 100.0, 84.0 + 12 * (start + 3), 112.0)
    assert place.describe() == "第1页 第7行"


def test_file_offsets_lead_to_the_line_and_column_of_the_html_file():
    page = "<html>\n<body>\n  <p>一、总体情况</p>\n  <p>本年新收申请<b>5</b>件。</p>\n</body></html>\n"
    assembler = TextAssembler(file_offsets=True)
    for match in re.finditer(r"<p>(.*?)</p>", page):
        raw = match.group(1)
        text = re.sub("<[^>]+>", "", raw)
        offsets, position = [], match.start(1)
        for char in text:
            position = page.index(char, position)
            offsets.append(position)
            position += 1
        assembler.line(text, Place(), file_offsets=offsets)
    source = assembler.result("report.html", "html", file_text=page)
    start = source.text.index("5")
    location = source.origin.locate(start, start + 1, None)
    line = page.split("\n")[location.line - 1]
    assert (location.line, line[location.column - 1]) == (4, "5")
    assert source.located_text == page


def assembled_template(changed_cell: tuple[str, str] | None = None, confidence: float | None = None):
    """The 2021 template as a reader would hand it over: paragraphs, and each Markdown table as a grid
    (``changed_cell``: a (row label, new first value) fault written into one grid cell, read by OCR
    with ``confidence`` when given)."""
    assembler = TextAssembler(confidences=confidence is not None)
    grid, tables, paragraph = None, 0, 0
    for line in TEMPLATE.read_text(encoding="utf-8").split("\n"):
        if line.startswith("|"):
            if set(line) <= set("|-: "):
                continue
            if grid is None:
                grid = Grid()
            cells = [part.strip() for part in line.strip().strip("|").split("|")]
            row = len(grid.rows) + 1
            grid_cells = [GridCell(text, row, column) for column, text in enumerate(cells, 1) if text or column > 1]
            if changed_cell is not None and cells[0] == changed_cell[0]:
                (first_value,) = [cell for cell in grid_cells if cell.column == 3]
                first_value.text = changed_cell[1]
                if confidence is not None:
                    first_value.confidences = [confidence] * len(changed_cell[1])
            grid.rows.append(grid_cells)
            continue
        if grid is not None:
            tables += 1
            assembler.table(grid, tables)
            grid = None
        if line.strip():
            paragraph += 1
            assembler.line(line.lstrip("# "), Place(paragraph=paragraph))
    return assembler.result("2021年报.docx", "docx")


def test_a_finding_in_a_grid_cell_carries_its_table_row_and_column_to_every_output():
    linter = Linter(load_plugins(entry_points=False), ConfigResolver(isolated=True))
    config = linter.config_for("2021年报.docx")
    clean = linter.lint_source(assembled_template(), config)
    baseline = {(item.code, item.place) for item in clean.diagnostics}
    markdown = linter.lint_path(str(TEMPLATE))
    assert baseline == {(item.code, item.place) for item in markdown.diagnostics}
    assert [table.template for table in clean.document.tables] == [
        table.template for table in markdown.document.tables
    ]

    # 本年新收 自然人 4 → 40: the application table no longer balances in that column.
    faulty = linter.lint_source(assembled_template(("一、本年新收政府信息公开申请数量", "40")), config)
    new = [item for item in faulty.diagnostics if (item.code, item.place) not in baseline]
    # One finding, at the changed cell: the application table is the template's fifth table, the
    # row of 本年新收 its third grid row (two header rows above), 自然人 its third column.
    assert [(item.code, item.location.place.table, item.location.place.row, item.location.place.column) for item in new] == [
        ("AR001", 5, 3, 3)
    ]
    finding = new[0]
    assert faulty.document.tables[4].template == "2021.application"
    line = faulty.document.source.text.split("\n")[finding.line - 1]
    assert line[finding.column - 1 : finding.location.end_column - 1] == "40"
    assert format_line(finding).endswith(" 〔表5 第3行第3列〕 [application-balance]")
    assert json.loads(json.dumps(finding.to_dict()))["original"] == {
        "description": "表5 第3行第3列", "table": 5, "row": 3, "column": 3
    }

    sarif = build_sarif(new, RunContext(rules=linter.plugins.rules, files=["2021年报.docx"], root=str(Path.cwd())))
    (result,) = sarif["runs"][0]["results"]
    assert result["message"]["text"].endswith(" 〔表5 第3行第3列〕")
    location = result["locations"][0]
    assert location["logicalLocations"] == [{"name": "表5 第3行第3列", "kind": "element"}]
    assert location["properties"]["nianbao/original"] == {"table": 5, "row": 3, "column": 3}
    schema = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    assert list(jsonschema.Draft4Validator(schema).iter_errors(sarif)) == []


def test_a_finding_on_text_ocr_read_with_low_confidence_is_at_most_a_warning_and_says_so():
    linter = Linter(load_plugins(entry_points=False), ConfigResolver(isolated=True))
    config = linter.config_for("scan.pdf")
    fault = ("一、本年新收政府信息公开申请数量", "40")
    sure = linter.lint_source(assembled_template(fault, confidence=0.97), config)
    unsure = linter.lint_source(assembled_template(fault, confidence=0.62), config)
    (confident,) = [item for item in sure.diagnostics if item.code == "AR001"]
    (doubtful,) = [item for item in unsure.diagnostics if item.code == "AR001"]
    assert confident.severity.value == "error" and confident.message == doubtful.message.split("（所依据")[0]
    assert doubtful.severity.value == "warning"
    assert doubtful.message.endswith("（所依据的文字由扫描件识别，置信度 62%，请对照原件核实）")
    assert doubtful.location.place.confidence == 0.62
