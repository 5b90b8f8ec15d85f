from __future__ import annotations

from nianbao.rule import Finding, Related, Rule, Severity

# 一 + 二 = （七）总计 + 四, per column (the relation stated in the table's own note cell).
INFLOW = ("new", "carried_over")
OUTFLOW = ("total", "carry_forward")


class ApplicationBalance(Rule):
    """依申请公开情况表的收支不平衡：一 + 二 ≠ （七）总计 + 四。

    ## 检查什么
    "收到和处理政府信息公开申请情况"表的每一列（自然人、商业企业……总计），
    "一、本年新收"加"二、上年结转"必须等于"（七）总计"加"四、结转下年度继续办理"。
    这是表格左上角说明栏写明的勾稽关系。诊断指向不相符的"（七）总计"单元格，
    并列出等式两边每一项的数值。

    ## 为什么重要
    收到的申请要么办结、要么结转到下一年；两边不等说明有申请"消失"或被重复统计，
    是考核中最常被扣分的表格错误。

    ## 反例
    | 申请人情况 | 自然人 | … | 总计 |
    |---|---|---|---|
    | 一、本年新收政府信息公开申请数量 | 29 | … | 31 |
    | 二、上年结转政府信息公开申请数量 | 2 | … | 2 |
    | （七）总计 | 29 | … | 31 |
    | 四、结转下年度继续办理 | 0 | … | 0 |

    29 + 2 = 31，而总计 29 加结转 0 只有 29。

    ## 正例
    新收 29、上年结转 2 的申请，办结 30 件、结转下年度 1 件：29 + 2 = 30 + 1。
    """

    code = "AR001"
    name = "application-balance"
    summary = "依申请表：新收 + 上年结转 ≠ 办理总计 + 结转下年度"
    severity = Severity.ERROR
    eras = frozenset({"2019", "2021"})
    tags = ("arithmetic", "table")

    def check(self, document):
        for table in document.tables_of(""):
            if not table.template.endswith("application"):
                continue
            for column in table.columns:
                cells = {key: table.cell(key, column) for key in INFLOW + OUTFLOW}
                if any(cell is None or cell.value.value is None for cell in cells.values()):
                    continue  # blank or missing cells are the TB rules' business
                left = sum(cells[key].value.value for key in INFLOW)
                right = sum(cells[key].value.value for key in OUTFLOW)
                if left == right:
                    continue
                labels = {key: table.row(key).canonical_label or table.row(key).label for key in cells}
                column_label = table.column_labels.get(column, column)
                equation = (
                    f"{_term(labels['new'], cells['new'])} + {_term(labels['carried_over'], cells['carried_over'])}"
                    f" = {_number(left)} ≠ {_term(labels['total'], cells['total'])}"
                    f" + {_term(labels['carry_forward'], cells['carry_forward'])} = {_number(right)}"
                )
                yield Finding(
                    cells["total"].span,
                    f"{column_label}列收支不平衡：{equation}",
                    related=tuple(Related(cells[key].span, f"{labels[key]}：{cells[key].text}") for key in cells),
                    place=f"table:{table.template}/col:{column}/relation:balance",
                )


def _term(label: str, cell) -> str:
    return f"{label} {_number(cell.value.value)}"


def _number(value) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
