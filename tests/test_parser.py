"""The grammar and the tree builder: what each kind of line becomes, with its span."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from nianbao.parse.parser import parse_report
from nianbao.parse.tree import Heading, Paragraph, Section, SubSection, Table
from nianbao.tables import build_table, default_templates
from nianbao.text.normalize import normalize
from nianbao.text.numerals import chinese_ordinal_value


def parse(text: str):
    normalized = normalize(text, default_templates().labels())
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
    ["一、总体情况", "(一)做法", "1.措施", "第二十条第(一)项", "信息内容", "|", "a | b |", "\t规章", "0", "正文。",
     "2021年1月21日", "某某局", "", "## 二、主动公开政府信息情况", "行政复议", "(七)总计", "四、结转下年度继续办理"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(LINE_PIECES, st.text(max_size=12)), max_size=40))
def test_any_sequence_of_lines_parses_into_ordered_spans_within_the_text(lines):
    normalized, report = parse("\n".join(lines))
    previous_end = 0
    for node in report.children():
        assert 0 <= node.span.start <= node.span.end <= len(normalized)
        assert node.span.start >= previous_end or isinstance(node, Section)
        previous_end = max(previous_end, node.span.start)
    for node in report.walk():
        assert 0 <= node.span.start <= node.span.end <= len(normalized)
        if isinstance(node, Heading):
            title = normalized[node.title_span.start : node.title_span.end]
            assert title == node.title


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
