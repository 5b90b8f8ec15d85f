from __future__ import annotations

from nianbao.api import Finding, Rule, Severity, extract_numbers, numeric_cells


class NonNumericCell(Rule):
    """统计表的数值栏里填的不是数字。

    ## 检查什么
    统计表中应填数字的单元格填了文字或约数（"若干""约30""30余"）。数字可以带单位（元、万元、
    件、条），"本年增/减"栏可以带正负号或"增""减"字样，全角数字、千位分隔符都可以；"/""—"
    和"无"表示没有数值（见 TB003），不在本规则报告。诊断指向该单元格。一格一行的表格中，行末
    多余的竖线（"0 | ||"）是分隔符，不是单元格的内容。

    ## 为什么重要
    统计表是给人核对、给程序汇总的；文字和约数无法相加，也无法与其他报告比较。统计数据必须准确，
    不能写"约""余""多"。

    ## 反例
    | 信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |
    |---|---|---|---|
    | 行政许可 | 约30 | 若干 | 13 |

    ## 正例
    | 信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |
    |---|---|---|---|
    | 行政许可 | 30 | -17 | 13 |
    """

    code = "TB002"
    name = "non-numeric-cell"
    summary = "统计表的数值栏里不是数字"
    severity = Severity.ERROR
    tags = ("table",)

    def check(self, document):
        for numeric in numeric_cells(document):
            cell = numeric.cell
            if cell.value.kind != "text":
                continue
            approximate = any(mention.approximate for mention in extract_numbers(cell.text))
            advice = "统计表中的数字应准确，不能写约数" if approximate else "应填写数字，没有发生时填 0"
            yield Finding(cell.span, f"{numeric.name}填的是“{cell.text}”，不是数字：{advice}", place=numeric.place)
