from __future__ import annotations

from nianbao.api import Finding, Related, Rule, Severity
from nianbao.rules.structure.sections import report_sections


class MissingTable(Rule):
    """第二、三、四部分没有统计表。

    ## 检查什么
    2019年及以后的年度报告，"二、主动公开政府信息情况"应列出第二十条各项的统计表，"三、收到和
    处理政府信息公开申请情况"和"四、政府信息公开行政复议、行政诉讼情况"各有一张统计表。本规则
    在这三部分中的某一部分有标题、却没有任何表格时报告，诊断指向该部分的标题；如果这张表出现在
    报告的其他位置，相关位置指向它。缺少整个部分由 ST003 报告。

    2019年度报告只是"鼓励"采用统一格式，因此为警告；2020年度起为错误。

    ## 为什么重要
    统计表是年度报告格式的核心：只用文字叙述（"全年未收到申请"）代替表格，读者无法逐项核对，
    考核时按"内容不全面"扣分。没有发生的事项应在表中填 0，而不是省略表格。

    ## 反例
    ```
    四、政府信息公开行政复议、行政诉讼情况
    本年度未发生政府信息公开行政复议、行政诉讼。
    五、存在的主要问题及改进情况
    ```

    ## 正例
    ```
    四、政府信息公开行政复议、行政诉讼情况
    | 行政复议 | | | | | 行政诉讼 | … |
    | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | … |
    | 0 | 0 | 0 | 0 | 0 | … |
    ```
    """

    code = "ST006"
    name = "missing-table"
    summary = "第二、三、四部分没有统计表"
    severity = Severity.ERROR
    eras = frozenset({"2019", "2021"})
    tags = ("structure", "table")

    def check(self, document):
        if document.era not in self.eras:
            return
        match = report_sections(document)
        severity = Severity.WARNING if document.facts.year == 2019 else None
        for section in match.scheme.sections:
            hit = match.hits.get(section.key)
            if section.table is None or hit is None:
                continue
            if hit.tables(document) or any(
                hit.extent.start <= table.span.start < hit.extent.end for table in document.tables
            ):
                continue
            elsewhere = [
                table
                for table in document.tables
                if any(marker in table.template for marker in section.table_templates)
            ]
            message = f"“{document.text_at(hit.heading_span)}”部分没有统计表：年度报告格式要求在此列出{section.table}"
            related = ()
            if elsewhere:
                message += "（报告其他位置有这张表，应移到本部分）"
                related = tuple(Related(table.span, "这张表应放在该部分中") for table in elsewhere)
            yield Finding(hit.heading_span, message, related=related, severity=severity, place=f"section:{section.key}/table")
