from __future__ import annotations

from nianbao.api import (
    Finding,
    Option,
    Rule,
    Severity,
    approximation_words,
    document_sentences,
)
from nianbao.rules.narrative.figures import is_count
from nianbao.rules.narrative.lexicon import narrative_lexicon


class ApproximateCount(Rule):
    """统计数字写成了约数（"5余条""100多件"）。

    ## 检查什么
    讲政府信息公开工作的统计数字带"余""多""左右""上下"的：发布信息"20余条"、上报信息"100余条"、
    "宣传报道50余篇"。只看件、条、篇、次等计数单位的数字，并且所在分句说的是信息发布、申请办理、
    解读回应、培训会议等本报告统计的工作（词表见 `nianbao/data/narrative.toml` 的
    `[approximate]`）；"十余年""二十多个国家""日均阅读量3000多人次"不报告。诊断指向数字和约数词。

    选项 `words` 可以改变检查的约数词，例如加上"约""近""超过"。

    ## 为什么重要
    年度报告是统计报告，数据应当准确到个位，读者和上级汇总时需要确切的数字。"5余条"这种写法
    本身也不通（不到 10 的数没有"余"），说明数据是估出来的。

    ## 反例
    ```
    公开突发事件应急处置预案、监测预警信息5余条。
    ```

    ## 正例
    ```
    公开突发事件应急处置预案、监测预警信息7条。
    ```
    """

    code = "NR004"
    name = "approximate-count"
    summary = "统计数字写成约数（N余条、N多件）"
    severity = Severity.WARNING
    options = (
        Option("words", list, ["余", "多", "左右", "上下"], "视为约数的词（字符串列表），可选：余、多、左右、上下、约、近、逾、超过、将近、接近、大约"),
    )
    tags = ("narrative",)

    @classmethod
    def resolve_options(cls, given):
        resolved = super().resolve_options(given)
        known = approximation_words()
        unknown = [word for word in resolved["words"] if word not in known]
        if unknown:
            raise ValueError(f"规则 {cls.code}：选项 words 中的 {unknown!r} 不是约数词；可选：{'、'.join(sorted(known))}")
        return resolved

    def check(self, document):
        lexicon = narrative_lexicon()
        words = set(self.config["words"])
        for sentence in document_sentences(document):
            for figure in sentence.figures:
                mention = figure.mention
                if not mention.approximate or mention.approx_word not in words or not is_count(figure, lexicon):
                    continue
                clause = sentence.clause_at(figure.start)
                clause_text = sentence.at(clause.start, clause.end)
                if not any(word in clause_text for word in lexicon.statistic_words):
                    continue
                if any(word in sentence.at(clause.start, figure.start) for word in lexicon.average_words):
                    continue
                yield Finding(
                    figure.span,
                    f"统计数字“{mention.text}”是约数（“{mention.approx_word}”）：年度报告的统计数据应写确切的数字",
                    place=f"{document.place_prefix(figure.start)}approximate:{mention.text}",
                )
