"""Reading OFD files (GB/T 33190, China's fixed-layout format): a zip of XML pages of placed glyphs.

An OFD holds no paragraphs or tables, only text objects placed on pages in millimetres. The reader
follows the package — ``OFD.xml`` → each document's ``Document.xml`` → each page's ``Content.xml``
— and takes every glyph's position from its ``TextCode`` (``X``/``Y`` and the ``DeltaX``/``DeltaY``
offsets, with their ``g count value`` repeats). Glyphs sharing a baseline form a line, written
as ``pdftotext -layout`` writes it: indentation and the gaps between cells as runs of spaces in
proportion to the distance, so a table (drawn with paths, which are not read) comes out as rows
of layout text that :mod:`nianbao.tables.layout` reads. A line running to the right margin goes
on into the next unindented line, on the same page or the next: such a paragraph is one line of
text, each part keeping its own page and line. Every character keeps its box on the page.
"""

from __future__ import annotations

import posixpath
import re
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from math import isfinite

from nianbao.read.assemble import Box, TextAssembler
from nianbao.read.formats import ReadLimits
from nianbao.read.safety import SafeZip, open_zip, parse_xml
from nianbao.read.source import ReadError, SourceFacts, SourceText, iso_date
from nianbao.text.location import Place

__all__ = ["read_ofd"]

LABEL = "OFD 文件"
_CONVERT = "请用数科阅读器或福昕 OFD 版式办公套件打开后“另存为” PDF 再检查"
_POINTS_PER_MM = 72 / 25.4
# Coordinates are millimetres on a page; a value past this is no place on any page.
_MAX_COORDINATE = 10_000.0
# A glyph's ink above and below its baseline, as a share of the font size (CJK fonts).
_ASCENT, _DESCENT = 0.86, 0.14
# Glyphs on one line have baselines closer than this share of the font size.
_SAME_LINE = 0.3
# A gap of at least this many font sizes is a space between words; of at least this many (one and
# a half of pdftotext's columns, where a CJK character is two), a boundary between table cells or
# other text set apart, written as two or more spaces as pdftotext does.
_WORD_GAP, _CELL_GAP = 0.3, 0.75
# A line ending within this many font sizes of the right margin ran on into the next line; the
# next line continues it when it starts within this many of the left margin (not indented).
_RUNS_TO_MARGIN, _AT_MARGIN = 1.2, 0.5
# A paragraph's first line is indented by this many font sizes or more ("两字" is two), and a
# full line starts at most this far in.
_MIN_INDENT, _MAX_INDENT = 1.0, 4.5
# Lines of prose at least this long set the margins (a paragraph's full lines share them).
_MARGIN_LINE = 10
# Lines of one paragraph are at most this many font sizes apart.
_LINE_SPACING = 2.5
# Indentation and gaps are written as at most this many spaces.
_MAX_COLUMN = 400
# A line holding only a page number: "- 3 -", "—3—", "3", "第 3 页 共 8 页", "3/8".
_PAGE_NUMBER = re.compile(
    r"[-－—–\s]*\d{1,4}[-－—–\s]*|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4}"
)
_DATE = re.compile(r"(\d{4})\s*[-/.年]?\s*(\d{1,2})\s*[-/.月]?\s*(\d{1,2})")
_LATIN = re.compile(r"[A-Za-z0-9]")


@dataclass(slots=True)
class _Glyph:
    char: str
    x0: float
    x1: float
    baseline: float
    size: float
    spaces: int = 0
    """Spaces typed just before the glyph in its text code."""

    def box(self) -> Box:
        return (
            self.x0 * _POINTS_PER_MM,
            (self.baseline - _ASCENT * self.size) * _POINTS_PER_MM,
            self.x1 * _POINTS_PER_MM,
            (self.baseline + _DESCENT * self.size) * _POINTS_PER_MM,
        )


