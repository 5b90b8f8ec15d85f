"""Finding the 发布总数量 line, wherever the report put it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from nianbao.api import CellValue, ExpectedRow, Span, parse_cell_value

EXPECTED_ROW_KEY = "published_total"
# "…发布总数量（非新闻类、消息类）：12" written as prose rather than as a table line.
_VALUE_AFTER_COLON = re.compile(r"[:：][ \t]*(?P<value>[^\n]*?)[ \t]*$", re.MULTILINE)


@dataclass(frozen=True)
class TotalLine:
    span: Span
    """The whole line (label and value)."""
    value_text: str
    value_span: Span | None
    """The value as written; None when the line has no value at all."""
    value: CellValue


def expected_total(document) -> ExpectedRow | None:
    """The profile's declaration of the line, or None when the profile does not expect it."""
    return next((row for row in document.profile.expected_rows if row.key == EXPECTED_ROW_KEY), None)


def total_lines(document, expected: ExpectedRow) -> list[TotalLine]:
    """Every 发布总数量 line: an extra row of a 第二十条 table, else a paragraph saying it."""
    found = []
    for table in document.tables:
        for row in table.extra_rows():
            if not expected.matches(table, row):
                continue
            cell = next((cell for cell in row.cells if cell.text.strip()), None)
            if cell is None:
                found.append(TotalLine(row.span, "", None, CellValue(kind="blank")))
            else:
                found.append(TotalLine(row.span, cell.text.strip(), cell.span, parse_cell_value(cell.text)))
    if found:
        return found
    for paragraph in document.paragraphs():
        text = document.text_at(paragraph.span)
        if not expected.matches_text(text):
            continue
        match = _VALUE_AFTER_COLON.search(text)
        if match is None or not match.group("value"):
            found.append(TotalLine(paragraph.span, "", None, CellValue(kind="blank")))
            continue
        start = paragraph.span.start + match.start("value")
        value_span = Span(start, start + len(match.group("value")))
        found.append(TotalLine(paragraph.span, match.group("value"), value_span, parse_cell_value(match.group("value"))))
    return found
