"""Raw table blocks → cells → semantic tables, driven by declarative templates.

Two steps:

* :func:`build_table` turns the lines of a table block (as located by the grammar) into a
  :class:`~nianbao.parse.tree.Table` of rows and cells with exact spans, whatever the rendering
  (see ``docs/renderings``): ``bar-lines``, ``pipe-rows``, ``markdown``, ``tab-cells``,
  ``cell-lines``, ``layout`` (``pdftotext -layout`` text, read by :mod:`nianbao.tables.layout`).
* :meth:`TemplateSet.recognize` maps the cells onto the official tables described by the
  templates in ``nianbao/data/templates/*.toml`` (one file per official table; plugins can
  add more with the same schema) and returns :class:`~nianbao.tables.model.SemanticTable` objects
  addressable by row and column keys.

Recognition relies on the fixed template labels, not on the layout: most renderings lose
the row structure of merged cells, so a row is "a label followed by its value cells".
Nothing is repaired: short rows stay short, extra values are kept with ``column=None``,
unknown rows get ``key=None`` and blank cells stay blank, so that the table rules can
report them.
"""

from __future__ import annotations

import difflib
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from typing import Iterable, Mapping, Sequence

from nianbao.data.cache import cached
from nianbao.parse.tree import Cell, Row, Table
from nianbao.tables.layout import is_layout_row, layout_rows
from nianbao.tables.model import SemanticCell, SemanticRow, SemanticTable
from nianbao.text.location import Span
from nianbao.text.normalize import fold_label
from nianbao.text.values import CellValue, parse_cell_value

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

__all__ = [
    "RENDERINGS",
    "Recognition",
    "Template",
    "TemplateColumn",
    "TemplateGroup",
    "TemplateRelation",
    "TemplateRow",
    "RelationTerm",
    "TemplateSet",
    "build_table",
    "default_templates",
    "load_templates",
]

RENDERINGS = ("bar-lines", "pipe-rows", "markdown", "tab-cells", "cell-lines", "layout")

# Renderings whose rows are real table rows: a label's values never continue onto the next row.
# (``layout`` rows are rebuilt from the text's geometry, so they are read as a stream, like the
# renderings without rows: a misplaced line break cannot then cut a row short.)
_ROW_DELIMITED = frozenset({"pipe-rows", "markdown", "tab-cells"})

# Labels this similar (difflib ratio, punctuation ignored) count as an altered template label.
FUZZY_THRESHOLD = 0.8

# A table needs at least this much label evidence (exact label = 1, approximate = 0.5).
_MIN_SCORE = 2.0


# --- part 1: lines → cells ------------------------------------------------------------------

_MARKDOWN_SEPARATOR = re.compile(r"\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)+\|?\s*|\s*\|\s*:?-+:?\s*\|\s*")
_TAB_LINE = re.compile(r"[ ]*\t")
# A pipe that separates cells: not escaped as "\|" (Markdown).
_PIPE = re.compile(r"(?<!\\)\|")


def build_table(lines: Sequence[tuple[int, str]], labels: frozenset[str] | None = None) -> Table:
    """Split a table block into rows of cells.

    ``lines`` are ``(offset, text)`` pairs: the offset of the line's first character in the
    normalised text and the line without its line break, blank lines included. Each cell's
    span covers its text without surrounding whitespace or pipes; an empty cell gets an empty
    span at its position; a cell spread over several lines has its lines joined in ``text``.
    ``labels`` (folded template labels, default: the built-in templates') tell a wrapped label
    from two stacked cells in the ``layout`` rendering, where both look the same.
    """
    lines = list(lines)
    rendering = _detect_rendering(lines)
    if rendering == "layout":
        built = layout_rows(lines, default_templates().labels() if labels is None else labels)
    else:
        builder = {
            "bar-lines": _bar_lines,
            "pipe-rows": _pipe_rows,
            "markdown": _markdown,
            "tab-cells": _tab_cells,
            "cell-lines": _cell_lines,
        }[rendering]
        built = builder(lines)
    rows = [Row(span=_cover([cell.span for cell in cells]), cells=cells) for cells in built if cells]
    if rows:
        span = _cover([row.span for row in rows])
    else:
        start = lines[0][0] if lines else 0
        span = Span(start, start)
    return Table(span=span, rendering=rendering, rows=rows)


def _detect_rendering(lines: list[tuple[int, str]]) -> str:
    content = [text for _, text in lines if text.strip()]
    if not content:
        return "cell-lines"
    separators = sum(1 for text in content if _MARKDOWN_SEPARATOR.fullmatch(text))
    tabbed = sum(1 for text in content if _TAB_LINE.match(text))
    bars = sum(1 for text in content if text.strip() == "|")
    multi = 0  # lines holding two or more non-empty cells
    single_piped = 0  # "text |": one cell with pipes around it
    layout = 0  # "行政许可      30      17": cells apart by runs of spaces, values last
    for text in content:
        if "|" not in text and is_layout_row(text):
            layout += 1
        if text.strip() == "|" or "|" not in text:
            continue
        filled = [part for part in _PIPE.split(text) if part.strip()]
        if len(filled) >= 2:
            multi += 1
        else:
            single_piped += 1
    if separators and multi:
        return "markdown"
    if tabbed * 2 >= len(content):
        return "tab-cells"
    if bars >= 2 and bars > multi and bars >= single_piped:
        return "bar-lines"
    if multi:
        return "pipe-rows"
    if layout and not bars and not single_piped:
        return "layout"
    return "cell-lines"


