"""OFD files written by the standard's structure (GB/T 33190), for the reader's tests.

No Python library writes OFD, so this writes the package the way OFD producers lay it out:
``OFD.xml`` with the document's ``DocInfo`` and ``DocRoot``, ``Doc_0/Document.xml`` listing the
pages, and per page ``Doc_0/Pages/Page_N/Content.xml`` whose layer holds the text objects (a
``Boundary`` in millimetres, a ``TextCode`` with ``X``/``Y`` and ``DeltaX`` offsets compressed
with ``g count value`` as producers write them) and the paths that draw table borders.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

NAMESPACE = "http://www.ofdspec.org/2016"


def advance(char: str, size: float) -> float:
    """How far a character moves the pen: full width for CJK, half for the rest (as pdftotext's
    display columns count them)."""
    return size if unicodedata.east_asian_width(char) in "WF" else size / 2


def compress(values: list[float]) -> str:
    """A DeltaX list as producers write it: a run of three or more equal offsets as ``g n v``."""
    parts: list[str] = []
    index = 0
    while index < len(values):
        run = 1
        while index + run < len(values) and values[index + run] == values[index]:
            run += 1
        if run >= 3:
            parts.append(f"g {run} {values[index]:g}")
        else:
            parts.extend(f"{value:g}" for value in values[index : index + run])
        index += run
    return " ".join(parts)


@dataclass
class Page:
    width: float = 210.0
    height: float = 297.0
    objects: list[str] = field(default_factory=list)
    next_id: int = 100

    def _id(self) -> int:
        self.next_id += 1
        return self.next_id

    def text(self, x: float, baseline: float, text: str, size: float, *, advances: list[float] | None = None,
             ctm: str | None = None, raw_code: str | None = None) -> None:
        """One text object: ``text`` from ``x`` on ``baseline`` (page millimetres)."""
        advances = advances if advances is not None else [advance(char, size) for char in text]
        width = sum(advances) or size
        attributes = f'ID="{self._id()}" Boundary="{x:g} {baseline - size:g} {width:g} {size * 1.25:g}" Font="3" Size="{size:g}"'
        if ctm:
            attributes += f' CTM="{ctm}"'
        code = raw_code
        if code is None:
            deltas = compress(advances[:-1])
            delta = f" DeltaX={quoteattr(deltas)}" if deltas else ""
            code = f'<ofd:TextCode X="0" Y="{size:g}"{delta}>{escape(text)}</ofd:TextCode>'
        self.objects.append(f"<ofd:TextObject {attributes}>{code}</ofd:TextObject>")

    def rectangle(self, x: float, y: float, width: float, height: float) -> None:
        """A cell border, drawn as OFD draws tables: a path, no text."""
        self.objects.append(
            f'<ofd:PathObject ID="{self._id()}" Boundary="{x:g} {y:g} {width:g} {height:g}" LineWidth="0.25">'
            f"<ofd:AbbreviatedData>M 0 0 L {width:g} 0 L {width:g} {height:g} L 0 {height:g} C</ofd:AbbreviatedData>"
            "</ofd:PathObject>"
        )

    def image(self, x: float, y: float, width: float, height: float, resource: int) -> None:
        self.objects.append(
            f'<ofd:ImageObject ID="{self._id()}" CTM="{width:g} 0 0 {height:g} 0 0" '
            f'Boundary="{x:g} {y:g} {width:g} {height:g}" ResourceID="{resource}"/>'
        )

    def content(self, namespace: str) -> str:
        return (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Page xmlns:ofd="{namespace}">'
            f"<ofd:Area><ofd:PhysicalBox>0 0 {self.width:g} {self.height:g}</ofd:PhysicalBox></ofd:Area>"
            f'<ofd:Content><ofd:Layer ID="2" Type="Body">{"".join(self.objects)}</ofd:Layer></ofd:Content></ofd:Page>'
        )


@dataclass
class Package:
    """An OFD package of one document; :meth:`build` gives the file's bytes."""

    info: dict[str, str] = field(default_factory=dict)
    pages: list[Page] = field(default_factory=list)
    extra_members: dict[str, bytes] = field(default_factory=dict)

    def page(self, width: float = 210.0, height: float = 297.0) -> Page:
        self.pages.append(Page(width, height))
        return self.pages[-1]

    def build(self, *, namespace: str = NAMESPACE, doc_root: str = "Doc_0/Document.xml",
              public_res: str = "") -> bytes:
        info = "".join(f"<ofd:{name}>{escape(value)}</ofd:{name}>" for name, value in self.info.items())
        ofd = (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:OFD xmlns:ofd="{namespace}" Version="1.1" DocType="OFD">'
            f"<ofd:DocBody><ofd:DocInfo><ofd:DocID>6a1f0c2e9b7d4e3f8a5b6c7d8e9f0a1b</ofd:DocID>{info}</ofd:DocInfo>"
            f"<ofd:DocRoot>{doc_root}</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
        )
        pages = "".join(
            f'<ofd:Page ID="{index + 2}" BaseLoc="Pages/Page_{index}/Content.xml"/>' for index in range(len(self.pages))
        )
        document = (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Document xmlns:ofd="{namespace}"><ofd:CommonData>'
            f"<ofd:MaxUnitID>{100 + 1000 * len(self.pages)}</ofd:MaxUnitID>"
            "<ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>"
            "<ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData>"
            f"<ofd:Pages>{pages}</ofd:Pages></ofd:Document>"
        )
        resources = public_res or (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Res xmlns:ofd="{namespace}" BaseLoc="Res">'
            '<ofd:Fonts><ofd:Font ID="3" FontName="仿宋" FamilyName="仿宋"/></ofd:Fonts></ofd:Res>'
        )
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("OFD.xml", ofd)
            archive.writestr("Doc_0/Document.xml", document)
            archive.writestr("Doc_0/PublicRes.xml", resources)
            for index, page in enumerate(self.pages):
                archive.writestr(f"Doc_0/Pages/Page_{index}/Content.xml", page.content(namespace))
            for name, data in self.extra_members.items():
                archive.writestr(name, data)
        return buffer.getvalue()


