"""Ruled tables of a PDF as grids of cells, rejoined where a page break splits them.

pdfplumber finds a table from its ruling lines (``find_tables`` with the lines strategy); each cell
it reports is a rectangle closed on all four sides, so a merged cell comes as one cell spanning
several rows or columns of the grid the table's ruling lines make. What this module adds:

* **only visible rulings**: a rectangle filled white and not stroked (WPS draws them behind framed
  paragraphs) is no ruling line, so it cannot make a table;
* **framed prose is not a table**: a "table" of one column (a box around a paragraph, or one box
  per line of text) is given back as prose;
* **cell text**: the glyphs whose centres lie in the cell, its lines joined without a break;
* **page breaks**: a table that starts a page continues the table that ended the previous page
  when their outer edges match and the column edges of one are among those of the other
  (:meth:`SplitTable.accepts`); a header row repeated at the top of the new page is dropped, and a
  cell cut by the break (its text running on in the first row of the new page) is joined into one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

from nianbao.read.assemble import Box, Grid, GridCell
from nianbao.read.pdf_text import Glyph, TextLine, cluster_glyphs, is_heading, joined_text, make_line

__all__ = ["PageTable", "SplitTable", "TABLE_SETTINGS", "find_page_tables"]

# Rulings closer than SNAP points are one line. pdfplumber's default (3) also merges the borders of
# two tables standing one above the other, shifting both; WPS and Word draw one border exactly.
TABLE_SETTINGS = {
    "vertical_strategy": "lines",
    "horizontal_strategy": "lines",
    "snap_tolerance": 1.0,
    "join_tolerance": 3.0,
    "intersection_tolerance": 3.0,
    "edge_min_length": 3.0,
}
# Two column edges on consecutive pages are the same within this many points.
EDGE_TOLERANCE = 2.5
# Past this many ruling segments a page is a drawing, not a report page with tables: finding
# tables on it would take minutes (intersections are counted pairwise), so its text is read as lines.
MAX_EDGES = 4000
_NUMBER = re.compile(r"[\d\s.,，．%％+-]+")


@dataclass
class TableCell:
    """A cell: its rectangle on its page, its text lines, and its rows in the table (0-based)."""

    page: int
    x0: float
    top: float
    x1: float
    bottom: float
    row: int
    rows: int
    lines: list[TextLine] = field(default_factory=list)
    text: str = ""
    boxes: list[Box | None] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.lines and not self.text:
            joined = joined_text(self.lines)
            self.text, self.boxes = joined.text, joined.boxes

    @property
    def is_value(self) -> bool:
        return bool(_NUMBER.fullmatch(self.text)) and any(char.isdigit() for char in self.text)

    def same_columns(self, other: TableCell) -> bool:
        return abs(self.x0 - other.x0) <= EDGE_TOLERANCE and abs(self.x1 - other.x1) <= EDGE_TOLERANCE

    def append(self, other: TableCell) -> None:
        """Join ``other``, the rest of this cell on the next page, into it. The cell's place is
        on its first page, so the characters from the next page keep no box (their coordinates
        are on another page)."""
        kept = len(self.lines)
        self.lines = self.lines + other.lines
        joined = joined_text(self.lines)
        cut = joined.starts[kept] if kept < len(joined.starts) else len(joined.text)
        self.text = joined.text
        self.boxes = [*joined.boxes[:cut], *([None] * (len(joined.boxes) - cut))]

    def fills_its_width(self) -> bool:
        """Its last line runs to the cell's right edge (as far from it as the text is from the left
        edge, give or take a character and a half): the text was cut, not ended."""
        if not self.lines:
            return False
        last = self.lines[-1]
        padding = min(line.x0 for line in self.lines) - self.x0
        return self.x1 - last.x1 <= max(padding, 0) + 1.5 * last.size


@dataclass
class PageTable:
    """One table's part on one page."""

    page: int
    bbox: tuple[float, float, float, float]
    columns: list[float]
    """Its column edges, left to right."""
    row_count: int
    cells: list[TableCell]

    @property
    def top(self) -> float:
        return self.bbox[1]

    def first_row(self) -> list[TableCell]:
        return [cell for cell in self.cells if cell.row == 0]

    def rows_before(self, count: int) -> list[TableCell] | None:
        """The cells of its first ``count`` rows, when no cell runs on below them."""
        inside = [cell for cell in self.cells if cell.row < count]
        if any(cell.row + cell.rows > count for cell in inside):
            return None
        return inside


