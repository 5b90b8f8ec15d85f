from __future__ import annotations

from typing import Iterable

from nianbao.api import Corpus, CorpusFinding, CorpusRule, Severity

from nianbao.rules.crossreport.balances import amount, finding, related, shown, year_pairs


class CumulativeBalance(CorpusRule):
    """附表“历年累计”与上年报告对不上：上年历年累计 + 本年 ≠ 本年历年累计。

    ## 检查什么
    2008—2018 年格式的附表《政府信息公开情况统计表》每一项都填"本年"和"历年累计"两个数。同一机关相邻
    两年的报告之间，上一年的历年累计加上本年的数，应当就是本年的历年累计。诊断指向本年的历年累计，
    上一年的历年累计和本年的数作为相关位置。

    只比较两年都有附表、同一项都有数字的报告；统计口径中途调整过的机关，可用 `per-file-ignores` 对个别
    文件关闭此规则。

    ## 为什么重要
    历年累计没有按上年结果滚动计算，说明累计数是估的或抄的，附表失去了意义。

    ## 反例
    2016 年报告：主动公开政府信息数 历年累计 `1200`；2017 年报告：本年 `150`、历年累计 `1300`
    （应为 1200 + 150 = 1350）。

    ## 正例
    2017 年报告的历年累计填 `1350`。
    """

    code = "XR003"
    name = "cumulative-balance"
    summary = "附表历年累计与上年报告对不上（上年历年累计 + 本年）"
    severity = Severity.WARNING
    eras = frozenset({"2008"})
    cells = frozenset({"2008.appendix/*"})

    def check_corpus(self, corpus: Corpus) -> Iterable[CorpusFinding]:
        for pair in year_pairs(corpus):
            rows = {cell.row for cell in pair.later.cells if cell.table == "2008.appendix" and cell.row is not None}
            for row in sorted(rows):
                before = pair.cells(pair.earlier, "2008.appendix", row)
                now = pair.cells(pair.later, "2008.appendix", row)
                earlier, annual, cumulative = before.get("cumulative"), now.get("annual"), now.get("cumulative")
                previous, this_year, current = amount(earlier), amount(annual), amount(cumulative)
                if None in (previous, this_year, current):
                    continue
                expected = previous + this_year
                if expected == current:
                    continue
                label = cumulative.label
                message = (
                    f"“{label}”的历年累计为 {shown(current)}，但 {pair.describe(pair.earlier, earlier)}历年累计 "
                    f"{shown(previous)}，加本年 {shown(this_year)}，应为 {shown(expected)}"
                )
                places = (related(pair.earlier, earlier, f"“{label}”历年累计"), related(pair.later, annual, f"“{label}”本年"))
                yield finding(pair.later, cumulative, message, places, f"table:appendix/{row}/cumulative")