def _stripped(offset: int, text: str, start: int, end: int) -> tuple[Span, str]:
    """The span and text of ``text[start:end]`` without surrounding whitespace."""
    part = text[start:end]
    core = part.strip()
    if not core:
        return Span(offset + start, offset + start), ""
    left = start + (len(part) - len(part.lstrip()))
    return Span(offset + left, offset + left + len(core)), core


def _joined(fragments: list[tuple[Span, str]]) -> Cell:
    """One cell from the stripped fragments of consecutive lines (wrapped text is joined)."""
    return Cell(span=fragments[0][0].cover(fragments[-1][0]), text="".join(text for _, text in fragments))


def _without_outer_pipes(text: str) -> tuple[int, int]:
    """Bounds of ``text`` without one leading and one trailing pipe (and the spaces around them)."""
    start, end = 0, len(text)
    stripped_left = len(text) - len(text.lstrip())
    if text[stripped_left:stripped_left + 1] == "|":
        start = stripped_left + 1
    right = len(text.rstrip())
    if right > start and text[right - 1] == "|" and (right < 2 or text[right - 2] != "\\"):
        end = right - 1
    return start, end


def _split_pipes(offset: int, text: str, start: int, end: int) -> list[Cell]:
    cells = []
    position = start
    for match in _PIPE.finditer(text, start, end):
        span, core = _stripped(offset, text, position, match.start())
        cells.append(Cell(span=span, text=core))
        position = match.end()
    span, core = _stripped(offset, text, position, end)
    cells.append(Cell(span=span, text=core))
    return cells


def _bar_lines(lines: list[tuple[int, str]]) -> list[list[Cell]]:
    """One cell per line (or run of lines), lone "|" lines between cells."""
    rows: list[list[Cell]] = [[]]
    fragments: list[tuple[Span, str]] = []
    previous_bar_end: int | None = None  # set while the last content line was a bar

    def flush() -> None:
        if fragments:
            rows[-1].append(_joined(fragments))
            fragments.clear()

    for offset, text in lines:
        stripped = text.strip()
        if not stripped:
            flush()
            rows.append([])
            previous_bar_end = None
        elif stripped == "|":
            if fragments:
                flush()
            elif previous_bar_end is not None:  # two bars in a row: an empty cell between them
                rows[-1].append(Cell(span=Span(previous_bar_end, previous_bar_end), text=""))
            previous_bar_end = offset + text.index("|") + 1
        else:
            start, end = _without_outer_pipes(text)
            span, core = _stripped(offset, text, start, end)
            fragments.append((span, core))
            previous_bar_end = None
    flush()
    return rows


def _pipe_rows(lines: list[tuple[int, str]]) -> list[list[Cell]]:
    """One row per line, cells joined by " | "; padding empties at the row end are dropped."""
    rows = []
    for offset, text in lines:
        if not text.strip():
            continue
        start = 0
        stripped_left = len(text) - len(text.lstrip())
        if text[stripped_left:stripped_left + 1] == "|":
            start = stripped_left + 1
        cells = _split_pipes(offset, text, start, len(text))
        while cells and not cells[-1].text:
            cells.pop()
        rows.append(cells)
    return rows


def _markdown(lines: list[tuple[int, str]]) -> list[list[Cell]]:
    """GFM pipe table: outer pipes are syntax, the separator row is skipped, empties are cells."""
    rows = []
    rows_since_blank = 0
    for offset, text in lines:
        if not text.strip():
            rows_since_blank = 0
            continue
        # Only the line right under a table's first row is its delimiter row; a later row of
        # dashes is data ("-" cells).
        if rows_since_blank == 1 and _MARKDOWN_SEPARATOR.fullmatch(text):
            rows_since_blank += 1
            continue
        start, end = _without_outer_pipes(text)
        rows.append(_split_pipes(offset, text, start, end))
        rows_since_blank += 1
    return rows


def _tab_cells(lines: list[tuple[int, str]]) -> list[list[Cell]]:
    """A tab starts a cell, a line without one continues the previous cell, blank lines end rows."""
    rows: list[list[list[tuple[Span, str]]]] = [[]]
    for offset, text in lines:
        if not text.strip() and "\t" not in text:
            rows.append([])
            continue
        if _TAB_LINE.match(text):
            bounds = [match.start() for match in re.finditer("\t", text)] + [len(text)]
            for here, following in zip(bounds, bounds[1:]):
                rows[-1].append([_stripped(offset, text, here + 1, following)])
        else:
            fragment = _stripped(offset, text, 0, len(text))
            cell = rows[-1][-1] if rows[-1] else None
            if cell is None:
                rows[-1].append([fragment])
            elif not cell[0][1] and len(cell) == 1:  # a lone tab followed by text: that text is the cell
                cell[0] = fragment
            else:
                cell.append(fragment)
    return [[_joined(fragments) for fragments in row] for row in rows]


