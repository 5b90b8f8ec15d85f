"""The OFD reader: a report set on OFD pages reads back as its lines (a wrapped paragraph as one),
its tables as layout rows the table stage recognises, every character at its page, line and box.

The OFD files are written here by the standard's structure (``documents/ofd.py``): the sample
report that pdftotext wrote (``data/pdftotext-layout-2021.txt``) put back on pages column for
column, and reports flowed onto A4 pages as a word processor sets them.
"""

from __future__ import annotations

import re
import unicodedata

import pytest
from documents.ofd import (
    LEFT,
    LINE_HEIGHT,
    SIZE,
    TOP,
    Cell,
    Package,
    Typesetter,
    typeset_layout,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nianbao.read.formats import ReadLimits, decode_document
from nianbao.read.source import ReadError, SourceFacts
from nianbao.text.location import Place
from test_layout_rendering import (
    LINTER,
    SAMPLE,
    SAMPLE_ACTIVE,
    SAMPLE_APPLICATION,
    SAMPLE_REVIEW,
    _row_texts,
)
from test_read_formats import assert_one_plain_sentence

POINTS = 72 / 25.4
SAMPLE_TEXT = SAMPLE.read_text(encoding="utf-8")
# The sample's paragraphs that pdftotext wrapped, and the lines they went on to (checked by hand
# against the file): each must come back as one line.
WRAPPED = {
    "    本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和国务院办公": [
        "厅政府信息与政务公开办公室有关要求编制。本报告所列数据的统计期限自2021年1月1日",
        "起至2021年12月31日止。",
    ],
    "    2021年，我局认真贯彻落实《条例》，坚持以公开为常态、不公开为例外，进一步": ["加强政府信息公开工作。"],
}


def read(data: bytes, limits: ReadLimits = ReadLimits()):
    return decode_document(data, "报告.ofd", limits)


def lint(source):
    return LINTER.lint_source(source, LINTER.config_for(source.path))


def grid(document) -> dict:
    return {(table.template, row.key, cell.column): cell.text
            for table in document.tables for row in table.rows for cell in row.cells}


def display_column(line: str, index: int) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in line[:index])


# --- a whole report -----------------------------------------------------------------------------


def test_a_report_on_ofd_pages_reads_back_line_for_line_with_wrapped_paragraphs_joined():
    source = read(typeset_layout(SAMPLE_TEXT).build())
    printed = iter(line.replace("\f", "") for line in SAMPLE_TEXT.split("\n") if line.strip())
    expected = []
    for line in printed:
        if line in WRAPPED:
            assert [next(printed) for _ in WRAPPED[line]] == WRAPPED[line]
            line += "".join(WRAPPED[line])
        expected.append(line)
    assert source.format == "ofd"
    assert source.text.splitlines() == expected


def test_an_ofd_report_is_linted_as_its_text_is():
    ofd = lint(read(typeset_layout(SAMPLE_TEXT).build())).document
    text = LINTER.lint_bytes(SAMPLE_TEXT.encode("utf-8"), "pdftotext-layout-2021.txt").document
    assert grid(ofd) == grid(text)
    for (template, key), texts in SAMPLE_ACTIVE.items():
        assert _row_texts(ofd, template, key) == texts
    for key, texts in SAMPLE_APPLICATION.items():
        assert _row_texts(ofd, "2021.application", key) == texts
    assert _row_texts(ofd, "review-litigation", "cases") == SAMPLE_REVIEW
    tree = ofd.report
    assert tree.title.text == "某某市某某局2021年政府信息公开工作年度报告"
    assert [section.number for section in tree.sections] == [1, 2, 3, 4, 5, 6]
    assert tree.signoff.date_text == "2022年1月20日"
    assert tree.unparsed == [] and ofd.unrecognized_tables == []


