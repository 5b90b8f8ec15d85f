from __future__ import annotations

from nianbao.api import (
    Finding,
    Related,
    Rule,
    Severity,
    Span,
    format_number,
    row_title,
    row_values,
    section_prefix,
    template_of,
    value_columns,
)


class RowCellCount(Rule):
    """表格某一行的数值个数与表头的栏数不符。

    ## 检查什么
    统计表的每一行（第二部分第二十条各项、第三部分依申请表、第四部分复议诉讼表、2008—2018 年
    附表）应有与表头栏目一样多的数值。数值少了，诊断指向这一行的行名；数值多了，指向第一个多出
    的数值。附表的"单位"栏不计。用竖线分隔的行，最后几栏空着（"行政规范性文件 | 3 |  |  |"）是空白
    单元格（见 TB003），不算少了数值；最后一道竖线之后的空白不是单元格。

    数值少了时无法判断缺的是哪一栏（数值按从左到右的顺序对应栏目），所以这一行不参与算术核对。

    ## 为什么重要
    少填一个数，后面的数就会错位：读者（和汇总程序）会把"本年增/减"读成"处理决定数量"。
    表格转换或复制时合并单元格丢失，也常表现为某一行少了数值。

    ## 反例
    | 信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |
    |---|---|---|---|
    | 行政处罚 | 0 | 0 |

    ## 正例
    | 信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |
    |---|---|---|---|
    | 行政处罚 | 0 | 0 | 0 |
    """

    code = "TB001"
    name = "row-cell-count"
    summary = "表格某一行的数值个数与表头栏数不符"
    severity = Severity.ERROR
    eras = frozenset({"2008", "2019", "2021"})
    tags = ("table",)

    def check(self, document):
        for table in document.tables:
            template = template_of(document, table)
            columns = value_columns(template, table)
            rows, _ = row_values(template, table)
            section = section_prefix(document, table)
            for values in rows:
                name = row_title(template, table, values.row.key)
                place = f"{section}table:{table.template}/row:{values.row.key}/cells"
                written = "、".join(cell.text or "（空）" for cell in values.cells) or "没有数值"
                header = "、".join(table.column_labels.get(key, key) for key in columns)
                if len(values.assigned) < values.expected:
                    row = values.row
                    span = row.label_span if row.label else Span(row.span.start, row.span.start)
                    yield Finding(
                        span,
                        f"“{name}”行只有{len(values.assigned)}个数值（{written}），表头有{values.expected}栏"
                        f"（{header}）：缺了数值，其余数值无法对应到栏目",
                        place=place,
                    )
                elif values.extra:
                    extra = values.extra
                    shown = "、".join(_shown(cell) for cell in extra)
                    yield Finding(
                        extra[0].span,
                        f"“{name}”行有{len(values.cells)}个数值，比表头的{values.expected}栏（{header}）多{len(extra)}个"
                        f"（多出的是 {shown}）",
                        related=tuple(Related(cell.span, "多出的数值") for cell in extra[1:]),
                        place=place,
                    )


def _shown(cell) -> str:
    if cell.value.kind == "number" and cell.value.value is not None and cell.value.unit is None:
        return format_number(cell.value.value)
    return cell.text or "（空）"
