"""The HTML reader: portal pages read as the report they carry, each character at its place in the page.

The pages come from tests/documents/make_html.py, made from the example reports with nianbao's
own parser; expectations are the Markdown or text original's own findings, and positions are
checked against the page source itself.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from documents.make_html import (
    CHROME_MARKERS,
    EXAMPLES,
    change_cell,
    drop_section,
    insert_paragraph,
    misspell_label,
    render,
    report_model,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from nianbao.config.files import ConfigResolver
from nianbao.engine.linter import Linter
from nianbao.plugins.manager import load_plugins
from nianbao.read.formats import ReadLimits, decode_document, read_document
from nianbao.read.source import ReadError
from nianbao.text.location import Place

SEEDS = sorted(EXAMPLES.glob("*.txt"))
GBK_ONLY = "镕堃"  # in GBK, not in GB2312


@pytest.fixture(scope="module")
def linter():
    return Linter(load_plugins(entry_points=False), ConfigResolver(isolated=True))


@pytest.fixture(scope="module")
def template():
    return report_model()


def lint(linter, path: Path):
    source = read_document(path)
    return linter.lint_source(source, linter.config_for(str(path)))


def findings(result) -> list[tuple[str, str]]:
    return sorted((item.code, str(item.place)) for item in result.diagnostics)


def read_page(page) -> object:
    return decode_document(page.data, "report.html")


def page_line(page, line: int, column: int, length: int) -> str:
    return page.html.split("\n")[line - 1][column - 1 : column - 1 + length]


def assert_offsets_point_at_their_characters(source) -> None:
    """Each extracted character's offset holds that character, or the reference that produced it
    (separators the text layout adds — spaces, pipes, line breaks — have no character of their own)."""
    page, offsets = source.origin.file_text, source.origin.file_offsets
    assert len(offsets) == len(source.text)
    for index, char in enumerate(source.text):
        if char in " |¦\n":
            continue
        found = page[offsets[index]]
        if found == char or (char == "\ufffd" and found == "\x00"):
            continue
        reference = re.match(r"&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9]*;?)", page[offsets[index] :])
        assert reference is not None, (index, char, page[offsets[index] - 20 : offsets[index] + 20])
        assert char in html.unescape(reference.group()) or char == "\ufffd", (char, reference.group())


# --- the example reports as portal pages ---------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "layout"), [("utf-8", "div"), ("gbk", "div"), ("gbk", "table"), ("utf-8", "table")]
)
def test_the_2021_template_page_reads_like_the_markdown(linter, template, tmp_path, encoding, layout):
    page = render(template, encoding=encoding, layout=layout)
    result = lint(linter, page.write(tmp_path / "report.html"))
    original = lint(linter, template.path)
    assert findings(result) == findings(original)
    recognised = [table.template for table in result.document.tables]
    assert recognised == [table.template for table in original.document.tables]
    assert "2021.application" in recognised and "review-litigation" in recognised and len(recognised) == 6


def text_at(text: str, location) -> str | None:
    """The text between a location's start and end when both are on one line."""
    if location.line != location.end_line:
        return None
    return text.split("\n")[location.line - 1][location.column - 1 : location.end_column - 1]


@pytest.mark.parametrize("seed", SEEDS, ids=lambda path: path.name[:3])
def test_each_seed_page_gives_the_findings_of_its_text_on_the_same_words(linter, tmp_path, seed):
    page = render(report_model(seed), encoding="gbk")
    result = lint(linter, page.write(tmp_path / "report.html"))
    original = lint(linter, seed)
    assert findings(result) == findings(original)
    assert len(result.document.tables) == len(original.document.tables)
    in_text = {(item.code, str(item.place), item.message): item for item in original.diagnostics}
    compared = 0
    for item in result.diagnostics:
        there = in_text[item.code, str(item.place), item.message]
        words = text_at(original.document.source.text, there.location)
        if words is not None and item.location.line == item.location.end_line:
            assert text_at(page.html, item.location) == words, item
            compared += 1
    assert compared >= len(result.diagnostics) - 1


