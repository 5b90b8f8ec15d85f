"""SR001–SR007 (source integrity): case files through the real engine, the seeds, the lexicons
and a few properties."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from nianbao.config.files import ConfigResolver
from nianbao.engine.linter import Linter
from nianbao.plugins.hookspecs import hookimpl
from nianbao.plugins.manager import load_plugins
from nianbao.plugins.rule import Severity
from nianbao.rules.integrity.helpers import group_nearby
from nianbao.testing import compare, lint_text, load_cases
from nianbao.variants.lexicon import LexiconError, lexicon_names, load_lexicon

HERE = Path(__file__).resolve().parent
CASES = HERE / "cases" / "sr"
EXAMPLES = HERE.parent / "docs" / "examples"
SEED_000 = EXAMPLES / "000_b67df828cb4a1735.txt"
SEED_004 = EXAMPLES / "004_843d7a1260357fac.txt"

PLUGINS = load_plugins(entry_points=False)
LINTER = Linter(PLUGINS, ConfigResolver(isolated=True))


def sr_diagnostics(text: str, path: str = "case.txt", code_prefix: str = "SR"):
    result = LINTER.lint_bytes(text.encode("utf-8"), path)
    return [diagnostic for diagnostic in result.diagnostics if diagnostic.code.startswith(code_prefix)]


def all_cases():
    return [case for case_file in sorted(CASES.glob("*.toml")) for case in load_cases(case_file)]


# --- case files --------------------------------------------------------------------------------


@pytest.mark.parametrize("case", all_cases(), ids=lambda case: f"{case.source.stem}:{case.name}")
def test_case(case):
    # Only built-in plugins: installed third-party plugins must not change what SR rules report.
    result = lint_text(case.text, select=case.select, rules=case.rules, plugins=PLUGINS, path=case.path)
    prefixes = (*(case.select or ()), "PS900")  # a crashing rule fails the case
    selected = [d for d in result.diagnostics if d.code.startswith(prefixes)]
    missing, unexpected = compare(case.expect, selected)
    assert not missing and not unexpected, (
        f"missing: {[expected.describe() for expected in missing]}\n"
        f"unexpected: {[(d.line, d.column, d.code, d.message) for d in unexpected]}"
    )


@dataclass(frozen=True)
class Piece:
    start: int
    end: int


def test_nearby_pieces_make_one_run_and_distant_ones_another():
    text = "打印本页 | 关闭窗口\n报告正文。\n版权所有"
    pieces = [Piece(0, 4), Piece(7, 11), Piece(9, 10), Piece(18, 22)]
    separators = re.compile(r"[\s|]*")
    # "打印本页" and "关闭窗口" only have " | " between them; the overlapping piece joins their run;
    # the sentence of the report keeps "版权所有" apart.
    assert list(group_nearby(text, pieces, separators)) == [pieces[:3], pieces[3:]]
    assert list(group_nearby(text, [], separators)) == []


def test_every_sr_rule_has_a_case_file():
    stems = {path.stem.split("_")[0] for path in CASES.glob("sr*.toml")}
    assert {f"sr00{number}" for number in range(1, 8)} <= stems


def test_false_positive_guard_has_at_least_forty_clean_sentences():
    clean = next(case for case in load_cases(CASES / "clean_sentences.toml") if case.expect == ())
    sentences = [line for line in clean.text.splitlines() if line.strip()]
    assert len(sentences) >= 40


# --- the seeds ---------------------------------------------------------------------------------


def test_seed_000_reports_one_sr001_per_tampered_place_at_the_injected_text():
    text = SEED_000.read_text("utf-8")
    injected = "beat365体育亚洲入口_365bet最新备用_bte365"
    expected = set()
    for line_number, line in enumerate(text.split("\n"), 1):
        for match in re.finditer(re.escape(injected), line):
            expected.add((line_number, match.start() + 1, match.end() + 1))
    assert len(expected) == 9 and len({line for line, _, _ in expected}) == 5
    found = {(d.line, d.column, d.location.end_column) for d in sr_diagnostics(text) if d.code == "SR001"}
    assert found == expected
    assert all(d.code == "SR001" for d in sr_diagnostics(text))


def test_seed_004_reports_converted_script_residue_and_lost_characters():
    text = SEED_004.read_text("utf-8")
    diagnostics = sr_diagnostics(text)
    codes = {d.code for d in diagnostics}
    assert codes == {"SR003", "SR004", "SR005"}

    (residue,) = [d for d in diagnostics if d.code == "SR003"]
    assert (residue.line, residue.column, residue.location.end_line, residue.location.end_column) == (85, 1, 89, 5)
    assert "相關詞條 熱門詞條 聯絡我們" in residue.message

    (garbled,) = [d for d in diagnostics if d.code == "SR005"]
    assert (garbled.line, garbled.column, garbled.location.end_column) == (22, 127, 129)

    script = [d for d in diagnostics if d.code == "SR004" and "繁体字" in d.message]
    assert len(script) == 1
    # 福建省商務廳…: 務 is the fifth character, 廳 the sixth.
    assert (script[0].line, script[0].column, script[0].location.end_column) == (1, 5, 7)
    converted = sum(1 for a, b in zip(text, _simplified(text)) if a != b)
    assert f"全文共 {converted} 个繁体字" in script[0].message


def _simplified(text: str) -> str:
    import opencc

    return opencc.OpenCC("t2s").convert(text)


# Taiwan vocabulary as written in seed 004, with the mainland word.
TAIWAN_WORDS = {"檔案": "文件", "網際網路": "互联网", "入口網站": "门户网站", "視窗": "窗口", "程式": "程序", "套用": "应用", "網路": "网络"}


def test_seed_004_reports_every_taiwan_word_place_but_not_the_archive():
    text = SEED_004.read_text("utf-8")
    expected = set()
    for line_number, line in enumerate(text.split("\n"), 1):
        for word, mainland in TAIWAN_WORDS.items():
            for match in re.finditer(word, line):
                if word == "網路" and line[max(0, match.start() - 2) : match.end()] == "網際網路":
                    continue  # part of 網際網路, reported as that
                if word == "檔案" and line[match.end() : match.end() + 1] == "館":
                    continue  # 省檔案館 is an archive: a mainland word
                expected.add((line_number, match.start() + 1, word, mainland))
    assert any(word == "檔案" for *_, word, _ in expected) and len(expected) > 20
    found = set()
    words = []
    for d in sr_diagnostics(text):
        if d.code == "SR004" and "台湾用语" in d.message:
            word, mainland = re.search(r"台湾用语“(.+?)”(?:（全文共 \d+ 处）)?：大陆规范用语为“(.+?)”", d.message).groups()
            words.append(word)
            # One finding per word: its first place, the other places as related locations.
            found.add((d.line, d.column, word, mainland))
            found.update((item.location.line, item.location.column, word, mainland) for item in d.related)
            assert d.severity is Severity.INFO
    assert found == expected
    assert sorted(words) == sorted(set(words))


@pytest.mark.parametrize("seed", ["001_9e37d6351cd66a1a.txt", "002_61bfce714908b168.txt", "003_92d244c9ede656a3.txt"])
def test_clean_seeds_give_no_sr_diagnostic(seed):
    # Seed 002 names its site http://swj.xinyu.gov.cn/: a government domain, so no SR006.
    assert sr_diagnostics((EXAMPLES / seed).read_text("utf-8")) == []


# --- lexicons ----------------------------------------------------------------------------------


def test_every_builtin_lexicon_loads():
    assert {"spam", "pinyin", "web_residue", "taiwan_vocabulary", "garbled", "websites", "personal_information"} <= set(
        lexicon_names()
    )
    for name in lexicon_names():
        lexicon = load_lexicon(name)
        assert lexicon.section_names()


def test_lexicon_is_cached_and_extensions_merge():
    assert load_lexicon("spam") is load_lexicon("spam")
    extended = load_lexicon("spam", [{"brands": ["宝马会"]}])
    assert "宝马会" in extended.terms("brands") and "宝马会" not in load_lexicon("spam").terms("brands")
    assert load_lexicon("spam", [{"brands": ["宝马会"]}]) is extended


def test_extension_terms_are_normalised_like_report_text():
    lexicon = load_lexicon("web_residue", [{"anywhere": ["關閉本網頁", "ＡＢＣ"]}])
    assert "关闭本网页" in lexicon.terms("anywhere") and "ABC" in lexicon.terms("anywhere")


@pytest.mark.parametrize(
    "extension, fragment",
    [
        ({"brandz": ["x"]}, "没有这一类"),
        ({"brands": [3]}, "条目应为字符串或表"),
        ({"brands": [""]}, "不能为空"),
        ({"brands": "beat365"}, "应为列表"),
        ({"brands": [{"name": "x"}]}, "term"),
    ],
)
def test_bad_extensions_are_refused_in_chinese(extension, fragment):
    with pytest.raises(LexiconError, match=fragment):
        load_lexicon("spam", [extension])


def test_vocabulary_pairs_need_their_mainland_word():
    with pytest.raises(LexiconError, match="缺少属性"):
        load_lexicon("taiwan_vocabulary", [{"pairs": ["软体"]}])


def test_unknown_lexicon_is_refused():
    with pytest.raises(LexiconError, match="没有名为"):
        load_lexicon("nonexistent")


def test_context_vetoes_and_ascii_word_boundaries():
    spam = load_lexicon("spam")
    assert [text for *_, text in _found(spam, "gambling_phrases", "买球拍和买球")] == ["买球"]
    assert _found(spam, "porn_phrases", "学习java编程") == []


def _found(lexicon, section, text):
    return [(start, end, text[start:end]) for start, end, _ in lexicon.finditer(section, text)]


class _LexiconPlugin:
    @hookimpl
    def nianbao_lexicons(self):
        return {"spam": {"brands": ["豪门国际"]}}


def test_a_plugin_can_extend_a_lexicon():
    plugins = load_plugins(entry_points=False, extra=[("lexicon-test", _LexiconPlugin())])
    assert plugins.problems == []
    result = lint_text("欢迎访问豪门国际。", select=["SR001"], plugins=plugins)
    assert [(d.code, d.column) for d in result.diagnostics] == [("SR001", 5)]
    assert sr_diagnostics("欢迎访问豪门国际。") == []


# --- options ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code, options",
    [
        ("SR001", {"extra_brands": "beat365"}),
        ("SR001", {"extra_brands": [1]}),
        ("SR003", {"extra_phrases": [""]}),
        ("SR006", {"extra_domains": ["not a domain"]}),
    ],
)
def test_option_types_are_validated(code, options):
    rule = PLUGINS.rule(code).rule
    with pytest.raises(ValueError, match=code):
        rule(options)


# --- properties --------------------------------------------------------------------------------

HANZI_SENTENCE = st.text(alphabet="政府信息公开工作年度报告本机关依申请办理情况全年共收到件", min_size=2, max_size=30)
SYLLABLES = load_lexicon("pinyin").terms("syllables")


@settings(max_examples=40, deadline=None)
@given(sentence=HANZI_SENTENCE, position=st.integers(min_value=1), syllable=st.sampled_from(SYLLABLES))
def test_pinyin_inserted_after_any_character_is_found_where_it_was_put(sentence, position, syllable):
    cut = 1 + position % len(sentence)
    text = f"{sentence[:cut]}({syllable}){sentence[cut:]}"
    diagnostics = sr_diagnostics(text, code_prefix="SR002")
    assert [(d.line, d.column, d.location.end_column) for d in diagnostics] == [(1, cut + 1, cut + 3 + len(syllable))]


SPAM_RUNS = ["beat365体育亚洲入口_365bet最新备用_bte365", "威廉希尔体育", "xyz888体育官网", "重庆时时彩", "国产精品"]


@settings(max_examples=40, deadline=None)
@given(sentence=HANZI_SENTENCE, position=st.integers(min_value=0), spam=st.sampled_from(SPAM_RUNS))
def test_spam_is_reported_once_exactly_where_it_was_inserted(sentence, position, spam):
    cut = position % (len(sentence) + 1)
    text = f"{sentence[:cut]}{spam}{sentence[cut:]}"
    diagnostics = sr_diagnostics(text, code_prefix="SR001")
    assert [(d.line, d.column, d.location.end_column) for d in diagnostics] == [(1, cut + 1, cut + 1 + len(spam))]
    assert sr_diagnostics(sentence) == []


@settings(max_examples=40, deadline=None)
@given(
    sentence=HANZI_SENTENCE,
    abbreviation=st.sampled_from(["PDF", "App", "AI", "GDP", "http://www.gov.cn", "pdf", "OFD"]),
)
def test_parenthesised_abbreviations_are_not_pinyin(sentence, abbreviation):
    assert sr_diagnostics(f"{sentence}({abbreviation})", code_prefix="SR002") == []


ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _check_character(first17: str) -> str:
    return "10X98765432"[sum(int(digit) * weight for digit, weight in zip(first17, ID_WEIGHTS)) % 11]


@settings(max_examples=40, deadline=None)
@given(
    region=st.integers(min_value=110000, max_value=659999),
    birth=st.dates(min_value=datetime.date(1930, 1, 1), max_value=datetime.date(2005, 12, 31)),
    sequence=st.integers(min_value=0, max_value=999),
    wrong=st.integers(min_value=1, max_value=10),
)
def test_resident_ids_are_told_by_their_check_character(region, birth, sequence, wrong):
    first17 = f"{region}{birth:%Y%m%d}{sequence:03d}"
    check = _check_character(first17)
    text = f"申请人身份证号码{first17}{check}，"
    found = [d for d in sr_diagnostics(text) if d.code == "SR007"]
    assert [(d.column, d.location.end_column, d.severity) for d in found] == [(9, 27, Severity.ERROR)]
    assert first17[6:] not in found[0].message  # the diagnostic does not repeat the number
    wrong_check = "10X98765432"[("10X98765432".index(check) + wrong) % 11]
    assert [d for d in sr_diagnostics(f"申请人身份证号码{first17}{wrong_check}，") if d.code == "SR007"] == []


BANNERS = ["xyz888体育官网", "新澳门资料大全", "开云体育(kaiyun)官方网站", "国产精品一区二区"]


@settings(max_examples=30, deadline=None)
@given(
    sentences=st.lists(HANZI_SENTENCE, min_size=2, max_size=5),
    banner=st.sampled_from(BANNERS),
    data=st.data(),
)
def test_a_repeated_advertisement_is_one_finding_with_its_other_places_related(sentences, banner, data):
    # The banner ends some lines (as on every page of a copied web page), never takes a name's place.
    marked = data.draw(st.lists(st.booleans(), min_size=len(sentences), max_size=len(sentences)))
    marked[0] = marked[-1] = True
    lines = [f"{sentence}。{banner}" if mark else f"{sentence}。" for sentence, mark in zip(sentences, marked)]
    places = [(number, len(sentence) + 2) for number, (sentence, mark) in enumerate(zip(sentences, marked), 1) if mark]
    (finding,) = sr_diagnostics("\n".join(lines), code_prefix="SR001")
    assert (finding.line, finding.column, finding.location.end_column) == (*places[0], places[0][1] + len(banner))
    assert [(item.location.line, item.location.column) for item in finding.related] == places[1:]
    assert (f"（全文共 {len(places)} 处）" in finding.message) == (len(places) > 1)


def _single_family_words():
    spam = load_lexicon("spam")
    sections = ("strong_suffixes", "weak_suffixes", "fillers", "ambiguous_brands", "latin_brands")
    sections += ("lottery_words", "lottery_places")
    phrases = {word for section in ("brands", "gambling_phrases", "lottery_phrases") for word in spam.terms(section)}
    # 娱乐城, 百家乐, 博狗 … are also listed as phrases or brands that are spam by themselves.
    return sorted({word for section in sections for word in spam.terms(section)} - phrases)


@settings(max_examples=60, deadline=None)
@given(sentence=HANZI_SENTENCE, position=st.integers(min_value=0), word=st.sampled_from(_single_family_words()))
def test_one_family_word_alone_never_fires(sentence, position, word):
    # 开奖, 图库, 澳门, kaiyun, 体育, 官网 … each say nothing about spam by themselves.
    cut = position % (len(sentence) + 1)
    assert sr_diagnostics(f"{sentence[:cut]}{word}{sentence[cut:]}。", code_prefix="SR001") == []


ORDINARY_LATIN = [
    "PDF", "WPS", "OFD", "CCTV", "NBA", "OA", "App", "Windows", "Excel", "Word",
    "Open Government Information", "China Sports Lottery", "www.gov.cn", "http://www.xy.gov.cn/xxgk/",
]  # fmt: skip
AD_WORDS = ["体育", "官网", "平台", "下载", "入口", "网站", "娱乐", "彩票", "频道", "客户端", "资料", "开奖"]


@settings(max_examples=60, deadline=None)
@given(
    sentence=HANZI_SENTENCE,
    latin=st.sampled_from(ORDINARY_LATIN),
    words=st.lists(st.sampled_from(AD_WORDS), min_size=1, max_size=2),
    before=st.booleans(),
)
def test_ordinary_latin_words_beside_ad_words_are_not_brands(sentence, latin, words, before):
    ads = "".join(words)
    assume(sr_diagnostics(f"{sentence}{ads}。", code_prefix="SR001") == [])  # 彩票官网 is spam by itself
    text = f"{sentence}{ads}({latin})。" if before else f"{sentence}{latin}{ads}。"
    assert sr_diagnostics(text, code_prefix="SR001") == []


# --- one pass for every section ------------------------------------------------------------------


def _finditer_one_section_at_a_time(lexicon, section, text, start=0, end=None):
    """What Lexicon.finditer finds, by its definition: the section's own alternation searched
    again and again, a vetoed match skipped by one character."""
    pattern = lexicon.pattern(section)
    end = len(text) if end is None else end
    position, found = start, []
    while (match := pattern.search(text, position, end)) is not None:
        term = lexicon.lookup(section, match.group())
        if term.vetoed(text, match.start(), match.end()):
            position = match.start() + 1
            continue
        found.append((match.start(), match.end(), term))
        position = match.end()
    return found


LEXICONS = [load_lexicon(name) for name in lexicon_names()] + [
    # An extension repeating a built-in word in capitals, terms that begin others, and one that
    # begins inside a vetoed term (球拍 in 买球拍).
    load_lexicon(
        "spam",
        [{"brands": ["BWIN", "bet", "威廉"], "strong_suffixes": [{"term": "体", "generic": True}], "gambling_phrases": ["球拍"]}],
    )
]
NOISE = list("的了在是和与及，。、；：()（）_-| \n　·") + list("abcXYZ019")


def _vetoed_uses(lexicon):
    """Each vetoed term with the word that vetoes it (买球拍), and the term alone."""
    uses = []
    for section in lexicon.section_names():
        for term in lexicon.entries(section):
            uses += [term.text + word for word in term.get("unless_followed_by", ())]
            uses += [word + term.text for word in term.get("unless_preceded_by", ())]
    return uses


@st.composite
def _lexicon_text(draw):
    lexicon = draw(st.sampled_from(LEXICONS + LEXICONS[-1:] * 4))  # the extended one most often
    words = sorted({term.text for section in lexicon.section_names() for term in lexicon.entries(section)})
    word = st.sampled_from(words)
    piece = st.one_of(
        word,
        word.map(str.upper),  # ASCII letters in the other case
        word.map(lambda text: text[: len(text) // 2 + 1]),  # a beginning, to overlap the next word
        st.sampled_from(_vetoed_uses(lexicon) or NOISE),
        st.sampled_from(NOISE),
    )
    return lexicon, "".join(draw(st.lists(piece, max_size=30)))


@settings(max_examples=500, deadline=None)
@given(drawn=_lexicon_text(), data=st.data())
def test_one_pass_finds_what_each_section_finds_on_its_own(drawn, data):
    lexicon, text = drawn
    sections = lexicon.section_names()
    scanned = lexicon.scan(text, sections)
    for section in sections:
        assert scanned[section] == _finditer_one_section_at_a_time(lexicon, section, text), section
    # A window of the text, as the rules look back from an address or a number.
    start = data.draw(st.integers(min_value=0, max_value=len(text)))
    end = data.draw(st.integers(min_value=start, max_value=len(text)))
    section = data.draw(st.sampled_from(sections))
    assert list(lexicon.finditer(section, text, start, end)) == _finditer_one_section_at_a_time(
        lexicon, section, text, start, end
    )


def test_one_pass_keeps_the_rules_of_matching():
    spam = load_lexicon("spam")
    found = spam.scan("买球拍和买球，学习java，JAV，Beat365。", ("gambling_phrases", "porn_phrases", "brands"))
    # 买球 is vetoed before 拍; jav only as a whole word, whatever its case; the term as listed.
    assert [(start, end) for start, end, _ in found["gambling_phrases"]] == [(4, 6)]
    assert [(start, end) for start, end, _ in found["porn_phrases"]] == [(14, 17)]
    assert [(start, end, term.text) for start, end, term in found["brands"]] == [(18, 25, "beat365")]
    # After a vetoed match the search goes on from its second character.
    assert [(start, end) for start, end, _ in LEXICONS[-1].finditer("gambling_phrases", "买球拍")] == [(1, 3)]
