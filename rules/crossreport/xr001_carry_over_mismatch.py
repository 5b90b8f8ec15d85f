from __future__ import annotations

from typing import Iterable

from nianbao.api import Corpus, CorpusFinding, CorpusRule, Severity

from nianbao.rules.crossreport.balances import amount, column_label, finding, related, shown, year_pairs

CARRIED_OVER = "二、上年结转政府信息公开申请数量"
CARRY_FORWARD = "四、结转下年度继续办理"


class CarryOverMismatch(CorpusRule):
    """本年“上年结转”与上年报告的“结转下年度继续办理”不一致。

    ## 检查什么
    同一机关相邻两年的报告里，本年“收到和处理政府信息公开申请情况”表“二、上年结转政府信息公开申请数量”
    的每一列，应等于上一年报告“四、结转下年度继续办理”的同一列。诊断指向本年的单元格，上一年的单元格
    作为相关位置（SARIF `relatedLocations`）。

    只在检查的文件（或 `--history` 给出的往年报告）里有同一机关上一年的报告时检查；机关由报告标题或落款
    的机关名称认定（"××市商务局"和"市商务局"视为同一机关），也可用 `[identity]` 的路径模式或对照文件
    指定。2019 年试行格式和 2021 年格式的这两行相同，跨格式照常比较；2008 年格式没有这两行，不比较。
    空白或非数字的单元格不比较，"/"、"—"当作 0。

    ## 为什么重要
    上一年没办完、转到下一年的申请，就是下一年从上一年接过来的申请。两者不一致，说明有一年的数字填错了，
    或者有申请在两年之间"消失"或"多出来"，是评议中核对年报连续性时最先看的一处。

    ## 反例
    2020 年报告：四、结转下年度继续办理 —— 自然人 `3`；2021 年报告：二、上年结转政府信息公开申请数量 ——
    自然人 `5`。

    ## 正例
    2021 年报告的"上年结转"自然人一栏填 `3`，与 2020 年报告的"结转下年度继续办理"一致。
    """

    code = "XR001"
    name = "carry-over-mismatch"
    summary = "本年“上年结转”与上年报告的“结转下年度继续办理”不一致"
    severity = Severity.WARNING
    eras = frozenset({"2019", "2021"})
    cells = frozenset({"*.application/carried_over", "*.application/carry_forward"})

    def check_corpus(self, corpus: Corpus) -> Iterable[CorpusFinding]:
        for pair in year_pairs(corpus):
            before = pair.cells(pair.earlier, ".application", "carry_forward")
            now = pair.cells(pair.later, ".application", "carried_over")
            for column, cell in now.items():
                earlier = before.get(column)
                value, expected = amount(cell), amount(earlier)
                if value is None or expected is None or value == expected:
                    continue
                label = column_label(cell.table, column)
                message = (
                    f"“{CARRIED_OVER}”（{label}）为 {shown(value)}，但 {pair.describe(pair.earlier, earlier)}"
                    f"“{CARRY_FORWARD}”（{label}）为 {shown(expected)}：上年结转到本年的申请数应与之相等"
                )
                yield finding(
                    pair.later, cell, message, (related(pair.earlier, earlier, f"“{CARRY_FORWARD}”（{label}）"),), f"table:application/carried_over/{column}"
                )
