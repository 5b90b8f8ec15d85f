"""Rendering 7: tables in ``pdftotext -layout`` text, read back into rows of cells.

pdftotext writes every text line of a PDF page as one line and pads it with spaces so that text
keeps its horizontal place. A table therefore arrives as:

* cells separated by runs of two or more spaces (one space may sit inside a cell: ``1 025``),
  except the header cells of narrow columns, which may stand one space apart ("结果 结果 其他");
* a cell whose text wraps continuing on the next lines at the same horizontal place, with the
  lines of the other cells in between when the row's cells are centred vertically (a value next
  to a two-line label often gets a line of its own, between the label's two halves);
* a merged cell (``(三)不予公开`` over eight rows) written on the lines of the rows it spans;
* empty cells written as nothing at all;
* the header rows written again at the top of the next page (after the form feed) when the
  PDF repeats them.

:func:`layout_rows` undoes this: it drops a repeated header, splits lines into fragments (a
header line's fragment made of pieces of template labels at its single spaces too), places them
by column, joins the fragments of one wrapped cell, orders the cells so that every row label
comes before its values, and puts an empty cell where a value column of a row is blank. The recogniser (:mod:`nianbao.tables.recognize`) then reads the cells like any other
stream of label and value cells.

Columns are measured in display columns: CJK characters are two wide, which is how the text
lines up when pdftotext pads by width. Two other measures are tried as well, and the block is
read in the one under which most fragments line up: one column per character (pdftotext
versions that count characters), and display columns in a CJK font, where the punctuation that
normalisation folded to ASCII ("（" → "(") and the ambiguous-width quotes (“ ”) are two wide.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Sequence

from nianbao.parse.headings import HEADING_ORDINAL
from nianbao.parse.lines import FRAGMENT, is_layout_row, is_value
from nianbao.parse.tree import Cell
from nianbao.text.location import Span
from nianbao.text.normalize import fold_label
from nianbao.text.patterns import LazyPattern

__all__ = ["layout_rows"]

# What a row label starts with ("一、", "(三)", "1.", "(1)", "其中:"): a fragment starting so begins
# a new cell rather than continuing the one above it. Normalised text has ASCII punctuation.
_ORDINAL = rf"{HEADING_ORDINAL}|\(\d{{1,2}}\)"
_ITEM_MARKER = LazyPattern(rf"其中:?|{_ORDINAL}")
_LABEL_PREFIX = LazyPattern(rf"(?:其中:?)?(?:{_ORDINAL})?")
_WORD = re.compile(r"[^ ]+")
# The fragments of one wrapped cell are at most this many lines apart: the line between
# them may hold the row's values (a value centred next to a two-line label).
_WRAP_REACH = 2


# ASCII punctuation that stands for full-width punctuation in normalised Chinese text.
_FOLDED_PUNCTUATION = frozenset("(),:;!?")


def _display_width(char: str) -> int:
    if char in "\f\v" or unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def _cjk_font_width(char: str) -> int:
    if char in _FOLDED_PUNCTUATION or unicodedata.east_asian_width(char) == "A":
        return 2
    return _display_width(char)


def _char_width(char: str) -> int:
    return 0 if char in "\f\v" else 1


# The ways of counting columns a block is tried with, the preferred one first (ties go to it).
_MEASURES = {"display": _display_width, "cjk-font": _cjk_font_width, "chars": _char_width}


@dataclass
class _Fragment:
    line: int
    """Index of its line among the block's non-blank lines."""
    offset: int
    """Offset of the line in the normalised text."""
    start: int
    end: int
    """Character range in the line."""
    text: str
    is_value: bool
    bounds: dict[str, tuple[int, int]]
    """Column range in each measure."""
    left: int = 0
    right: int = 0
    """Column range in the measure chosen for the block."""

    @property
    def span(self) -> Span:
        return Span(self.offset + self.start, self.offset + self.end)

    def overlaps(self, other: _Fragment) -> bool:
        return self.left < other.right and other.left < self.right


@dataclass
class _Line:
    offset: int
    text: str
    fragments: list[_Fragment]
    columns_by_measure: dict[str, list[int]]
    """Column at which each character of ``text`` starts, in each measure (one more for the end)."""
    values: list[_Fragment] = field(default_factory=list)
    """The value fragments at the end of the line: a data line has at least one."""
    columns: list[int] = field(default_factory=list)
    """The columns in the measure the block is read in."""


