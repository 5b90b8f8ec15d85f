"""The NR005 placeholder patterns of data/narrative.toml put each look-behind after the character it
guards, which the regular-expression engine searches for much faster; they find exactly what the
plain forms (look-behind first) find."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from nianbao.rules.narrative.lexicon import narrative_lexicon

# The plain forms, as the patterns read before the look-behinds were moved, by their place in the file.
PLAIN = {
    1: r"(?<![A-Za-z0-9])[Xx×]{1,2}\s*月\s*(?:[Xx×]{1,2}|\d{1,2})\s*日"
    r"|(?<![A-Za-z0-9])\d{1,2}\s*月\s*[Xx×]{1,2}\s*日|(?<=年)[Xx×]{1,2}\s*月",
    3: r"(?<![A-Za-z0-9])(?:19|20)[Xx×]{2}(?![A-Za-z0-9])",
    4: r"(?<![A-Za-z0-9])(?:[Xx]{2,}|×{2,}|[Xx×]{3,})(?![A-Za-z0-9])(?!\s*(?:同志|先生|女士|等人))",
}
TEXTS = st.text(alphabet="Xx×1290２年月日 \naZ同志先生等人。", max_size=16)


@settings(max_examples=400)
@given(st.sampled_from(sorted(PLAIN)), TEXTS)
def test_each_pattern_finds_what_its_plain_form_finds(index, text):
    pattern = narrative_lexicon().placeholders[index].pattern
    assert [m.span() for m in pattern.finditer(text)] == [m.span() for m in re.finditer(PLAIN[index], text)]


def test_the_placeholders_are_found_in_a_report_sentence():
    text = "本机关于20XX年X月X日发布XX局文件，张××同志负责，联系人xxgk。"
    found = {index: [m.group() for m in narrative_lexicon().placeholders[index].pattern.finditer(text)] for index in PLAIN}
    assert found == {1: ["X月X日"], 3: ["20XX"], 4: ["XX"]}
