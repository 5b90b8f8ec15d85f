from __future__ import annotations

from nianbao.api import Finding, Option, Related, Rule, Severity, format_number
from nianbao.rules.narrative.breakdowns import Breakdown, Part, document_breakdowns


class PartsSumMismatch(Rule):
    """正文中的总数与所列分项对不上。

    ## 检查什么
    正文先给总数、再列分项的句子：

    - "共 N 件，其中 a 件、b 件……"，"N 条，包括……"，"N 份（包括……）"：分项之和不能超过总数；
    - "N 条，分别为 / 分布情况为 / 具体为：……"，"a 件、b 件，合计 N 件"，以及分项里有"其他""其余"
      的列举：分项就是全部，之和必须等于总数；
    - 任何一个分项都不能大于总数。

    各渠道的发布量（政府网站、政务微博、政务微信、公报……）可以重复计算，加起来超过总数不算错，
    但单个渠道仍不能超过总数。诊断指向总数（单个分项过大时指向该分项），并列出每个分项和它们的和，
    例如：总数 272 ≠ 公示公告类 103 + 信息公开指南 1 + … = 271。

    "其中"前面有几个总数时（"行政复议 5 件和行政诉讼 3 件，其中行政复议维持 4 件……"），分项归于
    它们重复了其主语的那个总数（这里是"行政复议"）；分项没有重复任何一个总数的主语时，同一分句里
    并列的几个总数（"复议 5 件和诉讼 3 件，其中维持 4 件……"）无法确定是哪一个，不检查，分句分开写的
    （"收到申请 25 件，办结 23 件，其中予以公开……"）归于紧挨着"其中"的那个；分项分属几个总数时不检查。

    分项跨到别的分类时（"其中自然人 29 件，法人 2 件，予以公开 15 件"）、单位不同或是约数时不检查。
    选项 `report_shortfall` 设为 false 时，分项之和少于总数一律不报告。

    ## 为什么重要
    总数和分项是读者核对报告最直接的办法。对不上的数字说明统计或抄写有误，也让人怀疑报告的其他
    数据。

    ## 反例
    ```
    全年共制作、获取政府信息1025份，其中主动公开213份，依申请公开223份，不予公开599份。
    ```

    ## 正例
    ```
    全年共制作、获取政府信息1025份，其中主动公开213份，依申请公开223份，不予公开589份。
    ```
    """

    code = "NR002"
    name = "parts-sum-mismatch"
    summary = "正文中“共N…其中…”“分别为…”等分项之和与总数不符"
    severity = Severity.WARNING
    options = (
        Option(
            "report_shortfall",
            bool,
            True,
            "分项明确是全部（分别为、分布情况为、合计、含“其他”项）而之和少于总数时是否报告（true/false）",
        ),
    )
    tags = ("narrative", "arithmetic")

    def check(self, document):
        for _, found in document_breakdowns(document):
            for breakdown in found:
                yield from self._check(document, breakdown)

    def _check(self, document, breakdown: Breakdown):
        whole = breakdown.whole
        place = f"{document.place_prefix(whole.start)}breakdown:{whole.text}"
        too_big = [part for part in breakdown.parts if part.figure.value > whole.value]
        for part in too_big:
            yield Finding(
                part.figure.span,
                f"分项“{part.label}{part.figure.text}”大于总数“{whole.text}”：分项不能超过总数",
                related=(Related(whole.span, f"总数：{whole.text}"),),
                place=f"{place}/part:{part.figure.text}",
            )
        if too_big or len(breakdown.parts) < 2:
            return
        total = breakdown.total
        if total > whole.value and not breakdown.overlapping:
            why = "分项之和超过了总数"
        elif total < whole.value and breakdown.exhaustive and self.config["report_shortfall"]:
            why = "所列应是全部分项，之和却少于总数"
        else:
            return
        message = f"“{whole.text}”与所列分项不符：总数 {format_number(whole.value)} ≠ {_terms(breakdown.parts)} = {format_number(total)}（{why}）"
        related = tuple(Related(part.figure.span, f"分项：{part.label}{part.figure.text}") for part in breakdown.parts)
        yield Finding(whole.span, message, related=related, place=place)


def _terms(parts: tuple[Part, ...]) -> str:
    return " + ".join(f"{part.label} {format_number(part.figure.value)}".strip() for part in parts)
