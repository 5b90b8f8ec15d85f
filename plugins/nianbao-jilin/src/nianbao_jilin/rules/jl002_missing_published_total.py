from __future__ import annotations

from nianbao.api import Finding, Rule, Severity, Span

from nianbao_jilin.lines import expected_total, total_lines

ACTIVE_TABLES = ("2019.active", "2021.active")


class MissingPublishedTotal(Rule):
    """缺少“政府信息公开发布总数量”一行。

    ## 检查什么
    启用 jilin 配置档时，报告的“二、主动公开政府信息情况”在第二十条各表之后应有一行
    “YYYY年本行政区域（或本部门）政府信息公开发布总数量（非新闻类、消息类）：N”。
    报告有第二十条的表格却没有这一行时报告本问题。其他配置档下本规则不检查任何内容。

    ## 为什么重要
    吉林省（长春市）的年度报告模板要求填报这一总数；缺了它，上级无法汇总本行政区域
    非新闻类、消息类政府信息的发布量。

    ## 反例
    ```
    第二十条第（九）项
    信息内容	采购项目数量	采购总金额
    政府集中采购	1	21738元
    三、收到和处理政府信息公开申请情况
    ```

    ## 正例
    ```
    政府集中采购	1	21738元
    2020年本行政区域（或本部门）政府信息公开发布总数量（非新闻类、消息类）：1
    三、收到和处理政府信息公开申请情况
    ```
    """

    code = "JL002"
    name = "missing-published-total"
    summary = "缺少“政府信息公开发布总数量”一行（吉林）"
    severity = Severity.WARNING
    eras = frozenset({"2019", "2021"})
    tags = ("local", "jilin")

    def check(self, document):
        expected = expected_total(document)
        if expected is None or not expected.required:
            return
        active = [table for table in document.tables if table.template.startswith(ACTIVE_TABLES)]
        if not active or total_lines(document, expected):
            return
        last = max(active, key=lambda table: table.span.end)
        # Point at the end of the last 第二十条 table: that is where the line belongs.
        line_start = document.text.rfind("\n", 0, max(last.span.end - 1, 0)) + 1
        yield Finding(
            Span(line_start, last.span.end),
            f"缺少“{expected.label}”一行：配置档 {document.profile.name} 要求在第二十条各表之后填报",
            place="section:二/line:published_total",
        )
