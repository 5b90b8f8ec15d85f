"""The grammar and the tree builder: what each kind of line becomes, with its span."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lark import Token
from nianbao.parse.builder import ReportBuilder
from nianbao.parse.grammar import grammar_parser
from nianbao.parse.headings import HEADING_LEAD, ORDINALS
from nianbao.parse.parser import parse_report, parse_tokens
from nianbao.parse.tree import Heading, Node, Paragraph, Row, SubSection, Table
from nianbao.tables.cells import build_table
from nianbao.tables.templates import default_templates
from nianbao.text.normalize import normalize
from nianbao.text.numerals import chinese_ordinal_value


def parse(text: str):
    normalized = normalize(text, default_templates().labels)
    report = parse_report(normalized.text, build_table).report
    return normalized.text, report


def test_title_sections_subsections_items_and_signoff():
    text = (
        "某某区商务局2021年政府信息公开工作年度报告\n"
        "根据条例编制本报告。\n"
        "一、总体情况\n"
        "（一）主动公开。2021年，我局主动公开信息12条。\n"
        "1.加强领导。成立领导小组。\n"
        "二、主动公开政府信息情况\n"
        "无。\n"
        "某某区商务局\n"
        "2022年1月20日\n"
    )
    normalized, report = parse(text)
    assert report.title.text == "某某区商务局2021年政府信息公开工作年度报告"
    assert [node.text for node in report.preamble] == ["根据条例编制本报告。"]
    first, second = report.sections
    assert (first.number, first.title, second.number, second.title) == (1, "总体情况", 2, "主动公开政府信息情况")
    [sub] = first.body
    assert isinstance(sub, SubSection) and sub.heading.level == 2 and sub.heading.title == "主动公开"
    paragraph, item = sub.body
    assert isinstance(paragraph, Paragraph) and paragraph.text == "2021年,我局主动公开信息12条。"
    assert isinstance(item, SubSection) and item.heading.level == 3 and item.heading.title == "加强领导"
    assert report.signoff.body == "某某区商务局"
    assert report.signoff.date_text == "2022年1月20日"
    assert normalized[report.signoff.date_span.start : report.signoff.date_span.end] == "2022年1月20日"


def outline(nodes: list[Node]) -> list:
    """Sub-sections and items as (ordinal, title, body), paragraphs as their text, tables as "table"."""
    shape = []
    for node in nodes:
        if isinstance(node, SubSection):
            shape.append((node.heading.ordinal, node.heading.title, outline(node.body)))
        elif isinstance(node, Paragraph):
            shape.append(node.text)
        else:
            shape.append("table")
    return shape


def test_items_and_sub_sections_nest_by_their_ordinals():
    text = (
        "一、总体情况\n"
        "概述。\n"
        "1.直接条目\n"
        "条目正文。\n"
        "(一)主动公开\n"
        "小节正文。\n"
        "1.加强领导\n"
        "2.完善制度\n"
        "制度正文。\n"
        "(二)依申请公开\n"
        "二、主动公开政府信息情况\n"
        "1.规章\n"
    )
    normalized, report = parse(text)
    first, second = report.sections
    # Paragraphs, then the items before the first sub-section, then the sub-sections; an item after
    # a sub-heading is that sub-section's, and a sub-section ends at the next sub-heading or section.
    assert outline(first.body) == [
        "概述。",
        ("1.", "直接条目", ["条目正文。"]),
        ("(一)", "主动公开", ["小节正文。", ("1.", "加强领导", []), ("2.", "完善制度", ["制度正文。"])]),
        ("(二)", "依申请公开", []),
    ]
    assert outline(second.body) == [("1.", "规章", [])]
    item, sub = first.body[1], first.body[2]
    assert (item.heading.level, sub.heading.level, sub.body[1].heading.level) == (3, 2, 3)
    assert normalized[sub.span.start : sub.span.end] == "(一)主动公开\n小节正文。\n1.加强领导\n2.完善制度\n制度正文。"
    assert normalized[first.span.start : first.span.end] == text[: text.index("二、")].rstrip("\n")


def test_a_list_marker_reusing_a_section_ordinal_is_an_item_of_its_section():
    text = (
        "一、总体情况\n正文。\n"
        "二、存在的主要问题及改进情况\n"
        "(一)存在的问题\n问题正文。\n"
        "一、进一步加强组织领导，把政务公开工作摆上重要议事日程，定期研究部署。\n"
        "1.落实责任\n"
        "(二)改进措施\n"
        "三、其他需要报告的事项\n无。\n"
    )
    _, report = parse(text)
    assert [section.number for section in report.sections] == [1, 2, 3]
    # The marker's item ends the sub-section before it; what follows is the section's again.
    assert outline(report.sections[1].body) == [
        ("(一)", "存在的问题", ["问题正文。"]),
        ("一、", "进一步加强组织领导,把政务公开工作摆上重要议事日程,定期研究部署", []),
        ("1.", "落实责任", []),
        ("(二)", "改进措施", []),
    ]
    marker = report.sections[1].body[1]
    assert (marker.heading.level, marker.heading.number) == (3, 1)


def test_a_heading_with_a_sentence_for_a_title_that_goes_on_numbering_is_a_section():
    _, report = parse("一、总体情况\n正文。\n二、进一步加强组织领导，把政务公开工作摆上重要议事日程，定期研究部署。\n")
    assert [section.number for section in report.sections] == [1, 2]


def test_two_line_title_and_enclosed_numerals():
    _, report = parse("\n新余市商务局2019年度政府信息公开\n\n工作报告\n一、概述\n㈠强化组织领导\n正文。\n")
    assert report.title.text == "新余市商务局2019年度政府信息公开工作报告"
    assert len(report.title.lines) == 2
    [sub] = report.sections[0].body
    assert sub.heading.ordinal == "(一)" and sub.heading.title == "强化组织领导"


def test_markdown_headings_are_sections():
    _, report = parse("# 某局2021年政府信息公开工作年度报告\n\n## 一、总体情况\n\n正文。\n\n## 二、主动公开政府信息情况\n")
    assert [section.title for section in report.sections] == ["总体情况", "主动公开政府信息情况"]
    assert all(section.heading.markdown for section in report.sections)


def test_missing_title_leaves_title_empty():
    _, report = parse("一、总体情况\n正文。\n")
    assert report.title is None


def test_application_row_labels_are_not_section_headings():
    text = (
        "三、收到和处理政府信息公开申请情况\n"
        "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)\n"
        "一、本年新收政府信息公开申请数量\n0\n"
        "四、结转下年度继续办理\n0\n"
        "四、政府信息公开行政复议、行政诉讼情况\n"
    )
    _, report = parse(text)
    assert [section.number for section in report.sections] == [3, 4]
    [table] = report.sections[0].body
    assert isinstance(table, Table)


def test_each_table_rendering_becomes_one_table_node():
    renderings = {
        "bar-lines": "第二十条第(一)项\n|\n信息内容\n|\n本年制发件数\n|\n本年废止件数\n|\n现行有效件数\n|\n规章\n|\n0\n|\n0\n|\n0\n",
        "pipe-rows": "第二十条第(一)项 | |||\n信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n规章 | 0 | 0 | 0 |\n",
        "markdown": "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n|---|---|---|---|\n| 规章 | 0 | 0 | 0 |\n",
        "tab-cells": "\t第二十条第（一）项\n\n\t信息内容\n\t本年制发件数\n\t本年废止件数\n\t现行有效件数\n\n\t规章\n\t0\n\t0\n\t0\n",
        "cell-lines": "第二十条第(一)项\n信息内容\n本年制发件数\n本年废止件数\n现行有效件数\n规章\n0\n0\n0\n",
    }
    for rendering, body in renderings.items():
        _, report = parse("二、主动公开政府信息情况\n" + body + "三、收到和处理政府信息公开申请情况\n")
        tables = [node for node in report.sections[0].body if isinstance(node, Table)]
        assert len(tables) == 1, rendering
        assert tables[0].rendering == rendering, rendering
        assert [section.number for section in report.sections] == [2, 3], rendering


def test_a_long_sentence_ends_a_cell_table():
    text = "二、主动公开政府信息情况\n第二十条第(一)项\n信息内容\n规章\n0\n" + "我局认真贯彻落实条例规定，全面推进政务公开工作，取得了较好成效，各项工作稳步推进。" + "\n"
    _, report = parse(text)
    table, paragraph = report.sections[0].body
    assert isinstance(table, Table) and isinstance(paragraph, Paragraph)


def test_content_after_the_signoff_is_unparsed():
    _, report = parse("一、总体情况\n正文。\n某某局\n2021年1月21日\n扫一扫在手机打开当前页面\n")
    assert report.signoff is not None
    [block] = report.unparsed
    assert block.text == "扫一扫在手机打开当前页面"


def test_each_line_and_table_after_the_signoff_is_one_unparsed_block():
    text = "一、总体情况\n正文。\n某某局\n2021年1月21日\n扫一扫在手机打开当前页面\n二、相关链接\n| 网站 | 地址 |\n| 政府网 | 链接 |\n"
    normalized, report = parse(text)
    assert [section.title for section in report.sections] == ["总体情况"]
    assert report.signoff.date_text == "2021年1月21日"
    assert [(block.reason, block.text) for block in report.unparsed] == [
        ("落款之后的内容", "扫一扫在手机打开当前页面"),
        ("落款之后的内容", "二、相关链接"),
        ("落款之后的内容", "| 网站 | 地址 |\n| 政府网 | 链接 |"),
    ]
    assert all(normalized[block.span.start : block.span.end] == block.text for block in report.unparsed)


def line_token(kind: str, text: str, start: int, line: int) -> Token:
    return Token(kind, text, start_pos=start, line=line, column=1, end_line=line, end_column=len(text) + 1,
                 end_pos=start + len(text))


def test_a_line_the_grammar_has_no_place_for_is_unparsed_and_the_rest_still_parses():
    text = "一、总体情况\n0\n正文。"
    # A cell with no table before it: the line lexer never makes one, the grammar must still cope.
    tokens = [line_token("SECTION_HEAD", "一、总体情况", 0, 1), line_token("CELL", "0", 7, 2),
              line_token("TEXT", "正文。", 9, 3)]
    tree, unparsed = parse_tokens(tokens)
    [block] = unparsed
    assert (block.span.start, block.span.end, block.text, block.reason) == (7, 8, "0", "此处不应出现的内容")
    report = ReportBuilder(text, build_table).transform(tree)
    [section] = report.sections
    assert outline(section.body) == ["正文。"]


@pytest.mark.parametrize(("terminal", "level"), [("SECTION_HEAD", 1), ("SUB_HEAD", 2), ("ITEM_HEAD", 3)])
def test_the_heading_terminals_spell_the_ordinals_of_the_headings_module(terminal, level):
    expected = HEADING_LEAD + ORDINALS[level] + r"[^\n]*"
    # Lark keeps the \t and \n of a grammar regex as the characters themselves.
    pattern = grammar_parser().get_terminal(terminal).pattern.value
    assert pattern == expected.replace(r"\t", "\t").replace(r"\n", "\n")


def test_list_markers_reusing_section_ordinals_are_not_new_sections():
    text = (
        "一、总体情况\n正文。\n二、存在的主要问题及改进情况\n"
        "一、进一步加强组织领导，把政务公开工作摆上重要议事日程，定期研究部署。\n"
        "三、其他需要报告的事项\n无。\n"
    )
    _, report = parse(text)
    assert [section.number for section in report.sections] == [1, 2, 3]


def test_ordinal_values():
    assert [chinese_ordinal_value(text) for text in ("一", "九", "十", "十二", "二十", "二十三", "7")] == [
        1, 9, 10, 12, 20, 23, 7,
    ]
    # Not a numeral: the heading keeps number 0 rather than a guess.
    assert [chinese_ordinal_value(text) for text in ("十十", "一二三", "")] == [0, 0, 0]


LINE_PIECES = st.sampled_from(
    ["一、总体情况", "(一)做法", "1.措施", "2.完善制度", "第二十条第(一)项", "信息内容", "|", "a | b |", "\t规章", "0",
     "正文。", "2021年1月21日", "某某局", "", "## 二、主动公开政府信息情况", "行政复议", "(七)总计", "四、结转下年度继续办理",
     "一、进一步加强组织领导，把政务公开工作摆上重要议事日程，定期研究部署。", "六、其他需要报告的事项:无。",
     "行政许可      30      17", "          本年新收      上年结转", "某区政府2021年政府信息公开工作年度报告", "工作报告",
     "\f", "- 2 -", "<!-- nianbao: disable=AR001 -->"]
)


def assert_spans_nest(node: Node) -> None:
    """Every child lies within its parent, after the sibling before it. The rows and cells of a table
    only lie within it: a layout table's wrapped label is one cell over lines that hold other cells."""
    previous_end = node.span.start
    for child in node.children():
        assert node.span.start <= child.span.start <= child.span.end <= node.span.end, (node.kind, child)
        if not isinstance(node, (Table, Row)):
            assert child.span.start >= previous_end, (node.kind, child)
        previous_end = child.span.end
        assert_spans_nest(child)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(LINE_PIECES, st.text(max_size=12)), max_size=40))