def _cell_lines(lines: list[tuple[int, str]]) -> list[list[Cell]]:
    """One cell per line, with or without a trailing " |"; blank lines end runs."""
    rows: list[list[Cell]] = [[]]
    for offset, text in lines:
        if not text.strip():
            rows.append([])
            continue
        start, end = _without_outer_pipes(text)
        span, core = _stripped(offset, text, start, end)
        rows[-1].append(Cell(span=span, text=core))
    return rows


def _cover(spans: list[Span]) -> Span:
    return Span(min(span.start for span in spans), max(span.end for span in spans))


# --- part 2: templates -------------------------------------------------------------------------

COLUMN_KINDS = frozenset({"count", "delta", "amount", "money-10k", "unit"})


@dataclass(frozen=True)
class TemplateColumn:
    key: str
    label: str
    kind: str
    aliases: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    display: str | None = None

    @property
    def title(self) -> str:
        """The label used in messages (``display`` when the bare label is ambiguous)."""
        return self.display or self.label


@dataclass(frozen=True)
class TemplateRow:
    key: str
    label: str
    aliases: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    group: str | None = None
    parent: str | None = None
    children: str | None = None
    """For a parent row: ``sum`` (children add up to it) or ``overlap`` (each is at most it)."""
    required: bool = True
    unlabeled: bool = False
    """The row has no label in the official table (section 四's single data row)."""


@dataclass(frozen=True)
class TemplateGroup:
    key: str
    label: str
    aliases: tuple[str, ...] = ()
    parent: str | None = None
    row: str | None = None
    """Row key given to this group label when values follow it directly."""


RELATION_OPERATORS = ("=", ">=", "<=")
RELATION_MEANINGS = ("fault", "misreading")


@dataclass(frozen=True)
class RelationTerm:
    """One term of a relation: a row key (``per = "column"``) or a column key (``per = "row"``)."""

    key: str
    required: bool = True
    """False for a row a ``group.*`` term expanded to that the table may leave out (附表 channels)."""


@dataclass(frozen=True)
class TemplateRelation:
    """An arithmetic relation between the cells of a table (``[[relations]]`` in a template).

    ``left op right`` holds in every column (``per = "column"``: the terms are rows) or in every
    row (``per = "row"``: the terms are columns); ``within`` limits it to some columns or rows.
    ``rule`` is the code of the rule that reports it; ``meaning`` is ``fault`` (a failure is an
    error) or ``misreading`` (the relation holding on every row is a sign of misread columns).
    """

    id: str
    rule: str
    per: str
    left: tuple[RelationTerm, ...]
    right: tuple[RelationTerm, ...]
    op: str = "="
    anchor: str = ""
    """The term whose cell a failure is reported at (default: the first left term)."""
    within: tuple[str, ...] = ()
    label: str | None = None
    """Chinese name of the relation's line or column in messages (default: its label)."""
    explain: str | None = None
    """What the relation says, in Chinese, for messages."""
    meaning: str = "fault"

    @property
    def terms(self) -> tuple[RelationTerm, ...]:
        return self.left + self.right


