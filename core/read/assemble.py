"""What every reader produces: the text the parser reads, and the way back to the original.

A reader walks its document in reading order and hands the assembler lines (a paragraph, a heading)
and tables (grids of cells with their merges), each with the :class:`Place` it came from and,
where the format has them, each character's file offset (HTML) or box on the page (PDF).
The assembler writes the text in the one rendering the parser already reads exactly:

* a paragraph is one line;
* a table is one ``| cell | cell |`` line per grid row, holding the cells that *start* in that
  row (a merged cell appears once, where it begins, as a row of the printed table reads), so the
  template recogniser gets the real rows (rendering ``pipe-rows``); a "table" none of whose rows
  holds two values is a box around text, and its cells are paragraphs;
* a blank line between blocks.

and records the :class:`~nianbao.read.origin.Origin` of every character.
"""

from __future__ import annotations

import math
from array import array
from dataclasses import dataclass, field
from typing import Sequence

from nianbao.read.origin import Origin
from nianbao.read.source import SourceFacts, SourceText
from nianbao.text.location import Place

__all__ = ["Box", "Grid", "GridCell", "TextAssembler"]

Box = tuple[float, float, float, float]
"""``x0, top, x1, bottom`` in PDF points from the page's top left."""

# Characters that would change the rendering: line breaks end a line, a pipe separates cells
# (normalisation folds the full-width one into "|").
_LINE_SAFE = str.maketrans({"\n": " ", "\r": " ", "\f": " ", "\v": " ", "\u2028": " ", "\u2029": " "})
_CELL_SAFE = str.maketrans({"\n": " ", "\r": " ", "\f": " ", "\v": " ", "|": "¦", "｜": "¦"})
_NAN = math.nan


@dataclass
class GridCell:
    """One cell of a table as the source holds it: its text and where it starts in the grid.

    ``row``/``column`` are 1-based grid positions of its top-left corner; ``rowspan``/``colspan``
    its merges. ``boxes``/``file_offsets``/``confidences``, when given, have one entry per
    character of ``text``. ``page`` is the page the cell is on (a table may run over pages).
    """

    text: str
    row: int
    column: int
    rowspan: int = 1
    colspan: int = 1
    page: int | None = None
    boxes: Sequence[Box | None] | None = None
    file_offsets: Sequence[int] | None = None
    confidences: Sequence[float | None] | None = None


@dataclass
class Grid:
    """A table: its cells by grid row (only the cells that start in the row, left to right)."""

    rows: list[list[GridCell]] = field(default_factory=list)
    page: int | None = None

    @property
    def width(self) -> int:
        return max((cell.column + cell.colspan - 1 for row in self.rows for cell in row), default=0)

    def cells(self) -> list[GridCell]:
        return [cell for row in self.rows for cell in row]


