"""Numbers in report prose: Chinese numerals, units, approximations, and which figures are counts."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nianbao.text.numbers import NumberMention, extract_counts, extract_numbers
from nianbao.text.numerals import parse_chinese_numeral
from test_sentences import lines_executed

EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples"


def seed_lines(prefix: str) -> list[str]:
    (path,) = EXAMPLES.glob(f"{prefix}_*.txt")
    text = path.read_text(encoding="utf-8")
    if prefix == "004":  # the one Traditional seed
        text = opencc.OpenCC("t2s").convert(text)
    return text.splitlines()


def line_containing(prefix: str, fragment: str) -> str:
    (line,) = [line for line in seed_lines(prefix) if fragment in line]
    return line


def texts(mentions: list[NumberMention]) -> list[str]:
    return [m.text for m in mentions]


# --- parse_chinese_numeral -------------------------------------------------------------


@pytest.mark.parametrize(
    ("numeral", "value"),
    [
        ("零", 0),
        ("一", 1),
        ("两", 2),
        ("十", 10),
        ("十二", 12),
        ("一十二", 12),
        ("二十", 20),
        ("一百二十三", 123),
        ("一百零三", 103),
        ("两千", 2000),
        ("一千零五十", 1050),
        ("一万零五", 10005),
        ("十万", 100000),
        ("二十万零三百", 200300),
        ("一亿二千万", 120000000),
        ("一亿零五", 100000005),
        ("一万亿", 10**12),
        # colloquial: a bare digit after 百/千/万 fills the next place down
        ("一百五", 150),
        ("两千五", 2500),
        ("一万五", 15000),
        # digit by digit: years and forms written with 〇/○/零
        ("二〇二一", 2021),
        ("二○二一", 2021),
        ("二零二一", 2021),
        ("一九九八", 1998),
        ("三点五", Decimal("3.5")),
        ("十二点二五", Decimal("12.25")),
        ("1.2万", 12000),
        ("12", 12),
    ],
)
def test_parse_chinese_numeral(numeral, value):
    result = parse_chinese_numeral(numeral)
    assert result == value
    assert type(result) is type(value)


@pytest.mark.parametrize(
    "text", ["", "百", "万", "十十", "一二三", "三四", "一百零", "五万万", "二亿亿", "十一五", "三点", "点五", "一是"]
)
def test_parse_chinese_numeral_rejects_non_numerals(text):
    assert parse_chinese_numeral(text) is None


# --- extract_numbers -------------------------------------------------------------------


def only(text: str) -> NumberMention:
    (mention,) = extract_numbers(text)
    return mention


def test_count_with_measure_word():
    assert only("受理申请125条。") == NumberMention(
        value=Decimal(125), start=4, end=8, text="125条", unit="条",
        approximate=False, approx_word=None, percent=False,
    )


@pytest.mark.parametrize(
    ("text", "value", "unit", "approx_word", "span"),
    [
        ("信息5余条", 5, "条", "余", (2, 5)),
        ("信息20余条", 20, "条", "余", (2, 6)),
        ("处理100多件", 100, "件", "多", (2, 7)),
        ("办理近300件", 300, "件", "近", (2, 7)),
        ("发布约30条", 30, "条", "约", (2, 6)),
        ("发布30条左右", 30, "条", "左右", (2, 7)),
        ("超过200家", 200, "家", "超过", (0, 6)),
        ("逾1000人次", 1000, "人次", "逾", (0, 7)),
        ("阅读量3000多人次", 3000, "人次", "多", (3, 10)),
        ("覆盖3万余", 30000, None, "余", (2, 5)),
        ("资金3万余元", 3, "万元", "余", (2, 6)),
        ("二十余条", 20, "条", "余", (0, 4)),
        ("约三十条", 30, "条", "约", (0, 4)),
    ],
)
def test_approximate_counts(text, value, unit, approx_word, span):
    mention = only(text)
    assert (mention.value, mention.unit, mention.approx_word) == (Decimal(value), unit, approx_word)
    assert mention.approximate
    assert (mention.start, mention.end) == span
    assert mention.text == text[span[0]:span[1]]


def test_words_ending_in_an_approximation_word_are_not_approximations():
    mention = only("新签约3家企业")
    assert (mention.text, mention.approximate) == ("3家", False)
    assert not only("最近3年").approximate


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("2.5万条", Decimal(25000), "条"),
        ("1.2万", Decimal(12000), None),
        ("5千份", Decimal(5000), "份"),
        ("12万元", Decimal(12), "万元"),  # 万 before 元 stays in the unit
        ("12.5万元", Decimal("12.5"), "万元"),
        ("3亿元", Decimal(3), "亿元"),
        ("三十万元", Decimal(30), "万元"),
        ("一万五千元", Decimal(15000), "元"),
        ("21738元", Decimal(21738), "元"),
        ("6603610.09元", Decimal("6603610.09"), "元"),
        ("1,025份", Decimal(1025), "份"),
        ("12,345,678", Decimal(12345678), None),
        ("十二件", Decimal(12), "件"),
        ("两个专题", Decimal(2), "个"),
        ("三个月", Decimal(3), "个月"),
        ("3个工作日", Decimal(3), "个工作日"),
        ("78678人次", Decimal(78678), "人次"),
    ],
)
def test_magnitudes_units_and_separators(text, value, unit):
    mention = only(text)
    assert (mention.value, mention.unit) == (value, unit)
    assert mention.start == 0
    assert not mention.approximate


@pytest.mark.parametrize(
    ("text", "value", "span"),
    [
        ("占42%", Decimal(42), (1, 4)),
        ("占12.5%", Decimal("12.5"), (1, 6)),
        ("占百分之十二", Decimal(12), (1, 6)),
        ("百分之12.5", Decimal("12.5"), (0, 7)),
        ("百分之百办结", Decimal(100), (0, 4)),
        ("100%生成电子证照", Decimal(100), (0, 4)),
    ],
)
def test_percentages(text, value, span):
    mention = only(text)
    assert mention.percent and mention.unit == "%"
    assert (mention.value, (mention.start, mention.end)) == (value, span)


def test_commas_that_are_not_thousands_separators_split_numbers():
    # Normalised text has "," for "，", so "750,3000" is two numbers.
    assert [(m.value, m.unit) for m in extract_numbers("日均阅读量750,微博3000多人次")] == [
        (Decimal(750), None),
        (Decimal(3000), "人次"),
    ]
    assert [m.value for m in extract_numbers("分别为3,5,7件")] == [3, 5, 7]


def test_space_between_number_and_unit():
    mention = only("2017 年")
    assert (mention.value, mention.unit, mention.end) == (Decimal(2017), "年", 6)


@pytest.mark.parametrize(
    "text",
    [
        "一是加强领导",
        "存在一些困难",
        "统一部署",
        "进一步加强",
        "一律公开",
        "万一出现",
        "十分重视",
        "“三公”经费预算",
        "涉及“三重一大”的重大事项",
        "围绕“六稳”、“六保”",
        "根据“三定”方案",
        "落实“一次不跑”“只跑一次”办事流程",
        "一次性告知",
        "增强“四个意识”",
        "市九届人大三次会议",
        "上一年项目数量",
        "危及“三安全一稳定”",
        "属于三类内部事务信息",
        "党的十九大",
        "七八个",
    ],
)
def test_chinese_numerals_inside_words_are_not_numbers(text):
    assert extract_numbers(text) == []


def test_digits_glued_to_letters_are_names():
    assert extract_numbers("beat365体育_365bet最新备用_bte365市") == []
    assert extract_numbers("5G网络") == []


def test_dates_are_read_number_by_number():
    assert [(m.value, m.unit) for m in extract_numbers("2021年1月21日")] == [
        (Decimal(2021), "年"),
        (Decimal(1), "月"),
        (Decimal(21), "日"),
    ]
    assert [m.value for m in extract_numbers("2021.1.21")] == [2021, 1, 21]


# --- extract_counts ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "2021年1月21日",
        "2021 年 1 月 21 日",
        "2020-01-01",
        "2020年",
        "2019年度",
        "二〇二一年",
        "2019-2020年",
        "9月,我厅领导",
        "12月31日止",
        "第二十条第(一)项",
        "第3次",
        "国务院令第492号",
        "一是加强",
        "(一)基本情况",
        "(1)申请",
        "1.切实加强组织领导",
        "其中:1.政府网站公开数",
        "2、新闻媒体",
        "国办公开办函〔2019〕60号",
        "国办函〔2020〕109号",
        "〔201818号",
        "仙来中大道165号",
        "联系电话:0790-6441411、0790-6451583",
        "电话(0591)87654321",
        "手机13912345678",
        "邮编:338025",
        "接听“12345”热线",
        "12345政务服务便民热线",
        "http://www.xx.gov.cn/art/2021/1/21/art_1.html",
        "邮箱ab12@xx.gov.cn",
        "上午9:30",
        "“9·8”投洽会",
        "身份证号110101199003077777",
    ],
)
def test_things_that_are_not_counts(text):
    assert extract_counts(text) == []


def test_counts_next_to_skipped_numbers_are_kept():
    text = "2021年1月21日共受理申请125条,第3次会议通过12项,(1)申请3件"
    assert texts(extract_counts(text)) == ["125条", "12项", "3件"]


def test_month_duration_is_a_count_but_month_is_not():
    assert texts(extract_counts("用时3个月,9月完成")) == ["3个月"]


# --- real report sentences ---------------------------------------------------------------------


def test_seed_000_approximate_counts_and_offsets():
    line = line_containing("000", "工作动态等20余条")
    counts = extract_counts(line)
    # Read by hand: 六稳/六保/三定 are words, 2019年 a year, beat365/365bet/bte365 names.
    assert texts(counts) == ["20余条", "6件", "3项", "10项", "4项", "3项", "15条", "5余条"]
    approximate = [m for m in counts if m.approximate]
    assert texts(approximate) == ["20余条", "5余条"]
    first, second = approximate
    assert first.start == line.index("工作动态等20余条") + len("工作动态等")
    assert first.end == first.start + 4
    assert second.start == line.index("监测预警信息5余条") + len("监测预警信息")
    assert (second.value, second.unit, second.approx_word) == (Decimal(5), "条", "余")


def test_seed_000_sentence_offsets_counted_by_hand():
    sentence = "发布应对新冠肺炎疫情稳定商务经济运行措施、工作动态等20余条,为有效克服"
    (mention,) = extract_counts(sentence)
    assert (mention.start, mention.end, mention.value) == (26, 30, Decimal(20))


def test_seed_004_percentages_after_t2s():
    line = line_containing("004", "同意公开”的53条")
    counts = extract_counts(line)
    assert [(m.text, m.value, m.percent) for m in counts] == [
        ("125条", Decimal(125), False),
        ("53条", Decimal(53), False),
        ("42%", Decimal(42), True),
        ("72条", Decimal(72), False),
        ("58%", Decimal(58), True),
    ]
    assert line[counts[0].start:counts[0].end] == "125条"
    assert counts[2].start == line.index("占42%") + 1


def test_seed_004_applications():
    line = line_containing("004", "受理政府信息公开申请125条")
    assert texts(extract_counts(line)) == ["125条", "384条", "122条", "3条"]


def test_seed_002_contact_details_are_not_counts():
    line = line_containing("002", "联系电话")
    # The only figure-like things are an address number, a postcode and two phone numbers;
    # "八个部分" is the one count.
    assert texts(extract_counts(line)) == ["八个"]


def test_seed_002_session_numbers_and_slogans():
    line = line_containing("002", "市九届人大三次")
    assert texts(extract_counts(line)) == ["2件", "7件"]
    line = line_containing("002", "只跑一次")
    assert extract_counts(line) == []
    line = line_containing("002", "原则上每月召开一次")
    assert texts(extract_counts(line)) == ["一次"]


def test_seed_002_url_then_count():
    line = line_containing("002", "457余条")
    assert texts(extract_counts(line)) == ["457余条"]


# --- properties ----------------------------------------------------------------------------

_DIGITS = "零一二三四五六七八九"


def render_chinese(number: int, rng: random.Random) -> str:
    """An independent renderer: standard Chinese numerals, with 十/一十 and 两 varied at random."""
    if number == 0:
        return "零"
    out: list[str] = []
    groups = [(number // 10**8, "亿"), (number // 10**4 % 10**4, "万"), (number % 10**4, "")]
    for value, group_unit in groups:
        if value == 0:
            continue
        if out and value < 1000:
            out.append("零")  # a gap before this group
        digits = [value // 1000, value // 100 % 10, value // 10 % 10, value % 10]
        places = ["千", "百", "十", ""]
        pending_zero = False
        for index, (digit, place) in enumerate(zip(digits, places)):
            if digit == 0:
                if any(out_digit for out_digit in digits[:index]):
                    pending_zero = True
                continue
            if pending_zero:
                out.append("零")
                pending_zero = False
            leading = not out
            if leading and place == "十" and digit == 1 and rng.random() < 0.5:
                out.append("十")  # 十二 as well as 一十二
                continue
            glyph = _DIGITS[digit]
            if leading and digit == 2 and place in ("千", "百") and rng.random() < 0.5:
                glyph = "两"
            out.append(glyph + place)
        out.append(group_unit)
    return "".join(out)


def test_renderer_examples():
    rng = random.Random(0)
    assert render_chinese(10005, rng) == "一万零五"
    assert render_chinese(1050, rng) == "一千零五十"
    assert render_chinese(100000000, rng) == "一亿"
    assert render_chinese(100050000, rng) == "一亿零五万"
    assert render_chinese(123, rng) == "一百二十三"


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**8), st.randoms(use_true_random=False))
def test_every_rendering_of_a_number_reads_the_same(number, rng):
    chinese = render_chinese(number, rng)
    assert parse_chinese_numeral(chinese) == number
    renderings = [str(number), f"{number:,}", chinese]
    values = []
    for rendering in renderings:
        (mention,) = extract_numbers(f"共{rendering}条。")
        assert mention.unit == "条"
        assert mention.text == f"{rendering}条"
        values.append(mention.value)
    assert values == [number] * 3


_NOISY = st.lists(
    st.sampled_from(
        list("0123456789,.%:·-/ 年月日号余多近约件条个万元亿十百千零〇○一二两三五九点第是之分(〔〕)“”\n\tabcX")
        + ["百分之", "左右", "人次", "12345", "热线", "电话", "http://", ".gov.cn"]
    ),
    max_size=30,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=60), _NOISY))
def test_random_text_never_raises(text):
    for mention in extract_numbers(text):
        assert 0 <= mention.start < mention.end <= len(text)
        assert mention.text == text[mention.start:mention.end]
    counts = extract_counts(text)
    assert all(c in extract_numbers(text) for c in counts)


def test_counts_of_a_long_text_cost_work_in_proportion_to_its_length():
    """Every figure is checked against the blocked spans (dates, phone numbers, document numbers)
    and the words before it by binary search and a look back from the figure, not by a scan of
    everything before it: ten times the text executes at most about ten times the lines."""
    text = "2021年1月5日，依据国办发〔2021〕12号，第3次会议，电话0791-86441234，公开信息12条、约30件，占40%。"
    small, large = lines_executed(extract_counts, text * 5), lines_executed(extract_counts, text * 50)
    assert large <= 10.5 * small, (small, large)
    once = [(m.start, m.text) for m in extract_counts(text)]
    repeated = extract_counts(text * 50)
    assert [(m.start - 49 * len(text), m.text) for m in repeated[-len(once) :]] == once