@dataclass
class _WrappedCell:
    fragments: list[_Fragment]

    @property
    def text(self) -> str:
        return "".join(fragment.text for fragment in self.fragments)

    @property
    def first(self) -> _Fragment:
        return self.fragments[0]

    @property
    def last(self) -> _Fragment:
        return self.fragments[-1]

    @property
    def right(self) -> int:
        return max(fragment.right for fragment in self.fragments)


def _read_line(number: int, offset: int, text: str, lexicon: _Lexicon | None) -> _Line:
    """The line's fragments; with ``lexicon``, a line of the table's header, whose fragments may
    hold several narrow header cells one space apart ("结果 结果 其他 尚未")."""
    columns_by_measure = {}
    for name, width in _MEASURES.items():
        columns = [0]
        for char in text:
            columns.append(columns[-1] + width(char))
        columns_by_measure[name] = columns

    def fragment(start: int, end: int) -> _Fragment:
        return _Fragment(
            line=number,
            offset=offset,
            start=start,
            end=end,
            text=text[start:end],
            is_value=is_value(text[start:end]),
            bounds={name: (columns[start], columns[end]) for name, columns in columns_by_measure.items()},
        )

    fragments = [fragment(match.start(), match.end()) for match in FRAGMENT.finditer(text)]
    if lexicon is not None and not (fragments and fragments[-1].is_value):
        fragments = [
            fragment(start, end)
            for piece in fragments
            for start, end in lexicon.header_cells(text, piece.start, piece.end)
        ]
    line = _Line(offset, text, fragments, columns_by_measure)
    for fragment in reversed(fragments):
        if not fragment.is_value:
            break
        line.values.insert(0, fragment)
    return line


def _aligned_pairs(lines: list[_Line], measure: str) -> int:
    """How many fragments start, end or are centred where one on the line above does."""
    score = 0
    for upper, lower in zip(lines, lines[1:]):
        for below in lower.fragments:
            left, right = below.bounds[measure]
            for above in upper.fragments:
                top_left, top_right = above.bounds[measure]
                if left == top_left or right == top_right or abs(left + right - top_left - top_right) <= 1:
                    score += 1
    return score


def _place(lines: list[_Line]) -> None:
    """Choose the column measure under which the block lines up, and place every fragment by it."""
    scores = {measure: _aligned_pairs(lines, measure) for measure in _MEASURES}
    measure = max(_MEASURES, key=lambda name: scores[name])  # the first of equal scores
    for line in lines:
        line.columns = line.columns_by_measure[measure]
        for fragment in line.fragments:
            fragment.left, fragment.right = fragment.bounds[measure]


class _Lexicon:
    """Template labels, to tell a wrapped label from two cells stacked in one column."""

    def __init__(self, labels: frozenset[str]) -> None:
        self.labels = labels
        self.prefixes = _prefixes(labels)

    def is_label(self, text: str) -> bool:
        """``text`` is a whole label, with or without its item marker ("其中:1.政府网站公开数")."""
        folded = fold_label(text)
        return folded in self.labels or _without_marker(folded) in self.labels

    def is_piece(self, text: str) -> bool:
        """``text`` is a template label or a piece of one ("结果", "审结" of "尚未审结")."""
        return _is_label_piece(self.labels, fold_label(text))

    def header_cells(self, text: str, start: int, end: int) -> list[tuple[int, int]]:
        """The cells of the fragment ``text[start:end]`` of a header line: its words, when they
        are pieces of template labels and the fragment as a whole is no label nor the beginning
        of one ("结果 结果 其他" is three cells, "指 标 名 称" one)."""
        words = [(start + match.start(), start + match.end()) for match in _WORD.finditer(text[start:end])]
        whole = fold_label(text[start:end])
        if len(words) < 2 or whole in self.labels or whole in self.prefixes:
            return [(start, end)]
        if all(self.is_piece(text[left:right]) for left, right in words):
            return words
        return [(start, end)]

    def starts_label(self, upper: str, lower: str) -> bool:
        """``upper`` followed by ``lower`` is a label or the beginning of one ("本年新" + "制作数量")."""
        joined = fold_label(upper + lower)
        forms = [joined]
        bare_upper = _without_marker(fold_label(upper))
        if bare_upper:  # "(三)" + "1.属于国家秘密" is a group and an item, not one label
            forms.append(bare_upper + fold_label(lower))
        return any(form in self.labels or form in self.prefixes for form in forms)


