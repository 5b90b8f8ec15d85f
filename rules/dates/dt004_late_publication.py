from __future__ import annotations

from typing import Any

from nianbao.api import Finding, Option, Rule, Severity, check_overrides
from nianbao.rules.dates.periods import checkable_publication


class LatePublication(Rule):
    """年度报告发布晚于规定期限。

    ## 检查什么
    落款日期（或"发布日期"一行）晚于这类机关、这个年度的报告应当发布的期限。诊断指向发布日期，
    说明期限是哪一天、为什么适用（机关类别、报告年度和依据）。全国统一的期限：

    | 报告年度 | 机关 | 期限 |
    |---|---|---|
    | 2008—2018年度 | 各级行政机关 | 次年3月31日（2008年《条例》第三十一条） |
    | 2019年度起 | 县级以上人民政府部门 | 次年1月31日（2019年修订《条例》第四十九条） |
    | 2019年度起 | 县级以上地方人民政府（本级报告） | 次年3月31日（同上） |
    | 2019年度起 | 乡镇人民政府、街道办事处 | 没有法定期限，不检查 |

    机关类别由标题或落款中的机关名称判断（"……局""……委员会"为部门，"……人民政府"为本级政府，
    "……镇""……街道办事处"为乡镇街道）；判断不了的不检查。地方配置档（如某市要求市直单位1月28日前
    发布）可以改变期限；选项 `deadlines` 又优先于配置档，例如：

    ```toml
    [rules.DT004]
    deadlines = { department = "01-28", grassroots = "02-20" }
    ```

    键是机关类别（department、government、grassroots）、bodies.toml 中的机关类型（township、
    bureau……）或 `*`（任何机关），可加年度格式前缀（`"2008:*"`、`"2021:department"`）只用于该格式的
    报告；值是次年的"月-日"，写 `""` 表示这类机关不检查期限。

    ## 为什么重要
    《政府信息公开条例》规定了年度报告的公布期限，"不按时发布"是国办通报点名的问题之一，
    考核中直接扣分。

    ## 反例
    ```
    某某区商务局2020年政府信息公开工作年度报告
    ……
    某某区商务局
    2021年3月15日
    ```
    区商务局是县级以上人民政府部门，2020年度报告应在2021年1月31日前发布。

    ## 正例
    ```
    某某区商务局2020年政府信息公开工作年度报告
    ……
    某某区商务局
    2021年1月21日
    ```
    """

    code = "DT004"
    name = "late-publication"
    summary = "发布日期晚于规定的发布期限"
    severity = Severity.WARNING
    tags = ("dates",)
    options = (
        Option(
            "deadlines",
            dict,
            {},
            '各类机关的发布期限（次年“月-日”，"" 为不检查），优先于配置档和全国规定，'
            '如 { department = "01-31", government = "03-31", grassroots = "" }',
        ),
    )

    @classmethod
    def resolve_options(cls, given: dict[str, Any]) -> dict[str, Any]:
        resolved = super().resolve_options(given)
        try:
            resolved["deadlines"] = check_overrides(resolved["deadlines"])
        except ValueError as error:
            raise ValueError(f"规则 {cls.code}：{error}") from None
        return resolved

    def check(self, document):
        facts = document.facts
        published = checkable_publication(facts)
        if published is None:
            return
        deadline = document.variants.deadline(facts, self.config["deadlines"])
        if deadline.date is None or published <= deadline.date:
            return
        days = (published - deadline.date).days
        written = document.text_at(facts.publication_span)
        due = f"{deadline.date.year}年{deadline.date.month}月{deadline.date.day}日"
        yield Finding(
            facts.publication_span,
            f"发布日期“{written}”晚于发布期限{due}（晚了{days}天）：{deadline.reason}",
            place="publication-date/deadline",
        )
