"""The PDF reader: real reports with a text layer, LibreOffice exports with injected faults, damaged,
encrypted, huge and scanned files, and the paragraph and page-break logic on generated geometry.

What the tests expect of ``huaian-2024.pdf`` was read off its rendered pages: the page, row and column
of each cell named here is where a person finds it."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
import zlib
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nianbao.config.files import DEFAULT_CONFIG
from nianbao.engine.linter import Linter
from nianbao.read import ocr
from nianbao.read import pdf as pdf_reader
from nianbao.read.formats import ReadLimits, decode_document
from nianbao.read.pdf import read_pdf
from nianbao.read.pdf_tables import EDGE_TOLERANCE, PageTable, SplitTable, TableCell
from nianbao.read.pdf_text import Glyph, Margins, continues_paragraph, make_line
from nianbao.read.source import ReadError
from nianbao.testing import plugin_set
from nianbao.text.location import Place

DOCUMENTS = Path(__file__).resolve().parent / "data" / "documents"
HUAIAN = DOCUMENTS / "huaian-2024.pdf"
LIMITS = ReadLimits()
OFFICIAL_2021 = [
    "2021.active.20-1",
    "2021.active.20-5",
    "2021.active.20-6",
    "2021.active.20-8",
    "2021.application",
    "review-litigation",
]


class _Resolver:
    def __init__(self, config) -> None:
        self.config = config

    def for_path(self, path):
        return self.config


@lru_cache(maxsize=None)
def source(name: str):
    path = DOCUMENTS / name
    return read_pdf(path.read_bytes(), str(path), LIMITS)


@lru_cache(maxsize=None)
def linted(name: str):
    config = dataclasses.replace(DEFAULT_CONFIG, root=Path.cwd())
    linter = Linter(plugin_set(), _Resolver(config), debug=True)
    return linter.lint_source(source(name), config)


def lines(name: str) -> list[str]:
    return source(name).text.splitlines()


def place_of(name: str, text: str) -> Place:
    found = source(name)
    start = found.text.index(text)
    return found.origin.place(start, start + len(text))


# --- huaian-2024.pdf: a real report made by WPS ----------------------------------------------------


def test_every_official_table_of_the_real_report_is_a_grid_its_templates_recognise():
    document = linted("huaian-2024.pdf").document
    assert [table.template for table in document.tables] == OFFICIAL_2021
    assert document.unrecognized_tables == []
    application = next(table for table in document.tables if table.template == "2021.application")
    # Page 4: 一、本年新收 3001 … 3119; page 5: （七）总计 2932 … 3050, 四、结转下年度继续办理 103.
    assert application.value("new", "natural_person") == 3001
    assert application.value("new", "total") == 3119
    assert application.value("unavailable.needs_creation", "natural_person") == 11
    review = next(table for table in document.tables if table.template == "review-litigation")
    assert [cell.text for cell in review.rows[0].cells][:5] == ["72", "64", "178", "37", "351"]


def test_the_real_report_tables_come_out_as_pipe_rows_with_their_merged_cells_once():
    text = lines("huaian-2024.pdf")
    assert "| 三、本年度办理结果 | （一）予以公开 | 1288 | 21 | 0 | 0 | 50 | 3 | 1362 |" in text
    # 「（四）无法提供」 starts on page 4 as 「（四）无」 and ends on page 5 as 「法提供」: one cell.
    assert "| （四）无法提供 | 1.本机关不掌握相关政府信息 | 746 | 12 | 0 | 0 | 10 | 1 | 769 |" in text
    assert "| 2.没有现成信息需要另行制作 | 11 | 0 | 0 | 0 | 0 | 0 | 11 |" in text
    # The 主动公开 table runs from page 3 onto page 4 without a header of its own: one table.
    assert sum(line.startswith("| 信息内容 |") for line in text) == 4
    assert len([line for line in text if line.startswith("| 第二十条")]) == 4


def test_linting_the_real_report_finds_no_table_arithmetic_or_narrative_fault():
    # Its tables add up (checked by hand: 3001+53+0+0+61+4 = 3119, 1362+454+…+110 = 3050, …).
    codes = [diagnostic.code for diagnostic in linted("huaian-2024.pdf").diagnostics]
    assert [code for code in codes if code[:2] in ("TB", "AR", "NR", "PS")] == []


def test_framed_prose_on_pages_1_and_3_is_prose():
    text = lines("huaian-2024.pdf")
    opening = next(line for line in text if line.startswith("本报告由淮安市人民政府办公室"))
    assert opening.endswith("电子邮箱：hazwgkc@163.com）。")
    assert "|" not in opening
    assert place_of("huaian-2024.pdf", opening).page == 1
    supervision = next(line for line in text if line.startswith("（五）政府信息公开监督保障情况。"))
    assert supervision.endswith("不断提高全市政务公开工作人员的工作能力和水平。")
    assert place_of("huaian-2024.pdf", supervision).page == 3


def test_page_numbers_are_not_part_of_the_text():
    text = source("huaian-2024.pdf").text
    assert not re.search(r"-\s*\d\s*-", text)
    assert all(line.strip() not in {str(number) for number in range(1, 7)} for line in text.splitlines())


def test_a_paragraph_wrapped_over_lines_is_one_line_and_its_place_is_its_first_line():
    sentence = "另有 103 件顺延到下年度答复），均在法定期限内予以答复。"
    (paragraph,) = [line for line in lines("huaian-2024.pdf") if sentence in line]
    assert paragraph.startswith("（二）依申请公开情况。定期对政府信息公开申请集中的领")
    # Page 2: three lines of the paragraph carried over from page 1, then this one.
    place = place_of("huaian-2024.pdf", paragraph)
    assert (place.page, place.page_line) == (2, 4)
    assert place.box is not None and place.box[1] == pytest.approx(174.0, abs=1)


def test_a_paragraph_continued_on_the_next_page_is_joined_and_each_part_keeps_its_page():
    (paragraph,) = [line for line in lines("huaian-2024.pdf") if line.startswith("（一）主动公开情况。")]
    assert "“建设‘四最’一流营商环境高质量推进产业发展”" in paragraph  # page 1's last line, page 2's first
    start = place_of("huaian-2024.pdf", "（一）主动公开情况")
    assert (start.page, start.page_line) == (1, 15)
    continued = place_of("huaian-2024.pdf", "营商环境高质量")
    assert (continued.page, continued.page_line) == (2, 1)
    assert continued.box[1] == pytest.approx(90.0, abs=1)


def test_the_title_set_over_two_lines_is_one_line():
    assert lines("huaian-2024.pdf")[0] == "淮安市人民政府2024 年政府信息公开工作年度报告"
    assert "ST002" not in [diagnostic.code for diagnostic in linted("huaian-2024.pdf").diagnostics]


def test_a_cell_found_by_a_rule_is_located_on_its_page_row_and_column():
    document = linted("huaian-2024.pdf").document
    application = next(table for table in document.tables if table.template == "2021.application")
    # Page 5, first row: 「2.没有现成信息需要另行制作」 of （四）无法提供, 自然人 11. Rows 1–16 are on
    # page 4 (three header rows, thirteen data rows); the three label columns come first.
    cell = application.cell("unavailable.needs_creation", "natural_person")
    place = document.locate(cell.span).place
    assert (place.page, place.table, place.row, place.column) == (5, 2, 17, 4)
    assert place.describe() == "第5页 表2 第17行第4列"
    x0, top, x1, bottom = place.box
    assert 250.9 < x0 < x1 < 284.6 and 79.9 < top < bottom < 103.9  # inside the 自然人 cell's rulings


def test_the_real_report_facts_are_decoded():
    facts = source("huaian-2024.pdf").facts
    assert facts.title == "政府信息公开工作年度报告"  # UTF-16LE with its byte order mark
    assert facts.author == "王守强"
    assert (facts.created, facts.modified) == ("2025-02-25", "2025-02-25")
    assert facts.producer == "WPS 文字(Jisupdf Editor)"
    assert facts.pages == 6
    assert source("huaian-2024.pdf").format == "pdf"


# --- LibreOffice exports of the 2021 example report ----------------------------------------------


def test_an_exported_report_with_tables_split_over_pages_reads_clean():
    result = linted("2021-template.pdf")
    assert [table.template for table in result.document.tables] == OFFICIAL_2021
    assert [diagnostic.code for diagnostic in result.diagnostics if diagnostic.code[:2] in ("TB", "AR", "PS")] == []
    # 「5.属于三类内部事务信息」 is cut by the break after page 2: its row ends on page 3.
    assert "| 5.属于三类内部事务信息 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |" in lines("2021-template.pdf")


def test_an_injected_fault_is_reported_at_its_page_and_cell():
    result = linted("2021-template-total-fault.pdf")
    (fault,) = [diagnostic for diagnostic in result.diagnostics if diagnostic.code.startswith(("AR", "TB"))]
    assert fault.code == "AR001"
    # Page 4 of the PDF: 「（七）总计」 is row 26 of the 依申请 table (table 5 after the four
    # 主动公开 tables), 自然人 its third grid column.
    place = fault.location.place
    assert (place.page, place.table, place.row, place.column) == (4, 5, 26, 3)
    assert "“（七）总计”行“自然人”栏的 5" in fault.message


def test_header_rows_repeated_on_the_next_page_are_dropped():
    result = linted("2021-template-repeated-header.pdf")
    assert [table.template for table in result.document.tables] == OFFICIAL_2021
    assert [diagnostic.code for diagnostic in result.diagnostics if diagnostic.code[:2] in ("TB", "AR", "PS")] == []
    assert sum(line.startswith("| 自然人 |") for line in lines("2021-template-repeated-header.pdf")) == 1


def display_column(line: str, index: int) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in line[:index])


def test_tables_without_ruling_lines_keep_their_columns_as_runs_of_spaces():
    text = lines("2021-template-borderless.pdf")
    assert not any(line.startswith("|") for line in text)
    header = next(line for line in text if line.startswith("信息内容") and "本年制发件数" in line)
    assert re.fullmatch(r"信息内容 {2,}本年制发件数 {2,}本年废止件数 {2,}现行有效件数", header)
    row = next(line for line in text if line.startswith("行政规范性文件"))
    assert re.fullmatch(r"行政规范性文件 {2,}2 {2,}1 {2,}9", row)
    # Left-aligned cells: each value starts at the display column its header starts at.
    for label, value in (("本年制发件数", " 2 "), ("本年废止件数", " 1 "), ("现行有效件数", " 9")):
        assert display_column(header, header.index(label)) == display_column(row, row.index(value) + 1)
    # The 依申请 table's row cut by the break after page 2 goes on at the top of page 3 in its column.
    cut = text.index(next(line for line in text if line.strip().startswith("（三）") and line.endswith("0")))
    assert [line.strip() for line in text[cut + 1 : cut + 5]] == ["不予公", "开 1.属", "于国家", "秘密"]
    assert {display_column(line, len(line) - len(line.lstrip())) for line in text[cut : cut + 5]} == {9}
    result = linted("2021-template-borderless.pdf")
    assert [table.template for table in result.document.tables] == OFFICIAL_2021
    assert [diagnostic.code for diagnostic in result.diagnostics if diagnostic.code[:2] in ("TB", "AR", "PS")] == []


def test_an_owner_password_only_pdf_opens_and_a_user_password_one_is_refused():
    assert source("encrypted-owner-password.pdf").text == source("2021-template.pdf").text
    path = DOCUMENTS / "encrypted-user-password.pdf"
    with pytest.raises(ReadError) as caught:
        read_pdf(path.read_bytes(), str(path), LIMITS)
    assert caught.value.reason == "encrypted"
    assert "密码" in caught.value.message


# --- damaged, huge and hostile files -----------------------------------------------------------


def pdf_bytes(pages: list[dict], info: dict[str, bytes] | None = None) -> bytes:
    """A valid PDF written object by object. Each page: ``text`` (ASCII lines drawn in Helvetica
    from the top of the body down), ``at`` (``(x, y, text)`` drawn at a position, y from the
    bottom), ``unmapped`` (that many glyphs of a font that maps them to no character) and
    ``image`` (a grey square)."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    def stream(data: bytes, extra: bytes = b"") -> bytes:
        packed = zlib.compress(data)
        return b"<< /Length %d /Filter /FlateDecode %s >>\nstream\n" % (len(packed), extra) + packed + b"\nendstream"

    catalog = add(b"")
    tree = add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    # A CID font without a ToUnicode map: its glyphs have no characters.
    cid_font = add(
        b"<< /Type /Font /Subtype /Type0 /BaseFont /NoMap /Encoding /Identity-H /DescendantFonts [<< /Type /Font "
        b"/Subtype /CIDFontType2 /BaseFont /NoMap /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) "
        b"/Supplement 0 >> >>] >>"
    )
    image = add(stream(b"\x80" * 64, b"/Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray /BitsPerComponent 8"))
    shared = add(stream(b""))
    kids = []
    for page in pages:
        content = b""
        if page.get("text"):
            content += b"BT /F1 12 Tf 72 720 Td 14 TL " + b" ".join(
                b"(%s) Tj T*" % line.encode("ascii") for line in page["text"]
            ) + b" ET "
        if page.get("unmapped"):
            content += b"BT /F2 12 Tf 72 700 Td <%s> Tj ET " % (b"0102" * page["unmapped"])
        for x, y, line in page.get("at", ()):
            content += b"BT /F1 10 Tf %d %d Td (%s) Tj ET " % (x, y, line.encode("ascii"))
        if page.get("image"):
            content += b"q 400 0 0 400 100 200 cm /Im1 Do Q"
        contents = add(stream(content)) if content else shared
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                b"/Resources << /Font << /F1 %d 0 R /F2 %d 0 R >> /XObject << /Im1 %d 0 R >> >> >>"
                % (tree, contents, font, cid_font, image)
            )
        )
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % tree
    objects[tree - 1] = b"<< /Type /Pages /Count %d /Kids [%s] >>" % (
        len(kids),
        b" ".join(b"%d 0 R" % kid for kid in kids),
    )
    info_number = None
    if info:
        info_number = add(b"<< " + b" ".join(b"/%s <%s>" % (key.encode(), value.hex().encode()) for key, value in info.items()) + b" >>")
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    trailer = b"/Size %d /Root %d 0 R" % (len(objects) + 1, catalog)
    if info_number:
        trailer += b" /Info %d 0 R" % info_number
    out += b"trailer\n<< " + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def refusal(data: bytes, limits: ReadLimits = LIMITS) -> ReadError:
    with pytest.raises(ReadError) as caught:
        decode_document(data, "report.pdf", limits)
    return caught.value


