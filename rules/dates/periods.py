"""The report's statistical period and publication date as the date rules read them.

Shared by DT001 (the year a period states), DT002 (its range), DT003/DT004 (the publication
date against the report year) and DT006 (a missing period), so that they agree on what counts.
"""

from __future__ import annotations

import datetime

from nianbao.api import DateMention, LazyPattern, PeriodStatement, ReportFacts, Span

FIRST_DAY = (1, 1)
LAST_DAY = (12, 31)
# The keywords of nianbao.text.dates (dates.toml [period]) all have this shape; the statement proper
# starts after it.
_KEYWORD = LazyPattern(r"统计(?:数据)?(?:期限|时限|时段|时间|区间|周期|期)")
# A keyword without dates still states a period when the statement goes on (统计期限为上一年度);
# otherwise it is only a word in passing (按统计时间节点报送).
_INTRODUCES_PERIOD = LazyPattern(r"\s*(?:为|是|自|从|:|：|截至|截止)")
# A period stated as a year alone: 统计期限为2020年度.
_YEAR_ONLY = LazyPattern(r"\s*(?:为|是|:|：)?\s*(?P<year>(?:19|20)\d{2})\s*年度?")
# The year part of a date as written: 2020年…, 二〇二〇年…, 2020-01-01.
_YEAR_PART = LazyPattern(r"[0-9〇○零一二三四五六七八九]{4}")

# A report year read from the title or the period statement; a year guessed from the body
# is too weak to call a publication date early or late.
TRUSTED_YEAR_SOURCES = ("title", "period")
YEAR_SOURCE_LABELS = {"title": "标题", "period": "统计期限"}


def checkable_publication(facts: ReportFacts) -> datetime.date | None:
    """The publication date, when it and a trusted report year are known; else None."""
    if facts.publication_date is None or facts.publication_span is None:
        return None
    if facts.year is None or facts.year_source not in TRUSTED_YEAR_SOURCES:
        return None
    return facts.publication_date


def stated_period(document) -> PeriodStatement | None:
    """The report's statistical-period statement, or None when it has none; read once per document.

    Shared by DT001 (the year it states), DT002 (its range) and DT006 (its absence).
    """
    return document.analysis(_stated_period)


def _stated_period(document) -> PeriodStatement | None:
    period = document.facts.period
    if period is None:
        return None
    if period.begin is None and not _INTRODUCES_PERIOD.match(document.text, _keyword_end(document.text, period)):
        return None
    return period


def period_year(document, period: PeriodStatement | None) -> tuple[int, Span] | None:
    """The year a period statement covers when it is one whole calendar year, and where that
    year is written.

    A statement giving only one boundary (统计期限截至2020年12月31日) or only a year
    (统计期限为2020年度) counts as that year too. None for anything else, and for dates whose
    parts cannot be read.
    """
    if period is None:
        return None
    begin, finish = period.begin, period.finish
    if begin is None:
        year_only = _YEAR_ONLY.match(document.text, _keyword_end(document.text, period))
        if year_only is None:
            return None
        return int(year_only.group("year")), Span(year_only.start("year"), year_only.end("year"))
    if begin.year is None:
        return None
    return (begin.year, year_span(begin)) if whole_year_shape(begin, finish) else None


def year_span(mention: DateMention) -> Span:
    """Where the year of a date is written (the whole date when no year is written in it)."""
    match = _YEAR_PART.match(mention.text)
    if match is None:
        return Span(mention.start, mention.end)
    return Span(mention.start + match.start(), mention.start + match.end())


def month_day(mention: DateMention) -> tuple[int | None, int | None]:
    return (mention.month, mention.day)


def _keyword_end(text: str, period: PeriodStatement) -> int:
    match = _KEYWORD.match(text, period.start)
    return match.end() if match else period.start


def whole_year_shape(begin: DateMention, finish: DateMention | None) -> bool:
    """1月1日 to 12月31日 of one year (or one of those boundaries alone), whichever the year."""
    if finish is None:
        return month_day(begin) in (FIRST_DAY, LAST_DAY)
    same_year = begin.year is None or finish.year is None or begin.year == finish.year
    return same_year and month_day(begin) == FIRST_DAY and month_day(finish) == LAST_DAY
