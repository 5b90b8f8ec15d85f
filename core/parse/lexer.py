"""The line lexer: the grammar's line terminals, then what the lines around a line decide.

Lark's basic lexer cuts normalised text into one token per line with the line terminals of
``grammars/report.lark`` (headings, captions, pipes, tabs, dates, prose). What a line *is* often
depends on its neighbours: a short "1.属于国家秘密" is a table row label after a table has
started and an item heading elsewhere; the first line is the title only if it reads as one; a
date line is the sign-off only near the end. :class:`LineLexer` (the grammar's post-lexer)
therefore retypes the tokens into the context-level terminals the grammar declares (TITLE,
TABLE_START, CELL, LIST_ITEM_HEAD, SIGNOFF_DATE …) before the LALR parser sees them, one named
function per decision. It reads the whole token stream first: a layout table's header lines are
known to be part of it only when its first row comes.
"""

from __future__ import annotations

from typing import Iterator

from lark import Token
from lark.lark import PostLex
from nianbao.parse.headings import read_heading
from nianbao.parse.lines import is_layout_row, is_spaced_line
from nianbao.parse.tree import Heading
from nianbao.text.location import Span

__all__ = ["LineLexer", "heading_of", "line_span"]

# Line terminals no grammar rule names: the context step turns them into TABLE_START / CELL / TEXT.
TABLE_OPENERS = frozenset({"BAR", "PIPE_LINE", "APPLICATION_ROW", "CAPTION", "TABLE_HEAD", "REVIEW_HEAD", "TAB_LINE"})
PIPE_KINDS = frozenset({"BAR", "PIPE_LINE"})
# Lines that may be a row of pdftotext layout text ("行政许可      30      17"); a section heading
# only inside a table ("三、本年度办理" beside a row), as "一、总体情况      1" outside one is a
# table of contents.
LAYOUT_ROW_SOURCES = frozenset({"TEXT", "SUB_HEAD", "ITEM_HEAD", "DATE_LINE"})
# Lines that, after a heading-like line inside a table, show it to be a cell: a row label, a cell.
ROW_LINE_KINDS = frozenset({"SUB_HEAD", "ITEM_HEAD", "APPLICATION_ROW", "BAR", "PIPE_LINE", "TAB_LINE"})
# Lines that no table crosses.
TABLE_ENDS = frozenset({"TITLE", "TITLE_CONT", "SIGNOFF_BODY", "SIGNOFF_DATE"})
# Lines that are prose unless a table or the sign-off takes them.
PROSE_KINDS = frozenset({"TEXT", "DATE_LINE", "TAB_LINE"})

# A tab-indented line this long is an indented paragraph, not a table cell.
MAX_TAB_CELL = 48
# Inside a cell table, a plain line this long (or a sentence) is prose again.
MAX_PLAIN_CELL = 40
MAX_TITLE = 60
# "某某县人民政府办公室" above "2021年政府信息公开工作年度报告": the issuing body's line of a two-line title.
MAX_TITLE_BODY_LINE = 30
# "工作报告" below "某局2019年度政府信息公开": the rest of a title wrapped over two lines.
MAX_TITLE_CONTINUATION = 12
# The sign-off date is among the last this many lines.
SIGNOFF_WINDOW = 6
# Header lines of a layout table above its first row: at most this many are taken into it, and a
# line of one cell only when indented this far (a header cell sits in its column; a short line
# of prose starts at the margin or a paragraph indent).
MAX_LAYOUT_HEADER_LINES = 8
MIN_LAYOUT_HEADER_INDENT = 8
# A "一、" whose title is longer than this (or empty: the line runs on) is a sentence, not a heading.
MAX_LIST_MARKER_TITLE = 25


