from __future__ import annotations

import re
from dataclasses import dataclass

from nianbao.api import (
    Finding,
    LazyPattern,
    Paragraph,
    Related,
    Rule,
    Severity,
    Span,
    SubSection,
)
from nianbao.rules.dates.periods import period_year, stated_period

_YEAR = r"(?P<year>(?:19|20)\d{2}|二[〇○零][〇○零一二三四五六七八九]{2})"
# "2020年，我局……" / "2020年我局……" opening a paragraph: the year the paragraph reports on.
# "2020年以来", "2020年是……", "2020年底" do not say which year is reported, so they do not match.
_OPENING = re.compile(rf"\s*{_YEAR}\s*年度?\s*(?:[,，、]|(?=我|本|全))")
# "现将2020年度政府信息公开工作情况报告如下", "现将本局2020年度……": the year the report is about.
_REPORT_STATEMENT = re.compile(
    rf"(?:现将|特将|现把|现就|现向社会(?:公众)?(?:公布|发布|公开)|特向社会(?:公众)?(?:公布|发布|公开)|现予公布|现公布)"
    rf"[^,，。;；:：《》\n\d]{{0,12}}?{_YEAR}\s*年度?"
)
# "……编制2020年度政府信息公开工作年度报告": the report named by its own year.
_REPORT_NAMED = re.compile(rf"{_YEAR}\s*年度?[^,，。;；《》\n]{{0,20}}?政府信息公开工作(?:年度)?报告")
# A plan for a later year is no report-year statement: "2022年，我局将……".
_FUTURE = LazyPattern(r"将|计划|拟|力争|预计|争取|打算")
_FUTURE_REACH = 30
_DIGITS = str.maketrans("〇○零一二三四五六七八九", "000123456789")


@dataclass(frozen=True)
class YearStatement:
    """A place that says which year the report is about."""

    year: int
    span: Span
    what: str
    """Where it is, in Chinese, for messages (标题、统计期限、正文开头 …)."""
    place: str


class YearMismatch(Rule):
    """标题、统计期限和正文所说的报告年度不一致。

    ## 检查什么
    一份年度报告只报告一个年度。本规则比较明确说明"报告哪一年"的几处：

    - 标题中的年份（"某某局2021年政府信息公开工作年度报告"）；
    - 统计期限（"本报告所列数据的统计期限为2021年1月1日至12月31日"）；
    - 引言中的报告说明（"现将2021年度政府信息公开工作情况报告如下"）；
    - 引言、"一、总体情况"及其各小节第一段的开头（"2021年，我局……"）。

    以标题的年份为准（没有标题时以统计期限为准），指出年份不同的那一处。正文中提到往年情况或
    下一年计划（"2022年，我局将……"）是正常的，不检查；统计期限不是完整一年的，由 DT002 报告。

    ## 为什么重要
    年份对不上，多半是照搬上一年的报告只改了标题，正文和数据仍是上一年的——这正是国办通报的
    "内容雷同、敷衍塞责"。读者也无法判断表中数据属于哪一年。

    ## 反例
    ```
    某某区商务局2021年政府信息公开工作年度报告
    一、总体情况
    2020年，我局认真贯彻落实《中华人民共和国政府信息公开条例》……
    本报告所列数据的统计期限为2020年1月1日至12月31日止。
    ```

    ## 正例
    ```
    某某区商务局2021年政府信息公开工作年度报告
    一、总体情况
    2021年，我局认真贯彻落实《中华人民共和国政府信息公开条例》……
    本报告所列数据的统计期限为2021年1月1日至12月31日止。
    ```
    """

    code = "DT001"
    name = "year-mismatch"
    summary = "标题、统计期限和正文所说的报告年度不一致"
    severity = Severity.ERROR
    tags = ("dates",)

    def check(self, document):
        statements = _statements(document)
        if len(statements) < 2:
            return
        reference = statements[0]
        for statement in statements[1:]:
            if statement.year == reference.year or _is_plan(document.text, statement, reference.year):
                continue
            yield Finding(
                statement.span,
                f"{statement.what}写的报告年度是{statement.year}年，与{reference.what}中的{reference.year}年不一致："
                f"同一份报告的标题、统计期限和正文应当说的是同一年，请核对是否沿用了其他年度的报告内容",
                related=(Related(reference.span, f"{reference.what}中的报告年度：{reference.year}年"),),
                place=f"year/{statement.place}",
            )


def _statements(document) -> list[YearStatement]:
    """Every report-year statement, the reference one (title, else period) first."""
    found: list[YearStatement] = []
    facts = document.facts
    if facts.year_source == "title" and facts.year is not None and facts.year_span is not None:
        found.append(YearStatement(facts.year, facts.year_span, "标题", "title"))
    stated = period_year(document, stated_period(document))
    if stated is not None:
        found.append(YearStatement(stated[0], stated[1], "统计期限", "period"))
    seen = {statement.span for statement in found}
    for statement in _body_statements(document):
        if statement.span not in seen:
            seen.add(statement.span)
            found.append(statement)
    return found


def _body_statements(document) -> list[YearStatement]:
    report = document.report
    text = document.text
    found: list[YearStatement] = []
    preamble = [node for node in report.preamble if isinstance(node, Paragraph)]
    for paragraph in preamble:
        for pattern in (_REPORT_STATEMENT, _REPORT_NAMED):
            for match in pattern.finditer(text, paragraph.span.start, paragraph.span.end):
                if not _inside_book_title(text, paragraph.span.start, match.start("year")):
                    found.append(_statement(match, "引言中的报告说明", "preamble/statement"))
    openings: list[tuple[Paragraph, str, str]] = []
    if preamble:
        openings.append((preamble[0], "引言开头", "preamble/opening"))
    section = document.section(1)
    if section is not None:
        first = _first_paragraph(section.body)
        if first is not None:
            openings.append((first, f"“{section.heading.ordinal}{section.title}”开头", "section:1/opening"))
        for node in section.body:
            if isinstance(node, SubSection):
                first = _first_paragraph(node.body)
                if first is not None:
                    where = f"“{node.heading.ordinal}{node.heading.title}”开头"
                    openings.append((first, where, f"section:1/sub:{node.heading.number}/opening"))
    for paragraph, what, place in openings:
        match = _OPENING.match(text, paragraph.span.start, paragraph.span.end)
        if match is not None:
            found.append(_statement(match, what, place))
    return sorted(found, key=lambda statement: statement.span.start)


def _statement(match: re.Match[str], what: str, place: str) -> YearStatement:
    year = int(match.group("year").translate(_DIGITS))
    return YearStatement(year, Span(match.start("year"), match.end("year")), what, place)


def _first_paragraph(body) -> Paragraph | None:
    return next((node for node in body if isinstance(node, Paragraph)), None)


def _inside_book_title(text: str, start: int, position: int) -> bool:
    """Whether ``position`` is inside 《…》 (a cited document's title, such as 《2020年政务公开工作要点》)."""
    before = text[start:position]
    return before.count("《") > before.count("》")


def _is_plan(text: str, statement: YearStatement, reference_year: int) -> bool:
    """"2022年，我局将……" in a 2021 report speaks of next year's plans, not of the report year."""
    if statement.year <= reference_year:
        return False
    clause = re.split(r"[。;；\n]", text[statement.span.end : statement.span.end + _FUTURE_REACH], maxsplit=1)[0]
    return _FUTURE.search(clause) is not None
