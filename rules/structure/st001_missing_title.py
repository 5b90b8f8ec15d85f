from __future__ import annotations

from nianbao.api import Finding, Rule, Severity, Span


class MissingTitle(Rule):
    """报告没有标题。

    ## 检查什么
    报告开头没有"〈机关名称〉〈年份〉年政府信息公开工作年度报告"这样的标题行，正文直接从
    "一、总体情况"或其他内容开始。

    ## 为什么重要
    标题写明发布机关和报告年度，是读者和考核方判断"谁的哪一年报告"的依据；转存或复制时丢失标题，
    报告就无法归属，也无法判断是否按时、按格式发布。

    ## 反例
    ```
    一、总体情况
    2020年，我局……
    ```

    ## 正例
    ```
    杭州市江干区市场监督管理局2020年政府信息公开工作年度报告
    一、总体情况
    2020年，我局……
    ```
    """

    code = "ST001"
    name = "missing-title"
    summary = "报告缺少标题"
    severity = Severity.WARNING
    tags = ("structure",)

    def check(self, document):
        if document.report.title is not None:
            return
        first = next((node for node in document.report.children() if node.span.end > node.span.start), None)
        span = first.span if first is not None else Span(0, 0)
        line_end = document.text.find("\n", span.start)
        if line_end != -1:
            span = Span(span.start, min(span.end, line_end))
        yield Finding(
            span,
            "报告缺少标题：开头应为“〈机关名称〉〈年份〉年政府信息公开工作年度报告”",
            place="title",
        )