def test_the_portal_chrome_stays_out_and_the_title_above_the_article_stays_in(template):
    page = render(template)
    source = read_page(page)
    for marker in CHROME_MARKERS:
        assert marker in page.html
        assert marker not in source.text, marker
    for chrome in ("发布时间", "浏览次数", "某某县人民政府", "首页", "互动交流", "var hits"):
        assert chrome not in source.text, chrome
    assert source.text.split("\n")[0] == template.title
    assert source.text.count(template.title) == 1


def test_facts_come_from_the_meta_data_and_the_line_above_the_article(template):
    source = read_page(render(template, published="2022-01-25", source_name="某某县市场监督管理局"))
    assert source.facts.published == "2022-01-25"
    assert source.facts.author == "某某县市场监督管理局"
    assert source.facts.title == f"{template.title}_某某县人民政府"
    assert source.format == "html"


def test_residue_inside_the_article_is_kept_and_reported_where_it_is(linter, template, tmp_path):
    residue = "分享到：微信 微博 【打印本页】【关闭窗口】"
    last_paragraph = max(index for index, block in enumerate(template.blocks) if block.kind == "paragraph")
    model, change = insert_paragraph(template, last_paragraph, residue)
    page = render(model)
    result = lint(linter, page.write(tmp_path / "report.html"))
    markdown = tmp_path / "report.md"
    markdown.write_text(change.apply(template.source), encoding="utf-8")
    assert findings(result) == findings(lint(linter, markdown))
    [found] = [item for item in result.diagnostics if item.code == "SR003"]
    assert residue in result.document.source.text
    location = found.location
    assert location.line == location.end_line
    assert residue in page.html.split("\n")[location.line - 1]
    assert page_line(page, location.line, location.column, 3) == residue[:3]


def test_a_changed_cell_is_found_once_at_its_td(linter, template, tmp_path):
    model, change = change_cell(template, 5, 3, 2, "9")  # 一、本年新收 · 自然人: 4 → 9
    assert change.before == "4"
    page = render(model, encoding="gbk")
    result = lint(linter, page.write(tmp_path / "report.html"))
    [found] = result.diagnostics
    assert found.code == "AR001"
    line, column = page.cells[change.cell]
    assert (found.location.line, found.location.column) == (line, column)
    assert (found.location.end_line, found.location.end_column) == (line, column + 1)
    assert page_line(page, line, column, 1) == "9"
    assert "<td" in page.html.split("\n")[line - 1][: column - 1]
    markdown = tmp_path / "report.md"
    markdown.write_text(change.apply(template.source), encoding="utf-8")
    assert findings(result) == findings(lint(linter, markdown))


@pytest.mark.parametrize(
    "fault",
    [
        lambda model: drop_section(model, 5),
        lambda model: misspell_label(model, 5, "本年新收政府信息公开申请数", "本年新收政府信息公开申请数量"),
        lambda model: misspell_label(model, 2, "行证许可", "行政许可"),
        lambda model: insert_paragraph(model, 3, "beat365体育亚洲入口_365bet最新备用_bte365"),
    ],
    ids=["dropped-section", "label-cut-short", "misspelt-label", "spam"],
)
def test_faults_give_the_findings_they_give_in_the_original(linter, template, tmp_path, fault):
    model, change = fault(template)
    result = lint(linter, render(model).write(tmp_path / "report.html"))
    markdown = tmp_path / "report.md"
    markdown.write_text(change.apply(template.source), encoding="utf-8")
    expected = findings(lint(linter, markdown))
    assert expected, change.description
    assert findings(result) == expected


def test_the_extracted_characters_map_to_the_page(template):
    for encoding in ("utf-8", "gbk"):
        assert_offsets_point_at_their_characters(read_page(render(template, encoding=encoding)))


# --- decoding ------------------------------------------------------------------------------------


def test_characters_outside_gb2312_survive_a_gb2312_declaration(template):
    with pytest.raises(UnicodeEncodeError):
        GBK_ONLY.encode("gb2312")
    sentence = f"联系人：王{GBK_ONLY[1]}，地址：朱{GBK_ONLY[0]}路1号。"
    model, _ = insert_paragraph(template, 2, sentence)
    page = render(model, encoding="gbk", declared="gb2312")
    assert b'charset=gb2312' in page.data
    source = read_page(page)
    assert sentence in source.text
    assert source.encoding == "gb18030"


