"""Reading a PDF that has a text layer: its prose as paragraphs, its ruled tables as grids.

pdfplumber (on pdfminer.six) gives every character of a page with its box; nothing in the file is
executed or fetched (pdfminer runs no JavaScript; annotations, forms and embedded files are not
read). The page is then read as a person reads it:

* ruled tables become grids with their merged cells (:mod:`nianbao.read.pdf_tables`), a table
  split by a page break is one table, and framed prose stays prose;
* the other characters become lines, page numbers and running headers and footers are dropped,
  and the lines of a paragraph wrapped at the right margin are joined, over a page break too
  (:mod:`nianbao.read.pdf_text`);
* tables and paragraphs are read in the order of their top edges.

Places: a paragraph is ``Place(page, page_line)`` where ``page_line`` is the 1-based number of its
first line among the text lines of that page outside tables, counted from the top after page
numbers and running headers and footers are removed; a table cell is ``Place(page, table, row,
column)`` with the table's 1-based number in the document and the cell's grid row and column (a
table continued on the next page keeps its number and counts its rows on). Every character carries
its box in PDF points from the page's top left.

A page with no text but an image is a scan, and so is a page whose glyphs mostly map to no
character (a font without its Unicode table): it is read by OCR when ``nianbao[ocr]`` is installed,
else the file is refused with a message saying which pages are scanned.
"""

from __future__ import annotations

import io
import logging
import re
import time
from collections import defaultdict
from dataclasses import dataclass, field, replace

from nianbao.read.assemble import TextAssembler
from nianbao.read.formats import ReadLimits
from nianbao.read.pdf_tables import PageTable, SplitTable, find_page_tables
from nianbao.read.pdf_text import (
    Glyph,
    Margins,
    TextLine,
    cluster_glyphs,
    continues_paragraph,
    find_margins,
    is_narrow,
    joined_text,
    layout_blocks,
    make_line,
    render_layout_block,
    strip_running_lines,
)
from nianbao.read.source import ReadError, SourceFacts, SourceText, iso_date
from nianbao.text.location import Place

__all__ = ["read_pdf"]

# More glyphs and drawing objects than this on one page is no report page (a report page holds a
# few thousand characters); reading it would take the time and memory of a hundred pages.
MAX_PAGE_OBJECTS = 200_000
# A glyph pdfminer could not map to a character ("(cid:123)": the font has no Unicode table).
_UNMAPPED = re.compile(r"\(cid:\d+\)")
_PDF_DATE = re.compile(r"(?:D:)?(\d{4})(\d{2})?(\d{2})?")
_DAMAGED = "PDF 文件已损坏或不完整，无法读取"


@dataclass
class _Page:
    number: int
    width: float
    height: float
    lines: list[TextLine] = field(default_factory=list)
    tables: list[PageTable] = field(default_factory=list)
    ocr: bool = False
    scan: bool = False
    """No text layer, an image, and no OCR to read it."""


def read_pdf(data: bytes, path: str, limits: ReadLimits) -> SourceText:
    """The text of a PDF with its tables as grids; every failure is a :class:`ReadError`."""
    started = time.monotonic()
    pdf = _open(data)
    page_objects = _page_objects(pdf, limits)
    facts = _facts(pdf, len(page_objects))
    pages: list[_Page] = []
    for number, page_object in enumerate(page_objects, 1):
        elapsed = time.monotonic() - started
        if elapsed > limits.max_seconds:
            raise ReadError(
                f"PDF 文件读取超时：{limits.max_seconds:g} 秒内只读完 {number - 1} 页（共 {len(page_objects)} 页）",
                "timeout",
            )
        pages.append(_read_page(pdf, page_object, number, limits, started + limits.max_seconds))
    scans = [page.number for page in pages if page.scan]
    if scans:
        raise ReadError(_scan_message(scans, len(pages)), "needs-extra")
    ocr_pages = tuple(page.number for page in pages if page.ocr)
    if ocr_pages:
        facts = replace(facts, ocr_pages=ocr_pages)
    assembler = TextAssembler(boxes=True, confidences=bool(ocr_pages))
    _assemble(pages, assembler)
    return assembler.result(path, "pdf", facts)


# --- opening -------------------------------------------------------------------------------------


