from __future__ import annotations

from nianbao.api import Finding, Option, Rule, Severity, Span

APPENDIX_TEMPLATE = "2008.appendix"


class MissingAppendix(Rule):
    """2019年以前的报告没有统计附表。

    ## 检查什么
    选项 `required` 为真时（福建省配置档 fujian 会打开它），2008–2018年度的报告必须附
    “政府信息公开情况统计表”（附表）。报告中没有能识别为附表的表格时报告本问题。
    `required` 默认为假，此时本规则不检查任何内容。

    ## 为什么重要
    福建省要求旧格式年度报告以附表报送主动公开、依申请公开、复议诉讼等统计数，
    没有附表，文字中的数字就无从核对，也无法逐年累计。

    ## 反例
    ```
    六、需要说明的其他事项
    无。
    ```

    ## 正例
    ```
    六、需要说明的其他事项与附表
    指标名称	单位	2017年	历年累计
    主动公开政府信息数	条	213	2676
    ```
    """

    code = "FJ001"
    name = "missing-appendix"
    summary = "缺少统计附表（福建，2019年以前）"
    severity = Severity.ERROR
    eras = frozenset({"2008"})
    options = (Option("required", bool, False, "是否要求2008–2018年度报告附统计附表"),)
    tags = ("local", "fujian")

    def check(self, document):
        if not self.config["required"] or document.tables_of(APPENDIX_TEMPLATE):
            return
        sections = document.report.sections
        # The 附表 belongs at the end: point at the last section's heading.
        span = sections[-1].heading.span if sections else Span(0, 0)
        yield Finding(
            span,
            "报告没有“政府信息公开情况统计表”（附表）：福建省要求2019年以前的年度报告附统计附表",
            place="appendix",
        )
