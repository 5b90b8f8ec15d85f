from __future__ import annotations

from nianbao.api import Rule, Severity
from nianbao.rules.arithmetic.relations import relation_findings


class ApplicationBalance(Rule):
    """依申请公开情况表的收支不平衡：一 + 二 ≠ （七）总计 + 四。

    ## 检查什么
    "收到和处理政府信息公开申请情况"表的每一列（自然人、商业企业……总计），
    "一、本年新收"加"二、上年结转"必须等于"（七）总计"加"四、结转下年度继续办理"。
    这是表格左上角说明栏写明的勾稽关系。诊断指向不相符的"（七）总计"单元格，
    并列出等式两边每一项的名称和数值。

    如果一个填错的数同时使本表的几个等式不成立（例如"（七）总计"行"自然人"栏填错，
    本规则、AR002 和 AR003 的等式都不成立），只报告一次：指向最可能填错的那个单元格
    （改正它就能使所有不成立的等式都成立），其余不成立的等式作为相关位置列出。
    有空白、"/"或文字的列不核对（由 TB002、TB003 报告）。

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
        return relation_findings(document, self.code)
