"""Chinese dates in report text, malformed dates, and the statistical-period statement.

Forms read: ``2021年1月21日`` (spaces allowed between parts, 号 for 日), ``二〇二一年一月二十一日``
(〇 or ○), ``2021-01-21`` / ``2021/1/21`` / ``2021.1.21``, month-day ``1月21日`` and year-month
``2020年12月``. A year alone (``2020年``) is not a date mention.

Malformed dates carry a Chinese ``problem``: characters lost in conversion (``202111日``,
``20211231日``, ``20205月``, ``2021年1231日``), impossible months or days (``13月``, ``2月30日``,
``2021年2月29日``) and document numbers whose closing bracket was lost (``〔201818号``). Parts
that can still be read are filled in (``20211231日`` has year 2021, month 12, day 31), but
``date`` is only set for a well-formed date.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from nianbao.data.toml import read_toml
from nianbao.text.location import SpanIndex
from nianbao.text.numerals import parse_chinese_numeral
from nianbao.text.urls import url_spans

__all__ = [
    "DateMention",
    "PeriodStatement",
    "find_dates",
    "find_malformed_dates",
    "find_period_statement",
]


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    text: str
    year: int | None
    month: int | None
    day: int | None
    date: datetime.date | None
    """Set when year, month and day are all present and the date is well formed."""
    problem: str | None
    """What is wrong with the date, in Chinese; None for a well-formed date."""


@dataclass(frozen=True)
class PeriodStatement:
    """``统计期限为2020年1月1日至12月31日止``: the keyword through the end of the last date."""

    start: int
    end: int
    text: str
    begin: DateMention | None
    finish: DateMention | None
    """The end date; it takes the begin date's year when written without one (至12月31日止)."""


@dataclass(frozen=True)
class _Config:
    keywords: re.Pattern[str]
    reach: int
    messages: dict[str, str]


@lru_cache(maxsize=1)
def _config() -> _Config:
    raw = read_toml(resources.files("nianbao.data").joinpath("dates.toml"))
    keywords = sorted(raw["period"]["keywords"], key=len, reverse=True)
    return _Config(
        keywords=re.compile("|".join(map(re.escape, keywords))),
        reach=int(raw["period"]["reach"]),
        messages=dict(raw["problems"]),
    )


# One "number + marker" part of a date; consecutive parts form a chain (年 → 月 → 日).
_PART = re.compile(r"(?P<number>[0-9]+|[〇○零一二三四五六七八九十]+)[ \t]*(?P<marker>[年月日号])")
_MARKER_ORDER = {"年": 0, "月": 1, "日": 2, "号": 2}
_SEPARATED = re.compile(
    # The look-behind after 19/20, not before: then only places where 1 or 2 stands are tried.
    r"((?:19|20)(?<![0-9A-Za-z./\-]..)\d{2})([-/.])(\d{1,2})\2(\d{1,2})(?![0-9A-Za-z])(?![./\-]\d)"
)
# 〔2018〕18号 whose 〕 was lost: 〔201818号.
_BROKEN_DOCUMENT_NUMBER = re.compile(r"[〔\[【]\s*((?:19|20)\d{2})(\d+)\s*号")
_PLAUSIBLE_YEAR = re.compile(r"(?:19|20)\d{2}")
_SENTENCE_END = re.compile(r"[。;!?\n]")


@dataclass
class _Part:
    start: int
    end: int
    number: str
    marker: int  # 0 年, 1 月, 2 日

    @property
    def arabic(self) -> bool:
        return self.number.isascii()

    def value(self) -> int | None:
        if self.arabic:
            return int(self.number)
        value = parse_chinese_numeral(self.number)
        return value if isinstance(value, int) else None


