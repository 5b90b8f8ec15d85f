"""Real Word documents from the example reports, written with python-docx as an office writes them.

A report given as text (Markdown or plain text) is read with nianbao's own parser, so that its
title, headings, paragraphs, tables and sign-off are known; this module only decides how each is
written in the DOCX format:

* the title is centred (a paragraph per line it takes in the text), the sign-off right-aligned;
* headings use Word's automatic numbering: one multilevel list definition in ``numbering.xml``
  whose levels show the ordinals as the report writes them (``%1、`` counted in Chinese,
  ``（%2）``, ``%3.``), referenced from each heading through ``w:numPr``, with the ordinal removed
  from the paragraph's text. Where the report's own number is not the one Word would count next
  (a skipped section), a new list instance restarts the level there (``w:startOverride``), so the
  document shows exactly the report's ordinals. ``numbering=False`` writes the ordinals as text;
* tables are Word tables with merged cells: a cell left empty next to a label in the report's
  rendering is part of that label's cell, across (``w:gridSpan``: 申请人情况, the captions of the
  主动公开 tables) or down (``w:vMerge``: 三、本年度办理结果, the top-left note);
* each paragraph of the text is one paragraph of the document.

The fault helpers change a written document the way a careless author would and return what they
changed and where a reader of the document finds it (:class:`Change`).

``python -m tests.documents.make_docx DIRECTORY`` writes a document for every example report.
"""

from __future__ import annotations

import datetime as _datetime
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterator

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml as docx_parse_xml
from docx.oxml.ns import nsdecls, qn

from nianbao.config.files import ConfigResolver
from nianbao.document.document import Document as Report
from nianbao.engine.linter import Linter
from nianbao.parse.tree import Heading, Node, Paragraph, Section, SignOff, SubSection, Table, Title, Unparsed
from nianbao.plugins.manager import load_plugins
from nianbao.read.source import SourceText
from nianbao.tables.cells import ROW_DELIMITED
from nianbao.text.location import Place, Span

__all__ = [
    "EXAMPLES",
    "Change",
    "change_number",
    "drop_section",
    "example_reports",
    "insert_sentence",
    "misspell_label",
    "write_docx",
]

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"

# A cell that holds a figure rather than a label: counts, amounts, dashes.
_VALUE = re.compile(r"(?:[+\-加减增]|减少)?\s*[\d,.]*\d[\d,.]*\s*(?:%|元|万元|件|条|个|项)?|[-—/]")
# The numeral inside a written ordinal: "一、" → "一", "（二）" → "二", "3." → "3".
_NUMERAL = re.compile(r"[一二三四五六七八九十百零〇]+|\d+")
_HEADING_STYLES = {1: "Heading 1", 2: "Heading 2", 3: "Heading 3"}
_CREATED = _datetime.datetime(2022, 1, 20, 9, 30, tzinfo=_datetime.timezone.utc)


# --- reading the report with nianbao -------------------------------------------------------------


@lru_cache(maxsize=1)
def _linter() -> Linter:
    return Linter(load_plugins(entry_points=False), ConfigResolver(isolated=True))


def _parse(text: str) -> Report:
    return _linter().parse(SourceText("report.md", text, "utf-8"))


def _original(report: Report, span: Span) -> str:
    start, end = report.normalized.original_range(span)
    return report.source.text[start:end]


def _lines(report: Report, span: Span) -> list[str]:
    return [line.strip() for line in _original(report, span).splitlines() if line.strip()]


# --- what the document holds, in order -----------------------------------------------------------


@dataclass
class _Block:
    kind: str
    """``title``, ``paragraph``, ``heading``, ``table``, ``signoff``."""
    text: str = ""
    level: int = 0
    ordinal: str = ""
    number: int = 0
    rows: list[list[str]] | None = None


def _blocks(report: Report) -> list[_Block]:
    blocks: list[_Block] = []
    for node in report.report.children():
        blocks.extend(_node_blocks(report, node))
    return _join_run_on(report, blocks)


