"""Chinese dates, malformed dates and the statistical-period statement."""

from __future__ import annotations

import datetime
from pathlib import Path

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nianbao.text.dates import DateMention, find_dates, find_malformed_dates, find_period_statement

EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples"


def seed_lines(prefix: str) -> list[str]:
    (path,) = EXAMPLES.glob(f"{prefix}_*.txt")
    text = path.read_text(encoding="utf-8")
    if prefix == "004":  # the one Traditional seed
        text = opencc.OpenCC("t2s").convert(text)
    return text.splitlines()


def only(text: str) -> DateMention:
    (mention,) = find_dates(text)
    return mention


# --- well-formed dates -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "2021年1月21日",
        "2021 年 1 月 21 日",
        "2021年01月21日",
        "2021年1月21号",
        "2021-01-21",
        "2021/1/21",
        "2021.1.21",
        "二〇二一年一月二十一日",
        "二○二一年一月二十一日",
        "二零二一年一月二十一日",
    ],
)
def test_full_dates(text):
    mention = only(f"于{text}发布")
    assert mention == DateMention(1, 1 + len(text), text, 2021, 1, 21, datetime.date(2021, 1, 21), None)


def test_chinese_december_31():
    mention = only("二〇二〇年十二月三十一日")
    assert (mention.year, mention.month, mention.day) == (2020, 12, 31)
    assert mention.date == datetime.date(2020, 12, 31)


def test_month_day_has_no_year_and_no_problem():
    assert only("至12月31日止") == DateMention(1, 7, "12月31日", None, 12, 31, None, None)
    assert only("1月21日") == DateMention(0, 5, "1月21日", None, 1, 21, None, None)
    assert only("2月29日").problem is None  # right in a leap year


def test_year_month():
    assert only("截至2020年12月底") == DateMention(2, 10, "2020年12月", 2020, 12, None, None, None)


@pytest.mark.parametrize(
    "text",
    ["2020年", "2019年度", "近3年", "三个月", "9月", "十年来", "〔2019〕60号", "国办函〔2020〕109号", "仙来中大道165号"],
)
def test_not_date_mentions(text):
    assert find_dates(text) == []


def test_dates_inside_urls_are_ignored():
    assert find_dates("见http://www.xx.gov.cn/art/2021/1/21/art_1.html") == []


def test_a_range_gives_two_dates():
    text = "2020年1月1日至12月31日"
    assert [(d.start, d.end, d.text) for d in find_dates(text)] == [(0, 9, "2020年1月1日"), (10, 16, "12月31日")]


def test_seed_001_sign_off():
    line = seed_lines("001")[-1]
    assert line == "2021年1月21日"
    assert only(line).date == datetime.date(2021, 1, 21)


# --- malformed dates ---------------------------------------------------------------------


def test_lost_characters_in_a_period():
    text = "统计期限为202111日起至20211231日止"
    begin, finish = find_malformed_dates(text)
    # 统计期限为 is five characters; 202111日 seven; 起至 two.
    assert (begin.start, begin.end, begin.text) == (5, 12, "202111日")
    assert (begin.year, begin.month, begin.day, begin.date) == (2021, 1, 1, None)
    assert begin.problem == "日期“202111日”缺少“年”“月”字，可能是复制或转换时丢失了字符"
    assert (finish.start, finish.end, finish.text) == (14, 23, "20211231日")
    assert (finish.year, finish.month, finish.day, finish.date) == (2021, 12, 31, None)


def test_lost_year_marker():
    mention = only("20205月")
    assert (mention.year, mention.month, mention.day) == (2020, 5, None)
    assert mention.problem == "日期“20205月”缺少“年”字，可能是复制或转换时丢失了字符"


def test_lost_month_marker():
    mention = only("2021年1231日")
    assert (mention.year, mention.month, mention.day) == (2021, 12, 31)
    assert "缺少“月”字" in mention.problem


def test_lost_month_marker_ambiguous():
    mention = only("2021年121日")  # 1月21日 or 12月1日
    assert (mention.month, mention.day) == (None, None)
    assert mention.problem == "日期“2021年121日”缺少“月”字，月和日无法分辨"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("2月30日", "日期“2月30日”中的“30日”不存在：2月没有这一天"),
        ("2021年2月29日", "日期“2021年2月29日”中的“29日”不存在：2月没有这一天"),
        ("4月31日", "日期“4月31日”中的“31日”不存在：4月没有这一天"),
        ("13月", "日期“13月”中的月份“13”不存在"),
        ("2020年13月", "日期“2020年13月”中的月份“13”不存在"),
        ("2021-13-01", "日期“2021-13-01”中的月份“13”不存在"),
    ],
)
def test_impossible_dates(text, problem):
    mention = only(text)
    assert (mention.text, mention.problem, mention.date) == (text, problem, None)


