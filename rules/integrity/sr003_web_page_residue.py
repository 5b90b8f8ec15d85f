from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from nianbao.api import Finding, LazyPattern, Lexicon, Option, Rule, Severity, Span
from nianbao.rules.integrity.helpers import group_nearby, section_place

# What may sit between links of a row of site chrome: spaces, bars, brackets, bullets.
_LINK_SEPARATORS = " \t|｜丨/·•【】[]()<>-—:"
# Residue pieces only this far apart (blank lines, separators) make one place; so do pieces on
# one line without sentence punctuation between them (a footer: 版权所有：某某市政府 京ICP备…).
_BETWEEN_PIECES = LazyPattern(r"[\s|｜丨/·•【】\[\]]*|[^\n。，,；;！!？?]{0,30}")
# Breadcrumb arrows after the root link ("首页 > 政务公开", "首页>>信息公开", "首页 » …").
_ARROW = r"\s*(?:>>|>|»|›|→|/)\s*\S"


@dataclass(frozen=True)
class _Piece:
    start: int
    end: int
    kind: str  # "phrase" or "breadcrumb"


class WebPageResidue(Rule):
    """报告中残留了网页的导航、功能或版权文字。

    ## 检查什么
    从网站复制报告时带入的网页元素：导航路径（"当前位置：首页 > 政务公开 > …"）、
    "字号：大 中 小"、"扫一扫在手机打开当前页面"、"打印本页""关闭窗口"、页脚的"版权所有"和备案号，
    以及单独成行的链接文字（"相关词条""热门词条""联络我们""上一篇"）。相邻的几处合并为一处报告。

    "联系我们""上一篇"等词出现在句子中间时不算：只有整行都是这类链接文字时才报告。
    可用选项 `extra_phrases`（字符串列表）补充本地网站特有的残留文字。

    ## 为什么重要
    这些文字不是报告的内容，说明文本是从网页上复制的而非取自原件；发布或报送这样的文本显得不规范，
    也可能夹带了网页上的其他内容。

    ## 反例
    ```
    当前位置：首页 > 政务公开 > 政府信息公开年报
    ……（报告正文）
    相关词条
    热门词条
    联络我们
    ```

    ## 正例
    ```
    ……（只有报告正文）
    ```
    """

    code = "SR003"
    name = "web-page-residue"
    summary = "残留网页导航或功能文字"
    severity = Severity.WARNING
    options = (Option("extra_phrases", list, [], "补充的网页残留文字（字符串列表），出现即报告", item_type=str),)
    tags = ("source-integrity",)

    def check(self, document):
        text = document.text
        lexicon = document.lexicon("web_residue", [{"anywhere": self.config["extra_phrases"]}])
        pieces = sorted(_residue_pieces(text, lexicon), key=lambda piece: (piece.start, -piece.end))
        for group in group_nearby(text, pieces, _BETWEEN_PIECES):
            start, end = group[0].start, max(piece.end for piece in group)
            # Quoted as written (相關詞條 in a Traditional page), so the author can find it.
            written_start, written_end = document.normalized.original_range(Span(start, end))
            snippet = " ".join(document.normalized.original[written_start:written_end].split())
            if any(piece.kind == "breadcrumb" for piece in group):
                message = f"网页残留的导航路径“{snippet}”：不属于报告正文，应删除"
            else:
                message = f"网页残留内容“{snippet}”：复制网页时带入的网站导航或功能文字，不属于报告正文，应删除"
            yield Finding(Span(start, end), message, place=f"{section_place(document, start)}web-residue")


def _residue_pieces(text: str, lexicon: Lexicon):
    for start, end, _ in lexicon.finditer("anywhere", text):
        yield _Piece(start, end, "phrase")
    for pattern in _patterns(lexicon):
        for match in pattern.finditer(text):
            yield _Piece(match.start(), match.end(), "phrase")
    yield from _breadcrumbs(text, lexicon)
    yield from _link_lines(text, lexicon)
    yield from _link_rows(text, lexicon)


def _patterns(lexicon: Lexicon) -> list[re.Pattern[str]]:
    return [_compiled(term.get("regex")) for term in lexicon.entries("patterns") if term.get("regex")]


@lru_cache(maxsize=64)
def _compiled(source: str) -> re.Pattern[str]:
    return re.compile(source, re.IGNORECASE)


def _lines(text: str):
    """(start, end) of every line, without its line break."""
    start = 0
    for line in text.split("\n"):
        yield start, start + len(line)
        start += len(line) + 1


def _breadcrumbs(text: str, lexicon: Lexicon):
    """From a breadcrumb marker (当前位置:) or a root link followed by an arrow at the start of a
    line, to the end of that line."""
    markers = "|".join(re.escape(term) for term in lexicon.terms("breadcrumb_markers"))
    roots = "|".join(re.escape(term) for term in lexicon.terms("breadcrumb_roots"))
    opening = re.compile(rf"(?:{markers})\s*:|^[ \t]*(?:{roots}){_ARROW}", re.MULTILINE)
    for match in opening.finditer(text):
        line_end = text.find("\n", match.start())
        line_end = len(text) if line_end == -1 else line_end
        start = match.start() + (len(match.group()) - len(match.group().lstrip(" \t")))
        yield _Piece(start, max(_content_end(text, match.start(), line_end), match.end()), "breadcrumb")


def _link_lines(text: str, lexicon: Lexicon):
    """Whole lines opened by 上一篇: and the like."""
    openers = "|".join(re.escape(term) for term in lexicon.terms("line_openers"))
    for match in re.finditer(rf"^[ \t]*(?:{openers})", text, re.MULTILINE):
        line_end = text.find("\n", match.start())
        line_end = len(text) if line_end == -1 else line_end
        start = match.start() + len(match.group()) - len(match.group().lstrip(" \t"))
        yield _Piece(start, max(_content_end(text, match.start(), line_end), match.end()), "phrase")


def _content_end(text: str, start: int, line_end: int) -> int:
    """Where text[start:line_end] ends without its trailing spaces (a slice of the line only:
    slicing from the start of the text would cost its length per line)."""
    segment = text[start:line_end]
    return line_end - (len(segment) - len(segment.rstrip()))


def _link_rows(text: str, lexicon: Lexicon):
    """Lines made only of link words (相关词条, 联络我们, 【打印】【关闭】)."""
    words = re.compile(
        "|".join(
            re.escape(term)
            for term in sorted({*lexicon.terms("standalone"), *lexicon.terms("anywhere")}, key=len, reverse=True)
        ),
        re.IGNORECASE,
    )
    separators = re.escape(_LINK_SEPARATORS)
    row = re.compile(rf"[{separators}]*(?:(?:{words.pattern})[{separators}]*)+", re.IGNORECASE)
    for start, end in _lines(text):
        line = text[start:end]
        if not line.strip():
            continue
        if row.fullmatch(line):
            stripped_start = start + len(line) - len(line.lstrip())
            yield _Piece(stripped_start, start + len(line.rstrip()), "phrase")
