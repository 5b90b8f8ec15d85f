from __future__ import annotations

from nianbao.plugins.rule import Rule, Severity


class UnreadableFile(Rule):
    """文件无法读取或解码。

    ## 检查什么
    文件不存在、没有读取权限、是目录、过大，或内容不是文本（含二进制数据），或编码无法识别
    （支持 UTF-8（含 BOM）、带 BOM 的 UTF-16、GB18030/GBK 等）。每个文件只报告一次，其余文件照常检查。

    ## 为什么重要
    无法读取的文件等于没有被检查；把 Word、PDF 原件或图片误放进报告目录，也会在这里暴露。

    ## 反例
    `报告.docx` 被当作文本检查：`PS001 不是文本文件（含二进制数据）`。

    ## 正例
    把报告另存为 UTF-8 文本（`.txt`）或 Markdown（`.md`）后再检查。
    """

    code = "PS001"
    name = "unreadable-file"
    summary = "文件无法读取或解码"
    severity = Severity.ERROR
    tags = ("parsing",)

    def check(self, document):
        # Reported by the engine when reading fails: a document that exists was readable.
        return ()