def test_a_truncated_pdf_is_damaged():
    data = HUAIAN.read_bytes()
    error = refusal(data[: len(data) // 3])
    assert error.reason == "damaged"
    assert "损坏" in error.message


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n" + bytes(range(256)) * 40,
        b"%PDF-",
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF",
        b"%PDF-1.4\n" + b"(" * 5000 + b"[" * 5000,
    ],
    ids=["binary", "header-only", "no-pages", "unbalanced"],
)
def test_garbage_after_the_pdf_header_is_damaged(data):
    error = refusal(data)
    assert error.reason == "damaged"


def test_more_pages_than_the_limit_are_refused_before_any_page_is_read(monkeypatch):
    read = []
    monkeypatch.setattr(pdf_reader, "_read_page", lambda *args: read.append(args))
    data = pdf_bytes([{}] * 4000)
    error = refusal(data)
    assert error.reason == "too-many-pages"
    assert "4000" in error.message and str(LIMITS.max_pages) in error.message
    assert read == []


def test_a_page_with_an_absurd_number_of_objects_is_refused(monkeypatch):
    monkeypatch.setattr(pdf_reader, "MAX_PAGE_OBJECTS", 100)
    error = refusal(HUAIAN.read_bytes())
    assert error.reason == "too-large"
    assert "第 1 页" in error.message