@dataclass(frozen=True)
class Template:
    """One official table, as read from ``nianbao/data/templates/*.toml`` or a plugin mapping.

    Schema (TOML keys = field names; labels are written as in the official format, compared
    after :func:`~nianbao.text.normalize.fold_label` and, failing that, without punctuation):

    * ``id``, ``title`` (Chinese, for messages), ``eras`` (``2008``/``2019``/``2021``),
      ``section`` (informational: ``二``, ``三``, ``四``, ``附表``).
    * ``captions``: the caption row ("第二十条第（一）项"); ``start``: header labels that open the
      table when there is no caption; ``header``: header-only labels (no column of their own);
      ``notes``: regexes for note cells (the 勾稽关系 note); ``index``: header of a 序号 column.
    * ``[[columns]]``: ``key``, ``label``, ``aliases``, ``patterns`` (regexes), ``kind``
      (``count`` | ``delta`` | ``amount`` | ``money-10k`` | ``unit``), ``display`` (message label
      when ``label`` alone is ambiguous). ``column_order = "header"`` maps values in the order
      the header shows its columns; the default ``template`` uses the order of ``[[columns]]``.
    * ``[[groups]]``: ``key``, ``label``, ``aliases``, ``parent`` (enclosing group), ``row``
      (row key for the group label when values follow it directly).
    * ``[[rows]]``: ``key``, ``label``, ``aliases``, ``patterns``, ``group``, ``parent`` (the
      "其中" parent row), ``children`` on a parent (``sum`` | ``overlap``), ``required``
      (default true), ``unlabeled`` (the row has no label: section 四).
    * ``units``: words of a ``unit`` column ("件"); ``label_prefix``: a regex removed from row
      labels before matching ("其中：1.").
    * ``[[relations]]`` (checked by the AR rules through :mod:`nianbao.rules.arithmetic.relations`): ``id``,
      ``rule`` (the reporting rule's code), ``per`` (``column``: ``left``/``right`` are row keys
      and the relation holds in every value column; ``row``: they are column keys and it holds
      in every row), ``left``, ``right``, ``op`` (``=`` | ``>=`` | ``<=``, read "left op right"),
      ``anchor`` (the term a failure is reported at; default the first left term), ``within``
      (only these columns or rows), ``label`` and ``explain`` (Chinese, for messages),
      ``meaning`` (``fault`` | ``misreading``). A row term ``key.*`` stands for the rows of group
      (or "其中" parent) ``key`` in template order; those the template does not require may be
      absent from a table and then drop out of the sum.

    Aliases are variants seen in real reports and count as exact; anything else that only
    resembles a label (difflib ratio ≥ 0.8) matches with ``label_exact=False``.
    """

    id: str
    title: str
    eras: frozenset[str]
    columns: tuple[TemplateColumn, ...]
    rows: tuple[TemplateRow, ...]
    groups: tuple[TemplateGroup, ...] = ()
    captions: tuple[str, ...] = ()
    start: tuple[str, ...] = ()
    header: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    index: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    label_prefix: str | None = None
    column_order: str = "template"
    section: str | None = None
    relations: tuple[TemplateRelation, ...] = ()

    def column(self, key: str) -> TemplateColumn | None:
        return self._columns_by_key.get(key)

    @cached_property
    def _columns_by_key(self) -> dict[str, TemplateColumn]:
        # Rules ask for a column's kind or label for every cell; the first of a key wins, as in a scan.
        by_key: dict[str, TemplateColumn] = {}
        for column in self.columns:
            by_key.setdefault(column.key, column)
        return by_key

    def row(self, key: str) -> TemplateRow | None:
        return next((row for row in self.rows if row.key == key), None)

    def labels(self) -> frozenset[str]:
        """Every caption, header, index, column, group and row label (and alias), folded with ``fold_label``."""
        texts = [*self.captions, *self.start, *self.header, *self.index]
        for column in self.columns:
            texts.extend((column.label, *column.aliases))
        for group in self.groups:
            texts.extend((group.label, *group.aliases))
        for row in self.rows:
            if not row.unlabeled:
                texts.extend((row.label, *row.aliases))
        return frozenset(fold_label(text) for text in texts)

    def group(self, key: str) -> TemplateGroup | None:
        return next((group for group in self.groups if group.key == key), None)

    def children(self, parent: str) -> list[TemplateRow]:
        """Rows declared as ``parent``'s children (附表 "其中" rows), in template order."""
        return [row for row in self.rows if row.parent == parent]

    def group_rows(self, group: str) -> list[TemplateRow]:
        """Rows of ``group`` and of its nested groups, in template order."""
        keys = {group}
        changed = True
        while changed:
            nested = {g.key for g in self.groups if g.parent in keys}
            changed = not nested <= keys
            keys |= nested
        return [row for row in self.rows if row.group in keys]


def _strings(data: Mapping[str, object], name: str, where: str) -> tuple[str, ...]:
    value = data.get(name, ())
    if isinstance(value, str):
        value = (value,)
    if not isinstance(value, (list, tuple)) or not all(isinstance(item, str) for item in value):
        raise ValueError(f"{where}：{name} 应为字符串列表")
    return tuple(value)


def _text(data: Mapping[str, object], name: str, where: str, default: str | None = None) -> str:
    value = data.get(name, default)
    if not isinstance(value, str) or not value:
        raise ValueError(f"{where}：缺少 {name} 或其不是字符串")
    return value


def _optional_text(data: Mapping[str, object], name: str, where: str) -> str | None:
    value = data.get(name)
    if value is not None and not isinstance(value, str):
        raise ValueError(f"{where}：{name} 应为字符串")
    return value


def _table_list(data: Mapping[str, object], name: str, where: str) -> list[Mapping[str, object]]:
    value = data.get(name, [])
    if not isinstance(value, list) or not all(isinstance(item, Mapping) for item in value):
        raise ValueError(f"{where}：{name} 应为表数组（[[{name}]]）")
    return value


def _check_patterns(patterns: Iterable[str], where: str) -> None:
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as error:
            raise ValueError(f"{where}：正则表达式 {pattern!r} 无效（{error}）") from None


