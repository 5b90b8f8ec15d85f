from __future__ import annotations

from nianbao.api import Rule, Severity
from nianbao.rules.arithmetic.relations import relation_findings


class OutcomeTotal(Rule):
    """依申请公开情况表的"（七）总计"不等于各项办理结果之和。

    ## 检查什么
    "收到和处理政府信息公开申请情况"表的每一列，"（七）总计"必须等于"三、本年度办理结果"
    下各行之和：（一）予以公开、（二）部分公开、（三）不予公开的 8 行、（四）无法提供的 3 行、
    （五）不予处理的 5 行，以及（六）其他处理（2019 年格式 1 行，2021 年格式 3 行）。
    诊断指向该列的"（七）总计"单元格；等式很长时只列出不为 0 的项。

    一个填错的数往往同时使所在行的总计也对不上：此时只报告一次，指向最可能填错的单元格，
    其余不成立的等式作为相关位置列出（见 AR001）。缺行的表格不核对（由 TB009 报告）。

    ## 为什么重要
    "（七）总计"是本年办结的申请数，应能分解到每一种办理结果；对不上说明有办理结果漏填，
    或者一件申请被计入了两种结果（格式要求"区分处理的，只计这一情形，不计其他情形"）。

    ## 反例
    "自然人"栏：（一）予以公开 14、（二）部分公开 2、（四）3 项 8、（六）其他处理 3，
    其余各行为 0，合计 27，而"（七）总计"填 29。

    ## 正例
    同样的各行数字，"（七）总计"填 27；或者找出漏填的 2 件并填入相应的行。
    """

    code = "AR003"
    name = "outcome-total"
    summary = "依申请表：（七）总计 ≠ 各项办理结果之和"
    severity = Severity.ERROR
    eras = frozenset({"2019", "2021"})
    tags = ("arithmetic", "table")

    def check(self, document):
        return relation_findings(document, self.code)
