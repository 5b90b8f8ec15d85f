"""What changed between two reports of one body (``nianbao diff OLD NEW``).

Two :class:`~nianbao.document.document.Document`\\ s are compared part by part. **Sections**: the
official sections of each report are found by their headings (the wordings and keywords of
``data/sections.toml``, so a 2019 trial-format section meets its 2021 successor and a 2008-era
report's 概述 meets 总体情况); other sections meet by their folded title. Each pair's sentences
(and sub-headings) are compared with :mod:`difflib` on folded text, optionally with the figures
masked so that copied text with new figures counts as copied. **Tables**: each recognised official
table meets the other report's table of the same template, or of the template that continues it in
the other era (``data/report_diff.toml``), and is compared cell by cell by row and column key.

Comparison is by template keys and folded text only: how either report was written (pipes, bar
lines, DOCX) does not matter.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from nianbao.data.toml import read_toml
from nianbao.text.location import Span
from nianbao.text.normalize import fold_label

if TYPE_CHECKING:
    from nianbao.document.document import Document
    from nianbao.parse.tree import Section
    from nianbao.tables.model import SemanticCell, SemanticTable

__all__ = [
    "CellChange",
    "ReportDiff",
    "ReportSide",
    "SectionDiff",
    "TableDiff",
    "TextChange",
    "TextUnit",
    "compare_reports",
    "era_label",
]

PREAMBLE = "preamble"
# Statuses of a section or a table.
UNCHANGED, CHANGED, COMPARED, ONLY_OLD, ONLY_NEW = "unchanged", "changed", "compared", "only_old", "only_new"

# Dropped when headings are compared: punctuation, spacing and the function words wordings vary in.
_HEADING_FILLER = re.compile(r"[\W_]|以及|的|和|及|与")
# What --mask-numbers replaces: a figure with its decimals and thousands separators.
_FIGURE = re.compile(r"\d+(?:[.,]\d+)*")
_MASK = "#"


# --- the result -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportSide:
    """One of the two reports, as the header shows it."""

    path: str
    title: str | None
    body: str | None
    year: int | None
    era: str | None


@dataclass(frozen=True)
class TextUnit:
    """A sentence or a sub-heading of a section, as written (blanks collapsed), with its line."""

    text: str
    line: int
    key: str
    """What the comparison sees: the folded text, figures masked when asked."""


@dataclass(frozen=True)
class TextChange:
    """One run of differing units: ``replace`` (old → new), ``delete`` (only old) or ``insert`` (only new)."""

    op: str
    old: tuple[TextUnit, ...]
    new: tuple[TextUnit, ...]
    unchanged_before: int
    """How many equal units precede this change since the previous one."""


@dataclass
class SectionDiff:
    key: str
    """``preamble``, a canonical section key (``overview``, ``active`` …) or ``title:<folded title>``."""
    heading: str
    """The canonical heading (``二、主动公开政府信息情况``), or the title written in the reports."""
    old_title: str | None
    new_title: str | None
    old_line: int | None
    new_line: int | None
    status: str
    unchanged_share: float | None
    """Of the new section's text (characters), the share in units equal to the old section's; None
    when the section is in one report only or the new one has no text (only a table)."""
    changes: list[TextChange] = field(default_factory=list)
    unchanged_units: int = 0
    unchanged_after: int = 0
    """Equal units after the last change."""


@dataclass(frozen=True)
class CellChange:
    row: str
    """The new table's row key; rows added up are joined by ``+``."""
    old_row: str
    column: str
    old_column: str
    row_label: str
    column_label: str
    old_row_label: str
    old_column_label: str
    old_text: str | None
    """The cell as written; None when the old table has no such cell."""
    new_text: str | None
    old_value: Decimal | None
    new_value: Decimal | None
    old_line: int | None
    new_line: int | None

    @property
    def delta(self) -> Decimal | None:
        if self.old_value is None or self.new_value is None:
            return None
        return self.new_value - self.old_value


