from __future__ import annotations

from nianbao.plugins.rule import Rule, Severity


class CheckTimeLimit(Rule):
    """检查一个文件用时超过上限，已停止检查这个文件。

    ## 检查什么
    读取并检查一个文件（读取、解析和全部规则）所用的时间超过了每个文件的时间上限（默认 120 秒，
    用 `--time-limit` 或配置项 `time-limit` 调整）。nianbao 停止检查这个文件，其余文件照常检查。
    多进程或分布式检查时，超时的工作进程被终止并重新启动。

    ## 为什么重要
    超时的文件没有被检查，结论不完整。常见原因是扫描件页数很多（文字识别很慢）、文件异常庞大，
    或文件内容触发了 nianbao 的缺陷；请核对文件，必要时提高时间上限，或把文件反馈给维护者。

    ## 反例
    `PS006 检查此文件用时超过 120 秒，已停止（其余文件照常检查）……`

    ## 正例
    每个文件都在时间上限内检查完毕，不出现 PS006。
    """

    code = "PS006"
    name = "check-time-limit"
    summary = "检查一个文件用时超过上限"
    severity = Severity.ERROR
    tags = ("parsing",)

    def check(self, document):
        # Reported by the batch runner when a file's check runs out of time.
        return ()
