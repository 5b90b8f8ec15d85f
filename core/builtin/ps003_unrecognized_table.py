from __future__ import annotations

from nianbao.plugins.rule import Finding, Rule, Severity


class UnrecognizedTable(Rule):
    """表格不符合任何年度报告模板。

    ## 检查什么
    看起来是表格（竖线分隔的行、制表符单元格、表头等）但不符合任何年代格式的官方表格
    （第二十条各项、依申请公开情况表、行政复议行政诉讼情况表、2008—2018 年附表）的区域。

    ## 为什么重要
    不能识别的表格无法做数字核对；多半是表头被改动、表格被拆散或使用了自制表格。

    ## 反例
    ```
    | 项目 | 数量 |
    | 收到申请 | 5 |
    ```

    ## 正例
    照搬《政府信息公开工作年度报告格式》中的表格和栏目名称。
    """

    code = "PS003"
    name = "unrecognized-table"
    summary = "表格不符合任何模板"
    severity = Severity.WARNING
    tags = ("parsing", "table")

    def check(self, document):
        for span, reason in document.unrecognized_tables:
            excerpt = document.text_at(span).strip().splitlines()[0][:30] if document.text_at(span).strip() else ""
            yield Finding(span, f"表格无法识别：{reason}", place=f"table:{excerpt}")