def find_page_tables(page, glyphs: Sequence[Glyph], number: int) -> tuple[list[PageTable], list[Glyph]]:
    """The ruled tables of a pdfplumber ``page`` (its glyphs already read) and the glyphs outside
    them, which are the page's prose."""
    ruled = page.filter(_is_visible)
    if len(ruled.edges) > MAX_EDGES:
        return [], list(glyphs)
    tables: list[PageTable] = []
    claimed: set[int] = set()
    for found in ruled.find_tables(TABLE_SETTINGS):
        table = _page_table(found.cells, glyphs, number)
        if table is None:
            continue  # framed prose: its glyphs stay prose
        tables.append(table)
        claimed.update(id(glyph) for cell in table.cells for line in cell.lines for glyph in line.glyphs)
    tables.sort(key=lambda table: table.top)
    return tables, [glyph for glyph in glyphs if id(glyph) not in claimed]


def _is_visible(obj: dict) -> bool:
    """Every object but a ruling that cannot be seen: neither stroked nor filled in a colour that
    shows on white paper."""
    if obj.get("object_type") not in ("rect", "line", "curve"):
        return True
    if obj.get("stroke", obj.get("object_type") == "line") and not _is_white(obj.get("stroking_color")):
        return True
    return bool(obj.get("fill")) and not _is_white(obj.get("non_stroking_color"))


def _is_white(color) -> bool:
    if color is None:
        return False  # the default colour is black
    if isinstance(color, (int, float)):
        color = (color,)
    if not isinstance(color, (tuple, list)) or not all(isinstance(part, (int, float)) for part in color):
        return False  # a pattern: assume it shows
    if len(color) == 4:  # CMYK
        return all(part <= 0.05 for part in color)
    return len(color) in (1, 3) and all(part >= 0.95 for part in color)


def _clustered(values: Sequence[float], tolerance: float) -> list[float]:
    edges: list[list[float]] = []
    for value in sorted(values):
        if edges and value - edges[-1][-1] <= tolerance:
            edges[-1].append(value)
        else:
            edges.append([value])
    return [sum(group) / len(group) for group in edges]


def _index(edges: Sequence[float], value: float) -> int:
    return min(range(len(edges)), key=lambda index: abs(edges[index] - value))


def _page_table(boxes: Sequence[tuple[float, float, float, float]], glyphs: Sequence[Glyph], number: int) -> PageTable | None:
    columns = _clustered([x for box in boxes for x in (box[0], box[2])], 1.0)
    rows = _clustered([y for box in boxes for y in (box[1], box[3])], 1.0)
    if len(columns) < 3 or len(rows) < 2:
        return None  # one column: a frame around text, not a table
    x0, top, x1, bottom = columns[0], rows[0], columns[-1], rows[-1]
    inside: dict[int, list[Glyph]] = {index: [] for index in range(len(boxes))}
    for glyph in glyphs:
        middle_x = (glyph.x0 + glyph.x1) / 2
        if not (x0 <= middle_x <= x1 and top <= glyph.middle <= bottom):
            continue
        for index, box in enumerate(boxes):
            if box[0] <= middle_x <= box[2] and box[1] <= glyph.middle <= box[3]:
                inside[index].append(glyph)
                break
    cells = []
    for index, box in enumerate(boxes):
        first, last = _index(rows, box[1]), _index(rows, box[3])
        lines = [make_line(number, line, spaces=False) for line in cluster_glyphs(inside[index])]
        cells.append(TableCell(number, box[0], box[1], box[2], box[3], first, max(last - first, 1), lines))
    cells.sort(key=lambda cell: (cell.row, cell.x0))
    return PageTable(number, (x0, top, x1, bottom), columns, len(rows) - 1, cells)


