from __future__ import annotations

from nianbao.api import Finding, Option, Paragraph, Rule, Severity, Span


class MissingLocalCitation(Rule):
    """引言没有引用本地的政府信息公开规定。

    ## 检查什么
    选项 `citations` 列出引言（标题之后、“一、”之前的文字）应当引用的法规名称，不带书名号
    （上海市配置档 shanghai 列出“上海市政府信息公开规定”）。引言中没有《…》形式的引用时
    报告本问题；报告没有引言时，问题标在第一部分的标题上。`citations` 默认为空，此时本规则
    不检查任何内容。

    ## 为什么重要
    上海市的年度报告依据《中华人民共和国政府信息公开条例》和《上海市政府信息公开规定》编制，
    引言写明依据是本地模板的固定内容；缺少本地规定往往说明套用了外地或过时的模板。

    ## 反例
    ```
    根据《中华人民共和国政府信息公开条例》，特向社会公布2020年度本机关政府信息公开工作年度报告。
    ```

    ## 正例
    ```
    根据《中华人民共和国政府信息公开条例》和《上海市政府信息公开规定》，特向社会公布
    2020年度本机关政府信息公开工作年度报告。
    ```
    """

    code = "SH001"
    name = "missing-local-citation"
    summary = "引言没有引用本地政府信息公开规定"
    severity = Severity.INFO
    options = (Option("citations", list, [], "引言应引用的法规名称（不带书名号）"),)
    tags = ("local", "shanghai")

    @classmethod
    def resolve_options(cls, given):
        resolved = super().resolve_options(given)
        if not all(isinstance(item, str) and item.strip("《》 ") for item in resolved["citations"]):
            raise ValueError(f"规则 {cls.code}：选项 citations 应为非空字符串的列表")
        return resolved

    def check(self, document):
        citations = [item.strip("《》 ") for item in self.config["citations"]]
        if not citations:
            return
        paragraphs = [node for node in document.report.preamble if isinstance(node, Paragraph)]
        text = "".join(document.text_at(node.span) for node in paragraphs)
        if paragraphs:
            span = Span(paragraphs[0].span.start, paragraphs[-1].span.end)
        elif document.report.sections:
            span = document.report.sections[0].heading.span
        else:
            span = Span(0, 0)
        for citation in citations:
            if f"《{citation}》" in text:
                continue
            where = "引言" if paragraphs else "报告开头没有引言，"
            yield Finding(
                span,
                f"{where}没有引用《{citation}》：本地年度报告应写明依据该规定编制",
                place=f"preamble/citation:{citation}",
            )
