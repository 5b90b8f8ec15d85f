"""A report's record: the small, located facts that outlive its document — identity, publication
date and deadline, every recognised table cell, and fingerprints of its sentences.

Cross-report rules, ``nianbao export`` and the audit view read records, never documents: a record is
built in the worker that linted the report and is all that travels back, is cached and is kept per
report, so a corpus of 100,000 reports fits in memory.
"""

from __future__ import annotations

import datetime
import fnmatch
import hashlib
import re
from array import array
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Iterator

from nianbao.document.identity import IdentitySettings, ReportIdentity, identify
from nianbao.text.location import Location, Place, Span

if TYPE_CHECKING:
    from nianbao.document.document import Document

__all__ = ["CellRecord", "Passages", "RecordRequest", "ReportRecord", "fingerprint", "mask_text", "record_of"]

MIN_PASSAGE = 12
"""Sentences shorter than this (after masking) are too common to show copying ("现将有关情况报告如下")."""


@dataclass(frozen=True)
class CellRecord:
    """One value cell of a recognised official table."""

    table: str
    """Template id (``2021.application``)."""
    row: str | None
    """Template row key; None for a row the template does not know."""
    column: str | None
    label: str
    """The row label as written."""
    text: str
    """The cell as written."""
    kind: str
    """``number``, ``blank``, ``dash`` or ``text`` (:class:`~nianbao.text.values.CellValue`)."""
    value: str | None
    """The number exactly (a decimal string), when ``kind`` is ``number``."""
    unit: str | None
    location: Location

    @property
    def number(self) -> Decimal | None:
        return None if self.value is None else Decimal(self.value)


@dataclass(frozen=True)
class Passages:
    """Fingerprints of a report's sentences with numbers, dates and the body's own name masked:
    a sentence copied with new figures has the same fingerprint. Kept as two flat arrays (a
    fingerprint, and length, line, column, end line, end column, page per sentence) because a corpus
    holds them for every report."""

    hashes: array = field(default_factory=lambda: array("q"))
    spans: array = field(default_factory=lambda: array("l"))

    def __len__(self) -> int:
        return len(self.hashes)

    def length(self, index: int) -> int:
        return self.spans[6 * index]

    def location(self, index: int) -> Location:
        line, column, end_line, end_column, page = self.spans[6 * index + 1 : 6 * index + 6]
        return Location(line, column, end_line, end_column, Place(page=page) if page else None)

    def __iter__(self) -> Iterator[tuple[int, int]]:
        """(fingerprint, masked length) of each sentence."""
        for index, value in enumerate(self.hashes):
            yield value, self.spans[6 * index]

    @property
    def total_length(self) -> int:
        return sum(self.spans[0::6])

    def to_json(self) -> dict[str, list[int]]:
        return {"hashes": self.hashes.tolist(), "spans": self.spans.tolist()}

    @classmethod
    def from_json(cls, data: Any) -> Passages:
        hashes, spans = data["hashes"], data["spans"]
        if len(spans) != 6 * len(hashes) or not all(isinstance(item, int) for item in [*hashes, *spans]):
            raise ValueError("malformed passages")
        return cls(array("q", hashes), array("l", spans))


@dataclass(frozen=True)
class ReportRecord:
    path: str
    identity: ReportIdentity
    era: str | None
    publication_date: datetime.date | None
    publication_location: Location | None
    deadline: datetime.date | None
    deadline_reason: str
    cells: tuple[CellRecord, ...] = ()
    passages: Passages = field(default_factory=Passages)

    @property
    def year(self) -> int | None:
        return self.identity.year

    @property
    def on_time(self) -> bool | None:
        """None when either date is unknown."""
        if self.publication_date is None or self.deadline is None:
            return None
        return self.publication_date <= self.deadline

    def narrowed(self, request: RecordRequest) -> ReportRecord:
        """This record with only what ``request`` asks for (what a run keeps of every report)."""
        cells = tuple(cell for cell in self.cells if request.wants(cell.table, cell.row))
        return replace(self, cells=cells, passages=self.passages if request.passages else Passages())

    def cell(self, table_prefix: str, row: str, column: str) -> CellRecord | None:
        for cell in self.cells:
            if cell.row == row and cell.column == column and cell.table.startswith(table_prefix):
                return cell
        return None


