from __future__ import annotations

import sys
from itertools import groupby
from operator import itemgetter
from typing import Iterable, Iterator

from nianbao.api import Corpus, CorpusFinding, CorpusRule, Option, RelatedIn, Severity

from nianbao.rules.crossreport.similarity import (
    Overlap,
    PassageIndex,
    copied_enough,
    earlier_reports,
    later_of,
    load_minhash,
    ranked,
    similar_pairs,
    span,
)

MAX_RUNS = 3
"""Copied passages shown per finding: the longest runs of consecutive copied sentences."""

MAX_OTHER_BODIES = 3
"""Other bodies' reports named per checked report (the closest ones); a template copied by many
bodies would otherwise name them all."""

NEEDS_EXTRA = (
    "nianbao: 警告：XR004 比较不同机关的报告需要安装 nianbao 的 corpus 扩展：pip install 'nianbao[corpus]'；"
    "本次只与同一机关往年的报告比较"
)


class DuplicatedContent(CorpusRule):
    """报告的文字大段照抄本机关上一年的报告，或照抄其他机关的报告。

    ## 检查什么
    把每份报告按句切开，去掉数字、日期、标点和本机关的名称后比较：改了数字、年份或把机关名称换掉，
    仍算同一句。一份报告里与另一份报告相同的句子，按字数占全文的比例达到 `threshold`（默认 60%），
    且相同的句子不少于 `min-passages` 句时报告。比较的对象：

    - 同一机关往年的报告（检查的文件或 `--history` 给出的往年报告），取达到比例的最近一年；
    - 其他机关的报告（不同地区也比较），每份报告最多列出最相近的 3 份；已照抄本机关往年报告的，
      只有与其他机关报告相同的比例更高时才另外报告。

    诊断写明相同的比例和被照抄的报告（路径、机关、年份），指向本报告照抄的第一段文字；最长的几段
    （至多 3 段）连续照抄的句子作为相关位置，本报告和对方报告里的位置各列一处。

    不算照抄的套话：格式规定、几乎每份报告都写的句子（规则旁的 `statutory_sentences.toml`，如
    “本报告所列数据的统计期限为……”），以及在足够大的一批报告里（至少 `boilerplate-min-bodies` 个
    机关）超过 `boilerplate-share` 比例的机关都写了的句子。这些句子既不算照抄，也不计入全文字数。

    算在谁头上：同一机关的两份报告，报告后一年的；不同机关的两份报告，报告年度晚的；年度相同时报告
    发布日期晚的；两者都看不出先后时两份都报告，各自指出对方——无从判断谁抄了谁，两个作者都该知道。
    只报告本次检查的文件，`--history` 的往年报告只用来比较。

    比较不同机关的报告用 MinHash 和 LSH 先找出可能相近的报告对（需要 `pip install 'nianbao[corpus]'`，
    未安装时提示一次，只比较同一机关往年的报告），每份报告取其中最相近的 16 份逐一精确计算比例：
    许多机关照抄同一份模板时，工作量仍与报告数成正比。

    ## 为什么重要
    年度报告应写本年度、本机关的工作。整段照抄上一年，说明报告没有反映本年的情况；照抄其他机关的
    报告，连“我局”做了什么都不是自己的。评议中，与往年或其他单位雷同的报告是常见的扣分项。

    ## 反例
    2021 年报告的“总体情况”与 2020 年报告一字不差，只把“2020年”改成“2021年”、把“发布信息125条”
    改成“发布信息130条”；或者乙县商务局的报告把甲县商务局报告里的“甲县商务局”全部换成“乙县商务局”。

    ## 正例
    格式规定的句子照写，总体情况、主动公开、存在的问题和改进措施写本机关本年度实际做了什么、
    下一年打算怎么改。
    """

    code = "XR004"
    name = "duplicated-content"
    summary = "报告大段照抄本机关上一年的报告或其他机关的报告"
    severity = Severity.WARNING
    passages = True
    options = (
        Option("threshold", float, 0.6, "相同的句子按字数占全文的比例达到多少时报告（0–1）"),
        Option("min-passages", int, 5, "相同的句子至少有几句才报告，短报告偶然相同的几句不算"),
        Option("boilerplate-share", float, 0.3, "超过这一比例的机关都写了的句子算作套话，不计（0–1）"),
        Option("boilerplate-min-bodies", int, 20, "至少有这么多机关的报告时才按比例认定套话"),
    )

    def check_corpus(self, corpus: Corpus) -> Iterable[CorpusFinding]:
        threshold, min_passages = self.config["threshold"], self.config["min-passages"]
        index = PassageIndex(corpus, self.config["boilerplate-share"], self.config["boilerplate-min-bodies"])
        own: dict[str, float] = {}
        for record, earlier in earlier_reports(corpus):
            for source in earlier:
                overlap = index.overlap(record, source, MAX_RUNS)
                if copied_enough(overlap, threshold, min_passages):
                    own[record.path] = overlap.share
                    yield _finding(overlap, same_body=True)
                    break
        yield from self._other_bodies(index, threshold, min_passages, own)

    def _other_bodies(self, index: PassageIndex, threshold: float, min_passages: int, own: dict[str, float]) -> Iterator[CorpusFinding]:
        """Findings against other bodies' reports; a report that copies its own earlier report at
        least as much is not also blamed for the other bodies that wrote the same text."""
        datasketch = load_minhash()
        if datasketch is None:
            print(NEEDS_EXTRA, file=sys.stderr)
            return
        found: dict[int, list[Overlap]] = {}
        for position, pairs in groupby(similar_pairs(index, datasketch, threshold, min_passages), key=itemgetter(0)):
            overlaps = []
            for _, other in pairs:
                record, source = index.records[position], index.records[other]
                if later_of(record, source) is False:
                    continue
                overlap = index.overlap(record, source, MAX_RUNS)
                if copied_enough(overlap, threshold, min_passages) and overlap.share > own.get(record.path, 0.0):
                    overlaps.append(overlap)
            if overlaps:
                found[position] = ranked(overlaps)[:MAX_OTHER_BODIES]  # only what is reported is kept
        for position in sorted(found):
            for overlap in found[position]:
                yield _finding(overlap, same_body=False)


def _finding(overlap: Overlap, same_body: bool) -> CorpusFinding:
    record, source = overlap.record, overlap.source
    body = "本机关" if same_body else source.identity.name or source.identity.body or "另一机关"
    whose = f"{body} {source.year} 年的报告" if source.year is not None else f"{body}的报告"
    if same_body:
        why = "年度报告应写本年度的工作，照抄往年说明内容没有更新"
    else:
        why = "年度报告应写本机关自己的工作"
    runs = overlap.runs
    related: list[RelatedIn] = []
    for number, run in enumerate(runs, 1):
        sentences = run.last - run.first + 1
        related.append(RelatedIn(record.path, span(record, run.first, run.last), f"第 {number} 段照抄（{sentences} 句）"))
        related.append(RelatedIn(source.path, span(source, run.source_first, run.source_last), f"第 {number} 段的原文（{whose}）"))
    message = (
        f"本报告 {overlap.share:.0%} 的文字（不计数字、日期、机关名称和法定套话，共 {overlap.copied} 句）"
        f"与{whose}（{source.path}）相同：{why}"
    )
    other = source.identity.body_key or source.path
    return CorpusFinding(
        path=record.path,
        location=record.passages.location(runs[0].first),
        message=message,
        related=tuple(related),
        place=f"copied/{other}/{source.year}",
    )