class LineLexer(PostLex):
    """The post-lexer of the report grammar: line tokens in, context-level tokens out."""

    # Keeps the line terminals in Lark's lexer although no grammar rule names them. (Lark's parse
    # cache is keyed on the grammar text, not on this list: change the grammar when changing it.)
    always_accept = tuple(sorted(TABLE_OPENERS | {"DATE_LINE"}))

    def process(self, stream: Iterator[Token]) -> Iterator[Token]:
        tokens = list(stream)
        if tokens:
            _mark_title(tokens)
            _mark_signoff(tokens)
            _mark_tables(tokens)
            _mark_prose(tokens)
            _mark_list_markers(tokens)
        return iter(tokens)


def line_span(token: Token) -> Span:
    """Where a line token's text is, without the blanks around it."""
    value = token.value
    start = token.start_pos + (len(value) - len(value.lstrip()))
    end = token.start_pos + len(value.rstrip())
    return Span(start, max(start, end))


def heading_of(token: Token, level: int) -> Heading:
    """The heading a heading line token holds."""
    span = line_span(token)
    return read_heading(token.value[span.start - token.start_pos : span.end - token.start_pos], span.start, level)


def _retype(tokens: list[Token], index: int, kind: str) -> None:
    tokens[index] = Token.new_borrow_pos(kind, tokens[index].value, tokens[index])


def _is_short_line(text: str, limit: int) -> bool:
    text = text.strip()
    return len(text) <= limit and "。" not in text


# --- title and sign-off ---------------------------------------------------------------------------


def _is_title_like(text: str) -> bool:
    text = text.strip()
    if not text or len(text) > MAX_TITLE or "。" in text:
        return False
    return "报告" in text or ("政府信息公开" in text and "年" in text)


def _mark_title(tokens: list[Token]) -> None:
    """The first line is the title when it reads as one; a second line may complete it."""
    first = tokens[0]
    if first.type not in ("TEXT", "TAB_LINE"):
        return
    second = tokens[1] if len(tokens) > 1 else None
    second_text = second.value.strip() if second is not None and second.type == "TEXT" else ""
    if _is_title_like(first.value):
        _retype(tokens, 0, "TITLE")
        # "新余市商务局2019年度政府信息公开" + "工作报告"
        if "报告" not in first.value and second_text.endswith("报告") and len(second_text) <= MAX_TITLE_CONTINUATION:
            _retype(tokens, 1, "TITLE_CONT")
    elif (
        _is_short_line(first.value, MAX_TITLE_BODY_LINE)
        and second_text
        and "报告" in second_text
        and _is_title_like(second_text)
    ):
        # "某某县人民政府办公室" + "2021年政府信息公开工作年度报告"
        _retype(tokens, 0, "TITLE")
        _retype(tokens, 1, "TITLE_CONT")


def _mark_signoff(tokens: list[Token]) -> None:
    """The last date line near the end is the sign-off date; a short line right above it, the body."""
    start = max(0, len(tokens) - SIGNOFF_WINDOW)
    for index in range(len(tokens) - 1, start - 1, -1):
        if tokens[index].type != "DATE_LINE":
            continue
        _retype(tokens, index, "SIGNOFF_DATE")
        before = tokens[index - 1] if index > 0 else None
        if (
            before is not None
            and before.type in ("TEXT", "TAB_LINE")
            and _is_short_line(before.value, MAX_PLAIN_CELL)
        ):
            _retype(tokens, index - 1, "SIGNOFF_BODY")
        return


# --- tables ---------------------------------------------------------------------------------------


def _mark_tables(tokens: list[Token]) -> None:
    """A table opener line becomes TABLE_START and the lines that continue its table CELL."""
    in_table = pipe_table = False
    section = 0  # the number of the last section heading
    for index, token in enumerate(tokens):
        if token.type in TABLE_ENDS:
            in_table = False
            continue
        layout_row = _is_layout_row(token, in_table)
        if in_table and (
            _continues_table(token, layout_row, pipe_table) or _is_group_cell(tokens, index, section, pipe_table)
        ):
            _retype(tokens, index, "CELL")
            continue
        in_table = False
        if token.type == "SECTION_HEAD" and not layout_row:
            section = heading_of(token, level=1).number
        if layout_row:
            start = _layout_header_start(tokens, index)
            _retype(tokens, start, "TABLE_START")
            for position in range(start + 1, index + 1):
                _retype(tokens, position, "CELL")
            in_table, pipe_table = True, False
        elif _opens_table(token):
            _retype(tokens, index, "TABLE_START")
            in_table, pipe_table = True, token.type in PIPE_KINDS


