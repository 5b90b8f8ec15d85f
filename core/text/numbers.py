"""Numbers in Chinese report prose: 125条, 20余条, 百分之十二, 1,025份, 1.2万, 12万元, 二〇二一.

Every rule and plugin that needs a figure from the text uses :func:`extract_numbers` (every
number as written) or :func:`extract_counts` (only figures that state a quantity: no dates,
years, ordinals, document numbers, phone numbers or URLs).

Conventions:

* A Chinese numeral is only a number when a measure word or unit follows it (``三个``, ``十二件``,
  ``二十余条``), or it is a percentage (``百分之十二``). So ``一是``, ``一些``, ``统一``, ``十分``,
  ``三公``, ``六稳`` are words, not numbers. Figures written with digits need no unit.
* A magnitude written after digits multiplies: ``2.5万条`` is 25000 条, ``1.2万`` is 12000.
  Before 元 the trailing 万/亿 stays in the unit instead: ``12万元`` is 12 in 万元 (the unit the
  2021 fee column uses), so amounts can be compared with the table as written.
* ``1,025`` is one number when the groups after the first comma have exactly three digits;
  otherwise the comma separates numbers (normalised text has ``,`` for ``，``).
* Digits glued to ASCII letters (``beat365``, ``5G``) are parts of names, not numbers.

The measure words, approximation words and fixed expressions are in ``data/numbers.toml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from importlib import resources

from nianbao.data.cache import cached
from nianbao.data.toml import read_toml
from nianbao.text.dates import find_dates
from nianbao.text.location import SpanIndex, spans_meeting
from nianbao.text.numerals import (
    MAGNITUDES,
    magnitude_multiplier,
    parse_chinese_numeral,
)
from nianbao.text.patterns import LazyPattern
from nianbao.text.urls import url_spans

__all__ = [
    "NumberMention",
    "extract_counts",
    "extract_numbers",
]


@dataclass(frozen=True)
class NumberMention:
    """A number in the text; ``[start, end)`` covers the number with its unit and approximation words."""

    value: Decimal
    start: int
    end: int
    text: str
    unit: str | None
    """The measure word or unit as written (件, 条, 人次, 元, 万元, %, 年 …), None when there is none."""
    approximate: bool
    approx_word: str | None
    percent: bool


# --- lexicon -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Lexicon:
    units: tuple[str, ...]  # longest first
    before_number: tuple[str, ...]
    after_number: tuple[str, ...]
    after_unit: tuple[str, ...]
    false_before: tuple[str, ...]
    not_numbers: re.Pattern[str]
    contact_labels: re.Pattern[str]
    hotline_followers: tuple[str, ...]
    dashes: frozenset[str]
    positive_signs: tuple[str, ...]
    negative_signs: tuple[str, ...]
    units_by_start: dict[str, tuple[str, ...]] = field(compare=False)
    """``units`` grouped by first character, longest first: a unit is looked for after every number."""


def _by_first_character(words: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    grouped: dict[str, list[str]] = {}
    for word in words:
        grouped.setdefault(word[:1], []).append(word)
    return {start: tuple(group) for start, group in grouped.items()}


def _longest_first(words: list[str]) -> tuple[str, ...]:
    return tuple(sorted(set(words), key=len, reverse=True))


@lru_cache(maxsize=1)
def lexicon() -> _Lexicon:
    """The number lexicon from ``data/numbers.toml`` (loaded once)."""
    return cached("numbers", _read_lexicon, modules=("nianbao.text.numerals",))


def _read_lexicon() -> _Lexicon:
    raw = read_toml(resources.files("nianbao.data").joinpath("numbers.toml"))
    units = raw["units"]
    approximation = raw["approximation"]
    cells = raw["cells"]
    labels = _longest_first(raw["counts"]["contact_labels"])
    all_units = _longest_first(units["counting"] + units["money"] + units["time"] + units["other"])
    return _Lexicon(
        units=all_units,
        before_number=_longest_first(approximation["before_number"]),
        after_number=_longest_first(approximation["after_number"]),
        after_unit=_longest_first(approximation["after_unit"]),
        false_before=_longest_first(approximation["false_before"]),
        not_numbers=re.compile("|".join(f"(?:{p})" for p in raw["not_numbers"]["phrases"])),
        # The label, optional colon, then the digits, separators and area-code brackets after it.
        contact_labels=re.compile(
            "(?:" + "|".join(map(re.escape, labels)) + r")[:\s]*[0-9][0-9\-()、, ]*"
        ),
        hotline_followers=_longest_first(raw["counts"]["hotline_followers"]),
        dashes=frozenset(cells["dashes"]),
        positive_signs=_longest_first(cells["positive_signs"]),
        negative_signs=_longest_first(cells["negative_signs"]),
        units_by_start=_by_first_character(all_units),
    )


# --- extraction ----------------------------------------------------------------------

_CANDIDATE = re.compile(
    r"(?P<percent>百分之)"
    r"|(?P<arabic>[0-9](?:[0-9,.]*[0-9])?)"
    r"|(?P<chinese>[零〇○一二两三四五六七八九十][零〇○一二两三四五六七八九十百千万亿]*"
    r"(?:点[零〇○一二三四五六七八九]+)?)"
)
_PERCENT_BODY = LazyPattern(
    r"[0-9]+(?:\.[0-9]+)?|[零〇○一二两三四五六七八九十百千万亿]+(?:点[零〇○一二三四五六七八九]+)?"
)
_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_PLAIN = re.compile(r"\d+(?:\.\d+)?")
_ASCII_LETTER = re.compile(r"[A-Za-z]")


def extract_numbers(text: str) -> list[NumberMention]:
    """Every number in ``text`` as written, in order, with its unit and approximation words.

    Dates are not interpreted here: ``2021年1月21日`` gives 2021 (年), 1 (月) and 21 (日). Use
    :func:`extract_counts` for the figures that state quantities.
    """
    lex = lexicon()
    excluded = [m.span() for m in lex.not_numbers.finditer(text)]
    mentions: list[NumberMention] = []
    pos = 0
    while True:
        match = _CANDIDATE.search(text, pos)
        if match is None:
            break
        if match.group("percent"):
            found = _read_percent(text, match.end(), match.start(), lex)
            if found:
                mentions.append(found)
                pos = found.end
            else:
                pos = match.end()
        elif match.group("arabic"):
            found_all = _read_arabic_run(text, match.start(), match.end(), lex)
            mentions.extend(found_all)
            pos = max([match.end()] + [m.end for m in found_all])
        else:
            start, end = match.span()
            found = None
            # A fixed expression reaching outside the numeral (统一, 三重一大) makes it a word;
            # one inside it (万一 in 八万一千) does not.
            if not any(not start <= s <= e <= end for s, e in spans_meeting(excluded, start, end)):
                found = _read_chinese(text, start, end, lex)
            if found:
                mentions.append(found)
                pos = found.end
            else:
                pos = end
    return mentions


def _read_arabic_run(text: str, start: int, end: int, lex: _Lexicon) -> list[NumberMention]:
    run = text[start:end]
    glued_before = start > 0 and _ASCII_LETTER.match(text[start - 1])
    glued_after = end < len(text) and _ASCII_LETTER.match(text[end])
    if glued_before or glued_after:
        return []
    if _THOUSANDS.fullmatch(run) or _PLAIN.fullmatch(run):
        pieces = [(start, end)]
    else:
        # 2021.1.21 or 3,5,7: several numbers joined by separators.
        pieces = [(start + m.start(), start + m.end()) for m in re.finditer(r"\d+", run)]
    mentions = []
    for index, (piece_start, piece_end) in enumerate(pieces):
        value = Decimal(text[piece_start:piece_end].replace(",", ""))
        last = index == len(pieces) - 1
        mentions.append(
            _complete(text, piece_start, piece_end, value, lex, arabic=True, with_tail=last)
        )
    return [m for m in mentions if m is not None]


def _read_chinese(text: str, start: int, end: int, lex: _Lexicon) -> NumberMention | None:
    numeral = text[start:end]
    value = parse_chinese_numeral(numeral)
    if value is None:
        return None
    return _complete(text, start, end, Decimal(value), lex, arabic=False, with_tail=True)


def _read_percent(text: str, body_start: int, start: int, lex: _Lexicon) -> NumberMention | None:
    body = _PERCENT_BODY.match(text, body_start)
    if body is None:
        return None
    # 百分之百 is the one percentage whose number is a bare 百.
    value = 100 if body.group() == "百" else parse_chinese_numeral(body.group())
    if value is None:
        return None
    end = body.end()
    approx_word, approx_start = _approximation_before(text, start, lex)
    after = _startswith_any(text, end, lex.after_unit)
    if after:
        approx_word = approx_word or after
        end += len(after)
    return NumberMention(
        value=Decimal(value),
        start=approx_start,
        end=end,
        text=text[approx_start:end],
        unit="%",
        approximate=approx_word is not None,
        approx_word=approx_word,
        percent=True,
    )


def _complete(
    text: str,
    start: int,
    end: int,
    value: Decimal,
    lex: _Lexicon,
    *,
    arabic: bool,
    with_tail: bool,
) -> NumberMention | None:
    """Add magnitude, approximation words and unit around the numeral at ``[start, end)``."""
    numeral = text[start:end]
    pos = end
    magnitude = ""
    if with_tail and arabic:
        while pos < len(text) and text[pos] in MAGNITUDES:
            magnitude += text[pos]
            pos += 1
    approx_word = None
    unit = None
    if with_tail:
        approx_word = _startswith_any(text, pos, lex.after_number)
        if approx_word:
            pos += len(approx_word)
        # Extracted and PDF text may put spaces between a number and its unit ("2017 年").
        gap = len(text[pos:pos + 4]) - len(text[pos:pos + 4].lstrip(" \t"))
        unit = _unit_at(text, pos + gap, lex)
        if unit:
            pos += gap + len(unit)
    if not arabic:
        has_magnitude = any(ch in "十百千万亿" for ch in numeral)
        if unit is None and not (approx_word and has_magnitude):
            return None  # 一是, 一些, 十分: a word, not a number
        if unit == "元" and numeral[-1] in "万亿" and len(numeral) > 1:
            # 三十万元 → 30 万元, like 30万元.
            value = Decimal(parse_chinese_numeral(numeral[:-1]) or 0)
            magnitude = numeral[-1]
    if arabic and magnitude:
        multiplier_text = magnitude
        if unit == "元" and magnitude[-1] in "万亿":
            multiplier_text = magnitude[:-1]
        multiplier = magnitude_multiplier(multiplier_text) if multiplier_text else 1
        if multiplier is None:
            # Not a magnitude after all (e.g. 3百千): keep the bare number.
            return _complete(text, start, end, value, lex, arabic=True, with_tail=False)
        value = _normalised(value * multiplier)
    if unit == "元" and magnitude and magnitude[-1] in "万亿":
        unit = magnitude[-1] + "元"
    if unit and with_tail:
        after = _startswith_any(text, pos, lex.after_unit)
        if after and approx_word is None:
            approx_word = after
            pos += len(after)
    before_word, mention_start = _approximation_before(text, start, lex)
    if before_word and approx_word is None:
        approx_word = before_word
    elif before_word is None:
        mention_start = start
    return NumberMention(
        value=value,
        start=mention_start,
        end=pos,
        text=text[mention_start:pos],
        unit=unit,
        approximate=approx_word is not None,
        approx_word=approx_word,
        percent=unit == "%",
    )


def _normalised(value: Decimal) -> Decimal:
    """1.2 × 10000 is 12000, not 12000.0."""
    return Decimal(int(value)) if value == value.to_integral_value() else value.normalize()


def _startswith_any(text: str, pos: int, words: tuple[str, ...]) -> str | None:
    for word in words:  # longest first
        if text.startswith(word, pos):
            return word
    return None


def _unit_at(text: str, pos: int, lex: _Lexicon) -> str | None:
    """Like ``_startswith_any(text, pos, lex.units)``, trying only the units that can match."""
    for unit in lex.units_by_start.get(text[pos:pos + 1], ()):
        if text.startswith(unit, pos):
            return unit
    return None


def _approximation_before(text: str, start: int, lex: _Lexicon) -> tuple[str | None, int]:
    for word in lex.before_number:
        if text.endswith(word, 0, start):
            word_start = start - len(word)
            if any(text.endswith(false, 0, start) and len(false) > len(word) for false in lex.false_before):
                return None, start
            return word, word_start
    return None, start


# --- counts --------------------------------------------------------------------------

# 〔2019〕60号, [2020]109号, 【2021】30号 (brackets folded or not), and any "N号".
_DOCUMENT_NUMBER = re.compile(r"[〔\[【(]\s*\d{4}\s*[〕\]】)]\s*(?:第\s*)?\d+\s*号?|\d+\s*号")
_PHONE = re.compile(
    r"(?<![0-9])(?:\(0\d{2,3}\)\s*\d{7,8}|0\d{2,3}-\d{7,8}(?:-\d{1,5})?|1[3-9]\d{9}|400-?\d{3}-?\d{4})(?![0-9])"
)
# A look-behind follows the first character it guards (\d(?<![0-9].) for (?<![0-9])\d): the engine
# then skips at once the places where that character is not, several times faster.
_LONG_CODE = re.compile(r"\d(?<![0-9].)\d{14,}[Xx]?(?![0-9])")  # resident ID numbers, codes
_CLOCK_OR_EVENT = re.compile(r"\d(?<![0-9].)\d?[:·]\d{1,2}(?![0-9])")  # 9:30, "9·8"投洽会
_YEAR_RANGE = re.compile(r"\d(?<![0-9].)\d{3}\s*[-—~至到]\s*\d{4}\s*年")
_HOTLINE = re.compile(r"(?<![0-9])(?:12\d{3}|1\d{4})(?![0-9])")
_LIST_MARKER_BEFORE = "\n\t (:;。,!?)"


def extract_counts(text: str) -> list[NumberMention]:
    """The figures in ``text`` that state quantities (counts, amounts, percentages).

    Skipped: dates and their parts (2021年1月21日, 2020-01-01, 1月, 21日), years (2020年, 2020年度,
    二〇二一年), ordinals and list markers (第二十条, 第3次, (1), 1.), document numbers
    (〔2019〕60号, anything numbered 号), phone numbers, postcodes and hotlines, URLs and
    e-mail addresses, clock times, ID numbers.
    """
    lex = lexicon()
    blocked: list[tuple[int, int]] = [(d.start, d.end) for d in find_dates(text)]
    blocked += url_spans(text)
    for pattern in (_DOCUMENT_NUMBER, _PHONE, _LONG_CODE, _CLOCK_OR_EVENT, _YEAR_RANGE):
        blocked += [m.span() for m in pattern.finditer(text)]
    blocked += [m.span() for m in lex.contact_labels.finditer(text)]
    for hotline in _HOTLINE.finditer(text):
        # "12345政务服务热线", "“12345”热线"
        follower_at = hotline.end() + (1 if text[hotline.end():hotline.end() + 1] in "”\"’'」』" else 0)
        if _startswith_any(text, follower_at, lex.hotline_followers):
            blocked.append(hotline.span())

    blocked_index = SpanIndex(blocked)
    counts = []
    for mention in extract_numbers(text):
        if blocked_index.overlaps(mention.start, mention.end):
            continue
        if _is_date_part(mention) or _is_ordinal(text, mention) or _is_list_marker(text, mention):
            continue
        counts.append(mention)
    return counts


def _is_date_part(mention: NumberMention) -> bool:
    value = mention.value
    if mention.unit in ("年", "年度"):
        return value == value.to_integral_value() and 1000 <= value <= 2999 and not mention.approximate
    if mention.unit == "月":
        return 1 <= value <= 12
    if mention.unit == "日":
        return 1 <= value <= 31
    return mention.unit == "号"


def _is_ordinal(text: str, mention: NumberMention) -> bool:
    """"第3次", "第 (3) 项": 第, then spaces and an opening bracket, right before the number.

    Read backwards from the number: searching the text from its start for a pattern anchored at
    the number would cost the length of the text for every number."""
    position = _skip_spaces_back(text, mention.start)
    if position > 0 and text[position - 1] == "(":
        position = _skip_spaces_back(text, position - 1)
    return position > 0 and text[position - 1] == "第"


def _skip_spaces_back(text: str, position: int) -> int:
    while position > 0 and text[position - 1].isspace():
        position -= 1
    return position


def _is_list_marker(text: str, mention: NumberMention) -> bool:
    """1.xxx, 1、xxx, (1), 1)xxx at the start of an item: the number labels, it does not count."""
    if mention.unit or mention.approximate or mention.percent:
        return False
    before = text[mention.start - 1] if mention.start > 0 else "\n"
    after = text[mention.end] if mention.end < len(text) else ""
    if before == "(" and after == ")":
        return True
    return before in _LIST_MARKER_BEFORE and after in (".", "、", ")")
