from __future__ import annotations

import re

from nianbao.api import Finding, Related, Rule, Severity, Span
from nianbao.rules.structure.sections import parse_count, structure_data

# "八个部分", "六部分", "6个部分", "两大部分"
_PART_COUNT = re.compile(r"(?P<count>[一二两三四五六七八九十]{1,3}|\d{1,2})[ \t]*个?[ \t]*大?部分")


class SectionCountClaim(Rule):
    """报告自述的部分数与实际的部分数不符。

    ## 检查什么
    报告开头常说明自己的结构："本报告由总体情况、……等六部分组成""全文共分八个部分""报告的
    主要内容包括……等六个部分内容"。本规则把这个数字与报告实际的一级标题（一、二、三……）数目
    比较，不符时报告，诊断指向"N个部分"这几个字。

    ## 为什么重要
    数字不符说明报告套用了别的报告或往年的开头，删改了部分却没有改说明；这是"内容雷同、
    敷衍塞责"的典型迹象，也让读者怀疑有部分被遗漏。

    ## 反例
    ```
    本报告由总体情况、主动公开政府信息情况、……其他需要报告的事项等六部分组成。
    一、总体情况
    ……
    五、存在的主要问题及改进情况
    ```
    （只有五个部分）

    ## 正例
    ```
    本报告由总体情况、……、其他需要报告的事项等六部分组成。
    一、总体情况
    ……
    六、其他需要报告的事项
    ```
    """

    code = "ST009"
    name = "section-count-claim"
    summary = "“本报告由…N部分组成”与实际的部分数不符"
    severity = Severity.WARNING
    tags = ("structure", "narrative")

    def check(self, document):
        sections = document.report.sections
        if not sections:
            return  # no numbered sections: nothing to count against
        text = document.text
        subjects = structure_data().claim_subjects
        # Claims describe the whole report, so they come before its last section starts.
        limit = sections[-1].span.start
        for claim in _PART_COUNT.finditer(text, 0, limit):
            sentence_start = _sentence_start(text, claim.start())
            lead = text[sentence_start : claim.start()]
            if not any(subject in lead for subject in subjects):
                continue
            claimed = parse_count(claim.group("count"))
            if claimed is None or claimed == len(sections):
                continue
            first, last = sections[0].heading, sections[-1].heading
            yield Finding(
                Span(claim.start(), claim.end()),
                f"报告称由{claim.group('count')}个部分组成，实际有{len(sections)}个部分"
                f"（“{first.ordinal}”至“{last.ordinal}”）",
                related=(Related(last.span, "最后一个部分"),),
                place="claim:sections",
            )


def _sentence_start(text: str, position: int) -> int:
    return max(text.rfind("。", 0, position), text.rfind("\n", 0, position)) + 1
