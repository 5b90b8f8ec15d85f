"""Kinds of line the grammar's terminals cannot tell by pattern alone: rows of pdftotext layout text.

Telling "行政许可      30      17" (a table row) from prose takes reading its cells as values, so
the line lexer asks these functions; the tables stage reads the same lines into cells.
"""

from __future__ import annotations

import re

from nianbao.text.values import parse_cell_value

__all__ = ["FRAGMENT", "MAX_LAYOUT_CELL", "is_layout_row", "is_spaced_line", "is_value"]

# A fragment: words with single spaces between them; two or more spaces (or a tab or form
# feed) end it.
FRAGMENT = re.compile(r"[^\s]+(?: [^\s]+)*")
# A fragment longer than this is prose, not a table cell (a layout line holds short cells).
MAX_LAYOUT_CELL = 40

def is_layout_row(text: str) -> bool:
    """A table row of pdftotext layout: cells separated by 2+ spaces, ending in value cells.

    "行政许可      30" and "0    1    0" are rows; a lone number is not. pdftotext writes no
    tabs, so a line with one belongs to the tab-indented rendering.
    """
    if "\t" in text or "  " not in text.strip():
        return False
    fragments = [match.group() for match in FRAGMENT.finditer(text)]
    if len(fragments) < 2 or any(len(fragment) > MAX_LAYOUT_CELL for fragment in fragments):
        return False
    return is_value(fragments[-1])


def is_spaced_line(text: str) -> bool:
    """A line of short cells separated by 2+ spaces (a header line of a layout table), not prose."""
    if "\t" in text:
        return False
    fragments = [match.group() for match in FRAGMENT.finditer(text)]
    return (
        len(fragments) >= 2
        and all(len(fragment) <= MAX_LAYOUT_CELL for fragment in fragments)
        and "。" not in text
    )


def is_value(text: str) -> bool:
    return parse_cell_value(text).kind in ("number", "dash")
