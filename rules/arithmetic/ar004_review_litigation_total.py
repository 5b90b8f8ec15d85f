from __future__ import annotations

from nianbao.api import Rule, Severity
from nianbao.rules.arithmetic.relations import relation_findings


class ReviewLitigationTotal(Rule):
    """行政复议、行政诉讼情况表中某组的"总计"不等于各项结果之和。

    ## 检查什么
    第四部分的表格分三组：行政复议、未经复议直接起诉、复议后起诉，每组五栏。每组的"总计"
    必须等于"结果维持、结果纠正、其他结果、尚未审结"四栏之和。诊断指向不相符的"总计"单元格，
    例如：复议后起诉：总计 0 ≠ 结果维持 5 + 结果纠正 0 + 其他结果 0 + 尚未审结 0 = 5。

    ## 为什么重要
    行政复议和行政诉讼的总数常被引用到正文（"共发生行政复议案件 N 件"）和上级的汇总表中；
    总计与各项结果不符时，读者无法判断哪个数字是对的。

    ## 反例
    | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |
    |---|---|---|---|---|
    | 0 | 1 | 0 | 0 | 0 |

    ## 正例
    | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |
    |---|---|---|---|---|
    | 0 | 1 | 0 | 0 | 1 |
    """

    code = "AR004"
    name = "review-litigation-total"
    summary = "行政复议、行政诉讼表：某组的总计 ≠ 各项结果之和"
    severity = Severity.ERROR
    eras = frozenset({"2019", "2021"})
    tags = ("arithmetic", "table")

    def check(self, document):
        return relation_findings(document, self.code)
