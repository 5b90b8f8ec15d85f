from __future__ import annotations

from typing import Iterable

from nianbao.api import Corpus, CorpusFinding, CorpusRule, Severity

from nianbao.rules.crossreport.balances import amount, finding, related, shown, year_pairs

ROWS = {"rules": "规章", "normative_documents": "行政规范性文件"}


class ValidDocumentsBalance(CorpusRule):
    """“现行有效件数”与上年报告对不上：上年现行有效 + 本年制发 − 本年废止 ≠ 本年现行有效。

    ## 检查什么
    2021 年格式第二部分“主动公开政府信息情况”的第一张表，分规章和行政规范性文件填写本年制发件数、
    本年废止件数和现行有效件数。同一机关相邻两年的报告之间：上一年末现行有效的，加上本年新制发的，
    减去本年废止的，应当就是本年末现行有效的。诊断指向本年的现行有效件数，上一年的现行有效件数和本年的
    制发、废止件数作为相关位置。

    只比较两年都是 2021 年格式的报告（2019 年试行格式没有"现行有效件数"）；空白或非数字的单元格不比较，
    "/"、"—"当作 0。

    ## 为什么重要
    现行有效件数对不上，说明有一年的件数填错了，或者制发、废止漏报了；规范性文件的底数不清，也是
    评议中常见的扣分项。

    ## 反例
    2021 年报告：行政规范性文件 现行有效件数 `20`；2022 年报告：本年制发 `4`、本年废止 `1`、现行有效 `25`
    （应为 20 + 4 − 1 = 23）。

    ## 正例
    2022 年报告的现行有效件数填 `23`。
    """

    code = "XR002"
    name = "valid-documents-balance"
    summary = "现行有效件数与上年报告对不上（上年现行有效 + 本年制发 − 本年废止）"
    severity = Severity.WARNING
    eras = frozenset({"2021"})
    cells = frozenset({"2021.active.20-1/rules", "2021.active.20-1/normative_documents"})

    def check_corpus(self, corpus: Corpus) -> Iterable[CorpusFinding]:
        for pair in year_pairs(corpus):
            for row, label in ROWS.items():
                before = pair.cells(pair.earlier, "2021.active.20-1", row)
                now = pair.cells(pair.later, "2021.active.20-1", row)
                cells = (before.get("in_force"), now.get("issued"), now.get("repealed"), now.get("in_force"))
                previous, issued, repealed, current = (amount(cell) for cell in cells)
                if None in (previous, issued, repealed, current):
                    continue
                expected = previous + issued - repealed
                if expected == current:
                    continue
                message = (
                    f"{label}的现行有效件数为 {shown(current)}，但 {pair.describe(pair.earlier, cells[0])}现行有效 "
                    f"{shown(previous)} 件，加本年制发 {shown(issued)} 件、减本年废止 {shown(repealed)} 件，应为 {shown(expected)} 件"
                )
                places = (
                    related(pair.earlier, cells[0], f"{label}现行有效件数"),
                    related(pair.later, cells[1], f"{label}本年制发件数"),
                    related(pair.later, cells[2], f"{label}本年废止件数"),
                )
                yield finding(pair.later, cells[3], message, places, f"table:active.20-1/{row}/in_force")