class SplitTable:
    """A table of the document: its part on one page, and the parts that continue it on the next."""

    def __init__(self, first: PageTable) -> None:
        self.first = first
        self.parts = [first]
        self.columns = list(first.columns)
        self.cells: list[TableCell] = list(first.cells)
        self.row_count = first.row_count

    @property
    def page(self) -> int:
        return self.first.page

    def accepts(self, part: PageTable) -> bool:
        """Whether ``part``, the first thing on the page after this table's last part, continues
        it: the same outer edges, and the inner column edges of one among those of the other."""
        if part.page != self.parts[-1].page + 1:
            return False
        mine, theirs = self.columns, part.columns
        if abs(mine[0] - theirs[0]) > EDGE_TOLERANCE or abs(mine[-1] - theirs[-1]) > EDGE_TOLERANCE:
            return False
        return _among(mine[1:-1], theirs[1:-1]) or _among(theirs[1:-1], mine[1:-1])

    def extend(self, part: PageTable) -> None:
        """Add the next page's part: without the header rows it repeats, with a cut cell joined."""
        repeated = self._repeated_header(part)
        cells = [cell for cell in part.cells if cell.row >= repeated]
        for cell in cells:
            cell.row -= repeated
        dissolved = self._join_cut_cells(cells)
        for cell in cells:
            cell.row += self.row_count
        self.cells.extend(cells)
        self.row_count += part.row_count - repeated - dissolved
        self.parts.append(part)
        self.columns = _clustered([*self.columns, *part.columns], EDGE_TOLERANCE)

    def _repeated_header(self, part: PageTable) -> int:
        """How many of ``part``'s first rows repeat the first rows of the table."""
        for count in range(min(self.first.row_count, part.row_count) - 1, 0, -1):
            mine, theirs = self.first.rows_before(count), part.rows_before(count)
            if mine is None or theirs is None or len(mine) != len(theirs):
                continue
            if all(
                a.row == b.row and a.rows == b.rows and a.same_columns(b) and _squeezed(a.text) == _squeezed(b.text)
                for a, b in zip(mine, theirs)
            ) and any(cell.text.strip() for cell in mine):
                return count
        return 0

    def _join_cut_cells(self, cells: list[TableCell]) -> int:
        """Join the cells of the new part's first row that continue cells cut by the page break
        into those cells; 1 when the whole first row was the rest of the table's last row (it
        is then no row of its own), else 0."""
        last_row = self.row_count - 1
        ending = [cell for cell in self.cells if cell.row + cell.rows - 1 == last_row]
        first_row = [cell for cell in cells if cell.row == 0]
        joins: list[tuple[TableCell, TableCell]] = []
        for cell in first_row:
            above = next((candidate for candidate in ending if candidate.same_columns(cell)), None)
            if above is not None and _continues_cell(above, cell):
                joins.append((above, cell))
        if not joins:
            return 0
        joined = {id(cell) for _, cell in joins}
        rest = [cell for cell in first_row if id(cell) not in joined]
        # The row dissolves when the break cut it: what is not joined is empty and one row high.
        dissolves = any(cell.text for _, cell in joins) and all(not cell.text and cell.rows == 1 for cell in rest)
        for above, cell in joins:
            above.append(cell)
            above.rows += cell.rows - (1 if dissolves else 0)
            cells.remove(cell)
        if dissolves:
            for cell in rest:
                cells.remove(cell)
            for cell in cells:
                cell.row -= 1
        return 1 if dissolves else 0

    def grid(self) -> Grid:
        columns = self.columns
        rows: list[list[GridCell]] = [[] for _ in range(self.row_count)]
        for cell in sorted(self.cells, key=lambda cell: (cell.row, cell.x0)):
            first = _index(columns, cell.x0)
            span = max(_index(columns, cell.x1) - first, 1)
            rows[cell.row].append(
                GridCell(
                    cell.text,
                    row=cell.row + 1,
                    column=first + 1,
                    rowspan=cell.rows,
                    colspan=span,
                    page=cell.page,
                    boxes=cell.boxes,
                )
            )
        return Grid(rows=rows, page=self.page)


def _continues_cell(above: TableCell, cell: TableCell) -> bool:
    """Whether ``cell``, in the first row after a page break, is the rest of ``above``: a label cut
    by the break (its text runs on without an ordinal of its own, and the text above fills its
    cell), or an empty stretch of a merged label cell."""
    if not above.text or above.is_value or cell.is_value:
        return False
    if not cell.text:
        return above.rows > 1 or cell.rows > 1
    return not is_heading(cell.text) and above.fills_its_width()


def _among(edges: Sequence[float], others: Sequence[float]) -> bool:
    return all(any(abs(edge - other) <= EDGE_TOLERANCE for other in others) for edge in edges)


def _squeezed(text: str) -> str:
    return "".join(text.split())
