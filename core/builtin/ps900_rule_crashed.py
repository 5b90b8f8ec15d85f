from __future__ import annotations

from nianbao.plugins.rule import Rule, Severity


class RuleCrashed(Rule):
    """某条规则在检查本文件时出错。

    ## 检查什么
    规则（内置或插件提供）执行时抛出异常。诊断指出出错的规则和异常，其他规则的结果不受影响；
    出现这条诊断时退出码为 2。

    ## 为什么重要
    出错的规则没有完成检查，这个文件的结论因此不完整。请把报告和这条信息一起反馈给规则的维护者
    （插件规则见插件说明）。

    ## 反例
    `PS900 规则 AR001（application-balance）出错：ZeroDivisionError: division by zero`

    ## 正例
    所有规则正常完成检查，不出现 PS900。
    """

    code = "PS900"
    name = "rule-crashed"
    summary = "规则执行出错"
    severity = Severity.ERROR
    tags = ("internal",)

    def check(self, document):
        # Reported by the engine around each rule's check.
        return ()