@dataclass
class _Line:
    """The glyphs of one printed line, left to right, and where the line is."""

    page: int
    number: int
    glyphs: list[_Glyph]
    width_class: float
    """The page's width: pages of one width share margins (portrait text, landscape tables)."""
    last_on_page: bool = False
    baseline: float = field(init=False)
    size: float = field(init=False)
    fragments: int = field(init=False)
    """Stretches of text set apart by cell-wide gaps: one for prose, more for a table row."""

    def __post_init__(self) -> None:
        self.baseline = self.glyphs[0].baseline
        self.size = max(glyph.size for glyph in self.glyphs)
        self.fragments = 1 + sum(1 for before, after in zip(self.glyphs, self.glyphs[1:]) if _spacing(before, after) == 2)

    @property
    def x0(self) -> float:
        return self.glyphs[0].x0

    @property
    def x1(self) -> float:
        return self.glyphs[-1].x1

    @property
    def text(self) -> str:
        return "".join(glyph.char for glyph in self.glyphs)


@dataclass(frozen=True)
class _Margins:
    left: float
    right: float


def read_ofd(data: bytes, path: str, limits: ReadLimits) -> SourceText:
    """The text of an OFD file, its lines placed by page and line with every character's box."""
    deadline = time.monotonic() + limits.max_seconds
    archive = open_zip(data, limits, LABEL)
    root = parse_xml(archive.read(_member(archive, "OFD.xml")), LABEL, "OFD.xml")
    bodies = root.findall("{*}DocBody")
    if not bodies:
        raise ReadError(f"{LABEL}已损坏：其中没有文档，请重新导出或下载该文件", "damaged")
    pages: list[tuple[str, float]] = []
    for body in bodies:
        pages.extend(_pages(archive, body, len(pages)))
    if len(pages) > limits.max_pages:
        raise ReadError(
            f"{LABEL}页数过多（{len(pages)} 页，上限 {limits.max_pages} 页），已拒绝读取", "too-many-pages"
        )
    lines: list[_Line] = []
    characters = 0
    for number, (name, document_width) in enumerate(pages, start=1):
        if time.monotonic() > deadline:
            raise ReadError(f"{LABEL}读取超时（超过 {limits.max_seconds:.0f} 秒），已停止", "timeout")
        page = parse_xml(archive.read(name), LABEL, name)
        glyphs = _page_glyphs(page, characters, limits.max_characters)
        characters += len(glyphs)
        lines.extend(_page_lines(glyphs, number, _page_width(page.find("{*}Area"), document_width)))
    if not lines:
        raise ReadError(f"{LABEL}中没有可提取的文字（可能是扫描图片）：{_CONVERT}", "unsupported")
    assembler = TextAssembler(boxes=True)
    _write(lines, assembler)
    return assembler.result(path, "ofd", _facts(bodies[0], len(pages)))


# --- the package ------------------------------------------------------------------------------------


def _member(archive: SafeZip, name: str) -> str:
    """The archive's name for ``name`` (producers differ in case and slashes)."""
    if name in archive:
        return name
    wanted = name.lower()
    for candidate in archive.names:
        if candidate.lower() == wanted:
            return candidate
    raise ReadError(f"{LABEL}不完整：缺少其中的 {name}，请重新导出或下载该文件", "damaged")


def _location(base: str, location: str) -> str:
    """A ``BaseLoc`` or ``DocRoot`` (relative to ``base``, or absolute from the package root)."""
    location = location.strip().replace("\\", "/")
    joined = location.lstrip("/") if location.startswith("/") else posixpath.join(base, location)
    return posixpath.normpath(joined).lstrip("/")


def _pages(archive: SafeZip, body, before: int) -> list[tuple[str, float]]:
    """The page content members of one document (after ``before`` pages of the documents before
    it), in page order, with the document's page width."""
    root_location = (body.findtext("{*}DocRoot") or "").strip()
    if not root_location:
        raise ReadError(f"{LABEL}已损坏：找不到其中文档的入口，请重新导出或下载该文件", "damaged")
    document_name = _member(archive, _location("", root_location))
    document = parse_xml(archive.read(document_name), LABEL, document_name)
    base = posixpath.dirname(document_name)
    default_width = _page_width(document.find("{*}CommonData/{*}PageArea"), 210.0)
    pages = []
    for page in document.iterfind("{*}Pages/{*}Page"):
        location = page.get("BaseLoc") or ""
        try:
            name = _member(archive, _location(base, location))
        except ReadError:
            try:
                name = _member(archive, _location("", location))  # some producers write it from the root
            except ReadError:
                number = before + len(pages) + 1
                message = f"{LABEL}不完整：缺少第 {number} 页的内容，请重新导出或下载该文件"
                raise ReadError(message, "damaged") from None
        pages.append((name, default_width))
    return pages


