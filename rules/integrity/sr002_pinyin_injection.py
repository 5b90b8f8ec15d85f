from __future__ import annotations

import re
import unicodedata

from nianbao.api import Finding, LazyPattern, Rule, Severity, Span
from nianbao.rules.integrity.helpers import section_place

_HANZI = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Lower-case Latin letters, with tone marks precomposed (ā, ǒ, ü …) or combining; a tone digit may
# follow each syllable (gong1). Capitals are left out on purpose: (AI), (PDF), (App) are not pinyin.
_LETTERS = "a-z\u00e0-\u00ff\u0101-\u01dc\u0300-\u036f"
_SYLLABLE = f"[{_LETTERS}]+[1-5]?"
# The look-behind after the bracket: then only places where a bracket stands are tried.
_INSERTED = re.compile(rf"\((?<=[{_HANZI}]\()({_SYLLABLE}(?:[ '\u2019]{_SYLLABLE}){{0,3}})\)")
_SEPARATOR = LazyPattern(r"[ '\u2019]")


class PinyinInjection(Rule):
    """汉字后面被插入了拼音。

    ## 检查什么
    汉字后面紧跟着括号里的汉语拼音，如"公(gong)开""中(zhōng)华人民(mín)共和国"。
    这是被劫持的网页镜像为规避关键词过滤而插入的内容，原报告中没有。

    括号里是网址、文件格式或英文缩写时（"(http://…)""(PDF)""(App)""(AI)"）不会报告：
    只有全部由小写拼音音节（可带声调）组成的括号内容才算。

    ## 为什么重要
    插入拼音说明文本取自被篡改的网页，不是机关发布的原件；这样的文字也妨碍阅读和检索。

    ## 反例
    ```
    根据《中(zhōng)华人民(mín)共和国政府信息公(gong)开条例》
    ```

    ## 正例
    ```
    根据《中华人民共和国政府信息公开条例》
    ```
    """

    code = "SR002"
    name = "pinyin-injection"
    summary = "汉字后插入了拼音"
    severity = Severity.ERROR
    tags = ("source-integrity",)

    def check(self, document):
        text = document.text
        syllables = frozenset(document.lexicon("pinyin").terms("syllables"))
        for match in _INSERTED.finditer(text):
            if not all(_toneless(part) in syllables for part in _SEPARATOR.split(match.group(1))):
                continue
            start, end = match.span()
            context = text[start - 1 : end + 1].strip()
            yield Finding(
                Span(start, end),
                f"疑似被植入拼音“{match.group()}”：“{context}”中的拼音不是报告原文，请删除",
                place=f"{section_place(document, start)}pinyin",
            )


def _toneless(syllable: str) -> str:
    """The syllable without tone marks or tone digit, ü written v (as in the syllable list)."""
    syllable = syllable.rstrip("12345").replace("ü", "v")
    decomposed = unicodedata.normalize("NFD", syllable)
    # ü decomposes to u + diaeresis: keep it apart from the tone marks, which are dropped.
    decomposed = decomposed.replace("u\u0308", "v")
    return "".join(char for char in decomposed if not unicodedata.combining(char))