def test_reading_stops_when_the_time_is_up():
    error = refusal(HUAIAN.read_bytes(), dataclasses.replace(LIMITS, max_seconds=0.0))
    assert error.reason == "timeout"


def test_bad_files_do_not_stop_the_next_ones_from_being_read():
    good = HUAIAN.read_bytes()
    outcomes = []
    for data in (good[:5000], pdf_bytes([{}] * 400), good, b"%PDF-1.7\n\x00\x01garbage", good):
        try:
            outcomes.append(decode_document(data, "report.pdf", LIMITS).text.splitlines()[0])
        except ReadError as error:
            outcomes.append(error.reason)
    title = "淮安市人民政府2024 年政府信息公开工作年度报告"
    assert outcomes == ["damaged", "too-many-pages", title, "damaged", title]


def test_running_headers_and_page_numbers_are_dropped_and_lines_are_counted_without_them():
    pages = [
        {
            "at": [(72, 800, "Annual Report of the County Government"), (280, 40, f"- {number} -")],
            "text": [f"Body text of page {number}.", "A second line."],
        }
        for number in range(1, 4)
    ]
    pages.append({"at": [(72, 800, "Annual Report of the County Government"), (260, 40, "Page 4 of 4")], "text": ["End."]})
    found = read_pdf(pdf_bytes(pages), "report.pdf", LIMITS)
    assert found.text.splitlines() == [
        "Body text of page 1.", "A second line.",
        "Body text of page 2.", "A second line.",
        "Body text of page 3.", "A second line.",
        "End.",
    ]
    start = found.text.index("A second line.", found.text.index("page 3"))
    place = found.origin.place(start, start + 1)
    assert (place.page, place.page_line) == (3, 2)


