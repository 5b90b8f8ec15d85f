from __future__ import annotations

from typing import Any

from nianbao.api import Finding, Option, Rule, Severity, Span
from nianbao.rules.structure.sections import fold_heading, report_sections


class MissingSection(Rule):
    """缺少年度报告必须有的部分（2008–2018年度报告：缺少条例规定的内容）。

    ## 检查什么
    - 2019年及以后的年度报告：年度报告格式规定的六个部分——一、总体情况；二、主动公开政府信息
      情况；三、收到和处理政府信息公开申请情况；四、政府信息公开行政复议、行政诉讼情况；五、存在的
      主要问题及改进情况；六、其他需要报告的事项——缺了哪一个。标题按规范写法和常见变体识别
      （全角半角、有无序号、Markdown 标题都可以），措辞不同但意思相同的标题（如"概述"）也算。
    - 2008–2018年度报告：《条例》（2008）第三十二条规定的六项内容——主动公开、依申请公开和
      不予公开、收费及减免、行政复议和行政诉讼、存在的主要问题及改进、其他需要报告的事项——
      按标题的意思（关键词）查找，写成独立部分或下一级小标题都可以。

    诊断指向缺少的部分本应出现的位置：按规定顺序排在它后面的那一部分的标题；后面没有时，指向
    最后一部分的末尾。2019年度报告只是"鼓励"采用新格式，缺少部分时为警告。

    选项 `extra_sections`（字符串列表）可以要求额外的标题（任何一级标题中含有该文字即可），
    供地方要求（如"政务公开工作要点落实情况"）使用。

    ## 为什么重要
    这六个部分（六项内容）是法定的报告内容，缺了一项就是"发布内容不全面"，属于国办通报的
    问题。最常见的是漏写"收费及减免情况"或"其他需要报告的事项"，即使没有可报告的内容，
    也应写明"无"。

    ## 反例
    ```
    三、政府信息依申请公开办理情况
    ……
    四、因政府信息公开申请行政复议、提起行政诉讼的情况
    ```
    （2017年度报告，没有讲收费及减免情况的部分）

    ## 正例
    ```
    三、政府信息依申请公开办理情况
    ……
    四、政府信息公开的收费及减免情况
    2017年，我厅未收取政府信息公开相关费用。
    五、因政府信息公开申请行政复议、提起行政诉讼的情况
    ```
    """

    code = "ST003"
    name = "missing-section"
    summary = "缺少年度报告必须有的部分（或条例规定的内容）"
    severity = Severity.ERROR
    options = (
        Option(
            "extra_sections",
            list,
            [],
            "另外必须出现的标题文字（字符串列表），任何一级标题含有该文字即可",
        ),
    )
    tags = ("structure",)

    @classmethod
    def resolve_options(cls, given: dict[str, Any]) -> dict[str, Any]:
        resolved = super().resolve_options(given)
        for item in resolved["extra_sections"]:
            if not isinstance(item, str) or not fold_heading(item):
                raise ValueError(f"规则 {cls.code}：选项 extra_sections 的每一项应为非空的标题文字，得到 {item!r}")
        return resolved

    def check(self, document):
        if document.era is None:
            return  # without a year there is no telling which sections are required
        match = report_sections(document)
        scheme = match.scheme
        severity = Severity.WARNING if document.facts.year == 2019 else None
        basis = scheme.basis.get(document.era, scheme.name)
        for section in match.missing():
            following = match.next_present(section.key)
            where = (
                f"，应在“{document.text_at(following.heading_span)}”之前"
                if following is not None
                else "，应在报告最后"
            )
            if scheme.multi_key:
                message = (
                    f"缺少{basis}规定的第（{section.ordinal}）项内容“{section.heading}”："
                    f"没有找到讲这项内容的标题{where}"
                )
            else:
                message = f"缺少第{section.ordinal}部分“{section.numbered}”（{basis}规定的六个部分之一）{where}"
                if severity is Severity.WARNING:
                    message += "；2019年度报告鼓励采用统一格式"
            yield Finding(match.expected_span(section.key), message, severity=severity, place=f"section:{section.key}")
        if self.config["extra_sections"]:
            yield from self._extra(document, severity)

    def _extra(self, document, severity):
        titles = [fold_heading(ref.title) for ref in report_sections(document).headings]
        end = max((section.span.end for section in document.report.sections), default=len(document.text))
        for wanted in self.config["extra_sections"]:
            folded = fold_heading(wanted)
            if any(folded in title for title in titles):
                continue
            yield Finding(
                Span(end, end),
                f"缺少配置要求的部分“{wanted}”",
                severity=severity,
                place=f"section:extra:{folded}",
            )