def template_from_mapping(data: Mapping[str, object], origin: str = "插件") -> Template:
    """Build a :class:`Template` from a TOML-shaped mapping; raise ValueError (Chinese) if invalid."""
    where = f"表格模板（{origin}）"
    template_id = _text(data, "id", where)
    where = f"表格模板 {template_id}（{origin}）"
    eras = _strings(data, "eras", where)
    if not eras or not set(eras) <= {"2008", "2019", "2021"}:
        raise ValueError(f"{where}：eras 应为 2008、2019、2021 中的一个或多个")
    columns = []
    for item in _table_list(data, "columns", where):
        key = _text(item, "key", where)
        kind = _text(item, "kind", f"{where} 列 {key}", "count")
        if kind not in COLUMN_KINDS:
            raise ValueError(f"{where} 列 {key}：kind 应为 {'、'.join(sorted(COLUMN_KINDS))} 之一")
        patterns = _strings(item, "patterns", where)
        _check_patterns(patterns, where)
        columns.append(
            TemplateColumn(
                key=key,
                label=_text(item, "label", f"{where} 列 {key}"),
                kind=kind,
                aliases=_strings(item, "aliases", where),
                patterns=patterns,
                display=_optional_text(item, "display", where),
            )
        )
    if not columns:
        raise ValueError(f"{where}：至少需要一列（[[columns]]）")
    groups = []
    for item in _table_list(data, "groups", where):
        key = _text(item, "key", where)
        groups.append(
            TemplateGroup(
                key=key,
                label=_text(item, "label", f"{where} 分组 {key}"),
                aliases=_strings(item, "aliases", where),
                parent=_optional_text(item, "parent", where),
                row=_optional_text(item, "row", where),
            )
        )
    rows = []
    for item in _table_list(data, "rows", where):
        key = _text(item, "key", where)
        children = _optional_text(item, "children", where)
        if children not in (None, "sum", "overlap"):
            raise ValueError(f"{where} 行 {key}：children 应为 sum 或 overlap")
        patterns = _strings(item, "patterns", where)
        _check_patterns(patterns, where)
        required = item.get("required", True)
        unlabeled = item.get("unlabeled", False)
        if not isinstance(required, bool) or not isinstance(unlabeled, bool):
            raise ValueError(f"{where} 行 {key}：required、unlabeled 应为布尔值")
        rows.append(
            TemplateRow(
                key=key,
                label=_text(item, "label", f"{where} 行 {key}"),
                aliases=_strings(item, "aliases", where),
                patterns=patterns,
                group=_optional_text(item, "group", where),
                parent=_optional_text(item, "parent", where),
                children=children,
                required=required,
                unlabeled=unlabeled,
            )
        )
    if not rows:
        raise ValueError(f"{where}：至少需要一行（[[rows]]）")
    keyed = (("列", [c.key for c in columns]), ("行", [r.key for r in rows]), ("分组", [g.key for g in groups]))
    for kind, keys in keyed:
        duplicates = sorted({key for key in keys if keys.count(key) > 1})
        if duplicates:
            raise ValueError(f"{where}：{kind}键重复：{'、'.join(duplicates)}")
    group_keys = {group.key for group in groups}
    row_keys = {row.key for row in rows}
    for row in rows:
        if row.group is not None and row.group not in group_keys:
            raise ValueError(f"{where} 行 {row.key}：未定义的分组 {row.group}")
        if row.parent is not None and row.parent not in row_keys:
            raise ValueError(f"{where} 行 {row.key}：未定义的上级行 {row.parent}")
    column_order = _text(data, "column_order", where, "template")
    if column_order not in ("template", "header"):
        raise ValueError(f"{where}：column_order 应为 template 或 header")
    notes = _strings(data, "notes", where)
    _check_patterns(notes, where)
    label_prefix = _optional_text(data, "label_prefix", where)
    if label_prefix:
        _check_patterns([label_prefix], where)
    relations = tuple(
        _relation(item, columns, rows, groups, f"{where} 关系")
        for item in _table_list(data, "relations", where)
    )
    relation_ids = [relation.id for relation in relations]
    duplicates = sorted({key for key in relation_ids if relation_ids.count(key) > 1})
    if duplicates:
        raise ValueError(f"{where}：关系 id 重复：{'、'.join(duplicates)}")
    return Template(
        id=template_id,
        title=_text(data, "title", where),
        eras=frozenset(eras),
        columns=tuple(columns),
        rows=tuple(rows),
        groups=tuple(groups),
        captions=_strings(data, "captions", where),
        start=_strings(data, "start", where),
        header=_strings(data, "header", where),
        notes=notes,
        index=_strings(data, "index", where),
        units=_strings(data, "units", where),
        label_prefix=label_prefix or None,
        column_order=column_order,
        section=_optional_text(data, "section", where),
        relations=relations,
    )


_RELATION_KEYS = frozenset(
    {"id", "rule", "per", "left", "right", "op", "anchor", "within", "label", "explain", "meaning"}
)
_RULE_CODE = re.compile(r"^[A-Z]{2,4}[0-9]{3}$")


def _relation(
    data: Mapping[str, object],
    columns: list[TemplateColumn],
    rows: list[TemplateRow],
    groups: list[TemplateGroup],
    where: str,
) -> TemplateRelation:
    relation_id = _text(data, "id", where)
    where = f"{where} {relation_id}"
    unknown = sorted(set(data) - _RELATION_KEYS)
    if unknown:
        raise ValueError(f"{where}：未知的键 {'、'.join(unknown)}")
    rule = _text(data, "rule", where)
    if not _RULE_CODE.match(rule):
        raise ValueError(f"{where}：rule 应为规则代码（如 AR001），得到 {rule!r}")
    per = _text(data, "per", where)
    if per not in ("row", "column"):
        raise ValueError(f"{where}：per 应为 row 或 column")
    op = _text(data, "op", where, "=")
    if op not in RELATION_OPERATORS:
        raise ValueError(f"{where}：op 应为 {'、'.join(RELATION_OPERATORS)} 之一")
    meaning = _text(data, "meaning", where, "fault")
    if meaning not in RELATION_MEANINGS:
        raise ValueError(f"{where}：meaning 应为 {'、'.join(RELATION_MEANINGS)} 之一")
    row_keys = [row.key for row in rows]
    column_keys = [column.key for column in columns]
    term_keys, within_keys = (row_keys, column_keys) if per == "column" else (column_keys, row_keys)

    def terms(name: str) -> tuple[RelationTerm, ...]:
        found: list[RelationTerm] = []
        for key in _strings(data, name, where):
            if per == "column" and key.endswith(".*"):
                expanded = _group_members(key[:-2], rows, groups)
                if not expanded:
                    raise ValueError(f"{where}：{name} 中的 {key} 没有对应的行")
                found.extend(RelationTerm(row.key, row.required) for row in expanded)
            elif key in term_keys:
                found.append(RelationTerm(key))
            else:
                kind = "行" if per == "column" else "列"
                raise ValueError(f"{where}：{name} 中的 {key} 不是本表的{kind}键")
        if not found:
            raise ValueError(f"{where}：{name} 不能为空")
        return tuple(found)

    left, right = terms("left"), terms("right")
    anchor = _text(data, "anchor", where, left[0].key)
    if anchor not in {term.key for term in left + right}:
        raise ValueError(f"{where}：anchor {anchor} 不是关系中的一项")
    within = _strings(data, "within", where)
    stray = [key for key in within if key not in within_keys]
    if stray:
        raise ValueError(f"{where}：within 中的 {'、'.join(stray)} 不是本表的{'列' if per == 'column' else '行'}键")
    return TemplateRelation(
        id=relation_id,
        rule=rule,
        per=per,
        left=left,
        right=right,
        op=op,
        anchor=anchor,
        within=within,
        label=_optional_text(data, "label", where),
        explain=_optional_text(data, "explain", where),
        meaning=meaning,
    )