def test_a_header_on_one_page_only_is_text():
    pages = [{"at": [(72, 800, "Draft")], "text": ["Body."]}, {"text": ["Body."]}, {"text": ["Body."]}]
    assert read_pdf(pdf_bytes(pages), "report.pdf", LIMITS).text.splitlines()[0] == "Draft"


MUTATIONS = st.lists(
    st.tuples(st.floats(min_value=0, max_value=1, exclude_max=True), st.sampled_from(["set", "cut", "insert"]), st.binary(min_size=1, max_size=12)),
    min_size=1,
    max_size=12,
)


@settings(max_examples=60, deadline=None)
@given(MUTATIONS)
def test_a_damaged_pdf_is_read_or_refused_never_a_crash(mutations):
    data = bytearray(pdf_bytes([{"text": ["Body text.", "More."], "at": [(280, 40, "- 1 -")]}, {"image": True}]))
    for where, how, chunk in mutations:
        position = int(where * len(data))
        if how == "set":
            data[position : position + len(chunk)] = chunk
        elif how == "cut":
            del data[position : position + 8 * len(chunk)]
        else:
            data[position:position] = chunk
    try:
        found = decode_document(bytes(data), "report.pdf", LIMITS)
    except ReadError as error:
        assert error.reason in {"damaged", "encrypted", "needs-extra", "too-large", "too-many-pages", "binary", "encoding", "unsupported"}
        assert error.message
    else:
        assert isinstance(found.text, str)


