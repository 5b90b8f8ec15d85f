"""A located diagnostic: what the engine reports after mapping a finding to the original file."""

from __future__ import annotations

from dataclasses import dataclass, field

from nianbao.plugins.rule import Severity
from nianbao.text.location import Location


@dataclass(frozen=True)
class RelatedLocation:
    location: Location
    message: str
    path: str | None = None
    """The report it is in, when not the diagnostic's own (cross-report rules)."""


@dataclass(frozen=True)
class Diagnostic:
    path: str
    location: Location
    code: str
    name: str
    severity: Severity
    message: str
    related: tuple[RelatedLocation, ...] = field(default_factory=tuple)
    place: str = ""
    """Structural place (section/table/row/column) for fingerprints and baselines."""
    snippet: str = ""
    """The normalised text at fault, for fingerprints."""
    plugin: str = ""
    suppressed_by_config: str | None = None
    """The reason of the ``[[suppress]]`` entry that silenced it (None: not silenced by configuration)."""

    @property
    def message_with_place(self) -> str:
        """The message, with the place in a DOCX or PDF after it in 〔〕 ("〔第4页 表3 第5行第3列〕"):
        what outputs show, since a line number in extracted text is not where a reader looks."""
        place = self.location.place.describe() if self.location.place is not None else ""
        return f"{self.message} 〔{place}〕" if place else self.message

    @property
    def line(self) -> int:
        return self.location.line

    @property
    def column(self) -> int:
        return self.location.column

    def sort_key(self) -> tuple:
        return (self.path, self.location.line, self.location.column, self.code, self.message)

    def to_dict(self) -> dict:
        """The documented JSON form (``--format json``)."""
        place = self.location.place
        return {
            "path": self.path,
            "line": self.location.line,
            "column": self.location.column,
            "end_line": self.location.end_line,
            "end_column": self.location.end_column,
            "code": self.code,
            "name": self.name,
            "severity": self.severity.value,
            "message": self.message,
            # Where in a DOCX or PDF (page, paragraph, table cell, box); null for text and HTML.
            "original": None if place is None else {"description": place.describe(), **place.to_dict()},
            "related": [
                {
                    "line": item.location.line,
                    "column": item.location.column,
                    "end_line": item.location.end_line,
                    "end_column": item.location.end_column,
                    "message": item.message,
                    **({"path": item.path} if item.path is not None else {}),
                }
                for item in self.related
            ],
        }