def _page_width(area, default: float) -> float:
    numbers = _numbers(area.findtext("{*}PhysicalBox") if area is not None else None)
    return numbers[2] if len(numbers) == 4 and numbers[2] > 0 else default


def _facts(body, pages: int) -> SourceFacts:
    info = body.find("{*}DocInfo")
    if info is None:
        return SourceFacts(pages=pages)

    def text(name: str) -> str | None:
        value = (info.findtext(f"{{*}}{name}") or "").strip()
        return value or None

    producer = " ".join(part for part in (text("Creator"), text("CreatorVersion")) if part) or None
    return SourceFacts(
        title=text("Title"),
        author=text("Author"),
        created=_iso_date(text("CreationDate")),
        modified=_iso_date(text("ModDate")),
        producer=producer,
        pages=pages,
    )


def _iso_date(value: str | None) -> str | None:
    return iso_date(_DATE.search(value or ""))


# --- glyphs -----------------------------------------------------------------------------------------


def _numbers(value: str | None) -> list[float]:
    """A space-separated list of numbers; a value that is not a finite coordinate ends the list."""
    numbers = []
    for token in (value or "").split():
        try:
            number = float(token)
        except ValueError:
            break
        if not isfinite(number) or abs(number) > _MAX_COORDINATE:
            break
        numbers.append(number)
    return numbers


def _deltas(value: str | None, count: int) -> list[float]:
    """The first ``count`` offsets of a ``DeltaX``/``DeltaY`` list; ``g 3 2.5`` is 2.5 three times."""
    tokens = (value or "").split()
    deltas: list[float] = []
    index = 0
    while index < len(tokens) and len(deltas) < count:
        if tokens[index] == "g" and index + 2 < len(tokens):
            repeat, offset = _repeat(tokens[index + 1]), _numbers(tokens[index + 2])
            if repeat is None or not offset:
                break
            # The repeat count comes from the file: never expand past the glyphs there are.
            deltas.extend(offset * min(repeat, count - len(deltas)))
            index += 3
            continue
        offset = _numbers(tokens[index])
        if not offset:
            break
        deltas.append(offset[0])
        index += 1
    return deltas


def _repeat(token: str) -> int | None:
    try:
        return max(int(token), 0)
    except ValueError:
        return None


def _advance(char: str, size: float) -> float:
    """A glyph's width when the file gives none: full width for CJK, half for Latin."""
    return size if unicodedata.east_asian_width(char) in "WFA" else size / 2


