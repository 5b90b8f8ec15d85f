from __future__ import annotations

import re

from nianbao.api import Finding, Option, Rule, Severity, Span
from nianbao.rules.narrative.lexicon import Placeholder, narrative_lexicon


class TemplatePlaceholder(Rule):
    """报告里留着没有填写的模板占位符。

    ## 检查什么
    从模板或别的报告改写时没有替换的占位文字：

    - 机关名称或数字写成"XX""××"（"XX局""××县人民政府""共收到申请XX件"）；
    - 年份、日期写成"20XX年""X月X日""2021年X月"；
    - 文号留空："〔 〕号""〔2021〕号""〔20XX〕X号"；
    - 模板里的填写说明："（此处填写机关名称）""【请填写】"。

    与英文字母或数字连在一起的 X（网址、邮箱里的"xxgk"）和"张××同志"这类有意隐去的姓名不报告。
    诊断指向占位符本身。选项 `extra_patterns` 可以补充本地模板的占位写法（正则表达式）。

    ## 为什么重要
    留着占位符的报告说明发布前没有核对，往往还照抄了别的机关或往年的内容，属于"敷衍塞责"。

    ## 反例
    ```
    XX局2021年政府信息公开工作年度报告
    根据《关于做好政府信息公开工作年度报告的通知》（X政办〔 〕号）要求……
    ```

    ## 正例
    ```
    某市商务局2021年政府信息公开工作年度报告
    根据《关于做好政府信息公开工作年度报告的通知》（某政办〔2022〕3号）要求……
    ```
    """

    code = "NR005"
    name = "template-placeholder"
    summary = "未填写的模板占位符（XX局、××、20XX年、〔 〕号）"
    severity = Severity.ERROR
    options = (
        Option("extra_patterns", list, [], "补充的占位符写法（正则表达式字符串列表），匹配到即报告"),
    )
    tags = ("narrative",)

    @classmethod
    def resolve_options(cls, given):
        resolved = super().resolve_options(given)
        for pattern in resolved["extra_patterns"]:
            if not isinstance(pattern, str) or not pattern:
                raise ValueError(f"规则 {cls.code}：选项 extra_patterns 应为非空字符串的列表")
            try:
                compiled = re.compile(pattern)
            except re.error as error:
                raise ValueError(f"规则 {cls.code}：选项 extra_patterns 中的 {pattern!r} 不是有效的正则表达式：{error}") from None
            if compiled.match(""):
                raise ValueError(f"规则 {cls.code}：选项 extra_patterns 中的 {pattern!r} 能匹配空文本")
        return resolved

    def check(self, document):
        text = document.text
        placeholders = [
            *narrative_lexicon().placeholders,
            *(Placeholder("内容", re.compile(pattern)) for pattern in self.config["extra_patterns"]),
        ]
        taken: list[tuple[int, int]] = []
        for placeholder in placeholders:
            for match in placeholder.pattern.finditer(text):
                start, end = match.span()
                if start == end or any(start < e and s < end for s, e in taken):
                    continue
                taken.append((start, end))
                yield Finding(
                    Span(start, end),
                    f"模板占位符“{match.group()}”没有填写：应改为实际的{placeholder.what}",
                    place=f"{document.place_prefix(start)}placeholder:{match.group()}",
                )
