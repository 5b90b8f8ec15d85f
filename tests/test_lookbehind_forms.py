"""Patterns whose look-behind follows the character it guards (searched much faster) find exactly
what their plain forms, look-behind first, find: the same spans and the same groups."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from nianbao.document import facts
from nianbao.rules.integrity import sr001_injected_spam, sr002_pinyin_injection
from nianbao.rules.narrative import cell_statements
from nianbao.text import dates, numbers

_HANZI = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_SYLLABLE = "[a-z\u00e0-\u00ff\u0101-\u01dc\u0300-\u036f]+[1-5]?"
_PINYIN = f"{_SYLLABLE}(?:[ '\u2019]{_SYLLABLE}){{0,3}}"
_DATE_REST = r"([-/.])(\d{1,2})\2(\d{1,2})(?![0-9A-Za-z])(?![./\-]\d)"

# (the pattern as used, its plain form, characters that exercise it); "２" is a digit outside ASCII.
FORMS = [
    (numbers._LONG_CODE, r"(?<![0-9])\d{15,}[Xx]?(?![0-9])", "0123456789２Xx a"),
    (numbers._CLOCK_OR_EVENT, r"(?<![0-9])\d{1,2}[:·]\d{1,2}(?![0-9])", "0129２:· a"),
    (numbers._YEAR_RANGE, r"(?<![0-9])\d{4}\s*[-—~至到]\s*\d{4}\s*年", "0129２-—至 年a"),
    (dates._SEPARATED, rf"(?<![0-9A-Za-z./\-])((?:19|20)\d{{2}}){_DATE_REST}", "01922-/.a "),
    (facts.YEAR_IN_TEXT, r"(?<!\d)(?P<year>20\d{2})[ \t]*年", "2019２ 年"),
    (cell_statements._YEAR, r"(?<!\d)((?:19|20)\d{2})\s*年", "1920２ 年"),
    (sr001_injected_spam._ASCII_WORD, r"(?<![A-Za-z0-9.@/])[A-Za-z0-9]+(?![A-Za-z0-9])", "aZ09.@/ 中\n"),
    (sr001_injected_spam._NUMBER, r"(?<![A-Za-z0-9.])[0-9]{2,4}(?![A-Za-z0-9])", "0123a. 中\n"),
    (sr002_pinyin_injection._INSERTED, rf"(?<=[{_HANZI}])\(({_PINYIN})\)", "中文(ab1 ')\u2019ü"),
]


@st.composite
def _form_and_text(draw):
    pattern, plain, alphabet = draw(st.sampled_from(FORMS))
    return pattern, plain, draw(st.text(alphabet=alphabet, max_size=24))


@settings(max_examples=600)
@given(_form_and_text())
def test_each_pattern_matches_as_its_plain_form(case):
    pattern, plain, text = case
    found = [(match.span(), match.groups()) for match in pattern.finditer(text)]
    assert found == [(match.span(), match.groups()) for match in re.finditer(plain, text)]


def test_a_guarded_character_at_the_start_of_the_text_matches():
    assert [m.group() for m in numbers._CLOCK_OR_EVENT.finditer("9:30开会，19:00散会，119:30不是")] == ["9:30", "19:00"]
    assert [m.group("year") for m in facts.YEAR_IN_TEXT.finditer("2021年，12021年")] == ["2021"]
    assert [m.group(1) for m in sr002_pinyin_injection._INSERTED.finditer("政府(zheng fu)网站 (wang)")] == ["zheng fu"]