@pytest.mark.parametrize(("encoding", "declared"), [("gbk", "utf-8"), ("utf-8", "gb2312"), ("gbk", "iso-8859-1")])
def test_a_wrong_charset_declaration_is_overruled_by_the_bytes(template, encoding, declared):
    model, _ = insert_paragraph(template, 2, f"王{GBK_ONLY}同志")
    right = read_page(render(model, encoding=encoding))
    wrong = read_page(render(model, encoding=encoding, declared=declared))
    assert wrong.text == right.text
    assert f"王{GBK_ONLY}同志" in wrong.text


def test_a_page_no_encoding_reads_names_the_line():
    lines = ["<html><head><meta charset='utf-8'></head><body>"] + ["<p>本报告根据条例编制。</p>"] * 40
    data = "\n".join(lines).encode("utf-8") + b"\n<p>\xff\xfe\xff</p></body></html>"
    with pytest.raises(ReadError) as error:
        decode_document(data, "report.html")
    assert error.value.reason == "encoding"
    assert "第 42 行" in error.value.message


def test_a_bom_and_an_xml_declaration_are_read():
    body = "<p>政府信息公开工作年度报告</p>"
    assert decode_document(("\ufeff<html><body>" + body).encode("utf-8"), "a.html").text == "政府信息公开工作年度报告\n"
    utf16 = ("<html><body>" + body).encode("utf-16")
    assert decode_document(utf16, "a.html").text == "政府信息公开工作年度报告\n"
    declared = ('<?xml version="1.0" encoding="gbk"?><html><body>' + body + "</body></html>").encode("gbk")
    assert decode_document(declared, "a.html").text == "政府信息公开工作年度报告\n"


# --- layout ----------------------------------------------------------------------------------------


def read_markup(markup: str):
    return decode_document(f"<html><body>{markup}</body></html>".encode("utf-8"), "page.html")


def test_blocks_break_lines_and_whitespace_collapses_as_in_a_browser():
    source = read_markup(
        "<div><p>政府信息\n    公开工作</p><p>Open\n   data  set</p><p>a&nbsp;&nbsp;b</p>"
        "<p>\u3000\u3000本报告</p><p>第一行<br>第二行</p><p>行<b>内</b><span>元素</span></p>"
        "<ul><li>一</li><li>二</li></ul>尾<script>var x = '脚本';</script><style>p{}</style></div>"
    )
    assert source.text.split("\n")[:-1] == [
        "政府信息公开工作", "Open data set", "a  b", "\u3000\u3000本报告", "第一行", "第二行", "行内元素", "一", "二", "尾",
    ]


def test_merged_cells_take_their_grid_positions():
    source = read_markup(
        "<table><tr><td rowspan='2'>A</td><td colspan='2'>B</td></tr><tr><td>C</td><td>D</td></tr>"
        "<tr><td>E</td><td>F</td><td>G</td></tr><tr><td colspan='5000'>H</td><td>I</td></tr>"
        "<tr><td rowspan='0'>J</td><td>K</td></tr><tr><td>L</td></tr></table>"
    )
    assert source.text == "| A | B |\n| C | D |\n| E | F | G |\n| H | I |\n| J | K |\n| L |\n"
    expected = {"A": (1, 1), "B": (1, 2), "C": (2, 2), "D": (2, 3), "G": (3, 3), "I": (4, 1001), "K": (5, 2),
                "L": (6, 2)}
    for text, (row, column) in expected.items():
        assert source.origin.place(source.text.index(text), source.text.index(text) + 1) == Place(
            table=1, row=row, column=column
        ), text


