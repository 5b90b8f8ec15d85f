from __future__ import annotations

from nianbao.plugins.rule import Finding, Rule, Severity

_ENCODING_NAMES = {"utf-8": "UTF-8", "gb18030": "GB18030/GBK"}
# Bytes shown in the message: enough to find them in a hex editor.
_SHOWN_BYTES = 8


class UndecodableBytes(Rule):
    """文件中有无法解码的字节。

    ## 检查什么
    文本文件整体是 UTF-8 或 GB18030/GBK 编码，但有个别地方的字节按这种编码无法解码：文件在一个字的
    中间被截断，或者粘贴进了另一种编码的片段。每一处（连续的坏字节算一处）在它所在的行和列报告一次，
    并写出这些字节；这些地方按一个“�”读入，文件的其余部分照常检查。坏字节太多（超过 1%）时，文件
    无法读取，报告为 PS001。

    ## 为什么重要
    无法解码的地方原来是什么字已经看不出来，可能正是一个数字或机关名称；发布出去就是乱码。

    ## 反例
    GBK 编码的报告中混入了一个 UTF-8 片段，或者文件在“政府”的“政”字中间被截断。

    ## 正例
    用同一种编码重新保存整个文件（推荐 UTF-8），并核对报告的地方是否完整。
    """

    code = "PS005"
    name = "undecodable-bytes"
    summary = "文件中有无法解码的字节"
    severity = Severity.ERROR
    tags = ("parsing", "encoding")

    def check(self, document):
        encoding = _ENCODING_NAMES.get(document.source.encoding, document.source.encoding)
        for span, raw in document.undecodable:
            shown = " ".join(f"{byte:02X}" for byte in raw[:_SHOWN_BYTES]) + (" …" if len(raw) > _SHOWN_BYTES else "")
            yield Finding(
                span,
                f"这里有 {len(raw)} 个字节无法按 {encoding} 解码（{shown}），已按“�”读入：原来的文字已无法辨认，"
                "请检查文件是否被截断或混入了其他编码的内容",
                place=f"bytes:{raw.hex()}",
            )
