"""Spans in the normalised text and locations in the original file."""

from __future__ import annotations

from dataclasses import dataclass


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


@dataclass(frozen=True, order=True)
class Location:
    """A place in the *original* file: 1-based lines and columns counted in code points.

    ``end_column`` is exclusive, as in SARIF and most editors' selections.
    """

    line: int
    column: int
    end_line: int
    end_column: int
