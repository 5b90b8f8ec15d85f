"""What XR001–XR003 share: a checked report and its body's report of the year before, their cells
by template row and column, and a finding at the later cell with the earlier cells beside it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Iterator

from nianbao.api import CellRecord, Corpus, CorpusFinding, RelatedIn, ReportRecord, default_templates, format_number


@dataclass(frozen=True)
class YearPair:
    earlier: ReportRecord
    later: ReportRecord

    def cells(self, record: ReportRecord, table_suffix: str, row: str) -> dict[str, CellRecord]:
        """The cells of ``row`` in the table whose template id ends with ``table_suffix``, by column."""
        return {
            cell.column: cell
            for cell in record.cells
            if cell.row == row and cell.column is not None and cell.table.endswith(table_suffix)
        }

    def describe(self, record: ReportRecord, cell: CellRecord) -> str:
        return f"{record.year} 年报告（{record.path} 第 {cell.location.line} 行）"


def year_pairs(corpus: Corpus) -> Iterator[YearPair]:
    for earlier, later in corpus.consecutive_years():
        yield YearPair(earlier, later)


def amount(cell: CellRecord | None) -> Decimal | None:
    """The cell's number; an explicit dash ("/", "—") is nothing, so 0; blank and text: unknown."""
    if cell is None:
        return None
    if cell.kind == "dash":
        return Decimal(0)
    return cell.number


def column_label(table: str, column: str) -> str:
    template = default_templates().template(table)
    found = next((item for item in template.columns if item.key == column), None) if template else None
    return found.label if found is not None else column


def related(record: ReportRecord, cell: CellRecord, what: str) -> RelatedIn:
    return RelatedIn(record.path, cell.location, f"{record.year} 年报告的{what}：{cell.text or '（空白）'}")


def finding(later: ReportRecord, cell: CellRecord, message: str, related_places: tuple[RelatedIn, ...], place: str) -> CorpusFinding:
    return CorpusFinding(
        path=later.path,
        location=cell.location,
        message=message,
        related=related_places,
        place=place,
        snippet=cell.text,
    )


def shown(value: Decimal) -> str:
    return format_number(value)
