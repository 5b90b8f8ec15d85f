from __future__ import annotations

import re
from dataclasses import dataclass

from nianbao.api import (
    Finding,
    LazyPattern,
    Lexicon,
    Option,
    Related,
    Rule,
    Severity,
    Span,
)
from nianbao.rules.integrity.helpers import section_place

# ASCII words, not inside a domain or an e-mail address (preceded by . @ /), where SR006 looks
# instead. Mixed with digits they have the shape of gambling brand tokens (beat365, 365bet,
# bte365); in letters only they are brands when listed or told by their context.
# (Each look-behind follows the first character it guards: the engine then skips at once the
# places where no such character stands, several times faster.)
_ASCII_WORD = re.compile(r"[A-Za-z0-9](?<![A-Za-z0-9.@/].)[A-Za-z0-9]*(?![A-Za-z0-9])")
_NUMBER = re.compile(r"[0-9](?<![A-Za-z0-9.].)[0-9]{1,3}(?![A-Za-z0-9])")
# An unlisted Latin word is read as a brand only in the shape of gambling site names: a Chinese
# name in lowercase pinyin of this many syllables or more (xingkong, wanbo), not English words
# (Windows, Sports) or abbreviations (PDF, OA).
_MIN_BRAND_SYLLABLES = 2
# What may join the pieces of one injected run: beat365体育亚洲入口_365bet最新备用_bte365,
# 开云体育(kaiyun)官方网站.
_JOINER = re.compile(r"[ \t_\-|/·~()\[\]【】]{0,3}")
# Two spam stretches on one line this close, without sentence punctuation between, are one place
# (国产精品久久久久久一区二区).
_NEARBY_GAP = LazyPattern(r"[^。，,；;！!？?\n]{0,6}")
_CLOSING = {"(": ")", "[": "]", "【": "】"}

_CATEGORY_LABELS = {"gambling": "博彩", "lottery": "彩票", "porn": "色情"}
# Lexicon sections and the kind of piece (and category) their matches are.
_SECTION_PIECES = (
    ("brands", "brand", "gambling"),
    ("gambling_phrases", "phrase", "gambling"),
    ("lottery_phrases", "phrase", "lottery"),
    ("porn_phrases", "phrase", "porn"),
    ("ambiguous_brands", "ambiguous", "gambling"),
    ("latin_brands", "latin_brand", "gambling"),
    ("lottery_places", "lottery_place", "lottery"),
    ("lottery_words", "lottery_word", "lottery"),
    ("strong_suffixes", "strong", "gambling"),
    ("weak_suffixes", "weak", "gambling"),
    ("fillers", "filler", "gambling"),
)
_SECTIONS = tuple(section for section, _, _ in _SECTION_PIECES)
# Kinds of piece, by priority when two overlap at one position.
_PRIORITY = {
    kind: rank
    for rank, kind in enumerate(
        ("brand", "phrase", "ambiguous", "latin_brand", "token", "lottery_place", "lottery_word")
        + ("strong", "weak", "filler", "latin", "number")
    )
}
# Pieces that say what is advertised; the first of a run gives its category.
_TELLING = ("brand", "phrase", "token", "ambiguous", "latin_brand", "latin", "lottery_place", "lottery_word")
# Neutral pieces trimmed from the start and the end of a run.
_LEADING_EDGE = ("weak", "filler", "number")
_TRAILING_EDGE = ("filler", "number")


@dataclass(frozen=True)
class _Piece:
    start: int
    end: int
    kind: str
    category: str = "gambling"
    generic: bool = False
    brand_shaped: bool = False
    """A token with at least two letters and two digits (beat365, not P2P or e12345)."""
    gambling: bool = False
    """A strong word that says gambling (体育, 真人, 投注), not just an ad (官网, 网址)."""
    weak_tip: bool = False
    """A lottery tip word that only counts beside a place (开奖, 资料)."""
    term: str = ""


@dataclass(frozen=True)
class _Run:
    start: int
    end: int
    category: str