def find_dates(text: str) -> list[DateMention]:
    """Every date in ``text``, well formed or not, in order of position."""
    found = [*_chain_dates(text), *_separated_dates(text), *_broken_document_numbers(text)]
    urls = SpanIndex(url_spans(text))
    found = [d for d in found if not urls.overlaps(d.start, d.end)]
    found.sort(key=lambda d: (d.start, -d.end))
    result: list[DateMention] = []
    for mention in found:
        if result and mention.start < result[-1].end:
            continue  # 〔201818号 is read both as a document number and as digits + 号
        result.append(mention)
    return result


def find_malformed_dates(text: str) -> list[DateMention]:
    """Only the dates with a problem."""
    return [d for d in find_dates(text) if d.problem is not None]


def find_period_statement(text: str) -> PeriodStatement | None:
    """The first statistical-period statement (统计期限/统计时限/统计期 …) with its dates.

    When a keyword is followed by no date in its sentence, the statement is still returned,
    without dates, if no other keyword has dates.
    """
    config = _config()
    dates = find_dates(text)
    first_without_dates: PeriodStatement | None = None
    for keyword in config.keywords.finditer(text):
        limit = min(len(text), keyword.end() + config.reach)
        sentence_end = _SENTENCE_END.search(text, keyword.end(), limit)
        limit = sentence_end.start() if sentence_end else limit
        inside = [d for d in dates if keyword.end() <= d.start and d.end <= limit]
        if not inside:
            if first_without_dates is None:
                first_without_dates = PeriodStatement(
                    keyword.start(), limit, text[keyword.start():limit], None, None
                )
            continue
        begin = inside[0]
        finish = inside[1] if len(inside) > 1 else None
        if finish is not None and finish.year is None and begin.year is not None:
            finish = _with_year(finish, begin.year)
        last = finish or begin
        end = last.end + (1 if text.startswith("止", last.end) else 0)
        return PeriodStatement(keyword.start(), end, text[keyword.start():end], begin, finish)
    return first_without_dates


# --- chains of 年/月/日 parts -----------------------------------------------------------


def _chain_dates(text: str) -> list[DateMention]:
    chains: list[list[_Part]] = []
    for match in _PART.finditer(text):
        number = match.group("number")
        if number.isascii() and match.start() > 0 and re.match(r"[A-Za-z]", text[match.start() - 1]):
            continue
        part = _Part(match.start(), match.end(), number, _MARKER_ORDER[match.group("marker")])
        previous = chains[-1][-1] if chains else None
        if (
            previous is not None
            and text[previous.end:part.start].strip(" \t") == ""
            and part.marker > previous.marker
        ):
            chains[-1].append(part)
        else:
            chains.append([part])
    mentions = []
    for chain in chains:
        mention = _chain_mention(text, chain)
        if mention is not None:
            mentions.append(mention)
    return mentions


def _chain_mention(text: str, chain: list[_Part]) -> DateMention | None:
    by_marker = {part.marker: part for part in chain}
    year_part, month_part, day_part = by_marker.get(0), by_marker.get(1), by_marker.get(2)
    year = month = day = None
    lost: list[str] = []
    ambiguous = False

    if year_part is not None:
        year = _year_value(year_part)
        if year is None:  # 3年, 十年: a duration, not the year of a date
            rest = [p for p in chain if p is not year_part]
            return _chain_mention(text, rest) if rest else None
        if month_part is None and day_part is None:
            return None  # a year alone is not a date mention

    if month_part is not None:
        digits = month_part.number
        if year_part is None and month_part.arabic and len(digits) >= 5 and _PLAUSIBLE_YEAR.match(digits):
            year, digits, lost = int(digits[:4]), digits[4:], ["年"]
        month = int(digits) if month_part.arabic else month_part.value()
        if month is None:
            return None

    if day_part is not None:
        digits = day_part.number
        if day_part.arabic and month_part is None and len(digits) >= 3:
            if year_part is None:
                if len(digits) < 5 or not _PLAUSIBLE_YEAR.match(digits):
                    return None  # 165号: a house number, not a date
                year, digits, lost = int(digits[:4]), digits[4:], ["年", "月"]
            else:
                lost = ["月"]
            month, day, ambiguous = _split_month_day(digits)
        else:
            day = int(digits) if day_part.arabic else day_part.value()
            if day is None:
                return None
            if month_part is None and year_part is None:
                return None  # 21日 alone
            if month_part is None:
                lost = ["月"]

    if month_part is not None and day_part is None and year_part is None and not lost:
        if month is not None and 1 <= month <= 12:
            return None  # 9月 alone is not reported; 13月 is
    start, end = chain[0].start, chain[-1].end
    return _mention(text[start:end], start, end, year, month, day, lost, ambiguous)


