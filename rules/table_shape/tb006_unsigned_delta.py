from __future__ import annotations

from nianbao.api import Finding, Rule, Severity, format_number, numeric_cells


class UnsignedDelta(Rule):
    """"本年增/减"栏的数字没有写明是增加还是减少。

    ## 检查什么
    2019 年试行格式第二十条第（五）（六）（八）项的"本年增/减"栏填的是变化量，可增可减。
    不为 0 的数字没有带"+""-"或"增""减"字样时，读者无法判断是增加还是减少。诊断指向该单元格。

    ## 为什么重要
    同一个数字可以有相反的含义：上一年 63607 项、"本年增/减"填 1228，究竟是增加到 64835 项还是
    减少到 62379 项？没有符号，核对和汇总都可能出错。

    ## 反例
    | 信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |
    |---|---|---|---|
    | 行政许可 | 30 | 17 | 13 |

    ## 正例
    | 信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |
    |---|---|---|---|
    | 行政许可 | 30 | -17 | 13 |
    """

    code = "TB006"
    name = "unsigned-delta"
    summary = "“本年增/减”的数字没有写明增减"
    severity = Severity.INFO
    eras = frozenset({"2019"})
    tags = ("table",)

    def check(self, document):
        for numeric in numeric_cells(document):
            value = numeric.cell.value
            if numeric.kind != "delta" or value.kind != "number" or value.sign != 0 or not value.value:
                continue
            number = format_number(abs(value.value))
            yield Finding(
                numeric.cell.span,
                f"{numeric.name}的“{numeric.cell.text}”没有写明是增加还是减少：增加应写“+{number}”，减少应写“-{number}”",
                place=numeric.place,
            )
