from __future__ import annotations

from nianbao.api import Rule, Severity
from nianbao.rules.arithmetic.relations import relation_findings


class ApplicantTotal(Rule):
    """依申请公开情况表某一行的"总计"不等于各类申请人之和。

    ## 检查什么
    "收到和处理政府信息公开申请情况"表的每一行，"总计"栏必须等于"自然人"与"商业企业、
    科研机构、社会公益组织、法律服务机构、其他"五栏之和（表中没有"法人或其他组织"小计栏，
    六栏直接相加）。诊断指向该行的"总计"单元格，列出等式两边每一项。

    一个填错的数往往同时使本行的总计和所在列的（七）总计对不上：此时只报告一次，指向最可能
    填错的单元格，其余不成立的等式作为相关位置列出（见 AR001）。

    ## 为什么重要
    "总计"是上级汇总时直接取用的数字；与各类申请人之和不符，说明某一类申请人漏填、
    多填，或者总计是手工估算的。

    ## 反例
    | | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |
    |---|---|---|---|---|---|---|---|
    | （一）予以公开 | 14 | 1 | 0 | 0 | 0 | 0 | 16 |

    14 + 1 = 15，总计却是 16。

    ## 正例
    | | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |
    |---|---|---|---|---|---|---|---|
    | （一）予以公开 | 14 | 1 | 0 | 0 | 0 | 0 | 15 |
    """

    code = "AR002"
    name = "applicant-total"
    summary = "依申请表：某行的总计 ≠ 各类申请人之和"
    severity = Severity.ERROR
    eras = frozenset({"2019", "2021"})
    tags = ("arithmetic", "table")

    def check(self, document):
        return relation_findings(document, self.code)
