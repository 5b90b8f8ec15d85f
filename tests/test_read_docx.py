"""The DOCX reader on real Word documents written with python-docx (tests/documents/make_docx.py)
and on hand-built hostile or damaged ones."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml as docx_xml
from docx.oxml.ns import nsdecls
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from nianbao.config.files import ConfigResolver
from nianbao.engine.linter import Linter
from nianbao.plugins.manager import load_plugins
from nianbao.read.docx import read_docx
from nianbao.read.docx_numbering import Numbering, format_number
from nianbao.read.formats import (
    DEFAULT_LIMITS,
    ReadLimits,
    decode_document,
    read_document,
)
from nianbao.read.source import ReadError
from nianbao.text.location import Place

from tests.documents.make_docx import (
    EXAMPLES,
    change_number,
    drop_section,
    example_reports,
    insert_sentence,
    misspell_label,
    write_docx,
)

TEMPLATE = EXAMPLES / "2021-template.md"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@pytest.fixture(scope="module")
def linter():
    return Linter(load_plugins(entry_points=False), ConfigResolver(isolated=True))


def lint(linter, path):
    source = read_document(str(path))
    return linter.lint_source(source, linter.config_for(str(path)))


def findings(result) -> list[tuple[str, str | None]]:
    return sorted((item.code, item.place) for item in result.diagnostics)


def place_of(source, text: str) -> Place:
    start = source.text.index(text)
    return source.origin.place(start, start + len(text))


# --- the example reports as Word documents -----------------------------------------------------


@pytest.mark.parametrize("numbering", [True, False], ids=["automatic-numbering", "literal-ordinals"])
@pytest.mark.parametrize("report", example_reports(), ids=lambda path: path.stem[:13])
def test_docx_of_a_report_lints_like_the_report(linter, tmp_path, report, numbering):
    original = lint(linter, report)
    written = write_docx(report.read_text(encoding="utf-8"), tmp_path / "report.docx", numbering=numbering)
    result = lint(linter, written)
    assert findings(result) == findings(original)
    assert [table.template for table in result.document.tables] == [
        table.template for table in original.document.tables
    ]


def test_template_docx_recognises_every_official_table(linter, tmp_path):
    result = lint(linter, write_docx(TEMPLATE.read_text(encoding="utf-8"), tmp_path / "t.docx"))
    assert [table.template for table in result.document.tables] == [
        "2021.active.20-1", "2021.active.20-5", "2021.active.20-6", "2021.active.20-8",
        "2021.application", "review-litigation",
    ]
    assert result.document.source.format == "docx"


def test_automatic_numbering_comes_out_as_word_shows_it(tmp_path):
    path = write_docx(TEMPLATE.read_text(encoding="utf-8"), tmp_path / "t.docx")
    # The ordinals are not in the paragraphs' text: only the numbering definition makes them.
    document_xml = zipfile.ZipFile(path).read("word/document.xml").decode()
    assert "一、总体情况" not in document_xml and "（一）主动公开" not in document_xml
    lines = read_document(str(path)).text.splitlines()
    headings = [line for line in lines if line.endswith(("情况", "公开", "事项", "管理", "建设", "保障"))
                and not line.startswith("|")]
    assert headings == [
        "一、总体情况", "（一）主动公开", "（二）依申请公开", "（三）政府信息管理", "（四）政府信息公开平台建设",
        "（五）监督保障", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况", "六、其他需要报告的事项",
    ]


def test_places_are_paragraphs_and_table_cells(tmp_path):
    source = read_document(str(write_docx(TEMPLATE.read_text(encoding="utf-8"), tmp_path / "t.docx")))
    assert place_of(source, "某某县市场监督管理局2021年") == Place(paragraph=1)
    assert place_of(source, "一、总体情况") == Place(paragraph=3)
    # Table 5 is the application table: 申请人情况 starts in grid column 3 after the 2-column note.
    assert place_of(source, "申请人情况") == Place(table=5, row=1, column=3)
    assert place_of(source, "自然人") == Place(table=5, row=2, column=3)
    assert place_of(source, "（一）予以公开") == Place(table=5, row=5, column=2)
    # Below 三、本年度办理结果 (merged down) the row's first cell is in column 2.
    assert place_of(source, "（二）部分公开") == Place(table=5, row=6, column=2)
    assert source.text.count("三、本年度办理结果") == 1
    assert place_of(source, "未经复议直接起诉") == Place(table=6, row=2, column=6)


def test_official_header_with_legal_person_columns(linter, tmp_path):
    text = TEMPLATE.read_text(encoding="utf-8").replace(
        "| | | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |",
        "| | | 自然人 | 法人或其他组织 | | | | | 总计 |\n| | | | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | |",
    )
    path = write_docx(text, tmp_path / "t.docx")
    cells = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml")).iter(f"{{{W_NS}}}tc")
    spans = {
        "".join(cell.itertext()).strip(): cell.find(f"{{{W_NS}}}tcPr/{{{W_NS}}}gridSpan").get(f"{{{W_NS}}}val")
        for cell in cells
        if cell.find(f"{{{W_NS}}}tcPr/{{{W_NS}}}gridSpan") is not None
    }
    assert spans["法人或其他组织"] == "5" and spans["申请人情况"] == "7"
    source = read_document(str(path))
    assert place_of(source, "法人或其他组织") == Place(table=5, row=2, column=4)
    assert place_of(source, "商业企业") == Place(table=5, row=3, column=4)
    assert place_of(source, "总计 |") == Place(table=5, row=2, column=9)
    result = lint(linter, path)
    assert [item.code for item in result.diagnostics] == []
    assert result.document.tables[4].value("new", "total") == 5


# --- faults are found once, at the cell or paragraph they are in -----------------------------------


def template_docx(tmp_path) -> Path:
    return write_docx(TEMPLATE.read_text(encoding="utf-8"), tmp_path / "report.docx")


def test_a_wrong_cell_is_found_once_at_its_table_row_and_column(linter, tmp_path):
    path = template_docx(tmp_path)
    change = change_number(path, "（一）予以公开", 1)
    assert change == change.__class__(Place(table=5, row=5, column=3), "2", "3")
    found = [item for item in lint(linter, path).diagnostics if item.code.startswith(("AR", "TB"))]
    assert [(item.code, item.location.place) for item in found] == [("AR002", change.place)]


def test_a_misspelt_row_label_is_found_at_its_cell(linter, tmp_path):
    path = template_docx(tmp_path)
    change = misspell_label(path, "行政处罚", "行政处法")
    assert change.place == Place(table=3, row=3, column=1)
    unknown = [item for item in lint(linter, path).diagnostics if item.code == "TB008"]
    assert [item.location.place for item in unknown] == [change.place]


def test_a_dropped_section_is_found_by_the_structure_rule(linter, tmp_path):
    path = template_docx(tmp_path)
    change = drop_section(path, "存在的主要问题及改进情况")
    assert change.place == Place(paragraph=17)
    source = read_document(str(path))
    # Word numbers on: the last section is now 五.
    assert "五、其他需要报告的事项" in source.text.splitlines()
    missing = [item for item in lint(linter, path).diagnostics if item.code == "ST003"]
    assert [item.place for item in missing] == ["section:problems"]


def test_an_inserted_spam_sentence_is_found_in_its_paragraph(linter, tmp_path):
    path = template_docx(tmp_path)
    change = insert_sentence(path, "政策解读形式", "欢迎访问beat365体育亚洲入口_365bet最新备用_bte365。")
    spam = [item for item in lint(linter, path).diagnostics if item.code == "SR001"]
    assert len(spam) == 1 and spam[0].location.place == change.place == Place(paragraph=18)


# --- Word features, on hand-built bodies -----------------------------------------------------------


def body_docx(tmp_path, body: str, *, numbering: str | None = None, styles: str = "", setup=None) -> Path:
    """A python-docx document whose body is ``body`` (WordprocessingML), with extra abstractNum/num
    elements in numbering.xml and extra styles."""
    document = docx.Document()
    if setup is not None:
        setup(document)
    element = document.element.body
    section = element[-1]
    for child in list(element)[:-1]:
        element.remove(child)
    for child in docx_xml(f"<w:body {nsdecls('w', 'r')}>{body}</w:body>"):
        section.addprevious(child)
    if numbering is not None:
        root = document.part.numbering_part.element
        for child in list(root):
            root.remove(child)
        for child in docx_xml(f"<w:numbering {nsdecls('w')}>{numbering}</w:numbering>"):
            root.append(child)
    if styles:
        root = document.styles.element
        for child in docx_xml(f"<w:styles {nsdecls('w')}>{styles}</w:styles>"):
            root.append(child)
    path = tmp_path / "body.docx"
    document.save(str(path))
    return path


def p(text: str, extra: str = "") -> str:
    return f'<w:p>{extra}<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def test_tracked_changes_read_as_the_final_text(tmp_path):
    body = (
        '<w:p><w:r><w:t>本年</w:t></w:r>'
        '<w:del w:id="1" w:author="a"><w:r><w:delText>收到</w:delText></w:r></w:del>'
        '<w:ins w:id="2" w:author="a"><w:r><w:t>新收</w:t></w:r></w:ins>'
        '<w:moveFrom w:id="3" w:author="a"><w:r><w:t>申请</w:t></w:r></w:moveFrom>'
        '<w:r><w:t>政府信息公开</w:t></w:r>'
        '<w:moveTo w:id="4" w:author="a"><w:r><w:t>申请</w:t></w:r></w:moveTo>'
        '<w:r><w:t>5件。</w:t></w:r></w:p>'
    )
    assert read_document(str(body_docx(tmp_path, body))).text == "本年新收政府信息公开申请5件。\n"


def test_fields_show_their_result_and_breaks_become_spaces(tmp_path):
    body = (
        '<w:p><w:r><w:t>第</w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t>页</w:t></w:r></w:p>'
        '<w:p><w:fldSimple w:instr="DATE"><w:r><w:t>2022年1月20日</w:t></w:r></w:fldSimple></w:p>'
        '<w:p><w:r><w:t>第一行</w:t><w:br/><w:t>第二行</w:t><w:tab/><w:t>完</w:t></w:r>'
        '<w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r></w:p>'
    )
    assert read_document(str(body_docx(tmp_path, body))).text == "第3页\n2022年1月20日\n第一行 第二行 完\n"


def test_headers_footers_and_comments_are_not_read(tmp_path):
    def setup(document):
        document.sections[0].header.paragraphs[0].text = "页眉：某某县人民政府"
        document.sections[0].footer.paragraphs[0].text = "第 1 页"

    path = body_docx(tmp_path, p("正文第一段。") + p("正文第二段。"), setup=setup)
    document = docx.Document(str(path))
    document.add_comment(document.paragraphs[0].runs, text="批注：请核对", author="审核人")
    document.save(str(path))
    assert read_document(str(path)).text == "正文第一段。\n正文第二段。\n"


def test_content_controls_and_nested_tables(tmp_path):
    body = (
        '<w:sdt><w:sdtPr/><w:sdtContent>' + p("控件中的段落") + '</w:sdtContent></w:sdt>'
        + p("")
        + '<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid>'
        '<w:tr><w:tc>' + p("外层") + '</w:tc><w:tc><w:tbl><w:tblGrid><w:gridCol/></w:tblGrid>'
        '<w:tr><w:tc>' + p("内层一") + '</w:tc></w:tr><w:tr><w:tc>' + p("内层二") + '</w:tc></w:tr>'
        '</w:tbl>' + p("") + '</w:tc></w:tr></w:tbl>'
        + p("表后段落")
    )
    source = read_document(str(body_docx(tmp_path, body)))
    assert source.text == "控件中的段落\n| 外层 | 内层一内层二 |\n\n表后段落\n"
    assert place_of(source, "控件中的段落") == Place(paragraph=1)
    assert place_of(source, "内层一") == Place(table=1, row=1, column=2)
    # Empty paragraphs are not counted.
    assert place_of(source, "表后段落") == Place(paragraph=2)


def tc(text: str, properties: str = "") -> str:
    return f"<w:tc><w:tcPr>{properties}</w:tcPr>{p(text)}</w:tc>"


def test_merged_cells_become_spans(tmp_path):
    from nianbao.read.docx import _BodyReader

    body = (
        "<w:tbl><w:tblGrid>" + "<w:gridCol/>" * 4 + "</w:tblGrid>"
        "<w:tr>" + tc("甲", '<w:vMerge w:val="restart"/>') + tc("乙", '<w:gridSpan w:val="3"/>') + "</w:tr>"
        "<w:tr>" + tc("", "<w:vMerge/>") + tc("丙") + tc("丁", '<w:gridSpan w:val="2"/>') + "</w:tr>"
        "<w:tr>" + tc("", '<w:vMerge w:val="continue"/>') + tc("1") + tc("2") + tc("3") + "</w:tr>"
        '<w:tr><w:trPr><w:gridBefore w:val="2"/></w:trPr>' + tc("4") + tc("5") + "</w:tr>"
        '<w:tr><w:trPr><w:del w:id="9" w:author="a"/></w:trPr>' + tc("删") + "</w:tr>"
        "</w:tbl>"
    )
    path = body_docx(tmp_path, body)
    source = read_document(str(path))
    assert source.text == "| 甲 | 乙 |\n| 丙 | 丁 |\n| 1 | 2 | 3 |\n| 4 | 5 |\n"
    assert place_of(source, "丁") == Place(table=1, row=2, column=3)
    assert place_of(source, "3 |") == Place(table=1, row=3, column=4)
    assert place_of(source, "4 |") == Place(table=1, row=4, column=3)
    table = docx.Document(str(path)).element.body.find(f"{{{W_NS}}}tbl")
    grid = _BodyReader(Numbering(), float("inf"), 1).grid(table)
    assert [[(c.text, c.row, c.column, c.rowspan, c.colspan) for c in row] for row in grid.rows] == [
        [("甲", 1, 1, 3, 1), ("乙", 1, 2, 1, 3)],
        [("丙", 2, 2, 1, 1), ("丁", 2, 3, 1, 2)],
        [("1", 3, 2, 1, 1), ("2", 3, 3, 1, 1), ("3", 3, 4, 1, 1)],
        [("4", 4, 3, 1, 1), ("5", 4, 4, 1, 1)],
    ]


def test_facts_come_from_the_document_properties(tmp_path):
    source = read_document(str(template_docx(tmp_path)))
    assert source.facts.title == "某某县市场监督管理局2021年政府信息公开工作年度报告"
    assert source.facts.author == "某某县市场监督管理局"
    assert (source.facts.created, source.facts.modified) == ("2022-01-20", "2022-01-20")
    app = etree.fromstring(zipfile.ZipFile(tmp_path / "report.docx").read("docProps/app.xml"))
    namespace = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"
    assert source.facts.producer == f"{app.findtext(namespace + 'Application')} {app.findtext(namespace + 'AppVersion')}"


# --- numbering ---------------------------------------------------------------------------------------


def level(ilvl: int, text: str, fmt: str = "decimal", start: int = 1, extra: str = "") -> str:
    return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/>{extra}<w:suff w:val="nothing"/></w:lvl>')


def numbered(text: str, num: int, ilvl: int = 0) -> str:
    return p(text, f'<w:pPr><w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num}"/></w:numPr></w:pPr>')


REPORT_LEVELS = (
    '<w:abstractNum w:abstractNumId="1">' + level(0, "%1、", "chineseCounting")
    + level(1, "（%2）", "chineseCounting") + level(2, "%3.") + "</w:abstractNum>"
)


def test_numbering_overrides_restarts_and_styles(tmp_path):
    numbering = (
        REPORT_LEVELS
        + '<w:abstractNum w:abstractNumId="2">' + level(0, "%1.", "decimalEnclosedCircle")
        + level(1, "%1.%2", "lowerLetter", extra='<w:lvlRestart w:val="0"/>') + "</w:abstractNum>"
        + '<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>'
        + '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>'
        + '<w:num w:numId="3"><w:abstractNumId w:val="1"/>'
        '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num>'
        + '<w:num w:numId="4"><w:abstractNumId w:val="2"/></w:num>'
    )
    styles = (
        '<w:style w:type="paragraph" w:styleId="ReportHeading"><w:name w:val="Report Heading"/>'
        '<w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr></w:style>'
        '<w:style w:type="paragraph" w:styleId="ReportHeadingRed"><w:name w:val="Report Heading Red"/>'
        '<w:basedOn w:val="ReportHeading"/></w:style>'
    )
    body = (
        numbered("总体情况", 1) + numbered("主动公开", 1, 1) + numbered("依申请公开", 1, 1)
        + numbered("要点", 1, 2)
        + p("主动公开政府信息情况", '<w:pPr><w:pStyle w:val="ReportHeading"/></w:pPr>')  # 二、 from the style
        + numbered("行政许可", 1, 1)  # restarted by 二、
        + p("不编号", '<w:pPr><w:pStyle w:val="ReportHeading"/><w:numPr><w:numId w:val="0"/></w:numPr></w:pPr>')
        + p("收到和处理", '<w:pPr><w:pStyle w:val="ReportHeadingRed"/></w:pPr>')  # 三、 through basedOn
        + numbered("另一实例", 2)  # a second instance of the same list counts on: 四、
        + numbered("重新开始", 3)  # startOverride 5
        + numbered("其后", 3)
        + numbered("圈一", 4) + numbered("字母", 4, 1) + numbered("圈二", 4) + numbered("不重新开始", 4, 1)
    )
    lines = read_document(str(body_docx(tmp_path, body, numbering=numbering, styles=styles))).text.splitlines()
    assert lines == [
        "一、总体情况", "（一）主动公开", "（二）依申请公开", "1.要点", "二、主动公开政府信息情况", "（一）行政许可",
        "不编号", "三、收到和处理", "四、另一实例", "五、重新开始", "六、其后",
        # Each level shown in its own format; level 2 never restarts (lvlRestart 0).
        "①.圈一", "①.a字母", "②.圈二", "②.b不重新开始",
    ]


def test_number_formats():
    assert [format_number(n, "chineseCounting") for n in (1, 10, 11, 20, 21, 105, 110)] == [
        "一", "十", "十一", "二十", "二十一", "一百零五", "一百一十"]
    assert format_number(12, "chineseLegalSimplified") == "拾贰"
    assert format_number(101, "japaneseCounting") == "百一"
    assert [format_number(n, "ideographTraditional") for n in (1, 3, 10)] == ["甲", "丙", "癸"]
    assert format_number(3, "decimalEnclosedCircle") == "③"
    assert format_number(21, "decimalEnclosedCircle") == "21"
    assert format_number(2, "ideographEnclosedCircle") == "㊁"
    assert format_number(1, "ideographParenthesized") == "㈠"
    assert [format_number(n, "upperLetter") for n in (1, 26, 27, 28)] == ["A", "Z", "AA", "BB"]
    assert [format_number(n, "lowerRoman") for n in (4, 9, 14, 1990)] == ["iv", "ix", "xiv", "mcmxc"]
    assert format_number(7, "decimalZero") == "07"
    assert format_number(5, "bullet") == ""


def numbering_root(xml: str):
    return etree.fromstring(f'<w:numbering xmlns:w="{W_NS}">{xml}</w:numbering>')


def paragraph_element(num: int, ilvl: int):
    return etree.fromstring(
        f'<w:p xmlns:w="{W_NS}"><w:pPr><w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num}"/></w:numPr></w:pPr></w:p>'
    )


@settings(max_examples=200, deadline=None)
@given(
    starts=st.lists(st.integers(0, 5), min_size=3, max_size=3),
    override=st.integers(1, 9),
    steps=st.lists(st.tuples(st.sampled_from([1, 2]), st.integers(0, 2)), max_size=40),
)
def test_numbering_counters_agree_with_a_simple_model(starts, override, steps):
    """Word's counters as a model: a level starts at its start value, goes up by one, and starts
    again when a higher level is used; a second instance of the list shares the counters, except
    that its first paragraph restarts level 1 at its startOverride."""
    levels = "".join(level(i, ".".join(f"%{k + 1}" for k in range(i + 1)), start=starts[i]) for i in range(3))
    root = numbering_root(
        f'<w:abstractNum w:abstractNumId="7">{levels}</w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="7"/></w:num>'
        f'<w:num w:numId="2"><w:abstractNumId w:val="7"/><w:lvlOverride w:ilvl="1">'
        f'<w:startOverride w:val="{override}"/></w:lvlOverride></w:num>'
    )
    numbering = Numbering(root)
    counters: list[int | None] = [None, None, None]
    used_second = False
    for num, ilvl in steps:
        if num == 2 and not used_second:
            used_second = True
            counters[1] = None
        start = override if (num == 2 and ilvl == 1) else starts[ilvl]
        counters[ilvl] = start if counters[ilvl] is None else counters[ilvl] + 1
        for lower in range(ilvl + 1, 3):
            counters[lower] = None
        shown = [counters[k] if counters[k] is not None else (override if num == 2 and k == 1 else starts[k])
                 for k in range(ilvl + 1)]
        assert numbering.label(paragraph_element(num, ilvl)) == ".".join(map(str, shown))


# --- damaged and hostile documents ----------------------------------------------------------------


def rezip(source: Path, replace: dict[str, bytes | None] | None = None, extra: dict[str, bytes] | None = None) -> bytes:
    """``source``'s members with some replaced (None: removed) and some added."""
    replace = replace or {}
    buffer = io.BytesIO()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename in replace:
                if replace[info.filename] is not None:
                    new.writestr(info.filename, replace[info.filename])
            else:
                new.writestr(info, old.read(info.filename))
        for name, data in (extra or {}).items():
            new.writestr(name, data)
    return buffer.getvalue()


