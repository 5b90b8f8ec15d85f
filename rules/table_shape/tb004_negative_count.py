from __future__ import annotations

from nianbao.api import Finding, Rule, Severity, numeric_cells


class NegativeCount(Rule):
    """统计表中出现负数。

    ## 检查什么
    件数、数量、金额不能是负数（"-3""减3"）。只有"本年增/减"栏可以为负。诊断指向该单元格。

    ## 为什么重要
    负的件数在现实中不存在，通常是把增减数填进了数量栏，或者表格转换时把分隔线"—"和数字
    连在了一起。

    ## 反例
    | 信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |
    |---|---|---|---|
    | 行政强制 | -3 | +5 | 2 |

    ## 正例
    | 信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |
    |---|---|---|---|
    | 行政强制 | 3 | -1 | 2 |
    """

    code = "TB004"
    name = "negative-count"
    summary = "统计表中的数量为负数"
    severity = Severity.ERROR
    tags = ("table",)

    def check(self, document):
        for numeric in numeric_cells(document):
            value = numeric.cell.value
            if numeric.kind == "delta" or value.kind != "number" or value.value is None or value.value >= 0:
                continue
            yield Finding(
                numeric.cell.span,
                f"{numeric.name}是负数“{numeric.cell.text}”：数量和金额不能为负，只有“本年增/减”栏可以填负数",
                place=numeric.place,
            )
