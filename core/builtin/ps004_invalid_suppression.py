from __future__ import annotations

from nianbao.plugins.rule import Rule, Severity


class InvalidSuppression(Rule):
    """抑制注释写错了，或者没有抑制任何问题。

    ## 检查什么
    报告中的抑制注释（`<!-- nianbao: disable=AR001 -->`、`enable=`、`disable-next=`、`disable-file=`）
    有下列问题之一：

    - 格式有误：缺少冒号、指令名写错（如 `disabled`）、没有写规则、注释没有在同一行内以 `-->` 结束；
    - 写了不存在的规则代码、前缀或规则名；
    - `enable=` 之前没有对应的 `disable=`；`disable-next=` 之后没有内容；
    - 注释所点名的规则检查了这份报告，但注释范围内没有任何该规则的问题（注释已经过时）。

    注释点名的规则如果在配置中被停用或不适用于这份报告的格式，不算"没有抑制任何问题"。

    ## 为什么重要
    写错的抑制注释不会生效，作者却以为问题已经处理；过时的抑制注释会在以后悄悄掩盖新出现的同类问题。

    ## 反例
    ```
    <!-- nianbao: disabled=AR001 -->
    <!-- nianbao: disable-next=AR9999 -->
    ```

    ## 正例
    ```
    <!-- nianbao: disable-next=AR001 -->
    | 一、本年新收政府信息公开申请数量 | 5 | …
    ```
    注释紧挨在要抑制的表格或段落之前，只点名确有问题的规则；问题修正后删除注释。
    """

    code = "PS004"
    name = "invalid-suppression"
    summary = "抑制注释有误或没有抑制任何问题"
    severity = Severity.WARNING
    tags = ("suppression",)

    def check(self, document):
        # Reported by the engine once every other rule has run (see nianbao.engine.suppressions).
        return ()
