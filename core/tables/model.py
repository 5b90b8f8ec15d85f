"""Semantic tables: an official table as recognised, addressable by its template's keys.

Whatever the rendering, :func:`~nianbao.tables.recognize.recognize_tables` gives a
:class:`SemanticTable` whose rows carry the template row key (or None for a row the template
does not know) and whose cells carry the template column key (or None for a value beyond the
header's columns). Rules read ``table.value("granted", "natural_person")`` and never care how the
report wrote the table; ``source`` is the raw block it was read from, for rules that need the
cells as written.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from nianbao.parse.tree import Table
from nianbao.text.location import Span
from nianbao.text.values import CellValue

__all__ = ["SemanticCell", "SemanticRow", "SemanticTable"]


@dataclass
class SemanticCell:
    column: str | None
    """The template column key, or None for a value beyond the header's columns."""
    text: str
    span: Span
    value: CellValue


@dataclass
class SemanticRow:
    key: str | None
    """The template row key, or None for a row the template does not know (TB008)."""
    label: str
    """The label as written (normalised)."""
    label_span: Span
    canonical_label: str | None
    label_exact: bool
    """False when the label only approximately matches the template text (TB005)."""
    cells: list[SemanticCell]
    span: Span
    group: str | None = None

    def cell(self, column: str) -> SemanticCell | None:
        for cell in self.cells:
            if cell.column == column:
                return cell
        return None


@dataclass
class SemanticTable:
    """An official table recognised from any rendering, addressable by canonical keys."""

    template: str
    """The template id, e.g. ``2021.active.20-1`` or ``application``."""
    title: str
    eras: frozenset[str]
    columns: list[str]
    column_labels: dict[str, str]
    rows: list[SemanticRow]
    missing_rows: list[str]
    span: Span
    source: Table | None = None

    def row(self, key: str) -> SemanticRow | None:
        for row in self.rows:
            if row.key == key:
                return row
        return None

    def cell(self, row: str, column: str) -> SemanticCell | None:
        found = self.row(row)
        return found.cell(column) if found else None

    def value(self, row: str, column: str) -> Decimal | None:
        found = self.cell(row, column)
        return found.value.value if found else None

    def extra_rows(self) -> list[SemanticRow]:
        return [row for row in self.rows if row.key is None]
