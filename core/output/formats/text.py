"""The default, pre-commit style output: ``path:line:col: CODE 错误：message [rule-name]``.

With ``--show-source`` each diagnostic is followed by the original line and a row of carets
under the fault. Chinese characters take two columns on a terminal, so the carets are placed
by display width (``wcwidth``), not by character count.
"""

from __future__ import annotations

import re
from typing import Sequence

from nianbao.engine.diagnostic import Diagnostic
from nianbao.output.formats import RunContext

TAB_WIDTH = 4
MAX_SOURCE_WIDTH = 100
"""Longer lines (a whole paragraph is often one line) are cut to a window around the fault."""
CONTEXT_BEFORE = 30
ELLIPSIS = "..."  # ASCII: "…" is of ambiguous width on CJK terminals
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class TextFormatter:
    name = "text"
    description = "每条一行：路径:行:列: 代码 级别：说明 [规则名]（DOCX/PDF 另注页码、段落或单元格）"
    streams = True
    """Output for several files is the output of each file in turn: printed as each is done."""

    def format(self, diagnostics: Sequence[Diagnostic], context: RunContext) -> str:
        if not context.show_source:
            return "".join(f"{format_line(item)}\n" for item in diagnostics)
        lines_by_path = {path: _LINE_BREAK.split(text) for path, text in context.sources.items()}
        out = []
        for item in diagnostics:
            out.append(f"{format_line(item)}\n")
            source_lines = lines_by_path.get(item.path)
            if source_lines is not None and 1 <= item.line <= len(source_lines):
                out.extend(f"{line}\n" for line in source_excerpt(item, source_lines[item.line - 1]))
        return "".join(out)


SEVERITY_WORDS = {"error": "错误", "warning": "警告", "info": "提示"}
"""How each line says how serious it is, after the code (the prefix editors parse stays as it was)."""


def format_line(item: Diagnostic) -> str:
    """One diagnostic: ``path:line:col: CODE 错误：message [rule-name]``; in a DOCX or PDF the place a
    person finds in the original follows the message in 〔〕."""
    severity = SEVERITY_WORDS[item.severity.value]
    return f"{item.path}:{item.line}:{item.column}: {item.code} {severity}：{item.message_with_place} [{item.name}]"


def source_excerpt(item: Diagnostic, line: str) -> list[str]:
    """The source line with a gutter, and carets under the fault on the next line.

    A fault that runs on past this line is underlined to the line's end; an empty one (a place
    where something is missing) gets a single caret.
    """
    location = item.location
    start = min(max(location.column - 1, 0), len(line))
    end = location.end_column - 1 if location.end_line == location.line else len(line)
    end = min(max(end, start), len(line))
    cells = [_display(char) for char in line]
    widths = [_width(shown) for shown in cells]

    # Cut an over-long line to a window that starts a little before the fault.
    first, last = 0, len(cells)
    if sum(widths) > MAX_SOURCE_WIDTH:
        first = start
        budget = CONTEXT_BEFORE
        while first > 0 and widths[first - 1] <= budget:
            first -= 1
            budget -= widths[first]
        last = first
        budget = MAX_SOURCE_WIDTH
        while last < len(cells) and widths[last] <= budget:
            budget -= widths[last]
            last += 1
        last = max(last, min(start + 1, len(cells)))
    lead = ELLIPSIS if first > 0 else ""
    tail = ELLIPSIS if last < len(cells) else ""
    shown = lead + "".join(cells[first:last]) + tail
    offset = _width(lead) + sum(widths[first:start])
    underline = max(sum(widths[start:min(end, last)]), 1)

    gutter = str(location.line)
    return [
        f"{gutter} | {shown}",
        f"{' ' * len(gutter)} | {' ' * offset}{'^' * underline}",
    ]


def _display(char: str) -> str:
    """How a character is shown: tabs as spaces, unprintable characters as U+FFFD."""
    if char == "\t":
        return " " * TAB_WIDTH
    from wcwidth import wcwidth

    return char if wcwidth(char) >= 0 else "\ufffd"


def _width(text: str) -> int:
    from wcwidth import wcswidth

    width = wcswidth(text)
    return width if width >= 0 else len(text)