def _without_marker(folded: str) -> str:
    return _LABEL_PREFIX.sub("", folded, count=1)


@lru_cache(maxsize=8)  # one label set per run, in practice
def _joined_labels(labels: frozenset[str]) -> str:
    return "\n".join(sorted(labels))


@lru_cache(maxsize=4096)
def _is_label_piece(labels: frozenset[str], folded: str) -> bool:
    return bool(folded) and "\n" not in folded and folded in _joined_labels(labels)


@lru_cache(maxsize=8)  # one label set per run, in practice
def _prefixes(labels: frozenset[str]) -> frozenset[str]:
    return frozenset(label[:cut] for label in labels for cut in range(1, len(label)))


def layout_rows(lines: Sequence[tuple[int, str]], labels: frozenset[str]) -> list[list[Cell]]:
    """Rows of cells of a pdftotext layout block; ``labels`` are the template labels (folded).

    Each row is the cells keyed to one line: a row label with its values, or a header line.
    """
    content = _without_repeated_header([(offset, text) for offset, text in lines if text.strip()])
    lexicon = _Lexicon(labels)
    # The header is the lines above the first row: below it, one space apart are a row's label
    # pieces ("开 1.属": the end of a group cell beside an item), not header cells.
    first_row = next((number for number, (_, text) in enumerate(content) if is_layout_row(text)), len(content))
    block = [
        _read_line(number, offset, text, lexicon if number < first_row else None)
        for number, (offset, text) in enumerate(content)
    ]
    if not block:
        return []
    _place(block)
    cells = _join_wrapped(block, lexicon)
    labels_of_rows = _row_labels(block, cells)
    keyed = _key_cells(block, cells, labels_of_rows)
    keyed.extend(_blank_cells(block, labels_of_rows))
    keyed.sort(key=lambda item: (item[0], item[1]))
    rows: list[list[Cell]] = []
    current_key: int | None = None
    for key, _, cell in keyed:
        if key != current_key:
            rows.append([])
            current_key = key
        rows[-1].append(cell)
    return rows


