from __future__ import annotations

from nianbao.api import Rule, Severity
from nianbao.rules.arithmetic.relations import relation_findings


class PublishedBelowNew(Rule):
    """第二十条第（一）项：对外公开总数量小于本年新公开数量。

    ## 检查什么
    2019 年试行格式第二十条第（一）项（规章、规范性文件）表中，"对外公开总数量"包含本年新公开的
    文件，不应小于"本年新公开数量"。诊断指向这一行的"对外公开总数量"单元格。

    ## 为什么重要
    总数小于其中的一部分，说明两栏填反了，或者"对外公开总数量"只填了往年的数量；上级汇总时会
    得到不可能的结果。

    ## 反例
    | 信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |
    |---|---|---|---|
    | 规范性文件 | 3 | 3 | 2 |

    ## 正例
    | 信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |
    |---|---|---|---|
    | 规范性文件 | 3 | 3 | 17 |
    """

    code = "AR007"
    name = "published-below-new"
    summary = "第二十条第（一）项：对外公开总数量小于本年新公开数量"
    severity = Severity.WARNING
    eras = frozenset({"2019"})
    tags = ("arithmetic", "table")

    def check(self, document):
        return relation_findings(document, self.code)
