"""Facts about a report: its year, issuing body and kind of body, format era, publication date."""

from __future__ import annotations

import datetime
import re
from collections import Counter
from dataclasses import dataclass, field

from nianbao.parse.tree import Report
from nianbao.text.dates import (
    DateMention,
    PeriodStatement,
    find_dates,
    find_period_statement,
)
from nianbao.text.location import Span
from nianbao.text.patterns import LazyPattern
from nianbao.variants.bodies import BodyKind, kind_of_body

FIRST_YEAR = 2008
YEAR_IN_TITLE = re.compile(r"(?P<year>(?:19|20)\d{2})[ \t]*年度?")
# The look-behind after the 2 it guards: then only places where a 2 stands are tried.
YEAR_IN_TEXT = re.compile(r"(?P<year>2(?<!\d.)0\d{2})[ \t]*年")
PUBLICATION_LINE = LazyPattern(r"(发布|公开|印发|成文)(日期|时间)[ \t]*[:：]?[ \t]*")
TITLE_TAIL = re.compile(r"(政府信息公开|政务公开|信息公开).*$")


@dataclass
class ReportFacts:
    year: int | None = None
    year_source: str | None = None
    """Where the year came from: ``title``, ``period`` or ``body``."""
    year_span: Span | None = None
    era: str | None = None
    body: str | None = None
    body_span: Span | None = None
    body_kind: BodyKind | None = None
    publication_date: datetime.date | None = None
    publication_span: Span | None = None
    period: PeriodStatement | None = None
    notes: list[str] = field(default_factory=list)


def era_of_year(year: int | None) -> str | None:
    """The format era of a report year (formats.md §1)."""
    if year is None:
        return None
    if year <= 2018:
        return "2008"
    if year <= 2020:
        return "2019"
    return "2021"


def derive_facts(text: str, report: Report) -> ReportFacts:
    facts = ReportFacts()
    _year(text, report, facts)
    facts.era = era_of_year(facts.year)
    _body(text, report, facts)
    _publication(text, report, facts)
    return facts


def _year(text: str, report: Report, facts: ReportFacts) -> None:
    if report.title is not None:
        match = YEAR_IN_TITLE.search(report.title.text)
        if match is not None:
            facts.year, facts.year_source = int(match.group("year")), "title"
            facts.year_span = _title_span(report, match.start("year"), match.end("year"))
    facts.period = find_period_statement(text)
    if facts.year is None and facts.period is not None:
        begin = facts.period.begin
        if begin is not None and begin.year is not None:
            facts.year, facts.year_source = begin.year, "period"
            facts.year_span = Span(begin.start, begin.end)
    if facts.year is None:
        years = Counter(int(match.group("year")) for match in YEAR_IN_TEXT.finditer(text))
        plausible = {year: count for year, count in years.items() if year >= FIRST_YEAR}
        if plausible:
            facts.year = max(plausible, key=lambda year: (plausible[year], -year))
            facts.year_source = "body"


def _title_span(report: Report, start: int, end: int) -> Span | None:
    """Map offsets within the joined title text back to the normalised text."""
    assert report.title is not None
    consumed = 0
    for line in report.title.lines:
        length = line.end - line.start
        if start < consumed + length:
            return Span(line.start + start - consumed, line.start + min(end - consumed, length))
        consumed += length
    return None


def _body(text: str, report: Report, facts: ReportFacts) -> None:
    name = None
    if report.title is not None:
        title = report.title.text
        match = YEAR_IN_TITLE.search(title)
        before = title[: match.start()].strip() if match else ""
        if before:
            name = before
        elif match is not None:
            # "2020年度某某局政府信息公开工作年度报告"
            name = TITLE_TAIL.sub("", title[match.end() :]).strip() or None
        if name is not None:
            offset = report.title.text.find(name)
            facts.body_span = _title_span(report, offset, offset + len(name))
    if name is None and report.signoff is not None and report.signoff.body:
        name = report.signoff.body.strip()
        facts.body_span = report.signoff.body_span
    facts.body = name
    if name is not None:
        facts.body_kind = kind_of_body(name)


def _publication(text: str, report: Report, facts: ReportFacts) -> None:
    if report.signoff is not None:
        found = _first_full_date(find_dates(text[report.signoff.date_span.start : report.signoff.date_span.end]))
        if found is not None:
            facts.publication_date = found.date
            facts.publication_span = report.signoff.date_span
            return
    for match in PUBLICATION_LINE.finditer(text):
        line_end = text.find("\n", match.end())
        line_end = len(text) if line_end < 0 else line_end
        found = _first_full_date(find_dates(text[match.end() : line_end]))
        if found is not None:
            facts.publication_date = found.date
            facts.publication_span = Span(match.end() + found.start, match.end() + found.end)
            return


def _first_full_date(dates: list[DateMention]) -> DateMention | None:
    return next((mention for mention in dates if mention.date is not None), None)
