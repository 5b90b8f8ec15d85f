from __future__ import annotations

from nianbao.api import Finding, Rule, Severity

from nianbao_jilin.lines import expected_total, total_lines


class PublishedTotalNotNumber(Rule):
    """“政府信息公开发布总数量”一行没有写成一个非负整数。

    ## 检查什么
    吉林省（长春市等）的年度报告在“二、主动公开政府信息情况”的第二十条各表之后另列一行
    “YYYY年本行政区域（或本部门）政府信息公开发布总数量（非新闻类、消息类）：N”。
    启用 jilin 配置档时，本规则检查 N 是一个非负整数：不能空着，不能写“若干”“见网站”，
    不能是小数或负数。其他配置档下本规则不检查任何内容。

    ## 为什么重要
    发布总数量是上级汇总全省政府信息公开情况的统计数，空着或写成文字的数据无法汇总，
    也无法与第二十条各表的数字相互印证。

    ## 反例
    ```
    2020年本行政区域（或本部门）政府信息公开发布总数量（非新闻类、消息类）：若干
    ```

    ## 正例
    ```
    2020年本行政区域（或本部门）政府信息公开发布总数量（非新闻类、消息类）：1
    ```
    """

    code = "JL001"
    name = "published-total-not-number"
    summary = "“政府信息公开发布总数量”不是非负整数（吉林）"
    severity = Severity.ERROR
    eras = frozenset({"2019", "2021"})
    tags = ("local", "jilin")

    def check(self, document):
        expected = expected_total(document)
        if expected is None:
            return
        for line in total_lines(document, expected):
            value = line.value
            if value.kind == "blank":
                yield Finding(
                    line.span,
                    "“政府信息公开发布总数量”一行没有填写数量，应写明非新闻类、消息类信息的发布条数",
                    place="section:二/line:published_total",
                )
            elif value.kind != "number" or value.value is None:
                yield Finding(
                    line.value_span or line.span,
                    f"“政府信息公开发布总数量”应为数字，写的是“{line.value_text}”",
                    place="section:二/line:published_total",
                )
            elif value.value < 0 or value.value != value.value.to_integral_value():
                yield Finding(
                    line.value_span or line.span,
                    f"“政府信息公开发布总数量”应为非负整数（条数），写的是“{line.value_text}”",
                    place="section:二/line:published_total",
                )
