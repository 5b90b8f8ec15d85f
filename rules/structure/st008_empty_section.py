from __future__ import annotations

import re
from typing import Any

from nianbao.api import (
    Finding,
    Heading,
    Node,
    Option,
    Paragraph,
    Rule,
    Severity,
    SubSection,
)

# What is left of a body once punctuation, spacing and placeholder marks are taken away.
_NOT_CONTENT = re.compile(r"[\s\W_×xX]+")
# A body with fewer characters than this says nothing, unless it is one of `empty_bodies`.
MIN_CONTENT_CHARACTERS = 2


class EmptySection(Rule):
    """标题下面没有内容。

    ## 检查什么
    一级标题（一、二、三……）和二级标题（（一）（二）……）下面没有任何正文、表格或下级标题，
    或者只有标点、省略号、"××"之类的占位符。"无""暂无"是正文：没有可报告的事项时写"无"正是
    正确的做法。诊断指向空着的标题。

    选项：
    - `empty_bodies`（字符串列表，默认 `["无"]`）：表示"没有"的很短的正文，视为有内容。
      正文去掉标点后不足两个字时，只有列在这里的才算有内容。
    - `sub_sections`（默认 true）：是否也检查二级标题。

    ## 为什么重要
    只有标题、没有内容的部分，往往是套用模板后忘了填写，或者转存时内容丢失。读者无法判断是
    "没有发生"还是"漏写了"；没有可报告的事项应明确写"无"。

    ## 反例
    ```
    六、其他需要报告的事项
    （落款）
    ```

    ## 正例
    ```
    六、其他需要报告的事项
    无。
    ```
    """

    code = "ST008"
    name = "empty-section"
    summary = "标题下面没有内容（“无”也是内容）"
    severity = Severity.WARNING
    options = (
        Option("empty_bodies", list, ["无"], "表示“没有”的很短的正文（字符串列表），视为有内容"),
        Option("sub_sections", bool, True, "是否也检查二级标题（（一）（二）……）"),
    )
    tags = ("structure",)

    @classmethod
    def resolve_options(cls, given: dict[str, Any]) -> dict[str, Any]:
        resolved = super().resolve_options(given)
        for item in resolved["empty_bodies"]:
            if not isinstance(item, str) or not _content(item):
                raise ValueError(f"规则 {cls.code}：选项 empty_bodies 的每一项应为非空的文字，得到 {item!r}")
        return resolved

    def check(self, document):
        accepted = {_content(text) for text in self.config["empty_bodies"]}
        for section in document.report.sections:
            yield from self._check(document, section.heading, section.body, accepted, f"section:{_ordinal(section.heading)}")
            if not self.config["sub_sections"]:
                continue
            for node in section.body:
                if isinstance(node, SubSection) and node.heading.level == 2:
                    place = f"section:{_ordinal(section.heading)}/{_ordinal(node.heading)}"
                    yield from self._check(document, node.heading, node.body, accepted, place)
        if self.config["sub_sections"]:
            for node in document.report.preamble:
                if isinstance(node, SubSection) and node.heading.level == 2:
                    yield from self._check(document, node.heading, node.body, accepted, f"preamble/{_ordinal(node.heading)}")

    def _check(self, document, heading: Heading, body: list[Node], accepted: set[str], place: str):
        if any(not isinstance(node, Paragraph) for node in body):
            return  # a table or a sub-heading is content
        written = _same_line_rest(document.text, heading) + "".join(node.text for node in body)
        content = _content(written)
        if len(content) >= MIN_CONTENT_CHARACTERS or content in accepted:
            return
        shown = document.text_at(heading.span)
        if written.strip():
            message = f"“{shown}”下面没有实际内容（只有“{written.strip()}”）"
        else:
            message = f"“{shown}”下面没有内容"
        message += "：没有可报告的事项时应写明“无”"
        yield Finding(heading.span, message, place=place)


def _same_line_rest(text: str, heading: Heading) -> str:
    """Text after the heading's title on its own line ("六、其他需要报告的事项：无"): the parser
    keeps it as a paragraph only for sub-headings."""
    line_end = text.find("\n", heading.span.end)
    return text[heading.span.end : len(text) if line_end == -1 else line_end]


def _content(text: str) -> str:
    return _NOT_CONTENT.sub("", text)


def _ordinal(heading: Heading) -> str:
    return heading.ordinal.rstrip("、.").strip()