def test_a_table_holding_tables_is_layout_and_its_inner_table_is_data():
    source = read_markup(
        "<table><tr><td>导航</td></tr><tr><td><p>一、总体情况</p>"
        "<table><tr><td>规章</td><td>0</td></tr></table><p>二、其他</p></td></tr></table>"
        "<table><tr><td><p>单列的表格包着正文</p></td></tr></table>"
    )
    assert source.text == "导航\n一、总体情况\n| 规章 | 0 |\n\n二、其他\n单列的表格包着正文\n"
    assert source.origin.place(source.text.index("规章"), source.text.index("规章") + 2).table == 1


def test_the_article_container_is_found_without_a_known_class():
    paragraph = "我局认真贯彻落实《中华人民共和国政府信息公开条例》，主动公开政府信息，回应社会关切，提升政务公开水平。"
    source = read_markup(
        "<div id='top'><a href='/'>首页</a><a href='/a'>机构概况</a><a href='/b'>政务公开</a></div>"
        "<div class='left-menu'><ul>" + "".join(f"<li><a href='/{n}'>栏目{n}</a></li>" for n in range(20)) + "</ul></div>"
        "<div class='wrap'><h1>某某局2021年政府信息公开工作年度报告</h1><div class='date'>时间：2022-01-18</div>"
        f"<div class='box'><p>{paragraph}</p><p>{paragraph}</p><p>{paragraph}</p></div>"
        "<div class='bottom-links'><a href='/x'>上一篇</a><a href='/y'>下一篇</a></div></div>"
        "<div class='copyright'>版权所有：某某局 地址：某某路1号</div>"
    )
    assert source.text == f"某某局2021年政府信息公开工作年度报告\n{paragraph}\n{paragraph}\n{paragraph}\n"
    assert source.facts.published == "2022-01-18"


def test_a_short_page_is_read_whole_less_its_navigation_and_footer():
    source = read_markup(
        "<nav><a href='/'>首页</a></nav><div id='breadcrumb'>当前位置：首页</div>"
        "<h2>一、总体情况</h2><p>本年度无。</p><div class='footer'>版权所有</div><footer>备案号</footer>"
    )
    assert source.text == "一、总体情况\n本年度无。\n"


def test_the_date_and_source_line_is_a_fact_when_the_page_has_no_meta():
    source = read_markup(
        "<div class='xl-title'>某某县2023年政府信息公开工作年度报告</div>"
        "<div class='xl-info'><span>发布时间：2024-01-20 10:00</span><span>来源：某某县人民政府办公室</span></div>"
        "<div class='TRS_Editor'><p>某某县2023年政府信息公开工作年度报告</p><p>本报告根据条例编制。</p></div>"
    )
    assert (source.facts.published, source.facts.author) == ("2024-01-20", "某某县人民政府办公室")
    assert source.text.count("年度报告") == 1  # the article has its title: the one above is not repeated
    published = decode_document(
        b'<html><head><meta property="article:published_time" content="2023-02-03T08:00:00+08:00"></head>'
        b"<body><p>x</p></body></html>",
        "a.html",
    )
    assert published.facts.published == "2023-02-03"


# --- hostile pages ---------------------------------------------------------------------------------


