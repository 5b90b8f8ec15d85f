from __future__ import annotations

from nianbao.api import Finding, Rule, Severity, Span
from nianbao.rules.dates.periods import stated_period


class MissingPeriod(Rule):
    """报告没有说明数据的统计期限。

    ## 检查什么
    报告中没有"本报告所列数据的统计期限为……"一类的说明（关键词：统计期限、统计时限、统计数据期限、
    统计时段等）。诊断指向"一、总体情况"的标题（没有时指向报告标题或开头）。

    ## 为什么重要
    统计期限说明了表中数据的口径。多数地方的报告格式要求写明"统计期限为YYYY年1月1日至12月31日"，
    有了它读者才能确认数据是全年的，考核方也能核对数据与报告年度是否一致（DT001、DT002 据此检查）。

    ## 反例
    ```
    某某区市场监督管理局2020年政府信息公开工作年度报告
    一、总体情况
    2020年，我局……
    ```

    ## 正例
    ```
    某某区市场监督管理局2020年政府信息公开工作年度报告
    一、总体情况
    2020年，我局……
    本报告所列数据的统计期限为2020年1月1日至12月31日止。
    ```
    """

    code = "DT006"
    name = "missing-period"
    summary = "没有说明数据的统计期限"
    severity = Severity.INFO
    tags = ("dates",)

    def check(self, document):
        if stated_period(document) is not None:
            return
        facts = document.facts
        known = facts.year is not None and facts.year_source == "title"
        period = f"{facts.year}年1月1日至12月31日" if known else "报告年度的1月1日至12月31日"
        yield Finding(
            _anchor(document),
            f"报告没有说明数据的统计期限：应写明“本报告所列数据的统计期限为{period}”",
            place="period",
        )


def _anchor(document) -> Span:
    """The heading of section 一, else the title, else the first line."""
    report = document.report
    section = document.section(1) or (report.sections[0] if report.sections else None)
    if section is not None:
        return section.heading.span
    if report.title is not None:
        return report.title.lines[0] if report.title.lines else report.title.span
    line_end = document.text.find("\n")
    return Span(0, line_end if line_end != -1 else len(document.text))
