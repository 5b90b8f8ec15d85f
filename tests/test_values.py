"""Table value cells: numbers with sign and unit, blanks, dashes, text."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nianbao.text.values import CellValue
from nianbao.text.values import parse_cell_value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0", CellValue("number", Decimal(0))),
        ("13", CellValue("number", Decimal(13))),
        ("0 ", CellValue("number", Decimal(0))),  # seed 001's tab cells carry spaces
        (" 0", CellValue("number", Decimal(0))),
        ("\t 0", CellValue("number", Decimal(0))),
        ("6603610.09", CellValue("number", Decimal("6603610.09"))),
        ("190.457379", CellValue("number", Decimal("190.457379"))),
        ("0.00", CellValue("number", Decimal("0.00"))),
        ("1,025", CellValue("number", Decimal(1025))),
        ("1 025", CellValue("number", Decimal(1025))),
        ("6 603 610.09", CellValue("number", Decimal("6603610.09"))),
        ("十二", CellValue("number", Decimal(12))),
    ],
)
def test_plain_numbers(text, expected):
    assert parse_cell_value(text) == expected


@pytest.mark.parametrize(
    ("text", "value", "sign"),
    [
        ("+1036", 1036, 1),
        ("-3", -3, -1),
        ("减71", -71, -1),
        ("加89", 89, 1),
        ("增12", 12, 1),
        ("减少3", -3, -1),
        ("增加 5", 5, 1),
        ("+0", 0, 1),
    ],
)
def test_signed_changes(text, value, sign):
    # The value carries the sign so that 上一年项目数量 + 本年增/减 can be computed directly.
    assert parse_cell_value(text) == CellValue("number", Decimal(value), sign)


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("21738元", Decimal(21738), "元"),
        ("12.5万元", Decimal("12.5"), "万元"),
        ("3件", Decimal(3), "件"),
        ("2条", Decimal(2), "条"),
        ("3 件", Decimal(3), "件"),
        ("42%", Decimal(42), "%"),
        ("2.5万", Decimal(25000), None),
    ],
)
def test_units(text, value, unit):
    assert parse_cell_value(text) == CellValue("number", value, 0, unit)


@pytest.mark.parametrize("text", ["", " ", "\t", "  \t "])
def test_blank(text):
    assert parse_cell_value(text) == CellValue("blank")


@pytest.mark.parametrize("text", ["/", "-", "—", "－", "——", "--", "— —", "无", " / "])
def test_dashes(text):
    assert parse_cell_value(text) == CellValue("dash")


@pytest.mark.parametrize(
    "text",
    [
        "约30",  # approximate: a table figure must be exact
        "20余",
        "1 2",  # two numbers in one cell, not a thousands grouping
        "1,02",
        "abc",
        "不详",
        "+",
        "减",
        "3件4条",
        "第3",
        "信息内容",
    ],
)
def test_text(text):
    assert parse_cell_value(text) == CellValue("text")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_random_text_never_raises(text):
    value = parse_cell_value(text)
    assert value.kind in ("number", "blank", "dash", "text")
    assert (value.value is not None) == (value.kind == "number")


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**9), st.sampled_from(["", "+", "加", "增", "-", "减", "减少"]))
def test_signed_integers_round_trip(number, sign_word):
    value = parse_cell_value(f"{sign_word}{number:,}")
    sign = {"": 0, "+": 1, "加": 1, "增": 1}.get(sign_word, -1)
    assert value == CellValue("number", Decimal(number * (sign or 1)), sign)
