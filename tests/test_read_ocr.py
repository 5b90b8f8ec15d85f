"""OCR of scanned PDF pages (nianbao.read.ocr), on image-only PDFs made from a real report.

tests/data/documents/scanned-huaian-2024-*.pdf are pages 1 (prose) and 4–5 (the application
table) of huaian-2024.pdf rendered to grayscale JPEG images at 200 dpi, with no text layer
(scripts/make_scanned_pdf.py). The original's own text layer and character boxes are the truth
the recognised text and boxes are compared with. The values expected from the table were read
off the page by hand and agree with the original's text layer.
"""

from __future__ import annotations

import difflib
import io
import re
import unicodedata
from pathlib import Path

import pdfplumber
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nianbao.config.files import ConfigResolver
from nianbao.engine.linter import Linter
from nianbao.parse.lines import is_layout_row
from nianbao.plugins.manager import load_plugins
from nianbao.read import ocr
from nianbao.read.formats import ReadLimits
from nianbao.read.source import ReadError
from PIL import Image as PIL_Image
from table_renderings import APPLICATION_ROWS_2021

DOCUMENTS = Path(__file__).resolve().parent / "data" / "documents"
ORIGINAL = DOCUMENTS / "huaian-2024.pdf"
PROSE = DOCUMENTS / "scanned-huaian-2024-p1.pdf"
TABLE = DOCUMENTS / "scanned-huaian-2024-p4-5.pdf"
LIMITS = ReadLimits()

needs_engine = pytest.mark.skipif(
    not ocr.ocr_available(), reason="the OCR engine is not installed: pip install 'nianbao[ocr]'"
)
# Rows of the application table (page, its label's last line, its key, its values), read off
# the pages by hand; they agree with the original's text layer.
TABLE_ROWS = [
    (4, "一、本年新收政府信息公开申请数量", "new", "3001 53 0 0 61 4 3119"),
    (4, "二、上年结转政府信息公开申请数量", "carried_over", "34 0 0 0 0 0 34"),
    (4, "（一）予以公开", "granted", "1288 21 0 0 50 3 1362"),
    (4, "形，不计其他情形）", "partial", "447 7 0 0 0 0 454"),
    (4, "1.属于国家秘密", "withheld.state_secret", "2 0 0 0 0 0 2"),
    (4, "5.属于三类内部事务信息", "withheld.internal_affairs", "7 1 0 0 0 0 8"),
    (4, "8.属于行政查询事项", "withheld.inquiry", "105 0 0 0 0 0 105"),
    (5, "1.信访举报投诉类申请", "not_processed.petition", "56 6 0 0 0 0 62"),
    (5, "（七）总计", "total", "2932 53 0 0 61 4 3050"),
    (5, "四、结转下年度继续办理", "carry_forward", "103 0 0 0 0 0 103"),
]
NUMBER = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])")


