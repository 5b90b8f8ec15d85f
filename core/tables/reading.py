"""Reading semantic tables for rules: names, values and places of rows and cells.

What several rule families need of a recognised table beyond its keys (:mod:`nianbao.tables.model`),
exported through :mod:`nianbao.api`:

* the template it was recognised with (:func:`template_of`) and its value columns and their kinds;
* how messages name a row, a column or a cell ("“（一）予以公开”行“自然人”栏") and write a figure;
* the value cells of each row (:func:`row_values`): the recogniser keeps a text cell in a value
  position ("约30", "若干") as an unknown row of its own; here it is put back into the row it
  belongs to, so that the table-shape rules see the row as written;
* every cell of a numeric column (:func:`numeric_cells`) and the structural place of a table
  (:func:`section_prefix`, for ``Finding.place``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Iterator

from nianbao.tables.cells import ROW_DELIMITED
from nianbao.tables.model import SemanticCell, SemanticRow, SemanticTable
from nianbao.tables.templates import Template, default_templates
from nianbao.text.numbers import extract_numbers
from nianbao.text.values import parse_cell_value

if TYPE_CHECKING:
    from nianbao.document.document import Document

__all__ = [
    "NUMERIC_KINDS",
    "NumericCell",
    "RowValues",
    "cell_name",
    "column_kind",
    "column_title",
    "format_number",
    "iter_numeric_cells",
    "numeric_cells",
    "row_title",
    "row_values",
    "section_prefix",
    "template_of",
    "value_columns",
]

# Column kinds whose cells must hold numbers.
NUMERIC_KINDS = frozenset({"count", "delta", "amount", "money-10k"})


# --- templates, names and figures ---------------------------------------------------------------


def template_of(document: Document, table: SemanticTable) -> Template | None:
    """The template ``table`` was recognised with (the document's own set when it carries one)."""
    templates = document.templates or default_templates()
    return templates.template(table.template)


def column_kind(template: Template | None, column: str | None) -> str | None:
    """The template kind of a column (``count``, ``delta``, ``amount``, ``money-10k``, ``unit``)."""
    found = template.column(column) if template is not None and column is not None else None
    return found.kind if found is not None else None


def value_columns(template: Template | None, table: SemanticTable) -> list[str]:
    """The table's columns that hold values (the 单位 column of a 附表 does not)."""
    return [key for key in table.columns if column_kind(template, key) != "unit"]


def row_title(template: Template | None, table: SemanticTable, key: str | None) -> str:
    """A row's name in messages: its shortest template label, under its sub-group when it has one
    ("（三）不予公开·1.属于国家秘密"); a row the template does not know keeps its label."""
    row = template.row(key) if template is not None and key is not None else None
    if row is None:
        found = table.row(key) if key is not None else None
        if found is not None:
            return found.canonical_label or found.label
        group = template.group(key) if template is not None and key is not None else None
        return group.label if group is not None else (key or "")
    label = min((row.label, *row.aliases), key=len)
    group = template.group(row.group) if row.group else None
    if group is not None and group.parent is not None:
        return f"{group.label}·{label}"
    return label


def column_title(template: Template | None, table: SemanticTable, key: str) -> str:
    """A column's name in messages: its template title ("本年增/减"), else the header's label."""
    column = template.column(key) if template is not None else None
    return column.title if column is not None else table.column_labels.get(key, key)


def cell_name(template: Template | None, table: SemanticTable, row: str | None, column: str | None) -> str:
    """"“（一）予以公开”行“自然人”栏" — or just the column for a table whose row has no label."""
    template_row = template.row(row) if template is not None and row is not None else None
    column_part = f"“{column_title(template, table, column)}”栏" if column else ""
    if template_row is not None and template_row.unlabeled:
        return column_part or "该行"
    return f"“{row_title(template, table, row)}”行{column_part}"


def format_number(value: Decimal) -> str:
    """A figure as messages write it: "30", "0.5", "1228.09" (no exponent, no trailing zeros)."""
    if value == 0:
        return "0"  # never "-0"
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


# --- the value cells of each row ----------------------------------------------------------------


@dataclass
class RowValues:
    """The value cells of one template row, in order, as the table-shape rules see them.

    ``cells`` leaves out the 单位 cell and includes text cells the recognizer had taken for
    unknown rows (``absorbed``); cells beyond the table's columns have ``column`` None.
    """

    row: SemanticRow
    cells: list[SemanticCell]
    expected: int
    """How many value columns the table has."""
    absorbed: list[SemanticRow] = field(default_factory=list)

    @property
    def assigned(self) -> list[SemanticCell]:
        return [cell for cell in self.cells if cell.column is not None]

    @property
    def extra(self) -> list[SemanticCell]:
        return [cell for cell in self.cells if cell.column is None]


def row_values(template: Template | None, table: SemanticTable) -> tuple[list[RowValues], list[SemanticRow]]:
    """Every keyed row's value cells, and the rows that are really unknown (key None, not absorbed).

    A row the template does not know (key None) right after a template row is taken back into
    it when it is really part of it: in a rendering with real rows, when its "label" stands in
    the same line as the template row's label (a text value such as "若干"); in a stream
    rendering, when the template row is still short of values and the "label" is a figure with
    words around it ("约30"), or when the template row is full and the values have no label at
    all (values beyond the header's columns).
    """
    columns = value_columns(template, table)
    units = {key for key in table.columns if column_kind(template, key) == "unit"}
    delimited = table.source is not None and table.source.rendering in ROW_DELIMITED
    line_of = _raw_rows(table) if delimited else {}
    keyed: list[RowValues] = []
    unknown: list[SemanticRow] = []
    current: RowValues | None = None
    for row in table.rows:
        if row.key is not None:
            current = RowValues(row, [cell for cell in row.cells if cell.column not in units], len(columns))
            keyed.append(current)
            continue
        if current is not None and _continues(current, row, delimited, line_of):
            _absorb(current, row, columns)
            continue
        unknown.append(row)
        current = None
    return keyed, unknown


def _raw_rows(table: SemanticTable) -> dict[int, int]:
    """Start offset of each non-empty raw cell → the number of its raw row."""
    assert table.source is not None
    return {
        cell.span.start: number
        for number, raw in enumerate(table.source.rows)
        for cell in raw.cells
        if cell.text
    }


# A stream-rendering "label" read back as a value: a figure with at most this many other characters
# ("约30", "30余", "1228（减少）"), so that a real unknown row ("2020年本行政区域…") is left alone.
_WORDS_AROUND_A_FIGURE = 4


def _looks_like_a_value(text: str) -> bool:
    mentions = extract_numbers(text)
    return len(mentions) == 1 and len(text) - (mentions[0].end - mentions[0].start) <= _WORDS_AROUND_A_FIGURE


def _continues(current: RowValues, row: SemanticRow, delimited: bool, line_of: dict[int, int]) -> bool:
    if delimited:
        if not row.label:
            return False
        here = line_of.get(row.label_span.start)
        anchor = current.absorbed[-1] if current.absorbed else current.row
        return here is not None and here == line_of.get(anchor.label_span.start)
    if not row.label:
        return len(current.cells) >= current.expected and bool(row.cells)
    return len(current.cells) < current.expected and _looks_like_a_value(row.label)


def _absorb(current: RowValues, row: SemanticRow, columns: list[str]) -> None:
    def next_column() -> str | None:
        filled = len(current.assigned)
        return columns[filled] if filled < len(columns) and not current.extra else None

    if row.label:
        current.cells.append(
            SemanticCell(column=next_column(), text=row.label, span=row.label_span, value=parse_cell_value(row.label))
        )
    for cell in row.cells:
        current.cells.append(replace(cell, column=next_column()))
    current.absorbed.append(row)


# --- numeric cells and places ------------------------------------------------------------------


def iter_numeric_cells(
    template: Template | None, values: list[RowValues]
) -> Iterator[tuple[RowValues, SemanticCell, str]]:
    """Each value cell of a numeric column with its row and column kind."""
    for row in values:
        for cell in row.cells:
            kind = column_kind(template, cell.column)
            if kind in NUMERIC_KINDS:
                yield row, cell, kind


@dataclass(frozen=True)
class NumericCell:
    """A value cell of a numeric column, with what a message about it needs."""

    table: SemanticTable
    template: Template | None
    row: RowValues
    cell: SemanticCell
    kind: str
    section: str

    @property
    def name(self) -> str:
        """“行政许可”行“本年增/减”栏 — how messages name the cell."""
        return cell_name(self.template, self.table, self.row.row.key, self.cell.column)

    @property
    def place(self) -> str:
        return f"{self.section}table:{self.table.template}/row:{self.row.row.key}/col:{self.cell.column}"


def numeric_cells(document: Document) -> Iterator[NumericCell]:
    """Every value cell of a numeric column in the document's tables, in document order (read
    once per document: the rules asking for them share the reading)."""
    return iter(document.analysis(_numeric_cells))


def _numeric_cells(document: Document) -> tuple[NumericCell, ...]:
    found = []
    for table in document.tables:
        template = template_of(document, table)
        rows, _ = row_values(template, table)
        section = section_prefix(document, table)
        for row, cell, kind in iter_numeric_cells(template, rows):
            found.append(NumericCell(table, template, row, cell, kind, section))
    return tuple(found)


def section_prefix(document: Document, table: SemanticTable) -> str:
    """"section:三/" for a table in section 三 (empty outside numbered sections), for ``Finding.place``."""
    return document.place_prefix(table.span.start)