class _Pinyin:
    """Toneless pinyin syllables, for telling a Latin word that spells a Chinese name."""

    def __init__(self, syllables: frozenset[str]) -> None:
        self.syllables = syllables
        self.longest = max(map(len, syllables), default=0)

    def syllable_count(self, word: str) -> int:
        """The fewest syllables ``word`` is spelt in; 0 when it is not pinyin."""
        fewest = [0] + [-1] * len(word)  # fewest[i]: syllables spelling word[:i], -1 when none do
        for end in range(1, len(word) + 1):
            for start in range(max(0, end - self.longest), end):
                if fewest[start] < 0 or word[start:end] not in self.syllables:
                    continue
                if fewest[end] < 0 or fewest[start] + 1 < fewest[end]:
                    fewest[end] = fewest[start] + 1
        return max(fewest[-1], 0)


class InjectedSpam(Rule):
    """正文中混入了博彩、彩票或色情广告。

    ## 检查什么
    报告文字中出现博彩、彩票、色情网站的广告词，常见于从被劫持的政府网站镜像转载的文本：

    - 博彩品牌词（如 beat365、365bet、bte365、威廉希尔）与"体育、官网、入口、备用、网址、app下载、娱乐"
      等词连成一串，或"买球""真人荷官"之类的广告语；
    - 只用拉丁字母写的博彩品牌（如 kaiyun、hth、leyu、ayx，"开云体育(kaiyun)官方网站"）与广告词相连；
      不在品牌名单上的拉丁字母词，只有是小写的汉语拼音（网站名的写法）、紧挨"体育、娱乐、真人、投注"
      等博彩用语、且同一串里还有另一个广告词时才算（"xingkong体育官网"）；
    - 六合彩、香港/澳门"资料""图库""开奖"等彩票"资料站"横幅（"新澳门资料大全""香港开奖_图库"），
      以及"一肖一码""时时彩""特码"之类的彩票广告语；
    - "国产精品""一区二区"之类的色情广告语。

    广告顶替了地名或机关名称时（"beat365体育亚洲入口_365bet最新备用_bte365市商务局"），每一处都会
    单独指出；同一段广告在全文重复出现时只报告一次（第一处），其余各处列为相关位置。

    "体育局""成人教育""平台建设""门户网站""体育彩票"等正常用语不会被报告：只有与品牌词相连，
    或者本身就是广告语时才算。法规的英文名称、"PDF""WPS""OFD"、机构英文缩写、网址中的字母也不会
    被当作品牌；彩票机构公开"开奖结果"、政府网站的"图库"栏目之类单独出现的词同样不报告。

    可用选项 `extra_brands`（字符串列表）补充本地发现的品牌词。

    ## 为什么重要
    这类文字说明报告文本被篡改，或取自被黑客篡改的网页。公开这样的报告会损害机关公信力，
    地名、机关名称被替换还会让报告失去归属。

    ## 反例
    ```
    完善《beat365体育亚洲入口_365bet最新备用_bte365市商务局政府信息公开指南》
    ```

    ## 正例
    ```
    完善《某某市商务局政府信息公开指南》
    ```
    """

    code = "SR001"
    name = "injected-spam"
    summary = "正文混入博彩、彩票或色情广告"
    severity = Severity.ERROR
    options = (
        Option("extra_brands", list, [], "补充的博彩品牌词（字符串列表），出现即报告", item_type=str),
        Option("extra_phrases", list, [], "补充的广告语（字符串列表），按博彩类报告", item_type=str),
    )
    tags = ("source-integrity",)

    def check(self, document):
        text = document.text
        lexicon = document.lexicon(
            "spam", [{"brands": self.config["extra_brands"], "gambling_phrases": self.config["extra_phrases"]}]
        )
        body = document.facts.body

        def replaced_name(run: _Run) -> str | None:
            return _replaced_name(text, run.start, run.end, body, lexicon)

        def written(run: _Run) -> str:
            start, end = document.normalized.original_range(Span(run.start, run.end))
            return document.normalized.original[start:end]  # as written, for finding it

        pinyin = _Pinyin(frozenset(document.lexicon("pinyin").terms("syllables")))
        runs = _merge_nearby(text, list(_spam_runs(text, lexicon, pinyin)), replaced_name)
        # The same advertisement repeated (a banner on every page) is one finding; each tampered
        # name stays a place of its own, since each needs its own name restored.
        repeated: dict[tuple[str, str], list[_Run]] = {}
        for run in runs:
            replaced = replaced_name(run)
            place = f"{section_place(document, run.start)}spam:{run.category}"
            label = _CATEGORY_LABELS[run.category]
            if replaced is not None:
                restore = "地名" if replaced.endswith("地名") else replaced
                message = f"疑似被篡改：{replaced}被替换为{label}广告“{written(run)}”，请按原件恢复{restore}"
                yield Finding(Span(run.start, run.end), message, place=place)
                continue
            repeated.setdefault((run.category, text[run.start : run.end].casefold()), []).append(run)
        for same in repeated.values():
            first = same[0]
            snippet = written(first)
            count = f"（全文共 {len(same)} 处）" if len(same) > 1 else ""
            label = _CATEGORY_LABELS[first.category]
            yield Finding(
                Span(first.start, first.end),
                f"疑似被植入{label}广告“{snippet}”{count}：报告文本可能被篡改或转载自被劫持的网页，请删除并核对原件",
                related=tuple(Related(Span(run.start, run.end), f"同样的广告“{written(run)}”") for run in same[1:]),
                place=f"{section_place(document, first.start)}spam:{first.category}",
            )