def test_metadata_in_every_encoding_producers_use_is_decoded():
    data = pdf_bytes(
        [{"text": ["Annual report"]}],
        {
            "Title": b"\xfe\xff" + "某县2023年政府信息公开工作年度报告".encode("utf-16-be"),
            "Author": "某县人民政府办公室".encode("gb18030"),
            "Producer": "Microsoft® Word".encode("utf-8"),
            "Creator": b"caf\xe9",  # PDFDocEncoding
            "CreationDate": b"D:20240115093000+08'00'",
            "ModDate": b"D:2024",
        },
    )
    facts = read_pdf(data, "report.pdf", LIMITS).facts
    assert facts.title == "某县2023年政府信息公开工作年度报告"
    assert facts.author == "某县人民政府办公室"
    assert facts.producer == "Microsoft® Word"
    assert facts.created == "2024-01-15"
    assert facts.modified is None  # a year alone is no date
    assert facts.pages == 1


# --- scanned pages --------------------------------------------------------------------------------


def test_a_scanned_pdf_needs_the_ocr_extra(monkeypatch):
    monkeypatch.setattr(ocr, "ocr_available", lambda: False)  # the ocr extra is not installed
    error = refusal(pdf_bytes([{"image": True}, {"image": True}]))
    assert error.reason == "needs-extra"
    assert "扫描件" in error.message and "pip install 'nianbao[ocr]'" in error.message


