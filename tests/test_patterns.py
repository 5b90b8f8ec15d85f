"""LazyPattern: a regular expression compiled on its first use, answering as the compiled one does."""

from __future__ import annotations

import pickle
import re

from hypothesis import given
from hypothesis import strategies as st
from nianbao.api import LazyPattern

_SOURCES = [r"(?<![A-Za-z0-9])[Xx×]{2,}", r"统计(?:数据)?(?:期限|时间)", r"(?P<year>(?:19|20)\d{2})\s*年", r"[。；;！!？?\n]"]


def test_nothing_is_compiled_until_the_pattern_is_used():
    lazy = LazyPattern(r"(?P<year>20\d{2})年")
    assert lazy.pattern == r"(?P<year>20\d{2})年"
    assert "search" not in vars(lazy)
    assert lazy.search("本年度即2021年")["year"] == "2021"
    assert "search" in vars(lazy)  # later uses take the compiled pattern's method directly


def test_attributes_and_flags_are_those_of_the_compiled_pattern():
    lazy = LazyPattern(r"(a)(?P<b>b)", re.IGNORECASE)
    compiled = re.compile(r"(a)(?P<b>b)", re.IGNORECASE)
    assert (lazy.flags, lazy.groups, lazy.groupindex) == (compiled.flags, compiled.groups, compiled.groupindex)
    assert lazy.sub("-", "xABy") == "x-y"
    assert re.sub(lazy.compiled(), "-", "ab") == "-"


def test_an_unknown_attribute_is_an_attribute_error():
    lazy = LazyPattern("a")
    assert not hasattr(lazy, "no_such_method")
    assert not hasattr(lazy, "__no_such_dunder__")


def test_pickled_it_stays_uncompiled_and_equal():
    lazy = LazyPattern(r"[Xx]{2,}")
    lazy.search("XX")  # compiled and its methods kept: none of that is pickled
    restored = pickle.loads(pickle.dumps(lazy))
    assert restored == lazy and hash(restored) == hash(lazy)
    assert "search" not in vars(restored)
    assert restored.fullmatch("xxx")
    assert LazyPattern("a") != LazyPattern("a", re.IGNORECASE)


@given(st.sampled_from(_SOURCES), st.text(alphabet="Xx×统计数据期限时间年2019 0。；\n", max_size=40))
def test_every_match_is_the_compiled_patterns(source, text):
    lazy, compiled = LazyPattern(source), re.compile(source)
    assert [m.span() for m in lazy.finditer(text)] == [m.span() for m in compiled.finditer(text)]
    assert bool(lazy.search(text)) == bool(compiled.search(text))
