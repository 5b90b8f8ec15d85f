"""Cells → semantic tables: the official tables in a table block, recognised by their labels.

:func:`recognize_tables` reads the cells of a table block (:mod:`nianbao.tables.cells`) as one
stream of label and value cells, cuts it where an official table starts (its caption or first
header cell), and reads each part as every template whose labels it contains
(:mod:`nianbao.tables.labels`), keeping the reading with the most label evidence. The result is
:class:`~nianbao.tables.model.SemanticTable` objects addressable by row and column keys, the runs
that fit no template (PS003) and the cells that belong to no table.

Recognition relies on the fixed template labels, not on the layout: most renderings lose
the row structure of merged cells, so a row is "a label followed by its value cells".
Nothing is repaired: short rows stay short, extra values are kept with ``column=None``,
unknown rows get ``key=None`` and blank cells stay blank, so that the table rules can
report them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

from nianbao.parse.tree import Cell, Table
from nianbao.tables.cells import ROW_DELIMITED, cover
from nianbao.tables.labels import LabelEntry, LabelMatcher
from nianbao.tables.model import SemanticCell, SemanticRow, SemanticTable
from nianbao.tables.templates import Template, TemplateRow, TemplateSet
from nianbao.text.location import Span
from nianbao.text.normalize import fold_label
from nianbao.text.values import CellValue, parse_cell_value

__all__ = ["Recognition", "recognize_tables"]

# A table needs at least this much label evidence (exact label = 1, approximate = 0.5).
_MIN_SCORE = 2.0

# Which roles a label is read as first, by phase of the table.
_HEADER_ROLES = ("caption", "note", "header", "column", "index", "group", "row")
_DATA_ROLES = ("row", "group", "caption", "note", "header", "column", "index")
_ROW_ROLES = ("row", "group")


@dataclass
class Recognition:
    tables: list[SemanticTable] = field(default_factory=list)
    """Official tables found, in document order (one raw block may hold several)."""
    unrecognized: list[tuple[Span, str]] = field(default_factory=list)
    """Table-like runs that fit no template, with a short reason in Chinese (PS003)."""
    leftover: list[Cell] = field(default_factory=list)
    """Cells that belong to no table, e.g. web residue after the 附表 or a stray title before it."""


def recognize_tables(templates: TemplateSet, table: Table, era: str | None) -> Recognition:
    """Find the official tables in a raw table block.

    Templates of every era are tried (a 2019 table in a 2022 report is recognised as the
    2019 table); ``era`` only breaks ties between equally good matches.
    """
    result = Recognition()
    items = [
        _Item(cell=cell, raw_row=number, value=_cell_value(cell.text))
        for number, row in enumerate(table.rows)
        for cell in row.cells
    ]
    if not items:
        return result
    leading, segments = _segment(templates, items)
    delimited = table.rendering in ROW_DELIMITED
    parsed_segments: list[_Parsed | None] = []
    for segment in segments:
        parsed_segments.append(_best(templates, segment, era, delimited, table))
    if not any(parsed_segments):
        reason = "表格内容与任何已知的年度报告表格模板都不对应"
        result.unrecognized.append((table.span, reason))
        return result
    if leading:
        if any(item.is_value and not item.blank for item in leading):
            span = cover([item.cell.span for item in leading])
            result.unrecognized.append((span, "表格开头的数据无法对应到已知的表格模板"))
        else:
            result.leftover.extend(item.cell for item in leading if not item.blank)
    last = max(i for i, parsed in enumerate(parsed_segments) if parsed)
    for number, (segment, parsed) in enumerate(zip(segments, parsed_segments)):
        if parsed is None:
            span = cover([item.cell.span for item in segment])
            first = next((item.cell.text for item in segment if not item.is_value), "")
            reason = "这部分表格无法对应到已知的表格模板"
            if first:
                reason += f"（从“{first[:20]}”开始）"
            result.unrecognized.append((span, reason))
            continue
        if parsed.trailing and number != last:
            # Label-only lines between two tables stay with the table before them.
            for cell in parsed.trailing:
                parsed.table.rows.append(
                    SemanticRow(
                        key=None,
                        label=cell.text,
                        label_span=cell.span,
                        canonical_label=None,
                        label_exact=False,
                        cells=[],
                        span=cell.span,
                    )
                )
            parsed.table.span = parsed.table.span.cover(cover([cell.span for cell in parsed.trailing]))
        elif parsed.trailing:
            result.leftover.extend(parsed.trailing)
        result.tables.append(parsed.table)
    return result


def _segment(templates: TemplateSet, items: list[_Item]) -> tuple[list[_Item], list[list[_Item]]]:
    """Cut the cell stream where an official table starts (its caption or first header cell)."""
    leading: list[_Item] = []
    segments: list[list[_Item]] = []
    has_data = False
    for item in items:
        text = item.cell.text
        label = not item.is_value
        caption = label and any(m.is_caption(text) for m in templates.matchers.values())
        start = label and any(m.is_start(text) for m in templates.matchers.values())
        hits = [] if not label else [e for m in templates.matchers.values() for e in m.exact(text)]
        if not segments:
            if hits or (label and _near_a_row(templates, text)):
                # A block may start with a row whose label is altered: that row, not stray data.
                segments.append([item])
                has_data = not hits or (_names_a_row(hits) and not start)
            else:
                leading.append(item)
            continue
        if caption or (start and has_data):
            segments.append([item])
            has_data = False
            continue
        segments[-1].append(item)
        if (item.is_value and not item.blank) or (_names_a_row(hits) and not start):
            has_data = True
    return leading, segments


def _best(
    templates: TemplateSet, segment: list[_Item], era: str | None, delimited: bool, source: Table
) -> _Parsed | None:
    candidates = []
    best_score = 0.0
    labels = [item.cell.text for item in segment if not item.is_value]
    ceilings = {template.id: templates.matchers[template.id].evidence_ceiling(labels) for template in templates.templates}
    # The templates that could gather the most evidence first: one whose ceiling is below the best
    # score found cannot win (the score ranks first), so it is not read at all.
    for order, template in sorted(enumerate(templates.templates), key=lambda entry: -ceilings[entry[1].id]):
        matcher = templates.matchers[template.id]
        if ceilings[template.id] < best_score or not any(matcher.exact(text) for text in labels):
            continue
        parsed = _TableParser(template, matcher, segment, delimited, source).run()
        best_score = max(best_score, parsed.score)
        rank = (
            parsed.score,
            1 if era is not None and era in template.eras else 0,
            -len(parsed.table.missing_rows),
            -parsed.unknown_rows,
            -order,
        )
        candidates.append((rank, parsed))
    if not candidates:
        return None
    rank, parsed = max(candidates, key=lambda candidate: candidate[0])
    return parsed if rank[0] >= _MIN_SCORE else None


@dataclass
class _Item:
    cell: Cell
    raw_row: int
    value: CellValue

    @property
    def blank(self) -> bool:
        return self.value.kind == "blank"

    @property
    def is_value(self) -> bool:
        return self.value.kind != "text"


def _cell_value(text: str) -> CellValue:
    return CellValue("blank") if not text.strip() else parse_cell_value(text)


def _semantic_cell(column: str | None, item: _Item) -> SemanticCell:
    return SemanticCell(column=column, text=item.cell.text, span=item.cell.span, value=item.value)


def _has_values(cells: list[SemanticCell]) -> bool:
    """Whether any of ``cells`` is filled (blank padding of a label's line is none)."""
    return any(cell.value.kind != "blank" for cell in cells)


def _near_a_row(templates: TemplateSet, text: str) -> bool:
    """``text`` approximates a row or group label of some template ("一、本年新收政府信息公开申请数")."""
    return any(matcher.fuzzy(text, _ROW_ROLES) is not None for matcher in templates.matchers.values())


def _names_a_row(hits: list[LabelEntry]) -> bool:
    return any(entry.role in ("row", "group") for entry in hits)


@dataclass
class _OpenRow:
    key: str | None
    label: str
    label_span: Span
    canonical: str | None
    exact: bool
    group: str | None
    raw_row: int
    provisional: bool = False  # a group label that becomes a row only if values follow it
    cells: list[SemanticCell] = field(default_factory=list)
    filled: int = 0  # value columns assigned so far
    has_unit: bool = False


# "label：value" written in one cell (seed 001's 发布总数量 line).
_INLINE_VALUE = re.compile(r"(?P<label>.*\S)\s*[:：]\s*(?P<value>[^:：]*\S)")


@dataclass
class _Parsed:
    table: SemanticTable
    score: float
    unknown_rows: int
    trailing: list[Cell]
    """Cells of label-only unknown rows at the end (web residue when this is the last table)."""


class _TableParser:
    """Reads one segment of cells as one template."""

    def __init__(
        self, template: Template, matcher: LabelMatcher, items: list[_Item], delimited: bool, source: Table
    ) -> None:
        self.template = template
        self.matcher = matcher
        self.items = items
        self.delimited = delimited
        self.source = source
        # Rows of the block are rows of the table (layout rows are rebuilt from the geometry).
        self.has_rows = delimited or source.rendering == "layout"
        self.rows: list[SemanticRow] = []
        self.current: _OpenRow | None = None
        self.pending_blanks: list[_Item] = []
        self.phase = "header"
        self.group: str | None = None
        self.header_columns: list[str] = []
        self.index_seen = False
        self.unlabeled_used = False
        self.unit_used = False
        self.evidence: dict[tuple[str, str], float] = {}
        self.spans: list[Span] = []
        self._value_columns: list[str] | None = None
        self.unlabeled = next((row for row in template.rows if row.unlabeled), None)

    # -- columns

    def columns(self) -> list[str]:
        template_keys = [column.key for column in self.template.columns]
        if self.template.column_order == "header" and self.header_columns:
            keys = list(self.header_columns)
            unit = next((c.key for c in self.template.columns if c.kind == "unit"), None)
            if self.unit_used and unit and unit not in keys:
                keys.insert(0, unit)
            return keys
        return template_keys

    def value_columns(self) -> list[str]:
        if self._value_columns is None:
            unit = self.unit_column()
            self._value_columns = [key for key in self.columns() if key != unit]
        return self._value_columns

    def unit_column(self) -> str | None:
        return next((column.key for column in self.template.columns if column.kind == "unit"), None)

    # -- main loop

    def run(self) -> _Parsed:
        index = 0
        while index < len(self.items):
            index = self.step(index)
        self.close()
        trailing: list[Cell] = []
        while self.rows and self.rows[-1].key is None and self.rows[-1].label and not _has_values(self.rows[-1].cells):
            row = self.rows.pop()
            trailing.insert(0, Cell(span=row.label_span, text=row.label))
        found = {row.key for row in self.rows if row.key is not None}
        missing = [row.key for row in self.template.rows if row.required and row.key not in found]
        columns = self.columns()
        table_spans = [span for span in self.spans if not any(span == cell.span for cell in trailing)]
        span = cover(table_spans) if table_spans else self.source.span
        table = SemanticTable(
            span=span,
            template=self.template.id,
            title=self.template.title,
            eras=self.template.eras,
            columns=columns,
            column_labels={key: column.title for key in columns if (column := self.template.column(key))},
            rows=self.rows,
            missing_rows=missing,
            source=self.source,
        )
        unknown = sum(1 for row in self.rows if row.key is None)
        return _Parsed(table, sum(self.evidence.values()), unknown, trailing)

    def step(self, index: int) -> int:
        item = self.items[index]
        if item.blank:
            self.blank(index, item)
            return index + 1
        roles = _HEADER_ROLES if self.phase == "header" else _DATA_ROLES
        hits = self.matcher.exact(item.cell.text)
        if not item.is_value:
            merged, consumed = self.merge_wrapped(index)
            if merged is not None:
                cell, hits = merged
                self.spans.append(cell.span)
                self.label(cell, item.raw_row, self.prefer(hits, roles), True)
                return index + consumed
        if hits:
            self.spans.append(item.cell.span)
            entry = self.prefer(hits, roles)
            if self.phase == "data" and entry.role not in ("row", "group") and self.next_is_value(index):
                # A row label that happens to equal a header word ("其他" for "3.其他"): values
                # follow it, so read it as the row it approximates.
                fuzzy = self.matcher.fuzzy(item.cell.text, _ROW_ROLES)
                if fuzzy is not None:
                    self.label(item.cell, item.raw_row, fuzzy[0], False)
                    return index + 1
            self.label(item.cell, item.raw_row, entry, True)
            return index + 1
        if item.is_value:
            self.spans.append(item.cell.span)
            self.value(index, item)
            return index + 1
        self.spans.append(item.cell.span)
        if self.takes_unit(item):
            self.add_unit(item)
            return index + 1
        inline = _INLINE_VALUE.fullmatch(item.cell.text)
        if inline and parse_cell_value(inline["value"]).kind == "number":
            self.inline(item.cell, item.raw_row, inline)
            return index + 1
        fuzzy = self.matcher.fuzzy(item.cell.text, roles)
        if fuzzy is not None:
            self.label(item.cell, item.raw_row, fuzzy[0], False)
            return index + 1
        if self.phase == "header" and self.matcher.is_cut_header(item.cell.text):
            self.close()  # a damaged header cell ("本年新 | 本年新"): still the header, not a row
            return index + 1
        self.unknown(item.cell, item.raw_row)
        return index + 1

    @staticmethod
    def prefer(hits: list[LabelEntry], roles: Sequence[str]) -> LabelEntry:
        return min(hits, key=lambda entry: roles.index(entry.role))

    def merge_wrapped(self, index: int) -> tuple[tuple[Cell, list[LabelEntry]], int] | tuple[None, int]:
        """Join a label wrapped over cells ("（三）" + "不予公开") when only the joined text matches."""
        first = self.items[index]
        parts = [first.cell]
        for following in self.items[index + 1:index + 3]:
            if following.is_value or following.blank:
                break
            if self.matcher.exact(following.cell.text) or self.matcher.is_start(following.cell.text):
                break
            parts.append(following.cell)
            text = "".join(part.text for part in parts)
            merged_hits = self.matcher.exact(text)
            if merged_hits:
                cell = Cell(span=parts[0].span.cover(parts[-1].span), text=text)
                return (cell, merged_hits), len(parts)
        return None, 1

    # -- cells

    def record(self, entry: LabelEntry, weight: float) -> None:
        slot = (entry.role, fold_label(entry.canonical))
        self.evidence[slot] = max(self.evidence.get(slot, 0.0), weight)

    def label(self, cell: Cell, raw_row: int, entry: LabelEntry, exact: bool) -> None:
        self.record(entry, 1.0 if exact else 0.5)
        self.pending_blanks.clear()  # blanks before a label pad merged label cells
        if entry.role == "row":
            self.close()
            self.phase = "data"
            row = self.template.row(entry.key)
            assert row is not None
            self.current = _OpenRow(
                key=row.key,
                label=cell.text,
                label_span=cell.span,
                canonical=row.label,
                exact=exact,
                group=row.group or row.parent,
                raw_row=raw_row,
            )
        elif entry.role == "group":
            self.close()
            self.phase = "data"
            group = self.template.group(entry.key)
            assert group is not None
            self.group = group.key
            self.current = _OpenRow(
                key=group.row,
                label=cell.text,
                label_span=cell.span,
                canonical=group.label,
                exact=exact,
                group=group.parent,
                raw_row=raw_row,
                provisional=True,
            )
        else:
            # Caption, note, header, index or column label: part of the header. Seen again
            # after the data (a header repeated after a page break) it is skipped the same way.
            self.close()
            if entry.role == "index":
                self.index_seen = True
            if entry.role == "column" and self.phase == "header" and entry.key not in self.header_columns:
                self.header_columns.append(entry.key)

    def takes(self, row: _OpenRow, item: _Item) -> bool:
        """Whether ``item`` can continue ``row`` at all (delimited renderings keep values in their row)."""
        if not self.delimited:
            return row.filled < len(self.value_columns())
        return item.raw_row == row.raw_row or not row.cells

    def blank(self, index: int, item: _Item) -> None:
        row = self.current
        if row is not None and self.label_padding(index, item, row):
            return
        if row is not None and self.takes(row, item) and row.filled < len(self.value_columns()):
            self.spans.append(item.cell.span)
            self.assign(row, item)
        elif row is not None and self.delimited and item.raw_row == row.raw_row:
            pass  # padding after a full row: merged cells
        else:
            self.pending_blanks.append(item)

    def label_padding(self, index: int, item: _Item, row: _OpenRow) -> bool:
        """A blank right after a row label whose row still has a value for every column: the
        empty half of the two-column label area ("| 一、本年新收… | | 4 | …"), not a blank value."""
        if not self.delimited or row.filled or item.raw_row != row.raw_row:
            return False
        rest = []
        for other in self.items[index + 1:]:
            if other.raw_row != item.raw_row:
                break
            rest.append(other)
        while rest and rest[-1].blank:  # padding at the row's end says nothing about its values
            rest.pop()
        return len(rest) >= len(self.value_columns())

    def value(self, index: int, item: _Item) -> None:
        row = self.current
        row_done = (
            row is None
            or row.filled >= len(self.value_columns())
            or (self.delimited and item.raw_row != row.raw_row)
        )
        if self.index_seen and row_done and self.next_is_row_label(index):
            return  # the 序号 column in front of a label
        unlabeled = self.unlabeled
        if row is not None and self.takes(row, item) and not self.leaves_to_unlabeled(row, item, unlabeled):
            self.assign(row, item)
            return
        self.close()
        self.phase = "data"
        if unlabeled is not None and not self.unlabeled_used:
            self.unlabeled_used = True
            key, canonical, exact = unlabeled.key, unlabeled.label, True
        else:
            key, canonical, exact = None, None, False
        blanks = [b for b in self.pending_blanks if not self.delimited or b.raw_row == item.raw_row]
        first = blanks[0] if blanks else item
        self.current = _OpenRow(
            key=key,
            label="",
            label_span=Span(first.cell.span.start, first.cell.span.start),
            canonical=canonical,
            exact=exact,
            group=self.group,
            raw_row=item.raw_row,
        )
        if key is not None:
            self.record(LabelEntry("row", key, canonical or key), 1.0)
        for blank in blanks:
            self.spans.append(blank.cell.span)
            self.assign(self.current, blank)
        self.pending_blanks.clear()
        self.assign(self.current, item)

    def leaves_to_unlabeled(self, row: _OpenRow, item: _Item, unlabeled: TemplateRow | None) -> bool:
        """Whether the values starting at ``item`` are the template's unlabelled row rather than
        the unknown row before them: that row is a label alone on its line ("单位：件", a damaged
        header cell), and the unlabelled row has no values yet. Only a label written in the
        values' own row, in a rendering with real rows, labels them."""
        if unlabeled is None or self.unlabeled_used or row.key is not None or _has_values(row.cells):
            return False
        return not (self.has_rows and item.raw_row == row.raw_row)

    def next_is_value(self, index: int) -> bool:
        return index + 1 < len(self.items) and self.items[index + 1].is_value

    def next_is_row_label(self, index: int) -> bool:
        if index + 1 >= len(self.items):
            return False
        following = self.items[index + 1]
        if following.is_value:
            return False
        return any(entry.role == "row" for entry in self.matcher.exact(following.cell.text))

    def assign(self, row: _OpenRow, item: _Item) -> None:
        columns = self.value_columns()
        if row.filled < len(columns):
            column: str | None = columns[row.filled]
            row.filled += 1
        else:
            if item.blank:
                return  # blank padding beyond the last column
            column = None
        row.cells.append(_semantic_cell(column, item))
        row.raw_row = item.raw_row

    def takes_unit(self, item: _Item) -> bool:
        """A 单位 cell ("件", "条") right after a row label, in a template with a unit column."""
        row = self.current
        if row is None or row.has_unit or row.filled or self.unit_column() is None:
            return False
        return self.matcher.is_unit(item.cell.text)

    def add_unit(self, item: _Item) -> None:
        assert self.current is not None
        self.unit_used = True
        self.current.has_unit = True
        self.current.cells.append(_semantic_cell(self.unit_column(), item))

    def inline(self, cell: Cell, raw_row: int, match: re.Match[str]) -> None:
        """A "label：N" cell: an unknown row (or a known one) whose number is kept as a cell."""
        label_text = match["label"]
        value_text = match["value"]
        # Both parts end the cell text, so their spans are measured from the cell's end.
        value_span = Span(cell.span.end - len(value_text), cell.span.end)
        label_span = Span(cell.span.start, cell.span.start + len(label_text))
        if len(cell.text) != len(cell.span):  # wrapped cell: the label's own end is not exact
            label_span = Span(cell.span.start, value_span.start)
        label_cell = Cell(span=label_span, text=label_text)
        hits = [e for e in self.matcher.exact(label_text) if e.role == "row"]
        if hits:
            self.label(label_cell, raw_row, hits[0], True)
        else:
            self.unknown(label_cell, raw_row)
        assert self.current is not None
        self.current.cells.append(
            SemanticCell(column=None, text=value_text, span=value_span, value=parse_cell_value(value_text))
        )

    def unknown(self, cell: Cell, raw_row: int) -> None:
        self.close()
        self.pending_blanks.clear()
        self.phase = "data"
        self.current = _OpenRow(
            key=None,
            label=cell.text,
            label_span=cell.span,
            canonical=None,
            exact=False,
            group=self.group,
            raw_row=raw_row,
        )

    def close(self) -> None:
        row, self.current = self.current, None
        if row is None:
            return
        if row.provisional and not _has_values(row.cells):
            return  # a group label with no values of its own
        spans = [row.label_span, *(cell.span for cell in row.cells)]
        self.rows.append(
            SemanticRow(
                key=row.key,
                label=row.label,
                label_span=row.label_span,
                canonical_label=row.canonical,
                label_exact=row.exact,
                cells=row.cells,
                span=cover(spans),
                group=row.group,
            )
        )
