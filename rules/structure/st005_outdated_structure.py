from __future__ import annotations

from nianbao.api import Finding, Related, Rule, Severity
from nianbao.rules.structure.sections import report_sections

# How many of the non-format headings the message names.
NAMED_IN_MESSAGE = 3


class OutdatedStructure(Rule):
    """2019年及以后的年度报告仍按旧的自由结构编写，没有采用年度报告格式。

    ## 检查什么
    2019年起年度报告应按国办公开办函〔2019〕60号（2021年起为国办公开办函〔2021〕30号）规定的
    格式编写：六个固定部分，第二、三、四部分是统计表。本规则在报告的一级标题中只有少数几个
    （不到四个）是格式规定的标题、而且没有格式规定的统计表时报告，诊断指向第一个不属于格式的
    部分标题，其他这样的标题作为相关位置列出。

    2019年度报告只是"鼓励"按统一格式发布，因此为警告；2020年度及以后为错误。

    ## 为什么重要
    旧结构的报告（概述、回应解读、收费及减免、人大建议政协提案办理……）缺少格式规定的统计表，
    依申请公开的办理结果、行政复议和诉讼的结果都无法与其他机关比较，也无法核对数字。

    ## 反例
    ```
    一、概述
    二、主动公开政府信息情况
    三、回应解读情况
    四、依申请公开政府信息办理情况
    五、政府信息公开的收费及减免情况
    ……
    ```
    （2019年度报告）

    ## 正例
    ```
    一、总体情况
    二、主动公开政府信息情况
    三、收到和处理政府信息公开申请情况
    四、政府信息公开行政复议、行政诉讼情况
    五、存在的主要问题及改进情况
    六、其他需要报告的事项
    ```
    """

    code = "ST005"
    name = "outdated-structure"
    summary = "2019年及以后的报告仍采用旧的自由结构"
    severity = Severity.ERROR
    eras = frozenset({"2019", "2021"})
    tags = ("structure",)

    def check(self, document):
        if document.era not in self.eras:
            return  # no year: no telling which structure applies
        match = report_sections(document)
        if not match.old_structure:
            return
        conforming = {id(section) for section in match.conforming}
        outdated = [section for section in match.sections if id(section) not in conforming]
        if not outdated:
            return
        year = document.facts.year
        basis = match.scheme.basis.get(document.era, match.scheme.name)
        named = "".join(f"“{document.text_at(s.heading.span)}”" for s in outdated[:NAMED_IN_MESSAGE])
        more = "等" if len(outdated) > NAMED_IN_MESSAGE else ""
        message = (
            f"{year}年度报告仍采用旧的自由结构，没有按{basis}的六个部分编写："
            f"{len(match.sections)}个部分中只有{len(match.conforming)}个是格式规定的标题，"
            f"{named}{more}不是"
        )
        severity = None
        if year == 2019:
            severity = Severity.WARNING
            message += "（2019年度报告鼓励采用统一格式，2020年度起必须采用）"
        related = tuple(Related(section.heading.span, "不属于年度报告格式的部分") for section in outdated[1:])
        yield Finding(outdated[0].heading.span, message, related=related, severity=severity, place="structure")