def _page_glyphs(page, before: int, limit: int) -> list[_Glyph]:
    """Every visible glyph of a page's text objects, in page millimetres; at most ``limit`` in
    the document, ``before`` of which came on the pages before."""
    glyphs: list[_Glyph] = []
    for text_object in page.iter("{*}TextObject"):
        boundary = _numbers(text_object.get("Boundary"))
        left, top = (boundary[0], boundary[1]) if len(boundary) >= 2 else (0.0, 0.0)
        matrix = _numbers(text_object.get("CTM"))
        a, b, c, d, e, f = matrix if len(matrix) == 6 else (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
        if abs(b) > 1e-6 or abs(c) > 1e-6 or a == 0 or d == 0:
            continue  # rotated or skewed text: watermarks and seals, not the report's lines
        sizes = _numbers(text_object.get("Size"))
        size = sizes[0] if sizes and sizes[0] > 0 else 3.5
        x = y = 0.0
        for code in text_object.iterfind("{*}TextCode"):
            text = code.text or ""
            if "\n" in text:
                text = text.strip()  # the indentation of pretty-printed XML, not the document's
            # X and Y absent: the previous TextCode's apply.
            x = (_numbers(code.get("X")) or [x])[0]
            y = (_numbers(code.get("Y")) or [y])[0]
            if before + len(glyphs) + len(text) > limit:
                raise ReadError(f"{LABEL}中的文字过多（超过 {limit} 个字符），已拒绝读取", "too-large")
            delta_x = _deltas(code.get("DeltaX"), len(text) - 1)
            delta_y = _deltas(code.get("DeltaY"), len(text) - 1)
            glyphs.extend(_code_glyphs(text, x, y, delta_x, delta_y, size, (a, d, left + e, top + f)))
    return glyphs


def _code_glyphs(text, x, y, delta_x, delta_y, size, placement) -> list[_Glyph]:
    scale_x, scale_y, origin_x, origin_y = placement
    page_size = size * abs(scale_y)
    glyphs = []
    spaces = 0
    for index, char in enumerate(text):
        if index:
            x += delta_x[index - 1] if index - 1 < len(delta_x) else _advance(text[index - 1], size)
            y += delta_y[index - 1] if index - 1 < len(delta_y) else 0.0
        if char.isspace() or unicodedata.category(char) in ("Cc", "Cf"):
            spaces += char.isspace()  # a space is a gap between glyphs, written as such
            continue
        width = _advance(char, size)
        if index < len(delta_x) and 0 < delta_x[index] < width:
            width = delta_x[index]  # set tighter than the estimate: the next glyph says where it ends
        x0 = origin_x + scale_x * x
        x1 = origin_x + scale_x * (x + width)
        baseline = origin_y + scale_y * y
        if max(abs(x0), abs(x1), abs(baseline)) > _MAX_COORDINATE:
            continue
        glyphs.append(_Glyph(char, min(x0, x1), max(x0, x1), baseline, page_size, spaces))
        spaces = 0
    return glyphs


# --- lines ------------------------------------------------------------------------------------------


def _page_lines(glyphs: list[_Glyph], page: int, width: float) -> list[_Line]:
    """The page's glyphs grouped by baseline into lines, top to bottom, each left to right."""
    groups: list[list[_Glyph]] = []
    for glyph in sorted(glyphs, key=lambda glyph: (glyph.baseline, glyph.x0)):
        if groups and glyph.baseline - groups[-1][0].baseline <= _SAME_LINE * max(glyph.size, groups[-1][0].size):
            groups[-1].append(glyph)
        else:
            groups.append([glyph])
    lines = [_Line(page, number, _distinct(group), width) for number, group in enumerate(groups, start=1)]
    if lines:
        lines[-1].last_on_page = True
    return lines


def _distinct(glyphs: list[_Glyph]) -> list[_Glyph]:
    """Left to right, without the copies some producers print over a glyph to make it bold."""
    kept: list[_Glyph] = []
    for glyph in sorted(glyphs, key=lambda glyph: glyph.x0):
        if kept and kept[-1].char == glyph.char and abs(kept[-1].x0 - glyph.x0) < 0.3 * glyph.size:
            continue
        kept.append(glyph)
    return kept


def _spacing(before: _Glyph, after: _Glyph) -> int:
    """What parts two neighbouring glyphs of a line: 0 nothing, 1 a space between words, 2 a
    boundary between cells. A space typed in the text is a word space however far justification
    stretched it (two typed spaces set text apart); otherwise the distance decides."""
    if after.spaces:
        return min(after.spaces, 2)
    gap = (after.x0 - before.x1) / max(before.size, after.size)
    return 2 if gap >= _CELL_GAP else 1 if gap >= _WORD_GAP else 0


def _render(line: _Line, left: float, unit: float, indent: bool) -> tuple[str, list[Box | None]]:
    """The line as layout text: its indentation from ``left`` and each gap in columns of ``unit``
    millimetres (a CJK character is two columns, as pdftotext counts them)."""
    parts: list[str] = []
    boxes: list[Box | None] = []
    column = 0

    def pad(count: int) -> None:
        nonlocal column
        parts.append(" " * count)
        boxes.extend([None] * count)
        column += count

    def target(glyph: _Glyph) -> int:
        return min(max(round((glyph.x0 - left) / unit), 0), _MAX_COLUMN)

    if indent:
        pad(target(line.glyphs[0]))
    previous = None
    for glyph in line.glyphs:
        if previous is not None:
            spacing = _spacing(previous, glyph)
            if spacing == 2:
                pad(max(2, target(glyph) - column))
            elif spacing == 1:
                pad(1)
        parts.append(glyph.char)
        boxes.append(glyph.box())
        column += 2 if unicodedata.east_asian_width(glyph.char) in "WF" else 1
        previous = glyph
    return "".join(parts), boxes


def _margins(lines: list[_Line]) -> dict[float, _Margins]:
    """Per page width, where the body text starts and ends: the leftmost start and the rightmost
    end shared by two or more long lines of prose (a paragraph's wrapped lines start at the
    margin and run to it; a lone line further out is a stray, not the margin)."""
    margins = {}
    for width in {line.width_class for line in lines}:
        same = [line for line in lines if line.width_class == width]
        long_lines = [line for line in same if line.fragments == 1 and len(line.glyphs) >= _MARGIN_LINE] or same
        margins[width] = _Margins(
            _shared(Counter(round(line.x0 * 2) for line in long_lines), min) / 2,
            _shared(Counter(round(line.x1 * 2) for line in long_lines), max) / 2,
        )
    return margins


def _shared(positions: Counter, pick) -> float:
    return pick([position for position, count in positions.items() if count >= 2] or positions)


def _continues(paragraph: list[_Line], line: _Line, margins: _Margins) -> bool:
    """Whether ``line`` (the next line after ``paragraph``) goes on with it: the paragraph's last
    line is a full line (from the margin or a paragraph indent to the right margin), ``line``
    starts at the left margin, and the paragraph's first line is indented further, as Chinese
    documents set every paragraph. Without that indent two paragraphs are not told from one."""
    first, previous = paragraph[0], paragraph[-1]
    if previous.fragments != 1 or line.fragments != 1 or abs(previous.size - line.size) > 0.15 * previous.size:
        return False
    size = previous.size
    full = previous.x1 >= margins.right - _RUNS_TO_MARGIN * size and previous.x0 <= margins.left + _MAX_INDENT * size
    if not full or line.x0 > margins.left + _AT_MARGIN * size or line.x0 > first.x0 - _MIN_INDENT * size:
        return False
    if line.page == previous.page:
        return 0 < line.baseline - previous.baseline <= _LINE_SPACING * size
    # No line came between them: the paragraph runs from the foot of one page to the head of the next.
    return line.page == previous.page + 1


def _is_page_number(line: _Line) -> bool:
    return (line.number == 1 or line.last_on_page) and _PAGE_NUMBER.fullmatch(line.text.strip()) is not None


def _write(lines: list[_Line], assembler: TextAssembler) -> None:
    """Lines to the assembler in reading order: paragraphs joined, page numbers after the paragraph
    that runs over them."""
    unit = max(_column_size(lines), 0.5) / 2
    # Columns count from the leftmost text of all pages of a width, so every page lines up.
    lefts: dict[float, float] = {}
    for line in lines:
        lefts[line.width_class] = min(lefts.get(line.width_class, line.x0), line.x0)
    page_left = {line.page: lefts[line.width_class] for line in lines}
    margins = _margins(lines)
    paragraph: list[_Line] = []
    held: list[_Line] = []

    def flush() -> None:
        if paragraph:
            _write_paragraph(paragraph, page_left[paragraph[0].page], unit, assembler)
            paragraph.clear()
        for line in held:
            text, boxes = _render(line, page_left[line.page], unit, indent=True)
            assembler.line(text, Place(page=line.page, page_line=line.number), boxes=boxes)
        held.clear()

    for line in lines:
        if _is_page_number(line):
            held.append(line)
            if not paragraph:
                flush()
        elif paragraph and _continues(paragraph, line, margins[line.width_class]):
            paragraph.append(line)
        else:
            flush()
            paragraph.append(line)
    flush()


def _column_size(lines: list[_Line]) -> float:
    """The font size whose half is a column: the smallest size of a twentieth or more of the text,
    so that a table set smaller than the body still lines up column for column."""
    sizes = Counter(round(glyph.size, 1) for line in lines for glyph in line.glyphs)
    total = sum(sizes.values())
    common = [size for size, count in sizes.items() if count * 20 >= total]
    return min(common) if common else sizes.most_common(1)[0][0]


def _write_paragraph(paragraph: list[_Line], left: float, unit: float, assembler: TextAssembler) -> None:
    first = paragraph[0]
    text, boxes = _render(first, left, unit, indent=True)
    wraps = []
    for line in paragraph[1:]:
        part, part_boxes = _render(line, line.x0, unit, indent=False)
        if _LATIN.fullmatch(text[-1:]) and _LATIN.fullmatch(part[:1]):
            text += " "  # a word wrapped at a space
            boxes.append(None)
        wraps.append((len(text), Place(page=line.page, page_line=line.number)))
        text += part
        boxes.extend(part_boxes)
    assembler.line(text, Place(page=first.page, page_line=first.number), boxes=boxes, continued=wraps)