def _year_value(part: _Part) -> int | None:
    if part.arabic:
        return int(part.number) if len(part.number) == 4 else None
    if len(part.number) != 4:
        return None
    return part.value()


def _split_month_day(digits: str) -> tuple[int | None, int | None, bool]:
    """Month and day from digits whose 月 was lost: 11 → 1, 1; 1231 → 12, 31; 121 → ambiguous."""
    if len(digits) == 1:
        return None, int(digits), False
    if len(digits) == 2:
        return int(digits[0]), int(digits[1]), False
    if len(digits) == 4:
        return int(digits[:2]), int(digits[2:]), False
    if len(digits) == 3:
        readings = [
            (int(digits[:1]), int(digits[1:])),
            (int(digits[:2]), int(digits[2:])),
        ]
        valid = [r for r in readings if _valid_month_day(*r)]
        if len(valid) == 1:
            return valid[0][0], valid[0][1], False
        return None, None, True
    return None, None, True


def _valid_month_day(month: int, day: int, year: int = 2000) -> bool:
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


def _mention(
    text: str,
    start: int,
    end: int,
    year: int | None,
    month: int | None,
    day: int | None,
    lost: list[str],
    ambiguous: bool = False,
) -> DateMention:
    messages = _config().messages
    problem = None
    missing = "".join(f"“{marker}”" for marker in lost)
    if ambiguous:
        problem = messages["unreadable_month_day"].format(text=text, missing=missing)
    elif lost:
        problem = messages["lost_characters"].format(text=text, missing=missing)
    if problem is None and month is not None and not 1 <= month <= 12:
        problem = messages["impossible_month"].format(text=text, month=month)
    if problem is None and day is not None:
        if month is not None:
            # Without a year, 2月29日 may be right; with one, the calendar decides.
            last_day = calendar.monthrange(year if year is not None else 2000, month)[1]
            if not 1 <= day <= last_day:
                problem = messages["impossible_day"].format(text=text, month=month, day=day)
        elif not 1 <= day <= 31:
            problem = messages["impossible_day_of_month"].format(text=text, day=day)
    date = None
    if problem is None and None not in (year, month, day):
        date = datetime.date(year, month, day)
    return DateMention(start, end, text, year, month, day, date, problem)


def _with_year(mention: DateMention, year: int) -> DateMention:
    """A month-day date read with the year given elsewhere (the begin date of a period)."""
    if mention.problem is not None:
        return DateMention(
            mention.start, mention.end, mention.text, year, mention.month, mention.day, None, mention.problem
        )
    return _mention(mention.text, mention.start, mention.end, year, mention.month, mention.day, [])


# --- other forms -----------------------------------------------------------------------


def _separated_dates(text: str) -> list[DateMention]:
    mentions = []
    for match in _SEPARATED.finditer(text):
        year, month, day = int(match.group(1)), int(match.group(3)), int(match.group(4))
        mentions.append(_mention(match.group(), match.start(), match.end(), year, month, day, []))
    return mentions


def _broken_document_numbers(text: str) -> list[DateMention]:
    messages = _config().messages
    mentions = []
    for match in _BROKEN_DOCUMENT_NUMBER.finditer(text):
        problem = messages["document_number"].format(text=match.group())
        mentions.append(
            DateMention(match.start(), match.end(), match.group(), int(match.group(1)), None, None, None, problem)
        )
    return mentions
