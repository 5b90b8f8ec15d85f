from __future__ import annotations

from nianbao.api import Rule, Severity
from nianbao.rules.arithmetic.relations import relation_findings


class CumulativeBelowAnnual(Rule):
    """附表中"历年累计"小于本年数。

    ## 检查什么
    2008—2018 年度报告统计附表的每一行，"历年累计"（或"本年累计""累计"）栏包含本年的数量，
    不能小于本年栏。诊断指向这一行的历年累计单元格。

    ## 为什么重要
    累计数小于本年数在逻辑上不可能，通常是两栏填反了，或者累计数沿用了上一年的旧数。

    ## 反例
    ```
    指标名称                  单位  2017年  历年累计
    受理政府信息公开申请总数  件    125     100
    ```

    ## 正例
    ```
    受理政府信息公开申请总数  件    125     384
    ```
    """

    code = "AR006"
    name = "cumulative-below-annual"
    summary = "附表：历年累计小于本年"
    severity = Severity.ERROR
    eras = frozenset({"2008"})
    tags = ("arithmetic", "table")

    def check(self, document):
        return relation_findings(document, self.code)
