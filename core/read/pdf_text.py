"""The prose of a PDF page: characters → lines → paragraphs, without running headers and footers.

A PDF has no lines or paragraphs, only glyphs at positions. This module rebuilds them the way a
reader sees them:

* **lines**: glyphs whose vertical centres lie within half a glyph height of each other, read left
  to right. A gap of a word space between two glyphs that are not both CJK becomes one space (the
  "2024 年" of a report is kept as the PDF has it); CJK text never gets spaces inside it. A gap of
  more than :data:`COLUMN_GAP` ems is a column gap: it becomes a run of spaces that puts the next
  glyph at the display column its position calls for, as ``pdftotext -layout`` writes it.
* **page numbers and running headers/footers**: the first and last lines of a page inside the top
  or bottom margin band that read as a page number ("- 1 -", "第 1 页 共 6 页", "3/6"), or whose
  text (digits aside) stands at the same height on most pages, are not part of the report.
* **paragraphs**: a line that runs to the right margin continues on the next line when that line
  starts at the left margin, is not indented, is no heading ("一、", "（一）", "1.") and has the
  same type size; on the next page too, when nothing else stands between.
* **layout blocks**: consecutive lines with column gaps (a table drawn without ruling lines) are
  never reflowed; each keeps its columns, indented from the block's left edge.
"""

from __future__ import annotations

import math
import re
import statistics
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from nianbao.read.assemble import Box

__all__ = [
    "COLUMN_GAP",
    "Glyph",
    "Margins",
    "TextLine",
    "cluster_glyphs",
    "continues_paragraph",
    "find_margins",
    "is_cjk",
    "is_narrow",
    "joined_text",
    "layout_blocks",
    "make_line",
    "render_glyphs",
    "strip_running_lines",
]

# Gaps in ems (the glyph's type size). Above WORD_GAP two glyphs that are not both CJK are
# separate words; above COLUMN_GAP any two glyphs are in separate columns.
WORD_GAP = 0.15
COLUMN_GAP = 1.5
# CJK text runs on without gaps (justified text spreads it a little, and sets a quarter em beside
# a number): a gap of more than this many ems next to a CJK glyph parts two columns.
CJK_COLUMN_GAP = 0.6
# Between two rows of a table drawn without ruling lines, lines narrower than this share of the
# text width are the wrapped halves of its cells.
NARROW = 0.4
# A line "runs to the right margin" when it ends at most this many ems before it.
RIGHT_MARGIN_SLACK = 2.0
# A line "starts at the left margin" when it starts at most this many ems after it.
LEFT_MARGIN_SLACK = 0.6
# Lines of one paragraph are at most this many ems apart (the space between them, not their pitch).
MAX_LINE_SPACING = 2.0
# More space than the usual line gap plus this many ems between two lines is a paragraph break.
PARAGRAPH_SPACING = 0.5
# Text at least this many times the body text's size is a display heading (a report's title).
DISPLAY_SIZE = 1.2
# The body text of a report spans at least this share of the page's width.
MIN_TEXT_WIDTH = 0.5
# Share of the page height at its top and bottom where headers, footers and page numbers stand.
MARGIN_BAND = 0.12

