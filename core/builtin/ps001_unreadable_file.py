from __future__ import annotations

from nianbao.plugins.rule import Rule, Severity


class UnreadableFile(Rule):
    """文件无法读取或解码。

    ## 检查什么
    文件不存在、没有读取权限、是目录、过大；文本文件的编码无法识别（支持 UTF-8、UTF-16、GB18030/GBK、
    Big5）；Word/WPS 文档、网页、PDF、OFD 已损坏、加密、页数过多、读取超时，或带有可被用于攻击的内容
    （压缩炸弹、XML 实体）；读取这种格式的扩展没有安装；或者是 nianbao 不读取的格式（旧版 .doc/.wps、
    Excel、PowerPoint、压缩包、图片等）。说明中写明文件是什么、怎样处理。每个文件只报告一次，其余文件
    照常检查。

    ## 为什么重要
    无法读取的文件等于没有被检查；把表格、图片或旧格式的原件误放进报告目录，也会在这里暴露。

    ## 反例
    `报告.doc` 是旧版 Word 文档：`PS001 是旧版 Word 文档（.doc），nianbao 不读取这种旧格式：请用 Word 或
    WPS 打开后“另存为” .docx……`；没有安装 PDF 扩展时检查 `报告.pdf`：`PS001 是PDF 文件，读取它需要安装
    nianbao 的 pdf 扩展：pip install 'nianbao[pdf]'`。

    ## 正例
    报告以 `.txt`、`.md`、`.docx`、`.html`、`.pdf` 或 `.ofd` 提交，并安装了对应的扩展
    （`pip install 'nianbao[all]'`）。
    """

    code = "PS001"
    name = "unreadable-file"
    summary = "文件无法读取或解码"
    severity = Severity.ERROR
    tags = ("parsing",)

    def check(self, document):
        # Reported by the engine when reading fails: a document that exists was readable.
        return ()