def _node_blocks(report: Report, node: Node) -> Iterator[_Block]:
    if isinstance(node, Title):
        # A title over two lines is two paragraphs, as an author who pressed Enter wrote it.
        for span in node.lines or [node.span]:
            for line in _lines(report, span):
                yield _Block("title", line.lstrip("#").strip())
    elif isinstance(node, (Section, SubSection)):
        yield _heading_block(report, node.heading)
        for child in node.body:
            yield from _node_blocks(report, child)
    elif isinstance(node, Heading):
        yield _heading_block(report, node)
    elif isinstance(node, Table):
        for rows in _table_rows(report, node):
            yield _Block("table", rows=rows)
    elif isinstance(node, SignOff):
        for line in _lines(report, node.span):
            yield _Block("signoff", line)
    elif isinstance(node, (Paragraph, Unparsed)):
        for index, line in enumerate(_lines(report, node.span)):
            # The first line carries where it starts, to find text run on after a heading.
            yield _Block("paragraph", line.lstrip("#").strip(), number=node.span.start if index == 0 else -1)


def _heading_block(report: Report, heading: Heading) -> _Block:
    ordinal = _original(report, Span(heading.span.start, heading.title_span.start)).lstrip("#").strip()
    # The rest of the heading's line: text the parser splits off as a paragraph ("（一）概述。本年度…")
    # was one paragraph in the report.
    line_end = report.text.find("\n", heading.title_span.start)
    line_end = len(report.text) if line_end < 0 else line_end
    title = _original(report, Span(heading.title_span.start, line_end)).strip()
    return _Block("heading", title, level=heading.level, ordinal=ordinal, number=heading.number)


def _join_run_on(report: Report, blocks: list[_Block]) -> list[_Block]:
    """Without the first line of a paragraph that runs on after a heading: the heading holds it."""
    joined: list[_Block] = []
    for block in blocks:
        previous = joined[-1] if joined else None
        if (
            block.kind == "paragraph"
            and previous is not None
            and previous.kind == "heading"
            and block.number >= 0
            and _same_line(report, block.number)
        ):
            continue
        joined.append(block)
    return joined


def _same_line(report: Report, offset: int) -> bool:
    line_start = report.text.rfind("\n", 0, offset) + 1
    return bool(report.text[line_start:offset].strip())


# --- tables: rows of cell texts, "" where a merged cell continues --------------------------------


def _table_rows(report: Report, table: Table) -> list[list[list[str]]]:
    """The Word tables of one table block, each as rows of cell texts."""
    if table.rendering in ROW_DELIMITED:
        # One block may hold several official tables (the 主动公开 ones): each is a Word table.
        starts = sorted(found.span.start for found in report.tables if found.source is table)
        tables: list[list[list[str]]] = []
        for row in table.rows:
            if not tables or any(row.span.start <= start < row.span.end for start in starts):
                tables.append([])
            tables[-1].append([_original(report, cell.span).strip() for cell in row.cells])
        return tables
    return _stream_rows(report, table)


def _stream_rows(report: Report, table: Table) -> list[list[list[str]]]:
    """Rows for a rendering that lost them (one cell per line): the recognised tables say where a
    table and each of its rows start; the header is one row after the caption."""
    recognised = [found for found in report.tables if found.source is table]
    table_starts = {found.span.start for found in recognised}
    row_labels = {row.label_span.start for found in recognised for row in found.rows if row.label}
    captions = {caption for found in recognised for caption in _template_captions(report, found.template)}
    tables: list[list[list[str]]] = []
    row: list[str] = []
    row_kind = ""  # "caption", "header", "data"
    for cell in table.cells():
        text = _original(report, cell.span).strip()
        if not text:
            continue
        value = bool(_VALUE.fullmatch(text))
        start_table = cell.span.start in table_starts or not tables
        if start_table:
            tables.append([])
            row = []
        is_caption = text.replace("(", "（").replace(")", "）") in captions
        new_row = (
            start_table
            or is_caption
            or row_kind == "caption"
            or (not value and row and _VALUE.fullmatch(row[-1]) is not None)
            or (cell.span.start in row_labels and not (len(row) == 1 and row_kind == "data"))
            or (value and row_kind == "header")
        )
        if new_row:
            row = []
            tables[-1].append(row)
            in_data = row_kind == "data" and not start_table
            data = in_data or cell.span.start in row_labels or value
            row_kind = "caption" if is_caption else "data" if data else "header"
        row.append(text)
    return [rows for rows in tables if rows]


