from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from nianbao.api import (
    Finding,
    Option,
    Paragraph,
    Rule,
    Severity,
    extract_counts,
    read_toml,
)

from nianbao_wuwei.sections import section_titled

SENTENCE_END = re.compile(r"[。；;！!？?\n]")


@lru_cache(maxsize=1)
def platform_aliases() -> dict[str, tuple[str, ...]]:
    data = read_toml(resources.files("nianbao_wuwei").joinpath("platforms.toml"))
    return {entry["name"]: tuple(entry["aliases"]) for entry in data["platform"]}


class PlatformCountMissing(Rule):
    """主动公开情况没有写明某个平台发布的数量。

    ## 检查什么
    选项 `platforms` 列出的每个发布平台（武威市配置档 wuwei 列出政府网站、政务新媒体、
    政府公报、公示栏），都应在“二、主动公开政府信息情况”的文字中出现，并在同一句里给出数量
    （如“通过政府网站发布信息120条”）。平台的常见叫法（门户网站、政务微博、公开栏……）
    都算。`platforms` 默认为空，此时本规则不检查任何内容。

    ## 为什么重要
    武威市要求主动公开情况按平台分别报告数量，以便核对各平台的公开量；只写“通过多种渠道
    公开信息”无法核对。

    ## 反例
    ```
    二、主动公开政府信息情况
    全年通过政府网站、政务新媒体等渠道主动公开政府信息。
    ```

    ## 正例
    ```
    二、主动公开政府信息情况
    全年通过政府网站发布信息320条，政务新媒体发布215条，政府公报刊登文件12件，
    公示栏张贴公告36期。
    ```
    """

    code = "WW002"
    name = "platform-count-missing"
    summary = "主动公开情况缺少某个平台的发布数量"
    severity = Severity.WARNING
    eras = frozenset({"2019", "2021"})
    options = (Option("platforms", list, [], "须分别写明发布数量的平台，如 [\"政府网站\", \"公示栏\"]"),)
    tags = ("local", "wuwei")

    @classmethod
    def resolve_options(cls, given):
        resolved = super().resolve_options(given)
        if not all(isinstance(item, str) and item.strip() for item in resolved["platforms"]):
            raise ValueError(f"规则 {cls.code}：选项 platforms 应为非空字符串的列表")
        return resolved

    def check(self, document):
        platforms = self.config["platforms"]
        if not platforms:
            return
        section = section_titled(document, "主动公开", 2)
        if section is None:
            return
        sentences = [
            sentence
            for paragraph in section.walk()
            if isinstance(paragraph, Paragraph)
            for sentence in SENTENCE_END.split(document.text_at(paragraph.span))
            if extract_counts(sentence)
        ]
        aliases = platform_aliases()
        for platform in platforms:
            words = aliases.get(platform, (platform,))
            if any(word in sentence for sentence in sentences for word in words):
                continue
            yield Finding(
                section.heading.title_span,
                f"“{section.title}”没有写明通过“{platform}”公开的数量（要求分平台报告：{'、'.join(platforms)}）",
                place=f"section:二/platform:{platform}",
            )