def _open(data: bytes):
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    # pdfminer logs every oddity of a damaged file; the reader reports what matters itself.
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    try:
        return pdfplumber.PDF(io.BytesIO(data), stream_is_external=True)
    except PdfminerException as error:
        cause = error.args[0] if error.args else error
        if isinstance(cause, PDFPasswordIncorrect):
            raise ReadError("PDF 文件设有打开密码（已加密），请提供未加密的文件", "encrypted") from None
        if isinstance(cause, PDFEncryptionError):
            raise ReadError("PDF 文件使用了无法解密的加密方式，请提供未加密的文件", "encrypted") from None
        raise ReadError(_DAMAGED, "damaged") from None
    except Exception:  # pdfminer raises many kinds of exception on garbage
        raise ReadError(_DAMAGED, "damaged") from None


def _page_objects(pdf, limits: ReadLimits) -> list:
    """The document's pages, refused before any is read when there are more than the limit."""
    from pdfminer.pdfpage import PDFPage

    pages = []
    try:
        for page in PDFPage.create_pages(pdf.doc):
            pages.append(page)
            if len(pages) > limits.max_pages:
                declared = _declared_page_count(pdf)
                total = f"共 {declared} 页，" if declared and declared > limits.max_pages else ""
                raise ReadError(f"PDF 文件{total}超过 {limits.max_pages} 页的上限，不像是一份年度报告", "too-many-pages")
    except ReadError:
        raise
    except Exception:
        raise ReadError(_DAMAGED + "（页面目录有误）", "damaged") from None
    if not pages:
        raise ReadError("PDF 文件中没有页面", "damaged")
    return pages


def _declared_page_count(pdf) -> int | None:
    from pdfminer.pdftypes import resolve1

    try:
        count = resolve1(resolve1(pdf.doc.catalog.get("Pages")).get("Count"))
    except Exception:
        return None
    return count if isinstance(count, int) else None


# --- one page ------------------------------------------------------------------------------------


def _read_page(pdf, page_object, number: int, limits: ReadLimits, deadline: float) -> _Page:
    from pdfplumber.page import Page

    try:
        page = Page(pdf, page_object, page_number=number, initial_doctop=0)
        objects = page.objects
        count = sum(len(items) for items in objects.values())
        if count > MAX_PAGE_OBJECTS:
            raise ReadError(f"PDF 文件第 {number} 页含有 {count} 个文字和图形对象，过于复杂，无法读取", "too-large")
        chars = page.dedupe_chars().chars
        has_image = bool(page.images)
    except ReadError:
        raise
    except MemoryError:
        raise
    except Exception:
        raise ReadError(f"PDF 文件第 {number} 页已损坏，无法读取", "damaged") from None
    try:
        result = _Page(number, float(page.width), float(page.height))
        glyphs, unmapped = _glyphs(chars, page.bbox)
        # Mostly glyphs without characters: the text layer is unusable, as on a scan.
        if (not glyphs and has_image) or unmapped > len(glyphs):
            ocr_lines = _recognize(page, number, limits, deadline)
            if ocr_lines is None:
                result.scan = True
            else:
                result.lines, result.ocr = ocr_lines, True
            return result
        tables, prose = find_page_tables(page, glyphs, number)
        result.tables = tables
        # Rotated text outside tables (a watermark across the page) is not part of the reading.
        result.lines = [make_line(number, line) for line in cluster_glyphs(glyph for glyph in prose if glyph.upright)]
        return result
    finally:
        page.close()  # its parsed objects are no longer needed


def _glyphs(chars: list[dict], bbox) -> tuple[list[Glyph], int]:
    """The page's characters as glyphs, and how many glyphs had no character (unmapped)."""
    left, top, right, bottom = bbox
    glyphs = []
    unmapped = 0
    for char in chars:
        text = char.get("text") or ""
        if _UNMAPPED.fullmatch(text):
            unmapped += 1
            continue
        # Control characters and U+FFFD are what a broken font table gives, not text.
        text = "".join(c for c in text if (c.isprintable() or c == " ") and c != "\ufffd")
        if not text:
            continue
        x0, x1, char_top, char_bottom = char["x0"], char["x1"], char["top"], char["bottom"]
        if not (left <= (x0 + x1) / 2 <= right and top <= (char_top + char_bottom) / 2 <= bottom):
            continue  # drawn off the page
        size = float(char.get("size") or (char_bottom - char_top)) or 1.0
        upright = bool(char.get("upright", True))
        glyphs.append(Glyph(text, float(x0), float(char_top), float(x1), float(char_bottom), size, None, upright))
    return glyphs, unmapped