def _template_captions(report: Report, template_id: str) -> tuple[str, ...]:
    template = report.templates.template(template_id)
    return tuple(template.captions) if template is not None else ()


@dataclass
class _Merged:
    row: int
    column: int
    text: str
    rowspan: int = 1
    colspan: int = 1


def merged_cells(rows: list[list[str]]) -> list[_Merged]:
    """The cells of a table written with empty cells for merges (0-based positions).

    An empty cell continues the label cell above it when it starts where that cell starts, the
    empty run is as wide as that cell, and either its row is a header row (no figures) or every
    cell before it continues a cell from above too (三、本年度办理结果 down its rows, the top-left
    note over the header rows, 总计 beside the 法人或其他组织 columns); else it continues the label
    to its left in the same row (申请人情况 across its columns). An empty cell next to a figure
    stays an empty cell.
    """
    width = max(len(row) for row in rows)
    grid = [list(row) + [""] * (width - len(row)) for row in rows]
    owner: list[list[_Merged | None]] = [[None] * width for _ in grid]
    cells: list[_Merged] = []
    for r, row in enumerate(grid):
        header = not any(_VALUE.fullmatch(text) for text in row if text)
        c = 0
        while c < width:
            text = row[c]
            above = owner[r - 1][c] if r else None
            if (
                not text
                and above is not None
                and above.column == c
                and above.text
                and not _VALUE.fullmatch(above.text)
                and (header or all(owner[r][left] is not None and owner[r][left].row < r for left in range(c)))
                and not any(row[c : c + above.colspan])
            ):
                above.rowspan += 1
                for column in range(c, c + above.colspan):
                    owner[r][column] = above
                c += above.colspan
                continue
            left = owner[r][c - 1] if c else None
            if not text and left is not None and left.row == r and left.rowspan == 1 and left.text \
                    and not _VALUE.fullmatch(left.text):
                left.colspan += 1
                owner[r][c] = left
            else:
                cell = _Merged(r, c, text)
                cells.append(cell)
                owner[r][c] = cell
            c += 1
    return cells


# --- writing the DOCX ----------------------------------------------------------------------------


def write_docx(text: str, path, *, numbering: bool = True) -> Path:
    """Write the report ``text`` as a Word document at ``path``; ``numbering=False`` writes the
    heading ordinals as text instead of Word's automatic numbering."""
    report = _parse(text)
    blocks = _blocks(report)
    document = docx.Document()
    properties = document.core_properties
    properties.title = "".join(block.text for block in blocks if block.kind == "title")
    properties.author = next((block.text for block in blocks if block.kind == "signoff"), "")
    properties.created = properties.modified = _CREATED
    lists = _HeadingLists(document, blocks) if numbering else None
    previous_table = False
    for block in blocks:
        if block.kind == "title":
            paragraph = document.add_paragraph(block.text)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.runs[0].bold = True
        elif block.kind == "heading":
            style = _HEADING_STYLES.get(block.level, "Heading 3")
            if lists is not None and lists.numbers(block):
                paragraph = document.add_paragraph(block.text, style=style)
                lists.apply(paragraph, block)
            else:
                paragraph = document.add_paragraph(block.ordinal + block.text, style=style)
        elif block.kind == "table":
            if previous_table:
                # Word joins tables that touch: an empty paragraph keeps them apart, as authors do.
                document.add_paragraph()
            _write_table(document, block.rows or [])
        elif block.kind == "signoff":
            document.add_paragraph(block.text).alignment = WD_ALIGN_PARAGRAPH.RIGHT
        else:
            document.add_paragraph(block.text)
        previous_table = block.kind == "table"
    path = Path(path)
    document.save(path)
    return path


def _write_table(document, rows: list[list[str]]) -> None:
    cells = merged_cells(rows)
    width = max(len(row) for row in rows)
    table = document.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid"
    for cell in cells:
        target = table.cell(cell.row, cell.column)
        if cell.rowspan > 1 or cell.colspan > 1:
            target = target.merge(table.cell(cell.row + cell.rowspan - 1, cell.column + cell.colspan - 1))
        target.text = cell.text


