"""Word documents (.docx, and .docm/.wpsx of the same format): the body as Word shows it.

The archive is opened bounded (:func:`nianbao.read.safety.open_zip`) and every member is inflated
once under its caps, and every XML part checked for entity declarations, before python-docx's OPC
reader opens the package; what it cannot open is a damaged document, never a traceback.

What is read: the body's paragraphs and tables in order, content controls (``w:sdt``) and custom
XML wrappers included; a nested table's text goes into its cell. Each paragraph is one line:
the label of Word's automatic numbering first (:mod:`nianbao.read.docx_numbering`, so "一、" and
"（一）" come out as Word shows them), then its runs with tabs and line breaks as spaces. Tracked
changes read as the final text (insertions and moves' destinations kept, deletions and moves'
sources dropped), fields as their displayed result, hidden text (``w:vanish``) not at all.
Headers, footers, comments, footnotes, text boxes and drawings are not read; macros, embedded
objects and linked images are never opened.

Tables become grids (:class:`~nianbao.read.assemble.Grid`): ``w:gridSpan`` is a colspan,
``w:vMerge`` restart/continue a rowspan (a continued cell does not appear again), ``w:gridBefore``
shifts a row's cells, deleted rows are dropped; a cell's paragraphs are joined without a break.

Places count as a person does in Word: ``Place(paragraph=n)`` is the n-th paragraph of the body
that shows any text (numbering labels included; empty paragraphs and paragraphs inside tables are
not counted), ``Place(table=t, row=r, column=c)`` the grid row and column (1-based, the cell's top
left) of the t-th table of the body (nested tables are part of their cell).
"""

from __future__ import annotations

import io
import re
import time

from nianbao.read.assemble import Grid, GridCell, TextAssembler
from nianbao.read.docx_numbering import W, Numbering
from nianbao.read.safety import SafeZip, open_zip, parse_xml
from nianbao.read.source import ReadError, SourceFacts, SourceText
from nianbao.text.location import Place

__all__ = ["read_docx"]

_LABEL = "Word 文档"
_MATH = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
_STRICT = b"purl.oclc.org/ooxml"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_OFFICE_DOCUMENT = f"{_RELATIONSHIPS}/officeDocument"
_NUMBERING = f"{_RELATIONSHIPS}/numbering"
_STYLES = f"{_RELATIONSHIPS}/styles"
_APP = f"{_RELATIONSHIPS}/extended-properties"
_CORE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
_APP_NAMESPACE = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_DCTERMS = "{http://purl.org/dc/terms/}"
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

# Entity and DTD declarations in any encoding an XML part may use: Office never writes them.
_DECLARATIONS = tuple(
    marker.encode(codec) for marker in ("<!ENTITY", "<!DOCTYPE") for codec in ("utf-8", "utf-16-le", "utf-16-be")
)
# Inline wrappers whose content Word shows, and those whose content it does not (tracked removals).
_SHOWN = frozenset(f"{W}{name}" for name in ("ins", "moveTo", "hyperlink", "smartTag", "customXml", "fldSimple",
                                             "dir", "bdo"))
_DROPPED = frozenset(f"{W}{name}" for name in ("del", "moveFrom"))
_SPACE_RUNS = frozenset(f"{W}{name}" for name in ("tab", "br", "cr", "ptab"))
_CJK = re.compile(r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]")
# How often (elements) the reader looks at the clock.
_CLOCK_EVERY = 256


def read_docx(data: bytes, path: str, limits) -> SourceText:
    """The text of a Word document's body; :class:`ReadError` for a damaged or hostile one."""
    deadline = time.monotonic() + limits.max_seconds
    archive = open_zip(data, limits, _LABEL)
    if "word/document.xml" not in archive:
        raise ReadError(f"{_LABEL}不完整：缺少正文（word/document.xml）", "damaged")
    _check_members(archive)
    package = _Package(data)
    try:
        main = package.root("/", _OFFICE_DOCUMENT)
        body = main.find(f"{W}body") if main is not None else None
        source = package.target("/", _OFFICE_DOCUMENT)
        numbering = Numbering(package.root(source, _NUMBERING), package.root(source, _STYLES))
        facts = _facts(package)
    except ReadError:
        raise
    except (MemoryError, RecursionError):
        raise
    except Exception:
        raise ReadError(f"{_LABEL}已损坏：无法读取其正文结构", "damaged") from None
    if body is None:
        raise ReadError(f"{_LABEL}已损坏：正文中没有内容（缺少 w:body）", "damaged")
    reader = _BodyReader(numbering, deadline, limits.max_seconds)
    reader.blocks(body)
    return reader.assembler.result(path, "docx", facts)


# --- opening ---------------------------------------------------------------------------------