@pytest.fixture
def small_docx(tmp_path) -> Path:
    return body_docx(tmp_path, p("一段正文。"))


def refusal(data: bytes, limits: ReadLimits = DEFAULT_LIMITS, path: str = "report.docx") -> ReadError:
    with pytest.raises(ReadError) as caught:
        decode_document(data, path, limits)
    assert caught.value.__cause__ is None or caught.value.__suppress_context__
    assert not caught.value.message.isascii()
    return caught.value


XXE = (
    b'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>"
)
LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
    b'<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">&lol2;</w:styles>'
)


def test_external_entity_is_refused(small_docx):
    assert refusal(rezip(small_docx, {"word/document.xml": XXE})).reason == "unsafe"


def test_entity_expansion_in_another_part_is_refused(small_docx):
    assert refusal(rezip(small_docx, {"word/styles.xml": LAUGHS})).reason == "unsafe"


def test_entity_in_utf16_is_refused(small_docx):
    utf16 = XXE.decode().replace('version="1.0"', 'version="1.0" encoding="UTF-16"').encode("utf-16")
    assert refusal(rezip(small_docx, {"word/document.xml": utf16})).reason == "unsafe"


def test_truncated_docx_is_damaged(small_docx):
    data = small_docx.read_bytes()
    assert refusal(data[: len(data) // 2]).reason == "damaged"
    with pytest.raises(ReadError) as caught:
        read_docx(data[: len(data) // 2], "report.docx", DEFAULT_LIMITS)
    assert caught.value.reason == "damaged"


def test_missing_body_is_damaged(small_docx):
    data = rezip(small_docx, {"word/document.xml": None})
    assert refusal(data).reason == "damaged"
    with pytest.raises(ReadError) as caught:
        read_docx(data, "report.docx", DEFAULT_LIMITS)
    assert caught.value.reason == "damaged" and "word/document.xml" in caught.value.message


def test_invalid_xml_and_missing_package_parts_are_damaged(small_docx):
    assert refusal(rezip(small_docx, {"word/document.xml": b"<w:document><w:body>"})).reason == "damaged"
    assert refusal(rezip(small_docx, {"[Content_Types].xml": None})).reason == "damaged"
    assert refusal(rezip(small_docx, {"_rels/.rels": None})).reason == "damaged"


def test_spreadsheet_named_docx_is_refused(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    assert refusal(buffer.getvalue()).reason == "unsupported"


def test_too_many_members_is_a_zip_bomb(small_docx):
    data = rezip(small_docx, extra={f"word/media/pad{index}.bin": b"" for index in range(60)})
    assert refusal(data, ReadLimits(max_zip_members=50)).reason == "unsafe"


def test_huge_inflated_size_is_a_zip_bomb(small_docx):
    data = rezip(small_docx, extra={"word/media/huge.bin": bytes(3 * 1024 * 1024)})
    assert len(data) < 200 * 1024
    assert refusal(data, ReadLimits(max_unzipped_bytes=2 * 1024 * 1024)).reason == "unsafe"
    assert refusal(data, ReadLimits(max_xml_bytes=1024 * 1024)).reason == "unsafe"


def test_macros_embedded_objects_and_linked_images_are_left_alone(small_docx):
    rels = zipfile.ZipFile(small_docx).read("word/_rels/document.xml.rels").replace(
        b"</Relationships>",
        b'<Relationship Id="rIdRemote" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"'
        b' Target="http://example.invalid/track.png" TargetMode="External"/></Relationships>',
    )
    data = rezip(small_docx, {"word/_rels/document.xml.rels": rels},
                 extra={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0macro", "word/embeddings/oleObject1.bin": b"ole"})
    assert decode_document(data, "report.docm").text == "一段正文。\n"


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_corrupted_bytes_give_text_or_a_read_error(data):
    original = CORRUPTIBLE
    position = data.draw(st.integers(0, len(original) - 1))
    length = data.draw(st.integers(1, 64))
    garbage = data.draw(st.binary(min_size=length, max_size=length))
    damaged = original[:position] + garbage + original[position + length:]
    try:
        read_docx(damaged, "report.docx", DEFAULT_LIMITS)
    except ReadError as error:
        assert error.reason in {"damaged", "unsafe", "encrypted", "unsupported"}


def _corruptible() -> bytes:
    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("一、总体情况")
    document.add_table(rows=2, cols=2).cell(0, 0).text = "信息内容"
    document.save(buffer)
    return buffer.getvalue()


CORRUPTIBLE = _corruptible()


def test_word_default_tab_after_the_number_reads_as_a_space(linter, tmp_path):
    path = template_docx(tmp_path)
    numbering = zipfile.ZipFile(path).read("word/numbering.xml").replace(b'<w:suff w:val="nothing"/>', b"")
    data = rezip(path, {"word/numbering.xml": numbering})
    source = decode_document(data, str(path))
    assert "一、 总体情况" in source.text.splitlines()
    result = linter.lint_source(source, linter.config_for(str(path)))
    assert findings(result) == findings(lint(linter, TEMPLATE))


def test_strict_open_xml_is_refused_with_advice(small_docx):
    rels = zipfile.ZipFile(small_docx).read("_rels/.rels").replace(
        b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
        b"http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument",
    )
    error = refusal(rezip(small_docx, {"_rels/.rels": rels}))
    assert error.reason == "unsupported" and "另存为" in error.message


def test_time_limit_stops_reading(tmp_path):
    path = body_docx(tmp_path, p("段落。") * 300)
    with pytest.raises(ReadError) as caught:
        read_docx(path.read_bytes(), str(path), ReadLimits(max_seconds=0))
    assert caught.value.reason == "timeout"
