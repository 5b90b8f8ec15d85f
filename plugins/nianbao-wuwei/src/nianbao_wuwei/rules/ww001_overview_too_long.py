from __future__ import annotations

from nianbao.api import Finding, Option, Rule, Severity, Span

from nianbao_wuwei.sections import section_titled


class OverviewTooLong(Rule):
    """“一、总体情况”超过规定字数。

    ## 检查什么
    选项 `max_chars` 大于 0 时（武威市配置档 wuwei 设为 1000），“一、总体情况”部分的正文
    （标题之后到下一部分之前，不计空白）不得超过这么多字。问题标在超出上限的第一个字上。
    `max_chars` 默认为 0，即不限制，本规则不检查任何内容。

    ## 为什么重要
    武威市要求总体情况简明扼要、不超过1000字，把篇幅留给主动公开、依申请公开等有数据的部分；
    冗长的总体情况往往是工作总结的套话。

    ## 反例
    ```
    一、总体情况
    （一千多字的工作总结……）
    二、主动公开政府信息情况
    ```

    ## 正例
    ```
    一、总体情况
    2025年，我局……（不超过1000字）
    二、主动公开政府信息情况
    ```
    """

    code = "WW001"
    name = "overview-too-long"
    summary = "“总体情况”超过规定字数"
    severity = Severity.WARNING
    eras = frozenset({"2019", "2021"})
    options = (Option("max_chars", int, 0, "“总体情况”正文的字数上限（不计空白），0 为不限制"),)
    tags = ("local", "wuwei")

    def check(self, document):
        limit = self.config["max_chars"]
        if limit <= 0:
            return
        section = section_titled(document, "总体情况", 1)
        if section is None:
            return
        start, end = section.heading.span.end, section.span.end
        counted = 0
        over_at = None
        for offset in range(start, end):
            if document.text[offset].isspace():
                continue
            counted += 1
            if counted == limit + 1:
                over_at = offset
        if over_at is None:
            return
        line_end = document.text.find("\n", over_at)
        yield Finding(
            Span(over_at, end if line_end < 0 else min(line_end, end)),
            f"“{section.title}”正文共 {counted} 字，超过 {limit} 字的上限（多 {counted - limit} 字）；从此处起超出",
            place="section:一/length",
        )