def _without_repeated_header(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """The lines without the table's header lines written again at the top of a page.

    Read as cells, the repeat would start a second table and cut a merged cell that runs over
    the page break. Only lines equal to a header line (the lines before the first row), right
    after a form feed, are dropped.
    """
    header: set[str] = set()
    for _, text in lines:
        if is_layout_row(text):
            break
        header.add(text.strip(" \f"))
    kept: list[tuple[int, str]] = []
    repeating = False
    for offset, text in lines:
        repeating = (text.startswith("\f") or repeating) and text.strip(" \f") in header and bool(kept)
        if not repeating:
            kept.append((offset, text))
    return kept


def _join_wrapped(block: list[_Line], lexicon: _Lexicon) -> list[_WrappedCell]:
    """Text fragments right below one another in one column are one wrapped cell, unless they
    are two rows of the table (both beside their values, or the lower one starts a new item)."""
    cells: list[_WrappedCell] = []
    open_cells: list[_WrappedCell] = []
    for number, line in enumerate(block):
        open_cells = [cell for cell in open_cells if cell.last.line >= number - _WRAP_REACH]
        touching = {id(cell): [f for f in line.fragments if cell.last.overlaps(f)] for cell in open_cells}
        continued: set[int] = set()
        started: list[_WrappedCell] = []
        for fragment in line.fragments:
            if fragment.is_value:
                continue
            above = [cell for cell in open_cells if cell.last.overlaps(fragment)]
            # Only a one-to-one overlap is a wrap: a header cell over several columns is not.
            one_to_one = len(above) == 1 and touching[id(above[0])] == [fragment]
            if one_to_one and _continues(above[0], fragment, block, lexicon):
                above[0].fragments.append(fragment)
                continued.add(id(above[0]))
            else:
                started.append(_WrappedCell([fragment]))
        cells.extend(started)
        # A cell with something else right below it does not continue past that line.
        open_cells = [cell for cell in open_cells if id(cell) in continued or not touching[id(cell)]] + started
    return cells


def _continues(cell: _WrappedCell, fragment: _Fragment, block: list[_Line], lexicon: _Lexicon) -> bool:
    if lexicon.starts_label(cell.text, fragment.text):
        return True  # the pieces of a template label ("本年新" + "制作数量")
    if block[cell.last.line].values and block[fragment.line].values:
        return False  # two rows, each beside its own values
    if lexicon.is_label(cell.text) or lexicon.is_label(fragment.text):
        return False  # two complete labels stacked ("行政复议" over "结果维持")
    return not _ITEM_MARKER.match(fragment.text)


def _row_labels(block: list[_Line], cells: list[_WrappedCell]) -> dict[int, _WrappedCell]:
    """The label of each data line: of the cells whose lines reach over it, left of its values,
    the rightmost. A label wrapped around its values' line thus wins over a merged group cell
    that happens to stand on that line ("(四)无法" beside the values of the item it groups)."""
    labels: dict[int, _WrappedCell] = {}
    for number, line in enumerate(block):
        if not line.values:
            continue
        first_value = line.values[0].left
        beside = [
            cell
            for cell in cells
            if cell.first.line <= number <= cell.last.line and cell.right <= first_value
        ]
        if beside:
            labels[number] = max(beside, key=lambda cell: cell.first.left)
    return labels


def _key_cells(
    block: list[_Line], cells: list[_WrappedCell], row_labels: dict[int, _WrappedCell]
) -> list[tuple[int, int, Cell]]:
    """Each cell with the line it is read at and its column.

    A value is read at its own line, a row label at the line of its values, any other text at its
    first line. Reading the cells line by line in this order puts every label right before its
    values, and a merged group label before the row it stands beside.
    """
    key_of: dict[int, int] = {}
    for number, label in sorted(row_labels.items()):
        key_of.setdefault(id(label), number)
    keyed = []
    for cell in cells:
        span = cell.first.span.cover(cell.last.span)
        keyed.append((key_of.get(id(cell), cell.first.line), cell.first.left, Cell(span=span, text=cell.text)))
    for number, line in enumerate(block):
        for fragment in line.fragments:
            if fragment.is_value:
                keyed.append((number, fragment.left, Cell(span=fragment.span, text=fragment.text)))
    return keyed


def _blank_cells(block: list[_Line], row_labels: dict[int, _WrappedCell]) -> list[tuple[int, int, Cell]]:
    """Empty cells where a data line has nothing under a value column its neighbours fill.

    Columns are found per run of data lines (a header line of two or more cells starts a new
    run, as the next table may have other columns). When the columns are not clear-cut (a
    value straddles two, or no line fills them all) nothing is added: values then keep their
    order, as in the renderings that cannot show an empty cell.
    """
    blanks: list[tuple[int, int, Cell]] = []
    run: list[int] = []
    for number, line in enumerate(block):
        if line.values:
            run.append(number)
        elif len(line.fragments) >= 2 and run:
            blanks.extend(_blanks_in_run(block, run, row_labels))
            run = []
    if run:
        blanks.extend(_blanks_in_run(block, run, row_labels))
    return blanks


def _blanks_in_run(
    block: list[_Line], run: list[int], row_labels: dict[int, _WrappedCell]
) -> list[tuple[int, int, Cell]]:
    intervals = sorted((value.left, value.right) for number in run for value in block[number].values)
    columns: list[list[int]] = []
    for left, right in intervals:
        if columns and left < columns[-1][1]:
            columns[-1][1] = max(columns[-1][1], right)
        else:
            columns.append([left, right])
    widest = max(len(block[number].values) for number in run)
    if len(columns) != widest:
        return []
    placed: dict[int, list[int]] = {}
    for number in run:
        found = []
        for value in block[number].values:
            hits = [index for index, (left, right) in enumerate(columns) if value.left < right and left < value.right]
            if len(hits) != 1 or hits[0] in found:
                return []
            found.append(hits[0])
        placed[number] = found
    blanks = []
    for number in run:
        line = block[number]
        # Columns left of the row's label are the label area of another row, not blanks.
        label_end = row_labels[number].right if number in row_labels else -1
        for index, (left, _) in enumerate(columns):
            if index in placed[number] or left < label_end:
                continue
            position = next((i for i, column in enumerate(line.columns) if column >= left), len(line.text))
            position = min(position, len(line.text))
            blanks.append((number, left, Cell(span=Span(line.offset + position, line.offset + position), text="")))
    return blanks
