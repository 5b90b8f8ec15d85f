from __future__ import annotations

from nianbao.api import Finding, Option, Rule, Severity, Span


class MissingSignoff(Rule):
    """报告末尾没有完整的落款（发布机关和日期）。

    ## 检查什么
    选项 `required` 为真时（怀化市配置档 huaihua 会打开它），报告末尾应有落款：一行写发布机关，
    下一行写成文或发布日期。没有落款，或落款缺少机关名称、缺少完整日期（年月日）时报告本问题。
    `required` 默认为假，此时本规则不检查任何内容。

    ## 为什么重要
    怀化市要求年度报告纸质件由单位负责人签字并加盖公章后报送；公开的文本应与报送件一致，
    带有发布机关和日期。没有日期也就无法判断是否在市里规定的期限（市直单位1月28日、
    县市区和乡镇（街道）2月20日）内发布。

    ## 反例
    ```
    六、其他需要报告的事项
    本年度无其他需要报告的事项。
    ```

    ## 正例
    ```
    六、其他需要报告的事项
    本年度无其他需要报告的事项。

    怀化市鹤城区城南街道办事处
    2022年1月20日
    ```
    """

    code = "HH001"
    name = "missing-signoff"
    summary = "报告缺少落款（发布机关和日期）"
    severity = Severity.WARNING
    options = (Option("required", bool, False, "是否要求报告以落款（发布机关、日期）结束"),)
    tags = ("local", "huaihua")

    def check(self, document):
        if not self.config["required"]:
            return
        signoff = document.report.signoff
        if signoff is None:
            yield Finding(_last_line(document.text), "报告末尾没有落款：应写明发布机关和发布日期（怀化市要求）", place="signoff")
            return
        if not (signoff.body or "").strip():
            yield Finding(signoff.span, "落款缺少发布机关名称", place="signoff/body")
        if document.facts.publication_date is None:
            yield Finding(signoff.date_span, f"落款日期“{signoff.date_text}”不完整：应写明年、月、日", place="signoff/date")


def _last_line(text: str) -> Span:
    end = len(text.rstrip())
    start = text.rfind("\n", 0, end) + 1
    return Span(start, end)