def _recognize(page, number: int, limits: ReadLimits, deadline: float) -> list[TextLine] | None:
    """The lines OCR reads on a scanned page (the pages share the file's time budget), or None when
    the OCR extra is not installed."""
    from nianbao.read import ocr

    if not ocr.ocr_available():
        return None
    lines = []
    for recognized in ocr.recognize_page(page, limits, deadline=deadline):
        glyphs = [
            Glyph(char, box[0], box[1], box[2], box[3], max(box[3] - box[1], 1.0), confidence)
            for char, box, confidence in zip(recognized.text, recognized.boxes, recognized.confidences)
        ]
        if any(not glyph.text.isspace() for glyph in glyphs):
            lines.append(make_line(number, glyphs))
    return lines


def _scan_message(scans: list[int], total: int) -> str:
    advice = "读取它需要安装 nianbao 的 ocr 扩展：pip install 'nianbao[ocr]'"
    if len(scans) == total:
        return f"PDF 文件是扫描件（页面是图片，没有文字层），{advice}"
    ranges = []
    for number in scans:
        if ranges and ranges[-1][1] == number - 1:
            ranges[-1][1] = number
        else:
            ranges.append([number, number])
    pages = "、".join(str(a) if a == b else f"{a}–{b}" for a, b in ranges)
    return f"PDF 文件第 {pages} 页是扫描图像（没有文字层），{advice}"


# --- the document ---------------------------------------------------------------------------------


def _assemble(pages: list[_Page], assembler: TextAssembler) -> None:
    kept = strip_running_lines([page.lines for page in pages], [page.height for page in pages])
    for page, lines in zip(pages, kept):
        page.lines = lines
    margins = _margins(pages)
    reader = _DocumentReader(assembler)
    layout_grid = None
    for page in pages:
        page_margins = margins.get((round(page.width), page.ocr))
        for number, line in enumerate(page.lines, 1):
            line.page_line = number
        elements: list[TextLine | PageTable] = sorted([*page.lines, *page.tables], key=lambda item: item.top)
        layout, layout_grid = _layout_lines(elements, layout_grid)
        for index, element in enumerate(elements):
            if isinstance(element, PageTable):
                reader.table(element, first_on_page=index == 0)
            elif id(element) in layout:
                reader.layout_line(element)
            else:
                reader.line(element, page_margins, first_on_page=index == 0)
    reader.finish()


def _margins(pages: list[_Page]) -> dict[tuple[int, bool], Margins]:
    """Body margins of each kind of page (by width, text layer or OCR)."""
    groups: dict[tuple[int, bool], list[TextLine]] = defaultdict(list)
    for page in pages:
        groups[(round(page.width), page.ocr)].extend(line for line in page.lines if not line.columnar)
    found = {key: find_margins(lines, key[0]) for key, lines in groups.items()}
    return {key: margins for key, margins in found.items() if margins is not None}


def _layout_lines(
    elements: list[TextLine | PageTable], continued: tuple[float, float] | None
) -> tuple[set[int], tuple[float, float] | None]:
    """Lines of the page's layout blocks (tables without rulings), rendered on one column grid,
    and the grid of the block that ends the page, if one does. ``continued``: the grid of the block
    that ended the previous page; the narrow lines at the top of this page before its first block
    are then the rest of a row the page break cut, and the block keeps that grid."""
    found: set[int] = set()
    run: list[TextLine] = []
    first_run = True
    grid = None
    for element in [*elements, None]:
        if isinstance(element, TextLine):
            run.append(element)
            continue
        blocks = layout_blocks(run)
        carried = None
        if first_run and continued and blocks and all(is_narrow(line, run) for line in run[: blocks[0][0]]):
            blocks[0] = (0, blocks[0][1])
            carried = continued
        for first, end in blocks:
            grid = render_layout_block(run[first:end], carried)
            carried = None
            found.update(id(line) for line in run[first:end])
        run, first_run = [], False
    ends_in_block = bool(elements) and id(elements[-1]) in found
    return found, grid if ends_in_block else None