class _HeadingLists:
    """One multilevel list for the headings; its levels show the report's ordinals."""

    def __init__(self, document, blocks: list[_Block]) -> None:
        self._numbering = document.part.numbering_part.element
        self._formats: dict[int, tuple[str, str]] = {}
        for block in blocks:
            if block.kind == "heading" and block.level not in self._formats:
                found = _level_format(block.ordinal, block.level)
                if found is not None:
                    self._formats[block.level] = found
        existing = [int(item.get(qn("w:abstractNumId"))) for item in self._numbering.iterfind(qn("w:abstractNum"))]
        self._abstract = max(existing, default=0) + 1
        levels = "".join(
            _level_xml(level - 1, *self._formats.get(level, ("decimal", f"%{level}.")))
            for level in range(1, 10)
        )
        abstract = docx_parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{self._abstract}">'
            f'<w:multiLevelType w:val="multilevel"/>{levels}</w:abstractNum>'
        )
        first_num = self._numbering.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            self._numbering.append(abstract)
        self._num = self._new_num(None)
        self._counters = [0] * 9

    def numbers(self, block: _Block) -> bool:
        """Whether the list can show this heading's ordinal (same form as its level's first)."""
        found = _level_format(block.ordinal, block.level)
        return found is not None and found == self._formats.get(block.level)

    def apply(self, paragraph, block: _Block) -> None:
        level = block.level - 1
        # Word's count: this level goes on, every lower level starts again.
        if block.number != self._counters[level] + 1:
            self._num = self._new_num((level, block.number))
        self._counters[level] = block.number
        for lower in range(level + 1, 9):
            self._counters[lower] = 0
        properties = paragraph._p.get_or_add_pPr()
        properties.append(
            docx_parse_xml(
                f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{self._num}"/></w:numPr>'
            )
        )

    def _new_num(self, start: tuple[int, int] | None) -> int:
        existing = [int(item.get(qn("w:numId"))) for item in self._numbering.iterfind(qn("w:num"))]
        number = max(existing, default=0) + 1
        override = ""
        if start is not None:
            override = f'<w:lvlOverride w:ilvl="{start[0]}"><w:startOverride w:val="{start[1]}"/></w:lvlOverride>'
        self._numbering.append(
            docx_parse_xml(
                f'<w:num {nsdecls("w")} w:numId="{number}"><w:abstractNumId w:val="{self._abstract}"/>'
                f"{override}</w:num>"
            )
        )
        return number


def _level_format(ordinal: str, level: int) -> tuple[str, str] | None:
    """``(numFmt, lvlText)`` showing ``ordinal`` at ``level``: "（一）" at 2 → chineseCounting, "（%2）"."""
    match = _NUMERAL.search(ordinal)
    if match is None:
        return None
    kind = "decimal" if match.group().isdigit() else "chineseCounting"
    return kind, ordinal[: match.start()] + f"%{level}" + ordinal[match.end() :]


def _level_xml(ilvl: int, number_format: str, text: str) -> str:
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{number_format}"/>'
        f'<w:lvlText w:val="{_xml_attribute(text)}"/><w:lvlJc w:val="left"/><w:suff w:val="nothing"/>'
        f'<w:pPr><w:ind w:left="0" w:firstLine="640"/></w:pPr></w:lvl>'
    )


def _xml_attribute(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


# --- faults a careless author makes --------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """What a fault helper changed: where a reader finds it, and the text before and after."""

    place: Place
    before: str
    after: str


def _body_paragraphs(document) -> list:
    """The body's paragraphs a person counts: those outside tables that show any text, numbering
    included (a numbered heading whose text is empty still shows its ordinal)."""
    return [
        paragraph
        for paragraph in document.paragraphs
        if paragraph.text.strip() or paragraph._p.find(f"{qn('w:pPr')}/{qn('w:numPr')}") is not None
    ]


def _grid_column(cell_element) -> int:
    """1-based grid column where a ``w:tc`` starts (spans and ``w:gridBefore`` before it)."""
    row = cell_element.getparent()
    column = 1
    before = row.find(f"{qn('w:trPr')}/{qn('w:gridBefore')}")
    if before is not None:
        column += int(before.get(qn("w:val")))
    for sibling in row.iterchildren(qn("w:tc")):
        if sibling is cell_element:
            return column
        span = sibling.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}")
        column += int(span.get(qn("w:val"))) if span is not None else 1
    raise ValueError("cell not in its row")


