"""Normalisation steps and the offset map back to the original text."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nianbao.text.normalize as normalize_module
from nianbao.text.location import Location, Span
from nianbao.text.normalize import NormalizedText, fold_label, normalize

EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples"


def seed_path(prefix: str) -> Path:
    (path,) = EXAMPLES.glob(f"{prefix}_*.txt")
    return path


def seed_text(prefix: str) -> str:
    with open(seed_path(prefix), encoding="utf-8", newline="") as handle:
        return handle.read()


def origins(result: NormalizedText) -> list[str]:
    """For each normalised character, the original text it maps to."""
    pieces = []
    for index in range(len(result.text)):
        start, end = result.original_range(Span(index, index + 1))
        pieces.append(result.original[start:end])
    return pieces


def labels(*texts: str) -> frozenset[str]:
    return frozenset(fold_label(text) for text in texts)


# --- step 1: line ends ---------------------------------------------------------------------------


def test_crlf_and_lone_cr_become_lf():
    result = normalize("a\r\nb\rc\nd")
    assert result.text == "a\nb\nc\nd"
    assert origins(result) == ["a", "\r\n", "b", "\r", "c", "\n", "d"]


def test_cr_cr_lf_is_two_line_ends():
    assert normalize("a\r\r\nb").text == "a\n\nb"


# --- step 2: width folding -----------------------------------------------------------------------


def test_full_width_ascii_folds():
    result = normalize("（一）１２，ＡＢ：ｚ；％！～")
    assert result.text == "(一)12,AB:z;%!~"
    assert origins(result) == list("（一）１２，ＡＢ：ｚ；％！～")


def test_chinese_punctuation_is_kept():
    kept = "、。“”《》〔〕‘’…—·"
    assert normalize(kept).text == kept


# --- step 3: odd spaces and zero-width characters --------------------------------------------------


def test_odd_spaces_become_ascii_space():
    result = normalize("a\u00a0b\u3000c\u2002d\u200ae\u202ff\u205fg")
    assert result.text == "a b c d e f g"
    assert origins(result)[1] == "\u00a0"
    assert origins(result)[3] == "\u3000"


def test_tabs_are_not_touched():
    assert normalize("\t本年新\t0 ").text == "\t本年新\t0 "


def test_zero_width_characters_are_deleted():
    original = "规\u200b章\u200c\u200d\u2060|\ufeff0"
    result = normalize(original)
    assert result.text == "规章|0"
    # The neighbours keep their own positions; the deleted characters belong to no one.
    assert [result.original_range(Span(index, index + 1)) for index in range(4)] == [
        (0, 1), (2, 3), (6, 7), (8, 9)
    ]


# --- step 4: enclosed numerals -------------------------------------------------------------------


def test_enclosed_ideographic_numerals_expand():
    result = normalize("㈠强化㈩")
    assert result.text == "(一)强化(十)"
    assert origins(result) == ["㈠", "㈠", "㈠", "强", "化", "㈩", "㈩", "㈩"]


def test_parenthesised_digits_expand():
    result = normalize("⑴⑼⑽⒇")
    assert result.text == "(1)(9)(10)(20)"
    assert origins(result)[6:10] == ["⑽"] * 4
    assert origins(result)[10:] == ["⒇"] * 4


def test_circled_digits_are_kept():
    assert normalize("①⑳").text == "①⑳"


# --- step 5: Traditional → Simplified ------------------------------------------------------------


def test_traditional_becomes_simplified_char_for_char():
    result = normalize("國務院辦公廳：政府資訊公開")
    assert result.text == "国务院办公厅:政府资讯公开"
    assert origins(result) == list("國務院辦公廳：政府資訊公開")


def test_simplified_text_is_unchanged():
    text = "国务院办公厅关于政府信息公开工作"
    assert normalize(text).text == text


def test_conversion_uses_phrases():
    # 乾 is 干 in 乾燥 (dry) but stays in the name 乾隆. 國 marks the text as Traditional.
    assert normalize("乾燥 乾隆 國").text == "干燥 乾隆 国"


def test_text_of_gb2312_characters_only_is_taken_as_simplified():
    # 乾 and 於 are GB2312 characters; without a clearly Traditional one the text is left alone.
    assert normalize("乾燥 於是").text == "乾燥 於是"


def test_traditional_seed_maps_each_character_to_its_traditional_original():
    original = seed_text("004")
    result = normalize(original)
    assert result.text.startswith("福建省商务厅2017年政府信息公开工作年度报告\n")
    assert len(result.text) == len(original)
    changed = 0
    for index, char in enumerate(result.text):
        start, end = result.original_range(Span(index, index + 1))
        assert (start, end) == (index, index + 1)
        source = original[start]
        if source != char:
            changed += 1
            # A Traditional character was replaced by a Simplified (GB2312) one.
            assert "\u4e00" <= source <= "\u9fff"
            char.encode("gb2312")
    assert changed > 100
    assert origins(result)[3:6] == list("商務廳")
    assert result.text[3:6] == "商务厅"


def _modules_loaded_after_normalising(*prefixes: str) -> set[str]:
    paths = [str(seed_path(prefix)) for prefix in prefixes]
    program = (
        "import sys\n"
        "from nianbao.text.normalize import normalize\n"
        "for path in sys.argv[1:]:\n"
        "    normalize(open(path, encoding='utf-8').read())\n"
        "print(' '.join(name for name in ('opencc',) if name in sys.modules))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", program, *paths], capture_output=True, text=True, check=True
    )
    return set(completed.stdout.split())


def test_simplified_seeds_do_not_load_opencc():
    assert _modules_loaded_after_normalising("000", "001", "002", "003") == set()


def test_traditional_seed_loads_opencc():
    assert _modules_loaded_after_normalising("004") == {"opencc"}


class _LengthChangingConverter:
    """Stands in for OpenCC when a phrase conversion changes the length of the whole text."""

    def convert(self, text: str) -> str:
        if len(text) > 1:
            return text + "多"
        return {"國": "国", "開": "开"}.get(text, text)


def test_length_changing_conversion_falls_back_to_single_characters(monkeypatch):
    monkeypatch.setattr(normalize_module, "_traditional_to_simplified", _LengthChangingConverter)
    result = normalize("國家公開")
    assert result.text == "国家公开"
    assert origins(result) == list("國家公開")


# --- step 6: labels wrapped over lines -----------------------------------------------------------


HEADER_LABELS = labels("信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量", "（三）不予公开")


def test_two_line_label_is_joined():
    original = "\t信息内容\n\t本年新\n制作数量\n\t本年新\n公开数量\n\t对外公开总数量\n"
    result = normalize(original, HEADER_LABELS)
    assert result.text == "\t信息内容\n\t本年新制作数量\n\t本年新公开数量\n\t对外公开总数量\n"


def test_join_removes_indentation_and_trailing_spaces():
    result = normalize("本年新  \n\t  制作数量", HEADER_LABELS)
    assert result.text == "本年新制作数量"
    assert result.original_range(Span(2, 4)) == (2, 10)  # "新" … "制" spans the removed gap


def test_three_line_label_is_joined():
    result = normalize("\t本年\n新制\n作数量\n0", HEADER_LABELS)
    assert result.text == "\t本年新制作数量\n0"


def test_join_after_folding_width_and_traditional():
    result = normalize("（三）\n不予公開", HEADER_LABELS)
    assert result.text == "(三)不予公开"
    assert origins(result) == list("（三）不予公開")


def test_blank_lines_never_join():
    original = "本年新\n\n制作数量\n本年新\n \t\n制作数量"
    assert normalize(original, HEADER_LABELS).text == original


def test_line_that_is_already_a_label_does_not_join():
    catalogue = labels("规章", "规章制度")
    assert normalize("规章\n制度", catalogue).text == "规章\n制度"


def test_lines_that_do_not_form_a_label_stay_apart():
    assert normalize("本年新\n发布数量", HEADER_LABELS).text == "本年新\n发布数量"


def test_no_labels_no_joining():
    assert normalize("本年新\n制作数量").text == "本年新\n制作数量"


def test_seed_001_header_wraps_are_joined_and_located():
    original = seed_text("001")
    result = normalize(original, HEADER_LABELS)
    # Lines 12–16 of the file: "\t本年新" / "制作数量" / "\t本年新" / "公开数量" / "\t对外公开总数量".
    made = result.text.index("本年新制作数量")
    assert result.locate(Span(made, made + 7)) == Location(12, 2, 13, 5)
    published = result.text.index("本年新公开数量")
    assert result.locate(Span(published, published + 7)) == Location(14, 2, 15, 5)
    total = result.text.index("对外公开总数量")
    assert result.locate(Span(total, total + 7)) == Location(16, 2, 16, 9)
    assert result.line_of(total) == 16
    # Two joins, 14 NBSPs turned into spaces, nothing else.
    assert len(result.text) == len(original) - 2
    assert "\u00a0" not in result.text


def test_seed_000_group_label_is_joined():
    result = normalize(seed_text("000"), HEADER_LABELS)
    found = result.text.index("(三)不予公开")
    # File lines 203–204 read "(三)" and "不予公开".
    assert result.locate(Span(found, found + 7)) == Location(203, 1, 204, 5)


def test_seed_002_enclosed_numeral_is_located():
    result = normalize(seed_text("002"))
    found = result.text.index("(一)强化组织领导")
    assert result.locate(Span(found, found + 3)) == Location(13, 1, 13, 2)
    assert result.locate(Span(found + 3, found + 5)) == Location(13, 2, 13, 4)


def test_joining_is_stable_on_seeds():
    for prefix in ("000", "001", "002", "003", "004"):
        once = normalize(seed_text(prefix), HEADER_LABELS).text
        assert normalize(once, HEADER_LABELS).text == once


# --- locating ------------------------------------------------------------------------------------


def test_locate_on_crlf_text():
    original = "第一行\r\n第二行\r\n（三）X"
    result = normalize(original)
    assert result.text == "第一行\n第二行\n(三)X"
    x = result.text.index("X")
    assert result.locate(Span(x, x + 1)) == Location(3, 4, 3, 5)
    assert result.locate(Span(3, 4)) == Location(1, 4, 2, 1)  # the line end itself
    assert result.locate(Span(4, 7)) == Location(2, 1, 2, 4)
    assert result.line_of(x) == 3


def test_lone_cr_counts_as_a_line_end_in_the_original():
    result = normalize("a\rb")
    assert result.locate(Span(2, 3)) == Location(2, 1, 2, 2)


def test_empty_spans_and_text_end():
    original = "ab\r\n\u200b"
    result = normalize(original)
    assert result.text == "ab\n"
    assert result.original_range(Span(1, 1)) == (1, 1)
    assert result.original_range(Span(3, 3)) == (5, 5)
    assert result.locate(Span(3, 3)) == Location(2, 2, 2, 2)
    assert result.line_of(3) == 2


def test_columns_count_code_points():
    result = normalize("𠀀國X")  # a supplementary-plane character counts once
    assert result.locate(Span(2, 3)) == Location(1, 3, 1, 4)


def test_span_outside_text_is_an_error():
    result = normalize("abc")
    with pytest.raises(ValueError):
        result.original_range(Span(2, 4))


def test_empty_text():
    result = normalize("")
    assert result.text == ""
    assert result.locate(Span(0, 0)) == Location(1, 1, 1, 1)


def test_identity_result_can_be_built_directly():
    result = NormalizedText("规章", "规章")
    assert result.locate(Span(1, 2)) == Location(1, 2, 1, 3)


# --- size --------------------------------------------------------------------------------------
# Speed is measured by scripts/benchmark.py, not here: this checks that a large file gives the same result.


def test_a_5_mb_report_normalises_like_its_repeated_part():
    seeds = "\n".join(seed_text(prefix) for prefix in ("000", "001", "002", "003", "004")) + "\n"
    seeds = seeds.replace("\n", "\r\n")
    repeats = 5 * 1024 * 1024 // len(seeds.encode("utf-8")) + 1
    original = seeds * repeats
    result = normalize(original, HEADER_LABELS)
    # Size changes nothing: the big text normalises exactly like its repeated part.
    assert result.text == normalize(seeds, HEADER_LABELS).text * repeats
    # The wrapped "(三)" / "不予公开" of seed 000 (its lines 203–204) in the last copy.
    line = (repeats - 1) * seeds.count("\n") + 203
    last_copy = len(result.text) - len(normalize(seeds, HEADER_LABELS).text)
    found = [
        last_copy + match.start()
        for match in re.finditer(re.escape("(三)不予公开"), result.text[last_copy:])
        if result.line_of(last_copy + match.start()) == line
    ]
    assert len(found) == 1
    span = Span(found[0], found[0] + 7)
    assert result.original[slice(*result.original_range(span))] == "(三)\r\n不予公开"
    assert result.locate(span) == Location(line, 1, line + 1, 5)


# --- fold_label ----------------------------------------------------------------------------------


def test_fold_label():
    assert fold_label("（三） 不予\u3000公開") == "(三)不予公开"
    assert fold_label("本年新\r\n\t制作数量") == "本年新制作数量"
    assert fold_label("㈠ 予以公开") == "(一)予以公开"
    assert fold_label("规\u200b章") == "规章"


# --- properties ----------------------------------------------------------------------------------

TRICKY_CHARACTERS = list(
    "國務院辦公廳開資訊国务院办公厅公开本年新制作数量（）：，１Ａ㈠㈩⑴⒇、。“”"
    "\r\n\t \u00a0\u3000\u2003\u200b\u200d\ufeff"
)
tricky_text = st.text(alphabet=st.sampled_from(TRICKY_CHARACTERS), max_size=60)
any_text = st.text(
    alphabet=st.one_of(st.characters(blacklist_categories=("Cs",)), st.sampled_from(TRICKY_CHARACTERS)),
    max_size=80,
)
LABEL_CATALOGUE = labels("本年新制作数量", "（三）不予公开", "信息内容", "公开")
line_text = st.lists(
    st.sampled_from(["本年", "新", "本年新", "制作", "数量", "制作数量", "（三）", "不予", "公開", "\t", "", " 0"]),
    max_size=12,
).map("\n".join)


def assert_map_is_sound(result: NormalizedText) -> None:
    previous = (0, 0)
    for index in range(len(result.text)):
        start, end = result.original_range(Span(index, index + 1))
        assert 0 <= start < end <= len(result.original)
        assert start >= previous[0] and end >= previous[1]
        previous = (start, end)
    whole = result.original_range(Span(0, len(result.text)))
    assert 0 <= whole[0] <= whole[1] <= len(result.original)


@settings(max_examples=200, deadline=None)
@given(any_text)
def test_any_text_normalises_with_a_monotone_map(original):
    result = normalize(original, LABEL_CATALOGUE)
    assert result.original == original
    assert_map_is_sound(result)
    for index in range(len(result.text) + 1):
        location = result.locate(Span(index, index))
        assert location.line >= 1 and location.column >= 1


@settings(max_examples=200, deadline=None)
@given(tricky_text)
def test_each_character_comes_from_its_original_range(original):
    result = normalize(original)
    for char, source in zip(result.text, origins(result)):
        assert char in normalize(source).text


@settings(max_examples=200, deadline=None)
@given(any_text)
def test_normalising_twice_changes_nothing(original):
    # Restricted to text OpenCC maps to a fixed point; it has a rare chain (薴 → 苧 → 苎).
    once = normalize(original).text
    if "薴" not in original:
        assert normalize(once).text == once


@settings(max_examples=200, deadline=None)
@given(line_text)
def test_label_joining_never_breaks_the_map(original):
    result = normalize(original, LABEL_CATALOGUE)
    assert_map_is_sound(result)
    assert result.text.count("\n") <= original.count("\n")
    # Joining only removes line ends and the blanks around them.
    assert "".join(result.text.split()) == fold_label(original)


@settings(max_examples=200, deadline=None)
@given(any_text)
def test_fold_label_matches_normalise(original):
    assert fold_label(original) == "".join(normalize(original).text.split())