class _DocumentReader:
    """Walks the pages' elements in reading order, keeping the paragraph and the table that may
    still continue, and hands the finished ones to the assembler."""

    def __init__(self, assembler: TextAssembler) -> None:
        self.assembler = assembler
        self.paragraph: list[TextLine] = []
        self.open_table: SplitTable | None = None
        self.tables = 0
        self.in_layout = False

    def line(self, line: TextLine, margins: Margins | None, *, first_on_page: bool) -> None:
        self._end_table()
        self._end_layout()
        if self.paragraph and margins is not None:
            last = self.paragraph[-1]
            same_page = last.page == line.page
            if (same_page or (first_on_page and line.page == last.page + 1)) and continues_paragraph(
                last, line, margins, same_page=same_page
            ):
                self.paragraph.append(line)
                return
        self._end_paragraph()
        self.paragraph = [line]

    def layout_line(self, line: TextLine) -> None:
        self._end_table()
        self._end_paragraph()
        if not self.in_layout:
            self.assembler.blank()
            self.in_layout = True
        self.assembler.line(
            line.text.rstrip(), Place(page=line.page, page_line=line.page_line), boxes=line.boxes,
            confidences=line.confidences,
        )

    def table(self, part: PageTable, *, first_on_page: bool) -> None:
        self._end_paragraph()
        self._end_layout()
        if self.open_table is not None and first_on_page and self.open_table.accepts(part):
            self.open_table.extend(part)
            return
        self._end_table()
        self.open_table = SplitTable(part)

    def finish(self) -> None:
        self._end_paragraph()
        self._end_table()

    def _end_paragraph(self) -> None:
        if not self.paragraph:
            return
        lines, self.paragraph = self.paragraph, []
        joined = joined_text(lines)
        # The part of a paragraph on the next page is at that page's first line.
        continued = [
            (start, Place(page=line.page, page_line=line.page_line))
            for start, line, before in zip(joined.starts[1:], lines[1:], lines)
            if line.page != before.page
        ]
        first = Place(page=lines[0].page, page_line=lines[0].page_line)
        self.assembler.line(
            joined.text, first, boxes=joined.boxes, confidences=joined.confidences, continued=continued
        )

    def _end_table(self) -> None:
        if self.open_table is None:
            return
        grid = self.open_table.grid()
        self.open_table = None
        if any(cell.text.strip() for cell in grid.cells()):
            self.tables += 1
            self.assembler.blank()
            self.assembler.table(grid, self.tables)

    def _end_layout(self) -> None:
        if self.in_layout:
            self.assembler.blank()
            self.in_layout = False


# --- facts ---------------------------------------------------------------------------------------


def _facts(pdf, pages: int) -> SourceFacts:
    info: dict = {}
    try:
        for entry in pdf.doc.info:
            info.update(entry)
    except Exception:
        info = {}
    created = _date(_text(info.get("CreationDate")))
    return SourceFacts(
        title=_text(info.get("Title")),
        author=_text(info.get("Author")),
        created=created,
        modified=_date(_text(info.get("ModDate"))),
        producer=_text(info.get("Producer")) or _text(info.get("Creator")),
        pages=pages,
    )


def _text(value) -> str | None:
    """A metadata string: UTF-16 with either byte order mark, UTF-8 with its mark, plain UTF-8
    (some Chinese producers write it), GB18030, else PDFDocEncoding."""
    from pdfminer.pdftypes import resolve1
    from pdfminer.psparser import PSLiteral
    from pdfminer.utils import decode_text

    try:
        value = resolve1(value)
    except Exception:
        return None
    if isinstance(value, PSLiteral):
        value = value.name
    if isinstance(value, str):
        value = value.encode("latin-1", "replace")
    if not isinstance(value, bytes):
        return None
    text = None
    if value.startswith((b"\xfe\xff", b"\xff\xfe")):
        text = value[2:].decode("utf-16-be" if value[0] == 0xFE else "utf-16-le", "replace")
    elif value.startswith(b"\xef\xbb\xbf"):
        text = value[3:].decode("utf-8", "replace")
    elif value.isascii():
        text = value.decode("ascii")
    else:
        for codec in ("utf-8", "gb18030"):
            try:
                text = value.decode(codec)
                break
            except UnicodeDecodeError:
                continue
        if text is None:
            text = decode_text(value)
    text = "".join(char for char in text if char.isprintable()).strip()
    return text or None


def _date(value: str | None) -> str | None:
    """A PDF date ("D:20250225100250+08'00'") as the ISO date it was written in."""
    if not value:
        return None
    match = _PDF_DATE.match(value.strip())
    if match is None or not 1990 <= int(match.group(1)) <= 2200:  # a zeroed or garbage date field
        return None
    return iso_date(match)
