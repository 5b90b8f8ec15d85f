from __future__ import annotations

from nianbao.plugins.rule import Finding, Rule, Severity


class UnparsableBlock(Rule):
    """报告中有无法归入报告结构的内容。

    ## 检查什么
    语法无法放进"标题—正文—各部分—落款"结构的区域，例如落款之后还有正文、无法识别的字符。
    每个区域报告一次，报告的其余部分照常检查。

    ## 为什么重要
    这类内容往往是网页转存时混入的残留、拼接错误或多余附件，读者会以为它是报告的一部分。

    ## 反例
    ```
    某某局
    2021年1月21日
    扫一扫在手机打开当前页面
    ```

    ## 正例
    落款（机关名称和日期）是报告的最后内容。
    """

    code = "PS002"
    name = "unparsable-block"
    summary = "无法归入报告结构的内容"
    severity = Severity.WARNING
    tags = ("parsing",)

    def check(self, document):
        for block in document.report.unparsed:
            excerpt = block.text.strip().splitlines()[0][:30] if block.text.strip() else ""
            yield Finding(block.span, f"{block.reason}，无法归入报告结构：“{excerpt}”", place=f"unparsed:{excerpt}")