def test_a_finding_names_the_page_the_line_and_the_box_of_the_faulty_number():
    line = next(line for line in SAMPLE_TEXT.split("\n") if line.lstrip().startswith("一、本年新收"))
    faulty = line[: line.rindex("13")] + "14"
    text = SAMPLE_TEXT.replace(line, faulty)
    first_page = text.split("\f")[0].split("\n")
    row = first_page.index(faulty)
    result = lint(read(typeset_layout(text).build()))
    (finding,) = [item for item in result.diagnostics if item.code == "AR001"]
    place = finding.location.place
    # The 14 is the row's last cell: printed line number (blank lines are no lines) on page 1.
    assert (place.page, place.page_line) == (1, len([item for item in first_page[: row + 1] if item.strip()]))
    column = display_column(faulty, faulty.rindex("14"))
    x0, top, x1, bottom = place.box
    assert x0 == pytest.approx((LEFT + column * SIZE / 2) * POINTS, abs=0.1)  # places keep 0.1 pt
    assert x1 == pytest.approx((LEFT + (column + 2) * SIZE / 2) * POINTS, abs=0.1)
    baseline = (TOP + SIZE + row * LINE_HEIGHT) * POINTS
    assert top < baseline < bottom
    assert place.describe() == f"第1页 第{place.page_line}行"


def test_facts_come_from_the_document_info():
    info = {"Title": "某某县财政局2021年政府信息公开工作年度报告", "Author": "某某县财政局",
            "CreationDate": "2022-01-20", "ModDate": "2022-01-21T09:30:00", "Creator": "数科OFD版式办公套件",
            "CreatorVersion": "V3.0"}
    source = read(typeset_layout(SAMPLE_TEXT, info=info).build())
    assert source.facts == SourceFacts(
        title=info["Title"], author="某某县财政局", created="2022-01-20", modified="2022-01-21",
        producer="数科OFD版式办公套件 V3.0", pages=4,
    )


# --- a report set as a word processor sets it ---------------------------------------------------------

OVERVIEW = (
    "2021年，我局认真贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外，"
    "围绕中心工作，进一步加强政府信息公开平台建设，全年通过门户网站主动公开政府信息 1025 条，"
    "其中政策文件 36 件。"
)


def typeset_report(filler: int = 0) -> Typesetter:
    setter = Typesetter()
    setter.title("某某县财政局2021年政府信息公开工作年度报告")
    setter.paragraph("一、总体情况")
    for _ in range(filler):
        setter.paragraph("我局按照县委县政府的部署开展政务公开工作。" * 3)
    setter.paragraph(OVERVIEW)
    setter.paragraph("二、主动公开政府信息情况")
    setter.table(
        [
            [Cell("第二十条第（一）项", 4)],
            [Cell("信息内容"), Cell("本年制发件数"), Cell("本年废止件数"), Cell("现行有效件数")],
            [Cell("规章"), Cell("0"), Cell("0"), Cell("0")],
            [Cell("行政规范性文件"), Cell("3"), Cell("1"), Cell("12")],
        ],
        [48, 36, 36, 36],
    )
    setter.table(
        [
            [Cell("第二十条第（五）项", 2)],
            [Cell("信息内容"), Cell("本年处理决定数量")],
            [Cell("行政许可"), Cell("135")],
        ],
        [48, 108],
    )
    setter.right("某某县财政局")
    setter.right("2022年1月20日")
    return setter


def test_a_typeset_paragraph_is_one_line_and_bordered_tables_are_recognised():
    source = read(typeset_report().build())
    lines = [line.strip() for line in source.text.splitlines()]
    assert OVERVIEW in lines
    document = lint(source).document
    assert _row_texts(document, "2021.active.20-1", "normative_documents") == ["3", "1", "12"]
    assert _row_texts(document, "2021.active.20-1", "rules") == ["0", "0", "0"]
    assert _row_texts(document, "2021.active.20-5", "licensing") == ["135"]


def test_a_paragraph_running_over_a_page_break_is_one_line_and_each_part_keeps_its_page():
    # Enough filler that the overview starts near the foot of page 1 and ends on page 2.
    setter = typeset_report(filler=6)
    data = setter.build()
    source = read(data)
    lines = [line.strip() for line in source.text.splitlines()]
    index = lines.index(OVERVIEW)
    assert lines[index + 1] == "- 1 -"  # the page number comes after the paragraph it cut
    start = source.text.index(OVERVIEW)
    places = [source.origin.place(offset, offset + 1) for offset in range(start, start + len(OVERVIEW))]
    assert places[0].page == 1 and places[-1].page == 2
    # The part on page 2 starts at its first line, and each part's lines count up from where it starts.
    turn = next(index for index, place in enumerate(places) if place.page == 2)
    assert places[turn].page_line == 1
    assert [place.page_line for place in places[:turn]] == sorted(place.page_line for place in places[:turn])
    assert all(place.box is not None for place, char in zip(places, OVERVIEW) if char != " ")