@dataclass
class TableDiff:
    old_template: str | None
    new_template: str | None
    title: str
    status: str
    old_line: int | None = None
    new_line: int | None = None
    cells_compared: int = 0
    changes: list[CellChange] = field(default_factory=list)
    only_old_rows: list[tuple[str, str]] = field(default_factory=list)
    """(key, canonical label) of rows only the old table has."""
    only_new_rows: list[tuple[str, str]] = field(default_factory=list)
    only_old_columns: list[tuple[str, str]] = field(default_factory=list)
    only_new_columns: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class ReportDiff:
    old: ReportSide
    new: ReportSide
    mask_numbers: bool
    sections: list[SectionDiff]
    tables: list[TableDiff]

    @property
    def changed(self) -> bool:
        return any(section.status != UNCHANGED for section in self.sections) or any(
            table.status != COMPARED or table.changes or table.only_old_rows or table.only_new_rows
            for table in self.tables
        )


def compare_reports(old: Document, new: Document, mask_numbers: bool = False) -> ReportDiff:
    """Everything that differs between ``old`` and ``new``, section by section and table by table."""
    return ReportDiff(
        old=_side(old),
        new=_side(new),
        mask_numbers=mask_numbers,
        sections=_compare_sections(old, new, mask_numbers),
        tables=_compare_tables(old, new),
    )


def era_label(era: str | None) -> str:
    return comparison_data().eras.get(era or "", "格式未知")


def _side(document: Document) -> ReportSide:
    facts = document.facts
    title = document.report.title.text.strip().lstrip("#").strip() if document.report.title is not None else None
    return ReportSide(document.path, title, facts.body, facts.year, facts.era)


# --- data ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Canonical:
    key: str
    numbered: str
    headings: frozenset[str]
    """The folded heading and its accepted variants."""
    keywords: tuple[tuple[str, ...], ...]
    exclude: tuple[str, ...]

    def match(self, folded: str) -> int | None:
        """0 for the heading or a variant, 1 for a keyword match, None when ``folded`` is another section."""
        if folded in self.headings:
            return 0
        if any(word in folded for word in self.exclude):
            return None
        return 1 if any(all(word in folded for word in group) for group in self.keywords) else None


@dataclass(frozen=True)
class _Correspondence:
    """Row and column keys of one template that stand for keys of another (oriented old → new)."""

    rows: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = ()
    columns: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class _ComparisonData:
    schemes: tuple[tuple[frozenset[str], tuple[_Canonical, ...]], ...]
    eras: dict[str, str]
    pairs: dict[tuple[str, str], _Correspondence]

    def sections_for(self, era: str | None) -> list[_Canonical]:
        """The canonical sections of ``era``'s scheme first (2019/2021 when unknown), then those of
        the other schemes whose keys it lacks: a 2008-era 概述 still meets a 2019 总体情况."""
        era = era if any(era in eras for eras, _ in self.schemes) else "2021"
        ordered = sorted(self.schemes, key=lambda scheme: era not in scheme[0])
        found: dict[str, _Canonical] = {}
        for _, sections in ordered:
            for section in sections:
                found.setdefault(section.key, section)
        return list(found.values())


@lru_cache(maxsize=1)
def comparison_data() -> _ComparisonData:
    sections = read_toml(resources.files("nianbao.data").joinpath("sections.toml"))
    schemes = tuple(
        (frozenset(scheme["eras"]), tuple(_canonical(item, scheme.get("ordinal_style")) for item in scheme["sections"]))
        for scheme in sections["schemes"]
    )
    data = read_toml(resources.files("nianbao.data").joinpath("report_diff.toml"))
    pairs: dict[tuple[str, str], _Correspondence] = {}
    for item in data.get("tables", []):
        rows = tuple((tuple(row["earlier"]), tuple(row["later"])) for row in item.get("rows", []))
        columns = tuple((column["earlier"], column["later"]) for column in item.get("columns", []))
        pairs[item["earlier"], item["later"]] = _Correspondence(rows, columns)
        pairs[item["later"], item["earlier"]] = _Correspondence(
            tuple((later, earlier) for earlier, later in rows), tuple((later, earlier) for earlier, later in columns)
        )
    return _ComparisonData(schemes, dict(data.get("eras", {})), pairs)