# A4 body text as GB/T 9704 sets it: 3号 (16 pt, 5.6 mm) characters, 28 to a line of 156 mm
# from a 28 mm left margin, 22 lines of 10 mm down from 37 mm.
SIZE = 5.6
LEFT = 28.0
TOP = 37.0
LINE_HEIGHT = 10.0


def typeset_layout(text: str, *, size: float = SIZE, info: dict[str, str] | None = None) -> Package:
    """``pdftotext -layout`` text put back on pages: each line on its own baseline, each run of
    text at the column pdftotext wrote it in (a column is half a character), a form feed a new page."""
    package = Package(info=dict(info or {}))
    unit = size / 2
    for page_text in text.split("\f"):
        lines = page_text.split("\n")
        page = package.page(height=max(297.0, TOP + 30 + len(lines) * LINE_HEIGHT))  # as long as the text
        for number, line in enumerate(lines):
            baseline = TOP + size + number * LINE_HEIGHT
            column = 0
            run_start, run = 0, ""
            for char in line + " ":
                if char == " ":
                    if run:
                        page.text(LEFT + run_start * unit, baseline, run, size)
                    run = ""
                    column += 1
                    continue
                if not run:
                    run_start = column
                run += char
                column += 2 if unicodedata.east_asian_width(char) in "WF" else 1
    return package


@dataclass
class Cell:
    text: str
    colspan: int = 1
    centered: bool = True