@dataclass(frozen=True)
class RecordRequest:
    """What a run needs of each report's record: the cells of some rows (``cells``: patterns of
    ``template/row`` such as ``*.application/carried_over``; None: every cell, for an export) and the
    sentence fingerprints (``passages``). Locating costs time, so a run that compares only a few
    rows locates only their cells."""

    cells: frozenset[str] | None = None
    passages: bool = True

    def wants(self, table: str, row: str | None) -> bool:
        return self.cells is None or (row is not None and _wanted(self.cells, f"{table}/{row}"))


EVERYTHING = RecordRequest()
"""Every cell and the sentence fingerprints."""


def record_of(document: Document, settings: IdentitySettings | None = None, request: RecordRequest = EVERYTHING) -> ReportRecord:
    facts = document.facts
    identity: ReportIdentity = identify(facts.body, facts.year, document.path, settings)
    deadline = document.variants.deadline(facts) if facts.year is not None else None
    return ReportRecord(
        path=document.path,
        identity=identity,
        era=facts.era,
        publication_date=facts.publication_date,
        publication_location=document.locate(facts.publication_span) if facts.publication_span else None,
        deadline=deadline.date if deadline is not None else None,
        deadline_reason=deadline.reason if deadline is not None else "",
        cells=tuple(_cells(document, request)),
        passages=_passages(document, identity) if request.passages else Passages(),
    )


@lru_cache(maxsize=4096)
def _wanted(patterns: frozenset[str], name: str) -> bool:
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns)


def _cells(document: Document, request: RecordRequest) -> Iterator[CellRecord]:
    for table in document.tables:
        for row in table.rows:
            if not request.wants(table.template, row.key):
                continue
            for cell in row.cells:
                value = cell.value
                yield CellRecord(
                    table=table.template,
                    row=row.key,
                    column=cell.column,
                    label=row.label,
                    text=cell.text,
                    kind=value.kind,
                    value=None if value.value is None else str(value.value),
                    unit=value.unit,
                    location=document.locate(cell.span),
                )


_NUMBERS = re.compile(r"[0-9０-９零〇一二三四五六七八九十百千万亿两.．%％]+")
_NOT_TEXT = re.compile(r"[\W_]+")


def mask_text(text: str, names: tuple[str, ...] = ()) -> str:
    """``text`` as compared for copying: the body's names and every number (Arabic or Chinese,
    which covers years and dates) replaced by one mark, spaces and punctuation dropped."""
    for name in names:
        if name:
            text = text.replace(name, "＠")
    return _NOT_TEXT.sub("", _NUMBERS.sub("#", text))


def fingerprint(masked: str) -> int:
    """The 64-bit fingerprint of a masked sentence (:func:`mask_text`), as :class:`Passages` keeps it."""
    digest = hashlib.blake2b(masked.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)


def _passages(document: Document, identity: ReportIdentity) -> Passages:
    names = tuple(sorted({name for name in (identity.name, identity.body, identity.region) if name}, key=len, reverse=True))
    hashes, spans = array("q"), array("l")
    for sentence in document.sentences():
        masked = mask_text(sentence.text, names)
        if len(masked) < MIN_PASSAGE:
            continue
        location = document.locate(Span(sentence.start, sentence.end))
        page = location.place.page if location.place is not None and location.place.page else 0
        hashes.append(fingerprint(masked))
        spans.extend((len(masked), location.line, location.column, location.end_line, location.end_column, page))
    return Passages(hashes, spans)
