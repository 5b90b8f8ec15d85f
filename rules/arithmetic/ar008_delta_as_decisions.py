from __future__ import annotations

from nianbao.api import (
    Finding,
    Option,
    Related,
    Rule,
    Severity,
    column_kind,
    format_number,
    row_title,
    section_prefix,
)
from nianbao.rules.arithmetic.relations import holding_checks


class DeltaAsDecisions(Rule):
    """"处理决定数量"每一行都等于"上一年项目数量"加减"本年增/减"：这几栏可能被误读了。

    ## 检查什么
    2019 年试行格式第二十条第（五）项（行政许可等）和第（六）项（行政处罚、行政强制）的表格有
    "上一年项目数量、本年增/减、处理决定数量"三栏。"处理决定数量"是本年作出的许可、处罚等
    决定的件数，与事项数量的增减没有算术关系。如果两张表中每一行的"处理决定数量"都正好等于
    "上一年项目数量"加上或减去"本年增/减"（没有写正负号的增减数按增、减两种读法都试），
    说明填表人很可能把三栏理解成了"上年数、增减数、本年数"。

    只在至少 `min_rows` 行的"本年增/减"不为 0 且都符合这一规律、并且没有任何一行不符合时
    报告（全为 0 的行不算证据），诊断指向第一行的"处理决定数量"单元格，其余各行作为相关位置。

    ## 为什么重要
    "处理决定数量"是行政许可、行政处罚公开情况的核心数字；把它填成事项数量，报告就没有如实
    反映本年作出了多少决定，与正文和上级汇总的数字也对不上。

    ## 反例
    | 信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |
    |---|---|---|---|
    | 行政许可 | 63607 | 1228 | 62379 |
    | 行政处罚 | 1001 | 减71 | 930 |
    | 行政强制 | 102 | 加89 | 191 |

    63607 − 1228 = 62379，1001 − 71 = 930，102 + 89 = 191：每一行都是"上年数加减增减数"。

    ## 正例
    | 信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |
    |---|---|---|---|
    | 行政许可 | 120 | +3 | 8563 |
    | 行政处罚 | 310 | -5 | 47 |
    """

    code = "AR008"
    name = "delta-as-decisions"
    summary = "处理决定数量每行都等于上一年项目数量加减本年增/减：栏目可能被误读"
    severity = Severity.INFO
    eras = frozenset({"2019"})
    options = (
        Option("min_rows", int, 2, "至少有几行“本年增/减”不为 0 且符合这一规律才报告（正整数）"),
    )
    tags = ("arithmetic", "table")

    @classmethod
    def resolve_options(cls, given):
        resolved = super().resolve_options(given)
        if resolved["min_rows"] < 1:
            raise ValueError(f"规则 {cls.code}：选项 min_rows 应为正整数，得到 {resolved['min_rows']}")
        return resolved

    def check(self, document):
        checks = holding_checks(document, self.code)
        if not checks or not all(check.holds for check in checks):
            return  # a row that does not fit: the columns were read as the format means them
        evidence = [
            check
            for check in checks
            if any(column_kind(check.template, term.column) == "delta" and term.value != 0 for term in check.terms)
        ]
        if len(evidence) < self.config["min_rows"]:
            return
        first = evidence[0]
        sums = "；".join(_sum(check) for check in evidence)
        captions = (check.template.captions[0] if check.template.captions else check.table.title for check in checks)
        blocks = "、".join(dict.fromkeys(captions))
        result = first.left[0].label
        base, *changes = (term.label for term in first.right)
        formula = f"“{base}”" + "".join(f"加上或减去“{change}”" for change in changes)
        message = (
            f"{blocks}每一行的“{result}”都正好等于{formula}（{sums}）："
            f"“{result}”应为本年作出的处理决定的件数，不是项目数量的增减结果，请核对这几栏是否填错"
        )
        related = tuple(Related(check.anchor.cell.span, _sum(check)) for check in evidence[1:])
        place = f"{section_prefix(document, first.table)}table:{first.table.template}/relation:{first.relation.id}"
        yield Finding(first.anchor.cell.span, message, related=related, place=place)


def _sum(check) -> str:
    """"行政许可 63607 − 1228 = 62379": the right side as read, equal to the left."""
    pieces = []
    for term in check.right:
        number = format_number(abs(term.value))
        if not pieces:
            pieces.append(f"-{number}" if term.value < 0 else number)
        else:
            pieces.append(f"{'−' if term.value < 0 else '+'} {number}")
    result = " + ".join(format_number(term.value) for term in check.left)
    return f"{row_title(check.template, check.table, check.line)} {' '.join(pieces)} = {result}"