def squeezed(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def share_right(truth: str, found: str) -> float:
    """The share of the truth's characters that the alignment with the found text matches."""
    matcher = difflib.SequenceMatcher(None, truth, found, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / len(truth)


def image_pdf(image, dpi: float) -> io.BytesIO:
    data = io.BytesIO()
    image.save(data, "PDF", resolution=dpi)
    data.seek(0)
    return data


def line_with(lines: list[ocr.OcrLine], phrase: str) -> ocr.OcrLine:
    found = [line for line in lines if phrase in line.text]
    assert len(found) == 1, (phrase, [line.text for line in lines])
    return found[0]


def numbers_after(line: ocr.OcrLine, label: str) -> list[str]:
    return NUMBER.findall(line.text[line.text.index(label) + len(label):])


@pytest.fixture(scope="module")
def prose_lines() -> list[ocr.OcrLine]:
    with pdfplumber.open(PROSE) as pdf:  # opened by path
        return ocr.recognize_page(pdf.pages[0], LIMITS)


@pytest.fixture(scope="module")
def table_pages() -> list[list[ocr.OcrLine]]:
    with pdfplumber.open(io.BytesIO(TABLE.read_bytes())) as pdf:  # opened from bytes, as a reader does
        return [ocr.recognize_page(page, LIMITS) for page in pdf.pages]


@pytest.fixture(scope="module")
def original():
    with pdfplumber.open(ORIGINAL) as pdf:
        yield pdf


# --- text ---------------------------------------------------------------------------------------


@needs_engine
def test_prose_is_recognised_as_the_text_layer_has_it(prose_lines, original) -> None:
    truth = squeezed(original.pages[0].extract_text())
    found = squeezed("\n".join(line.text for line in prose_lines))
    assert share_right(truth, found) >= 0.98
    lines = [squeezed(line.text) for line in prose_lines]
    for sentence in (
        "本报告由淮安市人民政府办公室根据《中华人民共和国政府",
        "制。报告所列统计期限自2024年1月1日至2024年12月31日。",
        "严格落实《中华人民共和国政府信息公开条例》各项规定,圆满",
        "府信息5500余条,全年新增公开市政府规章1件、市政府及市",
    ):
        assert sentence in lines


@needs_engine
def test_the_table_numbers_are_recognised_in_their_rows(table_pages) -> None:
    page4, page5 = table_pages
    assert numbers_after(line_with(page4, "行政处罚"), "行政处罚") == ["3985758"]
    assert numbers_after(line_with(page4, "行政强制"), "行政强制") == ["88283"]
    assert numbers_after(line_with(page4, "行政事业性收费"), "行政事业性收费") == ["96171.6"]
    for page, label, _, values in TABLE_ROWS:
        lines = page4 if page == 4 else page5
        assert numbers_after(line_with(lines, label), label) == values.split(), label


@needs_engine
def test_table_rows_keep_their_column_gaps_for_the_layout_reader(table_pages) -> None:
    page4, page5 = table_pages
    assert is_layout_row(line_with(page4, "二、上年结转政府信息公开申请数量").text)
    text = "\n".join(line.text for line in page4) + "\f" + "\n".join(line.text for line in page5)
    linter = Linter(load_plugins(entry_points=False), ConfigResolver(isolated=True))
    document = linter.lint_bytes(text.encode("utf-8"), "scanned.txt").document
    rows = {
        row.key: [cell.text for cell in row.cells]
        for table in document.tables
        if table.template.endswith("application")
        for row in table.rows
        if row.key
    }
    for _, _, key, values in TABLE_ROWS:
        assert rows[key] == values.split(), key
    # Every row of the official table is found (the table is split where its merged
    # "三、本年度办理结果" cell stands one character a line, as in pdftotext's text).
    assert set(rows) == {key for *_, key in APPLICATION_ROWS_2021}


# --- boxes and confidences -----------------------------------------------------------------------


def original_boxes(page, phrase: str) -> list[tuple]:
    chars = [char for char in page.chars if char["text"].strip()]
    start = "".join(char["text"] for char in chars).index(phrase)
    return [(c["x0"], c["top"], c["x1"], c["bottom"]) for c in chars[start:start + len(phrase)]]


@needs_engine
@pytest.mark.parametrize(
    "page_number, phrase",
    [(1, "本报告由淮安市人民政府办公室根据"), (1, "223001"), (4, "行政事业性收费"), (4, "3985758"), (4, "3119")],
)
def test_character_boxes_lie_on_the_original_characters(prose_lines, table_pages, original, page_number, phrase):
    lines = prose_lines if page_number == 1 else table_pages[0]
    line = line_with(lines, phrase)
    start = line.text.index(phrase)
    found = line.boxes[start:start + len(phrase)]
    # A third of a 10.5 pt character: the boxes are read off 200 dpi pixels.
    for expected, box in zip(original_boxes(original.pages[page_number - 1], phrase), found, strict=True):
        assert all(abs(a - b) <= 3.5 for a, b in zip(expected, box)), (phrase, expected, box)


@needs_engine
def test_every_character_has_a_box_on_the_page_and_a_confidence(prose_lines, table_pages) -> None:
    for line in prose_lines + table_pages[0] + table_pages[1]:
        assert len(line.boxes) == len(line.text) == len(line.confidences)
        assert all(0.0 <= value <= 1.0 for value in line.confidences)
        assert all(0 <= x0 <= x1 <= 596 and 0 <= top <= bottom <= 843 for x0, top, x1, bottom in line.boxes)
        # Left to right: each box starts where the one before started or further right.
        assert all(a[0] <= b[0] + 1.0 for a, b in zip(line.boxes, line.boxes[1:])), line.text
    assert any(value < 1.0 for line in table_pages[0] for value in line.confidences)


@needs_engine
def test_lines_come_in_reading_order(table_pages) -> None:
    texts = [squeezed(line.text) for line in table_pages[0]]
    order = ["信息内容本年处理决定数量", "三、收到和处理政府信息公开申请情况", "(一)予以公开128821005031362"]
    assert [texts.index(text) for text in order] == sorted(texts.index(text) for text in order)


# --- pages that are not ordinary ------------------------------------------------------------------


@needs_engine
def test_a_skewed_scan_keeps_each_table_row_on_one_line() -> None:
    with pdfplumber.open(TABLE) as pdf:
        image = pdf.pages[0].to_image(resolution=200).original.convert("L")
    rows = image.crop((200, 1270, 1450, 1460)).rotate(2.5, fillcolor=255, expand=True)  # a careless scan's skew
    with pdfplumber.open(image_pdf(rows, 200)) as pdf:
        lines = ocr.recognize_page(pdf.pages[0], LIMITS)
    label = "一、本年新收政府信息公开申请数量"
    assert numbers_after(line_with(lines, label), label) == ["3001", "53", "0", "0", "61", "4", "3119"]


@needs_engine
def test_a_page_stored_sideways_is_read_as_displayed() -> None:
    import pypdfium2

    with pdfplumber.open(TABLE) as pdf:
        image = pdf.pages[0].to_image(resolution=200).original.convert("L")
    tables = image.crop((200, 200, 1450, 820))  # the 第二十条 tables at the top of page 4
    with pdfplumber.open(image_pdf(tables, 200)) as pdf:
        upright = line_with(ocr.recognize_page(pdf.pages[0], LIMITS), "行政处罚")
    # The image stored turned a quarter left, the page turned back by /Rotate 90, as scanners
    # write landscape pages.
    document = pypdfium2.PdfDocument(image_pdf(tables.rotate(90, expand=True), 200).getvalue())
    document[0].set_rotation(90)
    turned = io.BytesIO()
    document.save(turned)
    document.close()
    with pdfplumber.open(turned) as pdf:
        sideways = line_with(ocr.recognize_page(pdf.pages[0], LIMITS), "行政处罚")
    assert sideways.text.split() == upright.text.split() == ["行政处罚", "3985758"]
    for expected, box in zip(upright.boxes, sideways.boxes, strict=True):
        assert all(abs(a - b) <= 1.5 for a, b in zip(expected, box)), (expected, box)


@needs_engine
def test_a_blank_page_gives_no_lines() -> None:
    with pdfplumber.open(image_pdf(PIL_Image.new("L", (1654, 2339), 255), 200)) as pdf:
        assert ocr.recognize_page(pdf.pages[0], LIMITS) == []


@needs_engine
@pytest.mark.parametrize("size, dpi", [((1000, 1000), 10), ((2000, 10), 10)])
def test_a_huge_page_is_rendered_within_the_pixel_bound(monkeypatch, size, dpi) -> None:
    engine = ocr._engine()
    shapes = []

    def measuring_engine(image, **options):
        shapes.append(image.shape)
        return engine(image, **options)

    monkeypatch.setattr(ocr, "_engine", lambda: measuring_engine)
    # 100 inches square (7200 pt), and a strip 200 inches long: at 200 dpi 288 and 80 million pixels.
    with pdfplumber.open(image_pdf(PIL_Image.new("L", size, 255), dpi)) as pdf:
        assert ocr.recognize_page(pdf.pages[0], LIMITS) == []
    (height, width), = shapes
    assert height * width <= ocr.MAX_PIXELS and max(height, width) <= ocr.MAX_SIDE


class _Page:
    page_number = 3


def test_running_past_the_deadline_is_a_timeout(monkeypatch) -> None:
    monkeypatch.setattr(ocr, "ocr_available", lambda: True)
    monkeypatch.setattr(ocr, "_engine", lambda: None)
    with pytest.raises(ReadError) as caught:
        ocr.recognize_page(_Page(), LIMITS, deadline=0.0)
    assert caught.value.reason == "timeout" and "第3页" in caught.value.message


def test_without_the_engine_the_page_needs_the_extra(monkeypatch) -> None:
    real_find_spec = ocr.importlib.util.find_spec
    monkeypatch.setattr(ocr.importlib.util, "find_spec",
                        lambda name: None if name == "rapidocr_onnxruntime" else real_find_spec(name))
    assert ocr.ocr_available.__wrapped__() is False
    monkeypatch.setattr(ocr, "ocr_available", lambda: False)
    with pytest.raises(ReadError) as caught:
        ocr.recognize_page(_Page(), LIMITS)
    assert caught.value.reason == "needs-extra" and "nianbao[ocr]" in caught.value.message


# --- laying out recognised runs (no engine needed) ------------------------------------------------

CHAR_WIDTH = 10.0  # points per Chinese character; a digit or letter is half
_texts = st.text(alphabet="政府信息公开申请数量0123456789.（）", min_size=1, max_size=8)


@st.composite
def page_runs(draw) -> list:
    """Runs of text on a few lines, left to right with gaps, as detection gives them."""
    runs = []
    for row in range(draw(st.integers(1, 4))):
        x = draw(st.floats(0, 40))
        for _ in range(draw(st.integers(1, 5))):
            text = draw(_texts)
            widths = [CHAR_WIDTH / (1 + (ocr._display_width(char) == 1)) for char in text]
            top = 30.0 * row + draw(st.floats(-2, 2))
            boxes, left = [], x
            for width in widths:
                boxes.append((left, top, left + width, top + 12))
                left += width
            runs.append(ocr._Run(text, boxes, [0.9] * len(text), (x, top, left, top + 12)))
            x = left + draw(st.floats(1, 60))
    return runs


def _row(run) -> int:
    return round(run.bounds[1] / 30)


@settings(max_examples=200, deadline=None)
@given(page_runs())
def test_runs_are_written_out_whole_in_order_with_their_gaps(runs) -> None:
    lines = ocr._layout(list(runs), 0.0)
    rows = sorted({_row(run) for run in runs})
    assert len(lines) == len(rows)
    for line, row in zip(lines, rows):
        assert len(line.text) == len(line.boxes) == len(line.confidences)
        assert all(0 <= value <= 1 for value in line.confidences)
        # The row's runs, intact, left to right, with only spaces between them: two or more
        # where they are more than half a character apart, as layout text keeps a column gap.
        position, previous = 0, None
        for run in sorted((run for run in runs if _row(run) == row), key=lambda run: run.bounds[0]):
            start = line.text.index(run.text, position)
            between = line.text[position:start]
            assert between.strip() == ""
            if previous is not None:
                assert len(between) >= (2 if run.bounds[0] - previous.bounds[2] >= CHAR_WIDTH / 2 else 1)
                # The spaces of a gap have boxes in the gap.
                assert all(previous.bounds[2] - 1e-6 <= line.boxes[i][0] <= line.boxes[i][2] <= run.bounds[0] + 1e-6
                           for i in range(position, start))
            assert list(line.boxes[start:start + len(run.text)]) == run.boxes
            position, previous = start + len(run.text), run
        assert line.text[position:] == ""


@needs_engine
def test_an_engine_failure_is_a_read_error(monkeypatch) -> None:
    def failing_engine(image, **options):
        raise ValueError("broken model output")

    monkeypatch.setattr(ocr, "_engine", lambda: failing_engine)
    with pdfplumber.open(image_pdf(PIL_Image.new("L", (200, 200), 255), 72)) as pdf:
        with pytest.raises(ReadError) as caught:
            ocr.recognize_page(pdf.pages[0], LIMITS)
    assert caught.value.reason == "damaged" and "第1页" in caught.value.message
