from __future__ import annotations

from nianbao.api import (
    Finding,
    Rule,
    Severity,
    Span,
    row_title,
    section_prefix,
    template_of,
)


class MissingRow(Rule):
    """统计表缺少格式规定必须有的行。

    ## 检查什么
    统计表缺少模板中必须有的行，例如依申请表缺了"7.属于行政执法案卷"，或者 2021 年格式的依申请表
    中"（六）其他处理"只有一行、缺少"1.申请人无正当理由逾期不补正……""2.申请人逾期未按收费通知
    要求缴纳费用……""3.其他"三行（这一行属于 2019 年试行格式，由 ST007 另行报告）。连续缺少的
    几行合并为一条诊断，指向它们本应出现的位置（后面紧接着的那一行）。2008—2018 年附表只要求
    主要指标（主动公开、受理申请、答复）。

    ## 为什么重要
    缺行的表格无法与其他机关的报告比较，算术核对（AR 规则）也无法进行；删掉"没有数据"的行是常见
    的做法，但格式要求保留每一行并填 0。

    ## 反例
    2021 年度报告的依申请表：
    ```
    （五）不予处理 | 5.要求行政机关确认或重新出具已获取信息 | 0 | … | 0
    （六）其他处理 | 0 | … | 0
    （七）总计 | 3 | … | 3
    ```

    ## 正例
    ```
    （六）其他处理 | 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请 | 0 | … | 0
                   | 2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请 | 0 | … | 0
                   | 3.其他 | 0 | … | 0
    （七）总计 | 3 | … | 3
    ```
    """

    code = "TB009"
    name = "missing-row"
    summary = "统计表缺少必须有的行"
    severity = Severity.ERROR
    eras = frozenset({"2008", "2019", "2021"})
    tags = ("table",)

    def check(self, document):
        for table in document.tables:
            template = template_of(document, table)
            if template is None or not table.missing_rows or not table.rows:
                continue
            order = {row.key: index for index, row in enumerate(template.rows)}
            section = section_prefix(document, table)
            # Where each missing row should be: right after the last present row that precedes it
            # in the template, i.e. at the table row that follows that one.
            runs: dict[int, list[str]] = {}
            for key in sorted(table.missing_rows, key=lambda key: order.get(key, len(order))):
                position = 0
                for index, row in enumerate(table.rows):
                    if row.key in order and order[row.key] < order.get(key, len(order)):
                        position = index + 1
                runs.setdefault(position, []).append(key)
            for position, keys in runs.items():
                if position < len(table.rows):
                    following = table.rows[position]
                    span = following.label_span if following.label else Span(following.span.start, following.span.start)
                else:
                    span = Span(table.span.end, table.span.end)
                names = "”“".join(row_title(template, table, key) for key in keys)
                groups = {template.row(key).group for key in keys if template.row(key) is not None}
                under = ""
                if len(groups) == 1 and None not in groups:
                    group = template.group(next(iter(groups)))
                    if group is not None and group.parent is not None:
                        under = f"“{group.label}”下"
                yield Finding(
                    span,
                    f"“{table.title}”缺少{under}{len(keys)}行：“{names}”。格式规定的行都应保留，没有发生时填 0",
                    place=f"{section}table:{table.template}/missing:{keys[0]}",
                )