def _canonical(item: dict, style: str | None) -> _Canonical:
    numbered = f"（{item['ordinal']}）{item['heading']}" if style == "item" else f"{item['ordinal']}、{item['heading']}"
    return _Canonical(
        key=item["key"],
        numbered=numbered,
        headings=frozenset(_fold_heading(text) for text in [item["heading"], *item.get("variants", [])]),
        keywords=tuple(tuple(group) for group in item.get("keywords", [])),
        exclude=tuple(item.get("exclude", [])),
    )


def _fold_heading(title: str) -> str:
    return _HEADING_FILLER.sub("", fold_label(title))


# --- sections ------------------------------------------------------------------------------------


@dataclass
class _Part:
    """A stretch of one report compared as a whole: the preamble or a top-level section."""

    key: str
    heading: str
    title: str | None
    start: int
    line: int | None
    units: list[TextUnit] = field(default_factory=list)


def _compare_sections(old: Document, new: Document, mask: bool) -> list[SectionDiff]:
    old_parts = {part.key: part for part in _parts(old, mask)}
    new_parts = {part.key: part for part in _parts(new, mask)}
    order = list(new_parts) + [key for key in old_parts if key not in new_parts]
    canonical_order = [PREAMBLE] + [section.key for section in comparison_data().sections_for(new.era)]
    # Official sections in their official order, then the reports' own sections as they come.
    order.sort(key=lambda key: canonical_order.index(key) if key in canonical_order else len(canonical_order))
    return [_section_diff(old_parts.get(key), new_parts.get(key)) for key in order]


def _parts(document: Document, mask: bool) -> list[_Part]:
    report = document.report
    body_start = report.title.span.end if report.title is not None else 0
    parts = [_Part(PREAMBLE, "前言", None, body_start, None)]
    keys = _section_keys(report.sections, document.era)
    for section in report.sections:
        key, heading = keys[id(section)]
        written = f"{section.heading.ordinal}{section.heading.title}"
        parts.append(_Part(key, heading, written, section.span.start, document.locate(section.heading.span).line))
    starts = [part.start for part in parts]
    for start, end, folded_text in sorted(_units(document)):
        if start < body_start:
            continue
        key = fold_label(folded_text)
        if mask:
            key = _FIGURE.sub(_MASK, key)
        unit = TextUnit(_as_written(document, start, end), _line(document, start), key)
        parts[bisect.bisect_right(starts, start) - 1].units.append(unit)
    if not parts[0].units:
        parts.pop(0)
    return parts


def _line(document: Document, offset: int) -> int:
    return document.locate(Span(offset, offset + 1)).line


def _as_written(document: Document, start: int, end: int) -> str:
    """The text of ``start:end`` as the original has it (full-width commas, Traditional
    characters), blanks collapsed and Markdown hashes left out."""
    first, last = document.normalized.original_range(Span(start, end))
    return " ".join(document.source.text[first:last].split()).lstrip("#").lstrip()


def _units(document: Document) -> Iterator[tuple[int, int, str]]:
    """Each sentence of the report's paragraphs and each sub-heading inside its sections: where it
    is in the normalised text, and what of it is compared (a heading's ordinal and title)."""
    for sentence in document.sentences():
        yield sentence.start, sentence.end, sentence.text
    pending = list(document.report.sections)
    while pending:
        node = pending.pop()
        body = getattr(node, "body", None)
        if body is None:
            continue
        heading = node.heading
        if heading.level > 1:
            yield heading.span.start, heading.span.end, f"{heading.ordinal}{heading.title}"
        pending.extend(body)