# --- how producers write text objects ----------------------------------------------------------------


def single_page(*objects: str, **build) -> bytes:
    package = Package()
    page = package.page()
    page.objects.extend(objects)
    return package.build(**build)


def text_object(code: str, boundary: str = "28 40 150 7", size: float = 5.6, extra: str = "") -> str:
    return f'<ofd:TextObject ID="9" Boundary="{boundary}" Font="3" Size="{size:g}"{extra}>{code}</ofd:TextObject>'


def test_delta_x_repeats_and_gaps_give_the_characters_and_the_spaces_between_cells():
    code = '<ofd:TextCode X="0" Y="5.6" DeltaX="g 3 5.6 22.4 2.8 2.8">行政许可135</ofd:TextCode>'
    source = read(single_page(text_object(code)))
    assert source.text == "行政许可" + " " * 6 + "135\n"
    boxes = [source.origin.place(index, index + 1).box for index in range(len(source.text) - 1)]
    assert [box[0] / POINTS for box in boxes[:4]] == pytest.approx([28.0, 33.6, 39.2, 44.8], abs=0.05)
    assert boxes[10][0] / POINTS == pytest.approx(28 + 3 * 5.6 + 22.4, abs=0.05)


def test_a_text_code_without_x_takes_the_one_before_and_pretty_printing_is_not_text():
    code = (
        '<ofd:TextCode X="0" Y="5.6" DeltaX="g 3 5.6">总体情况</ofd:TextCode>'
        '<ofd:TextCode Y="15.6" DeltaX="g 3 5.6">\n        主动公开\n    </ofd:TextCode>'
    )
    source = read(single_page(text_object(code)))
    assert source.text == "总体情况\n主动公开\n"
    assert source.origin.place(5, 6) == Place(page=1, page_line=2, box=source.origin.place(5, 6).box)


def test_scaled_text_is_placed_by_its_matrix_and_rotated_watermarks_are_not_read():
    scaled = text_object('<ofd:TextCode X="0" Y="11.2" DeltaX="g 3 11.2">依法公开</ofd:TextCode>',
                         size=11.2, extra=' CTM="0.5 0 0 0.5 0 0"')
    watermark = text_object('<ofd:TextCode X="0" Y="20">内部资料</ofd:TextCode>', boundary="40 120 100 100",
                            size=20, extra=' CTM="0.707 0.707 -0.707 0.707 0 0"')
    source = read(single_page(scaled, watermark))
    assert source.text == "依法公开\n"
    x0, top, x1, bottom = source.origin.place(1, 2).box
    assert (x0 / POINTS, x1 / POINTS) == (pytest.approx(33.6, abs=0.05), pytest.approx(39.2, abs=0.05))
    assert (bottom - top) / POINTS == pytest.approx(5.6, abs=0.05)


def test_a_glyph_printed_twice_for_bold_is_read_once():
    first = text_object('<ofd:TextCode X="0" Y="5.6" DeltaX="g 3 5.6">年度报告</ofd:TextCode>')
    again = text_object('<ofd:TextCode X="0.2" Y="5.6" DeltaX="g 3 5.6">年度报告</ofd:TextCode>', boundary="28 40 150 7")
    assert read(single_page(first, again)).text == "年度报告\n"


def test_the_older_namespace_and_a_root_relative_document_path_are_read():
    code = text_object('<ofd:TextCode X="0" Y="5.6">无</ofd:TextCode>')
    assert read(single_page(code, namespace="http://www.ofdspec.org", doc_root="/Doc_0/Document.xml")).text == "无\n"


# --- refusals -------------------------------------------------------------------------------------


def refusal(data: bytes, limits: ReadLimits = ReadLimits()) -> ReadError:
    with pytest.raises(ReadError) as caught:
        read(data, limits)
    assert_one_plain_sentence(caught.value.message)
    return caught.value


