from __future__ import annotations

from nianbao.api import Rule, Severity
from nianbao.rules.arithmetic.relations import relation_findings


class AppendixSubtotal(Rule):
    """附表中"其中"各项与总数不符。

    ## 检查什么
    2008—2018 年度报告的统计附表中，带"其中"分项的指标：

    - "受理政府信息公开申请总数"等于各种申请方式（当面、传真、电子邮件、网上、信函、其他）
      之和；
    - "对申请的答复总数"等于各类答复（同意公开、同意部分公开、不予公开、其他）之和；
    - "主动公开政府信息数"下的"政府网站公开数""政府公报公开数"可以重叠，不必相加，但每一项
      都不能超过总数。

    本年和历年累计两栏分别核对；表中没有列出的分项不计。诊断指向总数单元格，列出每一项；
    一个填错的分项同时使别的核对不成立时（例如它的历年累计小于本年，见 AR006），只报告一次，
    指向这个分项。

    ## 为什么重要
    附表是读者核对报告数字的依据，分项与总数对不上，说明有申请或答复漏统计、重复统计。

    ## 反例
    ```
    受理政府信息公开申请总数  125
    其中：1.当面申请数         0
          2.网上申请数       123
          3.信函、传真申请数   3
    ```
    0 + 123 + 3 = 126，不等于 125。

    ## 正例
    网上申请数为 122：0 + 122 + 3 = 125。
    """

    code = "AR005"
    name = "appendix-subtotal"
    summary = "附表：“其中”各项与总数不符"
    severity = Severity.ERROR
    eras = frozenset({"2008"})
    tags = ("arithmetic", "table")

    def check(self, document):
        return relation_findings(document, self.code)