def _pieces(text: str, lexicon: Lexicon, pinyin: _Pinyin) -> list[_Piece]:
    """Every piece a spam run can be made of, overlaps resolved in favour of the longer, then
    the more telling piece."""
    found: list[_Piece] = []
    matches = lexicon.scan(text, _SECTIONS)  # every section in one pass over the text
    for section, kind, category in _SECTION_PIECES:
        for start, end, term in matches[section]:
            if kind == "latin_brand" and _in_address(text, start, end):
                continue
            found.append(
                _Piece(
                    start,
                    end,
                    kind,
                    category,
                    generic=bool(term.get("generic")),
                    gambling=bool(term.get("gambling")),
                    weak_tip=bool(term.get("weak")),
                    term=term.text,
                )
            )
    legit = {token.casefold() for token in lexicon.terms("legit_tokens")}
    for match in _ASCII_WORD.finditer(text):
        token = match.group()
        if token.casefold() in legit:
            continue
        if token.isdigit():
            continue
        digits = 0 if token.isalpha() else sum(map(str.isdigit, token))
        letters = len(token) - digits
        if digits and len(token) >= 3:
            shaped = digits >= 2 and letters >= 2
            found.append(_Piece(match.start(), match.end(), "token", brand_shaped=shaped))
        elif (
            token.islower()
            and pinyin.syllable_count(token) >= _MIN_BRAND_SYLLABLES
            and not _in_address(text, match.start(), match.end())
        ):
            found.append(_Piece(match.start(), match.end(), "latin", term=token))
    for match in _NUMBER.finditer(text):
        found.append(_Piece(match.start(), match.end(), "number"))
    found.sort(key=lambda piece: (piece.start, -(piece.end - piece.start), _PRIORITY[piece.kind]))
    kept: list[_Piece] = []
    for piece in found:
        if kept and piece.start < kept[-1].end:
            continue
        kept.append(piece)
    return kept


