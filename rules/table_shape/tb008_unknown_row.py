from __future__ import annotations

from nianbao.api import Finding, Rule, Severity, row_values, section_prefix, template_of


class UnknownRow(Rule):
    """统计表中有格式没有规定的行。

    ## 检查什么
    统计表里出现了格式没有规定的行或文字行（如在第二十条表格后加的"某年本行政区域政府信息公开
    发布总数量：N"，或表中插入的"合计""其中"行），或者有一行数值没有行名。诊断指向这一行的行名
    （没有行名时指向第一个数值）。

    格式中数据行本身没有行名的表格（行政复议、行政诉讼情况表）里，表头下单独占一行的文字
    （如“本机关及所属单位合计”）报告为格式之外的一行，但它下面的数值仍是表格的数据行，照常核对
    其中的加总关系；只有与数值写在同一行的文字才是这些数值的行名。表头中只剩前半截的栏目名
    （如“本年新制作数量”只剩“本年新”）仍是表头，不在本规则报告。

    一些地方要求在表格中增加本地的统计项：配置档（profile）可以在 `expected_rows` 中声明这些行，
    声明过的行不再报告（见 `docs/writing-plugins.md` 和 `docs/usage.md` 的配置档说明）。诊断说明本身
    只写报告作者能做的事：把内容移到正文，或者向负责检查的单位确认这是本地要求的统计项。

    ## 为什么重要
    格式规定的表格要能逐级汇总；多出的行既不在汇总口径内，也容易被误读为格式规定的某一行。
    没有行名的数值则无法知道是什么数字。

    ## 反例
    ```
    第二十条第（九）项
    信息内容 | 采购项目数量 | 采购总金额
    政府集中采购 | 1 | 21738元
    2020年本行政区域（或本部门）政府信息公开发布总数量（非新闻类、消息类）：1
    ```

    ## 正例
    去掉表格中格式没有规定的行，需要说明的内容写在正文中；或者使用声明了这一行的地方配置档。
    """

    code = "TB008"
    name = "unknown-row"
    summary = "统计表中有格式没有规定的行"
    severity = Severity.INFO
    eras = frozenset({"2019", "2021"})
    tags = ("table",)

    def check(self, document):
        variants = document.variants
        for table in document.tables:
            _, unknown = row_values(template_of(document, table), table)
            section = section_prefix(document, table)
            for number, row in enumerate(unknown):
                if variants.expected_row(table, row) is not None:
                    continue
                values = "、".join(cell.text for cell in row.cells if cell.text)
                place = f"{section}table:{table.template}/extra:{row.label or number}"
                if not row.label:
                    if not row.cells:
                        continue
                    first = next((cell for cell in row.cells if cell.text), row.cells[0])
                    yield Finding(
                        first.span,
                        f"“{table.title}”中有一行数值没有行名（{values}）：无法知道这些数字统计的是什么",
                        place=place,
                    )
                    continue
                message = f"“{row.label}”不是“{table.title}”规定的行"
                if values:
                    message += f"（数值：{values}）"
                message += "：格式之外的内容请写在正文中；如是本地要求在表中填报的统计项，请向负责检查的单位确认"
                yield Finding(row.label_span, message, place=place)