def _section_keys(sections: list[Section], era: str | None) -> dict[int, tuple[str, str]]:
    """Each top-level section's key and heading: the canonical section it is (an exact wording
    before a keyword match, each canonical section once), else its own folded title."""
    canonical = comparison_data().sections_for(era)
    folded = {id(section): _fold_heading(section.heading.title) for section in sections}
    found: dict[int, tuple[str, str]] = {}
    taken: set[str] = set()
    for strength in (0, 1):
        for section in sections:
            if id(section) in found:
                continue
            for candidate in canonical:
                if candidate.key not in taken and candidate.match(folded[id(section)]) == strength:
                    found[id(section)] = (candidate.key, candidate.numbered)
                    taken.add(candidate.key)
                    break
    for section in sections:
        if id(section) not in found:
            title = section.heading.title or section.heading.ordinal
            key = f"title:{folded[id(section)] or section.heading.ordinal}"
            while key in taken:  # two sections of one report with one title: both kept
                key += "'"
            taken.add(key)
            found[id(section)] = (key, title)
    return found


def _section_diff(old: _Part | None, new: _Part | None) -> SectionDiff:
    part = new or old
    assert part is not None
    diff = SectionDiff(
        key=part.key,
        heading=part.heading,
        old_title=old.title if old else None,
        new_title=new.title if new else None,
        old_line=old.line if old else None,
        new_line=new.line if new else None,
        status=ONLY_NEW if old is None else ONLY_OLD if new is None else UNCHANGED,
        unchanged_share=None,
    )
    if old is None or new is None:
        return diff
    matcher = difflib.SequenceMatcher(None, [unit.key for unit in old.units], [unit.key for unit in new.units], autojunk=False)
    equal_run = 0
    copied = 0
    for op, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if op == "equal":
            equal_run += new_end - new_start
            diff.unchanged_units += new_end - new_start
            copied += sum(len(unit.key) for unit in new.units[new_start:new_end])
            continue
        diff.changes.append(
            TextChange(op, tuple(old.units[old_start:old_end]), tuple(new.units[new_start:new_end]), equal_run)
        )
        equal_run = 0
    diff.unchanged_after = equal_run
    total = sum(len(unit.key) for unit in new.units)
    diff.unchanged_share = copied / total if total else None
    diff.status = CHANGED if diff.changes else UNCHANGED
    return diff


# --- tables --------------------------------------------------------------------------------------


def _compare_tables(old: Document, new: Document) -> list[TableDiff]:
    pairs = comparison_data().pairs
    unused = list(new.tables)
    diffs = []
    for old_table in old.tables:
        # The same template first, then the one that continues it in the other era.
        counterpart = next((table for table in unused if table.template == old_table.template), None)
        if counterpart is None:
            counterpart = next((table for table in unused if (old_table.template, table.template) in pairs), None)
        if counterpart is None:
            diffs.append(TableDiff(old_table.template, None, old_table.title, ONLY_OLD, old_line=_line(old, old_table.span.start)))
            continue
        unused.remove(counterpart)
        correspondence = pairs.get((old_table.template, counterpart.template), _Correspondence())
        diffs.append(_table_diff(old, old_table, new, counterpart, correspondence))
    for table in unused:
        diffs.append(TableDiff(None, table.template, table.title, ONLY_NEW, new_line=_line(new, table.span.start)))
    return sorted(diffs, key=lambda diff: (diff.new_line is None, diff.new_line or 0, diff.old_line or 0))


def _table_diff(
    old: Document, old_table: SemanticTable, new: Document, new_table: SemanticTable, correspondence: _Correspondence
) -> TableDiff:
    diff = TableDiff(
        old_table.template,
        new_table.template,
        new_table.title,
        COMPARED,
        old_line=_line(old, old_table.span.start),
        new_line=_line(new, new_table.span.start),
    )
    rows = _matched(_row_keys(old_table), _row_keys(new_table), correspondence.rows)
    columns = _matched(
        [(key,) for key in old_table.columns], [(key,) for key in new_table.columns], [((a,), (b,)) for a, b in correspondence.columns]
    )
    diff.only_old_rows = [(key, _row_label(old, old_table, (key,))) for key in rows.only_old]
    diff.only_new_rows = [(key, _row_label(new, new_table, (key,))) for key in rows.only_new]
    diff.only_old_columns = [(key, _column_label(old, old_table, key)) for key in columns.only_old]
    diff.only_new_columns = [(key, _column_label(new, new_table, key)) for key in columns.only_new]
    for old_rows, new_rows in rows.pairs:
        for (old_column,), (new_column,) in columns.pairs:
            before = _cells(old_table, old_rows, old_column)
            after = _cells(new_table, new_rows, new_column)
            if not before and not after:
                continue
            diff.cells_compared += 1
            old_text, old_value = _reading(before)
            new_text, new_value = _reading(after)
            same = old_value == new_value if old_value is not None and new_value is not None else old_text == new_text
            if same:
                continue
            diff.changes.append(
                CellChange(
                    row="+".join(new_rows),
                    old_row="+".join(old_rows),
                    column=new_column,
                    old_column=old_column,
                    row_label=_row_label(new, new_table, new_rows),
                    column_label=_column_label(new, new_table, new_column),
                    old_row_label=_row_label(old, old_table, old_rows),
                    old_column_label=_column_label(old, old_table, old_column),
                    old_text=old_text,
                    new_text=new_text,
                    old_value=old_value,
                    new_value=new_value,
                    old_line=_line(old, before[0].span.start) if before else None,
                    new_line=_line(new, after[0].span.start) if after else None,
                )
            )
    return diff


