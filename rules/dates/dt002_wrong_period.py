from __future__ import annotations

from nianbao.api import DateMention, Finding, Rule, Severity, Span
from nianbao.rules.dates.periods import (
    FIRST_DAY,
    LAST_DAY,
    month_day,
    period_year,
    stated_period,
    whole_year_shape,
)


class WrongPeriod(Rule):
    """统计期限不是报告年度的1月1日至12月31日。

    ## 检查什么
    年度报告的数据统计期限必须是报告年度的全年，即"YYYY年1月1日至12月31日"。本规则检查
    "本报告所列数据的统计期限为……"这类说明：

    - 起始日期不是1月1日、截止日期不是12月31日（只统计了半年或从年中开始）；
    - 起止日期跨了几个年度（"自2015年3月1日起至2018年12月31日止"）；
    - 期限不在标题所写的报告年度内（部分年份对不上时一并指出）；
    - 只写了"统计期限为"却没有写起止日期。

    统计期限是另一个年度的完整一年时（2021年度报告写"2020年1月1日至12月31日"），属于年度
    不一致，由 DT001 报告。日期本身写错（"20211231日"）由 DT005 报告，本规则按能读出的部分判断。

    ## 为什么重要
    《政府信息公开条例》要求报告"上一年度"的工作情况，各项数据都以自然年为口径。统计期限不是
    全年，表中数据就无法与上一年、下一年的报告衔接，也无法与其他机关比较；跨年度的期限通常是
    累计数被当作年度数填报。

    ## 反例
    ```
    福建省××局2018年政府信息公开工作年度报告
    ……本报告统计数据期限自2015年3月1日起至2018年12月31日止。
    ```

    ## 正例
    ```
    福建省××局2018年政府信息公开工作年度报告
    ……本报告统计数据期限自2018年1月1日起至2018年12月31日止。
    ```
    """

    code = "DT002"
    name = "wrong-period"
    summary = "统计期限不是报告年度的1月1日至12月31日"
    severity = Severity.ERROR
    tags = ("dates",)

    def check(self, document):
        period = stated_period(document)
        if period is None:
            return  # DT006 reports a missing statement
        facts = document.facts
        report_year = facts.year if facts.year_source == "title" else None
        begin, finish = period.begin, period.finish
        if begin is None:
            if period_year(document, period) is not None:
                return  # 统计期限为2020年度: the whole year, in other words
            yield Finding(
                Span(period.start, period.end),
                f"统计期限没有写明起止日期：应为{_expected(report_year)}",
                place="period",
            )
            return
        if None in month_day(begin) or (finish is not None and None in month_day(finish)):
            return  # month or day unreadable: DT005 reports the date
        if whole_year_shape(begin, finish):
            return  # one whole calendar year; whether it is the right one is DT001's question
        if report_year is None and finish is not None and begin.year == finish.year:
            report_year = begin.year
        problems = _problems(begin, finish, report_year)
        last = finish or begin
        written = document.text[begin.start : last.end]
        scope = f"{report_year}年全年" if report_year is not None else "一个完整的年度"
        yield Finding(
            Span(begin.start, last.end),
            f"统计期限“{written}”不是{scope}：{'；'.join(problems)}。年度报告的统计期限应为{_expected(report_year)}",
            place="period",
        )


def _problems(begin: DateMention, finish: DateMention | None, report_year: int | None) -> list[str]:
    problems = []
    if finish is None:
        problems.append(f"只写了一个日期（{begin.month}月{begin.day}日），没有写明起止日期")
    else:
        if month_day(begin) != FIRST_DAY:
            problems.append(f"起始日期是{begin.month}月{begin.day}日，应为1月1日")
        if month_day(finish) != LAST_DAY:
            problems.append(f"截止日期是{finish.month}月{finish.day}日，应为12月31日")
        if begin.year is not None and finish.year is not None and begin.year != finish.year:
            problems.append(f"起止日期跨了年度（{begin.year}年至{finish.year}年）")
    years = {mention.year for mention in (begin, finish) if mention is not None and mention.year is not None}
    if report_year is not None and years and report_year not in years:
        problems.append(f"期限不在报告年度{report_year}年内")
    return problems


def _expected(report_year: int | None) -> str:
    if report_year is None:
        return "报告年度的1月1日至12月31日"
    return f"{report_year}年1月1日至12月31日"