def _check_members(archive: SafeZip) -> None:
    """Inflate every member under the archive's caps (python-docx reads them again unbounded) and
    refuse XML that declares entities or a DTD before any parser sees it."""
    for name in sorted(archive.names):
        if name.endswith("/"):
            continue
        content = archive.read(name)
        if name.endswith((".xml", ".rels")) or name == "[Content_Types].xml":
            if any(marker in content for marker in _DECLARATIONS):
                raise ReadError(f"{_LABEL}中的 {name} 声明了 XML 实体或文档类型（可被用于攻击），已拒绝读取", "unsafe")
            if name == "_rels/.rels" and _STRICT in content:
                raise ReadError(
                    f"{_LABEL}是“严格 Open XML”格式，nianbao 不读取：请在 Word 中另存为普通的 .docx 文档", "unsupported"
                )


class _Package:
    """The package's parts and relationships as python-docx's OPC reader finds them. Only the parts
    the reader needs are parsed (python-docx's ``Package.open`` would parse every part, at several
    times the cost), and with the entity-free parser."""

    def __init__(self, data: bytes) -> None:
        from docx.opc.pkgreader import PackageReader

        try:
            reader = PackageReader.from_file(io.BytesIO(data))
            self._blobs = {str(name): blob for name, _, _, blob in reader.iter_sparts()}
            self._targets: dict[tuple[str, str], str] = {}
            for source, relationship in reader.iter_srels():
                if not relationship.is_external:
                    key = (str(source), relationship.reltype)
                    self._targets.setdefault(key, str(relationship.target_partname))
        except (MemoryError, RecursionError):
            raise
        except Exception as error:  # python-docx raises KeyError, ValueError, lxml errors … on damage
            raise ReadError(f"{_LABEL}已损坏，无法打开（{type(error).__name__}）", "damaged") from None

    def target(self, source: str, reltype: str) -> str | None:
        """The part ``source`` relates to by ``reltype``."""
        return self._targets.get((source, reltype))

    def root(self, source: str | None, reltype: str):
        """The XML root of that part, as plain lxml elements; None when there is no such part."""
        name = self.target(source, reltype) if source is not None else None
        if name is None or name not in self._blobs:
            return None
        return parse_xml(self._blobs[name], _LABEL, name.lstrip("/"))


def _facts(package: _Package) -> SourceFacts:
    title = author = created = modified = producer = None
    core = package.root("/", _CORE)
    if core is not None:
        title = _text(core, f"{_DC}title")
        author = _text(core, f"{_DC}creator")
        created = _date(_text(core, f"{_DCTERMS}created"))
        modified = _date(_text(core, f"{_DCTERMS}modified"))
    app = package.root("/", _APP)
    if app is not None:
        name = _text(app, f"{_APP_NAMESPACE}Application") or ""
        version = _text(app, f"{_APP_NAMESPACE}AppVersion") or ""
        producer = " ".join(part for part in (name, version) if part) or None
    return SourceFacts(title=title, author=author, created=created, modified=modified, producer=producer)


def _text(root, tag: str) -> str | None:
    return (root.findtext(tag) or "").strip() or None


def _date(written: str | None) -> str | None:
    """``2022-01-20`` of a W3CDTF time (``2022-01-20T09:30:00Z``)."""
    match = _ISO_DATE.match(written or "")
    return match.group(0) if match else None


# --- the body --------------------------------------------------------------------------------