HOSTILE = {
    "entities": b'<!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd"><!ENTITY a "aaaaaaaa">]>'
    b"<html><body><p>&xxe;&a;&a;</p></body></html>",
    "nesting": b"<html><body>" + b"<div>" * 5000 + b"x",
    "inline-nesting": b"<p>" + b"<b><i>" * 20000 + b"x",
    "attribute": b'<html><body><p title="' + b"a" * (11 * 1024 * 1024) + b'">x</p></body></html>',
    "script": b'<html><body><script>fetch("http://127.0.0.1:9/steal")</script><img src="http://127.0.0.1:9/a.png">'
    b'<iframe src="http://127.0.0.1:9/"></iframe><link rel="stylesheet" href="http://127.0.0.1:9/s.css"><p>ok</p>',
    "unclosed": b"<html><body><p>a<!-- never closed <p>b",
    "unclosed-attribute": b'<html><body><p class="x>never closed' + b"y" * 100000,
    "spans": b"<table>" + b"<tr><td rowspan='65534' colspan='65534'>1</td></tr>" * 2000 + b"</table>",
    "empty": b"",
    "binary": b"<html>\x00\x01\x02\x03" * 100,
    "control": b"<html><body><p>a\x00b&#0;c&#xD800;d&#x110000;e</p></body></html>",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_pages_give_a_clean_result_or_a_read_error(name):
    try:
        source = decode_document(HOSTILE[name], "page.html")
    except ReadError as error:
        assert error.message and error.reason in {"damaged", "too-large", "binary", "encoding"}
        return
    assert "aaaaaaaa" not in source.text and "root:" not in source.text
    assert "fetch" not in source.text
    assert_offsets_point_at_their_characters(source)


def test_pages_beyond_the_reading_bounds_are_refused_with_their_reason(template):
    with pytest.raises(ReadError) as error:
        decode_document(b"<p>" + b"<b>x</b>" * 400_000, "page.html")
    assert error.value.reason == "too-large"
    with pytest.raises(ReadError) as error:  # a deadline already past: the first check stops the reading
        decode_document(render(template).data, "page.html", ReadLimits(max_seconds=-1))
    assert error.value.reason == "timeout"


def test_nesting_too_deep_and_huge_content_are_refused_with_their_reason():
    with pytest.raises(ReadError) as error:
        decode_document(HOSTILE["nesting"], "page.html")
    assert error.value.reason == "damaged" and "嵌套过深" in error.value.message
    with pytest.raises(ReadError) as error:
        decode_document(HOSTILE["attribute"], "page.html")
    assert error.value.reason == "too-large"


# --- every character at its place: random pages ------------------------------------------------------

_WORDS = st.text(alphabet="政府信息公开年度报告表格一二三abcXYZ019 ，。、：\n\t", min_size=1, max_size=12)
_REFERENCES = st.sampled_from(["&amp;", "&lt;", "&gt;", "&nbsp;", "&#20013;", "&#x6587;", "&quot;", "&copy", "&notin;",
                               "&#0;", "&bogus;", "&", "\r\n", "< ", "a < b"])
_NOISE = st.sampled_from(["<!-- 注释 <p>x</p> -->", "<script>if (a < b) { x = '</p>'; }</script>", "<style>p{}</style>",
                          "<br>", "<img src='x.png' alt='图'>", "<?php echo 1; ?>", "<wbr/>"])


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;")


_TEXT = st.lists(st.one_of(_WORDS.map(_escape), _REFERENCES, _NOISE), min_size=1, max_size=6).map("".join)


def _element(children):
    tag = st.sampled_from(["p", "div", "span", "b", "td", "li", "section", "h2", "a"])
    attributes = st.sampled_from(["", " class='TRS_Editor'", ' title="a > b"', " id=zoom", " style='color:red'"])
    return st.builds(lambda name, attrs, body: f"<{name}{attrs}>{''.join(body)}</{name}>", tag, attributes,
                     st.lists(children, max_size=4))


def _table(children):
    cell = st.builds(lambda span, body: f"<td{span}>{body}</td>",
                     st.sampled_from(["", " rowspan='2'", " colspan=\"3\"", " rowspan=0"]), children)
    row = st.lists(cell, min_size=1, max_size=4).map(lambda cells: "<tr>" + "".join(cells) + "</tr>")
    return st.lists(row, min_size=1, max_size=4).map(lambda rows: "<table>" + "".join(rows) + "</table>")


_MARKUP = st.recursive(_TEXT, lambda children: st.one_of(_element(children), _table(children)), max_leaves=15)


@settings(max_examples=120, deadline=None)
@given(body=st.lists(_MARKUP, min_size=1, max_size=5), newline=st.sampled_from(["\n", "\r\n"]))
def test_every_extracted_character_is_at_its_offset_in_a_random_page(body, newline):
    markup = f"<!DOCTYPE html>{newline}<html><head><title>标题</title></head><body>{newline}"
    markup += newline.join(body) + f"{newline}</body></html>"
    try:
        source = decode_document(markup.encode("utf-8"), "page.html")
    except ReadError as error:
        assert error.reason == "damaged"
        return
    assert "注释" not in source.text and "if (a" not in source.text
    assert_offsets_point_at_their_characters(source)
