"""The way back from extracted text to the original document.

A DOCX, HTML or PDF reader turns its file into text the parser reads. Every diagnostic must still
name a place in the original: a paragraph or table cell of a DOCX, a page, line and box of a PDF,
a line and column of the HTML file. :class:`Origin` keeps that map: which :class:`Place` each
stretch of the text came from and, where the format has them, each character's offset in the file
(HTML) or its box on the page (PDF, OCR). Built by :class:`~nianbao.read.assemble.TextAssembler`.
"""

from __future__ import annotations

import math
import re
from array import array
from bisect import bisect_right
from dataclasses import dataclass, replace

from nianbao.text.location import Location, Place

__all__ = ["Origin"]

_LINE_BREAK = re.compile("\r\n|\r|\n")


@dataclass(frozen=True, eq=False)
class Origin:
    """Places of the extracted text.

    ``starts[i]`` is the text offset where ``places[i]`` begins (sorted, the first is 0).
    ``file_text``/``file_offsets`` (HTML): the decoded file and, per extracted character, its
    offset there. ``boxes`` (PDF): per extracted character ``x0, top, x1, bottom`` in four
    consecutive floats, NaN where a character has no box (separators the reader inserted).
    ``confidences`` (OCR): per extracted character, NaN where none.
    """

    starts: array
    places: tuple[Place, ...]
    file_text: str | None = None
    file_offsets: array | None = None
    boxes: array | None = None
    confidences: array | None = None

    def place(self, start: int, end: int) -> Place | None:
        """Where text ``[start, end)`` is in the original, with the box around it on its first page."""
        if not self.places:
            return None
        index = max(bisect_right(self.starts, start) - 1, 0)
        place = self.places[index]
        last = min(end, self._end_of(index))
        if self.boxes is not None:
            box = self._box(start, max(last, start + 1))
            if box is not None:
                place = replace(place, box=box)
        if self.confidences is not None:
            confidence = self._lowest(self.confidences, start, max(last, start + 1))
            if confidence is not None:
                place = replace(place, confidence=confidence)
        return place

    def locate(self, start: int, end: int, in_text: Location) -> Location:
        """``in_text`` (line and column in the extracted text) as a location in the original: the
        file's own line and column for HTML, the same with its :class:`Place` for DOCX and PDF."""
        if self.file_offsets is not None and self.file_text is not None:
            return self._file_location(start, end)
        return replace(in_text, place=self.place(start, end))

    def _end_of(self, index: int) -> int:
        return self.starts[index + 1] if index + 1 < len(self.starts) else math.inf

    def _box(self, start: int, end: int) -> tuple[float, float, float, float] | None:
        boxes = self.boxes
        end = min(end, len(boxes) // 4)
        x0 = top = math.inf
        x1 = bottom = -math.inf
        for index in range(start, end):
            left = boxes[4 * index]
            if math.isnan(left):
                continue
            x0, top = min(x0, left), min(top, boxes[4 * index + 1])
            x1, bottom = max(x1, boxes[4 * index + 2]), max(bottom, boxes[4 * index + 3])
        if x0 == math.inf:
            return None
        return (round(x0, 1), round(top, 1), round(x1, 1), round(bottom, 1))

    @staticmethod
    def _lowest(values: array, start: int, end: int) -> float | None:
        found = [value for value in values[start:end] if not math.isnan(value)]
        return round(min(found), 3) if found else None

    def _file_location(self, start: int, end: int) -> Location:
        offsets = self.file_offsets
        count = len(offsets)
        if count == 0:
            return Location(1, 1, 1, 1)
        first = offsets[min(start, count - 1)]
        last = offsets[min(max(end - 1, start), count - 1)] + (1 if end > start else 0)
        line, column = self._line_column(first)
        end_line, end_column = self._line_column(max(last, first))
        return Location(line, column, end_line, end_column)

    def _line_column(self, offset: int) -> tuple[int, int]:
        starts = self.__dict__.get("_file_line_starts")
        if starts is None:
            starts = array("l", [0, *(match.end() for match in _LINE_BREAK.finditer(self.file_text))])
            object.__setattr__(self, "_file_line_starts", starts)
        index = bisect_right(starts, offset) - 1
        return index + 1, offset - starts[index] + 1