def test_scanned_pages_among_text_pages_are_named(monkeypatch):
    monkeypatch.setattr(ocr, "ocr_available", lambda: False)
    pages = [{"text": ["text"]}, {"image": True}, {"image": True}, {"text": ["text"]}, {"image": True}]
    error = refusal(pdf_bytes(pages))
    assert error.reason == "needs-extra"
    assert "第 2–3、5 页" in error.message


def test_a_page_whose_glyphs_have_no_characters_is_read_like_a_scan(monkeypatch):
    monkeypatch.setattr(ocr, "ocr_available", lambda: False)
    error = refusal(pdf_bytes([{"text": ["Cover"]}, {"unmapped": 40, "text": ["p. 2"]}]))
    assert error.reason == "needs-extra"
    assert "第 2 页" in error.message


@dataclasses.dataclass(frozen=True)
class FakeOcrLine:
    text: str
    boxes: tuple
    confidences: tuple


def test_a_scanned_page_is_read_by_ocr_when_it_is_installed(monkeypatch):
    def recognize_page(page, limits, deadline=None):
        def line(text, top, confidence):
            boxes = tuple((100 + 12 * index, top, 112 + 12 * index, top + 12) for index in range(len(text)))
            return FakeOcrLine(text, boxes, (confidence,) * len(text))

        return [line("一、总体情况", 100, 0.98), line("本年度收到申请5件。", 130, 0.61)]

    # The engine's reading is replaced by known lines, so the test is about how the PDF reader uses them.
    monkeypatch.setattr(ocr, "ocr_available", lambda: True)
    monkeypatch.setattr(ocr, "recognize_page", recognize_page)
    found = read_pdf(pdf_bytes([{"text": ["Cover"]}, {"image": True}]), "scan.pdf", LIMITS)
    assert found.text.splitlines() == ["Cover", "一、总体情况", "本年度收到申请5件。"]
    assert found.facts.ocr_pages == (2,)
    start = found.text.index("5件")
    place = found.origin.place(start, start + 2)
    assert (place.page, place.page_line, place.confidence) == (2, 2, 0.61)
    assert place.box == (184.0, 130.0, 208.0, 142.0)  # the 8th and 9th characters


# --- paragraph reflow and page breaks on generated geometry ---------------------------------------