def test_any_text_parses_into_nested_ordered_spans(lines):
    normalized, report = parse("\n".join(lines))
    assert report.span == type(report.span)(0, len(normalized))
    assert_spans_nest(report)
    for node in report.walk():
        if isinstance(node, Heading):
            assert normalized[node.title_span.start : node.title_span.end] == node.title


def test_text_after_a_section_heading_on_the_same_line_is_a_paragraph():
    _, report = parse("一、总体情况\n正文。\n六、其他需要报告的事项:无。\n")
    last = report.sections[-1]
    assert last.title == "其他需要报告的事项"
    [paragraph] = last.body
    assert isinstance(paragraph, Paragraph) and paragraph.text == "无。"


def test_comment_lines_hide_no_title_and_split_no_table():
    text = (
        "<!-- nianbao: disable-file=DT006 -->\n"
        "某某局2021年政府信息公开工作年度报告\n"
        "二、主动公开政府信息情况\n"
        "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n"
        "|---|---|---|---|\n"
        "<!-- nianbao: disable-next=TB003 -->\n"
        "| 规章 | 0 | 0 | 0 |\n"
    )
    _, report = parse(text)
    assert report.title.text == "某某局2021年政府信息公开工作年度报告"
    [table] = report.sections[0].body
    assert isinstance(table, Table) and len(table.rows) == 2
    assert all("nianbao" not in cell.text for cell in table.cells())


def test_a_markdown_title_is_the_text_after_its_hashes():
    normalized, report = parse("# 某局2021年政府信息公开工作年度报告\n## 一、总体情况\n")
    assert report.title.text == "某局2021年政府信息公开工作年度报告"
    assert normalized[report.title.span.start : report.title.span.end] == report.title.text