def _in_address(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is a part of a web or e-mail address (kaiyun.com, leyu@x.cn, a@leyu.cn)."""
    following = text[end + 1 : end + 2]
    return (
        text[start - 1 : start] in (".", "@", "/")
        or text[end : end + 1] == "@"
        or (text[end : end + 1] == "." and following.isascii() and following.isalnum())
    )


def _spam_runs(text: str, lexicon: Lexicon, pinyin: _Pinyin):
    """Maximal runs of adjacent pieces that make up an advertisement."""
    group: list[_Piece] = []
    for piece in _pieces(text, lexicon, pinyin):
        if group and not _JOINER.fullmatch(text, group[-1].end, piece.start):
            yield from _judge(text, group)
            group = []
        group.append(piece)
    if group:
        yield from _judge(text, group)


def _judge(text: str, group: list[_Piece]):
    """The run in ``group`` if it is spam, trimmed of neutral words at its edges (and taking the
    bracket it opened: 开云体育(kaiyun))."""
    if not _is_spam(group):
        return
    first = 0
    while group[first].kind in _LEADING_EDGE:
        first += 1
    last = len(group) - 1
    while group[last].kind in _TRAILING_EDGE:
        last -= 1
    telling = next((piece for piece in group[first : last + 1] if piece.kind in _TELLING), group[first])
    start, end = group[first].start, group[last].end
    stretch = text[start:end]
    for opening, closing in _CLOSING.items():
        if stretch.count(opening) > stretch.count(closing) and text.startswith(closing, end):
            end += 1
    yield _Run(start, end, telling.category)


def _is_spam(group: list[_Piece]) -> bool:
    kinds = [piece.kind for piece in group]
    if "brand" in kinds or "phrase" in kinds:
        return True
    tokens = kinds.count("token")
    words = sum(kind in ("strong", "weak", "filler") for kind in kinds)
    if tokens >= 2 and words:
        return True
    # Two different tip words make a lottery tip-site banner (图库_资料大全).
    if len({piece.term for piece in group if piece.kind == "lottery_word" and not piece.weak_tip}) >= 2:
        return True
    # Beside a word brand only 体育, 娱乐 … (generic) could be a real name (半岛体育中心,
    # 银河娱乐集团): it takes a second ad word of the run (金沙体育平台).
    ad_words = len({piece.term for piece in group if piece.kind in ("strong", "weak")})
    for index, piece in enumerate(group):
        neighbours = group[max(index - 1, 0) : index] + group[index + 1 : index + 2]
        if piece.kind == "token":
            if any(other.kind == "strong" for other in neighbours):
                return True
            # 入口, 平台 … are common beside standards and models (P2P平台, IPv6平台); beside a
            # brand-like token with several letters and several digits they mark an advert.
            if any(other.kind == "weak" for other in neighbours) and piece.brand_shaped:
                return True
        if piece.kind == "ambiguous":
            strong = [other for other in neighbours if other.kind == "strong"]
            if any(not other.generic for other in strong):
                return True
            if strong and ad_words >= 2:
                return True
        if piece.kind == "latin_brand" and any(other.kind in ("strong", "weak") for other in neighbours):
            return True
        # An unlisted pinyin word: alone (not a word of a Latin name) beside a word that says
        # gambling, with a second, different ad word in the run (xingkong体育官网).
        if (
            piece.kind == "latin"
            and not any(other.kind in ("latin", "latin_brand") for other in neighbours)
            and any(other.kind == "strong" and other.gambling for other in neighbours)
            and ad_words >= 2
        ):
            return True
        if piece.kind == "lottery_place" and any(other.kind == "lottery_word" for other in neighbours):
            return True
    return False


def _merge_nearby(text: str, runs: list[_Run], replaced_name) -> list[_Run]:
    """Runs of one category close together on a line as one place, unless the earlier one
    stands in for a name: each tampered name is a place of its own."""
    merged: list[_Run] = []
    for run in runs:
        if (
            merged
            and merged[-1].category == run.category
            and _NEARBY_GAP.fullmatch(text, merged[-1].end, run.start)
            and replaced_name(merged[-1]) is None
        ):
            merged[-1] = _Run(merged[-1].start, run.end, run.category)
        else:
            merged.append(run)
    return merged


def _replaced_name(text: str, start: int, end: int, body: str | None, lexicon: Lexicon) -> str | None:
    """The kind of name the run stands in for (地名, 机关名称中的地名, 机关名称), judged by what
    follows it; None when it does not take a name's place."""
    following = text[end : end + 12]
    place_suffix = next((suffix for suffix in lexicon.terms("place_suffixes") if following.startswith(suffix)), None)
    if place_suffix is not None:
        after_place = following[len(place_suffix) :]
        if any(after_place.startswith(word) for word in lexicon.terms("organ_words")):
            return "机关名称中的地名"
        return "地名"
    if any(following.startswith(word) for word in lexicon.terms("organ_words")):
        return "机关名称"
    # The body's name from the title, unless the title is itself the spam (a banner first line).
    if body and len(following) >= 2 and following[:2] in body and text[start:end] not in body:
        return "机关名称"
    return None
