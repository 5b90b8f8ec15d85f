from __future__ import annotations

import datetime

from nianbao.api import Finding, Related, Rule, Severity
from nianbao.rules.dates.periods import YEAR_SOURCE_LABELS, checkable_publication


class PublishedBeforePeriodEnd(Rule):
    """发布日期（落款日期）在报告年度结束之前。

    ## 检查什么
    落款日期，或"发布日期""发布时间"一行所写的日期，不能早于或等于报告年度的12月31日。
    2020年度的报告最早只能在2021年1月1日发布。诊断指向落款或发布日期，相关位置指向报告年度。

    ## 为什么重要
    年度报告总结的是全年的工作，年度结束前发布，说明数据不完整，或者落款日期、报告年度写错了
    （常见的是照搬上一年报告时没有改落款，或把年度写成了发布当年）。

    ## 反例
    ```
    某某区商务局2021年政府信息公开工作年度报告
    ……
    某某区商务局
    2021年1月21日
    ```

    ## 正例
    ```
    某某区商务局2020年政府信息公开工作年度报告
    ……
    某某区商务局
    2021年1月21日
    ```
    """

    code = "DT003"
    name = "published-before-period-end"
    summary = "发布日期在报告年度的12月31日或之前"
    severity = Severity.ERROR
    tags = ("dates",)

    def check(self, document):
        facts = document.facts
        published = checkable_publication(facts)
        if published is None:
            return
        period_end = datetime.date(facts.year, 12, 31)
        if published > period_end:
            return
        written = document.text_at(facts.publication_span)
        related = ()
        if facts.year_span is not None:
            source = YEAR_SOURCE_LABELS[facts.year_source]
            related = (Related(facts.year_span, f"{source}中的报告年度：{facts.year}年"),)
        yield Finding(
            facts.publication_span,
            f"发布日期“{written}”不晚于报告年度的最后一天（{facts.year}年12月31日）：年度报告总结的是"
            f"{facts.year}年全年的工作，应在{facts.year + 1}年1月1日以后发布；请核对落款日期和报告年度",
            related=related,
            place="publication-date",
        )