SIZE = 16.0
LEFT, RIGHT = 74.0, 522.0
PER_LINE = int((RIGHT - LEFT) // SIZE)
MARGINS = Margins(LEFT, RIGHT, SIZE, 12.0)
HANZI = st.text(alphabet=st.sampled_from("政府信息公开申请答复件年度报告办理结果"), min_size=1, max_size=3 * PER_LINE)


def typeset(paragraphs: list[tuple[str, bool]]) -> tuple[list, list[int]]:
    """Lines of justified paragraphs (indented two characters, or headings) as a WPS page shows
    them, and the paragraph each line belongs to."""
    lines, owners = [], []
    top = 90.0
    for number, (text, heading) in enumerate(paragraphs):
        remaining = text
        first = True
        while remaining:
            indent = 2 if first else 0
            room = PER_LINE - indent
            part, remaining = remaining[:room], remaining[room:]
            if heading:
                part, remaining = "一、" + part[: room // 2], ""
            # A full line is spread to the right margin; a paragraph's last line is not.
            pitch = (RIGHT - LEFT - indent * SIZE) / len(part) if remaining else SIZE
            glyphs = [
                Glyph(char, LEFT + indent * SIZE + index * pitch, top, LEFT + indent * SIZE + index * pitch + SIZE, top + SIZE, SIZE)
                for index, char in enumerate(part)
            ]
            lines.append(make_line(1, glyphs))
            owners.append(number)
            top += SIZE + 12.0
            first = False
    return lines, owners


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(HANZI, st.booleans()), min_size=1, max_size=6))
def test_reflow_joins_exactly_the_lines_of_each_paragraph(paragraphs):
    lines, owners = typeset(paragraphs)
    for line, following, owner, next_owner in zip(lines, lines[1:], owners, owners[1:]):
        assert continues_paragraph(line, following, MARGINS) == (owner == next_owner)
    assert all(" " not in line.text for line in lines)  # no space inside CJK text


def part(page: int, columns: list[float], rows: int = 2) -> PageTable:
    cells = [
        TableCell(page, left, 100.0 + 20 * row, right, 120.0 + 20 * row, row, 1, text=f"第{page}页{row}行{column}列")
        for row in range(rows)
        for column, (left, right) in enumerate(zip(columns, columns[1:]))
    ]
    return PageTable(page, (columns[0], 100.0, columns[-1], 100.0 + 20 * rows), columns, rows, cells)


EDGES = st.lists(st.floats(min_value=80, max_value=500), min_size=1, max_size=8, unique=True).map(
    lambda inner: [72.0, *sorted(inner), 520.0]
).filter(lambda edges: all(b - a > 4 * EDGE_TOLERANCE for a, b in zip(edges, edges[1:])))


@settings(max_examples=200, deadline=None)
@given(EDGES, st.data())
def test_a_table_continues_on_the_next_page_only_when_its_column_edges_match(edges, data):
    table = SplitTable(part(3, edges))
    jitter = st.floats(min_value=-EDGE_TOLERANCE * 0.9, max_value=EDGE_TOLERANCE * 0.9)
    # Some of its columns merged on the next page (no row there uses the ruling between them).
    kept = data.draw(st.lists(st.sampled_from(edges[1:-1]), unique=True)) if len(edges) > 2 else []
    continuation = [edges[0] + data.draw(jitter), *sorted(edge + data.draw(jitter) for edge in kept), edges[-1]]
    assert table.accepts(part(4, continuation))
    assert not table.accepts(part(5, continuation))  # not the next page
    shifted = [edges[0] + 3 * EDGE_TOLERANCE, *continuation[1:]]
    if shifted[0] < shifted[1]:
        assert not table.accepts(part(4, shifted))
    # A ruling the first part does not have, while it has one the continuation lacks: another table.
    gaps = [(a + b) / 2 for a, b in zip(edges, edges[1:])]
    if set(kept) != set(edges[1:-1]):
        foreign = sorted([*continuation[1:-1], gaps[0]])
        assert not table.accepts(part(4, [continuation[0], *foreign, continuation[-1]]))
    table.extend(part(4, continuation))
    grid = table.grid()
    assert len(grid.rows) == 4 and grid.width == len(edges) - 1