@dataclass
class _Matching:
    pairs: list[tuple[tuple[str, ...], tuple[str, ...]]] = field(default_factory=list)
    only_old: list[str] = field(default_factory=list)
    only_new: list[str] = field(default_factory=list)


def _matched(
    old_keys: Iterable[tuple[str, ...]], new_keys: Iterable[tuple[str, ...]], listed: Iterable[tuple[tuple[str, ...], tuple[str, ...]]]
) -> _Matching:
    """Keys of the old table paired with the new table's: the listed correspondences whose keys
    are all there on both sides, then equal keys; what is left is only in one of them."""
    old_present = [key for (key,) in old_keys]
    new_present = [key for (key,) in new_keys]
    old_left, new_left = dict.fromkeys(old_present), dict.fromkeys(new_present)
    matching = _Matching()
    for before, after in listed:
        if all(key in old_left for key in before) and all(key in new_left for key in after):
            matching.pairs.append((before, after))
            for key in before:
                del old_left[key]
            for key in after:
                del new_left[key]
    for key in list(old_left):
        if key in new_left:
            matching.pairs.append(((key,), (key,)))
            del old_left[key], new_left[key]
    order = {key: index for index, key in enumerate(new_present)}
    matching.pairs.sort(key=lambda pair: order[pair[1][0]])
    matching.only_old, matching.only_new = list(old_left), list(new_left)
    return matching


def _row_keys(table: SemanticTable) -> list[tuple[str]]:
    return [(key,) for key in dict.fromkeys(row.key for row in table.rows if row.key is not None)]


def _cells(table: SemanticTable, rows: tuple[str, ...], column: str) -> list[SemanticCell]:
    found = [table.cell(row, column) for row in rows]
    return [cell for cell in found if cell is not None]


def _reading(cells: list[SemanticCell]) -> tuple[str | None, Decimal | None]:
    """What cells say: their text (joined by ``+`` when rows are added up) and their value when
    every one is a number."""
    if not cells:
        return None, None
    text = "+".join(" ".join(cell.text.split()) for cell in cells)
    values = [cell.value.value for cell in cells]
    if all(cell.value.kind == "number" and value is not None for cell, value in zip(cells, values)):
        return text, sum(values, Decimal(0))
    return text, None


def _row_label(document: Document, table: SemanticTable, keys: tuple[str, ...]) -> str:
    """The template's label of the rows; a row of a nested group ("1.本机关不掌握相关政府信息" of
    （四）无法提供) is named with its group, as the bare label recurs in other groups."""
    template = document.templates.template(table.template)
    labels = []
    for key in keys:
        row = template.row(key) if template is not None else None
        if row is None:
            labels.append(key)
            continue
        group = next((group for group in template.groups if group.key == row.group), None)
        labels.append(f"{group.label} {row.label}" if group is not None and group.parent else row.label)
    return "＋".join(labels)


def _column_label(document: Document, table: SemanticTable, key: str) -> str:
    template = document.templates.template(table.template)
    column = template.column(key) if template is not None else None
    return column.title if column is not None else table.column_labels.get(key, key)