class TextAssembler:
    """Collects a document's lines and tables in reading order; :meth:`result` gives the source."""

    def __init__(self, *, boxes: bool = False, file_offsets: bool = False, confidences: bool = False) -> None:
        self._parts: list[str] = []
        self._length = 0
        self._starts = array("l")
        self._places: list[Place] = []
        self._boxes = array("d") if boxes else None
        self._file_offsets = array("l") if file_offsets else None
        self._confidences = array("d") if confidences else None
        self._last_file_offset = 0
        self._blank_pending = False

    # --- what readers call ---------------------------------------------------------------------

    def line(
        self,
        text: str,
        place: Place,
        *,
        boxes: Sequence[Box | None] | None = None,
        file_offsets: Sequence[int] | None = None,
        confidences: Sequence[float | None] | None = None,
        continued: Sequence[tuple[int, Place]] = (),
    ) -> None:
        """One line of text (a paragraph or heading); line breaks inside it become spaces.
        ``continued``: ``(offset, place)`` pairs where the line goes on at another place of the
        original (a paragraph wrapped onto the next line or continued on the next page)."""
        text = text.translate(_LINE_SAFE)
        if not text.strip():
            return
        self._separate()
        pieces = [(0, place), *sorted(piece for piece in continued if 0 < piece[0] < len(text))]
        for index, (start, where) in enumerate(pieces):
            end = pieces[index + 1][0] if index + 1 < len(pieces) else len(text)
            self._add(
                text[start:end],
                where,
                _cut(boxes, start, end - start),
                _cut(file_offsets, start, end - start),
                _cut(confidences, start, end - start),
            )
        self._add("\n", pieces[-1][1])

    def table(self, grid: Grid, number: int) -> None:
        """Table ``number`` (1-based, as the document counts them) as pipe rows, one per grid row."""
        if not any(cell.text.strip() for cell in grid.cells()):
            return
        if not any(sum(1 for cell in row if cell.text.strip()) >= 2 for row in grid.rows):
            # No row holds two values: a box around text (a framed paragraph, a one-column layout
            # table), not a data table. Its cells are paragraphs.
            for cell in grid.cells():
                place = Place(page=cell.page or grid.page, table=number, row=cell.row, column=cell.column)
                self.line(cell.text, place, boxes=cell.boxes, file_offsets=cell.file_offsets, confidences=cell.confidences)
            self._blank_pending = True
            return
        self._separate()
        for row in grid.rows:
            if not row:
                continue
            for cell in row:
                place = Place(page=cell.page or grid.page, table=number, row=cell.row, column=cell.column)
                text = cell.text.translate(_CELL_SAFE).strip()
                # The separator before a cell belongs to the cell, so an empty cell still has a place.
                self._add("| ", place)
                lead = len(cell.text) - len(cell.text.lstrip())
                self._add(
                    text,
                    place,
                    _cut(cell.boxes, lead, len(text)),
                    _cut(cell.file_offsets, lead, len(text)),
                    _cut(cell.confidences, lead, len(text)),
                )
                self._add(" ", place)
            self._add("|\n", place)
        self._blank_pending = True

    def blank(self) -> None:
        """End the current block: the next line or table starts after a blank line."""
        self._blank_pending = True

    @property
    def text(self) -> str:
        return "".join(self._parts)

    def result(self, path: str, format: str, facts: SourceFacts | None = None, *, file_text: str | None = None,
               encoding: str = "utf-8") -> SourceText:
        """The assembled source. ``file_text`` (HTML): the decoded file the offsets point into."""
        origin = Origin(
            starts=self._starts,
            places=tuple(self._places),
            file_text=file_text,
            file_offsets=self._file_offsets,
            boxes=self._boxes,
            confidences=self._confidences,
        )
        return SourceText(path, self.text, encoding, format=format, origin=origin, facts=facts or SourceFacts())

    # --- inside ----------------------------------------------------------------------------------

    def _separate(self) -> None:
        if self._blank_pending and self._length:
            self._add("\n", self._places[-1])
        self._blank_pending = False

    def _add(
        self,
        text: str,
        place: Place,
        boxes: Sequence[Box | None] | None = None,
        file_offsets: Sequence[int] | None = None,
        confidences: Sequence[float | None] | None = None,
    ) -> None:
        if not text:
            return
        if not self._places or self._places[-1] != place:
            self._starts.append(self._length)
            self._places.append(place)
        self._parts.append(text)
        self._length += len(text)
        count = len(text)
        if self._boxes is not None:
            for index in range(count):
                box = boxes[index] if boxes is not None and index < len(boxes) else None
                self._boxes.extend(box if box is not None else (_NAN, _NAN, _NAN, _NAN))
        if self._file_offsets is not None:
            for index in range(count):
                if file_offsets is not None and index < len(file_offsets):
                    self._last_file_offset = file_offsets[index]
                # An inserted separator points where the text before it ended.
                self._file_offsets.append(self._last_file_offset)
        if self._confidences is not None:
            for index in range(count):
                value = confidences[index] if confidences is not None and index < len(confidences) else None
                self._confidences.append(_NAN if value is None else value)


def _cut(values: Sequence | None, start: int, length: int) -> Sequence | None:
    return None if values is None else values[start : start + length]