class Typesetter:
    """A report flowed onto A4 pages as a word processor sets it before saving as OFD: a centred
    title, paragraphs with a two-character first-line indent wrapped and justified to the margins
    (a run of Latin letters or digits is never broken), tables of bordered cells, the sign-off set
    right, and "- N -" at the foot of each page."""

    LINES_PER_PAGE = 22

    def __init__(self, info: dict[str, str] | None = None, size: float = SIZE) -> None:
        self.package = Package(info=dict(info or {}))
        self.size = size
        self.width = 28 * size
        self.page: Page | None = None
        self.line = self.LINES_PER_PAGE

    def _baseline(self, lines: int = 1) -> float:
        """The baseline of the next line, on a new page when ``lines`` do not fit on this one."""
        if self.line + lines > self.LINES_PER_PAGE:
            self._finish_page()
            self.page = self.package.page()
            self.line = 0
        baseline = TOP + self.size + self.line * LINE_HEIGHT
        self.line += 1
        return baseline

    def _finish_page(self) -> None:
        if self.page is not None:
            number = f"- {len(self.package.pages)} -"
            self._set(self.page, 105 - len(number) * self.size / 4, TOP + 235, number, self.size)

    def _set(self, page: Page, x: float, baseline: float, text: str, size: float, width: float = 0.0) -> None:
        advances = [advance(char, size) for char in text]
        leftover = width - sum(advances)
        if width and len(text) > 1 and leftover > 0:
            advances[:-1] = [value + leftover / (len(text) - 1) for value in advances[:-1]]  # justified
        page.text(x, baseline, text, size, advances=advances)

    def title(self, text: str) -> None:
        baseline = self._baseline()
        size = self.size * 1.25
        self._set(self.page, LEFT + (self.width - sum(advance(char, size) for char in text)) / 2, baseline, text, size)

    def paragraph(self, text: str, indent: int = 2) -> None:
        lines = wrap(text, self.width, self.size, indent)
        for number, line in enumerate(lines):
            baseline = self._baseline()
            x = LEFT + (indent * self.size if number == 0 else 0)
            last = number == len(lines) - 1
            self._set(self.page, x, baseline, line, self.size, 0.0 if last else LEFT + self.width - x)

    def right(self, text: str) -> None:
        baseline = self._baseline()
        self._set(self.page, LEFT + self.width - sum(advance(char, self.size) for char in text) - 2 * self.size,
                  baseline, text, self.size)

    def table(self, rows: list[list[Cell]], widths: list[float], size: float = 4.2) -> None:
        self._baseline(len(rows))
        self.line -= 1
        for row in rows:
            baseline = self._baseline()
            top = baseline - self.size - (LINE_HEIGHT - self.size) / 2
            x = LEFT
            column = 0
            for cell in row:
                width = sum(widths[column : column + cell.colspan])
                self.page.rectangle(x, top, width, LINE_HEIGHT)
                text_width = sum(advance(char, size) for char in cell.text)
                start = x + (width - text_width) / 2 if cell.centered else x + 1.5
                if cell.text:
                    self._set(self.page, start, top + (LINE_HEIGHT + size * 0.7) / 2, cell.text, size)
                x += width
                column += cell.colspan

    def build(self) -> bytes:
        self._finish_page()
        self.page = None
        return self.package.build()


def wrap(text: str, width: float, size: float, indent: int = 0) -> list[str]:
    """``text`` broken into lines of at most ``width`` millimetres, the first ``indent`` characters
    in; a break never falls inside a run of Latin letters or digits, and a space at a break goes."""
    pieces: list[str] = []
    for char in text:
        if pieces and char.isascii() and char.isalnum() and pieces[-1][-1:].isascii() and pieces[-1][-1:].isalnum():
            pieces[-1] += char
        else:
            pieces.append(char)
    lines: list[str] = []
    line, used, room = "", 0.0, width - indent * size
    for piece in pieces:
        piece_width = sum(advance(char, size) for char in piece)
        if line and used + piece_width > room + 1e-9:
            lines.append(line.rstrip(" "))
            line, used, room = "", 0.0, width
        if not line and piece == " ":
            continue
        line += piece
        used += piece_width
    if line.strip():
        lines.append(line.rstrip(" "))
    return lines
