"""Chinese numerals: 一百二十三, 两千, 二〇二一, 三点五, and the numbers of heading ordinals.

Prose numbers (:mod:`nianbao.text.numbers`), dates (:mod:`nianbao.text.dates`), table cells
(:mod:`nianbao.text.values`) and headings (:mod:`nianbao.parse.headings`) all read numerals here.
"""

from __future__ import annotations

import re
from decimal import Decimal

__all__ = ["MAGNITUDES", "chinese_ordinal_value", "magnitude_multiplier", "parse_chinese_numeral"]

_ZERO_GLYPHS = "零〇○"
_DIGIT_VALUES = {
    "零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}
# Glyphs that may appear in a numeral read digit by digit (二〇二一); 两 never does.
_PLAIN_DIGITS = "零〇○一二三四五六七八九"
_SECTION_UNITS = {"十": 10, "百": 100, "千": 1000}
_GROUP_UNITS = {"万": 10**4, "亿": 10**8}
# What may follow digits and multiply them: 1.2万, 3千.
MAGNITUDES = "百千万亿"

_ARABIC_WITH_MAGNITUDE = re.compile(rf"(\d+(?:\.\d+)?)([{MAGNITUDES}]*)")


def parse_chinese_numeral(text: str) -> int | Decimal | None:
    """The value of a numeral such as 一百二十三, 两千, 一万零五, 十二, 三点五 or 二〇二一.

    A run of four or more digit glyphs, or one containing 〇/零, is read digit by digit
    (二〇二一 → 2021); two or three plain digits (三四) are a range, not a number, and give None.
    Colloquial abbreviations are understood (一万五 → 15000, 一百五 → 150). Digits with a
    magnitude (1.2万) are accepted too. Whole values are returned as ``int``, others as
    ``Decimal``; anything that is not a well-formed numeral gives None.
    """
    text = text.strip()
    if not text:
        return None
    arabic = _ARABIC_WITH_MAGNITUDE.fullmatch(text)
    if arabic:
        value = Decimal(arabic.group(1))
        if arabic.group(2):
            multiplier = magnitude_multiplier(arabic.group(2))
            if multiplier is None:
                return None
            value *= multiplier
        return _simplest(value)
    whole, point, fraction = text.partition("点")
    if point:
        if not whole or not fraction or any(ch not in _PLAIN_DIGITS for ch in fraction):
            return None
        whole_value = _parse_integer(whole)
        if whole_value is None:
            return None
        digits = "".join(str(_DIGIT_VALUES[ch]) for ch in fraction)
        return _simplest(Decimal(f"{whole_value}.{digits}"))
    return _parse_integer(text)


def magnitude_multiplier(magnitude: str) -> int | None:
    """What digits followed by ``magnitude`` are multiplied by: 万 → 10000, 百万 → 1000000; None for
    characters that do not make one magnitude (百千)."""
    return _parse_integer("一" + magnitude)


def chinese_ordinal_value(text: str) -> int:
    """The number of an ordinal as written in a heading or a count: 一 → 1, 十二 → 12, 二十三 → 23, 7 → 7.

    The ordinal's numeral read by :func:`parse_chinese_numeral`; 0 when it is not a well-formed
    whole number (一二三, 十十), so that a heading always has a number to compare.
    """
    value = parse_chinese_numeral(text)
    return value if isinstance(value, int) else 0


def _simplest(value: Decimal) -> int | Decimal:
    return int(value) if value == value.to_integral_value() else value


def _parse_integer(text: str) -> int | None:
    if not text:
        return None
    if len(text) == 1 and text in _DIGIT_VALUES:
        return _DIGIT_VALUES[text]
    if all(ch in _PLAIN_DIGITS for ch in text):
        # Digit by digit only where that reading is the usual one (years, 〇 forms).
        if len(text) >= 4 or any(ch in _ZERO_GLYPHS for ch in text):
            return int("".join(str(_DIGIT_VALUES[ch]) for ch in text))
        return None
    return _parse_positional(text)


def _parse_positional(text: str) -> int | None:
    """一百二十三 style numerals: digits with 十百千 inside groups of 万 and 亿."""
    above_yi = 0  # value already scaled by 亿
    wan_group = 0  # value already scaled by 万 (below 亿)
    section = 0  # value below 万
    pending_digit: int | None = None
    smallest_unit: int | None = None  # 十百千 must decrease within a section
    seen_wan = seen_yi = False
    previous = None  # kind of the previous glyph: digit, zero, unit, group
    last_unit: int | None = None
    unit_before_digit: int | None = None
    for ch in text:
        if ch in _ZERO_GLYPHS:
            if previous not in ("unit", "group"):
                return None
            previous = "zero"
        elif ch in _DIGIT_VALUES:
            if previous == "digit":
                return None
            pending_digit = _DIGIT_VALUES[ch]
            unit_before_digit = last_unit if previous in ("unit", "group") else None
            previous = "digit"
        elif ch in _SECTION_UNITS:
            unit = _SECTION_UNITS[ch]
            if previous == "digit":
                count = pending_digit
            elif ch == "十" and previous in (None, "zero", "group"):
                count = 1  # 十二, 一百零十…, 一万十…
            else:
                return None
            if smallest_unit is not None and unit >= smallest_unit:
                return None
            section += count * unit
            smallest_unit = unit
            pending_digit = None
            previous = "unit"
            last_unit = unit
        elif ch in _GROUP_UNITS:
            if previous in (None, "zero"):
                return None
            part = section + (pending_digit or 0)
            if ch == "万":
                if seen_wan or part == 0:
                    return None
                wan_group = part * 10**4
                seen_wan = True
            else:
                if seen_yi or wan_group + part == 0:
                    return None
                above_yi = (wan_group + part) * 10**8
                wan_group = 0
                seen_yi = True
                seen_wan = False
            section = 0
            pending_digit = None
            smallest_unit = None
            previous = "group"
            last_unit = _GROUP_UNITS[ch]
        else:
            return None
    if previous == "zero":
        return None
    trailing = 0
    if pending_digit is not None:
        trailing = pending_digit
        # 一万五 = 15000, 一百五 = 150: a bare digit right after 百/千/万/亿 counts the next place down.
        if unit_before_digit is not None and unit_before_digit >= 100:
            trailing = pending_digit * unit_before_digit // 10
    return above_yi + wan_group + section + trailing
