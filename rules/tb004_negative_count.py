from __future__ import annotations

from nianbao.arithmetic import cell_name, iter_numeric_cells, row_values, section_prefix, template_of
from nianbao.rule import Finding, Rule, Severity


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
        for table in document.tables:
            template = template_of(document, table)
            rows, _ = row_values(template, table)
            section = section_prefix(document, table)
            for values, cell, kind in iter_numeric_cells(template, rows):
                if kind == "delta" or cell.value.kind != "number" or cell.value.value is None or cell.value.value >= 0:
                    continue
                yield Finding(
                    cell.span,
                    f"{cell_name(template, table, values.row.key, cell.column)}是负数“{cell.text}”：数量和金额不能为负，"
                    "只有“本年增/减”栏可以填负数",
                    place=f"{section}table:{table.template}/row:{values.row.key}/col:{cell.column}",
                )
