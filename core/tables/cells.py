"""Table blocks → cells: the rows and cells of a table block, whatever its rendering.

The grammar only locates a table block; :func:`build_table` splits its lines into a
:class:`~nianbao.parse.tree.Table` of rows and cells with exact spans. Reports write tables as

* ``bar-lines``: one cell per line (or run of lines), lone "|" lines between the cells;
* ``pipe-rows``: one row per line, cells joined by " | ";
* ``markdown``: GFM pipe tables (outer pipes and the delimiter row are syntax);
* ``tab-cells``: a tab starts a cell, a line without one continues it;
* ``cell-lines``: one cell per line, blank lines between runs;
* ``layout``: ``pdftotext -layout`` columns, read by :mod:`nianbao.tables.layout`.

Nothing is interpreted here: which cell is a label and which a value is decided by the
recogniser (:mod:`nianbao.tables.recognize`).
"""

from __future__ import annotations

import re
from typing import Sequence

from nianbao.parse.lines import is_layout_row
from nianbao.parse.tree import Cell, Row, Table
from nianbao.tables.layout import layout_rows
from nianbao.tables.templates import default_templates
from nianbao.text.location import Span

__all__ = ["RENDERINGS", "ROW_DELIMITED", "build_table", "cover"]

RENDERINGS = ("bar-lines", "pipe-rows", "markdown", "tab-cells", "cell-lines", "layout")

# Renderings whose rows are real table rows: a label's values never continue onto the next row.
# (``layout`` rows are rebuilt from the text's geometry, so they are read as a stream, like the
# renderings without rows: a misplaced line break cannot then cut a row short.)
ROW_DELIMITED = frozenset({"pipe-rows", "markdown", "tab-cells"})

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
        built = layout_rows(lines, default_templates().labels if labels is None else labels)
    else:
        builder = {
            "bar-lines": _bar_lines,
            "pipe-rows": _pipe_rows,
            "markdown": _markdown,
            "tab-cells": _tab_cells,
            "cell-lines": _cell_lines,
        }[rendering]
        built = builder(lines)
    rows = [Row(span=cover([cell.span for cell in cells]), cells=cells) for cells in built if cells]
    if rows:
        span = cover([row.span for row in rows])
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


def _without_outer_pipes(text: str, runs: bool = False) -> tuple[int, int]:
    """Bounds of ``text`` without one leading and one trailing pipe (and the spaces around them);
    with ``runs``, without every pipe and space around it ("0 | ||" → "0")."""
    start, end = 0, len(text)
    while True:
        stripped_left = start + len(text[start:end]) - len(text[start:end].lstrip())
        if text[stripped_left:stripped_left + 1] != "|" or stripped_left >= end:
            break
        start = stripped_left + 1
        if not runs:
            break
    while True:
        right = start + len(text[start:end].rstrip())
        if not (right > start and text[right - 1] == "|" and (right < 2 or text[right - 2] != "\\")):
            break
        end = right - 1
        if not runs:
            break
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
            start, end = _without_outer_pipes(text, runs=True)
            span, core = _stripped(offset, text, start, end)
            fragments.append((span, core))
            previous_bar_end = None
    flush()
    return rows


def _pipe_rows(lines: list[tuple[int, str]]) -> list[list[Cell]]:
    """One row per line, cells joined by " | ".

    The empty cells at the row's end are kept (a value left blank in the last columns is a blank
    cell, not a missing one); only what follows the last pipe is no cell. The recogniser drops
    the empties beyond a table's columns as padding ("31 | ||").
    """
    rows = []
    for offset, text in lines:
        if not text.strip():
            continue
        start, end = _without_outer_pipes(text)
        cells = _split_pipes(offset, text, start, end)
        if not any(cell.text for cell in cells):
            continue
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
        start, end = _without_outer_pipes(text, runs=True)
        span, core = _stripped(offset, text, start, end)
        rows[-1].append(Cell(span=span, text=core))
    return rows


def cover(spans: list[Span]) -> Span:
    """The smallest span that covers every one of ``spans``."""
    return Span(min(span.start for span in spans), max(span.end for span in spans))