def _is_layout_row(token: Token, in_table: bool) -> bool:
    kind = token.type
    return (kind in LAYOUT_ROW_SOURCES or (in_table and kind == "SECTION_HEAD")) and is_layout_row(token.value)


def _continues_table(token: Token, layout_row: bool, pipe_table: bool) -> bool:
    """Whether a line inside a table is one of its cells rather than the end of the table."""
    if token.type == "SECTION_HEAD" and not layout_row:
        return False
    if pipe_table:
        return token.type in PIPE_KINDS and not layout_row
    if token.type in ("TEXT", "DATE_LINE") and not layout_row:
        # A long line or a sentence is prose again, unless it is a header line of a layout table.
        return _is_short_line(token.value, MAX_PLAIN_CELL) or is_spaced_line(token.value)
    return True


def _is_group_cell(tokens: list[Token], index: int, section: int, pipe_table: bool) -> bool:
    """A heading-like line inside a table that cannot be the next section: its number does not go
    past the section's, and a row label, cell or row of the table follows it. It is a merged
    row-group cell alone on its line ("三、本年度办理结果" spaced out or wrapped, in section 三)."""
    token = tokens[index]
    if token.type != "SECTION_HEAD" or index + 1 >= len(tokens) or not _is_short_line(token.value, MAX_PLAIN_CELL):
        return False
    if heading_of(token, level=1).number > section:
        return False
    following = tokens[index + 1]
    layout_row = _is_layout_row(following, True)
    return (following.type in ROW_LINE_KINDS or layout_row) and _continues_table(following, layout_row, pipe_table)


def _opens_table(token: Token) -> bool:
    if token.type == "TAB_LINE":
        return _is_short_line(token.value, MAX_TAB_CELL)
    return token.type in TABLE_OPENERS


def _layout_header_start(tokens: list[Token], index: int) -> int:
    """Index of the first line of a layout table whose first row is ``tokens[index]``: the header
    lines above the row belong to the table (no opener among them, or the table would have
    started there)."""
    start = index
    while start > 0 and index - start < MAX_LAYOUT_HEADER_LINES:
        before = tokens[start - 1]
        if before.type not in PROSE_KINDS or not _is_layout_header_line(before.value):
            break
        start -= 1
    return start


def _is_layout_header_line(text: str) -> bool:
    if is_spaced_line(text):
        return True
    indent = len(text) - len(text.lstrip(" "))
    return indent >= MIN_LAYOUT_HEADER_INDENT and _is_short_line(text, MAX_PLAIN_CELL)


# --- prose and list markers -----------------------------------------------------------------------


def _mark_prose(tokens: list[Token]) -> None:
    """A date line that is not the sign-off, or a tab-indented line no table took, is a paragraph."""
    for index, token in enumerate(tokens):
        if token.type in ("DATE_LINE", "TAB_LINE"):
            _retype(tokens, index, "TEXT")


def _mark_list_markers(tokens: list[Token]) -> None:
    """"一、…" inside a section whose number does not go past the section's, with a sentence for a
    title, is a list marker ("一、进一步加强组织领导，把……"): an item of that section, not a new one."""
    section_number = None
    for index, token in enumerate(tokens):
        if token.type == "SIGNOFF_DATE":
            return  # what follows the sign-off belongs to no section
        if token.type != "SECTION_HEAD":
            continue
        heading = heading_of(token, level=1)
        if section_number is not None and heading.number <= section_number and _reads_as_prose(heading.title):
            _retype(tokens, index, "LIST_ITEM_HEAD")
        else:
            section_number = heading.number


def _reads_as_prose(title: str) -> bool:
    return not title or len(title) > MAX_LIST_MARKER_TITLE
