from __future__ import annotations

from nianbao.api import (
    Finding,
    Option,
    Related,
    Rule,
    Severity,
    Span,
    cell_name,
    iter_numeric_cells,
    row_title,
    row_values,
    section_prefix,
    template_of,
)


class BlankCell(Rule):
    """统计表中有空白的数值单元格。

    ## 检查什么
    统计表中应填数字的单元格是空的。空白不等于 0：读者无法判断是没有发生、没有统计还是漏填了，
    算术核对（AR 规则）也会跳过含空白的等式。诊断指向空白单元格；一整行都是空白时只在行名处报告
    一次，整张表都是空白时只在表格开头报告一次。用竖线分隔的行最后几栏空着（"| 3 |  |  |"）也是
    空白单元格；一行的数值填满以后，行末多出的竖线只是填充，不报告。

    选项 `dashes` 为 true 时，"/""—""-""无"这类表示"没有"的符号也按空白报告（格式要求填数字，
    没有发生时填 0）。

    ## 为什么重要
    格式规定统计表的每一栏都要填数字。空白的单元格会让汇总和核对无从进行，也常常是表格转换时
    数字丢失的迹象。

    ## 反例
    | 信息内容 | 本年处理决定数量 |
    |---|---|
    | 行政处罚 |  |

    ## 正例
    | 信息内容 | 本年处理决定数量 |
    |---|---|
    | 行政处罚 | 0 |
    """

    code = "TB003"
    name = "blank-cell"
    summary = "统计表中有空白的数值单元格（应填 0）"
    severity = Severity.WARNING
    options = (Option("dashes", bool, False, "是否把“/”“—”“无”等表示没有的符号也当作空白报告"),)
    tags = ("table",)

    def check(self, document):
        empty_kinds = {"blank", "dash"} if self.config["dashes"] else {"blank"}
        for table in document.tables:
            template = template_of(document, table)
            rows, _ = row_values(template, table)
            section = section_prefix(document, table)
            numeric = list(iter_numeric_cells(template, rows))
            empty = [(values, cell) for values, cell, _ in numeric if cell.value.kind in empty_kinds]
            if not empty:
                continue
            if len(numeric) > 1 and len(empty) == len(numeric):
                dashes = "（或只有“/”“—”）" if any(cell.value.kind == "dash" for _, cell in empty) else ""
                yield Finding(
                    Span(table.span.start, table.span.start),
                    f"“{table.title}”的{len(empty)}个数值单元格全部为空{dashes}：没有发生的事项应填 0",
                    place=f"{section}table:{table.template}/blank",
                )
                continue
            for values in rows:
                cells = [cell for owner, cell in empty if owner is values]
                if not cells:
                    continue
                row_cells = [cell for owner, cell, _ in numeric if owner is values]
                name = row_title(template, table, values.row.key)
                if len(row_cells) > 1 and len(cells) == len(row_cells) and values.row.label:
                    yield Finding(
                        values.row.label_span,
                        f"“{name}”行的{len(cells)}个数值全部为空：没有发生时应填 0",
                        related=tuple(Related(cell.span, "空白单元格") for cell in cells),
                        place=f"{section}table:{table.template}/row:{values.row.key}/blank",
                    )
                    continue
                for cell in cells:
                    what = "为空" if cell.value.kind == "blank" else f"填的是“{cell.text}”"
                    yield Finding(
                        cell.span,
                        f"{cell_name(template, table, values.row.key, cell.column)}{what}：统计表应填数字，没有发生时填 0",
                        place=f"{section}table:{table.template}/row:{values.row.key}/col:{cell.column}",
                    )