def _group_members(key: str, rows: list[TemplateRow], groups: list[TemplateGroup]) -> list[TemplateRow]:
    """The rows of group ``key`` (nested groups included) or the "其中" children of row ``key``."""
    keys = {key}
    changed = True
    while changed:
        nested = {group.key for group in groups if group.parent in keys}
        changed = not nested <= keys
        keys |= nested
    return [row for row in rows if row.group in keys or row.parent == key]


@lru_cache(maxsize=1)
def _builtin_templates() -> tuple[Template, ...]:
    return cached("templates", _read_builtin_templates)


def _read_builtin_templates() -> tuple[Template, ...]:
    folder = resources.files("nianbao.data").joinpath("templates")
    templates = []
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if entry.name.endswith(".toml"):
            data = tomllib.loads(entry.read_text(encoding="utf-8"))
            templates.append(template_from_mapping(data, origin=entry.name))
    return tuple(templates)


def load_templates(extra: Iterable[Mapping[str, object]] = ()) -> TemplateSet:
    """The built-in templates plus plugin-supplied ones (same schema as the TOML files).

    A plugin template with the id of a built-in one replaces it.
    """
    templates = {template.id: template for template in _builtin_templates()}
    for data in extra:
        template = data if isinstance(data, Template) else template_from_mapping(data)
        templates[template.id] = template
    return TemplateSet(list(templates.values()))


@lru_cache(maxsize=1)
def default_templates() -> TemplateSet:
    return load_templates()


# --- label matching ----------------------------------------------------------------------------


@lru_cache(maxsize=16384)
def _loose(folded: str) -> str:
    """A folded label without punctuation: "1、" and "1." or straight and curly quotes compare equal."""
    return "".join(char for char in folded if not unicodedata.category(char).startswith(("P", "S")))


@dataclass(frozen=True)
class _Entry:
    role: str  # caption | note | header | column | index | group | row
    key: str
    canonical: str
    loose: str = ""


# Which roles a label is read as first, by phase of the table.
_HEADER_ROLES = ("caption", "note", "header", "column", "index", "group", "row")
_DATA_ROLES = ("row", "group", "caption", "note", "header", "column", "index")


# Lookups remembered per matcher: a table tries every template on the same cells, and
# reports repeat the same labels. Bounded so a long run over many files stays small.
_LOOKUP_CACHE_SIZE = 8192