def test_a_scanned_ofd_is_refused_with_how_to_convert_it():
    package = Package()
    package.page().image(0, 0, 210, 297, 12)
    error = refusal(package.build())
    assert error.reason == "unsupported"
    assert "扫描" in error.message and "数科阅读器" in error.message and "另存为” PDF" in error.message


def test_a_missing_page_is_damage():
    package = Package()
    package.page().objects.append(text_object('<ofd:TextCode X="0" Y="5.6">无</ofd:TextCode>'))
    data = package.build()
    broken = data.replace(b"Pages/Page_0/Content.xml", b"Pages/Page_9/Content.xml")
    error = refusal(broken)
    assert error.reason == "damaged"
    assert error.message == "OFD 文件不完整：缺少第 1 页的内容，请重新导出或下载该文件"


def test_page_character_and_time_limits_are_refusals():
    data = typeset_layout(SAMPLE_TEXT).build()
    assert refusal(data, ReadLimits(max_pages=3)).reason == "too-many-pages"
    assert refusal(data, ReadLimits(max_characters=500)).reason == "too-large"
    assert refusal(data, ReadLimits(max_seconds=-1)).reason == "timeout"


# --- properties -----------------------------------------------------------------------------------

_HANZI = "政府信息公开工作年度报告我局认真贯彻落实条例坚持以为常态不例外进一步加强平台建设申请办理答复"
_PUNCTUATION = "，。、；：“”（）《》"
_WORD = st.text(alphabet="abcdefXYZ0123456789", min_size=1, max_size=6)
_CHINESE = st.text(alphabet=_HANZI + _PUNCTUATION + "0123456789", min_size=1, max_size=60)
# Prose: some Chinese, and no unbreakable run of Latin letters or digits longer than a number is
# (a longer one would leave a line stretched so far that its gaps part it like table cells).
PARAGRAPH = st.lists(st.one_of(_CHINESE, _WORD), min_size=1, max_size=8).map(" ".join).filter(
    lambda text: re.search(f"[{_HANZI}]", text) is not None and re.search("[A-Za-z0-9]{7}", text) is None
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PARAGRAPH, min_size=1, max_size=8))
def test_typeset_paragraphs_read_back_exactly_one_line_each(paragraphs):
    setter = Typesetter()
    for paragraph in paragraphs:
        setter.paragraph(paragraph)
    source = read(setter.build())
    lines = [line.strip() for line in source.text.splitlines()]
    # A space where a line broke is gone from the page unless it parted two Latin words (then the
    # reader puts it back): compare without the others.
    assert [_without_optional_spaces(line) for line in lines if not re.fullmatch(r"- \d+ -", line)] == [
        _without_optional_spaces(paragraph) for paragraph in paragraphs
    ]


def _without_optional_spaces(text: str) -> str:
    return re.sub(r"(?<![A-Za-z0-9]) | (?![A-Za-z0-9])", "", text)


_NUMBER = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(-10**12, 10**12).map(str),
    st.sampled_from(["", "g", "g 1000000000 5", "g -3 2", "1e308", "-0", "x"]),
)


# Text with spaces, a tab, a zero-width space and a private-use character among the glyphs.
_CODE_TEXT = "年报表 一二三12\t\u200b\ue000"


@st.composite
def hostile_text_object(draw) -> str:
    def attribute(name: str, count: int) -> str:
        return f'{name}="{" ".join(draw(st.lists(_NUMBER, max_size=count + 2)))}"'

    codes = "".join(
        f"<ofd:TextCode {attribute('X', 1)} {attribute('Y', 1)} {attribute('DeltaX', 8)} {attribute('DeltaY', 8)}>"
        f"{draw(st.text(alphabet=_CODE_TEXT, max_size=12))}</ofd:TextCode>"
        for _ in range(draw(st.integers(0, 3)))
    )
    return f'<ofd:TextObject ID="1" {attribute("Boundary", 4)} {attribute("CTM", 6)} {attribute("Size", 1)}>{codes}</ofd:TextObject>'


@settings(max_examples=80, deadline=None)
@given(st.lists(hostile_text_object(), max_size=6))
def test_any_text_objects_give_text_or_a_refusal(objects):
    try:
        source = read(single_page(*objects))
    except ReadError as error:
        assert error.reason in {"unsupported", "too-large"}
    else:
        assert source.text.endswith("\n") and len(source.origin.places) >= 1
