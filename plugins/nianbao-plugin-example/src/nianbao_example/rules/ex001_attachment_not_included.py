from __future__ import annotations

import re

from nianbao.api import Finding, Option, Rule, Severity, Span

# A line that starts an attachment: "附件", "附表1", "（二）附表".
ATTACHMENT_START = re.compile(r"^[ \t]*(?:[（(]?[一二三四五六七八九十\d]{1,2}[)）、.．][ \t]*)?附[件表]", re.MULTILINE)


class AttachmentNotIncluded(Rule):
    """正文提到附件或附表，报告中却没有。

    ## 检查什么
    正文写“详见附件”“见附表”等（选项 `phrases` 可改），而其后既没有以“附件”“附表”开头的
    部分，也没有表格。问题标在这句提法上。

    ## 为什么重要
    年度报告常以网页或文本形式公开，附件在转载中丢失时，读者看到“详见附件”却找不到数据，
    报告也就不完整。

    ## 反例
    ```
    全年主动公开政府信息213条，详见附件。
    ```

    ## 正例
    ```
    全年主动公开政府信息213条，详见附件。
    附件：政府信息公开情况统计表
    ```
    """

    # The metadata nianbao shows (nianbao rules, nianbao rule EX001) and checks at load time.
    code = "EX001"
    name = "attachment-not-included"
    summary = "正文提到附件或附表，报告中却没有"
    severity = Severity.WARNING
    options = (Option("phrases", list, ["详见附件", "见附件", "详见附表", "见附表"], "提到附件的说法", item_type=str),)
    tags = ("example",)

    def check(self, document):
        text = document.text  # normalised text: every Span refers to it
        phrases = sorted(self.config["phrases"], key=len, reverse=True)
        pattern = re.compile("|".join(re.escape(phrase) for phrase in phrases))
        for match in pattern.finditer(text):
            has_attachment = ATTACHMENT_START.search(text, match.end()) is not None or any(
                table.span.start > match.start() for table in document.tables
            )
            if not has_attachment:
                yield Finding(
                    Span(match.start(), match.end()),
                    f"正文说“{match.group()}”，但报告中没有附件或附表",
                    # A structural place, not a line number: baselines survive edits elsewhere.
                    place=f"mention:{match.group()}",
                )