class _Matcher:
    """Label lookup for one template: exact, alias, punctuation-insensitive, pattern, then fuzzy.

    Lookups are pure functions of the cell text, so their results are remembered (the returned
    lists are shared and must not be changed by callers).
    """

    def __init__(self, template: Template) -> None:
        self.template = template
        self._exact_cache: dict[str, list[_Entry]] = {}
        self._fuzzy_cache: dict[tuple[str, Sequence[str]], tuple[_Entry, float] | None] = {}
        self._start_cache: dict[str, bool] = {}
        self._caption_cache: dict[str, bool] = {}
        self.exact_labels: dict[str, list[_Entry]] = {}
        self.loose_labels: dict[str, list[_Entry]] = {}
        self.fuzzy_entries: list[_Entry] = []
        self.patterns: list[tuple[re.Pattern[str], _Entry]] = []
        self.prefix = re.compile(template.label_prefix) if template.label_prefix else None
        self.notes = [re.compile(note) for note in template.notes]
        self.units = {fold_label(unit) for unit in template.units}
        self.starts = {fold_label(label) for label in (*template.captions, *template.start)}
        self.starts |= {_loose(label) for label in self.starts}
        self.captions = {fold_label(label) for label in template.captions}
        self.captions |= {_loose(label) for label in self.captions}
        for label in template.captions:
            self._add(_Entry("caption", "caption", label), [label])
        for label in template.header:
            self._add(_Entry("header", fold_label(label), label), [label])
        for label in template.index:
            self._add(_Entry("index", fold_label(label), label), [label])
        for column in template.columns:
            labels = [column.label, *column.aliases]
            self._add(_Entry("column", column.key, column.label), labels, column.patterns)
        self.group_labels: list[str] = []
        for group in template.groups:
            self._add(_Entry("group", group.key, group.label), [group.label, *group.aliases])
            self.group_labels.extend(fold_label(label) for label in (group.label, *group.aliases))
        for row in template.rows:
            if not row.unlabeled:
                self._add(_Entry("row", row.key, row.label), [row.label, *row.aliases], row.patterns)

    def _add(self, entry: _Entry, labels: list[str], patterns: Iterable[str] = ()) -> None:
        for label in labels:
            folded = fold_label(label)
            if entry.role == "row" and self.prefix:
                folded = self._strip_prefix(folded) or folded
            self.exact_labels.setdefault(folded, []).append(entry)
            self.loose_labels.setdefault(_loose(folded), []).append(entry)
            self.fuzzy_entries.append(_Entry(entry.role, entry.key, entry.canonical, _loose(folded)))
        for pattern in patterns:
            self.patterns.append((re.compile(pattern), entry))

    def _strip_prefix(self, folded: str) -> str:
        assert self.prefix is not None
        return self.prefix.sub("", folded, count=1)

    def _forms(self, text: str) -> list[str]:
        folded = fold_label(text)
        forms = [folded]
        if self.prefix:
            stripped = self._strip_prefix(folded)
            if stripped and stripped != folded:
                forms.append(stripped)
        return forms

    def exact(self, text: str) -> list[_Entry]:
        """Every template label ``text`` matches exactly (up to widths, spaces and punctuation)."""
        hits = self._exact_cache.get(text)
        if hits is None:
            hits = _remember(self._exact_cache, text, self._exact(text))
        return hits

    def _exact(self, text: str) -> list[_Entry]:
        forms = self._forms(text)
        for form in forms:
            hits = self.exact_labels.get(form) or self.loose_labels.get(_loose(form))
            if hits:
                return hits
        # A group label and its first item written in one cell: "（三）不予公开 1.属于国家秘密".
        for form in forms:
            for group_label in self.group_labels:
                if form.startswith(group_label) and len(form) > len(group_label):
                    rest = form[len(group_label):]
                    hits = self.exact_labels.get(rest) or self.loose_labels.get(_loose(rest))
                    if hits and any(entry.role == "row" for entry in hits):
                        return [entry for entry in hits if entry.role == "row"]
        if any(note.search(forms[0]) for note in self.notes):
            return [_Entry("note", "note", text)]
        hits = []
        for pattern, entry in self.patterns:
            form = forms[-1] if entry.role == "row" else forms[0]
            if pattern.search(form):
                hits.append(entry)
        return hits

    def fuzzy(self, text: str, roles: Sequence[str]) -> tuple[_Entry, float] | None:
        key = (text, roles)
        if key in self._fuzzy_cache:
            return self._fuzzy_cache[key]
        return _remember(self._fuzzy_cache, key, self._fuzzy(text, roles))

    def _fuzzy(self, text: str, roles: Sequence[str]) -> tuple[_Entry, float] | None:
        best: tuple[_Entry, float] | None = None
        for form in self._forms(text):
            loose = _loose(form)
            if len(loose) < 2:
                continue
            matcher = difflib.SequenceMatcher(None, "", loose)  # seq2 is the one SequenceMatcher indexes
            for entry in self.fuzzy_entries:
                if entry.role not in roles:
                    continue
                matcher.set_seq1(entry.loose)
                # Cheap upper bounds first: most labels are far apart in length or content.
                if matcher.real_quick_ratio() < FUZZY_THRESHOLD or matcher.quick_ratio() < FUZZY_THRESHOLD:
                    continue
                ratio = matcher.ratio()
                if ratio >= FUZZY_THRESHOLD and (best is None or ratio > best[1]):
                    best = (entry, ratio)
        return best

    def is_start(self, text: str) -> bool:
        start = self._start_cache.get(text)
        if start is None:
            folded = fold_label(text)
            start = _remember(
                self._start_cache,
                text,
                folded in self.starts or _loose(folded) in self.starts or any(note.search(folded) for note in self.notes),
            )
        return start

    def is_caption(self, text: str) -> bool:
        caption = self._caption_cache.get(text)
        if caption is None:
            folded = fold_label(text)
            caption = _remember(self._caption_cache, text, folded in self.captions or _loose(folded) in self.captions)
        return caption

    def is_unit(self, text: str) -> bool:
        return fold_label(text) in self.units


def _remember(cache: dict, key, value):
    """Store ``value`` under ``key`` in a lookup cache, emptying it first when it is full."""
    if len(cache) >= _LOOKUP_CACHE_SIZE:
        cache.clear()
    cache[key] = value
    return value


# --- part 3: recognition -----------------------------------------------------------------------


@dataclass
class Recognition:
    tables: list[SemanticTable] = field(default_factory=list)
    """Official tables found, in document order (one raw block may hold several)."""
    unrecognized: list[tuple[Span, str]] = field(default_factory=list)
    """Table-like runs that fit no template, with a short reason in Chinese (PS003)."""
    leftover: list[Cell] = field(default_factory=list)
    """Cells that belong to no table, e.g. web residue after the 附表 or a stray title before it."""


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