def test_leap_day_in_a_leap_year_is_fine():
    assert only("2020年2月29日").date == datetime.date(2020, 2, 29)


def test_document_number_with_lost_bracket():
    text = "依据闽政办〔201818号文件"
    (mention,) = find_malformed_dates(text)
    assert (mention.start, mention.end, mention.text, mention.year) == (5, 13, "〔201818号", 2018)
    assert mention.problem == "文号“〔201818号”缺少“〕”，年份和序号连在一起，可能是转换时丢失了字符"


def test_find_malformed_dates_keeps_only_broken_ones():
    text = "2021年1月21日发布,统计期限为20205月"
    assert [d.text for d in find_dates(text)] == ["2021年1月21日", "20205月"]
    assert [d.text for d in find_malformed_dates(text)] == ["20205月"]


# --- period statements ---------------------------------------------------------------------


def test_period_finish_inherits_the_year():
    text = "本报告所列数据的统计期限为2020年1月1日至12月31日止。"
    statement = find_period_statement(text)
    # Counted by hand: 本报告所列数据的 is eight characters, the statement ends after 止.
    assert (statement.start, statement.end) == (8, 30)
    assert statement.text == "统计期限为2020年1月1日至12月31日止"
    assert statement.begin.date == datetime.date(2020, 1, 1)
    assert statement.finish == DateMention(23, 29, "12月31日", 2020, 12, 31, datetime.date(2020, 12, 31), None)


def test_period_over_several_years():
    statement = find_period_statement("统计期限自2015年3月1日起至2018年12月31日止")
    assert statement.begin.date == datetime.date(2015, 3, 1)
    assert statement.finish.date == datetime.date(2018, 12, 31)
    assert statement.text == "统计期限自2015年3月1日起至2018年12月31日止"


def test_period_without_trailing_zhi():
    statement = find_period_statement("本报告中所列数据统计期限为2021年1月1日至2021年12月31日。")
    assert (statement.begin.date, statement.finish.date) == (datetime.date(2021, 1, 1), datetime.date(2021, 12, 31))
    assert statement.text == "统计期限为2021年1月1日至2021年12月31日"


def test_seed_003_period():
    (line,) = [line for line in seed_lines("003") if "统计期限" in line]
    statement = find_period_statement(line)
    assert statement.begin.date == datetime.date(2020, 1, 1)
    assert statement.finish.date == datetime.date(2020, 12, 31)
    assert line[statement.start:statement.end] == "统计期限为2020年1月1日至12月31日止"


def test_seed_004_period_after_t2s():
    text = "\n".join(seed_lines("004"))
    statement = find_period_statement(text)
    assert statement.text == "统计数据期限自2017年1月1日至2017年12月31日"
    assert statement.start == text.index("本报告的统计数据期限") + len("本报告的")
    assert (statement.begin.date, statement.finish.date) == (datetime.date(2017, 1, 1), datetime.date(2017, 12, 31))


def test_period_with_lost_characters_keeps_the_problems():
    statement = find_period_statement("统计期限为202111日起至20211231日止。")
    assert statement.begin.problem and statement.finish.problem
    assert statement.text == "统计期限为202111日起至20211231日止"


def test_period_keyword_without_dates():
    statement = find_period_statement("统计期限为2020年度。")
    assert (statement.begin, statement.finish) == (None, None)
    assert statement.text == "统计期限为2020年度"


def test_no_period_statement():
    assert find_period_statement("2020年,我局收到申请31件。") is None
    assert find_period_statement("\n".join(seed_lines("000"))) is None


# --- properties ----------------------------------------------------------------------------

_DATE_NOISE = st.lists(
    st.sampled_from(list("0123456789年月日号至起止-/.〔〕 一二十三〇○") + ["统计期限", "20211231日", "2月30日", "http://"]),
    max_size=25,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=60), _DATE_NOISE))
def test_random_text_never_raises(text):
    dates = find_dates(text)
    for mention in dates:
        assert mention.text == text[mention.start:mention.end]
        assert mention.date is None or mention.problem is None
    assert all(a.end <= b.start for a, b in zip(dates, dates[1:]))
    find_period_statement(text)


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2099, 12, 31)))
def test_every_written_form_of_a_date_reads_back(day):
    forms = [
        f"{day.year}年{day.month}月{day.day}日",
        f"{day.year}年{day.month:02d}月{day.day:02d}日",
        f"{day.year}-{day.month:02d}-{day.day:02d}",
        f"{day.year}/{day.month}/{day.day}",
    ]
    for form in forms:
        assert only(f"于{form}印发").date == day