class _BodyReader:
    def __init__(self, numbering: Numbering, deadline: float, seconds: float) -> None:
        self.numbering = numbering
        self.assembler = TextAssembler()
        self.paragraphs = 0
        self.tables = 0
        self._deadline = deadline
        self._seconds = seconds
        self._ticks = 0
        # Complex fields (w:fldChar) may span runs and paragraphs: per open field, whether its
        # result (shown) has begun, or its code (not shown) is still being read.
        self._fields: list[bool] = []

    def _tick(self) -> None:
        self._ticks += 1
        if self._ticks % _CLOCK_EVERY == 0 and time.monotonic() > self._deadline:
            raise ReadError(f"读取{_LABEL}超时（超过 {self._seconds:g} 秒）", "timeout")

    def blocks(self, parent) -> None:
        for child in parent:
            self._tick()
            tag = child.tag
            if tag == f"{W}p":
                text = self.paragraph_text(child)
                if text.strip():
                    self.paragraphs += 1
                    self.assembler.line(text, Place(paragraph=self.paragraphs))
            elif tag == f"{W}tbl":
                self.tables += 1
                self.assembler.table(self.grid(child), self.tables)
            elif tag == f"{W}sdt":
                content = child.find(f"{W}sdtContent")
                if content is not None:
                    self.blocks(content)
            elif tag in (f"{W}customXml", f"{W}ins", f"{W}moveTo"):
                self.blocks(child)

    # --- paragraphs ------------------------------------------------------------------------------

    def paragraph_text(self, paragraph) -> str:
        parts = [self.numbering.label(paragraph)]
        self._inline(paragraph, parts)
        return "".join(parts).strip()

    def _inline(self, element, parts: list[str]) -> None:
        for child in element:
            tag = child.tag
            if tag == f"{W}r":
                self._run(child, parts)
            elif tag in _SHOWN:
                self._inline(child, parts)
            elif tag == f"{W}sdt":
                content = child.find(f"{W}sdtContent")
                if content is not None:
                    self._inline(content, parts)
            elif tag in (f"{_MATH}oMath", f"{_MATH}oMathPara"):
                if self._shown():
                    parts.extend(text.text or "" for text in child.iter(f"{_MATH}t"))
            # Deletions, moves' sources, bookmarks, comment marks, properties: nothing shown.

    def _shown(self) -> bool:
        return all(self._fields)

    def _run(self, run, parts: list[str]) -> None:
        vanish = run.find(f"{W}rPr/{W}vanish")
        hidden = vanish is not None and vanish.get(f"{W}val") not in ("0", "false", "off")
        for child in run:
            tag = child.tag
            if tag == f"{W}fldChar":
                kind = child.get(f"{W}fldCharType")
                if kind == "begin":
                    self._fields.append(False)
                elif kind == "separate" and self._fields:
                    self._fields[-1] = True
                elif kind == "end" and self._fields:
                    self._fields.pop()
                continue
            if hidden or not self._shown():
                continue
            if tag == f"{W}t":
                parts.append(child.text or "")
            elif tag in _SPACE_RUNS:
                parts.append(" ")
            elif tag == f"{W}noBreakHyphen":
                parts.append("-")
            elif tag == f"{W}sym":
                parts.append(_symbol(child.get(f"{W}char")))
            # w:delText, w:instrText, drawings, objects, note references: not shown text.

    # --- tables ----------------------------------------------------------------------------------

    def grid(self, table) -> Grid:
        grid = Grid()
        # Cells still open downwards (w:vMerge restart), by the grid column they start at.
        open_cells: dict[int, GridCell] = {}
        row_number = 0
        for row in _children(table, "tr"):
            self._tick()
            properties = row.find(f"{W}trPr")
            if properties is not None and properties.find(f"{W}del") is not None:
                continue  # a tracked deletion of the row
            row_number += 1
            cells: list[GridCell] = []
            column = 1 + _number(row.find(f"{W}trPr/{W}gridBefore"), 0)
            for cell in _children(row, "tc"):
                span = max(1, _number(cell.find(f"{W}tcPr/{W}gridSpan"), 1))
                merge = cell.find(f"{W}tcPr/{W}vMerge")
                horizontal = cell.find(f"{W}tcPr/{W}hMerge")
                text = self.cell_text(cell)
                above = open_cells.get(column)
                if merge is not None and merge.get(f"{W}val") in (None, "continue") and above is not None:
                    above.rowspan = row_number - above.row + 1
                    above.text = _join(above.text, text)
                elif horizontal is not None and horizontal.get(f"{W}val") in (None, "continue") and cells:
                    cells[-1].colspan += span  # the old way of merging across
                    cells[-1].text = _join(cells[-1].text, text)
                else:
                    found = GridCell(text, row_number, column, colspan=span)
                    cells.append(found)
                    for covered in range(column, column + span):
                        open_cells.pop(covered, None)
                    if merge is not None and merge.get(f"{W}val") == "restart":
                        open_cells[column] = found
                column += span
            grid.rows.append(cells)
        return grid

    def cell_text(self, cell) -> str:
        pieces: list[str] = []
        self._cell_blocks(cell, pieces)
        text = ""
        for piece in pieces:
            text = _join(text, piece)
        return text

    def _cell_blocks(self, parent, pieces: list[str]) -> None:
        for child in parent:
            tag = child.tag
            if tag == f"{W}p":
                text = self.paragraph_text(child)
                if text:
                    pieces.append(text)
            elif tag == f"{W}tbl":
                for row in self.grid(child).rows:
                    pieces.extend(cell.text for cell in row if cell.text)
            elif tag == f"{W}sdt":
                content = child.find(f"{W}sdtContent")
                if content is not None:
                    self._cell_blocks(content, pieces)
            elif tag in (f"{W}customXml", f"{W}ins", f"{W}moveTo"):
                self._cell_blocks(child, pieces)


def _children(parent, name: str):
    """``parent``'s ``w:name`` children, through content controls and custom XML around them."""
    for child in parent:
        if child.tag == f"{W}{name}":
            yield child
        elif child.tag == f"{W}sdt":
            content = child.find(f"{W}sdtContent")
            if content is not None:
                yield from _children(content, name)
        elif child.tag in (f"{W}customXml", f"{W}ins", f"{W}moveTo"):
            yield from _children(child, name)


def _number(element, default: int) -> int:
    if element is None:
        return default
    try:
        return int(element.get(f"{W}val"))
    except (TypeError, ValueError):
        return default


def _join(left: str, right: str) -> str:
    """Two paragraphs of one cell as one line: no space between Chinese text, one otherwise."""
    if not left or not right:
        return left or right
    if _CJK.match(left[-1]) or _CJK.match(right[0]):
        return left + right
    return f"{left} {right}"


def _symbol(code: str | None) -> str:
    """A ``w:sym`` character; symbol-font ones (private use area) have no text meaning."""
    try:
        char = chr(int(code or "", 16))
    except ValueError:
        return ""
    return "" if "\ue000" <= char <= "\uf8ff" else char
