"""Spans in the normalised text and locations in the original file."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Span:
    """A half-open range ``[start, end)`` of code points in the *normalised* text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise ValueError(f"span start {self.start} after end {self.end}")

    def cover(self, other: Span) -> Span:
        return Span(min(self.start, other.start), max(self.end, other.end))

    def __len__(self) -> int:
        return self.end - self.start


class SpanIndex:
    """Ranges ``(start, end)`` merged into sorted disjoint runs, so that whether a range meets any
    of them costs a binary search (checking every range against every span is quadratic)."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        starts: list[int] = []
        ends: list[int] = []
        for start, end in sorted(span for span in spans if span[1] > span[0]):
            if ends and start <= ends[-1]:
                ends[-1] = max(ends[-1], end)
            else:
                starts.append(start)
                ends.append(end)
        self._starts = starts
        self._ends = ends

    def overlaps(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` shares a position with one of the spans."""
        index = bisect_left(self._starts, end) - 1  # the last run starting before ``end``
        return index >= 0 and self._ends[index] > start


def spans_meeting(spans: list[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    """The spans of ``spans`` (sorted, not overlapping each other) that share a position with
    ``[start, end)``, found by binary search."""
    found = []
    index = bisect_right(spans, start, key=lambda span: span[1])
    while index < len(spans) and spans[index][0] < end:
        found.append(spans[index])
        index += 1
    return found


@dataclass(frozen=True, order=True)
class Location:
    """A place in the *original* file: 1-based lines and columns counted in code points.

    ``end_column`` is exclusive, as in SARIF and most editors' selections.
    """

    line: int
    column: int
    end_line: int
    end_column: int
    place: Place | None = field(default=None, compare=False)
    """Where the text is in a DOCX or PDF (page, paragraph, table cell): for those, ``line`` and
    ``column`` count in the extracted text that ``nianbao extract`` shows."""


@dataclass(frozen=True)
class Place:
    """A place a person finds in a DOCX, PDF or scanned original. Every field is 1-based; a field
    that does not apply is None. ``box`` is ``(x0, top, x1, bottom)`` in PDF points from the page's
    top left; ``confidence`` (0–1) is the OCR engine's for the text there."""

    page: int | None = None
    page_line: int | None = None
    paragraph: int | None = None
    table: int | None = None
    row: int | None = None
    column: int | None = None
    box: tuple[float, float, float, float] | None = None
    confidence: float | None = None

    def describe(self) -> str:
        """"第3页 表2 第5行第4列", "第12段", "第2页 第14行": what the user looks for in the original."""
        parts = []
        if self.page is not None:
            parts.append(f"第{self.page}页")
        if self.table is not None:
            cell = f"表{self.table}"
            if self.row is not None:
                cell += f" 第{self.row}行"
                if self.column is not None:
                    cell += f"第{self.column}列"
            parts.append(cell)
        elif self.paragraph is not None:
            parts.append(f"第{self.paragraph}段")
        elif self.page_line is not None:
            parts.append(f"第{self.page_line}行")
        return " ".join(parts)

    def to_dict(self) -> dict:
        """The fields that apply, for JSON and SARIF properties."""
        return {name: value for name, value in self.__dict__.items() if value is not None}