_HEADING_START = re.compile(
    r"\s*(?:[一二三四五六七八九十]{1,3}\s*[、.．]"
    r"|[（(]\s*[一二三四五六七八九十]{1,3}\s*[)）]"
    r"|\d{1,2}\s*[、.．](?![\d.．])"
    r"|[（(]\d{1,2}[)）]"
    r"|第[一二三四五六七八九十百\d]+[章节部分条])"
)
_DIGITS = re.compile(r"\d+")
_PAGE_NUMBER = re.compile(
    r"[-—–－―_\s]*\d{1,4}[-—–－―_\s]*"
    r"|第\s*\d{1,4}\s*页\s*[，,/]?\s*(?:共\s*\d{1,4}\s*页)?"
    r"|共\s*\d{1,4}\s*页\s*[，,/]?\s*第\s*\d{1,4}\s*页"
    r"|(?:第\s*)?\d{1,4}\s*/\s*(?:共\s*)?\d{1,4}\s*页?"
    r"|(?:page\s*)?\d{1,4}\s*(?:of|/)\s*\d{1,4}",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Glyph:
    """One character drawn on a page, in PDF points from the page's top left."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    confidence: float | None = None
    upright: bool = True

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def box(self) -> Box:
        return (self.x0, self.top, self.x1, self.bottom)


@dataclass
class TextLine:
    """One line of text on a page: its glyphs, and its text with one box (and confidence) per
    character of ``text``."""

    page: int
    glyphs: list[Glyph]
    text: str
    boxes: list[Box | None]
    confidences: list[float | None] | None = None
    columnar: bool = False
    """It has a column gap: it is a row of a table drawn without ruling lines."""
    page_line: int = 0
    """Its 1-based number among its page's text lines, once headers and footers are removed."""

    @property
    def x0(self) -> float:
        return self.glyphs[0].x0

    @property
    def x1(self) -> float:
        return max(glyph.x1 for glyph in self.glyphs)

    @property
    def top(self) -> float:
        return min(glyph.top for glyph in self.glyphs)

    @property
    def bottom(self) -> float:
        return max(glyph.bottom for glyph in self.glyphs)

    @property
    def size(self) -> float:
        """The line's type size: the median of its glyphs' sizes."""
        return statistics.median(glyph.size for glyph in self.glyphs)


@dataclass(frozen=True)
class Margins:
    """Where the body text of the pages starts and ends horizontally, and its type size."""

    left: float
    right: float
    body_size: float = 0.0
    line_gap: float = 0.0
    """The usual space between the bottom of a line and the top of the next."""


def is_cjk(char: str) -> bool:
    """A CJK character or full-width punctuation: text that is never separated by spaces."""
    return unicodedata.east_asian_width(char[:1]) in "WF"


def _display_width(text: str) -> int:
    return sum(2 if is_cjk(char) else 1 for char in text)


# --- lines ---------------------------------------------------------------------------------------


def cluster_glyphs(glyphs: Iterable[Glyph]) -> list[list[Glyph]]:
    """Glyphs grouped into lines, top to bottom, each read left to right."""
    lines: list[list[Glyph]] = []
    anchor = size = 0.0
    for glyph in sorted(glyphs, key=lambda glyph: (glyph.middle, glyph.x0)):
        if lines and glyph.middle - anchor <= 0.5 * max(size, glyph.size):
            lines[-1].append(glyph)
            size = max(size, glyph.size)
        else:
            lines.append([glyph])
            anchor, size = glyph.middle, glyph.size
    for line in lines:
        line.sort(key=lambda glyph: glyph.x0)
    return lines


def render_glyphs(
    glyphs: Sequence[Glyph], unit: float | None = None, origin: float | None = None, *, spaces: bool = True
) -> tuple[str, list[Box | None], list[float | None], bool]:
    """The text of one line's glyphs with a box and a confidence per character, and whether the
    line has a column gap.

    ``unit`` is the width of one display column (half an em: an ASCII character in a CJK font);
    ``origin``, when given, is the x position of display column 0, and the line is indented to
    where it starts. ``spaces=False`` (text in a table cell) puts no space between CJK glyphs even
    across a wide gap, since a cell spreads its characters to fill its width.
    """
    text: list[str] = []
    boxes: list[Box | None] = []
    confidences: list[float | None] = []
    visible = [glyph for glyph in glyphs if not glyph.text.isspace()]
    if not visible:
        return "", [], [], False
    if unit is None:
        unit = statistics.median(glyph.size for glyph in visible) / 2
    unit = max(unit, 0.5)
    base = visible[0].x0 if origin is None else origin
    column = 0

    def add(chars: str, box: Box | None, confidence: float | None) -> None:
        nonlocal column
        for char in chars:
            text.append(char)
            boxes.append(box)
            confidences.append(confidence)
        column += _display_width(chars)

    if origin is not None:
        add(" " * max(round((visible[0].x0 - origin) / unit), 0), None, None)
    columnar = False
    previous: Glyph | None = None
    spaced = False
    for glyph in glyphs:
        if glyph.text.isspace():
            spaced = previous is not None
            continue
        if previous is not None:
            gap = glyph.x0 - previous.x1
            em = min(previous.size, glyph.size)
            both_cjk = is_cjk(previous.text) and is_cjk(glyph.text)
            any_cjk = is_cjk(previous.text) or is_cjk(glyph.text)
            if spaces and gap >= (CJK_COLUMN_GAP if any_cjk else COLUMN_GAP) * em:
                target = round((glyph.x0 - base) / unit)
                add(" " * max(target - column, 2), None, None)
                columnar = True
            elif (spaced and spaces) or ((spaced or gap > WORD_GAP * em) and not both_cjk):
                add(" ", None, None)
        add(glyph.text, glyph.box, glyph.confidence)
        previous, spaced = glyph, False
    return "".join(text), boxes, confidences, columnar


def make_line(page: int, glyphs: list[Glyph], *, spaces: bool = True) -> TextLine:
    """A line from its glyphs (left to right); ``spaces`` as for :func:`render_glyphs`."""
    text, boxes, confidences, columnar = render_glyphs(glyphs, spaces=spaces)
    has_confidence = any(value is not None for value in confidences)
    return TextLine(page, glyphs, text, boxes, confidences if has_confidence else None, columnar)


def layout_blocks(lines: Sequence[TextLine]) -> list[tuple[int, int]]:
    """``(first, end)`` index ranges of the runs of lines that form a table drawn without ruling
    lines: at least two columnar lines, with nothing between them but narrow lines (the wrapped
    halves of a cell have no column gap of their own) or at most two others."""
    if not lines:
        return []
    blocks: list[tuple[int, int]] = []
    last = -1
    for index, line in enumerate(lines):
        if not line.columnar:
            continue
        between = lines[last + 1 : index]
        if blocks and last >= 0 and (
            len(between) <= 2 or all(is_narrow(other, lines) for other in between)
        ):
            blocks[-1] = (blocks[-1][0], index + 1)
        else:
            blocks.append((index, index + 1))
        last = index
    blocks = [(first, end) for first, end in blocks if sum(lines[i].columnar for i in range(first, end)) >= 2]
    # The wrapped halves of the last row's cells follow it closely.
    for number, (first, end) in enumerate(blocks):
        while end < len(lines) and _wrapped_piece(lines[end - 1], lines[end], lines):
            end += 1
        blocks[number] = (first, end)
    return blocks


def _wrapped_piece(line: TextLine, following: TextLine, lines: Sequence[TextLine]) -> bool:
    return (
        not following.columnar
        and is_narrow(following, lines)
        and not is_heading(following.text)
        and 0 <= following.top - line.bottom <= line.size
    )


def is_narrow(line: TextLine, lines: Sequence[TextLine]) -> bool:
    """Whether ``line`` is narrow beside the text width of ``lines``: a wrapped piece of a cell."""
    width = max(other.x1 for other in lines) - min(other.x0 for other in lines)
    return line.x1 - line.x0 < NARROW * width


def render_layout_block(lines: Sequence[TextLine], grid: tuple[float, float] | None = None) -> tuple[float, float]:
    """Rewrite a layout block's lines so that they share one column grid, from its left edge; or
    on ``grid`` (origin and unit, as returned), the grid of the block it continues. Returns the
    grid."""
    origin = min(line.x0 for line in lines)
    unit = statistics.median(glyph.size for line in lines for glyph in line.glyphs) / 2
    if grid is not None and grid[0] <= origin + unit:
        origin, unit = grid
    for line in lines:
        line.text, line.boxes, confidences, _ = render_glyphs(line.glyphs, unit, origin)
        if line.confidences is not None:
            line.confidences = confidences
        line.columnar = True
    return origin, unit


# --- running headers, footers and page numbers ---------------------------------------------------


def strip_running_lines(pages: Sequence[Sequence[TextLine]], heights: Sequence[float]) -> list[list[TextLine]]:
    """Each page's lines without its page number and the headers and footers it shares with most
    other pages. ``pages[i]`` are page i's prose lines top to bottom, ``heights[i]`` its height."""
    candidates = [_margin_lines(lines, height) for lines, height in zip(pages, heights)]
    seen: dict[tuple[str, int], set[int]] = defaultdict(set)
    for page, lines in enumerate(candidates):
        for line in lines:
            seen[_running_key(line)].add(page)
    needed = max(2, (len(pages) + 1) // 2)
    running = {key for key, found in seen.items() if len(found) >= needed}
    kept = []
    for lines, margin in zip(pages, candidates):
        drop = {id(line) for line in margin if _PAGE_NUMBER.fullmatch(line.text.strip()) or _running_key(line) in running}
        kept.append([line for line in lines if id(line) not in drop])
    return kept


def _margin_lines(lines: Sequence[TextLine], height: float) -> list[TextLine]:
    """The first two and last two lines of a page when they stand in its top or bottom band."""
    band = MARGIN_BAND * height
    top = [line for line in lines[:2] if line.bottom <= band]
    bottom = [line for line in lines[-2:] if line.top >= height - band]
    return top + [line for line in bottom if line not in top]


def _running_key(line: TextLine) -> tuple[str, int]:
    """What a running line shares across pages: its text with digits and spaces aside, its height."""
    return _DIGITS.sub("#", "".join(line.text.split())), round(line.top / 3)


# --- paragraphs ----------------------------------------------------------------------------------


def find_margins(lines: Sequence[TextLine], page_width: float) -> Margins | None:
    """The body text's margins and spacing. Left: where most lines start. Right: where the long
    lines end, taken high (justified text ends at the margin, ragged text short of it, and a line
    ending in punctuation may hang past it); none (no line runs to it) when the lines are all
    short, spanning less than :data:`MIN_TEXT_WIDTH` of the page. Line gap: the usual space
    between two lines."""
    if not lines:
        return None
    starts = Counter(round(line.x0) for line in lines)
    left = min(line.x0 for line in lines if round(line.x0) == starts.most_common(1)[0][0])
    widest = max(line.x1 for line in lines)
    ends = sorted(line.x1 for line in lines if line.x1 - left >= 0.5 * (widest - left))
    right = ends[min(len(ends) - 1, int(0.8 * len(ends)))]
    if right - left < MIN_TEXT_WIDTH * page_width:
        right = math.inf
    body_size = Counter(round(glyph.size, 1) for line in lines for glyph in line.glyphs).most_common(1)[0][0]
    gaps = [
        following.top - line.bottom
        for line, following in zip(lines, lines[1:])
        if following.page == line.page and following.top > line.bottom - 1 and abs(following.size - line.size) < 0.5
    ]
    line_gap = statistics.median(gaps) if gaps else body_size
    return Margins(left, right, body_size, max(line_gap, 0.0))


def is_heading(text: str) -> bool:
    """A heading or list item starts with its ordinal: "一、", "（一）", "1.", "（1）", "第一章"."""
    return _HEADING_START.match(text) is not None


def continues_paragraph(line: TextLine, following: TextLine, margins: Margins, *, same_page: bool = True) -> bool:
    """Whether ``following`` is the next line of the paragraph ``line`` belongs to."""
    if line.columnar or following.columnar:
        return False
    size = line.size
    if abs(following.size - size) > 0.2 * size:
        return False
    if same_page and _is_display_heading(line, following, margins):
        return True
    if line.x1 < margins.right - RIGHT_MARGIN_SLACK * size:
        return False
    if following.x0 > margins.left + LEFT_MARGIN_SLACK * size:
        return False
    if is_heading(following.text):
        return False
    if same_page:
        # A paragraph break may show only as more space between the lines (no indent).
        gap = following.top - line.bottom
        if not -0.5 <= gap <= min(MAX_LINE_SPACING * size, margins.line_gap + PARAGRAPH_SPACING * size):
            return False
    return True


def _is_display_heading(line: TextLine, following: TextLine, margins: Margins) -> bool:
    """Two lines of one heading set larger than the body text (a title centred over two lines)."""
    size = line.size
    return (
        margins.body_size > 0
        and size >= DISPLAY_SIZE * margins.body_size
        and abs(following.size - size) <= 0.05 * size
        and 0 <= following.top - line.bottom + 0.5 <= size
    )


@dataclass
class JoinedText:
    text: str
    boxes: list[Box | None] = field(default_factory=list)
    confidences: list[float | None] | None = None
    starts: list[int] = field(default_factory=list)
    """Where each line's text starts in ``text``."""


def joined_text(lines: Sequence[TextLine]) -> JoinedText:
    """The lines of one paragraph as one text: lines meet without a break, or with one space
    between two words of Latin script."""
    text: list[str] = []
    boxes: list[Box | None] = []
    confidences: list[float | None] = []
    starts: list[int] = []
    length = 0
    with_confidence = any(line.confidences is not None for line in lines)
    for line in lines:
        content = line.text.strip()
        lead = len(line.text) - len(line.text.lstrip())
        if text and _needs_space(text[-1], content[:1]):
            text.append(" ")
            boxes.append(None)
            confidences.append(None)
            length += 1
        starts.append(length)
        length += len(content)
        text.append(content)
        boxes.extend(line.boxes[lead : lead + len(content)])
        values = line.confidences if line.confidences is not None else [None] * len(line.text)
        confidences.extend(values[lead : lead + len(content)])
    return JoinedText("".join(text), boxes, confidences if with_confidence else None, starts)


def _needs_space(before: str, after: str) -> bool:
    if not before or not after:
        return False
    last = before[-1]
    return not (is_cjk(last) or is_cjk(after) or last.isspace() or last in "-‐/" or after in ".,;:!?)")