def _names_a_row(hits: list[_Entry]) -> bool:
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
        self, template: Template, matcher: _Matcher, items: list[_Item], delimited: bool, source: Table
    ) -> None:
        self.template = template
        self.matcher = matcher
        self.items = items
        self.delimited = delimited
        self.source = source
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
        while self.rows and self.rows[-1].key is None and not self.rows[-1].cells and self.rows[-1].label:
            row = self.rows.pop()
            trailing.insert(0, Cell(span=row.label_span, text=row.label))
        found = {row.key for row in self.rows if row.key is not None}
        missing = [row.key for row in self.template.rows if row.required and row.key not in found]
        columns = self.columns()
        table_spans = [span for span in self.spans if not any(span == cell.span for cell in trailing)]
        span = _cover(table_spans) if table_spans else self.source.span
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
                fuzzy = self.matcher.fuzzy(item.cell.text, ("row", "group"))
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
        self.unknown(item.cell, item.raw_row)
        return index + 1

    @staticmethod
    def prefer(hits: list[_Entry], roles: Sequence[str]) -> _Entry:
        return min(hits, key=lambda entry: roles.index(entry.role))

    def merge_wrapped(self, index: int) -> tuple[tuple[Cell, list[_Entry]], int] | tuple[None, int]:
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

    def record(self, entry: _Entry, weight: float) -> None:
        slot = (entry.role, fold_label(entry.canonical))
        self.evidence[slot] = max(self.evidence.get(slot, 0.0), weight)

    def label(self, cell: Cell, raw_row: int, entry: _Entry, exact: bool) -> None:
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
        if row is not None and self.takes(row, item):
            self.assign(row, item)
            return
        self.close()
        self.phase = "data"
        unlabeled = next((r for r in self.template.rows if r.unlabeled), None)
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
            self.record(_Entry("row", key, canonical or key), 1.0)
        for blank in blanks:
            self.spans.append(blank.cell.span)
            self.assign(self.current, blank)
        self.pending_blanks.clear()
        self.assign(self.current, item)

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
        if row.provisional and not any(cell.value.kind != "blank" for cell in row.cells):
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
                span=_cover(spans),
                group=row.group,
            )
        )


class TemplateSet:
    """The templates a run recognises tables with (built-ins plus plugin templates)."""

    def __init__(self, templates: Iterable[Template]) -> None:
        self.templates: list[Template] = list(templates)
        self._matchers = {template.id: _Matcher(template) for template in self.templates}

    def template(self, template_id: str) -> Template | None:
        return next((template for template in self.templates if template.id == template_id), None)

    @cached_property
    def _labels(self) -> frozenset[str]:
        return frozenset().union(*(template.labels() for template in self.templates))

    def labels(self) -> frozenset[str]:
        """Every label of every template, folded with ``fold_label`` (see :meth:`Template.labels`);
        computed once, since every document is normalised with it."""
        return self._labels

    def recognize(self, table: Table, era: str | None) -> Recognition:
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
        leading, segments = self._segment(items)
        delimited = table.rendering in _ROW_DELIMITED
        parsed_segments: list[_Parsed | None] = []
        for segment in segments:
            parsed_segments.append(self._best(segment, era, delimited, table))
        if not any(parsed_segments):
            reason = "表格内容与任何已知的年度报告表格模板都不对应"
            result.unrecognized.append((table.span, reason))
            return result
        if leading:
            if any(item.is_value and not item.blank for item in leading):
                span = _cover([item.cell.span for item in leading])
                result.unrecognized.append((span, "表格开头的数据无法对应到已知的表格模板"))
            else:
                result.leftover.extend(item.cell for item in leading if not item.blank)
        last = max(i for i, parsed in enumerate(parsed_segments) if parsed)
        for number, (segment, parsed) in enumerate(zip(segments, parsed_segments)):
            if parsed is None:
                span = _cover([item.cell.span for item in segment])
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
                parsed.table.span = parsed.table.span.cover(_cover([cell.span for cell in parsed.trailing]))
            elif parsed.trailing:
                result.leftover.extend(parsed.trailing)
            result.tables.append(parsed.table)
        return result

    def _segment(self, items: list[_Item]) -> tuple[list[_Item], list[list[_Item]]]:
        """Cut the cell stream where an official table starts (its caption or first header cell)."""
        leading: list[_Item] = []
        segments: list[list[_Item]] = []
        has_data = False
        for item in items:
            text = item.cell.text
            label = not item.is_value
            caption = label and any(m.is_caption(text) for m in self._matchers.values())
            start = label and any(m.is_start(text) for m in self._matchers.values())
            hits = [] if not label else [e for m in self._matchers.values() for e in m.exact(text)]
            if not segments:
                if hits:
                    segments.append([item])
                    has_data = _names_a_row(hits) and not start
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

    def _best(self, segment: list[_Item], era: str | None, delimited: bool, source: Table) -> _Parsed | None:
        candidates = []
        for order, template in enumerate(self.templates):
            matcher = self._matchers[template.id]
            if not any(not item.is_value and matcher.exact(item.cell.text) for item in segment):
                continue
            parsed = _TableParser(template, matcher, segment, delimited, source).run()
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
