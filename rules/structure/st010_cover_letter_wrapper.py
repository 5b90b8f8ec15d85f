from __future__ import annotations

from nianbao.api import Finding, Related, Rule, Severity, Span
from nianbao.rules.structure.sections import structure_data


class CoverLetterWrapper(Rule):
    """公开的是报送年度报告的"函"，而不是年度报告本身。

    ## 检查什么
    文本中出现公文"函"的用语：报送用语（"现将我局2020年政府信息公开工作年度报告报来"
    "现将……报上"）、呈请用语（"请审示""请审阅""请审定"）、函的结束语（"特此函告"）、
    单独一行的函的文号（"某商务函〔2021〕3号"）或"关于报送……年度报告的函"这样的标题。
    诊断指向第一处这样的用语，其余的作为相关位置列出。

    引用文件（"根据国办公开办函〔2019〕60号"）和"现将……情况报告如下"这样的报告自身用语
    不算。

    ## 为什么重要
    年度报告是面向社会公众发布的，而报送函是机关之间的内部公文。把函连同报告一起发布，说明
    发布前没有整理；有时正文只是"现将报告报来，请审示"，真正的报告作为附件没有公开。

    ## 反例
    ```
    新商务函〔2021〕3号
    市政府办公室：
    现将我局2020年政府信息公开工作年度报告报来，请审示。
    ```

    ## 正例
    ```
    新余市商务局2020年政府信息公开工作年度报告
    本报告根据《中华人民共和国政府信息公开条例》要求编制……
    ```
    """

    code = "ST010"
    name = "cover-letter-wrapper"
    summary = "公开的文本是报送报告的函（现将…报来、请审示、函的文号）"
    severity = Severity.WARNING
    tags = ("structure",)

    def check(self, document):
        found: list[tuple[Span, str]] = []
        for phrase in structure_data().cover_letter:
            for match in phrase.pattern.finditer(document.text):
                start, end = match.span()
                # A pattern anchored to a whole line also takes its indentation: point at the words.
                matched = match.group(0)
                start += len(matched) - len(matched.lstrip())
                end -= len(matched) - len(matched.rstrip())
                found.append((Span(start, end), phrase.label))
        if not found:
            return
        found.sort(key=lambda item: item[0].start)
        (span, label), others = found[0], found[1:]
        yield Finding(
            span,
            f"公开的文本中有{label}“{document.text_at(span)}”：这是报送年度报告的函，应公开年度报告本身",
            related=tuple(Related(other, kind) for other, kind in others),
            place="cover-letter",
        )