def _find_cell(document, label: str):
    """``(table number, row number, w:tc)`` of the first cell whose text is ``label``."""
    for number, table in enumerate(document.element.body.iter(qn("w:tbl")), start=1):
        for row_number, row in enumerate(table.iterchildren(qn("w:tr")), start=1):
            for cell in row.iterchildren(qn("w:tc")):
                if _cell_text(cell) == label:
                    return number, row_number, cell
    raise LookupError(f"no table cell reads {label!r}")


def _cell_text(cell_element) -> str:
    return "".join(text.text or "" for text in cell_element.iter(qn("w:t"))).strip()


def _set_cell_text(cell_element, text: str) -> None:
    paragraphs = cell_element.findall(qn("w:p"))
    for extra in paragraphs[1:]:
        cell_element.remove(extra)
    paragraph = paragraphs[0]
    for run in paragraph.findall(qn("w:r")):
        paragraph.remove(run)
    run = docx_parse_xml(f'<w:r {nsdecls("w")}><w:t xml:space="preserve">{_xml_attribute(text)}</w:t></w:r>')
    paragraph.append(run)


def change_number(path, row_label: str, value: int = 1, *, new: str | None = None) -> Change:
    """Change the ``value``-th figure (1-based) of the row labelled ``row_label``: to ``new``, or to
    the old figure plus one."""
    path = Path(path)
    document = docx.Document(str(path))
    table, row, label_cell = _find_cell(document, row_label)
    figures = [
        cell for cell in label_cell.itersiblings(qn("w:tc")) if _VALUE.fullmatch(_cell_text(cell))
    ]
    target = figures[value - 1]
    before = _cell_text(target)
    after = new if new is not None else str(int(before) + 1)
    _set_cell_text(target, after)
    document.save(str(path))
    return Change(Place(table=table, row=row, column=_grid_column(target)), before, after)


def misspell_label(path, label: str, misspelt: str) -> Change:
    """Write ``misspelt`` in the table cell that reads ``label``."""
    path = Path(path)
    document = docx.Document(str(path))
    table, row, cell = _find_cell(document, label)
    _set_cell_text(cell, misspelt)
    document.save(str(path))
    return Change(Place(table=table, row=row, column=_grid_column(cell)), label, misspelt)


def drop_section(path, title: str) -> Change:
    """Delete the heading whose text is ``title`` and everything up to the next heading of its
    level or above (tables included). Later automatically numbered headings move up one, as in
    Word."""
    path = Path(path)
    document = docx.Document(str(path))
    paragraphs = _body_paragraphs(document)
    heading = next(p for p in paragraphs if p.text.strip().endswith(title) and p.style.name.startswith("Heading"))
    level = int(heading.style.name.split()[-1])
    place = Place(paragraph=[p._p for p in paragraphs].index(heading._p) + 1)
    element = heading._p
    doomed = [element]
    for sibling in element.itersiblings():
        if sibling.tag == qn("w:sectPr"):
            break
        style = sibling.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        name = style.get(qn("w:val")) if style is not None else ""
        if name.startswith("Heading") and int(name[len("Heading"):] or 9) <= level:
            break
        doomed.append(sibling)
    for item in doomed:
        item.getparent().remove(item)
    document.save(str(path))
    return Change(place, heading.text, "")


def insert_sentence(path, containing: str, sentence: str) -> Change:
    """Append ``sentence`` to the first body paragraph whose text contains ``containing``."""
    path = Path(path)
    document = docx.Document(str(path))
    paragraphs = _body_paragraphs(document)
    number, paragraph = next((n, p) for n, p in enumerate(paragraphs, start=1) if containing in p.text)
    before = paragraph.text
    paragraph.add_run(sentence)
    document.save(str(path))
    return Change(Place(paragraph=number), before, paragraph.text)


# --- every example report ------------------------------------------------------------------------


def example_reports() -> list[Path]:
    """The example reports of ``docs/examples`` (Markdown and plain text)."""
    return sorted(path for path in EXAMPLES.iterdir() if path.suffix in (".md", ".txt"))


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m tests.documents.make_docx DIRECTORY", file=sys.stderr)
        return 2
    target = Path(argv[0])
    target.mkdir(parents=True, exist_ok=True)
    for report in example_reports():
        written = write_docx(report.read_text(encoding="utf-8"), target / f"{report.stem}.docx")
        print(written)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
